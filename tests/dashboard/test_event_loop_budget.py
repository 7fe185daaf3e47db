"""No control of any view makes the server's event loop compute costly physics.

Issue 16 §1: one student's click must never freeze the others. The finite input sets of the
views (models, orders, the γ grid) are computed once when a server process starts
(:func:`dashboard.cache.warm_up`, from shipped tables where the work is costly); the rest of the
costly work of the heavy views runs in the physics worker processes
(:mod:`dashboard.physics_pool`). These tests drive every control of every view across its whole
range and check both halves: once warm, not one finite-set computation is repeated (every
result is read from the cache), and every costly call of a heavy view is submitted to the worker
pool. No wall-clock time is asserted; ``benchmarks/load.py --scenario adversary`` measures the
loop's longest stall.
"""

from __future__ import annotations

import concurrent.futures
import sys
from collections import Counter

import numpy as np
import param
import pytest

from dashboard import cache, physics_pool
from dashboard.assembly import SLIDER_GRIDS, DashboardApp
from dashboard.views import VIEWS

#: Views whose costly work goes to the physics workers (the others read warm caches).
HEAVY = {"decay"}
#: Modules holding the costly solvers of the heavy views (must never run in the server).
SOLVER_MODULES = ("physics.tonks_girardeau.one_particle", "physics.tonks_girardeau.density_matrix")
#: Cheap helpers of those modules (sizes from N): allowed anywhere.
SOLVER_HELPERS = {"default_grid_points"}
#: Memoised functions of continuous inputs, cheap enough for the loop at any input: the
#: vectorised 160 × 160 phase map and the Lindemann ratio (0.3–0.6 ms, benchmarks/lattice.py).
CHEAP_CONTINUOUS = ("phase_map", "lindemann_ratio")
#: Values tried for a continuous (float) control across its slider range.
FLOAT_STEPS = 12


def control_values(parameter: param.Parameter) -> list:
    """Every value a widget of ``parameter`` can take (floats: evenly over the slider)."""
    if isinstance(parameter, param.Boolean):
        return [True, False]
    if isinstance(parameter, param.Selector):
        return list(parameter.objects)
    low, high = parameter.softbounds or parameter.bounds
    if isinstance(parameter, param.Integer):
        step = parameter.step or 1
        return [*range(low, high + 1, step), high]
    return [float(v) for v in np.linspace(low, high, FLOAT_STEPS)]


def global_values(name: str) -> list[float]:
    if name in SLIDER_GRIDS:
        return list(SLIDER_GRIDS[name])
    parameter = DashboardApp().state.param[name]
    return [float(v) for v in np.linspace(*parameter.softbounds, FLOAT_STEPS)]


@pytest.fixture(scope="module")
def warm_app() -> DashboardApp:
    app = DashboardApp()
    for slug in VIEWS:
        app.show(slug)
    cache.warm_up()
    return app


def drive_every_control(app: DashboardApp, slug: str) -> int:
    """Move every own and global control of view ``slug`` over its range; moves made."""
    view = app.views[slug]
    app.show(slug)
    moves = 0
    for name in view.own_parameters():
        default = getattr(view, name)
        for value in control_values(view.param[name]):
            setattr(view, name, value)
            moves += 1
        setattr(view, name, default)
    for name in view.state_dependencies:
        default = getattr(app.state, name)
        for value in global_values(name):
            setattr(app.state, name, value)
            moves += 1
        setattr(app.state, name, default)
    return moves


@pytest.mark.parametrize("slug", sorted(set(VIEWS) - HEAVY - {"sweeps"}))
def test_a_warm_view_never_recomputes_a_finite_input(warm_app, slug):
    cache.reset_misses()
    moves = drive_every_control(warm_app, slug)
    assert moves > 10
    recomputed = {
        name: count for name, count in cache.misses().items() if not name.endswith(CHEAP_CONTINUOUS)
    }
    assert recomputed == {}
    assert warm_app.views[slug].error_message == ""


def test_every_finite_set_is_declared_by_a_view(warm_app):
    names = set(cache.precomputed_functions().values())
    assert {name.rsplit(".", 2)[-2] for name in names} == {
        "energy",
        "borel",
        "polaron",
        "resurgence",
    }


class RecordingPool(concurrent.futures.Executor):
    """Runs each submitted call inline, recording its name, as a worker process would."""

    def __init__(self) -> None:
        self.submitted: Counter[str] = Counter()
        self.inside = False

    def submit(self, fn, /, *args, **kwargs):
        self.submitted[f"{fn.__module__}.{fn.__qualname__}"] += 1
        future: concurrent.futures.Future = concurrent.futures.Future()
        self.inside = True
        try:
            future.set_result(fn(*args, **kwargs))
        finally:
            self.inside = False
        return future


def test_the_heavy_view_runs_its_solvers_only_in_the_physics_workers(monkeypatch):
    app = DashboardApp()
    view = app.views["decay"]
    # small sizes keep the inline "worker" fast; every other control goes over its range
    view.param.update(n_particles=8, realisations=2)
    pool = RecordingPool()
    monkeypatch.setattr(physics_pool, "_workers", 1)
    monkeypatch.setattr(physics_pool, "_executor", lambda: pool)
    outside: Counter[str] = Counter()

    def profile(frame, event, _arg):
        if event == "call" and not pool.inside:
            module = frame.f_globals.get("__name__", "")
            if module.startswith(SOLVER_MODULES) and frame.f_code.co_name not in SOLVER_HELPERS:
                outside[f"{module}.{frame.f_code.co_name}"] += 1

    sys.setprofile(profile)
    try:
        app.show("decay")
        for name in ("kind", "seed"):
            for value in control_values(view.param[name])[:6]:
                setattr(view, name, value)
        for value in global_values("disorder_strength"):
            app.state.disorder_strength = value
        for name, value in (("n_particles", 16), ("realisations", 3), ("map_of", "clean")):
            setattr(view, name, value)
    finally:
        sys.setprofile(None)
    assert outside == Counter()
    assert pool.submitted  # the solvers did run: in the pool
    assert view.error_message == ""
