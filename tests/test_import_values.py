"""Cells as offices write them (issue 15 §3): dates, lists, yes/no words, headers."""

from __future__ import annotations

import datetime as dt

import pytest

from daicho import repository
from daicho.dates import parse_loose
from daicho.importer.fields import register_fields
from daicho.importer.mapping import IGNORE, Matcher
from daicho.importer.values import Interpreter, split_list, vocabulary
from tests.conftest import ROOT


@pytest.mark.parametrize(("text", "day"), [
    ("令和5年4月1日", dt.date(2023, 4, 1)), ("R5.4.1", dt.date(2023, 4, 1)), ("R5/4/1", dt.date(2023, 4, 1)),
    ("r5.4.1", dt.date(2023, 4, 1)), ("令5.4.1", dt.date(2023, 4, 1)), ("令和元年5月1日", dt.date(2019, 5, 1)),
    ("平成31年4月1日", dt.date(2019, 4, 1)), ("H31.4.1", dt.date(2019, 4, 1)), ("昭和64年1月7日", dt.date(1989, 1, 7)),
    ("２０２３/４/１", dt.date(2023, 4, 1)), ("Ｒ５．４．１", dt.date(2023, 4, 1)), ("令和 5 年 4 月 1 日", dt.date(2023, 4, 1)),
    ("2023年4月1日", dt.date(2023, 4, 1)), ("2023-04-01", dt.date(2023, 4, 1)),
])
def test_wareki_in_every_common_form(text: str, day: dt.date) -> None:
    assert parse_loose(text) == day


@pytest.mark.parametrize("text", ["令和元年4月1日", "令和5年13月1日", "R5.2.30", "来年4月", "45017"])
def test_what_is_not_a_date(text: str) -> None:
    assert parse_loose(text) is None


@pytest.mark.parametrize(("text", "items", "how"), [
    ("1 氏名、2 住所、3 生年月日", ["氏名", "住所", "生年月日"], "番号付きの列挙"),
    ("１．氏名　２．住所", ["氏名", "住所"], "番号付きの列挙"),
    ("(1)氏名 (2)住所", ["氏名", "住所"], "番号付きの列挙"),
    ("①氏名②住所③電話番号", ["氏名", "住所", "電話番号"], "行頭の番号・記号"),
    ("1 氏名\n2 住所", ["氏名", "住所"], "行頭の番号・記号"),
    ("・氏名・住所", ["氏名", "住所"], "「・」の列挙"),
    ("氏名\n住所", ["氏名", "住所"], None),                       # the export's own form
    ("支給対象児童の氏名・生年月日", ["支給対象児童の氏名・生年月日"], None),  # ・ inside one item
    ("本人からの申告、給与支払報告書", ["本人からの申告、給与支払報告書"], None),  # 、 alone splits nothing
    ("3歳児健診の結果", ["3歳児健診の結果"], None),
])
def test_lists_in_one_cell(text: str, items: list[str], how: str | None) -> None:
    assert split_list(text) == (items, how)


@pytest.fixture(scope="module")
def interpreter() -> tuple[Interpreter, dict[str, object]]:
    repo = repository.load(ROOT)
    fields = {f.header: f for f in register_fields(repo.schema_dir, repo.types["file"].schema, None)}
    return Interpreter(repo, vocabulary(repo.schema_dir)), fields


@pytest.mark.parametrize(("raw", "value"), [
    ("○", True), ("●", True), ("✓", True), ("■", True), ("有", True), ("含む", True), ("はい", True),
    ("×", False), ("□", False), ("無", False), ("なし", False), ("含まない", False), ("いいえ", False),
])
def test_yes_no_words(interpreter, raw: str, value: bool) -> None:  # type: ignore[no-untyped-def]
    convert, fields = interpreter
    assert convert.value(fields["要配慮個人情報が含まれるときは、その旨"], raw)[0] is value


def test_excel_dates_serials_and_numbers(interpreter) -> None:  # type: ignore[no-untyped-def]
    convert, fields = interpreter
    made = fields["作成年月日"]
    assert convert.value(made, dt.datetime(2023, 4, 1)) == ("2023-04-01", None)
    assert convert.value(made, 45017) == ("2023-04-01", "日付のシリアル値 45017 を 2023-04-01 と読みました")
    assert convert.value(made, "45017")[0] == "2023-04-01"
    with pytest.raises(ValueError, match="日付として読めません"):
        convert.value(made, 12)
    count = fields["本人の数"]
    assert convert.value(count, 31200.0) == (31200, None)
    assert convert.value(count, "約1,500件")[0] == 1500
    assert convert.value(fields["個人情報ファイルが利用に供される事務をつかさどる組織の名称"], "子ども部　子育て支援課")[0] == "D1601"


def test_headers_tolerate_numbers_spaces_and_notes(interpreter) -> None:  # type: ignore[no-untyped-def]
    _, fields = interpreter
    words = vocabulary(ROOT / "schemas")
    matcher = Matcher(list(fields.values()), words.ignored, {"担当者メモ": "無視"})
    name = fields["個人情報ファイルの名称"]
    for header in ("1 個人情報ファイルの名称", "１　個人情報ファイルの名称", "（1）個人情報ファイル名", "個人情報ファイル名※1",
                   "【ファイル名】", "ファイルの\n名称"):
        assert matcher.match(header) is name, header
    assert matcher.match("No.") == IGNORE and matcher.match("担当者メモ") == IGNORE
    assert matcher.match("記録の範囲等") is None and matcher.hint("記録の範囲等") == "記録範囲"
