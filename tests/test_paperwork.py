"""The office's paperwork from the records (issue 17): forms filled from the contract, letters to
the contractor, the PPC 漏えい等報告 draft and the council report in plain words. These tests
read the rendered pages; tests/test_paperwork_pdf.py prints them in Chromium."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import markdown
from openpyxl import load_workbook

from daicho import repository, rules
from daicho.dates import fy_label, wareki
from daicho.forms import load_forms
from daicho.render import forms, letters, ppc
from daicho.render.common import contract_fy, record_page, site_for
from daicho.report import charts as report_charts
from daicho.report import findings as report_findings
from daicho.report import html as report_html
from daicho.report import md as report_md
from daicho.report import tables, tabular
from daicho.repository import Record, Repository
from daicho.rules.incidents import final_report_gaps
from tests.browser import DEMO_TODAY, ROOT, make_repo
from tests.conftest import run_daicho
from tests.test_forms import FIXTURE, _Sheet, row, sheet, text

TODAY = dt.date.fromisoformat(DEMO_TODAY)


def personal(repo: Repository) -> list[Record]:
    return [r for r in repo.of_type("contract") if r.data["個人情報の取扱い"]]


# --- forms ------------------------------------------------------------------------------------

def test_checklist_prints_the_contracts_own_year_and_signatories(repo: Repository, pages: dict[str, str]) -> None:
    years = {contract_fy(r) for r in repo.of_type("contract")}
    assert len(years) > 2, "the demo has contracts of several 年度"
    signed = 0
    for r in repo.of_type("contract"):
        s = sheet(pages[forms.form_page(r.id, "checklist")])
        fy = forms.fy_title(contract_fy(r))
        assert f"個人情報の取扱いの委託に係るチェックリスト（{fy}契約用）" in "".join(s.text), r.id
        if contract_fy(r) != 2025:
            assert "令和７年度" not in "".join(s.text), r.id
        cl = r.data["チェックリスト"]
        if "所属長" in cl:
            signed += 1
            assert row(s, "所属長氏名")[1] == f"{cl['所属長']}㊞"
            assert row(s, "所属長氏名")[3] == cl["担当者"]
            assert row(s, "電話番号")[1] == cl["電話番号"] and row(s, "電話番号")[3] == cl["確認印"]
    assert signed >= 2, "the demo records the signatories of some checklists"


def test_change_report_carries_over_what_the_new_report_said(repo: Repository, pages: dict[str, str]) -> None:
    r = repo.get("C-2024-D1401-001")
    assert r is not None
    new, change = sorted(r.data["管理体制等報告書"], key=lambda x: x["受理日"])
    assert change["区分"] == "変更" and "作業場所" not in change and "認証" not in change
    page = text(pages[forms.form_page(r.id, "report")])
    # Left out of the 変更 and so carried over from the 新規:
    assert new["作業場所"] in page and new["管理場所"] in page
    assert f"☑有（写しを添付してください）: {'、'.join(new['認証'])}" in page
    assert "☑有（写しを添付してください）☐無" in page  # 取扱規程 as the 新規 said
    # Changed by the 変更, and marked:
    s = sheet(pages[forms.form_page(r.id, "report")])
    assert ["業務責任者【変更】", "自治体BPO事業部", "業務責任者", "今井 隆之【変更】"] in s.rows
    assert "上田 沙織" not in page  # the former 業務責任者 and contact are gone
    assert "福田 真由【変更】" in page and "星野 学【変更】" not in page
    assert change["変更の内容及び理由"] in page
    assert wareki(change["報告日"]) in page and row(s, "代表者")[1] == change["代表者氏名"]
    # The 新規 keeps its own sheet, as received.
    first = text(pages[forms.form_page(r.id, "report-1")])
    assert "上田 沙織" in first and "【変更】" not in first and wareki(new["報告日"]) in first


def test_special_terms_print_article_14_only_for_specific_personal_information(
        repo: Repository, pages: dict[str, str]) -> None:
    terms = load_forms(repo.schema_dir).special_terms["特記仕様書"]
    art14 = next(a for a in terms["条"] if a.get("特定個人情報のみ"))
    with_14 = 0
    for r in personal(repo):
        page = text(pages[forms.form_page(r.id, "special-terms")])
        assert r.data["案件名"] in page
        for a in terms["条"]:
            if not a.get("特定個人情報のみ"):
                assert a["本文"][0] in page, (r.id, a["番号"])
        has = bool(r.data.get("特定個人情報の取扱い"))
        with_14 += has
        assert (art14["本文"][0] in page) is has and ("第１４条" in page) is has, r.id
    assert with_14 and with_14 < len(personal(repo))


def test_special_terms_under_betsuki_list_the_items_in_article_2(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    path = next((root / "records" / "contracts").glob("*/C-2025-D1501-001.yaml"))
    path.write_text(path.read_text(encoding="utf-8").replace("特記仕様書: 特記仕様書", "特記仕様書: 別記"), encoding="utf-8")
    repo = repository.load(root)
    r = repo.get("C-2025-D1501-001")
    assert r is not None
    page = text(forms.pages(repo, TODAY)[forms.form_page(r.id, "special-terms")])
    betsuki = load_forms(repo.schema_dir).special_terms["別記"]
    assert betsuki["名称"] in page and "別記" in page and "第１４条" not in page
    assert "第２条　業務に関し，受託者が取り扱う個人情報の項目は以下のとおりとする。" in page
    listed = "".join(f"・{item}" for item in r.data["取扱い個人情報一覧"]) + "（秘密の保持）"
    assert re.sub(r"\s", "", listed) in re.sub(r"\s", "", page)


def test_inspection_sheet_before_and_filled_in_after(repo: Repository, pages: dict[str, str]) -> None:
    items = load_forms(repo.schema_dir).inspection_items
    checked = 0
    for r in personal(repo):
        held = forms.inspections(r)
        # Before: the people known from the last inspection (or the department) are filled in.
        blank = text(pages[forms.form_page(r.id, "inspection-onsite")])
        last = next((i["検査実施者"] for _, i in reversed(held) if i.get("検査実施者")), None)
        assert f"部署名：{last['部署'] if last else repo.departments[r.data['所管課']].name}" in blank
        assert "☑" not in blank
        for n, insp in held:
            s = sheet(pages[forms.form_page(r.id, f"inspection-{n}")])
            page = "".join(s.text)
            assert f"（{insp['種別']}）" in page and wareki(insp["実施日"]) in page
            for it in items:
                got = insp["結果"][it["id"]]
                line = next(x for x in s.rows if x and x[0] == str(it["No"]))
                assert line[3] == " ".join(("☑" if got["判定"] == v else "☐") + v for v in ("適", "否")), (r.id, n)
                assert line[4] == got.get("備考", ""), (r.id, n, it["id"])
            for who in ("検査実施者", "受託者検査対応者"):
                if insp.get(who) and (insp["種別"] == "実地検査" or who == "受託者検査対応者"):
                    assert f"名：{insp[who]['氏名']}" in page
            checked += 1
    assert checked > 5


# --- letters ----------------------------------------------------------------------------------

def test_every_letter_kind_renders_with_the_contracts_values(repo: Repository, pages: dict[str, str]) -> None:
    site = site_for(repo, TODAY)
    wording = load_forms(repo.schema_dir).letters
    settings = repo.settings["文書"]
    kinds: set[str] = set()
    for r in personal(repo):
        contract_page = pages[record_page("contract", r.id)]
        for letter in letters.letters_for(r, site):
            kinds.add(letter.kind)
            path = letters.letter_page(r.id, letter.slug)
            page = text(pages[path])
            assert wording[letter.kind]["件名"] in page
            assert r.data["案件名"] in page and r.data["受託者"]["名称"] in page
            assert settings["発信者"] in page and settings["公印"] in page
            assert settings["文書番号"].replace("{部署名}", repo.departments[r.data["所管課"]].name) in page
            assert "{" not in page  # every placeholder filled
            assert f'href="{r.id}/letters/{letter.slug}.html"' in contract_page  # linked from the contract page
            if letter.kind == "書面検査の依頼":
                assert "個人情報の取扱いに係る安全管理措置の遵守状況検査書（書面検査）" in page and "適・否" in page
            if letter.kind == "改善報告書の提出依頼":
                insp = next(i for n, i in forms.inspections(r) if f"improvement-{n}" == letter.slug)
                for res in insp["結果"].values():
                    if res["判定"] == "否" and res.get("備考"):
                        assert res["備考"] in page
            if letter.kind == "再委託の承諾":
                sub = r.data["再委託"][int(letter.slug.rsplit("-", 1)[1]) - 1]
                assert sub["再委託先の名称"] in page and wareki(sub["申請日"]) in page
    assert kinds == set(wording), kinds


def test_hostile_text_stays_literal_in_letters_and_forms(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", FIXTURE / "records")
    shutil.copytree(FIXTURE / "hostile" / "records", root / "records", dirs_exist_ok=True)
    path = next((root / "records" / "contracts").glob("*/C-2025-D1501-099.yaml"))
    hostile_sub = '"<b onmouseover=alert(1)>{案件名}</b>"'
    body = path.read_text(encoding="utf-8")
    body = body.replace("特記仕様書: 特記仕様書\n", f"特記仕様書: 特記仕様書\n再委託:\n  - 再委託先の名称: {hostile_sub}\n"
                        "    申請日: 2025-04-01\n    理由: '{{ 7*7 }} </textarea><script>alert(2)</script>'\n")
    body = body.replace("  提出日: 2025-03-10\n", "  提出日: 2025-03-10\n  所属長: '<i>課長</i>'\n")
    path.write_text(body, encoding="utf-8")
    repo = repository.load(root)
    assert not repo.issues, repo.issues[:3]
    r = repo.get("C-2025-D1501-099")
    assert r is not None
    site = site_for(repo, TODAY)
    all_pages = {**forms.pages(repo, TODAY), **letters.pages(repo, TODAY)}
    mine = {p: v for p, v in all_pages.items() if f"/{r.id}/" in p}
    kinds = {x.kind for x in letters.letters_for(r, site)}
    assert kinds == {"書面検査の依頼", "検査結果の通知", "改善報告書の提出依頼", "再委託の承諾"}
    for path, page in mine.items():
        html = markdown.markdown(page.split("\n---\n", 1)[1], extensions=["toc", "tables", "fenced_code"])
        parsed = _Sheet()
        parsed.feed(html)
        assert not {t for t, _ in parsed.tags} & {"script", "img", "b", "i"}, path
        assert not [a for _, a in parsed.tags if any(k.startswith("on") for k in a)], path
        shown = "".join(parsed.text)
        assert r.data["案件名"] in shown, path  # {{ 7*7 }} stays text, never evaluated
    approval = "".join(_text_of(mine[letters.letter_page(r.id, "subcontract-1")]))
    assert "<b onmouseover=alert(1)>{案件名}</b>" in approval  # a placeholder in a value is not filled
    assert "{{ 7*7 }} </textarea><script>alert(2)</script>" in approval
    assert "<i>課長</i>㊞" in "".join(_text_of(mine[forms.form_page(r.id, "checklist")]))


def _text_of(page: str) -> list[str]:
    parsed = _Sheet()
    parsed.feed(markdown.markdown(page.split("\n---\n", 1)[1]))
    return parsed.text


def test_letter_wording_and_sender_are_data(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    wording = root / "schemas" / "forms" / "letters.yaml"
    wording.write_text(wording.read_text(encoding="utf-8").replace(
        "日頃から本市の業務に御協力いただき，ありがとうございます。", "平素より格別のご高配を賜り，厚く御礼申し上げます。"),
        encoding="utf-8")
    settings = root / "records" / "settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "文書番号: '{部署名}第　　　号'", "文書番号: '八法第{年度}-　　号'").replace("発信者: 八千代市長", "発信者: 八千代市長　試験 太郎"),
        encoding="utf-8")
    repo = repository.load(root)
    page = text(letters.pages(repo, TODAY)["contracts/C-2025-D1701-001/letters/result-1.md"])
    assert "平素より格別のご高配を賜り，厚く御礼申し上げます。" in page and "日頃から" not in page
    assert "八千代市長　試験 太郎" in page and "八法第令和7年度-　　号" in page


# --- the PPC report draft -------------------------------------------------------------------

# The seed's 議題4 sheets: 件名, 判明日又は発生日, 件数 of every incident reported to the PPC.
SEED_INCIDENTS = {
    "I-2023-D1501-01": ("健診記録票の紛失", "令和6年2月29日", "1人"),
    "I-2024-D1501-01": ("予診票の紛失", "令和6年5月8日", "1人"),
    "I-2023-D1502-01": ("郵送物の誤送付による個人情報の漏えい", "令和6年3月5日", "2人"),
    "I-2024-D8103-01": ("委託先のネットワークへの不正アクセス", "令和6年7月16日", "116,647人"),
    "I-2024-D1603-01": ("郵送物盗難のおそれ", "令和6年11月13日", "259人"),
    "I-2024-D2101-01": ("委託先のシステム管理を行っている会社への不正アクセス", "令和7年3月4日", "1,629人"),
}


def test_ppc_draft_lists_every_item_and_the_seeds_figures(repo: Repository, pages: dict[str, str]) -> None:
    items = load_forms(repo.schema_dir).ppc["項目"]
    order = [i["見出し"] for i in items]
    assert [i["id"] for i in items] == ["概要", "項目", "本人の数", "原因", "二次被害", "本人への対応", "公表",
                                        "再発防止策", "その他"]  # 規則44条 / the PPC's form for 行政機関等
    drafts = {p.split("/")[1] for p in pages if p.endswith("/ppc.md")}
    assert drafts == set(SEED_INCIDENTS)
    for rid, (subject, found, persons) in SEED_INCIDENTS.items():
        r = repo.get(rid)
        assert r is not None
        s = sheet(pages[ppc.ppc_page(rid)])
        page = "".join(s.text)
        for kind in ("速報", "確報"):
            assert f"漏えい等報告（行政機関等）（{kind}）" in page
            reported = r.data["個人情報保護委員会への報告"][f"{kind}日"]
            assert wareki(reported) in page
        # Each sheet lists every item, numbered in the PPC's order.
        headed = [x[0] for x in s.rows if x and re.match(r"^[0-9]　", x[0])]
        assert headed == [f"{n}　{h}" for n, h in enumerate(order, start=1)] * 2, rid
        assert subject in page and found in page, rid
        number = next(x[1] for x in s.rows if x and x[0].startswith("3　"))
        assert number == persons, rid
        for step in r.data["再発防止策"]:
            assert step.splitlines()[0] in page
        # The same text to paste, field by field.
        boxes = re.findall(r"<textarea id=\"paste-([0-9])\"[^>]*>(.*?)</textarea>", pages[ppc.ppc_page(rid)], re.S)
        assert [int(n) for n, _ in boxes] == list(range(1, len(order) + 1))
        assert persons in boxes[2][1]
        gaps = final_report_gaps(load_forms(repo.schema_dir), r.data)
        listed = re.findall(r"<li>(.*?)</li>", pages[ppc.ppc_page(rid)].split('id="ppc-gaps"')[1].split("<h2")[0])
        assert listed == [h for i, h in zip(load_forms(repo.schema_dir).ppc["項目"], order, strict=True) if i["id"] in gaps]
    # The incident page links its draft.
    assert 'href="I-2024-D2101-01/ppc.html"' in pages[record_page("incident", "I-2024-D2101-01")]


def test_due_shows_the_final_report_incomplete_until_it_is_not(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    path = next((root / "records" / "incidents").glob("*/I-2024-D1603-01.yaml"))
    original = path.read_text(encoding="utf-8")
    unsent = re.sub(r"\n  確報日: [0-9-]+", "", original)
    path.write_text(unsent, encoding="utf-8")

    def due_lines() -> list[str]:
        done = run_daicho("due", "--root", str(root), "--today", DEMO_TODAY)
        assert done.returncode == 0, done.stderr
        return [line for line in done.stdout.splitlines() if "I-2024-D1603-01" in line]

    line = next(x for x in due_lines() if " 確報 " in x)
    assert "確報に不足: 二次被害・公表" in line
    # Sent but the record still lacks items: a finding with its own code.
    path.write_text(original, encoding="utf-8")
    assert any("W-PPC-INCOMPLETE" in x and "二次被害・公表" in x for x in due_lines())
    repo = repository.load(root)
    assert "W-PPC-INCOMPLETE" in {i.code for i in rules.findings(repo, TODAY) if "I-2024-D1603-01" in i.file}
    # Complete: no finding, and the unsent 確報 no longer lists anything missing.
    complete = original + "二次被害: 確認されていない。\n公表:\n  公表しない理由: 半期ごとの取りまとめで公表する。\n"
    path.write_text(complete, encoding="utf-8")
    assert not any("W-PPC-INCOMPLETE" in x for x in due_lines())
    path.write_text(re.sub(r"\n  確報日: [0-9-]+", "", complete), encoding="utf-8")
    assert "確報に不足" not in next(x for x in due_lines() if " 確報 " in x)


def test_new_finding_code_is_catalogued() -> None:
    catalogue = (ROOT / "schemas" / "errors.yaml").read_text(encoding="utf-8")
    assert re.search(r"^W-PPC-INCOMPLETE:\n  severity: warning\n", catalogue, re.M)


# --- the council report -----------------------------------------------------------------------

DEVELOPMENT_TERMS = ("コミット", "git", "Git", ".yaml", "records/", "daicho", "リポジトリ", "ブランチ", "スキーマ")


def test_council_report_speaks_plain_words(repo: Repository, tmp_path: Path) -> None:
    for fy in (2023, 2024):
        report = tables.build(repo, fy, today=TODAY)
        found = report_findings.collect(repo, [report.compare, fy], TODAY, grace_days=90)
        texts = [report_md.document(report, found), tabular.csv_bytes(report).decode("utf-8-sig"),
                 "".join(_text_of("---\n---\n" + re.sub(r"<style.*?</style>", "", report_html.standalone(
                     report, report_charts.build(repo, report), found, today=DEMO_TODAY), flags=re.S))),
                 *report.missing, *found.notes, *(f.message for f in found.items)]
        path = tmp_path / f"r{fy}.xlsx"
        path.write_bytes(tabular.xlsx_bytes(report))
        texts += [str(c.value) for ws in load_workbook(path).worksheets for r in ws.iter_rows() for c in r if c.value]
        for t in texts:
            for term in DEVELOPMENT_TERMS:
                assert term not in t, (fy, term, t[:200])
    done = run_daicho("report", "--fy", "2024", "--check", "--today", DEMO_TODAY)
    assert done.returncode == 0 and done.stdout.strip()
    for term in DEVELOPMENT_TERMS[:3]:
        assert term not in done.stdout + done.stderr


def test_report_before_the_amended_law_leaves_the_year_out(repo: Repository) -> None:
    report = tables.build(repo, 2023)
    assert all("令和4年度" not in t.title and all("令和4年度" not in c[0] for c in t.columns) for t in report.tables)
    assert report.missing[0] == f"{fy_label(2022)}は改正法の施行（令和5年4月1日）前のため、{fy_label(2022)}の表と列は載せていません。"
    rows = tabular.csv_bytes(report).decode("utf-8-sig").splitlines()
    assert [x for x in rows if x and x[0] in "１２３"] == list(tables.SECTIONS.values())


# --- the office guide -------------------------------------------------------------------------

def test_paperwork_guide_shows_every_form_letter_and_draft() -> None:
    from tests.screenshots import PAPERWORK_DIR, PAPERWORK_SHOTS
    from tests.test_forms_guide import MAX_BYTES, images, png_size

    guide = ROOT / "docs" / "paperwork.md"
    refs = images(guide.read_text(encoding="utf-8"))
    shown = {(guide.parent / target).resolve() for _, target in refs}
    taken = {(PAPERWORK_DIR / f"{s.name}.png").resolve() for s in PAPERWORK_SHOTS}
    assert shown == taken == {p.resolve() for p in PAPERWORK_DIR.glob("*.png")}
    for alt, target in refs:
        path = guide.parent / target
        assert alt.strip() and path.stat().st_size < MAX_BYTES, target
        width, height = png_size(path)
        assert width >= 600 and height >= 400, target
    # one screenshot of every letter kind and of every kind of printed form
    paths = " ".join(s.path for s in PAPERWORK_SHOTS)
    for part in ("forms/checklist", "forms/special-terms", "forms/report", "forms/inspection-",
                 "letters/written-request", "letters/result", "letters/improvement", "letters/subcontract", "/ppc"):
        assert part in paths, part
