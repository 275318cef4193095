"""The intranet site built for real: the demo records through ``mkdocs build --strict``, the
generated tree from ``daicho build --docs-out``, and an invalid repository refused."""

from __future__ import annotations

import datetime as dt
import os
import re
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import pytest

from daicho import dates, render, repository
from daicho.render.common import html_path
from daicho.reporters import text_line
from tests.browser import DEMO_TODAY, ROOT, Built, build_site, make_repo
from tests.conftest import run_daicho

FIXTURE = ROOT / "tests" / "fixtures" / "site" / "records"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.srcs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"] or "")
        if tag == "link" and a.get("rel") == "canonical":
            return  # the page's own address under site_url: metadata, nothing is fetched
        for key in ("src", "href"):
            if a.get(key) and tag in ("script", "img", "link", "iframe", "source", "audio", "video"):
                self.srcs.append((tag, a[key] or ""))


def links(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def crawl(site: Path, start: str = "index.html") -> set[str]:
    """Every built page reachable by following links from ``start``."""
    seen: set[str] = set()
    queue = [start]
    while queue:
        rel = queue.pop()
        if rel in seen or not (site / rel).is_file():
            continue
        seen.add(rel)
        for href in links((site / rel).read_text(encoding="utf-8")).hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            target = PurePosixPath(rel).parent / unquote(parts.path)
            norm = os.path.normpath(target.as_posix())
            if norm.endswith(".html") and not norm.startswith(".."):
                queue.append(norm)
    return seen


@pytest.fixture(scope="module")
def demo_pages() -> dict[str, str]:
    return render.pages(repository.load(ROOT), dt.date.fromisoformat(DEMO_TODAY))


def test_demo_site_builds_strict_without_warnings(demo_site: Built, demo_pages: dict[str, str]) -> None:
    assert "WARNING" not in demo_site.log
    assert not [p for p in demo_pages if not (demo_site.site / html_path(p)).is_file()]
    # One page per record of each register type, plus the indexes.
    repo = repository.load(ROOT)
    for rtype, folder in (("jimu", "jimu"), ("file", "files"), ("contract", "contracts"), ("incident", "incidents")):
        assert {f"{folder}/{r.id}.md" for r in repo.of_type(rtype)} <= demo_pages.keys()
        assert f"{folder}/index.md" in demo_pages


def test_every_generated_page_is_reachable_from_the_nav_or_an_index(demo_site: Built,
                                                                     demo_pages: dict[str, str]) -> None:
    reached = crawl(demo_site.site)
    missing = sorted(html_path(p) for p in demo_pages if html_path(p) not in reached)
    assert not missing, f"ナビゲーションや一覧から辿れないページ: {missing[:10]}"


def test_record_pages_stay_out_of_the_navigation(demo_site: Built) -> None:
    home = (demo_site.site / "index.html").read_text(encoding="utf-8")
    nav = home[home.index('<nav class="md-nav md-nav--primary"'):home.index("</nav>", home.index('md-nav--primary'))]
    nav_links = re.findall(r'class="md-nav__link[^"]*"[^>]*href="([^"]+)"|href="([^"]+)"[^>]*class="md-nav__link', nav)
    targets = [a or b for a, b in nav_links]
    assert targets, "ナビゲーションが見つかりません"
    assert not [t for t in targets if re.search(r"(J|F|C|I)-\d{4}-|(J|F)-D\d{4}", t)]
    page = (demo_site.site / "contracts" / "index.html").stat().st_size
    record = next((demo_site.site / "contracts").glob("C-*.html")).stat().st_size
    assert record < 200_000 and page < 400_000  # the nav is not copied into every page


def test_no_external_resources_are_referenced(demo_site: Built) -> None:
    """No page loads anything from another host (scripts, styles, fonts, images)."""
    offenders = []
    for path in demo_site.site.rglob("*.html"):
        for tag, url in links(path.read_text(encoding="utf-8")).srcs:
            if urlsplit(url).scheme in ("http", "https") or url.startswith("//"):
                offenders.append((path.name, tag, url))
    for path in demo_site.site.rglob("*.css"):
        offenders += [(path.name, "css", u) for u in re.findall(r"url\(\s*['\"]?(https?://[^)'\"]+)", path.read_text())]
    assert not offenders, offenders[:5]


def test_search_loads_only_on_the_search_page(demo_site: Built) -> None:
    pages = list(demo_site.site.rglob("*.html"))
    with_search = {p.relative_to(demo_site.site).as_posix() for p in pages
                   if any("search-index" in url or "search.js" in url
                          for _, url in links(p.read_text(encoding="utf-8")).srcs)}
    assert with_search == {"search.html"}
    assert not (demo_site.site / "search" / "search_index.json").exists()  # Material's search is off


def test_record_page_has_history_and_an_edit_link_to_its_yaml(demo_site: Built) -> None:
    repo = repository.load(ROOT)
    record = repo.of_type("contract")[0]
    html = (demo_site.site / "contracts" / f"{record.id}.html").read_text(encoding="utf-8")
    assert f'href="https://git.intra.example/privacy/daicho/-/edit/main/{record.path}"' in html
    assert "変更履歴" in html and f"<code>{record.path}</code>" in html


def test_docs_out_writes_the_same_tree(tmp_path: Path, demo_pages: dict[str, str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAICHO_TODAY", DEMO_TODAY)
    out = tmp_path / "docs-out"
    proc = run_daicho("build", "--docs-out", str(out))
    assert proc.returncode == 0, proc.stderr
    written = {p.relative_to(out).as_posix(): p for p in out.rglob("*") if p.is_file()}
    assert {k for k in written if k.endswith(".md")} == set(demo_pages)
    for path, content in demo_pages.items():
        assert written[path].read_text(encoding="utf-8") == content
    assert {"assets/daicho/daicho.css", "assets/daicho/table.js", "assets/daicho/search.js"} <= written.keys()


def test_an_invalid_repository_fails_the_build_with_positioned_errors(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", FIXTURE)
    bad = root / "records" / "jimu" / "J-D1501-001.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("委託の有無: true", "委託の有無: たぶん"), encoding="utf-8")
    expected = [text_line(i) for i in repository.load(root).errors]
    assert expected and expected[0].startswith("records/jimu/J-D1501-001.yaml:")
    proc = build_site(root, tmp_path / "site", check=False)
    assert proc.returncode != 0
    for line in expected:
        assert line in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr


def test_daicho_today_must_be_a_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAICHO_TODAY", "2026-02-30")
    proc = run_daicho("build", "--docs-out", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert "DAICHO_TODAY" in proc.stderr and "2026-02-30" in proc.stderr
    monkeypatch.setenv("DAICHO_TODAY", "2025-06-27")
    assert dates.today() == dt.date(2025, 6, 27)
    monkeypatch.delenv("DAICHO_TODAY")
    assert dates.today() == dt.date.today()
