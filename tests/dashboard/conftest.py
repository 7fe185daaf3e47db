"""Shared fixtures for the in-process dashboard tests (no browser, no server)."""

from __future__ import annotations

import pytest

from dashboard.assembly import DashboardApp, Navigation
from dashboard.views import VIEWS


@pytest.fixture(scope="module")
def app() -> DashboardApp:
    """A dashboard session with every tab visited (views are built on their first visit),
    built once per test module and reset before each use."""
    app = DashboardApp()
    for slug in VIEWS:
        app.show(slug)
    app.show(Navigation.param.view.default)
    return app


@pytest.fixture
def fresh_app(app: DashboardApp) -> DashboardApp:
    """The module's app with every default restored, no pins, and the default view shown."""
    app.reset()
    for view in app.views.values():
        view.clear_pins()
    app.show(Navigation.param.view.default)
    return app
