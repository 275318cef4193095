"""Contract duties (基準 資料3, 特記仕様書 資料4/5) on the fixture repository at chosen days."""

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


def test_everything_done_on_time(fixture_repo: Repository) -> None:
    obs = obs_of(fixture_repo, "C-2025-D0201-001")
    assert {o.kind for o in obs} == {"チェックリスト提出", "管理体制等報告書", "書面検査", "検査結果通知", "完了報告"}
    assert all(o.status == DONE and not o.late for o in obs), obs
    assert pick(obs, "C-2025-D0201-001", "書面検査", 2025).due == day("2026-03-31")
    assert all(o.department == "D0201" for o in obs)
    assert codes(fixture_repo, TODAY, "C-2025-D0201-001") == []


def test_as_of_an_earlier_day_later_events_have_not_happened(fixture_repo: Repository) -> None:
    obs = obs_of(fixture_repo, "C-2025-D0201-001", day("2025-10-01"))
    inspection = pick(obs, "C-2025-D0201-001", "書面検査", 2025)
    assert (inspection.status, inspection.done) == (OPEN, None)
    assert not [o for o in obs if o.kind == "検査結果通知"]  # the inspection is still to come
    completion = pick(obs, "C-2025-D0201-001", "完了報告")
    assert (completion.status, completion.since) == (OPEN, day("2026-04-01"))


def test_checklist_late_and_answers_from_the_form(fixture_repo: Repository) -> None:
    obs = obs_of(fixture_repo, "C-2025-D0201-002")
    checklist = pick(obs, "C-2025-D0201-002", "チェックリスト提出")
    assert (checklist.status, checklist.late, checklist.due) == (DONE, True, day("2025-05-20"))
    found = [i for i in rules.findings(fixture_repo, TODAY)
             if i.file.endswith("C-2025-D0201-002.yaml")]
    by_code = {i.code: i for i in found}
    assert set(by_code) == {"W-CHECKLIST-LATE", "W-CHECKLIST-ANSWER", "W-CHECKLIST-UNANSWERED"}
    assert "問4" in by_code["W-CHECKLIST-ANSWER"].message  # 問3 該当なし is acceptable
    assert by_code["W-CHECKLIST-ANSWER"].path == ("チェックリスト", "回答", "問4")
    assert "問6" in by_code["W-CHECKLIST-UNANSWERED"].message
    assert all(i.severity == "warning" for i in found)


def test_acceptable_answers_are_read_from_the_form_data(tmp_path: Path) -> None:
    def accept_no(root: Path) -> None:
        replace_in(root / "schemas/forms/checklist.yaml", "    適合する回答: [はい]\n  - id: 問5",
                   "    適合する回答: [はい, いいえ]\n  - id: 問5")
    repo = load_copy(tmp_path, edit=accept_no)
    assert "W-CHECKLIST-ANSWER" not in codes(repo, TODAY, "C-2025-D0201-002")


def test_structure_report_before_the_term_starts(fixture_repo: Repository) -> None:
    def report(today: str):
        return pick(obs_of(fixture_repo, "C-2025-D0201-002", day(today)), "C-2025-D0201-002",
                    "管理体制等報告書")
    assert report("2025-06-01").status == OPEN  # the due day itself is not yet late
    assert report("2025-06-02").status == OVERDUE
    assert report("2025-06-02").due == day("2025-06-01")
    late = pick(obs_of(fixture_repo, "C-2025-D0101-004"), "C-2025-D0101-004", "管理体制等報告書")
    assert (late.status, late.late, late.done) == (DONE, True, day("2025-04-03"))
    assert "W-REPORT-LATE" in codes(fixture_repo, TODAY, "C-2025-D0101-004")
    substitute = pick(obs_of(fixture_repo, "C-2025-D0301-002"), "C-2025-D0301-002", "管理体制等報告書")
    assert substitute.status == DONE and "準ずる書面" in substitute.note and "別記第11条" in substitute.note


def test_change_reports_are_tracked_not_invented(fixture_repo: Repository) -> None:
    obs = [o for o in obs_of(fixture_repo, "C-2023-D0301-001") if o.kind == "管理体制等報告書"]
    assert [(o.status, o.done) for o in obs] == [(DONE, day("2023-03-25")), (DONE, day("2025-06-01"))]
    assert "W-REPORT-CHANGE-REASON" in codes(fixture_repo, TODAY, "C-2023-D0301-001")
    # No change recorded → no 変更 duty appears.
    assert len([o for o in obs_of(fixture_repo, "C-2025-D0201-001") if o.kind == "管理体制等報告書"]) == 1


