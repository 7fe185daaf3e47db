"""View 1: ground-state energy e(γ), Lieb–Liniger or attractive Gaudin–Yang, exact and series."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import param

from dashboard.base import View, markdown_with_math
from dashboard.cache import memoize
from dashboard.formatting import number, superscript
from dashboard.plotting import Curve, NoDataNote, Panel, Scatter
from dashboard.state import GAMMA_GRID, GlobalState
from physics import (
    gaudin_yang,
    gaudin_yang_repulsive,
    lieb_liniger,
    resurgence,
    series,
    strong_coupling,
)

__all__ = ["EXPLANATIONS", "MODELS", "EnergyModel", "EnergyView"]


@dataclass(frozen=True)
class EnergyModel:
    """What the view draws for one model: its exact energy, its two series, how to plot it."""

    exact: Callable[[np.ndarray], np.ndarray]
    gamma_range: tuple[float, float]
    weak_sum: Callable[[np.ndarray, int], np.ndarray]
    strong_sum: Callable[[np.ndarray, int], np.ndarray]
    #: Highest strong-coupling order the model has (the slider's larger orders use this one).
    strong_top: int
    #: (orders N, |e − e_N|, smallest-term order N*) at one γ.
    truncation: Callable[[float], tuple[np.ndarray, np.ndarray, int]]
    #: The size of the smallest term, e^{−A/g} (Eq. 33): its value, what it is, its formula
    #: and a remark (the legend reads "name formula remark", the summary "name formula = …").
    scale: Callable[[float], float]
    scale_name: str
    scale_formula: str
    scale_remark: str
    #: Largest γ at which weak-coupling partial sums are drawn (beyond, they run off the plot).
    weak_up_to: float
    #: The plotted column: e itself, or e_F + γ²/4 for the attractive gas (``energy_frame``).
    plotted: str
    title: str
    ylabel: str
    ylim: tuple[float, float] | None
    #: Whether e(γ) is cheap enough to compute on the event loop at a γ off the slider's grid
    #: (Lieb–Liniger: ~1 ms; the Gaudin–Yang solvers take 0.01–2 s at a new γ, measured).
    off_grid: bool


def _series_truncation(model: str) -> Callable[[float], tuple[np.ndarray, np.ndarray, int]]:
    def truncation(gamma: float) -> tuple[np.ndarray, np.ndarray, int]:
        orders, errors = series.truncation_errors(model, gamma)
        return orders, errors, series.optimal_truncation_order(model, gamma)

    return truncation


def _series_model(
    model: str, exact: Callable, gamma_range: tuple[float, float], **plot
) -> EnergyModel:
    """A model with a shipped coefficient table: its series is not alternating, so its
    smallest term is the ambiguity e^{−A/g} of Eq. (33)."""
    return EnergyModel(
        exact=exact,
        gamma_range=gamma_range,
        weak_sum=lambda gammas, order: series.partial_sum(model, gammas, order),
        strong_sum=lambda gammas, order: strong_coupling.strong_coupling_energy(
            gammas, model, order
        ),
        strong_top=20,
        truncation=_series_truncation(model),
        scale=lambda gamma: resurgence.nonperturbative_scale(model, gamma),
        scale_name="non-perturbative scale",
        scale_remark="(Eq. 33)",
        **plot,
    )


#: Units of e and of every energy difference: e = E/(L n³) is a number in the project's units.
ENERGY_UNITS = "dimensionless"

#: The selector's models, by their label.
MODELS = {
    "Lieb–Liniger (bosons)": "lieb-liniger",
    "Gaudin–Yang (attractive fermions)": "gaudin-yang",
    "Gaudin–Yang (repulsive fermions)": "gaudin-yang-repulsive",
}
_MODELS = {
    "lieb-liniger": _series_model(
        "lieb-liniger",
        lieb_liniger.ground_state_energy,
        lieb_liniger.GAMMA_RANGE,
        scale_formula="e^(−8π/√γ)",
        weak_up_to=30.0,
        plotted="e",
        title="Lieb–Liniger e(γ)",
        ylabel=f"e(γ) = E/(L n³)  [{ENERGY_UNITS}]",
        ylim=None,
        off_grid=True,
    ),
    # e_F + γ²/4, the energy above the pairs' binding energy −γ²/4, runs from π²/12 (free
    # fermions) to π²/48 (a Tonks gas of dimers): on e_F's own scale (0 … −2500) it is flat
    "gaudin-yang": _series_model(
        "gaudin-yang",
        gaudin_yang.ground_state_energy,
        gaudin_yang.GAMMA_RANGE,
        scale_formula="e^(−π²/γ)",
        weak_up_to=3.0,
        plotted="e_above_binding",
        title="Gaudin–Yang, c < 0: e_F + γ²/4",
        ylabel=f"e_F(γ) + γ²/4  [{ENERGY_UNITS}]",  # e_F: the explanation, Eqs. 5–7
        ylim=(0.0, 1.0),
        off_grid=False,
    ),
    # Borel summable: the terms are smallest near e^(−π²/γ) but nothing is ambiguous
    "gaudin-yang-repulsive": EnergyModel(
        exact=lambda gammas: gaudin_yang_repulsive.ground_state_energy(gammas, precomputed=True),
        gamma_range=gaudin_yang_repulsive.GAMMA_RANGE,
        weak_sum=gaudin_yang_repulsive.weak_coupling_partial_sum,
        strong_sum=lambda gammas, order: gaudin_yang_repulsive.strong_coupling_energy(
            gammas, min(order, gaudin_yang_repulsive.STRONG_COUPLING_ORDER)
        ),
        strong_top=gaudin_yang_repulsive.STRONG_COUPLING_ORDER,
        truncation=gaudin_yang_repulsive.truncation_errors,
        scale=lambda gamma: resurgence.nonperturbative_scale("gaudin-yang", gamma),
        scale_name="scale of the smallest term",
        scale_formula="e^(−π²/γ)",
        scale_remark="(no ambiguity)",
        weak_up_to=3.0,
        plotted="e",
        title="Gaudin–Yang, c > 0: e(γ)",
        ylabel=f"e(γ) = E/(L n³)  [{ENERGY_UNITS}]",
        ylim=(0.5, 3.5),
        off_grid=False,
    ),
}

#: Smallest γ at which the strong-coupling series is drawn (it is an expansion in ~2π/γ).
STRONG_SERIES_FROM = 3.0


def _grid_inside(model: str) -> np.ndarray:
    low, high = _MODELS[model].gamma_range
    grid = np.asarray(GAMMA_GRID)
    return grid[(grid >= low) & (grid <= high)]


def marker_gamma(model: str, gamma: float) -> float | None:
    """Where the marker at the slider's ``gamma`` is drawn: ``None`` outside the model's range,
    else ``gamma`` itself, or, for a γ off the grid where e(γ) is costly, the nearest grid
    point on a logarithmic scale (the summary says so)."""
    low, high = _MODELS[model].gamma_range
    if not low <= gamma <= high:
        return None
    grid = _grid_inside(model)
    if gamma in grid or _MODELS[model].off_grid:
        return gamma
    return float(grid[np.argmin(np.abs(np.log(grid / gamma)))])


def _models() -> list[tuple[str]]:
    return [(model,) for model in MODELS.values()]


def _model_orders(name: str) -> list[tuple[str, int]]:
    low, high = EnergyView.param[name].bounds
    return [(model, order) for model in MODELS.values() for order in range(low, high + 1)]


def _model_gammas() -> list[tuple[str, float]]:
    return [(model, float(gamma)) for model in MODELS.values() for gamma in _grid_inside(model)]


@memoize(inputs=_models)
def exact_on_grid(model: str) -> tuple[np.ndarray, np.ndarray]:
    """(γ, e(γ)) at the slider's grid points inside the model's range (keyed by name only)."""
    gammas = _grid_inside(model)
    return gammas, _MODELS[model].exact(gammas)


@memoize(inputs=lambda: _model_orders("strong_order"))
def strong_series_on_grid(model: str, order: int) -> tuple[np.ndarray, np.ndarray]:
    """(γ, truncated strong-coupling series) at the grid points γ ≥ STRONG_SERIES_FROM."""
    gammas = _grid_inside(model)
    gammas = gammas[gammas >= STRONG_SERIES_FROM]
    return gammas, _MODELS[model].strong_sum(gammas, order)


#: Window of |e − e_N| that sets the error plot's scale (the curve itself is drawn unclipped;
#: the Bethe-ansatz floor is ~1e-13 relative).
ERROR_SCALE_WINDOW = (1e-17, 1e3)
#: Largest e^{−A/g} drawn and quoted as a scale: above 1/e (A/g < 1) the optimal order A/g
#: is below one and the asymptotic estimate says nothing.
SCALE_LIMIT = math.exp(-1.0)
#: Relative accuracy of the Bethe-ansatz e(γ) (the solvers' stated bound): differences
#: below it are not resolved, so no "least error" is claimed beneath it.
EXACT_RELATIVE_ACCURACY = 1e-12


def energy_frame(model: str, gammas: np.ndarray, energies: np.ndarray) -> pd.DataFrame:
    """Columns γ, e and, for the attractive gas, e_above_binding = e_F + γ²/4."""
    frame = pd.DataFrame({"gamma": gammas, "e": energies})
    if _MODELS[model].plotted == "e_above_binding":
        frame["e_above_binding"] = energies + gammas**2 / 4
    return frame


@memoize(inputs=lambda: _model_orders("weak_order"))
def weak_series_on_grid(model: str, order: int) -> tuple[np.ndarray, np.ndarray]:
    """(γ, weak-coupling partial sum e_N) at the grid points γ ≤ the model's weak_up_to."""
    gammas = _grid_inside(model)
    gammas = gammas[gammas <= _MODELS[model].weak_up_to]
    return gammas, _MODELS[model].weak_sum(gammas, order)


