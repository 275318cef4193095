"""The intranet site as one pure function: ``pages(repo, today) -> {path: Markdown}``.

Each provider in ``PROVIDERS`` is a function ``(repo, today) -> {path: Markdown}`` for one page
family; ``pages`` merges them. Record pages are front matter plus one raw HTML block rendered
by autoescaped Jinja2 templates (see :mod:`daicho.render.common`), so record text never passes
through Markdown. Two thin adapters use this: the MkDocs plugin (``daicho.mkdocs_plugin``) and
``daicho build --docs-out DIR``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from daicho import report
from daicho.render import (
    codes,
    contracts,
    departments,
    entry,
    files,
    forms,
    home,
    incidents,
    inspections,
    jimu,
    letters,
    ppc,
    requests,
)
from daicho.repository import Repository

Provider = Callable[[Repository, dt.date], dict[str, str]]

# A plain list: other modules (e.g. the annual report) append their provider here.
PROVIDERS: list[Provider] = [
    home.pages,
    jimu.pages,
    files.pages,
    contracts.pages,
    inspections.pages,
    incidents.pages,
    requests.pages,
    departments.pages,
    report.pages,
    forms.pages,
    letters.pages,
    ppc.pages,
    codes.pages,
    entry.pages,
]


def pages(repo: Repository, today: dt.date) -> dict[str, str]:
    out: dict[str, str] = {}
    for provider in PROVIDERS:
        produced = provider(repo, today)
        clash = out.keys() & produced.keys()
        if clash:  # two providers writing one path is a bug, never a silent overwrite
            raise ValueError(f"pages produced twice: {sorted(clash)[:5]}")
        out.update(produced)
    return out
