"""The view interface every dashboard view implements, and what all views share.

A view is a :class:`View` subclass in its own module under ``dashboard/views/``. It declares
its own inputs as ``param`` parameters (bounds, steps and a doc with units), says which global
inputs of :class:`~dashboard.state.GlobalState` it depends on, and implements two methods:

``data()``
    calls ``physics/`` (through :func:`dashboard.cache.memoize`) and returns a dict
    ``curve name -> pandas.DataFrame``; every frame is offered for download (CSV, NetCDF,
    with units and parameters: :mod:`dashboard.export`).
``figure(data)``
    arranges those frames into a list of :class:`dashboard.plotting.Panel` (plain data:
    titles, axes, and layers drawn from named frames), one per plot panel.

The base class does the rest: Bokeh figures built once and updated in place when the inputs
move (:class:`dashboard.plotting.Drawing`), widgets built from the parameters, live or
throttled updates
(``heavy = True`` for expensive views: updates on slider release, in a worker thread, with a
loading indicator), error display inside the view (a physics error never escapes the view),
downloads and an HTML snapshot (:mod:`dashboard.export`), pinned reference curves
(:mod:`dashboard.pins`), reset, presentation mode, and the list of parameters synced into
the URL.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import logging
import math
import re
import string
from collections.abc import Callable
from typing import Any, ClassVar

import pandas as pd
import panel as pn
import param
from bokeh.events import DoubleTap, PointEvent, Tap
from markdown_it import MarkdownIt

from dashboard import physics_pool
from dashboard.formatting import slider_labels
from dashboard.plotting import Drawing, Panel, structure
from dashboard.state import (
    GlobalState,
    ZeroOrLogScale,
    round_significant,
    snap_to_depth_grid,
    snap_to_gamma_grid,
)

__all__ = [
    "PLOT_HEIGHT",
    "View",
    "escape_text",
    "linked_slider",
    "markdown_inline",
    "markdown_with_math",
    "quoted",
]

_logger = logging.getLogger(__name__)

#: Where :meth:`View.publish` sends the frames of a heavy computation that are ready before
#: the rest (set by :meth:`View._refresh_in_thread`; None elsewhere: tests, scripts).
_early_frames: contextvars.ContextVar[Any] = contextvars.ContextVar("early_frames", default=None)

#: Height in pixels of one plot panel (laptop mode); presentation mode enlarges it.
PLOT_HEIGHT = 340
#: Narrowest plot panel in pixels (fits a 390 px phone) and width of the controls column.
PLOT_MIN_WIDTH = 300
CONTROLS_WIDTH = 290
#: Below this width (phones) the controls column takes the full width, above the plots.
_NARROW_FULL_WIDTH = (
    "@media (max-width: 767.98px) { :host { width: 100% !important; flex: 1 1 100%; } }"
)
#: On a phone the controls' box dissolves (``display: contents``): its parts become items of
#: the row around it, each a full line, and ``order`` puts the pins and downloads after the
#: plots, so the plot follows the sliders on the first screen instead of a screen below.
_NARROW_CONTROLS = (
    "@media (max-width: 767.98px) { :host { display: contents !important; } * { flex: 1 1 100%; } }"
)
_NARROW_ORDER = (
    "@media (max-width: 767.98px) {{ :host {{ order: {order} !important; flex: 1 1 100%; }} }}"
)
#: The summary line of a heavy view while its worker thread computes (its loading indicator)
#: begins with this notice; the summary of the inputs shown follows it, dimmed (:func:`busy_line`).
BUSY_TEXT = "<strong><em>Computing for the new inputs…</em></strong>"


def busy_line(summary: str) -> str:
    """The summary line while a heavy view computes: :data:`BUSY_TEXT`, then ``summary`` (the
    escaped HTML of the inputs still shown) dimmed. The line keeps about its height, so the
    plots below do not jump up and back on every move: a re-flow of the page makes Bokeh
    lay out and repaint every figure below it, which cost the decay view about half of the
    browser's work per update (Chromium profile, docs/performance/dashboard.md)."""
    return f'{BUSY_TEXT} <span style="opacity: 0.55">{summary}</span>' if summary else BUSY_TEXT


