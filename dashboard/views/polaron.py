"""View 3: the polaron's inverse effective-mass ratio m/m* (Ristivojevic 2021, Fig. 1)."""

from __future__ import annotations

import holoviews as hv
import numpy as np
import pandas as pd
import param

from dashboard.base import PLOT_HEIGHT, View, chart, hover_curve
from dashboard.cache import memoize
from dashboard.state import GAMMA_GRID
from physics import polaron

__all__ = ["PolaronView"]

#: Every how many grid points the independent σ route is evaluated.
CHECK_STRIDE = 10


@memoize
def inverse_mass_ratio_on_grid(method: str, stride: int) -> tuple[np.ndarray, np.ndarray]:
    """(γ, m/m*) at every ``stride``-th point of the γ slider grid, by ``method``."""
    gammas = np.asarray(GAMMA_GRID)[::stride]
    return gammas, polaron.inverse_mass_ratio(gammas, method=method)


class PolaronView(View):
    """m/m* of an impurity in the Lieb–Liniger gas: exact curve, series, marker at γ."""

    slug = "polaron"
    title = "m/m*"
    state_dependencies = ("gamma",)
    explanation = r"""
### How heavy is an impurity dragged through a Bose gas?
One boson with a flipped (pseudo)spin moves through the Lieb–Liniger gas and drags a cloud
of other bosons with it: this *polaron* behaves like a particle of effective mass $m^*$
larger than its bare mass $m$. In the Yang–Gaudin Bose gas the exact result follows from the
ground-state energy $e(\gamma)$ of the Lieb–Liniger gas alone:

$$\frac{m}{m^*} = -\gamma^2\,\frac{\partial}{\partial\gamma}
\left(\frac{e(\gamma)}{\gamma^2}\right).$$

Weak coupling (Eq. 22): $m/m^* = 1 - \frac{2}{3\pi}\sqrt{\gamma} + \dots$, the impurity is
almost free. Strong coupling (Eq. 23): $m/m^* = \frac{2\pi^2}{3\gamma} - \frac{4\pi^2}{\gamma^2}
+ \dots$, the impurity must push many bosons and becomes heavy.
The dots check the formula against the independent route of the paper's Eqs. (13) and (16).

*Source:* Z. Ristivojevic, *Exact result for the polaron mass in a one-dimensional Bose gas*
(2021), Eqs. (16), (21)–(23) and Fig. 1.
"""

    check_points = param.Boolean(
        default=True, doc="Show the independent σ-equation route (Eqs. 13, 16) as dots."
    )

    def data(self) -> dict[str, pd.DataFrame]:
        y = "inverse_mass_ratio"
        gammas, exact = inverse_mass_ratio_on_grid("energy", 1)
        on_curve = gammas == self.state.gamma
        frames = {
            "exact m/m*": pd.DataFrame({"gamma": gammas, y: exact}),
            "marker": pd.DataFrame({"gamma": gammas[on_curve], y: exact[on_curve]}),
        }
        if self.check_points:
            coarse, sigma = inverse_mass_ratio_on_grid("sigma", CHECK_STRIDE)
            frames["sigma route"] = pd.DataFrame({"gamma": coarse, y: sigma})
        return frames

    def figure(self, data: dict[str, pd.DataFrame]) -> list[hv.core.Dimensioned]:
        y = "inverse_mass_ratio"
        layers = [hover_curve(data["exact m/m*"], "gamma", y, "exact, Eq. (21)", line_width=2.5)]
        sigma = data.get("sigma route", data["exact m/m*"].iloc[0:0])
        layers.append(
            chart(hv.Scatter, sigma, "gamma", y, "σ route, Eqs. (13), (16)", size=6, color="black")
        )
        layers.append(
            chart(hv.Scatter, data["marker"], "gamma", y, "γ slider", size=11, color="crimson")
        )
        overlay = hv.Overlay(layers).opts(
            logx=True,
            logy=True,
            xlabel="coupling γ = c/n",
            ylabel="m/m*  (bare over effective mass)",
            legend_position="bottom_left",
            responsive=True,
            height=PLOT_HEIGHT,
            title="Inverse polaron mass",
        )
        return [overlay]

    def summary(self, data: dict[str, pd.DataFrame]) -> str:
        if data["marker"].empty:
            return ""
        marker = data["marker"].iloc[0]
        return (
            f"At γ = {marker['gamma']:.3g}: m/m* = {marker['inverse_mass_ratio']:.6g}, "
            f"m*/m = {1 / marker['inverse_mass_ratio']:.6g}."
        )
