"""Editing records as clerks do (issue 7): `daicho new`, `daicho new inspection`, `daicho fmt`."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from daicho import yamlio
from tests.conftest import ROOT, run_daicho

FILLED = {
    "案件名": "令和8年度健康診査結果通知書作成業務委託",
    "受託者:\n  # 名称: 受託者の名称。例: 株式会社〇〇\n  名称": "株式会社八千代データサービス",
    "契約日": "2026-04-01",
    "  開始": "2026-04-10",
    "  終了": "2027-03-31",
    "契約形態": "通常",
    "個人情報の取扱い": "true",
    "  提出日": "2026-03-20",
    "特記仕様書": "特記仕様書",
    "取扱い個人情報一覧": "[氏名, 住所, 健診結果]",
}


def _repo(tmp: Path) -> Path:
    """A throwaway git repository holding a copy of the project's records and schemas."""
    repo = tmp / "repo"
    for name in ("records", "schemas"):
        shutil.copytree(ROOT / name, repo / name)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "start")
    return repo


def _git(repo: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.invalid", "PATH": "/usr/bin:/bin"}
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True, env=env).stdout


def _new(repo: Path, *args: str) -> Path:
    result = run_daicho("new", *args, "--root", str(repo))
    assert result.returncode == 0, result.stdout + result.stderr
    rel = re.search(r"作成しました: (\S+)", result.stdout).group(1)
    return repo / rel


def _fill(path: Path) -> None:
    root = next(p for p in path.parents if (p / "records").is_dir())
    jimu = sorted((root / "records" / "jimu").glob("*.yaml"))[0].stem
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^事務:$", f"事務: [{jimu}]", text, count=1)
    for key, value in FILLED.items():
        text = re.sub(rf"(?m)^{re.escape(key)}:$", f"{key}: {value}", text, count=1)
    text = re.sub(r"(?m)^(    問1):$", r"\1: はい", text)
    text = re.sub(r"(?m)^(    問3):$", r"\1: 該当なし", text)
    text = re.sub(r"(?m)^(    問[24567]):$", r"\1: はい", text)
    path.write_text(text, encoding="utf-8")


def test_new_contract_has_placeholders_that_validate_reports_then_fills_to_valid(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    path = _new(repo, "contract", "--department", "D1501", "--fy", "2026")
    assert path.parent == repo / "records" / "contracts" / "2026"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schemas/contract.json")
    assert "# 案件名: 契約の件名" in text and "当該委託において，個人情報を取り扱いますか。" in text
    result = run_daicho("validate", "--root", str(repo))
    assert result.returncode == 1
    rel = path.relative_to(repo).as_posix()
    unfilled = [line for line in result.stdout.splitlines() if "E-SCHEMA-UNFILLED" in line]
    assert len(unfilled) >= 10
    assert all(re.match(rf"{re.escape(rel)}:[0-9]+:[0-9]+: エラー\[E-SCHEMA-UNFILLED\] 「.+」が未記入です", line)
               for line in unfilled)
    _fill(path)
    result = run_daicho("validate", "--root", str(repo))
    assert result.returncode == 0, result.stdout


def test_two_branches_adding_a_contract_for_the_same_department_merge_cleanly(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    created = []
    for branch in ("clerk-a", "clerk-b"):
        _git(repo, "checkout", "-q", "-b", branch, "main")
        path = _new(repo, "contract", "--department", "D1501", "--fy", "2026")
        _fill(path)
        created.append(path.name)
        _git(repo, "add", "-A")
        _git(repo, "commit", "-qm", f"contract from {branch}")
    assert created[0] != created[1]
    _git(repo, "checkout", "-q", "main")
    _git(repo, "merge", "-q", "--no-edit", "clerk-a")
    _git(repo, "merge", "-q", "--no-edit", "clerk-b")
    result = run_daicho("validate", "--root", str(repo))
    assert result.returncode == 0, result.stdout
    assert all((repo / "records" / "contracts" / "2026" / name).is_file() for name in created)


def test_merged_duplicate_ids_are_caught(tmp_path: Path) -> None:
    """Ids copied by hand are still caught on the merged result."""
    repo = _repo(tmp_path)
    path = _new(repo, "contract", "--department", "D1501", "--fy", "2026")
    _fill(path)
    twin = path.with_name("C-2026-D1501-001.yaml")
    twin.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_daicho("validate", "--root", str(repo))
    assert "E-ID-DUPLICATE" in result.stdout and "E-ID-FILENAME" in result.stdout


def test_new_inspection_appends_all_sheet_items_and_keeps_comments(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    contract = next((repo / "records" / "contracts").rglob("*.yaml"))
    original = contract.read_text(encoding="utf-8")
    contract.write_text("# 担当メモ: 次回は実地で\n" + original.replace("\n案件名:", "\n# 件名の由来\n案件名:", 1),
                        encoding="utf-8")
    before = yamlio.load_bytes(contract.read_bytes()).data
    result = run_daicho("new", "inspection", before["id"], "--kind", "実地検査", "--root", str(repo))
    assert result.returncode == 0, result.stdout
    text = contract.read_text(encoding="utf-8")
    assert "# 担当メモ: 次回は実地で" in text and "# 件名の由来" in text
    after = yamlio.load_bytes(contract.read_bytes()).data
    added = after["検査"][-1]
    assert added["種別"] == "実地検査"
    items = yamlio.load_bytes((repo / "schemas/forms/inspection_items.yaml").read_bytes()).data["項目"]
    assert list(added["結果"]) == [i["id"] for i in items]
    assert {k: v for k, v in after.items() if k != "検査"} == {k: v for k, v in before.items() if k != "検査"}
    out = run_daicho("validate", "--root", str(repo)).stdout
    assert "未記入" in out and "$.検査[" in out


def test_fmt_check_passes_on_the_demo_records() -> None:
    result = run_daicho("fmt", "--check")
    assert result.returncode == 0, result.stdout[-3000:]


def test_fmt_restores_canonical_order_keeps_comments_and_is_idempotent(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    target = next((repo / "records" / "contracts").rglob("*.yaml"))
    canonical = target.read_text(encoding="utf-8")
    data_before = yamlio.load_bytes(target.read_bytes()).data
    # Shuffle the top-level blocks (each with its comment lines) and add comments.
    blocks = re.split(r"(?m)^(?=[^\s#-])", canonical)
    head, body = blocks[0], blocks[1:]
    body = [f"# コメント{i}\n{b}" for i, b in enumerate(body)]
    random.Random(7).shuffle(body)
    target.write_text(head + "".join(body), encoding="utf-8")
    assert run_daicho("fmt", "--check", "--root", str(repo)).returncode == 1
    assert run_daicho("fmt", "--root", str(repo)).returncode == 0
    once = target.read_text(encoding="utf-8")
    assert [k for k in yamlio.load(once).data] == [k for k in data_before]
    assert yamlio.load(once).data == data_before
    assert all(f"# コメント{i}" in once for i in range(len(body)))
    assert run_daicho("fmt", "--root", str(repo)).returncode == 0
    assert target.read_text(encoding="utf-8") == once


@pytest.mark.parametrize("broken", ["a: [1,\n", "a: 1\na: 2\n"])
def test_fmt_leaves_unreadable_files_alone(tmp_path: Path, broken: str) -> None:
    repo = _repo(tmp_path)
    path = repo / "records" / "jimu" / "J-D1501-999.yaml"
    path.write_text(broken, encoding="utf-8")
    result = run_daicho("fmt", "--root", str(repo))
    assert result.returncode == 1 and "J-D1501-999.yaml:" in result.stdout
    assert path.read_text(encoding="utf-8") == broken
