"""The compliance engine: what each record owes, by when, and whether it is done.

``obligations(repo, today)``, ``findings(repo, today)`` and ``review(repo, today)`` are pure
functions of the repository and a day; the CLI (``daicho validate``, ``daicho due``), the intranet
site and the reports all call them, so they cannot disagree. Per-record facts that pages show
(failed inspection items, open improvements, checklist answers that do not fit, derived 報告対象事由,
the 管理体制 in force, 再委託 problems) are functions in :mod:`daicho.rules.facts`. Duty names,
thresholds, rule wording, day counts and closed days are data (``schemas/rules.yaml`` and
``records/settings.yaml`` 期限); docs/compliance.md explains every rule and its source. The day
itself comes from :func:`daicho.dates.today` unless a command is given one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from daicho.forms import load_forms
from daicho.holidays import Calendar
from daicho.repository import Repository
from daicho.result import Issue
from daicho.rules import contracts, disclosure, facts, files, incidents
from daicho.rules.data import Duty, RuleData, RuleDataError, deadline_settings, load_rule_data
from daicho.rules.model import (
    DONE,
    NOT_APPLICABLE,
    OPEN,
    OVERDUE,
    STATUSES,
    Context,
    Obligation,
)
from daicho.schemas import TRUNCATED

__all__ = [
    "DONE", "NOT_APPLICABLE", "OPEN", "OVERDUE", "STATUSES", "Duty", "Obligation", "RuleData",
    "RuleDataError", "add_days", "calendar", "context", "dashboard_window", "deadlines",
    "departments_of", "duties",
    "facts", "findings", "is_business_day", "locate", "obligations", "review", "rule_data",
    "urgency",
]

def context(repo: Repository, today: dt.date) -> Context:
    data = load_rule_data(repo.schema_dir)
    return Context(today, data, deadline_settings(repo.settings, data), load_forms(repo.schema_dir))


def rule_data(repo: Repository) -> RuleData:
    """schemas/rules.yaml of ``repo``: thresholds (人数), dates, duties, wording."""
    return load_rule_data(repo.schema_dir)


def duties(repo: Repository) -> dict[str, Duty]:
    """Every kind of duty by key, in rules.yaml order: name, group (分類) and late finding code."""
    return rule_data(repo).duties


def dashboard_window(repo: Repository) -> int:
    """Days ahead that count as "due soon" on the home page and in ``daicho due``
    (期限.検査予告の日数 of records/settings.yaml, default in rules.yaml)."""
    return int(deadlines(repo)["検査予告の日数"])


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
    do not fit, contradicted incident triggers, 再委託 without approval, missing grounds, register
    entries under the 本人の数 threshold. Sorted like ``repo.issues``."""
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
    for r in repo.of_type("file"):
        out += files.findings(ctx, r, repo.settings)
    return sorted(set(out), key=lambda i: (i.file, i.line, i.col, i.code, i.message))


def review(repo: Repository, today: dt.date) -> list[Issue]:
    """Every problem with the records as of ``today``, errors and warnings: what loading and the
    cross-record rules found (``repo.issues``) and the engine's ``findings``. ``daicho validate``
    and ``daicho due`` both report this list, so they name the same codes for every record.
    A broken schemas/rules.yaml is one positioned E-RULES-DATA error instead of the findings."""
    try:
        engine = findings(repo, today)
    except RuleDataError as exc:
        engine = [Issue(_relative(repo, exc.file), exc.line, exc.col, exc.code, exc.message)]
    # A file's "more errors than shown" line (schemas.TRUNCATED) stays after its other issues.
    return sorted(set(repo.issues) | set(engine),
                  key=lambda i: (i.file, i.code == TRUNCATED, i.line, i.col, i.code, i.message))


def _relative(repo: Repository, path: str) -> str:
    try:
        return Path(path).resolve().relative_to(repo.root.resolve()).as_posix()
    except ValueError:
        return path


def _late(repo: Repository, obs: Iterable[Obligation]) -> Iterable[Issue]:
    duties = load_rule_data(repo.schema_dir).duties
    for ob in obs:
        code = duties[ob.duty].late_code
        if ob.late and code:
            record = repo.get(ob.record_id)
            assert record is not None
            yield record.issue(code,
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
