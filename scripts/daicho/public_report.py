"""運用状況 pages of the public site (settings 公表.運用状況を公開): the council report's tables and
charts for the fiscal years that have ended, nothing else.

Only aggregates leave here: the report's counts per 実施機関 (:mod:`daicho.report.tables`) and
the charts drawn from them. The report's 確認事項 (findings) and its notes on missing records
(both name record files) stay on the intranet; the year in progress is left out until it has ended.
"""

from __future__ import annotations

import datetime as dt

from daicho.dates import fiscal_year, fy_label
from daicho.public_site import page_source
from daicho.report import charts, html, site, tables
from daicho.repository import Repository

FOLDER = "report"
TITLE = "運用状況"


def enabled(repo: Repository) -> bool:
    return repo.settings.get("公表", {}).get("運用状況を公開", False) is True


def years(repo: Repository, today: dt.date) -> list[int]:
    """Ended FYs with 開示請求 or usage records."""
    return [fy for fy in site.years(repo, today) if fy < fiscal_year(today)]


def pages(repo: Repository, today: dt.date) -> dict[str, str]:
    """{path: Markdown} for 運用状況 (an index and one page per ended FY); empty when not published."""
    if not enabled(repo):
        return {}
    fys = years(repo, today)
    out = {}
    for fy in fys:
        report = tables.build(repo, fy, today=today)
        # Notes on missing records name repository files: a matter for the office, not citizens.
        report.missing = []
        body = html.block(report, charts.build(repo, report), None, today=today.isoformat())
        out[f"{FOLDER}/{fy}.md"] = page_source(report.title, body)
    links = "".join(f'<li><a href="{fy}.html">{fy_label(fy)}</a></li>' for fy in reversed(fys))
    intro = ("<p>個人情報の保護に関する法律の施行の状況（個人情報ファイル簿の件数、開示請求の処理状況、"
             "目的外利用・外部提供の件数）を、年度ごとにまとめています。個人情報保護審議会に報告したものと同じ表です。</p>")
    listing = f"<ul>{links}</ul>" if fys else "<p>公表している年度はまだありません。</p>"
    out[f"{FOLDER}/index.md"] = page_source(
        TITLE, f'<div class="daicho-public" data-search-body>\n<h1>{TITLE}</h1>\n{intro}\n{listing}\n</div>')
    return out
