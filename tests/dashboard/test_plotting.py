"""Plot panels drawn as Bokeh figures and updated in place (``dashboard.plotting``).

Truths used: an updated drawing must equal a drawing built from scratch for the new panels
(two routes), an update must build no Bokeh model and send only what changed, cell edges of
a mesh halve the distance between centres (geometrically on a log axis), the fitted
ranges are the data's extent widened by ``PADDING`` of it on either side, and a panel's
tooltip table holds, at each x, exactly the values the frames have there.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from bokeh.document import Document
from bokeh.document.events import ColumnDataChangedEvent, ModelChangedEvent
from bokeh.models import ColumnDataSource, CustomJSHover, HoverTool, Legend, Whisker

from dashboard.plotting import (
    LEGEND_ROW_PX,
    PADDING,
    ColourScale,
    Curve,
    Drawing,
    ErrorBars,
    Glyph,
    HLine,
    Panel,
    QuadMesh,
    Scatter,
    structure,
)


def frames(shift: float = 0.0, position: float = 2.0) -> dict[str, pd.DataFrame]:
    x = np.linspace(1.0, 10.0, 10)
    return {
        "curve": pd.DataFrame({"x": x, "y": x**2 + shift, "y_err": 0.1 * x}),
        "marker": pd.DataFrame({"x": [position], "y": [position**2]}),
    }


def panels(order: int = 4, logy: bool = False) -> list[Panel]:
    return [
        Panel(
            title=f"order {order}",
            xlabel="x  [1]",
            ylabel="y  [1]",
            layers=(
                Curve("curve", "x", "y", f"curve, order {order}"),
                Scatter("curve", "x", "y", f"curve, order {order}").opts(size=4),
                ErrorBars("curve", "x", "y", "y_err", "± error"),
                Scatter("marker", "x", "y", "marker").opts(size=10, color="crimson"),
                HLine(50.0, "y = 50").opts(color="gray", line_dash="dashed"),
            ),
            logy=logy,
        ),
        Panel("second", "x", "y", (Curve("curve", "x", "y", "again"),), legend=None),
    ]


def drawn(drawing: Drawing) -> dict:
    """Sources by name, titles and legend labels of a drawing."""
    sources = {
        source.name: {column: np.asarray(values) for column, values in source.data.items()}
        for figure in drawing.figures
        for source in figure.select(type=ColumnDataSource)
        if source.name
    }
    titles = [figure.title.text for figure in drawing.figures]
    labels = [
        [item.label.value for legend in figure.select(type=Legend) for item in legend.items]
        for figure in drawing.figures
    ]
    return {"sources": sources, "titles": titles, "labels": labels}


def served(drawing: Drawing) -> Document:
    document = Document()
    for figure in drawing.figures:
        document.add_root(figure)
    return document


def test_a_frame_shown_by_several_layers_and_panels_has_one_source():
    drawing = Drawing(panels(), frames(), name="t")
    names = sorted(drawn(drawing)["sources"])
    assert names == [
        "t|curve",
        "t|curve (error bars)",
        "t|marker",
        "t|panel 0 (tooltip)",
        "t|panel 1 (tooltip)",
    ]


def test_an_update_equals_a_drawing_built_for_the_new_panels():
    drawing = Drawing(panels(4), frames(), name="t")
    drawing.update(panels(6), frames(shift=1.0, position=3.0), {"curve", "marker"})
    fresh = Drawing(panels(6), frames(shift=1.0, position=3.0), name="t")
    updated, expected = drawn(drawing), drawn(fresh)
    assert updated["titles"] == expected["titles"] == ["order 6", "second"]
    assert updated["labels"] == expected["labels"]
    assert updated["labels"][0] == ["curve, order 6", "± error", "marker", "y = 50"]
    assert updated["sources"].keys() == expected["sources"].keys()
    for name, columns in expected["sources"].items():
        for column, values in columns.items():
            np.testing.assert_array_equal(updated["sources"][name][column], values)
    for old, new in zip(drawing.figures, fresh.figures, strict=True):
        assert (old.y_range.start, old.y_range.end) == (new.y_range.start, new.y_range.end)
        assert tooltip_labels(old) == tooltip_labels(new)
    assert tooltip_labels(drawing.figures[0])["y0"] == "curve, order 6"


def tooltip_labels(figure) -> dict[str, str]:
    (formatter,) = figure.select(type=CustomJSHover)
    return formatter.args["labels"]


def test_an_update_builds_no_model_and_sends_only_what_changed():
    drawing = Drawing(panels(), frames(), name="t")
    document = served(drawing)
    models = {model.id for model in document.models}
    events = []
    document.on_change(lambda event: events.append(event))
    drawing.update(panels(), frames(position=3.0), {"marker"})
    assert {model.id for model in document.models} == models
    data = {
        event.model.name: sorted(event.cols)
        for event in events
        if isinstance(event, ColumnDataChangedEvent)
    }
    # the marker's column of the first panel's tooltip table (x = 3 is on the curve's grid)
    assert data == {"t|marker": ["x", "y"], "t|panel 0 (tooltip)": ["y1"]}
    events.clear()
    moved = frames(position=3.0)
    moved["curve"]["y"] += 1.0  # y changes, x and y_err do not
    drawing.update(panels(), moved, {"curve"})
    columns = {
        event.model.name: sorted(event.cols)
        for event in events
        if isinstance(event, ColumnDataChangedEvent)
    }
    assert columns == {
        "t|curve": ["y"],
        "t|curve (error bars)": ["y lower", "y upper"],
        "t|panel 0 (tooltip)": ["y0"],
        "t|panel 1 (tooltip)": ["y0"],
    }
    texts = [e for e in events if isinstance(e, ModelChangedEvent) and e.attr in ("text", "args")]
    assert not texts  # the same titles and tooltip labels are not sent again


def test_titles_and_legend_labels_are_not_structure_but_axes_are():
    assert structure(panels(4)) == structure(panels(6))
    assert structure(panels(logy=True)) != structure(panels(logy=False))


def test_axes_fit_the_data_with_padding_and_keep_a_zoom_while_the_extent_stays():
    drawing = Drawing(panels(), frames(), name="t")
    figure = drawing.figures[1]  # one line, y = x² on 1 … 10
    assert (figure.x_range.start, figure.x_range.end) == pytest.approx(
        (1 - 9 * PADDING, 10 + 9 * PADDING)
    )
    assert (figure.y_range.start, figure.y_range.end) == pytest.approx(
        (1 - 99 * PADDING, 100 + 99 * PADDING)
    )
    figure.x_range.start, figure.x_range.end = 2.0, 3.0  # the user zooms in
    drawing.update(panels(), frames(shift=1.0), {"curve"})  # y moves, the x extent does not
    assert (figure.x_range.start, figure.x_range.end) == (2.0, 3.0)
    assert figure.y_range.end == pytest.approx(101 + 99 * PADDING)


def test_logarithmic_axes_fit_positive_data_with_a_fraction_of_a_decade():
    drawing = Drawing(panels(logy=True), frames(), name="t")
    y_range = drawing.figures[0].y_range
    # lowest: y − error = 0.9 at x = 1; highest: y + error = 101 at x = 10
    span = (101 / 0.9) ** PADDING
    assert (y_range.start, y_range.end) == pytest.approx((0.9 / span, 101 * span))


def test_reference_frames_do_not_widen_the_fitted_axes():
    """A pinned curve 100 decades below the current one (e(γ)'s truncation error pinned at
    γ = 0.01) is clipped: the y axis spans the current curve's 1 … 100 (padded), not 1e-109."""
    current = pd.DataFrame({"x": [1.0, 10.0], "y": [1.0, 100.0]})
    pinned = pd.DataFrame({"x": [1.0, 10.0], "y": [1e-109, 100.0]})
    layers = (Curve("pin 1: f", "x", "y", "pin 1"), Curve("f", "x", "y", "now"))
    panel = Panel("t", "x", "y", layers, logy=True, reference=frozenset({"pin 1: f"}))
    drawing = Drawing([panel], {"f": current, "pin 1: f": pinned}, name="t")
    y_range = drawing.figures[0].y_range
    span = 100**PADDING
    assert (y_range.start, y_range.end) == pytest.approx((1 / span, 100 * span))


