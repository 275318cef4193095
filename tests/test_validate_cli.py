"""`daicho validate` as a user runs it: a real subprocess on real files.

Mini repositories come from the fixture cases (tests/fixtures/…); the demo records are used
read-only through a copy, so nothing here can touch the working tree.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_daicho
from tests.test_fixtures import FIXTURES, expectations, mini_repository

LINE = re.compile(
    r"(?P<file>[^:\n]+):(?P<line>[0-9]+):(?P<col>[0-9]+): (?P<label>エラー|警告)"
    r"\[(?P<code>[EW]-[A-Z0-9]+(?:-[A-Z0-9]+)*)\] (?P<message>.+) \((?P<path>\$[^\n]*)\)"
)
SUMMARY = re.compile(r"[0-9]+ 件の記録を検査: (問題はありません|エラー [0-9]+ 件、警告 [0-9]+ 件)")
CANARY = "秘密の値XYZ"


def parse_text(stdout: str) -> list[dict[str, object]]:
    """Every line but the summary must be an issue line in exactly the documented format."""
    lines = stdout.rstrip("\n").split("\n")
    assert SUMMARY.fullmatch(lines[-1]), lines[-1]
    out = []
    for line in lines[:-1]:
        m = LINE.fullmatch(line)
        assert m, f"not an issue line: {line!r}"
        out.append({"file": m["file"], "line": int(m["line"]), "col": int(m["col"]), "code": m["code"],
                    "severity": "error" if m["label"] == "エラー" else "warning",
                    "message": m["message"], "json_path": m["path"]})
    return out


def validate(repo: Path, *args: str) -> tuple[int, str, str]:
    proc = run_daicho("validate", *args, cwd=repo)
    for stream in (proc.stdout, proc.stderr):
        assert "Traceback" not in stream and "内部エラー" not in stream, stream
    return proc.returncode, proc.stdout, proc.stderr


def snapshot(tree: Path) -> dict[str, str]:
    """Every path under ``tree`` with a hash of its content (symlinks by target)."""
    out = {}
    for p in sorted(tree.rglob("*")):
        rel = p.relative_to(tree).as_posix()
        if p.is_symlink():
            out[rel] = "-> " + os.readlink(p)
        elif p.is_file():
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
        else:
            out[rel] = "dir"
    return out


def copy_demo(tmp_path: Path) -> Path:
    """A copy of the project's records and schemas: the demo repository as a user has it."""
    repo = tmp_path / "demo"
    shutil.copytree(ROOT / "records", repo / "records")
    shutil.copytree(ROOT / "schemas", repo / "schemas")
    return repo


def case(rel: str, tmp_path: Path) -> Path:
    return mini_repository(FIXTURES / "invalid" / rel, tmp_path)


# --- the demo records ----------------------------------------------------------------------

def test_demo_records_are_clean(tmp_path: Path) -> None:
    repo = copy_demo(tmp_path)
    start = time.perf_counter()
    code, out, err = validate(repo)
    elapsed = time.perf_counter() - start
    assert code == 0, out
    assert [i for i in parse_text(out) if i["severity"] == "error"] == []
    print(f"daicho validate on the demo records: {elapsed:.2f} s")  # reported, not asserted


# --- exit codes ------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [("validate", "--format", "xml"), ("validate", "--no-such-option"),
                                  ("no-such-command",), ()])
def test_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    proc = run_daicho(*args)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_missing_path_argument_is_a_usage_error(tmp_path: Path) -> None:
    repo = case("ids/id-differs-from-file-name", tmp_path)
    code, out, err = validate(repo, "records/jimu/J-D9999-999.yaml")
    assert code == 2 and out == ""
    assert "J-D9999-999.yaml" in err


def test_no_records_folder_is_a_usage_error(tmp_path: Path) -> None:
    code, out, err = validate(tmp_path)
    assert code == 2 and out == "" and "records/" in err


def test_warnings_alone_exit_0(tmp_path: Path) -> None:
    repo = case("file/under-1000-persons-without-exemption", tmp_path)
    code, out, _ = validate(repo)
    issues = parse_text(out)
    assert code == 0
    assert [(i["code"], i["severity"]) for i in issues] == [("W-FILE-UNDER1000", "warning")]
    assert ": 警告[W-FILE-UNDER1000] " in out


# --- the ten acceptance cases of issue 2 ---------------------------------------------------

ACCEPTANCE = {
    "duplicate key": "yaml/dupkey-top-level",
    "alias bomb 9x9": "yaml/alias-bomb-9x9",
    "!!python/object": "yaml/tag-python-object",
    "enum typo": "contract/enum-typo-inspection-kind",
    "missing required field": "jimu/required-missing",
    "2025-02-30": "jimu/format-february-30",
    "unknown department code": "refs/unknown-department",
    "duplicate id": "ids/duplicate-id-yml-and-yaml",
    "id differs from file name": "ids/id-differs-from-file-name",
    "Shift_JIS file": "yaml/encoding-shift-jis",
}


