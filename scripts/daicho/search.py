"""Japanese site search: a static index of character bigrams, split into small files.

Measured (docs/search-design.md): a dictionary segmenter and the browser's ``Intl.Segmenter``
cut Japanese differently (健診 stored as 健|診 on one page and 健診 on another; 図書館 stored as
図書|館 but queried as 図書館), so word indexes miss short kanji terms. Indexing every
character bigram (and every character) of the Japanese text instead makes a query match exactly
the pages that contain all of its bigrams: substring-like search, independent of any dictionary.
Other words (VPN, ISO, ids such as C-2024-D8103-001) are indexed with every prefix, so a
partly typed word matches too.

Pagefind, which did this before with the bigrams as extra words, could not reach the targets of
a 20,000-record 台帳 (issue 8): about 0.7 MB of build memory per page and over a second for a
query that matches thousands of pages. This index is built in Python and read by the search
page (``assets/search.js``) with plain ``fetch``:

- ``search-index/meta.json``: the number of shard files, and which terms have a file of their own;
- ``search-index/t/<n>.json``: ``{term: [page, weight, page, weight, …]}``, page numbers delta-coded,
  each term in the shard its FNV-1a hash picks; a term found on many pages gets its own file
  ``search-index/t/x<n>.json``, so a query loads only the postings of its own terms;
- ``search-index/p/<page>.json``: a page's address, title and text (for the result and its excerpt).

Weights count a term's occurrences on the page, five for each in the title, up to ``CAP``.
Only pages that mark their content with ``data-search-body`` are indexed; subtrees marked
``data-search-ignore`` (and scripts, styles, forms, navigation) are left out. A page's title
is its first ``h1`` inside that element, else the value of a ``data-search-title`` attribute,
else its ``<title>``. ``index_site(site_dir)`` runs after MkDocs has written the site.
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from operator import add
from pathlib import Path

BUNDLE = "search-index"
BODY_ATTR = "data-search-body"
IGNORE_ATTR = "data-search-ignore"
TITLE_ATTR = "data-search-title"
FORMAT = 1
CAP = 255  # the largest weight stored
TITLE_WEIGHT = 5
MAX_PREFIX = 20  # words are indexed by their prefixes up to this length
SHARD_BYTES = 48_000  # aim for shard files about this size
OWN_FILE_BYTES = 8_000  # a term whose postings are larger gets a file of its own
# Hiragana, katakana (with ー), CJK ideographs (BMP, extension A, compatibility, supplementary
# planes) and 々〆〇: the scripts written without spaces between words.
JAPANESE = re.compile(
    "[\u3005\u3006\u3007\u3041-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0003134f]+")
_WORD = re.compile(r"[^\W_]+")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}
# Elements whose text is not page content.
_SKIP = {"script", "style", "template", "noscript", "form", "select", "option", "button", "svg", "nav"}
# Block-level elements: their text is separated by a space, so words of adjacent cells or
# paragraphs do not run together.
_BLOCK = {"p", "div", "li", "td", "th", "tr", "table", "caption", "h1", "h2", "h3", "h4", "h5", "h6",
          "dt", "dd", "dl", "ul", "ol", "section", "article", "header", "footer", "figure",
          "figcaption", "blockquote", "pre", "br", "hr"}
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)


class SearchIndexError(RuntimeError):
    pass


@dataclass
class Stats:
    pages: int
    terms: int


def normalize(text: str) -> str:
    """The normalisation applied to page text and queries alike (NFKC, lower case)."""
    return unicodedata.normalize("NFKC", text).lower()


def shard_of(term: str, shards: int) -> int:
    """FNV-1a (32 bit) over the term's code points, modulo ``shards``: search.js computes the same."""
    h = 0x811C9DC5
    for ch in term:
        h = ((h ^ ord(ch)) * 0x01000193) & 0xFFFFFFFF
    return h % shards


def _split(text: str) -> Iterator[tuple[bool, str]]:
    """The normalised text as (is Japanese, run) pieces; other pieces are words."""
    text = normalize(text)
    pos = 0
    for m in JAPANESE.finditer(text):
        for word in _WORD.findall(text, pos, m.start()):
            yield False, word
        yield True, m.group()
        pos = m.end()
    for word in _WORD.findall(text, pos):
        yield False, word


def _bigrams(run: str) -> Iterator[str]:
    return map(add, run, run[1:])


def term_counts(text: str) -> Counter[str]:
    """How often ``text`` has each term it is indexed under: each Japanese character and
    character bigram, and each prefix of every other word."""
    counts: Counter[str] = Counter()
    for japanese, run in _split(text):
        if japanese:
            counts.update(run)
            counts.update(_bigrams(run))
        else:
            counts.update(run[:k] for k in range(1, min(len(run), MAX_PREFIX) + 1))
    return counts


def query_terms(query: str) -> list[str]:
    """The terms a page must have to match ``query`` (the Python twin of search.js): the bigrams
    of each Japanese run (the character itself for a one-character run) and each other word
    (cut to the longest prefix indexed)."""
    out: list[str] = []
    for japanese, run in _split(query):
        if japanese:
            out.extend([run] if len(run) == 1 else _bigrams(run))
        else:
            out.append(run[:MAX_PREFIX])
    return list(dict.fromkeys(out))


