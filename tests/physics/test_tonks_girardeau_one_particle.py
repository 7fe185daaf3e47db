"""One-particle solver: clean plane-wave energies, Mathieu eigenvalues, boundary rule."""

import math

import numpy as np
import pytest
from scipy.special import mathieu_a, mathieu_b

from physics.tonks_girardeau import (
    boundary_twist,
    disorder_potential,
    lowest_orbitals,
    single_particle_energies,
)


def _plane_wave_levels(n, length, twist):
    momenta = (2 * math.pi * np.arange(-n, n + 1) + twist) / length
    return np.sort(momenta**2)[:n]


@pytest.mark.parametrize("twist", [0.0, math.pi, 0.3, -1.1])
def test_clean_energies_are_plane_waves_to_1e8(twist):
    n, length = 32, 32.0
    expected = _plane_wave_levels(n, length, twist)
    grid = np.zeros(1024)  # a zero potential on the default grid takes the general path
    for energies in (
        lowest_orbitals(n, length, grid, twist=twist).energies,
        single_particle_energies(n, length, grid, twist=twist),
        lowest_orbitals(n, length, None, twist=twist).energies,
    ):
        assert np.allclose(energies, expected, rtol=1e-8, atol=1e-8 * expected.max())


def test_constant_potential_shifts_every_level():
    energies = lowest_orbitals(9, 10.0, np.full(256, 2.5)).energies
    assert np.allclose(energies - 2.5, _plane_wave_levels(9, 10.0, 0.0), atol=1e-12)


@pytest.mark.parametrize("q, phase", [(1.3, 0.0), (4.0, 0.7)])
def test_cosine_potential_gives_mathieu_characteristic_values(q, phase):
    # -ψ'' + 2q cos(2x + φ) ψ = a ψ on a ring of length π: periodic levels a_0, b_2, a_2, ...
    # antiperiodic levels a_1, b_1, a_3, b_3 (scipy.special.mathieu_a / mathieu_b).
    grid = np.arange(64) * math.pi / 64
    potential = 2 * q * np.cos(2 * grid + phase)
    periodic = sorted([mathieu_a(0, q), mathieu_b(2, q), mathieu_a(2, q), mathieu_b(4, q)])
    antiperiodic = sorted([mathieu_a(1, q), mathieu_b(1, q), mathieu_a(3, q), mathieu_b(3, q)])
    for twist, expected in ((0.0, periodic), (math.pi, antiperiodic)):
        assert np.allclose(
            lowest_orbitals(4, math.pi, potential, twist=twist).energies, expected, atol=1e-10
        )
        assert np.allclose(
            single_particle_energies(4, math.pi, potential, twist=twist), expected, atol=1e-10
        )


