"""Output formats for issues. Only this module decides how an issue is printed."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from daicho.result import Issue

_LABEL = {"error": "エラー", "warning": "警告"}


def text_line(issue: Issue) -> str:
    return (
        f"{issue.file}:{issue.line}:{issue.col}: {_LABEL[issue.severity]}[{issue.code}] "
        f"{issue.message} ({issue.json_path})"
    )


def summary(issues: list[Issue], checked: int) -> str:
    errors = sum(1 for i in issues if i.severity == "error")
    warnings = len(issues) - errors
    if errors or warnings:
        return f"{checked} 件の記録を検査: エラー {errors} 件、警告 {warnings} 件"
    return f"{checked} 件の記録を検査: 問題はありません"


def text(issues: Iterable[Issue], checked: int) -> str:
    issues = list(issues)
    return "\n".join([*(text_line(i) for i in issues), summary(issues, checked)])


def as_json(issues: Iterable[Issue], checked: int) -> str:
    issues = list(issues)
    errors = sum(1 for i in issues if i.severity == "error")
    return json.dumps(
        {"checked": checked, "errors": errors, "warnings": len(issues) - errors,
         "issues": [i.as_dict() for i in issues]},
        ensure_ascii=False,
        indent=2,
    )


# --- forges: errors shown on the changed line of a pull request ----------------------------

def _gh_data(value: str) -> str:
    """A workflow command's message, escaped as actions/toolkit's ``escapeData`` does."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(value: str) -> str:
    """A workflow command's property value (``escapeProperty``): also ``:`` and ``,``."""
    return _gh_data(value).replace(":", "%3A").replace(",", "%2C")


def github(issues: Iterable[Issue], checked: int) -> str:
    """GitHub Actions workflow commands, one ``::error``/``::warning`` per issue, then the
    summary line: the runner turns each into an annotation on that line of the pull request."""
    issues = list(issues)
    lines = []
    for i in issues:
        props = {"file": i.file, "line": str(i.line), "col": str(i.col), "title": f"{_LABEL[i.severity]}[{i.code}]"}
        head = ",".join(f"{k}={_gh_property(v)}" for k, v in props.items())
        lines.append(f"::{i.severity} {head}::{_gh_data(f'{i.message} ({i.json_path})')}")
    lines.append(summary(issues, checked))
    return "\n".join(lines)


# GitLab's severities are info, minor, major, critical, blocker: an error fails the pipeline
# (major), a warning is a finding to look at (minor).
_GITLAB_SEVERITY = {"error": "major", "warning": "minor"}


def gitlab(issues: Iterable[Issue], checked: int) -> str:
    """A GitLab Code Quality report (the JSON array GitLab reads from ``artifacts:reports:
    codequality``). The fingerprint is stable while the problem stays (file, code, JSON path),
    not the line, so merge requests show new and fixed problems, not moved ones."""
    out: list[dict[str, object]] = []
    seen: dict[str, int] = {}
    for i in issues:
        key = f"{i.file}\0{i.code}\0{i.json_path}"
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:  # two issues of one kind at one place: keep fingerprints unique
            key += f"\0{seen[key]}"
        out.append({
            "description": f"{i.message} ({i.json_path})",
            "check_name": i.code,
            "fingerprint": hashlib.sha256(key.encode("utf-8")).hexdigest(),
            "severity": _GITLAB_SEVERITY[i.severity],
            "location": {"path": i.file, "lines": {"begin": i.line}},
        })
    return json.dumps(out, ensure_ascii=False, indent=2)


FORMATS = {"text": text, "json": as_json, "github": github, "gitlab": gitlab}
