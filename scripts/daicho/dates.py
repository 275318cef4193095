"""Dates as the city writes them: 和暦 with 西暦, and the April–March fiscal year (年度)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import unicodedata

from daicho.errors import DaichoError

TODAY_VARIABLE = "DAICHO_TODAY"


class TodayError(DaichoError):
    """DAICHO_TODAY is set but is not a date."""

    def __init__(self, message: str) -> None:
        super().__init__("E-TODAY", message)


def today() -> dt.date:
    """The day every command and both sites evaluate the records on: ``DAICHO_TODAY``
    (YYYY-MM-DD) if set, else the current date. The one place that decides it, so a demo, a test
    or a scheduled job can pin the day for ``due``, ``report``, ``validate`` and the site alike
    (a command's ``--today`` option, when given, wins)."""
    value = os.environ.get(TODAY_VARIABLE, "").strip()
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise TodayError(f"環境変数 {TODAY_VARIABLE}「{value}」は YYYY-MM-DD 形式の日付ではありません") from None

# (first day, era name); newest first.
_ERAS = (
    (dt.date(2019, 5, 1), "令和"),
    (dt.date(1989, 1, 8), "平成"),
    (dt.date(1926, 12, 25), "昭和"),
)


def parse(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def arg_date(value: str) -> dt.date:
    """argparse ``type=`` for a YYYY-MM-DD option, with the Japanese usage message."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日付は YYYY-MM-DD で指定してください（{value}）") from None


def era(day: dt.date) -> tuple[str, int]:
    for start, name in _ERAS:
        if day >= start:
            return name, day.year - start.year + 1
    raise ValueError(f"{day} は対応する元号の範囲外です")


def _year(name: str, n: int) -> str:
    return f"{name}{'元' if n == 1 else n}年"


def wareki(day: dt.date | str) -> str:
    """令和7年6月27日; 令和元年5月1日."""
    if isinstance(day, str):
        day = parse(day)
    name, n = era(day)
    return f"{_year(name, n)}{day.month}月{day.day}日"


def wareki_with_iso(day: dt.date | str) -> str:
    """令和7年6月27日 (2025-06-27): the form the site shows."""
    if isinstance(day, str):
        day = parse(day)
    return f"{wareki(day)} ({day.isoformat()})"


def fiscal_year(day: dt.date | str) -> int:
    """The 年度 a day falls in, as the western year in which it starts."""
    if isinstance(day, str):
        day = parse(day)
    return day.year if day.month >= 4 else day.year - 1


def fy_start(fy: int) -> dt.date:
    return dt.date(fy, 4, 1)


def fy_end(fy: int) -> dt.date:
    return dt.date(fy + 1, 3, 31)


def fy_label(fy: int) -> str:
    """令和6年度 for 2024; the era is the one in force on the FY's first day
    (FY2019 began under 平成 and is 平成31年度・令和元年度; we print 令和元年度, as cities do)."""
    name, n = era(max(fy_start(fy), dt.date(2019, 5, 1)) if fy == 2019 else fy_start(fy))
    return f"{_year(name, n)}度"


def fy_span_label(first: int, last: int | None = None) -> str:
    """令和6年度, or 令和8〜10年度 for a run of fiscal years (both eras named when it crosses one)."""
    if last is None or last == first:
        return fy_label(first)
    head, tail = fy_label(first), fy_label(last)
    era_name = tail[:2]
    if head.startswith(era_name):
        return f"{head[:-2]}〜{tail[2:]}"
    return f"{head}〜{tail}"


def days_left_label(days: int | None) -> str:
    """あと8日 / 今日まで / 3日超過; "" when there is no count (settled, or no fixed date)."""
    if days is None:
        return ""
    if days < 0:
        return f"{-days}日超過"
    return "今日まで" if days == 0 else f"あと{days}日"


_ERA_START = {name: start.year for start, name in _ERAS}
# Abbreviations offices type: R5.4.1, H31/4/1, 令5.4.1 (letters after NFKC, either case).
_ERA_ALIAS = {"R": "令和", "H": "平成", "S": "昭和", "令": "令和", "平": "平成", "昭": "昭和"}
_LOOSE = re.compile(r"^(?:(?P<era>令和|平成|昭和|[RHS令平昭])\s*(?P<ey>元|[0-9]{1,2})|(?P<y>[0-9]{4}))\s*[年/.\-]\s*"
                    r"(?P<m>[0-9]{1,2})\s*[月/.\-]\s*(?P<d>[0-9]{1,2})\s*日?$", re.IGNORECASE)


def parse_loose(text: str) -> dt.date | None:
    """A date as people type it in spreadsheets: 2025-06-27, 2025/6/27, 令和7年6月27日,
    R7.6.27, H31/4/1, 令和元年5月1日, full-width digits. The era must have begun by the day
    (平成31年4月1日 is fine, 令和元年4月1日 is not a date)."""
    m = _LOOSE.match(unicodedata.normalize("NFKC", text).strip())
    if not m:
        return None
    if m.group("era"):
        name = _ERA_ALIAS.get(m.group("era").upper(), m.group("era"))
        n = 1 if m.group("ey") == "元" else int(m.group("ey"))
        year = _ERA_START[name] + n - 1
    else:
        year = int(m.group("y"))
    try:
        day = dt.date(year, int(m.group("m")), int(m.group("d")))
    except ValueError:
        return None
    if m.group("era"):
        start = next(s for s, e in _ERAS if e == name)
        if day < start or (n == 0):
            return None
    return day