def test_contract_without_personal_data_needs_only_the_checklist(fixture_repo: Repository) -> None:
    obs = obs_of(fixture_repo, "C-2025-D0101-001")
    assert pick(obs, "C-2025-D0101-001", "チェックリスト提出").status == DONE
    rest = [o for o in obs if o.kind != "チェックリスト提出"]
    assert rest and all(o.status == NOT_APPLICABLE for o in rest)
    assert codes(fixture_repo, TODAY, "C-2025-D0101-001") == []
    assert codes(fixture_repo, TODAY, "C-2025-D0101-002") == ["W-CHECKLIST-Q1"]


@pytest.mark.parametrize(("record_id", "status", "due"), [
    ("C-2025-D0101-003", NOT_APPLICABLE, None),  # 4/1–9/30: exactly 6 months
    ("C-2025-D0101-004", OVERDUE, day("2025-10-01")),  # 4/1–10/1: one day more
])
def test_six_month_boundary(fixture_repo: Repository, record_id: str, status: str, due) -> None:
    ob = pick(obs_of(fixture_repo, record_id), record_id, "書面検査", 2025)
    assert (ob.status, ob.due) == (status, due)


def test_contract_that_ended_on_march_31_2025_is_out_of_scope(fixture_repo: Repository) -> None:
    obs = obs_of(fixture_repo, "C-2024-D0201-001")
    assert obs and all(o.status == NOT_APPLICABLE for o in obs)


def test_contract_crossing_april_1_2025(fixture_repo: Repository) -> None:
    obs = obs_of(fixture_repo, "C-2024-D0201-002")
    assert pick(obs, "C-2024-D0201-002", "書面検査", 2024).status == NOT_APPLICABLE
    fy2025 = pick(obs, "C-2024-D0201-002", "書面検査", 2025)
    assert (fy2025.status, fy2025.due, fy2025.done) == (DONE, day("2025-09-30"), day("2025-09-10"))
    # Signed before the 基準 existed: no pre-contract deadline, so a later checklist is not late.
    checklist = pick(obs, "C-2024-D0201-002", "チェックリスト提出")
    assert (checklist.status, checklist.due, checklist.late) == (DONE, None, False)
    assert "W-CHECKLIST-LATE" not in codes(fixture_repo, TODAY, "C-2024-D0201-002")


def test_long_term_contract_started_before_2025(fixture_repo: Repository) -> None:
    obs = obs_of(fixture_repo, "C-2023-D0301-001")
    yearly = {o.fy: o for o in obs if o.kind == "書面検査"}
    assert sorted(yearly) == [2023, 2024, 2025, 2026, 2027]
    assert yearly[2023].status == yearly[2024].status == NOT_APPLICABLE
    assert (yearly[2025].status, yearly[2025].done) == (DONE, day("2025-11-05"))  # by the 実地検査
    assert (yearly[2026].status, yearly[2026].due) == (OPEN, day("2027-03-31"))
    assert yearly[2027].due == day("2028-03-31")
    onsite = [o for o in obs if o.kind == "実地検査"]
    assert [(o.fy, o.status, o.due) for o in onsite] == [(2025, DONE, day("2028-03-31"))]
    later = {o.fy: o for o in obs_of(fixture_repo, "C-2023-D0301-001", day("2027-04-01"))
             if o.kind == "書面検査"}
    assert later[2026].status == OVERDUE


def test_four_fiscal_years_need_a_second_onsite_inspection(fixture_repo: Repository) -> None:
    obs = obs_of(fixture_repo, "C-2025-D0301-002")
    onsite = [o for o in obs if o.kind == "実地検査"]
    assert [(o.fy, o.status, o.due) for o in onsite] == [
        (2025, DONE, day("2028-03-31")),  # window FY2025–2027, done 2025-07-15
        (2026, OPEN, day("2029-03-31")),  # window FY2026–2028 after it
    ]
    assert "令和8年度〜令和10年度" in onsite[1].note
    assert [o.fys for o in onsite] == [(2025, 2026, 2027), (2026, 2027, 2028)]  # the window's span
    assert pick(obs, "C-2025-D0301-002", "書面検査", 2025).done == day("2025-07-15")
    assert "W-IMPROVEMENT-WITHOUT-NG" in codes(fixture_repo, TODAY, "C-2025-D0301-002")


