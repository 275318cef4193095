"""The words of schema errors, from the error catalogue (``schemas/errors.yaml``).

``daicho validate`` and the site's input forms (``assets/daicho/entry.js``) fill the same
templates: ``{name}`` is replaced by a value, extra fields of an entry (``label``, ``hint``,
``types``, ``side``) hold the optional parts of a message. Nothing else words a schema error.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from daicho import yamlio

CODES = ("E-SCHEMA-REQUIRED", "E-SCHEMA-ADDITIONAL", "E-SCHEMA-UNFILLED", "E-SCHEMA-ENUM", "E-SCHEMA-CONST",
         "E-SCHEMA-TYPE", "E-SCHEMA-PATTERN", "E-SCHEMA-FORMAT", "E-SCHEMA-RANGE", "E-SCHEMA-MINITEMS",
         "E-SCHEMA-UNIQUE")
_FIELD = re.compile(r"\{([^{}]+)\}")


@cache
def catalogue(schema_dir: Path) -> dict[str, dict[str, Any]]:
    """The schema codes' entries of the catalogue (message templates and their parts)."""
    data = yamlio.load_bytes((schema_dir / "errors.yaml").read_bytes()).data or {}
    missing = [c for c in CODES if not isinstance(data.get(c), dict) or "message" not in data[c]]
    if missing:
        raise ValueError(f"schemas/errors.yaml に {', '.join(missing)} の message がありません")
    return {c: data[c] for c in CODES}


def fill(template: str, **fields: object) -> str:
    """``{name}`` → the field's value; the same substitution as ``fill`` in entry.js."""
    return _FIELD.sub(lambda m: str(fields.get(m.group(1), "")), template)
