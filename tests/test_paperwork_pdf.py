"""Issue 17 acceptance, printed: every demo contract's forms and letters and every PPC draft
printed to PDF by Chromium (A4 from the sheets' own @page rule), read back with pdftotext
(poppler-utils), and the record's own values found on the right sheet — the 変更 report's
sheet shows what it carries over from the 新規. The PDFs stay in test-artifacts/paperwork/."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from daicho import repository
from daicho.dates import wareki
from daicho.render import forms, letters, ppc
from daicho.render.common import contract_fy, site_for
from daicho.repository import Record
from tests.browser import DEMO_TODAY, ROOT, Server, Watched
from tests.test_forms_browser import A4_POINTS, pdf_pages

ARTIFACTS = ROOT / "test-artifacts" / "paperwork"
TODAY = dt.date.fromisoformat(DEMO_TODAY)


def squash(text: str) -> str:
    """Text compared without layout: NFKC, no whitespace (pdftotext breaks lines anywhere)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout


def _first_line(value: str) -> str:
    return value.splitlines()[0]


def sheet_values(r: Record, sheet: forms.Sheet) -> tuple[list[str], list[str], int]:
    """(values that must be on the printed sheet, values that must not, the most pages it may take)."""
    d = r.data
    base = [d["案件名"]]
    slug = sheet.slug
    if slug == "checklist":
        cl = d["チェックリスト"]
        return ([*base, f"（{forms.fy_title(contract_fy(r))}契約用）", d["所管課"],
                 *(cl[k] for k in ("所属長", "担当者", "電話番号", "確認印") if k in cl)], [], 1)
    if slug == "special-terms":
        art14 = "第１４条"
        specific = bool(d.get("特定個人情報の取扱い")) and d["特記仕様書"] == "特記仕様書"
        return [*base, "第１３条", *([art14] if specific else [])], ([] if specific else [art14]), 2
    if slug == "items":
        return [*base, *d["取扱い個人情報一覧"]], [], 1
    if slug.startswith("report"):
        state = sheet.context["rep"]
        wanted = [*base, d["受託者"]["名称"]]
        wanted += [p["氏名"] for role in ("業務責任者", "業務従事者") for p in state.get(role, [])]
        wanted += [_first_line(state[k]) for k in ("作業場所", "管理場所") if state.get(k)]
        wanted += [state[k] for k in ("代表者氏名",) if state.get(k)]
        wanted += [c["電話番号"] for c in state.get("事故発生時の報告体制", {}).values() if c.get("電話番号")]
        return wanted, [], 2
    result = sheet.context["result"]
    wanted = [*base, d["受託者"]["名称"]]
    if result is None:
        return [*wanted, "適・否"], ["☑"], 1
    wanted.append(wareki(result["実施日"]))
    wanted += [_first_line(v["備考"]) for v in result["結果"].values() if v.get("備考")]
    return wanted, [], 1


def print_pdf(p: object, url: str, out: Path) -> tuple[str, int]:
    p.goto(url, wait_until="load")  # type: ignore[attr-defined]
    p.evaluate("document.fonts.ready")  # type: ignore[attr-defined]
    # Chromium's default paper is Letter: A4 can only come from the sheet's own @page rule.
    pdf = p.pdf(format="Letter", prefer_css_page_size=True, print_background=True)  # type: ignore[attr-defined]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(pdf)
    sizes = pdf_pages(pdf)
    assert all(abs(w - A4_POINTS[0]) < 2 and abs(h - A4_POINTS[1]) < 2 for w, h in sizes), (url, sizes)
    return pdf_text(out), len(sizes)


def check(text: str, pages: int, wanted: list[str], unwanted: list[str], most: int, least: int, what: str) -> None:
    assert least <= pages <= most, f"{what}: {pages} ページ（{least}〜{most}）"
    flat = squash(text)
    for value in wanted:
        assert squash(value) in flat, f"{what} に「{value}」がありません"
    for value in unwanted:
        assert squash(value) not in flat, f"{what} に「{value}」があってはいけません"


def _require_pdftotext() -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext がありません（apt-get install poppler-utils）")


