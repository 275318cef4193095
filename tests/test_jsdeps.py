"""The site's browser libraries are used only as pinned (version and the registry's sha512)."""

from __future__ import annotations

import json
from pathlib import Path

from daicho import jsdeps


def _fake_install(root: Path, version: str, integrity: str) -> None:
    folder = jsdeps.js_dir(root) / "node_modules" / jsdeps.VALIDATOR / "dist" / "esm"
    folder.mkdir(parents=True)
    (folder / "index.js").write_text("export {};\n", encoding="utf-8")
    (folder / "index.js.map").write_text("{}", encoding="utf-8")
    lock = {"packages": {f"node_modules/{jsdeps.VALIDATOR}": {"version": version, "integrity": integrity}}}
    (jsdeps.js_dir(root) / "package-lock.json").write_text(json.dumps(lock), encoding="utf-8")


def test_the_pinned_copy_is_shipped(tmp_path: Path) -> None:
    _fake_install(tmp_path, *jsdeps.PINS[jsdeps.VALIDATOR])
    assert list(jsdeps.validator_files(tmp_path)) == [jsdeps.SITE_DIR + "index.js"]  # modules only, no maps


def test_another_version_or_hash_is_refused(tmp_path: Path) -> None:
    version, integrity = jsdeps.PINS[jsdeps.VALIDATOR]
    _fake_install(tmp_path / "a", "4.1.5", integrity)
    _fake_install(tmp_path / "b", version, "sha512-" + "A" * 86 + "==")
    assert jsdeps.validator_files(tmp_path / "a") == {} and jsdeps.validator_files(tmp_path / "b") == {}
    assert jsdeps.validator_files(tmp_path / "none") == {}
