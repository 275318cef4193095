"""Schema discovery, one cached validator per record type, and schema errors as Issues."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from itertools import islice
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from daicho import memo
from daicho.errors import DaichoError
from daicho.forms import load_forms, subschema
from daicho.schema_messages import catalogue, fill
from daicho.yamlio import Document

if TYPE_CHECKING:
    from jsonschema import ValidationError

try:  # compiled validator for a fast first pass (see _fast_validator); optional
    import jsonschema_rs
except ImportError:  # pragma: no cover - jsonschema-rs is a pinned dependency
    jsonschema_rs = None

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")

def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE.match(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[Any]:
    """ECMA-style ``^…$`` in the schema files (editors read them), ``\\A…\\z`` here: Python's
    ``$`` would accept a trailing newline, which a record id must not have."""
    if not validator.is_type(instance, "string"):
        return
    if re.search(_py_pattern(pattern), instance) is None:
        yield jsonschema().ValidationError(f"{instance!r} does not match {pattern!r}")


def _frozen(value: Any) -> Any:
    """A hashable stand-in for a JSON value, equal to another's exactly when jsonschema's
    ``equal`` finds the values equal (1 and 1.0 alike, true and 1 not, keys in any order)."""
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, (int, float)):
        return ("n", value)
    if isinstance(value, str):
        return ("s", value)
    if value is None:
        return ("z",)
    if isinstance(value, list):
        return ("l", tuple(_frozen(v) for v in value))
    if isinstance(value, dict):
        return ("d", frozenset((k, _frozen(v)) for k, v in value.items()))
    return ("o", id(value))  # nothing else comes out of the loader


def _unique_items(validator: Any, unique: bool, instance: Any, schema: dict[str, Any]) -> Iterator[Any]:
    """``uniqueItems`` in linear time. jsonschema's own compares every pair of items when they
    cannot be sorted (objects, mixed types): minutes for a list of a few thousand objects, well
    under the size cap (tests/test_validation_cost.py). The message names no value."""
    if not (unique and validator.is_type(instance, "array")):
        return
    seen: set[Any] = set()
    for item in instance:
        key = _frozen(item)
        if key in seen:
            yield jsonschema().ValidationError("has non-unique elements")
            return
        seen.add(key)


@cache
def _py_pattern(pattern: str) -> re.Pattern[str]:
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


@cache
def jsonschema() -> SimpleNamespace:
    """jsonschema and referencing, imported when a record is first checked with them: a warm
    run whose records all come from the cache (or pass jsonschema-rs) never needs them, and
    importing them is a tenth of such a run."""
    from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators
    from referencing import Registry, Resource

    format_checker = FormatChecker(formats=())
    format_checker.checks("date")(_is_date)
    return SimpleNamespace(
        Validator=validators.extend(Draft202012Validator, {"pattern": _pattern, "uniqueItems": _unique_items}),
        format_checker=format_checker, ValidationError=ValidationError,
        Draft202012Validator=Draft202012Validator, Registry=Registry, Resource=Resource)


@dataclass(frozen=True)
class RecordType:
    name: str
    folder: str
    schema: dict[str, Any]
    make_validator: Callable[[], Any] = field(repr=False, compare=False)
    source: Path | None = None  # the schema file
    # jsonschema-rs validator for the same schema, only where it is known to agree (see
    # _fast_validator): ``valid`` from it is trusted, ``invalid`` re-runs ``validator`` for the
    # Japanese positioned errors.
    fast: Any = None

    @cached_property
    def validator(self) -> Any:
        """The jsonschema validator (with our ``pattern`` and ``date`` checks), made on first use."""
        return self.make_validator()

    def titles(self) -> dict[str, str]:
        return {k: v.get("title", k) for k, v in self.schema["properties"].items()}

    @cached_property
    def reads(self) -> tuple[str, ...] | None:
        """x-daicho ``reads``: the top-level fields the cross-record rules read (None: all).
        ``daicho validate`` checks a record it has cached by these alone (its summary, kept in
        the cache's stat index); tests/test_lint_summary.py fails when a rule reads another."""
        reads = self.schema["x-daicho"].get("reads")
        return None if reads is None else tuple(reads)

    def summary(self, data: dict[str, Any]) -> dict[str, Any]:
        """What the rules read of a record: the part of ``data`` in ``reads``."""
        reads = self.reads
        return data if reads is None else {k: data[k] for k in reads if k in data}


def _inject_forms(node: Any, schema_dir: Path) -> Any:
    if isinstance(node, dict):
        if "x-daicho-form" in node:
            merged = {k: v for k, v in node.items() if k != "type"}
            merged.update(subschema(node["x-daicho-form"], load_forms(schema_dir)))
            merged["title"], merged["description"] = node["title"], node["description"]
            return merged
        return {k: _inject_forms(v, schema_dir) for k, v in node.items()}
    if isinstance(node, list):
        return [_inject_forms(v, schema_dir) for v in node]
    return node


class SchemaFileError(DaichoError):
    """A schema file that cannot be used: the validator cannot check records against it."""

    def __init__(self, file: str, line: int, col: int, message: str,
                 path: tuple[str | int, ...] = ()) -> None:
        super().__init__("E-SCHEMA-FILE", message, file, line, col, path)


def _read_schema(path: Path) -> dict[str, Any]:
    shown = f"{path.parent.name}/{path.name}"
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise SchemaFileError(shown, 1, 1, "文字コードが UTF-8 ではありません") from None
    except json.JSONDecodeError as exc:
        raise SchemaFileError(shown, exc.lineno, exc.colno,
                              f"JSON の書き方に誤りがあります（{exc.msg}）") from None
    return schema


def _schema_file_error(rtype: RecordType, exc: Exception) -> SchemaFileError:
    """Validation crashed, so a schema file is wrong: find which, against the meta-schema (too
    slow to run on every load, about half of it; cheap once something is already broken)."""
    draft = jsonschema().Draft202012Validator
    meta = draft(draft.META_SCHEMA)
    source = rtype.source or Path("schemas") / f"{rtype.name}.json"
    for path in sorted(source.parent.glob("*.json")):
        errors = sorted(meta.iter_errors(json.loads(path.read_text(encoding="utf-8"))),
                        key=lambda e: [str(p) for p in e.absolute_path])
        if errors:  # sorted, so the same error is reported on every run
            return SchemaFileError(f"{path.parent.name}/{path.name}", 1, 1,
                                   "JSON Schema として正しくない値があります", tuple(errors[0].absolute_path))
    return SchemaFileError(f"{source.parent.name}/{source.name}", 1, 1,
                           f"スキーマで記録を検査できません（{type(exc).__name__}）。$ref などを確認してください")


@memo.by_folder  # `mkdocs serve` sees edits to schemas/
def record_types(schema_dir: Path) -> dict[str, RecordType]:
    """Every ``schemas/*.json`` that carries ``x-daicho`` is a record type.
    A schema file that is not JSON raises `SchemaFileError` (with its position); one that is
    JSON but not a usable schema raises it when a record is checked (see `schema_issues`)."""
    files = sorted(schema_dir.glob("*.json"))
    raw = {p.name: _read_schema(p) for p in files}
    resources = {name: _inject_forms(s, schema_dir) for name, s in raw.items()}
    @cache
    def registry() -> Any:
        j = jsonschema()
        return j.Registry().with_resources(
            (s["$id"], j.Resource.from_contents(s)) for s in resources.values() if "$id" in s)

    def make_validator(schema: dict[str, Any]) -> Callable[[], Any]:
        return lambda: jsonschema().Validator(schema, registry=registry(), format_checker=jsonschema().format_checker)

    types: dict[str, RecordType] = {}
    fast_registry = _fast_registry(resources)
    for name, schema in resources.items():
        meta = schema.get("x-daicho")
        if not meta:
            continue
        types[meta["type"]] = RecordType(meta["type"], meta["folder"], schema, make_validator(schema), schema_dir / name,
                                         _fast_validator(schema, fast_registry))
    return types


# --- the fast pass ------------------------------------------------------------------------
# jsonschema-rs validates a record ~100x faster than jsonschema. It is used only for schemas
# made of keywords whose meaning is the same in both (no custom formats but our own date check,
# no regex syntax that differs between Python's re and Rust's regex, no number bound where
# floats could round), so "valid" means valid; anything else falls back to the slow path.
# tests/test_fuzz_schema.py checks the two agree on generated and mutated records.

_FAST_KEYWORDS = frozenset({
    "$schema", "$id", "$ref", "$defs", "$comment", "title", "description", "examples", "default",
    "deprecated", "readOnly", "writeOnly", "type", "properties", "required", "additionalProperties",
    "items", "prefixItems", "enum", "const", "pattern", "format", "minItems", "maxItems", "uniqueItems",
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength",
    "minProperties", "maxProperties", "if", "then", "else", "allOf", "anyOf", "oneOf", "not",
})
_SUBSCHEMA = frozenset({"items", "additionalProperties", "not", "if", "then", "else"})
_SUBSCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_SUBSCHEMA_MAPS = frozenset({"properties", "$defs"})
_BOUNDS = frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"})
# Literal ASCII (letters, digits, _ - @ : / and an escaped dot), ASCII character classes,
# counted repetition, groups, alternation, anchors: the same in Python's re and Rust's regex.
_SAME_REGEX = re.compile(
    r"\^?(?:[A-Za-z0-9_@:/-]|\\\.|\[[A-Za-z0-9_.%+@~/-]+\]|\{[0-9]+(?:,[0-9]*)?\}|[()|?*+])*\$?\Z")
_EXACT_INT = 2 ** 53  # beyond it jsonschema-rs compares numbers as floats


def _small_ints(value: Any) -> bool:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return True
    if isinstance(value, int):
        return abs(value) < _EXACT_INT
    if isinstance(value, list):
        return all(_small_ints(v) for v in value)
    if isinstance(value, dict):
        return all(_small_ints(v) for v in value.values())
    return False  # floats: Python and Rust may disagree at the edges


def _same_in_both(node: Any) -> bool:
    """True if every keyword of the (sub)schema ``node`` means the same to both validators."""
    if isinstance(node, bool):
        return True
    if not isinstance(node, dict):
        return False
    for key, value in node.items():
        if key.startswith("x-"):
            continue
        if key not in _FAST_KEYWORDS:
            return False
        if key == "pattern" and not (isinstance(value, str) and _SAME_REGEX.match(value)):
            return False
        if key == "format" and value != "date":
            return False
        if key in _BOUNDS and not (isinstance(value, int) and not isinstance(value, bool) and abs(value) < _EXACT_INT):
            return False
        if key in ("enum", "const") and not _small_ints(value):
            return False
        if key in _SUBSCHEMA and not _same_in_both(value):
            return False
        if key in _SUBSCHEMA_LISTS and not (isinstance(value, list) and all(_same_in_both(v) for v in value)):
            return False
        if key in _SUBSCHEMA_MAPS and not (isinstance(value, dict) and all(_same_in_both(v) for v in value.values())):
            return False
    return True


def _uri_refs(node: Any) -> Any:
    """jsonschema-rs wants URI references: percent-encode the Japanese in ``$ref`` pointers."""
    if isinstance(node, dict):
        return {k: quote(v, safe="/#:$-_.~%!'()*+,;=@?&") if k == "$ref" and isinstance(v, str) else _uri_refs(v)
                for k, v in node.items()}
    if isinstance(node, list):
        return [_uri_refs(v) for v in node]
    return node


def _fast_registry(resources: dict[str, Any]) -> Any:
    """The schemas for jsonschema-rs, or None where the fast pass might not agree with ours."""
    if jsonschema_rs is None or os.environ.get("DAICHO_NO_FAST_VALIDATOR") == "1":
        return None
    if not all(_same_in_both(s) for s in resources.values()):
        return None
    try:
        if not all(jsonschema_rs.meta.is_valid(s) for s in resources.values()):
            return None  # a broken schema is explained by the slow path (E-SCHEMA-FILE)
        return jsonschema_rs.Registry([(s["$id"], _uri_refs(s)) for s in resources.values() if "$id" in s])
    except Exception:  # any schema it cannot take: the slow path alone decides
        return None


def _fast_validator(schema: dict[str, Any], registry: Any) -> Any:
    """A jsonschema-rs validator for ``schema`` (None without a registry or if it fails)."""
    if registry is None:
        return None
    try:
        return jsonschema_rs.validator_for(_uri_refs(schema), registry=registry, formats={"date": _is_date},
                                           validate_formats=True, offline=True)
    except Exception:
        return None


def _fast_valid(rtype: RecordType, data: Any) -> bool:
    try:
        return bool(rtype.fast.is_valid(data))
    except Exception:  # e.g. a value it cannot convert: let the slow path decide
        return False


def title_at(schema: dict[str, Any], path: tuple[str | int, ...]) -> str | None:
    """The Japanese title of the property at ``path`` (the nearest titled ancestor)."""
    node: Any = schema
    title = None
    for part in path:
        if not isinstance(node, dict):
            break
        node = node.get("items") if isinstance(part, int) else node.get("properties", {}).get(part)
        if isinstance(node, dict) and node.get("title"):
            title = node["title"]
    return title


def _title(error: ValidationError, fallback: str) -> str:
    """The failing (sub)schema's own title — for the record root, the record type's name."""
    title = error.schema.get("title") if isinstance(error.schema, dict) else None
    return title if isinstance(title, str) and title else fallback


def _quote_all(values: list[Any]) -> str:
    return "".join(f"「{v}」" for v in values)


TRUNCATED = "E-FILE-ERRORS-LIMIT"  # the last item when ``limit`` stopped the check


def schema_issues(doc: Document, rtype: RecordType, limit: int | None = None
                  ) -> Iterator[tuple[str, str, tuple[str | int, ...], bool]]:
    """(code, message, json path, point-at-key) for every schema violation, record order.

    With ``limit``, the check stops after that many violations (the cost of a file with
    100,000 of them is then that of a file with ``limit``): the first ones jsonschema finds are
    reported, in record order, then one item with code `TRUNCATED`."""
    if rtype.fast is not None and _fast_valid(rtype, doc.data):
        return
    try:
        found = rtype.validator.iter_errors(doc.data)
        errors = list(found if limit is None else islice(found, limit + 1))
    except Exception as exc:  # a broken schema, not a broken record
        raise _schema_file_error(rtype, exc) from None
    truncated = limit is not None and len(errors) > limit
    errors = sorted(errors[:limit], key=lambda e: doc.position(tuple(e.absolute_path)))
    words = catalogue(rtype.source.parent)  # record types always come from a schema file
    # A date like 2025-6-1 fails both `pattern` and `format`; the format message says it all.
    formats = {tuple(e.absolute_path) for e in errors
               if e.validator == "format" and e.instance is not None and e.instance != ""}
    seen: set[tuple[str, tuple[str | int, ...]]] = set()
    # Lazily: one error can be many items (every unknown key, each with a spelling hint).
    for item in (item for error in errors for item in _translate(error, rtype.schema, words)):
        if item[0] == "E-SCHEMA-PATTERN" and item[2] in formats:
            continue
        # jsonschema reports `required` once per missing key, each carrying the whole list.
        if (item[0], item[2]) not in seen:
            if limit is not None and len(seen) == limit:
                truncated = True
                break
            seen.add((item[0], item[2]))
            yield item
    if truncated:
        yield (TRUNCATED, "", (), False)


def _translate(error: ValidationError, root: dict[str, Any],
               words: dict[str, dict[str, Any]]) -> Iterator[tuple[str, str, tuple[str | int, ...], bool]]:
    """The Japanese message for one error; the words come from the catalogue (schema_messages),
    which the site's input forms fill the same way."""
    path = tuple(error.absolute_path)
    name = next((p for p in reversed(path) if isinstance(p, str)), "記録")
    title = title_at(root, path) or _title(error, name)
    kw, value, inst = error.validator, error.validator_value, error.instance

    def say(code: str, **fields: object) -> str:
        return fill(words[code]["message"], title=title, **fields)

    if kw == "required":
        missing = [k for k in value if isinstance(inst, dict) and k not in inst]
        props = error.schema.get("properties", {})
        for key in missing:
            t = props.get(key, {}).get("title", key) if isinstance(props.get(key), dict) else key
            label = fill(words["E-SCHEMA-REQUIRED"]["label"], title=t) if t != key else ""
            yield ("E-SCHEMA-REQUIRED", say("E-SCHEMA-REQUIRED", key=key, label=label), path + (key,), False)
        return
    if kw == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        extras = [k for k in inst if k not in allowed] if isinstance(inst, dict) else []
        for key in extras:
            near = difflib.get_close_matches(key, allowed, n=1, cutoff=0.5)
            hint = fill(words["E-SCHEMA-ADDITIONAL"]["hint"], near=near[0]) if near else ""
            yield ("E-SCHEMA-ADDITIONAL", say("E-SCHEMA-ADDITIONAL", key=key, hint=hint), path + (key,), True)
        return
    if inst is None or inst == "" or kw == "minLength":
        yield ("E-SCHEMA-UNFILLED", say("E-SCHEMA-UNFILLED"), path, False)
        return
    if kw == "enum":
        near = difflib.get_close_matches(inst, [str(v) for v in value], n=1, cutoff=0.5) if isinstance(inst, str) else []
        entry = words["E-SCHEMA-ENUM"]
        values = "".join(fill(entry["value"], value=v) for v in value)
        yield ("E-SCHEMA-ENUM", say("E-SCHEMA-ENUM", values=values,
                                    hint=fill(entry["hint"], near=near[0]) if near else ""), path, False)
    elif kw == "const":
        yield ("E-SCHEMA-CONST", say("E-SCHEMA-CONST", value=value), path, False)
    elif kw == "type":
        want = value if isinstance(value, str) else value[0]
        yield ("E-SCHEMA-TYPE", say("E-SCHEMA-TYPE", type=words["E-SCHEMA-TYPE"]["types"].get(want, want)), path, False)
    elif kw == "pattern":
        examples = error.schema.get("examples") or []
        hint = fill(words["E-SCHEMA-PATTERN"]["hint"], example=examples[0]) if examples else ""
        fmt = error.schema.get("x-format")  # the schema's own wording of the format, if it has one
        how = fill(words["E-SCHEMA-PATTERN"]["how"], format=fmt) if fmt else ""
        yield ("E-SCHEMA-PATTERN", say("E-SCHEMA-PATTERN", how=how, hint=hint), path, False)
    elif kw == "format":
        yield ("E-SCHEMA-FORMAT", say("E-SCHEMA-FORMAT"), path, False)
    elif kw in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        side = words["E-SCHEMA-RANGE"]["side"]["min" if "inimum" in kw else "max"]
        yield ("E-SCHEMA-RANGE", say("E-SCHEMA-RANGE", limit=value, side=side), path, False)
    elif kw == "minItems":
        yield ("E-SCHEMA-MINITEMS", say("E-SCHEMA-MINITEMS", limit=value), path, False)
    elif kw == "uniqueItems":
        yield ("E-SCHEMA-UNIQUE", say("E-SCHEMA-UNIQUE"), path, False)
    else:
        yield ("E-SCHEMA-INVALID", f"「{title}」が正しくありません（{kw}）", path, False)
