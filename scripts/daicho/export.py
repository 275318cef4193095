"""Downloads of the public 個人情報ファイル簿: CSV (UTF-8 BOM, CRLF), XLSX and JSON.

Columns come from the file schema (``x-public`` properties; statutory items in ``x-item``
order), so the headers, their order and the import's header matching share one source.
Only the public projection is ever written here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from daicho.cellsafe import neutralise
from daicho.public import Projection

CODE_HEADER = "全国地方公共団体コード"
SCHEMA_NAME = "filebook.schema.json"  # published beside filebook.json
_NUMBER = re.compile(r"^[0-9]+[a-z]?\s+")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class Column:
    header: str                   # Japanese header without the item number
    path: tuple[str, ...]         # where the value sits in a projected file entry
    kind: str                     # "text" | "list" | "bool" | "org" | "date" | "int"
    labels: tuple[str, str] = ("いいえ", "はい")  # false / true words for "bool"
    aliases: tuple[str, ...] = ()  # other headers cities use for it (x-aliases in the schema)
    ref: str = ""                 # the $ref of the value (codes shown as names)


def item_order(prop: dict[str, Any]) -> tuple[int, str]:
    """Sort key of a field by its statutory item number (x-item: 3, 3a, …); unnumbered last."""
    item = str(prop.get("x-item", ""))
    m = re.match(r"([0-9]+)([a-z]?)", item)
    return (int(m.group(1)), m.group(2)) if m else (999, "")


def field_kind(prop: dict[str, Any]) -> str:
    """How a field's value is written in a cell: org, date, list, bool, int or text."""
    ref = prop.get("$ref", "")
    if ref.endswith("組織名と所在地"):
        return "org"
    if ref.endswith("日付"):
        return "date"
    return {"array": "list", "boolean": "bool", "integer": "int"}.get(prop.get("type", ""), "text")


def columns(schema: dict[str, Any], public_only: bool = True) -> list[Column]:
    """id first, then the statutory items in order, then the other (public) items.
    Nested objects contribute one column per sub-item; lists of objects are left out."""
    flat: list[tuple[tuple[int, str], int, Column]] = []
    for pos, (key, prop) in enumerate(schema["properties"].items()):
        if public_only and prop.get("x-public") is not True:
            continue
        subs = prop.get("properties")
        entries = ([(prop, (key,), None)] if not subs else
                   [(v, (key, k), prop) for k, v in subs.items()
                    if not public_only or v.get("x-public") is True])
        for p, path, parent in entries:
            kind = field_kind(p)
            if kind == "list" and p.get("items", {}).get("type") == "object":
                continue
            title = _NUMBER.sub("", p.get("title", path[-1]))
            if parent is not None and "x-item" not in p:
                title = f"{_NUMBER.sub('', parent.get('title', path[0]))}（{title}）"
            col = Column(title, path, kind, tuple(p.get("x-labels", ("いいえ", "はい"))),
                         tuple(p.get("x-aliases", ())),
                         p.get("$ref") or p.get("items", {}).get("$ref", ""))
            rank = (-1, "") if path == ("id",) else item_order(p)
            flat.append((rank, pos, col))
    flat.sort(key=lambda t: (t[0], t[1]))
    return [c for _, _, c in flat]


def _cell(entry: dict[str, Any], col: Column) -> str:
    value: Any = entry
    for part in col.path:
        value = value.get(part) if isinstance(value, dict) else None
    if value is None:
        return ""
    if col.kind == "list":
        return "\n".join(str(v) for v in value)
    if col.kind == "bool":
        return col.labels[1] if value else col.labels[0]
    if col.kind == "org":
        return "\n".join(v for v in (value.get("名称"), value.get("所在地")) if v)
    return str(value)


def rows(projection: Projection, cols: list[Column], with_code: bool) -> Iterator[list[str]]:
    """Header and one row per entry, every cell neutralised against formula injection."""
    yield ([CODE_HEADER] if with_code else []) + [c.header for c in cols]
    for entry in projection.files:
        row = ([projection.municipality_code] if with_code else []) + [_cell(entry, c) for c in cols]
        yield [neutralise(cell) for cell in row]


