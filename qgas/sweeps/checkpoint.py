"""Checkpoints of a running sweep: which tasks are done and their results.

A checkpoint is an ``.npz`` file beside the output (``<output>.checkpoint.npz``), rewritten
atomically (temporary file, fsync, :func:`os.replace`), so an interruption at any instant
leaves the previous or the new checkpoint, never a torn one. It stores the configuration hash,
so ``--resume`` refuses a checkpoint written by a different sweep, and the SHA-256 of its
results (:func:`results_digest`: configuration hash, values and done flags), so a checkpoint
whose results changed after they were written -- a value overwritten with NaN, a point marked
done that never ran -- is refused as a whole rather than merged: which points are damaged
cannot be known, and a NaN may be a computed result, so none is recomputed selectively.

Reading treats the file as untrusted: the array headers are checked (names, types, shapes, at
most :data:`~qgas.sweeps.config.MAX_GRID_POINTS` tasks) before any array is read, and the
metadata before it reaches the output file (``started_at`` an ISO 8601 time, ``sessions`` at
most :data:`MAX_SESSIONS`, ``compute_seconds`` finite), so an empty, truncated, garbage or
forged file gives one :class:`ValueError`, never a traceback, a huge allocation or a failure
after all the work when the NetCDF file is written.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import numpy as np
from numpy.lib import format as npy_format

from qgas.sweeps.config import MAX_GRID_POINTS
from qgas.sweeps.files import atomic_output

__all__ = [
    "MAX_SESSIONS",
    "Checkpoint",
    "checkpoint_path",
    "load_checkpoint",
    "results_digest",
    "save_checkpoint",
]

#: Most outputs per observable a checkpoint may hold.
MAX_OUTPUTS = 64
#: Most sessions (1 + resumes) a checkpoint may count: far beyond any real use, and the count
#: plus one stays a 32-bit integer in the output's ``sessions`` attribute.
MAX_SESSIONS = 2**31 - 2
#: Longest metadata string (characters).
_MAX_META_CHARACTERS = 4096
_HASH = re.compile(r"[0-9a-f]{64}")


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


def results_digest(config_hash: str, values: np.ndarray, done: np.ndarray) -> str:
    """SHA-256 (hex) of a checkpoint's configuration hash, values (little-endian float64,
    row-major, NaN payloads included) and done flags (one byte each), in that order."""
    digest = hashlib.sha256(config_hash.encode())
    digest.update(np.ascontiguousarray(values, dtype="<f8").tobytes())
    digest.update(np.ascontiguousarray(done, dtype=np.uint8).tobytes())
    return digest.hexdigest()


def save_checkpoint(path: Path, checkpoint: Checkpoint) -> None:
    """Write ``checkpoint`` to ``path`` atomically, with the digest of its results."""
    meta = {
        "config_hash": checkpoint.config_hash,
        "results_sha256": results_digest(
            checkpoint.config_hash, checkpoint.values, checkpoint.done
        ),
        "started_at": checkpoint.started_at,
        "compute_seconds": checkpoint.compute_seconds,
        "sessions": checkpoint.sessions,
    }
    with atomic_output(path) as temporary, open(temporary, "wb") as handle:
        np.savez(handle, values=checkpoint.values, done=checkpoint.done, meta=json.dumps(meta))


class _Malformed(Exception):
    """A checkpoint that parses but does not have the structure :func:`save_checkpoint` writes."""


def _array_header(handle: IO[bytes]) -> tuple[tuple[int, ...], np.dtype]:
    version = npy_format.read_magic(handle)
    read = (
        npy_format.read_array_header_1_0 if version == (1, 0) else npy_format.read_array_header_2_0
    )
    shape, _, dtype = read(handle)
    return shape, dtype


def _check_headers(archive: zipfile.ZipFile) -> None:
    """Names, types and sizes of the stored arrays, read from their headers only."""
    names = sorted(archive.namelist())
    if names != ["done.npy", "meta.npy", "values.npy"]:
        raise _Malformed(f"members {names}, expected done.npy, meta.npy, values.npy")
    headers = {}
    for name in names:
        with archive.open(name) as handle:
            headers[name.removesuffix(".npy")] = _array_header(handle)
    (values_shape, values_dtype), (done_shape, done_dtype) = headers["values"], headers["done"]
    meta_shape, meta_dtype = headers["meta"]
    if values_dtype != np.float64 or done_dtype != np.bool_ or meta_dtype.kind != "U":
        raise _Malformed("arrays of the wrong type")
    if len(values_shape) != 2 or done_shape != values_shape[1:] or meta_shape != ():
        raise _Malformed(f"arrays of inconsistent shapes {values_shape}, {done_shape}")
    if values_shape[0] > MAX_OUTPUTS or values_shape[1] > MAX_GRID_POINTS:
        raise _Malformed(f"values of shape {values_shape} exceed the sweep limits")
    if meta_dtype.itemsize > 4 * _MAX_META_CHARACTERS:
        raise _Malformed("metadata too long")


def _is_hash(value: object) -> bool:
    return isinstance(value, str) and _HASH.fullmatch(value) is not None


def _is_utc_time(value: object) -> bool:
    """Whether ``value`` is an ISO 8601 time as :func:`~qgas.sweeps.runner.utc_now` writes."""
    if not isinstance(value, str) or not value.isascii() or len(value) > 64:
        return False
    try:
        return datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def _meta(text: str) -> dict[str, Any]:
    meta = json.loads(text)
    if not isinstance(meta, dict):
        raise _Malformed("metadata is not a JSON object")
    seconds, sessions = meta.get("compute_seconds"), meta.get("sessions")
    if not (
        _is_hash(meta.get("config_hash"))
        and _is_utc_time(meta.get("started_at"))
        and isinstance(seconds, (int, float))
        and not isinstance(seconds, bool)
        and math.isfinite(seconds)
        and seconds >= 0
        and isinstance(sessions, int)
        and not isinstance(sessions, bool)
        and 1 <= sessions <= MAX_SESSIONS
    ):
        raise _Malformed(
            "metadata lacks or mistypes config_hash, started_at (ISO 8601 UTC), sessions "
            f"(1 to {MAX_SESSIONS}) or compute_seconds"
        )
    if not _is_hash(meta.get("results_sha256")):
        raise _Malformed("no checksum of its results (written by an older qgas?)")
    return meta


def load_checkpoint(path: Path) -> Checkpoint:
    """Read a checkpoint written by :func:`save_checkpoint`.

    Raises
    ------
    ValueError
        The file cannot be read or is not such a checkpoint (empty, truncated, garbage, wrong
        arrays or metadata), or its results do not match their checksum; the message names
        the file and says how to start over.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            _check_headers(archive)
        with np.load(path, allow_pickle=False) as data:
            meta = _meta(str(data["meta"]))
            values, done = data["values"], data["done"]
    # The file is untrusted input: whatever fails while parsing it means "not a checkpoint".
    except Exception as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        reason = " ".join(reason.split())[:200] or type(exc).__name__
        raise ValueError(
            f"checkpoint {str(path)!r} is unreadable ({reason}); "
            "pass --force to start the sweep over"
        ) from None
    if results_digest(meta["config_hash"], values, done) != meta["results_sha256"]:
        raise ValueError(
            f"checkpoint {str(path)!r} was changed after it was written (its results do not "
            "match their checksum), so none of them can be trusted; pass --force to start the "
            "sweep over"
        )
    return Checkpoint(
        meta["config_hash"],
        values,
        done,
        meta["started_at"],
        float(meta["compute_seconds"]),
        int(meta["sessions"]),
    )
