"""Incident duties under 法68条 and 規則43〜45条: the 速報 and 確報 to the 個人情報保護委員会 and the
notice to the persons, when a recorded trigger (報告対象事由) applies."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from daicho.forms import Forms
from daicho.repository import Record
from daicho.result import Issue
from daicho.rules import facts
from daicho.rules.model import Context, Obligation, make

FRAUD = "不正の目的"
REPORT = "個人情報保護委員会への報告"
NOTICE = "本人への通知"
HARD_TO_NOTIFY = "通知困難・代替措置"
# Duty keys (rules.yaml 義務).
QUICK, FINAL, PERSONS = "quick_report", "final_report", "person_notice"


def obligations(ctx: Context, r: Record) -> list[Obligation]:
    d = r.data
    found = ctx.seen(d["判明日"])
    if found is None:
        return []  # not yet known on ``today``
    dept = d["発生部署"][0]
    kinds = (QUICK, FINAL, PERSONS)
    if found < ctx.data.incident_start:
        note = ctx.data.note("対象外_法適用前")
        return [make(ctx, r, k, department=dept, note=note, path=("判明日",), not_applicable=True)
                for k in kinds]
    triggers = facts.triggers(ctx.data, d)
    if not triggers:
        note = ctx.data.note("対象外_報告対象事由なし")
        return [make(ctx, r, k, department=dept, note=note, path=("報告対象事由",),
                     not_applicable=True) for k in kinds]
    report = d.get(REPORT, {})
    out = []
    derived = "".join(ctx.data.note("事由_件数から", 事由=t, 人数=ctx.data.incident_persons)
                      for t in triggers if t not in d["報告対象事由"])
    fraud = FRAUD in triggers
    for key, field, days_key, note_key in (
        (QUICK, "速報日", "速報の日数", "速報"),
        (FINAL, "確報日", "確報の日数_不正の目的" if fraud else "確報の日数", "確報_不正の目的" if fraud else "確報"),
    ):
        days = int(ctx.deadlines[days_key])
        done = ctx.seen(report.get(field))
        path: tuple[str | int, ...] = ((REPORT, field) if done else
                                       (REPORT,) if report else ("報告対象事由",))
        note = ctx.data.note(note_key, 日数=days) + derived
        gaps = final_report_gaps(ctx.forms, d) if key == FINAL and done is None else []
        if gaps:
            note += f"（確報に不足: {'・'.join(gaps)}）"
        out.append(make(ctx, r, key, department=dept, due=ctx.add_days(found, days), done=done,
                        satisfied=done is not None, path=path, note=note))
    out.append(_notice(ctx, r, found, dept))
    return out


def _missing(value: object) -> bool:
    return value is None or value == "" or value == [] or value == {}


def final_report_gaps(forms: Forms, d: dict) -> list[str]:
    """The PPC report items (schemas/forms/ppc_report.yaml, in the PPC's order) whose 確報に必須
    fields the incident record leaves empty: what the office still has to find out for the 確報."""
    return [item["id"] for item in forms.ppc["項目"]
            if any(_missing(d.get(key)) for key in item.get("確報に必須", []))]


def _notice_satisfied(notice: dict) -> bool:
    """Notified, or not notified with the 法68条2項 ground (and, where notifying is hard, the
    代替措置 taken instead) recorded."""
    if notice.get("状況") == "実施":
        return True
    if notice.get("状況") == "実施せず" and notice.get("実施しない根拠"):
        return notice["実施しない根拠"] != HARD_TO_NOTIFY or bool(notice.get("代替措置"))
    return False


def _notice(ctx: Context, r: Record, found: dt.date, dept: str) -> Obligation:
    notice = r.data.get(NOTICE, {})
    satisfied = _notice_satisfied(notice)
    done = ctx.seen(notice.get("通知日")) if notice.get("状況") == "実施" else None
    if notice.get("状況") == "実施" and notice.get("通知日") and done is None:
        satisfied = False  # notified only after ``today``
    path: tuple[str | int, ...] = ((NOTICE, "通知日") if done else (NOTICE,) if notice else
                                   ("報告対象事由",))
    note = ctx.data.note("本人通知")
    if notice.get("状況") == "実施せず" and notice.get("実施しない根拠"):
        note += f"（実施せず: {notice['実施しない根拠']}）"
    return make(ctx, r, PERSONS, department=dept, done=done, satisfied=satisfied, since=found,
                path=path, note=note)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def findings(ctx: Context, r: Record) -> Iterator[Issue]:
    d = r.data
    if ctx.seen(d["判明日"]) is None:
        return  # not yet known on ``today``
    triggers = facts.triggers(ctx.data, d)
    for i in facts.contradicted_triggers(ctx.data, d):
        yield r.issue("W-INCIDENT-COUNT-TAG",
                      f"報告対象事由に「{d['報告対象事由'][i]}」がありますが、件数が{ctx.data.incident_persons}人以下です。"
                      "件数か報告対象事由を確かめてください（規則43条4号）",
                      ("報告対象事由", i), severity="warning")
    if FRAUD not in triggers:
        text = _squeeze("".join(str(d.get(k, "")) for k in ("件名", "概要", "判明した経緯", "発生原因")))
        hint = next((h for h in ctx.data.fraud_hints if _squeeze(h) in text), None)
        if hint:
            where = "委託先での事案です。" if d.get("委託契約") or d.get("委託先の名称") else ""
            yield r.issue("W-INCIDENT-TRIGGER",
                          f"{where}記述に「{hint}」があります。不正の目的によるおそれ（規則43条3号）に当たるか確認してください",
                          ("報告対象事由",), severity="warning")
    final_sent = d.get(REPORT, {}).get("確報日")
    found = ctx.seen(d["判明日"])
    if triggers and found and found >= ctx.data.incident_start and ctx.seen(final_sent):
        gaps = final_report_gaps(ctx.forms, d)
        if gaps:
            yield r.issue("W-PPC-INCOMPLETE",
                          f"確報を提出済みですが、記録に確報の報告事項が足りません（不足: {'・'.join(gaps)}）",
                          (REPORT, "確報日"), severity="warning")
    notice = d.get(NOTICE)
    if notice:
        if notice["状況"] == "実施せず" and not notice.get("実施しない根拠"):
            yield r.issue("W-NOTICE-GROUND", "本人へ通知しないときは「実施しない根拠」（法68条2項ただし書）を記入してください",
                          (NOTICE, "状況"), severity="warning")
        if notice.get("実施しない根拠") == HARD_TO_NOTIFY and not notice.get("代替措置"):
            yield r.issue("W-NOTICE-ALTERNATIVE", "通知が困難なときは講じた「代替措置」（例: ホームページ掲載）を記入してください",
                          (NOTICE, "実施しない根拠"), severity="warning")
        if notice["状況"] == "実施" and not notice.get("通知日"):
            yield r.issue("W-NOTICE-DATE", "本人へ通知したときは「通知日」を記入してください", (NOTICE, "状況"),
                          severity="warning")
