"""Cross-record rules: they need the whole repository, so they run after every schema check.

Each rule is a small generator over schema-valid records and yields Issues with stable codes.
Messages name fields, ids and codes only, never a value that could be personal data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from operator import attrgetter
from typing import Any

from daicho import approval
from daicho.dates import TodayError, fiscal_year, fy_end, today
from daicho.model import Record, Repository
from daicho.result import Issue
from daicho.typemodel import model

Rule = Callable[["Repository"], Iterator[Issue]]
RULES: list[Rule] = []


_ORG_FILE = "records/organization.yaml"


def _stem(path: str) -> str:
    """``PurePosixPath(path).stem`` without pathlib (a third of these checks on a large tree)."""
    name = path.rsplit("/", 1)[-1]
    i = name.rfind(".")
    return name[:i] if 0 < i < len(name) - 1 else name


def _parent_name(path: str) -> str:
    """``PurePosixPath(path).parent.name`` for the normalised relative paths records have."""
    parts = path.split("/")
    return parts[-2] if len(parts) > 1 else ""


# The top-level fields the rules below read are declared per type in the schemas (x-daicho
# ``reads``): a rule that reads another field must add it there (tests/test_lint_summary.py).


def rule(fn: Rule) -> Rule:
    RULES.append(fn)
    return fn


def check(repo: Repository) -> list[Issue]:
    return [issue for fn in RULES for issue in fn(repo)]


@rule
def ids(repo: Repository) -> Iterator[Issue]:
    first: dict[str, Record] = {}
    # Types whose files live in records/<folder>/<FY>/ and whose id carries that FY.
    fy_folders = {t.name for t in model(repo.schema_dir).types.values() if t.fiscal_year_folders}
    for r in sorted(repo.records, key=attrgetter("path")):
        rid, stem = r.data["id"], _stem(r.path)
        if rid != stem:
            yield r.issue("E-ID-FILENAME", f"id「{rid}」がファイル名「{stem}」と一致しません", ("id",))
        if rid in first:
            yield r.issue("E-ID-DUPLICATE", f"id「{rid}」は {first[rid].path} でも使われています", ("id",))
        else:
            first[rid] = r
        if r.type in fy_folders:
            folder = _parent_name(r.path)
            year = rid.split("-")[1]
            if folder != year:
                yield r.issue("E-PATH-FY", f"id の年度「{year}」のフォルダ records/…/{year}/ に置いてください", ("id",))
    if repo.records and not repo.of_type("organization") and _ORG_FILE not in repo.unloaded:
        yield Issue("records/organization.yaml", 1, 1, "E-ORG-MISSING", "組織マスタ records/organization.yaml がありません")


@rule
def organization(repo: Repository) -> Iterator[Issue]:
    for r in repo.of_type("organization"):
        organs = set()
        for i, organ in enumerate(r.data["実施機関"]):
            if organ["名称"] in organs:
                yield r.issue("E-ORG-DUPLICATE", f"実施機関「{organ['名称']}」が重複しています", ("実施機関", i, "名称"))
            organs.add(organ["名称"])
        codes = set()
        for i, dept in enumerate(r.data["部署"]):
            if dept["コード"] in codes:
                yield r.issue("E-ORG-DUPLICATE", f"部署コード「{dept['コード']}」が重複しています", ("部署", i, "コード"))
            codes.add(dept["コード"])
            if dept["実施機関"] not in organs:
                yield r.issue("E-REF-ORGAN", f"実施機関「{dept['実施機関']}」は「実施機関」の一覧にありません",
                              ("部署", i, "実施機関"))
            end = dept.get("有効期間終了")
            if end and end < dept["有効期間開始"]:
                yield r.issue("E-DATE-ORDER", "有効期間終了が有効期間開始より前です", ("部署", i, "有効期間終了"))


def _department(repo: Repository, r: Record, path: tuple[str | int, ...], code: str,
                day: str | None, organ: str | None = None) -> Iterator[Issue]:
    if not repo.of_type("organization"):
        return  # missing or broken master: its own error says so, once
    dept = repo.departments.get(code)
    if dept is None:
        yield r.issue("E-REF-DEPARTMENT", f"部署コード「{code}」は組織マスタにありません", path)
        return
    if day and not dept.valid_on(day):
        yield r.issue("E-REF-DEPARTMENT-DATE",
                      f"部署コード「{code}」（{dept.name}）は {day} の時点で有効ではありません（組織マスタの有効期間）", path)
    if organ and dept.organ != organ:
        yield r.issue("E-REF-ORGAN", f"部署コード「{code}」（{dept.name}）は実施機関「{organ}」の部署ではありません", path)


def _outcomes(repo: Repository, d: dict[str, Any]) -> list[str]:
    """The outcomes a request of this kind may have (x-outcomes of 決定.結果 in the schema)."""
    result = repo.types["disclosure"].schema["properties"]["決定"]["items"]["properties"]["結果"]
    return list(result["x-outcomes"][d.get("請求の種類", "開示請求")])


def _organ(repo: Repository, r: Record, path: tuple[str | int, ...], organ: str) -> Iterator[Issue]:
    if repo.of_type("organization") and organ not in repo.organs:
        yield r.issue("E-REF-ORGAN", f"実施機関「{organ}」は組織マスタにありません", path)


def _refs(repo: Repository, r: Record, key: str, want: str, code: str, label: str,
          broken: set[str]) -> Iterator[Issue]:
    value = r.data.get(key)
    targets = value if isinstance(value, list) else ([value] if value else [])
    for i, target in enumerate(targets):
        found = repo.get(target)
        if found is None and target in broken:
            continue  # the target's file exists but has its own error
        if found is None or found.type != want:
            path = (key, i) if isinstance(value, list) else (key,)
            yield r.issue(code, f"{label}「{target}」が見つかりません", path)


@rule
def references(repo: Repository) -> Iterator[Issue]:
    broken = {_stem(p) for p in repo.unloaded}  # ids of files that exist but did not load
    for r in repo.of_type("jimu"):
        d = r.data
        yield from _organ(repo, r, ("実施機関",), d["実施機関"])
        yield from _department(repo, r, ("所管課",), d["所管課"], d["登録年月日"], d["実施機関"])
        for i, code in enumerate(d.get("事務担当課", [])):
            yield from _department(repo, r, ("事務担当課", i), code, d["登録年月日"])
    for r in repo.of_type("file"):
        d = r.data
        yield from _organ(repo, r, ("実施機関",), d["実施機関"])
        yield from _department(repo, r, ("所管課",), d["所管課"], d["登録年月日"], d["実施機関"])
        yield from _refs(repo, r, "事務", "jimu", "E-REF-JIMU", "事務", broken)
    for r in repo.of_type("contract"):
        yield from _department(repo, r, ("所管課",), r.data["所管課"], r.data["契約日"])
        yield from _refs(repo, r, "事務", "jimu", "E-REF-JIMU", "事務", broken)
        for i, jimu_id in enumerate(r.data.get("事務", [])):
            jimu = repo.get(jimu_id)
            if jimu is not None and jimu.type == "jimu" and not jimu.data["委託の有無"]:
                yield r.issue("W-JIMU-ITAKU", f"事務「{jimu_id}」は「委託の有無: false」になっています", ("事務", i),
                              severity="warning")
    for r in repo.of_type("incident"):
        for i, code in enumerate(r.data["発生部署"]):
            yield from _department(repo, r, ("発生部署", i), code, r.data["判明日"])
        yield from _refs(repo, r, "委託契約", "contract", "E-REF-CONTRACT", "委託契約", broken)
    for r in repo.of_type("disclosure"):
        yield from _organ(repo, r, ("実施機関",), r.data["実施機関"])
        for i, code in enumerate(r.data.get("保有課", [])):
            yield from _department(repo, r, ("保有課", i), code, r.data["受付日"])
        outcomes = _outcomes(repo, r.data)
        for i, decision in enumerate(r.data.get("決定", [])):
            yield from _department(repo, r, ("決定", i, "所管課"), decision["所管課"], decision["決定日"])
            if decision["結果"] not in outcomes:
                yield r.issue("E-DISCLOSURE-OUTCOME",
                              f"{r.data.get('請求の種類', '開示請求')}の決定の結果は"
                              f"{'・'.join(outcomes)}のいずれかです", ("決定", i, "結果"))
    for r in repo.of_type("usage"):
        seen: set[str] = set()
        for i, row in enumerate(r.data["実績"]):
            yield from _organ(repo, r, ("実績", i, "実施機関"), row["実施機関"])
            if row["実施機関"] in seen:
                yield r.issue("E-USAGE-DUPLICATE", f"実施機関「{row['実施機関']}」の行が重複しています", ("実績", i, "実施機関"))
            seen.add(row["実施機関"])
        if r.id != f"U-{r.data['年度']}":
            yield r.issue("E-ID-FY", f"id は年度に合わせて「U-{r.data['年度']}」にしてください", ("年度",))


def _order(r: Record, pairs: list[tuple[tuple[str | int, ...], str, tuple[str | int, ...], str]]
           ) -> Iterator[Issue]:
    """Each (earlier path, label, later path, label): both present ⇒ earlier ≤ later."""
    data = r.data
    for a_path, a_label, b_path, b_label in pairs:
        b = _get(data, b_path)  # the later date first: mostly an optional one, mostly absent
        if not isinstance(b, str):
            continue
        a = _get(data, a_path)
        if isinstance(a, str) and b < a:
            yield r.issue("E-DATE-ORDER", f"「{b_label}」が「{a_label}」より前になっています", b_path)


def _get(data: object, path: tuple[str | int, ...]) -> object:
    if len(path) == 1 and isinstance(data, dict):  # most paths: a top-level field
        return data.get(path[0])
    for part in path:
        if isinstance(part, int):
            data = data[part] if isinstance(data, list) and part < len(data) else None
        else:
            data = data.get(part) if isinstance(data, dict) else None
    return data


_REGISTER_DATES = [(("登録年月日",), "登録年月日", ("廃止年月日",), "廃止年月日"),
                   (("登録年月日",), "登録年月日", ("変更年月日",), "変更年月日")]
_CONTRACT_DATES = [(("契約日",), "契約日", ("履行期間", "開始"), "履行期間の開始"),
                   (("履行期間", "開始"), "履行期間の開始", ("履行期間", "終了"), "履行期間の終了")]
_INCIDENT_DATES = [
    (("発生日",), "発生日", ("判明日",), "判明日"),
    (("判明日",), "判明日", ("個人情報保護委員会への報告", "速報日"), "速報日"),
    (("個人情報保護委員会への報告", "速報日"), "速報日", ("個人情報保護委員会への報告", "確報日"), "確報日"),
    (("判明日",), "判明日", ("個人情報保護委員会への報告", "確報日"), "確報日"),
]
_WITHDRAWAL = [(("受付日",), "受付日", ("取下げ日",), "取下げ日")]


@rule
def date_order(repo: Repository) -> Iterator[Issue]:
    for r in repo.of_type("jimu") + repo.of_type("file"):
        yield from _order(r, _REGISTER_DATES)
    for r in repo.of_type("contract"):
        d = r.data
        yield from _order(r, _CONTRACT_DATES)
        start, end = d["履行期間"]["開始"], d["履行期間"]["終了"]
        last = fy_end(fiscal_year(end)).isoformat() if end >= start else end
        for i, insp in enumerate(d.get("検査", [])):
            if not start <= insp["実施日"] <= last:
                yield r.issue("E-DATE-RANGE", "検査の実施日が履行期間（終了日の属する年度末まで）の外です",
                              ("検査", i, "実施日"))
            yield from _order(r, [(("検査", i, "実施日"), "検査の実施日", ("検査", i, "結果通知日"), "結果通知日"),
                                  (("検査", i, "改善報告書", "依頼日"), "改善報告書の依頼日",
                                   ("検査", i, "改善報告書", "受理日"), "改善報告書の受理日")])
        for i, _ in enumerate(d.get("再委託", [])):
            yield from _order(r, [(("再委託", i, "申請日"), "申請日", ("再委託", i, "承諾日"), "承諾日")])
    for r in repo.of_type("incident"):
        yield from _order(r, _INCIDENT_DATES)
    for r in repo.of_type("disclosure"):
        for i, _ in enumerate(r.data.get("決定", [])):
            yield from _order(r, [(("受付日",), "受付日", ("決定", i, "決定日"), "決定日")])
        yield from _order(r, _WITHDRAWAL)


@rule
def summary_approval(repo: Repository) -> Iterator[Issue]:
    """A 公開要約 the public build would leave out (not approved, changed since, dated ahead)."""
    try:
        day = today()
    except TodayError:
        day = None  # the build refuses a bad DAICHO_TODAY itself; the other checks still run
    for r in repo.of_type("incident"):
        summary = r.data.get("公開要約")
        found = approval.problem(summary, day) if summary else None
        if found is not None:
            code, message, field = found
            yield r.issue(code, message, ("公開要約", field) if field else ("公開要約",), key=not field,
                          severity="warning")
