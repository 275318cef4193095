"""Downloads a clerk elsewhere can use (issue 18 §3, §4): one set of column names in CSV, XLSX and
JSON, the JSON described by its published schema, and an XLSX with real dates and a usable header."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
from jsonschema import Draft202012Validator

from daicho import yamlio
from tests.conftest import ROOT
from tests.test_public_build import public_site  # noqa: F401 - shared fixture


def _code() -> str:
    return yamlio.load_bytes((ROOT / "records" / "organization.yaml").read_bytes()).data["全国地方公共団体コード"]


def test_column_names_are_the_same_in_csv_xlsx_and_json(public_site: Path) -> None:  # noqa: F811
    downloads = public_site / "downloads"
    text = (downloads / "filebook.csv").read_bytes().decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    sheet = openpyxl.load_workbook(downloads / "filebook.xlsx").active
    assert [c.value for c in sheet[1]] == header
    doc = json.loads((downloads / "filebook.json").read_text(encoding="utf-8"))
    keys = {k for item in doc["個人情報ファイル簿"] for k in item}
    assert keys <= set(header) and {"作成年月日", "個人情報ファイルの名称"} <= keys
    assert "登録年月日" not in keys and "作成年月日" in header


def test_json_is_described_by_its_published_schema_with_the_code(public_site: Path) -> None:  # noqa: F811
    downloads = public_site / "downloads"
    schema = json.loads((downloads / "filebook.schema.json").read_text(encoding="utf-8"))
    doc = json.loads((downloads / "filebook.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert list(Draft202012Validator(schema).iter_errors(doc)) == []
    assert schema["properties"]["全国地方公共団体コード"] == {"const": _code()} and _code() in schema["title"]
    assert doc["$schema"] == "filebook.schema.json" and doc["全国地方公共団体コード"] == _code()
    index = (public_site / "index.html").read_text(encoding="utf-8")
    assert 'href="downloads/filebook.schema.json"' in index


def test_xlsx_has_date_cells_wrapped_text_a_bold_frozen_header_and_filters(public_site: Path) -> None:  # noqa: F811
    sheet = openpyxl.load_workbook(public_site / "downloads" / "filebook.xlsx").active
    header = [c.value for c in sheet[1]]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == sheet.dimensions
    assert all(c.font.bold for c in sheet[1])
    made = header.index("作成年月日") + 1
    dates = [sheet.cell(row=r, column=made).value for r in range(2, sheet.max_row + 1)]
    assert dates and all(isinstance(d, dt.datetime) for d in dates if d is not None)
    purpose = header.index("個人情報ファイルの利用目的") + 1
    assert sheet.cell(row=2, column=purpose).alignment.wrap_text
    assert 10 < sheet.column_dimensions[openpyxl.utils.get_column_letter(purpose)].width <= 60


def test_a_withheld_date_stays_its_words_in_the_xlsx(tmp_path: Path) -> None:
    from daicho import export, public, repository

    repo = repository.load(ROOT)
    projection = public.project(repo, dt.date(2026, 11, 26))
    projection.files[0]["登録年月日"] = public.WITHHELD
    data = export.downloads(projection, repo.types["file"].schema, True)["filebook.xlsx"]
    (tmp_path / "f.xlsx").write_bytes(data)
    sheet = openpyxl.load_workbook(tmp_path / "f.xlsx").active
    made = [c.value for c in sheet[1]].index("作成年月日") + 1
    assert sheet.cell(row=2, column=made).value == public.WITHHELD
    assert isinstance(sheet.cell(row=3, column=made).value, dt.datetime)
