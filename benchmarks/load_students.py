"""The students of the load benchmark: Chromium pages or Bokeh-protocol clients.

Each student opens the page, then until the time is up visits every tab and moves every slider
that drives the visible view by one step, waiting a think time between moves
(``python -m benchmarks.load``; the module docstring there says what is measured).
"""

from __future__ import annotations

import asyncio
import random
import time
from typing import Any

from dashboard.views import VIEWS
from tests.support.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SessionResult,
    StaleHandle,
    danger_alerts,
    driving_classes,
    load_page,
    move_slider,
    open_session,
    view_class,
    visible_handles,
    wait_for_view,
)

__all__ = ["CLIENTS", "BrowserStudent", "ProtocolStudent", "drive_session", "run_sessions"]

#: How the students reach the server (``--client``); the first is the default.
CLIENTS = ("protocol", "browser")


class BrowserStudent:
    """A student in a Chromium browser context: clicks tabs and presses slider handles."""

    def __init__(self, browser: Any, url: str, result: SessionResult) -> None:
        self.browser, self.url, self.result = browser, url, result

    async def open(self) -> None:
        self.context, self.page = await open_session(self.browser, self.url, self.result)
        await load_page(self.page, self.url, self.result)
        self.tabs = self.page.locator(".bk-tab")

    async def tab_count(self) -> int:
        return max(await self.tabs.count(), 1)

    async def show_tab(self, tab_index: int) -> None:
        if await self.tabs.count():
            await self.tabs.nth(tab_index).click()
            await wait_for_view(self.page, tab_index)

    async def sliders(self, tab_index: int) -> list[Any]:
        return await visible_handles(self.page, tab_index)

    async def move(self, slider: Any, rng: random.Random, timeout_ms: float) -> float | None:
        return await move_slider(self.page, slider, rng, timeout_ms)

    async def alerts(self) -> set[str]:
        return await danger_alerts(self.page)

    async def dropped(self) -> bool:
        return (await self.page.evaluate("window.__qgeLoad"))["closed"] > 0

    async def close(self) -> None:
        await self.context.close()


class ProtocolStudent:
    """A student speaking Bokeh's protocol (:mod:`tests.support.protocol_client`): sets the
    ``Tabs`` and slider models as the browser would, renders nothing."""

    def __init__(self, url: str, result: SessionResult) -> None:
        from tests.support.protocol_client import ProtocolSession

        self.session = ProtocolSession(url)
        self.result = result

    async def open(self) -> None:
        started = time.monotonic()
        await self.session.connect()
        self.result.load_seconds = time.monotonic() - started

    async def tab_count(self) -> int:
        tabs = self.session.tabs()
        return len(tabs.tabs) if tabs is not None else 1

    async def show_tab(self, tab_index: int) -> None:
        tabs = self.session.tabs()
        if tabs is not None and tabs.active != tab_index:
            self.session.select_tab(tab_index)
        await self.session.wait_for_class(view_class(tab_index), timeout=120.0)

    async def sliders(self, tab_index: int) -> list[Any]:
        found = {}
        for css_class in driving_classes(tab_index):
            for slider in self.session.sliders_under(css_class):
                if slider.visible:
                    found.setdefault(slider.id, slider)
        return list(found.values())

    async def move(self, slider: Any, rng: random.Random, timeout_ms: float) -> float | None:
        if not slider.in_document:
            raise StaleHandle(f"slider {slider.title!r} left the document")
        sent = self.session.step_slider(slider, rng.choice((-1, 1)))
        latency = await self.session.wait_update(sent, settle=0.4, timeout=timeout_ms / 1000)
        return None if latency is None else latency * 1000

    async def alerts(self) -> set[str]:
        return {
            str(model.text).strip()[:200]
            for model in self.session.models_with_class("alert-danger")
            if model.visible and str(model.text).strip()
        }

    async def dropped(self) -> bool:
        return self.session.closed

    async def close(self) -> None:
        await self.session.close()


