"""Approval with integrity (issue 13 §2): a 公開要約 is published only as approved.

`daicho approve` records the approval date and a fingerprint of what was approved; text edited
afterwards, an approval dated after the build day or a summary never approved is reported by
`daicho validate` (warnings, with position) and left out of the public build, which says so."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from daicho import approval, yamlio
from tests.conftest import ROOT, run_daicho
from tests.test_public_leaks import output_texts

TODAY = "2026-11-26"
TAMPERED = "records/incidents/2024/I-2024-D2101-01.yaml"
INTACT = "records/incidents/2024/I-2024-D8103-01.yaml"
DRAFT = "records/incidents/2024/I-2024-D1501-01.yaml"


def _summary(root: Path, rel: str) -> dict:
    return yamlio.load_bytes((root / rel).read_bytes()).data["公開要約"]


def _daicho(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "daicho", *args, "--root", str(root)], cwd=root,
                          capture_output=True, text=True, env={**os.environ, "DAICHO_TODAY": TODAY})


def test_the_fingerprint_sees_every_visible_change_and_nothing_else() -> None:
    base = {"承認日": "2025-03-14", "件名": "件名", "本文": "本文です。\n二行目"}
    same = {"承認日": "2025-03-14", "件名": " 件名\n", "本文": "本文です。\r\n二行目  "}
    assert approval.fingerprint(base) == approval.fingerprint(same)
    assert approval.fingerprint({**base, "件名": "ｶﾞ"}) == approval.fingerprint({**base, "件名": "ｶﾞ"})
    for changed in ({**base, "本文": "本文です。\n二行日"}, {**base, "件名": "件名。"},
                    {**base, "承認日": "2025-03-15"}, {**base, "本文": "本文です。二行目"}):
        assert approval.fingerprint(changed) != approval.fingerprint(base)
    assert approval.problem({**base, approval.FIELD: approval.fingerprint(base)}, None) is None


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo with one approved summary edited afterwards, one drafted and approved to go out
    after the build day, and one left as approved."""
    root = tmp_path_factory.mktemp("approval")
    for name in ("records", "schemas", "docs-public"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "mkdocs.public.yml", root)
    assert run_daicho("validate", "--root", str(root)).returncode == 0
    text = (root / TAMPERED).read_text(encoding="utf-8")
    (root / TAMPERED).write_text(text.replace("一部のデータが損傷しました。", "一部のデータが損傷しました。改ざんされた一文。"),
                                 encoding="utf-8")
    data = yamlio.load_bytes((root / DRAFT).read_bytes()).data
    data["公開要約"] = {"件名": "予診票の紛失について（予定稿）", "本文": "承認日より前には載らない本文。"}
    (root / DRAFT).write_text(yamlio.dump(data), encoding="utf-8")
    return root


def test_validate_warns_with_positions_and_approve_clears_the_warning(city: Path, tmp_path: Path) -> None:
    result = _daicho(city, "validate")
    assert result.returncode == 0, result.stdout  # warnings: the rest of the site still builds
    lines = result.stdout.splitlines()
    changed = [line for line in lines if line.startswith(f"{TAMPERED}:")]
    assert len(changed) == 1 and "W-SUMMARY-CHANGED" in changed[0] and "($.公開要約.承認ハッシュ)" in changed[0]
    assert "改ざん" not in result.stdout
    draft = [line for line in lines if line.startswith(f"{DRAFT}:")]
    assert len(draft) == 1 and "W-SUMMARY-UNAPPROVED" in draft[0]
    assert not [line for line in lines if line.startswith(f"{INTACT}:")]

    copy = tmp_path / "copy"
    shutil.copytree(city, copy)
    approved = _daicho(copy, "approve", "I-2024-D2101-01")
    assert approved.returncode == 0 and "承認しました" in approved.stdout
    assert _summary(copy, TAMPERED)["承認日"] == TODAY
    assert not [line for line in _daicho(copy, "validate").stdout.splitlines() if line.startswith(f"{TAMPERED}:")]
    ahead = _daicho(copy, "approve", "I-2024-D1501-01", "--date", "2027-01-05")
    assert ahead.returncode == 0
    summary = _summary(copy, DRAFT)
    assert list(summary) == ["承認日", "件名", "本文", approval.FIELD] and summary["承認日"] == "2027-01-05"
    later = _daicho(copy, "validate").stdout
    assert "W-SUMMARY-FUTURE" in later and "W-SUMMARY-CHANGED" not in later and "W-SUMMARY-UNAPPROVED" not in later


def test_approve_refuses_what_it_cannot_approve(city: Path) -> None:
    missing = _daicho(city, "approve", "I-2099-D1501-01")
    assert missing.returncode == 2 and "見つかりません" in missing.stderr and "Traceback" not in missing.stderr
    no_summary = _daicho(city, "approve", "I-2023-D1502-01")
    assert no_summary.returncode == 2 and "公開要約" in no_summary.stderr


def test_the_public_build_leaves_out_what_is_not_approved_and_says_so(city: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    copy = tmp_path / "repo"
    shutil.copytree(city, copy)
    assert _daicho(copy, "approve", "I-2024-D1501-01", "--date", "2027-01-05").returncode == 0
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", "mkdocs.public.yml", "-d", str(site)],
                            cwd=copy, capture_output=True, text=True, env={**os.environ, "DAICHO_TODAY": TODAY})
    assert result.returncode == 0, result.stderr[-2000:]
    log = result.stdout + result.stderr
    assert "公開要約を載せません: I-2024-D2101-01" in log and "公開要約を載せません: I-2024-D1501-01" in log
    texts = "\n".join(text for _, text in output_texts(site))
    assert "改ざんされた一文" not in texts and "卒業アルバム制作会社" not in texts
    assert "予診票の紛失について（予定稿）" not in texts and "承認日より前には載らない本文" not in texts
    assert _summary(copy, INTACT)["件名"] in texts  # the approved one is still published
