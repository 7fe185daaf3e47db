"""View: the divergent weak-coupling series, its Borel sums and the exact energy, against γ.

A tab of its own rather than a larger Borel view: the Borel view studies the coefficients c_k
alone (its axis is the order k, its inputs a Richardson and a Padé order), while this view puts
the resummed *values* next to the exact e(γ) along the γ axis and follows the global γ slider.
Keeping them apart keeps each view's panels few and its declared input sets unchanged.

Everything plotted comes from the shipped table of :mod:`physics.resurgence_table` (exact
energies to 32 digits, optimal truncation, lateral Borel–Padé and conformal-map sums on the
slider's grid, computed by ``qgas precompute`` with provenance) and from the fitted large-order
asymptotics of :mod:`physics.resurgence_large_order`: no slider move computes physics.

The repulsive Gaudin–Yang gas is the other case: its series (the attractive one at −γ) is
alternating and Borel summable, so there is no ambiguity, no imaginary part and no gap to plot.
Its panels show instead what Borel summability means in numbers: the Borel–Padé and
conformal-map sums converging to the exact energy (40 digits) as more coefficients are used, at
the four couplings of the shipped table of :mod:`physics.resurgence_repulsive`.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pandas as pd
import param

from dashboard.base import View
from dashboard.cache import memoize
from dashboard.formatting import number
from dashboard.plotting import Curve, HLine, Panel, Scatter
from physics import resurgence_large_order, resurgence_repulsive, resurgence_table, spin_gap

__all__ = ["ResurgenceView"]

MODELS = {
    "Lieb–Liniger (A = 8π)": "lieb-liniger",
    "Gaudin–Yang, attractive (A = π²)": "gaudin-yang",
    "Gaudin–Yang, repulsive (A = −π², Borel summable)": resurgence_repulsive.MODEL,
}
METHODS = {
    "optimal": "optimal truncation",
    "pade": "lateral Borel–Padé, Re",
    "conformal": "conformal-map Borel, Re",
}
#: Digits shown for a method that agrees with the exact value to all its digits.
CAP = resurgence_table.EXACT_DIGITS
#: The same for the repulsive gas's table.
REPULSIVE_CAP = resurgence_repulsive.EXACT_DIGITS
#: x axis of the repulsive panels: a resummation of order n uses c_0 … c_K.
ORDER_AXIS = "series order K"
REPULSIVE_COLOURS = ("crimson", "darkorange", "seagreen", "navy")


def _digits(approximation: mpmath.mpf, exact: mpmath.mpf, cap: int = CAP) -> float:
    """−log10 of the relative difference, capped at the exact value's digits."""
    if exact is None:
        return math.nan
    difference = abs(approximation - exact)
    if difference == 0:
        return float(cap)
    return max(0.0, min(float(cap), float(-mpmath.log10(difference / abs(exact)))))


def _nearest_row(frame: pd.DataFrame, gamma: float) -> pd.DataFrame:
    """The row of ``frame`` whose ``gamma`` is nearest ``gamma`` on a logarithmic scale."""
    index = int(np.argmin(np.abs(np.log(frame["gamma"].to_numpy() / gamma))))
    return frame.iloc[[index]]


def _gamma_column(gamma: float) -> str:
    return f"γ = {gamma:g}"


def _optimal_column(gamma: float) -> str:
    return f"optimal truncation, γ = {gamma:g}"


