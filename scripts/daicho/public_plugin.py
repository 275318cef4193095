"""MkDocs plugin ``daicho-public``: the public site, built from the projection, failing closed.

Anything that could carry internal data into the public output stops the build: other
plugins (git history, authors), ``repo_url``/``edit_uri``, Markdown extensions not on the
allow-list (snippet includes, attributes), hand-written pages that are not in the nav, raw HTML
(comments, hidden elements, scripts), outside images or script links in them
(daicho.public_pages), non-Markdown files among them, and — after the build — any output file
of a type not on the allow-list. The build writes its Content-Security-Policy (daicho.csp).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from daicho import (
    a11y,
    csp,
    dates,
    export,
    navcache,
    public,
    public_pages,
    public_report,
    public_site,
    repository,
    search,
)
from daicho.errors import DaichoError
from daicho.render import assets
from daicho.reporters import text_line

log = get_plugin_logger(__name__)
ALLOWED_PLUGINS = {"daicho-public"}
# What a public build may contain: pages, the theme's assets, the search bundle, downloads.
ALLOWED_SUFFIXES = {
    ".html", ".css", ".js", ".json", ".xml", ".gz", ".svg", ".png", ".ico", ".csv", ".xlsx",
}
# The build's notes to the web server: the Content-Security-Policy (daicho.csp), not pages.
SERVER_FILES = {"csp.txt", "_headers"}


# Menu entries for pages that exist only sometimes (no published incident, 運用状況 or 事務登録簿
# not published). Any other entry without its page still fails the strict build (a typo).
OPTIONAL_PAGES = {"incidents.md", "report/index.md", "jimu.md"}


def _existing(nav: Any, pages: set[str]) -> Any:
    """``nav`` without the optional entries whose page is not built (sections kept if not empty)."""
    if not isinstance(nav, list):
        return nav
    out = []
    for item in nav:
        target = next(iter(item.values())) if isinstance(item, dict) and len(item) == 1 else item
        if isinstance(target, list):
            target = _existing(target, pages)
            if target:
                out.append({next(iter(item)): target})
        elif not isinstance(target, str) or target not in OPTIONAL_PAGES or target in pages:
            out.append(item)
    return out


class DaichoPublicPlugin(BasePlugin):
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        problems = []
        if config.repo_url or config.edit_uri:
            problems.append("repo_url / edit_uri は公開サイトに設定できません（内部のリポジトリを示すため）")
        extra = sorted(set(config.plugins) - ALLOWED_PLUGINS)
        if extra:
            problems.append(f"公開サイトで使えないプラグインがあります: {', '.join(extra)}")
        other = [str(ext) for ext in config.markdown_extensions if str(ext) not in public_pages.ALLOWED_EXTENSIONS]
        if other:  # pymdownx.snippets would pull in files, attr_list and md_in_html add HTML
            problems.append(f"公開サイトで使えない Markdown 拡張があります: {', '.join(other)}")
        if not config.nav:
            problems.append("nav（公開するページの一覧）がありません。公開するページを nav に書いてください")
        if problems:
            raise PluginError("公開サイトの設定: " + "／".join(problems))
        self.root = repository.find_root(Path(config.config_file_path).parent)
        self.guard = public_pages.Guard()  # notes raw HTML in every page converted
        config.markdown_extensions.append(self.guard)
        self.page_problems: list[str] = []
        self.csp = csp.Collector()  # the inline scripts and styles of every page, for the CSP
        config.theme.dirs.insert(0, str(a11y.THEME_DIR))  # skip link on generated pages
        config.extra["generator"] = False  # no "Made with Material for MkDocs" on a city's pages
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
        try:
            self.projection = public.project(repo, self.day)
        except public.WithholdingError as exc:
            raise PluginError(str(exc)) from None
        for line in self.projection.left_out:  # said, not failed: the rest is still published
            log.info(f"公開要約を載せません: {line}")
        problems = public.check(repo, self.projection)
        if problems:
            raise PluginError("公開用の射影が公開スキーマに合いません: " + "; ".join(problems[:20]))
        self.file_schema = repo.types["file"].schema
        self.with_code = repo.settings.get("公表", {}).get("ダウンロードに団体コード列", False)
        self.handwritten = set()
        for f in files.documentation_pages():
            self.handwritten.add(f.src_uri)
        strays = [f.src_uri for f in files if f.is_documentation_page() is False
                  and not f.inclusion.is_excluded()  # dot files (.gitkeep) are never published
                  and f.abs_src_path and Path(f.abs_src_path).is_relative_to(Path(config.docs_dir))]
        if strays:
            raise PluginError(f"公開用の docs フォルダに Markdown 以外のファイルがあります: {', '.join(strays)}")
        unlisted = sorted(self.handwritten - public_pages.nav_pages(config.nav))
        if unlisted:  # only what the office listed is published, not whatever lies in the folder
            raise PluginError("公開ナビゲーション（mkdocs.public.yml の nav）にないページは公開できません: "
                              f"{', '.join(unlisted)}。公開するなら nav に加え、しないならファイルを消してください")
        site_url = self.projection.procedure.get("サイトのURL")
        if site_url and not config.site_url:  # the sitemap needs absolute addresses
            config.site_url = site_url
        generated = public_site.pages(self.projection, self.file_schema, self.day,
                                      public_site.request_forms(repository.schema_dir_for(self.root)))
        generated.update(public_report.pages(repo, self.day))
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
        files.append(File.generated(config, public_site.FEED, content=public_site.atom_feed(
            self.projection, config.site_url), inclusion=hidden))
        for path, data in assets.files().items():  # the site's CSS and search script, no records
            files.append(File.generated(config, path, content=data, inclusion=hidden))
        # A menu entry whose page is not built this time (no published incidents, 運用状況 not
        # published) is left out of the menu rather than failing the strict build.
        config.nav = _existing(config.nav, {f.src_uri for f in files.documentation_pages()})
        return files

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        self.guard.found.clear()
        if page.file.src_uri in self.handwritten:
            if "--8<--" in markdown or "{%" in markdown:
                raise PluginError(f"{page.file.src_uri}: 公開ページでファイルの取り込みやテンプレートは使えません")
        return markdown

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        if page.file.src_uri in self.handwritten:  # generated pages are HTML by design, values escaped
            source = Path(page.file.abs_src_path or "").read_text(encoding="utf-8-sig")  # lines as written
            self.page_problems += [
                f"{Path(config.docs_dir).name}/{page.file.src_uri}:{public_pages.line_of(source, f.snippet)}: "
                f"{f.what}は公開ページに書けません。Markdown で書いてください"
                for f in self.guard.found]
        return html

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        # Every page is converted before any is written: stop here, with every problem at once.
        if self.page_problems:
            raise PluginError("公開ページに書けないものがあります:\n" + "\n".join(self.page_problems))
        return navcache.install(env)

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        self.csp.add(output)
        return output

    def on_post_template(self, output_content: str, template_name: str, config: MkDocsConfig) -> str:
        self.csp.add(output_content)  # 404.html is built as a template, not a page
        return output_content

    def on_post_build(self, config: MkDocsConfig) -> None:
        site = Path(config.site_dir)
        csp.write(site, self.csp.policy())
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
                     if p.is_file() and p.suffix not in ALLOWED_SUFFIXES and p.name not in SERVER_FILES)
        if bad:
            raise PluginError(f"公開サイトに許可されていない種類のファイルがあります: {', '.join(bad[:20])}")