def test_a_reference_level_outside_the_fitted_axes_has_no_legend_entry():
    """e(γ)'s accuracy floor at 1e-12 under errors of 1e-4 … 1 lies below the fitted axis
    (QA: its entry named a line nobody could see); where the data reach it, the entry returns
    (the padded axis shows it), and a drawing updated to either agrees with a fresh one."""
    layers = (Curve("floor", "x", "y", "floor"), Curve("f", "x", "y", "errors"))
    panel = Panel("t", "x", "y", layers, logy=True, reference=frozenset({"floor"}))
    floor = pd.DataFrame({"x": [1.0, 10.0], "y": [1e-12, 1e-12]})
    high = {"f": pd.DataFrame({"x": [1.0, 10.0], "y": [1e-4, 1.0]}), "floor": floor}
    low = {"f": pd.DataFrame({"x": [1.0, 10.0], "y": [1.5e-12, 1.0]}), "floor": floor}
    assert shown_labels(Drawing([panel], high, name="t").figures[0]) == ["errors"]
    drawing = Drawing([panel], low, name="t")
    assert shown_labels(drawing.figures[0]) == ["floor", "errors"]
    drawing.update([panel], high, {"f"})
    assert shown_labels(drawing.figures[0]) == ["errors"]


def test_a_marker_at_zero_on_a_logarithmic_axis_has_no_legend_entry():
    """The phase map's marker at lattice depth U = 0 has no place on its log axis (QA: the
    legend listed 'current inputs' while the summary said 'no marker on the map')."""
    layers = (Curve("f", "x", "y", "curve"), Scatter("marker", "x", "y", "current inputs"))
    panel = Panel("t", "x", "y", layers, logx=True)
    curve = pd.DataFrame({"x": [1.0, 10.0], "y": [1.0, 2.0]})
    at_zero = {"f": curve, "marker": pd.DataFrame({"x": [0.0], "y": [1.5]})}
    assert shown_labels(Drawing([panel], at_zero, name="t").figures[0]) == ["curve"]
    inside = {"f": curve, "marker": pd.DataFrame({"x": [2.0], "y": [1.5]})}
    assert shown_labels(Drawing([panel], inside, name="t").figures[0]) == [
        "curve",
        "current inputs",
    ]


