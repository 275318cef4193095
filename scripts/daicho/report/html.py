"""HTML for the report: a standalone printable page and the block embedded in the site page.

Everything goes through the Jinja2 templates in ``templates/report/`` with autoescape on, so a
label taken from the records (a 実施機関's name) cannot inject markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2

from daicho.a11y import time_element
from daicho.dates import fy_label, wareki_with_iso
from daicho.report import charts as charts_mod
from daicho.report.findings import Findings
from daicho.report.tables import Report, Table

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@dataclass
class HeaderCell:
    text: str
    colspan: int = 1
    rowspan: int = 1


def header_rows(table: Table) -> list[list[HeaderCell]]:
    """The table head as 資料1 draws it: a group label (処理状況, 根拠法令, 令和5年度末) spans
    its columns, and a column without a group spans the header's full height."""
    cols = table.columns
    depth = max(len(p) for p in cols)
    rows: list[list[HeaderCell]] = [[] for _ in range(depth)]
    rows[0].append(HeaderCell(table.stub, 1, depth))
    for level in range(depth):
        i = 0
        while i < len(cols):
            path = cols[i]
            if len(path) <= level:
                i += 1
            elif len(path) == level + 1:
                rows[level].append(HeaderCell(path[level], 1, depth - level))
                i += 1
            else:
                j = i
                while j < len(cols) and len(cols[j]) > level + 1 and cols[j][:level + 1] == path[:level + 1]:
                    j += 1
                rows[level].append(HeaderCell(path[level], j - i, 1))
                i = j
    return rows


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(header_rows=header_rows, layout=charts_mod.layout, wareki=wareki_with_iso)
    env.filters["fy"] = fy_label
    env.filters["time"] = time_element  # <time datetime> around the 和暦 (a11y)
    return env


def _compact(html: str) -> str:
    # No blank lines: the block is embedded in Markdown, where a blank line could end it.
    return "\n".join(line for line in html.splitlines() if line.strip())


def block(report: Report, charts: list[charts_mod.Chart], findings: Findings | None,
          *, today: str, heading_level: int = 2) -> str:
    """The report as one ``<div>`` (tables, charts, findings) with its own print CSS."""
    template = environment().get_template("report/block.html")
    return _compact(template.render(report=report, charts=charts, findings=findings, today=today,
                                    h=heading_level))


def standalone(report: Report, charts: list[charts_mod.Chart], findings: Findings | None,
               *, today: str) -> str:
    """A whole printable HTML document (A4)."""
    template = environment().get_template("report/standalone.html")
    body = block(report, charts, findings, today=today, heading_level=2)
    return template.render(report=report, body=jinja2.filters.Markup(body)) + "\n"
