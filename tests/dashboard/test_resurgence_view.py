"""The resurgence view: its table is the slider's grid, its exact values are the Bethe energies,
and what it shows is the resurgence statement (real part beyond the ambiguity, ratio → 1)."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from dashboard.plotting import Drawing
from dashboard.state import GAMMA_GRID, GlobalState
from dashboard.views.resurgence import METHODS, ResurgenceView
from physics import _assets, gaudin_yang, lieb_liniger, resurgence_repulsive, resurgence_table

SOLVERS = {"lieb-liniger": lieb_liniger, "gaudin-yang": gaudin_yang}


def view_at(gamma: float, model: str) -> tuple[ResurgenceView, dict]:
    state = GlobalState()
    state.gamma = gamma
    view = ResurgenceView(state, model=model)
    return view, view.data()


def test_table_lies_on_the_slider_grid_and_records_provenance():
    assert set(resurgence_table.TABLE_GAMMAS) <= set(GAMMA_GRID)
    table = _assets.read_table(*resurgence_table.TABLE)
    assert table["provenance"]["command"].startswith("qgas precompute")
    for model in SOLVERS:
        gammas = [row["gamma"] for row in resurgence_table.shipped_rows(model)]
        assert gammas == list(resurgence_table.TABLE_GAMMAS)


@pytest.mark.parametrize("model", SOLVERS)
def test_exact_column_agrees_with_the_double_precision_solver(model):
    frame = view_at(1.0, model)[1]["sums"]
    rows = frame[np.isfinite(frame["e exact"])].iloc[::10]
    reference = SOLVERS[model].ground_state_energy(rows["gamma"].to_numpy())
    np.testing.assert_allclose(rows["e exact"], reference, rtol=1e-13)


@pytest.mark.parametrize("model", SOLVERS)
def test_real_part_beats_the_ambiguity_and_the_ratio_tends_to_one(model):
    view, data = view_at(0.271, model)
    row = data["slider"].iloc[0]
    assert row[METHODS["pade"]] > row["digits of |Im e|/e"] + 10
    assert row[METHODS["pade"]] > row[METHODS["optimal"]] + 10
    frame = data["sums"]
    small = frame[frame["gamma"] <= 0.3]["ratio"]
    assert np.all(np.abs(small - 1) < 1e-3)
    text = view.summary(data)
    assert "γ = 0.271" in text and "× the prediction" in text


def test_outside_the_table_the_summary_says_so():
    view, data = view_at(100.0, "lieb-liniger")
    assert data["slider"].empty
    assert "outside the table's range" in view.summary(data)


def test_shipped_row_is_regenerated_by_the_table_generator():
    computed = resurgence_table.compute_table((1.0,))["models"]
    for model, entry in computed.items():
        fresh = entry["rows"][0]
        shipped = next(r for r in resurgence_table.shipped_rows(model) if r["gamma"] == 1.0)
        assert fresh["optimal_order"] == shipped["optimal_order"]
        for key in ("exact", "optimal"):
            assert abs(float(fresh[key]) - float(shipped[key])) <= 1e-15 * abs(float(shipped[key]))
        for key in ("pade", "conformal"):
            for part in (0, 1):
                a, b = float(fresh[key][part]), float(shipped[key][part])
                assert abs(a - b) <= 1e-13 * abs(b)


def test_repulsive_model_draws_the_borel_sums_against_the_order():
    """The repulsive gas: digits of agreement with the exact energy against the series order,
    two panels (Padé, conformal map), and no imaginary-part panels (Borel summable)."""
    view, data = view_at(1.0, resurgence_repulsive.MODEL)
    assert set(data) == {"pade", "conformal", "optimal"}
    panels = view.figure(data)
    assert [panel.title for panel in panels] == [
        "Borel–Padé [n/n] sums",
        "Conformal-map sums",
    ]
    drawing = Drawing(panels, data, name="test")
    assert len(drawing.figures) == 2
    legend = {item.label.value for item in drawing.figures[0].legend[0].items}
    assert {f"γ = {g:g}" for g in resurgence_repulsive.GAMMAS} <= legend
    assert "optimal truncation, K = N* (◆ by γ)" in legend
    text = view.summary(data)
    assert "no imaginary part" in text and "At γ = 1 " in text


def test_repulsive_digits_grow_with_the_order_beyond_optimal_truncation():
    """K = 2n + 2 for Padé: at γ = 1 the [5/5] sum has ~11 digits, [30/30] and beyond all 40;
    optimal truncation stops at ~5 (e^{−π²} ~ 5e−5)."""
    data = view_at(1.0, resurgence_repulsive.MODEL)[1]
    pade, optimal = data["pade"], data["optimal"].set_index("gamma")
    digits = pade.set_index("series order K")["γ = 1"]
    assert digits[12] == pytest.approx(11.7, abs=0.5)
    assert digits[100] == resurgence_repulsive.EXACT_DIGITS
    assert 4.5 < optimal.loc[1.0, "optimal truncation, γ = 1"] < 6
    assert optimal.loc[1.0, "series order K"] == optimal.loc[1.0, "optimal order"]
    for frame in (pade, data["conformal"]):
        for gamma in resurgence_repulsive.GAMMAS:
            column = frame[f"γ = {gamma:g}"]
            assert column.iloc[-1] > column.iloc[0] + 5


@pytest.mark.parametrize(("model", "symbol"), [("gaudin-yang", "e_F"), ("lieb-liniger", "e")])
def test_the_summary_names_the_energy_whose_series_it_sums(model, symbol):
    view, data = view_at(0.271, model)
    text = view.summary(data)
    assert f" {symbol} = " in text and f"|Im {symbol}|" in text
    other = "e" if symbol == "e_F" else "e_F"
    assert f" {other} = " not in text and f"|Im {other}|" not in text


@pytest.mark.parametrize("order", [0, 3])
def test_the_ratio_test_summary_quotes_the_last_points_distance_from_8_pi(order):
    """QA: the red Richardson N = 0 points hid the grey raw ratios the lesson names, and the
    summary did not change with the order while the captions quote the last point's error."""
    from dashboard.formatting import number
    from dashboard.views.borel import BorelView

    view = BorelView(model="lieb-liniger", richardson_order=order)
    data = view.data()
    assert data["Richardson transform"].empty == (order == 0)
    shown = data["Richardson transform"] if order else data["ratio"]
    distance = abs(shown["ratio"].iloc[-1] - 8 * math.pi)
    assert f"by {number(distance, 2)}." in view.summary(data)


