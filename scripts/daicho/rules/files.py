"""個人情報ファイル簿 entries (法74条・75条): the 本人の数 threshold of 法74条2項9号."""

from __future__ import annotations

from collections.abc import Iterator

from daicho.repository import Record
from daicho.result import Issue
from daicho.rules import facts
from daicho.rules.model import Context


def findings(ctx: Context, r: Record, settings: dict) -> Iterator[Issue]:
    d = r.data
    limit = f"{ctx.data.file_persons:,}人"
    if "本人の数" not in d:
        yield r.issue("W-FILE-COUNT-MISSING", f"本人の数が未記入です（{limit}未満かどうか判定できません）",
                      (), severity="warning")
    elif facts.small_file_unlisted(ctx.data, settings, d) and "適用除外" not in d:
        yield r.issue("W-FILE-UNDER1000",
                      f"本人の数が{limit}未満です。適用除外（法74条2項9号）か「公表の特例」を記入してください",
                      ("本人の数",), severity="warning")
