"""Downloads of a view that carry their provenance: CSV, NetCDF and a standalone HTML snapshot.

Every download states the units of every column and every parameter that produced it, the
source (equation and paper), the package version and the date. What a column means and its
units are read from the view's own plot description (:mod:`dashboard.plotting`): a column
drawn along an axis is described by that axis label (a layer label with units in brackets
takes precedence, as for ``V(x)  [n²]`` sharing an axis with ``n(x)  [n]``); the units are
the text in square brackets after two spaces, and a label without them names a
dimensionless quantity (all axis labels of the views follow this rule). Columns no plot
labels are described by the view's ``units`` (:attr:`dashboard.base.View.units`).

Formats (``docs/exports.md``):

CSV
    ``#``-commented header (``pandas.read_csv(path, comment="#")`` reads the table), then
    one row per point with a ``curve`` column naming the curve it belongs to.
NetCDF (xarray, h5netcdf engine)
    one dimension per curve (its first column when that is a strictly increasing number,
    e.g. ``exact.gamma``, else ``<curve>.row``), one variable ``<curve>.<column>`` per
    column with ``long_name``, ``units`` and ``curve`` attributes; the parameters,
    source, units convention, version and date as global attributes.
HTML
    the view's figures drawn afresh with their data and BokehJS inline (Bokeh ``file_html``
    with ``INLINE`` resources): it opens offline, without a server.

Each format offers one curve or *everything in this view* (all curves and all pins in one
file). Empty curves are not offered and nothing is downloaded when there is no data;
file names are ASCII and carry the view, the curve and every parameter.
"""

from __future__ import annotations

import asyncio
import contextvars
import datetime
import hashlib
import html
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import panel as pn

from dashboard.base import PLOT_HEIGHT, escape_text
from dashboard.pins import omitted_notes
from dashboard.plotting import Drawing, ErrorBars, Panel, QuadMesh

if TYPE_CHECKING:
    from dashboard.base import View

__all__ = [
    "ALL_CURVES",
    "MAX_EXPORT_BYTES",
    "Column",
    "Curve",
    "Downloads",
    "EmptyExportError",
    "Export",
    "ascii_name",
    "collect",
    "describe_columns",
    "filename",
    "legend_labels",
    "to_csv",
    "to_html",
    "to_netcdf",
]

#: Choice of the download menu meaning every curve (and every pin) of the view.
ALL_CURVES = "everything in this view"
#: Largest download in bytes (a bigger one is refused with a message, never truncated).
MAX_EXPORT_BYTES = 32 * 2**20
#: Longest file name in characters (longer parameter lists end in a short hash).
MAX_FILENAME = 150
#: Units convention of every view (docs/physics/conventions.md).
UNIT_SYSTEM = "hbar = 2m = 1, k_B = 1, density n = 1 (docs/physics/conventions.md)"
DIMENSIONLESS = "dimensionless"
NO_SOURCE = "not stated by the view"
PACKAGE = "quantum-gas-explorer"

#: Units in a label: brackets after two spaces (``separation r  [1/n]``), the convention of the
#: views' axis labels (the hover tooltips cut a label there too).
_BRACKET = re.compile(r"\s{2,}\[([^\]]*)\]")


class EmptyExportError(ValueError):
    """There is nothing to download (no curve with data)."""


@dataclass(frozen=True)
class Column:
    """One column of a curve: its name in the frame, what it is, and its units."""

    name: str
    long_name: str
    units: str


@dataclass(frozen=True)
class Curve:
    """One frame of a view (or of a pin) with the description of its columns."""

    name: str
    frame: pd.DataFrame
    columns: tuple[Column, ...]
    description: str = ""
    pin: str = ""  # the pin's label, for a pinned copy
    of: str = ""  # the view's frame a pinned copy is of


@dataclass(frozen=True)
class Export:
    """Everything one download states: data, parameters, provenance."""

    view: str
    title: str
    source: str
    parameters: tuple[tuple[str, str, Any], ...]  # (name, label with doc, value)
    curves: tuple[Curve, ...]
    #: (label, its parameters as text, what the pin left out: "phase map not pinned: …")
    pins: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    version: str = ""
    created: str = ""
    notes: tuple[str, ...] = ()
    provenance: tuple[tuple[str, str], ...] = ()  # more (name, text): a sweep file's
    summary: str = ""  # the view's summary sentence, plain text

    def curve(self, name: str) -> Curve:
        for curve in self.curves:
            if curve.name == name:
                return curve
        raise ValueError(f"curve={name!r} is not offered; valid: {[c.name for c in self.curves]}")


