"""A probe of the server's event loop: how long does the loop take to answer, at most?

A watchdog thread asks the loop, every :data:`INTERVAL_S`, to run a no-op callback
(``call_soon_threadsafe``) and measures how long the loop takes to run it: the time the loop
was busy with something else (a callback computing, a page being built) or starved of the
interpreter lock by another thread. Every ``report_s`` seconds it logs the longest such delay
on the ``qgas.serve`` logger::

    event loop: longest response 12.3 ms in the last 5 s (process 4121)

``qgas serve`` starts it when the environment variable :data:`PROBE_ENV` gives the report
period in seconds (``benchmarks/adversary.py`` sets it, and reads the lines); unset, nothing
runs. The probe's own cost is one thread waking 100 times a second. To find *which* callback
held the loop, set :data:`DEBUG_ENV` too: asyncio's debug mode then logs every callback that
ran longer than :data:`SLOW_CALLBACK_S` with its name (``Executing <Handle …> took 0.412
seconds``); debug mode slows the server, so measure without it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time

__all__ = [
    "DEBUG_ENV",
    "INTERVAL_S",
    "PROBE_ENV",
    "SLOW_CALLBACK_S",
    "LoopProbe",
    "start_from_environment",
]

#: Environment variable holding the report period in seconds (absent or 0: no probe).
PROBE_ENV = "QGAS_LOOP_PROBE_S"
#: Environment variable that, set to 1, also names the slow callbacks (asyncio debug mode).
DEBUG_ENV = "QGAS_LOOP_DEBUG"
#: A callback that runs longer than this is logged in debug mode (seconds).
SLOW_CALLBACK_S = 0.05
#: Seconds between two questions to the loop.
INTERVAL_S = 0.01


class LoopProbe:
    """Measures the event loop's response delay from a daemon thread (see the module)."""

    def __init__(self, loop: asyncio.AbstractEventLoop, report_s: float, logger: logging.Logger):
        self.loop = loop
        self.report_s = report_s
        self.logger = logger
        self.longest_s = 0.0
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="loop-probe", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()

    def _run(self) -> None:
        reported = time.monotonic()
        while not self._stopped.wait(INTERVAL_S):
            answered = threading.Event()
            asked = time.monotonic()
            try:
                self.loop.call_soon_threadsafe(answered.set)
            except RuntimeError:  # the loop was closed: the server stops
                return
            while not answered.wait(1.0):
                if self._stopped.is_set() or self.loop.is_closed():
                    return
            self.longest_s = max(self.longest_s, time.monotonic() - asked)
            if time.monotonic() - reported >= self.report_s:
                self.logger.info(
                    "event loop: longest response %.1f ms in the last %.0f s (process %d)",
                    self.longest_s * 1000,
                    time.monotonic() - reported,
                    os.getpid(),
                )
                self.longest_s, reported = 0.0, time.monotonic()


def start_from_environment(
    loop: asyncio.AbstractEventLoop, logger: logging.Logger
) -> LoopProbe | None:
    """Start a probe of ``loop`` if :data:`PROBE_ENV` asks for one (else return None)."""
    text = os.environ.get(PROBE_ENV, "")
    try:
        period = float(text) if text else 0.0
    except ValueError:
        period = 0.0
    if not 0.0 < period < 3600.0:
        return None
    if os.environ.get(DEBUG_ENV) == "1":
        loop.set_debug(True)
        loop.slow_callback_duration = SLOW_CALLBACK_S
        logging.getLogger("asyncio").setLevel(logging.WARNING)
    probe = LoopProbe(loop, period, logger)
    probe.start()
    return probe
