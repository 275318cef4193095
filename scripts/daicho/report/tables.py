"""The tables of 議題2 資料1 with the seed's labels, order, footnotes and blank-or-0 cells.

``build(repo, fy, compare)`` turns the counts of :mod:`daicho.report.counting` into
:class:`Table` objects; every renderer (md, html, csv, xlsx, site page) prints these and only
these, so all formats hold the same cells.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from daicho.dates import fiscal_year, fy_end, fy_label
from daicho.report import counting
from daicho.repository import Repository

SECTIONS = {
    1: "１ 個人情報取扱事務登録簿，個人情報ファイル簿の作成上状況",
    2: "２ 保有個人情報開示請求の処理状況",
    3: "３ 個人情報の目的外利用，外部提供の実績",
}
ORGAN_STUB = "市の機関"
TOTAL = "計"
ITEM_STUB = "含まれる不開示情報（個人情報保護法第78条該当号）"
NOTE_ENFORCEMENT = "※ 改正法施行時点の総件数は {n} 件"
NOTE_REQUESTS = ("※ １件の請求が複数の部署にまたがる場合や請求に対する決定内容が異なる場合があるため，"
                 "請求件数と処理状況の件数は一致しない場合があります。")
NOTE_REASONS = ("※ １件の部分開示決定等において，複数の不開示理由に該当する場合があるため，"
                "開示決定の処理件数とは一致しない場合があります。")
NOTE_PROVISION = "※ 件数は市の各機関が外部（他の市の機関を含む。）へ提供したものとなります。"

DISCLOSURE_COLUMNS: list[tuple[str, ...]] = [
    ("実人数",), ("請求件数",), ("処理状況", "取下げ"), ("処理状況", "全部開示"),
    ("処理状況", "部分開示"), ("処理状況", "不開示"), ("処理状況", "不開示（存否応答拒否）"),
    ("処理状況", "不開示（不存在）"), ("処理状況", "開示決定件数（取下げを除く）"),
]
BLANK = "空欄"
# The amended law's first 年度: a report leaves out an earlier comparison year (its tables would
# be zeros, as nothing was recorded under the new law) and says so.
LAW_FY = fiscal_year(counting.ENFORCEMENT_DAY)
NOTE_BEFORE_LAW = "{label}は改正法の施行（令和5年4月1日）前のため、{label}の表と列は載せていません。"
NUMBERS = "①②③④⑤⑥⑦⑧⑨"


@dataclass
class Row:
    label: str
    values: list[int]
    cells: list[str]  # as printed: "" where the report shows a blank
    total: bool = False


@dataclass
class Table:
    key: str  # stable id: anchors, sheet order, comparisons
    section: int
    number: str  # ① ② …
    title: str
    sheet: str  # XLSX sheet name (≤ 31 characters)
    stub: str
    columns: list[tuple[str, ...]]  # header path per value column
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}"

    def column_labels(self) -> list[str]:
        """One line of headers (CSV, Markdown): the header path joined by a space."""
        return [self.stub, *(" ".join(path) for path in self.columns)]

    def grid(self) -> list[list[str]]:
        """Header labels, then each row's label and printed cells."""
        return [self.column_labels(), *([r.label, *r.cells] for r in self.rows)]

    def cell(self, row_label: str, column: str) -> str:
        """The printed cell at a row label and a leaf column label (for tests and findings)."""
        index = [path[-1] for path in self.columns].index(column)
        return next(r.cells[index] for r in self.rows if r.label == row_label)


@dataclass
class Report:
    fy: int
    compare: int
    tables: list[Table]
    missing: list[str]  # Japanese notes for tables that could not be made
    in_progress: bool = False  # the FY had not ended on the day of the report

    @property
    def title(self) -> str:
        return f"運用状況 {fy_label(self.fy)}"

    @property
    def years(self) -> list[int]:
        """The years the report shows: the comparison year unless it predates the amended law."""
        return [y for y in (self.compare, self.fy) if y >= LAW_FY or y == self.fy]

    def sections(self) -> list[tuple[str, list[Table]]]:
        return [(heading, [t for t in self.tables if t.section == n]) for n, heading in SECTIONS.items()]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


Formatter = Callable[[int], str]


def _number(n: int) -> str:
    return str(n)


def _formatter(setting: str) -> Formatter:
    return (lambda n: "" if n == 0 else str(n)) if setting == BLANK else _number


def _row(label: str, values: list[int], fmt: Formatter, total: bool = False) -> Row:
    return Row(label, values, [fmt(v) for v in values], total)


def enforcement_totals(repo: Repository) -> dict[str, int]:
    """The register totals on the day the amended law took effect: as stated in the settings
    (a city that moved its registers later knows them from paper), else from the records' dates."""
    stated = repo.settings.get("運用状況", {}).get("改正法施行時点の総件数", {})
    return {t: stated.get(label, sum(counting.register_counts(repo, t, counting.ENFORCEMENT_DAY).values()))
            for t, label in (("jimu", "事務登録簿"), ("file", "ファイル簿"))}