@pytest.mark.parametrize("rel", ACCEPTANCE.values(), ids=ACCEPTANCE.keys())
def test_acceptance_case_gives_one_positioned_error(rel: str, tmp_path: Path,
                                                    record_property: pytest.RecordProperty) -> None:
    repo = case(rel, tmp_path)
    ((file, line, code),) = expectations(FIXTURES / "invalid" / rel)
    start = time.perf_counter()
    exit_code, out, err = validate(repo)
    record_property("seconds", round(time.perf_counter() - start, 3))
    assert exit_code == 1
    issues = parse_text(out)
    assert [(i["file"], i["line"], i["code"], i["severity"]) for i in issues] == [(file, line, code, "error")]
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", str(issues[0]["message"]))  # Japanese
    assert err == ""


# --- one run reports everything; json and text agree -------------------------------------

BROKEN = {
    "records/jimu/J-D1101-901.yaml": ("E-YAML-DUPKEY", "id: J-D1101-901\nid: J-D1101-901\n"),
    "records/jimu/J-D1101-902.yaml": ("E-YAML-ENCODING", None),
    "records/jimu/J-D1101-903.yaml": ("E-YAML-TAG", "id: !!python/object:os.system J-D1101-903\n"),
    "records/jimu/J-D1101-904.yaml": ("E-SCHEMA-REQUIRED", "id: J-D1101-904\n"),
    "records/files/F-D1101-905.yaml": ("E-YAML-ROOT", "- id: F-D1101-905\n"),
    "records/nowhere/x.yaml": ("E-PATH-UNKNOWN", "id: x\n"),
}


def plant_broken_files(repo: Path) -> None:
    for rel, (_, text) in BROKEN.items():
        path = repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if text is None:
            path.write_bytes("id: J-D1101-902\n事務の名称: 住民基本台帳事務\n".encode("cp932"))
        else:
            path.write_text(text, encoding="utf-8")


def test_every_problem_of_several_broken_files_in_one_run(tmp_path: Path) -> None:
    repo = copy_demo(tmp_path)
    _, before, _ = validate(repo)
    plant_broken_files(repo)
    code, out, _ = validate(repo)
    assert code == 1
    new = [i for i in parse_text(out) if i not in parse_text(before)]
    assert {(i["file"], i["code"]) for i in new} == {(rel, c) for rel, (c, _) in BROKEN.items()}
    # Nothing the demo records reported before went missing.
    assert all(i in parse_text(out) for i in parse_text(before))


def test_json_lists_the_same_issues_as_text(tmp_path: Path) -> None:
    repo = copy_demo(tmp_path)
    plant_broken_files(repo)
    _, text_out, _ = validate(repo)
    code, json_out, _ = validate(repo, "--format", "json")
    assert code == 1
    report = json.loads(json_out)
    assert report["issues"] == parse_text(text_out)
    assert report["checked"] == int(text_out.rstrip().rsplit("\n", 1)[-1].split(" ")[0])
    assert len(report["issues"]) >= len(BROKEN)


def test_paths_narrow_the_report_not_the_check(tmp_path: Path) -> None:
    repo = copy_demo(tmp_path)
    plant_broken_files(repo)
    code, out, _ = validate(repo, "records/jimu/J-D1101-903.yaml")
    assert code == 1
    assert [(i["file"], i["code"]) for i in parse_text(out)] == [("records/jimu/J-D1101-903.yaml", "E-YAML-TAG")]
    # Paths are relative to where the command runs, as a shell user expects.
    code, out, _ = validate(repo / "records" / "files", "F-D1101-905.yaml")
    assert code == 1 and [i["code"] for i in parse_text(out)] == ["E-YAML-ROOT"]
    # A report narrowed to clean files exits 0 even though other files are broken.
    code, out, _ = validate(repo, "records/organization.yaml")
    assert code == 0 and parse_text(out) == []


def test_runs_from_a_subfolder_and_with_root(tmp_path: Path) -> None:
    repo = case("refs/unknown-department", tmp_path)
    code, out, _ = validate(repo / "records" / "jimu")
    assert code == 1 and [i["code"] for i in parse_text(out)] == ["E-REF-DEPARTMENT"]
    code, out, _ = validate(tmp_path, "--root", str(repo))
    assert code == 1 and [i["code"] for i in parse_text(out)] == ["E-REF-DEPARTMENT"]


def test_size_cap_through_the_cli(tmp_path: Path) -> None:
    repo = case("refs/unknown-department", tmp_path)
    big = repo / "records" / "jimu" / "J-D1501-002.yaml"
    big.write_bytes(b"id: J-D1501-002\n" + b"#" * (1024 * 1024) + b"\n")
    code, out, _ = validate(repo)
    assert code == 1
    assert ("records/jimu/J-D1501-002.yaml", 1, "E-YAML-SIZE") in {
        (i["file"], i["line"], i["code"]) for i in parse_text(out)}


# --- validate writes nothing --------------------------------------------------------------

