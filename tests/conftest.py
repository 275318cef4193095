"""Shared fixtures: the project root and a helper to run the real CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytest_plugins = ["tests.hang_guard"]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def run_daicho(*args: str, cwd: Path = ROOT, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``python -m daicho`` as a user would, capturing its output."""
    return subprocess.run(
        [sys.executable, "-m", "daicho", *args],
        cwd=cwd, capture_output=True, text=True, timeout=timeout,
    )


from tests.browser import *  # noqa: E402,F401,F403 - shared site and browser fixtures
