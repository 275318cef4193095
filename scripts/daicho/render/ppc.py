"""個人情報保護委員会への漏えい等報告の下書き: for every incident the engine says must be
reported, the 速報 and the 確報 in the order of the PPC's report for 行政機関等 (法68条1項・
規則44条; the items are ``schemas/forms/ppc_report.yaml``), printable on A4, and each item as
plain text to paste into the PPC's online form. What a complete 確報 still lacks comes from the
engine (:func:`daicho.rules.incidents.final_report_gaps`), the same rule ``daicho due`` uses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from jinja2 import pass_context

from daicho.dates import wareki
from daicho.render.common import ENV, Site, front_matter, record_page, relative, site_for
from daicho.render.forms import CSS
from daicho.repository import Record, Repository
from daicho.rules import NOT_APPLICABLE, facts, incidents
from daicho.rules.data import load_rule_data
from daicho.rules.incidents import final_report_gaps

_CIRCLED = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"


@dataclass(frozen=True)
class Item:
    id: str
    heading: str
    hint: str
    text: str  # the plain text to paste ("" when the record has nothing for it)
    missing: bool  # a 確報 needs it and the record lacks it


def ppc_page(incident_id: str) -> str:
    return f"incidents/{incident_id}/ppc.md"


def must_report(site: Site, r: Record) -> bool:
    """The engine holds a 速報 duty for the incident (a trigger applies, under 法68条)."""
    return any(o.duty == incidents.QUICK and o.status != NOT_APPLICABLE
               for o in site.obligations_by_record.get(r.id, []))


def _day(value: str | None) -> str:
    return wareki(value) if value else ""


def _contract(site: Site, d: dict[str, Any]) -> str:
    contract = site.repo.get(d["委託契約"]) if d.get("委託契約") else None
    names = [contract.data["受託者"]["名称"]] if contract else []
    names += [d["委託先の名称"]] if d.get("委託先の名称") and d.get("委託先の名称") not in names else []
    if not names:
        return ""
    about = f"（委託業務: {contract.data['案件名']}）" if contract else ""
    return f"委託先で発生: {'、'.join(names)}{about}"


def _lines(*parts: tuple[str, str]) -> str:
    """'label: value' lines for the values that are there."""
    return "\n".join(f"{label}: {value}" if label else value for label, value in parts if value)


def item_texts(site: Site, r: Record) -> dict[str, str]:
    """The text of each PPC item, from the record's fields."""
    d = r.data
    forms = site.forms
    city = site.repo.organization.get("自治体名", "")
    depts = "・".join(site.dept_name(c) for c in d["発生部署"])
    notice = d.get("本人への通知", {})
    notice_text = {"実施": f"本人へ通知した（{_day(notice.get('通知日'))}）" if notice.get("通知日") else "本人へ通知した",
                   "実施せず": "本人への通知は行わない"
                   + (f"（法68条2項ただし書: {notice['実施しない根拠']}）" if notice.get("実施しない根拠") else ""),
                   "未実施": "本人への通知は未実施"}.get(notice.get("状況", ""), "")
    published = d.get("公表", {})
    publish_text = (f"公表した（{_day(published.get('公表日'))}、{published.get('方法', '')}）".replace("、）", "）")
                    if published.get("公表日") else published.get("公表しない理由", ""))
    grounds = forms.ppc.get("報告対象事由の号", {})
    steps = d.get("再発防止策", [])
    return {
        "概要": _lines(("事案の件名", d["件名"]), ("発生した機関・部署", f"{city} {depts}"),
                     ("判明日", _day(d["判明日"])), ("発生日", _day(d.get("発生日"))),
                     ("", d.get("概要", "")), ("判明した経緯", d.get("判明した経緯", "")),
                     ("", _contract(site, d))),
        "項目": _lines(("保有個人情報の項目", "、".join(d["漏えいした個人情報"])),
                     ("報告対象事由", "、".join(grounds.get(t, t) for t in
                                             facts.triggers(load_rule_data(site.repo.schema_dir), d)))),
        "本人の数": f"{d['件数']:,}人",
        "原因": d.get("発生原因", ""),
        "二次被害": d.get("二次被害", ""),
        "本人への対応": _lines(("", notice_text), ("代替措置", notice.get("代替措置", "")),
                          ("発生時の対応", d.get("発生時の対応", ""))),
        "公表": publish_text,
        "再発防止策": "\n".join(f"{_CIRCLED[i] if i < len(_CIRCLED) else f'({i + 1})'}　{s}" for i, s in enumerate(steps)),
        "その他": _lines(("警察への届出等", d.get("警察への届出", ""))),
    }


def items(site: Site, r: Record) -> list[Item]:
    texts = item_texts(site, r)
    gaps = set(final_report_gaps(site.forms, r.data))
    return [Item(i["id"], i["見出し"], i.get("説明", ""), texts.get(i["id"], ""), i["id"] in gaps)
            for i in site.forms.ppc["項目"]]


def reporter(site: Site, r: Record) -> str:
    """The 行政機関等 that reports: the 実施機関 of the first 発生部署, by its formal name."""
    organ = site.organ_of(r.data["発生部署"][0])
    names = {o["名称"]: o.get("行政機関等の名称", o["名称"]) for o in site.repo.organization.get("実施機関", [])}
    return names.get(organ, organ)


def render_page(md_path: str, r: Record, site: Site) -> str:
    report = r.data.get("個人情報保護委員会への報告", {})
    names = {incidents.QUICK: "速報", incidents.FINAL: "確報"}  # the template's words for the two duties
    obligations = {names[o.duty]: o for o in site.obligations_by_record.get(r.id, []) if o.duty in names}
    body = ENV.get_template("forms/ppc.html").render(
        record=r, d=r.data, site=site, page_path=md_path, css=CSS,
        href=lambda target: relative(md_path, target), incident_page=record_page("incident", r.id),
        items=items(site, r), report=report, obligations=obligations, title=site.forms.ppc["名称"],
        reporter=reporter(site, r))
    body = "\n".join(line for line in body.splitlines() if line.strip())  # one raw HTML block
    return front_matter(f"漏えい等報告の下書き {r.data['件名']}") + body + "\n"


def links(site: Site, r: Record, from_md: str) -> list[tuple[str, str]]:
    return [("個人情報保護委員会への報告（速報・確報）の下書き", relative(from_md, ppc_page(r.id)))] \
        if must_report(site, r) else []


@pass_context
def _incident_ppc(ctx: Any, r: Record, from_md: str) -> list[tuple[str, str]]:
    return links(ctx["site"], r, from_md)


def pages(repo: Repository, today: dt.date) -> dict[str, str]:
    site = site_for(repo, today)
    return {ppc_page(r.id): render_page(ppc_page(r.id), r, site)
            for r in repo.of_type("incident") if must_report(site, r)}


ENV.globals["incident_ppc"] = _incident_ppc  # the incident page's link to its draft
