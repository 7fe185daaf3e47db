"""A number typed beside a slider (issue 19 §2: γ can also be typed), validated like the URL.

The text is read as a number in ASCII decimal or scientific notation (``float()`` would
also read ``1_000`` and Arabic-Indic digits) and given to the global state, whose parameter
refuses what the URL would refuse (text, NaN, ±inf, values outside the bounds). A refused entry is
listed beside the field with the valid range and the value kept, as literal text; the
field then shows the state's value again. A value between the slider's grid points is kept
exactly: the slider shows it as one more stop (:func:`dashboard.base.linked_slider`).
"""

from __future__ import annotations

from typing import Any

import panel as pn
import param

from dashboard.base import escape_text, quoted
from dashboard.state import parse_decimal

__all__ = ["MAX_TYPED_CHARACTERS", "TypedValue"]

#: Longest text read from the field (longer text is refused unread).
MAX_TYPED_CHARACTERS = 32


def _shown(value: float) -> str:
    """The value as typed back: its shortest exact decimal (``2.51``, ``1000``, ``999.99999``;
    ``:g`` rounded 999.99999 to ``1000`` while the state kept it exactly)."""
    text = repr(float(value))
    return text.removesuffix(".0")


class TypedValue:
    """A text field for the number ``name`` of ``state``.

    Parameters
    ----------
    state
        The parameterized object holding the value (the session's global state).
    name
        The parameter's name (``"gamma"``).
    symbol
        How the message names the value (``"γ"``).
    valid
        The valid values as a user reads them (``dashboard.lessons.valid_values``).
    """

    def __init__(self, state: param.Parameterized, name: str, symbol: str, valid: str) -> None:
        self.state, self.name, self.symbol, self.valid = state, name, symbol, valid
        self.field = pn.widgets.TextInput(
            value=_shown(getattr(state, name)),
            max_length=MAX_TYPED_CHARACTERS,
            width=90,
            css_classes=[f"qge-typed-{name}"],
            label=f"or type {symbol}",
        )
        self.message = pn.widgets.StaticText(value="", sizing_mode="stretch_width")
        self.field.param.watch(self._entered, "value")
        state.param.watch(self._followed, name)

    def _entered(self, event: param.parameterized.Event) -> None:
        text = str(event.new)
        current = getattr(self.state, self.name)
        if text == _shown(current):
            return
        try:
            if len(text) > MAX_TYPED_CHARACTERS:
                raise ValueError(text)
            typed = parse_decimal(text.strip())
            self.state.param.update(**{self.name: typed})
        except Exception:  # text, NaN, inf, out of range: refused like a URL value
            self.message.value = (
                f"Ignored typed {escape_text(self.symbol)} = {quoted(text)} "
                f"(valid: {escape_text(self.valid)}; kept {escape_text(_shown(current))})"
            )
            self.field.value = _shown(current)
            return
        self._followed()  # the field as the value reads: ' 2 ' and '2.0' become '2'

    def _followed(self, *_: Any) -> None:
        """Show the state's value (moved by the slider, the URL, a lesson or a reset)."""
        self.message.value = ""
        value = _shown(getattr(self.state, self.name))
        if self.field.value != value:
            self.field.value = value

    def panel(self, slider: pn.viewable.Viewable) -> pn.Column:
        """``slider`` with the field beside it and the message below."""
        return pn.Column(
            pn.Row(slider, self.field, sizing_mode="stretch_width"),
            self.message,
            sizing_mode="stretch_width",
        )
