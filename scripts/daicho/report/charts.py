"""Year-over-year bar charts, drawn at build time as inline SVG (no JavaScript).

A :class:`Chart` is data (categories × series); :func:`layout` turns it into plain
coordinates and the Jinja2 template ``report/charts.html`` draws them, autoescaping every
label. Each chart carries a ``<title>``/``<desc>`` for screen readers, a caption and its data
table.
"""

from __future__ import annotations

from dataclasses import dataclass

from daicho.dates import fy_label
from daicho.report import counting
from daicho.report.tables import Report
from daicho.repository import Repository

# Older year light, newer year dark: tells the years apart in grey print as well.
PALETTE = ("#9dc3e6", "#1f4e79", "#c55a11")
WIDTH, LABEL_W, VALUE_W = 680, 200, 56
BAR_H, BAR_GAP, GROUP_GAP, TOP = 14, 2, 12, 40


@dataclass
class Series:
    label: str
    values: list[int]


@dataclass
class Chart:
    key: str
    title: str
    caption: str
    unit: str
    categories: list[str]
    series: list[Series]

    @property
    def desc(self) -> str:
        parts = ["、".join(f"{s.label} {s.values[i]}{self.unit}" for s in self.series)
                 for i in range(len(self.categories))]
        return "。".join(f"{c}: {p}" for c, p in zip(self.categories, parts, strict=True)) + "。"


@dataclass
class Bar:
    x: float
    y: float
    w: float
    h: float
    fill: str
    value: int
    text_x: float


@dataclass
class Group:
    label: str
    label_y: float
    bars: list[Bar]


@dataclass
class Layout:
    width: int
    height: int
    label_x: int
    axis_x: int
    legend: list[tuple[float, str, str]]  # (x, fill, label)
    groups: list[Group]


def layout(chart: Chart) -> Layout:
    n = len(chart.series)
    group_h = n * (BAR_H + BAR_GAP) + GROUP_GAP
    top = max((v for s in chart.series for v in s.values), default=0) or 1
    scale = (WIDTH - LABEL_W - VALUE_W) / top
    groups = []
    for i, label in enumerate(chart.categories):
        y0 = TOP + i * group_h
        bars = []
        for j, s in enumerate(chart.series):
            w = s.values[i] * scale
            y = y0 + j * (BAR_H + BAR_GAP)
            bars.append(Bar(LABEL_W, y, round(w, 1), BAR_H, PALETTE[j % len(PALETTE)], s.values[i],
                            round(LABEL_W + w + 4, 1)))
        groups.append(Group(label, y0 + (n * (BAR_H + BAR_GAP)) / 2 + 4, bars))
    legend = [(LABEL_W + j * 150, PALETTE[j % len(PALETTE)], s.label) for j, s in enumerate(chart.series)]
    return Layout(WIDTH, TOP + len(chart.categories) * group_h, LABEL_W - 8, LABEL_W, legend, groups)


def _register_chart(report: Report, key: str, name: str) -> Chart:
    table = report.table(key)
    rows = [r for r in table.rows if not r.total]
    shown = "と".join(c[0] for c in table.columns)
    return Chart(f"chart-{key}", f"{name}の件数（年度末）", f"{name}の件数の推移（{shown}、実施機関別）",
                 "件", [r.label for r in rows],
                 [Series(" ".join(table.columns[c][:1]), [r.values[c] for r in rows])
                  for c in range(len(table.columns))])


def _disclosure_chart(report: Report) -> Chart:
    columns = list(range(1, 9))  # 請求件数 … 開示決定件数 (実人数 is not a count of requests)
    fys = report.years
    first = report.table(f"disclosure-{fys[0]}")
    series = []
    for fy in fys:
        total = report.table(f"disclosure-{fy}").rows[-1]
        series.append(Series(fy_label(fy), [total.values[c] for c in columns]))
    shown = "と".join(fy_label(fy) for fy in fys)
    return Chart("chart-disclosure", "開示請求の処理状況",
                 f"保有個人情報開示請求の件数と決定の内容（{shown}、全実施機関の計）",
                 "件", [first.columns[c][-1] for c in columns], series)


def _usage_chart(repo: Repository, report: Report) -> Chart | None:
    grounds_of = counting.vocabulary(repo).grounds
    categories = [f"{kind} {label.removeprefix('法第69条第2項')}"
                  for kind, grounds in grounds_of.items() for label in grounds.values()]
    series = []
    for fy in report.years:
        data = counting.usage(repo, fy)
        if data is not None:
            series.append(Series(fy_label(fy), [
                sum(data[o][kind][g] for o in repo.organs)
                for kind, grounds in grounds_of.items() for g in grounds]))
    if not series:
        return None
    shown = "と".join(s.label for s in series)
    return Chart("chart-usage", "目的外利用・外部提供の件数",
                 f"個人情報の目的外利用・外部提供の件数（{shown}、根拠別、全実施機関の計）", "件",
                 categories, series)


def build(repo: Repository, report: Report) -> list[Chart]:
    charts = [_register_chart(report, "jimu", "個人情報取扱事務登録簿"),
              _register_chart(report, "file", "個人情報ファイル簿"),
              _disclosure_chart(report)]
    usage = _usage_chart(repo, report)
    return charts + ([usage] if usage else [])
