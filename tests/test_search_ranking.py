"""Search ranking, filters, snippets and query syntax (issue 19), in Chromium over the real
built demo sites."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from daicho import search
from tests.browser import Built, Server, Watched, serve
from tests.search_queries import QUERIES
from tests.test_public_build import _build, _copy

STATUS = "q => document.getElementById('daicho-search-status').textContent.includes('「' + q + '」')"


def ask(page: Watched, server: Server, query: str) -> list[str]:
    """Type ``query`` and return the result links (site-relative) once its answer is shown."""
    p = page.page
    p.fill("#daicho-q", query)
    p.wait_for_function(STATUS, arg=query, timeout=15_000)
    hrefs = p.eval_on_selector_all("#daicho-results a.daicho-result-title", "as => as.map(a => a.href)")
    return [h.removeprefix(server.url) for h in hrefs]


def total(page: Watched) -> int:
    text = page.page.text_content("#daicho-search-status") or ""
    return int(text.split("」: ")[1].split(" 件")[0].replace(",", "")) if "」: " in text else 0


def index_pages(site: Path) -> list[search.Page]:
    """The pages as the indexer saw them, in index order."""
    pages = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site)
        if rel.parts[0] != search.BUNDLE:
            page = search.page_of(path.read_text(encoding="utf-8"), rel.as_posix())
            if page is not None:
                pages.append(page)
    return pages


@pytest.mark.browser
def test_the_expected_page_comes_first(page: Watched, demo_server: Server) -> None:
    """At least 90 % of the query set has its expected page first, and all in the top 3."""
    page.page.goto(demo_server.url + "search.html")
    ranks = {}
    for query, expected in QUERIES.items():
        found = ask(page, demo_server, query)
        ranks[query] = next((i + 1 for i, h in enumerate(found) if h in expected), None)
    assert len(QUERIES) >= 40
    assert all(r is not None and r <= 3 for r in ranks.values()), {q: r for q, r in ranks.items() if r != 1}
    firsts = sum(r == 1 for r in ranks.values())
    assert firsts >= 0.9 * len(QUERIES), {q: r for q, r in ranks.items() if r != 1}


@pytest.mark.browser
def test_facet_counts_equal_the_matching_records(page: Watched, demo_server: Server, demo_site: Built) -> None:
    """Each option's count is the number of matching pages with that value, counted here from
    the pages themselves; choosing it shows that many."""
    query = "システム"
    terms = search.query_terms(query)
    expected: dict[str, Counter[str]] = {}
    for p in index_pages(demo_site.site):
        have = search.term_counts(p.title + " " + p.text)
        if all(t in have for t in terms):
            for name, value in p.facets.items():
                expected.setdefault(name, Counter())[value[0] if isinstance(value, list) else value] += 1
    assert set(expected) >= {"種別", "実施機関", "所管課", "年度"}
    page.page.goto(demo_server.url + "search.html")
    ask(page, demo_server, query)
    for name, counts in expected.items():
        select = page.page.locator(f"select[data-facet='{name}']")
        options = select.locator("option").all_text_contents()[1:]
        shown = {o.rsplit("（", 1)[0]: int(o.rsplit("（", 1)[1].rstrip("）").replace(",", "")) for o in options}
        assert shown == dict(counts), name
        value, count = counts.most_common(1)[0]
        select.select_option(label=f"{value}（{count}）")
        page.page.wait_for_function(
            "n => document.getElementById('daicho-search-status').textContent.includes(' ' + n.toLocaleString('ja-JP') + ' 件')"
            " && document.querySelectorAll('#daicho-results li').length === Math.min(n, 20)",
            arg=count, timeout=15_000)
        select.select_option(index=0)
        # The next facet's options are read only once this reset has been rendered.
        page.page.wait_for_function(
            "() => !document.getElementById('daicho-search-status').textContent.includes('絞り込み')"
            " && document.querySelectorAll('#daicho-results li').length === 20", timeout=15_000)


@pytest.mark.browser
def test_more_results_and_total(page: Watched, demo_server: Server) -> None:
    page.page.goto(demo_server.url + "search.html")
    ask(page, demo_server, "委託")
    n = total(page)
    assert n > 40
    assert page.page.locator("#daicho-results li").count() == 20
    page.page.get_by_role("button", name="さらに表示").click()
    page.page.wait_for_function("() => document.querySelectorAll('#daicho-results li').length === 40")
    links = page.page.eval_on_selector_all("#daicho-results a.daicho-result-title", "as => as.map(a => a.href)")
    assert len(set(links)) == 40


@pytest.mark.browser
def test_snippets_are_original_text_with_one_heading(page: Watched, demo_server: Server) -> None:
    page.page.goto(demo_server.url + "search.html")
    ask(page, demo_server, "vpn")
    first = page.page.locator("#daicho-results li").first
    assert first.locator("mark").first.text_content() == "VPN"  # as written, not normalised
    for query in ("I-2024-D2101-01", "不正アクセス", "事案の概要"):
        ask(page, demo_server, query)
        for text in page.page.locator("#daicho-results li p").all_text_contents():
            assert "事案の概要 事案の概要" not in text
            assert "i-2024-d2101-01" not in text


@pytest.mark.browser
def test_exclusion_phrase_and_kana(page: Watched, demo_server: Server) -> None:
    page.page.goto(demo_server.url + "search.html")
    both = ask(page, demo_server, "不正アクセス")
    all_hits = total(page)
    assert "incidents/I-2024-D8103-01.html" in both
    without = ask(page, demo_server, "不正アクセス -ネットワーク")
    assert "incidents/I-2024-D8103-01.html" not in without and without
    assert 0 < total(page) < all_hits
    assert ask(page, demo_server, '"がん検診"')[:1] == ask(page, demo_server, "ガン検診")[:1]
    assert ask(page, demo_server, "ｹﾝｼﾝ") == ask(page, demo_server, "けんしん")


@pytest.fixture(scope="module")
def public_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    repo = _copy(tmp_path_factory.mktemp("public-search"))
    result = _build(repo)
    assert result.returncode == 0, result.stderr[-3000:]
    server = serve(repo / "site-public")
    yield server
    server.close()


@pytest.mark.browser
def test_public_synonyms_fields_and_filters(page: Watched, public_server: Server) -> None:
    """e-Gov's ファイル簿 search and better: synonyms, one field, 実施機関 and 所管課 filters."""
    p = page.page
    p.goto(public_server.url + "search.html")
    number = ask(page, public_server, "個人番号")
    assert number and ask(page, public_server, "マイナンバー") == number
    # Within one field: 「氏名」 in 記録項目 finds files; in 名称 none.
    p.select_option("#daicho-field", label="記録項目")
    in_items = ask(page, public_server, "氏名")
    assert in_items and all(h.startswith("files/") for h in in_items)
    p.select_option("#daicho-field", label="名称")
    p.fill("#daicho-q", "")
    assert ask(page, public_server, "氏名") == []
    p.select_option("#daicho-field", index=0)
    ask(page, public_server, "ファイル")
    organs = p.locator("select[data-facet='実施機関'] option").all_text_contents()
    depts = p.locator("select[data-facet='所管課'] option").all_text_contents()
    assert len(organs) > 2 and len(depts) > 2
    meta = json.loads((public_server.directory / "search-index" / "meta.json").read_text(encoding="utf-8"))
    assert meta["fields"] == ["名称", "利用目的", "記録項目"]


def test_worker_processes_build_the_same_index(demo_site: Built, tmp_path: Path) -> None:
    """Batches indexed by worker processes (as in a large build) give the same files as one
    process: the index does not depend on how the pages were split."""
    outs = []
    for workers, batch in ((0, 1000), (2, 17)):
        out = tmp_path / f"w{workers}"
        indexer = search.Indexer(out, search.Config.load(demo_site.root / "schemas"), workers=workers, batch=batch)
        for path in sorted(demo_site.site.rglob("*.html")):
            rel = path.relative_to(demo_site.site)
            if rel.parts[0] != search.BUNDLE:
                indexer.add(rel.as_posix(), path.read_text(encoding="utf-8"))
        stats = indexer.finish()
        assert stats.pages > 100
        outs.append({p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.json")})
    assert outs[0] == outs[1]
    assert (demo_site.site / search.BUNDLE / "meta.json").read_bytes() == outs[0]["meta.json"]
