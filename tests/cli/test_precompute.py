"""``qgas precompute --only``: writes just the named tables, each with provenance; refuses a
name that is not a table and lists the valid ones (the repulsive resurgence table among them)."""

from __future__ import annotations

import json

from physics import resurgence_repulsive
from qgas.cli import main


def test_only_writes_the_named_table_with_its_provenance(tmp_path, monkeypatch):
    """The generator is replaced by a stub (the real one takes ~12 minutes): what is checked is
    the command's plumbing, that --only writes that table alone and what it adds to it."""
    stub = {"gammas": [0.1], "rows": [], "seconds": {"gamma=0.1": 1.5}}
    monkeypatch.setattr(resurgence_repulsive, "compute_table", lambda: dict(stub))
    arguments = ["--output-dir", str(tmp_path), "--only", "resurgence-repulsive.json"]
    assert main(["precompute", *arguments]) == 0
    assert [path.name for path in tmp_path.iterdir()] == ["resurgence-repulsive.json"]
    table = json.loads((tmp_path / "resurgence-repulsive.json").read_text(encoding="utf-8"))
    assert table["gammas"] == [0.1] and "seconds" not in table
    provenance = table["provenance"]
    assert provenance["command"].startswith("qgas precompute")
    assert provenance["wall_seconds"] == {"gamma=0.1": 1.5}
    assert "40 digits" in provenance["method"]


def test_an_unknown_table_is_refused_with_the_valid_names(tmp_path, capsys):
    assert main(["precompute", "--output-dir", str(tmp_path), "--only", "resurgence.json"]) == 2
    message = capsys.readouterr().err
    assert "--only='resurgence.json' is not a table" in message
    assert "resurgence-repulsive.json" in message and "resurgence-sums.json" in message
    assert list(tmp_path.iterdir()) == []


def test_bad_arguments_get_the_one_error_format_of_every_command(tmp_path, capsys):
    # `qgas <command>: error: <what>` as argparse and the other commands write it (was
    # `qgas precompute: --strong-order=...` without "error:")
    a_file = tmp_path / "file"
    a_file.write_text("")
    cases = [
        (
            ["--output-dir", str(tmp_path), "--strong-order", "100000"],
            "--strong-order=100000 is outside the valid range [0, ",
        ),
        (["--output-dir", str(a_file)], f"--output-dir={a_file} is not a directory"),
        (["--output-dir", str(tmp_path / "d"), "--only", "x.json"], "--only='x.json' is not"),
    ]
    for argv, message in cases:
        assert main(["precompute", *argv]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"qgas precompute: error: {message}") and err.count("\n") == 1, err


def test_a_lower_strong_order_never_silently_replaces_a_table(tmp_path, monkeypatch, capsys):
    """Issue 16: `--strong-order 2` replaced the order-20 table without a word; like
    `qgas coefficients`, a lower order needs --allow-lower-order."""
    import physics.strong_coupling as strong_coupling

    table = tmp_path / "strong-coupling.json"
    table.write_text(json.dumps({"order": 20, "models": {}}))
    before = table.read_bytes()
    compute = strong_coupling.strong_coupling_coefficients

    def refuse(*args, **kwargs):
        raise AssertionError("computed before the order was checked")

    monkeypatch.setattr(strong_coupling, "strong_coupling_coefficients", refuse)
    only = ["--output-dir", str(tmp_path), "--only", "strong-coupling.json"]
    for order in ("2", "19", "0"):
        assert main(["precompute", *only, "--strong-order", order]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith(
            f"qgas precompute: error: --strong-order={order} is lower than the order 20"
        )
        assert "--allow-lower-order" in err and table.read_bytes() == before
    table.write_text("[1, 2]")
    assert main(["precompute", *only, "--strong-order", "2"]) == 2
    assert "is not a strong-coupling table" in capsys.readouterr().err
    table.write_text(json.dumps({"order": 2}))
    monkeypatch.setattr(strong_coupling, "strong_coupling_coefficients", compute)
    assert main(["precompute", *only, "--strong-order", "3"]) == 0  # higher: no flag needed
    assert json.loads(table.read_text())["order"] == 3
    assert main(["precompute", *only, "--strong-order", "1", "--allow-lower-order"]) == 0
    assert json.loads(table.read_text())["order"] == 1
    assert [path.name for path in tmp_path.iterdir()] == ["strong-coupling.json"]


def test_a_refused_command_creates_no_directory(tmp_path, capsys):
    missing = tmp_path / "new" / "dir"
    assert main(["precompute", "--output-dir", str(missing), "--only", "x.json"]) == 2
    assert "--only='x.json' is not a table" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_the_shipped_tables_are_replaced_only_with_replace_shipped(tmp_path, monkeypatch, capsys):
    """QA: `--output-dir assets/series/../series --only strong-coupling.json` rewrote the
    shipped table the dashboard reads (`qgas coefficients` needs --replace-shipped for its
    tables, `qgas sweep` refuses assets/ always); nothing is touched by the refusal."""
    from qgas.sweeps.files import shipped_directory

    series = shipped_directory() / "series"
    shipped = series / "strong-coupling.json"
    before = (shipped.read_bytes(), shipped.stat().st_mtime_ns)
    for directory in (series, series / ".." / "series"):
        argv = ["precompute", "--output-dir", str(directory), "--only", "strong-coupling.json"]
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "is inside the shipped directory" in err and "--replace-shipped" in err
    assert (shipped.read_bytes(), shipped.stat().st_mtime_ns) == before
    stub = {"gammas": [], "rows": [], "seconds": {}}
    monkeypatch.setattr(resurgence_repulsive, "compute_table", lambda: dict(stub))
    argv = ["--output-dir", str(tmp_path), "--only", "resurgence-repulsive.json"]
    assert main(["precompute", *argv]) == 0  # elsewhere, as before
