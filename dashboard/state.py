"""Shared state of the dashboard: the three global sliders every view can watch.

One :class:`GlobalState` instance per browser session holds the coupling γ,
the disorder strength of the Tonks–Girardeau view and the optical-lattice depth U/E_R,
plus the user-interface switches (active view, presentation mode). Views receive it as
their ``state`` parameter and declare which of its parameters they depend on.

Units follow ``docs/physics/conventions.md``: ħ = 2m = 1, k_B = 1, density n = 1.
"""

from __future__ import annotations

import math
import re

import numpy as np
import param

__all__ = [
    "DECIMAL_PATTERN",
    "DEPTH_GRID",
    "GAMMA_GRID",
    "INTEGER_PATTERN",
    "FiniteNumber",
    "GlobalState",
    "ZeroOrLogScale",
    "parse_decimal",
    "round_significant",
    "slider_stops",
    "snap_to_depth_grid",
    "snap_to_gamma_grid",
]

#: Values the γ slider steps through: 30 per decade from 1e-3 to 1e3, three significant
#: figures, so that URLs carry short numbers (``gamma=2.51``) and never float noise.
GAMMA_GRID: tuple[float, ...] = tuple(
    float(f"{value:.3g}") for value in np.logspace(-3.0, 3.0, 6 * 30 + 1)
)


#: A number as users and URLs write it: ASCII digits in decimal or scientific notation
#: (``float()`` and ``ast.literal_eval`` also read ``1_000``, ``٣``, ``0x10``, `` 1 ``).
DECIMAL_PATTERN = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
#: An integer as users and URLs write it (``2``, not ``2.0``).
INTEGER_PATTERN = re.compile(r"[+-]?[0-9]+")


def parse_decimal(text: str) -> float:
    """``text`` read as a number written in ASCII decimal or scientific notation.

    Raises
    ------
    ValueError
        If ``text`` is anything else (``1_000``, Arabic-Indic digits, ``0x10``, ``nan``).
    """
    if not DECIMAL_PATTERN.fullmatch(text):
        raise ValueError(f"{text!r} is not a number in decimal or scientific notation")
    return float(text)


def round_significant(value: float, digits: int = 4) -> float:
    """``value`` rounded to ``digits`` significant figures (slider steps leave float noise)."""
    if value == 0 or not math.isfinite(value):
        return value
    return float(f"{value:.{digits}g}")


#: Values the lattice-depth slider steps through: U = 0 (no lattice), then 20 per decade from
#: 1e-6 E_R to 10^1.6 ≈ 40 E_R, three significant figures. The phase map spans these 7.6
#: decades; the shallow regime ω < E_K needs U < 0.0026 E_R, out of reach of a linear slider.
DEPTH_GRID: tuple[float, ...] = (
    0.0,
    *(float(f"{value:.3g}") for value in np.logspace(-6.0, 1.6, 7 * 20 + 13)),
)


def _nearest_on_log_scale(value: float, grid: tuple[float, ...], logs: np.ndarray) -> float:
    return grid[int(np.argmin(np.abs(logs - math.log(value))))]


_POSITIVE_DEPTHS = DEPTH_GRID[1:]
_LOG_GAMMAS, _LOG_DEPTHS = np.log(GAMMA_GRID), np.log(_POSITIVE_DEPTHS)  # once, not per move


def snap_to_gamma_grid(gamma: float) -> float:
    """The point of :data:`GAMMA_GRID` nearest to ``gamma`` on a logarithmic scale."""
    return _nearest_on_log_scale(gamma, GAMMA_GRID, _LOG_GAMMAS)


def snap_to_depth_grid(depth: float) -> float:
    """The point of :data:`DEPTH_GRID` nearest to ``depth`` on a logarithmic scale; 0 stays 0
    (depths below the grid's first positive point snap to it)."""
    return 0.0 if depth <= 0 else _nearest_on_log_scale(depth, _POSITIVE_DEPTHS, _LOG_DEPTHS)


