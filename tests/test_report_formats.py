"""Renderers: every format holds the same cells as the tables (checked cell by cell against the
seed in test_report.py); here the structure of CSV, XLSX, Markdown and HTML, the blank-or-0
settings, the counting edge cases and escaping."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook

from daicho import repository
from daicho.report import charts, counting, html, md, tables, tabular
from daicho.report.finding import Finding, Findings
from tests import report_fixture
from tests.report_fixture import request, write_small

TODAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="session")
def seed_repo(tmp_path_factory: pytest.TempPathFactory) -> repository.Repository:
    return report_fixture.session_repo(tmp_path_factory)


@pytest.fixture(scope="session")
def seed_report(seed_repo: repository.Repository) -> tables.Report:
    return tables.build(seed_repo, 2024)


def test_csv_is_excel_friendly_and_holds_every_table(seed_report: tables.Report) -> None:
    data = tabular.csv_bytes(seed_report)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\n") == data.count(b"\r\n") > 0
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    i = 0
    for t in seed_report.tables:
        if t is next(x for x in seed_report.tables if x.section == t.section):
            assert rows[i] == [tables.SECTIONS[t.section]]  # １／２／３ before the section's ①
            i += 1
        assert rows[i] == [t.heading]
        assert rows[i + 1] == t.column_labels()
        body = rows[i + 2:i + 2 + len(t.rows)]
        assert body == [[r.label, *r.cells] for r in t.rows]
        i += 2 + len(t.rows)
        assert rows[i:i + len(t.notes)] == [[n] for n in t.notes]
        i += len(t.notes)
        assert rows[i] == []
        i += 1
    assert i == len(rows)
    # Spot check against the seed: the 計 row of ２③ keeps its blank 不開示 cell.
    assert ["計", "17", "", "1", "18"] in rows


def test_xlsx_one_sheet_per_table_same_cells(seed_report: tables.Report, tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    path.write_bytes(tabular.xlsx_bytes(seed_report))
    wb = load_workbook(path)
    assert wb.sheetnames == [t.sheet for t in seed_report.tables]
    assert wb.sheetnames[0] == "1-① 事務登録簿"
    for t in seed_report.tables:
        ws = wb[t.sheet]
        assert (ws["A1"].value, ws["A2"].value) == (tables.SECTIONS[t.section], t.heading)
        depth = max(len(c) for c in t.columns)
        first = 3 + depth
        assert ws.freeze_panes == f"B{first}"
        for i, row in enumerate(t.rows):
            got = [ws.cell(first + i, c + 1).value for c in range(len(t.columns) + 1)]
            want = [row.label, *(int(c) if c else None for c in row.cells)]
            assert got == want, (t.key, row.label)
        for k, note in enumerate(t.notes):
            assert ws.cell(first + len(t.rows) + 1 + k, 1).value == note
        assert ws.column_dimensions["A"].width >= 22  # 固定資産評価審査委員会 fits
    ws = wb["2-① 開示請求 令和5年度"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A3:A4", "B3:B4", "C3:C4", "D3:J3"} <= merged
    assert (ws["A3"].value, ws["D3"].value, ws["D4"].value, ws["J4"].value) == (
        "市の機関", "処理状況", "取下げ", "開示決定件数（取下げを除く）")
    assert ws["F13"].value == 15 and ws["G13"].value == 0 and ws["G5"].value is None
    ws = wb["3-① 目的外利用 令和6年度"]
    assert ws["B5"].value == 184 and ws["D5"].value == 0  # §3 prints 0, so the cell holds 0
    assert "B3:E3" in {str(r) for r in ws.merged_cells.ranges}


def test_markdown_document(seed_report: tables.Report) -> None:
    text = md.document(seed_report)
    assert text.startswith("# 運用状況 令和6年度\n")
    assert "## ２ 保有個人情報開示請求の処理状況" in text
    assert "| 市長 | 12 | 18 | 1 | 37 | 10 |  | 1 | 8 | 56 |" in text
    assert "| **計** | 17 |  | 1 | 18 |" in text
    assert "※ 改正法施行時点の総件数は 662 件" in text


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_standalone_html_is_printable_and_has_accessible_charts(seed_repo: repository.Repository,
                                                                seed_report: tables.Report) -> None:
    page = html.standalone(seed_report, charts.build(seed_repo, seed_report), None, today="2026-11-26")
    parser = _Collect()
    parser.feed(page)
    names = [t for t, _ in parser.tags]
    assert "script" not in names
    assert re.search(r"@page\s*\{\s*size:\s*A4", page)
    svgs = [a for t, a in parser.tags if t == "svg"]
    assert len(svgs) == 4 and all(a["role"] == "img" for a in svgs)
    for a in svgs:
        title_id, desc_id = a["aria-labelledby"].split()
        assert ("title", {"id": title_id}) in parser.tags and ("desc", {"id": desc_id}) in parser.tags
    assert names.count("figcaption") == 4
    assert names.count("table") == 8 + 4  # the report's tables and each chart's data table
    # header cells span as 資料1 draws them
    assert '<th scope="colgroup" colspan="7">処理状況</th>' in page
    assert '<th scope="col" rowspan="2">市の機関</th>' in page
    assert "<title>運用状況 令和6年度</title>" in page
    assert "確認事項" not in page  # the council's copy has no internal findings


def test_chart_geometry_follows_the_numbers(seed_repo: repository.Repository,
                                            seed_report: tables.Report) -> None:
    found = {c.key: c for c in charts.build(seed_repo, seed_report)}
    disclosure = found["chart-disclosure"]
    assert [s.label for s in disclosure.series] == ["令和5年度", "令和6年度"]
    assert disclosure.categories[0] == "請求件数" and disclosure.series[0].values[0] == 26
    assert "全部開示: 令和5年度 40件、令和6年度 16件" in disclosure.desc
    g = charts.layout(disclosure)
    widths = {b.value: b.w for grp in g.groups for b in grp.bars}
    assert widths[64] == charts.WIDTH - charts.LABEL_W - charts.VALUE_W  # the longest bar fills
    assert widths[0] == 0 and widths[16] == pytest.approx(widths[64] * 16 / 64, abs=0.1)
    # FY2023 has no usage record: the usage chart shows FY2024 only and says so.
    usage = found["chart-usage"]
    assert [s.label for s in usage.series] == ["令和6年度"]
    assert usage.series[0].values == [184, 680, 0, 56, 12, 41, 2, 14]
    assert found["chart-jimu"].series[1].values[0] == 439


def _small(tmp_path: Path, *records: str, settings: str = report_fixture.SETTINGS) -> repository.Repository:
    return repository.load(write_small(tmp_path / "repo", *records, organs=["市長", "教育委員会"],
                                       settings=settings))


USAGE = """id: U-2024
年度: 2024
実績:
  - 実施機関: 市長
    目的外利用: {法69条2項1号: 3, 法69条2項2号: 0, 法69条2項4号: 0, その他の法令: 0}
    外部提供: {法69条2項1号: 0, 法69条2項3号: 0, 法69条2項4号: 0, その他の法令: 0}