#: Each character that can start markup in HTML or Markdown (CommonMark's escapable
#: punctuation) as a numeric reference; TeX's delimiter characters ``$`` and ``\`` also
#: followed by U+2060 WORD JOINER (no width, no line break), which no TeX delimiter contains.
_LITERAL = {
    char: f"&#{ord(char)};" + ("&#8288;" if char in "$\\" else "") for char in string.punctuation
}

_FONT_SCALE = {False: 1.0, True: 1.6}
_TEXT_SIZE = {False: "100%", True: "145%"}


def quoted(value: object, limit: int = 60) -> str:
    """``'text'`` as the user wrote it, its first ``limit`` characters, escaped for display:
    ``repr`` doubled every backslash (a refused ``$$\\href{…}$$`` read ``'$$\\\\href{…}$$'``)."""
    text = value if isinstance(value, str) else repr(value)
    return escape_text(f"'{text[:limit]}'")


def escape_text(text: object) -> str:
    """``text`` as literal text for a Markdown or HTML pane: nothing in it becomes markup.

    Every ASCII punctuation character becomes a numeric character reference (``<`` →
    ``&#60;``, ``!`` → ``&#33;``, ``:`` → ``&#58;``): HTML sees no tag, Markdown no image, link,
    emphasis or heading, and its autolinker no URL (``http://…``, ``www.…``, ``evil.com``: each
    reference splits the text where a link would be recognised). Runs of whitespace, line
    breaks included, become one space (no new paragraph, heading or code block). An
    invisible word joiner follows every ``$`` and ``\\``: the browser decodes the references
    before its TeX finder looks for ``$$…$$``, ``\\(…\\)`` and ``\\[…\\]``, and
    ``?zz=$$\\Huge HACKED$$`` in a link was typeset. Do not put the result inside a Markdown
    code span (`` `…` ``), which shows references verbatim.
    """
    words = " ".join(str(text).split())
    return "".join(_LITERAL.get(char, char) for char in words)


def _protect_tex(tex: str) -> str:
    # a bare < or > in the page's HTML would start or end a tag: KaTeX gets \lt and \gt
    tex = tex.replace("<", r"\lt ").replace(">", r"\gt ")
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


#: Drawings of other structures a view keeps (a model or a check box toggled back and forth
#: updates kept figures instead of building new ones).
DRAWINGS_KEPT = 4
#: The global inputs as a sentence names them (tap hints, the phone's sidebar note, pins).
TAP_NAMES = {"gamma": "γ", "disorder_strength": "the disorder strength", "lattice_depth": "U"}
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")
#: Shown only on a phone, where the sidebar with the global sliders starts closed.
_PHONE_ONLY = "@media (min-width: 768px) { :host { display: none !important; } }"


def sidebar_note(view: View) -> str:
    """``"Set γ with its slider in the ☰ menu (top left)."``: on a phone the sidebar holding
    the sliders of ``view.state_dependencies`` starts closed, so a view says where they are
    ('' for a view driven by its own controls alone)."""
    names = [TAP_NAMES[name] for name in view.state_dependencies]
    if not names:
        return ""
    sliders = "its slider" if len(names) == 1 else "their sliders"
    return f"Set {' and '.join(names)} with {sliders} in the ☰ menu (top left)."


#: Global inputs whose sliders step through a grid: a tapped value is snapped onto it.
_GRID_SNAPS = {"gamma": snap_to_gamma_grid, "lattice_depth": snap_to_depth_grid}


def tap_hint(view: View, count: int) -> str:
    """``"Click or tap the first plot to set γ there."`` for a view's ``tap_targets`` drawn in
    ``count`` figures: one sentence per set of inputs, naming every plot that sets them."""
    plots_by_inputs: dict[str, list[int]] = {}
    for index, *targets in view.tap_targets:
        names = [
            TAP_NAMES.get(name) or view.param[name].label
            for name in targets
            if name is not None and (name in TAP_NAMES or name in view.param)
        ]
        plots_by_inputs.setdefault(" and ".join(names), []).append(index)
    sentences = []
    for names, indices in plots_by_inputs.items():
        if count == 1:
            where = "the plot"
        elif len(indices) == count:
            where = "either plot" if count == 2 else "any plot"
        else:
            where = f"the {' or '.join(_ORDINALS[min(i, 5)] for i in indices)} plot"
        sentences.append(f"Click or tap {where} to set {names} there.")
    return f"<em>{' '.join(sentences)}</em>"


