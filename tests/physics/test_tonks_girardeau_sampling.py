"""Orbitals on shifted grids by FFT (two real orbitals per transform) against the
trigonometric sum Σ_m c_m e^{i k_m x}/√L evaluated point by point, an independent route."""

import math

import numpy as np
import pytest

from physics.tonks_girardeau import disorder_potential, lowest_orbitals


@pytest.mark.parametrize("kind", ["gaussian", "speckle", "poisson"])
@pytest.mark.parametrize(("n", "twist"), [(7, 0.0), (8, math.pi), (5, 0.7)])
def test_shifted_grids_match_the_trigonometric_sum(kind, n, twist):
    # odd N pads the last pair with a zero orbital; θ = 0.7 gives complex orbitals (unpaired)
    length, points = 8.0, 256
    potential = disorder_potential(kind, length, points, 5.0, 3)
    orbitals = lowest_orbitals(n, length, potential, twist=twist)
    shifts, scales = [0.0, 0.013, 0.02], [1.0, 0.5, 2.0]
    sampled = orbitals.on_shifted_grids(points, shifts, scales)
    assert sampled.shape == (3, points, n)
    assert np.isrealobj(sampled) == (twist in (0.0, math.pi))
    for values, shift, scale in zip(sampled, shifts, scales, strict=True):
        expected = scale * orbitals.evaluate(np.arange(points) * length / points + shift)
        assert np.abs(values - expected).max() < 1e-12 * np.abs(expected).max()
