"""The browser libraries the intranet site ships, pinned and checked like axe-core in the tests.

``make install`` runs ``python -m daicho.jsdeps``: npm fetches each package at its pinned
version into ``.daicho-cache/js/`` (never committed) and verifies the tarball against the
registry's sha512; a copy whose lock entry names another version or hash is refused here and
at build time. Without npm the site is still built; the input forms then say that their
checks run in CI only.

- @cfworker/json-schema: a JSON Schema 2020-12 validator that interprets schemas (no ``eval``,
  no ``new Function``), so it runs under the site's CSP. The forms feed it the same schemas
  ``daicho validate`` uses.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

# name → (version, the registry's sha512 of its tarball)
PINS = {
    "@cfworker/json-schema": ("4.1.6", "sha512-YzVGTHXf4bzlyAL5KAvHYCdNbbt6zM5cYkAgxqxQPDQM6aZ4ShIIN5yJ+6q7Ye"
                                       "onnevxT8k/LmD2tJi/jOiKkg=="),
}
VALIDATOR = "@cfworker/json-schema"
SITE_DIR = "assets/daicho/vendor/json-schema/"  # where the validator's ES modules are published


def js_dir(root: Path) -> Path:
    return root / ".daicho-cache" / "js"


def installed(root: Path, name: str) -> Path | None:
    """The package's folder if the pinned version with the pinned hash is installed."""
    version, integrity = PINS[name]
    try:
        lock = json.loads((js_dir(root) / "package-lock.json").read_text(encoding="utf-8"))
        entry = lock["packages"][f"node_modules/{name}"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    folder = js_dir(root) / "node_modules" / name
    ok = entry.get("version") == version and entry.get("integrity") == integrity
    return folder if ok and folder.is_dir() else None


def install(root: Path) -> list[str]:
    """Install every pinned package that is missing; the problems, in Japanese (none: [])."""
    missing = [n for n in PINS if installed(root, n) is None]
    if not missing:
        return []
    npm = shutil.which("npm")
    if npm is None:
        return [f"npm がないため {', '.join(missing)} を入れられません（入力フォームの即時検査は使えません）"]
    js_dir(root).mkdir(parents=True, exist_ok=True)
    proc = subprocess.run([npm, "install", "--prefix", str(js_dir(root)), "--no-audit", "--no-fund",
                           "--ignore-scripts", "--save-exact", *(f"{n}@{PINS[n][0]}" for n in missing)],
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        return [f"npm install に失敗しました: {proc.stderr.strip()[-800:]}"]
    return [f"{n} が固定した版（{PINS[n][0]}）・ハッシュと一致しません" for n in missing if installed(root, n) is None]


def validator_files(root: Path) -> dict[str, bytes]:
    """The validator's ES modules as site files ({} when it is not installed as pinned)."""
    folder = installed(root, VALIDATOR)
    if folder is None:
        return {}
    return {SITE_DIR + p.name: p.read_bytes() for p in sorted((folder / "dist" / "esm").glob("*.js"))}


def main() -> int:
    from daicho.repository import find_root

    problems = install(find_root(None))
    for p in problems:
        print(f"daicho.jsdeps: {p}", file=sys.stderr)
    return 0  # the site builds without them; the forms say so


if __name__ == "__main__":
    raise SystemExit(main())
