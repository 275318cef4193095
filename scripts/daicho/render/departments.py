"""所管課: one page per department with everything it owns — 事務, ファイル, 委託 (with their
inspection status), 漏えい等事案 and the open obligations."""

from __future__ import annotations

import datetime as dt

from daicho.render.common import dept_page, render, site_for
from daicho.render.contracts import inspection_status, term_state
from daicho.repository import Repository

INDEX = "departments/index.md"
TYPES = ("jimu", "file", "contract", "incident")


def pages(repo: Repository, today: dt.date) -> dict[str, str]:
    site = site_for(repo, today)
    codes = sorted(repo.departments, key=site.dept_sort_key)
    counts = {c: {t: len(site.by_dept.get(c, {}).get(t, [])) for t in TYPES} for c in codes}
    out = {INDEX: render(INDEX, "departments_index.html", "所管課", site, kind="index", codes=codes,
                         counts=counts, searchable=False)}
    for code in codes:
        dept = repo.departments[code]
        owned = site.by_dept.get(code, {})
        obligations = [o for o in site.obligations or []
                       if o.department == code and o.status not in ("済", "対象外")]
        obligations.sort(key=lambda o: (o.due or dt.date.max, o.record_id))
        out[dept_page(code)] = render(
            dept_page(code), "department.html", dept.name, site, kind="department", dept=dept,
            jimu=owned.get("jimu", []), files=owned.get("file", []),
            contracts=sorted(owned.get("contract", []), key=lambda r: r.id, reverse=True),
            incidents=sorted(owned.get("incident", []), key=lambda r: r.data["判明日"], reverse=True),
            obligations=obligations, term_state=term_state,
            inspection_status=lambda r: inspection_status(site, r))
    return out
