"""Japanese site search: Pagefind's extended build plus character-bigram tokens.

Measured on the demo pages (see docs/search-design.md): Pagefind matches query words by prefix
against words its dictionary segmenter stored at build time, while the browser splits the query
with ``Intl.Segmenter``. The two disagree (健診 is stored as 健|診 on one page and 健診 on
another; 図書館 is stored as 図書|館 but queried as 図書館), so short kanji terms are missed.

Closing the gap: for every page we index, the Japanese text of its searchable region is also
indexed as overlapping character bigrams (and each run's last character), written as plain
ASCII letters so the dictionary segmenter keeps each one whole. The search page
(``assets/search.js``) turns the query into the same bigram codes, so a query matches exactly
the pages that contain all of its bigrams — substring-like search, independent of any
dictionary. The tokens are added to the copy of the page handed to Pagefind only; the HTML on
disk is unchanged.

``index_site(site_dir)`` runs after MkDocs has written the site and writes ``site_dir/pagefind``.
Only pages that mark their content with ``data-pagefind-body`` are indexed.
"""

from __future__ import annotations

import asyncio
import json
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from pagefind.service import PagefindService

BUNDLE = "pagefind"
BODY_ATTR = "data-pagefind-body"
IGNORE_ATTR = "data-pagefind-ignore"
# The tokens follow this marker in the indexed text; the search page cuts excerpts there.
SENTINEL = "zqzqzq"
PREFIX = "zq"
_LETTERS = "abcdefghijklmnop"  # base-16 digits as letters: a letter-only word is never split
# Hiragana, katakana (with ー), CJK ideographs (BMP, extension A, compatibility, supplementary
# planes) and 々〆〇: the scripts written without spaces between words.
JAPANESE = re.compile(
    "[\u3005\u3006\u3007\u3041-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0003134f]+")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}
# Elements Pagefind itself leaves out of the index.
_SKIP = {"script", "style", "template", "noscript", "form", "select", "option", "button", "svg", "nav"}


class SearchIndexError(RuntimeError):
    pass


@dataclass
class Stats:
    pages: int
    tokens: int


def normalize(text: str) -> str:
    """The normalisation the search page applies to queries (NFKC, lower case)."""
    return unicodedata.normalize("NFKC", text).lower()


@cache
def _code(ch: str) -> str:
    n = ord(ch)
    return "".join(_LETTERS[(n >> shift) & 0xF] for shift in (16, 12, 8, 4, 0))


def tokens(text: str) -> Iterator[str]:
    """Bigram codes of every Japanese run in ``text``, plus each run's last character alone
    (so a one-character query, which the page turns into a prefix, also finds run ends)."""
    for run in JAPANESE.findall(normalize(text)):
        for a, b in zip(run, run[1:], strict=False):
            yield PREFIX + _code(a) + _code(b)
        yield PREFIX + _code(run[-1])


def query_terms(query: str) -> str:
    """The terms the search page sends to Pagefind for ``query`` (Python twin of search.js,
    used by tests and benchmarks to check both sides agree)."""
    out = []
    for word in normalize(query).split():
        pos = 0
        for m in JAPANESE.finditer(word):
            if m.start() > pos:
                out.append(word[pos:m.start()])
            run = m.group()
            if len(run) == 1:
                out.append(PREFIX + _code(run))
            else:
                out.extend(PREFIX + _code(a) + _code(b) for a, b in zip(run, run[1:], strict=False))
            pos = m.end()
        if pos < len(word):
            out.append(word[pos:])
    return " ".join(t for t in out if t)


