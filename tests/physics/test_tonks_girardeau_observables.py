"""Decay fit, n(k), Lyapunov exponent and the decay-length relation, superfluid density."""

import math
import warnings

import numpy as np
import pytest

from physics.tonks_girardeau import (
    averaged_decay,
    decay_length,
    default_decay_window,
    disorder_potential,
    exponential_fit,
    fermi_energy,
    ground_state_density,
    localisation_length,
    lyapunov_exponent,
    momentum_distribution,
    one_body_density_matrix,
    superfluid_density,
    superfluid_density_curve,
    twist_energy,
)
from physics.tonks_girardeau.observables import _averaged_decay
from physics.tonks_girardeau.superfluid import RHO_S_TOLERANCE


def test_decay_length_recovers_an_exact_exponential():
    r = np.linspace(0.0, 16.0, 257)
    xi, sigma = decay_length(r, 3.0 * np.exp(-r / 2.5), (2.0, 12.0))
    assert xi == pytest.approx(2.5, rel=1e-12)
    assert sigma < 1e-10


def test_exponential_fit_recovers_the_amplitude_and_agrees_with_decay_length():
    r = np.linspace(0.0, 16.0, 257)
    g1 = 3.0 * np.exp(-r / 2.5)
    fit = exponential_fit(r, g1, (2.0, 12.0))
    assert (fit.xi, fit.amplitude) == pytest.approx((2.5, 3.0), rel=1e-12)
    assert (fit.xi, fit.sigma) == decay_length(r, g1, (2.0, 12.0))
    flat = exponential_fit(r, np.ones_like(r), (2.0, 12.0))
    assert flat.xi == math.inf and math.isnan(flat.amplitude)


@pytest.mark.parametrize("n_particles", [5, 6])
def test_ground_state_density_is_the_diagonal_of_the_density_matrix(n_particles):
    """n(x) from the orbitals against γ(x, x) from the determinant formula, and ∫ n = N."""
    length, grid_points = 7.0, 128
    potential = disorder_potential("speckle", length, grid_points, 2.0, 11)
    density = ground_state_density(n_particles, length, potential)
    assert density.mean() * length == pytest.approx(n_particles, rel=1e-10)
    for index in (0, 37, 90):
        x0 = index * length / grid_points
        _y, row = one_body_density_matrix(n_particles, length, potential, x0=x0)
        assert row[index].real == pytest.approx(density[index], rel=1e-9)
    clean = ground_state_density(n_particles, length, np.zeros(grid_points))
    assert np.allclose(clean, n_particles / length, rtol=1e-12)


def test_decay_length_uncertainty_covers_noise():
    rng = np.random.default_rng(3)
    r = np.linspace(0.0, 16.0, 257)
    hits = 0
    for _ in range(200):
        g1 = np.exp(-r / 2.5) * np.exp(0.05 * rng.standard_normal(r.size))
        xi, sigma = decay_length(r, g1, (2.0, 12.0))
        hits += abs(xi - 2.5) <= sigma
    assert 0.55 <= hits / 200 <= 0.8  # a one-sigma interval holds the truth ~68 % of the time


def test_decay_length_without_decay_is_infinite():
    r = np.linspace(0.0, 8.0, 65)
    assert decay_length(r, np.ones_like(r) + 0.01 * r, (1.0, 7.0)) == (math.inf, math.inf)


def test_clean_average_is_the_clean_density_matrix():
    r, g1 = averaged_decay(9, 9.0, "speckle", 0.0, 3, 1, grid_points=256, base_points=3)
    _y, values = one_body_density_matrix(9, 9.0, grid_points=256)
    assert np.allclose(g1, values[: r.size], atol=1e-12)
    assert g1[0] == pytest.approx(1.0, abs=1e-12)


def test_averaged_decay_is_reproducible_and_seed_dependent():
    first = averaged_decay(8, 8.0, "poisson", 4.0, 3, 7, grid_points=256)[1].copy()
    _averaged_decay.cache_clear()  # recompute from scratch, not from the memo
    again = averaged_decay(8, 8.0, "poisson", 4.0, 3, 7, grid_points=256)[1]
    other = averaged_decay(8, 8.0, "poisson", 4.0, 3, 8, grid_points=256)[1]
    assert np.array_equal(first, again)
    assert not np.allclose(first, other)


