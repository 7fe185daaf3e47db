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

Small twists. E_L(N, θ) − E_L(N, 0) ~ N θ²/L² is a tiny difference of two energies ~ N³/L²:
subtracting them loses ~ (N/θ)² ε of relative accuracy (ε = 2.2e-16; at N = 4, θ = 1e-8 all of
it). Below |θ| = ``DIRECT_TWIST_ABOVE`` the difference is therefore integrated instead, by the
Hellmann-Feynman theorem: dE/dθ' = (2/L) Σ_j <j|k_m|j> with k_m = (2π m + θ_N + θ')/L, whose
θ'-linear part 2Nθ'/L² is exact and whose rest loses only ~ N ε/θ (Gauss-Legendre in θ',
``TWIST_NODES`` nodes: exact to ~ (θ/π)^(2·nodes)). The clean ring then gives exactly n at
any twist; with disorder the rounding error grows like 1/θ (measured relative to θ = 1e-3 at
N <= 64, Gaussian strength <= 5: <= 3e-7 at θ = 1e-6, up to 5e-4 at θ = 1e-8), so the valid
twists are ``TWIST_FLOOR`` = 1e-6 <= |θ| < π.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import scipy.linalg

from physics._validate import integer, real_array, real_scalar
from physics.tonks_girardeau.density_matrix import default_grid_points
from physics.tonks_girardeau.limits import (
    LENGTH_RANGE,
    MAX_GRID_POINTS,
    MAX_PARTICLES,
    MAX_STRENGTH,
)
from physics.tonks_girardeau.observables import realisation_potentials
from physics.tonks_girardeau.one_particle import (
    _complex_hamiltonian,
    _mode_indices,
    _potential_spectrum,
    boundary_twist,
    lowest_orbitals,
    single_particle_energies,
)

__all__ = ["superfluid_density", "superfluid_density_curve", "twist_energy"]

#: Default twist θ of the finite-L estimator (radians).
DEFAULT_TWIST = 0.5
#: Most lengths of one curve.
MAX_CURVE_POINTS = 256
#: Below this |θ| the twist energy is integrated (Hellmann-Feynman), not differenced.
DIRECT_TWIST_ABOVE = 0.25
#: Gauss-Legendre nodes of that integral (error ~ (θ/π)^12 < 1e-13 relative at θ = 0.25).
TWIST_NODES = 6
#: Smallest valid |θ|: the rounding error of ρ_s stays below ~1e-6 relative (module docstring).
TWIST_FLOOR = 1e-6


def _checked_twist(twist: Any) -> float:
    twist = real_scalar("twist", twist, -math.pi, math.pi, low_open=True, high_open=True)
    if abs(twist) < TWIST_FLOOR:
        raise ValueError(
            f"twist={twist!r} is outside the valid range (-pi, -{TWIST_FLOOR:g}] U "
            f"[{TWIST_FLOOR:g}, pi) (smaller twists lose the twist energy to rounding)"
        )
    return twist


def _integrated_twist_energy(
    n_particles: int, length: float, potential: np.ndarray | None, twist: float, modes: int
) -> float:
    """∫_0^θ dE/dθ' dθ' by Gauss-Legendre, dE/dθ' from the orbitals (Hellmann-Feynman).

    The basis momenta (2π m + θ_N)/L are symmetric about 0 (m = −K … K for θ_N = 0, −K … K − 1
    for θ_N = π), so that time reversal cancels Σ_j <j|k|j> at θ' = 0 in the truncated basis too.
    """
    base = boundary_twist(n_particles)
    mode_indices = _mode_indices(modes, base)
    base_momenta = (2.0 * math.pi * mode_indices + base) / length
    spectrum = None if potential is None else _potential_spectrum(potential)
    nodes, weights = np.polynomial.legendre.leggauss(TWIST_NODES)
    total = 0.0
    for node, weight in zip(nodes, weights, strict=True):
        shift = 0.5 * twist * (1.0 + node)
        hamiltonian = _complex_hamiltonian(mode_indices, length, base + shift, spectrum)
        _, vectors = scipy.linalg.eigh(hamiltonian, subset_by_index=[0, n_particles - 1])
        occupation = np.sum(np.abs(vectors) ** 2, axis=1)
        derivative = 2.0 * float(occupation @ base_momenta) / length
        total += weight * (derivative + 2.0 * n_particles * shift / length**2)
    return 0.5 * twist * total


def twist_energy(
    n_particles: int, length: float, potential: np.ndarray | None, twist: float
) -> float:
    """E_L(N, θ) − E_L(N, 0) of the Tonks-Girardeau ground state for one potential (units n²).

    Both energies come from the same plane-wave basis (the half-width chosen for θ = 0), so
    the basis truncation cancels to the level of its square. For |θ| below
    ``DIRECT_TWIST_ABOVE`` the difference is integrated (module docstring), so that tiny twists
    keep their accuracy; valid twists: ``TWIST_FLOOR`` <= |θ| < π.
    """
    n_particles = integer("n_particles", n_particles, 1, MAX_PARTICLES)
    if isinstance(potential, np.ndarray):
        # lowest_orbitals needs 4 N + 16 grid points; say so in terms of this call
        integer(
            "n_particles",
            n_particles,
            1,
            (potential.size - 16) // 4,
            given={"potential grid points": potential.size},
        )
    twist = _checked_twist(twist)
    base = boundary_twist(n_particles)
    orbitals = lowest_orbitals(n_particles, length, potential, twist=base)
    half_width = int(np.abs(orbitals.mode_indices).max())
    if abs(twist) < DIRECT_TWIST_ABOVE:
        return _integrated_twist_energy(n_particles, length, potential, twist, half_width)
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
        θ with ``TWIST_FLOOR`` = 1e-6 <= |θ| < π; default 0.5.
    grid_points : int or None
        Grid of the potential (default
        :func:`~physics.tonks_girardeau.density_matrix.default_grid_points`).

    Returns
    -------
    rho_s, sigma : float
        Units of density n; clean: exactly N/L. σ = standard error over realisations.
    """
    n_particles = integer("n_particles", n_particles, 1, MAX_PARTICLES)
    length = real_scalar("length", length, *LENGTH_RANGE)
    twist = _checked_twist(twist)
    if grid_points is None:
        grid_points = default_grid_points(n_particles)
    grid_points = integer(
        "grid_points",
        grid_points,
        4 * n_particles + 16,
        MAX_GRID_POINTS,
        given={"n_particles": n_particles},
    )
    strength = real_scalar("strength", strength, 0.0, MAX_STRENGTH)
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
    lengths = real_array("lengths", lengths, *LENGTH_RANGE).ravel()
    if lengths.size == 0 or lengths.size > MAX_CURVE_POINTS:
        raise ValueError(
            f"lengths has {lengths.size} values; valid: 1 to {MAX_CURVE_POINTS} lengths"
        )
    density = real_scalar("density", density, 0.0, None, low_open=True)
    particles = np.maximum(1, np.round(density * lengths))
    if particles.max() > MAX_PARTICLES:
        raise ValueError(
            f"density={density!r} times lengths up to {lengths.max():g} gives N = "
            f"{particles.max():.0f} particles; valid: density * L <= {MAX_PARTICLES}"
        )
    results = []
    for count, length in zip(particles, lengths, strict=True):
        try:
            results.append(
                superfluid_density(
                    int(count), length, kind, strength, realisations, seed, twist, **disorder_params
                )
            )
        except ValueError as error:
            raise type(error)(f"lengths holds {length:g}, where {error}") from None
    values = np.array(results).reshape(-1, 2)
    return lengths, values[:, 0], values[:, 1]
