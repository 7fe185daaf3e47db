"""Assembly of the dashboard: template, sidebar of global controls, one tab per view, URL state.

:func:`build_app` returns a :class:`DashboardApp` holding the session's
:class:`~dashboard.state.GlobalState`, the views (from the registry ``dashboard.views.VIEWS``),
the sidebar widgets and the served template. The template is Panel's ``BootstrapTemplate``,
which, unlike the Fast/Material/Vanilla templates, requests no web fonts: every resource
comes from the Panel server itself (works offline); in presentation mode its ``<body>``
arrives with the class that enlarges the page's text (:class:`~dashboard.page.ClassroomTemplate`).

A session builds only what it shows: a view's layout (and its first computation) is made
when its tab is first opened. A page load therefore costs one view, not six: the difference
between a class of thirty students waiting seconds and waiting a minute
(``docs/performance/load.md``). A view, once built, stays in the page (the tabs are not
``dynamic``): going back to a tab costs the server nothing, where a dynamic tab would rebuild
every plot of the view on every visit.

The template has no busy indicator: Panel's is process-wide (``pn.state.busy``), so every
event of any session would patch the spinner of every other session, work that grows with
the square of the number of students (the heavy views say "Computing…" in their own
summary line instead; ``tests/load/test_session_isolation.py``).
"""

from __future__ import annotations

import functools
import json
import re
import traceback
import urllib.parse
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from importlib import resources
from typing import Any

import panel as pn
import param
from panel.io.cache import is_equal
from panel.util import parse_query

from dashboard.base import View, escape_text, linked_slider, quoted
from dashboard.lesson_panel import LessonPanel
from dashboard.lessons import GLOBAL_KEYS, apply_values, catalogue, valid_values
from dashboard.page import ClassroomDesign, ClassroomTemplate, PageBehaviour
from dashboard.state import (
    DECIMAL_PATTERN,
    DEPTH_GRID,
    GAMMA_GRID,
    INTEGER_PATTERN,
    GlobalState,
    round_significant,
    slider_stops,
)
from dashboard.typed_value import TypedValue
from dashboard.views import VIEWS, load_view_class

__all__ = ["GLOBAL_SLIDER_CLASSES", "DashboardApp", "build_app", "frozen_models"]

#: Page styles, package data of :mod:`dashboard` (found in an installed wheel as in the checkout).
CSS_PATH = resources.files("dashboard") / "static" / "dashboard.css"
#: CSS class of the sidebar slider of each global input (browser tests and benchmarks use it).
GLOBAL_SLIDER_CLASSES = {
    "gamma": "qge-gamma",
    "disorder_strength": "qge-disorder",
    "lattice_depth": "qge-depth",
}
TITLE = "Quantum Gas Explorer"
#: What a tab shows until its view is built and drawn (its first visit).
DRAWING_TEXT = "*Drawing this view…*"
#: Global inputs set by sliders over a grid (a value from elsewhere is one more stop).
SLIDER_GRIDS = {"gamma": GAMMA_GRID, "lattice_depth": DEPTH_GRID}
#: Global inputs kept in the URL, under their own names.
GLOBAL_URL_PARAMETERS = ("gamma", "disorder_strength", "lattice_depth", "presentation")
#: The open lesson and its step (counted from 1), in the URL while a lesson is open.
LESSON_URL_PARAMETERS = ("lesson", "step")
#: Longest value of a URL parameter read (a number of 5000 digits made Panel's query parser
#: fail before any check: the page stayed blank).
MAX_URL_VALUE_CHARACTERS = 200


def _shown(value: Any) -> str:
    """A value as the address bar spells it (``true``, ``0.5``, ``0`` for -0.0)."""
    if isinstance(value, bool):
        return str(value).lower()
    return f"{value + 0.0:g}" if isinstance(value, float) else str(value)


def _number_syntax(parameter: param.Parameter) -> re.Pattern | None:
    """How a URL must write a value of ``parameter`` (``None``: not a number)."""
    if isinstance(parameter, param.Integer) or (
        isinstance(parameter, param.Selector)
        and parameter.objects
        and all(type(choice) is int for choice in parameter.objects)
    ):
        return INTEGER_PATTERN
    return DECIMAL_PATTERN if isinstance(parameter, param.Number) else None


