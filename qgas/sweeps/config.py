"""Sweep configurations: parsing a TOML file (or command-line flags) and validating it.

A configuration names a registered observable, the parameters to sweep (``[grid]``, one
coordinate of the output Dataset each, in file order), the parameters held fixed
(``[fixed]``), the root ``seed`` for observables that need randomness, the ``output`` file and
optional ``[execution]`` settings. Everything is checked here, before any work starts:
an unknown observable or parameter, an empty, duplicated or non-finite grid, a value outside a
parameter's range, a missing or superfluous seed, a grid larger than :data:`MAX_GRID_POINTS`
points (or an axis longer than :data:`MAX_AXIS_POINTS`), an out-of-range ``[execution]`` setting
-- each raises :class:`ValueError` naming the key, the value and what is valid. The free-text
``description`` may hold no control character but tab and newline. Sizes are checked
before anything of that size is allocated. Example::

    observable = "lieb_liniger.ground_state_energy"
    output = "energy.nc"

    [grid]
    gamma = { start = 0.01, stop = 100.0, num = 41, spacing = "log" }

Grid entries are a list of values, ``{ values = [...] }`` or ``{ start, stop, num, spacing }``
with ``spacing`` ``"linear"`` (default) or ``"log"``. Relative ``output`` paths are resolved
against the directory of the configuration file.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from qgas.bounds import bounded_integer, bounded_real
from qgas.sweeps.registry import Observable, Parameter, Registry

__all__ = [
    "EXECUTION_KEYS",
    "MAX_AXIS_POINTS",
    "MAX_CHECKPOINT_INTERVAL",
    "MAX_CONFIG_BYTES",
    "MAX_DESCRIPTION_CHARACTERS",
    "MAX_GRID_POINTS",
    "MAX_SEED",
    "GridAxis",
    "SweepConfig",
    "config_from_mapping",
    "execution_value",
    "load_config",
    "max_workers",
    "parse_grid_flag",
    "parse_value",
]

_TOP_LEVEL_KEYS = ("observable", "output", "seed", "description", "grid", "fixed", "execution")
#: Keys allowed in the ``[execution]`` table (command-line flags override them).
EXECUTION_KEYS = ("workers", "scheduler", "batch_size", "checkpoint_interval")
_RANGE_KEYS = ("start", "stop", "num", "spacing")

#: Most grid points of one sweep (one task each; 10⁶ tasks take ~0.5 GB of task records).
MAX_GRID_POINTS = 1_000_000
#: Most values along one grid axis.
MAX_AXIS_POINTS = 100_000
#: Longest time between two checkpoints (seconds).
MAX_CHECKPOINT_INTERVAL = 3600.0
#: Largest root seed (the NetCDF attribute holding it is a signed 64-bit integer).
MAX_SEED = 2**63 - 1
#: Largest configuration file read.
MAX_CONFIG_BYTES = 2**20
#: Longest ``description`` (stored as the file's title).
MAX_DESCRIPTION_CHARACTERS = 4096


def max_workers() -> int:
    """Most local worker processes: four per CPU available to this process."""
    return 4 * len(os.sched_getaffinity(0))


def execution_value(key: str, value: Any, where: str) -> Any:
    """One ``[execution]`` setting (or its flag, named ``where``) checked against its range.

    ``scheduler`` is returned as given: its executor checks it.
    """
    if key == "workers":
        return bounded_integer(where, value, 1, max_workers())
    if key == "batch_size":
        return bounded_integer(where, value, 1, MAX_GRID_POINTS)
    if key == "checkpoint_interval":
        return bounded_real(where, value, 0.0, MAX_CHECKPOINT_INTERVAL)
    return value


@dataclass(frozen=True)
class GridAxis:
    """One swept parameter: a coordinate of the output Dataset."""

    parameter: Parameter
    values: np.ndarray

    @property
    def name(self) -> str:
        return self.parameter.name


@dataclass(frozen=True)
class SweepConfig:
    """A validated sweep: what to evaluate where, and where to write it."""

    observable: Observable
    axes: tuple[GridAxis, ...]
    fixed: dict[str, Any]
    seed: int | None
    output: Path
    description: str = ""
    execution: dict[str, Any] = field(default_factory=dict)

    @property
    def shape(self) -> tuple[int, ...]:
        """Grid shape, one entry per axis in order."""
        return tuple(len(axis.values) for axis in self.axes)

    @property
    def n_tasks(self) -> int:
        """Number of grid points (one evaluation each)."""
        return math.prod(self.shape)

    def task_parameters(self, indices: np.ndarray) -> list[dict[str, Any]]:
        """Keyword arguments of the observable at each flat (row-major) grid index."""
        positions = np.unravel_index(np.asarray(indices, dtype=np.intp), self.shape)
        names = [axis.name for axis in self.axes]
        columns = [
            axis.values[position].tolist()
            for axis, position in zip(self.axes, positions, strict=True)
        ]
        return [
            {**dict(zip(names, row, strict=True)), **self.fixed}
            for row in zip(*columns, strict=True)
        ]

    def canonical(self) -> dict[str, Any]:
        """The sweep's definition as plain JSON data: what the results depend on.

        Output path and execution settings are excluded: they do not change the numbers.
        """
        return {
            "observable": self.observable.name,
            "grid": [[axis.name, axis.values.tolist()] for axis in self.axes],
            "fixed": dict(sorted(self.fixed.items())),
            "seed": self.seed,
        }

    def canonical_json(self) -> str:
        return json.dumps(self.canonical(), separators=(",", ":"))

    @property
    def config_hash(self) -> str:
        """SHA-256 of :meth:`canonical_json`; a checkpoint resumes only the same sweep."""
        return hashlib.sha256(self.canonical_json().encode()).hexdigest()


def load_config(
    path: str | Path, registry: Registry, overrides: Mapping[str, Any] | None = None
) -> SweepConfig:
    """Read and validate a TOML sweep configuration (ValueError naming what is wrong).

    ``overrides`` replaces top-level keys (``seed``, ``output``) before validation, as the
    command-line flags do.
    """
    path = Path(path)
    where = f"config file {str(path)!r}"
    try:
        if not path.is_file():
            problem = "is not a regular file" if path.exists() else "does not exist"
            raise ValueError(f"{where} {problem}")
        if path.stat().st_size > MAX_CONFIG_BYTES:
            raise ValueError(f"{where} is larger than {MAX_CONFIG_BYTES} bytes")
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"{where} cannot be read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ValueError(f"{where} is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{where} is not valid TOML: {exc}") from None
    data.update(overrides or {})
    try:
        return config_from_mapping(data, registry, base_dir=path.resolve().parent)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None


def config_from_mapping(
    data: Mapping[str, Any], registry: Registry, base_dir: Path | None = None
) -> SweepConfig:
    """Validate a configuration given as a mapping (parsed TOML or built from flags)."""
    _reject_unknown("config", data, _TOP_LEVEL_KEYS)
    if "observable" not in data:
        raise ValueError("'observable' is missing; name one of: " + ", ".join(sorted(registry)))
    if not isinstance(data["observable"], str):
        raise ValueError(f"observable={data['observable']!r} must be a name (a string)")
    observable = registry[data["observable"]]
    if not observable.outputs:
        raise ValueError(f"observable {observable.name!r} declares no outputs: nothing to store")
    grid = _table(data, "grid")
    fixed_input = _table(data, "fixed")
    execution = _table(data, "execution")
    _reject_unknown("execution", execution, EXECUTION_KEYS)
    execution = {key: execution_value(key, v, f"execution.{key}") for key, v in execution.items()}
    if not grid:
        raise ValueError("grid is empty: sweep at least one parameter of " + observable.name)

    if observable.seed_parameter in grid or observable.seed_parameter in fixed_input:
        raise ValueError(
            f"parameter {observable.seed_parameter!r} is set per task from the top-level "
            "'seed'; remove it from [grid] and [fixed]"
        )
    axes = tuple(
        GridAxis(observable.parameter(name), _axis_values(observable.parameter(name), spec))
        for name, spec in grid.items()
    )
    points = math.prod(len(axis.values) for axis in axes)
    if points > MAX_GRID_POINTS:
        shape = " x ".join(str(len(axis.values)) for axis in axes)
        raise ValueError(
            f"grid has {shape} = {points} points; at most {MAX_GRID_POINTS} are allowed "
            "(split the sweep into several files)"
        )
    fixed: dict[str, Any] = {}
    for name, value in fixed_input.items():
        parameter = observable.parameter(name)
        if name in grid:
            raise ValueError(f"parameter {name!r} is both in [grid] and in [fixed]")
        fixed[name] = _fixed_value(parameter, value)
    for parameter in observable.parameters:
        if parameter.name in grid or parameter.name in fixed:
            continue
        if parameter.default is None and parameter.optional:
            continue
        if parameter.default is None:
            raise ValueError(
                f"parameter {parameter.name!r} of {observable.name} is required: give it in "
                f"[grid] or [fixed] (valid range {parameter.describe_range()})"
            )
        fixed[parameter.name] = parameter.default

    _check_combinations(observable, axes, fixed)
    seed = _seed(observable, data.get("seed"))
    output = _output_path(data.get("output"), base_dir)
    description = _description(data.get("description", ""))
    return SweepConfig(observable, axes, fixed, seed, output, description, dict(execution))


def _description(description: Any) -> str:
    """The free text stored as the file's ``title``: a string of at most
    :data:`MAX_DESCRIPTION_CHARACTERS` without control characters other than tab and newline
    (a NUL made the NetCDF writer fail after all the work)."""
    if not isinstance(description, str):
        raise ValueError(f"description={description!r} must be a string")
    if len(description) > MAX_DESCRIPTION_CHARACTERS:
        raise ValueError(
            f"description has {len(description)} characters; at most "
            f"{MAX_DESCRIPTION_CHARACTERS} are allowed"
        )
    for position, character in enumerate(description):
        if unicodedata.category(character) == "Cc" and character not in "\t\n":
            raise ValueError(
                f"description contains the control character U+{ord(character):04X} at "
                f"position {position}; valid: printable text, tabs and newlines"
            )
    return description


def _check_combinations(
    observable: Observable, axes: tuple[GridAxis, ...], fixed: dict[str, Any]
) -> None:
    """The observable's ``check`` on the whole grid at once (each axis along its own
    dimension, so nothing of the grid's size is allocated beyond the check's own arrays)."""
    if observable.check is None:
        return
    from qgas.sweeps.tasks import import_function

    arrays = {
        axis.name: axis.values.reshape([-1 if i == k else 1 for i in range(len(axes))])
        for k, axis in enumerate(axes)
    }
    import_function(observable.check)(**arrays, **fixed)


def _reject_unknown(where: str, data: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = [key for key in data if key not in allowed]
    if unknown:
        raise ValueError(
            f"unknown key(s) {', '.join(map(repr, unknown))} in {where}; "
            f"valid keys: {', '.join(allowed)}"
        )


def _table(data: Mapping[str, Any], key: str) -> dict[str, Any]:
    table = data.get(key, {})
    if not isinstance(table, Mapping):
        raise ValueError(f"[{key}] must be a table, not {table!r}")
    return dict(table)


def _axis_values(parameter: Parameter, spec: Any) -> np.ndarray:
    where = f"grid.{parameter.name}"
    if isinstance(spec, Mapping):
        if "values" in spec:
            _reject_unknown(where, spec, ("values",))
            raw = spec["values"]
        else:
            _reject_unknown(where, spec, _RANGE_KEYS)
            raw = _range_values(where, spec)
    else:
        raw = spec
    if not isinstance(raw, (list, tuple, np.ndarray)):
        raise ValueError(f"{where}={spec!r} must be a list of values or a range table")
    if len(raw) == 0:
        raise ValueError(f"{where} is empty: give at least one value")
    if len(raw) > MAX_AXIS_POINTS:
        raise ValueError(f"{where} has {len(raw)} values; at most {MAX_AXIS_POINTS} are allowed")
    try:
        values = parameter.validate(list(raw))
    except ValueError as exc:
        raise ValueError(f"grid.{exc}") from None  # grid.NAME=VALUE, like grid.NAME.start
    distinct, counts = np.unique(values, return_counts=True)
    if len(distinct) != len(values):
        repeated = distinct[counts > 1][:5].tolist()
        raise ValueError(f"{where} contains duplicate values: {', '.join(map(repr, repeated))}")
    return values


def _range_values(where: str, spec: Mapping[str, Any]) -> np.ndarray:
    missing = [key for key in ("start", "stop", "num") if key not in spec]
    if missing:
        raise ValueError(f"{where} range is missing {', '.join(missing)}")
    start, stop = (_finite(f"{where}.{key}", spec[key]) for key in ("start", "stop"))
    num = bounded_integer(f"{where}.num", spec["num"], 1, MAX_AXIS_POINTS)
    spacing = spec.get("spacing", "linear")
    if spacing == "linear":
        return np.linspace(start, stop, num)
    if spacing == "log":
        if start <= 0 or stop <= 0:
            raise ValueError(
                f"{where}: log spacing needs start > 0 and stop > 0, not {start:g} and {stop:g}"
            )
        return np.geomspace(start, stop, num)
    raise ValueError(f"{where}.spacing={spacing!r} is not one of 'linear', 'log'")


def _finite(where: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{where}={value!r} must be a finite number")
    return float(value)


def _fixed_value(parameter: Parameter, value: Any) -> Any:
    if isinstance(value, (list, tuple, Mapping)):
        raise ValueError(
            f"fixed.{parameter.name}={value!r} must be a single value (sweep it in [grid])"
        )
    try:
        return parameter.validate(value)[0].item()
    except ValueError as exc:
        raise ValueError(f"fixed.{exc}") from None


def _seed(observable: Observable, seed: Any) -> int | None:
    if not observable.needs_seed:
        if seed is not None:
            raise ValueError(
                f"seed={seed!r} given, but {observable.name} is deterministic; remove 'seed'"
            )
        return None
    if seed is None:
        raise ValueError(
            f"{observable.name} is random: give an integer 'seed' >= 0 (per-task seeds derive "
            "from it)"
        )
    return bounded_integer("seed", seed, 0, MAX_SEED)


def _output_path(output: Any, base_dir: Path | None) -> Path:
    if not isinstance(output, str) or not output.strip():
        raise ValueError(f"output={output!r} must name the NetCDF file to write (e.g. 'sweep.nc')")
    path = Path(output).expanduser()
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    return path


def parse_value(text: str) -> int | float | str:
    """A command-line value: an integer, else a float, else the string itself."""
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            continue
    return text


def parse_grid_flag(text: str) -> tuple[str, Any]:
    """``NAME=START:STOP:NUM``, ``NAME=log:START:STOP:NUM`` or ``NAME=V1,V2,...`` -> grid entry."""
    name, sep, spec = text.partition("=")
    if not sep or not name or not spec:
        raise ValueError(
            f"--grid {text!r} must be NAME=START:STOP:NUM, NAME=log:START:STOP:NUM or "
            "NAME=V1,V2,..."
        )
    if ":" not in spec:
        return name, [parse_value(item) for item in spec.split(",")]
    parts = spec.split(":")
    spacing = "linear"
    if parts[0] in ("log", "linear"):
        spacing = parts.pop(0)
    if len(parts) != 3:
        raise ValueError(f"--grid {text!r}: a range is [log:]START:STOP:NUM")
    start, stop, num = (parse_value(part) for part in parts)
    return name, {"start": start, "stop": stop, "num": num, "spacing": spacing}
