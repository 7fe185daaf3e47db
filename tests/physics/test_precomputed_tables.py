"""The shipped derived tables equal what the code derives now, and are used only when valid.

``assets/series/strong-coupling.json`` and ``assets/series/borel-pade-poles.json`` are written by
``qgas precompute``. Each test regenerates a cheap part of a table with ``precomputed=False``
and compares: a table can never drift from the code that made it.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from physics import _assets, resurgence, strong_coupling


@pytest.mark.parametrize("model", strong_coupling.MODELS)
def test_strong_coupling_table_equals_the_derivation(model):
    table = _assets.read_table(*strong_coupling.STRONG_COUPLING_TABLE)
    assert table is not None and table["order"] >= 20  # the sliders reach order 20
    shipped = strong_coupling.strong_coupling_coefficients(model, 8)
    derived = strong_coupling.strong_coupling_coefficients(model, 8, precomputed=False)
    assert shipped == derived
    assert [tuple(Fraction(x) for x in row) for row in table["models"][model][:9]] == list(derived)


def test_strong_coupling_table_starts_with_the_known_closed_form():
    # Lieb-Liniger a_0..a_3 = 1, -4, 12, -32 + 32 pi^2/15 (the Tonks limit and its corrections)
    a = strong_coupling.strong_coupling_coefficients("lieb-liniger", 3)
    assert a == ((1,), (-4,), (12,), (-32, Fraction(32, 15)))


@pytest.mark.parametrize("model", strong_coupling.MODELS)
@pytest.mark.parametrize("order", [2, 5, 9])
def test_pade_pole_table_equals_the_computation(model, order):
    shipped = resurgence.borel_pade_poles(model, order)
    computed = resurgence.borel_pade_poles(model, order, precomputed=False)
    np.testing.assert_allclose(shipped, computed, rtol=1e-14, atol=0)


@pytest.mark.parametrize("model", strong_coupling.MODELS)
def test_pade_pole_table_covers_every_order_and_matches_the_coefficients(model):
    table = _assets.read_table(*resurgence.PADE_POLES_TABLE)
    entry = table["models"][model]
    assert entry["coefficients_fingerprint"] == resurgence.coefficients_fingerprint(model)
    top = (len(resurgence.borel_transform_coefficients(model)) - 1) // 2
    assert sorted(int(order) for order in entry["poles"]) == list(range(1, top + 1))
    assert all(len(entry["poles"][str(order)]) == order for order in range(1, top + 1))


def test_a_table_for_other_coefficients_is_not_used(monkeypatch):
    resurgence._shipped_poles.cache_clear()
    monkeypatch.setattr(resurgence, "coefficients_fingerprint", lambda model: "another table")
    try:
        assert resurgence._shipped_poles("gaudin-yang") == {}
    finally:
        resurgence._shipped_poles.cache_clear()


def test_precomputed_must_be_a_boolean():
    with pytest.raises(TypeError, match="precomputed"):
        strong_coupling.strong_coupling_coefficients("lieb-liniger", 2, precomputed="no")
    with pytest.raises(TypeError, match="precomputed"):
        resurgence.borel_pade_poles("lieb-liniger", 2, precomputed=1)


def test_repulsive_gaudin_yang_energy_table_equals_the_solver_on_the_slider_grid():
    from dashboard.state import GAMMA_GRID
    from physics import gaudin_yang_repulsive as repulsive

    table = _assets.read_table(*repulsive.ENERGY_TABLE)
    assert table is not None and table["provenance"]["command"].startswith("qgas precompute")
    gammas = [float(g) for g in table["energies"][0]]
    low, high = repulsive.GAMMA_RANGE
    assert gammas == [g for g in GAMMA_GRID if low <= g <= high]  # every point the slider has
    sample = np.array(gammas[::37])
    shipped = repulsive.ground_state_energy(sample, precomputed=True)
    np.testing.assert_allclose(shipped, repulsive.ground_state_energy(sample), rtol=1e-14)
    off_grid = 0.123456  # not in the table: solved
    assert repulsive.ground_state_energy(off_grid, precomputed=True) == pytest.approx(
        repulsive.ground_state_energy(off_grid), rel=1e-15
    )
