"""What every page family shares: the autoescaped Jinja2 environment, the page wrapper, URLs,
and the per-build data derived once from the repository (git history, obligations, indexes).

Safety rule: record text reaches HTML only through Jinja2 with autoescape on, and the page's
Markdown is nothing but front matter and that one HTML block — no Markdown is ever built by
concatenating record text, so Markdown, attr_list or link syntax in a record stays literal text.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import posixpath
import re
import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from daicho import formatting, history
from daicho import rules as engine
from daicho.a11y import time_element
from daicho.dates import days_left_label, fiscal_year, fy_label, fy_span_label
from daicho.forms import Forms, load_forms
from daicho.registers import in_force, on_register
from daicho.render import search_meta
from daicho.repository import Department, Record, Repository, schema_dir_for
from daicho.rules import DONE, NOT_APPLICABLE, OPEN, OVERDUE, Obligation
from daicho.rules import disclosure as disclosure_rules
from daicho.rules.model import Context
from daicho.typemodel import TypeModel, model

# Where each record type's pages live (x-daicho ``page``; site paths are English so URLs stay
# plain ASCII) and what each type is called (x-daicho ``label``): views of the type model of the
# schemas being built (see use_types), kept as dicts for the templates and the adapters.
SECTION: dict[str, str] = {}
TYPE_LABEL: dict[str, str] = {}
_types: list[TypeModel] = []


def use_types(types: TypeModel) -> None:
    """Make ``types`` (the model of the repository being built) the one SECTION, TYPE_LABEL and
    record_title answer from. Called for every build, so an edited schema shows on the next."""
    SECTION.clear()
    SECTION.update(types.pages)
    TYPE_LABEL.clear()
    TYPE_LABEL.update(types.labels)
    _types[:] = [types]


use_types(model(schema_dir_for(Path(__file__).parent)))  # the schemas shipped with daicho, until a build
INSPECTION_KINDS = ("書面検査", "実地検査")
STATUS_CLASS = {DONE: "done", OPEN: "open", OVERDUE: "late", NOT_APPLICABLE: "na"}


# --- URLs ------------------------------------------------------------------------------------

def record_page(rtype: str, rid: str) -> str:
    return f"{SECTION[rtype]}/{rid}.md"


def dept_page(code: str) -> str:
    return f"departments/{code}.md"


def html_path(md_path: str) -> str:
    """The built file for a page (the site uses ``use_directory_urls: false``, so links also
    work when the built site is opened from disk)."""
    return md_path[: -len(".md")] + ".html"


def relative(from_md: str, to_md: str) -> str:
    """A link from one page to another, relative so the site works under any base path."""
    target = to_md if to_md.endswith(("/", ".js", ".css", ".html")) else html_path(to_md)
    start = posixpath.dirname(from_md) or "."
    return posixpath.relpath(target, start)


# --- formatting ------------------------------------------------------------------------------

def lines(value: Any) -> list[str]:
    """Text split into its lines (templates join them with <br>, each line escaped)."""
    if value is None:
        return []
    return str(value).splitlines() or [""]


def _flatten(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [s for v in node.values() for s in _flatten(v)]
    if isinstance(node, list):
        return [s for v in node for s in _flatten(v)]
    return [] if node is None else [str(node)]


ENV = Environment(
    loader=PackageLoader("daicho", "templates"),
    autoescape=True,  # every value is escaped unless a template marks it otherwise (none does)
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
# Every date on the site is a <time datetime> around the 和暦 with the 西暦 (a11y): one function,
# under both names templates use.
ENV.filters["date"] = ENV.filters["time"] = time_element
ENV.filters["fy"] = fy_label
ENV.filters["fy_span"] = fy_span_label
ENV.filters["lines"] = lines
ENV.filters["status_class"] = lambda s: STATUS_CLASS.get(s, "")
ENV.filters["remaining"] = days_left_label
ENV.filters["num"] = formatting.number  # the same on the public site
ENV.globals.update(TYPE_LABEL=TYPE_LABEL, SECTION=SECTION, record_page=record_page, dept_page=dept_page)


# --- per-build data ----------------------------------------------------------------------------

@dataclass(repr=False)
class Site:
    """Everything derived from (repository, today) that several page families need.

    Built once per build (see :func:`site_for`): one git log pass, one obligations run."""

    repo: Repository
    today: dt.date
    history: history.History = field(init=False)

    def __post_init__(self) -> None:
        self.history = history.load(self.repo.root)

    @cached_property
    def forms(self) -> Forms:
        return load_forms(self.repo.schema_dir)

    @cached_property
    def rules(self) -> tuple[list[Any] | None, str]:
        """(obligations, why-missing). The compliance engine is the one source of deadlines;
        the site never computes its own."""
        try:
            from daicho.rules import obligations  # type: ignore[attr-defined]
        except ImportError:
            return None, "期限管理の規則（daicho.rules）が導入されていないため、期限と状況は表示できません。"
        return list(obligations(self.repo, self.today)), ""

    @property
    def obligations(self) -> list[Any] | None:
        return self.rules[0]

    @cached_property
    def context(self) -> Context:
        """The engine's context for this day (record facts such as failed inspection items)."""
        return engine.context(self.repo, self.today)

    @cached_property
    def horizon(self) -> int:
        """Days ahead the dashboard looks: the engine's setting, the one ``daicho due`` uses."""
        return engine.dashboard_window(self.repo)

    def departments_of(self, ob: Obligation) -> list[str]:
        return engine.departments_of(self.repo, ob)

    @cached_property
    def open_duties_by_dept(self) -> dict[str, list[Obligation]]:
        """{department code: its open duties, most urgent first} for the 所管課 pages."""
        out: dict[str, list[Obligation]] = defaultdict(list)
        for ob in sorted((o for o in self.obligations or [] if o.is_open), key=engine.urgency):
            for code in self.departments_of(ob):
                out[code].append(ob)
        return out

    def duty_filters(self, obs: list[Obligation]) -> tuple[list[str], list[str], list[str]]:
        """The choices of a duties table's filters: kinds, department names, statuses."""
        kinds = list(dict.fromkeys(o.kind for o in obs))
        codes = {c for o in obs for c in self.departments_of(o)}
        depts = [self.dept_name(c) for c in sorted(codes, key=self.dept_sort_key)]
        statuses = [s for s in engine.STATUSES if any(o.status == s for o in obs)]
        return kinds, depts, statuses

    @cached_property
    def obligations_by_record(self) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = defaultdict(list)
        for ob in self.obligations or []:
            out[ob.record_id].append(ob)
        for obs in out.values():
            obs.sort(key=lambda o: (o.due or dt.date.max, o.kind))
        return out

    # -- departments and organs
    def dept(self, code: str) -> Department | None:
        return self.repo.departments.get(code)

    def dept_name(self, code: str) -> str:
        d = self.dept(code)
        return d.name if d else code

    def organ_of(self, code: str) -> str:
        d = self.dept(code)
        return d.organ if d else ""

    def organ_rank(self, organ: str) -> int:
        organs = self.repo.organs
        return organs.index(organ) if organ in organs else len(organs)

    def dept_sort_key(self, code: str) -> tuple[int, str]:
        return self.organ_rank(self.organ_of(code)), code

    # -- cross references (built once)
    @cached_property
    def files_by_jimu(self) -> dict[str, list[Record]]:
        out: dict[str, list[Record]] = defaultdict(list)
        for r in self.repo.of_type("file"):
            for j in r.data.get("事務", []):
                out[j].append(r)
        return out

    @cached_property
    def contracts_by_jimu(self) -> dict[str, list[Record]]:
        out: dict[str, list[Record]] = defaultdict(list)
        for r in self.repo.of_type("contract"):
            for j in r.data.get("事務", []):
                out[j].append(r)
        return out

    @cached_property
    def incidents_by_contract(self) -> dict[str, list[Record]]:
        out: dict[str, list[Record]] = defaultdict(list)
        for r in self.repo.of_type("incident"):
            if r.data.get("委託契約"):
                out[r.data["委託契約"]].append(r)
        return out

    @cached_property
    def by_dept(self) -> dict[str, dict[str, list[Record]]]:
        """{department code: {record type: [records]}} for the 所管課 pages."""
        out: dict[str, dict[str, list[Record]]] = defaultdict(lambda: defaultdict(list))
        for r in self.repo.records:
            for code in owners(r):
                out[code][r.type].append(r)
        return out

    def record_title(self, r: Record) -> str:
        return record_title(r)


