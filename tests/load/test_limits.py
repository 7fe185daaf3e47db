"""No session can request an unbounded computation: view parameters versus dashboard.limits."""

from __future__ import annotations

import math

import param
import pytest

from dashboard import limits
from dashboard.views import VIEWS, load_view_class

#: View parameter name -> the limit that caps it (sizes a user can set).
SIZE_PARAMETERS = {
    "n_particles": "particles",
    "length": "ring_length",
    "realisations": "realisations",
    "weak_order": "series_order",
    "strong_order": "series_order",
    "pade_order": "pade_order",
    "points": "grid_points",
}


def numeric_parameters():
    for slug in VIEWS:
        view_class = load_view_class(slug)
        for name in view_class.own_parameters():
            parameter = view_class.param[name]
            if isinstance(parameter, param.Number):  # Integer is a Number
                yield slug, name, parameter


@pytest.mark.parametrize(("slug", "name", "parameter"), list(numeric_parameters()))
def test_every_numeric_view_parameter_has_a_finite_upper_bound(slug, name, parameter):
    assert parameter.bounds is not None, f"{slug}.{name} has no bounds"
    high = parameter.bounds[1]
    assert high is not None and math.isfinite(high), f"{slug}.{name} bounds {parameter.bounds}"
    if name in SIZE_PARAMETERS:
        limit = limits.LIMITS[SIZE_PARAMETERS[name]]
        assert high <= limit.maximum, f"{slug}.{name} allows {high} > {limit}"


def test_check_names_parameter_value_and_limit():
    limits.check("particles", "n_particles", 64)
    with pytest.raises(ValueError, match=r"n_particles=1000 exceeds the server limit 'particles'"):
        limits.check("particles", "n_particles", 1000)
    with pytest.raises(ValueError, match="at most 64"):
        limits.check("particles", "n_particles", float("nan"))
    with pytest.raises(ValueError, match="limit='atoms' is not defined"):
        limits.check("atoms", "n", 1)


def test_every_limit_is_described_with_its_maximum():
    for name, limit in limits.LIMITS.items():
        assert limit.maximum >= 1
        assert f"at most {limit.maximum}" in limits.describe(name)
