"""``daicho validate [PATH…]``: check the whole repository, report every problem once.

What it reports is ``rules.review``: the loader's and the cross-record rules' issues and the
compliance engine's findings (the same codes ``daicho due`` shows), each with its severity.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from daicho import dates, progress, repository, rules
from daicho.argparse_ja import Parser
from daicho.dates import arg_date
from daicho.errors import DaichoError
from daicho.reporters import FORMATS
from daicho.result import Issue


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate", help="記録を検査する",
        description="すべての記録をスキーマと記録間の規則で検査し、期限管理の指摘（daicho due と同じ警告）も"
                    "表示します。終了コード: エラーがあれば 1、警告だけなら 0（--strict のときは 1）。")
    p.add_argument("paths", nargs="*", type=Path,
                   help="結果を表示するファイルやフォルダ（省略時はすべて）。検査は常に全体に対して行います")
    p.add_argument("--root", type=Path, default=None, help="リポジトリのルート（既定: records/ がある上位フォルダ）")
    p.add_argument("--format", choices=sorted(FORMATS), default="text", help="出力形式")
    p.add_argument("--today", "--as-of", dest="today", type=arg_date, default=None, metavar="YYYY-MM-DD",
                   help="基準日（既定: 環境変数 DAICHO_TODAY、なければ今日）。この日より後の日付の記載はまだ起きていないものとして扱います")
    p.add_argument("--strict", action="store_true", help="警告が1件でもあれば終了コード 1 で終わる")
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


def exit_code(issues: list[Issue], strict: bool) -> int:
    """1 with an error (or, ``strict``, any warning), else 0."""
    return 1 if any(i.severity == "error" or strict for i in issues) else 0


def run(args: argparse.Namespace) -> int:
    # File names are not always valid UTF-8 and consoles are not always UTF-8: escape what the
    # output cannot encode rather than fail on it.
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")
    try:
        today = args.today or dates.today()
    except dates.TodayError as exc:
        return _usage_error(str(exc))
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
    issues = rules.review(repo, today)
    chosen = _selected(args.paths, repo.root)
    if chosen is not None:
        issues = [i for i in issues if any(i.file == c or i.file.startswith(c.rstrip("/") + "/") for c in chosen)]
    print(FORMATS[args.format](issues, repo.checked))
    return exit_code(issues, args.strict)


def main(argv: list[str] | None = None) -> int:
    """``daicho validate`` without the rest of the CLI: the local pre-commit hook imports only
    this module, so its environment needs only the validator's dependencies."""
    parser = Parser(prog="daicho")
    register(parser.add_subparsers())
    args = parser.parse_args(["validate", *(sys.argv[1:] if argv is None else argv)])
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
