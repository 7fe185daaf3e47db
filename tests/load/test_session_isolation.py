"""One student's work costs the other students nothing: no patch reaches their pages.

Two Bokeh-protocol sessions (:mod:`tests.support.protocol_client`) of one ``qgas serve``: the
first opens a view, moves the γ slider, opens the decay view (a heavy view, computed off the
event loop, in the physics worker process) and moves the disorder slider; the second only
watches. Its document must receive no patch at all. Panel's template busy indicator is
process-wide and would patch every session's spinner for every event of any session (work
that grows with the square of the class size), so this fails if such an indicator comes back.
"""

from __future__ import annotations

import pytest

from dashboard.assembly import GLOBAL_SLIDER_CLASSES
from dashboard.views import VIEWS
from tests.support.browser import view_class
from tests.support.protocol_client import ProtocolSession
from tests.support.served import ServedDashboard, run_coroutine

pytestmark = [pytest.mark.load, pytest.mark.timeout(300)]

UPDATE_TIMEOUT_S = 60.0


async def _moves_seen_by_a_watcher(url: str) -> tuple[list[float | None], int]:
    """Latencies of the mover's updates, and the patches the watcher received meanwhile."""
    async with ProtocolSession(url) as mover, ProtocolSession(url) as watcher:
        for session in (mover, watcher):
            await session.wait_for_class(view_class(0), timeout=120.0)
        patches_before = len(watcher.patch_times)
        latencies = []

        async def step(css_class: str, direction: int) -> None:
            slider = mover.sliders_under(css_class)[0]
            sent = mover.step_slider(slider, direction)
            latencies.append(await mover.wait_update(sent, settle=0.5, timeout=UPDATE_TIMEOUT_S))

        for direction in (1, -1):
            await step(GLOBAL_SLIDER_CLASSES["gamma"], direction)
        decay_tab = list(VIEWS).index("decay")
        mover.select_tab(decay_tab)
        await mover.wait_for_class(view_class(decay_tab), timeout=120.0)
        await step(GLOBAL_SLIDER_CLASSES["disorder_strength"], 1)
        return latencies, len(watcher.patch_times) - patches_before


def test_a_students_moves_send_nothing_to_another_students_page(tmp_path):
    server = ServedDashboard(tmp_path / "server.log")
    try:
        latencies, watcher_patches = run_coroutine(_moves_seen_by_a_watcher(server.url))
        assert server.server_errors() == []
    finally:
        server.stop()
    assert all(latency is not None for latency in latencies), latencies
    assert watcher_patches == 0