@pytest.mark.parametrize(("model", "symbol"), [("gaudin-yang", "e_F"), ("lieb-liniger", "e")])
def test_titles_and_labels_name_the_models_energy_and_fit_a_laptop(model, symbol):
    """QA: the Gaudin–Yang panels said |Im e| of a series of e_F; titles over 30 characters
    shrink in presentation mode at 1366×768."""
    view, data = view_at(1.0, model)
    panels = view.figure(data)
    texts = [
        text
        for panel in panels
        for text in (panel.title, panel.ylabel, *(layer.label for layer in panel.layers))
    ]
    assert all(len(panel.title) <= 30 for panel in panels)
    assert symbol in panels[0].title and f"|Im {symbol}|" in panels[1].title
    # the energy as a word of its own: "e" or "e_F", not the exponential e^(−A/g)
    named = [word for text in texts for word in re.findall(r"(?<![\w^])e(?:_F)?(?![\w^])", text)]
    assert len(named) >= 5 and set(named) == {symbol}


def test_the_imaginary_part_is_plotted_as_its_exponent_on_a_linear_axis():
    """QA: on a log axis |Im e_F| (216 decades) was ticked every 34 decades. Its log₁₀ on a
    linear axis, checked against the leading Gaudin–Yang term γ e^{−π²/γ} (S = −2, β = −1;
    b₁γ = 0.015 at γ = 0.1 shifts the log₁₀ by 0.0066)."""
    view, data = view_at(0.1, "gaudin-yang")
    panel = view.figure(data)[1]
    assert not panel.logy
    (curve,) = [layer for layer in panel.layers if layer.label.startswith("|Im e_F|")]
    value = data["slider"][curve.y].iloc[0]
    assert value == pytest.approx(math.log10(0.1) - math.pi**2 / (0.1 * math.log(10)), abs=0.01)


