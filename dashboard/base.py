"""The view interface every dashboard view implements, and what all views share.

A view is a :class:`View` subclass in its own module under ``dashboard/views/``. It declares
its own inputs as ``param`` parameters (bounds, steps and a doc with units), says which global
inputs of :class:`~dashboard.state.GlobalState` it depends on, and implements two methods:

``data()``
    calls ``physics/`` (through :func:`dashboard.cache.memoize`) and returns a dict
    ``curve name -> pandas.DataFrame``; every frame is offered as a CSV download.
``figure(data)``
    arranges those frames into a list of HoloViews elements/overlays, one per plot panel.

The base class does the rest: widgets built from the parameters, live or throttled updates
(``heavy = True`` for expensive views: updates on slider release, in a worker thread, with a
loading indicator), error display inside the view (a physics error never escapes the view),
"Download CSV", reset, presentation mode, and the list of parameters synced into the URL.
"""

from __future__ import annotations

import asyncio
import html
import io
import itertools
import re
import string
import weakref
from typing import Any, ClassVar

import holoviews as hv
import numpy as np
import pandas as pd
import panel as pn
import param
from bokeh.core.properties import value
from bokeh.models import LogScale
from holoviews.core.util import dimension_sanitizer
from markdown_it import MarkdownIt

from dashboard.state import GlobalState, round_significant

__all__ = [
    "PLOT_HEIGHT",
    "View",
    "chart",
    "escape_text",
    "hover_curve",
    "markdown_inline",
    "markdown_with_math",
]

#: Height in pixels of one plot panel (laptop mode); presentation mode enlarges it.
PLOT_HEIGHT = 340
#: The summary line of a heavy view while its worker thread computes (its loading indicator).
BUSY_TEXT = "<strong><em>Computing for the new inputs…</em></strong>"

_FONT_SCALE = {False: 1.0, True: 1.6}
_TEXT_SIZE = {False: "100%", True: "145%"}
_SCALED_ELEMENTS = (
    "Overlay",
    "Curve",
    "Scatter",
    "Points",
    "Area",
    "Spikes",
    "Image",
    "QuadMesh",
    "Bars",
)

hv.renderer("bokeh")  # loads the Bokeh plotting backend, so options can be applied anywhere

_Refresh = hv.streams.Stream.define("Refresh", revision=0)


def escape_text(text: object) -> str:
    """``text`` as HTML-escaped plain text: user or URL input is never rendered as markup."""
    return html.escape(str(text), quote=True)


def _protect_tex(tex: str) -> str:
    return "".join("\\" + char if char in string.punctuation else char for char in tex)


_INLINE_MARKDOWN = MarkdownIt("commonmark", {"html": False})  # raw HTML is shown as text


def markdown_inline(text: str) -> str:
    """One paragraph of Markdown (``**bold**``, ``*italic*``, `` `code` ``) as HTML."""
    return _INLINE_MARKDOWN.renderInline(text)


def markdown_with_math(text: str) -> str:
    r"""Markdown in which ``$…$`` (inline) and ``$$…$$`` (display) LaTeX survive rendering.

    Panel renders Markdown first and KaTeX afterwards, recognising ``\(…\)`` and ``$$…$$``.
    Markdown would eat the backslashes and underscores of the TeX, so every punctuation
    character inside math is backslash-escaped, and inline ``$…$`` becomes ``\(…\)``.
    """
    text = re.sub(
        r"\$\$(.+?)\$\$",
        lambda match: "\\$\\$" + _protect_tex(match.group(1)) + "\\$\\$",
        text,
        flags=re.S,
    )
    return re.sub(
        r"(?<![\\$])\$([^$\n]+?)\$",
        lambda match: "\\\\(" + _protect_tex(match.group(1)) + "\\\\)",
        text,
    )


_PLOT_IDS = itertools.count(1)


