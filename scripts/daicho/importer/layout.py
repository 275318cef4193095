"""Where the records are on a sheet, found without being told.

- A list: one row per record under a header row, which may sit below title rows and may be
  two rows (a group cell merged over its sub-headers, 履行期間 over 開始・終了).
- A 単票: one record per sheet, labels down a column (item numbers beside them allowed),
  each value to the right of its label.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from daicho.importer.fields import Field
from daicho.importer.mapping import IGNORE, Matcher
from daicho.importer.reader import Sheet

_SCAN = 30  # title rows and headers are within the first rows of a sheet


@dataclass
class Cell:
    field: Field
    raw: Any
    r: int  # 0-based
    c: int
    label: str  # the header or label, as the sheet has it


@dataclass
class Row:
    r: int
    cells: list[Cell]


@dataclass
class Notice:
    where: str
    text: str


@dataclass
class Layout:
    kind: str                   # "list" | "card"
    rows: list[Row] = field(default_factory=list)
    unknown: list[tuple[int, int, str, str | None]] = field(default_factory=list)  # r, c, header, hint
    duplicate: list[tuple[int, int, str]] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header_candidates(sheet: Sheet, r: int, c: int, two: bool) -> list[str]:
    top = sheet.cell(r, c)
    if not two:
        return [] if _blank(top) else [str(top)]
    sub = sheet.cell(r + 1, c)
    if _blank(sub) or str(sub) == str(top):  # merged down, or a one-row header beside groups
        return [] if _blank(top) else [str(top)]
    if _blank(top):
        return [str(sub)]
    return [f"{top}（{sub}）", f"{top}{sub}", str(sub)]


def _columns(sheet: Sheet, matcher: Matcher, r: int, two: bool) -> tuple[dict[int, tuple[Any, str]], list[int]]:
    """Column → (field or IGNORE, header text) for the header starting at row r; unmatched columns."""
    width = max((len(sheet.rows[i]) for i in range(r, min(r + 2, len(sheet.rows)))), default=0)
    found: dict[int, tuple[Any, str]] = {}
    unknown = []
    for c in range(width):
        names = _header_candidates(sheet, r, c, two)
        if not names:
            continue
        hit = next((m for m in map(matcher.match, names) if m is not None), None)
        if hit is None:
            unknown.append(c)
        else:
            found[c] = (hit, names[-1] if two else names[0])
    return found, unknown


def _score(found: dict[int, tuple[Any, str]]) -> int:
    return len({id(f) for f, _ in found.values() if f is not IGNORE})


def _card(sheet: Sheet, matcher: Matcher) -> dict[Field, tuple[int, int, str]]:
    """Field → (row, label column, label) for labels down a column."""
    labels: dict[Field, tuple[int, int, str]] = {}
    for r, row in enumerate(sheet.rows):
        for c, value in enumerate(row):
            if _blank(value) or (r, c) in sheet.merged:
                continue
            text = unicodedata.normalize("NFKC", str(value)).strip()
            if text.replace(".", "").isdigit():  # an item number beside the label
                continue
            hit = matcher.match(value)
            if isinstance(hit, Field):
                labels.setdefault(hit, (r, c, str(value)))
            break
    return labels


def _footnote(row: list[Any], marks: tuple[str, ...]) -> bool:
    first = next((v for v in row if not _blank(v)), None)
    text = unicodedata.normalize("NFKC", str(first)).strip() if first is not None else ""
    return any(text.startswith(m) for m in marks) or text in ("以下余白", "以上")


def detect(sheet: Sheet, matcher: Matcher, footnote: tuple[str, ...]) -> Layout | None:
    scan = range(min(_SCAN, len(sheet.rows)))
    single = [_score(_columns(sheet, matcher, r, False)[0]) for r in scan] + [0]
    best: tuple[int, int, bool] = (0, -1, False)
    for r in scan:
        # Two rows only when the pair reads better than either row alone: a title merged over a
        # one-row header is not a group.
        pair = _score(_columns(sheet, matcher, r, True)[0])
        for score, two in ((single[r], False), (pair if pair > max(single[r], single[r + 1]) else 0, True)):
            if score > best[0]:
                best = (score, r, two)
    card = _card(sheet, matcher)
    if len(card) >= 3 and len(card) > best[0]:
        out = Layout("card")
        cells = []
        for f, (r, c, label) in card.items():
            value, vc = None, c + 1
            for vc in range(c + 1, len(sheet.rows[r])):
                v = sheet.rows[r][vc]
                if not _blank(v) and str(v) != label:
                    value = v
                    break
            cells.append(Cell(f, value, r, vc, label))
        out.rows.append(Row(min(r for r, _, _ in card.values()), cells))
        return out
    score, hr, two = best
    if score < 2:
        return None
    found, unknown = _columns(sheet, matcher, hr, two)
    out = Layout("list")
    for c in unknown:
        r = hr + 1 if two and not _blank(sheet.cell(hr + 1, c)) else hr
        text = str(sheet.cell(r, c))
        out.unknown.append((r, c, text, matcher.hint(text)))
    seen: dict[int, int] = {}
    for c, (f, header) in sorted(found.items()):
        if f is IGNORE:
            continue
        if id(f) in seen:
            out.duplicate.append((hr, c, header))
        seen.setdefault(id(f), c)
    columns = {c: (f, h) for c, (f, h) in found.items() if f is not IGNORE and seen[id(f)] == c}
    blank: list[Notice] = []  # reported only when a record follows: trailing empty rows are no news
    for r in range(hr + 1 + two, len(sheet.rows)):
        row = sheet.rows[r]
        if all(_blank(v) or (r, c) in sheet.merged for c, v in enumerate(row)):
            blank.append(Notice(sheet.where(r, 0), "空行を読み飛ばしました"))
            continue
        if _footnote(row, footnote):
            out.notices.append(Notice(sheet.where(r, 0), "注記（※など）の行を読み飛ばしました"))
            continue
        out.notices.extend(blank)
        blank = []
        out.rows.append(Row(r, [Cell(f, sheet.cell(r, c), r, c, h) for c, (f, h) in sorted(columns.items())]))
    return out
