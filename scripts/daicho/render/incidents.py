"""漏えい等事案: the list and one page per incident in the seed's sheet layout (議題4), with the
法68条 triggers, the PPC 速報/確報 and the 本人通知."""

from __future__ import annotations

import datetime as dt

from daicho.render.common import Site, incident_fy, record_page, render, site_for
from daicho.repository import Record, Repository

INDEX = "incidents/index.md"
PPC_KINDS = ("速報", "確報")


def ppc(site: Site, r: Record) -> dict[str, object]:
    """The 速報/確報 obligations of an incident, by kind (from the compliance rules)."""
    return {o.kind: o for o in site.obligations_by_record.get(r.id, []) if o.kind in PPC_KINDS}


def pages(repo: Repository, today: dt.date) -> dict[str, str]:
    site = site_for(repo, today)
    recs = sorted(repo.of_type("incident"), key=lambda r: (r.data["判明日"], r.id), reverse=True)
    fys = sorted({incident_fy(r) for r in recs}, reverse=True)
    depts = [site.dept_name(c) for c in sorted({c for r in recs for c in r.data["発生部署"]}, key=site.dept_sort_key)]
    out = {INDEX: render(INDEX, "incidents_index.html", "漏えい等事案", site, kind="index", records=recs,
                         fys=fys, depts=depts, incident_fy=incident_fy, ppc=lambda r: ppc(site, r),
                         scripts=True)}
    for r in recs:
        path = record_page("incident", r.id)
        out[path] = render(path, "incident.html", r.data["件名"], site, source=r.path, kind="record",
                           record=r, fy=incident_fy(r), ppc=ppc(site, r),
                           obligations=site.obligations_by_record.get(r.id, []))
    return out
