"""開示・訂正・利用停止請求: the fiscal years, a list per fiscal year (status, the decision's
deadline with any extension, days left) and one page per request with its decisions and 不開示事由.
Deadlines and statuses come from the engine's duty for the request, never from the page."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from daicho.dates import fiscal_year, fy_label
from daicho.render.common import Site, owners, record_page, render, site_for
from daicho.repository import Record, Repository
from daicho.rules import STATUSES, Obligation
from daicho.rules.disclosure import request_kind

INDEX = "requests/index.md"


def fy_page(fy: int) -> str:
    return f"requests/{fy}.md"


def request_duty(site: Site, r: Record) -> Obligation | None:
    """The engine's decision duty (開示決定・訂正決定・利用停止決定) of a request, if it has one yet."""
    return next(iter(site.obligations_by_record.get(r.id, [])), None)


def pages(repo: Repository, today: dt.date) -> dict[str, str]:
    site = site_for(repo, today)
    schema = repo.types["disclosure"].schema["properties"]
    kinds = schema["請求の種類"]["enum"]
    reasons = schema["決定"]["items"]["properties"]["不開示事由"]["items"].get("x-labels", {})
    by_fy: dict[int, list[Record]] = defaultdict(list)
    for r in repo.of_type("disclosure"):
        by_fy[fiscal_year(r.data["受付日"])].append(r)
    fys = sorted(by_fy, reverse=True)
    duty = {r.id: request_duty(site, r) for r in repo.of_type("disclosure")}
    counts = {fy: {"kinds": {k: sum(request_kind(r.data) == k for r in by_fy[fy]) for k in kinds},
                   "statuses": {s: sum(1 for r in by_fy[fy] if duty[r.id] and duty[r.id].status == s)
                                for s in STATUSES}}
              for fy in fys}
    out = {INDEX: render(INDEX, "requests_index.html", "開示・訂正・利用停止請求", site, kind="index",
                         fys=fys, counts=counts, kinds=kinds, statuses=STATUSES, fy_page=fy_page,
                         searchable=False)}
    for fy in fys:
        recs = sorted(by_fy[fy], key=lambda r: (r.data["受付日"], r.id), reverse=True)
        depts = sorted({c for r in recs for c in owners(r)}, key=site.dept_sort_key)
        out[fy_page(fy)] = render(fy_page(fy), "requests_fy.html", f"開示・訂正・利用停止請求（{fy_label(fy)}）",
                                  site, kind="index", fy=fy, records=recs, duty=duty, kinds=kinds,
                                  states=schema["状態"]["enum"], statuses=STATUSES,
                                  depts=[site.dept_name(c) for c in depts], request_kind=request_kind,
                                  scripts=True, searchable=False)
    for r in repo.of_type("disclosure"):
        path = record_page("disclosure", r.id)
        out[path] = render(path, "request.html", f"{request_kind(r.data)} {r.id}", site, source=r.path,
                           kind="record", record=r, fy=fiscal_year(r.data["受付日"]), duty=duty[r.id],
                           request_kind=request_kind(r.data), reasons=reasons, fy_page=fy_page,
                           obligations=site.obligations_by_record.get(r.id, []))
    return out
