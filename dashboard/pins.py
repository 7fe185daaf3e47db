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

At most :data:`MAX_PINS` pins are kept, and a frame of more than :data:`MAX_PINNED_ROWS`
rows is not pinned (the pin lists it as omitted): a session's pins hold a bounded amount.
Pins appear in the view's downloads (:mod:`dashboard.export`).

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

__all__ = ["MAX_PINNED_ROWS", "MAX_PINS", "PIN_COLOURS", "Pin", "Pins", "setting_text"]

#: Most pins a view keeps at once.
MAX_PINS = 6
#: Largest frame (rows) a pin copies; bigger frames (a 160 × 160 map) are omitted.
MAX_PINNED_ROWS = 10_000
#: One colour per pin, unlike the views' own colours (muted tones, drawn half transparent).
PIN_COLOURS = ("#7f7f7f", "#9467bd", "#8c564b", "#17becf", "#bcbd22", "#e377c2")
#: Glyphs repeated for a pin.
PINNED_GLYPHS = (Curve, Scatter)
PIN_ALPHA = 0.6


@dataclass(frozen=True)
class Pin:
    """The frames of a view at one set of inputs.

    ``columns`` and ``legends`` keep how each frame was described when pinned (for the
    downloads); ``omitted`` names frames too large to pin.
    """

    number: int
    parameters: Mapping[str, Any]
    frames: Mapping[str, pd.DataFrame]
    columns: Mapping[str, tuple] = field(default_factory=dict)
    legends: Mapping[str, str] = field(default_factory=dict)
    omitted: tuple[str, ...] = ()


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
            raise ValueError(f"at most {MAX_PINS} pins are kept; clear the pins first")
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
            omitted=tuple(name for name in frames if name not in kept),
        )
        self._pins.append(pin)
        return pin

    def clear(self) -> None:
        self._pins.clear()

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
        gets its legend below the plot, where it never covers the data.
        """
        if not self._pins:
            return panels
        labels = self.labels(current)
        # per panel, per pin: the pinned layers, each with whether it equals the shown one
        candidates = [
            [
                [
                    (layer, _same_values(pin.frames[layer.frame], frames.get(layer.frame), layer))
                    for layer in panel.layers
                    if isinstance(layer, PINNED_GLYPHS)
                    and layer.frame in pin.frames
                    # another quantity on this axis (e.g. another model's) is not repeated
                    and set(layer.columns()) <= set(pin.frames[layer.frame].columns)
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
                for layer, same in per_panel[index]:
                    if same and differs[index]:
                        continue
                    style = dict(layer.style) | {"color": colour, "alpha": PIN_ALPHA}
                    if isinstance(layer, Scatter):
                        style["line_color"] = colour
                    added.append(
                        dataclasses.replace(
                            layer,
                            frame=self.frame_name(pin, layer.frame),
                            label=f"pin {label}",
                            style=tuple(sorted(style.items())),
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
                    reference=frozenset(layer.frame for layer in added),
                )
            )
        return result


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
        self._message = ""

    def _act(self, action: Any) -> None:
        try:
            action()
            self._message = ""
        except ValueError as exc:  # full, or nothing to pin: said beside the buttons
            self._message = str(exc)
        self.update()

    def update(self) -> None:
        """Show the current pin labels (they name what differs from the inputs now)."""
        from dashboard.base import escape_text

        pins = self.view.pins
        labels = pins.labels(self.view.shown_parameters()) if len(pins) else []
        lines = [f"pin {escape_text(label)}" for label in labels]
        if self._message:
            lines.append(f"<em>{escape_text(self._message)}</em>")
        text = "<br>".join(lines)
        if self.listing.value != text:
            self.listing.value = text
        self.pin_button.disabled = not self.view.draws_panels or len(pins) >= MAX_PINS
        self.clear_button.disabled = not len(pins)

    def panel(self) -> Any:
        import panel as pn

        self.update()
        return pn.Column(
            pn.Row(self.pin_button, self.clear_button, sizing_mode="stretch_width"),
            self.listing,
            sizing_mode="stretch_width",
        )
