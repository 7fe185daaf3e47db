"""``qgas sweep`` under hostile input: every bad argument, oversized grid, corrupted checkpoint
or output gets one line naming it and exit status 2 before any work; files respect the umask;
an interruption says truthfully what was saved."""

from __future__ import annotations

import io
import json
import os
import re
import tracemalloc
import zipfile

import numpy as np
import pytest
import xarray as xr
from numpy.lib import format as npy_format
from toy_sweep_observables import TOY_REGISTRY

import qgas.sweeps.executors as executors
import qgas.sweeps.runner as runner
from qgas.cli import main
from qgas.sweeps.checkpoint import (
    MAX_SESSIONS,
    checkpoint_path,
    load_checkpoint,
    results_digest,
)
from qgas.sweeps.config import (
    MAX_AXIS_POINTS,
    MAX_GRID_POINTS,
    config_from_mapping,
    load_config,
    max_workers,
)
from qgas.sweeps.dataset import open_sweep
from qgas.sweeps.executors import SerialExecutor
from qgas.sweeps.files import atomic_output
from qgas.sweeps.observables import REGISTRY
from qgas.sweeps.registry import Observable, Registry
from qgas.sweeps.runner import prepare_sweep, run_sweep
from qgas.sweeps.tasks import TaskFailed

ENERGY = ["--observable", "lieb_liniger.ground_state_energy"]
GAMMAS = [*ENERGY, "--grid", "gamma=0.5,1,2"]
RANDOM = [
    "--observable",
    "tonks_girardeau.fermi_energy",
    "--grid",
    "strength=1",
    "--fixed",
    "n_particles=4",
    "--fixed",
    "length=4",
    "--fixed",
    "kind=gaussian",
]
SUPERFLUID = ["--observable", "tonks_girardeau.superfluid_density", "--seed", "1"]
TG_FIXED = ["--fixed", "kind=gaussian", "--fixed", "length=4"]
SMALL_GRID = [
    *SUPERFLUID,
    *TG_FIXED,
    *("--grid", "n_particles=4,64", "--fixed", "strength=1", "--fixed", "grid_points=64"),
]
LONG_RING = [
    *("--observable", "tonks_girardeau.fermi_energy", "--seed", "1", "--fixed", "strength=1"),
    *("--fixed", "kind=gaussian", "--grid", "length=4,1000", "--fixed", "n_particles=8"),
]
STATE_AXES = ["U_over_ER", "TD_over_EK", "T_over_EK"]
BILLION = [
    "--observable",
    "lattice.state",
    *[arg for name in STATE_AXES for arg in ("--grid", f"{name}=0:10:1000")],
]


