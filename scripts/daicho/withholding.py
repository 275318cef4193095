"""法75条3項 partial withholding: a withheld 記録項目 must name an item the entry really has.

Items are compared after the normalisation the site's search applies to text and queries
(NFKC for full-width letters and digits and half-width kana, lower case: the same steps as
`daicho.search.normalize`, which this core module may not import; a test keeps them equal),
with all white space removed. 「ＨＩＶ検査結果」 then
withholds 「HIV検査結果」; a withheld item that matches no item (one character off, say) is an
error, because the item it meant would otherwise be published with the marker saying it was not.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from daicho.yamlio import Path

CODE = "E-WITHHOLD-NOMATCH"
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The form two item names are compared in."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).lower())


def unmatched(data: dict[str, Any]) -> Iterator[tuple[Path, str]]:
    """(json path, item) of each withheld 記録項目 that names none of the entry's 記録項目."""
    have = {normalise(item) for item in data.get("記録項目", [])}
    for i, part in enumerate(data.get("公表しない部分", [])):
        if part.get("部分") == "記録項目":
            for j, item in enumerate(part.get("記録項目", [])):
                if normalise(item) not in have:
                    yield ("公表しない部分", i, "記録項目", j), item


def issues(data: dict[str, Any]) -> Iterator[tuple[str, str, Path, bool]]:
    """(code, message, json path, at key) for a schema-valid ファイル簿 entry. The messages give
    positions, not the item names: a withheld name is what 法75条3項 keeps off the record."""
    items = [normalise(item) for item in data.get("記録項目", [])]
    for path, item in unmatched(data):
        near = difflib.get_close_matches(normalise(item), items, n=1, cutoff=0.6)
        hint = f"（「記録項目」の{items.index(near[0]) + 1}番目と似ています）" if near else ""
        yield (CODE, "公表しない部分の記録項目が「記録項目」のどれとも一致しません（伏せる項目を特定できないため、"
               f"公開サイトは作れません）。「記録項目」と同じ名前で書いてください{hint}", path, False)


def remove(items: list[str], withheld: list[str]) -> list[str]:
    """``items`` without the withheld ones (compared normalised)."""
    hidden = {normalise(w) for w in withheld}
    return [i for i in items if normalise(i) not in hidden]
