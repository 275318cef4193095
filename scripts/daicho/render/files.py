"""個人情報ファイル簿: the index and one sheet (単票) per file with the statutory items in order
(法74条1項・令20条6項; DOMAIN §6). The order and wording come from ``x-item`` and the titles in
schemas/file.json, so the schema stays the one source of the statutory layout."""

from __future__ import annotations

import datetime as dt
from typing import Any

from daicho.render import fields
from daicho.render.common import entry_state, on_register, record_page, render, site_for
from daicho.repository import Record, Repository
from daicho.typemodel import TypeInfo, item_order, model

INDEX = "files/index.md"


def statutory(info: TypeInfo) -> list[tuple[tuple[str, ...], dict[str, Any]]]:
    """(path, schema node) of every field with a statutory item number, in item order."""
    return [(f.path, f.schema) for f in sorted((f for f in info.fields() if f.item), key=lambda f: item_order(f.item))]


def _get(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = data
    for part in path:
        value = value.get(part) if isinstance(value, dict) else None
    return value


def withheld(r: Record) -> dict[str, dict[str, Any]]:
    """{part: entry} of the 法75条3項 omissions recorded for this file."""
    return {w["部分"]: w for w in r.data.get("公表しない部分", [])}


def sheet(r: Record, info: TypeInfo, repo: Repository) -> list[fields.Row]:
    rows = []
    organs = {o["名称"]: o for o in repo.organization.get("実施機関", [])}
    for path, node in statutory(info):
        value = _get(r.data, path)
        if path == ("実施機関",) and value in organs:  # item 2 is the 行政機関等の名称
            value = organs[value].get("行政機関等の名称") or value
        if value is None:
            rows.append(fields.Row(fields.item_label(node.get("title", path[-1]), node["x-item"]), "none",
                                   None, str(node["x-item"]), path))
        else:
            rows.append(fields.row(path[-1], node, value, path))
    return rows


def pages(repo: Repository, today: dt.date) -> dict[str, str]:
    site = site_for(repo, today)
    info = model(repo.schema_dir)["file"]
    schema = repo.types["file"].schema
    recs = sorted(repo.of_type("file"), key=lambda r: (*site.dept_sort_key(r.data["所管課"]), r.id))
    summary = [(organ, sum(1 for r in recs if r.data["実施機関"] == organ and on_register(r, today)))
               for organ in repo.organs]
    out = {INDEX: render(INDEX, "files_index.html", "個人情報ファイル簿", site, kind="index", records=recs,
                         summary=summary, withheld=withheld, scripts=True,
                         depts=list(dict.fromkeys(site.dept_name(r.data["所管課"]) for r in recs)))}
    statutory_keys = {path[0] for path, _ in statutory(info)}
    for r in recs:
        path = record_page("file", r.id)
        other = fields.rows(schema, r.data, skip=("id", *statutory_keys))
        out[path] = render(path, "file.html", r.data["名称"], site, source=r.path, kind="record", record=r,
                           sheet=sheet(r, info, repo), other=other, withheld=withheld(r),
                           state=entry_state(r, today))
    return out
