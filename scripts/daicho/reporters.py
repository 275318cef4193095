"""Output formats for issues. Only this module decides how an issue is printed."""

from __future__ import annotations

import json
from collections.abc import Iterable

from daicho.result import Issue

_LABEL = {"error": "エラー", "warning": "警告"}


def text_line(issue: Issue) -> str:
    return (
        f"{issue.file}:{issue.line}:{issue.col}: {_LABEL[issue.severity]}[{issue.code}] "
        f"{issue.message} ({issue.json_path})"
    )


def text(issues: Iterable[Issue], checked: int) -> str:
    issues = list(issues)
    lines = [text_line(i) for i in issues]
    errors = sum(1 for i in issues if i.severity == "error")
    warnings = len(issues) - errors
    if errors or warnings:
        lines.append(f"{checked} 件の記録を検査: エラー {errors} 件、警告 {warnings} 件")
    else:
        lines.append(f"{checked} 件の記録を検査: 問題はありません")
    return "\n".join(lines)


def as_json(issues: Iterable[Issue], checked: int) -> str:
    issues = list(issues)
    errors = sum(1 for i in issues if i.severity == "error")
    return json.dumps(
        {"checked": checked, "errors": errors, "warnings": len(issues) - errors,
         "issues": [i.as_dict() for i in issues]},
        ensure_ascii=False,
        indent=2,
    )


FORMATS = {"text": text, "json": as_json}
