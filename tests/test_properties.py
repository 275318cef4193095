"""Property tests: whatever bytes a file holds, loading and checking it ends in a clean result
or in positioned issues — never in another exception.

Three generators: arbitrary bytes and text; YAML-ish documents assembled from fragments that
exercise the parser's corners (keys, anchors, tags, flow/block collections, quotes, odd
scalars), optionally cut and spliced; and schema-shaped contracts with random dates and
references, so the cross-record rules see odd but well-formed data. Kept small: CI has 2 cores.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from daicho import repository, yamlio
from daicho.result import Issue
from daicho.schemas import record_types

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "valid"
TYPES = record_types(ROOT / "schemas")

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- YAML-ish fragments -----------------------------------------------------------------

# Mostly well-formed pieces, with a minority of the parser's sharp corners mixed in.
KEYS = ["id", "事務の名称", "所管課", "検査", "種別", "a", "b", "'q'", '"dq"', "キー", "no", "12:30",
        "2025-06-27"]
WILD_KEYS = ["<<", "1", "true", "null", "~", "? x", "&k a", "*k", "!!str s", "!!python/name:os.system",
             "- x", "[a]", "{a: 1}", "", " ", "#", "@"]
SCALARS = ["x", "no", "yes", "0123", "1.10", "12:30", "2025-06-27", "2025-02-30", "J-D1501-001",
           "J-Ｄ１５０１-００１", "D1501", "D9999", "~", "null", "true", "False", "-5", "0", "1e3", "",
           "''", '""', "'it''s'", '"a\\nb"', "|-\n  x", "秘密の値", "がん検診事務", "𠮷", "書面検察",
           "x # c", "! v", "!!str 1", "!!int 1"]
WILD = ['"\\x00"', '"\\ud800"', '"\\q"', "|", ">\n  y", "&a x", "*a", "&a [1]",
        "!!python/object:os.system {}", "!!python/object/apply:os.system [x]", "!!float 1", "!!int x",
        "!!bool yes", "!!binary AA==", "!local v", "!<tag:x> v", "@x", "`x", "%x", "x: y", "- x", "[",
        "]", "{", "}", ",", ":", "? x", "\t", "...", "---", "\\", "'unclosed", '"unclosed', "\x07",
        "\u2028", "\ufeff", "\r", "a\r\nb"]

printable = st.text(st.characters(exclude_categories=["Cc", "Cs", "Zl", "Zp"]), max_size=8)


def keys(wild: bool) -> st.SearchStrategy[str]:
    return st.one_of(*[st.sampled_from(KEYS)] * 4, st.sampled_from(WILD_KEYS)) if wild else st.sampled_from(KEYS)


def scalars(wild: bool) -> st.SearchStrategy[str]:
    if wild:
        return st.one_of(*[st.sampled_from(SCALARS)] * 4, st.sampled_from(WILD), printable)
    return st.sampled_from(SCALARS)


def _flow(children: list[str], mapping: bool, names: list[str]) -> str:
    if mapping:
        return "{" + ", ".join(f"{k}: {v}" for k, v in zip(names, children, strict=False)) + "}"
    return "[" + ", ".join(children) + "]"


@st.composite
def node(draw: st.DrawFn, wild: bool, depth: int = 0) -> str:
    """A YAML node as text, indented for ``depth``; block or flow, nested a few levels."""
    kind = draw(st.sampled_from(["scalar", "scalar", "bmap", "bseq", "flow"]) if depth < 4 else st.just("scalar"))
    pad = "  " * (depth + 1)
    if kind == "scalar":
        return draw(scalars(wild))
    n = draw(st.integers(0, 4))
    if kind == "flow":
        names = draw(st.lists(keys(wild), min_size=n, max_size=n))
        children = draw(st.lists(scalars(wild).filter(lambda v: "\n" not in v), min_size=n, max_size=n))
        return _flow(children, draw(st.booleans()), names)
    lines = []
    for _ in range(n):
        child = draw(node(wild, depth + 1))
        prefix = f"{draw(keys(wild))}:" if kind == "bmap" else "-"
        lines.append(f"\n{pad}{prefix} {child}")
    return "".join(lines) or "{}"


@st.composite
def document(draw: st.DrawFn) -> str:
    """Half are well-formed by construction; the other half mix in sharp corners and splices."""
    wild = draw(st.booleans())
    header = draw(st.sampled_from(["", "---\n", "# c\n", "%YAML 1.1\n---\n", "\ufeff", "--- !!map\n"]))
    entries = draw(st.lists(st.tuples(keys(wild), node(wild)), min_size=0, max_size=6))
    body = "".join(f"{k}: {v}\n" for k, v in entries)
    text = header + body + draw(st.sampled_from(["", "...\n", "\n\n", "# end"]))
    if wild:
        text += draw(st.sampled_from(["", "---\nb: 1\n"]))
        at = draw(st.integers(0, len(text)))  # splice: cut somewhere and insert a fragment
        text = text[:at] + draw(st.sampled_from(WILD + WILD_KEYS + ["\n", "  ", ": ", ""])) + text[at:]
    return text


# --- properties -------------------------------------------------------------------------

def _lines(text: str) -> int:
    return len(re.split(r"\r\n|\r|\n", text)) + 1


def _walk(data: object, path: tuple = ()):
    yield path, data
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _walk(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _walk(v, path + (i,))


def check_load(raw: bytes) -> None:
    try:
        doc = yamlio.load_bytes(raw)
    except yamlio.LoadError as exc:
        assert re.fullmatch(r"E-YAML-[A-Z]+", exc.code), exc.code
        assert exc.line >= 1 and exc.col >= 1 and exc.message
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        assert exc.line <= _lines(text), (exc.line, _lines(text))
        return
    # Loaded: JSON data (string keys, no YAML-only types), every value positioned in the file.
    json.dumps(doc.data)
    assert isinstance(doc.data, dict)
    for path, value in _walk(doc.data):
        assert value is None or isinstance(value, (str, int, bool, dict, list))
        assert all(isinstance(p, str) for p in path if not isinstance(p, int))
        line, col = doc.position(path)
        assert 1 <= line <= _lines(raw.decode("utf-8-sig")) and col >= 1


def check_record(raw: bytes, rel: str) -> None:
    root = ROOT  # never read: the bytes are passed in
    record, issues = repository.load_record(root, root / rel, TYPES, raw)
    for issue in issues:
        assert isinstance(issue, Issue)
        assert issue.line >= 1 and issue.col >= 1 and issue.code and issue.message
    assert (record is None) == bool(issues)


RECORD_PATHS = ["records/jimu/J-D1501-001.yaml", "records/contracts/2025/C-2025-D1501-001.yaml",
                "records/incidents/2025/I-2025-D1501-01.yaml", "records/organization.yaml"]


@FAST
@given(st.binary(max_size=400))
def test_arbitrary_bytes(raw: bytes) -> None:
    check_load(raw)
    check_record(raw, RECORD_PATHS[0])


@FAST
@given(st.text(max_size=300))
def test_arbitrary_text(text: str) -> None:
    raw = text.encode("utf-8", "surrogatepass")
    check_load(raw)
    check_record(raw, RECORD_PATHS[0])


@FAST
@given(document(), st.sampled_from(RECORD_PATHS))
def test_yamlish_documents(text: str, rel: str) -> None:
    raw = text.encode("utf-8", "surrogatepass")
    check_load(raw)
    check_record(raw, rel)


def test_the_generator_reaches_both_outcomes() -> None:
    """Guard against a generator that only ever produces parse errors (or never does)."""
    outcomes = set()

    @settings(max_examples=150, deadline=None, database=None)
    @given(document())
    def probe(text: str) -> None:
        try:
            yamlio.load_bytes(text.encode("utf-8", "surrogatepass"))
            outcomes.add("loaded")
        except yamlio.LoadError as exc:
            outcomes.add(exc.code)

    probe()
    assert "loaded" in outcomes
    assert {"E-YAML-SYNTAX", "E-YAML-ALIAS", "E-YAML-TAG"} <= outcomes, outcomes


# --- schema-shaped records through the cross-record rules ---------------------------------

CONTRACT = (FIXTURES / "contract/full/records/contracts/2025/C-2025-D1501-001.yaml").read_bytes()
JIMU = (FIXTURES / "contract/full/records/jimu/J-D1501-001.yaml").read_bytes()
dates = st.dates(dt.date(2019, 1, 1), dt.date(2031, 12, 31)).map(dt.date.isoformat)


@pytest.fixture(scope="module")
def mini_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("prop")
    (root / "records").mkdir()
    org = FIXTURES / "organization/base/records/organization.yaml"
    (root / "records" / "organization.yaml").write_bytes(org.read_bytes())
    (root / "schemas").symlink_to(ROOT / "schemas", target_is_directory=True)
    return root


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    signed=dates, start=dates, end=dates, inspected=st.lists(dates, min_size=0, max_size=3),
    notified=dates, dept=st.sampled_from(["D1501", "D1599", "D9999", "D2101"]),
    jimu=st.sampled_from(["J-D1501-001", "J-D1501-002"]), personal=st.booleans(),
)
def test_random_contracts_through_every_rule(mini_root: Path, signed: str, start: str, end: str,
                                             inspected: list[str], notified: str, dept: str,
                                             jimu: str, personal: bool) -> None:
    data = yamlio.load_bytes(CONTRACT).data
    data.update({"契約日": signed, "所管課": dept, "事務": [jimu], "個人情報の取扱い": personal})
    data["履行期間"] = {"開始": start, "終了": end}
    template = data["検査"][0]
    data["検査"] = [dict(template, 実施日=day, 結果通知日=notified) for day in inspected]
    year = data["id"].split("-")[1]
    data = json.loads(json.dumps(data))  # no shared nodes, so the dumper writes no anchors
    raw = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")
    repo = repository.load(mini_root, extra={
        f"records/contracts/{year}/{data['id']}.yaml": raw,
        "records/jimu/J-D1501-001.yaml": JIMU,
    })
    for issue in repo.issues:
        assert issue.line >= 1 and issue.col >= 1
    got = sorted((i.code, i.json_path) for i in repo.issues)
    assert got == expected_contract_issues(signed, start, end, inspected, notified, dept, jimu)


def expected_contract_issues(signed: str, start: str, end: str, inspected: list[str], notified: str,
                             dept: str, jimu: str) -> list[tuple[str, str]]:
    """The rules of issue 2 §5, restated independently for this contract."""
    out = []
    if dept == "D9999":
        out.append(("E-REF-DEPARTMENT", "$.所管課"))
    elif dept == "D1599" and not signed <= "2020-03-31":  # valid 2003-04-01 … 2020-03-31
        out.append(("E-REF-DEPARTMENT-DATE", "$.所管課"))
    if jimu != "J-D1501-001":
        out.append(("E-REF-JIMU", "$.事務[0]"))
    if start < signed:
        out.append(("E-DATE-ORDER", "$.履行期間.開始"))
    if end < start:
        out.append(("E-DATE-ORDER", "$.履行期間.終了"))
        last = end
    else:
        end_day = dt.date.fromisoformat(end)
        fiscal_year = end_day.year if end_day.month >= 4 else end_day.year - 1
        last = f"{fiscal_year + 1}-03-31"
    for i, day in enumerate(inspected):
        if not start <= day <= last:
            out.append(("E-DATE-RANGE", f"$.検査[{i}].実施日"))
        if notified < day:
            out.append(("E-DATE-ORDER", f"$.検査[{i}].結果通知日"))
    return sorted(out)
