"""Declarations of sweepable observables: their parameters, ranges, units and outputs.

An :class:`Observable` names a public function of :mod:`physics` by its import path
(``"physics.lieb_liniger:ground_state_energy"``), so that a worker process -- local or on a
Dask cluster -- can import and call it; nothing here computes physics. A :class:`Registry`
maps observable names to declarations and refuses unknown names with the list of known ones.
The project's own observables are registered in :mod:`qgas.sweeps.observables`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from physics import _validate

__all__ = ["Observable", "Output", "Parameter", "Registry"]

ParameterKind = Literal["real", "integer", "choice"]


@dataclass(frozen=True)
class Parameter:
    """One argument of an observable, with its units and valid range.

    ``units`` follows the CF convention (``"1"`` for dimensionless). A parameter without a
    ``default`` must be given in a sweep's ``grid`` or ``fixed`` table, unless it is
    ``optional``: then, left out, it is not passed and the physics function's own default
    applies (for defaults that depend on other arguments, such as a grid size).
    """

    name: str
    units: str
    doc: str
    kind: ParameterKind = "real"
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    options: tuple[str, ...] = ()
    default: Any = None
    optional: bool = False

    def describe_range(self) -> str:
        """The valid values as text, e.g. ``(0, inf)`` or ``'exact', 'series'``."""
        if self.kind == "choice":
            return ", ".join(map(repr, self.options))
        left = "(" if self.low_open or self.low is None else "["
        right = ")" if self.high_open or self.high is None else "]"
        low = "-inf" if self.low is None else f"{self.low:g}"
        high = "inf" if self.high is None else f"{self.high:g}"
        return f"{left}{low}, {high}{right}"

    def validate(self, values: Any) -> np.ndarray:
        """``values`` as a 1-D array after checking each one (ValueError naming the value)."""
        items = np.atleast_1d(np.asarray(values, dtype=object))
        if items.ndim != 1:
            raise ValueError(f"{self.name}={values!r} must be a value or a flat list of values")
        if self.kind == "choice":
            return np.array([_validate.choice(self.name, item, self.options) for item in items])
        if self.kind == "integer":
            low, high = self._int(self.low), self._int(self.high)
            return np.array(
                [
                    _validate.integer(self.name, item, low, high, integral_floats=True)
                    for item in items
                ],
                dtype=np.int64,
            )
        return np.array(
            [
                _validate.real_scalar(
                    self.name,
                    item,
                    self.low,
                    self.high,
                    low_open=self.low_open,
                    high_open=self.high_open,
                )
                for item in items
            ],
            dtype=float,
        )

    @staticmethod
    def _int(bound: float | None) -> int | None:
        return None if bound is None else int(bound)


@dataclass(frozen=True)
class Output:
    """One scalar result of an observable: a data variable of the sweep's Dataset.

    A categorical output (``categories`` non-empty) is an integer code ``k`` meaning
    ``categories[k]``; the Dataset stores it as integers with CF ``flag_values`` and
    ``flag_meanings``.
    """

    name: str
    units: str
    doc: str
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class Observable:
    """A public function of :mod:`physics` that a sweep may evaluate on a grid.

    ``function`` is ``"module:attribute"``; calling it with the parameters as keyword
    arguments (plus ``seed_parameter=<int>`` when set) returns one float per output, as a
    scalar when there is one output, else as a sequence in the order of ``outputs``.
    ``check`` (optional, ``"module:attribute"``) refuses, before any work, combinations of
    parameters that the function refuses although each value is inside its own range: it is
    called once with every grid parameter as an array broadcast over the grid (fixed values
    as scalars, optional ones left out) and raises ValueError naming the first bad one.
    """

    name: str
    function: str
    doc: str
    parameters: tuple[Parameter, ...]
    outputs: tuple[Output, ...]
    seed_parameter: str | None = None
    check: str | None = None

    @property
    def needs_seed(self) -> bool:
        """Whether each evaluation takes a random seed (disorder realisations)."""
        return self.seed_parameter is not None

    def parameter(self, name: str) -> Parameter:
        """The declaration of parameter ``name`` (ValueError listing the valid names)."""
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        valid = ", ".join(p.name for p in self.parameters)
        raise ValueError(
            f"parameter {name!r} is not a parameter of observable {self.name!r}; "
            f"valid parameters: {valid}"
        )


class Registry(Mapping[str, Observable]):
    """Observable name -> :class:`Observable`; unknown names raise ValueError."""

    def __init__(self, observables: tuple[Observable, ...] = ()) -> None:
        self._observables: dict[str, Observable] = {}
        for observable in observables:
            self.register(observable)

    def register(self, observable: Observable) -> Observable:
        """Add ``observable``; a second declaration under the same name is an error."""
        if observable.name in self._observables:
            raise ValueError(f"observable {observable.name!r} is already registered")
        self._observables[observable.name] = observable
        return observable

    def __getitem__(self, name: str) -> Observable:
        try:
            return self._observables[name]
        except KeyError:
            known = ", ".join(sorted(self._observables)) or "(none registered)"
            raise ValueError(
                f"observable={name!r} is not registered; known observables: {known}"
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._observables)

    def __len__(self) -> int:
        return len(self._observables)
