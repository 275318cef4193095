"""Cell values as offices write them, into record values — each reading that is not literal
comes back with a note, so the preview can list it and nothing is guessed silently."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from daicho.dates import parse_loose
from daicho.importer.fields import Field
from daicho.repository import Repository

EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's 1900 leap-year bug included)
_SERIALS = range(20000, 80000)         # 1954…2119: numbers in a date column that are dates
_ISO = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_CIRCLED = re.compile("[\u2460-\u2473\u2776-\u277f]")  # ①…⑳, ❶…❿: each starts an item
_NUMBERED = re.compile(r"(?:^|(?<=[\s、,，;；]))[(（]?([0-9]{1,2})[.)．）:：\s、]\s*")
_BULLET_LINE = re.compile(r"^\s*(?:[(（]?[0-9]{1,2}[.)．）:：]\s*|[0-9]{1,2}\s+|[・･\-－*＊●○◦■□]\s*)")
_TOKEN_SPLIT = re.compile(r"[\n、,，;；\s]+")
_LINE_SPLIT = re.compile(r"[\n、,，;；]+")


def norm(text: Any) -> str:
    """Compare words loosely: NFKC, no spaces, lower case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))).lower()


@dataclass(frozen=True)
class Vocabulary:
    true: frozenset[str]
    false: frozenset[str]
    ditto: frozenset[str]
    empty: frozenset[str]
    footnote: tuple[str, ...]
    ignored: frozenset[str]
    registers: dict[str, dict[str, Any]]


def vocabulary(schema_dir: Path) -> Vocabulary:
    data = yaml.safe_load((schema_dir / "import.yaml").read_text(encoding="utf-8"))
    words = {k: frozenset(norm(w) for w in data.get(k, [])) for k in ("真", "偽", "同上", "空欄", "無視する見出し")}
    return Vocabulary(words["真"], words["偽"], words["同上"], words["空欄"],
                      tuple(unicodedata.normalize("NFKC", w) for w in data.get("注記", [])),
                      words["無視する見出し"], data["台帳"])


