"""Shared fixtures for tests that build the real site and drive a real headless Chromium.

- ``build_site(root, out)``: ``mkdocs build --strict`` of a repository, as ``make build`` runs it;
- ``demo_site``: the demo records built once per session (``DAICHO_TODAY`` pinned);
- ``serve(directory)`` / ``demo_server``: a local HTTP server on 127.0.0.1 with a random port;
- ``browser`` / ``page``: Debian's Chromium driven by Playwright. Without /usr/bin/chromium the
  browser tests are skipped with a visible reason, except under CI=true where they fail.

``page`` records every dialog (and dismisses it) and every request that leaves the local server,
so a test can assert that nothing ran and nothing was fetched from outside.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

__all__ = ["browser", "demo_server", "demo_site", "page"]  # the fixtures conftest re-exports

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DEMO_TODAY = "2026-11-26"


@dataclass
class Built:
    root: Path  # the repository that was built
    site: Path  # the built site
    log: str  # everything mkdocs printed


def build_site(root: Path, out: Path, today: str = DEMO_TODAY, *, check: bool = True
               ) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` of the repository at ``root`` into ``out``."""
    env = {**os.environ, "DAICHO_TODAY": today, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(out)],
        cwd=root, capture_output=True, text=True, env=env, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"mkdocs build failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def make_repo(dest: Path, records: Path | None = None) -> Path:
    """A repository at ``dest`` with this project's mkdocs.yml, docs and schemas, and the given
    records folder (default: the demo records)."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", dest / "docs")
    shutil.copytree(ROOT / "schemas", dest / "schemas")
    shutil.copytree(records or ROOT / "records", dest / "records")
    return dest


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The demo records as ``make build`` builds them (strict), once per session."""
    out = tmp_path_factory.mktemp("demo-site") / "site"
    proc = build_site(ROOT, out)
    return Built(ROOT, out, proc.stdout + proc.stderr)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


@dataclass
class Server:
    url: str  # http://127.0.0.1:PORT/
    directory: Path
    _httpd: ThreadingHTTPServer = field(repr=False)

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def serve(directory: Path) -> Server:
    handler = functools.partial(_QuietHandler, directory=str(directory))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return Server(f"http://127.0.0.1:{httpd.server_address[1]}/", directory, httpd)


@pytest.fixture(scope="session")
def demo_server(demo_site: Built) -> Iterator[Server]:
    server = serve(demo_site.site)
    yield server
    server.close()


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} がありません（apt-get install chromium fonts-noto-cjk）"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true ではブラウザテストを省略できません: {reason}")
    pytest.skip(f"ブラウザテストを省略: {reason}")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@dataclass
class Watched:
    """A Playwright page plus what it did that a test may want to forbid."""

    page: Any
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def external(self, allowed: str) -> list[str]:
        """Requests that left ``allowed`` (the local server or file:// root)."""
        return [u for u in self.requests
                if not u.startswith((allowed, "data:", "blob:", "about:"))]


@pytest.fixture
def page(browser: Any) -> Iterator[Watched]:
    context = browser.new_context(locale="ja-JP", service_workers="block")
    p = context.new_page()
    watched = Watched(p)

    def on_dialog(dialog: Any) -> None:
        watched.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    p.on("dialog", on_dialog)
    p.on("request", lambda r: watched.requests.append(r.url))
    # Nothing may leave the machine: anything not local is aborted (and stays in .requests).
    context.route("**/*", lambda route: route.continue_()
                  if route.request.url.startswith(("http://127.0.0.1", "file://", "data:", "blob:"))
                  else route.abort())
    yield watched
    context.close()
