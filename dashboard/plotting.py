"""Plot panels as plain data, drawn as Bokeh figures and then updated in place.

A view's ``figure(data)`` describes its plots as :class:`Panel` values, each a tuple of
glyphs named as in HoloViews: :class:`Curve`, :class:`Scatter`, :class:`ErrorBars`,
:class:`HLine` and :class:`QuadMesh`, each drawn from one of the view's frames (``HLine``
from none) and styled with ``.opts(color=…, line_width=…)``. A glyph is any frozen dataclass
with the members of the :class:`Glyph` protocol: :class:`Drawing` asks each glyph for its
data-source columns, lets it draw itself, fits the axes to its extent and builds the
tooltips from what it offers, so a new kind of glyph is one new class.

:class:`Drawing` builds the Bokeh figures once; when the view's inputs move, a new
description with the same structure (:func:`structure`) is applied to the same figures:
changed frames go into their data sources (only the columns that changed), titles, axis
labels and legend labels are set where they differ, and the axes are re-fitted. No Bokeh
model is built for a moved slider.

Hover: a panel shows one tooltip at a time. Over curves and markers it lists, for the x
under the pointer, the value of every hovered glyph that has a point at that x (one table
per panel, joined on x; ``hover=False`` leaves a glyph out); over a colour mesh it shows the
cell under the pointer (a panel with a mesh has only that tooltip). Numbers show
:data:`TOOLTIP_DIGITS` significant digits, followed by the units of the axis label.

Why not HoloViews: the dashboard used it until November 2026. Building the same four-curve
figure cost 74 ms through HoloViews and 22 ms as plain Bokeh, and a student opening every
tab spent half of the server's 2.3 s on it (``docs/performance/load.md``). A glyph renderer
built here has one glyph model instead of four (selection, non-selection and muted glyphs
are left to BokehJS), and a frame drawn in several glyphs or panels has one data source.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, Self, runtime_checkable

import numpy as np
import pandas as pd
from bokeh.core.properties import value
from bokeh.models import (
    ColorBar,
    ColumnDataSource,
    CustomJS,
    CustomJSHover,
    CustomJSTicker,
    FixedTicker,
    GlyphRenderer,
    HoverTool,
    Legend,
    LegendItem,
    LinearColorMapper,
    Quad,
    Range1d,
    Span,
    Whisker,
)
from bokeh.models import Line as LineGlyph
from bokeh.models import Scatter as MarkerGlyph
from bokeh.plotting import figure as bokeh_figure

__all__ = [
    "ColourScale",
    "Curve",
    "Drawing",
    "ErrorBars",
    "Glyph",
    "HLine",
    "NoDataNote",
    "Panel",
    "Points",
    "QuadMesh",
    "Scatter",
    "structure",
]

#: Colours of glyphs that do not choose one, in order (the HoloViews default cycle).
COLOUR_CYCLE = ("#30a2da", "#fc4f30", "#e5ae38", "#6d904f", "#8b8b8b")
#: Significant digits of the numbers in hover tooltips (a researcher reads values off them).
TOOLTIP_DIGITS = 7
TOOLTIP_FORMAT = f"{{%.{TOOLTIP_DIGITS}g}}"
#: Font sizes in points at font scale 1 (presentation mode multiplies them).
FONT_POINTS = {"title": 13.0, "axis": 11.5, "ticks": 10.0, "legend": 10.0}
TOOLS = "pan,wheel_zoom,box_zoom,save,reset"
#: Ticks of a logarithmic axis, computed in the browser for the visible range: 1, 2, 3, 5
#: per decade across less than 1.5 decades, 1, 2, 5 across less than 3, powers of ten beyond
#: (when not all fit, at the multiples of a round step: 10⁰, 10⁻⁵⁰, 10⁻¹⁰⁰, not every 34th
#: decade from the first), and linear ticks when that leaves fewer than three (a zoom
#: inside a decade). Bokeh's LogTicker puts linear ticks on ranges under two
#: decades: only "0.5, 1" (mantissas 1, 5), or 0.2-steps crowding the top of the axis.
#: No more ticks than labels fit along the axis (``length`` pixels of ``plot``; a label
#: "10⁻⁶" takes about 3.5 font sizes across, 2 stacked; ``font`` in pixels): on a phone, in
#: presentation mode, eight decades on 250 px overlapped.
LOG_TICKS_JS = """
const lo = Math.min(cb_data.start, cb_data.end), hi = Math.max(cb_data.start, cb_data.end);
if (!(lo > 0) || !(hi > lo) || !isFinite(hi)) return [];
const span = Math.log10(hi / lo);
const size = across ? plot.properties.inner_width : plot.properties.inner_height;
const length = size.is_unset ? 0 : size.get_value();  // unset before the first layout
const room = length > 0 ? Math.max(3, Math.floor(length / (across ? 3.5 : 2) / font)) : 8;
const choices = [[1, 2, 3, 5], [1, 2, 5], [1]].slice(span < 1.5 ? 0 : span < 3 ? 1 : 2);
const mantissas = choices.find((m) => m.length * Math.max(span, 1) <= room) || [1];
const first = Math.floor(Math.log10(lo)), last = Math.ceil(Math.log10(hi));
const inside = Math.ceil(Math.log10(lo)), decades = Math.floor(Math.log10(hi)) - inside + 1;
const wanted = Math.max(span > 12 ? Math.ceil(span / 8) : 1, Math.ceil(decades / room));
const step = [1, 2, 3, 5, 10, 20, 25, 50, 100, 200, 250, 500].find((s) => s >= wanted) || wanted;
const ticks = [];
for (let e = first; e <= last; e += 1) {
  if (((e % step) + step) % step) continue;  // powers at multiples of a round step: 10⁰, 10⁻⁵⁰
  for (const m of mantissas) {
    const t = m * Math.pow(10, e);
    if (t >= lo && t <= hi) ticks.push(t);
  }
}
if (ticks.length >= 3 || (ticks.length == 2 && step > 1)) return ticks;
const raw = (hi - lo) / 4, power = Math.pow(10, Math.floor(Math.log10(raw)));
const unit = [1, 2, 5, 10].map((m) => m * power).find((u) => u >= raw);
const linear = [];
for (let t = Math.ceil(lo / unit) * unit; t <= hi; t += unit) linear.push(+t.toPrecision(12));
return linear;
"""
#: Relative margin around data-fitted axes (a decade fraction on logarithmic axes).
PADDING = 0.05
#: Relative span below which an axis treats its data as constant (rounding, not data).
ROUNDING_SPAN = 1e-9
#: Height of one legend row at font scale 1, in pixels.
LEGEND_ROW_PX = 21
#: Legend places outside the plot area.
OUTSIDE_LEGENDS = ("right", "below")
#: A figure narrower than this (pixels) is laid out for a phone (:data:`NARROW_JS`): beside
#: the plot, a colour bar of category names took two thirds of a phone's width, and a tooltip
#: beside the pointer ran off the screen. Not scaled in presentation mode: below, the bar
#: makes the figure taller than a laptop's screen.
NARROW_FIGURE_PX = 640
#: Formats one row of a panel's tooltip: ``value`` is the hovered row of the panel's
#: tooltip table (``source``), ``format`` the column; a glyph without a point at that x
#: gives an empty row (no "NaN" rows). Numbers as printf's %.{digits}g.
TOOLTIP_ROW_JS = """
const drawn = renderers[format] ?? [];
if (drawn.length && drawn.every((renderer) => !renderer.visible)) return "";  // hidden
const column = source.get_column(format);
const v = column == null ? NaN : Number(column[value]);
if (Number.isNaN(v)) return "";
let text = Number.isFinite(v) ? v.toPrecision(DIGITS) : (v > 0 ? "∞" : "−∞");
if (Number.isFinite(v) && text.includes(".")) text = text.replace(/\\.?0+(?=e|$)/, "");
return `${labels[format]}: ${text}${units[format]}`;
""".replace("DIGITS", str(TOOLTIP_DIGITS))
#: Lays a figure out for its width, in the browser: when narrow, each colour bar beside the
#: plot gives way to its twin below it (``bars[i]`` = [beside, below]; the figure grows by
#: ``extras[i]``) and tooltips go above or below the pointer, kept inside the screen; when
#: wide again, back. (Twins shown and hidden, not one bar moved between the figure's sides:
#: BokehJS builds a moved bar's view asynchronously and logs "cannot find a view" meanwhile.)
NARROW_JS = """
const width = plot.outer_width;
if (!(width > 0)) return;
const narrow = width < limit;
const attachment = narrow ? "vertical" : "horizontal";
for (const tool of tools) {  // tooltips set again: a hover tool reads attachment building them
  if (tool.attachment != attachment) {
    tool.setv({attachment, tooltips: tool.tooltips}, {check_eq: false});
  }
}
bars.forEach(([beside, below], i) => {
  if (below.visible == narrow) return;
  beside.visible = !narrow;
  below.visible = narrow;
  plot.height = plot.height + (narrow ? extras[i] : -extras[i]);
});
"""

#: A figure's text for its width, in the browser (whenever the width or the title changes):
#: presentation mode's text size (``scale`` times ``points``, in pt) only on a figure at
#: least ``full`` pixels wide, growing from the normal size at ``full / scale`` pixels (at
#: 1366×768 in presentation mode, two plots side by side cut their titles and legends); a
#: title, legend label or colour-bar title longer than the plot, measured in its font, shrinks
#: to fit (down to 7 pt; "chardson transform" was cut on the left, "Ratio test → 8π" on the
#: right, "log₁₀(|γ(x,y)|/n)  (dimensionless)" below a phone's map); a
#: linear axis asks for no more ticks than its labels fit (about five characters across,
#: two rows stacked: "−60−40−20" ran together).
FIT_TEXT_JS = """
const width = plot.outer_width;
if (!(width > 0)) return;
const factor = Math.min(scale, Math.max(1, scale * width / full));
const size = (key) => points[key] * factor;
const inner = (key, fallback) => {
  const value = plot.properties[key];
  return value.is_unset ? fallback : value.get_value();
};
const canvas = globalThis.qgasCanvas || (globalThis.qgasCanvas = document.createElement("canvas"));
const context = canvas.getContext("2d");
const fitted = (key, texts, room, bold) => {  // pt: size(key), or less to fit the room
  context.font = `${bold ? "bold " : ""}${size(key) * 4 / 3}px helvetica, arial, sans-serif`;
  const measured = Math.max(0, ...texts.map((text) => context.measureText(text).width));
  return (measured > room ? Math.max(7, size(key) * room / measured) : size(key)).toFixed(1);
};
const frame = inner("inner_width", width - 100);
plot.title.text_font_size = `${fitted("title", [plot.title.text || ""], frame - 10, true)}pt`;
const height = inner("inner_height", 200);
for (const [axes, room] of [[plot.below, frame - 10], [plot.left, height - 10]]) {
  for (const axis of axes.filter((a) => a.major_label_text_font_size)) {  // labels fit too
    axis.axis_label_text_font_size = `${fitted("axis", [axis.axis_label || ""], room, false)}pt`;
    axis.major_label_text_font_size = `${size("ticks").toFixed(1)}pt`;
  }
}
for (const legend of legends) {  // a glyph, padding and the label in a row
  const labels = legend.items.map((item) => String(item.label.value ?? ""));
  legend.label_text_font_size = `${fitted("legend", labels, frame - 60, false)}pt`;
}
for (const bar of bars) {  // a bar below the plot spans the frame; one beside it, the height
  const room = bar.orientation === "horizontal" ? frame - 10 : inner("inner_height", 200) - 10;
  bar.title_text_font_size = `${fitted("axis", [bar.title || ""], room, false)}pt`;
}
const font = size("ticks") * 4 / 3;  // pixels
for (const [ticker, across] of linear) {
  const length = across ? inner("inner_width", width - 80) : inner("inner_height", 200);
  const fits = Math.floor(length / (across ? 4.2 : 2.2) / font);
  ticker.desired_num_ticks = Math.max(2, Math.min(6, fits));
}
"""
#: Width (pixels) from which a figure's text has presentation mode's full size: 520 gives a
#: projector's two plots side by side (~470 px each at 1920×1080) 1.45× text and a laptop's
#: (~330 px at 1366×768) the normal size; titles, axis labels and legends longer than that
#: shrink to fit.
FULL_TEXT_PX = 520


def _name_and_units(label: str) -> tuple[str, str]:
    """A label's name and its units as a suffix: ``"separation r  [1/n]"`` gives
    ``("separation r", " [1/n]")`` (the views' convention: units in brackets after two
    spaces; anything else after two spaces is a comment, left out)."""
    name, _, rest = label.partition("  ")
    return name, f" {rest}" if rest.startswith("[") else ""


@dataclass(frozen=True)
class ColourScale:
    """How a mesh's value column becomes a colour: a palette spread over ``low … high``
    (``None``: the data's range), with an optional label per integer tick (categories)."""

    palette: tuple[str, ...]
    title: str
    low: float | None = None
    high: float | None = None
    tick_labels: tuple[str, ...] = ()


# ---------------------------------------------------------------------- glyphs
@runtime_checkable
class Glyph(Protocol):
    """What :class:`Drawing` needs of one glyph of a panel.

    Implemented by frozen dataclasses (compared and hashed by value: :func:`structure`
    compares them, and a view keeps its drawings by structure). ``frame`` names the view's
    frame it is drawn from (``None``: none); glyphs of one frame with the same ``derived``
    (``None``: the frame's own columns) share one Bokeh data source, whose columns are the
    union of their :meth:`derive` results. Glyphs of one panel with the same ``label``
    share one legend entry.
    """

    frame: str | None
    label: str
    style: tuple[tuple[str, Any], ...]
    #: What the glyph's source holds besides the frame's columns ("error bars", "mesh"),
    #: named in the source's name ``<view>|<frame> (<derived>)``; ``None``: the frame's own.
    derived: ClassVar[str | None]
    #: Whether axes fitted to the glyph get a margin (a colour mesh fills the plot).
    padded: ClassVar[bool]

    def columns(self) -> tuple[str, ...]:
        """The frame columns the glyph reads."""
        ...

    def derive(self, frame: pd.DataFrame, logx: bool, logy: bool) -> dict[str, np.ndarray]:
        """The columns the glyph needs in its data source, computed from its frame."""
        ...

    def draw(self, figure: Any, source: ColumnDataSource | None, colours: Iterator[str]) -> Any:
        """Add the glyph to ``figure`` (drawn from ``source``; a glyph without a colour of
        its own takes the next of ``colours``) and return the renderer its legend entry
        shows."""
        ...

    def extent(self, axis: str, columns: Mapping[str, Any]) -> np.ndarray:
        """The values along ``axis`` ("x" or "y") the axis is fitted to, from the
        glyph's source ``columns``."""
        ...

    def drawn_rows(self, frame: pd.DataFrame) -> np.ndarray:
        """Which rows of its frame the glyph draws something for (the legend lists a glyph
        that draws nothing, e.g. a fit where none applies, under no entry)."""
        ...

    def series(self) -> tuple[str, str] | None:
        """The (x, y) columns whose values the panel's tooltip lists; ``None``: none."""
        ...

    def tooltip(self, panel: Panel) -> tuple[tuple[str, str], ...]:
        """(label, column) rows of a tooltip of the glyph's own, shown for the element
        under the pointer (a mesh's cell, a point); ``()``: none. A panel with such a glyph
        has no tooltip of :meth:`series` (two tooltips would stack)."""
        ...


class _Styled:
    """What the glyphs below share: HoloViews-style ``opts`` and the plain source."""

    style: tuple[tuple[str, Any], ...]
    derived: ClassVar[str | None] = None
    padded: ClassVar[bool] = True

    def opts(self, **style: Any) -> Self:
        """A copy with the Bokeh glyph properties ``style`` set (``color``, ``line_width``,
        ``line_dash``, ``size``, ``marker``, ``alpha``, ``fill_alpha``, ``line_color``), as
        HoloViews' ``.opts``."""
        return dataclasses.replace(self, style=tuple(sorted({**dict(self.style), **style}.items())))

    def columns(self) -> tuple[str, ...]:
        return ()

    def derive(self, frame: pd.DataFrame, logx: bool, logy: bool) -> dict[str, np.ndarray]:
        return {name: frame[name].to_numpy() for name in self.columns()}

    def drawn_rows(self, frame: pd.DataFrame) -> np.ndarray:
        """Rows with every numeric column the glyph reads finite (text columns, a state's
        name, are always drawn)."""
        rows = np.ones(len(frame), dtype=bool)
        for column in self.columns():
            values = frame[column].to_numpy()
            if values.dtype.kind in "fiu":
                rows &= np.isfinite(values)
        return rows

    def series(self) -> tuple[str, str] | None:
        return None

    def tooltip(self, panel: Panel) -> tuple[tuple[str, str], ...]:
        return ()


def _paint(style: tuple[tuple[str, Any], ...], colours: Iterator[str]) -> tuple[str, float, dict]:
    """(colour, alpha, other properties) of a glyph's ``style``; without a colour of its
    own, the next of ``colours``."""
    rest = dict(style)
    colour = rest.pop("color", None) or next(colours)
    return colour, rest.pop("alpha", 1.0), rest


def _render(figure: Any, source: ColumnDataSource | None, glyph: Any, name: str) -> GlyphRenderer:
    renderer = GlyphRenderer(data_source=source, glyph=glyph, name=name)
    figure.renderers.append(renderer)
    return renderer


def _legend_line(figure: Any, colour: str, alpha: float, style: dict) -> GlyphRenderer:
    """A renderer that draws nothing, for an annotation's legend entry: a line in its style
    (one point that is not drawn: the legend draws its line with the first point's style)."""
    glyph = LineGlyph(x="x", y="y", line_color=colour, line_alpha=alpha, **style)
    return _render(figure, ColumnDataSource({"x": [np.nan], "y": [np.nan]}), glyph, "")


def _column(columns: Mapping[str, Any], name: str) -> np.ndarray:
    return np.asarray(columns[name], dtype=float)


@dataclass(frozen=True)
class Curve(_Styled):
    """A line through column ``y`` against ``x`` of frame ``frame``.

    An axis without explicit limits is fitted to the panel's data; ``fit_within`` = (low,
    high) leaves the points whose ``y`` lies outside the window out of that fit, on both axes
    (a curve that runs off to 1e40 is drawn whole, unclipped, but sets neither scale: the
    e(γ) error at γ = 10 leaves the window by N ≈ 10 and no longer stretches N to 100).
    ``hover``: the panel's tooltip lists the curve's value at the x under the pointer.
    """

    frame: str
    x: str
    y: str
    label: str
    fit_within: tuple[float, float] | None = None
    hover: bool = True
    style: tuple[tuple[str, Any], ...] = ()

    def columns(self) -> tuple[str, ...]:
        return (self.x, self.y)

    def draw(self, figure: Any, source: ColumnDataSource | None, colours: Iterator[str]) -> Any:
        colour, alpha, style = _paint(self.style, colours)
        style.setdefault("line_width", 2)
        glyph = LineGlyph(x=self.x, y=self.y, line_color=colour, line_alpha=alpha, **style)
        return _render(figure, source, glyph, self.label)

    def extent(self, axis: str, columns: Mapping[str, Any]) -> np.ndarray:
        values = _column(columns, self.x if axis == "x" else self.y)
        if self.fit_within is None:
            return values
        low, high = self.fit_within
        heights = _column(columns, self.y)
        return values[(heights >= low) & (heights <= high)]

    def series(self) -> tuple[str, str] | None:
        return (self.x, self.y) if self.hover else None


@dataclass(frozen=True)
class Scatter(_Styled):
    """Markers at (``x``, ``y``) of frame ``frame`` (``.opts(fill_alpha=0)``: hollow);
    ``hover`` as for :class:`Curve`."""

    frame: str
    x: str
    y: str
    label: str
    hover: bool = True
    style: tuple[tuple[str, Any], ...] = ()

    def columns(self) -> tuple[str, ...]:
        return (self.x, self.y)

    def draw(self, figure: Any, source: ColumnDataSource | None, colours: Iterator[str]) -> Any:
        colour, alpha, style = _paint(self.style, colours)
        style.setdefault("line_color", colour)
        style.setdefault("fill_alpha", alpha)
        glyph = MarkerGlyph(x=self.x, y=self.y, fill_color=colour, line_alpha=alpha, **style)
        return _render(figure, source, glyph, self.label)

    def extent(self, axis: str, columns: Mapping[str, Any]) -> np.ndarray:
        return _column(columns, self.x if axis == "x" else self.y)

    def series(self) -> tuple[str, str] | None:
        return (self.x, self.y) if self.hover else None


@dataclass(frozen=True)
class Points(Scatter):
    """Markers at points (``x``, ``y``) of the plane, ``y`` not a function of ``x`` (poles
    of a function): the tooltip shows the marker under the pointer, not the values at an x
    (a panel with points has only their tooltips). ``hover=False``: no tooltip (a marker
    whose place the legend states, drawn over other points: two tooltips stacked there)."""

    def series(self) -> tuple[str, str] | None:
        return None

    def tooltip(self, panel: Panel) -> tuple[tuple[str, str], ...]:
        if not self.hover:
            return ()
        return ((panel.xlabel or self.x, self.x), (panel.ylabel or self.y, self.y))


@dataclass(frozen=True)
class ErrorBars(_Styled):
    """Vertical bars from ``y − error`` to ``y + error`` at each ``x`` of frame ``frame``
    (an annotation, with a line as its legend entry)."""

    frame: str
    x: str
    y: str
    error: str
    label: str
    style: tuple[tuple[str, Any], ...] = ()
    derived: ClassVar[str | None] = "error bars"

    def columns(self) -> tuple[str, ...]:
        return (self.x, self.y, self.error)

    @property
    def _bounds(self) -> tuple[str, str]:
        return f"{self.y} lower", f"{self.y} upper"

    def _lengths(self, frame: pd.DataFrame) -> np.ndarray:
        """The errors, NaN where not positive: a bar of zero length is not drawn (its caps
        alone read as data: the clean ring's single realisation)."""
        error = frame[self.error].to_numpy(float)
        return np.where(error > 0, error, np.nan)

    def derive(self, frame: pd.DataFrame, logx: bool, logy: bool) -> dict[str, np.ndarray]:
        values, error = frame[self.y].to_numpy(float), self._lengths(frame)
        lower, upper = self._bounds
        return {self.x: frame[self.x].to_numpy(), lower: values - error, upper: values + error}

    def drawn_rows(self, frame: pd.DataFrame) -> np.ndarray:
        return super().drawn_rows(frame) & np.isfinite(self._lengths(frame))

    def draw(self, figure: Any, source: ColumnDataSource | None, colours: Iterator[str]) -> Any:
        colour, alpha, style = _paint(self.style, colours)
        lower, upper = self._bounds
        whisker = Whisker(
            source=source,
            base=self.x,
            lower=lower,
            upper=upper,
            line_color=colour,
            line_alpha=alpha,
            **style,
        )
        figure.add_layout(whisker)
        return _legend_line(figure, colour, alpha, style)

    def extent(self, axis: str, columns: Mapping[str, Any]) -> np.ndarray:
        if axis == "x":
            return _column(columns, self.x)
        return np.concatenate([_column(columns, name) for name in self._bounds])


@dataclass(frozen=True)
class NoDataNote:
    """A glyph (:class:`dashboard.plotting.Glyph`) that draws nothing and hides its panel's
    axes, grid, outline and toolbar: the panel is left as its title, a note saying why it
    has no data, instead of empty axes with made-up ranges and a legend of nothing."""

    label: str = ""
    style: tuple[tuple[str, Any], ...] = ()
    frame: ClassVar[None] = None
    derived: ClassVar[None] = None
    padded: ClassVar[bool] = True
    #: Height of the figure (pixels at normal text size): room for its title alone.
    HEIGHT: ClassVar[int] = 60

    def columns(self) -> tuple[str, ...]:
        return ()

    def derive(self, frame: pd.DataFrame, logx: bool, logy: bool) -> dict[str, np.ndarray]:
        return {}

    def draw(self, figure: Any, source: Any, colours: Iterator[str]) -> Any:
        for part in (*figure.axis, *figure.grid):
            part.visible = False
        figure.outline_line_color = None
        figure.toolbar_location = None
        figure.height = self.HEIGHT
        return figure.line(x=[], y=[])  # no legend entry shows it (its label is empty)

    def extent(self, axis: str, columns: Mapping[str, Any]) -> np.ndarray:
        return np.array([], dtype=float)

    def drawn_rows(self, frame: pd.DataFrame) -> np.ndarray:
        return np.zeros(len(frame), dtype=bool)

    def series(self) -> tuple[str, str] | None:
        return None

    def tooltip(self, panel: Panel) -> tuple[tuple[str, str], ...]:
        return ()


@dataclass(frozen=True)
class HLine(_Styled):
    """A line across the plot at height ``y`` (an annotation with a legend entry; no
    frame)."""

    y: float
    label: str
    style: tuple[tuple[str, Any], ...] = ()
    frame: ClassVar[None] = None

    def draw(self, figure: Any, source: ColumnDataSource | None, colours: Iterator[str]) -> Any:
        colour, alpha, style = _paint(self.style, colours)
        figure.add_layout(
            Span(location=self.y, dimension="width", line_color=colour, line_alpha=alpha, **style)
        )
        return _legend_line(figure, colour, alpha, style)

    def extent(self, axis: str, columns: Mapping[str, Any]) -> np.ndarray:
        return np.array([self.y] if axis == "y" else [], dtype=float)


def _cell_edges(centres: np.ndarray, logarithmic: bool) -> np.ndarray:
    """Edges halfway between sorted cell centres, the outer ones mirrored."""
    values = np.log(centres) if logarithmic else centres
    if values.size == 1:
        edges = np.array([values[0] - 0.5, values[0] + 0.5])
    else:
        middle = (values[1:] + values[:-1]) / 2
        edges = np.concatenate(([2 * values[0] - middle[0]], middle, [2 * values[-1] - middle[-1]]))
    return np.exp(edges) if logarithmic else edges


@dataclass(frozen=True)
class QuadMesh(_Styled):
    """Rectangular cells centred on the (``x``, ``y``) grid of the rows of frame ``frame``,
    coloured by ``value`` through ``colour`` (with a colour bar); the cells' edges lie
    halfway between centres (geometrically on a log axis). Its tooltip shows the cell under
    the pointer: x, y, and the ``hover`` columns (when they say what a category code means)
    or else the value."""

    frame: str
    x: str
    y: str
    value: str
    label: str
    colour: ColourScale
    hover: tuple[str, ...] = ()
    style: tuple[tuple[str, Any], ...] = ()
    derived: ClassVar[str | None] = "mesh"
    padded: ClassVar[bool] = False

    def columns(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.x, self.y, self.value, *self.hover)))

    def derive(self, frame: pd.DataFrame, logx: bool, logy: bool) -> dict[str, np.ndarray]:
        columns = {}
        for axis, logarithmic, (low, high) in (
            (self.x, logx, ("left", "right")),
            (self.y, logy, ("bottom", "top")),
        ):
            values = frame[axis].to_numpy(float)
            centres = np.unique(values)
            edges = _cell_edges(centres, logarithmic) if centres.size else np.array([0.0])
            index = np.searchsorted(centres, values)
            columns[low], columns[high] = edges[index], edges[index + 1]
        return columns | super().derive(frame, logx, logy)

    def draw(self, figure: Any, source: ColumnDataSource | None, colours: Iterator[str]) -> Any:
        scale = self.colour
        mapper = LinearColorMapper(palette=list(scale.palette), low=scale.low, high=scale.high)
        colour = {"field": self.value, "transform": mapper}
        glyph = Quad(
            left="left",
            right="right",
            bottom="bottom",
            top="top",
            fill_color=colour,
            line_color=colour,  # no seams between cells
        )
        bar = ColorBar(color_mapper=mapper, title=scale.title, width=12)
        if scale.tick_labels:  # categories: one labelled tick each
            bar.ticker = FixedTicker(ticks=list(range(len(scale.tick_labels))))
            bar.major_label_overrides = dict(enumerate(scale.tick_labels))
        figure.add_layout(bar, "right")
        return _render(figure, source, glyph, self.label)

    def extent(self, axis: str, columns: Mapping[str, Any]) -> np.ndarray:
        edges = ("left", "right") if axis == "x" else ("bottom", "top")
        return np.concatenate([_column(columns, edge) for edge in edges])

    def tooltip(self, panel: Panel) -> tuple[tuple[str, str], ...]:
        shown = [(c, c) for c in self.hover] or [(self.colour.title, self.value)]
        return ((panel.xlabel or self.x, self.x), (panel.ylabel or self.y, self.y), *shown)


