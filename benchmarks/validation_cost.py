"""Benchmark: the worst files under the size cap (issue 13 §7) — how long one takes to check.

Each case is one record file just under both caps of the loader (``yamlio.MAX_BYTES``,
``yamlio.MAX_NODES``) written to be as costly as we know how: lists of distinct objects or mixed types under ``uniqueItems`` (jsonschema's own check
compares every pair of them: minutes), tens of thousands of wrong items or unknown keys (one
error each: 100,000 errors, 18 MB of output before the limit), deep nesting, long strings.
Each is checked in this process by ``repository.load`` with the cache off (the cold case), and
the table shows the CPU seconds, the bytes, and how many issue lines were reported (at most the
settings' limit, 100, and the summary line). The target: under 1 s each on the project machine.

    python benchmarks/validation_cost.py        # also a part of `make bench`
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from daicho import repository, schemas, yamlio  # noqa: E402

JIMU = ROOT / "records" / "jimu" / "J-D1101-001.yaml"


def _fill(make_line: Callable[[int], str], head: str, budget: int, tail: str = "") -> str:
    """``head``, as many lines as fit under both caps (bytes and values), ``tail``."""
    per_line = len(yamlio.load(head + "".join(make_line(k) + "\n" for k in range(100)) + tail).positions)
    base = len(yamlio.load(head + tail).positions)
    most = (yamlio.MAX_NODES - base) * 100 // max(per_line - base, 1) - 100
    lines, size = [], len((head + tail).encode())
    for k in range(most):
        line = make_line(k) + "\n"
        size += len(line.encode())
        if size > budget:
            break
        lines.append(line)
    return head + "".join(lines) + tail


def _with_list(item: Callable[[int], str]) -> Callable[[int], str]:
    """The demo 事務 record with its 記録項目.区分 (uniqueItems) replaced by a long list."""
    def make(budget: int) -> str:
        text = JIMU.read_text(encoding="utf-8")
        before, _, rest = text.partition("  区分:\n")
        tail = rest[rest.index("\n  項目") + 1:]
        return _fill(lambda k: "    - " + item(k), before + "  区分:\n", budget, tail)
    return make


def _unknown_keys(budget: int) -> str:
    return _fill(lambda k: f"未知の項目{k}: 値", JIMU.read_text(encoding="utf-8"), budget)


def _deep(budget: int) -> str:
    depth = yamlio.MAX_DEPTH - 4
    block = "備考2:\n" + "".join("  " * d + "- \n" for d in range(1, depth)) + "  " * depth + "- x\n"
    text = JIMU.read_text(encoding="utf-8")
    return _fill(lambda k: block.replace("備考2", f"備考{k}").rstrip("\n"), text, budget)


def _tiny_values(budget: int) -> str:
    """1 MiB of one-byte values: refused by the loader's cap on values, not read to the end."""
    text = JIMU.read_text(encoding="utf-8")
    return text + "備考2:\n" + "- 1\n" * ((budget - len(text.encode())) // 4 - 3)


def _long_strings(budget: int) -> str:
    text = JIMU.read_text(encoding="utf-8").replace("id: J-D1101-001", "id: J-D1101-001" + "X" * (budget // 2))
    return text[:budget - 10] + "\n"


CASES: dict[str, Callable[[int], str]] = {
    "区分: 異なるオブジェクトの一覧": _with_list(lambda k: f"{{a: {k}}}"),
    "区分: 型の混じった異なる値の一覧": _with_list(lambda k: str(k) if k % 2 else f"s{k}"),
    "区分: 異なる一覧の一覧": _with_list(lambda k: f"[{k}, s{k}]"),
    "区分: 同じ正しい値の繰り返し": _with_list(lambda k: "基本的事項"),
    "未知の項目が数万": _unknown_keys,
    "深い入れ子の繰り返し": _deep,
    "長い文字列の id": _long_strings,
    "1 MiB の小さな値（値の数の上限を超える）": _tiny_values,
}


def measure(text: str) -> tuple[float, int]:
    """CPU seconds of checking a repository of the organisation and this one 事務 file."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        (repo / "records" / "jimu").mkdir(parents=True)
        shutil.copytree(ROOT / "schemas", repo / "schemas")
        shutil.copy(ROOT / "records" / "organization.yaml", repo / "records")
        shutil.copy(ROOT / "records" / "settings.yaml", repo / "records")
        (repo / "records" / "jimu" / "J-D1101-001.yaml").write_text(text, encoding="utf-8")
        start = time.process_time()
        loaded = repository.load(repo)
        seconds = time.process_time() - start
        return seconds, sum(1 for i in loaded.issues if i.file.endswith("J-D1101-001.yaml"))


def main() -> None:
    os.environ["DAICHO_NO_CACHE"] = "1"
    budget = yamlio.MAX_BYTES - 1024
    measure(JIMU.read_text(encoding="utf-8"))  # imports, schemas: not the file's cost
    schemas.jsonschema()  # imported on the first wrong record
    print("| 最悪の1ファイル（上限未満） | バイト | 検査の CPU 秒 | 報告の行数 |")
    print("|---|---:|---:|---:|")
    for name, make in CASES.items():
        text = make(budget)
        seconds, lines = measure(text)
        print(f"| {name} | {len(text.encode()):,} | {seconds:.2f} | {lines} |", flush=True)


if __name__ == "__main__":
    main()
