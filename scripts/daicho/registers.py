"""Which register entries count on a day — one definition for the site, the report and the
public build: an entry is in force from its 登録年月日 until the day before its 廃止年月日, and
a ファイル簿 entry carrying an exemption (適用除外) is kept for the record but is not on the
ファイル簿 at all."""

from __future__ import annotations

import datetime as dt

from daicho.repository import Record


def in_force(record: Record, day: dt.date) -> bool:
    iso = day.isoformat()
    end = record.data.get("廃止年月日")
    return record.data["登録年月日"] <= iso and (end is None or end > iso)


def on_register(record: Record, day: dt.date) -> bool:
    """Counted in the 事務登録簿 / ファイル簿 on ``day``."""
    return in_force(record, day) and "適用除外" not in record.data
