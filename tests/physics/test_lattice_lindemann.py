"""Lindemann criterion of physics.lattice.lindemann against Yukalov's thresholds and quadrature.

Expected values: the T = 0 thresholds T_D/E_K = 4d²/(d−1) of Eqs. (51)–(53), the Debye
integral of Eq. (42) evaluated here with scipy.integrate.quad, and the high-temperature
expansion coth y = 1/y + y/3 + O(y³) worked out in docs/physics/lattice.md.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy.integrate import quad

from physics.lattice import (
    LINDEMANN_BOUND,
    lindemann_ratio,
    lindemann_threshold,
    mean_square_deviation,
)


def _ratio_by_quadrature(TD_over_EK: float, T_over_EK: float, d: int = 3) -> float:
    """r_0/a = d √(I_d E_K/T_D), I_d = ∫_0^1 x^{d−2} coth(T_D x/2T) dx by quadrature (d ≥ 3).

    coth y = 1 + 2/(e^{2y} − 1): the constant part integrates to 1/(d − 1); the thermal part,
    concentrated at x ≲ 1/b, is integrated numerically with break points at 1/b and 10/b, up
    to x = 40/b beyond which it is below e^{−80}.
    """
    b = TD_over_EK / (2.0 * T_over_EK)

    def thermal(x: float) -> float:
        return 2.0 * x ** (d - 2) / math.expm1(2.0 * b * x) if x > 0.0 else x ** (d - 3) / b

    upper = min(1.0, 40.0 / b)
    breaks = [x for x in (1.0 / b, 10.0 / b) if x < upper]
    integral = (
        1.0 / (d - 1)
        + quad(thermal, 0.0, upper, points=breaks or None, limit=400, epsabs=0.0, epsrel=1e-13)[0]
    )
    return d * math.sqrt(integral / TD_over_EK)


@pytest.mark.parametrize("T_over_EK", [1e-3, 0.1, 1.0, 10.0, 1e3, 1e6])
@pytest.mark.parametrize("TD_over_EK", [0.5, 18.0, 72.0, 300.0])
def test_ratio_matches_quadrature_of_the_debye_integral(TD_over_EK, T_over_EK):
    expected = _ratio_by_quadrature(TD_over_EK, T_over_EK)
    assert float(lindemann_ratio(TD_over_EK, T_over_EK, 3)) == pytest.approx(expected, rel=1e-10)


@pytest.mark.parametrize(("d", "threshold"), [(2, 16.0), (3, 18.0)])
def test_zero_temperature_thresholds_of_eqs_51_to_53(d, threshold):
    assert 4 * d**2 / (d - 1) == threshold
    assert lindemann_threshold(0.0, d) == pytest.approx(threshold, rel=1e-15)
    assert float(lindemann_ratio(threshold, 0.0, d)) == pytest.approx(LINDEMANN_BOUND, rel=1e-15)
    assert float(lindemann_ratio(threshold * 1.001, 0.0, d)) < LINDEMANN_BOUND
    assert float(lindemann_ratio(threshold * 0.999, 0.0, d)) > LINDEMANN_BOUND


@pytest.mark.parametrize("d", [2, 3])
def test_zero_temperature_ratio_closed_form(d):
    # coth → 1: I_d = 1/(d − 1), r_0/a = d/√((d − 1) T_D/E_K).
    TD = np.array([0.1, 1.0, 25.0, 1e4])
    np.testing.assert_allclose(lindemann_ratio(TD, 0.0, d), d / np.sqrt((d - 1) * TD), rtol=1e-14)


@pytest.mark.parametrize("T_over_EK", [0.0, 1e-3, 1.0, 1e3])
def test_one_dimensional_crystal_is_never_stable(T_over_EK):
    # I_1 = ∫_0^1 x^{-1} coth(...) dx diverges at x → 0 for every T (Eq. 51 with d = 1).
    assert math.isinf(float(lindemann_ratio(1e6, T_over_EK, 1)))
    assert math.isinf(lindemann_threshold(T_over_EK, 1))


def test_one_dimensional_integral_diverges_logarithmically():
    # The divergence the implementation reports as ∞: ∫_ε^1 dx/x grows as ln(1/ε) without bound.
    truncated = [quad(lambda x: 1.0 / x, eps, 1.0)[0] for eps in (1e-2, 1e-4, 1e-8)]
    np.testing.assert_allclose(truncated, [math.log(1e2), math.log(1e4), math.log(1e8)], rtol=1e-8)


def test_two_dimensional_crystal_is_unstable_at_any_positive_temperature():
    # coth(bx) ≈ 1/(bx) at small x makes ∫_0^1 coth(bx) dx diverge logarithmically.
    assert float(lindemann_ratio(1e6, 0.0, 2)) < LINDEMANN_BOUND
    assert math.isinf(float(lindemann_ratio(1e6, 1e-6, 2)))
    assert math.isinf(lindemann_threshold(1e-6, 2))


@pytest.mark.parametrize("T_over_EK", [100.0, 1e3, 1e4])
def test_high_temperature_threshold_follows_the_corrected_eq_54(T_over_EK):
    # r_0²/a² = 18 T E_K/T_D² + E_K/(2T) + O(T_D²/T³)  ⇒  T_D² = 72 T E_K/(1 − 2E_K/T).
    threshold = lindemann_threshold(T_over_EK, 3)
    leading = 72.0 * T_over_EK / (1.0 - 2.0 / T_over_EK)
    assert threshold**2 / leading == pytest.approx(1.0, abs=3.0 / T_over_EK**2)
    # Eq. (54) as a bare number (T_D/E_K > 72) is wrong: the threshold grows as √T.
    assert threshold > 72.0 or T_over_EK < 72.0


def test_finite_temperature_threshold_is_where_the_quadrature_ratio_is_one_half():
    for T_over_EK in (0.3, 3.0, 30.0):
        threshold = lindemann_threshold(T_over_EK, 3)
        assert threshold > 18.0
        assert _ratio_by_quadrature(threshold, T_over_EK) == pytest.approx(0.5, rel=1e-10)


def test_ratio_grows_with_temperature_and_falls_with_debye_temperature():
    T = np.logspace(-3, 4, 50)
    TD = np.logspace(-1, 4, 40)
    grid = lindemann_ratio(TD[:, None], T[None, :], 3)
    assert grid.shape == (40, 50)
    assert np.all(np.diff(grid, axis=1) >= 0.0)
    assert np.all(np.diff(grid, axis=0) < 0.0)


def test_no_debye_temperature_means_no_stable_crystal():
    assert math.isinf(float(lindemann_ratio(0.0, 0.0, 3)))
    assert math.isinf(float(lindemann_ratio(0.0, 1.0, 3)))


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: lindemann_ratio(18.0, 0.0, 4), "d"),
        (lambda: lindemann_ratio(18.0, 0.0, 0), "d"),
        (lambda: lindemann_ratio(18.0, 0.0, 2.5), "d"),
        (lambda: lindemann_ratio(-1.0, 0.0, 3), "TD_over_EK"),
        (lambda: lindemann_ratio(float("nan"), 0.0, 3), "TD_over_EK"),
        (lambda: lindemann_ratio(18.0, -0.1, 3), "T_over_EK"),
        (lambda: lindemann_ratio(18.0, float("nan"), 3), "T_over_EK"),
        (lambda: lindemann_threshold(-1.0, 3), "T_over_EK"),
    ],
)
def test_bad_input_names_parameter_value_and_range(call, name):
    with pytest.raises(ValueError, match=rf"{name}=.*(range|valid)"):
        call()


@pytest.mark.parametrize("half_ratio", [1e-4, 0.0249, 0.0251, 0.3, 1e7, 2e8])
def test_ratio_matches_quadrature_across_the_series_and_asymptotic_switches(half_ratio):
    # b = T_D/2T on both sides of the small-b series (b < 0.025) and the b > 1e8 limit.
    TD = 20.0
    T = TD / (2.0 * half_ratio)
    expected = _ratio_by_quadrature(TD, T)
    assert float(lindemann_ratio(TD, T, 3)) == pytest.approx(expected, rel=1e-12)


def test_extreme_inputs_give_finite_or_infinite_ratios_without_warnings():
    values = np.array([0.0, 1e-310, 1e-300, 1e-10, 1.0, 1e10, 1e300, 1.7e308])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for d in (1, 2, 3):
            ratio = lindemann_ratio(values[:, None], values[None, :], d)
            assert not np.any(np.isnan(ratio)) and np.all(ratio > 0.0)
        assert math.isinf(float(lindemann_ratio(1e-300, 1e300, 3)))
        threshold = lindemann_threshold(1e300, 3)
    assert threshold == pytest.approx(math.sqrt(72.0) * 1e150, rel=1e-15)


@pytest.mark.parametrize("mass", [0.5, 2.0, 7.0])
@pytest.mark.parametrize("debye", [0.3, 4.0])
def test_mean_square_deviation_at_zero_temperature(mass, debye):
    # Eqs. (41)-(42) at T = 0 (coth -> 1): r_0^2 = d^2/(2 m T_D) int_0^1 x dx = 9/(4 m T_D), d = 3
    r2 = mean_square_deviation(debye, 0.0, mass)
    assert isinstance(r2, float)
    assert r2 == pytest.approx(9 / (4 * mass * debye), rel=1e-14)


def test_mean_square_deviation_at_finite_temperature_matches_quadrature():
    debye, temperature, mass = 2.0, 0.7, 3.0
    integral, _ = quad(lambda x: x / math.tanh(debye * x / (2 * temperature)), 0.0, 1.0)
    expected = 9 / (2 * mass * debye) * integral  # Eq. (41) with the Debye spectrum, Eq. (42)
    r2 = mean_square_deviation(np.array([debye]), temperature, mass)
    assert r2.shape == (1,)
    assert r2[0] == pytest.approx(expected, rel=1e-12)
