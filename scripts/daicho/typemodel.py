"""The record types as the schemas declare them: the one place code reads per-type facts.

Each ``schemas/<type>.json`` carries an ``x-daicho`` block::

    "x-daicho": {
      "type": "contract",              # the type's name in code
      "folder": "contracts",           # records/<folder>/ ("." : records/<type>.yaml)
      "label": "委託契約",              # what pages, downloads and search call it
      "title": "案件名",                # the field that names one record (pages, links, search)
      "id": "C-{fy}-{dept}-{rand}",    # template of a new id ({fy} 年度, {dept} 部署コード, {rand})
      "id_from": {"dept": "所管課",      # the fields a new id takes its 部署 (a list: its first)
                  "fy": ["履行期間.開始", "契約日"]},  # and 年度 from (the first one filled)
      "fiscal_year_folders": true,     # files live in records/<folder>/<FY>/ and the id carries FY
      "page": "contracts",             # the intranet site's section for its pages (none: no pages)
      "reads": ["id", "所管課", …]       # the top-level fields the cross-record rules read
    }                                  #   (absent: the whole record)

and the properties carry the per-field facts: ``title``, ``x-item`` (statutory item number),
``x-public``, ``x-labels`` (the words for false/true) and ``x-aliases`` (other headers a city's
spreadsheet uses). :func:`model` reads them all, with ``$ref`` into ``common.json`` resolved by
:func:`resolve` — the one resolver every schema walk uses.

For the importer and the forms: ``model(schema_dir).types["file"].fields()`` lists the fields
of a type in schema order, nested objects' members after their parent, each with its path,
title, item number, kind, public flag, labels and aliases; ``field_at("受託者", "名称")`` one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from daicho import memo
from daicho.schemas import RecordType, SchemaFileError, record_types

COMMON = "common.json"
_REF = "common.json#/$defs/"
# A common.json definition → the kind of value it holds (how it is shown, parsed and written).
_REF_KIND = {"日付": "date", "部署コード": "dept", "実施機関": "organ", "事務ID": "record", "ファイルID": "record",
             "契約ID": "record", "組織名と所在地": "org", "年度": "int", "担当者": "object"}
_TYPE_KIND = {"boolean": "bool", "integer": "int", "array": "list", "object": "object"}
_ITEM = re.compile(r"([0-9]+)([a-z]?)")


def resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """``node`` with a ``$ref`` into common.json replaced by the definition (the node's own
    keywords, e.g. its title, win). The definition's name is kept as ``x-ref``."""
    ref = node.get("$ref", "") if isinstance(node, dict) else ""
    if not ref.startswith(_REF):
        return node
    name = ref[len(_REF):]
    return {**defs.get(name, {}), **{k: v for k, v in node.items() if k != "$ref"}, "x-ref": name}


def inline(node: Any, defs: dict[str, Any]) -> Any:
    """Every common.json ``$ref`` below ``node`` resolved (for walking, not for validating)."""
    if isinstance(node, dict):
        return {k: inline(v, defs) for k, v in resolve(node, defs).items()}
    if isinstance(node, list):
        return [inline(v, defs) for v in node]
    return node


def kind_of(node: dict[str, Any]) -> str:
    """text | date | dept | organ | record | org | bool | int | list | table | object."""
    ref = node.get("x-ref") or node.get("$ref", "").rsplit("/", 1)[-1]
    if ref in _REF_KIND:
        return _REF_KIND[ref]
    kind = _TYPE_KIND.get(node.get("type", ""), "text")
    if kind == "list" and isinstance(node.get("items"), dict) and node["items"].get("type") == "object":
        return "table"
    return kind


def item_order(item: str) -> tuple[int, str]:
    """Statutory item numbers in their order ("2" < "8" < "8a" < "10"); none last."""
    m = _ITEM.match(item)
    return (int(m.group(1)), m.group(2)) if m else (999, "")


