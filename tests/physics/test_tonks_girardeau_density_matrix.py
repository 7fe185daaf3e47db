"""One-body density matrix: brute-force N-particle integral, sign, trace, PSD, Vaidya-Tracy."""

import itertools
import math

import mpmath
import numpy as np
import pytest

from physics.tonks_girardeau import (
    density_matrix,
    density_matrix_rows,
    disorder_potential,
    lowest_orbitals,
    one_body_density_matrix,
)


def _plane_wave_orbitals(n, length):
    """The clean closed-shell orbitals written out independently of the package."""
    if n % 2:
        momenta = 2 * math.pi * np.arange(-(n // 2), n // 2 + 1) / length
    else:
        momenta = math.pi * (2 * np.arange(-(n // 2), n // 2) + 1) / length
    return lambda z: np.exp(1j * np.outer(np.atleast_1d(z), momenta)) / math.sqrt(length)


def _brute_force_gamma(orbitals, n, length, x, y, nodes_per_piece):
    """γ(x, y) = N ∫ Ψ(x, z) conj(Ψ(y, z)) dz over [0, L)^{N-1}, straight from the definition.

    Ψ(x_1..x_N) = det[φ_α(x_β)] Π_{j<k} sign(x_j − x_k) / √N!; the integrand is smooth between
    the breakpoints x and y, so Gauss-Legendre per piece converges spectrally.
    """
    cuts = sorted({0.0, x, y, length})
    t, w = np.polynomial.legendre.leggauss(nodes_per_piece)
    points = np.concatenate([0.5 * (b - a) * (t + 1) + a for a, b in itertools.pairwise(cuts)])
    weights = np.concatenate([0.5 * (b - a) * w for a, b in itertools.pairwise(cuts)])
    index = np.stack(
        [g.ravel() for g in np.meshgrid(*([np.arange(points.size)] * (n - 1)), indexing="ij")],
        axis=1,
    )
    weight = np.prod(weights[index], axis=1)
    at_nodes = orbitals(points)  # (P, N): orbitals evaluated once per node
    signs_z = np.ones(index.shape[0])
    for j, k in itertools.combinations(range(n - 1), 2):
        signs_z *= np.sign(points[index[:, j]] - points[index[:, k]])

    def psi(first):
        values = np.concatenate(
            [np.broadcast_to(orbitals([first]), (index.shape[0], n))[:, None], at_nodes[index]],
            axis=1,
        )  # [config, particle, orbital]
        signs = signs_z * np.prod(np.sign(first - points[index]), axis=1)
        return np.linalg.det(values) * signs / math.sqrt(math.factorial(n))

    return n * np.sum(weight * psi(x) * psi(y).conj())


@pytest.mark.parametrize("n", [3, 4])
def test_determinant_formula_matches_brute_force_clean(n):
    length, points = 4.0, 64
    y, values = one_body_density_matrix(n, length, x0=0.5, grid_points=points)
    phi = _plane_wave_orbitals(n, length)
    for index in (8, 20, 33, 50, 3):  # includes y < x0, reached around the ring
        expected = _brute_force_gamma(phi, n, length, 0.5, y[index], 16)
        assert abs(expected.imag) < 1e-12
        assert values[index] == pytest.approx(expected.real, abs=1e-10)
        assert values[index] > 0.0  # sign: the bosonic ground state has γ >= 0


@pytest.mark.parametrize("n", [3, 4])
def test_determinant_formula_matches_brute_force_disordered(n):
    length, points = 4.0, 128
    potential = disorder_potential("gaussian", length, points, 4.0, 5, correlation_length=0.5)
    orbitals = lowest_orbitals(n, length, potential, twist=0.0 if n % 2 else math.pi)
    y, values = one_body_density_matrix(n, length, potential, x0=1.0)
    for index in (40, 75, 110, 10):
        expected = _brute_force_gamma(orbitals.evaluate, n, length, 1.0, y[index], 24)
        assert values[index] == pytest.approx(expected.real, abs=1e-8)
        assert values[index] > 0.0


def test_single_particle_density_matrix_is_the_orbital_product():
    # N = 1: γ(x, y) = φ(x) conj(φ(y)); the slide's bordered determinant would give minus this.
    potential = disorder_potential("speckle", 8.0, 128, 2.0, 1)
    orbitals = lowest_orbitals(1, 8.0, potential)
    y, values = one_body_density_matrix(1, 8.0, potential, x0=2.0)
    phi = orbitals.evaluate(y)[:, 0]
    assert np.allclose(values, orbitals.evaluate([2.0])[0, 0] * phi, atol=1e-12)


def _full_matrix(n, length, potential, points):
    twist = 0.0 if n % 2 else math.pi
    orbitals = lowest_orbitals(n, length, potential, twist=twist)
    rows = density_matrix_rows([orbitals], points, np.arange(points), points - 1)[0]
    matrix = np.empty((points, points))
    for i in range(points):
        matrix[i, (i + np.arange(points)) % points] = rows[i]
    return orbitals, matrix


@pytest.mark.parametrize("n", [3, 4])
def test_diagonal_trace_hermiticity_and_positivity(n):
    length, points = 6.0, 96
    potential = disorder_potential("poisson", length, points, 3.0, 2)
    orbitals, matrix = _full_matrix(n, length, potential, points)
    spacing = length / points
    density = np.sum(np.abs(orbitals.on_grid(points)) ** 2, axis=1)
    assert np.allclose(np.diag(matrix), density, atol=1e-12)
    assert np.trace(matrix) * spacing == pytest.approx(n, abs=1e-10)
    assert np.allclose(matrix, matrix.T, atol=1e-11)
    occupations = np.linalg.eigvalsh(matrix * spacing)
    assert occupations.min() > -1e-10
    assert occupations.max() <= n + 1e-10
    assert np.all(matrix > 0.0)


def test_rank_one_updates_agree_with_fresh_determinants():
    points = 512
    sets = [
        lowest_orbitals(16, 16.0, disorder_potential(kind, 16.0, points, 6.0, seed), twist=math.pi)
        for seed, kind in enumerate(["gaussian", "speckle", "poisson"])
    ]
    fast = density_matrix_rows(sets, points, [0, 77, 300], points - 1)
    naive = density_matrix_rows(sets, points, [0, 77, 300], points - 1, method="determinant")
    assert np.abs(fast - naive).max() < 1e-10 * np.abs(naive).max()


@pytest.mark.parametrize("n", [33, 64])
def test_clean_large_n_decay_follows_vaidya_tracy(n):
    # γ(0, r) → ρ_∞ n / |k_F d(r)|^{1/2}, ρ_∞ = π e^{1/2} 2^{-1/3} A^{-6} (Vaidya-Tracy 1979),
    # with the ring's chord d(r) = (L/π) sin(π r/L) (conformal map of the line to the ring).
    length = float(n)
    rho_inf = math.pi * math.exp(0.5) * 2 ** (-1 / 3) * float(mpmath.glaisher) ** -6
    assert rho_inf == pytest.approx(0.92418, abs=1e-5)
    y, values = one_body_density_matrix(n, length)
    chord = length / math.pi * np.sin(math.pi * y / length)
    far = math.pi * chord >= 20.0  # away from r = 0 and r = L
    expected = rho_inf / np.sqrt(math.pi * chord[far])
    assert np.abs(values[far] / expected - 1).max() < 2e-3
    assert values[0] == pytest.approx(1.0, abs=1e-12)


def test_off_grid_x0_snaps_and_y_grid_is_returned():
    y, values = one_body_density_matrix(5, 5.0, x0=1.01, grid_points=100)
    assert np.allclose(y, np.arange(100) * 0.05)
    assert values[20] == pytest.approx(1.0, abs=1e-12)  # γ(x0, x0) = n = 1 at y = 1.0


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"n_particles": 0, "length": 8.0}, "n_particles"),
        ({"n_particles": 3, "length": -1.0}, "length"),
        ({"n_particles": 3, "length": 8.0, "grid_points": 20}, "grid_points"),
        ({"n_particles": 30, "length": 8.0, "grid_points": 64}, "grid_points"),
        ({"n_particles": 3, "length": 8.0, "potential": np.zeros((8, 8))}, "potential"),
        (
            {"n_particles": 3, "length": 8.0, "potential": np.zeros(64), "grid_points": 128},
            "potential",
        ),
        ({"n_particles": 3, "length": 8.0, "potential": np.full(64, np.nan)}, "potential"),
        ({"n_particles": 3, "length": 8.0, "x0": float("nan")}, "x0"),
        ({"n_particles": 3, "length": 8.0, "boundary": "closed"}, "boundary"),
    ],
)
def test_bad_input_raises_value_error_naming_parameter(kwargs, name):
    with pytest.raises(ValueError, match=name):
        one_body_density_matrix(**kwargs)


def test_twisted_boundary_rows_are_complex_and_consistent():
    # general twist θ: complex orbitals; the update sweep must match fresh determinants and
    # γ(x0, x0) must be the density
    points = 256
    potential = disorder_potential("gaussian", 8.0, points, 3.0, 4)
    orbitals = lowest_orbitals(5, 8.0, potential, twist=0.7)
    fast = density_matrix_rows([orbitals], points, [0, 100], points - 1)
    naive = density_matrix_rows([orbitals], points, [0, 100], points - 1, method="determinant")
    assert np.iscomplexobj(fast)
    assert np.abs(fast - naive).max() < 1e-10 * np.abs(naive).max()
    density = np.sum(np.abs(orbitals.on_grid(points)) ** 2, axis=1)
    assert np.allclose(fast[0, :, 0].real, density[[0, 100]], atol=1e-12)
    _y, values = one_body_density_matrix(5, 8.0, potential, x0=0.0, boundary=0.7)
    assert np.allclose(values, fast[0, 0], atol=1e-12)


@pytest.mark.parametrize(
    ("kind", "strength"), [("speckle", 20.0), ("gaussian", 40.0), ("poisson", 60.0)]
)
def test_quadrature_order_reaches_the_converged_rows(monkeypatch, kind, strength):
    # convergence study: rows with the order chosen from the amplitude-weighted bound equal the
    # rows with 24 Gauss-Legendre nodes per interval (converged far below rounding) to 1e-12 of
    # max γ, on the coarse output grid (8 points per particle) where the order matters most
    n, length, points = 32, 32.0, 256
    potential = disorder_potential(kind, length, 1024, strength, 7)
    orbitals = [lowest_orbitals(n, length, potential, twist=math.pi)]
    rows = density_matrix_rows(orbitals, points, [0, 100], points // 2)
    monkeypatch.setattr(density_matrix, "quadrature_order", lambda *_: 24)
    converged = density_matrix_rows(orbitals, points, [0, 100], points // 2)
    assert np.abs(rows - converged).max() < 1e-12 * np.abs(converged).max()
