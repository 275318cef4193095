"""``daicho new TYPE`` and ``daicho new inspection CONTRACT-ID``: start a record from its form."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from daicho import dates, repository, scaffold, typemodel, yamlfmt
from daicho.forms import load_forms


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("new", help="新しい記録（又は委託契約への検査）を作る",
                       description="必須項目を空欄で並べたファイルを作ります。空欄は daicho validate が「未記入」と表示します。")
    types = typemodel.model(repository.schema_dir_for(repository.find_root())).with_ids()
    p.add_argument("type", choices=[*types, "inspection"], help="記録の種類（inspection は既存の委託契約に検査を追加）")
    p.add_argument("contract", nargs="?", help="inspection のとき: 委託契約の id")
    p.add_argument("--department", help="部署コード（例: D1501）")
    p.add_argument("--fy", type=int, default=None, help="年度（西暦。既定: 今日の年度）")
    p.add_argument("--kind", choices=["書面検査", "実地検査"], default="書面検査", help="inspection のとき: 検査の種別")
    p.add_argument("--root", type=Path, default=None)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    repo = repository.load(args.root)
    if args.type == "inspection":
        return _inspection(repo, args)
    if not args.department or args.department not in repo.departments:
        print(f"--department に組織マスタの部署コードを指定してください（例: {next(iter(repo.departments), 'D1101')}）")
        return 2
    try:
        fy = args.fy or scaffold.current_fy()
    except dates.TodayError as exc:
        print(f"daicho new: {exc}", file=sys.stderr)
        return 2
    rel, text = scaffold.record_text(repo, args.type, args.department, fy)
    path = repo.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8", newline="\n") as fh:  # never overwrite
        fh.write(text)
    print(f"作成しました: {rel}")
    return 0


def _inspection(repo: repository.Repository, args: argparse.Namespace) -> int:
    record = repo.get(args.contract or "")
    if record is None or record.type != "contract":
        print(f"委託契約「{args.contract}」が見つかりません（daicho validate で誤りがないかも確認してください）")
        return 2
    path = repo.root / record.path
    y = yamlfmt._yaml()
    data = y.load(path.read_text(encoding="utf-8"))  # round trip: comments stay
    items = load_forms(repo.schema_dir).inspection_items
    data.setdefault("検査", []).append(scaffold.inspection(args.kind, items))
    buf = io.StringIO()
    y.dump(data, buf)
    path.write_text(buf.getvalue(), encoding="utf-8")
    print(f"{record.path} に{args.kind}を追加しました。実施日と各項目の判定（適／否）を記入してください")
    return 0
