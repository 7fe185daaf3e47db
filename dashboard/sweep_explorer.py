"""Reading stored ``qgas sweep`` files for the Sweeps view, safely, within stated limits.

A sweep file (``qgas/sweeps/dataset.py``) is an xarray Dataset in NetCDF-4: one dimension per
swept parameter (coordinate values with ``units`` and ``long_name``), scalar coordinates for
the fixed parameters, one data variable per output. The files come from a directory on the
server, but their contents are not trusted: a file may be truncated, garbage, enormous once
decompressed, or carry Markdown or HTML in its attributes.

:func:`read_layout` reads only metadata (shapes, coordinate values, attributes): it refuses
a file over :data:`MAX_FILE_BYTES` on disk, any variable over
:data:`MAX_VARIABLE_ELEMENTS` elements or :data:`MAX_VARIABLE_BYTES` bytes once decoded, and
variables of more than :data:`MAX_DECODED_BYTES` bytes together (checked from the shapes and
data types before any value is read; a dimension coordinate is read by xarray when the file
is opened, so the shapes are checked with h5netcdf first), more than :data:`MAX_DIMENSIONS`
dimensions or :data:`MAX_VARIABLES` variables, dimensions of more than
:data:`MAX_VARIABLE_ELEMENTS` points together, and a file with no data variable or no
dimension.
:func:`load_selection` reads one slice of a variable, refusing slices over
:data:`MAX_PLOTTED_VALUES` values before reading them. Every refusal is a
:class:`SweepFileError` whose message is plain text (callers escape it for display).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

__all__ = [
    "MAX_CONTROL_VALUES",
    "MAX_CURVES",
    "MAX_DECODED_BYTES",
    "MAX_DIMENSIONS",
    "MAX_FILE_BYTES",
    "MAX_PLOTTED_VALUES",
    "MAX_VARIABLES",
    "MAX_VARIABLE_BYTES",
    "MAX_VARIABLE_ELEMENTS",
    "Dimension",
    "Fixed",
    "Quantity",
    "SweepFileError",
    "SweepLayout",
    "Variable",
    "axis_label",
    "choice_options",
    "load_selection",
    "read_layout",
    "spans_decades",
    "sweep_files",
]

NETCDF_ENGINE = "h5netcdf"
#: Largest sweep file the server opens (bytes on disk).
MAX_FILE_BYTES = 64 * 2**20
#: Largest variable (coordinates included) of an opened file, in elements: 8 MB as float64.
MAX_VARIABLE_ELEMENTS = 1_000_000
#: Largest variable once decoded (bytes): a million float64 values, the most an honest output
#: holds (``qgas sweep`` writes float64 outputs, int16 categories, int64 seeds). A 218 kB gzip
#: file held 200 labels of dtype ``S1000000``: 200 MB decoded, 430 MB of server memory.
MAX_VARIABLE_BYTES = 8 * MAX_VARIABLE_ELEMENTS
#: Largest sum of all variables once decoded (bytes): ``qgas sweep`` writes uncompressed
#: files, so an honest file within :data:`MAX_FILE_BYTES` on disk holds no more than this.
MAX_DECODED_BYTES = MAX_FILE_BYTES
#: Most values drawn in one plot (curve points or heat-map cells).
MAX_PLOTTED_VALUES = 250_000
#: Most curves in one overlay (one per value of the overlay dimension).
MAX_CURVES = 100
#: Most values of a dimension held by a control (a slider's stops or a choice's labels):
#: every value goes to the browser with the control, and 100,000 labels made the page one
#: 6 MB message that took 75 s (400,000 slider stops: 14.8 MB).
MAX_CONTROL_VALUES = 2_000
#: Most dimensions of a file (one control per dimension not on an axis).
MAX_DIMENSIONS = 16
#: Most data variables of a file (a choice per variable).
MAX_VARIABLES = 64
#: Longest attribute text shown (characters); longer ones are cut with an ellipsis.
MAX_TEXT = 200
#: A positive quantity whose largest / smallest value exceeds this is drawn logarithmically.
DECADES_RATIO = 100.0
#: Data variables that are bookkeeping, not results.
HIDDEN_VARIABLES = ("task_seed",)


class SweepFileError(ValueError):
    """A sweep file or selection the view refuses (the message says why, as plain text)."""


@dataclass(frozen=True)
class Quantity:
    """A named quantity of a sweep file with its CF ``long_name`` and ``units`` attributes."""

    name: str
    long_name: str
    units: str

    @property
    def label(self) -> str:
        """What a person reads: the long name (else the name) with the units in brackets."""
        return axis_label(self.name, self.long_name, self.units)


@dataclass(frozen=True)
class Dimension(Quantity):
    """One dimension of a sweep: its coordinate values besides its name and attributes."""

    values: np.ndarray

    @property
    def numeric(self) -> bool:
        """Whether the coordinate is numeric (can be an axis)."""
        return self.values.dtype.kind in "fiu"


@dataclass(frozen=True)
class Variable(Quantity):
    """One data variable: its dimensions, number of elements and category names."""

    dims: tuple[str, ...]
    size: int
    categories: tuple[str, ...]


@dataclass(frozen=True)
class Fixed(Quantity):
    """A fixed parameter of a sweep (a scalar coordinate) and its value as text."""

    value: str


@dataclass(frozen=True)
class SweepLayout:
    """What a sweep file holds, read without its data values."""

    dimensions: dict[str, Dimension]
    variables: dict[str, Variable]
    fixed: dict[str, Fixed]
    attrs: dict[str, str]

    def label(self, name: object) -> str:
        """The label of the dimension, variable or fixed parameter ``name``; for a name the
        file does not hold (e.g. from a URL), the name itself as plain text."""
        for quantities in (self.dimensions, self.variables, self.fixed):
            if isinstance(name, str) and name in quantities:
                return quantities[name].label
        return plain_text(name)


def choice_options(quantities: list[Quantity]) -> dict[str, str]:
    """Options of a choice among ``quantities``: label -> name, in order.

    A label that two quantities share gets the name in parentheses, so no option hides
    another.
    """
    labels = [quantity.label for quantity in quantities]
    return {
        label if labels.count(label) == 1 else f"{label} ({plain_text(quantity.name)})": (
            quantity.name
        )
        for label, quantity in zip(labels, quantities, strict=True)
    }


def sweep_files(directory: Path) -> list[str]:
    """Names of the NetCDF files directly inside ``directory`` (no sub-directories, no links)."""
    if not directory.is_dir():
        return []
    return sorted(
        entry.name
        for entry in directory.iterdir()
        if entry.suffix == ".nc" and entry.is_file() and not entry.is_symlink()
    )


#: The first bytes of a NetCDF file: HDF5 (NetCDF-4) or classic NetCDF.
NETCDF_SIGNATURES = (b"\x89HDF\r\n\x1a\n", b"CDF\x01", b"CDF\x02")


def default_sweep_file(directory: Path, files: list[str]) -> str | None:
    """The file a fresh Sweeps view opens: the first that starts like a NetCDF file (an
    empty or foreign ``.nc`` first in the directory had opened the view on an error), else
    the first of ``files``."""
    for name in files:
        try:
            with open(directory / name, "rb") as handle:
                start = handle.read(8)
        except OSError:
            continue
        if start.startswith(NETCDF_SIGNATURES):
            return name
    return files[0] if files else None


def plain_text(value: object) -> str:
    """``value`` as one line of text of at most :data:`MAX_TEXT` characters."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.item()
    text = " ".join(str(value).split())
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def axis_label(name: str, long_name: str, units: str) -> str:
    """``long name [units]`` (no brackets for a dimensionless quantity, CF unit ``"1"``)."""
    text = long_name or plain_text(name)
    return f"{text} [{units}]" if units and units != "1" else text


