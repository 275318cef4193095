"""Incident duties (法68条, 規則43〜45条) and disclosure decisions (法83条) on the fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

from daicho import rules
from daicho.repository import Repository
from daicho.rules import DONE, NOT_APPLICABLE, OPEN, OVERDUE
from tests.test_rules_support import codes, day, fixture_repo, load_copy, pick, replace_in

__all__ = ["fixture_repo"]

TODAY = day("2026-11-26")


def obs_of(repo: Repository, record_id: str, today=TODAY):
    return [o for o in rules.obligations(repo, today) if o.record_id == record_id]


@pytest.fixture(scope="module")
def moved(tmp_path_factory: pytest.TempPathFactory) -> Repository:
    """The same records with 休日は翌開庁日に延ばす: true."""
    return load_copy(tmp_path_factory.mktemp("moved"), settings={"休日は翌開庁日に延ばす": True})


def test_first_day_not_counted_and_both_reports_on_time(fixture_repo: Repository) -> None:
    obs = obs_of(fixture_repo, "I-2025-D0201-01")
    quick, final = pick(obs, "I-2025-D0201-01", "速報"), pick(obs, "I-2025-D0201-01", "確報")
    assert (quick.due, quick.status, quick.late) == (day("2025-06-07"), DONE, False)
    assert (final.due, final.status, final.late) == (day("2025-07-02"), DONE, False)
    assert pick(obs, "I-2025-D0201-01", "本人通知").status == DONE
    assert all(o.department == "D0201" for o in obs)


def test_sunday_deadline_with_the_setting_off_and_on(fixture_repo: Repository, moved: Repository) -> None:
    off = pick(obs_of(fixture_repo, "I-2025-D0101-01"), "I-2025-D0101-01", "速報")
    on = pick(obs_of(moved, "I-2025-D0101-01"), "I-2025-D0101-01", "速報")
    assert (off.due, off.late) == (day("2025-08-31"), True)
    assert (on.due, on.late) == (day("2025-09-01"), False)
    assert "W-PPC-LATE" in codes(fixture_repo, TODAY, "I-2025-D0101-01")
    assert "W-PPC-LATE" not in codes(moved, TODAY, "I-2025-D0101-01")


def test_fraud_moves_the_final_report_to_60_days_new_year(fixture_repo: Repository,
                                                           moved: Repository) -> None:
    off = pick(obs_of(fixture_repo, "I-2024-D0301-01"), "I-2024-D0301-01", "確報")
    on = pick(obs_of(moved, "I-2024-D0301-01"), "I-2024-D0301-01", "確報")
    assert (off.due, off.late) == (day("2025-01-01"), True)  # 2024-11-02 + 60 days
    assert (on.due, on.late) == (day("2025-01-06"), False)
    assert "60日" in off.note
    # Without 不正の目的 the same incident has 30 days.
    assert pick(obs_of(fixture_repo, "I-2025-D0201-01"), "I-2025-D0201-01", "確報").note.count("30日") == 1


def test_setting_changes_the_number_of_days(tmp_path: Path) -> None:
    repo = load_copy(tmp_path, settings={"速報の日数": 3, "確報の日数_不正の目的": 45})
    obs = obs_of(repo, "I-2024-D0301-01")
    assert pick(obs, "I-2024-D0301-01", "速報").due == day("2024-11-05")
    assert pick(obs, "I-2024-D0301-01", "確報").due == day("2024-12-17")


def test_open_incident_on_chosen_days(fixture_repo: Repository) -> None:
    assert obs_of(fixture_repo, "I-2026-D0201-01", day("2026-11-19")) == []  # not yet known
    on_due_day = obs_of(fixture_repo, "I-2026-D0201-01", day("2026-11-25"))
    assert pick(on_due_day, "I-2026-D0201-01", "速報").status == OPEN
    obs = obs_of(fixture_repo, "I-2026-D0201-01")
    quick = pick(obs, "I-2026-D0201-01", "速報")
    assert (quick.status, quick.due) == (OVERDUE, day("2026-11-25"))
    final = pick(obs, "I-2026-D0201-01", "確報")
    assert (final.status, final.due) == (OPEN, day("2026-12-20"))
    notice = pick(obs, "I-2026-D0201-01", "本人通知")
    assert (notice.status, notice.due, notice.since) == (OPEN, None, day("2026-11-20"))


def test_no_trigger_means_no_duty(fixture_repo: Repository) -> None:
    for record_id in ("I-2025-D0201-02", "I-2022-D0201-01"):
        obs = obs_of(fixture_repo, record_id)
        assert {o.kind for o in obs} == {"速報", "確報", "本人通知"}
        assert all(o.status == NOT_APPLICABLE for o in obs), record_id


def test_101_persons_with_no_trigger_owe_both_reports(fixture_repo: Repository) -> None:
    """規則43条4号: 100人超 follows from 件数. 判明日 2025-07-02; 確報 30 days later, 初日不算入."""
    obs = obs_of(fixture_repo, "I-2025-D0201-03")
    quick, final = pick(obs, "I-2025-D0201-03", "速報"), pick(obs, "I-2025-D0201-03", "確報")
    assert (quick.due, quick.status) == (day("2025-07-07"), OVERDUE)
    assert (final.due, final.status) == (day("2025-08-01"), OVERDUE)
    assert "件数" in final.note and "100人超" in final.note
    assert pick(obs, "I-2025-D0201-03", "本人通知").status == OPEN
    # Before the 確報 deadline it is open, not overdue.
    assert pick(obs_of(fixture_repo, "I-2025-D0201-03", day("2025-07-20")), "I-2025-D0201-03", "確報").status == OPEN
    assert codes(fixture_repo, TODAY, "I-2025-D0201-03") == []


@pytest.mark.parametrize(("count", "triggers", "owed", "contradicted"), [
    (99, "[]", False, False),
    (100, "[]", False, False),  # 「100人を超える」: 100 is not more than 100
    (101, "[]", True, False),
    (99, "[100人超]", True, True),  # recorded but contradicted: still owed, and a finding
    (101, "[100人超]", True, False),
])
def test_more_than_100_persons(tmp_path: Path, count: int, triggers: str, owed: bool,
                               contradicted: bool) -> None:
    def edit(root: Path) -> None:
        path = root / "records/incidents/2025/I-2025-D0201-02.yaml"
        replace_in(path, "件数: 100\n報告対象事由: []", f"件数: {count}\n報告対象事由: {triggers}")
    repo = load_copy(tmp_path, edit=edit)
    final = pick(obs_of(repo, "I-2025-D0201-02"), "I-2025-D0201-02", "確報")
    assert (final.status != NOT_APPLICABLE) is owed
    found = [i for i in rules.findings(repo, TODAY) if i.code == "W-INCIDENT-COUNT-TAG"]
    assert bool(found) is contradicted
    if found:
        assert found[0].json_path == "$.報告対象事由[0]" and found[0].severity == "warning"


def test_fixture_trigger_findings(fixture_repo: Repository) -> None:
    found = [i for i in rules.findings(fixture_repo, TODAY) if i.file.endswith("I-2025-D0301-01.yaml")]
    trigger = [i for i in found if i.code == "W-INCIDENT-TRIGGER"]
    assert len(trigger) == 1 and "不正アクセス" in trigger[0].message and "委託先" in trigger[0].message
    # The incident that does record 不正の目的 is not asked about it.
    assert "W-INCIDENT-TRIGGER" not in codes(fixture_repo, TODAY, "I-2024-D0301-01")


def test_notice_needs_its_ground_and_alternative(fixture_repo: Repository) -> None:
    assert pick(obs_of(fixture_repo, "I-2024-D0301-01"), "I-2024-D0301-01", "本人通知").status == DONE
    no_ground = pick(obs_of(fixture_repo, "I-2025-D0101-01"), "I-2025-D0101-01", "本人通知")
    assert no_ground.status == OPEN
    assert "W-NOTICE-GROUND" in codes(fixture_repo, TODAY, "I-2025-D0101-01")
    no_alternative = pick(obs_of(fixture_repo, "I-2025-D0301-01"), "I-2025-D0301-01", "本人通知")
    assert no_alternative.status == OPEN
    assert "W-NOTICE-ALTERNATIVE" in codes(fixture_repo, TODAY, "I-2025-D0301-01")


# --- disclosure (法83条) -------------------------------------------------------------------------

def test_disclosure_decisions(fixture_repo: Repository) -> None:
    pending = pick(obs_of(fixture_repo, "R-2026-0001"), "R-2026-0001", "開示決定")
    assert (pending.status, pending.due, pending.department) == (OPEN, day("2026-12-10"), "")
    extended = pick(obs_of(fixture_repo, "R-2026-0002"), "R-2026-0002", "開示決定")
    assert (extended.status, extended.due) == (OVERDUE, day("2026-10-31"))
    late = pick(obs_of(fixture_repo, "R-2025-0001"), "R-2025-0001", "開示決定")
    assert (late.status, late.late, late.due, late.department) == (DONE, True, day("2025-05-31"), "D0201")
    assert "W-DISCLOSURE-LATE" in codes(fixture_repo, TODAY, "R-2025-0001")
    assert pick(obs_of(fixture_repo, "R-2025-0002"), "R-2025-0002", "開示決定").status == NOT_APPLICABLE
    # Two departments decided: done when the last one decided, against the extended date.
    multi = pick(obs_of(fixture_repo, "R-2025-0003"), "R-2025-0003", "開示決定")
    assert (multi.status, multi.done, multi.due, multi.late) == (DONE, day("2025-09-10"), day("2025-09-15"), False)
    assert codes(fixture_repo, TODAY, "R-2025-0003") == ["W-DISCLOSURE-EXTENSION"]
    # As of a day between the two decisions the request is still open.
    between = pick(obs_of(fixture_repo, "R-2025-0003", day("2025-08-15")), "R-2025-0003", "開示決定")
    assert between.status == OPEN


def test_disclosure_days_are_a_setting(tmp_path: Path) -> None:
    repo = load_copy(tmp_path, settings={"開示決定の日数": 14})
    shorter = pick(obs_of(repo, "R-2026-0001"), "R-2026-0001", "開示決定")
    assert (shorter.due, shorter.status) == (day("2026-11-24"), OVERDUE)


def test_correction_and_suspension_requests_have_their_own_duty_and_days(tmp_path: Path) -> None:
    def edit(root: Path) -> None:
        replace_in(root / "records/disclosure/2026/R-2026-0001.yaml", "状態: 処理中",
                   "請求の種類: 訂正請求\n状態: 処理中\n保有課: [D0201]")
    repo = load_copy(tmp_path, edit=edit, settings={"訂正決定の日数": 20})
    correction = pick(obs_of(repo, "R-2026-0001"), "R-2026-0001", "訂正決定")
    assert (correction.status, correction.due, correction.department) == (OPEN, day("2026-11-30"), "D0201")
    assert correction.note.startswith("法94条1項")
    assert not [o for o in obs_of(repo, "R-2026-0001") if o.kind == "開示決定"]


def test_missing_notice_date_and_missing_decision(tmp_path: Path) -> None:
    def edit(root: Path) -> None:
        replace_in(root / "records/incidents/2025/I-2025-D0201-01.yaml", "  通知日: 2025-06-10\n", "")
        path = root / "records/disclosure/2025/R-2025-0001.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text[:text.index("決定:")], encoding="utf-8")
    repo = load_copy(tmp_path, edit=edit)
    assert "W-NOTICE-DATE" in codes(repo, TODAY, "I-2025-D0201-01")
    assert pick(obs_of(repo, "I-2025-D0201-01"), "I-2025-D0201-01", "本人通知").status == DONE
    assert codes(repo, TODAY, "R-2025-0001") == ["W-DISCLOSURE-DECISION"]
    # With no decision recorded the request cannot count as decided.
    assert pick(obs_of(repo, "R-2025-0001"), "R-2025-0001", "開示決定").status == OVERDUE
