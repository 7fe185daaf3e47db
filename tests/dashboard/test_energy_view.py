"""The e(γ) view shows true values (no plotting clip), names its truncation orders truthfully
and draws the attractive Gaudin–Yang energy on a scale where its physics is visible."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dashboard.base import markdown_with_math
from dashboard.formatting import number, superscript
from dashboard.plotting import Drawing
from dashboard.state import GAMMA_GRID, GlobalState
from dashboard.views.energy import EXACT_RELATIVE_ACCURACY, EXPLANATIONS, MODELS, EnergyView
from physics import gaudin_yang, gaudin_yang_repulsive, lieb_liniger


def view_at(gamma: float, model: str = "lieb-liniger") -> tuple[EnergyView, dict]:
    state = GlobalState()
    state.gamma = gamma
    view = EnergyView(state, model=model)
    return view, view.data()


def test_truncation_error_is_not_clipped_at_large_gamma():
    # Eq. (29): e_1 = γ (1 − 4√γ/(3π)); at γ = 1000 the error is ~1.24e4, beyond any plot
    gamma = 1000.0
    _, data = view_at(gamma)
    first_order = gamma * (1 - 4 * math.sqrt(gamma) / (3 * math.pi))
    expected = abs(lieb_liniger.ground_state_energy(gamma) - first_order)
    errors = data["truncation error"].set_index("N")["error"]
    assert errors[1] == pytest.approx(expected, rel=1e-9)
    assert expected > 1e4


def test_smallest_term_and_least_error_are_both_named():
    view, data = view_at(2.51)
    smallest, least = data["smallest term"], data["least error"]
    errors = data["truncation error"]["error"].to_numpy()
    assert int(least["N"].iloc[0]) == int(np.argmin(errors))
    assert int(smallest["N"].iloc[0]) != int(least["N"].iloc[0])  # 17 against 16 here
    text = view.summary(data)
    assert f"N* = {int(smallest['N'].iloc[0])}" in text
    assert f"least error at N = {int(least['N'].iloc[0])}" in text
    assert "e+" not in text and "e-" not in text


def test_no_least_error_is_claimed_below_the_exact_values_accuracy():
    view, data = view_at(0.001)
    assert data["least error"].empty
    floor = data["accuracy of e_exact"]["error"].iloc[0]
    assert floor == pytest.approx(EXACT_RELATIVE_ACCURACY * lieb_liniger.ground_state_energy(0.001))
    assert "agree with e to its accuracy" in view.summary(data)


def test_gaudin_yang_is_drawn_above_the_pair_binding_energy():
    # e_F + γ²/4 runs from π²/12 (free fermions, γ → 0) to π²/48 (Tonks gas of dimers)
    view, data = view_at(1.0, "gaudin-yang")
    exact = data["exact"]
    shifted = exact["e_above_binding"].to_numpy()
    np.testing.assert_allclose(shifted, exact["e"] + exact["gamma"] ** 2 / 4, rtol=1e-15)
    assert np.all((shifted > math.pi**2 / 48) & (shifted < math.pi**2 / 12))
    energy = view.figure(data)[0]
    low, high = energy.ylim
    assert low <= math.pi**2 / 48 and high >= math.pi**2 / 12
    # the axis names what is drawn, on a linear scale; the bosons' e(γ) spans decades
    assert energy.ylabel.startswith("e_F(γ) + γ²/4") and not energy.logy
    bosons = EnergyView(GlobalState(), model="lieb-liniger")
    boson_data = bosons.data()
    boson_energy = bosons.figure(boson_data)[0]
    assert boson_energy.ylabel.startswith("e(γ)") and boson_energy.logy
    low, high = boson_energy.ylim  # the whole exact curve is inside the axis
    assert low <= boson_data["exact"]["e"].min() and high >= boson_data["exact"]["e"].max()


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1000.0, "1000"),
        (12400.0, "1.24 × 10⁴"),
        (2.1e-7, "2.1 × 10⁻⁷"),
        (1e-17, "10⁻¹⁷"),
        (-3.5e-9, "−3.5 × 10⁻⁹"),
        (0.031, "0.031"),
        (9990.0, "9990"),
        (math.inf, "∞"),
        (-math.inf, "−∞"),
        (math.nan, "undefined"),
        (0.0, "0"),
        (0.001, "0.001"),  # the lower end of the plain range is plain
        (3.14159, "3.14"),  # three significant digits by default
        (123456.0, "1.23 × 10⁵"),
    ],
)
def test_numbers_are_written_as_a_reader_writes_them(value, text):
    assert number(value) == text


def test_superscript_exponents():
    assert superscript(-12) == "⁻¹²" and superscript(4) == "⁴"


def test_a_model_toggled_back_updates_the_figures_it_drew_before():
    """Building figures holds the event loop ~0.3–0.5 s; a model flipped back reuses them, and
    they then show the current data exactly as new ones would."""
    state = GlobalState()
    view = EnergyView(state)
    view.__panel__()
    first = view._drawing.figures
    view.model = "gaudin-yang"
    assert view._drawing.figures is not first
    state.gamma = 10.0
    view.model = "lieb-liniger"
    assert view._drawing.figures is first
    (source,) = [
        r.data_source
        for r in first[0].renderers
        if getattr(r.glyph, "size", None) is not None
        and r.data_source.data.get("gamma") is not None
    ]
    np.testing.assert_array_equal(source.data["gamma"], [10.0])
    assert source.data["e"][0] == pytest.approx(lieb_liniger.ground_state_energy(10.0), rel=1e-12)


def test_the_attractive_summary_names_e_F_and_the_plotted_e_F_plus_gamma_squared_over_4():
    view, data = view_at(1.0, "gaudin-yang")
    marker = data["marker"].iloc[0]
    # the marker is drawn at e_F + γ²/4, the identity of the plotted column
    assert marker["e_above_binding"] == pytest.approx(marker["e"] + 0.25, rel=1e-14)
    text = view.summary(data)
    assert f"e_F = {marker['e']:.12g}, e_F + γ²/4 = {marker['e'] + 0.25:.12g}" in text
    assert " e = " not in text


def test_unresolved_errors_are_not_drawn_and_the_weak_order_is_marked():
    """QA: at γ = 0.501 the curve ran to 1e-16, under e_exact's own accuracy; the captions
    quote the error at the weak-order slider's N, which the panel did not mark."""
    from physics import series

    gamma = 0.501
    view, data = view_at(gamma)
    floor = data["accuracy of e_exact"]["error"].iloc[0]
    errors = data["truncation error"]["error"]
    assert errors.isna().any()  # from some N on, below the accuracy of e_exact
    assert (errors.dropna() >= floor).all()
    order = view.weak_order
    exact = lieb_liniger.ground_state_energy(gamma)
    expected = abs(exact - series.partial_sum("lieb-liniger", gamma, order))
    marked = data["weak order"]
    assert int(marked["N"].iloc[0]) == order
    assert marked["error"].iloc[0] == pytest.approx(max(expected, floor), rel=1e-6)


