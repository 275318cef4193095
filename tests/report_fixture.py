"""Write a repository whose 運用状況 report reproduces the seed's 議題2 資料1 (FY2023/FY2024).

``write(root)`` lays out ``schemas/`` (a copy of the project's) and ``records/`` under ``root``:
an organisation with the eight 実施機関, ~680 事務 entries and ~135 ファイル簿 entries whose
登録年月日/廃止年月日 give 資料1 §1, 52 開示請求 giving §2, and ``U-2024`` giving §3.
The inputs below are the seed's row values; the report must derive every cell (totals,
blanks, 実人数, 不開示事由) from the records alone. Boundary cases are placed on purpose:
entries registered or abolished exactly on a FY end or on the day the amended law took
effect, requests received on the last and first day of a FY, and records of other FYs.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from daicho import repository
from daicho.repository import Repository

PROJECT = Path(__file__).resolve().parent.parent

ORGANS = ["市長", "教育委員会", "選挙管理委員会", "監査委員", "農業委員会", "固定資産評価審査委員会",
          "消防長", "事業管理者"]
DEPARTMENTS = {  # code: (name, 部, 実施機関)
    "D1101": ("総務課", "総務部", "市長"), "D1102": ("法務課", "総務部", "市長"),
    "D1401": ("市民課", "市民生活部", "市長"), "D1501": ("健康づくり課", "健康福祉部", "市長"),
    "D1502": ("障害者支援課", "健康福祉部", "市長"), "D2101": ("学務課", "教育総務部", "教育委員会"),
    "D2102": ("指導課", "教育総務部", "教育委員会"), "D3101": ("選挙管理委員会事務局", "", "選挙管理委員会"),
    "D4101": ("監査委員事務局", "", "監査委員"), "D5101": ("農業委員会事務局", "", "農業委員会"),
    "D6101": ("固定資産評価審査委員会事務局", "", "固定資産評価審査委員会"),
    "D7101": ("消防総務課", "消防本部", "消防長"), "D7102": ("予防課", "消防本部", "消防長"),
    "D8101": ("上水道課", "上下水道局", "事業管理者"), "D8102": ("給排水相談課", "上下水道局", "事業管理者"),
}

# 資料1 §1: entries in force at the end of FY2023 and FY2024, and the ※ totals at 2023-04-01.
JIMU = {"市長": (477, 439), "教育委員会": (101, 80), "選挙管理委員会": (10, 10), "監査委員": (1, 1),
        "農業委員会": (1, 1), "固定資産評価審査委員会": (1, 1), "消防長": (35, 36), "事業管理者": (31, 28)}
FILES = {"市長": (126, 118), "農業委員会": (1, 1)}
ENFORCEMENT = {"jimu": 662, "file": 124}

# 資料1 §2: per FY and 実施機関 — persons, withdrawn requests, and every decision as
# (結果, 不開示事由). The request count is the number of requests listed by ``_requests``.
A, P, N, X, Z = "全部開示", "部分開示", "不開示", "不開示（存否応答拒否）", "不開示（不存在）"
DISCLOSURE = {
    2023: {
        "市長": dict(requests=18, persons=12, withdrawn=1, decisions=[
            *[(A, [])] * 37,
            (P, ["第2号", "第7号"]), (P, ["第2号", "第7号"]), (P, ["第2号"]), (P, ["第2号"]),
            (P, ["第2号"]), (P, ["第7号"]), (P, ["第7号"]), (P, ["第7号"]), (P, ["第3号"]), (P, ["第2号"]),
            (X, ["第2号"]), *[(Z, [])] * 8]),
        "教育委員会": dict(requests=5, persons=4, withdrawn=1, decisions=[
            (A, []), (P, ["第2号"]), (P, ["第2号"]), (P, ["第7号"]), (P, ["第2号"])]),
        "消防長": dict(requests=3, persons=3, withdrawn=0, decisions=[(A, []), (A, []), (P, ["第7号"])]),
    },
    2024: {
        "市長": dict(requests=17, persons=12, withdrawn=2, decisions=[
            *[(A, [])] * 10, (P, ["第2号", "第3号"]), (P, ["第3号", "第2号"]), (P, ["第2号"]),
            (P, ["第2号"]), (N, ["第7号"]), (N, ["第7号"]), (Z, []), (Z, [])]),
        "教育委員会": dict(requests=2, persons=2, withdrawn=1, decisions=[(A, [])]),
        "消防長": dict(requests=4, persons=4, withdrawn=0, decisions=[
            *[(A, [])] * 5, (P, ["第2号"]), (P, ["第7号"])]),
    },
}

# 資料1 §3 (FY2024): per 実施機関, 目的外利用 (1号, 2号, 4号, その他) and 外部提供 (1号, 3号, 4号, その他).
USAGE_2024 = {
    "市長": ((184, 676, 0, 56), (12, 29, 0, 13)),
    "教育委員会": ((0, 4, 0, 0), (0, 2, 0, 0)),
    "農業委員会": ((0, 0, 0, 0), (0, 5, 0, 1)),
    "消防長": ((0, 0, 0, 0), (0, 3, 2, 0)),
    "事業管理者": ((0, 0, 0, 0), (0, 2, 0, 0)),
}


def _organization() -> str:
    lines = ["id: organization", "自治体名: 八千代市", "実施機関:"]
    lines += [f"  - 名称: {o}" for o in ORGANS]
    lines.append("部署:")
    for code, (name, bu, organ) in DEPARTMENTS.items():
        lines += [f"  - コード: {code}", f"    名称: {name}", f"    部: {bu or name}",
                  f"    実施機関: {organ}", "    有効期間開始: 2000-04-01"]
    return "\n".join(lines) + "\n"


SETTINGS = """id: settings
運用状況:
  開示請求の0件: 空欄
  目的外利用の0件: "0"
