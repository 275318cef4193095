"""Both sites build the same with MkDocs 1.6.1 and with ProperDocs, its maintained 1.x fork
(issue 18 §7, docs/maintained-core.md): same files, same bytes, except the generator's name."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser import DEMO_TODAY
from tests.conftest import ROOT

_GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def _build(core: str, config: str, out: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DAICHO_TODAY": DEMO_TODAY, "DAICHO_CORE": core}
    return subprocess.run([sys.executable, "-m", "daicho", "build", "-f", str(ROOT / config), "-d", str(out)],
                          cwd=ROOT, capture_output=True, text=True, env=env, timeout=900)


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): _GENERATOR.sub(b"", p.read_bytes())
            for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("config", ["mkdocs.public.yml", "mkdocs.yml"])
def test_mkdocs_and_properdocs_build_the_same_site(tmp_path: Path, config: str) -> None:
    trees = {}
    for core in ("mkdocs", "properdocs"):
        result = _build(core, config, tmp_path / core)
        assert result.returncode == 0, (core, result.stderr[-3000:])
        # Our entry point keeps Material's end-of-life banner out of the terminal.
        assert "end of life" not in result.stderr + result.stdout
        trees[core] = _tree(tmp_path / core)
    mk, pd = trees["mkdocs"], trees["properdocs"]
    assert sorted(mk) == sorted(pd)
    assert [name for name in mk if mk[name] != pd[name]] == []
    generators = _GENERATOR.findall((tmp_path / "properdocs" / "index.html").read_bytes())
    assert generators and b"ProperDocs" in generators[0]
