"""検査状況: for each FY, every contract's required inspection and its status (済 / 未実施 /
期限切れ / 対象外) in one table filterable by kind, 課 and status, taken from the compliance
rules — the site computes no deadline of its own. A 3-year 実地検査 window is listed under its
first FY and labelled with its span."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from daicho.dates import fy_label
from daicho.render.common import INSPECTION_KINDS, render, site_for
from daicho.repository import Repository
from daicho.rules import STATUSES, Obligation

INDEX = "inspections/index.md"


def fy_page(fy: int) -> str:
    return f"inspections/{fy}.md"


def pages(repo: Repository, today: dt.date) -> dict[str, str]:
    site = site_for(repo, today)
    by_fy: dict[int, list[Obligation]] = defaultdict(list)
    for o in site.obligations or []:
        if o.kind in INSPECTION_KINDS and o.fy is not None:
            by_fy[o.fy].append(o)
    fys = sorted(by_fy, reverse=True)
    counts = {fy: {s: sum(1 for o in by_fy[fy] if o.status == s) for s in STATUSES} for fy in fys}
    out = {INDEX: render(INDEX, "inspections_index.html", "検査状況", site, kind="index", fys=fys,
                         counts=counts, statuses=STATUSES, fy_page=fy_page, searchable=False)}
    for fy in fys:
        items = sorted(by_fy[fy], key=lambda o: (*site.dept_sort_key(o.department), o.record_id, o.kind))
        out[fy_page(fy)] = render(fy_page(fy), "inspections_fy.html", f"検査状況（{fy_label(fy)}）", site,
                                  kind="index", fy=fy, items=items, counts=counts[fy], statuses=STATUSES,
                                  searchable=False, scripts=True)
    return out
