"""Worker processes for physics computations: the one recipe of every process pool.

Two pools run physics in worker processes: the physics workers of a served dashboard
(``dashboard/physics_pool.py``) and the local executor of sweeps
(``qgas/sweeps/executors.py``). Both need the same workers, made by :func:`worker_pool`:

* **spawned**, not forked: the server has running threads (a fork copies their locks in
  whatever state they are), and spawn behaves the same on Linux, macOS and Windows;
* **one BLAS/OpenMP thread** each: a pool is sized to the cores given to the physics, and a
  worker whose linear algebra spread over every core took the event loop's core too
  (measured: a physics worker at 110 % CPU during a class);
* **SIGINT ignored**: Ctrl-C reaches the whole process group; the pool's owner (the sweep,
  the server) handles it and shuts its workers down, instead of each worker printing a
  ``KeyboardInterrupt``;
* **gone with their parent**: a parent killed with SIGKILL (the out-of-memory killer, an
  operator's ``kill -9``) cannot shut its pool down, and its workers would live on as
  orphans holding memory and a core. :func:`exit_with_parent` makes each worker exit within
  :data:`PARENT_POLL_S` of its parent's death; multiprocessing's resource tracker, which
  exits once the last process holding its pipe is gone, follows.

Why a watchdog thread rather than Linux's ``prctl(PR_SET_PDEATHSIG)``: that signal is sent
when the *thread* that started the child ends, not the process, and a
``ProcessPoolExecutor`` starts its spawn workers in whichever thread submits first (the
dashboard submits from the server's worker threads). A thread comparing ``os.getppid()``
with the pid of the process that made the pool is bound to the process, and works on every
POSIX system. The server process of ``qgas serve`` uses the same function for its own
parent, the supervisor (``qgas/server_process.py``).

Why here: the workers import this module before any physics, so it must import only the
standard library (no numpy before the thread cap is set, no Panel in a worker), and both the
dashboard and the sweeps must be able to import it, while ``dashboard/`` never imports
``qgas/`` and the sweeps must not import Panel. ``physics/`` is the one package both already
depend on; the module is private (``_``) because it is process plumbing, not physics API.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor

__all__ = [
    "BLAS_THREAD_VARIABLES",
    "ORPHAN_EXIT_STATUS",
    "PARENT_POLL_S",
    "exit_with_parent",
    "worker_pool",
]

#: Environment variables that cap the threads of numpy's BLAS/OpenMP in a worker.
BLAS_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
#: Seconds between two looks of :func:`exit_with_parent` at the parent process.
PARENT_POLL_S = 0.5
#: Exit status of a process whose parent died (nobody reads it; 128 + SIGHUP, as a shell
#: reports a process ended because its terminal went away).
ORPHAN_EXIT_STATUS = 128 + signal.SIGHUP


def worker_pool(max_workers: int) -> ProcessPoolExecutor:
    """A pool of ``max_workers`` spawned worker processes set up as the module describes.

    Parameters
    ----------
    max_workers
        Number of worker processes, at least 1.
    """
    if isinstance(max_workers, bool) or not isinstance(max_workers, int):
        raise TypeError(f"max_workers={max_workers!r} must be an int")
    if max_workers < 1:
        raise ValueError(f"max_workers={max_workers} is outside the valid range >= 1")
    return ProcessPoolExecutor(
        max_workers=max_workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=(os.getpid(),),
    )


def exit_with_parent(parent_pid: int, poll_s: float = PARENT_POLL_S) -> None:
    """Make this process exit (status :data:`ORPHAN_EXIT_STATUS`) once ``parent_pid`` is no
    longer its parent, i.e. once that process died and this one was re-parented.

    A daemon thread compares ``os.getppid()`` with ``parent_pid`` every ``poll_s`` seconds
    and ends the process with ``os._exit`` (whatever its other threads do). Passing the
    parent's pid, rather than reading ``os.getppid()`` here, also catches a parent that died
    before this call.
    """
    if os.getppid() != parent_pid:
        os._exit(ORPHAN_EXIT_STATUS)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(poll_s)
        os._exit(ORPHAN_EXIT_STATUS)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _init_worker(parent_pid: int) -> None:
    """Set a worker up before it imports numpy (see the module docstring)."""
    for variable in BLAS_THREAD_VARIABLES:
        os.environ.setdefault(variable, "1")
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    exit_with_parent(parent_pid)
