"""The registry against the physics it points at: every declared range is the function's own
(just outside a bound the function itself refuses), every observable runs at an example point
and returns its declared outputs, and the adapters equal the physics calls they compose."""

from __future__ import annotations

import math

import numpy as np
import pytest

from physics import lattice, tonks_girardeau
from qgas.cli import main
from qgas.sweeps.dataset import open_sweep
from qgas.sweeps.observables import (
    DECAY_LAWS,
    REGISTRY,
    lattice_state_code,
    tonks_girardeau_decay_length,
)
from qgas.sweeps.tasks import Task, import_function, run_batch

TG_SYSTEM = {"n_particles": 4, "length": 4.0, "kind": "gaussian", "strength": 1.0}

#: A valid, cheap point of every registered observable (seed included where needed).
EXAMPLES = {
    "lieb_liniger.ground_state_energy": {"gamma": 1.0},
    "lieb_liniger.energy_derivative": {"gamma": 1.0, "order": 1},
    "lieb_liniger.chemical_potential": {"gamma": 1.0},
    "lieb_liniger.sound_velocity": {"gamma": 1.0},
    "gaudin_yang.ground_state_energy": {"gamma": 1.0},
    "polaron.inverse_mass_ratio": {"gamma": 1.0, "method": "energy"},
    "tonks_girardeau.decay_length": {
        **TG_SYSTEM,
        "realisations": 2,
        "base_points": 1,
        "statistic": "mean",
        "seed": 3,
    },
    "tonks_girardeau.superfluid_density": {**TG_SYSTEM, "realisations": 2, "seed": 3},
    "tonks_girardeau.fermi_energy": {**TG_SYSTEM, "realisations": 2, "seed": 3},
    "tonks_girardeau.localisation_length": {
        "energy": 5.0,
        "kind": "gaussian",
        "strength": 1.0,
        "segments": 3,
        "segment_length": 4.0,
        "spacing": 0.25,
        "seed": 3,
    },
    "lattice.lindemann_ratio": {"TD_over_EK": 10.0, "T_over_EK": 0.1, "d": 3},
    "lattice.state": {"U_over_ER": 5.0, "TD_over_EK": 10.0, "T_over_EK": 0.0, "d": 3},
}


def test_every_registered_observable_has_an_example():
    assert set(EXAMPLES) == set(REGISTRY)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_point_runs_and_returns_the_declared_outputs(name):
    observable = REGISTRY[name]
    kwargs = EXAMPLES[name]
    declared = {p.name for p in observable.parameters} | {observable.seed_parameter}
    assert set(kwargs) <= declared
    [(index, outputs)] = run_batch(observable.function, len(observable.outputs), [Task(7, kwargs)])
    assert index == 7 and len(outputs) == len(observable.outputs)
    assert all(not math.isnan(v) for v in outputs)


def _outside(parameter):
    """Values just outside each finite bound (the bound itself when it is open)."""
    values = []
    for bound, is_open, sign in (
        (parameter.low, parameter.low_open, -1),
        (parameter.high, parameter.high_open, +1),
    ):
        if bound is None:
            continue
        if parameter.kind == "integer":
            values.append(int(bound) + sign)
        else:
            values.append(bound if is_open else bound + sign * 1e-9 * max(1.0, abs(bound)))
    if parameter.kind == "choice":
        values.append("no-such-option")
    return values


def _cases(values_of) -> list[tuple[str, str, object]]:
    """(observable, parameter, value) for every value ``values_of(parameter)`` gives."""
    return [
        (name, parameter.name, value)
        for name in sorted(EXAMPLES)
        for parameter in REGISTRY[name].parameters
        for value in values_of(parameter)
    ]


CASES = _cases(_outside)


@pytest.mark.parametrize(("name", "parameter", "value"), CASES)
def test_declared_range_is_the_range_the_function_enforces(name, parameter, value):
    observable = REGISTRY[name]
    kwargs = {**EXAMPLES[name], parameter: value}
    with pytest.raises(ValueError, match=parameter):
        import_function(observable.function)(**kwargs)
    with pytest.raises(ValueError, match=parameter):
        observable.parameter(parameter).validate(value)


def _far_inside(parameter):
    """Values far out on each unbounded side of a declared range (valid to the registry)."""
    if parameter.kind == "choice":
        return []
    far = 10**12 if parameter.kind == "integer" else 1e300
    return [
        sign * far for bound, sign in ((parameter.low, -1), (parameter.high, +1)) if bound is None
    ]


FAR_CASES = _cases(_far_inside)


