"""View: the divergent weak-coupling series, its Borel sums and the exact energy, against γ.

A tab of its own rather than a larger Borel view: the Borel view studies the coefficients c_k
alone (its axis is the order k, its inputs a Richardson and a Padé order), while this view puts
the resummed *values* next to the exact e(γ) along the γ axis and follows the global γ slider.
Keeping them apart keeps each view's panels few and its declared input sets unchanged.

Everything plotted comes from the shipped table of :mod:`physics.resurgence_table` (exact
energies to 32 digits, optimal truncation, lateral Borel–Padé and conformal-map sums on the
slider's grid, computed by ``qgas precompute`` with provenance) and from the fitted large-order
asymptotics of :mod:`physics.resurgence_large_order`: no slider move computes physics. A model
whose physics lands later (the repulsive Gaudin–Yang gas, the spin gap) adds a row to
``MODELS`` and, if it has one, a panel in :meth:`ResurgenceView.figure`.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pandas as pd
import param

from dashboard.base import View
from dashboard.cache import memoize
from dashboard.plotting import Curve, HLine, Panel, Scatter
from physics import resurgence_large_order, resurgence_table, spin_gap

__all__ = ["ResurgenceView"]

MODELS = {
    "Lieb–Liniger (A = 8π)": "lieb-liniger",
    "Gaudin–Yang, attractive (A = π²)": "gaudin-yang",
}
METHODS = {
    "optimal": "optimal truncation",
    "pade": "lateral Borel–Padé, Re",
    "conformal": "conformal-map Borel, Re",
}
#: Digits shown for a method that agrees with the exact value to all its digits.
CAP = resurgence_table.EXACT_DIGITS


def _digits(approximation: mpmath.mpf, exact: mpmath.mpf) -> float:
    """−log10 of the relative difference, capped at the exact value's digits."""
    if exact is None:
        return math.nan
    difference = abs(approximation - exact)
    if difference == 0:
        return float(CAP)
    return max(0.0, min(float(CAP), float(-mpmath.log10(difference / abs(exact)))))


