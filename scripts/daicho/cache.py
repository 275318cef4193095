"""Content-hash cache of loaded, schema-valid records, in ``.daicho-cache/`` beside ``records/``.

A pre-commit run changes a file or two of thousands; this keeps the others from being parsed
and schema-checked again. What is stored, per file that loaded and passed its schema: the data
and the position of every value and key. The key is a hash of the record type and the file's
bytes; the cache file is named after a fingerprint of everything else that decides the outcome
(schema and form files, the loading and checking code, Python and library versions). So an
entry is only ever used for exactly the input it was made from: a changed file gets a new key,
a changed schema or code a new cache file.

What keeps it from changing a result:
- a file with problems is stored only as its list of issues (at most the error limit of the
  settings, which is part of the entry), in the stat index under the same key; it is read and
  hashed on every run (it is not in the stat part of the index), so any edit is checked afresh,
  and an unchanged one is not parsed or schema-checked again (a large wrong file cost seconds
  on every run);
- cross-record rules (lint) always run on the whole set (on summaries, the same issues:
  tests/test_lint_summary.py);
- the cache file's name also hashes a random key kept in the repository's ``.git`` folder
  (which no commit, clone or pull can write), so a cache file someone committed to the
  repository is never read; every entry carries a checksum, so one that is corrupt or
  truncated is ignored and its file checked again.

Reading and hashing 20,000 files is a third of a warm run, so beside the entries there is a
stat index, as git keeps one: per file, its size, modification and change times (nanoseconds)
and inode when it was cached, the entry's key, and the record's summary: the few fields the
cross-record rules read (x-daicho ``reads`` in the schemas). A file whose stat is unchanged is
not read again; ``daicho validate`` checks it by its summary and never decodes its entry (a tenth of the bytes,
and half of a warm run at 20,000 records). Any write to a file changes its change time
(ctime), which no tool can set back, so a changed file is always read; a file written within
two seconds of being indexed is not indexed ("racily clean", as git calls it: a later write in
the same clock tick could leave its times unchanged) and is read again next time.

The loader sees two calls (:func:`for_repository` gives a cache, or :class:`NoCache` when there is none):
``lookup`` answers a file with its cached Document, or with a :class:`Pending` holding the bytes
to parse and check; ``add`` stores a Pending that passed; ``save`` writes it all at the end.

The cache is used inside a git work tree only (elsewhere nothing is written), and never with
``DAICHO_NO_CACHE=1``. Deleting ``.daicho-cache/`` is always safe.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from itertools import chain
from pathlib import Path
from typing import Any

import orjson
import yaml

from daicho import __version__, yamlio

DIR = ".daicho-cache"
FORMAT = 3  # 3: issues of wrong files in the stat index
# The modules whose code decides how a file becomes a schema-valid Document.
_HERE = Path(__file__).resolve().parent
# lint.py too: its rules decide what they read.
CODE_FILES = [_HERE / name for name in ("yamlio.py", "schemas.py", "forms.py", "repository.py", "cache.py", "lint.py",
                                            "invisible.py", "withholding.py")]
_LIBRARIES = ("PyYAML", "jsonschema", "jsonschema-rs", "referencing", "orjson")
# Rewrite the cache file without stale entries once they outnumber the live ones this much.
_COMPACT_RATIO = 2
_COMPACT_MIN = 200
# A file modified this recently when it is indexed may change again without a visible stat change.
RACY_NS = 2_000_000_000


def enabled() -> bool:
    return os.environ.get("DAICHO_NO_CACHE", "") not in ("1", "true", "yes")


def _library_versions() -> str:
    out = []
    for name in _LIBRARIES:
        try:
            out.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name}=-")
    return ",".join(out)


def fingerprint(schema_dir: Path) -> str:
    """Hash of the schemas, forms, code and versions that decide what an entry holds."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{FORMAT}|{__version__}|{sys.version}|{yaml.__version__}|{yamlio._Loader.__name__}|"
             f"{_library_versions()}".encode())
    for path in CODE_FILES:
        h.update(b"\0code\0" + path.name.encode() + b"\0" + path.read_bytes())
    for path in sorted(p for p in schema_dir.rglob("*") if p.is_file() and p.suffix in (".json", ".yaml", ".yml")):
        h.update(b"\0schema\0" + path.relative_to(schema_dir).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def git_dir(root: Path) -> Path | None:
    """The ``.git`` folder of the work tree holding ``root`` (worktrees: the folder it names)."""
    for folder in (root, *root.parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            return dot_git
        if dot_git.is_file():
            try:
                text = dot_git.read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError):
                return None
            if text.startswith("gitdir:"):
                target = Path(text[len("gitdir:"):].strip())
                target = target if target.is_absolute() else folder / target
                return target if target.is_dir() else None
            return None
    return None


def _secret(root: Path) -> bytes | None:
    """This clone's random key, kept in the git folder (which no commit, clone or pull can
    write) and made on first use. None — no cache — outside a git work tree."""
    folder = git_dir(root)
    if folder is None:
        return None
    path = folder / "daicho-cache-key"
    try:
        key = path.read_bytes()
        if len(key) == 32:
            return key
    except OSError:
        pass
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(os.urandom(32))
        key = path.read_bytes()
        return key if len(key) == 32 else None
    except OSError:
        return None


# --- positions as one string ------------------------------------------------------------
# The loader records positions in document order, which is the order of a depth-first walk of
# the data (dicts keep insertion order): every node's position, and every key's, in that order.
# So the two tables' values as numbers, with the data, give both tables back exactly.

def pack_positions(doc: yamlio.Document) -> str:
    nodes = " ".join(map(str, chain.from_iterable(doc.positions.values())))
    keys = " ".join(map(str, chain.from_iterable(doc.key_positions.values())))
    return f"{nodes}|{keys}"


def unpack_positions(data: Any, packed: str) -> tuple[dict, dict]:
    node_part, key_part = packed.split("|")
    node_numbers = iter(map(int, node_part.split()))
    key_numbers = iter(map(int, key_part.split()))
    positions: dict = {}
    keys: dict = {}

    def walk(node: Any, path: yamlio.Path) -> None:
        positions[path] = (next(node_numbers), next(node_numbers))
        if isinstance(node, dict):
            for k, v in node.items():
                child = path + (k,)
                keys[child] = (next(key_numbers), next(key_numbers))
                walk(v, child)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, path + (i,))

    walk(data, ())
    if next(node_numbers, None) is not None or next(key_numbers, None) is not None:
        raise ValueError("positions do not fit the data")
    return positions, keys


