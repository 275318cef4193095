"""印刷用の様式: the office's paper forms for one contract, filled from its record and laid out
for A4 (``assets/daicho/forms.css``), one sheet per printed page.

- チェックリスト (資料2): the contract's own 年度 in the title, the department's answers ticked
  (☑), the other choices blank (☐), 所属長・担当者・電話番号・確認印 as recorded;
- 特記仕様書 (資料4) or 別記 (資料5): the city's articles (``schemas/forms/special_terms.yaml``),
  第14条 only where 特定個人情報 is handled, 別記 第2条 with the contract's items;
- 取扱い個人情報一覧 (第1号様式, 特記仕様書 第2条): not for 別記 contracts;
- 管理体制等報告書 (第2号様式): one sheet per report received, each showing the state in effect
  at that report (the 新規 folded with every later 変更, the fields a 変更 changed marked);
  blank when none has been received;
- 遵守状況検査書 (資料6 実地検査 / 資料7 書面検査): before an inspection, the sheet the office
  sends (契約件名, 受託者 and the people filled in, verdicts left blank); after one, a filled-in
  copy of the recorded results.

The wording comes from ``schemas/forms/*.yaml``; the fixed layout of each sheet lives in
``templates/forms/``. The pages stay out of the nav (the plugin adds generated pages as
NOT_IN_NAV) and out of search (no ``data-search-body``); the contract page links to them
through :func:`links`. Letters to the contractor are in :mod:`daicho.render.letters`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jinja2 import pass_context

from daicho.dates import fy_label, wareki
from daicho.render.common import (
    ENV,
    Site,
    contract_fy,
    front_matter,
    record_page,
    relative,
    site_for,
)
from daicho.repository import Record, Repository
from daicho.rules import facts

CSS = "assets/daicho/forms.css"
_BLANK_LINES = re.compile(r"\n\s*\n")
_FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
# Report fields a 変更 report need not repeat: absent means unchanged since the previous report.
_OWN_FIELDS = ("区分", "受理日", "報告日", "準ずる書面", "変更の内容及び理由")


def _handles_personal_info(r: Record) -> bool:
    return bool(r.data.get("個人情報の取扱い"))


@dataclass(frozen=True)
class Form:
    slug: str  # the page's file name (numbered pages add -N)
    title: str  # the sheet's heading, as printed on the seed's form
    link: str  # the link text on the contract page
    label: str  # the form number printed in the corner (資料N / 第N号様式)
    template: str
    applies: Callable[[Record], bool]
    kind: str = ""  # 実地検査 / 書面検査 for the inspection sheet


FORMS: tuple[Form, ...] = (
    Form("checklist", "個人情報の取扱いの委託に係るチェックリスト", "チェックリスト（資料2）", "資料２",
         "checklist.html", lambda r: True),
    Form("special-terms", "個人情報の取扱いに関する特記仕様書", "特記仕様書（資料4・資料5）", "",
         "special_terms.html", lambda r: _handles_personal_info(r) and bool(r.data.get("特記仕様書"))),
    Form("items", "取扱い個人情報一覧", "取扱い個人情報一覧（第1号様式）", "第１号様式（第２条）",
         "items.html", lambda r: _handles_personal_info(r) and r.data.get("特記仕様書") != "別記"),
    Form("report", "個人情報の取扱いに係る管理体制等報告書（新規／変更）", "管理体制等報告書（第2号様式）",
         "第２号様式（第１２条）", "report.html", _handles_personal_info),
    Form("inspection-onsite", "個人情報の取扱いに係る安全管理措置の遵守状況検査書（実地検査）",
         "遵守状況検査書（実地検査・資料6）", "資料６", "inspection.html", _handles_personal_info, "実地検査"),
    Form("inspection-written", "個人情報の取扱いに係る安全管理措置の遵守状況検査書（書面検査）",
         "遵守状況検査書（書面検査・資料7）", "資料７", "inspection.html", _handles_personal_info, "書面検査"),
)
BY_SLUG = {f.slug: f for f in FORMS}
INSPECTION_FORM = {f.kind: f for f in FORMS if f.kind}


@dataclass(frozen=True)
class Sheet:
    """One printable page of a contract: which form, which occurrence, its link text."""

    form: Form
    slug: str
    link: str
    context: dict[str, Any]


def form_page(contract_id: str, slug: str) -> str:
    return f"contracts/{contract_id}/forms/{slug}.md"


def forms_for(r: Record) -> list[Form]:
    return [f for f in FORMS if f.applies(r)]


def fy_title(fy: int) -> str:
    """令和７年度: the 年度 as the city's forms print it (full-width digits)."""
    return fy_label(fy).translate(_FULL_WIDTH_DIGITS)


