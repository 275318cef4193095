"""委託先へ送る文書: letters to the contractor, one A4 page each, filled from the contract.

- 書面検査の依頼: for every 年度 the engine expects a 書面検査, with the pre-filled 資料7 sheet
  enclosed on the next page;
- 検査結果の通知 (基準5⑵): for every recorded inspection;
- 改善報告書の提出依頼: for every inspection with an item judged 否;
- 再委託の承諾 (特記仕様書第5条2項): for every 再委託 applied for.

The wording is data (``schemas/forms/letters.yaml``); the 文書番号, 発信者 and 公印 line come
from ``records/settings.yaml`` 文書. ``{名前}`` in the wording is replaced by plain text, and the
result goes through autoescape like every record value, so a record's text prints literally.
The contract page links each letter at the step it belongs to (:func:`links`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from jinja2 import pass_context

from daicho.dates import fiscal_year, fy_label, wareki
from daicho.render.common import ENV, Site, relative, site_for
from daicho.render.forms import (
    INSPECTION_FORM,
    inspection_rows,
    inspections,
    prefilled_people,
    render_sheet,
    report_states,
)
from daicho.repository import Record, Repository
from daicho.rules import NOT_APPLICABLE, contracts, facts

_PLACEHOLDER = re.compile(r"\{([^{}\s]+)\}")
DEFAULT_SETTINGS = {"文書番号": "第　　　号", "発信者": "{自治体名}長", "公印": ""}


@dataclass(frozen=True)
class Letter:
    kind: str  # the key in letters.yaml
    slug: str
    link: str  # link text on the contract page
    status: str  # where the duty the letter serves stands (済 / 未実施 / 期限切れ), or ""
    date: str | None  # the day it was (or is recorded as) sent
    values: dict[str, str]
    closing: str = ""  # key of the closing paragraph, for letters with alternatives
    enclosure: dict[str, Any] = field(default_factory=dict)  # context of an enclosed sheet


def letter_page(contract_id: str, slug: str) -> str:
    return f"contracts/{contract_id}/letters/{slug}.md"


def fill(text: str, values: dict[str, str]) -> str:
    """``{名前}`` replaced by its value; unknown names stay as written (so a typo shows)."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def _failed(site: Site, insp: dict[str, Any]) -> list[str]:
    """The items judged 否 (the engine's reading), with their 備考, as the letters list them."""
    failed = set(facts.failed_items(site.forms, insp))
    out = []
    for it in site.forms.inspection_items:
        if it["id"] in failed:
            got = insp["結果"].get(it["id"], {})
            note = f"（{got['備考']}）" if got.get("備考") else ""
            out.append(f"No.{it['No']} {it['点検項目']}{note}")
    return out


