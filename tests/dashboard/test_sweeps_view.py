"""The Sweeps explorer, in process: it draws exactly the stored Dataset, only from its
directory, with controls generated from the file, and every hostile file is a message.

The sweep files are written here with xarray in the layout ``qgas sweep`` writes
(``qgas/sweeps/dataset.py``): one dimension per swept parameter with ``units`` and
``long_name``, fixed parameters as scalar coordinates, data variables with units, provenance
attributes. Expected values are read back from those files with xarray, independently of the
view.
"""

from __future__ import annotations

import html
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import panel as pn
import param
import pytest
import xarray as xr
from bokeh.models import (
    ColorBar,
    ColumnDataSource,
    GlyphRenderer,
    Legend,
    Line,
    LinearColorMapper,
    LogColorMapper,
    Scatter,
)

from dashboard import sweep_explorer
from dashboard.views import sweeps
from dashboard.views.sweeps import SweepsView, curve_colours, sweep_files

ROOT = Path(__file__).resolve().parents[2]


def _coord(name, values, long_name, units):
    return (name, np.asarray(values), {"long_name": long_name, "units": units})


def _write(directory: Path, name: str, dims: dict, values: np.ndarray, **extra) -> Path:
    """A sweep file: dims = {name: (values, long_name, units)}, one variable ``v``."""
    coords = {dim: _coord(dim, *spec) for dim, spec in dims.items()}
    coords["seed_free"] = ((), 1.5, {"long_name": "a fixed parameter", "units": "1"})
    variable = extra.pop("variable", "v")
    attrs = extra.pop("variable_attrs", {"long_name": "observable value", "units": "n^2"})
    dataset = xr.Dataset(
        {variable: (list(dims), values, attrs)},
        coords,
        {"title": extra.pop("title", f"sweep {name}"), "observable": "test.observable"},
    )
    path = directory / name
    dataset.to_netcdf(path, engine="h5netcdf", **extra)
    return path


GAMMA = np.logspace(-2, 2, 9)
METHODS = ["energy", "sigma"]
TD = np.logspace(-1, 3, 11)
T = np.linspace(0.0, 10.0, 41)


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("sweeps")
    gamma = (GAMMA, "coupling gamma = c/n", "1")
    _write(directory, "a_one.nc", {"gamma": gamma}, 1.0 / (1.0 + GAMMA))
    two = np.stack([1.0 / (1.0 + GAMMA), 2.0 / (1.0 + GAMMA)], axis=1)
    _write(directory, "b_two.nc", {"gamma": gamma, "method": (METHODS, "route", "1")}, two)
    u, td, d = np.linspace(0.0, 6.0, 7), TD, np.array([1, 2, 3])
    three = u[:, None, None] + 10 * np.log10(td)[None, :, None] + 100 * d[None, None, :]
    _write(
        directory,
        "c_three.nc",
        {
            "U_over_ER": (u, "lattice depth U/E_R", "E_R"),
            "TD_over_EK": (td, "Debye temperature T_D/E_K", "E_K"),
            "d": (d, "space dimension", "1"),
        },
        three,
    )
    # r0/a-like values from 0.07 to 130: they span more than three decades
    ratio = 0.07 * (TD[:, None] / TD[0]) ** 0.82 * (1 + T[None, :] / 10)
    _write(
        directory,
        "d_decades.nc",
        {"TD_over_EK": (TD, "Debye temperature", "E_K"), "T_over_EK": (T, "temperature", "E_K")},
        ratio,
    )
    outside = tmp_path_factory.mktemp("elsewhere") / "secret.nc"
    outside.write_bytes((directory / "a_one.nc").read_bytes())
    (directory / "link.nc").symlink_to(outside)
    return directory


def _view(directory, **params) -> SweepsView:
    view = SweepsView(directory=directory, **params)
    view.__panel__()
    return view


def _sources(view, points: bool = False) -> dict[str, dict]:
    """The drawn data sources, by name (``sweeps|…``): the curves' (or heat map's), or with
    ``points`` the markers of the computed values (``sweeps|… (points)``)."""
    return {
        source.name: source.data
        for source in view._figure.select(type=ColumnDataSource)
        if str(source.name).startswith("sweeps|")
        and str(source.name).endswith(" (points)") == points
    }


