"""Pinned curves: a view's current curves kept as a labelled reference overlay.

"Pin" copies the frames a view shows, with the parameters that produced them; the pins stay
while the inputs move and are drawn under the view's own lines and markers (above its colour
meshes): every line or marker layer whose frame was pinned is repeated in the pin's colour,
from the pinned frame (``pin <n>: <frame>``), with one legend entry per pin. A pin's label
names the parameters that differ between the pins and the current inputs (``pin 1:
disorder_strength = 2``), so it reads as the difference that matters and changes as the
inputs move. Mesh layers (the phase map's coloured cells) are not repeated; the lines and
markers drawn over them are. A layer whose columns the pinned frame lacks is not repeated
either: the axis now shows another quantity (e(γ) of Lieb–Liniger against e_F + γ²/4 of
Gaudin–Yang); such pins stay in the downloads.

At most :data:`MAX_PINS` pins are kept (the list beside the buttons says when the limit is
reached), and a frame of more than :data:`MAX_PINNED_ROWS` rows is not pinned: a session's
pins hold a bounded amount. The pin list and the downloads (:mod:`dashboard.export`) say
which frames a pin left out and why (:func:`omitted_notes`).

A pin is drawn in its own colour (:data:`PIN_COLOURS`, none near a colour the views draw
with), a pinned dashed or dotted line in a dash no view uses (:data:`PIN_DASH`). Its legend
entry is its label, or ``pin <n>`` alone when a pin's label is longer than
:data:`MAX_LEGEND_LABEL` characters (the legend's font would shrink to fit it; then every pin
is named by its number, alike); the full labels are in the list beside the buttons. A pinned
layer plotted against one of the view's inputs (a column named as the input: the phase map's
marker at T_D/E_K) whose pinned value is not positive has no place on a logarithmic axis: it
is not drawn, and the pin list says so.

The axes fit the current curves only (pinned frames are the panel's ``reference``): a pin
outside their range is clipped (its data stay whole in the downloads; a zoom out shows it).
Fitted to every curve, e(γ) pinned at γ = 0.01 stretched the truncation-error axis to
1e-109 and squashed the current curve into a line.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import param

from dashboard.plotting import OUTSIDE_LEGENDS, Curve, Glyph, Panel, QuadMesh, Scatter

__all__ = [
    "MAX_LEGEND_LABEL",
    "MAX_PINNED_ROWS",
    "MAX_PINS",
    "PIN_COLOURS",
    "PIN_DASH",
    "Pin",
    "Pins",
    "full_text",
    "omitted_notes",
    "setting_text",
]

#: Most pins a view keeps at once.
MAX_PINS = 6
#: Largest frame (rows) a pin copies; bigger frames (a 160 × 160 map) are omitted.
MAX_PINNED_ROWS = 10_000
#: One colour per pin (drawn half transparent): six of Paul Tol's colour-blind-safe "muted"
#: scheme (https://personal.sron.nl/~pault/), none near the views' own colours (crimson
#: markers, black and grey reference lines, the default cycle's blue, red, yellow and green,
#: the phase map's states); left out: his green (the views' sea green), pale cyan and sand
#: (they fade into a white plot).
PIN_COLOURS = ("#332288", "#44aa99", "#999933", "#cc6677", "#882255", "#aa4499")
#: Dash of a pinned line that the view draws dashed, dotted or dot-dashed: long dash, two
#: dots (Bokeh's pattern in pixels), a pattern no view draws its own lines with.
PIN_DASH = (12, 3, 2, 3, 2, 3)
#: Longest legend entry of a pin; a longer label becomes ``pin <n>`` in the legend (the
#: legend font shrinks to fit its longest entry: ~7 pt in presentation mode at 1366×768).
MAX_LEGEND_LABEL = 30
#: Glyphs repeated for a pin.
PINNED_GLYPHS = (Curve, Scatter)
PIN_ALPHA = 0.6


@dataclass(frozen=True)
class Pin:
    """The frames of a view at one set of inputs.

    ``columns`` and ``legends`` keep how each frame was described when pinned (for the
    downloads); ``omitted`` maps each frame too large to pin to its number of rows.
    """

    number: int
    parameters: Mapping[str, Any]
    frames: Mapping[str, pd.DataFrame]
    columns: Mapping[str, tuple] = field(default_factory=dict)
    legends: Mapping[str, str] = field(default_factory=dict)
    omitted: Mapping[str, int] = field(default_factory=dict)


def full_text() -> str:
    """What the pin list says when :data:`MAX_PINS` pins are kept (plain text)."""
    return f"{MAX_PINS} of {MAX_PINS} pins: clear the pins to pin more"


def omitted_notes(pin: Pin) -> tuple[str, ...]:
    """One plain-text note per frame ``pin`` left out for its size (``phase map not pinned:
    25,600 rows, over the 10,000-row limit``)."""
    return tuple(
        f"{name} not pinned: {rows:,} rows, over the {MAX_PINNED_ROWS:,}-row limit"
        for name, rows in pin.omitted.items()
    )


def _value_text(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _raw_setting(name: str, value: Any) -> str:
    return f"{name} = {_value_text(value)}"


def setting_text(view: Any, name: str, value: Any) -> str:
    """``name = value`` as ``view``'s controls show it, in plain text.

    A view's own input reads by its label and, for a choice, the option's name (``Model =
    Lieb–Liniger (bosons)``); a global input by the symbol the tap hints use
    (``dashboard.base.TAP_NAMES``: ``γ = 1``, ``U = 10``, ``disorder strength = 2``).
    """
    from dashboard.base import TAP_NAMES

    if name in view.param and name != "state":
        parameter = view.param[name]
        if isinstance(parameter, param.Selector):
            options = {option: label for label, option in parameter.names.items()}
            value = options.get(value, value)
        return f"{parameter.label} = {_value_text(value)}"
    # the hints name inputs inside a sentence ("set the disorder strength there")
    symbol = TAP_NAMES.get(name, name).removeprefix("the ")
    return f"{symbol} = {_value_text(value)}"


class Pins:
    """The pins of one view (see the module docstring).

    ``describe(name, value)`` writes one input of a label (default ``name = value``; a
    view's pins use :func:`setting_text`, naming inputs as its controls do).
    """

    def __init__(self, describe: Callable[[str, Any], str] = _raw_setting) -> None:
        self._pins: list[Pin] = []
        self.describe = describe
        #: Per pin number, why layers of it were not drawn by the last :meth:`overlay`.
        self.undrawn: dict[int, tuple[str, ...]] = {}

    @property
    def pins(self) -> tuple[Pin, ...]:
        return tuple(self._pins)

    def __len__(self) -> int:
        return len(self._pins)

    def pin(
        self,
        parameters: Mapping[str, Any],
        frames: Mapping[str, pd.DataFrame],
        *,
        columns: Mapping[str, tuple] | None = None,
        legends: Mapping[str, str] | None = None,
    ) -> Pin:
        """Keep ``frames`` (views never change a frame in place) with their ``parameters``.

        Raises
        ------
        ValueError
            When :data:`MAX_PINS` pins are kept already, these inputs are pinned already,
            or there is nothing to pin.
        """
        if len(self._pins) >= MAX_PINS:
            raise ValueError(full_text())
        for pinned in self._pins:
            if pinned.parameters == dict(parameters):
                raise ValueError(f"these inputs are pinned already (pin {pinned.number})")
        kept = {name: f for name, f in frames.items() if len(f) <= MAX_PINNED_ROWS}
        if not any(len(frame) for frame in kept.values()):
            raise ValueError("there is no curve to pin (no data for the current inputs)")
        number = max((p.number for p in self._pins), default=0) + 1
        pin = Pin(
            number=number,
            parameters=dict(parameters),
            frames=kept,
            columns=dict(columns or {}),
            legends=dict(legends or {}),
            omitted={name: len(f) for name, f in frames.items() if name not in kept},
        )
        self._pins.append(pin)
        return pin

    def clear(self) -> None:
        self._pins.clear()
        self.undrawn.clear()

    def notes(self, pin: Pin) -> tuple[str, ...]:
        """What ``pin`` leaves out: frames too large to pin, layers the plots cannot show."""
        return (*omitted_notes(pin), *self.undrawn.get(pin.number, ()))

    @staticmethod
    def frame_name(pin: Pin, frame: str) -> str:
        """Name of ``pin``'s copy of ``frame`` among the drawn frames."""
        return f"pin {pin.number}: {frame}"

    def frames(self) -> dict[str, pd.DataFrame]:
        """Every pinned frame under its :meth:`frame_name`."""
        return {
            self.frame_name(pin, name): frame
            for pin in self._pins
            for name, frame in pin.frames.items()
        }

    def labels(self, current: Mapping[str, Any]) -> list[str]:
        """One label per pin: its number and the values of the parameters that differ
        between the pins and ``current`` (``"1 (same inputs)"`` when none does)."""
        sets = [current, *(pin.parameters for pin in self._pins)]
        names = list(dict.fromkeys(name for values in sets for name in values))
        differing = [
            name
            for name in names
            if len({_value_text(values.get(name, "—")) for values in sets}) > 1
        ]
        labels = []
        for pin in self._pins:
            shown = ", ".join(
                self.describe(name, pin.parameters.get(name, "—")) for name in differing
            )
            labels.append(f"{pin.number}: {shown}" if shown else f"{pin.number} (same inputs)")
        return labels

    def overlay(
        self,
        panels: list[Panel],
        current: Mapping[str, Any],
        frames: Mapping[str, pd.DataFrame],
    ) -> list[Panel]:
        """``panels`` with every pinned line and marker layer repeated in its pin's colour.

        A pinned frame equal to the current one (e(γ) pinned at another γ) is not repeated,
        unless the pin differs nowhere (then it is drawn, labelled "same inputs"): it would
        hide under the current curve and only lengthen the legend. A panel that gains pins
        gets its legend below the plot, where it never covers the data. Layers a log axis
        cannot place are left out, and :attr:`undrawn` says why.
        """
        if not self._pins:
            return panels
        labels = self.labels(current)
        # every pin by its number alone when one label is long (the pin list has them whole)
        short = any(len(f"pin {label}") > MAX_LEGEND_LABEL for label in labels)
        self.undrawn = {pin.number: self._undrawn(pin, panels) for pin in self._pins}
        # per panel, per pin: the pinned layers, each with whether it equals the shown one
        candidates = [
            [
                [
                    (layer, _same_values(pin.frames[layer.frame], frames.get(layer.frame), layer))
                    for layer in self._drawable(pin, panel)
                ]
                for pin in self._pins
            ]
            for panel in panels
        ]
        differs = [  # whether pin ``index`` shows anything the current curves do not
            any(not same for per_panel in candidates for _, same in per_panel[index])
            for index in range(len(self._pins))
        ]
        result = []
        for panel, per_panel in zip(panels, candidates, strict=True):
            added = []
            for index, (pin, label) in enumerate(zip(self._pins, labels, strict=True)):
                colour = PIN_COLOURS[index % len(PIN_COLOURS)]
                legend_label = f"pin {pin.number}" if short else f"pin {label}"
                for layer, same in per_panel[index]:
                    if same and differs[index]:
                        continue
                    added.append(
                        dataclasses.replace(
                            layer,
                            frame=self.frame_name(pin, layer.frame),
                            label=legend_label,
                            style=_pinned_style(layer, colour),
                        )
                    )
            # beneath the current curves (a pin equal to them does not hide them), above
            # the colour meshes (which would hide the pin)
            layers = panel.layers
            meshes = (i + 1 for i, layer in enumerate(layers) if isinstance(layer, QuadMesh))
            cut = max(meshes, default=0)
            legend = panel.legend
            if added and legend is not None and legend not in OUTSIDE_LEGENDS:
                legend = "below"
            result.append(
                dataclasses.replace(
                    panel,
                    layers=(*layers[:cut], *added, *layers[cut:]),
                    legend=legend,
                    reference=panel.reference | {layer.frame for layer in added},
                )
            )
        return result

    def _drawable(self, pin: Pin, panel: Panel) -> list[Glyph]:
        """The line and marker layers of ``panel`` that ``pin`` can repeat: their frame is
        pinned with the columns they read (another model's quantity on this axis is not
        repeated) and no pinned input they are plotted against lies off a log axis."""
        return [
            layer
            for layer in panel.layers
            if isinstance(layer, PINNED_GLYPHS)
            and layer.frame in pin.frames
            and set(layer.columns()) <= set(pin.frames[layer.frame].columns)
            and not _off_log_axes(pin, layer, panel)
        ]

    def _undrawn(self, pin: Pin, panels: list[Panel]) -> tuple[str, ...]:
        """Why layers of ``pin`` are left out of ``panels``: plotted against an input whose
        pinned value a logarithmic axis cannot show (plain text, one note per frame)."""
        notes = (
            f"{layer.frame} not drawn: {self.describe(name, pin.parameters[name])} has no "
            "place on a logarithmic axis"
            for panel in panels
            for layer in panel.layers
            if isinstance(layer, PINNED_GLYPHS) and layer.frame in pin.frames
            for name in _off_log_axes(pin, layer, panel)
        )
        return tuple(dict.fromkeys(notes))


def _off_log_axes(pin: Pin, layer: Curve | Scatter, panel: Panel) -> list[str]:
    """The inputs of ``pin`` that ``layer`` is plotted against (a column named as the input)
    on a logarithmic axis of ``panel`` with a pinned value that is not positive."""
    return [
        column
        for column, logarithmic in ((layer.x, panel.logx), (layer.y, panel.logy))
        if logarithmic
        and isinstance(value := pin.parameters.get(column), int | float)
        and not isinstance(value, bool)
        and not value > 0
    ]


def _pinned_style(layer: Glyph, colour: str) -> tuple[tuple[str, Any], ...]:
    """``layer``'s style in a pin's ``colour``; a dashed or dotted line in :data:`PIN_DASH`
    (never the dash of the view's own line)."""
    style = dict(layer.style) | {"color": colour, "alpha": PIN_ALPHA}
    if isinstance(layer, Scatter):
        style["line_color"] = colour
    if style.get("line_dash", "solid") != "solid":
        style["line_dash"] = PIN_DASH
    return tuple(sorted(style.items()))


def _same_values(pinned: pd.DataFrame, shown: pd.DataFrame | None, layer: Glyph) -> bool:
    """Whether the pinned frame holds the shown frame's values in the columns ``layer``
    reads (NaN equal to NaN)."""
    columns = layer.columns()
    if shown is None or len(pinned) != len(shown) or not set(columns) <= set(shown.columns):
        return False
    return all(
        pinned[name].reset_index(drop=True).equals(shown[name].reset_index(drop=True))
        for name in columns
    )


#: Why a view whose plots are not :class:`Panel` descriptions (Sweeps) offers no pins.
NO_PINS_TEXT = "no pins in this view: its HoloViews plots compare curves by overlaying them"


def _notes_text(notes: tuple[str, ...]) -> str:
    """`` (note; note)`` after a pin's label, or nothing."""
    return f" ({'; '.join(notes)})" if notes else ""


class PinControls:
    """ "Pin curves" and "Clear pins" buttons of one view, and the list of its pins."""

    def __init__(self, view: Any) -> None:
        import panel as pn

        self.view = view
        self.pin_button = pn.widgets.Button(label="Pin curves", sizing_mode="stretch_width")
        self.clear_button = pn.widgets.Button(label="Clear pins", sizing_mode="stretch_width")
        self.listing = pn.widgets.StaticText(value="", sizing_mode="stretch_width")
        self.pin_button.on_click(lambda _: self._act(view.pin_current))
        self.clear_button.on_click(lambda _: self._act(view.clear_pins))
        self._message = ("", ())  # (text, the pins it was said about)

    def _act(self, action: Any) -> None:
        try:
            action()
            self._message = ("", ())
        except ValueError as exc:  # full, or nothing to pin: said beside the buttons
            self._message = (str(exc), self.view.pins.pins)
        self.update()

    def update(self) -> None:
        """Show the current pin labels (they name what differs from the inputs now), what
        each pin left out, and why "Pin curves" is off when it is."""
        from dashboard.base import escape_text

        pins = self.view.pins
        labels = pins.labels(self.view.shown_parameters()) if len(pins) else []
        lines = [
            escape_text(f"pin {label}{_notes_text(pins.notes(pin))}")
            for pin, label in zip(pins.pins, labels, strict=True)
        ]
        reason = self._pin_off_reason()
        if reason:
            lines.append(escape_text(reason))
        message, about = self._message
        if message and message != reason and about == pins.pins:  # not after pins changed
            lines.append(f"<em>{escape_text(message)}</em>")
        text = "<br>".join(lines)
        if self.listing.value != text:
            self.listing.value = text
        self.pin_button.disabled = bool(reason)
        self.clear_button.disabled = not len(pins)

    def _pin_off_reason(self) -> str:
        """Why "Pin curves" is disabled now ("" when it is not): said beside the button."""
        if not self.view.draws_panels:
            return NO_PINS_TEXT
        return full_text() if len(self.view.pins) >= MAX_PINS else ""

    def panel(self) -> Any:
        import panel as pn

        self.update()
        return pn.Column(
            pn.Row(self.pin_button, self.clear_button, sizing_mode="stretch_width"),
            self.listing,
            sizing_mode="stretch_width",
        )