@pytest.mark.parametrize("logarithmic", [False, True])
def test_mesh_cells_tile_the_plane_around_their_centres(logarithmic):
    x = np.geomspace(1e-3, 10.0, 7) if logarithmic else np.linspace(0.0, 6.0, 7)
    y = np.array([1.0, 2.0, 4.0])
    xs, ys = np.meshgrid(x, y)
    frame = pd.DataFrame({"x": xs.ravel(), "y": ys.ravel(), "code": np.arange(xs.size) % 3})
    scale = ColourScale(("red", "green", "blue"), "code", -0.5, 2.5, ("a", "b", "c"))
    layer = QuadMesh("cells", "x", "y", "code", "cells", scale)
    panel = Panel("map", "x", "y", (layer,), logx=logarithmic, legend=None)
    drawing = Drawing([panel], {"cells": frame}, name="t")
    cells = drawing.figures[0].select_one({"name": "cells"}).data_source.data
    left, right, centre = (np.asarray(cells[key]) for key in ("left", "right", "x"))
    middle = np.sqrt(left * right) if logarithmic else (left + right) / 2
    np.testing.assert_allclose(middle, centre, rtol=1e-12)
    assert set(right) - {right.max()} == set(left) - {left.min()}  # no gaps, no overlaps
    np.testing.assert_array_equal(cells["code"], frame["code"])
    x_range = drawing.figures[0].x_range
    assert (x_range.start, x_range.end) == (left.min(), right.max())  # no padding