def _held_widgets(view) -> dict[str, pn.widgets.Widget]:
    return dict(zip(view._held_names, view._held_controls.objects, strict=True))


def _stored(directory, name) -> xr.DataArray:
    return xr.load_dataset(directory / name, engine="h5netcdf")["v"]


def _text(value: str) -> str:
    """What a reader sees of an HTML fragment: the text with entities resolved."""
    return html.unescape(value)


# ---------------------------------------------------------------------- files and widgets
def test_lists_only_regular_netcdf_files_of_its_directory(sweep_dir):
    assert sweep_files(sweep_dir) == ["a_one.nc", "b_two.nc", "c_three.nc", "d_decades.nc"]


def test_one_dimension_a_curve_with_no_held_control(sweep_dir):
    view = _view(sweep_dir, file="a_one.nc")
    assert view.error_message == ""
    assert (view.variable, view.kind, view.x) == ("v", "curve", "gamma")
    assert view._held_controls.objects == []
    (curve,) = _sources(view).values()
    np.testing.assert_array_equal(curve["y"], _stored(sweep_dir, "a_one.nc").values)
    figure = view._figure
    assert figure.xaxis[0].axis_label.text == "coupling gamma = c/n"  # unit "1": none shown
    assert figure.yaxis[0].axis_label.text == "observable value [n^2]"
    assert figure.x_scale.__class__.__name__ == "LogScale"  # γ spans four decades


def test_two_dimensions_a_choice_for_labels_and_an_overlay(sweep_dir):
    view = _view(sweep_dir, file="b_two.nc")
    stored = _stored(sweep_dir, "b_two.nc")
    (choice,) = _held_widgets(view).values()
    assert isinstance(choice, pn.widgets.Select)
    assert list(choice.options.values()) == METHODS
    choice.value = "sigma"
    (curve,) = _sources(view).values()
    np.testing.assert_array_equal(curve["y"], stored.sel({"method": "sigma"}).values)
    view.kind = "overlay"
    assert view.overlay == "method" and view._held_controls.objects == []
    sources = _sources(view)
    for method in METHODS:
        np.testing.assert_array_equal(
            sources[f"sweeps|method = {method}"]["y"], stored.sel({"method": method}).values
        )
    (legend,) = view._figure.select(type=Legend)
    assert [item.label.value for item in legend.items] == METHODS
    assert legend.title == "route"  # the dimension's long name (unit "1": none shown)
    assert legend in view._figure.below  # not beside the plot: a phone keeps its width
    view.kind = "heat map"  # "method" holds labels: no second numeric axis
    assert view.kind == "curve" and "heat map needs two numeric" in view.summary_line


def test_three_dimensions_a_slider_per_held_dimension_and_a_heat_map(sweep_dir):
    view = _view(sweep_dir, file="c_three.nc")
    stored = _stored(sweep_dir, "c_three.nc")
    widgets = _held_widgets(view)
    assert set(widgets) == {"TD_over_EK", "d"}
    assert all(isinstance(w, pn.widgets.DiscreteSlider) for w in widgets.values())
    np.testing.assert_allclose(list(widgets["TD_over_EK"].options.values()), TD)
    assert list(widgets["d"].options.values()) == [1, 2, 3]
    with param.edit_constant(widgets["d"]):  # a released slider (updates on release)
        widgets["d"].param.update(value=3, value_throttled=3)
    (curve,) = _sources(view).values()
    np.testing.assert_array_equal(curve["y"], stored.isel(TD_over_EK=0).sel(d=3).values)
    view.param.update(kind="heat map", x="U_over_ER", y="TD_over_EK")
    assert list(_held_widgets(view)) == ["d"] and view.held == {"d": 3}
    cells = {k: np.asarray(v) for k, v in _sources(view)["sweeps|heat map"].items()}
    order = np.lexsort((cells["left"], cells["bottom"]))  # rows of y, each along x
    np.testing.assert_array_equal(
        cells["z"][order].reshape(TD.size, 7),
        stored.sel(d=3).transpose("TD_over_EK", "U_over_ER").values,
    )
    u = np.linspace(0.0, 6.0, 7)  # each cell contains its grid point
    assert np.all((np.unique(cells["left"]) < u) & (u < np.unique(cells["right"])))
    assert np.all((np.unique(cells["bottom"]) < TD) & (TD < np.unique(cells["top"])))
    assert view.current_data["sweep"].shape == (TD.size * 7, 3)
    view.held = {"d": 2.0}  # as the URL gives it
    assert _held_widgets(view)["d"].value == 2
    assert "Held at: space dimension = 2." in _text(view.summary_line)


