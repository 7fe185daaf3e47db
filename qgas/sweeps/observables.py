"""The project's sweepable observables: one :class:`Observable` per public physics function.

Each declaration points at a function of :mod:`physics` by import path and copies nothing of
its physics: parameter ranges are read from the physics module's own constants (e.g.
``physics.lieb_liniger.GAMMA_RANGE``), so the registry and the function's validation cannot
drift apart (``tests/sweeps/test_observables.py`` checks each boundary against the function).
Units follow ``docs/physics/conventions.md``: ħ = 2m = 1, k_B = 1, density n = 1; ``"1"`` marks a
dimensionless quantity (CF convention), such as every ratio (``TD_over_EK`` is T_D/E_K: its
unit is "1", not E_K).

To register a new observable: add an :class:`Observable` to ``_DECLARATIONS`` below.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from physics import gaudin_yang, lattice, lieb_liniger, polaron, tonks_girardeau
from physics.tonks_girardeau.density_matrix import default_grid_points
from physics.tonks_girardeau.disorder import DEFAULT_CORRELATION_LENGTH
from physics.tonks_girardeau.fits import EXPONENTIAL_MARGIN
from physics.tonks_girardeau.fits import MODELS as DECAY_LAWS
from physics.tonks_girardeau.limits import (
    LENGTH_RANGE,
    MAX_CELLS,
    MAX_GRID_POINTS,
    MAX_PARTICLES,
    MAX_REALISATIONS,
    MAX_STRENGTH,
    check_cost,
)
from physics.tonks_girardeau.observables import STATISTICS, default_output_points
from physics.tonks_girardeau.superfluid import DEFAULT_TWIST
from qgas.sweeps.registry import Observable, Output, Parameter, Registry

__all__ = [
    "DECAY_LAWS",
    "REGISTRY",
    "lattice_state_code",
    "tonks_girardeau_decay_length",
    "tonks_girardeau_fermi_grid_check",
    "tonks_girardeau_grid_check",
]


def _default(function: Callable[..., Any], name: str) -> Any:
    """The physics function's own default for argument ``name`` (so none is copied here)."""
    return inspect.signature(function).parameters[name].default


def tonks_girardeau_decay_length(
    n_particles: int,
    length: float,
    kind: str,
    strength: float,
    realisations: int,
    seed: int,
    base_points: int,
    statistic: str,
    grid_points: int | None = None,
) -> tuple[float, float, int]:
    """Decay length of the disorder-averaged g1(r), its error and the law g1 follows.

    The decay view's route: :func:`physics.tonks_girardeau.decay_fit` of
    :func:`physics.tonks_girardeau.decay_statistics` on
    :func:`physics.tonks_girardeau.default_decay_window`, ended where g1 (for the typical
    statistic, its smallest row) falls below the solver's resolution, 1e-6 n
    (:func:`physics.tonks_girardeau.fits.resolved_window`). ξ (units 1/n) and its jackknife error
    are finite only where the exponential fits log g1 at least twice as well as the clean
    power law (:func:`physics.tonks_girardeau.classify_decay`); where the power law wins both
    are inf. The third value is the index of the law in :data:`DECAY_LAWS`.
    """
    statistics = tonks_girardeau.decay_statistics(
        n_particles,
        length,
        kind,
        strength,
        realisations=realisations,
        seed=seed,
        grid_points=grid_points,
        base_points=base_points,
    )
    window = tonks_girardeau.default_decay_window(length)
    fit = tonks_girardeau.decay_fit(statistics, window, length, statistic)
    return fit.xi, fit.xi_error, DECAY_LAWS.index(fit.model)


def _cost_check(n_particles: Any, strength: Any, realisations: Any, clean_averaged: bool) -> None:
    """:func:`physics.tonks_girardeau.limits.check_cost` at every distinct (N, realisations
    counted) of the grid, as the physics function calls it: a clean ring (strength 0) counts
    one realisation unless ``clean_averaged`` (it is then solved like a disordered one)."""
    if realisations is None:
        realisations = _REALISATIONS.default
    n, strength, realisations = np.broadcast_arrays(n_particles, strength, realisations)
    counted = realisations if clean_averaged else np.where(strength == 0, 1, realisations)
    pairs = np.unique(np.stack([n.ravel(), counted.ravel()], axis=1).astype(np.int64), axis=0)
    for n_value, counted_value in pairs:
        check_cost(int(n_value), int(counted_value))


