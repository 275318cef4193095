"""Shared fixtures: the project root and a helper to run the real CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytest_plugins = ["tests.hang_guard"]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="module")
def repo() -> Any:
    """The demo repository (per module: a test may change what it was given)."""
    from daicho import repository

    return repository.load(ROOT)


@pytest.fixture(scope="module")
def pages(repo: Any) -> dict[str, str]:
    """Every intranet page of the demo on the demo's day, by path."""
    import datetime as dt

    from daicho import render
    from tests.browser import DEMO_TODAY

    return render.pages(repo, dt.date.fromisoformat(DEMO_TODAY))


def run_daicho(*args: str, cwd: Path = ROOT, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``python -m daicho`` as a user would, capturing its output."""
    return subprocess.run(
        [sys.executable, "-m", "daicho", *args],
        cwd=cwd, capture_output=True, text=True, timeout=timeout,
    )


from tests.browser import *  # noqa: E402,F401,F403 - shared site and browser fixtures
