"""γ typed beside its slider (issue 19 §2): validated like the URL, kept exactly."""

from __future__ import annotations

import urllib.parse

import panel as pn
import pytest
from bokeh.document import Document
from panel.io.state import set_curdoc

from dashboard.assembly import DashboardApp, valid_values
from dashboard.state import GAMMA_GRID
from dashboard.typed_value import MAX_TYPED_CHARACTERS


@pytest.fixture(scope="module")
def app() -> DashboardApp:
    app = DashboardApp()
    app.show("energy")
    return app


@pytest.fixture
def fresh(app: DashboardApp) -> DashboardApp:
    app.reset()
    app.gamma_field.message.value = ""
    return app


def test_a_grid_value_typed_moves_state_slider_and_view(fresh):
    typed = GAMMA_GRID[100]
    fresh.gamma_field.field.value = f"{typed:g}"
    assert fresh.state.gamma == typed and fresh.gamma_slider.value == typed
    assert fresh.views["energy"].current_data["marker"]["gamma"].tolist() == [typed]
    assert fresh.gamma_field.message.value == ""


def test_a_value_between_grid_points_is_kept_exactly(fresh):
    """A researcher who types γ = 2.2 gets e(2.2), not e at the grid's 2.15 (as it once did)."""
    assert 2.2 not in GAMMA_GRID
    fresh.gamma_field.field.value = "2.2"
    assert fresh.state.gamma == 2.2 == fresh.gamma_slider.value
    assert fresh.gamma_field.field.value == "2.2" and fresh.gamma_field.message.value == ""
    assert fresh.views["energy"].current_data["marker"]["gamma"].tolist() == [2.2]
    stops = fresh.gamma_slider.values
    assert set(GAMMA_GRID) <= set(stops) and len(stops) == len(GAMMA_GRID) + 1
    assert stops == sorted(stops)
    assert "2.2" in fresh.gamma_slider.options


def test_the_slider_leaves_a_typed_value_for_a_grid_point(fresh):
    fresh.gamma_field.field.value = "2.2"
    fresh.gamma_slider.value = GAMMA_GRID[100]
    assert fresh.state.gamma == GAMMA_GRID[100]
    assert fresh.gamma_field.field.value == f"{GAMMA_GRID[100]:g}"


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "nan",
        "inf",
        "-1",
        "0",
        "1e400",
        "2000",
        "<b>1</b>",
        "1." + "0" * 40,
        "",
        "1_0",  # float() reads these four; a person means none of them as a number
        "\u0663",  # Arabic-Indic three
        "\uff13",  # full-width three
        "0x1",
    ],
)
def test_refused_like_a_url_value(fresh, text):
    before = fresh.state.gamma
    fresh.gamma_field.field.value = text
    assert fresh.state.gamma == before
    assert fresh.gamma_field.field.value == f"{before:g}"
    message = fresh.gamma_field.message.value
    assert message.startswith("Ignored typed")
    assert "(valid: 0&#46;001 … 1000; kept " in message
    assert valid_values(fresh.state.param.gamma) == "0.001 … 1000"
    assert "<b>" not in message and len(message) < 400


def test_the_slider_moves_the_field_and_clears_a_refusal(fresh):
    fresh.gamma_field.field.value = "abc"
    fresh.gamma_slider.value = GAMMA_GRID[10]
    assert fresh.gamma_field.field.value == f"{GAMMA_GRID[10]:g}"
    assert fresh.gamma_field.message.value == ""


def test_the_field_limits_its_length():
    assert DashboardApp().gamma_field.field.max_length == MAX_TYPED_CHARACTERS


def test_a_typed_value_is_the_one_in_the_url():
    app = DashboardApp()
    with set_curdoc(Document()):
        location = pn.state.location
        location.search = "?" + urllib.parse.urlencode({"gamma": 1.0})
        app.sync_url()
        app.gamma_field.field.value = "3"
        assert app.state.gamma == 3.0 == location.query_params["gamma"]
        assert 3.0 not in GAMMA_GRID


@pytest.mark.parametrize("text", ["2.5", "+2.5", "1e1", "1E-2", ".5", "5."])
def test_decimal_and_scientific_notation_are_read(fresh, text):
    fresh.gamma_field.field.value = text
    assert fresh.state.gamma == float(text)


@pytest.mark.parametrize("text", ["999.99999", "0.0010000001", "2.345678912"])
def test_the_field_shows_the_value_kept_to_all_its_digits(fresh, text):
    """QA: 999.99999 was kept exactly by the state, the slider and the URL, but the field
    showed it rounded to six digits, 1000."""
    fresh.gamma_field.field.value = text
    assert fresh.state.gamma == float(text) and fresh.gamma_field.field.value == text


@pytest.mark.parametrize("text", [" 2 ", "2.0", "+2", "2e0"])
def test_the_field_shows_the_value_as_read_even_when_it_does_not_change(fresh, text):
    """QA: ' 2 ' typed while γ = 2 was accepted but the field kept ' 2 '."""
    fresh.state.gamma = 2.0
    fresh.gamma_field.field.value = text
    assert fresh.state.gamma == 2.0 and fresh.gamma_field.field.value == "2"