@dataclass(frozen=True)
class Panel:
    """One plot: its texts, axes and glyphs (``layers``, drawn in order). Axes whose
    ``xlim``/``ylim`` is ``None`` follow the data.

    ``legend`` is a Bokeh location inside the plot (``"top_right"``, …), ``"right"`` or
    ``"below"`` for a legend beside or under it (``OUTSIDE_LEGENDS``; it never covers data),
    or ``None`` for none. Layers drawn from a frame in ``reference`` (pinned curves, a
    reference level far below the data) do not widen the fitted axes: they are clipped to the
    range of the others.
    """

    title: str
    xlabel: str
    ylabel: str
    layers: tuple[Glyph, ...]
    logx: bool = False
    logy: bool = False
    xlim: tuple[float, float] | None = None
    ylim: tuple[float, float] | None = None
    legend: str | None = "top_right"
    reference: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        for index, layer in enumerate(self.layers):
            if not isinstance(layer, Glyph):
                raise ValueError(
                    f"layers[{index}]={layer!r} is not a glyph: it needs the members of "
                    "dashboard.plotting.Glyph (as Curve, Scatter, ErrorBars, HLine, QuadMesh)"
                )


def structure(panels: list[Panel]) -> tuple:
    """What must be equal for ``panels`` to be drawn by updating figures drawn from others:
    everything but the titles, the legend labels and the data. Which glyphs share a legend
    entry is kept (as the index of the first glyph with their label). The axis labels are
    part of it (the hover tooltips repeat them), and so are explicit axis limits.
    """

    def layer_shape(layers: tuple[Glyph, ...]) -> tuple:
        labels = [layer.label for layer in layers]
        return tuple(
            dataclasses.replace(layer, label=str(labels.index(layer.label))) for layer in layers
        )

    return tuple(
        (p.xlabel, p.ylabel, layer_shape(p.layers), p.logx, p.logy, p.legend, p.xlim, p.ylim)
        for p in panels
    )


