"""The site's own static files (CSS, the table filter, the search page script), shipped in the
package under ``daicho/assets`` and published under ``assets/daicho/``."""

from __future__ import annotations

import json
from pathlib import Path

from daicho.model import Repository
from daicho.typemodel import model

ASSETS = Path(__file__).resolve().parent.parent / "assets"
PREFIX = "assets/daicho/"
# Site section → what search.js labels a result from it (from the type model; see search_kinds).
KINDS = PREFIX + "kinds.json"
# Page families that are not one record type's pages, as search results name them.
FAMILIES = {"departments": "所管課", "inspections": "検査状況", "report": "運用状況"}


def search_kinds(repo: Repository) -> dict[str, str]:
    """Site section → the label of a search result from it: each record type's x-daicho
    ``page`` and ``label``, and the other page families."""
    return {**{t.page: t.label for t in model(repo.schema_dir).types.values() if t.page}, **FAMILIES}


def files(kinds: dict[str, str] | None = None) -> dict[str, bytes]:
    out = {PREFIX + p.name: p.read_bytes() for p in sorted(ASSETS.iterdir()) if p.is_file()}
    if kinds is not None:
        out[KINDS] = json.dumps(kinds, ensure_ascii=False, sort_keys=True).encode()
    return out
