"""Zero-leak proof for the public build (issue 5): canaries in every non-public field.

The list of non-public fields is derived from the schemas (``x-public``), so a field added
later is covered without touching this test. Canaries go into free-text fields (a string
without enum, pattern, format or code reference) and distinctive numbers into integer fields;
a coded value (a date, an enum word) cannot be told apart from the same value elsewhere.
"""

from __future__ import annotations

import gzip
import io
import json
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from daicho import yamlio

ROOT = Path(__file__).resolve().parent.parent
CANARY_NUMBER = 7_654_321


def _common() -> dict[str, Any]:
    return json.loads((ROOT / "schemas" / "common.json").read_text(encoding="utf-8"))


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref", "")
    if ref.startswith("common.json#/$defs/"):
        return {**_common()["$defs"][ref.rsplit("/", 1)[1]], **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def _free_text(schema: dict[str, Any]) -> bool:
    if "$ref" in schema:  # a shared definition is a code or a name other records refer to
        return False
    s = schema
    return s.get("type") == "string" and not ({"enum", "pattern", "format", "const"} & set(s))


def plant(data: dict[str, Any], schema: dict[str, Any], label: str, public: bool,
          found: list[str]) -> None:
    """Put a unique canary into every non-public free-text (and integer) field below ``data``,
    creating optional strings where missing; recurse into existing objects and list items."""
    for key, prop in schema.get("properties", {}).items():
        prop_public = public and prop.get("x-public") is True
        s = _resolve(prop)
        where = f"{label}.{key}"
        if key == "id":
            continue
        if not prop_public and _free_text(prop):
            data[key] = f"CANARY{len(found):03d}"
            found.append(data[key])
        elif not prop_public and s.get("type") == "integer" and key in data and "$ref" not in prop \
                and "maximum" not in s:
            data[key] = CANARY_NUMBER
        elif s.get("type") == "object" and isinstance(data.get(key), dict):
            plant(data[key], s, where, prop_public, found)
        elif s.get("type") == "array" and isinstance(data.get(key), list):
            items = _resolve(s.get("items", {}))
            if items.get("type") == "object":
                for item in data[key]:
                    plant(item, items, where, prop_public, found)
            elif not prop_public and _free_text(items):
                data[key] = [f"CANARY{len(found):03d}"]
                found.append(data[key][0])


# (記録項目 as the entry lists it, the same item as 公表しない部分 names it): spellings the site
# treats as one (NFKC, case, spacing) must withhold the item in every output (issue 13 §1).
NEAR_MISSES = [
    ("CANARY-WITHHELD-ITEM", "CANARY-WITHHELD-ITEM"),
    ("CANARY-WITHHELD-WIDTH", "ＣＡＮＡＲＹ－ＷＩＴＨＨＥＬＤ－ＷＩＤＴＨ"),
    ("ＣＡＮＡＲＹ－ＷＩＴＨＨＥＬＤ－ＲＥＶＥＲＳＥ", "CANARY-WITHHELD-REVERSE"),
    ("CANARY-WITHHELD-CASE", "canary-withheld-case"),
    ("CANARY WITHHELD SPACE", "CANARY　WITHHELD SPACE "),
    ("CANARYＨＩＶ検査結果", "canary HIV検査 結果"),
]


def _schema(name: str) -> dict[str, Any]:
    return json.loads((ROOT / "schemas" / f"{name}.json").read_text(encoding="utf-8"))


def _rewrite(path: Path, data: dict[str, Any]) -> None:
    path.write_text(yamlio.dump(data), encoding="utf-8")


def _load(path: Path) -> dict[str, Any]:
    return yamlio.load_bytes(path.read_bytes()).data


def planted_repo(tmp: Path) -> tuple[Path, list[str]]:
    """A copy of the project whose records carry canaries in every non-public field."""
    repo = tmp / "repo"
    for name in ("records", "schemas", "docs-public"):
        shutil.copytree(ROOT / name, repo / name)
    shutil.copy(ROOT / "mkdocs.public.yml", repo)
    canaries: list[str] = []
    for path in sorted((repo / "records").rglob("*.yaml")):
        folder = path.relative_to(repo / "records").parts[0]
        name = path.stem if folder.endswith(".yaml") else folder
        rtype = {"jimu": "jimu", "files": "file", "contracts": "contract", "incidents": "incident",
                 "disclosure": "disclosure", "usage": "usage"}.get(name)
        if rtype is None:
            continue
        data = _load(path)
        plant(data, _schema(rtype), rtype, True, canaries)
        for part in data.get("公表しない部分", []):  # a withheld item must be one of the entry's
            data["記録項目"] += part.get("記録項目", [])
        _rewrite(path, data)
    # A withheld 記録項目 (法75条3項) on a published file, and its reason.
    files = sorted((repo / "records" / "files").glob("*.yaml"))
    published = next(p for p in files if "適用除外" not in _load(p) and "廃止年月日" not in _load(p)
                     and not _load(p).get("公表しない部分"))
    data = _load(published)
    data["記録項目"] += [item for item, _ in NEAR_MISSES]
    data["公表しない部分"] = [{"部分": "記録項目", "記録項目": [withheld for _, withheld in NEAR_MISSES],
                          "理由": "CANARY-WITHHELD-REASON"}]
    _rewrite(published, data)
    canaries += [form for item, _ in NEAR_MISSES for form in {item, unicodedata.normalize("NFKC", item)}]
    canaries.append("CANARY-WITHHELD-REASON")
    # An incident whose summary is not approved: nothing of it may appear, not even its title.
    incidents = sorted((repo / "records" / "incidents").rglob("*.yaml"))
    unapproved = next(p for p in incidents if "公開要約" not in _load(p))
    data = _load(unapproved)
    data["件名"] = "CANARY-UNAPPROVED-TITLE"
    _rewrite(unapproved, data)
    canaries.append("CANARY-UNAPPROVED-TITLE")
    return repo, canaries


def build_public(repo: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.public.yml"],
                          cwd=repo, capture_output=True, text=True, timeout=600,
                          env={**__import__("os").environ, "DAICHO_TODAY": "2026-11-26"})


def output_texts(site: Path) -> Iterator[tuple[str, str]]:
    """Every file of the build as text, gzip and XLSX (zip) members unpacked."""
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        raw = path.read_bytes()
        rel = str(path.relative_to(site))
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        elif raw[:4] == b"PK\x03\x04":
            with zipfile.ZipFile(io.BytesIO(raw)) as z:
                for member in z.namelist():
                    yield f"{rel}:{member}", z.read(member).decode("utf-8", "replace")
            continue
        yield rel, raw.decode("utf-8", "replace")


def leaks(site: Path, canaries: list[str], *, counts_published: bool = False) -> list[str]:
    """Canaries found in the build. With ``counts_published`` (運用状況を公開: true) the 運用状況
    pages and the search index may hold the planted numbers, summed into the published counts."""
    numbers = {str(CANARY_NUMBER), f"{CANARY_NUMBER:,}"}
    found = []
    for rel, text in output_texts(site):
        aggregate = counts_published and rel.startswith(("report/", "search-index/"))
        for c in [*canaries, *([] if aggregate else numbers)]:
            if c in text:
                found.append(f"{c} in {rel}")
    return found


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    return planted_repo(tmp_path_factory.mktemp("public"))


def publish_report(repo: Path, on: bool) -> None:
    """Set 公表.運用状況を公開 in the copy's settings."""
    path = repo / "records" / "settings.yaml"
    data = _load(path)
    data["公表"]["運用状況を公開"] = on
    _rewrite(path, data)


def test_no_canary_reaches_the_public_build(planted: tuple[Path, list[str]]) -> None:
    repo, canaries = planted
    assert len(canaries) > 100  # every record type contributed
    publish_report(repo, False)
    result = build_public(repo)
    assert result.returncode == 0, result.stderr[-3000:]
    site = repo / "site-public"
    texts = dict(output_texts(site))
    assert any("filebook.csv" in k for k in texts) and any(k.startswith("search-index/p/") for k in texts)
    assert leaks(site, canaries) == []
    assert "changes.html" in texts and "changes.xml" in texts  # the change log is scanned too
    # 運用状況を公開: false — no report page, no menu entry, nothing of it in search.
    assert not [k for k in texts if k.startswith("report/")]
    assert not [k for k, t in texts.items() if "report/index.html" in t or "運用状況" in t], \
        [k for k, t in texts.items() if "運用状況" in t][:5]
    # The public items themselves are there: the build is not trivially empty.
    csv_text = texts["downloads/filebook.csv"]
    assert "個人情報ファイルの名称" in csv_text and csv_text.count("\r\n") > 5


def test_published_report_pages_hold_counts_only(planted: tuple[Path, list[str]], tmp_path: Path) -> None:
    """運用状況を公開: true — the report pages are built, in the menu and in search, and carry the
    counts (aggregates of the planted numbers) but no text of any record."""
    repo = tmp_path / "on"
    shutil.copytree(planted[0], repo, ignore=shutil.ignore_patterns("site-public"))
    publish_report(repo, True)
    result = build_public(repo)
    assert result.returncode == 0, result.stderr[-3000:]
    site = repo / "site-public"
    texts = dict(output_texts(site))
    report_pages = sorted(k for k in texts if k.startswith("report/"))
    assert "report/index.html" in report_pages and len(report_pages) >= 2
    assert 'href="report/index.html"' in texts["index.html"]
    assert any("運用状況" in t for k, t in texts.items() if k.startswith("search-index/"))
    assert leaks(site, planted[1], counts_published=True) == []
    published = "".join(texts[k] for k in report_pages)
    assert "確認事項" not in published and "records/" not in published  # findings and file names stay internal


def test_a_deliberate_leak_is_detected(planted: tuple[Path, list[str]], tmp_path: Path) -> None:
    """Mark one internal field public in the copy's schema: the canary scan must catch it."""
    repo, canaries = planted
    leaky = tmp_path / "leaky"
    shutil.copytree(repo, leaky, ignore=shutil.ignore_patterns("site-public"))
    schema_path = leaky / "schemas" / "file.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    # 本人の数 (internal) becomes a column of the sheets and downloads, carrying the planted number.
    schema["properties"]["本人の数"]["x-public"] = True
    schema_path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    result = build_public(leaky)
    if result.returncode == 0:
        assert any(str(CANARY_NUMBER) in f or f"{CANARY_NUMBER:,}" in f for f in leaks(leaky / "site-public", canaries))
    else:  # refusing to build is also a way of not leaking, but then it must say why
        assert "公開" in result.stderr


def test_git_author_names_never_reach_the_public_build(planted: tuple[Path, list[str]]) -> None:
    site = planted[0] / "site-public"
    if not site.exists():
        pytest.skip("the public build failed in the canary test")
    authors = subprocess.run(["git", "log", "--format=%an%n%ae"], cwd=ROOT, capture_output=True,
                             text=True).stdout.split()
    names = {a for a in authors if len(a) > 3}
    for rel, text in output_texts(site):
        assert not [a for a in names if a in text], rel


def test_a_withheld_item_one_character_off_stops_validate_and_the_build(
        planted: tuple[Path, list[str]], tmp_path: Path) -> None:
    """A withheld item that matches no item after normalisation cannot be withheld: validate
    names its position and the public build publishes nothing (it does not guess)."""
    repo, canaries = planted
    off = tmp_path / "off"
    shutil.copytree(repo, off, ignore=shutil.ignore_patterns("site-public", ".daicho-cache"))
    path = next(p for p in sorted((off / "records" / "files").glob("*.yaml"))
                if "CANARY-WITHHELD-REASON" in p.read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("- canary-withheld-case", "- canary-withheld-cose"), encoding="utf-8")
    line = 1 + text.split("- canary-withheld-case")[0].count("\n")
    rel = path.relative_to(off).as_posix()
    result = subprocess.run([sys.executable, "-m", "daicho", "validate"], cwd=off, capture_output=True, text=True)
    assert result.returncode == 1
    assert f"{rel}:{line}:" in result.stdout and "E-WITHHOLD-NOMATCH" in result.stdout
    assert "$.公表しない部分[0].記録項目[3]" in result.stdout
    assert "withheld-cose" not in result.stdout.lower() and "CANARY-WITHHELD-CASE" not in result.stdout
    built = build_public(off)
    assert built.returncode != 0 and "E-WITHHOLD-NOMATCH" in built.stderr
    site = off / "site-public"
    assert not site.exists() or leaks(site, canaries) == []
