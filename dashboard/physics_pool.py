"""Heavy physics of served sessions in worker processes, off the server's event loop.

A Bokeh server runs the callbacks of every session on one event loop in one thread. A heavy
view computes in a worker thread (:meth:`dashboard.base.View._update`), but Python code in a
thread holds the interpreter lock for much of its run, so while any student's disorder
average is being computed the loop (every other student's slider moves, page loads and tab
switches) gets a fraction of a core. :func:`offload` wraps a physics function so that, once
:func:`start` made a pool, it runs in a worker *process*: the calling thread waits for the
result without holding the lock, and the loop keeps its core.

``qgas serve`` starts the pool in every server process (``--physics-workers``, default 1;
:mod:`qgas.serve_hooks`). Without :func:`start` (tests, notebooks, scripts) an offloaded
function runs in the calling thread, exactly as before. The workers are those of
:func:`physics._process_pool.worker_pool` (spawned, one BLAS thread, Ctrl-C left to the
server, gone within a second when their server process is killed) and import only the
module of the offloaded function, so offload functions of ``physics/``: a dashboard module
would drag Panel into every worker. A worker that dies (killed, out of memory) fails the
calls it had with ``BrokenProcessPool``, which the view shows as its error; the next call
starts a new pool.

A view's computation runs inside a :class:`Request` (:func:`within`): when the computation
is superseded (newer inputs in the same session) or its session is destroyed, the view calls
:meth:`Request.cancel`, which takes its job out of the workers' queue if it has not started,
and makes every later offloaded call of that computation fail at once with
``concurrent.futures.CancelledError`` instead of queuing. A job a worker has started runs to
its end (a process pool cannot interrupt it; killing the worker would fail every other
session's job too): the decay view's cost budget bounds that time
(``dashboard.views.decay``). The queue is first in, first out, and each computation waits
for the result of its job before submitting the next, so a session has at most one job queued
at a time and the sessions' jobs take turns.

This module imports only the standard library and :mod:`physics._process_pool`.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import contextvars
import functools
import importlib
import threading
from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from physics._process_pool import worker_pool

__all__ = [
    "MAX_WORKERS",
    "WORKERS_ENV",
    "Request",
    "offload",
    "start",
    "stop",
    "within",
    "workers",
]

F = TypeVar("F", bound=Callable)

#: Upper bound of :func:`start`'s ``count`` (a worker per core is the useful maximum).
MAX_WORKERS = 64
#: Environment variable through which ``qgas serve`` tells its server processes how many
#: workers to start (absent: none; the heavy views then compute in threads).
WORKERS_ENV = "QGAS_PHYSICS_WORKERS"

_lock = threading.Lock()
_workers = 0
_pool: concurrent.futures.ProcessPoolExecutor | None = None


class Request:
    """The offloaded jobs of one computation (one view's update for one set of inputs)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._futures: set[concurrent.futures.Future] = set()
        self._cancelled = False

    @property
    def cancelled(self) -> bool:
        """Whether :meth:`cancel` was called."""
        return self._cancelled

    def cancel(self) -> int:
        """Drop this computation: its queued jobs leave the queue, later ones are refused.

        Returns the number of queued jobs cancelled (a running job finishes; its result is
        discarded by the caller).
        """
        with self._lock:
            self._cancelled = True
            futures = list(self._futures)
        return sum(future.cancel() for future in futures)

    def _submit(self, pool: concurrent.futures.Executor, func: Callable, args, kwargs):
        with self._lock:
            if self._cancelled:
                raise concurrent.futures.CancelledError("the computation was cancelled")
            future = pool.submit(func, *args, **kwargs)
            self._futures.add(future)
        future.add_done_callback(self._forget)
        return future

    def _forget(self, future: concurrent.futures.Future) -> None:
        with self._lock:
            self._futures.discard(future)


_request: contextvars.ContextVar[Request | None] = contextvars.ContextVar(
    "physics_request", default=None
)


@contextlib.contextmanager
def within(request: Request) -> Iterator[Request]:
    """Offloaded calls made in this block (this thread or task) belong to ``request``."""
    token = _request.set(request)
    try:
        yield request
    finally:
        _request.reset(token)


def workers() -> int:
    """Number of worker processes offloaded calls use (0: they run in the calling thread)."""
    return _workers


def start(count: int, warm_modules: tuple[str, ...] = ()) -> None:
    """Run offloaded calls in ``count`` worker processes from now on (0: in the caller).

    The workers are started at once and import ``warm_modules``, so the first student's
    computation does not wait for a process start and the physics imports.
    """
    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_WORKERS:
        raise ValueError(f"count={count!r} is outside the valid range 0..{MAX_WORKERS}")
    global _workers
    stop()
    with _lock:
        _workers = count
    if count:
        pool = _executor()
        for name in warm_modules * count:
            pool.submit(_import_module, name)


def stop(wait: bool = False) -> None:
    """Shut the pool down (running calls finish); offloaded calls run in the caller again.

    ``wait``: return only once the workers have exited (before the server process exits).
    """
    global _pool, _workers
    with _lock:
        pool, _pool, _workers = _pool, None, 0
    if pool is not None:
        pool.shutdown(wait=wait, cancel_futures=True)


def offload(func: F) -> F:
    """``func``, run in a worker process once :func:`start` made a pool.

    ``func`` must be importable by name from a module of ``physics/`` (arguments and result
    are pickled). Inside :func:`within` a cancelled request raises
    ``concurrent.futures.CancelledError`` instead of running ``func``.
    """

    @functools.wraps(func)
    def run_in_pool(*args, **kwargs):
        request = _request.get()
        if not _workers:
            if request is not None and request.cancelled:
                raise concurrent.futures.CancelledError("the computation was cancelled")
            return func(*args, **kwargs)
        pool = _executor()
        try:
            if request is None:
                return pool.submit(func, *args, **kwargs).result()
            return request._submit(pool, func, args, kwargs).result()
        except BrokenProcessPool:
            _discard(pool)
            raise

    return run_in_pool  # type: ignore[return-value]


def _executor() -> concurrent.futures.ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = worker_pool(_workers)
        return _pool


def _discard(pool: concurrent.futures.ProcessPoolExecutor) -> None:
    """Forget a broken pool (the next call makes a new one)."""
    global _pool
    with _lock:
        if _pool is pool:
            _pool = None
    pool.shutdown(wait=False, cancel_futures=True)


def _import_module(name: str) -> None:
    importlib.import_module(name)
