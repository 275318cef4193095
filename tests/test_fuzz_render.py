"""Fuzzing the renderer: any schema-valid record, whatever its text, renders to HTML in which no
element, event handler or ``javascript:`` link comes from the data.

Records are drawn from the schemas themselves (``from_schema`` below: every property, enum,
pattern, date format, bound and conditional requirement the schemas use), with text fields
full of markup, ``javascript:`` URLs, Markdown/attr_list/Jinja syntax and random Unicode, then
kept only if the real validator accepts them. References are pointed at records that exist so
the whole site renders; every page is converted by Python-Markdown with MkDocs' default
extensions, as the build does, and parsed as a browser would.

(hypothesis-jsonschema would draw the records, but its 0.23.1 does not run on the pinned
Hypothesis 6.170, so the small generator here covers the keywords our schemas use.)

Budget: ``DAICHO_FUZZ_EXAMPLES`` examples per record type (``make fuzz`` raises it).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema_rs
import markdown
import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

import daicho
from daicho import invisible, render, repository, yamlio
from daicho.render.common import SECTION, record_page
from daicho.schemas import _inject_forms, _read_schema, _uri_refs, record_types

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "valid"
EXAMPLES = int(os.environ.get("DAICHO_FUZZ_EXAMPLES", "12"))
TODAY = dt.date(2026, 11, 26)

# Markup and script in every shape a record's text could smuggle it in.
HOSTILE = [
    "<script>alert(1)</script>", "<xss>", "</div><xss>", "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>', "' onmouseover='alert(1)", "javascript:alert(1)", "JaVaScRiPt:alert(1)",
    " javascript:alert(1)", "\tjavascript:alert(1)", "[x](javascript:alert(1))", "<javascript:alert(1)>",
    "![x](javascript:alert(1))", "{: onclick=\"alert(1)\" }", "{{ 7*7 }}", "{% raw %}", "&lt;xss&gt;",
    "&#60;xss&#62;", "<!--", "-->", "<![CDATA[", "]]>", "<iframe src=javascript:alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>", "<style>*{}</style>", "<math><xss>", "|", "\n\n<xss>\n\n",
    "    <xss>", "```\n<xss>\n```", "<div markdown=1><xss></div>", "がん検診",
]
# Elements no page template makes (its forms, stylesheets and chart SVGs are the site's own); a
# payload that got through unescaped shows up as one of these, <xss> above all.
OWN_SCRIPTS = {p.name for p in (Path(daicho.__file__).parent / "assets").glob("*.js")}
FORBIDDEN_TAGS = {"script", "xss", "img", "iframe", "math", "object", "embed"}
_SCHEME_NOISE = re.compile(r"[\x00-\x20\x7f-\x9f]+")


def hostile_text(min_size: int = 0) -> st.SearchStrategy[str]:
    """Text a record file can hold: the characters the loader refuses (C0/C1 controls, NEL,
    LS/PS, non-characters) and those every text refuses (bidi controls, invisible characters:
    tests/test_invisible.py) cannot reach a page, so they are left out."""
    pieces = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=6).map(
        lambda s: invisible.REFUSED.sub("", yamlio._BAD_CHAR.sub("", s))))
    return st.lists(pieces, min_size=1, max_size=4).map("".join).filter(lambda s: len(s) >= min_size)


# --- records from the schemas ------------------------------------------------------------------

@cache
def flat_schemas() -> dict[str, dict[str, Any]]:
    """Every record type's schema with its $refs inlined (forms injected, as validation sees it)."""
    schema_dir = ROOT / "schemas"
    resources = {p.name: _inject_forms(_read_schema(p), schema_dir) for p in sorted(schema_dir.glob("*.json"))}
    registry = jsonschema_rs.Registry([(s["$id"], _uri_refs(s)) for s in resources.values() if "$id" in s])
    return {t.name: jsonschema_rs.dereference(_uri_refs(t.schema), registry=registry, offline=True)
            for t in record_types(schema_dir).values()}


