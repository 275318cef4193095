"""MkDocs adapter: ``plugins: [daicho]`` adds the generated pages to the site.

- on_files: load and validate the repository (an invalid one fails the build with the validator's
  own ``file:line:col`` lines), add every page of ``daicho.render.pages`` with ``File.generated``
  plus the site's CSS/JS, and point each record page's edit link at its YAML file;
- on_post_build: index the built pages for search (``daicho.search``).

``mkdocs.yml`` ``watch: [records, schemas]`` makes ``mkdocs serve`` rebuild when a record changes.
Nothing here renders a page; that is ``daicho.render``'s job, shared with ``daicho build``.
"""

from __future__ import annotations

import logging
import posixpath
import time
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from daicho import a11y, csp, dates, navcache, progress, render, repository, search
from daicho.errors import DaichoError
from daicho.render import assets, entry
from daicho.render.common import SECTION, record_page
from daicho.reporters import text_line

log = logging.getLogger("mkdocs.plugins.daicho")


class DaichoConfig(Config):
    root = c.Optional(c.Dir(exists=True))  # the repository (default: the folder of mkdocs.yml)
    search = c.Type(bool, default=True)  # build the search index after the site
    # Generated pages are one escaped HTML block, which Python-Markdown returns unchanged at the
    # cost of half the build; skip the conversion for them (false: convert every page).
    raw_pages = c.Type(bool, default=True)
    # Render the navigation once per folder for the pages outside it (daicho/navcache.py; false:
    # Material renders it into every page).
    nav_cache = c.Type(bool, default=True)
    # nav targets a provider only produces when there are records for them (e.g. the annual
    # report without any 開示請求 or usage records): dropped from the nav when absent.
    optional = c.ListOfItems(c.Type(str), default=[])


class DaichoPlugin(BasePlugin[DaichoConfig]):
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if config.use_directory_urls:
            raise PluginError("daicho: mkdocs.yml に use_directory_urls: false を設定してください"
                              "（生成ページのリンクは .html を指します）")
        self.root = Path(self.config.root or Path(config.config_file_path).parent).resolve()
        config.theme.dirs.insert(0, str(a11y.THEME_DIR))  # skip link on generated pages
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        try:
            return self._files(files, config)
        except DaichoError as exc:  # a broken schema, rules.yaml or form: positioned, no traceback
            raise PluginError(f"daicho: {exc}") from None

    def _files(self, files: Files, config: MkDocsConfig) -> Files:
        started = time.perf_counter()
        self._csp = csp.Collector()  # the inline scripts of every page, for the CSP
        self._indexer = self._new_indexer(config)
        self._progress = progress.start("サイトを作成")  # a terminal line; nothing in CI
        repo = repository.load(self.root)
        if repo.errors:
            lines = [text_line(i) for i in repo.errors]
            raise PluginError("daicho: 記録にエラーがあるためサイトを作れません\n" + "\n".join(lines)
                              + f"\n{repo.checked} 件の記録を検査: エラー {len(repo.errors)} 件")
        try:
            today = dates.today()
        except dates.TodayError as exc:
            raise PluginError(f"daicho: {exc}") from None
        pages = render.pages(repo, today)
        sources = {record_page(r.type, r.id): r.path for r in repo.records if r.type in SECTION}
        docs_rel = posixpath.relpath(Path(config.docs_dir).resolve().as_posix(), self.root.as_posix())
        self._generated = set(pages)
        self._raw: dict[str, str] = {}
        self._skipped = 0
        for path, content in pages.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"daicho: docs/{path} は生成されるページと同じ名前です。docs/ から移してください")
            # Record pages stay out of the nav (index tables link to them) without an INFO line each.
            f = File.generated(config, path, content=content, inclusion=InclusionLevel.NOT_IN_NAV)
            if path in sources:  # the edit button opens the record's YAML, not a generated page
                f.edit_uri = posixpath.relpath(sources[path], docs_rel)
            files.append(f)
        for path, data in {**assets.files(), **entry.data_files(repo, today)}.items():
            files.append(File.generated(config, path, content=data, inclusion=InclusionLevel.NOT_IN_NAV))
        absent = {p for p in self.config.optional if files.get_file_from_path(p) is None}
        if absent and config.nav:
            config.nav = _prune(config.nav, absent)
            log.info("daicho: 記録がないためナビゲーションから省いたページ: %s", ", ".join(sorted(absent)))
        log.info("daicho: %d ページを生成（%d 件の記録、%.2f 秒）", len(pages), len(repo.records),
                 time.perf_counter() - started)
        self._page_step = progress.counter(len(files.documentation_pages()), "ページ")
        return files

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        return navcache.install(env, cache=self.config.nav_cache)

    def on_page_markdown(self, markdown: str, page: Any, config: MkDocsConfig, files: Files) -> str:
        text = markdown.strip()
        if (self.config.raw_pages and page.file.src_uri in self._generated and text.startswith("<div")
                and text.endswith("</div>") and "\n\n" not in text):
            self._raw[page.file.src_uri] = text  # put back by on_page_content
            self._skipped += 1
            return ""
        return markdown

    def on_page_content(self, html: str, page: Any, config: MkDocsConfig, files: Files) -> str:
        return self._raw.pop(page.file.src_uri, html)

    def on_post_page(self, output: str, page: Any, config: MkDocsConfig) -> str:
        self._csp.add(output)
        if self._indexer is not None:
            self._indexer.add(page.file.dest_uri, output)
        self._page_step()
        return output

    def on_post_template(self, output_content: str, template_name: str, config: MkDocsConfig) -> str:
        self._csp.add(output_content)  # 404.html is built as a template, not a page
        return output_content

    def on_build_error(self, error: Exception) -> None:
        if getattr(self, "_indexer", None) is not None:
            self._indexer.close()
        progress.finish(getattr(self, "_progress", None))

    def on_post_build(self, config: MkDocsConfig) -> None:
        # Content-Security-Policy with the hashes of the theme's inline scripts (daicho.csp).
        csp.write(Path(config.site_dir), self._csp.policy())
        log.info("daicho: %d ページは HTML のまま（Markdown の変換を省略）", self._skipped)
        progress.counter(0, "検索索引")
        try:
            self._post_build_search(config)
        finally:
            progress.finish(self._progress)

    def _new_indexer(self, config: MkDocsConfig) -> search.Indexer | None:
        """The search index, built from each page as it is written (``on_post_page``)."""
        if not self.config.search:
            return None
        try:
            settings = search.Config.load(repository.schema_dir_for(self.root))
        except search.SearchIndexError as exc:
            raise PluginError(f"daicho: 検索の設定を読めません: {exc}") from None
        return search.Indexer(Path(config.site_dir) / search.BUNDLE, settings)

    def _post_build_search(self, config: MkDocsConfig) -> None:
        if self._indexer is None:
            return
        started = time.perf_counter()
        try:
            stats = self._indexer.finish()
        except search.SearchIndexError as exc:
            raise PluginError(f"daicho: 検索インデックスを作れません: {exc}") from None
        log.info("daicho: 検索インデックス %d ページ、%d 語（%.2f 秒）", stats.pages, stats.terms,
                 time.perf_counter() - started)


def _prune(nav: list, absent: set[str]) -> list:
    """The nav without entries pointing at ``absent`` pages (and without emptied sections)."""
    out = []
    for item in nav:
        if isinstance(item, dict):
            (title, target), = item.items()
            if isinstance(target, list):
                kept = _prune(target, absent)
                if kept:
                    out.append({title: kept})
            elif target not in absent:
                out.append(item)
        elif item not in absent:
            out.append(item)
    return out