"""


def _codes(organ: str) -> list[str]:
    return [c for c, (_, _, o) in DEPARTMENTS.items() if o == organ]


def _register_dates(before: int, after: int, organ: str, extra_abolished: int, added_fy2023: int,
                    ) -> Iterator[tuple[str, str | None]]:
    """(登録年月日, 廃止年月日) pairs giving ``before`` at 2024-03-31 and ``after`` at 2025-03-31.

    ``extra_abolished`` entries were in force on 2023-04-01 and abolished during FY2023;
    ``added_fy2023`` entries were registered during FY2023 (they raise the FY2023 count)."""
    old = "2018-04-01"
    first = True
    for i in range(min(before, after) - added_fy2023):
        # One entry registered on the enforcement day itself: it counts "at enforcement".
        yield ("2023-04-01" if first and organ == "市長" else f"20{10 + i % 12:02d}-0{4 + i % 6}-01"), None
        first = False
    for i in range(added_fy2023):
        yield f"2023-{6 + i % 6:02d}-15", None
    for i in range(before - after):
        # The last day of the FY is already "abolished at FY end" for the first one.
        yield old, "2025-03-31" if i == 0 else f"2024-{7 + i % 6:02d}-01"
    for i in range(after - before):
        yield ("2025-03-31" if i == 0 else f"2024-{5 + i % 6:02d}-10"), None
    for i in range(extra_abolished):
        yield old, "2024-03-31" if i == 0 else f"2023-{5 + i % 6:02d}-20"


def _jimu(rid: str, organ: str, code: str, registered: str, abolished: str | None) -> str:
    text = (f"id: {rid}\n事務の名称: {organ}の事務{rid[-3:]}\n実施機関: {organ}\n所管課: {code}\n"
            "事務の目的: 住民サービスの提供のため\n対象者の範囲: 市内に住所を有する者\n"
            "記録項目:\n  区分: [基本的事項]\n  項目: [氏名, 住所]\n要配慮個人情報: false\n"
            "収集方法:\n  本人から: true\n  本人以外から: false\n目的外利用・外部提供:\n  有無: false\n"
            f"記録の形態: 電算\n委託の有無: false\n登録年月日: {registered}\n")
    return text + (f"廃止年月日: {abolished}\n" if abolished else "")


def _file(rid: str, organ: str, code: str, jimu_id: str, registered: str, abolished: str | None,
          persons: int) -> str:
    text = (f"id: {rid}\n名称: {organ}のファイル{rid[-3:]}\n実施機関: {organ}\n所管課: {code}\n"
            "利用目的: 事務の処理のため\n記録項目: [氏名, 住所]\n記録範囲: 申請者\n収集方法: 本人からの申請\n"
            "要配慮個人情報: false\n条例要配慮個人情報: false\n経常的提供先: []\n種別: 電算処理ファイル\n令20条7項該当ファイル: 無\n"
            f"本人の数: {persons}\n事務: [{jimu_id}]\n登録年月日: {registered}\n")
    return text + (f"廃止年月日: {abolished}\n" if abolished else "")


def _write_registers(records: Path) -> None:
    (records / "jimu").mkdir()
    (records / "files").mkdir()
    jimu_of: dict[str, str] = {}
    for organ, (before, after) in JIMU.items():
        # 市長: 6 entries abolished during FY2023 and 1 added in it: 657 - 1 + 6 = 662 at enforcement.
        extra, added = (6, 1) if organ == "市長" else (0, 0)
        dates = list(_register_dates(before, after, organ, extra, added))
        if organ == "市長":  # never counted in any report year
            dates += [("2012-04-01", "2020-03-31"), ("2025-04-01", None), ("2026-05-01", None)]
        codes = _codes(organ)
        for i, (registered, abolished) in enumerate(dates):
            code = codes[i % len(codes)]
            rid = f"J-{code}-{i // len(codes) + 1:03d}"
            jimu_of.setdefault(organ, rid)
            (records / "jimu" / f"{rid}.yaml").write_text(_jimu(rid, organ, code, registered, abolished),
                                                          encoding="utf-8")
    for organ, (before, after) in FILES.items():
        # 市長: 4 files registered and 1 abolished during FY2023: 127 - 4 + 1 = 124 at enforcement.
        extra, added = (1, 4) if organ == "市長" else (0, 0)
        codes = _codes(organ)
        for i, (registered, abolished) in enumerate(_register_dates(before, after, organ, extra, added)):
            code = codes[i % len(codes)]
            rid = f"F-{code}-{i // len(codes) + 1:03d}"
            (records / "files" / f"{rid}.yaml").write_text(
                _file(rid, organ, code, jimu_of[organ], registered, abolished, 1000 + 37 * i),
                encoding="utf-8")


def _requests(fy: int) -> Iterator[tuple[str, str, str, list[tuple[str, list[str]]]]]:
    """(実施機関, 請求者キー, 受付日, decisions or ["取下げ"]) for every request of the FY."""
    for o_index, (organ, spec) in enumerate(DISCLOSURE[fy].items()):
        n, withdrawn = spec["requests"], spec["withdrawn"]
        decided = n - withdrawn
        buckets: list[list[tuple[str, list[str]]]] = [[] for _ in range(decided)]
        for i, decision in enumerate(spec["decisions"]):
            buckets[i % decided].append(decision)
        for i in range(n):
            # Keys differ between 実施機関 (資料1's 実人数 totals are the sums) and repeat within one.
            key = f"P{o_index + 1:02d}{i % spec['persons'] + 1:04d}"
            month = 4 + (i * 11) // n  # spread over April … February of the FY
            received = f"{fy + (month > 12):04d}-{(month - 1) % 12 + 1:02d}-{1 + i % 27:02d}"
            if i == 0 and organ == "市長":
                received = f"{fy}-04-01"  # first day of the FY
            if i == 1 and organ == "市長":
                received = f"{fy + 1}-03-31"  # last day: still this FY
            yield organ, key, received, (buckets[i] if i < decided else [])


def _decision_day(received: str) -> str:
    """Four weeks after the request: within the 30 days of 法83条1項, so no W-DISCLOSURE-LATE."""
    return (dt.date.fromisoformat(received) + dt.timedelta(days=28)).isoformat()


def _write_disclosure(records: Path) -> None:
    for fy in (2023, 2024):
        folder = records / "disclosure" / str(fy)
        folder.mkdir(parents=True)
        for n, (organ, key, received, decisions) in enumerate(_requests(fy), start=1):
            rid = f"R-{fy}-{n:04d}"
            code = _codes(organ)[n % len(_codes(organ))]
            lines = [f"id: {rid}", f"請求者キー: {key}", f"実施機関: {organ}", f"受付日: {received}"]
            if not decisions:
                lines += ["状態: 取下げ", f"取下げ日: {received}"]
            else:
                lines += ["状態: 決定済", "決定:"]
                for result, items in decisions:
                    lines += [f"  - 所管課: {code}", f"    決定日: {_decision_day(received)}",
                              f"    結果: {result}"]
                    if items:
                        lines.append(f"    不開示事由: [{', '.join(items)}]")
            (folder / f"{rid}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # FY2022 and FY2025 requests must not leak into the FY2023/FY2024 tables.
    for fy, received in ((2022, "2023-03-31"), (2025, "2025-04-01")):
        (records / "disclosure" / str(fy)).mkdir(parents=True)
        (records / "disclosure" / str(fy) / f"R-{fy}-0001.yaml").write_text(
            f"id: R-{fy}-0001\n請求者キー: P090001\n実施機関: 市長\n受付日: {received}\n状態: 決定済\n"
            f"決定:\n  - 所管課: D1101\n    決定日: {_decision_day(received)}\n    結果: 部分開示\n"
            "    不開示事由: [第1号]\n", encoding="utf-8")


def _write_usage(records: Path) -> None:
    (records / "usage").mkdir()
    lines = ["id: U-2024", "年度: 2024", "実績:"]
    for organ in ORGANS:
        inside, outside = USAGE_2024.get(organ, ((0, 0, 0, 0), (0, 0, 0, 0)))
        lines += [f"  - 実施機関: {organ}", "    目的外利用:"]
        lines += [f"      {g}: {v}" for g, v in zip(("法69条2項1号", "法69条2項2号", "法69条2項4号",
                                                     "その他の法令"), inside, strict=True)]
        lines.append("    外部提供:")
        lines += [f"      {g}: {v}" for g, v in zip(("法69条2項1号", "法69条2項3号", "法69条2項4号",
                                                     "その他の法令"), outside, strict=True)]
    (records / "usage" / "U-2024.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write(root: Path) -> Path:
    """Create the fixture repository at ``root`` (which must not hold records yet)."""
    shutil.copytree(PROJECT / "schemas", root / "schemas")
    records = root / "records"
    records.mkdir(parents=True)
    (records / "organization.yaml").write_text(_organization(), encoding="utf-8")
    (records / "settings.yaml").write_text(SETTINGS, encoding="utf-8")
    _write_registers(records)
    _write_disclosure(records)
    _write_usage(records)
    return root


def session_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture repository, written once per test session (shared by the report tests)."""
    root = tmp_path_factory.getbasetemp() / "report-seed"
    if not (root / "records" / "usage" / "U-2024.yaml").is_file():
        shutil.rmtree(root, ignore_errors=True)
        write(root)
    return root


