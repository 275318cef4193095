"""ホーム: the dashboard — counts per 実施機関, inspections overdue or due soon, incidents with
open PPC deadlines, and the records changed most recently (from git)."""

from __future__ import annotations

import datetime as dt

from daicho.render.common import INSPECTION_KINDS, incident_fy, on_register, render, site_for
from daicho.render.contracts import term_state
from daicho.render.incidents import PPC_KINDS
from daicho.repository import Repository

RECENT = 20
DEFAULT_WINDOW = 60  # days ahead the dashboard looks; records/settings.yaml 期限.検査予告の日数


def pages(repo: Repository, today: dt.date) -> dict[str, str]:
    site = site_for(repo, today)
    window = int(repo.settings.get("期限", {}).get("検査予告の日数", DEFAULT_WINDOW))
    horizon = today + dt.timedelta(days=window)
    fy = (today.year if today.month >= 4 else today.year - 1)
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
        })
    obligations = site.obligations or []
    open_ = [o for o in obligations if o.status not in ("済", "対象外")]
    inspections = sorted((o for o in open_ if o.kind in INSPECTION_KINDS and o.due and o.due <= horizon),
                         key=lambda o: (o.due, o.record_id))
    ppc = sorted((o for o in open_ if o.kind in PPC_KINDS), key=lambda o: (o.due or dt.date.max, o.record_id))
    by_path = {r.path: r for r in repo.records}
    recent = [(by_path[p], c) for p, c in site.history.recent(len(by_path)) if p in by_path][:RECENT]
    return {"index.md": render("index.md", "home.html", "ホーム", site, kind="home", counts=counts, fy=fy,
                               inspections=inspections, ppc=ppc, window=window, recent=recent,
                               searchable=False)}