#: Where each model's Bethe-ansatz e(γ) is computed (outside, there is no exact e).
RANGES = {
    "lieb-liniger": lieb_liniger.GAMMA_RANGE,
    "gaudin-yang": gaudin_yang.GAMMA_RANGE,
    "gaudin-yang-repulsive": gaudin_yang_repulsive.GAMMA_RANGE,
}
#: Longest plot title that keeps (nearly) its full size in presentation mode at 1366×768
#: (~330 px per plot side by side, measured in Chromium: 30 characters at 95 %; the
#: attractive gas's 68-character title was shrunk to half).
TITLE_CHARACTERS = 30


@pytest.mark.parametrize("model", list(MODELS.values()))
def test_titles_fit_and_a_gamma_outside_the_range_leaves_a_note_not_empty_axes(model):
    """Out of the model's range (attractive Gaudin–Yang: γ < 0.01 or > 100) there is no
    exact e, so no |e − e_N|: the error plot's place holds a title saying why, with no axes,
    grid or legend (it showed empty axes with made-up ranges and a legend of nothing)."""
    low, high = RANGES[model]
    for gamma in (GAMMA_GRID[0], GAMMA_GRID[-1], 1.0):
        view, data = view_at(gamma, model)
        panels = view.figure(data)
        assert all(len(panel.title) <= TITLE_CHARACTERS for panel in panels), panels
        figure = Drawing(panels, data, name="energy").figures[1]
        inside = low <= gamma <= high
        assert inside == bool(len(data["truncation error"]))
        assert all(axis.visible for axis in figure.axis) == inside
        assert bool(figure.legend) == inside
        if not inside:
            title = panels[1].title
            bound = f"< {number(low)}" if gamma < low else f"> {number(high)}"
            assert title == f"No error plot: γ {bound}"
            assert figure.toolbar_location is None
            assert "outside this model's range" in view.summary(data)


