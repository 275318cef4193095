"""The 運用状況 page of the demo site and the standalone HTML in headless Chromium: accessible
charts, the seed's numbers on screen, nothing fetched from outside, and A4 print output."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser import Server, Watched
from tests.conftest import run_daicho

A4_POINTS = (595.3, 841.9)  # 210 mm × 297 mm


def _printed_pages(p: object) -> list[tuple[float, float]]:
    """Page sizes of the PDF Chromium prints. The default paper is Letter, so A4 pages can only
    come from the page's own ``@page { size: A4 }``."""
    pdf = p.pdf(format="Letter", prefer_css_page_size=True)  # type: ignore[attr-defined]
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\]", pdf)
    return [(float(w), float(h)) for w, h in boxes]


def _all_a4(sizes: list[tuple[float, float]]) -> bool:
    return all(abs(w - A4_POINTS[0]) < 2 and abs(h - A4_POINTS[1]) < 2 for w, h in sizes)


@pytest.mark.browser
def test_report_page_charts_and_print(page: Watched, demo_server: Server) -> None:
    p = page.page
    p.goto(demo_server.url + "report/2024.html")
    assert p.locator("h1").inner_text() == "運用状況 令和6年度"
    # Each chart is one image with an accessible name and description, next to its data table.
    for name in ("個人情報取扱事務登録簿の件数（年度末）", "個人情報ファイル簿の件数（年度末）", "開示請求の処理状況",
                 "目的外利用・外部提供の件数"):
        chart = p.get_by_role("img", name=name)
        assert chart.count() == 1 and chart.is_visible()
        box = chart.bounding_box()
        assert box and box["width"] > 300 and box["height"] > 100
    described = p.eval_on_selector("#chart-disclosure svg", "s => s.querySelector('desc').textContent")
    assert "全部開示: 令和5年度 40件、令和6年度 16件" in described
    # The seed's §2② 計 row, as the browser shows it.
    total = p.eval_on_selector("#daicho-disclosure-2024 tr.total",
                               "r => Array.from(r.cells).map(c => c.textContent)")
    assert total == ["計", "18", "23", "3", "16", "6", "2", "0", "2", "26"]
    assert not page.external(demo_server.url) and not page.dialogs
    # Printing hides the site's navigation and keeps the report on A4 pages.
    p.emulate_media(media="print")
    assert not p.locator(".md-header").is_visible() and not p.locator(".md-sidebar--primary").is_visible()
    assert p.locator("#daicho-usage-2024").is_visible()
    sizes = _printed_pages(p)
    assert len(sizes) >= 3 and _all_a4(sizes)


@pytest.mark.browser
def test_standalone_html_prints_on_a4(page: Watched, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    done = run_daicho("report", "--fy", "2024", "--format", "html", "-o", str(out), "--today", "2026-11-26")
    assert done.returncode == 0, done.stderr
    p = page.page
    p.goto(out.as_uri())
    assert p.get_by_role("img", name="開示請求の処理状況").count() == 1
    assert p.locator("table.daicho-report-grid").count() == 8
    sizes = _printed_pages(p)
    # §1, §2 and §3 each start a page, and the charts follow: at least four A4 pages.
    assert len(sizes) >= 4 and _all_a4(sizes)
    assert not page.external("file://") and not page.dialogs
