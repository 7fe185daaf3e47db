"""Plot panels as plain data, drawn as Bokeh figures and then updated in place.

A view's ``figure(data)`` describes its plots as :class:`Panel` values, each a list of
:class:`Layer` values (a line, markers, error bars, a horizontal line or a colour mesh drawn
from one of the view's frames). :class:`Drawing` builds the Bokeh figures once; when the
view's inputs move, a new description with the same structure (:func:`structure`) is
applied to the same figures: changed frames go into their data sources (only the columns
that changed), titles, axis labels and legend labels are set where they differ, and the
axes are re-fitted. No Bokeh model is built for a moved slider.

Why not HoloViews: the dashboard used it until November 2026. Building the same four-curve
figure cost 74 ms through HoloViews and 22 ms as plain Bokeh, and a student opening every
tab spent half of the server's 2.3 s on it (``docs/performance/load.md``). A glyph renderer
built here has one glyph model instead of four (selection, non-selection and muted glyphs
are left to BokehJS), and a frame drawn in several layers or panels has one data source.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from bokeh.core.properties import value
from bokeh.models import (
    ColorBar,
    ColumnDataSource,
    CustomJSTicker,
    FixedTicker,
    GlyphRenderer,
    HoverTool,
    Legend,
    LegendItem,
    Line,
    LinearColorMapper,
    Quad,
    Range1d,
    Scatter,
    Span,
    Whisker,
)
from bokeh.plotting import figure as bokeh_figure

__all__ = [
    "ColourScale",
    "Drawing",
    "Layer",
    "Panel",
    "error_bars",
    "horizontal_line",
    "line",
    "markers",
    "mesh",
    "structure",
]

#: Colours of layers that do not choose one, in order (the HoloViews default cycle).
COLOUR_CYCLE = ("#30a2da", "#fc4f30", "#e5ae38", "#6d904f", "#8b8b8b")
#: Font sizes in points at font scale 1 (presentation mode multiplies them).
#: Significant digits of the numbers in hover tooltips (a researcher reads values off them).
TOOLTIP_DIGITS = 7
TOOLTIP_FORMAT = f"{{%.{TOOLTIP_DIGITS}g}}"
FONT_POINTS = {"title": 13.0, "axis": 11.5, "ticks": 10.0, "legend": 10.0}
TOOLS = "pan,wheel_zoom,box_zoom,save,reset"
LAYER_KINDS = ("line", "markers", "error_bars", "hline", "mesh")
#: Ticks of a logarithmic axis, computed in the browser for the visible range: 1, 2, 3, 5
#: per decade across less than 1.5 decades, 1, 2, 5 across less than 3, powers of ten beyond
#: (every k-th when over 12 decades), and linear ticks when that leaves fewer than three (a
#: zoom inside a decade). Bokeh's LogTicker puts linear ticks on ranges under two
#: decades: only "0.5, 1" (mantissas 1, 5), or 0.2-steps crowding the top of the axis.
LOG_TICKS_JS = """
const lo = Math.min(cb_data.start, cb_data.end), hi = Math.max(cb_data.start, cb_data.end);
if (!(lo > 0) || !(hi > lo) || !isFinite(hi)) return [];
const span = Math.log10(hi / lo);
const mantissas = span < 1.5 ? [1, 2, 3, 5] : span < 3 ? [1, 2, 5] : [1];
const step = span > 12 ? Math.ceil(span / 8) : 1;
const first = Math.floor(Math.log10(lo)), last = Math.ceil(Math.log10(hi));
const ticks = [];
for (let e = first; e <= last; e += 1) {
  if ((e - first) % step) continue;
  for (const m of mantissas) {
    const t = m * Math.pow(10, e);
    if (t >= lo && t <= hi) ticks.push(t);
  }
}
if (ticks.length >= 3) return ticks;
const raw = (hi - lo) / 4, power = Math.pow(10, Math.floor(Math.log10(raw)));
const unit = [1, 2, 5, 10].map((m) => m * power).find((u) => u >= raw);
const linear = [];
for (let t = Math.ceil(lo / unit) * unit; t <= hi; t += unit) linear.push(+t.toPrecision(12));
return linear;
"""
#: Relative margin around data-fitted axes (a decade fraction on logarithmic axes).
PADDING = 0.05


@dataclass(frozen=True)
class ColourScale:
    """How a mesh's value column becomes a colour: a palette spread over ``low … high``
    (``None``: the data's range), with an optional label per integer tick (categories)."""

    palette: tuple[str, ...]
    title: str
    low: float | None = None
    high: float | None = None
    tick_labels: tuple[str, ...] = ()


#: Height of one legend row at font scale 1, in pixels.
LEGEND_ROW_PX = 21
#: Legend places outside the plot area.
OUTSIDE_LEGENDS = ("right", "below")


@dataclass(frozen=True)
class Layer:
    """One glyph of a panel, drawn from the frame ``frame`` of the view's data.

    ``kind`` is ``"line"``, ``"markers"``, ``"error_bars"`` (``y ± error``), ``"hline"``
    (at ``location``, no frame) or ``"mesh"`` (cells centred on ``x``, ``y`` coloured by
    ``value``). ``style`` holds Bokeh glyph properties (``color``, ``line_width``,
    ``line_dash``, ``size``, ``marker``, ``alpha``, ``line_color``) as sorted pairs.
    Layers of one panel with the same ``label`` share one legend entry. An axis without
    explicit limits is fitted to the layers' data; ``fit_within`` = (low, high) leaves out
    of that fit the values of this layer's ``y`` outside the window (a curve that runs off to
    1e40 is drawn whole, unclipped, but does not set the scale).
    """

    kind: str
    frame: str | None
    x: str = ""
    y: str = ""
    label: str = ""
    style: tuple[tuple[str, Any], ...] = ()
    error: str = ""
    value: str = ""
    location: float = 0.0
    hover: tuple[str, ...] = ()
    colour: ColourScale | None = None
    fit_within: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        if self.kind not in LAYER_KINDS:
            raise ValueError(f"kind={self.kind!r} is not a layer kind; valid: {LAYER_KINDS}")
        if (self.frame is None) != (self.kind == "hline"):
            raise ValueError(
                f"frame={self.frame!r}: a {self.kind!r} layer "
                + ("has no frame" if self.kind == "hline" else "needs the name of a frame")
            )

    def columns(self) -> tuple[str, ...]:
        """The frame columns this layer shows (its source's columns for a plain layer)."""
        return tuple(dict.fromkeys(c for c in (self.x, self.y, self.value, *self.hover) if c))


@dataclass(frozen=True)
class Panel:
    """One plot: its texts, axes and layers. Axes whose ``xlim``/``ylim`` is ``None`` follow
    the data.

    ``legend`` is a Bokeh location inside the plot (``"top_right"``, …), ``"right"`` or
    ``"below"`` for a legend beside or under it (``OUTSIDE_LEGENDS``; it never covers data),
    or ``None`` for none.
    """

    title: str
    xlabel: str
    ylabel: str
    layers: tuple[Layer, ...]
    logx: bool = False
    logy: bool = False
    xlim: tuple[float, float] | None = None
    ylim: tuple[float, float] | None = None
    legend: str | None = "top_right"


def _style(style: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted(style.items()))


def line(
    frame: str,
    x: str,
    y: str,
    label: str,
    *,
    fit_within: tuple[float, float] | None = None,
    **style: Any,
) -> Layer:
    """A line through column ``y`` against ``x`` of frame ``frame``, with hover tooltips;
    ``fit_within`` as in :class:`Layer`."""
    return Layer("line", frame, x, y, label, _style(style), fit_within=fit_within)


def markers(
    frame: str, x: str, y: str, label: str, *, hover: Iterable[str] = (), **style: Any
) -> Layer:
    """Markers at (``x``, ``y``); ``hover`` names extra columns shown in the tooltip."""
    return Layer("markers", frame, x, y, label, _style(style), hover=tuple(hover))


def error_bars(frame: str, x: str, y: str, error: str, label: str, **style: Any) -> Layer:
    """Vertical bars from ``y − error`` to ``y + error`` at each ``x``."""
    return Layer("error_bars", frame, x, y, label, _style(style), error=error)


def horizontal_line(location: float, label: str, **style: Any) -> Layer:
    """A line across the plot at height ``location`` (with a legend entry)."""
    return Layer("hline", None, label=label, style=_style(style), location=float(location))


def mesh(
    frame: str,
    x: str,
    y: str,
    value: str,
    label: str,
    colour: ColourScale,
    *,
    hover: Iterable[str] = (),
) -> Layer:
    """Rectangular cells centred on the (``x``, ``y``) grid of the frame's rows, coloured by
    ``value``; the cells' edges lie halfway between centres (geometrically on a log axis)."""
    return Layer("mesh", frame, x, y, label, value=value, colour=colour, hover=tuple(hover))


def structure(panels: list[Panel]) -> tuple:
    """What must be equal for ``panels`` to be drawn by updating figures drawn from others:
    everything but the titles, the legend labels and the data. Which layers share a legend
    entry is kept (as the index of the first layer with their label). The axis labels are
    part of it (the hover tooltips repeat them), and so are explicit axis limits.
    """

    def layer_shape(layers: tuple[Layer, ...]) -> tuple:
        labels = [layer.label for layer in layers]
        return tuple(
            dataclasses.replace(layer, label=str(labels.index(layer.label))) for layer in layers
        )

    return tuple(
        (p.xlabel, p.ylabel, layer_shape(p.layers), p.logx, p.logy, p.legend, p.xlim, p.ylim)
        for p in panels
    )


def _legend_labels(panel: Panel) -> list[str]:
    """The panel's legend entries: its distinct non-empty layer labels, in order."""
    return list(dict.fromkeys(layer.label for layer in panel.layers if layer.label))


# ---------------------------------------------------------------------- data sources
def _cell_edges(centres: np.ndarray, logarithmic: bool) -> np.ndarray:
    """Edges halfway between sorted cell centres, the outer ones mirrored."""
    values = np.log(centres) if logarithmic else centres
    if values.size == 1:
        edges = np.array([values[0] - 0.5, values[0] + 0.5])
    else:
        middle = (values[1:] + values[:-1]) / 2
        edges = np.concatenate(([2 * values[0] - middle[0]], middle, [2 * values[-1] - middle[-1]]))
    return np.exp(edges) if logarithmic else edges


def _mesh_columns(layer: Layer, frame: pd.DataFrame, logx: bool, logy: bool) -> dict:
    columns = {}
    for axis, logarithmic, (low, high) in (
        (layer.x, logx, ("left", "right")),
        (layer.y, logy, ("bottom", "top")),
    ):
        values = frame[axis].to_numpy(float)
        centres = np.unique(values)
        edges = _cell_edges(centres, logarithmic) if centres.size else np.array([0.0])
        index = np.searchsorted(centres, values)
        columns[low], columns[high] = edges[index], edges[index + 1]
    return columns | {name: frame[name].to_numpy() for name in layer.columns()}


@dataclass
class _Source:
    """A Bokeh data source showing one frame: plainly (``role`` "plain") or derived from it
    for one layer (error bars, mesh cells)."""

    frame: str
    role: str
    model: ColumnDataSource
    layer: Layer | None = None
    logx: bool = False
    logy: bool = False
    plain_columns: tuple[str, ...] = ()

    def columns(self, frame: pd.DataFrame) -> dict[str, np.ndarray]:
        if self.role == "error_bars":
            layer, values = self.layer, frame[self.layer.y].to_numpy(float)
            error = frame[layer.error].to_numpy(float)
            return {
                layer.x: frame[layer.x].to_numpy(),
                "lower": values - error,
                "upper": values + error,
            }
        if self.role == "mesh":
            return _mesh_columns(self.layer, frame, self.logx, self.logy)
        return {name: frame[name].to_numpy() for name in self.plain_columns}

    def write(self, frame: pd.DataFrame) -> None:
        """Put the frame into the source, sending only the columns whose values changed."""
        new = self.columns(frame)
        old = self.model.data
        lengths = {len(values) for values in new.values()}
        if set(old) != set(new) or any(len(values) not in lengths for values in old.values()):
            self.model.data = new
            return
        changed = {
            name: values
            for name, values in new.items()
            if not np.array_equal(np.asarray(old[name]), values, equal_nan=values.dtype.kind == "f")
        }
        if changed:
            self.model.data.update(changed)


# ---------------------------------------------------------------------- ranges
def _extent(values: np.ndarray, logarithmic: bool) -> tuple[float, float] | None:
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values) & ((values > 0) if logarithmic else True)]
    return (float(values.min()), float(values.max())) if values.size else None