def test_a_held_name_the_variable_lacks_is_named_with_the_held_dimensions(sweep_dir):
    """QA: sweeps_held={"nope": 1} (or a typo) was dropped without a word."""
    view = _view(sweep_dir, file="c_three.nc", kind="heat map", held={"nope": 1})
    shown = _text(view.summary_line)
    assert "nope = 1 is not a dimension of this variable (held dimensions: space dimension)" in (
        shown
    )


def test_held_value_not_stored_falls_back_with_a_note(sweep_dir):
    view = _view(sweep_dir, file="c_three.nc", kind="heat map", held={"d": 7})
    assert view.held == {"d": 1}
    # the file's long name, not the variable's name "d"
    assert "space dimension = 7 is not a stored value" in _text(view.summary_line)


# ---------------------------------------------------------------------- scales and colours
def test_log_colour_for_values_spanning_decades_linear_otherwise(sweep_dir):
    view = _view(sweep_dir, file="d_decades.nc", kind="heat map")
    assert (view.x, view.y) == ("TD_over_EK", "T_over_EK")
    (mapper,) = view._figure.select(type=LogColorMapper)  # 0.07 … 130
    assert mapper is not None
    view.file = "c_three.nc"  # values 0 … 336 (zero included): linear
    assert view._figure.select(type=LogColorMapper) == []
    assert len(view._figure.select(type=LinearColorMapper)) == 1


def test_many_curves_get_distinct_colours_and_a_colour_bar(sweep_dir):
    view = _view(sweep_dir, file="d_decades.nc", kind="overlay")
    assert (view.x, view.overlay) == ("TD_over_EK", "T_over_EK")
    renderers = [r for r in view._figure.renderers if isinstance(r, GlyphRenderer)]
    lines = [r for r in renderers if isinstance(r.glyph, Line)]
    points = [r for r in renderers if isinstance(r.glyph, Scatter)]
    assert len(lines) == len(points) == T.size  # each curve with its computed points marked
    colours = [r.glyph.line_color for r in lines]
    assert len(set(colours)) == T.size  # T = 0, 1.25, 2.5 included
    assert [r.glyph.fill_color for r in points] == colours
    (bar,) = view._figure.select(type=ColorBar)
    assert bar.color_mapper.low == 0.0 and bar.color_mapper.high == 10.0
    assert bar.title.text == "temperature [E_K]"


def test_labels_get_distinct_colours_beyond_the_default_cycle():
    labels = np.array([f"preset {i}" for i in range(25)])
    assert len(set(curve_colours(labels))) == 25
    assert len(set(curve_colours(np.linspace(0.0, 10.0, 64)))) == 64


# ---------------------------------------------------------------------- axes
def test_x_never_equals_y_and_defaults_reset_after_switching_file(sweep_dir):
    view = _view(sweep_dir, file="d_decades.nc", kind="heat map")
    view.param.update(x="T_over_EK", y="T_over_EK")  # e.g. from a URL
    assert view.x != view.y and view.error_message == ""
    view.file = "c_three.nc"
    assert view.error_message == ""
    assert (view.x, view.y) == ("U_over_ER", "TD_over_EK") and view.held == {"d": 1}
    view.param.update(x="TD_over_EK", y="U_over_ER")
    view.file = "a_one.nc"  # one dimension: a heat map is impossible
    assert (view.kind, view.x, view.y) == ("curve", "gamma", None)
    assert view.error_message == ""


