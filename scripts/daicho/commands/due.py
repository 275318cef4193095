"""``daicho due``: what is overdue or due soon, most urgent first, with where to fix it."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import json
import sys
from pathlib import Path

import yaml

from daicho import dates, repository, rules
from daicho.dates import arg_date, days_left_label, fiscal_year, wareki_with_iso
from daicho.reporters import text_line
from daicho.repository import Repository
from daicho.result import Issue, json_path
from daicho.rules import DONE, NOT_APPLICABLE, OPEN, OVERDUE, STATUSES, Obligation

FORMATS = ("text", "json", "csv", "ics")



def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "due", help="期限切れ・期限が近い義務を一覧する",
        description="委託契約・漏えい等事案・開示請求の義務（チェックリスト、管理体制等報告書、検査、"
                    "速報・確報、開示決定など）を期限の近い順に表示します。--fail-on-overdue のときは期限切れがあれば終了コード 1。",
    )
    p.add_argument("--today", "--as-of", dest="today", type=arg_date, default=None, metavar="YYYY-MM-DD",
                   help="基準日（既定: 環境変数 DAICHO_TODAY、なければ今日）。この日より後の日付の記載はまだ起きていないものとして扱います")
    p.add_argument("--department", metavar="CODE", help="部署コードで絞り込む（例: D1501）")
    p.add_argument("--fy", type=int, metavar="N", help="年度（西暦、4月始まり）で絞り込む（例: 2025）")
    p.add_argument("--status", choices=STATUSES, help="状況で絞り込む（指定すると --all と同じく済・対象外も対象）")
    p.add_argument("--all", action="store_true", help="済・対象外・先の期限も含めてすべて表示する")
    p.add_argument("--format", choices=FORMATS, default="text",
                   help="出力形式（csv は義務の一覧のみ・UTF-8 BOM 付き。ics は期限のある未了の義務を"
                        "すべて終日の予定にした iCalendar で、Outlook や Google カレンダーに取り込めます）")
    p.add_argument("--fail-on-overdue", action="store_true",
                   help="期限切れが1件でもあれば終了コード 1 で終わる（定期実行の CI 用）")
    p.add_argument("--root", type=Path, default=None, help="リポジトリのルート（既定: records/ がある上位フォルダ）")
    p.set_defaults(func=run)


def _fy_of(ob: Obligation) -> int | None:
    if ob.fy is not None:
        return ob.fy
    day = ob.due or ob.since or ob.done
    return fiscal_year(day) if day else None


def _department_name(repo: Repository, ob: Obligation) -> str:
    dept = repo.departments.get(ob.department)
    if dept is not None:
        return dept.name
    if ob.department:
        return ob.department
    record = repo.get(ob.record_id)
    return str(record.data.get("実施機関", "")) if record else ""


PRE_CONTRACT = ("checklist", "structure_report")


def _remaining(ob: Obligation, today: dt.date) -> str:
    if ob.days_left(today) is not None:
        return days_left_label(ob.days_left(today))
    if ob.status == OPEN:
        return "期限の定めなし"
    if ob.status == DONE and ob.late:
        return "期限後に実施"
    return ""


def _row(repo: Repository, ob: Obligation, today: dt.date) -> dict[str, object]:
    file, line, col = rules.locate(repo, ob)
    return {
        "file": file, "line": line, "col": col, "json_path": json_path(ob.path),
        "record_id": ob.record_id, "record_type": ob.record_type,
        "department": ob.department, "department_name": _department_name(repo, ob),
        "kind": ob.kind, "fy": ob.fy,
        "due": ob.due.isoformat() if ob.due else None,
        "due_wareki": wareki_with_iso(ob.due) if ob.due else None,
        "done": ob.done.isoformat() if ob.done else None,
        "since": ob.since.isoformat() if ob.since else None,
        "status": ob.status, "late": ob.late, "remaining": _remaining(ob, today), "note": ob.note,
        "label": ob.label,
    }


def _pre_contract(repo: Repository, scoped: list[Obligation]) -> list[str]:
    """One line per contract: the checks due before the contract and before work starts."""
    by_contract: dict[str, dict[str, Obligation]] = {}
    for ob in scoped:
        if ob.record_type == "contract" and ob.duty in PRE_CONTRACT:
            by_contract.setdefault(ob.record_id, {})[ob.duty] = ob
    lines = []
    for record_id, obs in sorted(by_contract.items()):
        dept = _department_name(repo, next(iter(obs.values())))
        states = [f"{obs[key].kind}: {obs[key].status}{'（期限後）' if obs[key].late else ''}"
                  for key in PRE_CONTRACT if key in obs]
        lines.append(f"  {record_id} {dept} " + " / ".join(states))
    return [f"委託契約ごとの契約前・業務開始前の確認 {len(lines)} 件:", *lines] if lines else []


def _text(rows: list[dict], found: list[Issue], today: dt.date, counts: dict[str, int],
          horizon: int, scope: str, pre_contract: list[str]) -> str:
    lines = [
        f"基準日 {wareki_with_iso(today)}: 期限切れ {counts['overdue']} 件、"
        f"{horizon}日以内に期限 {counts['soon']} 件、期限の定めのない未了 {counts['undated']} 件"
        + scope
    ]
    for r in rows:
        parts = [f"{r['file']}:{r['line']}:{r['col']}:", str(r["status"]), str(r["record_id"]),
                 str(r["department_name"]), str(r["label"])]
        if r["due_wareki"]:
            parts.append(f"期限 {r['due_wareki']}" + (f"（{r['remaining']}）" if r["remaining"] else ""))
        elif r["status"] != NOT_APPLICABLE:
            parts.append("期限の定めなし")
        if r["done"]:
            parts.append(f"実施 {r['done']}")
        lines.append(" ".join(p for p in parts if p) + f" — {r['note']}")
    if not rows:
        lines.append("表示する義務はありません")
    lines += pre_contract
    if found:
        lines.append(f"指摘事項 {len(found)} 件:")
        lines += [text_line(i) for i in found]
    return "\n".join(lines)


CSV_COLUMNS = (
    ("ファイル", "file"), ("行", "line"), ("列", "col"), ("記録ID", "record_id"),
    ("記録の種類", "record_type"), ("部署コード", "department"), ("部署名", "department_name"),
    ("義務", "kind"), ("年度", "fy"), ("期限", "due"), ("期限（和暦）", "due_wareki"),
    ("実施日", "done"), ("状況", "status"), ("期限後に実施", "late"), ("残り", "remaining"),
    ("根拠", "note"),
)


def _csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([h for h, _ in CSV_COLUMNS])
    for r in rows:
        w.writerow(["" if r[k] is None else ("はい" if r[k] is True else "いいえ" if r[k] is False
                                             else r[k]) for _, k in CSV_COLUMNS])
    return "\ufeff" + buf.getvalue()


def _ics_text(value: str) -> str:
    """RFC 5545 TEXT escaping."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def _fold(line: str) -> str:
    """RFC 5545 3.1: lines of at most 75 octets, continued with CRLF and one space."""
    parts, current, limit = [], b"", 75
    for ch in line:
        b = ch.encode("utf-8")
        if len(current) + len(b) > limit:
            parts.append(current)
            current, limit = b"", 74
        current += b
    parts.append(current)
    return "\r\n ".join(p.decode("utf-8") for p in parts)


