"""``daicho validate [PATH…]``: check the whole repository, report every problem once."""

from __future__ import annotations

import argparse
from pathlib import Path

from daicho import repository
from daicho.reporters import FORMATS


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="記録を検査する", description="すべての記録をスキーマと記録間の規則で検査します。")
    p.add_argument("paths", nargs="*", type=Path,
                   help="結果を表示するファイルやフォルダ（省略時はすべて）。検査は常に全体に対して行います")
    p.add_argument("--root", type=Path, default=None, help="リポジトリのルート（既定: records/ がある上位フォルダ）")
    p.add_argument("--format", choices=sorted(FORMATS), default="text", help="出力形式")
    p.set_defaults(func=run)


def _selected(paths: list[Path], root: Path) -> set[str] | None:
    if not paths:
        return None
    out = set()
    for p in paths:
        try:
            out.add(p.resolve().relative_to(root).as_posix())
        except ValueError:
            out.add(p.as_posix())
    return out


def run(args: argparse.Namespace) -> int:
    repo = repository.load(args.root)
    issues = repo.issues
    chosen = _selected(args.paths, repo.root)
    if chosen is not None:
        issues = [i for i in issues if any(i.file == c or i.file.startswith(c.rstrip("/") + "/") for c in chosen)]
    print(FORMATS[args.format](issues, repo.checked))
    return 1 if any(i.severity == "error" for i in issues) else 0
