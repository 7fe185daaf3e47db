"""Five sessions move every slider for 20 s against one ``qgas serve``: no error, no leak.

The sessions are Bokeh-protocol clients (:mod:`benchmarks.protocol_client`) in one run and
Chromium pages in the other.

The small version of ``python -m benchmarks.load`` (which runs 30 sessions and reports the
figures in ``docs/performance/load.md``). It asserts behaviour, never times: every session
loads and updates its plots, nothing errs or drops, and after the sessions close the server
destroys all of them, keeps no session document beyond the one Panel holds on to, and its
memory does not grow after the close (the 10 % return-to-baseline target is reported, not
yet met: see docs/performance/load.md). Latencies and memory figures are printed (``pytest -s``).
"""

from __future__ import annotations

import math

import pytest

from benchmarks.load import CLIENTS, measure

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
    report = measure(
        tmp_path,
        client=client,
        sessions=5,
        duration=20.0,
        think=0.5,
        solo_duration=8.0,
        lifetime_ms=LIFETIME_MS,
        stagger=STAGGER_S,
    )
    print(report.table())
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