# ---------------------------------------------------------------------- hostile files
@pytest.fixture
def hostile_dir(tmp_path):
    good = _write(tmp_path, "z_good.nc", {"gamma": (GAMMA, "coupling", "1")}, GAMMA)
    (tmp_path / "garbage.nc").write_bytes(os.urandom(4096))
    (tmp_path / "empty.nc").write_bytes(b"")
    (tmp_path / "truncated.nc").write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    xr.Dataset({"a": ((), 1.0)}).to_netcdf(tmp_path / "no_dims.nc", engine="h5netcdf")
    xr.Dataset(coords={"g": ("g", [1.0, 2.0])}).to_netcdf(
        tmp_path / "no_vars.nc", engine="h5netcdf"
    )
    # QA: an empty dimension gave an IndexError (2-D) or a blank view (1-D); repeated
    # coordinates a vertical segment
    xr.Dataset(
        {"e": (("g", "h"), np.zeros((3, 0)))}, coords={"g": [1.0, 2.0, 3.0], "h": np.zeros(0)}
    ).to_netcdf(tmp_path / "x_empty_dim.nc", engine="h5netcdf")
    xr.Dataset({"e": ("g", np.zeros(0))}, coords={"g": np.zeros(0)}).to_netcdf(
        tmp_path / "x_empty_1d.nc", engine="h5netcdf"
    )
    xr.Dataset({"e": ("g", np.arange(4.0))}, coords={"g": [1.0, 1.0, 2.0, 3.0]}).to_netcdf(
        tmp_path / "x_repeated.nc", engine="h5netcdf"
    )
    big = np.zeros((2000, 1000))  # 2·10⁶ values, a few kB compressed
    _write(
        tmp_path,
        "huge.nc",
        {"a": (np.arange(2000.0), "a", "1"), "b": (np.arange(1000.0), "b", "1")},
        big,
        encoding={"v": {"zlib": True, "complevel": 9}},
    )
    return tmp_path


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("garbage.nc", "not a readable NetCDF-4 sweep file"),
        ("empty.nc", "not a readable NetCDF-4 sweep file"),
        ("truncated.nc", "not a readable NetCDF-4 sweep file"),
        ("no_dims.nc", "no dimensions"),
        ("no_vars.nc", "no numeric data variable"),
        ("huge.nc", "has 2,000,000 values; the server opens at most 1,000,000"),
        ("x_empty_dim.nc", "dimension 'h' has no values"),
        ("x_empty_1d.nc", "dimension 'g' has no values"),
        ("x_repeated.nc", "dimension 'g' has repeated coordinates"),
    ],
)
def test_a_hostile_file_is_a_message_and_the_view_keeps_working(hostile_dir, name, message):
    view = _view(hostile_dir, file=name)
    shown = _text(view.error_message)
    assert message in shown and "Choose another file" in shown
    assert "Traceback" not in shown
    assert view._plots.objects == [] and view._held_controls.objects == []
    assert view.param.file.objects == sweep_files(hostile_dir)
    view.file = "z_good.nc"
    assert view.error_message == ""
    (curve,) = _sources(view).values()
    np.testing.assert_array_equal(curve["y"], GAMMA)


def test_a_view_opens_on_a_netcdf_file_not_on_an_empty_or_foreign_one(hostile_dir):
    """QA: an empty .nc first in the directory opened the tab on an error."""
    view = _view(hostile_dir)
    assert sweep_files(hostile_dir)[:2] == ["empty.nc", "garbage.nc"]
    assert view.file not in ("empty.nc", "garbage.nc")
    view.file = "empty.nc"
    assert "cannot be shown" in view.error_message
    view.file = "z_good.nc"
    assert view.error_message == "" and len(view._plots.objects) == 1


def test_oversized_variable_is_refused_from_metadata_before_any_value_is_read(
    hostile_dir, monkeypatch
):
    def opened(*args, **kwargs):
        raise AssertionError("xarray opened the file")

    monkeypatch.setattr(sweep_explorer.xr, "open_dataset", opened)
    view = _view(hostile_dir, file="huge.nc")
    assert "2,000,000 values" in _text(view.error_message)


def test_file_and_selection_size_limits(hostile_dir, monkeypatch):
    monkeypatch.setattr(sweep_explorer, "MAX_FILE_BYTES", 1024)
    view = _view(hostile_dir, file="z_good.nc")
    assert "the server opens sweep files of at most" in _text(view.error_message)
    monkeypatch.undo()
    path = _write(
        hostile_dir,
        "grid.nc",
        {"a": (np.arange(1.0, 41.0), "a", "1"), "b": (np.arange(1.0, 31.0), "b", "1")},
        np.ones((40, 30)),
    )
    monkeypatch.setattr(sweep_explorer, "MAX_PLOTTED_VALUES", 1000)
    view = _view(hostile_dir, file=path.name, kind="heat map")
    assert "this selection has 1,200 values (30 × 40)" in _text(view.error_message)
    assert view._plots.objects == [] and view.x == "a"  # the controls stay usable
    view.kind = "curve"
    assert view.error_message == "" and len(view._plots.objects) == 1


