"""Assembling a finished sweep into an :class:`xarray.Dataset` with units and provenance.

Layout: one dimension per ``[grid]`` parameter (coordinate values and ``units``), the
``[fixed]`` parameters as scalar coordinates, one data variable per output of the observable,
and for random observables ``task_seed``, the integer seed each grid point was evaluated with.
Global attributes record the provenance: package and library versions, the observable and
the function it calls, the canonical configuration (JSON) and its hash, the root seed, the
start and end time (UTC), the compute time and the executor.
"""

from __future__ import annotations

import platform
import re
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from qgas.sweeps.checkpoint import Checkpoint
from qgas.sweeps.config import SweepConfig
from qgas.sweeps.files import atomic_output
from qgas.sweeps.tasks import task_seed

__all__ = ["NETCDF_ENGINE", "build_dataset", "open_sweep", "sweep_file_problem", "write_dataset"]

NETCDF_ENGINE = "h5netcdf"

#: What the units of every variable mean (the ``units`` attributes: "n^2", "1/n", "1").
UNITS_CONVENTION = (
    "hbar = 2m = k_B = 1 and density n = 1: energies in units of n^2 (hbar^2 n^2 / 2m), "
    "lengths in 1/n, '1' is dimensionless; lattice energies in E_R or E_K as named"
)
#: Attributes that differ between two runs of the same sweep (time, machine, executor).
RUN_ATTRIBUTES = ("started_at", "finished_at", "compute_seconds", "sessions", "executor")


def build_dataset(
    config: SweepConfig, checkpoint: Checkpoint, finished_at: str, executor: str
) -> xr.Dataset:
    """The Dataset of a completed sweep from its configuration and final checkpoint."""
    from qgas import __version__

    dims = [axis.name for axis in config.axes]
    coords: dict[str, Any] = {
        axis.name: (axis.name, axis.values, _attrs(axis.parameter.units, axis.parameter.doc))
        for axis in config.axes
    }
    for name, value in config.fixed.items():
        parameter = config.observable.parameter(name)
        coords[name] = ((), value, _attrs(parameter.units, parameter.doc))
    data_vars: dict[str, Any] = {}
    for k, output in enumerate(config.observable.outputs):
        values = checkpoint.values[k].reshape(config.shape)
        attrs = _attrs(output.units, output.doc)
        if output.categories:
            values = values.astype(np.int16)
            attrs["flag_values"] = np.arange(len(output.categories), dtype=np.int16)
            attrs["flag_meanings"] = " ".join(_flag_word(label) for label in output.categories)
            attrs["category_labels"] = "; ".join(output.categories)
        data_vars[output.name] = (dims, values, attrs)
    if config.seed is not None:
        seeds = np.array([task_seed(config.seed, i) for i in range(config.n_tasks)], np.int64)
        data_vars["task_seed"] = (
            dims,
            seeds.reshape(config.shape),
            {"long_name": "integer seed of the evaluation at this grid point", "units": "1"},
        )
    attrs = {
        "title": config.description or f"sweep of {config.observable.name}",
        "Conventions": "CF-1.8",
        "observable": config.observable.name,
        "function": config.observable.function,
        "source": f"{config.observable.doc} (computed by {config.observable.function})",
        "units_convention": UNITS_CONVENTION,
        "qgas_version": __version__,
        "python_version": platform.python_version(),
        "numpy_version": np.__version__,
        "config": config.canonical_json(),
        "config_hash": config.config_hash,
        "started_at": checkpoint.started_at,
        "finished_at": finished_at,
        "compute_seconds": checkpoint.compute_seconds,
        "sessions": checkpoint.sessions,
        "executor": executor,
    }
    if config.seed is not None:
        attrs["seed"] = config.seed
        attrs["seed_rule"] = (
            "grid point i (row-major over the grid dimensions) uses the integer "
            "SeedSequence(seed, spawn_key=(i,)).generate_state(1, uint64)[0] >> 1"
        )
    return xr.Dataset(data_vars, coords, attrs)


def _flag_word(label: str) -> str:
    """A category label as one CF flag meaning: ASCII letters, digits, '_' and '-' (a Greek
    letter by its name: 'crossover: T_D ≈ ω' -> 'crossover_T_D_approx_omega')."""
    characters = []
    for character in label.replace("≈", " approx "):
        if character.isascii():
            characters.append(character)
        elif unicodedata.name(character, "").startswith("GREEK"):
            characters.append(unicodedata.name(character).split()[-1].lower())
        else:
            characters.append(" ")
    return "_".join(re.sub(r"[^A-Za-z0-9_-]+", " ", "".join(characters)).split())


def _attrs(units: str, doc: str) -> dict[str, str]:
    return {"units": units, "long_name": doc}


def write_dataset(dataset: xr.Dataset, path: Path) -> None:
    """Write ``dataset`` as NetCDF-4 (h5netcdf) to ``path`` atomically."""
    with atomic_output(path) as temporary:
        dataset.to_netcdf(temporary, engine=NETCDF_ENGINE)


def sweep_file_problem(path: Path, config: SweepConfig) -> str | None:
    """Why the file at ``path`` is not the finished output of ``config`` (None if it is).

    Opens the file lazily (metadata only) and checks the configuration hash, the dimensions
    (the grid's names and sizes) and one data variable per output over those dimensions; any
    file that cannot be opened -- empty, truncated, not NetCDF -- is reported, never raised.
    """
    names = tuple(axis.name for axis in config.axes)
    try:
        with xr.open_dataset(path, engine=NETCDF_ENGINE) as dataset:
            if dataset.attrs.get("config_hash") != config.config_hash:
                return "was written by a different configuration"
            sizes, grid = dict(dataset.sizes), dict(zip(names, config.shape, strict=True))
            if sizes != grid:
                return f"has dimensions {sizes or '(none)'}, not the grid's {grid}"
            missing = [
                output.name
                for output in config.observable.outputs
                if output.name not in dataset.data_vars or dataset[output.name].dims != names
            ]
    # The file is untrusted input: whatever fails while opening it means "not a sweep file".
    except Exception as exc:
        return f"is not a readable NetCDF sweep file ({type(exc).__name__})"
    if missing:
        return f"lacks the data variable(s) {', '.join(missing)}"
    return None


def open_sweep(path: str | Path) -> xr.Dataset:
    """Load a sweep file written by ``qgas sweep`` fully into memory."""
    return xr.load_dataset(path, engine=NETCDF_ENGINE)
