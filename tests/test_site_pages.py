"""What the generated pages say, checked on the site fixture (tests/fixtures/site/records, the
seed's six incidents and contracts around them) through ``daicho.render.pages``."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest

from daicho import history, render, repository
from daicho.forms import load_forms
from daicho.rules import obligations
from tests.browser import ROOT, make_repo

FIXTURE = ROOT / "tests" / "fixtures" / "site" / "records"
TODAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> repository.Repository:
    root = make_repo(tmp_path_factory.mktemp("site-fixture") / "repo", FIXTURE)
    loaded = repository.load(root)
    assert not loaded.errors, loaded.errors[:3]
    return loaded


@pytest.fixture(scope="module")
def pages(repo: repository.Repository) -> dict[str, str]:
    return render.pages(repo, TODAY)


def text(html: str) -> str:
    """The visible text of an HTML snippet, whitespace collapsed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def rows(html: str) -> list[list[str]]:
    return [[text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)]
            for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S)]


def test_pages_is_a_pure_function(repo: repository.Repository, pages: dict[str, str]) -> None:
    assert render.pages(repo, TODAY) == pages
    assert render.pages(repo, TODAY + dt.timedelta(days=1))["index.md"] != pages["index.md"]


def test_every_page_is_front_matter_and_one_html_block(pages: dict[str, str]) -> None:
    for path, md in pages.items():
        if path.startswith("report/"):
            continue  # the annual report's pages are its own
        front, body = re.match(r"---\n(.*?)\n---\n\n(.*)", md, re.S).groups()  # type: ignore[union-attr]
        assert body.startswith("<div") and body.rstrip().endswith("</div>"), path
        assert "\n\n" not in body, f"{path}: a blank line would end the HTML block"


def test_file_sheet_lists_the_statutory_items_in_order(pages: dict[str, str]) -> None:
    sheet = pages["files/F-D1501-001.md"]
    table = sheet[sheet.index('data-daicho="sheet"'):sheet.index("</table>", sheet.index('data-daicho="sheet"'))]
    numbers = [r[0] for r in rows(table)[1:]]
    assert numbers == ["1", "2", "3", "4", "5", "6", "7", "8", "8a", "9", "10", "11", "12", "12a",
                       "13", "14", "15", "16", "17", "18"]  # DOMAIN §6
    body = dict((r[0], r[2]) for r in rows(table)[1:])
    assert body["2"] == "八千代市長"  # 行政機関等の名称, not the short 実施機関 name
    assert body["3"] == "健康づくり課"
    assert "公表しない項目: 検診結果" in body["5"]
    assert body["12"] == "電算処理ファイル" and body["12a"] == "有"
    assert "がん検診事務" in text(sheet)  # linked 事務


def test_jimu_page_links_its_files_and_contracts(pages: dict[str, str]) -> None:
    page = pages["jimu/J-D1501-001.md"]
    assert 'href="../files/F-D1501-001.html"' in page
    for cid in ("C-2023-D1501-001", "C-2025-D1501-001", "C-2026-D1501-001"):
        assert f'href="../contracts/{cid}.html"' in page
    assert 'href="../departments/D1501.html"' in page
    assert "令和5年4月1日 (2023-04-01)" in text(page)  # 登録年月日 as 和暦 with 西暦


def test_contract_page_shows_the_forms_with_their_wording(repo: repository.Repository,
                                                         pages: dict[str, str]) -> None:
    page = pages["contracts/C-2024-D8103-001.md"]
    plain = text(page)
    forms = load_forms(repo.schema_dir)
    for q in forms.questions:
        assert text(q["文言"]) in plain
    measures = {m["id"]: m["文言"] for g in forms.safety_groups for m in g["項目"]}
    assert f"☑ 講じている: {measures['ファイアウォール']}" in plain
    assert f"☐ チェックなし: {measures['機器の固定']}" in plain
    for item in forms.inspection_items:
        assert item["点検事項"] in plain
    assert "否 VPN 装置の脆弱性対策が未実施であった" in plain
    assert "個人情報の取扱いに関する特記仕様書（資料4）" in plain
    assert "令和6年度" in plain and 'href="../incidents/I-2024-D8103-01.html"' in page
    assert 'href="../departments/D8103.html"' in page
    # A finding in the checklist is spelled out, not only coloured.
    assert "いいえ （適合しない回答）" in text(pages["contracts/C-2026-D2101-001.md"])
    assert "未受理" in text(pages["contracts/C-2025-D1501-001.md"])  # open improvement
    assert "No.6 漏えい，滅失等の防止 — 改善報告書 未受理" in text(pages["contracts/C-2025-D1501-001.md"])


