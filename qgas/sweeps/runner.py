"""Running a validated sweep: checks, execution, checkpoints, progress and the final file.

:func:`prepare_sweep` does every check that can fail before any work (output and checkpoint
writable, existing output or checkpoint readable and from the same configuration);
:func:`run_sweep` then evaluates the missing grid points batch by batch. Results are
checkpointed atomically at most every ``checkpoint_interval`` seconds and always when the
sweep stops -- on completion, on Ctrl-C (SIGINT), SIGTERM or an error in a task -- so finished
work is never lost and ``resume=True`` continues where it stopped. A hard kill (SIGKILL, power
loss) loses at most the results of the last ``checkpoint_interval`` seconds.
"""

from __future__ import annotations

import math
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import xarray as xr
from tqdm import tqdm

from qgas.interrupts import interrupts_ignored
from qgas.sweeps.checkpoint import Checkpoint, checkpoint_path, load_checkpoint, save_checkpoint
from qgas.sweeps.config import SweepConfig, execution_value
from qgas.sweeps.dataset import build_dataset, open_sweep, sweep_file_problem, write_dataset
from qgas.sweeps.executors import Executor, make_executor
from qgas.sweeps.files import check_writable, is_shipped, shipped_directory
from qgas.sweeps.tasks import Task, task_seed

__all__ = ["PreparedSweep", "SweepOutcome", "prepare_sweep", "run_sweep", "utc_now"]


