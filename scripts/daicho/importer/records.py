"""Rows into records, all checked together before anything is written.

Each row (or 単票 sheet) becomes one record; in a register with a row group (the decisions of
a 開示請求) the rows of one record follow each other, sharing its ID or leaving the record's
columns blank. A row whose ID is already a record updates that record: the workbook's columns
replace those values and everything else is kept, so re-importing an unchanged export changes
no file. New records get the next department (or year) sequence number. The whole batch is
checked with the repository through the same loader and validator as every other record.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from daicho import repository, scaffold, typemodel, yamlio
from daicho.dates import fiscal_year
from daicho.importer.fields import GROUP, register_fields
from daicho.importer.layout import Cell, Layout, Notice, Row, detect
from daicho.importer.mapping import Matcher
from daicho.importer.reader import ReadError, Sheet, read
from daicho.importer.values import Interpreter, Vocabulary, norm, vocabulary
from daicho.result import Issue


@dataclass
class Planned:
    """One record the batch would write, and where it came from."""

    id: str
    path: str
    status: str                    # 新規 | 更新 | 変更なし
    title: str
    where: str
    sheet: Sheet | None = None
    r: int = 0
    unread: set[tuple[str | int, ...]] = field(default_factory=set)  # already reported as unreadable
    cells: dict[tuple[str | int, ...], Cell] = field(default_factory=dict)


@dataclass
class Batch:
    """What an import would write: repository-relative path → YAML text, plus problems."""

    files: dict[str, str] = field(default_factory=dict)
    replace: set[str] = field(default_factory=set)      # paths of updated records
    records: list[Planned] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)       # paths of records with errors


@dataclass
class _Draft:
    row: Row
    sheet: Sheet
    own_id: str
    data: dict[str, Any] = field(default_factory=dict)
    items: list[dict[str, Any]] = field(default_factory=list)
    covered: set[tuple[str, ...]] = field(default_factory=set)
    cells: dict[tuple[str | int, ...], Cell] = field(default_factory=dict)
    bad: set[tuple[str | int, ...]] = field(default_factory=set)  # paths whose cell could not be read


def _set(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        data = data.setdefault(part, {})
    data[path[-1]] = value


def _delete(data: dict[str, Any], path: tuple[str, ...]) -> None:
    parents = [data]
    for part in path[:-1]:
        if not isinstance(parents[-1].get(part), dict):
            return
        parents.append(parents[-1][part])
    parents[-1].pop(path[-1], None)
    for parent, part in zip(reversed(parents[:-1]), reversed(path[:-1]), strict=False):
        if parent.get(part) == {}:
            del parent[part]


def _get(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    for part in path:
        data = data.get(part) if isinstance(data, dict) else None  # type: ignore[assignment]
    return data


def _ordered(data: Any, schema: dict[str, Any]) -> Any:
    """Keys in schema order at every level the schema describes (the order `daicho fmt` keeps)."""
    if isinstance(data, list):
        return [_ordered(v, schema.get("items", {})) for v in data]
    if not isinstance(data, dict):
        return data
    props = schema.get("properties", {})
    keys = [k for k in props if k in data] + [k for k in data if k not in props]
    return {k: _ordered(data[k], props.get(k, {})) for k in keys}


class _Planner:
    def __init__(self, repo: repository.Repository, target: str, user_map: dict[str, str] | None) -> None:
        self.repo = repo
        self.words: Vocabulary = vocabulary(repo.schema_dir)
        register = self.words.registers[target]
        self.rtype: str = register["型"]
        self.group: str | None = register.get("行に分ける項目")
        self.derived: dict[str, str] = register.get("補う項目", {})
        self.schema = repo.types[self.rtype].schema
        self.fields = register_fields(repo.schema_dir, self.schema, self.group)
        self.matcher = Matcher(self.fields, self.words.ignored, user_map)
        self.convert = Interpreter(repo, self.words)
        self.id_pattern = re.compile(self.schema["properties"]["id"]["pattern"])
        self.batch = Batch()
        self.drafts: list[_Draft] = []

    # -- reading -----------------------------------------------------------------------------
    def add_source(self, source: Path, sheets: list[str] | None) -> None:
        try:
            found = read(source, sheets)
        except ReadError as exc:
            self.batch.issues.append(Issue(source.name, 1, 1, "E-IMPORT-READ", f"表を読めません（{exc}）"))
            return
        layouts = [(s, detect(s, self.matcher, self.words.footnote)) for s in found]
        if not any(lay for _, lay in layouts):
            where = found[0].where(0, 0) if found else source.name
            self.batch.issues.append(Issue(where, 1, 1, "E-IMPORT-LAYOUT",
                                           "見出しの行も単票の項目も見つかりません（--map で見出しを対応付けられます）"))
            return
        for sheet, layout in layouts:
            if layout is None:
                self.batch.notices.append(Notice(f"{source.name}:{sheet.name}",
                                                 "台帳の見出しがないシートを読み飛ばしました"))
            else:
                self._add_layout(sheet, layout)

    def _add_layout(self, sheet: Sheet, layout: Layout) -> None:
        for r, c, header, hint in layout.unknown:
            self.batch.issues.append(Issue(
                sheet.where(r, c), r + 1, c + 1, "E-IMPORT-HEADER",
                f"列「{header}」はどの項目にも対応しません" + (f"（もしかして「{hint}」？）" if hint else "")
                + "。--map 見出し=項目 で対応付けるか、--map 見出し=無視 で読み飛ばせます"))
        for r, c, header in layout.duplicate:
            self.batch.issues.append(Issue(sheet.where(r, c), r + 1, c + 1, "E-IMPORT-DUPLICATE-COLUMN",
                                           f"列「{header}」は、ほかの列と同じ項目に対応します"))
        self.batch.notices.extend(layout.notices)
        if layout.unknown or layout.duplicate:
            return
        previous: dict[int, Any] = {}
        for row in layout.rows:
            self._add_row(sheet, row, previous)

    # -- one row -----------------------------------------------------------------------------
    def _raw(self, sheet: Sheet, cell: Cell, previous: dict[int, Any]) -> Any:
        raw = cell.raw
        if isinstance(raw, str) and norm(raw) in self.words.ditto:
            if cell.c not in previous:
                raise ValueError(f"「{raw.strip()}」（上の行と同じ）ですが、上の行に値がありません")
            self.batch.notices.append(Notice(sheet.where(cell.r, cell.c), f"「{raw.strip()}」を上の行の値と読みました"))
            raw = previous[cell.c]
        if raw is not None and not (isinstance(raw, str) and not raw.strip()):
            previous[cell.c] = raw  # 同上 under a blank continuation row means the last value above
        return raw

    def _read_cell(self, sheet: Sheet, cell: Cell, previous: dict[int, Any], target: dict[str, Any]) -> None:
        """The cell's value into ``target``; nothing for an empty cell. Raises ValueError."""
        f = cell.field
        raw = self._raw(sheet, cell, previous)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if f.kind == "list" and f.required and not f.in_group:
                target[f.record_path[0]] = []
            return
        if isinstance(raw, str) and f.kind != "bool" and raw.strip() not in f.enum \
                and self.convert.is_empty_word(raw) and (f.kind == "list" or not f.required):
            if f.kind == "list" and f.required:
                _set(target, f.record_path, [])
            self.batch.notices.append(Notice(sheet.where(cell.r, cell.c), f"「{raw.strip()}」を空欄と読みました"))
            return
        value, note = self.convert.value(f, raw)
        if note:
            self.batch.notices.append(Notice(sheet.where(cell.r, cell.c), note))
        _set(target, f.record_path, value)

    def _add_row(self, sheet: Sheet, row: Row, previous: dict[int, Any]) -> None:
        own = next((c for c in row.cells if c.field.path == ("id",)), None)
        own_id = "" if own is None or own.raw is None else str(own.raw).strip()
        record: dict[str, Any] = {}
        item: dict[str, Any] = {}
        draft = _Draft(row, sheet, own_id)
        for cell in row.cells:
            f = cell.field
            if f.path == ("id",):
                continue
            if not f.in_group:
                draft.covered.add(f.path)
            try:
                self._read_cell(sheet, cell, previous, item if f.in_group else record)
            except ValueError as exc:
                self._cell_issue(sheet, cell, "E-IMPORT-VALUE", str(exc), f.record_path)
                draft.bad.add(f.path[:f.path.index(GROUP)] if f.in_group else f.record_path)
                continue
            draft.cells[f.record_path if not f.in_group else ("",) + f.record_path] = cell
        current = self.drafts[-1] if self.drafts else None
        if self.group and current is not None and current.sheet is sheet and self._continues(current, draft, record):
            clash = next((k for k, v in record.items() if k in current.data and current.data[k] != v), None)
            if clash:
                cell = next(c for c in row.cells if c.field.path[0] == clash)
                self._cell_issue(sheet, cell, "E-IMPORT-GROUP",
                                 f"同じ記録の続きの行ですが、「{cell.label}」が上の行と違います", (clash,))
                current.bad.add((clash,))
            if item:
                self._add_item(current, draft, item)
            current.bad |= draft.bad
            return
        draft.data = record
        if own is not None:
            draft.cells[("id",)] = own
        if item:
            self._add_item(draft, draft, item)
        if self.group and any(f.in_group for f in (c.field for c in row.cells)):
            draft.covered.add((self.group,))
        self.drafts.append(draft)

    def _continues(self, current: _Draft, draft: _Draft, record: dict[str, Any]) -> bool:
        if draft.own_id:
            return draft.own_id == current.own_id
        return not {k: v for k, v in record.items() if v != []}

    def _add_item(self, owner: _Draft, draft: _Draft, item: dict[str, Any]) -> None:
        index = len(owner.items)
        owner.items.append(item)
        for key in [k for k in draft.cells if k[:1] == ("",)]:
            owner.cells[(self.group, index, *key[1:])] = draft.cells.pop(key)  # type: ignore[misc]
        if owner is not draft:
            owner.cells.setdefault((self.group, index), draft.row.cells[0])  # type: ignore[index]

    def _cell_issue(self, sheet: Sheet, cell: Cell, code: str, message: str,
                    path: tuple[str | int, ...]) -> None:
        self.batch.issues.append(Issue(sheet.where(cell.r, cell.c), cell.r + 1, cell.c + 1, code,
                                       f"{cell.r + 1}行目「{cell.label}」列: {message}", path))

    # -- records -----------------------------------------------------------------------------
    def _allocate(self, data: dict[str, Any], taken: set[str]) -> str:
        info = typemodel.model(self.repo.schema_dir)[self.rtype]
        template = info.id_template or ""
        # The schema's id_from says where: a contract's 年度 is the one its work starts in (a
        # March contract for April work belongs to the new year), a request's the one received.
        dept, day = info.id_parts(data)
        dept = dept or "D0000"
        fy = fiscal_year(day) if isinstance(day, str) and re.match(r"\d{4}-\d{2}-\d{2}$", day) else scaffold.current_fy()
        width = 4 if "{dept}" not in template else 3
        n = 1
        while True:
            candidate = template.format(fy=fy, dept=dept, rand=f"{n:0{width}d}")
            if candidate not in taken:
                taken.add(candidate)
                return candidate
            n += 1

    def _folder(self, record_id: str) -> str:
        fy = re.search(r"-(20[0-9]{2})-", record_id)
        return typemodel.model(self.repo.schema_dir)[self.rtype].record_folder(int(fy.group(1)) if fy else None)

    def _derive(self, draft: _Draft) -> None:
        """Values a ledger states in another column (import.yaml 補う項目): the checklist's 問1
        is the answer to 「個人情報を取り扱うか」."""
        for target, source in self.derived.items():
            path = tuple(target.split("."))
            value = _get(draft.data, tuple(source.split(".")))
            if not isinstance(value, bool) or path in draft.covered:
                continue
            field = next(f for f in self.fields if f.path == path)
            _set(draft.data, path, field.enum[0] if value else field.enum[1])
            draft.covered.add(path)
            self.batch.notices.append(Notice(draft.sheet.where(draft.row.r, 0),
                                             f"「{field.header}」を「{source}」の値から補いました"))

    def finish(self) -> Batch:
        batch = self.batch
        taken = set(self.repo.by_id)
        seen: dict[str, _Draft] = {}
        for draft in self.drafts:
            self._derive(draft)
            if draft.items:
                draft.data[self.group] = draft.items  # type: ignore[index]
            existing = self.repo.get(draft.own_id) if self.id_pattern.match(draft.own_id) else None
            if draft.own_id in seen:
                self._cell_issue(draft.sheet, draft.cells.get(("id",), draft.row.cells[0]), "E-IMPORT-DUPLICATE-ID",
                                 "同じ ID の記録がこの表に2回あります", ("id",))
                continue
            if existing is not None and existing.type != self.rtype:
                existing = None
            if draft.own_id and not self.id_pattern.match(draft.own_id):
                batch.notices.append(Notice(draft.sheet.where(draft.row.r, 0),
                                            "ID の欄が ID の形でないため、新しい ID を付けました"))
            if existing is not None:
                seen[draft.own_id] = draft
                merged = copy.deepcopy(existing.data)
                for path in sorted(draft.covered):  # in place, so untouched keys keep their order
                    value = _get(draft.data, path)
                    if value is None:
                        _delete(merged, path)
                    else:
                        _set(merged, path, value)
                merged = _ordered(merged, self.schema)
                status = "変更なし" if merged == existing.data else "更新"
                rel, data = existing.path, merged
            else:
                own = draft.own_id if self.id_pattern.match(draft.own_id) and draft.own_id not in taken else ""
                record_id = own or self._allocate(draft.data, taken)
                taken.add(record_id)
                seen[record_id] = draft
                data = _ordered({"id": record_id, **draft.data}, self.schema)
                rel = f"{self._folder(record_id)}/{record_id}.yaml"
                status = "新規"
            title = next((v for k, v in data.items() if k != "id" and isinstance(v, str)), "")
            planned = Planned(data["id"], rel, status, title, draft.sheet.where(draft.row.r, 0), draft.sheet,
                              draft.row.r, draft.bad, draft.cells)
            batch.records.append(planned)
            if draft.bad:
                batch.failed.add(rel)
            if status != "変更なし":
                ref = "../" * rel.count("/") + f"schemas/{self.rtype}.json"
                batch.files[rel] = yamlio.dump(data, ref)
                if status == "更新":
                    batch.replace.add(rel)
        self._check()
        return batch

    def _check(self) -> None:
        batch = self.batch
        if not batch.files:
            return
        by_path = {p.path: p for p in batch.records}
        checked = repository.load(self.repo.root, {k: v.encode("utf-8") for k, v in batch.files.items()})
        for issue in checked.issues:
            planned = by_path.get(issue.file)
            if planned is None or issue.severity != "error" or issue.file not in batch.files:
                continue
            if any(issue.path[:len(p)] == p for p in planned.unread):
                continue  # the cell's own error says it; "missing" would only repeat it
            best = max((p for p in planned.cells if issue.path[:len(p)] == p), key=len, default=None)
            cell = planned.cells.get(best) if best is not None else None
            if cell is None or planned.sheet is None:
                batch.issues.append(Issue(planned.where, planned.r + 1, 1, issue.code,
                                          f"（表にない項目）: {issue.message}", issue.path))
            else:
                batch.issues.append(Issue(planned.sheet.where(cell.r, cell.c), cell.r + 1, cell.c + 1, issue.code,
                                          f"{cell.r + 1}行目「{cell.label}」列: {issue.message}", issue.path))
            batch.failed.add(issue.file)


def plan(repo: repository.Repository, target: str, sources: list[Path], *,
         sheets: list[str] | None = None, user_map: dict[str, str] | None = None) -> Batch:
    """Read, interpret and check every row of every source; write nothing."""
    planner = _Planner(repo, target, user_map)
    for source in sources:
        planner.add_source(source, sheets)
    return planner.finish()
