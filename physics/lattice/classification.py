"""Yukalov's four lattice states, their crossovers and the Lindemann-unstable case (seed ``004_…``).

The text after Eq. (55) classifies the state by where the Debye temperature T_D sits
relative to the lattice frequency ω (Eq. 34) and the kinetic energy E_K (Eq. 50):

=====================  =====================  ==============================
ordering (shallow)     ordering (deep)        state
=====================  =====================  ==============================
T_D ≪ ω ≪ E_K          T_D ≪ E_K ≪ ω          conducting optical lattice
ω ≪ T_D ≪ E_K          —                      delocalized quantum crystal
—                      E_K ≪ T_D ≪ ω          insulating optical lattice
ω ≪ E_K ≪ T_D          E_K ≪ ω ≪ T_D          localized quantum crystal
=====================  =====================  ==============================

i.e. T_D below both scales: conducting; above both: localized crystal; between them: a
delocalized crystal if ω < E_K, an insulating lattice if ω > E_K. Made computable here:

- '≪' is read as 'by more than ``crossover_factor`` (default 3)'. Where T_D is within that
  factor of ω, of E_K, or of both, the state is a named crossover (:data:`STATES`).
- A 'localized quantum crystal' must also pass the Lindemann criterion r_0/a < 1/2
  (Eq. 47, :func:`physics.lattice.lindemann.lindemann_ratio`); otherwise it is labelled
  'Lindemann-unstable crystal': the scales favour a self-organised crystal but phonon
  fluctuations destroy localization (always so for d = 1, and for d = 2 at T > 0).

:func:`classify` is a plain scalar implementation; :func:`phase_map` is an independent,
vectorised one over a grid of lattice depth U/E_R and T_D/E_K (the tests check that the two
agree cell by cell; ``python -m benchmarks.lattice`` times them).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from physics._validate import broadcast_size, integer, real_array, real_scalar
from physics.lattice.lindemann import LINDEMANN_BOUND, lindemann_ratio, lindemann_threshold
from physics.lattice.scales import depth_to_omega_over_EK

__all__ = [
    "CONDUCTING_LATTICE",
    "CROSSOVER_FACTOR",
    "CROSSOVER_TD_EK",
    "CROSSOVER_TD_OMEGA",
    "CROSSOVER_TD_OMEGA_EK",
    "DELOCALIZED_CRYSTAL",
    "INSULATING_LATTICE",
    "LINDEMANN_UNSTABLE",
    "LOCALIZED_CRYSTAL",
    "STATES",
    "PhaseMap",
    "classify",
    "phase_map",
]

CONDUCTING_LATTICE = "conducting optical lattice"
INSULATING_LATTICE = "insulating optical lattice"
DELOCALIZED_CRYSTAL = "delocalized quantum crystal"
LOCALIZED_CRYSTAL = "localized quantum crystal"
LINDEMANN_UNSTABLE = "Lindemann-unstable crystal"
CROSSOVER_TD_OMEGA = "crossover: T_D ≈ ω"
CROSSOVER_TD_EK = "crossover: T_D ≈ E_K"
CROSSOVER_TD_OMEGA_EK = "crossover: T_D ≈ ω ≈ E_K"

#: Every label :func:`classify` can return; :attr:`PhaseMap.codes` indexes into this tuple.
STATES: tuple[str, ...] = (
    CONDUCTING_LATTICE,
    INSULATING_LATTICE,
    DELOCALIZED_CRYSTAL,
    LOCALIZED_CRYSTAL,
    LINDEMANN_UNSTABLE,
    CROSSOVER_TD_OMEGA,
    CROSSOVER_TD_EK,
    CROSSOVER_TD_OMEGA_EK,
)

#: Default factor by which two scales must differ for '≪' to hold.
CROSSOVER_FACTOR = 3.0

_CODE = {label: code for code, label in enumerate(STATES)}


def _check_common(T_over_EK, d, crossover_factor) -> tuple[float, int, float]:
    T = real_scalar("T_over_EK", T_over_EK, 0.0)
    d = integer("d", d, 1, 3)
    factor = real_scalar("crossover_factor", crossover_factor, 1.0)
    return T, d, factor


def classify(
    omega_over_EK: float,
    TD_over_EK: float,
    T_over_EK: float = 0.0,
    d: int = 3,
    crossover_factor: float = CROSSOVER_FACTOR,
) -> str:
    """State of atoms in an optical lattice with intersite interactions (text after Eq. 55).

    Parameters
    ----------
    omega_over_EK
        Lattice frequency ω/E_K ≥ 0 (Eq. 34; see
        :func:`physics.lattice.scales.depth_to_omega_over_EK`).
    TD_over_EK
        Debye temperature T_D/E_K ≥ 0 (Eq. 49); 0 for contact interactions only.
    T_over_EK
        Temperature T/E_K ≥ 0; enters through the Lindemann criterion only.
    d
        Space dimension, 1, 2 or 3.
    crossover_factor
        ≥ 1. T_D 'much below/above' a scale means by more than this factor; within it, the
        state is a named crossover (1: no crossover band).

    Returns
    -------
    str
        One of :data:`STATES` (see the module docstring for the rules).
    """
    omega = real_scalar("omega_over_EK", omega_over_EK, 0.0)
    TD = real_scalar("TD_over_EK", TD_over_EK, 0.0)
    T, d, factor = _check_common(T_over_EK, d, crossover_factor)
    near_omega = omega / factor < TD < omega * factor
    near_EK = 1.0 / factor < TD < factor
    if near_omega and near_EK:
        return CROSSOVER_TD_OMEGA_EK
    if near_omega:
        return CROSSOVER_TD_OMEGA
    if near_EK:
        return CROSSOVER_TD_EK
    above_omega = TD > omega
    above_EK = TD > 1.0
    if above_omega and above_EK:
        if float(lindemann_ratio(TD, T, d)) < LINDEMANN_BOUND:
            return LOCALIZED_CRYSTAL
        return LINDEMANN_UNSTABLE
    if above_omega:
        return DELOCALIZED_CRYSTAL
    if above_EK:
        return INSULATING_LATTICE
    return CONDUCTING_LATTICE


@dataclass(frozen=True)
class PhaseMap:
    """A labelled grid of lattice states over depth U/E_R (columns) and T_D/E_K (rows).

    Attributes
    ----------
    depth_over_ER
        Lattice depths U/E_R, shape (n_depth,).
    omega_over_EK
        The corresponding ω/E_K = 2π² √(U/E_R), shape (n_depth,).
    TD_over_EK
        Debye temperatures T_D/E_K, shape (n_TD,).
    codes
        Integer state codes, shape (n_TD, n_depth); ``labels[codes[i, j]]`` is the state at
        (``TD_over_EK[i]``, ``depth_over_ER[j]``).
    labels
        :data:`STATES`.
    lindemann_ratio
        r_0/a along the T_D axis, shape (n_TD,) (it does not depend on the depth).
    lindemann_TD_over_EK
        T_D/E_K where r_0/a = 1/2 (the Lindemann line, horizontal in this map); ∞ if no
        crystal is stable at this d and T.
    T_over_EK, d, crossover_factor
        The inputs.
    """

    depth_over_ER: np.ndarray
    omega_over_EK: np.ndarray
    TD_over_EK: np.ndarray
    codes: np.ndarray
    labels: tuple[str, ...]
    lindemann_ratio: np.ndarray
    lindemann_TD_over_EK: float
    T_over_EK: float
    d: int
    crossover_factor: float

    def label_at(self, i: int, j: int) -> str:
        """The state label of cell (T_D index ``i``, depth index ``j``)."""
        return self.labels[int(self.codes[i, j])]


def phase_map(
    depth_over_ER,
    TD_over_EK,
    T_over_EK: float = 0.0,
    d: int = 3,
    crossover_factor: float = CROSSOVER_FACTOR,
) -> PhaseMap:
    """Vectorised classification over a grid of lattice depth and Debye temperature.

    Same rules as :func:`classify` (text after Eq. 55, Lindemann criterion Eq. 47), with
    ω/E_K = 2π² √(U/E_R) for a lattice of spacing λ/2 (Eq. 34, E_R = π² E_K).

    Parameters
    ----------
    depth_over_ER
        1-D array of depths U/E_R ≥ 0 (columns).
    TD_over_EK
        1-D array of Debye temperatures T_D/E_K ≥ 0 (rows).
    T_over_EK
        Temperature T/E_K ≥ 0.
    d
        Space dimension, 1, 2 or 3.
    crossover_factor
        ≥ 1, see :func:`classify`.

    Returns
    -------
    PhaseMap
    """
    depth = np.atleast_1d(real_array("depth_over_ER", depth_over_ER, 0.0))
    TD = np.atleast_1d(real_array("TD_over_EK", TD_over_EK, 0.0))
    if depth.ndim != 1 or TD.ndim != 1:
        raise ValueError(
            f"depth_over_ER and TD_over_EK must be 1-D arrays, got shapes {depth.shape} "
            f"and {TD.shape}"
        )
    broadcast_size(TD_over_EK=TD[:, None], depth_over_ER=depth[None, :])  # the map's points
    T, d, factor = _check_common(T_over_EK, d, crossover_factor)
    omega = depth_to_omega_over_EK(depth)
    ratio = np.asarray(lindemann_ratio(TD, T, d), dtype=float).reshape(TD.shape)

    rows = TD[:, None]
    columns = omega[None, :]
    with np.errstate(over="ignore"):  # ω·factor beyond the float range is ∞: every T_D is below
        near_omega = (columns / factor < rows) & (rows < columns * factor)
    near_EK = np.broadcast_to((1.0 / factor < rows) & (rows < factor), near_omega.shape)
    above_omega = rows > columns
    above_EK = np.broadcast_to(rows > 1.0, near_omega.shape)
    stable = np.broadcast_to((ratio < LINDEMANN_BOUND)[:, None], near_omega.shape)

    codes = np.full(near_omega.shape, _CODE[CONDUCTING_LATTICE], dtype=np.int8)
    codes[above_EK & ~above_omega] = _CODE[INSULATING_LATTICE]
    codes[above_omega & ~above_EK] = _CODE[DELOCALIZED_CRYSTAL]
    crystal = above_omega & above_EK
    codes[crystal & stable] = _CODE[LOCALIZED_CRYSTAL]
    codes[crystal & ~stable] = _CODE[LINDEMANN_UNSTABLE]
    codes[near_omega] = _CODE[CROSSOVER_TD_OMEGA]
    codes[near_EK] = _CODE[CROSSOVER_TD_EK]
    codes[near_omega & near_EK] = _CODE[CROSSOVER_TD_OMEGA_EK]

    return PhaseMap(
        depth_over_ER=depth,
        omega_over_EK=omega,
        TD_over_EK=TD,
        codes=codes,
        labels=STATES,
        lindemann_ratio=ratio,
        lindemann_TD_over_EK=lindemann_threshold(T, d),
        T_over_EK=T,
        d=d,
        crossover_factor=factor,
    )
