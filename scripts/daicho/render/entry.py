"""入力フォーム: one page per record type that writes the record's YAML in the browser.

Nothing about a field is written here: the page ships the type's schema (with the office's
forms injected, exactly what ``daicho validate`` checks against), the error catalogue's words,
the repository's choices and ruamel's resolver table as one JSON file, and
``assets/daicho/entry.js`` builds the form from it. A schema change changes the form.

- ``entry/<type>.html`` 新規作成; ``entry/<type>.html?edit=<id>`` 修正, filled from
  ``assets/daicho/entry/records/<id>.json`` (the record's data, its path, whether it has comments);
- the hand-off to the forge comes from settings (daicho.forge).
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
from typing import Any

from ruamel.yaml import YAML

from daicho import dates, forge, jsdeps, scaffold, typemodel
from daicho.render.common import TYPE_LABEL, render, site_for
from daicho.repository import Record, Repository
from daicho.schema_messages import catalogue

DATA = "assets/daicho/entry/"
# Types with a form, in the order the forms page lists them.
TYPES = ("jimu", "file", "contract", "incident", "disclosure", "usage")


# `$defs` of common.json whose values are records of the repository: offered as choices.
CHOICES = {"部署コード": None, "事務ID": "jimu", "ファイルID": "file", "契約ID": "contract"}


def page_path(rtype: str) -> str:
    return f"entry/{rtype}.md"


def record_json(rid: str) -> str:
    return f"{DATA}records/{rid}.json"


def _js_pattern(pattern: str) -> str:
    """A verbose Python pattern as a JS one: whitespace outside character classes dropped,
    ``$`` (Python: also before a final newline) kept as it is — multi-line text is never plain."""
    out, in_class, escaped = [], False, False
    for ch in pattern:
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        elif ch == "[":
            in_class = True
            out.append(ch)
        elif ch == "]":
            in_class = False
            out.append(ch)
        elif ch.isspace() and not in_class:
            continue
        else:
            out.append(ch)
    return "".join(out)


def resolver_table() -> dict[str, list[str]]:
    """ruamel's implicit resolvers (YAML 1.2, as yamlfmt uses them): {first character: patterns}."""
    table = YAML().resolver.versioned_resolver
    return {first: [_js_pattern(rx.pattern) for _tag, rx in entries] for first, entries in table.items()}


def spec(repo: Repository, rtype: str, today: dt.date) -> dict[str, Any]:
    rt, types = repo.types[rtype], typemodel.model(repo.schema_dir)
    common = json.loads((repo.schema_dir / "common.json").read_text(encoding="utf-8"))
    depts = sorted(repo.departments.values(), key=lambda d: d.code)
    choices: dict[str, list[list[str]]] = {
        "部署コード": [[d.code, d.name] for d in depts if d.valid_on(today.isoformat())]}
    for name, other in CHOICES.items():
        if other:
            choices[name] = [[r.id, types[other].title_of(r.data)] for r in sorted(repo.of_type(other), key=lambda r: r.id)]
    t = types[rtype]
    folder = t.record_folder() + ("/{fy}" if t.fiscal_year_folders else "")
    f = forge.from_settings(repo.settings)
    return {
        "type": rtype,
        "title": t.label,
        "schema": rt.schema,
        "common": common,
        "layout": typemodel.inline(rt.schema, common["$defs"]),  # each resolved $ref marked x-ref
        "words": catalogue(repo.schema_dir),
        "choices": choices,
        "organs": {d.code: d.organ for d in depts},
        "ids": sorted(r.id for r in repo.records),
        "id": {"template": t.id_template or "", "folder": folder, "dept": t.id_dept, "fy": list(t.id_fy),
               "alphabet": scaffold.ALPHABET},
        "today": today.isoformat(),
        "dates": {"loose": dates._LOOSE.pattern.replace("(?P<", "(?<"),
                  "eras": [[start.isoformat(), name] for start, name in dates._ERAS]},
        "resolver": resolver_table(),
        # Bases the form appends the path (and for a new file the content) to, as forge.py does.
        "forge": {"new": forge.new_file_base(f), "edit": forge.edit_url(f, ""), "prefills": f.prefills,
                  "max_url": forge.MAX_URL},
    }


_COMMENT = re.compile(r"^\s*#", re.M)  # a full-line comment; the form cannot keep it


def _record_data(r: Record, repo: Repository) -> dict[str, Any]:
    text = (repo.root / r.path).read_text(encoding="utf-8")
    return {"id": r.id, "path": r.path, "data": r.data, "comments": bool(_COMMENT.search(text))}


def data_files(repo: Repository, today: dt.date) -> dict[str, bytes]:
    """The forms' JSON (one spec per type, one file per record) and the validator's modules."""
    out: dict[str, bytes] = {}
    for rtype in TYPES:
        if rtype in repo.types:
            out[f"{DATA}{rtype}.json"] = json.dumps(spec(repo, rtype, today), ensure_ascii=False).encode()
    for r in repo.records:
        if r.type in TYPES:
            out[record_json(r.id)] = json.dumps(_record_data(r, repo), ensure_ascii=False).encode()
    out.update(jsdeps.validator_files(repo.root))
    return out


def pages(repo: Repository, today: dt.date) -> dict[str, str]:
    site = site_for(repo, today)
    out = {}
    for rtype in TYPES:
        if rtype not in repo.types:
            continue
        path = page_path(rtype)
        out[path] = render(path, "entry.html", f"{TYPE_LABEL[rtype]}の入力フォーム", site, kind="entry",
                           searchable=False, rtype=rtype,
                           spec_url=posixpath.relpath(f"{DATA}{rtype}.json", posixpath.dirname(path)),
                           description=repo.types[rtype].schema.get("description", ""),
                           validator=bool(jsdeps.installed(repo.root, jsdeps.VALIDATOR)))
    index = "entry/index.md"
    out[index] = render(index, "entry_index.html", "入力フォーム", site, kind="entry-index",
                        types=[(TYPE_LABEL[t], page_path(t)) for t in TYPES if t in repo.types])
    return out
