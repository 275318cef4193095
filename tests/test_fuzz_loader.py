"""Fuzzing the loader and the validator with inputs close to real records.

- Every valid fixture record, damaged the ways edits and tools damage files (a byte flipped,
  a fragment of YAML or markup spliced in, lines cut, doubled, swapped, the end lost), goes
  through the real ``load_record`` (loader + schema check) and the whole repository check:
  the outcome is a record or positioned issues inside the file, never an exception.
- The fast validator (jsonschema-rs) and the reference one (jsonschema) agree on records drawn
  from the schemas and on the same records with one value replaced by anything JSON can hold:
  the fast pass may only ever say "valid" where the reference does.

Budget: ``DAICHO_FUZZ_EXAMPLES`` examples per property (``make fuzz`` raises it).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from daicho import repository, yamlio
from daicho.schemas import record_types, schema_issues
from tests.test_fuzz_render import HOSTILE, flat_schemas, from_schema, place

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("DAICHO_FUZZ_EXAMPLES", "25"))
TYPES = record_types(ROOT / "schemas")
VALID = sorted(
    (p.relative_to(case).as_posix(), p.read_bytes())
    for case in (ROOT / "tests" / "fixtures" / "valid").glob("*/*")
    for p in (case / "records").rglob("*.yaml"))
FRAGMENTS = ["\n", ": ", "- ", "  ", "\t", "'", '"', "[", "]", "{", "}", "#", "&a ", "*a", "!!str ",
             "!!python/object/apply:os.system ['x']", "<<: ", "---\n", "...", "\ufeff", "\r\n", "\x00",
             "\u2028", "é", "あ", "🎉", "2025-02-30", "no", "0123", ".nan", *HOSTILE[:8]]
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize="DAICHO_FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, bytes]:
    rel, raw = draw(st.sampled_from(VALID))
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["flip", "splice", "cut", "double", "swap", "truncate"]))
        lines = raw.split(b"\n")
        if kind == "flip" and raw:
            at = draw(st.integers(0, len(raw) - 1))
            raw = raw[:at] + bytes([raw[at] ^ draw(st.integers(1, 255))]) + raw[at + 1:]
        elif kind == "splice":
            at = draw(st.integers(0, len(raw)))
            raw = raw[:at] + draw(st.sampled_from(FRAGMENTS)).encode("utf-8") + raw[at:]
        elif kind == "cut" and len(lines) > 1:
            i = draw(st.integers(0, len(lines) - 1))
            raw = b"\n".join(lines[:i] + lines[i + 1:])
        elif kind == "double" and lines:
            i = draw(st.integers(0, len(lines) - 1))
            raw = b"\n".join(lines[:i + 1] + lines[i:])
        elif kind == "swap" and len(lines) > 1:
            i = draw(st.integers(0, len(lines) - 2))
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
            raw = b"\n".join(lines)
        elif kind == "truncate":
            raw = raw[:draw(st.integers(0, len(raw)))]
    return rel, raw


def _line_count(raw: bytes) -> int:
    text = raw.decode("utf-8", "replace")
    return len(re.split(r"\r\n|\r|\n", text)) + 1


@FUZZ
@given(damaged())
def test_damaged_records_end_in_a_record_or_positioned_issues(case: tuple[str, bytes]) -> None:
    rel, raw = case
    record, issues = repository.load_record(ROOT, ROOT / rel, TYPES, raw)
    assert (record is None) == bool(issues)
    for issue in issues:
        assert re.fullmatch(r"[EW]-[A-Z0-9]+(?:-[A-Z0-9]+)*", issue.code), issue
        assert 1 <= issue.line <= _line_count(raw) and issue.col >= 1, issue
        assert issue.message and "Traceback" not in issue.message


@pytest.fixture(scope="module")
def mini_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz-loader")
    (root / "records").mkdir()
    org = ROOT / "tests/fixtures/valid/organization/base/records/organization.yaml"
    (root / "records" / "organization.yaml").write_bytes(org.read_bytes())
    (root / "schemas").symlink_to(ROOT / "schemas", target_is_directory=True)
    return root


@settings(parent=FUZZ, suppress_health_check=[*FUZZ.suppress_health_check, HealthCheck.function_scoped_fixture])
@given(st.lists(damaged(), min_size=1, max_size=4))
def test_a_repository_of_damaged_records_is_checked_without_an_exception(
        mini_root: Path, cases: list[tuple[str, bytes]]) -> None:
    repo = repository.load(mini_root, extra=dict(cases))
    for issue in repo.issues:
        assert issue.line >= 1 and issue.col >= 1 and issue.message
    assert repo.checked == len(set(dict(cases)) | {"records/organization.yaml"})


# --- the fast validator agrees with the reference -----------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.sampled_from(
        ["2025-02-30", "2025-06-27", "2025-06-27\n", "0000-01-01", "J-D1501-001", "J-D1501-001\n", "D1501",
         "D１５０１", "", "市長", "いいえ", "はい", "書面検査", 2**53 + 1, -(2**63), 10**30]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=6)


def _paths(data: Any, path: tuple = ()) -> list[tuple]:
    out = [path]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, path + (i,))
    return out


def _replace(data: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    copy = json.loads(json.dumps(data))
    node = copy
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return copy


@st.composite
def near_records(draw: st.DrawFn) -> tuple[str, Any]:
    rtype = draw(st.sampled_from(sorted(flat_schemas())))
    data = draw(from_schema(flat_schemas()[rtype]))
    if rtype in ("jimu", "file", "contract", "incident", "disclosure"):
        _, data = place(rtype, data)
    if draw(st.booleans()):
        path = draw(st.sampled_from(_paths(data)))
        data = _replace(data, path, draw(json_values))
    return rtype, data


@FUZZ
@given(near_records())
def test_the_fast_validator_agrees_with_the_reference(case: tuple[str, Any]) -> None:
    rtype, data = case
    t = TYPES[rtype]
    assert t.fast is not None, "jsonschema-rs is a pinned dependency; the fast pass should be on"
    reference = not any(True for _ in t.validator.iter_errors(data))
    fast = t.fast.is_valid(data) if isinstance(data, dict) else False
    assert fast == reference, (rtype, data)
    # And through the function every caller uses: same issues either way.
    doc = yamlio.Document(data) if isinstance(data, dict) else None
    if doc is not None:
        assert bool(list(schema_issues(doc, t))) == (not reference)
