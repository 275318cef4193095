"""``daicho approve INCIDENT-ID``: the office approves an incident's 公開要約 for the public site.

Writes 公開要約.承認日 (today, or ``--date``) and 公開要約.承認ハッシュ, the fingerprint of
exactly what is approved (`daicho.approval`). The file is rewritten with comments kept; it is
written whole or not at all, and only if it has no error of its own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import tempfile
from pathlib import Path

from daicho import approval, repository, yamlfmt
from daicho.dates import TodayError, arg_date, today


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "approve", help="事案の公開要約を承認する（法務課）",
        description="漏えい等事案の「公開要約」（件名・本文）を法務課が確認した後に実行します。承認日と、"
                    "承認した内容の指紋（承認ハッシュ）を記録に書き込みます。承認後に件名・本文・承認日を"
                    "変えると公開サイトに載らなくなるので、そのときはもう一度確認して実行します。")
    p.add_argument("id", metavar="ID", help="事案の id（例: I-2025-D1501-01）")
    p.add_argument("--date", type=arg_date, default=None, metavar="YYYY-MM-DD",
                   help="承認日（既定: 今日）。後の日付にすると、その日から公開されます")
    p.add_argument("--root", type=Path, default=None, help="リポジトリのルート（既定: records/ がある上位フォルダ）")
    p.set_defaults(func=run)


def _fail(message: str) -> int:
    print(f"daicho approve: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    try:
        day: dt.date = args.date or today()
    except TodayError as exc:
        return _fail(str(exc))
    repo = repository.load(args.root)
    record = repo.get(args.id)
    if record is None or record.type != "incident":
        broken = [i for i in repo.errors if i.file.rsplit("/", 1)[-1] == f"{args.id}.yaml"]
        if broken:
            return _fail(f"{broken[0].file} に誤りがあるため承認できません。daicho validate で直してください")
        return _fail(f"漏えい等事案「{args.id}」が見つかりません")
    if "公開要約" not in record.data:
        return _fail(f"{record.path} に「公開要約」（件名・本文）がありません。先に書いてから承認します")
    path = repo.root / record.path
    y = yamlfmt._yaml()
    data = y.load(path.read_text(encoding="utf-8"))  # round trip: comments stay
    summary = data["公開要約"]
    if "承認日" in summary:  # a date object is written plain (YYYY-MM-DD), as every date
        summary["承認日"] = day
    else:  # a draft: the date goes first, where the schema (and `daicho fmt`) puts it
        summary.insert(0, "承認日", day)
    summary[approval.FIELD] = approval.fingerprint({**record.data["公開要約"], "承認日": day.isoformat()})
    buf = io.StringIO()
    y.dump(data, buf)
    # Whole or not at all: a new file beside it, then renamed over it.
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", newline="\n", dir=path.parent,
                                     prefix=".approve-", suffix=".tmp", delete=False) as fh:
        fh.write(buf.getvalue())
    os.replace(fh.name, path)
    print(f"{record.path}: 公開要約を承認しました（承認日 {day.isoformat()}）。この変更をコミットしてください")
    return 0