def _legend_labels(panel: Panel) -> list[str]:
    """The panel's legend entries: its distinct non-empty glyph labels, in order (a mesh's
    legend is its colour bar)."""
    return list(
        dict.fromkeys(
            layer.label for layer in panel.layers if layer.label and not isinstance(layer, QuadMesh)
        )
    )


def _drawn_labels(panel: Panel, data: Mapping[str, pd.DataFrame]) -> set[str]:
    """The legend labels with something on the plot: a glyph without a frame (a line at a
    fixed height), or one that draws a row of its frame (:meth:`Glyph.drawn_rows`), for a
    glyph of a ``reference`` frame a row inside the range of the others on a fitted axis, and
    on a logarithmic axis a row at a positive value. An entry for a curve that is not drawn
    (a fit where no fit applies, error bars of zero length, an accuracy level far below the
    errors, a marker at U = 0 on a log axis) would describe nothing."""
    ranges = {}  # the fitted axes' ranges, needed only to place reference glyphs
    padded = all(layer.padded for layer in panel.layers)
    fitted = (("x", panel.xlim, panel.logx), ("y", panel.ylim, panel.logy))
    for axis, limits, logarithmic in fitted if panel.reference else ():
        extent = _extent(_layer_values(panel, data, axis), logarithmic) if limits is None else None
        if extent is not None:
            ranges[axis] = _padded(*extent, logarithmic) if padded else extent

    def drawn(layer: Glyph) -> bool:
        if layer.frame is None:
            return True
        frame = data.get(layer.frame)
        if frame is None:
            return False
        rows = layer.drawn_rows(frame)
        for axis, logarithmic in (("x", panel.logx), ("y", panel.logy)):
            column = getattr(layer, axis, None)
            if logarithmic and column in frame:  # no place on a log axis for x <= 0
                rows &= frame[column].to_numpy(float) > 0
        if layer.frame in panel.reference:
            columns = layer.derive(frame, panel.logx, panel.logy)
            for axis, extent in ranges.items():
                values = layer.extent(axis, columns)
                if values.size == rows.size:
                    rows &= (values >= extent[0]) & (values <= extent[1])
        return bool(rows.any())

    return {layer.label for layer in panel.layers if layer.label and drawn(layer)}


