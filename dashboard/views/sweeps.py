"""View: the Sweeps explorer -- stored ``qgas sweep`` results drawn with HoloViews.

Sweep files are read only from one directory chosen by whoever runs the server: the
environment variable ``QGAS_SWEEPS_DIR``, else ``docs/sweeps/`` (where the example configs
write their output). A browser user picks a file *name* from that directory's listing; a name
that is not in the listing (e.g. from a crafted URL) is refused, and a path is never taken
from the user. Files are read within the limits of :mod:`dashboard.sweep_explorer`, which
turns every unreadable, oversized or empty file into a message.

The view draws one variable of the file as a curve along a dimension, as one curve per
value of a second dimension (overlay), or as a heat map over two dimensions; every other
dimension of the variable gets a control (a slider over its coordinate values, or a choice
for labels) generated from the file. Axis labels carry the long names and units stored in
the file; axes and colours become logarithmic where positive data span more than two
decades.

HoloViews is imported here only, when a sweep is first drawn (``docs/dashboard.md``: it
costs a live view twice the build and twenty times the update of a plain Bokeh figure, so
the live views draw plain Bokeh; a session that never opens this tab never imports it).
Everything costly -- reading the file, building the HoloViews objects and their Bokeh
figure -- runs in a worker thread (``heavy = True``); the event loop only swaps the finished
figure in. This view therefore overrides the drawing half of :class:`dashboard.base.View`
(``_compute``, ``_draw``, ``_show_error``): ``figure(data)`` returns a HoloViews object,
not :class:`dashboard.plotting.Panel` values.
"""

from __future__ import annotations

import os
import textwrap
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import panel as pn
import param
from bokeh.palettes import Viridis256

from dashboard.base import PLOT_HEIGHT, View, escape_text, markdown_inline
from dashboard.colours import category_colours
from dashboard.formatting import number, slider_labels
from dashboard.state import GlobalState
from dashboard.sweep_explorer import (
    MAX_CONTROL_VALUES,
    MAX_CURVES,
    MAX_FILE_BYTES,
    MAX_PLOTTED_VALUES,
    MAX_VARIABLE_ELEMENTS,
    Dimension,
    SweepFileError,
    SweepLayout,
    choice_options,
    default_sweep_file,
    load_selection,
    plain_text,
    read_layout,
    spans_decades,
    sweep_files,
)

__all__ = [
    "KINDS",
    "SWEEPS_DIRECTORY",
    "Choice",
    "Drawn",
    "SweepsView",
    "categorical_palette",
    "curve_colours",
    "sweep_files",
]

#: The project's root: the summary names the sweep directory relative to it, never absolute.
SWEEPS_PACKAGE_ROOT = Path(__file__).resolve().parents[2]
#: The one directory sweep files are served from (set by the server's operator).
SWEEPS_DIRECTORY = Path(os.environ.get("QGAS_SWEEPS_DIR", SWEEPS_PACKAGE_ROOT / "docs" / "sweeps"))

KINDS = ("curve", "overlay", "heat map")
#: The kind buttons keep one line each: at presentation mode's 18 px in the 270 px control
#: column "heat map" wrapped onto two lines (the page's buttons wrap, components.css).
KIND_BUTTONS_CSS = ".bk-btn { white-space: nowrap; padding-left: 6px; padding-right: 6px; }"
#: A choice's title (a dimension's long name) wraps instead of being cut at the column's edge.
WRAPPED_TITLE_CSS = ".bk-input-group > label { white-space: normal; overflow-wrap: anywhere; }"
#: How the notes name the inputs chosen among the file's variables and dimensions.
INPUT_TITLES = {"variable": "Variable", "x": "X", "y": "Y", "overlay": "Overlay"}
CHOICE_INPUTS = tuple(INPUT_TITLES)
#: The input that takes the second drawn dimension, by kind.
SECOND_AXIS = {"heat map": "y", "overlay": "overlay"}
#: The inputs whose valid values depend on the file (a new file resets those not given with it).
FILE_CHOICES = {"variable": None, "x": None, "y": None, "overlay": None, "held": {}}
#: How a file's CF ``units`` attribute reads in a download ("1" is CF for dimensionless).
_UNITS_TEXT = {"1": "dimensionless", "": "not stated in the file"}
#: Continuous colour map of numeric overlays and heat maps.
CONTINUOUS_PALETTE = tuple(Viridis256)
#: Width (px) a legend's columns fit in: a phone's plot (issue 17: at least 300 px).
LEGEND_WIDTH = 300
#: Plot tools (the hover tool is added per plot).
TOOLS = ["pan", "wheel_zoom", "box_zoom", "save", "reset"]

# HoloViews' renderer keeps state between plots: one figure is built at a time.
_RENDER_LOCK = threading.Lock()


def categorical_palette() -> tuple[str, ...]:
    """256 mutually distinct colours (colorcet's Glasbey set, Category10 first)."""
    import colorcet

    return tuple(colorcet.palette["glasbey_category10"])