def owners(r: Record) -> list[str]:
    """Department codes that own a record (所管課, 事務担当課, 発生部署, a request's 担当課)."""
    d = r.data
    if r.type in ("jimu", "file", "contract"):
        return [d["所管課"], *[c for c in d.get("事務担当課", []) if c != d["所管課"]]]
    if r.type == "incident":
        return list(dict.fromkeys(d["発生部署"]))
    if r.type == "disclosure":
        return disclosure_rules.departments(d)
    return []


def type_label(r: Record) -> str:
    """What kind of record it is; a request says which of the three it is (開示請求 …)."""
    if r.type == "disclosure":
        return disclosure_rules.request_kind(r.data)
    return TYPE_LABEL.get(r.type, r.type)


def record_title(r: Record) -> str:
    """What names a record on pages and in links: its x-daicho ``title`` field, else its kind
    (a request: 開示請求, 訂正請求 or 利用停止請求)."""
    info = _types[0].types.get(r.type)
    if info is None:
        return r.type
    return info.title_of(r.data) if info.title_field else type_label(r)


def entry_state(r: Record, today: dt.date) -> str:
    """現行 / 廃止 / 登録前 — the label for :func:`daicho.registers.in_force`."""
    if in_force(r, today):
        return "現行"
    return "登録前" if r.data["登録年月日"] > today.isoformat() else "廃止"


