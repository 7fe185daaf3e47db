"""Statistics of the disorder potentials against their definitions (mean, variance, covariance)."""

import math

import numpy as np
import pytest

from physics.tonks_girardeau import (
    disorder_potential,
    gaussian_potential,
    poisson_scatterers,
    realisation_seeds,
    speckle_potential,
)

LENGTH = 64.0
POINTS = 1024
SPACING = LENGTH / POINTS


def _ensemble(make, count=200):
    return np.array([make(seed) for seed in range(count)])


def _covariance(samples, lag):
    centred = samples - samples.mean()
    return np.mean(centred * np.roll(centred, -lag, axis=1))


def test_gaussian_statistics_match_definition():
    ell, v0 = 0.5, 2.0
    samples = _ensemble(lambda s: gaussian_potential(LENGTH, POINTS, v0, ell, s))
    sem = v0 / math.sqrt(samples.size * SPACING / (ell * math.sqrt(2 * math.pi)))
    assert abs(samples.mean()) < 5 * sem
    assert samples.var() == pytest.approx(v0**2, rel=0.03)
    for lag in (8, 16, 24):  # r = 0.5, 1.0, 1.5
        r = lag * SPACING
        expected = v0**2 * math.exp(-(r**2) / (2 * ell**2))
        assert _covariance(samples, lag) == pytest.approx(expected, abs=0.03 * v0**2)


def test_speckle_statistics_match_billy_et_al():
    sigma, vr = 0.5, 1.5
    samples = _ensemble(lambda s: speckle_potential(LENGTH, POINTS, vr, sigma, s))
    assert samples.min() >= 0.0
    assert samples.mean() == pytest.approx(vr, rel=0.03)
    assert samples.std() == pytest.approx(vr, rel=0.04)
    # exponential intensity statistics P(V > v) = exp(-v / V_R)
    for v in (0.5 * vr, vr, 2 * vr):
        assert np.mean(samples > v) == pytest.approx(math.exp(-v / vr), abs=0.02)
    for lag in (8, 16, 40):  # r/σ_R = 1, 2, 5
        u = lag * SPACING / sigma
        assert _covariance(samples, lag) == pytest.approx(
            vr**2 * (math.sin(u) / u) ** 2, abs=0.04 * vr**2
        )


def test_poisson_statistics_follow_campbell():
    rho, u0, w = 2.0, 1.5, 0.25
    samples = _ensemble(lambda s: poisson_scatterers(LENGTH, POINTS, rho, u0, s, w))
    assert samples.min() >= 0.0
    assert samples.mean() == pytest.approx(rho * u0 * w * math.sqrt(2 * math.pi), rel=0.02)
    variance = rho * u0**2 * w * math.sqrt(math.pi)
    assert samples.var() == pytest.approx(variance, rel=0.05)
    for lag in (4, 8, 12):
        r = lag * SPACING
        assert _covariance(samples, lag) == pytest.approx(
            variance * math.exp(-(r**2) / (4 * w**2)), abs=0.05 * variance
        )


@pytest.mark.parametrize("kind", ["gaussian", "speckle", "poisson"])
def test_dispatcher_strength_is_standard_deviation(kind):
    samples = _ensemble(lambda s: disorder_potential(kind, LENGTH, POINTS, 3.0, s), count=100)
    assert samples.std() == pytest.approx(3.0, rel=0.05)
    assert np.all(disorder_potential(kind, LENGTH, POINTS, 0.0, 7) == 0.0)


@pytest.mark.parametrize("kind", ["gaussian", "speckle", "poisson"])
def test_same_seed_same_potential_different_seed_different(kind):
    a = disorder_potential(kind, 16.0, 256, 1.0, 11)
    b = disorder_potential(kind, 16.0, 256, 1.0, 11)
    c = disorder_potential(kind, 16.0, 256, 1.0, 12)
    assert np.array_equal(a, b)
    assert not np.allclose(a, c)


def test_realisation_seeds_are_prefix_stable_and_distinct():
    seeds = realisation_seeds(5, 16)
    assert seeds[:4] == realisation_seeds(5, 4)
    assert len(set(seeds)) == 16
    assert seeds != realisation_seeds(6, 16)


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: gaussian_potential(-1.0, 256, 1.0, 0.5, 0), "length"),
        (lambda: gaussian_potential(16.0, 256, -1.0, 0.5, 0), "strength"),
        (lambda: gaussian_potential(16.0, 256, 1.0, -0.5, 0), "correlation_length"),
        (lambda: gaussian_potential(16.0, 256, 1.0, 0.01, 0), "correlation_length"),
        (lambda: speckle_potential(16.0, 256, float("nan"), 0.5, 0), "strength"),
        (lambda: poisson_scatterers(16.0, 256, -1.0, 1.0, 0), "density"),
        (lambda: poisson_scatterers(16.0, 256, 1.0, -1.0, 0), "amplitude"),
        (lambda: poisson_scatterers(16.0, 256, 1.0, 1.0, 0, width=-0.1), "width"),
        (lambda: disorder_potential("box", 16.0, 256, 1.0, 0), "kind"),
        (lambda: disorder_potential("poisson", 16.0, 256, 1.0, 0, correlation_length=1), "corr"),
        (lambda: disorder_potential("gaussian", 16.0, 256, 1.0, -3), "seed"),
        (lambda: disorder_potential("gaussian", 16.0, 2.5, 1.0, 0), "grid_points"),
        # a ring shorter than the default range the caller never gave: its length is named
        (lambda: disorder_potential("speckle", 0.2, 64, 1.0, 0), "^length=0.2 is shorter"),
        (lambda: disorder_potential("poisson", 0.2, 64, 1.0, 0), "^length=0.2 .* width 0.25"),
    ],
)
def test_bad_input_raises_value_error_naming_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()
