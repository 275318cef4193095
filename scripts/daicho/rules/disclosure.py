"""Requests for disclosure, correction and suspension of use (法76・90・98条): the decision is due
a set number of days after the request was received (初日不算入; 開示 法83条, 訂正 法94条,
利用停止 法102条), or on the extended date when the period was extended (each article's 2項).
The day counts are the settings 「<decision>の日数」 and the notes 「<decision>」, keyed by the
duty's name (開示決定・訂正決定・利用停止決定)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from daicho.repository import Record
from daicho.result import Issue
from daicho.rules import facts
from daicho.rules.model import Context, Obligation, make

DEFAULT_REQUEST = "開示請求"
# 請求の種類 → the duty key of its decision (rules.yaml 義務).
DUTY = {"開示請求": "disclosure_decision", "訂正請求": "correction_decision",
        "利用停止請求": "suspension_decision"}


def request_kind(d: dict) -> str:
    """開示請求 / 訂正請求 / 利用停止請求 (a record without 請求の種類 is a 開示請求)."""
    return str(d.get("請求の種類", DEFAULT_REQUEST))


def departments(d: dict) -> list[str]:
    """The departments handling a request: its 保有課, then any other deciding department."""
    return list(dict.fromkeys([*d.get("保有課", []), *(x["所管課"] for x in d.get("決定", []))]))


def _department(d: dict) -> str:
    return next(iter(departments(d)), "")


def obligations(ctx: Context, r: Record) -> list[Obligation]:
    d = r.data
    received = ctx.seen(d["受付日"])
    if received is None:
        return []
    dept = _department(d)
    duty = DUTY[request_kind(d)]
    name = ctx.data.duty(duty)
    state = d["状態"]
    withdrawn = ctx.seen(d.get("取下げ日"))
    if state == "取下げ" and (withdrawn or not d.get("取下げ日")):
        return [make(ctx, r, duty, department=dept, note=ctx.data.note("対象外_取下げ"),
                     path=("状態",), not_applicable=True)]
    days = int(ctx.deadlines[f"{name}の日数"])
    due = ctx.add_days(received, days)
    note = ctx.data.note(name, 日数=days)
    extension = d.get("期限延長")
    if extension:
        due = dt.date.fromisoformat(extension["延長後の期限"])
        note = ctx.data.note(f"{name}_延長")
    decided = [ctx.seen(x["決定日"]) for x in d.get("決定", [])]
    if state == "決定済" and decided and all(decided):
        # A request spanning several departments is decided when its last decision is made.
        last = max(decided)  # type: ignore[type-var]
        i = decided.index(last)
        return [make(ctx, r, duty, department=dept, due=due, done=last, satisfied=True,
                     path=("決定", i, "決定日"), note=note)]
    if state == "却下":
        return [make(ctx, r, duty, department=dept, due=due, satisfied=True, path=("状態",),
                     note=note + "（却下）")]
    path: tuple[str | int, ...] = ("期限延長", "延長後の期限") if extension else ("受付日",)
    return [make(ctx, r, duty, department=dept, due=due, path=path, note=note)]


def findings(ctx: Context, r: Record) -> Iterator[Issue]:
    d = r.data
    if ctx.seen(d["受付日"]) is None:
        return  # not yet received on ``today``
    extension = d.get("期限延長")
    if extension:
        received = dt.date.fromisoformat(d["受付日"])
        name = ctx.data.duty(DUTY[request_kind(d)])
        limit = ctx.add_days(received, int(ctx.deadlines[f"{name}の日数"]) + int(ctx.deadlines[f"{name}の延長日数"]))
        if dt.date.fromisoformat(extension["延長後の期限"]) > limit:
            yield r.issue("W-DISCLOSURE-EXTENSION",
                          f"延長後の期限が延長の上限（{limit.isoformat()}）を超えています"
                          f"（{ctx.data.note(f'{name}_延長')}）",
                          ("期限延長", "延長後の期限"), severity="warning")
    if facts.decision_missing(d):
        yield r.issue("W-DISCLOSURE-DECISION", "状態が「決定済」ですが「決定」がありません", ("状態",),
                      severity="warning")
