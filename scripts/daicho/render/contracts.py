"""委託: the contract index (filter by department, FY, 契約形態, status) and one page per contract
with the checklist, 特記仕様書, 取扱い個人情報一覧, 管理体制等報告書, 再委託, inspections and incidents."""

from __future__ import annotations

import datetime as dt
from typing import Any

from daicho.forms import Forms
from daicho.render.common import INSPECTION_KINDS, Site, contract_fy, record_page, render, site_for
from daicho.repository import Record, Repository
from daicho.rules import STATUSES, facts

INDEX = "contracts/index.md"
# The two 特記仕様書 the city uses (資料4, 資料5); the record stores the short name.
# When several inspection obligations disagree, the index shows the one that needs action.
_SEVERITY = STATUSES  # the engine lists them most urgent first


def term_state(r: Record, today: dt.date) -> str:
    """履行前 / 履行中 / 終了, from the 履行期間 alone."""
    term = r.data["履行期間"]
    day = today.isoformat()
    if day < term["開始"]:
        return "履行前"
    return "終了" if day > term["終了"] else "履行中"


def inspection_status(site: Site, r: Record) -> str:
    statuses = {o.status for o in site.obligations_by_record.get(r.id, []) if o.kind in INSPECTION_KINDS}
    for s in _SEVERITY:
        if s in statuses:
            return s
    return next(iter(sorted(statuses)), "—")


def checklist(r: Record, forms: Forms) -> list[dict[str, Any]]:
    answers = r.data["チェックリスト"]["回答"]
    out = []
    for q in forms.questions:
        answer = answers.get(q["id"])
        ok = q.get("適合する回答")
        out.append({"id": q["id"], "text": q["文言"], "answer": answer,
                    "finding": bool(answer and ok and answer not in ok)})
    return out


def safety(report: dict[str, Any], forms: Forms) -> list[dict[str, Any]]:
    """Each group of the 第2号様式 with its measures split into checked and unchecked."""
    chosen = report.get("安全管理措置", {})
    return [{"name": g["名称"],
             "checked": [m["文言"] for m in g["項目"] if m["id"] in chosen.get(g["id"], [])],
             "unchecked": [m["文言"] for m in g["項目"] if m["id"] not in chosen.get(g["id"], [])],
             "other": chosen.get("その他", {}).get(g["id"], "")}  # 第2号様式: one その他 per group
            for g in forms.safety_groups]


def inspections(site: Site, r: Record) -> list[dict[str, Any]]:
    """The recorded inspections, oldest first, with the engine's facts on each as of the site's
    day: which items failed (the form's verdicts), when the 改善報告書 was received, whether it is
    still outstanding — the same facts the engine's 改善報告書 duty is built on."""
    today = site.today
    out = []
    for insp in sorted(r.data.get("検査", []), key=lambda i: i["実施日"]):
        failed = set(facts.failed_items(site.forms, insp))
        held = facts.seen(insp["実施日"], today)
        items = [{"no": it["No"], "item": it["点検項目"], "point": it["点検事項"],
                  "verdict": insp["結果"].get(it["id"], {}).get("判定"), "failed": it["id"] in failed,
                  "note": insp["結果"].get(it["id"], {}).get("備考", "")}
                 for it in site.forms.inspection_items]
        out.append({"data": insp, "items": items, "failed": [x for x in items if x["failed"]],
                    "held": held is not None, "received": facts.improvement_received(insp, today),
                    "open": held is not None and facts.has_follow_ups(site.context.data, held)
                    and facts.improvement_open(site.forms, insp, today)})
    return out


def pages(repo: Repository, today: dt.date) -> dict[str, str]:
    site = site_for(repo, today)
    recs = sorted(repo.of_type("contract"), key=lambda r: (-contract_fy(r), *site.dept_sort_key(r.data["所管課"]), r.id))
    fys = sorted({contract_fy(r) for r in recs}, reverse=True)
    out = {INDEX: render(INDEX, "contracts_index.html", "委託契約", site, kind="index", records=recs,
                         fys=fys, contract_fy=contract_fy, term_state=term_state, scripts=True,
                         statuses=STATUSES, contract_forms=repo.types["contract"].schema["properties"]["契約形態"]["enum"],
                         inspection_status=lambda r: inspection_status(site, r),
                         depts=[site.dept_name(c) for c in sorted({r.data["所管課"] for r in recs}, key=site.dept_sort_key)])}
    for r in recs:
        path = record_page("contract", r.id)
        out[path] = render(
            path, "contract.html", r.data["案件名"], site, source=r.path, kind="record", record=r,
            fy=contract_fy(r), state=term_state(r, today), variants=repo.types["contract"].schema["properties"]["特記仕様書"]["x-labels"],
            checklist=checklist(r, site.forms),
            reports=[(rep, safety(rep, site.forms)) for rep in r.data.get("管理体制等報告書", [])],
            inspections=inspections(site, r),
            incidents=site.incidents_by_contract.get(r.id, []),
            obligations=site.obligations_by_record.get(r.id, []))
    return out
