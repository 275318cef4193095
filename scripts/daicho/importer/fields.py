"""The columns of a register: every field of a record type that fits in one spreadsheet cell,
with the titles and aliases a header or a 単票 label may use.

This is the one place the importer and the register export read field titles from the
schemas; when the shared type model lands, only this module changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from daicho.export import field_kind, item_order

_NUMBER = re.compile(r"^[0-9]+[a-z]?\s+")
GROUP = "*"  # path marker: one item of a list of objects, written one spreadsheet row per item


@dataclass(frozen=True)
class Field:
    header: str                    # the column title the export writes
    path: tuple[str, ...]          # where the value sits; GROUP marks the item of a row group
    kind: str                      # text | list | bool | org | date | int
    names: tuple[str, ...] = ()    # every other title or alias that means this field
    labels: tuple[str, str] = ("いいえ", "はい")  # false / true words of a bool
    enum: tuple[str, ...] = ()     # allowed values (of the value, or of each list item)
    enum_labels: tuple[tuple[str, str], ...] = ()  # value → label, from x-labels
    ref: str = ""                  # the $ref of the value (部署コード, 実施機関, …)
    required: bool = False

    @property
    def record_path(self) -> tuple[str, ...]:
        """The path inside one item for a row-group field, else the path."""
        return self.path[self.path.index(GROUP) + 1:] if GROUP in self.path else self.path

    @property
    def in_group(self) -> bool:
        return GROUP in self.path


def _title(prop: dict[str, Any], key: str) -> str:
    return _NUMBER.sub("", prop.get("title", key))


def _flat(prop: dict[str, Any]) -> bool:
    """A value one cell can hold: no form, no list of objects, no object below the second level."""
    if "x-daicho-form" in prop:
        return False
    items = prop.get("items", {})
    return not (prop.get("type") == "array" and items.get("type") == "object")


def _field(prop: dict[str, Any], path: tuple[str, ...], header: str, names: tuple[str, ...],
           required: bool) -> Field:
    items = prop.get("items", {})
    labels = prop.get("x-labels") or items.get("x-labels")
    enum = prop.get("enum") or items.get("enum") or ()
    return Field(header, path, field_kind(prop), names=names,
                 labels=tuple(labels) if isinstance(labels, list) else ("いいえ", "はい"),  # type: ignore[arg-type]
                 enum=tuple(enum),
                 enum_labels=tuple(labels.items()) if isinstance(labels, dict) else (),
                 ref=prop.get("$ref") or items.get("$ref", ""), required=required)


def fields(schema: dict[str, Any], group: str | None = None,
           questions: dict[str, list[tuple[str, tuple[str, ...]]]] | None = None) -> list[Field]:
    """id first, then the statutory items in order, then the rest in schema order. Objects give
    one field per sub-item (「親（子）」); ``group``, a list of objects, gives one field per item
    key, each written on its own row; a question form (``questions``: form name → (id,
    choices)) gives one field per question (チェックリスト（問1）)."""
    questions = questions or {}
    ranked: list[tuple[tuple[int, str], int, Field]] = []
    required = set(schema.get("required", []))
    pos = 0
    for key, prop in schema["properties"].items():
        title = _title(prop, key)
        aliases = tuple(prop.get("x-aliases", ()))
        rank = (-1, "") if key == "id" else item_order(prop)
        if key == group:
            item = prop["items"]
            for sub, sprop in item.get("properties", {}).items():
                if _flat(sprop) and sprop.get("type") != "object":
                    st = _title(sprop, sub)
                    names = (st, *sprop.get("x-aliases", ()), f"{title}{st}")
                    f = _field(sprop, (key, GROUP, sub), f"{title}（{st}）", names, sub in item.get("required", []))
                    ranked.append((rank, (pos := pos + 1), f))
            continue
        if not _flat(prop):
            continue
        subs = prop.get("properties")
        if subs and prop.get("type") == "object":
            for sub, sprop in subs.items():
                for qid, choices in questions.get(sprop.get("x-daicho-form", ""), []):
                    f = Field(f"{title}（{qid}）", (key, sub, qid), "text", names=(f"{title}{qid}",), enum=choices)
                    ranked.append((rank, (pos := pos + 1), f))
                if not _flat(sprop) or sprop.get("properties"):
                    continue
                st = _title(sprop, sub)
                header = st if "x-item" in sprop else f"{title}（{st}）"
                names = (*sprop.get("x-aliases", ()), f"{title}{st}", f"{title}の{st}", st)
                srank = item_order(sprop) if "x-item" in sprop else rank
                f = _field(sprop, (key, sub), header, names, key in required and sub in prop.get("required", []))
                ranked.append((srank, (pos := pos + 1), f))
            continue
        names = (prop.get("title", key), key, *aliases) if prop.get("title", key) != title else (key, *aliases)
        ranked.append((rank, (pos := pos + 1), _field(prop, (key,), title, names, key in required)))
    ranked.sort(key=lambda t: (t[0], t[1]))
    return [f for _, _, f in ranked]


def register_fields(schema_dir: Path, schema: dict[str, Any], group: str | None) -> list[Field]:
    """The columns of one register, the checklist's questions included."""
    from daicho.forms import load_forms

    asked = load_forms(schema_dir).questions
    return fields(schema, group, {"checklist": [(q["id"], tuple(q["選択肢"])) for q in asked]})
