"""``daicho build``: the intranet site (or, with ``--public``, the public site).

- ``daicho build`` runs ``mkdocs build --strict`` (the plugin in mkdocs.yml generates the pages);
  ``daicho build --public`` the same with mkdocs.public.yml (site-public/ and its downloads);
- ``daicho build --docs-out DIR`` writes the generated pages (Markdown) and the site's assets to
  DIR instead — the same tree the plugin adds, for any other static site generator.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from daicho import core, dates, progress, render, repository
from daicho.render import assets, entry
from daicho.reporters import text


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build", help="閲覧サイトを作る",
                       description="記録から庁内向けの閲覧サイトを作ります（mkdocs build --strict）。")
    p.add_argument("--docs-out", type=Path, metavar="DIR",
                   help="サイトを作らず、生成したページ（Markdown）と CSS/JS を DIR に書き出す")
    p.add_argument("--root", type=Path, default=None, help="リポジトリのルート（既定: records/ がある上位フォルダ）")
    p.add_argument("-f", "--config-file", type=Path, default=None,
                   help="MkDocs の設定ファイル（既定: ルートの mkdocs.yml）")
    p.add_argument("--public", action="store_true",
                   help="公開サイト（個人情報ファイル簿とダウンロード）を作る（-f mkdocs.public.yml と同じ）")
    p.add_argument("-d", "--site-dir", type=Path, default=None, help="サイトの出力先（既定: mkdocs.yml の site_dir）")
    p.set_defaults(func=run)


def write_tree(out: Path, files: dict[str, str | bytes]) -> None:
    step = progress.counter(len(files), "書き出し")
    for rel, content in files.items():
        step()
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")


def run(args: argparse.Namespace) -> int:
    root = repository.find_root(args.root)
    if args.docs_out is None:
        config = args.config_file or root / ("mkdocs.public.yml" if args.public else "mkdocs.yml")
        if not config.is_file():
            print(f"daicho build: 設定ファイル {config} がありません", file=sys.stderr)
            return 2
        cmd = [sys.executable, "-m", core.module(), "build", "--strict", "-f", str(config)]
        if args.site_dir:
            cmd += ["-d", str(args.site_dir)]
        return subprocess.run(cmd, cwd=root, env=core.environment()).returncode
    with progress.task("ページを作成"):
        return _docs_out(args, root)


def _docs_out(args: argparse.Namespace, root: Path) -> int:
    repo = repository.load(root)
    if repo.errors:
        print(text(repo.errors, repo.checked), file=sys.stderr)
        print("記録にエラーがあるためページを書き出せません", file=sys.stderr)
        return 1
    try:
        today = dates.today()
    except dates.TodayError as exc:
        print(f"daicho build: {exc}", file=sys.stderr)
        return 2
    pages = render.pages(repo, today)
    files: dict[str, str | bytes] = {**pages, **assets.files(), **entry.data_files(repo, today)}
    write_tree(args.docs_out, files)
    print(f"{len(pages)} ページと {len(files) - len(pages)} 個のファイルを {args.docs_out} に書き出しました")
    return 0
