"""ホーム: the dashboard — counts per 実施機関, every duty that is overdue, due soon or open
without a fixed date (the engine's default view, the one ``daicho due`` prints), and the records
changed most recently (from git)."""

from __future__ import annotations

import datetime as dt

from daicho import rules
from daicho.dates import fiscal_year
from daicho.render.common import incident_fy, on_register, render, site_for
from daicho.render.contracts import term_state
from daicho.repository import Repository

RECENT = 20


def pages(repo: Repository, today: dt.date) -> dict[str, str]:
    site = site_for(repo, today)
    fy = fiscal_year(today)
    organ_of = site.organ_of
    counts = []
    for organ in repo.organs:
        counts.append({
            "organ": organ,
            "jimu": sum(1 for r in repo.of_type("jimu") if r.data["実施機関"] == organ and on_register(r, today)),
            "file": sum(1 for r in repo.of_type("file") if r.data["実施機関"] == organ and on_register(r, today)),
            "contract": sum(1 for r in repo.of_type("contract")
                            if organ_of(r.data["所管課"]) == organ and term_state(r, today) == "履行中"),
            "incident": sum(1 for r in repo.of_type("incident")
                            if incident_fy(r) == fy and organ in {organ_of(c) for c in r.data["発生部署"]}),
            "request": sum(1 for r in repo.of_type("disclosure")
                           if r.data["実施機関"] == organ and fiscal_year(r.data["受付日"]) == fy),
        })
    duties = sorted((o for o in site.obligations or [] if o.in_view(today, site.horizon)), key=rules.urgency)
    summary = {s: sum(1 for o in duties if o.status == s) for s in (rules.OVERDUE, rules.OPEN)}
    by_path = {r.path: r for r in repo.records}
    recent = [(by_path[p], c) for p, c in site.history.recent(len(by_path)) if p in by_path][:RECENT]
    return {"index.md": render("index.md", "home.html", "ホーム", site, kind="home", counts=counts, fy=fy,
                               duties=duties, summary=summary, window=site.horizon, recent=recent,
                               searchable=False, scripts=True)}