def _repulsive_frames() -> dict[str, pd.DataFrame]:
    """Digits of agreement against the series order K used, per γ of the repulsive table."""
    rows = resurgence_repulsive.shipped_rows()
    if not rows:
        raise ValueError(
            f"the shipped table {'/'.join(resurgence_repulsive.TABLE)} is missing or was made "
            "for other couplings, orders or coefficients: run qgas precompute"
        )
    orders = {"pade": resurgence_repulsive.PADE_ORDERS}
    orders["conformal"] = resurgence_repulsive.CONFORMAL_ORDERS
    frames = {
        method: pd.DataFrame(
            {ORDER_AXIS: [resurgence_repulsive.series_order(method, n) for n in values]}
        )
        for method, values in orders.items()
    }
    optimal = []
    with mpmath.workdps(REPULSIVE_CAP + 10):
        for row in rows:
            exact = mpmath.mpf(row["exact"])
            for method, frame in frames.items():
                frame[_gamma_column(row["gamma"])] = [
                    _digits(mpmath.mpf(value), exact, REPULSIVE_CAP) for value in row[method]
                ]
            optimal.append(
                {
                    "gamma": row["gamma"],
                    "optimal order": row["optimal_order"],
                    ORDER_AXIS: resurgence_repulsive.series_order("optimal", row["optimal_order"]),
                    # one column per γ (empty on the other rows): a marker in that γ's colour
                    _optimal_column(row["gamma"]): _digits(
                        mpmath.mpf(row["optimal"]), exact, REPULSIVE_CAP
                    ),
                    "exact (40 digits)": mpmath.nstr(exact, REPULSIVE_CAP),
                }
            )
    return {**frames, "optimal": pd.DataFrame.from_records(optimal)}


@memoize(inputs=lambda: [(model,) for model in MODELS.values()])
def resurgence_frames(model: str) -> dict[str, pd.DataFrame]:
    """Per γ of the shipped table: digits of each method, |Im| of the lateral sum, prediction
    (for the repulsive gas: digits against the order, :func:`_repulsive_frames`)."""
    if model == resurgence_repulsive.MODEL:
        return _repulsive_frames()
    rows = resurgence_table.shipped_rows(model)
    if not rows:
        raise ValueError(
            f"the shipped table {'/'.join(resurgence_table.TABLE)} has no rows for "
            f"model={model!r} (missing, or made from other coefficients): run qgas precompute"
        )
    fit = resurgence_large_order.large_order_fit(model)
    records = []
    with mpmath.workdps(CAP + 10):
        for row in rows:
            exact = mpmath.mpf(row["exact"]) if row["exact"] is not None else None
            # 0 where Im e is below the sum's 50 working digits relative to Re e (tiny γ)
            pade_imag = abs(mpmath.mpf(row["pade"][1])) or mpmath.mpf("nan")
            record = {
                "gamma": row["gamma"],
                "e exact": float(exact) if exact is not None else math.nan,
                "exact (32 digits)": mpmath.nstr(exact, CAP) if exact is not None else "",
                "optimal order": row["optimal_order"],
                "|Im e|": float(pade_imag),
                "digits of |Im e|/e": float(
                    -mpmath.log10(pade_imag / abs(mpmath.mpf(row["optimal"])))
                ),
            }
            for key, label in METHODS.items():
                value = mpmath.mpf(row[key]) if key == "optimal" else mpmath.mpf(row[key][0])
                record[label] = _digits(value, exact)
            records.append(record)
    frame = pd.DataFrame.from_records(records)
    gammas = frame["gamma"].to_numpy()
    frame["prediction (L2)"] = resurgence_large_order.imaginary_part_prediction(model, gammas, 2)
    frame["leading term only"] = resurgence_large_order.imaginary_part_prediction(model, gammas, 0)
    frame["ratio"] = frame["|Im e|"] / frame["prediction (L2)"]
    frame["ratio, leading term"] = frame["|Im e|"] / frame["leading term only"]
    # |Im e| spans ~200 decades: its exponent, on a linear axis, is what a class can read
    frame["log10 |Im e|"] = np.log10(frame["|Im e|"])
    frame["log10 prediction (L2)"] = np.log10(frame["prediction (L2)"])
    if model == "gaudin-yang":  # the BCS spin gap behind the pi^2 singularity
        frame["16π |Im e| / Δ_s²"] = 16 * math.pi * frame["|Im e|"] / spin_gap.gap(gammas) ** 2
    frame.attrs["stokes"] = float(fit.stokes)
    frame.attrs["stokes_error"] = float(fit.stokes_error)
    return {"sums": frame}


