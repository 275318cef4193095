"""Invisible and direction-changing characters are refused in every key and text of a record.

U+202E (RIGHT-TO-LEFT OVERRIDE) makes「txt.exe」look like「exe.txt」, U+200B splits a word so a
search or a withheld-item match misses it, U+FEFF and U+00AD hide inside names: none of them
belongs in a register, and each would be copied to both sites, the downloads and the index.
Refused: every format character (Unicode category Cf: bidi embeddings, overrides and isolates,
zero-width spaces and joiners, the BOM, the soft hyphen, tag characters) and the invisible
fillers of other categories below. Ordinary Japanese text, U+3000 (full-width space), tabs,
line breaks and the variation selectors of 異体字 (U+E0100…) pass. Characters YAML itself
cannot carry (C0/C1 controls, LS/PS) are refused earlier by the loader (E-YAML-SYNTAX).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

from daicho.yamlio import Path

CODE = "E-TEXT-INVISIBLE"
# Category Cf as of Unicode 15.1 (tests/test_invisible.py checks it against this Python's
# unicodedata), then invisible characters of other categories: U+034F COMBINING GRAPHEME
# JOINER, U+115F/U+1160 HANGUL CHOSEONG/JUNGSEONG FILLER, U+17B4/U+17B5 KHMER INHERENT VOWELS,
# U+180B–U+180D and U+180F MONGOLIAN FREE VARIATION SELECTORS, U+3164 HANGUL FILLER, U+FFA0
# HALFWIDTH HANGUL FILLER.
_BMP = ("\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
        "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
        "\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180d\u180f\u3164\uffa0")
_ASTRAL = ("\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
           "\U000e0001\U000e0020-\U000e007f")
REFUSED = re.compile(f"[{_BMP}{_ASTRAL}]")
# The same test, fast on long Japanese text: sre checks a class of BMP ranges and one astral
# range quickly but a list of astral ranges slowly, so any astral character (𠮷, 異体字
# selectors: rare) is a candidate that the exact class then decides.
_CANDIDATE = re.compile(f"[{_BMP}\U00010000-\U0010ffff]")
_ASTRAL_REFUSED = re.compile(f"[{_ASTRAL}]")


def describe(text: str) -> tuple[int, str] | None:
    """(1-based character position, "U+XXXX（NAME）") of the first refused character, or None."""
    if text.isascii():  # ids, codes, dates: most strings, and none of them can hold one
        return None
    for found in _CANDIDATE.finditer(text):
        char = found.group()
        if char <= "\uffff" or _ASTRAL_REFUSED.match(char):
            name = unicodedata.name(char, "")
            return found.start() + 1, f"U+{ord(char):04X}" + (f"（{name}）" if name else "")
    return None


def issues(data: Any, title: Callable[[Path], str | None]) -> Iterator[tuple[str, str, Path, bool]]:
    """(code, message, json path, at key) for every key and string holding a refused character.
    ``title(path)`` names the field in the message; the text itself is never echoed."""
    if _clean(data):  # the common case, without building a path for every value
        return
    stack: list[tuple[Path, Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            hit = describe(value)
            if hit is not None:
                yield CODE, _message(title(path), hit, "値"), path, False
        elif isinstance(value, dict):
            for key, sub in reversed(value.items()):
                hit = describe(key)
                if hit is not None:
                    yield CODE, _message(title(path), hit, "項目名"), path + (key,), True
                stack.append((path + (key,), sub))
        elif isinstance(value, list):
            stack.extend((path + (i,), sub) for i, sub in reversed(list(enumerate(value))))


def _clean(value: Any) -> bool:
    if isinstance(value, str):
        return value.isascii() or describe(value) is None
    if isinstance(value, dict):
        return all(_clean(k) and _clean(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_clean(v) for v in value)
    return True


def _message(field: str | None, hit: tuple[int, str], what: str) -> str:
    where = f"「{field}」の{what}" if field else what
    return (f"{where}の{hit[0]}文字目に、見えない文字または文字の向きを変える制御文字 {hit[1]}があります。"
            "削除してください")
