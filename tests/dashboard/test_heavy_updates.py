"""A heavy view's update in a served session: superseded or abandoned work leaves the queue
of the physics workers, and a result that arrives after its session is gone is dropped.

The session is a Bokeh ``Document`` with a session context, destroyed as the server destroys
it; the physics workers are replaced by one thread (``physics_pool``'s queue semantics are
those of any ``concurrent.futures`` executor: a job not yet started can be cancelled).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
import weakref
from typing import Any

import pandas as pd
import param
import pytest
from bokeh.document import Document
from panel.io.state import set_curdoc

from dashboard import physics_pool
from dashboard.base import BUSY_TEXT, View, busy_line
from dashboard.plotting import Curve, Panel
from qgas import serve_hooks

pytestmark = pytest.mark.timeout(60)

#: Inputs whose physics job a worker started (in order).
ran: list[int] = []
#: A started job returns once this is set.
finish = threading.Event()


def job(value: int) -> int:
    ran.append(value)
    finish.wait(3)
    return value


offloaded_job = physics_pool.offload(job)


class SlowView(View):
    """A heavy view whose data come from one offloaded job."""

    slug = "slow"
    heavy = True
    x = param.Integer(default=1, bounds=(0, 10), doc="Input.")

    def data(self) -> dict[str, pd.DataFrame]:
        value = offloaded_job(self.x)
        return {"curve": pd.DataFrame({"x": [0.0, 1.0], "y": [0.0, float(value)]})}

    def figure(self, data: dict[str, pd.DataFrame]) -> list[Panel]:
        return [Panel("curve", "x  [1]", "y  [1]", layers=(Curve("curve", "x", "y", "y"),))]


class SessionContext:
    id = "test-session"
    request = type("Request", (), {"arguments": {}, "cookies": {}, "headers": {}})()


@pytest.fixture
def one_busy_worker(monkeypatch):
    """The physics workers: one thread, busy with another session's job until released."""
    ran.clear()
    finish.clear()
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    release = threading.Event()
    pool.submit(release.wait, 30)
    monkeypatch.setattr(physics_pool, "_workers", 1)
    monkeypatch.setattr(physics_pool, "_executor", lambda: pool)
    yield release
    release.set()
    finish.set()
    pool.shutdown(wait=True)


async def queued(view: View, after: physics_pool.Request | None = None) -> physics_pool.Request:
    """The view's request newer than ``after``, once its job waits in the workers' queue."""
    while view._request in (None, after) or not view._request._futures:
        await asyncio.sleep(0.01)
    return view._request


def destroy(document: Document, context: Any) -> None:
    """What the server does to a session that ended (its lifecycle handler, then destroy)."""
    for callback in list(document.session_destroyed_callbacks):
        callback(context)

    def server_session(_event: Any) -> None:  # the change consumer a server session is
        pass

    document.on_change(server_session)
    document.destroy(server_session)


def served_view() -> tuple[Document, SessionContext, SlowView]:
    """A document with a live session context, and a view made in it (as a served page)."""
    document = Document()
    context = SessionContext()
    document._session_context = weakref.ref(context)
    with set_curdoc(document):
        view = SlowView()
    return document, context, view


def test_superseded_and_abandoned_jobs_leave_the_queue_and_late_results_are_dropped(
    one_busy_worker, caplog
):
    release = one_busy_worker
    document, context, view = served_view()

    async def session() -> None:
        with set_curdoc(document):
            first = asyncio.create_task(view._refresh_in_thread())
        request = await queued(view)
        view.x = 2  # newer inputs: the first job is superseded
        with set_curdoc(document):
            second = asyncio.create_task(view._refresh_in_thread())
        await queued(view, after=request)
        assert request.cancelled
        await first  # its thread got CancelledError at once; nothing shown
        destroy(document, context)  # the student closed the tab
        await second
        release.set()

    caplog.set_level(logging.DEBUG)
    asyncio.run(session())
    assert ran == []  # neither job ran: the worker went on to other sessions' jobs
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]