@pytest.mark.parametrize("kind", ["gaussian", "speckle", "poisson"])
def test_disordered_orbitals_converge_and_solve_the_equation(kind):
    length, points = 16.0, 512
    potential = disorder_potential(kind, length, points, 8.0, 3)
    orbitals = lowest_orbitals(16, length, potential, twist=math.pi)
    reference = lowest_orbitals(16, length, potential, twist=math.pi, modes=points // 4 - 1)
    assert orbitals.truncation_error <= 1e-6
    assert np.allclose(orbitals.energies, reference.energies, atol=1e-9)
    values = orbitals.on_grid(points)
    assert np.allclose(values.T @ values * length / points, np.eye(16), atol=1e-12)
    # residual of -φ'' + V φ = E φ with a spectral second derivative on the grid
    k = 2 * math.pi * np.fft.fftfreq(points, d=length / points)
    x = np.arange(points) * length / points
    periodic_part = values * np.exp(-1j * math.pi * x / length)[:, None]
    kinetic = np.fft.ifft(
        ((k + math.pi / length) ** 2)[:, None] * np.fft.fft(periodic_part, axis=0), axis=0
    )
    residual = (
        kinetic * np.exp(1j * math.pi * x / length)[:, None]
        + (potential[:, None] - orbitals.energies) * values
    )
    assert np.abs(residual).max() < 1e-3 * np.abs(orbitals.energies).max()


@pytest.mark.parametrize("kind", ["speckle", "gaussian"])
def test_start_modes_changes_the_basis_not_the_solution(kind):
    # a starting basis too small (grown by the outer-shell check) or larger than needed gives
    # the default solution to the truncation tolerance; |φ_α|² drops the eigenvectors' signs
    length, points = 16.0, 512
    potential = disorder_potential(kind, length, points, 8.0, 3)
    default = lowest_orbitals(16, length, potential, twist=math.pi)
    reference = lowest_orbitals(16, length, potential, twist=math.pi, modes=points // 4 - 1)
    for start in (10, default.converged_half_width(1e-8), points // 4 - 1):
        orbitals = lowest_orbitals(16, length, potential, twist=math.pi, start_modes=start)
        assert orbitals.truncation_error <= 1e-6
        assert orbitals.mode_indices.size >= 2 * min(start, default.mode_indices.size // 2)
        assert np.allclose(orbitals.energies, reference.energies, atol=1e-9)
        weights = np.abs(orbitals.on_grid(points)) ** 2
        assert np.abs(weights - np.abs(reference.on_grid(points)) ** 2).max() < 1e-5


def test_converged_half_width_is_where_the_amplitudes_fall_below_the_tolerance():
    potential = disorder_potential("speckle", 16.0, 512, 8.0, 3)
    orbitals = lowest_orbitals(16, 16.0, potential, twist=math.pi, modes=127)
    amplitude = np.abs(orbitals.coefficients).max(axis=0)
    size = np.abs(orbitals.mode_indices)
    for tolerance in (1e-4, 1e-6, 1e-8):
        half_width = orbitals.converged_half_width(tolerance)
        outer = size >= half_width - 3  # the outer three modes of that basis and beyond
        assert amplitude[outer].max() <= tolerance
        assert amplitude[size == half_width - 4].max() > tolerance  # the smallest such basis
    assert orbitals.converged_half_width(1e-8) > orbitals.converged_half_width(1e-4)
    with pytest.raises(ValueError, match="tolerance"):
        orbitals.converged_half_width(0.0)


def test_periodic_orbitals_are_real_and_antiperiodic_ones_flip_sign():
    potential = disorder_potential("gaussian", 8.0, 256, 3.0, 1)
    for twist, sign in ((0.0, 1.0), (math.pi, -1.0)):
        orbitals = lowest_orbitals(4, 8.0, potential, twist=twist)
        assert orbitals.is_real
        inside = orbitals.evaluate([0.3])
        assert np.allclose(orbitals.evaluate([8.3]), sign * inside, atol=1e-12)


def test_boundary_rule_of_warzel():
    assert boundary_twist(3) == 0.0
    assert boundary_twist(4) == math.pi
    assert boundary_twist(4, "periodic") == 0.0
    assert boundary_twist(3, "antiperiodic") == math.pi
    assert boundary_twist(3, 3 * math.pi) == math.pi
    assert boundary_twist(3, 0.25) == 0.25


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: lowest_orbitals(0, 8.0), "n_states"),
        (lambda: lowest_orbitals(3, 0.0), "length"),
        (lambda: lowest_orbitals(3, 8.0, np.zeros((4, 4))), "potential"),
        (lambda: lowest_orbitals(3, 8.0, np.array([0.0] * 63 + [np.nan])), "potential"),
        (lambda: lowest_orbitals(40, 8.0, np.zeros(64)), "n_states"),
        (lambda: lowest_orbitals(3, 8.0, twist=float("inf")), "twist"),
        (lambda: lowest_orbitals(3, 8.0, np.zeros(64), start_modes=16), "start_modes"),
        (lambda: lowest_orbitals(3, 8.0, np.zeros(64), start_modes=2), "start_modes"),
        (lambda: boundary_twist(3, "twisted"), "boundary"),
    ],
)
def test_bad_input_raises_value_error_naming_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()
