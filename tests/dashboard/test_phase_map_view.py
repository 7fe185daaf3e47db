"""The lattice phase-map view arranges physics.lattice results (in-process, no browser).

Expected values: physics.lattice called directly, the exact relation ω/E_K = 2π²√(U/E_R),
and the zero-temperature Lindemann thresholds 4d²/(d − 1) of Yukalov's Eqs. (51)–(53).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from bokeh.models import Quad

from dashboard.plotting import Drawing
from dashboard.state import DEPTH_GRID
from physics import lattice


@pytest.fixture
def view(fresh_app):
    return fresh_app.show("phase_map")


@pytest.mark.parametrize("depth", [0.501, 10.0, 39.8])
def test_marker_follows_the_global_depth_slider(fresh_app, view, depth):
    fresh_app.state.lattice_depth = depth
    marker = view.current_data["marker"].iloc[0]
    assert marker["omega_over_EK"] == pytest.approx(2 * math.pi**2 * math.sqrt(depth), rel=1e-14)
    expected = lattice.classify(marker["omega_over_EK"], view.TD_over_EK, view.T_over_EK, 3)
    assert marker["state"] == expected
    assert expected in view.summary(view.current_data)


def test_map_is_the_physics_phase_map_with_the_zero_temperature_lindemann_line(view):
    table = view.current_data["phase map"]
    assert set(table["state"]) <= set(lattice.STATES)
    depths = np.unique(table["depth_over_ER"])
    debye = np.unique(table["TD_over_EK"])
    grid = lattice.phase_map(depths, debye, 0.0, 3)
    np.testing.assert_array_equal(table["code"].to_numpy(), grid.codes.ravel())
    line = view.current_data["Lindemann line"]["TD_over_EK"]
    np.testing.assert_allclose(line, 4 * 3**2 / (3 - 1))


def test_presets_set_debye_temperature_and_dimension(view):
    for key, preset in lattice.PRESETS.items():
        view.preset = key
        assert view.TD_over_EK == pytest.approx(preset.TD_over_EK, rel=1e-3)  # 4 digits
        assert view.dimension == preset.d
        line = view.current_data["Lindemann line"]["TD_over_EK"]
        np.testing.assert_allclose(line, 4 * 2**2 / (2 - 1))  # d = 2, T = 0: 16


def test_one_dimension_has_no_stable_crystal(fresh_app, view):
    view.param.update(dimension=1, TD_over_EK=1e3)
    fresh_app.state.lattice_depth = 0.0
    assert view.current_data["Lindemann line"].empty
    marker = view.current_data["marker"].iloc[0]
    assert marker["state"] == "Lindemann-unstable crystal"
    # r₀/a = ∞ in d = 1 (Eq. 54 diverges); the view keeps it as NaN, a gap in the curve
    assert math.isinf(lattice.lindemann_ratio(1e3, view.T_over_EK, 1))
    assert math.isnan(marker["lindemann_ratio"])
    summary = view.summary(view.current_data)
    assert "no localized crystal is stable" in summary and "logarithmic axes" in summary
    assert "one dimension" in summary and "curve is empty" in summary
    assert view.error_message == ""


@pytest.mark.parametrize(
    ("inputs", "said", "not_said"),
    [
        # T_D = 0 (⁸⁷Rb: contact interactions): no intersite phonons; at d = 3 the curve exists
        ({"dimension": 3, "TD_over_EK": 0.0}, ["T_D = 0", "no intersite phonons"], ["empty"]),
        ({"preset": "Rb87"}, ["T_D = 0", "no intersite phonons"], ["empty", "diverge"]),
        ({"dimension": 2, "TD_over_EK": 50.0, "T_over_EK": 1.0}, ["two dimensions", "empty"], []),
    ],
)
def test_an_infinite_lindemann_ratio_gives_its_own_reason(view, inputs, said, not_said):
    view.param.update(**inputs)
    assert math.isinf(lattice.lindemann_ratio(view.TD_over_EK, view.T_over_EK, view.dimension))
    summary = view.summary(view.current_data)
    for text in said:
        assert text in summary, (text, summary)
    for text in not_said:
        assert text not in summary, (text, summary)
    assert view.current_data["Lindemann line"].empty == ("empty" in summary)


def test_map_cells_show_the_classification_of_their_centres(view):
    """Each drawn cell contains the grid point it was classified at, and has its colour code."""
    view.T_over_EK = 5.0
    drawing = Drawing(view.figure(view.current_data), view.current_data, name="test")
    assert len(drawing.figures) == 2
    (cells,) = [m for m in drawing.figures[0].renderers if isinstance(m.glyph, Quad)]
    drawn = cells.data_source.data
    assert np.all(drawn["left"] < drawn["depth_over_ER"])
    assert np.all(drawn["depth_over_ER"] < drawn["right"])
    assert np.all(drawn["bottom"] < drawn["TD_over_EK"])
    assert np.all(drawn["TD_over_EK"] < drawn["top"])
    for depth, debye, code in list(
        zip(drawn["depth_over_ER"], drawn["TD_over_EK"], drawn["code"], strict=True)
    )[::997]:
        omega = float(lattice.depth_to_omega_over_EK(depth))
        state = lattice.classify(omega, debye, 5.0, view.dimension, view.crossover_factor)
        assert lattice.STATES[code] == state


def test_depth_slider_reaches_every_regime_of_the_map(fresh_app):
    """ω/E_K = 2π²√(U/E_R) (exact for a = λ/2): ω < E_K needs U < 1/(4π⁴) E_R ≈ 0.0026 E_R."""
    grid = np.array(DEPTH_GRID)
    assert grid[0] == 0.0 and 10.0 in DEPTH_GRID
    assert grid[1] < 1 / (4 * math.pi**4) / 100  # two decades into the shallow regime
    assert lattice.depth_to_omega_over_EK(grid[1]) < 1 < lattice.depth_to_omega_over_EK(grid[-1])
    decades = np.log10(grid[-1] / grid[1])
    assert decades > 7 and len(grid) - 1 >= 19 * decades  # ~20 points per decade
    assert list(fresh_app.depth_slider.options.values()) == list(DEPTH_GRID)


@pytest.mark.parametrize("given", [3.33, 2.2e-6, 0.0])
def test_depth_from_elsewhere_is_kept_as_a_slider_stop(fresh_app, given):
    fresh_app.state.lattice_depth = given
    assert fresh_app.state.lattice_depth == given == fresh_app.depth_slider.value
    assert set(DEPTH_GRID) <= set(fresh_app.depth_slider.values)


@pytest.mark.parametrize("preset", list(lattice.PRESETS))
def test_moving_a_preset_input_makes_the_system_custom(view, preset):
    view.preset = preset
    assert view.preset == preset  # applying the preset keeps its name
    view.TD_over_EK = view.TD_over_EK + 1.0
    assert view.preset == "custom"


def test_an_empty_lindemann_curve_says_why(view):
    view.param.update(dimension=2, T_over_EK=0.5)
    data = view.current_data
    assert data["Lindemann ratio"]["lindemann_ratio"].isna().all()
    title = view.figure(data)[1].title
    assert "∞" in title and "no stable crystal" in title
    view.param.update(dimension=3, T_over_EK=0.0)
    assert "∞" not in view.figure(view.current_data)[1].title


@pytest.mark.parametrize(
    "inputs",
    [
        {},
        {"dimension": 1},
        {"dimension": 2, "T_over_EK": 0.00123456},  # 2-D at T > 0: no curve
        {"dimension": 3, "T_over_EK": 1000.0},  # not "1e+03"
    ],
)
def test_plot_titles_keep_full_size_on_a_phone_and_say_what_is_plotted(view, inputs):
    """QA: "Lindemann criterion (Debye approximation)" was shrunk to 7–8 pt on a phone; a
    title of at most 30 characters keeps its size (1366×768 presentation mode)."""
    view.param.update(**inputs)
    titles = [panel.title for panel in view.figure(view.current_data)]
    assert all(len(title) <= 30 for title in titles), titles
    assert f"d = {view.dimension}" in titles[0] and "e+" not in titles[0] and "r₀/a" in titles[1]


@pytest.mark.parametrize("bad", [1e-320, 5e-4, math.nan, math.inf])
def test_debye_temperatures_below_the_maps_axis_are_refused_zero_is_kept(view, bad):
    view.TD_over_EK = 0.0  # physical: contact interactions only
    with pytest.raises(ValueError, match=r"0, or 0\.001 … 10000"):
        view.TD_over_EK = bad
    view.TD_over_EK = float(view.current_data["Lindemann ratio"]["TD_over_EK"].min())
    assert view.TD_over_EK == pytest.approx(1e-3)


def _log_slider(view, label: str):
    import panel as pn

    sliders = view.__panel__().select(pn.widgets.DiscreteSlider)
    return next(slider for slider in sliders if slider.name.startswith(label))


@pytest.mark.parametrize(
    ("label", "name", "top"),
    [("Debye temperature", "TD_over_EK", 1e4), ("Temperature", "T_over_EK", 1e3)],
)
def test_temperature_sliders_step_logarithmically_over_the_maps_decades(view, label, name, top):
    """The map's T_D axis spans 1e-3 … 1e4 (7 decades): a linear slider (0 … 200 in steps of
    0.1) reached neither end; every decade needs its own stops."""
    slider = _log_slider(view, label)
    stops = np.array(list(slider.options.values()))
    assert stops[0] == 0.0 and stops[1] == pytest.approx(1e-3) and stops[-1] == top
    per_decade = np.diff(np.log10(stops[1:]))
    assert per_decade.max() <= 1 / 19  # at least 19 stops in every decade
    slider.value = float(stops[5])
    assert getattr(view, name) == stops[5]
    assert not any("e+" in label or "e-" in label for label in slider.options)  # 10⁴, not 1e+04


def test_a_presets_exact_debye_temperature_is_a_stop_of_the_slider(view):
    slider = _log_slider(view, "Debye temperature")
    view.preset = "Dy164"
    exact = lattice.PRESETS["Dy164"].TD_over_EK
    assert slider.value == view.TD_over_EK == pytest.approx(exact, rel=1e-3)
    assert view.preset == "Dy164"  # following the value did not move it off the preset


def test_a_click_below_the_maps_lowest_debye_temperature_sets_the_lowest(view):
    from types import SimpleNamespace

    view.tapped(("lattice_depth", "TD_over_EK"), SimpleNamespace(x=1.0, y=4e-4))
    assert view.TD_over_EK == pytest.approx(1e-3) and view.state.lattice_depth == 1.0


def test_the_maps_legend_names_its_line_and_marker_and_leaves_the_states_to_the_colour_bar(
    view,
):
    """Physicist's QA: the dashed line and the red dot on the map had no legend entry (the
    explanation text alone said what they are); a mesh's entry would be one colour of many."""
    drawing = Drawing(view.figure(view.current_data), view.current_data, name="test")
    labels = [item.label.value for legend in drawing.figures[0].legend for item in legend.items]
    assert labels == ["Lindemann bound r₀/a = 1/2", "current inputs"]


@pytest.mark.parametrize(
    ("depth", "debye", "said"),
    [(0.0, 5.0, "U/E_R = 0"), (10.0, 0.0, "T_D/E_K = 0"), (0.0, 0.0, "U/E_R = 0 and T_D/E_K = 0")],
)
def test_inputs_below_the_maps_axes_keep_their_values_and_are_not_drawn(
    fresh_app, view, depth, debye, said
):
    """Pins QA: T_D = 0 was drawn (and downloaded) as T_D/E_K = 0.001, U = 0 as 10⁻⁶: the
    marker stood where the inputs are not. The inputs stay as they are; the summary says
    why the map has no marker."""
    fresh_app.state.lattice_depth = depth
    view.TD_over_EK = debye
    marker = view.current_data["marker"].iloc[0]
    assert (marker["depth_over_ER"], marker["TD_over_EK"]) == (depth, debye)
    summary = view.summary(view.current_data)
    assert f"No marker on the map: {said} lies below" in summary
    fresh_app.state.lattice_depth = 10.0
    view.TD_over_EK = 5.0
    assert "No marker" not in view.summary(view.current_data)
