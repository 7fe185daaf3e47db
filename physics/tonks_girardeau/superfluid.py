"""Superfluid density (stiffness) of the Tonks-Girardeau ring from the twist energy.

Definition (Warzel, seed ``002_…``; Seiringer-Warzel, arXiv:1512.05282):
ρ_s = limsup_{θ→0} θ⁻² limsup_{L→∞} L [E_L(N, θ) − E_L(N, 0)], with E_L(N, θ) the ground-state
energy when Ψ(…, x_j + L, …) = e^{iθ} Ψ. For the Tonks-Girardeau gas
E_L(N, θ) = Σ_{j<=N} E_j(θ_N + θ), the N lowest one-particle levels with twist θ_N + θ, where
θ_N = 0 (N odd) or π (N even) is Warzel's boundary rule.

Clean value. E_j = (2π m_j + θ_N + θ)²/L² over the closed shell Σ_j (2π m_j + θ_N) = 0, so
L [E(θ) − E(0)] / θ² = N/L = n exactly, for every |θ| < π and every L. With ħ = 2m = 1 and
μ = k_F² this is ρ_s = √μ/π. The slide's √[μ]_+/(2π²) is n/(2π): it does not follow from the
definition as written (the slide also writes it as lim N_μ/L, which is n); see
``docs/physics/tonks_girardeau.md``. The finite-L estimator here is ρ_s(L) = L ΔE/θ² at fixed
θ; with disorder it decays to 0 as L grows (Seiringer-Warzel's theorem), without it stays at n.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from physics._validate import integer, real_array, real_scalar
from physics.tonks_girardeau.density_matrix import default_grid_points
from physics.tonks_girardeau.observables import realisation_potentials
from physics.tonks_girardeau.one_particle import (
    boundary_twist,
    lowest_orbitals,
    single_particle_energies,
)

__all__ = ["superfluid_density", "superfluid_density_curve", "twist_energy"]

#: Default twist θ of the finite-L estimator (radians).
DEFAULT_TWIST = 0.5


def twist_energy(
    n_particles: int, length: float, potential: np.ndarray | None, twist: float
) -> float:
    """E_L(N, θ) − E_L(N, 0) of the Tonks-Girardeau ground state for one potential (units n²).

    Both energies come from the same plane-wave basis (the half-width chosen for θ = 0), so
    the basis truncation cancels to the level of its square.
    """
    n_particles = integer("n_particles", n_particles, 1, None)
    twist = real_scalar("twist", twist, -math.pi, math.pi, low_open=True, high_open=True)
    base = boundary_twist(n_particles)
    orbitals = lowest_orbitals(n_particles, length, potential, twist=base)
    half_width = int(np.abs(orbitals.mode_indices).max())
    shifted = single_particle_energies(n_particles, length, potential, base + twist, half_width)
    unshifted = single_particle_energies(n_particles, length, potential, base, half_width)
    return float(np.sum(shifted) - np.sum(unshifted))


def superfluid_density(
    n_particles: int,
    length: float,
    kind: str,
    strength: float,
    realisations: int = 16,
    seed: int = 0,
    twist: float = DEFAULT_TWIST,
    grid_points: int | None = None,
    **disorder_params: float,
) -> tuple[float, float]:
    """Disorder-averaged ρ_s(L) = L [E_L(N, θ) − E_L(N, 0)] / θ² and its standard error.

    Parameters
    ----------
    n_particles, length
        N >= 1 and L > 0 (density n = N/L).
    kind, strength, realisations, seed, **disorder_params
        As in :func:`~physics.tonks_girardeau.observables.averaged_decay` (same realisations).
    twist : float
        θ ∈ (−π, π), θ ≠ 0; default 0.5.
    grid_points : int or None
        Grid of the potential (default
        :func:`~physics.tonks_girardeau.density_matrix.default_grid_points`).

    Returns
    -------
    rho_s, sigma : float
        Units of density n; clean: exactly N/L. σ = standard error over realisations.
    """
    n_particles = integer("n_particles", n_particles, 1, None)
    length = real_scalar("length", length, 0.0, None, low_open=True)
    twist = real_scalar("twist", twist, -math.pi, math.pi, low_open=True, high_open=True)
    if twist == 0.0:
        raise ValueError("twist=0.0 is outside the valid range (-pi, 0) U (0, pi)")
    if grid_points is None:
        grid_points = default_grid_points(n_particles)
    grid_points = integer("grid_points", grid_points, 4 * n_particles + 16, None)
    strength = real_scalar("strength", strength, 0.0, None)
    potentials = realisation_potentials(
        length, grid_points, kind, strength, realisations, seed, **disorder_params
    )
    if strength == 0.0:
        potentials = [None]
    values = np.array(
        [length * twist_energy(n_particles, length, v, twist) / twist**2 for v in potentials]
    )
    error = values.std(ddof=1) / math.sqrt(values.size) if values.size > 1 else 0.0
    return float(values.mean()), float(error)


def superfluid_density_curve(
    lengths: Any,
    kind: str,
    strength: float,
    realisations: int = 16,
    seed: int = 0,
    density: float = 1.0,
    twist: float = DEFAULT_TWIST,
    **disorder_params: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ρ_s(L) at fixed density for the plot of superfluid density against system size.

    N = max(1, round(density · L)) for each L; other arguments as :func:`superfluid_density`.

    Returns
    -------
    lengths, rho_s, sigma : numpy.ndarray
        The lengths, ρ_s(L) and standard errors (units of density).
    """
    lengths = real_array("lengths", lengths, 0.0, None, low_open=True).ravel()
    density = real_scalar("density", density, 0.0, None, low_open=True)
    results = [
        superfluid_density(
            max(1, round(density * length)),
            length,
            kind,
            strength,
            realisations,
            seed,
            twist,
            **disorder_params,
        )
        for length in lengths
    ]
    values = np.array(results).reshape(-1, 2)
    return lengths, values[:, 0], values[:, 1]
