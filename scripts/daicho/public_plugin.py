"""MkDocs plugin ``daicho-public``: the public site, built from the projection, failing closed.

Anything that could carry internal data into the public output stops the build: other
plugins (git history, authors), ``repo_url``/``edit_uri``, snippet includes, HTML comments or
non-Markdown files among the hand-written pages, and — after the build — any output file of a
type not on the allow-list.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from daicho import a11y, dates, export, public, public_site, repository, search
from daicho.errors import DaichoError
from daicho.render import assets
from daicho.reporters import text_line

ALLOWED_PLUGINS = {"daicho-public"}
# What a public build may contain: pages, the theme's assets, the search bundle, downloads.
ALLOWED_SUFFIXES = {
    ".html", ".css", ".js", ".json", ".xml", ".gz", ".svg", ".png", ".ico", ".csv", ".xlsx",
}


class DaichoPublicPlugin(BasePlugin):
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        problems = []
        if config.repo_url or config.edit_uri:
            problems.append("repo_url / edit_uri は公開サイトに設定できません（内部のリポジトリを示すため）")
        extra = sorted(set(config.plugins) - ALLOWED_PLUGINS)
        if extra:
            problems.append(f"公開サイトで使えないプラグインがあります: {', '.join(extra)}")
        if any("snippets" in str(ext) for ext in config.markdown_extensions):
            problems.append("公開サイトでは pymdownx.snippets（ファイルの取り込み）を使えません")
        if problems:
            raise PluginError("公開サイトの設定: " + "／".join(problems))
        self.root = repository.find_root(Path(config.config_file_path).parent)
        config.theme.dirs.insert(0, str(a11y.THEME_DIR))  # skip link on generated pages
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        try:
            return self._files(files, config)
        except DaichoError as exc:  # a broken schema, rules.yaml or form: positioned, no traceback
            raise PluginError(str(exc)) from None

    def _files(self, files: Files, config: MkDocsConfig) -> Files:
        repo = repository.load(self.root)
        if repo.errors:
            lines = "\n".join(text_line(i) for i in repo.errors[:50])
            raise PluginError(f"記録に誤りがあるため公開サイトを作れません:\n{lines}")
        try:
            self.day = dates.today()
        except dates.TodayError as exc:
            raise PluginError(str(exc)) from None
        self.projection = public.project(repo, self.day)
        problems = public.check(repo, self.projection)
        if problems:
            raise PluginError("公開用の射影が公開スキーマに合いません: " + "; ".join(problems[:20]))
        self.file_schema = repo.types["file"].schema
        self.with_code = repo.settings.get("公表", {}).get("ダウンロードに団体コード列", False)
        self.handwritten = set()
        for f in files.documentation_pages():
            self.handwritten.add(f.src_uri)
        strays = [f.src_uri for f in files if f.is_documentation_page() is False
                  and f.abs_src_path and Path(f.abs_src_path).is_relative_to(Path(config.docs_dir))]
        if strays:
            raise PluginError(f"公開用の docs フォルダに Markdown 以外のファイルがあります: {', '.join(strays)}")
        generated = public_site.pages(self.projection, self.file_schema, self.day)
        try:  # the accessibility statement, from the committed result of the last check
            checked = a11y.load_result(self.root)
        except a11y.ResultError as exc:
            raise PluginError(str(exc)) from None
        generated["accessibility.md"] = public_site.accessibility_page(
            checked, self.projection.municipality, contact="contact.md" in self.handwritten)
        clash = self.handwritten & set(generated)
        if clash:
            raise PluginError(f"手書きのページが生成ページと重なっています: {', '.join(sorted(clash))}")
        hidden = InclusionLevel.NOT_IN_NAV  # sheets are reached from the index, not the nav
        for path, content in generated.items():
            files.append(File.generated(config, path, content=content, inclusion=hidden))
        for path, data in assets.files().items():  # the site's CSS and search script, no records
            files.append(File.generated(config, path, content=data, inclusion=hidden))
        return files

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        if page.file.src_uri in self.handwritten:
            if "<!--" in markdown:
                raise PluginError(f"{page.file.src_uri}: 公開ページに HTML コメントは書けません（公開されてしまいます）")
            if "--8<--" in markdown or "{%" in markdown:
                raise PluginError(f"{page.file.src_uri}: 公開ページでファイルの取り込みやテンプレートは使えません")
        return markdown

    def on_post_build(self, config: MkDocsConfig) -> None:
        site = Path(config.site_dir)
        for source_map in (site / "assets").rglob("*.map"):  # the theme's, of no use to readers
            source_map.unlink()
        downloads = site / "downloads"
        downloads.mkdir(parents=True, exist_ok=True)
        for name, data in export.downloads(self.projection, self.file_schema, self.with_code).items():
            (downloads / name).write_bytes(data)
        try:
            search.index_site(site, repository.schema_dir_for(self.root))
        except search.SearchIndexError as exc:
            raise PluginError(f"公開サイトの検索インデックスを作れません: {exc}") from None
        bad = sorted(str(p.relative_to(site)) for p in site.rglob("*")
                     if p.is_file() and p.suffix not in ALLOWED_SUFFIXES)
        if bad:
            raise PluginError(f"公開サイトに許可されていない種類のファイルがあります: {', '.join(bad[:20])}")
