"""`daicho due` reads only site_url from mkdocs.yml, with a safe loader: a tag that would build
a Python object (or run a command) becomes None and nothing runs."""

from __future__ import annotations

from pathlib import Path

from daicho.commands.due import site_url


def test_mkdocs_yml_tags_never_build_objects(tmp_path: Path) -> None:
    canary = tmp_path / "ran"
    (tmp_path / "mkdocs.yml").write_text(
        f'site_url: https://daicho.intra.example\n'
        f'x: !!python/object/apply:os.system ["touch {canary}"]\n'
        f'y: !ENV [DAICHO_UNSET, fallback]\n', encoding="utf-8")
    assert site_url(tmp_path) == "https://daicho.intra.example/"
    assert not canary.exists()
