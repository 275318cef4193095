"""入力フォーム in Chromium, under the site's Content-Security-Policy (issue 16 acceptance).

- a new 委託契約 filled in by keyboard alone gives a file that `daicho validate` accepts and
  `daicho fmt --check` leaves unchanged, at the path and with the id `daicho new` would use;
- wrong values show the same codes and Japanese messages that `daicho validate` prints for the
  file the form writes;
- hostile text stays literal in the file and on the page;
- every demo record opened in its edit form and saved unchanged gives its file byte for byte
  (comments aside);
- the pages pass axe-core (WCAG 2.0 A/AA, as tests/test_a11y.py).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from daicho import jsdeps, repository, yamlfmt, yamlio
from daicho.render import entry
from tests.browser import ROOT, Server, Watched, build_site, make_repo, serve
from tests.conftest import run_daicho
from tests.test_a11y import AXE_RUN_JS, AXE_TAGS, CONTRAST_JS, STRUCTURE_JS, axe_source  # noqa: F401 - the fixture, by name
from tests.test_csp import console, csp_server  # noqa: F401 - the fixture, by name
from tests.test_validate_cli import copy_demo

pytestmark = pytest.mark.browser
HOSTILE = ["<img src=x onerror=alert(1)>", "'; alert(2); '", "{{ 7*7 }}", "a: b # c", "- [x]", "&amp; <b>太字</b>",
           "行1\n<script>alert(3)</script>\n行3"]


@pytest.fixture(scope="module")
def server(request: pytest.FixtureRequest) -> Server:
    """The demo site served with its Content-Security-Policy (test_csp), with the validator."""
    if not jsdeps.installed(ROOT, jsdeps.VALIDATOR):
        reason = "入力中の検査の部品（@cfworker/json-schema）がありません: make install で入ります"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return request.getfixturevalue("csp_server")


@pytest.fixture(scope="module")
def demo() -> repository.Repository:
    return repository.load(ROOT)


def open_form(page: Watched, server: Server, rtype: str, edit: str | None = None) -> Any:
    p = page.page
    p.goto(server.url + f"entry/{rtype}.html" + (f"?edit={edit}" if edit else ""))
    p.wait_for_selector("form.daicho-entry-form")
    return p


# --- keyboard -------------------------------------------------------------------------------

def focused(p: Any) -> str:
    return p.evaluate("() => document.activeElement ? document.activeElement.id : ''")


def tab_to(p: Any, target: str, limit: int = 600) -> None:
    """Tab (forward) until the element with id ``target`` has the focus."""
    for _ in range(limit):
        if focused(p) == target:
            return
        p.keyboard.press("Tab")
    raise AssertionError(f"Tab で {target} に届きません（いま {focused(p)}）")


def type_into(p: Any, target: str, text: str) -> None:
    tab_to(p, target)
    p.keyboard.type(text)
    p.keyboard.press("Tab")  # leaving the field commits it (change)


def choose(p: Any, target: str, value: str) -> None:
    """Pick an option with the arrow keys (from the empty first option)."""
    tab_to(p, target)
    values = p.evaluate("(id) => [...document.getElementById(id).options].map(o => o.value)", target)
    assert value in values, (target, value, values[:5])
    for _ in range(values.index(value)):
        p.keyboard.press("ArrowDown")
    assert p.evaluate("(id) => document.getElementById(id).value", target) == value
    p.keyboard.press("Tab")


def press(p: Any, target: str, key: str = "Enter") -> None:
    tab_to(p, target)
    p.keyboard.press(key)


def f(*path: str | int) -> str:
    """The id of a field (entry.js: "f" + its JSON path)."""
    return "f$" + "".join(f"[{x}]" if isinstance(x, int) else f".{x}" for x in path)


def css(element_id: str) -> str:
    return f"[id='{element_id}']"


def made_file(p: Any) -> tuple[str, str]:
    return p.locator(".daicho-entry-path").inner_text(), p.locator("#entry-yaml").input_value()


def validate_file(tmp_path: Path, rel: str, text: str) -> tuple[int, list[dict[str, Any]], int]:
    """`daicho validate --format json` and `daicho fmt --check` on a copy of the demo with the file."""
    repo = copy_demo(tmp_path)
    target = repo / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8", newline="\n")
    proc = run_daicho("validate", "--format", "json", cwd=repo)
    issues = [i for i in json.loads(proc.stdout)["issues"] if i["file"] == rel]
    fmt = run_daicho("fmt", "--check", rel, cwd=repo)
    return proc.returncode, issues, fmt.returncode


# --- acceptance -----------------------------------------------------------------------------

def test_new_contract_by_keyboard_alone_is_accepted_by_validate_and_fmt(
        page: Watched, server: Server, demo: repository.Repository, tmp_path: Path) -> None:
    messages = console(page)
    p = open_form(page, server, "contract")
    p.focus("body")
    type_into(p, f("案件名"), "令和8年度 特定健診結果通知書の印刷・封入封緘業務委託")
    choose(p, f("所管課"), "D1501")
    press(p, f("事務") + "-add")
    assert focused(p) == f("事務", 0)  # the new entry has the focus
    choose(p, f("事務", 0), "J-D1501-001")
    type_into(p, f("受託者", "名称"), "株式会社テスト印刷")
    # 和暦, read as 2026-03-27: signed in 年度 2025 for work from April, so the id's 年度 is 2026
    # (x-daicho id_from: the start of the work first, as the importer and the demo number them).
    type_into(p, f("契約日"), "令和8年3月27日")
    assert "令和8年3月27日 (2026-03-27)" in p.locator(f"[id='{f('契約日')}-reading']").inner_text()
    type_into(p, f("履行期間", "開始"), "2026/4/1")
    type_into(p, f("履行期間", "終了"), "2027-03-31")
    choose(p, f("契約形態"), "通常")
    choose(p, f("個人情報の取扱い"), "true")
    type_into(p, f("チェックリスト", "提出日"), "令和8年3月25日")
    for q in demo.types["contract"].schema["properties"]["チェックリスト"]["properties"]["回答"]["properties"]:
        choose(p, f("チェックリスト", "回答", q), "はい" if q != "問3" else "該当なし")
    choose(p, f("特記仕様書"), "特記仕様書")
    for i, item in enumerate(["氏名", "住所"]):
        press(p, f("取扱い個人情報一覧") + "-add")
        type_into(p, f("取扱い個人情報一覧", i), item)
    press(p, "entry-save")

    assert p.locator("#entry-summary").inner_text().strip() == "スキーマの検査では誤りはありません。"
    rel, text = made_file(p)
    record_id = yamlio.load(text).data["id"]
    assert re.fullmatch(r"C-2026-D1501-[0-9A-HJKMNP-TV-Z]{5}", record_id) and demo.get(record_id) is None
    assert rel == f"records/contracts/2026/{record_id}.yaml"
    assert p.locator(f"[id='{f('id')}']").inner_text() == record_id
    code, issues, fmt_code = validate_file(tmp_path, rel, text)
    assert [i for i in issues if i["severity"] == "error"] == [] and code == 0, issues
    assert fmt_code == 0, "daicho fmt --check would change the file"
    # The forge hand-off (settings: forgejo) carries exactly that path and content.
    link = p.locator("#entry-forge")
    query = parse_qs(urlsplit(link.get_attribute("href")).query)
    assert urlsplit(link.get_attribute("href")).path == "/kojin-hogo/daicho/_new/main/"
    assert query == {"filename": [rel], "value": [text]}
    assert messages == [] and not page.dialogs and not page.external(server.url)


def test_wrong_values_show_what_validate_says(page: Watched, server: Server, tmp_path: Path) -> None:
    p = open_form(page, server, "contract")
    p.fill(css(f("案件名")), "検査の確認")
    p.select_option(css(f("所管課")), "D1501")
    p.fill(css(f("契約日")), "2025-02-30")  # no such day
    p.locator(css(f("契約日"))).dispatch_event("change")
    shown = p.locator(f"[id='{f('契約日')}-error']")
    assert shown.is_visible()
    p.select_option(css(f("個人情報の取扱い")), "true")  # makes 事務, 特記仕様書, 取扱い個人情報一覧 required
    p.locator("#entry-save").click()
    form_errors = [(li.get_attribute("data-code"), li.inner_text()) for li in p.locator("#entry-summary li").all()]
    rel, text = made_file(p)
    code, issues, _ = validate_file(tmp_path, rel, text)
    assert code == 1
    schema_issues = [(i["code"], f"エラー[{i['code']}] {i['message']} ({i['json_path']})") for i in issues
                     if i["code"].startswith("E-SCHEMA-")]
    assert sorted(form_errors) == sorted(schema_issues)
    assert ("E-SCHEMA-FORMAT", "エラー[E-SCHEMA-FORMAT] 「契約日」は実在する日付を YYYY-MM-DD で書いてください ($.契約日)") in form_errors
    assert shown.inner_text().strip() == "エラー[E-SCHEMA-FORMAT] 「契約日」は実在する日付を YYYY-MM-DD で書いてください"
    assert any(c == "E-SCHEMA-REQUIRED" and "「特記仕様書」" in t for c, t in form_errors)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_stays_literal(page: Watched, server: Server, hostile: str) -> None:
    messages = console(page)
    p = open_form(page, server, "contract")
    p.select_option(css(f("所管課")), "D1501")
    for field in (f("案件名"), f("受託者", "名称"), f("備考")):
        p.fill(css(field), hostile)
        p.locator(css(field)).dispatch_event("change")
    p.locator("#entry-save").click()
    _, text = made_file(p)
    data = yamlio.load(text).data
    assert data["備考"] == hostile  # a text area keeps every character, line breaks too
    # Single-line fields: what the input holds (a browser drops line breaks from an input).
    assert data["案件名"] == data["受託者"]["名称"] == p.locator(css(f("案件名"))).input_value()
    assert p.locator("#entry-yaml").input_value() == text
    assert p.evaluate("() => document.querySelectorAll('.daicho-entry-app img, .daicho-entry-app script, "
                      ".daicho-entry-app b').length") == 0
    assert not page.dialogs and messages == []


def test_every_demo_record_saved_unchanged_gives_its_file(page: Watched, server: Server,
                                                          demo: repository.Repository) -> None:
    defs = json.loads((demo.schema_dir / "common.json").read_text(encoding="utf-8"))["$defs"]
    records = [r for r in demo.records if r.type in entry.TYPES]
    p = page.page
    # The theme's own scripts play no part in the form; left out, each of the ~170 page loads
    # takes a fraction of the time on a loaded machine.
    p.route("**/assets/javascripts/**", lambda route: route.abort())
    different = []
    for r in records:
        open_form(page, server, r.type, edit=r.id)
        p.locator("#entry-save").click()
        rel, text = made_file(p)
        original = (ROOT / r.path).read_text(encoding="utf-8")
        if rel != r.path or text != yamlfmt.without_comments(original, demo.types[r.type].schema, defs):
            different.append(r.path)
        elif not p.locator("#entry-forge").get_attribute("href").endswith("/_edit/main/" + r.path):
            different.append(f"{r.path}: edit link")
    assert len(records) > 100 and different == []


@pytest.mark.parametrize("edit", [None, "C-2023-D2104-001"])
def test_form_pages_pass_axe(page: Watched, demo_server: Server, request: pytest.FixtureRequest,
                             edit: str | None) -> None:
    """axe-core (WCAG 2.0 A/AA) and the structure checks of test_a11y, with the errors and the
    made file on screen (the state a clerk sees most). Served without the CSP, which would refuse
    the injected axe script."""
    p = open_form(page, demo_server, "contract", edit=edit)
    p.locator("#entry-save").click()
    p.set_viewport_size({"width": 1280, "height": min(p.evaluate("document.documentElement.scrollHeight") + 16, 16000)})
    p.add_script_tag(content=request.getfixturevalue("axe_source"))
    result = p.evaluate(AXE_RUN_JS, AXE_TAGS)
    violations = [f"{v['id']} {' '.join(map(str, n['target']))}" for v in result["violations"] for n in v["nodes"]]
    undecided = [" ".join(map(str, n["target"])) for v in result["incomplete"] if v["id"] == "color-contrast"
                 for n in v["nodes"]]
    contrast = [f"{sel}: {reason or ratio}" for sel, ratio, required, reason in p.evaluate(CONTRAST_JS, undecided)
                if reason or ratio < required]
    assert violations == [] and contrast == [] and p.evaluate(STRUCTURE_JS) == []


def test_inspection_added_from_the_contract_page_and_removed_again(
        page: Watched, server: Server, demo: repository.Repository, tmp_path: Path) -> None:
    """「検査を追加」 on a contract page opens its form with a new, focused inspection; the file
    then differs from the record by that inspection only; removing it gives the record back."""
    contract = demo.get("C-2025-D1501-001")
    assert contract is not None
    p = page.page
    p.goto(server.url + f"contracts/{contract.id}.html")
    with p.expect_navigation():
        p.get_by_role("navigation", name="この記録の修正").get_by_role("link", name="検査を追加").click()
    p.wait_for_selector("form.daicho-entry-form")
    n = len(contract.data.get("検査", []))
    assert focused(p) == f("検査", n, "種別")
    p.keyboard.press("ArrowDown")  # 書面検査
    p.fill(css(f("検査", n, "実施日")), "令和8年1月20日")
    p.locator(css(f("検査", n, "実施日"))).dispatch_event("change")
    items = [k for k in demo.types["contract"].schema["properties"]["検査"]["items"]["properties"]["結果"]["properties"]]
    for item in items:
        p.select_option(css(f("検査", n, "結果", item, "判定")), "適")
    p.locator("#entry-save").click()
    rel, text = made_file(p)
    data = yamlio.load(text).data
    assert rel == contract.path and data["検査"][:n] == contract.data["検査"][:n]
    assert data["検査"][n] == {"種別": "書面検査", "実施日": "2026-01-20", "結果": {i: {"判定": "適"} for i in items}}
    assert {k: v for k, v in data.items() if k != "検査"} == {k: v for k, v in contract.data.items() if k != "検査"}
    code, issues, fmt_code = validate_file(tmp_path, rel, text)
    assert code == 0 and fmt_code == 0, issues

    p.get_by_role("button", name=f"検査 {n + 1} を削除").press("Enter")
    assert focused(p) == f("検査") + "-add"
    p.locator("#entry-save").click()
    original = (ROOT / contract.path).read_text(encoding="utf-8")
    defs = json.loads((demo.schema_dir / "common.json").read_text(encoding="utf-8"))["$defs"]
    assert made_file(p)[1] == yamlfmt.without_comments(original, demo.types["contract"].schema, defs)


@pytest.fixture(scope="module")
def gitlab_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The demo built with リポジトリ set to GitLab, whose new-file page takes no content."""
    repo = make_repo(tmp_path_factory.mktemp("gitlab") / "repo")
    settings = repo / "records" / "settings.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text[:text.index("リポジトリ:")] + "リポジトリ:\n  種類: gitlab\n"
                        "  URL: https://gitlab.city.example/kojin/daicho\n", encoding="utf-8")
    (repo / ".daicho-cache").mkdir()
    (repo / ".daicho-cache" / "js").symlink_to(jsdeps.js_dir(ROOT), target_is_directory=True)  # the validator
    site = repo / "site"
    build_site(repo, site)
    server = serve(site)
    yield server
    server.close()


