"""The type model (issue 14 item 1): every per-type fact comes from the schemas' x-daicho, and
the code that used to keep its own copy (ids, folders, labels, rule reads, search kinds) now
follows an edit of the schema."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest

from daicho import render, repository, scaffold
from daicho.dates import fiscal_year
from daicho.render.common import SECTION, TYPE_LABEL, record_page, record_title
from daicho.schemas import SchemaFileError
from daicho.typemodel import inline, model, resolve
from tests.browser import DEMO_TODAY, ROOT, Server, Watched

SCHEMAS = ROOT / "schemas"
PACKAGE = ROOT / "scripts" / "daicho"


def test_every_type_declares_its_facts() -> None:
    types = model(SCHEMAS)
    assert set(types.types) == {"jimu", "file", "contract", "incident", "disclosure", "organization", "settings",
                                "usage"}
    for info in types.types.values():
        assert re.search(r"[ぁ-んァ-ン一-龥]", info.label)
        if info.title_field:
            assert info.title_field in info.schema["properties"]
        if info.reads is not None:
            assert "id" in info.reads and set(info.reads) <= set(info.schema["properties"])
        if info.id_template:  # a new id matches the schema's own id pattern
            new = info.new_id(fy=2025, dept="D1101", rand="7K3QZ")
            assert re.search(info.id_pattern.rstrip("$") + r"\Z", new), (info.name, new)
            assert "{fy}" in info.id_template or not info.fiscal_year_folders
    assert types["contract"].record_folder(2025) == "records/contracts/2025"
    assert types["jimu"].record_folder(2025) == "records/jimu"
    assert types["organization"].record_folder() == "records"


def test_every_demo_id_is_numbered_from_the_fields_id_from_names() -> None:
    """x-daicho id_from is where the form, the importer and `daicho new` take a new id's 部署 and
    年度; every demo record's id agrees with it (a contract: the 年度 its work starts in)."""
    types, repo = model(SCHEMAS), repository.load(ROOT)
    checked = 0
    for record in repo.records:
        info = types.types.get(record.type)
        if not info or not info.id_template or "{fy}" not in info.id_template:
            continue
        dept, source = info.id_parts(record.data)
        fy = source if isinstance(source, int) else fiscal_year(source)
        assert record.id.startswith(info.id_template.format(fy=fy, dept=dept, rand="")), record.id
        checked += 1
    assert checked >= 50
    march = {"所管課": "D1501", "契約日": "2026-03-27", "履行期間": {"開始": "2026-04-01"}}
    assert types["contract"].id_parts(march) == ("D1501", "2026-04-01")
    assert types["contract"].id_parts({"所管課": "D1501", "契約日": "2026-03-27"}) == ("D1501", "2026-03-27")
    assert types["incident"].id_parts({"発生部署": ["D2101", "D1101"]}) == ("D2101", None)


def test_fields_in_order_with_item_numbers_public_flags_and_aliases() -> None:
    fields = model(SCHEMAS)["file"].fields()
    numbered = [f for f in fields if f.item]
    assert [f.item for f in numbered][:10] == ["1", "2", "3", "4", "5", "6", "7", "8", "8a", "9"]
    name = model(SCHEMAS)["file"].field_at("名称")
    assert (name.heading, name.kind, name.public, name.required) == ("個人情報ファイルの名称", "text", True, True)
    assert "ファイル名" in name.aliases
    assert model(SCHEMAS)["file"].field_at("所管課").kind == "dept"
    assert model(SCHEMAS)["file"].field_at("実施機関").kind == "organ"
    # An object's members follow it, with their paths.
    paths = [f.path for f in model(SCHEMAS)["contract"].fields()]
    assert paths.index(("受託者", "名称")) == paths.index(("受託者",)) + 1
    assert model(SCHEMAS)["contract"].field_at("受託者", "名称").required


def test_the_one_resolver() -> None:
    defs = model(SCHEMAS).defs
    node = {"$ref": "common.json#/$defs/日付", "title": "契約日"}
    resolved = resolve(node, defs)
    assert resolved["format"] == "date" and resolved["title"] == "契約日" and resolved["x-ref"] == "日付"
    assert resolve({"type": "string"}, defs) == {"type": "string"}
    assert "$ref" not in json.dumps(inline(model(SCHEMAS)["contract"].record_type.schema, defs))
    # No module but the type model resolves common.json references by hand.
    by_hand = [p.name for p in PACKAGE.rglob("*.py") if '"common.json#/$defs/"' in p.read_text(encoding="utf-8")
               and p.name != "typemodel.py"]
    assert by_hand == []


