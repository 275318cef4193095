"""The Content-Security-Policy of both sites (intranet and public), built from the pages the build wrote.

Nothing inline may run but the theme's own small scripts (colour palette, scroll to the
anchor, the site's base URL), each allowed by its SHA-256 hash, and no inline style applies but
the site's own ``<style>`` blocks (the annual report's), likewise by hash; everything else loads
from the site itself; no WebAssembly, no workers, no ``eval``. The page may not be framed (``frame-ancestors 'none'``) and sends forms
only to itself.

The theme's base-URL script differs with a page's depth (``new URL("../..", location)``); the
hashes for depths 0–8 and the 404 page's ``"/"`` are always included, so the policy does not
change when a repository gains a deeper page, and ``deploy/nginx.conf`` (``nginx-public.conf``)
can carry it verbatim (tests/test_csp.py and tests/test_public_csp.py check that they do).

Each site's plugin hands every built page to `Collector.add`; `write` puts the policy in
``csp.txt`` of the site (one line, for a server's configuration) and ``_headers`` (the format of
static hosts such as Netlify or Cloudflare Pages).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.S | re.I)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.I)
_SRC = re.compile(r"\bsrc\s*=", re.I)
_STYLE = re.compile(r"<style[^>]*>(?P<body>.*?)</style\s*>", re.S | re.I)
_EXECUTABLE = {"", "text/javascript", "application/javascript", "module"}
_SCOPE = re.compile(r'new URL\("(?P<base>[./]*)",location\)')
BASES = [".", "/", *("/".join([".."] * n) for n in range(1, 9))]

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def inline_scripts(html: str) -> Iterator[str]:
    """The text of every inline script in ``html`` that a browser would run."""
    for m in _SCRIPT.finditer(html):
        attrs = m.group("attrs")
        if _SRC.search(attrs):
            continue
        kind = _TYPE.search(attrs)
        if (kind.group(1).lower() if kind else "") in _EXECUTABLE:
            yield m.group("body")


def inline_styles(html: str) -> Iterator[str]:
    for m in _STYLE.finditer(html):
        yield m.group("body")


def source_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def variants(script: str) -> set[str]:
    """The script as the theme writes it at every page depth (only its base URL differs)."""
    m = _SCOPE.search(script)
    if m is None:
        return {script}
    return {script[: m.start("base")] + base + script[m.end("base"):] for base in BASES}


class Collector:
    def __init__(self) -> None:
        self.scripts: set[str] = set()
        self.styles: set[str] = set()

    def add(self, html: str) -> None:
        for script in inline_scripts(html):
            if script not in self.scripts:
                self.scripts |= variants(script)
        self.styles.update(inline_styles(html))

    def policy(self) -> str:
        return policy(sorted({source_hash(s) for s in self.scripts}),
                      sorted({source_hash(s) for s in self.styles}))


def policy(scripts: list[str], styles: list[str]) -> str:
    """The header's value for inline scripts and styles with these hashes."""
    directives = [
        ("default-src", ["'self'"]),
        ("script-src", ["'self'", *scripts]),
        ("style-src", ["'self'", *styles]),
        ("img-src", ["'self'", "data:"]),
        ("font-src", ["'self'", "data:"]),
        ("connect-src", ["'self'"]),
        ("worker-src", ["'none'"]),
        ("manifest-src", ["'self'"]),
        ("object-src", ["'none'"]),
        ("base-uri", ["'self'"]),
        ("form-action", ["'self'"]),
        ("frame-ancestors", ["'none'"]),
    ]
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives)


def write(site_dir: Path, value: str) -> None:
    (site_dir / "csp.txt").write_text(value + "\n", encoding="utf-8")
    lines = ["/*", f"  Content-Security-Policy: {value}", *(f"  {k}: {v}" for k, v in HEADERS.items())]
    (site_dir / "_headers").write_text("\n".join(lines) + "\n", encoding="utf-8")
