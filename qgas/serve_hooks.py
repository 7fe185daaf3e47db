"""Session life-cycle hooks of the dashboard server, run by ``qgas serve`` as its setup script.

``qgas serve`` passes this file to ``panel serve --setup``; Panel executes it once in every
server process (under the module name ``panel_setup_module``), which calls :func:`register`.
Every session then logs, on the ``qgas.serve`` logger at INFO level (printed in the server
log)::

    session 5bT0xk2Q created in process 4121 (live sessions: 3)
    session 5bT0xk2Q destroyed in process 4121 after 42.1 s (live sessions: 2)

When a session is destroyed (its tab closed and ``--unused-session-lifetime`` elapsed), the
hook runs the garbage collector and asks glibc to return freed heap pages to the operating
system (``malloc_trim``), so the server's resident memory goes back down after a class
leaves instead of staying at its peak. The load benchmark (``benchmarks/load.py``) reads
these lines to count live sessions.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import os
import time
from typing import Any

import panel as pn

__all__ = ["LOGGER_NAME", "live_sessions", "register", "release_memory"]

LOGGER_NAME = "qgas.serve"

_logger = logging.getLogger(LOGGER_NAME)
#: Session id -> monotonic creation time, for the sessions of this server process.
_live: dict[str, float] = {}


def live_sessions() -> int:
    """Number of sessions of this process created and not yet destroyed."""
    return len(_live)


def release_memory() -> None:
    """Collect garbage, then return free heap pages to the OS where glibc allows it."""
    gc.collect()
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return
    libc = ctypes.CDLL(libc_name)
    if hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)


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
    release_memory()


def register() -> None:
    """Install the hooks (once per server process) and show their INFO lines in the log."""
    _logger.setLevel(logging.INFO)
    pn.state.on_session_created(_session_created)
    pn.state.on_session_destroyed(_session_destroyed)


if __name__ == "panel_setup_module":
    register()
