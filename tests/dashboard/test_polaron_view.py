"""The m/m* view names the models as the project does and says on screen how far each series
it draws lies from the exact m/m* at the slider's γ (Ristivojevic Eqs. 21–23)."""

from __future__ import annotations

import math

import pytest

from dashboard.base import tap_hint
from dashboard.formatting import number
from dashboard.state import GlobalState
from dashboard.views.energy import EXPLANATIONS, MODELS, EnergyView
from dashboard.views.polaron import PolaronView
from physics import polaron, series


def polaron_at(gamma: float, **params) -> tuple[PolaronView, dict]:
    state = GlobalState()
    state.gamma = gamma
    view = PolaronView(state, **params)
    return view, view.data()


def visible_texts(view) -> list[str]:
    """What a user reads of a view: explanation, summary, titles, axis and legend labels,
    and its controls' labels and docs."""
    data = view.data()
    texts = [view.explanation, view.summary(data)]
    for panel in view.figure(data):
        texts += [panel.title, panel.xlabel, panel.ylabel, *(layer.label for layer in panel.layers)]
    for name in view.own_parameters():
        texts += [view.param[name].label, view.param[name].doc or ""]
    return texts


def test_gaudin_yang_is_named_one_way_in_both_views():
    """The project writes "Gaudin–Yang"; the polaron view had "Yang–Gaudin" (the paper's)."""
    texts = visible_texts(PolaronView(GlobalState()))
    energy = EnergyView(GlobalState())
    for model in MODELS.values():
        energy.model = model
        texts += visible_texts(energy)
    texts += [*EXPLANATIONS.values(), *MODELS]
    assert not [text for text in texts if "Yang–Gaudin" in text or "Yang-Gaudin" in text]
    assert any("Gaudin–Yang Bose gas" in text for text in texts)


@pytest.mark.parametrize(
    ("gamma", "drawn"),
    [(0.01, ("weak",)), (10.0, ("weak", "strong")), (100.0, ("strong",))],
)
def test_the_summary_says_how_far_each_drawn_series_misses(gamma, drawn):
    """Weak coupling is drawn for γ ≤ 10, strong for γ ≥ 3: the summary names exactly those,
    with |series − exact| from physics/ (at γ = 0.01 to first order the closed form
    1 − 2√γ/(3π) of Eq. 22)."""
    view, data = polaron_at(gamma, weak_order=1, strong_order=4)
    text = view.summary(data)
    exact = polaron.inverse_mass_ratio(gamma)
    for regime, order in (("weak", 1), ("strong", 4)):
        phrase = f"the {regime}-coupling series up to"
        assert (phrase in text) == (regime in drawn), text
        if regime in drawn:
            partial = series.inverse_mass_ratio_partial_sum(regime, gamma, order)
            assert f"misses by {number(abs(partial - exact))}" in text
    if gamma == 0.01:
        closed_form = 1 - 2 * math.sqrt(gamma) / (3 * math.pi)
        assert f"misses by {number(abs(closed_form - exact))}" in text


def test_the_summary_gives_the_two_routes_largest_difference_only_with_the_dots():
    view, data = polaron_at(2.51)
    assert "σ route (dots) differs from Eq. (21) by at most" in view.summary(data)
    view.check_points = False
    assert "σ route" not in view.summary(view.data())


def test_a_gamma_off_the_grid_is_computed_there_not_called_outside():
    """QA: γ = 7.77 read 'lies outside the computed range 0.001 … 1000'."""
    from dashboard.state import GAMMA_GRID

    gamma = 7.77
    assert gamma not in GAMMA_GRID
    view, data = polaron_at(gamma, weak_order=1, strong_order=2)
    exact = polaron.inverse_mass_ratio(gamma)
    assert data["marker"]["inverse_mass_ratio"].iloc[0] == pytest.approx(exact, rel=1e-14)
    text = view.summary(data)
    assert "outside" not in text and f"At γ = 7.77: m/m* = {exact:.6g}" in text
    weak = 1 - 2 * math.sqrt(gamma) / (3 * math.pi)  # Eq. (22) to first order
    strong = 2 * math.pi**2 / (3 * gamma) - 4 * math.pi**2 / gamma**2  # Eq. (23), two terms
    assert f"(√γ)¹ misses by {number(abs(weak - exact))}" in text
    assert f"(1/γ)² misses by {number(abs(strong - exact))}" in text


def test_a_miss_below_the_exact_values_accuracy_is_not_quoted_as_a_miss():
    """QA: at γ = 1000 the series to (1/γ)²⁰ 'misses by 3.47 × 10⁻¹⁸', the size of the two
    exact routes' own difference there; e and e′ are good to ~1e-12 relative."""
    gamma = 1000.0
    view, data = polaron_at(gamma, strong_order=20)
    exact = polaron.inverse_mass_ratio(gamma)
    sigma = polaron.inverse_mass_ratio(gamma, method="sigma")
    miss = abs(series.inverse_mass_ratio_partial_sum("strong", gamma, 20) - exact)
    assert miss < 1e-12 * exact and abs(sigma - exact) < 1e-12 * exact
    text = view.summary(data)
    assert "misses by" not in text
    assert f"(1/γ)²⁰ agrees within the exact value's accuracy (~{number(1e-12 * exact, 2)})" in text


def test_the_gamma_column_is_the_repulsive_bose_gas_coupling():
    from dashboard.export import describe_columns

    view, data = polaron_at(1.0)
    (gamma,) = [c for c in describe_columns(view, data)["exact m/m*"] if c.name == "gamma"]
    assert gamma.long_name == "coupling γ = c/n (repulsive bosons, c > 0)"
    assert gamma.units == "dimensionless"


def test_the_deficit_plot_shows_the_weak_coupling_law_a_log_axis_of_m_over_mstar_hides():
    """At weak coupling m/m* is 1 to within a per cent; the second plot draws 1 − m/m*, which
    Eq. (22) says is (2/(3π))√γ (1 + O(γ)) (its √γ² term vanishes): the exact curve's deficit
    meets that law to ~4e-3 γ relative, and the drawn law is the closed form."""
    view, data = polaron_at(1.0)
    (deficit_panel,) = [panel for panel in view.figure(data) if "1 − m/m*" in panel.ylabel]
    layers = {layer.frame: layer for layer in deficit_panel.layers}
    assert deficit_panel.logx and deficit_panel.logy
    exact = data["exact m/m*"]
    weak = exact[exact["gamma"] <= 0.1]
    law = 2.0 * weak["gamma"] ** 0.5 / (3.0 * math.pi)
    drawn = weak[layers["exact m/m*"].y]
    assert len(weak) > 10
    assert ((drawn / law - 1.0).abs() <= 1e-2 * weak["gamma"]).all()
    assert drawn.to_numpy() == pytest.approx(1.0 - weak["inverse_mass_ratio"].to_numpy(), rel=1e-12)
    leading = data["leading law"]
    assert leading[layers["leading law"].y].to_numpy() == pytest.approx(
        2.0 * leading["gamma"].to_numpy() ** 0.5 / (3.0 * math.pi), rel=1e-14
    )


def test_the_tap_hint_names_both_plots_that_set_gamma():
    """Both plots set γ on a click; the hint named only the last plot wired."""
    view = PolaronView(GlobalState())
    assert {index for index, *_ in view.tap_targets} == {0, 1}
    assert tap_hint(view, 2) == "<em>Click or tap either plot to set γ there.</em>"
