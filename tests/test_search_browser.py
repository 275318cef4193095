"""Japanese search in a real browser: each query is typed into the search box of the built demo
site and the expected page must be among the results (SEARCH.md's queries and a few more)."""

from __future__ import annotations

from array import array
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from daicho import search
from daicho.search import query_terms
from tests.browser import Server, Watched

# query → pages that must be among the results (demo records; ids from the seed's cases).
QUERIES = {
    "健診": ["incidents/I-2023-D1501-01.html"],  # two-kanji abbreviation (健康診断)
    "卒業アルバム": ["incidents/I-2024-D2101-01.html", "jimu/J-D2101-003.html", "contracts/C-2021-D2101-001.html"],
    "不正アクセス": ["incidents/I-2024-D8103-01.html", "incidents/I-2024-D2101-01.html"],
    "指定管理": ["contracts/C-2023-D2104-001.html", "contracts/C-2024-D1602-001.html"],
    "東京ガスエンジニアリングソリューションズ": ["contracts/C-2024-D8103-001.html", "incidents/I-2024-D8103-01.html"],
    "健康づくり課": ["departments/D1501.html"],
    "健診記録票": ["incidents/I-2023-D1501-01.html"],
    "簡易書留": ["incidents/I-2024-D1501-01.html", "incidents/I-2024-D1603-01.html"],
    "胸部レントゲン": ["incidents/I-2023-D1501-01.html"],
    "図書館": ["contracts/C-2023-D2104-001.html"],  # stored as 図書|館 by the dictionary
    "要保護児童": ["incidents/I-2024-D1603-01.html"],
    "VPN": ["incidents/I-2024-D8103-01.html"],
    "東京ガス": ["contracts/C-2024-D8103-001.html"],
    "水栓番号": ["jimu/J-D8103-001.html"],
}


def results_for(page: Watched, server: Server, query: str) -> list[str]:
    """Type ``query`` into the search box and return the result links (site-relative)."""
    p = page.page
    box = p.locator("#daicho-q")
    box.fill("")
    box.type(query)
    p.wait_for_function(
        "q => document.getElementById('daicho-search-status').textContent.includes('「' + q + '」')",
        arg=query, timeout=15_000)
    hrefs = p.eval_on_selector_all("#daicho-results a.daicho-result-title", "as => as.map(a => a.href)")
    return [h.removeprefix(server.url) for h in hrefs]


@pytest.mark.browser
def test_each_query_finds_its_page(page: Watched, demo_server: Server) -> None:
    page.page.goto(demo_server.url + "search.html")
    misses = {}
    for query, expected in QUERIES.items():
        found = results_for(page, demo_server, query)
        missing = [e for e in expected if e not in found]
        if missing:
            misses[query] = (missing, found[:8])
    assert not misses, misses
    assert not page.external(demo_server.url)
    assert not page.dialogs


@pytest.mark.browser
def test_a_query_in_the_url_is_searched_on_load(page: Watched, demo_server: Server) -> None:
    page.page.goto(demo_server.url + "search.html?q=" + "卒業アルバム")
    page.page.wait_for_selector("#daicho-results li")
    first = page.page.locator("#daicho-results li").first
    assert first.locator("mark").first.text_content() == "卒業アルバム"  # the excerpt highlights it


@pytest.mark.browser
def test_pages_without_search_load_nothing_of_it(page: Watched, demo_server: Server) -> None:
    for path in ("index.html", "contracts/index.html", "incidents/I-2024-D8103-01.html"):
        page.requests.clear()
        page.page.goto(demo_server.url + path)
        page.page.wait_for_load_state("networkidle")
        assert not [u for u in page.requests if "search" in u], path
        assert not page.external(demo_server.url)


@pytest.mark.browser
def test_the_search_page_loads_the_index_meta_before_the_first_query(page: Watched, demo_server: Server) -> None:
    """The index's meta.json and pages.json (lengths and facets) load while the reader types,
    so the first query waits only for the files of its own terms."""
    page.page.goto(demo_server.url + "search.html")
    page.page.wait_for_load_state("networkidle")
    loaded = [u.removeprefix(demo_server.url) for u in page.requests if "/search-index/" in u]
    assert loaded == ["search-index/meta.json", "search-index/pages.json"]
    assert page.page.locator("#daicho-search-status").text_content() == ""
    # A query then fetches one index file per term (or fewer) plus the one that holds the
    # query as an id, and one file per result shown; nothing it already has.
    page.requests.clear()
    page.page.locator("#daicho-q").fill("卒業アルバム")
    page.page.wait_for_selector("#daicho-results li")
    page.page.wait_for_load_state("networkidle")
    fetched = [u.removeprefix(demo_server.url) for u in page.requests if "/search-index/" in u]
    shown = page.page.locator("#daicho-results li").count()
    assert len([u for u in fetched if u.startswith("search-index/t/")]) <= len(query_terms("卒業アルバム")) + 1
    assert "search-index/pages.json" not in fetched and "search-index/meta.json" not in fetched
    assert len([u for u in fetched if u.startswith("search-index/p/")]) == shown