@dataclass(frozen=True)
class Field:
    """One field of a record type, as the schema declares it."""

    path: tuple[str, ...]            # ("受託者", "名称") for a member of an object
    title: str                       # the Japanese title (file.json's start with the item number)
    kind: str                        # see kind_of
    item: str = ""                   # statutory item number (x-item), "" if none
    public: bool = False             # x-public: shown on the public site and in its downloads
    required: bool = False           # required by the schema (not counting if/then rules)
    labels: tuple[str, str] = ("いいえ", "はい")  # x-labels: the words for false / true
    aliases: tuple[str, ...] = ()    # x-aliases: other headers for it in a city's spreadsheet
    enum: tuple[Any, ...] = ()       # the allowed values, if a closed list
    description: str = ""
    schema: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)  # resolved node

    @property
    def key(self) -> str:
        return self.path[-1]

    @property
    def heading(self) -> str:
        """The title without its leading item number ("1 個人情報ファイルの名称" → "個人情報ファイルの名称")."""
        prefix = f"{self.item} "
        return self.title[len(prefix):] if self.item and self.title.startswith(prefix) else self.title


@dataclass(frozen=True)
class TypeInfo:
    """One record type: the facts of its ``x-daicho`` block and its resolved schema."""

    name: str
    label: str
    folder: str
    title_field: str | None
    id_template: str | None
    id_pattern: str | None
    fiscal_year_folders: bool
    page: str | None
    id_dept: str | None  # x-daicho id_from.dept
    id_fy: tuple[str, ...]  # x-daicho id_from.fy: dotted paths, the first filled one counts
    schema: dict[str, Any] = field(repr=False)  # every common.json $ref inlined
    record_type: RecordType = field(repr=False, compare=False)

    def record_folder(self, fy: int | None = None) -> str:
        """Where a record of this type is kept: records/contracts/2025."""
        base = "records" if self.folder == "." else f"records/{self.folder}"
        return f"{base}/{fy}" if self.fiscal_year_folders and fy is not None else base

    def new_id(self, *, fy: int | None = None, dept: str = "", rand: str = "") -> str:
        if self.id_template is None:
            raise KeyError(f"{self.name}: no id template in x-daicho")
        return self.id_template.format(fy=fy, dept=dept, rand=rand)

    def id_parts(self, data: dict[str, Any]) -> tuple[str | None, Any]:
        """(部署, the value its 年度 comes from) of a new record, as ``id_from`` says: the
        department (a list's first entry) and the first filled 年度 source (a date or a year);
        None where the record does not say yet."""
        dept = data.get(self.id_dept) if self.id_dept else None
        if isinstance(dept, list):
            dept = dept[0] if dept else None
        for path in self.id_fy:
            value: Any = data
            for key in path.split("."):
                value = value.get(key) if isinstance(value, dict) else None
            if value not in (None, ""):
                return dept, value
        return dept, None

    @property
    def id_prefix(self) -> str:
        """The letters before the first "-" of a new id ("C" for contracts)."""
        return (self.id_template or "").split("-", 1)[0]

    def title_of(self, data: dict[str, Any]) -> str:
        """What names one record: its title field, else the type's label."""
        value = data.get(self.title_field) if self.title_field else None
        return str(value) if value else self.label

    @property
    def reads(self) -> tuple[str, ...] | None:
        """x-daicho ``reads`` (None: the whole record). The loader needs it before the model
        exists, so RecordType parses it; summaries are made there (RecordType.summary)."""
        return self.record_type.reads

    @cached_property
    def _fields(self) -> tuple[Field, ...]:
        return tuple(_fields(self.schema, ()))

    def fields(self) -> list[Field]:
        """Every field in schema order; an object's members follow it, with longer paths."""
        return list(self._fields)

    def field_at(self, *path: str) -> Field:
        """The field at ``path`` ("受託者", "名称"); KeyError if the schema has none."""
        for f in self._fields:
            if f.path == path:
                return f
        raise KeyError(path)