_loaded: dict[Path, Repository] = {}


def session_repo(tmp_path_factory: pytest.TempPathFactory) -> Repository:
    """The loaded fixture repository, loaded once per session; tests must not modify it."""
    root = session_root(tmp_path_factory)
    if root not in _loaded:
        _loaded[root] = repository.load(root)
    return _loaded[root]


def record_path(text: str) -> str:
    """Where a record belongs under records/, from the id on its first line."""
    rid = text.split("\n", 1)[0].removeprefix("id: ").strip()
    kind = rid.split("-")[0]
    folder = {"J": "jimu", "F": "files", "U": "usage"}.get(kind)
    if folder:
        return f"{folder}/{rid}.yaml"
    return f"{ {'R': 'disclosure', 'C': 'contracts', 'I': 'incidents'}[kind]}/{rid.split('-')[1]}/{rid}.yaml"


def write_small(root: Path, *records: str, organs: list[str] | None = None, settings: str = SETTINGS) -> Path:
    """A small repository for focused tests: the project's schemas, an organisation with
    ``organs`` (one department D{n}101 each), settings, and the given records (YAML texts)."""
    organs = organs or ORGANS
    shutil.copytree(PROJECT / "schemas", root / "schemas")
    (root / "records").mkdir(parents=True)
    lines = ["id: organization", "自治体名: 八千代市", "実施機関:", *(f"  - 名称: {o}" for o in organs), "部署:"]
    for i, organ in enumerate(organs, start=1):
        lines += [f"  - コード: D{i}101", f"    名称: 第{i}課", "    部: 本部", f"    実施機関: {organ}",
                  "    有効期間開始: 2000-04-01"]
    (root / "records" / "organization.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "records" / "settings.yaml").write_text(settings, encoding="utf-8")
    for text in records:
        path = root / "records" / record_path(text)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def request(rid: str, organ: str, key: str, received: str, state: str = "決定済",
            decisions: tuple[tuple[str, list[str] | None], ...] = (), dept: str = "D1101") -> str:
    """YAML of one 開示請求; a decision's items None means the key is left out."""
    lines = [f"id: {rid}", f"請求者キー: {key}", f"実施機関: {organ}", f"受付日: {received}", f"状態: {state}"]
    if decisions:
        lines.append("決定:")
        for result, items in decisions:
            lines += [f"  - 所管課: {dept}", f"    決定日: {received}", f"    結果: {result}"]
            if items is not None:
                lines.append(f"    不開示事由: [{', '.join(items)}]")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # python tests/report_fixture.py DIR — to look at it by hand
    import sys

    print(write(Path(sys.argv[1])))
