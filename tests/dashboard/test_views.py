"""Each view's plotted data follows its parameters as the physics says (in-process, no browser).

Expected values come from physics/ functions called directly here (the views must only
arrange them), from exact limits, or from the paper's closed forms.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from dashboard.state import GAMMA_GRID
from physics import gaudin_yang, lieb_liniger, polaron, strong_coupling


def test_every_registered_view_builds_without_error(fresh_app):
    assert fresh_app.failed == {}
    for slug, view in fresh_app.views.items():
        assert view.error_message == "", slug
        assert view.current_data, slug


def test_energy_marker_sits_at_gamma_and_exact_energy(fresh_app):
    view = fresh_app.views["energy"]
    for gamma in (0.01, 2.51, 316.0):
        fresh_app.state.gamma = gamma
        marker = view.current_data["marker"]
        assert marker["gamma"].tolist() == [gamma]
        assert marker["e"].iloc[0] == pytest.approx(lieb_liniger.ground_state_energy(gamma))


def test_energy_curve_has_the_known_limits(fresh_app):
    curve = fresh_app.views["energy"].current_data["exact"]
    assert curve["e"].iloc[0] / curve["gamma"].iloc[0] == pytest.approx(1.0, abs=0.02)  # e ≈ γ
    assert curve["e"].iloc[-1] == pytest.approx(math.pi**2 / 3, rel=0.01)  # Tonks limit


def test_energy_model_toggle_and_strong_order(fresh_app):
    view = fresh_app.views["energy"]
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
    view = fresh_app.views["polaron"]
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
    untouched = {
        slug: view.current_data
        for slug, view in fresh_app.views.items()
        if "gamma" not in view.state_dependencies
    }
    fresh_app.state.gamma = 31.6
    for slug, data in untouched.items():
        assert fresh_app.views[slug].current_data is data, slug
