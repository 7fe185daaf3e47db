"""Every number the captions of the m/m* and e(γ) lessons quote is the physics at that step's
state, to the digits quoted, and the view shows it there (its summary line), so a caption
cannot drift from what the class sees.

Truths: the Bethe-ansatz values of :mod:`physics.polaron` (Ristivojevic Eq. 21) and
:mod:`physics.lieb_liniger`, the partial sums of :mod:`physics.series`, and closed forms: the
first correction 1 − 2√γ/(3π) of Eq. (22), the first two terms 2π²/(3γ) − 4π²/γ² of Eq. (23),
and the non-perturbative scale e^(−8π/√γ) of Mariño–Reis Eq. (33). The views' summary lines
are checked against these, never the other way round.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mpmath
import numpy as np
import pytest

from dashboard.lessons import Lesson, apply_values, read_lesson_file
from dashboard.state import GAMMA_GRID, GlobalState
from dashboard.views.energy import EnergyView
from dashboard.views.polaron import PolaronView
from physics import lieb_liniger, polaron, series

LESSONS = Path(__file__).resolve().parents[2] / "assets" / "lessons"

Values = Mapping[str, Any]


@dataclass(frozen=True)
class Quote:
    """A number a caption quotes.

    ``before`` is the caption's text just before it (whitespace collapsed), ``digits`` the
    significant digits it gives (``None``: an integer, an order N), ``value`` its value from
    physics/ at the step's inputs, and ``shown`` the view's summary text just before the
    number the class reads there (``None``: read off the plot or by moving a slider).
    """

    before: str
    digits: int | None
    value: Callable[[Values], float]
    shown: str | None = None


# ---------------------------------------------------------------------- the physics
def inverse_mass(values: Values) -> float:
    return float(polaron.inverse_mass_ratio(values["gamma"]))


def polaron_series_miss(regime: str, order: int | None = None) -> Callable[[Values], float]:
    """|series − exact| of m/m* at the step's γ, to ``order`` (default: the step's)."""

    def miss(values: Values) -> float:
        top = values[f"polaron_{regime}_order"] if order is None else order
        partial = series.inverse_mass_ratio_partial_sum(regime, values["gamma"], top)
        return abs(partial - inverse_mass(values))

    return miss


def first_correction_miss(values: Values) -> float:
    """|1 − 2√γ/(3π) − m/m*|: Eq. (22) to its first correction, in closed form."""
    return abs(1 - 2 * math.sqrt(values["gamma"]) / (3 * math.pi) - inverse_mass(values))


def closest_weak_order(values: Values) -> int:
    """The order of √γ (1 … 30) at which the weak-coupling m/m* series comes closest."""
    orders = range(1, 31)
    return min(orders, key=lambda k: polaron_series_miss("weak", k)(values))


def energy(values: Values) -> float:
    return float(lieb_liniger.ground_state_energy(values["gamma"]))


def energy_error(order: int | None = None) -> Callable[[Values], float]:
    """|e − e_N| of the Lieb–Liniger series at the step's γ, N = ``order`` (default: the step's)."""

    def error(values: Values) -> float:
        top = values["energy_weak_order"] if order is None else order
        return abs(energy(values) - series.partial_sum("lieb-liniger", values["gamma"], top))

    return error


def energy_errors(values: Values, orders: range = range(41)) -> np.ndarray:
    return np.array([energy_error(n)(values) for n in orders])


def least_error_order(values: Values) -> int:
    return int(np.argmin(energy_errors(values)))


def least_error(values: Values) -> float:
    return float(energy_errors(values).min())


def nonperturbative_scale(values: Values) -> float:
    """e^(−8π/√γ), Mariño–Reis Eq. (33)."""
    return math.exp(-8 * math.pi / math.sqrt(values["gamma"]))


def gamma(values: Values) -> float:
    return values["gamma"]


def energy_weak_order(values: Values) -> int:
    return values["energy_weak_order"]


def polaron_weak_order(values: Values) -> int:
    return values["polaron_weak_order"]


# ---------------------------------------------------------------------- the quotes
QUOTES: dict[tuple[str, int], tuple[Quote, ...]] = {
    ("polaron-mass", 1): (
        Quote("coupling $\\gamma = ", 1, gamma, "At γ = "),
        Quote("gas: $m/m^* = ", 5, inverse_mass, "m/m* = "),
        Quote("misses by only $", 3, first_correction_miss, "up to (√γ)¹ misses by "),
    ),
    ("polaron-mass", 2): (
        Quote("At $\\gamma = ", 1, gamma, "At γ = "),
        Quote("the mass ratio is $m/m^* = ", 4, inverse_mass, "m/m* = "),
        Quote("the impurity is ", 2, lambda v: 100 * (1 / inverse_mass(v) - 1)),
        Quote("($m^*/m = ", 4, lambda v: 1 / inverse_mass(v), "m*/m = "),
        Quote("still misses by only $", 3, polaron_series_miss("weak"), "(√γ)⁵ misses by "),
    ),
    ("polaron-mass", 3): (
        Quote("At $\\gamma = ", 2, gamma, "At γ = "),
        Quote("$m/m^* = ", 3, inverse_mass, "m/m* = "),
        Quote("taken up to $(\\sqrt{\\gamma})^{", None, polaron_weak_order),
        Quote("misses by $", 3, polaron_series_miss("weak"), "(√γ)¹⁰ misses by "),
        Quote("closest at $(\\sqrt{\\gamma})^{", None, closest_weak_order),
        Quote(
            "the four terms of Eq. 23) misses by $",
            3,
            polaron_series_miss("strong"),
            "(1/γ)⁴ misses by ",
        ),
    ),
    ("polaron-mass", 4): (
        Quote("At $\\gamma = ", 3, gamma, "At γ = "),
        Quote("$m/m^* = ", 3, inverse_mass, "m/m* = "),
        Quote("as if it were ", 2, lambda v: 1 / inverse_mass(v), "m*/m = "),
        Quote("now misses by only $", 3, polaron_series_miss("strong"), "(1/γ)⁴ misses by "),
    ),
    ("perturbation-theory", 1): (
        Quote("at $\\gamma = ", 2, gamma, "At γ = "),
        Quote("Bethe ansatz is $e = ", 5, energy, "e = "),
        Quote("here, $N = ", None, energy_weak_order, "weak-coupling series: N = "),
        Quote("with $N = ", None, energy_weak_order, "weak-coupling series: N = "),
        Quote("(green diamond) it is $", 2, energy_error(), "(green diamond), error "),
    ),
    ("perturbation-theory", 2): (
        Quote("With $N = ", None, energy_weak_order, "weak-coupling series: N = "),
        Quote("the error falls to $", 2, energy_error(), "(green diamond), error "),
    ),
    ("perturbation-theory", 3): (
        Quote("At $N = ", None, energy_weak_order, "weak-coupling series: N = "),
        Quote("the error is $", 2, energy_error(), "(green diamond), error "),
        Quote("truncations at $\\gamma = ", 2, gamma, "At γ = "),
        Quote("count on: $", 2, lambda v: energy_error(v["energy_weak_order"] - 1)(v)),
        Quote("$ at $N = ", None, lambda v: v["energy_weak_order"] - 1),
        Quote("$ and $", 2, lambda v: energy_error(v["energy_weak_order"] + 1)(v)),
        Quote(
            "stops, $N^* = ",
            None,
            lambda v: series.optimal_truncation_order("lieb-liniger", v["gamma"]),
            "N* = ",
        ),
        Quote("e^{-8\\pi/\\sqrt{\\gamma}} = ", 2, nonperturbative_scale, "e^(−8π/√γ) = "),
    ),
    ("perturbation-theory", 4): (
        Quote("At $N = ", None, energy_weak_order, "weak-coupling series: N = "),
        Quote("grown back to $", 2, energy_error(), "(green diamond), error "),
        Quote(
            "passes $300$ at $N = ",
            None,
            lambda v: int(np.flatnonzero(energy_errors(v) > 300)[0]),
        ),
    ),
    ("perturbation-theory", 5): (
        Quote("At $\\gamma = ", 1, gamma, "At γ = "),
        Quote("keeps falling until $N = ", None, least_error_order, "least error at N = "),
        Quote("where it is $", 2, least_error, "least error at N = 25: "),
        Quote("(at $N = ", None, energy_weak_order, "weak-coupling series: N = "),
        Quote("it is still $", 2, energy_error(), "(green diamond), error "),
        Quote("e^{-8\\pi/\\sqrt{\\gamma}} = ", 2, nonperturbative_scale, "e^(−8π/√γ) = "),
    ),
}
#: Numbers of the captions that are not results at the step's state: equation numbers,
#: the exponents and constants of the formulas written out (checked in
#: test_the_formulas_written_out_are_the_series), and the bound of the last step.
NOT_RESULTS = {
    "polaron-mass": (
        r"Eqs?\. \(?\d+\)?(?: and \(\d+\))?",
        r"1 - \\frac\{2\}\{3\\pi\}\\sqrt\{\\gamma\}",
        r"\\gamma\^\{5/2\}",
        r"\\frac\{2\\pi\^2\}\{3\\gamma\} - \\frac\{4\\pi\^2\}\{\\gamma\^2\}",
        r"\\gamma\^2",
        r"10\^\{-14\}",
    ),
    "perturbation-theory": (
        r"\\gamma\^\{k/2\}",
        r"\(8\\pi\)\^\{-k\}",
        r"\$300\$",
        r"\\sqrt\{\\gamma\}",
    ),
}

_SUPERSCRIPT_DIGITS = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")
_SHOWN_NUMBER = re.compile(
    r"(?:(?P<mantissa>−?[0-9.]+)(?: × 10(?P<exponent>[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+))?)|10(?P<power>[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)"
)


def tex(value: float, digits: int | None) -> str:
    """``value`` as a caption writes it: ``digits`` significant digits (trailing zeros kept),
    plain in [10⁻³, 10⁴), else ``m \\times 10^{e}``; an integer as it is."""
    if digits is None:
        return str(int(value))
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    power = int(exponent)
    if -3 <= power < 4:
        return f"{value:.{max(digits - 1 - power, 0)}f}"
    return f"{mantissa} \\times 10^{{{power}}}"


def shown_number(summary: str, before: str) -> float:
    """The number the summary line shows right after ``before``."""
    assert before in summary, (before, summary)
    match = _SHOWN_NUMBER.match(summary, summary.index(before) + len(before))
    assert match, (before, summary)
    if match["power"]:
        return 10.0 ** int(match["power"].translate(_SUPERSCRIPT_DIGITS))
    mantissa = float(match["mantissa"].rstrip(".").replace("−", "-"))
    exponent = int(match["exponent"].translate(_SUPERSCRIPT_DIGITS)) if match["exponent"] else 0
    return mantissa * 10.0**exponent


def rounded(value: float, digits: int | None) -> float:
    return float(int(value)) if digits is None else float(f"{value:.{digits}g}")


def lesson(name: str) -> Lesson:
    return read_lesson_file(LESSONS / f"{name}.toml")


def caption(name: str, step: int) -> str:
    return " ".join(lesson(name).steps[step - 1].caption.split())


def summary_at(name: str, step: int) -> str:
    """The summary line of the step's view, at the step's state (as a lesson link opens it)."""
    state = GlobalState()
    views = {"energy": EnergyView(state), "polaron": PolaronView(state)}
    chosen = lesson(name).steps[step - 1]
    apply_values(chosen.values, state, views)
    view = views[chosen.view]
    return view.summary(view.data())


STEPS = sorted(QUOTES)
IDS = [f"{name}-{step}" for name, step in STEPS]


@pytest.mark.parametrize(("name", "step"), STEPS, ids=IDS)
def test_every_quoted_number_is_the_physics_at_its_step(name, step):
    values = lesson(name).steps[step - 1].values
    text = caption(name, step)
    for quote in QUOTES[name, step]:
        expected = quote.before + tex(quote.value(values), quote.digits)
        assert expected in text, (expected, text)


@pytest.mark.parametrize(("name", "step"), STEPS, ids=IDS)
def test_the_view_shows_every_quoted_number_at_its_step(name, step):
    values = lesson(name).steps[step - 1].values
    summary = summary_at(name, step)
    for quote in QUOTES[name, step]:
        if quote.shown is not None:
            shown = shown_number(summary, quote.shown)
            expected = rounded(quote.value(values), quote.digits)
            assert rounded(shown, quote.digits) == expected, (quote.shown, summary)


@pytest.mark.parametrize("name", sorted(NOT_RESULTS))
def test_no_caption_quotes_a_number_left_unchecked(name):
    """Every number of every caption is a checked quote, an equation number or part of a
    formula written out: a new number in a caption needs a quote in this file."""
    for step, chosen in enumerate(lesson(name).steps, start=1):
        values, text = chosen.values, caption(name, step)
        for quote in QUOTES.get((name, step), ()):
            text = text.replace(quote.before + tex(quote.value(values), quote.digits), " ")
        for pattern in NOT_RESULTS[name]:
            text = re.sub(pattern, " ", text)
        assert not re.search(r"\d", text), (step, text)


def test_the_formulas_written_out_are_the_series():
    """The captions' Eq. (22) to first order, 1 − 2√γ/(3π), and Eq. (23) to second,
    2π²/(3γ) − 4π²/γ², are the first coefficients of the m/m* series of physics/."""
    weak = series.inverse_mass_ratio_series("weak", 1)
    strong = series.inverse_mass_ratio_series("strong", 2)
    assert float(weak[0]) == 1.0
    assert float(weak[1]) == pytest.approx(-2 / (3 * math.pi), rel=1e-15)
    assert float(strong[1]) == pytest.approx(float(2 * mpmath.pi**2 / 3), rel=1e-15)
    assert float(strong[2]) == pytest.approx(float(-4 * mpmath.pi**2), rel=1e-15)
    assert "1 - \\frac{2}{3\\pi}\\sqrt{\\gamma}" in caption("polaron-mass", 1)
    assert "\\frac{2\\pi^2}{3\\gamma} - \\frac{4\\pi^2}{\\gamma^2}" in caption("polaron-mass", 4)


def test_the_claims_about_how_errors_move_hold():
    """'Each added term improves' (N ≤ 4 at γ = 10), 'more terms make it worse' (m/m* past
    (√γ)⁷ at γ = 10), 'keeps falling until N = 25 and grows after' (γ = 1)."""
    at_10 = energy_errors({"gamma": 10.0}, range(5))
    assert np.all(np.diff(at_10) < 0)
    misses = [polaron_series_miss("weak", k)({"gamma": 10.0}) for k in range(7, 31)]
    assert np.all(np.diff(misses) > 0)
    at_1 = energy_errors({"gamma": 1.0})
    assert np.all(np.diff(at_1[:26]) < 0) and np.all(np.diff(at_1[25:]) > 0)


def test_the_sharp_dip_is_where_the_partial_sums_cross_the_exact_energy():
    """Step 5: 'the partial sums cross the exact energy there, from above to below', checked
    at 30 digits (Bethe ansatz at 30 digits against the series in mpmath); step 3 (γ = 10):
    'cross … just after it', between N = 8 and 9, and the neighbours' errors are 'about forty'
    times the scale e^(−8π/√γ) (QA: the dip at N = 8 was taught as the best error)."""
    with mpmath.workdps(40):
        exact = lieb_liniger.ground_state_energy(1.0, digits=30)
        signed = [series.partial_sum("lieb-liniger", mpmath.mpf(1), n) - exact for n in (24, 25)]
    words = " ".join(caption("perturbation-theory", 5).split())
    assert "cross the exact energy there, from above to below" in words
    assert signed[0] > 0 > signed[1]
    at_10 = {"gamma": 10.0}
    exact_10 = energy(at_10)
    signed_10 = [series.partial_sum("lieb-liniger", 10.0, n) - exact_10 for n in (8, 9)]
    words = " ".join(caption("perturbation-theory", 3).split())
    assert "cross the exact energy just after it, from above to below" in words
    assert signed_10[0] > 0 > signed_10[1]
    assert "here about forty" in words
    ratios = [energy_error(n)(at_10) / nonperturbative_scale(at_10) for n in (7, 9)]
    assert all(30 < ratio < 50 for ratio in ratios), ratios


def test_the_two_routes_agree_to_the_bound_the_last_step_quotes():
    """Step 5: σ route (Eqs. 13, 16) and Eq. (21) agree to better than 10⁻¹⁴ at every dot,
    and the view's summary shows the largest difference below that bound."""
    assert "agree to better than $10^{-14}$ relative" in caption("polaron-mass", 5)
    dots = np.asarray(GAMMA_GRID)[::10]
    sigma = polaron.inverse_mass_ratio(dots, method="sigma")
    exact = polaron.inverse_mass_ratio(dots)
    assert np.max(np.abs(sigma / exact - 1)) < 1e-14
    assert shown_number(summary_at("polaron-mass", 5), "differs from Eq. (21) by at most ") < 1e-14
