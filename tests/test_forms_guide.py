"""docs/records-guide.md and its screenshots (issue 7 §5): every image the guide shows exists, is
a small PNG with a description, and is one that ``make screenshots`` takes (so it can be redone)."""

from __future__ import annotations

import re
import struct
from pathlib import Path, PurePosixPath

from tests.browser import ROOT
from tests.screenshots import GUIDE_DIR, SHOTS

GUIDE = ROOT / "docs" / "records-guide.md"
MAX_BYTES = 150_000


def images(markdown: str) -> list[tuple[str, str]]:
    """(alt text, target) of every Markdown image and <img> in a page."""
    found = re.findall(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)", markdown)
    found += [(alt, src) for src, alt in re.findall(r"<img\s[^>]*src=\"([^\"]+)\"[^>]*alt=\"([^\"]*)\"", markdown)]
    return found


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} は PNG ではありません"
    return struct.unpack(">II", head[16:24])


def test_every_image_the_guide_references_exists() -> None:
    refs = images(GUIDE.read_text(encoding="utf-8"))
    assert refs, "the guide shows the site"
    for alt, target in refs:
        assert not re.match(r"[a-z]+:", target), f"外部の画像は使えません: {target}"
        path = (GUIDE.parent / PurePosixPath(target)).resolve()
        assert path.is_file(), f"{GUIDE.name} が参照する画像がありません: {target}"
        assert alt.strip(), f"{target} に代替テキストがありません"
        width, height = png_size(path)
        assert width >= 600 and height >= 400, (target, width, height)
        assert path.stat().st_size < MAX_BYTES, f"{target} は {path.stat().st_size} バイト（上限 {MAX_BYTES}）"


def test_guide_shows_every_screenshot_and_nothing_stale() -> None:
    shown = {(GUIDE.parent / t).resolve() for _, t in images(GUIDE.read_text(encoding="utf-8"))}
    taken = {(GUIDE_DIR / f"{s.name}.png").resolve() for s in SHOTS}
    assert taken <= shown, f"make screenshots が撮るのにガイドにない画像: {sorted(p.name for p in taken - shown)}"
    on_disk = {p.resolve() for p in GUIDE_DIR.glob("*.png")}
    assert on_disk == taken, f"make screenshots で撮り直せない画像: {sorted(p.name for p in on_disk - taken)}"
