"""Five sessions move every slider for 20 s against one ``qgas serve``: no error, no leak.

The sessions are Bokeh-protocol clients (:mod:`tests.support.protocol_client`) in one run and
Chromium pages in the other.

The small version of ``python -m benchmarks.load`` (which runs 30 sessions and reports the
figures in ``docs/performance/load.md``), run through its command line: the report is read
from its ``--json`` file (the tests import no benchmark module). It asserts behaviour, never
times: every session loads and updates its plots, nothing errs or drops, and after the sessions
close the server destroys all of them, keeps no session document beyond the one Panel holds on
to, and its memory does not grow after the close (the 10 % return-to-baseline target is
reported, not yet met: see docs/performance/load.md). Latencies and memory figures are printed
(``pytest -s``).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: ``python -m benchmarks.load --client``: Bokeh-protocol clients, and Chromium pages.
CLIENTS = ("protocol", "browser")

#: Shorter than qgas serve's default (the test waits for it twice) but longer than a page
#: load when sessions start STAGGER_S apart.
LIFETIME_MS = 30_000
STAGGER_S = 2.0

pytestmark = [pytest.mark.load, pytest.mark.slow, pytest.mark.timeout(900)]


@pytest.fixture(params=CLIENTS)
def client(request) -> str:
    """Both kinds of students: Bokeh-protocol clients, and Chromium pages."""
    if request.param == "browser":
        request.getfixturevalue("chromium_available")
    return request.param


def test_five_sessions_move_every_slider_without_errors_or_leak(client, tmp_path):
    options = {
        "client": client,
        "sessions": 5,
        "duration": 20.0,
        "think": 0.5,
        "solo-duration": 8.0,
        "lifetime-ms": LIFETIME_MS,
        "stagger": STAGGER_S,
        "log-dir": tmp_path,
        "json": tmp_path / "report.json",
    }
    argv = [item for name, value in options.items() for item in (f"--{name}", str(value))]
    run = subprocess.run(
        [sys.executable, "-m", "benchmarks.load", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=840,
    )
    print(run.stdout)
    assert run.returncode == 0, run.stderr[-3000:]
    report = SimpleNamespace(**json.loads(options["json"].read_text()))
    assert report.errors == []
    assert report.dropped_sessions == 0
    assert report.server_alive
    assert report.slider_handles >= 3, "the three global sliders were not found"
    assert report.moves >= 1
    assert not math.isnan(report.p50_ms), "no slider move brought a plot update"
    assert report.all_destroyed, (report.sessions_created, report.sessions_destroyed)
    # Panel keeps the registry entries of the last destroyed session: at most one document.
    assert report.documents_left is not None and report.documents_left <= 1
    # Open (docs/performance/load.md): the target is <= 1.10 x baseline; measured
    # 1.7-2.2 x after 30 sessions with every session, view and document freed (0.13 MB of
    # Python objects left): allocator arenas kept at the peak, reused by the next class.
    # Asserted here: memory does not grow after the close.
    assert report.after_close_rss_mb <= report.live_rss_mb * 1.02