def _grid_check(
    n_particles: Any,
    length: Any,
    strength: Any,
    grid_points: Any,
    realisations: Any,
    extra_states: int,
    clean_needs_grid: bool,
) -> None:
    """See :func:`tonks_girardeau_grid_check`: ``extra_states`` orbitals beyond N are
    solved, and ``clean_needs_grid`` says whether the clean ring samples a potential too
    (and then counts every realisation in the cost, as ``fermi_energy`` does)."""
    _cost_check(n_particles, strength, realisations, clean_averaged=clean_needs_grid)
    given = grid_points is not None
    if not given:
        grid_points = np.vectorize(default_grid_points, otypes=[np.int64])(n_particles)
    n, length, strength, points = np.broadcast_arrays(n_particles, length, strength, grid_points)
    too_small = points < 4 * (n + extra_states) + 16
    if np.any(too_small):
        i = tuple(np.argwhere(too_small)[0])
        needs = " (N + 1 orbitals)" if extra_states else ""
        raise ValueError(
            f"grid_points={points[i].item()} is outside the valid range "
            f"[{4 * (n[i].item() + extra_states) + 16}, {MAX_GRID_POINTS}] given "
            f"n_particles={n[i].item()}{needs}"
        )
    drawn = np.ones(length.shape, bool) if clean_needs_grid else strength > 0
    short = drawn & (length < DEFAULT_CORRELATION_LENGTH)
    if np.any(short):
        i = tuple(np.argwhere(short)[0])
        raise ValueError(
            f"length={length[i].item()!r} is shorter than the disorder's correlation length "
            f"{DEFAULT_CORRELATION_LENGTH:g} (strength={strength[i].item()!r}); valid: "
            f"length >= {DEFAULT_CORRELATION_LENGTH:g}"
        )
    coarse = drawn & (length / points > DEFAULT_CORRELATION_LENGTH)
    if np.any(coarse):
        i = tuple(np.argwhere(coarse)[0])
        source = "" if given else f" (the default for n_particles={n[i].item()})"
        raise ValueError(
            f"length={length[i].item()!r} on grid_points={points[i].item()}{source} gives a "
            f"grid spacing {length[i].item() / points[i].item():g} above the disorder's "
            f"correlation length {DEFAULT_CORRELATION_LENGTH:g} (strength="
            f"{strength[i].item()!r}); valid: length <= {DEFAULT_CORRELATION_LENGTH:g} * "
            f"grid_points (give more grid_points, up to {MAX_GRID_POINTS})"
        )


def tonks_girardeau_grid_check(
    n_particles: Any,
    length: Any,
    strength: Any = 0.0,
    grid_points: Any = None,
    realisations: Any = None,
    **_other: Any,
) -> None:
    """Refuse, before a sweep starts, the system sizes that ``superfluid_density`` and
    ``averaged_decay`` refuse although each value is in its own range (arguments broadcast
    over the grid).

    The grid must hold 4N + 16 points (:func:`physics.tonks_girardeau.default_grid_points`
    when not given), and with disorder its spacing L/M must resolve the default correlation
    length (``DEFAULT_CORRELATION_LENGTH``; the registry passes no other), and the ring must
    be at least that long. Each (N, realisations) must fit the physics' CPU budget
    (:func:`physics.tonks_girardeau.limits.check_cost`, an estimate: nothing is computed).
    ValueError naming the first grid point that fails. (Too deep a potential for its grid is
    found only when it is drawn, at run time.)
    """
    _grid_check(n_particles, length, strength, grid_points, realisations, 0, clean_needs_grid=False)


def tonks_girardeau_fermi_grid_check(
    n_particles: Any,
    length: Any,
    strength: Any = 0.0,
    grid_points: Any = None,
    realisations: Any = None,
    **_other: Any,
) -> None:
    """:func:`tonks_girardeau_grid_check` for ``fermi_energy``: N + 1 orbitals, so 4(N + 1)
    + 16 grid points, and a potential is drawn (every realisation solved) for the clean ring
    too."""
    _grid_check(n_particles, length, strength, grid_points, realisations, 1, clean_needs_grid=True)


