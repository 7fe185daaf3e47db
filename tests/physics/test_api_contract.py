"""The contract of the whole physics API: a correct finite answer, or a clear error.

Every public callable (everything in the ``__all__`` of :mod:`physics` and of its public
subpackages and modules, found by walking the package, so that a new function cannot escape)
is called with hostile values for one parameter at a time (NaN, ±inf, 0, negative, 1e300,
1e-300, bools, strings, None, empty arrays, arrays holding NaN, floats where an integer is
expected, huge integers, wrong containers), the other parameters taking the valid values of a
baseline call. Each call must either

- return a result whose numbers are all finite (arrays, tuples, lists, dicts, dataclasses,
  mpmath numbers; documented infinities are listed in ``BASELINES``), or
- raise ``ValueError`` or ``TypeError`` whose message names the parameter.

The drawn values are derandomised, so that CI is repeatable; raise ``max_examples`` locally
to search further (that is how the dependent-range messages were found). A callable without a
baseline fails :func:`test_every_public_callable_has_a_baseline`.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import math
import numbers
import pkgutil
from fractions import Fraction
from typing import Any

import mpmath
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import physics
from physics import tonks_girardeau

nan, inf = math.nan, math.inf


def _public_callables() -> dict[str, Any]:
    """Shortest public dotted name -> function, for every function in a public ``__all__``."""
    modules = [physics] + [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(physics.__path__, "physics.")
        if not any(part.startswith("_") for part in info.name.split("."))
    ]
    found: dict[Any, str] = {}
    for module in modules:
        for attribute in getattr(module, "__all__", ()):
            obj = getattr(module, attribute)
            if not callable(obj) or _is_result_record(obj):
                continue
            name = f"{module.__name__}.{attribute}"
            if obj not in found or len(name) < len(found[obj]):
                found[obj] = name
    return {name: obj for obj, name in found.items()}


def _is_result_record(obj: Any) -> bool:
    """Frozen dataclasses and named tuples only carry results; they compute nothing."""
    return inspect.isclass(obj) and (dataclasses.is_dataclass(obj) or issubclass(obj, tuple))


_CLEAN_ORBITALS = tonks_girardeau.lowest_orbitals(2, 2.0, None, twist=math.pi)
_POTENTIAL = tonks_girardeau.gaussian_potential(4.0, 32, 1.0, seed=1)
_R = np.linspace(0.0, 2.0, 17)
_G1 = np.exp(-_R)
_TG = "physics.tonks_girardeau."
_DISORDER = {"correlation_length": 0.5}
_STATISTICS = tonks_girardeau.decay_statistics(
    2, 2.0, "gaussian", 1.0, 2, 0, grid_points=32, base_points=1, correlation_length=0.5
)


@dataclasses.dataclass(frozen=True)
class Baseline:
    """A valid call; ``infinite`` lists documented infinite results ("+inf" allowed)."""

    args: tuple = ()
    kwargs: dict = dataclasses.field(default_factory=dict)
    infinite: bool = False


#: One valid, cheap call per public callable (small sizes keep the test fast).
BASELINES: dict[str, Baseline] = {
    "physics.gaudin_yang.ground_state_energy": Baseline((1.0,)),
    "physics.gaudin_yang.ground_state_energy_with_error": Baseline((1.0, 8)),
    "physics.gaudin_yang_repulsive.ground_state_energy": Baseline((1.0,)),
    "physics.gaudin_yang_repulsive.ground_state_energy_with_error": Baseline((10.0, 8)),
    "physics.gaudin_yang_repulsive.strong_coupling_energy": Baseline((20.0,), {"order": 4}),
    "physics.gaudin_yang_repulsive.truncation_errors": Baseline((1.0,), infinite=True),
    "physics.gaudin_yang_repulsive.weak_coupling_partial_sum": Baseline((0.5, 10)),
    "physics.lattice.classify": Baseline((10.0, 20.0), {"T_over_EK": 0.1, "d": 3}),
    "physics.lattice.debye_temperature": Baseline((2.0,), {"mass": 0.5, "d": 3, "filling": 1.0}),
    "physics.lattice.debye_wavevector": Baseline((1.0,), {"d": 3}),
    "physics.lattice.depth_to_omega_over_EK": Baseline((10.0,)),
    "physics.lattice.dipolar_coupling": Baseline((1e-49, 1e-25, 2.66e-7)),
    "physics.lattice.effective_frequency": Baseline((3.0, 4.0)),
    "physics.lattice.kinetic_energy_scale": Baseline((1.0,), {"mass": 0.5}),
    "physics.lattice.lattice_frequency": Baseline((10.0, 1.0)),
    # r_0/a diverges for d = 1, d = 2 at T > 0 and T_D = 0 (Lindemann criterion, documented).
    "physics.lattice.lindemann_ratio": Baseline((20.0, 0.1), {"d": 3}, infinite=True),
    "physics.lattice.lindemann_threshold": Baseline((0.1,), {"d": 3}, infinite=True),
    "physics.lattice.localization_length": Baseline((2.0,), {"mass": 0.5}),
    "physics.lattice.mean_square_deviation": Baseline(
        (20.0, 0.1), {"mass": 0.5, "d": 3}, infinite=True
    ),
    # PhaseMap.lindemann_ratio is inf where T_D = 0 (documented).
    "physics.lattice.phase_map": Baseline(
        ([1.0, 10.0], [5.0, 50.0]),
        {"T_over_EK": 0.0, "d": 3, "crossover_factor": 3.0},
        infinite=True,
    ),
    "physics.lattice.recoil_energy": Baseline((2.0,), {"mass": 0.5}),
    "physics.lattice.sound_velocity": Baseline((2.0, 1.0), {"mass": 0.5, "filling": 1.0}),
    "physics.lattice.square_lattice_dipolar_scales": Baseline((1.0,)),
    "physics.lattice.tunnelling": Baseline(
        ([1.0, 0.0, 0.0], [30.0, 30.0, 30.0], [20.0, 20.0, 20.0], [3.14, 3.14, 3.14]),
        {"mass": 0.5},
    ),
    "physics.lieb_liniger.chemical_potential": Baseline((1.0,)),
    "physics.lieb_liniger.energy_derivative": Baseline((1.0,), {"order": 1}),
    "physics.lieb_liniger.ground_state_energy": Baseline((1.0,)),
    "physics.lieb_liniger.ground_state_energy_with_error": Baseline((1.0, 8)),
    "physics.lieb_liniger.rapidity_density": Baseline((1.0,)),
    "physics.lieb_liniger.sound_velocity": Baseline((1.0,)),
    "physics.polaron.inverse_mass_ratio": Baseline((1.0,), {"method": "energy"}),
    "physics.resurgence.borel_pade_poles": Baseline(("lieb-liniger",), {"order": 3}),
    "physics.resurgence.borel_pade_sum": Baseline(("gaudin-yang", 0.5), {"order": 3}),
    "physics.resurgence.borel_singularity_estimate": Baseline(
        ("lieb-liniger",), {"order": 30, "max_transform": 4}
    ),
    "physics.resurgence.borel_transform_coefficients": Baseline(("lieb-liniger",), {"order": 10}),
    "physics.resurgence.coefficients_fingerprint": Baseline(("lieb-liniger",)),
    "physics.resurgence.expected_singularity": Baseline(("gaudin-yang",)),
    "physics.resurgence.nonperturbative_scale": Baseline(("lieb-liniger", 1.0)),
    "physics.resurgence.ratio_sequence": Baseline(("gaudin-yang",), {"order": 10}),
    "physics.resurgence.richardson_transform": Baseline(
        ((np.arange(1, 6), np.array([mpmath.mpf(k) for k in (1, 2, 3, 4, 5)], object)), 2)
    ),
    "physics.resurgence_large_order.imaginary_part_prediction": Baseline(("gaudin-yang", 0.5)),
    "physics.resurgence_large_order.large_order_fit": Baseline(("lieb-liniger",)),
    "physics.resurgence_large_order.power_estimate": Baseline(("gaudin-yang",), {"transform": 4}),
    "physics.resurgence_repulsive.series_order": Baseline(("pade", 10)),
    "physics.resurgence_repulsive.shipped_rows": Baseline(()),
    "physics.resurgence_sums.conformal_borel_sum": Baseline(("gaudin-yang", 0.5), {"order": 6}),
    "physics.resurgence_sums.lateral_borel_pade_sum": Baseline(("lieb-liniger", 0.5), {"order": 3}),
    "physics.resurgence_sums.optimal_truncation": Baseline(("lieb-liniger", 0.5)),
    "physics.resurgence_table.shipped_rows": Baseline(("gaudin-yang",)),
    "physics.series.default_dps": Baseline((10,)),
    "physics.series.exact_closed_forms": Baseline(("lieb-liniger",), {"count": 2}),
    "physics.series.generate_weak_coupling_coefficients": Baseline(
        ("gaudin-yang", 3), {"dps": 30, "log_b_substitute": "-log(4)"}
    ),
    "physics.series.inverse_mass_ratio_partial_sum": Baseline(("weak", 0.5, 6)),
    "physics.series.inverse_mass_ratio_series": Baseline(("strong", 4)),
    "physics.series.optimal_truncation_order": Baseline(("lieb-liniger", 2.0)),
    "physics.series.partial_sum": Baseline(("gaudin-yang", 0.3, 6)),
    "physics.series.run_generation": Baseline(
        ("lieb-liniger", 3), {"dps": 30, "log_b_substitute": 0.5}
    ),
    "physics.series.series_terms": Baseline(("lieb-liniger", 1.0), {"order": 10}),
    "physics.series.strong_coupling_coefficients": Baseline(
        (), {"model": "lieb-liniger", "order": 4}
    ),
    "physics.series.coefficient_table": Baseline(("lieb-liniger",)),
    "physics.series.table_order": Baseline(("lieb-liniger",)),
    "physics.series.truncation_errors": Baseline(("gaudin-yang", 0.5)),
    "physics.series.weak_coupling_coefficients": Baseline(("lieb-liniger", 5)),
    "physics.spin_gap.gap": Baseline((1.0,)),
    "physics.strong_coupling.strong_coupling_energy": Baseline(
        (50.0,), {"model": "lieb-liniger", "order": 6, "derivative": 0}
    ),
    _TG + "averaged_decay": Baseline(
        (2, 2.0, "gaussian", 1.0),
        {
            "realisations": 2,
            "seed": 0,
            "grid_points": 32,
            "base_points": 1,
            "statistic": "mean",
            "boundary": None,
            "output_points": 32,
            **_DISORDER,
        },
    ),
    _TG + "born_lyapunov_exponent": Baseline((12.0, "gaussian", 1.0), dict(_DISORDER)),
    # xi = inf when the power law describes g1 better (documented).
    _TG + "classify_decay": Baseline((_R, _G1, (0.2, 1.5), 4.0), infinite=True),
    _TG + "decay_fit": Baseline(
        (_STATISTICS, (0.2, 0.9), 2.0), {"statistic": "mean"}, infinite=True
    ),
    _TG + "decay_statistics": Baseline(
        (2, 2.0, "gaussian", 1.0),
        {
            "realisations": 2,
            "seed": 0,
            "grid_points": 32,
            "base_points": 1,
            "boundary": None,
            "output_points": 32,
            **_DISORDER,
        },
    ),
    _TG + "default_output_points": Baseline((8,), {"grid_points": 512}),
    _TG + "density_matrix_map": Baseline(
        (2, 4.0), {"potential": _POTENTIAL, "points": 16, "grid_points": 16, "boundary": None}
    ),
    # a flat rho_s(L) has l_s = inf; a failed fit inf errors (documented)
    _TG + "extrapolate_superfluid_density": Baseline(
        ([4.0, 8.0, 12.0, 16.0], [0.8, 0.5, 0.3, 0.2], [0.01, 0.01, 0.01, 0.01]), infinite=True
    ),
    _TG + "localisation_versus_decay": Baseline(
        (8, "gaussian", [5.0]), {"realisations": 2, "seed": 0, "target_error": 0.5, **_DISORDER}
    ),
    _TG + "power_law_fit": Baseline((_R, _G1, (0.2, 1.5), 4.0)),
    _TG + "fits.resolved_window": Baseline((_R, _G1, (0.2, 1.5))),
    _TG + "boundary_twist": Baseline((3,), {"boundary": "periodic"}),
    # A non-decaying g1 has xi = inf (documented).
    _TG + "decay_length": Baseline((_R, _G1, (0.2, 1.5)), infinite=True),
    _TG + "default_decay_window": Baseline((32.0,)),
    _TG + "default_grid_points": Baseline((8,)),
    _TG + "density_matrix.quadrature_order": Baseline((_CLEAN_ORBITALS, 32)),
    _TG + "limits.check_cost": Baseline((64, 4), {"calls": 2, "what": " at each of 2 lengths"}),
    _TG + "limits.estimated_cost": Baseline((64, 4)),
    _TG + "density_matrix_rows": Baseline(([_CLEAN_ORBITALS], 32, [0], 4), {"method": "rank_one"}),
    _TG + "disorder_potential": Baseline(("gaussian", 4.0, 32, 1.0, 3), dict(_DISORDER)),
    _TG + "exponential_fit": Baseline((_R, _G1, (0.2, 1.5)), infinite=True),
    _TG + "fermi_energy": Baseline(
        (2, 2.0, "speckle", 1.0),
        {"realisations": 2, "seed": 0, "grid_points": 32, **_DISORDER},
    ),
    _TG + "gaussian_potential": Baseline((4.0, 32, 1.0), {"correlation_length": 0.5, "seed": 0}),
    _TG + "ground_state_density": Baseline((2, 4.0, _POTENTIAL)),
    # Without disorder the localisation length is infinite (documented).
    _TG + "localisation_length": Baseline(
        (3.0, "gaussian", 2.0),
        {"seed": 0, "segments": 4, "segment_length": 4.0, "spacing": 0.125, **_DISORDER},
        infinite=True,
    ),
    _TG + "lowest_orbitals": Baseline(
        (2, 4.0), {"potential": _POTENTIAL, "twist": 0.3, "modes": None}
    ),
    _TG + "lyapunov_exponent": Baseline(
        (3.0, "gaussian", 2.0),
        {"seed": 0, "segments": 4, "segment_length": 4.0, "spacing": 0.125, **_DISORDER},
    ),
    _TG + "momentum_distribution": Baseline((_R, _G1)),
    _TG + "one_body_density_matrix": Baseline(
        (2, 4.0),
        {"potential": _POTENTIAL, "x0": 0.5, "grid_points": 32, "boundary": None},
    ),
    _TG + "one_particle.default_half_width": Baseline((2, 4.0, _POTENTIAL), infinite=True),
    _TG + "poisson_scatterers": Baseline(
        (4.0, 32), {"density": 1.0, "amplitude": 1.0, "seed": 0, "width": 0.5}
    ),
    _TG + "realisation_potentials": Baseline(
        (4.0, 32, "poisson", 1.0, 2, 0), {"density": 1.0, "width": 0.5}
    ),
    _TG + "realisation_seeds": Baseline((0, 3)),
    _TG + "single_particle_energies": Baseline(
        (2, 4.0), {"potential": _POTENTIAL, "twist": 0.3, "modes": 6}
    ),
    _TG + "speckle_potential": Baseline((4.0, 32, 1.0), {"correlation_length": 0.5, "seed": 0}),
    _TG + "superfluid_density": Baseline(
        (2, 2.0, "gaussian", 1.0),
        # 64 points: on 32 the basis (half-width 7) bounds the error of rho_s only by 0.015
        {"realisations": 2, "seed": 0, "twist": 0.5, "grid_points": 64, **_DISORDER},
    ),
    _TG + "superfluid_density_curve": Baseline(
        ([2.0, 3.0], "gaussian", 0.0),
        {"realisations": 1, "seed": 0, "density": 1.0, "twist": 0.5},
    ),
    _TG + "twist_energy": Baseline(
        # 64 points: on 32 the basis (half-width 7) bounds the error of rho_s only by 0.015
        (2, 4.0, tonks_girardeau.gaussian_potential(4.0, 64, 1.0, seed=1), 0.4)
    ),
}

CALLABLES = _public_callables()
COVERED = sorted(set(BASELINES) & set(CALLABLES))


class _Opaque:
    """An object of no numeric type."""

    def __repr__(self) -> str:
        return "<opaque>"


#: Hostile values tried for every parameter (beyond what the strategies draw at random).
HOSTILE = [
    nan,
    inf,
    -inf,
    0,
    0.0,
    -0.0,
    -1,
    -1.0,
    -1e-300,
    1e-300,
    5e-324,
    1e300,
    -1e300,
    1.7976931348623157e308,
    2.5,
    3.0,
    10**6,
    10**30,
    -(10**30),
    True,
    False,
    "1",
    "",
    "nan",
    b"1",
    None,
    1 + 1j,
    np.float64(nan),
    np.int64(3),
    np.array([]),
    np.array([nan]),
    np.array([1.0, nan]),
    np.array([1.0, inf]),
    np.array([[1.0, 2.0]]),
    np.array([True]),
    [1.0, 2.0],
    [],
    (),
    (1.0,),
    {"a": 1},
    mpmath.mpf("nan"),
    mpmath.mpf("1e400"),
    _Opaque(),
]

hostile_values = st.one_of(
    st.sampled_from(HOSTILE),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(min_value=-50.0, max_value=50.0),
)


def _parameters(name: str) -> list[str]:
    """Every named parameter of the callable and every keyword its baseline passes."""
    signature = inspect.signature(CALLABLES[name])
    names = [
        p.name
        for p in signature.parameters.values()
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    return names + [k for k in BASELINES[name].kwargs if k not in names]


def _call(name: str, parameter: str | None = None, value: Any = None) -> Any:
    baseline = BASELINES[name]
    function = CALLABLES[name]
    arguments = inspect.signature(function).bind_partial(*baseline.args, **baseline.kwargs)
    values = dict(arguments.arguments)
    extra = values.pop(
        next(
            (
                p.name
                for p in inspect.signature(function).parameters.values()
                if p.kind == p.VAR_KEYWORD
            ),
            "",
        ),
        {},
    )
    values.update(extra)
    if parameter is not None:
        values[parameter] = value
    return function(**values)


def _non_finite(result: Any, allow_infinite: bool, path: str = "result") -> str | None:
    """Where ``result`` holds a NaN (or an infinity not allowed), else None."""
    if result is None or isinstance(result, (str, bool, Fraction)):
        return None
    if isinstance(result, (mpmath.mpf, mpmath.mpc)):
        ok = mpmath.isfinite(result) or (allow_infinite and mpmath.isinf(result))
        return None if ok and not mpmath.isnan(result) else f"{path}={result}"
    if isinstance(result, numbers.Number):
        value = complex(result)
        if math.isnan(value.real) or math.isnan(value.imag):
            return f"{path}={result!r}"
        if not allow_infinite and (math.isinf(value.real) or math.isinf(value.imag)):
            return f"{path}={result!r}"
        return None
    if isinstance(result, np.ndarray):
        if result.dtype == object:
            return _non_finite(list(result.ravel()), allow_infinite, path)
        if result.dtype.kind in "biu":
            return None
        values = result.astype(complex)
        bad = np.isnan(values) | (~np.isfinite(values) & (not allow_infinite))
        return f"{path} holds {result[bad][:3]}" if np.any(bad) else None
    if dataclasses.is_dataclass(result):
        result = {f.name: getattr(result, f.name) for f in dataclasses.fields(result)}
    if isinstance(result, dict):
        for key, item in result.items():
            found = _non_finite(item, allow_infinite, f"{path}[{key!r}]")
            if found:
                return found
        return None
    if isinstance(result, (tuple, list)):
        for index, item in enumerate(result):
            found = _non_finite(item, allow_infinite, f"{path}[{index}]")
            if found:
                return found
        return None
    if hasattr(result, "energies"):  # Orbitals
        return _non_finite(dataclasses.asdict(result), allow_infinite, path)
    raise AssertionError(f"{path} has a type the contract test cannot inspect: {type(result)}")


def test_every_public_callable_has_a_baseline():
    missing = sorted(set(CALLABLES) - set(BASELINES))
    stale = sorted(set(BASELINES) - set(CALLABLES))
    assert not missing, f"add a valid baseline call to BASELINES for {missing}"
    assert not stale, f"BASELINES names callables that are not public: {stale}"
    assert len(CALLABLES) >= 70


@pytest.mark.parametrize("name", COVERED)
def test_baseline_call_is_finite(name):
    found = _non_finite(_call(name), BASELINES[name].infinite)
    assert found is None, f"{name}: baseline gives {found}"


CASES = [(name, parameter) for name in COVERED for parameter in _parameters(name)]


@pytest.mark.parametrize(("name", "parameter"), CASES)
@settings(
    max_examples=12,
    deadline=None,
    database=None,
    derandomize=True,  # the same draws in every run (CI); widen locally with max_examples
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(value=hostile_values)
def test_hostile_value_gives_finite_result_or_named_error(name, parameter, value):
    try:
        result = _call(name, parameter, value)
    except (ValueError, TypeError) as error:
        assert parameter.split("[")[0] in str(error), (
            f"{name}({parameter}={value!r}) raised {type(error).__name__} without naming "
            f"{parameter!r}: {error}"
        )
        return
    found = _non_finite(result, BASELINES[name].infinite)
    assert found is None, f"{name}({parameter}={value!r}) returned {found}"


@pytest.mark.parametrize(("name", "parameter"), CASES)
@pytest.mark.parametrize("value", HOSTILE, ids=[repr(v)[:20] for v in HOSTILE])
def test_each_listed_hostile_value(name, parameter, value):
    test_hostile_value_gives_finite_result_or_named_error.hypothesis.inner_test(
        name, parameter, value
    )
