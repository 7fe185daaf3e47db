"""Running sweeps: values, units and provenance; identical results on every executor;
checkpoints, resume and failures; refusals before any work."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from toy_sweep_observables import TOY_REGISTRY, noisy_mean

from physics import lieb_liniger
from qgas import __version__
from qgas.sweeps.checkpoint import checkpoint_path, load_checkpoint
from qgas.sweeps.config import config_from_mapping
from qgas.sweeps.dataset import RUN_ATTRIBUTES, open_sweep
from qgas.sweeps.executors import DaskExecutor, ProcessExecutor, SerialExecutor, make_executor
from qgas.sweeps.observables import REGISTRY
from qgas.sweeps.runner import prepare_sweep, run_sweep
from qgas.sweeps.tasks import TaskFailed, task_seed


def noisy_config(output: Path, seed: int = 2026):
    return config_from_mapping(
        {
            "observable": "toy.noisy_mean",
            "output": str(output),
            "seed": seed,
            "grid": {"centre": [-1.0, 0.0, 2.5], "samples": [10, 200, 3000]},
        },
        TOY_REGISTRY,
    )


def run(config, executor=None, **options):
    return run_sweep(prepare_sweep(config, force=True), executor, progress=False, **options)


def without_run_attributes(dataset: xr.Dataset) -> xr.Dataset:
    return dataset.drop_attrs(deep=False).assign_attrs(
        {k: v for k, v in dataset.attrs.items() if k not in RUN_ATTRIBUTES}
    )


@pytest.fixture(scope="module")
def dask_scheduler():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        yield cluster.scheduler_address


def test_lieb_liniger_sweep_matches_direct_calls_with_units_and_provenance(tmp_path):
    config = config_from_mapping(
        {
            "observable": "lieb_liniger.ground_state_energy",
            "output": str(tmp_path / "e.nc"),
            "grid": {"gamma": [0.5, 2.0, 40.0]},
        },
        REGISTRY,
    )
    outcome = run(config)
    dataset = open_sweep(tmp_path / "e.nc")
    expected = [lieb_liniger.ground_state_energy(g) for g in (0.5, 2.0, 40.0)]
    np.testing.assert_array_equal(dataset["energy"].values, expected)
    assert dataset["gamma"].attrs["units"] == "1" and dataset["energy"].attrs["units"] == "1"
    attrs = dataset.attrs
    assert attrs["qgas_version"] == __version__
    assert attrs["observable"] == "lieb_liniger.ground_state_energy"
    assert json.loads(attrs["config"])["grid"] == [["gamma", [0.5, 2.0, 40.0]]]
    assert attrs["config_hash"] == config.config_hash
    start, end = (datetime.fromisoformat(attrs[k]) for k in ("started_at", "finished_at"))
    assert start <= end and start.tzinfo is not None
    assert outcome.evaluated == 3 and not checkpoint_path(tmp_path / "e.nc").exists()


def test_task_seeds_are_the_spawned_children_of_the_root_seed():
    children = np.random.SeedSequence(99).spawn(5)
    expected = [int(c.generate_state(1, dtype=np.uint64)[0] >> 1) for c in children]
    assert [task_seed(99, i) for i in range(5)] == expected


def test_random_sweep_uses_the_task_seed_of_each_grid_point(tmp_path):
    config = noisy_config(tmp_path / "n.nc")
    dataset = run(config).dataset
    centre, samples = 2.5, 200
    index = 2 * 3 + 1  # row-major position of (centre=2.5, samples=200)
    mean, spread = noisy_mean(centre, samples, task_seed(2026, index))
    point = dataset.sel(centre=centre, samples=samples)
    assert float(point["mean"]) == mean and float(point["spread"]) == spread
    assert int(point["task_seed"]) == task_seed(2026, index)
    assert dataset.attrs["seed"] == 2026
    assert dataset["mean"].dims == ("centre", "samples")


def decay_config(output: Path):
    """A tiny real disorder-averaged sweep (Tonks-Girardeau decay length, seeded)."""
    return config_from_mapping(
        {
            "observable": "tonks_girardeau.decay_length",
            "output": str(output),
            "seed": 7,
            "grid": {"strength": [1.0, 4.0], "n_particles": [3, 4]},
            "fixed": {"length": 4.0, "kind": "gaussian", "realisations": 2, "base_points": 1},
        },
        REGISTRY,
    )


@pytest.fixture(scope="module")
def executors(dask_scheduler):
    """Serial, two local processes and the Dask cluster, started once for the module."""
    started = {
        "serial": SerialExecutor(),
        "processes": ProcessExecutor(2),
        "dask": make_executor(scheduler=dask_scheduler),
    }
    yield started
    for executor in started.values():
        executor.close()


@pytest.mark.slow  # starts a Dask LocalCluster and a process pool: 10-30 s on a loaded machine
@pytest.mark.parametrize("make_config", [noisy_config, decay_config])
def test_serial_local_processes_and_dask_give_identical_datasets(tmp_path, executors, make_config):
    datasets = {}
    for name, executor in executors.items():
        run(make_config(tmp_path / f"{name}.nc"), executor, batch_size=1)
        datasets[name] = open_sweep(tmp_path / f"{name}.nc")
    assert datasets["dask"].attrs["executor"].startswith("dask.distributed")
    reference = without_run_attributes(datasets["serial"])
    assert "task_seed" in reference
    for name in ("processes", "dask"):
        xr.testing.assert_identical(without_run_attributes(datasets[name]), reference)


def test_results_do_not_depend_on_batch_size(tmp_path):
    one = run(noisy_config(tmp_path / "a.nc"), batch_size=1).dataset
    four = run(noisy_config(tmp_path / "b.nc"), batch_size=4).dataset
    xr.testing.assert_identical(without_run_attributes(one), without_run_attributes(four))


def test_a_failing_point_is_named_and_finished_points_are_checkpointed(tmp_path):
    output = tmp_path / "p.nc"
    config = config_from_mapping(
        {
            "observable": "toy.product",
            "output": str(output),
            "grid": {"x": [2.0, 13.0, 5.0]},
            "fixed": {"y": 3.0},
        },
        TOY_REGISTRY,
    )
    with pytest.raises(TaskFailed, match=r"x=13.0, y=3.0.*unlucky"):
        run(config, batch_size=1)
    checkpoint = load_checkpoint(checkpoint_path(output))
    assert checkpoint.done.tolist() == [True, False, False]
    assert checkpoint.values[0, 0] == 6.0
    assert not output.exists()


def test_resume_completes_a_partial_checkpoint_to_the_uninterrupted_result(tmp_path):
    full = run(noisy_config(tmp_path / "full.nc")).dataset
    output = tmp_path / "part.nc"
    config = noisy_config(output)
    prepared = prepare_sweep(config)
    # Interrupt after the first batch: the generator is abandoned like a Ctrl-C would.
    with pytest.raises(KeyboardInterrupt):
        run_sweep(prepared, _InterruptAfterFirstBatch(), batch_size=3, progress=False)
    checkpoint = load_checkpoint(checkpoint_path(output))
    assert checkpoint.done.sum() == 3
    with pytest.raises(ValueError, match="pass --resume to continue it or --force"):
        prepare_sweep(config)
    resumed = run_sweep(prepare_sweep(config, resume=True), progress=False)
    assert (resumed.resumed_from, resumed.evaluated) == (3, 6)
    assert resumed.dataset.attrs["sessions"] == 2
    xr.testing.assert_identical(
        without_run_attributes(open_sweep(output)), without_run_attributes(full)
    )
    assert not checkpoint_path(output).exists()
    again = prepare_sweep(config, resume=True)
    assert again.already_complete


class _InterruptAfterFirstBatch(SerialExecutor):
    def run(self, function, n_outputs, batches):
        results = super().run(function, n_outputs, batches)
        yield next(results)
        raise KeyboardInterrupt


def test_resume_with_a_different_config_is_refused_before_any_work(tmp_path):
    output = tmp_path / "n.nc"
    with pytest.raises(KeyboardInterrupt):
        run_sweep(
            prepare_sweep(noisy_config(output)),
            _InterruptAfterFirstBatch(),
            batch_size=3,
            checkpoint_interval=0,
            progress=False,
        )
    before = checkpoint_path(output).read_bytes()
    with pytest.raises(ValueError, match="written by a different configuration"):
        prepare_sweep(noisy_config(output, seed=1), resume=True)
    assert checkpoint_path(output).read_bytes() == before


def test_existing_output_is_not_overwritten_without_force(tmp_path):
    output = tmp_path / "n.nc"
    run(noisy_config(output))
    with pytest.raises(ValueError, match=r"already exists.*--force"):
        prepare_sweep(noisy_config(output))
    with pytest.raises(ValueError, match="different configuration"):
        prepare_sweep(noisy_config(output, seed=5), resume=True)


@pytest.mark.parametrize(
    ("make_output", "message"),
    [
        (lambda tmp: tmp / "missing_dir" / "x.nc", "does not exist"),
        (lambda tmp: tmp, "is a directory"),
        (lambda tmp: _file(tmp / "plain") / "x.nc", "plain' is not a directory"),
    ],
)
def test_unwritable_output_is_refused_before_any_work(tmp_path, make_output, message):
    with pytest.raises(ValueError, match=message):
        prepare_sweep(noisy_config(make_output(tmp_path)))


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into read-only directories")
def test_read_only_directory_is_refused(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(ValueError, match="not writable"):
        prepare_sweep(noisy_config(locked / "x.nc"))


def _file(path: Path) -> Path:
    path.write_text("not a directory")
    return path


def test_unreachable_scheduler_is_refused_naming_the_address():
    with pytest.raises(ValueError, match=r"scheduler='tcp://127.0.0.1:9'.*cannot connect"):
        DaskExecutor("tcp://127.0.0.1:9", timeout=1.0)
