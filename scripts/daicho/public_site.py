"""Pages of the public site, built from the public projection only (never from records)."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from html import escape
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from daicho.a11y import time_element
from daicho.export import Column, columns
from daicho.public import Projection

_env = Environment(loader=PackageLoader("daicho", "templates"), autoescape=select_autoescape(default=True),
                   trim_blocks=True, lstrip_blocks=True)
_env.filters["time"] = time_element  # <time datetime> around the 和暦 (a11y)
ACCESSIBILITY_TITLE = "ウェブアクセシビリティ方針"


def _value(entry: dict[str, Any], col: Column) -> Any:
    value: Any = entry
    for part in col.path:
        value = value.get(part) if isinstance(value, dict) else None
    return value


def sheet_rows(entry: dict[str, Any], cols: list[Column]) -> list[dict[str, Any]]:
    """(label, kind, value) rows of one file entry's 単票, in statutory order."""
    rows = []
    for col in cols:
        value = _value(entry, col)
        if col.kind == "bool" and value is not None:
            value = col.labels[1] if value else col.labels[0]
        rows.append({"label": col.header, "kind": col.kind, "value": value, "path": col.path})
    return rows


def page_source(title: str, html: str) -> str:
    """Markdown that is only front matter and one raw HTML block, so record text never passes
    through Markdown. The theme prints ``page.meta.title`` unescaped in places, so the title is
    HTML-escaped here and quoted as a JSON string (valid YAML) so it cannot break the front matter."""
    return f"---\ntitle: {json.dumps(escape(title), ensure_ascii=False)}\n---\n\n{html}\n"


def _page(template: str, title: str, **context: Any) -> str:
    return page_source(title, _env.get_template(f"public/{template}").render(title=title, **context))


def pages(projection: Projection, file_schema: dict[str, Any], today: dt.date) -> dict[str, str]:
    cols = columns(file_schema, public_only=True)
    by_organ: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for entry in projection.files:
        by_organ[entry["実施機関"]][entry["所管課"]].append(entry)
    organs = [o["行政機関等の名称"] for o in projection.organs if o["行政機関等の名称"] in by_organ]
    out = {
        "index.md": _page("index.html", "個人情報ファイル簿", p=projection, organs=organs, by_organ=by_organ,
                          today=today),
        "search.md": _page("search.html", "検索"),
    }
    for entry in projection.files:
        out[f"files/{entry['id']}.md"] = _page("sheet.html", entry["名称"], entry=entry,
                                                rows=sheet_rows(entry, cols), p=projection)
    if projection.incidents:
        out["incidents.md"] = _page("incidents.html", "個人情報の漏えい等事案の公表", items=projection.incidents)
    if projection.jimu:
        out["jimu.md"] = _page("jimu.html", "個人情報取扱事務登録簿", items=projection.jimu)
    return out


def accessibility_page(result: dict[str, Any] | None, municipality: str, *, contact: bool = True) -> str:
    """「ウェブアクセシビリティ方針」 from the recorded check (``daicho.a11y.load_result``).

    Intranet pages are named by their kind only: their paths and titles carry record ids and
    names that are not public."""
    pages = (result or {}).get("pages", [])
    html = _env.get_template("public/accessibility.html").render(
        title=ACCESSIBILITY_TITLE, result=result, municipality=municipality, contact=contact,
        public=[p for p in pages if p["site"] == "public"],
        intranet=[p for p in pages if p["site"] == "intranet"])
    return page_source(ACCESSIBILITY_TITLE, html)
