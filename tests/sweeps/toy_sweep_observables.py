"""Toy observables for testing the sweep machinery independently of the physics.

Module-level functions, so local worker processes and Dask workers import them by path
(the test directory is on ``sys.path``, which spawned processes inherit).
"""

from __future__ import annotations

import numpy as np

from qgas.sweeps.registry import Observable, Output, Parameter, Registry

__all__ = ["TOY_REGISTRY", "noisy_mean", "product_or_fail"]


def noisy_mean(centre: float, samples: int, seed: int) -> tuple[float, float]:
    """Sample mean and standard deviation of ``samples`` draws of N(centre, 1)."""
    draws = centre + np.random.default_rng(seed).standard_normal(samples)
    return float(draws.mean()), float(draws.std())


def product_or_fail(x: float, y: float) -> float:
    """``x * y``; raises at ``x == 13`` to test failure handling."""
    if x == 13:
        raise ValueError("x=13 is unlucky")
    return x * y


TOY_REGISTRY = Registry(
    (
        Observable(
            "toy.noisy_mean",
            "toy_sweep_observables:noisy_mean",
            "mean and spread of Gaussian draws",
            (
                Parameter("centre", "1", "mean of the draws", low=-10.0, high=10.0),
                Parameter("samples", "1", "number of draws", "integer", 1, 100_000, default=50),
            ),
            (Output("mean", "1", "sample mean"), Output("spread", "1", "sample deviation")),
            seed_parameter="seed",
        ),
        Observable(
            "toy.product",
            "toy_sweep_observables:product_or_fail",
            "x times y",
            (
                Parameter("x", "m", "first factor", low=0.0, high=100.0),
                Parameter("y", "s", "second factor", low=0.0, high=100.0, low_open=True),
            ),
            (Output("product", "m s", "x y"),),
        ),
    )
)
