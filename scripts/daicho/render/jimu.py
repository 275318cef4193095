"""個人情報取扱事務登録簿: the index (per 実施機関 and 所管課, filterable) and one page per 事務."""

from __future__ import annotations

import datetime as dt

from daicho.render import fields
from daicho.render.common import entry_state, in_force, on_register, record_page, render, site_for
from daicho.repository import Repository

INDEX = "jimu/index.md"


def pages(repo: Repository, today: dt.date) -> dict[str, str]:
    site = site_for(repo, today)
    recs = sorted(repo.of_type("jimu"), key=lambda r: (*site.dept_sort_key(r.data["所管課"]), r.id))
    summary = [
        (organ,
         sum(1 for r in recs if r.data["実施機関"] == organ and on_register(r, today)),
         sum(1 for r in recs if r.data["実施機関"] == organ and not in_force(r, today)))
        for organ in repo.organs
    ]
    out = {INDEX: render(INDEX, "jimu_index.html", "個人情報取扱事務登録簿", site, kind="index",
                         records=recs, summary=summary, scripts=True,
                         depts=list(dict.fromkeys(site.dept_name(r.data["所管課"]) for r in recs)))}
    schema = repo.types["jimu"].schema
    for r in recs:
        path = record_page("jimu", r.id)
        out[path] = render(path, "jimu.html", r.data["事務の名称"], site, source=r.path, kind="record",
                           record=r, rows=fields.rows(schema, r.data), state=entry_state(r, today),
                           files=site.files_by_jimu.get(r.id, []),
                           contracts=site.contracts_by_jimu.get(r.id, []))
    return out
