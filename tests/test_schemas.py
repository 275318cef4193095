"""The schema files themselves: valid 2020-12, documented in Japanese, closed, and with patterns
that mean what they say (anchored, ASCII digits only, no trailing newline)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from daicho import schemas
from daicho.forms import load_forms

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = ROOT / "schemas"
RAW = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(SCHEMA_DIR.glob("*.json"))}
TYPES = schemas.record_types(SCHEMA_DIR)
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
FULL_WIDTH = str.maketrans("0123456789D", "０１２３４５６７８９Ｄ")


def nodes(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every subschema that describes data, with a readable location (``if`` and ``not`` only
    test data, so they need neither titles nor closed objects)."""
    if isinstance(node, dict):
        yield where or "/", node
        for key, value in node.items():
            if key in ("properties", "$defs"):
                for name, sub in value.items():
                    yield from nodes(sub, f"{where}/{name}")
            elif key in ("items", "then", "else"):
                yield from nodes(value, f"{where}[{key}]")
            elif key in ("allOf", "anyOf", "oneOf"):
                for i, sub in enumerate(value):
                    yield from nodes(sub, f"{where}[{key}{i}]")


def properties(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for where, node in nodes(schema):
        for name, sub in node.get("properties", {}).items():
            yield f"{where.rstrip('/')}/{name}", sub


def test_record_types_and_folders() -> None:
    assert {t: (rt.folder) for t, rt in TYPES.items()} == {
        "organization": ".", "settings": ".", "jimu": "jimu", "file": "files", "contract": "contracts",
        "incident": "incidents", "disclosure": "disclosure", "usage": "usage"}


@pytest.mark.parametrize("name", RAW)
def test_schema_files_are_valid_2020_12(name: str) -> None:
    Draft202012Validator.check_schema(RAW[name])
    assert RAW[name]["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("name", TYPES)
def test_schemas_with_forms_injected_are_valid(name: str) -> None:
    Draft202012Validator.check_schema(TYPES[name].schema)


@pytest.mark.parametrize("name", RAW)
def test_every_property_has_a_japanese_description_and_a_title(name: str) -> None:
    missing = [where for where, prop in properties(RAW[name])
               if not prop.get("title") or not JAPANESE.search(prop.get("description", ""))]
    assert missing == []


@pytest.mark.parametrize("name", RAW)
def test_objects_are_closed(name: str) -> None:
    open_objects = [where for where, node in nodes(RAW[name])
                    if "properties" in node and node.get("additionalProperties") is not False]
    assert open_objects == []


def _patterns() -> list[tuple[str, str, dict[str, Any]]]:
    return [(f"{name}{where}", node["pattern"], node)
            for name, schema in RAW.items() for where, node in nodes(schema) if "pattern" in node]


@pytest.mark.parametrize(("where", "pattern", "node"), _patterns(), ids=[p[0] for p in _patterns()])
def test_patterns_are_anchored_and_ascii(where: str, pattern: str, node: dict[str, Any]) -> None:
    assert pattern.startswith("^") and pattern.endswith("$"), pattern
    # \d, \w and \s match full-width digits and letters in Python: spell out [0-9].
    assert not re.search(r"\\[dwsDWS]", pattern), pattern


@pytest.mark.parametrize("pattern", sorted({p for _, p, _ in _patterns()}))
def test_patterns_refuse_trailing_newline_and_full_width(pattern: str) -> None:
    examples = [e for _, p, node in _patterns() if p == pattern for e in node.get("examples", [])]
    # Every pattern carries an example: error messages show it (「…（例: D1101）」).
    assert examples, pattern
    check = schemas.jsonschema().Validator({"type": "string", "pattern": pattern})
    for example in examples:
        assert check.is_valid(example), example
        assert not check.is_valid(example + "\n")
        assert not check.is_valid("\n" + example)
        if example.translate(FULL_WIDTH) != example:
            assert not check.is_valid(example.translate(FULL_WIDTH))


@pytest.mark.parametrize("name", RAW)
def test_enums_are_non_empty_and_unique(name: str) -> None:
    for where, node in nodes(RAW[name]):
        if "enum" in node:
            assert node["enum"] and len(set(map(str, node["enum"]))) == len(node["enum"]), where


def test_dates_are_real_dates() -> None:
    date = schemas.jsonschema().Validator({"$ref": RAW["common.json"]["$id"] + "#/$defs/日付"},
                              registry=TYPES["jimu"].validator._registry,
                              format_checker=schemas.jsonschema().format_checker)
    for good in ["2025-06-27", "2024-02-29", "2000-02-29"]:
        assert date.is_valid(good), good
    for bad in ["2025-02-30", "2023-02-29", "1900-02-29", "2025-13-01", "2025-00-10", "2025-6-27",
                "2025/06/27", "令和7年6月27日", "2025-06-27\n", "２０２５-０６-２７", "20250627"]:
        assert not date.is_valid(bad), bad


def test_forms_drive_the_contract_schema() -> None:
    forms = load_forms(SCHEMA_DIR)
    contract = TYPES["contract"].schema["properties"]
    answers = contract["チェックリスト"]["properties"]["回答"]
    assert list(answers["properties"]) == [q["id"] for q in forms.questions]
    for q in forms.questions:
        assert answers["properties"][q["id"]]["enum"] == q["選択肢"]
        assert q["文言"] in answers["properties"][q["id"]]["description"]
    result = contract["検査"]["items"]["properties"]["結果"]
    assert result["required"] == [i["id"] for i in forms.inspection_items]
    assert result["properties"][forms.inspection_items[0]["id"]]["properties"]["判定"]["enum"] == forms.verdicts
    measures = contract["管理体制等報告書"]["items"]["properties"]["安全管理措置"]["properties"]
    for group in forms.safety_groups:
        assert measures[group["id"]]["items"]["enum"] == [m["id"] for m in group["項目"]]
    # The Japanese title the schema file gives wins over the form's id.
    assert answers["title"] == "回答"


@pytest.mark.parametrize(("rtype", "path", "title"), [
    ("contract", ("検査", 0, "種別"), "種別"),
    ("contract", ("検査", 3, "結果", "漏えい等の防止", "判定"), "判定"),
    ("contract", ("履行期間", "終了"), "終了"),
    ("incident", ("件数",), "漏えいした個人情報の件数"),
    ("file", ("名称",), None),
])
def test_title_at(rtype: str, path: tuple[str | int, ...], title: str | None) -> None:
    got = schemas.title_at(TYPES[rtype].schema, path)
    if title is None:
        assert got and JAPANESE.search(got)
    else:
        assert got == title