# --- 第2号様式: the state in effect at each report -------------------------------------------

@dataclass(frozen=True)
class ReportState:
    report: dict[str, Any]  # the report as received
    state: dict[str, Any]  # every field in effect at it (earlier reports folded in)
    changed: frozenset[str]  # fields this report changed (empty for a 新規)
    number: int  # 1 for the first report received


def report_states(r: Record) -> list[ReportState]:
    """Each report in the order received, with the state in effect at it: a 変更 repeats only
    what changed, so every field it leaves out carries over from the reports before it."""
    out: list[ReportState] = []
    before: dict[str, Any] = {}
    for n, rep in enumerate(sorted(r.data.get("管理体制等報告書", []), key=lambda x: x["受理日"]), start=1):
        # The engine's fold (facts.effective_structure) as of the day this report was received;
        # a report's own fields (its date, the reason for a 変更) are never carried over.
        folded = facts.effective_structure(r.data, dt.date.fromisoformat(rep["受理日"])) or {}
        state = {**{k: v for k, v in folded.items() if k not in _OWN_FIELDS}, **rep}
        changed = frozenset(k for k, v in rep.items() if k not in _OWN_FIELDS and k in before and before[k] != v)
        out.append(ReportState(rep, state, changed if rep["区分"] == "変更" else frozenset(), n))
        before = state
    return out


def _people(state: dict[str, Any], before: dict[str, Any], role: str) -> list[dict[str, Any]]:
    """The rows of one 管理者区分, each marked when it is new at this report."""
    old = before.get(role) or []
    return [{**p, "new": bool(before) and p not in old} for p in state.get(role) or []]


def safety_rows(state: dict[str, Any], changed: frozenset[str], previous: dict[str, Any],
                site: Site) -> list[dict[str, Any]]:
    chosen = state.get("安全管理措置", {})
    before = previous.get("安全管理措置", {}) if "安全管理措置" in changed else chosen
    other, other_before = chosen.get("その他", {}), before.get("その他", {})
    return [{"name": g["名称"],
             "measures": [(m["文言"], m["id"] in chosen.get(g["id"], [])) for m in g["項目"]],
             "other": other.get(g["id"], ""),
             "changed": chosen.get(g["id"]) != before.get(g["id"]) or other.get(g["id"]) != other_before.get(g["id"])}
            for g in site.forms.safety_groups]


# --- 遵守状況検査書 -----------------------------------------------------------------------------

def inspections(r: Record) -> list[tuple[int, dict[str, Any]]]:
    """(number, inspection) in the order held, numbered from 1 by date."""
    held = sorted(enumerate(r.data.get("検査", [])), key=lambda x: (x[1]["実施日"], x[0]))
    return [(n, insp) for n, (_, insp) in enumerate(held, start=1)]


def prefilled_people(r: Record, site: Site) -> tuple[dict[str, str], dict[str, str]]:
    """The people written on a sheet before the inspection: the city's inspector of the last
    inspection (else the contract's department), the contractor's 業務責任者 in effect."""
    held = [insp for _, insp in inspections(r)]
    inspector = next((i["検査実施者"] for i in reversed(held) if i.get("検査実施者")), None)
    inspector = inspector or {"部署": site.dept_name(r.data["所管課"])}
    states = report_states(r)
    leads = states[-1].state.get("業務責任者") if states else None
    respondent = next((i["受託者検査対応者"] for i in reversed(held) if i.get("受託者検査対応者")),
                      leads[0] if leads else {})
    return inspector, respondent


def inspection_rows(site: Site, result: dict[str, Any] | None) -> list[dict[str, Any]]:
    rows = []
    for it in site.forms.inspection_items:
        got = (result or {}).get(it["id"], {})
        rows.append({"no": it["No"], "item": it["点検項目"], "point": it["点検事項"],
                     "verdict": got.get("判定"), "note": got.get("備考", "")})
    return rows


# --- the sheets of one contract ---------------------------------------------------------------

