"""A limit on how many pages one browser may open per half minute (``qgas serve``).

Opening the dashboard builds a session: about a second of the server's event loop on this
2-core machine, which every other session waits for. A student who keeps reloading three tabs
held the loop for 4.5 s at a time and the others' γ moves took a median of 4.2 s instead of
0.2 s (QA, 4 Dec 2026). So each browser may open at most ``PAGE_LOADS_ENV`` pages (default
:data:`DEFAULT_PAGE_LOADS`) per :data:`WINDOW_S` seconds; beyond, it gets HTTP 429 with a
plain sentence and ``Retry-After``, which costs the loop nothing.

A browser is told apart by a random cookie (:data:`COOKIE`), not by its address: a class
behind one NAT address joins at once without hitting the limit. A script that drops its
cookies is not stopped here; that is the job of one backend per core and a reverse proxy's
rate limit (``docs/serving.md``).
"""

from __future__ import annotations

import collections
import logging
import math
import os
import re
import secrets
import time
from collections.abc import Callable

__all__ = ["COOKIE", "DEFAULT_PAGE_LOADS", "PAGE_LOADS_ENV", "WINDOW_S", "PageLoadLimiter"]

#: Environment variable of the server process: pages per browser per window.
PAGE_LOADS_ENV = "QGAS_PAGE_LOADS_PER_BROWSER"
#: Default pages per browser per window: a reload now and then, several tabs at once.
DEFAULT_PAGE_LOADS = 6
#: The window, seconds.
WINDOW_S = 30.0
#: Cookie that tells browsers apart (random, no meaning beyond this limit).
COOKIE = "qge_browser"
_COOKIE_VALUE = re.compile(r"[0-9a-f]{32}")
#: Browsers remembered at most (the oldest are forgotten first).
MAX_BROWSERS = 10_000

_logger = logging.getLogger("qgas.serve")


class PageLoadLimiter:
    """Sliding-window count of page loads per browser.

    Parameters
    ----------
    limit
        Page loads a browser may make per ``window_s`` seconds, at least 1.
    window_s
        Length of the window, seconds.
    clock
        Monotonic clock (seconds); a test passes its own.
    """

    def __init__(
        self, limit: int, window_s: float = WINDOW_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(f"limit={limit!r} is outside the valid range: an integer >= 1")
        self.limit, self.window_s, self._clock = limit, window_s, clock
        self._loads: collections.OrderedDict[str, collections.deque[float]] = (
            collections.OrderedDict()
        )

    def admit(self, browser: str) -> float:
        """Record a page load of ``browser`` and return 0, or return the seconds it must wait
        (nothing recorded) when it has made ``limit`` loads within the window."""
        now = self._clock()
        loads = self._loads.pop(browser, collections.deque())
        while loads and loads[0] <= now - self.window_s:
            loads.popleft()
        self._loads[browser] = loads  # most recent last
        while len(self._loads) > MAX_BROWSERS:
            self._loads.popitem(last=False)
        if len(loads) >= self.limit:
            return loads[0] + self.window_s - now
        loads.append(now)
        return 0.0


def install_from_environment() -> None:
    """Guard Panel's page handler with a :class:`PageLoadLimiter` of :data:`PAGE_LOADS_ENV`
    page loads per browser (once per server process)."""
    from panel.io.server import DocHandler

    if getattr(DocHandler.get, "_qgas_limited", False):
        return
    limiter = PageLoadLimiter(int(os.environ.get(PAGE_LOADS_ENV, DEFAULT_PAGE_LOADS)))
    original = DocHandler.get

    async def get(self: DocHandler, *args, **kwargs) -> None:
        browser = self.get_cookie(COOKIE, "")
        if not _COOKIE_VALUE.fullmatch(browser):
            browser = secrets.token_hex(16)
            self.set_cookie(COOKIE, browser, httponly=True, samesite="Strict")
        wait = limiter.admit(browser)
        if wait > 0.0:
            seconds = math.ceil(wait)
            _logger.warning(
                "refused a page load: one browser's %d in %g s", limiter.limit, limiter.window_s
            )
            self.set_status(429)
            self.set_header("Retry-After", str(seconds))
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(
                f"Too many page loads from this browser ({limiter.limit} in "
                f"{limiter.window_s:g} s): "
                f"please wait {seconds} s and reload. This keeps the dashboard fluid for "
                "everyone else on this server."
            )
            return None
        return await original(self, *args, **kwargs)

    get._qgas_limited = True  # type: ignore[attr-defined]
    DocHandler.get = get