def test_momentum_distribution_sum_rule_and_olshanii_dunjko_tail():
    # clean ring, N = L = 64: (1/L) Σ_k n(k) = g1(0) = n and k⁴ n(k) → (4π²/3) n⁴
    # (Olshanii-Dunjko 2003, from the |r|³/(9π) term of the Vaidya-Tracy short-distance series);
    # k = 12 k_F needs rows as fine as the potential grid (Nyquist 32π n, not the default 8π n)
    r, g1 = averaged_decay(64, 64.0, "gaussian", 0.0, 1, 0, base_points=1, output_points=2048)
    k, n_k = momentum_distribution(r, g1)
    assert np.sum(n_k) / 64.0 == pytest.approx(1.0, abs=1e-12)
    assert n_k.min() > -1e-10
    index = np.argmin(np.abs(k - 12 * math.pi))
    assert k[index] ** 4 * n_k[index] == pytest.approx(4 * math.pi**2 / 3, rel=0.03)
    assert n_k[np.argmin(np.abs(k))] == pytest.approx(n_k.max())


def test_lyapunov_exponent_matches_born_approximation():
    # weak, short-range Gaussian disorder: λ(E) = Ĉ(2k)/(8k²), Ĉ(q) = V0² ℓ √(2π) e^{-q²ℓ²/2}
    # (Lifshitz-Gredeskul-Pastur; units ħ = 2m = 1); corrections O(λ/k) ~ 0.3 % here.
    v0, ell, energy = 2.0, 0.1, math.pi**2
    k = math.sqrt(energy)
    born = v0**2 * ell * math.sqrt(2 * math.pi) * math.exp(-2 * k**2 * ell**2) / (8 * k**2)
    lam, sigma = lyapunov_exponent(
        energy, "gaussian", v0, 2, segments=128, segment_length=256.0, correlation_length=ell
    )
    assert sigma < 0.1 * born
    assert abs(lam - born) < 3 * sigma + 0.02 * born


def test_lyapunov_exponent_vanishes_without_disorder():
    assert lyapunov_exponent(math.pi**2, "gaussian", 0.0, 0)[0] == pytest.approx(0.0, abs=1e-12)
    assert localisation_length(math.pi**2, "speckle", 0.0, 0) == (math.inf, math.inf)


@pytest.mark.slow
def test_typical_decay_length_equals_lyapunov_length_at_strong_disorder():
    # Expected relation (docs/physics/tonks_girardeau.md): for ℓ_loc << L the typical decay
    # exp E log|γ(x, x + r)| ~ exp(-r / ℓ_loc(μ)), ℓ_loc the amplitude localisation length at
    # the chemical potential. Gaussian V0 = 15 > μ: ℓ_loc ≈ 1.7, L/2 = 12.
    n, length, strength = 24, 24.0, 15.0
    mu, _ = fermi_energy(n, length, "gaussian", strength, 8, 0, grid_points=512)
    ell, _ell_sigma = localisation_length(mu, "gaussian", strength, 1, segments=48)
    r, g1 = averaged_decay(
        n, length, "gaussian", strength, 8, 0, grid_points=512, base_points=2, statistic="typical"
    )
    xi, _ = decay_length(r, g1, (3.0, 9.0))
    assert xi == pytest.approx(ell, rel=0.15)
    r, mean = averaged_decay(n, length, "gaussian", strength, 8, 0, grid_points=512, base_points=2)
    assert decay_length(r, mean, (3.0, 9.0))[0] > xi  # E|γ| is carried by rare, slower decays


@pytest.mark.parametrize("n, length, twist", [(7, 7.0, 0.5), (8, 16.0, 0.5), (5, 3.0, -2.0)])
def test_clean_superfluid_density_is_the_density(n, length, twist):
    # L [E(θ) − E(0)] / θ² = N/L exactly for the closed-shell Fermi sea (docs: the slide's
    # √μ/(2π²) is n/(2π) and does not follow from its own definition)
    rho_s, sigma = superfluid_density(n, length, "gaussian", 0.0, twist=twist)
    assert rho_s == pytest.approx(n / length, rel=1e-10)
    assert sigma == 0.0
    assert twist_energy(n, length, None, twist) == pytest.approx(n * twist**2 / length**2)


@pytest.mark.slow
def test_superfluid_density_vanishes_with_disorder_as_length_grows():
    _lengths, rho_s, _sigma = superfluid_density_curve([4.0, 12.0, 24.0], "gaussian", 15.0, 6, 0)
    assert np.all(np.diff(rho_s) < 0)
    assert rho_s[-1] < 0.02
    clean = superfluid_density_curve([4.0, 12.0, 24.0], "gaussian", 0.0, 6, 0)[1]
    assert np.allclose(clean, 1.0, rtol=1e-10)


