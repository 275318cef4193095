"""Record text is data, never markup (issue 3 §6).

The site fixture plus three hostile records (tests/fixtures/site/hostile) whose fields hold
HTML, a script, a javascript: link, attr_list syntax, Jinja syntax, table pipes and line breaks
is built with the real ``mkdocs build --strict``; the text must come out literally in tables,
headings, titles and the search index, and the browser must see no dialog and no injected element.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest

from tests.browser import ROOT, Server, Watched, build_site, make_repo, serve

FIXTURE = ROOT / "tests" / "fixtures" / "site"
PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
            '{: onclick="alert(1)" }', "{{ 7*7 }}", "|"]
JIMU_NAME = ("危険な記録テスト<script>alert(1)</script><img src=x onerror=alert(1)>[x](javascript:alert(1))"
             '{: onclick="alert(1)" }{{ 7*7 }}|')
PAGES = ["jimu/J-D1501-099.html", "jimu/index.html", "contracts/C-2025-D1501-099.html", "contracts/index.html",
         "incidents/I-2025-D1501-99.html", "incidents/index.html", "departments/D1501.html", "index.html"]


@dataclass
class HostileSite:
    site: Path
    server: Server


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileSite]:
    root = make_repo(tmp_path_factory.mktemp("hostile") / "repo", FIXTURE / "records")
    shutil.copytree(FIXTURE / "hostile" / "records", root / "records", dirs_exist_ok=True)
    proc = build_site(root, root / "site")  # strict: must build, with no warning
    assert "WARNING" not in proc.stdout + proc.stderr
    server = serve(root / "site")
    yield HostileSite(root / "site", server)
    server.close()


def html(site: HostileSite, path: str) -> str:
    return (site.site / path).read_text(encoding="utf-8")


def content(page: str) -> str:
    """The generated part of a built page (between the theme's article tags)."""
    return page[page.index('<div class="daicho'):page.rindex("</article>")]


def test_payloads_are_escaped_in_every_page(hostile: HostileSite) -> None:
    for path in PAGES:
        body = content(html(hostile, path))
        assert "<script>alert" not in body, path
        assert "<img src=x" not in body and '<img src="x"' not in body, path
        assert 'href="javascript:' not in body.lower(), path
        assert not re.search(r"<[^>]+\sonclick=", body), path
        assert not re.search(r"<[^>]+\sonerror=", body), path


def test_heading_title_and_table_cells_show_the_literal_text(hostile: HostileSite) -> None:
    page = html(hostile, "jimu/J-D1501-099.html")
    h1 = re.search(r"<h1>(.*?)</h1>", content(page), re.S).group(1)  # type: ignore[union-attr]
    assert unescape(h1) == JIMU_NAME  # {{ 7*7 }} stayed text, never evaluated
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)  # type: ignore[union-attr]
    assert unescape(title).startswith(JIMU_NAME)
    cells = [unescape(c) for c in re.findall(r"<td>(.*?)</td>", content(page), re.S)]
    assert JIMU_NAME in cells
    purpose = next(c for c in cells if c.startswith("<script>alert(1)</script>"))
    assert purpose.split("<br>") == ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                                     "[x](javascript:alert(1))", '{: onclick="alert(1)" }', "{{ 7*7 }}",
                                     "| a | b |", "|---|---|", "", "# 見出しではない", "", "空行の後"]
    index = content(html(hostile, "jimu/index.html"))
    links = [unescape(t) for t in re.findall(r'<a href="J-D1501-099\.html">(.*?)</a>', index, re.S)]
    assert links == [JIMU_NAME]
    # The table row for the hostile record still has all its cells: no pipe or tag broke it.
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", index, re.S) if "J-D1501-099" in r)
    assert len(re.findall(r"<td", row)) == 8


@pytest.mark.browser
def test_browser_sees_no_dialog_and_no_injected_element(page: Watched, hostile: HostileSite) -> None:
    inert = """() => ({
        img: document.querySelectorAll('img[src="x"], img[onerror]').length,
        onclick: document.querySelectorAll('[onclick]').length,
        js: document.querySelectorAll('a[href^="javascript:" i]').length,
        script: [...document.scripts].filter(s => s.textContent.includes('alert(')).length,
        marks: document.querySelectorAll('.daicho b, .daicho em').length,
    })"""
    for path in PAGES:
        page.page.goto(hostile.server.url + path)
        page.page.wait_for_load_state("networkidle")
        assert page.page.evaluate(inert) == {"img": 0, "onclick": 0, "js": 0, "script": 0, "marks": 0}, path
        assert JIMU_NAME in page.page.inner_text("body") or path != "jimu/J-D1501-099.html"
    assert page.dialogs == []
    assert not page.external(hostile.server.url)


@pytest.mark.browser
def test_search_index_holds_the_literal_text(page: Watched, hostile: HostileSite) -> None:
    page.page.goto(hostile.server.url + "search.html")
    page.page.locator("#daicho-q").type("危険な記録テスト")
    page.page.wait_for_selector("#daicho-results li")
    titles = page.page.eval_on_selector_all("#daicho-results a.daicho-result-title", "as => as.map(a => a.textContent)")
    assert JIMU_NAME in titles
    # What the index stored: the title and text as plain text, not markup.
    stored = [json.loads(p.read_text(encoding="utf-8")) for p in (hostile.site / "search-index" / "p").glob("*.json")]
    by_title = {d["t"]: " ".join(f"{h} {t}" for h, t in d["s"]) for d in stored}
    assert JIMU_NAME in by_title
    for payload in PAYLOADS:
        assert payload in by_title[JIMU_NAME]
    assert page.page.evaluate("() => document.querySelectorAll('#daicho-results img, #daicho-results script').length") == 0
    assert page.dialogs == []
