"""Acceptance: the generated fixture reproduces every cell of the seed's 議題2 資料1.

The expected tables are transcribed from the seed (seeds/000_35900b2cdf619fe0.txt, 資料1) as
printed, "" where the seed leaves a cell blank. tests/report_fixture.py only writes records;
every number here, totals and blanks included, is counted by daicho from those records.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from daicho import repository
from daicho.report import tables, tabular
from tests import report_fixture
from tests.conftest import run_daicho

ORGANS = ["市長", "教育委員会", "選挙管理委員会", "監査委員", "農業委員会", "固定資産評価審査委員会", "消防長",
          "事業管理者", "計"]
ITEMS = ["第1号 開示請求者に関する情報", "第2号 第三者の個人に関する情報", "第3号 法人等に関する情報",
         "第4号 国の安全等に関する情報", "第5号 公共の安全等に関する情報", "第6号 審議，検討等に関する情報",
         "第7号 事務又は事業に関する情報", "計"]


def _rows(labels: list[str], text: str) -> list[list[str]]:
    """Rows as the seed prints them, one per line, cells separated by "|"; "" is a blank cell."""
    lines = [line.strip() for line in text.strip().splitlines()]
    assert len(lines) == len(labels)
    return [[label, *(c.strip() for c in line.split("|"))] for label, line in zip(labels, lines, strict=True)]


SEED = {
    # 資料1 １① 個人情報取扱事務登録簿: 令和５年度末, 令和６年度末
    "jimu": _rows(ORGANS, """
        477 | 439
        101 | 80
        10  | 10
        1   | 1
        1   | 1
        1   | 1
        35  | 36
        31  | 28
        657 | 596"""),
    # １② 個人情報ファイル簿
    "file": _rows(ORGANS, """
        126 | 118
        0   | 0
        0   | 0
        0   | 0
        1   | 1
        0   | 0
        0   | 0
        0   | 0
        127 | 119"""),
    # ２① 令和5年度: 実人数, 請求件数, 取下げ, 全部開示, 部分開示, 不開示, 存否応答拒否, 不存在, 開示決定件数
    "disclosure-2023": _rows(ORGANS, """
        12 | 18 | 1 | 37 | 10 |   | 1 | 8 | 56
        4  | 5  | 1 | 1  | 4  |   |   |   | 5
           |    |   |    |    |   |   |   |
           |    |   |    |    |   |   |   |
           |    |   |    |    |   |   |   |
           |    |   |    |    |   |   |   |
        3  | 3  |   | 2  | 1  |   |   |   | 3
           |    |   |    |    |   |   |   |
        19 | 26 | 2 | 40 | 15 | 0 | 1 | 8 | 64"""),
    # ２② 令和6年度
    "disclosure-2024": _rows(ORGANS, """
        12 | 17 | 2 | 10 | 4 | 2 |   | 2 | 18
        2  | 2  | 1 | 1  |   |   |   |   | 1
           |    |   |    |   |   |   |   |
           |    |   |    |   |   |   |   |
           |    |   |    |   |   |   |   |
           |    |   |    |   |   |   |   |
        4  | 4  |   | 5  | 2 |   |   |   | 7
           |    |   |    |   |   |   |   |
        18 | 23 | 3 | 16 | 6 | 2 | 0 | 2 | 26"""),
    # ２③ 不開示事由 令和5年度: 部分開示, 不開示, 存否応答拒否, 計
    "reasons-2023": _rows(ITEMS, """
           |   |   |
        9  |   | 1 | 10
        1  |   |   | 1
           |   |   |
           |   |   |
           |   |   |
        7  |   |   | 7
        17 |   | 1 | 18"""),
    # ２④ 令和6年度
    "reasons-2024": _rows(ITEMS, """
           |   |   |
        5  |   |   | 5
        2  |   |   | 2
           |   |   |
           |   |   |
           |   |   |
        1  | 2 |   | 3
        8  | 2 |   | 10"""),
    # ３① 目的外利用 令和6年度: 1号, 2号, 4号, その他の法令, 計
    "usage-2024": _rows(ORGANS, """
        184 | 676 | 0 | 56 | 916
        0   | 4   | 0 | 0  | 4
        0   | 0   | 0 | 0  | 0
        0   | 0   | 0 | 0  | 0
        0   | 0   | 0 | 0  | 0
        0   | 0   | 0 | 0  | 0
        0   | 0   | 0 | 0  | 0
        0   | 0   | 0 | 0  | 0
        184 | 680 | 0 | 56 | 920"""),
    # ３② 外部提供 令和6年度: 1号, 3号, 4号, その他の法令, 計
    "provision-2024": _rows(ORGANS, """
        12 | 29 | 0 | 13 | 54
        0  | 2  | 0 | 0  | 2
        0  | 0  | 0 | 0  | 0
        0  | 0  | 0 | 0  | 0
        0  | 5  | 0 | 1  | 6
        0  | 0  | 0 | 0  | 0
        0  | 3  | 2 | 0  | 5
        0  | 2  | 0 | 0  | 2
        12 | 41 | 2 | 14 | 69"""),
}

SEED_HEADINGS = {
    "jimu": "① 個人情報取扱事務登録簿",
    "file": "② 個人情報ファイル簿",
    "disclosure-2023": "① 保有個人情報開示請求（令和5年度）",
    "disclosure-2024": "② 保有個人情報開示請求（令和6年度）",
    "reasons-2023": "③ 部分開示決定等における不開示事由（令和5年度）",
    "reasons-2024": "④ 部分開示決定等における不開示事由（令和6年度）",
    "usage-2024": "① 個人情報の目的外利用（令和6年度）",
    "provision-2024": "② 個人情報の外部提供（令和6年度）",
}

SEED_NOTES = {
    "jimu": ["※ 改正法施行時点の総件数は 662 件"],
    "file": ["※ 改正法施行時点の総件数は 124 件"],
    "disclosure-2023": [],
    "disclosure-2024": ["※ １件の請求が複数の部署にまたがる場合や請求に対する決定内容が異なる場合があるため，"
                        "請求件数と処理状況の件数は一致しない場合があります。"],
    "reasons-2023": [],
    "reasons-2024": ["※ １件の部分開示決定等において，複数の不開示理由に該当する場合があるため，"
                     "開示決定の処理件数とは一致しない場合があります。"],
    "usage-2024": [],
    "provision-2024": ["※ 件数は市の各機関が外部（他の市の機関を含む。）へ提供したものとなります。"],
}


@pytest.fixture(scope="session")
def seed_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return report_fixture.session_root(tmp_path_factory)


@pytest.fixture(scope="session")
def seed_repo(tmp_path_factory: pytest.TempPathFactory) -> repository.Repository:
    return report_fixture.session_repo(tmp_path_factory)


@pytest.fixture(scope="session")
def seed_report(seed_repo: repository.Repository) -> tables.Report:
    return tables.build(seed_repo, 2024)


def test_fixture_repository_is_valid(seed_root: Path) -> None:
    done = run_daicho("validate", "--root", str(seed_root))
    assert done.returncode == 0, done.stdout
    assert "問題はありません" in done.stdout.splitlines()[-1]
    assert "1000" not in done.stdout  # no 本人の数 warnings either


def test_fixture_is_records_not_totals(seed_repo: repository.Repository) -> None:
    # The report must count entries, not read a stored number: hundreds of register entries.
    assert len(seed_repo.of_type("jimu")) > 657
    assert len(seed_repo.of_type("file")) > 127
    assert len(seed_repo.of_type("disclosure")) == 26 + 23 + 2


@pytest.mark.parametrize("key", list(SEED))
def test_seed_table_cell_by_cell(seed_report: tables.Report, key: str) -> None:
    table = seed_report.table(key)
    got = [[r.label, *r.cells] for r in table.rows]
    assert len(got) == len(SEED[key])
    for want_row, got_row in zip(SEED[key], got, strict=True):
        assert got_row == want_row, f"{key} {want_row[0]}"
    assert table.heading == SEED_HEADINGS[key]
    assert table.notes == SEED_NOTES[key]


def test_seed_table_order_and_sections(seed_report: tables.Report) -> None:
    assert [t.key for t in seed_report.tables] == list(SEED)
    assert [(h, [t.key for t in ts]) for h, ts in seed_report.sections()] == [
        ("１ 個人情報取扱事務登録簿，個人情報ファイル簿の作成上状況", ["jimu", "file"]),
        ("２ 保有個人情報開示請求の処理状況",
         ["disclosure-2023", "disclosure-2024", "reasons-2023", "reasons-2024"]),
        ("３ 個人情報の目的外利用，外部提供の実績", ["usage-2024", "provision-2024"]),
    ]
    assert seed_report.table("disclosure-2023").column_labels() == [
        "市の機関", "実人数", "請求件数", "処理状況 取下げ", "処理状況 全部開示", "処理状況 部分開示",
        "処理状況 不開示", "処理状況 不開示（存否応答拒否）", "処理状況 不開示（不存在）",
        "処理状況 開示決定件数（取下げを除く）"]
    assert seed_report.table("jimu").column_labels() == ["市の機関", "令和5年度末 件数", "令和6年度末 件数"]
    assert seed_report.table("usage-2024").column_labels() == [
        "市の機関", "根拠法令 法第69条第2項第1号", "根拠法令 法第69条第2項第2号", "根拠法令 法第69条第2項第4号",
        "根拠法令 その他の法令", "計"]
    assert seed_report.table("provision-2024").column_labels()[2] == "根拠法令 法第69条第2項第3号"


def test_enforcement_totals_can_be_given(seed_repo: repository.Repository) -> None:
    report = tables.build(seed_repo, 2024, enforcement={"jimu": 700})
    assert report.table("jimu").notes == ["※ 改正法施行時点の総件数は 700 件"]
    assert report.table("file").notes == ["※ 改正法施行時点の総件数は 124 件"]  # still counted


def test_enforcement_totals_from_the_settings(seed_repo: repository.Repository, monkeypatch) -> None:
    stated = {**seed_repo.settings, "運用状況": {"改正法施行時点の総件数": {"ファイル簿": 130}}}
    monkeypatch.setitem(seed_repo.__dict__, "settings", stated)  # cached_property: patch the instance
    report = tables.build(seed_repo, 2024)
    assert report.table("file").notes == ["※ 改正法施行時点の総件数は 130 件"]
    assert report.table("jimu").notes == ["※ 改正法施行時点の総件数は 662 件"]  # still counted


def test_other_years_and_comparison(seed_repo: repository.Repository) -> None:
    # FY2023 compared with FY2022: FY2022 predates the amended law (its request, received
    # 2023-03-31, fell under the old ordinance), so its tables and columns are left out, not zeros.
    report = tables.build(seed_repo, 2023)
    assert [t.key for t in report.tables] == ["jimu", "file", "disclosure-2023", "reasons-2023"]
    assert report.table("jimu").columns == [("令和5年度末", "件数")]
    assert [t.number for t in report.tables] == ["①", "②", "①", "②"]
    assert [r.cells for r in report.table("disclosure-2023").rows] == [r[1:] for r in SEED["disclosure-2023"]]
    assert report.missing == ["令和4年度は改正法の施行（令和5年4月1日）前のため、令和4年度の表と列は載せていません。",
                              "令和5年度の目的外利用・外部提供の件数の記録がないため、３の表は作成していません。"]
    assert [t.section for t in report.tables] == [1, 1, 2, 2]
    csv_text = tabular.csv_bytes(report).decode("utf-8-sig")
    assert "令和4年度" not in csv_text.split("令和4年度は改正法")[0]  # no table or column of FY2022
    # An explicit comparison year under the amended law moves the first 年度末 column and §2 tables.
    report = tables.build(seed_repo, 2024)
    assert report.table("jimu").columns[0] == ("令和5年度末", "件数")
    assert [t.key for t in report.tables][2:6] == ["disclosure-2023", "disclosure-2024", "reasons-2023",
                                                   "reasons-2024"]
    assert [t.number for t in report.tables][2:6] == ["①", "②", "③", "④"]


DEMO_TABLES = ["disclosure-2023", "disclosure-2024", "reasons-2023", "reasons-2024", "usage-2024",
               "provision-2024"]


def test_demo_records_reproduce_the_seed(root: Path, tmp_path: Path) -> None:
    """The project's own records/ (the demo data) give 資料1 §2 and §3 exactly, through the CLI."""
    out = tmp_path / "demo.csv"
    done = run_daicho("report", "--fy", "2024", "--format", "csv", "--output", str(out), "--today", "2026-11-26",
                      cwd=root)
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    for key in DEMO_TABLES:
        start = rows.index([SEED_HEADINGS[key]])
        assert rows[start + 2:start + 2 + len(SEED[key])] == SEED[key], key
        assert rows[start + 2 + len(SEED[key]):start + 2 + len(SEED[key]) + len(SEED_NOTES[key])] == [
            [n] for n in SEED_NOTES[key]]
