"""Lieb-Liniger e(gamma) against outside truth: Eq. (29) closed forms, the strong-coupling
expansion, a convergence study in the number of nodes, exact limits and thermodynamic identities."""

from __future__ import annotations

import math

import numpy as np
import pytest

from physics import lieb_liniger as ll
from physics._bethe import MODELS, edge_quantities
from physics._nystrom import node_count, solve_edge
from physics.strong_coupling import strong_coupling_energy
from tests.support.references import floats, marino_reis_eq29

PI = math.pi

# Mariño-Reis Eq. (29): e(gamma) = gamma * sum_k c_k gamma^(k/2).
EQ29 = floats(marino_reis_eq29)


def eq29(gamma: float, derivative: int = 0) -> float:
    """Eq. (29) or its derivatives, term by term: sum_k c_k gamma^(1 + k/2)."""
    total = 0.0
    for k, c in enumerate(EQ29):
        p = 1 + k / 2
        factor = 1.0
        for d in range(derivative):
            factor *= p - d
        total += c * factor * gamma ** (p - derivative)
    return total


def eq29_truncation(gamma: float) -> float:
    """Size of the first omitted term, c_8 gamma^5 with c_8 ~ Gamma(8) (8 pi)^-8 (Eq. 32)."""
    return math.gamma(8) * (8 * PI) ** -8 * gamma**5


@pytest.mark.parametrize("gamma", [1e-3, 2e-3, 5e-3, 1e-2])
def test_weak_coupling_matches_eq29_to_1e12(gamma):
    e = ll.ground_state_energy(gamma)
    # Eq. (29) truncated after gamma^(9/2) is itself exact to < 1e-15 relative here.
    assert eq29_truncation(gamma) / e < 1e-15
    assert abs(e - eq29(gamma)) <= 1e-12 * e


@pytest.mark.parametrize("gamma", [0.03, 0.1])
def test_weak_coupling_difference_below_last_term_used(gamma):
    e = ll.ground_state_energy(gamma)
    last = abs(EQ29[-1]) * gamma ** (1 + 7 / 2)
    assert abs(e - eq29(gamma)) < last


@pytest.mark.parametrize("gamma", [1e-3, 1e-2])
def test_derivatives_match_eq29(gamma):
    assert ll.energy_derivative(gamma) == pytest.approx(eq29(gamma, 1), rel=1e-12)
    assert ll.energy_derivative(gamma, order=2) == pytest.approx(eq29(gamma, 2), rel=1e-9)


@pytest.mark.parametrize("gamma", [1e3, 3e3, 1e4])
def test_strong_coupling_matches_series(gamma):
    # order-12 series: truncation ~ (2 pi / gamma)^13, far below 1e-12 for gamma >= 1e3
    assert ll.ground_state_energy(gamma) == pytest.approx(
        strong_coupling_energy(gamma, "lieb-liniger", 12), rel=1e-12
    )


def test_tonks_limit_and_first_correction():
    gamma = 1e4
    e = ll.ground_state_energy(gamma)
    assert e == pytest.approx(PI**2 / 3 * (1 - 4 / gamma + 12 / gamma**2), rel=1e-10)


