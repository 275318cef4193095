"""tests/hang_guard.py: after one browser test times out, later browser tests fail at once."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT

pytest_plugins = ["pytester"]


def test_a_hung_browser_test_fails_the_later_ones_at_once(pytester: pytest.Pytester,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makepyfile(test_hang="""
        import time
        import pytest

        @pytest.mark.browser
        def test_hangs():
            time.sleep(30)

        @pytest.mark.browser
        def test_later_browser():
            pass

        def test_no_browser():
            pass
    """)
    result = pytester.runpytest_subprocess("-p", "tests.hang_guard", "-p", "no:cacheprovider",
                                           "-o", "timeout=2", "-o", "markers=browser: x")
    result.assert_outcomes(passed=1, failed=1, errors=1)
    result.stdout.fnmatch_lines(["*test_hang.py::test_hangs で時間切れになったため*"])
    result.stdout.fnmatch_lines(["*Timeout (>2.0s) from pytest-timeout*"])
