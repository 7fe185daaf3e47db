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

This module imports only the standard library and :mod:`physics._process_pool`.
"""

from __future__ import annotations

import concurrent.futures
import functools
import importlib
import threading
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from physics._process_pool import worker_pool

__all__ = [
    "MAX_WORKERS",
    "WORKERS_ENV",
    "offload",
    "start",
    "stop",
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
    are pickled).
    """

    @functools.wraps(func)
    def run_in_pool(*args, **kwargs):
        if not _workers:
            return func(*args, **kwargs)
        pool = _executor()
        try:
            return pool.submit(func, *args, **kwargs).result()
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
