"""Issue 18: the γ map, the faster rows, the decay-law criterion, λ at a target error, ρ_s(∞)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from physics import tonks_girardeau as tg
from physics.tonks_girardeau import observables
from physics.tonks_girardeau.fits import RESOLVED_DENSITY_MATRIX


def test_map_rows_are_the_tested_rows_and_the_map_is_symmetric():
    potential = tg.realisation_potentials(16.0, 512, "speckle", 5.0, 1, 3)[0]
    x, values = tg.density_matrix_map(16, 16.0, potential, points=64)
    assert np.abs(values - values.T).max() < 1e-12 * values.max()
    for i in (0, 5, 40):
        _, row = tg.one_body_density_matrix(16, 16.0, potential, x0=x[i])
        assert np.abs(values[i] - row[::8]).max() < 1e-10 * row.max()
    np.testing.assert_allclose(np.diag(values), tg.ground_state_density(16, 16.0, potential)[::8])


def test_coarse_rows_equal_the_full_grid_rows():
    # the speed-up (rows on 8 points per particle) against the old route (rows on every grid
    # point): same seeds, same numbers to the quadrature's 1e-12
    fast = tg.decay_statistics(24, 24.0, "poisson", 6.0, 3, 5)
    full = tg.decay_statistics(24, 24.0, "poisson", 6.0, 3, 5, output_points=1024)
    stride = (full.r.size - 1) // (fast.r.size - 1)
    np.testing.assert_array_equal(fast.r, full.r[::stride])
    scale = full.mean_samples.max()
    assert np.abs(fast.mean_samples - full.mean_samples[:, ::stride]).max() < 1e-10 * scale


@pytest.mark.parametrize("pad", [observables.START_PAD, -1e3])
def test_shared_starting_basis_gives_the_reference_route_numbers(monkeypatch, pad):
    # the speed-up (one shared starting basis, symmetric Woodbury steps) against the reference
    # route, same seeds: every realisation solved from the default basis and every point of
    # the rows a fresh bordered determinant; equal to the orbitals' 1e-6 truncation. A
    # starting basis far too small (pad -1e3: the smallest allowed, N/2 + 2 modes) must be
    # grown, not kept.
    monkeypatch.setattr(observables, "START_PAD", pad)
    observables._averaged_decay.cache_clear()
    n, length, realisations, seed = 24, 24.0, 3, 4
    stats = tg.decay_statistics(n, length, "speckle", 5.0, realisations, seed)
    observables._averaged_decay.cache_clear()
    grid = tg.default_grid_points(n)
    points = tg.default_output_points(n)
    potentials = tg.realisation_potentials(length, grid, "speckle", 5.0, realisations, seed)
    orbitals = [tg.lowest_orbitals(n, length, v, twist=math.pi) for v in potentials]
    rows = tg.density_matrix_rows(
        orbitals, points, [0, points // 2], points // 2, method="determinant"
    )
    reference = np.abs(rows).mean(axis=1)
    assert np.abs(stats.mean_samples - reference).max() < 1e-6 * reference.max()
    assert np.abs(stats.mean_samples - reference).max() > 0.0  # a different basis indeed


def test_clean_ring_has_no_decay_length():
    stats = tg.decay_statistics(32, 32.0, "gaussian", 0.0, 1, 0)
    fit = tg.decay_fit(stats, tg.default_decay_window(32.0), 32.0)
    assert fit.model == "power law"
    assert math.isinf(fit.xi)
    assert fit.exponent == pytest.approx(0.5, abs=0.02)  # Lenard's r^(-1/2)


def test_strong_disorder_has_a_decay_length_with_its_error():
    stats = tg.decay_statistics(24, 24.0, "gaussian", 15.0, 8, 0)
    fit = tg.decay_fit(stats, tg.default_decay_window(24.0), 24.0)
    assert fit.model == "exponential"
    assert 0.5 < fit.xi < 6.0
    assert 0.0 < fit.xi_error < 0.5 * fit.xi


def test_classify_decay_recovers_either_law():
    r = np.linspace(0.0, 32.0, 257)
    window = (2.0, 12.0)
    exponential = tg.classify_decay(r, 0.7 * np.exp(-r / 3.0), window, 64.0)
    assert exponential.model == "exponential"
    assert exponential.xi == pytest.approx(3.0, rel=1e-12)
    chord = (64.0 / math.pi) * np.sin(math.pi * np.maximum(r, 1e-3) / 64.0)
    power = tg.classify_decay(r, 0.9 * chord**-0.5, window, 64.0)
    assert power.model == "power law"
    assert power.exponent == pytest.approx(0.5, rel=1e-12)


def test_the_exponential_must_beat_the_clean_law_not_a_free_power_law():
    # strong speckle at N = 64 (ℓ_loc ≈ 1): the typical average is localised (Seiringer-Warzel),
    # yet a free power law with p ≈ 8 fits its window better than the exponential; against the
    # clean C d^(-1/2) the exponential wins by far, so ξ is reported
    stats = tg.decay_statistics(64, 64.0, "speckle", 20.0, 8, 0)
    window = tg.default_decay_window(64.0)
    fit = tg.decay_fit(stats, window, 64.0, statistic="typical")
    free = tg.power_law_fit(stats.r, stats.typical, fit.window, 64.0)  # the same points
    assert free[0] > 4.0 and free[2] < fit.rss_exponential  # the steep free law fits better
    assert fit.model == "exponential" and 0.5 < fit.xi < 4.0
    assert fit.rss_power_law > 10 * fit.rss_exponential


def test_fixed_exponent_power_law_fit():
    r = np.linspace(0.0, 16.0, 129)
    chord = (32.0 / math.pi) * np.sin(math.pi * np.maximum(r, 1e-3) / 32.0)
    exponent, amplitude, rss = tg.power_law_fit(r, 0.9 * chord**-0.5, (1.0, 12.0), 32.0, 0.5)
    assert (exponent, rss) == (0.5, pytest.approx(0.0, abs=1e-25))
    assert amplitude == pytest.approx(0.9, rel=1e-13)
    # a steeper law leaves the clean fit a residual: Σ (log y − mean)² of −1.5 log d
    steep = chord**-2.0
    inside = (r >= 1.0) & (r <= 12.0)
    spread = -1.5 * np.log(chord[inside])
    expected = np.sum((spread - spread.mean()) ** 2)
    assert tg.power_law_fit(r, steep, (1.0, 12.0), 32.0, 0.5)[2] == pytest.approx(expected)
    with pytest.raises(ValueError, match="exponent"):
        tg.power_law_fit(r, steep, (1.0, 12.0), 32.0, -1.0)


def test_lyapunov_length_from_target_error():
    # λ ≈ 0.0104 (Born, weak short-range Gaussian disorder): the default length gives ~25 %
    # errors; a 5 % target must give errors near 5 % and values within 3σ + 2 % of Born
    energy = math.pi**2
    born = tg.born_lyapunov_exponent(energy, "gaussian", 2.0, correlation_length=0.1)
    k = math.pi
    assert born == pytest.approx(
        4.0 * 0.1 * math.sqrt(2 * math.pi) * math.exp(-2 * k**2 * 0.01) / (8 * k**2), rel=1e-14
    )
    for seed in range(3):
        lam, sigma = tg.lyapunov_exponent(
            energy, "gaussian", 2.0, seed, correlation_length=0.1, target_error=0.05
        )
        assert sigma < 0.09 * lam
        assert abs(lam - born) < 3 * sigma + 0.02 * born


def test_born_underestimates_strong_speckle():
    energy = math.pi**2
    born = tg.born_lyapunov_exponent(energy, "speckle", 2.0)
    lam, sigma = tg.lyapunov_exponent(energy, "speckle", 2.0, 0, target_error=0.05)
    assert lam > born + 3 * sigma


def test_superfluid_extrapolation_recovers_the_law_and_the_clean_value():
    lengths = np.array([4.0, 8.0, 12.0, 16.0, 24.0])
    exact = 0.02 + 1.3 * np.exp(-lengths / 5.0)
    fit = tg.extrapolate_superfluid_density(lengths, exact, np.full(5, 1e-3))
    assert fit.rho_infinity == pytest.approx(0.02, abs=1e-6)
    assert fit.length_scale == pytest.approx(5.0, rel=1e-5)
    clean = tg.extrapolate_superfluid_density(lengths, np.ones(5), np.zeros(5))
    assert clean.rho_infinity == 1.0
    assert math.isinf(clean.length_scale)


@pytest.mark.parametrize(
    ("rho_s", "reason"),
    [
        # the exponential felt by the smallest ring alone (ℓ_s = 0.3 < the step 4)
        (0.95 + 0.5 * np.exp(-np.array([4.0, 8.0, 16.0, 32.0]) / 0.3), "smallest step"),
        # a straight fall: no levelling off inside L = 4 … 32
        (1.0 - 0.003 * np.array([4.0, 8.0, 16.0, 32.0]), "span"),
    ],
)
def test_superfluid_extrapolation_refuses_what_the_lengths_cannot_tell(rho_s, reason):
    lengths = np.array([4.0, 8.0, 16.0, 32.0])
    fit = tg.extrapolate_superfluid_density(lengths, rho_s, np.full(4, 1e-3))
    assert math.isnan(fit.rho_infinity) and math.isinf(fit.rho_infinity_error)
    assert reason in fit.note


def test_born_above_the_mean_is_born_at_energy_plus_the_mean():
    # speckle: E[V] = V_R, so k² = π² above the mean is E = π² + V_R
    above = tg.born_lyapunov_exponent(math.pi**2, "speckle", 2.0, above_mean=True)
    assert above == tg.born_lyapunov_exponent(math.pi**2 + 2.0, "speckle", 2.0)
    with pytest.raises(TypeError, match="above_mean"):
        tg.born_lyapunov_exponent(math.pi**2, "speckle", 2.0, above_mean=1)


@pytest.mark.slow
def test_typical_decay_rate_follows_the_lyapunov_exponent():
    # the decay-vs-localisation panel against the independent transfer-matrix λ(μ):
    # strong Gaussian disorder, ℓ_loc ≪ L/2 (docs/physics/tonks_girardeau.md)
    result = tg.localisation_versus_decay(24, "gaussian", [15.0], realisations=8, seed=0)
    lam, rate = result.lyapunov[0], result.rate_typical[0]
    assert abs(rate - lam) < 0.2 * lam + 2 * result.rate_typical_error[0]
    assert result.rate_mean[0] < rate  # the mean decays more slowly
    assert result.model_mean == ("exponential",)


def test_worker_processes_give_the_same_numbers():
    one = tg.decay_statistics(8, 8.0, "speckle", 4.0, 6, 2, grid_points=256)
    two = tg.decay_statistics(8, 8.0, "speckle", 4.0, 6, 2, grid_points=256, workers=2)
    np.testing.assert_array_equal(one.mean_samples, two.mean_samples)
    np.testing.assert_array_equal(one.log_samples, two.log_samples)


def test_the_fit_stops_where_the_orbitals_truncation_sets_gamma(monkeypatch):
    """Convergence study: with the orbitals converged to 1e-9 instead of 1e-6, the typical
    average is the same (2 %) everywhere the fit uses, but not beyond, where rows below the
    1e-6 orbitals' floor near 1e-9 n enter its logarithms (QA: at N = 216 the window
    [L/16, 3L/8] reached into it and ξ came out 2-3 times too long)."""
    from physics.tonks_girardeau import one_particle

    stats = tg.decay_statistics(64, 64.0, "speckle", 20.0, 8, 0)
    window = tg.default_decay_window(64.0)
    fit = tg.decay_fit(stats, window, 64.0, statistic="typical")
    low, high = fit.window
    assert low == pytest.approx(window[0]) and high < window[1]
    fitted = (stats.r >= low) & (stats.r <= high)
    assert stats.smallest_samples[:, fitted].min() >= RESOLVED_DENSITY_MATRIX  # every row
    mean_fit = tg.decay_fit(stats, window, 64.0, statistic="mean")  # robust to a small row
    assert stats.mean[stats.r <= mean_fit.window[1]].min() >= RESOLVED_DENSITY_MATRIX
    assert mean_fit.window[1] > high

    monkeypatch.setattr(one_particle, "TRUNCATION_TOLERANCE", 1e-9)
    observables._averaged_decay.cache_clear()
    converged = tg.decay_statistics(64, 64.0, "speckle", 20.0, 8, 0)
    observables._averaged_decay.cache_clear()
    np.testing.assert_allclose(stats.typical[fitted], converged.typical[fitted], rtol=0.02)
    beyond = (stats.r > high) & (stats.r <= window[1])
    assert np.max(stats.typical[beyond] / converged.typical[beyond]) > 2.0
    reference = tg.classify_decay(converged.r, converged.typical, fit.window, 64.0)
    assert fit.rate == pytest.approx(reference.rate, abs=fit.rate_error)
