"""Obligation: one duty of one record, with its deadline and where it stands on a given day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from daicho.dates import fy_span_label
from daicho.forms import Forms
from daicho.holidays import Calendar
from daicho.repository import Record
from daicho.rules import facts
from daicho.rules.data import RuleData

DONE = "済"
OPEN = "未実施"
OVERDUE = "期限切れ"
NOT_APPLICABLE = "対象外"
STATUSES = (OVERDUE, OPEN, DONE, NOT_APPLICABLE)


@dataclass(frozen=True)
class Obligation:
    record_id: str  # the record the duty belongs to
    record_type: str  # "contract" | "incident" | "disclosure"
    kind: str  # the duty's name as users see it (rules.yaml 義務.<key>.名前: チェックリスト提出, …)
    department: str  # owning department code (first 発生部署 for incidents; "" when unknown)
    fy: int | None  # the FY a yearly duty belongs to (inspections), else None
    due: dt.date | None  # deadline (None when the rule has no fixed date)
    done: dt.date | None  # when it was satisfied
    status: str  # 済 | 未実施 (open, not yet due) | 期限切れ (open, past due) | 対象外
    late: bool  # done, but after the due date
    path: tuple[str | int, ...]  # JSON path into the record (for file:line:col)
    note: str  # short Japanese explanation with the rule's source
    since: dt.date | None = None  # first day the duty exists (for duties without a fixed due date)
    duty: str = ""  # the duty's key in rules.yaml 義務 (checklist, quick_report, …)
    fy_last: int | None = None  # last FY of a multi-year duty (the 3-year 実地検査 window), else None

    @property
    def fys(self) -> tuple[int, ...]:
        """The fiscal years the duty covers: (fy,), the window's years, or () when not yearly."""
        if self.fy is None:
            return ()
        return tuple(range(self.fy, (self.fy_last or self.fy) + 1))

    @property
    def label(self) -> str:
        """The duty with the fiscal years it covers: 書面検査（令和7年度）, 実地検査（令和8〜10年度）."""
        fys = self.fys
        return f"{self.kind}（{fy_span_label(fys[0], fys[-1])}）" if fys else self.kind

    @property
    def is_open(self) -> bool:
        return self.status in (OPEN, OVERDUE)

    def days_left(self, today: dt.date) -> int | None:
        """Days from ``today`` to the deadline of an open duty (negative when overdue); None when
        it is settled or has no fixed date."""
        if not self.is_open or self.due is None:
            return None
        return (self.due - today).days

    def in_view(self, today: dt.date, horizon: int) -> bool:
        """What the dashboard and ``daicho due`` show by default: overdue, due within ``horizon``
        days, or open without a fixed date once the duty exists."""
        if self.status == OVERDUE:
            return True
        if self.status != OPEN:
            return False
        if self.due is not None:
            return self.due <= today + dt.timedelta(days=horizon)
        return self.since is None or self.since <= today


@dataclass(frozen=True)
class Context:
    """Everything a rule needs besides the record: the day, the data, the office's settings."""

    today: dt.date
    data: RuleData
    deadlines: dict[str, Any]  # 期限 settings with defaults filled in
    forms: Forms

    @property
    def calendar(self) -> Calendar:
        return self.data.calendar

    def seen(self, value: str | None) -> dt.date | None:
        """A recorded date, or None when absent or still in the future on ``today``: evaluating the
        records as of an earlier day must not count what happened after it."""
        return facts.seen(value, self.today)

    def add_days(self, start: dt.date, n: int) -> dt.date:
        return self.calendar.add_days(start, n,
                                      move_to_business_day=bool(self.deadlines["休日は翌開庁日に延ばす"]))


def make(ctx: Context, record: Record, duty: str, *, department: str, note: str,
         path: tuple[str | int, ...], due: dt.date | None = None, done: dt.date | None = None,
         satisfied: bool = False, fy: int | None = None, since: dt.date | None = None,
         not_applicable: bool = False, fy_last: int | None = None) -> Obligation:
    """Build an obligation of the duty ``duty`` (a key of rules.yaml 義務) and derive its status
    and lateness from the dates."""
    if not_applicable:
        status, late, due, done = NOT_APPLICABLE, False, None, None
    elif satisfied:
        status, late = DONE, bool(due and done and done > due)
    else:
        status, late, done = (OVERDUE if due is not None and ctx.today > due else OPEN), False, None
    return Obligation(record.id, record.type, ctx.data.duty(duty), department, fy, due, done, status,
                      late, path, note, since, duty, fy_last)
