"""Accessibility to JIS X 8341-3:2016 level AA (WCAG 2.0 AA), checked in headless Chromium (issue 9).

- axe-core, pinned and installed from the npm registry into ``.daicho-cache/`` (never committed),
  runs over a fixed set of pages of both sites in the light and the dark colour scheme; any
  violation tagged ``wcag2a`` or ``wcag2aa`` fails. Where axe cannot decide a contrast (it reports
  "incomplete", e.g. text in a header cell spanning two rows), the contrast is computed here from
  the computed colours, so no text goes unchecked.
- What axe does not judge is checked on every page directly: ``lang="ja"``, exactly one ``h1``
  and no skipped heading level, a caption and ``th scope`` on every table, every date written by
  the site inside ``<time datetime>``, no link to a PDF.
- Keyboard only: the skip link; on the contract index, Tab to the filters, change one with the
  arrow keys, sort a column with Enter and open a contract with Enter; on the public index, every
  Tab stop; the colour-scheme toggle. Each focus must be visible (outline or box-shadow).
- The pages checked and the outcome are written to ``accessibility/result.json`` (committed; the
  public 「ウェブアクセシビリティ方針」 page is generated from it) whenever they differ from the
  committed file; the date is that of the run that wrote it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import warnings
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from daicho import a11y, public_site, repository
from daicho.render.common import html_path, record_page
from tests.browser import DEMO_TODAY, Built, Server, require_chromium, serve
from tests.conftest import ROOT

AXE_VERSION = "4.14.1"
# The registry's sha512 of the axe-core 4.14.1 tarball: npm verifies the download against it, and
# the test refuses an installed copy whose lock entry says anything else.
AXE_INTEGRITY = ("sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37"
                 "OgudVGtQ==")
AXE_DIR = ROOT / ".daicho-cache" / "npm"
# JIS X 8341-3:2016 is WCAG 2.0: its level A and AA rules, nothing from 2.1/2.2 or best practice.
AXE_TAGS = ["wcag2a", "wcag2aa"]
SCHEMES = {"light": ("default", "明るい配色"), "dark": ("slate", "暗い配色")}
SEARCH_WORD = "個人情報"  # on every site built from any records: the results list is never empty
KEYBOARD = [
    "庁内サイトの委託契約の一覧: スキップリンク、絞り込みの入力欄と選択肢（矢印キーで変更）、"
    "列の並べ替え（Enter）、契約の個別ページを開く（Enter）",
    "公開サイトの個人情報ファイル簿の一覧: すべてのリンクと操作部品に Tab で移動できること",
    "検索（両サイト）: 検索語を入力して Enter で検索し、結果のページを Enter で開く",
    "配色の切り替え（明るい配色・暗い配色）を矢印キーで操作できること",
    "各操作でフォーカスの位置が見えること",
]


# --- axe-core from the npm registry --------------------------------------------------------------

def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true ではアクセシビリティ試験を省略できません: {reason}")
    pytest.skip(f"アクセシビリティ試験を省略: {reason}")


def _installed_axe() -> Path | None:
    script = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    try:
        entry = json.loads((AXE_DIR / "package-lock.json").read_text(encoding="utf-8"))["packages"][
            "node_modules/axe-core"]
    except (OSError, ValueError, KeyError):
        return None
    ok = entry.get("version") == AXE_VERSION and entry.get("integrity") == AXE_INTEGRITY
    return script if ok and script.is_file() else None


@pytest.fixture(scope="session")
def axe_source() -> str:
    require_chromium()
    script = _installed_axe()
    if script is None:
        npm = shutil.which("npm")
        if npm is None:
            _unavailable(f"npm がありません（axe-core {AXE_VERSION} を npm レジストリから入れます）")
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        proc = subprocess.run(
            [str(npm), "install", "--prefix", str(AXE_DIR), "--no-audit", "--no-fund", "--ignore-scripts",
             "--save-exact", f"axe-core@{AXE_VERSION}"],
            capture_output=True, text=True, timeout=600)
        if proc.returncode != 0:
            _unavailable(f"npm install axe-core@{AXE_VERSION} に失敗しました: {proc.stderr.strip()[-800:]}")
        script = _installed_axe()
        if script is None:
            pytest.fail(f"入れた axe-core が {AXE_VERSION}（{AXE_INTEGRITY[:24]}…）ではありません: {AXE_DIR}")
    return script.read_text(encoding="utf-8")


# --- the sites and the pages checked -------------------------------------------------------------

@dataclass(frozen=True)
class Page:
    site: str  # "intranet" or "public" (a11y.SITES)
    path: str  # URL relative to the site root, as a reader would type it
    label: str  # what the page is, in Japanese (unique per site; the only thing published for intranet pages)

    @property
    def url_path(self) -> str:
        return quote(self.path, safe="/?=&.-_")

    @property
    def ready(self) -> str | None:
        """What must be on the page before it is checked (search results load after the page)."""
        return "#daicho-results li" if self.path.startswith("search.html?") else None


def _largest(site: Path, folder: str) -> str:
    """The biggest built page of a folder (other than its index): the one that exercises most of
    its template."""
    pages = [p for p in (site / folder).glob("*.html") if p.name != "index.html"]
    assert pages, f"{site / folder} にページがありません"
    best = max(pages, key=lambda p: (p.stat().st_size, p.name))
    return best.relative_to(site).as_posix()


INTRANET_INDEXES = [
    ("index.html", "ホーム"),
    ("jimu/index.html", "個人情報取扱事務登録簿（一覧）"),
    ("files/index.html", "個人情報ファイル簿（一覧）"),
    ("contracts/index.html", "委託契約（一覧）"),
    ("inspections/index.html", "検査状況（年度の一覧）"),
    ("incidents/index.html", "漏えい等事案（一覧）"),
    ("requests/index.html", "開示・訂正・利用停止請求（年度の一覧）"),
    ("departments/index.html", "所管課（一覧）"),
    ("report/index.html", "運用状況（年度の一覧）"),
]
INTRANET_RECORDS = [
    ("jimu", "個人情報取扱事務（個別ページ）"),
    ("file", "個人情報ファイル（単票と管理情報）"),
    ("contract", "委託契約（個別ページ）"),
    ("incident", "漏えい等事案（個別ページ）"),
    ("disclosure", "開示・訂正・利用停止請求（個別ページ）"),
]
INTRANET_FOLDERS = [  # pages without git history: the biggest built one
    ("departments", "所管課（個別ページ）"),
    ("inspections", "検査状況（年度別）"),
    ("requests", "開示・訂正・利用停止請求（年度別）"),
    ("report", "運用状況の報告（年度別、表とグラフ）"),
]


def _richest_record(rtype: str) -> str:
    """The page of the record of a type with the most content (its YAML is the longest): the
    one that exercises most of the template. Chosen from the records, not the built page, whose
    size also depends on the git history it shows."""
    repo = repository.load(ROOT)
    records = repo.of_type(rtype)
    assert records, f"{rtype} の記録がありません"
    best = max(records, key=lambda r: (len((ROOT / r.path).read_bytes()), r.id))
    return html_path(record_page(rtype, best.id))


def intranet_pages(site: Path) -> list[Page]:
    pages = [Page("intranet", path, label) for path, label in INTRANET_INDEXES]
    pages += [Page("intranet", _richest_record(rtype), label) for rtype, label in INTRANET_RECORDS]
    pages += [Page("intranet", _largest(site, folder), label) for folder, label in INTRANET_FOLDERS]
    contract = next(pg.path for pg in pages if pg.path.startswith("contracts/C-"))
    forms = contract.removesuffix(".html") + "/forms"
    if (site / forms).is_dir():  # the printable forms of that contract (様式, A4): the biggest one
        pages.append(Page("intranet", _largest(site, forms), "委託契約の様式（印刷用）"))
    pages.append(Page("intranet", f"search.html?q={SEARCH_WORD}", "検索（結果の表示）"))
    return pages


_TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def public_pages(site: Path) -> list[Page]:
    """Every page of the public site except the per-file sheets, of which one is checked (they
    share one template), plus the search page with results."""
    pages = [Page("public", "index.html", "個人情報ファイル簿（一覧）"),
             Page("public", _largest(site, "files"), "個人情報ファイル簿（単票）"),
             Page("public", f"search.html?q={SEARCH_WORD}", "検索（結果の表示）"),
             Page("public", "404.html", "ページが見つからないときの表示")]
    for html in sorted(site.glob("*.html")):
        if html.name in ("index.html", "search.html", "404.html"):
            continue
        title = _TITLE.search(html.read_text(encoding="utf-8"))
        assert title, f"{html} に title がありません"
        pages.append(Page("public", html.name, title.group(1).split(" - ")[0].strip()))
    return pages


@dataclass
class PublicBuild(Built):
    result: dict[str, Any] | None  # accessibility/result.json as the build read it


@pytest.fixture(scope="module")
def public_build(tmp_path_factory: pytest.TempPathFactory) -> PublicBuild:
    """The public site as ``make public`` builds it (with the committed accessibility result)."""
    result = a11y.load_result(ROOT)
    out = tmp_path_factory.mktemp("a11y-public") / "site"
    env = {**os.environ, "DAICHO_TODAY": DEMO_TODAY, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.public.yml"),
                           "-d", str(out)], cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return PublicBuild(ROOT, out, proc.stdout + proc.stderr, result)


@pytest.fixture(scope="module")
def servers(demo_site: Built, public_build: PublicBuild) -> Iterator[dict[str, Server]]:
    running = {"intranet": serve(demo_site.site), "public": serve(public_build.site)}
    yield running
    for server in running.values():
        server.close()


@pytest.fixture(scope="module")
def checked_pages(demo_site: Built, public_build: PublicBuild) -> list[Page]:
    return intranet_pages(demo_site.site) + public_pages(public_build.site)


# --- in-page checks --------------------------------------------------------------------------------

# axe over the whole document; a run that does not finish rejects (Playwright's evaluate has no
# timeout of its own).
AXE_RUN_JS = """(tags) => Promise.race([
  axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations", "incomplete"]}),
  new Promise((_, reject) => setTimeout(() => reject(new Error("axe.run が 120 秒で終わりませんでした")), 120000)),
])"""

# Document structure the issue asks for and axe leaves alone. Returns a list of problems (Japanese).
STRUCTURE_JS = r"""() => {
  const out = [];
  const lang = document.documentElement.getAttribute("lang");
  if (lang !== "ja") out.push(`html の lang が "${lang}"（ja であるべき）`);
  const shown = (e) => e.checkVisibility();
  const hs = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].filter(shown);
  const levels = hs.map((h) => Number(h.tagName[1]));
  const ones = levels.filter((l) => l === 1).length;
  if (ones !== 1) out.push(`h1 が ${ones} 個`);
  if (levels.length && levels[0] !== 1) out.push(`最初の見出しが h${levels[0]}`);
  for (let i = 1; i < levels.length; i++) {
    if (levels[i] > levels[i - 1] + 1) {
      out.push(`見出しが h${levels[i - 1]} から h${levels[i]} に飛んでいる:「${hs[i].textContent.trim().slice(0, 30)}」`);
    }
  }
  const text = (e) => (e ? e.textContent.replace(/\s+/g, " ").trim() : "");
  for (const t of document.querySelectorAll("table")) {
    // A caption; the printable forms (様式) reproduce paper forms and name their tables by the
    // heading above (aria-labelledby) or an aria-label instead, which WCAG 1.3.1 accepts as well.
    const named = text(t.querySelector(":scope > caption")) || (t.getAttribute("aria-label") || "").trim()
      || (t.getAttribute("aria-labelledby") || "").split(/\s+/).map((id) => text(document.getElementById(id))).join("");
    if (!named) out.push(`表題（caption）のない表: ${text(t).slice(0, 40)}`);
    for (const th of t.querySelectorAll(":scope > thead > tr > th, :scope > tbody > tr > th, :scope > tr > th")) {
      if (!["col", "row", "colgroup", "rowgroup"].includes(th.getAttribute("scope"))) {
        out.push(`scope のない見出しセル:「${th.textContent.trim().slice(0, 20)}」`);
      }
    }
  }
  for (const time of document.querySelectorAll("time")) {
    const iso = time.getAttribute("datetime") || "";
    if (!/^\d{4}-\d{2}-\d{2}$/.test(iso) || !time.textContent.includes(iso)
        || !/(令和|平成|昭和)(元|\d+)年\d+月\d+日/.test(time.textContent)) {
      out.push(`日付の time 要素が和暦と西暦の形でない: ${time.outerHTML}`);
    }
  }
  // A date the site writes (和暦 with the 西暦 in brackets) must be inside a <time>. Search
  // result excerpts are quoted page text, cut anywhere, and stay plain text.
  const stamp = /(令和|平成|昭和)(元|\d+)年\d{1,2}月\d{1,2}日 \(\d{4}-\d{2}-\d{2}\)/;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (stamp.test(n.textContent) && !n.parentElement.closest("time, script, style, .daicho-results")) {
      out.push(`time 要素の外にある日付:「${n.textContent.trim().slice(0, 40)}」`);
    }
  }
  for (const a of document.querySelectorAll("a[href]")) {
    if (/\.pdf($|[?#])/i.test(a.getAttribute("href"))) out.push(`PDF へのリンク: ${a.getAttribute("href")}`);
  }
  // A search result is named by its page's title, not by its address.
  for (const a of document.querySelectorAll("#daicho-results a")) {
    if (!text(a) || /^\/|\.html$/.test(text(a))) out.push(`検索結果のリンク名がページの題名でない:「${text(a)}」`);
  }
  return out;
}"""

# Contrast of the nodes axe could not decide, from computed colours: the text colour (the fill of
# SVG text), with the opacity of the element and its ancestors, over the composited backgrounds of
# its ancestors.
# Returns [selector, ratio, required, reason-if-undecidable].
CONTRAST_JS = r"""(selectors) => {
  const parse = (c) => {
    const m = /^rgba?\(([^)]+)\)$/.exec(c);
    if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const over = (top, bottom) => {
    const a = top.a + bottom.a * (1 - top.a);
    const mix = (k) => (top[k] * top.a + bottom[k] * bottom.a * (1 - top.a)) / a;
    return { r: mix("r"), g: mix("g"), b: mix("b"), a };
  };
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  // A transition caught half-way (the header's title swap on scroll) is measured at its end.
  document.getAnimations().forEach((a) => a.finish());
  return selectors.map((sel) => {
    const el = document.querySelector(sel);
    if (!el) return [sel, 0, 0, "要素が見つからない"];
    const s = getComputedStyle(el);
    const layers = [];
    let opacity = 1;
    for (let e = el; e; e = e.parentElement) {
      const st = getComputedStyle(e);
      opacity *= Number(st.opacity);
      if (st.backgroundImage !== "none") return [sel, 0, 0, "背景画像の上の文字"];
      const bg = parse(st.backgroundColor);
      if (!bg) return [sel, 0, 0, `背景色を読めない: ${st.backgroundColor}`];
      if (bg.a > 0) layers.push(bg);
      if (bg.a === 1) break;
    }
    // Text at opacity 0 is not shown (the hidden header topic); no contrast to require.
    if (opacity === 0) return [sel, 1, 0, ""];
    let back = { r: 255, g: 255, b: 255, a: 1 };
    for (const layer of layers.reverse()) back = over(layer, back);
    const paint = el instanceof SVGElement ? s.fill : s.color;  // SVG text is painted with fill
    const fg = parse(paint);
    if (!fg) return [sel, 0, 0, `文字色を読めない: ${paint}`];
    const front = over({ ...fg, a: fg.a * opacity }, back);
    const [hi, lo] = [lum(front), lum(back)].sort((x, y) => y - x);
    const size = parseFloat(s.fontSize), bold = Number(s.fontWeight) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    return [sel, (hi + 0.05) / (lo + 0.05), large ? 3 : 4.5, ""];
  });
}"""

# The focused element and whether its focus can be seen: an outline or box-shadow on the element
# itself or, for a visually hidden input (the theme's colour-scheme radios), on its label.
FOCUS_JS = r"""() => {
  document.getAnimations().forEach((a) => a.finish());
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const ring = (e) => {
    const s = getComputedStyle(e), r = e.getBoundingClientRect();
    const drawn = r.width > 0 && r.height > 0 && s.visibility !== "hidden" && Number(s.opacity) > 0;
    const mark = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none";
    return drawn && mark;
  };
  const candidates = [el, ...(el.labels || [])];
  if (el.nextElementSibling && el.nextElementSibling.tagName === "LABEL") candidates.push(el.nextElementSibling);
  const name = (el.getAttribute("aria-label") || el.textContent || el.value || "").replace(/\s+/g, " ").trim();
  return { tag: el.tagName, name: name.slice(0, 40), visible: candidates.some(ring),
           main: !!el.closest("#daicho-main"), href: el.getAttribute("href") || "" };
}"""


@dataclass
class PageResult:
    page: Page
    scheme: str
    color_scheme: str  # what the theme applied (data-md-color-scheme)
    violations: list[str]
    contrast: list[str]  # contrasts axe left undecided and that fail (or cannot be computed)
    undecided: int  # how many contrasts axe left undecided (all recomputed here)
    structure: list[str]


def _check(p: Any, base: str, page: Page, scheme: str, axe: str) -> PageResult:
    p.set_viewport_size({"width": 1280, "height": 900})
    p.goto(base + page.url_path)
    p.wait_for_load_state("load")
    if page.ready:
        p.wait_for_selector(page.ready, timeout=20000)
    # A viewport as tall as the page: nothing scrolls under the sticky header while axe samples.
    height = p.evaluate("document.documentElement.scrollHeight")
    p.set_viewport_size({"width": 1280, "height": min(height + 16, 16000)})
    if not p.evaluate("typeof window.axe !== 'undefined'"):
        p.add_script_tag(content=axe)
    result = p.evaluate(AXE_RUN_JS, AXE_TAGS)
    violations = []
    for v in result["violations"]:
        for node in v["nodes"]:
            violations.append(f"{v['id']} [{', '.join(t for t in v['tags'] if t.startswith('wcag'))}] "
                              f"{' '.join(map(str, node['target']))}: {node['failureSummary'].splitlines()[-1].strip()}")
    undecided = [" ".join(map(str, n["target"])) for v in result["incomplete"] if v["id"] == "color-contrast"
                 for n in v["nodes"]]
    contrast = []
    for sel, ratio, required, reason in p.evaluate(CONTRAST_JS, undecided):
        if reason:
            contrast.append(f"{sel}: {reason}")
        elif ratio < required:
            contrast.append(f"{sel}: コントラスト {ratio:.2f}:1（{required}:1 以上が必要）")
    structure = p.evaluate(STRUCTURE_JS) if scheme == "light" else []
    applied = p.evaluate("document.body.getAttribute('data-md-color-scheme')")
    return PageResult(page, scheme, applied, violations, contrast, len(undecided), structure)


@pytest.fixture(scope="module")
def results(browser: Any, servers: dict[str, Server], checked_pages: list[Page], axe_source: str
            ) -> list[PageResult]:
    out = []
    for scheme in SCHEMES:
        context = browser.new_context(locale="ja-JP", color_scheme=scheme, service_workers="block")
        context.route("**/*", lambda route: route.continue_()
                      if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:")) else route.abort())
        p = context.new_page()
        for page in checked_pages:
            out.append(_check(p, servers[page.site].url, page, scheme, axe_source))
        context.close()
    return out


def _report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{where}:\n  " + "\n  ".join(items) for where, items in found.items() if items)


# --- the tests --------------------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("site", list(a11y.SITES))
def test_axe_finds_no_wcag2_a_or_aa_violation(results: list[PageResult], site: str, scheme: str) -> None:
    mine = [r for r in results if r.page.site == site and r.scheme == scheme]
    assert len(mine) >= 4
    assert {r.color_scheme for r in mine} == {SCHEMES[scheme][0]}, "配色が切り替わっていません"
    found = {f"{r.page.path}（{r.page.label}）": r.violations for r in mine}
    assert not any(found.values()), "axe-core が WCAG 2.0 A/AA の違反を検出しました:\n" + _report(found)


@pytest.mark.browser
@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_contrast_axe_left_undecided_is_at_least_aa(results: list[PageResult], scheme: str) -> None:
    mine = [r for r in results if r.scheme == scheme]
    found = {f"{r.page.site}: {r.page.path}": r.contrast for r in mine}
    assert not any(found.values()), "コントラストが足りない文字:\n" + _report(found)


@pytest.mark.browser
def test_structure_lang_headings_tables_dates(results: list[PageResult]) -> None:
    mine = [r for r in results if r.scheme == "light"]
    found = {f"{r.page.site}: {r.page.path}": r.structure for r in mine}
    assert not any(found.values()), "文書の構造の問題:\n" + _report(found)


def _focus(p: Any) -> dict[str, Any]:
    state = p.evaluate(FOCUS_JS)
    assert state is not None, "フォーカスがどの要素にもありません"
    return state


def _tab_until(p: Any, wanted: str, limit: int = 40) -> list[dict[str, Any]]:
    """Press Tab until the focused element matches ``wanted``; every stop on the way must show
    its focus."""
    stops = []
    for _ in range(limit):
        p.keyboard.press("Tab")
        state = _focus(p)
        stops.append(state)
        assert state["visible"], f"フォーカスが見えません: {state}"
        if p.evaluate("(sel) => document.activeElement.matches(sel)", wanted):
            return stops
    raise AssertionError(f"Tab を {limit} 回押しても {wanted} に届きません: {stops[-5:]}")


@pytest.mark.browser
def test_keyboard_only_filter_sort_and_open_a_contract(page: Any, servers: dict[str, Server]) -> None:
    p = page.page
    p.goto(servers["intranet"].url + "contracts/index.html")
    p.wait_for_selector("form.daicho-filter:not([hidden])")
    rows = "#contracts-table tbody tr:not([hidden])"
    everything = p.locator(rows).count()
    # The skip link is the first stop, visible when focused, and jumps over header and navigation.
    p.keyboard.press("Tab")
    skip = _focus(p)
    assert skip["name"] == "コンテンツにスキップ" and skip["visible"], skip
    p.keyboard.press("Enter")
    assert p.url.endswith("#daicho-main")
    stops = _tab_until(p, "input[data-filter-text]")
    assert all(s["main"] for s in stops), f"スキップ後のフォーカスが本文の外にあります: {stops}"
    # Each filter is a Tab stop; change the 契約形態 one with the arrow key alone.
    _tab_until(p, "select[data-filter-col='5']", limit=5)
    p.keyboard.press("ArrowDown")
    chosen = p.evaluate("document.activeElement.value")
    assert chosen, "矢印キーで選択肢が変わりません"
    shown = p.locator(rows).count()
    assert 0 < shown < everything
    forms = p.eval_on_selector_all(rows, "rs => rs.map(r => r.cells[5].textContent.trim())")
    assert set(forms) == {chosen}
    assert p.text_content("[data-filter-count]") == f"{everything} 件中 {shown} 件を表示"
    # The column headers are buttons: Enter sorts.
    _tab_until(p, "#contracts-table thead th:first-child button", limit=10)
    p.keyboard.press("Enter")
    assert p.get_attribute("#contracts-table thead th:first-child", "aria-sort") == "ascending"
    ids = p.eval_on_selector_all(rows, "rs => rs.map(r => r.cells[0].textContent.trim())")
    assert ids == sorted(ids)
    # On to the first contract's link, and open it with Enter.
    link = _tab_until(p, "#contracts-table tbody td a", limit=20)[-1]
    assert link["href"].endswith(".html") and link["href"].split("/")[-1].startswith(ids[0]), link
    with p.expect_navigation():
        p.keyboard.press("Enter")
    assert p.url.endswith(f"contracts/{ids[0]}.html")
    assert p.locator("h1").count() == 1 and p.text_content("h1").strip() == link["name"]
    assert not page.external(servers["intranet"].url) and not page.dialogs


@pytest.mark.browser
def test_every_tab_stop_of_the_public_index_shows_its_focus(page: Any, servers: dict[str, Server]) -> None:
    p = page.page
    p.goto(servers["public"].url + "index.html")
    sheets = p.locator("#daicho-main a[href^='files/']").count()
    assert sheets > 5
    seen: list[dict[str, Any]] = []
    for _ in range(400):
        p.keyboard.press("Tab")
        state = p.evaluate(FOCUS_JS)
        if state is None or (seen and state == seen[0]):
            break  # focus left the page or came round again
        assert state["visible"], f"フォーカスが見えません（{len(seen) + 1} 番目の移動先）: {state}"
        seen.append(state)
    else:
        raise AssertionError("Tab で一巡しません")
    hrefs = [s["href"] for s in seen]
    assert sum(h.startswith("files/") for h in hrefs) == sheets, "すべての単票へのリンクに Tab で届くこと"
    assert {"downloads/filebook.csv", "downloads/filebook.xlsx", "accessibility.html"} <= set(hrefs)
    assert seen[0]["name"] == "コンテンツにスキップ"


@pytest.mark.browser
def test_skip_link_moves_to_the_content_on_a_public_sheet(page: Any, servers: dict[str, Server],
                                                         checked_pages: list[Page]) -> None:
    sheet = next(pg for pg in checked_pages if pg.site == "public" and pg.path.startswith("files/"))
    p = page.page
    p.goto(servers["public"].url + sheet.path)
    p.keyboard.press("Tab")
    assert _focus(p)["name"] == "コンテンツにスキップ"
    box = p.locator("a.md-skip").bounding_box()
    assert box and box["width"] > 0 and box["y"] >= 0, "スキップリンクがフォーカス時に画面に出ません"
    p.keyboard.press("Enter")
    p.keyboard.press("Tab")
    assert _focus(p)["main"], "スキップリンクの次の Tab が本文に入りません"


@pytest.mark.browser
@pytest.mark.parametrize("site", list(a11y.SITES))
def test_search_by_keyboard_alone(page: Any, servers: dict[str, Server], site: str) -> None:
    p = page.page
    p.goto(servers[site].url + "search.html")
    p.keyboard.press("Tab")
    p.keyboard.press("Enter")  # the skip link
    _tab_until(p, "#daicho-q", limit=5)
    p.keyboard.type(SEARCH_WORD)
    p.keyboard.press("Enter")
    # Announced (aria-live) once the results are in the list.
    p.wait_for_function("w => document.getElementById('daicho-search-status').textContent.includes('「' + w + '」')",
                        arg=SEARCH_WORD)
    assert p.locator("#daicho-results li").count() > 0
    first = _tab_until(p, "#daicho-results a", limit=10)[-1]  # past the field and filter selects
    with p.expect_navigation():
        p.keyboard.press("Enter")
    assert p.locator("h1").count() == 1 and p.text_content("h1").strip() == first["name"]
    assert not page.external(servers[site].url) and not page.dialogs


@pytest.mark.browser
def test_colour_scheme_toggle_works_by_keyboard(page: Any, servers: dict[str, Server]) -> None:
    p = page.page
    p.goto(servers["public"].url + "index.html")
    before = p.evaluate("document.body.getAttribute('data-md-color-scheme')")
    _tab_until(p, "input.md-option", limit=5)
    p.keyboard.press("ArrowRight")
    after = p.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert {before, after} == {"default", "slate"}
    assert _focus(p)["visible"]


# --- the recorded result and the public page generated from it ------------------------------------

class _Checked(HTMLParser):
    """The rows of the accessibility page's tables of checked pages: (site, [cell texts], href)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, list[str], str]] = []
        self._site = ""
        self._cells: list[str] | None = None
        self._href = ""
        self._in_td = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self._site = a.get("data-site") or ""
        elif tag == "tr" and self._site:
            self._cells, self._href = [], ""
        elif tag == "td" and self._cells is not None:
            self._cells.append("")
            self._in_td = True
        elif tag == "a" and self._cells is not None:
            self._href = a.get("href") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._in_td = False
        elif tag == "tr" and self._cells:
            self.rows.append((self._site, self._cells, self._href))
            self._cells = None
        elif tag == "table":
            self._site = ""

    def handle_data(self, data: str) -> None:
        if self._in_td and self._cells is not None:
            self._cells[-1] += data.strip()


def listed_pages(html: str) -> list[tuple[str, str, str]]:
    """(site, label, path) of every page the accessibility page names; path is '' for intranet."""
    parser = _Checked()
    parser.feed(html)
    return [(site, cells[0], href) for site, cells, href in parser.rows]


def _recorded(pages: list[Page], checked: str) -> dict[str, Any]:
    return {
        "checked": checked,
        "target": a11y.TARGET,
        "tool": f"axe-core {AXE_VERSION}",
        "browser": "Chromium（ヘッドレス）",
        "rules": AXE_TAGS,
        "schemes": [label for _, label in SCHEMES.values()],
        "keyboard": KEYBOARD,
        "violations": 0,
        "pages": [asdict(pg) for pg in pages],
    }


@pytest.mark.browser
def test_result_is_recorded_and_the_public_page_names_exactly_the_pages_checked(
        results: list[PageResult], checked_pages: list[Page]) -> None:
    clean = all(not (r.violations or r.contrast or r.structure) for r in results)
    assert clean, "違反があるため結果を記録しません（上のテストの出力を見てください）"
    assert {(r.page, r.scheme) for r in results} == {(pg, s) for pg in checked_pages for s in SCHEMES}
    path = ROOT / a11y.RESULT_PATH
    fresh = _recorded(checked_pages, dt.date.today().isoformat())
    committed = a11y.load_result(ROOT)
    if committed is None or {**committed, "checked": ""} != {**fresh, "checked": ""}:
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(fresh, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        warnings.warn(f"{a11y.RESULT_PATH} を今回の試験結果で更新しました。コミットしてください。", stacklevel=1)
    recorded = a11y.load_result(ROOT)
    assert recorded is not None
    html = public_site.accessibility_page(recorded, "八千代市")
    want = [(pg.site, pg.label, pg.path) for pg in checked_pages if pg.site == "public"]
    assert sorted(listed_pages(html)) == sorted(want)
    assert_written_for_citizens(html)


# --- without a browser: the built public page, the result file, the date element ---------------------

def test_public_site_has_the_accessibility_page_naming_the_pages_checked(public_build: PublicBuild) -> None:
    recorded = public_build.result  # as the build read it (the browser test may since have rewritten it)
    assert recorded is not None, f"{a11y.RESULT_PATH} がコミットされていません（make test で作られます）"
    html = (public_build.site / "accessibility.html").read_text(encoding="utf-8")
    assert "<h1>ウェブアクセシビリティ方針</h1>" in html
    assert "JIS X 8341-3:2016" in html and "適合レベル AA" in html
    assert f'<time datetime="{recorded["checked"]}">' in html
    want = [(p["site"], p["label"], p["path"]) for p in recorded["pages"] if p["site"] == "public"]
    assert sorted(listed_pages(html)) == sorted(want)
    assert {p["site"] for p in recorded["pages"]} == set(a11y.SITES)
    assert_written_for_citizens(html)
    # Reachable from every page: it is in the nav.
    index = (public_build.site / "index.html").read_text(encoding="utf-8")
    assert 'href="accessibility.html"' in index


def assert_written_for_citizens(html: str) -> None:
    """The statement speaks to the site's readers: no test tool, browser or internal site."""
    for word in ("axe-core", "Chromium", "ヘッドレス", "庁内", "intranet", "職員向け"):
        assert word not in html, word
    assert "ご利用の方へ" in html and "キーボード" in html


def test_accessibility_page_without_a_recorded_check() -> None:
    html = public_site.accessibility_page(None, "八千代市", contact=False)
    assert "試験の結果はまだ記録されていません" in html and "適合レベル AA" in html
    assert listed_pages(html) == [] and "contact.html" not in html


@pytest.mark.parametrize(("text", "message"), [
    ("{", "読み込めません"),
    ("[]", "JSON のオブジェクトではありません"),
    ('{"checked": "2026-13-01"}', "checked が YYYY-MM-DD の日付ではありません"),
    ('{"checked": "2026-11-26", "target": "", "tool": "", "browser": "", "rules": [], "schemes": [],'
     ' "keyboard": [], "violations": 0, "pages": [{"site": "extranet", "path": "x.html", "label": "x"}]}',
     "pages[0] には site（public/intranet）、path、label が必要です"),
])
def test_a_malformed_result_file_is_refused_with_a_japanese_message(tmp_path: Path, text: str,
                                                                   message: str) -> None:
    assert a11y.load_result(tmp_path) is None  # none committed: the page says so
    (tmp_path / a11y.RESULT_PATH).parent.mkdir()
    (tmp_path / a11y.RESULT_PATH).write_text(text, encoding="utf-8")
    with pytest.raises(a11y.ResultError) as err:
        a11y.load_result(tmp_path)
    assert str(err.value).startswith("accessibility/result.json:1:1: エラー[E-A11Y-RESULT] ") and message in str(err.value)


def test_dates_are_time_elements_with_wareki_and_seireki() -> None:
    assert a11y.time_element("2025-06-27") == '<time datetime="2025-06-27">令和7年6月27日 (2025-06-27)</time>'
    assert a11y.time_element(dt.date(2019, 5, 1)) == '<time datetime="2019-05-01">令和元年5月1日 (2019-05-01)</time>'
    assert a11y.time_element(None) == a11y.time_element("") == '<span class="daicho-none">—</span>'


class _Outline(HTMLParser):
    """Headings, tables and dates of one generated page's HTML block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[int] = []
        self.problems: list[str] = []
        self._tables: list[dict[str, Any]] = []  # open tables (they nest in the field tables)
        self._caption: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "table":
            named = bool((a.get("aria-label") or "").strip() or a.get("aria-labelledby"))
            self._tables.append({"named": named})
        elif tag == "caption":
            self._caption = []
        elif tag == "th" and a.get("scope") not in ("col", "row", "colgroup", "rowgroup"):
            self.problems.append("scope のない th")
        elif tag == "time" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", a.get("datetime") or ""):
            self.problems.append(f"datetime が日付でない time: {a}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption" and self._caption is not None:
            if "".join(self._caption).strip() and self._tables:
                self._tables[-1]["named"] = True
            self._caption = None
        elif tag == "table" and self._tables and not self._tables.pop()["named"]:
            self.problems.append("表題（caption）のない表")

    def handle_data(self, data: str) -> None:
        if self._caption is not None:
            self._caption.append(data)


def _outline_problems(html: str) -> list[str]:
    outline = _Outline()
    outline.feed(html)
    levels = outline.headings
    problems = list(outline.problems)
    # The theme adds the h1 (from the title) to a page whose content has none.
    levels = levels if 1 in levels else [1, *levels]
    if levels.count(1) != 1:
        problems.append(f"h1 が {levels.count(1)} 個")
    problems += [f"見出しが h{a} から h{b} に飛んでいる" for a, b in zip(levels, levels[1:], strict=False)
                 if b > a + 1]
    return problems


def test_every_generated_page_has_one_h1_an_ordered_outline_named_tables_and_scoped_headers() -> None:
    """All pages of both sites as the generators produce them (not only the ones the browser
    checks): the same structure rules, on every record's page."""
    from daicho import public, render

    repo = repository.load(ROOT)
    today = dt.date.fromisoformat(DEMO_TODAY)
    projection = public.project(repo, today)
    pages = {f"intranet: {k}": v for k, v in render.pages(repo, today).items()}
    pages |= {f"public: {k}": v for k, v in public_site.pages(projection, repo.types["file"].schema, today).items()}
    pages["public: accessibility.md"] = public_site.accessibility_page(a11y.load_result(ROOT), projection.municipality)
    assert len(pages) > 100
    found = {}
    for name, markdown in pages.items():
        if "<" not in markdown:
            continue  # a Markdown-only page (the report index): Python-Markdown writes its outline
        body = markdown.split("\n---\n", 1)[-1]
        found[name] = _outline_problems(body)
    assert not any(found.values()), _report({k: sorted(set(v)) for k, v in found.items()})


@pytest.mark.parametrize(("html", "problem"), [
    ("<h1>a</h1><h1>b</h1>", "h1 が 2 個"),
    ("<h1>a</h1><h3>b</h3>", "見出しが h1 から h3 に飛んでいる"),
    ("<h3>b</h3>", "見出しが h1 から h3 に飛んでいる"),  # the theme's h1, then h3
    ("<table><tr><th scope='col'>x</th></tr></table>", "表題（caption）のない表"),
    ("<table><caption> </caption><tr><td>x</td></tr></table>", "表題（caption）のない表"),
    ("<table><caption>t</caption><tr><th>x</th></tr></table>", "scope のない th"),
    ("<p><time datetime='令和7年'>令和7年</time></p>", "datetime が日付でない time"),
])
def test_the_outline_check_finds_what_it_looks_for(html: str, problem: str) -> None:
    assert any(p.startswith(problem) for p in _outline_problems(html)), _outline_problems(html)
    fine = "<h1>a</h1><h2>b</h2><table><caption>t</caption><tr><th scope='row'>x</th><td>1</td></tr></table>"
    assert _outline_problems(fine) == []
