"""App-level behaviour: sliders and state, URL refusal, reset, errors kept inside one view."""

from __future__ import annotations

import html
import itertools
import json
import math
import re
import tomllib
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import panel as pn
import param
import pytest
import xarray as xr
from bokeh.document import Document
from panel.io.state import set_curdoc

from dashboard.assembly import DashboardApp
from dashboard.base import escape_text, markdown_with_math
from dashboard.page import PRESENTATION_CLASS
from dashboard.plotting import FONT_POINTS
from dashboard.state import (
    DEPTH_GRID,
    GAMMA_GRID,
    GlobalState,
    round_significant,
)
from dashboard.views import VIEWS, sweeps
from dashboard.views.decay import (
    COST_BUDGET_S,
    MAX_VIEW_PARTICLES,
    DecayView,
    estimated_cost,
    most_realisations,
)
from physics import lattice
from physics._assets import shipped_file


def rendered(markdown: str) -> str:
    """The HTML a browser receives for ``markdown`` in a Markdown pane (Panel's renderer)."""
    return html.unescape(pn.pane.Markdown(markdown)._transform_object(markdown)["object"])


def shown_text(markdown: str) -> str:
    """The text a reader sees: the rendered HTML without its tags, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", rendered(markdown)))


def open_url(app: DashboardApp, query: dict[str, Any]) -> None:
    """Open ``app`` at a URL carrying ``query`` (the route of a link a student follows)."""
    with set_curdoc(Document()):
        location = pn.state.location
        location.search = "?" + urllib.parse.urlencode(query)
        app.sync_url()
        for synced in (app.navigation, app.state, *app.views.values(), app.lessons.position):
            location.unsync(synced)


#: Strings a URL, a file or an error message might carry, each a different kind of markup.
HOSTILE_TEXTS = (
    "![b](http://127.0.0.1:5899/x.png)",
    "Session expired: log in at http://evil.example/login",
    "see www.evil.example or evil.example",
    "[click](javascript:alert(1)) <b>bold</b> <script>alert(1)</script>",
    "**loud** _x_ `code`\n\n# Heading\n> quote",
    "<img src=x onerror=alert(1)> &amp; &#60;",
    r"$$\color{red}{\Huge HACKED}$$",  # typeset by the page's TeX finder (QA, 3 Dec)
    r"\(x^2\) and \[\rule{120em}{60em}\] and $y$",
)
#: What the page's TeX finder (Bokeh's MathJax provider) takes for math.
TEX_DELIMITERS = ("$$", r"\(", r"\)", r"\[", r"\]")


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_escaped_text_is_shown_literally_and_makes_no_markup(text):
    page = rendered(escape_text(text))
    assert re.findall(r"<(\w+)", page) == ["p"]  # one paragraph, no link, image, emphasis
    shown = shown_text(escape_text(text)).strip()
    assert not any(delimiter in shown for delimiter in TEX_DELIMITERS)  # no math either
    assert shown.replace("\u2060", "") == " ".join(text.split())  # invisible word joiners


def test_gamma_grid_is_logarithmic_from_1e_3_to_1e3_without_float_noise():
    assert GAMMA_GRID[0] == 1e-3 and GAMMA_GRID[-1] == 1e3
    assert all(len(repr(g).replace("e-0", "").strip("0.")) <= 6 for g in GAMMA_GRID)
    ratios = [b / a for a, b in itertools.pairwise(GAMMA_GRID)]
    assert max(ratios) / min(ratios) < 1.02


def test_gamma_from_elsewhere_is_kept_as_one_more_slider_stop(fresh_app):
    fresh_app.state.gamma = 2.6
    assert fresh_app.state.gamma == 2.6 == fresh_app.gamma_slider.value
    assert fresh_app.gamma_slider.options["2.6"] == 2.6 and 2.6 not in GAMMA_GRID
    fresh_app.state.gamma = 2.6000000000000005  # float noise: told apart, not merged
    assert fresh_app.gamma_slider.value == 2.6000000000000005
    assert len(set(fresh_app.gamma_slider.options)) == len(fresh_app.gamma_slider.options)


def test_slider_values_reach_the_state_rounded(fresh_app):
    fresh_app.gamma_slider.value = GAMMA_GRID[100]
    assert fresh_app.state.gamma == GAMMA_GRID[100]
    fresh_app.depth_slider.value = DEPTH_GRID[100]
    assert fresh_app.state.lattice_depth == DEPTH_GRID[100]
    with param.edit_constant(fresh_app.disorder_slider):
        fresh_app.disorder_slider.value_throttled = 0.30000000000000004
    assert fresh_app.state.disorder_strength == 0.3


@pytest.mark.parametrize("bad", [-1.0, math.nan, math.inf, "text", "<script>alert(1)</script>"])
def test_invalid_values_are_refused_visibly_and_escaped(fresh_app, bad):
    default = GlobalState.param.gamma.default
    open_url(fresh_app, {"gamma": bad, "lattice_depth": 5.01})
    assert fresh_app.state.gamma == default
    assert fresh_app.state.lattice_depth == 5.01  # the valid value is still applied
    assert fresh_app.url_message.visible
    assert "<script>" not in fresh_app.url_message.object
    assert "Ignored URL parameters" in fresh_app.url_message.object


def test_unknown_view_in_url_is_refused(fresh_app):
    open_url(fresh_app, {"view": "<b>nope</b>"})
    assert fresh_app.navigation.view == "energy"
    assert "<b>nope</b>" in shown_text(fresh_app.url_message.object)
    assert "<b>" not in rendered(fresh_app.url_message.object)


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_a_hostile_url_value_is_listed_once_as_text_with_the_valid_range(fresh_app, text):
    for _ in range(2):  # the same value reported again is listed once
        open_url(fresh_app, {"disorder_strength": text})
    assert fresh_app.url_message.visible
    message = fresh_app.url_message.object
    assert re.findall(r"<(\w+)", rendered(message)) == ["p", "strong"]
    assert shown_text(message).count("disorder_strength") == 1
    assert "0 … 10" in shown_text(message)
    assert fresh_app.state.disorder_strength == GlobalState.param.disorder_strength.default


def test_unknown_url_parameters_are_named(fresh_app):
    fresh_app.refuse_unknown_parameters({"gama": 2, "gamma": 1.0, "energy_weak_order": 3})
    assert "gama" in shown_text(fresh_app.url_message.object)
    assert "gamma =" not in shown_text(fresh_app.url_message.object)
    assert "energy_weak_order" not in shown_text(fresh_app.url_message.object)


def test_navigation_and_tabs_follow_each_other(fresh_app):
    fresh_app.navigation.view = "polaron"
    assert fresh_app.tabs.active == list(VIEWS).index("polaron")
    fresh_app.tabs.active = 0
    assert fresh_app.navigation.view == next(iter(VIEWS))


def test_reset_restores_every_default(fresh_app):
    view = fresh_app.show("energy")
    fresh_app.state.param.update(gamma=100.0, lattice_depth=3.0, presentation=True)
    view.strong_order = 9
    fresh_app.reset()
    assert (fresh_app.state.gamma, fresh_app.state.lattice_depth) == (1.0, 10.0)
    assert not fresh_app.state.presentation
    assert view.strong_order == view.param.strong_order.default


@pytest.mark.parametrize("stage", ["data", "figure", "summary"])
def test_an_error_stays_inside_its_view(fresh_app, monkeypatch, stage):
    energy, polaron_view = fresh_app.show("energy"), fresh_app.views["polaron"]
    plotted = energy.current_data  # energy is shown, polaron hidden

    def broken(*_):
        raise ValueError("gamma=<b>x</b> outside the valid range")

    monkeypatch.setattr(energy, stage, broken)
    fresh_app.state.gamma = 3.16
    assert energy.current_data is plotted  # the last valid plots stay
    assert "ValueError" in energy.error_message
    assert "<b>x</b>" in shown_text(energy.error_message)
    assert "<b>" not in rendered(energy.error_message)
    assert "The plots show the last valid inputs" in shown_text(energy.error_message)
    fresh_app.show("polaron")  # a hidden view catches up when shown
    assert polaron_view.error_message == ""
    assert polaron_view.current_data["marker"]["gamma"].tolist() == [3.16]


def test_presentation_mode_scales_fonts(fresh_app):
    view = fresh_app.show("polaron")
    fresh_app.state.presentation = True
    title = view.figures[0].title.text_font_size
    assert float(title.removesuffix("pt")) > 1.2 * FONT_POINTS["title"]
    assert view._explanation.styles["font-size"] != "100%"


def test_round_significant_and_escape():
    assert round_significant(0.30000000000000004) == 0.3
    assert escape_text("<script>") == "&#60;script&#62;"
    assert "\\(" in markdown_with_math(r"$a_1$") and "\\_" in markdown_with_math(r"$a_1$")
    # a bare "<" in math would open an HTML tag and swallow the formula
    assert "<" not in markdown_with_math(r"$\omega < E_K$") and "lt" in markdown_with_math("$a<b$")


def test_a_view_is_built_on_the_first_visit_of_its_tab():
    from dashboard.assembly import DRAWING_TEXT, DashboardApp

    app = DashboardApp()
    app.show("energy")
    assert app.views["energy"].current_data
    assert not app.views["decay"].current_data  # not computed before its tab is opened
    # until then the tab says it is being drawn (what a click on it shows at once)
    unvisited = app.tabs[list(VIEWS).index("decay")]
    assert [pane.object for pane in unvisited.objects] == [DRAWING_TEXT]
    app.navigation.view = "decay"
    assert app.views["decay"].current_data
    assert app.tabs.active == list(VIEWS).index("decay")
    app.tabs.active = list(VIEWS).index("phase_map")
    assert app.navigation.view == "phase_map" and app.views["phase_map"].current_data


def test_a_hidden_view_waits_until_shown(fresh_app):
    polaron_view = fresh_app.show("polaron")
    fresh_app.show("energy")
    before = polaron_view.current_data
    fresh_app.state.gamma = 10.0
    assert polaron_view.current_data is before  # hidden: no computation, no redraw
    fresh_app.show("polaron")
    assert polaron_view.current_data["marker"]["gamma"].tolist() == [10.0]


@contextmanager
def linked(query: str) -> Iterator[tuple[DashboardApp, Any]]:
    """A new session opened at ``?query``, its URL kept in sync: (app, location)."""
    app = DashboardApp()
    with set_curdoc(Document()):
        location = pn.state.location
        location.search = "?" + query
        app.sync_url()
        yield app, location


def test_reset_leaves_a_url_holding_the_reset_state():
    with linked("lesson=perturbation-theory&step=5&energy_weak_order=24&gamma=1.0") as (app, url):
        app.reset()
        assert url.query_params == {}
    with linked("view=polaron&gamma=2.51&gama=3") as (app, url):
        app.reset()
        assert url.query_params == {"view": "polaron"}


def test_url_values_over_a_lesson_step_win_and_are_named_beside_the_caption():
    query = "lesson=perturbation-theory&step=2&gamma=500&energy_weak_order=30"
    with linked(query) as (app, _url):
        step = app.lessons.lesson.steps[1]
        view = app.views["energy"]
        assert (app.state.gamma, view.weak_order) == (500.0, 30)
        note = shown_text(app.lessons.difference.object)
        assert app.lessons.difference.visible and "differs from the lesson's step" in note
        assert f"gamma = 500 (step: {step.values['gamma']:g})" in note
        assert f"energy_weak_order = 30 (step: {step.values['energy_weak_order']})" in note
        app.lessons._back.clicks += 1  # back to the step: its state, no note
        assert app.state.gamma == step.values["gamma"]
        assert view.weak_order == step.values["energy_weak_order"]
        assert not app.lessons.difference.visible
        view.weak_order = 12  # a slider moved during the step is named too
        assert "energy_weak_order = 12" in shown_text(app.lessons.difference.object)


@pytest.mark.parametrize(("query", "served"), [("presentation=true", True), ("gamma=2", False)])
def test_the_page_is_served_in_the_urls_presentation_mode_and_follows_it(query, served):
    """<body>'s class is written into the page as served (page.js, which sets it in the
    browser, runs only after the widgets are drawn: they showed at their normal size first)."""
    with linked(query) as (app, _url):
        assert (app.template.body_class() == PRESENTATION_CLASS) == served
        assert app.page_behaviour.presentation == served
        app.state.presentation = not served
        assert (app.template.body_class() == PRESENTATION_CLASS) != served
        assert app.page_behaviour.presentation != served


def lesson_steps(name: str) -> int:
    """The number of ``[[step]]`` tables of a shipped lesson file, read with ``tomllib``."""
    text = (shipped_file("lessons") / f"{name}.toml").read_text(encoding="utf-8")
    return len(tomllib.loads(text)["step"])


def test_a_step_outside_the_lesson_or_without_one_is_refused_and_rewritten():
    steps = lesson_steps("perturbation-theory")
    with linked("lesson=perturbation-theory&step=7") as (app, url):
        assert app.lessons.position.step == steps and url.query_params["step"] == steps
        assert f"step = 7 (valid: 1 … {steps} in the lesson perturbation-theory; shown step " in (
            shown_text(app.url_message.object)
        )
    with linked("step=3") as (app, url):
        assert app.lessons.position.step is None and app.url_message.visible
        assert "step = 3 (no lesson is open" in shown_text(app.url_message.object)


@pytest.mark.parametrize("step", ["99", "0", "-1", "2.5", "03x", "<b>2</b>", "$$x$$"])
def test_a_refused_step_names_the_lessons_steps_as_text(step):
    """``step=99`` was refused as "valid: integer 1 … 20" (any lesson's limit) in a lesson of
    five steps; every refused step names the lesson's own range and the step shown."""
    steps = lesson_steps("perturbation-theory")
    query = urllib.parse.urlencode({"lesson": "perturbation-theory", "step": step})
    with linked(query) as (app, url):
        shown = app.lessons.position.step
        assert 1 <= shown <= steps and url.query_params["step"] == shown
        message = app.url_message.object
        assert re.findall(r"<(\w+)", rendered(message)) == ["p", "strong"]  # no markup
        expected = f"step = {step} (valid: 1 … {steps} in the lesson perturbation-theory; "
        assert expected + f"shown step {shown})" in shown_text(message).replace("\u2060", "")


@pytest.mark.parametrize("query", ["step=99", "lesson=..%2F..%2Fetc&step=2", "lesson=nope&step=3"])
def test_a_step_without_a_lesson_is_refused_and_leaves_the_address_bar(query):
    with linked(query) as (app, url):
        message = shown_text(app.url_message.object)
        step = urllib.parse.parse_qs(query)["step"][0]
        assert f"step = {step} (no lesson is open: add lesson=NAME)" in message
        assert "step" not in url.query_params and app.lessons.position.step is None
        assert "integer 1 … 20" not in message


def test_an_unknown_lesson_is_refused_listing_the_lessons_not_none():
    with linked("lesson=nope&gamma=2.0") as (app, url):
        message = shown_text(app.url_message.object)
        assert "perturbation-theory" in message and "kept none)" in message
        assert "None" not in message
        # the address holds the state shown: a copied link does not carry the refusal on
        assert "lesson" not in url.query_params and url.query_params["gamma"] == 2.0


@pytest.mark.parametrize(
    "query",
    ["gamma=1_000", "gamma=%D9%A3", "gamma=0x10", "gamma=%EF%BC%93", "energy_weak_order=8.0"],
)
def test_url_numbers_must_be_ascii_decimal(query):
    name = query.split("=")[0]
    with linked(query) as (app, _url):
        assert app.input_values()[name] == DashboardApp().input_values()[name]
        assert f"{name} = " in shown_text(app.url_message.object)


def test_a_dimension_written_as_a_float_is_refused_at_the_url_not_in_the_view():
    with linked("view=phase_map&phase_map_dimension=2.0") as (app, _url):
        view = app.show("phase_map")
        assert view.dimension == 3 and "phase_map_dimension" in shown_text(app.url_message.object)
        assert not view._error.visible and "d = 3" in view.summary_line


def test_a_url_value_a_preset_overrides_is_named():
    with linked("view=phase_map&phase_map_preset=KRb&phase_map_T_over_EK=1000") as (app, _url):
        message = shown_text(app.url_message.object)
        assert app.views["phase_map"].T_over_EK == 0.0
        assert "phase_map_T_over_EK = 1000 (overridden by the preset" in message
        assert "KRb" in message


def test_a_preset_in_the_url_wins_over_its_inputs_and_stays_after_the_url_changes():
    """QA: preset=KRb&TD_over_EK=7 showed the preset's values in the plot while the select
    said custom and the slider 7 (Panel re-applied TD_over_EK=7 at the next URL change)."""
    query = "view=phase_map&phase_map_preset=KRb&phase_map_TD_over_EK=7"
    with linked(query) as (app, url):
        view = app.views["phase_map"]
        assert "phase_map_TD_over_EK" not in url.query_params
        url.search = url.search + "&gamma=2.51"  # any later change of the address
        exact = lattice.PRESETS["KRb"].TD_over_EK
        assert view.preset == "KRb" and view.TD_over_EK == pytest.approx(exact, rel=1e-3)
        assert "phase_map_TD_over_EK = 7 (overridden" in shown_text(app.url_message.object)


def test_a_preset_link_shows_one_state_after_the_page_sends_its_address():
    """QA: preset=KRb&TD_over_EK=50 named T_D = 50 as overridden, then the select read
    custom, the slider and summary 50 (r₀/a = 0.283) beside markers at T_D = 22.72: the page,
    on connecting, sends the address it was opened at, and Panel applied T_D = 50 again."""
    query = "view=phase_map&phase_map_preset=KRb&phase_map_TD_over_EK=50"
    with linked(query) as (app, url):
        view = app.show("phase_map")
        url.search = "?" + query  # what Panel's Location model sends when the page connects
        krb = lattice.PRESETS["KRb"]
        debye = view.current_data["marker"].iloc[0]
        slider = [w for w in view._layout.select(pn.widgets.DiscreteSlider) if "T_D" in w.name]
        select = [w for w in view._layout.select(pn.widgets.Select) if "KRb" in w.options]
        assert select[0].value == view.preset == "KRb" and view.dimension == krb.d
        assert debye["TD_over_EK"] == slider[0].value == pytest.approx(krb.TD_over_EK, rel=1e-3)
        ratio = lattice.lindemann_ratio(debye["TD_over_EK"], krb.T_over_EK, krb.d)
        assert debye["lindemann_ratio"] == pytest.approx(ratio, rel=1e-12)
        assert f"T_D/E_K = {debye['TD_over_EK']:g}," in view.summary_line
        assert f"r₀/a = {ratio:.3g}." in view.summary_line
        assert url.query_params["phase_map_preset"] == "KRb"
        assert "phase_map_TD_over_EK" not in url.query_params
        assert "phase_map_TD_over_EK = 50 (overridden" in shown_text(app.url_message.object)
        slider[0].value = 50.0  # moved by hand afterwards: custom, and in the address
        assert (view.preset, url.query_params["phase_map_TD_over_EK"]) == ("custom", 50.0)
        assert view.current_data["marker"]["TD_over_EK"].tolist() == [50.0]


@pytest.fixture
def sweep_file(tmp_path, monkeypatch):
    """The Sweeps view's directory holds one sweep over γ and a method (the view chooses a
    variable, an X axis and a held method by itself)."""
    gamma = ("gamma", [0.1, 1.0, 10.0], {"long_name": "coupling", "units": "1"})
    method = ("method", ["energy", "sigma"], {"long_name": "route", "units": "1"})
    values = (("gamma", "method"), np.arange(6.0).reshape(3, 2), {"units": "1"})
    dataset = xr.Dataset({"v": values}, {"gamma": gamma, "method": method})
    dataset.to_netcdf(tmp_path / "sweep.nc", engine="h5netcdf")
    monkeypatch.setattr(sweeps, "SWEEPS_DIRECTORY", tmp_path)


@pytest.mark.usefixtures("sweep_file")
def test_visiting_tabs_changes_only_view_in_the_address():
    """QA: a visit to the Sweeps tab left its automatic choices in every later link
    (sweeps_variable, sweeps_x, sweeps_held rewritten as Python's repr, sweeps_overlay=null),
    and presentation=true was rewritten as presentation=True."""
    with linked("view=energy&presentation=true&gamma=2.0") as (app, url):
        app.show("energy")
        before = url.search
        for slug in ["sweeps", "phase_map", "energy"]:  # tab clicks, then back to e(γ)
            app.tabs.active = list(VIEWS).index(slug)
            assert url.search == before.replace("view=energy", f"view={slug}")
        assert app.views["sweeps"].held == {"method": "energy"}  # chosen by the view
        app.tabs.active = len(VIEWS) - 1  # the End key on the tab list
        assert "null" not in url.search and "sweeps_" not in url.search


@pytest.mark.usefixtures("sweep_file")
def test_a_value_set_after_the_link_is_written_as_it_reads_back():
    with linked("view=sweeps") as (app, url):
        app.show("sweeps")
        app.state.presentation = True
        app.views["sweeps"].held = {"method": "sigma"}  # as its held control writes it
        query = urllib.parse.parse_qs(url.search[1:])
        assert query["presentation"] == ["true"]
        assert json.loads(query["sweeps_held"][0]) == {"method": "sigma"}
        app.views["energy"].weak_order = 9
        app.state.presentation = False  # back at its default: out of the address
        assert set(urllib.parse.parse_qs(url.search[1:])) == {
            "view",
            "sweeps_held",
            "energy_weak_order",
        }


def test_a_denormal_debye_temperature_in_the_url_is_refused_with_its_range():
    with linked("view=phase_map&phase_map_TD_over_EK=1e-320") as (app, _url):
        assert app.views["phase_map"].TD_over_EK == 5.0
        assert "(valid: 0, or 0.001 … 10000; kept 5)" in shown_text(app.url_message.object)


def test_a_lattice_depth_below_the_maps_floor_in_the_url_is_refused_with_its_range():
    """?lattice_depth=1e-300 was accepted: the map's axis ran over 300 decades."""
    with linked("view=phase_map&lattice_depth=1e-300") as (app, _url):
        assert app.state.lattice_depth == 10.0
        assert "(valid: 0, or 1e-06 … 40; kept 10)" in shown_text(app.url_message.object)


_DECAY = DecayView.param
_N, _R = _DECAY.n_particles.default, _DECAY.realisations.default
_MOST_AT_128 = most_realisations(128)  # the model's limit (tests/dashboard/test_decay_view.py)
_R_MAX = _DECAY.realisations.bounds[1]


@pytest.mark.parametrize(
    ("query", "kept", "refused"),
    [
        # within the budget: applied as given (the most realisations at 128; the largest N)
        (f"decay_n_particles=128&decay_realisations={_MOST_AT_128}", (128, _MOST_AT_128), []),
        (
            f"decay_n_particles={MAX_VIEW_PARTICLES}&decay_realisations=2",
            (MAX_VIEW_PARTICLES, 2),
            [],
        ),
        # 128 with the default realisations is within it: the realisations are given up
        (f"decay_n_particles=128&decay_realisations={_R_MAX}", (128, _R), ["decay_realisations"]),
        # the largest N with the default realisations is over, the default N with the most
        # realisations the slider offers is not: N alone is given up, in either order
        (
            f"decay_n_particles={MAX_VIEW_PARTICLES}&decay_realisations={_R_MAX}",
            (_N, _R_MAX),
            ["decay_n_particles"],
        ),
        (
            f"decay_realisations={_R_MAX}&decay_n_particles={MAX_VIEW_PARTICLES}",
            (_N, _R_MAX),
            ["decay_n_particles"],
        ),
    ],
)
def test_url_values_over_the_decay_views_budget_together_are_refused_not_computed(
    query, kept, refused
):
    """Each value is within its bounds, the pair is not (dashboard.views.decay.check_budget):
    the URL message names the value given up and the view keeps a computable state."""
    assert estimated_cost(128, _R) <= COST_BUDGET_S < estimated_cost(128, _R_MAX)
    assert estimated_cost(MAX_VIEW_PARTICLES, _R) > COST_BUDGET_S
    assert estimated_cost(_N, _R_MAX) <= COST_BUDGET_S
    with linked(f"view=decay&{query}") as (app, _url):
        view = app.views["decay"]
        assert (view.n_particles, view.realisations) == kept
        message = shown_text(app.url_message.object) if app.url_message.visible else ""
        for name in refused:
            default = _DECAY[name.removeprefix("decay_")].default
            assert f"{name} = " in message and f"budget is {COST_BUDGET_S:.0f} s" in message
            assert f"kept {default}" in message
        assert bool(message) == bool(refused)


@pytest.mark.parametrize("name", ["gamma", "energy_weak_order", "zz"])
def test_an_overlong_url_value_is_refused_before_panel_parses_it(name):
    """5000 digits made Panel's query parser raise (int() of > 4300 digits): a blank page."""
    app = DashboardApp()
    with set_curdoc(Document()):
        url = pn.state.location
        with param.parameterized.discard_events(url):  # as the browser's first request sets it
            url.search = f"?view=energy&{name}={'1' * 5000}&energy_strong_order=6"
        app.sync_url()
        message = shown_text(app.url_message.object)
        assert f"{name} = 111" in message and "5000 characters" in message
        assert name not in url.query_params and app.views["energy"].strong_order == 6
        assert app.state.gamma == GlobalState.param.gamma.default


def test_a_link_keeps_only_what_it_gave_and_what_differs_from_the_defaults():
    """Panel's sync writes every synced input into the address bar; a copied link then
    pinned all of them (QA: 700+ characters, overriding a lesson's steps)."""
    with linked("view=energy&energy_strong_order=6&gamma=1.0") as (app, url):
        assert url.query_params == {"view": "energy", "energy_strong_order": 6, "gamma": 1.0}
        app.views["energy"].weak_order = 9  # a change made afterwards enters the URL
        assert url.query_params["energy_weak_order"] == 9


def test_an_error_before_anything_was_plotted_does_not_speak_of_plots(monkeypatch):
    from dashboard.views.energy import EnergyView

    def broken(*_):
        raise ValueError("no data")

    view = EnergyView()
    monkeypatch.setattr(view, "data", broken)
    view.__panel__()
    assert "Nothing is plotted until the inputs are valid" in shown_text(view.error_message)


def test_a_refused_url_value_is_quoted_as_the_link_wrote_it():
    """QA: energy_weak_order=-1 was reported as '-1.0' (Panel's parsed float)."""
    with linked("view=energy&energy_weak_order=-1") as (app, _url):
        assert "energy_weak_order = '-1' (valid:" in shown_text(app.url_message.object)


def test_a_url_value_panel_cannot_parse_is_refused_and_leaves_the_address(caplog):
    """QA: sweeps_held=[[[[ was dropped without a word by Panel's parser, which logged a
    warning each time it read the address (7–8 times a page)."""
    with linked("view=energy&energy_weak_order=[[[[") as (app, url):
        assert "energy_weak_order = '[[[['" in shown_text(app.url_message.object)
        assert "energy_weak_order" not in url.query_params
        caplog.clear()
        url.search = url.search + "&gamma=2.51"  # the address read again
        assert not [r for r in caplog.records if "Could not parse" in r.getMessage()]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("view=[a](javascript:alert(1))", "view"),
        ("lesson=[a](https://x.example)", "lesson"),
        ("view=energy&step={b}", "step"),
    ],
)
def test_unparsed_navigation_and_lesson_values_are_refused_as_text(query, name):
    """QA: view= and lesson= values starting with '[' or '{' were dropped by Panel's parser
    without a word and stayed in the address (only the views' inputs were checked)."""
    with linked(query) as (app, url):
        message = app.url_message.object
        assert f"{name} = " in shown_text(message)
        assert "<a " not in rendered(message)
        assert name not in url.query_params
        assert app.navigation.view == "energy" and app.lessons.position.lesson is None


