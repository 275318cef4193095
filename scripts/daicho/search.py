"""Japanese site search: a static index of character bigrams, split into small files.

Measured (docs/search-design.md): a dictionary segmenter and the browser's ``Intl.Segmenter``
cut Japanese differently (健診 stored as 健|診 on one page and 健診 on another; 図書館 stored as
図書|館 but queried as 図書館), so word indexes miss short kanji terms. Indexing every
character bigram (and every character) of the Japanese text instead makes a query match exactly
the pages that contain all of its bigrams: substring-like search, independent of any dictionary.
Other words (VPN, ISO, ids such as C-2024-D8103-001) are indexed with every prefix, so a
partly typed word matches too.

The index is built in Python and read by the search page (``assets/search.js``, which ranks
and filters) with plain ``fetch``:

- ``search-index/meta.json``: the number of shard files, which terms have a file of their own,
  the ranking weights, synonyms and searchable fields (``schemas/search.yaml``), each facet's
  values and the mean page length;
- ``search-index/pages.json``: one character per page for its length and for each facet, so
  counts and filters need no page file;
- ``search-index/t/<n>.json``: ``{term: "…"}``, for each page the delta of its number and its
  weight, each coded as a character (``code_number``), or for a term on most pages one
  character per page (``_encoded``), each term in the shard its FNV-1a hash picks; a term found on many pages gets its
  own file ``search-index/t/x<n>.json``, so a query loads only the postings of its own terms;
- ``search-index/p/<page>.json``: a page's address, title and sections (heading, original text)
  for the result and its snippet.

A weight is twice the term's occurrences on the page (up to ``CAP``), plus one when the term
is in the page's title. Besides the text terms a page is indexed under ``#<id>`` for each
value of its ``data-search-id`` attribute (record id, 整理番号) and under ``@<field>:<term>``
for the text of elements marked ``data-search-field`` with a field listed in search.yaml.

Only pages that mark their content with ``data-search-body`` are indexed; subtrees marked
``data-search-ignore`` (and scripts, styles, forms, navigation, table captions that repeat a
heading) are left out. A page's title is its first ``h1`` inside that element, else the value
of a ``data-search-title`` attribute, else its ``<title>``; ``h2``/``h3`` start a section.
Facet values come from the JSON in ``data-search-facets`` (a value may be ``[label, sort key]``).
"""

from __future__ import annotations

import json
import math
import multiprocessing
import os
import re
import shutil
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape
from itertools import repeat
from operator import add, sub
from pathlib import Path
from typing import Any

import yaml

BUNDLE = "search-index"
BODY_ATTR = "data-search-body"
IGNORE_ATTR = "data-search-ignore"
TITLE_ATTR = "data-search-title"
ID_ATTR = "data-search-id"
FIELD_ATTR = "data-search-field"
FACETS_ATTR = "data-search-facets"
CONFIG = "search.yaml"
FORMAT = 3  # 3: postings as strings of coded characters
CAP = 254  # the largest weight stored (even: the low bit is the title flag)
MAX_PREFIX = 20  # words are indexed by their prefixes up to this length
SHARD_BYTES = 8_000  # aim for shard files about this size (a query fetches one per term)
OWN_FILE_BYTES = 4_000  # a term whose postings are larger gets a file of its own
WIDE = 0x8000  # numbers below this are one character in the index (code_char)
DENSE = "!"  # leads a term's postings written one character per page (_encoded)
LENGTH_STEPS = 4  # page lengths are stored as round(log2(length) * LENGTH_STEPS)
# Hiragana, katakana (with ー), CJK ideographs (BMP, extension A, compatibility, supplementary
# planes) and 々〆〇: the scripts written without spaces between words.
JAPANESE = re.compile(
    "[\u3005\u3006\u3007\u3041-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0003134f]+")
_WORD = re.compile(r"[^\W_]+")
_KANA = {c: c + 0x60 for c in range(0x3041, 0x3097)} | {0x309D: 0x30FD, 0x309E: 0x30FE}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}
# Elements whose text is not page content.
_SKIP = {"script", "style", "template", "noscript", "form", "select", "option", "button", "svg", "nav",
         "caption"}
