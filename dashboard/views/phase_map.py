"""View 5: Yukalov's phase map of atoms in an optical lattice (lattice-depth slider)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import param

from dashboard.base import View
from dashboard.cache import memoize
from dashboard.colours import STATE_COLOURS
from dashboard.formatting import number
from dashboard.plotting import ColourScale, Curve, HLine, Panel, QuadMesh, Scatter
from dashboard.state import DEPTH_GRID, ZeroOrLogScale, round_significant
from physics import lattice

__all__ = ["PhaseMapView"]

#: Map axes: depth U/E_R and Debye temperature T_D/E_K, logarithmic.
DEPTHS = np.geomspace(DEPTH_GRID[1], 40.0, 160)  # from the depth slider's floor, 1e-6
DEBYE_TEMPERATURES = np.geomspace(1e-3, 1e4, 160)
#: Smallest depth on the map's logarithmic axis (the marker of U = 0 is not drawn).
DEPTH_FLOOR = float(DEPTHS[0])
#: Smallest T_D on the map's logarithmic axis (the marker of T_D = 0 is not drawn).
DEBYE_FLOOR = float(DEBYE_TEMPERATURES[0])
#: Smallest positive temperature T/E_K of the slider (quantum fluctuations dominate below).
TEMPERATURE_FLOOR = 1e-3

#: Name of the frame of the map's cells (one row per cell, rows along the depth axis first).
MAP_FRAME = "phase map"

_phase_map = memoize(lattice.phase_map)
_lindemann_ratio = memoize(lattice.lindemann_ratio)


def _gap_where_infinite(ratio: np.ndarray | float) -> np.ndarray:
    """The Lindemann ratio as plotted: r₀/a = ∞ (no stable crystal) becomes NaN, a gap in
    the curve."""
    ratio = np.asarray(ratio, dtype=float)
    return np.where(np.isfinite(ratio), ratio, np.nan)


class PhaseMapView(View):
    """States of the lattice gas over depth and Debye temperature, marker at the global depth."""

    slug = "phase_map"
    title = "Lattice phase map"
    state_dependencies = ("lattice_depth",)
    #: the map needs the width: its colour bar names eight states
    columns = 1
    tap_targets = ((0, "lattice_depth", "TD_over_EK"),)  # a click on the map
    #: printed, not plotted: its units for the downloads
    units = (("omega_over_EK", "trap frequency ω/E_K of one lattice well", "dimensionless"),)
    explanation = r"""
### From an optical lattice to a quantum crystal
Atoms in an optical lattice of depth $U$ oscillate in each well with frequency
$\omega = 2\sqrt{E_R U}$. Long-range (e.g. dipolar) interactions between atoms on different
sites add their own stiffness, measured by the Debye temperature $T_D$ of the phonons they
carry. Yukalov compares $\omega$ and $T_D$ with the kinetic energy $E_K = 1/(2ma^2)$ of a
particle confined to one lattice spacing $a$:
$T_D$ below $\omega$ and $E_K$: **conducting optical lattice**; above both: **localized
quantum crystal**; in between: **delocalized quantum crystal** ($\omega < E_K$) or
**insulating optical lattice** ($\omega > E_K$). Grey bands: $T_D$ within the crossover
factor of $\omega$ or $E_K$.

A crystal is kept only if the Lindemann criterion $r_0/a < 1/2$ holds; in the Debye
approximation $r_0^2/a^2 = d^2 (E_K/T_D)\int_0^1 x^{d-2}\coth(T_D x/2T)\,dx$, which gives
$T_D/E_K > 4d^2/(d-1)$ at $T = 0$ (16 in 2D, 18 in 3D, never in 1D; dashed line), and
$T_D^2 > 72\,E_K T$ at high temperature in 3D. Orange: the scales favour a crystal but it
melts (Lindemann-unstable).

**The depth knob.** For spacing $a = \lambda/2$ the recoil energy is exactly
$E_R = \pi^2 E_K$, so $\omega/E_K = 2\pi^2\sqrt{U/E_R}$. The paper calls $E_R$ "close to"
$E_K$; they differ by $\pi^2 \approx 10$, which is why the shallow regime $\omega < E_K$ needs
$U < 0.0026\,E_R$ (where the harmonic picture is itself only qualitative).

Presets (2D square lattice, 532 nm, dipoles perpendicular to the plane, nearest
neighbours): ⁸⁷Rb (contact interactions, $T_D = 0$), ¹⁶⁴Dy (9.93 μ_B), ⁴⁰K⁸⁷Rb
(0.566 D, fully polarised).

