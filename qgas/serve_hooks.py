"""Server hooks of ``qgas serve``: session life cycle, memory release, no import on request.

``qgas serve`` passes this file to ``panel serve --setup``; Panel executes it once in every
server process (under the module name ``panel_setup_module``), which calls :func:`register`.
Every session then logs, on the ``qgas.serve`` logger at INFO level (printed in the server
log)::

    session 5bT0xk2Q created in process 4121 (live sessions: 3)
    session 5bT0xk2Q destroyed in process 4121 after 42.1 s (live sessions: 2)
    session 9aQx01Lm destroyed in process 4121 after 50.3 s (live sessions: 0)
    no live sessions in process 4121: documents in memory: 0; memoized results: 212 (3.1 MB
    of arrays); dashboard views in memory: 0

One second after the last live session of a process is destroyed (tabs closed and
``--unused-session-lifetime`` elapsed), the hook runs the garbage collector, counts the Bokeh
documents still in memory (0 unless something leaks sessions; printed as ``documents in
memory: 0``) and asks glibc to return freed heap pages to the operating system
(``malloc_trim``), so the server's resident memory goes back down after a class leaves
instead of staying at its peak. The load benchmark (``benchmarks/load.py``) and the tests read
these lines.

Then, if the process runs under the ``qgas serve`` supervisor with recycling on
(:data:`qgas.supervisor.RECYCLE_GROWTH_ENV`, ``--recycle-growth``), it compares its resident
memory with the size it had when it was fresh (measured by :func:`register` after the
warm-up, before any session). More than ``--recycle-growth`` percent above it,
the process retires (:func:`retire_if_grown`): it logs::

    process 4121 retires: 412 MB resident, above 151 MB (fresh 137 MB + 10 %)

shuts its physics workers down and exits with :data:`qgas.supervisor.RECYCLE_EXIT_CODE`; the
supervisor starts a fresh process on the same sockets. The allocators keep the peak of a class
mapped (``docs/performance/load.md``), so in practice a process is replaced after each class.

It also stops Panel's ``/components/<module>/...`` endpoint from importing modules named in
the URL (:func:`refuse_importing_on_request`), and starts the process's pool of physics
workers (:mod:`dashboard.physics_pool`; ``qgas serve --physics-workers`` sets their number
in the environment variable ``dashboard.physics_pool.WORKERS_ENV``).
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import gc
import logging
import os
import sys
import time
from typing import Any

import panel as pn
from bokeh.document import Document
from bokeh.io.state import curstate
from panel.io.server import ComponentResourceHandler
from tornado.ioloop import IOLoop
from tornado.iostream import StreamClosedError
from tornado.web import HTTPError
from tornado.websocket import WebSocketClosedError

from dashboard import physics_pool
from qgas import loop_probe, page_loads
from qgas.supervisor import RECYCLE_EXIT_CODE, RECYCLE_GROWTH_ENV

__all__ = [
    "LOGGER_NAME",
    "REFUSAL_LOGGERS",
    "RefusedValueFilter",
    "live_sessions",
    "log_callback_exception",
    "memoized_results",
    "refuse_importing_on_request",
    "register",
    "release_memory",
    "resident_mb",
    "retire_if_grown",
    "views_in_memory",
    "warm_up",
]

LOGGER_NAME = "qgas.serve"
#: Modules the physics workers import when they start (those of the offloaded functions).
WARM_MODULES = ("physics.tonks_girardeau",)

#: Seconds between the last session's destruction and the memory release and leak count.
RELEASE_DELAY_S = 1.0

_logger = logging.getLogger(LOGGER_NAME)
#: Session id -> monotonic creation time, for the sessions of this server process.
_live: dict[str, float] = {}
#: Resident MB of this process when fresh (set by :func:`register`).
_fresh_mb: float | None = None


def live_sessions() -> int:
    """Number of sessions of this process created and not yet destroyed."""
    return len(_live)


def release_memory() -> int:
    """Collect garbage, return free heap pages to the OS (glibc), count Bokeh documents left.

    The count is a leak detector: once every session of the process is destroyed, no
    session's ``bokeh.document.Document`` should remain reachable (Bokeh's process-wide
    default document, which belongs to no session, is not counted).
    """
    gc.collect()
    process_document = curstate().document  # Bokeh's process-wide default, not a session's
    documents = sum(
        isinstance(obj, Document) and obj is not process_document for obj in gc.get_objects()
    )
    libc_name = ctypes.util.find_library("c")
    if libc_name is not None:
        libc = ctypes.CDLL(libc_name)
        if hasattr(libc, "malloc_trim"):
            libc.malloc_trim(0)
    return documents


def resident_mb() -> float:
    """Resident memory of this process now, MB (10**6 bytes), from ``/proc/self/statm``."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def retire_if_grown() -> None:
    """Exit for a fresh process if idle and grown past ``--recycle-growth`` (see module doc).

    Does nothing while a session is live, without the supervisor's recycling setting, or
    before :func:`register` measured the fresh size.
    """
    growth = int(os.environ.get(RECYCLE_GROWTH_ENV) or 0)
    if _live or not growth or _fresh_mb is None:
        return
    resident = resident_mb()
    limit = _fresh_mb * (1 + growth / 100)
    if resident <= limit:
        return
    _logger.info(
        "process %d retires: %.0f MB resident, above %.0f MB (fresh %.0f MB + %d %%)",
        os.getpid(),
        resident,
        limit,
        _fresh_mb,
        growth,
    )
    physics_pool.stop(wait=True)
    logging.shutdown()
    os._exit(RECYCLE_EXIT_CODE)


