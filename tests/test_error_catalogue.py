"""The error catalogue (schemas/errors.yaml) against the code (issue 14 item 7): every code the
package can emit is listed once, with its wording and explanation; the guide page shows them
all; and each has a fixture that produces it, except the ones listed below as still missing."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from daicho import errors, render, repository
from daicho.errors import DaichoError, catalogue
from tests.browser import DEMO_TODAY, ROOT

SOURCE = ROOT / "scripts" / "daicho"
FIXTURES = ROOT / "tests" / "fixtures"
CODE = re.compile(r"""["']([EW]-[A-Z0-9]+(?:-[A-Z0-9]+)*)["']""")
BARE_CODE = re.compile(r"\b([EW]-[A-Z0-9]+(?:-[A-Z0-9]+)*)\b")  # in YAML, unquoted
# A code made at run time (f"E-{…}") could not be checked against the catalogue.
BUILT_CODE = re.compile(r"""f["'][EW]-[^"']*\{""")
EXPECT = re.compile(rb"#\s*expect:\s*([EW]-[A-Z0-9-]+)\s")

# Codes with no case under tests/fixtures/ yet, and why (each is asserted by another test).
# Shrink this; the test fails when a code here gains a fixture, so the list stays true.
_ENGINE = "an engine finding: a fixture can expect it once `daicho validate` reports findings (issue 14 item 3); tests/test_rules_*.py"
_REPORT = "`daicho report --check`, not the loader: tests/test_report_findings.py"
_IMPORT = "`daicho import` reads a table, not records: tests/test_import_workbooks.py, test_export_import.py"
_INSTALL = "a broken installation file, not a record: tests/test_validate_cli.py, test_rules_cli.py, test_live_reload.py, this file"
NO_FIXTURE_YET = {
    **dict.fromkeys(["W-CHECKLIST-ANSWER", "W-CHECKLIST-LATE", "W-CHECKLIST-Q1", "W-CHECKLIST-UNANSWERED",
                     "W-COMPLETION-ITEMS", "W-DISCLOSURE-DECISION", "W-DISCLOSURE-EXTENSION", "W-DISCLOSURE-LATE",
                     "W-IMPROVEMENT-WITHOUT-NG", "W-INCIDENT-TRIGGER", "W-INSPECTION-LATE", "W-INSPECTION-REMOTE",
                     "W-NOTICE-ALTERNATIVE", "W-NOTICE-DATE", "W-NOTICE-GROUND", "W-PPC-LATE",
                     "W-REPORT-CHANGE-REASON"], _ENGINE),
    **dict.fromkeys(["W-REPORT-CHANGED-AFTER-CLOSE", "W-REPORT-NO-DECISION", "W-REPORT-OVERDUE",
                     "W-REPORT-REASON-MISSING", "W-REPORT-REASON-UNEXPECTED"], _REPORT),
    **dict.fromkeys(["E-IMPORT-HEADER", "E-IMPORT-READ", "E-IMPORT-VALUE", "E-IMPORT-DUPLICATE-COLUMN",
                     "E-IMPORT-DUPLICATE-ID", "E-IMPORT-GROUP", "E-IMPORT-LAYOUT"], _IMPORT),
    **dict.fromkeys(["E-SCHEMA-FILE", "E-RULES-DATA", "E-FORM-READ", "E-CATALOGUE", "E-TODAY"], _INSTALL),
    "E-A11Y-RESULT": "the committed accessibility result, not a record: tests/test_a11y.py",
    "E-YAML-SIZE": "a 1 MiB fixture would bloat the repository; test_yamlio and the CLI test cover it",
    "E-FILE-READ": "needs an unreadable file; tests run as root, which reads everything",
    "E-SCHEMA-CONST": "the schemas use const only inside if/then conditions, which never report",
    "E-SCHEMA-INVALID": "the schemas use no keyword outside those with their own code",
    "E-YAML-NODES": "a 30,000-value fixture would bloat the repository; tests/test_validation_cost.py covers it",
    "E-PATH-LINK": "git would store a link; tests/test_record_files.py makes them in a temporary copy",
}


def emitted() -> dict[str, list[str]]:
    """Every code literal in the package's source, and in rules.yaml (each duty's late-finding
    code is data there) → where it appears."""
    out: dict[str, list[str]] = {}
    for path in [*sorted(SOURCE.rglob("*.py")), ROOT / "schemas" / "rules.yaml"]:
        pattern = CODE if path.suffix == ".py" else BARE_CODE
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for code in pattern.findall(line):
                out.setdefault(code, []).append(f"{path.relative_to(ROOT)}:{n}")
    return out


def with_fixture() -> set[str]:
    return {m.decode() for p in FIXTURES.rglob("*") if p.is_file() for m in EXPECT.findall(p.read_bytes())}


@pytest.fixture(scope="module")
def entries() -> dict[str, errors.Entry]:
    return catalogue(ROOT / "schemas")


def test_no_code_is_built_at_run_time() -> None:
    built = [f"{p.relative_to(ROOT)}:{n}" for p in SOURCE.rglob("*.py")
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1) if BUILT_CODE.search(line)]
    assert built == []


def test_every_emitted_code_is_catalogued(entries: dict[str, errors.Entry]) -> None:
    missing = {code: where for code, where in emitted().items() if code not in entries}
    assert missing == {}, "add these to schemas/errors.yaml"


def test_every_catalogued_code_is_emitted(entries: dict[str, errors.Entry]) -> None:
    assert sorted(set(entries) - set(emitted())) == []


def test_each_entry_is_complete_and_japanese(entries: dict[str, errors.Entry]) -> None:
    text = (ROOT / "schemas" / "errors.yaml").read_text(encoding="utf-8")
    for code, entry in entries.items():
        assert len(re.findall(rf"^{re.escape(code)}:", text, re.MULTILINE)) == 1, f"{code} twice"
        assert re.search(r"[ぁ-んァ-ン一-龥]", entry.message) and re.search(r"[ぁ-んァ-ン一-龥]", entry.explanation)


def test_every_code_has_a_failing_fixture(entries: dict[str, errors.Entry]) -> None:
    fixtures = with_fixture()
    assert sorted(set(entries) - fixtures - set(NO_FIXTURE_YET)) == [], "add a case that expects it (# expect: CODE LINE)"
    assert sorted(NO_FIXTURE_YET.keys() & fixtures) == [], "these have a fixture now: drop them from NO_FIXTURE_YET"
    assert sorted(NO_FIXTURE_YET.keys() - set(entries)) == []


def test_guide_page_lists_every_code(entries: dict[str, errors.Entry]) -> None:
    page = render.pages(repository.load(ROOT), dt.date.fromisoformat(DEMO_TODAY))["guide/codes.md"]
    for code in entries:
        assert f'<tr id="{code}"><td><code>{code}</code></td>' in page
    assert "エラー・指摘コードの一覧" in page
    assert "guide/codes.md" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")  # in the nav


def test_a_malformed_catalogue_entry_is_positioned(tmp_path: Path) -> None:
    (tmp_path / "errors.yaml").write_text("E-OK:\n  severity: error\n  message: 文\n  explanation: 説明\n"
                                          "W-BAD:\n  severity: error\n  message: 文\n  explanation: 説明\n",
                                          encoding="utf-8")
    with pytest.raises(DaichoError) as info:
        catalogue(tmp_path)
    assert (info.value.code, info.value.line, info.value.col) == ("E-CATALOGUE", 5, 1)
    assert str(info.value).startswith(f"{tmp_path.name}/errors.yaml:5:1: エラー[E-CATALOGUE] ")
