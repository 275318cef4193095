"""Load every record once: files → documents → schema check → cross-record checks.

``load(root)`` is the one entry point used by the CLI, pre-commit, the site and the reports,
so they all see the same records and the same problems.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from daicho import yamlio
from daicho.result import Issue
from daicho.schemas import RecordType, record_types, schema_issues

PACKAGE_SCHEMAS = Path(__file__).parent / "_schemas"


@dataclass
class Record:
    type: str
    path: str  # relative to the repository root, with forward slashes
    doc: yamlio.Document

    @property
    def data(self) -> dict[str, Any]:
        return self.doc.data

    @property
    def id(self) -> str:
        return self.data["id"]

    def issue(self, code: str, message: str, path: tuple[str | int, ...] = (), *,
              key: bool = False, severity: str = "error") -> Issue:
        line, col = self.doc.position(path, key=key)
        return Issue(self.path, line, col, code, message, path, severity)  # type: ignore[arg-type]


@dataclass
class Department:
    code: str
    name: str
    organ: str
    bu: str
    start: str
    end: str | None

    def valid_on(self, day: str) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass
class Repository:
    root: Path
    schema_dir: Path
    types: dict[str, RecordType]
    records: list[Record] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    checked: int = 0
    # Files of a known type that have errors and so did not become records. Cross-record rules
    # use it not to pile "not found" errors on top of the file's own error.
    unloaded: list[str] = field(default_factory=list)

    @cached_property
    def by_id(self) -> dict[str, Record]:
        out: dict[str, Record] = {}
        for r in self.records:
            out.setdefault(r.id, r)
        return out

    @cached_property
    def _by_type(self) -> dict[str, list[Record]]:
        out: dict[str, list[Record]] = defaultdict(list)
        for r in sorted(self.records, key=lambda r: r.id):
            out[r.type].append(r)
        return out

    def of_type(self, name: str) -> list[Record]:
        return self._by_type.get(name, [])

    def get(self, record_id: str) -> Record | None:
        return self.by_id.get(record_id)

    @cached_property
    def organization(self) -> dict[str, Any]:
        recs = self.of_type("organization")
        return recs[0].data if recs else {"実施機関": [], "部署": []}

    @cached_property
    def settings(self) -> dict[str, Any]:
        recs = self.of_type("settings")
        return recs[0].data if recs else {}

    @cached_property
    def organs(self) -> list[str]:
        """実施機関 names in the order every table uses."""
        return [o["名称"] for o in self.organization.get("実施機関", [])]

    @cached_property
    def departments(self) -> dict[str, Department]:
        return {
            d["コード"]: Department(d["コード"], d["名称"], d["実施機関"], d.get("部", ""),
                                  d["有効期間開始"], d.get("有効期間終了"))
            for d in self.organization.get("部署", [])
        }

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]


def find_root(start: Path | None = None) -> Path:
    """The nearest directory (from ``start`` upward) that holds ``records/``."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "records").is_dir():
            return candidate
    return here


def schema_dir_for(root: Path) -> Path:
    own = root / "schemas"
    return own if (own / "common.json").is_file() else PACKAGE_SCHEMAS


def record_files(base: Path) -> Iterable[Path]:
    """Every YAML file below ``base`` (normally ``<root>/records``)."""
    yield from sorted(p for p in base.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


_LOOKS_LIKE_YAML = re.compile(r"\.ya?ml", re.IGNORECASE)


def misnamed_files(base: Path) -> Iterable[Path]:
    """Files meant as records that ``record_files`` skips: ``x.yaml.txt`` (an editor that hides
    extensions), ``X.YAML``. Skipped silently, a record would just be missing."""
    yield from sorted(p for p in base.rglob("*") if p.suffix not in (".yaml", ".yml")
                      and _LOOKS_LIKE_YAML.search(p.name) and p.is_file())


def type_for(rel: Path, types: dict[str, RecordType]) -> str | None:
    """records/<folder>/… → the type whose folder it is; records/<name>.yaml → type <name>."""
    parts = rel.parts
    if len(parts) == 1:
        stem = rel.stem
        return stem if stem in types and types[stem].folder == "." else None
    return next((t.name for t in types.values() if t.folder == parts[0]), None)


def load_record(root: Path, path: Path, types: dict[str, RecordType],
                raw: bytes | None = None) -> tuple[Record | None, list[Issue]]:
    """Read (or take ``raw``), parse and schema-check one file.
    A record is returned only if it is schema-valid."""
    rel = path.relative_to(root).as_posix()
    rtype = type_for(path.relative_to(root / "records"), types)
    if rtype is None:
        return None, [Issue(rel, 1, 1, "E-PATH-UNKNOWN",
                            "このフォルダ・ファイル名は記録の置き場所として決められていません（records/ の構成を確認してください）")]
    try:
        doc = yamlio.load_bytes(path.read_bytes() if raw is None else raw)
    except yamlio.LoadError as exc:
        return None, [Issue(rel, exc.line, exc.col, exc.code, exc.message, exc.path)]
    except OSError as exc:
        return None, [Issue(rel, 1, 1, "E-FILE-READ", f"ファイルを読めません（{exc.strerror}）")]
    record = Record(rtype, rel, doc)
    issues = [
        record.issue(code, message, jpath, key=at_key)
        for code, message, jpath, at_key in schema_issues(doc, types[rtype])
    ]
    return (None if issues else record), issues


def load(root: Path | None = None, extra: dict[str, bytes] | None = None) -> Repository:
    """Load and check everything under ``root``/records. ``extra`` maps repository-relative
    paths to contents that are checked as if they were on disk (an import batch, say)."""
    from daicho import lint  # lint imports Repository

    root = find_root(root)
    schema_dir = schema_dir_for(root)
    types = record_types(schema_dir)
    repo = Repository(root, schema_dir, types)
    extra = extra or {}
    paths = {p: None for p in record_files(root / "records")} | {root / rel: raw for rel, raw in extra.items()}
    for path, raw in sorted(paths.items()):
        record, issues = load_record(root, path, types, raw)
        repo.checked += 1
        repo.issues.extend(issues)
        if record is not None:
            repo.records.append(record)
        elif issues and issues[0].code != "E-PATH-UNKNOWN":
            repo.unloaded.append(issues[0].file)
    repo.issues.extend(
        Issue(path.relative_to(root).as_posix(), 1, 1, "E-PATH-EXTENSION",
              "拡張子が .yaml ではないため記録として読まれません。ファイル名を「….yaml」にしてください")
        for path in misnamed_files(root / "records"))
    repo.issues.extend(lint.check(repo))
    repo.issues.sort(key=lambda i: (i.file, i.line, i.col, i.code))
    return repo
