"""The strict loader on its own: types, positions, refusals — with both PyYAML parsers.

`yamlio` uses libyaml's parser when PyYAML was built with it and the pure-Python parser
otherwise; both ship, so every test here runs under both.
"""

from __future__ import annotations

import time

import pytest
import yaml

from daicho import yamlio


@pytest.fixture(params=["libyaml", "pure"], autouse=True)
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "libyaml":
        if not hasattr(yaml, "CSafeLoader"):
            pytest.skip("PyYAML was built without libyaml")
        monkeypatch.setattr(yamlio, "_Loader", yaml.CSafeLoader)
    else:
        monkeypatch.setattr(yamlio, "_Loader", yaml.SafeLoader)
    return request.param


def load(text: str) -> yamlio.Document:
    return yamlio.load_bytes(text.encode("utf-8"))


def error(raw: bytes | str) -> yamlio.LoadError:
    with pytest.raises(yamlio.LoadError) as info:
        yamlio.load_bytes(raw.encode("utf-8") if isinstance(raw, str) else raw)
    return info.value


# --- plain scalars resolve like JSON, not like YAML 1.1 ---------------------------------

@pytest.mark.parametrize("text", [
    "no", "No", "NO", "yes", "on", "off", "y", "n", "0123", "1.10", "1.0", "12:30", "12:30:00",
    "2025-06-27", "2025-06-27T10:00:00", "0x1F", "0o17", "1e3", "+1", "1_000", ".inf", "-.inf",
    ".nan", "=", "D1101", "J-D1101-001", "令和7年6月27日", "-1-", "00", "-0123",
])
def test_lookalikes_stay_strings(text: str) -> None:
    assert load(f"a: {text}\n").data == {"a": text}


@pytest.mark.parametrize(("text", "value"), [
    ("0", 0), ("7", 7), ("-5", -5), ("1000", 1000), ("123456789012345678901234567890", 123456789012345678901234567890),
    ("true", True), ("True", True), ("TRUE", True), ("false", False), ("False", False),
    ("null", None), ("~", None), ("", None), ("Null", None),
    ("'no'", "no"), ('"0123"', "0123"), ("'true'", "true"), ('"null"', "null"), ("! 12", "12"),
    ("!!str 12", "12"), ("!!int 12", 12), ("!!bool true", True), ("!!null null", None),
])
def test_only_json_like_scalars_change_type(text: str, value: object) -> None:
    got = load(f"a: {text}\n").data["a"]
    assert got == value and type(got) is type(value)


def test_block_scalars_keep_their_text() -> None:
    doc = load("a: |\n  一行目\n  二行目\nb: >-\n  折り\n  返し\n")
    assert doc.data == {"a": "一行目\n二行目\n", "b": "折り 返し"}


def test_nested_structure_and_flow_collections() -> None:
    doc = load("a:\n  - {x: 1, y: [no, 2]}\n  - - z\n")
    assert doc.data == {"a": [{"x": 1, "y": ["no", 2]}, ["z"]]}


# --- positions ---------------------------------------------------------------------------

def test_every_value_and_key_keeps_its_line_and_column() -> None:
    doc = load("# comment\nid: X\n検査:\n  - 種別: 書面検査\n    結果: {判定: 適}\n")
    assert doc.positions[("id",)] == (2, 5)
    assert doc.key_positions[("id",)] == (2, 1)
    assert doc.positions[("検査", 0, "種別")] == (4, 9)
    assert doc.key_positions[("検査", 0, "種別")] == (4, 5)
    assert doc.positions[("検査", 0, "結果", "判定")] == (5, 14)
    assert doc.position(("検査", 0, "結果", "判定")) == (5, 14)
    # A path that does not exist walks up to its nearest recorded ancestor.
    assert doc.position(("検査", 0, "実施日")) == (4, 5)
    assert doc.position(("無い",)) == doc.positions[()]
    assert doc.position(("検査", 0, "種別"), key=True) == (4, 5)


def test_columns_count_characters_not_bytes() -> None:
    doc = load("事務の名称: がん検診\n")
    assert doc.positions[("事務の名称",)] == (1, 8)


def test_crlf_and_bom_are_accepted_and_lines_still_count() -> None:
    doc = yamlio.load_bytes(b"\xef\xbb\xbfa: 1\r\nb: 2\r\n")
    assert doc.data == {"a": 1, "b": 2}
    assert doc.positions[("b",)] == (2, 4)


