"""Text cells a spreadsheet will not run: CSV/formula injection (CWE-1236), OWASP's rule.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel
and LibreOffice as a formula (``=HYPERLINK(…)``, ``@SUM(…)``, DDE). Japanese Excel also takes
the full-width ``＝`` ``＋`` ``－`` ``＠`` as formula starts, and spaces before one do not help.
Such a cell gets a leading apostrophe: spreadsheets show it as text. Every export that writes
record text into CSV or XLSX calls `neutralise` on each text cell; `restore` undoes it for the
importer, so a download read back gives the value it was made from.
"""

from __future__ import annotations

import unicodedata

PREFIX = "'"
_STARTS = frozenset("=+-@")
_CONTROL_STARTS = frozenset("\t\r\n")
_LEADING_SPACE = " \u3000"


def dangerous(text: str) -> bool:
    """True if a spreadsheet could read ``text`` as a formula."""
    if not text:
        return False
    if text[0] in _CONTROL_STARTS:
        return True
    body = text.lstrip(_LEADING_SPACE)
    # NFKC folds the full-width and small forms (＝, ﹦, ＋, －, ＠) onto the ASCII ones.
    return bool(body) and unicodedata.normalize("NFKC", body[0])[:1] in _STARTS


def neutralise(text: str) -> str:
    """``text`` as a cell no spreadsheet evaluates (unchanged unless it could be a formula)."""
    return PREFIX + text if dangerous(text) else text


def restore(text: str) -> str:
    """The value `neutralise` was given (the importer reads our own downloads back)."""
    if text.startswith(PREFIX) and dangerous(text[len(PREFIX):]):
        return text[len(PREFIX):]
    return text