def letters_for(r: Record, site: Site) -> list[Letter]:
    d = r.data
    if not d.get("個人情報の取扱い"):
        return []
    base = {"案件名": d["案件名"], "受託者": d["受託者"]["名称"], "契約日": wareki(d["契約日"]),
            "所管課": site.dept_name(d["所管課"])}
    obligations = site.obligations_by_record.get(r.id, [])
    out: list[Letter] = []
    for ob in obligations:
        if ob.duty == contracts.DOCUMENT_DUTY and ob.status != NOT_APPLICABLE and ob.fy is not None:
            inspector, respondent = prefilled_people(r, site)
            out.append(Letter("書面検査の依頼", f"written-request-{ob.fy}", f"書面検査の依頼（{fy_label(ob.fy)}）",
                              ob.status, None, {**base, "年度": fy_label(ob.fy)},
                              enclosure={"form": INSPECTION_FORM["書面検査"], "rows": inspection_rows(site, None),
                                         "result": None, "inspector": inspector, "respondent": respondent}))
    status_of = {(ob.duty, ob.path[1]): ob.status for ob in obligations
                 if ob.path[:1] == ("検査",) and len(ob.path) > 1}
    index_of = {id(insp): i for i, insp in enumerate(d.get("検査", []))}
    for n, insp in inspections(r):
        i = index_of[id(insp)]
        failed = _failed(site, insp)
        values = {**base, "種別": insp["種別"], "実施日": wareki(insp["実施日"]),
                  "判定": "「否」の項目があります" if failed else "全ての点検項目が「適」",
                  "否の項目": "、".join(failed) if failed else "なし",
                  "結果通知日": wareki(insp["結果通知日"]) if insp.get("結果通知日") else ""}
        out.append(Letter("検査結果の通知", f"result-{n}", f"検査結果の通知（{insp['実施日']} の{insp['種別']}）",
                          status_of.get((contracts.NOTICE, i), ""), insp.get("結果通知日"), values,
                          closing="否あり" if failed else "否なし"))
        if failed:
            out.append(Letter("改善報告書の提出依頼", f"improvement-{n}",
                              f"改善報告書の提出依頼（{insp['実施日']} の{insp['種別']}）",
                              status_of.get((contracts.IMPROVEMENT, i), ""),
                              insp.get("改善報告書", {}).get("依頼日"), values))
    for n, sub in enumerate(d.get("再委託", []), start=1):
        values = {**base, "申請日": wareki(sub["申請日"]), "再委託先": sub["再委託先の名称"],
                  **{k: sub.get(k, "") for k in ("理由", "処理する内容", "取り扱う情報")}}
        out.append(Letter("再委託の承諾", f"subcontract-{n}", f"再委託の承諾（{sub['再委託先の名称']}）",
                          "済" if sub.get("承諾日") else "未承諾", sub.get("承諾日"), values))
    return out


def links(site: Site, r: Record, from_md: str) -> list[tuple[str, str, str]]:
    """(link text, relative URL, status) of every letter of a contract, for its page."""
    return [(x.link, relative(from_md, letter_page(r.id, x.slug)), x.status) for x in letters_for(r, site)]


@pass_context
def _contract_letters(ctx: Any, r: Record, from_md: str) -> list[tuple[str, str, str]]:
    return links(ctx["site"], r, from_md)


def _sender(site: Site, r: Record, fy: int) -> dict[str, str]:
    city = site.repo.organization.get("自治体名", "")
    settings = {**DEFAULT_SETTINGS, **site.repo.settings.get("文書", {})}
    values = {"自治体名": city, "部署名": site.dept_name(r.data["所管課"]), "年度": fy_label(fy)}
    return {k: fill(v, values) for k, v in settings.items()}


def render_letter(md_path: str, letter: Letter, r: Record, site: Site) -> str:
    template = site.forms.letters[letter.kind]
    states = report_states(r)
    representative = states[-1].state.get("代表者氏名", "") if states else ""
    fy = fiscal_year(letter.date or site.today)  # the 年度 a 文書番号 may carry
    closing = template.get("結び", "")
    if isinstance(closing, dict):
        closing = closing.get(letter.closing, "")
    return render_sheet(
        md_path, "letter.html", letter.link, r, site, form={"slug": "letter"}, letter=letter,
        sender=_sender(site, r, fy), representative=representative,
        subject=fill(template["件名"], letter.values), heading=template["見出し"],
        paragraphs=[fill(p, letter.values) for p in template["本文"]],
        items=[(fill(k, letter.values), fill(v, letter.values)) for k, v in template.get("記", [])],
        closing=fill(closing, letter.values), verdicts=site.forms.verdicts)


def pages(repo: Repository, today: dt.date) -> dict[str, str]:
    site = site_for(repo, today)
    out: dict[str, str] = {}
    for r in repo.of_type("contract"):
        for letter in letters_for(r, site):
            path = letter_page(r.id, letter.slug)
            out[path] = render_letter(path, letter, r, site)
    return out


ENV.globals["contract_letters"] = _contract_letters  # the contract page's 「委託先へ送る文書」 block
