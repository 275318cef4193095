"""Downloads of the public ファイル簿 and `daicho import` (issue 5 §3, §4)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from daicho import export, public, repository
from tests.conftest import ROOT, run_daicho

TODAY = dt.date(2026, 11, 26)


def _downloads(root: Path) -> dict[str, bytes]:
    repo = repository.load(root)
    assert not repo.errors, repo.errors[:3]
    projection = public.project(repo, TODAY)
    with_code = repo.settings.get("公表", {}).get("ダウンロードに団体コード列", False)
    return export.downloads(projection, repo.types["file"].schema, with_code)


def _empty_repo(tmp: Path) -> Path:
    """A city's repository before any ファイル簿 entry: schemas, organisation and settings only."""
    repo = tmp / "empty"
    shutil.copytree(ROOT / "schemas", repo / "schemas")
    (repo / "records").mkdir()
    for name in ("organization.yaml", "settings.yaml"):
        shutil.copy(ROOT / "records" / name, repo / "records" / name)
    return repo


@pytest.fixture(scope="module")
def demo() -> dict[str, bytes]:
    return _downloads(ROOT)


def test_csv_is_excel_friendly_with_statutory_headers_in_order(demo: dict[str, bytes]) -> None:
    raw = demo["filebook.csv"]
    assert raw.startswith("\ufeff".encode())
    text = raw.decode("utf-8-sig")
    assert text.endswith("\r\n") and "\r\n" in text
    header = next(csv.reader(io.StringIO(text)))
    assert header[:3] == ["全国地方公共団体コード", "整理番号", "個人情報ファイルの名称"]
    statutory = ["個人情報ファイルの名称", "行政機関等の名称", "個人情報ファイルが利用に供される事務をつかさどる組織の名称",
                 "個人情報ファイルの利用目的", "記録項目", "記録範囲", "記録情報の収集方法"]
    assert [h for h in header if h in statutory] == statutory
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) > 10 and all(len(r) == len(header) for r in rows)
    assert {r[0] for r in rows[1:]} == {"122211"}


def test_only_published_entries_are_exported(demo: dict[str, bytes]) -> None:
    repo = repository.load(ROOT)
    ids = {row["整理番号"] for row in csv.DictReader(io.StringIO(demo["filebook.csv"].decode("utf-8-sig")))}
    hidden = [r.id for r in repo.of_type("file")
              if "適用除外" in r.data or r.data.get("廃止年月日", "9999") <= TODAY.isoformat()
              or any(w["部分"] == "全体" for w in r.data.get("公表しない部分", []))]
    assert hidden and ids
    assert not ids & set(hidden)


def test_xlsx_has_one_sheet_frozen_header_and_readable_widths(demo: dict[str, bytes], tmp_path: Path) -> None:
    path = tmp_path / "f.xlsx"
    path.write_bytes(demo["filebook.xlsx"])
    wb = load_workbook(path)
    assert len(wb.worksheets) == 1
    ws = wb.worksheets[0]
    assert ws.freeze_panes == "A2"
    assert ws["C1"].value == "個人情報ファイルの名称"
    assert all(10 <= ws.column_dimensions[c].width <= 60 for c in "ABCDE")
    csv_rows = list(csv.reader(io.StringIO(demo["filebook.csv"].decode("utf-8-sig"))))
    # The same cells; dates are Excel dates in the XLSX and YYYY-MM-DD text in the CSV.
    def text(c: object) -> str:
        return c.date().isoformat() if isinstance(c, dt.datetime) else (c or "")

    assert [[text(c) for c in row] for row in ws.iter_rows(values_only=True)] == csv_rows


def test_export_import_export_is_byte_identical(demo: dict[str, bytes], tmp_path: Path) -> None:
    empty = _empty_repo(tmp_path)
    source = tmp_path / "filebook.csv"
    source.write_bytes(demo["filebook.csv"])
    result = run_daicho("import", "filebook", str(source), "--root", str(empty))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "取り込みました" in result.stdout
    assert run_daicho("validate", "--root", str(empty)).returncode == 0
    again = _downloads(empty)
    assert again["filebook.csv"] == demo["filebook.csv"]
    assert again["filebook.xlsx"] == demo["filebook.xlsx"]


