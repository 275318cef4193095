"""A realistic synthetic corpus of N records for the benchmarks (a prefecture-sized 台帳).

The demo records under ``records/`` are the templates: every record type, real field shapes,
consistent references and dates that satisfy the cross-record rules. Copy ``c`` of the demo
re-numbers every id and re-maps every department code the same way inside the copy, so a
contract still names its 事務, an incident its 委託契約 and every code its department:

- serials move by ``c % SLOTS`` times the largest serial of that (type, department, FY) in the
  demo (J-D1501-003 → J-D1501-006 → …), disclosure numbers by ``c`` times the year's largest;
- every ``SLOTS`` copies use a new set of departments (D9000…, cloned from the demo ones with
  the same 実施機関 and validity), because incident serials have only two digits;
- free text grows to about ``RECORD_BYTES`` per file with seeded Japanese sentences in 備考,
  so every page and the search index carry distinct text.

Written once per (N, seed, templates) under ``benchmarks/out/`` (git-ignored) with the project's
schemas, docs and MkDocs configurations, so it is a complete repository: ``daicho validate``,
``mkdocs build`` and the public build run on it as they do on this one.

    python benchmarks/corpus.py 20000 [OUT]
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from daicho import repository, yamlio  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
RECORD_BYTES = 3600
SLOTS = 40
# Type order inside one copy: a partial last copy only refers to records already written.
ORDER = ["jimu", "file", "contract", "incident", "disclosure"]
SCHEMA_LINE = {"jimu": "../../schemas/jimu.json", "file": "../../schemas/file.json",
               "contract": "../../../schemas/contract.json", "incident": "../../../schemas/incident.json",
               "disclosure": "../../../schemas/disclosure.json"}
REGIONS = ["北部", "南部", "東部", "西部", "中部", "湾岸", "山間", "県央", "県北", "県南"]

_DEPT = re.compile(r"\bD[0-9]{4}\b")
_ID = {
    "jimu": re.compile(r"\bJ-(D[0-9]{4})-([0-9]{3})\b"),
    "file": re.compile(r"\bF-(D[0-9]{4})-([0-9]{3})\b"),
    "contract": re.compile(r"\bC-([0-9]{4})-(D[0-9]{4})-([0-9]{3})\b"),
    "incident": re.compile(r"\bI-([0-9]{4})-(D[0-9]{4})-([0-9]{2})\b"),
    "disclosure": re.compile(r"\bR-([0-9]{4})-([0-9]{4})\b"),
}

# Words of the 台帳's own register, put together into sentences that read like a 備考.
_SUBJECTS = ["本事務", "当該ファイル", "委託先", "所管課", "情報政策課", "受託者", "担当職員", "窓口",
             "システム管理者", "保護管理者", "監督職員", "再委託先", "指定管理者", "審査会", "会計年度任用職員"]
_OBJECTS = ["申請書", "台帳", "住民票の写し", "届出書", "通知書", "調査票", "名簿", "検診結果", "納税証明書",
            "個人番号カード", "健康診断票", "相談記録", "給付決定通知", "口座情報", "アンケート回答",
            "電子データ", "バックアップ媒体", "紙の原本", "複写物", "アクセスログ"]
_VERBS = ["施錠できる書庫で保管する", "年度末に廃棄の記録を作成する", "アクセス権限を定期的に見直す",
          "持ち出し簿により管理する", "暗号化した媒体で受け渡す", "二人で確認してから発送する",
          "保存期間の満了後に溶解処理する", "閲覧の都度ログを確認する", "委託契約書の特記仕様書に従う",
          "研修を受けた職員のみが取り扱う", "誤送付を防ぐため宛名を読み合わせる", "定期的に棚卸しを行う",
          "個人情報保護委員会の指針を踏まえて見直す", "外部記録媒体の使用を禁止する"]
_TIMES = ["毎年度", "四半期ごとに", "受付の都度", "月に一度", "契約の更新時に", "検査の前に", "年度当初に",
          "異動の際に", "必要に応じて", "事案の発生後直ちに"]


def sentence(rng: random.Random) -> str:
    return (f"{rng.choice(_TIMES)}、{rng.choice(_SUBJECTS)}は{rng.choice(_OBJECTS)}について"
            f"{rng.choice(_VERBS)}。")


@dataclass
class Corpus:
    root: Path
    records: int
    by_type: dict[str, int]
    bytes: int


def _templates(source: Path) -> tuple[dict[str, Any], dict[str, list[tuple[str, dict[str, Any]]]], list[tuple[str, bytes]]]:
    """(organization, {type: [(rel path, data)]}, [(rel path, raw) of the records copied as is])."""
    repo = repository.load(source)
    if repo.errors:
        raise SystemExit(f"the template records under {source} have errors; run daicho validate")
    by_type: dict[str, list[tuple[str, dict[str, Any]]]] = {t: [] for t in ORDER}
    verbatim = []
    for r in sorted(repo.records, key=lambda r: r.path):
        if r.type in by_type:
            by_type[r.type].append((r.path, r.data))
        elif r.type != "organization":
            verbatim.append((r.path, (source / r.path).read_bytes()))
    return repo.organization, by_type, verbatim


def _strides(by_type: dict[str, list[tuple[str, dict[str, Any]]]]) -> dict[tuple, int]:
    """The largest serial per (type, department[, FY]) and per disclosure FY."""
    out: dict[tuple, int] = {}
    for rtype, items in by_type.items():
        for _, data in items:
            m = _ID[rtype].fullmatch(data["id"])
            assert m, data["id"]
            *scope, serial = m.groups()
            key = (rtype, *scope)
            out[key] = max(out.get(key, 0), int(serial))
    return out


class _Mapper:
    """Re-numbers ids and re-maps department codes for copy ``c`` (consistently inside a copy)."""

    def __init__(self, c: int, strides: dict[tuple, int], dept_map: dict[str, str]) -> None:
        self.offset, self.c, self.strides, self.dept_map = c % SLOTS, c, strides, dept_map

    def dept(self, code: str) -> str:
        return self.dept_map.get(code, code)

    def _serial(self, key: tuple, serial: str, offset: int) -> str:
        width = len(serial)
        value = int(serial) + offset * self.strides.get(key, 1)
        if value >= 10 ** width:
            raise ValueError(f"corpus too large: serial of {key} exceeds {width} digits")
        return f"{value:0{width}d}"

    def text(self, s: str) -> str:
        s = _ID["jimu"].sub(lambda m: f"J-{self.dept(m[1])}-{self._serial(('jimu', m[1]), m[2], self.offset)}", s)
        s = _ID["file"].sub(lambda m: f"F-{self.dept(m[1])}-{self._serial(('file', m[1]), m[2], self.offset)}", s)
        s = _ID["contract"].sub(lambda m: f"C-{m[1]}-{self.dept(m[2])}-"
                                f"{self._serial(('contract', m[1], m[2]), m[3], self.offset)}", s)
        s = _ID["incident"].sub(lambda m: f"I-{m[1]}-{self.dept(m[2])}-"
                                f"{self._serial(('incident', m[1], m[2]), m[3], self.offset)}", s)
        s = _ID["disclosure"].sub(lambda m: f"R-{m[1]}-{self._serial(('disclosure', m[1]), m[2], self.c)}", s)
        return _DEPT.sub(lambda m: self.dept(m[0]), s)


def _organization(org: dict[str, Any], variants: int) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The demo organisation plus ``variants - 1`` cloned sets of departments; one code map per variant."""
    depts = org["部署"]
    taken = {d["コード"] for d in depts}
    maps: list[dict[str, str]] = [{}]
    out = dict(org, 部署=list(depts))
    code = 9000
    for v in range(1, variants):
        mapping = {}
        for d in depts:
            while f"D{code}" in taken:
                code += 1
            if code > 9999:
                raise ValueError("corpus too large: no department codes left")
            new = f"D{code}"
            taken.add(new)
            mapping[d["コード"]] = new
            region = REGIONS[(v - 1) % len(REGIONS)] + ("" if v <= len(REGIONS) else str((v - 1) // len(REGIONS) + 1))
            out["部署"].append(dict(d, コード=new, 部=f"{d.get('部') or d['実施機関']}（{region}）"))
        maps.append(mapping)
    return out, maps


def _pad(data: dict[str, Any], rtype: str, rng: random.Random) -> dict[str, Any]:
    size = len(yamlio.dump(data, SCHEMA_LINE[rtype]).encode("utf-8"))
    extra = []
    while size < RECORD_BYTES - 40:
        s = sentence(rng)
        extra.append(s)
        size += len(s.encode("utf-8"))
    if extra:
        note = "".join(extra)
        data = dict(data, 備考=f"{data['備考']}\n{note}" if data.get("備考") else note)
    return data


def _record_path(rtype: str, data: dict[str, Any]) -> str:
    rid = data["id"]
    folder = {"jimu": "jimu", "file": "files", "contract": "contracts", "incident": "incidents",
              "disclosure": "disclosure"}[rtype]
    if rtype in ("contract", "incident", "disclosure"):
        return f"records/{folder}/{rid.split('-')[1]}/{rid}.yaml"
    return f"records/{folder}/{rid}.yaml"


def _fingerprint(n: int, seed: int, source: Path) -> str:
    h = hashlib.sha256(f"{n}:{seed}:{RECORD_BYTES}:{SLOTS}".encode())
    h.update(Path(__file__).read_bytes())
    for p in sorted((source / "records").rglob("*.yaml")):
        h.update(p.as_posix().encode() + p.read_bytes())
    for p in sorted((source / "schemas").rglob("*")):
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


_SITE_FILES = ["mkdocs.yml", "mkdocs.public.yml"]
_SITE_DIRS = ["docs", "docs-public", "schemas"]


def generate(n: int, out: Path | None = None, *, seed: int = 8, source: Path = ROOT) -> Corpus:
    """Write (or reuse) a corpus of ``n`` records under ``out`` and describe it."""
    out = out or OUT / f"corpus-{n}"
    stamp = out / ".corpus.json"
    key = _fingerprint(n, seed, source)
    if stamp.is_file():
        meta = json.loads(stamp.read_text(encoding="utf-8"))
        if meta.get("key") == key:
            return Corpus(out, meta["records"], meta["by_type"], meta["bytes"])
    if out.exists():
        shutil.rmtree(out)
    org, by_type, verbatim = _templates(source)
    strides = _strides(by_type)
    per_copy = sum(len(v) for v in by_type.values())
    fixed = 1 + len(verbatim)
    copies = max(1, -(-(n - fixed) // per_copy))
    org_out, maps = _organization(org, -(-copies // SLOTS))

    files: dict[str, bytes] = {"records/organization.yaml": yamlio.dump(org_out, "../schemas/organization.json").encode()}
    files.update(dict(verbatim))
    counts = {"organization": 1}
    for rel, _ in verbatim:
        t = "settings" if rel.endswith("settings.yaml") else "usage"
        counts[t] = counts.get(t, 0) + 1
    rng = random.Random(seed)
    for c in range(copies):
        mapper = _Mapper(c, strides, maps[c // SLOTS])
        for rtype in ORDER:
            for _, template in by_type[rtype]:
                if len(files) >= n:
                    break
                data = json.loads(mapper.text(json.dumps(template, ensure_ascii=False)))
                data = _pad(data, rtype, rng)
                rel = _record_path(rtype, data)
                assert rel not in files, rel
                files[rel] = yamlio.dump(data, SCHEMA_LINE[rtype]).encode("utf-8")
                counts[rtype] = counts.get(rtype, 0) + 1

    out.mkdir(parents=True)
    for rel, raw in files.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(raw)
    for name in _SITE_FILES:
        shutil.copyfile(source / name, out / name)
    for name in _SITE_DIRS:
        shutil.copytree(source / name, out / name)
    total = sum(len(v) for v in files.values())
    stamp.write_text(json.dumps({"key": key, "records": len(files), "by_type": counts, "bytes": total}),
                     encoding="utf-8")
    return Corpus(out, len(files), counts, total)


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    corpus = generate(count, Path(sys.argv[2]) if len(sys.argv) > 2 else None)
    print(f"{corpus.records} records ({corpus.bytes / corpus.records:.0f} bytes each) in {corpus.root}: "
          f"{corpus.by_type}")
