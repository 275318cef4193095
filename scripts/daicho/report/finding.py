"""A finding of the pre-meeting check (``daicho report --check``) and its codes: the data that
:mod:`daicho.report.findings` and :mod:`daicho.report.history` both produce (apart from both,
so neither imports the other's module to make one)."""

from __future__ import annotations

from dataclasses import dataclass, field

from daicho.result import json_path

CODE_REASON_MISSING = "W-REPORT-REASON-MISSING"
CODE_REASON_UNEXPECTED = "W-REPORT-REASON-UNEXPECTED"
CODE_NO_DECISION = "W-REPORT-NO-DECISION"
CODE_OVERDUE = "W-REPORT-OVERDUE"
CODE_CHANGED = "W-REPORT-CHANGED-AFTER-CLOSE"


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    file: str = ""  # a record file, or "" for a finding about a table
    line: int = 0
    col: int = 0
    path: tuple[str | int, ...] = ()

    def text(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}: " if self.file else ""
        tail = f" ({json_path(self.path)})" if self.path else ""
        return f"{where}警告[{self.code}] {self.message}{tail}"


@dataclass
class Findings:
    items: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # checks that could not run, and why
