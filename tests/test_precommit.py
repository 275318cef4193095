"""The real pre-commit, on temporary git clones of the working tree.

- this repository: `pre-commit install`, then a commit with a broken record is refused with the
  validator's positioned error, a valid one goes through, and `pre-commit run --all-files` passes;
- another city's records repository using this one as a hook repository (`.pre-commit-hooks.yaml`):
  pre-commit pip-installs daicho from the clone — not editable — and validates records with the
  schemas shipped inside the package (the city repository has no schemas/ of its own).

Hook environments live in a persistent PRE_COMMIT_HOME (~/.cache/daicho-test-pre-commit, or
$DAICHO_PRE_COMMIT_HOME) so they are built from PyPI once, not on every run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "valid"
PRE_COMMIT_HOME = Path(os.environ.get("DAICHO_PRE_COMMIT_HOME",
                                      Path.home() / ".cache" / "daicho-test-pre-commit"))
# A fixed date makes the snapshot commit reproducible, so pre-commit reuses the hook
# environment it built for the same tree last time.
FIXED_DATE = "2026-01-01T00:00:00+09:00"


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update({
        "PRE_COMMIT_HOME": str(PRE_COMMIT_HOME),
        "GIT_AUTHOR_NAME": "daicho test", "GIT_AUTHOR_EMAIL": "test@daicho.invalid",
        "GIT_COMMITTER_NAME": "daicho test", "GIT_COMMITTER_EMAIL": "test@daicho.invalid",
        "GIT_AUTHOR_DATE": FIXED_DATE, "GIT_COMMITTER_DATE": FIXED_DATE,
        # The user's git configuration (hooksPath, signing, templates) must not leak in.
        "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
    })
    return env


def run(*args: str | Path, cwd: Path, check: bool = True, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([str(a) for a in args], cwd=cwd, env=environment(), capture_output=True,
                          text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"{args} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def git(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    return run("git", *args, cwd=cwd, check=check)


def pre_commit(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    return run(sys.executable, "-m", "pre_commit", *args, cwd=cwd, check=check)


def head(repo: Path) -> str:
    return git("rev-parse", "HEAD", cwd=repo).stdout.strip()


pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clone of this repository whose HEAD is the working tree as it is now (tracked changes,
    deletions and new files that .gitignore does not exclude)."""
    dest = tmp_path_factory.mktemp("snapshot") / "daicho"
    git("clone", "--quiet", str(ROOT), str(dest), cwd=ROOT)
    listed = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT).stdout
    for rel in filter(None, listed.split("\0")):
        src, dst = ROOT / rel, dest / rel
        if src.is_file():
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
        elif dst.exists() and not src.exists():
            dst.unlink()
    git("add", "-A", cwd=dest)
    git("commit", "--quiet", "--allow-empty", "--no-verify", "-m", "working tree snapshot", cwd=dest)
    PRE_COMMIT_HOME.mkdir(parents=True, exist_ok=True)
    pre_commit("gc", cwd=dest)  # drop environments of snapshots no config refers to any more
    return dest


