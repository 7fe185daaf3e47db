"""Each view's plotted data follows its parameters as the physics says (in-process, no browser).

Expected values come from physics/ functions called directly here (the views must only
arrange them), from exact limits, or from the paper's closed forms.
"""

from __future__ import annotations

import html
import math

import numpy as np
import pytest

from dashboard.base import BUSY_TEXT, busy_line
from dashboard.state import GAMMA_GRID
from physics import gaudin_yang, lieb_liniger, polaron, strong_coupling


def test_every_registered_view_builds_without_error(fresh_app):
    assert fresh_app.failed == {}
    for slug, view in fresh_app.views.items():
        assert view.error_message == "", slug
        assert view.current_data, slug


def test_a_view_is_a_panel_object_built_once(fresh_app):
    """Views are Panel ``Viewer``s: ``pn.panel(view)`` (a notebook cell, a template) shows
    the one layout the dashboard shows."""
    import panel as pn

    view = fresh_app.views["energy"]
    assert pn.panel(view) is view.__panel__() is view.__panel__()


def test_energy_marker_sits_at_gamma_and_exact_energy(fresh_app):
    view = fresh_app.show("energy")
    for gamma in (0.01, 2.51, 316.0):
        fresh_app.state.gamma = gamma
        marker = view.current_data["marker"]
        assert marker["gamma"].tolist() == [gamma]
        assert marker["e"].iloc[0] == pytest.approx(lieb_liniger.ground_state_energy(gamma))


def test_energy_curve_has_the_known_limits(fresh_app):
    curve = fresh_app.show("energy").current_data["exact"]
    assert curve["e"].iloc[0] / curve["gamma"].iloc[0] == pytest.approx(1.0, abs=0.02)  # e ≈ γ
    assert curve["e"].iloc[-1] == pytest.approx(math.pi**2 / 3, rel=0.01)  # Tonks limit


def test_energy_model_toggle_and_strong_order(fresh_app):
    view = fresh_app.show("energy")
    fresh_app.state.gamma = 10.0
    view.param.update(model="gaudin-yang", strong_order=7)
    marker = view.current_data["marker"]
    assert marker["e"].iloc[0] == pytest.approx(gaudin_yang.ground_state_energy(10.0))
    series = view.current_data["strong-coupling series"]
    expected = strong_coupling.strong_coupling_energy(series["gamma"].to_numpy(), "gaudin-yang", 7)
    np.testing.assert_allclose(series["e"], expected)
    fresh_app.state.gamma = 1e3  # outside the Gaudin–Yang range: no marker, a message
    assert view.current_data["marker"].empty
    assert "outside" in view.summary(view.current_data)
    assert view.error_message == ""


def test_polaron_marker_and_two_routes(fresh_app):
    view = fresh_app.show("polaron")
    fresh_app.state.gamma = 5.01
    marker = view.current_data["marker"]
    assert marker["inverse_mass_ratio"].iloc[0] == pytest.approx(polaron.inverse_mass_ratio(5.01))
    sigma = view.current_data["sigma route"]
    exact = view.current_data["exact m/m*"].set_index("gamma")["inverse_mass_ratio"]
    np.testing.assert_allclose(
        sigma["inverse_mass_ratio"], exact.loc[sigma["gamma"]].to_numpy(), rtol=1e-9
    )
    # Eq. (23): m/m* → 2π²/(3γ) at strong coupling
    assert exact.iloc[-1] == pytest.approx(2 * math.pi**2 / (3 * GAMMA_GRID[-1]), rel=0.01)
    view.check_points = False
    assert "sigma route" not in view.current_data


def test_gamma_change_leaves_gamma_independent_views_alone(fresh_app):
    independent = [
        slug for slug, view in fresh_app.views.items() if "gamma" not in view.state_dependencies
    ]
    assert independent, "no γ-independent view to check"
    for step, slug in enumerate(independent):
        view = fresh_app.show(slug)  # shown: a shown view recomputes when an input it watches moves
        data = view.current_data
        assert data, slug
        fresh_app.state.gamma = (31.6, 0.501)[step % 2]
        assert view.current_data is data, slug
    # the check can fail: a shown γ-dependent view does get new data
    energy = fresh_app.show("energy")
    before = energy.current_data
    fresh_app.state.gamma = 2.51
    assert energy.current_data is not before


