"""印刷用の様式 (issue 7 §4): every sheet rendered for the demo contracts, checked against the
records and the form data in schemas/forms — the wording, the ticks, the blanks the office
leaves for the contractor — plus hostile text kept literal and the pages kept out of search."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from daicho import render, repository
from daicho.forms import load_forms
from daicho.render import assets, forms
from daicho.render.common import html_path, record_page, site_for
from daicho.repository import Record, Repository
from tests.browser import DEMO_TODAY, ROOT, make_repo

TODAY = dt.date.fromisoformat(DEMO_TODAY)
FIXTURE = ROOT / "tests" / "fixtures" / "site"


class _Sheet(HTMLParser):
    """The text of a rendered page, its table rows (cell texts) and its elements."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.rows: list[list[str]] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def sheet(page: str) -> _Sheet:
    body = page.split("\n---\n", 1)[1]  # after the front matter
    parser = _Sheet()
    parser.feed(body)
    parser.close()
    return parser


def text(page: str) -> str:
    return "".join(sheet(page).text)


def row(s: _Sheet, label: str) -> list[str]:
    return next(r for r in s.rows if r and r[0] == label)


def contracts(repo: Repository) -> list[Record]:
    return repo.of_type("contract")


def personal(repo: Repository) -> list[Record]:
    return [r for r in contracts(repo) if r.data["個人情報の取扱い"]]


def test_each_contract_links_to_exactly_its_forms(repo: Repository, pages: dict[str, str]) -> None:
    assert any(not r.data["個人情報の取扱い"] for r in contracts(repo))  # the demo has both kinds
    produced = {p for p in pages if "/forms/" in p}
    expected = set()
    site = site_for(repo, TODAY)
    for r in contracts(repo):
        kinds = [f.slug for f in forms.forms_for(r)]
        if r.data["個人情報の取扱い"]:
            assert kinds == ["checklist", "special-terms", *(["items"] if r.data["特記仕様書"] != "別記" else []),
                             "report", "inspection-onsite", "inspection-written"], r.id
        else:  # the checklist is submitted for every contract; the rest only when personal data is handled
            assert kinds == ["checklist"], r.id
        slugs = [s.slug for s in forms.sheets(r, site)]
        # one 第2号様式 per report received (the latest is "report"), one filled sheet per inspection
        reports = len(r.data.get("管理体制等報告書", []))
        assert sum(x.startswith("report") for x in slugs) == (max(reports, 1) if r.data["個人情報の取扱い"] else 0)
        assert sum(re.fullmatch(r"inspection-[0-9]+", x) is not None for x in slugs) == len(r.data.get("検査", []))
        contract_md = record_page("contract", r.id)
        hrefs = [a.get("href") for tag, a in sheet(pages[contract_md]).tags if tag == "a"]
        for slug in slugs:
            target = forms.form_page(r.id, slug)
            expected.add(target)
            link = posixpath.relpath(html_path(target), posixpath.dirname(contract_md))
            assert link in hrefs, (r.id, slug)
            # ... and the sheet links back to its contract
            assert posixpath.relpath(html_path(contract_md), posixpath.dirname(target)) in [
                a.get("href") for tag, a in sheet(pages[target]).tags if tag == "a"]
    assert produced == expected


@pytest.mark.parametrize("slug, kind", [("inspection-onsite", "実地検査"), ("inspection-written", "書面検査")])
def test_inspection_sheet_has_name_contractor_all_items_and_blank_verdicts(
        repo: Repository, pages: dict[str, str], slug: str, kind: str) -> None:
    items = load_forms(repo.schema_dir).inspection_items
    verdicts = "・".join(load_forms(repo.schema_dir).verdicts)
    city = repo.organization["自治体名"]
    assert len(items) == 8 and [i["No"] for i in items] == list(range(3, 11))
    for r in personal(repo):
        s = sheet(pages[forms.form_page(r.id, slug)])
        assert f"遵守状況検査書（{kind}）" in "".join(s.text)
        assert row(s, "契約件名")[1] == r.data["案件名"]
        assert row(s, "受託者")[1] == r.data["受託者"]["名称"]
        numbered = [x for x in s.rows if x and x[0].isdigit()]
        assert numbered == [[str(i["No"]), i["点検項目"], i["点検事項"], verdicts, ""] for i in items], r.id
        page = "".join(s.text)
        if kind == "実地検査":
            assert "検査実施日" in page and "報告日" not in page
            signs = ["受託者検査対応者", "部署名：", "職位名：", "担当者名：",
                     f"{city}検査実施者", "部署名：", "補職名：", "職員名："]
        else:
            assert "報告日" in page and "検査実施日" not in page
            assert f"（宛先）{city}長" in page and "上記のとおり報告します。" in page
            signs = ["受託者検査対応者", "部署名：", "職位名：", "担当者名："]
            assert "検査実施者" not in page
        dl = page[page.index("受託者検査対応者"):]
        assert [x for x in signs if x in dl] == signs