def test_a_single_mesh_cell_has_unit_width_around_its_centre():
    frame = pd.DataFrame({"x": [3.0], "y": [2.0], "code": [1]})
    scale = ColourScale(("red", "green", "blue"), "code", -0.5, 2.5, ("a", "b", "c"))
    panel = Panel(
        "map", "x", "y", (QuadMesh("cells", "x", "y", "code", "cells", scale),), legend=None
    )
    cells = Drawing([panel], {"cells": frame}, name="t").figures[0].select_one({"name": "cells"})
    edges = {key: list(cells.data_source.data[key]) for key in ("left", "right", "bottom", "top")}
    assert edges == {"left": [2.5], "right": [3.5], "bottom": [1.5], "top": [2.5]}


def test_a_legend_below_the_plot_adds_its_rows_to_the_height():
    layers = (Curve("curve", "x", "y", "a"), Scatter("marker", "x", "y", "b"))
    heights = {}
    for legend in ("top_right", "below"):
        panel = Panel("t", "x", "y", layers, legend=legend)
        heights[legend] = Drawing([panel], frames(), name="t", height=300).figures[0].height
    assert heights["top_right"] == 300
    assert heights["below"] == 300 + 2 * LEGEND_ROW_PX + 16  # two entries


def test_a_panel_refuses_what_is_not_a_glyph():
    assert isinstance(Curve("curve", "x", "y", "a"), Glyph)
    with pytest.raises(ValueError, match=r"layers\[1\]=.* is not a glyph"):
        Panel("t", "x", "y", (Curve("curve", "x", "y", "a"), ("line", "curve", "x", "y")))


def test_opts_sets_style_on_a_copy_as_in_holoviews():
    curve = Curve("curve", "x", "y", "a").opts(color="red", line_width=3)
    assert dict(curve.opts(color="blue").style) == {"color": "blue", "line_width": 3}
    assert dict(curve.style) == {"color": "red", "line_width": 3}


def test_error_bars_of_several_columns_of_one_frame_each_show_their_own():
    frame = pd.DataFrame({"x": [1.0, 2.0], "a": [1.0, 2.0], "da": [0.1, 0.2], "b": [5.0, 6.0]})
    frame["db"] = [1.0, 2.0]
    bars = (ErrorBars("f", "x", "a", "da", "a"), ErrorBars("f", "x", "b", "db", "b"))
    drawing = Drawing([Panel("t", "x", "y", bars)], {"f": frame}, name="t")
    source = drawn(drawing)["sources"]["t|f (error bars)"]
    np.testing.assert_allclose(source["a lower"], [0.9, 1.8])
    np.testing.assert_allclose(source["b upper"], [6.0, 8.0])
    assert drawing.figures[0].y_range.end == pytest.approx(8.0 + PADDING * (8.0 - 0.9))


def tooltip_tools(figure) -> list[HoverTool]:
    return [tool for tool in figure.tools if isinstance(tool, HoverTool)]


