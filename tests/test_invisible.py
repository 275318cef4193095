"""Invisible and direction-changing characters (issue 13 §6): refused in every key and text,
named by code point and position, never echoed; ordinary Japanese text passes.

The fixtures invalid/text/invisible-characters and invalid/ids/zero-width-space-in-id
pin the positions; these tests cover the character set and the message."""

from __future__ import annotations

import re
import shutil
import sys
import unicodedata
from pathlib import Path

import pytest

from daicho import invisible, repository, search, withholding, yamlio
from tests.conftest import ROOT, run_daicho

NAMED = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
         "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\ufeff", "\u00ad", "\u2060", "\u061c",
         "\u3164", "\u115f", "\U000e0041"]


def test_every_format_character_is_refused() -> None:
    cf = [chr(cp) for cp in range(sys.maxunicode + 1) if unicodedata.category(chr(cp)) == "Cf"]
    assert len(cf) > 150
    assert [f"U+{ord(c):04X}" for c in cf if not invisible.REFUSED.fullmatch(c)] == []
    assert all(invisible.REFUSED.fullmatch(c) for c in NAMED)


@pytest.mark.parametrize("text", [
    "がん検診事務", "八千代市　健康づくり課", "一行目\n二行目\r\n三行目", "タブ\tあり", "ｶﾅ・ＡＢＣ・①・〜・—",
    "葛\U000e0100飾", "𠮷野家", "絵文字🎉", "\u00a0NBSP",
])
def test_ordinary_text_passes(text: str) -> None:
    assert invisible.describe(text) is None


def test_the_message_names_code_point_and_position_but_not_the_text() -> None:
    data = {"名称": "秘密の氏名\u202e山田", "一覧": ["a", "b\u200bc"], "キ\ufeffー": 1}
    found = {path: (msg, key) for _, msg, path, key in invisible.issues(data, lambda p: "名称")}
    assert set(found) == {("名称",), ("一覧", 1), ("キ\ufeffー",)}
    message, at_key = found[("名称",)]
    assert "U+202E" in message and "RIGHT-TO-LEFT OVERRIDE" in message and "6文字目" in message
    assert "山田" not in message and "秘密" not in message and not at_key
    assert "U+200B" in found[("一覧", 1)][0] and "2文字目" in found[("一覧", 1)][0]
    assert found[("キ\ufeffー",)][1] is True and "項目名" in found[("キ\ufeffー",)][0]


def test_validate_reports_a_bidi_override_in_a_demo_name(tmp_path: Path) -> None:
    """The attack of the issue: 「U+202E」 in an entry's name is published today; now it fails."""
    for name in ("records", "schemas"):
        shutil.copytree(ROOT / name, tmp_path / name)
    target = sorted((tmp_path / "records" / "files").glob("*.yaml"))[0]
    data = yamlio.load_bytes(target.read_bytes()).data
    data["名称"] = "\u202eトスリ者診受"
    target.write_text(yamlio.dump(data), encoding="utf-8")
    result = run_daicho("validate", "--root", str(tmp_path))
    assert result.returncode == 1
    rel = target.relative_to(tmp_path).as_posix()
    assert f"{rel}:" in result.stdout and "E-TEXT-INVISIBLE" in result.stdout and "U+202E" in result.stdout
    assert "トスリ者診受" not in result.stdout
    assert not [r for r in repository.load(tmp_path).records if r.path == rel]


@pytest.mark.parametrize("text", ["ＨＩＶ検査 結果", "ｶﾅ　ABC", "Ｅｍａｉｌ\tアドレス", "①②"])
def test_withheld_items_compare_as_the_search_does(text: str) -> None:
    """withholding (core) repeats search.normalize (a view) rather than import it: keep them equal."""
    assert withholding.normalise(text) == re.sub(r"\s+", "", search.normalize(text))
