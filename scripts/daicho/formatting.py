"""How values are written on both sites: one place for numbers and the empty-value dash.

Counts are written with thousands separators (41,200) and an empty value as one dash (—,
U+2014) on the intranet and the public site alike. Downloads keep counts as numbers (XLSX number
cells, plain digits in CSV and JSON) and empty values as empty cells, so they can be computed on;
dates are YYYY-MM-DD there and 和暦 with the 西暦 on the pages (:func:`daicho.a11y.time_element`).
"""

from __future__ import annotations

from typing import Any

EMPTY = "—"  # U+2014, the same on every page (not ― U+2015 or － U+FF0D)


def number(value: Any) -> str:
    """A count for a page: 41,200; None as empty; anything else as written."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return "" if value is None else str(value)
