"""Polaron m/m*: the energy route (Eq. 21) and the sigma route (Eqs. 13, 16, 6) agree (identity
Eq. 17), and the exact curve approaches the series Eq. (22) and Eq. (23)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from physics.polaron import GAMMA_RANGE, inverse_mass_ratio
from tests.support.references import floats, ristivojevic_eq22, ristivojevic_eq23

PI = math.pi


EQ22 = floats(ristivojevic_eq22)
EQ23 = floats(ristivojevic_eq23)


def eq22(gamma: float) -> float:
    """Ristivojevic Eq. (22): sum_k d_k gamma^(k/2)."""
    return sum(d * gamma ** (k / 2) for k, d in enumerate(EQ22))


def eq23(gamma: float) -> float:
    """Ristivojevic Eq. (23): sum_k a_k gamma^-k."""
    return sum(a * gamma**-k for k, a in enumerate(EQ23))


def test_two_routes_agree_to_1e10():
    gammas = np.geomspace(0.01, 1000.0, 17)
    energy = inverse_mass_ratio(gammas, method="energy")
    sigma = inverse_mass_ratio(gammas, method="sigma")
    assert np.max(np.abs(energy / sigma - 1)) < 1e-10


@pytest.mark.parametrize("gamma", [1e-3, 1e-2, 0.1])
def test_weak_coupling_approaches_eq22(gamma):
    # Eq. (21) applied to Eq. (29) gives m/m* = sum_k c_k (1 - k/2) gamma^(k/2); the first omitted
    # term is -2 c_6 gamma^3 with c_6 = 3 (4 z3 + 6 z3^2 - 15 z5) / (2048 pi^6) ~ -3.2e-6
    assert inverse_mass_ratio(gamma) == pytest.approx(eq22(gamma), abs=1e-4 * gamma**3)


@pytest.mark.parametrize("gamma", [100.0, 1e3, 1e4])
def test_strong_coupling_approaches_eq23(gamma):
    # omitted terms are O(gamma^-5); coefficient ~ 5 * 2^5 * (pi^2/3) * |a_4|
    exact = inverse_mass_ratio(gamma, method="sigma")
    assert exact == pytest.approx(eq23(gamma), abs=2000 * PI**2 / gamma**5)


def test_range_and_monotone_decrease():
    gammas = np.geomspace(*GAMMA_RANGE, 13)
    values = inverse_mass_ratio(gammas)
    assert np.all((values > 0) & (values < 1))
    assert np.all(np.diff(values) < 0)


@pytest.mark.parametrize("bad", [0.0, -1.0, math.nan, math.inf, "heavy", 1e-5, 1e6])
def test_bad_gamma(bad):
    with pytest.raises(ValueError, match="gamma="):
        inverse_mass_ratio(bad)


def test_bad_method():
    with pytest.raises(ValueError, match="method="):
        inverse_mass_ratio(1.0, method="guess")


@pytest.mark.parametrize(
    ("regime", "gamma"), [("weak", 1e-3), ("weak", 1e-2), ("strong", 200.0), ("strong", 1e3)]
)
def test_series_partial_sums_converge_to_the_exact_curve(regime, gamma):
    """physics.series.inverse_mass_ratio_partial_sum (Eqs. 22, 23 from the project's own
    coefficients) against the exact Bethe-ansatz m/m*: the error falls with the order down to
    the solver's floor."""
    from physics.series import inverse_mass_ratio_partial_sum

    exact = inverse_mass_ratio(gamma)
    errors = [
        abs(inverse_mass_ratio_partial_sum(regime, gamma, order) - exact) / exact
        for order in (2, 4, 8, 12)
    ]
    assert errors[0] > errors[1] > min(errors[2], 1e-12)
    assert errors[-1] < 1e-13
