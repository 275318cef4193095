"""Canonical formatting of record files, keeping comments (ruamel.yaml round trip).

Canonical means: keys in the schema's order (unknown keys last, in their own order), block
style everywhere, two-space indentation with list dashes indented, quotes only where a value
would otherwise be read as another type, dates plain. Formatting a formatted file changes
nothing. Reading for validation never goes through here: ``yamlio`` stays the one loader.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from daicho.typemodel import inline

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def _yaml() -> YAML:
    y = YAML()  # round trip
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 10_000
    y.allow_unicode = True
    return y


def _props(schema: dict[str, Any] | None) -> dict[str, Any]:
    return (schema or {}).get("properties", {}) if isinstance(schema, dict) else {}


def _items(schema: dict[str, Any] | None) -> dict[str, Any] | None:
    return schema.get("items") if isinstance(schema, dict) else None


def _canon(node: Any, schema: dict[str, Any] | None) -> Any:
    if isinstance(node, CommentedMap):
        props = _props(schema)
        order = [k for k in props if k in node] + [k for k in node if k not in props]
        out = CommentedMap()
        if node.ca.comment:
            out.ca.comment = node.ca.comment
        for key in order:
            out[key] = _canon(node[key], props.get(key))
            if key in node.ca.items:
                out.ca.items[key] = node.ca.items[key]
        out.fa.set_block_style()
        return out
    if isinstance(node, CommentedSeq):
        for i, item in enumerate(node):
            node[i] = _canon(item, _items(schema))
        node.fa.set_block_style()
        return node
    if isinstance(node, str) and _DATE.match(node):
        try:
            return dt.date.fromisoformat(node)  # emitted plain; yamlio reads it back as the string
        except ValueError:
            return node
    return node


def format_text(text: str, schema: dict[str, Any], defs: dict[str, Any] | None = None) -> str:
    """The canonical form of one record file's text."""
    y = _yaml()
    data = y.load(text)
    data = _canon(data, inline(schema, defs or {}))  # nested objects find their key order
    buf = io.StringIO()
    y.dump(data, buf)
    return buf.getvalue()


def _drop_comments(node: Any) -> None:
    if isinstance(node, (CommentedMap, CommentedSeq)):
        node.ca.comment = None
        node.ca.items.clear()
        if hasattr(node.ca, "end"):
            node.ca.end = None
        for child in (node.values() if isinstance(node, CommentedMap) else node):
            _drop_comments(child)


def without_comments(text: str, schema: dict[str, Any], defs: dict[str, Any] | None = None) -> str:
    """The canonical form of a record file with its comments left out: what the site's input
    form writes for the same data (it cannot keep comments, and says so)."""
    y = _yaml()
    data = y.load(text)
    _drop_comments(data)
    data = _canon(data, inline(schema, defs or {}))
    buf = io.StringIO()
    y.dump(data, buf)
    return buf.getvalue()