class _MkDocsLoader(yaml.SafeLoader):
    """mkdocs.yml may hold tags such as !ENV, which yaml.safe_load refuses. A SafeLoader that
    builds only plain YAML values, with every other tag (!ENV, !!python/...) read as None: only
    site_url is used. tests/test_due_site_url.py plants an os.system canary."""


_MkDocsLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def site_url(root: Path) -> str | None:
    """The intranet site's address (``site_url`` in mkdocs.yml), for links from the calendar."""
    try:
        config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_MkDocsLoader)  # noqa: S506 - a SafeLoader
    except (OSError, yaml.YAMLError):
        return None
    url = config.get("site_url") if isinstance(config, dict) else None
    return url.rstrip("/") + "/" if isinstance(url, str) and url.strip() else None


def _ics(repo: Repository, obs: list[Obligation], today: dt.date, base: str | None, alarm_days: int) -> str:
    """One all-day event per dated duty. The title names the duty and the record, not its status
    (a calendar keeps the event after the status changes); the text carries the rule and a link
    to the record's page, never a file or JSON path."""
    # Where the site puts each record's page (imported here: only the feed needs the views).
    from daicho.render.common import html_path, record_page

    stamp = today.strftime("%Y%m%dT000000Z")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//daicho//due//JA", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{_ics_text('daicho 期限')}"]
    for ob in obs:
        if ob.due is None:
            continue
        key = f"{ob.record_id}|{ob.kind}|{ob.fy}|{json_path(ob.path)}"
        uid = hashlib.sha1(key.encode("utf-8")).hexdigest()
        summary = f"{ob.label}の期限 {ob.record_id} {_department_name(repo, ob)}"
        url = base + html_path(record_page(ob.record_type, ob.record_id)) if base else None
        description = ob.note + (f"\n{url}" if url else "")
        lines += ["BEGIN:VEVENT", f"UID:{uid}@daicho", f"DTSTAMP:{stamp}",
                  f"DTSTART;VALUE=DATE:{ob.due.strftime('%Y%m%d')}",
                  f"DTEND;VALUE=DATE:{(ob.due + dt.timedelta(days=1)).strftime('%Y%m%d')}",
                  f"SUMMARY:{_ics_text(summary)}", f"DESCRIPTION:{_ics_text(description)}",
                  f"CATEGORIES:{_ics_text(ob.kind)}"]
        if url:
            lines.append(f"URL;VALUE=URI:{url}")
        lines.append("TRANSP:TRANSPARENT")
        if alarm_days > 0:
            lines += ["BEGIN:VALARM", "ACTION:DISPLAY", f"TRIGGER:-P{alarm_days}D",
                      f"DESCRIPTION:{_ics_text(summary)}", "END:VALARM"]
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def run(args: argparse.Namespace) -> int:
    try:
        today = args.today or dates.today()
    except dates.TodayError as exc:
        print(f"daicho due: {exc}", file=sys.stderr)
        return 2
    repo = repository.load(args.root)
    if args.department and args.department not in repo.departments:
        print(f"daicho due: 部署コード「{args.department}」は組織マスタにありません", file=sys.stderr)
        return 2
    # A broken rules.yaml raises DaichoError: the CLI prints it positioned and exits 2, not 1 (= overdue).
    horizon = rules.dashboard_window(repo)
    scoped = [ob for ob in rules.obligations(repo, today)
              if (not args.department or args.department in rules.departments_of(repo, ob))
              and (args.fy is None or _fy_of(ob) == args.fy)]
    show_all = args.all or args.status is not None
    if args.format == "ics" and not show_all:
        # A calendar feed carries every open dated duty; the calendar itself shows what is near.
        chosen = [ob for ob in scoped if ob.is_open and ob.due is not None]
    else:
        chosen = [ob for ob in scoped
                  if (show_all or ob.in_view(today, horizon))
                  and (args.status is None or ob.status == args.status)]
    chosen.sort(key=rules.urgency)
    rows = [_row(repo, ob, today) for ob in chosen]
    counts = {
        "overdue": sum(ob.status == OVERDUE for ob in scoped),
        "soon": sum(ob.status == OPEN and ob.due is not None and ob.in_view(today, horizon)
                    for ob in scoped),
        "undated": sum(ob.status == OPEN and ob.due is None and ob.in_view(today, horizon)
                       for ob in scoped),
        "done": sum(ob.status == DONE for ob in scoped),
        "not_applicable": sum(ob.status == NOT_APPLICABLE for ob in scoped),
    }
    # The same list `daicho validate` reports: the loader's and cross-record rules' issues too.
    found = rules.review(repo, today)
    if args.department or args.fy is not None:
        # Findings follow the records the filters kept.
        files = {rec.path for rec in (repo.get(ob.record_id) for ob in scoped) if rec is not None}
        found = [i for i in found if i.file in files]
    bad = len({i.file for i in repo.errors})
    if bad:
        print(f"注意: エラーのある記録 {bad} 件は期限の計算に含まれていません（daicho validate で確認してください）",
              file=sys.stderr)
    if args.format == "json":
        print(json.dumps({"today": today.isoformat(), "horizon_days": horizon, "summary": counts,
                          "obligations": rows, "findings": [i.as_dict() for i in found]},
                         ensure_ascii=False, indent=2))
    elif args.format == "csv":
        sys.stdout.write(_csv(rows))
    elif args.format == "ics":
        alarm = int(rules.deadlines(repo)["カレンダーの通知の日数"])
        sys.stdout.write(_ics(repo, chosen, today, site_url(repo.root), alarm))
    else:
        scope = (f"（状況が{args.status}のもの）" if args.status else "（すべて表示）" if args.all else "")
        print(_text(rows, found, today, counts, horizon, scope, _pre_contract(repo, scoped)))
    return 1 if counts["overdue"] and args.fail_on_overdue else 0
