"""Forge links, built as each forge documents them, from the settings file.

- GitHub: ``/{owner}/{repo}/new/{branch}?filename=&value=`` and ``/edit/{branch}/{path}``.
- Gitea / Forgejo: ``/_new/{branch}/?filename=&value=`` (Gitea docs, "Pre-Fill New File name and
  contents"; ``filename`` may hold folders) and ``/_edit/{branch}/{path}``.
- GitLab: ``/-/new/{branch}/{folder}`` (no content parameters) and ``/-/edit/{branch}/{path}``.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from daicho import forge
from daicho.forge import Forge
from daicho.repository import load
from tests.conftest import ROOT

PATH = "records/contracts/2026/C-2026-D1501-7K3QZ.yaml"
CONTENT = "id: C-2026-D1501-7K3QZ\n件名: 健診&通知 #1 ? 100%\n"
REPO = "https://git.city.example/kojin-hogo/daicho"


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True, strict_parsing=True)


@pytest.mark.parametrize("kind,new_path,edit_path", [
    ("github", "/kojin-hogo/daicho/new/main", f"/kojin-hogo/daicho/edit/main/{PATH}"),
    ("gitea", "/kojin-hogo/daicho/_new/main/", f"/kojin-hogo/daicho/_edit/main/{PATH}"),
    ("forgejo", "/kojin-hogo/daicho/_new/main/", f"/kojin-hogo/daicho/_edit/main/{PATH}"),
])
def test_prefilling_forges_get_path_and_content_in_the_documented_parameters(
        kind: str, new_path: str, edit_path: str) -> None:
    f = Forge(kind, REPO + "/", "main")  # a trailing slash in the setting changes nothing
    url = forge.new_file_url(f, PATH, CONTENT)
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "git.city.example", new_path)
    assert _query(url) == {"filename": [PATH], "value": [CONTENT]}  # decoded back exactly
    assert urlsplit(forge.edit_url(f, PATH)).path == edit_path


def test_gitlab_links_the_folder_and_edit_page_without_content() -> None:
    f = Forge("gitlab", "https://gitlab.city.example/kojin/daicho", "main")
    assert forge.new_file_url(f, PATH, CONTENT) == \
        "https://gitlab.city.example/kojin/daicho/-/new/main/records/contracts/2026"
    assert forge.edit_url(f, PATH) == f"https://gitlab.city.example/kojin/daicho/-/edit/main/{PATH}"


def test_none_gives_no_link() -> None:
    assert forge.new_file_url(Forge(), PATH, CONTENT) is None
    assert forge.edit_url(Forge(), PATH) is None


def test_content_too_long_for_a_url_leaves_only_the_path() -> None:
    f = Forge("gitea", REPO, "main")
    url = forge.new_file_url(f, PATH, "記録" * 2000)
    assert len(url) <= forge.MAX_URL and _query(url) == {"filename": [PATH]}


def test_branch_and_folders_are_encoded_per_segment() -> None:
    f = Forge("github", REPO, "release/2026")
    assert forge.edit_url(f, "records/files/F 1#.yaml") == f"{REPO}/edit/release/2026/records/files/F%201%23.yaml"


@pytest.mark.parametrize("section,expected", [
    ({"種類": "gitlab", "URL": "https://gitlab.city.example/k/d", "既定のブランチ": "trunk"},
     Forge("gitlab", "https://gitlab.city.example/k/d", "trunk")),
    ({"種類": "github", "URL": "https://github.com/o/r"}, Forge("github", "https://github.com/o/r", "main")),
    # Only a web address becomes a link: anything else is treated as no forge.
    ({"種類": "gitea", "URL": "javascript:alert(1)"}, Forge()),
    ({"種類": "gitea", "URL": "https://x.example/a b"}, Forge()),
    ({"種類": "gitea"}, Forge()),
    (None, Forge()),
])
def test_settings_choose_the_forge(section: dict | None, expected: Forge) -> None:
    assert forge.from_settings({"リポジトリ": section} if section else {}) == expected


def test_demo_settings_name_a_forge() -> None:
    repo = load(ROOT)
    assert not [i for i in repo.issues if i.file == "records/settings.yaml"]
    assert forge.from_settings(repo.settings).kind == "forgejo"
