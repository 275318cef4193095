"""`daicho validate --format github|gitlab` against the shapes the forges document.

- GitHub: workflow commands ``::error file={name},line={line},col={col},title={title}::{message}``
  (docs.github.com, "Workflow commands for GitHub Actions"); property values escaped as
  actions/toolkit's ``escapeProperty`` (``%``, CR, LF, ``:``, ``,``), the message as
  ``escapeData`` (``%``, CR, LF).
- GitLab: a Code Quality report, a JSON array of objects with ``description``, ``check_name``,
  ``fingerprint``, ``severity`` (info, minor, major, critical or blocker), ``location.path`` and
  ``location.lines.begin`` (docs.gitlab.com, "Code Quality", implement a custom tool).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml

from daicho.reporters import github, gitlab
from daicho.result import Issue
from tests.conftest import ROOT
from tests.test_validate_cli import case, parse_text, validate

COMMAND = re.compile(r"::(?P<cmd>error|warning|notice) (?P<props>[^:]*)::(?P<message>.*)")
GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}

ISSUES = [
    Issue("records/jimu/J-D1501-001.yaml", 3, 5, "E-SCHEMA-ENUM", "「区分」は「A」「B」のいずれかです", ("区分",)),
    # A file name and a message with every character the commands must escape.
    Issue("records/files/a,b:c%.yaml", 12, 1, "E-TEST", "100% 行1\n行2\r", ("記録項目", 0), "warning"),
]


def annotations(out: str) -> list[dict[str, str]]:
    """Parse workflow commands as the runner does: split properties on ``,`` and ``=``, then
    undo the percent-escapes (``unquote`` undoes exactly %25 %0D %0A %3A %2C here)."""
    found = []
    for line in out.splitlines():
        m = COMMAND.fullmatch(line)
        if not m:
            continue
        props = dict(p.split("=", 1) for p in m["props"].split(","))
        found.append({"cmd": m["cmd"], **{k: unquote(v) for k, v in props.items()},
                      "message": unquote(m["message"])})
    return found


def test_github_annotations_have_the_documented_shape() -> None:
    out = github(ISSUES, 2)
    lines = out.splitlines()
    assert len(lines) == 3 and lines[-1] == "2 件の記録を検査: エラー 1 件、警告 1 件"
    assert all(COMMAND.fullmatch(line) for line in lines[:2]), lines
    assert "\n" not in lines[1] and "\r" not in out  # one command per line, whatever the message
    assert annotations(out) == [
        {"cmd": "error", "file": "records/jimu/J-D1501-001.yaml", "line": "3", "col": "5",
         "title": "エラー[E-SCHEMA-ENUM]", "message": "「区分」は「A」「B」のいずれかです ($.区分)"},
        {"cmd": "warning", "file": "records/files/a,b:c%.yaml", "line": "12", "col": "1",
         "title": "警告[E-TEST]", "message": "100% 行1\n行2\r ($.記録項目[0])"},
    ]


def test_gitlab_report_has_the_documented_shape() -> None:
    report = json.loads(gitlab(ISSUES, 2))
    assert isinstance(report, list) and len(report) == 2
    for entry, issue in zip(report, ISSUES, strict=True):
        assert set(entry) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert entry["check_name"] == issue.code
        assert entry["description"] == f"{issue.message} ({issue.json_path})"
        assert entry["severity"] in GITLAB_SEVERITIES
        assert entry["location"] == {"path": issue.file, "lines": {"begin": issue.line}}
        assert re.fullmatch(r"[0-9a-f]{64}", entry["fingerprint"])
    assert [e["severity"] for e in report] == ["major", "minor"]
    # Fingerprints are unique in a report and do not move with the line.
    moved = Issue(ISSUES[0].file, 40, 1, ISSUES[0].code, ISSUES[0].message, ISSUES[0].path)
    assert json.loads(gitlab([moved], 1))[0]["fingerprint"] == report[0]["fingerprint"]
    twice = json.loads(gitlab([ISSUES[0], moved], 1))
    assert len({e["fingerprint"] for e in twice}) == 2
    assert json.loads(gitlab([], 5)) == []


def test_validate_prints_the_same_issues_in_every_format(tmp_path: Path) -> None:
    repo = case("contract/enum-typo-inspection-kind", tmp_path)
    code, out, _ = validate(repo, "--format", "text")
    assert code == 1
    expected = parse_text(out)
    assert expected
    code_gh, out_gh, _ = validate(repo, "--format", "github")
    code_gl, out_gl, _ = validate(repo, "--format", "gitlab")
    assert code_gh == code_gl == 1
    assert out_gh.rstrip("\n").splitlines()[-1] == out.rstrip("\n").splitlines()[-1]
    assert [(a["file"], int(a["line"]), int(a["col"]), a["title"], a["message"]) for a in annotations(out_gh)] == [
        (e["file"], e["line"], e["col"], f"{'エラー' if e['severity'] == 'error' else '警告'}[{e['code']}]",
         f"{e['message']} ({e['json_path']})") for e in expected]
    assert [(e["location"]["path"], e["location"]["lines"]["begin"], e["check_name"]) for e in json.loads(out_gl)] == [
        (e["file"], e["line"], e["code"]) for e in expected]


# --- the records workflows -----------------------------------------------------------------

WORKFLOWS = {".github/workflows/records.yml": "vendor.github-workflows", ".gitlab-ci.yml": "vendor.gitlab-ci"}
RECORDS_CHECKS = ("mkdocs build --strict", "daicho build --public")


@pytest.mark.parametrize("path", sorted(WORKFLOWS))
def test_records_workflow_is_valid_for_its_forge_and_runs_every_check(path: str) -> None:
    """Checked against the forge's own schema (vendored in check-jsonschema, offline), and it
    runs validate in the forge's format, both builds and due, apart from the test suite."""
    proc = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", WORKFLOWS[path],
                           str(ROOT / path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    doc = yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))
    jobs = doc["jobs"] if "jobs" in doc else {k: v for k, v in doc.items() if isinstance(v, dict) and "script" in v}
    records = jobs["records"]
    commands = "\n".join(s.get("run", "") for s in records["steps"]) if "steps" in records else "\n".join(records["script"])
    forge = "github" if path.startswith(".github") else "gitlab"
    assert f"daicho validate --format {forge}" in commands
    assert all(check in commands for check in RECORDS_CHECKS), commands
    assert "make test" not in commands and ".ci/run" not in commands
    # Overdue duties in a job of their own: they do not fail a clerk's proposal.
    overdue = jobs["overdue"]
    overdue_commands = ("\n".join(s.get("run", "") for s in overdue["steps"]) if "steps" in overdue
                        else "\n".join(overdue["script"]))
    assert "daicho due --fail-on-overdue" in overdue_commands and "fail-on-overdue" not in commands
