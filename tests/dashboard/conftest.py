"""Shared fixtures for the in-process dashboard tests (no browser, no server)."""

from __future__ import annotations

import pytest

from dashboard.assembly import DashboardApp


@pytest.fixture(scope="module")
def app() -> DashboardApp:
    """A whole dashboard session, built once per test module and reset before each use."""
    return DashboardApp()


@pytest.fixture
def fresh_app(app: DashboardApp) -> DashboardApp:
    app.reset()
    return app
