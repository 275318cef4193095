"""Workbooks shaped like a municipality's own registers, built here so they are reproducible:
title rows, merged cells, two-row headers, blank and ※ rows, Excel date cells, serial numbers
and 和暦 text, 同上／〃, ○×／■□, numbered lists, a 単票 workbook, an .xls (xlwt) and a
Shift_JIS CSV. Every person and company in them is fictional.

Each builder writes its file into a folder and returns the path; EXPECTED holds what a person
reading the workbook would expect each record to say.

    python -m tests.workbook_fixtures OUT_DIR   # writes them all, to open in Excel
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

WRAP = Alignment(wrap_text=True, vertical="top")


def _title(ws: Worksheet, text: str, width: int, row: int = 1) -> None:
    ws.cell(row, 1, text).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _rows(ws: Worksheet, first: int, rows: list[list[Any]]) -> None:
    for r, row in enumerate(rows, start=first):
        for c, value in enumerate(row, start=1):
            if value is not None:
                cell = ws.cell(r, c, value)
                cell.alignment = WRAP
                if isinstance(value, dt.date):
                    cell.number_format = "yyyy/m/d"


# -- ファイル簿: list layout, title rows, item numbers in headers, two sheets and a notes sheet ---
FILEBOOK_HEADER = [
    "No.", "1 個人情報ファイルの名称", "2 行政機関等の名称", "3 個人情報ファイルが利用に供される事務をつかさどる組織の名称",
    "4 個人情報ファイルの利用目的", "5 記録項目", "6 記録範囲", "7 記録情報の収集方法",
    "8 要配慮個人情報が含まれるときは、その旨", "条例要配慮個人情報", "9 記録情報の経常的提供先",
    "11 訂正及び利用停止に関する他の法令の規定による特別の手続等", "12 個人情報ファイルの種別",
    "令第20条第7項該当", "本人の数", "作成日", "18 備考",
]


def filebook(folder: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "ファイル簿（市長部局）"
    width = len(FILEBOOK_HEADER)
    _title(ws, "八千代市個人情報ファイル簿（令和6年4月1日現在）", width)
    ws.cell(2, width - 2, "総務部法務課情報公開班")
    _rows(ws, 4, [FILEBOOK_HEADER])
    _rows(ws, 5, [
        [1, "個人住民税課税台帳ファイル", "八千代市長", "財務部市民税課", "個人住民税の賦課及び徴収のため",
         "1 氏名、2 住所、3 生年月日、4 個人番号、5 所得の状況", "市内に住所を有する個人住民税の納税義務者",
         "本人からの申告、給与支払者からの給与支払報告書", "含まない", "×", "なし", "―",
         "電算処理ファイル", "無", "約98,000人", dt.date(2023, 4, 1), None],
        [None] * width,  # a blank row between records
        [2, "がん検診受診者ファイル", None, "健康づくり課", "がん検診の実施及び結果の管理のため",
         "氏名\n住所\n生年月日\n検診結果", "市内に住所を有する40歳以上の者", "本人からの申込み、委託医療機関からの検診結果",
         "○", "×", "なし", "なし", "電算処理ファイル", "無", 12500, "令和5年4月1日", None],
        [3, "児童手当受給者ファイル", None, "子育て支援課", "児童手当の受給資格の認定及び手当の支給のため",
         "①氏名②住所③生年月日④個人番号", "児童手当の受給者及び支給対象児童", "本人からの認定請求書",
         "含まない", "含まない", "－", "該当なし", "同上", "〃", 31200, "R5.4.1", "※ 令和6年度に記録項目を見直す予定"],
        ["※ 本人の数は令和6年3月31日現在の概数です。"],
    ])
    ws.merge_cells("C5:C8")  # 実施機関 merged down the block, as offices do
    ws.merge_cells(start_row=9, start_column=1, end_row=9, end_column=width)
    edu = wb.create_sheet("ファイル簿（教育委員会）")
    _title(edu, "八千代市教育委員会 個人情報ファイル簿", width)
    _rows(edu, 2, [FILEBOOK_HEADER, [
        1, "図書館利用者ファイル", "八千代市教育委員会", "中央図書館", "図書館資料の貸出し及び予約のため",
        "・氏名・住所・電話番号・利用者番号", "図書館の利用登録をした者", "本人からの利用申込書",
        "含まない", "含まない", "なし", "なし", "電算処理ファイル", "無", 41000, "H31.4.1", None]])
    notes = wb.create_sheet("記入要領")
    notes["A1"] = "この台帳は、個人情報の保護に関する法律第75条の規定により作成・公表するものです。"
    path = folder / "個人情報ファイル簿.xlsx"
    wb.save(path)
    return path


_FILE_COMMON = {"実施機関": "市長", "条例要配慮個人情報": False, "経常的提供先": [], "種別": "電算処理ファイル",
                "令20条7項該当ファイル": "無", "登録年月日": "2023-04-01"}
FILEBOOK_EXPECTED: list[dict[str, Any]] = [
    {**_FILE_COMMON, "id": "F-D1301-001", "名称": "個人住民税課税台帳ファイル", "所管課": "D1301",
     "利用目的": "個人住民税の賦課及び徴収のため", "記録項目": ["氏名", "住所", "生年月日", "個人番号", "所得の状況"],
     "記録範囲": "市内に住所を有する個人住民税の納税義務者", "収集方法": "本人からの申告、給与支払者からの給与支払報告書",
     "要配慮個人情報": False, "本人の数": 98000},
    {**_FILE_COMMON, "id": "F-D1501-001", "名称": "がん検診受診者ファイル", "所管課": "D1501",
     "利用目的": "がん検診の実施及び結果の管理のため", "記録項目": ["氏名", "住所", "生年月日", "検診結果"],
     "記録範囲": "市内に住所を有する40歳以上の者", "収集方法": "本人からの申込み、委託医療機関からの検診結果",
     "要配慮個人情報": True, "本人の数": 12500},
    {**_FILE_COMMON, "id": "F-D1601-001", "名称": "児童手当受給者ファイル", "所管課": "D1601",
     "利用目的": "児童手当の受給資格の認定及び手当の支給のため", "記録項目": ["氏名", "住所", "生年月日", "個人番号"],
     "記録範囲": "児童手当の受給者及び支給対象児童", "収集方法": "本人からの認定請求書",
     "要配慮個人情報": False, "本人の数": 31200, "備考": "※ 令和6年度に記録項目を見直す予定"},
    {**_FILE_COMMON, "id": "F-D2104-001", "名称": "図書館利用者ファイル", "実施機関": "教育委員会", "所管課": "D2104",
     "利用目的": "図書館資料の貸出し及び予約のため", "記録項目": ["氏名", "住所", "電話番号", "利用者番号"],
     "記録範囲": "図書館の利用登録をした者", "収集方法": "本人からの利用申込書",
     "要配慮個人情報": False, "本人の数": 41000, "登録年月日": "2019-04-01"},
]


# -- 事務登録簿: the 単票 (one sheet per 事務, item numbers beside the labels) ----------------------
def _card(ws: Worksheet, items: list[tuple[str, Any]]) -> None:
    _title(ws, "個人情報取扱事務登録票", 4)
    ws.column_dimensions["B"].width = 28
    ws.column_dimensions["C"].width = 60
    for n, (label, value) in enumerate(items, start=1):
        r = n + 2
        ws.cell(r, 1, n)
        ws.cell(r, 2, label)
        if value is not None:
            cell = ws.cell(r, 3, value)
            cell.alignment = WRAP
            if isinstance(value, dt.date):
                cell.number_format = '[$-ja-JP]ggge"年"m"月"d"日"'
        ws.merge_cells(start_row=r, start_column=3, end_row=r, end_column=4)


def jimu_cards(folder: Path) -> Path:
    wb = Workbook()
    _card(wb.active, [
        ("事務の名称", "乳幼児健康診査事務"), ("実施機関", "八千代市長"), ("所管課", "健康福祉部健康づくり課"),
        ("事務の目的", "乳幼児の健康の保持増進を図るため、健康診査を実施し、結果を管理する。"),
        ("根拠法令", "1 母子保健法第12条\n2 母子保健法第13条"), ("対象者の範囲", "市内に住所を有する乳幼児及びその保護者"),
        ("記録項目の区分", "基本的事項、心身の状況、家庭生活"), ("記録項目", "・氏名・生年月日・住所・健診結果"),
        ("要配慮個人情報の有無", "有"), ("条例要配慮個人情報", "無"), ("個人番号", "□"),
        ("本人から", "■"), ("本人以外から", "■"), ("本人以外からの収集先", "委託医療機関（健康診査の結果）"),
        ("目的外利用・外部提供の有無", "無"), ("記録の形態", "電算・紙"), ("オンライン結合", "無"),
        ("委託の有無", "有"), ("開始年月日", "昭和50年4月1日"), ("登録年月日", "R5.4.1"), ("備考", "―"),
    ])
    wb.active.title = "乳幼児健診"
    _card(wb.create_sheet("印鑑登録"), [
        ("事務の名称", "印鑑登録事務"), ("実施機関", "市長"), ("所管課", "市民課"),
        ("事務の目的", "印鑑の登録及び証明を行うため"), ("根拠法令", "八千代市印鑑条例"),
        ("対象者の範囲", "市の住民基本台帳に記録されている者で印鑑の登録をした者"),
        ("記録項目の区分", "基本的事項"), ("記録項目", "氏名\n住所\n生年月日\n印影"),
        ("要配慮個人情報の有無", "×"), ("条例要配慮個人情報", "×"), ("個人番号", "×"),
        ("本人から", "○"), ("本人以外から", "×"), ("目的外利用・外部提供の有無", "なし"),
        ("記録の形態", "電算"), ("オンライン結合", "無"), ("委託の有無", "無"),
        ("開始年月日", "平成元年4月1日"), ("登録年月日", dt.date(2023, 4, 1)),
    ])
    path = folder / "事務登録票.xlsx"
    wb.save(path)
    return path


JIMU_CARDS_EXPECTED: list[dict[str, Any]] = [
    {"id": "J-D1401-004", "事務の名称": "印鑑登録事務", "実施機関": "市長", "所管課": "D1401",
     "事務の目的": "印鑑の登録及び証明を行うため", "根拠法令": ["八千代市印鑑条例"],
     "対象者の範囲": "市の住民基本台帳に記録されている者で印鑑の登録をした者",
     "記録項目": {"区分": ["基本的事項"], "項目": ["氏名", "住所", "生年月日", "印影"]},
     "要配慮個人情報": False, "条例要配慮個人情報": False, "個人番号": False,
     "収集方法": {"本人から": True, "本人以外から": False}, "目的外利用・外部提供": {"有無": False},
     "記録の形態": "電算", "オンライン結合": False, "委託の有無": False,
     "開始年月日": "1989-04-01", "登録年月日": "2023-04-01"},
    {"id": "J-D1501-004", "事務の名称": "乳幼児健康診査事務", "実施機関": "市長", "所管課": "D1501",
     "事務の目的": "乳幼児の健康の保持増進を図るため、健康診査を実施し、結果を管理する。",
     "根拠法令": ["母子保健法第12条", "母子保健法第13条"], "対象者の範囲": "市内に住所を有する乳幼児及びその保護者",
     "記録項目": {"区分": ["基本的事項", "心身の状況", "家庭生活"], "項目": ["氏名", "生年月日", "住所", "健診結果"]},
     "要配慮個人情報": True, "条例要配慮個人情報": False, "個人番号": False,
     "収集方法": {"本人から": True, "本人以外から": True, "本人以外からの収集先": "委託医療機関（健康診査の結果）"},
     "目的外利用・外部提供": {"有無": False}, "記録の形態": "電算・紙", "オンライン結合": False, "委託の有無": True,
     "開始年月日": "1975-04-01", "登録年月日": "2023-04-01"},
]


# -- 事務登録簿 as Excel 97-2003 (.xls): a two-row header with merged group cells ----------------
def jimu_xls(folder: Path) -> Path:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("事務登録簿")
    date = xlwt.easyxf(num_format_str="yyyy/mm/dd")
    ws.write_merge(0, 0, 0, 12, "個人情報取扱事務登録簿")
    single = ["事務の名称", "実施機関", "所管課", "事務の目的", "対象者の範囲"]
    for c, h in enumerate(single):
        ws.write_merge(2, 3, c, c, h)
    ws.write_merge(2, 2, 5, 6, "記録項目")
    ws.write(3, 5, "区分")
    ws.write(3, 6, "項目")
    ws.write_merge(2, 2, 7, 8, "収集方法")
    ws.write(3, 7, "本人から")
    ws.write(3, 8, "本人以外から")
    for c, h in enumerate(["要配慮個人情報", "目的外利用・外部提供の有無", "記録の形態", "委託の有無", "登録年月日"], start=9):
        ws.write_merge(2, 3, c, c, h)
    rows = [
        ["国民年金事務", "八千代市長", "国保年金課", "国民年金の資格取得、喪失及び保険料免除申請の受付を行うため",
         "国民年金の第1号被保険者", "基本的事項\n資産・収入等", "1 氏名\n2 住所\n3 基礎年金番号", "○", "○",
         "×", "×", "電算", "×", dt.date(2023, 4, 1)],
        ["後期高齢者医療事務", None, "国保年金課", "後期高齢者医療の資格管理及び保険料の徴収を行うため",
         "後期高齢者医療の被保険者", "基本的事項、心身の状況", "氏名\n住所\n被保険者番号\n保険料額", "○", "○",
         "○", "×", "電算", "○", "令和5年4月1日"],
    ]
    for r, row in enumerate(rows, start=4):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                ws.write(r, c, dt.datetime(value.year, value.month, value.day), date)
            elif value is not None and c != 1:
                ws.write(r, c, value)
    ws.write_merge(4, 5, 1, 1, "八千代市長")  # 実施機関 merged over both rows
    path = folder / "事務登録簿.xls"
    wb.save(str(path))
    return path


_XLS_COMMON = {"実施機関": "市長", "所管課": "D1402", "目的外利用・外部提供": {"有無": False}, "記録の形態": "電算",
               "収集方法": {"本人から": True, "本人以外から": True}, "登録年月日": "2023-04-01"}
JIMU_XLS_EXPECTED: list[dict[str, Any]] = [
    {**_XLS_COMMON, "id": "J-D1402-003", "事務の名称": "国民年金事務",
     "事務の目的": "国民年金の資格取得、喪失及び保険料免除申請の受付を行うため", "対象者の範囲": "国民年金の第1号被保険者",
     "記録項目": {"区分": ["基本的事項", "資産・収入等"], "項目": ["氏名", "住所", "基礎年金番号"]},
     "要配慮個人情報": False, "委託の有無": False},
    {**_XLS_COMMON, "id": "J-D1402-004", "事務の名称": "後期高齢者医療事務",
     "事務の目的": "後期高齢者医療の資格管理及び保険料の徴収を行うため", "対象者の範囲": "後期高齢者医療の被保険者",
     "記録項目": {"区分": ["基本的事項", "心身の状況"], "項目": ["氏名", "住所", "被保険者番号", "保険料額"]},
     "要配慮個人情報": True, "委託の有無": True},
]


# -- 委託契約台帳: two-row header (受託者, 履行期間), serials, 和暦, 同上／〃, a ※ row ------------------
def contracts(folder: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "令和6年度"
    _title(ws, "令和6年度 業務委託契約台帳（個人情報取扱い）", 13)
    top = ["案件名", "所管課", "受託者", None, "契約日", "履行期間", None, "契約形態", "個人情報の有無",
           "特定個人情報の有無", "関係する事務", "特記仕様書", "取扱う個人情報の項目", "チェックリスト提出日"]
    sub = [None, None, "名称", "所在地", None, "開始", "終了"] + [None] * 7
    _rows(ws, 3, [top, sub])
    for c, value in enumerate(top, start=1):
        if value is not None and sub[c - 1] is None:
            ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
    ws.merge_cells("C3:D3")
    ws.merge_cells("F3:G3")
    _rows(ws, 5, [
        ["令和6年度特定健康診査等委託", "国保年金課", "一般社団法人八千代市医師会", "千葉県八千代市大和田新田〇〇番地",
         dt.date(2024, 3, 29), "R6.4.1", "R7.3.31", "通常", "○", "×", "J-D1402-001", "特記仕様書",
         "1 氏名、2 住所、3 生年月日、4 被保険者番号、5 健診結果", 45366],
        ["令和6年度がん検診結果データ入力業務委託", "健康づくり課", "株式会社八千代データサービス", None,
         "令和6年3月28日", "同上", "〃", "通常", "有", "無", "J-D1501-001", "別記",
         "・氏名・生年月日・検診結果", dt.date(2024, 3, 28)],
        [None] * 14,
        ["庁舎清掃業務委託", "総務課", "株式会社八千代ビルサービス", None, dt.date(2024, 3, 29),
         dt.date(2024, 4, 1), dt.date(2025, 3, 31), "通常", "×", "×", None, "―", "―", "R6.3.15"],
        ["※ 個人情報を取り扱う契約は、特記仕様書を契約書に添付すること。"],
    ])
    path = folder / "委託契約台帳.xlsx"
    wb.save(path)
    return path


CONTRACTS_EXPECTED: list[dict[str, Any]] = [
    {"案件名": "令和6年度特定健康診査等委託", "所管課": "D1402", "事務": ["J-D1402-001"],
     "受託者": {"名称": "一般社団法人八千代市医師会", "所在地": "千葉県八千代市大和田新田〇〇番地"},
     "契約日": "2024-03-29", "履行期間": {"開始": "2024-04-01", "終了": "2025-03-31"}, "契約形態": "通常",
     "個人情報の取扱い": True, "特定個人情報の取扱い": False,
     "チェックリスト": {"提出日": "2024-03-15", "回答": {"問1": "はい"}}, "特記仕様書": "特記仕様書",
     "取扱い個人情報一覧": ["氏名", "住所", "生年月日", "被保険者番号", "健診結果"]},
    {"案件名": "令和6年度がん検診結果データ入力業務委託", "所管課": "D1501", "事務": ["J-D1501-001"],
     "受託者": {"名称": "株式会社八千代データサービス"},
     "契約日": "2024-03-28", "履行期間": {"開始": "2024-04-01", "終了": "2025-03-31"}, "契約形態": "通常",
     "個人情報の取扱い": True, "特定個人情報の取扱い": False,
     "チェックリスト": {"提出日": "2024-03-28", "回答": {"問1": "はい"}}, "特記仕様書": "別記",
     "取扱い個人情報一覧": ["氏名", "生年月日", "検診結果"]},
    {"案件名": "庁舎清掃業務委託", "所管課": "D1101", "受託者": {"名称": "株式会社八千代ビルサービス"},
     "契約日": "2024-03-29", "履行期間": {"開始": "2024-04-01", "終了": "2025-03-31"}, "契約形態": "通常",
     "個人情報の取扱い": False, "特定個人情報の取扱い": False,
     "チェックリスト": {"提出日": "2024-03-15", "回答": {"問1": "いいえ"}}},
]


# -- 開示請求の処理簿: Shift_JIS CSV, a title row, one row per decision ----------------------------
DISCLOSURE_CSV = (
    "令和7年度 保有個人情報開示請求処理簿\r\n"
    "受付番号,受付日,請求者番号,実施機関,処理状況,担当課,決定日,決定内容,不開示理由,備考\r\n"
    "7-1,R7.4.10,P000301,八千代市長,決定済,市民課,R7.4.24,全部開示,,\r\n"
    ",,,,,国保年金課,R7.4.25,部分開示,第2号・第7号,\r\n"
    "7-2,令和7年5月8日,P000302,同上,決定済,子育て支援課,令和7年5月20日,不開示,\"2号、3号\",\r\n"
    "7-3,2025/6/2,P000301,教育委員会,処理中,,,,,\r\n"
    "\r\n"
    "※ 請求者番号は請求者ごとの仮名の番号です。,,,,,,,,,\r\n"
)


def disclosure_csv(folder: Path) -> Path:
    path = folder / "開示請求処理簿.csv"
    path.write_bytes(DISCLOSURE_CSV.encode("cp932"))
    return path


DISCLOSURE_EXPECTED: list[dict[str, Any]] = [
    {"id": "R-2025-0006", "請求者キー": "P000301", "実施機関": "市長", "受付日": "2025-04-10", "状態": "決定済",
     "決定": [{"所管課": "D1401", "決定日": "2025-04-24", "結果": "全部開示"},
              {"所管課": "D1402", "決定日": "2025-04-25", "結果": "部分開示", "不開示事由": ["第2号", "第7号"]}]},
    {"id": "R-2025-0007", "請求者キー": "P000302", "実施機関": "市長", "受付日": "2025-05-08", "状態": "決定済",
     "決定": [{"所管課": "D1601", "決定日": "2025-05-20", "結果": "不開示", "不開示事由": ["第2号", "第3号"]}]},
    {"id": "R-2025-0008", "請求者キー": "P000301", "実施機関": "教育委員会", "受付日": "2025-06-02", "状態": "処理中"},
]

BUILDERS = {"filebook": filebook, "jimu_cards": jimu_cards, "jimu_xls": jimu_xls, "contracts": contracts,
            "disclosure": disclosure_csv}


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    out.mkdir(parents=True, exist_ok=True)
    for build in BUILDERS.values():
        print(build(out))