dates = st.dates(dt.date(2000, 1, 1), dt.date(2035, 12, 31)).map(dt.date.isoformat)


def from_schema(s: Any) -> st.SearchStrategy[Any]:
    """Values for the keywords our schemas use; anything it cannot honour is filtered later by
    the real validator, so it may be generous but never decides validity itself."""
    if s is True or s == {}:
        return hostile_text()
    if "const" in s:
        return st.just(s["const"])
    if "enum" in s:
        return st.sampled_from(s["enum"])
    kind = s.get("type")
    if isinstance(kind, list):
        return st.one_of(*[from_schema({**s, "type": k}) for k in kind])
    if kind == "object" or "properties" in s:
        props = s.get("properties", {})
        required = set(s.get("required", []))
        for part in s.get("allOf", []):  # if/then: satisfy every branch's requirements
            for branch in ("then", "else"):
                required |= set(part.get(branch, {}).get("required", []))
        return st.fixed_dictionaries(
            {k: from_schema(v) for k, v in props.items() if k in required},
            optional={k: from_schema(v) for k, v in props.items() if k not in required})
    if kind == "array":
        low = s.get("minItems", 0)
        return st.lists(from_schema(s.get("items", {})), min_size=low, max_size=max(low, 3),
                        unique_by=(lambda v: json.dumps(v, sort_keys=True)) if s.get("uniqueItems") else None)
    if kind == "string":
        if s.get("format") == "date":
            return dates
        if "pattern" in s:
            return st.from_regex(s["pattern"], fullmatch=True).filter(lambda v: "\n" not in v)
        return hostile_text(s.get("minLength", 0))
    if kind == "integer":
        return st.integers(s.get("minimum", -5), s.get("maximum", 10**7))
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    return hostile_text()


# --- the repository a record is rendered in ---------------------------------------------------

@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Organisation, one 事務 and one contract the generated records can refer to."""
    root = tmp_path_factory.mktemp("fuzz-render")
    shutil.copytree(FIXTURES / "contract" / "full" / "records", root / "records")
    shutil.copyfile(FIXTURES / "organization" / "base" / "records" / "organization.yaml",
                    root / "records" / "organization.yaml")
    (root / "schemas").symlink_to(ROOT / "schemas", target_is_directory=True)
    return root


REFS = {"所管課": "D1501", "実施機関": "市長", "事務": ["J-D1501-001"], "発生部署": ["D1501"],
        "委託契約": "C-2025-D1501-001"}
IDS = {"jimu": "J-D1501-901", "file": "F-D1501-901", "contract": "C-2025-D1501-901",
       "incident": "I-2025-D1501-91", "disclosure": "R-2025-0901"}


def place(rtype: str, data: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The record with an id that fits its file name and references that resolve."""
    data = dict(data)
    for key, value in REFS.items():
        if key in data:
            data[key] = value
    if rtype == "disclosure":
        for decision in data.get("決定", []):
            decision["所管課"] = "D1501"
    if rtype == "file":  # a withheld item must be one of the entry's (E-WITHHOLD-NOMATCH)
        data["記録項目"] = [*data["記録項目"], *(item for part in data.get("公表しない部分", [])
                                              if part["部分"] == "記録項目" for item in part.get("記録項目", []))]
    data["id"] = IDS[rtype]
    folder = {"jimu": "jimu", "file": "files", "contract": "contracts/2025", "incident": "incidents/2025",
              "disclosure": "disclosure/2025"}[rtype]
    return f"records/{folder}/{data['id']}.yaml", data


