"""The hypothesis against the conclusion: localisation of orbitals vs decay of γ, by strength.

Seiringer-Warzel (seed ``002_…``) assume exponentially localised one-particle states (ECL,
length ℓ) and conclude that E|γ(x, y)| decays exponentially. For each disorder strength this
module puts side by side

- the Lyapunov exponent λ(μ) = 1/ℓ_loc at the chemical potential μ (transfer matrices, length
  chosen for a target relative error, :func:`~physics.tonks_girardeau.localisation.
  lyapunov_exponent`), and
- the fitted decay rates 1/ξ of the typical exp E log|γ(x, x + r)| and of the mean
  E|γ(x, x + r)| at density n = 1 (L = N), with jackknife errors
  (:func:`~physics.tonks_girardeau.fits.decay_fit`).

What the theory predicts: the theorem bounds E‖1_n γ 1_m‖^σ by e^{−c (1−σ) dist/ℓ}, i.e. a
decay rate of the mean at least a fixed fraction of 1/ℓ. The one-link picture behind it
(docs/physics/tonks_girardeau.md) sharpens this to 1/ξ_typ = λ(μ) for the typical γ, and a
slower mean (rare extended configurations): 1/ξ_mean < λ(μ). The view shows whether the numbers
follow (they do within 5-20 % where ℓ_loc ≪ L/2).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from physics._validate import choice, integer, real_array, real_scalar
from physics.tonks_girardeau.disorder import DISORDER_KINDS
from physics.tonks_girardeau.fits import decay_fit
from physics.tonks_girardeau.limits import (
    MAX_PARTICLES,
    MAX_REALISATIONS,
    MAX_STRENGTH,
    check_cost,
)
from physics.tonks_girardeau.localisation import lyapunov_exponent
from physics.tonks_girardeau.observables import (
    decay_statistics,
    default_decay_window,
    fermi_energy,
)

__all__ = ["LocalisationComparison", "localisation_versus_decay"]

#: Most strengths of one comparison.
MAX_STRENGTHS = 32


class LocalisationComparison(NamedTuple):
    """Per strength (arrays of equal length; rates in units n, μ in n²)."""

    strengths: np.ndarray
    #: Disorder-averaged μ = (E_N + E_{N+1})/2 and its standard error.
    chemical_potential: np.ndarray
    chemical_potential_error: np.ndarray
    #: λ(μ) and its standard error (transfer matrices).
    lyapunov: np.ndarray
    lyapunov_error: np.ndarray
    #: 1/ξ of exp E log|γ| and of E|γ| (exponential fit over the default window), jackknife σ.
    rate_typical: np.ndarray
    rate_typical_error: np.ndarray
    rate_mean: np.ndarray
    rate_mean_error: np.ndarray
    #: "exponential" or "power law" for the mean (criterion of :mod:`.fits`).
    model_mean: tuple[str, ...]


def localisation_versus_decay(
    n_particles: int,
    kind: str,
    strengths: Any,
    realisations: int = 8,
    seed: int = 0,
    target_error: float = 0.05,
    **disorder_params: float,
) -> LocalisationComparison:
    """λ(μ) and the fitted 1/ξ of γ against disorder strength at density n = 1 (L = N).

    Parameters
    ----------
    n_particles : int
        N (= L); N >= 8 so that the fit window [L/16, 3L/8] holds enough points.
    kind, **disorder_params
        As in :func:`~physics.tonks_girardeau.disorder.disorder_potential`.
    strengths : array_like
        1 … ``MAX_STRENGTHS`` strengths in (0, ``MAX_STRENGTH``].
    realisations, seed
        As in :func:`~physics.tonks_girardeau.observables.averaged_decay` (same realisations
        for γ and μ); the Lyapunov potential is drawn from ``seed``.
    target_error : float
        Relative standard error aimed at for λ (see ``lyapunov_exponent``).
    """
    n_particles = integer("n_particles", n_particles, 8, MAX_PARTICLES)
    kind = choice("kind", kind, DISORDER_KINDS)
    strengths = real_array("strengths", strengths, 0.0, MAX_STRENGTH, low_open=True).ravel()
    if not 1 <= strengths.size <= MAX_STRENGTHS:
        raise ValueError(
            f"strengths has {strengths.size} values; valid: 1 to {MAX_STRENGTHS} strengths"
        )
    realisations = integer("realisations", realisations, 2, MAX_REALISATIONS)
    check_cost(
        n_particles,
        realisations,
        calls=2 * strengths.size,
        what=f" for each of {strengths.size} strengths (decay and chemical potential)",
    )
    seed = integer("seed", seed, 0, None)
    target_error = real_scalar("target_error", target_error, 1e-3, 1.0)
    length = float(n_particles)
    window = default_decay_window(length)
    rows = []
    models = []
    for strength in strengths:
        try:
            rows.append(
                _one_strength(
                    n_particles,
                    kind,
                    strength,
                    realisations,
                    seed,
                    target_error,
                    disorder_params,
                    window,
                )
            )
        except ValueError as error:
            raise type(error)(f"strengths holds {strength:g}, where {error}") from None
        models.append(rows[-1].pop())
    columns = np.array(rows, dtype=float).T
    return LocalisationComparison(strengths, *columns, model_mean=tuple(models))


def _one_strength(
    n_particles: int,
    kind: str,
    strength: float,
    realisations: int,
    seed: int,
    target_error: float,
    disorder_params: dict[str, Any],
    window: tuple[float, float],
) -> list:
    length = float(n_particles)
    statistics = decay_statistics(
        n_particles, length, kind, strength, realisations, seed, **disorder_params
    )
    typical = decay_fit(statistics, window, length, "typical")
    mean = decay_fit(statistics, window, length, "mean")
    mu, mu_error = fermi_energy(
        n_particles, length, kind, strength, realisations, seed, **disorder_params
    )
    lam, lam_error = lyapunov_exponent(
        mu, kind, strength, seed, target_error=target_error, **disorder_params
    )
    return [
        mu,
        mu_error,
        lam,
        lam_error,
        typical.rate,
        typical.rate_error,
        mean.rate,
        mean.rate_error,
        mean.model,
    ]
