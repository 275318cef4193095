"""所管課: one page per department with everything it owns — 事務, ファイル, 委託 (with their
inspection status), 漏えい等事案, 開示・訂正・利用停止請求 and the open obligations."""

from __future__ import annotations

import datetime as dt

from daicho.render.common import dept_page, render, site_for
from daicho.render.contracts import inspection_status, term_state
from daicho.render.requests import request_duty
from daicho.repository import Repository

INDEX = "departments/index.md"
TYPES = ("jimu", "file", "contract", "incident", "disclosure")


def pages(repo: Repository, today: dt.date) -> dict[str, str]:
    site = site_for(repo, today)
    codes = sorted(repo.departments, key=site.dept_sort_key)
    counts = {c: {t: len(site.by_dept.get(c, {}).get(t, [])) for t in TYPES} for c in codes}
    out = {INDEX: render(INDEX, "departments_index.html", "所管課", site, kind="index", codes=codes,
                         counts=counts, searchable=False)}
    for code in codes:
        dept = repo.departments[code]
        owned = site.by_dept.get(code, {})
        out[dept_page(code)] = render(
            dept_page(code), "department.html", dept.name, site, kind="department", dept=dept,
            jimu=owned.get("jimu", []), files=owned.get("file", []),
            contracts=sorted(owned.get("contract", []), key=lambda r: r.id, reverse=True),
            incidents=sorted(owned.get("incident", []), key=lambda r: r.data["判明日"], reverse=True),
            requests=sorted(owned.get("disclosure", []), key=lambda r: (r.data["受付日"], r.id), reverse=True),
            obligations=site.open_duties_by_dept.get(code, []), term_state=term_state, scripts=True,
            request_duty=lambda r: request_duty(site, r),
            inspection_status=lambda r: inspection_status(site, r))
    return out