def spans_decades(values: np.ndarray) -> bool:
    """Whether finite ``values`` are all positive and span more than two decades."""
    values = np.asarray(values)
    if values.dtype.kind not in "fiu":
        return False
    values = values[np.isfinite(values)]
    if values.size < 2 or np.any(values <= 0):
        return False
    return float(values.max()) / float(values.min()) > DECADES_RATIO


def _refuse_large_variables(path: Path) -> None:
    """Check every variable's shape and decoded size from the file's metadata (shapes and
    data types), before xarray reads anything.

    A variable-length string counts as its pointer (8 bytes): its text is stored
    uncompressed, so the file's size on disk bounds it.
    """
    import h5netcdf

    with h5netcdf.File(path, "r") as file:
        names = list(file.variables)
        if len(file.dimensions) > MAX_DIMENSIONS:
            raise SweepFileError(
                f"it has {len(file.dimensions)} dimensions; the server opens at most "
                f"{MAX_DIMENSIONS}"
            )
        # a dimension without a coordinate becomes an index of its length when the file is
        # opened, whatever its variables hold (QA: a 10⁹-long dimension under a variable of
        # zero values passed the shape checks and grew the server to 22 GB)
        lengths = {name: len(dimension) for name, dimension in file.dimensions.items()}
        if sum(lengths.values()) > MAX_VARIABLE_ELEMENTS:
            longest = max(lengths, key=lengths.__getitem__)
            raise SweepFileError(
                f"its dimensions hold {sum(lengths.values()):,} points (the longest, "
                f"{plain_text(longest)!r}, {lengths[longest]:,}); the server opens at most "
                f"{MAX_VARIABLE_ELEMENTS:,} in all"
            )
        if len(names) > MAX_VARIABLES + MAX_DIMENSIONS:
            raise SweepFileError(
                f"it has {len(names)} variables; the server opens at most {MAX_VARIABLES}"
            )
        decoded = {}
        for name in names:
            variable = file.variables[name]
            size = math.prod(variable.shape)
            if size > MAX_VARIABLE_ELEMENTS:
                raise SweepFileError(
                    f"variable {plain_text(name)!r} has {size:,} values; the server opens "
                    f"at most {MAX_VARIABLE_ELEMENTS:,} per variable"
                )
            itemsize = np.dtype(variable.dtype).itemsize
            decoded[name] = size * itemsize
            if decoded[name] > MAX_VARIABLE_BYTES:
                raise SweepFileError(
                    f"variable {plain_text(name)!r} is {decoded[name]:,} bytes once decoded "
                    f"({size:,} values of {itemsize:,} bytes); the server reads at most "
                    f"{MAX_VARIABLE_BYTES:,} bytes per variable"
                )
        total = sum(decoded.values())
        if total > MAX_DECODED_BYTES:
            largest = max(decoded, key=decoded.__getitem__)
            raise SweepFileError(
                f"its variables are {total:,} bytes once decoded (the largest, "
                f"{plain_text(largest)!r}, {decoded[largest]:,} bytes); the server reads at "
                f"most {MAX_DECODED_BYTES:,} bytes per file"
            )


