"""``qgas sweep`` never writes inside the package's shipped ``assets/`` (issue 16: ``-o
assets/series/lieb-liniger.json --force`` replaced a shipped table with a NetCDF file): any
output or checkpoint there, symlinks resolved, is refused with one line and exit 2 before any
work, before even the writability probe."""

from __future__ import annotations

import pytest

import physics.series._tables as tables
import qgas.sweeps.executors as executors
import qgas.sweeps.files as files
import qgas.sweeps.runner as runner
from qgas.cli import main

GAMMAS = ["--observable", "lieb_liniger.ground_state_energy", "--grid", "gamma=0.5,1"]


@pytest.fixture
def assets(tmp_path, monkeypatch):
    """A stand-in shipped directory with a table and a lesson; any work or probe fails."""
    root = tmp_path / "assets"
    (root / "series").mkdir(parents=True)
    (root / "lessons").mkdir()
    (root / "series" / "lieb-liniger.json").write_text('{"order": 100}\n')
    monkeypatch.setattr(files, "shipped_directory", lambda: root)

    def refuse(*args, **kwargs):
        raise AssertionError("work or a write started before the output was checked")

    monkeypatch.setattr(executors, "make_executor", refuse)
    monkeypatch.setattr(runner, "run_sweep", refuse)
    monkeypatch.setattr(files, "_create_temporary", refuse)
    return root


def snapshot(root):
    return {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(
    "where",
    ["series/lieb-liniger.json", "x.nc", "lessons/new.nc", "series/new.nc", "link/x.nc", "ln.nc"],
)
@pytest.mark.parametrize("extra", [[], ["--force"], ["--resume"]])
def test_an_output_inside_the_shipped_directory_is_refused(tmp_path, assets, capsys, where, extra):
    (tmp_path / "link").symlink_to(assets / "series")  # a directory link into assets/
    (tmp_path / "ln.nc").symlink_to(assets / "lessons" / "ln.nc")  # a file link into it
    output = tmp_path / where if where.startswith(("link", "ln")) else assets / where
    before = snapshot(assets)
    assert main(["sweep", *GAMMAS, "-o", str(output), "--no-progress", *extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith("qgas sweep: error: output=") and err.count("\n") == 1, err
    assert "is inside the shipped directory" in err
    assert snapshot(assets) == before


def test_the_shipped_directory_is_the_one_holding_the_tables():
    assert tables.table_path("lieb-liniger").resolve().parent.parent == files.shipped_directory()
    assert files.is_shipped(tables.table_path("gaudin-yang"))
    assert not files.is_shipped(files.shipped_directory().parent / "docs" / "sweeps" / "x.nc")