def curve_colours(values: np.ndarray) -> list[str]:
    """One colour per overlay value.

    Numeric values are placed on the continuous palette by value (logarithmically when they
    span decades), so a colour bar reads them; labels get distinct categorical colours.
    """
    values = np.asarray(values)
    if values.dtype.kind not in "fiu":
        palette = categorical_palette()
        return [palette[i % len(palette)] for i in range(values.size)]
    position = np.log(values.astype(float)) if spans_decades(values) else values.astype(float)
    low, high = float(position.min()), float(position.max())
    scaled = (position - low) / (high - low) if high > low else np.full(position.shape, 0.5)
    top = len(CONTINUOUS_PALETTE) - 1
    return [CONTINUOUS_PALETTE[round(s * top)] for s in scaled]


@dataclass(frozen=True)
class Choice:
    """What is drawn: the file, variable, kind, axes and the held dimensions' positions."""

    file: str
    layout: SweepLayout
    variable: str
    kind: str
    x: str
    y: str | None = None
    overlay: str | None = None
    held: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    #: Input -> (its requested value, why a default replaced it): the note is shown until the
    #: input is set again, and the request is tried again on the next file.
    replaced: dict[str, tuple[Any, str]] = field(default_factory=dict)
    #: The axis inputs whose dimension the view picked (a default or a replacement), not a
    #: person or a URL: they give way to a dimension asked for the other axis.
    picked: frozenset[str] = frozenset()

    @property
    def shown(self) -> tuple[str, ...]:
        """Dimensions of the drawn values, in the order of the selection's axes."""
        if self.kind == "heat map":
            return (self.y, self.x)
        if self.kind == "overlay":
            return (self.overlay, self.x)
        return (self.x,)

    def held_values(self) -> dict[str, Any]:
        """Coordinate value of every held dimension (plain Python values)."""
        return {
            name: self.layout.dimensions[name].values[position].item()
            for name, position in self.held.items()
        }


@dataclass
class Drawn:
    """A finished computation: the frames, the figure (or why there is none), the summary."""

    choice: Choice | None
    frames: dict[str, pd.DataFrame]
    figure: Any = None
    summary: str = ""
    error: SweepFileError | None = None


def _position(dimension: Dimension, value: Any) -> int | None:
    """Index of ``value`` in the dimension's coordinate (``None`` if it is not there)."""
    values = dimension.values
    if dimension.numeric:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        matches = np.flatnonzero(np.isclose(values.astype(float), float(value), rtol=1e-9))
    else:
        matches = np.flatnonzero(values.astype(str) == str(value))
    return int(matches[0]) if matches.size else None


def _unheld(choice: Choice) -> list[str]:
    """The dimensions off the axes with too many values for a control: none is held (the
    drawing is refused)."""
    dimensions = choice.layout.dimensions
    return [name for name in choice.held if dimensions[name].values.size > MAX_CONTROL_VALUES]


def _held_lines(choice: Choice) -> list[str]:
    """The summary's lines (Markdown) on the dimensions off the axes: where each is held,
    and those with too many values for a control, which no value holds."""
    dimensions, unheld = choice.layout.dimensions, _unheld(choice)
    held = ", ".join(
        f"{escape_text(dimensions[name].label)} = {escape_text(plain_text(value))}"
        for name, value in choice.held_values().items()
        if name not in unheld
    )
    lines = [f"Held at: {held}."] if held else []
    if unheld:
        counts = ", ".join(
            f"{escape_text(dimensions[name].label)} ({dimensions[name].values.size:,} values)"
            for name in unheld
        )
        lines.append(f"Not held (a control holds at most {MAX_CONTROL_VALUES:,} values): {counts}.")
    return lines


def _sorted_selection(array: Any, choice: Choice) -> Any:
    """The selection with every numeric drawn dimension in increasing order."""
    for name in choice.shown:
        if choice.layout.dimensions[name].numeric:
            array = array.isel({name: np.argsort(array[name].values, kind="stable")})
    return array


def _frame(array: Any, choice: Choice) -> pd.DataFrame:
    """The drawn values as a table: one column per drawn dimension, then the variable."""
    grids = np.meshgrid(*(array[name].values for name in choice.shown), indexing="ij")
    columns = {name: grid.ravel() for name, grid in zip(choice.shown, grids, strict=True)}
    return pd.DataFrame({**columns, choice.variable: np.asarray(array.values).ravel()})


