"""View 3: the polaron's inverse effective-mass ratio m/m* (Ristivojevic 2021, Fig. 1)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import param

from dashboard.base import View
from dashboard.cache import memoize
from dashboard.formatting import number, superscript
from dashboard.plotting import Curve, Panel, Scatter
from dashboard.state import GAMMA_GRID
from physics import polaron, series

__all__ = ["PolaronView"]

#: Every how many grid points the independent σ route is evaluated.
CHECK_STRIDE = 10


@memoize(inputs=lambda: [("energy", 1), ("sigma", CHECK_STRIDE)])
def inverse_mass_ratio_on_grid(method: str, stride: int) -> tuple[np.ndarray, np.ndarray]:
    """(γ, m/m*) at every ``stride``-th point of the γ slider grid, by ``method``."""
    gammas = np.asarray(GAMMA_GRID)[::stride]
    return gammas, polaron.inverse_mass_ratio(gammas, method=method)


#: γ range of the slider grid on which each series is drawn (outside, it leaves the plot).
SERIES_RANGE = {"weak": (1e-3, 10.0), "strong": (3.0, 1e3)}


def _regime_orders() -> list[tuple[str, int]]:
    return [
        (regime, order)
        for regime in SERIES_RANGE
        for low, high in [PolaronView.param[f"{regime}_order"].bounds]
        for order in range(low, high + 1)
    ]


@memoize(inputs=_regime_orders)
def series_on_grid(regime: str, order: int) -> tuple[np.ndarray, np.ndarray]:
    """(γ, m/m* from the Eq. 22 (weak) or Eq. 23 (strong) series truncated at ``order``)."""
    low, high = SERIES_RANGE[regime]
    grid = np.asarray(GAMMA_GRID)
    gammas = grid[(grid >= low) & (grid <= high)]
    return gammas, series.inverse_mass_ratio_partial_sum(regime, gammas, order)


#: Relative accuracy of the exact m/m* = 2e/γ − e′: that of the Bethe-ansatz e and e′ it is
#: built from (physics/lieb_liniger.py states ~1e-12); a series closer than this is unresolved.
EXACT_RELATIVE_ACCURACY = 1e-12

#: Highest orders printed in Ristivojevic's Eqs. (22) (powers of √γ) and (23) (of 1/γ).
WEAK_PAPER_ORDER, STRONG_PAPER_ORDER = 5, 4


def _source(order: int, paper_order: int, equation: int) -> str:
    """Where a truncated series comes from: the paper's equation up to its printed order,
    beyond it the project's own coefficients (docs/physics/series.md)."""
    return f"Eq. ({equation})" if order <= paper_order else f"Eq. ({equation}) extended"


def _largest_relative_difference(data: dict[str, pd.DataFrame]) -> float:
    """Largest |σ route − Eq. (21)| / Eq. (21) over the dots (identity Eq. 17 says 0)."""
    sigma = data["sigma route"].set_index("gamma")["inverse_mass_ratio"]
    exact = data["exact m/m*"].set_index("gamma")["inverse_mass_ratio"].loc[sigma.index]
    return float(np.max(np.abs(sigma.to_numpy() / exact.to_numpy() - 1.0)))


