"""Shared pieces of the load tests: Debian's Chromium (skip or fail when it is missing).

Without ``/usr/bin/chromium`` (or the playwright package) the tests skip with a message,
unless ``QGE_REQUIRE_BROWSER=1`` (set by ``.ci/run``), which makes that a failure.
Playwright's own browser download (``playwright install``) is never used.
"""

from __future__ import annotations

import os

import pytest

from tests.support.browser import CHROMIUM

HINT = (
    "load tests need Debian's Chromium: `apt-get install chromium chromium-driver` "
    "(QGE_REQUIRE_BROWSER=1 makes them mandatory, as .ci/run does)"
)


@pytest.fixture
def chromium_available() -> None:
    problem = None
    if not CHROMIUM.exists():
        problem = f"{CHROMIUM} not found"
    else:
        try:
            import playwright.async_api  # noqa: F401
        except ImportError:
            problem = "the playwright package is not installed"
    if problem:
        if os.environ.get("QGE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"QGE_REQUIRE_BROWSER=1 but {problem}; {HINT}")
        pytest.skip(f"{problem}; {HINT}")
