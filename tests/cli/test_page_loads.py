"""One browser opening pages over and over must not hold the event loop for the others
(``qgas.page_loads``; QA, 4 Dec 2026: three tabs reloading without pause made every other
student's γ move wait 4.2 s)."""

from __future__ import annotations

import http.cookiejar
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from qgas.page_loads import COOKIE, PageLoadLimiter
from tests.support.served import ServedDashboard


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_browser_gets_its_loads_per_window_then_waits_for_the_oldest_to_leave():
    clock = Clock()
    limiter = PageLoadLimiter(3, window_s=30.0, clock=clock)
    for step in range(3):
        clock.now = 100.0 + 5 * step  # loads at 100, 105, 110
        assert limiter.admit("a") == 0.0
    clock.now = 120.0
    assert limiter.admit("a") == pytest.approx(10.0)  # the load at 100 leaves at 130
    assert limiter.admit("b") == 0.0  # another browser is not held back
    clock.now = 130.0
    assert limiter.admit("a") == 0.0  # a refused load was not counted


@pytest.mark.parametrize("limit", [0, -1, True, 2.5])
def test_a_limit_below_one_is_refused(limit):
    with pytest.raises(ValueError, match=f"limit={limit!r} is outside the valid range"):
        PageLoadLimiter(limit)


def opener() -> tuple[urllib.request.OpenerDirector, http.cookiejar.CookieJar]:
    """A client with its own cookies: one browser."""
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)), jar


def status(client: urllib.request.OpenerDirector, url: str) -> tuple[int, str, str]:
    try:
        with client.open(url, timeout=60) as response:
            return response.status, "", ""
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Retry-After", ""), error.read().decode()


def test_a_served_browser_over_its_limit_gets_429_and_another_is_served(tmp_path: Path):
    server = ServedDashboard(tmp_path / "serve.log", ["--page-loads-per-browser", "2"])
    try:
        (student, jar), (other, _) = opener(), opener()
        assert [status(student, server.url)[0] for _ in range(2)] == [200, 200]
        code, retry, text = status(student, server.url)
        assert code == 429 and 0 < int(retry) <= 30
        assert "Too many page loads from this browser (2 in 30 s)" in text
        assert status(other, server.url)[0] == 200
        assert [cookie.name for cookie in jar] == [COOKIE]
    finally:
        server.stop()
