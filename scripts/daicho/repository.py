"""Load every record once: files → documents → schema check → cross-record checks.

``load(root)`` is the one entry point used by the CLI, pre-commit, the site and the reports,
so they all see the same records and the same problems. What it returns, the Repository and
its Records, is defined in :mod:`daicho.model` (re-exported here for existing callers).
"""

from __future__ import annotations

import gc
import os
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from daicho import cache, invisible, lint, progress, withholding, yamlio
from daicho.model import (  # re-exported: callers import them from here
    Department,
    Record,
    Repository,
)
from daicho.result import Issue
from daicho.schemas import TRUNCATED, RecordType, record_types, schema_issues, title_at

PACKAGE_SCHEMAS = Path(__file__).parent / "_schemas"


def find_root(start: Path | None = None) -> Path:
    """The nearest directory (from ``start`` upward) that holds ``records/``."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "records").is_dir():
            return candidate
    return here


# An editable install (a source checkout) has no daicho/_schemas: its schemas sit beside scripts/.
SOURCE_SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


def schema_dir_for(root: Path) -> Path:
    """The repository's own schemas/, else the ones shipped with daicho."""
    for candidate in (root / "schemas", PACKAGE_SCHEMAS, SOURCE_SCHEMAS):
        if (candidate / "common.json").is_file():
            return candidate
    return PACKAGE_SCHEMAS


def _scan(base: Path) -> tuple[list[str], list[str], list[str]]:
    """(record files, misnamed files, links) below ``base`` as relative POSIX paths, unsorted:
    one ``os.scandir`` walk, many times faster than ``base.rglob("*")`` on a large tree.

    A record must be a regular file inside the repository, so symbolic links (to files or
    folders) and other non-regular entries named like records are never followed or read:
    they are listed in ``links`` and reported (E-PATH-LINK) without a word about the target."""
    records: list[str] = []
    misnamed: list[str] = []
    links: list[str] = []
    if not base.is_dir():
        return records, misnamed, links
    folders = [("", str(base))]
    while folders:
        rel, folder = folders.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except PermissionError:
            continue
        for entry in entries:
            name = entry.name
            try:
                if entry.is_symlink():
                    links.append(rel + name)
                    continue
                if entry.is_dir(follow_symlinks=False):
                    folders.append((rel + name + "/", entry.path))
                    continue
                is_file = entry.is_file(follow_symlinks=False)
            except OSError:
                continue
            if _suffix(name) in (".yaml", ".yml"):
                (records if is_file else links).append(rel + name)
            elif _LOOKS_LIKE_YAML.search(name) and is_file:
                misnamed.append(rel + name)
    return records, misnamed, links


def _suffix(name: str) -> str:
    """``PurePath(name).suffix`` without building a path."""
    i = name.rfind(".")
    return name[i:] if 0 < i < len(name) - 1 else ""


def _stem(name: str) -> str:
    """``PurePath(name).stem`` without building a path."""
    i = name.rfind(".")
    return name[:i] if 0 < i < len(name) - 1 else name


def _sorted_paths(base: Path, rels: list[str]) -> list[Path]:
    # Paths order by their parts, which is not the order of their strings ("a-b/x" vs "a/x").
    return [base / rel for rel in sorted(rels, key=lambda r: r.split("/"))]


def record_files(base: Path) -> Iterable[Path]:
    """Every YAML file below ``base`` (normally ``<root>/records``)."""
    yield from _sorted_paths(base, _scan(base)[0])


_LOOKS_LIKE_YAML = re.compile(r"\.ya?ml", re.IGNORECASE)


def misnamed_files(base: Path) -> Iterable[Path]:
    """Files meant as records that ``record_files`` skips: ``x.yaml.txt`` (an editor that hides
    extensions), ``X.YAML``. Skipped silently, a record would just be missing."""
    yield from _sorted_paths(base, _scan(base)[1])


def type_for(rel: Path, types: dict[str, RecordType]) -> str | None:
    """records/<folder>/… → the type whose folder it is; records/<name>.yaml → type <name>."""
    return _type_for(rel.parts, rel.stem, types, _folders(types))


def _folders(types: dict[str, RecordType]) -> dict[str, str]:
    """Folder → the (first) type kept in it."""
    out: dict[str, str] = {}
    for t in types.values():
        out.setdefault(t.folder, t.name)
    return out


def _type_for(parts: tuple[str, ...] | list[str], stem: str, types: dict[str, RecordType],
              folders: dict[str, str]) -> str | None:
    if len(parts) == 1:
        return stem if stem in types and types[stem].folder == "." else None
    return folders.get(parts[0])