def slider_stops(grid: tuple[float, ...], value: float) -> list[float]:
    """A slider's stops: its ``grid`` and ``value`` itself, so that a value set elsewhere (typed,
    the URL, a lesson, a preset) is kept exactly and shown as one more stop."""
    return sorted({*grid, float(value)})


class FiniteNumber(param.Number):
    """A ``param.Number`` that also refuses NaN and ±inf (plain ``Number`` lets NaN through)."""

    def _validate_value(self, val, allow_None):
        super()._validate_value(val, allow_None)
        if val is not None and not math.isfinite(val):
            raise ValueError(
                f"Parameter {self.name!r} must be a finite number within {self.bounds}, "
                f"not {val!r}."
            )


class ZeroOrLogScale(param.Number):
    """A finite number that is 0 or at least ``floor`` (and within its bounds), shown on a
    logarithmic slider.

    Below the floor a value is neither drawn on a logarithmic axis nor physically distinct
    from 0 (``phase_map_TD_over_EK=1e-320`` was accepted). The slider steps through 0 and
    ``per_decade`` values per decade from the floor to the upper bound, three significant
    figures (:meth:`slider_options`); a value set elsewhere (a preset, the URL, a click on a
    plot) is kept exactly and becomes one more stop of the slider.
    """

    __slots__ = ["floor", "per_decade"]

    def __init__(self, floor: float, per_decade: int = 20, **params) -> None:
        self.floor = floor
        self.per_decade = per_decade
        super().__init__(**params)

    @property
    def valid_text(self) -> str:
        """The valid values as a user reads them (``dashboard.lessons.valid_values``)."""
        return f"0, or {self.floor:g} … {self.bounds[1]:g}"

    def slider_options(self, value: float) -> list[float]:
        """The slider's stops: 0, the logarithmic grid, and ``value`` itself."""
        decades = math.log10(self.bounds[1] / self.floor)
        grid = np.geomspace(self.floor, self.bounds[1], round(decades * self.per_decade) + 1)
        rounded = (0.0, *(float(f"{stop:.3g}") for stop in grid))
        return [stop for stop in slider_stops(rounded, value) if stop <= self.bounds[1]]

    def _validate_value(self, val, allow_None):
        super()._validate_value(val, allow_None)
        if val is not None and (not math.isfinite(val) or 0 < val < self.floor):
            raise ValueError(f"Parameter {self.name!r} must be {self.valid_text}, not {val!r}.")


class GlobalState(param.Parameterized):
    """The global controls shown in the sidebar and shared by all views of one session."""

    gamma = FiniteNumber(
        default=1.0,
        bounds=(1e-3, 1e3),
        doc="Coupling γ = |c|/n of the model shown: Lieb–Liniger or Gaudin–Yang, attractive or "
        "repulsive (dimensionless; logarithmic slider 1e-3 … 1e3).",
    )
    disorder_strength = FiniteNumber(
        # half the Fermi energy π²n²: at the default N = L = 32 the decay and the fall of ρ_s
        # are plain to see (at 1.0 the disordered curves sit on the clean ones)
        default=5.0,
        bounds=(0.0, 10.0),
        softbounds=(0.0, 10.0),
        step=0.1,
        doc="Strength of the random potential of the Tonks–Girardeau view, in units of n² "
        "(ħ = 2m = 1, n = 1).",
    )
    lattice_depth = ZeroOrLogScale(
        # 0 or the map's floor: ?lattice_depth=1e-300 was accepted and stretched the map's
        # axis over 300 decades
        floor=DEPTH_GRID[1],
        default=10.0,
        bounds=(0.0, 40.0),
        doc="Optical-lattice depth U in units of the recoil energy E_R (logarithmic slider "
        "over DEPTH_GRID: 0, then 1e-6 … 40).",
    )
    presentation = param.Boolean(
        default=False, doc="Large fonts and thicker lines for a projector."
    )

    def reset(self) -> None:
        """Set every parameter back to its default."""
        self.param.update(
            **{name: self.param[name].default for name in self.param if name != "name"}
        )
