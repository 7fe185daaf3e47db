"""Disorder-averaged observables of the Tonks-Girardeau ground state for the decay view.

- :func:`averaged_decay` -- g1(r) = E|γ(x, x + r)|, averaged over disorder realisations and over
  base points x (translation average), for 0 <= r <= L/2 (g1(L − r) = g1(r) on the ring).
- :func:`exponential_fit` / :func:`decay_length` -- ξ (and the amplitude C) from a
  straight-line fit of log g1(r) over a window, with its standard error.
- :func:`ground_state_density` -- n(x) = γ(x, x) = Σ_α |φ_α(x)|² in one potential.
- :func:`momentum_distribution` -- n(k) = ∫_0^L e^{-ikr} g1(r) dr, Warzel's
  n(k) = L⁻¹ ∬ e^{ik(x−y)} E[γ(x, y)] dx dy for the translation-averaged γ.
- :func:`fermi_energy` -- the disorder-averaged chemical potential (E_N + E_{N+1})/2.

Realisation j uses ``disorder_potential(kind, L, M, strength, realisation_seeds(seed, R)[j])``,
so every result is a pure function of its arguments; results are memoised (``functools``).
"""

from __future__ import annotations

import functools
import math
from typing import Any, NamedTuple

import numpy as np

from physics._process_pool import worker_pool
from physics._validate import choice, integer, real_array, real_interval, real_scalar
from physics.tonks_girardeau.density_matrix import default_grid_points, density_matrix_rows
from physics.tonks_girardeau.disorder import DISORDER_KINDS, disorder_potential, realisation_seeds
from physics.tonks_girardeau.limits import (
    LENGTH_RANGE,
    MAX_GRID_POINTS,
    MAX_MODES,
    MAX_PARTICLES,
    MAX_REALISATIONS,
    MAX_STRENGTH,
    check_cost,
)
from physics.tonks_girardeau.one_particle import (
    Orbitals,
    boundary_twist,
    lowest_orbitals,
    single_particle_energies,
)

__all__ = [
    "DecayStatistics",
    "ExponentialFit",
    "averaged_decay",
    "decay_length",
    "decay_statistics",
    "default_decay_window",
    "default_output_points",
    "exponential_fit",
    "fermi_energy",
    "ground_state_density",
    "momentum_distribution",
    "realisation_potentials",
]

STATISTICS = ("mean", "typical")
#: Most worker processes of one decay_statistics call.
MAX_WORKERS = 16


def _check_system(
    n_particles: Any, length: Any, grid_points: Any, levels: int = 0
) -> tuple[int, float, int]:
    """The checked system; ``levels`` one-particle levels beyond the N occupied are solved
    for too (the grid needs 4 points per level, plus 16)."""
    n_particles = integer("n_particles", n_particles, 1, MAX_PARTICLES)
    length = real_scalar("length", length, *LENGTH_RANGE)
    if grid_points is None:
        grid_points = default_grid_points(n_particles)
    grid_points = integer(
        "grid_points",
        grid_points,
        4 * (n_particles + levels) + 16,
        MAX_GRID_POINTS,
        given={"n_particles": n_particles},
    )
    return n_particles, length, grid_points


def realisation_potentials(
    length: float,
    grid_points: int,
    kind: str,
    strength: float,
    realisations: int,
    seed: int,
    **params: float,
) -> list[np.ndarray]:
    """The potentials of the R realisations every averaged function of this package uses."""
    realisations = integer("realisations", realisations, 1, MAX_REALISATIONS)
    return [
        disorder_potential(kind, length, grid_points, strength, s, **params)
        for s in realisation_seeds(seed, realisations)
    ]


#: Realisations solved and swept together (bounds the memory of the sampled orbitals).
CHUNK = 4
#: The shared starting basis is the pilot's converged half-width plus START_PAD √L modes: the
#: realisations' needs scatter about the pilot's by 5, 10, 16 modes (speckle 5 at L = 32, 64,
#: 128; Gaussian 5: 2-3). Measured over 3 seeds (solves of 23 and 31 realisations): as fast as
#: or faster than a start at 1/4 or 1/2 of the tolerance for speckle and Gaussian disorder at
#: N = 32 and 128 (1/2 regrew a fifth of the realisations at N = 32: 0.38 against 0.32 s).
START_PAD = math.sqrt(2.0)