@functools.cache  # 3 curves × 4 models × ≤ 31 orders
def grid_frame(model: str, curve: str, order: int = 0) -> pd.DataFrame:
    """The frame of one curve on the γ grid (``"exact"``, ``"weak"`` or ``"strong"`` at
    ``order``), built once and shared by every session's moves: a γ move then sends only the
    marker, and an unchanged frame is recognised by identity (never modified after)."""
    if curve == "exact":
        return energy_frame(model, *exact_on_grid(model))
    series = {"weak": weak_series_on_grid, "strong": strong_series_on_grid}[curve]
    return energy_frame(model, *series(model, order))


def truncation_of(model: str, gamma: float) -> dict[str, object]:
    """|e − e_N| against N at γ, the smallest-term order N* and the scale e^{−A/g} (Eq. 33)."""
    orders, errors, smallest_term = _MODELS[model].truncation(gamma)
    scale = _MODELS[model].scale(gamma)
    return {"orders": orders, "errors": errors, "smallest_term": smallest_term, "scale": scale}


#: :func:`truncation_of` at the grid points, computed ahead (a γ off the grid is computed when met).
truncation_at = memoize(truncation_of, inputs=_model_gammas)


_LIEB_LINIGER = r"""
### Ground-state energy of the Lieb–Liniger gas
Bosons on a line with contact repulsion,
$H = -\sum_j \partial_{x_j}^2 + 2c\sum_{i \lt j}\delta(x_i-x_j)$ (units $\hbar = 2m = 1$).
At density $n$ the only parameter is the coupling $\gamma = c/n$. The density of Bethe
roots $f(x)$ on $[-B, B]$ solves Lieb's integral equation

$$\frac{f(x)}{2} - \frac{1}{2\pi}\int_{-B}^{B}\frac{f(y)\,dy}{(x-y)^2+1} = 1,\qquad
\frac{1}{\gamma} = \frac{1}{4\pi}\int_{-B}^{B} f(x)\,dx,$$

and the energy density is $e(\gamma) = E/n^3 = \frac{\gamma^3}{4\pi}\int_{-B}^{B}x^2 f(x)\,dx$.
Weak coupling: $e \approx \gamma$ (mean field). Strong coupling: $e \to \pi^2/3$
(hard-core bosons behave like free fermions, the Tonks–Girardeau gas), with corrections in
powers of $1/\gamma$:
$e = \frac{\pi^2}{3}\left(1 - \frac{4}{\gamma} + \frac{12}{\gamma^2} - \dots\right)$.

The weak-coupling series $e(\gamma) = \gamma\sum_k c_k\,\gamma^{k/2}$ (Eq. 31) is
*asymptotic*: $c_k \sim (8\pi)^{-k}\,\Gamma(k)$ grows factorially (Eq. 32)."""