def test_recorded_results_never_leak_into_the_blank_sheet(repo: Repository, pages: dict[str, str]) -> None:
    notes = [(r, res["備考"]) for r in personal(repo) for insp in r.data.get("検査", [])
             for res in insp["結果"].values() if res.get("備考")]
    assert notes, "the demo records a 否 with a 備考"
    for r, note in notes:
        for slug in ("inspection-onsite", "inspection-written"):
            assert note.splitlines()[0] not in text(pages[forms.form_page(r.id, slug)])


def test_checklist_ticks_the_recorded_answer_of_every_question(repo: Repository, pages: dict[str, str]) -> None:
    questions = load_forms(repo.schema_dir).questions
    assert any(a == "いいえ" for r in contracts(repo) for a in r.data["チェックリスト"]["回答"].values())
    for r in contracts(repo):
        s = sheet(pages[forms.form_page(r.id, "checklist")])
        assert row(s, "部署名")[1:] == [repo.departments[r.data["所管課"]].name, "部署コード", r.data["所管課"]]
        assert row(s, "案件名")[1] == r.data["案件名"]
        answers = r.data["チェックリスト"]["回答"]
        rows = [x for x in s.rows if x and x[0].isdigit()]
        assert [x[:2] for x in rows] == [[str(n), q["文言"]] for n, q in enumerate(questions, start=1)]
        for q, x in zip(questions, rows, strict=True):
            boxes = x[2].split("\n")
            assert boxes == [("☑" if answers.get(q["id"]) == c else "☐") + c for c in q["選択肢"]], (r.id, q["id"])
        assert "☑" not in "".join(x[3] for x in rows)


def test_items_form_lists_every_item(repo: Repository, pages: dict[str, str]) -> None:
    for r in personal(repo):
        s = sheet(pages[forms.form_page(r.id, "items")])
        assert row(s, "契約件名")[1] == r.data["案件名"]
        page = "".join(s.text)
        assert "上記の契約における業務に関し，受託者が取り扱う個人情報の項目は，以下のとおりとする。" in page
        listed = re.findall(r"・(.*)", page)
        assert listed == r.data["取扱い個人情報一覧"]


def measures_ticked(s: _Sheet, group: str) -> list[tuple[str, bool]]:
    cell = next(r for r in s.rows if r and r[0].removesuffix("【変更】") == group)[1]
    return [(line[1:], line[0] == "☑") for line in re.findall(r"[☑☐][^☑☐]*", cell.replace("\n", ""))]


def test_report_form_is_filled_with_the_state_in_effect(repo: Repository, pages: dict[str, str]) -> None:
    groups = load_forms(repo.schema_dir).safety_groups
    changed = [r for r in personal(repo) if len(r.data.get("管理体制等報告書", [])) > 1]
    assert changed, "the demo has a contract with a 変更 report"
    for r in personal(repo):
        reports = sorted(r.data.get("管理体制等報告書", []), key=lambda rep: rep["受理日"])
        state: dict = {}
        for n, rep in enumerate(reports, start=1):
            # What this report says, over what the earlier ones said (a 変更 repeats only what changed).
            state = {**{k: v for k, v in state.items() if k not in ("変更の内容及び理由", "報告日")}, **rep}
            slug = "report" if n == len(reports) else f"report-{n}"
            s = sheet(pages[forms.form_page(r.id, slug)])
            page = "".join(s.text)
            ticks = "／".join(("☑" if k == rep["区分"] else "☐") + k for k in ("新規", "変更"))
            assert f"個人情報の取扱いに係る管理体制等報告書（{ticks}）" in page
            assert row(s, "受託者")[1] == r.data["受託者"]["名称"]
            assert f"{repo.organization['自治体名']}長　様" in page
            chosen = state.get("安全管理措置", {})
            for g in groups:
                other = chosen.get("その他", {}).get(g["id"])
                expected = [(m["文言"], m["id"] in chosen.get(g["id"], [])) for m in g["項目"]]
                expected.append((f"その他（{other}）" if other else "その他", bool(other)))
                assert measures_ticked(s, g["名称"]) == expected, (r.id, slug, g["id"])
            for p in state.get("業務責任者", []) + state.get("業務従事者", []):
                assert p["氏名"] in page
            for key in ("作業場所", "管理場所"):
                if state.get(key):
                    assert state[key].splitlines()[0] in page, (r.id, slug, key)
            if "再委託" in state:
                yes, no = ("☑", "☐") if state["再委託"] else ("☐", "☑")
                assert f"{yes}有（再委託承諾申請書を提出してください。）\n{no}無" in next(
                    x for x in s.rows if x and x[0].startswith("再委託の"))[1]
            if rep.get("代表者氏名"):
                assert row(s, "代表者")[1] == rep["代表者氏名"]


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> tuple[Repository, dict[str, str]]:
    """The demo records with one contract that has no report yet and one under 別記."""
    root = make_repo(tmp_path_factory.mktemp("forms") / "repo")
    no_report = next((root / "records" / "contracts").glob("*/C-2025-D1501-001.yaml"))
    body = no_report.read_text(encoding="utf-8")
    body = re.sub(r"^管理体制等報告書:\n(?:[ -].*\n)+", "", body, flags=re.M)
    no_report.write_text(body.replace("特記仕様書: 特記仕様書", "特記仕様書: 別記"), encoding="utf-8")
    repo = repository.load(root)
    assert "管理体制等報告書" not in repo.get("C-2025-D1501-001").data  # type: ignore[union-attr]
    return repo, render.pages(repo, TODAY)


