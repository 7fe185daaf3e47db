"""The notebook tutorial (docs/notebook.md) runs as written: every Python block, in order.

Issue 19 §4. The blocks run in one namespace (as the cells of one notebook) in a temporary
directory; their own assertions compare independent routes (Bethe ansatz against the
strong-coupling series, the weak-coupling partial sum against the exact energy) and the
saved files are read back here.
"""

from __future__ import annotations

import re
from pathlib import Path

import xarray as xr

TUTORIAL = Path(__file__).resolve().parents[2] / "docs" / "notebook.md"


def code_blocks(text: str) -> list[str]:
    """The ```python blocks of a Markdown text, in order."""
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)


def test_the_tutorial_has_a_block_per_topic():
    blocks = code_blocks(TUTORIAL.read_text(encoding="utf-8"))
    text = "\n".join(blocks)
    assert len(blocks) >= 5
    for call in ("ground_state_energy", "partial_sum", "averaged_decay", "to_netcdf", "save("):
        assert call in text


def test_every_block_runs_and_saves_a_figure_and_a_dataset(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "__notebook__"}
    for number, block in enumerate(code_blocks(TUTORIAL.read_text(encoding="utf-8")), 1):
        exec(compile(block, f"docs/notebook.md block {number}", "exec"), namespace)
    page = (tmp_path / "energy.html").read_text(encoding="utf-8")
    assert "Bethe ansatz" in page and "cdn.bokeh.org/bokeh/release" not in page
    dataset = xr.load_dataset(tmp_path / "energy.nc", engine="h5netcdf")
    assert dataset["e"].attrs["units"] == "ħ = 2m = 1"
    assert dataset.sizes["gamma"] == 60
