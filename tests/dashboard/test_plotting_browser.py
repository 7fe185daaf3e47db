"""Drawings in Chromium (``dashboard.plotting`` in the browser): one tooltip where curves
overlap, and a phone-width figure that gives its plot the width.

The drawings are standalone pages (BokehJS inline, no server), so the tests need Debian's
Chromium but no served dashboard. Without ``/usr/bin/chromium`` they skip, unless
``QGE_REQUIRE_BROWSER=1`` (set by ``.ci/run``), which makes a missing browser a failure.

Truths used: the pointer on a point where two curves coincide on the screen (the exact e(γ)
and its weak-coupling partial sum at γ = 0.01, within a pixel) hits both curves, so one
tooltip per curve would show two; the tooltip's numbers are the frames' values at that γ, to
7 significant digits; on a 390 px phone a colour bar beside the phase map leaves its plot a
fifth of the width (73 of 390 px with the bar beside), and a tooltip beside the pointer runs
off the screen (both checked against those mutants).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pytest
from bokeh.embed import file_html
from bokeh.layouts import column
from bokeh.resources import INLINE

from dashboard.plotting import Drawing
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS

#: Where the pointer goes on the e(γ) plot: the exact and partial-sum curves coincide there.
GAMMA = 0.01


@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM.exists():
        if os.environ.get("QGE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"QGE_REQUIRE_BROWSER=1 but {CHROMIUM} not found")
        pytest.skip(f"{CHROMIUM} not found (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


def open_drawing(browser, drawing: Drawing, path: Path, width: int, height: int = 844):
    """A tab showing ``drawing``'s figures as a standalone page ``path``."""
    page_layout = column(*drawing.figures, sizing_mode="stretch_width")
    path.write_text(file_html(page_layout, INLINE, title="drawing"), encoding="utf-8")
    tab = browser.new_page(viewport={"width": width, "height": height})
    tab.console_errors = []  # BokehJS's (a file:// page has no favicon: not counted)
    tab.on(
        "console",
        lambda m: (
            tab.console_errors.append(m.text)
            if m.type == "error" and "Failed to load resource" not in m.text
            else None
        ),
    )
    tab.goto(path.as_uri())
    tab.wait_for_function("() => window.Bokeh && Bokeh.documents.length > 0")
    tab.wait_for_timeout(500)
    return tab


#: Page coordinates of data point (x, y) on root figure ``index``.
POINT_JS = """
([index, x, y]) => {
  const figure = Bokeh.documents[0].roots()[0].children[index];
  const view = Bokeh.index.find_one(figure);
  const canvas = view.canvas_view.el.getBoundingClientRect();
  return [canvas.left + view.frame.x_scale.compute(x), canvas.top + view.frame.y_scale.compute(y)];
}
"""


#: Page coordinates of the centre of the plot area of root figure ``index``.
CENTRE_JS = """
(index) => {
  const view = Bokeh.index.find_one(Bokeh.documents[0].roots()[0].children[index]);
  const canvas = view.canvas_view.el.getBoundingClientRect(), frame = view.frame.bbox;
  return [canvas.left + frame.hcenter, canvas.top + frame.vcenter];
}
"""


def visible_tooltips(tab) -> list[str]:
    tooltips = tab.locator(".bk-Tooltip")
    return [
        tooltips.nth(i).evaluate("(el) => (el.shadowRoot || el).textContent")
        for i in range(tooltips.count())
        if tooltips.nth(i).is_visible()
    ]


