"""View 4: decay of the one-body density matrix of the disordered Tonks–Girardeau gas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import param

from dashboard.base import View
from dashboard.cache import memoize
from dashboard.physics_pool import offload
from dashboard.plotting import Panel, error_bars, horizontal_line, line, markers
from physics import tonks_girardeau as tg

__all__ = ["DecayView"]

KINDS = {"Gaussian": "gaussian", "speckle": "speckle", "Poisson impurities": "poisson"}
#: Ring lengths of the superfluid-density panel (N = L at density n = 1).
SUPERFLUID_LENGTHS = (4.0, 8.0, 12.0, 16.0)
#: Realisations per length in the superfluid-density panel (kept small: it is the costly one).
SUPERFLUID_REALISATIONS = 4

# the costly solvers run in qgas serve's physics worker processes (dashboard.physics_pool)
_averaged_decay = offload(tg.averaged_decay)
_ground_state_density = offload(tg.ground_state_density)
_superfluid_density_curve = offload(tg.superfluid_density_curve)


@memoize
def decay(
    n_particles: int, length: float, kind: str, strength: float, realisations: int, seed: int
) -> dict[str, np.ndarray]:
    """g1(r) averaged over disorder and translations, the clean ring's, and the fitted ξ."""
    r, g1 = _averaged_decay(n_particles, length, kind, strength, realisations, seed)
    _, clean = _averaged_decay(n_particles, length, kind, 0.0, 1, seed)
    window = tg.default_decay_window(length)
    k, n_k = tg.momentum_distribution(r, g1)
    return {
        "r": r,
        "g1": g1,
        "clean": clean,
        "window": window,
        "fit": tg.exponential_fit(r, g1, window),
        "k": k,
        "n_k": n_k,
    }


@memoize
def one_realisation(
    n_particles: int, length: float, kind: str, strength: float, seed: int
) -> dict[str, np.ndarray]:
    """Potential V(x) and density n(x) = Σ_α |φ_α(x)|² of the first disorder realisation."""
    grid_points = tg.default_grid_points(n_particles)
    potential = tg.realisation_potentials(length, grid_points, kind, strength, 1, seed)[0]
    return {
        "x": np.arange(grid_points) * length / grid_points,
        "V": potential,
        "n": _ground_state_density(n_particles, length, potential),
    }


@memoize
def superfluid(kind: str, strength: float, seed: int) -> dict[str, np.ndarray]:
    """ρ_s(L) at density n = 1 with its standard error."""
    lengths, rho_s, sigma = _superfluid_density_curve(
        list(SUPERFLUID_LENGTHS), kind, strength, SUPERFLUID_REALISATIONS, seed
    )
    return {"L": lengths, "rho_s": rho_s, "sigma": sigma}


