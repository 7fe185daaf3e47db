"""The ``Examples`` sections of the physics docstrings run as written (doctest, as mpmath's).

Issue 19 §4. Every module of ``physics/`` is searched for examples and every example is run;
the functions the tutorial (``docs/notebook.md``) starts from must carry one. The examples
compare independent routes (Bethe ansatz against a series, two polaron routes), so a wrong
result fails here as well as a stale output.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import physics

#: Public functions that must show how they are called (the tutorial's entry points).
WITH_EXAMPLES = (
    "physics.lieb_liniger.ground_state_energy",
    "physics.gaudin_yang.ground_state_energy",
    "physics.strong_coupling.strong_coupling_energy",
    "physics.polaron.inverse_mass_ratio",
    "physics.series.partial_sum",
    "physics.series.optimal_truncation_order",
    "physics.resurgence.expected_singularity",
)
MODULES = sorted(
    module.name for module in pkgutil.walk_packages(physics.__path__, prefix="physics.")
)


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_entry_points_have_examples(name):
    module, function = name.rsplit(".", 1)
    doc = getattr(importlib.import_module(module), function).__doc__
    assert "Examples\n" in doc and ">>> " in doc


@pytest.mark.parametrize("name", MODULES)
def test_examples_run(name):
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, name):
        if test.examples:
            runner.run(test)
    assert runner.failures == 0, f"{runner.failures} failing example(s) in {name}"
