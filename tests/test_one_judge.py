"""One judge (issue 14): ``daicho validate`` and ``daicho due`` report the same findings for every
record, with their severity; the exit codes follow the severities; one function decides "today".

The commands run as functions (their ``run`` with parsed arguments, output captured): a
subprocess would add only start-up time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from daicho import cli, dates, repository, rules
from tests.test_fixtures import FIXTURES, ROOT, every_repository, mini_repository

TODAY = "2026-11-26"


def daicho(*argv: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``daicho argv…`` run in this process."""
    args = cli.build_parser(argv[0]).parse_args(list(argv))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = int(args.func(args))
    return code, out.getvalue(), err.getvalue()


def by_file(issues: list[dict]) -> dict[str, Counter]:
    out: dict[str, Counter] = {}
    for i in issues:
        out.setdefault(i["file"], Counter())[i["code"]] += 1
    return out


def test_validate_and_due_name_the_same_codes_for_every_record(tmp_path: Path) -> None:
    engine_codes: set[str] = set()
    compared = 0
    for name, root in every_repository(tmp_path):
        code, out, _ = daicho("validate", "--root", str(root), "--today", TODAY, "--format", "json")
        validated = json.loads(out)["issues"]
        _, out, _ = daicho("due", "--root", str(root), "--today", TODAY, "--format", "json", "--all")
        due = json.loads(out)["findings"]
        assert by_file(validated) == by_file(due), name
        assert [(i["file"], i["line"], i["col"], i["severity"]) for i in validated] == \
               [(i["file"], i["line"], i["col"], i["severity"]) for i in due], name
        assert code == (1 if any(i["severity"] == "error" for i in validated) else 0), name
        engine_codes |= {i["code"] for i in validated if i["severity"] == "warning"}
        compared += 1
    assert compared > 40
    # Not vacuous: the comparison saw the engine's findings, old and new.
    assert {"W-REPORT-LATE", "W-PPC-LATE", "W-CHECKLIST-ANSWER", "W-INCIDENT-COUNT-TAG",
            "W-SUBCONTRACT-LATE", "W-SUBCONTRACT-UNDATED", "W-SUBCONTRACT-UNRECORDED"} <= engine_codes


@pytest.fixture(scope="module")
def rules_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("judge")
    shutil.copytree(FIXTURES / "rules" / "records", root / "records")
    (root / "schemas").symlink_to(ROOT / "schemas", target_is_directory=True)
    return root


def test_validate_shows_the_engines_warnings_and_exits_0_unless_strict(rules_root: Path) -> None:
    """The issue's case: a checklist after the 契約日 and a late 管理体制等報告書 were 「問題はありません」."""
    code, out, _ = daicho("validate", "--root", str(rules_root), "--today", TODAY)
    assert code == 0
    assert "警告[W-CHECKLIST-LATE]" in out and "警告[W-REPORT-LATE]" in out
    assert out.splitlines()[-1] == "30 件の記録を検査: エラー 0 件、警告 16 件"
    assert daicho("validate", "--root", str(rules_root), "--today", TODAY, "--strict")[0] == 1
    code, out, _ = daicho("validate", "--root", str(rules_root), "--today", TODAY, "--format", "json")
    data = json.loads(out)
    assert code == 0 and (data["errors"], data["warnings"]) == (0, 16)
    assert {i["severity"] for i in data["issues"]} == {"warning"}


def test_errors_exit_1_with_or_without_strict(tmp_path: Path) -> None:
    root = mini_repository(FIXTURES / "invalid" / "dates" / "contract-signed-after-start", tmp_path)
    for extra in ((), ("--strict",)):
        code, out, _ = daicho("validate", "--root", str(root), "--today", TODAY, "--format", "json", *extra)
        data = json.loads(out)
        assert code == 1 and (data["errors"], data["warnings"]) == (1, 2)


def test_a_clean_repository_passes_strict(tmp_path: Path) -> None:
    root = mini_repository(FIXTURES / "valid" / "contract" / "full", tmp_path)
    code, out, _ = daicho("validate", "--root", str(root), "--today", TODAY, "--strict")
    assert code == 0 and out.endswith("問題はありません\n")