@pytest.mark.parametrize(("name", "parameter", "value"), FAR_CASES)
def test_the_function_has_no_fixed_bound_the_registry_does_not_declare(name, parameter, value):
    # `qgas sweep --list` once showed n_particles [1, inf), length (0, inf), strength [0, inf)
    # where the functions refuse N > 1024, L > 1e5, strength > 1e6: a value the registry
    # accepts may only be refused through a bound set by other arguments (named in the
    # message), never by a fixed bound of its own
    observable = REGISTRY[name]
    kwargs = {**EXAMPLES[name], parameter: value}
    try:
        import_function(observable.function)(**kwargs)
    except ValueError as error:
        message = str(error)
        fixed = message.startswith(f"{parameter}=") and "valid range" in message
        assert not fixed or " given " in message, message


# Issue 16: the sweep reported xi from a plain exponential fit (xi = 3.53 at N = L = 8, speckle
# strength 1) where the decay view's criterion (decay_fit / classify_decay) says "power law".
ISSUE_EXAMPLE = ("--fixed", "n_particles=8", "--fixed", "length=8", "--fixed", "kind=speckle")


def test_decay_length_is_inf_where_the_decay_view_says_power_law(tmp_path, capsys):
    output = tmp_path / "x.nc"
    argv = ["sweep", "--observable", "tonks_girardeau.decay_length", "--grid", "strength=0,1,4"]
    argv += [*ISSUE_EXAMPLE, "--fixed", "realisations=4", "--seed", "11", "-o", str(output)]
    assert main([*argv, "--workers", "1", "--no-progress"]) == 0
    dataset = open_sweep(output)
    xi = dataset["decay_length"]
    for strength, seed in zip(dataset["strength"].values, dataset["task_seed"].values, strict=True):
        statistics = tonks_girardeau.decay_statistics(8, 8.0, "speckle", strength, 4, int(seed))
        fit = tonks_girardeau.decay_fit(statistics, (0.5, 3.0), 8.0, "mean")  # [L/16, 3L/8]
        assert fit.model == "power law"  # the decay view's verdict
        assert math.isinf(float(xi.sel(strength=strength)))
        assert math.isinf(float(dataset["decay_length_error"].sel(strength=strength)))
        law = dataset["decay_law"]
        assert law.attrs["category_labels"].split("; ")[int(law.sel(strength=strength))] == (
            "power law"
        )
    # (strength 0 is the clean ring: Lenard's power law p = 1/2, no exponential decay at all)
    assert "inf where the power law wins" in xi.attrs["long_name"]


def test_decay_length_where_the_exponential_wins_is_the_views_xi():
    """Deep Gaussian disorder at N = L = 16: localised, the exponential fits over 2x better."""
    xi, error, code = tonks_girardeau_decay_length(16, 16.0, "gaussian", 40.0, 4, 11, 2, "mean")
    statistics = tonks_girardeau.decay_statistics(16, 16.0, "gaussian", 40.0, 4, 11)
    fit = tonks_girardeau.decay_fit(statistics, (1.0, 6.0), 16.0, "mean")
    assert fit.model == "exponential" and fit.rss_exponential * 2 <= fit.rss_power_law
    assert DECAY_LAWS[code] == "exponential"
    assert xi == 1.0 / fit.rate and 0.0 < error < xi
    assert xi == fit.xi and error == fit.xi_error


def test_registry_defaults_are_the_physics_defaults():
    import inspect

    functions = {
        "tonks_girardeau.decay_length": tonks_girardeau.averaged_decay,
        "tonks_girardeau.localisation_length": tonks_girardeau.localisation_length,
        "lattice.state": lattice.classify,
        "lattice.lindemann_ratio": lattice.lindemann_ratio,
        "tonks_girardeau.superfluid_density": tonks_girardeau.superfluid_density,
    }
    for name, function in functions.items():
        signature = inspect.signature(function).parameters
        for parameter in REGISTRY[name].parameters:
            if parameter.default is not None and parameter.name in signature:
                assert parameter.default == signature[parameter.name].default, (name, parameter)


@pytest.mark.parametrize("depth", [0.0, 0.5, 5.0, 40.0])
@pytest.mark.parametrize("TD", [0.01, 1.0, 30.0, 3000.0])
def test_lattice_state_code_names_the_classified_state(depth, TD):
    omega = 2 * math.pi**2 * math.sqrt(depth)  # omega/E_K = 2 pi^2 sqrt(U/E_R), a = lambda/2
    expected = lattice.classify(omega, TD, 0.0, 3)
    assert lattice.STATES[lattice_state_code(depth, TD)] == expected


def test_lattice_state_sweep_agrees_with_the_vectorised_phase_map(tmp_path):
    from qgas.sweeps.config import config_from_mapping
    from qgas.sweeps.runner import prepare_sweep, run_sweep

    depths, tds = [0.0, 1.0, 10.0, 50.0], [0.05, 2.0, 80.0, 5000.0]
    config = config_from_mapping(
        {
            "observable": "lattice.state",
            "output": str(tmp_path / "map.nc"),
            "grid": {"TD_over_EK": tds, "U_over_ER": depths},
        },
        REGISTRY,
    )
    dataset = run_sweep(prepare_sweep(config), progress=False).dataset
    reference = lattice.phase_map(np.array(depths), np.array(tds))
    np.testing.assert_array_equal(dataset["state"].values, reference.codes)
    assert dataset["state"].attrs["flag_values"].tolist() == list(range(len(lattice.STATES)))


