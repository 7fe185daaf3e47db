"""The project's sweepable observables: one :class:`Observable` per public physics function.

Each declaration points at a function of :mod:`physics` by import path and copies nothing of
its physics: parameter ranges are read from the physics module's own constants (e.g.
``physics.lieb_liniger.GAMMA_RANGE``), so the registry and the function's validation cannot
drift apart (``tests/sweeps/test_observables.py`` checks each boundary against the function).
Units follow docs/physics conventions: hbar = 2m = 1, k_B = 1, density n = 1; ``"1"`` marks a
dimensionless quantity (CF convention).

To register a new observable: add an :class:`Observable` to ``_DECLARATIONS`` below.
"""

from __future__ import annotations

from physics import gaudin_yang, lieb_liniger, polaron
from qgas.sweeps.registry import Observable, Output, Parameter, Registry

__all__ = ["REGISTRY"]


def _gamma(valid_range: tuple[float, float], doc: str) -> Parameter:
    low, high = valid_range
    return Parameter("gamma", "1", doc, low=low, high=high)


_LL_GAMMA = _gamma(lieb_liniger.GAMMA_RANGE, "Lieb-Liniger coupling gamma = c/n")

_DECLARATIONS = (
    Observable(
        "lieb_liniger.ground_state_energy",
        "physics.lieb_liniger:ground_state_energy",
        "Lieb-Liniger ground-state energy e(gamma) = E/(L n^3) (Marino-Reis Eqs. 2-4)",
        (_LL_GAMMA,),
        (Output("energy", "1", "ground-state energy e(gamma) = E/(L n^3)"),),
    ),
    Observable(
        "lieb_liniger.energy_derivative",
        "physics.lieb_liniger:energy_derivative",
        "Derivative d^k e / d gamma^k of the Lieb-Liniger energy, k = order (exact route)",
        (_LL_GAMMA, Parameter("order", "1", "order of the derivative", "integer", 1, 2)),
        (Output("energy_derivative", "1", "d^k e / d gamma^k"),),
    ),
    Observable(
        "lieb_liniger.chemical_potential",
        "physics.lieb_liniger:chemical_potential",
        "Lieb-Liniger chemical potential mu/n^2 = 3 e - gamma e'",
        (_LL_GAMMA,),
        (Output("chemical_potential", "n^2", "chemical potential mu (hbar = 2m = 1)"),),
    ),
    Observable(
        "lieb_liniger.sound_velocity",
        "physics.lieb_liniger:sound_velocity",
        "Lieb-Liniger sound velocity v/n",
        (_LL_GAMMA,),
        (Output("sound_velocity", "n", "sound velocity v (hbar = 2m = 1)"),),
    ),
    Observable(
        "gaudin_yang.ground_state_energy",
        "physics.gaudin_yang:ground_state_energy",
        "Attractive Gaudin-Yang ground-state energy e_F(gamma) (Marino-Reis Eqs. 5-7)",
        (_gamma(gaudin_yang.GAMMA_RANGE, "Gaudin-Yang coupling gamma = |c|/n"),),
        (Output("energy", "1", "ground-state energy e_F(gamma) = E/(L n^3), with -gamma^2/4"),),
    ),
    Observable(
        "polaron.inverse_mass_ratio",
        "physics.polaron:inverse_mass_ratio",
        "Polaron inverse effective-mass ratio m/m* (Ristivojevic Eqs. 16, 21)",
        (
            _gamma(polaron.GAMMA_RANGE, "coupling gamma = c/n"),
            Parameter(
                "method",
                "1",
                "route: 'energy' (Eq. 21 from e(gamma)) or 'sigma' (Eqs. 13, 16)",
                "choice",
                options=polaron.METHODS,
                default="energy",
            ),
        ),
        (Output("inverse_mass_ratio", "1", "inverse effective-mass ratio m/m*"),),
    ),
)

#: Every observable ``qgas sweep`` can evaluate, by name.
REGISTRY = Registry(_DECLARATIONS)
