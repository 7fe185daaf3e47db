"""Exact strong-coupling coefficients: known closed forms, the polaron series Eq. (23) of
Ristivojevic, and geometric convergence towards the Nystrom solution order by order."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from physics import gaudin_yang as gy
from physics import lieb_liniger as ll
from physics.strong_coupling import strong_coupling_coefficients, strong_coupling_energy

PI2 = math.pi**2


def value(coefficient: tuple[Fraction, ...]) -> float:
    return sum(float(c) * PI2**j for j, c in enumerate(coefficient))


def test_lieb_liniger_leading_coefficients():
    a = strong_coupling_coefficients("lieb-liniger", 10)
    assert len(a) == 11
    assert a[0] == (1,)
    assert a[1] == (-4,)
    assert a[2] == (12,)
    assert a[3] == (-32, Fraction(32, 15))  # -32 + 32 pi^2/15
    assert all(isinstance(c, Fraction) for coefficient in a for c in coefficient)


def test_lieb_liniger_coefficients_reproduce_polaron_eq23():
    """Eq. (21) on e = (pi^2/3) sum a_k g^-k gives m/m* = (pi^2/3) sum (k+2) a_k g^-(k+1);
    Ristivojevic's Eq. (23): 2pi^2/3, -4pi^2, 16pi^2, -32pi^2(15 - pi^2)/9."""
    a = [value(c) for c in strong_coupling_coefficients("lieb-liniger", 3)]
    eq23 = [2 * PI2 / 3, -4 * PI2, 16 * PI2, -32 * PI2 * (15 - PI2) / 9]
    for k in range(4):
        assert PI2 / 3 * (k + 2) * a[k] == pytest.approx(eq23[k], rel=1e-14)


def test_gaudin_yang_pair_limit_coefficients():
    a = strong_coupling_coefficients("gaudin-yang", 4)
    assert a[0] == (1,)  # hard-core pairs: e_F + gamma^2/4 -> pi^2/48
    assert a[1] == (1,)
    assert a[2] == (Fraction(3, 4),)


@pytest.mark.parametrize(
    ("model", "rate", "floor"), [("lieb-liniger", 4.0, 1e-14), ("gaudin-yang", 1.0, 1e-12)]
)
def test_each_order_closes_the_gap_to_the_integral_equation(model, rate, floor):
    """At gamma = 100 the error after order K falls like (rate/gamma)^(K+1) (measured factor
    10-30 per order): a coefficient wrong by more than ~10% would leave an error ~ its own term,
    ten times the bound. Compared on the coupling-dependent part (e for LL, e_F + gamma^2/4 for
    GY, whose -gamma^2/4 = -2500 would otherwise swamp the comparison)."""
    gamma = 100.0
    pair = 0.0 if model == "lieb-liniger" else gamma**2 / 4
    solver = ll.ground_state_energy if model == "lieb-liniger" else gy.ground_state_energy
    exact = solver(gamma) + pair
    for order in range(1, 11):
        series = strong_coupling_energy(gamma, model, order) + pair
        error = abs(series / exact - 1)
        assert error < max(10 * (rate / gamma) ** (order + 1), floor), order


def test_lower_orders_do_not_change_when_more_are_requested():
    for model in ("lieb-liniger", "gaudin-yang"):
        for order in range(0, 8):
            longer = strong_coupling_coefficients(model, order + 3)
            assert strong_coupling_coefficients(model, order) == longer[: order + 1]


def test_bad_arguments():
    with pytest.raises(ValueError, match="model="):
        strong_coupling_coefficients("tonks", 3)
    with pytest.raises(ValueError, match="order="):
        strong_coupling_coefficients("lieb-liniger", -1)
    with pytest.raises(ValueError, match="order="):
        strong_coupling_coefficients("lieb-liniger", 2.5)
    with pytest.raises(ValueError, match="gamma="):
        strong_coupling_energy(-1.0)


def test_series_derivatives_are_term_by_term():
    gamma, h = 50.0, 1e-3
    for model in ("lieb-liniger", "gaudin-yang"):
        for derivative in (1, 2):
            plus = strong_coupling_energy(gamma + h, model, 8, derivative - 1)
            minus = strong_coupling_energy(gamma - h, model, 8, derivative - 1)
            assert strong_coupling_energy(gamma, model, 8, derivative) == pytest.approx(
                (plus - minus) / (2 * h), rel=1e-7
            )


def test_series_keeps_the_shape_of_gamma():
    scalar = strong_coupling_energy(100.0, "lieb-liniger", 6)
    assert isinstance(scalar, float)
    array = strong_coupling_energy(np.array([[100.0], [200.0]]), "lieb-liniger", 6)
    assert array.shape == (2, 1) and array[0, 0] == scalar


def test_an_order_that_would_take_minutes_is_refused_at_once():
    """QA: order 40 was valid and took 9.5 minutes to derive; the limit is 30 (about a
    minute), the same for the API and `qgas precompute`."""
    from physics.strong_coupling import MAX_ORDER, strong_coupling_coefficients
    from qgas.commands.precompute import MAX_STRONG_ORDER

    assert MAX_ORDER == MAX_STRONG_ORDER == 30
    with pytest.raises(ValueError, match=r"^order=40 is outside the valid range \[0, 30\]"):
        strong_coupling_coefficients("lieb-liniger", 40)