CONTRACT_IDS = sorted(p.stem for p in (ROOT / "records" / "contracts").glob("*/*.yaml"))


@pytest.mark.browser
@pytest.mark.parametrize("contract_id", CONTRACT_IDS)
def test_every_form_of_a_contract_prints_on_a4_with_its_values(
        page: Watched, demo_server: Server, contract_id: str) -> None:
    _require_pdftotext()
    repo = repository.load(ROOT)
    site = site_for(repo, TODAY)
    r = repo.get(contract_id)
    assert r is not None
    for sheet in forms.sheets(r, site):
        path = forms.form_page(r.id, sheet.slug).replace(".md", ".html")
        wanted, unwanted, most = sheet_values(r, sheet)
        text, n = print_pdf(page.page, demo_server.url + path, ARTIFACTS / path.replace(".html", ".pdf"))
        check(text, n, wanted, unwanted, most, 1, path)
    assert not page.external(demo_server.url) and not page.dialogs


@pytest.mark.browser
def test_each_letter_kind_and_every_ppc_draft_print_with_their_values(page: Watched, demo_server: Server) -> None:
    """One letter of each kind (every letter is checked on the page in test_paperwork.py), and the
    速報・確報 draft of every incident that had to be reported."""
    _require_pdftotext()
    repo = repository.load(ROOT)
    site = site_for(repo, TODAY)
    p = page.page
    printed: dict[str, int] = {}
    for r in repo.of_type("contract"):
        for letter in letters.letters_for(r, site):
            if letter.kind in printed:
                continue
            path = letters.letter_page(r.id, letter.slug).replace(".md", ".html")
            wording = site.forms.letters[letter.kind]
            used = set(re.findall(r"\{([^{}\s]+)\}", repr(wording)))  # the values this kind prints
            wanted = [wording["件名"], r.data["受託者"]["名称"], *(v for k, v in letter.values.items() if k in used)]
            pages = 2 if letter.enclosure else 1  # the 書面検査 sheet goes with its request
            text, n = print_pdf(p, demo_server.url + path, ARTIFACTS / path.replace(".html", ".pdf"))
            check(text, n, [w for w in wanted if w], [], pages, pages, path)
            printed[letter.kind] = 1
    assert set(printed) == set(site.forms.letters)
    for r in repo.of_type("incident"):
        if not ppc.must_report(site, r):
            continue
        path = ppc.ppc_page(r.id).replace(".md", ".html")
        d = r.data
        wanted = [d["件名"], f"{d['件数']:,}人", wareki(d["判明日"]), *d["漏えいした個人情報"],
                  *(wareki(v) for v in d["個人情報保護委員会への報告"].values()),
                  *(i["見出し"] for i in site.forms.ppc["項目"])]
        text, n = print_pdf(p, demo_server.url + path, ARTIFACTS / path.replace(".html", ".pdf"))
        check(text, n, wanted, ["貼り付け用のテキスト"], 4, 2, path)  # the paste boxes are not printed
        printed["ppc"] = printed.get("ppc", 0) + 1
    assert printed["ppc"] == 6
    assert not page.external(demo_server.url) and not page.dialogs


@pytest.mark.browser
def test_change_report_pdf_carries_the_new_reports_values(page: Watched, demo_server: Server) -> None:
    """C-2024-D1401-001's 変更 repeats only the people; the rest prints from its 新規."""
    repo = repository.load(ROOT)
    r = repo.get("C-2024-D1401-001")
    assert r is not None
    new, change = sorted(r.data["管理体制等報告書"], key=lambda x: x["受理日"])
    out = ARTIFACTS / "change-report.pdf"
    text, n = print_pdf(page.page, demo_server.url + forms.form_page(r.id, "report").replace(".md", ".html"), out)
    carried = [new["作業場所"], _first_line(new["管理場所"]), *new["認証"]]
    assert all(k not in change for k in ("作業場所", "管理場所", "認証"))
    check(text, n, [*carried, change["変更の内容及び理由"], "【変更】", "☑変更"], ["上田沙織"], 2, 1, "変更の報告書")
