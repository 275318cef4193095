"""New records as clerks start them: every required key present, explained, and empty.

Empty values are placeholders: ``daicho validate`` reports each as 未記入 with its position
until it is filled. New ids end in five random characters (Crockford base32) instead of a
department sequence, so two branches that each add a record for the same department cannot
pick the same id; the validator still checks for duplicates on the merged result.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from daicho import dates
from daicho.dates import fiscal_year
from daicho.forms import load_forms
from daicho.repository import Repository
from daicho.typemodel import TypeInfo, model, resolve

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_id(repo: Repository, rtype: str, dept: str, fy: int) -> str:
    """A free id from the type's template (x-daicho ``id``), ``{rand}`` drawn last."""
    info = model(repo.schema_dir)[rtype]
    while True:
        rand = "".join(secrets.choice(ALPHABET) for _ in range(5))
        candidate = info.new_id(fy=fy, dept=dept, rand=rand)
        if repo.get(candidate) is None:
            return candidate


def _comment(prop: dict[str, Any], indent: str) -> str:
    text = f"{prop.get('title', '')}: {prop.get('description', '')}".replace("\n", " ")
    enum = prop.get("enum") or prop.get("items", {}).get("enum")
    if enum:
        text += f"（{'／'.join(map(str, enum))}）"
    return f"{indent}# {text}\n"


def _required(schema: dict[str, Any], extra: tuple[str, ...] = ()) -> list[str]:
    req = list(schema.get("required", []))
    for rule in schema.get("allOf", []):
        req += [k for k in rule.get("then", {}).get("required", []) if k in extra]
    return [k for k in schema.get("properties", {}) if k in req]


def _emit(schema: dict[str, Any], values: dict[str, Any], defs: dict[str, Any], indent: str,
          extra: tuple[str, ...] = ()) -> str:
    out = ""
    for key in _required(schema, extra):
        prop = schema["properties"][key]
        prop = resolve(prop, defs)
        out += _comment(prop, indent)
        if key in values and not isinstance(values[key], dict):
            out += f"{indent}{key}: {values[key]}\n"
        elif prop.get("type") == "object" and "properties" in prop:
            out += f"{indent}{key}:\n" + _emit(prop, values.get(key, {}), defs, indent + "  ")
        else:
            out += f"{indent}{key}:\n"
    return out


def record_text(repo: Repository, rtype: str, dept: str, fy: int) -> tuple[str, str]:
    """(repository-relative path, YAML text) of a new record."""
    types = model(repo.schema_dir)
    info: TypeInfo = types[rtype]
    schema, defs = info.record_type.schema, types.defs
    record_id = new_id(repo, rtype, dept, fy)
    # Known from the command line; only the keys this type requires are written.
    prefill: dict[str, Any] = {"id": record_id, "所管課": dept, "実施機関": repo.departments[dept].organ,
                               "発生部署": f"[{dept}]"}
    if rtype == "contract":
        schema = _with_checklist(schema, load_forms(repo.schema_dir).questions)
    folder = info.record_folder(fy)
    head = (f"# yaml-language-server: $schema={'../' * (folder.count('/') + 1)}schemas/{rtype}.json\n"
            f"# {schema['title']}: 空欄をすべて記入してください。空欄のままだと daicho validate が「未記入」と表示します。\n")
    body = _emit(schema, prefill, defs, "", extra=("事務", "特記仕様書", "取扱い個人情報一覧"))
    return f"{folder}/{record_id}.yaml", head + body


def _with_checklist(schema: dict[str, Any], questions: list[dict[str, Any]]) -> dict[str, Any]:
    """The checklist's answers are a form: one key per question, worded as on the form."""
    checklist = schema["properties"]["チェックリスト"]
    answers = {"title": "回答", "description": checklist["properties"]["回答"]["description"], "type": "object",
               "required": [q["id"] for q in questions],
               "properties": {q["id"]: {"title": q["id"], "description": q["文言"], "enum": q["選択肢"]}
                              for q in questions}}
    new_checklist = {**checklist, "properties": {**checklist["properties"], "回答": answers}}
    return {**schema, "properties": {**schema["properties"], "チェックリスト": new_checklist}}


def inspection(kind: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    """An empty inspection with every item of the sheet (schemas/forms/inspection_items.yaml)."""
    return {"種別": kind, "実施日": None, "結果": {i["id"]: {"判定": None} for i in items}}


def current_fy(today: dt.date | None = None) -> int:
    """The 年度 of ``today`` (default: ``dates.today()``, which honours DAICHO_TODAY)."""
    return fiscal_year(today or dates.today())
