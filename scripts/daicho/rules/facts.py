"""Facts about one record that the rules decide and the pages only show.

Each function reads one record's data (plus the office's forms, the rule data and the day when
it needs them) and returns plain values. The engine's obligations and findings are built on them,
and the views (contract page, home page, printable forms) call the same functions, so a page can
never say "closed" where ``daicho due`` says 未実施. Every function is pure and evaluates the
record as of ``today``: a date after ``today`` counts as not yet happened.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from daicho.dates import fiscal_year
from daicho.forms import Forms
from daicho.rules.data import RuleData

OVER_100 = "100人超"  # 報告対象事由 value for 規則43条4号
IMPROVEMENT = "改善報告書"
STRUCTURE = "管理体制等報告書"
SUBCONTRACT = "再委託"


def seen(value: str | None, today: dt.date) -> dt.date | None:
    """A recorded ISO date, or None when absent or still after ``today``."""
    if not value:
        return None
    day = dt.date.fromisoformat(value)
    return day if day <= today else None


# --- inspections -------------------------------------------------------------------------------

def failed_items(forms: Forms, inspection: dict[str, Any]) -> list[str]:
    """Ids of the items judged anything but the sheet's first verdict (適) — i.e. 否 — in the
    form's order. The verdict list is data (schemas/forms/inspection_items.yaml 判定)."""
    passed = forms.verdicts[0]
    return [item["id"] for item in forms.inspection_items
            if inspection["結果"].get(item["id"], {}).get("判定", passed) != passed]


def has_follow_ups(data: RuleData, held: dt.date) -> bool:
    """基準5⑵ (result notice, 改善報告書) applies to inspections held from the 基準's first 年度 on;
    earlier inspections carry no follow-up duty."""
    return fiscal_year(held) >= fiscal_year(data.start)


def improvement_received(inspection: dict[str, Any], today: dt.date) -> dt.date | None:
    """When the 改善報告書 for this inspection was received, if it was by ``today``."""
    return seen(inspection.get(IMPROVEMENT, {}).get("受理日"), today)


def improvement_open(forms: Forms, inspection: dict[str, Any], today: dt.date) -> bool:
    """基準5⑵: an inspection with a 否 item stays open until its 改善報告書 is received."""
    return bool(failed_items(forms, inspection)) and improvement_received(inspection, today) is None


# --- checklist ---------------------------------------------------------------------------------

ChecklistProblemKind = Literal["gate", "unanswered", "unsuitable"]


@dataclass(frozen=True)
class ChecklistProblem:
    """A checklist answer that does not fit: ``gate`` (問1 disagrees with 個人情報の取扱い),
    ``unanswered`` or ``unsuitable`` (not one of the question's 適合する回答)."""

    question: str  # the question's id (問1, …)
    kind: ChecklistProblemKind
    answer: str | None
    expected: tuple[str, ...]  # the answers that would fit


def checklist_problems(forms: Forms, contract: dict[str, Any]) -> list[ChecklistProblem]:
    """問1 must match 個人情報の取扱い; with personal data every question that has 適合する回答
    must be answered with one of them (schemas/forms/checklist.yaml). In the form's order."""
    answers = contract["チェックリスト"]["回答"]
    handles = bool(contract["個人情報の取扱い"])
    gate, *rest = forms.questions
    # The gate's first choice (はい) means "personal data is handled", its second (いいえ) not.
    expected = gate["選択肢"][0] if handles else gate["選択肢"][1]
    out = []
    if answers.get(gate["id"]) != expected:
        out.append(ChecklistProblem(gate["id"], "gate", answers.get(gate["id"]), (expected,)))
    if not handles:
        return out
    for q in rest:
        ok = tuple(q.get("適合する回答") or ())
        if not ok:
            continue
        answer = answers.get(q["id"])
        if answer is None:
            out.append(ChecklistProblem(q["id"], "unanswered", None, ok))
        elif answer not in ok:
            out.append(ChecklistProblem(q["id"], "unsuitable", answer, ok))
    return out


# --- 管理体制等報告書 and 再委託 ---------------------------------------------------------------------

def structure_reports(contract: dict[str, Any], today: dt.date) -> list[tuple[int, dict[str, Any]]]:
    """(index, report) of every 管理体制等報告書 received by ``today``, oldest first."""
    reports = [(i, rep) for i, rep in enumerate(contract.get(STRUCTURE, []))
               if seen(rep["受理日"], today) is not None]
    return sorted(reports, key=lambda t: (t[1]["受理日"], t[0]))