def test_overlapping_curves_have_one_tooltip_listing_every_value_at_the_x():
    """Where the e(γ) view's curves overlap, one hover tool on one renderer: one tooltip,
    whose table holds at each γ every curve's value there (NaN: no point at that γ)."""
    from dashboard.views.energy import EnergyView

    view = EnergyView()
    data = view.data()
    drawing = Drawing(view.figure(data), data, name="energy")
    figure = drawing.figures[0]
    (tool,) = tooltip_tools(figure)
    (renderer,) = tool.renderers
    assert tool.mode == "vline" and tool.line_policy == "none"
    table = renderer.data_source.data
    assert renderer.data_source.name == "energy|panel 0 (tooltip)"
    assert tool.tooltips == [("", f"$index{{{column}}}") for column in ("x", "y0", "y1", "y2")]
    labels = tooltip_labels(figure)
    frames = {
        labels["y0"]: data["exact"],
        labels["y1"]: data["weak-coupling partial sum"],
        labels["y2"]: data["strong-coupling series"],
    }
    assert labels["y0"] == "exact (Bethe ansatz)" and labels["x"] == "coupling γ = |c|/n"
    assert tooltip_units(figure)["y0"] == " [dimensionless]"
    for column in ("y0", "y1", "y2"):
        frame = frames[labels[column]]
        shown = dict(zip(table["x"], table[column], strict=True))
        assert {x: shown[x] for x in frame["gamma"]} == dict(
            zip(frame["gamma"], frame["e"], strict=True)
        )
        others = set(table["x"]) - set(frame["gamma"])
        assert np.isnan([shown[x] for x in others]).all()
    assert set(table["x"]) == set(data["exact"]["gamma"])  # the series' γ lie on its grid
    assert "γ slider" not in labels.values()  # its value is the summary's
    # a curve hidden by a click on its legend entry leaves the tooltip: each row is tied to
    # the glyphs of its legend label, whose visibility the browser reads
    (formatter,) = figure.select(type=CustomJSHover)
    (legend,) = figure.legend
    for column in ("y0", "y1", "y2"):
        (item,) = [item for item in legend.items if item.label.value == labels[column]]
        assert formatter.args["renderers"][column] == item.renderers
    assert "every((renderer) => !renderer.visible)" in formatter.code


def tooltip_units(figure) -> dict[str, str]:
    (formatter,) = figure.select(type=CustomJSHover)
    return formatter.args["units"]


def test_a_panel_with_a_colour_mesh_has_only_the_cell_tooltip():
    x, y = np.meshgrid([1.0, 2.0], [1.0, 2.0])
    cells = pd.DataFrame({"x": x.ravel(), "y": y.ravel(), "v": [0.0, 1.0, 2.0, 3.0]})
    scale = ColourScale(("red", "blue"), "value v  [1/n]")
    layers = (
        QuadMesh("cells", "x", "y", "v", "cells", scale),
        Curve("cells", "x", "y", "line"),
    )
    panel = Panel("map", "x  [1/n]", "y", layers, legend=None)
    (tool,) = tooltip_tools(Drawing([panel], {"cells": cells}, name="t").figures[0])
    assert tool.renderers[0].name == "cells"
    assert tool.tooltips == [
        ("x", "@{x}{%.7g} [1/n]"),
        ("y", "@{y}{%.7g}"),
        ("value v", "@{v}{%.7g} [1/n]"),
    ]


def test_tooltips_give_numbers_with_seven_digits_and_no_internal_codes():
    from dashboard.views.phase_map import PhaseMapView

    view = PhaseMapView()
    frames = view.data()
    drawing = Drawing(view.figure(frames), frames, name="phase_map")
    tools = [tool for figure in drawing.figures for tool in figure.tools]
    rows = [row for tool in tools if isinstance(tool, HoverTool) for row in tool.tooltips]
    fields = [field for _, field in rows]
    assert "@{depth_over_ER}{%.7g}" in fields  # 7 significant digits, not Bokeh's 3
    assert "@{state}" in fields  # text as it is
    assert not any("code" in field for field in fields)  # the colour index is internal
    cells, lindemann = (tooltip_tools(figure) for figure in drawing.figures)
    (tool,) = cells
    formatted = {field.split("}{")[0] + "}" for _, field in tool.tooltips if "}{" in field}
    assert set(tool.formatters) == formatted
    assert set(tool.formatters.values()) == {"printf"}
    (tool,) = lindemann  # numbers formatted in the browser with toPrecision(7)
    assert "toPrecision(7)" in tool.formatters["$index"].code


