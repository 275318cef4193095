"""``daicho report`` end to end on the seed fixture: every format, the files it writes, usage errors."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests import report_fixture
from tests.conftest import run_daicho
from tests.report_fixture import request, write_small

TODAY = "2026-11-26"


@pytest.fixture(scope="session")
def seed_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return report_fixture.session_root(tmp_path_factory)


def test_markdown_to_stdout(seed_root: Path) -> None:
    done = run_daicho("report", "--root", str(seed_root), "--fy", "2024", "--today", TODAY)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    out = done.stdout
    assert out.startswith("# 運用状況 令和6年度\n")
    assert "| **計** | 657 | 596 |" in out
    assert "| **計** | 19 | 26 | 2 | 40 | 15 | 0 | 1 | 8 | 64 |" in out
    assert "| **計** | 184 | 680 | 0 | 56 | 920 |" in out
    assert out.index("保有個人情報開示請求（令和5年度）") < out.index("保有個人情報開示請求（令和6年度）")


def test_csv_and_xlsx_files_hold_the_same_cells(seed_root: Path, tmp_path: Path) -> None:
    csv_path, xlsx_path = tmp_path / "r.csv", tmp_path / "r.xlsx"
    for fmt, path in (("csv", csv_path), ("xlsx", xlsx_path)):
        done = run_daicho("report", "--root", str(seed_root), "--fy", "2024", "--format", fmt, "--output",
                          str(path), "--today", TODAY)
        assert done.returncode == 0, done.stderr
        assert done.stdout == "" and f"{path} に書き出しました" in done.stderr
    data = csv_path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data and data.count(b"\n") == data.count(b"\r\n")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    wb = load_workbook(xlsx_path)
    assert len(wb.sheetnames) == 8
    # Each sheet's body equals the CSV block that follows the same title row.
    for ws in wb.worksheets:
        assert [ws["A1"].value] in rows  # the section heading (１／２／３) is in both
        start = rows.index([ws["A2"].value])
        labels = rows[start + 1]
        first = ws.freeze_panes and int(ws.freeze_panes[1:])
        body = []
        r = first
        while ws.cell(r, 1).value is not None:
            body.append(["" if ws.cell(r, c).value is None else str(ws.cell(r, c).value)
                         for c in range(1, len(labels) + 1)])
            r += 1
        assert body == rows[start + 2:start + 2 + len(body)]
        note = ws.cell(r + 1, 1).value  # a footnote follows one empty row, as in the CSV it follows the body
        assert rows[start + 2 + len(body)] == ([] if note is None else [note])


def test_html_file_and_enforcement_totals_given(seed_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    done = run_daicho("report", "--root", str(seed_root), "--fy", "2024", "--compare", "2023", "--format", "html",
                      "-o", str(out), "--jimu-at-enforcement", "662", "--files-at-enforcement", "130",
                      "--today", TODAY)
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "※ 改正法施行時点の総件数は 662 件" in page and "※ 改正法施行時点の総件数は 130 件" in page
    assert page.count('<svg role="img"') == 4


@pytest.mark.parametrize("args, message", [
    (["--fy", "2024", "--compare", "2024"], "--compare には --fy より前の年度"),
    (["--fy", "2024", "--format", "xlsx"], "--output で書き出すファイルを指定"),
    (["--fy", "2024", "--today", "2024-13-01"], "日付は YYYY-MM-DD"),
    (["--fy", "2024", "--format", "pdf"], "は選べません"),
    (["--fy", "2024", "-o", "/nonexistent/dir/r.md"], "書き出し先のフォルダがありません"),
    (["--fy", "2027", "--today", TODAY], "令和9年度はまだ始まっていません（基準日 2026-11-26）"),
])
def test_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    done = run_daicho("report", "--root", str(tmp_path), *args)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr


def test_records_with_errors_are_reported_and_left_out(tmp_path: Path) -> None:
    root = write_small(tmp_path / "repo",
                       request("R-2024-0001", "市長", "P000001", "2024-05-01", decisions=(("全部開示", []),)),
                       request("R-2024-0002", "市長", "P000002", "2024-05-01", "未定"))
    done = run_daicho("report", "--root", str(root), "--fy", "2024", "--today", TODAY)
    assert done.returncode == 1
    assert "records/disclosure/2024/R-2024-0002.yaml:5:" in done.stderr
    assert "記録にエラーが 1 件あります。エラーのある記録は集計に含まれていません" in done.stderr
    assert "| **計** | 1 | 1 | 0 | 1 | 0 | 0 | 0 | 0 | 1 |" in done.stdout


def test_current_fy_is_marked_in_progress(seed_root: Path) -> None:
    done = run_daicho("report", "--root", str(seed_root), "--fy", "2024", "--today", "2025-03-31")
    assert done.returncode == 0
    assert "令和6年度は年度途中です。2025-03-31 時点の数値で、確定値ではありません" in done.stderr


def test_no_organization(tmp_path: Path) -> None:
    (tmp_path / "records").mkdir()
    done = run_daicho("report", "--root", str(tmp_path), "--fy", "2024")
    assert done.returncode == 1
    assert "組織マスタ records/organization.yaml に実施機関がないため作れません" in done.stderr