# --- refusals, each with a position ------------------------------------------------------

def test_size_cap() -> None:
    body = b"a: " + b"x" * (yamlio.MAX_BYTES - 4) + b"\n"
    assert len(body) == yamlio.MAX_BYTES
    assert yamlio.load_bytes(body).data["a"].startswith("xxx")
    e = error(body + b"\n")
    assert (e.code, e.line, e.col) == ("E-YAML-SIZE", 1, 1)


def test_shift_jis_is_refused_with_a_hint_and_the_line_of_the_first_bad_byte() -> None:
    e = error("id: X\n事務の名称: 住民基本台帳事務\n".encode("cp932"))
    assert (e.code, e.line, e.col) == ("E-YAML-ENCODING", 2, 1)
    assert "Shift_JIS" in e.message


def test_utf16_is_refused() -> None:
    e = error("id: X\n".encode("utf-16"))
    assert (e.code, e.line) == ("E-YAML-ENCODING", 1)


def test_empty_file() -> None:
    assert error(b"").code == "E-YAML-EMPTY"
    assert error(b"\n\n# only a comment\n").code == "E-YAML-EMPTY"


@pytest.mark.parametrize("text", ["a: 1\n1: x\n", "a: 1\ntrue: x\n", "1: x\ntrue: y\n", "null: x\n",
                                  "? [a]\n: 1\n", "? {a: 1}\n: 1\n", "1.5: x\n"])
def test_non_string_keys(text: str) -> None:
    # 1.5 is a string to this loader, so it is accepted; every other key here is not a string.
    if text.startswith("1.5"):
        assert load(text).data == {"1.5": "x"}
    else:
        assert error(text).code == "E-YAML-KEYTYPE"


def test_duplicate_keys_in_block_flow_and_nested_mappings() -> None:
    for text, line in [("a: 1\na: 2\n", 2), ("x: {a: 1, a: 2}\n", 1), ("x:\n  a: 1\n  b: 2\n  a: 3\n", 4),
                       ("'a': 1\n\"a\": 2\n", 2), ("a: 1\n? a\n: 2\n", 2)]:
        e = error(text)
        assert (e.code, e.line) == ("E-YAML-DUPKEY", line), text


def test_same_key_in_sibling_mappings_is_fine() -> None:
    assert load("x:\n  - a: 1\n  - a: 2\ny: {a: 1}\n").data == {"x": [{"a": 1}, {"a": 2}], "y": {"a": 1}}


def test_alias_bomb_is_refused_before_any_expansion() -> None:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    start = time.perf_counter()
    e = error("\n".join(lines) + "\n")
    elapsed = time.perf_counter() - start
    assert (e.code, e.line, e.col) == ("E-YAML-ALIAS", 1, 4)
    assert elapsed < 5  # generous: expansion would take minutes and gigabytes, not seconds


