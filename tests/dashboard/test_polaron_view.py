"""The m/m* view names the models as the project does and says on screen how far each series
it draws lies from the exact m/m* at the slider's γ (Ristivojevic Eqs. 21–23)."""

from __future__ import annotations

import math

import pytest

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
