"""Consistency findings the office checks before the council meeting.

- a 部分開示 / 不開示 / 存否応答拒否 decision without its 法78条1項 items (it would be missing
  from §2③④), items on a decision that takes none, a 決定済 request without any decision;
- a request still 処理中 past its 法83条 deadline (from the compliance engine,
  ``daicho.rules.obligations``; the deadline rule lives there only);
- the figures of a closed FY that changed after it closed (:mod:`daicho.report.history`).
"""

from __future__ import annotations

import datetime as dt
import importlib

from daicho.dates import fiscal_year, fy_label
from daicho.errors import DaichoError
from daicho.report import counting, history
from daicho.report.finding import (
    CODE_CHANGED,
    CODE_NO_DECISION,
    CODE_OVERDUE,
    CODE_REASON_MISSING,
    CODE_REASON_UNEXPECTED,
    Finding,
    Findings,
)
from daicho.repository import Record, Repository


def _at(record: Record, code: str, message: str, path: tuple[str | int, ...]) -> Finding:
    line, col = record.doc.position(path)
    return Finding(code, message, record.path, line, col, path)


def decisions(repo: Repository, fys: list[int]) -> list[Finding]:
    out = []
    for fy in fys:
        for r in counting.requests_of(repo, fy):
            decided = r.data.get("決定", [])
            if r.data["状態"] == "決定済" and not decided:
                out.append(_at(r, CODE_NO_DECISION,
                               "状態が「決定済」ですが決定が記録されていないため、処理状況に数えられません",
                               ("状態",)))
            for i, d in enumerate(decided):
                items = d.get("不開示事由", [])
                if d["結果"] in counting.WITHHOLDING and not items:
                    out.append(_at(r, CODE_REASON_MISSING,
                                   f"「{d['結果']}」の決定に不開示事由（法78条1項の号）がないため、"
                                   "不開示事由の表に数えられません", ("決定", i, "結果")))
                elif d["結果"] not in counting.WITHHOLDING and items:
                    out.append(_at(r, CODE_REASON_UNEXPECTED,
                                   f"「{d['結果']}」の決定に不開示事由が記録されています（不開示事由の表には"
                                   "数えません）", ("決定", i, "不開示事由")))
    return out


def overdue(repo: Repository, fys: list[int], today: dt.date) -> tuple[list[Finding], list[str]]:
    """Requests of the reported FYs still 処理中 past their deadline, as the compliance engine
    computes it (kind 開示決定, status 期限切れ)."""
    try:
        rules = importlib.import_module("daicho.rules")
        obligations = rules.obligations
    except (ImportError, AttributeError):
        return [], ["法83条の決定期限の確認は、期限管理（daicho.rules.obligations）がないため行っていません。"]
    try:
        found = obligations(repo, today)
    except DaichoError as exc:  # broken rule data
        return [], [f"法83条の決定期限を確認できませんでした（{exc}）。"]
    out = []
    for ob in found:
        if ob.duty != "disclosure_decision" or ob.status != rules.OVERDUE:
            continue
        r = repo.get(ob.record_id)
        if r is None or r.type != "disclosure" or fiscal_year(r.data["受付日"]) not in fys:
            continue
        if r.data["状態"] != "処理中":
            continue
        due = f"（期限 {ob.due.isoformat()}）" if ob.due else ""
        out.append(_at(r, CODE_OVERDUE,
                       f"法83条の決定期限を過ぎても処理中です{due}。{fy_label(fiscal_year(r.data['受付日']))}"
                       "の処理状況にはまだ数えられていません", ob.path or ("状態",)))
    return out, []


def collect(repo: Repository, fys: list[int], today: dt.date, *, grace_days: int) -> Findings:
    found = Findings()
    found.items += decisions(repo, fys)
    items, notes = overdue(repo, fys, today)
    found.items += items
    found.notes += notes
    items, notes = history.changed_after_close(repo, fys, today, grace_days=grace_days)
    found.items += items
    found.notes += notes
    return found


__all__ = ["CODE_CHANGED", "CODE_NO_DECISION", "CODE_OVERDUE", "CODE_REASON_MISSING", "CODE_REASON_UNEXPECTED",
           "Finding", "Findings", "collect", "decisions", "overdue"]
