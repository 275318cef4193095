"""Benchmark: build the intranet site from the demo records and report where the time goes.

Prints the generation time (``daicho.render.pages``), the full ``mkdocs build --strict`` (with
the search index), pages per second, and the search bundle size. Not a test: numbers vary
with the machine; run it with ``make bench`` or ``python benchmarks/site_build.py``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-26"


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def run(root: Path = ROOT) -> dict[str, float]:
    from daicho import render, repository

    started = time.perf_counter()
    repo = repository.load(root)
    loaded = time.perf_counter()
    pages = render.pages(repo, dt.date.fromisoformat(TODAY))
    generated = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="daicho-bench-") as tmp:
        site = Path(tmp) / "site"
        env = {**os.environ, "DAICHO_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1"}
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"),
                               "-d", str(site)], cwd=root, env=env, capture_output=True, text=True)
        build = time.perf_counter() - t0
        if proc.returncode != 0:
            raise SystemExit(f"mkdocs build failed:\n{proc.stderr[-2000:]}")
        search = re.search(r"検索インデックス (\d+) ページ（([\d.]+) 秒）", proc.stderr)
        html = list(site.rglob("*.html"))
        return {
            "records": len(repo.records),
            "pages": len(pages),
            "load_s": loaded - started,
            "pages_s": generated - loaded,
            "build_s": build,
            "search_pages": int(search.group(1)) if search else 0,
            "search_s": float(search.group(2)) if search else 0.0,
            "html_files": len(html),
            "html_mb": sum(p.stat().st_size for p in html) / 1e6,
            "index_mb": _size(site / "search-index") / 1e6,
        }


def main() -> None:
    r = run()
    print("サイトのビルド（デモの記録）")
    print(f"  記録 {r['records']:.0f} 件 → 生成ページ {r['pages']:.0f}（HTML {r['html_files']:.0f} ファイル、{r['html_mb']:.1f} MB）")
    print(f"  読み込みと検査           {r['load_s']:6.2f} s")
    print(f"  ページ生成 pages()        {r['pages_s']:6.2f} s  ({r['pages'] / r['pages_s']:.0f} pages/s)")
    print(f"  mkdocs build --strict    {r['build_s']:6.2f} s  ({r['pages'] / r['build_s']:.1f} pages/s、検索込み)")
    print(f"    うち検索インデックス    {r['search_s']:6.2f} s  ({r['search_pages']:.0f} ページ、{r['index_mb']:.2f} MB)")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "scripts"))
    main()
