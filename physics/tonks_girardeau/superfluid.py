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

Strong disorder. Deep wells bind orbitals with momenta up to k ~ √(max V − min V) (max V − min V
≈ 4.5 × strength for the Gaussian kind on 256 points), which the plane-wave basis must
hold: its half-width is capped at M/4 − 1 by the potential's grid (M points), so
k_max = 2π(M/4 − 1)/L. Beyond that the
truncated basis does not cancel between E(θ) and E(0) and ρ_s comes out wrong (N = 8, L = 8,
M = 256, Gaussian: −0.04 at strength 1e3, −8.7 at 1e4). The truncation error of ρ_s is
bounded by a² (2π K_h/L)², a the largest amplitude in the outer three modes of the θ = 0
solution (checked against the same potential interpolated onto 4096 points, so that the basis
converges: the bound exceeds the true error by factors 2-6 for deep Gaussian and speckle
disorder, far more for weak potentials on coarse grids). The valid potentials are those for
which this bound is <= ``RHO_S_TOLERANCE`` = 1e-6 n; others raise a ValueError naming strength,
length and grid_points (a finer grid, up to ``MAX_GRID_POINTS``, or a shorter ring extends the
range). Measured bisection (2 realisations, factor-2 steps), Gaussian: N = L = 8 at M = 256,
N = 8, L = 32, M = 1024: valid up to strength 100 and 215, refused from 215 and 464;
N = L = 8, M = 1024: up to 2.2e4; speckle N = L = 8, M = 256: up to 464. Inside, ρ_s >= 0 to
1e-6 n and falls towards 0 as the strength grows (M = 4096: |ρ_s| < 3e-9 at 1e2 … 1e5).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import scipy.linalg

from physics._validate import choice, integer, real_array, real_scalar
from physics.tonks_girardeau.density_matrix import default_grid_points
from physics.tonks_girardeau.disorder import (
    DEFAULT_CORRELATION_LENGTH,
    DISORDER_KINDS,
    check_disorder_params,
)
from physics.tonks_girardeau.limits import (
    LENGTH_RANGE,
    MAX_GRID_POINTS,
    MAX_PARTICLES,
    MAX_REALISATIONS,
    MAX_STRENGTH,
    check_cost,
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
#: Largest accepted truncation error of ρ_s, relative to n (module docstring, "Strong disorder").
RHO_S_TOLERANCE = 1e-6
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


class _UnresolvedPotential(ValueError):
    """The potential is too deep for the plane-wave basis its grid allows (``reason``: the
    message without its 'valid:' part, for callers that state their own valid range)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def _check_default_resolution(
    length: float, grid_points: int, kind: str, disorder_params: dict[str, Any]
) -> None:
    """The grid must resolve the default correlation length (or width) 0.25/n the caller did
    not pass: say so in terms of the arguments the caller chose (length, grid_points)."""
    name = "width" if kind == "poisson" else "correlation_length"
    spacing = length / grid_points
    if name in disorder_params or spacing <= DEFAULT_CORRELATION_LENGTH:
        return
    raise ValueError(
        f"length={length!r} on grid_points={grid_points} gives a grid spacing {spacing:g} "
        f"above the default {name} {DEFAULT_CORRELATION_LENGTH:g} of kind={kind!r}; valid: "
        f"length <= {DEFAULT_CORRELATION_LENGTH:g} * grid_points = "
        f"{DEFAULT_CORRELATION_LENGTH * grid_points:g} (more grid_points, up to "
        f"{MAX_GRID_POINTS}, a shorter length, or an explicit {name} >= length/grid_points)"
    )


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
    length = real_scalar("length", length, *LENGTH_RANGE)
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
    cutoff_energy = (2.0 * math.pi * half_width / length) ** 2
    error_estimate = orbitals.truncation_error**2 * cutoff_energy
    if error_estimate > RHO_S_TOLERANCE * n_particles / length:
        spread = float(np.ptp(potential))
        reason = (
            f"the potential (max V - min V = {spread:.3g}) binds orbitals that the plane-wave "
            f"basis of its {potential.size} grid points on length={length!r} cannot hold "
            f"(half-width {half_width}, outer amplitude {orbitals.truncation_error:.2g}: rho_s "
            f"error up to {error_estimate:.2g}, above {RHO_S_TOLERANCE:g} n)"
        )
        raise _UnresolvedPotential(
            f"{reason}; valid: a potential whose basis converges (a shallower one, a shorter "
            f"length or more grid points)",
            reason,
        )
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
        Valid strengths: those whose orbitals the plane-wave basis on the grid holds (measured,
        Gaussian, N = L = 8: <= 100 at the default M = 256 grid points, <= 2e4 at M = 1024;
        speckle <= 460 at 256); beyond, a ValueError naming strength, length and
        grid_points (module docstring, "Strong disorder"). Without a ``correlation_length``
        (``width``) the grid spacing L/M must resolve the default 0.25.
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
    kind = choice("kind", kind, DISORDER_KINDS)
    check_disorder_params(kind, disorder_params)
    realisations = integer("realisations", realisations, 1, MAX_REALISATIONS)
    check_cost(n_particles, 1 if strength == 0.0 else realisations)
    if strength == 0.0:
        integer("seed", seed, 0, None)
        potentials = [None]
    else:
        _check_default_resolution(length, grid_points, kind, disorder_params)
        potentials = realisation_potentials(
            length, grid_points, kind, strength, realisations, seed, **disorder_params
        )
    try:
        values = np.array(
            [length * twist_energy(n_particles, length, v, twist) / twist**2 for v in potentials]
        )
    except _UnresolvedPotential as error:
        raise ValueError(
            f"strength={strength!r} is outside the valid range for kind={kind!r}, "
            f"length={length!r}, grid_points={grid_points}: {error.reason}; valid: strengths "
            f"whose "
            f"basis converges (Gaussian, N = L = 8: <= 100 at the default 256 grid points, "
            f"<= 2e4 at 1024; raise grid_points, up to {MAX_GRID_POINTS}, or shorten length)"
        ) from None
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
    largest = density * float(lengths.max())  # a Python float: inf, not an overflow warning
    if not math.isfinite(largest) or round(largest) > MAX_PARTICLES:
        raise ValueError(
            f"density={density!r} times lengths up to {lengths.max():g} gives N = "
            f"{largest:.0f} particles; valid: density * L <= {MAX_PARTICLES}"
        )
    particles = np.maximum(1, np.round(density * lengths))
    # the longest length bounds each one's cost
    check_cost(
        int(particles.max()),
        1 if real_scalar("strength", strength, 0.0, MAX_STRENGTH) == 0.0 else realisations,
        calls=lengths.size,
        what=f" at each of {lengths.size} lengths",
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