def test_the_pointer_on_overlapping_curves_shows_one_tooltip_with_every_value(chromium, tmp_path):
    from dashboard.views.energy import EnergyView

    view = EnergyView()
    data = view.data()
    tab = open_drawing(
        chromium, Drawing(view.figure(data), data, name="energy"), tmp_path / "e.html", 1366
    )
    exact = data["exact"]
    row = int(np.argmin(np.abs(np.log(exact["gamma"] / GAMMA))))
    gamma, energy = exact["gamma"].iloc[row], exact["e"].iloc[row]
    partial = data["weak-coupling partial sum"].set_index("gamma")["e"][gamma]
    x, y = tab.evaluate(POINT_JS, [0, float(gamma), float(energy)])
    _, y_partial = tab.evaluate(POINT_JS, [0, float(gamma), float(partial)])
    assert abs(y - y_partial) < 1  # the curves coincide on the screen: the pointer hits both
    tab.mouse.move(x - 2, y)
    tab.mouse.move(x + 0.5, y)  # just right of the point: its row of the table
    tab.wait_for_timeout(300)
    (text,) = visible_tooltips(tab)
    shown = dict(re.findall(r"(exact \(Bethe ansatz\)|weak coupling e_N, N = \d+): (\S+)", text))
    assert set(shown) == {"exact (Bethe ansatz)", f"weak coupling e_N, N = {view.weak_order}"}
    assert float(shown["exact (Bethe ansatz)"]) == pytest.approx(energy, rel=1e-6)
    assert float(shown[f"weak coupling e_N, N = {view.weak_order}"]) == pytest.approx(
        partial, rel=1e-6
    )
    assert f"coupling γ = |c|/n: {gamma:.7g}" in text
    assert "[dimensionless]" in text  # units
    assert "strong coupling" not in text  # no point of that series at this γ: no row
    assert tab.console_errors == []
    tab.close()


def test_on_a_phone_the_phase_map_keeps_the_width_and_its_tooltip_the_screen(chromium, tmp_path):
    from dashboard.views.phase_map import PhaseMapView

    view = PhaseMapView()
    data = view.data()
    drawing = Drawing(view.figure(data), data, name="phase_map")
    tab = open_drawing(chromium, drawing, tmp_path / "p.html", 390)
    widths = tab.evaluate(
        """() => {
          const figure = Bokeh.documents[0].roots()[0].children[0];
          return [figure.inner_width, figure.outer_width];
        }"""
    )
    inner, outer = widths
    assert inner >= 0.6 * outer  # the colour bar is below the plot, not beside it
    x, y = tab.evaluate(CENTRE_JS, 0)
    tab.mouse.move(x, y)
    tab.mouse.move(x + 2, y)
    tab.wait_for_timeout(300)
    tooltip = tab.locator(".bk-Tooltip").filter(has_text="state")
    box = next(
        tooltip.nth(i).bounding_box() for i in range(tooltip.count()) if tooltip.nth(i).is_visible()
    )
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert tab.console_errors == []
    tab.close()


