"""`daicho import` of real-looking workbooks for all four registers, and `daicho export` back
(issue 15). The workbooks are built by tests/workbook_fixtures.py."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from daicho import export, public, repository, yamlio
from tests import workbook_fixtures as wf
from tests.conftest import ROOT, run_daicho
from tests.test_export_import import _empty_repo


def _demo_repo(tmp: Path) -> Path:
    repo = tmp / "demo"
    shutil.copytree(ROOT / "schemas", repo / "schemas")
    shutil.copytree(ROOT / "records", repo / "records")
    return repo


def _snapshot(repo: Path) -> dict[str, bytes]:
    return {p.relative_to(repo).as_posix(): p.read_bytes() for p in sorted((repo / "records").rglob("*"))
            if p.is_file()}


def _written(repo: Path, stdout: str) -> list[dict[str, Any]]:
    """The records the import reports it wrote, in the order it reports them."""
    paths = [line.split(": ", 1)[1] for line in stdout.splitlines() if line.startswith("書き込みました: ")]
    return [yamlio.load((repo / p).read_text(encoding="utf-8")).data for p in paths]


def _import(repo: Path, target: str, *paths: Path, extra: tuple[str, ...] = ()) -> Any:
    return run_daicho("import", target, *map(str, paths), "--root", str(repo), *extra)


def _same_fields(got: dict[str, Any], expected: dict[str, Any]) -> None:
    """Field by field, so a failure names the field; then nothing more than expected."""
    for key, value in expected.items():
        assert got.get(key) == value, (got.get("id"), key)
    assert set(got) == set(expected), (got.get("id"), set(got) ^ set(expected))


def test_filebook_workbook_reads_as_a_person_would(tmp_path: Path) -> None:
    repo = _empty_repo(tmp_path)
    result = _import(repo, "filebook", wf.filebook(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    got = sorted(_written(repo, result.stdout), key=lambda r: r["id"])
    assert [r["id"] for r in got] == [e["id"] for e in wf.FILEBOOK_EXPECTED]
    for record, expected in zip(got, wf.FILEBOOK_EXPECTED, strict=True):
        _same_fields(record, expected)
    assert run_daicho("validate", "--root", str(repo)).returncode == 0


def test_dry_run_previews_records_and_every_interpretation(tmp_path: Path) -> None:
    repo = _empty_repo(tmp_path)
    before = _snapshot(repo)
    result = _import(repo, "filebook", wf.filebook(tmp_path), extra=("--dry-run",))
    assert result.returncode == 0, result.stdout
    out = result.stdout
    sheet = "個人情報ファイル簿.xlsx:ファイル簿（市長部局）"
    assert f"新規  F-D1301-001  個人住民税課税台帳ファイル  {sheet}!A5" in out
    for line in (f"{sheet}!A6: 空行を読み飛ばしました",
                 f"{sheet}!A9: 注記（※など）の行を読み飛ばしました",
                 f"{sheet}!F5: 1つのセルを 5 項目に分けました（番号付きの列挙）",
                 f"{sheet}!F8: 1つのセルを 4 項目に分けました（行頭の番号・記号）",
                 f"{sheet}!M8: 「同上」を上の行の値と読みました",
                 f"{sheet}!N8: 「〃」を上の行の値と読みました",
                 f"{sheet}!P8: 「R5.4.1」を 2023-04-01 と読みました",
                 f"{sheet}!L8: 「該当なし」を空欄と読みました",
                 f"{sheet}!I7: 「○」を「含む」と読みました",
                 f"{sheet}!O5: 「約98,000人」を 98000 と読みました",
                 "個人情報ファイル簿.xlsx:ファイル簿（教育委員会）!P3: 「H31.4.1」を 2019-04-01 と読みました",
                 "個人情報ファイル簿.xlsx:記入要領: 台帳の見出しがないシートを読み飛ばしました"):
        assert line in out, line
    assert "4 件を書き込めます" in out
    assert _snapshot(repo) == before


def test_public_filebook_from_an_imported_workbook_keeps_values_and_order(tmp_path: Path) -> None:
    repo = _empty_repo(tmp_path)
    assert _import(repo, "filebook", wf.filebook(tmp_path)).returncode == 0
    loaded = repository.load(repo)
    projection = public.project(loaded, dt.date(2026, 11, 26))
    raw = export.downloads(projection, loaded.types["file"].schema, False)["filebook.csv"]
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    expected = wf.FILEBOOK_EXPECTED
    assert [r["個人情報ファイルの名称"] for r in rows] == [e["名称"] for e in expected]
    assert [r["記録項目"].split("\n") for r in rows] == [e["記録項目"] for e in expected]
    assert [r["個人情報ファイルの利用目的"] for r in rows] == [e["利用目的"] for e in expected]
    assert [r["記録範囲"] for r in rows] == [e["記録範囲"] for e in expected]
    assert [r["記録情報の収集方法"] for r in rows] == [e["収集方法"] for e in expected]
    assert [r["要配慮個人情報が含まれるときは、その旨"] for r in rows] == ["含まない", "含む", "含まない", "含まない"]


@pytest.mark.parametrize(("builder", "expected"), [
    (wf.jimu_cards, wf.JIMU_CARDS_EXPECTED),   # 単票: one sheet per 事務
    (wf.jimu_xls, wf.JIMU_XLS_EXPECTED),       # Excel 97-2003, two-row header
])
def test_jimu_workbooks(tmp_path: Path, builder: Any, expected: list[dict[str, Any]]) -> None:
    repo = _demo_repo(tmp_path)
    result = _import(repo, "jimu", builder(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    got = sorted(_written(repo, result.stdout), key=lambda r: r["id"])
    assert len(got) == len(expected)
    for record, want in zip(got, expected, strict=True):
        _same_fields(record, want)


def test_contract_ledger(tmp_path: Path) -> None:
    repo = _demo_repo(tmp_path)
    result = _import(repo, "contract", wf.contracts(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    got = {r["案件名"]: r for r in _written(repo, result.stdout)}
    assert set(got) == {e["案件名"] for e in wf.CONTRACTS_EXPECTED}
    for want in wf.CONTRACTS_EXPECTED:
        record = dict(got[want["案件名"]])
        assert record.pop("id").startswith(f"C-2024-{want['所管課']}-")
        _same_fields(record, want)


def test_disclosure_log_in_shift_jis_one_row_per_decision(tmp_path: Path) -> None:
    repo = _demo_repo(tmp_path)
    result = _import(repo, "disclosure", wf.disclosure_csv(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    got = sorted(_written(repo, result.stdout), key=lambda r: r["id"])
    assert len(got) == len(wf.DISCLOSURE_EXPECTED)
    for record, want in zip(got, wf.DISCLOSURE_EXPECTED, strict=True):
        _same_fields(record, want)
    assert (repo / "records/disclosure/2025/R-2025-0006.yaml").is_file()


def test_every_error_of_the_workbook_in_one_run_at_its_cell(tmp_path: Path) -> None:
    path = wf.filebook(tmp_path)
    wb = load_workbook(path)
    mayor, edu = wb.worksheets[0], wb.worksheets[1]
    mayor["P7"] = "令和5年13月1日"           # no such date
    mayor["D8"] = "こども未来課"             # not in the organisation master
    mayor["M5"] = "電算ファイル"             # not one of the two kinds
    edu["G2"] = "記録の範囲等"               # a header nothing matches
    wb.save(path)
    repo = _empty_repo(tmp_path)
    before = _snapshot(repo)
    result = _import(repo, "filebook", path)
    out = result.stdout
    assert result.returncode == 1
    sheet = "個人情報ファイル簿.xlsx:ファイル簿（市長部局）"
    assert f"{sheet}!P7: エラー[E-IMPORT-VALUE] 7行目「作成日」列: 日付として読めません" in out
    assert f"{sheet}!D8: エラー[E-IMPORT-VALUE] 8行目「3 個人情報ファイルが利用に供される事務をつかさどる組織の名称」列: 組織マスタにない部署です" in out
    assert f"{sheet}!M5: エラー[E-SCHEMA-ENUM] 5行目「12 個人情報ファイルの種別」列" in out
    assert ("個人情報ファイル簿.xlsx:ファイル簿（教育委員会）!G2: エラー[E-IMPORT-HEADER] 列「記録の範囲等」はどの項目にも対応しません"
            "（もしかして「記録範囲」？）") in out
    assert "こども未来課" not in out and "電算ファイル" not in out  # the value itself is never echoed
    assert "何も書き込みませんでした" in out
    assert _snapshot(repo) == before
    assert "Traceback" not in out + result.stderr


def test_map_and_mapping_file_settle_headers(tmp_path: Path) -> None:
    path = wf.filebook(tmp_path)
    wb = load_workbook(path)
    for ws in wb.worksheets[:2]:
        header_row = 4 if ws.title.endswith("市長部局）") else 2
        ws.cell(header_row, 7).value = "記録の範囲等"
        ws.cell(header_row, 1).value = "整理用メモ"
    wb.save(path)
    repo = _empty_repo(tmp_path)
    assert _import(repo, "filebook", path).returncode == 1
    mapping = tmp_path / "対応.yaml"
    mapping.write_text("整理用メモ: 無視\n", encoding="utf-8")
    result = _import(repo, "filebook", path, extra=("--map", "記録の範囲等=記録範囲", "--mapping", str(mapping)))
    assert result.returncode == 0, result.stdout
    got = sorted(_written(repo, result.stdout), key=lambda r: r["id"])
    assert [r["記録範囲"] for r in got] == [e["記録範囲"] for e in wf.FILEBOOK_EXPECTED]
    bad = _import(repo, "filebook", path, extra=("--map", "記録の範囲等=記録の範", "--dry-run"))
    assert bad.returncode == 2 and "（もしかして「記録範囲」？）" in bad.stdout


def test_partial_writes_the_valid_records_of_a_workbook(tmp_path: Path) -> None:
    path = wf.filebook(tmp_path)
    wb = load_workbook(path)
    wb.worksheets[0]["D8"] = "こども未来課"
    wb.save(path)
    repo = _empty_repo(tmp_path)
    result = _import(repo, "filebook", path, extra=("--partial",))
    assert result.returncode == 1
    assert sorted(p.name for p in (repo / "records/files").glob("*.yaml")) == [
        "F-D1301-001.yaml", "F-D1501-001.yaml", "F-D2104-001.yaml"]


@pytest.mark.parametrize("target", ["jimu", "filebook", "contract", "disclosure"])
def test_reimporting_an_unchanged_export_changes_no_file(tmp_path: Path, target: str) -> None:
    repo = _demo_repo(tmp_path)
    before = _snapshot(repo)
    book = tmp_path / f"{target}.xlsx"
    assert run_daicho("export", target, "-o", str(book), "--root", str(repo)).returncode == 0
    count = len(repository.load(repo).of_type({"filebook": "file"}.get(target, target)))
    result = _import(repo, target, book)
    assert result.returncode == 0, result.stdout
    assert f"0 件を取り込みました（変更なし {count} 件）" in result.stdout
    assert _snapshot(repo) == before


def test_export_layout_is_for_people_and_reads_back(tmp_path: Path) -> None:
    repo = _demo_repo(tmp_path)
    book = tmp_path / "disclosure.xlsx"
    assert run_daicho("export", "disclosure", "-o", str(book), "--root", str(repo)).returncode == 0
    ws = load_workbook(book).worksheets[0]
    assert ws.title == "開示請求"
    assert ws["A1"].value == "ID" and ws["A1"].font.b
    assert ws.auto_filter.ref.startswith("A1:")
    assert ws.print_title_rows == "$1:$1"
    assert ws.freeze_panes == "B2"
    headers = [c.value for c in ws[1]]
    received = ws.cell(2, headers.index("受付日") + 1)
    assert received.is_date and received.value == dt.datetime(2023, 4, 18)
    assert all(ws.cell(2, i).alignment.wrap_text for i in range(1, len(headers) + 1))
    assert all(10 <= ws.column_dimensions[c].width <= 50 for c in "ABCD")
    # One row per decision: R-2023-0001 has twelve.
    assert sum(1 for row in ws.iter_rows(min_row=2, max_col=1, values_only=True) if row[0] == "R-2023-0001") == 12
    # Deleting the register and importing the export brings back the very same files.
    before = _snapshot(repo)
    shutil.rmtree(repo / "records/disclosure")
    assert _import(repo, "disclosure", book).returncode == 0
    assert _snapshot(repo) == before


def test_formula_like_text_is_exported_as_text_and_reads_back(tmp_path: Path) -> None:
    repo = _demo_repo(tmp_path)
    rel = "records/disclosure/2024/R-2024-0001.yaml"
    path = repo / rel
    path.write_text(path.read_text(encoding="utf-8") + "備考: =HYPERLINK(\"http://example.invalid\")\n",
                    encoding="utf-8")
    before = _snapshot(repo)
    book = tmp_path / "d.xlsx"
    assert run_daicho("export", "disclosure", "-o", str(book), "--root", str(repo)).returncode == 0
    ws = load_workbook(book).worksheets[0]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)
    assert _import(repo, "disclosure", book).returncode == 0
    assert _snapshot(repo) == before


@pytest.fixture(scope="module")
def demo() -> repository.Repository:
    return repository.load(ROOT)


@pytest.mark.parametrize(("target", "name", "content", "code", "where"), [
    ("filebook", "x.pdf", "%PDF-1.4", "E-IMPORT-READ", "x.pdf"),
    ("filebook", "bad.xlsx", "not a zip", "E-IMPORT-READ", "bad.xlsx"),
    ("filebook", "memo.csv", "メモ\r\n会議の記録\r\n", "E-IMPORT-LAYOUT", "memo.csv:1:1"),
    ("jimu", "two.csv", "事務の名称,担当課,所管課\r\n住民記録事務,市民課,市民課\r\n", "E-IMPORT-DUPLICATE-COLUMN", "two.csv:1:3"),
    ("jimu", "ditto.csv", "事務の名称,所管課,事務の目的\r\n住民記録事務,同上,住民の記録のため\r\n", "E-IMPORT-VALUE",
     "ditto.csv:2:2"),
    ("disclosure", "group.csv", "受付番号,受付日,請求者番号,担当課,決定日,決定内容\r\n"
     "9-1,2030-04-01,P000001,市民課,2030-04-10,全部開示\r\n9-1,2030-04-02,,国保年金課,2030-04-11,全部開示\r\n",
     "E-IMPORT-GROUP", "group.csv:3:2"),
])
def test_each_import_code_at_its_place(demo: repository.Repository, tmp_path: Path, target: str, name: str,
                                       content: str, code: str, where: str) -> None:
    from daicho import importer

    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    batch = importer.plan(demo, target, [path])
    assert any(i.code == code and i.file == where for i in batch.issues), batch.issues


def test_the_same_id_twice_is_an_error(demo: repository.Repository, tmp_path: Path) -> None:
    from daicho import importer

    path = tmp_path / "twice.csv"
    path.write_text("ID,事務の名称\r\nJ-D1401-001,住民記録事務\r\nJ-D1402-001,国民年金事務\r\n"
                    "J-D1401-001,住民記録事務\r\n", encoding="utf-8")
    batch = importer.plan(demo, "jimu", [path])
    assert [i.file for i in batch.issues if i.code == "E-IMPORT-DUPLICATE-ID"] == ["twice.csv:4:1"]


def test_only_the_named_sheet_is_read(tmp_path: Path) -> None:
    repo = _empty_repo(tmp_path)
    result = _import(repo, "filebook", wf.filebook(tmp_path), extra=("--sheet", "ファイル簿（教育委員会）", "--dry-run"))
    assert result.returncode == 0, result.stdout
    assert "F-D2104-001" in result.stdout and "F-D1301-001" not in result.stdout
    missing = _import(repo, "filebook", wf.filebook(tmp_path), extra=("--sheet", "ない", "--dry-run"))
    assert missing.returncode == 1 and "E-IMPORT-READ" in missing.stdout and "「ない」がありません" in missing.stdout
