"""The validation cache (daicho.cache): it may make a run faster, never different.

Every test builds a real repository (the demo records plus planted problems) in a real git work
tree, loads it through ``repository.load`` as every command does, and compares with a load that
has the cache turned off: same issues (file, line, column, code, message, path, order), same
records, same data, same positions.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from daicho import cache, repository, schemas, yamlio
from tests.test_properties import document

ROOT = Path(__file__).resolve().parent.parent

BROKEN = {
    # schema errors: cached as their issues (read and hashed on every run, never parsed again)
    "records/jimu/J-D1101-901.yaml": "id: J-D1101-901\n事務の名称: 1\n",
    # a YAML error
    "records/jimu/J-D1101-902.yaml": "id: [\n",
    # schema-valid, but a cross-record error (unknown 事務) whose position comes from the record
    "records/contracts/2025/C-2025-D1202-901.yaml": None,
}


def git_repo(tmp_path: Path, name: str = "repo") -> Path:
    repo = tmp_path / name
    repo.mkdir()
    shutil.copytree(ROOT / "records", repo / "records")
    shutil.copytree(ROOT / "schemas", repo / "schemas")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    for rel, text in BROKEN.items():
        if text is None:  # a copy of a valid contract that names a 事務 that does not exist
            source = next((repo / "records/contracts/2025").glob("C-2025-D1202-*.yaml"))
            text = source.read_text(encoding="utf-8").replace(source.stem, Path(rel).stem)
            text = text.replace("個人情報の取扱い: false", "個人情報の取扱い: false\n事務:\n  - J-D1202-999", 1)
        (repo / rel).write_text(text, encoding="utf-8")
    return repo


def load(repo: Path, monkeypatch: pytest.MonkeyPatch, *, cached: bool, full: bool = True) -> repository.Repository:
    schemas.record_types.cache_clear()  # schema files may have changed on disk between loads
    if cached:
        monkeypatch.delenv("DAICHO_NO_CACHE", raising=False)
    else:
        monkeypatch.setenv("DAICHO_NO_CACHE", "1")
    return repository.load(repo, full=full)


def outcome(repo: repository.Repository) -> tuple:
    """Everything a consumer can observe, positions included (which unpacks cached ones)."""
    issues = [(i.file, i.line, i.col, i.code, i.message, i.path, i.severity) for i in repo.issues]
    records = [(r.type, r.path, json.dumps(r.data, ensure_ascii=False), sorted(r.doc.positions.items()),
                sorted(r.doc.key_positions.items())) for r in repo.records]
    return issues, records, repo.checked, repo.unloaded


def from_cache(repo: repository.Repository) -> int:
    return sum(isinstance(r.doc, cache.CachedDocument) for r in repo.records)


def test_results_are_identical_with_and_without_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = git_repo(tmp_path)
    plain = load(repo, monkeypatch, cached=False)
    assert not (repo / cache.DIR).exists()
    codes = {i.code for i in plain.issues}
    assert {"E-SCHEMA-TYPE", "E-YAML-SYNTAX", "E-REF-JIMU"} <= codes, codes

    first = load(repo, monkeypatch, cached=True)  # fills the cache
    assert from_cache(first) == 0
    assert list((repo / cache.DIR).glob("records-*.jsonl"))
    warm = load(repo, monkeypatch, cached=True)
    # Every schema-valid record came from the cache; the broken files' issues too.
    assert from_cache(warm) == len(warm.records) == len(plain.records) > 170
    assert outcome(first) == outcome(plain)
    assert outcome(warm) == outcome(plain)


def test_the_cli_prints_the_same_with_and_without_the_cache(tmp_path: Path) -> None:
    repo = git_repo(tmp_path)
    outputs = []
    for env in ({"DAICHO_NO_CACHE": "1"}, {}, {}):  # off, cold, warm
        proc = subprocess.run([sys.executable, "-m", "daicho", "validate", "--format", "json"], cwd=repo,
                              capture_output=True, text=True, timeout=120,
                              env={**_env_without_cache_switch(), **env})
        assert proc.returncode == 1, proc.stderr
        outputs.append(proc.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    assert json.loads(outputs[0])


def _env_without_cache_switch() -> dict[str, str]:
    import os
    return {k: v for k, v in os.environ.items() if k != "DAICHO_NO_CACHE"}


def test_a_changed_file_is_checked_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = git_repo(tmp_path)
    load(repo, monkeypatch, cached=True)
    target = repo / "records/jimu/J-D1101-001.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("委託の有無: false", "委託の有無: no"),
                      encoding="utf-8")
    warm = load(repo, monkeypatch, cached=True)
    assert outcome(warm) == outcome(load(repo, monkeypatch, cached=False))
    assert ("records/jimu/J-D1101-001.yaml", "E-SCHEMA-TYPE") in {(i.file, i.code) for i in warm.issues}


def counting_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every file ``repository.load`` reads from disk."""
    reads: list[str] = []
    real = repository._read

    def read(path: str | Path) -> tuple[bytes, object]:
        reads.append(str(path))
        return real(path)

    monkeypatch.setattr(repository, "_read", read)
    return reads