@pytest.mark.parametrize(("onsite_day", "expected"), [
    # An on-site check in the window's last FY closes it; the next window would end after the term.
    ("2027-05-10", [(2025, DONE, "2028-03-31")]),
    # None at all: the first window is open (overdue after 2028-03-31); the rest does not fit.
    (None, [(2025, OVERDUE, "2028-03-31")]),
])
def test_three_year_window_variants(tmp_path: Path, onsite_day, expected) -> None:
    def edit(root: Path) -> None:
        path = root / "records/contracts/2025/C-2025-D0301-002.yaml"
        if onsite_day:
            replace_in(path, "実施日: 2025-07-15", f"実施日: {onsite_day}")
            replace_in(path, "結果通知日: 2025-07-30", "結果通知日: 2027-05-20")
        else:
            replace_in(path, "種別: 実地検査", "種別: 書面検査")
    repo = load_copy(tmp_path, edit=edit)
    onsite = [o for o in rules.obligations(repo, day("2028-04-01"))
              if o.record_id == "C-2025-D0301-002" and o.kind == "実地検査"]
    assert [(o.fy, o.status, o.due.isoformat()) for o in onsite] == expected


def test_designated_manager_needs_onsite_every_year_remote_counts(fixture_repo: Repository) -> None:
    obs = obs_of(fixture_repo, "C-2025-D0401-001")
    assert not [o for o in obs if o.kind == "書面検査"]
    yearly = {o.fy: o for o in obs if o.kind == "実地検査"}
    assert sorted(yearly) == [2025, 2026, 2027, 2028, 2029]  # and no 3-year window on top
    assert (yearly[2025].status, yearly[2025].done) == (DONE, day("2025-09-01"))  # 遠隔
    assert yearly[2026].status == OPEN  # a 書面検査 does not satisfy 指定管理
    assert "W-INSPECTION-REMOTE" in codes(fixture_repo, TODAY, "C-2025-D0401-001")


def test_failed_items_open_an_improvement_until_its_report(fixture_repo: Repository) -> None:
    obs = obs_of(fixture_repo, "C-2025-D0201-003")
    improvements = {o.fy: o for o in obs if o.kind == "改善報告書"}
    assert (improvements[2025].status, improvements[2025].done) == (DONE, day("2025-10-01"))
    assert (improvements[2026].status, improvements[2026].due) == (OPEN, None)
    assert "再委託の制限" in improvements[2026].note
    assert improvements[2026].path == ("検査", 1, "結果", "再委託の制限", "判定")
    notices = {o.fy: o.status for o in obs if o.kind == "検査結果通知"}
    assert notices == {2025: DONE, 2026: OPEN}
    before = {o.fy: o.status for o in obs_of(fixture_repo, "C-2025-D0201-003", day("2025-09-20"))
              if o.kind == "改善報告書"}
    assert before == {2025: OPEN}
    assert not [o for o in obs if o.kind == "実地検査"]  # two FYs only: no 3-year window


def test_completion_report(fixture_repo: Repository) -> None:
    open_ = pick(obs_of(fixture_repo, "C-2025-D0201-002"), "C-2025-D0201-002", "完了報告")
    assert (open_.status, open_.since, open_.due) == (OPEN, day("2026-06-01"), None)
    items = [i for i in rules.findings(fixture_repo, TODAY)
             if i.file.endswith("C-2025-D0101-003.yaml") and i.code == "W-COMPLETION-ITEMS"]
    assert len(items) == 1 and "媒体・数量・方法・担当者 が" in items[0].message
    assert "W-COMPLETION-ITEMS" not in codes(fixture_repo, TODAY, "C-2025-D0101-004")


def test_completion_items_are_asked_of_erasure_reports_only(tmp_path: Path) -> None:
    def to_return(root: Path) -> None:
        replace_in(root / "records/contracts/2025/C-2025-D0101-003.yaml", "区分: 消去・廃棄", "区分: 返却")
    repo = load_copy(tmp_path, edit=to_return)
    assert "W-COMPLETION-ITEMS" not in codes(repo, TODAY, "C-2025-D0101-003")


def test_inspection_after_the_term_but_in_the_same_year_is_late(tmp_path: Path) -> None:
    items = ["目的外利用の禁止", "再委託の制限", "複製等の禁止", "漏えい等の防止", "事故発生時の報告",
             "個人情報の消去等", "従業者の監督・教育", "管理体制等の報告"]
    block = "検査:\n  - 種別: 書面検査\n    実施日: 2025-10-15\n    結果:\n" + "".join(
        f"      {i}: {{判定: 適}}\n" for i in items) + "    結果通知日: 2025-10-20\n"

    def add_inspection(root: Path) -> None:
        path = root / "records/contracts/2025/C-2025-D0101-004.yaml"
        path.write_text(path.read_text(encoding="utf-8") + block, encoding="utf-8")
    repo = load_copy(tmp_path, edit=add_inspection)
    ob = pick(obs_of(repo, "C-2025-D0101-004"), "C-2025-D0101-004", "書面検査", 2025)
    assert (ob.status, ob.due, ob.done, ob.late) == (DONE, day("2025-10-01"), day("2025-10-15"), True)
    assert "W-INSPECTION-LATE" in codes(repo, TODAY, "C-2025-D0101-004")