@pytest.mark.parametrize("edge", [1e-3, 0.3, 3.0, 20.0, 70.0])
def test_convergence_in_number_of_nodes(edge):
    """Doubling the nodes changes gamma(B) and e(B) by less than 1e-13 (relative)."""
    model = MODELS["lieb-liniger"]
    n = node_count(edge)
    gamma, energy = edge_quantities(model, solve_edge(edge, +1, n))
    gamma2, energy2 = edge_quantities(model, solve_edge(edge, +1, 2 * n))
    assert abs(gamma[0] / gamma2[0] - 1) < 1e-13
    assert abs(energy[0] / energy2[0] - 1) < 1e-13
    # and the default is converged: half the nodes still agree to 1e-9 (the error is spectral)
    gamma_half, _ = edge_quantities(model, solve_edge(edge, +1, max(8, 2 * (n // 4))))
    assert abs(gamma_half[0] / gamma2[0] - 1) < 1e-7


@pytest.mark.parametrize("gamma", [0.05, 1.0, 30.0])
def test_first_derivative_against_richardson_difference(gamma):
    """Independent check of the exact derivative by a Richardson-extrapolated central difference."""
    h = 1e-3 * gamma

    def central(step):
        return (ll.ground_state_energy(gamma + step) - ll.ground_state_energy(gamma - step)) / (
            2 * step
        )

    richardson = (4 * central(h / 2) - central(h)) / 3
    assert ll.energy_derivative(gamma) == pytest.approx(richardson, rel=1e-9)
    second = (ll.energy_derivative(gamma + h) - ll.energy_derivative(gamma - h)) / (2 * h)
    assert ll.energy_derivative(gamma, order=2) == pytest.approx(second, rel=1e-5)


def test_chemical_potential_and_sound_velocity_tonks_limit():
    gamma = 1e4
    # e = (pi^2/3)(1 - 4/g + ...): mu = 3e - g e' = pi^2 (1 - 16/(3g)), v = 2 pi (1 - 4/g)
    assert ll.chemical_potential(gamma) == pytest.approx(PI**2 * (1 - 16 / (3 * gamma)), rel=1e-6)
    assert ll.sound_velocity(gamma) == pytest.approx(2 * PI * (1 - 4 / gamma), rel=1e-6)


def test_sound_velocity_bogoliubov_limit():
    gamma = 1e-3
    # e = g - 4 g^1.5/(3 pi): v^2 = 2(6e - 4 g e' + g^2 e'') = 4 g (1 - sqrt(g)/(2 pi)) + O(g^2)
    expected = 2 * math.sqrt(gamma) * math.sqrt(1 - math.sqrt(gamma) / (2 * PI))
    assert ll.sound_velocity(gamma) == pytest.approx(expected, rel=2 * gamma)
    assert ll.chemical_potential(gamma) == pytest.approx(2 * gamma, rel=2 * math.sqrt(gamma))


def test_sound_velocity_from_compressibility_identity():
    """m v^2 = n dmu/dn: check v^2 = 2 (2 mu - gamma dmu/dgamma) against a difference of mu."""
    gamma, h = 2.0, 1e-4
    dmu = (ll.chemical_potential(gamma + h) - ll.chemical_potential(gamma - h)) / (2 * h)
    mu = ll.chemical_potential(gamma)
    assert ll.sound_velocity(gamma) ** 2 == pytest.approx(2 * (2 * mu - gamma * dmu), rel=1e-7)


@pytest.mark.parametrize("gamma", [1e-3, 1.0, 1e4])
def test_rapidity_density_reproduces_gamma_and_energy(gamma):
    edge, nodes, values = ll.rapidity_density(gamma)
    t, w = np.polynomial.legendre.leggauss(nodes.size)
    assert np.allclose(nodes, edge * t, rtol=0, atol=1e-13 * edge)
    assert np.allclose(values, values[::-1], rtol=1e-14)
    assert np.all(values > 0)
    weights = edge * w
    assert weights @ values == pytest.approx(4 * PI / gamma, rel=1e-12)  # Eq. (3)
    assert gamma**3 / (4 * PI) * weights @ (nodes**2 * values) == pytest.approx(
        ll.ground_state_energy(gamma), rel=1e-12
    )  # Eq. (4)


def test_rapidity_density_shape_limits():
    _, _, values = ll.rapidity_density(1e4)
    assert np.allclose(values, 2.0, rtol=1e-3)  # Tonks: f -> 2
    edge, nodes, values = ll.rapidity_density(1e-3)
    centre = values[nodes.size // 2]
    assert centre == pytest.approx(2 * edge, rel=0.05)  # f ~ 2 sqrt(B^2 - x^2) at weak coupling


def test_vectorised_and_scalar():
    gammas = np.array([[1e-3, 0.5], [7.0, 1e4]])
    values = ll.ground_state_energy(gammas)
    assert values.shape == gammas.shape
    assert values[1, 0] == ll.ground_state_energy(7.0)
    assert isinstance(ll.ground_state_energy(7.0), float)
    assert isinstance(ll.sound_velocity(np.float64(3.0)), float)
    assert ll.energy_derivative([0.5, 2.0], order=2).shape == (2,)


@pytest.mark.parametrize(
    "bad", [0.0, -1.0, math.nan, math.inf, -math.inf, "abc", None, 1e-4, 2e4, [1.0, math.nan]]
)
@pytest.mark.parametrize(
    "function",
    [ll.ground_state_energy, ll.energy_derivative, ll.chemical_potential, ll.sound_velocity],
)
def test_bad_gamma_raises_value_error_naming_parameter_and_range(function, bad):
    with pytest.raises(ValueError, match=r"gamma=.*0\.001, 10000"):
        function(bad)


def test_bad_order_and_non_scalar_density_request():
    with pytest.raises(ValueError, match="order"):
        ll.energy_derivative(1.0, order=3)
    with pytest.raises(ValueError, match="gamma"):
        ll.rapidity_density([1.0, 2.0])
    with pytest.raises(ValueError, match="gamma"):
        ll.rapidity_density(0.0)


def test_derivative_seam_at_gamma_300_is_continuous():
    """Above gamma = 300 the derivatives come from the strong-coupling series (the B-derivative
    chain rule loses digits as B -> 0); both sides of the seam must agree."""
    below, above = 300.0 * (1 - 1e-12), 300.0
    assert ll.energy_derivative(above) == pytest.approx(ll.energy_derivative(below), rel=1e-12)
    assert ll.energy_derivative(above, order=2) == pytest.approx(
        ll.energy_derivative(below, order=2), rel=1e-10
    )


def test_strong_coupling_derivative_against_difference_of_integral_equation():
    gamma, h = 2000.0, 1.0
    difference = (ll.ground_state_energy(gamma + h) - ll.ground_state_energy(gamma - h)) / (2 * h)
    # central difference error h^2 e'''/6 ~ 1e-6 relative at most here
    assert ll.energy_derivative(gamma) == pytest.approx(difference, rel=1e-6)