_ATTRACTIVE_GAUDIN_YANG = r"""
### Ground-state energy of the attractive Gaudin–Yang gas
Spin-½ fermions on a line with contact attraction,
$H = -\sum_j \partial_{x_j}^2 + 2c\sum_{i \lt j}\delta(x_i-x_j)$ with $c \lt 0$
(units $\hbar = 2m = 1$), balanced spins, coupling $\gamma = |c|/n$. Gaudin's integral
equation is Lieb's with the sign of the kernel flipped,

$$\frac{f(x)}{2} + \frac{1}{2\pi}\int_{-B}^{B}\frac{f(y)\,dy}{(x-y)^2+1} = 1,\qquad
\frac{1}{\gamma} = \frac{1}{\pi}\int_{-B}^{B} f(x)\,dx,$$

and $e_F(\gamma) = -\frac{\gamma^2}{4} + \frac{\gamma^3}{\pi}\int_{-B}^{B}x^2 f(x)\,dx$
(Eqs. 5–7). The fermions bind into pairs, and $e_F \to -\gamma^2/4$, the binding energy per
particle; so the first plot shows $e_F + \gamma^2/4$, the energy above the binding: from
$\pi^2/12$ (free fermions) to $\pi^2/48$ (a Tonks gas of dimers).

The weak-coupling series $e_F(\gamma) = \sum_k c_k\,\gamma^k$ (Eq. 31) is *asymptotic*:
its coefficients ($c_k \lt 0$ for $k \ge 1$) grow factorially,
$(k-1)\,c_k/c_{k+1} \to \pi^2$ (Eq. 32)."""