class SweepsView(View):
    """Curves, overlays or heat maps of one variable of a stored parameter sweep."""

    slug = "sweeps"
    title = "Sweeps"
    heavy = True
    columns = 1
    draws_panels = False  # a HoloViews figure: no pins, no HTML snapshot
    explanation = rf"""
### Parameter sweeps
`qgas sweep CONFIG.toml` evaluates a physics observable on a grid of parameters -- locally or
on a Dask cluster, resumable after an interruption -- and stores an xarray Dataset (NetCDF)
with coordinates, units and provenance (package version, configuration, seeds, times).
This view opens those files: pick a file and a variable, then a **curve** along one
dimension, an **overlay** (one curve per value of a second dimension; numbers are coloured
along a colour bar, labels get distinct colours and a legend), or a **heat map** over two
dimensions. Every other dimension gets its own control, holding it at one of its values.
Axes and colours are logarithmic where positive values span more than two decades.

Server limits: files of at most {MAX_FILE_BYTES // 2**20} MiB, variables of at most
{MAX_VARIABLE_ELEMENTS:,} values, at most {MAX_PLOTTED_VALUES:,} values in one plot and
{MAX_CURVES} curves in one overlay, {MAX_CONTROL_VALUES:,} values of a dimension held by a
control; larger files or selections are refused with a message.
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
        default=None, objects=[], check_on_set=False, allow_None=True, doc="Data variable."
    )
    kind = param.Selector(default="curve", objects=list(KINDS), doc="Curve, overlay or heat map.")
    x = param.Selector(
        default=None,
        objects=[],
        check_on_set=False,
        allow_None=True,
        doc="Dimension on the horizontal axis.",
    )
    y = param.Selector(
        default=None,
        objects=[],
        check_on_set=False,
        allow_None=True,
        doc="Dimension on the vertical axis (heat map).",
    )
    overlay = param.Selector(
        default=None,
        objects=[],
        check_on_set=False,
        allow_None=True,
        doc="One curve per value of this dimension (overlay).",
    )
    held = param.Dict(
        default={},
        precedence=-1,
        doc="Value of every dimension not on an axis (name -> coordinate value).",
    )

    def __init__(
        self, state: GlobalState | None = None, directory: Path | None = None, **params: Any
    ) -> None:
        self._directory = Path(directory or SWEEPS_DIRECTORY).resolve()
        self._syncing = False  # True while the view writes its own parameters
        self._replaced: dict[str, tuple[Any, str]] = {}  # Choice.replaced of the choice shown
        self._picked: frozenset[str] = frozenset()  # Choice.picked of the choice shown
        self._held_names: tuple[str, ...] | None = None  # dimensions of the held controls
        self._held_controls = pn.Column(sizing_mode="stretch_width")
        self._figure = None  # the Bokeh figure on the page
        super().__init__(state=state)
        files = sweep_files(self._directory)
        self.param.file.objects = files
        default = default_sweep_file(self._directory, files)
        self.param.update(file=params.pop("file", default), **params)

    def reset(self) -> None:
        """Back to the defaults, showing the first file of the directory."""
        files = sweep_files(self._directory)
        self.param.file.objects = files
        self.param.update(
            kind="curve",
            variable=None,
            x=None,
            y=None,
            overlay=None,
            held={},
            file=default_sweep_file(self._directory, files),
        )

    # ---------------------------------------------------------------- widgets
    def controls(self) -> list[pn.viewable.Viewable]:
        """File, variable, kind and axes, then one control per held dimension."""
        widgets = {name: self._choice_widget(name) for name in CHOICE_INPUTS}
        widgets["file"] = pn.widgets.Select.from_param(self.param.file, sizing_mode="stretch_width")
        widgets["kind"] = pn.widgets.RadioButtonGroup.from_param(
            self.param.kind, sizing_mode="stretch_width", stylesheets=[KIND_BUTTONS_CSS]
        )
        self._axis_widgets = widgets
        return [
            widgets["file"],
            widgets["variable"],
            widgets["kind"],
            widgets["x"],
            widgets["y"],
            widgets["overlay"],
            self._held_controls,
        ]

    def _choice_widget(self, name: str) -> pn.widgets.Select:
        """The choice of input ``name`` among the file's variables or dimensions.

        It shows the drawn choice (:meth:`_show_choice`) and sets the input when a person
        picks an option, but is not linked to the parameter: a linked Select wrote its first
        option into any value not among its options, so X and Y both became the first
        dimension of the previous file while a new one was read, and a URL's Y was lost
        before the first drawing.
        """
        widget = pn.widgets.Select(
            label=self.param[name].label,
            description=self.param[name].doc,
            options={},
            sizing_mode="stretch_width",
        )
        widget.param.watch(lambda event: self._pick(name, event.new), "value")
        return widget

    def _pick(self, name: str, value: Any) -> None:
        if not self._syncing and value is not None and value != getattr(self, name):
            setattr(self, name, value)

    def _show_choice(self, name: str, options: dict[str, str], value: str | None) -> None:
        """Offer ``options`` for input ``name`` and show ``value`` (no options without a
        value: a Select shows its first option for none)."""
        self.param[name].objects = options
        widget = getattr(self, "_axis_widgets", {}).get(name)
        if widget is not None:
            widget.param.update(options=options if value is not None else {}, value=value)

    def _held_widget(self, dimension: Dimension, position: int) -> pn.widgets.Widget:
        """A slider over a numeric coordinate's values, or a choice among labels."""
        if dimension.numeric:
            options = [value.item() for value in dimension.values]
            widget = pn.widgets.DiscreteSlider(
                label=escape_text(dimension.label),  # shown as HTML by Panel
                options=slider_labels(options, digits=6),
                value=options[position],
                sizing_mode="stretch_width",
            )
            event = "value_throttled"
        else:
            options = {plain_text(value): str(value) for value in dimension.values}
            widget = pn.widgets.Select(
                label=dimension.label,  # a plain-text title
                options=options,
                value=str(dimension.values[position]),
                sizing_mode="stretch_width",
                stylesheets=[WRAPPED_TITLE_CSS],
            )
            event = "value"
        name = dimension.name
        widget.param.watch(lambda e: self._hold(name, e.new), event)
        return widget

    def _hold(self, name: str, value: Any) -> None:
        if not self._syncing:
            self.held = {**self.held, name: value}

    def _sync_controls(self, choice: Choice) -> None:
        """Show ``choice`` in the parameters and widgets, without computing again.

        The choices show the labels of the file (long name and units), never X's dimension
        for Y or the overlay.
        """
        layout = choice.layout
        variable = layout.variables[choice.variable]
        dims = [layout.dimensions[name] for name in variable.dims]
        numeric = [dim for dim in dims if dim.numeric]
        self._syncing = True
        try:
            others = [d for d in dims if d.name != choice.x]
            options = {
                "variable": choice_options(list(layout.variables.values())),
                "x": choice_options(numeric),
                "y": choice_options([d for d in others if d.numeric]),
                "overlay": choice_options(others),
            }
            for name, objects in options.items():
                self._show_choice(name, objects, getattr(choice, name))
            self.param.update(
                variable=choice.variable,
                kind=choice.kind,
                x=choice.x,
                y=choice.y,
                overlay=choice.overlay,
                held=choice.held_values(),
            )
            self._replaced = dict(choice.replaced)
            self._picked = choice.picked
            # no control for a dimension of too many values (the drawing is refused)
            names = tuple(name for name in choice.held if name not in _unheld(choice))
            if names != self._held_names:
                self._held_controls.objects = [
                    self._held_widget(layout.dimensions[name], choice.held[name]) for name in names
                ]
                self._held_names = names
            else:
                for widget, name in zip(self._held_controls.objects, names, strict=True):
                    values = choice.held_values()
                    target = values[name] if layout.dimensions[name].numeric else str(values[name])
                    if widget.value != target:
                        widget.value = target
        finally:
            self._syncing = False
        widgets = getattr(self, "_axis_widgets", {})
        if widgets:
            widgets["y"].visible = choice.kind == "heat map"
            widgets["overlay"].visible = choice.kind == "overlay"

    def _clear_controls(self) -> None:
        self._syncing = True
        try:
            self._clear_options()
            self.param.update(**FILE_CHOICES)
            self._replaced = {}
        finally:
            self._syncing = False

    def _clear_options(self) -> None:
        """Empty the choices that depend on the file (a choice of the previous file showed
        its first option for X and Y alike while the new file was read)."""
        for name in CHOICE_INPUTS:
            self._show_choice(name, {}, None)
        self._held_controls.objects = []
        self._held_names = None

    def _inputs_changed(self, *events: param.parameterized.Event) -> None:
        """A new file resets the choices not given with it (a URL gives them together) to
        their defaults, or to the replaced requests (a URL's unreadable value is applied
        before its file); a replaced value's note stays until its input is set again."""
        if self._syncing:
            return
        names = {event.name for event in events}
        if "file" in names:  # the file's choices depend on the file, the rest on the variable
            requests = {k: value for k, (value, _) in self._replaced.items() if k not in names}
            self._replaced, self._picked = {}, frozenset()
            self._syncing = True
            try:
                self._clear_options()
                stale = {k: v for k, v in FILE_CHOICES.items() if k not in names}
                self.param.update({**stale, **requests})
            finally:
                self._syncing = False
        else:
            dropped = names | ({"x", "y", "overlay", "held"} if "variable" in names else set())
            self._replaced = {k: v for k, v in self._replaced.items() if k not in dropped}
            self._picked -= names
        super()._inputs_changed(*events)

    # ---------------------------------------------------------------- choosing
    def _path(self) -> Path:
        """The chosen file, refused unless it is one of the listed files of the directory."""
        if self.file not in sweep_files(self._directory):
            raise SweepFileError(
                f"file={self.file!r} is not a sweep file of the sweep directory; valid: "
                f"{', '.join(sweep_files(self._directory)) or '(none)'}"
            )
        path = (self._directory / self.file).resolve()
        if path.parent != self._directory:
            raise SweepFileError(f"file={self.file!r} is outside the sweep directory")
        return path

    def choose(self, layout: SweepLayout) -> Choice:
        """Valid choices for ``layout``: the requested ones where valid, else defaults.

        Defaults: the first variable; X the first numeric dimension with more than one value
        (one with too many values for a control first) that the second axis (Y of a heat
        map, the overlay) does not ask for; that second axis the next one, never X: when both
        ask for one dimension, X keeps it. An axis the view picked itself asks for nothing.
        A heat map or overlay the variable cannot give falls back to a curve, with a note. A
        requested value replaced by a default is named in :attr:`Choice.replaced` (a URL's
        ``sweeps_x=nope`` is not dropped without a word) until the value is shown.
        """
        notes = []
        replaced = dict(self._replaced)
        held = dict(self.held)
        name = self.variable
        if name not in layout.variables:
            if name is not None:
                replaced["variable"] = (name, f"Variable {plain_text(name)!r} is not in this file")
            name = next(iter(layout.variables))
        variable = layout.variables[name]

        def by_length(names: list[str]) -> list[str]:  # dimensions of one value come last
            return sorted(names, key=lambda n: layout.dimensions[n].values.size < 2)

        picked = set()

        def asked(input_name: str) -> Any:
            """The value of an axis input if a person or URL gave it (else ``None``)."""
            return None if input_name in self._picked else getattr(self, input_name)

        def valid(input_name: str, candidates: list[str], what: str, x: str | None = None) -> str:
            """The requested dimension of input ``input_name`` if a candidate, else the first
            (``x``: the dimension on X, which the candidates leave out)."""
            requested = asked(input_name)
            if requested in candidates:
                return requested
            picked.add(input_name)
            if requested is not None:
                why = "is on X already" if x is not None and requested == x else f"is not {what}"
                choices = ", ".join(layout.label(c) for c in candidates)
                replaced[input_name] = (
                    requested,
                    f"{INPUT_TITLES[input_name]} = {layout.label(requested)} {why} (valid: "
                    f"{choices}): {layout.label(candidates[0])} shown",
                )
            return candidates[0]

        numeric = sorted(  # a dimension too long to be held goes on an axis first
            by_length([d for d in variable.dims if layout.dimensions[d].numeric]),
            key=lambda n: layout.dimensions[n].values.size <= MAX_CONTROL_VALUES,
        )
        if not numeric:
            raise SweepFileError(
                f"variable {variable.label!r} has no numeric dimension to put on an axis"
            )
        kind, y, overlay = self.kind, None, None
        seconds = {
            "heat map": numeric,
            "overlay": by_length(list(variable.dims)),
        }.get(kind, [])
        wanted = asked(SECOND_AXIS[kind]) if kind in SECOND_AXIS else None
        claimed = wanted if wanted in seconds and wanted != asked("x") else None
        x = valid("x", [d for d in numeric if d != claimed] or numeric, "a numeric dimension here")
        if kind == "heat map":
            candidates = [d for d in numeric if d != x]
            if candidates:
                y = valid("y", candidates, "a second numeric dimension here", x)
            else:
                kind = "curve"
                notes.append("a heat map needs two numeric dimensions: drawn as a curve")
        if kind == "overlay":
            candidates = [d for d in seconds if d != x]
            if candidates:
                overlay = valid("overlay", candidates, "a second dimension here", x)
            else:
                kind = "curve"
                notes.append("an overlay needs a second dimension: drawn as a curve")
        on_axes = {x, y, overlay}
        positions = {}
        off_axes = [dim for dim in variable.dims if dim not in on_axes]
        # a held name the variable does not have is named, never dropped silently (one on an
        # axis is plotted along it: a dimension moved from a control to an axis keeps its entry)
        held_notes = [
            f"{plain_text(dim)} = {plain_text(value)} is not a dimension of this variable "
            f"(held dimensions: {', '.join(map(layout.label, off_axes)) or 'none'})"
            for dim, value in held.items()
            if dim not in variable.dims
        ]
        for dim in off_axes:
            position = _position(layout.dimensions[dim], held[dim]) if dim in held else 0
            if position is None:
                held_notes.append(
                    f"{layout.label(dim)} = {plain_text(held[dim])} is not a stored value"
                )
                position = 0
            positions[dim] = position
        if held_notes:
            replaced["held"] = (self.held, "; ".join(held_notes))
        shown = {"variable": name, "x": x, "y": y, "overlay": overlay}
        replaced = {k: v for k, v in replaced.items() if k not in shown or shown[k] != v[0]}
        return Choice(
            self.file,
            layout,
            name,
            kind,
            x,
            y,
            overlay,
            positions,
            tuple(notes),
            replaced,
            frozenset(picked),
        )

    def _refusal(self, choice: Choice) -> SweepFileError | None:
        """Why ``choice`` cannot be drawn before reading values: too many curves for an
        overlay, or too many values for the control of a held dimension."""
        dimensions = choice.layout.dimensions
        if choice.kind == "overlay" and dimensions[choice.overlay].values.size > MAX_CURVES:
            return SweepFileError(
                f"the overlay dimension {dimensions[choice.overlay].label} has "
                f"{dimensions[choice.overlay].values.size:,} values; one overlay shows at most "
                f"{MAX_CURVES} curves: choose another overlay dimension or a heat map"
            )
        unheld = _unheld(choice)
        if not unheld:
            return None
        dimension = dimensions[unheld[0]]
        remedy = "put it on an axis or choose" if dimension.numeric else "choose"
        return SweepFileError(
            f"the dimension {dimension.label} has {dimension.values.size:,} values; a control "
            f"holds a dimension of at most {MAX_CONTROL_VALUES:,} values: {remedy} another "
            "variable"
        )

    # ---------------------------------------------------------------- contract
    def data(self) -> dict[str, pd.DataFrame]:
        """The drawn values of the current choice as one table (``attrs["choice"]``)."""
        if self.file is None:
            return {"sweep": pd.DataFrame()}
        path = self._path()
        choice = self.choose(read_layout(path))
        frame = pd.DataFrame()
        frame.attrs["choice"] = choice
        refusal = self._refusal(choice)
        if refusal is not None:
            frame.attrs["error"] = refusal
            return {"sweep": frame}
        try:
            array = load_selection(path, choice.variable, choice.held, choice.shown)
        except SweepFileError as exc:
            frame.attrs["error"] = exc
            return {"sweep": frame}
        frame = _frame(_sorted_selection(array, choice), choice)
        frame.attrs["choice"] = choice
        return {"sweep": frame}

    def figure(self, data: dict[str, pd.DataFrame]) -> Any:
        """The HoloViews object of ``data`` (``None`` when there is nothing to draw)."""
        frame = data["sweep"]
        choice = frame.attrs.get("choice")
        if choice is None or frame.empty:
            return None
        hv = _holoviews()

        layout = choice.layout
        variable = layout.variables[choice.variable]
        xdim = hv.Dimension("x", label=layout.dimensions[choice.x].label)
        values = frame[choice.variable].to_numpy()
        options = dict(
            # what is plotted, as the file names it (its title, "sweep of polaron.…", is the
            # summary's); HoloViews formats titles with str.format: braces are escaped
            title=variable.label.replace("{", "{{").replace("}", "}}"),
            logx=spans_decades(layout.dimensions[choice.x].values),
            fontscale=_font_scale(self.state.presentation),
            # the data area's own height: axes, colour bar and legend come on top of it (in a
            # figure of fixed height they took it from the data)
            frame_height=int(PLOT_HEIGHT * (1.1 if self.state.presentation else 1.0)),
            responsive=True,
            default_tools=TOOLS,
            tools=["hover"],
        )
        if choice.kind == "heat map":
            ydim = hv.Dimension("y", label=layout.dimensions[choice.y].label)
            zdim = hv.Dimension("z", label=variable.label)
            grid = values.reshape(frame[choice.y].nunique(), frame[choice.x].nunique())
            xs, ys = np.unique(frame[choice.x]), np.unique(frame[choice.y])
            colour: dict[str, Any] = dict(
                colorbar=True, colorbar_position="bottom", cmap=list(CONTINUOUS_PALETTE)
            )
            if variable.categories:
                count = len(variable.categories)
                colour.update(
                    cmap=category_colours(variable.categories, categorical_palette()),
                    clim=(-0.5, count - 0.5),
                    color_levels=count,
                )
            elif spans_decades(values):
                colour["cnorm"] = "log"
            return hv.QuadMesh((xs, ys, grid), kdims=[xdim, ydim], vdims=[zdim]).opts(
                logy=spans_decades(layout.dimensions[choice.y].values), **colour, **options
            )
        ydim = hv.Dimension("y", label=variable.label)
        options["logy"] = spans_decades(values)
        # the first and last computed points whole, not cut in half at the frame's edges
        options["padding"] = 0.04
        # a category holds between grid points and changes half-way: no sloped line
        # through codes (the y ticks carry the category names, see _render)
        steps = {"interpolation": "steps-mid"} if variable.categories else {}
        if choice.kind == "curve":
            curve = hv.Curve((frame[choice.x], values), kdims=[xdim], vdims=[ydim])
            points = hv.Scatter((frame[choice.x], values), kdims=[xdim], vdims=[ydim])
            # the computed points marked: the lines between them are not data
            return (curve.opts(line_width=2, **steps) * points.opts(size=6)).opts(**options)
        overlay = layout.dimensions[choice.overlay]
        keys = list(dict.fromkeys(frame[choice.overlay]))
        colours = curve_colours(np.asarray(keys))
        curves = [
            element
            for key, colour in zip(keys, colours, strict=True)
            for rows in [frame[choice.overlay] == key]
            for points in [(frame.loc[rows, choice.x], frame.loc[rows, choice.variable])]
            for element in (
                hv.Curve(
                    points,
                    kdims=[xdim],
                    vdims=[ydim],
                    label=plain_text(key),  # the legend's title names the dimension
                ).opts(color=colour, line_width=2, **steps),
                hv.Scatter(points, kdims=[xdim], vdims=[ydim]).opts(color=colour, size=6),
            )
        ]
        return hv.Overlay(curves).opts(
            show_legend=not overlay.numeric,
            legend_position="bottom",  # below the plot: the data keep a phone's full width
            legend_cols=_legend_columns(
                [curve.label for curve in curves], _font_scale(self.state.presentation)
            ),
            # a plain string drawn on the canvas
            legend_opts={"title": _wrapped(overlay.label, _font_scale(self.state.presentation))},
            **options,
        )

    def column_units(self, data: dict[str, pd.DataFrame]) -> dict[str, tuple[str, str]]:
        """Long names and units of the drawn columns, from the file's attributes."""
        frame = data.get("sweep")
        choice = None if frame is None else frame.attrs.get("choice")
        if choice is None:
            return {}
        layout = choice.layout
        entries = {**layout.dimensions, **layout.variables}
        return {
            name: (entry.long_name or name, _UNITS_TEXT.get(entry.units, entry.units))
            for name, entry in entries.items()
        }

    def provenance(self, data: dict[str, pd.DataFrame]) -> dict[str, str]:
        """The file, the values of the held dimensions, its fixed parameters and attributes."""
        frame = data.get("sweep")
        choice = None if frame is None else frame.attrs.get("choice")
        if choice is None:
            return {}
        layout = choice.layout
        held = "; ".join(f"{k} = {plain_text(v)}" for k, v in choice.held_values().items())
        return {
            "sweep file": choice.file,
            "held at": held or "nothing held",
            **{f"fixed {name}": fixed.value for name, fixed in layout.fixed.items()},
            **{f"file attribute {name}": value for name, value in layout.attrs.items()},
        }

    def summary(self, data: dict[str, pd.DataFrame]) -> str:
        """File, observable, version and date, what is held where, notes (Markdown).

        Short, because presentation mode enlarges it above the plot: the full provenance
        (executor, finishing time) is in the downloads, category names on the axis or
        colour bar.
        """
        if self.file is None:
            root = SWEEPS_PACKAGE_ROOT  # students see no path of the server's machine
            inside = self._directory.is_relative_to(root)
            where = f"the sweep directory {self._directory.relative_to(root)}" if inside else ""
            return (
                f"No sweep files in {escape_text(where or 'the server’s sweep directory')}. "
                "Run e.g. *qgas sweep docs/sweeps/polaron.toml* and reload."
            )
        frame = data["sweep"]
        choice: Choice | None = frame.attrs.get("choice")
        if choice is None:
            return ""
        layout, attrs = choice.layout, choice.layout.attrs
        details = [  # what the file states of them (a file not written by qgas may have none)
            attrs.get("observable"),
            attrs.get("qgas_version") and f"qgas {attrs['qgas_version']}",
            attrs.get("finished_at", "")[:10],
        ]
        stated = ", ".join(escape_text(detail) for detail in details if detail)
        about = [escape_text(attrs.get("title", "")), f"({stated})" if stated else ""]
        headline = " ".join(part for part in about if part)
        lines = [f"**{escape_text(choice.file)}**" + (f": {headline}." if headline else ".")]
        if layout.fixed:
            fixed = ", ".join(
                f"{escape_text(f.label)} = {escape_text(f.value)}" for f in layout.fixed.values()
            )
            lines.append(f"Fixed: {fixed}.")
        lines.extend(_held_lines(choice))
        if choice.kind == "overlay" and layout.dimensions[choice.overlay].numeric:
            lines.append(f"Colour: {escape_text(layout.dimensions[choice.overlay].label)}.")
        if choice.kind == "overlay":
            lines.extend(_coincident_lines(frame, choice))
        values = frame[choice.variable].to_numpy(float) if choice.variable in frame else ()
        if len(values) and not np.isfinite(values).any():  # QA: empty 0–1 axes, no word
            kinds = " or ".join(sorted({str(value) for value in values}))
            lines.append(
                f"Nothing to draw: all {len(values):,} values shown are {kinds} (a decay length "
                "is inf where the decay is a power law: see the law's variable)."
            )
        notes = (*choice.notes, *(note for _, note in choice.replaced.values()))
        lines.extend(f"Note: {escape_text(note)}." for note in notes)
        return "  \n".join(lines)

    # ---------------------------------------------------------------- drawing
    def _compute(self) -> Drawn | BaseException:
        """Everything costly (runs in a worker thread when served): read, build, render."""
        try:
            frames = self.data()
            frame = frames["sweep"]
            choice = frame.attrs.get("choice")
            summary = self.summary(frames)
            if "error" in frame.attrs:
                return Drawn(choice, {}, None, summary, frame.attrs["error"])
            element = self.figure(frames)
            scale = _font_scale(self.state.presentation)
            figure = None if element is None else _render(element, choice, scale)
            return Drawn(choice, frames, figure, summary)
        except Exception as exc:  # a file that cannot be read is shown as a message
            return exc

    def _draw(self, result: Drawn | BaseException) -> None:
        """Swap in the finished figure, controls and summary (cheap: runs on the event loop)."""
        if isinstance(result, BaseException):
            self._show_error(result)
            return
        if result.choice is not None:
            self._sync_controls(result.choice)
        self._data = result.frames
        self._offer_csv()
        if result.error is not None:
            self._show_refusal(result.error)
        else:
            self._figure = result.figure
            self._plots.objects = (
                []
                if result.figure is None
                else [pn.pane.Bokeh(result.figure, sizing_mode="stretch_width", min_width=380)]
            )
            self._error.visible = False
        self._summary.value = self._summary_text = markdown_inline(result.summary)

    def _show_refusal(self, error: SweepFileError) -> None:
        self._figure = None
        self._plots.objects = []
        self._error.object = (
            f"**This sweep cannot be shown:** {escape_text(self.file)}: {escape_text(error)}."
        )
        self._error.visible = True

    def _show_error(self, error: BaseException) -> None:
        """A file that cannot be read: say so, clear what belonged to the previous file, and
        keep the file choice working."""
        if not isinstance(error, SweepFileError):
            super()._show_error(error)
            return
        self._clear_controls()
        self._data = {}
        self._offer_csv()
        self._summary.value = self._summary_text = ""
        self._show_refusal(error)
        self._error.object += " Choose another file."

    def _presentation_changed(self, *events: param.parameterized.Event) -> None:
        super()._presentation_changed(*events)
        if self._figure is not None and self._shown:
            self._update()  # new fonts and plot size: a new figure