class _Region(HTMLParser):
    """The ``data-search-body`` element: its title and its text (without ignored subtrees,
    scripts and styles)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # open elements inside the body element (0 = not inside)
        self.found = False
        self.done = False
        self.skip_depth = 0
        self.h1: list[str] = []
        self.in_h1 = False
        self.h1_done = False
        self.title_attr: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        names = dict(attrs)
        if not self.depth:
            if BODY_ATTR in names:
                self.found = True
                self.depth = 1
            return
        if tag in _BLOCK:
            self.text.append(" ")
        if tag in _VOID:
            return
        self.depth += 1
        if self.skip_depth:
            self.skip_depth += 1
        elif IGNORE_ATTR in names or tag in _SKIP:
            self.skip_depth = 1
        else:
            if tag == "h1" and not self.h1_done:
                self.in_h1 = True
            if self.title_attr is None and names.get(TITLE_ATTR):
                self.title_attr = names[TITLE_ATTR]

    def handle_endtag(self, tag: str) -> None:
        if not self.depth or self.done or tag in _VOID:
            return
        self.depth -= 1
        if self.skip_depth:
            self.skip_depth -= 1
        if tag == "h1" and self.in_h1:
            self.in_h1, self.h1_done = False, True
        if tag in _BLOCK:
            self.text.append(" ")
        if self.depth == 0:
            self.done = True

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip_depth and not self.done:
            self.text.append(data)
            if self.in_h1:
                self.h1.append(data)


def _squash(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Page:
    url: str  # relative to the site root
    title: str
    text: str


def page_of(html: str, url: str) -> Page | None:
    """The searchable content of a built page, or None if it has none."""
    marker = html.find(BODY_ATTR)
    if marker < 0:
        return None
    region = _Region()
    start = html.rfind("<", 0, marker)  # skip the theme's header and navigation
    while start < len(html) and not region.done:  # and stop at the element's end
        region.feed(html[start:start + 16384])
        start += 16384
    region.close()
    if not region.found:
        return None
    title = _squash("".join(region.h1)) or _squash(region.title_attr or "")
    if not title:
        m = _TITLE.search(html, 0, marker)
        title = _squash(unescape(m.group(1)).split(" - ")[0]) if m else url
    return Page(url, title, _squash("".join(region.text)))


class _Postings:
    """term → page numbers and weights, as compact arrays (a 20,000-record site has tens of
    millions of postings: Python lists of ints would take gigabytes)."""

    def __init__(self) -> None:
        self.pages: dict[str, array] = {}
        self.weights: dict[str, array] = {}

    def add(self, page: int, title: str, text: str) -> None:
        counts = term_counts(text)
        for term, n in term_counts(title).items():
            counts[term] += (TITLE_WEIGHT - 1) * n  # title text is in the body text too
        for term, n in counts.items():
            ids = self.pages.get(term)
            if ids is None:
                ids = self.pages[term] = array("I")
                self.weights[term] = array("B")
            ids.append(page)
            self.weights[term].append(min(n, CAP))

    def encoded(self, term: str) -> list[int]:
        out, last = [], 0
        for page, weight in zip(self.pages[term], self.weights[term], strict=True):
            out += (page - last, weight)
            last = page
        return out


def _dump(path: Path, value: object) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def build(pages: list[Page], out: Path) -> Stats:
    """Write the index of ``pages`` (numbered in list order) into ``out``."""
    postings = _Postings()
    for number, page in enumerate(pages):
        postings.add(number, page.title, page.text)
    encoded = {term: postings.encoded(term) for term in postings.pages}
    sizes = {term: len(str(v)) for term, v in encoded.items()}  # about the bytes it takes
    own = sorted(term for term, size in sizes.items() if size > OWN_FILE_BYTES)
    shared = sum(size for term, size in sizes.items() if size <= OWN_FILE_BYTES)
    shards = max(1, -(-shared // SHARD_BYTES))
    groups: list[dict[str, list[int]]] = [{} for _ in range(shards)]
    for term in sorted(encoded):
        if sizes[term] <= OWN_FILE_BYTES:
            groups[shard_of(term, shards)][term] = encoded[term]
    if out.exists():
        shutil.rmtree(out)
    (out / "t").mkdir(parents=True)
    (out / "p").mkdir()
    for n, group in enumerate(groups):
        _dump(out / "t" / f"{n}.json", group)
    for n, term in enumerate(own):
        _dump(out / "t" / f"x{n}.json", {term: encoded[term]})
    for number, page in enumerate(pages):
        _dump(out / "p" / f"{number}.json", {"u": page.url, "t": page.title, "x": page.text})
    _dump(out / "meta.json", {"format": FORMAT, "pages": len(pages), "shards": shards,
                              "own": {term: n for n, term in enumerate(own)}})
    return Stats(pages=len(pages), terms=len(encoded))


def index_site(site_dir: Path) -> Stats:
    """Index every searchable page under ``site_dir`` into ``site_dir/search-index``."""
    pages = []
    try:
        for path in sorted(site_dir.rglob("*.html")):
            rel = path.relative_to(site_dir)
            if rel.parts[0] == BUNDLE:
                continue
            page = page_of(path.read_text(encoding="utf-8"), rel.as_posix())
            if page is not None:
                pages.append(page)
        return build(pages, site_dir / BUNDLE)
    except (OSError, UnicodeDecodeError) as exc:
        raise SearchIndexError(f"{type(exc).__name__}: {exc}") from exc
