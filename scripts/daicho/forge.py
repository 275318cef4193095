"""Where a record made in the browser goes: the forge's own web editor (settings: リポジトリ).

- GitHub: ``{repo}/new/{branch}?filename={path}&value={text}`` opens the new-file page with the
  path and the content filled in; ``{repo}/edit/{branch}/{path}`` edits a file.
- Gitea and Forgejo (a Gitea fork, same routes): ``{repo}/_new/{branch}/?filename=…&value=…``
  (Gitea docs, "Integrations: Pre-Fill New File name and contents"; the server splits
  ``filename`` into folders and name) and ``{repo}/_edit/{branch}/{path}``.
- GitLab: its new-file page takes no content parameters (gitlab-org/gitlab#337038), so the
  form copies the text and links ``{repo}/-/new/{branch}/{folder}`` and ``{repo}/-/edit/{branch}/{path}``.
- none: copy and download only.

Each path segment is percent-encoded (record paths are ASCII today, but a folder may not be).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote, urlencode

Kind = Literal["github", "gitea", "forgejo", "gitlab", "none"]
KINDS: tuple[Kind, ...] = ("github", "gitea", "forgejo", "gitlab", "none")
# Above this many characters a URL may be refused by the forge or a proxy in front of it
# (nginx's default large_client_header_buffers is 8 KB): the form then copies the content and
# opens the new-file page with the path only.
MAX_URL = 8000


@dataclass(frozen=True)
class Forge:
    kind: Kind = "none"
    url: str = ""  # the repository's web address, e.g. https://git.example.lg.jp/kojin/daicho
    branch: str = "main"

    @property
    def prefills(self) -> bool:
        """True if the new-file page takes the content (``value``) from the URL."""
        return self.kind in ("github", "gitea", "forgejo")

    @property
    def repo(self) -> str:
        return self.url.rstrip("/")


def from_settings(settings: dict[str, Any] | None) -> Forge:
    """The forge from ``records/settings.yaml`` (``リポジトリ``); none when it is not set."""
    section = (settings or {}).get("リポジトリ") or {}
    kind = section.get("種類", "none")
    url = section.get("URL", "")
    # Only a web address becomes a link (never javascript: or data:): anything else is none.
    if kind not in KINDS or not isinstance(url, str) or not re.match(r"https?://[^\s?#]+\Z", url):
        return Forge()
    return Forge(kind, url, section.get("既定のブランチ") or "main")


def _segments(path: str) -> str:
    return "/".join(quote(part, safe="") for part in path.split("/") if part)


def new_file_base(forge: Forge, folder: str = "") -> str | None:
    """The new-file page without query: the form appends ``filename`` and ``value``."""
    b = quote(forge.branch, safe="/")
    if forge.kind == "github":
        return f"{forge.repo}/new/{b}"
    if forge.kind in ("gitea", "forgejo"):
        return f"{forge.repo}/_new/{b}/"
    if forge.kind == "gitlab":
        return f"{forge.repo}/-/new/{b}/{_segments(folder)}".rstrip("/")
    return None


def new_file_url(forge: Forge, path: str, content: str | None = None) -> str | None:
    """The page that creates ``path``: prefilled with ``content`` where the forge takes it and
    the URL stays under `MAX_URL`; otherwise the page for the file's folder (or its name only)."""
    folder = path.rsplit("/", 1)[0] if "/" in path else ""
    base = new_file_base(forge, folder)
    if base is None or not forge.prefills:
        return base
    with_value = f"{base}?{urlencode({'filename': path, 'value': content or ''}, quote_via=quote)}"
    if content is not None and len(with_value) <= MAX_URL:
        return with_value
    return f"{base}?{urlencode({'filename': path}, quote_via=quote)}"


def edit_url(forge: Forge, path: str) -> str | None:
    """The forge's edit page of an existing file."""
    b, p = quote(forge.branch, safe="/"), _segments(path)
    if forge.kind == "github":
        return f"{forge.repo}/edit/{b}/{p}"
    if forge.kind in ("gitea", "forgejo"):
        return f"{forge.repo}/_edit/{b}/{p}"
    if forge.kind == "gitlab":
        return f"{forge.repo}/-/edit/{b}/{p}"
    return None