#: Curves closer than this fraction of the plotted span everywhere are drawn on top of
#: each other (a line is ~2 px of a ~300 px plot).
COINCIDENT_FRACTION = 5e-3
#: Pairs of coincident curves named one by one in the summary.
MAX_COINCIDENT_LINES = 3


def _coincident_lines(frame: pd.DataFrame, choice: Choice) -> list[str]:
    """A note for each overlaid curve hidden under another one: the curves of the overlay
    dimension's values that agree (on the same x) within ``COINCIDENT_FRACTION`` of the
    plotted span, with their largest relative difference (QA: the polaron sweep's "energy"
    route lay under "sigma", 1e-15 apart, and the legend named a curve nobody could see)."""
    curves = {
        key: rows.set_index(choice.x)[choice.variable]
        for key, rows in frame.groupby(choice.overlay, sort=False)
    }
    values = frame[choice.variable].to_numpy(float)
    finite = values[np.isfinite(values)]
    if len(curves) < 2 or finite.size == 0:
        return []
    span = finite.max() - finite.min() or abs(finite).max() or 1.0
    lines = []
    keys = list(curves)
    for index, first in enumerate(keys):
        for second in keys[index + 1 :]:
            a, b = curves[first], curves[second]
            if not a.index.equals(b.index):
                continue
            difference = np.abs(a.to_numpy(float) - b.to_numpy(float))
            if not np.all(difference <= COINCIDENT_FRACTION * span):
                continue
            scale = np.maximum(np.abs(a.to_numpy(float)), np.abs(b.to_numpy(float)))
            relative = np.max(
                np.divide(difference, scale, out=np.zeros_like(scale), where=scale > 0)
            )
            apart = f"largest difference {number(relative, 2)} relative" if relative else "equal"
            lines.append(
                f"The curves {escape_text(first)} and {escape_text(second)} lie on top of each "
                f"other ({apart})."
            )
    if len(lines) > MAX_COINCIDENT_LINES:  # a summary above the plot stays short
        more = len(lines) - MAX_COINCIDENT_LINES
        lines = [*lines[:MAX_COINCIDENT_LINES], f"{more} more pairs of curves coincide."]
    return lines