class DecayView(View):
    """Disorder-averaged |γ(x, x + r)|, one realisation, n(k) and ρ_s(L)."""

    slug = "decay"
    title = "γ(x,y) decay"
    state_dependencies = ("disorder_strength",)
    heavy = True
    columns = 2
    #: the fitted decay length is printed, not plotted: its units for the downloads
    units = (("xi", "fitted decay length ξ", "1/n"), ("sigma", "standard error of ξ", "1/n"))
    explanation = r"""
### Disorder destroys long-range order and superfluidity
Hard-core bosons on a ring (the Tonks–Girardeau gas) map onto free fermions. The one-body
density matrix $\gamma_\Psi(x,y) = \langle\Psi|a^\dagger(x)a(y)|\Psi\rangle$ tells how far a
boson stays phase coherent. Without disorder it decays only as a power law,
$|\gamma_\Psi(x,x+r)| \propto r^{-1/2}$ (quasi-long-range order: a straight line on log–log
axes). In a random potential $V$ the single-particle states localise, and Seiringer and Warzel
prove that the disorder average decays *exponentially*,

$$\mathbb{E}\,|\gamma_\Psi(x, x+r)| \le C\,e^{-r/\xi},$$

(a straight line on log–linear axes; $\xi$ is fitted in the window marked by the orange
points), and that the superfluid density — the stiffness under a twist of the boundary
condition — vanishes as $L \to \infty$. The momentum distribution $n(k)$ loses its sharp
peak at $k = 0$. Units: $\hbar = 2m = 1$, lengths in $1/n$; disorder strength = standard
deviation of $V$.

*Source:* S. Warzel, *Decay of correlations and absence of superfluidity in the disordered
Tonks–Girardeau gas* (talk), with R. Seiringer, arXiv:1512.05282, and R. Sims, arXiv:1509.00450.
"""

    kind = param.Selector(
        default="speckle",  # the Billy et al. (2008) experiment cited by the seed
        objects=KINDS,
        doc="Kind of random potential.",
    )
    n_particles = param.Integer(default=16, bounds=(4, 64), step=4, doc="Particle number N.")
    length = param.Number(
        default=16.0, bounds=(4.0, 64.0), step=4.0, doc="Ring length L in units 1/n."
    )
    realisations = param.Integer(
        default=8, bounds=(1, 32), doc="Number of disorder realisations averaged."
    )
    seed = param.Integer(default=0, bounds=(0, 9999), doc="Seed of the disorder realisations.")

    def data(self) -> dict[str, pd.DataFrame]:
        strength = self.state.disorder_strength
        decay_data = decay(
            self.n_particles, self.length, self.kind, strength, self.realisations, self.seed
        )
        sample = one_realisation(self.n_particles, self.length, self.kind, strength, self.seed)
        stiffness = superfluid(self.kind, strength, self.seed)
        r, g1 = decay_data["r"], decay_data["g1"]
        low, high = decay_data["window"]
        inside = (r >= low) & (r <= high) & (r > 0)
        frames = {
            "averaged |γ(x,x+r)|": pd.DataFrame({"r": r[1:], "g1": g1[1:]}),
            "clean ring": pd.DataFrame({"r": r[1:], "g1": decay_data["clean"][1:]}),
            "fit window": pd.DataFrame({"r": r[inside], "g1": g1[inside]}),
            "potential V(x)": pd.DataFrame({"x": sample["x"], "value": sample["V"]}),
            "density n(x)": pd.DataFrame({"x": sample["x"], "value": sample["n"]}),
            "momentum distribution n(k)": pd.DataFrame(
                {"k": decay_data["k"], "n_k": decay_data["n_k"]}
            ),
            "superfluid density": pd.DataFrame(stiffness),
        }
        fit = decay_data["fit"]
        frames["decay length"] = pd.DataFrame({"xi": [fit.xi], "sigma": [fit.sigma]})
        fitted = r[inside] if np.isfinite(fit.xi) else r[:0]
        frames["exponential fit"] = pd.DataFrame(
            {"r": fitted, "g1": fit.amplitude * np.exp(-fitted / fit.xi)}
        )
        return frames

    def figure(self, data: dict[str, pd.DataFrame]) -> list[Panel]:
        decay = (
            line(
                "clean ring", "r", "g1", "clean ring (∝ r^−1/2)", color="gray", line_dash="dashed"
            ),
            line("averaged |γ(x,x+r)|", "r", "g1", "disorder average", line_width=2.5),
            markers("fit window", "r", "g1", "fit window", size=4, color="orange", alpha=0.5),
            line("exponential fit", "r", "g1", "fit C e^(−r/ξ)", color="crimson"),
        )
        labels = {
            "xlabel": "separation r  [1/n]",
            "ylabel": "E|γ(x, x+r)|  [n]",
            "legend": "bottom_left",
        }
        log_linear = Panel("Decay, log–linear axes", **labels, layers=decay, logy=True)
        log_log = Panel("Decay, log–log axes", **labels, layers=decay, logx=True, logy=True)
        sample = Panel(
            title="One disorder realisation",
            xlabel="position x  [1/n]",
            ylabel="V(x) [n²],  n(x) [n]",
            layers=(
                line("potential V(x)", "x", "value", "potential V(x)  [n²]", color="gray"),
                line("density n(x)", "x", "value", "density n(x)  [n]", color="navy"),
            ),
        )
        momentum = Panel(
            title="Momentum distribution",
            xlabel="momentum k  [n]",
            ylabel="n(k)  (dimensionless)",
            layers=(line("momentum distribution n(k)", "k", "n_k", "n(k)"),),
            legend=None,
        )
        frame = "superfluid density"
        stiffness = Panel(
            title="Superfluid density against size",
            xlabel="ring length L  [1/n]  (N = L)",
            ylabel="superfluid density ρ_s  [n]",
            layers=(
                error_bars(frame, "L", "rho_s", "sigma", "± 1 s.e.", color="steelblue"),
                line(frame, "L", "rho_s", "ρ_s(L)", color="steelblue"),
                markers(frame, "L", "rho_s", "ρ_s(L)", size=8, color="steelblue"),
                horizontal_line(1.0, "clean: ρ_s = n", color="gray", line_dash="dashed"),
            ),
            ylim=(0, 1.15),
            legend="bottom_left",
        )
        return [log_linear, log_log, sample, momentum, stiffness]

    def summary(self, data: dict[str, pd.DataFrame]) -> str:
        xi, sigma = data["decay length"].iloc[0]
        fitted = "no decay in the window" if not np.isfinite(xi) else f"ξ = {xi:.3g} ± {sigma:.1g}"
        return (
            f"Disorder strength {self.state.disorder_strength:g} ({self.kind}), N = "
            f"{self.n_particles}, L = {self.length:g}, {self.realisations} realisations: "
            f"fitted decay length {fitted} (1/n)."
        )
