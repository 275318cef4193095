"""The plugin's fast paths: a generated page that is one HTML block skips Python-Markdown,
which would return it unchanged at the cost of about half the build (``raw_pages``); the
navigation is rendered once per folder for the pages outside it (``nav_cache``).

The site fixture plus the hostile records is built twice with the real ``mkdocs build
--strict``, with and without a fast path: every file of the two sites must be identical.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from tests.browser import ROOT, build_site, make_repo

FIXTURE = ROOT / "tests" / "fixtures" / "site"


def with_plugin_options(root: Path, **options: object) -> None:
    config = root / "mkdocs.yml"
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["plugins"] = [{"daicho": {**(p["daicho"] or {}), **options}} if isinstance(p, dict) and "daicho" in p else p
                       for p in data["plugins"]]
    config.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_pages_built_without_markdown_are_identical_to_converted_ones(tmp_path: Path) -> None:
    sites = {}
    for raw in (True, False):
        root = make_repo(tmp_path / f"repo-{raw}", FIXTURE / "records")
        shutil.copytree(FIXTURE / "hostile" / "records", root / "records", dirs_exist_ok=True)
        with_plugin_options(root, search=False, raw_pages=raw)
        log = build_site(root, root / "site")
        sites[raw] = files_of(root / "site")
        skipped = re.search(r"daicho: (\d+) ページは HTML のまま", log.stdout + log.stderr)
        assert skipped, log.stderr
        generated = sum(1 for p in sites[raw] if p.startswith(("jimu/", "files/", "contracts/")))
        assert (int(skipped.group(1)) > generated // 2) if raw else int(skipped.group(1)) == 0
    fast, converted = sites[True], sites[False]
    assert fast.keys() == converted.keys()
    different = [path for path in fast if fast[path] != converted[path]]
    assert different == []
    assert any(p.startswith("jimu/J-") for p in fast)


def test_the_navigation_rendered_once_per_folder_is_the_one_material_renders(tmp_path: Path) -> None:
    """``nav_cache`` (daicho/navcache.py) reuses a folder's navigation for the pages outside the
    nav; the site must be the one Material builds when it renders the navigation every time."""
    sites = {}
    for cached in (True, False):
        root = make_repo(tmp_path / f"repo-{cached}", FIXTURE / "records")
        shutil.copytree(FIXTURE / "hostile" / "records", root / "records", dirs_exist_ok=True)
        with_plugin_options(root, search=False, nav_cache=cached)
        build_site(root, root / "site")
        sites[cached] = files_of(root / "site")
    assert sites[True].keys() == sites[False].keys()
    assert [path for path in sites[True] if sites[True][path] != sites[False][path]] == []
    navs = {path: re.search(rb'<nav class="md-nav md-nav--primary".*?</nav>', body, re.S)
            for path, body in sites[True].items() if path.startswith("contracts/")}
    assert len(navs) > 2 and all(navs.values())  # the compared pages do carry the navigation
