"""Approval of an incident's 公開要約 with integrity (issue 13 §2).

When the office approves a summary for the public site, ``daicho approve`` writes its approval
date and a fingerprint: the SHA-256 of exactly what was approved (承認日, 件名, 本文). The public
build publishes a summary only while the fingerprint still matches and the approval date is not
after the build date; ``daicho validate`` warns about every other summary, and the public build
leaves it out and says why. So text edited after approval, or an approval dated ahead, never
goes out unreviewed; re-approving is running ``daicho approve`` again.

The fingerprint protects against edits, not against someone who runs ``daicho approve``
themselves: who may approve is decided by review of the change (CODEOWNERS on incidents/).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import unicodedata
from typing import Any

FIELD = "承認ハッシュ"
MISSING = "W-SUMMARY-UNAPPROVED"
CHANGED = "W-SUMMARY-CHANGED"
FUTURE = "W-SUMMARY-FUTURE"


def _text(value: str) -> str:
    """Normalised so that only a change a reader could see changes the fingerprint: Unicode
    NFC (the same characters however an editor composed them), line ends as LF, no white space
    at either end."""
    return unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n").strip()


def fingerprint(summary: dict[str, Any]) -> str:
    """The SHA-256 (hex) of the summary's 承認日, 件名 and 本文, normalised."""
    payload = json.dumps([summary.get("承認日"), _text(summary["件名"]), _text(summary["本文"])], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def problem(summary: dict[str, Any], today: dt.date | None) -> tuple[str, str, str] | None:
    """Why ``summary`` may not be published on ``today`` (code, message, field of 公開要約 to point
    at, "" for the summary itself), or None.
    ``today`` None skips the date check (the build day is not known)."""
    written = summary.get(FIELD)
    if written is None or "承認日" not in summary:
        return (MISSING, "公開要約に承認の記録（承認ハッシュ）がないため公開しません。法務課が内容を確認して"
                "「daicho approve」を実行してください", "")
    if written != fingerprint(summary):
        return (CHANGED, "公開要約の承認日・件名・本文が承認した時から変わっているため公開しません。法務課が"
                "確認し直して「daicho approve」を実行してください", FIELD)
    if today is not None and summary["承認日"] > today.isoformat():
        return (FUTURE, f"公開要約の承認日が今日（{today.isoformat()}）より後のため、その日まで公開しません", "承認日")
    return None
