"""Screenshots of the demo site for docs/records-guide.md, shared by ``make screenshots`` and the
printable-form browser test (tests/test_forms_browser.py).

``python -m tests.screenshots [OUT_DIR]`` builds the demo records as ``make build`` does
(strict, ``DAICHO_TODAY`` pinned), serves the site on 127.0.0.1, opens each page in headless
Chromium with nothing allowed off the machine, and writes optimised PNGs (a 64-colour palette:
the pages are text on flat colours) to OUT_DIR, by default docs/images/guide/.
"""

from __future__ import annotations

import io
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.browser import CHROMIUM, CHROMIUM_ARGS, ROOT, build_site, serve

GUIDE_DIR = ROOT / "docs" / "images" / "guide"
GUIDE_CONTRACT = "C-2025-D1501-001"  # a demo contract with a report and an inspection
A4_VIEWPORT = (794, 1123)  # 210 × 297 mm at 96 dpi
LOCAL = ("http://127.0.0.1", "file://", "data:", "blob:")


@dataclass(frozen=True)
class Shot:
    name: str  # the PNG's file name, without .png
    path: str  # the page in the built site
    media: str = "screen"  # "print" shows the page as it prints (no site chrome)
    viewport: tuple[int, int] = (1280, 1000)
    ready: str | None = None  # wait for this selector (pages that build themselves, the forms)
    click: str | None = None  # press this, then show what it brought up (scrolled into view)
    show: str | None = None


SHOTS = (
    Shot("contract", f"contracts/{GUIDE_CONTRACT}.html"),
    Shot("inspections", "inspections/2026.html"),
    Shot("inspection-sheet", f"contracts/{GUIDE_CONTRACT}/forms/inspection-written.html", "print", A4_VIEWPORT),
    Shot("entry", "entry/contract.html", ready="form.daicho-entry-form"),
    Shot("entry-file", f"entry/contract.html?edit={GUIDE_CONTRACT}", ready="form.daicho-entry-form",
         click="#entry-save", show="#entry-output-heading"),
)
BY_NAME = {s.name: s for s in SHOTS}

# docs/paperwork.md: each printed form, each letter and the PPC draft, as they print (A4).
PAPERWORK_DIR = ROOT / "docs" / "images" / "paperwork"
CHANGED_CONTRACT = "C-2024-D1401-001"  # a 新規 and a 変更 report, 特定個人情報 (第14条)
FAILED_CONTRACT = "C-2025-D1701-001"  # an inspection with an item judged 否
SUBCONTRACT_CONTRACT = "C-2025-D1301-001"  # a 再委託 approved
PAPERWORK_SHOTS = (
    Shot("checklist", f"contracts/{CHANGED_CONTRACT}/forms/checklist.html", "print", A4_VIEWPORT),
    Shot("special-terms", f"contracts/{CHANGED_CONTRACT}/forms/special-terms.html", "print", A4_VIEWPORT),
    Shot("report-change", f"contracts/{CHANGED_CONTRACT}/forms/report.html", "print", A4_VIEWPORT),
    Shot("inspection-filled", f"contracts/{FAILED_CONTRACT}/forms/inspection-1.html", "print", A4_VIEWPORT),
    Shot("letter-written-request", f"contracts/{GUIDE_CONTRACT}/letters/written-request-2025.html", "print",
         A4_VIEWPORT),
    Shot("letter-result", f"contracts/{FAILED_CONTRACT}/letters/result-1.html", "print", A4_VIEWPORT),
    Shot("letter-improvement", f"contracts/{FAILED_CONTRACT}/letters/improvement-1.html", "print", A4_VIEWPORT),
    Shot("letter-subcontract", f"contracts/{SUBCONTRACT_CONTRACT}/letters/subcontract-1.html", "print", A4_VIEWPORT),
    Shot("ppc-draft", "incidents/I-2024-D2101-01/ppc.html"),
    Shot("ppc-draft-print", "incidents/I-2024-D2101-01/ppc.html", "print", A4_VIEWPORT),
)


def optimise(png: bytes, colours: int = 64, *, sheet: bool = False) -> bytes:
    """The screenshot as a palette PNG: text on flat colours keeps its look at a fraction of the
    size. ``sheet`` frames a print-media shot like a sheet of paper (margin and edge)."""
    from PIL import Image, ImageOps

    image = Image.open(io.BytesIO(png)).convert("RGB")
    if sheet:
        image = ImageOps.expand(ImageOps.expand(image, border=40, fill="white"), border=1, fill="#999999")
    small = image.quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    small.save(out, "PNG", optimize=True)
    return out.getvalue()


def take(page: Any, base_url: str, shot: Shot, out_dir: Path) -> Path:
    """Open ``shot.path`` under ``base_url`` in ``page`` and save the optimised PNG in ``out_dir``."""
    width, height = shot.viewport
    page.set_viewport_size({"width": width, "height": height})
    page.emulate_media(media=shot.media)
    page.goto(base_url + shot.path, wait_until="load")
    if shot.ready:
        page.wait_for_selector(shot.ready)
    if shot.click:
        page.click(shot.click)
    if shot.show:
        page.locator(shot.show).evaluate("e => e.scrollIntoView({block: 'start'})")
        page.evaluate("window.scrollBy(0, -80)")  # below the sticky header
    page.evaluate("document.fonts.ready")
    png = page.screenshot(animations="disabled", caret="hide")
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{shot.name}.png"
    target.write_bytes(optimise(png, sheet=shot.media == "print"))
    return target


def local_only(context: Any) -> None:
    """Abort every request that would leave the machine."""
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(LOCAL)
                  else route.abort())


def main(argv: list[str]) -> int:
    out_dir = Path(argv[0]).resolve() if argv else GUIDE_DIR
    paper_dir = out_dir.parent / "paperwork" if argv else PAPERWORK_DIR
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} がありません（apt-get install chromium fonts-noto-cjk）", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="daicho-shots-") as tmp:
        site = Path(tmp) / "site"
        print("デモの記録でサイトを作成しています…", file=sys.stderr)
        build_site(ROOT, site)
        server = serve(site)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                context = browser.new_context(locale="ja-JP", service_workers="block")
                local_only(context)
                page = context.new_page()
                for shot, target in [*((s, out_dir) for s in SHOTS), *((s, paper_dir) for s in PAPERWORK_SHOTS)]:
                    path = take(page, server.url, shot, target)
                    print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}"
                          f"（{path.stat().st_size // 1024} KB）")
                browser.close()
        finally:
            server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
