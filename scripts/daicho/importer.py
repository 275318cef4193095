"""Import a city's existing registers (CSV or XLSX) as records, all or nothing.

Headers are matched by the schema's titles and ``x-aliases``; each row becomes one record
with a new id (or its own 整理番号 if that is a valid, unused id). The whole batch is checked
together with the repository, through the same loader and validator as every other record,
before a single file is written.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from daicho import repository, yamlio
from daicho.cellsafe import restore
from daicho.dates import parse_loose
from daicho.export import CODE_HEADER, Column, columns
from daicho.result import Issue

TARGETS = {"filebook": ("file", "files", "F"), "jimu": ("jimu", "jimu", "J")}
_TRUE = {"はい", "有", "あり", "○", "〇", "true", "該当", "含む"}
_FALSE = {"いいえ", "無", "なし", "×", "false", "非該当", "含まない", "-", "－"}
_BULLET = re.compile(r"^\s*(?:[0-9]+[.)．）]\s*|[0-9]+\s+|[・･]\s*)")


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text))
    text = re.sub(r"^[0-9]+[a-z]?[\s.．)）]*", "", text)
    return re.sub(r"\s+", "", text)


@dataclass
class Batch:
    """What an import would write: repository-relative path → YAML text, plus problems."""

    files: dict[str, str] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    rows_ok: set[int] = field(default_factory=set)


def read_table(path: Path) -> list[list[str]]:
    """Rows of strings; CSV as UTF-8 (BOM or not) or Excel's Shift_JIS, XLSX's first sheet."""
    if path.suffix.lower() == ".xlsx":
        ws = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        return [["" if c is None else restore(str(c)) for c in row] for row in ws.iter_rows(values_only=True)]
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValueError("文字コードを判別できません（UTF-8 か Shift_JIS で保存してください）")
    return [[restore(c) for c in row] for row in csv.reader(io.StringIO(text, newline=""))]


class _Converter:
    def __init__(self, repo: repository.Repository) -> None:
        self.repo = repo
        organs = repo.organization.get("実施機関", [])
        self.organs = {_norm(o.get("行政機関等の名称", o["名称"])): o["名称"] for o in organs}
        self.organs.update({_norm(o["名称"]): o["名称"] for o in organs})
        self.depts: dict[str, str] = {}
        for code, d in sorted(repo.departments.items(), key=lambda kv: kv[1].end is None):
            self.depts[_norm(d.name)] = code
            self.depts[_norm(f"{d.bu}{d.name}")] = code
            self.depts[_norm(code)] = code

    def dept(self, text: str) -> str:
        if _norm(text) not in self.depts:
            raise ValueError("組織マスタにない部署です")
        return self.depts[_norm(text)]

    def value(self, col: Column, cell: str) -> Any:
        """Cell text → record value; raises ValueError with a Japanese reason."""
        text = cell.strip()
        if col.kind == "list":
            items = [_BULLET.sub("", line).strip() for line in text.splitlines()]
            return [self.dept(i) if col.ref.endswith("部署コード") else i for i in items if i]
        if col.ref.endswith("実施機関"):
            if _norm(text) not in self.organs:
                raise ValueError("組織マスタにない実施機関です")
            return self.organs[_norm(text)]
        if col.ref.endswith("部署コード"):
            return self.dept(text)
        if col.kind == "bool":
            word = _norm(text).lower()
            if word in {_norm(w) for w in col.labels[1:]} | _TRUE:
                return True
            if word in {_norm(w) for w in col.labels[:1]} | _FALSE:
                return False
            raise ValueError(f"「{col.labels[1]}」か「{col.labels[0]}」で書いてください")
        if col.kind == "org":
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            org = {"名称": lines[0]}
            if lines[1:]:
                org["所在地"] = " ".join(lines[1:])
            return org
        if col.kind == "date":
            day = parse_loose(text)
            if day is None:
                raise ValueError("日付として読めません（例: 2025-06-27、令和7年6月27日）")
            return day.isoformat()
        if col.kind == "int":
            digits = unicodedata.normalize("NFKC", text).replace(",", "")
            if not digits.isdigit():
                raise ValueError("数字だけで書いてください")
            return int(digits)
        return text


def _match(header_row: list[str], cols: list[Column]) -> tuple[dict[int, Column], list[str]]:
    names: dict[str, Column] = {}
    for col in cols:
        for name in (col.header, *col.aliases):
            names.setdefault(_norm(name), col)
    mapping, unknown = {}, []
    for i, header in enumerate(header_row):
        key = _norm(header)
        if not key or key == _norm(CODE_HEADER):
            continue
        if key in names:
            mapping[i] = names[key]
        else:
            unknown.append(header)
    return mapping, unknown


def _allocator(prefix: str, taken: set[str]) -> Callable[[str], str]:
    """Next free department-scoped number for each new id."""
    def allocate(dept: str) -> str:
        n = 1
        while f"{prefix}-{dept}-{n:03d}" in taken:
            n += 1
        new = f"{prefix}-{dept}-{n:03d}"
        taken.add(new)
        return new
    return allocate


def plan(repo: repository.Repository, target: str, source: Path) -> Batch:
    """Convert and check every row; write nothing."""
    rtype, folder, prefix = TARGETS[target]
    schema = repo.types[rtype].schema
    name = source.name
    batch = Batch()
    try:
        table = [r for r in read_table(source) if any(c.strip() for c in r)]
    except (OSError, ValueError, KeyError) as exc:
        batch.issues.append(Issue(name, 1, 1, "E-IMPORT-READ", f"表を読めません（{exc}）"))
        return batch
    if not table:
        batch.issues.append(Issue(name, 1, 1, "E-IMPORT-EMPTY", "表が空です"))
        return batch
    mapping, unknown = _match(table[0], columns(schema, public_only=False))
    for header in unknown:
        col = table[0].index(header) + 1
        batch.issues.append(Issue(name, 1, col, "E-IMPORT-HEADER", f"列「{header}」はどの項目にも対応しません"))
    if unknown:
        return batch
    convert = _Converter(repo)
    taken = set(repo.by_id)
    allocate = _allocator(prefix, taken)
    id_pattern = re.compile(schema["properties"]["id"]["pattern"].rstrip("$") + r"\Z")
    row_of: dict[str, int] = {}
    required = set(schema.get("required", []))
    for line, row in enumerate(table[1:], start=2):
        data: dict[str, Any] = {}
        bad = False
        for i, col in mapping.items():
            cell = row[i] if i < len(row) else ""
            if not cell.strip():
                if col.kind == "list" and col.path[0] in required:  # e.g. 経常的提供先: none
                    data[col.path[0]] = []
                continue
            try:
                value = convert.value(col, cell)
            except ValueError as exc:
                batch.issues.append(Issue(name, line, i + 1, "E-IMPORT-VALUE",
                                          f"{line}行目「{table[0][i]}」列: {exc}", col.path))
                bad = True
                continue
            target_dict = data
            for part in col.path[:-1]:
                target_dict = target_dict.setdefault(part, {})
            target_dict[col.path[-1]] = value
        if bad:
            continue
        own = data.pop("id", "")
        dept = data.get("所管課", "D0000")
        data = {"id": own if id_pattern.match(own) and own not in taken else allocate(dept), **data}
        taken.add(data["id"])
        ordered = {k: data[k] for k in schema["properties"] if k in data}
        rel = f"records/{folder}/{ordered['id']}.yaml"
        batch.files[rel] = yamlio.dump(ordered, f"../../schemas/{rtype}.json")
        row_of[rel] = line
    checked = repository.load(repo.root, {k: v.encode("utf-8") for k, v in batch.files.items()})
    headers = {col.path: table[0][i] for i, col in mapping.items()}
    failed: set[str] = set()
    for issue in checked.issues:
        if issue.file in row_of and issue.severity == "error":
            line = row_of[issue.file]
            column = next((h for p, h in headers.items() if issue.path[:len(p)] == p), None)
            where = f"「{column}」列" if column else "（列なし）"
            col_no = table[0].index(column) + 1 if column else 1
            batch.issues.append(Issue(name, line, col_no, issue.code, f"{line}行目{where}: {issue.message}",
                                      issue.path))
            failed.add(issue.file)
    batch.rows_ok = {row_of[f] for f in batch.files if f not in failed}
    for f in failed:
        del batch.files[f]
    return batch


def write(root: Path, files: dict[str, str]) -> None:
    """Write every file or none: temp files first, then renames."""
    staged: list[tuple[str, Path]] = []
    try:
        for rel, text in files.items():
            dest = root / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".import-", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            staged.append((tmp, dest))
        if any(dest.exists() for _, dest in staged):
            raise FileExistsError("取り込み先に同じ名前のファイルがあります")
        for tmp, dest in staged:
            os.replace(tmp, dest)
    finally:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
