"""The rule data in ``schemas/rules.yaml``: default day counts, closed days, the 基準's constants,
the wording of every obligation. Code decides *how* to count; this file says *how much* and *why*."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from daicho import memo, yamlio
from daicho.errors import DaichoError, shown
from daicho.holidays import Calendar
from daicho.repository import PACKAGE_SCHEMAS, SOURCE_SCHEMAS

RULES_FILE = "rules.yaml"


@dataclass(frozen=True)
class Duty:
    """One kind of duty: its key in the rules' code, the name users see, the group pages filter
    by, and the finding code for completing it after its deadline (None: lateness not flagged)."""

    key: str
    name: str
    group: str
    late_code: str | None


@dataclass(frozen=True)
class RuleData:
    defaults: dict[str, Any]
    calendar: Calendar
    enacted: dt.date  # the 基準 was made on this day: earlier contracts had no pre-contract checklist
    start: dt.date  # 基準6: the 基準 applies to contracts in force on or after this day
    incident_start: dt.date  # 法68条 applies to local governments' incidents learnt of from this day
    exempt_months: int  # 基準5: no 書面検査 when the contract period is this many months or less
    onsite_years: int  # 基準5: multi-year contracts need a 実地検査 once in this many FYs
    incident_persons: int  # 規則43条4号: an incident of more than this many persons is reportable
    file_persons: int  # 法74条2項9号: a 個人情報ファイル of fewer persons is exempt from the register
    duties: dict[str, Duty]  # by key, in the order of rules.yaml
    fraud_hints: tuple[str, ...]
    notes: dict[str, str]

    def duty(self, key: str) -> str:
        """The name users see for the duty ``key`` (a KeyError for an unknown key is a bug)."""
        return self.duties[key].name

    def note(self, key: str, **values: object) -> str:
        return self.notes[key].format(**values)


class RuleDataError(DaichoError):
    """schemas/rules.yaml is missing or malformed (E-RULES-DATA), with its position, so
    ``daicho validate`` can report it as an issue and the other adapters as an error."""


def _fail(path: Path, message: str, line: int = 1, col: int = 1) -> RuleDataError:
    return RuleDataError("E-RULES-DATA", message, shown(path, path.parent), line, col)


def _shipped(schema_dir: Path) -> dict[str, Any]:
    """The rules.yaml daicho ships: a repository that keeps its own (older) schemas/ gets the
    sections its rules.yaml does not have (人数, 義務, …) from it."""
    for shipped in (PACKAGE_SCHEMAS, SOURCE_SCHEMAS):
        path = shipped / RULES_FILE
        if shipped.resolve() != schema_dir.resolve() and path.is_file():
            try:
                return dict(yamlio.load_bytes(path.read_bytes()).data)
            except (OSError, yamlio.LoadError):
                return {}
    return {}


@memo.by_folder  # `mkdocs serve` sees edits to schemas/
def load_rule_data(schema_dir: Path) -> RuleData:
    path = schema_dir / RULES_FILE
    try:
        doc = yamlio.load_bytes(path.read_bytes())
    except OSError:
        raise _fail(path, "期限管理の規則データがありません（schemas/rules.yaml）") from None
    except yamlio.LoadError as exc:
        raise _fail(path, exc.message, exc.line, exc.col) from None
    d = {**_shipped(schema_dir), **doc.data}
    try:
        criteria = d["基準"]
        return RuleData(
            defaults=dict(d["期限の既定値"]),
            calendar=Calendar.from_month_days(d["閉庁日"]["年末年始"]),
            enacted=dt.date.fromisoformat(criteria["制定日"]),
            start=dt.date.fromisoformat(criteria["適用開始日"]),
            incident_start=dt.date.fromisoformat(d["漏えい等報告の適用開始日"]),
            exempt_months=int(criteria["検査を要しない契約期間の月数"]),
            onsite_years=int(criteria["実地検査の間隔の年度数"]),
            incident_persons=int(d["人数"]["漏えい等の報告対象の本人の数"]),
            file_persons=int(d["人数"]["ファイル簿の対象の本人の数"]),
            duties={key: Duty(key, str(v["名前"]), str(v["分類"]), v.get("期限後の指摘"))
                    for key, v in d["義務"].items()},
            fraud_hints=tuple(d["不正の目的の手がかり"]),
            notes=dict(d["注記"]),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise _fail(path, f"規則データの形式が正しくありません（{type(exc).__name__}: {exc}）") from None


def deadline_settings(settings: dict[str, Any], data: RuleData) -> dict[str, Any]:
    """records/settings.yaml 期限, with the defaults filled in for every key it leaves out."""
    return {**data.defaults, **settings.get("期限", {})}
