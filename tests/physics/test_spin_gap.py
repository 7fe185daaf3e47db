"""Spin gap Delta_s(gamma) of the attractive Gaudin-Yang gas against outside truths: a second,
independent route (Delta_s = 2(-mu - int a_1 eps_b) with mu = n^2 (3e - gamma e') from the
ground-state energy's exact derivative), the strong-coupling expansion derived in
docs/physics/gaudin-yang-repulsive-and-gap.md (pair binding energy c^2/2 minus twice the dimers'
chemical potential pi^2 n^2/16, plus 3 pi^2/(32 gamma^2)), the weak-coupling BCS form of Fuchs,
Recati & Zwerger (PRL 93, 090408 (2004)), Delta_s = (16/pi) eps_F sqrt(gamma/pi)
e^{-pi^2/(2 gamma)}, and convergence in the quadrature."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import quad

import physics._nystrom
from physics import spin_gap
from physics._bethe import coupling_state

PI = math.pi
EPS_F = PI**2 / 4  # k_F^2 with k_F = pi n / 2 (hbar = 2m = 1)


def bcs_form(gamma: float) -> float:
    return 16 / PI * EPS_F * math.sqrt(gamma / PI) * math.exp(-(PI**2) / (2 * gamma))


@pytest.mark.parametrize("gamma", [1.0, 2.0, 5.0, 10.0, 50.0])
def test_gap_equals_unpaired_dressed_energy_from_mu(gamma):
    """eps_u(0) = -mu - int_{-B}^{B} a_1(L) eps_b(L) dL (Eq. G4) with mu from e(gamma)."""
    _, edge, phi = spin_gap._pair_dressed_energy(gamma)
    state = coupling_state(gamma, "gaudin-yang", 1)
    mu = 3 * state.energy - gamma * state.slope
    # a_1(L) dL = (1/pi) (1/2) / (1/4 + x^2) dx in x = L/|c|; phi = eps_b/c^2
    inside, _ = quad(
        lambda x: float(phi([x])[0]) * 0.5 / (PI * (0.25 + x * x)),
        -edge,
        edge,
        epsabs=0,
        epsrel=1e-13,
        limit=200,
    )
    direct = 2 * (-mu - gamma**2 * inside)
    assert spin_gap.gap(gamma) == pytest.approx(direct, rel=1e-11)


@pytest.mark.parametrize("gamma", [20.0, 50.0, 100.0])
def test_strong_coupling_pair_binding(gamma):
    """Delta_s = gamma^2/2 - pi^2/8 + 3 pi^2/(32 gamma^2) + O(gamma^-3) (docs, Eq. G6): the
    binding c^2/2 minus twice the dimers' chemical potential pi^2 n^2/16, then the 1/gamma^2
    term from mu (strong-coupling series of e_F) and from int a_1 eps_b."""
    delta = spin_gap.gap(gamma)
    leading = gamma**2 / 2 - PI**2 / 8
    assert abs(delta - leading - 3 * PI**2 / (32 * gamma**2)) < 2 / gamma**3
    assert abs(delta - leading) > 0.5 / gamma**2  # the gamma^-2 term is resolved


@pytest.mark.parametrize("gamma", [0.01, 0.02, 0.05, 0.1])
def test_weak_coupling_bcs_form(gamma):
    ratio = spin_gap.gap(gamma) / bcs_form(gamma)
    assert abs(ratio - 1) < 0.2 * gamma  # corrections are O(gamma)


def test_weak_coupling_prefactor_by_richardson():
    """Removing the O(gamma) correction leaves the prefactor 16/pi exact to 1e-4."""
    ratio = [spin_gap.gap(g) / bcs_form(g) for g in (0.01, 0.02)]
    assert 2 * ratio[0] - ratio[1] == pytest.approx(1.0, abs=1e-4)


def test_positive_and_increasing():
    gammas = np.geomspace(1e-2, 1e2, 13)
    values = spin_gap.gap(gammas)
    assert values.shape == gammas.shape
    assert np.all(values > 0)
    assert np.all(np.diff(values) > 0)


@pytest.mark.parametrize("gamma", [0.01, 0.3, 5.0])
def test_convergence_in_quadrature(gamma, monkeypatch):
    reference = spin_gap.gap(gamma)
    monkeypatch.setattr(spin_gap, "_PANEL_NODES", 2 * spin_gap._PANEL_NODES)
    monkeypatch.setattr(spin_gap, "node_count", lambda edge: 2 * physics._nystrom.node_count(edge))
    assert spin_gap.gap(gamma) == pytest.approx(reference, rel=1e-13)


@pytest.mark.parametrize("bad", [0.0, -0.5, math.nan, math.inf, "x", None, 1e-3, 1e3])
def test_bad_gamma_raises_value_error(bad):
    with pytest.raises(ValueError, match=r"gamma=.*0\.01, 100"):
        spin_gap.gap(bad)