def chart(
    kind: type[hv.Element],
    frame: pd.DataFrame,
    x: str,
    y: str | list[str],
    label: str,
    **opts: Any,
) -> hv.Element:
    """An element ``kind`` (``hv.Curve``, ``hv.Scatter``, ``hv.ErrorBars``, …) of ``y`` against
    ``x``.

    Hover tooltips are on unless ``tools`` says otherwise. The element carries the frame's
    plot id, which stays the same while the frame's data do (see :meth:`View._apply`):
    HoloViews then does not resend an unchanged curve to the browser when only, say, a marker
    moved. Every element showing a frame must be made here, so that the view knows all the
    Bokeh sources a changed frame must be written into.
    """
    element = kind(frame, x, y, label=label, plot_id=frame.attrs.get("plot_id"))
    return element.opts(**{"tools": ["hover"], **opts})


def hover_curve(frame: pd.DataFrame, x: str, y: str, label: str, **opts: Any) -> hv.Curve:
    """A curve of column ``y`` against ``x`` with hover tooltips (see :func:`chart`)."""
    return chart(hv.Curve, frame, x, y, label, **opts)


def _frame_column(column: str, frame: pd.DataFrame) -> str | None:
    """The frame column a Bokeh source column shows: the same name, or the one HoloViews
    sanitised into it (``Re ζ`` is also sent as ``Re_ζ``); None if the frame has neither."""
    if column in frame.columns:
        return column
    for candidate in frame.columns:
        if dimension_sanitizer(str(candidate)) == column:
            return candidate
    return None


def _leaves(panel: hv.core.Dimensioned) -> list[hv.core.Dimensioned]:
    """The elements of a plot panel (an overlay's layers), in drawing order."""
    return panel.traverse(lambda element: element, [hv.Element])


def _title(panel: hv.core.Dimensioned) -> str:
    """The explicit title option of a plot panel ("" if none)."""
    return str(panel.opts.get("plot").kwargs.get("title", ""))


def _weak_hook(view: View) -> Any:
    """The Bokeh plot hook of ``view`` (``View._name_source``) holding it only weakly.

    HoloViews keeps the options of every element, hooks included, in a process-wide option
    tree that is pruned when the element is freed. A hook bound to the view kept the view, and
    with it the element, reachable from that tree: every session's views stayed in memory
    after the session was destroyed (186 views after 31 sessions).
    """
    reference = weakref.ref(view)

    def hook(plot: Any, element: hv.core.Dimensioned) -> None:
        target = reference()
        if target is not None:
            target._name_source(plot, element)

    return hook


