"""The adversarial suite's cases that a fixture file cannot carry, and the suite through the CLI.

tests/fixtures/invalid/adversarial/ holds the hostile files themselves (test_fixtures.py checks
each gives exactly its positioned error); here: a 50 MB file made at test time, the alias bomb's
cost, a python/object/apply tag that must not run, and every adversarial case through the real
``daicho validate`` (one positioned error line, exit 1, no traceback).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from daicho import repository, yamlio
from tests.test_fixtures import cases, expectations, mini_repository

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
ADVERSARIAL = [c for c in cases("invalid") if c.parent.name in ("adversarial", "yaml")]
MB = 1024 * 1024


def validate_json(repo: Path) -> tuple[int, list[dict], str]:
    env = {**os.environ, "DAICHO_NO_CACHE": "1"}
    proc = subprocess.run([sys.executable, "-m", "daicho", "validate", "--format", "json"], cwd=repo,
                          capture_output=True, text=True, timeout=120, env=env)
    return proc.returncode, json.loads(proc.stdout)["issues"] if proc.stdout.strip() else [], proc.stderr


def test_a_50_mb_file_is_refused_by_the_size_cap_without_being_read(tmp_path: Path) -> None:
    repo = mini_repository(FIXTURES / "valid" / "jimu" / "minimal", tmp_path)
    big = repo / "records" / "jimu" / "J-D1501-002.yaml"
    line = ("備考: " + "個人情報" * 60 + "\n").encode("utf-8")
    with big.open("wb") as f:
        f.write(b"id: J-D1501-002\n")
        while f.tell() < 50 * MB:
            f.write(line * 1000)
    assert big.stat().st_size >= 50 * MB
    tracemalloc.start()
    started = time.process_time()
    try:
        repo_ = repository.load(repo)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    cpu = time.process_time() - started
    issues = [(i.file, i.line, i.col, i.code) for i in repo_.issues]
    assert issues == [("records/jimu/J-D1501-002.yaml", 1, 1, "E-YAML-SIZE")]
    # Read only up to the cap (1 MiB), never the 50 MB; quickly.
    assert peak < 8 * MB, peak
    assert cpu < 2, cpu
    code, found, err = validate_json(repo)
    assert code == 1 and "Traceback" not in err
    assert [(i["file"], i["line"], i["code"]) for i in found] == [("records/jimu/J-D1501-002.yaml", 1, "E-YAML-SIZE")]


def test_the_alias_bomb_costs_neither_time_nor_memory() -> None:
    raw = next((FIXTURES / "invalid/yaml/alias-bomb-9x9/records").rglob("*.yaml")).read_bytes()
    tracemalloc.start()
    started = time.process_time()
    try:
        with pytest.raises(yamlio.LoadError) as info:
            yamlio.load_bytes(raw)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert info.value.code == "E-YAML-ALIAS"
    assert time.process_time() - started < 1  # CPU seconds; expanding would take minutes
    assert peak < 100 * MB  # expanding would take gigabytes; refusing takes kilobytes
    assert peak < 1 * MB


def test_python_object_apply_is_never_constructed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixture's tag would open (create) daicho-pwned.txt in the working folder."""
    case = FIXTURES / "invalid/adversarial/python-object-apply-not-executed"
    repo = mini_repository(case, tmp_path)
    monkeypatch.chdir(repo)
    loaded = repository.load(repo)
    assert [i.code for i in loaded.issues] == ["E-YAML-TAG"]
    code, _, _ = validate_json(repo)
    assert code == 1
    assert not list(tmp_path.rglob("daicho-pwned.txt"))
    assert not (Path.cwd() / "daicho-pwned.txt").exists()


@pytest.mark.parametrize("case", [c for c in ADVERSARIAL if c.parent.name == "adversarial"],
                         ids=lambda c: c.name)
def test_each_adversarial_case_through_the_cli(case: Path, tmp_path: Path) -> None:
    repo = mini_repository(case, tmp_path)
    code, found, err = validate_json(repo)
    assert code == 1
    assert "Traceback" not in err and err.strip() == ""
    assert {(i["file"], i["line"], i["code"]) for i in found} == expectations(case)
    assert len(found) == 1
    assert found[0]["col"] >= 1 and found[0]["message"]


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    repo = mini_repository(FIXTURES / "valid" / "jimu" / "utf8-bom-crlf", tmp_path)
    raw = next((repo / "records" / "jimu").glob("*.yaml")).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    code, found, err = validate_json(repo)
    assert (code, found, err.strip()) == (0, [], "")
