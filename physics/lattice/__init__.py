"""Optical lattices with intersite interactions: Yukalov's scales, Lindemann criterion, phase map.

Implements V. I. Yukalov, *From optical lattices to quantum crystals* (seed
``004_6ff2f3dd0c4ec482.txt``), with the corrections derived in docs/physics/lattice.md:

- :mod:`physics.lattice.scales` -- ω, E_R, E_K, ε, l, J_ij, c_0, k_D, T_D (Eqs. 34–49), and the
  depth conversion ω/E_K = 2π² √(U/E_R);
- :mod:`physics.lattice.lindemann` -- r_0² (Eq. 42, Debye approximation), r_0/a and the
  Lindemann threshold (Eqs. 47–55, corrected);
- :mod:`physics.lattice.classification` -- the four states, crossovers and the
  Lindemann-unstable case; the vectorised phase map;
- :mod:`physics.lattice.presets` -- ⁸⁷Rb, ¹⁶⁴Dy and ⁴⁰K⁸⁷Rb in a 532 nm lattice.
"""

from physics.lattice.classification import (
    CROSSOVER_FACTOR,
    STATES,
    PhaseMap,
    classify,
    phase_map,
)
from physics.lattice.lindemann import (
    LINDEMANN_BOUND,
    lindemann_ratio,
    lindemann_threshold,
    mean_square_deviation,
)
from physics.lattice.presets import (
    PRESETS,
    Preset,
    dipolar_coupling,
    square_lattice_dipolar_scales,
)
from physics.lattice.scales import (
    RECOIL_OVER_KINETIC,
    debye_temperature,
    debye_wavevector,
    depth_to_omega_over_EK,
    effective_frequency,
    kinetic_energy_scale,
    lattice_frequency,
    localization_length,
    recoil_energy,
    sound_velocity,
    tunnelling,
)

__all__ = [
    "CROSSOVER_FACTOR",
    "LINDEMANN_BOUND",
    "PRESETS",
    "RECOIL_OVER_KINETIC",
    "STATES",
    "PhaseMap",
    "Preset",
    "classify",
    "debye_temperature",
    "debye_wavevector",
    "depth_to_omega_over_EK",
    "dipolar_coupling",
    "effective_frequency",
    "kinetic_energy_scale",
    "lattice_frequency",
    "lindemann_ratio",
    "lindemann_threshold",
    "localization_length",
    "mean_square_deviation",
    "phase_map",
    "recoil_energy",
    "sound_velocity",
    "square_lattice_dipolar_scales",
    "tunnelling",
]