def _read(path: str | Path) -> tuple[bytes, os.stat_result]:
    """The file's bytes and its stat before reading, but never more than one byte past the size
    cap: a 50 MB file is refused (E-YAML-SIZE) without being read."""
    # O_NOFOLLOW: a record swapped for a link after the scan is still not followed.
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        chunks = []
        left = yamlio.MAX_BYTES + 1
        st = os.fstat(fd)
        # Ask for the file's size (+1 to see the end), not the cap: os.read allocates what
        # it is asked for, and a megabyte per small file is most of the time on a large tree.
        want = min(max(st.st_size + 1, 65536), left)
        while left > 0:
            chunk = os.read(fd, min(want, left))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks), st


LIMIT_SETTING = ("検査", "1ファイルのエラー上限")


def error_limit(types: dict[str, RecordType], settings: dict[str, Any] | None = None) -> int:
    """How many errors one file may report (settings.yaml, else the settings schema's default):
    checking a file stops there, so a file of 100,000 errors costs what one of this many does."""
    section, key = LIMIT_SETTING
    value = (settings or {}).get(section, {}).get(key)
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    schema = types["settings"].schema if "settings" in types else {}
    default = schema.get("properties", {}).get(section, {}).get("properties", {}).get(key, {}).get("default")
    return default if isinstance(default, int) and default > 0 else 100


def _truncated(rel: str, limit: int) -> Issue:
    return Issue(rel, 1, 1, TRUNCATED,
                 f"このファイルにはほかにもエラーがあります（1ファイルにつき {limit} 件まで報告し、検査をそこで止めました）。"
                 "上の誤りを直してから、もう一度検査してください")


def cap(issues: list[Issue], limit: int) -> list[Issue]:
    """At most ``limit`` errors per file (warnings kept), then one summary line after the file's
    last issue; a file whose check stopped early (a `TRUNCATED` item) gets the line too.
    ``issues`` hold each file's issues together (sorted)."""
    kept: list[Issue] = []
    count: dict[str, int] = defaultdict(int)
    over: set[str] = set()
    for issue in issues:
        if issue.code != TRUNCATED and (issue.severity != "error" or count[issue.file] < limit):
            count[issue.file] += issue.severity == "error"
            kept.append(issue)
        else:
            over.add(issue.file)
    out: list[Issue] = []
    for i, issue in enumerate(kept):
        out.append(issue)
        if issue.file in over and (i + 1 == len(kept) or kept[i + 1].file != issue.file):
            out.append(_truncated(issue.file, limit))
            over.discard(issue.file)
    return out + [_truncated(file, limit) for file in sorted(over)]


def load_record(root: Path, path: Path, types: dict[str, RecordType],
                raw: bytes | None = None) -> tuple[Record | None, list[Issue]]:
    """Read (or take ``raw``), parse and schema-check one file.
    A record is returned only if it is schema-valid."""
    rel = path.relative_to(root).as_posix()
    limit = error_limit(types)
    record, issues = _check_file(rel, type_for(path.relative_to(root / "records"), types), path, raw, types,
                                 cache.NoCache(), limit=limit)
    return record, cap(issues, limit)


def _check_file(rel: str, rtype: str | None, path: str | Path, raw: bytes | None,
                types: dict[str, RecordType], store: cache.Store | cache.NoCache,
                full: bool = True, limit: int | None = None) -> tuple[Record | None, list[Issue]]:
    """One file: cache lookup → parse → schema check (→ into the cache, valid or not)."""
    if rtype is None:
        return None, [Issue(rel, 1, 1, "E-PATH-UNKNOWN",
                            "このフォルダ・ファイル名は記録の置き場所として決められていません（records/ の構成を確認してください）")]
    summarise = types[rtype].summary
    try:
        found = store.lookup(rel, path, rtype, raw=raw, full=full, read=_read, summarise=summarise)
        if not isinstance(found, cache.Pending):
            return Record(rtype, rel, found), []
        known = store.known_issues(found, limit)
        if known is not None:  # checked before, byte for byte, and found wrong
            return None, [Issue(rel, *fields) for fields in known]
        doc = yamlio.load_bytes(found.raw)
    except yamlio.LoadError as exc:
        issues = [Issue(rel, exc.line, exc.col, exc.code, exc.message, exc.path)]
        store.add_issues(found, limit, issues)
        return None, issues
    except OSError as exc:  # not cached: the next run may read it
        return None, [Issue(rel, 1, 1, "E-FILE-READ", f"ファイルを読めません（{exc.strerror}）")]
    record = Record(rtype, rel, doc)
    issues = [
        record.issue(code, message, jpath, key=at_key)
        for code, message, jpath, at_key in _file_issues(doc, types[rtype], limit)
    ]
    if issues:
        store.add_issues(found, limit, issues)
    else:
        store.add(rel, found, doc, summarise(doc.data))
    return (None if issues else record), issues


