"""Sweep configurations: valid files parse; every bad input is refused before any work."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest
from toy_sweep_observables import TOY_REGISTRY

from qgas.sweeps.config import config_from_mapping, load_config, parse_grid_flag
from qgas.sweeps.observables import REGISTRY

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "docs" / "sweeps").glob("*.toml"))


def toy(**changes):
    data = {
        "observable": "toy.product",
        "output": "out.nc",
        "grid": {
            "x": [1.0, 2.0, 3.0],
            "y": {"start": 1.0, "stop": 100.0, "num": 3, "spacing": "log"},
        },
    }
    data.update(changes)
    return config_from_mapping(data, TOY_REGISTRY, base_dir=Path("/base"))


def test_grid_axes_shape_and_task_parameters_in_row_major_order():
    config = toy()
    assert [axis.name for axis in config.axes] == ["x", "y"]
    np.testing.assert_allclose(config.axes[1].values, [1.0, 10.0, 100.0], rtol=1e-15)
    assert config.shape == (3, 3) and config.n_tasks == 9
    assert config.task_parameters([5, 0]) == [{"x": 2.0, "y": 100.0}, {"x": 1.0, "y": 1.0}]
    assert config.output == Path("/base/out.nc")


def test_defaults_fill_unset_parameters_and_seed_is_kept():
    config = config_from_mapping(
        {"observable": "toy.noisy_mean", "output": "o.nc", "seed": 7, "grid": {"centre": [0]}},
        TOY_REGISTRY,
    )
    assert config.fixed == {"samples": 50} and config.seed == 7


def test_hash_depends_on_what_changes_results_only():
    base = toy()
    assert toy(output="elsewhere.nc").config_hash == base.config_hash
    assert toy(execution={"workers": 3}).config_hash == base.config_hash
    assert toy(grid={"x": [1.0, 2.0], "y": [1.0]}).config_hash != base.config_hash


def test_toml_file_with_relative_output(tmp_path):
    path = tmp_path / "sweep.toml"
    path.write_text(
        'observable = "lieb_liniger.ground_state_energy"\noutput = "e.nc"\n'
        "[grid]\ngamma = { values = [0.5, 1.0] }\n"
    )
    config = load_config(path, REGISTRY)
    assert config.output == tmp_path / "e.nc"
    assert config.axes[0].values.tolist() == [0.5, 1.0]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_every_shipped_example_is_valid(example):
    config = load_config(example, REGISTRY)
    assert config.n_tasks >= 1
    assert tomllib.loads(example.read_text())["observable"] == config.observable.name


def test_shipped_examples_cover_every_physics_topic():
    topics = {tomllib.loads(p.read_text())["observable"].split(".")[0] for p in EXAMPLES}
    assert topics >= {name.split(".")[0] for name in REGISTRY}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"observable": "toy.nope"},
            r"observable='toy.nope' is not registered; known .*toy.product",
        ),
        ({"grid": {"z": [1.0]}}, r"'z' is not a parameter of observable 'toy.product'.*x, y"),
        ({"grid": {}}, r"grid is empty"),
        ({"grid": {"x": [], "y": [1.0]}}, r"grid.x is empty"),
        ({"grid": {"x": {"start": 1, "stop": 2, "num": 0}, "y": [1.0]}}, r"grid.x.num=0"),
        ({"grid": {"x": [1.0, float("nan")], "y": [1.0]}}, r"x=nan is outside the valid range"),
        ({"grid": {"x": {"start": 1, "stop": float("inf"), "num": 3}, "y": [1]}}, "finite"),
        (
            {"grid": {"x": [1.0, 101.0], "y": [1.0]}},
            r"x=101.0 is outside the valid range \[0, 100\]",
        ),
        ({"grid": {"x": [1.0], "y": [0.0]}}, r"y=0.0 is outside the valid range \(0, 100\]"),
        ({"grid": {"x": [1.0, 1.0], "y": [1.0]}}, r"grid.x contains duplicate values"),
        ({"grid": {"x": [1.0]}}, r"parameter 'y' of toy.product is required"),
        ({"grid": {"x": [1.0], "y": [1.0]}, "fixed": {"x": 2.0}}, r"both in \[grid\] and"),
        (
            {"grid": {"x": [1.0], "y": {"start": 1, "stop": 2, "num": 2, "spacing": "cubic"}}},
            r"spacing='cubic'",
        ),
        ({"seed": 3}, r"deterministic; remove 'seed'"),
        ({"colour": "red"}, r"unknown key\(s\) 'colour'"),
        ({"execution": {"nodes": 4}}, r"unknown key\(s\) 'nodes' in execution"),
        ({"output": ""}, r"output=''"),
    ],
)
def test_bad_input_is_refused_naming_it(changes, message):
    with pytest.raises(ValueError, match=message):
        toy(**changes)


def test_random_observable_needs_a_seed_and_owns_its_seed_parameter():
    base = {"observable": "toy.noisy_mean", "output": "o.nc", "grid": {"centre": [0.0]}}
    with pytest.raises(ValueError, match="is random: give an integer 'seed'"):
        config_from_mapping(base, TOY_REGISTRY)
    with pytest.raises(ValueError, match="set per task from the top-level 'seed'"):
        config_from_mapping({**base, "seed": 1, "fixed": {"seed": 5}}, TOY_REGISTRY)
    with pytest.raises(ValueError, match=r"seed=-1 is outside the valid range \[0, 9223"):
        config_from_mapping({**base, "seed": -1}, TOY_REGISTRY)
    with pytest.raises(ValueError, match=r"samples=2.5 is not an integer"):
        config_from_mapping({**base, "seed": 1, "fixed": {"samples": 2.5}}, TOY_REGISTRY)


def test_bad_toml_and_missing_file_name_the_file(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        load_config(tmp_path / "missing.toml", REGISTRY)
    broken = tmp_path / "broken.toml"
    broken.write_text("observable = \n")
    with pytest.raises(ValueError, match=r"broken.toml.*not valid TOML"):
        load_config(broken, REGISTRY)


@pytest.mark.parametrize(
    ("flag", "expected"),
    [
        ("gamma=0.1:1:3", ("gamma", {"start": 0.1, "stop": 1, "num": 3, "spacing": "linear"})),
        ("gamma=log:0.1:10:5", ("gamma", {"start": 0.1, "stop": 10, "num": 5, "spacing": "log"})),
        ("N=11,21", ("N", [11, 21])),
        ("method=energy,sigma", ("method", ["energy", "sigma"])),
    ],
)
def test_grid_flags(flag, expected):
    assert parse_grid_flag(flag) == expected


def test_malformed_grid_flag():
    with pytest.raises(ValueError, match="NAME=START:STOP:NUM"):
        parse_grid_flag("gamma")