@pytest.mark.parametrize("name", ["superfluid_density", "averaged_decay", "fermi_energy"])
@pytest.mark.parametrize(
    ("n_particles", "length", "strength", "grid_points"),
    [
        (4, 4.0, 1.0, None),  # valid
        (4, 60.0, 1.0, None),  # spacing 60/256 < 0.25
        (4, 70.0, 1.0, None),  # spacing 70/256 > 0.25
        (4, 70.0, 0.0, None),  # clean: no potential drawn by some
        (13, 8.0, 1.0, 64),  # 64 < 4N + 16
        (12, 8.0, 1.0, 64),  # 64 = 4N + 16 < 4(N + 1) + 16
    ],
)
def test_grid_check_refuses_what_the_function_refuses(
    name, n_particles, length, strength, grid_points
):
    # only refusals of the grid itself: a refused basis (superfluid_density, deep or coarse
    # potentials) is found when the potential is drawn
    checks = {
        "superfluid_density": "tonks_girardeau.superfluid_density",
        "averaged_decay": "tonks_girardeau.decay_length",
        "fermi_energy": "tonks_girardeau.fermi_energy",
    }
    check = import_function(REGISTRY[checks[name]].check)
    kwargs = {"n_particles": n_particles, "length": length, "strength": strength}
    if grid_points is not None:
        kwargs["grid_points"] = grid_points
    try:
        getattr(tonks_girardeau, name)(kind="gaussian", realisations=1, **kwargs)
        refused = ""
    except ValueError as error:
        refused = str(error)
    grid = any(word in refused for word in ("grid_points", "correlation_length", "n_states"))
    if grid and "plane-wave basis" not in refused:
        with pytest.raises(ValueError, match="grid_points"):
            check(**kwargs)
    else:
        check(**kwargs)


@pytest.mark.parametrize("name", ["superfluid_density", "averaged_decay", "fermi_energy"])
@pytest.mark.parametrize(("n_particles", "realisations"), [(1000, 1), (1000, 2), (300, 50)])
def test_grid_check_refuses_the_cost_the_function_refuses_with_its_message(
    name, n_particles, realisations
):
    """Same refusal, same words, by the grid check and by the function (which refuses before
    computing anything): the sweep used to find it only at that grid point, mid-run."""
    checks = {
        "superfluid_density": "tonks_girardeau.superfluid_density",
        "averaged_decay": "tonks_girardeau.decay_length",
        "fermi_energy": "tonks_girardeau.fermi_energy",
    }
    check = import_function(REGISTRY[checks[name]].check)
    kwargs = {"n_particles": n_particles, "length": float(n_particles), "strength": 1.0}
    with pytest.raises(ValueError, match="per call") as refused:
        getattr(tonks_girardeau, name)(kind="gaussian", realisations=realisations, **kwargs)
    grid = np.array([2, n_particles, 4]), np.array([8.0, n_particles, 4.0])
    with pytest.raises(ValueError) as checked:
        check(n_particles=grid[0], length=grid[1], strength=1.0, realisations=realisations)
    assert str(checked.value) == str(refused.value)


def test_grid_check_counts_one_realisation_on_a_clean_ring_where_the_function_does():
    """superfluid_density and averaged_decay solve the clean ring once (check_cost(N, 1 if
    strength == 0 else R)); fermi_energy draws every realisation even there."""
    kwargs = {"n_particles": 300, "length": 300.0, "strength": 0.0, "realisations": 50}
    import_function(REGISTRY["tonks_girardeau.superfluid_density"].check)(**kwargs)
    import_function(REGISTRY["tonks_girardeau.decay_length"].check)(**kwargs)
    with pytest.raises(ValueError, match="realisations=50 would take"):
        import_function(REGISTRY["tonks_girardeau.fermi_energy"].check)(**kwargs)


def test_every_ratio_is_dimensionless():
    """Issue 16: T_D/E_K carried units E_K (the Sweeps view labelled it "T_D/E_K [E_K]"); a
    ratio of two quantities of the same dimension has the CF units "1"."""
    ratios = [
        (name, entry.name, entry.units)
        for name, observable in REGISTRY.items()
        for entry in (*observable.parameters, *observable.outputs)
        if "_over_" in entry.name or entry.name.endswith("ratio") or "/E_" in entry.doc
    ]
    assert len(ratios) >= 7  # U/E_R, T_D/E_K and T/E_K twice, m/m*, r_0/a
    assert [r for r in ratios if r[2] != "1"] == []