class _Region(HTMLParser):
    """Finds the ``data-pagefind-body`` element: its source span, its title and its text
    (without ``data-pagefind-ignore`` subtrees, scripts and styles)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # open elements inside the body element (0 = not inside)
        self.start: tuple[int, int] | None = None
        self.end: tuple[int, int] | None = None
        self.skip_depth = 0
        self.title: list[str] = []
        self.in_h1 = False
        self.h1_done = False
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {k for k, _ in attrs}
        if self.end is not None:
            return
        if not self.depth:
            if BODY_ATTR in names:
                self.start = self.getpos()
                self.depth = 1
            return
        if tag in _VOID:
            return
        self.depth += 1
        if self.skip_depth:
            self.skip_depth += 1
        elif IGNORE_ATTR in names or tag in _SKIP:
            self.skip_depth = 1
        elif tag == "h1" and not self.h1_done:
            self.in_h1 = True

    def handle_endtag(self, tag: str) -> None:
        if not self.depth or self.end is not None or tag in _VOID:
            return
        self.depth -= 1
        if self.skip_depth:
            self.skip_depth -= 1
        if tag == "h1" and self.in_h1:
            self.in_h1, self.h1_done = False, True
        if self.depth == 0:
            self.end = self.getpos()

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip_depth and self.end is None:
            (self.title if self.in_h1 else self.text).append(data)


def _offsets(text: str) -> list[int]:
    """Start offset of every line (html.parser reports positions as line and column)."""
    starts = [0]
    index = text.find("\n")
    while index >= 0:
        starts.append(index + 1)
        index = text.find("\n", index + 1)
    return starts


def prepare(html: str) -> str | None:
    """The copy of a page that Pagefind indexes: the searchable element alone, with the bigram
    tokens appended inside it (title tokens weighted like a heading). None if not searchable."""
    marker = html.find(BODY_ATTR)
    if marker < 0:
        return None
    html = html[html.rfind("<", 0, marker):]  # skip the theme's header and navigation
    region = _Region()
    region.feed(html)
    region.close()
    if region.start is None or region.end is None:
        return None
    lines = _offsets(html)
    start = lines[region.start[0] - 1] + region.start[1]
    end = lines[region.end[0] - 1] + region.end[1]  # the start of the element's closing tag
    close = html[end:html.index(">", end) + 1]
    title = " ".join(tokens("".join(region.title)))
    body = " ".join(tokens("".join(region.text)))
    block = (f'<div><p>{SENTINEL}</p><p data-pagefind-weight="5">{title}</p>'
             f'<p data-pagefind-weight="1">{body}</p></div>')
    return f'<!DOCTYPE html><html lang="ja"><body>{html[start:end]}{block}{close}</body></html>'


async def _write_index(source: Path, output: Path) -> None:
    """Index ``source`` and write the bundle to ``output`` through Pagefind's Python API.

    The service answers WriteFiles before its background file writes have finished, and both
    ways of stopping it (``PagefindIndex.__aexit__`` terminates it; closing stdin makes it exit)
    can cut those writes short — measured: an empty pagefind-entry.json in about one build out
    of five. So the service is kept alive until every file of the bundle is non-empty, the entry
    file parses and nothing changes between two looks; only then is it told to stop."""
    service = await PagefindService().launch()
    backend = service._backend  # pinned pagefind 1.5.2: the service subprocess
    try:
        index = await service.create_index({"force_language": "ja", "keep_index_url": True})
        await index.add_directory(str(source))
        await index.write_files(str(output))
        await _settled(output)
    finally:
        if backend.stdin is not None:
            backend.stdin.close()  # the service exits on end of input
        try:
            await asyncio.wait_for(backend.wait(), timeout=60)
        finally:
            service._poll_task.cancel()
            if backend.returncode is None:
                backend.kill()
    _check_entry(output)


def _snapshot(output: Path) -> dict[str, int]:
    return {p.as_posix(): p.stat().st_size for p in output.rglob("*") if p.is_file()}


def _check_entry(output: Path) -> None:
    entry = output / "pagefind-entry.json"
    try:
        json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        size = entry.stat().st_size if entry.exists() else -1
        raise SearchIndexError(f"{entry} が正しく書かれていません（{type(exc).__name__}、{size} バイト）") from None


async def _settled(output: Path, timeout: float = 120) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    before: dict[str, int] = {}
    while loop.time() < deadline:
        now = _snapshot(output)
        if now and now == before and all(now.values()):
            try:
                _check_entry(output)
                return
            except SearchIndexError:
                pass
        before = now
        await asyncio.sleep(0.1)
    _check_entry(output)  # raises with the reason


async def _index(site_dir: Path, staging: Path) -> Stats:
    pages = count = 0
    for path in sorted(site_dir.rglob("*.html")):
        rel = path.relative_to(site_dir)
        if rel.parts[0] == BUNDLE:
            continue
        doc = prepare(path.read_text(encoding="utf-8"))
        if doc is None:
            continue
        # One add_directory call: the Python API answers one request per 0.1 s, so a request per
        # page would cost minutes on a large site.
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(doc, encoding="utf-8")
        pages += 1
        count += doc.count(" " + PREFIX)
    await _write_index(staging, site_dir / BUNDLE)
    return Stats(pages=pages, tokens=count)


def index_site(site_dir: Path) -> Stats:
    try:
        with tempfile.TemporaryDirectory(prefix="daicho-search-") as staging:
            return asyncio.run(_index(site_dir, Path(staging)))
    except Exception as exc:  # the Pagefind service reports failures as plain exceptions
        raise SearchIndexError(f"{type(exc).__name__}: {exc}") from exc
