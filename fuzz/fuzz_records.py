"""Coverage-guided fuzzing (atheris) of the loader, the validator and the renderer.

    python fuzz/fuzz_records.py -runs=10000 [corpus folder…]     (``make fuzz`` does this)

Each input is the bytes of one record file; the first byte picks where it lives (which record
type validates it). The harness asserts what the Hypothesis properties assert:
- loading and checking end in a record or in positioned issues, never in another exception;
- a record that loads renders (through the same Markdown step as MkDocs) with no element, event
  handler or ``javascript:`` link from its data.
The seed corpus is the project's fixture records, valid and invalid.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

with atheris.instrument_imports():
    from daicho import render, repository, yamlio
    from daicho.schemas import record_types

from tests.test_fuzz_render import as_built, unsafe  # noqa: E402

PLACES = ["records/jimu/J-D1501-901.yaml", "records/files/F-D1501-901.yaml",
          "records/contracts/2025/C-2025-D1501-901.yaml", "records/incidents/2025/I-2025-D1501-91.yaml",
          "records/disclosure/2025/R-2025-0901.yaml", "records/usage/U-2025.yaml", "records/settings.yaml"]
TODAY = dt.date(2026, 11, 26)
TYPES = record_types(ROOT / "schemas")
BASE = ROOT / "fuzz" / "out" / "base"


def base_repository() -> Path:
    """Organisation, one 事務 and one contract to refer to (as the Hypothesis render fuzz)."""
    import shutil

    fixtures = ROOT / "tests" / "fixtures" / "valid"
    if not BASE.exists():
        shutil.copytree(fixtures / "contract" / "full" / "records", BASE / "records")
        shutil.copyfile(fixtures / "organization" / "base" / "records" / "organization.yaml",
                        BASE / "records" / "organization.yaml")
        (BASE / "schemas").symlink_to(ROOT / "schemas", target_is_directory=True)
    return BASE


def test_one(data: bytes) -> None:
    if not data:
        return
    rel, raw = PLACES[data[0] % len(PLACES)], data[1:]
    record, issues = repository.load_record(ROOT, ROOT / rel, TYPES, raw)
    assert (record is None) == bool(issues)
    for issue in issues:
        assert issue.line >= 1 and issue.col >= 1 and issue.message, issue
    if record is None:
        return
    repo = repository.load(BASE, extra={rel: raw})
    if any(i.file == rel and i.severity == "error" for i in repo.issues):
        return  # cross-record errors: the site refuses to build, nothing is rendered
    for path, page in render.pages(repo, TODAY).items():
        found = unsafe(as_built(page))
        assert not found, (path, found)


def seeds() -> list[bytes]:
    out = []
    for path in sorted((ROOT / "tests" / "fixtures").rglob("*.yaml")):
        rel = path.as_posix()
        place = next((i for i, p in enumerate(PLACES) if p.split("/")[1].rstrip("s") in rel), 0)
        out.append(bytes([place]) + path.read_bytes()[: yamlio.MAX_BYTES])
    return out


def main() -> None:
    base_repository()
    corpus = ROOT / "fuzz" / "out" / "corpus"
    if not corpus.exists():
        corpus.mkdir(parents=True)
        for i, seed in enumerate(seeds()):
            (corpus / f"seed-{i:04d}").write_bytes(seed)
    args = sys.argv + ([str(corpus)] if not any(not a.startswith("-") for a in sys.argv[1:]) else [])
    atheris.Setup(args, test_one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
