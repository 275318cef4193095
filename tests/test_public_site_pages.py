"""The public site a citizen expects (issue 18): menu, procedures from settings, request forms,
Japanese line breaks, hosting under any folder, no generator credit, and search for every page."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import markdown
import pytest

from daicho import cjk_breaks, yamlio
from tests.browser import Built, Server, Watched
from tests.conftest import ROOT
from tests.test_public_build import public_server, public_site  # noqa: F401 - shared fixtures

MENU = ["個人情報ファイル簿", "公表された漏えい等事案", "運用状況", "開示請求の手続", "問い合わせ先", "更新履歴", "検索",
        "アクセシビリティ"]


def _settings() -> dict:
    return yamlio.load_bytes((ROOT / "records" / "settings.yaml").read_bytes()).data


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "link" and a.get("rel") == "canonical":
            return  # the published address (site_url), not a link inside the build
        for name in ("href", "src"):
            value = a.get(name)
            if value and not value.startswith(("#", "mailto:", "tel:", "data:", "javascript:")):
                self.links.append(value)


def broken_links(site: Path, folder: str) -> list[str]:
    """Every href/src of every page, resolved as a browser would with the site served at
    ``folder`` (``/`` or ``/sub/``), that does not reach a file of the build."""
    broken = []
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        base = f"http://host{folder}{rel}"
        for link in parser.links:
            url = urlsplit(urljoin(base, link))
            if url.netloc != "host":
                continue  # another site (the published canonical address, none else is allowed)
            path = unquote(url.path)
            if not path.startswith(folder):
                broken.append(f"{rel}: {link}（フォルダの外）")
                continue
            target = site / path[len(folder):]
            if path.endswith("/"):
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{rel}: {link}")
    return broken


# --- without a browser -------------------------------------------------------------------------

def test_menu_has_every_page_a_citizen_needs(public_site: Path) -> None:  # noqa: F811
    index = (public_site / "index.html").read_text(encoding="utf-8")
    nav = re.findall(r'<a href="([^"]+)" class="md-nav__link[^"]*">\s*<span class="md-ellipsis">\s*([^<]+?)\s*<',
                     index)
    assert [title for _, title in nav] == MENU
    for href, _ in nav:
        assert (public_site / href).is_file(), href


def test_procedure_pages_take_the_citys_facts_from_settings(public_site: Path) -> None:  # noqa: F811
    facts = _settings()["公開サイト"]
    window = yamlio.load_bytes((ROOT / "records" / "organization.yaml").read_bytes()).data["開示請求窓口"]
    for name in ("disclosure.html", "contact.html"):
        html = (public_site / name).read_text(encoding="utf-8")
        for value in (window["名称"], window["所在地"], facts["電話"], facts["受付時間"]):
            assert value in html, (name, value)
    disclosure = (public_site / "disclosure.html").read_text(encoding="utf-8")
    assert all(fee in disclosure for fee in facts["手数料"])
    forms = yamlio.load_bytes((ROOT / "schemas" / "forms" / "public_requests.yaml").read_bytes()).data["請求書"]
    assert [f["名称"] for f in forms] == ["保有個人情報開示請求書", "保有個人情報訂正請求書", "保有個人情報利用停止請求書"]
    for form in forms:
        assert f'href="forms/{form["id"]}.html"' in disclosure
        sheet = (public_site / "forms" / f"{form['id']}.html").read_text(encoding="utf-8")
        for item in form["項目"]:
            assert item["見出し"] in sheet
    sheet = (public_site / "forms" / "disclosure.html").read_text(encoding="utf-8")
    assert "法第77条第1項第1号" in sheet and "法第77条第1項第2号" in sheet


def test_a_city_changes_its_data_not_its_pages(tmp_path: Path) -> None:
    from tests.test_public_build import _build, _copy

    repo = _copy(tmp_path)
    path = repo / "records" / "settings.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("047-483-1151", "047-000-9999"), encoding="utf-8")
    result = _build(repo)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "047-000-9999" in (repo / "site-public" / "contact.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("source, expected", [
    ("開示・訂正・利用停止を請求できます\n（個人情報の保護に関する法律）", "請求できます（個人情報"),
    ("本人確認書類を添えて、\n   窓口に提出してください。", "添えて、窓口に"),
    ("JIS X 8341-3:2016\n「高齢者」", "2016「高齢者」"),
    ("*強調*した\n文と **太字**\nの文", "した文と"),
])
def test_japanese_soft_line_breaks_do_not_become_spaces(source: str, expected: str) -> None:
    html = markdown.markdown(source, extensions=["daicho.cjk_breaks"])
    assert expected in html and "\n" not in re.sub(r"</?(p|ul|li)>\n?", "", html).strip()


def test_english_line_breaks_and_code_are_left_alone() -> None:
    assert "two\nwords" in markdown.markdown("two\nwords", extensions=["daicho.cjk_breaks"])
    code = markdown.markdown("```\n日本語\n改行\n```", extensions=["fenced_code", "daicho.cjk_breaks"])
    assert "日本語\n改行" in code
    assert cjk_breaks.join_lines("<p>あ\nい</p>\n<pre>う\nえ</pre>") == "<p>あい</p>\n<pre>う\nえ</pre>"


@pytest.mark.parametrize("config", ["mkdocs.yml", "mkdocs.public.yml"])
def test_both_sites_use_the_line_break_extension_and_no_generator_credit(config: str) -> None:
    text = (ROOT / config).read_text(encoding="utf-8")
    assert "- daicho.cjk_breaks" in text and "generator: false" in text


def test_hand_written_public_pages_join_japanese_lines(tmp_path: Path) -> None:
    from tests.test_public_build import _build, _copy

    repo = _copy(tmp_path)
    (repo / "docs-public" / "notes.md").write_text(
        "# お知らせ\n\n窓口は市役所の\n本庁舎にあります。\n", encoding="utf-8")
    config = repo / "mkdocs.public.yml"  # only pages in the nav are published
    config.write_text(config.read_text(encoding="utf-8").replace("\nnav:\n", "\nnav:\n  - お知らせ: notes.md\n", 1),
                      encoding="utf-8")
    result = _build(repo)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "市役所の本庁舎にあります" in (repo / "site-public" / "notes.html").read_text(encoding="utf-8")


def test_public_pages_have_no_generator_credit_and_a_filled_sitemap(public_site: Path) -> None:  # noqa: F811
    for page in public_site.rglob("*.html"):
        assert "Made with" not in page.read_text(encoding="utf-8"), page
    sitemap = (public_site / "sitemap.xml").read_text(encoding="utf-8")
    site_url = _settings()["公開サイト"]["サイトのURL"]
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert f"{site_url}index.html" in locs and f"{site_url}disclosure.html" in locs and len(locs) > 10


@pytest.mark.parametrize("folder", ["/", "/kojinjoho/"])
def test_public_site_has_no_broken_link_at_the_top_or_under_a_folder(public_site: Path,  # noqa: F811
                                                                      folder: str) -> None:
    assert broken_links(public_site, folder) == []
    html = (public_site / "404.html").read_text(encoding="utf-8")
    assert not re.search(r'(href|src)="/', html)


@pytest.mark.parametrize("folder", ["/", "/daicho/"])
def test_intranet_site_has_no_broken_link_at_the_top_or_under_a_folder(demo_site: Built, folder: str) -> None:
    assert broken_links(demo_site.site, folder) == []


# --- in the browser ----------------------------------------------------------------------------

@pytest.mark.browser
def test_a_citizen_walks_the_menu_to_every_page_and_finds_each_in_search(page: Watched,
                                                                          public_server: Server) -> None:  # noqa: F811
    p = page.page
    p.goto(public_server.url + "index.html")
    visited = {}
    for title in MENU:
        p.locator("nav.md-nav--primary").get_by_role("link", name=title, exact=True).first.click()
        p.wait_for_load_state()
        assert p.locator("h1").first.inner_text().strip(), title
        visited[title] = p.url.removeprefix(public_server.url)
    pages = {v for k, v in visited.items() if k != "検索"}
    # One sheet, one request form and one yearly report page too: every page type.
    pages |= {"files/F-D1501-001.html", "forms/disclosure.html", "report/2025.html"}
    for path in sorted(pages):
        p.goto(public_server.url + path)
        heading = p.locator("[data-search-body] h1, [data-search-body] [data-search-title]").first
        title = heading.get_attribute("data-search-title") or heading.inner_text().strip()
        p.goto(public_server.url + "search.html?q=" + title)
        p.wait_for_function(
            "q => document.getElementById('daicho-search-status').textContent.includes('「' + q + '」')",
            arg=title, timeout=15_000)
        hrefs = p.eval_on_selector_all("#daicho-results a.daicho-result-title", "as => as.map(a => a.href)")
        assert path in [h.removeprefix(public_server.url) for h in hrefs], (path, title)
    assert not page.external(public_server.url)


def test_change_log_page_and_atom_feed(public_site: Path) -> None:  # noqa: F811
    import xml.etree.ElementTree as ET

    page = (public_site / "changes.html").read_text(encoding="utf-8")
    assert 'href="changes.xml"' in page and "追加" in page and "削除" in page
    assert "事業者支援金申請者ファイル" in page  # abolished 2025-03-31, published the day before
    feed = ET.parse(public_site / "changes.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("a:entry", ns)
    assert entries and len(entries) == page.count("<tr>") - 1
    site_url = _settings()["公開サイト"]["サイトのURL"]
    assert all(e.find("a:link", ns).get("href").startswith(site_url) for e in entries)
    dates = [e.find("a:updated", ns).text for e in entries]
    assert dates == sorted(dates, reverse=True)


def test_numbers_and_dashes_are_written_by_one_module_on_both_sites(public_site: Path,  # noqa: F811
                                                                     demo_site: Built) -> None:
    from daicho import formatting

    assert formatting.number(41200) == "41,200" and formatting.number(None) == ""
    # An empty value is the same dash everywhere: no cell holds only another dash character.
    other_dash = re.compile(r"(?<!<code)>\s*[―－‐-]\s*<")  # a hyphen shown as code is a character
    for site in (public_site, demo_site.site):
        for page in site.rglob("*.html"):
            assert not other_dash.search(page.read_text(encoding="utf-8")), page
    assert re.search(r">\s*—\s*<", (public_site / "files" / "F-D1401-001.html").read_text(encoding="utf-8"))
    files_index = (demo_site.site / "files" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'class="daicho-num"[^>]*>[0-9]{1,3}(,[0-9]{3})+<', files_index)


def test_only_optional_menu_entries_are_dropped_when_their_page_is_not_built() -> None:
    from daicho.public_plugin import _existing

    nav = [{"一覧": "index.md"}, {"運用状況": "report/index.md"}, {"登録簿": "jimu.md"}, {"誤記": "contcat.md"}]
    assert _existing(nav, {"index.md", "jimu.md"}) == [{"一覧": "index.md"}, {"登録簿": "jimu.md"},
                                                       {"誤記": "contcat.md"}]


@pytest.mark.browser
def test_index_table_filters_by_organ_and_department_and_sorts_by_keyboard(page: Watched,
                                                                            public_server: Server) -> None:  # noqa: F811
    p = page.page
    p.goto(public_server.url + "index.html")
    rows = p.locator("#daicho-filebook tbody tr")
    total = rows.count()
    organ = p.locator("select[data-filter-col='2']")
    organ.focus()
    organ.select_option("八千代市教育委員会")
    visible = p.locator("#daicho-filebook tbody tr:not([hidden])")
    assert 0 < visible.count() < total
    assert set(visible.locator("td:nth-child(3)").all_inner_texts()) == {"八千代市教育委員会"}
    assert f"{total} 件中 {visible.count()} 件を表示" in p.locator("[data-filter-count]").inner_text()
    organ.select_option("")
    dept = p.locator("select[data-filter-col='3']")
    first_dept = dept.locator("option").nth(1).inner_text()
    dept.select_option(first_dept)
    assert set(visible.locator("td:nth-child(4)").all_inner_texts()) == {first_dept}
    dept.select_option("")
    button = p.locator("#daicho-filebook thead th:nth-child(2) button")
    button.focus()
    p.keyboard.press("Enter")
    assert p.locator("#daicho-filebook thead th:nth-child(2)").get_attribute("aria-sort") == "ascending"
    ascending = rows.locator("th").all_inner_texts()
    p.keyboard.press("Enter")
    assert p.locator("#daicho-filebook thead th:nth-child(2)").get_attribute("aria-sort") == "descending"
    assert rows.locator("th").all_inner_texts() == ascending[::-1] and len(ascending) == total