_REPULSIVE_GAUDIN_YANG = r"""
### Ground-state energy of the repulsive Gaudin–Yang gas
Spin-½ fermions on a line with contact repulsion,
$H = -\sum_j \partial_{x_j}^2 + 2c\sum_{i \lt j}\delta(x_i-x_j)$ with $c \gt 0$
(units $\hbar = 2m = 1$), balanced spins, coupling $\gamma = c/n$. Yang's equations with the
spin rapidities eliminated (Takahashi's kernel) leave one equation for the charges. $e$ runs
from $\pi^2/12$ (two free Fermi seas) to $\pi^2/3$, free spinless fermions dressed by the
Heisenberg chain: $e = \frac{\pi^2}{3}(1 - 4\ln 2/\gamma + \dots)$.

Its weak-coupling series is the attractive one at $-\gamma$: the same coefficients,
alternating in sign. The terms still grow factorially."""

#: What the second plot marks (the same for every model).
_TRUNCATION = r"""At a fixed, small enough $\gamma$ adding terms first helps, then hurts. The
second plot shows $|e - e_N|$ against $N$, with a green diamond at the $N$ of the first plot:
the usual rule stops at the smallest term, $N^*$ (red dot); the curve's own minimum (black
square) may lie an order away."""


def _ambiguity(scale: str) -> str:
    """What is left at best of a non-alternating series, whose smallest term is ``scale``."""
    return (
        "At weak coupling the error left either way is of the size of the non-perturbative "
        f"scale ${scale}$ (Eq. 33), invisible to any order of perturbation theory. At strong "
        "coupling the terms soon grow and no truncation need come close: the summary says "
        "when every truncation misses by more than $e$ itself."
    )


