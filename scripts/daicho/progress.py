"""Progress for long commands: one self-rewriting line on a terminal, nothing anywhere else.

A command opens a task (``with progress.task("記録を検査"):``); code deep inside it — the record
loader, say — asks for ``progress.counter(total)`` and calls the returned function once per
item. Without an open task, or when output is not an interactive terminal (CI, pre-commit,
pipes, tests), the counter does nothing, so library code can always call it.

``DAICHO_PROGRESS=1`` forces the line on from the first item (to see it through a pipe),
``=0`` off.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

# Shown only once a task has run this long, then redrawn at most this often.
DELAY = 0.5
INTERVAL = 0.1


def enabled(stream: TextIO | None = None) -> bool:
    forced = os.environ.get("DAICHO_PROGRESS", "")
    if forced in ("0", "1"):
        return forced == "1"
    if os.environ.get("CI") or os.environ.get("PRE_COMMIT") or os.environ.get("TERM") == "dumb":
        return False
    stream = stream or sys.stderr
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Task:
    """One line: ``label: done/total (pct%)``, rewritten in place, cleared when done."""

    def __init__(self, label: str, stream: TextIO, delay: float = DELAY) -> None:
        self.label, self.stream, self.delay = label, stream, delay
        self.started = time.monotonic()
        self.shown_at = 0.0
        self.phase = ""
        self.done = 0
        self.total = 0
        self.drawn = False

    def counter(self, total: int, phase: str = "") -> Callable[[], None]:
        self.phase, self.done, self.total = phase, 0, total

        def step() -> None:
            self.done += 1
            now = time.monotonic()
            if now - self.started >= self.delay and (now - self.shown_at >= INTERVAL or self.done == self.total):
                self.shown_at = now
                self.draw()

        return step

    def draw(self) -> None:
        name = f"{self.label}（{self.phase}）" if self.phase else self.label
        pct = f" ({100 * self.done // self.total}%)" if self.total else ""
        self.stream.write(f"\r\033[K{name}: {self.done:,}/{self.total:,}{pct}")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()


_active: list[Task] = []


def _delay() -> float:
    return 0.0 if os.environ.get("DAICHO_PROGRESS") == "1" else DELAY


@contextmanager
def task(label: str, stream: TextIO | None = None) -> Iterator[Task | None]:
    """Show progress for the code inside (when on a terminal); yields the task or None."""
    stream = stream or sys.stderr
    if not enabled(stream):
        yield None
        return
    current = Task(label, stream, _delay())
    _active.append(current)
    try:
        yield current
    finally:
        _active.remove(current)
        current.close()


def start(label: str, stream: TextIO | None = None) -> Task | None:
    """Open a task across calls that cannot share a ``with`` block (MkDocs' plugin events);
    close it with `finish`. None when nothing is to be shown."""
    stream = stream or sys.stderr
    if not enabled(stream):
        return None
    current = Task(label, stream, _delay())
    _active.append(current)
    return current


def finish(current: Task | None) -> None:
    if current is not None and current in _active:
        _active.remove(current)
        current.close()


def _nothing() -> None:
    return None


def counter(total: int, phase: str = "") -> Callable[[], None]:
    """A step function for ``total`` items of the innermost open task (a no-op without one)."""
    return _active[-1].counter(total, phase) if _active else _nothing