class View(param.Parameterized):
    """Base class of a dashboard view (see the module docstring for the contract)."""

    #: Short identifier used in URLs and in the registry (``dashboard.views.VIEWS``).
    slug: ClassVar[str] = ""
    #: Tab title.
    title: ClassVar[str] = ""
    #: Markdown with LaTeX (``$…$``, ``$$…$$``): what is shown, the key equation, the paper.
    explanation: ClassVar[str] = ""
    #: Names of the :class:`GlobalState` parameters this view depends on.
    state_dependencies: ClassVar[tuple[str, ...]] = ()
    #: Expensive views update on slider release, in a worker thread; the summary line says
    #: "Computing…" meanwhile (BUSY_TEXT).
    heavy: ClassVar[bool] = False
    #: Number of plot panels per row.
    columns: ClassVar[int] = 2
    #: Write changed frames straight into their Bokeh sources when possible (axes stay put
    #: unless ``follow_data_ranges``); False forces a full HoloViews re-render on every change.
    patch_sources: ClassVar[bool] = True
    #: Axes without explicit limits follow the data when changed frames are patched into
    #: their sources: the ranges are set from the frames on the server (a browser-side
    #: ``DataRange1d`` would send every new range back, ~50 ms of server work per plot).
    follow_data_ranges: ClassVar[bool] = False
    #: Frames offered as CSV but not plotted (they need no Bokeh source to be patched).
    table_only: ClassVar[tuple[str, ...]] = ()
    #: Own parameters whose change alters plot options (e.g. log axes): panes are rebuilt.
    rebuild_on: ClassVar[tuple[str, ...]] = ()
    #: Own parameters that appear in titles or legend labels: when one moves, the fast path
    #: builds the figure again (no render) to bring those texts up to date. Missing one here
    #: leaves a stale text, which ``tests/dashboard/test_patched_updates.py`` catches.
    text_parameters: ClassVar[tuple[str, ...]] = ()

    state = param.ClassSelector(class_=GlobalState, precedence=-1, doc="Shared global inputs.")

    def __init__(self, state: GlobalState | None = None, **params: Any) -> None:
        super().__init__(state=state if state is not None else GlobalState(), **params)
        self._data: dict[str, pd.DataFrame] = {}
        self._generation = 0  # latest threaded update request (heavy views)
        self._refresh = _Refresh()
        self._hook = _weak_hook(self)
        self._panes: list[pn.pane.HoloViews] = []
        self._sources: dict[str, list] = {}  # frame name -> the Bokeh sources showing it
        # id(Bokeh figure) -> (figure, {"x"|"y": {(frame, column) shown on that axis}})
        self._extents: dict[int, tuple[Any, dict[str, set[tuple[str, str]]]]] = {}
        self._panels: list[hv.core.Dimensioned] = []  # figure(self._panels_for)
        self._panels_for: dict[str, pd.DataFrame] | None = None
        self._panels_drawn: list[hv.core.Dimensioned] = []  # whose texts the figures show
        self._figures: dict[int, Any] = {}  # id -> the Bokeh figures of the panes
        self._texts_stale = False  # an own parameter changed since the texts were drawn
        self._error = pn.pane.Alert("", alert_type="danger", visible=False)
        # a text widget: its updates send the text alone (a Markdown pane resends its
        # stylesheets, which makes Bokeh re-index every model of the page: ~30 ms per move)
        self._summary_text = ""  # the summary of the data shown
        self._summary = pn.widgets.StaticText(
            value="", sizing_mode="stretch_width", css_classes=["qge-summary"]
        )
        self._explanation = pn.pane.Markdown(
            markdown_with_math(self.explanation),
            sizing_mode="stretch_width",
            css_classes=["qge-explanation"],
        )
        self._plots = pn.FlexBox(sizing_mode="stretch_width")
        self._csv_slot = pn.Column(sizing_mode="stretch_width")
        self._layout: pn.viewable.Viewable | None = None
        self._shown = True  # whether the page shows this view (see set_shown)
        self._pending: set[str] = set()  # updates held while hidden: "data", "presentation"
        self.param.watch(self._inputs_changed, self.own_parameters())
        if self.state_dependencies:
            # registered before the app's URL sync, so new plot data leave before the URL
            # update (an off-grid γ is snapped by the app afterwards and updates the view again)
            self.state.param.watch(self._inputs_changed, list(self.state_dependencies))
        self.state.param.watch(self._presentation_changed, ["presentation"])

    # ------------------------------------------------------------------ contract
    def data(self) -> dict[str, pd.DataFrame]:
        """Physics results for the current inputs, one DataFrame per plotted curve."""
        raise NotImplementedError

    def figure(self, data: dict[str, pd.DataFrame]) -> list[hv.core.Dimensioned]:
        """Arrange ``data`` into HoloViews plot panels (same number of panels every time)."""
        raise NotImplementedError

    def summary(self, data: dict[str, pd.DataFrame]) -> str:
        """Optional Markdown printed under the plots (e.g. a fitted length, the state)."""
        return ""

    # ------------------------------------------------------------------ parameters
    @classmethod
    def own_parameters(cls) -> list[str]:
        """The view's own input parameters (those shown as widgets and synced to the URL)."""
        return [name for name in cls.param if name not in ("name", "state")]

    def url_parameters(self) -> dict[str, str]:
        """Mapping parameter name -> URL query name for ``pn.state.location.sync``."""
        return {name: f"{self.slug}_{name}" for name in self.own_parameters()}

    def reset(self) -> None:
        """Set the view's own parameters back to their defaults."""
        self.param.update(**{name: self.param[name].default for name in self.own_parameters()})

    # ------------------------------------------------------------------ computing
    @property
    def current_data(self) -> dict[str, pd.DataFrame]:
        """The frames currently plotted (empty before the first successful update)."""
        return self._data

    @property
    def error_message(self) -> str:
        """The error shown in the view ('' when the last update succeeded)."""
        return self._error.object if self._error.visible else ""

    def refresh(self) -> None:
        """Recompute the physics for the current inputs and redraw (synchronously)."""
        self._apply(self._compute())

    def _compute(self) -> dict[str, pd.DataFrame] | BaseException:
        try:
            return self.data()
        except Exception as exc:  # a physics error stays inside this view
            return exc

    def _apply(self, result: dict[str, pd.DataFrame] | BaseException) -> None:
        """Draw ``result`` (:meth:`_draw`), its changes sent to the page in one message.

        Bokeh's server sends every model change as its own message, and writing each costs a
        walk over every model of the page (~1 ms for a page of 900 models): a moved marker
        touches ~10 models.
        """
        with pn.io.hold():
            self._draw(result)

    def _draw(self, result: dict[str, pd.DataFrame] | BaseException) -> None:
        """Show ``result``: new frames, their figure and summary, or the error, in this view.

        ``figure`` and ``summary`` run here, under the same guard as ``data``: an exception
        in any of them leaves the last valid plots in place and says what went wrong. When
        every changed frame can be written straight into the Bokeh sources that show it (a
        moved marker), the figure is neither rebuilt nor re-rendered.
        """
        if isinstance(result, BaseException):
            self._show_error(result)
            return
        frames = self._stable_frames(result)
        try:
            summary = self.summary(frames)
        except Exception as exc:
            self._show_error(exc)
            return
        changed = [name for name in frames if self._data.get(name) is not frames[name]]
        same_layout = bool(self._panes) and set(self._data) == set(frames)
        patchable = (
            same_layout
            and self.patch_sources
            and all(
                self._can_patch(name, frames[name])
                for name in changed
                if name not in self.table_only
            )
        )
        fast = same_layout and (patchable or not changed)
        if not fast or (self._texts_stale and self._panes):
            try:
                self._panels, self._panels_for = self.figure(frames), frames
            except Exception as exc:
                self._show_error(exc)
                return
        if changed or self._panels_for is frames:  # else the panels stay valid for _data
            self._data = frames
        if fast:
            for name in changed:
                if name not in self.table_only:
                    self._patch_source(name)
            if changed and self.follow_data_ranges:
                self._fit_ranges()
            if self._texts_stale and self._panes:
                self._sync_texts()
        elif self._panes:
            self._refresh.event(revision=self._refresh.revision + 1)
        elif self._layout is not None:
            self._build_panes()
        self._texts_stale = False
        # text after data: the browser draws the plots before it re-lays out the page
        self._summary.value = self._summary_text = markdown_inline(summary)
        self._error.visible = False

    def _show_error(self, error: BaseException) -> None:
        self._summary.value = self._summary_text  # no longer computing
        self._error.object = (
            f"**Could not compute this view:** {escape_text(type(error).__name__)}: "
            f"{escape_text(error)}. The plots show the last valid inputs."
        )
        self._error.visible = True

    def _can_patch(self, name: str, frame: pd.DataFrame) -> bool:
        """Whether frame ``name`` has Bokeh sources to write into, with columns it provides."""
        sources = self._sources.get(name, [])
        return bool(sources) and all(
            _frame_column(column, frame) is not None for source in sources for column in source.data
        )

    def _patch_source(self, name: str) -> None:
        """Put frame ``name`` straight into the Bokeh data sources that show it (no
        HoloViews re-render of the figure): the fast path for a moved marker."""
        frame = self._data[name]
        for source in self._sources[name]:
            source.data = {
                column: frame[_frame_column(column, frame)].to_numpy() for column in source.data
            }

    def _sync_texts(self) -> None:
        """Bring the figures' titles, legend labels and source names to the latest panels.

        On the fast path the figures keep the texts of the panels they were drawn from; a
        moved own parameter may change them (``N = 4`` in a legend). The latest panels have
        the same elements in the same order, so each old text maps to its new one.
        """
        renamed: dict[str, str] = {}
        for drawn, latest in zip(self._panels_drawn, self._panels, strict=False):
            renamed[_title(drawn)] = _title(latest)
            for old, new in zip(_leaves(drawn), _leaves(latest), strict=False):
                renamed[old.label] = new.label
        renamed = {old: new for old, new in renamed.items() if old != new}
        if renamed:
            for figure in self._figures.values():
                if figure.title is not None and figure.title.text in renamed:
                    figure.title.text = renamed[figure.title.text]
                for legend in figure.legend:
                    for item in legend.items:
                        label = getattr(item.label, "value", None)
                        if label in renamed:
                            item.label = value(renamed[label])
            for sources in self._sources.values():
                for source in sources:
                    label = source.name.partition("|")[2]
                    if label in renamed:
                        source.name = f"{self.slug}|{renamed[label]}"
        self._panels_drawn = self._panels

    def _figure_panels(self) -> list[hv.core.Dimensioned]:
        """``figure(current data)``, rebuilt if the data moved on by patching alone.

        Guarded like :meth:`_apply`: if ``figure`` fails, the error is shown and the last
        valid panels are drawn.
        """
        if self._panels_for is not self._data:
            try:
                self._panels = self.figure(self._data)
            except Exception as exc:
                self._show_error(exc)
            self._panels_for = self._data
        return self._panels

    def _stable_frames(self, frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
        """Keep the previous object of every unchanged frame; give changed ones a new plot id."""
        stable = {}
        for name, frame in frames.items():
            previous = self._data.get(name)
            if previous is not None and previous.equals(frame):
                stable[name] = previous
            else:
                frame.attrs["plot_id"] = next(_PLOT_IDS)
                frame.attrs["frame"] = name
                stable[name] = frame
        return stable

    def set_shown(self, shown: bool) -> None:
        """Tell the view whether the page shows it; a shown view catches up on held updates.

        A hidden view neither computes nor redraws for input changes until it is shown
        again: no work for what nobody sees (a γ move would otherwise recompute every view
        the student has opened).
        """
        self._shown = shown
        if not shown or not self._pending:
            return
        pending, self._pending = self._pending, set()
        if "presentation" in pending:
            self._presentation_changed()
        if "data" in pending:
            self._update()

    def _inputs_changed(self, *events: param.parameterized.Event) -> None:
        if self._layout is None:
            return
        if any(event.name in self.rebuild_on for event in events):
            self._panes = []
        if any(event.obj is self and event.name in self.text_parameters for event in events):
            self._texts_stale = True
        if not self._shown:
            self._pending.add("data")
            return
        self._update()

    def _update(self) -> None:
        """Recompute now, or, for a heavy view in a served session, in a worker thread."""
        if self.heavy and pn.state.curdoc is not None and pn.state.curdoc.session_context:
            pn.state.execute(self._refresh_in_thread, schedule=True)
        else:
            self.refresh()

    async def _refresh_in_thread(self) -> None:
        """Compute in a worker thread, then show the result in a document callback.

        The callback holds the Bokeh document lock, which changes written straight into
        data sources need to reach the browser.
        """
        self._generation += 1
        generation = self._generation
        document = pn.state.curdoc
        # the loading indicator is the summary line: a text update is cheap in the browser,
        # where a `loading` overlay or a spinner made every update ~0.4 s slower
        # (docs/performance/dashboard.md)
        self._summary.value = BUSY_TEXT
        result = await asyncio.to_thread(self._compute)
        if generation == self._generation:
            document.add_next_tick_callback(lambda: self._show_result(result, generation))

    def _show_result(
        self, result: dict[str, pd.DataFrame] | BaseException, generation: int
    ) -> None:
        if generation != self._generation:
            return
        if self._shown:
            self._apply(result)
        else:  # hidden meanwhile: recompute (from the cache) when shown again
            self._pending.add("data")

    # ------------------------------------------------------------------ drawing
    def _name_source(self, plot: Any, element: hv.core.Dimensioned) -> None:
        """Bokeh hook: name each data source ``<slug>|<label>`` (browser tests find it by name),
        remember which sources show which frame, and let the axes follow the data if asked."""
        self._figures[id(plot.state)] = plot.state
        source = plot.handles.get("source")
        if source is not None:
            source.name = f"{self.slug}|{element.label or element.group}"
            frame = getattr(element.data, "attrs", {}).get("frame")
            if frame is not None:
                known = self._sources.setdefault(frame, [])
                if source not in known:
                    known.append(source)
                if self.follow_data_ranges:
                    self._record_extent(plot, element, frame)

    def _record_extent(self, plot: Any, element: hv.core.Dimensioned, frame: str) -> None:
        """Note that frame ``frame`` sets the extent of the plot's axes without explicit limits."""
        shown = self._extents.setdefault(id(plot.state), (plot.state, {}))[1]
        columns = (element.kdims[0].name, element.vdims[0].name)
        for axis, limits, column in zip(("x", "y"), (plot.xlim, plot.ylim), columns, strict=True):
            if all(limit is None or np.isnan(limit) for limit in limits):
                shown.setdefault(axis, set()).add((frame, column))

    def _fit_ranges(self) -> None:
        """Set the axis ranges of the figures that follow the data to the frames' extents."""
        for figure, shown in self._extents.values():
            for axis, members in shown.items():
                values = np.concatenate(
                    [self._data[frame][column].to_numpy(float) for frame, column in members]
                )
                logarithmic = isinstance(getattr(figure, f"{axis}_scale"), LogScale)
                values = values[np.isfinite(values) & ((values > 0) if logarithmic else True)]
                if values.size == 0:
                    continue
                low, high = values.min(), values.max()
                if logarithmic:
                    pad = (high / low) ** 0.05
                    low, high = low / pad, high * pad
                else:
                    pad = 0.05 * (high - low) or 0.05 * abs(high) or 1.0
                    low, high = low - pad, high + pad
                target = getattr(figure, f"{axis}_range")
                target.start, target.end = float(low), float(high)

    def _render_panel(self, index: int, revision: int = 0) -> hv.core.Dimensioned:
        """Plot panel ``index`` of the latest figure (``revision`` only triggers the redraw)."""
        self._panels_drawn = self._figure_panels()
        panel = self._panels_drawn[index]
        scale = _FONT_SCALE[self.state.presentation]
        return panel.opts(
            hv.opts.Overlay(fontscale=scale),
            *[
                getattr(hv.opts, name)(fontscale=scale, hooks=[self._hook])
                for name in _SCALED_ELEMENTS
                if name != "Overlay"
            ],
        )

    def _build_panes(self) -> None:
        self._sources = {}
        self._extents = {}
        self._figures = {}
        count = len(self._figure_panels())
        height = int(PLOT_HEIGHT * (1.35 if self.state.presentation else 1.0))
        self._panes = [
            pn.pane.HoloViews(
                hv.DynamicMap(
                    lambda revision, i=i: self._render_panel(i, revision), streams=[self._refresh]
                ),
                sizing_mode="stretch_width",
                min_width=380,
                height=height + 30,
                styles={"flex": f"1 1 {100 // max(self.columns, 1) - 2}%"},
            )
            for i in range(count)
        ]
        self._plots.objects = self._panes

    def _presentation_changed(self, *_: param.parameterized.Event) -> None:
        if not self._shown:
            self._pending.add("presentation")
            return
        size = _TEXT_SIZE[self.state.presentation]
        for pane in (self._explanation, self._summary, self._error):
            pane.styles = {**pane.styles, "font-size": size}
        if self._panes:
            self._panes = []
            self._build_panes()

    # ------------------------------------------------------------------ widgets
    def widget(self, name: str) -> pn.widgets.Widget:
        """The widget of parameter ``name``; sliders round their value (no URL float noise).

        Heavy views listen to ``value_throttled`` (slider release), cheap ones to ``value``.
        """
        parameter = self.param[name]
        label = parameter.label
        if isinstance(parameter, param.Integer | param.Number) and parameter.bounds:
            low, high = parameter.softbounds or parameter.bounds
            integer = isinstance(parameter, param.Integer)
            kind = pn.widgets.IntSlider if integer else pn.widgets.FloatSlider
            widget = kind(
                label=label,
                start=low,
                end=high,
                step=parameter.step or (1 if integer else (high - low) / 100),
                value=getattr(self, name),
                tooltips=True,
                sizing_mode="stretch_width",
            )
            event_name = "value_throttled" if self.heavy else "value"

            def to_param(event: param.parameterized.Event) -> None:
                value = event.new if integer else round_significant(event.new)
                setattr(self, name, value)

            widget.param.watch(to_param, event_name)
            self.param.watch(lambda event: setattr(widget, "value", event.new), name)
            return widget
        return pn.panel(parameter, sizing_mode="stretch_width")

    def controls(self) -> list[pn.viewable.Viewable]:
        """The view's own widgets (override to customise)."""
        return [self.widget(name) for name in self.own_parameters()]

    def _csv_download(self) -> pn.Column:
        choice = pn.widgets.Select(label="Curve", options=[], sizing_mode="stretch_width")

        def csv_text() -> io.StringIO:
            frame = self._data.get(choice.value)
            return io.StringIO("" if frame is None else frame.to_csv(index=False))

        button = pn.widgets.FileDownload(
            callback=csv_text,
            filename="curve.csv",
            label="Download CSV",
            color="primary",
            sizing_mode="stretch_width",
        )

        def update_choices(*_: Any) -> None:
            choice.options = list(self._data)
            if choice.value not in self._data and self._data:
                choice.value = next(iter(self._data))

        def update_filename(*_: Any) -> None:
            stem = "".join(c if c.isalnum() else "_" for c in str(choice.value or "curve"))
            button.filename = f"{self.slug}_{stem}.csv"

        choice.param.watch(update_filename, "value")
        self._summary.param.watch(update_choices, "value")
        self._refresh.add_subscriber(lambda **_: update_choices())
        update_choices()
        update_filename()
        return pn.Column(choice, button, sizing_mode="stretch_width")

    def panel(self) -> pn.viewable.Viewable:
        """The view's layout (built once; the first computation happens here)."""
        if self._layout is None:
            controls = pn.Column(
                *self.controls(),
                pn.layout.Divider(),
                self._csv_slot,
                width=290,
                css_classes=["qge-controls"],
            )
            self._layout = pn.Column(
                pn.Row(
                    controls,
                    pn.Column(
                        self._error,
                        self._summary,  # above the plots: the key result, and "Computing…"
                        self._plots,
                        sizing_mode="stretch_width",
                    ),
                    sizing_mode="stretch_width",
                ),
                self._explanation,
                sizing_mode="stretch_width",
                css_classes=["qge-view", f"qge-view-{self.slug}"],
            )
            self._presentation_changed()
            self._update()
            self._csv_slot[:] = [self._csv_download()]
        return self._layout