def test_unchanged_files_are_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = git_repo(tmp_path)
    monkeypatch.setattr(cache, "RACY_NS", 0)  # every file counts as settled once read
    load(repo, monkeypatch, cached=True)
    reads = counting_reads(monkeypatch)
    warm = load(repo, monkeypatch, cached=True)
    # Only the files with problems are read (to find their cached issues); the rest come by their stat.
    assert sorted(reads) == sorted(str(repo / rel) for rel in BROKEN if rel != "records/contracts/2025/C-2025-D1202-901.yaml")
    assert outcome(warm) == outcome(load(repo, monkeypatch, cached=False))


def test_a_file_rewritten_with_its_old_size_and_times_is_read_again(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """What a stat check can miss: same size, modification time put back (``touch -r``, an
    editor or a tool that preserves times). The change time still moves, and that is compared."""
    repo = git_repo(tmp_path)
    monkeypatch.setattr(cache, "RACY_NS", 0)
    load(repo, monkeypatch, cached=True)
    target = repo / "records/jimu/J-D1101-001.yaml"
    before = target.stat()
    text = target.read_text(encoding="utf-8")
    assert "委託の有無: false" in text
    target.write_text(text.replace("委託の有無: false", "委託の有無: 'off'"), encoding="utf-8")  # same length
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (target.stat().st_size, target.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    reads = counting_reads(monkeypatch)
    warm = load(repo, monkeypatch, cached=True)
    assert str(target) in reads
    assert ("records/jimu/J-D1101-001.yaml", "E-SCHEMA-TYPE") in {(i.file, i.code) for i in warm.issues}
    assert outcome(warm) == outcome(load(repo, monkeypatch, cached=False))


def test_a_file_written_just_before_it_is_indexed_is_read_next_time(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Racily clean (git's term): a file changed within the clock tick of its indexing could
    change again without its times showing it, so it is not indexed yet."""
    repo = git_repo(tmp_path)  # every file was just copied: all are too recent to index
    # However long the copy and the load take on a busy machine: "recent" covers all of them.
    monkeypatch.setattr(cache, "RACY_NS", 10**18)
    load(repo, monkeypatch, cached=True)
    reads = counting_reads(monkeypatch)
    load(repo, monkeypatch, cached=True)
    assert len(reads) == len(list((repo / "records").rglob("*.yaml")))


def checked(repo: repository.Repository) -> tuple:
    """What ``daicho validate`` reports of a load."""
    return outcome(repo)[0], repo.checked, repo.unloaded


def test_validate_checks_cached_records_by_their_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = git_repo(tmp_path)
    monkeypatch.setattr(cache, "RACY_NS", 0)
    plain = load(repo, monkeypatch, cached=False)
    load(repo, monkeypatch, cached=True)  # fills the cache and its stat index
    # Checking needs no whole record: the entries are not even read.
    (entries,) = (repo / cache.DIR).glob("records-*.jsonl")
    entries.write_bytes(b"\x00" * 1000)
    warm = load(repo, monkeypatch, cached=True, full=False)
    assert sum(isinstance(r.doc, cache.SummaryDocument) for r in warm.records) == len(plain.records) > 170
    full = {r.path: r.data for r in plain.records}
    for r in warm.records:
        assert r.data == warm.types[r.type].summary(full[r.path])
    assert sum(len(r.data) < len(full[r.path]) for r in warm.records) > 150
    # Same issues, positions included: E-REF-JIMU is placed inside a record known by its summary.
    assert checked(warm) == checked(plain)
    assert "E-REF-JIMU" in {i.code for i in warm.issues}


def test_validate_reads_a_touched_file_but_does_not_parse_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A checkout or ``touch`` changes times, not bytes: the file's key finds its summary."""
    repo = git_repo(tmp_path)
    monkeypatch.setattr(cache, "RACY_NS", 0)
    load(repo, monkeypatch, cached=True, full=False)
    files = list((repo / "records").rglob("*.yaml"))
    for path in files:
        os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    parses = []
    real = yamlio.load_bytes
    monkeypatch.setattr(yamlio, "load_bytes", lambda raw: parses.append(raw) or real(raw))
    reads = counting_reads(monkeypatch)
    warm = load(repo, monkeypatch, cached=True, full=False)
    assert len(reads) == len(files) > 170
    # Only the contract whose E-REF-JIMU needs a position; the two broken files' issues are cached.
    assert len(parses) == 1
    assert checked(warm) == checked(load(repo, monkeypatch, cached=False))


def test_a_damaged_stat_index_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = git_repo(tmp_path)
    monkeypatch.setattr(cache, "RACY_NS", 0)
    plain = checked(load(repo, monkeypatch, cached=False))
    load(repo, monkeypatch, cached=True)
    (index,) = (repo / cache.DIR).glob("records-*.stat")
    raw = bytearray(index.read_bytes())
    raw[len(raw) // 2] ^= 0x01  # one flipped bit, JSON still well formed
    index.write_bytes(bytes(raw))
    reads = counting_reads(monkeypatch)
    assert checked(load(repo, monkeypatch, cached=True, full=False)) == plain
    assert len(reads) == len(list((repo / "records").rglob("*.yaml")))  # none trusted by its stat
    index.write_bytes(b"garbage")
    assert checked(load(repo, monkeypatch, cached=True, full=False)) == plain


def test_validate_runs_compact_the_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Validate only appends (it never reads the entries) and the stat index counts the lines,
    so stale entries are dropped without a full load ever running."""
    repo = git_repo(tmp_path)
    monkeypatch.setattr(cache, "RACY_NS", 0)
    monkeypatch.setattr(cache, "_COMPACT_MIN", 0)
    monkeypatch.setattr(cache, "_COMPACT_RATIO", 1)  # compact once any entry is stale
    load(repo, monkeypatch, cached=True, full=False)
    (entries,) = (repo / cache.DIR).glob("records-*.jsonl")
    before = len(entries.read_bytes().splitlines())
    target = repo / "records/jimu/J-D1101-001.yaml"
    for i in range(3):
        target.write_text(target.read_text(encoding="utf-8") + f"# edit {i}\n", encoding="utf-8")
        load(repo, monkeypatch, cached=True, full=False)
    lines = entries.read_bytes().splitlines()
    # Without compaction: before + 3. With it, at most one stale entry (the ratio's allowance).
    assert len(lines) == len({line[:32] for line in lines}) <= before + 1
    full = load(repo, monkeypatch, cached=True)
    assert from_cache(full) == len(full.records)


def test_a_changed_schema_invalidates_every_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = git_repo(tmp_path)
    load(repo, monkeypatch, cached=True)
    before = cache.fingerprint(repo / "schemas")
    # A stricter schema: 備考 (optional, used by some demo 事務) may no longer be written.
    schema_file = repo / "schemas" / "jimu.json"
    data = json.loads(schema_file.read_text(encoding="utf-8"))
    del data["properties"]["備考"]
    schema_file.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    assert cache.fingerprint(repo / "schemas") != before
    warm = load(repo, monkeypatch, cached=True)
    assert outcome(warm) == outcome(load(repo, monkeypatch, cached=False))
    assert any(i.code == "E-SCHEMA-ADDITIONAL" and i.path == ("備考",) for i in warm.issues)
    # Only the entries made for the new schemas are kept.
    assert len(list((repo / cache.DIR).glob("records-*.jsonl"))) == 1


def test_a_changed_form_invalidates_every_entry(tmp_path: Path) -> None:
    repo = git_repo(tmp_path)
    before = cache.fingerprint(repo / "schemas")
    form = repo / "schemas" / "forms" / "inspection_items.yaml"
    form.write_text(form.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert cache.fingerprint(repo / "schemas") != before


def test_changed_code_invalidates_every_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = git_repo(tmp_path)
    code = tmp_path / "yamlio_copy.py"
    code.write_bytes((ROOT / "scripts" / "daicho" / "yamlio.py").read_bytes())
    monkeypatch.setattr(cache, "CODE_FILES", [*cache.CODE_FILES, code])
    load(repo, monkeypatch, cached=True)
    assert from_cache(load(repo, monkeypatch, cached=True)) > 0
    before = cache.fingerprint(repo / "schemas")
    code.write_text(code.read_text(encoding="utf-8") + "\n# a change to the loader\n", encoding="utf-8")
    assert cache.fingerprint(repo / "schemas") != before
    after = load(repo, monkeypatch, cached=True)
    assert from_cache(after) == 0  # nothing made by the old code is used
    assert outcome(after) == outcome(load(repo, monkeypatch, cached=False))
    # A new daicho version does the same.
    current = cache.fingerprint(repo / "schemas")
    monkeypatch.setattr(cache, "__version__", "999.0")
    assert cache.fingerprint(repo / "schemas") != current


def corrupt(path: Path) -> int:
    """Damage the cache file in every way a crash, a disk or a person could; returns lines hit."""
    lines = path.read_bytes().split(b"\n")
    n = len(lines)
    # a flipped byte inside a payload, a wrong checksum, valid JSON of the wrong shape,
    # a line cut short, a line of garbage
    lines[0] = lines[0][:60] + bytes([lines[0][60] ^ 0x20]) + lines[0][61:]
    lines[1] = lines[1][:33] + b"00000000" + lines[1][41:]
    payload = b"[1,2]"
    import zlib
    lines[2] = lines[2][:33] + b"%08x " % zlib.crc32(payload) + payload
    lines[3] = lines[3][: len(lines[3]) // 2]
    lines.insert(4, b"\x00\xff garbage \xfe")
    path.write_bytes(b"\n".join(lines[:n - 2]) + b"\n" + lines[n - 2][:50])  # and an unfinished last line
    return 5


def test_a_corrupt_cache_is_ignored_entry_by_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = git_repo(tmp_path)
    plain = outcome(load(repo, monkeypatch, cached=False))
    load(repo, monkeypatch, cached=True)
    (store,) = (repo / cache.DIR).glob("records-*.jsonl")
    corrupt(store)
    warm = load(repo, monkeypatch, cached=True)
    assert outcome(warm) == plain
    assert 0 < from_cache(warm) < len(warm.records)  # the damaged entries were checked again
    store.write_bytes(b"\x00" * 1000)  # not a cache file at all
    assert outcome(load(repo, monkeypatch, cached=True)) == plain


def test_a_cache_from_another_clone_is_never_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache file committed to a repository (or copied from elsewhere) cannot vouch for a
    record: its name depends on a key in this clone's .git folder."""
    ours = git_repo(tmp_path, "ours")
    theirs = git_repo(tmp_path, "theirs")
    # In their clone, a record that fails its schema gets a forged entry claiming it is valid.
    bad = theirs / BROKEN_FILE
    store = cache.Store.open(theirs, theirs / "schemas")
    assert store is not None
    forged = yamlio.load_bytes((theirs / "records/jimu/J-D1101-001.yaml").read_bytes())
    forged.data["id"] = bad.stem
    store.put(cache.Store.key("jimu", bad.read_bytes()), forged)
    store.save()
    load(theirs, monkeypatch, cached=True)
    assert BROKEN_FILE not in {i.file for i in load(theirs, monkeypatch, cached=True).issues}  # forged, so trusted there
    # Their cache folder lands in our clone, with the same records and schemas.
    shutil.copytree(theirs / cache.DIR, ours / cache.DIR)
    result = load(ours, monkeypatch, cached=True)
    assert outcome(result) == outcome(load(ours, monkeypatch, cached=False))
    assert BROKEN_FILE in {i.file for i in result.issues}


BROKEN_FILE = "records/jimu/J-D1101-901.yaml"


def test_nothing_is_written_when_off_or_outside_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = git_repo(tmp_path)
    load(repo, monkeypatch, cached=False)
    assert not (repo / cache.DIR).exists()
    plain = tmp_path / "plain"
    shutil.copytree(repo / "records", plain / "records")
    (plain / "schemas").symlink_to(ROOT / "schemas")
    load(plain, monkeypatch, cached=True)
    assert sorted(p.name for p in plain.iterdir()) == ["records", "schemas"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document())
def test_positions_survive_packing(text: str) -> None:
    try:
        doc = yamlio.load_bytes(text.encode("utf-8", "surrogatepass"))
    except yamlio.LoadError:
        return
    data = json.loads(json.dumps(doc.data))  # as the cache stores it
    restored = cache.CachedDocument(data, cache.pack_positions(doc))
    assert restored.positions == doc.positions
    assert restored.key_positions == doc.key_positions
    assert list(restored.positions) == list(doc.positions)
