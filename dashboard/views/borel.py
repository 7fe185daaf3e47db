"""View 2: convergence of the Borel ratio test and the Borel–Padé poles (Mariño–Reis Fig. 1)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import param

from dashboard.base import View
from dashboard.cache import memoize
from dashboard.formatting import number
from dashboard.plotting import Curve, Panel, Points, Scatter
from physics import resurgence

__all__ = ["BorelView"]

MODELS = {
    "Lieb–Liniger (→ 8π)": "lieb-liniger",
    "Gaudin–Yang (→ π²)": "gaudin-yang",
}
LIMIT_LABEL = {"lieb-liniger": "8π", "gaudin-yang": "π²"}
RATIO_LABEL = {"lieb-liniger": "k c_k / c_(k+1)", "gaudin-yang": "(k − 1) c_k / c_(k+1)"}


def _model_orders(name: str) -> list[tuple[str, int]]:
    low, high = BorelView.param[name].bounds
    return [(model, order) for model in MODELS.values() for order in range(low, high + 1)]


@memoize(inputs=lambda: _model_orders("richardson_order"))
def ratios(model: str, richardson_order: int) -> dict[str, np.ndarray]:
    """Ratio sequence r_k, its Richardson transform R_N(k), the limit A (all as floats)."""
    sequence = resurgence.ratio_sequence(model)
    ks, transformed = resurgence.richardson_transform(sequence, richardson_order)
    return {
        "k": sequence[0],
        "ratio": sequence[1].astype(float),
        "k_richardson": ks,
        "richardson": transformed.astype(float),
        "limit": float(resurgence.expected_singularity(model)),
    }


@memoize(
    inputs=lambda: [
        (model, order) for model in MODELS.values() for order in range(2, max_pade_order(model) + 1)
    ]
)
def pade_poles(model: str, order: int) -> np.ndarray:
    """Poles of the [order/order] Padé approximant of the Borel transform."""
    return resurgence.borel_pade_poles(model, order)


@memoize(inputs=lambda: [(model,) for model in MODELS.values()])
def singularity_estimate(model: str) -> tuple[float, float]:
    """Richardson-accelerated estimate of A with its error bar."""
    return resurgence.borel_singularity_estimate(model)


def max_pade_order(model: str) -> int:
    """Largest diagonal Padé order the shipped coefficient table allows."""
    top = int(resurgence.ratio_sequence(model)[0][-1]) + 1
    return (top - resurgence.BORELSHIFT[model]) // 2


class BorelView(View):
    """Large-order behaviour of the weak-coupling series: ratio test, Richardson, Padé poles."""

    slug = "borel"
    title = "Borel ratio test"
    explanation = r"""
### Why perturbation theory fails: the Borel ratio test
The weak-coupling coefficients of the energy, $e(\gamma) = \gamma\sum_k c_k\gamma^{k/2}$
(Lieb–Liniger) and $e_F(\gamma) = \sum_k c_k\gamma^k$ (Gaudin–Yang), grow like factorials
(Eq. 32):

$$c^B_k \sim (8\pi)^{-k}\,\Gamma(k),\qquad c^F_k \sim (\pi^2)^{-k+1}\,\Gamma(k-1).$$

So the ratio $k\,c_k/c_{k+1}$ (Lieb–Liniger) or $(k-1)\,c_k/c_{k+1}$ (Gaudin–Yang) tends to a
constant $A$ ($8\pi$ for Lieb–Liniger, $\pi^2$ for Gaudin–Yang) with corrections in $1/k$ that the
Richardson transform removes (first plot; Mariño–Reis Fig. 1 shows the third transform). $A$ is
the position of the first singularity of the Borel transform $B(\zeta) = \sum_k c_k\zeta^k/k!$: in
the second plot, the poles of its Padé approximant pile up on the positive real axis from
$\zeta = A$, a branch cut. A singularity on the positive axis means the series is not Borel
summable, and implies an ambiguity of order $e^{-8\pi/\sqrt{\gamma}}$ (LL) or
$e^{-\pi^2/\gamma}$ (GY), Eq. (33).