def lattice_state_code(
    U_over_ER: float,
    TD_over_EK: float,
    T_over_EK: float = 0.0,
    d: int = 3,
    crossover_factor: float = lattice.CROSSOVER_FACTOR,
) -> int:
    """Index in :data:`physics.lattice.STATES` of :func:`physics.lattice.classify`'s state.

    The depth U/E_R is converted by :func:`physics.lattice.depth_to_omega_over_EK`.
    """
    omega_over_EK = float(lattice.depth_to_omega_over_EK(U_over_ER))
    state = lattice.classify(omega_over_EK, TD_over_EK, T_over_EK, d, crossover_factor)
    return lattice.STATES.index(state)


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

# Disordered Tonks-Girardeau gas: the arguments shared by the disorder-averaged functions.
# Ranges are the limits the functions enforce (physics.tonks_girardeau.limits); bounds that
# depend on other arguments (grid_points >= 4N + 16, the basis for deep disorder) are checked
# by the function itself at run time.
_N = Parameter(
    "n_particles", "1", "number of particles N (density N/L)", "integer", 1, MAX_PARTICLES
)
_L = Parameter("length", "1/n", "ring length L", low=LENGTH_RANGE[0], high=LENGTH_RANGE[1])
_KIND = Parameter("kind", "1", "disorder kind", "choice", options=tonks_girardeau.DISORDER_KINDS)
_STRENGTH = Parameter(
    "strength", "n^2", "disorder strength: standard deviation of V", low=0.0, high=MAX_STRENGTH
)
_REALISATIONS = Parameter(
    "realisations",
    "1",
    "number of disorder realisations",
    "integer",
    1,
    MAX_REALISATIONS,
    default=_default(tonks_girardeau.averaged_decay, "realisations"),
)
_GRID_POINTS = Parameter(
    "grid_points",
    "1",
    "grid points M of the potential (at least 4N + 16; default from N)",
    "integer",
    8,
    MAX_GRID_POINTS,
    optional=True,
)

_TG_CHECK = "qgas.sweeps.observables:tonks_girardeau_grid_check"

