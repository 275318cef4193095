"""Phone numbers, postal codes and e-mail addresses have a format (issue 13 §10).

The fixture invalid/contract/contact-formats pins which lines fail; this checks the messages:
Japanese, saying how to write the value, and never repeating what was written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from daicho import repository
from daicho.schemas import _py_pattern
from tests.conftest import ROOT
from tests.test_fixtures import FIXTURES, mini_repository

CASE = FIXTURES / "invalid" / "contract" / "contact-formats"
WRITTEN = ["090-ABCD-ZZZZ", "山田花子", "ｋｅｎｋｏ", "＠", "〒276-0000", "276-0000"]


def test_contact_fields_explain_their_format_without_echoing_the_value(tmp_path: Path) -> None:
    repo = repository.load(mini_repository(CASE, tmp_path))
    issues = {i.json_path: i.message for i in repo.issues}
    assert len(issues) == 3 and all(i.code == "E-SCHEMA-PATTERN" for i in repo.issues), issues
    assert {p.rsplit(".", 1)[1] for p in issues} == {"郵便番号", "メールアドレス", "電話番号"}
    joined = "\n".join(issues.values())
    assert "半角の数字とハイフン" in joined and "3桁・ハイフン・4桁" in joined and "「名前@ドメイン」" in joined
    assert not [w for w in WRITTEN if w in joined]


@pytest.mark.parametrize(("field", "ok", "bad"), [
    ("電話番号", ["047-000-0000", "03-0000-0000", "090-0000-0000", "0120-000-000"],
     ["090-ABCD-ZZZZ 山田花子の携帯", "０４７-000-0000", "047-000-0000\n", "47-000-0000", "047-000-0000（内線1）"]),
    ("郵便番号", ["276-8501"], ["〒276-8501", "2768501", "276-850", "２７６-８５０１"]),
    ("メールアドレス", ["houmu@city.example.jp", "a.b+c@x-y.example"],
     ["ｈｏｕｍｕ@city.example.jp", "houmu@localhost", "houmu @city.example.jp", "a@b@c.jp", "houmu"]),
])
def test_format_patterns(field: str, ok: list[str], bad: list[str]) -> None:
    defs = json.loads((ROOT / "schemas" / "common.json").read_text(encoding="utf-8"))["$defs"]
    pattern = _py_pattern(defs[field]["pattern"])  # as the validator reads it (final $ is \z)
    assert [v for v in ok if not pattern.search(v)] == []
    assert [v for v in bad if pattern.search(v)] == []
