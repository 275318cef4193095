"""The guide page listing every error and finding code, made from ``schemas/errors.yaml``
(the catalogue is the one source: this page only displays it)."""

from __future__ import annotations

import datetime as dt

from daicho.errors import catalogue
from daicho.render.common import render, site_for
from daicho.repository import Repository

PAGE = "guide/codes.md"


def pages(repo: Repository, today: dt.date) -> dict[str, str]:
    entries = list(catalogue(repo.schema_dir).values())
    groups = [("エラー", "error", [e for e in entries if e.severity == "error"]),
              ("警告・指摘", "warning", [e for e in entries if e.severity == "warning"])]
    return {PAGE: render(PAGE, "codes.html", "エラー・指摘コードの一覧", site_for(repo, today), kind="codes",
                         groups=groups, total=len(entries), scripts=True)}