@pytest.mark.parametrize(
    ("query", "name", "read"),
    [
        ("view=borel&view=decay", "view", "decay"),
        ("gamma=2&gamma=5", "gamma", "5"),
    ],
)
def test_a_repeated_url_parameter_is_named_and_the_address_keeps_one(query, name, read):
    """QA: the last of repeated names won silently and the duplicates stayed in the address."""
    with linked(query) as (app, url):
        text = shown_text(app.url_message.object)
        assert f"{name} (given 2 times)" in text and f"the last, {read}, is read" in text
        pairs = urllib.parse.parse_qsl(url.search[1:])
        assert [pair for pair in pairs if pair[0] == name] == [(name, read)]


def test_a_repeated_parameter_whose_last_value_is_refused_is_listed_once():
    """QA: 'gamma (given 2 times) = 2, <b>evil</b> (… the last, <b>evil</b>, is read); gamma =
    '<b>evil</b>' (valid: …)': two entries, the first saying the refused value was read."""
    with linked("gamma=2&gamma=<b>evil</b>") as (app, _url):
        text = shown_text(app.url_message.object)
        assert text.count("gamma") == 1, text
        assert "gamma (given 2 times)" in text and "is read and refused" in text
        assert "(valid: 0.001 … 1000; kept 1)" in text
        assert app.state.gamma == 1.0