"""


def test_blank_or_zero_follows_the_settings(tmp_path: Path) -> None:
    settings = 'id: settings\n運用状況:\n  開示請求の0件: "0"\n  目的外利用の0件: 空欄\n'
    repo = _small(tmp_path,
                  request("R-2024-0001", "市長", "P000001", "2024-05-01",
                                                        decisions=(("部分開示", ["第2号"]),)),
                  USAGE, settings=settings)
    assert not repo.issues
    report = tables.build(repo, 2024)
    assert [r.cells for r in report.table("disclosure-2024").rows] == [
        ["1", "1", "0", "0", "1", "0", "0", "0", "1"], ["0"] * 9, ["1", "1", "0", "0", "1", "0", "0", "0", "1"]]
    assert report.table("reasons-2024").rows[0].cells == ["0", "0", "0", "0"]
    assert [r.cells for r in report.table("usage-2024").rows] == [["3", "", "", "", "3"], [""] * 5,
                                                                   ["3", "", "", "", "3"]]
    # U-2024 lists 市長 only: 教育委員会 still gets its row, and the 計 row sums.
    assert [r.label for r in report.table("provision-2024").rows] == ["市長", "教育委員会", "計"]


def test_counting_rules_at_the_edges(tmp_path: Path) -> None:
    jimu = report_fixture._jimu
    repo = _small(
        tmp_path,
        # 登録年月日 on the FY end counts; the day after does not; 廃止年月日 on the FY end no longer counts.
        jimu("J-D1101-001", "市長", "D1101", "2025-03-31", None),
        jimu("J-D1101-002", "市長", "D1101", "2025-04-01", None),
        jimu("J-D1101-003", "市長", "D1101", "2020-04-01", "2025-03-31"),
        jimu("J-D1101-004", "市長", "D1101", "2020-04-01", "2025-04-01"),
        # The same requester at two 実施機関: one person in the total row, one in each row.
        request("R-2024-0001", "市長", "P000001", "2024-04-01",
                                              decisions=(("全部開示", []), ("不開示（不存在）", []))),
        request("R-2024-0002", "教育委員会", "P000001", "2025-03-31",
                                              decisions=(("全部開示", []),), dept="D2101"),
        request("R-2024-0003", "市長", "P000001", "2024-06-01", "取下げ"),
        # Decided in FY2025 but received in FY2024: counted in FY2024.
        request("R-2025-0001", "市長", "P000002", "2025-04-01",
                                              decisions=(("全部開示", []),)),
    )
    assert not repo.errors
    assert counting.register_counts(repo, "jimu", dt.date(2025, 3, 31)) == {"市長": 2, "教育委員会": 0}
    assert counting.register_counts(repo, "jimu", dt.date(2025, 4, 1)) == {"市長": 2, "教育委員会": 0}
    rows, total = counting.disclosure(repo, 2024)
    assert (rows["市長"].persons, rows["市長"].requests, rows["市長"].withdrawn, rows["市長"].decisions) == (1, 2, 1, 2)
    assert rows["教育委員会"].persons == 1
    assert (total.persons, total.requests, total.decisions) == (1, 3, 3)
    assert counting.disclosure(repo, 2025)[1].requests == 1
    assert counting.fiscal_years_with_data(repo) == [2024, 2025]


def test_record_values_are_escaped(tmp_path: Path) -> None:
    organ = "<script>alert(1)</script>|x"
    repo = repository.load(write_small(tmp_path / "repo", request(
        "R-2024-0001", f'"{organ}"', "P000001", "2024-05-01", decisions=(("全部開示", []),)), organs=[organ]))
    assert not repo.errors
    report = tables.build(repo, 2024)
    page = html.block(report, charts.build(repo, report), None, today="2026-11-26")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;|x" in page
    text = md.document(report)
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;\\|x" in text
    # The standalone page wraps the block with Markup(): it must stay escaped there too.
    whole = html.standalone(report, charts.build(repo, report), None, today="2026-11-26")
    assert "<script>alert" not in whole and "&lt;script&gt;alert(1)&lt;/script&gt;|x" in whole
    # Findings carry record text and file names into the same Markup-wrapped block.
    hostile = Findings([Finding("W-X", f"「{organ}」の決定", "records/<img src=x onerror=alert(1)>.yaml", 3, 1)],
                       [f"確認できません: {organ}"])
    whole = html.standalone(report, charts.build(repo, report), hostile, today="2026-11-26")
    assert "<script>alert" not in whole and "<img src=x" not in whole
    assert whole.count("&lt;script&gt;alert(1)&lt;/script&gt;|x") >= 3 and "&lt;img src=x onerror=alert(1)&gt;" in whole