@pytest.mark.parametrize(("case", "code", "line", "col", "path"), [
    ("subcontract-without-approval", "W-SUBCONTRACT-UNRECORDED", 45, 10, "$.管理体制等報告書[0].再委託"),
    ("subcontract-approval-without-date", "W-SUBCONTRACT-UNDATED", 53, 10, "$.再委託[0].申請日"),
    ("subcontract-approved-after-work-began", "W-SUBCONTRACT-LATE", 54, 10, "$.再委託[0].承諾日"),
])
def test_each_subcontract_case_is_one_positioned_finding(tmp_path: Path, case: str, code: str, line: int,
                                                         col: int, path: str) -> None:
    repo = repository.load(mini_repository(FIXTURES / "invalid" / "contract" / case, tmp_path))
    found = rules.review(repo, dt.date.fromisoformat(TODAY))
    assert [(i.file, i.line, i.col, i.code, i.json_path, i.severity) for i in found] == [
        ("records/contracts/2025/C-2025-D1501-001.yaml", line, col, code, path, "warning")]
    assert "特記仕様書第5条" in found[0].message


def test_a_subcontract_approval_still_pending_on_an_earlier_day(tmp_path: Path) -> None:
    """As of a day before 承諾日, the approval had not been given yet: undated, not late."""
    repo = repository.load(mini_repository(FIXTURES / "invalid" / "contract" / "subcontract-approved-after-work-began",
                                           tmp_path))
    found = rules.review(repo, dt.date(2025, 4, 10))
    assert [i.code for i in found] == ["W-SUBCONTRACT-UNDATED"]


def test_daicho_today_is_one_day_for_every_command(rules_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAICHO_TODAY", "2025-06-01")
    assert dates.today() == dt.date(2025, 6, 1)
    _, out, _ = daicho("due", "--root", str(rules_root), "--format", "json")
    assert json.loads(out)["today"] == "2025-06-01"
    # validate evaluates the records as of that day too: what was done late after it is not yet seen.
    _, early, _ = daicho("validate", "--root", str(rules_root), "--format", "json")
    _, late, _ = daicho("validate", "--root", str(rules_root), "--format", "json", "--today", TODAY)
    assert len(json.loads(early)["issues"]) < len(json.loads(late)["issues"])
    # report: the FY has not begun on that day.
    code, _, err = daicho("report", "--root", str(rules_root), "--fy", "2026")
    assert code == 2 and "基準日 2025-06-01" in err
    monkeypatch.setenv("DAICHO_TODAY", "2025/09/30")
    for command in (("due",), ("validate",), ("report", "--fy", "2025")):
        code, _, err = daicho(*command, "--root", str(rules_root))
        assert code == 2 and "DAICHO_TODAY" in err and "YYYY-MM-DD" in err, command


def test_daicho_new_numbers_by_the_same_day(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES / "rules" / "records", root / "records")
    (root / "schemas").symlink_to(ROOT / "schemas", target_is_directory=True)
    monkeypatch.setenv("DAICHO_TODAY", "2024-05-01")
    code, out, _ = daicho("new", "contract", "--department", "D0101", "--root", str(root))
    assert code == 0 and "records/contracts/2024/C-2024-D0101-" in out
    monkeypatch.setenv("DAICHO_TODAY", "2024-13-01")
    code, _, err = daicho("new", "contract", "--department", "D0101", "--root", str(root))
    assert code == 2 and "DAICHO_TODAY" in err


def test_broken_rule_data_is_one_positioned_error_of_validate(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "rules" / "records", tmp_path / "records")
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    (tmp_path / "schemas" / "rules.yaml").write_text("期限の既定値: [\n", encoding="utf-8")
    code, out, _ = daicho("validate", "--root", str(tmp_path), "--today", TODAY)
    assert code == 1
    assert out.startswith("schemas/rules.yaml:2:1: エラー[E-RULES-DATA] ")
    assert out.splitlines()[-1] == "30 件の記録を検査: エラー 1 件、警告 0 件"