# ---------------------------------------------------------------------- text helpers
def plain(text: object) -> str:
    """``text`` on one line (no line break can end a CSV comment or an attribute early)."""
    return " ".join(str(text).split())


def _split_label(text: str) -> tuple[str, str]:
    """(long name, units) of an axis or layer label ``name  [units]``."""
    match = _BRACKET.search(text)
    units = match.group(1).strip() if match else DIMENSIONLESS
    long_name = plain(_BRACKET.sub("", text)) if match else plain(text)
    return long_name.strip(" ,;") or plain(text), units


def ascii_name(text: object) -> str:
    """``text`` as a file-name fragment: ASCII letters, digits, ``.``, ``-`` and ``_`` only.

    Greek letters become their names (γ → gamma), accents and superscripts their base
    character (é → e, ² → 2); every other character becomes ``_``.
    """
    pieces = []
    for char in str(text):
        if char.isascii():
            pieces.append(char)
            continue
        name = unicodedata.name(char, "")
        if name.startswith("GREEK "):
            pieces.append(name.split()[-1].lower())
            continue
        pieces.append(unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode())
    cleaned = re.sub(r"[^A-Za-z0-9.\-]+", "_", "".join(pieces))
    return cleaned.strip("_.-") or "x"


def source_of(explanation: str) -> str:
    """The *Source:* paragraph of a view's explanation, as plain text."""
    for paragraph in re.split(r"\n\s*\n", explanation):
        if "Source:" in paragraph:
            text = paragraph.split("Source:", 1)[1]
            return plain(re.sub(r"[*`]", "", text))
    return NO_SOURCE


def package_version() -> str:
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return "unknown"


# ---------------------------------------------------------------------- describing
def _plots_y(layer: Any) -> bool:
    """Whether ``layer`` draws a y column of its own frame (not a colour mesh or error bars,
    whose columns are described with another layer's)."""
    plotted = not isinstance(layer, (QuadMesh, ErrorBars))
    return plotted and layer.frame is not None and getattr(layer, "y", None) is not None


def _panel_columns(panels: list[Panel]) -> dict[str, dict[str, tuple[str, str]]]:
    """frame -> column -> (long name, units) from the axis and layer labels of ``panels``."""
    described: dict[str, dict[str, tuple[str, str]]] = {}
    for panel in panels:
        # several quantities on one axis (λ(μ), 1/ξ typical, 1/ξ mean, Born on "rate [n]"):
        # each is named by its legend entry and the axis ("λ(μ) Lyapunov (axis: rate)"), in
        # the axis's units
        plotted = {(layer.frame, layer.y) for layer in panel.layers if _plots_y(layer)}
        # error bars last: their columns are named after the quantity another layer named
        for layer in sorted(panel.layers, key=lambda layer: isinstance(layer, ErrorBars)):
            if layer.frame is None:
                continue
            columns = described.setdefault(layer.frame, {})
            # an error bar's label ("± 1 s.e.") names its error column, not the quantity: a
            # quantity only error bars draw is named by the axis (it read "± 1 s.e. of ± 1 s.e.")
            label = "" if isinstance(layer, ErrorBars) else layer.label
            y_label = label if _BRACKET.search(label) else panel.ylabel
            if len(plotted) > 1 and label and not _BRACKET.search(label):
                axis_name, axis_units = _split_label(panel.ylabel)
                y_label = f"{plain(label)} (axis: {axis_name})  [{axis_units}]"
            mesh = isinstance(layer, QuadMesh)
            if mesh:  # the colour bar's title; categories are codes
                long_name, units = _split_label(layer.colour.title)
                if layer.colour.tick_labels:
                    long_name, units = f"{long_name} (code of the colour bar)", DIMENSIONLESS
                columns.setdefault(layer.value, (long_name, units))
            columns.setdefault(layer.x, _split_label(panel.xlabel))
            columns.setdefault(layer.y, _split_label(panel.ylabel if mesh else y_label))
            if isinstance(layer, ErrorBars):
                long_name, units = columns[layer.y]
                columns.setdefault(layer.error, (f"{plain(layer.label)} of {long_name}", units))
    return described


