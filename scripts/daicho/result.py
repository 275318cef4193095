"""Issue: one problem found in one place. Every checker returns these; reporters print them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


def json_path(path: tuple[str | int, ...]) -> str:
    """`$.検査[0].種別` style, as the error lines and the JSON output show it."""
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


@dataclass(frozen=True, order=True)
class Issue:
    file: str
    line: int
    col: int
    code: str
    message: str
    path: tuple[str | int, ...] = ()
    severity: Severity = "error"

    @property
    def json_path(self) -> str:
        return json_path(self.path)

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "json_path": self.json_path,
        }