def shown_labels(figure) -> list[str]:
    return [
        item.label.value
        for legend in figure.select(type=Legend)
        for item in legend.items
        if item.visible
    ]


def test_the_legend_lists_only_what_is_drawn_and_follows_the_data():
    """A curve whose frame is empty or all NaN draws nothing, so its entry is hidden (a fit
    that does not apply); the entry returns when the data do, and a drawing built for the
    same data agrees."""
    nothing = frames()
    nothing["marker"] = nothing["marker"].iloc[:0]
    nothing["curve"] = nothing["curve"].assign(y_err=np.nan)
    drawing = Drawing(panels(), nothing, name="t")
    assert shown_labels(drawing.figures[0]) == ["curve, order 4", "y = 50"]
    drawing.update(panels(), frames(), {"curve", "marker"})
    assert shown_labels(drawing.figures[0]) == ["curve, order 4", "± error", "marker", "y = 50"]
    assert shown_labels(drawing.figures[0]) == shown_labels(
        Drawing(panels(), frames(), name="t").figures[0]
    )
    exact = frames()
    exact["curve"] = exact["curve"].assign(y_err=0.0)  # one clean realisation: no error
    figure = Drawing(panels(), exact, name="t").figures[0]
    assert "± error" not in shown_labels(figure)
    (whisker,) = figure.select(type=Whisker)  # and no caps drawn at zero length
    assert np.isnan(whisker.source.data["y lower"]).all()


def test_a_curve_constant_to_rounding_is_drawn_flat_not_magnified():
    """The clean ring's density is n(x) = 1 to 1e-15: an axis fitted to that span would
    swing the rounding across the whole plot. Below ROUNDING_SPAN of the values' size the
    axis shows the values as constant, ±PADDING of their size; a real variation of 1e-6
    relative is still fitted to its own extent."""
    x = np.linspace(0.0, 1.0, 50)
    panel = [Panel("n", "x", "n", (Curve("n", "x", "n", "n(x)"),))]
    rounding = {"n": pd.DataFrame({"x": x, "n": 1.0 - 7e-16 * np.sin(40 * x) ** 2})}
    figure = Drawing(panel, rounding, name="t").figures[0]
    mid = (1.0 + rounding["n"]["n"].min()) / 2
    assert (figure.y_range.start, figure.y_range.end) == pytest.approx(
        (mid - PADDING, mid + PADDING), abs=1e-15
    )
    varying = {"n": pd.DataFrame({"x": x, "n": 1.0 + 1e-6 * x})}
    figure = Drawing(panel, varying, name="t").figures[0]
    assert figure.y_range.end - figure.y_range.start == pytest.approx(1e-6 * (1 + 2 * PADDING))


def test_a_tooltip_on_an_axis_of_a_logarithm_names_the_logarithm():
    """QA: on the resurgence view's log₁₀ |Im e_F| axis the tooltip read "|Im e_F|, lateral
    Borel–Padé: -201.0296 [ħ = 2m = 1]", a negative absolute value."""
    layers = (Curve("curve", "x", "y", "|y|, first"),)
    for ylabel, expected in (
        ("log₁₀ |y|  [dimensionless]", "log₁₀ |y| (|y|, first)"),
        ("−log₁₀ |y − 1|  [digits]", "−log₁₀ |y − 1| (|y|, first)"),
        ("y  [dimensionless]", "|y|, first"),
    ):
        panel = Panel("t", "x", ylabel, layers)
        figure = Drawing([panel], frames(), name="t").figures[0]
        assert tooltip_labels(figure)["y0"] == expected
        assert tooltip_units(figure)["y0"] == f" {ylabel.split('  ')[1]}"