def _layer_values(panel: Panel, data: Mapping[str, pd.DataFrame], axis: str) -> np.ndarray:
    """The values along ``axis`` of the panel's glyphs outside its ``reference`` frames, the
    ones its fitted axes span."""
    values = [
        layer.extent(axis, layer.derive(data[layer.frame], panel.logx, panel.logy))
        for layer in panel.layers
        if layer.frame is not None and layer.frame not in panel.reference and layer.frame in data
    ]
    return np.concatenate(values) if values else np.array([], dtype=float)


# ---------------------------------------------------------------------- tooltips
def _series(panel: Panel) -> list[tuple[str, str, str, str]]:
    """(frame, x, y, label) of each distinct series the panel's tooltip lists."""
    found: dict[tuple[str, str, str], str] = {}
    for layer in panel.layers:
        columns = layer.series()
        if columns is not None and layer.frame is not None:
            found.setdefault((layer.frame, *columns), layer.label)
    return [(*key, label) for key, label in found.items()]


def _tooltip_table(
    series: list[tuple[str, str, str, str]], data: Mapping[str, pd.DataFrame]
) -> dict[str, np.ndarray]:
    """The panel's tooltip table: every x of the series (sorted, once), and per series its
    y at that x (``y<k>``; NaN where the series has no point there)."""
    xs = [data[frame][x].to_numpy(float) for frame, x, _, _ in series]
    grid = np.unique(np.concatenate(xs))
    grid = grid[np.isfinite(grid)]
    table = {"x": grid}
    for index, ((frame, _, y, _), x) in enumerate(zip(series, xs, strict=True)):
        column = np.full(grid.size, np.nan)
        inside = np.isfinite(x)
        column[np.searchsorted(grid, x[inside])] = data[frame][y].to_numpy(float)[inside]
        table[f"y{index}"] = column
    return table


