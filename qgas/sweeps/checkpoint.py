"""Checkpoints of a running sweep: which tasks are done and their results.

A checkpoint is an ``.npz`` file beside the output (``<output>.checkpoint.npz``), rewritten
atomically (temporary file, fsync, :func:`os.replace`), so an interruption at any instant
leaves the previous or the new checkpoint, never a torn one. It stores the configuration hash,
so ``--resume`` refuses a checkpoint written by a different sweep.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qgas.sweeps.files import atomic_output

__all__ = ["Checkpoint", "checkpoint_path", "load_checkpoint", "save_checkpoint"]


@dataclass
class Checkpoint:
    """Progress of one sweep: results so far and bookkeeping for the provenance."""

    config_hash: str
    values: np.ndarray  # (n_outputs, n_tasks) float, NaN where not done
    done: np.ndarray  # (n_tasks,) bool
    started_at: str  # ISO 8601 UTC time the sweep first started
    compute_seconds: float  # wall time spent in sessions before the current one
    sessions: int  # number of sessions that contributed (1 + number of resumes)

    @classmethod
    def empty(cls, config_hash: str, n_outputs: int, n_tasks: int, started_at: str) -> Checkpoint:
        return cls(
            config_hash,
            np.full((n_outputs, n_tasks), np.nan),
            np.zeros(n_tasks, dtype=bool),
            started_at,
            0.0,
            1,
        )


def checkpoint_path(output: Path) -> Path:
    """Where the checkpoint of the sweep writing ``output`` lives."""
    return output.with_name(output.name + ".checkpoint.npz")


def save_checkpoint(path: Path, checkpoint: Checkpoint) -> None:
    """Write ``checkpoint`` to ``path`` atomically."""
    meta = {
        "config_hash": checkpoint.config_hash,
        "started_at": checkpoint.started_at,
        "compute_seconds": checkpoint.compute_seconds,
        "sessions": checkpoint.sessions,
    }
    with atomic_output(path) as temporary, open(temporary, "wb") as handle:
        np.savez(handle, values=checkpoint.values, done=checkpoint.done, meta=json.dumps(meta))


def load_checkpoint(path: Path) -> Checkpoint:
    """Read a checkpoint written by :func:`save_checkpoint` (ValueError if unreadable)."""
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            return Checkpoint(
                meta["config_hash"],
                data["values"],
                data["done"],
                meta["started_at"],
                float(meta["compute_seconds"]),
                int(meta["sessions"]),
            )
    except (OSError, KeyError, ValueError) as exc:
        raise ValueError(f"checkpoint {str(path)!r} is unreadable: {exc}") from None
