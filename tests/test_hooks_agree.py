"""One verdict across the hooks (issue 13 §9).

- every value `daicho validate` accepts, written as `daicho fmt` writes it, passes yamllint with
  the project's configuration, the whitespace hooks and `daicho fmt --check` (property test);
- the real pre-commit, on a clone: a record with such values (`備考: no` among them) passes
  every hook; a file in Shift_JIS is refused by each hook that reads it with a positioned
  E-YAML-ENCODING error, and none of them crashes.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from yamllint import linter
from yamllint.config import YamlLintConfig

from daicho import schemas, yamlfmt, yamlio
from tests.conftest import ROOT
from tests.test_precommit import clone, git, pre_commit, snapshot  # noqa: F401 - fixtures

RECORD = "records/jimu/J-D1101-001.yaml"
TYPES = schemas.record_types(ROOT / "schemas")
DEFS = json.loads((ROOT / "schemas" / "common.json").read_text(encoding="utf-8"))["$defs"]
CONFIG = YamlLintConfig(file=str(ROOT / ".yamllint.yaml"))
BASE = (ROOT / RECORD).read_text(encoding="utf-8")

# Words YAML 1.1 reads as booleans, nulls, numbers or dates, and characters YAML gives a meaning.
TRICKY = ["no", "No", "NO", "yes", "on", "off", "y", "n", "~", "null", "0123", "0x1F", "1e3", "1_000", ".inf",
          "12:30", "2025-06-01", "a: b", "#x", "a #b", " x", "x ", "- x", "? x", "| x", "> x", "*a", "&a", "!x",
          "%x", "@x", "`x", "{a}", "[a]", "a, b", "'", '"', "　全角の空白", "a\nb", "a\n\nb", "a \nb", "a\n",
          "=1+1", "いいえ", "なし"]
TOKENS = [*"ab 　\t\n#:-'\"!&*?|>%@`{}[],.0123ny", "no", "yes", "on", "off", "null", "~", "日本", "\\"]


def canonical(value: str) -> str | None:
    """The demo record with 備考 set to ``value`` as `daicho fmt` writes it, if validate accepts it."""
    text = BASE + "備考: " + json.dumps(value, ensure_ascii=False) + "\n"
    try:
        doc = yamlio.load(text)
    except yamlio.LoadError:
        return None
    if list(schemas.schema_issues(doc, TYPES["jimu"])):
        return None
    out = yamlfmt.format_text(text, TYPES["jimu"].schema, DEFS)
    assert yamlio.load(out).data == doc.data
    return out


def hook_problems(text: str) -> list[str]:
    """What the hooks other than validate would say of this record file: yamllint (--strict:
    any problem fails), trailing-whitespace, end-of-file-fixer, daicho fmt --check."""
    problems = [f"yamllint {p.line}:{p.column} {p.rule}: {p.desc}" for p in linter.run(text, CONFIG, RECORD)]
    problems += [f"trailing whitespace: {line!r}" for line in text.split("\n") if line != line.rstrip(" \t")]
    if not text.endswith("\n") or text.endswith("\n\n"):
        problems.append("end of file")
    if yamlfmt.format_text(text, TYPES["jimu"].schema, DEFS) != text:
        problems.append("fmt --check")
    return problems


def test_tricky_values_pass_every_hook_once_formatted() -> None:
    accepted = 0
    for value in TRICKY:
        out = canonical(value)
        if out is not None:
            accepted += 1
            assert hook_problems(out) == [], value
    assert accepted == len(TRICKY)  # 備考 is free text: all of them are valid values


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(TOKENS), max_size=10).map("".join))
def test_every_accepted_value_passes_every_hook_once_formatted(value: str) -> None:
    out = canonical(value)
    if out is not None:
        assert hook_problems(out) == []


# --- the real pre-commit ------------------------------------------------------------------

def _record(clone: Path, values: dict[str, str]) -> str:  # noqa: F811
    rel = "records/jimu/J-D1101-990.yaml"
    text = BASE.replace("J-D1101-001", "J-D1101-990") + "".join(f"{k}: {v}\n" for k, v in values.items())
    (clone / rel).write_text(text, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "daicho", "fmt", rel], cwd=clone, check=True, capture_output=True)
    return rel


def test_a_record_that_validates_passes_every_hook(clone: Path) -> None:  # noqa: F811
    rel = _record(clone, {"備考": "no"})
    assert (clone / rel).read_text(encoding="utf-8").endswith("備考: no\n")  # as an author writes it
    git("add", rel, cwd=clone)
    proc = pre_commit("run", "--files", rel, cwd=clone, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert re.search(r"yamllint（重複キー・真偽値・アンカー）\.+Passed", output), output


def test_a_shift_jis_file_is_refused_by_every_hook_without_a_crash(clone: Path) -> None:  # noqa: F811
    record = clone / "records" / "jimu" / "J-D1101-991.yaml"
    record.write_bytes(BASE.replace("J-D1101-001", "J-D1101-991").encode("shift_jis"))
    other = clone / "notes.yaml"  # not a record: only yamllint and the text hooks read it
    other.write_bytes("メモ: 下書き\n".encode("shift_jis"))
    git("add", "-A", cwd=clone)
    proc = pre_commit("run", "--files", "records/jimu/J-D1101-991.yaml", "notes.yaml", cwd=clone, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "Traceback" not in output and "UnicodeDecodeError" not in output, output
    assert re.search(r"yamllint（重複キー・真偽値・アンカー）\.+Failed", output), output
    assert "notes.yaml:1:1: エラー[E-YAML-ENCODING]" in output, output
    # validate, fmt --check and yamllint each name the first byte that is not UTF-8 (line 3).
    assert output.count("records/jimu/J-D1101-991.yaml:3:1: エラー[E-YAML-ENCODING]") == 3, output
    assert re.search(r"daicho validate（記録の検査）\.+Failed", output), output
    assert "下書き" not in output  # nothing of the content