def _pilot(
    n_particles: int, length: float, potential: np.ndarray | None, twist: float
) -> tuple[Orbitals | None, int | None]:
    """The first realisation's orbitals from the default basis (the pilot) and the starting
    half-width shared by the others: the pilot's converged half-width plus ``START_PAD`` √L
    modes. Most realisations then need one dense solve, not two or three; each one's
    outer-shell check still decides, so the hint changes the basis, not the accuracy. The
    pilot is the first realisation's solution (solved once)."""
    if potential is None:
        return None, None
    pilot = lowest_orbitals(n_particles, length, potential, twist=twist)
    cap = min(potential.size // 4 - 1, MAX_MODES)
    wanted = pilot.converged_half_width() + math.ceil(START_PAD * math.sqrt(length))
    return pilot, max(min(wanted, cap), n_particles // 2 + 2)


def default_output_points(n_particles: int, grid_points: int | None = None) -> int:
    """Default points G of the rows of γ on the ring: 8 per particle, a power of two >= 256,
    at most the potential's grid M (which it then divides).

    The rows need not be as fine as the potential: a coarser row integrates each interval
    with more Gauss-Legendre nodes (:func:`~physics.tonks_girardeau.density_matrix.
    quadrature_order`) but fewer in all, to the same 1e-12 (docs/physics/tonks_girardeau.md).
    """
    n_particles = integer("n_particles", n_particles, 1, MAX_PARTICLES)
    if grid_points is None:
        grid_points = default_grid_points(n_particles)
    grid_points = integer("grid_points", grid_points, 8, MAX_GRID_POINTS)
    return min(grid_points, max(256, 1 << math.ceil(math.log2(8 * n_particles))))


class DecayStatistics(NamedTuple):
    """Per-realisation translation averages of |γ(x, x + r)| (see :func:`decay_statistics`)."""

    #: Separations 0, h, …, L/2 with h = L/G, shape (G/2 + 1,); units 1/n.
    r: np.ndarray
    #: Per realisation, the mean over base points of |γ(x, x + r)|, shape (R, G/2 + 1); units n.
    mean_samples: np.ndarray
    #: Per realisation, the mean over base points of log|γ(x, x + r)|, shape (R, G/2 + 1).
    log_samples: np.ndarray
    #: Per realisation, the smallest |γ(x, x + r)| over base points, shape (R, G/2 + 1);
    #: units n (where the typical average's logarithms meet the solver's resolution).
    smallest_samples: np.ndarray

    @property
    def mean(self) -> np.ndarray:
        """E|γ(x, x + r)| (units n)."""
        return self.mean_samples.mean(axis=0)

    @property
    def typical(self) -> np.ndarray:
        """exp E log|γ(x, x + r)| (units n)."""
        return np.exp(self.log_samples.mean(axis=0))

    def standard_error(self, statistic: str = "mean") -> np.ndarray:
        """Standard error over realisations of ``statistic`` (0 for one realisation); for
        ``"typical"`` propagated to the value, σ_typ = typ · σ(E log|γ|)."""
        samples = self.mean_samples if statistic == "mean" else self.log_samples
        count = samples.shape[0]
        if count < 2:
            return np.zeros(samples.shape[1])
        error = samples.std(axis=0, ddof=1) / math.sqrt(count)
        return error if statistic == "mean" else error * self.typical


def _chunk_rows(
    n_particles: int,
    length: float,
    potentials: list,
    twist: float,
    output_points: int,
    base_points: int,
    start_modes: int | None = None,
    solved: tuple[Orbitals, ...] = (),
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-realisation base-point means of |γ| and log|γ| and the smallest |γ| for a few
    potentials (picklable); ``solved`` holds the orbitals of the first potentials when they
    are already known."""
    base = (np.arange(base_points) * output_points) // base_points
    orbital_sets = list(solved) + [
        lowest_orbitals(n_particles, length, v, twist=twist, start_modes=start_modes)
        for v in potentials[len(solved) :]
    ]
    magnitude = np.abs(density_matrix_rows(orbital_sets, output_points, base, output_points // 2))
    logs = np.log(np.maximum(magnitude, np.finfo(float).tiny)).mean(axis=1)
    return magnitude.mean(axis=1), logs, magnitude.min(axis=1)


@functools.lru_cache(maxsize=64)
def _averaged_decay(
    n_particles: int,
    length: float,
    kind: str,
    strength: float,
    realisations: int,
    seed: int,
    grid_points: int,
    base_points: int,
    output_points: int,
    twist: float,
    params: tuple[tuple[str, float], ...],
    workers: int = 1,
) -> DecayStatistics:
    if strength == 0.0:
        potentials: list = [None]
    else:
        potentials = realisation_potentials(
            length, grid_points, kind, strength, realisations, seed, **dict(params)
        )
    chunks = [potentials[i : i + CHUNK] for i in range(0, len(potentials), CHUNK)]
    pilot, start_modes = _pilot(n_particles, length, potentials[0], twist)
    arguments = [
        (n_particles, length, c, twist, output_points, base_points, start_modes) for c in chunks
    ]
    if pilot is not None:
        arguments[0] += ((pilot,),)
    if workers > 1 and len(chunks) > 1:
        with worker_pool(min(workers, len(chunks))) as pool:
            futures = [pool.submit(_chunk_rows, *a) for a in arguments]
            results = [future.result() for future in futures]
    else:
        results = [_chunk_rows(*a) for a in arguments]
    r = np.arange(output_points // 2 + 1) * (length / output_points)
    result = DecayStatistics(r, *(np.concatenate(parts) for parts in zip(*results, strict=True)))
    for array in result:
        array.flags.writeable = False
    return result


def decay_statistics(
    n_particles: int,
    length: float,
    kind: str,
    strength: float,
    realisations: int = 16,
    seed: int = 0,
    grid_points: int | None = None,
    base_points: int = 2,
    boundary: Any = None,
    output_points: int | None = None,
    workers: int = 1,
    **disorder_params: float,
) -> DecayStatistics:
    """Translation averages of |γ(x, x + r)| and log|γ(x, x + r)|, one per realisation.

    Arguments as :func:`averaged_decay`. Realisations are solved and swept ``CHUNK`` at a
    time; strength 0 gives the clean ring (one realisation). ``workers`` (1 … ``MAX_WORKERS``)
    > 1 computes the chunks in that many spawned processes (same numbers; for scripts and
    sweeps: a process start costs ~1 s, and the dashboard's physics worker keeps 1). Memoised.
    """
    n_particles, length, grid_points = _check_system(n_particles, length, grid_points)
    kind = choice("kind", kind, DISORDER_KINDS)
    strength = real_scalar("strength", strength, 0.0, MAX_STRENGTH)
    realisations = integer("realisations", realisations, 1, MAX_REALISATIONS)
    check_cost(n_particles, 1 if strength == 0.0 else realisations)
    seed = integer("seed", seed, 0, None)
    if output_points is None:
        output_points = default_output_points(n_particles, grid_points)
    output_points = integer(
        "output_points", output_points, 8, grid_points, given={"grid_points": grid_points}
    )
    if grid_points % output_points:
        raise ValueError(
            f"output_points={output_points} does not divide grid_points={grid_points}; valid: "
            f"a divisor of grid_points"
        )
    base_points = integer("base_points", base_points, 1, output_points)
    workers = integer("workers", workers, 1, MAX_WORKERS)
    twist = boundary_twist(n_particles, boundary)
    params = tuple(sorted((k, real_scalar(k, v)) for k, v in disorder_params.items()))
    return _averaged_decay(
        n_particles,
        length,
        kind,
        strength,
        realisations,
        seed,
        grid_points,
        base_points,
        output_points,
        twist,
        params,
        workers,
    )


def averaged_decay(
    n_particles: int,
    length: float,
    kind: str,
    strength: float,
    realisations: int = 16,
    seed: int = 0,
    grid_points: int | None = None,
    base_points: int = 2,
    statistic: str = "mean",
    boundary: Any = None,
    output_points: int | None = None,
    **disorder_params: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Translation- and disorder-averaged decay g1(r) of the one-body density matrix.

    Parameters
    ----------
    n_particles : int
        N >= 1 (at most (M − 16)/4).
    length : float
        Ring length L > 0; density n = N/L (the project's unit is n = 1, i.e. L = N).
    kind : {"gaussian", "speckle", "poisson"}
        Disorder kind; ``strength`` is the standard deviation of V (see
        :func:`~physics.tonks_girardeau.disorder.disorder_potential`).
    strength : float
        >= 0; 0 gives the clean ring.
    realisations : int
        R >= 1 disorder realisations.
    seed : int
        Non-negative integer; identical results for identical arguments.
    grid_points : int or None
        M, grid of the potential (default
        :func:`~physics.tonks_girardeau.density_matrix.default_grid_points`, 32 per particle).
    base_points : int
        Base points x = b L/B per realisation for the translation average.
    statistic : {"mean", "typical"}
        ``"mean"``: g1 = E|γ(x, x + r)| (the issue's definition). ``"typical"``:
        exp E log|γ(x, x + r)|, whose decay rate is the one to compare with the Lyapunov
        exponent (docs/physics/tonks_girardeau.md).
    boundary : None, "periodic", "antiperiodic" or float
        One-particle boundary; None is Warzel's ground-state rule.
    output_points : int or None
        G, points of the rows on the ring, a divisor of M (default
        :func:`default_output_points`, 8 per particle); G = M is the finest (and slowest).
    **disorder_params
        ``correlation_length`` (Gaussian, speckle), ``density`` and ``width`` (Poisson).

    Returns
    -------
    r : numpy.ndarray
        Separations 0, h, …, L/2 (h = L/G), shape (G/2 + 1,), read-only.
    g1 : numpy.ndarray
        The averaged |γ|, units of density; g1(0) is the mean density.

    Notes
    -----
    Cost: R orbital solves (O(K³) each) and R·B rows of O(G/2 · N² q); see
    docs/performance/tonks_girardeau.md for measured times.
    """
    statistic = choice("statistic", statistic, STATISTICS)
    statistics = decay_statistics(
        n_particles,
        length,
        kind,
        strength,
        realisations,
        seed,
        grid_points,
        base_points,
        boundary,
        output_points,
        **disorder_params,
    )
    return statistics.r, statistics.mean if statistic == "mean" else statistics.typical


def default_decay_window(length: float) -> tuple[float, float]:
    """Default fit window [L/16, 3L/8]: past the short-distance regime, short of L/2 where
    the ring's two paths meet (g1(r) = g1(L − r))."""
    length = real_scalar("length", length, *LENGTH_RANGE)
    return length / 16.0, 3.0 * length / 8.0


class ExponentialFit(NamedTuple):
    """Least-squares fit g1(r) ≈ C e^{−r/ξ} (see :func:`exponential_fit`)."""

    #: Decay length ξ (inf if g1 does not decay in the window).
    xi: float
    #: Standard error of ξ (a lower bound, see :func:`exponential_fit`).
    sigma: float
    #: Amplitude C (nan if g1 does not decay in the window).
    amplitude: float


def exponential_fit(r: Any, g1: Any, window: tuple[float, float]) -> ExponentialFit:
    """Fit g1(r) ≈ C exp(−r/ξ) by a least-squares line through log g1 inside ``window``.

    Parameters
    ----------
    r, g1 : array_like
        Separations and positive g1 values, equal 1D shapes.
    window : (float, float)
        r_min < r_max; only points with r_min <= r <= r_max enter (at least 3).

    Returns
    -------
    ExponentialFit
        ξ = −1/slope, its standard error σ_slope/slope² with σ_slope from the fit residuals
        (ordinary least squares), and C = exp(intercept). The residuals of a disorder average
        are correlated in r, so σ is a lower bound on the statistical error; compare seeds for
        the full error. If the slope is >= 0 (no decay in the window): (inf, inf, nan).
    """
    r = real_array("r", r)
    g1 = real_array("g1", g1)
    if r.ndim != 1 or g1.shape != r.shape:
        raise ValueError(f"g1 has shape {g1.shape}; valid: the 1D shape of r, {r.shape}")
    low, high = real_interval("window", window, 0.0)
    inside = (r >= low) & (r <= high)
    if np.count_nonzero(inside) < 3:
        raise ValueError(
            f"window=({low:g}, {high:g}) holds {np.count_nonzero(inside)} points; valid: at "
            f"least 3 of r"
        )
    if np.any(g1[inside] <= 0.0):
        raise ValueError("g1 has values <= 0 inside the window; valid: g1 > 0")
    x = r[inside]
    y = np.log(g1[inside])
    design = np.vstack([np.ones_like(x), x]).T
    coefficients, *_ = np.linalg.lstsq(design, y, rcond=None)
    intercept, slope = coefficients
    if slope >= 0.0:
        return ExponentialFit(math.inf, math.inf, math.nan)
    residual = y - design @ coefficients
    dof = max(x.size - 2, 1)
    sigma_slope = math.sqrt(residual @ residual / dof / np.sum((x - x.mean()) ** 2))
    return ExponentialFit(
        float(-1.0 / slope), float(sigma_slope / slope**2), float(math.exp(intercept))
    )


def decay_length(r: Any, g1: Any, window: tuple[float, float]) -> tuple[float, float]:
    """Decay length ξ of g1(r) ≈ C exp(−r/ξ) and its standard error: the first two fields of
    :func:`exponential_fit` (same parameters)."""
    fit = exponential_fit(r, g1, window)
    return fit.xi, fit.sigma


def ground_state_density(n_particles: int, length: float, potential: Any) -> np.ndarray:
    """Density n(x) = γ(x, x) = Σ_α |φ_α(x)|² of the Tonks–Girardeau ground state.

    The N lowest orbitals of −d²/dx² + V on the ring (periodic for odd N, antiperiodic for even
    N: the ground-state boundary condition of the seed), sampled on the grid of ``potential``
    (M equally spaced points x_i = i L / M). ∫ n dx = N.
    """
    potential = real_array("potential", potential)
    if potential.ndim != 1 or potential.size < 8:
        raise ValueError(
            f"potential has shape {potential.shape}; valid: a 1D array of at least 8 grid values"
        )
    grid_points = potential.size
    n_particles, length, grid_points = _check_system(n_particles, length, grid_points)
    orbitals = lowest_orbitals(n_particles, length, potential, twist=boundary_twist(n_particles))
    return np.sum(np.abs(orbitals.on_grid(grid_points)) ** 2, axis=1)


def momentum_distribution(r: Any, g1: Any) -> tuple[np.ndarray, np.ndarray]:
    """n(k) = ∫_0^L e^{−ikr} g1(r) dr at the ring momenta k_j = 2π j / L.

    Warzel's n(k) = L⁻¹ ∬ e^{ik(x−y)} E[γ(x, y)] dx dy for a translation-averaged density matrix
    (the ground-state γ is non-negative, so E|γ| = E γ). ``r`` must be the uniform grid
    0, h, …, L/2 returned by :func:`averaged_decay` with ``statistic="mean"``; g1 is extended to
    [0, L) by g1(L − r) = g1(r) and transformed by FFT (trapezoid rule, exact for the
    trigonometric interpolant). Sum rule: Σ_j n(k_j) / L = g1(0) = n.

    Returns
    -------
    k, n_k : numpy.ndarray
        Momenta (sorted, units n) and n(k) (dimensionless), shape (M,).
    """
    r = real_array("r", r, 0.0, None)
    g1 = real_array("g1", g1)
    if r.ndim != 1 or g1.shape != r.shape or r.size < 3:
        raise ValueError(f"g1 has shape {g1.shape}; valid: the 1D shape of r, {r.shape}")
    spacing = r[1] - r[0]
    if r[0] != 0.0 or not np.allclose(np.diff(r), spacing, rtol=1e-9, atol=0.0):
        raise ValueError("r is not the uniform grid 0, h, ..., L/2; valid: averaged_decay's r")
    full = np.concatenate([g1, g1[-2:0:-1]])
    n_k = (np.fft.fft(full) * spacing).real
    k = 2.0 * math.pi * np.fft.fftfreq(full.size, d=spacing)
    order = np.argsort(k)
    return k[order], n_k[order]


def fermi_energy(
    n_particles: int,
    length: float,
    kind: str,
    strength: float,
    realisations: int = 16,
    seed: int = 0,
    grid_points: int | None = None,
    **disorder_params: float,
) -> tuple[float, float]:
    """Disorder-averaged chemical potential μ = (E_N + E_{N+1})/2 and its standard error.

    One-particle levels with Warzel's boundary rule, same realisations as
    :func:`averaged_decay`. Clean ring: μ = ((N+1)π/L)² − … lies between the N-th and (N+1)-th
    plane-wave level; units n².
    """
    n_particles, length, grid_points = _check_system(n_particles, length, grid_points, levels=1)
    check_cost(n_particles, realisations)
    twist = boundary_twist(n_particles)
    potentials = realisation_potentials(
        length, grid_points, kind, strength, realisations, seed, **disorder_params
    )
    values = []
    for v in potentials:
        levels = single_particle_energies(n_particles + 1, length, v, twist=twist)
        values.append(0.5 * (levels[-2] + levels[-1]))
    values = np.asarray(values)
    error = values.std(ddof=1) / math.sqrt(values.size) if values.size > 1 else 0.0
    return float(values.mean()), float(error)
