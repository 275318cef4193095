"""``daicho import REGISTER FILE…``: a city's existing registers (Excel, CSV) into records."""

from __future__ import annotations

import argparse
from pathlib import Path

from daicho import importer, progress, repository
from daicho.importer.records import Batch
from daicho.result import Issue

_NAMES = {"filebook": "ファイル簿", "jimu": "事務登録簿", "contract": "委託契約台帳", "disclosure": "開示請求の処理簿"}
TARGET_HELP = "、".join(f"{k}（{v}）" for k, v in _NAMES.items())


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="既存の台帳（Excel・CSV）を記録に取り込む",
                       description="見出しの行（タイトル行の下でも、2段の見出しでも）か単票の項目名で列を対応付けます。"
                                   "全行を検査し、誤りが1件もないときだけ書き込みます。ID が既にある行はその記録を更新します。")
    p.add_argument("target", choices=importer.TARGETS, help=TARGET_HELP)
    p.add_argument("files", nargs="+", type=Path, help="XLSX・XLS・CSV（UTF-8 / Shift_JIS）")
    p.add_argument("--sheet", action="append", default=None, metavar="シート名",
                   help="このシートだけ読む（繰り返し指定可。既定: すべてのシート）")
    p.add_argument("--map", action="append", default=[], metavar="見出し=項目",
                   help="見出しを項目に対応付ける（繰り返し指定可）。「見出し=無視」でその列を読み飛ばす")
    p.add_argument("--mapping", action="append", default=[], type=Path, metavar="FILE",
                   help="「見出し: 項目」を並べた YAML の対応付けファイル")
    p.add_argument("--partial", action="store_true", help="誤りのない記録だけ書き込む（既定: 1件でも誤りがあれば何も書かない）")
    p.add_argument("--dry-run", action="store_true", help="書き込む内容と読み替えの一覧を表示し、書き込まない")
    p.add_argument("--root", type=Path, default=None)
    p.set_defaults(func=run)


def issue_line(issue: Issue) -> str:
    """`台帳.xlsx:ファイル簿!D12: エラー[CODE] …`: the place is the cell, as Excel names it."""
    label = "エラー" if issue.severity == "error" else "警告"
    return f"{issue.file}: {label}[{issue.code}] {issue.message} ({issue.json_path})"


def preview(batch: Batch) -> list[str]:
    """The table of what would be written, then every interpretation of a cell."""
    rows = [("区分", "ID", "内容", "元の位置")] + [
        (("誤り" if p.path in batch.failed else p.status), p.id, p.title[:30].replace("\n", " "), p.where)
        for p in batch.records]
    widths = [max(_width(r[i]) for r in rows) for i in range(4)]
    out = ["  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths, strict=False)).rstrip() for r in rows]
    if batch.notices:
        out.append(f"読み替え・読み飛ばし（{len(batch.notices)} 件）:")
        out += [f"  {n.where}: {n.text}" for n in batch.notices]
    return out


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def run(args: argparse.Namespace) -> int:
    with progress.task("記録を検査"):  # a line on a terminal only, never in CI or pre-commit
        repo = repository.load(args.root)
    if repo.errors:
        print("取り込む前に、今ある記録の誤りを直してください（daicho validate）")
        return 1
    for source in args.files:
        if not source.is_file():
            print(f"{source}: ファイルがありません")
            return 2
    try:
        user_map = importer.read_user_map(args.map, args.mapping)
        batch = importer.plan(repo, args.target, args.files, sheets=args.sheet, user_map=user_map)
    except importer.MappingError as exc:
        print(exc)
        return 2
    for issue in batch.issues:
        print(issue_line(issue))
    if args.dry_run:
        print("\n".join(preview(batch)))
    elif batch.notices:
        print(f"読み替え・読み飛ばしが {len(batch.notices)} 件あります（--dry-run で一覧を表示します）")
    files = {k: v for k, v in batch.files.items() if k not in batch.failed}
    if batch.issues and not args.partial:
        print(f"誤りが {len(batch.issues)} 件あるため、何も書き込みませんでした")
        return 1
    unchanged = sum(1 for p in batch.records if p.status == "変更なし")
    if args.dry_run:
        print(f"{len(files)} 件を書き込めます（変更なし {unchanged} 件。--dry-run のため書き込みませんでした）")
        return 1 if batch.issues else 0
    importer.write(repo.root, files, batch.replace)
    for rel in sorted(files):
        print(f"{'更新' if rel in batch.replace else '書き込み'}ました: {rel}")
    print(f"{len(files)} 件を取り込みました（変更なし {unchanged} 件）")
    return 1 if batch.issues else 0