#: What the error left at best is, per model: only the non-alternating series are ambiguous.
_SMALLEST_ERROR = {
    "lieb-liniger": _ambiguity(r"e^{-8\pi/\sqrt{\gamma}}"),
    "gaudin-yang": _ambiguity(r"e^{-\pi^2/\gamma}"),
    "gaudin-yang-repulsive": r"""The smallest term is of the size $e^{-\pi^2/\gamma}$, yet
the series is Borel summable: no ambiguity is left (the Resurgence view sums it).""",
}

_SOURCE = r"""The model selector switches between the Lieb–Liniger bosons and the Gaudin–Yang
fermions, attractive or repulsive.

*Source:* M. Mariño and T. Reis, *Exact perturbative results for the Lieb–Liniger and
Gaudin–Yang models*, J. Stat. Phys. **177**, 1148 (2019), Eqs. (2)–(8), (31)–(33)."""

#: The view's explanation for each model, under a heading naming it (Markdown with math).
EXPLANATIONS = {
    model: f"{physics}\n{_TRUNCATION} {_SMALLEST_ERROR[model]}\n\n{_SOURCE}\n"
    for model, physics in (
        ("lieb-liniger", _LIEB_LINIGER),
        ("gaudin-yang", _ATTRACTIVE_GAUDIN_YANG),
        ("gaudin-yang-repulsive", _REPULSIVE_GAUDIN_YANG),
    )
}


def _error_text(error: float, floor: float) -> str:
    """``error 3.4 × 10⁻⁴``, or ``error unresolved`` for a marker on the accuracy floor of
    e_exact (where the data put an error that is not resolved)."""
    return f"error {number(error, 2)}" if error > floor else "error unresolved"