def _fields(schema: dict[str, Any], parent: tuple[str, ...]) -> Iterator[Field]:
    required = set(schema.get("required", []))
    for key, node in schema.get("properties", {}).items():
        if not isinstance(node, dict):
            continue
        path = (*parent, key)
        labels = node.get("x-labels")
        items = node.get("items") if isinstance(node.get("items"), dict) else {}
        yield Field(path, node.get("title", key), kind_of(node), str(node.get("x-item", "")),
                    node.get("x-public") is True, key in required,
                    (labels[0], labels[1]) if isinstance(labels, list) and len(labels) == 2 else ("いいえ", "はい"),
                    tuple(node.get("x-aliases", ())), tuple(node.get("enum") or items.get("enum") or ()),
                    node.get("description", ""), node)
        if node.get("type") == "object" and "properties" in node:
            yield from _fields(node, path)


@dataclass(frozen=True)
class TypeModel:
    """All record types of one schemas/ folder."""

    types: dict[str, TypeInfo]
    common: dict[str, Any]  # common.json as read

    @property
    def defs(self) -> dict[str, Any]:
        return self.common.get("$defs", {})

    def __getitem__(self, name: str) -> TypeInfo:
        return self.types[name]

    @cached_property
    def labels(self) -> dict[str, str]:
        return {t.name: t.label for t in self.types.values()}

    @cached_property
    def pages(self) -> dict[str, str]:
        """Type → its section of the intranet site, for the types that have pages."""
        return {t.name: t.page for t in self.types.values() if t.page}

    def with_ids(self) -> list[str]:
        """The types ``daicho new`` can start: those with an id template that draws a new
        ``{rand}`` (one record per 年度, as usage, is not started twice)."""
        return [t.name for t in self.types.values() if t.id_template and "{rand}" in t.id_template]


KEYS = frozenset({"type", "folder", "label", "title", "id", "id_from", "fiscal_year_folders", "page", "reads"})


def _check(rtype: RecordType) -> None:
    """An x-daicho block that says what it cannot mean is a broken schema, not a silent default."""
    meta, props = rtype.schema["x-daicho"], rtype.schema.get("properties", {})
    shown = f"schemas/{rtype.source.name}" if rtype.source else f"schemas/{rtype.name}.json"
    problems = [f"x-daicho に「{k}」という項目はありません" for k in meta if k not in KEYS]
    fields = [meta["title"]] if "title" in meta else []
    id_from = meta.get("id_from", {})
    problems += [f"x-daicho の id_from に「{k}」という項目はありません" for k in id_from if k not in ("dept", "fy")]
    problems += [f"x-daicho の id に {{{part}}} があるのに id_from に「{part}」がありません"
                 for part in ("dept", "fy") if f"{{{part}}}" in meta.get("id", "") and not id_from.get(part)]
    fields += [p.split(".")[0] for p in [*filter(None, [id_from.get("dept")]), *id_from.get("fy", [])]]
    problems += [f"x-daicho の「{f}」はこのスキーマの項目にありません" for f in [*fields, *meta.get("reads", [])]
                 if f not in props]
    if problems:
        raise SchemaFileError(shown, 1, 1, "／".join(problems), ("x-daicho",))


def _info(rtype: RecordType, defs: dict[str, Any]) -> TypeInfo:
    _check(rtype)
    meta = rtype.schema["x-daicho"]
    schema = inline(rtype.schema, defs)
    return TypeInfo(
        name=rtype.name, label=meta.get("label", rtype.schema.get("title", rtype.name)), folder=rtype.folder,
        title_field=meta.get("title"), id_template=meta.get("id"),
        id_pattern=schema.get("properties", {}).get("id", {}).get("pattern"),
        fiscal_year_folders=bool(meta.get("fiscal_year_folders")), page=meta.get("page"),
        id_dept=meta.get("id_from", {}).get("dept"), id_fy=tuple(meta.get("id_from", {}).get("fy", ())),
        schema=schema, record_type=rtype)


@memo.by_folder
def model(schema_dir: Path) -> TypeModel:
    """The type model of ``schema_dir`` (read again when a file in it changes)."""
    path = schema_dir / COMMON
    common = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    defs = common.get("$defs", {})
    return TypeModel({name: _info(rt, defs) for name, rt in record_types(schema_dir).items()}, common)
