"""``qgas sweep`` in process: flags, exit status and one-line errors naming the bad input."""

from __future__ import annotations

import numpy as np
import pytest

from physics import lieb_liniger
from qgas.cli import main
from qgas.sweeps.dataset import open_sweep


def test_flags_sweep_writes_the_dataset(tmp_path, capsys):
    output = tmp_path / "e.nc"
    argv = ["sweep", "--observable", "lieb_liniger.ground_state_energy", "--grid", "gamma=0.5,2"]
    status = main([*argv, "-o", str(output), "--workers", "1", "--no-progress"])
    assert status == 0
    assert "2 grid points (2 evaluated now, 0 resumed)" in capsys.readouterr().out
    values = open_sweep(output)["energy"].values
    np.testing.assert_array_equal(values, [lieb_liniger.ground_state_energy(g) for g in (0.5, 2)])


def test_list_names_every_observable_with_units(capsys):
    assert main(["sweep", "--list"]) == 0
    out = capsys.readouterr().out
    assert "tonks_girardeau.decay_length  [random: needs seed]" in out
    assert "units 1/n" in out
    # the ranges listed are the ones the physics functions enforce (physics.tonks_girardeau.limits)
    assert "n_particles          [1, 1024]" in out
    assert "length               [0.001, 100000]" in out
    assert "strength             [0, 1e+06]" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--observable", "nope", "--grid", "x=1"], "observable='nope' is not registered"),
        (
            ["--observable", "lieb_liniger.ground_state_energy", "--grid", "gamma=0.5,1e9"],
            "gamma=1000000000.0 is outside the valid range [0.001, 10000]",
        ),
        (["--observable", "lieb_liniger.ground_state_energy", "--grid", "gamma"], "NAME=START"),
        (
            [
                "--observable",
                "lieb_liniger.ground_state_energy",
                "--grid",
                "gamma=1",
                "--workers",
                "0",
            ],
            "--workers=0 is outside the valid range [1, ",
        ),
        ([], "give a CONFIG file or --observable"),
    ],
)
def test_bad_input_exits_2_with_one_line_naming_it(tmp_path, capsys, argv, message):
    status = main(["sweep", *argv, "-o", str(tmp_path / "x.nc"), "--no-progress"])
    assert status == 2
    err = capsys.readouterr().err
    assert err.startswith("qgas sweep: error:") and message in err
    assert not (tmp_path / "x.nc").exists()


def test_unwritable_output_is_refused(tmp_path, capsys):
    output = tmp_path / "no" / "such" / "dir.nc"
    argv = ["sweep", "--observable", "lieb_liniger.ground_state_energy", "--grid", "gamma=1"]
    assert main([*argv, "-o", str(output)]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_a_grid_point_beyond_the_physics_cost_limit_is_refused_before_any_work(tmp_path, capsys):
    """The QA case: five points were computed, then N = 1000 failed with exit 1 and advice to
    --resume (which would fail again). Now the physics' own cost limit
    (physics.tonks_girardeau.limits.check_cost) is checked at every grid point first."""
    output = tmp_path / "x" / "tg.nc"
    status = main(
        [
            "sweep",
            *("--observable", "tonks_girardeau.fermi_energy"),
            *("--grid", "n_particles=2,3,4,5,6,1000"),
            *("--fixed", "length=8", "--fixed", "kind=gaussian", "--fixed", "strength=1"),
            *("--fixed", "realisations=2", "--seed", "1"),
            *("-o", str(output), "--workers", "1", "--batch-size", "1", "--no-progress"),
        ]
    )
    assert status == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("qgas sweep: error: n_particles=1000 with realisations=2 would take")
    assert "above the limit of 600 s per call" in err and "--resume" not in err
    assert list(tmp_path.iterdir()) == []


def test_a_point_the_observable_refuses_at_run_time_is_exit_2_without_resume_advice(
    tmp_path, capsys, monkeypatch
):
    """A ValueError at a grid point (a refusal the grid check cannot foresee, e.g. a deep
    potential drawn at run time) repeats on --resume: exit 2, and --resume is not advised."""
    from qgas.sweeps import observables
    from tests.sweeps.toy_sweep_observables import TOY_REGISTRY

    monkeypatch.setattr(observables, "REGISTRY", TOY_REGISTRY)
    output = tmp_path / "p.nc"
    argv = ["--observable", "toy.product", "--grid", "x=2,13", "--fixed", "y=3"]
    status = main(["sweep", *argv, "-o", str(output), "--workers", "1", "--batch-size", "1"])
    assert status == 2
    err = capsys.readouterr().err
    assert "x=13.0, y=3.0) failed: ValueError('x=13 is unlucky')" in err
    assert "1/2 finished grid points are saved" in err
    assert "--resume would stop here again" in err and "plus --resume" not in err
    assert not output.exists()