def describe_columns(view: View, data: Mapping[str, pd.DataFrame]) -> dict[str, tuple[Column, ...]]:
    """frame -> its columns described (long name, units), for every frame of ``data``.

    Read from the view's plot description (``view.figure(data)``), then, for columns no
    plot labels, from the view's ``column_units(data)`` (column -> (long name, units));
    text columns are labelled as such. A column
    described by neither says ``units = "not stated"`` (the tests require none).
    """
    drawn = _panel_columns(view.figure(data)) if view.draws_panels and data else {}
    undrawn = view.column_units(data)
    described = {}
    for name, frame in data.items():
        found = drawn.get(name, {})
        columns = []
        for column in frame.columns:
            if column in found:
                long_name, units = found[column]
            elif column in undrawn:
                long_name, units = undrawn[column]
            elif frame[column].dtype.kind in "OSUb":
                long_name, units = plain(column), "text (no units)"
            else:
                long_name, units = plain(column), "not stated"
            columns.append(Column(str(column), long_name, units))
        described[name] = tuple(columns)
    return described


def legend_labels(panels: Any) -> dict[str, str]:
    labels: dict[str, list[str]] = {}
    if isinstance(panels, list):
        for panel in panels:
            for layer in panel.layers:
                if layer.frame is not None and layer.label:
                    labels.setdefault(layer.frame, [])
                    if layer.label not in labels[layer.frame]:
                        labels[layer.frame].append(layer.label)
    return {frame: "; ".join(plain(text) for text in texts) for frame, texts in labels.items()}


def parameters_of(view: View) -> tuple[tuple[str, str, Any], ...]:
    """(name, description, value) of the inputs that produced the data shown by ``view``.

    The values are those of the last drawn data (``view.shown_parameters()``); the
    description is the parameter's label and doc, and for a choice with names (the model
    selector) the name of the value chosen: ``gaudin-yang`` alone did not say attractive.
    """
    values = view.shown_parameters()
    rows = []
    for name, value in values.items():
        owner = view if name in view.param else view.state
        parameter = owner.param[name]
        description = f"{parameter.label}: {parameter.doc or ''}".rstrip(": ")
        chosen = [
            label
            for label, item in (getattr(parameter, "names", None) or {}).items()
            if item == value and label != value
        ]
        if chosen:
            description += f" ({value}: {chosen[0]})"
        rows.append((name, plain(description), value))
    return tuple(rows)


