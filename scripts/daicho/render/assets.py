"""The site's own static files (CSS, the table filter, the search page script), shipped in the
package under ``daicho/assets`` and published under ``assets/daicho/``."""

from __future__ import annotations

import json
from pathlib import Path

ASSETS = Path(__file__).resolve().parent.parent / "assets"
PREFIX = "assets/daicho/"
# Site section → what search.js labels a result from it (from the type model; see search_kinds).
KINDS = PREFIX + "kinds.json"


def files(kinds: dict[str, str] | None = None) -> dict[str, bytes]:
    out = {PREFIX + p.name: p.read_bytes() for p in sorted(ASSETS.iterdir()) if p.is_file()}
    if kinds is not None:
        out[KINDS] = json.dumps(kinds, ensure_ascii=False, sort_keys=True).encode()
    return out