class _LazyPositions(yamlio.Document):
    """A Document whose position tables are made only when something asks for one (an issue to
    report), which on a clean run is never."""

    data: dict[str, Any]
    _tables: tuple[dict, dict] | None = None
    _make_tables: Callable[[], tuple[dict, dict]]  # each subclass: how its tables are made

    def _unpack(self) -> tuple[dict, dict]:
        if self._tables is None:
            self._tables = self._make_tables()
        return self._tables

    @property  # type: ignore[override]
    def positions(self) -> dict:
        return self._unpack()[0]

    @property  # type: ignore[override]
    def key_positions(self) -> dict:
        return self._unpack()[1]


class CachedDocument(_LazyPositions):
    """A Document from a cache entry: the data, and the positions packed beside it."""

    def __init__(self, data: dict[str, Any], packed: str) -> None:  # noqa: D107 - no dataclass init
        self.data = data
        self._packed = packed

    def _make_tables(self) -> tuple[dict, dict]:
        return unpack_positions(self.data, self._packed)


class SummaryDocument(_LazyPositions):
    """A record known to be schema-valid from the stat index, holding only its summary: the
    fields the cross-record rules read (x-daicho ``reads`` in the schemas). Enough to check, not to render. An issue
    in it is placed by parsing the file again (it is unchanged since it was indexed)."""

    def __init__(self, summary: dict[str, Any], path: str | Path) -> None:  # noqa: D107
        self.data = summary
        self._path = path

    def _make_tables(self) -> tuple[dict, dict]:
        try:
            doc = yamlio.load_bytes(Path(self._path).read_bytes())
        except (OSError, yamlio.LoadError):  # changed or gone since: the issue stays at 1:1
            return {}, {}
        return doc.positions, doc.key_positions