class PolaronView(View):
    """m/m* of an impurity in the Lieb–Liniger gas: exact curve, series, marker at γ."""

    slug = "polaron"
    title = "m/m*"
    state_dependencies = ("gamma",)
    tap_targets = ((0, "gamma", None),)  # a click on m/m* sets γ
    explanation = r"""
### How heavy is an impurity dragged through a Bose gas?
One boson with a flipped (pseudo)spin moves through the Lieb–Liniger gas and drags a cloud
of other bosons with it: this *polaron* behaves like a particle of effective mass $m^*$
larger than its bare mass $m$. In this two-component Bose gas, the Gaudin–Yang Bose gas,
the exact result follows from the ground-state energy $e(\gamma)$ of the Lieb–Liniger gas
alone:

$$\frac{m}{m^*} = -\gamma^2\,\frac{\partial}{\partial\gamma}
\left(\frac{e(\gamma)}{\gamma^2}\right).$$

Weak coupling (Eq. 22): $m/m^* = 1 - \frac{2}{3\pi}\sqrt{\gamma} + \dots$, the impurity is
almost free. Strong coupling (Eq. 23):
$m/m^* = \frac{2\pi^2}{3\gamma} - \frac{4\pi^2}{\gamma^2} + \dots$,
the impurity must push many bosons and becomes heavy.
The dots check the formula against the independent route of the paper's Eqs. (13) and (16).

*Source:* Z. Ristivojevic, *Exact result for the polaron mass in a one-dimensional Bose gas*
(2021), Eqs. (16), (21)–(23) and Fig. 1.
"""

    weak_order = param.Integer(
        default=5,
        bounds=(1, 30),
        doc="Highest power k of √γ kept in the weak-coupling series (Eq. 22 prints k ≤ 5; "
        "higher orders are the project's own).",
    )
    strong_order = param.Integer(
        default=4,
        bounds=(1, 20),
        doc="Highest power k of 1/γ kept in the strong-coupling series (Eq. 23 prints k ≤ 4; "
        "higher orders are the project's own).",
    )
    check_points = param.Boolean(
        default=True, doc="Show the independent σ-equation route (Eqs. 13, 16) as dots."
    )

    def data(self) -> dict[str, pd.DataFrame]:
        y = "inverse_mass_ratio"
        gammas, exact = inverse_mass_ratio_on_grid("energy", 1)
        frames = {
            "exact m/m*": pd.DataFrame({"gamma": gammas, y: exact}),
            "marker": self._marker(gammas, exact),
        }
        for regime, order in (("weak", self.weak_order), ("strong", self.strong_order)):
            series_gammas, values = series_on_grid(regime, order)
            frames[f"{regime}-coupling series"] = pd.DataFrame({"gamma": series_gammas, y: values})
        if self.check_points:
            coarse, sigma = inverse_mass_ratio_on_grid("sigma", CHECK_STRIDE)
            frames["sigma route"] = pd.DataFrame({"gamma": coarse, y: sigma})
        return frames

    def _marker(self, gammas: np.ndarray, exact: np.ndarray) -> pd.DataFrame:
        """m/m* at the slider's γ: from the grid, or, off it, computed there (~1 ms per γ);
        empty outside the range of :mod:`physics.polaron`."""
        gamma = self.state.gamma
        low, high = polaron.GAMMA_RANGE
        if not low <= gamma <= high:
            value = np.array([])
        elif gamma in gammas:
            value = exact[gammas == gamma]
        else:
            value = np.array([polaron.inverse_mass_ratio(gamma)])
        return pd.DataFrame({"gamma": [gamma] * len(value), "inverse_mass_ratio": value})

    def figure(self, data: dict[str, pd.DataFrame]) -> list[Panel]:
        y = "inverse_mass_ratio"
        sigma_route = (
            (
                Scatter("sigma route", "gamma", y, "σ route, Eqs. (13), (16)").opts(
                    size=6, color="black"
                ),
            )
            if "sigma route" in data
            else ()
        )
        layers = (
            Curve("exact m/m*", "gamma", y, "exact, Eq. (21)").opts(line_width=2.5),
            Curve(
                "weak-coupling series",
                "gamma",
                y,
                f"weak coupling, {_source(self.weak_order, WEAK_PAPER_ORDER, 22)}, up to "
                f"(√γ){superscript(self.weak_order)}",
            ).opts(line_dash="dotdash", color="seagreen"),
            Curve(
                "strong-coupling series",
                "gamma",
                y,
                f"strong coupling, {_source(self.strong_order, STRONG_PAPER_ORDER, 23)}, up "
                f"to (1/γ){superscript(self.strong_order)}",
            ).opts(line_dash="dashed", color="darkorange"),
            *sigma_route,
            Scatter("marker", "gamma", y, "γ slider", hover=False).opts(size=11, color="crimson"),
        )
        return [
            Panel(
                title="Inverse polaron mass",
                xlabel="coupling γ = c/n (repulsive bosons, c > 0)",
                ylabel="m/m*  (bare over effective mass)",
                layers=layers,
                logx=True,
                logy=True,
                ylim=(1e-3, 1.5),
                legend="below",
            )
        ]

    def summary(self, data: dict[str, pd.DataFrame]) -> str:
        if data["marker"].empty:
            low, high = polaron.GAMMA_RANGE
            return (
                f"γ = {number(self.state.gamma)} lies outside the computed range "
                f"{number(low)} … {number(high)}."
            )
        marker = data["marker"].iloc[0]
        gamma, exact = marker["gamma"], marker["inverse_mass_ratio"]
        text = f"At γ = {number(gamma)}: m/m* = {exact:.6g}, m*/m = {1 / exact:.6g}."
        misses = self._series_misses(gamma, exact)
        if misses:
            text += f" Here {' and '.join(misses)}."
        if "sigma route" in data:
            text += (
                " The σ route (dots) differs from Eq. (21) by at most "
                f"{number(_largest_relative_difference(data), 2)} relative."
            )
        return text

    def _series_misses(self, gamma: float, exact: float) -> list[str]:
        """How far each series drawn at ``gamma`` lies from the exact m/m* there; a miss
        below the exact value's accuracy is not resolved."""
        floor = EXACT_RELATIVE_ACCURACY * exact
        misses = []
        for regime, order, power in (
            ("weak", self.weak_order, f"(√γ){superscript(self.weak_order)}"),
            ("strong", self.strong_order, f"(1/γ){superscript(self.strong_order)}"),
        ):
            low, high = SERIES_RANGE[regime]
            if not low <= gamma <= high:  # the series is not drawn at this γ
                continue
            distance = abs(series.inverse_mass_ratio_partial_sum(regime, gamma, order) - exact)
            how = (
                f"misses by {number(distance)}"
                if distance > floor
                else f"agrees within the exact value's accuracy (~{number(floor, 2)})"
            )
            misses.append(f"the {regime}-coupling series up to {power} {how}")
        return misses
