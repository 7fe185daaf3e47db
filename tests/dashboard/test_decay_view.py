"""Decay view (issue 18): density fixed at n = 1 when N moves; ξ only for exponential decay."""

from __future__ import annotations

import math

import numpy as np
import param
import pytest

from dashboard.assembly import DashboardApp

# each view builds its λ-vs-1/ξ panel (6 strengths, transfer matrices): ~1 min per N
pytestmark = pytest.mark.slow


def _view(n_particles: int, strength: float):
    app = DashboardApp()
    view = app.views["decay"]
    view.param.update(n_particles=n_particles, realisations=2)
    app.state.disorder_strength = strength
    app.show("decay")
    return view, view.data()


def test_units_stay_consistent_when_n_moves():
    for n in (8, 24):
        view, data = _view(n, 3.0)
        assert view.error_message == ""
        r = data["averaged |γ(x,x+r)|"]["r"]
        assert r.max() == n / 2  # L = N: separations up to L/2 in units 1/n
        density = data["density n(x)"]
        mean_density = np.trapezoid(density["n"], density["x"]) / n
        assert abs(mean_density - 1.0) < 0.02  # n = N/L = 1 whatever N
        assert f"N = L = {n}" in view.summary(data)


def test_clean_ring_reports_power_law_not_a_decay_length():
    view, data = _view(16, 0.0)
    assert data["decay length"]["model"].iloc[0] == "power law"
    assert "power-law decay" in view.summary(data)
    # Lenard's chord law d(r)^(-1/2) (docs/physics/tonks_girardeau.md): the fitted exponent
    assert "free-fit exponent p = 0.5 (clean ring: 1/2" in view.summary(data)
    assert "ξ =" not in view.summary(data)
    assert data["exponential fit"].empty
    assert data["fit window"].empty  # no orange window under a power law (QA)
    # the average is the clean ring itself: no second curve hidden under it (QA)
    assert data["clean ring"].empty and not data["averaged |γ(x,x+r)|"].empty


def test_strong_disorder_reads_exponential_decay_with_its_length():
    # Gaussian 10 at N = 32: a free power law (p ≈ 2) fits about as well as the exponential,
    # the clean law d^(-1/2) twenty times worse; the summary must quote ξ, not "power-law"
    view, data = _view(32, 10.0)
    assert data["decay length"]["model"].iloc[0] == "exponential"
    assert "exponential decay of the mean E|γ|, ξ = " in view.summary(data)
    assert "power-law decay" not in view.summary(data)
    assert not data["clean ring"].empty  # the reference the average departs from


def test_the_summary_names_the_typical_length_that_the_lambda_panel_compares():
    """Speckle 10, N = 32, 16 realisations: the mean E|γ| fell as e^(−r/4.2) and the summary
    quoted that ξ beside "1/ξ ÷ λ = 0.89–1.12", while λ(μ) = 0.40 (QA: 0.6, 2.3σ off). The
    one-link prediction (Lyapunov exponent, transfer matrices, tested on its own) concerns
    the typical exp E log|γ|: the summary names ξ_typ, and 1/ξ_typ meets λ within 3σ."""
    app = DashboardApp()
    view = app.views["decay"]
    view.param.update(n_particles=32, realisations=16, kind="speckle")
    app.state.disorder_strength = 10.0
    app.show("decay")
    data = view.data()
    row = data["decay length"].iloc[0]
    versus = data["localisation vs decay"].set_index("strengths").loc[10.0]
    rate, rate_error = 1.0 / row["xi_typical"], row["sigma_typical"] / row["xi_typical"] ** 2
    assert abs(rate - versus["lyapunov"]) < 3.0 * math.hypot(rate_error, versus["lyapunov_error"])
    assert "ξ_typ = " in view.summary(data)


def _most_within_the_model(n_particles: int) -> int:
    """Most realisations R with a (N/64)^p (R + c) <= budget, from the model's constants (the
    cost model of dashboard.views.decay, its N counted as at least the floor)."""
    from dashboard.views import decay

    size = max(n_particles, decay.COST_FLOOR_PARTICLES) / 64
    per_realisation = decay.COST_PER_REALISATION_S * size**decay.COST_EXPONENT
    return math.floor(decay.COST_BUDGET_S / per_realisation) - decay.OTHER_WORK_REALISATIONS