def register_table(repo: Repository, type_name: str, fys: list[int], enforcement_total: int) -> Table:
    """The register counts at the end of each of ``fys`` (the comparison year, then the report's)."""
    number, title, sheet = (("①", "個人情報取扱事務登録簿", "1-① 事務登録簿") if type_name == "jimu"
                            else ("②", "個人情報ファイル簿", "1-② ファイル簿"))
    counts = [counting.register_counts(repo, type_name, fy_end(fy)) for fy in fys]
    table = Table(type_name, 1, number, title, sheet, ORGAN_STUB, [(f"{fy_label(fy)}末", "件数") for fy in fys])
    table.rows = [_row(o, [c[o] for c in counts], _number) for o in repo.organs]
    table.rows.append(_row(TOTAL, [sum(c.values()) for c in counts], _number, True))
    table.notes = [NOTE_ENFORCEMENT.format(n=enforcement_total)]
    return table


def disclosure_table(repo: Repository, fy: int, number: str, fmt: Formatter) -> Table:
    rows, total = counting.disclosure(repo, fy)
    outcomes = counting.vocabulary(repo).outcomes

    def values(r: counting.DisclosureRow) -> list[int]:
        return [r.persons, r.requests, r.withdrawn, *(r.outcomes[o] for o in outcomes),
                r.decisions]

    table = Table(f"disclosure-{fy}", 2, number, f"保有個人情報開示請求（{fy_label(fy)}）",
                  f"2-{number} 開示請求 {fy_label(fy)}", ORGAN_STUB, DISCLOSURE_COLUMNS)
    table.rows = [_row(o, values(r), fmt) for o, r in rows.items()]
    # 資料1 prints the 計 row in full even where the body is blank (計 … 0 … 64).
    table.rows.append(_row(TOTAL, values(total), _number, True))
    return table


def reasons_table(repo: Repository, fy: int, number: str, fmt: Formatter) -> Table:
    counts = counting.withholding_reasons(repo, fy)
    table = Table(f"reasons-{fy}", 2, number, f"部分開示決定等における不開示事由（{fy_label(fy)}）",
                  f"2-{number} 不開示事由 {fy_label(fy)}", ITEM_STUB,
                  [*((o,) for o in counting.WITHHOLDING), (TOTAL,)])
    for item, label in counting.vocabulary(repo).items.items():
        values = [counts[item][o] for o in counting.WITHHOLDING]
        table.rows.append(_row(f"{item} {label}".strip(), [*values, sum(values)], fmt))
    sums = [sum(r.values[i] for r in table.rows) for i in range(len(table.columns))]
    # Here 資料1 leaves a zero 計 cell blank too (計 17 _ 1 18).
    table.rows.append(_row(TOTAL, sums, fmt, True))
    return table


def usage_table(repo: Repository, fy: int, kind: str, fmt: Formatter,
                data: dict[str, dict[str, dict[str, int]]]) -> Table:
    grounds = counting.vocabulary(repo).grounds[kind]
    number, key, title = (("①", "usage", "個人情報の目的外利用") if kind == "目的外利用"
                          else ("②", "provision", "個人情報の外部提供"))
    table = Table(f"{key}-{fy}", 3, number, f"{title}（{fy_label(fy)}）",
                  f"3-{number} {kind} {fy_label(fy)}", ORGAN_STUB,
                  [*(("根拠法令", label) for label in grounds.values()), (TOTAL,)])
    for organ in repo.organs:
        values = [data[organ][kind][g] for g in grounds]
        table.rows.append(_row(organ, [*values, sum(values)], fmt))
    sums = [sum(r.values[i] for r in table.rows) for i in range(len(table.columns))]
    table.rows.append(_row(TOTAL, sums, fmt, True))
    if kind == "外部提供":
        table.notes = [NOTE_PROVISION]
    return table


def build(repo: Repository, fy: int, compare: int | None = None,
          enforcement: dict[str, int] | None = None, today: dt.date | None = None) -> Report:
    """All tables of 資料1 for ``fy`` compared with ``compare`` (default: the previous FY).

    ``enforcement`` gives the ※ totals "改正法施行時点" ({"jimu": 662, "file": 124}); by default
    they are counted from the registers' dates on the day the amended law took effect."""
    compare = fy - 1 if compare is None else compare
    settings = repo.settings.get("運用状況", {})
    disclosure_fmt = _formatter(settings.get("開示請求の0件", BLANK))
    usage_fmt = _formatter(settings.get("目的外利用の0件", "0"))
    totals = {**enforcement_totals(repo), **(enforcement or {})}

    fys = Report(fy, compare, [], []).years
    tables = [register_table(repo, "jimu", fys, totals["jimu"]),
              register_table(repo, "file", fys, totals["file"])]
    numbers = iter(NUMBERS)
    requests = [disclosure_table(repo, y, next(numbers), disclosure_fmt) for y in fys]
    reasons = [reasons_table(repo, y, next(numbers), disclosure_fmt) for y in fys]
    requests[-1].notes = [NOTE_REQUESTS]
    reasons[-1].notes = [NOTE_REASONS]
    tables += requests + reasons
    missing = [NOTE_BEFORE_LAW.format(label=fy_label(compare))] if compare not in fys else []
    data = counting.usage(repo, fy)
    if data is None:
        missing.append(f"{fy_label(fy)}の目的外利用・外部提供の件数の記録がないため、３の表は作成していません。")
    else:
        tables += [usage_table(repo, fy, kind, usage_fmt, data) for kind in counting.vocabulary(repo).grounds]
    return Report(fy, compare, tables, missing, today is not None and today <= fy_end(fy))