def _tooltip_texts(
    panel: Panel, series: list[tuple[str, str, str, str]]
) -> tuple[dict[str, str], dict[str, str]]:
    """(labels, units) of the tooltip table's columns: the x axis's, and each series' legend
    label (units from the label's brackets, else from the y axis label). On an axis of a
    logarithm (``log₁₀ |Im e|``) the row names the logarithm first: "|Im e|, Padé: −201.03"
    read as a negative absolute value."""
    x_name, x_units = _name_and_units(panel.xlabel)
    y_name, y_units = _name_and_units(panel.ylabel)
    labels, units = {"x": x_name}, {"x": x_units}
    logarithm = y_name.lstrip("−-").startswith("log")
    for index, (*_, label) in enumerate(series):
        name, own_units = _name_and_units(label) if label else (y_name, "")
        if label and logarithm:
            name = f"{y_name} ({name})"
        labels[f"y{index}"], units[f"y{index}"] = name, own_units or y_units
    return labels, units


def _own_hover(renderer: GlyphRenderer, rows: Iterable[tuple[str, str]]) -> HoverTool:
    """The tooltip of the element under the pointer (a mesh's cell, a point): numbers with
    :data:`TOOLTIP_DIGITS` significant digits and their axis label's units, text as it is."""
    columns = renderer.data_source.data
    tooltips, formatters = [], {}
    for title, column in rows:
        name, units = _name_and_units(title)
        field = f"@{{{column}}}"
        if np.asarray(columns[column]).dtype.kind in "fiu":
            formatters[field] = "printf"
            tooltips.append((name, f"{field}{TOOLTIP_FORMAT}{units}"))
        else:
            tooltips.append((name, field))
    return HoverTool(renderers=[renderer], tooltips=tooltips, formatters=formatters)