def linked_slider(
    owner: param.Parameterized,
    name: str,
    label: str,
    stops: Callable[[float], list[float]],
    *,
    live: bool = True,
    **options: Any,
) -> pn.widgets.DiscreteSlider:
    """A slider over ``stops(value)`` linked both ways to parameter ``name`` of ``owner``.

    The slider sets the parameter while it is dragged (``live``) or on release; a value set
    elsewhere (typed, the URL, a lesson, a preset, a click on a plot) is kept exactly and shown
    as one more stop (``stops`` includes it), so moving the slider onto it changes nothing.
    """
    value = getattr(owner, name)
    widget = pn.widgets.DiscreteSlider(
        label=label,
        options=slider_labels(stops(value)),
        value=value,
        sizing_mode="stretch_width",
        **options,
    )
    following = False  # the slider is being moved to the parameter's value

    def to_param(event: param.parameterized.Event) -> None:
        if not following:
            setattr(owner, name, event.new)

    def follow(_: param.parameterized.Event) -> None:
        nonlocal following
        current = getattr(owner, name)  # not the event's: a later watcher may have changed it
        following = True
        try:  # new options rebuild the slider's model: only when a new stop comes
            changed = {} if current in widget.values else {"options": slider_labels(stops(current))}
            widget.param.update(**changed, value=current)
        finally:
            following = False

    widget.param.watch(to_param, "value" if live else "value_throttled")
    owner.param.watch(follow, name)
    return widget


