"""The printable 遵守状況検査書 in headless Chromium (issue 7 acceptance): 契約件名, 受託者 and
all eight check items on screen; in print media the site's chrome is gone and the sheet prints
on one A4 page. The screenshot and the PDF are kept in test-artifacts/forms/ for a reviewer."""

from __future__ import annotations

import re

import pytest

from daicho import repository
from daicho.forms import load_forms
from daicho.render import forms
from tests.browser import ROOT, Server, Watched
from tests.screenshots import BY_NAME, GUIDE_CONTRACT, take

ARTIFACTS = ROOT / "test-artifacts" / "forms"
A4_POINTS = (595.3, 841.9)  # 210 mm × 297 mm


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\]", pdf)
    return [(float(w), float(h)) for w, h in boxes]


@pytest.mark.browser
@pytest.mark.parametrize("slug", ["inspection-onsite", "inspection-written"])
def test_printable_inspection_sheet_on_screen_and_on_a4(page: Watched, demo_server: Server, slug: str) -> None:
    repo = repository.load(ROOT)
    contract = repo.get(GUIDE_CONTRACT)
    assert contract is not None
    items = load_forms(repo.schema_dir).inspection_items
    p = page.page
    p.set_viewport_size({"width": 1280, "height": 900})
    # Reached the way a clerk does: from the contract page's 「印刷用の様式」 list.
    p.goto(demo_server.url + f"contracts/{GUIDE_CONTRACT}.html")
    link = p.get_by_role("navigation", name="印刷用の様式").get_by_role(
        "link", name=next(f.link for f in forms.FORMS if f.slug == slug))
    with p.expect_navigation():
        link.click()
    assert p.url.endswith(forms.form_page(GUIDE_CONTRACT, slug).replace(".md", ".html"))

    sheet = p.locator("article.daicho-form")
    cells = sheet.locator("tr").filter(has=p.locator("th", has_text="契約件名")).locator("td")
    assert cells.inner_text().strip() == contract.data["案件名"] and cells.is_visible()
    cells = sheet.locator("tr").filter(has=p.locator("th", has_text="受託者")).locator("td")
    assert cells.inner_text().strip() == contract.data["受託者"]["名称"] and cells.is_visible()
    for item in items:
        row = sheet.locator("tr").filter(has=p.locator("td.daicho-no", has_text=re.compile(rf"^{item['No']}$")))
        assert row.count() == 1, item["No"]
        for text in (item["点検項目"], item["点検事項"]):
            assert row.get_by_text(text, exact=True).is_visible(), text
    header = p.locator(".md-header")
    navigation = p.locator(".md-sidebar--primary")
    tools = p.locator(".daicho-form-tools")
    assert header.is_visible() and navigation.is_visible() and tools.is_visible()

    p.emulate_media(media="print")
    assert header.is_hidden() and navigation.is_hidden() and tools.is_hidden()
    assert p.locator(".md-footer").is_hidden()
    assert sheet.is_visible() and sheet.get_by_text(contract.data["案件名"], exact=True).is_visible()

    # Chromium's default paper is Letter: A4 can only come from the sheet's own @page rule.
    pdf = p.pdf(format="Letter", prefer_css_page_size=True, print_background=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{slug}.pdf").write_bytes(pdf)
    sizes = pdf_pages(pdf)
    assert len(sizes) == 1, f"the sheet must fit on one page: {sizes}"
    assert all(abs(w - A4_POINTS[0]) < 2 and abs(h - A4_POINTS[1]) < 2 for w, h in sizes), sizes

    shot = BY_NAME["inspection-sheet"]
    shot = type(shot)(slug, forms.form_page(GUIDE_CONTRACT, slug).replace(".md", ".html"), "print", shot.viewport)
    png = take(p, demo_server.url, shot, ARTIFACTS)
    assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 10_000
    assert not page.external(demo_server.url) and not page.dialogs
