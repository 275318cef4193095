"""Shared helpers for the compliance-engine tests, and the check that the fixture itself is clean.

The fixture repository tests/fixtures/rules/records holds one dated scenario per rule (each file
says what it exercises in its leading comment). Tests copy it, with the project's schemas/, into a
temporary directory, so a test may change a setting, a form or the rule data without touching
the project.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from daicho import repository, rules
from daicho.repository import Repository
from daicho.rules import Obligation

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "rules"
SCHEMAS = HERE.parent / "schemas"


def day(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def copy_fixture(dest: Path, *, settings: dict | None = None,
                 edit: Callable[[Path], None] | None = None) -> Path:
    """A fresh copy of the fixture repository at ``dest``; ``settings`` become records/settings.yaml
    (期限 only), ``edit(root)`` may change any copied file before it is loaded."""
    shutil.copytree(FIXTURE / "records", dest / "records")
    shutil.copytree(SCHEMAS, dest / "schemas")
    if settings is not None:
        lines = ["id: settings", "期限:"] + [
            f"  {k}: {str(v).lower() if isinstance(v, bool) else v}" for k, v in settings.items()
        ]
        (dest / "records" / "settings.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if edit is not None:
        edit(dest)
    return dest


def load_copy(dest: Path, **kwargs) -> Repository:
    repo = repository.load(copy_fixture(dest, **kwargs))
    assert not repo.errors, [str(i) for i in repo.errors]
    return repo


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def pick(obs: list[Obligation], record_id: str, kind: str, fy: int | None = None,
         **match: object) -> Obligation:
    """The one obligation of ``record_id`` of ``kind`` (and ``fy``, and any other field given)."""
    found = [o for o in obs if o.record_id == record_id and o.kind == kind
             and (fy is None or o.fy == fy) and all(getattr(o, k) == v for k, v in match.items())]
    assert len(found) == 1, f"{record_id} {kind} {fy} {match}: {found}"
    return found[0]


def codes(repo: Repository, today: dt.date, record_id: str) -> list[str]:
    path = repo.get(record_id).path
    return sorted(i.code for i in rules.findings(repo, today) if i.file == path)


@pytest.fixture(scope="session")
def fixture_repo(tmp_path_factory: pytest.TempPathFactory) -> Repository:
    return load_copy(tmp_path_factory.mktemp("rules"))


def test_fixture_repository_is_schema_valid_and_lint_clean(fixture_repo: Repository) -> None:
    # Findings come from the rules only; the records themselves must be clean, or a rule test
    # could pass for the wrong reason (an invalid record is left out of the obligations).
    assert fixture_repo.issues == []
    assert {r.type for r in fixture_repo.records} >= {"contract", "incident", "disclosure"}


def test_every_fixture_record_has_obligations(fixture_repo: Repository) -> None:
    obs = rules.obligations(fixture_repo, day("2026-11-26"))
    owners = {o.record_id for o in obs}
    for kind in ("contract", "incident", "disclosure"):
        for r in fixture_repo.of_type(kind):
            assert r.id in owners, r.id


def test_every_obligation_points_into_its_record(fixture_repo: Repository) -> None:
    for ob in rules.obligations(fixture_repo, day("2026-11-26")):
        record = fixture_repo.get(ob.record_id)
        node = record.data
        for part in ob.path:  # the path must exist in the record, so file:line:col is exact
            node = node[part]
        file, line, col = rules.locate(fixture_repo, ob)
        assert file == record.path and line >= 1 and col >= 1
