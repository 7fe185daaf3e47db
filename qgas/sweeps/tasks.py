"""Units of work of a sweep and the function that runs them in a worker.

A task is one grid point: its flat index, the observable's keyword arguments, and -- for
random observables -- its seed. Seeds derive from the configuration alone: task ``i`` of a
sweep with root seed ``s`` uses ``SeedSequence(s).spawn(n)[i]`` (built directly as
``SeedSequence(s, spawn_key=(i,))``), reduced to a non-negative 63-bit integer the way
:func:`physics.tonks_girardeau.disorder.realisation_seeds` reduces its children. So a result
depends on the grid point and the root seed only, never on the executor, the number of workers,
the batch size or the order in which tasks finish.

Tasks travel in batches (lists); :func:`run_batch` is a module-level function so that
``pickle`` sends it to local processes and Dask workers by reference.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

__all__ = ["Task", "TaskFailed", "TaskRefused", "import_function", "run_batch", "task_seed"]


@dataclass(frozen=True)
class Task:
    """One evaluation: grid index and the full keyword arguments (seed included)."""

    index: int
    kwargs: dict[str, Any]


class TaskFailed(RuntimeError):
    """An observable raised at a grid point; the message names the point."""


class TaskRefused(TaskFailed):
    """The observable refused a grid point's arguments (``ValueError``): the same point is
    refused again on ``--resume``, unlike a crash or a lost worker."""


def task_seed(root_seed: int, index: int) -> int:
    """The integer seed of task ``index``: child ``index`` of ``SeedSequence(root_seed)``."""
    child = np.random.SeedSequence(root_seed, spawn_key=(index,))
    return int(child.generate_state(1, dtype=np.uint64)[0] >> 1)


@cache
def import_function(path: str) -> Callable[..., Any]:
    """The callable named ``"package.module:attribute"``, imported once per process."""
    module_name, _, attribute = path.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def run_batch(function: str, n_outputs: int, batch: Sequence[Task]) -> list[tuple[int, tuple]]:
    """Evaluate ``function`` for every task of ``batch``; returns ``(index, outputs)`` pairs.

    ``outputs`` is a tuple of ``n_outputs`` floats. An exception from the observable is
    re-raised as :class:`TaskFailed` naming the parameters, so the sweep can say where it broke.
    """
    call = import_function(function)
    results = []
    for task in batch:
        try:
            value = call(**task.kwargs)
        except Exception as exc:
            failure = TaskRefused if isinstance(exc, ValueError) else TaskFailed
            raise failure(f"{function}({_format_kwargs(task.kwargs)}) failed: {exc!r}") from exc
        results.append((task.index, _as_outputs(value, n_outputs, function)))
    return results


def _as_outputs(value: Any, n_outputs: int, function: str) -> tuple[float, ...]:
    values = np.asarray(value, dtype=float).reshape(-1)
    if values.size != n_outputs:
        raise TaskFailed(f"{function} returned {values.size} values, expected {n_outputs}")
    return tuple(float(v) for v in values)


def _format_kwargs(kwargs: dict[str, Any]) -> str:
    return ", ".join(f"{key}={value!r}" for key, value in kwargs.items())
