"""No session can request an unbounded computation: every numeric view parameter is bounded.

The bounds are declared once, on each view's parameters (the single source: the widgets take
their range from them and the URL check refuses values outside them, ``dashboard.assembly``);
``docs/serving.md`` lists them with the reason for each size limit.
"""

from __future__ import annotations

import math

import param
import pytest

from dashboard.views import VIEWS, load_view_class


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
    low, high = parameter.bounds
    assert low is not None and math.isfinite(low), f"{slug}.{name} bounds {parameter.bounds}"
    assert high is not None and math.isfinite(high), f"{slug}.{name} bounds {parameter.bounds}"