def warm_up() -> None:
    """Fill the physics caches with every finite input set, build the dashboard once, drop it.

    :func:`dashboard.cache.warm_up` computes every input a slider, a selector or the URL can
    reach for the views' finite sets (orders, models, the γ grid; costly exact parts read from
    the shipped tables): no session ever computes them on the event loop, including the first
    one after this process replaced a recycled one. Building every view imports the modules the
    views use and computes the defaults, so the first page of a fresh process costs what any
    page costs (0.5 s, against 2.6 s cold), and the fresh size :func:`retire_if_grown` compares
    with includes them. No Bokeh document is made, so nothing of it stays (``views_in_memory``
    is 0 after it).
    """
    from dashboard import cache
    from dashboard.assembly import build_app
    from dashboard.views import VIEWS

    app = build_app()
    for slug in VIEWS:
        app.show(slug)
    seconds = cache.warm_up()
    _logger.info("warm-up: finite input sets computed in %.1f s", sum(seconds.values()))


def _session_created(session_context: Any) -> None:
    _live[session_context.id] = time.monotonic()
    _logger.info(
        "session %s created in process %d (live sessions: %d)",
        session_context.id[:8],
        os.getpid(),
        live_sessions(),
    )


def _session_destroyed(session_context: Any) -> None:
    started = _live.pop(session_context.id, None)
    age = f"{time.monotonic() - started:.1f} s" if started is not None else "unknown time"
    _logger.info(
        "session %s destroyed in process %d after %s (live sessions: %d)",
        session_context.id[:8],
        os.getpid(),
        age,
        live_sessions(),
    )
    if not _live:
        # The destroyed document is still referenced while its callbacks run: look later.
        IOLoop.current().call_later(RELEASE_DELAY_S, _release_if_idle)


def _release_if_idle() -> None:
    if not _live:
        documents = release_memory()
        entries, megabytes = memoized_results()
        _logger.info(
            "no live sessions in process %d: documents in memory: %d; memoized results: %d "
            "(%.1f MB of arrays); dashboard views in memory: %d",
            os.getpid(),
            documents,
            entries,
            megabytes,
            views_in_memory(),
        )
        retire_if_grown()


def views_in_memory() -> int:
    """Dashboard views still reachable (0 once every session is gone, unless one leaks)."""
    from dashboard.base import View

    return sum(isinstance(obj, View) for obj in gc.get_objects())


def memoized_results() -> tuple[int, float]:
    """Entries in Panel's memoisation caches (``pn.cache``) and the MB of arrays they hold."""
    caches = getattr(pn.state, "_memoize_cache", {})
    entries = sum(len(cache) for cache in caches.values())
    return entries, _array_bytes(list(caches.values())) / 1e6


def _array_bytes(value: Any, depth: int = 0) -> int:
    if depth > 6:
        return 0
    if hasattr(value, "nbytes") and isinstance(value.nbytes, int):
        return value.nbytes
    if hasattr(value, "memory_usage") and callable(value.memory_usage):
        return int(value.memory_usage(index=True, deep=False).sum())
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        return sum(_array_bytes(item, depth + 1) for item in value)
    return 0