def _reads_as(target: param.Parameterized, name: str, text: str) -> bool:
    """Whether the URL text ``text`` reads (as Panel parses it) as the value of ``name``."""
    parsed = parse_query("?" + urllib.parse.urlencode({"value": text}))
    if "value" not in parsed:
        return False
    value = parsed["value"]
    try:
        value = target.param[name].deserialize(value)
    except Exception:  # as Panel does: the parsed value, as it is
        pass
    try:
        return bool(is_equal(value, getattr(target, name)))
    except Exception:
        return False


def _url_text(target: param.Parameterized, name: str) -> str:
    """The URL text of the value of ``name``: JSON, as Panel writes a changed one, with a
    whole float written as an integer (``gamma=2``, not ``2.0``; read back as the same
    value) and -0.0 as ``0``."""
    value = getattr(target, name)
    try:
        value = target.param[name].serialize(value)
    except Exception:
        pass
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        value = int(value)
    return value if isinstance(value, str) else json.dumps(value)


def frozen_models() -> AbstractContextManager:
    """Within it, additions to the session's document update Bokeh's index of its models
    once, on exit, instead of once per added root or plot: each update walks every model
    of the page (~5 ms for a page of 900 models). Outside a session it does nothing."""
    document = pn.state.curdoc
    return document.models.freeze() if document is not None else nullcontext()


def _send_search(location: pn.io.location.Location, search: str) -> None:
    """Set the address bar's query to ``search``, sent to the browser even when the server's
    copy already holds it (a different value first: an unchanged one sends nothing)."""
    location.search = "?" if search != "?" else ""
    location.search = search


def _query_without(query: str, names: Iterable[str]) -> str:
    """``query`` (without its ``?``) with the parameters ``names`` left out."""
    pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
    return urllib.parse.urlencode([(name, text) for name, text in pairs if name not in names])


def _send_without(location: pn.io.location.Location, names: set[str]) -> None:
    """Send the address bar's query without the parameters ``names``."""
    kept = _query_without(location.search[1:], names)
    _send_search(location, f"?{kept}" if kept else "")


def _strip_overlong_request_values() -> dict[str, str]:
    """Drop the query values over ``MAX_URL_VALUE_CHARACTERS`` from this session's HTTP
    request and return them (name -> text).

    Panel parses the request's query when ``pn.state.location`` is first read, and a number
    over Python's 4,300-digit limit for ``int()`` raised there: a blank page and a traceback
    (``?gamma=`` with 5000 nines). The tornado request behind Bokeh's ``_RequestProxy`` is
    the only place to remove them first; ``sync_url`` then lists them like any refusal.
    """
    context = pn.state.curdoc.session_context if pn.state.curdoc else None
    request = getattr(getattr(context, "request", None), "_request", None)
    uri = getattr(request, "uri", None)
    if not isinstance(uri, str) or "?" not in uri:
        return {}
    path, _, query = uri.partition("?")
    pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
    overlong = {name: text for name, text in pairs if len(text) > MAX_URL_VALUE_CHARACTERS}
    if overlong:
        request.uri = f"{path}?{_query_without(query, overlong)}"
    return overlong


class Navigation(param.Parameterized):
    """Which view (tab) is shown; synced to the URL as ``view``."""

    view = param.Selector(default="energy", objects=list(VIEWS), doc="The visible view.")