def test_borel_ratio_curve_equals_the_physics_sequence(fresh_app):
    from physics import resurgence

    view = fresh_app.show("borel")
    view.param.update(model="gaudin-yang", richardson_order=2)
    k, ratios = resurgence.ratio_sequence("gaudin-yang")
    np.testing.assert_array_equal(view.current_data["ratio"]["k"], k)
    np.testing.assert_allclose(view.current_data["ratio"]["ratio"], ratios.astype(float))
    _, transformed = resurgence.richardson_transform((k, ratios), 2)
    richardson = view.current_data["Richardson transform"]
    np.testing.assert_allclose(richardson["ratio"], transformed.astype(float))
    assert view.current_data["limit"]["ratio"].iloc[0] == pytest.approx(math.pi**2)
    # Eq. (32): the accelerated sequence ends closer to π² than the raw one
    assert abs(richardson["ratio"].iloc[-1] - math.pi**2) < abs(ratios[-1] - math.pi**2)
    poles = view.current_data["Padé poles"]
    expected = resurgence.borel_pade_poles("gaudin-yang", view.pade_order)
    np.testing.assert_allclose(poles["Re ζ"] + 1j * poles["Im ζ"], expected)


def test_borel_plane_says_how_many_poles_its_window_leaves_out(fresh_app):
    from physics.resurgence import borel_pade_poles

    view = fresh_app.views["borel"]
    view.param.update(model="lieb-liniger", pade_order=30)
    poles = borel_pade_poles("lieb-liniger", 30)
    reach = 3 * 8 * math.pi  # the window: three times the singularity's distance 8π
    outside = int(np.sum((abs(poles.real) > reach) | (abs(poles.imag) > reach)))
    assert 0 < outside < len(poles)
    expected = f"{outside} of the {len(poles)} Padé poles lie outside"
    assert expected in html.unescape(view.summary_line)


def test_borel_pade_order_beyond_the_table_is_an_error_inside_the_view(fresh_app):
    from dashboard.views.borel import max_pade_order

    view = fresh_app.show("borel")
    bounds = view.param.pade_order.bounds
    with pytest.raises(ValueError):
        view.pade_order = bounds[1] + 1  # refused by the parameter's bounds
    # data() guards the table itself (bounds wider than a model's table, e.g. a shorter table)
    shown = view.current_data
    top = max_pade_order(view.model)
    view.param.pade_order.bounds = (bounds[0], top + 5)
    try:
        view.pade_order = top + 1
        shown_text = html.unescape(view.error_message)  # escaped: shown as literal text
        assert f"pade_order={top + 1}" in shown_text
        assert f"2, {top}" in shown_text
        assert view.current_data is shown  # the last valid plots stay
    finally:
        view.param.pade_order.bounds = bounds
        view.pade_order = bounds[1]


@pytest.mark.slow
def test_decay_view_follows_the_disorder_strength(fresh_app):
    from physics import tonks_girardeau as tg

    view = fresh_app.show("decay")
    view.param.update(kind="gaussian", n_particles=8, realisations=2, seed=3)  # L = N
    fresh_app.state.disorder_strength = 2.0
    assert view.error_message == ""
    _, g1 = tg.averaged_decay(8, 8.0, "gaussian", 2.0, 2, 3)
    np.testing.assert_allclose(view.current_data["averaged |γ(x,x+r)|"]["g1"], g1[1:])
    _, clean = tg.averaged_decay(8, 8.0, "gaussian", 0.0, 1, 3)
    np.testing.assert_allclose(view.current_data["clean ring"]["g1"], clean[1:])
    # disorder suppresses long-distance coherence below the clean ring's
    assert g1[-1] < clean[-1]
    density = view.current_data["density n(x)"]["n"]
    assert density.mean() == pytest.approx(1.0, rel=1e-9)  # n = N/L = 1


def test_a_failed_update_takes_back_the_computing_notice(fresh_app, monkeypatch):
    """A heavy view's summary line says it is computing (BUSY_TEXT) while its worker thread
    runs; if the computation fails, the line goes back to the summary of the plots shown."""
    view = fresh_app.show("energy")
    shown = view.summary_line
    assert shown and not shown.startswith(BUSY_TEXT)
    view._summary.value = busy_line(shown)  # what a served heavy view shows while computing

    def failing_data(self):
        raise RuntimeError("solver diverged")

    monkeypatch.setattr(type(view), "data", failing_data)
    view.refresh()
    assert "solver diverged" in view.error_message
    assert view.summary_line == shown
