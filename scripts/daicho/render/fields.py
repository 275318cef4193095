"""A record's fields as display rows, driven by its JSON Schema (titles, order, types).

The schema decides the label and the order, so a field added to a schema shows up on the site
without a code change; ``$ref`` targets decide how a value is shown (date, department, link).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# $defs in common.json → how the value is shown
_REF_KIND = {"日付": "date", "部署コード": "dept", "事務ID": "record", "ファイルID": "record",
             "契約ID": "record"}


@dataclass
class Row:
    label: str
    kind: str  # text | date | dept | record | bool | list | rows | table
    value: Any
    item: str = ""  # statutory item number (file.json x-item), if any
    path: tuple[str, ...] = ()


def _kind(node: dict[str, Any]) -> str:
    ref = node.get("$ref") or node.get("x-ref", "")  # x-ref: a node the type model resolved
    if ref:
        return _REF_KIND.get(ref.rsplit("/", 1)[-1], "text")
    return {"boolean": "bool", "array": "list", "object": "rows"}.get(node.get("type", ""), "text")


def _bool_labels(node: dict[str, Any]) -> tuple[str, str]:
    labels = node.get("x-labels")
    return (labels[0], labels[1]) if isinstance(labels, list) and len(labels) == 2 else ("いいえ", "はい")


def item_label(title: str, item: Any) -> str:
    """file.json titles begin with their item number ("8a 条例要配慮…"); the sheet shows the
    number in its own column."""
    return re.sub(rf"^{re.escape(str(item))}\s+", "", title) if item not in (None, "") else title


def rows(schema: dict[str, Any], data: dict[str, Any], *, skip: tuple[str, ...] = ("id",),
         path: tuple[str, ...] = ()) -> list[Row]:
    """Display rows for every present property of ``data``, in schema order."""
    out: list[Row] = []
    props = schema.get("properties", {})
    for key, node in props.items():
        if key in skip or key not in data or not isinstance(node, dict):
            continue
        out.append(row(key, node, data[key], path + (key,)))
    for key in data:  # anything the schema does not describe (cannot pass validation, but be safe)
        if key not in props and key not in skip:
            out.append(Row(key, "text", str(data[key]), path=path + (key,)))
    return out


def row(key: str, node: dict[str, Any], value: Any, path: tuple[str, ...]) -> Row:
    title = node.get("title", key)
    item = node.get("x-item", "")
    kind = _kind(node)
    if kind == "bool":
        no, yes = _bool_labels(node)
        return Row(item_label(title, item), "text", yes if value else no, str(item), path)
    if kind == "list":
        items = node.get("items", {})
        ikind = _kind(items) if isinstance(items, dict) else "text"
        if ikind == "rows":  # a list of objects: a small table, one row per entry
            return Row(item_label(title, item), "table", [rows(items, v, skip=()) for v in value],
                       str(item), path)
        return Row(item_label(title, item), "list", [(ikind, v) for v in value], str(item), path)
    if kind == "rows":
        return Row(item_label(title, item), "rows", rows(node, value, skip=(), path=path), str(item), path)
    return Row(item_label(title, item), kind, value, str(item), path)
