"""Day counting: business days, 初日不算入 deadlines, months and fiscal years (民法140条・143条)."""

from __future__ import annotations

from pathlib import Path

import pytest

from daicho import rules
from daicho.holidays import Calendar
from daicho.rules.data import load_rule_data
from daicho.rules.periods import fiscal_years, months_period_end, within_months
from tests.test_rules_support import SCHEMAS, day, load_copy, replace_in

CAL = load_rule_data(SCHEMAS).calendar


@pytest.mark.parametrize(("value", "open_", "reason"), [
    ("2025-06-02", True, None),  # Monday
    ("2025-08-31", False, "日曜日"),
    ("2025-09-06", False, "土曜日"),
    ("2025-01-01", False, "元日"),
    ("2025-01-02", False, "年末年始等の閉庁日"),
    ("2025-01-03", False, "年末年始等の閉庁日"),
    ("2024-12-27", True, None),  # the Friday before 仕事納め is open
    ("2025-12-29", False, "年末年始等の閉庁日"),  # a Monday, closed as data says
    ("2025-05-06", False, None),  # 振替休日
    ("2026-09-22", False, None),  # 国民の休日 between two holidays
    ("2025-01-06", True, None),
])
def test_business_days(value: str, open_: bool, reason: str | None) -> None:
    d = day(value)
    assert CAL.is_business_day(d) is open_
    if reason:
        assert CAL.closed_reason(d) == reason


@pytest.mark.parametrize(("start", "n", "off", "on"), [
    ("2025-06-02", 5, "2025-06-07", "2025-06-09"),  # ends on a Saturday
    ("2025-06-02", 30, "2025-07-02", "2025-07-02"),  # the day after 判明日 is day 1
    ("2025-08-26", 5, "2025-08-31", "2025-09-01"),  # ends on a Sunday
    ("2024-11-02", 60, "2025-01-01", "2025-01-06"),  # 元日, 1/2–1/3 closed, then a weekend
    ("2025-06-02", 1, "2025-06-03", "2025-06-03"),
    ("2025-08-31", 0, "2025-08-31", "2025-09-01"),
])
def test_add_days_with_the_setting_off_and_on(start: str, n: int, off: str, on: str) -> None:
    assert CAL.add_days(day(start), n) == day(off)
    assert CAL.add_days(day(start), n, move_to_business_day=True) == day(on)


def test_public_helpers_follow_the_repository_settings(tmp_path: Path) -> None:
    off = load_copy(tmp_path / "off")
    on = load_copy(tmp_path / "on", settings={"休日は翌開庁日に延ばす": True})
    assert rules.add_days(day("2025-08-26"), 5, off) == day("2025-08-31")
    assert rules.add_days(day("2025-08-26"), 5, on) == day("2025-09-01")
    assert not rules.is_business_day(day("2025-01-02"), off)
    assert rules.deadlines(off)["確報の日数_不正の目的"] == 60  # default from schemas/rules.yaml


def test_closed_days_are_data(tmp_path: Path) -> None:
    def reopen_jan_2(root: Path) -> None:
        replace_in(root / "schemas/rules.yaml", '"01-02", ', "")
    repo = load_copy(tmp_path, edit=reopen_jan_2, settings={"休日は翌開庁日に延ばす": True})
    assert rules.is_business_day(day("2025-01-02"), repo)
    assert rules.add_days(day("2024-11-02"), 60, repo) == day("2025-01-02")


def test_bad_month_day_in_the_data_is_rejected() -> None:
    with pytest.raises(ValueError):
        Calendar.from_month_days(["13-01"])


@pytest.mark.parametrize(("start", "end"), [
    ("2025-04-01", "2025-09-30"),  # starts on the 1st: the calendar months
    ("2025-10-01", "2026-03-31"),
    ("2025-12-15", "2026-06-14"),
    ("2025-08-31", "2026-02-28"),  # no 2/31: the month's last day (民法143条2項ただし書)
    ("2025-08-29", "2026-02-28"),  # no 2/29 in 2026
    ("2025-08-28", "2026-02-27"),
    ("2027-08-31", "2028-02-29"),  # leap year
    ("2027-08-30", "2028-02-29"),
    ("2027-08-29", "2028-02-28"),  # 2/29 exists in 2028: the day before it
    ("2028-02-29", "2028-08-28"),  # starts on a leap day
])
def test_six_months_end(start: str, end: str) -> None:
    assert months_period_end(day(start), 6) == day(end)


@pytest.mark.parametrize(("start", "end", "short"), [
    ("2025-04-01", "2025-09-30", True),
    ("2025-04-01", "2025-10-01", False),
    ("2027-08-29", "2028-02-28", True),
    ("2027-08-29", "2028-02-29", False),
    ("2027-08-31", "2028-02-29", True),
    ("2025-04-01", "2025-04-01", True),
])
def test_six_months_or_less_both_sides(start: str, end: str, short: bool) -> None:
    assert within_months(day(start), day(end), 6) is short


def test_fiscal_years_at_the_march_april_boundary() -> None:
    assert fiscal_years(day("2025-03-31"), day("2025-04-01")) == [2024, 2025]
    assert fiscal_years(day("2025-04-01"), day("2026-03-31")) == [2025]
    assert fiscal_years(day("2025-04-01"), day("2029-03-31")) == [2025, 2026, 2027, 2028]
