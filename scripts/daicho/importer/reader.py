"""Workbooks into grids of cell values, whatever the file: XLSX (every sheet or the ones
named), XLS (Excel 97–2003, through xlrd) and CSV (UTF-8 with or without BOM, or Shift_JIS).

Merged cells are read as Excel shows them: every cell of the range carries the value of its
top-left cell, so a 実施機関 merged down ten rows is there on every row.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from daicho.cellsafe import restore


@dataclass
class Sheet:
    source: str                  # the file's name, as errors show it
    name: str | None             # the sheet's name; None for CSV
    rows: list[list[Any]]        # str | int | float | bool | dt.date | dt.datetime | None
    merged: set[tuple[int, int]] = field(default_factory=set)  # 0-based cells filled from a merge

    def cell(self, r: int, c: int) -> Any:
        row = self.rows[r] if r < len(self.rows) else []
        return row[c] if c < len(row) else None

    def where(self, r: int, c: int) -> str:
        """`台帳.xlsx:ファイル簿!D12` for a sheet, `台帳.csv:12:4` for CSV (0-based in)."""
        if self.name is None:
            return f"{self.source}:{r + 1}:{c + 1}"
        return f"{self.source}:{self.name}!{get_column_letter(c + 1)}{r + 1}"


class ReadError(ValueError):
    """A file that cannot be read as a table; the message is for the user."""


def _text(value: Any) -> Any:
    """A cell as written before our downloads neutralised it (cellsafe): ``'=x`` is ``=x``."""
    return restore(value) if isinstance(value, str) else value


def _fill(rows: list[list[Any]], ranges: list[tuple[int, int, int, int]]) -> set[tuple[int, int]]:
    """Copy each merged range's top-left value over the range (rows/cols 0-based, ends inclusive)."""
    filled = set()
    for r0, c0, r1, c1 in ranges:
        if r0 >= len(rows):
            continue
        top = rows[r0][c0] if c0 < len(rows[r0]) else None
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            row.extend([None] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    row[c] = top
                    filled.add((r, c))
    return filled


def _xlsx(path: Path, wanted: list[str] | None) -> list[Sheet]:
    from openpyxl import load_workbook  # imported when a workbook is read: ~0.3 s

    try:
        wb = load_workbook(path, data_only=True)  # not read_only: merged ranges are needed
    except Exception:  # openpyxl raises many kinds for a broken or foreign file
        raise ReadError("Excel ファイルとして開けません（壊れているか、別の形式のファイルです）") from None
    sheets = []
    for ws in wb.worksheets:
        if wanted and ws.title not in wanted:
            continue
        if ws.sheet_state != "visible" and not wanted:
            continue
        rows = [[_text(v) for v in r] for r in ws.iter_rows(values_only=True)]
        ranges = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in ws.merged_cells.ranges]
        sheets.append(Sheet(path.name, ws.title, rows, _fill(rows, ranges)))
    return sheets


def _xls(path: Path, wanted: list[str] | None) -> list[Sheet]:
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), formatting_info=True)
    except Exception:  # xlrd.XLRDError and struct errors for a damaged file
        raise ReadError("Excel 97-2003 ファイルとして開けません（壊れているか、別の形式のファイルです）") from None
    sheets = []
    for ws in book.sheets():
        if wanted and ws.name not in wanted:
            continue
        rows: list[list[Any]] = []
        for r in range(ws.nrows):
            row: list[Any] = []
            for c in range(ws.ncols):
                cell = ws.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    row.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    row.append(None)
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    row.append(bool(cell.value))
                elif cell.ctype == xlrd.XL_CELL_ERROR:
                    row.append(None)
                else:
                    row.append(cell.value)
            rows.append(row)
        ranges = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in ws.merged_cells]
        sheets.append(Sheet(path.name, ws.name, rows, _fill(rows, ranges)))
    return sheets


def _csv(path: Path) -> list[Sheet]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ReadError("文字コードを判別できません（UTF-8 か Shift_JIS で保存してください）")
    rows: list[list[Any]] = [[_text(v) for v in r] for r in csv.reader(io.StringIO(text, newline=""))]
    return [Sheet(path.name, None, rows)]


def read(path: Path, sheets: list[str] | None = None) -> list[Sheet]:
    """Every sheet of the file (or those named), grids of raw cell values."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            found = _xlsx(path, sheets)
        elif suffix == ".xls":
            found = _xls(path, sheets)
        elif suffix in (".csv", ".txt"):
            found = _csv(path)
        else:
            raise ReadError("CSV・XLSX・XLS のどれかで保存してください")
    except OSError:
        raise ReadError("ファイルを開けません（Excel で開いているときは閉じてください）") from None
    if sheets and suffix not in (".csv", ".txt"):
        missing = [s for s in sheets if s not in {sh.name for sh in found}]
        if missing:
            raise ReadError(f"シート「{'」「'.join(missing)}」がありません")
    return found
