"""Benchmark: `daicho import` of a ファイル簿 workbook of ``BENCH_N`` rows (default 1,000) into an
empty repository, and `daicho export` of the result. The rows are written as offices write them
(a title row, 和暦 text and Excel dates, numbered lists, ○×, 同上), so every reading is exercised.
Target: 1,000 rows in under 10 s on the project's 2-core machine.

    python benchmarks/import_rows.py            # or: make bench (BENCH_PARTS containing import)
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import tempfile
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from scale import BIN, run  # noqa: E402
from tests.workbook_fixtures import FILEBOOK_HEADER  # noqa: E402


def workbook(path: Path, n: int, departments: list[tuple[str, str]]) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["八千代市個人情報ファイル簿（令和6年4月1日現在）"])
    ws.append([])
    ws.append(FILEBOOK_HEADER)
    for i in range(n):
        dept, organ = departments[i % len(departments)]
        made = dt.date(2020 + i % 5, 4, 1) if i % 2 else f"令和{2 + i % 5}年4月1日"
        ws.append([i + 1, f"業務ファイル{i + 1:05d}", organ, dept, f"第{i + 1}号業務の実施及び記録の管理のため",
                   "1 氏名、2 住所、3 生年月日、4 電話番号", "業務の対象となる市民", "本人からの申請書",
                   "○" if i % 7 == 0 else "×", "含まない", "なし", "―",
                   "同上" if i % 3 == 1 else "電算処理ファイル", "無", 1000 + i, made, None])
    wb.save(path)


def main() -> None:
    if "import" not in os.environ.get("BENCH_PARTS", "import"):
        return
    n = int(os.environ.get("BENCH_N", "1000"))
    sys.path.insert(0, str(ROOT / "scripts"))
    from daicho import repository

    repo = repository.load(ROOT)
    departments = [(d.name, repo.organization["実施機関"][0]["行政機関等の名称"])
                   for d in repo.departments.values() if d.end is None and d.organ == "市長"]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "city"
        shutil.copytree(ROOT / "schemas", root / "schemas")
        (root / "records").mkdir()
        for name in ("organization.yaml", "settings.yaml"):
            shutil.copy(ROOT / "records" / name, root / "records" / name)
        book = Path(tmp) / "filebook.xlsx"
        workbook(book, n, departments)
        daicho = str(BIN / "daicho")
        imported = run([daicho, "import", "filebook", str(book), "--root", str(root)], root)
        written = len(list((root / "records" / "files").glob("*.yaml")))
        exported = run([daicho, "export", "filebook", "-o", str(Path(tmp) / "out.xlsx"), "--root", str(root)], root)
        again = run([daicho, "import", "filebook", str(Path(tmp) / "out.xlsx"), "--root", str(root)], root)
    print(f"取り込みのベンチマーク: ファイル簿 {n:,} 行（XLSX）→ {written:,} 件")
    for label, res in (("daicho import（新規）", imported), ("daicho export", exported),
                       ("daicho import（書き出したものを再取り込み・変更なし）", again)):
        print(f"  {label}: {res.seconds:.2f} s（CPU {res.cpu:.2f} s、ピークRSS {res.rss_mb:.0f} MB）")


if __name__ == "__main__":
    main()
