"""``mkdocs serve`` rebuilds in one process: an edit to schemas/, a form or rules.yaml must show
in the next build (issue 14 item 8). Built here as serve does it: the real plugin, MkDocs'
own ``build``, twice in this process, with the files edited in between."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from tests.browser import DEMO_TODAY, ROOT, make_repo

FIXTURE = ROOT / "tests" / "fixtures" / "site" / "records"


def _build(root: Path, out: Path) -> None:
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(out))
    config.plugins["daicho"].config.search = False  # not what this test is about
    build(config)


def _pages(out: Path, folder: str) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted((out / folder).glob("*.html")))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer holds {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DAICHO_TODAY", DEMO_TODAY)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("DAICHO_NO_CACHE", "1")
    return make_repo(tmp_path / "repo", FIXTURE)


def test_edits_to_schemas_forms_and_rules_show_in_the_next_build(repo: Path, tmp_path: Path,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    out = tmp_path / "site"
    _build(repo, out)
    assert "ライブ更新の文言" not in _pages(out, "contracts")
    assert "ライブ更新の項目名" not in _pages(out, "jimu")

    # A form's wording and a schema title, edited between two builds of one process.
    _edit(repo / "schemas" / "forms" / "checklist.yaml", "文言: 委託先の選定に当たっては",
          "文言: ライブ更新の文言。委託先の選定に当たっては")
    _edit(repo / "schemas" / "jimu.json", '"title": "事務の目的"', '"title": "ライブ更新の項目名"')
    _build(repo, out)
    assert "ライブ更新の文言" in _pages(out, "contracts")
    assert "ライブ更新の項目名" in _pages(out, "jimu")

    # rules.yaml broken while serving: the rebuild stops with its position, no traceback...
    rules = repo / "schemas" / "rules.yaml"
    good = rules.read_bytes()
    rules.write_bytes(good + b"\n\xe6\x9c\x9f\xe9\x99\x90: [\n")  # an unclosed flow sequence
    caplog.set_level(logging.ERROR)
    with pytest.raises(Abort):
        _build(repo, out)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "rules.yaml:" in logged and "E-RULES-DATA" in logged
    assert "Traceback" not in logged
    # ...and the next one, after the fix, builds again (the broken file was not remembered).
    rules.write_bytes(good)
    caplog.clear()
    _build(repo, out)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