def _padded(low: float, high: float, logarithmic: bool) -> tuple[float, float]:
    if logarithmic:
        pad = (high / low) ** PADDING if high > low else 2.0
        return low / pad, high * pad
    pad = PADDING * (high - low) or PADDING * abs(high) or 1.0
    return low - pad, high + pad


def _default_range(logarithmic: bool) -> tuple[float, float]:
    return (1.0, 10.0) if logarithmic else (0.0, 1.0)


def _annotation(
    layer: Layer, source: ColumnDataSource | None, colour: str, alpha: float, style: dict
) -> Span | Whisker:
    """The Bokeh annotation drawing a horizontal line or error bars."""
    if layer.kind == "hline":
        return Span(
            location=layer.location, dimension="width", line_color=colour, line_alpha=alpha, **style
        )
    return Whisker(
        source=source,
        base=layer.x,
        lower="lower",
        upper="upper",
        line_color=colour,
        line_alpha=alpha,
        **style,
    )


def _colour_bar(scale: ColourScale, mapper: LinearColorMapper) -> ColorBar:
    """The colour bar of a mesh; categories get one labelled tick each."""
    bar = ColorBar(color_mapper=mapper, title=scale.title, width=12)
    if scale.tick_labels:
        bar.ticker = FixedTicker(ticks=list(range(len(scale.tick_labels))))
        bar.major_label_overrides = dict(enumerate(scale.tick_labels))
    return bar