def test_inputs_beyond_the_shared_workers_cost_budget_are_refused_before_any_work():
    """QA case: N = 256 with 64 realisations held the one physics worker for > 5 minutes."""
    from dashboard.views.decay import (
        COST_BUDGET_S,
        MAX_VIEW_PARTICLES,
        DecayView,
        check_budget,
        estimated_cost,
        most_realisations,
    )

    defaults = DecayView.param
    assert estimated_cost(defaults.n_particles.default, defaults.realisations.default) < (
        COST_BUDGET_S
    )
    with pytest.raises(ValueError, match=r"n_particles=256 with realisations=64 .*budget is 10 s"):
        check_budget(256, 64)
    for n in (64, 128, MAX_VIEW_PARTICLES):
        most = _most_within_the_model(n)
        assert most_realisations(n) == most >= 2
        with pytest.raises(ValueError, match=rf"at N = {n} at most {most} realisations"):
            check_budget(n, most + 1)
        check_budget(n, most)
    # the slider ends at the last multiple of 8 with 2 realisations within the budget
    assert _most_within_the_model(MAX_VIEW_PARTICLES + 8) < 2
    assert MAX_VIEW_PARTICLES % 8 == 0


def test_the_map_exports_a_dimensionless_log_and_an_undefined_xi_as_nan():
    from dashboard.export import describe_columns
    from dashboard.views.decay import DecayView

    view = DecayView()
    view.state.disorder_strength = 0.0  # clean ring: power-law decay, ξ undefined
    data = view.data()
    units = {c.name: c.units for c in describe_columns(view, data)["γ map"]}
    assert "dimensionless" in units["log10_g"]
    row = data["decay length"].iloc[0]
    assert row["model"] != "exponential"
    assert math.isnan(row["xi"]) and math.isnan(row["sigma"])


def test_the_superfluid_fit_is_solid_over_the_data_and_dashed_beyond():
    """QA: the fit ran solid to 4 L_max and looked like data where there is none."""
    view, data = _view(8, 5.0)  # Born's 1/λ ≈ 19 < L_max = 32: extrapolated
    measured_lengths = data["superfluid density"]["L"]
    fit, beyond = data["superfluid fit"]["L"], data["superfluid fit, extrapolated"]["L"]
    assert fit.min() == measured_lengths.min() and fit.max() == measured_lengths.max()
    assert beyond.min() == measured_lengths.max() and beyond.max() > measured_lengths.max()
    (stiffness,) = [panel for panel in view.figure(data) if "Superfluid" in panel.title]
    styles = {layer.frame: dict(layer.style) for layer in stiffness.layers}
    assert styles["superfluid fit, extrapolated"].get("line_dash") == "dashed"
    assert "line_dash" not in styles["superfluid fit"]
    # where the dashed line ends, ρ_∞ with its error bar (QA: a bare plateau at 0.12 n read
    # as a finite limit while the summary said "consistent with 0")
    limit, extrapolation = data["superfluid limit"], data["superfluid extrapolation"].iloc[0]
    assert limit["L"].tolist() == [beyond.max()]
    assert limit["rho_s"].iloc[0] == extrapolation["rho_infinity"]
    assert limit["sigma"].iloc[0] == extrapolation["rho_infinity_error"] > 0
    drawn = {(type(layer).__name__, layer.frame) for layer in stiffness.layers}
    assert {("ErrorBars", "superfluid limit"), ("Scatter", "superfluid limit")} <= drawn


