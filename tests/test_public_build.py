"""The public build (issue 5 §1, §2): what it contains, and that it fails closed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import Server, Watched, serve
from tests.conftest import ROOT

ALLOWED = {".html", ".css", ".js", ".json", ".xml", ".gz", ".png", ".csv", ".xlsx"}


def _copy(tmp: Path) -> Path:
    repo = tmp / "repo"
    for name in ("records", "schemas", "docs-public"):
        shutil.copytree(ROOT / name, repo / name)
    shutil.copy(ROOT / "mkdocs.public.yml", repo)
    return repo


def _build(repo: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DAICHO_TODAY": "2026-11-26", "NO_MKDOCS_2_WARNING": "1"}
    # The documented command (README, make public): daicho build --public.
    return subprocess.run([sys.executable, "-m", "daicho", "build", "--public", "--root", str(repo)],
                          cwd=repo, capture_output=True, text=True, env=env, timeout=600)


@pytest.fixture(scope="module")
def public_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = _copy(tmp_path_factory.mktemp("public-site"))
    result = _build(repo)
    assert result.returncode == 0, result.stderr[-3000:]
    return repo / "site-public"


@pytest.fixture(scope="module")
def public_server(public_site: Path) -> Iterator[Server]:
    server = serve(public_site)
    yield server
    server.close()


def test_public_site_has_index_sheets_downloads_and_only_allowed_types(public_site: Path) -> None:
    files = [p for p in public_site.rglob("*") if p.is_file() and p.name not in ("csp.txt", "_headers")]
    assert {p.suffix for p in files} <= ALLOWED
    for name in ("filebook.csv", "filebook.xlsx", "filebook.json"):
        assert (public_site / "downloads" / name).stat().st_size > 1000
    index = (public_site / "index.html").read_text(encoding="utf-8")
    assert "個人情報ファイル簿" in index and "最終更新日" in index and "八千代市長" in index
    sheets = sorted((public_site / "files").glob("*.html"))
    assert len(sheets) >= 10
    sheet = (public_site / "files" / "F-D1501-001.html").read_text(encoding="utf-8")
    order = ["個人情報ファイルの名称", "行政機関等の名称", "個人情報ファイルの利用目的", "記録項目", "記録範囲",
             "記録情報の収集方法", "要配慮個人情報が含まれるときは、その旨", "記録情報の経常的提供先",
             "開示請求等を受理する組織の名称及び所在地", "個人情報ファイルの種別", "備考"]
    positions = [sheet.index(label) for label in order]
    assert positions == sorted(positions)
    # Exempt and abolished entries are not published.
    assert not (public_site / "files" / "F-D1103-001.html").exists()
    assert not (public_site / "files" / "F-D1702-001.html").exists()
    # No request may leave the site: no CDN, no web fonts.
    for page in public_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "cdn.jsdelivr" not in text, page


def test_withheld_parts_are_marked_and_their_reasons_stay_internal(public_site: Path) -> None:
    sheet = (public_site / "files" / "F-D1603-001.html").read_text(encoding="utf-8")
    assert "法第75条第3項により記載しない" in sheet
    from daicho import repository

    repo = repository.load(ROOT)
    reasons = [w["理由"] for w in repo.get("F-D1603-001").data["公表しない部分"]]
    hidden = [i for w in repo.get("F-D1603-001").data["公表しない部分"] for i in w.get("記録項目", [])]
    assert reasons and not any(r in sheet for r in reasons)
    assert not any(f"<li>{i}</li>" in sheet for i in hidden)


@pytest.mark.parametrize("change, message", [
    (lambda r: (r / "docs-public" / "notes.txt").write_text("内部メモ", encoding="utf-8"), "Markdown 以外"),
    # A page outside the nav is refused whatever it holds (tests/test_public_pages.py checks
    # comments, raw HTML and includes in pages that are in the nav).
    (lambda r: (r / "docs-public" / "notes.md").write_text("# 問い合わせ\n<!-- 内線 1234 -->\n", encoding="utf-8"),
     "ナビゲーション"),
    (lambda r: _edit_config(r, "repo_url: https://git.intra.example/privacy/daicho\n"), "repo_url"),
    (lambda r: _edit_config(r, "", plugin="  - search\n"), "プラグイン"),
    (lambda r: _edit_config(r, "markdown_extensions:\n  - pymdownx.snippets\n"), "snippets"),
])
def test_public_build_refuses_what_could_leak(tmp_path: Path, change, message: str) -> None:
    repo = _copy(tmp_path)
    change(repo)
    result = _build(repo)
    assert result.returncode != 0
    assert message in result.stderr, result.stderr[-2000:]
    assert "Traceback" not in result.stderr


def _edit_config(repo: Path, extra: str, plugin: str = "") -> None:
    path = repo / "mkdocs.public.yml"
    text = path.read_text(encoding="utf-8").replace("  - daicho-public\n", "  - daicho-public\n" + plugin)
    path.write_text(text + extra, encoding="utf-8")


def test_record_errors_stop_the_public_build(tmp_path: Path) -> None:
    repo = _copy(tmp_path)
    target = repo / "records" / "files" / "F-D1501-001.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("種別: 電算処理ファイル", "種別: 電算"),
                      encoding="utf-8")
    result = _build(repo)
    assert result.returncode != 0
    assert "records/files/F-D1501-001.yaml:" in result.stderr and "E-SCHEMA-ENUM" in result.stderr
    assert not (repo / "site-public" / "index.html").exists()


@pytest.mark.browser
@pytest.mark.parametrize("query, expected", [
    ("住民基本台帳", "files/F-D1401-001.html"),
    ("健康づくり課", "files/F-D1501-001.html"),
    ("救急", "files/F-D7103-001.html"),
    ("卒業アルバム", "incidents.html"),
])
def test_public_search_finds_japanese_terms(page: Watched, public_server: Server, query: str,
                                            expected: str) -> None:
    page.page.goto(public_server.url + "search.html?q=" + query)
    page.page.wait_for_function(
        "q => document.getElementById('daicho-search-status').textContent.includes('「' + q + '」')",
        arg=query, timeout=15_000)
    hrefs = page.page.eval_on_selector_all("#daicho-results a.daicho-result-title", "as => as.map(a => a.href)")
    assert expected in [h.removeprefix(public_server.url) for h in hrefs]
    assert not page.external(public_server.url)
