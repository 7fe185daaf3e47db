"""Hostile sweep files and URLs found by QA: each gets one clear refusal or note, naming the
thing, its size and the limit, before the server reads values or builds a control.

Expected sizes follow from the files' declared shapes and data types (values × bytes per
value), not from the view's output.
"""

from __future__ import annotations

import html
import re
import urllib.parse

import h5netcdf
import numpy as np
import panel as pn
import pytest
import xarray as xr
from bokeh.document import Document
from panel.io.state import set_curdoc

from dashboard import sweep_explorer
from dashboard.views import sweeps
from dashboard.views.sweeps import SweepsView

GAMMA = np.logspace(-2, 2, 9)


def _view(directory, **params) -> SweepsView:
    view = SweepsView(directory=directory, **params)
    view.__panel__()
    return view


def _text(fragment: str) -> str:
    """What a reader sees of an HTML fragment: no tags, entities resolved."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def _never_read(monkeypatch) -> None:
    def opened(*args, **kwargs):
        raise AssertionError("xarray opened the file")

    monkeypatch.setattr(sweep_explorer.xr, "open_dataset", opened)


# ---------------------------------------------------------------------- decoded size
def test_a_compressed_byte_string_coordinate_is_refused_by_its_decoded_size(tmp_path, monkeypatch):
    """QA: 218 kB of gzip, 200 labels of dtype S1000000: 430 MB of server memory, 11 s."""
    with h5netcdf.File(tmp_path / "bomb.nc", "w") as file:
        file.dimensions = {"lab": 200}
        labels = file.create_variable(
            "lab", ("lab",), dtype="S1000000", compression="gzip", compression_opts=9
        )
        labels[...] = np.full(200, b"A" * 10, dtype="S1000000")
        file.create_variable("v", ("lab",), dtype="f8")[...] = np.arange(200.0)
    assert (tmp_path / "bomb.nc").stat().st_size < sweep_explorer.MAX_FILE_BYTES
    _never_read(monkeypatch)
    shown = _text(_view(tmp_path, file="bomb.nc").error_message)
    assert "bomb.nc" in shown and "'lab'" in shown
    assert f"{200 * 1_000_000:,} bytes" in shown  # 200 values × 10⁶ bytes each
    assert f"at most {8 * 1_000_000:,} bytes per variable" in shown  # 10⁶ float64 values
    assert "Choose another file" in shown


def test_a_huge_dimension_under_a_variable_of_no_values_is_refused_before_opening(
    tmp_path, monkeypatch
):
    """QA: an 8 kB file, a dimension of 10⁹ points under a variable of shape (10⁹, 0): every
    shape check passed (0 values), xarray built a 10⁹-point index and the server grew to
    22 GB before the kernel killed it, with every session on it."""
    with h5netcdf.File(tmp_path / "huge.nc", "w") as file:
        file.dimensions = {"big": 10**9, "zero": 0, "x": 3}
        file.create_variable("v", ("big", "zero"), float)
        file.create_variable("w", ("x",), float)[...] = [1.0, 2.0, 3.0]
    assert (tmp_path / "huge.nc").stat().st_size < 64 * 1024
    _never_read(monkeypatch)
    shown = _text(_view(tmp_path, file="huge.nc").error_message)
    assert "huge.nc" in shown and "'big'" in shown
    assert f"{10**9 + 3:,} points" in shown  # 10⁹ + 0 + 3 along the three dimensions
    assert f"at most {sweep_explorer.MAX_VARIABLE_ELEMENTS:,} in all" in shown


def test_variables_decoding_to_more_than_64_mib_together_are_refused(tmp_path, monkeypatch):
    """Nine variables of a million float64 values: each allowed, 72 MB together is not."""
    with h5netcdf.File(tmp_path / "many.nc", "w") as file:
        file.dimensions = {"n": 1_000_000}
        for k in range(9):
            variable = file.create_variable(f"v{k}", ("n",), dtype="f8", compression="gzip")
            variable[...] = np.zeros(1_000_000)
    _never_read(monkeypatch)
    shown = _text(_view(tmp_path, file="many.nc").error_message)
    assert f"{9 * 8 * 1_000_000:,} bytes" in shown
    assert f"at most {64 * 2**20:,} bytes per file" in shown


# ---------------------------------------------------------------------- controls
def _two_dimensional(directory, name, held_values, long_name="held"):
    """``v`` over x (3 numeric values) and ``h`` (``held_values``)."""
    xr.Dataset(
        {"v": (("x", "h"), np.ones((3, len(held_values))), {"units": "1"})},
        {"x": ("x", [1.0, 2.0, 3.0], {"long_name": "x"}), "h": ("h", held_values)},
        {"title": long_name},
    ).to_netcdf(directory / name, engine="h5netcdf")


def test_a_label_dimension_too_long_for_a_control_is_refused_before_a_widget(tmp_path):
    """QA: 100,000 labels made one 6 MB message; a control holds at most 2,000 values."""
    _two_dimensional(tmp_path, "labels.nc", [f"l{i}" for i in range(2001)])
    view = _view(tmp_path, file="labels.nc")
    shown = _text(view.error_message)
    assert "the dimension h has 2,001 values" in shown and "at most 2,000 values" in shown
    assert view._held_controls.objects == []  # no widget with 2,001 options
    assert view._plots.objects == []
    assert view.x == "x" and "x" in view.param.x.objects  # the other controls stay usable


def test_a_numeric_dimension_too_long_to_hold_goes_on_the_axis_and_is_refused_held(tmp_path):
    """QA: 400,000 slider stops made a 14.8 MB message."""
    _two_dimensional(tmp_path, "long.nc", np.arange(2001.0))
    view = _view(tmp_path, file="long.nc")
    assert view.error_message == "" and view.x == "h"  # not held: drawn along
    (slider,) = view._held_controls.objects
    assert len(slider.options) == 3
    view.x = "x"
    shown = _text(view.error_message)
    assert "the dimension h has 2,001 values" in shown and "at most 2,000 values" in shown
    assert view._held_controls.objects == []
    view.x = "h"
    assert view.error_message == "" and len(view._plots.objects) == 1


def test_a_control_of_exactly_the_limit_is_built(tmp_path):
    _two_dimensional(tmp_path, "edge.nc", [f"l{i}" for i in range(2000)])
    view = _view(tmp_path, file="edge.nc")
    assert view.error_message == ""
    (choice,) = view._held_controls.objects
    assert len(choice.options) == 2000


# ---------------------------------------------------------------------- braces
def test_braces_in_a_file_are_drawn_literally(tmp_path):
    """QA: a title with ``{N}`` failed with KeyError: 'N' (HoloViews formats titles)."""
    title = "{N} sweep {0} {} }{"
    xr.Dataset(
        {"v": (("g{N}", "m{0}"), np.ones((9, 2)), {"long_name": "obs {N}", "units": "{k}"})},
        {"g{N}": ("g{N}", GAMMA, {"long_name": "c {x}", "units": "1"}), "m{0}": ["a{0}", "b"]},
        {"title": title},
    ).to_netcdf(tmp_path / "braces.nc", engine="h5netcdf")
    for kind in ("curve", "overlay", "heat map"):
        view = _view(tmp_path, file="braces.nc", kind=kind)
        assert view.error_message == ""
        assert view._figure.title.text.text == "obs {N} [{k}]"  # the variable plotted
        assert title in _text(view.summary_line)
    assert view._figure.yaxis[0].axis_label.text == "obs {N} [{k}]"


# ---------------------------------------------------------------------- URL values
@pytest.fixture
def url_dir(tmp_path):
    for name, variables in (("X.nc", ("v",)), ("Y.nc", ("v", "w"))):
        xr.Dataset(
            {
                k: (("gamma", "t", "m"), np.full((9, 3, 2), float(i)))
                for i, k in enumerate(variables)
            },
            {"gamma": GAMMA, "t": [0.0, 1.0, 2.0], "m": ["a", "b"]},
        ).to_netcdf(tmp_path / name, engine="h5netcdf")
    return tmp_path


def test_replaced_url_values_stay_named_until_set_again(url_dir):
    """QA: sweeps_variable=[v](javascript:a)&sweeps_x=nope vanished without a word."""
    view = _view(url_dir, file="X.nc")
    view.variable = "[v](javascript:a)"  # Panel applies a URL's values one by one
    view.x = "nope"
    assert (view.variable, view.x) == ("v", "gamma")
    shown = _text(view.summary_line)
    assert "Variable '[v](javascript:a)' is not in this file" in shown
    assert "X = nope is not a numeric dimension here (valid: " in shown
    assert "<a" not in view.summary_line
    view.x = "t"  # x chosen again: its note goes, the variable's stays
    shown = _text(view.summary_line)
    assert "nope" not in shown and "[v](javascript:a)" in shown
    view.file = "Y.nc"  # the link's variable is tried again: still not there
    assert "Variable '[v](javascript:a)' is not in this file" in _text(view.summary_line)
    view.variable = "w"
    assert view.variable == "w" and "Note" not in _text(view.summary_line)


def test_a_urls_choices_given_with_its_file_are_kept(url_dir):
    """A link to Y.nc's variable w, held at m = b, opened w at m = a before."""
    view = _view(url_dir, file="X.nc")
    view.param.update(file="Y.nc", variable="w", held={"m": "b"})
    assert (view.variable, view.held) == ("w", {"t": 0.0, "m": "b"})
    view.file = "X.nc"  # choices not given with a new file give way to its defaults
    assert (view.variable, view.held) == ("v", {"t": 0.0, "m": "a"})


def test_a_sweeps_url_with_refused_values_names_them(url_dir, monkeypatch):
    from dashboard.assembly import DashboardApp

    monkeypatch.setattr(sweeps, "SWEEPS_DIRECTORY", url_dir)
    query = {
        "view": "sweeps",
        "sweeps_file": "Y.nc",
        "sweeps_variable": "[v](javascript:a)",
        "sweeps_x": "nope",
        "sweeps_kind": "pie",
    }
    app = DashboardApp()
    with set_curdoc(Document()):
        pn.state.location.search = "?" + urllib.parse.urlencode(query)
        app.sync_url()
        view = app.views["sweeps"]
        shown = _text(view.summary_line) + _text(app.url_message.object)
    for given in ("[v](javascript:a)", "nope", "pie"):
        assert given in shown
