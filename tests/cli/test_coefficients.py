"""``qgas coefficients``: writes a certified table with provenance to a user location; never
replaces a shipped table unasked or by a lower order; refuses every bad argument up front."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import mpmath
import pytest

import physics.series._generate as generate
import physics.series._tables as tables
import qgas.sweeps.files as files
from qgas.cli import main
from qgas.commands.coefficients import MAX_DPS, MAX_ORDER, minimum_dps

MODELS = ("lieb-liniger", "gaudin-yang")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def shipped_digests():
    """Hashes of the real shipped tables before the test; compared again after it."""
    before = {model: digest(tables.table_path(model)) for model in MODELS}
    yield before
    assert {model: digest(tables.table_path(model)) for model in MODELS} == before


@pytest.fixture
def data_home(tmp_path, monkeypatch):
    home = tmp_path / "data-home"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


@pytest.fixture
def fake_shipped(tmp_path, monkeypatch):
    """A stand-in shipped ``assets/`` directory: its ``series`` directory is returned."""
    directory = tmp_path / "shipped" / "series"
    directory.mkdir(parents=True)
    real = tables.table_path
    monkeypatch.setattr(tables, "table_path", lambda model, d=None: real(model, d or directory))
    monkeypatch.setattr(files, "shipped_directory", lambda: directory.parent)
    return directory


def test_writes_a_table_with_provenance(tmp_path, capsys):
    output = tmp_path / "gy.json"
    code = main(
        [
            "coefficients",
            "--model",
            "gaudin-yang",
            "--order",
            "8",
            "--dps",
            "45",
            "--check-dps",
            "38",
            "--output",
            str(output),
        ]
    )
    assert code == 0
    hint = "run the same command with --replace-shipped instead of --output"
    assert capsys.readouterr().err.rstrip().endswith(hint)
    table = json.loads(output.read_text())
    assert table["model"] == "gaudin-yang" and table["order"] == 8
    assert len(table["coefficients"]) == len(table["digits_verified"]) == 9
    provenance = table["provenance"]
    assert [run["dps"] for run in provenance["runs"]] == [45, 38]
    assert [run["log_b_substitute"] for run in provenance["runs"]] == ["-log(4)", "0.5"]
    assert provenance["digits_verified_min"] == min(table["digits_verified"]) >= 30
    for key in ("method", "package_version", "date_utc", "command"):
        assert provenance[key]
    with mpmath.workdps(50):
        # Eq. (30): e_F = π²/12 − γ/2 − γ²/12 − ζ(3)γ³/π⁴ − …
        c = [mpmath.mpf(s) for s in table["coefficients"][:4]]
        assert abs(c[0] - mpmath.pi**2 / 12) < mpmath.mpf(10) ** -30
        assert c[1] == mpmath.mpf(-1) / 2 or abs(c[1] + mpmath.mpf(1) / 2) < 1e-30
        assert abs(c[3] + mpmath.zeta(3) / mpmath.pi**4) < mpmath.mpf(10) ** -30


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_default_output_is_the_user_data_directory_with_umask_permissions(
    data_home, shipped_digests, capsys, umask
):
    previous = os.umask(umask)
    try:
        assert main(["coefficients", "--model", "lieb-liniger", "--order", "3"]) == 0
    finally:
        os.umask(previous)
    written = data_home / "qgas" / "series" / "lieb-liniger.json"
    assert json.loads(written.read_text())["order"] == 3
    assert written.stat().st_mode & 0o777 == 0o666 & ~umask
    err = capsys.readouterr().err
    assert str(written) in err
    # issue 16: the physics reads only the shipped table; the command says so, and how
    assert f"read only the shipped table {tables.table_path('lieb-liniger')}" in err
    # issue: the hint said "instead of --output" though no --output was given
    assert err.rstrip().endswith("run the same command with --replace-shipped")
    assert [p.name for p in written.parent.iterdir()] == ["lieb-liniger.json"]  # no temp left


def test_without_xdg_data_home_the_table_goes_under_home(tmp_path, monkeypatch, shipped_digests):
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert main(["coefficients", "--model", "gaudin-yang", "--order", "2"]) == 0
    assert (tmp_path / ".local/share/qgas/series/gaudin-yang.json").is_file()


def run_order(order: int, *extra: str) -> int:
    return main(["coefficients", "--model", "lieb-liniger", "--order", str(order), *extra])


def test_shipped_table_is_replaced_only_with_the_flag_and_never_silently_by_a_lower_order(
    fake_shipped, data_home, capsys
):
    shipped = fake_shipped / "lieb-liniger.json"
    assert run_order(6, "--output", str(shipped)) == 2
    assert "--replace-shipped" in capsys.readouterr().err and not shipped.exists()
    assert run_order(6, "--replace-shipped") == 0
    original = shipped.read_bytes()
    for refused in (
        ["--output", str(shipped)],  # explicit path, no flag
        ["--replace-shipped"],  # lower order, no --allow-lower-order
        ["--replace-shipped", "--output", str(data_home / "elsewhere.json")],
        ["--replace-shipped", "--output", str(fake_shipped / "other.json")],
    ):
        capsys.readouterr()
        assert run_order(4, *refused) == 2, refused
        assert len(capsys.readouterr().err.splitlines()) == 1
        assert shipped.read_bytes() == original
    assert not (fake_shipped / "other.json").exists()
    assert run_order(4, "--replace-shipped", "--allow-lower-order") == 0
    assert json.loads(shipped.read_text())["order"] == 4
    assert run_order(7, "--replace-shipped") == 0  # a higher order needs no extra flag
    assert json.loads(shipped.read_text())["order"] == 7


def test_a_refused_shipped_output_is_never_written_not_even_probed(
    fake_shipped, data_home, monkeypatch, capsys
):
    """Issue 16: the writability probe (a file created and removed beside the output) ran
    before the shipped check, so a refused `--output assets/series/x.json` wrote there."""
    probes = []
    create = files._create_temporary
    monkeypatch.setattr(
        files, "_create_temporary", lambda path: probes.append(path) or create(path)
    )
    monkeypatch.setattr(generate, "run_generation", None)  # any call would fail loudly
    assets = fake_shipped.parent
    (assets / "lessons").mkdir()
    (assets.parent / "link").symlink_to(fake_shipped)
    for output in (
        fake_shipped / "x.json",
        fake_shipped / "lieb-liniger.json",
        assets / "lessons" / "new.json",
        assets / "x.json",
        assets.parent / "link" / "x.json",  # a symlink into the shipped directory
    ):
        assert run_order(3, "--output", str(output)) == 2, output
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "is inside the shipped directory" in err, err
    assert probes == []
    assert sorted(p.name for p in assets.rglob("*")) == ["lessons", "series"]
    # QA: --replace-shipped over a table it must not replace (there: of higher order; here:
    # not a table) was refused after the probe had created and removed a file in the shipped
    # directory (its modification time changed)
    (fake_shipped / "lieb-liniger.json").write_text(json.dumps({"order": 6}))
    assert run_order(3, "--replace-shipped") == 2
    assert "is not a coefficient table" in capsys.readouterr().err
    assert probes == []


def test_a_lower_order_never_silently_replaces_a_user_table(data_home, capsys):
    assert run_order(5) == 0
    table = data_home / "qgas" / "series" / "lieb-liniger.json"
    before = table.read_bytes()
    assert run_order(3) == 2
    assert "lower than the order 5" in capsys.readouterr().err
    assert table.read_bytes() == before
    assert run_order(5) == 0  # the same order is a regeneration


def test_order_zero_is_valid(tmp_path):
    output = tmp_path / "c0.json"
    assert run_order(0, "--output", str(output)) == 0
    assert json.loads(output.read_text())["coefficients"][0].startswith("1.000")  # e = γ + …


def _file(path: Path, text: str = "my notes\n") -> Path:
    path.write_text(text)
    return path


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _other_model_table(path: Path) -> Path:
    return _file(path, json.dumps({"model": "gaudin-yang", "order": 9}))


TOO_LONG = "a" * 250 + ".json"

# (arguments after --model lieb-liniger, text the one line must contain)
HOSTILE = [
    (["--order", "-1"], "--order=-1 is outside the valid range [0, 150]"),
    (["--order", ""], "--order='' is not an integer; valid range [0, 150]"),
    (["--order", "abc"], "--order='abc' is not an integer"),
    (["--order", "1.5"], "--order='1.5' is not an integer"),
    (["--order", "nan"], "--order='nan' is not an integer"),
    (["--order", "100000"], "--order=100000 is outside the valid range [0, 150]"),
    (["--order", "9" * 5000], "is not an integer; valid range [0, 150]"),
    (["--order", str(MAX_ORDER + 1)], f"--order={MAX_ORDER + 1} is outside"),
    (["--order", "3", "--dps", "5"], "--dps=5 is outside the valid range [18, 500] at --order=3"),
    (["--order", "3", "--dps", "1000000000"], "--dps=1000000000 is outside the valid range"),
    (["--order", "3", "--dps", "nan"], "--dps='nan' is not an integer"),
    (["--order", "3", "--dps", ""], "--dps='' is not an integer"),
    (["--order", "3", "--dps", "-50"], "--dps=-50 is outside"),
    (["--order", "3", "--check-dps", "0"], "--check-dps=0 is outside the valid range [18, 500]"),
    (["--order", "3", "--log-b", "abc"], "--log-b='abc' is not allowed; valid: -log(4) or a"),
    (["--order", "3", "--log-b", "nan"], "--log-b='nan' is not allowed; valid"),
    (["--order", "3", "--log-b", "inf"], "--log-b='inf' is not allowed; valid"),
    (["--order", "3", "--log-b=-inf"], "--log-b='-inf' is not allowed"),
    (["--order", "3", "--log-b", ""], "--log-b='' is not allowed"),
    (["--order", "3", "--log-b", "1e999"], "--log-b='1e999' is not allowed; valid"),
    (["--order", "3", "--log-b", "11"], "decimal number in [-10, 10]"),
    (["--order", "3", "--log-b", "[1 +/- 2]"], "--log-b='[1 +/- 2]' is not allowed"),
    (["--order", "3", "--check-log-b", "nan"], "--check-log-b='nan' is not allowed"),
    (
        ["--order", "3", "--dps", "40", "--check-dps", "40", "--check-log-b=-log(4)"],
        "must differ from the main run",
    ),
    (["--order", "3", "--model", "bogus"], "--model='bogus' is not one of lieb-liniger"),
    (["--order", "3", "--model", ""], "--model='' is not one of"),
]


@pytest.mark.parametrize(("argv", "message"), HOSTILE, ids=lambda v: repr(v)[:60])
def test_bad_argument_one_line_exit_2_no_work(
    tmp_path, data_home, shipped_digests, monkeypatch, capsys, argv, message
):
    def no_generation(*args, **kwargs):
        raise AssertionError("generation started before the arguments were checked")

    monkeypatch.setattr(generate, "run_generation", no_generation)
    assert main(["coefficients", "--model", "lieb-liniger", *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("qgas coefficients: error: ")
    assert message in err
    assert not data_home.exists()
    assert list(tmp_path.iterdir()) == []


OUTPUTS = [
    (lambda tmp: tmp, "is a directory"),
    (lambda tmp: "", "--output='' must name a JSON file"),
    (lambda tmp: _file(tmp / "plain") / "x.json", "plain' is not a directory"),
    (lambda tmp: _file(tmp / "plain") / "sub" / "x.json", "plain/sub' does not exist"),
    (lambda tmp: Path("/proc/qgas-table.json"), "is not writable"),
    (lambda tmp: _fifo(tmp / "fifo"), "exists and is not a regular file"),
    (lambda tmp: _file(tmp / "notes.txt"), "exists and is not a coefficient table"),
    (lambda tmp: _file(tmp / "broken.json", "[" * 100), "exists and is not a coefficient table"),
    (lambda tmp: _other_model_table(tmp / "gy.json"), "holds the gaudin-yang table"),
    (lambda tmp: tmp / TOO_LONG, "File name too long"),
    (lambda tmp: tmp / "missing" / "dir" / "x.json", "dir' does not exist"),
    (lambda tmp: tables.table_path("lieb-liniger"), "is inside the shipped directory"),
    (lambda tmp: tables.table_path("gaudin-yang"), "is inside the shipped directory"),
]


@pytest.mark.parametrize(("make_output", "message"), OUTPUTS)
def test_bad_output_one_line_exit_2_nothing_changed(
    tmp_path, data_home, shipped_digests, monkeypatch, capsys, make_output, message
):
    output = make_output(tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    monkeypatch.setattr(generate, "run_generation", None)  # any call would fail loudly
    assert run_order(3, "--output", str(output)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("qgas coefficients: error: --output")
    assert message in err
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_limits_are_consistent():
    """The default precisions lie inside the accepted range at every order."""
    for order in (0, 1, 50, MAX_ORDER):
        low = minimum_dps(order)
        assert 15 <= low < generate.default_dps(order) < generate.default_dps(order) + 20 <= MAX_DPS


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--log-b", "-log(4)"], "-log(4)"),  # the form the help names: was an argparse error
        (["--log-b=-log(4)"], "-log(4)"),  # the form the help prints
        (["--log-b", "-0.5"], "-0.5"),
        (["--log-b", "-log(4)", "--check-log-b", "-0.25"], "-log(4)"),
    ],
)
def test_a_log_b_starting_with_a_minus_is_a_value(tmp_path, data_home, monkeypatch, argv, expected):
    seen = []

    def stop(model, order, dps, log_b):
        seen.append(log_b)
        raise KeyboardInterrupt  # the arguments were accepted; no generation needed

    monkeypatch.setattr(generate, "run_generation", stop)
    base = ["coefficients", "--model", "lieb-liniger", "--order", "3"]
    assert main([*base, *argv, "--output", str(tmp_path / "t.json")]) == 130  # interrupted
    assert seen == [expected]


def test_help_shows_the_attached_form(capsys):
    with pytest.raises(SystemExit):
        main(["coefficients", "--help"])
    assert "--log-b=-log(4)" in " ".join(capsys.readouterr().out.split())
