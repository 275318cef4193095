"""Benchmark: a prefecture-sized 台帳 (``BENCH_N`` records, default 1,000) end to end.

One run measures, on a corpus from ``benchmarks/corpus.py``, and prints one table:

- the floor for reading: bare ``yaml.load(..., CSafeLoader)`` of the same files (one process);
- ``daicho validate`` cold (a first run, which also fills the cache) and with the cache off;
- check-jsonschema, one run per record type (schema check only, what a team would otherwise use);
- ``daicho validate`` warm, after changing one file (the pre-commit case);
- the intranet build (``mkdocs build --strict`` with the plugin) without and with the search
  index, against its floor: the same pages pre-rendered (``daicho build --docs-out``) and built
  by plain MkDocs with no plugin and no search;
- the public build; output bytes per record page; the search index; the bytes one query
  transfers and how long until its results show, measured in headless Chromium (every response
  body the page receives from the moment the query is typed, summed).

Each command runs as a child process; its wall time and peak RSS (``os.wait4``, which covers
the processes it waited for) are reported. Numbers vary with the machine and its load: run
``make bench`` (``BENCH_N=20000 make bench`` for the target size, most of it check-jsonschema
and the site builds);
``BENCH_PARTS`` picks rows: ``validate``, ``site`` (builds without search), ``search``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))  # tests.browser (build, serve) and tests.search_queries

import corpus as corpus_mod  # noqa: E402

BIN = Path(sys.executable).parent
TODAY = "2026-11-26"
OUT = ROOT / "benchmarks" / "out"
RECORD_SECTIONS = ("jimu", "files", "contracts", "incidents")
QUERIES = ("委託契約書", "がん検診")
TYPE_FOLDERS = {"jimu": "jimu", "file": "files", "contract": "contracts", "incident": "incidents",
                "disclosure": "disclosure", "usage": "usage"}

FLOOR_SCRIPT = """
import sys, yaml
from pathlib import Path
n = 0
for p in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader)
    n += 1
print(n)
"""


@dataclass
class Run:
    seconds: float
    rss_mb: float
    cpu: float  # user + system seconds of the process and the children it waited for
    code: int
    out: str
    err: str


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, check: bool = True) -> Run:
    """Run ``cmd`` to the end; wall time and peak RSS of it and the children it waited for."""
    env = {**os.environ, "DAICHO_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1", "DAICHO_PROGRESS": "0",
           **(env or {})}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = Run(seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, proc.returncode,
                     out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))
    if check and result.code != 0:
        raise SystemExit(f"failed ({result.code}): {' '.join(cmd)}\n{result.out[-3000:]}\n{result.err[-3000:]}")
    return result


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def plain_config(root: Path, docs: Path, site: Path) -> Path:
    """mkdocs.yml for the floor: the same theme and nav over pre-rendered pages, no plugins."""
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config.update(docs_dir=str(docs), site_dir=str(site), plugins=[], strict=False)
    config.pop("watch", None)
    path = docs.parent / "mkdocs.plain.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def touch_one(root: Path, which: int = 0) -> tuple[Path, bytes]:
    """Change one record as an edit would (new bytes, still valid); returns the original."""
    files = sorted((root / "records" / "jimu").glob("*.yaml"))
    target = files[len(files) // 2 + which]
    original = target.read_bytes()
    target.write_bytes(original + "# ベンチマークで追記\n".encode())
    return target, original


def without_search(root: Path) -> Path:
    """mkdocs.yml with the plugin's search index step turned off (``search: false``)."""
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = [{"daicho": {**(p["daicho"] or {}), "search": False}} if isinstance(p, dict) and "daicho" in p
                         else p for p in config["plugins"]]
    path = root / "mkdocs.nosearch.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