@pytest.fixture
def no_work(monkeypatch):
    """Any attempt to start an executor or evaluate a grid point fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("work started before the input was checked")

    monkeypatch.setattr(executors, "make_executor", refuse)
    monkeypatch.setattr(runner, "run_sweep", refuse)


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    assert err.startswith("qgas sweep: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


HOSTILE = [
    ([*GAMMAS, "--workers", "0"], "--workers=0 is outside the valid range [1, "),
    ([*GAMMAS, "--workers", "-1"], "--workers=-1 is outside the valid range [1, "),
    ([*GAMMAS, "--workers", "100000"], "--workers=100000 is outside the valid range"),
    ([*GAMMAS, "--workers", "abc"], "--workers='abc' is not an integer; valid range"),
    ([*GAMMAS, "--workers", ""], "--workers='' is not an integer"),
    ([*GAMMAS, "--workers", "2.5"], "--workers='2.5' is not an integer"),
    ([*GAMMAS, "--batch-size", "0"], "--batch-size=0 is outside the valid range [1, 1000000]"),
    ([*GAMMAS, "--batch-size", "10000000000"], "--batch-size=10000000000 is outside"),
    ([*GAMMAS, "--batch-size", "nan"], "--batch-size='nan' is not an integer"),
    ([*GAMMAS, "--checkpoint-interval", "nan"], "--checkpoint-interval='nan' is outside the"),
    ([*GAMMAS, "--checkpoint-interval", "inf"], "--checkpoint-interval='inf' is outside the"),
    ([*GAMMAS, "--checkpoint-interval", "-1"], "valid range [0, 3600]"),
    ([*GAMMAS, "--checkpoint-interval", "1e9"], "--checkpoint-interval='1e9' is outside"),
    ([*GAMMAS, "--checkpoint-interval", ""], "--checkpoint-interval='' is not a number"),
    ([*GAMMAS, "--checkpoint-interval", "soon"], "--checkpoint-interval='soon' is not a number"),
    ([*RANDOM, "--seed", "-1"], "--seed=-1 is outside the valid range [0, 9223372036854775807]"),
    ([*RANDOM, "--seed", str(2**63)], f"--seed={2**63} is outside the valid range"),
    ([*RANDOM, "--seed", "abc"], "--seed='abc' is not an integer"),
    ([*RANDOM, "--seed", ""], "--seed='' is not an integer"),
    ([*RANDOM], "is random: give an integer 'seed'"),
    ([*GAMMAS, "--seed", "3"], "deterministic; remove 'seed'"),
    ([*ENERGY, "--grid", "gamma=0.01:100:1000000000"], "grid.gamma.num=1000000000 is outside"),
    ([*ENERGY, "--grid", "gamma=0.01:100:1e9"], "grid.gamma.num=1000000000.0 is not an integer"),
    ([*ENERGY, "--grid", "gamma=0.01:100:-5"], "grid.gamma.num=-5 is outside"),
    (BILLION, "grid has 1000 x 1000 x 1000 = 1000000000 points; at most 1000000"),
    ([*ENERGY, "--grid", "gamma=1", "--grid", "gamma=2"], "--grid gamma=... is given twice"),
    ([*GAMMAS, "--fixed", "x=1", "--fixed", "x=2"], "--fixed x=... is given twice"),
    ([*ENERGY, "--grid", ""], "--grid '' must be NAME=START:STOP:NUM"),
    ([*ENERGY, "--grid", "gamma=nan:1:3"], "grid.gamma.start=nan must be a finite number"),
    ([*ENERGY, "--grid", "gamma=log:0:1:3"], "log spacing needs start > 0 and stop > 0, not 0"),
    ([*ENERGY, "--grid", "gamma=1,1e400"], "grid.gamma=inf is outside the valid range"),
    ([*GAMMAS, "--fixed", ""], "--fixed '' must be NAME=VALUE"),
    # the ranges the physics functions enforce, checked before any work (were [1, inf) etc.)
    (
        [*SUPERFLUID, *TG_FIXED, "--grid", "strength=1", "--fixed", "n_particles=100000000"],
        "fixed.n_particles=100000000 is outside the valid range [1, 1024]",
    ),
    (
        [*SUPERFLUID, *TG_FIXED[:2], "--grid", "length=4,1e6", "--fixed", "n_particles=4"],
        "grid.length=1000000.0 is outside the valid range [0.001, 100000]",
    ),
    (
        [*SUPERFLUID, *TG_FIXED, "--grid", "strength=1,1e7", "--fixed", "n_particles=4"],
        "grid.strength=10000000.0 is outside the valid range [0, 1e+06]",
    ),
    # combinations the functions refuse although each value is in range, refused up front
    (SMALL_GRID, "grid_points=64 is outside the valid range [272, 65536] given n_particles=64"),
    (
        LONG_RING,
        "length=1000.0 on grid_points=256 (the default for n_particles=8) gives a grid spacing",
    ),
    (
        [
            *LONG_RING[:6],
            "--fixed",
            "kind=speckle",
            "--grid",
            "length=4,0.001",
            "--fixed",
            "n_particles=1",
        ],
        "length=0.001 is shorter than the disorder's correlation length 0.25",
    ),
    (
        [*RANDOM, "--seed", "1", "--fixed", "realisations=5000"],
        "fixed.realisations=5000 is outside the valid range [1, 1024]",
    ),
    (["--observable", "", "--grid", "gamma=1"], "observable='' is not registered"),
    (["", *GAMMAS], "CONFIG='' must name a TOML sweep configuration file"),
    (["sweep.toml", *GAMMAS], "give either CONFIG or --observable"),
    ([""], "CONFIG='' must name a TOML sweep configuration file"),
    ([], "give a CONFIG file or --observable"),
]


@pytest.mark.parametrize(("argv", "message"), HOSTILE, ids=lambda v: " ".join(v)[-50:])
def test_bad_argument_one_line_exit_2_no_work(tmp_path, capsys, no_work, argv, message):
    output = tmp_path / "x.nc"
    assert main(["sweep", *argv, "-o", str(output), "--no-progress"]) == 2
    assert message in one_error_line(capsys)
    assert list(tmp_path.iterdir()) == []


def _file(path, content: bytes = b"not a directory"):
    path.write_bytes(content)
    return path


TOO_LONG = "a" * 235 + ".nc"  # fits as a file name; its checkpoint's temporary file does not

OUTPUTS = [
    (lambda tmp: "", "--output='' must name the NetCDF file"),
    (lambda tmp: tmp / "sweep.csv", "must end in .nc: the sweep is written as NetCDF"),
    (lambda tmp: tmp, "is a directory, not a file"),
    (lambda tmp: _file(tmp / "plain") / "x.nc", "plain' is not a directory"),
    (lambda tmp: "/proc/qgas-sweep.nc", "is not writable"),
    (lambda tmp: os.mkfifo(tmp / "f.nc") or tmp / "f.nc", "exists and is not a regular file"),
    (lambda tmp: tmp / TOO_LONG, "checkpoint.npz' is not writable: File name too long"),
    (lambda tmp: (tmp / "c.nc.checkpoint.npz").mkdir() or tmp / "c.nc", "is a directory"),
]


@pytest.mark.parametrize(("make_output", "message"), OUTPUTS)
def test_bad_output_one_line_exit_2(tmp_path, capsys, no_work, make_output, message):
    output = make_output(tmp_path)
    before = sorted(tmp_path.iterdir())
    assert main(["sweep", *GAMMAS, "-o", str(output), "--no-progress"]) == 2
    assert message in one_error_line(capsys)
    assert sorted(tmp_path.iterdir()) == before


CONFIG_FILES = [
    (lambda tmp: tmp, "is not a regular file"),
    (lambda tmp: tmp / "missing.toml", "does not exist"),
    (lambda tmp: "/dev/zero", "is not a regular file"),
    (lambda tmp: _file(tmp / "b.toml", b"\x00\xff\xfe garbage"), "is not UTF-8 text"),
    (lambda tmp: _file(tmp / "big.toml", b"#" * (2**20 + 1)), "is larger than 1048576 bytes"),
    (lambda tmp: _file(tmp / "t.toml", b"observable = \n"), "is not valid TOML"),
    (
        lambda tmp: _file(tmp / "e.toml", b'observable = "lieb_liniger.ground_state_energy"\n'),
        "grid is empty",
    ),
]


@pytest.mark.parametrize(("make_config", "message"), CONFIG_FILES)
def test_bad_config_file_one_line_exit_2(tmp_path, capsys, no_work, make_config, message):
    assert main(["sweep", str(make_config(tmp_path)), "-o", str(tmp_path / "x.nc")]) == 2
    assert message in one_error_line(capsys)
    assert not (tmp_path / "x.nc").exists()


def toml_config(tmp_path, body: str):
    path = tmp_path / "sweep.toml"
    path.write_text(
        'observable = "lieb_liniger.ground_state_energy"\noutput = "o.nc"\n'
        "[grid]\ngamma = [0.5, 1.0]\n" + body
    )
    return path


@pytest.mark.parametrize(
    ("execution", "message"),
    [
        ("workers = 0", "execution.workers=0 is outside the valid range [1, "),
        ("workers = true", "execution.workers=True is not an integer"),
        ("workers = 1.5", "execution.workers=1.5 is not an integer"),
        ("batch_size = 0", "execution.batch_size=0 is outside"),
        ("batch_size = 10_000_000", "execution.batch_size=10000000 is outside"),
        ("checkpoint_interval = nan", "execution.checkpoint_interval=nan is outside"),
        ("checkpoint_interval = inf", "execution.checkpoint_interval=inf is outside"),
        ("checkpoint_interval = -1", "execution.checkpoint_interval=-1 is outside"),
        ('checkpoint_interval = "5"', None),
    ],
)
def test_execution_settings_of_a_config_file_are_bounded(tmp_path, execution, message):
    path = toml_config(tmp_path, f"[execution]\n{execution}\n")
    if message is None:  # decimal text is a number like on the command line
        assert load_config(path, REGISTRY).execution["checkpoint_interval"] == 5.0
        return
    with pytest.raises(ValueError, match=message.replace("[", r"\[")):
        load_config(path, REGISTRY)


@pytest.mark.parametrize(
    ("description", "message"),
    [
        (r"a\u0000b", "control character U+0000 at position 1"),
        (r"\u001b[31mred", "control character U+001B at position 0"),
        (r"x\u007f", "control character U+007F"),
        (r"x\u0085", "control character U+0085"),
        ("x" * 4097, "description has 4097 characters; at most 4096"),
    ],
)
@pytest.mark.parametrize("extra", [[], ["--resume"]])
def test_a_control_character_in_the_description_is_refused_before_any_work(
    tmp_path, capsys, no_work, description, message, extra
):
    """Issue 16: a NUL in the description crashed the NetCDF writer after all the work (and
    again on --resume): the text is the file's title attribute."""
    path = toml_config(tmp_path, "")
    path.write_text(f'description = "{description}"\n' + path.read_text())
    assert main(["sweep", str(path), "--no-progress", *extra]) == 2
    assert message in one_error_line(capsys)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sweep.toml"]


