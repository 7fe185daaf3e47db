"""Disordered Tonks-Girardeau gas: one-body density matrix, its decay, n(k), superfluid density.

Physics from Warzel's talk (seed ``002_…``; Seiringer-Warzel arXiv:1512.05282, Sims-Warzel
arXiv:1509.00450). Units ħ = 2m = 1, lengths in 1/n (the project's n = 1 means L = N). The
name ``gamma`` is reserved for the Lieb-Liniger coupling; the density matrix is
``one_body_density_matrix`` / ``g1`` (``docs/physics/conventions.md``). Details and the
resolution of the seed's sign and ρ_s slips: ``docs/physics/tonks_girardeau.md``.

Public API
----------
Disorder (:mod:`.disorder`), each reproducible from an integer seed:

- ``gaussian_potential(length, grid_points, strength, correlation_length, seed)``
- ``speckle_potential(length, grid_points, strength, correlation_length, seed)``
- ``poisson_scatterers(length, grid_points, density, amplitude, seed, width)``
- ``disorder_potential(kind, length, grid_points, strength, seed, **params)`` -- the slider's
  dispatcher, kind in ``DISORDER_KINDS = ("gaussian", "speckle", "poisson")``; ``strength`` is
  the standard deviation of V for every kind.
- ``realisation_seeds(seed, count)`` -- the per-realisation seeds all averages use.

One-particle problem (:mod:`.one_particle`):

- ``lowest_orbitals(n_states, length, potential=None, twist=0.0, modes=None,
  start_modes=None)`` → ``Orbitals`` (``Orbitals.converged_half_width(t)``: a starting basis)
- ``single_particle_energies(n_states, length, potential=None, twist=0.0, modes=None)``
- ``boundary_twist(n_particles, boundary=None)`` -- Warzel's rule ♯_N: N odd periodic (θ = 0),
  N even antiperiodic (θ = π).

Density matrix (:mod:`.density_matrix`):

- ``one_body_density_matrix(n_particles, length, potential=None, x0=0.0, grid_points=None,
  boundary=None)`` → ``(y, values)``, values[i] = γ(x0, y_i) on y_i = i L/M, O(M N²).
- ``density_matrix_rows(orbital_sets, grid_points, base_indices, steps, method)`` -- batched
  rows, ``method="rank_one"`` (Woodbury updates) or ``"determinant"`` (naive baseline).

Observables (:mod:`.observables`, :mod:`.localisation`, :mod:`.superfluid`):

- ``averaged_decay(n_particles, length, kind, strength, realisations=16, seed=0,
  grid_points=None, base_points=2, statistic="mean", boundary=None, **params)`` → ``(r, g1)``,
  g1(r) = E|γ(x, x + r)| for 0 <= r <= L/2 (memoised).
- ``exponential_fit(r, g1, window)`` → ``ExponentialFit(xi, sigma, amplitude)``;
  ``decay_length(r, g1, window)`` → ``(xi, sigma_xi)``; ``default_decay_window(length)``.
- ``ground_state_density(n_particles, length, potential)`` → n(x) = γ(x, x) on the grid.
- ``momentum_distribution(r, g1)`` → ``(k, n_k)``.
- ``fermi_energy(n_particles, length, kind, strength, realisations, seed, ...)`` → ``(mu, sigma)``.
- ``lyapunov_exponent(energy, kind, strength, seed, ...)`` and
  ``localisation_length(energy, kind, strength, seed, ...)`` → ``(value, sigma)``.
- ``superfluid_density(n_particles, length, kind, strength, realisations=16, seed=0,
  twist=0.5)`` → ``(rho_s, sigma)``; ``superfluid_density_curve(lengths, kind, strength, ...)``
  → ``(lengths, rho_s, sigma)`` at fixed density.

Decay laws and extrapolations (:mod:`.fits`, :mod:`.comparison`):

- ``decay_statistics(...)`` → ``DecayStatistics`` (per-realisation translation averages, for
  error bars); ``default_output_points(N)``: rows on 8 points per particle.
- ``classify_decay(r, g1, window, length)`` / ``decay_fit(statistics, window, length)`` →
  ``DecayFit``: exponential or power law by residuals (ξ only for an exponential), jackknife σ.
- ``power_law_fit(r, g1, window, length)`` → (p, C, RSS) of C d(r)^(−p).
- ``extrapolate_superfluid_density(lengths, rho_s, sigma)`` → ``SuperfluidExtrapolation``
  (ρ_s(L) = ρ_∞ + A e^{−L/ℓ_s}).
- ``density_matrix_map(N, L, potential, points, grid_points)`` → γ(x_i, x_j) on a square.
- ``born_lyapunov_exponent(energy, kind, strength)``: weak-disorder λ; ``lyapunov_exponent(...,
  target_error=...)`` picks its length from the wanted relative error.
- ``localisation_versus_decay(N, kind, strengths, ...)`` → ``LocalisationComparison``.

Dashboard defaults: N = L = 32 (n = 1), M = 1024, rows on G = 256 points, 16 realisations.
"""

from physics.tonks_girardeau.comparison import LocalisationComparison, localisation_versus_decay
from physics.tonks_girardeau.density_matrix import (
    default_grid_points,
    density_matrix_map,
    density_matrix_rows,
    one_body_density_matrix,
)
from physics.tonks_girardeau.disorder import (
    DISORDER_KINDS,
    disorder_potential,
    gaussian_potential,
    poisson_scatterers,
    realisation_seeds,
    speckle_potential,
)
from physics.tonks_girardeau.fits import (
    DecayFit,
    SuperfluidExtrapolation,
    classify_decay,
    decay_fit,
    extrapolate_superfluid_density,
    power_law_fit,
)
from physics.tonks_girardeau.localisation import (
    born_lyapunov_exponent,
    localisation_length,
    lyapunov_exponent,
)
from physics.tonks_girardeau.observables import (
    DecayStatistics,
    ExponentialFit,
    averaged_decay,
    decay_length,
    decay_statistics,
    default_decay_window,
    default_output_points,
    exponential_fit,
    fermi_energy,
    ground_state_density,
    momentum_distribution,
    realisation_potentials,
)
from physics.tonks_girardeau.one_particle import (
    Orbitals,
    boundary_twist,
    lowest_orbitals,
    single_particle_energies,
)
from physics.tonks_girardeau.superfluid import (
    superfluid_density,
    superfluid_density_curve,
    twist_energy,
)

__all__ = [
    "DISORDER_KINDS",
    "DecayFit",
    "DecayStatistics",
    "ExponentialFit",
    "LocalisationComparison",
    "Orbitals",
    "SuperfluidExtrapolation",
    "averaged_decay",
    "born_lyapunov_exponent",
    "boundary_twist",
    "classify_decay",
    "decay_fit",
    "decay_length",
    "decay_statistics",
    "default_decay_window",
    "default_grid_points",
    "default_output_points",
    "density_matrix_map",
    "density_matrix_rows",
    "disorder_potential",
    "exponential_fit",
    "extrapolate_superfluid_density",
    "fermi_energy",
    "gaussian_potential",
    "ground_state_density",
    "localisation_length",
    "localisation_versus_decay",
    "lowest_orbitals",
    "lyapunov_exponent",
    "momentum_distribution",
    "one_body_density_matrix",
    "poisson_scatterers",
    "power_law_fit",
    "realisation_potentials",
    "realisation_seeds",
    "single_particle_energies",
    "speckle_potential",
    "superfluid_density",
    "superfluid_density_curve",
    "twist_energy",
]
