"""The resurgence view: its table is the slider's grid, its exact values are the Bethe energies,
and what it shows is the resurgence statement (real part beyond the ambiguity, ratio → 1)."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.state import GAMMA_GRID, GlobalState
from dashboard.views.resurgence import METHODS, ResurgenceView
from physics import _assets, gaudin_yang, lieb_liniger, resurgence_table

SOLVERS = {"lieb-liniger": lieb_liniger, "gaudin-yang": gaudin_yang}


def view_at(gamma: float, model: str) -> tuple[ResurgenceView, dict]:
    state = GlobalState()
    state.gamma = gamma
    view = ResurgenceView(state, model=model)
    return view, view.data()


def test_table_lies_on_the_slider_grid_and_records_provenance():
    assert set(resurgence_table.TABLE_GAMMAS) <= set(GAMMA_GRID)
    table = _assets.read_table(*resurgence_table.TABLE)
    assert table["provenance"]["command"].startswith("qgas precompute")
    for model in SOLVERS:
        gammas = [row["gamma"] for row in resurgence_table.shipped_rows(model)]
        assert gammas == list(resurgence_table.TABLE_GAMMAS)


@pytest.mark.parametrize("model", SOLVERS)
def test_exact_column_agrees_with_the_double_precision_solver(model):
    frame = view_at(1.0, model)[1]["sums"]
    rows = frame[np.isfinite(frame["e exact"])].iloc[::10]
    reference = SOLVERS[model].ground_state_energy(rows["gamma"].to_numpy())
    np.testing.assert_allclose(rows["e exact"], reference, rtol=1e-13)


@pytest.mark.parametrize("model", SOLVERS)
def test_real_part_beats_the_ambiguity_and_the_ratio_tends_to_one(model):
    view, data = view_at(0.271, model)
    row = data["slider"].iloc[0]
    assert row[METHODS["pade"]] > row["digits of |Im e|/e"] + 10
    assert row[METHODS["pade"]] > row[METHODS["optimal"]] + 10
    frame = data["sums"]
    small = frame[frame["gamma"] <= 0.3]["ratio"]
    assert np.all(np.abs(small - 1) < 1e-3)
    text = view.summary(data)
    assert "γ = 0.271" in text and "× the prediction" in text


def test_outside_the_table_the_summary_says_so():
    view, data = view_at(100.0, "lieb-liniger")
    assert data["slider"].empty
    assert "outside the table's range" in view.summary(data)


def test_shipped_row_is_regenerated_by_the_table_generator():
    computed = resurgence_table.compute_table((1.0,))["models"]
    for model, entry in computed.items():
        fresh = entry["rows"][0]
        shipped = next(r for r in resurgence_table.shipped_rows(model) if r["gamma"] == 1.0)
        assert fresh["optimal_order"] == shipped["optimal_order"]
        for key in ("exact", "optimal"):
            assert abs(float(fresh[key]) - float(shipped[key])) <= 1e-15 * abs(float(shipped[key]))
        for key in ("pade", "conformal"):
            for part in (0, 1):
                a, b = float(fresh[key][part]), float(shipped[key][part])
                assert abs(a - b) <= 1e-13 * abs(b)
