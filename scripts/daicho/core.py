"""Which MkDocs core builds the sites: MkDocs 1.6.1 or ProperDocs, its maintained 1.x fork.

Both read the same mkdocs.yml, run the same plugins and the same Material theme and write the
same files (tests/test_core_builds.py compares the trees). ``DAICHO_CORE`` (``mkdocs`` or
``properdocs``) chooses; without it ProperDocs is used when installed. See docs/maintained-core.md.
"""

from __future__ import annotations

import os
from importlib.util import find_spec

CORES = ("properdocs", "mkdocs")


def module() -> str:
    """The core's module name, for ``python -m``."""
    chosen = os.environ.get("DAICHO_CORE", "")
    if chosen in CORES:
        return chosen
    return next(c for c in CORES if c == "mkdocs" or find_spec(c) is not None)


def environment() -> dict[str, str]:
    """The environment for a build: Material's end-of-life banner is for the project's
    maintainers (docs/maintained-core.md), not for every clerk who builds the site."""
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
