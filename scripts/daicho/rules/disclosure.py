"""Requests for disclosure, correction and suspension of use (法76・90・98条): the decision is due
a set number of days after the request was received (初日不算入; 開示 法83条, 訂正 法94条,
利用停止 法102条), or on the extended date when the period was extended (each article's 2項)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from daicho.repository import Record
from daicho.result import Issue
from daicho.rules.model import Context, Obligation, make

DEFAULT_REQUEST = "開示請求"


def request_kind(d: dict) -> str:
    """開示請求 / 訂正請求 / 利用停止請求 (a record without 請求の種類 is a 開示請求)."""
    return str(d.get("請求の種類", DEFAULT_REQUEST))


def decision_kind(d: dict) -> str:
    """The duty's name: 開示決定, 訂正決定 or 利用停止決定 (also its 期限 settings' and notes' key)."""
    return request_kind(d).removesuffix("請求") + "決定"


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
    kind = decision_kind(d)
    state = d["状態"]
    withdrawn = ctx.seen(d.get("取下げ日"))
    if state == "取下げ" and (withdrawn or not d.get("取下げ日")):
        return [make(ctx, r, kind, department=dept, note=ctx.data.note("対象外_取下げ"),
                     path=("状態",), not_applicable=True)]
    days = int(ctx.deadlines[f"{kind}の日数"])
    due = ctx.add_days(received, days)
    note = ctx.data.note(kind, 日数=days)
    extension = d.get("期限延長")
    if extension:
        due = dt.date.fromisoformat(extension["延長後の期限"])
        note = ctx.data.note(f"{kind}_延長")
    decided = [ctx.seen(x["決定日"]) for x in d.get("決定", [])]
    if state == "決定済" and decided and all(decided):
        # A request spanning several departments is decided when its last decision is made.
        last = max(decided)  # type: ignore[type-var]
        i = decided.index(last)
        return [make(ctx, r, kind, department=dept, due=due, done=last, satisfied=True,
                     path=("決定", i, "決定日"), note=note)]
    if state == "却下":
        return [make(ctx, r, kind, department=dept, due=due, satisfied=True, path=("状態",),
                     note=note + "（却下）")]
    path: tuple[str | int, ...] = ("期限延長", "延長後の期限") if extension else ("受付日",)
    return [make(ctx, r, kind, department=dept, due=due, path=path, note=note)]


def findings(ctx: Context, r: Record) -> Iterator[Issue]:
    d = r.data
    extension = d.get("期限延長")
    if extension:
        received = dt.date.fromisoformat(d["受付日"])
        kind = decision_kind(d)
        limit = ctx.add_days(received, int(ctx.deadlines[f"{kind}の日数"]) + int(ctx.deadlines[f"{kind}の延長日数"]))
        if dt.date.fromisoformat(extension["延長後の期限"]) > limit:
            yield r.issue("W-DISCLOSURE-EXTENSION",
                          f"延長後の期限が延長の上限（{limit.isoformat()}）を超えています"
                          f"（{ctx.data.note(f'{kind}_延長')}）",
                          ("期限延長", "延長後の期限"), severity="warning")
    if d["状態"] == "決定済" and not d.get("決定"):
        yield r.issue("W-DISCLOSURE-DECISION", "状態が「決定済」ですが「決定」がありません", ("状態",),
                      severity="warning")