def _open(path: Path) -> xr.Dataset:
    """The Dataset at ``path``, opened lazily (metadata and coordinates only), size-checked."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise SweepFileError(
            f"the file is {size / 2**20:.1f} MiB; the server opens sweep files of at most "
            f"{MAX_FILE_BYTES / 2**20:.0f} MiB"
        )
    try:
        _refuse_large_variables(path)
        return xr.open_dataset(path, engine=NETCDF_ENGINE, cache=False)
    except SweepFileError:
        raise
    except Exception as exc:  # truncated, empty, garbage, not HDF5: any reader error
        raise SweepFileError(
            f"it is not a readable NetCDF-4 sweep file ({type(exc).__name__}: {plain_text(exc)})"
        ) from None


def _attr(attrs: Mapping[str, Any], key: str) -> str:
    return plain_text(attrs[key]) if key in attrs else ""


def _categories(attrs: Mapping[str, Any]) -> tuple[str, ...]:
    """Labels of the integer codes of a categorical output (``category_labels``, "; "-joined)."""
    if "category_labels" not in attrs:
        return ()
    return tuple(plain_text(label) for label in str(attrs["category_labels"]).split("; "))


def _layout(dataset: xr.Dataset) -> SweepLayout:
    variables = {
        str(name): Variable(
            name=str(name),
            dims=tuple(str(dim) for dim in array.dims),
            size=int(array.size),
            long_name=_attr(array.attrs, "long_name"),
            units=_attr(array.attrs, "units"),
            categories=_categories(array.attrs),
        )
        for name, array in dataset.data_vars.items()
        if name not in HIDDEN_VARIABLES and array.ndim > 0 and array.dtype.kind in "fiub"
    }
    if not dataset.sizes:
        raise SweepFileError("it has no dimensions")
    if not variables:
        raise SweepFileError("it has no numeric data variable with dimensions to plot")
    dimensions = {}
    for dim in dataset.dims:
        coordinate = dataset[dim]  # an index coordinate, or 0 … n−1 if the file has none
        if coordinate.size == 0:  # QA: an IndexError, or a blank view with no word
            raise SweepFileError(f"dimension {plain_text(dim)!r} has no values")
        if coordinate.dtype.kind == "f" and not np.all(np.isfinite(coordinate.values)):
            raise SweepFileError(f"dimension {plain_text(dim)!r} has non-finite coordinates")
        if np.unique(coordinate.values).size < coordinate.size:  # QA: a vertical segment
            raise SweepFileError(
                f"dimension {plain_text(dim)!r} has repeated coordinates (two values at one "
                "point: no curve or map can show both)"
            )
        dimensions[str(dim)] = Dimension(
            name=str(dim),
            values=np.asarray(coordinate.values),
            long_name=_attr(coordinate.attrs, "long_name"),
            units=_attr(coordinate.attrs, "units"),
        )
    fixed = {
        str(name): Fixed(
            name=str(name),
            long_name=_attr(coordinate.attrs, "long_name"),
            units=_attr(coordinate.attrs, "units"),
            value=plain_text(coordinate.values),
        )
        for name, coordinate in dataset.coords.items()
        if coordinate.ndim == 0
    }
    attrs = {str(key): plain_text(value) for key, value in dataset.attrs.items()}
    return SweepLayout(dimensions, variables, fixed, attrs)


@functools.lru_cache(maxsize=32)
def _cached_layout(path: str, version: tuple[int, int]) -> SweepLayout:
    with _open(Path(path)) as dataset:
        return _layout(dataset)


def _version(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_mtime_ns, status.st_size


def read_layout(path: Path) -> SweepLayout:
    """The layout of the sweep file at ``path`` (cached per file version).

    Raises
    ------
    SweepFileError
        The file is too large, unreadable, or holds nothing to plot (the message says which).
    """
    try:
        version = _version(path)
    except OSError as exc:
        raise SweepFileError(f"it cannot be read ({type(exc).__name__})") from None
    try:
        return _cached_layout(str(path), version)
    except SweepFileError:
        raise
    except Exception as exc:  # e.g. undecodable attributes: still a message, not a traceback
        raise SweepFileError(
            f"its contents cannot be read ({type(exc).__name__}: {plain_text(exc)})"
        ) from None


def load_selection(
    path: Path, variable: str, held: Mapping[str, int], shown: tuple[str, ...]
) -> xr.DataArray:
    """The values of ``variable`` over the dimensions ``shown``, every other dimension held
    at its index in ``held``.

    The number of values is checked against :data:`MAX_PLOTTED_VALUES` from the shapes
    before any value is read.
    """
    layout = read_layout(path)
    sizes = {dim: layout.dimensions[dim].values.size for dim in shown}
    count = math.prod(sizes.values())
    if count > MAX_PLOTTED_VALUES:
        shape = " × ".join(f"{size}" for size in sizes.values())
        raise SweepFileError(
            f"this selection has {count:,} values ({shape}); one plot shows at most "
            f"{MAX_PLOTTED_VALUES:,}: hold more dimensions fixed"
        )
    try:
        with _open(path) as dataset:
            array = dataset[variable].isel(dict(held)).load()
    except SweepFileError:
        raise
    except Exception as exc:
        raise SweepFileError(
            f"the values cannot be read ({type(exc).__name__}: {plain_text(exc)})"
        ) from None
    return array.transpose(*shown)
