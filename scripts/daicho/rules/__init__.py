"""The compliance engine: what each record owes, by when, and whether it is done.

``obligations(repo, today)`` and ``findings(repo, today)`` are pure functions of the repository
and a day; the CLI (``daicho due``), the intranet site and the reports all call them, so they
cannot disagree. Rule wording, day counts and closed days are data (``schemas/rules.yaml`` and
``records/settings.yaml`` 期限); docs/compliance.md explains every rule and its source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from daicho.forms import load_forms
from daicho.holidays import Calendar
from daicho.repository import Repository
from daicho.result import Issue
from daicho.rules import contracts, disclosure, incidents
from daicho.rules.data import RuleData, deadline_settings, load_rule_data
from daicho.rules.model import (
    DONE,
    NOT_APPLICABLE,
    OPEN,
    OVERDUE,
    STATUSES,
    Context,
    Obligation,
)

__all__ = [
    "DONE", "NOT_APPLICABLE", "OPEN", "OVERDUE", "STATUSES", "Obligation", "RuleData",
    "add_days", "calendar", "context", "deadlines", "departments_of", "findings", "is_business_day",
    "locate", "obligations", "urgency",
]

# Finding code for an obligation satisfied after its due date.
LATE_CODES = {
    "チェックリスト提出": "W-CHECKLIST-LATE",
    "管理体制等報告書": "W-REPORT-LATE",
    "書面検査": "W-INSPECTION-LATE",
    "実地検査": "W-INSPECTION-LATE",
    "速報": "W-PPC-LATE",
    "確報": "W-PPC-LATE",
    "開示決定": "W-DISCLOSURE-LATE",
    "訂正決定": "W-DISCLOSURE-LATE",
    "利用停止決定": "W-DISCLOSURE-LATE",
}


def context(repo: Repository, today: dt.date) -> Context:
    data = load_rule_data(repo.schema_dir)
    return Context(today, data, deadline_settings(repo.settings, data), load_forms(repo.schema_dir))


def deadlines(repo: Repository) -> dict:
    """The 期限 settings in force: records/settings.yaml over the defaults in schemas/rules.yaml."""
    return deadline_settings(repo.settings, load_rule_data(repo.schema_dir))


def calendar(repo: Repository) -> Calendar:
    return load_rule_data(repo.schema_dir).calendar


def is_business_day(day: dt.date, repo: Repository) -> bool:
    """False on weekends, 国民の祝日 and the extra closed days (年末年始) of schemas/rules.yaml."""
    return calendar(repo).is_business_day(day)


def add_days(start: dt.date, n: int, repo: Repository) -> dt.date:
    """``n`` days from ``start`` (初日不算入), moved to the next open day when the setting says so."""
    return context(repo, start).add_days(start, n)


def obligations(repo: Repository, today: dt.date) -> list[Obligation]:
    """Every duty of every schema-valid contract, incident and disclosure request as of ``today``,
    in record order."""
    ctx = context(repo, today)
    out: list[Obligation] = []
    for r in repo.of_type("contract"):
        out += contracts.obligations(ctx, r)
    for r in repo.of_type("incident"):
        out += incidents.obligations(ctx, r)
    for r in repo.of_type("disclosure"):
        out += disclosure.obligations(ctx, r)
    return out


def findings(repo: Repository, today: dt.date) -> list[Issue]:
    """Positioned warnings that are not open deadlines: late completions, checklist answers that
    do not fit, implausible incident triggers, missing grounds. Sorted like ``repo.issues``."""
    ctx = context(repo, today)
    out: list[Issue] = list(_late(repo, obligations(repo, today)))
    report_items = list(repo.types["contract"].schema["properties"]["完了報告"]["properties"]
                        ["報告内容"]["properties"])
    for r in repo.of_type("contract"):
        out += contracts.findings(ctx, r, report_items)
    for r in repo.of_type("incident"):
        out += incidents.findings(ctx, r)
    for r in repo.of_type("disclosure"):
        out += disclosure.findings(ctx, r)
    return sorted(set(out), key=lambda i: (i.file, i.line, i.col, i.code, i.message))


def _late(repo: Repository, obs: Iterable[Obligation]) -> Iterable[Issue]:
    for ob in obs:
        if ob.late and ob.kind in LATE_CODES:
            record = repo.get(ob.record_id)
            assert record is not None
            yield record.issue(LATE_CODES[ob.kind],
                               f"{ob.kind}が期限（{ob.due}）より後（{ob.done}）です: {ob.note}",
                               ob.path, severity="warning")


def departments_of(repo: Repository, ob: Obligation) -> list[str]:
    """Every department an obligation concerns, its own first: an incident may have several
    発生部署 and a request several 保有課 or deciding departments; the obligation names one."""
    out = [ob.department] if ob.department else []
    record = repo.get(ob.record_id)
    if record is not None and record.type == "incident":
        out += record.data["発生部署"]
    elif record is not None and record.type == "disclosure":
        out += disclosure.departments(record.data)
    return list(dict.fromkeys(out))


def locate(repo: Repository, ob: Obligation) -> tuple[str, int, int]:
    """(file, line, col) of an obligation's path in its record."""
    record = repo.get(ob.record_id)
    assert record is not None
    line, col = record.doc.position(ob.path)
    return record.path, line, col


def urgency(ob: Obligation) -> tuple:
    """Sort key, most urgent first: overdue (oldest deadline first), open with a deadline (nearest
    first), open without a fixed date (oldest first), then done and not applicable."""
    rank = {OVERDUE: 0, OPEN: 1, DONE: 3, NOT_APPLICABLE: 4}[ob.status]
    if ob.status == OPEN and ob.due is None:
        rank = 2
    day = ob.due or ob.since or ob.done or dt.date.max
    return (rank, day, ob.record_id, ob.kind, ob.fy or 0)
