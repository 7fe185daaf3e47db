"""Screenshots of every view at a projector's, a laptop's and a phone's viewport, normal and in
presentation mode, for ``docs/screenshots/`` (issue 17).

Run ``python tests/e2e/screenshots.py [--views energy …] [--output DIR]``: serves the
dashboard with ``panel serve`` on a free loopback port (its Sweeps view reading one small
stored sweep), drives Debian's Chromium through Playwright, and writes
``<view>-<viewport>[-presentation].png`` (the visible viewport, as a class sees it) and one
lesson step, ``lesson-<viewport>[-presentation].png``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from conftest import CHROMIUM, CHROMIUM_ARGS, Page  # noqa: E402
from test_classroom import VIEWPORTS, open_view  # noqa: E402

from dashboard.views import VIEWS  # noqa: E402
from tests.support.served import ServedDashboard  # noqa: E402

LESSON_URL = "?lesson=perturbation-theory&step=3"


def stored_sweep(directory: Path) -> None:
    """One small stored sweep for the Sweeps view (m/m* over four γ, two routes)."""
    from qgas.sweeps.config import config_from_mapping
    from qgas.sweeps.observables import REGISTRY
    from qgas.sweeps.runner import prepare_sweep, run_sweep

    grid = {"gamma": [0.1, 1.0, 10.0, 100.0], "method": ["energy", "sigma"]}
    config = {"observable": "polaron.inverse_mass_ratio", "output": str(directory / "m.nc")}
    run_sweep(
        prepare_sweep(config_from_mapping({**config, "grid": grid}, REGISTRY)), progress=False
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--views", nargs="+", choices=list(VIEWS), default=list(VIEWS))
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    args.output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        sweeps = Path(scratch) / "sweeps"
        sweeps.mkdir()
        stored_sweep(sweeps)
        server = ServedDashboard(Path(scratch) / "server.log", env={"QGAS_SWEEPS_DIR": str(sweeps)})
        try:
            server.warm_up()
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
                )
                for viewport, size in VIEWPORTS.items():
                    tab = Page(browser, size)
                    for slug in args.views:
                        for presentation in (False, True):
                            query = f"?view={slug}" + ("&presentation=true" * presentation)
                            open_view(tab, server.url + query, slug)
                            tab.page.wait_for_timeout(800)
                            suffix = "-presentation" if presentation else ""
                            path = args.output / f"{slug}-{viewport}{suffix}.png"
                            tab.page.screenshot(path=path)
                            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
                    for presentation in (False, True):
                        query = LESSON_URL + ("&presentation=true" * presentation)
                        open_view(tab, server.url + query, "energy")
                        tab.page.wait_for_timeout(800)
                        suffix = "-presentation" if presentation else ""
                        tab.page.screenshot(path=args.output / f"lesson-{viewport}{suffix}.png")
                    tab.close()
                browser.close()
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
