"""The loaded repository as data: Record, Department and Repository.

Apart from the loader (:mod:`daicho.repository`) so that the cross-record rules, the engine
and the views can use the model without importing the code that builds it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from daicho import yamlio
from daicho.result import Issue
from daicho.schemas import RecordType


@dataclass
class Record:
    type: str
    path: str  # relative to the repository root, with forward slashes
    doc: yamlio.Document
    # doc.data, as an attribute: the cross-record rules read it a few hundred thousand times.
    data: dict[str, Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.data = self.doc.data

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