class Drawing:
    """The Bokeh figures of a view's panels, built once and updated in place.

    Parameters
    ----------
    panels, data
        The view's panels and the frames they show.
    name
        Prefix of the sources' names: a frame's source is named ``<name>|<frame>``, the
        source derived from it for error bars or mesh cells ``<name>|<frame> (error bars)``
        or ``<name>|<frame> (mesh)`` (tests and the load benchmark find a view's plotted
        data by these names). One frame has at most one derived source of each kind.
    font_scale, height
        Text size factor and figure height in pixels (presentation mode enlarges both).
    """

    def __init__(
        self,
        panels: list[Panel],
        data: Mapping[str, pd.DataFrame],
        *,
        name: str,
        font_scale: float = 1.0,
        height: int = 340,
    ) -> None:
        self.structure = structure(panels)
        self._panels = panels
        self._sources: dict[tuple[str, str], _Source] = {}
        self._fitted: list[dict[str, tuple[float, float]]] = [{} for _ in panels]
        self._legends: list[list[LegendItem]] = []
        plain: dict[str, list[str]] = {}
        for panel in panels:
            for layer in panel.layers:
                if layer.kind in ("line", "markers"):
                    plain.setdefault(layer.frame, []).extend(layer.columns())
        for frame, columns in plain.items():
            self._sources[(frame, "plain")] = _Source(
                frame,
                "plain",
                ColumnDataSource(name=f"{name}|{frame}"),
                plain_columns=tuple(dict.fromkeys(columns)),
            )
        self.figures = [self._build(panel, data, name, font_scale, height) for panel in panels]
        for source in self._sources.values():
            source.write(data[source.frame])
        for index, panel in enumerate(panels):
            self._fit(index, panel, data)

    # ------------------------------------------------------------------ building
    def _build(
        self,
        panel: Panel,
        data: Mapping[str, pd.DataFrame],
        name: str,
        font_scale: float,
        height: int,
    ) -> Any:
        points = {key: f"{size * font_scale:.3g}pt" for key, size in FONT_POINTS.items()}
        if panel.legend == "below":  # the legend's rows add to the plot's height, not take it
            height += round(len(_legend_labels(panel)) * LEGEND_ROW_PX * font_scale) + 16
        figure = bokeh_figure(
            title=panel.title,
            x_axis_type="log" if panel.logx else "linear",
            y_axis_type="log" if panel.logy else "linear",
            x_range=Range1d(*(panel.xlim or _default_range(panel.logx))),
            y_range=Range1d(*(panel.ylim or _default_range(panel.logy))),
            x_axis_label=panel.xlabel,
            y_axis_label=panel.ylabel,
            tools=TOOLS,
            toolbar_location="right",
            sizing_mode="stretch_width",
            height=height,
            min_border_left=10,
        )
        figure.toolbar.logo = None
        figure.title.text_font_size = points["title"]
        for axis in (*figure.xaxis, *figure.yaxis):
            axis.axis_label_text_font_size = points["axis"]
            axis.major_label_text_font_size = points["ticks"]
        for axis, logarithmic in ((figure.xaxis[0], panel.logx), (figure.yaxis[0], panel.logy)):
            if logarithmic:
                axis.ticker = CustomJSTicker(major_code=LOG_TICKS_JS)
        colours = iter(COLOUR_CYCLE * len(panel.layers))
        renderers: dict[str, list[GlyphRenderer]] = {}
        hover: dict[tuple, list[GlyphRenderer]] = {}
        for layer in panel.layers:
            style = dict(layer.style)
            if layer.kind != "mesh" and "color" not in style:
                style["color"] = next(colours)
            renderer, tooltips = self._layer(
                figure, panel, layer, style, name, data.get(layer.frame)
            )
            renderers.setdefault(layer.label, []).append(renderer)
            if tooltips:
                hover.setdefault(tooltips, []).append(renderer)
        for tooltips, members in hover.items():
            formatters = {
                field.split("}{")[0] + "}": "printf" for _, field in tooltips if "}{%" in field
            }
            figure.add_tools(
                HoverTool(renderers=members, tooltips=list(tooltips), formatters=formatters)
            )
        items = [
            LegendItem(label=value(label), renderers=renderers[label])
            for label in _legend_labels(panel)
        ]
        self._legends.append(items)
        for bar in figure.select(type=ColorBar):  # a colour bar's text scales like the axes'
            bar.title_text_font_size = points["axis"]
            bar.major_label_text_font_size = points["ticks"]
        if panel.legend is not None and items:
            legend = Legend(
                items=items,
                click_policy="hide",
                label_text_font_size=points["legend"],
                background_fill_alpha=0.8,
            )
            if panel.legend in OUTSIDE_LEGENDS:
                figure.add_layout(legend, panel.legend)
            else:
                legend.location = panel.legend
                figure.add_layout(legend)
        return figure

    def _source(self, layer: Layer, panel: Panel, name: str) -> _Source:
        key = (layer.frame, "plain" if layer.kind in ("line", "markers") else layer.kind)
        if key not in self._sources:
            self._sources[key] = _Source(
                layer.frame,
                key[1],
                ColumnDataSource(name=f"{name}|{layer.frame} ({key[1].replace('_', ' ')})"),
                layer=layer,
                logx=panel.logx,
                logy=panel.logy,
            )
        return self._sources[key]

    def _layer(
        self,
        figure: Any,
        panel: Panel,
        layer: Layer,
        style: dict[str, Any],
        name: str,
        frame: pd.DataFrame | None,
    ) -> tuple[GlyphRenderer, tuple]:
        """Add ``layer`` to ``figure``: (its renderer, its hover tooltips or ())."""
        colour = style.pop("color", None)
        alpha = style.pop("alpha", 1.0)
        if layer.kind in ("hline", "error_bars"):  # annotations, with a line in the legend
            source = None if layer.kind == "hline" else self._source(layer, panel, name).model
            figure.add_layout(_annotation(layer, source, colour, alpha, style))
            glyph = Line(x="x", y="y", line_color=colour, line_alpha=alpha, **style)
            # one point that is not drawn: the legend draws its line with the first point's style
            invisible = ColumnDataSource({"x": [np.nan], "y": [np.nan]})
            renderer = GlyphRenderer(data_source=invisible, glyph=glyph)
            figure.renderers.append(renderer)
            return renderer, ()
        source = self._source(layer, panel, name).model
        if layer.kind == "line":
            style.setdefault("line_width", 2)
            glyph = Line(x=layer.x, y=layer.y, line_color=colour, line_alpha=alpha, **style)
        elif layer.kind == "markers":
            style.setdefault("line_color", colour)
            style.setdefault("fill_alpha", alpha)  # fill_alpha=0: a hollow marker
            glyph = Scatter(x=layer.x, y=layer.y, fill_color=colour, line_alpha=alpha, **style)
        else:
            mapper = LinearColorMapper(
                palette=list(layer.colour.palette), low=layer.colour.low, high=layer.colour.high
            )
            glyph = Quad(
                left="left",
                right="right",
                bottom="bottom",
                top="top",
                fill_color={"field": layer.value, "transform": mapper},
                line_color={"field": layer.value, "transform": mapper},  # no seams between cells
            )
            figure.add_layout(_colour_bar(layer.colour, mapper), "right")
        renderer = GlyphRenderer(data_source=source, glyph=glyph, name=layer.label)
        figure.renderers.append(renderer)
        shown = [(panel.xlabel or layer.x, layer.x), (panel.ylabel or layer.y, layer.y)]
        # a mesh's colour value is an internal code when hover columns say what it means
        extra = layer.hover or ((layer.value,) if layer.value else ())
        shown += [(column, column) for column in extra]
        # a tooltip row is named by its axis label up to the double space before the units;
        # numbers show TOOLTIP_DIGITS significant digits (HoverTool's printf formatter)
        numeric = {
            column for _, column in shown if column in frame and frame[column].dtype.kind in "fiu"
        }
        tooltips = (
            ("", "$name"),
            *(
                (
                    title.split("  ")[0],
                    f"@{{{column}}}" + (TOOLTIP_FORMAT if column in numeric else ""),
                )
                for title, column in shown
            ),
        )
        return renderer, tooltips

    # ------------------------------------------------------------------ updating
    def update(
        self, panels: list[Panel], data: Mapping[str, pd.DataFrame], changed: Iterable[str]
    ) -> None:
        """Show ``panels`` (of the same :func:`structure`) and ``data``; ``changed`` names the
        frames that differ from those last shown."""
        changed = set(changed)
        for source in self._sources.values():
            if source.frame in changed:
                source.write(data[source.frame])
        for index, (old, new) in enumerate(zip(self._panels, panels, strict=True)):
            figure = self.figures[index]
            if new.title != old.title:
                figure.title.text = new.title
            for item, label in zip(self._legends[index], _legend_labels(new), strict=True):
                if item.label.value != label:
                    item.label = value(label)
            if {layer.frame for layer in new.layers} & changed:
                self._fit(index, new, data)
        self._panels = panels

    def _fit(self, index: int, panel: Panel, data: Mapping[str, pd.DataFrame]) -> None:
        """Fit the axes without explicit limits to the data's extent (padded unless a mesh
        fills the plot). A range is written only when it changes, so a zoom survives moves
        that leave the data's extent alone."""
        fitted, figure = self._fitted[index], self.figures[index]
        for axis, limits, logarithmic in (
            ("x", panel.xlim, panel.logx),
            ("y", panel.ylim, panel.logy),
        ):
            if limits is not None:
                continue
            target = self._data_range(panel, data, axis, logarithmic)
            if target is not None and target != fitted.get(axis):
                fitted[axis] = target
                axis_range = getattr(figure, f"{axis}_range")
                axis_range.start, axis_range.end = target

    def _data_range(
        self, panel: Panel, data: Mapping[str, pd.DataFrame], axis: str, logarithmic: bool
    ) -> tuple[float, float] | None:
        extents, padded = [], True
        for layer in panel.layers:
            if layer.kind == "hline":
                values = np.array([layer.location]) if axis == "y" else np.array([])
            elif layer.kind == "mesh":
                source = self._sources[(layer.frame, "mesh")]
                edges = ("left", "right") if axis == "x" else ("bottom", "top")
                values = np.concatenate([source.model.data[edge] for edge in edges])
                padded = False
            elif layer.kind == "error_bars" and axis == "y":
                source = self._sources[(layer.frame, "error_bars")]
                values = np.concatenate([source.model.data["lower"], source.model.data["upper"]])
            else:
                values = data[layer.frame][layer.x if axis == "x" else layer.y].to_numpy()
                if axis == "y" and layer.fit_within is not None:
                    low, high = layer.fit_within
                    values = values[(values >= low) & (values <= high)]
            extent = _extent(values, logarithmic)
            if extent is not None:
                extents.append(extent)
        if not extents:
            return None
        low = min(low for low, _ in extents)
        high = max(high for _, high in extents)
        return _padded(low, high, logarithmic) if padded else (low, high)