def test_the_explanation_names_the_model_shown():
    """Its heading said 'Lieb–Liniger' for the Gaudin–Yang fermions too."""
    view = EnergyView(GlobalState())
    for label, model in MODELS.items():
        view.model = model
        heading = view._explanation.object.splitlines()[1]
        name, kind = label.split(" (")  # "Gaudin–Yang (attractive fermions)"
        assert heading.startswith("### ") and name in heading, heading
        assert kind.split()[0] in heading or model == "lieb-liniger", heading
        assert view._explanation.object == markdown_with_math(EXPLANATIONS[model])
        assert ("Lieb–Liniger" in heading) == (model == "lieb-liniger")
    built = EnergyView(GlobalState(), model="gaudin-yang")  # a URL's or lesson's model
    assert "attractive Gaudin–Yang" in built._explanation.object.splitlines()[1]


def test_the_summary_quotes_the_marked_orders_and_the_scale():
    """The green diamond's error and e^(−8π/√γ) (Eq. 33) are on screen, not only on the plot;
    where e^(−8π/√γ) underflows float64 the summary does not call it 0."""
    from physics import series

    gamma = 10.0
    view, data = view_at(gamma)
    exact = lieb_liniger.ground_state_energy(gamma)
    error = abs(exact - series.partial_sum("lieb-liniger", gamma, view.weak_order))
    text = view.summary(data)
    assert f"N = {view.weak_order} (green diamond), error {number(error, 2)}" in text
    assert f"e^(−8π/√γ) = {number(math.exp(-8 * math.pi / math.sqrt(gamma)), 2)}" in text
    tiny = view_at(GAMMA_GRID[0])[0]
    assert "e^(−8π/√γ) < 10⁻³²³" in tiny.summary(tiny.data())


def test_a_gamma_off_the_grid_inside_the_range_is_not_called_outside():
    """QA: γ = 7.77 (typed, before it snaps) read 'outside this model's range 0.001 … 10⁴'.
    Lieb–Liniger's e costs ~1 ms, so the marker and |e − e_N| are computed at γ itself."""
    gamma = 7.77
    view, data = view_at(gamma)
    assert gamma not in GAMMA_GRID
    text = view.summary(data)
    assert "outside" not in text and text.startswith("At γ = 7.77: e = ")
    exact = lieb_liniger.ground_state_energy(gamma)
    assert data["marker"]["e"].iloc[0] == pytest.approx(exact, rel=1e-12)
    first_order = gamma * (1 - 4 * math.sqrt(gamma) / (3 * math.pi))  # Eq. (29)
    errors = data["truncation error"].set_index("N")["error"]
    assert errors[1] == pytest.approx(abs(exact - first_order), rel=1e-9)
    assert view.figure(data)[1].title == "Error |e − e_N| at γ = 7.77"


def test_a_costly_model_off_the_grid_marks_the_nearest_grid_point_and_says_so():
    """The Gaudin–Yang solvers take 0.01–2 s at a new γ: the marker sits on the grid point
    nearest on a log scale (7.94 for 7.77), and the summary names both."""
    view, data = view_at(7.77, "gaudin-yang")
    nearest = min(GAMMA_GRID, key=lambda point: abs(math.log(point / 7.77)))
    assert data["marker"]["gamma"].iloc[0] == nearest
    exact = gaudin_yang.ground_state_energy(nearest)
    assert data["marker"]["e"].iloc[0] == pytest.approx(exact, rel=1e-12)
    text = view.summary(data)
    assert "outside" not in text
    assert f"At γ = {number(nearest)} (the grid point nearest the γ = 7.77 asked for" in text


def test_at_strong_coupling_the_summary_says_the_weak_series_is_of_no_use():
    """QA: at γ = 1000 the summary offered 'N* = 1' and 'least error at N = 0: 1000' while
    every truncation misses by 300–4000 × e; e_0 = γ (Eq. 29) misses by γ − e = 996.7."""
    gamma = 1000.0
    view, data = view_at(gamma)
    view.weak_order = 30
    data = view.data()
    exact = lieb_liniger.ground_state_energy(gamma)
    assert data["truncation error"]["error"].min() > exact
    text = view.summary(data)
    assert "The weak-coupling series is of no use at this γ" in text
    assert f"misses by more than |e| = {number(exact, 3)} itself" in text
    assert f"the least at N = 0: {number(gamma - exact, 3)}" in text and "997" in text
    assert "N* =" not in text
    assert data["smallest term"].empty  # no red dot for a rule that marks no useful order
    figure = Drawing(view.figure(data), data, name="energy").figures[1]
    assert "smallest-term rule N*" not in [
        item.label.value for item in figure.legend[0].items if item.visible
    ]
    explanation = EXPLANATIONS["lieb-liniger"]
    assert "Either way" not in explanation and "At weak coupling the error left" in explanation


