"""The annual 運用状況 report for the council (議題2 資料1), generated from the records.

- :mod:`.counting` — the counting rules (the only place records are counted);
- :mod:`.tables` — 資料1's tables, labels, footnotes and blank-or-0 cells;
- :mod:`.md`, :mod:`.html`, :mod:`.tabular` — Markdown, HTML, CSV and XLSX renderers;
- :mod:`.charts` — year-over-year bar charts as inline SVG;
- :mod:`.findings`, :mod:`.history` — consistency findings the office checks before the meeting;
- :mod:`.site` — ``pages(repo, today)``, one site page per FY.
"""

from __future__ import annotations

from daicho.report.site import pages
from daicho.report.tables import Report, Table, build

__all__ = ["Report", "Table", "build", "pages"]