class ResurgenceView(View):
    """Digits of each resummation against the exact energy, and the ambiguity against theory."""

    slug = "resurgence"
    title = "Resurgence"
    state_dependencies = ("gamma",)
    units = (
        ("e exact", "exact ground-state energy e(γ) = E/(L n³), 32 digits", "ħ = 2m = 1"),
        ("optimal order", "order N* of the smallest term of the series", "dimensionless"),
        ("|Im e|", "|Im e| of the lateral Borel–Padé sum", "ħ = 2m = 1"),
        ("digits of |Im e|/e", "−log₁₀ |Im e|/|e|, size of the ambiguity", "digits"),
        *((label, f"digits of agreement with e, {label}", "digits") for label in METHODS.values()),
        (
            "prediction (L2)",
            "(|S|/2) g^(−β) e^(−A/g) (1 + b₁g + b₂g²), times γ with g = √γ for Lieb–Liniger, "
            "g = γ for Gaudin–Yang",
            "ħ = 2m = 1",
        ),
        ("leading term only", "the same without b₁, b₂", "ħ = 2m = 1"),
        ("log10 |Im e|", "log₁₀ |Im e| of the lateral Borel–Padé sum", "ħ = 2m = 1"),
        ("log10 prediction (L2)", "log₁₀ of prediction (L2)", "ħ = 2m = 1"),
        ("ratio", "|Im e| / prediction (L2)", "dimensionless"),
        ("ratio, leading term", "|Im e| / leading term", "dimensionless"),
        ("16π |Im e| / Δ_s²", "16π |Im e| over the squared spin gap", "dimensionless"),
        ("gamma", "coupling γ = c/n", "dimensionless"),
        ("exact (40 digits)", "exact ground-state energy e(γ) = E/(L n³)", "ħ = 2m = 1"),
    )
    explanation = r"""
### A divergent series, its Borel sums and the exact answer
The weak-coupling series of the energy, $e/\gamma = \sum_k c_k g^k$ with $g = \sqrt\gamma$
(Lieb–Liniger) or $e_F = \sum_k c_k g^k$ with $g = \gamma$ (attractive Gaudin–Yang), diverges:
at large order (fitted from the 100 certified coefficients)

$$c_k \simeq \frac{S}{2\pi}\sum_{j\ge 0} b_j\,\Gamma(k+\beta-j)\,A^{-(k+\beta-j)},\qquad b_0 = 1,$$

with $A = 8\pi$, $\beta = 0$, $S = -18.7552142220(6)$, $b_1 = 5/(16\pi)$ (Lieb–Liniger) and
$A = \pi^2$, $\beta = -1$, $S = -2$ (to 13 digits), $b_1 = 3/(2\pi^2)$, $b_2 = 7/(8\pi^4)$
(Gaudin–Yang). The fitted Lieb–Liniger $S$ equals $-2^{10}e^{-4}$ to 14 digits; these closed
forms are identified from the fits, not yet checked against a published formula. The Borel
transform $\hat B(\zeta) = \sum_k c_k \zeta^{k-s}/\Gamma(k-s+1)$ has a
branch cut from $\zeta = A$: the Laplace integral must pass above or below it, and the two
*lateral sums* differ by an imaginary part fixed by the same constants (dispersion relation),

$$\operatorname{Im} e_\pm = \mp\frac{|S|}{2}\,g^{-\beta}\,e^{-A/g}\,
\bigl(1 + b_1 g + b_2 g^2 + \dots\bigr)\quad(\times\gamma\ \text{for Lieb–Liniger}).$$

**Left:** digits of agreement with the exact energy (Bethe ansatz to 32 digits for these two
models; the curves end where every sum agrees beyond those 32 digits: below γ ≈ 0.05 for
Lieb–Liniger, 0.1 for Gaudin–Yang) of the
optimally truncated series (error $\sim e^{-A/g}$), of the real part of the lateral Borel–Padé
sum ($[40/40]$ Padé of $\hat B$) and of the conformal-map Borel sum (the cut plane mapped onto a
disc, $\zeta = 4Aw/(1+w)^2$, as in Rossi, Ohgoe, Van Houcke and Werner, PRL 121, 130405 (2018));
the dashed curve marks the size of the ambiguity $|\operatorname{Im} e|/e$. The real part beats
it by as much again: the exact energy sits at the *median* of the two lateral sums, up to the
second sector $e^{-2A/g}$. **Right:** the imaginary part itself against the prediction, as
$\log_{10}$ (it falls through 76 decades for Lieb–Liniger, 216 for Gaudin–Yang); their ratio
tends to 1 as $\gamma \to 0$ — the resurgence test. For Gaudin–Yang $e^{-\pi^2/\gamma}$
has the exponent of $\Delta_s^2$, the square of the spin gap
$\Delta_s \simeq 4\sqrt{\pi\gamma}\,e^{-\pi^2/(2\gamma)}$ (Fuchs, Recati, Zwerger, PRL 93,
090408 (2004); computed here from the Bethe ansatz by `physics.spin_gap`): with $S = -2$,
$|\operatorname{Im} e| \to \gamma e^{-\pi^2/\gamma} = \Delta_s^2/(16\pi)$ (last panel).

**Repulsive Gaudin–Yang gas** (model selector): its series is the attractive one at
$-\gamma$, $e = \sum_k c_k(-\gamma)^k$, alternating; its Borel transform $\hat B(-\zeta)$ is
singular only at $\zeta = -\pi^2$, off the Laplace ray, so both lateral sums are the same real
number: no imaginary part, no ambiguity, nothing for a trans-series or a gap to fix (the
repulsive gas has no spin gap), and those panels are not shown. Mariño and Reis conjecture it
Borel summable to the exact energy; the panels test this. They plot, at $\gamma$ = 0.1, 0.3, 1
and 3, the digits of agreement with the exact energy (Takahashi's equation to 40 digits) of the
$[n/n]$ Borel–Padé sum and of the conformal-map sum against the highest order $K$ of the series
they use ($K = 2n + 2$ and $n + 2$), with the optimally truncated series (order $N^*$) as a
marker: the sums keep gaining digits as $K$ grows, where truncation stops at
$\sim e^{-\pi^2/\gamma}$. The $\gamma$ slider does not move these curves.

*Source:* M. Mariño, T. Reis, J. Stat. Phys. 177, 1148 (2019), arXiv:1905.09575, Eqs. (31)–(33);
Z. Bajnok, J. Balog, I. Vona, arXiv:2501.16435; Z. Bajnok, J. Balog, R. Miravitllas, D. le Plat,
I. Vona, arXiv:2504.05932; M. Mariño, R. Miravitllas, T. Reis, arXiv:2302.08363.
"""

    model = param.Selector(
        default="gaudin-yang",
        objects=MODELS,
        doc="Which weak-coupling series is resummed and compared with the exact energy.",
    )

    def data(self) -> dict[str, pd.DataFrame]:
        if self.model == resurgence_repulsive.MODEL:
            return resurgence_frames(self.model)
        frame = resurgence_frames(self.model)["sums"]
        inside = frame["gamma"].min() <= self.state.gamma <= frame["gamma"].max()
        at = _nearest_row(frame, self.state.gamma) if inside else frame.iloc[:0]
        return {"sums": frame, "slider": at.reset_index(drop=True)}

    @property
    def _energy_name(self) -> str:
        """e_F for the attractive gas (its series is that of e_F), e otherwise."""
        return "e_F" if self.model == "gaudin-yang" else "e"

    def figure(self, data: dict[str, pd.DataFrame]) -> list[Panel]:
        if self.model == resurgence_repulsive.MODEL:
            return [self._order_panel(method, title) for method, title in _ORDER_PANELS.items()]
        energy = self._energy_name
        colours = {"optimal": "seagreen", "pade": "crimson", "conformal": "navy"}
        digit_layers = [
            Curve("sums", "gamma", label, label).opts(color=colours[key], line_width=2.5)
            for key, label in METHODS.items()
        ]
        digits = Panel(
            title=f"Digits of agreement with {energy}",
            xlabel="coupling γ",
            ylabel=f"−log₁₀ |approx. / {energy} − 1|  [digits]",
            layers=(
                *digit_layers,
                Curve(
                    "sums",
                    "gamma",
                    "digits of |Im e|/e",
                    f"size of the ambiguity |Im {energy}|/{energy}",
                ).opts(line_dash="dashed", color="gray"),
                HLine(CAP, f"accuracy of the exact values ({CAP} digits)").opts(
                    color="black", line_dash="dotted"
                ),
                Scatter(
                    "slider",
                    "gamma",
                    METHODS["pade"],
                    "γ slider, on the Borel–Padé curve",
                    hover=False,
                ).opts(size=11, color="black"),
            ),
            logx=True,
            ylim=(0.0, CAP + 4.0),
            legend="below",
        )
        ambiguity = Panel(
            title=f"|Im {energy}| and its prediction",
            xlabel="coupling γ",
            ylabel=f"log₁₀ |Im {energy}(γ)|  [dimensionless]",
            layers=(
                Curve("sums", "gamma", "log10 |Im e|", f"|Im {energy}|, lateral Borel–Padé").opts(
                    line_width=3, color="crimson"
                ),
                Curve(
                    "sums",
                    "gamma",
                    "log10 prediction (L2)",
                    # the Lieb–Liniger series is that of e/γ: its prediction carries a γ
                    "γ (|S|/2) g^(−β) e^(−A/g) (1 + b₁g + b₂g²), g = √γ"
                    if self.model == "lieb-liniger"
                    else "(|S|/2) g^(−β) e^(−A/g) (1 + b₁g + b₂g²), g = γ",
                ).opts(line_dash="dashed", color="black"),
                Scatter("slider", "gamma", "log10 |Im e|", "γ slider", hover=False).opts(
                    size=11, color="black"
                ),
            ),
            logx=True,
            legend="below",
        )
        ratio = Panel(
            title="Resurgence test: ratio → 1",
            xlabel="coupling γ",
            ylabel=f"|Im {energy}| / prediction  (dimensionless)",
            layers=(
                Curve("sums", "gamma", "ratio", "with b₁, b₂").opts(line_width=3, color="crimson"),
                Curve("sums", "gamma", "ratio, leading term", "leading term only").opts(
                    line_dash="dashed", color="gray"
                ),
                HLine(1.0, "1").opts(color="black", line_dash="dotted"),
                Scatter("slider", "gamma", "ratio", "γ slider", hover=False).opts(
                    size=11, color="black"
                ),
            ),
            logx=True,
            ylim=(0.5, 1.5),
            legend="below",
        )
        if self.model != "gaudin-yang":
            return [digits, ambiguity, ratio]
        gap = Panel(
            title=f"|Im {energy}| and the spin gap Δ_s²",
            xlabel="coupling γ",
            ylabel=f"16π |Im {energy}| / Δ_s²  (dimensionless)",
            layers=(
                Curve(
                    "sums",
                    "gamma",
                    "16π |Im e| / Δ_s²",
                    f"16π |Im {energy}| / Δ_s², Bethe-ansatz gap",
                ).opts(line_width=3, color="purple"),
                HLine(1.0, "weak-coupling limit 1 (Δ_s → 4√(πγ) e^(−π²/2γ))").opts(
                    color="black", line_dash="dotted"
                ),
                Scatter("slider", "gamma", "16π |Im e| / Δ_s²", "γ slider", hover=False).opts(
                    size=11, color="black"
                ),
            ),
            logx=True,
            ylim=(0.0, 1.5),
            legend="below",
        )
        return [digits, ambiguity, ratio, gap]

    def _order_panel(self, method: str, title: str) -> Panel:
        """Digits of one Borel sum of the repulsive series against the series order used."""
        colours = list(zip(resurgence_repulsive.GAMMAS, REPULSIVE_COLOURS, strict=True))
        curves = [
            Curve(method, ORDER_AXIS, _gamma_column(g), _gamma_column(g)).opts(
                color=colour, line_width=2.5
            )
            for g, colour in colours
        ]
        label = "optimal truncation, K = N* (◆ by γ)"  # one legend entry for the four
        truncations = [
            Scatter("optimal", ORDER_AXIS, _optimal_column(g), label).opts(
                marker="diamond", size=14, color=colour, line_color="black"
            )
            for g, colour in colours
        ]
        return Panel(
            title=title,
            xlabel="highest order K used (c₀ … c_K)",
            ylabel="−log₁₀ |sum / e − 1|  [digits]",
            layers=(
                *curves,
                *truncations,
                HLine(REPULSIVE_CAP, f"digits of the exact values ({REPULSIVE_CAP})").opts(
                    color="black", line_dash="dotted"
                ),
            ),
            ylim=(0.0, REPULSIVE_CAP + 4.0),
            legend="below",
        )

    def _repulsive_summary(self, data: dict[str, pd.DataFrame]) -> str:
        optimal = data["optimal"]
        at = _nearest_row(optimal, self.state.gamma).iloc[0]
        column = _gamma_column(at["gamma"])
        truncated = at[_optimal_column(at["gamma"])]
        pade, conformal = data["pade"].iloc[-1], data["conformal"].iloc[-1]
        return (
            f"Borel summable, no imaginary part. At γ = {at['gamma']:g} (the tabulated γ "
            f"nearest the slider), e = {at['exact (40 digits)']}: Borel–Padé "
            f"{_format_digits(pade[column], REPULSIVE_CAP)} digits and conformal map "
            f"{_format_digits(conformal[column], REPULSIVE_CAP)} (K = {int(pade[ORDER_AXIS])}), "
            f"optimal truncation {_format_digits(truncated, REPULSIVE_CAP)} "
            f"(N* = {int(at['optimal order'])})."
        )

    def summary(self, data: dict[str, pd.DataFrame]) -> str:
        if self.model == resurgence_repulsive.MODEL:
            return self._repulsive_summary(data)
        at, frame = data["slider"], data["sums"]
        low, high = frame["gamma"].min(), frame["gamma"].max()
        if at.empty:
            return (
                f"γ = {self.state.gamma:g} is outside the table's range {low:g} … {high:g}; "
                "move the γ slider into it."
            )
        row = at.iloc[0]
        energy = self._energy_name
        off_table = row["gamma"] != self.state.gamma
        nearest = " (the tabulated γ nearest the slider)" if off_table else ""
        parts = [f"At γ = {row['gamma']:g}{nearest}:"]
        if row["exact (32 digits)"]:
            parts.append(f"{energy} = {row['exact (32 digits)']};")
            order = {METHODS["optimal"]: f" (N* = {int(row['optimal order'])})"}
            digits = [
                f"{label} {_format_digits(row[label])}{order.get(label, '')}"
                for label in METHODS.values()
            ]
            parts.append(f"digits of agreement, to one decimal: {'; '.join(digits)};")
        else:
            parts.append(
                f"exact value not tabulated here (the series is better than {CAP} digits; "
                f"optimal truncation at N* = {int(row['optimal order'])});"
            )
        parts.append(
            f"|Im {energy}| = {number(row['|Im e|'], 4)}, {row['ratio']:.6f} × the prediction."
        )
        return " ".join(parts)


_ORDER_PANELS = {
    "pade": "Borel–Padé [n/n] sums",
    "conformal": "Conformal-map sums",
}


def _format_digits(value: float, cap: int = CAP) -> str:
    """Digits of agreement to one decimal, as everywhere in the view's text (``4.0``; ``≥ 32.0``
    at the exact values' precision)."""
    if not np.isfinite(value):
        return "–"
    return f"≥ {cap:.1f}" if value >= cap else f"{value:.1f}"
