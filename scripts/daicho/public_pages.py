"""What a hand-written public page (docs-public/) may contain: Markdown, and no raw HTML.

Raw HTML in Markdown reaches the published file as written: ``<div hidden>`` or
``style="display:none"`` hide text from the reader but not from anyone who opens the file,
``<script>`` runs, ``<img src="https://…">`` makes every reader's browser call another server.
So the public build refuses every raw HTML tag and comment — the allow-list `ALLOWED_TAGS` is
empty — by watching the only two ways Python-Markdown lets HTML through (the HTML block
preprocessor and the inline HTML pattern), and every image or link that is not a page or file
of the site or an ordinary web, mail or phone address. Entities (``&amp;``) are text and pass.

`Guard` is a Markdown extension the public plugin adds to every page's conversion; the plugin
reads `Guard.found` after a hand-written page is converted (generated pages are raw HTML by
design, with every record value escaped, and are not checked here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import HtmlInlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS: frozenset[str] = frozenset()  # no raw HTML at all
# Markdown extensions a public page may use: none of them lets a page add HTML attributes
# (attr_list, md_in_html) or pull in other files (pymdownx.snippets).
ALLOWED_EXTENSIONS = frozenset({"toc", "tables", "fenced_code", "abbr", "def_list", "footnotes", "admonition",
                                "sane_lists", "daicho.cjk_breaks"})  # ours: joins Japanese soft line breaks
# Images only from the site itself; links to the site, the web, mail and phone.
LINK_SCHEMES = frozenset({"", "http", "https", "mailto", "tel"})
_TAG = re.compile(r"<\s*/?\s*([A-Za-z][A-Za-z0-9:-]*)")


@dataclass(frozen=True)
class Finding:
    snippet: str  # the source text, to find its line
    what: str  # what is refused, for the message (a tag name, never the content)


def describe(raw: str) -> str:
    if raw.lstrip().startswith("<!"):
        return "HTML コメント・宣言（<!…>）"
    m = _TAG.search(raw)
    return f"HTML タグ <{m.group(1).lower()}>" if m else "HTML"


def _allowed(raw: str) -> bool:
    tag = _TAG.match(raw.lstrip())
    return tag is not None and tag.group(1).lower() in ALLOWED_TAGS


class _Block(Preprocessor):
    """Python-Markdown's HTML block preprocessor, noting every block it stashes as raw HTML."""

    def __init__(self, md: Markdown, inner: Preprocessor, found: list[Finding]) -> None:
        super().__init__(md)
        self.inner, self.found = inner, found

    def run(self, lines: list[str]) -> list[str]:
        before = len(self.md.htmlStash.rawHtmlBlocks)
        out = self.inner.run(lines)
        for raw in self.md.htmlStash.rawHtmlBlocks[before:]:
            text = raw if isinstance(raw, str) else ""
            if not _allowed(text):
                self.found.append(Finding(text.strip().split("\n")[0], describe(text)))
        return out


class _Inline(HtmlInlineProcessor):
    """The inline HTML pattern, noting every tag or comment it lets through."""

    def __init__(self, pattern: str, md: Markdown, found: list[Finding]) -> None:
        super().__init__(pattern, md)
        self.found = found

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[Any, int, int]:  # noqa: N802 - Markdown API
        raw = m.group(1)
        if not _allowed(raw):
            self.found.append(Finding(raw, describe(raw)))
        return super().handleMatch(m, data)


class _Urls(Treeprocessor):
    """Images from outside the site, and links with a scheme that is not for reading (javascript:)."""

    def __init__(self, md: Markdown, found: list[Finding]) -> None:
        super().__init__(md)
        self.found = found

    def run(self, root: Element) -> None:
        for el in root.iter():
            if el.tag == "img":
                src = el.get("src", "")
                parts = urlsplit(src)
                if parts.scheme or parts.netloc:
                    self.found.append(Finding(src, "サイトの外の画像（画像はサイトの中のファイルだけ）"))
            elif el.tag == "a":
                href = el.get("href", "")
                if urlsplit(href).scheme.lower() not in LINK_SCHEMES:
                    self.found.append(Finding(href, "使えない種類のリンク（http・https・mailto・tel とサイト内だけ）"))


class Guard(Extension):
    """Notes, in `found`, everything raw or external in the pages it converts."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[Finding] = []

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown API
        block = md.preprocessors["html_block"]
        md.preprocessors.register(_Block(md, block, self.found), "html_block", 20)
        inline = md.inlinePatterns["html"]
        md.inlinePatterns.register(_Inline(inline.pattern, md, self.found), "html", 90)
        md.treeprocessors.register(_Urls(md, self.found), "daicho_public_urls", 0)


def line_of(source: str, snippet: str) -> int:
    """The line of ``snippet`` in the page's Markdown (1 if it cannot be found)."""
    at = source.find(snippet) if snippet else -1
    return source.count("\n", 0, at) + 1 if at >= 0 else 1


def nav_pages(nav: Any) -> set[str]:
    """Every Markdown page the nav lists (``nav`` as mkdocs.yml writes it)."""
    if isinstance(nav, str):
        return {nav} if nav.endswith(".md") else set()
    if isinstance(nav, dict):
        return set().union(*(nav_pages(v) for v in nav.values()))
    if isinstance(nav, list):
        return set().union(*(nav_pages(v) for v in nav))
    return set()