def test_xlsx_imports_like_csv(demo: dict[str, bytes], tmp_path: Path) -> None:
    empty = _empty_repo(tmp_path)
    source = tmp_path / "filebook.xlsx"
    source.write_bytes(demo["filebook.xlsx"])
    result = run_daicho("import", "filebook", str(source), "--root", str(empty))
    assert result.returncode == 0, result.stdout
    assert _downloads(empty)["filebook.csv"] == demo["filebook.csv"]


def test_a_bad_row_writes_nothing_and_names_row_and_column(demo: dict[str, bytes], tmp_path: Path) -> None:
    empty = _empty_repo(tmp_path)
    rows = list(csv.reader(io.StringIO(demo["filebook.csv"].decode("utf-8-sig"))))
    kind = rows[0].index("個人情報ファイルの種別")
    dept = rows[0].index("個人情報ファイルが利用に供される事務をつかさどる組織の名称")
    rows[3][kind] = "電算ファイル"          # not one of the two kinds
    rows[5][dept] = "存在しない課"           # not in the organisation master
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    source = tmp_path / "bad.csv"
    source.write_text(buf.getvalue(), encoding="utf-8")
    before = sorted(p.relative_to(empty) for p in empty.rglob("*"))
    result = run_daicho("import", "filebook", str(source), "--root", str(empty))
    assert result.returncode == 1
    assert f"bad.csv:4:{kind + 1}: エラー[E-SCHEMA-ENUM] 4行目「個人情報ファイルの種別」列" in result.stdout
    assert f"bad.csv:6:{dept + 1}: エラー[E-IMPORT-VALUE] 6行目「個人情報ファイルが利用に供される事務をつかさどる組織の名称」列" in result.stdout
    assert "何も書き込みませんでした" in result.stdout
    assert sorted(p.relative_to(empty) for p in empty.rglob("*")) == before
    assert "Traceback" not in result.stdout + result.stderr


def test_partial_writes_only_the_good_rows(demo: dict[str, bytes], tmp_path: Path) -> None:
    empty = _empty_repo(tmp_path)
    rows = list(csv.reader(io.StringIO(demo["filebook.csv"].decode("utf-8-sig"))))
    rows[2][rows[0].index("個人情報ファイルの種別")] = "電算ファイル"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    source = tmp_path / "bad.csv"
    source.write_text(buf.getvalue(), encoding="utf-8")
    result = run_daicho("import", "filebook", str(source), "--root", str(empty), "--partial")
    assert result.returncode == 1
    written = list((empty / "records" / "files").glob("*.yaml"))
    assert len(written) == len(rows) - 2
    assert run_daicho("validate", "--root", str(empty)).returncode == 0


def test_shift_jis_csv_from_excel_is_read(tmp_path: Path) -> None:
    empty = _empty_repo(tmp_path)
    text = ("個人情報ファイル名,実施機関,担当課,利用目的,記録項目,記録範囲,収集方法,要配慮個人情報,条例要配慮個人情報,"
            "経常的提供先,ファイルの種別,令第20条第7項該当,作成日\r\n"
            "児童手当受給者ファイル,八千代市長,子育て支援課,児童手当の支給,\"氏名\n住所\",受給者,本人からの申請,含まない,含まない,,"
            "電算処理ファイル,無,令和5年4月1日\r\n")
    source = tmp_path / "sjis.csv"
    source.write_bytes(text.encode("cp932"))
    result = run_daicho("import", "filebook", str(source), "--root", str(empty))
    assert result.returncode == 0, result.stdout
    [written] = (empty / "records" / "files").glob("*.yaml")
    assert written.name == "F-D1601-001.yaml"
    body = written.read_text(encoding="utf-8")
    assert "登録年月日: 2023-04-01" in body and "所管課: D1601" in body
