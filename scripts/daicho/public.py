"""The public projection: the only data the public site and the downloads are built from.

The allow-list lives in the schemas: a property is public only if it carries ``x-public: true``
(and, inside an object or list, so does every level above it). Everything else — and every
record type without public properties — never leaves this module. The projection is checked
against a public schema derived from the same annotations, with ``additionalProperties: false``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator

from daicho import approval, rules, withholding
from daicho.registers import on_register
from daicho.repository import Record, Repository
from daicho.rules import facts
from daicho.typemodel import model, resolve

WITHHELD = "（法第75条第3項により記載しない）"
WITHHELD_SOME = "（一部の項目は、法第75条第3項により記載しない）"

# Values that are codes in the records and names in public: these become display strings.
_NAME_REFS = {"common.json#/$defs/部署コード", "common.json#/$defs/実施機関"}


def _is_public(schema: dict[str, Any]) -> bool:
    return schema.get("x-public") is True


def _resolved(schema: dict[str, Any], types_common: dict[str, Any]) -> dict[str, Any]:
    return resolve(schema, types_common.get("$defs", {}))


def public_schema(schema: dict[str, Any], common: dict[str, Any]) -> dict[str, Any] | None:
    """The schema of a projected value: public properties only, closed, names for codes."""
    if schema.get("$ref") in _NAME_REFS or (
        schema.get("type") == "array" and schema.get("items", {}).get("$ref") in _NAME_REFS
    ):
        return {"type": "array", "items": {"type": "string"}} if schema.get("type") == "array" \
            else {"type": "string"}
    schema = _resolved(schema, common)
    if schema.get("type") == "object" and "properties" in schema:
        props = {
            k: sub for k, v in schema["properties"].items()
            if _is_public(v) and (sub := public_schema(v, common)) is not None
        }
        return {"type": "object", "properties": props, "additionalProperties": False}
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        inner = public_schema(schema["items"], common)
        return {"type": "array", "items": inner or {}}
    keep = {k: schema[k] for k in ("type", "enum") if k in schema}
    return keep or {}


def public_keys(schema: dict[str, Any]) -> list[str]:
    """Top-level public property names, in schema order."""
    return [k for k, v in schema.get("properties", {}).items() if _is_public(v)]


@dataclass
class Projection:
    """What the public build may show, and nothing else."""

    municipality: str
    municipality_code: str
    updated: str | None
    organs: list[dict[str, str]]          # [{名称, 行政機関等の名称}] in table order
    files: list[dict[str, Any]]
    incidents: list[dict[str, Any]]
    jimu: list[dict[str, Any]]
    # The city's facts for the procedure and contact pages: the 開示請求窓口 (name, address) and
    # the settings' public 公開サイト block (telephone, hours, fees); nothing else of settings.
    procedure: dict[str, Any] = field(default_factory=dict)
    # What was added, changed and removed in the published ファイル簿: {日付, 種類, id, 名称}, newest first.
    changes: list[dict[str, str]] = field(default_factory=list)
    # "id: why" for each 公開要約 left out (not approved, changed since, dated after the build)
    left_out: list[str] = field(default_factory=list)


class _Projector:
    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        self.common = model(repo.schema_dir).common
        self.organ_names = {o["名称"]: o.get("行政機関等の名称", o["名称"])
                            for o in repo.organization.get("実施機関", [])}

    def name_of(self, ref: str, value: str) -> str:
        if ref.endswith("部署コード"):
            dept = self.repo.departments.get(value)
            return f"{dept.bu} {dept.name}".strip() if dept else value
        return self.organ_names.get(value, value)

    def project(self, value: Any, schema: dict[str, Any]) -> Any:
        ref = schema.get("$ref")
        if ref in _NAME_REFS:
            return self.name_of(ref, value)
        if schema.get("type") == "array" and schema.get("items", {}).get("$ref") in _NAME_REFS:
            return [self.name_of(schema["items"]["$ref"], v) for v in value]
        schema = _resolved(schema, self.common)
        if isinstance(value, dict) and "properties" in schema:
            return {
                k: self.project(value[k], sub)
                for k, sub in schema["properties"].items()
                if _is_public(sub) and k in value
            }
        if isinstance(value, list) and isinstance(schema.get("items"), dict):
            return [self.project(v, schema["items"]) for v in value]
        return value

    def record(self, record: Record) -> dict[str, Any]:
        return self.project(record.data, self.repo.types[record.type].schema)


def published_files(repo: Repository, today: dt.date) -> list[Record]:
    """ファイル簿 entries the law (法75条) and the city's settings put on the internet."""
    data = rules.rule_data(repo)
    return [r for r in repo.of_type("file") if _published(r, today, data, repo.settings)]


def _published(r: Record, today: dt.date, data: rules.RuleData, settings: dict[str, Any]) -> bool:
    d = r.data
    if not on_register(r, today):
        return False
    if any(w["部分"] == "全体" for w in d.get("公表しない部分", [])):
        return False
    # An unknown count (just imported, say) stays listed until shown to be small.
    return not facts.small_file_unlisted(data, settings, d)


