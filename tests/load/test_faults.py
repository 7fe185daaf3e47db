"""Faults stay in their session: a failing view, and a client gone mid-computation.

The server is ``tests/load/apps/fault_app.py``: the real dashboard whose views break in the
one session whose URL carries ``qge_test_fault=<mode>`` (see that file). A second session,
opened alongside, must keep working: its plots update when its sliders move, it shows no
error, and the server stays up.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tests.support.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    IDLE_JS,
    SessionResult,
    danger_alerts,
    load_page,
    move_slider,
    open_session,
    visible_handles,
)
from tests.support.served import ServedDashboard, run_coroutine

pytestmark = [pytest.mark.load, pytest.mark.slow, pytest.mark.timeout(600)]

FAULT_APP = Path(__file__).with_name("apps") / "fault_app.py"
FAULT_MESSAGE = "forced failure (test hook qge_test_fault)"


@pytest.fixture
def fault_server(chromium_available, tmp_path):
    server = ServedDashboard(
        tmp_path / "server.log",
        ["--check-unused-sessions", "500", "--unused-session-lifetime", "3000"],
        app=FAULT_APP,
    )
    yield server
    server.stop()


async def updates_after_moves(page, rng: random.Random) -> int:
    """Move every visible slider once; how many moves brought a plot update."""
    updated = 0
    for handle in await visible_handles(page):
        if await move_slider(page, handle, rng, timeout_ms=20_000) is not None:
            updated += 1
    return updated


async def failing_and_healthy_sessions(url: str, mode: str) -> dict[str, object]:
    from playwright.async_api import async_playwright

    rng = random.Random(1)
    faulty, healthy = SessionResult(), SessionResult()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        bad_context, bad_page = await open_session(browser, url, faulty)
        good_context, good_page = await open_session(browser, url, healthy)
        await bad_page.goto(f"{url}?qge_test_fault={mode}", timeout=120_000)
        await bad_page.wait_for_function(IDLE_JS, timeout=120_000)
        await load_page(good_page, url, healthy)
        for handle in await visible_handles(bad_page):
            await move_slider(bad_page, handle, rng, timeout_ms=3_000)
        bad_alerts = await bad_page.locator(".alert-danger", has_text=FAULT_MESSAGE).count()
        healthy_updates = await updates_after_moves(good_page, rng)
        outcome = {
            "faulty_alerts": bad_alerts,
            "healthy_updates": healthy_updates,
            "healthy_alerts": await danger_alerts(good_page),
            "healthy_errors": healthy.errors,
        }
        await bad_context.close()
        await good_context.close()
        await browser.close()
    return outcome


@pytest.mark.parametrize("mode", ["data", "figure"])
def test_a_failing_view_does_not_affect_other_sessions(fault_server, mode):
    """A physics (``data``) or plotting (``figure``) exception is shown inside the failing
    session's view; the other session is untouched."""
    outcome = run_coroutine(failing_and_healthy_sessions(fault_server.url, mode))
    assert outcome["faulty_alerts"] >= 1
    assert outcome["healthy_updates"] >= 1
    assert not any(FAULT_MESSAGE in text for text in outcome["healthy_alerts"])
    assert outcome["healthy_errors"] == []
    assert fault_server.alive()
    assert fault_server.wait_sessions_destroyed(timeout=60)


async def disconnect_mid_computation(url: str) -> tuple[int, list[str]]:
    from playwright.async_api import async_playwright

    rng = random.Random(2)
    leaving, staying = SessionResult(), SessionResult()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        context, page = await open_session(browser, url, leaving)
        await load_page(page, f"{url}?qge_test_fault=slow", leaving)
        for handle in await visible_handles(page):
            await handle.press("ArrowRight")
        await page.wait_for_timeout(300)
        await context.close()  # gone while the server computes
        context, page = await open_session(browser, url, staying)
        await load_page(page, url, staying)
        updates = await updates_after_moves(page, rng)
        await context.close()
        await browser.close()
    return updates, staying.errors


def test_server_survives_a_client_that_disconnects_mid_computation(fault_server):
    updates, errors = run_coroutine(disconnect_mid_computation(fault_server.url))
    assert fault_server.alive()
    assert updates >= 1, "a session opened after the disconnect got no plot update"
    assert errors == []
    assert fault_server.wait_sessions_destroyed(timeout=60)
    assert fault_server.alive()
