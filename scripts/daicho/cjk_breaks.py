"""Japanese soft line breaks: a line break next to a wide (CJK) character is removed.

Browsers render a soft line break as a space, which is right between English words and wrong in
Japanese (「請求できます （個人情報…」). Hand-written Markdown pages wrap long Japanese lines, and so
do the HTML templates of generated pages; both go through :func:`join_lines`. Used as the Markdown
extension ``daicho.cjk_breaks`` on both sites and on the public site's generated HTML.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

_BREAK = re.compile(r"[ \t]*\n[ \t]*")
_KEEP = {"pre", "code", "script", "style", "textarea"}
_PRE = re.compile(r"(<(pre|script|style|textarea)\b.*?</\2\s*>)", re.S | re.I)


def _wide(char: str) -> bool:
    return bool(char) and unicodedata.east_asian_width(char) in ("W", "F")


def join_text(text: str) -> str:
    """``text`` with every line break that touches a wide character removed (with its indent)."""
    if "\n" not in text:
        return text

    def join(m: re.Match[str]) -> str:
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        return "" if _wide(before) or _wide(after) else m.group(0)

    return _BREAK.sub(join, text)


def join_lines(html: str) -> str:
    """The same for an HTML fragment, leaving ``<pre>``, scripts and styles as they are."""
    parts = _PRE.split(html)
    out = []
    skip = 0
    for part in parts:
        if skip:  # the tag name captured by the inner group
            skip -= 1
            continue
        if _PRE.fullmatch(part):
            out.append(part)
            skip = 1
        else:
            out.append(join_text(part))
    return "".join(out)


class _Joiner(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        self._walk(root)

    def _walk(self, element: ET.Element) -> None:
        for child in element:
            if child.tail:
                child.tail = join_text(child.tail)
            if child.tag in _KEEP:
                continue
            if child.text:
                child.text = join_text(child.text)
            self._walk(child)


class CjkBreaksExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's API
        # After inline parsing (priority 20), so soft breaks inside emphasis and links are seen.
        md.treeprocessors.register(_Joiner(md), "daicho_cjk_breaks", 5)


def makeExtension(**kwargs: object) -> CjkBreaksExtension:  # noqa: N802 - Python-Markdown's API
    return CjkBreaksExtension(**kwargs)
