"""Issue 4's acceptance on the demo records: `daicho due --as-of 2025-12-01`."""

from __future__ import annotations

import re

from daicho import repository
from tests.conftest import ROOT, run_daicho


def test_demo_as_of_2025_12_01_lists_overdue_open_improvement_and_every_contracts_checks() -> None:
    result = run_daicho("due", "--as-of", "2025-12-01")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert re.search(r"^records/contracts/\S+: 期限切れ C-\S+ \S+ (書面|実地)検査（令和7年度）", out, re.M), out
    assert re.search(r"^records/contracts/\S+: 未実施 C-\S+ \S+ 改善報告書", out, re.M), out
    started = {r.id for r in repository.load(ROOT).of_type("contract") if r.data["契約日"] <= "2025-12-01"}
    listed = set(re.findall(r"^  (C-\S+) .*チェックリスト提出: \S+ / 管理体制等報告書: \S+$", out, re.M))
    assert started and listed == started
    assert run_daicho("due", "--as-of", "2025-12-01", "--fail-on-overdue").returncode == 1
