"""検査状況: for each FY and department, every contract's required inspection and its status
(済 / 未実施 / 期限切れ / 対象外), taken from the compliance rules — the site computes no
deadline of its own. Without the rules, only the recorded inspections are listed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from daicho.dates import fiscal_year, fy_label
from daicho.render.common import INSPECTION_KINDS, Site, render, site_for
from daicho.repository import Repository
from daicho.rules import STATUSES

INDEX = "inspections/index.md"


@dataclass
class Line:
    record_id: str
    department: str
    fy: int
    kind: str
    due: Any
    done: Any
    status: str
    late: bool
    note: str


def lines(site: Site) -> list[Line]:
    if site.obligations is not None:
        return [Line(o.record_id, o.department, o.fy, o.kind, o.due, o.done, o.status, bool(o.late),
                     o.note or "")
                for o in site.obligations if o.kind in INSPECTION_KINDS and o.fy is not None]
    out = []
    for r in site.repo.of_type("contract"):  # fallback: what was recorded, no status
        for insp in r.data.get("検査", []):
            out.append(Line(r.id, r.data["所管課"], fiscal_year(insp["実施日"]), insp["種別"], None,
                            insp["実施日"], "", False, ""))
    return out


def fy_page(fy: int) -> str:
    return f"inspections/{fy}.md"


def pages(repo: Repository, today: dt.date) -> dict[str, str]:
    site = site_for(repo, today)
    by_fy: dict[int, dict[str, list[Line]]] = defaultdict(lambda: defaultdict(list))
    for line in lines(site):
        by_fy[line.fy][line.department].append(line)
    fys = sorted(by_fy, reverse=True)
    counts = {fy: {s: sum(1 for ls in by_fy[fy].values() for x in ls if x.status == s) for s in STATUSES}
              for fy in fys}
    out = {INDEX: render(INDEX, "inspections_index.html", "検査状況", site, kind="index", fys=fys,
                         counts=counts, statuses=STATUSES, fy_page=fy_page, searchable=False)}
    for fy in fys:
        depts = sorted(by_fy[fy], key=site.dept_sort_key)
        groups = [(code, sorted(by_fy[fy][code], key=lambda x: (x.record_id, x.kind))) for code in depts]
        out[fy_page(fy)] = render(fy_page(fy), "inspections_fy.html", f"検査状況（{fy_label(fy)}）", site,
                                  kind="index", fy=fy, groups=groups, counts=counts[fy], statuses=STATUSES,
                                  searchable=False, scripts=False)
    return out