@pytest.mark.parametrize(("text", "code", "line"), [
    ("a: &x 1\n", "E-YAML-ALIAS", 1),
    ("a: 1\nb: *x\n", "E-YAML-ALIAS", 2),
    ("a: [&x 1]\n", "E-YAML-ALIAS", 1),
    ("&x a: 1\n", "E-YAML-ALIAS", 1),
    ("a:\n  <<: {b: 1}\n", "E-YAML-MERGE", 2),
    ("<<: {b: 1}\n", "E-YAML-MERGE", 1),
    ("a: !!python/object:os.system {}\n", "E-YAML-TAG", 1),
    ("a: !!python/object/apply:os.system [ls]\n", "E-YAML-TAG", 1),
    ("a: !!python/object/new:os.system [ls]\n", "E-YAML-TAG", 1),
    ("a: !!python/name:os.system ''\n", "E-YAML-TAG", 1),
    ("a: !!python/tuple [1]\n", "E-YAML-TAG", 1),
    ("a: !!float 1\n", "E-YAML-TAG", 1),
    ("a: !!timestamp 2025-01-01\n", "E-YAML-TAG", 1),
    ("a: !!binary AAAA\n", "E-YAML-TAG", 1),
    ("a: !!set {x}\n", "E-YAML-TAG", 1),
    ("a: !!omap [x: 1]\n", "E-YAML-TAG", 1),
    ("a: !!pairs [x: 1]\n", "E-YAML-TAG", 1),
    ("a: !local x\n", "E-YAML-TAG", 1),
    ("a: !!int x\n", "E-YAML-TAG", 1),
    ("a: !!int 1.5\n", "E-YAML-TAG", 1),
    ("a: !!bool yes\n", "E-YAML-TAG", 1),
    ("!!python/object:x\nb: 1\n", "E-YAML-TAG", 1),
    ("%TAG !p! tag:yaml.org,2002:python/\n---\na: !p!object x\n", "E-YAML-TAG", 3),
    ("a: 1\n---\nb: 2\n", "E-YAML-MULTIDOC", 2),
    ("---\na: 1\n...\n---\nb: 2\n", "E-YAML-MULTIDOC", 4),
    ("- a\n", "E-YAML-ROOT", 1),
    ("just text\n", "E-YAML-ROOT", 1),
    ("42\n", "E-YAML-ROOT", 1),
    ("a: 'open\n", "E-YAML-SYNTAX", 1),
    ("a: [1, 2\n", "E-YAML-SYNTAX", 2),
    ("a: b: c\n", "E-YAML-SYNTAX", 1),
    ("a:\n\tb: 1\n", "E-YAML-SYNTAX", 2),
    ("a: 1\n  b: 2\n", "E-YAML-SYNTAX", 2),
    ('a: "\\q"\n', "E-YAML-SYNTAX", 1),
    ("a: @x\n", "E-YAML-SYNTAX", 1),
    ("a: b\nc: d\x07\n", "E-YAML-SYNTAX", 2),
    ("a: b\nc: \x00\n", "E-YAML-SYNTAX", 2),
    ("a: b\u2028c\nd: 1\n", "E-YAML-SYNTAX", 1),
    ("a: b\x85c\n", "E-YAML-SYNTAX", 1),
    ("a: \ufffe\n", "E-YAML-SYNTAX", 1),
])
def test_refusals_are_positioned(text: str, code: str, line: int) -> None:
    e = error(text)
    assert (e.code, e.line) == (code, line)
    assert e.col >= 1 and e.message


def test_depth_limit() -> None:
    # A value's depth is the length of its path: key "a" is 1, the k-th "[" is k.
    ok = "a: " + "[" * yamlio.MAX_DEPTH + "]" * yamlio.MAX_DEPTH + "\n"
    assert load(ok).data
    e = error("a: " + "[" * (yamlio.MAX_DEPTH + 1) + "]" * (yamlio.MAX_DEPTH + 1) + "\n")
    assert (e.code, e.line) == ("E-YAML-DEPTH", 1)
    # Far deeper than any recursion limit: still one positioned error, no RecursionError.
    assert error("a: " + "[" * 5000 + "]" * 5000 + "\n").code == "E-YAML-DEPTH"


def test_control_character_is_located_in_editor_terms() -> None:
    e = error("事務: がん検診\n備考: あ\x1bい\n")
    assert (e.code, e.line, e.col) == ("E-YAML-SYNTAX", 2, 6)
    assert "U+001B" in e.message


def test_syntax_messages_are_japanese() -> None:
    for text in ["a:\n\tb: 1\n", "a: 'x\n", "a: b: c\n", "a: [1\n"]:
        message = error(text).message
        assert message.startswith("YAML の書き方に誤りがあります: "), message
        assert not any(word in message for word in ("found", "expected", "while")), message


def test_unclosed_quote_points_where_it_opened() -> None:
    e = error("a: 1\nb: \"開いたまま\nc: 2\nd: 3\n")
    assert (e.code, e.line, e.col) == ("E-YAML-SYNTAX", 2, 4)


@pytest.mark.parametrize("text", [
    "a: !!python/object:secret 秘密の値XYZ\n",
    "a: !!float 秘密の値XYZ\n",
    "a: !!int 秘密の値XYZ\n",
    "秘密の値XYZ\n",
    "a: 秘密の値XYZ\x07\n",
    "a: 秘密の値XYZ: c\n",
    "a: \"秘密の値XYZ\n",
])
def test_messages_never_echo_a_value(text: str) -> None:
    assert "秘密の値XYZ" not in error(text).message
