"""``daicho due`` end to end on a copy of the fixture repository."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest

from daicho import repository, rules
from tests.conftest import run_daicho
from tests.test_rules_support import copy_fixture, day

LINE = re.compile(r"^(records/\S+\.yaml):(\d+):(\d+): (期限切れ|未実施|済|対象外) (\S+) ")


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_fixture(tmp_path_factory.mktemp("due"))


def due(root: Path, *args: str):
    return run_daicho("due", "--root", str(root), *args)


def test_default_view_lists_overdue_first_then_soon(root: Path) -> None:
    result = due(root, "--today", "2026-11-26")
    assert result.returncode == 0, result.stderr  # listing is not failing ...
    assert due(root, "--today", "2026-11-26", "--fail-on-overdue").returncode == 1  # ... unless asked
    lines = result.stdout.splitlines()
    assert lines[0].startswith("基準日 令和8年11月26日 (2026-11-26): 期限切れ 8 件、60日以内に期限 2 件")
    rows = [LINE.match(line) for line in lines[1:] if LINE.match(line)]
    statuses = [m.group(4) for m in rows]
    assert statuses[:8] == ["期限切れ"] * 8 and set(statuses[8:]) == {"未実施"}
    first = lines[1]
    assert first.startswith("records/contracts/2025/C-2025-D0201-002.yaml:11:7: 期限切れ C-2025-D0201-002 "
                            "健康づくり課 管理体制等報告書 期限 令和7年6月1日 (2025-06-01)（543日超過）")
    ids = {m.group(5) for m in rows}
    assert "R-2026-0001" in ids  # due in 14 days
    assert "I-2025-D0201-03" in ids  # 101 persons, no trigger recorded: 100人超 is derived
    assert "R-2025-0002" not in ids and "C-2025-D0201-001" not in ids  # 対象外 / all done
    assert not any("令和10年3月31日" in line for line in lines)  # too far ahead for the default view
    # file:line:col is where the fix goes.
    for m in rows:
        assert (root / m.group(1)).is_file()
    assert "指摘事項 16 件:" in lines
    assert any("警告[W-CHECKLIST-ANSWER]" in line for line in lines)


def test_json_matches_the_engine(root: Path) -> None:
    result = due(root, "--today", "2026-11-26", "--all", "--format", "json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    repo = repository.load(root)
    obs = rules.obligations(repo, day("2026-11-26"))
    assert len(data["obligations"]) == len(obs)
    got = {(o["record_id"], o["kind"], o["fy"], o["due"], o["status"]) for o in data["obligations"]}
    want = {(o.record_id, o.kind, o.fy, o.due.isoformat() if o.due else None, o.status) for o in obs}
    assert got == want
    assert data["summary"]["overdue"] == 8
    assert {f["code"] for f in data["findings"]} >= {"W-PPC-LATE", "W-INCIDENT-TRIGGER", "W-REPORT-LATE"}
    first = data["obligations"][0]
    assert first["status"] == "期限切れ" and first["due_wareki"] == "令和7年6月1日 (2025-06-01)"
    assert first["json_path"] == "$.履行期間.開始"


def test_csv_is_excel_friendly(root: Path) -> None:
    result = due(root, "--today", "2026-11-26", "--format", "csv")
    assert result.stdout.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert rows[0][:4] == ["ファイル", "行", "列", "記録ID"]
    assert len(rows) - 1 == 17  # 8 overdue + 2 due soon + 7 open without a fixed date
    assert rows[1][3] == "C-2025-D0201-002" and rows[1][12] == "期限切れ"


def test_filters_and_exit_codes(root: Path) -> None:
    park = due(root, "--today", "2026-11-26", "--department", "D0401")
    assert park.returncode == 0, park.stdout  # nothing overdue there
    assert "期限切れ 0 件" in park.stdout and "表示する義務はありません" in park.stdout
    everything = due(root, "--today", "2026-11-26", "--department", "D0401", "--all")
    ids = {m.group(5) for m in map(LINE.match, everything.stdout.splitlines()) if m}
    assert ids == {"C-2025-D0401-001"}
    assert "W-INSPECTION-REMOTE" in everything.stdout and "W-PPC-LATE" not in everything.stdout

    # A second 発生部署 or a second deciding department counts too.
    health = json.loads(due(root, "--today", "2026-11-26", "--department", "D0201", "--all",
                            "--format", "json").stdout)
    health_ids = {o["record_id"] for o in health["obligations"]}
    assert {"I-2025-D0301-01", "R-2025-0003", "C-2025-D0201-001"} <= health_ids
    assert "C-2025-D0101-001" not in health_ids

    fy = due(root, "--today", "2026-11-26", "--fy", "2026", "--all", "--format", "json")
    data = json.loads(fy.stdout)
    assert data["obligations"] and all(
        o["fy"] == 2026 or (o["fy"] is None and (o["due"] or o["since"] or o["done"]) >= "2026-04-01")
        for o in data["obligations"])

    na = due(root, "--today", "2026-11-26", "--status", "対象外", "--format", "json", "--fail-on-overdue")
    assert na.returncode == 1  # the overdue items still exist, the filter only hides them
    assert {o["status"] for o in json.loads(na.stdout)["obligations"]} == {"対象外"}

    early = due(root, "--as-of", "2025-05-01", "--department", "D0201", "--fail-on-overdue")
    assert early.returncode == 0, early.stdout


def test_usage_errors_are_japanese_and_exit_2(root: Path) -> None:
    bad_day = due(root, "--today", "2025-13-01")
    assert bad_day.returncode == 2 and "日付は YYYY-MM-DD で指定してください" in bad_day.stderr
    bad_dept = due(root, "--department", "D9999")
    assert bad_dept.returncode == 2 and "組織マスタにありません" in bad_dept.stderr
    assert "Traceback" not in bad_day.stderr + bad_dept.stderr


def test_broken_rule_data_is_reported_with_its_position(tmp_path: Path) -> None:
    repo = copy_fixture(tmp_path)
    (repo / "schemas" / "rules.yaml").write_text("期限の既定値: [\n", encoding="utf-8")
    result = due(repo, "--today", "2026-11-26")
    assert result.returncode == 2  # not 1, which means "something is overdue"
    assert "rules.yaml:" in result.stderr and "E-RULES-DATA" in result.stderr
    assert "Traceback" not in result.stderr


def test_invalid_records_are_left_out_with_a_notice(tmp_path: Path) -> None:
    repo = copy_fixture(tmp_path)
    path = repo / "records/disclosure/2026/R-2026-0002.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("状態: 処理中", "状態: 不明"), encoding="utf-8")
    result = due(repo, "--today", "2026-11-26")
    assert "エラーのある記録 1 件は期限の計算に含まれていません" in result.stderr
    # No duty of it is listed; its error is, among the findings, as `daicho validate` shows it.
    assert not any(m.group(5) == "R-2026-0002" for m in map(LINE.match, result.stdout.splitlines()) if m)
    assert "records/disclosure/2026/R-2026-0002.yaml:6:5: エラー[E-SCHEMA-ENUM]" in result.stdout


def test_ics_feed_is_accepted_by_a_standard_parser(root: Path, tmp_path: Path,
                                                   capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    import icalendar

    from daicho import cli

    (root / "mkdocs.yml").write_text("site_url: https://daicho.example/\ntheme: !ENV [THEME, material]\n",
                                     encoding="utf-8")
    assert cli.main(["due", "--root", str(root), "--today", "2026-11-26", "--format", "ics"]) == 0
    raw = capsysbinary.readouterr().out  # bytes, so that the CRLF line ends are seen as written
    assert raw.endswith(b"END:VCALENDAR\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded by octets, not characters
    cal = icalendar.Calendar.from_ical(raw)
    events = list(cal.walk("VEVENT"))
    repo = repository.load(root)
    open_dated = [o for o in rules.obligations(repo, day("2026-11-26")) if o.is_open and o.due]
    # One event per duty, each with its page, its kind as category and an alarm a week before
    # (the default of 期限.カレンダーの通知の日数).
    assert len(events) == len(open_dated) == len({str(e["UID"]) for e in events})
    dates = sorted((e.decoded("DTSTART"), str(e["SUMMARY"])) for e in events)
    assert dates[0][0] == day("2025-06-01") and dates[0][1].startswith("管理体制等報告書の期限 C-2025-D0201-002")
    assert not any(s.startswith("【") or "期限切れ" in s or "未実施" in s for _, s in dates)  # no frozen status
    designated = [e for e in events if "C-2025-D0401-001" in str(e["SUMMARY"])]
    assert {e.decoded("DTSTART") for e in designated} == {day(f"{y}-03-31") for y in range(2027, 2031)}
    assert all(e.decoded("DTEND") - e.decoded("DTSTART") == dt.timedelta(days=1) for e in events)
    assert str(designated[0]["URL"]) == "https://daicho.example/contracts/C-2025-D0401-001.html"
    assert str(designated[0]["URL"]) in str(designated[0]["DESCRIPTION"])
    assert {str(e["CATEGORIES"].cats[0]) for e in events} == {o.kind for o in open_dated}
    alarms = [a for e in events for a in e.walk("VALARM")]
    assert len(alarms) == len(events) and {a.decoded("TRIGGER") for a in alarms} == {-dt.timedelta(days=7)}
    text = raw.decode("utf-8").replace("\r\n ", "")
    assert "records/" not in text and ".yaml" not in text and "$." not in text  # no file or JSON paths
    windows = [str(e["SUMMARY"]) for e in events if str(e["CATEGORIES"].cats[0]) == "実地検査"
               and "C-2025-D0301-002" in str(e["SUMMARY"])]
    assert windows == ["実地検査（令和8〜10年度）の期限 C-2025-D0301-002 " + windows[0].rsplit(" ", 1)[1]]


def test_ics_alarm_is_a_setting(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from daicho import cli

    root = copy_fixture(tmp_path / "repo", settings={"カレンダーの通知の日数": 0})
    assert cli.main(["due", "--root", str(root), "--today", "2026-11-26", "--format", "ics"]) == 0
    out = capsys.readouterr().out
    assert "BEGIN:VEVENT" in out and "VALARM" not in out and "URL" not in out  # no site_url: no link
