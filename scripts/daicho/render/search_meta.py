"""What the search index learns about a page beyond its text: the ids it is found by (record id,
整理番号) and its facet values (種別, 実施機関, 所管課, 年度), as the attributes of the page's
``data-search-body`` element (read by ``daicho.search``)."""

from __future__ import annotations

import json
from typing import Any

from daicho.dates import fiscal_year, fy_label
from daicho.repository import Record

# The date whose fiscal year is a record's 年度 (contracts use the year in their id).
_FY_DATE = {"incident": "判明日", "disclosure": "受付日"}


def record_fy(r: Record) -> int | None:
    if r.type == "contract":
        return int(r.id.split("-")[1])
    if r.type == "usage" and isinstance(r.data.get("年度"), int):
        return int(r.data["年度"])
    value = r.data.get(_FY_DATE.get(r.type, ""))
    return fiscal_year(value) if isinstance(value, str) and value else None


def record_facets(site: Any, r: Record, type_label: str, owners: list[str]) -> dict[str, Any]:
    facets: dict[str, Any] = {"種別": type_label}
    if owners:
        facets["所管課"] = site.dept_name(owners[0])
        facets["実施機関"] = site.organ_of(owners[0]) or None
    elif r.data.get("実施機関"):
        facets["実施機関"] = r.data["実施機関"]
    fy = record_fy(r)
    if fy is not None:
        facets["年度"] = [fy_label(fy), f"{fy:04d}"]
    return {k: v for k, v in facets.items() if v}


def attributes(facets: dict[str, Any] | None, ids: list[str] | None = None) -> dict[str, str]:
    """The element attributes (unescaped values; the template escapes them)."""
    out = {}
    if facets:
        out["data-search-facets"] = json.dumps(facets, ensure_ascii=False, separators=(",", ":"))
    if ids:
        out["data-search-id"] = " ".join(ids)
    return out
