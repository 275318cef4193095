"""Requests and the duty dashboard on the demo site (issue 14 items 5 and 6), through
``daicho.render.pages`` at the demo's pinned day."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from daicho import render, repository, rules
from daicho.repository import Repository
from tests.browser import DEMO_TODAY, ROOT
from tests.test_site_pages import rows, text

TODAY = dt.date.fromisoformat(DEMO_TODAY)


@pytest.fixture(scope="module")
def demo() -> Repository:
    return repository.load(ROOT)


@pytest.fixture(scope="module")
def pages(demo: Repository) -> dict[str, str]:
    return render.pages(demo, TODAY)


def test_every_demo_request_has_a_page_and_a_row_in_its_year(demo: Repository, pages: dict[str, str]) -> None:
    requests = demo.of_type("disclosure")
    assert len(requests) > 50
    for r in requests:
        page = pages[f"requests/{r.id}.md"]
        assert r.data["受付日"] in page and r.data["状態"] in text(page)
        for decision in r.data.get("決定", []):
            assert decision["結果"] in text(page)
        fy = int(r.data["受付日"][:4]) - (1 if r.data["受付日"][5:7] < "04" else 0)
        assert f'href="{r.id}.html"' in pages[f"requests/{fy}.md"]
    assert 'href="requests/index.html"' in pages["index.md"]


def test_request_page_shows_decisions_grounds_and_the_extended_deadline(pages: dict[str, str]) -> None:
    extended = text(pages["requests/R-2026-0003.md"])
    assert "延長後の期限 令和8年12月12日 (2026-12-12)" in extended
    assert "決定の期限 令和8年12月12日 (2026-12-12) 未実施 あと16日" in extended
    withheld = next(p for path, p in pages.items() if path.startswith("requests/R-") and "第2号" in p)
    assert "第2号 第三者の個人に関する情報" in text(withheld)
    year = rows(pages["requests/2026.md"])
    header = year[0]
    assert header[:2] == ["請求", "請求の種類"] and "決定の期限" in header and "残り日数" in header
    by_id = {r[0]: dict(zip(header, r, strict=True)) for r in year[1:]}
    assert by_id["R-2026-0005"]["請求の種類"] == "訂正請求"
    assert by_id["R-2026-0005"]["残り日数"] == "あと8日"
    assert by_id["R-2026-0003"]["決定の期限"].endswith("（延長）")
    assert by_id["R-2026-0006"]["決定"] == "非停止"


def test_home_lists_every_kind_of_duty_overdue_or_due_soon(demo: Repository, pages: dict[str, str]) -> None:
    horizon = int(rules.deadlines(demo)["検査予告の日数"])
    expected = [o for o in rules.obligations(demo, TODAY) if o.in_view(TODAY, horizon)]
    table = pages["index.md"][pages["index.md"].index('id="duties-table"'):]
    table = table[:table.index("</table>")]
    shown = rows(table)
    header = shown[0]
    assert header == ["記録", "義務", "所管課", "期限", "残り日数", "状況", "根拠・備考"]
    assert len(shown) - 1 == len(expected)
    kinds = {o.kind for o in expected}
    assert {"訂正決定", "開示決定", "書面検査", "完了報告"} <= kinds
    # The request due in 8 days, with its department and days left.
    due_soon = next(r for r in shown if "R-2026-0005" in r[0])
    assert due_soon[1:3] == ["訂正決定", "国保年金課"] and due_soon[4:6] == ["あと8日", "未実施"]
    overdue = [r for r in shown[1:] if r[5] == "期限切れ"]
    assert overdue and all(re.fullmatch(r"[0-9]+日超過", r[4]) for r in overdue)
    # Filters: kind, 課 and status, with each choice taken from the rows.
    assert re.search(r'<select data-filter-col="1">.*<option>訂正決定</option>', pages["index.md"])
    assert re.search(r'<select data-filter-col="2">.*<option>国保年金課</option>', pages["index.md"])
    assert re.search(r'<select data-filter-col="5">.*<option>期限切れ</option>', pages["index.md"])


def test_department_page_lists_its_requests_and_their_duties(pages: dict[str, str]) -> None:
    second = text(pages["departments/D1402.md"])  # 国保年金課: second 保有課 of R-2026-0003
    assert "開示請求 R-2026-0003" in second and "訂正請求 R-2026-0005" in second
    assert "あと16日" in second and "あと8日" in second


def test_inspection_year_is_one_aligned_table_with_the_window_span(pages: dict[str, str]) -> None:
    page = pages["inspections/2026.md"]
    assert page.count("<table") == 1
    table = rows(page)
    assert all(len(r) == len(table[0]) for r in table)
    assert any(r[1] == "実地検査（令和8〜10年度）" for r in table)
    assert 'data-filter-col="1"' in page and 'data-filter-col="2"' in page and 'data-filter-col="6"' in page


def test_contract_page_labels_the_window_with_its_span(pages: dict[str, str]) -> None:
    duties = rows(pages["contracts/C-2024-D8102-001.md"].split('id="obligations"')[1])
    assert ["実地検査", "令和8〜10年度"] in [r[:2] for r in duties]
