"""``rules.facts``: the per-record facts pages show agree with the engine's obligations, follow
the as-of day, and read the forms' data rather than fixed words."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from daicho import repository, rules
from daicho.forms import Forms, load_forms
from daicho.rules import facts
from tests.test_rules_support import FIXTURE, SCHEMAS, day, replace_in

DAYS = [day(d) for d in ("2025-03-31", "2025-09-30", "2025-10-01", "2026-03-31", "2026-11-26", "2028-04-01")]


@pytest.fixture(scope="module")
def repos(tmp_path_factory: pytest.TempPathFactory) -> list[repository.Repository]:
    """The rules fixture, the site fixture and the demo, each with the project's schemas."""
    out = []
    for name, source in (("rules", FIXTURE), ("site", FIXTURE.parent / "site"), ("demo", SCHEMAS.parent)):
        root = tmp_path_factory.mktemp(name)
        shutil.copytree(source / "records", root / "records")
        (root / "schemas").symlink_to(SCHEMAS, target_is_directory=True)
        out.append(repository.load(root))
    return out


def test_open_improvements_agree_with_the_engine_on_every_contract_and_day(repos) -> None:
    """What a contract page shows as an outstanding 改善報告書 is exactly the engine's open duty."""
    checked = opened = 0
    for repo in repos:
        forms = load_forms(repo.schema_dir)
        for today in DAYS:
            open_duties = {(o.record_id, o.since) for o in rules.obligations(repo, today)
                           if o.duty == "improvement_report" and o.is_open}
            for r in repo.of_type("contract"):
                for insp in r.data.get("検査", []):
                    held = facts.seen(insp["実施日"], today)
                    if held is None or not facts.has_follow_ups(rules.rule_data(repo), held):
                        continue  # not yet held, or before the 基準 applied: no follow-up duty
                    is_open = facts.improvement_open(forms, insp, today)
                    assert is_open == ((r.id, held) in open_duties), (r.id, insp["実施日"], today)
                    checked += 1
                    opened += is_open
    assert checked > 20 and opened > 0


def test_the_issue_case_an_improvement_received_after_the_day_is_still_open(repos) -> None:
    rules_repo = repos[0]
    forms = load_forms(rules_repo.schema_dir)
    insp = rules_repo.get("C-2025-D0201-003").data["検査"][0]  # 否 on 2025-09-01, 改善報告書 2025-10-01
    assert facts.failed_items(forms, insp) == ["漏えい等の防止"]
    assert facts.improvement_open(forms, insp, day("2025-09-30"))
    assert not facts.improvement_open(forms, insp, day("2025-10-01"))


def test_failed_items_follow_the_verdict_list_of_the_form() -> None:
    """Anything but the first verdict needs improving, whatever the office calls it."""
    forms = Forms(checklist={}, safety={}, special_terms={}, letters={}, ppc={}, inspection={
        "判定": ["適", "否", "一部不適"],
        "項目": [{"id": "a"}, {"id": "b"}, {"id": "c"}]})
    insp = {"結果": {"a": {"判定": "適"}, "b": {"判定": "一部不適"}, "c": {"判定": "否"}}}
    assert facts.failed_items(forms, insp) == ["b", "c"]


def test_effective_structure_applies_change_reports_as_of_the_day() -> None:
    contract = {"管理体制等報告書": [
        {"区分": "変更", "受理日": "2025-06-01", "作業場所": "新しい事務所", "変更の内容及び理由": "移転"},
        {"区分": "新規", "受理日": "2024-03-22", "作業場所": "旧事務所", "管理場所": "書庫", "再委託": False},
    ]}
    assert facts.effective_structure(contract, day("2024-03-21")) is None
    before = facts.effective_structure(contract, day("2025-05-31"))
    assert before is not None and (before["作業場所"], before["区分"]) == ("旧事務所", "新規")
    after = facts.effective_structure(contract, day("2025-06-01"))
    assert after is not None
    assert (after["作業場所"], after["管理場所"], after["区分"], after["受理日"]) == \
           ("新しい事務所", "書庫", "変更", "2025-06-01")


def test_subcontract_declared_by_a_change_report_begins_with_it() -> None:
    contract = {"履行期間": {"開始": "2025-04-01", "終了": "2026-03-31"},
                "管理体制等報告書": [{"区分": "新規", "受理日": "2025-03-25", "再委託": False},
                                     {"区分": "変更", "受理日": "2025-10-01", "再委託": True}],
                "再委託": [{"再委託先の名称": "架空株式会社", "申請日": "2025-09-01", "承諾日": "2025-09-20"}]}
    assert facts.subcontract_problems(contract, day("2026-01-01")) == []
    contract["再委託"][0]["承諾日"] = "2025-10-15"
    [problem] = facts.subcontract_problems(contract, day("2026-01-01"))
    assert (problem.kind, problem.path, problem.began) == ("late", ("再委託", 0, "承諾日"), day("2025-10-01"))
    # Before the 変更 was received nothing declared a 再委託; the pending application is undated.
    assert [p.kind for p in facts.subcontract_problems(contract, day("2025-09-30"))] == ["undated"]


def test_derived_trigger_threshold_is_data(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE / "records", tmp_path / "records")
    shutil.copytree(SCHEMAS, tmp_path / "schemas")
    replace_in(tmp_path / "schemas" / "rules.yaml", "漏えい等の報告対象の本人の数: 100", "漏えい等の報告対象の本人の数: 101")
    repo = repository.load(tmp_path)
    data = rules.rule_data(repo)
    assert data.incident_persons == 101
    incident = repo.get("I-2025-D0201-03").data  # 101 persons, no trigger recorded
    assert facts.triggers(data, incident) == ()
    obs = [o for o in rules.obligations(repo, dt.date(2026, 11, 26)) if o.record_id == "I-2025-D0201-03"]
    assert {o.status for o in obs} == {rules.NOT_APPLICABLE}


def test_duty_names_are_data(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE / "records", tmp_path / "records")
    shutil.copytree(SCHEMAS, tmp_path / "schemas")
    replace_in(tmp_path / "schemas" / "rules.yaml", "{名前: 速報,", "{名前: 漏えい等速報,")
    repo = repository.load(tmp_path)
    kinds = {o.kind for o in rules.obligations(repo, dt.date(2026, 11, 26)) if o.duty == "quick_report"}
    assert kinds == {"漏えい等速報"}
    # Lateness codes come from the same table.
    late = [i for i in rules.findings(repo, dt.date(2026, 11, 26)) if i.code == "W-PPC-LATE"]
    assert any("漏えい等速報が期限" in i.message for i in late)
    assert rules.duties(repo)["quick_report"].group == "漏えい等報告"
    assert rules.dashboard_window(repo) == 60


@pytest.mark.parametrize(("file", "settings", "unlisted"), [
    ({"本人の数": 999}, {}, True),
    ({"本人の数": 1000}, {}, False),  # 「1,000人未満」: 1,000 is not under it
    ({}, {}, False),  # unknown: stays on the public register until shown to be small
    ({"本人の数": 999, "公表の特例": "市の判断で公表"}, {}, False),
    ({"本人の数": 999}, {"公表": {facts.PUBLISH_SMALL: True}}, False),
])
def test_small_files_and_the_public_register(repos, file: dict, settings: dict, unlisted: bool) -> None:
    assert facts.small_file_unlisted(rules.rule_data(repos[0]), settings, file) is unlisted
