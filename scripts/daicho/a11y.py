"""Accessibility pieces both sites share (JIS X 8341-3:2016 level AA, see issue 9).

- ``THEME_DIR``: the theme override (skip link on generated pages) both MkDocs plugins put
  first in the theme's template path;
- ``time_element``: the one way a date reaches HTML — 和暦 with the 西暦, inside
  ``<time datetime="YYYY-MM-DD">`` so screen readers and machines get the date unambiguously;
- ``load_result``: the committed result of the last accessibility check
  (``accessibility/result.json``, written by ``tests/test_a11y.py``), from which the
  public site's 「ウェブアクセシビリティ方針」 page is generated.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from markupsafe import Markup

from daicho.dates import wareki_with_iso
from daicho.errors import DaichoError

THEME_DIR = Path(__file__).resolve().parent / "templates" / "theme"
RESULT_PATH = Path("accessibility") / "result.json"
TARGET = "JIS X 8341-3:2016 適合レベル AA"
SITES = {"public": "公開サイト（個人情報ファイル簿）", "intranet": "庁内サイト（職員向け、非公開）"}

_NONE = Markup('<span class="daicho-none">—</span>')


def time_element(value: dt.date | str | None) -> Markup:
    """``<time datetime="2025-06-27">令和7年6月27日 (2025-06-27)</time>``; a dash when empty."""
    if not value:
        return _NONE
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    return Markup('<time datetime="{}">{}</time>').format(day.isoformat(), wareki_with_iso(day))


class ResultError(DaichoError):
    """accessibility/result.json is unreadable or not in the expected shape."""

    def __init__(self, message: str) -> None:
        super().__init__("E-A11Y-RESULT", message, RESULT_PATH.as_posix())


def load_result(root: Path) -> dict[str, Any] | None:
    """The recorded check, or None when none is committed. Raises ResultError (Japanese) when
    the file exists but is malformed, so a broken record never reaches the public page."""
    path = root / RESULT_PATH
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ResultError(f"読み込めません（{exc}）") from None
    problems = _problems(data)
    if problems:
        raise ResultError("／".join(problems))
    return data


def _problems(data: Any) -> list[str]:
    if not isinstance(data, dict):
        return ["JSON のオブジェクトではありません"]
    out = [f"{key} がありません" for key in ("checked", "target", "tool", "browser", "rules", "schemes",
                                              "keyboard", "violations", "pages") if key not in data]
    try:
        dt.date.fromisoformat(str(data.get("checked", "")))
    except ValueError:
        out.append("checked が YYYY-MM-DD の日付ではありません")
    if not isinstance(data.get("violations", 0), int):
        out.append("violations は整数でなければなりません")
    pages = data.get("pages")
    if not isinstance(pages, list) or not pages:
        out.append("pages は空でない配列でなければなりません")
        return out
    for i, p in enumerate(pages):
        if not isinstance(p, dict) or p.get("site") not in SITES or not isinstance(p.get("path"), str) \
                or not isinstance(p.get("label"), str):
            out.append(f"pages[{i}] には site（{'/'.join(SITES)}）、path、label が必要です")
    return out