class DashboardApp:
    """One session's dashboard: state, views, widgets and template."""

    def __init__(self) -> None:
        self.state = GlobalState()
        self.navigation = Navigation()
        self.views: dict[str, View] = {}
        self.failed: dict[str, str] = {}
        for slug in VIEWS:
            try:
                self.views[slug] = load_view_class(slug)(state=self.state)
            except Exception:  # a view that cannot be built stays inside its own tab
                self.failed[slug] = traceback.format_exc(limit=3)
        self.url_message = pn.pane.Alert("", alert_type="warning", visible=False)
        self._refused_values: dict[str, str] = {}  # URL name -> why it was ignored
        self._repeated: dict[str, list[str]] = {}  # URL name given more than once -> texts
        self._url_texts: dict[str, str] = {}  # URL name -> its text, as the link gave it
        self._linked: set[str] = set()  # URL names the link gave (and was not refused)
        self._chosen: set[str] = set()  # URL names set since, other than by a view's drawing
        self._automatic = 0  # > 0 while a lesson step is applied (a view: View.drawing)
        self.gamma_slider = self._grid_slider("gamma", "Coupling γ (log scale)")
        self.gamma_field = TypedValue(
            self.state, "gamma", "γ", valid_values(self.state.param.gamma)
        )
        self.disorder_slider = self._state_slider(
            "disorder_strength",
            "Disorder strength [n²]",
            GLOBAL_SLIDER_CLASSES["disorder_strength"],
        )
        self.depth_slider = self._grid_slider("lattice_depth", "Lattice depth U [E_R] (log scale)")
        self._link_disorder_slider()
        self.presentation = pn.widgets.Toggle.from_param(
            self.state.param.presentation,
            label="Presentation mode (large fonts)",
            sizing_mode="stretch_width",
        )
        self.reset_button = pn.widgets.Button(label="Reset all", color="warning")
        self.reset_button.on_click(lambda _: self.reset())
        self.lessons = LessonPanel(catalogue(), self._apply_lesson_state, self.input_values)
        self.page_behaviour = PageBehaviour()
        # until its first visit, a tab holds a notice: shown at once when the tab is clicked,
        # while the server builds the view and the browser draws its figures (~1–4 s)
        self._slots = {
            slug: pn.Column(
                pn.pane.Markdown(DRAWING_TEXT, css_classes=["qge-drawing"]),
                sizing_mode="stretch_width",
            )
            for slug in VIEWS
        }
        self._built: set[str] = set()
        self.tabs = pn.Tabs(
            *[(self._tab_title(slug), slot) for slug, slot in self._slots.items()],
            sizing_mode="stretch_width",
        )
        self.tabs.param.watch(self._tab_changed, "active")
        self.navigation.param.watch(self._view_changed, "view")
        self._watch_inputs(self.lessons.show_differences)
        self._watch_choices()
        self.template = self._template()
        self.state.param.watch(self._presentation_changed, "presentation")

    def _presentation_changed(self, event: param.parameterized.Event) -> None:
        """Presentation mode: the class of ``<body>`` in the page as served (the URL's value,
        applied before the page is rendered) and in the browser after any later change."""
        self.template.presentation = self.page_behaviour.presentation = event.new

    def input_values(self) -> dict[str, Any]:
        """Every input of the dashboard by URL name, and the view shown (``view``)."""
        values: dict[str, Any] = {"view": self.navigation.view}
        values.update({name: getattr(self.state, name) for name in GLOBAL_KEYS})
        for view in self.views.values():
            values.update({url: getattr(view, name) for name, url in view.url_parameters().items()})
        return values

    def _watch_inputs(self, callback) -> None:
        """Call ``callback`` whenever an input of :meth:`input_values` changes."""
        self.navigation.param.watch(callback, "view")
        self.state.param.watch(callback, list(GLOBAL_KEYS))
        for view in self.views.values():
            if view.url_parameters():
                view.param.watch(callback, list(view.url_parameters()))

    def _watch_choices(self) -> None:
        """Note the URL names of the inputs set by the user (a slider, a select, the address);
        a view's own choices while it draws a result (the Sweeps view picks a variable and
        axes for its file) and a lesson step's values are not, and stay out of the address.

        Registered before the URL's watchers: a choice is noted before Panel writes it.
        """
        for target, names in self._address_inputs():
            target.param.watch(self._note_choice(names), list(names))

    def _note_choice(self, names: dict[str, str]):
        def note(*events: param.parameterized.Event) -> None:
            drawing = any(view.drawing for view in self.views.values())
            if not self._automatic and not drawing:
                self._chosen.update(names[event.name] for event in events)

        return note

    @contextmanager
    def _automatically(self) -> Iterator[None]:
        """Within it, input changes are not the user's choices (:meth:`_watch_choices`)."""
        self._automatic += 1
        try:
            yield
        finally:
            self._automatic -= 1

    # ------------------------------------------------------------------ widgets
    def _state_slider(self, name: str, label: str, css_class: str) -> pn.widgets.FloatSlider:
        parameter = self.state.param[name]
        low, high = parameter.softbounds
        return pn.widgets.FloatSlider(
            label=label,
            start=low,
            end=high,
            step=parameter.step,
            value=getattr(self.state, name),
            tooltips=True,
            sizing_mode="stretch_width",
            css_classes=[css_class],
        )

    def _grid_slider(self, name: str, label: str) -> pn.widgets.DiscreteSlider:
        """A slider over the grid of global input ``name`` (:data:`SLIDER_GRIDS`); a value
        from elsewhere (typed, the URL, a lesson) is kept exactly, as one more stop."""
        return linked_slider(
            self.state,
            name,
            label,
            functools.partial(slider_stops, SLIDER_GRIDS[name]),
            css_classes=[GLOBAL_SLIDER_CLASSES[name]],
        )

    def _link_disorder_slider(self) -> None:
        """The disorder strength is set on release (``value_throttled``): its view is costly."""
        state = self.state
        self.disorder_slider.param.watch(
            lambda e: setattr(state, "disorder_strength", round_significant(e.new)),
            "value_throttled",
        )
        state.param.watch(
            lambda e: setattr(self.disorder_slider, "value", e.new), "disorder_strength"
        )

    def _rewrite_url(self, **values: object) -> None:
        """Write ``values`` into the address bar once the page has loaded (a change made while
        the URL's own sync applies a value, or before the page is shown, stays server-side)."""
        location = pn.state.location
        if location is None:
            return
        present = {name: value for name, value in values.items() if name in location.query_params}
        if not present:
            return
        self._linked.update(present)  # the link gave them, in another form

        def rewrite() -> None:
            query = {**location.query_params, **present}
            _send_search(location, "?" + urllib.parse.urlencode(query))

        pn.state.onload(rewrite)

    def _tab_title(self, slug: str) -> str:
        return self.views[slug].title if slug in self.views else slug

    def show(self, slug: str) -> View | None:
        """Open the tab of view ``slug``, building its layout on the first visit.

        Only the shown view updates when inputs change; the others catch up when shown
        (:meth:`dashboard.base.View.set_shown`). Returns the view (None if it failed to load).
        """
        for other, view in self.views.items():
            view.set_shown(other == slug)
        if slug not in self._built:
            self._built.add(slug)
            with frozen_models():
                self._slots[slug].objects = [self._first_content(slug)]
        self.tabs.active = list(VIEWS).index(slug)
        return self.views.get(slug)

    def servable(self, title: str) -> None:
        """Put the page into the session's document (``panel serve`` serves it)."""
        with frozen_models():
            self.template.servable(title=title)

    def _first_content(self, slug: str) -> pn.viewable.Viewable:
        """The layout of view ``slug``, or what says it could not be loaded."""
        if slug in self.views:
            return self.views[slug].__panel__()
        return pn.pane.Alert(
            "**This view could not be loaded.**<br>" + escape_text(self.failed[slug]),
            alert_type="danger",
        )

    def _tab_changed(self, event: param.parameterized.Event) -> None:
        self.navigation.view = list(VIEWS)[event.new]

    def _view_changed(self, event: param.parameterized.Event) -> None:
        self.show(event.new)

    def _apply_lesson_state(self, values: dict[str, Any], view: str) -> None:
        """A lesson step: every input at its default or the step's value, its view shown
        (the address holds ``lesson`` and ``step``, not the step's values)."""
        with self._automatically():
            apply_values(values, self.state, self.views)
        if view in self.views:
            self.navigation.view = view

    def reset(self) -> None:
        """Every global and view parameter back to its default; an open lesson is closed.

        The address bar then holds the reset state: no value at its default (the URL's
        watchers wrote each default in), no lesson, no refused value; only the view shown,
        unless it is the default one.
        """
        self.lessons.end()
        self.state.reset()
        for view in self.views.values():
            view.reset()
        self.url_message.visible = False
        self._refused_values.clear()
        self._repeated.clear()
        self._linked.clear()
        self._chosen = {"view"}  # the view shown stays (left out at its default)
        location = pn.state.location
        if location is not None:
            view = self.navigation.view
            clean = "" if view == Navigation.param.view.default else f"?view={view}"
            if location.search != clean:
                _send_search(location, clean)

    # ------------------------------------------------------------------ URL
    def sync_url(self) -> None:
        """Keep the whole state in the URL; refuse invalid query values visibly.

        The lesson and step are applied first, then every other value of the URL over the
        step's state: a link copied during a lesson opens the state it was copied from, and
        the lesson player names the inputs that differ from the step's
        (:mod:`dashboard.lesson_panel`).
        """
        stripped = _strip_overlong_request_values()  # before Panel parses the request
        location = pn.state.location
        if location is None:
            return
        pairs = urllib.parse.parse_qsl(location.search[1:])
        raw = dict(pairs)  # the last of repeated names, as Panel's parser
        self._url_texts, self._linked = raw, set()
        self._refuse_repeated(pairs)
        # an empty value (?gamma=) is dropped by the parser: said, like any refusal (QA)
        for name, text in urllib.parse.parse_qsl(location.search[1:], keep_blank_values=True):
            if not text and name not in raw:
                self._refuse(name, "'' (empty; the default is kept)")
        overlong = {name for name, text in raw.items() if len(text) > MAX_URL_VALUE_CHARACTERS}
        for name, text in {**stripped, **{name: raw[name] for name in overlong}}.items():
            self._refuse(
                name,
                f"{escape_text(text[:60])}… ({len(text)} characters; valid: "
                f"at most {MAX_URL_VALUE_CHARACTERS})",
            )
        if overlong or len(raw) < len(pairs):
            raw = {name: text for name, text in raw.items() if name not in overlong}
            location.search = "?" + urllib.parse.urlencode(raw)
        if stripped:  # the browser's address still holds them (and sends them back)
            pn.state.onload(functools.partial(_send_without, location, set(stripped)))
        self.refuse_unknown_parameters(raw)
        parsed = location.query_params
        unparsed = {name: text for name, text in raw.items() if name not in parsed}
        self._refuse_unparsed(unparsed)
        malformed = self._refuse_malformed_numbers(raw)
        # never applied: Panel's parser reads 1_000 and 0x10 as numbers, and logs a warning
        # for '[[[[' each time it reads the address (7 times a page)
        if malformed or unparsed:
            location.search = "?" + urllib.parse.urlencode(
                {k: v for k, v in raw.items() if k not in malformed and k not in unparsed}
            )
        requested = dict(location.query_params)
        position = self.lessons.position
        location.sync(position, list(LESSON_URL_PARAMETERS), on_error=self._refused(position))
        location.sync(self.navigation, {"view": "view"}, on_error=self._refused(self.navigation))
        self._sync_presets_last(location)
        self._check_step(raw.get("step"))
        self._refuse_overridden(requested)
        self._refuse_combinations(requested)
        self._linked |= set(raw) - set(self._refused_values)
        self._chosen.clear()  # what the link applied is in _linked
        self._filter_every_address(location)

    def _sync_presets_last(self, location: pn.io.location.Location) -> None:
        """Sync the inputs with the address, a view's ``preset`` after every other input.

        Panel applies the address in the order of its syncs (at each sync and each change
        of the address): the preset comes last and wins over the inputs it sets. Applied
        together with them (``preset=KRb&TD_over_EK=50``), the preset's T_D reached the view
        but the slider followed the event of T_D = 50, the last one it was sent.
        """
        for last in (False, True):
            for target, names in self._url_targets():
                part = {name: url for name, url in names.items() if (name == "preset") == last}
                if part:  # an empty mapping would sync every parameter
                    location.sync(target, part, on_error=self._refused(target, part))

    def _filter_every_address(self, location: pn.io.location.Location) -> None:
        """Run :meth:`_tidy_address` on every new address, before Panel applies it.

        Panel's ``sync`` writes every change of an input into the address, re-encoding all
        the others from their parsed values (``presentation=True``, a dict as Python's repr,
        ``null`` for None); and the browser sends the address it was opened at when the page
        connects, which Panel applied again over the state the link's checks left (a value a
        preset overrode set the preset to "custom" under plots still showing the preset).
        """
        for watcher in location.param.watchers.get("search", {}).get("value", []):
            if watcher.fn == location._update_synced:  # Panel applies the address: after us
                location.param.unwatch(watcher)
        location.param.watch(lambda _: self._address_changed(location), "search")
        self._address_changed(location)

    def _address_changed(self, location: pn.io.location.Location) -> None:
        """Tidy the new address (:meth:`_tidy_address`); once tidy, Panel applies it."""
        pairs = urllib.parse.parse_qsl(location.search[1:])
        kept = self._tidy_address(pairs)
        if kept != pairs:  # the new address comes back here, and is applied there
            location.search = "?" + urllib.parse.urlencode(kept) if kept else ""
            return
        location._update_synced()

    def _tidy_address(self, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """The address bar's ``(name, text)`` pairs for the state shown: an input the link
        gave keeps the link's text while that still reads as its value, one the user set
        since is written as JSON (read back as the same value) unless at its default; the
        view's own choices and values left at their defaults are left out, as is ``null``
        (Panel's text for None, which it cannot read back), a refused value and all but the
        last of a repeated name (the one applied). A value that differs from the input's is
        kept as written: Panel applies it next."""
        inputs = {
            url: (target, name)
            for target, names in self._address_inputs()
            for name, url in names.items()
        }
        kept = []
        last = {url: index for index, (url, _) in enumerate(pairs)}
        for index, (url, text) in enumerate(pairs):
            if text == "null" or last[url] != index:  # a repeated name: the last is applied
                continue
            if url not in inputs:  # an unknown name, named in the warning
                kept.append((url, text))
                continue
            target, name = inputs[url]
            if not _reads_as(target, name, text):
                if url not in self._refused_values or url in self._chosen:
                    kept.append((url, text))
                continue
            link_text = self._url_texts.get(url)
            if url in self._linked and link_text and _reads_as(target, name, link_text):
                kept.append((url, link_text))
            elif url in self._linked or (
                url in self._chosen and getattr(target, name) != target.param[name].default
            ):
                kept.append((url, _url_text(target, name)))
        return kept

    def _address_inputs(self) -> list[tuple[param.Parameterized, dict[str, str]]]:
        """Every input kept in the address bar, with the URL names of its parameters."""
        lesson = {name: name for name in LESSON_URL_PARAMETERS}
        return [
            (self.navigation, {"view": "view"}),
            (self.lessons.position, lesson),
            *self._url_targets(),
        ]

    def _url_targets(self) -> list[tuple[param.Parameterized, dict[str, str]]]:
        """The global state and the views, each with its parameters' URL names."""
        targets = [(self.state, {name: name for name in GLOBAL_URL_PARAMETERS})]
        targets += [(v, v.url_parameters()) for v in self.views.values() if v.url_parameters()]
        return targets

    def _refuse_malformed_numbers(self, values: dict[str, str]) -> set[str]:
        """Refuse the numbers of the URL not written in ASCII decimal (or, for integers and
        integer choices, as ASCII integers: ``phase_map_dimension=2.0``); their names."""
        refused = set()
        for target, names in self._url_targets():
            for name, url_name in names.items():
                syntax = _number_syntax(target.param[name])
                if url_name in values and syntax and not syntax.fullmatch(values[url_name]):
                    refused.add(url_name)
                    self._refuse(url_name, self._refusal(target, name, values[url_name]))
        return refused

    def _check_step(self, text: str | None) -> None:
        """Refuse a URL's step that is not a step of the open lesson (and rewrite it), or
        given without a lesson; the note names the lesson's steps and the one shown.

        It replaces the parameter's own refusal of a step outside 1 … :data:`MAX_STEPS`
        (``step=99`` was refused as "valid: integer 1 … 20" in a lesson of 5 steps)."""
        position, lesson = self.lessons.position, self.lessons.lesson
        if text is None:
            return
        shown = escape_text(text[:60])
        if lesson is None:
            self._refuse("step", f"{shown} (no lesson is open: add lesson=NAME)")
            position.step = None
            self._drop_from_url({"step"})
        elif not INTEGER_PATTERN.fullmatch(text) or int(text) != position.step:
            self._refuse(
                "step",
                f"{shown} (valid: 1 … {len(lesson.steps)} in the lesson "
                f"{escape_text(lesson.name)}; shown step {position.step})",
            )
            self._rewrite_url(step=position.step)

    def _refuse_overridden(self, requested: dict[str, Any]) -> None:
        """Name the URL values a preset replaced: a view's ``preset`` in the URL wins over the
        inputs it sets (which of the two Panel applied last depended on the order of the
        watchers), and each input it overrode is listed with the value it was given and
        left out of the address bar (Panel re-applied it at the next change of the URL: the
        preset became "custom" while the plot still showed it)."""
        overridden = set()
        for target, names in self._url_targets():
            preset = requested.get(names.get("preset", ""))
            choices = target.param["preset"].objects if "preset" in target.param else ()
            if preset != "custom" and preset in choices:
                target.param.update(preset="custom")
                target.param.update(preset=preset)  # its values, whatever came last
            for name, url_name in names.items():
                if url_name not in requested or url_name in self._refused_values:
                    continue
                now, wanted = getattr(target, name), requested[url_name]
                preset = getattr(target, "preset", "custom")
                if now != wanted and preset != "custom":
                    overridden.add(url_name)
                    self._refuse(
                        url_name,
                        f"{escape_text(str(requested[url_name])[:60])} (overridden by the preset "
                        f"{escape_text(names.get('preset', 'preset'))} = {escape_text(preset)}, "
                        f"which sets {escape_text(_shown(now))}; choose preset custom to set it)",
                    )
        if overridden:
            self._drop_from_url(overridden)

    @staticmethod
    def _drop_from_url(names: set[str]) -> None:
        """Take the parameters ``names`` out of the address bar (Panel re-applies every value
        there at each change of the URL: a refused one was refused again)."""
        location = pn.state.location
        pairs = urllib.parse.parse_qsl(location.search[1:])
        location.search = "?" + urllib.parse.urlencode(
            [(name, text) for name, text in pairs if name not in names]
        )

    def _refuse_combinations(self, requested: dict[str, Any]) -> None:
        """Give up URL values valid one by one but not together
        (:meth:`dashboard.base.View.check_combination`: ``decay_n_particles=160`` with
        ``decay_realisations=64`` is over the shared worker's budget): the first of the view's
        :attr:`~dashboard.base.View.combined` inputs whose default alone makes the combination
        valid, otherwise all of them; each is listed with the reason and the value kept."""
        for view in self.views.values():
            names = view.url_parameters()
            given = [
                name
                for name in view.combined
                if names[name] in requested and names[name] not in self._refused_values
            ]
            try:
                view.check_combination()
                continue
            except ValueError as error:
                reason = str(error)
            defaults = {name: view.param[name].default for name in given}
            for name in given:
                try:
                    view.check_combination(**{name: defaults[name]})
                except ValueError:
                    continue
                given = [name]
                break
            for name in given:
                view.param.update(**{name: defaults[name]})
                self._refuse(
                    names[name],
                    f"{escape_text(str(requested[names[name]])[:60])} ({escape_text(reason)}; "
                    f"kept {escape_text(_shown(defaults[name]))})",
                )

    def _refused(self, target: param.Parameterized, url_names: dict[str, str] | None = None):
        """``on_error`` callback: apply the valid values one by one, list the invalid ones."""
        url_names = url_names or {}

        def on_error(values: dict[str, Any]) -> None:
            for name, value in values.items():
                try:
                    target.param.update(**{name: value})
                except Exception:
                    url_name = url_names.get(name, name)
                    given = self._url_texts.get(url_name, value)  # '-1', not Panel's -1.0
                    self._refuse(url_name, self._refusal(target, name, given))

        return on_error

    @staticmethod
    def _refusal(target: param.Parameterized, name: str, value: Any) -> str:
        """``'x' (valid: …; kept …)``: why a value of parameter ``name`` was not applied."""
        kept = getattr(target, name)
        return (
            f"{quoted(value)} (valid: "
            f"{escape_text(valid_values(target.param[name]))}; kept "
            f"{escape_text('none' if kept is None else _shown(kept))})"
        )

    def _refuse(self, url_name: str, description: str) -> None:
        """List URL parameter ``url_name`` (once) in the warning, with ``description``."""
        self._refused_values[url_name] = description
        self._show_refusals()

    def _show_refusals(self) -> None:
        """The warning: each refused or repeated parameter once (a repeated parameter whose
        last value is refused is one entry that says both)."""
        entries = []
        for name, texts in self._repeated.items():
            given = f"{escape_text(name)} (given {len(texts)} times)"
            values = escape_text(", ".join(texts)[:80])
            last = escape_text(texts[-1][:60])
            if name in self._refused_values:
                read = f"the last, {last}, is read and refused: {self._refused_values[name]}"
            else:
                read = f"the last, {last}, is read"
            entries.append(f"{given} = {values} (one value per parameter: {read})")
        entries += [
            f"{escape_text(name)} = {text}"
            for name, text in self._refused_values.items()
            if name not in self._repeated
        ]
        self.url_message.object = "**Ignored URL parameters:** " + "; ".join(entries)
        self.url_message.visible = True

    def _refuse_repeated(self, pairs: list[tuple[str, str]]) -> None:
        """Name the parameters the URL gives more than once (``view=borel&view=decay``):
        the last is applied, as Panel reads it, and the address keeps that one only."""
        given: dict[str, list[str]] = {}
        for name, text in pairs:
            given.setdefault(name, []).append(text)
        self._repeated = {name: texts for name, texts in given.items() if len(texts) > 1}
        if self._repeated:
            self._show_refusals()

    def _refuse_unparsed(self, values: dict[str, str]) -> None:
        """Refuse, like any invalid value, the URL values Panel's parser drops without a word
        (text starting with ``[`` or ``{`` that is neither JSON nor a Python literal)."""
        for url_name, text in values.items():
            for target, names in self._address_inputs():
                by_url = {url: name for name, url in names.items()}
                if url_name in by_url:
                    self._refused(target, names)({by_url[url_name]: text})

    def refuse_unknown_parameters(self, query: dict[str, Any]) -> None:
        """List the names in ``query`` that no input of the dashboard reads (``?gama=2``)."""
        known = {"view", *GLOBAL_URL_PARAMETERS, *LESSON_URL_PARAMETERS}
        for view in self.views.values():
            known.update(view.url_parameters().values())
        for name in query:
            if name not in known:
                self._refuse(name, f"{escape_text(str(query[name])[:60])} (unknown parameter)")

    # ------------------------------------------------------------------ template
    def _lesson_problems(self) -> list[pn.viewable.Viewable]:
        """A note listing the lesson files left out (a teacher's file with a mistake)."""
        problems = self.lessons.catalogue.problems
        if not problems:
            return []
        return [
            pn.pane.Alert(
                "**Lesson files left out:** "
                + "; ".join(escape_text(problem) for problem in problems[:10]),
                alert_type="warning",
            )
        ]

    def _template(self) -> ClassroomTemplate:
        template = ClassroomTemplate(
            title=TITLE,
            sidebar_width=300,
            header_background="#1f3b57",
            busy_indicator=None,
            design=ClassroomDesign,
        )
        template.sidebar.extend(
            [
                pn.pane.Markdown("### Global controls", margin=(0, 10)),
                self.gamma_field.panel(self.gamma_slider),
                self.disorder_slider,
                self.depth_slider,
                pn.layout.Divider(),
                self.presentation,
                self.reset_button,
                pn.layout.Divider(),
                self.lessons.chooser,
                *self._lesson_problems(),
                self.url_message,
                pn.pane.Markdown(
                    "Units: ħ = 2m = 1, k_B = 1, density n = 1. The URL holds the whole "
                    "state: copy it to share this exact view.",
                ),
            ]
        )
        template.main.extend([self.lessons.player, self.tabs, self.page_behaviour])
        return template


def build_app(show: bool = True) -> DashboardApp:
    """Build one session's dashboard (call inside the served script).

    With ``show=False`` no view is built yet: the caller opens one with
    ``app.show(app.navigation.view)`` (the tests break a session's views in between).
    """
    pn.extension("katex", raw_css=[CSS_PATH.read_text(encoding="utf-8")])
    app = DashboardApp()
    app.sync_url()
    if show:
        app.show(app.navigation.view)
    return app
