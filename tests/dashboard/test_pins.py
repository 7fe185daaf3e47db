"""Pinned curves (issue 19 §2): a labelled reference overlay that survives moving the inputs.

The pinned data are checked against the data the view drew at the pinned inputs (computed
again independently after the inputs moved back), the figure's legend against the
parameters that differ, and the downloads against the pins.
"""

from __future__ import annotations

import html
import io

import numpy as np
import pandas as pd
import pytest

from dashboard import export
from dashboard.pins import (
    MAX_LEGEND_LABEL,
    MAX_PINNED_ROWS,
    MAX_PINS,
    PIN_COLOURS,
    PIN_DASH,
    Pins,
)
from dashboard.plotting import Curve, ErrorBars, HLine, Panel, QuadMesh, Scatter
from dashboard.state import GlobalState
from dashboard.views import VIEWS, load_view_class

#: The global inputs as the sidebar names them (symbols of its sliders' labels "Coupling γ",
#: "Lattice depth U [E_R]"; "Disorder strength [n²]").
GLOBAL_NAMES = {"gamma": "γ", "lattice_depth": "U", "disorder_strength": "disorder strength"}


def _sources(view) -> dict[str, dict]:
    return {
        renderer.data_source.name: renderer.data_source.data
        for figure in view._drawing.figures
        for renderer in figure.renderers
        if getattr(renderer, "data_source", None) is not None and renderer.data_source.name
    }


def _legend(view, index: int = 0) -> list[str]:
    figure = view._drawing.figures[index]
    return [item.label.value for legend in figure.legend for item in legend.items]


def test_labels_name_the_parameters_that_differ():
    pins = Pins()
    frame = {"a": pd.DataFrame({"x": [1.0], "y": [2.0]})}
    pins.pin({"kind": "speckle", "strength": 2.0, "seed": 0}, frame)
    pins.pin({"kind": "speckle", "strength": 5.0, "seed": 1}, frame)
    assert pins.labels({"kind": "speckle", "strength": 5.0, "seed": 0}) == [
        "1: strength = 2, seed = 0",
        "2: strength = 5, seed = 1",
    ]
    assert pins.labels({"kind": "speckle", "strength": 5.0, "seed": 1}) == [
        "1: strength = 2, seed = 0",
        "2: strength = 5, seed = 1",
    ]
    single = Pins()
    single.pin({"a": 1}, frame)
    assert single.labels({"a": 1}) == ["1 (same inputs)"]


def test_overlay_repeats_lines_and_markers_of_pinned_frames_only():
    pins = Pins()
    frames = {"c": pd.DataFrame({"x": [1.0, 2.0], "y": [3.0, 4.0], "e": [0.1, 0.1]})}
    pins.pin({"a": 1}, frames)
    panel = Panel(
        "t",
        "x",
        "y",
        (
            Curve("c", "x", "y", "curve").opts(line_dash="dashed"),
            Scatter("c", "x", "y", "points").opts(size=5),
            ErrorBars("c", "x", "y", "e", "bars"),
            HLine(1.0, "level"),
            Curve("other", "x", "y", "not pinned"),
        ),
    )
    (overlaid,) = pins.overlay([panel], {"a": 2}, {})
    added = overlaid.layers[: len(overlaid.layers) - len(panel.layers)]
    assert overlaid.layers[len(added) :] == panel.layers
    assert [(type(layer), layer.frame, layer.label) for layer in added] == [
        (Curve, "pin 1: c", "pin 1: a = 1"),
        (Scatter, "pin 1: c", "pin 1: a = 1"),
    ]
    style = dict(added[0].style)
    assert style["color"] == PIN_COLOURS[0] and style["line_dash"] == PIN_DASH


@pytest.mark.parametrize("dash", ["dashed", "dotted", "dotdash", "dashdot"])
def test_a_pinned_dashed_line_is_never_drawn_with_the_dash_of_the_current_one(dash):
    """QA: a pinned dashed reference line looked like the view's own (same dash); a solid
    line stays solid (its colour tells it apart)."""
    pins = Pins()
    pins.pin({"a": 1}, {"c": pd.DataFrame({"x": [1.0, 2.0], "y": [3.0, 4.0]})})
    lines = (Curve("c", "x", "y", "dashed").opts(line_dash=dash), Curve("c", "x", "y", "solid"))
    (overlaid,) = pins.overlay([Panel("t", "x", "y", lines)], {"a": 2}, {})
    pinned_dash, solid = (
        dict(layer.style).get("line_dash", "solid") for layer in overlaid.layers[:2]
    )
    assert pinned_dash != dash and pinned_dash not in ("solid", "dashed", "dotted", "dotdash")
    assert solid == "solid"


