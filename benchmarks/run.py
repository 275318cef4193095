"""``make bench``: the scale benchmark's one table (``BENCH_N`` records, default 1,000).

``benchmarks/site_build.py`` (the demo site's build, where its time goes) runs on its own:
``python benchmarks/site_build.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import import_rows  # noqa: E402
import scale  # noqa: E402
import validation_cost  # noqa: E402

BENCHMARKS = [scale.main, import_rows.main, validation_cost.main]

if __name__ == "__main__":
    for bench in BENCHMARKS:
        bench()