@pytest.mark.browser
def test_an_input_method_composition_searches_only_when_converted(page: Watched, demo_server: Server) -> None:
    """Kana still being composed (an IME's underlined text) is not searched; the converted
    word is, as soon as the composition ends."""
    p = page.page
    p.goto(demo_server.url + "search.html")
    p.wait_for_load_state("networkidle")
    p.locator("#daicho-q").focus()
    cdp = p.context.new_cdp_session(p)
    for text in ("そ", "そつ", "そつぎょう"):
        cdp.send("Input.imeSetComposition", {"text": text, "selectionStart": len(text), "selectionEnd": len(text)})
    p.wait_for_timeout(300)
    assert p.locator("#daicho-q").input_value() == "そつぎょう"
    assert p.locator("#daicho-search-status").text_content() == ""
    assert not [u for u in page.requests if "/search-index/t/" in u]
    cdp.send("Input.insertText", {"text": "卒業アルバム"})  # the converted text replaces the composition
    p.wait_for_function("() => document.getElementById('daicho-search-status').textContent.includes('「卒業アルバム」')")
    hrefs = [h.removeprefix(demo_server.url) for h in
             p.eval_on_selector_all("#daicho-results a.daicho-result-title", "as => as.map(a => a.href)")]
    assert "incidents/I-2024-D2101-01.html" in hrefs


@pytest.mark.browser
def test_query_terms_agree_between_python_and_the_page(page: Watched, demo_server: Server) -> None:
    """The page turns queries into the same bigram codes the index was built with."""
    page.page.goto(demo_server.url + "search.html")
    for query in ("健診", "卒業アルバム", "ＶＰＮ装置", "ｹﾝｼﾝ記録", "健康づくり課 委託", "𠮷野家", "課",
                  "ISMS（ISO/IEC 27001）", "令和7年度", "けんしん記録", "ﾃｽﾄ"):
        assert page.page.evaluate("q => window.daichoQueryTerms(q)", query) == query_terms(query), query


@pytest.mark.browser
def test_postings_read_back_as_written(page: Watched, demo_server: Server) -> None:
    """The page decodes a term's postings to the pages and weights the indexer encoded, in
    both forms (delta per page, or one character per page for a term on most pages), with
    page gaps too wide for one character and the largest weight."""
    page.page.goto(demo_server.url + "search.html")
    cases = [
        ([0], [2]),
        ([5, 6, 7, 9, 10, 11], [2, 3, 4, 2, 255, 2]),  # dense
        ([1, 300, 40_000, 40_001, 200_000, 200_000_000], [2, 254, 3, 2, 6, 2]),  # gaps of WIDE and more
        ([70_000, 70_001, 70_002, 70_004], [4, 2, 2, 3]),  # dense, starting past WIDE
        (list(range(3, 3000, 7)), [2 + i % 200 for i in range(0, 3000 - 3, 7)]),
    ]
    forms = set()
    for pages, weights in cases:
        coded = search._encoded(array("I", pages), array("B", weights))
        forms.add(coded.startswith(search.DENSE))
        assert page.page.evaluate("c => window.daichoPostings(c)", coded) == [pages, weights], pages[:3]
    assert forms == {True, False}
    with pytest.raises(ValueError):  # past the Private Use Area: refused, never a wrong page
        search.code_number(0x1900 * search.WIDE)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="あアア漢字々〆〇ーｶﾀｶﾅ𠀋abcＡＢ12３_-\n 　。、・（）&", max_size=40))
def test_a_page_is_counted_under_exactly_the_terms_a_query_splits_into(text: str) -> None:
    """``term_counts`` counts the whole text in a few passes (joined runs, one word scan); it
    must count what ``_split`` gives piece by piece: each Japanese character and bigram inside
    one run, never across two, and each prefix of every other word."""
    expected: Counter[str] = Counter()
    for japanese, run in search._split(text):
        if japanese:
            expected.update([*run, *(run[i:i + 2] for i in range(len(run) - 1))])
        else:
            expected.update(run[:k] for k in range(1, min(len(run), search.MAX_PREFIX) + 1))
    assert search.term_counts(text) == expected