class EnergyView(View):
    """e(γ) with its strong-coupling series and a marker at the global γ."""

    slug = "energy"
    title = "e(γ)"
    state_dependencies = ("gamma",)
    tap_targets = ((0, "gamma", None),)  # a click on e(γ) sets γ
    explanation = EXPLANATIONS["lieb-liniger"]

    model = param.Selector(
        default="lieb-liniger",
        objects=MODELS,
        doc="Lieb–Liniger (repulsive bosons), or Gaudin–Yang spin-½ fermions, attractive or "
        "repulsive.",
    )
    weak_order = param.Integer(
        default=4,
        bounds=(0, 30),
        doc="Highest k kept in the weak-coupling partial sum e_N (Eq. 31), N = k.",
    )
    strong_order = param.Integer(
        default=4,
        bounds=(0, 20),
        doc="Highest power of 1/γ kept in the strong-coupling series (dimensionless).",
    )

    def __init__(self, state: GlobalState | None = None, **params: Any) -> None:
        super().__init__(state, **params)
        self._explain_model()

    @param.depends("model", watch=True)
    def _explain_model(self) -> None:
        """Show the explanation of the model selected (its heading names it)."""
        self._explanation.object = markdown_with_math(EXPLANATIONS[self.model])

    def data(self) -> dict[str, pd.DataFrame]:
        model = self.model
        exact = grid_frame(model, "exact")
        gammas = exact["gamma"].to_numpy()
        at = marker_gamma(model, self.state.gamma)
        on_grid = at in gammas
        marker = (
            exact[gammas == at].reset_index(drop=True)
            if on_grid or at is None
            else energy_frame(model, np.array([at]), _MODELS[model].exact(np.array([at])))
        )
        frames = {
            "exact": exact,
            "weak-coupling partial sum": grid_frame(model, "weak", self.weak_order),
            "strong-coupling series": grid_frame(model, "strong", self.strong_order),
            "marker": marker,
        }
        columns = {"N": np.array([], dtype=int), "error": np.array([])}
        names = (
            "truncation error",
            "smallest term",
            "weak order",
            "least error",
            "non-perturbative scale",
            "accuracy of e_exact",
        )
        truncation = {name: pd.DataFrame(columns) for name in names}
        if at is not None:
            found = (truncation_at if on_grid else truncation_of)(model, at)
            orders, errors = found["orders"], found["errors"]
            smallest = found["smallest_term"]
            floor = EXACT_RELATIVE_ACCURACY * abs(float(marker["e"].iloc[0]))
            least = int(np.argmin(errors))
            resolved = errors[least] >= floor
            # the horizontal lines span the orders the plot shows: the errors inside the
            # y window and the marked orders (at γ = 10 the errors leave it by N ≈ 10; the
            # lines to N = 100 squeezed everything into the left tenth)
            chosen = min(self.weak_order, int(orders[-1]))
            inside = orders[
                (errors >= max(ERROR_SCALE_WINDOW[0], floor)) & (errors <= ERROR_SCALE_WINDOW[1])
            ]
            # an unresolved N* (γ = 0.001: the table's end, 100) does not stretch the axis over
            # orders with nothing drawn (QA: N = 0 … 3 squeezed into 7 px); the summary names it
            smallest_drawn = bool(errors[smallest] >= floor)
            marked = [chosen] + [least] * bool(resolved) + [smallest] * smallest_drawn
            ends = [orders[0], max(int(inside.max(initial=orders[0])) + 1, *marked)]
            # below the accuracy of e_exact an error is not resolved: not drawn (NaN), and a
            # marked order sits on that floor
            shown = np.where(errors >= floor, errors, np.nan)
            # every truncation misses by more than |e|: the series is of no use here, and its
            # smallest term (k ≥ 1, physics/series) marks no useful order (γ = 1000: N* = 1)
            useless = errors.min() > abs(float(marker["e"].iloc[0]))
            truncation = {
                "truncation error": pd.DataFrame({"N": orders, "error": shown}),
                "smallest term": pd.DataFrame(
                    columns
                    if useless
                    else {"N": [smallest], "error": [max(errors[smallest], floor)]}
                ),
                "weak order": pd.DataFrame({"N": [chosen], "error": [max(errors[chosen], floor)]}),
                "least error": pd.DataFrame(
                    {"N": [least], "error": [errors[least]]} if resolved else columns
                ),
                # a scale that underflows to 0 (γ = 0.001: e^(−8π/√γ)) has no place on the log
                # axis, and one above 1/e (A/g < 1) is no asymptotic estimate: NaN, so its
                # legend entry goes too (QA: 'size of the smallest term 0.99' at γ = 1000)
                "non-perturbative scale": pd.DataFrame(
                    {
                        "N": ends,
                        "error": [found["scale"] if 0 < found["scale"] <= SCALE_LIMIT else np.nan]
                        * 2,
                    }
                ),
                "accuracy of e_exact": pd.DataFrame({"N": ends, "error": [floor] * 2}),
            }
        return {**frames, **truncation}

    def figure(self, data: dict[str, pd.DataFrame]) -> list[Panel]:
        marker = data["marker"]
        errors = self._error_panel(data) if len(marker) else self._no_error_panel()
        return [self._energy_panel(data), errors]

    def _energy_panel(self, data: dict[str, pd.DataFrame]) -> Panel:
        """e(γ) (or e_F + γ²/4), its two series and the marker at the slider's γ."""
        spec = _MODELS[self.model]
        y = spec.plotted
        span = (data["exact"][y].min(), data["exact"][y].max())
        strong_order = min(self.strong_order, spec.strong_top)
        return Panel(
            title=spec.title,
            xlabel="coupling γ = |c|/n",
            ylabel=spec.ylabel,
            layers=(
                Curve("exact", "gamma", y, "exact (Bethe ansatz)").opts(line_width=3),
                Curve(
                    "weak-coupling partial sum",
                    "gamma",
                    y,
                    f"weak coupling e_N, N = {self.weak_order}",
                ).opts(line_dash="dotdash", color="seagreen"),
                Curve(
                    "strong-coupling series",
                    "gamma",
                    y,
                    f"strong coupling, up to (1/γ){superscript(strong_order)}"
                    + (
                        " (the derived series ends there)"
                        if strong_order < self.strong_order
                        else ""
                    ),
                ).opts(line_dash="dashed", color="darkorange"),
                Scatter("marker", "gamma", y, "γ slider", hover=False).opts(
                    size=11, color="crimson"
                ),
            ),
            logx=True,
            logy=spec.ylim is None,
            ylim=spec.ylim or (span[0] / 2, span[1] * 2),
            legend="below",  # inside, it covered curves (γ ≲ 0.03 in presentation mode)
        )

    def _error_panel(self, data: dict[str, pd.DataFrame]) -> Panel:
        """|e − e_N| against N at the marker's γ, with the orders and scales marked."""
        spec = _MODELS[self.model]
        gamma = data["marker"]["gamma"].iloc[0]
        # an N* past the orders drawn (γ = 0.001: the table's end, 100, unresolved) does not
        # stretch the axis over them (QA: N = 0 … 3 squeezed into 7 px); the summary names it
        smallest = data["smallest term"]
        drawn_to = data["accuracy of e_exact"]["N"].max()
        beyond = {"smallest term"} if len(smallest) and smallest["N"].iloc[0] > drawn_to else set()
        return Panel(
            title=f"Error |e − e_N| at γ = {number(gamma)}",
            xlabel="truncation order N (terms k = 0 … N kept)",
            ylabel=f"|e_exact − e_N|  [{ENERGY_UNITS}]",
            layers=(
                Curve(
                    "truncation error", "N", "error", "|e − e_N|", fit_within=ERROR_SCALE_WINDOW
                ).opts(line_width=2.5),
                Curve(
                    "non-perturbative scale",
                    "N",
                    "error",
                    # the export names the line by the axis and this entry (dashboard.export)
                    f"{spec.scale_name} {spec.scale_formula} {spec.scale_remark}",
                ).opts(line_dash="dashed", color="gray"),
                Curve(
                    "accuracy of e_exact",
                    "N",
                    "error",
                    # short: the legend's font shrinks to fit its longest entry (it read 9 px
                    # on a laptop); the summary says "error unresolved" for a marker on it
                    f"accuracy of e_exact ({number(EXACT_RELATIVE_ACCURACY)} relative)",
                ).opts(line_dash="dotted", color="black"),
                Scatter("smallest term", "N", "error", "smallest-term rule N*").opts(
                    size=11, color="crimson"
                ),
                Scatter(
                    "weak order", "N", "error", f"N = {self.weak_order} of the first plot"
                ).opts(size=11, color="seagreen", marker="diamond"),
                Scatter("least error", "N", "error", "least error").opts(
                    size=15, marker="square", fill_alpha=0.0, line_color="black", line_width=2
                ),
            ),
            logy=True,
            legend="below",
            # the floor does not stretch the axis: at γ = 30 it pushed the errors (≥ 0.6) into
            # the top fifth of 15 decades; where the errors reach it, their markers show it
            reference=frozenset({"accuracy of e_exact", *beyond}),
        )

    def _no_error_panel(self) -> Panel:
        """In the error plot's place when γ is outside the model's range (no exact e there):
        a title saying so, no axes and no legend (the summary gives the whole range)."""
        low, high = _MODELS[self.model].gamma_range
        beyond = f"< {number(low)}" if self.state.gamma < low else f"> {number(high)}"
        return Panel(
            title=f"No error plot: γ {beyond}",
            xlabel="",
            ylabel="",
            layers=(NoDataNote(),),
            legend=None,
        )

    def column_units(self, data: dict[str, pd.DataFrame]) -> dict[str, tuple[str, str]]:
        """``e`` is in every frame; the attractive gas plots e_F + γ²/4, not e itself."""
        name = "e_F(γ)" if self.model == "gaudin-yang" else "e(γ)"
        return {"e": (f"{name} = E/(L n³)", ENERGY_UNITS)}

    def summary(self, data: dict[str, pd.DataFrame]) -> str:
        marker = data["marker"]
        if marker.empty:
            low, high = _MODELS[self.model].gamma_range
            return (
                f"γ = {number(self.state.gamma)} is outside this model's range "
                f"{number(low)} … {number(high)}."
            )
        energy = marker["e"].iloc[0]
        value = (  # named as the plot and its marker name them
            f"e_F = {energy:.12g}, e_F + γ²/4 = {marker['e_above_binding'].iloc[0]:.12g} (plotted)"
            if "e_above_binding" in marker
            else f"e = {energy:.12g}"
        )
        text = f"At γ = {self._marker_place(marker['gamma'].iloc[0])}: {value}. "
        if data["smallest term"].empty:  # every truncation misses by more than |e|
            text += self._useless_series(data, abs(energy))
        else:
            text += self._truncations(data)
        spec = _MODELS[self.model]
        scale = spec.scale(marker["gamma"].iloc[0])  # drawn only where small (SCALE_LIMIT)
        # e^(−8π/√γ) underflows float64 at γ ≲ 1.3 × 10⁻³ (e^(−π²/γ) at γ ≲ 0.014)
        size = f"= {number(scale, 2)}" if scale > 0 else "< 10⁻³²³"
        if scale > SCALE_LIMIT:
            size += " is not small here (A/g < 1: no asymptotic regime; not drawn)"
        return f"{text}. {spec.scale_name.capitalize()} {spec.scale_formula} {size}."

    def _marker_place(self, gamma: float) -> str:
        """``7.94``, or, for a marker moved to the grid, ``7.94 (the grid point nearest …)``."""
        if gamma == self.state.gamma:
            return number(gamma)
        return (
            f"{number(gamma)} (the grid point nearest the γ = {number(self.state.gamma)} asked "
            "for: this model's e is computed on the grid only)"
        )

    def _useless_series(self, data: dict[str, pd.DataFrame], size: float) -> str:
        """Every truncation misses by more than |e|: the weak-coupling series says nothing."""
        errors = data["truncation error"]
        least = int(errors["error"].idxmin())
        chosen = data["weak order"].iloc[0]
        name = "e_F" if "e_above_binding" in data["marker"] else "e"
        return (
            f"The weak-coupling series is of no use at this γ: every truncation N = "
            f"{int(errors['N'].iloc[0])} … {int(errors['N'].iloc[-1])} misses by more than "
            f"|{name}| = {number(size, 3)} itself (the least at N = {int(errors['N'][least])}: "
            f"{number(errors['error'][least], 3)}; N = {int(chosen['N'])}, green diamond: "
            f"{number(chosen['error'], 3)})"
        )

    def _truncations(self, data: dict[str, pd.DataFrame]) -> str:
        """The green diamond's error, the smallest-term rule's and the least error."""
        smallest, least = data["smallest term"], data["least error"]
        floor = data["accuracy of e_exact"]["error"].iloc[0]
        n_star, star_error = int(smallest["N"].iloc[0]), smallest["error"].iloc[0]
        top = int(data["truncation error"]["N"].iloc[-1])
        rule = (
            f"smallest term at the table's end, N* ≥ {top}"
            if n_star == top
            else f"smallest-term rule N* = {n_star}"
        )
        chosen = data["weak order"].iloc[0]
        text = (
            f"Truncated weak-coupling series: N = {int(chosen['N'])} (green diamond), "
            f"{_error_text(chosen['error'], floor)}; {rule}, {_error_text(star_error, floor)}"
        )
        if least.empty:
            errors = data["truncation error"]
            first = int(errors["N"][errors["error"].isna()].iloc[0])  # below the floor
            return text + (
                f"; from N = {first} on the partial sums agree with e to its accuracy "
                f"({number(floor, 1)})"
            )
        if int(least["N"].iloc[0]) != n_star:
            text += (
                f"; least error at N = {int(least['N'].iloc[0])}: "
                f"{number(least['error'].iloc[0], 2)}"
            )
        return text
