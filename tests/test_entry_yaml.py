"""The input form's YAML writer (assets/daicho/entry-yaml.js), run under Node, against
`daicho fmt` (yamlfmt): for every demo record it writes the file byte for byte (comments
aside), and for awkward and hostile values it writes text that `daicho fmt` leaves unchanged
and that reads back as exactly the value typed.

The browser test (test_entry_browser.py) runs the same module in Chromium through the form.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from daicho import repository, typemodel, yamlfmt, yamlio
from daicho.render import entry
from tests.conftest import ROOT

MODULE = ROOT / "scripts" / "daicho" / "assets" / "entry-yaml.js"
RUNNER = """
import { dump, makeResolver } from "./entry-yaml.mjs";
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (c) => { input += c; });
process.stdin.on("end", () => {
  const { resolver, cases } = JSON.parse(input);
  const resolves = makeResolver(resolver);
  process.stdout.write(JSON.stringify(cases.map(([data, layout]) => dump(data, layout, resolves))));
});
"""

# Values a clerk may type, and ones an attacker may: each must stay literal in the file.
AWKWARD = [
    "", " ", "a ", " a", "true", "False", "null", "~", "123", "0o17", "0x1F", "1e3", ".5", "-1", "+1", "1_000",
    "2025-06-27", "2025-02-30", "2025-6-1", "<<", "=", "!", "&a", "*a", "- a", "-a", "? a", ": a", "a: b", "a:b",
    "a #b", "a#b", "#a", "'", "it's", '"', 'say "hi"', "\\", "%a", "@a", "`a`", "|", ">", "[a]", "{a: b}", "a, b",
    "---", "...", "a\nb", "a\nb\n", "a\n\nb", "a\n\n", "\na", " a\nb", "a \nb", "a\n b", "a\tb", "\x00", "\x07",
    "\x1b[31m", "\u00a0", "\ufeff", "😀", "令和7年6月27日", "健康づくり課: 子ども", "<script>alert(1)</script>",
    "{{ 7*7 }}", "${7*7}", "=HYPERLINK(\"http://x\")", "';DROP TABLE x;--", "a\r\nb", "\u202ecba", "a" * 300,
]


def node_dump(cases: list[tuple[Any, dict[str, Any]]], tmp_path: Path) -> list[str]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node がありません（npm と一緒に入ります）")
    shutil.copyfile(MODULE, tmp_path / "entry-yaml.mjs")
    (tmp_path / "run.mjs").write_text(RUNNER, encoding="utf-8")
    payload = json.dumps({"resolver": entry.resolver_table(), "cases": cases}, ensure_ascii=False)
    proc = subprocess.run([node, str(tmp_path / "run.mjs")], input=payload, capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def demo() -> repository.Repository:
    return repository.load(ROOT)


def test_every_demo_record_is_written_as_its_file(demo: repository.Repository, tmp_path: Path) -> None:
    defs = json.loads((demo.schema_dir / "common.json").read_text(encoding="utf-8"))["$defs"]
    records = [r for r in demo.records if r.type in entry.TYPES]
    assert len(records) > 100
    layouts = {t: typemodel.inline(demo.types[t].schema, defs) for t in entry.TYPES}
    written = node_dump([(r.data, layouts[r.type]) for r in records], tmp_path)
    wrong = []
    for r, text in zip(records, written, strict=True):
        original = (ROOT / r.path).read_text(encoding="utf-8")
        expected = yamlfmt.without_comments(original, demo.types[r.type].schema, defs)
        if text != expected:
            wrong.append(r.path)
    assert wrong == []


def test_awkward_and_hostile_values_stay_literal_and_formatted(demo: repository.Repository, tmp_path: Path) -> None:
    rng = random.Random(16)
    # NEL, LS and PS are left out: ruamel itself does not read back what it writes for them
    # (single quotes fold them), so the form turns them into "\n" as it reads a field (entry.js).
    alphabet = list("ab :#-'\"\n\t\\{}[],&*!|>%@`?=~.0129") + ["\u3042", "\u00a0", "\u202e", "😀"]
    values = AWKWARD + ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(400)]
    schema = demo.types["contract"].schema
    defs = json.loads((demo.schema_dir / "common.json").read_text(encoding="utf-8"))["$defs"]
    layout = typemodel.inline(schema, defs)
    cases = [({"id": "C-2026-D1501-AAAAA", "案件名": v, "取扱い個人情報一覧": [v, "氏名"], "受託者": {"名称": v}, "備考": v},
              layout) for v in values]
    written = node_dump(cases, tmp_path)
    problems = []
    for (data, _), text in zip(cases, written, strict=True):
        if yamlfmt.format_text(text, schema, defs) != text:
            problems.append(f"fmt changes {data['案件名']!r}: {text!r}")
        elif yamlio.load(text).data != data:
            problems.append(f"reads back differently {data['案件名']!r}: {text!r}")
    assert problems == []
