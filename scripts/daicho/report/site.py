"""Site pages: one 運用状況 page per FY that has data, and an index of them.

``pages(repo, today)`` is a page provider for the site (``daicho.render.PROVIDERS``): it returns
{path: Markdown}. Each page is front matter plus one raw HTML block rendered by the autoescaped
templates, so no record text passes through Markdown.
"""

from __future__ import annotations

import datetime as dt
import json

from daicho.dates import fiscal_year, fy_label
from daicho.report import charts, counting, findings, history, html, tables
from daicho.repository import Repository

FOLDER = "report"


def _front(title: str) -> str:
    return f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n---\n\n"


def report_page(repo: Repository, fy: int, today: dt.date) -> str:
    report = tables.build(repo, fy, today=today)
    found = findings.collect(repo, [report.compare, fy], today, grace_days=history.grace_days(repo))
    body = html.block(report, charts.build(repo, report), found, today=today.isoformat())
    return _front(report.title) + body + "\n"


def years(repo: Repository, today: dt.date) -> list[int]:
    """FYs with 開示請求 or usage records, up to the current one."""
    return [fy for fy in counting.fiscal_years_with_data(repo) if fy <= fiscal_year(today)]


def pages(repo: Repository, today: dt.date) -> dict[str, str]:
    fys = years(repo, today)
    if not fys:
        return {}
    out = {f"{FOLDER}/{fy}.md": report_page(repo, fy, today) for fy in fys}
    links = "\n".join(f"- [{fy_label(fy)}]({fy}.md)" for fy in reversed(fys))
    out[f"{FOLDER}/index.md"] = (
        _front("運用状況") + "個人情報保護制度の運用状況（審議会報告 議題2 資料1）を年度ごとに記録から集計しています。"
        "各ページは A4 で印刷できます。\n\n" + links + "\n")
    return out
