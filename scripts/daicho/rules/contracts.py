"""Contract duties under the 基準 (資料3) and the 特記仕様書 (資料4/5): the checklist before the
contract, the 管理体制等報告書 before work starts, inspections during the term, their result
notices and improvement reports, and the completion report after the term."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from daicho.dates import fiscal_year, fy_end, fy_label
from daicho.repository import Record
from daicho.result import Issue
from daicho.rules import facts
from daicho.rules.model import Context, Obligation, make
from daicho.rules.periods import fiscal_years, within_months

ONSITE = "実地検査"  # 検査.種別 values
DOCUMENT = "書面検査"
# Duty keys (rules.yaml 義務).
CHECKLIST, REPORT, COMPLETION = "checklist", "structure_report", "completion_report"
DOCUMENT_DUTY, ONSITE_DUTY = "document_inspection", "onsite_inspection"
NOTICE, IMPROVEMENT = "inspection_notice", "improvement_report"
DESIGNATED = "指定管理"
ERASED = "消去・廃棄"
_ITEM_FALLBACK = {"方法": "方法", "日時": "実施日"}  # 報告内容 item → 完了報告 field that states it


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def _variant(d: dict[str, Any]) -> str:
    """別記 (資料5) or 特記仕様書 (資料4): article numbers differ between them."""
    return "別記" if d.get("特記仕様書") == "別記" else "特記仕様書"


def _in_scope(ctx: Context, d: dict[str, Any]) -> bool:
    """基準6: contracts in force on or after the application day, long-term ones included."""
    return _date(d["履行期間"]["終了"]) >= ctx.data.start


def _fy_range(first: int, last: int) -> str:
    return fy_label(first) if first == last else f"{fy_label(first)}〜{fy_label(last)}"


def _begun(ctx: Context, d: dict[str, Any]) -> bool:
    """False when nothing about this contract had happened yet on ``today``."""
    return ctx.seen(d["チェックリスト"]["提出日"]) is not None or _date(d["契約日"]) <= ctx.today


def obligations(ctx: Context, r: Record) -> list[Obligation]:
    d = r.data
    if not _begun(ctx, d):
        return []
    dept = d["所管課"]
    out = [_checklist(ctx, r)]
    if not _in_scope(ctx, d):
        note = ctx.data.note("対象外_基準適用前の契約")
        for key in (REPORT, DOCUMENT_DUTY, COMPLETION):
            out.append(make(ctx, r, key, department=dept, note=note, path=("履行期間", "終了"),
                            not_applicable=True))
        return out
    if not d["個人情報の取扱い"]:
        note = ctx.data.note("対象外_個人情報なし")
        for key in (REPORT, DOCUMENT_DUTY, COMPLETION):
            out.append(make(ctx, r, key, department=dept, note=note, path=("個人情報の取扱い",),
                            not_applicable=True))
        return out
    out += _structure_reports(ctx, r)
    out += _yearly_inspections(ctx, r)
    out += _onsite_windows(ctx, r)
    out += _inspection_follow_ups(ctx, r)
    out.append(_completion(ctx, r))
    return out


def _checklist(ctx: Context, r: Record) -> Obligation:
    d = r.data
    signed = _date(d["契約日"])
    note = ctx.data.note("チェックリスト提出")
    if not _in_scope(ctx, d):
        return make(ctx, r, CHECKLIST, department=d["所管課"], path=("契約日",),
                    note=ctx.data.note("対象外_基準適用前の契約"), not_applicable=True)
    due: dt.date | None = signed
    if signed < ctx.data.enacted:
        due, note = None, note + ctx.data.note("期限なし_基準制定前")
    submitted = ctx.seen(d["チェックリスト"]["提出日"])
    return make(ctx, r, CHECKLIST, department=d["所管課"], due=due, done=submitted,
                satisfied=submitted is not None, path=("チェックリスト", "提出日"), note=note,
                since=None if due else ctx.data.start)


def _structure_reports(ctx: Context, r: Record) -> list[Obligation]:
    d = r.data
    dept = d["所管課"]
    start = _date(d["履行期間"]["開始"])
    reports = facts.structure_reports(d, ctx.today)
    new = sorted(((rep["受理日"], i) for i, rep in reports if rep["区分"] == "新規"))
    note = ctx.data.note(f"管理体制等報告書_{_variant(d)}")
    due: dt.date | None = start
    if start < ctx.data.enacted:
        due, note = None, note + ctx.data.note("期限なし_基準制定前")
    if new:
        received, i = new[0]
        if d["管理体制等報告書"][i].get("準ずる書面"):
            note += "（準ずる書面）"
        first = make(ctx, r, REPORT, department=dept, due=due, done=_date(received),
                     satisfied=True, path=("管理体制等報告書", i, "受理日"), note=note)
    else:
        path: tuple[str | int, ...] = ("管理体制等報告書",) if "管理体制等報告書" in d else ("履行期間", "開始")
        first = make(ctx, r, REPORT, department=dept, due=due, path=path, note=note,
                     since=None if due else ctx.data.start)
    out = [first]
    # A 変更 report is tracked when recorded; daicho cannot know of a change nobody recorded.
    for i, rep in reports:
        if rep["区分"] == "変更":
            out.append(make(ctx, r, REPORT, department=dept, done=_date(rep["受理日"]),
                            satisfied=True, path=("管理体制等報告書", i, "受理日"),
                            note=ctx.data.note("管理体制等報告書_変更")))
    return out


def _inspections(ctx: Context, d: dict[str, Any]) -> list[tuple[int, dict[str, Any], dt.date]]:
    """(index, inspection, date) for every inspection that had taken place by ``today``, by date."""
    out = []
    for i, insp in enumerate(d.get("検査", [])):
        day = ctx.seen(insp["実施日"])
        if day is not None:
            out.append((i, insp, day))
    return sorted(out, key=lambda t: (t[2], t[0]))


def _open_path(d: dict[str, Any]) -> tuple[str | int, ...]:
    return ("検査",) if "検査" in d else ("履行期間",)


def _yearly_inspections(ctx: Context, r: Record) -> list[Obligation]:
    d = r.data
    dept = d["所管課"]
    start, end = _date(d["履行期間"]["開始"]), _date(d["履行期間"]["終了"])
    designated = d["契約形態"] == DESIGNATED
    key = ONSITE_DUTY if designated else DOCUMENT_DUTY
    short = not designated and within_months(start, end, ctx.data.exempt_months)
    done = _inspections(ctx, d)
    first_fy = fiscal_year(ctx.data.start)
    out = []
    for fy in fiscal_years(start, end):
        if fy < first_fy:
            out.append(make(ctx, r, key, department=dept, fy=fy, path=("履行期間", "開始"),
                            note=ctx.data.note("対象外_適用前", 年度=fy_label(fy)), not_applicable=True))
            continue
        if short:
            out.append(make(ctx, r, key, department=dept, fy=fy, path=("履行期間",),
                            note=ctx.data.note("対象外_6か月以下"), not_applicable=True))
            continue
        # A 実地検査 (remote ones are recorded as 実地検査 with 遠隔: true) also satisfies the
        # year's 書面検査; for 指定管理 only a 実地検査 will do.
        hits = [(i, day) for i, insp, day in done
                if fiscal_year(day) == fy and (not designated or insp["種別"] == ONSITE)]
        note = ctx.data.note("実地検査_指定管理" if designated else DOCUMENT, 年度=fy_label(fy))
        due = min(fy_end(fy), end)
        if hits:
            i, day = hits[0]
            out.append(make(ctx, r, key, department=dept, fy=fy, due=due, done=day, satisfied=True,
                            path=("検査", i, "実施日"), note=note))
        else:
            out.append(make(ctx, r, key, department=dept, fy=fy, due=due, path=_open_path(d),
                            note=note))
    return out


def _onsite_windows(ctx: Context, r: Record) -> list[Obligation]:
    """基準5: a multi-year contract needs a 実地検査 "3年に1回": no run of three consecutive 年度
    of the term (from FY2025 on) without one. The first window is the term's first three 年度;
    after a 実地検査 in 年度 k the next window is k+1…k+3, required only while it fits in the term.
    指定管理 contracts need one every year anyway, so they get no window."""
    d = r.data
    if d["契約形態"] == DESIGNATED:
        return []
    start, end = _date(d["履行期間"]["開始"]), _date(d["履行期間"]["終了"])
    years = [fy for fy in fiscal_years(start, end) if fy >= fiscal_year(ctx.data.start)]
    span = ctx.data.onsite_years
    if len(years) < span:
        return []
    onsite = [(i, day) for i, insp, day in _inspections(ctx, d) if insp["種別"] == ONSITE]
    out = []
    first, last = years[0], years[-1]
    while first + span - 1 <= last:
        window_end = first + span - 1
        note = ctx.data.note("実地検査_複数年", 期間=_fy_range(first, window_end))
        due = min(fy_end(window_end), end)
        hit = next(((i, day) for i, day in onsite if fiscal_year(day) >= first), None)
        if hit:
            i, day = hit
            out.append(make(ctx, r, ONSITE_DUTY, department=d["所管課"], fy=first, fy_last=window_end, due=due, done=day,
                            satisfied=True, path=("検査", i, "実施日"), note=note))
            first = fiscal_year(day) + 1
        else:
            out.append(make(ctx, r, ONSITE_DUTY, department=d["所管課"], fy=first, fy_last=window_end, due=due,
                            path=_open_path(d), note=note))
            first = window_end + 1
    return out


def _inspection_follow_ups(ctx: Context, r: Record) -> list[Obligation]:
    d = r.data
    dept = d["所管課"]
    out = []
    for i, insp, day in _inspections(ctx, d):
        fy = fiscal_year(day)
        if not facts.has_follow_ups(ctx.data, day):
            continue
        notified = ctx.seen(insp.get("結果通知日"))
        out.append(make(ctx, r, NOTICE, department=dept, fy=fy, done=notified,
                        satisfied=notified is not None, since=day,
                        path=("検査", i, "結果通知日") if "結果通知日" in insp else ("検査", i),
                        note=ctx.data.note("検査結果通知") + f"（{insp['実施日']} の{insp['種別']}）"))
        failed = facts.failed_items(ctx.forms, insp)
        if failed:
            received = facts.improvement_received(insp, ctx.today)
            path: tuple[str | int, ...] = (("検査", i, "改善報告書", "受理日") if received
                                           else ("検査", i, "結果", failed[0], "判定"))
            out.append(make(ctx, r, IMPROVEMENT, department=dept, fy=fy, done=received,
                            satisfied=received is not None, since=day, path=path,
                            note=ctx.data.note("改善報告書") + f"（否: {'・'.join(failed)}）"))
    return out


def _completion(ctx: Context, r: Record) -> Obligation:
    d = r.data
    end = _date(d["履行期間"]["終了"])
    report = d.get("完了報告", {})
    received = ctx.seen(report.get("報告書受理日"))
    path: tuple[str | int, ...] = (("完了報告", "報告書受理日") if received else
                                   ("完了報告",) if report else ("履行期間", "終了"))
    note = ctx.data.note(f"完了報告_{_variant(d)}")
    if report.get("区分"):
        note += f"（{report['区分']}）"
    return make(ctx, r, COMPLETION, department=d["所管課"], done=received,
                satisfied=received is not None, since=end + dt.timedelta(days=1), path=path,
                note=note)


# --- findings: problems that are not deadlines ------------------------------------------------

def findings(ctx: Context, r: Record, report_items: list[str]) -> Iterator[Issue]:
    d = r.data
    if not _begun(ctx, d):
        return
    yield from _checklist_answers(ctx, r)
    yield from _subcontracts(ctx, r)
    for i, rep in enumerate(d.get("管理体制等報告書", [])):
        if rep["区分"] == "変更" and not rep.get("変更の内容及び理由"):
            yield r.issue("W-REPORT-CHANGE-REASON", "管理体制等報告書（変更）に「変更の内容及び理由」がありません",
                          ("管理体制等報告書", i), severity="warning")
    for i, insp in enumerate(d.get("検査", [])):
        if insp.get("遠隔") and insp["種別"] != ONSITE:
            yield r.issue("W-INSPECTION-REMOTE", "「遠隔」は実地検査をWEB会議・写真等で行ったときに記入します",
                          ("検査", i, "遠隔"), severity="warning")
        if insp.get("改善報告書") and not facts.failed_items(ctx.forms, insp):
            yield r.issue("W-IMPROVEMENT-WITHOUT-NG", "「否」の項目がない検査に改善報告書が記録されています",
                          ("検査", i, "改善報告書"), severity="warning")
    report = d.get("完了報告", {})
    if report.get("報告書受理日") and report.get("区分") == ERASED:
        # 別記第9条5項 lists what a 消去・廃棄 report states; the report's own 方法 and 実施日
        # already give two of them.
        content = {**{k: report[v] for k, v in _ITEM_FALLBACK.items() if report.get(v)},
                   **{k: v for k, v in report.get("報告内容", {}).items() if v}}
        missing = [k for k in report_items if k not in content]
        if missing:
            yield r.issue("W-COMPLETION-ITEMS",
                          f"消去・廃棄の報告内容に {'・'.join(missing)} がありません（特記仕様書第10条2項・別記第9条5項）",
                          ("完了報告", "報告内容") if "報告内容" in report else ("完了報告",),
                          severity="warning")


def _checklist_answers(ctx: Context, r: Record) -> Iterator[Issue]:
    handles = "true" if r.data["個人情報の取扱い"] else "false"
    for p in facts.checklist_problems(ctx.forms, r.data):
        if p.kind == "gate":
            yield r.issue("W-CHECKLIST-Q1",
                          f"チェックリスト{p.question}の回答が「個人情報の取扱い: {handles}」と合いません"
                          f"（{p.expected[0]}のはずです）",
                          ("チェックリスト", "回答", p.question), severity="warning")
        elif p.kind == "unanswered":
            yield r.issue("W-CHECKLIST-UNANSWERED", f"チェックリスト{p.question}が未回答です",
                          ("チェックリスト", "回答"), severity="warning")
        else:
            yield r.issue("W-CHECKLIST-ANSWER",
                          f"チェックリスト{p.question}の回答「{p.answer}」は適合しません（{'・'.join(p.expected)}）",
                          ("チェックリスト", "回答", p.question), severity="warning")


_SUBCONTRACT_FINDINGS = {
    "unrecorded": ("W-SUBCONTRACT-UNRECORDED",
                   "管理体制等報告書で再委託「有」ですが、再委託の承諾が記録されていません（特記仕様書第5条）"),
    "undated": ("W-SUBCONTRACT-UNDATED",
                "再委託の承諾日がありません。承諾の前に再委託先に取り扱わせることはできません（特記仕様書第5条）"),
    "late": ("W-SUBCONTRACT-LATE",
             "再委託の承諾日が業務の開始（{began}）より後です。承諾の前に再委託先が取り扱っていないか確認してください（特記仕様書第5条）"),
}


def _subcontracts(ctx: Context, r: Record) -> Iterator[Issue]:
    for p in facts.subcontract_problems(r.data, ctx.today):
        code, message = _SUBCONTRACT_FINDINGS[p.kind]
        yield r.issue(code, message.format(began=p.began.isoformat()), p.path, severity="warning")
