"""The public build's Content-Security-Policy (issue 13 §5), as tests/test_csp.py checks the
intranet one:

- the demo public build writes csp.txt and _headers: only the inline code its pages carry is
  allowed, by hash; no 'unsafe-inline', no eval, no framing, images from the site only;
- deploy/nginx-public.conf sends that very policy;
- in headless Chromium, every public page served with that header loads with no CSP violation
  and no console error, search works, and an injected inline script is refused.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from daicho import csp
from tests.browser import ROOT, Server, Watched
from tests.test_csp import _CspHandler, console, directives
from tests.test_public_build import public_site  # noqa: F401 - the built demo public site (fixture)

NGINX = ROOT / "deploy" / "nginx-public.conf"


def _policy(site: Path) -> str:
    return (site / "csp.txt").read_text(encoding="utf-8").strip()


def test_the_public_policy_allows_exactly_the_inline_code_of_the_pages(public_site: Path) -> None:  # noqa: F811
    policy = _policy(public_site)
    d = directives(policy)
    assert d["default-src"] == ["'self'"] and d["img-src"] == ["'self'", "data:"]
    assert d["frame-ancestors"] == ["'none'"] and d["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    scripts, styles = set(), set()
    for page in public_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        scripts |= {csp.source_hash(s) for s in csp.inline_scripts(html)}
        styles |= {csp.source_hash(s) for s in csp.inline_styles(html)}
        assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", html), page  # no inline handlers to allow
    assert scripts and scripts <= set(d["script-src"])
    assert set(d["style-src"]) == {"'self'", *styles}
    headers = (public_site / "_headers").read_text(encoding="utf-8")
    assert f"Content-Security-Policy: {policy}\n" in headers and "X-Frame-Options: DENY" in headers


def test_the_public_nginx_example_sends_the_built_policy(public_site: Path) -> None:  # noqa: F811
    conf = NGINX.read_text(encoding="utf-8")
    sent = re.findall(r'add_header Content-Security-Policy "([^"]+)" always;', conf)
    assert sent == [_policy(public_site)]
    assert re.search(r"^\s*location = /csp\.txt \{ return 404; \}", conf, re.M)
    for block in re.findall(r"location[^{]*\{([^}]*)\}", conf):  # nginx would drop the server's headers
        assert "add_header" not in block


@pytest.fixture(scope="module")
def public_csp_server(public_site: Path) -> Iterator[Server]:  # noqa: F811
    handler = type("Handler", (_CspHandler,), {"policy": _policy(public_site)})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(public_site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    server = Server(f"http://127.0.0.1:{httpd.server_address[1]}/", public_site, httpd)
    yield server
    server.close()


# Every violation the page sees, whatever the console says about it.
_RECORD_VIOLATIONS = """document.addEventListener('securitypolicyviolation', e =>
    (window.__violations = window.__violations || []).push(e.violatedDirective + ' ' + e.blockedURI));"""


@pytest.mark.browser
def test_every_public_page_works_under_its_policy(page: Watched, public_csp_server: Server,
                                                 public_site: Path) -> None:  # noqa: F811
    messages = console(page)
    page.page.add_init_script(_RECORD_VIOLATIONS)
    pages = sorted(p.relative_to(public_site).as_posix() for p in public_site.rglob("*.html"))
    assert len(pages) >= 15 and "index.html" in pages and "404.html" in pages
    for path in pages:
        response = page.page.goto(public_csp_server.url + path)
        assert response is not None and response.ok, path
        assert "content-security-policy" in response.headers, path
        page.page.wait_for_load_state("networkidle")
        assert page.page.evaluate("() => typeof __md_scope === 'object'"), path  # theme scripts ran
        assert page.page.evaluate("() => window.__violations || []") == [], path
    page.page.goto(public_csp_server.url + "search.html?q=住民基本台帳")
    page.page.wait_for_function("() => document.querySelectorAll('#daicho-results a.daicho-result-title').length > 0",
                                timeout=15_000)
    assert page.page.evaluate("() => window.__violations || []") == []
    assert messages == []
    assert not page.external(public_csp_server.url) and not page.dialogs


@pytest.mark.browser
def test_an_injected_inline_script_is_refused_on_the_public_site(page: Watched, public_csp_server: Server) -> None:
    messages = console(page)
    page.page.add_init_script(_RECORD_VIOLATIONS)
    page.page.goto(public_csp_server.url + "index.html")
    page.page.evaluate("""() => { const s = document.createElement('script');
                                   s.textContent = 'window.__injected = true'; document.body.appendChild(s); }""")
    assert page.page.evaluate("() => window.__injected === undefined")
    # The recorder the other test relies on sees it.
    page.page.wait_for_function("() => (window.__violations || []).some(v => v.startsWith('script-src'))")
    assert any("Content Security Policy" in m for m in messages), messages
