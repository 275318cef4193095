"""Japanese wherever a user looks (issue 14 item 10): argparse's own words in every command's
help and errors, and the labels of a record's 変更履歴."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest

from daicho import cli, history, render, repository
from tests.browser import DEMO_TODAY, ROOT, Built, make_repo

# argparse's English, as Python 3.11–3.13 print it.
ENGLISH = re.compile(r"usage:|show this help|show program's|positional arguments|options:|error:|"
                     r"required:|invalid choice|unrecognized arguments|expected one argument|choose from")


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:  # argparse ends --help and usage errors this way
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.mark.parametrize("command", sorted(cli._modules()))
def test_every_command_help_is_japanese(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, text = _run(capsys, command, "--help")
    assert code == 0
    assert text.startswith("使い方: daicho ")
    assert "この説明を表示して終了する" in text and "オプション:" in text
    assert not ENGLISH.search(text), text


@pytest.mark.parametrize("argv, expected", [
    ((), "使い方: daicho"),
    (("--help",), "バージョンを表示して終了する"),
    (("nothere",), "'nothere' は選べません"),
    (("due", "--bogus"), "解釈できない引数があります: --bogus"),
    (("validate", "--format", "xml"), "引数 --format: 'xml' は選べません"),
    (("report",), "次の引数を指定してください: --fy"),
    (("due", "--fy"), "引数 --fy: 値を1つ指定してください"),
    (("due", "--fy", "x"), "値 'x' は正しくありません"),
])
def test_usage_errors_are_japanese(argv: tuple[str, ...], expected: str,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, text = _run(capsys, *argv)
    assert expected in text
    assert not ENGLISH.search(text), text
    if argv and argv != ("--help",):
        assert code == 2 and "エラー: " in text


def test_other_argparse_users_keep_their_own_words(capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    _run(capsys, "--help")
    assert "usage:" in argparse.ArgumentParser(prog="x").format_help()


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=総務課 確認", "-c", "user.email=a@example.invalid", *args],
                   cwd=root, check=True, capture_output=True)


def test_history_labels_each_change_in_japanese(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", ROOT / "tests" / "fixtures" / "site" / "records")
    _git(root, "init", "-q")
    _git(root, "add", "records")
    _git(root, "commit", "-qm", "Add records")
    record = root / "records" / "jimu" / "J-D1101-001.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _git(root, "commit", "-qam", "Tidy")
    _git(root, "rm", "-q", "records/jimu/J-D1401-001.yaml")
    _git(root, "commit", "-qm", "Drop one")

    commits = history.load(root).of("records/jimu/J-D1101-001.yaml")
    assert [(c.change, c.subject) for c in commits] == [("修正", "Tidy"), ("新規登録", "Add records")]
    assert [c.change for c in history.load(root).of("records/jimu/J-D1401-001.yaml")] == ["削除", "新規登録"]

    page = render.pages(repository.load(root), dt.date.fromisoformat(DEMO_TODAY))["jimu/J-D1101-001.md"]
    section = page[page.index('id="history"'):]
    for label in ("変更の種類", "変更者", "コミットの説明", "新規登録", "修正"):
        assert label in section


def test_the_theme_adds_no_english(demo_site: Built) -> None:
    """The theme's own words: no "Made with Material for MkDocs" footer, no "Git" label."""
    for path in ("index.html", "guide/codes.html", "contracts/index.html"):
        html = (demo_site.site / path).read_text(encoding="utf-8")
        assert "Made with" not in html and "台帳のリポジトリ" in html, path
