"""``daicho fmt [--check] [PATH…]``: canonical key order, quoting and indentation, comments kept."""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from daicho import repository, typemodel, yamlfmt, yamlio


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("fmt", help="記録ファイルの書式をそろえる",
                       description="キーの順序（スキーマの順）、引用符、字下げをそろえます。コメントは残します。")
    p.add_argument("paths", nargs="*", type=Path, help="対象のファイル（省略時は records/ のすべて）")
    p.add_argument("--check", action="store_true", help="変更せず、そろっていないファイルを表示する（pre-commit 用）")
    p.add_argument("--root", type=Path, default=None)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    root = repository.find_root(args.root)
    schema_dir = repository.schema_dir_for(root)
    types = repository.record_types(schema_dir)
    defs = typemodel.model(schema_dir).defs
    changed, skipped = [], []
    # A link is never followed (formatting it would rewrite its target, maybe outside the
    # repository); record_files leaves links out too.
    skipped += [f"{p}: シンボリックリンクは書式をそろえません" for p in args.paths if p.is_symlink()]
    files = sorted({f for p in args.paths if not p.is_symlink() for f in
                    ([p.resolve()] if p.is_file() else repository.record_files(p.resolve()))}) \
        if args.paths else list(repository.record_files(root / "records"))
    for path in files:
        rel = path.relative_to(root).as_posix()
        rtype = repository.type_for(path.relative_to(root / "records"), types)
        raw = path.read_bytes()
        try:
            before = yamlio.load_bytes(raw).data
        except yamlio.LoadError as exc:
            skipped.append(f"{rel}:{exc.line}:{exc.col}: エラー[{exc.code}] {exc.message}（書式をそろえませんでした）")
            continue
        text = raw.decode("utf-8")
        formatted = yamlfmt.format_text(text, types[rtype].schema if rtype else {}, defs)
        if formatted == text:
            continue
        if yamlio.load(formatted).data != before:  # never change what a record says
            skipped.append(f"{rel}: 書式をそろえると内容が変わるため、変更しませんでした")
            continue
        changed.append(rel)
        if not args.check:
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".fmt-")
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(formatted)
            os.replace(tmp, path)
    for line in skipped:
        print(line)
    verb = "書式がそろっていません" if args.check else "書式をそろえました"
    for rel in changed:
        print(f"{rel}: {verb}")
    if args.check:
        return 1 if changed or skipped else 0
    return 1 if skipped else 0