def contract_fy(r: Record) -> int:
    """The 年度 a contract belongs to: the one in its id and folder (C-<FY>-…)."""
    return int(r.id.split("-")[1])


def incident_fy(r: Record) -> int:
    return fiscal_year(r.data["判明日"])


ENV.globals["entry_state"] = entry_state
ENV.globals["type_label"] = type_label

_last: tuple[Any, dt.date, Site] | None = None


def site_for(repo: Repository, today: dt.date) -> Site:
    """The Site of this build: providers share it, so git and the rules run once per build."""
    global _last
    if _last is not None and _last[0]() is repo and _last[1] == today:
        return _last[2]
    use_types(model(repo.schema_dir))
    site = Site(repo, today)
    _last = (weakref.ref(repo), today, site)
    return site


# --- the page wrapper ----------------------------------------------------------------------------

_BLANK_LINES = re.compile(r"\n\s*\n")
_SPACES = re.compile(r"\s+")


def front_matter(title: str, **meta: object) -> str:
    """YAML front matter. The title is HTML-escaped here because MkDocs themes print
    ``page.meta.title`` without escaping; JSON string syntax is valid YAML and keeps any
    quote, colon or brace in a record literal."""
    # The theme's table of contents stays empty (headings live in the HTML block): hide it so
    # the tables get the width.
    items = {"title": html.escape(_SPACES.sub(" ", title).strip(), quote=True), "hide": ["toc"], **meta}
    body = "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in items.items())
    return f"---\n{body}---\n\n"


def render(md_path: str, template: str, title: str, site: Site, *, source: str | None = None,
           **context: Any) -> str:
    """One page: front matter plus the template's HTML as a single raw block."""
    body = ENV.get_template(f"site/{template}").render(
        title=title, site=site, today=site.today, page_path=md_path,
        href=lambda target: relative(md_path, target), search_attrs=_search_attrs(site, context), **context)
    # No blank line may split the block, or Markdown would treat what follows as Markdown.
    body = _BLANK_LINES.sub("\n", body).strip()
    meta = {"daicho_source": source} if source else {}
    return front_matter(title, **meta) + body + "\n"


def _search_attrs(site: Site, context: dict[str, Any]) -> dict[str, str]:
    """The search index's facets and ids of a record or department page."""
    r = context.get("record")
    if isinstance(r, Record):
        ids = [r.id] + ([str(r.data["整理番号"])] if r.data.get("整理番号") else [])
        facets = search_meta.record_facets(site, r, type_label(r), owners(r))
        return search_meta.attributes(facets, ids)
    dept = context.get("dept")
    if isinstance(dept, Department):
        return search_meta.attributes({"種別": "所管課", "実施機関": dept.organ, "所管課": dept.name}, [dept.code])
    return {}


def text_of(r: Record) -> str:
    """All of a record's text values, for tests and search diagnostics."""
    return " ".join(_flatten(r.data))


__all__ = ["ENV", "Markup", "Site", "dept_page", "in_force", "on_register", "record_page", "relative", "render",
           "site_for"]
