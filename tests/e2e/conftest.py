"""Fixtures for the browser tests: a served dashboard and Debian's Chromium via Playwright.

Without ``/usr/bin/chromium`` the tests skip with a message, unless ``QGE_REQUIRE_BROWSER=1``
(set by ``.ci/run``), which makes a missing browser a failure. Playwright's own browser
download (``playwright install``) is never used.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS
from tests.support.served import ServedDashboard

ROOT = Path(__file__).resolve().parents[2]
ENABLE_HINT = (
    "browser tests need Debian's Chromium: `apt-get install chromium chromium-driver` "
    "(QGE_REQUIRE_BROWSER=1 makes them mandatory, as .ci/run does)"
)


def _require_browser() -> None:
    required = os.environ.get("QGE_REQUIRE_BROWSER") == "1"
    problem = None
    if not CHROMIUM.exists():
        problem = f"{CHROMIUM} not found"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright package is not installed (pip install playwright)"
    if problem:
        if required:
            pytest.fail(f"QGE_REQUIRE_BROWSER=1 but {problem}; {ENABLE_HINT}")
        pytest.skip(f"{problem}; {ENABLE_HINT}")


@pytest.fixture(scope="module")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def dashboard_server(browser, tmp_path_factory) -> Iterator[ServedDashboard]:
    """The dashboard, its Sweeps view reading a directory with one small stored sweep."""
    from qgas.sweeps.config import config_from_mapping
    from qgas.sweeps.observables import REGISTRY
    from qgas.sweeps.runner import prepare_sweep, run_sweep

    sweeps = tmp_path_factory.mktemp("sweeps")
    grid = {"gamma": [0.1, 1.0, 10.0, 100.0], "method": ["energy", "sigma"]}
    config = {"observable": "polaron.inverse_mass_ratio", "output": str(sweeps / "m.nc")}
    prepared = prepare_sweep(config_from_mapping({**config, "grid": grid}, REGISTRY))
    run_sweep(prepared, progress=False)
    server = ServedDashboard(
        tmp_path_factory.mktemp("server") / "log", env={"QGAS_SWEEPS_DIR": str(sweeps)}
    )
    server.warm_up()
    yield server
    server.stop()


@pytest.fixture
def output_dir(request) -> Path:
    """``test-results/<test name>/`` for screenshots."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name)
    path = ROOT / "test-results" / name
    path.mkdir(parents=True, exist_ok=True)
    return path


class Page:
    """A browser tab that records console errors and every request off 127.0.0.1 (blocked)."""

    def __init__(self, browser, viewport: tuple[int, int] = (1400, 1000)) -> None:
        width, height = viewport
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.context.set_default_timeout(120_000)
        self.page = self.context.new_page()
        self.console_errors: list[str] = []
        self.external_requests: list[str] = []
        self.page.on(
            "console",
            lambda message: (
                self.console_errors.append(message.text) if message.type == "error" else None
            ),
        )
        self.page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        self.page.route("**/*", self._route)

    def _route(self, route) -> None:
        if urlparse(route.request.url).hostname != "127.0.0.1":
            self.external_requests.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.wait_idle()

    def wait_idle(self, timeout: float = 180_000) -> None:
        self.page.wait_for_function(
            "() => window.Bokeh !== undefined && Bokeh.documents.length > 0"
            " && Bokeh.documents[0].is_idle",
            timeout=timeout,
        )

    def sources(self) -> dict[str, str]:
        """JSON text of the data of every named ColumnDataSource in the page."""
        return self.page.evaluate(
            """() => {
              const out = {};
              for (const model of Bokeh.documents[0].all_models) {
                if (model.data === undefined || !model.name) continue;
                const data = {};
                for (const [key, column] of (model.data instanceof Map
                      ? model.data.entries() : Object.entries(model.data))) {
                  data[key] = Array.from(column, (v) => (typeof v === 'number' ? v : String(v)));
                }
                out[model.name] = JSON.stringify(data);
              }
              return out;
            }"""
        )

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def page(browser) -> Iterator[Page]:
    tab = Page(browser)
    yield tab
    tab.close()