def test_a_pinned_curve_equal_to_the_shown_one_is_not_repeated_and_legends_move_below():
    pins = Pins()
    same = pd.DataFrame({"x": [1.0, 2.0], "y": [3.0, np.nan]})
    moved = pd.DataFrame({"x": [1.0], "y": [5.0]})
    pins.pin({"gamma": 1.0}, {"exact": same, "marker": moved})
    panel = Panel(
        "t",
        "x",
        "y",
        (Curve("exact", "x", "y", "exact"), Scatter("marker", "x", "y", "at γ")),
        legend="top_right",
    )
    shown = {"exact": same.copy(), "marker": moved.assign(y=[7.0])}
    (overlaid,) = pins.overlay([panel], {"gamma": 2.0}, shown)
    added = overlaid.layers[: len(overlaid.layers) - len(panel.layers)]
    assert [layer.frame for layer in added] == ["pin 1: marker"]  # the exact curve: once
    assert overlaid.legend == "below"
    # a pin that differs nowhere is still drawn (its legend says "same inputs")
    (again,) = pins.overlay([panel], {"gamma": 1.0}, {"exact": same, "marker": moved})
    assert len(again.layers) == len(panel.layers) + 2
    assert pins.overlay([panel], {"gamma": 1.0}, shown)[0].legend == "below"


def test_pins_are_bounded_in_number_and_size():
    pins = Pins()
    big = {"map": pd.DataFrame({"x": np.zeros(MAX_PINNED_ROWS + 1)}), "c": pd.DataFrame({"x": [1]})}
    for number in range(MAX_PINS):
        pin = pins.pin({"a": number}, big)
    assert pin.omitted == {"map": MAX_PINNED_ROWS + 1} and set(pin.frames) == {"c"}
    with pytest.raises(ValueError, match=f"{MAX_PINS} of {MAX_PINS} pins"):
        pins.pin({"a": 99}, big)
    with pytest.raises(ValueError, match="no curve to pin"):
        Pins().pin({"a": 1}, {"map": big["map"], "empty": pd.DataFrame({"x": []})})


def test_a_pin_survives_moving_the_inputs_and_is_drawn_with_its_label(fresh_app):
    view = fresh_app.show("energy")
    at_four = view.current_data["weak-coupling partial sum"].copy()
    view.pin_current()
    view.weak_order = 9
    moved = view.current_data["weak-coupling partial sum"]
    assert not np.allclose(moved["e"], at_four["e"])  # the inputs did move the curve
    sources = _sources(view)
    pinned = sources["energy|pin 1: weak-coupling partial sum"]
    np.testing.assert_array_equal(pinned["e"], at_four["e"])
    np.testing.assert_array_equal(sources["energy|weak-coupling partial sum"]["e"], moved["e"])
    assert "pin 1: Weak order = 4" in _legend(view)
    # moving back: the pin is exactly the curve drawn again at the pinned inputs
    view.weak_order = 4
    np.testing.assert_array_equal(
        _sources(view)["energy|weak-coupling partial sum"]["e"], pinned["e"]
    )
    assert "pin 1 (same inputs)" in _legend(view)


def test_several_pins_then_clear(fresh_app):
    view = fresh_app.show("energy")
    view.pin_current()
    fresh_app.state.gamma = 10.0
    view.strong_order = 2
    view.pin_current()
    fresh_app.state.gamma = 1.0
    # "pin 2: Strong order = 2, γ = 10" is too long for a legend: both pins by number
    assert {"pin 1", "pin 2"} <= set(_legend(view))
    listing = html.unescape(view._pin_controls.listing.value)
    assert "pin 1: Strong order = 4, γ = 1<br>pin 2: Strong order = 2, γ = 10" in listing
    # the other model plots another quantity: the pins are not drawn on its axes
    view.model = "gaudin-yang"
    assert not [label for label in _legend(view) if label.startswith("pin ")]
    assert len(view.pins) == 2
    view.model = "lieb-liniger"
    assert view._pin_controls.listing.value.count("pin ") == 2
    view.clear_pins()
    assert not [name for name in _sources(view) if "pin " in name]
    assert not [label for label in _legend(view) if label.startswith("pin ")]
    assert view._pin_controls.clear_button.disabled