def utc_now() -> str:
    """The current time as ISO 8601 UTC with second resolution."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class PreparedSweep:
    """A sweep that passed every check: what is left to do and how."""

    config: SweepConfig
    checkpoint: Checkpoint
    checkpoint_file: Path
    already_complete: bool


@dataclass
class SweepOutcome:
    """What :func:`run_sweep` did."""

    dataset: xr.Dataset
    path: Path
    evaluated: int  # grid points evaluated in this session
    resumed_from: int  # grid points already done when this session started


def prepare_sweep(
    config: SweepConfig, *, resume: bool = False, force: bool = False
) -> PreparedSweep:
    """Check outputs and checkpoints before any work; ValueError naming what is wrong.

    Nothing is written inside the package's shipped ``assets/`` (:func:`is_shipped`, checked
    first: not even the writability probe).
    """
    output = config.output
    checkpoint_file = checkpoint_path(output)
    for name, path in (("output", output), ("checkpoint", checkpoint_file)):
        if is_shipped(path):
            raise ValueError(
                f"{name}={str(path)!r} is inside the shipped directory {shipped_directory()} "
                "(the tables and lessons the dashboard reads); write the sweep elsewhere"
            )
    if output.suffix != ".nc" and not output.is_dir():  # QA: '-o sweep.csv' wrote HDF5
        raise ValueError(
            f"output={str(output)!r} must end in .nc: the sweep is written as NetCDF (the "
            "Sweeps explorer lists *.nc files; every view's download gives a CSV)"
        )
    check_writable(output)
    check_writable(checkpoint_file, "checkpoint")
    n_outputs = len(config.observable.outputs)
    fresh = Checkpoint.empty(config.config_hash, n_outputs, config.n_tasks, utc_now())
    if force:
        return PreparedSweep(config, fresh, checkpoint_file, already_complete=False)
    if checkpoint_file.exists():
        if not resume:
            raise ValueError(
                f"{checkpoint_file} holds an interrupted sweep: pass --resume to continue it or "
                "--force to start over"
            )
        checkpoint = load_checkpoint(checkpoint_file)
        if checkpoint.config_hash != config.config_hash or checkpoint.values.shape != (
            n_outputs,
            config.n_tasks,
        ):
            raise ValueError(
                f"{checkpoint_file} was written by a different configuration (hash "
                f"{checkpoint.config_hash[:12]}, this one {config.config_hash[:12]}): resume "
                "with the configuration that started it, or pass --force to start over"
            )
        checkpoint.sessions += 1
        return PreparedSweep(config, checkpoint, checkpoint_file, already_complete=False)
    if output.exists():
        problem = sweep_file_problem(output, config) if resume else ""
        if problem is None:
            return PreparedSweep(config, fresh, checkpoint_file, already_complete=True)
        raise ValueError(
            f"output={str(output)!r} already exists"
            + (f" and {problem}" if problem else "")
            + ": choose another output or pass --force to overwrite it"
        )
    return PreparedSweep(config, fresh, checkpoint_file, already_complete=False)


def _batches(config: SweepConfig, todo: np.ndarray, batch_size: int) -> list[list[Task]]:
    seed_parameter = config.observable.seed_parameter
    tasks = []
    for index, kwargs in zip(todo.tolist(), config.task_parameters(todo), strict=True):
        if seed_parameter is not None:
            kwargs[seed_parameter] = task_seed(config.seed, index)
        tasks.append(Task(index, kwargs))
    return [tasks[i : i + batch_size] for i in range(0, len(tasks), batch_size)]


def auto_batch_size(n_tasks: int, slots: int) -> int:
    """About eight batches per worker slot: amortises overhead, keeps the load balanced."""
    return max(1, math.ceil(n_tasks / (8 * slots)))


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Treat SIGTERM (batch systems, ``kill``) like Ctrl-C while the sweep runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_sweep(
    prepared: PreparedSweep,
    executor: Executor | None = None,
    *,
    batch_size: int | None = None,
    checkpoint_interval: float = 5.0,
    progress: bool = True,
) -> SweepOutcome:
    """Evaluate the missing grid points, checkpointing as results arrive; write the Dataset.

    ``executor`` defaults to serial in-process evaluation. ``batch_size=None`` picks
    :func:`auto_batch_size`. On any interruption -- while evaluating or while writing the
    Dataset -- the checkpoint is saved if this session finished a grid point, and the exception
    propagates (KeyboardInterrupt for Ctrl-C and SIGTERM). An interruption before the first
    point finished leaves no new checkpoint: there is nothing to resume.
    """
    config, checkpoint = prepared.config, prepared.checkpoint
    if prepared.already_complete:
        return SweepOutcome(open_sweep(config.output), config.output, 0, config.n_tasks)
    checkpoint_interval = execution_value(
        "checkpoint_interval", checkpoint_interval, "checkpoint_interval"
    )
    if batch_size is not None:
        batch_size = execution_value("batch_size", batch_size, "batch_size")
    owns_executor = executor is None
    executor = executor or make_executor(1)
    todo = np.flatnonzero(~checkpoint.done)
    resumed_from = config.n_tasks - len(todo)
    size = batch_size or auto_batch_size(len(todo), executor.slots)
    batches = _batches(config, todo, size)
    observable = config.observable
    session_start = time.monotonic()
    last_save = session_start
    evaluated = 0

    def progress_so_far() -> Checkpoint:
        elapsed = time.monotonic() - session_start
        return Checkpoint(
            checkpoint.config_hash,
            checkpoint.values,
            checkpoint.done,
            checkpoint.started_at,
            checkpoint.compute_seconds + elapsed,
            checkpoint.sessions,
        )

    def save() -> None:
        save_checkpoint(prepared.checkpoint_file, progress_so_far())

    bar = tqdm(
        total=config.n_tasks,
        initial=resumed_from,
        unit="pt",
        desc=observable.name,
        disable=not progress,
        dynamic_ncols=True,
        smoothing=0.1,
    )
    try:
        with _sigterm_as_interrupt():
            try:
                with bar:
                    results = executor.run(observable.function, len(observable.outputs), batches)
                    for batch_result in results:
                        for index, outputs in batch_result:
                            checkpoint.values[:, index] = outputs
                            checkpoint.done[index] = True
                        evaluated += len(batch_result)
                        bar.update(len(batch_result))
                        if time.monotonic() - last_save >= checkpoint_interval:
                            save()
                            last_save = time.monotonic()
                dataset = build_dataset(config, progress_so_far(), utc_now(), executor.description)
                write_dataset(dataset, config.output)
            except BaseException:
                if checkpoint.done.sum() > resumed_from:
                    with interrupts_ignored():  # a second Ctrl-C cannot lose the checkpoint
                        save()
                raise
    finally:
        if owns_executor:
            executor.close()
    prepared.checkpoint_file.unlink(missing_ok=True)
    return SweepOutcome(dataset, config.output, evaluated, resumed_from)