def test_a_narrow_logarithmic_axis_labels_no_more_decades_than_fit(chromium, tmp_path):
    """The phase map's 7.6 decades of depth on a phone in presentation mode (~260 px, tick
    labels of 21 px): at most 260 / (3.5 × 21) = 3 labels, powers of ten at the multiples
    of a round step (8, overlapping, without the limit; the Resurgence view's 216 decades
    were ticked every 34th from the first)."""
    from dashboard.views.phase_map import PhaseMapView

    view = PhaseMapView()
    data = view.data()
    drawing = Drawing(view.figure(data), data, name="phase_map", font_scale=1.6)
    tab = open_drawing(chromium, drawing, tmp_path / "p.html", 390)
    ticks, length = tab.evaluate(
        """() => {
          const figure = Bokeh.documents[0].roots()[0].children[0];
          const axis = Bokeh.index.find_one(figure).views.find_one(figure.below[0]);
          return [Array.from(axis.tick_coords.major[0]), figure.inner_width];
        }"""
    )
    exponents = np.log10(ticks)
    assert 2 <= len(ticks) <= max(3, length // (3.5 * 10 * 1.6 * 4 / 3))
    np.testing.assert_allclose(exponents, np.round(exponents), atol=1e-9)
    (step,) = set(np.diff(np.round(exponents)).astype(int))
    assert step in (1, 2, 3, 5, 10, 20, 25, 50, 100)  # a round step, at its multiples
    assert (np.round(exponents).astype(int) % step == 0).all()  # 10⁰ among them if inside
    tab.close()


def test_decades_beyond_a_dozen_are_ticked_at_round_multiples(chromium, tmp_path):
    """|Im e_F| from 10⁻²²⁰ to 10⁻²² (the Resurgence view's span): ticks at the multiples of
    a round step of decades (…, 10⁻¹⁰⁰, 10⁻⁵⁰), not every 34th decade from the first
    (10⁻²², 10⁻⁵⁶, 10⁻⁹⁰, …, unreadable for a class)."""
    import pandas as pd

    from dashboard.plotting import Curve, Panel

    frames = {"c": pd.DataFrame({"x": [0.0, 1.0], "y": [1e-220, 1e-22]})}
    panel = Panel("wide", "x  [1]", "y  [1]", (Curve("c", "x", "y", "c"),), logy=True)
    tab = open_drawing(chromium, Drawing([panel], frames, name="t"), tmp_path / "w.html", 683)
    ticks = tab.evaluate(
        """() => {
          const figure = Bokeh.documents[0].roots()[0].children[0];
          const axis = Bokeh.index.find_one(figure).views.find_one(figure.left[0]);
          return Array.from(axis.tick_coords.major[1]);
        }"""
    )
    exponents = np.round(np.log10(ticks)).astype(int)
    (step,) = set(np.diff(exponents))
    assert step in (10, 20, 25, 50, 100) and all(e % step == 0 for e in exponents)
    assert 3 <= len(ticks) <= 10
    tab.close()


#: Per figure of the page: the frame's left and right, the title's width in its font, each
#: legend's left and right, and the linear x axis's tick label centres and widths (pixels).
TEXT_BOXES_JS = """
() => Bokeh.documents[0].roots()[0].children.map((figure) => {
  const view = Bokeh.index.find_one(figure), frame = view.frame.bbox;
  const context = document.createElement("canvas").getContext("2d");
  const measure = (text, size, bold) => {
    const weight = bold ? "bold " : "";
    context.font = `${weight}${parseFloat(size) * 4 / 3}px helvetica, arial, sans-serif`;
    return context.measureText(text).width;
  };
  const legends = [...figure.center, ...figure.below, ...figure.right]
    .filter((model) => model.type == "Legend" && model.items.length)
    .map((model) => view.views.find_one(model).bbox)
    .map((box) => [box.left, box.right]);
  const axis = figure.below[0], axis_view = view.views.find_one(axis);
  const ticks = axis.type == "LinearAxis" ? Array.from(axis_view.tick_coords.major[0]) : [];
  const labels = ticks.length ? axis.formatter.doFormat(ticks, {loc: 0}) : [];
  return {
    frame: [frame.left, frame.right],
    width: view.canvas_view.bbox.width,
    title: measure(figure.title.text, figure.title.text_font_size, true),
    xlabel: measure(axis.axis_label || "", axis.axis_label_text_font_size, false),
    legends,
    ticks: ticks.map((t) => view.frame.x_scale.compute(t)),
    labels: labels.map((l) => measure(String(l), axis.major_label_text_font_size, false)),
  };
})
"""


@pytest.mark.parametrize("width", [390, 683])
@pytest.mark.parametrize("slug", ["energy", "borel", "resurgence", "phase_map", "polaron"])
def test_presentation_text_fits_its_figure(chromium, tmp_path, slug, width):
    """In presentation mode (font scale 1.6) on a phone (390 px) and in half a 1366 px
    laptop screen (683 px), each figure's title and x-axis label are no wider than its plot,
    its legends lie
    inside the figure, and its linear x tick labels do not touch. With fixed presentation
    fonts "Ratio test → 8π = 25.13", "…chardson transform" and "−60−40−20" were cut or ran
    together at 1366×768."""
    from dashboard.views import load_view_class

    view = load_view_class(slug)()
    data = view.data()
    drawing = Drawing(view.figure(data), data, name=slug, font_scale=1.6)
    tab = open_drawing(chromium, drawing, tmp_path / f"{slug}.html", width)
    for figure in tab.evaluate(TEXT_BOXES_JS):
        left, right = figure["frame"]
        assert figure["title"] <= right - left
        assert figure["xlabel"] <= right - left  # "attice depth U/E_R …" was cut at 1366
        for legend_left, legend_right in figure["legends"]:
            assert legend_left >= 0 and legend_right <= figure["width"]
        centres, widths = figure["ticks"], figure["labels"]
        for i in range(len(centres) - 1):
            assert centres[i + 1] - centres[i] >= (widths[i] + widths[i + 1]) / 2 + 2
    assert tab.console_errors == []
    tab.close()
