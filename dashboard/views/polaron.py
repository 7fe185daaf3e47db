"""View 3: the polaron's inverse effective-mass ratio m/m* (Ristivojevic 2021, Fig. 1)."""

from __future__ import annotations

import math

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

#: Leading weak-coupling coefficient of 1 − m/m* = (2/(3π)) √γ + O(γ) (Ristivojevic Eq. 22).
LEADING_DEFICIT = 2.0 / (3.0 * math.pi)

#: Highest orders printed in Ristivojevic's Eqs. (22) (powers of √γ) and (23) (of 1/γ).
WEAK_PAPER_ORDER, STRONG_PAPER_ORDER = 5, 4


def _source(order: int, paper_order: int, equation: int) -> str:
    """Where a truncated series comes from: the paper's equation up to its printed order,
    beyond it the project's own coefficients (docs/physics/series.md)."""
    return f"Eq. ({equation})" if order <= paper_order else f"Eq. ({equation}) extended"


def _with_deficit(gammas: np.ndarray, inverse_mass_ratio: np.ndarray) -> pd.DataFrame:
    """γ, m/m* and the deficit 1 − m/m*, which a log axis shows at weak coupling, where m/m*
    itself is 1 to within a percent; a non-positive deficit (a series above 1) is left out of
    that axis as NaN."""
    deficit = 1.0 - np.asarray(inverse_mass_ratio, dtype=float)
    return pd.DataFrame(
        {
            "gamma": gammas,
            "inverse_mass_ratio": inverse_mass_ratio,
            "mass_deficit": np.where(deficit > 0.0, deficit, np.nan),
        }
    )


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
    tap_targets = ((0, "gamma", None), (1, "gamma", None))  # a click on either plot sets γ
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
At weak coupling $m/m^*$ stays within a few per cent of 1, which a log axis cannot show: the
second plot draws the deficit $1 - m/m^*$, which follows the leading law
$\frac{2}{3\pi}\sqrt{\gamma}$ (slope 1/2 on log axes) as γ → 0.

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
        gammas, exact = inverse_mass_ratio_on_grid("energy", 1)
        frames = {
            "exact m/m*": _with_deficit(gammas, exact),
            "marker": self._marker(gammas, exact),
        }
        frames["weak-coupling series"] = _with_deficit(*series_on_grid("weak", self.weak_order))
        strong_gammas, strong = series_on_grid("strong", self.strong_order)
        frames["strong-coupling series"] = pd.DataFrame(
            {"gamma": strong_gammas, "inverse_mass_ratio": strong}
        )
        frames["leading law"] = pd.DataFrame(
            {"gamma": gammas, "mass_deficit": LEADING_DEFICIT * np.sqrt(gammas)}
        )
        if self.check_points:
            frames["sigma route"] = _with_deficit(
                *inverse_mass_ratio_on_grid("sigma", CHECK_STRIDE)
            )
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
        return _with_deficit(np.full(len(value), gamma), value)

    def figure(self, data: dict[str, pd.DataFrame]) -> list[Panel]:
        return [
            self._panel(
                data,
                "inverse_mass_ratio",
                "Inverse polaron mass",
                "m/m*  (bare over effective mass)",
                strong=True,
            ),
            self._panel(
                data,
                "mass_deficit",
                "Mass deficit 1 − m/m*",
                "1 − m/m*  (dimensionless)",
                strong=False,
            ),
        ]

    def _panel(
        self, data: dict[str, pd.DataFrame], y: str, title: str, ylabel: str, strong: bool
    ) -> Panel:
        """m/m* (``y = "inverse_mass_ratio"``, with the strong-coupling series) or its deficit
        1 − m/m* (with the leading law (2/(3π))√γ of Eq. 22) against γ, both axes log."""
        weak = Curve(
            "weak-coupling series",
            "gamma",
            y,
            f"weak coupling, {_source(self.weak_order, WEAK_PAPER_ORDER, 22)}, up to "
            f"(√γ){superscript(self.weak_order)}",
        ).opts(line_dash="dotdash", color="seagreen")
        regime = (
            Curve(
                "strong-coupling series",
                "gamma",
                y,
                f"strong coupling, {_source(self.strong_order, STRONG_PAPER_ORDER, 23)}, up "
                f"to (1/γ){superscript(self.strong_order)}",
            ).opts(line_dash="dashed", color="darkorange")
            if strong
            else Curve("leading law", "gamma", y, "leading term (2/(3π))√γ").opts(
                line_dash="dotted", color="dimgray", line_width=2.5
            )
        )
        sigma_route = (
            (
                Scatter("sigma route", "gamma", y, "σ route, Eqs. (13), (16)").opts(
                    size=6, color="black"
                ),
            )
            if "sigma route" in data
            else ()
        )
        return Panel(
            title=title,
            xlabel="coupling γ = c/n (repulsive bosons, c > 0)",
            ylabel=ylabel,
            layers=(
                Curve("exact m/m*", "gamma", y, "exact, Eq. (21)").opts(line_width=2.5),
                weak,
                regime,
                *sigma_route,
                Scatter("marker", "gamma", y, "γ slider", hover=False).opts(
                    size=11, color="crimson"
                ),
            ),
            logx=True,
            logy=True,
            ylim=(1e-3, 1.5),
            legend="below",
        )

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