@pytest.mark.parametrize(
    "kind, strength", [("gaussian", 1e3), ("gaussian", 1e4), ("gaussian", 1e5), ("speckle", 1e6)]
)
def test_superfluid_density_of_deep_disorder_is_right_or_refused(kind, strength):
    # The plane-wave basis of the default 256-point grid cannot hold orbitals bound in wells
    # this deep; a truncated basis gave rho_s = -8.7 at Gaussian 1e4 (rho_s >= 0 by definition:
    # E(theta) >= E(0) for the bosonic ground state). Either a value in [0, n] or a refusal.
    try:
        rho_s, sigma = superfluid_density(8, 8.0, kind, strength, realisations=2)
    except ValueError as error:
        assert f"strength={strength!r}" in str(error)
        assert "grid_points" in str(error)
    else:
        assert -1e-6 - 3 * sigma <= rho_s <= 1.0  # the accepted truncation error: 1e-6 n


def test_superfluid_density_falls_to_zero_as_disorder_deepens():
    # a grid whose basis converges up to strength ~2e4 (docs): rho_s >= 0 to rounding, from the
    # clean value n towards 0 as the wells deepen and the orbitals localise
    strengths = [0.0, 3.0, 30.0, 1e3, 1e4]
    rho_s = np.array(
        [superfluid_density(8, 8.0, "gaussian", v, 2, 0, grid_points=1024)[0] for v in strengths]
    )
    assert rho_s[0] == pytest.approx(1.0, rel=1e-10)
    assert np.all(rho_s >= -1e-8)
    assert np.all(np.diff(rho_s) < 1e-8)
    assert rho_s[-1] < 1e-6


def test_superfluid_density_names_what_sets_the_grid_spacing():
    # N = 8 gets 256 grid points: on L = 1e4 their spacing misses the default correlation length
    # 0.25 the caller never passed; the message names length and grid_points instead
    assert superfluid_density(8, 1e4, "gaussian", 0.0, realisations=1)[0] == pytest.approx(8e-4)
    with pytest.raises(ValueError, match=r"length=10000\.0 on grid_points=256") as caught:
        superfluid_density(8, 1e4, "gaussian", 1.0, realisations=1)
    assert "correlation_length=0.25" not in str(caught.value)
    # an explicit correlation length that the grid resolves is accepted
    rho_s, _ = superfluid_density(
        8, 200.0, "gaussian", 0.5, 1, 0, grid_points=1024, correlation_length=1.0
    )
    # localised (L = 200 ≫ ξ): ρ_s ≈ 0 within its stated accuracy RHO_S_TOLERANCE n (rounding
    # gives -4e-11 with one BLAS thread)
    assert -RHO_S_TOLERANCE * 8 / 200.0 <= rho_s <= 8 / 200.0


def test_default_window_sits_inside_half_ring():
    low, high = default_decay_window(32.0)
    assert 0 < low < high < 16.0


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: averaged_decay(0, 8.0, "gaussian", 1.0), "n_particles"),
        (lambda: averaged_decay(4, -8.0, "gaussian", 1.0), "length"),
        (lambda: averaged_decay(4, 8.0, "gaussian", -1.0), "strength"),
        (lambda: averaged_decay(4, 8.0, "laser", 1.0), "kind"),
        (lambda: averaged_decay(4, 8.0, "gaussian", 1.0, realisations=0), "realisations"),
        (lambda: averaged_decay(4, 8.0, "gaussian", 1.0, statistic="median"), "statistic"),
        (lambda: averaged_decay(4, 8.0, "gaussian", 1.0, correlation_length=-1), "correlation"),
        (lambda: averaged_decay(40, 8.0, "gaussian", 1.0, grid_points=64), "grid_points"),
        (lambda: decay_length([0, 1, 2], [1, 1], (0, 2)), "g1"),
        (lambda: decay_length([0, 1, 2, 3], [1, 0.5, 0.2, 0.1], (2.5, 3)), "window"),
        (lambda: decay_length([0, 1, 2], [1, -0.5, 0.2], (0, 2)), "g1"),
        (lambda: momentum_distribution([0, 1, 3], [1, 0.5, 0.2]), "r"),
        (lambda: lyapunov_exponent(float("nan"), "gaussian", 1.0), "energy"),
        (lambda: superfluid_density(4, 8.0, "gaussian", 1.0, twist=0.0), "twist"),
        (lambda: superfluid_density(4, 8.0, "gaussian", 1.0, twist=4.0), "twist"),
        (lambda: superfluid_density_curve([8.0, -1.0], "gaussian", 1.0), "lengths"),
        (lambda: superfluid_density_curve([8.0], "gaussian", 1.0, density=1e308), "density"),
        # μ needs the level N + 1: 4 (N + 1) + 16 grid points, not 4 N + 16
        (lambda: fermi_energy(16, 16.0, "speckle", 1.0, 2, grid_points=80), "grid_points=80"),
        (lambda: superfluid_density_curve([8.0], "gaussian", 1.0, density=200.0), "density"),
    ],
)
def test_bad_input_raises_value_error_naming_parameter(call, name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a clear error, not an overflow warning on the way
        with pytest.raises(ValueError, match=name):
            call()