# ---------------------------------------------------------------------- data sources
@dataclass
class _Source:
    """A Bokeh data source and how its columns are computed from the view's frames."""

    model: ColumnDataSource
    frames: frozenset[str]
    compute: Callable[[Mapping[str, pd.DataFrame]], dict[str, np.ndarray]]

    def write(self, data: Mapping[str, pd.DataFrame]) -> None:
        """Put the new columns into the source, sending only those whose values changed."""
        new = self.compute(data)
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


@dataclass
class _Members:
    """The glyphs drawn from one source (their :meth:`Glyph.derive` columns are merged)."""

    frame: str
    logx: bool
    logy: bool
    glyphs: list[Glyph] = field(default_factory=list)

    def __call__(self, data: Mapping[str, pd.DataFrame]) -> dict[str, np.ndarray]:
        frame = data[self.frame]
        return {
            name: values
            for glyph in self.glyphs
            for name, values in glyph.derive(frame, self.logx, self.logy).items()
        }


# ---------------------------------------------------------------------- ranges
def _extent(values: np.ndarray, logarithmic: bool) -> tuple[float, float] | None:
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values) & ((values > 0) if logarithmic else True)]
    return (float(values.min()), float(values.max())) if values.size else None


def _padded(low: float, high: float, logarithmic: bool) -> tuple[float, float]:
    """``(low, high)`` widened by ``PADDING`` of the span on either side. A span below
    ``ROUNDING_SPAN`` of the values' size is rounding, not data (the clean ring's density
    n(x) = 1 to 1e-15): the axis then shows the values as constant, ±``PADDING`` of their
    size, instead of magnifying the rounding into a curve that swings across the plot."""
    if logarithmic:
        pad = (high / low) ** PADDING if high > low * (1.0 + ROUNDING_SPAN) else 2.0
        return low / pad, high * pad
    size = max(abs(low), abs(high))
    if high - low <= ROUNDING_SPAN * size:
        middle, pad = (low + high) / 2, PADDING * size or 1.0
        return middle - pad, middle + pad
    pad = PADDING * (high - low)
    return low - pad, high + pad