def _value_text(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else plain(value)


def parameter_text(parameters: Mapping[str, Any]) -> str:
    """``name = value; …`` on one line."""
    return "; ".join(f"{name} = {_value_text(value)}" for name, value in parameters.items())


def collect(view: View) -> Export:
    """What a download of ``view`` holds now: its non-empty curves, its pins, provenance."""
    data = {name: frame for name, frame in view.current_data.items() if len(frame)}
    described = describe_columns(view, view.current_data)  # the figure needs every frame
    panels = view.figure(view.current_data) if view.draws_panels and view.current_data else []
    legends = legend_labels(panels)
    curves = [
        Curve(name, frame, described[name], legends.get(name, "")) for name, frame in data.items()
    ]
    pins = []
    pinned = getattr(view, "pins", None)
    if pinned is not None:
        current = view.shown_parameters()
        for pin, label in zip(pinned.pins, pinned.labels(current), strict=True):
            pins.append((label, parameter_text(pin.parameters), omitted_notes(pin)))
            for name, frame in pin.frames.items():
                if len(frame):
                    columns = pin.columns[name]
                    curves.append(
                        Curve(
                            pinned.frame_name(pin, name),
                            frame,
                            columns,
                            f"pinned copy of: {pin.legends.get(name) or name}",
                            pin=label,
                            of=name,
                        )
                    )
    notes = tuple(
        f"{name}: no data for these inputs" for name, f in view.current_data.items() if not len(f)
    )
    provenance = tuple((plain(k), plain(v)) for k, v in view.provenance(view.current_data).items())
    source = source_of(view.explanation)
    if source is NO_SOURCE and provenance:  # a sweep file's own 'source' attribute, if any
        source = dict(provenance).get(
            "file attribute source", f"{NO_SOURCE}; see the provenance lines"
        )
    return Export(
        view=view.slug,
        title=plain(view.title),
        source=source,
        parameters=parameters_of(view),
        curves=tuple(curves),
        pins=tuple(pins),
        version=package_version(),
        created=datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        notes=notes,
        provenance=provenance,
        summary=plain(html.unescape(re.sub(r"<[^>]+>", "", view.summary_of_data))),
    )


def _chosen(export: Export, curve: str) -> list[Curve]:
    if not export.curves:
        raise EmptyExportError(f"view {export.view!r} has no data to download")
    if curve == ALL_CURVES:
        return list(export.curves)
    main = export.curve(curve)
    pinned = [c for c in export.curves if c.pin and c.of == curve]
    return [main, *pinned]


def _checked_size(content: bytes | str) -> bytes | str:
    size = len(content.encode() if isinstance(content, str) else content)
    if size > MAX_EXPORT_BYTES:
        raise ValueError(
            f"the download would have {size} bytes, more than the limit {MAX_EXPORT_BYTES}: "
            "download one curve, or clear pins"
        )
    return content


# ---------------------------------------------------------------------- file names
def filename(export: Export, curve: str, extension: str) -> str:
    """``qgas_<view>_<curve>_<name>-<value>_….<extension>`` in ASCII, at most
    :data:`MAX_FILENAME` characters (a longer one keeps its start and a hash of the rest)."""
    what = "all" if curve == ALL_CURVES else ascii_name(curve)
    values = "_".join(
        f"{ascii_name(n)}-{ascii_name(_value_text(v))}" for n, _, v in export.parameters
    )
    stem = "_".join(part for part in ("qgas", ascii_name(export.view), what, values) if part)
    if len(stem) + len(extension) + 1 > MAX_FILENAME:
        digest = hashlib.sha256(stem.encode()).hexdigest()[:8]
        stem = stem[: MAX_FILENAME - len(extension) - 11] + "_" + digest
    return f"{stem}.{extension}"


# ---------------------------------------------------------------------- CSV
def header_lines(export: Export, curves: list[Curve]) -> list[str]:
    """The provenance lines shared by the CSV header (without ``# ``)."""
    lines = [
        f"Quantum Gas Explorer {export.version}: view {export.title} ({export.view})",
        f"exported {export.created}",
        f"source: {export.source}",
        f"units: {UNIT_SYSTEM}",
    ]
    lines += [f"parameter {n} = {_value_text(v)}  ({doc})" for n, doc, v in export.parameters]
    lines += [f"provenance {name}: {text}" for name, text in export.provenance]
    for label, values, omitted in export.pins:
        lines.append(f"pin {label}: {values}")
        lines += [f"pin {label}: {note}" for note in omitted]
    meanings: dict[str, dict[tuple[str, str], list[str]]] = {}
    for curve in curves:
        for column in curve.columns:
            meaning = (column.long_name, column.units)
            meanings.setdefault(column.name, {}).setdefault(meaning, []).append(curve.name)
    lines.append("column curve: the curve the row belongs to (pinned curves start with 'pin')")
    for name, described in meanings.items():
        for (long_name, units), owners in described.items():
            where = "" if len(described) == 1 else f" in curves {', '.join(owners)}"
            lines.append(f"column {name}{where}: {long_name}  [{units}]")
    lines += [f"curve {c.name}: {c.description or c.name}" for c in curves]
    lines += [f"note: {note}" for note in export.notes]
    return [plain(line) for line in lines]


def to_csv(export: Export, curve: str = ALL_CURVES) -> str:
    """One curve (with its pinned versions) or everything, as CSV with a ``#`` header."""
    curves = _chosen(export, curve)
    table = pd.concat(
        [c.frame.assign(curve=c.name)[["curve", *c.frame.columns]] for c in curves],
        ignore_index=True,
    )
    lines = "".join(f"# {line}\n" for line in header_lines(export, curves))
    # floats as their shortest round-trip repr: every digit, and 0.00126 not 0.0012600000000000001
    return _checked_size(lines + table.to_csv(index=False))


# ---------------------------------------------------------------------- NetCDF
def _attribute(value: Any) -> Any:
    if isinstance(value, bool | np.bool_):
        return str(bool(value)).lower()
    if isinstance(value, int | float | np.integer | np.floating):
        return value
    return plain(value)


def to_dataset(export: Export, curve: str = ALL_CURVES) -> Any:
    """The chosen curves as a self-describing :class:`xarray.Dataset`."""
    import xarray as xr

    variables: dict[str, Any] = {}
    coordinates: dict[str, Any] = {}
    for chosen in _chosen(export, curve):
        key = ascii_name(chosen.name)
        first = chosen.columns[0]
        values = chosen.frame[first.name].to_numpy()
        use_first = values.dtype.kind in "fiu" and np.all(np.diff(values.astype(float)) > 0)
        dimension = f"{key}.{ascii_name(first.name)}" if use_first else f"{key}.row"
        for column in chosen.columns:
            attrs = {
                "long_name": plain(column.long_name),
                "units": plain(column.units),
                "column": column.name,
                "curve": plain(chosen.name),
                "description": plain(chosen.description or chosen.name),
            }
            if chosen.pin:
                attrs["pin"] = plain(chosen.pin)
            data = chosen.frame[column.name].to_numpy()
            if data.dtype.kind == "O":
                data = data.astype(str)
            name = f"{key}.{ascii_name(column.name)}"
            target = coordinates if (use_first and column is first) else variables
            target[name] = xr.Variable((dimension,), data, attrs)
    attrs = {
        "title": f"Quantum Gas Explorer: {export.title}",
        "view": export.view,
        "source": export.source,
        "units_convention": UNIT_SYSTEM,
        "package": PACKAGE,
        "package_version": export.version,
        "created": export.created,
        "parameters": parameter_text({n: v for n, _, v in export.parameters}),
        "Conventions": "CF-1.10",
    }
    for name, doc, value in export.parameters:
        attrs[f"parameter.{ascii_name(name)}"] = _attribute(value)
        attrs[f"parameter.{ascii_name(name)}.description"] = doc
    for name, text in export.provenance:
        attrs[f"provenance.{ascii_name(name)}"] = text
    for number, (label, values, omitted) in enumerate(export.pins, start=1):
        attrs[f"pin.{number}"] = plain(f"{label}: {values}")
        if omitted:
            attrs[f"pin.{number}.omitted"] = plain("; ".join(omitted))
    if export.notes:
        attrs["notes"] = "; ".join(export.notes)
    return xr.Dataset(variables, coords=coordinates, attrs=attrs)


def to_netcdf(export: Export, curve: str = ALL_CURVES) -> bytes:
    """:func:`to_dataset` as NetCDF-4 bytes (h5netcdf; ``xarray.open_dataset`` reads them)."""
    buffer = io.BytesIO()
    to_dataset(export, curve).to_netcdf(buffer, engine="h5netcdf")
    return _checked_size(buffer.getvalue())


# ---------------------------------------------------------------------- HTML
def _header_html(export: Export) -> str:
    rows = "".join(
        f"<li>{escape_text(name)} = {escape_text(_value_text(value))}</li>"
        for name, _, value in export.parameters
    )
    pins = "".join(
        f"<li>pin {escape_text(label)}: {escape_text(v)}"
        + "".join(f"<br>{escape_text(note)}" for note in omitted)
        + "</li>"
        for label, v, omitted in export.pins
    )
    return (
        f"<h2>Quantum Gas Explorer: {escape_text(export.title)}</h2>"
        + (f"<p>{escape_text(export.summary)}</p>" if export.summary else "")
        + f"<p>Parameters:</p><ul>{rows}</ul>"
        + (f"<p>Pinned curves:</p><ul>{pins}</ul>" if pins else "")
        + f"<p>Source: {escape_text(export.source)}</p>"
        f"<p>Units: {escape_text(UNIT_SYSTEM)}. Package version {escape_text(export.version)}, "
        f"exported {escape_text(export.created)}.</p>"
    )


def to_html(export: Export, panels: list[Panel], frames: Mapping[str, pd.DataFrame]) -> str:
    """A standalone page: the header of :func:`_header_html` and ``panels`` drawn afresh from
    ``frames``, with BokehJS inline (no server, no network)."""
    from bokeh.embed import file_html
    from bokeh.layouts import column
    from bokeh.models import Div
    from bokeh.resources import INLINE

    if not export.curves:
        raise EmptyExportError(f"view {export.view!r} has no data to show")
    drawing = Drawing(panels, frames, name=export.view, height=PLOT_HEIGHT)
    page = column(
        Div(text=_header_html(export), sizing_mode="stretch_width"),
        *drawing.figures,
        sizing_mode="stretch_width",
    )
    return _checked_size(file_html(page, INLINE, title=f"Quantum Gas Explorer: {export.title}"))


# ---------------------------------------------------------------------- widgets
class Downloads:
    """The download controls of one view: a curve menu, CSV / NetCDF / HTML buttons."""

    def __init__(self, view: View) -> None:
        self.view = view
        self.choice = pn.widgets.Select(
            label="Download", options=[ALL_CURVES], sizing_mode="stretch_width"
        )
        self.message = pn.widgets.StaticText(value="", sizing_mode="stretch_width")
        self.buttons = {
            "csv": self._button("CSV", "csv", to_csv),
            "nc": self._button("NetCDF", "nc", to_netcdf),
            "html": self._button("HTML snapshot", "html", to_html),
        }
        self.choice.param.watch(lambda _: self.offer(), "value")

    def _button(self, label: str, extension: str, write: Any) -> pn.widgets.FileDownload:
        button = pn.widgets.FileDownload(
            filename=f"qgas_{ascii_name(self.view.slug)}.{extension}",
            label=label,
            color="primary" if extension == "csv" else "default",
            sizing_mode="stretch_width",
        )

        async def content() -> io.BytesIO:
            try:
                # on the event loop: what the view shows now; the writing in a thread
                export = collect(self.view)
                if not export.curves:
                    raise EmptyExportError(f"view {export.view!r} has no data to download")
                if extension == "html" and not self.view.draws_panels:
                    raise ValueError(f"view {export.view!r} has no HTML snapshot")
                if extension == "html":
                    arguments = (export, *self.view.plotted())
                else:
                    arguments = (export, self.choice.value)
                # an empty context: the thread must not see the session's patched curdoc
                # (Bokeh's file_html would use it: "Patched curdoc has been previously
                # destroyed")
                fresh = contextvars.Context()
                result = await asyncio.to_thread(fresh.run, write, *arguments)
            except Exception as exc:  # too large, nothing to download, or a failure
                self.message.value = escape_text(
                    exc if isinstance(exc, ValueError) else f"The download failed: {exc}"
                )
                raise
            self.message.value = ""
            # named here, not on every slider move: sent with the file, in one message
            button.filename = self.file_name(extension)
            return io.BytesIO(result.encode() if isinstance(result, str) else result)

        button.callback = content
        return button

    def file_name(self, extension: str) -> str:
        """The name of the file the ``extension`` button downloads now (:func:`filename`)."""
        export = Export(self.view.slug, "", "", parameters_of(self.view), ())
        curve = ALL_CURVES if extension == "html" else (self.choice.value or ALL_CURVES)
        return filename(export, curve, extension)

    def offer(self) -> None:
        """Offer the current non-empty curves (the files are named when downloaded)."""
        curves = [name for name, frame in self.view.current_data.items() if len(frame)]
        options = [ALL_CURVES, *curves] if curves else []
        if self.choice.options != options:
            self.choice.options = options
        if self.choice.value not in options:
            self.choice.value = options[0] if options else None
        for extension, button in self.buttons.items():
            button.disabled = not curves or (extension == "html" and not self.view.draws_panels)

    def panel(self) -> pn.Column:
        self.offer()
        return pn.Column(
            self.choice,
            pn.Row(self.buttons["csv"], self.buttons["nc"], sizing_mode="stretch_width"),
            self.buttons["html"],
            self.message,
            sizing_mode="stretch_width",
        )
