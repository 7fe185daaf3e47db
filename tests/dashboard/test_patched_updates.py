"""A moved slider must draw what a page opened at the new value draws.

Most slider moves build no Bokeh model: the view updates its figures in place (new frames
written into their data sources, titles and legend labels set where they differ;
``dashboard.plotting.Drawing.update``). Two independent routes must then agree, for every
view and every input it has:

1. a page built at the defaults, whose input is then moved (updated in place where the
   structure of the plots allows);
2. a page built from scratch with the moved value.

Compared: every data source of the view (by name, column by column), the figures' titles,
axis labels, legend labels and axis ranges (fitted to the data on the server).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import param
import pytest
from bokeh.document import Document
from bokeh.models import ColumnDataSource, Legend, Plot
from panel.io.state import set_curdoc

from dashboard.assembly import DashboardApp
from dashboard.views import VIEWS, load_view_class

GLOBAL_INPUTS = ("gamma", "disorder_strength", "lattice_depth")


def served_app() -> tuple[DashboardApp, Document]:
    """A dashboard rendered into a Bokeh document, as a served session renders it."""
    document = Document()
    with set_curdoc(document):
        app = DashboardApp()
        app.template.server_doc(document)
    return app, document


def next_value(owner: param.Parameterized, name: str) -> Any:
    """One slider step (or the next option) away from the current value, inside the bounds."""
    parameter = owner.param[name]
    value = getattr(owner, name)
    if isinstance(parameter, param.Selector):
        options = list(parameter.objects)
        return options[(options.index(value) + 1) % len(options)]
    if isinstance(parameter, param.Boolean):
        return not value
    low, high = parameter.softbounds or parameter.bounds
    step = parameter.step or (1 if isinstance(parameter, param.Integer) else (high - low) / 100)
    return value + step if value + step <= high else value - step


def ranges(plot: Plot) -> tuple[float, float, float, float]:
    return (plot.x_range.start, plot.x_range.end, plot.y_range.start, plot.y_range.end)


def drawn(document: Document, slug: str) -> dict[str, Any]:
    """What the view ``slug`` draws: its sources' data, and the texts of its figures."""
    sources = {
        model.name: {column: np.asarray(values) for column, values in model.data.items()}
        for model in document.models
        if isinstance(model, ColumnDataSource) and str(model.name).startswith(f"{slug}|")
    }
    texts = set()
    for model in document.models:
        if not isinstance(model, Plot):
            continue
        names = {str(r.data_source.name) for r in model.renderers if hasattr(r, "data_source")}
        if not any(name.startswith(f"{slug}|") for name in names):
            continue
        texts.add(("title", model.title.text if model.title is not None else ""))
        texts.add(
            ("ranges", model.title.text, *(round(float(value), 12) for value in ranges(model)))
        )
        for axis in (*model.xaxis, *model.yaxis):
            texts.add(("axis", str(axis.axis_label)))
        for legend in model.select(type=Legend):
            for item in legend.items:
                texts.add(("legend", str(item.label)))
    return {"sources": sources, "texts": texts}


def movable(parameter: param.Parameter) -> bool:
    """Whether a control moves this input: a slider, a toggle, or a choice of two or more."""
    if isinstance(parameter, param.Selector):
        return len(parameter.objects) > 1 and parameter.default in parameter.objects
    return isinstance(parameter, param.Boolean | param.Number)


def inputs_of(slug: str) -> list[tuple[str, str]]:
    """(owner, name) of every movable input of view ``slug``: "state" for a global one, else
    "view" (the sweeps view's choices are of files not present in a fresh checkout)."""
    view_class = load_view_class(slug)
    shared = [("state", name) for name in GLOBAL_INPUTS if name in view_class.state_dependencies]
    own = [name for name in view_class.own_parameters() if movable(view_class.param[name])]
    return shared + [("view", name) for name in own]


CASES = [(slug, owner, name) for slug in VIEWS for owner, name in inputs_of(slug)]


@pytest.mark.parametrize(("slug", "owner", "name"), CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_a_moved_input_draws_what_a_page_opened_there_draws(slug, owner, name):
    moved_app, moved_document = served_app()
    with set_curdoc(moved_document):
        view = moved_app.show(slug)
        target = moved_app.state if owner == "state" else view
        value = next_value(target, name)
        setattr(target, name, value)
        assert view.error_message == ""
    opened_app, opened_document = served_app()
    with set_curdoc(opened_document):
        opened_target = opened_app.state if owner == "state" else opened_app.views[slug]
        setattr(opened_target, name, value)
        opened_app.show(slug)
    moved, opened = drawn(moved_document, slug), drawn(opened_document, slug)
    assert moved["texts"] == opened["texts"]
    assert moved["sources"].keys() == opened["sources"].keys()
    for source, columns in opened["sources"].items():
        assert moved["sources"][source].keys() == columns.keys(), source
        for column, values in columns.items():
            shown = moved["sources"][source][column]
            if values.dtype.kind in "fc":
                np.testing.assert_allclose(shown, values, rtol=1e-12, err_msg=f"{source}:{column}")
            else:
                assert shown.tolist() == values.tolist(), f"{source}:{column}"
