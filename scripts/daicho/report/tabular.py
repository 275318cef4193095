"""The report as CSV (all tables one after another) and XLSX (one sheet per table).

CSV is UTF-8 with a BOM and CRLF line ends so that Excel opens it as is. Each section starts
with its heading row (１／２／３); a table is a title row, one header row, its rows, its
footnotes and an empty separator row. Each XLSX sheet has the section heading above the table's. XLSX cells hold
numbers as numbers and blanks as empty cells, with 資料1's two-level header (merged), the
header frozen and column widths fitted to the Japanese text.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from daicho.report.html import header_rows
from daicho.report.tables import Report, Table


def csv_bytes(report: Report) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for section, tables in report.sections():
        if tables:
            writer.writerow([section])  # １／２／３: each table's ① … restarts within its section
        for t in tables:
            _csv_table(writer, t)
    for note in report.missing:
        writer.writerow([note])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_table(writer: Any, t: Table) -> None:
    writer.writerow([t.heading])
    writer.writerow(t.column_labels())
    for row in t.rows:
        writer.writerow([row.label, *row.cells])
    for note in t.notes:
        writer.writerow([note])
    writer.writerow([])


def _width(text: str) -> int:
    """Display width in Excel's character units: East Asian wide characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


_THIN = Side(style="thin", color="555555")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD = PatternFill("solid", fgColor="F0F3F7")


def _sheet(wb: Workbook, t: Table, section: str) -> None:
    ws = wb.create_sheet(t.sheet[:31])
    ws["A1"], ws["A2"] = section, t.heading  # the section (１／２／３) above the table's own ①
    ws["A1"].font = ws["A2"].font = Font(bold=True)
    head = header_rows(t)
    top = 3
    # Lay the header grid out with its spans, as 資料1 prints it.
    taken: set[tuple[int, int]] = set()
    for r, cells in enumerate(head):
        c = 0
        for cell in cells:
            while (r, c) in taken:
                c += 1
            ws.cell(top + r, c + 1, cell.text)
            if cell.colspan > 1 or cell.rowspan > 1:
                ws.merge_cells(start_row=top + r, start_column=c + 1,
                               end_row=top + r + cell.rowspan - 1, end_column=c + cell.colspan)
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
    ncols = len(t.columns) + 1
    for r in range(len(head)):
        for c in range(ncols):
            cell = ws.cell(top + r, c + 1)
            cell.fill, cell.border = _HEAD, _BOX
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    first = top + len(head)
    for i, row in enumerate(t.rows):
        ws.cell(first + i, 1, row.label).border = _BOX
        for j, (value, shown) in enumerate(zip(row.values, row.cells, strict=True)):
            cell = ws.cell(first + i, j + 2, value if shown != "" else None)
            cell.border = _BOX
            if row.total:
                cell.font = Font(bold=True)
        if row.total:
            ws.cell(first + i, 1).font = Font(bold=True)
    for k, note in enumerate(t.notes):
        ws.cell(first + len(t.rows) + 1 + k, 1, note)
    ws.freeze_panes = ws.cell(first, 2)
    ws.column_dimensions["A"].width = max(_width(t.stub) // 2, *(_width(r.label) for r in t.rows)) + 2
    for j, path in enumerate(t.columns):
        ws.column_dimensions[get_column_letter(j + 2)].width = max(8, min(18, max(map(_width, path)) + 2))
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if ncols > 6 else "portrait"
    ws.print_title_rows = f"{top}:{first - 1}"


def xlsx_bytes(report: Report) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for section, tables in report.sections():
        for t in tables:
            _sheet(wb, t, section)
    wb.properties.title = report.title
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
