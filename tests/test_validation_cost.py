"""Checking one file costs a bounded amount (issue 13 §7). The time is measured by
benchmarks/validation_cost.py (one row per worst case under the caps), not here; these tests
check the limits that bound it:

- ``uniqueItems`` is checked in linear time, with exactly jsonschema's verdict;
- a file may hold at most ``yamlio.MAX_NODES`` values (E-YAML-NODES);
- a file reports at most N errors (settings.yaml 検査.1ファイルのエラー上限, default from the
  settings schema), then one summary line (E-FILE-ERRORS-LIMIT), and its check stops there;
- a wrong file is not checked again while it is unchanged (the cache keeps its issues).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema._utils import uniq

from daicho import repository, schemas, yamlio
from tests.conftest import ROOT
from tests.test_validate_cli import copy_demo, parse_text, validate

JIMU = "records/jimu/J-D1101-001.yaml"

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from([0.0, 1.0, 2.5]) | st.sampled_from(["a", "b", ""]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["a", "b", "c"]), inner, max_size=3),
    max_leaves=8)


@settings(max_examples=200, deadline=None)
@given(st.lists(json_values, max_size=6))
def test_unique_items_agrees_with_jsonschema(items: list) -> None:
    validator = schemas.jsonschema().Validator({"uniqueItems": True})
    found = list(schemas._unique_items(validator, True, items, {}))
    assert (found == []) == uniq(items) and len(found) <= 1


def test_the_validator_uses_the_linear_unique_items() -> None:
    validator = schemas.jsonschema().Validator({"uniqueItems": True})
    distinct = [{"a": k} for k in range(20_000)] + [str(k) for k in range(20_000)]  # not sortable
    assert validator.is_valid(distinct)  # jsonschema's own check: 400 million comparisons
    assert not validator.is_valid([*distinct, {"a": 7}])


def _many_errors(repo: Path, count: int) -> None:
    """The 事務 record with ``count`` unknown keys and ``count`` wrong 区分 items."""
    path = repo / JIMU
    text = path.read_text(encoding="utf-8")
    text = text.replace("  区分:\n", "  区分:\n" + "".join(f"    - {k}\n" for k in range(count)))
    path.write_text(text + "".join(f"未知の項目{k}: 値\n" for k in range(count)), encoding="utf-8")


def test_a_file_reports_at_most_the_limit_then_one_summary_line(tmp_path: Path) -> None:
    repo = copy_demo(tmp_path)
    _many_errors(repo, 3000)
    code, stdout, _ = validate(repo)
    assert code == 1
    issues = [i for i in parse_text(stdout) if i["file"] == JIMU]
    default = json.loads((ROOT / "schemas" / "settings.json").read_text(encoding="utf-8"))[
        "properties"]["検査"]["properties"]["1ファイルのエラー上限"]["default"]
    assert default == 100
    assert len(issues) == 101
    assert [i["code"] for i in issues].count("E-FILE-ERRORS-LIMIT") == 1 and issues[-1]["code"] == "E-FILE-ERRORS-LIMIT"
    assert "100 件まで" in issues[-1]["message"]
    # The lines shown are in file order.
    assert [i["line"] for i in issues[:-1]] == sorted(i["line"] for i in issues[:-1])


def test_the_limit_is_a_setting(tmp_path: Path) -> None:
    repo = copy_demo(tmp_path)
    _many_errors(repo, 50)
    settings_file = repo / "records" / "settings.yaml"
    text = settings_file.read_text(encoding="utf-8")
    settings_file.write_text(text.replace("1ファイルのエラー上限: 100", "1ファイルのエラー上限: 5"), encoding="utf-8")
    issues = [i for i in parse_text(validate(repo)[1]) if i["file"] == JIMU]
    assert [i["code"] for i in issues][5:] == ["E-FILE-ERRORS-LIMIT"] and len(issues) == 6
    assert "5 件まで" in issues[-1]["message"]
    # A file under the limit is reported whole, with no summary line.
    settings_file.write_text(text.replace("1ファイルのエラー上限: 100", "1ファイルのエラー上限: 1000"), encoding="utf-8")
    issues = [i for i in parse_text(validate(repo)[1]) if i["file"] == JIMU]
    assert len(issues) == 150 and "E-FILE-ERRORS-LIMIT" not in {i["code"] for i in issues}  # type + enum, key
    # The setting itself is checked.
    settings_file.write_text(text.replace("1ファイルのエラー上限: 100", "1ファイルのエラー上限: 0"), encoding="utf-8")
    issues = parse_text(validate(repo)[1])
    assert ("records/settings.yaml", "E-SCHEMA-RANGE") in {(i["file"], i["code"]) for i in issues}


def test_a_file_with_too_many_values_is_refused(tmp_path: Path) -> None:
    repo = copy_demo(tmp_path)
    path = repo / JIMU
    text = path.read_text(encoding="utf-8")
    head = text.count("\n")
    path.write_text(text + "備考2:\n" + "- 1\n" * yamlio.MAX_NODES, encoding="utf-8")
    issues = [i for i in parse_text(validate(repo)[1]) if i["file"] == JIMU]
    assert [i["code"] for i in issues] == ["E-YAML-NODES"]
    assert issues[0]["line"] > head
    # The largest demo record is far below the cap.
    most = max(len(yamlio.load_bytes(p.read_bytes()).positions) for p in (ROOT / "records").rglob("*.yaml"))
    assert most * 50 < yamlio.MAX_NODES


def test_a_wrong_file_is_not_checked_again_while_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = copy_demo(tmp_path)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)  # the cache is used in a work tree only
    _many_errors(repo, 300)
    first = repository.load(repo).issues
    assert any(i.code == "E-FILE-ERRORS-LIMIT" for i in first)
    parsed: list[int] = []
    real = yamlio.load_bytes
    monkeypatch.setattr(yamlio, "load_bytes", lambda raw: parsed.append(len(raw)) or real(raw))
    again = repository.load(repo).issues
    assert again == first
    assert parsed == []  # neither parsed nor schema-checked: its issues came from the cache
    # Any change is checked afresh.
    path = repo / JIMU
    path.write_text(path.read_text(encoding="utf-8").replace("    - 0\n", "    - 家庭生活\n", 1), encoding="utf-8")
    changed = repository.load(repo).issues
    assert len(parsed) == 1 and changed != first
