"""The site pages of the report: one page per FY with data, built by real MkDocs + Material."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from daicho import render, report, repository
from tests import report_fixture

TODAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="session")
def seed_repo(tmp_path_factory: pytest.TempPathFactory) -> repository.Repository:
    return report_fixture.session_repo(tmp_path_factory)


@pytest.fixture(scope="session")
def seed_pages(seed_repo: repository.Repository) -> dict[str, str]:
    return report.pages(seed_repo, TODAY)


def test_one_page_per_fy_with_data(seed_pages: dict[str, str], seed_repo: repository.Repository) -> None:
    assert sorted(seed_pages) == ["report/2022.md", "report/2023.md", "report/2024.md", "report/2025.md",
                                  "report/index.md"]
    page = seed_pages["report/2024.md"]
    assert page.startswith('---\ntitle: "運用状況 令和6年度"\n---\n\n<div class="daicho-report" data-search-body ')
    facets = page.split('data-search-facets="', 1)[1].split('"', 1)[0]
    assert json.loads(html.unescape(facets)) == {"種別": "運用状況"}  # the search filter's value
    assert "\n\n" not in page.split("---\n\n", 1)[1].strip()  # one HTML block, no blank line inside
    assert "年度途中" not in page
    index = seed_pages["report/index.md"]
    assert index.index("[令和7年度](2025.md)") < index.index("[令和6年度](2024.md)")
    # On a day inside FY2025 the FY2025 page says its figures are not final, and later FYs do not exist yet.
    early = report.pages(seed_repo, dt.date(2025, 6, 1))
    assert "年度途中のため確定値ではありません" in early["report/2025.md"]
    assert "年度途中" not in early["report/2024.md"]
    assert report.pages(seed_repo, dt.date(2024, 3, 31)).keys() == {"report/2022.md", "report/2023.md",
                                                                    "report/index.md"}


def test_page_lists_findings(seed_pages: dict[str, str]) -> None:
    page = seed_pages["report/2024.md"]
    assert "<h2>確認事項</h2>" in page and "確認が必要な事項はありません。" in page
    assert "記録の変更履歴がないため、確定後に数値が変わっていないかは確認していません。" in page


def test_site_provider_is_registered() -> None:
    assert report.pages in render.PROVIDERS


def test_pages_build_with_mkdocs_material(seed_pages: dict[str, str], tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    for rel, text in seed_pages.items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(text, encoding="utf-8")
    (docs / "index.md").write_text("# テスト\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: test\nstrict: true\nuse_directory_urls: false\n"
        "theme:\n  name: material\n  language: ja\n  font: false\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300, env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    built = (tmp_path / "site" / "report" / "2024.html").read_text(encoding="utf-8")
    assert "<h1>運用状況 令和6年度</h1>" in built
    assert built.count('<table class="daicho-report-grid" data-search-ignore>') == 8
    assert built.count('<svg role="img"') == 4 and built.count("<figcaption>") == 4
    assert "<td>477</td><td>439</td>" in built
    assert re.search(r'<tr class="total"><th scope="row">計</th><td>17</td><td></td><td>1</td><td>18</td></tr>', built)
    assert "&lt;td" not in built and "<p><tr" not in built  # Markdown left the block alone
    assert "<script" not in built.split('<div class="daicho-report" data-search-body', 1)[1].split("</article>", 1)[0]
    index = (tmp_path / "site" / "report" / "index.html").read_text(encoding="utf-8")
    assert 'href="2024.html"' in index
