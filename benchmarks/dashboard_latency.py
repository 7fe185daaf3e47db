"""In-browser latency from a slider key press to the updated plot data, per dashboard view.

Run ``python -m benchmarks.dashboard_latency`` (``--presses N``, ``--output FILE.md``,
``--views decay ...``).

Serves, in the same run, the dashboard with the command line of ``qgas serve`` (its physics
worker process included, as users get it) and a trivial one-curve Panel app
(:mod:`benchmarks.trivial_panel_app`, the floor of this stack) with ``panel serve``, both on
loopback, and drives Debian's Chromium through Playwright. For each view the page shows that
view's tab, focuses the sidebar slider that drives it (γ, disorder strength or lattice depth)
and presses ArrowRight N times (every press a new value, so the view's cache does not help
beyond what a real drag would get). The page's clock measures from the ``keydown`` event to
the first Bokeh document change of a data source of that view (named ``<view>|<curve>``),
plus one animation frame (the plot is drawn). Reported: median and p90 per view, the trivial
app's median, and the ratio; and the median to the view's new summary line, drawn after all
its panels ("whole view": for the decay view, whose main plot is drawn before its other panels
are computed, :meth:`dashboard.base.View.publish`). Targets: γ-driven views ≤ 1.5 × trivial;
disorder view ≤ 600 ms to its main plot.

Touch the plot (issue 17): for the views whose first plot sets an input where it is clicked
(``View.tap_targets``) the same clock runs from the ``pointerdown`` of a mouse click on that
plot (at a new place each time) to the updated plot data: the rows "… (tap)", next to the
slider rows.
"""

from __future__ import annotations

import argparse
import functools
import math
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from conftest import Page  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, view_selector  # noqa: E402
from tests.support.served import ServedDashboard  # noqa: E402

#: view slug -> what the target of a click on its first plot is (View.tap_targets)
TAPPED = {
    "energy": "≤ 1.5 × trivial",
    "polaron": "≤ 1.5 × trivial",
    "phase_map": "≤ 1.5 × trivial",
}

#: view slug -> (sidebar slider CSS class, what the target is)
MEASURED = {
    "energy": ("qge-gamma", "≤ 1.5 × trivial"),
    "polaron": ("qge-gamma", "≤ 1.5 × trivial"),
    "decay": ("qge-disorder", "≤ 600 ms"),
    "phase_map": ("qge-depth", "≤ 1.5 × trivial"),
}

INSTALL_PROBE = """(prefix) => {
  const probe = {t0: null, done: null, all: null, prefix};
  window.__latency = probe;
  const start = () => { probe.t0 = performance.now(); probe.done = null; probe.all = null; };
  document.addEventListener('keydown', start, true);
  document.addEventListener('pointerdown', start, true);
  Bokeh.documents[0].on_change((event) => {
    const model = event.model;
    if (probe.t0 !== null && probe.all === null && model && event.attr === 'text'
        && (model.css_classes || []).includes('qge-summary')
        && !String(event.value).includes('Computing')) {
      probe.all = -1;  // the summary of the new inputs: every panel is drawn
      requestAnimationFrame(() => { probe.all = performance.now(); });
    }
    if (probe.t0 === null || probe.done !== null || !model || !model.name) return;
    if (!model.name.startsWith(probe.prefix) || model.data === undefined) return;
    probe.done = -1;
    requestAnimationFrame(() => { probe.done = performance.now(); });
  });
}"""


def measure(tab: Page, url: str, slider: str, prefix: str, presses: int, tab_index=None):
    """Latencies (ms) of ``presses`` ArrowRight presses on ``slider``, watching ``prefix``."""
    tab.open(url)
    if tab_index is not None:
        tab.page.locator(".bk-tab").nth(tab_index).click()
        tab.page.locator(view_selector(tab_index)).first.wait_for(state="visible", timeout=120_000)
        tab.wait_idle()
    tab.page.wait_for_timeout(500)
    tab.page.evaluate(INSTALL_PROBE, prefix)
    handle = tab.page.locator(f".{slider} .noUi-handle").first
    handle.focus()
    return [timed(tab, lambda: handle.press("ArrowRight")) for _ in range(presses)]


def timed(tab: Page, act) -> tuple[float, float]:
    """(first plot, whole view) latencies in ms of one ``act()``: to the first updated data of
    the view, and to its new summary (every panel drawn; NaN if the summary did not change)."""
    act()
    tab.page.wait_for_function(
        "() => window.__latency.done !== null && window.__latency.done > 0", timeout=60_000
    )
    try:  # the rest of a heavy view follows its main plot
        tab.page.wait_for_function("() => window.__latency.all > 0", timeout=30_000)
    except PlaywrightTimeout:  # the summary did not change: no whole-view figure
        pass
    tab.wait_idle()
    tab.page.wait_for_timeout(150)
    first, whole = tab.page.evaluate(
        "() => [window.__latency.done - window.__latency.t0,"
        " window.__latency.all > 0 ? window.__latency.all - window.__latency.t0 : NaN]"
    )
    return first, whole


