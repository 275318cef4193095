"""x-daicho ``reads`` (the schemas): the cross-record rules see only a record's summary when
``daicho validate`` takes it from the cache, so the summary must hold every field a rule reads.

Both tests run the real rules over every repository the project has (the demo records, the rules
and site fixtures, every valid and invalid fixture case): one records which fields the rules
touch, the other compares the issues found on summaries with those found on whole records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from daicho import lint, repository, rules, yamlio
from tests.test_fixtures import every_repository


class Tracked(dict):
    """A record's data that notes each top-level field read (``*``: all of them)."""

    def __init__(self, data: dict[str, Any], reads: set[str]) -> None:
        super().__init__(data)
        self.reads = reads

    def __getitem__(self, key: str) -> Any:
        self.reads.add(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self.reads.add(key)
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        self.reads.add(str(key))
        return super().__contains__(key)

    def __iter__(self) -> Iterator[str]:
        self.reads.add("*")
        return super().__iter__()

    def keys(self):  # type: ignore[override]
        self.reads.add("*")
        return super().keys()

    def items(self):  # type: ignore[override]
        self.reads.add("*")
        return super().items()

    def values(self):  # type: ignore[override]
        self.reads.add("*")
        return super().values()


# Days the engine is run on: before and after most dates in the fixtures.
DAYS = (dt.date(2025, 9, 30), dt.date(2026, 12, 1))


def check(repo: repository.Repository) -> list:
    """What ``daicho validate`` reports beyond loading: the cross-record rules and the engine."""
    return lint.check(repo) + [i for day in DAYS for i in rules.findings(repo, day)]


def repositories(tmp_path: Path) -> Iterator[tuple[str, repository.Repository]]:
    for name, root in every_repository(tmp_path):
        yield name, repository.load(root)


def with_data(repo: repository.Repository, make: Any) -> repository.Repository:
    """The same repository with each record's data replaced by ``make(record)``."""
    out = repository.Repository(repo.root, repo.schema_dir, repo.types, checked=repo.checked,
                                unloaded=list(repo.unloaded))
    out.records = [repository.Record(r.type, r.path, yamlio.Document(make(r), r.doc.positions, r.doc.key_positions))
                   for r in repo.records]
    return out


def test_the_rules_read_only_the_fields_in_reads(tmp_path: Path) -> None:
    seen = 0
    for name, repo in repositories(tmp_path):
        reads: dict[str, set[str]] = {}
        tracked = with_data(repo, lambda r, reads=reads: Tracked(r.data, reads.setdefault(r.type, set())))
        check(tracked)
        for rtype, fields in reads.items():
            listed = repo.types[rtype].reads
            if listed is not None:
                assert fields <= set(listed), (f"{name}: the rules read {sorted(fields - set(listed))} of a {rtype}; "
                                               f"add them to x-daicho reads in schemas/{rtype}.json")
        seen += 1
    assert seen > 40


def test_the_rules_find_the_same_on_summaries(tmp_path: Path) -> None:
    found = 0
    for name, repo in repositories(tmp_path):
        whole = check(repo)
        summarised = with_data(repo, lambda r, types=repo.types: types[r.type].summary(r.data))
        assert check(summarised) == whole, name
        found += len(whole)
    assert found > 20  # the invalid cases: the comparison covers rules that fire
