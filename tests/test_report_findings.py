"""Consistency findings: decisions and their 不開示事由, requests past the 法83条 deadline (from
the compliance engine), and figures changed after a FY closed (a real temporary git repository)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

from daicho import repository
from daicho.report import findings, history
from tests.conftest import run_daicho
from tests.report_fixture import request, write_small

TODAY = dt.date(2026, 11, 26)


def test_decisions_and_their_reasons(tmp_path: Path) -> None:
    root = write_small(
        tmp_path / "repo",
        request("R-2024-0001", "市長", "P000001", "2024-05-01",
                decisions=(("全部開示", None), ("部分開示", None), ("不開示（存否応答拒否）", []))),
        request("R-2024-0002", "市長", "P000002", "2024-05-01", decisions=(("全部開示", ["第2号"]),)),
        request("R-2024-0003", "市長", "P000003", "2024-05-01"),
        request("R-2024-0004", "市長", "P000004", "2024-05-01", decisions=(("部分開示", ["第2号"]),)),
        request("R-2022-0001", "市長", "P000005", "2022-05-01", decisions=(("部分開示", None),)),
    )
    repo = repository.load(root)
    assert not repo.errors
    got = [(f.code, f.file, f.line, f.path) for f in findings.decisions(repo, [2023, 2024])]
    assert got == [
        ("W-REPORT-REASON-MISSING", "records/disclosure/2024/R-2024-0001.yaml", 12, ("決定", 1, "結果")),
        ("W-REPORT-REASON-MISSING", "records/disclosure/2024/R-2024-0001.yaml", 15, ("決定", 2, "結果")),
        ("W-REPORT-REASON-UNEXPECTED", "records/disclosure/2024/R-2024-0002.yaml", 10, ("決定", 0, "不開示事由")),
        ("W-REPORT-NO-DECISION", "records/disclosure/2024/R-2024-0003.yaml", 5, ("状態",)),
    ]  # FY2022 is not reported, so its request is not listed
    done = run_daicho("report", "--root", str(root), "--fy", "2024", "--check", "--today", TODAY.isoformat())
    assert done.returncode == 1
    assert ("records/disclosure/2024/R-2024-0001.yaml:12:9: 警告[W-REPORT-REASON-MISSING] 「部分開示」の決定に"
            "不開示事由（法78条1項の号）がないため、不開示事由の表に数えられません ($.決定[1].結果)") in done.stdout
    assert done.stdout.splitlines()[-1] == "確認事項 4 件"


def test_requests_past_their_deadline_come_from_the_compliance_engine(tmp_path: Path) -> None:
    root = write_small(
        tmp_path / "repo",
        request("R-2025-0001", "市長", "P000001", "2025-06-02", "処理中"),  # due 2025-07-02
        request("R-2025-0002", "市長", "P000002", "2025-06-10", "処理中"),  # due 2025-07-10
        request("R-2025-0003", "市長", "P000003", "2025-06-02", decisions=(("全部開示", []),)),
    )
    repo = repository.load(root)
    on = dt.date(2025, 7, 5)
    items, notes = findings.overdue(repo, [2024, 2025], on)
    assert notes == []
    assert [(f.code, f.file, f.line) for f in items] == [
        ("W-REPORT-OVERDUE", "records/disclosure/2025/R-2025-0001.yaml", 4)]
    assert "期限 2025-07-02" in items[0].message
    assert findings.overdue(repo, [2023, 2024], on)[0] == []  # not a reported FY
    assert findings.overdue(repo, [2025], dt.date(2025, 7, 2))[0] == []  # due today: not yet late


def _git(cwd: Path, *args: str, when: str | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    if when:
        env |= {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True,
                          text=True).stdout


def _usage(fy: int, chief_inside: int) -> str:
    lines = [f"id: U-{fy}", f"年度: {fy}", "実績:", "  - 実施機関: 市長",
             f"    目的外利用: {{法69条2項1号: {chief_inside}, 法69条2項2号: 0, 法69条2項4号: 0, その他の法令: 0}}",
             "    外部提供: {法69条2項1号: 0, 法69条2項3号: 0, 法69条2項4号: 0, その他の法令: 0}"]
    return "\n".join(lines) + "\n"


def test_figures_changed_after_the_fy_closed(tmp_path: Path) -> None:
    root = write_small(
        tmp_path / "repo",
        request("R-2023-0001", "市長", "P000001", "2023-05-01", decisions=(("全部開示", []),)),
        request("R-2024-0001", "市長", "P000002", "2024-05-01", decisions=(("全部開示", []),)),
        _usage(2023, 5),
    )
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "FY2023 compiled", when="2024-05-20T10:00:00+09:00")
    # After FY2023 closed (2024-03-31 + 90 days = 2024-06-29): a late FY2023 request, a corrected
    # usage count, and a harmless note on an existing request.
    (root / "records/disclosure/2023/R-2023-0002.yaml").write_text(
        request("R-2023-0002", "市長", "P000003", "2024-02-01", decisions=(("部分開示", ["第2号"]),)),
        encoding="utf-8")
    (root / "records/usage/U-2023.yaml").write_text(_usage(2023, 7), encoding="utf-8")
    with (root / "records/disclosure/2024/R-2024-0001.yaml").open("a", encoding="utf-8") as f:
        f.write("備考: 確認済み\n")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "late changes", when="2024-09-01T10:00:00+09:00")

    repo = repository.load(root)
    assert not repo.errors
    items, notes = history.changed_after_close(repo, [2023, 2024], TODAY, grace_days=90)
    messages = [f.message for f in items if not f.file]
    assert any("「保有個人情報開示請求（令和5年度）」市長・請求件数 1 → 2" in m for m in messages)
    assert any("「部分開示決定等における不開示事由（令和5年度）」第2号 第三者の個人に関する情報・部分開示 0 → 1" in m
               for m in messages)
    assert any("「個人情報の目的外利用（令和5年度）」市長・根拠法令 法第69条第2項第1号 5 → 7" in m for m in messages)
    assert all("2024-06-29" in m for m in messages)
    files = [f.file for f in items if f.file]
    assert files == ["records/disclosure/2023/R-2023-0002.yaml", "records/usage/U-2023.yaml"]
    # FY2024 closed on 2025-06-29; nothing changed after the last commit before that day.
    assert notes == [] and not any("令和6年度" in m for m in messages)
    # FY2022 closed before the repository's first commit.
    assert history.changed_after_close(repo, [2022], TODAY) == (
        [], ["令和4年度の確定日（2023-06-29）より前の記録の変更履歴がないため、確定後に数値が変わっていないかは確認していません。"])

    # Not yet closed on the day of the check: nothing compared.
    items, notes = history.changed_after_close(repo, [2023], dt.date(2024, 6, 1), grace_days=90)
    assert items == [] and notes == ["令和5年度の数値は 2024-06-29 に確定するため、確定後の変更の確認はまだ行いません。"]
    # A longer grace period moves the closing day past the late commit: no change found.
    items, _ = history.changed_after_close(repo, [2023], TODAY, grace_days=200)
    assert items == []

    # An uncommitted edit counts too: the working tree is what the report is made from.
    (root / "records/disclosure/2023/R-2023-0003.yaml").write_text(
        request("R-2023-0003", "市長", "P000009", "2023-12-01", decisions=(("全部開示", []),)), encoding="utf-8")
    done = run_daicho("report", "--root", str(root), "--fy", "2024", "--check", "--today", TODAY.isoformat())
    assert done.returncode == 1
    assert "市長・請求件数 1 → 3" in done.stdout
    assert "records/disclosure/2023/R-2023-0003.yaml:1:1: 警告[W-REPORT-CHANGED-AFTER-CLOSE]" in done.stdout


def test_without_git_history_the_check_says_so(tmp_path: Path) -> None:
    repo = repository.load(write_small(tmp_path / "repo"))
    items, notes = history.changed_after_close(repo, [2023], TODAY)
    assert items == [] and notes == ["記録の変更履歴がないため、確定後に数値が変わっていないかは確認していません。"]
