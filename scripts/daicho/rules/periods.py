"""Periods of months and fiscal years, counted as the 民法 counts them."""

from __future__ import annotations

import calendar
import datetime as dt

from daicho.dates import fiscal_year


def months_period_end(start: dt.date, months: int) -> dt.date:
    """Last day of a period of ``months`` months whose first day is ``start`` (民法143条).

    A contract term begins at the start of its first day, so that day counts; the period ends
    the day before the day that corresponds to ``start`` in the last month, or — when that month
    has no such day (8/31 + 6 months) — on the last day of that month.
    """
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if start.day > last:
        return dt.date(year, month, last)
    return dt.date(year, month, start.day) - dt.timedelta(days=1)


def within_months(start: dt.date, end: dt.date, months: int) -> bool:
    """True when the term ``start``…``end`` (both included) lasts ``months`` months or less."""
    return end <= months_period_end(start, months)


def fiscal_years(start: dt.date, end: dt.date) -> list[int]:
    """Every 年度 the term ``start``…``end`` touches, in order."""
    return list(range(fiscal_year(start), fiscal_year(end) + 1))
