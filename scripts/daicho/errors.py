"""One error model: a problem a user can fix, with its stable code and where it is.

Library code raises :class:`DaichoError` (never ``SystemExit``) for input it cannot work with
(a broken schema, rules.yaml or form, a bad ``DAICHO_TODAY``); the adapters decide what that
means: the CLI prints it and exits 2, the MkDocs plugins turn it into a ``PluginError``.
Problems in records are not raised: they are collected as :class:`daicho.result.Issue` so that
one run reports them all.

Every code, raised or collected, is listed in ``schemas/errors.yaml`` (:func:`catalogue`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from daicho import yamlio
from daicho.result import Issue, Severity

CATALOGUE_FILE = "errors.yaml"


class DaichoError(Exception):
    """Input daicho cannot work with. ``file`` is shown as given (repository-relative where known)."""

    def __init__(self, code: str, message: str, file: str = "", line: int = 1, col: int = 1,
                 path: tuple[str | int, ...] = ()) -> None:
        self.code, self.message, self.file, self.line, self.col, self.path = code, message, file, line, col, path
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}: " if self.file else ""
        return f"{where}エラー[{self.code}] {self.message}"

    def issue(self) -> Issue:
        """The same problem as an Issue, for the reporters (text, JSON)."""
        return Issue(self.file, self.line, self.col, self.code, self.message, self.path)


def shown(path: Path, schema_dir: Path) -> str:
    """A file of the schemas folder as messages name it: ``schemas/forms/checklist.yaml``."""
    try:
        return path.relative_to(schema_dir.parent).as_posix()
    except ValueError:
        return str(path)


def from_load_error(file: str | Path, exc: yamlio.LoadError) -> DaichoError:
    """A YAML data file of the installation (a form, rules.yaml) that does not load."""
    return DaichoError(exc.code, exc.message, str(file), exc.line, exc.col, exc.path)


@dataclass(frozen=True)
class Entry:
    """One code of the catalogue."""

    code: str
    severity: Severity
    message: str  # the wording's template; {…} stands for a field name, id or number
    explanation: str  # when it appears and how to fix it
    source: str = ""  # the law or guideline behind it, where there is one


def catalogue(schema_dir: Path) -> dict[str, Entry]:
    """``schemas/errors.yaml`` as {code: Entry}, in file order. A malformed entry raises
    DaichoError (E-CATALOGUE) with its position."""
    path = schema_dir / CATALOGUE_FILE
    try:
        doc = yamlio.load_bytes(path.read_bytes())
    except OSError:
        raise DaichoError("E-CATALOGUE", "コードの一覧（schemas/errors.yaml）がありません", shown(path, schema_dir)) from None
    except yamlio.LoadError as exc:
        raise from_load_error(shown(path, schema_dir), exc) from None
    out: dict[str, Entry] = {}
    for code, fields in (doc.data or {}).items():
        line, col = doc.position((code,), key=True)
        if not isinstance(fields, dict) or fields.get("severity") not in ("error", "warning") or not all(
                isinstance(fields.get(k), str) and fields[k] for k in ("message", "explanation")):
            raise DaichoError("E-CATALOGUE", f"「{code}」には severity（error/warning）、message、explanation が必要です",
                              shown(path, schema_dir), line, col)
        if code[:2] != ("E-" if fields["severity"] == "error" else "W-"):
            raise DaichoError("E-CATALOGUE", f"「{code}」の先頭（E-/W-）が severity と合いません", shown(path, schema_dir),
                              line, col)
        out[code] = Entry(code, fields["severity"], fields["message"], fields["explanation"], fields.get("source", ""))
    return out