def test_tabs_newlines_and_non_ascii_text_are_a_valid_description(tmp_path):
    path = toml_config(tmp_path, "")
    path.write_text('description = "E(γ)\\tfirst\\nsecond — ok"\n' + path.read_text())
    assert load_config(path, REGISTRY).description == "E(γ)\tfirst\nsecond — ok"


def test_grid_limits_are_refused_before_anything_of_that_size_is_allocated():
    def toy(grid):
        return config_from_mapping(
            {"observable": "toy.product", "output": "/o.nc", "grid": grid}, TOY_REGISTRY
        )

    side = {"start": 1, "stop": 2, "num": MAX_AXIS_POINTS}
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=r"grid.x.num=1000000000 is outside.*100000\]"):
            toy({"x": {"start": 1, "stop": 2, "num": 10**9}, "y": [1.0]})
        with pytest.raises(ValueError, match=f"= {MAX_AXIS_POINTS**2} points; at most"):
            toy({"x": side, "y": side})
        with pytest.raises(ValueError, match=f"grid.x has {MAX_AXIS_POINTS + 1} values"):
            toy({"x": [1.0] * (MAX_AXIS_POINTS + 1), "y": [1.0]})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * 2**20  # the refused grids would need 8 MB to 80 GB
    largest = toy(
        {"x": {"start": 1, "stop": 2, "num": MAX_GRID_POINTS // 10}, "y": side | {"num": 10}}
    )
    assert largest.n_tasks == MAX_GRID_POINTS


def test_observable_without_outputs_is_refused():
    silent = Registry(
        (Observable("toy.silent", "toy_sweep_observables:noisy_mean", "nothing", (), ()),)
    )
    with pytest.raises(ValueError, match=r"'toy\.silent' declares no outputs"):
        config_from_mapping({"observable": "toy.silent", "output": "o.nc"}, silent)
    with pytest.raises(ValueError, match=r"observable=\['x'\] must be a name"):
        config_from_mapping({"observable": ["x"], "output": "o.nc"}, TOY_REGISTRY)


def test_workers_limit_is_four_per_cpu():
    assert max_workers() == 4 * len(os.sched_getaffinity(0))


# --- corrupted checkpoints and outputs on --resume -------------------------------------------


def _npz(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _meta(**changes) -> str:
    """Checkpoint metadata of 3 points not yet done, with ``changes``."""
    meta = {
        "config_hash": "0" * 64,
        "results_sha256": results_digest("0" * 64, np.zeros((1, 3)), np.zeros(3, bool)),
        "started_at": "2026-01-01T00:00:00+00:00",
        "compute_seconds": 1.0,
        "sessions": 1,
    }
    return json.dumps({**meta, **changes})


def _forged_header(shape) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, dims, descr in (("values", shape, "<f8"), ("done", shape[1:], "|b1")):
            header = io.BytesIO()
            npy_format.write_array_header_1_0(
                header, {"descr": descr, "fortran_order": False, "shape": dims}
            )
            archive.writestr(f"{name}.npy", header.getvalue())
        meta = io.BytesIO()
        np.save(meta, np.array(_meta()))
        archive.writestr("meta.npy", meta.getvalue())
    return buffer.getvalue()


GOOD = _npz(values=np.zeros((1, 3)), done=np.zeros(3, bool), meta=_meta())

CORRUPT = [
    ("empty", b"", "File is not a zip file"),
    ("garbage", b"\x00\xffgarbage" * 100, "File is not a zip file"),
    ("truncated", GOOD[: len(GOOD) // 2], "File is not a zip file"),
    ("tail cut", GOOD[:-10], "File is not a zip file"),
    ("pickle", b"\x80\x04K\x01.", "File is not a zip file"),
    (
        "extra member",
        _npz(values=np.zeros((1, 3)), done=np.zeros(3, bool), meta="{}", x=1),
        "x.npy",
    ),
    ("missing member", _npz(values=np.zeros((1, 3)), meta=_meta()), "members"),
    ("float done", _npz(values=np.zeros((1, 3)), done=np.zeros(3), meta=_meta()), "wrong type"),
    ("shapes", _npz(values=np.zeros((1, 3)), done=np.zeros(4, bool), meta=_meta()), "shapes"),
    ("huge header", _forged_header((1, 10**12)), "exceed the sweep limits"),
    ("meta list", _npz(values=np.zeros((1, 3)), done=np.zeros(3, bool), meta="[1]"), "JSON obj"),
    ("meta junk", _npz(values=np.zeros((1, 3)), done=np.zeros(3, bool), meta="{"), "unreadable"),
    (
        "sessions 0",
        _npz(values=np.zeros((1, 3)), done=np.zeros(3, bool), meta=_meta(sessions=0)),
        "metadata lacks or mistypes",
    ),
    (
        "text seconds",
        _npz(values=np.zeros((1, 3)), done=np.zeros(3, bool), meta=_meta(compute_seconds="x")),
        "metadata lacks or mistypes",
    ),
    # metadata that reaches the output's attributes: crashed the NetCDF writer after all the work
    (
        "NUL in started_at",
        _npz(values=np.zeros((1, 3)), done=np.zeros(3, bool), meta=_meta(started_at="x\x00y")),
        "started_at (ISO 8601 UTC)",
    ),
    (
        "huge sessions",
        _npz(values=np.zeros((1, 3)), done=np.zeros(3, bool), meta=_meta(sessions=10**30)),
        f"sessions (1 to {MAX_SESSIONS})",
    ),
    (
        "no checksum",
        _npz(values=np.zeros((1, 3)), done=np.zeros(3, bool), meta=_meta(results_sha256=None)),
        "no checksum of its results",
    ),
]


@pytest.mark.parametrize(
    ("content", "reason"), [c[1:] for c in CORRUPT], ids=[c[0] for c in CORRUPT]
)
def test_corrupted_checkpoint_on_resume_one_line_exit_2(tmp_path, capsys, no_work, content, reason):
    output = tmp_path / "e.nc"
    _file(checkpoint_path(output), content)
    assert main(["sweep", *GAMMAS, "-o", str(output), "--resume", "--no-progress"]) == 2
    err = one_error_line(capsys)
    assert "is unreadable (" in err and reason in err and "pass --force" in err
    with pytest.raises(ValueError, match="is unreadable"):
        load_checkpoint(checkpoint_path(output))


def test_checkpoint_of_another_shape_with_the_same_hash_is_refused(tmp_path):
    config = config_from_mapping(
        {
            "observable": "toy.product",
            "output": str(tmp_path / "p.nc"),
            "grid": {"x": [1, 2]},
            "fixed": {"y": 1},
        },
        TOY_REGISTRY,
    )
    values, done = np.zeros((1, 5)), np.zeros(5, bool)
    digest = results_digest(config.config_hash, values, done)
    forged = _npz(
        values=values,
        done=done,
        meta=_meta(config_hash=config.config_hash, results_sha256=digest),
    )
    _file(checkpoint_path(config.output), forged)
    with pytest.raises(ValueError, match="written by a different configuration"):
        prepare_sweep(config, resume=True)


def _finished_checkpoint(output, monkeypatch, capsys) -> list[str]:
    """The CLI arguments of a sweep of e(gamma) over GAMMAS to ``output``, after a run that
    was interrupted while writing the output, so its checkpoint holds every point."""
    argv = ["sweep", *GAMMAS, "-o", str(output), "--no-progress", "--workers", "1"]
    with monkeypatch.context() as patch:
        patch.setattr(runner, "write_dataset", _interrupted_write)
        assert main(argv) == 130
    capsys.readouterr()
    return argv


def _interrupted_write(dataset, path):
    raise KeyboardInterrupt


def _set_nan(values, done):
    values[0, 1] = np.nan


def _set_zero(values, done):
    values[0, 1] = 0.0


def _unset_done(values, done):
    done[1] = False


@pytest.mark.parametrize("tamper", [_set_nan, _set_zero, _unset_done])
def test_a_checkpoint_changed_after_it_was_written_is_refused_on_resume(
    tmp_path, capsys, monkeypatch, tamper
):
    """Issue: a finished value overwritten with NaN (or anything) was merged into the output
    on --resume as if computed. The saved arrays are rewritten with the metadata unchanged."""
    output = tmp_path / "e.nc"
    argv = _finished_checkpoint(output, monkeypatch, capsys)
    checkpoint = checkpoint_path(output)
    with np.load(checkpoint) as data:
        values, done, meta = data["values"].copy(), data["done"].copy(), data["meta"]
    assert done.all() and np.isfinite(values).all()
    tamper(values, done)
    checkpoint.write_bytes(_npz(values=values, done=done, meta=meta))
    before = checkpoint.read_bytes()
    assert main([*argv, "--resume"]) == 2
    err = one_error_line(capsys)
    assert f"checkpoint {str(checkpoint)!r} was changed after it was written" in err
    assert "pass --force" in err
    assert not output.exists() and checkpoint.read_bytes() == before
    assert main([*argv, "--force"]) == 0
    assert np.isfinite(open_sweep(output)["energy"].values).all()


def test_an_untouched_checkpoint_resumes(tmp_path, capsys, monkeypatch):
    output = tmp_path / "e.nc"
    argv = _finished_checkpoint(output, monkeypatch, capsys)
    assert main([*argv, "--resume"]) == 0
    assert "(0 evaluated now, 3 resumed)" in capsys.readouterr().out


def _output_without_variables(path, config_hash):
    xr.Dataset(attrs={"config_hash": config_hash}).to_netcdf(path, engine="h5netcdf")


def test_existing_output_on_resume_must_be_the_complete_sweep(tmp_path, capsys):
    output = tmp_path / "e.nc"
    argv = ["sweep", *GAMMAS, "-o", str(output), "--resume", "--no-progress", "--workers", "1"]
    assert main(argv) == 0
    capsys.readouterr()
    config_hash = open_sweep(output).attrs["config_hash"]
    assert main(argv) == 0 and "already complete" in capsys.readouterr().out
    _output_without_variables(output, config_hash)
    assert main(argv) == 2
    assert "has dimensions (none), not the grid's {'gamma': 3}" in one_error_line(capsys)
    xr.Dataset({"other": ("gamma", [1.0, 2, 3])}, attrs={"config_hash": config_hash}).to_netcdf(
        output, engine="h5netcdf"
    )
    assert main(argv) == 2
    assert "lacks the data variable(s) energy" in one_error_line(capsys)
    for content in (b"", b"junk" * 100):
        _file(output, content)
        assert main(argv) == 2
        assert "is not a readable NetCDF sweep file" in one_error_line(capsys)
    assert main([*argv, "--force"]) == 0
    assert open_sweep(output)["energy"].shape == (3,)


# --- file modes and interruptions ------------------------------------------------------------


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_output_and_checkpoint_respect_the_umask(tmp_path, umask):
    previous = os.umask(umask)
    try:
        with atomic_output(tmp_path / "f.bin") as temporary:
            temporary.write_bytes(b"x")
        output = tmp_path / "p.nc"
        config = config_from_mapping(
            {
                "observable": "toy.product",
                "output": str(output),
                "grid": {"x": [2.0, 13.0]},
                "fixed": {"y": 1.0},
            },
            TOY_REGISTRY,
        )
        with pytest.raises(TaskFailed, match="unlucky"):
            run_sweep(prepare_sweep(config), batch_size=1, progress=False)
        config = config_from_mapping(
            {
                "observable": "toy.product",
                "output": str(tmp_path / "q.nc"),
                "grid": {"x": [2.0]},
                "fixed": {"y": 1.0},
            },
            TOY_REGISTRY,
        )
        run_sweep(prepare_sweep(config), progress=False)
    finally:
        os.umask(previous)
    for name in ("f.bin", "p.nc.checkpoint.npz", "q.nc"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o666 & ~umask, name
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


class _InterruptAtStart(SerialExecutor):
    def run(self, function, n_outputs, batches):
        raise KeyboardInterrupt
        yield  # a generator, like every executor


def test_ctrl_c_before_the_first_point_says_nothing_was_saved(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(executors, "make_executor", lambda *a, **k: _InterruptAtStart())
    output = tmp_path / "e.nc"
    assert main(["sweep", *GAMMAS, "-o", str(output), "--no-progress"]) == 130
    err = capsys.readouterr().err
    assert "nothing was saved" in err and "nothing to resume" in err and "--resume" not in err
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_while_writing_the_dataset_keeps_every_finished_point(tmp_path, capsys, monkeypatch):
    output = tmp_path / "e.nc"

    def interrupted_write(dataset, path):
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "write_dataset", interrupted_write)
    argv = ["sweep", *GAMMAS, "-o", str(output), "--no-progress", "--workers", "1"]
    assert main(argv) == 130
    err = capsys.readouterr().err
    assert f"3/3 finished grid points are saved in {checkpoint_path(output)}" in err
    assert load_checkpoint(checkpoint_path(output)).done.all()
    monkeypatch.undo()
    assert main([*argv, "--resume"]) == 0
    assert "(0 evaluated now, 3 resumed)" in capsys.readouterr().out


def test_run_sweep_refuses_a_nan_checkpoint_interval(tmp_path):
    config = config_from_mapping(
        {
            "observable": "toy.product",
            "output": str(tmp_path / "p.nc"),
            "grid": {"x": [1.0]},
            "fixed": {"y": 1.0},
        },
        TOY_REGISTRY,
    )
    for interval in (float("nan"), float("inf"), -1.0):
        with pytest.raises(ValueError, match=r"checkpoint_interval=.* is outside the valid range"):
            run_sweep(prepare_sweep(config), checkpoint_interval=interval, progress=False)
    with pytest.raises(ValueError, match="batch_size=0 is outside"):
        run_sweep(prepare_sweep(config), batch_size=0, progress=False)
    assert not (tmp_path / "p.nc").exists()


def test_a_second_sweep_to_the_same_output_is_refused_while_the_first_runs(tmp_path, capsys):
    """QA: two sweeps started together on one output both printed 'wrote …' and exited 0,
    while the file held only the second's results. The lock is held from before the checks
    until the file is written, and leaves nothing behind."""
    from qgas.sweeps.files import one_writer

    output = tmp_path / "same.nc"
    argv = ["sweep", *GAMMAS, "-o", str(output), "--no-progress", "--workers", "1"]
    with one_writer(output):  # the first sweep, still running
        assert main(argv) == 2
        assert "is being written by another qgas command" in one_error_line(capsys)
        assert not output.exists()
    assert main(argv) == 0
    assert [path.name for path in tmp_path.iterdir()] == ["same.nc"]


def test_a_sweep_file_states_its_source_units_and_ascii_flag_meanings(tmp_path):
    """QA: the file named no paper or equation and no unit convention ('n^2', '1/n' mean
    nothing without ħ = 2m = 1, n = 1), and CF's flag_meanings held 'ω'."""
    from qgas.sweeps.observables import REGISTRY

    output = tmp_path / "state.nc"
    argv = [
        "--observable",
        "lattice.state",
        "--grid",
        "U_over_ER=0:40:3",
        "--grid",
        "TD_over_EK=0:40:3",
    ]
    assert main(["sweep", *argv, "-o", str(output), "--no-progress", "--workers", "1"]) == 0
    with xr.open_dataset(output, engine="h5netcdf") as dataset:
        assert dataset.attrs["source"].startswith(REGISTRY["lattice.state"].doc)
        assert "hbar = 2m" in dataset.attrs["units_convention"]
        meanings = dataset["state"].attrs["flag_meanings"].split()
    assert len(meanings) == len(dataset["state"].attrs["category_labels"].split("; "))
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", word) for word in meanings), meanings
    assert "crossover_T_D_approx_omega" in meanings