def test_markup_in_a_file_is_shown_as_literal_text(tmp_path):
    image = "![x](http://127.0.0.1:5899/x.png)"
    link = "[click](http://evil)"
    script = "<script>alert(1)</script>"
    _write(
        tmp_path,
        "markup.nc",
        {"g": (GAMMA, link, script), "m": (["a", script], image, "1")},
        np.ones((GAMMA.size, 2)),
        title=image,
        variable_attrs={"long_name": link, "units": "$$\\frac{1}{0}$$"},
    )
    view = _view(tmp_path, file="markup.nc")
    summary = view.summary_line
    for markup in ("<img", "<a ", "<script", "href"):
        assert markup not in summary
    assert image in _text(summary)
    slider_or_choice = view._held_controls.objects[0]
    assert slider_or_choice.label == image  # a Select title is plain text
    figure = view._figure
    # Bokeh PlainText: never parsed as TeX or HTML (the title names the variable plotted)
    assert " ".join(figure.title.text.text.split()) == f"{link} [$$\\frac{{1}}{{0}}$$]"
    assert figure.yaxis[0].axis_label.text == f"{link} [$$\\frac{{1}}{{0}}$$]"
    assert type(figure.yaxis[0].axis_label).__name__ == "PlainText"
    view.param.update(kind="overlay", x="g")
    assert view.error_message == ""
    (bad,) = [s for s in _sources(view) if "script" in s]
    view.param.update(kind="curve")
    view.held = {"m": script}
    assert view.error_message == ""
    assert "<script" not in view.summary_line and script in _text(view.summary_line)
    assert bad


def test_names_outside_the_listing_are_refused(sweep_dir):
    view = SweepsView(directory=sweep_dir)
    for name in ("../elsewhere/secret.nc", "/etc/passwd", "link.nc"):
        with pytest.raises(ValueError):
            view.file = name
    assert view.file == "a_one.nc"


def test_empty_directory_says_how_to_make_a_sweep(tmp_path):
    view = _view(tmp_path)
    assert view.error_message == ""
    assert "qgas sweep" in view.summary(view.current_data)


def test_empty_directory_shows_no_server_path_to_students(tmp_path, monkeypatch):
    summary = html.unescape(_view(tmp_path).summary({}))
    assert str(tmp_path) not in summary and "server’s sweep directory" in summary
    monkeypatch.setattr(sweeps, "SWEEPS_PACKAGE_ROOT", tmp_path.parent)
    summary = html.unescape(_view(tmp_path).summary({}))
    assert str(tmp_path) not in summary and f"sweep directory {tmp_path.name}." in summary


