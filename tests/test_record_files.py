"""Records are regular files inside the repository (issue 13 §8).

A symbolic link among the records — to a file or a folder, inside or outside the repository —
is never read: `daicho validate` reports it (E-PATH-LINK) at the link's own path, with nothing
from the target (no key, no value, no path), and nothing behind it becomes a record.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from daicho import repository
from tests.conftest import ROOT
from tests.test_validate_cli import copy_demo, parse_text, validate

SECRET_KEY = "職員の自宅住所_秘密XYZ"


def _outside(tmp_path: Path) -> Path:
    """A folder beside the repository with a valid record and a file of secret key names."""
    out = tmp_path / "outside"
    out.mkdir()
    text = (ROOT / "records" / "jimu" / "J-D1101-001.yaml").read_text(encoding="utf-8")
    (out / "J-D1101-901.yaml").write_text(text.replace("J-D1101-001", "J-D1101-901"), encoding="utf-8")
    (out / "secrets.yaml").write_text(f"id: J-D1101-902\n{SECRET_KEY}: 八千代市大和田新田1-2-3\n", encoding="utf-8")
    return out


def test_links_to_outside_files_and_folders_are_refused_without_echo(tmp_path: Path) -> None:
    repo = copy_demo(tmp_path)
    outside = _outside(tmp_path)
    jimu = repo / "records" / "jimu"
    (jimu / "J-D1101-901.yaml").symlink_to(outside / "J-D1101-901.yaml")
    (jimu / "J-D1101-902.yaml").symlink_to(outside / "secrets.yaml")
    (jimu / "more").symlink_to(outside, target_is_directory=True)
    # A link to a record inside the repository is refused too: a record is one file, in one place.
    (jimu / "J-D1101-903.yaml").symlink_to(jimu / "J-D1101-001.yaml")

    code, stdout, stderr = validate(repo)
    assert code == 1
    issues = parse_text(stdout)
    links = {i["file"] for i in issues if i["code"] == "E-PATH-LINK"}
    assert links == {"records/jimu/J-D1101-901.yaml", "records/jimu/J-D1101-902.yaml", "records/jimu/more",
                     "records/jimu/J-D1101-903.yaml"}
    assert {(i["line"], i["col"], i["severity"]) for i in issues if i["code"] == "E-PATH-LINK"} == {(1, 1, "error")}
    for text in (stdout, stderr):
        assert SECRET_KEY not in text and "大和田新田1-2-3" not in text
        assert str(outside) not in text and "outside" not in text and "secrets" not in text

    loaded = repository.load(repo)
    assert {r.path for r in loaded.records}.isdisjoint(links)
    assert loaded.get("J-D1101-901") is None and loaded.get("J-D1101-902") is None


def test_a_records_folder_that_is_a_link_is_refused(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "schemas", repo / "schemas")
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(ROOT / "records", elsewhere)
    (repo / "records").symlink_to(elsewhere, target_is_directory=True)
    code, stdout, _ = validate(repo)
    assert code == 1
    issues = parse_text(stdout)
    assert [(i["file"], i["code"]) for i in issues] == [("records", "E-PATH-LINK")]
    assert repository.load(repo).records == []


def test_fmt_does_not_rewrite_through_a_link(tmp_path: Path) -> None:
    repo = copy_demo(tmp_path)
    outside = _outside(tmp_path)
    target = outside / "J-D1101-901.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("id: J-D1101-901", "id:   J-D1101-901"),
                      encoding="utf-8")
    before = target.read_bytes()
    link = repo / "records" / "jimu" / "J-D1101-901.yaml"
    link.symlink_to(target)
    from tests.conftest import run_daicho

    for args in (["fmt"], ["fmt", str(link)]):
        proc = run_daicho(*args, cwd=repo)
        assert "Traceback" not in proc.stderr
        assert target.read_bytes() == before
        assert os.path.islink(link)
