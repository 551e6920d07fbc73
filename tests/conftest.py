"""Shared helpers: numeric comparison of expressions at random points."""

from __future__ import annotations

import random

import pytest
import sympy as sp


def sample_value(symbol: sp.Symbol, rng: random.Random) -> sp.Rational:
    """A random exact value consistent with the symbol's assumptions."""
    if symbol.is_integer:
        low = 1 if symbol.is_positive else 0 if symbol.is_nonnegative else -3
        return sp.Integer(rng.randint(low, low + 6))
    if symbol.is_positive or symbol.is_nonnegative:
        return sp.Rational(rng.randint(150, 2900), 1000)
    return sp.Rational(rng.randint(-2000, 2000), 1000)


def assert_same_function(actual: sp.Expr, expected: sp.Expr, points: int = 6, seed: int = 7,
                         overrides: dict | None = None, tol: float = 1e-10) -> None:
    """actual == expected at random points of their symbols' domains (complex arithmetic)."""
    rng = random.Random(seed)
    symbols = sorted(actual.free_symbols | expected.free_symbols, key=sp.default_sort_key)
    for _ in range(points):
        point = {s: sample_value(s, rng) for s in symbols}
        point.update({s: f(rng) for s, f in (overrides or {}).items()})
        a = complex(sp.N(actual.subs(point), 30))
        b = complex(sp.N(expected.subs(point), 30))
        assert abs(a - b) <= tol * max(1.0, abs(b)), f"{actual} != {expected} at {point}: {a} vs {b}"


@pytest.fixture
def same():
    return assert_same_function


_DERIVED: dict = {}


@pytest.fixture(scope="session")
def derived():
    """derived(name) -> Derivation of a catalogue model, computed once per session."""
    from symfisher.catalog import catalog
    from symfisher.derive import derive
    from symfisher.model import build_model

    def get(name: str):
        if name not in _DERIVED:
            _DERIVED[name] = derive(build_model(catalog()[name]))
        return _DERIVED[name]
    return get
