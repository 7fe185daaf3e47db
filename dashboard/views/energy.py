"""View 1: the Lieb–Liniger ground-state energy e(γ), exact and from its series."""

from __future__ import annotations

import holoviews as hv
import numpy as np
import pandas as pd

from dashboard.base import PLOT_HEIGHT, View, hover_curve
from dashboard.cache import memoize
from dashboard.state import GAMMA_GRID
from physics import lieb_liniger

__all__ = ["EnergyView"]

_exact_energy = memoize(lieb_liniger.ground_state_energy)


class EnergyView(View):
    """e(γ) of the Lieb–Liniger gas with a marker at the global γ."""

    slug = "energy"
    title = "e(γ)"
    state_dependencies = ("gamma",)
    explanation = r"""
### Ground-state energy of the Lieb–Liniger gas
Bosons on a line with contact repulsion,
$H = -\sum_j \partial_{x_j}^2 + 2c\sum_{i \lt j}\delta(x_i-x_j)$ (units $\hbar = 2m = 1$).
At density $n$ the only parameter is the coupling $\gamma = c/n$. The density of Bethe
roots $f(x)$ on $[-B, B]$ solves Lieb's integral equation

$$\frac{f(x)}{2} - \frac{1}{2\pi}\int_{-B}^{B}\frac{f(y)\,dy}{(x-y)^2+1} = 1,\qquad
\frac{1}{\gamma} = \frac{1}{4\pi}\int_{-B}^{B} f(x)\,dx,$$

and the energy density is $e(\gamma) = E/n^3 = \frac{\gamma^3}{4\pi}\int_{-B}^{B}x^2 f(x)\,dx$.
Weak coupling: $e \approx \gamma$ (mean field). Strong coupling: $e \to \pi^2/3$
(hard-core bosons behave like free fermions, the Tonks–Girardeau gas).

*Source:* M. Mariño and T. Reis, *Exact perturbative results for the Lieb–Liniger and
Gaudin–Yang models*, J. Stat. Phys. **177**, 1148 (2019), Eqs. (2)–(4).
"""

    def data(self) -> dict[str, pd.DataFrame]:
        gammas = np.asarray(GAMMA_GRID)
        energies = _exact_energy(gammas)
        gamma = self.state.gamma
        marker = float(energies[GAMMA_GRID.index(gamma)])
        return {
            "exact e(γ)": pd.DataFrame({"gamma": gammas, "e": energies}),
            "marker": pd.DataFrame({"gamma": [gamma], "e": [marker]}),
        }

    def figure(self, data: dict[str, pd.DataFrame]) -> list[hv.core.Dimensioned]:
        exact = hover_curve(data["exact e(γ)"], "gamma", "e", "exact (Bethe ansatz)")
        marker = hv.Scatter(data["marker"], "gamma", "e", label="γ slider").opts(
            size=10, color="crimson", tools=["hover"]
        )
        overlay = (exact * marker).opts(
            logx=True,
            logy=True,
            xlabel="coupling γ = c/n",
            ylabel="e(γ) = E/(N n²)  [ħ = 2m = 1]",
            legend_position="bottom_right",
            responsive=True,
            height=PLOT_HEIGHT,
            title="Lieb–Liniger ground-state energy",
        )
        return [overlay]
