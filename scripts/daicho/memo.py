"""Memoise what is read from ``schemas/`` (types, forms, rules.yaml, the error catalogue) for
as long as those files stay as they are.

A long ``mkdocs serve`` rebuilds in the same process: a cache keyed by the folder's path alone
would keep serving the schemas of the first build. The key here also holds the stat (path,
size, mtime, inode) of every file below the folder, so editing, replacing or adding a file
changes the next result; an unchanged folder costs a few ``stat`` calls.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache, wraps
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
Stamp = tuple[tuple[str, int, int, int], ...]


def stamp(folder: Path) -> Stamp:
    """(relative path, size, mtime_ns, inode) of every file below ``folder``, sorted."""
    out = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            try:
                st = os.stat(path)
            except OSError:
                continue
            out.append((os.path.relpath(path, folder), st.st_size, st.st_mtime_ns, st.st_ino))
    return tuple(out)


def by_folder(fn: Callable[[Path], T]) -> Callable[[Path], T]:
    """``fn(folder)``, computed again only when a file below ``folder`` changed."""
    # A few entries: the current schemas, and the one of a report's git snapshot or a test.
    cached = lru_cache(maxsize=8)(lambda folder, _stamp: fn(folder))

    @wraps(fn)
    def wrapper(folder: Path) -> T:
        return cached(folder, stamp(folder))

    wrapper.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return wrapper