def _font_scale(presentation: bool) -> float:
    """HoloViews' ``fontscale`` of the plot (larger in presentation mode)."""
    return 1.6 if presentation else 1.0


def _legend_columns(labels: list[str], font_scale: float) -> int:
    """Columns of a legend below the plot that fit :data:`LEGEND_WIDTH` (a glyph and
    spacing of 40 px, then about 8 px a character at font scale 1)."""
    entry = 40 + 8 * font_scale * max(len(label) for label in labels)
    return max(1, min(len(labels), int(LEGEND_WIDTH // entry)))


def _wrapped(text: str, font_scale: float) -> str:
    """``text`` in lines that fit :data:`LEGEND_WIDTH` at about 8 px a character (font scale
    1): the title of a colour bar or legend below the plot, which a phone cut at its edge."""
    return textwrap.fill(text, width=max(12, int(LEGEND_WIDTH // (8 * font_scale))))


def _holoviews() -> Any:
    """HoloViews with its Bokeh renderer loaded (imported on the first drawn sweep)."""
    import holoviews as hv
    import holoviews.plotting.bokeh  # registers the Bokeh renderer

    return hv


def _render(element: Any, choice: Choice, font_scale: float) -> Any:
    """The Bokeh figure of a HoloViews ``element``, finished for the page.

    Texts from the file become Bokeh ``PlainText`` (a string in ``$$…$$`` would otherwise
    be typeset as TeX), data sources get names ``sweeps|…`` (tests find the drawn data by
    them), a numeric overlay gets its colour bar (its title wrapped for ``font_scale``), and
    the Bokeh logo goes.
    """
    hv = _holoviews()
    from bokeh.models import (
        ColorBar,
        GlyphRenderer,
        LinearColorMapper,
        LogColorMapper,
        PlainText,
    )

    with _RENDER_LOCK:
        figure = hv.Store.renderers["bokeh"].get_plot_state(element)
    figure.toolbar.logo = None
    layout = choice.layout
    if choice.kind == "overlay" and layout.dimensions[choice.overlay].numeric:
        values = layout.dimensions[choice.overlay].values.astype(float)
        mapper = (LogColorMapper if spans_decades(values) else LinearColorMapper)(
            palette=list(CONTINUOUS_PALETTE), low=values.min(), high=values.max()
        )
        figure.add_layout(ColorBar(color_mapper=mapper, height=12), "below")
    categories = layout.variables[choice.variable].categories
    for bar in figure.select(type=ColorBar):
        quantity = (
            layout.dimensions[choice.overlay]
            if choice.kind == "overlay"
            else layout.variables[choice.variable]
        )
        bar.title = PlainText(text=_wrapped(quantity.label, font_scale))
        if categories:
            _label_codes(bar, categories)
    if categories and choice.kind != "heat map":  # the codes are the y values of the curves
        for axis in figure.yaxis:
            _label_codes(axis, categories)
    # the title repeats the y axis's quantity above the plot, in lines a phone shows whole
    # (at the axis labels' size it ran off a laptop in presentation mode)
    figure.title.text = PlainText(text=_wrapped(str(figure.title.text), font_scale))
    figure.title.text_font_size = f"{round(14 * font_scale)}px"
    figure.title.align = "left"
    for axis in (*figure.xaxis, *figure.yaxis):
        axis.axis_label = PlainText(text=str(axis.axis_label))
    renderers = [r for r in figure.renderers if isinstance(r, GlyphRenderer)]
    if choice.kind == "heat map":
        names = ["heat map"]
    else:  # each curve, then the points marking its computed values
        labels = [f"{choice.overlay} = {curve.label}" for curve in element if curve.label]
        labels = labels if choice.kind == "overlay" else [choice.variable]
        names = [name for label in labels for name in (label, f"{label} (points)")]
    for index, renderer in enumerate(renderers):
        name = names[index] if len(renderers) == len(names) else f"{names[0]} {index}"
        renderer.data_source.name = f"sweeps|{name}"
    return figure


def _label_codes(axis: Any, categories: tuple[str, ...]) -> None:
    """Tick a Bokeh axis or colour bar at the category codes, labelled by their names."""
    from bokeh.models import FixedTicker, PlainText

    axis.ticker = FixedTicker(ticks=list(range(len(categories))))
    axis.major_label_overrides = {i: PlainText(text=label) for i, label in enumerate(categories)}