_DECLARATIONS += (
    Observable(
        "tonks_girardeau.decay_length",
        "qgas.sweeps.observables:tonks_girardeau_decay_length",
        "Decay length xi of the disorder-averaged one-body density matrix g1(r) = E|gamma(x, "
        "x + r)| (Warzel, seed 002) on [L/16, 3L/8], by the decay view's criterion: xi only "
        "where an exponential fits log g1 at least twice as well as the power law",
        (
            _N,
            _L,
            _KIND,
            _STRENGTH,
            _REALISATIONS,
            Parameter(
                "base_points",
                "1",
                "base points x per realisation (at most the row points, 8N, >= 256)",
                "integer",
                1,
                default_output_points(MAX_PARTICLES),
                default=_default(tonks_girardeau.averaged_decay, "base_points"),
            ),
            Parameter(
                "statistic",
                "1",
                "'mean' E|g1| or 'typical' exp E log|g1|",
                "choice",
                options=STATISTICS,
                default=_default(tonks_girardeau.averaged_decay, "statistic"),
            ),
            _GRID_POINTS,
        ),
        (
            Output(
                "decay_length",
                "1/n",
                "decay length xi of g1(r) (inf where the power law wins: see decay_law)",
            ),
            Output(
                "decay_length_error",
                "1/n",
                "jackknife standard error of xi over realisations (inf where the power law wins)",
            ),
            Output(
                "decay_law",
                "1",
                "law of g1(r): exponential if its residual sum of squares in log g1 is at most "
                f"1/{EXPONENTIAL_MARGIN:g} of the power law C d(r)^-p's, else power law "
                "(xi = inf)",
                DECAY_LAWS,
            ),
        ),
        seed_parameter="seed",
        check=_TG_CHECK,
    ),
    Observable(
        "tonks_girardeau.superfluid_density",
        "physics.tonks_girardeau:superfluid_density",
        "Disorder-averaged superfluid density from the twist energy L [E(theta) - E(0)]/theta^2",
        (
            _N,
            _L,
            _KIND,
            _STRENGTH,
            _REALISATIONS,
            Parameter(
                "twist",
                "rad",
                "boundary twist theta (not 0)",
                low=-math.pi,
                high=math.pi,
                low_open=True,
                high_open=True,
                default=DEFAULT_TWIST,
            ),
            _GRID_POINTS,
        ),
        (
            Output("superfluid_density", "n", "superfluid density rho_s (clean: N/L)"),
            Output("superfluid_density_error", "n", "standard error over realisations"),
        ),
        seed_parameter="seed",
        check=_TG_CHECK,
    ),
    Observable(
        "tonks_girardeau.fermi_energy",
        "physics.tonks_girardeau:fermi_energy",
        "Disorder-averaged chemical potential (E_N + E_{N+1})/2 of the Tonks-Girardeau gas",
        (_N, _L, _KIND, _STRENGTH, _REALISATIONS, _GRID_POINTS),
        (
            Output("chemical_potential", "n^2", "chemical potential mu"),
            Output("chemical_potential_error", "n^2", "standard error over realisations"),
        ),
        seed_parameter="seed",
        check=_TG_CHECK.replace("_grid_check", "_fermi_grid_check"),
    ),
    Observable(
        "tonks_girardeau.localisation_length",
        "physics.tonks_girardeau:localisation_length",
        "One-particle localisation length 1/lambda(E) from the Lyapunov exponent",
        (
            Parameter("energy", "n^2", "one-particle energy E"),
            _KIND,
            _STRENGTH,
            Parameter(
                "segments",
                "1",
                "independent segments averaged",
                "integer",
                3,
                MAX_CELLS // 8,
                default=_default(tonks_girardeau.localisation_length, "segments"),
            ),
            Parameter(
                "segment_length",
                "1/n",
                "length of a segment (at most 1e5 / segments)",
                low=0.0,
                high=LENGTH_RANGE[1] / 3,
                low_open=True,
                default=_default(tonks_girardeau.localisation_length, "segment_length"),
            ),
            Parameter(
                "spacing",
                "1/n",
                "grid spacing (< segment_length)",
                low=0.0,
                low_open=True,
                default=_default(tonks_girardeau.localisation_length, "spacing"),
            ),
        ),
        (
            Output("localisation_length", "1/n", "localisation length (inf: no disorder)"),
            Output("localisation_length_error", "1/n", "standard error"),
        ),
        seed_parameter="seed",
    ),
    Observable(
        "lattice.lindemann_ratio",
        "physics.lattice:lindemann_ratio",
        "Lindemann ratio r_0/a (Yukalov Eqs. 42-47, Debye approximation, corrected)",
        (
            Parameter("TD_over_EK", "1", "Debye temperature T_D/E_K", low=0.0),
            Parameter("T_over_EK", "1", "temperature T/E_K", low=0.0),
            Parameter(
                "d",
                "1",
                "space dimension",
                "integer",
                1,
                3,
                default=_default(lattice.lindemann_ratio, "d"),
            ),
        ),
        (Output("lindemann_ratio", "1", "r_0/a; the crystal is stable below 1/2"),),
    ),
    Observable(
        "lattice.state",
        "qgas.sweeps.observables:lattice_state_code",
        "State of atoms in an optical lattice (Yukalov, text after Eq. 55): the phase map",
        (
            Parameter("U_over_ER", "1", "lattice depth U/E_R", low=0.0),
            Parameter("TD_over_EK", "1", "Debye temperature T_D/E_K", low=0.0),
            Parameter(
                "T_over_EK",
                "1",
                "temperature T/E_K",
                low=0.0,
                default=_default(lattice.classify, "T_over_EK"),
            ),
            Parameter(
                "d",
                "1",
                "space dimension",
                "integer",
                1,
                3,
                default=_default(lattice.classify, "d"),
            ),
            Parameter(
                "crossover_factor",
                "1",
                "width of the crossover bands (1: none)",
                low=1.0,
                default=_default(lattice.classify, "crossover_factor"),
            ),
        ),
        (Output("state", "1", "lattice state (code into categories)", lattice.STATES),),
    ),
)

#: Every observable ``qgas sweep`` can evaluate, by name.
REGISTRY = Registry(_DECLARATIONS)