# ---------------------------------------------------------------------- import cost
def test_a_session_that_never_opens_sweeps_does_not_import_holoviews(sweep_dir):
    code = (
        "import sys\n"
        "from dashboard.assembly import build_app\n"
        "app = build_app(show=False)\n"
        "app.show('phase_map')\n"
        "assert app.views['phase_map'].error_message == ''\n"
        "print('before', 'holoviews' in sys.modules)\n"
        "app.show('sweeps')\n"
        "assert app.views['sweeps'].error_message == ''\n"
        "print('after', 'holoviews' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "QGAS_SWEEPS_DIR": str(sweep_dir)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["before", "False", "after", "True"]


def test_a_categorical_variable_is_drawn_in_steps_with_its_names_on_the_axis(tmp_path):
    names = ["conducting", "insulating", "crystal"]
    codes = np.array([0, 0, 1, 1, 2, 2, 2, 1, 0])
    _write(
        tmp_path,
        "states.nc",
        {"gamma": (GAMMA, "coupling gamma", "1")},
        codes,
        variable_attrs={"long_name": "state", "units": "1", "category_labels": "; ".join(names)},
    )
    view = _view(tmp_path, file="states.nc")
    (curve,) = _sources(view).values()
    (points,) = _sources(view, points=True).values()  # the computed values marked
    np.testing.assert_array_equal(points["y"], codes)
    # steps: each code holds flat around its grid point, no sloped segment joins two codes
    assert len(curve["y"]) > len(codes)
    assert set(np.asarray(curve["y"])) == set(codes)
    axis = view._figure.yaxis[0]
    assert list(axis.ticker.ticks) == [0, 1, 2]
    assert [axis.major_label_overrides[i].text for i in range(3)] == names
    assert "Codes" not in view.summary_line


def test_lattice_states_keep_their_phase_map_colours_in_a_heat_map(tmp_path):
    """QA: the insulating lattice was green on the phase map and orange in Sweeps."""
    from dashboard.colours import STATE_COLOURS
    from physics import lattice

    depths, debye = np.array([0.1, 1.0, 10.0]), np.array([0.1, 10.0, 1000.0])
    codes = np.arange(9).reshape(3, 3) % len(lattice.STATES)
    _write(
        tmp_path,
        "states.nc",
        {"U_over_ER": (depths, "lattice depth", "1"), "TD_over_EK": (debye, "Debye", "1")},
        codes,
        variable_attrs={
            "long_name": "lattice state",
            "units": "1",
            "category_labels": "; ".join(lattice.STATES),
        },
    )
    view = _view(tmp_path, file="states.nc", kind="heat map")
    (mapper,) = view._figure.select(type=LinearColorMapper)
    assert list(mapper.palette) == list(STATE_COLOURS)


# ---------------------------------------------------------------------- what people read
def test_choices_and_summary_show_the_files_labels_with_units(sweep_dir):
    """Issue 17: the selects and the summary showed TD_over_EK, gamma, method, d."""
    view = _view(sweep_dir, file="c_three.nc", kind="heat map")
    widgets = view._axis_widgets
    depth, debye = "lattice depth U/E_R [E_R]", "Debye temperature T_D/E_K [E_K]"
    assert dict(widgets["variable"].options) == {"observable value [n^2]": "v"}
    assert dict(widgets["x"].options) == {
        depth: "U_over_ER",
        debye: "TD_over_EK",
        "space dimension": "d",
    }
    assert dict(widgets["y"].options) == {debye: "TD_over_EK", "space dimension": "d"}  # no X
    assert (view.x, view.y) == ("U_over_ER", "TD_over_EK")  # the values stay the names
    shown = _text(view.summary_line)
    assert "Fixed: a fixed parameter = 1.5." in shown and "Held at: space dimension = 1." in shown
    assert "seed_free" not in shown and "d = 1" not in shown
    view.kind = "overlay"
    assert dict(widgets["overlay"].options) == {debye: "TD_over_EK", "space dimension": "d"}
    (bar,) = view._figure.select(type=ColorBar)
    assert bar.title.text == "Debye temperature T_D/E_K [E_K]"


def test_names_without_attributes_are_shown_as_they_are_and_shared_labels_apart(tmp_path):
    xr.Dataset(
        {"v": (("a", "b"), np.ones((3, 2)))},
        {"a": ("a", [1.0, 2.0, 3.0]), "b": ("b", [1.0, 2.0], {"long_name": "same"})},
    ).to_netcdf(tmp_path / "bare.nc", engine="h5netcdf")
    _write(
        tmp_path,
        "twins.nc",
        {"p": ([1.0, 2.0], "coupling", "1"), "q": ([1.0, 2.0, 3.0], "coupling", "1")},
        np.ones((2, 3)),
    )
    view = _view(tmp_path, file="bare.nc")
    assert dict(view._axis_widgets["x"].options) == {"a": "a", "same": "b"}
    assert dict(view._axis_widgets["variable"].options) == {"v": "v"}
    view.file = "twins.nc"
    assert dict(view._axis_widgets["x"].options) == {"coupling (p)": "p", "coupling (q)": "q"}


# ---------------------------------------------------------------------- axes from a URL
def test_a_urls_y_alone_is_kept_and_x_moves_aside(sweep_dir):
    """Issue 17: sweeps_y naming the default X replaced the Y the link asked for."""
    view = _view(sweep_dir, file="d_decades.nc")
    view.param.update(kind="heat map", y="TD_over_EK")  # as a URL gives them
    assert (view.x, view.y) == ("T_over_EK", "TD_over_EK")
    assert "Note" not in _text(view.summary_line) and view.error_message == ""


def test_a_urls_x_equal_to_y_keeps_x_and_names_the_replaced_y(sweep_dir):
    view = _view(sweep_dir, file="d_decades.nc")
    view.param.update(kind="heat map", x="T_over_EK", y="T_over_EK")
    assert (view.x, view.y) == ("T_over_EK", "TD_over_EK") and view.error_message == ""
    shown = _text(view.summary_line)
    assert (
        "Note: Y = temperature [E_K] is on X already (valid: Debye temperature [E_K]): "
        "Debye temperature [E_K] shown." in shown
    )
    view.x = "TD_over_EK"  # X moved: Y shows what the link asked for, and the note goes
    assert (view.x, view.y) == ("TD_over_EK", "T_over_EK")
    assert "Note" not in _text(view.summary_line)


def test_axes_given_with_a_new_file_stay_distinct(sweep_dir):
    """Issue 17: a file switch that carried Y reset X onto that same dimension."""
    view = _view(sweep_dir, file="c_three.nc", kind="heat map", x="TD_over_EK", y="d")
    view.param.update(file="d_decades.nc", y="TD_over_EK")
    assert (view.x, view.y) == ("T_over_EK", "TD_over_EK")
    assert "Note" not in _text(view.summary_line) and view.error_message == ""
    view.param.update(file="c_three.nc", x="d", y="d")
    assert (view.x, view.y) == ("d", "U_over_ER")
    assert "Y = space dimension is on X already" in _text(view.summary_line)


def test_a_sweeps_url_with_x_equal_to_y_ends_with_distinct_axes_and_a_note(sweep_dir, monkeypatch):
    from bokeh.document import Document
    from panel.io.state import set_curdoc

    from dashboard.assembly import DashboardApp

    monkeypatch.setattr(sweeps, "SWEEPS_DIRECTORY", sweep_dir)
    query = "?view=sweeps&sweeps_file=d_decades.nc&sweeps_kind=heat+map&sweeps_x=TD_over_EK"
    app = DashboardApp()
    with set_curdoc(Document()):
        pn.state.location.search = query + "&sweeps_y=TD_over_EK"
        app.sync_url()
        view = app.views["sweeps"]
        assert (view.x, view.y) == ("TD_over_EK", "T_over_EK") and view.error_message == ""
        assert "Y = Debye temperature [E_K] is on X already" in _text(view.summary_line)


# ---------------------------------------------------------------------- held dimensions
def test_a_dimension_too_long_for_a_control_is_not_said_to_be_held(tmp_path):
    """Issue 17: 2,001 labels, no control, and the summary said "Held at: preset = p0"."""
    labels = [f"p{i}" for i in range(2001)]
    _write(
        tmp_path,
        "presets.nc",
        {"gamma": (GAMMA, "coupling", "1"), "preset": (labels, "preset name", "1")},
        np.ones((GAMMA.size, len(labels))),
    )
    view = _view(tmp_path, file="presets.nc")
    shown = _text(view.summary_line)
    assert ": sweep presets.nc (test.observable).<br />" in shown  # no "qgas ?, ?"
    assert "Held at" not in shown
    assert "preset name (2,001 values)" in shown and "at most 2,000" in shown
    assert "preset name has 2,001 values" in _text(view.error_message)
    assert view._held_controls.objects == []


# ---------------------------------------------------------------------- phones
@pytest.mark.parametrize(
    ("name", "kind"),
    [("d_decades.nc", "heat map"), ("d_decades.nc", "overlay"), ("b_two.nc", "overlay")],
)
def test_colour_bars_and_legends_go_below_a_data_area_of_fixed_height(sweep_dir, name, kind):
    """Issue 17: on a 390 px phone a colour bar or legend beside the plot left the data
    ~130–200 px of the width, in a figure of fixed total height."""
    view = _view(sweep_dir, file=name, kind=kind)
    figure = view._figure
    assert figure.frame_height >= 300 and figure.sizing_mode == "stretch_width"
    beside = [m for m in (*figure.right, *figure.left) if isinstance(m, ColorBar | Legend)]
    below = [m for m in figure.below if isinstance(m, ColorBar | Legend)]
    assert beside == [] and len(below) == 1


def test_choices_of_a_drawn_page_never_overwrite_the_axes_a_link_gives(sweep_dir, monkeypatch):
    """Issue 17: on a served page a Select linked to X or Y wrote its first option (of the
    previous file) into a value not among its options: a link's axes for a new file were
    lost, and X and Y both became the previous file's first dimension."""
    from bokeh.document import Document

    view = _view(sweep_dir, file="d_decades.nc", kind="heat map")
    view.__panel__().get_root(Document())  # the Bokeh models a browser would show
    monkeypatch.setattr(view, "_update", lambda: None)  # served: computed in a worker thread
    view.param.update(file="c_three.nc", x="U_over_ER", y="d")  # the choices still offer
    monkeypatch.undo()  # d_decades' dimensions while c_three is read
    view._update()
    assert (view.x, view.y) == ("U_over_ER", "d") and view.error_message == ""
    assert "Note" not in _text(view.summary_line)
    widgets = view._axis_widgets
    assert (widgets["x"].value, widgets["y"].value) == ("U_over_ER", "d")
    widgets["y"].value = "TD_over_EK"  # a person's pick still sets the input
    assert view.y == "TD_over_EK" and view.held == {"d": 1}


def test_long_titles_below_the_plot_are_broken_into_lines_a_phone_shows(tmp_path):
    """A legend title of 64 characters ran off a 390 px phone (about 8 px a character)."""
    route = "route: 'energy' (Eq. 21 from e(gamma)) or 'sigma' (Eqs. 13, 16)"
    _write(
        tmp_path,
        "long.nc",
        {"g": (GAMMA, "coupling", "1"), "m": (METHODS, route, "1")},
        np.ones((GAMMA.size, 2)),
    )
    view = _view(tmp_path, file="long.nc", kind="overlay", x="g")
    (legend,) = view._figure.select(type=Legend)
    lines = legend.title.split("\n")
    assert " ".join(lines) == route and max(len(line) for line in lines) * 8 <= 300


@pytest.mark.parametrize("kind", ["curve", "overlay"])
def test_the_first_and_last_computed_points_are_inside_the_frame(sweep_dir, kind):
    """The axes ended at the outermost computed points, whose markers were cut in half by
    the frame's edges (a sweep from γ = 0.1 showed its first value as a half dot)."""
    view = _view(sweep_dir, file="b_two.nc", kind=kind, x="gamma")
    figure = view._figure
    assert figure.x_range.start < GAMMA.min() and figure.x_range.end > GAMMA.max()
    values = np.concatenate([1.0 / (1.0 + GAMMA), 2.0 / (1.0 + GAMMA)])
    shown = values if kind == "overlay" else 1.0 / (1.0 + GAMMA)
    assert figure.y_range.start < shown.min() and figure.y_range.end > shown.max()


def test_an_overlay_says_which_curves_hide_each_other(tmp_path):
    """QA: the polaron sweep's two routes agree to 1e-15, so 'energy' lay under 'sigma' and
    the legend named a curve nobody could see. The summary names the coincident pair (with
    their difference), not a curve 10 % away."""
    base = 1.0 / (1.0 + GAMMA)
    values = np.stack([base, base * (1 + 1e-12), 1.1 * base], axis=1)
    routes = ["energy", "sigma", "**other**"]
    _write(
        tmp_path,
        "routes.nc",
        {"gamma": (GAMMA, "coupling", "1"), "method": (routes, "route", "1")},
        values,
    )
    view = _view(tmp_path, file="routes.nc", kind="overlay", x="gamma")
    summary = view.summary_line
    assert (
        "The curves energy and sigma lie on top of each other (largest difference 10⁻¹² relative)."
        in _text(summary)
    )
    assert "1 more" not in summary and summary.count("lie on top") == 1
    view.param.update(kind="curve")
    assert "lie on top" not in view.summary_line


def test_a_variable_with_no_finite_value_shown_says_so(tmp_path):
    """QA: a decay-length sweep where the power law won everywhere (ξ = inf at every point)
    drew empty 0–1 axes with no word; a variable with finite values has no such line."""
    _write(tmp_path, "a_inf.nc", {"gamma": (GAMMA, "coupling", "1")}, np.full(GAMMA.size, np.inf))
    _write(tmp_path, "b_fine.nc", {"gamma": (GAMMA, "coupling", "1")}, GAMMA)
    view = _view(tmp_path, file="a_inf.nc")
    text = view.summary(view.data())
    assert f"Nothing to draw: all {GAMMA.size} values shown are inf" in text
    view.file = "b_fine.nc"
    assert "Nothing to draw" not in view.summary(view.data())