class WithholdingError(ValueError):
    """A withheld part that matches nothing: the build stops rather than guess (fail closed)."""


def _withhold(record: Record, projected: dict[str, Any]) -> dict[str, Any]:
    """Apply 法75条3項: withheld parts are left out and marked; the reasons stay internal.
    Items are matched as `withholding.normalise` compares them; `daicho validate` reports a
    withheld item that matches none (E-WITHHOLD-NOMATCH), and this refuses to go on."""
    if any(True for _ in withholding.unmatched(record.data)):
        raise WithholdingError(f"{record.path}: 公表しない部分の記録項目が「記録項目」と一致しません"
                               f"（daicho validate で {withholding.CODE} の位置を確かめてください）")
    for part in record.data.get("公表しない部分", []):
        name = part["部分"]
        if name == "記録項目" and part.get("記録項目"):
            projected["記録項目"] = withholding.remove(projected["記録項目"], part["記録項目"]) + [WITHHELD_SOME]
        elif name in projected:
            projected[name] = [WITHHELD] if isinstance(projected[name], list) else WITHHELD
    return projected


def _procedure(repo: Repository, p: _Projector) -> dict[str, Any]:
    site_schema = repo.types["settings"].schema["properties"]["公開サイト"]
    limits = repo.settings.get("期限", {})
    return {
        **p.project(repo.settings.get("公開サイト", {}), site_schema),
        "窓口": repo.organization.get("開示請求窓口") or {},
        "期限": {"決定": limits.get("開示決定の日数", 30), "延長": limits.get("開示決定の延長日数", 30)},
    }


def changes(repo: Repository, p: _Projector, today: dt.date) -> list[dict[str, str]]:
    """The public ファイル簿's change log from the records' dates: added (登録年月日) and changed
    (変更年月日) for the files published today; removed for files that were published the day
    before their 廃止年月日. Only the date, the kind, the id and the published name leave here."""
    data = rules.rule_data(repo)
    out = []
    for r in published_files(repo, today):
        name = _withhold(r, p.record(r))["名称"]
        for key, kind in (("登録年月日", "追加"), ("変更年月日", "変更")):
            if r.data.get(key) and r.data[key] <= today.isoformat():
                out.append({"日付": r.data[key], "種類": kind, "id": r.id, "名称": name})
    for r in repo.of_type("file"):
        ended = r.data.get("廃止年月日")
        if not ended or ended > today.isoformat():
            continue
        before = dt.date.fromisoformat(ended) - dt.timedelta(days=1)
        if _published(r, before, data, repo.settings):
            out.append({"日付": ended, "種類": "削除", "id": r.id, "名称": _withhold(r, p.record(r))["名称"]})
    return sorted(out, key=lambda c: (c["日付"], c["id"], c["種類"]), reverse=True)


def project(repo: Repository, today: dt.date) -> Projection:
    p = _Projector(repo)
    files = []
    for r in published_files(repo, today):
        item = _withhold(r, p.record(r))
        item.setdefault("開示請求等受理組織", repo.organization.get("開示請求窓口"))
        if item["開示請求等受理組織"] is None:
            del item["開示請求等受理組織"]
        files.append(item)
    incidents, left_out = [], []
    for r in repo.of_type("incident"):
        if "公開要約" not in r.data:
            continue
        found = approval.problem(r.data["公開要約"], today)
        if found is None:
            incidents.append(p.record(r))
        else:
            left_out.append(f"{r.id}: {found[1]}")
    show_jimu = repo.settings.get("公表", {}).get("事務登録簿を公開", False)
    jimu = [p.record(r) for r in repo.of_type("jimu") if show_jimu and on_register(r, today)]
    dates = [d for f in files for d in (f.get("変更年月日"), f.get("登録年月日")) if d]
    org = repo.organization
    return Projection(
        municipality=org.get("自治体名", ""),
        municipality_code=org.get("全国地方公共団体コード", ""),
        updated=max(dates) if dates else None,
        organs=[{"名称": o["名称"], "行政機関等の名称": o.get("行政機関等の名称", o["名称"])}
                for o in org.get("実施機関", [])],
        files=files,
        incidents=incidents,
        jimu=jimu,
        procedure=_procedure(repo, p),
        changes=changes(repo, p, today),
        left_out=left_out,
    )


def check(repo: Repository, projection: Projection) -> list[str]:
    """Validate every projected item against its public schema; return problems (empty = ok)."""
    common = _Projector(repo).common
    problems = []
    for name, items in (("file", projection.files), ("incident", projection.incidents),
                        ("jimu", projection.jimu)):
        schema = public_schema(repo.types[name].schema, common)
        assert schema is not None
        validator = Draft202012Validator(schema)
        for item in items:
            for error in validator.iter_errors(item):
                problems.append(f"{name} {item.get('id', '')}: {error.message}")
    return problems
