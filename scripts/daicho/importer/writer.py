"""Write an import batch: every file or none."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write(root: Path, files: dict[str, str], replace: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    """Temp files first, then renames. A new file must not exist yet; the paths in ``replace``
    are records the import updates."""
    staged: list[tuple[str, Path]] = []
    try:
        for rel, text in files.items():
            dest = root / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".import-", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            staged.append((tmp, dest))
        if any(dest.exists() for (_, dest), rel in zip(staged, files, strict=False) if rel not in replace):
            raise FileExistsError("取り込み先に同じ名前のファイルがあります")
        for tmp, dest in staged:
            os.replace(tmp, dest)
    finally:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
