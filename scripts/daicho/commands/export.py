"""``daicho export REGISTER``: a register as an Excel workbook that ``daicho import`` reads back."""

from __future__ import annotations

import argparse
from pathlib import Path

from daicho import importer, repository
from daicho.commands import import_


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="台帳を Excel（XLSX）に書き出す（直して daicho import で戻せます）",
                       description="書き出したブックを Excel で直し、daicho import で取り込むと記録が更新されます。"
                                   "何も直さずに取り込んだときは、どの記録も変わりません。")
    p.add_argument("target", choices=importer.TARGETS, help=import_.TARGET_HELP)
    p.add_argument("-o", "--output", type=Path, default=None, help="書き出すファイル（既定: シート名.xlsx。例: 個人情報ファイル簿.xlsx）")
    p.add_argument("--root", type=Path, default=None)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from daicho.importer.values import vocabulary
    from daicho.register_export import workbook

    repo = repository.load(args.root)
    if repo.errors:
        print("書き出す前に、記録の誤りを直してください（daicho validate）")
        return 1
    sheet = vocabulary(repo.schema_dir).registers[args.target]["シート名"]
    out: Path = args.output or Path(f"{sheet}.xlsx")
    try:
        out.write_bytes(workbook(repo, args.target))
    except OSError:  # a missing folder, or the file open in Excel
        print(f"{out}: 書き出せません（フォルダがないか、書き込めません）。Excel で開いているときは閉じてください")
        return 2
    print(f"書き出しました: {out}")
    return 0
