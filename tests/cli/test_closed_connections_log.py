"""A message to a browser that closed its connection costs the server log one line (QA, 4 Dec:
a reload or Back while the decay view computed left asyncio's "Task exception was never
retrieved" with two tracebacks of Tornado's ``WebSocketClosedError``)."""

from __future__ import annotations

import asyncio
import gc
import logging

from tornado.websocket import WebSocketClosedError

from qgas import serve_hooks


def unretrieved(error: BaseException, caplog) -> list[logging.LogRecord]:
    """What the loop logs for a task that failed with ``error`` and was never awaited."""
    loop = asyncio.new_event_loop()
    loop.set_exception_handler(serve_hooks.quiet_closed_connections)

    async def fails() -> None:
        raise error

    with caplog.at_level(logging.INFO):
        task = loop.create_task(fails())
        loop.run_until_complete(asyncio.sleep(0))
        del task
        gc.collect()  # the task's destructor reports the unretrieved exception
    loop.close()
    return caplog.records


def test_a_closed_connection_is_one_info_line(caplog):
    records = unretrieved(WebSocketClosedError(), caplog)
    assert [(r.levelno, r.exc_info) for r in records] == [(logging.INFO, None)]
    assert "closed its connection" in records[0].getMessage()


def test_any_other_unretrieved_error_keeps_its_traceback(caplog):
    records = unretrieved(RuntimeError("a bug"), caplog)
    assert [r.levelno for r in records] == [logging.ERROR]
    assert "Task exception was never retrieved" in records[0].getMessage()
    assert records[0].exc_info is not None
