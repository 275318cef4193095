"""Disclosure requests (法83条): the 開示決定等 is due 開示決定の日数 days after the request was
received (初日不算入), or on the extended date when the period was extended (法83条2項)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from daicho.repository import Record
from daicho.result import Issue
from daicho.rules import facts
from daicho.rules.model import Context, Obligation, make

KIND = "disclosure_decision"  # duty key (rules.yaml 義務)


def _department(d: dict) -> str:
    decisions = d.get("決定", [])
    return decisions[0]["所管課"] if decisions else ""


def obligations(ctx: Context, r: Record) -> list[Obligation]:
    d = r.data
    received = ctx.seen(d["受付日"])
    if received is None:
        return []
    dept = _department(d)
    state = d["状態"]
    withdrawn = ctx.seen(d.get("取下げ日"))
    if state == "取下げ" and (withdrawn or not d.get("取下げ日")):
        return [make(ctx, r, KIND, department=dept, note=ctx.data.note("対象外_取下げ"),
                     path=("状態",), not_applicable=True)]
    days = int(ctx.deadlines["開示決定の日数"])
    due = ctx.add_days(received, days)
    note = ctx.data.note("開示決定", 日数=days)
    extension = d.get("期限延長")
    if extension:
        due = dt.date.fromisoformat(extension["延長後の期限"])
        note = ctx.data.note("開示決定_延長")
    decided = [ctx.seen(x["決定日"]) for x in d.get("決定", [])]
    if state == "決定済" and decided and all(decided):
        # A request spanning several departments is decided when its last decision is made.
        last = max(decided)  # type: ignore[type-var]
        i = decided.index(last)
        return [make(ctx, r, KIND, department=dept, due=due, done=last, satisfied=True,
                     path=("決定", i, "決定日"), note=note)]
    if state == "却下":
        return [make(ctx, r, KIND, department=dept, due=due, satisfied=True, path=("状態",),
                     note=note + "（却下）")]
    path: tuple[str | int, ...] = ("期限延長", "延長後の期限") if extension else ("受付日",)
    return [make(ctx, r, KIND, department=dept, due=due, path=path, note=note)]


def findings(ctx: Context, r: Record) -> Iterator[Issue]:
    d = r.data
    if ctx.seen(d["受付日"]) is None:
        return  # not yet received on ``today``
    extension = d.get("期限延長")
    if extension:
        received = dt.date.fromisoformat(d["受付日"])
        limit = ctx.add_days(received, int(ctx.deadlines["開示決定の日数"]) + int(ctx.deadlines["開示決定の延長日数"]))
        if dt.date.fromisoformat(extension["延長後の期限"]) > limit:
            yield r.issue("W-DISCLOSURE-EXTENSION",
                          f"延長後の期限が法83条2項の上限（{limit.isoformat()}）を超えています",
                          ("期限延長", "延長後の期限"), severity="warning")
    if facts.decision_missing(d):
        yield r.issue("W-DISCLOSURE-DECISION", "状態が「決定済」ですが「決定」がありません", ("状態",),
                      severity="warning")