def test_a_boolean_refusal_is_spelled_as_the_address_spells_it():
    """QA: ?presentation=1 was answered 'valid: true, false; kept False'."""
    with linked("presentation=1") as (app, _url):
        assert "kept false)" in shown_text(app.url_message.object)


def test_a_typed_whole_gamma_is_written_to_the_address_without_a_decimal_point():
    """QA: typing γ = 2 wrote gamma=2.0 to the address."""
    with linked("") as (app, url):
        app.gamma_field.field.value = "2"
        assert urllib.parse.parse_qs(url.search[1:]).get("gamma") == ["2"]


def test_an_empty_url_value_is_named_and_the_default_kept():
    """QA: ?gamma=&view= showed no warning (the parser drops empty values silently)."""
    with linked("gamma=&view=polaron&energy_weak_order=") as (app, _url):
        text = shown_text(app.url_message.object)
        assert "gamma = '' (empty; the default is kept)" in text
        assert "energy_weak_order = '' (empty" in text
        assert app.state.gamma == 1.0 and app.navigation.view == "polaron"


def test_a_refused_value_is_quoted_as_written_not_with_doubled_backslashes():
    """QA: a refused $$\\href{…}$$ was listed as '$$\\\\href{…}$$' (Python's repr)."""
    query = "gamma=" + urllib.parse.quote("$$\\href{x}{y}$$")
    with linked(query) as (app, _url):
        text = shown_text(app.url_message.object).replace("\u2060", "")
        assert "gamma = '$$\\href{x}{y}$$' (valid:" in text
