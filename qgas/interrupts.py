"""Ctrl-C on the command line: one line, exit status 130, and a cleanup no second Ctrl-C cuts.

Every ``qgas`` command that is interrupted (SIGINT, or SIGTERM where a command maps it to
Ctrl-C) keeps what it finished -- files are replaced atomically, sweeps checkpoint -- and ends
with one line and :data:`EXIT_INTERRUPTED`, never a ``KeyboardInterrupt`` traceback. While it
saves and reports, a second Ctrl-C is ignored (:func:`interrupts_ignored`), so it cannot cut
the checkpoint or the message short.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["EXIT_INTERRUPTED", "interrupts_ignored"]

#: Exit status of an interrupted command (128 + SIGINT, as a shell reports it).
EXIT_INTERRUPTED = 130


@contextmanager
def interrupts_ignored() -> Iterator[None]:
    """SIGINT and SIGTERM ignored inside (main thread only; elsewhere a no-op), then the
    previous handlers restored: a signal arriving meanwhile is discarded."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