class Interpreter:
    """Turns one cell into one value for one field; raises ValueError with a Japanese reason."""

    def __init__(self, repo: Repository, words: Vocabulary) -> None:
        self.words = words
        organs = repo.organization.get("実施機関", [])
        self.organs = {norm(o.get("行政機関等の名称", o["名称"])): o["名称"] for o in organs}
        self.organs.update({norm(o["名称"]): o["名称"] for o in organs})
        self.depts: dict[str, str] = {}
        # Current departments last, so a name reused after a reorganisation means today's.
        for code, d in sorted(repo.departments.items(), key=lambda kv: kv[1].end is None):
            self.depts[norm(d.name)] = code
            self.depts[norm(f"{d.bu}{d.name}")] = code
            self.depts[norm(code)] = code

    def is_empty_word(self, text: str) -> bool:
        return norm(text) in self.words.empty

    def dept(self, text: str) -> str:
        if norm(text) not in self.depts:
            raise ValueError("組織マスタにない部署です")
        return self.depts[norm(text)]

    def value(self, f: Field, raw: Any) -> tuple[Any, str | None]:
        """(value, note) — the note says how a value that was not literal was read."""
        if f.kind == "date":
            return self._date(raw)
        text = self._text(raw)
        if f.kind == "bool":
            return self._bool(f, text)
        if f.kind == "list":
            return self._list(f, text)
        if f.ref.endswith("実施機関"):
            if norm(text) not in self.organs:
                raise ValueError("組織マスタにない実施機関です")
            return self.organs[norm(text)], None
        if f.ref.endswith("部署コード"):
            return self.dept(text), None
        if f.kind == "org":
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            org = {"名称": lines[0]}
            if lines[1:]:
                org["所在地"] = " ".join(lines[1:])
            return org, None
        if f.kind == "int":
            return self._int(raw, text)
        if f.enum:
            return self._enum(f, text)
        return text, None

    @staticmethod
    def _text(raw: Any) -> str:
        if isinstance(raw, float) and raw.is_integer():
            return str(int(raw))
        if isinstance(raw, dt.datetime):
            return raw.date().isoformat()
        if isinstance(raw, dt.date):
            return raw.isoformat()
        return str(raw).strip()

    @staticmethod
    def _date(raw: Any) -> tuple[str, str | None]:
        if isinstance(raw, dt.datetime):
            return raw.date().isoformat(), None
        if isinstance(raw, dt.date):
            return raw.isoformat(), None
        text = str(raw).strip()
        if isinstance(raw, (int, float)) and not isinstance(raw, bool) or text.isdigit():
            serial = float(text)
            if int(serial) in _SERIALS:
                day = EXCEL_EPOCH + dt.timedelta(days=int(serial))
                return day.isoformat(), f"日付のシリアル値 {int(serial)} を {day.isoformat()} と読みました"
            raise ValueError("日付として読めません（例: 2025-06-27、令和7年6月27日、R7.6.27）")
        if _ISO.match(text):
            return text, None
        day = parse_loose(text)
        if day is None:
            raise ValueError("日付として読めません（例: 2025-06-27、令和7年6月27日、R7.6.27）")
        return day.isoformat(), f"「{text}」を {day.isoformat()} と読みました"

    def _bool(self, f: Field, text: str) -> tuple[bool, str | None]:
        word = norm(text)
        false, true = f.labels
        if word in (norm(true), "はい"):
            return True, None
        if word in (norm(false), "いいえ"):
            return False, None
        if word in self.words.true:
            return True, f"「{text}」を「{true}」と読みました"
        if word in self.words.false:
            return False, f"「{text}」を「{false}」と読みました"
        raise ValueError(f"「{true}」か「{false}」で書いてください（○／×、有／無も読めます）")

    def _int(self, raw: Any, text: str) -> tuple[int, str | None]:
        if isinstance(raw, (int, float)) and not isinstance(raw, bool) and float(raw).is_integer():
            return int(raw), None
        digits = re.sub(r"^約|[,，人件名]", "", unicodedata.normalize("NFKC", text))
        if not digits.isdigit():
            raise ValueError("数字だけで書いてください")
        return int(digits), f"「{text}」を {int(digits)} と読みました"

    def _enum(self, f: Field, text: str) -> tuple[str, str | None]:
        found = self._enum_item(f, text)
        if found is None:
            return text, None  # the schema check reports it, with the allowed values
        return found, None if found == text else f"「{text}」を「{found}」と読みました"

    @staticmethod
    def _enum_item(f: Field, text: str) -> str | None:
        if text in f.enum:
            return text
        def loose(s: str) -> str:
            return re.sub(r"[第号\s]", "", norm(s))
        for value in f.enum:
            if loose(value) == loose(text):
                return value
        for value, label in f.enum_labels:
            if norm(label) == norm(text) or norm(f"{value}{label}") == norm(text):
                return value
        return None

    def _list(self, f: Field, text: str) -> tuple[list[Any], str | None]:
        if f.ref.endswith("部署コード"):  # names, one per line or separated by 、
            items, how = [self.dept(i.strip()) for i in _LINE_SPLIT.split(text) if i.strip()], None
        else:
            items, how = split_list(text, tokens=bool(f.enum) or f.ref.endswith("ID"))
        if f.enum:  # 「第2号・第3号」: a ・ between two allowed words, not inside one (資産・収入等)
            items = [x for i in items for x in ([i] if self._enum_item(f, i) or "・" not in i else i.split("・"))]
            items = [self._enum_item(f, i) or i for i in items]
        one_line = "\n" not in text.strip()
        note = f"1つのセルを {len(items)} 項目に分けました（{how or '区切り文字'}）" \
            if len(items) > 1 and (how or one_line) else None
        return items, note


def _unbullet(text: str) -> str:
    """The text without its leading number or bullet (matched on NFKC, which keeps the length
    of full-width digits and marks, so the original is cut at the same place)."""
    m = _BULLET_LINE.match(unicodedata.normalize("NFKC", text))
    return (text[m.end():] if m else text).strip()


def split_list(text: str, tokens: bool = False) -> tuple[list[str], str | None]:
    """Items of a list written in one cell, and how they were told apart (None: one per line,
    as the export writes them). ``tokens``: short codes, also split at 、 and spaces."""
    if tokens:
        parts = [p for p in _TOKEN_SPLIT.split(unicodedata.normalize("NFKC", text)) if p]
        return parts, ("区切り文字" if len(parts) > 1 and "\n" not in text.strip() else None)
    text = _CIRCLED.sub(lambda m: "\n" + str(unicodedata.numeric(m.group())).split(".")[0] + " ", text)
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > 1:
        if all(_BULLET_LINE.match(unicodedata.normalize("NFKC", line)) for line in lines):
            return [_unbullet(line) for line in lines], "行頭の番号・記号"
        return [line.strip() for line in lines], None
    line = lines[0].strip() if lines else ""
    marks = list(_NUMBERED.finditer(unicodedata.normalize("NFKC", line)))
    if len(marks) > 1 and [int(m.group(1)) for m in marks] == list(range(1, len(marks) + 1)):
        nf = unicodedata.normalize("NFKC", line)
        bounds = [m.start() for m in marks] + [len(nf)]
        # Cut the original text where the NFKC text has its numbers (NFKC keeps lengths of these).
        pieces = [_unbullet(line[a:b]).strip(" 、,，;；") for a, b in zip(bounds, bounds[1:], strict=False)]
        return [p for p in pieces if p], "番号付きの列挙"
    if line[:1] in "・･" and line.count(line[0]) > 1:
        return [p.strip() for p in line.split(line[0]) if p.strip()], "「・」の列挙"
    return ([line] if line else []), None
