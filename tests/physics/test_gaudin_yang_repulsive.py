"""Balanced repulsive Gaudin-Yang e(gamma) against outside truths: the weak-coupling series of
Mariño-Reis Eq. (30) with gamma -> -gamma (typed closed forms and the certified 30-order tables,
computed by the resolvent method of the attractive model, not by this solver), the strong-coupling
expansion derived in docs/physics/gaudin-yang-repulsive-and-gap.md (free spinless fermions plus
the Heisenberg-chain exchange, ln 2 and zeta(3) terms), Yang's finite-N Bethe equations (charge and
spin rapidities, no elimination) extrapolated in N, the kernel against mpmath's digamma, and a
convergence study in the number of nodes."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from scipy.optimize import root

from physics import gaudin_yang_repulsive as gyr
from physics._bethe import MODELS, edge_quantities
from physics._kernels import TAKAHASHI
from physics._nystrom import node_count, solve_edge
from physics.series import weak_coupling_coefficients
from tests.support.references import floats, marino_reis_eq30

PI = math.pi
LN2 = math.log(2)
Z3 = float(mpmath.zeta(3))

# Mariño-Reis Eq. (30) (attractive, e_F = sum c_k gamma^k); the repulsive series is
# sum c_k (-gamma)^k (seed 000, after Eq. 33).
EQ30 = floats(marino_reis_eq30)

# Strong coupling, e / (pi^2/3) = sum_k s_k gamma^-k (derivation in the docs page, Eq. R6).
STRONG = (
    1.0,
    -4 * LN2,
    12 * LN2**2,
    8 * PI**2 * Z3 / 5 - 32 * LN2**3,
    80 * LN2**4 - 16 * PI**2 * Z3 * LN2,
)


def strong(gamma: float, order: int) -> float:
    return PI**2 / 3 * sum(s / gamma**k for k, s in enumerate(STRONG[: order + 1]))


@pytest.mark.parametrize("gamma", [1e-2, 3e-2, 0.1])
def test_weak_coupling_matches_eq30_alternating(gamma):
    exact = gyr.ground_state_energy(gamma)
    series = sum(c * (-gamma) ** k for k, c in enumerate(EQ30))
    # alternating series: error below the first omitted term ~ Gamma(9) pi^-18 gamma^10 < 1e-14
    assert abs(exact - series) <= 1e-12 * exact


@pytest.mark.parametrize("gamma", [0.2, 0.3])
def test_weak_coupling_matches_thirty_orders(gamma):
    coefficients = [float(c) for c in weak_coupling_coefficients("gaudin-yang", 30)]
    series = sum(c * (-gamma) ** k for k, c in enumerate(coefficients))
    assert gyr.ground_state_energy(gamma) == pytest.approx(series, rel=1e-13)


def test_weak_coupling_is_not_the_attractive_energy():
    """The sign of gamma matters at first order: e = pi^2/12 + gamma/2 + ..."""
    gamma = 0.05
    assert gyr.ground_state_energy(gamma) - PI**2 / 12 == pytest.approx(gamma / 2, rel=0.2)


def borel_pade(gamma: float, order: int, dps: int = 30) -> mpmath.mpf:
    """Borel-Padé sum of the alternating series sum_k c_k (-gamma)^k (c_k: shipped tables).

    B(t) = sum_{k>=2} a_k t^(k-1)/Gamma(k), a_k = c_k (-1)^k, so that sum_{k>=2} a_k gamma^k =
    int_0^inf e^{-t/gamma} B(t) dt; the Borel singularity sits at t = -pi^2 (Eq. 32), off the
    integration path. B(t)/t is replaced by its [order/2, order/2] Padé approximant.
    """
    with mpmath.workdps(dps):
        c = weak_coupling_coefficients("gaudin-yang", 30)
        a = [c[k] * (-1) ** k for k in range(len(c))]
        taylor = [a[k + 2] / mpmath.gamma(k + 2) for k in range(order + 1)]
        p, q = mpmath.pade(taylor, order // 2, order - order // 2)

        def integrand(t):
            return (
                mpmath.exp(-t / gamma)
                * t
                * mpmath.polyval(p, t, asc=True)
                / mpmath.polyval(q, t, asc=True)
            )

        return a[0] + a[1] * gamma + mpmath.quad(integrand, [0, 1, 5, 20, 60, mpmath.inf])


@pytest.mark.parametrize("gamma", [0.5, 1.0, 2.0])
def test_borel_pade_sum_of_the_alternating_series_converges_to_the_exact_energy(gamma):
    """The seed's claim (after Eq. 33): the gamma -> -gamma series is Borel summable to the exact
    repulsive energy. Measured at order 26: 7e-16 (0.5), 5e-16 (1), 3e-14 (2)."""
    exact = gyr.ground_state_energy(gamma)
    errors = [abs(float(borel_pade(gamma, order)) / exact - 1) for order in (10, 18, 26)]
    assert errors[2] < 1e-13
    assert errors[2] < errors[0]
    # the plain partial sums at this gamma are much worse (optimal truncation ~ e^{-pi^2/gamma})
    plain = sum(
        float(ck) * (-gamma) ** k
        for k, ck in enumerate(weak_coupling_coefficients("gaudin-yang", 30))
    )
    assert gamma < 1 or abs(plain / exact - 1) > 1e3 * errors[2]


@pytest.mark.parametrize("gamma", [10.0, 1000.0])
def test_high_precision_agrees_with_double(gamma):
    value, error = gyr.ground_state_energy_with_error(gamma, 30)
    assert isinstance(value, mpmath.mpf)
    assert error <= mpmath.mpf(10) ** -30 * abs(value)
    assert float(value) == pytest.approx(gyr.ground_state_energy(gamma), rel=1e-13)


def test_high_precision_against_its_refinement():
    coarse = gyr.ground_state_energy(10.0, digits=25)
    fine = gyr.ground_state_energy(10.0, digits=40)
    assert abs(coarse / fine - 1) < mpmath.mpf(10) ** -25


def test_borel_pade_sum_beyond_double_precision():
    """gamma = 1: the Borel-Padé sums of the 30-order alternating series approach the 25-digit
    exact energy with the order (measured 3.7e-11, 1.3e-15, 5.8e-20 at orders 10, 18, 28), past
    what the double-precision solver can judge."""
    exact = gyr.ground_state_energy(1.0, digits=25)
    errors = [abs(borel_pade(1.0, order, dps=40) / exact - 1) for order in (10, 18, 28)]
    assert errors[0] > errors[1] > errors[2]
    assert errors[2] < 1e-18


@pytest.mark.parametrize("bad", [0.05, 2e3, math.nan])
def test_high_precision_range(bad):
    with pytest.raises(ValueError, match="gamma"):
        gyr.ground_state_energy(bad, digits=20)


@pytest.mark.parametrize("gamma", [200.0, 500.0, 1000.0])
def test_strong_coupling_expansion(gamma):
    # the omitted gamma^-5 term has a coefficient of ~260 (pi^2/3 units), so 500/gamma^5 bounds it
    exact = gyr.ground_state_energy(gamma)
    assert abs(exact / strong(gamma, 4) - 1) < 500 / gamma**5
    # each order is needed: dropping the zeta(3)/ln^4 2 term of order 4 is visible
    assert abs(exact / strong(gamma, 3) - 1) > 50 / gamma**4


@pytest.mark.parametrize("order", [0, 1, 2, 3, 4])
def test_public_strong_coupling_series_matches_the_typed_one(order):
    gammas = np.array([10.0, 100.0, 1000.0])
    expected = [strong(g, order) for g in gammas]
    assert gyr.strong_coupling_energy(gammas, order) == pytest.approx(expected, rel=1e-15)


def test_public_strong_coupling_series_against_the_solver():
    assert gyr.strong_coupling_energy(500.0) == pytest.approx(
        gyr.ground_state_energy(500.0), rel=500 / 500.0**5
    )


@pytest.mark.parametrize(("gamma", "order"), [(0.5, 2), (10.0, 5), (10.0, -1), (10.0, 2.0)])
def test_strong_coupling_series_refuses_bad_arguments(gamma, order):
    with pytest.raises(ValueError, match=r"gamma|order"):
        gyr.strong_coupling_energy(gamma, order)


def test_strong_coupling_fourth_coefficient():
    """(e/strong_3 - 1) gamma^4 -> s_4 = 80 ln^4 2 - 16 pi^2 zeta(3) ln 2 = -113.13..."""
    gamma = 1000.0
    ratio = (gyr.ground_state_energy(gamma) - strong(gamma, 3)) / (PI**2 / 3) * gamma**4
    assert ratio == pytest.approx(STRONG[4], rel=5e-3)


def test_free_fermion_limits_and_monotone():
    gammas = np.geomspace(1e-2, 1e3, 12)
    values = gyr.ground_state_energy(gammas)
    assert values.shape == gammas.shape
    assert values[0] == pytest.approx(PI**2 / 12 + 0.01 / 2, rel=1e-4)
    assert values[-1] == pytest.approx(PI**2 / 3, rel=3e-3)
    assert np.all(np.diff(values) > 0)


def yang_energy(particles: int, gamma: float) -> float:
    """E/(L n^3) of N = 2M fermions (M odd, closed shells), M spins down, at n = 1 (L = N).

    Yang's equations in log form, theta_m(x) = 2 arctan(2x/(mc)):
    k_j L + sum_a theta_1(k_j - L_a) = 2 pi I_j, I_j = -(N-1)/2 ... (N-1)/2;
    sum_j theta_1(L_a - k_j) - sum_b theta_2(L_a - L_b) = 2 pi J_a, J_a = -(M-1)/2 ... (M-1)/2.
    """
    spins = particles // 2
    length, c = float(particles), gamma
    charge_numbers = np.arange(particles) - (particles - 1) / 2
    spin_numbers = np.arange(spins) - (spins - 1) / 2

    def equations(v):
        k, lam = v[:particles], v[particles:]
        dk = k[:, None] - lam[None, :]
        dl = lam[:, None] - lam[None, :]
        charge = k * length + 2 * np.arctan(2 * dk / c).sum(1) - 2 * PI * charge_numbers
        spin = (
            -2 * np.arctan(2 * dk / c).sum(0) - 2 * np.arctan(dl / c).sum(1) - 2 * PI * spin_numbers
        )
        return np.concatenate([charge, spin])

    def jacobian(v):
        k, lam = v[:particles], v[particles:]
        a1 = (4 / c) / (1 + (2 * (k[:, None] - lam[None, :]) / c) ** 2)
        a2 = (2 / c) / (1 + ((lam[:, None] - lam[None, :]) / c) ** 2)
        np.fill_diagonal(a2, 0.0)
        top = np.hstack([np.diag(length + a1.sum(1)), -a1])
        bottom = np.hstack([-a1.T, np.diag(a1.sum(0) - a2.sum(1)) + a2])
        return np.vstack([top, bottom])

    guess = np.concatenate([2 * PI * charge_numbers, 4 * PI * spin_numbers]) / length
    solution = root(equations, guess, jac=jacobian, method="hybr", options={"xtol": 1e-15})
    assert np.abs(equations(solution.x)).max() < 1e-10
    k = solution.x[:particles]
    return float(k @ k) / particles


@pytest.mark.parametrize("gamma", [1.0, 4.0])
def test_finite_n_bethe_equations_extrapolate_to_the_integral_equation(gamma):
    """e_N = e + a/N^2 + ... (the spin sector adds slowly varying log corrections): the 1/N^2
    Richardson estimates from N = (62, 126) and (126, 254) approach e, the second within 5e-9."""
    exact = gyr.ground_state_energy(gamma)
    energies = {n: yang_energy(n, gamma) for n in (62, 126, 254)}

    def richardson(small, large):
        return (large**2 * energies[large] - small**2 * energies[small]) / (large**2 - small**2)

    coarse = abs(richardson(62, 126) / exact - 1)
    fine = abs(richardson(126, 254) / exact - 1)
    assert fine < 5e-9
    assert fine < coarse / 3
    assert abs(energies[254] / exact - 1) > 1e-6  # the extrapolation is doing the work


@pytest.mark.parametrize("u", [0.0, 0.3, 2.0, 10.0, 50.0, 400.0])
def test_kernel_against_digamma(u):
    """k(u) = (1/pi) Re beta(1 - iu), beta(z) = [psi((z+1)/2) - psi(z/2)]/2; k(0) = ln2/pi."""
    with mpmath.workdps(40):
        z = mpmath.mpc(1, -u)
        value = mpmath.re(mpmath.digamma((z + 1) / 2) - mpmath.digamma(z / 2)) / (2 * mpmath.pi)
        slope = mpmath.diff(
            lambda t: (
                mpmath.re(
                    mpmath.digamma((mpmath.mpc(1, -t) + 1) / 2)
                    - mpmath.digamma(mpmath.mpc(1, -t) / 2)
                )
                / (2 * mpmath.pi)
            ),
            u,
        )
    k, k_slope = TAKAHASHI.evaluate(np.array([u]))
    assert k[0] == pytest.approx(float(value), rel=1e-13)
    assert k_slope[0] == pytest.approx(float(slope), rel=1e-13, abs=1e-30)


@pytest.mark.parametrize("u", ["0", "0.3", "7", "300"])
def test_arb_remainder_against_the_alternating_sum(u):
    """sum_{m > 20} (-1)^(m+1) m/(m^2 + u^2)/pi at 60 digits (mpmath's nsum, Euler transform)."""
    from flint import arb, ctx

    saved = ctx.prec
    ctx.prec = 200
    try:
        value = TAKAHASHI.remainder_arb(np.array([arb(u)], dtype=object), 20)[0]
        with mpmath.workdps(60):
            x = mpmath.mpf(u)
            expected = mpmath.nsum(
                lambda m: (-1) ** (m + 1) * m / (m * m + x * x), [21, mpmath.inf]
            )
            difference = abs(mpmath.mpf(value.mid().str(60, radius=False)) - expected / mpmath.pi)
            assert difference < mpmath.mpf(10) ** -55 * abs(expected)
    finally:
        ctx.prec = saved


def test_kernel_at_zero_is_ln2_over_pi():
    assert TAKAHASHI.evaluate(np.array([0.0]))[0][0] == pytest.approx(LN2 / PI, rel=1e-15)


@pytest.mark.parametrize("edge", [0.01, 1.0, 30.0, 200.0])
def test_convergence_in_number_of_nodes(edge):
    model = MODELS["gaudin-yang-repulsive"]
    n = node_count(edge)
    gamma, energy = edge_quantities(model, solve_edge(edge, model.kernel, n))
    gamma2, energy2 = edge_quantities(model, solve_edge(edge, model.kernel, 2 * n))
    assert abs(gamma[0] / gamma2[0] - 1) < 1e-13
    assert abs(energy[0] / energy2[0] - 1) < 1e-13


@pytest.mark.parametrize("bad", [0.0, -0.5, math.nan, math.inf, "x", None, 1e-3, 1e4])
def test_bad_gamma_raises_value_error(bad):
    with pytest.raises(ValueError, match=r"gamma=.*0\.01, 1000"):
        gyr.ground_state_energy(bad)


@pytest.mark.parametrize("order", [0, 3, 9])
def test_public_weak_coupling_partial_sum_is_eq30_at_minus_gamma(order):
    gammas = np.array([0.05, 0.4, 2.0])
    typed = [sum(float(c) * (-g) ** k for k, c in enumerate(EQ30[: order + 1])) for g in gammas]
    np.testing.assert_allclose(gyr.weak_coupling_partial_sum(gammas, order), typed, rtol=1e-14)


def test_truncation_errors_fall_to_the_solver_floor_and_name_the_smallest_term():
    orders, errors, smallest = gyr.truncation_errors(1.0)
    exact = gyr.ground_state_energy(1.0)
    assert errors[0] == pytest.approx(abs(exact - math.pi**2 / 12), rel=1e-12)
    coefficients = np.array([float(c) for c in weak_coupling_coefficients("gaudin-yang", 100)])
    assert smallest == 1 + np.argmin(np.abs(coefficients[1:]))  # γ = 1: |c_k| itself
    assert errors[smallest] < 1e-4 * exact  # Borel-summable: the optimal error is small
    assert orders[-1] == 100 and errors.shape == (101,)


@pytest.mark.parametrize(("gamma", "order"), [(-0.1, 3), (math.nan, 3), (0.1, 101), (0.1, 1.5)])
def test_weak_coupling_partial_sum_refuses_bad_arguments(gamma, order):
    with pytest.raises(ValueError, match=r"gamma|order"):
        gyr.weak_coupling_partial_sum(gamma, order)