def to_csv(projection: Projection, cols: list[Column], with_code: bool) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(rows(projection, cols, with_code))
    # Excel reads UTF-8 only with a BOM; line breaks inside cells stay LF, rows end CRLF.
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(projection: Projection, cols: list[Column], with_code: bool) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "個人情報ファイル簿"
    table = list(rows(projection, cols, with_code))
    for r, row in enumerate(table, start=1):
        for c, value in enumerate(row, start=1):
            if value == "":
                continue  # an empty cell, as the CSV's empty field
            cell = ws.cell(r, c, value)
            cell.data_type = "s"  # text, whatever it looks like: never a formula or a number
    _style_sheet(ws, table, ([None] if with_code else []) + cols)  # dates become date cells
    # Fixed timestamps (document properties and zip entries) keep identical data byte-identical.
    wb.properties.created = dt.datetime(2000, 1, 1)
    raw = io.BytesIO()
    wb.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" with the clock
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", data)
            dst.writestr(fixed, data)
    return out.getvalue()


def _style_sheet(ws: Any, table: list[list[str]], cols: list[Column | None]) -> None:
    """A sheet a clerk elsewhere can use: bold frozen header with filters, wrapped text, widths,
    and real date cells (the CSV's YYYY-MM-DD text becomes an Excel date)."""
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for cell in ws[1]:
        cell.font = bold
        cell.alignment = wrap
    for i, col in enumerate(cols, start=1):
        header = table[0][i - 1]
        longest = max(max((len(line) for line in str(r[i - 1]).split("\n")), default=0) for r in table)
        # Japanese characters are about two columns wide; cap so long purposes wrap instead.
        ws.column_dimensions[get_column_letter(i)].width = min(max(len(header), longest) * 2 + 2, 60)
        for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
            cell.alignment = wrap
            if col is not None and col.kind == "date" and _ISO_DATE.fullmatch(str(cell.value or "")):
                cell.value = dt.date.fromisoformat(cell.value)  # a withheld date stays its words
                cell.number_format = "yyyy-mm-dd"


def _json_value(entry: dict[str, Any], col: Column) -> Any:
    """The CSV cell as JSON: the same text, except lists stay arrays and counts numbers."""
    value: Any = entry
    for part in col.path:
        value = value.get(part) if isinstance(value, dict) else None
    if value is None or col.kind == "int":
        return value
    if col.kind == "list":
        return [str(v) for v in value]
    return _cell(entry, col)


def to_json(projection: Projection, cols: list[Column]) -> bytes:
    """The ファイル簿 as JSON, each file keyed by the CSV/XLSX column names (described by
    :func:`json_schema`, published beside it)."""
    doc = {
        "$schema": SCHEMA_NAME,
        "自治体名": projection.municipality,
        CODE_HEADER: projection.municipality_code,
        "更新日": projection.updated,
        "個人情報ファイル簿": [{c.header: v for c in cols if (v := _json_value(e, c)) is not None}
                          for e in projection.files],
    }
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def json_schema(projection: Projection, cols: list[Column]) -> bytes:
    """JSON Schema (2020-12) of filebook.json: the column names, their types, the 団体コード."""
    kinds = {"list": {"type": "array", "items": {"type": "string"}}, "int": {"type": "integer"},
             "date": {"type": "string", "format": "date"}}
    file_item = {
        "type": "object",
        "additionalProperties": False,
        "required": [c.header for c in cols if c.path in (("id",), ("名称",))],
        "properties": {c.header: {"title": c.header, **kinds.get(c.kind, {"type": "string"})} for c in cols},
    }
    doc = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_NAME,
        "title": f"{projection.municipality} 個人情報ファイル簿（{CODE_HEADER} {projection.municipality_code}）",
        "description": "個人情報の保護に関する法律第75条の個人情報ファイル簿。項目名は CSV・XLSX の列名と同じです。",
        "type": "object",
        "additionalProperties": False,
        "required": ["自治体名", CODE_HEADER, "個人情報ファイル簿"],
        "properties": {
            "$schema": {"type": "string"},
            "自治体名": {"const": projection.municipality},
            CODE_HEADER: {"const": projection.municipality_code},
            "更新日": {"type": ["string", "null"], "format": "date"},
            "個人情報ファイル簿": {"type": "array", "items": file_item},
        },
    }
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def downloads(projection: Projection, file_schema: dict[str, Any], with_code: bool) -> dict[str, bytes]:
    """File name → bytes for the three downloads and the JSON's schema."""
    cols = columns(file_schema, public_only=True)
    return {
        "filebook.csv": to_csv(projection, cols, with_code),
        "filebook.xlsx": to_xlsx(projection, cols, with_code),
        "filebook.json": to_json(projection, cols),
        SCHEMA_NAME: json_schema(projection, cols),
    }
