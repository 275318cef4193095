"""``daicho import filebook|jimu FILE…``: a city's existing registers into records."""

from __future__ import annotations

import argparse
from pathlib import Path

from daicho import importer, progress, repository
from daicho.reporters import text_line


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="既存の台帳（CSV・XLSX）を記録に取り込む",
                       description="列は見出しの名前で対応付けます。全行を検査してから書き込みます。")
    p.add_argument("target", choices=sorted(importer.TARGETS), help="filebook（ファイル簿）か jimu（事務登録簿）")
    p.add_argument("files", nargs="+", type=Path, help="CSV（UTF-8 / Shift_JIS）か XLSX")
    p.add_argument("--partial", action="store_true", help="誤りのない行だけ書き込む（既定: 1行でも誤りがあれば何も書かない）")
    p.add_argument("--dry-run", action="store_true", help="検査だけして書き込まない")
    p.add_argument("--root", type=Path, default=None)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with progress.task("記録を検査"):  # a line on a terminal only, never in CI or pre-commit
        repo = repository.load(args.root)
    if repo.errors:
        print("取り込む前に、今ある記録の誤りを直してください（daicho validate）")
        return 1
    files: dict[str, str] = {}
    problems = []
    for source in args.files:
        if not source.is_file():
            print(f"{source}: ファイルがありません")
            return 2
        batch = importer.plan(repo, args.target, source)
        files.update(batch.files)
        problems.extend(batch.issues)
    for issue in problems:
        print(text_line(issue))
    if problems and not args.partial:
        print(f"誤りが {len(problems)} 件あるため、何も書き込みませんでした")
        return 1
    if args.dry_run:
        print(f"{len(files)} 件を取り込めます（--dry-run のため書き込みませんでした）")
        return 1 if problems else 0
    importer.write(repo.root, files)
    for rel in sorted(files):
        print(f"書き込みました: {rel}")
    print(f"{len(files)} 件を取り込みました")
    return 1 if problems else 0
