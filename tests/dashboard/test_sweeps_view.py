"""The Sweeps view, in process: it plots exactly the stored Dataset, only from its directory."""

from __future__ import annotations

import numpy as np
import pytest
from bokeh.models import ColumnDataSource

from dashboard.views.sweeps import SweepsView, sweep_files
from qgas.sweeps.config import config_from_mapping
from qgas.sweeps.dataset import open_sweep
from qgas.sweeps.observables import REGISTRY
from qgas.sweeps.runner import prepare_sweep, run_sweep


def _sweep(directory, name, observable, grid):
    config = config_from_mapping(
        {"observable": observable, "output": str(directory / name), "grid": grid}, REGISTRY
    )
    run_sweep(prepare_sweep(config), progress=False)
    return open_sweep(directory / name)


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("sweeps")
    _sweep(
        directory,
        "a_polaron.nc",
        "polaron.inverse_mass_ratio",
        {"gamma": [0.1, 1.0, 10.0, 100.0], "method": ["energy", "sigma"]},
    )
    _sweep(
        directory,
        "b_lattice.nc",
        "lattice.state",
        {"U_over_ER": [0.0, 1.0, 10.0], "TD_over_EK": [0.1, 20.0, 4000.0], "d": [2, 3]},
    )
    outside = tmp_path_factory.mktemp("elsewhere") / "secret.nc"
    outside.write_bytes((directory / "a_polaron.nc").read_bytes())
    (directory / "link.nc").symlink_to(outside)
    return directory


def _drawn(view) -> dict[str, dict]:
    """The view's drawn data sources, by name."""
    return {
        source.name: source.data
        for figure in view._drawing.figures
        for source in figure.select(type=ColumnDataSource)
        if source.name
    }


def test_lists_only_regular_netcdf_files_of_its_directory(sweep_dir):
    assert sweep_files(sweep_dir) == ["a_polaron.nc", "b_lattice.nc"]


def test_curves_show_the_stored_values_one_per_overlay_value(sweep_dir):
    view = SweepsView(directory=sweep_dir)
    view.panel()
    assert view.file == "a_polaron.nc" and view.variable == "inverse_mass_ratio"
    view.param.update(x="gamma", overlay="method")
    frame = view.current_data["sweep"]
    stored = open_sweep(sweep_dir / "a_polaron.nc")["inverse_mass_ratio"]
    for method in ("energy", "sigma"):
        rows = frame[frame["method"] == method].sort_values("gamma")
        np.testing.assert_array_equal(
            rows["inverse_mass_ratio"], stored.sel({"method": method}).values
        )
    assert view.error_message == ""
    (panel,) = view.figure(view.current_data)
    assert len(panel.layers) == 2
    drawn = _drawn(view)
    for method in ("energy", "sigma"):
        curve = drawn[f"sweeps|method = {method}"]
        order = np.argsort(curve["gamma"])
        np.testing.assert_array_equal(
            np.asarray(curve["inverse_mass_ratio"])[order], stored.sel({"method": method}).values
        )


def test_heat_map_over_two_dimensions_with_the_third_held(sweep_dir):
    view = SweepsView(directory=sweep_dir, file="b_lattice.nc")
    view.panel()
    view.param.update(kind="heat map", x="U_over_ER", y="TD_over_EK", others="d=2")
    frame = view.current_data["sweep"]
    table = frame.pivot(index="TD_over_EK", columns="U_over_ER", values="state")
    stored = open_sweep(sweep_dir / "b_lattice.nc")["state"].sel(d=2)
    np.testing.assert_array_equal(table.to_numpy(), stored.transpose("TD_over_EK", "U_over_ER"))
    assert "d = 2" in view.summary(view.current_data)
    assert "Codes: 0 = conducting optical lattice" in view.summary(view.current_data)
    cells = _drawn(view)["sweeps|sweep (mesh)"]
    assert len(cells["state"]) == stored.size
    assert np.all(np.asarray(cells["left"]) < np.asarray(cells["U_over_ER"]))
    assert np.all(np.asarray(cells["U_over_ER"]) < np.asarray(cells["right"]))


def test_bad_other_dimension_is_shown_in_the_view_not_raised(sweep_dir):
    view = SweepsView(directory=sweep_dir, file="b_lattice.nc")
    view.panel()
    view.others = "colour=3"
    assert "must be NAME=VALUE" in view.error_message


def test_names_outside_the_listing_are_refused(sweep_dir):
    view = SweepsView(directory=sweep_dir)
    for name in ("../elsewhere/secret.nc", "/etc/passwd", "link.nc"):
        with pytest.raises(ValueError):
            view.file = name
    assert view.file == "a_polaron.nc"


def test_empty_directory_says_how_to_make_a_sweep(tmp_path):
    view = SweepsView(directory=tmp_path)
    view.panel()
    assert view.error_message == ""
    assert "qgas sweep" in view.summary(view.current_data)
