"""The site's own static files (CSS, the table filter, the search page script), shipped in the
package under ``daicho/assets`` and published under ``assets/daicho/``."""

from __future__ import annotations

from pathlib import Path

ASSETS = Path(__file__).resolve().parent.parent / "assets"
PREFIX = "assets/daicho/"
def files() -> dict[str, bytes]:
    return {PREFIX + p.name: p.read_bytes() for p in sorted(ASSETS.iterdir()) if p.is_file()}
