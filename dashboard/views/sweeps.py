"""View: results of ``qgas sweep`` -- open a sweep file, choose variables, curve or heat map.

Sweep files are read only from one directory chosen by whoever runs the server: the
environment variable ``QGAS_SWEEPS_DIR``, else ``docs/sweeps/`` (where the example configs
write their output). A browser user picks a file *name* from that directory's listing; a name
that is not in the listing (e.g. from a crafted URL) is refused, and a path is never taken
from the user. The view only arranges the stored Dataset (xarray) for HoloViews.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import param
import xarray as xr
from bokeh.palettes import Viridis256, viridis

from dashboard.base import View, escape_text
from dashboard.cache import memoize
from dashboard.plotting import ColourScale, Panel, line, mesh
from dashboard.state import GlobalState

__all__ = ["SWEEPS_DIRECTORY", "SweepsView", "sweep_files"]

#: The one directory sweep files are served from (set by the server's operator).
SWEEPS_DIRECTORY = Path(
    os.environ.get("QGAS_SWEEPS_DIR", Path(__file__).resolve().parents[2] / "docs" / "sweeps")
)

NO_OVERLAY = "(none)"
KINDS = ("curve", "heat map")
#: At most this many curves are overlaid (one per value of the overlay dimension).
MAX_CURVES = 12


def sweep_files(directory: Path) -> list[str]:
    """Names of the NetCDF files directly inside ``directory`` (no sub-directories, no links)."""
    if not directory.is_dir():
        return []
    return sorted(
        entry.name
        for entry in directory.iterdir()
        if entry.suffix == ".nc" and entry.is_file() and not entry.is_symlink()
    )


def _open(path: str, modified: float) -> xr.Dataset:
    """The sweep at ``path``; ``modified`` (its mtime) keys the cache on the file version."""
    return xr.load_dataset(path, engine="h5netcdf")


_load = memoize(_open)


def _label(dataset: xr.Dataset, name: str) -> str:
    units = dataset[name].attrs.get("units", "")
    return f"{name} [{units}]" if units and units != "1" else name


def _wide_log_axis(values: np.ndarray) -> bool:
    """A numeric, positive coordinate spanning more than two decades is drawn logarithmic."""
    if values.dtype.kind not in "fiu" or values.size < 2 or np.any(values <= 0):
        return False
    return float(values.max() / values.min()) > 100.0


class SweepsView(View):
    """Curves or a heat map of one variable of a stored parameter sweep."""

    slug = "sweeps"
    title = "Sweeps"
    explanation = r"""
### Parameter sweeps
`qgas sweep CONFIG.toml` evaluates a physics observable on a grid of parameters -- locally or
on a Dask cluster, resumable after an interruption -- and stores an xarray Dataset (NetCDF)
with coordinates, units and provenance (package version, configuration, seeds, times).
This view opens those files: pick a file and a variable, then either **curves** along one
dimension (optionally one curve per value of a second dimension) or a **heat map** over two
dimensions. Any further dimension is held at the value given in *Other dimensions*
(`name=value, ...`, nearest grid value; default: the first value).