def test_a_result_arriving_after_its_session_was_destroyed_is_dropped_quietly(
    one_busy_worker, caplog
):
    """The job had started when the session ended: its result must not reach the dead document
    (Bokeh's destroyed callback manager has no ``_change_callbacks`` left)."""
    release = one_busy_worker
    document, context, view = served_view()

    async def session() -> None:
        with set_curdoc(document):
            update = asyncio.create_task(view._refresh_in_thread())
        await queued(view)
        view._request._futures.clear()  # as if a worker had started it: not cancellable
        release.set()
        while not ran:
            await asyncio.sleep(0.01)
        destroy(document, context)
        finish.set()
        await update

    caplog.set_level(logging.DEBUG)
    asyncio.run(session())
    assert ran == [1]
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert view.current_data == {}


def test_a_failed_callback_of_a_destroyed_session_is_logged_without_a_second_error(caplog):
    document = Document()
    document._session_context = None  # what Document.destroy leaves
    with set_curdoc(document):
        serve_hooks.log_callback_exception(RuntimeError("late"))
    assert "callback failed in session -" in caplog.text


class StagedView(View):
    """A heavy view whose main curve is ready before the job its second curve waits for."""

    slug = "staged"
    heavy = True
    x = param.Integer(default=1, bounds=(0, 10), doc="Input.")

    def data(self) -> dict[str, pd.DataFrame]:
        frames = {"main": pd.DataFrame({"x": [0.0, 1.0], "y": [0.0, float(self.x)]})}
        self.publish(frames)
        value = offloaded_job(self.x)
        return frames | {"rest": pd.DataFrame({"x": [0.0, 1.0], "y": [0.0, float(value)]})}

    def figure(self, data: dict[str, pd.DataFrame]) -> list[Panel]:
        return [
            Panel(name, "x  [1]", "y  [1]", layers=(Curve(name, "x", "y", name),))
            for name in ("main", "rest")
        ]

    def summary(self, data: dict[str, pd.DataFrame]) -> str:
        return f"Input x = {self.x}."


def drawn_heights(view: View) -> list[float]:
    """The last y value of each figure's curve, as the page's data sources hold it."""
    return [float(figure.renderers[0].data_source.data["y"][-1]) for figure in view.figures]


def run_next_ticks(document: Document) -> None:
    for callback in list(document.session_callbacks):
        document.remove_next_tick_callback(callback)
        callback.callback()


def test_published_frames_are_drawn_before_the_rest_of_the_computation(monkeypatch):
    """The early frames update their panels while the job of the others still runs; the
    summary keeps saying Computing; the full result then draws everything."""
    ran.clear()
    finish.set()
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    monkeypatch.setattr(physics_pool, "_workers", 1)
    monkeypatch.setattr(physics_pool, "_executor", lambda: pool)
    document = Document()
    context = SessionContext()
    document._session_context = weakref.ref(context)
    with set_curdoc(document):
        view = StagedView()
        view.__panel__()
        view.set_shown(True)
        view.refresh()  # the first drawing, synchronous
    for scheduled in list(document.session_callbacks):  # updates the set-up asked for
        document.remove_next_tick_callback(scheduled)
    assert drawn_heights(view) == [1.0, 1.0]
    shown_before = view.summary_line
    assert shown_before and not shown_before.startswith(BUSY_TEXT)
    finish.clear()
    with param.discard_events(view):  # the task below is the update this change asks for
        view.x = 2

    async def session() -> None:
        with set_curdoc(document):
            update = asyncio.create_task(view._refresh_in_thread())
        while not document.session_callbacks:  # the early frames' drawing is scheduled
            await asyncio.sleep(0.01)
        with set_curdoc(document):
            run_next_ticks(document)
        assert drawn_heights(view) == [2.0, 1.0]  # main already new, the rest still old
        # Computing, over the summary of the inputs still shown: the line keeps its height
        assert view.summary_line == busy_line(shown_before)
        assert view.current_data["main"]["y"].iloc[-1] == 1.0  # downloads: one set of inputs
        finish.set()
        await update
        with set_curdoc(document):
            run_next_ticks(document)

    try:
        asyncio.run(session())
    finally:
        finish.set()
        pool.shutdown(wait=True)
    assert drawn_heights(view) == [2.0, 2.0]
    assert not view.summary_line.startswith(BUSY_TEXT)
