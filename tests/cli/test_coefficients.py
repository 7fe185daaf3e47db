"""``qgas coefficients``: writes a certified table with provenance; refuses bad settings."""

from __future__ import annotations

import json

import mpmath

from qgas.cli import main


def test_writes_a_table_with_provenance(tmp_path):
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


def test_refuses_a_negative_order_and_an_identical_check_run(tmp_path, capsys):
    output = tmp_path / "x.json"
    base = ["coefficients", "--model", "lieb-liniger", "--output", str(output)]
    assert main([*base, "--order", "-1"]) == 2
    same = ["--order", "4", "--dps", "40", "--check-dps", "40", "--check-log-b=-log(4)"]
    assert main([*base, *same]) == 2
    assert not output.exists()
    assert "differ" in capsys.readouterr().err
