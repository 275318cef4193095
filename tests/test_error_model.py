"""One error model (issue 14 item 7): a broken installation file (a form, rules.yaml, a bad
DAICHO_TODAY) raises DaichoError with its code and position; each adapter turns it into its
own failure — validate's report and exit 1, the CLI's exit 2, both MkDocs plugins' build
error — never a traceback or a bare SystemExit."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from daicho import cli
from daicho.commands import validate
from daicho.errors import DaichoError
from daicho.forms import load_forms
from tests.browser import DEMO_TODAY, ROOT, make_repo

FIXTURE = ROOT / "tests" / "fixtures" / "site" / "records"


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DAICHO_TODAY", DEMO_TODAY)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    root = make_repo(tmp_path / "repo", FIXTURE)
    shutil.copy(ROOT / "mkdocs.public.yml", root)
    shutil.copytree(ROOT / "docs-public", root / "docs-public")
    return root


def _break_form(root: Path) -> int:
    """A duplicate key at the end of the checklist form; returns its line."""
    path = root / "schemas" / "forms" / "checklist.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "名称: 二つ目\n", encoding="utf-8")
    return text.count("\n") + 1


def test_a_broken_form_is_one_positioned_error(repo: Path) -> None:
    line = _break_form(repo)
    with pytest.raises(DaichoError) as info:
        load_forms(repo / "schemas")
    assert (info.value.code, info.value.file, info.value.line) == ("E-YAML-DUPKEY", "schemas/forms/checklist.yaml", line)


def test_validate_reports_it_in_its_format(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = _break_form(repo)
    assert validate.main(["--root", str(repo), "--format", "json"]) == 1  # the pre-commit hook's entry point
    issues = json.loads(capsys.readouterr().out)["issues"]
    assert [(i["file"], i["line"], i["code"]) for i in issues] == [("schemas/forms/checklist.yaml", line,
                                                                    "E-YAML-DUPKEY")]


def test_the_cli_exits_2_with_the_position(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = repo / "schemas" / "rules.yaml"
    rules.write_text("- 対応表ではなく一覧\n", encoding="utf-8")
    assert cli.main(["due", "--root", str(repo)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("daicho: schemas/rules.yaml:1:1: エラー[E-RULES-DATA] ")
    assert "Traceback" not in err


def test_a_bad_today_is_coded(repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DAICHO_TODAY", "2025-13-01")
    assert cli.main(["build", "--root", str(repo), "--docs-out", str(repo / "out")]) == 2
    assert "エラー[E-TODAY] 環境変数 DAICHO_TODAY「2025-13-01」" in capsys.readouterr().err


@pytest.mark.parametrize("config", ["mkdocs.yml", "mkdocs.public.yml"])
def test_both_plugins_fail_the_build_with_the_position(repo: Path, config: str, tmp_path: Path,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    line = _break_form(repo)
    cfg = load_config(str(repo / config), site_dir=str(tmp_path / "site"))
    caplog.set_level(logging.ERROR)
    with pytest.raises(Abort):  # MkDocs' answer to a PluginError (on_build_error ran)
        build(cfg)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert f"schemas/forms/checklist.yaml:{line}:1: エラー[E-YAML-DUPKEY]" in logged
    assert "Traceback" not in logged


def test_a_broken_schema_is_reported_even_where_a_command_lists_its_choices(
        repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "schemas" / "jimu.json").write_text("{", encoding="utf-8")
    monkeypatch.chdir(repo)
    assert cli.main(["new", "jimu", "--department", "D1101"]) == 2  # `new` reads the types for its choices
    assert "daicho: schemas/jimu.json:1:2: エラー[E-SCHEMA-FILE]" in capsys.readouterr().err
