"""One test drives every fixture mini repository under tests/fixtures/{valid,invalid}/<type>/<case>/.

A case is a directory holding ``records/…`` laid out like a real repository. It is copied into a
temporary directory next to the project's ``schemas/``; unless the case brings its own
``records/organization.yaml`` (or a ``NO_BASE_ORGANIZATION`` marker file), the base organisation
``valid/organization/base/records/organization.yaml`` is added.

- valid cases must load with no issue at all (no error, no warning, no finding of the compliance
  engine as of ``TODAY``): what ``daicho validate`` reports is ``rules.review``;
- invalid cases list what they must produce in leading comment lines of the file concerned::

      # expect: E-SCHEMA-ENUM 12
      # expect: E-ID-FILENAME 3 records/other/path.yaml   (third field: the issue's file, when
                                                            it is not the file carrying the comment)

  and must produce exactly those (file, line, code) issues and nothing else.
Comments are read as bytes so that the Shift_JIS fixture can carry its expectation too.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from daicho import repository, rules

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ROOT = FIXTURES.parent.parent
BASE_ORGANIZATION = FIXTURES / "valid" / "organization" / "base" / "records" / "organization.yaml"
NO_BASE = "NO_BASE_ORGANIZATION"
EXPECT = re.compile(rb"#\s*expect:\s*([A-Z][A-Z0-9-]+)\s+([0-9]+)(?:\s+(\S+))?\s*$")

Expected = set[tuple[str, int, str]]
# The day the engine evaluates the fixtures on (its findings ignore dates after the day).
TODAY = dt.date(2026, 12, 1)


def cases(kind: str) -> list[Path]:
    return sorted(p.parent for p in (FIXTURES / kind).glob("*/*/records"))


def case_id(case: Path) -> str:
    return f"{case.parent.name}/{case.name}"


def expectations(case: Path) -> Expected:
    """Every ``# expect:`` line at the top of every file of the case."""
    out: Expected = set()
    for path in sorted(p for p in (case / "records").rglob("*") if p.is_file()):
        rel = path.relative_to(case).as_posix()
        for raw in path.read_bytes().splitlines():
            if not raw.startswith(b"#"):
                break
            m = EXPECT.match(raw)
            if m:
                where = m.group(3).decode() if m.group(3) else rel
                out.add((where, int(m.group(2)), m.group(1).decode()))
    return out


def mini_repository(case: Path, tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(case, repo, ignore=shutil.ignore_patterns(NO_BASE))
    org = repo / "records" / "organization.yaml"
    if not org.exists() and not (case / NO_BASE).exists():
        shutil.copyfile(BASE_ORGANIZATION, org)
    (repo / "schemas").symlink_to(ROOT / "schemas", target_is_directory=True)
    return repo


def every_repository(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """(name, root) of every repository the project has, copied under ``tmp_path`` with the
    project's schemas: the demo, the rules and site fixtures, every valid and invalid case."""
    for name, source in (("demo", ROOT), ("rules", FIXTURES / "rules"), ("site", FIXTURES / "site"),
                         ("hostile", FIXTURES / "site" / "hostile")):
        if (source / "records").is_dir():
            root = tmp_path / name
            shutil.copytree(source / "records", root / "records")
            (root / "schemas").symlink_to(ROOT / "schemas", target_is_directory=True)
            yield name, root
    for case in cases("valid") + cases("invalid"):
        yield case_id(case), mini_repository(case, tmp_path / case_id(case).replace("/", "_"))


def found(repo: repository.Repository) -> Expected:
    return {(i.file, i.line, i.code) for i in rules.review(repo, TODAY)}


@pytest.mark.parametrize("case", cases("valid"), ids=case_id)
def test_valid_fixture_is_clean(case: Path, tmp_path: Path) -> None:
    assert not expectations(case), "a valid fixture must not expect issues"
    repo = repository.load(mini_repository(case, tmp_path))
    assert [f"{i.file}:{i.line}:{i.col} {i.code} {i.message}" for i in rules.review(repo, TODAY)] == []
    # Every file became a record: nothing was silently skipped.
    assert repo.checked == len(repo.records) > 0


@pytest.mark.parametrize("case", cases("invalid"), ids=case_id)
def test_invalid_fixture_reports_exactly_what_it_expects(case: Path, tmp_path: Path) -> None:
    want = expectations(case)
    assert want, f"{case_id(case)}: no '# expect: CODE LINE' comment"
    repo = repository.load(mini_repository(case, tmp_path))
    assert found(repo) == want
    for issue in rules.review(repo, TODAY):
        assert issue.line >= 1 and issue.col >= 1
        assert issue.severity == ("warning" if issue.code.startswith("W-") else "error")
        assert issue.message and "Traceback" not in issue.message


# Which codes must have a case here: tests/test_error_catalogue.py (every code in the catalogue).
