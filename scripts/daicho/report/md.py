"""The report as a Markdown document (``daicho report --format md``): pipe tables with one
header line, blank cells kept blank, footnotes under their table."""

from __future__ import annotations

import html

from daicho.report.findings import Findings
from daicho.report.tables import Report, Table


def _cell(text: str) -> str:
    # Labels can come from the records (実施機関 names): no markup, no table breaks.
    return html.escape(text, quote=False).replace("|", "\\|").replace("\n", " ")


def table(t: Table) -> list[str]:
    labels = t.column_labels()
    lines = [f"### {_cell(t.heading)}", "",
             "| " + " | ".join(_cell(x) for x in labels) + " |",
             "|" + "---|" + "--:|" * (len(labels) - 1)]
    for row in t.rows:
        label = f"**{_cell(row.label)}**" if row.total else _cell(row.label)
        lines.append("| " + " | ".join([label, *(_cell(c) for c in row.cells)]) + " |")
    lines.append("")
    for note in t.notes:
        lines += [_cell(note), ""]
    return lines


def document(report: Report, findings: Findings | None = None) -> str:
    lines = [f"# {report.title}", ""]
    for heading, tables in report.sections():
        lines += [f"## {heading}", ""]
        for t in tables:
            lines += table(t)
    for note in report.missing:
        lines += [_cell(note), ""]
    if findings is not None:
        lines += ["## 確認事項", ""]
        lines += [f"- {_cell(f.text())}" for f in findings.items] or ["確認が必要な事項はありません。"]
        lines += [""] + [f"- {_cell(n)}" for n in findings.notes]
    return "\n".join(lines).rstrip() + "\n"