@pytest.fixture
def clone(snapshot: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "daicho"
    git("clone", "--quiet", str(snapshot), str(dest), cwd=tmp_path)
    return dest


def demo_jimu(record_id: str, form: str) -> str:
    """A 事務 record valid against the demo organisation (総務課 D1101 of 市長)."""
    text = (FIXTURES / "jimu" / "minimal" / "records" / "jimu" / "J-D1501-001.yaml").read_text(encoding="utf-8")
    return (text.replace("J-D1501-001", record_id).replace("所管課: D1501", "所管課: D1101")
            .replace("記録の形態: 電算・紙", f"記録の形態: {form}"))


# --- configuration ------------------------------------------------------------------------

def _pins() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = {}
    for spec in [*project["dependencies"], *project["optional-dependencies"]["dev"]]:
        name, _, version = spec.partition("==")
        pins[re.sub(r"\[.*\]", "", name).lower()] = version
    return pins


def test_hooks_are_local_python_hooks_pinned_like_pyproject() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    pins = _pins()
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert {repo["repo"] for repo in config["repos"]} == {"local"}
    assert {"daicho-validate", "ruff", "yamllint", "trailing-whitespace", "end-of-file-fixer"} <= {h["id"] for h in hooks}
    for hook in hooks:
        assert hook["language"] == "python", hook["id"]
        for dep in hook.get("additional_dependencies", []):
            name, _, version = dep.partition("==")
            assert version, f"{hook['id']}: {dep} is not pinned"
            if name.lower() in pins:
                assert version == pins[name.lower()], f"{hook['id']}: {dep} but pyproject pins {pins[name.lower()]}"
    validate = next(h for h in hooks if h["id"] == "daicho-validate")
    assert validate["pass_filenames"] is False
    assert re.search(validate["files"], "records/jimu/J-D1101-001.yaml")
    assert re.search(validate["files"], "schemas/forms/checklist.yaml")
    assert not re.search(validate["files"], "docs/index.md")


def test_hook_manifest_exposes_daicho_validate_and_fmt() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert set(hooks) == {"daicho-validate", "daicho-fmt"}
    assert all(h["language"] == "python" for h in hooks.values())
    assert hooks["daicho-validate"]["entry"] == "daicho validate"
    assert hooks["daicho-validate"]["pass_filenames"] is False
    assert hooks["daicho-fmt"]["entry"] == "daicho fmt --check"


def test_every_package_folder_is_listed_for_setuptools() -> None:
    """pyproject lists packages (it must, to map schemas/ to daicho._schemas); a folder added
    under scripts/daicho and not listed would be missing from a non-editable install."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(setuptools["packages"])
    base = ROOT / "scripts"
    folders = {".".join(p.relative_to(base).parts) for p in base.joinpath("daicho").rglob("*")
               if p.is_dir() and p.name != "__pycache__" and any(p.iterdir())}
    folders |= {"daicho", *("daicho._schemas." + ".".join(p.relative_to(ROOT / "schemas").parts)
                            for p in (ROOT / "schemas").rglob("*") if p.is_dir())}
    assert folders - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    assert setuptools["package-dir"]["daicho._schemas"] == "schemas"


# --- this repository ----------------------------------------------------------------------

def test_commit_with_a_broken_record_is_refused_and_a_fixed_one_accepted(clone: Path) -> None:
    pre_commit("install", cwd=clone)
    record = clone / "records" / "jimu" / "J-D1101-990.yaml"
    record.write_text(demo_jimu("J-D1101-990", "電子"), encoding="utf-8")  # not in the enum
    before = head(clone)
    git("add", "records/jimu/J-D1101-990.yaml", cwd=clone)
    refused = git("commit", "-m", "broken record", cwd=clone, check=False)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert head(clone) == before
    assert re.search(r"daicho validate（記録の検査）\.+Failed", output), output
    assert re.search(r"records/jimu/J-D1101-990\.yaml:16:8: エラー\[E-SCHEMA-ENUM\] 「記録の形態」は", output), output
    assert "Traceback" not in output

    record.write_text(demo_jimu("J-D1101-990", "電算"), encoding="utf-8")
    # As the guide tells clerks: `daicho fmt` before committing (the daicho-fmt hook checks it).
    subprocess.run([sys.executable, "-m", "daicho", "fmt", "records/jimu/J-D1101-990.yaml"], cwd=clone,
                   check=True, capture_output=True)
    git("add", "records/jimu/J-D1101-990.yaml", cwd=clone)
    accepted = git("commit", "-m", "valid record", cwd=clone, check=False)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert re.search(r"daicho validate（記録の検査）\.+Passed", accepted.stdout + accepted.stderr)
    assert "records/jimu/J-D1101-990.yaml" in git("show", "--name-only", "--format=", "HEAD", cwd=clone).stdout


def test_duplicate_key_is_refused_by_yamllint_and_the_validator(clone: Path) -> None:
    pre_commit("install", cwd=clone)
    text = demo_jimu("J-D1101-991", "電算").replace("委託の有無: false", "委託の有無: false\n委託の有無: true")
    (clone / "records" / "jimu" / "J-D1101-991.yaml").write_text(text, encoding="utf-8")
    git("add", "records/jimu/J-D1101-991.yaml", cwd=clone)
    refused = git("commit", "-m", "duplicate key", cwd=clone, check=False)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0
    assert "records/jimu/J-D1101-991.yaml:18:1: エラー[E-YAML-DUPKEY]" in output, output
    assert re.search(r"18:1 +error +duplication of key", output), output


def test_pre_commit_run_all_files_passes(clone: Path) -> None:
    proc = pre_commit("run", "--all-files", "--show-diff-on-failure", cwd=clone, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# --- another city's repository, using this one as a hook repository --------------------

def test_hook_repository_for_another_city(snapshot: Path, tmp_path: Path) -> None:
    city = tmp_path / "city"
    (city / "records" / "jimu").mkdir(parents=True)
    git("init", "--quiet", "-b", "main", cwd=city)
    org = FIXTURES / "organization" / "base" / "records" / "organization.yaml"
    shutil.copyfile(org, city / "records" / "organization.yaml")
    config = {"repos": [{"repo": str(snapshot), "rev": head(snapshot), "hooks": [{"id": "daicho-validate"}]}]}
    (city / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    git("add", "-A", cwd=city)
    git("commit", "--quiet", "--no-verify", "-m", "organisation", cwd=city)
    pre_commit("install", cwd=city)
    assert not (city / "schemas").exists()  # the package's own schemas must be used

    jimu = FIXTURES / "jimu" / "minimal" / "records" / "jimu" / "J-D1501-001.yaml"
    record = city / "records" / "jimu" / "J-D1501-001.yaml"
    record.write_text(jimu.read_text(encoding="utf-8").replace("登録年月日: 2023-04-01", "登録年月日: 2025-02-30"),
                      encoding="utf-8")
    git("add", "-A", cwd=city)
    refused = git("commit", "-m", "broken", cwd=city, check=False)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "records/jimu/J-D1501-001.yaml:18:8: エラー[E-SCHEMA-FORMAT]" in output, output

    shutil.copyfile(jimu, record)
    git("add", "-A", cwd=city)
    accepted = git("commit", "-m", "valid", cwd=city, check=False)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert re.search(r"daicho validate（記録の検査）\.+Passed", accepted.stdout + accepted.stderr)