def _default_range(logarithmic: bool) -> tuple[float, float]:
    return (1.0, 10.0) if logarithmic else (0.0, 1.0)


class Drawing:
    """The Bokeh figures of a view's panels, built once and updated in place.

    Parameters
    ----------
    panels, data
        The view's panels and the frames they show.
    name
        Prefix of the sources' names: a frame's source is named ``<name>|<frame>``, the
        source derived from it for error bars or mesh cells ``<name>|<frame> (error bars)``
        or ``<name>|<frame> (mesh)``, and the table of the tooltip of panel ``k``
        ``<name>|panel <k> (tooltip)`` (tests and the load benchmark find a view's plotted
        data by these names).
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
        self._sources: dict[tuple[str | None, str | None], _Source] = {}
        self._tooltips: list[tuple[_Source, CustomJSHover] | None] = []
        self._fitted: list[dict[str, tuple[float, float]]] = [{} for _ in panels]
        self._legends: list[list[LegendItem]] = []
        for panel in panels:
            for layer in panel.layers:
                if layer.frame is not None:
                    self._member(layer, panel, name).glyphs.append(layer)
        tables = [self._tooltip_table(index, panel, name) for index, panel in enumerate(panels)]
        for source in (*self._sources.values(), *filter(None, tables)):
            source.write(data)
        self.figures = [
            self._build(panel, table, font_scale, height, _drawn_labels(panel, data))
            for panel, table in zip(panels, tables, strict=True)
        ]
        for index, panel in enumerate(panels):
            self._fit(index, panel)

    # ------------------------------------------------------------------ building
    def _member(self, layer: Glyph, panel: Panel, name: str) -> _Members:
        """The member list of the source ``layer`` is drawn from (made on first use)."""
        key = (layer.frame, layer.derived)
        if key not in self._sources:
            shown = layer.frame if layer.derived is None else f"{layer.frame} ({layer.derived})"
            self._sources[key] = _Source(
                ColumnDataSource(name=f"{name}|{shown}"),
                frozenset({layer.frame}),
                _Members(layer.frame, panel.logx, panel.logy),
            )
        return self._sources[key].compute

    def _tooltip_table(self, index: int, panel: Panel, name: str) -> _Source | None:
        """The source of the panel's tooltip table (``None``: no series, or a glyph with a
        tooltip of its own)."""
        series = _series(panel)
        if not series or any(layer.tooltip(panel) for layer in panel.layers):
            return None
        return _Source(
            ColumnDataSource(name=f"{name}|panel {index} (tooltip)"),
            frozenset(frame for frame, *_ in series),
            lambda data: _tooltip_table(series, data),
        )

    def _build(
        self,
        panel: Panel,
        table: _Source | None,
        font_scale: float,
        height: int,
        drawn: set[str],
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
        font = FONT_POINTS["ticks"] * font_scale * 4 / 3  # pixels
        linear: list[tuple[Any, bool]] = []
        for axis, across, logarithmic in (
            (figure.xaxis[0], True, panel.logx),
            (figure.yaxis[0], False, panel.logy),
        ):
            if logarithmic:
                axis.ticker = CustomJSTicker(
                    major_code=LOG_TICKS_JS,
                    args={"plot": figure, "across": across, "font": font},
                )
            else:
                linear.append((axis.ticker, across))
        colours = itertools.cycle(COLOUR_CYCLE)
        renderers: dict[str, list[GlyphRenderer]] = {}
        for layer in panel.layers:
            source = self._sources.get((layer.frame, layer.derived))
            renderer = layer.draw(figure, source.model if source else None, colours)
            renderers.setdefault(layer.label, []).append(renderer)
            if rows := layer.tooltip(panel):
                figure.add_tools(_own_hover(renderer, rows))
        self._tooltips.append(
            None if table is None else self._series_hover(figure, panel, table, renderers)
        )
        items = [
            LegendItem(label=value(label), renderers=renderers[label], visible=label in drawn)
            for label in _legend_labels(panel)
        ]
        self._legends.append(items)
        self._fit_width(figure, points, font_scale)
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
        self._fit_text(figure, font_scale, linear)
        return figure

    @staticmethod
    def _series_hover(
        figure: Any,
        panel: Panel,
        table: _Source,
        renderers: dict[str, list[GlyphRenderer]],
    ) -> tuple[_Source, CustomJSHover]:
        """Add one tooltip for the x under the pointer: a line that is not drawn through the
        panel's tooltip table, hovered in "vline" mode (one hit per x), its rows formatted
        by :data:`TOOLTIP_ROW_JS`, leaving out a series hidden by a click on its legend entry
        (``renderers``: the glyphs drawn per legend label). Returns the table and the
        formatter (its labels follow the legend's)."""
        series = _series(panel)
        labels, units = _tooltip_texts(panel, series)
        drawn = {f"y{index}": renderers.get(label, []) for index, (*_, label) in enumerate(series)}
        formatter = CustomJSHover(
            args={"source": table.model, "labels": labels, "units": units, "renderers": drawn},
            code=TOOLTIP_ROW_JS,
        )
        line = _render(figure, table.model, LineGlyph(x="x", y="x", line_alpha=0.0), "")
        tool = HoverTool(
            renderers=[line],
            mode="vline",
            line_policy="none",  # the row at the pointer's segment, the tooltip at the pointer
            tooltips=[("", f"$index{{{column}}}") for column in labels],
            formatters={"$index": formatter},
        )
        figure.add_tools(tool)
        return table, formatter

    @staticmethod
    def _fit_width(figure: Any, points: dict[str, str], font_scale: float) -> None:
        """Colour bars' text scales like the axes'; a narrow figure (a phone) shows its colour
        bars below the plot, growing by their height, and its tooltips above or below the
        pointer (:data:`NARROW_JS`). Below, a list of categories stays a vertical list (in
        labels no larger than 1.2 times the normal: presentation mode's would run off a
        phone), a continuous scale lies horizontal."""
        pairs, extras = [], []
        for bar in figure.select(type=ColorBar):
            bar.title_text_font_size = points["axis"]
            bar.major_label_text_font_size = points["ticks"]
            rows = len(bar.major_label_overrides)  # category names, one per row
            pixels = rows * 1.6 * FONT_POINTS["ticks"] + 48 if rows else 2.2 * FONT_POINTS["axis"]
            extras.append(round(pixels * font_scale) + 40)
            below = ColorBar(
                color_mapper=bar.color_mapper,
                title=bar.title,
                ticker=bar.ticker,
                major_label_overrides=bar.major_label_overrides,
                orientation="vertical" if rows else "horizontal",
                width=12 if rows else "auto",
                height=extras[-1] - 40 if rows else 12,
                title_text_font_size=points["axis"],
                major_label_text_font_size=f"{FONT_POINTS['ticks'] * min(font_scale, 1.2):.3g}pt",
                visible=False,
            )
            figure.add_layout(below, "below")
            pairs.append([bar, below])
        callback = CustomJS(
            args={
                "plot": figure,
                "bars": pairs,
                "extras": extras,
                "tools": list(figure.select(type=HoverTool)),
                "limit": NARROW_FIGURE_PX,
            },
            code=NARROW_JS,
        )
        figure.js_on_change("outer_width", callback)

    @staticmethod
    def _fit_text(figure: Any, font_scale: float, linear: list[tuple[Any, bool]]) -> None:
        """Size the figure's text and linear ticks for its width (:data:`FIT_TEXT_JS`)."""
        callback = CustomJS(
            args={
                "plot": figure,
                "points": FONT_POINTS,
                "scale": font_scale,
                "full": FULL_TEXT_PX,
                "legends": list(figure.select(type=Legend)),
                "bars": list(figure.select(type=ColorBar)),
                "linear": linear,
            },
            code=FIT_TEXT_JS,
        )
        figure.js_on_change("outer_width", callback)
        figure.title.js_on_change("text", callback)
        for legend in callback.args["legends"]:
            for item in legend.items:
                item.js_on_change("label", callback)

    # ------------------------------------------------------------------ updating
    def update(
        self, panels: list[Panel], data: Mapping[str, pd.DataFrame], changed: Iterable[str]
    ) -> None:
        """Show ``panels`` (of the same :func:`structure`) and ``data``; ``changed`` names the
        frames that differ from those last shown."""
        changed = set(changed)
        for source in self._sources.values():
            if source.frames & changed:
                source.write(data)
        for index, (old, new) in enumerate(zip(self._panels, panels, strict=True)):
            figure = self.figures[index]
            if new.title != old.title:
                figure.title.text = new.title
            redrawn = bool({layer.frame for layer in new.layers} & changed)
            drawn = _drawn_labels(new, data) if redrawn else None  # else as it was
            for item, label in zip(self._legends[index], _legend_labels(new), strict=True):
                if item.label.value != label:
                    item.label = value(label)
                if drawn is not None and item.visible != (label in drawn):
                    item.visible = label in drawn
            if self._tooltips[index] is not None:
                self._update_tooltip(new, self._tooltips[index], data, changed)
            if redrawn:
                self._fit(index, new)
        self._panels = panels

    @staticmethod
    def _update_tooltip(
        panel: Panel,
        tooltip: tuple[_Source, CustomJSHover],
        data: Mapping[str, pd.DataFrame],
        changed: set[str],
    ) -> None:
        table, formatter = tooltip
        if table.frames & changed:
            table.write(data)
        labels, _ = _tooltip_texts(panel, _series(panel))
        if formatter.args["labels"] != labels:
            formatter.args = {**formatter.args, "labels": labels}

    def _fit(self, index: int, panel: Panel) -> None:
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
            target = self._data_range(panel, axis, logarithmic)
            if target is not None and target != fitted.get(axis):
                fitted[axis] = target
                axis_range = getattr(figure, f"{axis}_range")
                axis_range.start, axis_range.end = target

    def _data_range(self, panel: Panel, axis: str, logarithmic: bool) -> tuple[float, float] | None:
        extents = []
        current = [layer for layer in panel.layers if layer.frame not in panel.reference]
        for layer in current or panel.layers:
            source = self._sources.get((layer.frame, layer.derived))
            values = layer.extent(axis, source.model.data if source else {})
            extent = _extent(values, logarithmic)
            if extent is not None:
                extents.append(extent)
        if not extents:
            return None
        low = min(low for low, _ in extents)
        high = max(high for _, high in extents)
        padded = all(layer.padded for layer in panel.layers)
        return _padded(low, high, logarithmic) if padded else (low, high)
