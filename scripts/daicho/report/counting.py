"""The counting rules of the annual 運用状況 report (議題2 資料1), in one place.

Every number of the report, the charts, the site page and the consistency findings comes from
these functions; nothing else counts records. They read schema-valid records only and ignore
rows of 実施機関 that are not in the organisation master (``daicho validate`` reports those).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from daicho.dates import fiscal_year
from daicho.registers import on_register
from daicho.repository import Record, Repository
from daicho.rules.disclosure import DEFAULT_REQUEST as DISCLOSURE
from daicho.rules.disclosure import request_kind

# 令和3年改正法 (the rules for local governments) took effect on this day; the seed's ※ note
# gives the register totals "改正法施行時点".
ENFORCEMENT_DAY = dt.date(2023, 4, 1)

# Outcomes that withhold something and therefore rely on 法78条1項 items (法82条1項, 81条).
WITHHOLDING = ("部分開示", "不開示", "不開示（存否応答拒否）")


@dataclass(frozen=True)
class Vocabulary:
    """The words the report counts by, read from the schemas so a city edits them there."""

    outcomes: tuple[str, ...]                 # 決定.結果, in the table's column order
    items: dict[str, str]                     # 不開示事由 code → printed label (第1号 → 開示請求者…)
    grounds: dict[str, dict[str, str]]        # 目的外利用 / 外部提供 → {ground key: printed label}


def vocabulary(repo: Repository) -> Vocabulary:
    decision = repo.types["disclosure"].schema["properties"]["決定"]["items"]["properties"]
    reasons = decision["不開示事由"]["items"]
    row = repo.types["usage"].schema["properties"]["実績"]["items"]["properties"]
    return Vocabulary(
        outcomes=tuple(decision["結果"]["x-outcomes"][DISCLOSURE]),
        items={code: reasons.get("x-labels", {}).get(code, "") for code in reasons["enum"]},
        grounds={kind: {k: v.get("title", k) for k, v in row[kind]["properties"].items()}
                 for kind in ("目的外利用", "外部提供")},
    )


def register_counts(repo: Repository, type_name: str, day: dt.date) -> dict[str, int]:
    """事務 (``jimu``) or ファイル簿 (``file``) entries in force at ``day``, per 実施機関."""
    counts = dict.fromkeys(repo.organs, 0)
    for r in repo.of_type(type_name):
        organ = r.data["実施機関"]
        if organ in counts and on_register(r, day):
            counts[organ] += 1
    return counts


def requests_of(repo: Repository, fy: int) -> list[Record]:
    """開示請求 received in ``fy`` (by 受付日) under a known 実施機関 (the report counts no
    訂正・利用停止請求: 資料1 §2 is about disclosure)."""
    organs = set(repo.organs)
    return [r for r in repo.of_type("disclosure")
            if fiscal_year(r.data["受付日"]) == fy and r.data["実施機関"] in organs
            and request_kind(r.data) == DISCLOSURE]


@dataclass
class DisclosureRow:
    """One row of §2①②: the 実施機関's requests and decisions in a FY."""
    keys: set[str] = field(default_factory=set)
    requests: int = 0
    withdrawn: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)

    @property
    def persons(self) -> int:
        return len(self.keys)

    @property
    def decisions(self) -> int:
        return sum(self.outcomes.values())

    def add(self, request: Record) -> None:
        self.keys.add(request.data["請求者キー"])
        self.requests += 1
        self.withdrawn += request.data["状態"] == "取下げ"
        self.outcomes.update(d["結果"] for d in request.data.get("決定", []))

    def merge(self, other: DisclosureRow) -> None:
        self.keys |= other.keys
        self.requests += other.requests
        self.withdrawn += other.withdrawn
        self.outcomes.update(other.outcomes)


def disclosure(repo: Repository, fy: int) -> tuple[dict[str, DisclosureRow], DisclosureRow]:
    """§2①②: per 実施機関, and the total row (実人数 = distinct keys over the whole FY)."""
    rows = {organ: DisclosureRow() for organ in repo.organs}
    for r in requests_of(repo, fy):
        rows[r.data["実施機関"]].add(r)
    total = DisclosureRow()
    for row in rows.values():
        total.merge(row)
    return rows, total


def withholding_reasons(repo: Repository, fy: int) -> dict[str, Counter[str]]:
    """§2③④: for each 法78条1項 item, how many withholding decisions relied on it, per outcome.
    A decision citing several items counts once under each of them."""
    table: dict[str, Counter[str]] = {item: Counter() for item in vocabulary(repo).items}
    for r in requests_of(repo, fy):
        for d in r.data.get("決定", []):
            if d["結果"] in WITHHOLDING:
                for item in d.get("不開示事由", []):
                    table[item][d["結果"]] += 1
    return table


def usage(repo: Repository, fy: int) -> dict[str, dict[str, dict[str, int]]] | None:
    """§3: {実施機関: {"目的外利用": {ground: n}, "外部提供": {…}}} from records/usage/U-<fy>.yaml,
    or None when that FY has no usage record (then §3 cannot be reported)."""
    record = repo.get(f"U-{fy}")
    if record is None or record.type != "usage":
        return None
    grounds_of = vocabulary(repo).grounds
    out = {organ: {kind: dict.fromkeys(grounds, 0) for kind, grounds in grounds_of.items()}
           for organ in repo.organs}
    for row in record.data["実績"]:
        if row["実施機関"] in out:
            for kind, grounds in grounds_of.items():
                out[row["実施機関"]][kind] = {g: row[kind][g] for g in grounds}
    return out


def fiscal_years_with_data(repo: Repository) -> list[int]:
    """FYs that have 開示請求 or a usage record: the years a report page is made for."""
    years = {fiscal_year(r.data["受付日"]) for r in repo.of_type("disclosure")}
    years |= {r.data["年度"] for r in repo.of_type("usage")}
    return sorted(years)
