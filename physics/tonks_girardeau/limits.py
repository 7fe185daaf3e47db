"""Upper limits of every size and scale a caller can choose in :mod:`physics.tonks_girardeau`.

Each limit keeps one call within memory and minutes on a teaching server; beyond them a
``ValueError`` names the parameter, its value and the valid range (:mod:`physics._validate`).
Lengths are in units of 1/n and energies in n² (ħ = 2m = 1), where the clean Fermi energy is π².
"""

from __future__ import annotations

import math

from physics._validate import instance, integer

__all__ = [
    "COST_BUDGET_S",
    "COST_EXPONENT",
    "COST_PER_REALISATION_S",
    "LENGTH_RANGE",
    "MAX_CELLS",
    "MAX_GRID_POINTS",
    "MAX_MODES",
    "MAX_PARTICLES",
    "MAX_REALISATIONS",
    "MAX_STRENGTH",
    "MAX_SWEEP_VALUES",
    "check_cost",
    "estimated_cost",
]

#: Particle number N (the density matrix costs O(M N²) with M ~ 32 N grid points).
MAX_PARTICLES = 1024
#: Grid points M of a potential or a density-matrix row.
MAX_GRID_POINTS = 1 << 16
#: Disorder realisations R of an average (and seeds derived at once).
MAX_REALISATIONS = 1024
#: Plane-wave half-width K_h of the one-particle basis (a dense (2K_h + 1)² matrix).
MAX_MODES = 2048
#: Grid points of one potential, and transfer-matrix cells (segments × cells per segment) of
#: one Lyapunov exponent (~250 MB of cell matrices).
MAX_CELLS = 1 << 22
#: Ring lengths L: below, plane-wave energies (2π K_h/L)² overflow in sums; above, the level
#: spacing (2π/L)² falls below the resolution of the twist energy.
LENGTH_RANGE = (1e-3, 1e5)
#: Working values of one batch of density-matrix rows: the sampled orbitals and updates
#: R × (B (S + 1) + M) × N (q + 1) plus the inverses R B N² (R orbital sets, B base points, S
#: steps, M grid points, q Gauss-Legendre nodes), at most 1 GB of complex numbers.
MAX_SWEEP_VALUES = 1 << 26
#: Standard deviation of a disorder potential (1e6 π²-ish Fermi energies: far beyond any use).
MAX_STRENGTH = 1e6


#: CPU seconds of one disorder realisation at N = 64 and the growth ∝ N^3 of the averaged
#: functions (orbital solve O(K³) with K ∝ N, density-matrix rows O(G N² q)): an upper bound
#: on the costliest of them, superfluid_density (the decay average's speed-ups of 3-4 Dec do
#: not reach it), measured 4 Dec 2026 with one BLAS thread
#: (OPENBLAS_NUM_THREADS=1), L = N, default grids, medians of 3, seconds per realisation at
#: N = 64, 128, 192, 256, Gaussian strength 10 (the strongest the dashboard offers; speckle and
#: Poisson 10 cost 0.45-0.55 of it at N = 64) / strength 1: superfluid_density 0.24, 1.79,
#: 6.2, 15.4 / 0.14, 0.85, 2.9, 6.8; fermi_energy 0.13, 0.81, 2.9 / 0.07, 0.43, 1.6 (N <= 192);
#: decay_statistics 0.05, 0.20, 0.70 / 0.04, 0.12, 0.41 (N <= 192). The model is 1.20-1.30
#: times superfluid_density at strength 10 (the 0.16 s of 3 Dec, measured at strength 1, was
#: below it by up to 1.5 times); decay_statistics alone is 6-12 times below it. Stronger
#: disorder needs larger bases and costs more still.
COST_PER_REALISATION_S = 0.29
COST_EXPONENT = 3.0
#: Most estimated CPU seconds of one call of an averaged function (a script may wait this long;
#: the dashboard's decay view keeps its own, stricter budget).
COST_BUDGET_S = 600.0
#: Most averages ``check_cost`` counts for one call (strengths × observables, lengths).
MAX_CALLS = 1024


def estimated_cost(n_particles: int, realisations: int) -> float:
    """Estimated CPU seconds of ``realisations`` realisations of N = ``n_particles``."""
    n_particles = integer("n_particles", n_particles, 1, MAX_PARTICLES)
    realisations = integer("realisations", realisations, 1, MAX_REALISATIONS)
    return realisations * COST_PER_REALISATION_S * (n_particles / 64) ** COST_EXPONENT


def check_cost(n_particles: int, realisations: int, *, calls: int = 1, what: str = "") -> None:
    """Raise ``ValueError`` if ``calls`` × ``realisations`` realisations at N = ``n_particles``
    would exceed ``COST_BUDGET_S``, naming N, the realisations and the most allowed at that N.

    ``calls`` counts the averages one call computes (strengths, lengths, observables); ``what``
    describes them in the message (e.g. " for each of 3 strengths").
    """
    n_particles = integer("n_particles", n_particles, 1, MAX_PARTICLES)
    realisations = integer("realisations", realisations, 1, MAX_REALISATIONS)
    calls = integer("calls", calls, 1, MAX_CALLS)
    what = instance("what", what, str, "a text")
    cost = calls * estimated_cost(n_particles, realisations)
    if cost <= COST_BUDGET_S:
        return
    most = math.floor(COST_BUDGET_S / (calls * estimated_cost(n_particles, 1)))
    valid = (
        f"at n_particles={n_particles} at most {most} realisations{what}"
        if most >= 1
        else f"n_particles={n_particles} is beyond it even with 1 realisation{what}; choose a "
        f"smaller n_particles"
    )
    raise ValueError(
        f"n_particles={n_particles} with realisations={realisations}{what} would take about "
        f"{cost:.0f} s of CPU, above the limit of {COST_BUDGET_S:.0f} s per call; valid: {valid}"
    )
