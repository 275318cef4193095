"""Pages of the public site, built from the public projection only (never from records)."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from html import escape
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from daicho import formatting, yamlio
from daicho.a11y import time_element
from daicho.cjk_breaks import join_lines
from daicho.export import Column, columns
from daicho.public import Projection

_env = Environment(loader=PackageLoader("daicho", "templates"), autoescape=select_autoescape(default=True),
                   trim_blocks=True, lstrip_blocks=True)
_env.filters["time"] = time_element  # <time datetime> around the 和暦 (a11y)
_env.filters["num"] = formatting.number
_env.globals["EMPTY"] = formatting.EMPTY
ACCESSIBILITY_TITLE = "ウェブアクセシビリティ方針"
# Menu titles of the generated pages (mkdocs.public.yml's nav names the same files).
TITLES = {"index.md": "個人情報ファイル簿", "incidents.md": "公表された漏えい等事案", "disclosure.md": "開示請求の手続",
          "contact.md": "問い合わせ先", "search.md": "検索", "changes.md": "更新履歴"}
FEED = "changes.xml"
_ATOM = "http://www.w3.org/2005/Atom"


def request_forms(schema_dir: Path) -> list[dict[str, Any]]:
    """The printable 開示・訂正・利用停止請求書 (法77条・91条・99条 items) as data."""
    return yamlio.load_bytes((schema_dir / "forms" / "public_requests.yaml").read_bytes()).data["請求書"]


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
    body = join_lines(html)  # wrapped Japanese template lines must not show as spaces
    return f"---\ntitle: {json.dumps(escape(title), ensure_ascii=False)}\n---\n\n{body}\n"


def _page(template: str, title: str, **context: Any) -> str:
    return page_source(title, _env.get_template(f"public/{template}").render(title=title, **context))


def pages(projection: Projection, file_schema: dict[str, Any], today: dt.date,
          forms: list[dict[str, Any]] = ()) -> dict[str, str]:
    cols = columns(file_schema, public_only=True)
    # One table of every file, in the organs' order, then by department and id.
    rank = {o["行政機関等の名称"]: i for i, o in enumerate(projection.organs)}
    entries = sorted(projection.files, key=lambda e: (rank.get(e["実施機関"], len(rank)), e["所管課"], e["id"]))
    organs = [o["行政機関等の名称"] for o in projection.organs if any(e["実施機関"] == o["行政機関等の名称"]
                                                                 for e in entries)]
    departments = sorted({e["所管課"] for e in entries})
    out = {
        "index.md": _page("index.html", TITLES["index.md"], p=projection, entries=entries, organs=organs,
                          departments=departments, today=today),
        "search.md": _page("search.html", TITLES["search.md"]),
        "disclosure.md": _page("disclosure.html", TITLES["disclosure.md"], p=projection, s=projection.procedure,
                               forms=forms),
        "contact.md": _page("contact.html", TITLES["contact.md"], s=projection.procedure),
        "changes.md": _page("changes.html", TITLES["changes.md"], changes=projection.changes),
    }
    for form in forms:
        out[f"forms/{form['id']}.md"] = _page("request_form.html", form["名称"], form=form, s=projection.procedure,
                                              organs=[o["行政機関等の名称"] for o in projection.organs])
    for entry in projection.files:
        out[f"files/{entry['id']}.md"] = _page("sheet.html", entry["名称"], entry=entry,
                                                rows=sheet_rows(entry, cols), p=projection)
    if projection.incidents:
        out["incidents.md"] = _page("incidents.html", TITLES["incidents.md"], items=projection.incidents)
    if projection.jimu:
        out["jimu.md"] = _page("jimu.html", "個人情報取扱事務登録簿", items=projection.jimu)
    return out


def accessibility_page(result: dict[str, Any] | None, municipality: str, *, contact: bool = True) -> str:
    """「ウェブアクセシビリティ方針」 for citizens, from the recorded check (``daicho.a11y.load_result``).

    Only the public pages checked are listed: the intranet and the test tools are no concern of
    the site's readers."""
    pages = (result or {}).get("pages", [])
    html = _env.get_template("public/accessibility.html").render(
        title=ACCESSIBILITY_TITLE, result=result, municipality=municipality, contact=contact,
        public=[p for p in pages if p["site"] == "public"],
        keyboard=[k.replace("（両サイト）", "") for k in (result or {}).get("keyboard", []) if "庁内" not in k])
    return page_source(ACCESSIBILITY_TITLE, html)


def atom_feed(projection: Projection, site_url: str | None) -> bytes:
    """The change log as an Atom feed. Links are absolute under ``site_url`` (settings
    公開サイト.サイトのURL); without it they are relative to the feed, which sits at the top."""
    ET.register_namespace("", _ATOM)
    base = site_url or ""
    feed = ET.Element(f"{{{_ATOM}}}feed", {"xml:lang": "ja"})

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{_ATOM}}}{tag}", attrs)
        el.text = text
        return el

    updated = max((c["日付"] for c in projection.changes), default=projection.updated or "2000-01-01")
    sub(feed, "title", f"{projection.municipality} 個人情報ファイル簿の更新履歴")
    sub(feed, "id", f"urn:daicho:filebook:{projection.municipality_code}")
    sub(feed, "updated", f"{updated}T00:00:00+09:00")
    sub(feed, "link", href=f"{base}changes.html")
    sub(sub(feed, "author"), "name", projection.municipality)
    for c in projection.changes:
        entry = sub(feed, "entry")
        sub(entry, "title", f"{c['種類']}: {c['名称']}")
        sub(entry, "id", f"urn:daicho:filebook:{projection.municipality_code}:{c['id']}:{c['種類']}:{c['日付']}")
        sub(entry, "updated", f"{c['日付']}T00:00:00+09:00")
        sub(entry, "link", href=f"{base}files/{c['id']}.html" if c["種類"] != "削除" else f"{base}changes.html")
        sub(entry, "summary", f"{c['日付']} 個人情報ファイル「{c['名称']}」を{c['種類']}しました。")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode").encode("utf-8") + b"\n"
