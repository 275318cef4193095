"""``daicho report --fy 2024``: the annual 運用状況 report (議題2 資料1) from the records."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from daicho import dates, repository
from daicho.dates import arg_date, fy_label, fy_start
from daicho.report import charts, findings, html, md, tables, tabular
from daicho.report.history import DEFAULT_GRACE_DAYS, grace_days
from daicho.reporters import text_line

FORMATS = ("md", "html", "csv", "xlsx")



def _count(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"0 以上の整数で指定してください: {value}")
    return int(value)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report", help="運用状況（審議会 議題2 資料1）を作る",
        description="記録から運用状況の表（１ 事務登録簿・ファイル簿の件数、２ 開示請求の処理状況と不開示事由、"
                    "３ 目的外利用・外部提供）を作ります。--check で会議前の確認事項を表示します。")
    p.add_argument("--fy", type=int, required=True, help="報告する年度（西暦の年度。令和6年度なら 2024）")
    p.add_argument("--compare", type=int, default=None, help="比べる年度（既定: 前年度）")
    p.add_argument("--format", choices=FORMATS, default="md", help="出力形式（既定: md）")
    p.add_argument("--output", "-o", type=Path, default=None, help="書き出すファイル（既定: 標準出力。xlsx では必須）")
    p.add_argument("--check", action="store_true",
                   help="表の代わりに確認事項（不開示事由の記録漏れ、決定期限を過ぎた処理中の請求、確定後の数値の変更）を表示する")
    p.add_argument("--today", type=arg_date, default=None, help="基準日 YYYY-MM-DD（既定: 環境変数 DAICHO_TODAY、なければ今日）")
    p.add_argument("--grace-days", type=_count, default=None,
                   help=f"年度末から数値が確定するまでの日数（確定後の変更の確認に使う。既定: 運用設定、なければ {DEFAULT_GRACE_DAYS}）")
    p.add_argument("--jimu-at-enforcement", type=_count, default=None, metavar="N",
                   help="「※ 改正法施行時点の総件数」事務登録簿（既定: 記録の日付から 2023-04-01 時点を数える）")
    p.add_argument("--files-at-enforcement", type=_count, default=None, metavar="N",
                   help="「※ 改正法施行時点の総件数」ファイル簿（既定: 記録の日付から 2023-04-01 時点を数える）")
    p.add_argument("--root", type=Path, default=None, help="リポジトリのルート（既定: records/ がある上位フォルダ）")
    p.set_defaults(func=run)


def _usage_error(message: str) -> int:
    print(f"daicho report: {message}", file=sys.stderr)
    return 2


def _write(data: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    output.write_bytes(data)
    print(f"{output} に書き出しました", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    compare = args.fy - 1 if args.compare is None else args.compare
    if not 2000 <= compare < args.fy <= 2099:
        return _usage_error("--compare には --fy より前の年度を指定してください（年度は 2000〜2099）")
    if args.format == "xlsx" and args.output is None and not args.check:
        return _usage_error("--format xlsx では --output で書き出すファイルを指定してください")
    if args.output is not None and not args.output.parent.is_dir():
        return _usage_error(f"書き出し先のフォルダがありません: {args.output.parent}")
    try:
        today = args.today or dates.today()
    except dates.TodayError as exc:
        return _usage_error(str(exc))
    if fy_start(args.fy) > today:
        return _usage_error(f"{fy_label(args.fy)}はまだ始まっていません（基準日 {today.isoformat()}）")
    repo = repository.load(args.root)
    if not repo.organs:
        print("daicho report: 組織マスタ records/organization.yaml に実施機関がないため作れません", file=sys.stderr)
        return 1
    status = 0
    if repo.errors:
        for issue in repo.errors[:10]:
            print(text_line(issue), file=sys.stderr)
        print(f"記録にエラーが {len(repo.errors)} 件あります。エラーのある記録は集計に含まれていません"
              "（daicho validate で確認してください）", file=sys.stderr)
        status = 1

    if args.check:
        found = findings.collect(repo, [compare, args.fy], today, grace_days=args.grace_days if args.grace_days is not None else grace_days(repo))
        for f in found.items:
            print(f.text())
        for note in found.notes:
            print(f"注: {note}")
        print(f"確認事項 {len(found.items)} 件" if found.items else "確認が必要な事項はありません")
        return max(status, 1 if found.items else 0)

    enforcement = {k: v for k, v in (("jimu", args.jimu_at_enforcement),
                                     ("file", args.files_at_enforcement)) if v is not None}
    report = tables.build(repo, args.fy, compare, enforcement, today=today)
    if args.format == "md":
        data = md.document(report).encode("utf-8")
    elif args.format == "html":
        data = html.standalone(report, charts.build(repo, report), None, today=today.isoformat()).encode("utf-8")
    elif args.format == "csv":
        data = tabular.csv_bytes(report)
    else:
        data = tabular.xlsx_bytes(report)
    _write(data, args.output)
    if report.in_progress:
        print(f"{fy_label(args.fy)}は年度途中です。{today.isoformat()} 時点の数値で、確定値ではありません", file=sys.stderr)
    for note in report.missing:
        print(note, file=sys.stderr)
    return status