# Block-level elements: their text is separated by a space, so words of adjacent cells or
# paragraphs do not run together.
_BLOCK = {"p", "div", "li", "td", "th", "tr", "table", "caption", "h1", "h2", "h3", "h4", "h5", "h6",
          "dt", "dd", "dl", "ul", "ol", "section", "article", "header", "footer", "figure",
          "figcaption", "blockquote", "pre", "br", "hr"}
_SECTION = {"h2", "h3"}
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)


class SearchIndexError(RuntimeError):
    pass


@dataclass
class Stats:
    pages: int
    terms: int


def normalize(text: str) -> str:
    """The normalisation applied to page text and queries alike: NFKC (full-width letters and
    digits, half-width kana), lower case, hiragana as katakana."""
    return unicodedata.normalize("NFKC", text).lower().translate(_KANA)


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
    character bigram, and each prefix of every other word (the terms ``_split`` gives, counted
    in a few C-level passes over the whole text: this runs over every page of the site)."""
    text = normalize(text)
    runs = "\n".join(JAPANESE.findall(text))  # no term holds "\n": what spans a join is dropped
    counts = Counter(runs)
    counts.update(_bigrams(runs))
    for term in [t for t in counts if "\n" in t]:
        del counts[term]
    counts.update(word[:k] for word in _WORD.findall(JAPANESE.sub(" ", text))
                  for k in range(1, min(len(word), MAX_PREFIX) + 1))
    return counts


def _covering_bigrams(run: str) -> list[str]:
    """Bigrams that between them cover every character of ``run``: every other one, and the
    last. A page with the run has each of them, so no page is lost, and a long word fetches
    half the term files (each common bigram's is large at 20,000 records)."""
    starts = [*range(0, len(run) - 1, 2)]
    if starts[-1] != len(run) - 2:
        starts.append(len(run) - 2)
    return [run[i:i + 2] for i in starts]


def query_terms(query: str) -> list[str]:
    """The terms a page must have to match ``query`` (the Python twin of search.js): the
    covering bigrams of each Japanese run (the character itself for a one-character run) and
    each other word (cut to the longest prefix indexed)."""
    out: list[str] = []
    for japanese, run in _split(query):
        if japanese:
            out.extend([run] if len(run) == 1 else _covering_bigrams(run))
        else:
            out.append(run[:MAX_PREFIX])
    return list(dict.fromkeys(out))


def id_term(value: str) -> str:
    return "#" + normalize(value).strip()


def field_term(name: str, term: str) -> str:
    return f"@{name}:{term}"


def _squash(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Page:
    url: str  # relative to the site root
    title: str
    sections: list[tuple[str, str]]  # (heading, original text); the first heading may be ""
    ids: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    facets: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return " ".join(f"{h} {t}" for h, t in self.sections)


# One token of HTML: a comment, a start or end tag (name, attributes), a declaration, or text.
_TOKEN = re.compile(r"<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>|<[!?][^>]*>|([^<]+)|<",
                    re.S)
_ATTR = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?""")
_RAW_TEXT = {"script", "style"}  # their content is not HTML: skipped up to the end tag


def _attrs(text: str) -> dict[str, str]:
    return {m.group(1).lower(): unescape(next((g for g in m.groups()[1:] if g is not None), ""))
            for m in _ATTR.finditer(text)}


class _Region:
    """The ``data-search-body`` element: its title, sections, ids, fields and facets (without
    ignored subtrees, scripts and styles). A tokenizer of one regular expression: this runs
    over every page of a 20,000-record site, several times faster than ``html.parser``."""

    def __init__(self) -> None:
        self.depth = 0  # open elements inside the body element (0 = not inside)
        self.found = False
        self.skip_depth = 0
        self.h1: list[str] = []
        self.in_h1 = False
        self.h1_done = False
        self.title_attr: str | None = None
        self.ids: list[str] = []
        self.facets: dict[str, Any] = {}
        self.sections: list[tuple[list[str], list[str]]] = [([], [])]
        self.heading_depth = 0  # inside an h2/h3 (depth at which it closes)
        self.fields: dict[str, list[str]] = {}
        self.field_stack: list[tuple[int, str]] = []

    def feed(self, html: str, pos: int) -> None:
        match = _TOKEN.match
        while pos < len(html):
            m = match(html, pos)
            if m is None:  # pragma: no cover - the last alternative matches any "<"
                break
            pos = m.end()
            text, name = m.group(4), m.group(2)
            if text is not None:
                self.data(unescape(text))
            elif name is not None:
                tag = name.lower()
                if m.group(1):
                    if self.end(tag):
                        return
                else:
                    attrs = m.group(3)
                    self.start(tag, _attrs(attrs) if "data-search" in attrs or "=" in attrs and not self.depth
                               else {})
                    if tag in _RAW_TEXT:
                        close = html.find("</", pos)
                        while close >= 0 and not html.startswith(tag, close + 2):
                            close = html.find("</", close + 2)
                        if close >= 0:
                            pos = close
                    elif attrs.rstrip().endswith("/") and tag not in _VOID:
                        if self.end(tag):
                            return

    def start(self, tag: str, names: dict[str, str]) -> None:
        if not self.depth:
            if BODY_ATTR in names:
                self.found = True
                self.depth = 1
                self._attrs(names)
            return
        if tag in _BLOCK:
            self.sections[-1][1].append(" ")
        if tag in _VOID:
            return
        self.depth += 1
        if self.skip_depth:
            self.skip_depth += 1
        elif IGNORE_ATTR in names or tag in _SKIP:
            self.skip_depth = 1
        else:
            if names:
                self._attrs(names)
                if names.get(FIELD_ATTR):
                    self.field_stack.append((self.depth, names[FIELD_ATTR]))
                if self.title_attr is None and names.get(TITLE_ATTR):
                    self.title_attr = names[TITLE_ATTR]
            if tag == "h1" and not self.h1_done:
                self.in_h1 = True
            elif tag in _SECTION and not self.heading_depth:
                self.sections.append(([], []))
                self.heading_depth = self.depth

    def _attrs(self, names: dict[str, str]) -> None:
        if names.get(ID_ATTR):
            self.ids.extend(names[ID_ATTR].split())
        if names.get(FACETS_ATTR):
            try:
                self.facets.update(json.loads(names[FACETS_ATTR]))
            except ValueError:
                pass  # a page's own markup; a broken attribute only loses its filters

    def end(self, tag: str) -> bool:
        """Close ``tag``; True once the body element itself has closed."""
        if not self.depth or tag in _VOID:
            return False
        if self.field_stack and self.field_stack[-1][0] == self.depth:
            self.field_stack.pop()
        if self.heading_depth == self.depth:
            self.heading_depth = 0
        self.depth -= 1
        if self.skip_depth:
            self.skip_depth -= 1
        if tag == "h1" and self.in_h1:
            self.in_h1, self.h1_done = False, True
        if tag in _BLOCK:
            self.sections[-1][1].append(" ")
        return self.depth == 0

    def data(self, data: str) -> None:
        if not self.depth or self.skip_depth:
            return
        if self.in_h1:
            self.h1.append(data)
        elif self.heading_depth:
            self.sections[-1][0].append(data)
        else:
            self.sections[-1][1].append(data)
        for _, name in self.field_stack:
            self.fields.setdefault(name, []).append(data)


def page_of(html: str, url: str) -> Page | None:
    """The searchable content of a built page, or None if it has none."""
    marker = html.find(BODY_ATTR)
    if marker < 0:
        return None
    region = _Region()
    region.feed(html, html.rfind("<", 0, marker))  # skip the theme's header and navigation
    if not region.found:
        return None
    title = _squash("".join(region.h1)) or _squash(region.title_attr or "")
    if not title:
        m = _TITLE.search(html, 0, marker)
        title = _squash(unescape(m.group(1)).split(" - ")[0]) if m else url
    sections = [(_squash("".join(h)), _squash("".join(t))) for h, t in region.sections]
    sections = [s for s in sections if s[0] or s[1]]
    return Page(url, title, sections, ids=region.ids, facets=region.facets,
                fields={k: " ".join(v) for k, v in region.fields.items()})


class _Postings:
    """term → page numbers and weights, as compact arrays (a 20,000-record site has tens of
    millions of postings: Python lists of ints would take gigabytes)."""

    def __init__(self, fields: list[str]) -> None:
        self.pages: dict[str, array] = {}
        self.weights: dict[str, array] = {}
        self.fields = fields

    def _put(self, number: int, weighted: Iterator[tuple[str, int]]) -> None:
        """Post page ``number`` under each term with its weight (the loop of the whole index:
        tens of millions of postings at 20,000 records)."""
        pages, weights = self.pages, self.weights
        for term, weight in weighted:
            ids = pages.get(term)
            if ids is None:
                ids = pages[term] = array("I")
                weights[term] = array("B")
            ids.append(number)
            weights[term].append(weight)

    def add(self, number: int, page: Page) -> int:
        """Index ``page``; returns its length (the number of term occurrences)."""
        counts = term_counts(page.title + " " + page.text)
        in_title = term_counts(page.title)
        self._put(number, ((term, min(2 * n, CAP) | (term in in_title)) for term, n in counts.items()))
        self._put(number, ((id_term(value), 2) for value in dict.fromkeys(page.ids)))
        for name in self.fields:
            if page.fields.get(name):
                self._put(number, ((field_term(name, term), min(2 * n, CAP))
                                   for term, n in term_counts(page.fields[name]).items()))
        return sum(counts.values())


def _dump(path: Path, value: object) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def code_char(n: int) -> str:
    """A number below ``WIDE`` as one character of a JSON string: ASCII from "0" (skipping the
    backslash), then from U+0100, below the surrogates (search.js decodes the same way)."""
    if not 0 <= n < WIDE:
        raise ValueError(n)
    c = 0x30 + n
    if c >= 0x5C:
        c += 1
    return chr(c if c < 0x7F else 0x100 + c - 0x7F)


def _facet_tables(facets: list[dict[str, Any]], names: list[str]) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Each facet's values (in order) and, per facet, one character per page: 0 for none,
    else 1 + the value's position."""
    values: dict[str, dict[str, Any]] = {name: {} for name in names}
    for page in facets:
        for name, raw in page.items():
            label, key = (raw if isinstance(raw, list) else (raw, raw))
            if name in values and label:
                values[name][str(label)] = key
    ordered = {name: sorted(v, key=lambda label, v=v: (str(v[label]), label))
               for name, v in values.items() if v}
    for name, labels in ordered.items():
        if name == "年度":  # newest first
            labels.reverse()
    columns = {}
    for name, labels in ordered.items():
        where = {label: i + 1 for i, label in enumerate(labels)}
        columns[name] = "".join(code_char(where.get(_label(page.get(name)), 0)) for page in facets)
    return ordered, columns


def _label(raw: Any) -> str:
    return "" if raw is None else str(raw[0] if isinstance(raw, list) else raw)


@dataclass
class Config:
    """``schemas/search.yaml``: weights, synonyms, searchable fields, facet order."""

    rank: dict[str, float]
    synonyms: list[list[str]]
    fields: list[str]
    facets: list[str]

    @classmethod
    def load(cls, schema_dir: Path | None) -> Config:
        data: dict[str, Any] = {}
        path = schema_dir / CONFIG if schema_dir else None
        if path and path.is_file():
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
                raise SearchIndexError(f"{path.name} を読めません: {type(exc).__name__}") from exc
        rank = {"ID一致": 1e6, "題名一致": 1e3, "k1": 1.2, "b": 0.75} | (data.get("並び順") or {})
        return cls(rank={"id": rank["ID一致"], "title": rank["題名一致"], "k1": rank["k1"], "b": rank["b"]},
                   synonyms=[[normalize(str(w)) for w in group] for group in data.get("同義語") or []],
                   fields=[str(f) for f in data.get("項目で検索") or []],
                   facets=[str(f) for f in data.get("絞り込み") or ["種別", "実施機関", "所管課", "年度"]])


def code_number(n: int) -> str:
    """A page number as characters of a JSON string: one (``code_char``) below ``WIDE``, else a
    character of the Private Use Area (U+E000–U+F8FF) for the high part before it (search.js
    decodes the same way): up to about 200 million pages."""
    if n < WIDE:
        return code_char(n)
    if n // WIDE > 0xF8FF - 0xE000:
        raise ValueError(n)
    return chr(0xE000 + n // WIDE) + code_char(n % WIDE)


_CHARS = [code_char(n) for n in range(WIDE)]


def _encoded(ids: array, weights: array) -> str:
    """A term's postings as one string, in the shorter of two forms (search.js reads both):
    for each page, its number's delta from the one before and its weight, each one character
    (``code_number``); or, for a term on most pages, ``DENSE``, the first page's number, then
    one character per page up to the last, its weight or 0 where the term is not (a weight is
    at least 2). A term on every page takes 1 byte a page, a JSON list of numbers 5."""
    values: list[int] = [0] * (2 * len(ids))
    values[0::2] = [ids[0], *map(sub, ids[1:], ids[:-1])]
    values[1::2] = weights.tolist()
    try:
        sparse = "".join(map(_CHARS.__getitem__, values))  # C-level: tens of millions of postings
    except IndexError:  # a gap of WIDE pages or more (a site of tens of thousands of pages)
        sparse = "".join(map(code_number, values))
    span = ids[-1] - ids[0] + 1
    if span >= len(sparse):  # the dense form is longer, whatever the weights
        return sparse
    chars = [_CHARS[0]] * span
    first = ids[0]
    list(map(chars.__setitem__, map(sub, ids, repeat(first)), map(_CHARS.__getitem__, weights)))
    dense = DENSE + code_number(first) + "".join(chars)
    return dense if len(dense.encode()) < len(sparse.encode()) else sparse


@dataclass
class _Batch:
    """What indexing a run of consecutive pages gives (in a worker process or in-line)."""

    count: int
    postings: dict[str, tuple[bytes, bytes]]  # term → page numbers ("I") and weights ("B")
    lengths: list[int]  # per page number; 0 where the page had no searchable content
    facets: list[dict[str, Any]]
    fields: set[str]


def _index_batch(first: int, items: list[tuple[str, str]], out: Path, fields: list[str]) -> _Batch:
    """Index pages ``first``, ``first + 1``, … and write their page files."""
    postings = _Postings(fields)
    lengths, facets, names = [], [], set()
    for number, (url, html) in enumerate(items, start=first):
        page = page_of(html, url)
        if page is None:  # the marker was text, not an attribute: the number stays unused
            lengths.append(0)
            facets.append({})
            continue
        lengths.append(postings.add(number, page))
        facets.append(page.facets)
        names.update(page.fields)
        _dump(out / "p" / f"{number}.json", {"u": page.url, "t": page.title, "s": page.sections})
    return _Batch(len(items), {t: (postings.pages[t].tobytes(), postings.weights[t].tobytes()) for t in postings.pages},
                  lengths, facets, names)


class _Ready:
    """An in-line batch with the interface of a pool's AsyncResult."""

    def __init__(self, batch: _Batch) -> None:
        self.batch = batch

    def get(self) -> _Batch:
        return self.batch


class Indexer:
    """Builds the index from pages handed to it one by one (``add``) while the site is still
    being rendered: pages are parsed and counted in batches by worker processes, so on a
    machine with two cores the index is built beside the rendering rather than after it.
    ``finish`` merges the batches (in page order) and writes the term files."""

    def __init__(self, out: Path, config: Config, *, workers: int | None = None, batch: int = 200) -> None:
        self.out, self.config, self.batch = out, config, batch
        self.workers = max(0, (os.cpu_count() or 1) - 1) if workers is None else workers
        self._items: list[tuple[str, str]] = []
        self._next = 0
        self._pending: list[Any] = []
        self._pool: Any = None
        self._started = False

    def add(self, url: str, html: str) -> None:
        """One built page (``url`` relative to the site root); pages without a searchable
        element are skipped."""
        if BODY_ATTR not in html:
            return
        self._start()
        self._items.append((url, html))
        if len(self._items) >= self.batch:
            self._submit()

    def _start(self) -> None:
        if not self._started:
            if self.out.exists():
                shutil.rmtree(self.out)
            (self.out / "t").mkdir(parents=True)
            (self.out / "p").mkdir()
            self._started = True

    def _submit(self) -> None:
        items, self._items = self._items, []
        args = (self._next, items, self.out, self.config.fields)
        self._next += len(items)
        if self.workers and (self._pool is not None or self._next > self.batch):
            if self._pool is None:  # only a site of more than one batch is worth the processes
                self._pool = multiprocessing.get_context("fork").Pool(self.workers)
            self._pending.append(self._pool.apply_async(_index_batch, args))
        else:
            self._pending.append(_Ready(_index_batch(*args)))

    def close(self) -> None:
        """Stop the worker processes (after an error, or once finished)."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool = None

    def finish(self) -> Stats:
        """Merge the batches and write the index; the worker processes end."""
        try:
            self._start()
            if self._items:
                self._submit()
            try:
                batches = [p.get() for p in self._pending]
            except Exception as exc:  # a worker's error, re-raised here with its type
                raise SearchIndexError(f"{type(exc).__name__}: {exc}") from exc
        finally:
            self.close()
        return self._write(batches)

    def _write(self, batches: list[_Batch]) -> Stats:
        pages: dict[str, array] = {}
        weights: dict[str, array] = {}
        lengths: list[int] = []
        facets: list[dict[str, Any]] = []
        names: set[str] = set()
        for b in batches:  # in page order, so each term's page numbers stay ascending
            for term, (ids, ws) in b.postings.items():
                if term not in pages:
                    pages[term], weights[term] = array("I"), array("B")
                pages[term].frombytes(ids)
                weights[term].frombytes(ws)
            lengths += b.lengths
            facets += b.facets
            names |= b.fields
        coded = {term: _encoded(pages[term], weights[term]) for term in sorted(pages)}
        del pages, weights
        sizes = {term: len(text.encode()) for term, text in coded.items()}
        own = sorted(term for term, size in sizes.items() if size > OWN_FILE_BYTES)
        shared = sum(size for size in sizes.values() if size <= OWN_FILE_BYTES)
        shards = max(1, -(-shared // SHARD_BYTES))
        groups: list[dict[str, str]] = [{} for _ in range(shards)]
        for term, text in coded.items():
            if sizes[term] <= OWN_FILE_BYTES:
                groups[shard_of(term, shards)][term] = text
        for n, group in enumerate(groups):
            _dump(self.out / "t" / f"{n}.json", group)
        for n, term in enumerate(own):
            _dump(self.out / "t" / f"x{n}.json", {term: coded[term]})
        ordered, columns = _facet_tables(facets, self.config.facets)
        steps = "".join(code_char(round(math.log2(max(n, 1)) * LENGTH_STEPS)) for n in lengths)
        _dump(self.out / "pages.json", {"n": steps, "f": columns})
        found = [n for n in lengths if n]
        _dump(self.out / "meta.json", {
            "format": FORMAT, "pages": len(lengths), "shards": shards,
            "own": {term: n for n, term in enumerate(own)},
            "rank": self.config.rank, "synonyms": self.config.synonyms,
            "fields": [f for f in self.config.fields if f in names],
            "facets": ordered, "lengthSteps": LENGTH_STEPS,
            "avgdl": sum(found) / len(found) if found else 1})
        return Stats(pages=len(found), terms=len(coded))


def index_site(site_dir: Path, schema_dir: Path | None = None, *, workers: int | None = None) -> Stats:
    """Index every searchable page under ``site_dir`` into ``site_dir/search-index`` (after a
    build; the intranet build indexes its pages while it renders them, see ``Indexer``)."""
    indexer = Indexer(site_dir / BUNDLE, Config.load(schema_dir), workers=workers)
    try:
        for path in sorted(site_dir.rglob("*.html")):
            rel = path.relative_to(site_dir)
            if rel.parts[0] != BUNDLE:
                indexer.add(rel.as_posix(), path.read_text(encoding="utf-8"))
        return indexer.finish()
    except (OSError, UnicodeDecodeError) as exc:
        raise SearchIndexError(f"{type(exc).__name__}: {exc}") from exc
    finally:
        indexer.close()