def test_pins_survive_presentation_mode(fresh_app):
    view = fresh_app.show("polaron")
    before = view.current_data["exact m/m*"].copy()
    fresh_app.state.gamma = 10.0
    view.pin_current()
    fresh_app.state.gamma = 1.0
    fresh_app.state.presentation = True
    sources = _sources(view)
    # the exact curve does not depend on γ: equal to the shown one, it is not drawn twice
    np.testing.assert_array_equal(
        sources["polaron|exact m/m*"]["inverse_mass_ratio"], before["inverse_mass_ratio"]
    )
    assert "polaron|pin 1: exact m/m*" not in sources
    assert sources["polaron|pin 1: marker"]["gamma"].tolist() == [10.0]
    assert "pin 1: γ = 10" in _legend(view)
    fresh_app.state.presentation = False


def test_pins_are_in_the_exports(fresh_app):
    view = fresh_app.show("polaron")
    at_default = view.current_data["weak-coupling series"].copy()
    view.pin_current()
    view.weak_order = 2
    data = export.collect(view)
    text = export.to_csv(data, "weak-coupling series")
    table = pd.read_csv(io.StringIO(text), comment="#")
    assert set(table["curve"]) == {"weak-coupling series", "pin 1: weak-coupling series"}
    pinned = table[table["curve"] == "pin 1: weak-coupling series"]
    np.testing.assert_allclose(
        pinned["inverse_mass_ratio"], at_default["inverse_mass_ratio"], rtol=1e-15
    )
    assert any(line.startswith("# pin 1: Weak order = 5: ") for line in text.splitlines())
    dataset = export.to_dataset(data)
    assert dataset.attrs["pin.1"].startswith("1: Weak order = 5: ")
    variable = dataset["pin_1_weak-coupling_series.inverse_mass_ratio"]
    assert variable.attrs["pin"] == "1: Weak order = 5"
    np.testing.assert_array_equal(variable.values, at_default["inverse_mass_ratio"])


def test_pinning_a_phase_map_keeps_its_lines_and_marker_not_the_map(fresh_app):
    view = fresh_app.show("phase_map")
    view.preset = "Dy164"  # T_D/E_K = 4.203 (Rb87's T_D = 0 has no place on the log axis)
    view.pin_current()
    view.preset = "KRb"
    (pin,) = view.pins.pins
    assert "phase map" in pin.omitted
    names = _sources(view)
    assert "phase_map|pin 1: marker" in names
    # the Lindemann curve is repeated only where the two presets' curves differ
    differs = not pin.frames["Lindemann ratio"].equals(view.current_data["Lindemann ratio"])
    assert ("phase_map|pin 1: Lindemann ratio" in names) == differs
    # drawn above the map's cells, beneath the current marker
    kinds = [(type(layer), layer.frame) for layer in view.plotted()[0][0].layers]
    assert kinds.index((Scatter, "pin 1: marker")) > kinds.index((QuadMesh, "phase map"))
    assert kinds.index((Scatter, "pin 1: marker")) < kinds.index((Scatter, "marker"))


def test_the_same_inputs_are_pinned_once(fresh_app):
    """QA: six identical pins were kept ("pin 1 (same inputs)" … "pin 6")."""
    view = fresh_app.show("energy")
    view.pin_current()
    view._pin_controls._act(view.pin_current)
    assert len(view.pins) == 1
    assert "pinned already (pin 1)" in html.unescape(view._pin_controls.listing.value)