def test_incident_page_follows_the_seed_sheet(pages: dict[str, str]) -> None:
    page = pages["incidents/I-2024-D2101-01.md"]
    sheet = page[page.index('data-daicho="sheet"'):page.index("</table>", page.index('data-daicho="sheet"'))]
    assert [r[0] for r in rows(sheet)] == [
        "事案の件名", "発生部署", "判明日又は発生日", "概要", "判明した経緯", "漏えいした個人情報の概要",
        "漏えいした個人情報の件数", "発生原因", "発生時の対応", "講じた再発防止策"]
    plain = text(page)
    assert "令和7年3月4日 (2025-03-04)" in plain and "1,629人" in plain and "令和6年度" in plain
    assert "氏名・個人写真の画像データ" in plain
    assert "通知困難・代替措置" in plain and "市及び教育委員会ホームページへの掲載" in plain
    assert 'href="../contracts/C-2024-D2101-001.html"' in page


def test_statuses_come_from_the_compliance_rules(repo: repository.Repository, pages: dict[str, str]) -> None:
    expected = {(o.record_id, o.kind, o.status) for o in obligations(repo, TODAY)
                if o.kind in ("書面検査", "実地検査") and o.fy == 2026}
    shown = set()
    for r in rows(pages["inspections/2026.md"]):
        m = re.match(r"(.*) (C-\S+)$", r[0]) if r else None
        if m:  # 記録, 義務, 所管課, 期限, 実施日, 残り日数, 状況, 根拠
            shown.add((m.group(2), r[1].split("（")[0], r[6].replace("（期限後に実施）", "")))
    assert shown == expected
    # The home dashboard lists the incident whose 速報 is past due, with the rule's status.
    home = text(pages["index.md"])
    assert "特定健診受診券の誤送付 I-2026-D1402-01 速報" in home and "期限切れ" in home


def test_department_page_gathers_what_it_owns(pages: dict[str, str]) -> None:
    page = pages["departments/D1501.md"]
    for target in ("jimu/J-D1501-001", "jimu/J-D1501-002", "files/F-D1501-001", "contracts/C-2025-D1501-001",
                   "incidents/I-2023-D1501-01", "incidents/I-2024-D1501-01"):
        assert f'href="../{target}.html"' in page
    incident = pages["departments/D8104.md"]  # second 発生部署 of the 不正アクセス incident
    assert 'href="../incidents/I-2024-D8103-01.html"' in incident


def test_history_is_read_in_one_git_log_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if shutil.which("git") is None:
        pytest.skip("git がありません")
    root = make_repo(tmp_path / "repo", FIXTURE)
    env = {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}

    def git(*args: str, author: str = "法務 花子 <hanako@example.jp>") -> None:
        name, mail = author[:-1].split(" <")
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                       env={**env, "PATH": "/usr/bin:/bin", "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": mail,
                            "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": mail,
                            "GIT_AUTHOR_DATE": "2026-04-01T09:00:00+09:00",
                            "GIT_COMMITTER_DATE": "2026-04-01T09:00:00+09:00"})

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-q", "-m", "記録を登録")
    record = root / "records" / "jimu" / "J-D1502-001.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "備考: 送付先の管理をシステムに移行\n", encoding="utf-8")
    git("commit", "-q", "-am", "難病者援護金の備考を追記", author="健康 次郎 <jiro@example.jp>")

    calls: list[list[str]] = []
    real = subprocess.run

    def spy(cmd, *args, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(cmd, list) and cmd[:1] == ["git"] and "log" in cmd:
            calls.append(cmd)
        return real(cmd, *args, **kwargs)

    monkeypatch.setattr(history.subprocess, "run", spy)
    out = render.pages(repository.load(root), TODAY)
    assert len(calls) == 1, "git log must run once per build, not once per record"
    page = text(out["jimu/J-D1502-001.md"])
    assert "健康 次郎 難病者援護金の備考を追記" in page and "法務 花子 記録を登録" in page
    assert page.index("難病者援護金の備考を追記") < page.index("記録を登録")  # newest first
    other = text(out["jimu/J-D1501-001.md"])
    assert "記録を登録" in other and "備考を追記" not in other
    recent = text(out["index.md"])
    assert recent.index("難病者援護金支給事務") < recent.index("がん検診事務")  # most recent first