*Source:* M. Mariño and T. Reis, *Exact perturbative results for the Lieb–Liniger and
Gaudin–Yang models*, J. Stat. Phys. **177**, 1148 (2019), Eqs. (31)–(33) and Fig. 1.
"""

    model = param.Selector(
        default="lieb-liniger", objects=MODELS, doc="Which weak-coupling series is analysed."
    )
    richardson_order = param.Integer(
        default=3, bounds=(0, 10), doc="Order N of the Richardson transform (N = 0: raw ratios)."
    )
    pade_order = param.Integer(
        default=30,
        label="Padé order",
        bounds=(2, 50),
        doc="Order of the diagonal Padé approximant of the Borel transform (limited by the "
        "number of tabulated coefficients).",
    )

    def __init__(self, **params) -> None:
        top = min(max_pade_order(model) for model in MODELS.values())
        super().__init__(**params)
        self.param.pade_order.bounds = (2, top)
        self.param.pade_order.softbounds = (2, top)
        if "pade_order" not in params:
            self.pade_order = min(self.pade_order, top)

    def data(self) -> dict[str, pd.DataFrame]:
        sequence = ratios(self.model, self.richardson_order)
        top = max_pade_order(self.model)
        if self.pade_order > top:
            raise ValueError(
                f"pade_order={self.pade_order} is outside the valid range [2, {top}] allowed "
                f"by the shipped {self.model} coefficient table"
            )
        poles = pade_poles(self.model, self.pade_order)
        k = sequence["k"]
        # order 0 is the raw ratios themselves: not drawn again in red over the grey ones
        transformed = slice(None) if self.richardson_order else slice(0)
        return {
            "ratio": pd.DataFrame({"k": k, "ratio": sequence["ratio"]}),
            "Richardson transform": pd.DataFrame(
                {
                    "k": sequence["k_richardson"][transformed],
                    "ratio": sequence["richardson"][transformed],
                }
            ),
            "limit": pd.DataFrame({"k": [k[0], k[-1]], "ratio": [sequence["limit"]] * 2}),
            "Padé poles": pd.DataFrame({"Re ζ": poles.real, "Im ζ": poles.imag}),
            "singularity": pd.DataFrame({"Re ζ": [sequence["limit"]], "Im ζ": [0.0]}),
        }

    def figure(self, data: dict[str, pd.DataFrame]) -> list[Panel]:
        limit = data["limit"]["ratio"].iloc[0]
        name = LIMIT_LABEL[self.model]
        ratio_label = RATIO_LABEL[self.model]
        richardson = f"Richardson transform, N = {self.richardson_order}"
        ratio = Panel(
            title=f"Ratio test → {name} = {limit:.6g}",
            xlabel="order k",
            ylabel=f"{ratio_label}  (dimensionless)",
            layers=(
                Curve("ratio", "k", "ratio", ratio_label).opts(color="gray", line_width=1.5),
                Scatter("ratio", "k", "ratio", ratio_label).opts(size=6, color="gray"),
                Curve("Richardson transform", "k", "ratio", richardson).opts(color="crimson"),
                Scatter("Richardson transform", "k", "ratio", richardson).opts(
                    size=6, color="crimson"
                ),
                Curve("limit", "k", "ratio", f"limit A = {name}").opts(
                    line_dash="dashed", color="black"
                ),
            ),
            ylim=(0.8 * limit, 1.25 * limit),
            legend="bottom_right",
        )
        reach = window_reach(limit)
        pade = self.pade_order
        poles = Panel(
            title="Borel plane: Padé poles",
            xlabel="Re ζ  (Borel plane)",
            ylabel="Im ζ",
            layers=(
                Points(
                    "Padé poles",
                    "Re ζ",
                    "Im ζ",
                    # "[30/30] Padé poles" read as "30 of 30"; how many lie off the plot is in
                    # the summary
                    f"poles of the [{pade}/{pade}] Padé approximant",
                ).opts(size=8, color="navy"),
                # no tooltip: the legend says where it is, and the poles converge on it
                Points("singularity", "Re ζ", "Im ζ", f"ζ = A = {name}", hover=False).opts(
                    marker="x", size=16, color="crimson", line_width=3
                ),
            ),
            xlim=(-1.05 * reach, 1.05 * reach),  # a margin: a pole near the edge is whole
            ylim=(-1.05 * reach, 1.05 * reach),
            legend="bottom_left",
        )
        return [ratio, poles]

    def summary(self, data: dict[str, pd.DataFrame]) -> str:
        value, error = singularity_estimate(self.model)
        limit = data["limit"]["ratio"].iloc[0]
        reach = window_reach(limit)
        outside = poles_outside(data["Padé poles"], reach)
        hidden = (
            f" {outside} of the {len(data['Padé poles'])} Padé poles lie outside the plotted "
            f"window |Re ζ|, |Im ζ| ≤ {reach:.3g} (all are in the download)."
            if outside
            else ""
        )
        shown = data["Richardson transform"] if self.richardson_order else data["ratio"]
        last = shown.iloc[-1]
        return (
            f"The plotted curve, Richardson order N = {self.richardson_order}: its last point "
            f"(k = {int(last['k'])}) differs from {LIMIT_LABEL[self.model]} by "
            f"{number(abs(last['ratio'] - limit), 2)}. Best estimate of A over the orders "
            f"N = 1 … 14 (the order that changes least from the one before; the slider "
            f"reaches {self.param.richardson_order.bounds[1]}): {value:.12g} ± "
            f"{number(error, 1)} (exact "
            f"{LIMIT_LABEL[self.model]} = {limit:.12g}); {len(data['ratio'])} ratios from the "
            f"shipped coefficient table.{hidden}"
        )


def window_reach(limit: float) -> float:
    """Half-width of the Borel-plane window: three times the singularity's distance A."""
    return 3 * limit


def poles_outside(poles: pd.DataFrame, reach: float) -> int:
    """How many poles lie outside the square window |Re ζ|, |Im ζ| ≤ ``reach``."""
    inside = (poles["Re ζ"].abs() <= reach) & (poles["Im ζ"].abs() <= reach)
    return int((~inside).sum())