@dataclass
class Pending:
    """A file the cache had no answer for: its bytes, to be parsed and schema-checked."""

    raw: bytes
    key: bytes = b""                      # its entry's key, to store it under if it passes
    stat: os.stat_result | None = None    # its stat when read, to index it by


Read = Callable[[str | Path], tuple[bytes, os.stat_result]]
Summarise = Callable[[dict[str, Any]], dict[str, Any]]


class NoCache:
    """The cache's interface when there is no cache: every file is read and checked."""

    def lookup(self, rel: str, path: str | Path, rtype: str, *, raw: bytes | None, full: bool,
               read: Read, summarise: Summarise) -> yamlio.Document | Pending:
        return Pending(read(path)[0] if raw is None else raw)

    def add(self, rel: str, pending: Pending, doc: yamlio.Document, summary: dict[str, Any]) -> None:
        pass

    def known_issues(self, pending: Pending, limit: int | None) -> list[tuple] | None:
        return None

    def add_issues(self, pending: Pending, limit: int | None, issues: list[Any]) -> None:
        pass

    def save(self) -> None:
        pass


def for_repository(root: Path, schema_dir: Path) -> Store | NoCache:
    """The cache of ``root`` for the current schemas and code, or NoCache."""
    return Store.open(root, schema_dir) or NoCache()