def refuse_importing_on_request() -> None:
    """Make Panel's ``/components/<module>/...`` endpoint serve only already-imported modules.

    Panel resolves that URL with ``importlib.import_module(<module>)``: any client could make
    the server import (run the top-level code of) any installed module, or a script next to
    the app, by naming it. Component resources of the page come from modules the app has
    already imported, so refusing the others (HTTP 404) changes nothing for the dashboard.
    """
    handler = ComponentResourceHandler
    if getattr(handler.parse_url_path, "_qgas_guarded", False):
        return
    original = handler.parse_url_path

    def parse_url_path(self: ComponentResourceHandler, path: str) -> str:
        if path.split("/", 1)[0] not in sys.modules:
            raise HTTPError(404, "Module not found")
        return original(self, path)

    parse_url_path._qgas_guarded = True  # type: ignore[attr-defined]
    handler.parse_url_path = parse_url_path


def log_callback_exception(exception: BaseException) -> None:
    """Panel's handler of an exception raised by a session's callback (``pn.config``).

    A value a widget cannot take (a forged message, a stale page: ``ValueError`` or
    ``TypeError`` from a parameter's validation) is refused in one line; the session keeps
    its previous value. Anything else is a bug: logged with its traceback.
    """
    context = pn.state.curdoc.session_context if pn.state.curdoc else None
    session = context.id if context is not None else "-"  # None: the session is destroyed
    if isinstance(exception, ValueError | TypeError):
        message = " ".join(str(exception).split())[:300]
        _logger.warning(
            "refused a change in session %s: %s: %s", session, type(exception).__name__, message
        )
    else:
        _logger.error("callback failed in session %s", session, exc_info=exception)


class RefusedValueFilter(logging.Filter):
    """Keeps a refused value to one log line (a forged or stale message must not fill the log).

    On Panel's ``panel.reactive`` logger, a record of a ``ValueError``/``TypeError`` is dropped:
    :func:`log_callback_exception` logs that exception in one line. On Bokeh's
    ``bokeh.server.protocol_handler`` logger (a message whose value the model itself refuses,
    e.g. text for a slider's number), such a record loses its traceback and becomes one line.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if not isinstance(error, ValueError | TypeError):
            return True
        if record.name.startswith("panel"):
            return False
        record.msg = "refused a message: " + " ".join(str(error).split())[:300]
        record.args, record.exc_info, record.exc_text = (), None, None
        return True


def quiet_closed_connections(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """The event loop's handler of errors nobody retrieved: a message to a browser that closed
    its connection mid-update (a reload, Back, a closed tab while a heavy view computes) ends
    Tornado's write task with ``WebSocketClosedError``; that is one INFO line, not a
    traceback ("Task exception was never retrieved", QA). Anything else goes to asyncio's
    default handler."""
    if isinstance(context.get("exception"), WebSocketClosedError | StreamClosedError):
        _logger.info("dropped a message to a browser that had closed its connection")
        return
    loop.default_exception_handler(context)


#: Loggers whose refused-value records :class:`RefusedValueFilter` shortens.
REFUSAL_LOGGERS = ("panel.reactive", "bokeh.server.protocol_handler")


def register() -> None:
    """Install the hooks (once per server process), start the physics workers, warm up,
    measure the fresh size, and show the hooks' INFO lines in the log."""
    global _fresh_mb
    _logger.setLevel(logging.INFO)
    refuse_importing_on_request()
    page_loads.install_from_environment()
    pn.config.exception_handler = log_callback_exception
    for name in REFUSAL_LOGGERS:
        logging.getLogger(name).addFilter(RefusedValueFilter())
    workers = int(os.environ.get(physics_pool.WORKERS_ENV, "0"))
    physics_pool.start(workers, warm_modules=WARM_MODULES)
    warm_up()
    release_memory()
    _fresh_mb = resident_mb()
    _logger.info(
        "process %d ready: %.0f MB resident, %d physics worker process(es)",
        os.getpid(),
        _fresh_mb,
        workers,
    )
    pn.state.on_session_created(_session_created)
    pn.state.on_session_destroyed(_session_destroyed)
    # started once the loop runs (in each process, after any fork); off unless asked for
    IOLoop.current().add_callback(
        lambda: loop_probe.start_from_environment(asyncio.get_running_loop(), _logger)
    )
    IOLoop.current().add_callback(
        lambda: asyncio.get_running_loop().set_exception_handler(quiet_closed_connections)
    )


if __name__ == "panel_setup_module":
    register()
