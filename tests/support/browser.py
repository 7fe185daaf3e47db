"""Driving the served dashboard in Debian's Chromium (Playwright's async API).

One set of Chromium arguments (:data:`CHROMIUM_ARGS`) for every browser the tests and the
benchmarks start; the page helpers find the slider handles that drive a view, press them and
time the plot update from the websocket messages the page receives.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from dashboard.assembly import GLOBAL_SLIDER_CLASSES
from dashboard.views import VIEWS, load_view_class

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "IDLE_JS",
    "SessionResult",
    "StaleHandle",
    "danger_alerts",
    "driving_classes",
    "driving_selectors",
    "load_page",
    "move_slider",
    "open_session",
    "view_class",
    "view_selector",
    "visible_handles",
    "wait_for_view",
]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: Installed before any page script: records, in the page's clock, the arrival of every
#: websocket message carrying plot data and of every other document patch, and closes.
RECORDER_JS = r"""
(() => {
  const Native = window.WebSocket;
  const record = {data: [], patch: [], opened: 0, closed: 0};
  const DATA = new RegExp(
    '"kind":\\s*"(ColumnDataChanged|ColumnsStreamed|ColumnsPatched)"'
    + '|"type":\\s*"object",\\s*"name":\\s*"ColumnDataSource"');
  const keep = (list, t) => { list.push(t); if (list.length > 400) list.splice(0, 200); };
  window.__qgeLoad = record;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      record.opened += 1;
      this.addEventListener('message', (event) => {
        if (typeof event.data !== 'string') return;
        const now = performance.now();
        if (DATA.test(event.data)) keep(record.data, now);
        else if (event.data.includes('"events"')) keep(record.patch, now);
      });
      this.addEventListener('close', () => { record.closed += 1; });
    }
  };
})();
"""

#: Resolves when the update after ``t0`` is complete: the last plot-data message followed by
#: ``settle`` ms without another one; ``latency`` is null if none came within ``timeout`` ms.
WAIT_UPDATE_JS = r"""
async ({t0, settle, timeout}) => new Promise((resolve) => {
  const record = window.__qgeLoad;
  const poll = () => {
    const now = performance.now();
    const data = record.data.filter((t) => t > t0);
    const last = data.length ? data[data.length - 1] : null;
    if (last !== null && now - last >= settle) {
      resolve({latency: last - t0, messages: data.length});
    } else if (last === null && now - t0 > timeout) {
      resolve({latency: null, messages: 0});
    } else {
      setTimeout(poll, 20);
    }
  };
  poll();
})
"""

IDLE_JS = (
    "() => window.Bokeh !== undefined && Bokeh.documents.length > 0 && Bokeh.documents[0].is_idle"
)


@dataclass
class SessionResult:
    """What one browser session measured and saw."""

    latencies_ms: list[float] = field(default_factory=list)
    #: the same latencies, by the view (slug) whose tab was shown
    view_latencies_ms: dict[str, list[float]] = field(default_factory=dict)
    #: the view (slug) of each move counted in ``no_update``
    no_update_views: list[str] = field(default_factory=list)
    moves: int = 0
    no_update: int = 0
    load_seconds: float = float("nan")
    tabs: int = 0
    handles: int = 0
    stale_handles: int = 0
    errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)


def view_class(tab_index: int) -> str:
    """CSS class of the layout of the view in tab ``tab_index`` (built on first visit)."""
    return f"qge-view-{list(VIEWS)[tab_index]}"


def driving_classes(tab_index: int) -> list[str]:
    """CSS classes of what holds the sliders that drive the view in tab ``tab_index``: the
    view's own layout, and the sidebar sliders of the global inputs it depends on (moving
    another global slider updates no visible plot: hidden views wait until shown)."""
    view = load_view_class(list(VIEWS)[tab_index])
    return [
        view_class(tab_index),
        *(GLOBAL_SLIDER_CLASSES[name] for name in view.state_dependencies),
    ]


def driving_selectors(tab_index: int) -> list[str]:
    """Selectors of the slider handles that drive the view in tab ``tab_index``
    (:func:`driving_classes`)."""
    return [f".{css_class} .noUi-handle" for css_class in driving_classes(tab_index)]


async def visible_handles(page: Any, tab_index: int | None = None) -> list[Any]:
    """The visible slider handles (``.noUi-handle``) in ``page``; with ``tab_index``, only
    those that drive that tab's view (:func:`driving_selectors`)."""
    selector = ".noUi-handle" if tab_index is None else ", ".join(driving_selectors(tab_index))
    handles = page.locator(selector)
    found = []
    for index in range(await handles.count()):
        handle = handles.nth(index)
        if await handle.is_visible():
            found.append(handle)
    return found


