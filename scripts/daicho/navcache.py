"""The site navigation, rendered once per folder for the pages outside it.

Material renders the whole navigation into every page: at 20,000 records that is a fifth of
the intranet build. A page that is not in the nav has no active item, no open section and no
table of contents in it, so its navigation differs from another such page's only in the
relative links, which depend on the page's folder alone. Pages in the nav get Material's own
rendering, as before. ``partials/nav.html`` in the theme override calls ``daicho_nav``.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

import material
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

NAV = "partials/nav.html"
MATERIAL_NAV = Path(material.__file__).resolve().parent / "templates" / NAV


def install(env: Environment, *, cache: bool = True) -> Environment:
    """Give ``env`` the ``daicho_nav`` function: Material's nav template, cached per folder
    (``cache=False``: rendered for every page, as Material does; the tests compare the two)."""
    source = MATERIAL_NAV.read_text(encoding="utf-8")
    template = env.template_class.from_code(env, env.compile(source, NAV, str(MATERIAL_NAV)), env.globals, None)
    done: dict[str, Markup] = {}
    in_nav: set[str] | None = None  # the nav's pages, read on the first call

    @pass_context
    def daicho_nav(context: Context) -> Markup:
        nonlocal in_nav
        page, nav = context.get("page"), context.get("nav")
        if in_nav is None:
            in_nav = {p.file.src_uri for p in nav.pages} if nav else set()
        if not cache or page is None or page.file.src_uri in in_nav:
            return Markup(template.render(context.get_all()))
        folder = posixpath.dirname(page.url)
        if folder not in done:
            done[folder] = Markup(template.render(context.get_all()))
        return done[folder]

    env.globals["daicho_nav"] = daicho_nav
    return env