def test_pin_labels_and_messages_are_text(fresh_app):
    view = fresh_app.show("energy")
    for order in range(MAX_PINS):
        view.weak_order = order
        view.pin_current()
    assert view._pin_controls.pin_button.disabled
    view._pin_controls._act(view.pin_current)  # a forged click on the disabled button
    listing = html.unescape(view._pin_controls.listing.value)
    assert listing.count(f"{MAX_PINS} of {MAX_PINS} pins") == 1 and len(view.pins) == MAX_PINS
    view.pins._pins[0].parameters["model"] = "<img src=x onerror=alert(1)>"
    view._pin_controls.update()
    assert "<img" not in view._pin_controls.listing.value


def test_sweeps_view_offers_no_pins_and_says_why(fresh_app):
    """QA: the Sweeps view's "Pin curves" was disabled with no reason given."""
    view = fresh_app.show("sweeps")
    assert view._pin_controls.pin_button.disabled
    assert "no pins in this view" in view._pin_controls.listing.value


def test_a_full_set_of_pins_says_so_beside_the_buttons(fresh_app):
    """QA: at the limit "Pin curves" was disabled silently (the limit's message appeared only
    when pinning raised, which a disabled button never let happen)."""
    view = fresh_app.show("energy")
    controls = view._pin_controls
    for order in range(MAX_PINS - 1):
        view.weak_order = order
        view.pin_current()
    assert not controls.pin_button.disabled and "clear the pins" not in controls.listing.value
    view.weak_order = MAX_PINS
    view.pin_current()
    assert controls.pin_button.disabled
    listing = html.unescape(controls.listing.value)
    assert f"{MAX_PINS} of {MAX_PINS} pins: clear the pins to pin more" in listing
    view.clear_pins()
    assert not controls.pin_button.disabled and not controls.listing.value


#: The phase map's grid: 160 depths × 160 Debye temperatures, one row per cell.
MAP_ROWS = 160 * 160


def test_a_pin_says_which_frames_it_left_out_in_its_list_and_exports(fresh_app):
    """QA: a pinned phase map dropped its 160 × 160 map silently: ``Pin.omitted`` was shown
    neither in the pin list nor in the CSV header or the NetCDF attributes."""
    view = fresh_app.show("phase_map")
    view.pin_current()
    view.TD_over_EK = 50.0
    note = f"phase map not pinned: {MAP_ROWS:,} rows, over the {MAX_PINNED_ROWS:,}-row limit"
    assert MAP_ROWS > MAX_PINNED_ROWS
    listing = html.unescape(view._pin_controls.listing.value)
    assert f"pin 1: Debye temperature T_D/E_K = 5 ({note})" in listing
    data = export.collect(view)
    header = [line for line in export.to_csv(data).splitlines() if line.startswith("#")]
    assert f"# pin 1: Debye temperature T_D/E_K = 5: {note}" in header
    assert export.to_dataset(data).attrs["pin.1.omitted"] == note
    assert note in export.to_dataset(export.collect(view), "marker").attrs["pin.1.omitted"]


def test_a_pinned_marker_at_a_zero_input_is_not_drawn_on_the_log_axis(fresh_app):
    """QA: a pin of the Rb87 preset (T_D/E_K = 0) drew its marker clipped at the log axis's
    bottom edge, a place that is not its value: it is left out, and the pin list says so."""
    view = fresh_app.show("phase_map")
    view.preset = "Rb87"
    assert view.TD_over_EK == 0
    view.pin_current()
    view.preset = "custom"
    view.TD_over_EK = 50.0
    sources = _sources(view)
    assert "phase_map|marker" in sources and "phase_map|pin 1: marker" not in sources
    assert not [label for label in _legend(view) if label.startswith("pin ")]
    listing = html.unescape(view._pin_controls.listing.value)
    assert (
        "marker not drawn: Debye temperature T_D/E_K = 0 has no place on a logarithmic axis"
        in listing
    )
    # a pin at a positive T_D/E_K draws its marker
    view.pin_current()
    assert "phase_map|pin 2: marker" in _sources(view)