@memoize(inputs=lambda: [(model,) for model in MODELS.values()])
def resurgence_frames(model: str) -> dict[str, pd.DataFrame]:
    """Per γ of the shipped table: digits of each method, |Im| of the lateral sum, prediction."""
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
        ("prediction (L2)", "(|S|/2) g^(−β) e^(−A/g) (1 + b₁g + b₂g²)", "ħ = 2m = 1"),
        ("leading term only", "(|S|/2) g^(−β) e^(−A/g)", "ħ = 2m = 1"),
        ("ratio", "|Im e| / prediction (L2)", "dimensionless"),
        ("ratio, leading term", "|Im e| / leading term", "dimensionless"),
        ("16π |Im e| / Δ_s²", "16π |Im e| over the squared spin gap", "dimensionless"),
    )
    explanation = r"""
### A divergent series, its Borel sums and the exact answer
The weak-coupling series of the energy, $e/\gamma = \sum_k c_k g^k$ with $g = \sqrt\gamma$
(Lieb–Liniger) or $e_F = \sum_k c_k g^k$ with $g = \gamma$ (attractive Gaudin–Yang), diverges:
at large order (fitted from the 100 certified coefficients)

$$c_k \simeq \frac{S}{2\pi}\sum_{j\ge 0} b_j\,\Gamma(k+\beta-j)\,A^{-(k+\beta-j)},\qquad b_0 = 1,$$

with $A = 8\pi$, $\beta = 0$, $S = -18.7552142220(6)$, $b_1 = 5/(16\pi)$ (Lieb–Liniger) and
$A = \pi^2$, $\beta = -1$, $S = -2$ (to 13 digits), $b_1 = 3/(2\pi^2)$, $b_2 = 7/(8\pi^4)$
(Gaudin–Yang). The Borel transform $\hat B(\zeta) = \sum_k c_k \zeta^{k-s}/\Gamma(k-s+1)$ has a
branch cut from $\zeta = A$: the Laplace integral must pass above or below it, and the two
*lateral sums* differ by an imaginary part fixed by the same constants (dispersion relation),

$$\operatorname{Im} e_\pm = \mp\frac{|S|}{2}\,g^{-\beta}\,e^{-A/g}\,
\bigl(1 + b_1 g + b_2 g^2 + \dots\bigr)\quad(\times\gamma\ \text{for Lieb–Liniger}).$$

**Left:** digits of agreement with the exact energy (Bethe ansatz to 32 digits) of the
optimally truncated series (error $\sim e^{-A/g}$), of the real part of the lateral Borel–Padé
sum ($[40/40]$ Padé of $\hat B$) and of the conformal-map Borel sum (the cut plane mapped onto a
disc, $\zeta = 4Aw/(1+w)^2$, as in Rossi, Ohgoe, Van Houcke and Werner, PRL 121, 130405 (2018));
the dashed curve marks the size of the ambiguity $|\operatorname{Im} e|/e$. The real part beats
it by as much again: the exact energy sits at the *median* of the two lateral sums, up to the
second sector $e^{-2A/g}$. **Right:** the imaginary part itself against the prediction; their
ratio tends to 1 as $\gamma \to 0$ — the resurgence test. For Gaudin–Yang $e^{-\pi^2/\gamma}$
has the exponent of $\Delta_s^2$, the square of the spin gap
$\Delta_s \simeq 4\sqrt{\pi\gamma}\,e^{-\pi^2/(2\gamma)}$ (Fuchs, Recati, Zwerger, PRL 93,
090408 (2004); computed here from the Bethe ansatz by `physics.spin_gap`): with $S = -2$,
$|\operatorname{Im} e| \to \gamma e^{-\pi^2/\gamma} = \Delta_s^2/(16\pi)$ (last panel).

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
        frame = resurgence_frames(self.model)["sums"]
        at = frame[frame["gamma"] == self.state.gamma].reset_index(drop=True)
        return {"sums": frame, "slider": at}

    def figure(self, data: dict[str, pd.DataFrame]) -> list[Panel]:
        colours = {"optimal": "seagreen", "pade": "crimson", "conformal": "navy"}
        digit_layers = [
            Curve("sums", "gamma", label, label).opts(color=colours[key], line_width=2.5)
            for key, label in METHODS.items()
        ]
        digits = Panel(
            title="Digits of agreement with the exact e(γ)",
            xlabel="coupling γ",
            ylabel="−log₁₀ |approximation − e| / |e|  (digits)",
            layers=(
                *digit_layers,
                Curve("sums", "gamma", "digits of |Im e|/e", "size of the ambiguity |Im e|/e").opts(
                    line_dash="dashed", color="gray"
                ),
                HLine(CAP, f"accuracy of the exact values ({CAP} digits)").opts(
                    color="black", line_dash="dotted"
                ),
                Scatter("slider", "gamma", METHODS["pade"], "γ slider", hover=False).opts(
                    size=11, color="black"
                ),
            ),
            logx=True,
            ylim=(0.0, CAP + 4.0),
            legend="below",
        )
        ambiguity = Panel(
            title="|Im e| against its prediction",
            xlabel="coupling γ",
            ylabel="|Im e(γ)|  [ħ = 2m = 1]",
            layers=(
                Curve("sums", "gamma", "|Im e|", "|Im e|, lateral Borel–Padé").opts(
                    line_width=3, color="crimson"
                ),
                Curve(
                    "sums", "gamma", "prediction (L2)", "(|S|/2) g^(−β) e^(−A/g) (1 + b₁g + b₂g²)"
                ).opts(line_dash="dashed", color="black"),
                Scatter("slider", "gamma", "|Im e|", "γ slider", hover=False).opts(
                    size=11, color="black"
                ),
            ),
            logx=True,
            logy=True,
            legend="below",
        )
        ratio = Panel(
            title="Resurgence test: ratio → 1 as γ → 0",
            xlabel="coupling γ",
            ylabel="|Im e| / prediction  (dimensionless)",
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
            title="|Im e| against the spin gap Δ_s²",
            xlabel="coupling γ",
            ylabel="16π |Im e| / Δ_s²  (dimensionless)",
            layers=(
                Curve(
                    "sums", "gamma", "16π |Im e| / Δ_s²", "16π |Im e| / Δ_s², Bethe-ansatz gap"
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

    def summary(self, data: dict[str, pd.DataFrame]) -> str:
        at, frame = data["slider"], data["sums"]
        low, high = frame["gamma"].min(), frame["gamma"].max()
        if at.empty:
            return (
                f"γ = {self.state.gamma:g} is outside the table's range {low:g} … {high:g}; "
                "move the γ slider into it."
            )
        row = at.iloc[0]
        parts = [f"At γ = {row['gamma']:g}:"]
        if row["exact (32 digits)"]:
            parts.append(f"e = {row['exact (32 digits)']};")
            parts.append(
                ", ".join(
                    f"{label} {_format_digits(row[label])} digits" for label in METHODS.values()
                )
                + ";"
            )
        else:
            parts.append("exact value not tabulated here (the series is better than 32 digits);")
        parts.append(
            f"|Im e| = {row['|Im e|']:.4g}, {row['ratio']:.6f} × the prediction "
            f"(optimal order {int(row['optimal order'])})."
        )
        return " ".join(parts)


def _format_digits(value: float) -> str:
    if not np.isfinite(value):
        return "–"
    return f"≥ {CAP}" if value >= CAP else f"{value:.1f}"
