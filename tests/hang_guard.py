"""A pytest plugin: one hung browser test costs one timeout, not the whole CI budget.

The first browser test that hits pytest-timeout's limit leaves a browser that may no longer
answer, and every later browser test would wait out its own limit too. They fail at once
instead, naming the test that hung.
"""

from __future__ import annotations

import pytest

_HUNG: list[str] = []


def _uses_browser(item: pytest.Item) -> bool:
    return item.get_closest_marker("browser") is not None or "browser" in getattr(item, "fixturenames", ())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> pytest.TestReport:
    report = yield
    if report.failed and _uses_browser(item) and "from pytest-timeout" in str(report.longrepr):
        _HUNG.append(item.nodeid)
    return report


def pytest_runtest_setup(item: pytest.Item) -> None:
    if _HUNG and _uses_browser(item):
        pytest.fail(f"ブラウザが先の試験 {_HUNG[0]} で時間切れになったため、この試験は実行しません")
