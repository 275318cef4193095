"""a11y.time_element returns Markup: only a real date can become markup, anything else fails."""

from __future__ import annotations

import datetime as dt

import pytest

from daicho.a11y import time_element


def test_a_date_becomes_a_time_element() -> None:
    assert str(time_element("2025-06-27")) == (
        '<time datetime="2025-06-27">令和7年6月27日 (2025-06-27)</time>')
    assert str(time_element(dt.date(2019, 5, 1))).endswith(">令和元年5月1日 (2019-05-01)</time>")
    assert "daicho-none" in str(time_element(None))


@pytest.mark.parametrize("hostile", ['"><script>alert(1)</script>', "<img src=x onerror=alert(1)>",
                                     "2025-06-27<script>"])
def test_hostile_text_never_becomes_markup(hostile: str) -> None:
    with pytest.raises(ValueError):
        time_element(hostile)