class Store:
    """One repository's cache for the current fingerprint: two files.

    ``records-<name>.jsonl``: the entries, ``<key> <crc32> <json [data, positions]>`` per line;
    new ones are appended, and the file is rewritten without stale entries when they pile up.
    It is read (on first use) only when whole records are wanted; any entry that fails its check
    is skipped.

    ``records-<name>.stat``: the stat index, ``<crc32>\n<json>``, rewritten whole when it
    changes: per file, ``[size, mtime_ns, ctime_ns, inode, key, summary]``, the issues of the
    contents found wrong (by key, with the error limit they were found with), and the number of
    lines in the jsonl (to know when to compact it without reading it). A damaged index is
    ignored as a whole: every file is read again."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # The jsonl, read on first use: its bytes and {key: (start, end) of the line}.
        self._raw: bytes | None = None
        self._lines: dict[bytes, tuple[int, int]] = {}
        self._used: set[bytes] = set()
        self._new: dict[bytes, bytes] = {}
        # The stat index as read, and as it will be written (only files seen in this run).
        self._index: dict[str, list] = {}
        self._index_now: dict[str, list] = {}
        # Issues of files found wrong: {key: [error limit, [[line, col, code, message, path,
        # severity], …]]}, as read, and for the files seen in this run.
        self._invalid: dict[str, list] = {}
        self._invalid_now: dict[str, list] = {}
        self._reindexed = False
        self._count: int | None = None  # lines in the jsonl, as the index last recorded
        self._read_index()

    @classmethod
    def open(cls, root: Path, schema_dir: Path) -> Store | None:
        """The store for ``root``, or None when the cache is off or cannot be used."""
        if not enabled():
            return None
        secret = _secret(root)
        if secret is None:
            return None
        try:
            name = hashlib.sha256(secret + fingerprint(schema_dir).encode()).hexdigest()[:32]
        except OSError:
            return None
        return cls(root / DIR / f"records-{name}.jsonl")

    # --- the interface the loader uses -----------------------------------------------------

    def lookup(self, rel: str, path: str | Path, rtype: str, *, raw: bytes | None, full: bool,
               read: Read, summarise: Summarise) -> yamlio.Document | Pending:
        """The cached Document of the file ``rel`` (its whole record, or with ``full=False`` the
        summary kept in the stat index), or a Pending with its bytes. ``raw`` stands for the
        file's content when given (nothing is read); ``read`` reads it otherwise."""
        st = None
        if raw is None:
            hit = self.unchanged(rel, path)
            if hit is not None:  # not written to since it was cached (the stat index)
                doc = self._cached(*hit, path, full)
                if doc is not None:
                    self.keep(rel)
                    return doc
            raw, st = read(path)
        key = self.key(rtype, raw)
        doc = self._cached(key, self.summary(rel, key), path, full)
        if doc is None:
            return Pending(raw, key, st)
        if st is not None:  # loaded and schema-valid before, byte for byte
            self.remember(rel, st, key, summarise(doc.data))
        return doc

    def add(self, rel: str, pending: Pending, doc: yamlio.Document, summary: dict[str, Any]) -> None:
        """Keep a file that loaded and passed its schema (``summary``: what the rules read)."""
        self.put(pending.key, doc)
        if pending.stat is not None:
            self.remember(rel, pending.stat, pending.key, summary)

    def known_issues(self, pending: Pending, limit: int | None) -> list[tuple] | None:
        """The issues a file's content was found to have before (same error limit), if any."""
        return self.issues(pending.key, limit)

    def add_issues(self, pending: Pending, limit: int | None, issues: list[Any]) -> None:
        """Keep the issues of a file that failed to load or its schema, so it is not checked
        again while it is unchanged."""
        self.put_issues(pending.key, limit, issues)

    def _cached(self, key: bytes, summary: dict[str, Any] | None, path: str | Path,
                full: bool) -> yamlio.Document | None:
        """The cached document for ``key``: whole, or (checking only) its indexed summary."""
        if full:
            return self.get(key)
        return SummaryDocument(summary, path) if summary is not None else None

    # --- the parts -------------------------------------------------------------------------

    @staticmethod
    def key(rtype: str, raw: bytes) -> bytes:
        h = hashlib.sha256(rtype.encode() + b"\0")
        h.update(raw)  # not concatenated: no copy of every file
        return h.hexdigest()[:32].encode()

    @property
    def stat_path(self) -> Path:
        return self.path.with_suffix(".stat")

    # --- the stat index ---------------------------------------------------------------------

    def _read_index(self) -> None:
        try:
            raw = self.stat_path.read_bytes()
            body = memoryview(raw)[9:]
            if raw[8:9] != b"\n" or raw[:8] != b"%08x" % zlib.crc32(body):
                return
            index = orjson.loads(body)
            files, count, invalid = index["files"], index["lines"], index["invalid"]
        except (OSError, ValueError, TypeError, KeyError):
            return  # missing or damaged: every file is read (and the index rewritten)
        # Past its checksum, the index is as this code wrote it (the fingerprint names the code).
        if isinstance(files, dict) and isinstance(count, int) and isinstance(invalid, dict):
            self._index, self._count, self._invalid = files, count, invalid

    def unchanged(self, rel: str, path: str | Path) -> tuple[bytes, dict[str, Any]] | None:
        """(key, summary) of ``path`` if the file's stat is what it was when indexed."""
        entry = self._index.get(rel)
        if entry is None:
            return None
        try:
            st = os.stat(path)
        except OSError:
            return None
        if [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino] != entry[:4]:
            return None
        return entry[4].encode(), entry[5]

    def summary(self, rel: str, key: bytes) -> dict[str, Any] | None:
        """The indexed summary of ``rel`` if its content is still ``key`` (stat changed, bytes
        not: a ``touch``, a checkout)."""
        entry = self._index.get(rel)
        return entry[5] if entry is not None and entry[4] == key.decode() else None

    def keep(self, rel: str) -> None:
        """Carry the index entry of a file found unchanged into the next index."""
        self._index_now[rel] = self._index[rel]

    def remember(self, rel: str, st: os.stat_result, key: bytes, summary: dict[str, Any]) -> None:
        """Index a file read in this run whose entry (``key``) is in the cache."""
        if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) < RACY_NS:
            return
        self._index_now[rel] = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, key.decode(), summary]
        self._reindexed = True

    def issues(self, key: bytes, limit: int | None) -> list[tuple] | None:
        """The issues found in the content ``key`` with this error limit, if it was found wrong;
        each as the fields of an Issue after its file."""
        entry = self._invalid.get(key.decode())
        if entry is None or entry[0] != limit:
            return None
        self._invalid_now[key.decode()] = entry
        return [(line, col, code, message, tuple(path), severity)
                for line, col, code, message, path, severity in entry[1]]

    def put_issues(self, key: bytes, limit: int | None, issues: list[Any]) -> None:
        """Remember that the content ``key`` has these issues (Issue objects)."""
        self._invalid_now[key.decode()] = [limit, [[i.line, i.col, i.code, i.message, list(i.path), i.severity]
                                                   for i in issues]]

    # --- the entries ------------------------------------------------------------------------

    def _scan(self) -> bytes:
        """The entries file's bytes, its lines indexed on first use."""
        if self._raw is not None:
            return self._raw
        try:
            self._raw = raw = self.path.read_bytes()
        except OSError:
            self._raw = raw = b""
        start, find = 0, raw.find
        while True:
            end = find(b"\n", start)
            if end < 0:
                break  # an unfinished last line (a write cut short) is not an entry
            if end - start > 42 and raw[start + 32] == 32 and raw[start + 41] == 32:  # spaces
                self._lines[raw[start:start + 32]] = (start, end)
            start = end + 1
        return raw

    def get(self, key: bytes) -> yamlio.Document | None:
        raw = self._scan()
        span = self._lines.get(key)
        if span is None:
            return None
        line = memoryview(raw)[span[0]:span[1]]
        payload = line[42:]
        try:
            if bytes(line[33:41]) != b"%08x" % zlib.crc32(payload):
                return None
            data, packed = orjson.loads(payload)  # a third faster than json, UTF-8 included
        except (ValueError, TypeError):
            return None
        if not isinstance(data, dict) or not isinstance(packed, str):
            return None
        self._used.add(key)
        return CachedDocument(data, packed)

    def put(self, key: bytes, doc: yamlio.Document) -> None:
        if key in self._used or key in self._new:
            return
        try:
            payload = orjson.dumps([doc.data, pack_positions(doc)])
        except TypeError:  # e.g. an integer beyond 64 bits: such a record is simply not cached
            return
        self._new[key] = b"%08x " % zlib.crc32(payload) + payload

    def save(self) -> None:
        """Append the new entries (or rewrite without stale ones) and rewrite the stat index if
        it changed; never fails the caller."""
        if self._count is None:  # no index to say how long the jsonl is
            self._scan()
            self._count = len(self._lines)
        live = self._used | self._new.keys() | {entry[4].encode() for entry in self._index_now.values()}
        compact = self._count > _COMPACT_MIN and self._count > _COMPACT_RATIO * len(live)
        count = self._count
        try:
            self.path.parent.mkdir(exist_ok=True)
            ignore = self.path.parent / ".gitignore"
            if not ignore.exists():  # a records repository that does not list the folder
                ignore.write_text("# daicho validation cache (safe to delete)\n*\n", encoding="utf-8")
            new = b"".join(k + b" " + v + b"\n" for k, v in self._new.items())
            if compact:
                raw = self._scan()
                kept = [raw[a:b + 1] for k, (a, b) in self._lines.items() if k in live and k not in self._new]
                tmp = self.path.with_suffix(f".tmp{os.getpid()}")
                tmp.write_bytes(b"".join(kept) + new)
                os.replace(tmp, self.path)
                count = len(kept) + len(self._new)
            elif new:
                with open(self.path, "ab") as f:
                    f.write(new)
                count += len(self._new)
            for other in chain(self.path.parent.glob("records-*.jsonl"), self.path.parent.glob("records-*.stat")):
                if other not in (self.path, self.stat_path):  # for other schemas or code: never used again
                    other.unlink(missing_ok=True)
        except OSError:
            return
        self._new = {}
        if (self._reindexed or count != self._count or len(self._index_now) != len(self._index)
                or self._invalid_now != self._invalid):
            self._save_index(count)

    def _save_index(self, count: int) -> None:
        body = orjson.dumps({"lines": count, "files": self._index_now, "invalid": self._invalid_now})
        try:
            tmp = self.stat_path.with_suffix(f".stat-tmp{os.getpid()}")
            tmp.write_bytes(b"%08x\n" % zlib.crc32(body) + body)
            os.replace(tmp, self.stat_path)
        except OSError:
            return
        self._index, self._count, self._reindexed = dict(self._index_now), count, False
        self._invalid = dict(self._invalid_now)