async def danger_alerts(page: Any) -> set[str]:
    """Texts of the visible error alerts (``.alert-danger``) in ``page``."""
    alerts = page.locator(".alert-danger")
    texts = set()
    for index in range(await alerts.count()):
        alert = alerts.nth(index)
        if await alert.is_visible():
            texts.add((await alert.inner_text()).strip()[:200])
    return texts


def view_selector(tab_index: int) -> str:
    """CSS selector of the layout of the view in tab ``tab_index`` (built on first visit)."""
    return f".{view_class(tab_index)}"


async def wait_for_view(page: Any, tab_index: int, timeout_ms: float = 120_000) -> None:
    """Wait until the view of tab ``tab_index`` is shown and the document is idle."""
    await page.locator(view_selector(tab_index)).first.wait_for(state="visible", timeout=timeout_ms)
    await page.wait_for_function(IDLE_JS, timeout=timeout_ms)


class StaleHandle(Exception):
    """The slider handle vanished or stopped responding (the view rebuilt its controls)."""


async def move_slider(
    page: Any, handle: Any, rng: random.Random, timeout_ms: float
) -> float | None:
    """One keyboard step of ``handle`` in a random allowed direction.

    Returns the slider → update latency in ms, or None if no plot data came within
    ``timeout_ms``. Raises :class:`StaleHandle` if the handle is gone.
    """
    from playwright.async_api import Error as PlaywrightError

    try:
        now = await handle.get_attribute("aria-valuenow", timeout=10_000)
        low = await handle.get_attribute("aria-valuemin", timeout=10_000)
        high = await handle.get_attribute("aria-valuemax", timeout=10_000)
        key = "ArrowRight" if rng.random() < 0.5 else "ArrowLeft"
        if now is not None and low is not None and high is not None:
            if float(now) >= float(high):
                key = "ArrowLeft"
            elif float(now) <= float(low):
                key = "ArrowRight"
        t0 = await page.evaluate("performance.now()")
        await handle.press(key, timeout=10_000)
    except PlaywrightError as error:  # TimeoutError included
        raise StaleHandle(str(error)[:200]) from None
    result = await page.evaluate(WAIT_UPDATE_JS, {"t0": t0, "settle": 400, "timeout": timeout_ms})
    return result["latency"]


async def open_session(browser: Any, url: str, result: SessionResult) -> tuple[Any, Any]:
    """A fresh browser context and page whose errors and off-host requests go to ``result``.

    The page records websocket traffic (:data:`RECORDER_JS`); requests to other hosts than
    ``url``'s are blocked and listed in ``result.external_requests``.
    """
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    await context.add_init_script(RECORDER_JS)
    page = await context.new_page()
    host = urlparse(url).hostname

    async def block_external(route: Any) -> None:
        if urlparse(route.request.url).hostname == host:
            await route.continue_()
        else:
            result.external_requests.append(route.request.url)
            await route.abort()

    def console(message: Any) -> None:
        source = urlparse(message.location.get("url", "")).hostname
        if message.type == "error" and source in (host, None):
            result.errors.append(f"console error: {message.text[:300]}")

    await page.route("**/*", block_external)
    page.on("pageerror", lambda error: result.errors.append(f"page error: {error}"))
    page.on("console", console)
    return context, page


async def load_page(page: Any, url: str, result: SessionResult) -> None:
    """Open ``url`` and wait until the Bokeh document is idle; record the load time."""
    started = time.monotonic()
    await page.goto(url, timeout=120_000)
    await page.wait_for_function(IDLE_JS, timeout=120_000)
    result.load_seconds = time.monotonic() - started