@pytest.mark.parametrize(
    ("model", "gamma"), [("gaudin-yang", 1.0), ("gaudin-yang", 0.1), ("lieb-liniger", 0.271)]
)
def test_digits_of_agreement_are_written_to_one_decimal_everywhere(model, gamma):
    """QA: "optimal truncation 4.0 digits" beside "≥ 32 digits"."""
    view, data = view_at(gamma, model)
    text = view.summary(data)
    listed = text.split("to one decimal: ")[1].split(";")[:3]
    for entry, label in zip(listed, METHODS.values(), strict=True):
        assert re.fullmatch(rf" ?{re.escape(label)} (≥ )?\d+\.\d( \(N\* = \d+\))?", entry), entry
    repulsive, data = view_at(gamma, resurgence_repulsive.MODEL)
    for figure in re.findall(r"(?:Padé|map|truncation) (?:≥ )?([\d.]+)", repulsive.summary(data)):
        assert re.fullmatch(r"\d+\.\d", figure)


def test_a_gamma_between_table_points_marks_the_nearest_and_says_so():
    """A typed γ = 0.28 (not a table point) once read 'outside the table's range'."""
    gammas = np.asarray(resurgence_table.TABLE_GAMMAS)
    assert 0.28 not in gammas and gammas.min() < 0.28 < gammas.max()
    view, data = view_at(0.28, "lieb-liniger")
    nearest = gammas[np.argmin(np.abs(np.log(gammas / 0.28)))]
    assert data["slider"]["gamma"].tolist() == [nearest]
    text = view.summary(data)
    assert f"At γ = {nearest:g} (the tabulated γ nearest the slider)" in text
    assert "outside" not in text


def test_the_borel_plane_shows_one_tooltip_where_the_poles_meet_the_singularity():
    """QA: the Padé poles converge on ζ = A, and there the singularity marker's tooltip and
    the poles' were stacked on each other. The marker (placed by its legend) has none."""
    from bokeh.models import HoverTool

    from dashboard.views.borel import BorelView

    view = BorelView(model="lieb-liniger")
    data = view.data()
    figure = Drawing(view.figure(data), data, name="borel").figures[1]
    (tool,) = [tool for tool in figure.tools if isinstance(tool, HoverTool)]
    (renderer,) = tool.renderers
    assert renderer.data_source.name.startswith("borel|Padé poles")


@pytest.mark.parametrize(
    ("model", "gamma_power", "g_name"), [("lieb-liniger", 1, "√γ"), ("gaudin-yang", 0, "γ")]
)
def test_the_prediction_legend_states_the_formula_the_curve_draws(model, gamma_power, g_name):
    """Lieb–Liniger's series is that of e/γ: the drawn prediction carries a factor γ that the
    legend left out (QA: 50× off at γ = 0.02). The curve is recomputed here from the fitted
    S, β, b₁, b₂ by the formula the legend states."""
    from physics.resurgence_large_order import large_order_fit

    view, data = view_at(1.0, model)
    layers = [layer for panel in view.figure(data) for layer in panel.layers]
    (layer,) = [layer for layer in layers if getattr(layer, "y", "") == "log10 prediction (L2)"]
    assert layer.label.startswith("γ (|S|/2)" if gamma_power else "(|S|/2)")
    assert layer.label.endswith(f"g = {g_name}")
    fit = large_order_fit(model)
    frame = data["sums"]
    rows = frame[(frame["gamma"] >= 0.3) & (frame["gamma"] <= 3.0)]
    gamma = rows["gamma"].to_numpy()
    g = np.sqrt(gamma) if gamma_power else gamma
    b1, b2 = (float(b) for b in fit.corrections[:2])
    stated = (
        gamma**gamma_power
        * abs(float(fit.stokes))
        / 2
        * g ** (-fit.power)
        * np.exp(-float(fit.singularity) / g)
        * (1 + b1 * g + b2 * g**2)
    )
    assert rows[layer.y].to_numpy() == pytest.approx(np.log10(stated), abs=1e-9)
