"""The search query set (issue 19): what an office member types, and the page they expect first.

Written from the seed's own wording (the incident reports, the registers) and the demo's titles.
Each query maps to the pages acceptable as the first result (more than one where two records
have the words in their titles and a person would accept either). Used by the browser test
(tests/test_search_ranking.py) and by ``make bench`` (the mean reciprocal rank).

Title rule (issue 19): a match in a record's title ranks above a match in its body, so
「卒業アルバム」 puts the 事務 and the contract titled with it first and the incident, whose
title is 「委託先のシステム管理を行っている会社への不正アクセス」, after them; the incident is
first for 「卒業アルバム 不正アクセス」.
"""

from __future__ import annotations

INC, C, J, F = "incidents/", "contracts/", "jimu/", "files/"

QUERIES: dict[str, list[str]] = {
    # ids first
    "I-2024-D2101-01": [INC + "I-2024-D2101-01.html"],
    "C-2024-D8103-001": [C + "C-2024-D8103-001.html"],
    "F-D1401-001": [F + "F-D1401-001.html"],
    "J-D1501-001": [J + "J-D1501-001.html"],
    "i-2023-d1502-01": [INC + "I-2023-D1502-01.html"],
    # the seed's incident reports
    "健診記録票": [INC + "I-2023-D1501-01.html"],
    "健診記録票の紛失": [INC + "I-2023-D1501-01.html"],
    "胸部レントゲン": [INC + "I-2023-D1501-01.html"],
    "予診票": [INC + "I-2024-D1501-01.html"],
    "郵送物盗難": [INC + "I-2024-D1603-01.html"],
    "要保護児童 郵送物": [INC + "I-2024-D1603-01.html"],
    "誤送付": [INC + "I-2023-D1502-01.html"],
    "不正アクセス ネットワーク": [INC + "I-2024-D8103-01.html"],
    "卒業アルバム 不正アクセス": [INC + "I-2024-D2101-01.html"],
    "卒業アルバム": [J + "J-D2101-003.html", C + "C-2021-D2101-001.html"],
    "簡易書留": [INC + "I-2024-D1501-01.html", INC + "I-2024-D1603-01.html"],
    "ＶＰＮ": [INC + "I-2024-D8103-01.html"],
    "水栓番号": [J + "J-D8103-001.html"],
    # the registers
    "住民基本台帳ファイル": [F + "F-D1401-001.html"],
    "住民基本台帳事務": [J + "J-D1401-001.html"],
    "住基": [J + "J-D1401-001.html", F + "F-D1401-001.html"],
    "がん検診受診者": [F + "F-D1501-001.html"],
    "予防接種台帳": [F + "F-D1501-002.html"],
    "選挙人名簿ファイル": [F + "F-D3101-001.html"],
    "在外選挙人名簿": [J + "J-D3101-002.html"],
    "児童手当受給者": [F + "F-D1601-001.html"],
    "難病者援護金支給": [J + "J-D1502-001.html"],
    "救急活動記録": [F + "F-D7103-001.html"],
    "市長への手紙": [F + "F-D1202-001.html", J + "J-D1202-001.html"],
    "学齢簿": [J + "J-D2101-001.html"],
    "就学援助": [J + "J-D2101-002.html"],
    "個別避難計画": [J + "J-D1403-002.html"],
    "要保護児童対策地域協議会": [J + "J-D1603-001.html"],
    "学童保育所入所児童": [F + "F-D1602-002.html"],
    # contracts
    "図書館 指定管理": [C + "C-2023-D2104-001.html"],
    "学童保育所 指定管理": [C + "C-2024-D1602-001.html"],
    "消防指令システム 令和8年度": [C + "C-2026-D7103-001.html"],
    "水道管路情報管理システム 令和6年度": [C + "C-2024-D8103-001.html"],
    "粗大ごみ受付センター": [C + "C-2025-D1701-001.html"],
    "高齢者配食サービス 令和8年度": [C + "C-2026-D1503-001.html"],
    "市民意識調査業務委託": [C + "C-2026-D1201-001.html"],
    "ジェネリック医薬品": [C + "C-2025-D1402-002.html"],
    "じぇねりっく": [C + "C-2025-D1402-002.html"],  # hiragana finds katakana
    "ｲﾝﾌﾙｴﾝｻﾞ": [C + "C-2023-D1501-002.html"],  # half-width kana
    "投票所入場券": [C + "C-2025-D3101-001.html"],
    "農地台帳システム": [C + "C-2025-D5101-001.html"],
    "広報やちよ": [C + "C-2025-D1202-001.html"],
    "コンビニ 収納代行": [C + "C-2024-D1303-001.html"],
    "市民課窓口業務": [C + "C-2024-D1401-001.html"],
    "標準準拠システム": [C + "C-2024-D1104-001.html"],
    # departments
    "健康づくり課": ["departments/D1501.html"],
}
