"""``daicho validate [PATH…]``: check the whole repository, report every problem once."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from daicho import progress, repository
from daicho.argparse_ja import Parser
from daicho.errors import DaichoError
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


def _usage_error(message: str) -> int:
    print(f"daicho validate: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    # File names are not always valid UTF-8 and consoles are not always UTF-8: escape what the
    # output cannot encode rather than fail on it.
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")
    root = repository.find_root(args.root)
    if not (root / "records").is_dir():
        return _usage_error(f"records/ フォルダが見つかりません（{root}）。リポジトリの中で実行するか --root で指定してください")
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        return _usage_error(f"指定したファイル・フォルダがありません: {', '.join(missing)}")
    try:
        with progress.task("記録を検査"):  # a line on a terminal only, never in CI or pre-commit
            repo = repository.load(root, full=False)  # issues only: cached records by their summary
    except DaichoError as exc:  # a broken schema, form or rules file: nothing can be checked
        print(FORMATS[args.format]([exc.issue()], 0))
        return 1
    if not repo.types:
        return _usage_error(f"スキーマが見つかりません（{repo.schema_dir}）")
    issues = repo.issues
    chosen = _selected(args.paths, repo.root)
    if chosen is not None:
        issues = [i for i in issues if any(i.file == c or i.file.startswith(c.rstrip("/") + "/") for c in chosen)]
    print(FORMATS[args.format](issues, repo.checked))
    return 1 if any(i.severity == "error" for i in issues) else 0


def main(argv: list[str] | None = None) -> int:
    """``daicho validate`` without the rest of the CLI: the local pre-commit hook imports only
    this module, so its environment needs only the validator's dependencies."""
    parser = Parser(prog="daicho")
    register(parser.add_subparsers())
    args = parser.parse_args(["validate", *(sys.argv[1:] if argv is None else argv)])
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
