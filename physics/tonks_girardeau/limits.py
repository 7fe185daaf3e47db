"""Upper limits of every size and scale a caller can choose in :mod:`physics.tonks_girardeau`.

Each limit keeps one call within memory and minutes on a teaching server; beyond them a
``ValueError`` names the parameter, its value and the valid range (:mod:`physics._validate`).
Lengths are in units of 1/n and energies in n² (ħ = 2m = 1), where the clean Fermi energy is π².
"""

from __future__ import annotations

__all__ = [
    "LENGTH_RANGE",
    "MAX_CELLS",
    "MAX_GRID_POINTS",
    "MAX_MODES",
    "MAX_PARTICLES",
    "MAX_REALISATIONS",
    "MAX_STRENGTH",
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
#: Standard deviation of a disorder potential (1e6 π²-ish Fermi energies: far beyond any use).
MAX_STRENGTH = 1e6