def test_downloads_name_the_reference_lines_and_the_units_of_e():
    """The scale and accuracy lines were exported as '|e_exact − e_N|', e's units as a
    convention ('ħ = 2m = 1') rather than what e is: a number."""
    from dashboard.export import describe_columns

    view, data = view_at(2.51)
    columns = {
        name: {c.name: c for c in found} for name, found in describe_columns(view, data).items()
    }
    scale = columns["non-perturbative scale"]["error"]
    accuracy = columns["accuracy of e_exact"]["error"]
    assert scale.long_name.startswith("non-perturbative scale e^(−8π/√γ)")
    assert accuracy.long_name.startswith("accuracy of e_exact")
    assert "e_N" in columns["truncation error"]["error"].long_name
    for line in (scale, accuracy):  # named for what it is; the axis it shares is named after
        assert "e_N" not in line.long_name.split(" (axis: ")[0]
    for column in (scale, accuracy, columns["exact"]["e"], columns["truncation error"]["error"]):
        assert column.units == "dimensionless"


@pytest.mark.parametrize(("gamma", "floor_on_axis"), [(31.6, False), (0.1, True)])
def test_the_accuracy_floor_does_not_stretch_the_error_axis(gamma, floor_on_axis):
    """At γ = 31.6 every |e − e_N| exceeds 0.6 while e_exact's accuracy is 3e-12: the floor
    stretched the axis over 15 decades and the errors sat in its top fifth. The axis fits
    the errors (the least, 0.62 at N = 5, inside it); where partial sums reach the floor
    (γ = 0.1), its markers bring the floor onto the axis."""
    view, data = view_at(gamma)
    figure = Drawing(view.figure(data), data, name="energy").figures[1]
    floor = data["accuracy of e_exact"]["error"].iloc[0]
    errors = data["truncation error"]["error"].dropna()
    low, high = figure.y_range.start, figure.y_range.end
    assert low <= errors.min() <= high
    assert (low <= floor) == floor_on_axis
    if not floor_on_axis:
        assert low > 1e-3 * errors.min()


@pytest.mark.parametrize(
    ("gamma", "model", "formula"),
    [(1000.0, "lieb-liniger", "e^(−8π/√γ)"), (1000.0, "gaudin-yang-repulsive", "e^(−π²/γ)")],
)
def test_a_scale_that_is_not_small_is_neither_drawn_nor_quoted_as_a_size(gamma, model, formula):
    """e^(−A/g) is an asymptotic estimate: at A/g < 1 (e^(−π²/1000) = 0.99) it says nothing
    (QA: 'Size of the smallest term e^(−π²/γ) = 0.99' beside a least error of 2.5); where
    A/g > 1 it is drawn as before (LL at γ = 10: 3.5e-4; GY at γ = 1: 5e-5)."""
    view, data = view_at(gamma, model)
    value = math.exp(
        -(8 * math.pi / math.sqrt(gamma) if model == "lieb-liniger" else math.pi**2 / gamma)
    )
    assert value > math.exp(-1)
    assert data["non-perturbative scale"]["error"].isna().all()
    assert f"{formula} = {number(value, 2)} is not small here (A/g < 1" in view.summary(data)
    _, small = view_at(10.0 if model == "lieb-liniger" else 1.0, model)
    assert small["non-perturbative scale"]["error"].notna().all()


def shown_labels(figure) -> list[str]:
    from bokeh.models import Legend

    return [i.label.value for g in figure.select(type=Legend) for i in g.items if i.visible]


def test_an_unresolved_smallest_term_does_not_stretch_the_order_axis():
    """γ = 0.001: only N = 0 … 3 are resolved (|e − e_3| = 1.7e-13 against the floor 1e-15);
    the table's end, N* ≥ 100, sat on the floor and stretched the axis to N = 100, leaving the
    curve a 7-pixel stroke (QA). The axis ends just past the resolved orders and the weak
    order; N* is named in the summary instead."""
    from dashboard.plotting import Drawing

    view, data = view_at(1e-3)
    resolved = data["truncation error"].dropna()
    assert resolved["N"].max() == 3
    figure = Drawing(view.figure(data), data, name="t").figures[1]
    assert figure.x_range.end < max(resolved["N"].max(), view.weak_order) + 1
    assert "smallest-term rule N*" not in shown_labels(figure)
    assert "N* ≥ 100, error unresolved" in view.summary(data)
    view_10, at_10 = view_at(10.0)  # a resolved N* is drawn and listed as before
    assert "smallest-term rule N*" in shown_labels(
        Drawing(view_10.figure(at_10), at_10, name="t").figures[1]
    )
