"""Business days and deadline arithmetic.

A day is closed (閉庁日) when it is a Saturday or Sunday, a 国民の祝日 or 休日 under the 祝日法
(jpholiday, which includes 振替休日 and 国民の休日), or one of the extra month-days kept as data
in ``schemas/rules.yaml`` (年末年始, 12/29–1/3 in most cities). Deadlines are counted the way
民法140条 counts them: the first day is not counted (初日不算入), so "N days from day D" ends
on D + N; whether an end that falls on a closed day moves to the next open day is a setting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import jpholiday


@dataclass(frozen=True)
class Calendar:
    """Closed days of the office: weekends, national holidays and ``extra`` (month, day) pairs."""

    extra: frozenset[tuple[int, int]] = frozenset()

    @classmethod
    def from_month_days(cls, month_days: Iterable[str]) -> Calendar:
        """``["12-29", "01-03"]`` → a calendar closing those days every year."""
        pairs = set()
        for md in month_days:
            month, day = (int(x) for x in md.split("-"))
            dt.date(2000, month, day)  # validates (2000 is a leap year, so 02-29 is accepted)
            pairs.add((month, day))
        return cls(frozenset(pairs))

    def closed_reason(self, day: dt.date) -> str | None:
        """Why the office is closed on ``day`` (None when it is open)."""
        if day.weekday() == 5:
            return "土曜日"
        if day.weekday() == 6:
            return "日曜日"
        name = jpholiday.is_holiday_name(day)
        if name:
            return name
        if (day.month, day.day) in self.extra:
            return "年末年始等の閉庁日"
        return None

    def is_business_day(self, day: dt.date) -> bool:
        return self.closed_reason(day) is None

    def next_business_day(self, day: dt.date) -> dt.date:
        """``day`` itself when open, else the first open day after it."""
        while not self.is_business_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_days(self, start: dt.date, n: int, *, move_to_business_day: bool = False) -> dt.date:
        """The deadline "``n`` days from ``start``": 初日不算入, so the day after ``start`` is day 1
        and the deadline is ``start + n``; moved to the next open day only when asked."""
        end = start + dt.timedelta(days=n)
        return self.next_business_day(end) if move_to_business_day else end


def is_business_day(day: dt.date, calendar: Calendar) -> bool:
    return calendar.is_business_day(day)


def add_days(start: dt.date, n: int, settings: dict, calendar: Calendar) -> dt.date:
    """``n`` days from ``start`` under the 期限 settings (key 休日は翌開庁日に延ばす)."""
    return calendar.add_days(start, n, move_to_business_day=bool(settings.get("休日は翌開庁日に延ばす")))
