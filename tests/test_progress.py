"""Progress lines (daicho.progress): on a terminal for validate, build and import; never in CI,
pre-commit or a pipe, and never in what the command prints on stdout."""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

from daicho import progress, repository

ROOT = Path(__file__).resolve().parent.parent


def base_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PRE_COMMIT", "DAICHO_PROGRESS", "TERM")}
    return {**env, "TERM": "xterm", "DAICHO_NO_CACHE": "1", **extra}


def on_a_terminal(args: list[str], env: dict[str, str], cwd: Path) -> tuple[int, bytes, bytes]:
    """Run with stderr on a pseudo-terminal (as in an interactive shell), stdout on a pipe."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "daicho", *args], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=follower, stdin=subprocess.DEVNULL)
    os.close(follower)
    seen = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        elif proc.poll() is not None:
            break
    out = proc.stdout.read() if proc.stdout else b""
    proc.wait(timeout=60)
    os.close(leader)
    return proc.returncode, out, seen


def demo_copy(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "records", repo / "records")
    (repo / "schemas").symlink_to(ROOT / "schemas", target_is_directory=True)
    return repo


def test_validate_shows_progress_on_a_terminal_and_nothing_in_ci_or_pre_commit(tmp_path: Path) -> None:
    repo = demo_copy(tmp_path)
    # Shown from the first record (the 0.5 s delay off) when the terminal is interactive.
    code, out, tty = on_a_terminal(["validate"], base_env(DAICHO_PROGRESS="1"), repo)
    n = len(list((repo / "records").rglob("*.yaml")))
    assert code == 0 and f"{n} 件の記録を検査".encode() in out
    assert f"記録を検査: {n}/{n} (100%)".encode() in tty and tty.endswith(b"\r\x1b[K")
    assert b"\x1b" not in out  # stdout (the report) never carries the progress line
    for quiet in ({"CI": "true"}, {"PRE_COMMIT": "1"}, {"TERM": "dumb"}):
        code, quiet_out, tty = on_a_terminal(["validate"], base_env(**quiet), repo)
        assert (code, quiet_out, tty) == (0, out, b""), quiet
    # A pipe, as in a script or a hook: no progress either.
    proc = subprocess.run([sys.executable, "-m", "daicho", "validate"], cwd=repo, env=base_env(),
                          capture_output=True, timeout=120)
    assert proc.stderr == b"" and proc.stdout == out


def test_build_docs_out_and_import_show_their_phases(tmp_path: Path) -> None:
    repo = demo_copy(tmp_path)
    env = base_env(DAICHO_PROGRESS="1", DAICHO_TODAY="2026-11-26")
    code, out, tty = on_a_terminal(["build", "--docs-out", str(tmp_path / "docs")], env, repo)
    assert code == 0, out
    assert "ページを作成: ".encode() in tty and "ページを作成（書き出し）: ".encode() in tty
    csv = tmp_path / "jimu.csv"
    csv.write_text("事務の名称\n", encoding="utf-8")
    code, out, tty = on_a_terminal(["import", "jimu", str(csv), "--dry-run"], env, repo)
    assert "記録を検査: ".encode() in tty


class FakeTerminal:
    """A stream that says it is a terminal and keeps what was written."""

    def __init__(self) -> None:
        self.text = ""

    def isatty(self) -> bool:
        return True

    def write(self, s: str) -> int:
        self.text += s
        return len(s)

    def flush(self) -> None:
        pass


def test_short_runs_stay_silent_and_long_ones_redraw_one_line(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.delenv("DAICHO_PROGRESS", raising=False)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setattr(progress, "DELAY", 3600.0)
    fast = FakeTerminal()
    with progress.task("記録を検査", stream=fast):
        repository.load(ROOT)
    assert fast.text == ""  # done before the delay: no flicker for a small repository
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(progress, "INTERVAL", 0.0)
    slow = FakeTerminal()
    with progress.task("記録を検査", stream=slow):
        repository.load(ROOT)
    lines = slow.text.split("\r\x1b[K")
    assert lines[-1] == "" and "\n" not in slow.text  # one line, rewritten, cleared at the end
    assert lines[1].startswith("記録を検査: 1/") and lines[-2].endswith("(100%)")
    assert progress.counter(10)() is None  # outside a task: a no-op
