"""Headers and 単票 labels to fields: by the schema's titles and aliases, tolerant of item
numbers, spaces, full-width letters and brackets; `--map 見出し=項目` settles the rest, and
an unknown header gets a 「もしかして」 hint."""

from __future__ import annotations

import difflib
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from daicho.importer.fields import GROUP, Field

IGNORE = "無視"  # `--map 見出し=無視` (or =-) leaves a column out
_LEAD = re.compile(r"^(?:第?[0-9]+[a-z]?(?:[-－‐–][0-9]+)?(?:[.．、)）:]|号|\s)?|[(（][0-9]+[a-z]?[)）])\s*")
_NOTE = re.compile(r"[※＊*].*$")
_PUNCT = re.compile(r"[\s\u3000【】\[\]「」『』〈〉<>:：・･]")


def key(text: Any) -> str:
    """A header as compared: item number, note marks, spaces and brackets gone; （ ） kept as ()."""
    s = unicodedata.normalize("NFKC", str(text or "")).strip()
    s = _NOTE.sub("", s)
    s = _LEAD.sub("", s)
    return _PUNCT.sub("", s).lower()


class MappingError(ValueError):
    """A --map or mapping file that names no field; the message is for the user."""


class Matcher:
    def __init__(self, fields: list[Field], ignored: frozenset[str], user: dict[str, str] | None = None) -> None:
        self.fields = fields
        self.ignored = ignored
        self.names: dict[str, Field] = {}
        for f in fields:  # every field's own header first, so an alias never hides one
            self.names.setdefault(key(f.header), f)
        for f in fields:
            for name in (*f.names, ".".join(p for p in f.path if p != GROUP)):
                self.names.setdefault(key(name), f)
        self.user: dict[str, Field | None] = {}
        for header, target in (user or {}).items():
            if str(target).strip() in (IGNORE, "-", ""):
                self.user[key(header)] = None
            elif key(target) in self.names:
                self.user[key(header)] = self.names[key(target)]
            else:
                hint = self.hint(str(target))
                raise MappingError(f"対応付け「{header}={target}」の項目「{target}」がありません"
                                   + (f"（もしかして「{hint}」？）" if hint else ""))

    def match(self, header: Any) -> Field | None | str:
        """The field, IGNORE for a column to leave out, or None when nothing matches."""
        k = key(header)
        if k in self.user:
            return self.user[k] or IGNORE
        if k in self.names:
            return self.names[k]
        if k in self.ignored or k.rstrip(".") in self.ignored:
            return IGNORE
        return None

    def hint(self, header: Any) -> str | None:
        close = difflib.get_close_matches(key(header), list(self.names), n=1, cutoff=0.6)
        return self.names[close[0]].header if close else None


def read_user_map(pairs: list[str], files: list[Path]) -> dict[str, str]:
    """`見出し=項目` pairs and YAML mapping files (見出し: 項目) into one dict."""
    out: dict[str, str] = {}
    for path in files:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            raise MappingError(f"{path.name}: 対応付けファイルを読めません（ファイルがないか、YAML の書き方が違います）") from None
        if not isinstance(data, dict):
            raise MappingError(f"{path.name}: 「見出し: 項目」の形で書いてください")
        out.update({str(k): "" if v is None else str(v) for k, v in data.items()})
    for pair in pairs:
        header, sep, target = pair.partition("=")
        if not sep or not header.strip():
            raise MappingError(f"--map は「見出し=項目」の形で指定してください（{pair}）")
        out[header.strip()] = target.strip()
    return out
