"""Strict, position-keeping YAML loading.

Records are read from PyYAML's event stream (the C parser where present) and built here,
not by PyYAML's constructors, so that:
- anchors, aliases, merge keys and non-core tags are refused before anything is expanded
  (an alias bomb costs nothing);
- plain scalars resolve like JSON, not YAML 1.1: only ``null``/``~``/empty, ``true``/``false``
  and canonical integers change type; ``no``, ``0123``, ``1.10``, ``12:30`` and
  ``2025-06-27`` stay strings, and the JSON Schema decides what is valid;
- mapping keys must be strings and unique;
- every value keeps the line and column it came from, keyed by its JSON path.
Every failure becomes a `LoadError` with a position; nothing else escapes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # libyaml is ~10x faster; the pure parser gives the same events.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64
# Values (scalars, lists, mappings) in one file: 120 times the largest demo record. Reading and
# checking cost grows with them; at this many a file is checked well within a second
# (benchmarks/validation_cost.py), where 1 MiB of tiny values took several.
MAX_NODES = 30_000

Path = tuple[str | int, ...]

_INT = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_CORE}{t}" for t in ("str", "int", "bool", "null")}
_COLLECTION_TAGS = {f"{_CORE}map", f"{_CORE}seq"}


@dataclass
class LoadError(Exception):
    """A document that cannot become a record. Line and column are 1-based."""

    code: str
    message: str
    line: int = 1
    col: int = 1
    path: Path = ()


@dataclass
class Document:
    """A loaded mapping plus where each value (and each key) stood in the file."""

    data: dict[str, Any]
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """The closest recorded position for ``path`` (walking up to the root)."""
        table = self.key_positions if key else self.positions
        p = tuple(path)
        while p:
            if p in table:
                return table[p]
            if key and p in self.positions:
                return self.positions[p]
            p = p[:-1]
        return self.positions.get((), (1, 1))


def decode(raw: bytes) -> str:
    """UTF-8 (an optional BOM is dropped) or a positioned E-YAML-ENCODING error."""
    if len(raw) > MAX_BYTES:
        raise LoadError(
            "E-YAML-SIZE",
            f"ファイルが大きすぎます（上限 {MAX_BYTES // 1024} KiB）。記録を分けてください",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        hint = ""
        try:
            raw.decode("cp932")
            hint = "（Shift_JIS で保存されているようです）"
        except UnicodeDecodeError:
            pass
        raise LoadError(
            "E-YAML-ENCODING",
            f"文字コードが UTF-8 ではありません{hint}。UTF-8 で保存し直してください",
            line,
            col,
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def _mark(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _resolve(event: yaml.ScalarEvent, path: Path) -> Any:
    tag, value = event.tag, event.value
    where = _mark(event.start_mark)
    if tag not in (None, "!") and tag not in _SCALAR_TAGS:
        raise LoadError("E-YAML-TAG", "使えないタグです（! や !! で始まる型指定は書かないでください）",
                        *where, path)
    quoted = event.style in ("'", '"', "|", ">") or tag == "!"
    if tag == f"{_CORE}str" or quoted:
        return value
    if tag == f"{_CORE}int" or (tag is None and _INT.match(value)):
        if not _INT.match(value):
            raise LoadError("E-YAML-TAG", "!!int の値が整数ではありません", *where, path)
        return int(value)
    if tag == f"{_CORE}bool" or (tag is None and (value in _TRUE or value in _FALSE)):
        if value not in _TRUE and value not in _FALSE:
            raise LoadError("E-YAML-TAG", "!!bool の値は true か false です", *where, path)
        return value in _TRUE
    if tag == f"{_CORE}null" or (tag is None and value in _NULL):
        return None
    return value


class _Frame:
    __slots__ = ("container", "is_map", "path", "pending_key")

    def __init__(self, container: Any, path: Path) -> None:
        self.container = container
        self.is_map = isinstance(container, dict)
        self.path = path
        self.pending_key: str | None = None


# Plain scalars without tag or anchor take a fast path in ``load`` with the same outcome as
# ``_resolve``: one dict look-up for the few words that change type, a regex only for digits.
_PLAIN_WORDS: dict[str, Any] = {**dict.fromkeys(_NULL), **dict.fromkeys(_TRUE, True),
                                **dict.fromkeys(_FALSE, False)}
_QUOTED = frozenset(("'", '"', "|", ">"))
_INT_START = frozenset("-0123456789")
_NOT_A_WORD = object()


def _plain(value: str) -> Any:
    word = _PLAIN_WORDS.get(value, _NOT_A_WORD)
    if word is not _NOT_A_WORD:
        return word
    if value[0] in _INT_START and _INT.match(value):
        return int(value)
    return value


def _check_node(event: Any, path: Path) -> None:
    where = _mark(event.start_mark)
    if isinstance(event, yaml.AliasEvent):
        raise LoadError("E-YAML-ALIAS", "エイリアス（*名前）は使えません。値をそのまま書いてください",
                        *where, path)
    if getattr(event, "anchor", None):
        raise LoadError("E-YAML-ALIAS", "アンカー（&名前）は使えません。値をそのまま書いてください",
                        *where, path)
    tag = getattr(event, "tag", None)
    if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
        if tag not in (None, "!") and tag not in _COLLECTION_TAGS:
            raise LoadError("E-YAML-TAG", "使えないタグです（! や !! で始まる型指定は書かないでください）",
                            *where, path)


# YAML refuses C0/C1 controls and non-characters; NEL, LS and PS are line breaks to YAML but
# not to editors, so every line number after one would be wrong. Refuse them all up front, with
# the position an editor shows (PyYAML's ReaderError has none we can trust: the C parser counts
# UTF-8 bytes, the pure one characters).
_BAD_CHAR = re.compile("[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# PyYAML's (English) problems, as a records clerk would want to read them.
_PROBLEMS_JA = (
    ("tab", "タブ文字は字下げに使えません。空白で字下げしてください"),
    ("did not find expected key", "字下げがずれています（同じ階層のキーは同じ位置から書き始めます）"),
    ("expected <block end>", "字下げがずれています（同じ階層のキーは同じ位置から書き始めます）"),
    ("did not find expected '-' indicator", "字下げがずれています（一覧の「- 」は同じ位置から書き始めます）"),
    ("could not find expected ':'", "「キー: 値」の「:」が見つかりません"),
    ("mapping values are not allowed", "この位置に「キー: 値」は書けません。値に「: 」を含めるときは引用符で囲んでください"),
    ("sequence entries are not allowed", "この位置に「- 」の一覧は書けません。字下げを確認してください"),
    ("unexpected end of stream", "引用符や括弧が閉じられないままファイルが終わっています"),
    ("expected ',' or ']'", "[ ] の一覧が閉じられていないか、区切りの「,」がありません"),
    ("expected ',' or '}'", "{ } が閉じられていないか、区切りの「,」がありません"),
    ("cannot start any token", "値の先頭に使えない文字があります（@ や ` などで始まる値は引用符で囲んでください）"),
    ("unknown escape character", "\" で囲んだ値に使えない「\\」の組合せがあります（\\ を書くときは ' で囲んでください）"),
    ("document start", "文書の区切り（--- や ...）の後に余計な内容があります"),
    ("undefined tag handle", "使えないタグです（! で始まる型指定は書かないでください）"),
    ("node content", "値が書かれていません"),
)


def _syntax_error(exc: yaml.MarkedYAMLError, source: str) -> LoadError:
    problem = exc.problem or exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    if mark is not None and _char_at(source, mark.line, mark.column) == "\t":
        problem = "tab"  # libyaml only says the character "cannot start any token"
    text = next((ja for en, ja in _PROBLEMS_JA if en in problem), None)
    # An unclosed quote or bracket is noticed at the end of the file; point at where it opened.
    if "end of stream" in problem and exc.context_mark is not None:
        mark = exc.context_mark
    where = ""
    if exc.context_mark is not None and mark is not None and exc.context_mark.line != mark.line:
        where = f"（{exc.context_mark.line + 1}行目から始まる部分）"
    message = f"YAML の書き方に誤りがあります: {text}{where}" if text else (
        f"YAML の書き方に誤りがあります（{problem or '構文が正しくありません'}）{where}")
    return LoadError("E-YAML-SYNTAX", message, *_mark(mark))


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n", line + 1)
    return lines[line][column:column + 1] if line < len(lines) else ""


def _check_characters(text: str) -> None:
    bad = _BAD_CHAR.search(text)
    if bad is None:
        return
    before = text[: bad.start()]
    line = before.count("\n") + 1
    col = bad.start() - (before.rfind("\n") + 1) + 1
    raise LoadError("E-YAML-SYNTAX",
                    f"使えない文字（U+{ord(bad.group()):04X}）が含まれています。削除するか通常の改行・空白にしてください",
                    line, col)


def load(text: str) -> Document:
    """Parse one YAML document whose top level is a mapping."""
    _check_characters(text)
    doc = Document(data={})
    positions, key_positions = doc.positions, doc.key_positions
    stack: list[_Frame] = []
    root: Any = None
    documents = 0
    # The hot loop of every validation: events are taken straight from the parser and the
    # common case (an untagged, unanchored scalar) is handled inline; everything else goes
    # through the same checks as before, in the same order.
    scalar_event, mapping_start = yaml.ScalarEvent, yaml.MappingStartEvent
    collection_end = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    ignored = (yaml.StreamStartEvent, yaml.DocumentEndEvent)
    loader = None
    try:
        loader = _Loader(text)
        get_event = loader.get_event
        while True:
            event = get_event()
            kind = type(event)
            if kind in collection_end:
                stack.pop()
                continue
            if kind is yaml.StreamEndEvent or event is None:
                break
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise LoadError("E-YAML-MULTIDOC", "1つのファイルに書ける記録は1件です（--- で区切らないでください）",
                                    *_mark(event.start_mark))
                continue
            if kind in ignored:
                continue

            mark = event.start_mark
            plain = kind is scalar_event and event.tag is None and event.anchor is None
            if stack:
                top = stack[-1]
                if top.is_map and top.pending_key is None:
                    # A scalar in key position of a mapping: record it and wait for the value.
                    key_path = top.path
                    if plain:
                        key = event.value if event.style in _QUOTED else _plain(event.value)
                    else:
                        _check_node(event, key_path)
                        if kind is not scalar_event:
                            raise LoadError("E-YAML-KEYTYPE", "キーには文字列を書いてください", *_mark(mark),
                                            key_path)
                        key = _resolve(event, key_path)
                    if key == "<<" and not event.style:  # plain (CParser says "", the pure parser None)
                        raise LoadError("E-YAML-MERGE", "マージキー（<<）は使えません", *_mark(mark), key_path)
                    if not isinstance(key, str):
                        raise LoadError("E-YAML-KEYTYPE", "キーには文字列を書いてください（数字や true/false だけのキーは使えません）",
                                        *_mark(mark), key_path)
                    if key in top.container:
                        raise LoadError("E-YAML-DUPKEY", f"キー「{key}」が重複しています", *_mark(mark),
                                        key_path + (key,))
                    top.pending_key = key
                    key_positions[key_path + (key,)] = (mark.line + 1, mark.column + 1)
                    continue
                path: Path = top.path + ((top.pending_key,) if top.is_map else (len(top.container),))
            else:
                top = None
                path = ()

            if not plain:
                _check_node(event, path)
            if len(path) > MAX_DEPTH:
                raise LoadError("E-YAML-DEPTH", f"入れ子が深すぎます（上限 {MAX_DEPTH} 段）", *_mark(mark), path)
            if plain:
                value: Any = event.value if event.style in _QUOTED else _plain(event.value)
            elif kind is scalar_event:
                value = _resolve(event, path)
            elif kind is mapping_start:
                value = {}
            else:
                value = []
            positions[path] = (mark.line + 1, mark.column + 1)
            if len(positions) > MAX_NODES:
                raise LoadError("E-YAML-NODES", f"値が多すぎます（1つのファイルに {MAX_NODES:,} 個まで）。記録を分けてください",
                                *_mark(mark), path)

            if top is None:
                root = value
            elif top.is_map:
                top.container[top.pending_key] = value
                top.pending_key = None
            else:
                top.container.append(value)
            if kind is not scalar_event:
                stack.append(_Frame(value, path))
    except LoadError:
        raise
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text) from None
    except (yaml.YAMLError, ValueError, AttributeError, RecursionError, TypeError) as exc:
        raise LoadError("E-YAML-SYNTAX", f"YAML として読めません（{type(exc).__name__}）") from None
    finally:
        if loader is not None:
            loader.dispose()

    if root is None:
        raise LoadError("E-YAML-EMPTY", "ファイルが空です")
    if not isinstance(root, dict):
        raise LoadError("E-YAML-ROOT", "ファイルの一番上は「キー: 値」の形で書いてください",
                        *doc.positions.get((), (1, 1)))
    doc.data = root
    return doc


def load_bytes(raw: bytes) -> Document:
    """Decode and load; the single entry point for every reader of records."""
    return load(decode(raw))


class _Dumper(yaml.SafeDumper):
    """Emits plain scalars wherever ``load`` would read them back as the same string, and list
    dashes indented under their key, as ``daicho fmt`` writes them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


_Dumper.yaml_implicit_resolvers = {}
_Dumper.add_implicit_resolver(f"{_CORE}null", re.compile(r"^(?:~|null|Null|NULL|)$"), [*"~nN", ""])
_Dumper.add_implicit_resolver(f"{_CORE}bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))
_Dumper.add_implicit_resolver(f"{_CORE}int", re.compile(r"^-?(?:0|[1-9][0-9]*)$"), list("-0123456789"))


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar(f"{_CORE}str", value, style=style)


_Dumper.add_representer(str, _str)


def dump(data: dict[str, Any], schema_ref: str | None = None) -> str:
    """A record as block YAML, keys in the given order, Japanese unescaped; round-trips
    through ``load`` to equal data. ``schema_ref`` adds the editor's schema line."""
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=10_000, indent=2)
    head = f"# yaml-language-server: $schema={schema_ref}\n" if schema_ref else ""
    return head + text