def measure_taps(
    tab: Page, url: str, prefix: str, presses: int, tab_index: int
) -> list[tuple[float, float]]:
    """Latencies (ms) of ``presses`` clicks on the first plot of the view in ``tab_index``,
    each at a new horizontal place (so each sets a new value), watching ``prefix``."""
    tab.open(url)
    tab.page.locator(".bk-tab").nth(tab_index).click()
    tab.page.locator(view_selector(tab_index)).first.wait_for(state="visible", timeout=120_000)
    tab.wait_idle()
    tab.page.wait_for_timeout(500)
    tab.page.evaluate(INSTALL_PROBE, prefix)
    plot = tab.page.locator(f"{view_selector(tab_index)} .bk-Figure .bk-events").first
    box = plot.bounding_box()

    def click(press: int) -> None:
        # golden-ratio steps, no repeats, inside the frame (a colour bar may take the right side)
        fraction = 0.25 + 0.3 * ((press * 0.381966) % 1.0)
        tab.page.mouse.click(box["x"] + fraction * box["width"], box["y"] + 0.4 * box["height"])

    return [timed(tab, functools.partial(click, press)) for press in range(presses)]


def run(presses: int, views: list[str] | None = None) -> list[dict]:
    from playwright.sync_api import sync_playwright

    from dashboard.views import VIEWS

    log_dir = ROOT / "test-results" / "benchmark"
    log_dir.mkdir(parents=True, exist_ok=True)
    trivial = ServedDashboard(
        log_dir / "trivial.log", app=ROOT / "benchmarks" / "trivial_panel_app.py"
    )
    dashboard = ServedDashboard(log_dir / "dashboard.log")
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            tab = Page(browser)
            floor = measure(tab, trivial.url, "qge-trivial", "trivial|", presses)
            rows.append({"view": "trivial app", "latencies": floor, "target": "floor"})
            for slug, (slider, target) in MEASURED.items():
                if slug not in VIEWS or (views and slug not in views):
                    continue
                index = list(VIEWS).index(slug)
                try:
                    latencies = measure(tab, dashboard.url, slider, f"{slug}|", presses, index)
                except Exception as exc:  # a view not yet available is reported, not fatal
                    rows.append({"view": slug, "error": str(exc).splitlines()[0]})
                    continue
                rows.append({"view": slug, "latencies": latencies, "target": target})
            for slug, target in TAPPED.items():
                if slug not in VIEWS or (views and slug not in views):
                    continue
                index = list(VIEWS).index(slug)
                try:
                    latencies = measure_taps(tab, dashboard.url, f"{slug}|", presses, index)
                except Exception as exc:
                    rows.append({"view": f"{slug} (tap)", "error": str(exc).splitlines()[0]})
                    continue
                rows.append({"view": f"{slug} (tap)", "latencies": latencies, "target": target})
            tab.close()
            browser.close()
    finally:
        trivial.stop()
        dashboard.stop()
    return rows


def table(rows: list[dict]) -> str:
    floor = statistics.median(first for first, _ in rows[0]["latencies"])
    lines = [
        "| view | input | median (ms) | p90 (ms) | ratio to trivial | whole view, median (ms) "
        "| target |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        slider = MEASURED.get(row["view"], ("a",))[0].removeprefix("qge-")
        if row["view"].endswith("(tap)"):
            slider = "click on the plot"
        if "error" in row:
            lines.append(
                f"| {row['view']} | {slider} | — | — | — | — | not measured: {row['error']} |"
            )
            continue
        values = sorted(first for first, _ in row["latencies"])
        wholes = [whole for _, whole in row["latencies"] if math.isfinite(whole)]
        median = statistics.median(values)
        p90 = values[min(len(values) - 1, int(0.9 * len(values)))]
        whole = f"{statistics.median(wholes):.0f}" if wholes else "—"
        lines.append(
            f"| {row['view']} | {slider} | {median:.0f} | {p90:.0f} | "
            f"{median / floor:.2f} | {whole} | {row['target']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=15, help="key presses per view")
    parser.add_argument("--output", type=Path, help="also write the table to this file")
    parser.add_argument(
        "--views", nargs="+", choices=list(MEASURED), help="measure only these views"
    )
    args = parser.parse_args(argv)
    if args.presses < 3:
        parser.error(f"--presses={args.presses} must be >= 3")
    text = table(run(args.presses, args.views))
    print(text)
    if args.output:
        args.output.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