def test_gitlab_hand_off_copies_downloads_and_links_the_folder(browser: Any, gitlab_server: Server) -> None:
    context = browser.new_context(locale="ja-JP", service_workers="block", accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=gitlab_server.url.rstrip("/"))
    p = context.new_page()
    try:
        p.goto(gitlab_server.url + "entry/jimu.html")
        p.wait_for_selector("form.daicho-entry-form")
        p.select_option(css(f("所管課")), "D1501")
        p.locator("#entry-save").click()
        rel, text = made_file(p)
        assert re.fullmatch(r"records/jimu/J-D1501-[0-9A-HJKMNP-TV-Z]{5}\.yaml", rel)
        assert p.locator("#entry-forge").get_attribute("href") == \
            "https://gitlab.city.example/kojin/daicho/-/new/main/records/jimu"
        assert rel.rsplit("/", 1)[1] in p.locator(".daicho-entry-steps").inner_text()
        p.locator("#entry-copy").click()
        assert p.evaluate("() => navigator.clipboard.readText()") == text
        with p.expect_download() as download:
            p.locator("#entry-download").click()
        assert download.value.suggested_filename == rel.rsplit("/", 1)[1]
        assert Path(download.value.path()).read_text(encoding="utf-8") == text
        # An edit: copy, and a link to GitLab's edit page of that file.
        p.goto(gitlab_server.url + "entry/jimu.html?edit=J-D1101-001")
        p.wait_for_selector("form.daicho-entry-form")
        p.locator("#entry-save").click()
        assert p.locator("#entry-forge").get_attribute("href") == \
            "https://gitlab.city.example/kojin/daicho/-/edit/main/records/jimu/J-D1101-001.yaml"
    finally:
        context.close()
