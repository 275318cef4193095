"""Change history of the records from git, read in ONE ``git log`` pass per build.

A process per record would cost seconds at a few thousand records; one pass over
``git log --name-only`` costs about the same as reading the log once.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field, replace
from pathlib import Path

_COMMIT = "\x1e"
_FIELD = "\x1f"
# git's --name-status letters → what the page says (the commit subjects are the authors' words).
CHANGE_LABEL = {"A": "新規登録", "M": "修正", "D": "削除", "T": "修正"}


@dataclass(frozen=True)
class Commit:
    sha: str
    date: str  # author date, YYYY-MM-DD
    author: str
    subject: str
    order: int = 0  # position in the log (higher = newer): breaks same-day ties
    change: str = ""  # what the commit did to this file, in Japanese (CHANGE_LABEL)


@dataclass
class History:
    by_path: dict[str, list[Commit]] = field(default_factory=dict)  # newest first
    available: bool = True
    reason: str = ""

    def of(self, path: str) -> list[Commit]:
        return self.by_path.get(path, [])

    def recent(self, limit: int) -> list[tuple[str, Commit]]:
        """The ``limit`` most recently changed paths with their latest commit, newest first."""
        latest = [(commits[0], path) for path, commits in self.by_path.items() if commits]
        latest.sort(key=lambda cp: (cp[0].date, cp[0].order, cp[1]), reverse=True)
        return [(path, commit) for commit, path in latest[:limit]]


def parse(output: str) -> dict[str, list[Commit]]:
    """Parse ``git log --name-status --format=<RS>sha<US>date<US>author<US>subject`` output
    (``--name-only`` lines, without a status, are read as changes of unknown kind)."""
    by_path: dict[str, list[Commit]] = {}
    chunks = [c for c in output.split(_COMMIT) if c.strip()]
    for n, chunk in enumerate(chunks):
        header, _, names = chunk.partition("\n")
        parts = header.split(_FIELD)
        if len(parts) != 4:
            continue
        commit = Commit(*parts, order=len(chunks) - n)
        for line in names.splitlines():
            status, tab, name = line.strip().partition("\t")
            if not tab:
                status, name = "", status
            if name:
                by_path.setdefault(name, []).append(replace(commit, change=CHANGE_LABEL.get(status[:1], "変更")))
    return by_path


def load(root: Path, pathspec: str = "records") -> History:
    """History of every file under ``root/pathspec``; paths relative to ``root``.

    Not a git repository, or git missing: an empty history that says why (the site still builds)."""
    cmd = ["git", "-c", "core.quotePath=false", "-C", str(root), "log", "--no-renames",
           "--name-status", "--relative", f"--format={_COMMIT}%H{_FIELD}%as{_FIELD}%an{_FIELD}%s",
           "--", pathspec]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return History(available=False, reason=f"git を実行できません（{type(exc).__name__}）")
    if proc.returncode != 0:
        return History(available=False, reason="git の履歴がありません（git リポジトリではありません）")
    return History(parse(proc.stdout))