def test_weak_disorder_quotes_the_largest_ring_instead_of_an_extrapolation():
    """QA: at speckle 1 the fit's ℓ_s = 0.07 gave 'ρ_∞ = 0.988 ± 0.003' above the data. Born's
    localisation length at the Fermi level, 1/λ_B = 8π²/(V_R² π σ_R (1 − π σ_R)) ≈ 470, far
    exceeds the rings (L ≤ 32): nothing can be extrapolated, and the summary says why."""
    view, data = _view(8, 1.0)
    sigma_r = 0.25
    born_length = 8 * math.pi**2 / (math.pi * sigma_r * (1 - math.pi * sigma_r))
    assert data["superfluid fit"].empty and data["superfluid fit, extrapolated"].empty
    assert math.isnan(data["superfluid extrapolation"]["rho_infinity"].iloc[0])
    summary = view.summary(data)
    assert "ρ_s(L = 32) = " in summary and "not extrapolated" in summary
    assert f"≈ {float(f'{born_length:.2g}'):g} (Born" in summary


def test_a_strength_whose_born_rate_underflows_is_not_extrapolated_either():
    """QA: at strength 1e-300 λ_B underflows to 0, the check was skipped and the summary
    quoted 'ρ_s(L → ∞) = 0.9999999999998 ± …' with no fit drawn."""
    from dashboard.views.decay import superfluid

    extrapolation = superfluid("speckle", 1e-300, 0)["extrapolation"]
    assert math.isnan(extrapolation.rho_infinity)
    assert "beyond 10³⁰⁸" in extrapolation.note


def test_a_slider_moved_beyond_the_budget_brings_the_realisations_down_to_its_limit():
    """QA case: End on the N slider (N = 168 with the default 12 realisations) showed a
    ValueError; now the realisations follow to the most the budget allows, and say so."""
    from dashboard.views.decay import MAX_VIEW_PARTICLES, DecayView, check_budget

    def release(slider, value):  # a slider let go at value (a heavy view's event)
        with param.parameterized.edit_constant(slider):
            slider.param.update(value=value, value_throttled=value)

    view = DecayView()
    n_slider, realisations_slider = view.widget("n_particles"), view.widget("realisations")
    release(n_slider, MAX_VIEW_PARTICLES)
    n, most = view.n_particles, view.realisations
    assert n == MAX_VIEW_PARTICLES and most < view.param.realisations.default
    check_budget(n, most)  # the pair is within the budget ...
    with pytest.raises(ValueError):
        check_budget(n, most + 1)  # ... and one more realisation is not: the limit itself
    assert realisations_slider.value == most
    assert f"Realisations limited to {most} at N = {n}" in view._budget_note
    release(realisations_slider, 64)  # dragged past the limit: held at it
    assert view.realisations == most
    release(n_slider, 32)
    assert (view.n_particles, view.realisations, view._budget_note) == (32, most, "")


def test_the_summary_explains_a_lambda_panel_run_that_reached_the_other_verdict():
    """Near the crossover the λ panel's own run (its realisations) can call the mean decay
    exponential where the main fit says power law: the summary then says why, naming the
    decision margin, instead of leaving the two panels to contradict each other."""
    import pandas as pd

    from dashboard.views.decay import DecayView
    from physics.tonks_girardeau.fits import EXPONENTIAL_MARGIN

    def summary(strength: float, main: str) -> str:
        view = DecayView()
        view.state.disorder_strength = strength
        data = {
            "decay length": pd.DataFrame(
                {
                    "xi": [4.0],
                    "sigma": [0.5],
                    "model": [main],
                    "exponent": [1.0],
                    "xi_typical": [3.0],
                    "sigma_typical": [0.3],
                    "window_end": [12.0],
                    "default_window_end": [12.0],
                }
            ),
            "superfluid extrapolation": pd.DataFrame(
                {"rho_infinity": [0.1], "rho_infinity_error": [0.1]}
            ),
            "localisation vs decay": pd.DataFrame(
                {
                    "strengths": [2.5, 5.0],
                    "model_mean": ["power law", "exponential"],
                    "rate_typical": [0.1, 0.2],
                    "lyapunov": [0.1, 0.2],
                }
            ),
        }
        return view.summary(data)

    explained = summary(5.0, "power law")
    assert "finds exponential decay" in explained
    assert f"{EXPONENTIAL_MARGIN:g} times better" in explained
    assert "finds" not in summary(5.0, "exponential")  # the same verdict: nothing to explain
    assert "finds" not in summary(3.0, "power law")  # not a strength of the λ panel