*Source:* V. I. Yukalov, *From optical lattices to quantum crystals*, Eqs. (34), (42)–(55)
and the classification after Eq. (55); the prefactor of Eq. (48), the square root in
Eq. (49) and the temperature dependence of Eq. (54) are corrected as derived in
`docs/physics/lattice.md`.
"""

    preset = param.Selector(
        default="custom",
        objects=["custom", *lattice.PRESETS],
        doc="A physical system: sets T_D/E_K and the dimension from its constants "
        "(see docs/physics/lattice.md).",
    )
    TD_over_EK = ZeroOrLogScale(
        DEBYE_FLOOR,
        default=5.0,
        bounds=(0.0, float(DEBYE_TEMPERATURES[-1])),
        label="Debye temperature T_D/E_K",
        doc="Debye temperature of the intersite-interaction phonons, in units of E_K = 1/(2ma²).",
    )
    T_over_EK = ZeroOrLogScale(
        TEMPERATURE_FLOOR,
        default=0.0,
        bounds=(0.0, 1e3),
        label="Temperature T/E_K",
        doc="Temperature in units of E_K (k_B = 1); enters through the Lindemann criterion.",
    )
    dimension = param.Selector(
        default=3, objects=[1, 2, 3], doc="Space dimension d of the lattice."
    )
    crossover_factor = param.Number(
        default=lattice.CROSSOVER_FACTOR,
        bounds=(1.0, 10.0),
        step=0.1,
        label="Crossover factor",
        doc="'Much smaller' means smaller by more than this factor; within it, a crossover.",
    )

    @param.depends("preset", watch=True)
    def _apply_preset(self) -> None:
        if self.preset in lattice.PRESETS:
            self.param.update(**self._preset_values(self.preset))

    @param.depends("TD_over_EK", "dimension", "T_over_EK", watch=True)
    def _leave_preset(self) -> None:
        """Moving an input away from the preset's value makes the system "custom": the label
        never names a system whose constants are no longer shown."""
        if self.preset in lattice.PRESETS:
            chosen = self._preset_values(self.preset)
            if any(getattr(self, name) != value for name, value in chosen.items()):
                self.preset = "custom"

    @staticmethod
    def _preset_values(preset: str) -> dict[str, float]:
        chosen = lattice.PRESETS[preset]
        return {
            "TD_over_EK": round_significant(chosen.TD_over_EK),
            "dimension": chosen.d,
            "T_over_EK": chosen.T_over_EK,
        }

    def data(self) -> dict[str, pd.DataFrame]:
        grid = _phase_map(
            DEPTHS, DEBYE_TEMPERATURES, self.T_over_EK, self.dimension, self.crossover_factor
        )
        depth_mesh, TD_mesh = np.meshgrid(grid.depth_over_ER, grid.TD_over_EK)
        codes = grid.codes.ravel()
        depth = self.state.lattice_depth
        omega = float(lattice.depth_to_omega_over_EK(depth))
        state = lattice.classify(
            omega, self.TD_over_EK, self.T_over_EK, self.dimension, self.crossover_factor
        )
        ratio = float(
            _gap_where_infinite(_lindemann_ratio(self.TD_over_EK, self.T_over_EK, self.dimension))
        )
        frames = {
            MAP_FRAME: pd.DataFrame(
                {
                    "depth_over_ER": depth_mesh.ravel(),
                    "TD_over_EK": TD_mesh.ravel(),
                    "code": codes,
                    "state": np.asarray(grid.labels)[codes],
                }
            ),
            "marker": pd.DataFrame(
                {
                    # the inputs as they are (the download's values): a marker below the
                    # map's axes is not drawn, and the summary says so
                    "depth_over_ER": [depth],
                    "TD_over_EK": [self.TD_over_EK],
                    "omega_over_EK": [omega],
                    "lindemann_ratio": [ratio],
                    "state": [state],
                }
            ),
            "Lindemann ratio": pd.DataFrame(
                {
                    "TD_over_EK": grid.TD_over_EK,
                    "lindemann_ratio": _gap_where_infinite(grid.lindemann_ratio),
                }
            ),
        }
        line = grid.lindemann_TD_over_EK
        frames["Lindemann line"] = pd.DataFrame(
            {
                "depth_over_ER": [DEPTHS[0], DEPTHS[-1]] if np.isfinite(line) else [],
                "TD_over_EK": [line, line] if np.isfinite(line) else [],
            }
        )
        return frames

    def figure(self, data: dict[str, pd.DataFrame]) -> list[Panel]:
        states = ColourScale(
            palette=tuple(STATE_COLOURS),
            title="state",
            low=-0.5,
            high=len(lattice.STATES) - 0.5,
            tick_labels=tuple(lattice.STATES),
        )
        depth, debye = "depth_over_ER", "TD_over_EK"
        phase_map = Panel(
            title=f"States, T/E_K = {number(self.T_over_EK)}, d = {self.dimension}",
            xlabel="lattice depth U/E_R",
            ylabel="Debye temperature T_D/E_K",
            layers=(
                QuadMesh(MAP_FRAME, depth, debye, "code", "states", states, hover=("state",)),
                Curve("Lindemann line", depth, debye, "Lindemann bound r₀/a = 1/2").opts(
                    color="black", line_dash="dashed"
                ),
                Scatter("marker", depth, debye, "current inputs").opts(
                    size=13, color="crimson", line_color="white"
                ),
            ),
            logx=True,
            logy=True,
            legend="below",  # the line and the marker; the states are the colour bar's
        )
        ratio = "lindemann_ratio"
        unstable = data["Lindemann ratio"]["lindemann_ratio"].isna().all()
        lindemann = Panel(
            # why r₀/a = ∞ is said in the summary line: a title of more than ~30 characters
            # is shrunk to 7–8 pt on a phone and in presentation mode at 1366×768
            title="r₀/a = ∞: no stable crystal" if unstable else "Lindemann ratio r₀/a vs T_D",
            xlabel="Debye temperature T_D/E_K",
            ylabel="Lindemann ratio r₀/a",
            layers=(
                Curve("Lindemann ratio", debye, ratio, "r₀/a").opts(line_width=2.5),
                HLine(lattice.LINDEMANN_BOUND, "r₀/a = 1/2").opts(
                    color="black", line_dash="dashed"
                ),
                Scatter("marker", debye, ratio, "T_D", hover=False).opts(size=11, color="crimson"),
            ),
            logx=True,
            logy=True,
        )
        return [phase_map, lindemann]

    def _why_no_lindemann_bound(self) -> str:
        """Why r₀/a = ∞ at the current inputs (Eq. 54 with the corrections of
        ``docs/physics/lattice.md``), and whether the Lindemann curve over T_D is drawn."""
        if self.dimension == 1 or (self.dimension == 2 and self.T_over_EK > 0):
            cause = (
                "in one dimension the phonons' zero-point fluctuations diverge (Eq. 54)"
                if self.dimension == 1
                else "in two dimensions at T > 0 thermal phonons diverge (Eq. 54)"
            )
            return f"{cause}, at every T_D, so the Lindemann curve is empty"
        return (
            "T_D = 0: there are no intersite phonons to hold atoms at their sites "
            f"(the Lindemann curve at d = {self.dimension} is finite for T_D > 0)"
        )

    def summary(self, data: dict[str, pd.DataFrame]) -> str:
        marker = data["marker"].iloc[0]
        ratio = marker["lindemann_ratio"]
        ratio_text = (
            f"{ratio:.3g}"
            if np.isfinite(ratio)
            else f"∞: {self._why_no_lindemann_bound()}, so no localized crystal is stable "
            "(Lindemann criterion)"
        )
        depth = self.state.lattice_depth
        return (
            f"**{marker['state']}** at U/E_R = {number(depth)}: ω/E_K = "
            f"{marker['omega_over_EK']:.4g}, T_D/E_K = {self.TD_over_EK:g}, "
            f"T/E_K = {self.T_over_EK:g}, d = {self.dimension}; the crystal's Lindemann ratio "
            f"(it decides between the crystal states only) r₀/a = {ratio_text}."
            f"{self._marker_not_drawn(depth)}"
        )

    def _marker_not_drawn(self, depth: float) -> str:
        """Why the map has no marker: an input below its logarithmic axis (U = 0: no
        lattice; T_D = 0: contact interactions only). Drawn at the axis's end, it once sat
        at a place the inputs are not, and the download gave that place as their value."""
        below = [
            f"{name} = {number(value)}"
            for name, value, floor in (
                ("U/E_R", depth, DEPTH_FLOOR),
                ("T_D/E_K", self.TD_over_EK, DEBYE_FLOOR),
            )
            if value < floor
        ]
        if not below:
            return ""
        return (
            f" No marker on the map: {' and '.join(below)} lies below its logarithmic "
            f"axes (from U/E_R = {number(DEPTH_FLOOR)}, T_D/E_K = {number(DEBYE_FLOOR)})."
        )
