"""The register tables in a real browser: filter and sort with the small vanilla script, over
http and from file:// (a site copied to a share and opened from disk), and usable without it."""

from __future__ import annotations

import pytest

from tests.browser import Built, Server, Watched


def visible_rows(page: Watched, table: str) -> list[str]:
    return page.page.eval_on_selector_all(
        f"#{table} tbody tr", "rows => rows.filter(r => !r.hidden).map(r => r.cells[0].textContent.trim())")


def check_filter_and_sort(page: Watched) -> None:
    p = page.page
    p.wait_for_selector("form.daicho-filter:not([hidden])")
    everything = visible_rows(page, "contracts-table")
    assert len(everything) > 5
    p.select_option("form.daicho-filter select[data-filter-col='5']", "指定管理")
    shown = visible_rows(page, "contracts-table")
    assert shown and len(shown) < len(everything)
    forms = p.eval_on_selector_all("#contracts-table tbody tr:not([hidden])", "rs => rs.map(r => r.cells[5].textContent)")
    assert set(forms) == {"指定管理"}
    assert p.text_content("[data-filter-count]") == f"{len(everything)} 件中 {len(shown)} 件を表示"
    p.select_option("form.daicho-filter select[data-filter-col='5']", "")
    p.fill("form.daicho-filter input[data-filter-text]", "東京ガス")
    assert all(r.startswith("C-") for r in visible_rows(page, "contracts-table"))
    assert 0 < len(visible_rows(page, "contracts-table")) < len(everything)
    p.fill("form.daicho-filter input[data-filter-text]", "")
    p.click("#contracts-table thead th:nth-child(1) button")  # ID ascending
    ids = visible_rows(page, "contracts-table")
    assert ids == sorted(ids)
    p.click("#contracts-table thead th:nth-child(1) button")  # and descending
    assert visible_rows(page, "contracts-table") == sorted(ids, reverse=True)
    assert p.get_attribute("#contracts-table thead th:nth-child(1)", "aria-sort") == "descending"


@pytest.mark.browser
def test_filter_and_sort_over_http(page: Watched, demo_server: Server) -> None:
    page.page.goto(demo_server.url + "contracts/index.html")
    check_filter_and_sort(page)
    assert not page.external(demo_server.url) and not page.dialogs


@pytest.mark.browser
def test_filter_and_sort_from_file(page: Watched, demo_site: Built) -> None:
    page.page.goto((demo_site.site / "contracts" / "index.html").as_uri())
    check_filter_and_sort(page)
    # Links between pages work from disk too (no directory URLs).
    with page.page.expect_navigation():
        page.page.click("#contracts-table tbody tr:not([hidden]) td:nth-child(2) a")
    page.page.wait_for_selector("h1")
    assert page.page.url.startswith("file://") and page.page.url.endswith(".html")
    assert page.page.locator("h1").count() == 1
    assert not page.external("file://")


@pytest.mark.browser
def test_tables_are_complete_without_javascript(browser, demo_server: Server) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    p = context.new_page()
    p.goto(demo_server.url + "jimu/index.html")
    assert not p.is_visible("form.daicho-filter")  # the controls need the script; the table does not
    rows = p.eval_on_selector_all("#jimu-table tbody tr", "rs => rs.filter(r => !r.hidden).length")
    assert rows > 10
    context.close()


@pytest.mark.browser
def test_dashboard_filters_by_kind_department_and_status_from_the_keyboard(page: Watched,
                                                                           demo_server: Server) -> None:
    p = page.page
    p.goto(demo_server.url + "index.html")
    p.wait_for_selector("form.daicho-filter:not([hidden])")
    everything = visible_rows(page, "duties-table")
    assert len(everything) > 5

    def cells(col: int) -> list[str]:
        return p.eval_on_selector_all(
            "#duties-table tbody tr:not([hidden])", f"rs => rs.map(r => r.cells[{col}].textContent.trim())")

    # Keyboard only: tab from the text box to the kind select and pick with the arrow keys.
    p.focus("form.daicho-filter input[data-filter-text]")
    p.keyboard.press("Tab")
    assert p.evaluate("document.activeElement.getAttribute('data-filter-col')") == "1"
    while "訂正決定" not in p.evaluate("document.activeElement.value"):
        p.keyboard.press("ArrowDown")
    assert cells(1) == ["訂正決定"] and "R-2026-0005" in visible_rows(page, "duties-table")[0]
    p.select_option("select[data-filter-col='1']", "")
    p.select_option("select[data-filter-col='2']", "国保年金課")
    depts = cells(2)
    assert depts and all("国保年金課" in d for d in depts) and "市民課・国保年金課" in depts
    p.select_option("select[data-filter-col='2']", "")
    p.select_option("select[data-filter-col='5']", "期限切れ")
    assert set(cells(5)) == {"期限切れ"} and all(d.endswith("日超過") for d in cells(4))
    assert p.text_content("[data-filter-count]") == f"{len(everything)} 件中 {len(cells(5))} 件を表示"
    assert not page.external(demo_server.url) and not page.dialogs


@pytest.mark.browser
def test_inspection_year_filters_by_kind(page: Watched, demo_server: Server) -> None:
    p = page.page
    p.goto(demo_server.url + "inspections/2026.html")
    p.wait_for_selector("form.daicho-filter:not([hidden])")
    p.select_option("select[data-filter-col='1']", "実地検査")
    kinds = p.eval_on_selector_all("#inspections-table tbody tr:not([hidden])",
                                   "rs => rs.map(r => r.cells[1].textContent.trim())")
    assert kinds and all(k.startswith("実地検査（") for k in kinds) and "実地検査（令和8〜10年度）" in kinds
