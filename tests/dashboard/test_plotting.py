"""Plot panels drawn as Bokeh figures and updated in place (``dashboard.plotting``).

Truths used: an updated drawing must equal a drawing built from scratch for the new panels
(two routes), an update must build no Bokeh model and send only what changed, cell edges of
a mesh halve the distance between centres (geometrically on a log axis), and the fitted
ranges are the data's extent widened by ``PADDING`` of it on either side.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from bokeh.document import Document
from bokeh.document.events import ColumnDataChangedEvent, ModelChangedEvent
from bokeh.models import ColumnDataSource, Legend

from dashboard.plotting import (
    LEGEND_ROW_PX,
    PADDING,
    ColourScale,
    Drawing,
    Layer,
    Panel,
    error_bars,
    horizontal_line,
    line,
    markers,
    mesh,
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
                line("curve", "x", "y", f"curve, order {order}"),
                markers("curve", "x", "y", f"curve, order {order}", size=4),
                error_bars("curve", "x", "y", "y_err", "± error"),
                markers("marker", "x", "y", "marker", size=10, color="crimson"),
                horizontal_line(50.0, "y = 50", color="gray", line_dash="dashed"),
            ),
            logy=logy,
        ),
        Panel("second", "x", "y", (line("curve", "x", "y", "again"),), legend=None),
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
    assert names == ["t|curve", "t|curve (error bars)", "t|marker"]


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


def test_an_update_builds_no_model_and_sends_only_what_changed():
    drawing = Drawing(panels(), frames(), name="t")
    document = served(drawing)
    models = {model.id for model in document.models}
    events = []
    document.on_change(lambda event: events.append(event))
    drawing.update(panels(), frames(position=3.0), {"marker"})
    assert {model.id for model in document.models} == models
    data = [event for event in events if isinstance(event, ColumnDataChangedEvent)]
    assert [event.model.name for event in data] == ["t|marker"]
    assert sorted(data[0].cols) == ["x", "y"]
    events.clear()
    moved = frames(position=3.0)
    moved["curve"]["y"] += 1.0  # y changes, x and y_err do not
    drawing.update(panels(), moved, {"curve"})
    columns = {
        event.model.name: sorted(event.cols)
        for event in events
        if isinstance(event, ColumnDataChangedEvent)
    }
    assert columns == {"t|curve": ["y"], "t|curve (error bars)": ["lower", "upper"]}
    assert not [e for e in events if isinstance(e, ModelChangedEvent) and e.attr == "text"]


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


@pytest.mark.parametrize("logarithmic", [False, True])
def test_mesh_cells_tile_the_plane_around_their_centres(logarithmic):
    x = np.geomspace(1e-3, 10.0, 7) if logarithmic else np.linspace(0.0, 6.0, 7)
    y = np.array([1.0, 2.0, 4.0])
    xs, ys = np.meshgrid(x, y)
    frame = pd.DataFrame({"x": xs.ravel(), "y": ys.ravel(), "code": np.arange(xs.size) % 3})
    scale = ColourScale(("red", "green", "blue"), "code", -0.5, 2.5, ("a", "b", "c"))
    layer = mesh("cells", "x", "y", "code", "cells", scale)
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
    panel = Panel("map", "x", "y", (mesh("cells", "x", "y", "code", "cells", scale),), legend=None)
    cells = Drawing([panel], {"cells": frame}, name="t").figures[0].select_one({"name": "cells"})
    edges = {key: list(cells.data_source.data[key]) for key in ("left", "right", "bottom", "top")}
    assert edges == {"left": [2.5], "right": [3.5], "bottom": [1.5], "top": [2.5]}


def test_a_legend_below_the_plot_adds_its_rows_to_the_height():
    layers = (line("curve", "x", "y", "a"), markers("marker", "x", "y", "b"))
    heights = {}
    for legend in ("top_right", "below"):
        panel = Panel("t", "x", "y", layers, legend=legend)
        heights[legend] = Drawing([panel], frames(), name="t", height=300).figures[0].height
    assert heights["top_right"] == 300
    assert heights["below"] == 300 + 2 * LEGEND_ROW_PX + 16  # two entries


def test_a_layer_of_unknown_kind_or_without_its_frame_is_refused():
    with pytest.raises(ValueError, match="kind='area' is not a layer kind"):
        Layer("area", "curve", "x", "y")
    with pytest.raises(ValueError, match="needs the name of a frame"):
        Layer("line", None, "x", "y")


def test_tooltips_give_numbers_with_seven_digits_and_no_internal_codes():
    from bokeh.models import HoverTool

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
    for tool in tools:
        if isinstance(tool, HoverTool):
            formatted = {field.split("}{")[0] + "}" for _, field in tool.tooltips if "}{" in field}
            assert set(tool.formatters) == formatted
            assert set(tool.formatters.values()) <= {"printf"}