async def drive_session(
    student: BrowserStudent | ProtocolStudent,
    duration: float,
    think: float,
    seed: int,
    update_timeout: float = 20.0,
    hold: tuple[asyncio.Queue, asyncio.Event] | None = None,
    start_together: tuple[asyncio.Queue, asyncio.Event] | None = None,
) -> SessionResult:
    """One student: open the page and move every slider of every tab until ``duration`` s.

    With ``start_together = (queue, event)`` the student first opens every tab once (its
    views are built), puts its ``seed`` into the queue and waits for the event before the
    timed moves: the moves then measure a class at work, not a class joining.

    A handle whose first move brings no plot update within ``update_timeout`` s is counted
    in ``no_update`` and not moved again (a slider no plot depends on). With ``hold =
    (queue, event)`` the session puts its ``seed`` into the queue when its moves are done
    and stays connected, idle, until the event is set.
    """
    rng = random.Random(seed)
    result = student.result
    try:
        await student.open()
        alerts_at_start = await student.alerts()
        result.tabs = await student.tab_count()
        if start_together is not None:
            for tab_index in range(result.tabs):
                await student.show_tab(tab_index)
            start_together[0].put_nowait(seed)
            await start_together[1].wait()
        deadline = time.monotonic() + duration
        silent: set[tuple[int, int]] = set()
        while time.monotonic() < deadline:
            for tab_index in range(result.tabs):
                if time.monotonic() >= deadline:
                    break
                await student.show_tab(tab_index)
                sliders = await student.sliders(tab_index)
                result.handles = max(result.handles, len(sliders))
                for slider_index, slider in enumerate(sliders):
                    if time.monotonic() >= deadline:
                        break
                    if (tab_index, slider_index) in silent:
                        continue
                    try:
                        latency = await student.move(slider, rng, update_timeout * 1000)
                    except StaleHandle:
                        result.stale_handles += 1
                        break  # the controls changed: list the sliders again
                    result.moves += 1
                    slug = list(VIEWS)[tab_index]
                    if latency is None:
                        result.no_update += 1
                        result.no_update_views.append(slug)
                        silent.add((tab_index, slider_index))
                    else:
                        result.latencies_ms.append(latency)
                        result.view_latencies_ms.setdefault(slug, []).append(latency)
                    await asyncio.sleep(think * rng.uniform(0.5, 1.5))
        new_alerts = await student.alerts() - alerts_at_start
        result.errors += [f"error alert appeared: {text}" for text in sorted(new_alerts)]
    except Exception as error:  # a failing session is a result, not a crash of the run
        result.errors.append(f"{type(error).__name__}: {str(error)[:300]}")
    if hold is not None:
        hold[0].put_nowait(seed)
        await hold[1].wait()
    try:
        if await student.dropped():
            result.errors.append("websocket closed by the server: session dropped")
    except Exception as error:
        result.errors.append(f"{type(error).__name__}: {str(error)[:300]}")
    finally:
        await student.close()
    return result


async def run_sessions(
    url: str,
    sessions: int,
    duration: float,
    think: float,
    stagger: float = 0.3,
    on_all_loaded: Any = None,
    client: str = CLIENTS[0],
    warm_start: bool = False,
) -> list[SessionResult]:
    """``sessions`` concurrent students, started ``stagger`` s apart.

    With ``warm_start`` every student opens every tab first, and the timed moves of all of
    them begin when the last one has (:func:`drive_session`'s ``start_together``).

    ``client`` is ``"browser"`` (each student a context of one headless Chromium) or
    ``"protocol"`` (each a :class:`ProtocolStudent`, all in this process).
    ``on_all_loaded()`` is called (in a thread) once every session has finished its moves
    but is still connected: the place to read the memory of ``sessions`` live sessions.
    """
    if client not in CLIENTS:
        raise ValueError(f"client={client!r} is not one of {CLIENTS}")
    finished: asyncio.Queue = asyncio.Queue()
    release = asyncio.Event()
    opened: asyncio.Queue = asyncio.Queue()
    start = asyncio.Event()

    async def all_sessions(queue: asyncio.Queue, tasks: list[asyncio.Task]) -> None:
        """Every session has put into ``queue``, or ended (a crash shows in gather)."""
        while queue.qsize() + sum(task.done() for task in tasks) < sessions:
            await asyncio.sleep(0.2)

    async def students(make_student: Any) -> list[SessionResult]:
        async def student(index: int) -> SessionResult:
            await asyncio.sleep(index * stagger)
            return await drive_session(
                make_student(SessionResult()),
                duration,
                think,
                seed=index,
                hold=(finished, release),
                start_together=(opened, start) if warm_start else None,
            )

        tasks = [asyncio.create_task(student(i)) for i in range(sessions)]
        if warm_start:
            await all_sessions(opened, tasks)
            start.set()
        await all_sessions(finished, tasks)
        if on_all_loaded is not None:
            await asyncio.to_thread(on_all_loaded)
        release.set()
        return list(await asyncio.gather(*tasks))

    if client == "protocol":
        return await students(lambda result: ProtocolStudent(url, result))
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        results = await students(lambda result: BrowserStudent(browser, url, result))
        await browser.close()
    return results