def _link_issue(rel: str) -> Issue:
    # Nothing about the target (its path, keys or values) is shown: it may lie outside the
    # repository and hold anything.
    return Issue(rel, 1, 1, "E-PATH-LINK",
                 "記録はリポジトリの中の通常のファイルでなければなりません（シンボリックリンクなどは読みません）。"
                 "ファイルそのものを records/ に置いてください")


def _file_issues(doc: yamlio.Document, rtype: RecordType,
                 limit: int | None) -> list[tuple[str, str, tuple[str | int, ...], bool]]:
    """Everything one file can be checked for on its own: the schema, characters no text may
    hold, and (once schema-valid) that a withheld 記録項目 names an item of the entry."""
    found = list(schema_issues(doc, rtype, limit))
    found += invisible.issues(doc.data, lambda path: title_at(rtype.schema, path))
    if not found and rtype.name == "file":
        found += withholding.issues(doc.data)
    return found


def load(root: Path | None = None, extra: dict[str, bytes] | None = None, *, full: bool = True) -> Repository:
    """Load and check everything under ``root``/records. ``extra`` maps repository-relative
    paths to contents that are checked as if they were on disk (an import batch, say).

    ``full=False`` is for checking only (``daicho validate``): a record that comes unchanged
    from the cache holds just its summary, the fields the cross-record rules read. The issues
    are the same; the records are not for rendering.

    Each file reports at most `error_limit` errors (settings.yaml, which is checked first), then
    one summary line (`cap`); links among the records are reported, never followed."""
    root = find_root(root)
    schema_dir = schema_dir_for(root)
    types = record_types(schema_dir)
    repo = Repository(root, schema_dir, types)
    extra = extra or {}
    base = root / "records"
    outside = base.is_symlink() or not base.resolve().is_relative_to(root.resolve())
    found, misnamed, links = ([], [], []) if outside else _scan(base)
    # Work on strings, not Paths: pathlib is most of the cost of 20,000 files. Entries are keyed
    # and sorted by path parts (Path equality and order); ``extra`` replaces a file on disk.
    files: dict[tuple[str, ...], tuple[str, str | None, str | Path, bytes | None]] = {}
    head = (*root.parts, "records")
    folders, base_dir = _folders(types), str(base)
    for rel in found:
        parts = rel.split("/")
        files[(*head, *parts)] = ("records/" + rel, _type_for(parts, _stem(parts[-1]), types, folders),
                                  f"{base_dir}/{rel}", None)
    for rel_extra, raw_extra in extra.items():
        path = root / rel_extra
        files[path.parts] = (path.relative_to(root).as_posix(), type_for(path.relative_to(base), types),
                             path, raw_extra)
    store = cache.for_repository(root, schema_dir) if types else cache.NoCache()
    step = progress.counter(len(files))
    # Loading makes millions of small containers and frees none: the cyclic garbage collector
    # would walk them again and again for nothing (a third of the time on a large tree). After
    # loading they are frozen (left out of later collections: the cross-record checks and the
    # site's pages would otherwise walk them again); the next load unfreezes the previous
    # ones, so a long `mkdocs serve` still collects what its earlier builds left behind.
    gc.unfreeze()
    collecting = gc.isenabled()
    gc.disable()
    limit = error_limit(types)
    try:
        # Settings first: they say how many errors a file may report.
        for _, (rel, rtype, path, raw) in sorted(files.items(), key=lambda kv: (kv[1][1] != "settings", kv[0])):
            record, issues = _check_file(rel, rtype, path, raw, types, store, full, limit)
            repo.checked += 1
            step()
            repo.issues.extend(issues)
            if record is not None:
                repo.records.append(record)
                if rtype == "settings":
                    limit = error_limit(types, record.data)
            elif issues and issues[0].code != "E-PATH-UNKNOWN":
                repo.unloaded.append(issues[0].file)
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
    repo.records.sort(key=lambda r: r.path.split("/"))  # path order, as read before settings moved first
    store.save()
    repo.issues.extend(
        Issue(f"records/{rel}", 1, 1, "E-PATH-EXTENSION",
              "拡張子が .yaml ではないため記録として読まれません。ファイル名を「….yaml」にしてください")
        for rel in sorted(misnamed, key=lambda r: r.split("/")))
    repo.issues.extend(_link_issue(rel) for rel in (["records"] if outside else
                                                    ["records/" + r for r in sorted(links, key=lambda r: r.split("/"))]))
    repo.issues.extend(lint.check(repo))
    repo.issues.sort(key=lambda i: (i.file, i.line, i.col, i.code))
    repo.issues = cap(repo.issues, limit)
    return repo


__all__ = ["Department", "Record", "Repository", "find_root", "load", "load_record", "misnamed_files", "record_files",
           "schema_dir_for", "type_for"]
