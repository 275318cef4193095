"""A register as an Excel workbook an office can correct and import again (`daicho export`).

The columns are the importer's (importer.fields), so `daicho import` reads the workbook back
unchanged: dates are real date cells shown in 和暦, lists one item per line, yes/no in the
schema's own words, departments by name. Formatting is for people: bold header with filters,
wrapped text, column widths, the header repeated on every printed page.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from daicho.cellsafe import dangerous
from daicho.importer.fields import Field, register_fields
from daicho.importer.values import norm, vocabulary
from daicho.repository import Record, Repository

DATE_FORMAT = '[$-ja-JP]ggge"年"m"月"d"日"'  # 令和5年4月1日 in Japanese Excel; a date cell everywhere
_WRAP = Alignment(wrap_text=True, vertical="top")


def _neutralise(cell: Cell) -> None:
    """Text that Excel would run as a formula stays text: a string cell, never a formula.
    (cellsafe decides what looks like one; in XLSX the cell type is enough, so the value is
    kept as written for the import to read back.)"""
    if isinstance(cell.value, str) and dangerous(cell.value):
        cell.data_type = "s"


class _Writer:
    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        by_name: dict[str, str] = {}
        for code, d in sorted(repo.departments.items(), key=lambda kv: kv[1].end is None):
            by_name[norm(d.name)] = code
        # A department is written by name unless that name now means another department.
        self.dept_label = {code: (d.name if by_name.get(norm(d.name)) == code else code)
                           for code, d in repo.departments.items()}

    def value(self, f: Field, source: dict[str, Any]) -> Any:
        value: Any = source
        for part in f.record_path:
            value = value.get(part) if isinstance(value, dict) else None
        if value is None:
            return None
        if f.kind == "date":
            return dt.date.fromisoformat(value)
        if f.kind == "bool":
            return f.labels[1] if value else f.labels[0]
        if f.kind == "org":
            return "\n".join(v for v in (value.get("名称"), value.get("所在地")) if v)
        if f.kind == "list":
            if f.ref.endswith("部署コード"):
                value = [self.dept_label.get(v, v) for v in value]
            return "\n".join(str(v) for v in value) if value else None
        if f.ref.endswith("部署コード"):
            return self.dept_label.get(value, value)
        return value

    def rows(self, record: Record, cols: list[Field], group: str | None) -> list[list[Any]]:
        items = (record.data.get(group) or [{}]) if group else [{}]
        return [[self.value(f, item if f.in_group else record.data) for f in cols] for item in items]


def workbook(repo: Repository, target: str) -> bytes:
    """The register's records, one row each (one per decision for 開示請求), as XLSX bytes."""
    register = vocabulary(repo.schema_dir).registers[target]
    group = register.get("行に分ける項目")
    cols = register_fields(repo.schema_dir, repo.types[register["型"]].schema, group)
    writer = _Writer(repo)
    wb = Workbook()
    ws = wb.active
    ws.title = register["シート名"]
    ws.append([f.header for f in cols])
    for record in sorted(repo.of_type(register["型"]), key=lambda r: r.id):
        for row in writer.rows(record, cols, group):
            ws.append(row)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for i, f in enumerate(cols, start=1):
        letter = get_column_letter(i)
        longest = len(f.header)
        for cell in ws[letter]:
            cell.alignment = _WRAP
            if cell.row == 1:
                cell.font, cell.fill = bold, fill
                continue
            if f.kind == "date" and cell.value is not None:
                cell.number_format = DATE_FORMAT
                longest = max(longest, 9)
            else:
                _neutralise(cell)
                longest = max(longest, *(len(line) for line in str(cell.value or "").split("\n")))
        # Japanese characters are about two columns wide; long text wraps instead.
        ws.column_dimensions[letter].width = min(longest * 2 + 2, 50)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{ws.max_row}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    wb.properties.created = wb.properties.modified = dt.datetime(2000, 1, 1)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