def test_report_form_is_blank_without_a_report_and_no_items_form_under_betsuki(
        edited: tuple[Repository, dict[str, str]]) -> None:
    repo, pages = edited
    r = repo.get("C-2025-D1501-001")
    assert r is not None and r.data["特記仕様書"] == "別記"
    # 別記 第2条 lists the items itself: no 第1号様式 for it.
    assert forms.form_page(r.id, "items") not in pages
    assert forms.form_page(r.id, "report") in pages
    s = sheet(pages[forms.form_page(r.id, "report")])
    page = "".join(s.text)
    assert "☑" not in page
    assert row(s, "受託者")[1] == r.data["受託者"]["名称"]
    assert r.data["案件名"] in page and "受理した報告書の記録がない" in page
    # one blank line for the 業務責任者, two for the 業務従事者, as on the paper form
    assert ["業務責任者", "", "", ""] in s.rows and ["業務従事者", "", "", ""] in s.rows and ["", "", ""] in s.rows


def test_form_pages_load_the_print_css_and_stay_out_of_search(pages: dict[str, str]) -> None:
    css = assets.files()[forms.CSS]
    assert re.search(rb"@page\s*\{[^}]*size:\s*A4", css)
    for path, page in pages.items():
        if "/forms/" not in path:
            continue
        assert "data-search-body" not in page, path
        links = [a["href"] for tag, a in sheet(page).tags if tag == "link"]
        assert links == [posixpath.relpath(forms.CSS, posixpath.dirname(path))], path
        assert page.startswith("---\n") and "\n\n\n" not in page.split("\n---\n", 1)[1].strip()


def test_hostile_contract_text_stays_literal_in_every_form(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", FIXTURE / "records")
    shutil.copytree(FIXTURE / "hostile" / "records", root / "records", dirs_exist_ok=True)
    repo = repository.load(root)
    r = repo.get("C-2025-D1501-099")
    assert r is not None and "<img" in r.data["案件名"] and "<script>" in r.data["受託者"]["名称"]
    pages = render.pages(repo, TODAY)
    slugs = [s.slug for s in forms.sheets(r, site_for(repo, TODAY))]
    assert {"checklist", "special-terms", "items", "report", "inspection-onsite", "inspection-written"} <= set(slugs)
    for slug in slugs:
        page = pages[forms.form_page(r.id, slug)]
        # Through Python-Markdown as MkDocs converts it (its default extensions).
        html = markdown.markdown(page.split("\n---\n", 1)[1], extensions=["toc", "tables", "fenced_code"])
        parsed = _Sheet()
        parsed.feed(html)
        tags = {t for t, _ in parsed.tags}
        assert not tags & {"script", "img"}, slug
        assert not [a for _, a in parsed.tags if any(k.startswith("on") for k in a)], slug
        shown = "".join(parsed.text)
        assert r.data["案件名"] in shown, slug  # {{ 7*7 }} stays text, never evaluated
        if slug not in ("checklist", "items", "special-terms"):
            assert r.data["受託者"]["名称"] in shown, slug
        if slug == "items":
            assert "・<img src=x onerror=alert(1)>" in shown and "・|" in shown