Files are read from the server's sweep directory only (`QGAS_SWEEPS_DIR`, default
`docs/sweeps/`). See `docs/sweeps.md` for the configuration format and the example sweeps.
"""

    file = param.Selector(
        default=None,
        objects=[],
        check_on_set=True,
        allow_None=True,
        doc="Sweep file in the sweep directory.",
    )
    variable = param.Selector(
        default=None, objects=[], check_on_set=True, allow_None=True, doc="Data variable to plot."
    )
    kind = param.Selector(default="curve", objects=list(KINDS), doc="Curves or heat map.")
    x = param.Selector(
        default=None,
        objects=[],
        check_on_set=True,
        allow_None=True,
        doc="Dimension on the horizontal axis.",
    )
    y = param.Selector(
        default=None,
        objects=[],
        check_on_set=True,
        allow_None=True,
        doc="Dimension on the vertical axis (heat map).",
    )
    overlay = param.Selector(
        default=NO_OVERLAY, objects=[NO_OVERLAY], doc="One curve per value of this dimension."
    )
    others = param.String(
        default="",
        label="Other dimensions",
        doc="Values of the remaining dimensions, e.g. 'd=2, T_over_EK=0.1' (nearest grid value).",
    )

    def __init__(
        self, state: GlobalState | None = None, directory: Path | None = None, **params: Any
    ) -> None:
        self._directory = Path(directory or SWEEPS_DIRECTORY).resolve()
        super().__init__(state=state)
        files = sweep_files(self._directory)
        self.param.file.objects = files
        self.param.watch(self._file_chosen, ["file"])
        self.param.update(file=params.pop("file", files[0] if files else None))
        self.param.update(**params)

    def reset(self) -> None:
        """Back to the defaults, showing the first file of the directory."""
        files = sweep_files(self._directory)
        self.param.file.objects = files
        self.param.update(
            kind="curve", overlay=NO_OVERLAY, others="", file=files[0] if files else None
        )
        self._file_chosen()

    # ---------------------------------------------------------------- file and choices
    def _path(self) -> Path:
        """The chosen file, refused unless it is one of the listed files of the directory."""
        if self.file not in sweep_files(self._directory):
            raise ValueError(
                f"file={self.file!r} is not a sweep file of the sweep directory; valid: "
                f"{', '.join(sweep_files(self._directory)) or '(none)'}"
            )
        path = (self._directory / self.file).resolve()
        if path.parent != self._directory:
            raise ValueError(f"file={self.file!r} is outside the sweep directory")
        return path

    def _dataset(self) -> xr.Dataset:
        path = self._path()
        return _load(str(path), path.stat().st_mtime)

    def _file_chosen(self, *_: Any) -> None:
        if self.file is None:
            return
        try:
            dataset = self._dataset()
        except (OSError, ValueError):
            return
        variables = [name for name in dataset.data_vars if name != "task_seed"]
        dims = list(dataset.dims)
        self.param.variable.objects = variables
        self.param.x.objects = dims
        self.param.y.objects = dims
        self.param.overlay.objects = [NO_OVERLAY, *dims]
        self.param.update(
            variable=self.variable if self.variable in variables else variables[0],
            x=self.x if self.x in dims else dims[0],
            y=self.y if self.y in dims else dims[min(1, len(dims) - 1)],
            overlay=self.overlay if self.overlay in self.param.overlay.objects else NO_OVERLAY,
            kind=self.kind if len(dims) > 1 else "curve",
        )

    def _other_values(self, dataset: xr.Dataset, used: set[str]) -> dict[str, Any]:
        """Values of the dimensions not on an axis: parsed from ``others`` or the first one."""
        chosen: dict[str, Any] = {}
        for item in filter(None, (part.strip() for part in self.others.split(","))):
            name, sep, text = item.partition("=")
            name = name.strip()
            if not sep or name not in dataset.dims or name in used:
                free = sorted(set(dataset.dims) - used)
                raise ValueError(
                    f"others={self.others!r}: {item!r} must be NAME=VALUE with NAME one of "
                    f"{', '.join(free) or '(no other dimensions)'}"
                )
            coordinate = dataset[name].values
            if coordinate.dtype.kind in "fiu":
                try:
                    value = float(text)
                except ValueError:
                    raise ValueError(f"others: {name}={text.strip()!r} is not a number") from None
                chosen[name] = coordinate[int(np.argmin(np.abs(coordinate - value)))]
            elif text.strip() in coordinate.tolist():
                chosen[name] = text.strip()
            else:
                raise ValueError(
                    f"others: {name}={text.strip()!r} is not one of {coordinate.tolist()}"
                )
        for name in dataset.dims:
            if name not in used and name not in chosen:
                chosen[name] = dataset[name].values[0]
        return chosen

    # ---------------------------------------------------------------- contract
    def data(self) -> dict[str, pd.DataFrame]:
        if self.file is None:
            return {"sweep": pd.DataFrame()}
        dataset = self._dataset()
        used = {self.x}
        if self.kind == "heat map":
            if self.y == self.x:
                raise ValueError(f"y={self.y!r} must differ from x for a heat map")
            used.add(self.y)
        elif self.overlay != NO_OVERLAY:
            if self.overlay == self.x:
                raise ValueError(f"overlay={self.overlay!r} must differ from x")
            used.add(self.overlay)
        others = self._other_values(dataset, used)
        selected = dataset[self.variable].sel(others)
        for axis in used - ({self.overlay} if self.kind == "curve" else set()):
            if dataset[axis].values.dtype.kind not in "fiu":
                raise ValueError(
                    f"{axis!r} has no numeric values: choose a numeric dimension for the axes "
                    "(a dimension of labels can be the overlay)"
                )
        frame = selected.to_dataframe().reset_index()[[*sorted(used), self.variable]]
        frame.attrs["others"] = {k: np.asarray(v).item() for k, v in others.items()}
        frames = {"sweep": frame}
        if self.kind == "curve" and self.overlay != NO_OVERLAY:
            for value in list(dict.fromkeys(frame[self.overlay]))[:MAX_CURVES]:
                frames[f"{self.overlay} = {value}"] = frame[frame[self.overlay] == value]
        return frames

    def figure(self, data: dict[str, pd.DataFrame]) -> list[Panel]:
        frame = data["sweep"]
        if frame.empty or self.file is None:
            return [Panel("No sweep to show", "", "", layers=(), legend=None)]
        dataset = self._dataset()
        variable = self.variable
        xlabel, vlabel = _label(dataset, self.x), _label(dataset, variable)
        logx = _wide_log_axis(dataset[self.x].values)
        title = dataset.attrs.get("title", self.file)
        if self.kind == "heat map":
            categories = dataset[variable].attrs.get("category_labels")
            labels = tuple(categories.split("; ")) if categories else ()
            colour = (
                ColourScale(tuple(viridis(len(labels))), vlabel, -0.5, len(labels) - 0.5, labels)
                if labels
                else ColourScale(tuple(Viridis256), vlabel)
            )
            return [
                Panel(
                    title=title,
                    xlabel=xlabel,
                    ylabel=_label(dataset, self.y),
                    layers=(mesh("sweep", self.x, self.y, variable, variable, colour),),
                    logx=logx,
                    logy=_wide_log_axis(dataset[self.y].values),
                    legend=None,
                )
            ]
        curves = [name for name in data if name != "sweep"] or ["sweep"]
        return [
            Panel(
                title=title,
                xlabel=xlabel,
                ylabel=vlabel,
                layers=tuple(
                    line(name, self.x, variable, variable if name == "sweep" else name)
                    for name in curves
                ),
                logx=logx,
                legend="right" if len(curves) > 1 else None,
            )
        ]

    def summary(self, data: dict[str, pd.DataFrame]) -> str:
        if self.file is None:
            return (
                f"No sweep files in the sweep directory `{escape_text(self._directory)}`. Run "
                "e.g. `qgas sweep docs/sweeps/polaron.toml` and reload."
            )
        dataset = self._dataset()
        attrs = dataset.attrs
        others = data["sweep"].attrs.get("others", {})
        held = ", ".join(f"{k} = {escape_text(v)}" for k, v in others.items())
        fixed = ", ".join(
            f"{k} = {escape_text(dataset[k].values.item())}"
            for k in dataset.coords
            if dataset[k].ndim == 0
        )
        variable = dataset[self.variable]
        categories = variable.attrs.get("category_labels")
        lines = [
            f"**{escape_text(self.file)}**: `{escape_text(attrs.get('observable', '?'))}` "
            f"(calls `{escape_text(attrs.get('function', '?'))}`), qgas "
            f"{escape_text(attrs.get('qgas_version', '?'))}, finished "
            f"{escape_text(attrs.get('finished_at', '?'))}, executor "
            f"{escape_text(attrs.get('executor', '?'))}.",
        ]
        if fixed:
            lines.append(f"Fixed: {fixed}.")
        if held:
            lines.append(f"Other dimensions held at: {held}.")
        if categories:
            codes = "; ".join(
                f"{code} = {escape_text(label)}"
                for code, label in enumerate(categories.split("; "))
            )
            lines.append(f"Codes: {codes}.")
        return "  \n".join(lines)
