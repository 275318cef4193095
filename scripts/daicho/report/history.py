"""Figures of a closed FY that changed after it closed, read from the git history.

A FY is *closed* ``grace_days`` after its last day (the office compiles 資料1 in the weeks after
the FY ends). The check rebuilds the FY's tables from the repository as it stood at the last
commit on or before that day and compares them, cell by cell, with the tables of the working
tree. Where they differ it names each changed cell, and the record files added, changed or
deleted since that commit that can affect the FY (requests received in it, the FY's usage
record, register entries dated on or before its end). Comparing tables, not files, keeps a
corrected 備考 from raising an alarm.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import tarfile
import tempfile
from functools import cache
from pathlib import Path

from daicho import repository
from daicho.dates import fiscal_year, fy_end, fy_label
from daicho.report.finding import CODE_CHANGED, Finding
from daicho.report.tables import build
from daicho.repository import Record, Repository

DEFAULT_GRACE_DAYS = 90


def grace_days(repo: Repository) -> int:
    """Days after a FY's end until its figures count as final (settings, default 90)."""
    return repo.settings.get("運用状況", {}).get("数値確定までの日数", DEFAULT_GRACE_DAYS)
_BLANK_OLD = "（なし）"


def _git(cwd: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


_DATA_FILTER = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}


@cache
def _snapshot(top: Path, prefix: str, commit: str, fallback_schemas: Path) -> Repository:
    """The repository as committed in ``commit`` (records and schemas only)."""
    paths = [f"{prefix}{name}" for name in ("records", "schemas")
             if _git(top, "cat-file", "-e", f"{commit}:{prefix}{name}") is not None]
    archive = subprocess.run(["git", "archive", "--format=tar", commit, *paths], cwd=top,
                             capture_output=True, check=True, timeout=120).stdout
    with tempfile.TemporaryDirectory(prefix="daicho-snapshot-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            # Regular files and folders only; the "data" filter where Python has it (3.11.4+).
            safe = [m for m in tar.getmembers() if m.isfile() or m.isdir()]
            tar.extractall(tmp, members=safe, **_DATA_FILTER)
        root = Path(tmp) / prefix
        (root / "records").mkdir(parents=True, exist_ok=True)
        if not (root / "schemas").is_dir():
            shutil.copytree(fallback_schemas, root / "schemas")
        return repository.load(root)


def _values(repo: Repository, fy: int) -> dict[tuple[str, str, str], int]:
    """Every number the report gives for ``fy`` itself, keyed by (table, row, column)."""
    out: dict[tuple[str, str, str], int] = {}
    for table in build(repo, fy).tables:
        if table.key in ("jimu", "file"):
            columns = [len(table.columns) - 1]  # the 年度末 column of ``fy`` comes last
        elif table.key.endswith(f"-{fy}"):
            columns = list(range(len(table.columns)))
        else:
            continue
        for row in table.rows:
            for c in columns:
                out[(table.title, row.label, " ".join(table.columns[c]))] = row.values[c]
    return out


def _affects(record: Record | None, fy: int) -> bool:
    if record is None:
        return False
    d, end = record.data, fy_end(fy).isoformat()
    if record.type == "disclosure":
        return fiscal_year(d["受付日"]) == fy
    if record.type == "usage":
        return d["年度"] == fy
    if record.type in ("jimu", "file"):
        return d["登録年月日"] <= end or d.get("廃止年月日", "9999") <= end
    return record.type in ("organization", "settings")


def _changed_files(repo: Repository, old: Repository, commit: str, fy: int) -> list[str]:
    changed = (_git(repo.root, "diff", "--name-only", "--relative", commit, "--", "records") or "").split()
    changed += (_git(repo.root, "ls-files", "--others", "--exclude-standard", "--", "records") or "").split()
    now = {r.path: r for r in repo.records}
    then = {r.path: r for r in old.records}
    return sorted({p for p in changed if _affects(now.get(p), fy) or _affects(then.get(p), fy)})


def changed_after_close(repo: Repository, fys: list[int], today: dt.date, *,
                        grace_days: int = DEFAULT_GRACE_DAYS) -> tuple[list[Finding], list[str]]:
    """Findings for the closed FYs among ``fys``, and notes on the checks that could not run."""
    top = _git(repo.root, "rev-parse", "--show-toplevel")
    if top is None:
        return [], ["記録の変更履歴がないため、確定後に数値が変わっていないかは確認していません。"]
    prefix = _git(repo.root, "rev-parse", "--show-prefix") or ""
    findings: list[Finding] = []
    notes: list[str] = []
    for fy in sorted(set(fys)):
        label = fy_label(fy)
        closed = fy_end(fy) + dt.timedelta(days=grace_days)
        if closed >= today:
            notes.append(f"{label}の数値は {closed.isoformat()} に確定するため、確定後の変更の確認はまだ行いません。")
            continue
        commit = _git(repo.root, "rev-list", "-1", f"--before={closed.isoformat()} 23:59:59", "HEAD")
        if not commit:
            notes.append(f"{label}の確定日（{closed.isoformat()}）より前の記録の変更履歴がないため、"
                         "確定後に数値が変わっていないかは確認していません。")
            continue
        old = _snapshot(Path(top), prefix, commit, repo.schema_dir)
        before, after = _values(old, fy), _values(repo, fy)
        base = f"{label}の確定日（{closed.isoformat()}）時点の記録（変更履歴の版 {commit[:7]}）"
        keys = [*after, *(k for k in before if k not in after)]
        diffs = [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
        for (heading, row, column), was, now in diffs:
            findings.append(Finding(CODE_CHANGED,
                                    f"{label}の数値が確定後に変わっています: 「{heading}」{row}・{column} "
                                    f"{_BLANK_OLD if was is None else was} → {_BLANK_OLD if now is None else now}"
                                    f"（{base} との比較）"))
        if diffs:
            for path in _changed_files(repo, old, commit, fy):
                findings.append(Finding(CODE_CHANGED, f"{base}より後に追加・変更・削除された記録で、"
                                        f"{label}の数値に関わります", path, 1, 1))
    return findings, notes