def test_a_long_pin_label_is_short_in_the_legend_and_whole_in_the_pin_list(fresh_app):
    """QA: "pin 1: Preset = custom, Debye temperature T_D/E_K = 5, Dimension = 3" shrank the
    legend to ~7 pt in presentation mode at 1366×768."""
    view = fresh_app.show("phase_map")
    view.pin_current()
    view.preset = "Rb87"
    full = "pin 1: Preset = custom, Debye temperature T_D/E_K = 5, Dimension = 3"
    assert len(full) > MAX_LEGEND_LABEL
    assert "pin 1" in _legend(view) and full not in _legend(view)
    assert html.unescape(view._pin_controls.listing.value).startswith(full)
    # a short label stays in the legend whole
    energy = fresh_app.show("energy")
    energy.weak_order = 3
    energy.pin_current()
    energy.weak_order = 4
    assert "pin 1: Weak order = 3" in _legend(energy)


def _lab(colour: str) -> np.ndarray:
    """CIE L*a*b* (D65) of a ``#rrggbb`` sRGB colour (IEC 61966-2-1, CIE 15:2004)."""
    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = (
        np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
        @ linear
        / np.array([0.95047, 1.0, 1.08883])
    )
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _hex(colour) -> str:
    from bokeh.colors import named

    text = str(colour)
    return text.lower()[:7] if text.startswith("#") else getattr(named, text).to_hex()


def _drawn_colours(view) -> set[str]:
    """Every colour ``view``'s figures draw their own glyphs with: lines, markers, the
    annotations, and the colour scale of a map that lines or markers are drawn over."""
    colours = set()
    for figure in view._drawing.figures:
        glyphs = [r.glyph for r in figure.renderers if getattr(r, "glyph", None) is not None]
        for glyph in glyphs:
            for name in ("line_color", "fill_color"):
                colour = getattr(glyph, name, None)
                if isinstance(colour, str):
                    colours.add(_hex(colour))
                elif colour is not None and len(glyphs) > 1:  # a mapped colour, under lines
                    colours.update(_hex(c) for c in colour.transform.palette)
        colours.update(_hex(a.line_color) for a in figure.center if hasattr(a, "line_color"))
    return colours


#: CIE76 colour difference below which two plot colours read as the same one (a just
#: noticeable difference is ΔE*ab ≈ 2.3, Sharma, Digital Color Imaging Handbook (2003)).
SAME_COLOUR = 15.0


def test_pin_colours_are_unlike_every_colour_the_views_draw_with(fresh_app):
    """QA: pin 1 was #7f7f7f, the grey of e(γ)'s dashed "non-perturbative scale" line and
    the decay view's "clean ring" line; pin 4 (#17becf) looked like the current curves' blue."""
    drawn = {
        colour: slug
        for slug in VIEWS
        if load_view_class(slug).draws_panels
        for colour in _drawn_colours(fresh_app.show(slug))
    }
    assert {"#808080", "#dc143c"} <= set(drawn)  # the grey reference lines, crimson markers
    for pin in PIN_COLOURS:
        nearest = min(drawn, key=lambda c: np.linalg.norm(_lab(pin) - _lab(c)))
        distance = np.linalg.norm(_lab(pin) - _lab(nearest))
        assert distance > SAME_COLOUR, (pin, nearest, drawn[nearest], distance)
    for i, first in enumerate(PIN_COLOURS):
        for second in PIN_COLOURS[i + 1 :]:
            assert np.linalg.norm(_lab(first) - _lab(second)) > SAME_COLOUR


@pytest.mark.parametrize("slug", [slug for slug in VIEWS if load_view_class(slug).draws_panels])
def test_pin_labels_name_every_input_as_its_control_does(slug):
    """QA: "pin 1: weak_order = 5, gamma = 1" named the inputs by their code names; a label
    reads as the controls do ("Weak order = 5, γ = 1"), a choice by its option's name."""
    view = load_view_class(slug)(state=GlobalState())
    pinned = view.current_parameters()
    view.pins.pin(pinned, {"c": pd.DataFrame({"x": [1.0]})})
    (label,) = view.pins.labels(dict.fromkeys(pinned, "elsewhere"))  # every input differs
    for name, value in pinned.items():
        named = GLOBAL_NAMES.get(name) or view.param[name].label
        assert f"{named} = " in label
        if "_" in name:
            assert name not in label
        options = getattr(view.param[name], "names", {}) if name in view.param else {}
        if options:  # a choice reads as its option in the menu ("Lieb–Liniger (bosons)")
            (shown,) = [text for text, option in options.items() if option == value]
            assert f"{named} = {shown}" in label
    assert "<" not in label
