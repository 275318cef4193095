"""The intranet build's Content-Security-Policy (daicho.csp) and the example server config.

- the policy the demo build writes (site/csp.txt, site/_headers) allows exactly what the pages
  need: the hash of every inline script and style they carry, no 'unsafe-inline', no eval, no
  framing;
- deploy/nginx.conf sends that very policy, restricts access to private ranges and compresses;
- in headless Chromium, the demo site served with that header works — pages, the register
  table's filter and sort, search — with no console error and no CSP violation, while an
  injected inline script is refused (the header is really in force).
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from daicho import csp
from tests.browser import ROOT, Built, Server, Watched
from tests.test_search_browser import results_for
from tests.test_site_browser import check_filter_and_sort

NGINX = ROOT / "deploy" / "nginx.conf"


def directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in policy.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


def test_the_policy_allows_exactly_the_inline_code_of_the_pages(demo_site: Built) -> None:
    policy = (demo_site.site / "csp.txt").read_text(encoding="utf-8").strip()
    d = directives(policy)
    assert d["default-src"] == ["'self'"]
    assert d["frame-ancestors"] == ["'none'"] and d["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "wasm" not in policy and d["worker-src"] == ["'none'"]  # search is plain JavaScript
    scripts, styles = set(), set()
    for page in demo_site.site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        scripts |= {csp.source_hash(s) for s in csp.inline_scripts(html)}
        styles |= {csp.source_hash(s) for s in csp.inline_styles(html)}
        assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", html), page  # no inline handlers to allow
    assert scripts and scripts <= set(d["script-src"])
    assert styles and set(d["style-src"]) == {"'self'", *styles}
    # Only the depth variants of the theme's base-URL script are there beyond what pages carry.
    extra = {h for h in d["script-src"] if h.startswith("'sha256-")} - scripts
    assert len(extra) <= len(csp.BASES)
    headers = (demo_site.site / "_headers").read_text(encoding="utf-8")
    assert f"Content-Security-Policy: {policy}\n" in headers and "X-Frame-Options: DENY" in headers


def test_the_depth_variants_cover_any_page_depth() -> None:
    script = '__md_scope=new URL("..",location),__md_hash=1'
    found = csp.variants(script)
    for base in (".", "/", "..", "../..", "../../../../.."):
        assert f'__md_scope=new URL("{base}",location),__md_hash=1' in found
    assert csp.variants("var x=1") == {"var x=1"}


def test_inline_code_is_found_the_way_a_browser_runs_it() -> None:
    html = ('<script>a()</script><script src="x.js"></script><script type="module">b()</script>'
            '<script id="c" type="application/json">{"c": 1}</script><SCRIPT type=text/javascript>d()</SCRIPT >'
            '<style>p{}</style>')
    assert list(csp.inline_scripts(html)) == ["a()", "b()", "d()"]
    assert list(csp.inline_styles(html)) == ["p{}"]


def test_the_nginx_example_sends_the_built_policy(demo_site: Built) -> None:
    conf = NGINX.read_text(encoding="utf-8")
    sent = re.findall(r'add_header Content-Security-Policy "([^"]+)" always;', conf)
    assert sent == [(demo_site.site / "csp.txt").read_text(encoding="utf-8").strip()]
    assert "frame-ancestors 'none'" in sent[0]
    assert re.search(r"^\s*deny all;", conf, re.M) and re.search(r"^\s*allow 10\.0\.0\.0/8;", conf, re.M)
    assert re.search(r"^\s*gzip on;", conf, re.M)
    # No location adds headers of its own (nginx would then drop the server's, CSP included).
    for block in re.findall(r"location[^{]*\{([^}]*)\}", conf):
        assert "add_header" not in block


# --- in the browser ---------------------------------------------------------------------------

class _CspHandler(SimpleHTTPRequestHandler):
    policy = ""

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", self.policy)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


@pytest.fixture(scope="module")
def csp_server(demo_site: Built) -> Iterator[Server]:
    handler = type("Handler", (_CspHandler,), {
        "policy": (demo_site.site / "csp.txt").read_text(encoding="utf-8").strip()})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(demo_site.site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    server = Server(f"http://127.0.0.1:{httpd.server_address[1]}/", demo_site.site, httpd)
    yield server
    server.close()


def console(page: Watched) -> list[str]:
    messages: list[str] = []
    page.page.on("console", lambda m: messages.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.page.on("pageerror", lambda e: messages.append(f"pageerror: {e}"))
    return messages


PAGES = ["index.html", "jimu/index.html", "jimu/J-D1101-001.html", "files/index.html", "contracts/index.html",
         "contracts/C-2025-D1501-001/forms/checklist.html", "inspections/index.html", "incidents/index.html",
         "departments/index.html", "report/index.html", "report/2024.html", "records-guide.html"]


@pytest.mark.browser
def test_the_site_works_under_its_policy(page: Watched, csp_server: Server) -> None:
    messages = console(page)
    for path in PAGES:
        response = page.page.goto(csp_server.url + path)
        assert response is not None and response.ok, path
        assert "content-security-policy" in response.headers, path
        page.page.wait_for_load_state("networkidle")
        # The theme's inline scripts ran (allowed by hash): the base-URL one defines __md_scope.
        assert page.page.evaluate("() => typeof __md_scope === 'object'"), path
    page.page.goto(csp_server.url + "contracts/index.html")
    check_filter_and_sort(page)
    page.page.goto(csp_server.url + "search.html")
    found = results_for(page, csp_server, "卒業アルバム")
    assert found and found[0].endswith(".html")
    assert messages == []
    assert not page.external(csp_server.url) and not page.dialogs


@pytest.mark.browser
def test_an_injected_inline_script_is_refused(page: Watched, csp_server: Server) -> None:
    messages = console(page)
    page.page.goto(csp_server.url + "index.html")
    page.page.evaluate("""() => { const s = document.createElement('script');
                                   s.textContent = 'window.__injected = true'; document.body.appendChild(s); }""")
    assert page.page.evaluate("() => window.__injected === undefined")
    assert any("Content Security Policy" in m for m in messages), messages
