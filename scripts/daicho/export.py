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
from openpyxl.utils import get_column_letter

from daicho.cellsafe import neutralise
from daicho.public import Projection

CODE_HEADER = "全国地方公共団体コード"
_NUMBER = re.compile(r"^[0-9]+[a-z]?\s+")


@dataclass(frozen=True)
class Column:
    header: str                   # Japanese header without the item number
    path: tuple[str, ...]         # where the value sits in a projected file entry
    kind: str                     # "text" | "list" | "bool" | "org" | "date" | "int"
    labels: tuple[str, str] = ("いいえ", "はい")  # false / true words for "bool"
    aliases: tuple[str, ...] = ()  # other headers cities use for it (x-aliases in the schema)
    ref: str = ""                 # the $ref of the value (codes shown as names)


def _order(prop: dict[str, Any]) -> tuple[int, str]:
    item = str(prop.get("x-item", ""))
    m = re.match(r"([0-9]+)([a-z]?)", item)
    return (int(m.group(1)), m.group(2)) if m else (999, "")


def _kind(prop: dict[str, Any]) -> str:
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
            kind = _kind(p)
            if kind == "list" and p.get("items", {}).get("type") == "object":
                continue
            title = _NUMBER.sub("", p.get("title", path[-1]))
            if parent is not None and "x-item" not in p:
                title = f"{_NUMBER.sub('', parent.get('title', path[0]))}（{title}）"
            col = Column(title, path, kind, tuple(p.get("x-labels", ("いいえ", "はい"))),
                         tuple(p.get("x-aliases", ())),
                         p.get("$ref") or p.get("items", {}).get("$ref", ""))
            rank = (-1, "") if path == ("id",) else _order(p)
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
    ws.freeze_panes = "A2"
    for i, header in enumerate(table[0], start=1):
        longest = max(max((len(line) for line in str(r[i - 1]).split("\n")), default=0) for r in table)
        # Japanese characters are about two columns wide; cap so long purposes wrap instead.
        ws.column_dimensions[get_column_letter(i)].width = min(max(len(header), longest) * 2 + 2, 60)
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


def to_json(projection: Projection) -> bytes:
    doc = {
        "自治体名": projection.municipality,
        CODE_HEADER: projection.municipality_code,
        "更新日": projection.updated,
        "個人情報ファイル簿": projection.files,
    }
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def downloads(projection: Projection, file_schema: dict[str, Any], with_code: bool) -> dict[str, bytes]:
    """File name → bytes for the three downloads."""
    cols = columns(file_schema, public_only=True)
    return {
        "filebook.csv": to_csv(projection, cols, with_code),
        "filebook.xlsx": to_xlsx(projection, cols, with_code),
        "filebook.json": to_json(projection),
    }
