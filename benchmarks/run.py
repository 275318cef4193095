"""``make bench``: run every benchmark and print its table (other benchmarks add themselves here)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import site_build  # noqa: E402

BENCHMARKS = [site_build.main]

if __name__ == "__main__":
    for bench in BENCHMARKS:
        bench()
