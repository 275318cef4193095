"""印刷用の様式: the office's paper forms for one contract, pre-filled from its record and laid
out for A4 (``assets/daicho/forms.css``).

- チェックリスト (資料2): the department's answers ticked (☑), the other choices blank (☐);
- 取扱い個人情報一覧 (第1号様式, 特記仕様書 第2条): not for 別記 contracts, whose items are written
  into 別記 第2条 itself;
- 管理体制等報告書 (第2号様式): filled from the latest report received, blank when there is none;
- 遵守状況検査書 (資料6 実地検査 / 資料7 書面検査): 契約件名 and 受託者 filled in, the verdict and
  備考 columns left for the contractor and the inspector — it is the sheet the office sends.

The wording of questions, check items and safety measures comes from ``schemas/forms/*.yaml``;
the fixed text of each sheet lives in ``templates/forms/``. The pages stay out of the nav (the
plugin adds generated pages as NOT_IN_NAV) and out of search (no ``data-search-body``); the
contract page links to them through :func:`links`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from daicho.render.common import ENV, Site, front_matter, record_page, relative, site_for
from daicho.repository import Record, Repository


def _handles_personal_info(r: Record) -> bool:
    return bool(r.data.get("個人情報の取扱い"))


@dataclass(frozen=True)
class Form:
    slug: str  # the page's file name
    title: str  # the sheet's heading, as printed on the seed's form
    link: str  # the link text on the contract page
    label: str  # the form number printed in the corner (資料N / 第N号様式)
    template: str
    applies: Callable[[Record], bool]
    kind: str = ""  # 実地検査 / 書面検査 for the inspection sheet


FORMS: tuple[Form, ...] = (
    Form("checklist", "個人情報の取扱いの委託に係るチェックリスト", "チェックリスト（資料2）", "資料２",
         "checklist.html", lambda r: True),
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
CSS = "assets/daicho/forms.css"

_BLANK_LINES = re.compile(r"\n\s*\n")


def form_page(contract_id: str, slug: str) -> str:
    return f"contracts/{contract_id}/forms/{slug}.md"


def forms_for(r: Record) -> list[Form]:
    return [f for f in FORMS if f.applies(r)]


def links(r: Record, from_md: str) -> list[tuple[str, str]]:
    """(link text, relative URL) of every printable form of a contract, for its page."""
    return [(f.link, relative(from_md, form_page(r.id, f.slug))) for f in forms_for(r)]


def latest_report(r: Record) -> dict[str, Any] | None:
    """The 管理体制等報告書 received last (a 変更 supersedes the 新規)."""
    reports = r.data.get("管理体制等報告書", [])
    return max(reports, key=lambda rep: rep["受理日"]) if reports else None


def checklist_rows(r: Record, site: Site) -> list[dict[str, Any]]:
    answers = r.data["チェックリスト"]["回答"]
    return [{"no": n, "text": q["文言"], "choices": [(c, answers.get(q["id"]) == c) for c in q["選択肢"]],
             "branch": q.get("分岐", "")}
            for n, q in enumerate(site.forms.questions, start=1)]


def safety_rows(report: dict[str, Any] | None, site: Site) -> list[dict[str, Any]]:
    chosen = (report or {}).get("安全管理措置", {})
    return [{"name": g["名称"], "measures": [(m["文言"], m["id"] in chosen.get(g["id"], [])) for m in g["項目"]]}
            for g in site.forms.safety_groups]


def _render(md_path: str, form: Form, r: Record, site: Site, **context: Any) -> str:
    city = site.repo.organization.get("自治体名", "")
    body = ENV.get_template(f"forms/{form.template}").render(
        form=form, record=r, d=r.data, site=site, city=city, page_path=md_path,
        href=lambda target: relative(md_path, target), contract_page=record_page("contract", r.id),
        css=CSS, **context)
    body = _BLANK_LINES.sub("\n", body).strip()  # one raw HTML block: no blank line may split it
    return front_matter(f"{form.link} {r.data['案件名']}") + body + "\n"


def pages(repo: Repository, today: dt.date) -> dict[str, str]:
    site = site_for(repo, today)
    out: dict[str, str] = {}
    for r in repo.of_type("contract"):
        for form in forms_for(r):
            path = form_page(r.id, form.slug)
            report = latest_report(r) if form.slug == "report" else None
            out[path] = _render(
                path, form, r, site,
                questions=checklist_rows(r, site) if form.slug == "checklist" else [],
                report=report, rep=report or {}, groups=safety_rows(report, site),
                safety_note=site.forms.safety.get("注記", ""),
                items=site.forms.inspection_items, verdicts=site.forms.verdicts)
    return out


ENV.globals["contract_forms"] = links  # the contract page's 「印刷用の様式」 block