def sheets(r: Record, site: Site) -> list[Sheet]:
    """Every printable page of a contract, in the order the contract page lists them."""
    out: list[Sheet] = []
    for form in forms_for(r):
        if form.slug == "checklist":
            out.append(Sheet(form, form.slug, form.link, {
                "title": site.forms.checklist["名称"].format(年度=fy_title(contract_fy(r))),
                "questions": checklist_rows(r, site)}))
        elif form.slug == "special-terms":
            variant = r.data["特記仕様書"]
            terms = site.forms.special_terms[variant]
            articles = [a for a in terms["条"] if not a.get("特定個人情報のみ") or r.data.get("特定個人情報の取扱い")]
            label = "別記（資料５）" if variant == "別記" else "資料４"
            out.append(Sheet(form, form.slug, f"{terms['名称']}（{label}）",
                             {"title": terms["名称"], "label": label if variant != "別記" else "別記",
                              "articles": articles}))
        elif form.slug == "report":
            out += _report_sheets(r, site, form)
        elif form.kind:
            inspector, respondent = prefilled_people(r, site)
            out.append(Sheet(form, form.slug, f"{form.link}（記入前）", {
                "title": form.title, "rows": inspection_rows(site, None), "result": None,
                "inspector": inspector, "respondent": respondent}))
        else:
            out.append(Sheet(form, form.slug, form.link, {"title": form.title}))
    for n, insp in inspections(r):
        form = INSPECTION_FORM[insp["種別"]]
        out.append(Sheet(form, f"inspection-{n}", f"遵守状況検査書（{insp['種別']}・{insp['実施日']} 実施分の結果）", {
            "title": form.title, "rows": inspection_rows(site, insp["結果"]), "result": insp,
            "inspector": insp.get("検査実施者") or {}, "respondent": insp.get("受託者検査対応者") or {}}))
    return out


def _report_sheets(r: Record, site: Site, form: Form) -> list[Sheet]:
    states = report_states(r)
    if not states:
        return [Sheet(form, form.slug, f"{form.link}（記入前）", _report_context(None, {}, site))]
    out = []
    previous: dict[str, Any] = {}
    for s in states:
        slug = form.slug if s is states[-1] else f"{form.slug}-{s.number}"
        link = f"{form.link}（{s.report['区分']}・{s.report['受理日']} 受理）"
        out.append(Sheet(form, slug, link, _report_context(s, previous, site)))
        previous = s.state
    return out


def _report_context(s: ReportState | None, previous: dict[str, Any], site: Site) -> dict[str, Any]:
    state = s.state if s else {}
    changed = s.changed if s else frozenset()
    return {"title": BY_SLUG["report"].title, "report": s.report if s else None, "rep": state,
            "changed": changed, "state": s,
            "people": {role: _people(state, previous if role in changed else {}, role)
                       for role in ("業務責任者", "業務従事者")},
            "groups": safety_rows(state, changed, previous, site),
            "safety_note": site.forms.safety.get("注記", "")}


def links(site: Site, r: Record, from_md: str) -> list[tuple[str, str]]:
    """(link text, relative URL) of every printable form of a contract, for its page."""
    return [(s.link, relative(from_md, form_page(r.id, s.slug))) for s in sheets(r, site)]


@pass_context
def _contract_forms(ctx: Any, r: Record, from_md: str) -> list[tuple[str, str]]:
    return links(ctx["site"], r, from_md)


def checklist_rows(r: Record, site: Site) -> list[dict[str, Any]]:
    answers = r.data["チェックリスト"]["回答"]
    return [{"no": n, "text": q["文言"], "choices": [(c, answers.get(q["id"]) == c) for c in q["選択肢"]],
             "branch": q.get("分岐", "")}
            for n, q in enumerate(site.forms.questions, start=1)]


def render_sheet(md_path: str, template: str, page_title: str, r: Record, site: Site, **context: Any) -> str:
    """One printable page: front matter plus the sheet's HTML as a single raw block."""
    city = site.repo.organization.get("自治体名", "")
    body = ENV.get_template(f"forms/{template}").render(
        record=r, d=r.data, site=site, city=city, page_path=md_path,
        href=lambda target: relative(md_path, target), contract_page=record_page("contract", r.id),
        css=CSS, **context)
    body = _BLANK_LINES.sub("\n", body).strip()  # one raw HTML block: no blank line may split it
    return front_matter(f"{page_title} {r.data['案件名']}") + body + "\n"


def pages(repo: Repository, today: dt.date) -> dict[str, str]:
    site = site_for(repo, today)
    out: dict[str, str] = {}
    for r in repo.of_type("contract"):
        for s in sheets(r, site):
            path = form_page(r.id, s.slug)
            out[path] = render_sheet(path, s.form.template, s.link, r, site, form=s.form, sheet=s,
                                     verdicts=site.forms.verdicts, **s.context)
    return out


ENV.globals["contract_forms"] = _contract_forms  # the contract page's 「印刷用の様式」 block
ENV.filters["wareki"] = wareki  # 令和7年6月27日: how a letter or a form prints a date