def test_nothing_is_written(tmp_path: Path) -> None:
    repo = copy_demo(tmp_path)
    plant_broken_files(repo)
    home, tmp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    tmp.mkdir()
    before = snapshot(repo)
    env = {**os.environ, "HOME": str(home), "TMPDIR": str(tmp), "XDG_CACHE_HOME": str(home / ".cache")}
    for fmt in ("text", "json"):
        proc = subprocess.run([sys.executable, "-m", "daicho", "validate", "--format", fmt],
                              cwd=repo, env=env, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 1
    assert snapshot(repo) == before
    assert list(home.iterdir()) == [] and list(tmp.iterdir()) == []


# --- messages never echo a record value ---------------------------------------------------

def canary_repo(tmp_path: Path) -> Path:
    """The canary string in an enum, a pattern, a type, a format and a syntax position."""
    repo = mini_repository(FIXTURES / "valid" / "contract" / "full", tmp_path)
    contract = repo / "records/contracts/2025/C-2025-D1501-001.yaml"
    text = contract.read_text(encoding="utf-8")
    text = text.replace("  - 種別: 書面検査", f"  - 種別: {CANARY}")  # enum
    text = text.replace("所管課: D1501", f"所管課: {CANARY}")  # pattern
    text = text.replace("個人情報の取扱い: true", f"個人情報の取扱い: {CANARY}")  # type
    text = text.replace("契約日: 2025-03-25", f"契約日: {CANARY}")  # format
    contract.write_text(text, encoding="utf-8")
    jimu = repo / "records/jimu/J-D1501-001.yaml"
    jimu_text = jimu.read_text(encoding="utf-8")
    (repo / "records/jimu/J-D1501-002.yaml").write_text(
        jimu_text.replace("J-D1501-001", "J-D1501-002").replace("事務の名称: がん検診事務",
                                                              f"事務の名称: {CANARY}: です"), encoding="utf-8")
    (repo / "records/jimu/J-D1501-003.yaml").write_text(
        jimu_text.replace("J-D1501-001", "J-D1501-003").replace("記録の形態: 電算・紙",
                                                              f"記録の形態: !!python/object {CANARY}"),
        encoding="utf-8")
    (repo / "records/jimu/J-D1501-004.yaml").write_text(
        jimu_text.replace("J-D1501-001", "J-D1501-004").replace("登録年月日: 2023-04-01",
                                                              f"登録年月日: \"{CANARY}"), encoding="utf-8")
    return repo


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_messages_never_echo_a_record_value(fmt: str, tmp_path: Path) -> None:
    repo = canary_repo(tmp_path)
    code, out, err = validate(repo, "--format", fmt)
    assert code == 1
    issues = json.loads(out)["issues"] if fmt == "json" else parse_text(out)
    codes = {(i["file"].rsplit("/", 1)[-1], i["code"]) for i in issues}
    assert {("C-2025-D1501-001.yaml", "E-SCHEMA-ENUM"), ("C-2025-D1501-001.yaml", "E-SCHEMA-PATTERN"),
            ("C-2025-D1501-001.yaml", "E-SCHEMA-TYPE"), ("C-2025-D1501-001.yaml", "E-SCHEMA-FORMAT"),
            ("J-D1501-002.yaml", "E-YAML-SYNTAX"), ("J-D1501-003.yaml", "E-YAML-TAG"),
            ("J-D1501-004.yaml", "E-YAML-SYNTAX")} <= codes
    assert CANARY not in out and CANARY not in err


# --- a broken schema file is reported, not crashed on ------------------------------------

def repo_with_own_schemas(tmp_path: Path) -> Path:
    repo = mini_repository(FIXTURES / "valid" / "jimu" / "minimal", tmp_path)
    (repo / "schemas").unlink()
    shutil.copytree(ROOT / "schemas", repo / "schemas")
    return repo


def test_schema_file_that_is_not_json(tmp_path: Path) -> None:
    repo = repo_with_own_schemas(tmp_path)
    schema = repo / "schemas" / "jimu.json"
    lines = schema.read_text(encoding="utf-8").split("\n")
    lines[4] += ",,"
    schema.write_text("\n".join(lines), encoding="utf-8")
    code, out, _ = validate(repo)
    assert code == 1
    ((issue),) = parse_text(out)
    assert (issue["file"], issue["line"], issue["code"]) == ("schemas/jimu.json", 5, "E-SCHEMA-FILE")


@pytest.mark.parametrize(("old", "new", "path"), [
    ('"type": "boolean"', '"type": "bool"', "$.properties."),  # not a JSON Schema type
    ('"common.json#/$defs/日付"', '"common.json#/$defs/日附"', "$"),  # $ref to nothing
])
def test_schema_file_that_is_not_a_usable_schema(old: str, new: str, path: str, tmp_path: Path) -> None:
    repo = repo_with_own_schemas(tmp_path)
    schema = repo / "schemas" / "jimu.json"
    schema.write_text(schema.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    code, out, _ = validate(repo)
    assert code == 1
    ((issue),) = parse_text(out)
    assert (issue["file"], issue["code"]) == ("schemas/jimu.json", "E-SCHEMA-FILE")
    assert str(issue["json_path"]).startswith(path)