class View(pn.viewable.Viewer):
    """Base class of a dashboard view (see the module docstring for the contract).

    A Panel ``Viewer``: a view is displayed wherever a Panel object is (a notebook cell, a
    template, ``pn.Column(view)``), and :meth:`__panel__` builds its layout once.
    """

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
    #: Touch the plot: (panel index, input set by a click's x, input set by its y), each input
    #: a parameter of the global state or of the view, or None (``((0, "gamma", None),)``).
    tap_targets: ClassVar[tuple[tuple[int, str | None, str | None], ...]] = ()
    #: (column, what it is, units) of data columns no plot labels (the downloads read the
    #: others from the axis labels: :func:`dashboard.export.describe_columns`).
    units: ClassVar[tuple[tuple[str, str, str], ...]] = ()
    #: Whether the view's plots are :class:`Panel` descriptions (pins, HTML snapshot).
    draws_panels: ClassVar[bool] = True
    #: Inputs valid one by one but limited together (:meth:`check_combination`), in the
    #: order a URL's values of them are given up (back to their defaults) when they are not.
    combined: ClassVar[tuple[str, ...]] = ()

    state = param.ClassSelector(class_=GlobalState, precedence=-1, doc="Shared global inputs.")

    def __init__(self, state: GlobalState | None = None, **params: Any) -> None:
        super().__init__(state=state if state is not None else GlobalState(), **params)
        from dashboard.export import Downloads
        from dashboard.pins import PinControls, Pins, setting_text

        self._data: dict[str, pd.DataFrame] = {}
        self._data_parameters: dict[str, Any] | None = None  # the inputs of self._data
        self.pins = Pins(functools.partial(setting_text, self))  # named as the controls are
        self._downloads = Downloads(self)
        self._pin_controls = PinControls(self)
        self._generation = 0  # latest threaded update request (heavy views)
        self._request: physics_pool.Request | None = None  # its physics jobs
        self._session_watched = False  # whether the session's end cancels them
        self._drawing: Drawing | None = None  # the figures on the page, when drawn
        # figures drawn before, by (structure, presentation), with their panes and tap hint
        self._drawings: dict[tuple, tuple[Drawing, list[pn.pane.Bokeh], str]] = {}
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
        self._csv_slot = pn.Column(
            sizing_mode="stretch_width", stylesheets=[_NARROW_ORDER.format(order=2)]
        )
        self._tap_hint = pn.widgets.StaticText(
            value="", sizing_mode="stretch_width", css_classes=["qge-tap-hint"]
        )
        note = sidebar_note(self)
        self._sidebar_note = pn.widgets.StaticText(
            value=note,
            sizing_mode="stretch_width",
            css_classes=["qge-tap-hint"],
            stylesheets=[_PHONE_ONLY],
            visible=bool(note),
        )
        #: True while the view draws a result (it may set inputs of its own: the Sweeps view
        #: picks a variable and axes for its file); the app keeps such values out of the URL.
        self.drawing = False
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

    def figure(self, data: dict[str, pd.DataFrame]) -> list[Panel]:
        """Arrange ``data`` into plot panels (see :mod:`dashboard.plotting`)."""
        raise NotImplementedError

    def summary(self, data: dict[str, pd.DataFrame]) -> str:
        """Optional Markdown printed under the plots (e.g. a fitted length, the state)."""
        return ""

    def column_units(self, data: dict[str, pd.DataFrame]) -> dict[str, tuple[str, str]]:
        """Column -> (what it is, units) beyond the plots' axis labels (default: ``units``)."""
        return {column: (long_name, units) for column, long_name, units in self.units}

    def provenance(self, data: dict[str, pd.DataFrame]) -> dict[str, str]:
        """What else produced ``data``, for the downloads (a file's attributes); default none."""
        return {}

    def check_combination(self, **values: Any) -> None:
        """Raise ``ValueError`` (naming the inputs, their values and what is valid) when the
        inputs of :attr:`combined` (the current ones, or ``values`` in their place) are
        valid one by one but not together; default: never."""

    # ------------------------------------------------------------------ parameters
    @classmethod
    def own_parameters(cls) -> list[str]:
        """The view's own input parameters (those shown as widgets and synced to the URL)."""
        return [name for name in cls.param if name not in ("name", "state")]

    def url_parameters(self) -> dict[str, str]:
        """Mapping parameter name -> URL query name for ``pn.state.location.sync``."""
        return {name: f"{self.slug}_{name}" for name in self.own_parameters()}

    def current_parameters(self) -> dict[str, Any]:
        """The view's own parameters and the global inputs it depends on, by name."""
        names = self.own_parameters()
        return {name: getattr(self, name) for name in names} | {
            name: getattr(self.state, name) for name in self.state_dependencies
        }

    def shown_parameters(self) -> dict[str, Any]:
        """The inputs that produced the data shown (a heavy view may be computing others)."""
        if self._data_parameters is None:
            return self.current_parameters()
        return dict(self._data_parameters)

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

    @property
    def summary_line(self) -> str:
        """The line shown above the plots: the summary of the data shown, or while a heavy
        view computes :func:`busy_line` (it starts with ``BUSY_TEXT``)."""
        return self._summary.value

    @property
    def summary_of_data(self) -> str:
        """The summary of the data shown (HTML), never the busy notice (the downloads)."""
        return self._summary_text

    @property
    def figures(self) -> list[Any]:
        """The Bokeh figures on the page (empty before the view is first drawn)."""
        return list(self._drawing.figures) if self._drawing is not None else []

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
        self.drawing = True  # inputs the view changes now are its own choices, not a user's
        try:
            with pn.io.hold():
                self._draw(result)
        finally:
            self.drawing = False

    def _draw(self, result: dict[str, pd.DataFrame] | BaseException) -> None:
        """Show ``result``: new frames, their figures and summary, or the error, in this view.

        ``figure`` and ``summary`` run here, under the same guard as ``data``: an exception in
        any of them, or in drawing, leaves the last valid plots in place and says what went
        wrong. Figures of the same structure are updated in place (new data, titles, legend
        labels); a new structure (another model, log axes, …) gets new figures.
        """
        if isinstance(result, BaseException):
            self._show_error(result)
            return
        frames = self._stable_frames(result)
        changed = {name for name in frames if self._data.get(name) is not frames[name]}
        try:
            summary = self.summary(frames)
            if self._layout is not None:
                self._show_panels(*self._with_pins(self.figure(frames), frames), changed)
        except Exception as exc:
            self._show_error(exc)
            return
        self._data = frames
        self._data_parameters = self.current_parameters()
        self._offer_csv()
        # text after data: the browser draws the plots before it re-lays out the page
        self._summary.value = self._summary_text = markdown_inline(summary)
        self._error.visible = False

    def _with_pins(
        self, panels: list[Panel], frames: dict[str, pd.DataFrame]
    ) -> tuple[list[Panel], dict[str, pd.DataFrame]]:
        """``panels`` and ``frames`` with the pinned curves added (:mod:`dashboard.pins`)."""
        if not len(self.pins):
            return panels, frames
        overlaid = self.pins.overlay(panels, self.current_parameters(), frames)
        return overlaid, frames | self.pins.frames()

    def plotted(self) -> tuple[list[Panel], dict[str, pd.DataFrame]]:
        """The panels and frames on the page now, pins included (the HTML snapshot)."""
        return self._with_pins(self.figure(self._data), self._data)

    def _show_panels(
        self, panels: list[Panel], frames: dict[str, pd.DataFrame], changed: set[str]
    ) -> None:
        """Draw ``panels``: by updating the figures on the page when their structure allows,
        else by updating figures drawn earlier with that structure (a model toggled back and
        forth), else as new figures in new panes. Building figures holds the event loop for
        ~0.3–0.5 s; updating kept ones costs what a slider move costs."""
        if self._drawing is not None and self._drawing.structure == structure(panels):
            self._drawing.update(panels, frames, changed)
            return
        presentation = self.state.presentation
        key = (structure(panels), presentation)
        if key in self._drawings:
            drawing, panes, hint = self._drawings.pop(key)
            drawing.update(panels, frames, frames.keys())
        else:
            drawing, panes, hint = self._new_drawing(panels, frames, presentation)
        self._drawings[key] = (drawing, panes, hint)  # most recently used last
        while len(self._drawings) > DRAWINGS_KEPT:
            del self._drawings[next(iter(self._drawings))]
        self._plots.objects = panes
        self._tap_hint.value = hint
        self._drawing = drawing

    def _new_drawing(
        self, panels: list[Panel], frames: dict[str, pd.DataFrame], presentation: bool
    ) -> tuple[Drawing, list[pn.pane.Bokeh], str]:
        """New figures for ``panels`` in new panes, with their tap handlers and tap hint."""
        drawing = Drawing(
            panels,
            frames,
            name=self.slug,
            font_scale=_FONT_SCALE[presentation],
            height=int(PLOT_HEIGHT * (1.35 if presentation else 1.0)),
        )
        share = f"1 1 {100 // max(self.columns, 1) - 2}%"
        for figure in drawing.figures:  # the flex share goes on the figure's own element
            figure.styles = {"flex": share, "min-width": f"{PLOT_MIN_WIDTH}px"}
        for index, *targets in self.tap_targets:
            # a second tap within Bokeh's double-tap interval arrives as DoubleTap only
            for gesture in (Tap, DoubleTap):
                drawing.figures[index].on_event(
                    gesture, functools.partial(self.tapped, tuple(targets))
                )
        hint = tap_hint(self, len(drawing.figures)) if self.tap_targets else ""
        panes = [
            pn.pane.Bokeh(figure, sizing_mode="stretch_width", min_width=PLOT_MIN_WIDTH)
            for figure in drawing.figures
        ]
        return drawing, panes, hint

    def tapped(self, targets: tuple[str | None, str | None], event: PointEvent) -> None:
        """A click or tap at (``event.x``, ``event.y``) in data coordinates: set the inputs
        ``targets`` names there, within their bounds, to 3 significant figures, γ and the
        lattice depth on their slider grids (one change each: the URL gets the final value)."""
        for name, coordinate in zip(targets, (event.x, event.y), strict=True):
            if name is None or coordinate is None or not math.isfinite(coordinate):
                continue
            owner = self.state if name in self.state.param else self
            parameter = owner.param[name]
            low, high = parameter.bounds
            if isinstance(parameter, ZeroOrLogScale):  # a log axis: its floor, not 0
                low = parameter.floor
            value = round_significant(min(max(float(coordinate), low), high), 3)
            setattr(owner, name, _GRID_SNAPS.get(name, float)(value))

    def _show_error(self, error: BaseException) -> None:
        self._summary.value = self._summary_text  # no longer computing
        shown = (
            "The plots show the last valid inputs."
            if self._drawing is not None
            else "Nothing is plotted until the inputs are valid."
        )
        self._error.object = (
            f"**Could not compute this view:** {escape_text(type(error).__name__)}: "
            f"{escape_text(error)}. {shown}"
        )
        self._error.visible = True

    def _stable_frames(self, frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
        """Keep the previous object of every unchanged frame (unchanged data are not resent)."""
        stable = {}
        for name, frame in frames.items():
            previous = self._data.get(name)
            unchanged = previous is not None and (previous is frame or previous.equals(frame))
            stable[name] = previous if unchanged else frame
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
        data sources need to reach the browser. A newer request of this view, or the end of
        the session, cancels this one's physics jobs still queued for the worker processes
        (:class:`dashboard.physics_pool.Request`); a result that arrives after the session
        was destroyed is dropped.
        """
        self._generation += 1
        generation = self._generation
        document = pn.state.curdoc
        if self._request is not None:
            self._request.cancel()  # superseded: its queued jobs leave the workers' queue
        request = self._request = physics_pool.Request()
        if not self._session_watched:
            document.on_session_destroyed(self._session_destroyed)
            self._session_watched = True
        # the loading indicator is the summary line: a text update is cheap in the browser,
        # where a `loading` overlay or a spinner made every update ~0.4 s slower
        # (docs/performance/dashboard.md)
        self._summary.value = busy_line(self._summary_text)

        def early(frames: dict[str, pd.DataFrame]) -> None:
            document.add_next_tick_callback(lambda: self._show_early(frames, generation))

        token = _early_frames.set(early)  # the thread runs in a copy of this context
        try:
            result = await asyncio.to_thread(self._compute_within, request)
        finally:
            _early_frames.reset(token)
        if document.session_context is None:  # destroyed meanwhile: nobody to show it to
            _logger.debug("view %s: result for a destroyed session dropped", self.slug)
            return
        if generation == self._generation:
            document.add_next_tick_callback(lambda: self._show_result(result, generation))

    def _compute_within(
        self, request: physics_pool.Request
    ) -> dict[str, pd.DataFrame] | BaseException:
        with physics_pool.within(request):
            return self._compute()

    def _session_destroyed(self, _session_context: Any) -> None:
        """The session is gone: its queued physics jobs leave the workers' queue."""
        if self._request is not None:
            self._request.cancel()

    def publish(self, frames: dict[str, pd.DataFrame]) -> None:
        """Show ``frames``, the part of a heavy computation that is ready, before the rest.

        Called from :meth:`data` once its main frames are computed: in a served session the
        panels drawn from them update at once while the others keep their data and the
        summary keeps saying "Computing…" (the main plot of the decay view follows the slider
        in ~0.5 s while its other panels take another second). Elsewhere it does nothing.
        """
        sink = _early_frames.get()
        if sink is not None:
            sink(dict(frames))

    def _show_early(self, frames: dict[str, pd.DataFrame], generation: int) -> None:
        """Draw ``frames`` over the data shown, if the result they belong to is still
        awaited and the figures keep their structure (else the full result draws them)."""
        if generation != self._generation or not self._shown or self._drawing is None:
            return
        merged = {**self._data, **frames}
        try:
            panels, drawn = self._with_pins(self.figure(merged), merged)
            if structure(panels) != self._drawing.structure:
                return
            with pn.io.hold():
                self._drawing.update(panels, drawn, set(frames))  # new frames, all changed
        except Exception:  # the full result shows any error in this view
            _logger.debug("view %s: early frames not drawn", self.slug, exc_info=True)

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
    def _presentation_changed(self, *_: param.parameterized.Event) -> None:
        if not self._shown:
            self._pending.add("presentation")
            return
        size = _TEXT_SIZE[self.state.presentation]
        for pane in (self._explanation, self._summary, self._error):
            pane.styles = {**pane.styles, "font-size": size}
        self._redraw()  # new figures with the new font and plot sizes

    def _redraw(self) -> None:
        """Draw the shown data again as new figures (new fonts, pins added or cleared)."""
        if self._drawing is None:
            return
        self._drawing = None
        with pn.io.hold():
            try:  # guarded like _draw: a failing figure() is shown in the view
                self._show_panels(*self.plotted(), set())
            except Exception as exc:
                self._show_error(exc)

    # ------------------------------------------------------------------ pins
    def pin_current(self) -> None:
        """Pin the curves shown, with the inputs that produced them, and draw them.

        Raises ``ValueError`` when the pins are full or nothing is shown.
        """
        from dashboard.export import describe_columns, legend_labels

        self.pins.pin(
            self.shown_parameters(),
            self._data,
            columns=describe_columns(self, self._data),
            legends=legend_labels(self.figure(self._data)),
        )
        self._redraw()
        self._offer_csv()

    def clear_pins(self) -> None:
        """Remove every pin from the plots and the downloads."""
        self.pins.clear()
        self._redraw()
        self._offer_csv()

    # ------------------------------------------------------------------ widgets
    def widget(self, name: str) -> pn.widgets.Widget:
        """The widget of parameter ``name``; sliders round their value (no URL float noise).

        Heavy views listen to ``value_throttled`` (slider release), cheap ones to ``value``.
        """
        parameter = self.param[name]
        label = parameter.label
        if isinstance(parameter, ZeroOrLogScale):
            return self._log_scale_slider(name, parameter)
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
                self.set_from_control(name, event.new if integer else round_significant(event.new))

            widget.param.watch(to_param, event_name)
            # the parameter's value now, not the event's: in a batched update (a preset and
            # its T_D from one link) a later watcher may have changed it again
            self.param.watch(lambda _: setattr(widget, "value", getattr(self, name)), name)
            return widget
        return pn.panel(parameter, sizing_mode="stretch_width")

    def set_from_control(self, name: str, value: Any) -> None:
        """The slider of parameter ``name`` moved to ``value``: set it (a view whose inputs
        are limited together adjusts the others here, :class:`dashboard.views.decay`)."""
        setattr(self, name, value)

    def _log_scale_slider(self, name: str, parameter: ZeroOrLogScale) -> pn.widgets.Widget:
        """A slider over the logarithmic stops of ``parameter`` (:func:`linked_slider`)."""
        return linked_slider(
            self,
            name,
            f"{parameter.label} (log scale)",
            parameter.slider_options,
            live=not self.heavy,
        )

    def controls(self) -> list[pn.viewable.Viewable]:
        """The view's own widgets (override to customise)."""
        return [self.widget(name) for name in self.own_parameters()]

    def _offer_csv(self) -> None:
        """Offer the current frames for download, list the pins (after every drawn update)."""
        self._downloads.offer()
        self._pin_controls.update()

    def __panel__(self) -> pn.viewable.Viewable:
        """The view's layout (built once; the first computation happens here)."""
        if self._layout is None:
            controls = pn.Column(
                self._sidebar_note,
                *self.controls(),
                *([self._tap_hint] if self.tap_targets else []),
                pn.layout.Divider(),
                self._csv_slot,
                width=CONTROLS_WIDTH,
                css_classes=["qge-controls"],
                stylesheets=[_NARROW_FULL_WIDTH, _NARROW_CONTROLS],
            )
            # controls beside the plots; on a narrow screen above them, both full width
            self._layout = pn.Column(
                pn.FlexBox(
                    controls,
                    pn.Column(
                        self._error,
                        self._summary,  # above the plots: the key result, and "Computing…"
                        self._plots,
                        sizing_mode="stretch_width",
                        styles={"flex": "1 1 480px", "min-width": "0"},
                        stylesheets=[_NARROW_ORDER.format(order=1)],
                    ),
                    flex_wrap="wrap",
                    sizing_mode="stretch_width",
                ),
                self._explanation,
                sizing_mode="stretch_width",
                css_classes=["qge-view", f"qge-view-{self.slug}"],
            )
            self._presentation_changed()
            self._update()
            self._csv_slot[:] = [self._pin_controls.panel(), self._downloads.panel()]
        return self._layout