class _Elements(HTMLParser):
    """Every element and attribute a browser would build from the HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def unsafe(html: str) -> list[str]:
    """What in ``html`` could run or load something (the site's own scripts in assets/daicho/,
    shipped in the package, excepted)."""
    parser = _Elements()
    parser.feed(html)
    parser.close()
    found = []
    for tag, attrs in parser.tags:
        src = dict(attrs).get("src") or ""
        if tag == "script" and "assets/daicho/" in src and src.rsplit("/", 1)[-1] in OWN_SCRIPTS:
            continue
        if tag in FORBIDDEN_TAGS:
            found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                found.append(f"{tag} {name}=")
            if value and _SCHEME_NOISE.sub("", value).lower().startswith(("javascript:", "vbscript:", "data:")):
                found.append(f"{tag} {name}={value!r}")
    return found


def as_built(page: str) -> str:
    """The page's HTML as MkDocs makes it: front matter off, Markdown with the default extensions."""
    body, _ = get_data(page)
    return markdown.markdown(body, extensions=["toc", "tables", "fenced_code"])


def check_renders_safely(root: Path, rtype: str, data: dict[str, Any]) -> None:
    rel, data = place(rtype, data)
    assume(not any(True for _ in record_types(ROOT / "schemas")[rtype].validator.iter_errors(data)))
    raw = yaml.safe_dump(json.loads(json.dumps(data)), allow_unicode=True, sort_keys=False).encode("utf-8")
    repo = repository.load(root, extra={rel: raw})
    assert rel in {r.path for r in repo.records}, [i for i in repo.issues if i.file == rel]
    pages = render.pages(repo, TODAY)
    if rtype in SECTION:
        assert record_page(rtype, data["id"]) in pages
    for path, page in pages.items():
        assert not unsafe(as_built(page)), (path, unsafe(as_built(page)))


FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize="DAICHO_FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                       HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])


@pytest.mark.parametrize("rtype", ["jimu", "file", "contract", "incident", "disclosure"])
def test_any_schema_valid_record_renders_without_markup_from_its_data(base: Path, rtype: str) -> None:
    @FUZZ
    @given(from_schema(flat_schemas()[rtype]))
    def check(data: dict[str, Any]) -> None:
        check_renders_safely(base, rtype, data)

    check()


def test_the_checker_sees_what_it_must_forbid() -> None:
    """The page check itself: the payloads, unescaped, are all caught."""
    for payload in ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<xss>",
                    '<a href=" JaVaScRiPt:alert(1)">x</a>', "<a href='&#106;avascript:alert(1)'>x</a>",
                    "[x](javascript:alert(1))"):
        assert unsafe(as_built(f"---\ntitle: t\n---\n{payload}\n")), payload
    assert not unsafe(as_built("---\ntitle: t\n---\n&lt;xss&gt; javascript:alert(1)\n"))


def valid_share(rtype: str, n: int = 30) -> int:
    """How many of ``n`` generated records of ``rtype`` the real validator accepts."""
    validator = record_types(ROOT / "schemas")[rtype].validator
    valid: list[bool] = []

    @settings(max_examples=n, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(from_schema(flat_schemas()[rtype]))
    def probe(data: dict[str, Any]) -> None:
        _, placed = place(rtype, data)
        valid.append(not any(True for _ in validator.iter_errors(placed)))

    probe()
    return sum(valid)


@pytest.mark.parametrize("rtype", sorted(IDS))
def test_the_generator_reaches_valid_records(rtype: str) -> None:
    """Guard against a generator whose records the validator always rejects."""
    assert valid_share(rtype) >= 10


def test_a_record_registered_after_today_renders(base: Path) -> None:
    """Found by the fuzzer: an entry registered after the build date is 登録前, not 廃止."""
    data = yaml.safe_load((FIXTURES / "jimu" / "minimal" / "records" / "jimu" / "J-D1501-001.yaml").read_text(encoding="utf-8"))
    data["登録年月日"] = (TODAY + dt.timedelta(days=30)).isoformat()
    rel, placed = place("jimu", data)
    raw = yaml.safe_dump(placed, allow_unicode=True, sort_keys=False).encode("utf-8")
    pages = render.pages(repository.load(base, extra={rel: raw}), TODAY)
    assert "登録前" in next(v for k, v in pages.items() if k.endswith(f"{placed['id']}.md"))