def _repo_with(tmp_path: Path, edit: dict[str, dict[str, object]]) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(SCHEMAS, root / "schemas")
    shutil.copytree(ROOT / "tests" / "fixtures" / "site" / "records", root / "records")
    for name, changes in edit.items():
        path = root / "schemas" / f"{name}.json"
        schema = json.loads(path.read_text(encoding="utf-8"))
        schema["x-daicho"].update(changes)
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2), encoding="utf-8")
    return root


def test_the_site_new_and_search_follow_the_schema(tmp_path: Path) -> None:
    root = _repo_with(tmp_path, {"jimu": {"label": "事務（改）", "page": "work", "title": "事務の目的"},
                                 "contract": {"id": "K-{fy}-{dept}-{rand}"}})
    repo = repository.load(root)
    pages = render.pages(repo, dt.date.fromisoformat(DEMO_TODAY))
    jimu = repo.of_type("jimu")[0]
    assert record_page("jimu", jimu.id) == f"work/{jimu.id}.md" and record_page("jimu", jimu.id) in pages
    assert SECTION["jimu"] == "work" and TYPE_LABEL["jimu"] == "事務（改）"
    assert record_title(jimu) == jimu.data["事務の目的"]
    # The search index's 種別 (results' labels and the filter) is the type's label.
    assert '種別&#34;:&#34;事務（改）&#34;' in pages[f"work/{jimu.id}.md"]
    path, text = scaffold.record_text(repo, "contract", "D1101", 2026)
    assert re.fullmatch(r"records/contracts/2026/K-2026-D1101-[0-9A-Z]{5}\.yaml", path)
    # Back to the real schemas: the next build answers from them again.
    render.pages(repository.load(ROOT), dt.date.fromisoformat(DEMO_TODAY))
    assert SECTION["jimu"] == "jimu"


@pytest.mark.parametrize("rtype", ["contract", "incident"])
def test_fiscal_year_folders_come_from_the_schema(rtype: str, tmp_path: Path) -> None:
    root = _repo_with(tmp_path, {})
    src = next((root / "records").glob(f"{model(SCHEMAS)[rtype].folder}/*/*.yaml"))
    wrong = src.parent.parent / "1999"
    wrong.mkdir()
    src.rename(wrong / src.name)

    def codes() -> set[str]:
        return {i.code for i in repository.load(root).issues if i.file.endswith(src.name)}

    assert codes() == {"E-PATH-FY"}
    schema = root / "schemas" / f"{rtype}.json"
    data = json.loads(schema.read_text(encoding="utf-8"))
    data["x-daicho"]["fiscal_year_folders"] = False
    schema.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    assert codes() == set()  # not a fiscal-year type any more: its folder is not checked


@pytest.mark.browser
def test_search_results_are_labelled_from_the_type_model(page: Watched, demo_server: Server) -> None:
    page.page.goto(demo_server.url + "search.html?q=" + "卒業アルバム")
    page.page.wait_for_selector("#daicho-results li")
    shown = dict(page.page.eval_on_selector_all(
        "#daicho-results li",
        "lis => lis.map(li => [li.querySelector('a').href, (li.querySelector('.daicho-result-kind') || {}).textContent])"))
    shown = {href.removeprefix(demo_server.url): kind for href, kind in shown.items()}
    assert shown["incidents/I-2024-D2101-01.html"] == "漏えい等事案"
    assert shown["jimu/J-D2101-003.html"] == "個人情報取扱事務"
    assert shown["contracts/C-2021-D2101-001.html"] == "委託契約"


@pytest.mark.parametrize("change, message", [
    ({"titel": "案件名"}, "x-daicho に「titel」という項目はありません"),
    ({"title": "案件"}, "x-daicho の「案件」はこのスキーマの項目にありません"),
    ({"reads": ["id", "契約番号"]}, "x-daicho の「契約番号」はこのスキーマの項目にありません"),
    ({"id_from": {"dept": "所管課", "fy": ["履行開始日"]}}, "x-daicho の「履行開始日」はこのスキーマの項目にありません"),
    ({"id_from": {"year": ["契約日"]}}, "x-daicho の id_from に「year」という項目はありません"),
    ({"id_from": {"dept": "所管課"}}, "x-daicho の id に {fy} があるのに id_from に「fy」がありません"),
])
def test_a_wrong_x_daicho_block_is_a_broken_schema(change: dict[str, object], message: str, tmp_path: Path) -> None:
    root = _repo_with(tmp_path, {"contract": change})
    with pytest.raises(SchemaFileError) as info:
        model(root / "schemas")
    assert (info.value.file, info.value.code) == ("schemas/contract.json", "E-SCHEMA-FILE")
    assert message in info.value.message