INPAGE_TIMER = """
document.addEventListener("input", () => { window.__benchInput = performance.now(); window.__benchShown = null; }, true);
new MutationObserver(() => {
  const status = document.getElementById("daicho-search-status"), box = document.getElementById("daicho-q");
  if (status && box && window.__benchShown === null && status.textContent.includes("「" + box.value.trim() + "」")) {
    window.__benchShown = performance.now();
  }
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


ALL_SHOWN = """() => {
  const m = /: ([0-9,]+) 件/.exec(document.getElementById("daicho-search-status").textContent);
  return !m || document.querySelectorAll("#daicho-results li").length === Math.min(20, Number(m[1].replace(/,/g, "")));
}"""


def search_in_chromium(site: Path, queries: list[str]) -> list[dict] | None:
    """Type each query on search.html; per query: ms until its results show, KB received,
    results shown and their links (site-relative)."""
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        return None
    from playwright.sync_api import sync_playwright
    from tests.browser import CHROMIUM_ARGS, serve

    server = serve(site)
    out: list[dict] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
            context = browser.new_context(locale="ja-JP", service_workers="block")
            page = context.new_page()
            received: list[int] = []

            def on_response(response: object) -> None:
                try:
                    received.append(len(response.body()))  # type: ignore[attr-defined]
                except Exception:
                    pass

            page.on("response", on_response)
            # Timed in the page, from the input event to the status line naming the query (the
            # results are in the list by then), so Playwright's own round trips do not count.
            page.add_init_script(INPAGE_TIMER)
            page.goto(server.url + "search.html")
            page.wait_for_load_state("networkidle")
            for query in queries:
                # A fresh page per query: each one pays for the index files it needs, as a
                # reader's first query does.
                received.clear()
                page.goto(server.url + "search.html")
                page.wait_for_load_state("networkidle")
                opened = sum(received)  # the page and what it loads before the query (meta, pages.json)
                received.clear()
                page.locator("#daicho-q").fill(query)
                page.wait_for_function(
                    "q => document.getElementById('daicho-search-status').textContent.includes('「' + q + '」')",
                    arg=query, timeout=60_000)
                page.wait_for_function(ALL_SHOWN, timeout=60_000)  # the later results too
                page.wait_for_load_state("networkidle")
                links = page.eval_on_selector_all("#daicho-results a.daicho-result-title", "as => as.map(a => a.href)")
                out.append({"query": query, "ms": page.evaluate("window.__benchShown - window.__benchInput"),
                            "kb": sum(received) / 1024, "open_kb": opened / 1024, "hits": len(links),
                            "links": [h.removeprefix(server.url) for h in links]})
            browser.close()
    finally:
        server.close()
    return out


def ranking_on_demo() -> dict[str, float] | None:
    """The query set (tests/search_queries.py) on the demo site: mean reciprocal rank and the
    share of queries whose expected page is first."""
    from tests.browser import build_site
    from tests.search_queries import QUERIES as EXPECTED

    site = OUT / "demo-site"
    shutil.rmtree(site, ignore_errors=True)
    build_site(ROOT, site)
    found = search_in_chromium(site, list(EXPECTED))
    if found is None:
        return None
    ranks = [next((i + 1 for i, h in enumerate(f["links"]) if h in EXPECTED[f["query"]]), None) for f in found]
    return {"mrr": sum(1 / r for r in ranks if r) / len(ranks), "first": sum(r == 1 for r in ranks) / len(ranks),
            "queries": float(len(ranks))}


def measure(n: int, parts: set[str]) -> tuple[corpus_mod.Corpus, dict]:
    t0 = time.perf_counter()
    corpus = corpus_mod.generate(n)
    root = corpus.root
    r: dict = {"generate_s": time.perf_counter() - t0}
    py, daicho, mkdocs = str(BIN / "python"), str(BIN / "daicho"), str(BIN / "mkdocs")

    if "validate" in parts:
        r["floor"] = run([py, "-c", FLOOR_SCRIPT, "records"], root)
        shutil.rmtree(root / ".daicho-cache", ignore_errors=True)
        r["cold"] = run([daicho, "validate"], root)
        r["nocache"] = run([daicho, "validate"], root, {"DAICHO_NO_CACHE": "1"})
        r["warm_same"] = run([daicho, "validate"], root)
        warm = []
        for i in range(3):  # a different file each time; the median, as one run is noisy here
            target, original = touch_one(root, i)
            try:
                warm.append(run([daicho, "validate"], root))
            finally:
                target.write_bytes(original)
        r["warm"] = sorted(warm, key=lambda res: res.seconds)[1]
        checks = []
        for rtype, folder in TYPE_FOLDERS.items():
            files = sorted(str(p.relative_to(root)) for p in (root / "records" / folder).rglob("*.yaml"))
            if files:
                schema = root / "schemas" / f"{rtype}.json"
                checks.append(run([str(BIN / "check-jsonschema"), "--base-uri", schema.as_uri(), "--schemafile",
                                   str(schema), *files], root, check=False))
        r["check_jsonschema"] = Run(sum(c.seconds for c in checks), max(c.rss_mb for c in checks),
                                    sum(c.cpu for c in checks), 0, "", "")

    sites = OUT / f"sites-{n}"
    shutil.rmtree(sites, ignore_errors=True)
    sites.mkdir(parents=True)
    if "site" in parts:  # the intranet site with our plugin (no search) and its plain floor
        r["build_nosearch"] = run([mkdocs, "build", "--strict", "-f", str(without_search(root)), "-d",
                                   str(sites / "nosearch")], root)
        docs = sites / "prerendered"
        r["docs_out"] = run([daicho, "build", "--docs-out", str(docs)], root)
        shutil.copytree(root / "docs", docs, dirs_exist_ok=True)
        r["floor_build"] = run([mkdocs, "build", "-f", str(plain_config(root, docs, sites / "plain"))], root)
        r["public"] = run([mkdocs, "build", "--strict", "-f", "mkdocs.public.yml", "-d", str(sites / "public")],
                          root)
        r["public_mb"] = size(sites / "public") / 1e6
        site = sites / "nosearch"
        pages = [p for s in RECORD_SECTIONS for p in (site / s).glob("*.html") if p.name != "index.html"]
        r["record_pages"] = float(len(pages))
        r["record_page_kb"] = sum(p.stat().st_size for p in pages) / max(1, len(pages)) / 1024
        r["html_files"] = float(len(list(site.rglob("*.html"))))
        r["site_mb"] = size(site) / 1e6
    if "search" in parts:  # the full build with the search index, and a query in Chromium
        r["build"] = run([mkdocs, "build", "--strict", "-d", str(sites / "intranet")], root)
        r["html_files"] = float(len(list((sites / "intranet").rglob("*.html"))))
        r["index_mb"] = size(sites / "intranet" / "search-index") / 1e6
        from tests.search_queries import QUERIES as QUERY_SET
        r["search"] = search_in_chromium(sites / "intranet", [*QUERIES, *QUERY_SET])
        r["ranking"] = ranking_on_demo()
    return corpus, r


def fmt_rate(n: float, seconds: float) -> str:
    return f"{n / seconds:,.0f}" if seconds > 0 else "-"


def table(corpus: corpus_mod.Corpus, r: dict) -> str:
    n = corpus.records
    html = r.get("html_files", 0.0)
    floor, cold, fb = r.get("floor"), r.get("cold"), r.get("floor_build")

    def vs(res: Run, base: Run | None, label: str) -> str:
        return f"{res.seconds / base.seconds:.2f}× {label}" if base else ""

    rows: list[tuple[str, Run, str, str, str]] = []
    if floor:
        rows += [
            ("YAML の下限: yaml.load(CSafeLoader)", floor, fmt_rate(n, floor.seconds), "1.00", "件/s"),
            ("daicho validate 初回（キャッシュ作成）", cold, fmt_rate(n, cold.seconds), vs(cold, floor, "下限"), "件/s"),
            ("daicho validate キャッシュなし", r["nocache"], fmt_rate(n, r["nocache"].seconds),
             vs(r["nocache"], floor, "下限"), "件/s"),
            ("check-jsonschema（型ごと・スキーマのみ）", r["check_jsonschema"], fmt_rate(n, r["check_jsonschema"].seconds),
             f"{r['check_jsonschema'].seconds / cold.seconds:.1f}× 初回validate", "件/s"),
            ("daicho validate 1ファイル変更後（3回の中央値）", r["warm"], fmt_rate(n, r["warm"].seconds), vs(r["warm"], floor, "下限"), "件/s"),
        ]
    if "build_nosearch" in r:
        rows.append(("庁内サイト build（検索なし）", r["build_nosearch"], fmt_rate(html, r["build_nosearch"].seconds),
                     vs(r["build_nosearch"], fb, "素のmkdocs"), "頁/s"))
    if "build" in r:
        rows.append(("庁内サイト build（検索索引込み）", r["build"], fmt_rate(html, r["build"].seconds),
                     vs(r["build"], fb, "素のmkdocs"), "頁/s"))
    if fb:
        rows += [
            ("下限: 素の mkdocs（生成済み Markdown）", fb, fmt_rate(html, fb.seconds), "1.00", "頁/s"),
            ("  （Markdown の生成 daicho build --docs-out）", r["docs_out"], fmt_rate(html, r["docs_out"].seconds), "", "頁/s"),
            ("公開サイト build", r["public"], "", "", ""),
        ]
    width = 44
    lines = [f"規模のベンチマーク: {n:,} 件（{corpus.bytes / n / 1024:.1f} KB/件、"
             f"{', '.join(f'{k} {v:,}' for k, v in corpus.by_type.items())}）",
             f"{'測定':<{width - 6}}{'時間 s':>9}{'CPU s':>8}{'速さ':>11} {'':<5}{'比（時間）':<18}{'ピークRSS':>10}"]
    for label, res, rate, ratio, unit in rows:
        lines.append(f"{label:<{width - _wide(label)}}{res.seconds:9.2f}{res.cpu:8.2f}{rate:>11} {unit:<5}"
                     f"{ratio:<{22 - _wide(ratio)}}{res.rss_mb:8.0f} MB")
    if "record_pages" in r:
        lines.append(f"記録ページ {r['record_pages']:,.0f} 枚: 平均 {r['record_page_kb']:.1f} KB/頁; 検索なしのサイト全体 "
                     f"{r['site_mb']:.0f} MB（HTML {html:,.0f} ファイル）; 公開サイト {r['public_mb']:.1f} MB")
    if "index_mb" in r:
        lines.append(f"検索索引 {r['index_mb']:.1f} MB")
        s = r["search"]
        if s:
            for f in s[:len(QUERIES)]:
                lines.append(f"検索「{f['query']}」(Chromium, 入力から結果表示まで, 入力後に受信した全レスポンス): "
                             f"{f['ms']:.0f} ms, {f['kb']:.0f} KB, 結果 {f['hits']} 件表示")
            ms = sorted(f["ms"] for f in s)
            kb = sorted(f["kb"] for f in s)
            slow = max(s, key=lambda f: f["ms"])
            lines.append(f"検索 {len(s)} 語（問い合わせ集を含む）: 中央値 {ms[len(ms) // 2]:.0f} ms・{kb[len(kb) // 2]:.0f} KB、"
                         f"最も遅い「{slow['query']}」{slow['ms']:.0f} ms・{slow['kb']:.0f} KB、最大転送 {kb[-1]:.0f} KB"
                         f"（別に、検索ページを開くときに {s[0]['open_kb']:.0f} KB: ページ、meta.json と pages.json）")
        else:
            lines.append("検索: /usr/bin/chromium がないため測定していません")
        rank = r.get("ranking")
        if rank:
            lines.append(f"検索の順位（デモ、問い合わせ集 {rank['queries']:.0f} 語）: 平均逆順位 MRR {rank['mrr']:.3f}、"
                         f"期待ページが先頭 {rank['first']:.0%}")
    if "build" in r and "build_nosearch" in r:
        extra = r["build"].seconds - r["build_nosearch"].seconds
        # Two builds of several minutes each differ by more than the index costs when the
        # machine is not quiet; a negative difference is said as such, not as a saving.
        cost = (f"索引込みビルドの {extra / r['build'].seconds:.0%}（{extra:.1f} 秒）" if extra >= 0 else
                f"測定の誤差より小さい（索引なしのビルドが {-extra:.1f} 秒遅かった。静かな機械で測り直す）")
        lines.append(f"検索索引の費用: {cost}"
                     + (f"; 索引込みビルド / 素の mkdocs = {r['build'].seconds / fb.seconds:.2f}" if fb else ""))
    return "\n".join(lines)


def _wide(text: str) -> int:
    """Extra columns East Asian wide characters take in a terminal."""
    import unicodedata
    return sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")


def main() -> None:
    n = int(os.environ.get("BENCH_N", "1000"))
    parts = set(os.environ.get("BENCH_PARTS", "validate,site,search").split(","))
    corpus, results = measure(n, parts)
    print(table(corpus, results))


if __name__ == "__main__":
    main()