def effective_structure(contract: dict[str, Any], today: dt.date) -> dict[str, Any] | None:
    """The 管理体制 in force on ``today``: the reports received by then, oldest first, each later
    one (a 変更) overriding the fields it states. None before the first report."""
    reports = structure_reports(contract, today)
    if not reports:
        return None
    out: dict[str, Any] = {}
    for _, rep in reports:
        out.update(rep)
    return out


@dataclass(frozen=True)
class SubcontractProblem:
    """A 再委託 finding (特記仕様書第5条): ``unrecorded`` (a report says 再委託 有 and no approval
    is recorded), ``undated`` (an approval without 承諾日) or ``late`` (approved after the work
    began). ``path`` is where in the record it shows; ``began`` the day the work began."""

    kind: Literal["unrecorded", "undated", "late"]
    path: tuple[str | int, ...]
    began: dt.date


def subcontract_problems(contract: dict[str, Any], today: dt.date) -> list[SubcontractProblem]:
    """The work of a subcontractor begins with the 履行期間, or — when the first report that says
    再委託 有 is a 変更 — on the day that 変更 was received. An approval must come before it."""
    began = dt.date.fromisoformat(contract["履行期間"]["開始"])
    declaring = [(i, rep) for i, rep in structure_reports(contract, today) if rep.get(SUBCONTRACT)]
    if declaring and declaring[0][1]["区分"] == "変更":
        began = max(began, dt.date.fromisoformat(declaring[0][1]["受理日"]))
    approvals = [(i, a) for i, a in enumerate(contract.get(SUBCONTRACT, []))
                 if seen(a["申請日"], today) is not None]
    out = []
    if declaring and not approvals:
        out.append(SubcontractProblem("unrecorded", (STRUCTURE, declaring[0][0], SUBCONTRACT), began))
    for i, approval in approvals:
        approved = seen(approval.get("承諾日"), today)
        if approved is None:
            out.append(SubcontractProblem("undated", (SUBCONTRACT, i, "申請日"), began))
        elif approved > began:
            out.append(SubcontractProblem("late", (SUBCONTRACT, i, "承諾日"), began))
    return out


# --- incidents ---------------------------------------------------------------------------------

def derived_triggers(data: RuleData, incident: dict[str, Any]) -> tuple[str, ...]:
    """報告対象事由 that follow from the record itself: 「100人超」 when 件数 exceeds the
    threshold of 規則43条4号 (rules.yaml 人数)."""
    return (OVER_100,) if incident["件数"] > data.incident_persons else ()


def triggers(data: RuleData, incident: dict[str, Any]) -> tuple[str, ...]:
    """The 報告対象事由 in force: the recorded ones, then the derived ones not recorded. A
    recorded 「100人超」 that the count contradicts still counts (reporting too much is the safe
    side); ``contradicted_triggers`` names it."""
    recorded = tuple(incident["報告対象事由"])
    return recorded + tuple(t for t in derived_triggers(data, incident) if t not in recorded)


def contradicted_triggers(data: RuleData, incident: dict[str, Any]) -> list[int]:
    """Indexes in 報告対象事由 of tags the record's own facts contradict: 「100人超」 with a
    件数 at or under the threshold."""
    if derived_triggers(data, incident):
        return []
    return [i for i, t in enumerate(incident["報告対象事由"]) if t == OVER_100]


# --- 個人情報ファイル簿 ----------------------------------------------------------------------------

def below_file_threshold(data: RuleData, count: int | None) -> bool:
    """法74条2項9号: a file of fewer persons than the threshold (rules.yaml 人数) is exempt from
    the register. An unknown count is not shown to be below it (fail closed: it stays listed)."""
    return count is not None and count < data.file_persons


PUBLISH_SMALL = "本人の数1000人未満も公表"  # records/settings.yaml 公表: the city publishes them anyway


def small_file_unlisted(data: RuleData, settings: dict[str, Any], file: dict[str, Any]) -> bool:
    """A ファイル簿 entry left off the public register for its count: below the threshold, with
    no 公表の特例, in a city that does not publish small files (settings 公表)."""
    publish_small = bool(settings.get("公表", {}).get(PUBLISH_SMALL, False))
    return below_file_threshold(data, file.get("本人の数")) and "公表の特例" not in file and not publish_small


# --- disclosure requests -----------------------------------------------------------------------

def decision_missing(request: dict[str, Any]) -> bool:
    """状態 says 決定済 but no 決定 is recorded."""
    return request["状態"] == "決定済" and not request.get("決定")
