"""Parameter domains: the table from a domain name to SymPy assumptions and sampling.

``unit`` is 0 < p < 1; SymPy's assumptions cannot say "< 1", so ``upper``
records it for sampling and for the support checks.

Random points stay away from a domain's edges; ``edges`` are the values near
them (small and large, near 0 and 1), where a wrong support shows itself
(λe^{-λx} on (0, 10) loses e^{-10λ}: nothing at λ ≈ 1, a third at λ = 1/10).
They go from moderate to extreme: checks read the first few, witness searches all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import sympy as sp


@dataclass(frozen=True)
class Domain:
    """A parameter domain: its assumptions and where random test points are drawn."""

    name: str
    description: str
    assumptions: tuple[tuple[str, bool], ...]
    sample_low: float
    sample_high: float
    integer: bool = False
    notation: str = "# \\in \\mathbb{R}"   # the condition in LaTeX, "#" standing for the symbol
    edges: tuple[sp.Rational, ...] = ()      # values near the domain's edges, moderate first

    def latex(self, symbol_latex: str) -> str:
        """The domain as a LaTeX condition on a symbol, e.g. ``\\sigma > 0``."""
        return self.notation.replace("#", symbol_latex)

    def symbol(self, name: str) -> sp.Symbol:
        """A SymPy symbol with this domain's assumptions."""
        # sorted, so that srepr (and the JSON output) does not depend on the table's order
        return sp.Symbol(name, **dict(sorted(self.assumptions)))

    def sample(self, rng: np.random.Generator) -> sp.Rational:
        """A random exact value inside the domain (kept away from its edges)."""
        if self.integer:
            return sp.Integer(int(rng.integers(int(self.sample_low), int(self.sample_high) + 1)))
        value = rng.uniform(self.sample_low, self.sample_high)
        return sp.Rational(round(value * 1000), 1000)

    def condition(self, symbol: sp.Symbol) -> sp.Basic:
        """The domain as a SymPy condition on ``symbol`` (for documents and checks)."""
        return DOMAIN_CONDITIONS[self.name](symbol)

    def contains(self, value: float) -> bool:
        """Whether a number (a constant's value, an estimate) lies in this domain; inf and nan never do."""
        return math.isfinite(value) and DOMAIN_MEMBERSHIP[self.name](value)


def _edges(*values: str) -> tuple[sp.Rational, ...]:
    return tuple(sp.Rational(v) for v in values)


DOMAINS: dict[str, Domain] = {d.name: d for d in [
    Domain("real", "a real number", (("real", True),), -2.0, 2.0,
           edges=_edges("-10", "10", "-100", "100", "-1000", "1000")),
    Domain("positive", "a positive real number", (("positive", True),), 0.5, 3.0, notation="# > 0",
           edges=_edges("1/10", "10", "1/100", "100", "1/1000", "1000")),
    Domain("nonnegative", "a non-negative real number", (("nonnegative", True),), 0.2, 3.0,
           notation="# \\geq 0", edges=_edges("1/10", "10", "1/100", "100", "1/1000", "1000")),
    Domain("unit", "a number in (0, 1)", (("positive", True),), 0.15, 0.85, notation="0 < # < 1",
           edges=_edges("1/10", "9/10", "1/100", "99/100", "1/1000", "999/1000")),
    Domain("integer", "an integer", (("integer", True),), -3, 3, integer=True, notation="# \\in \\mathbb{Z}",
           edges=_edges("-10", "10", "-100", "100")),
    Domain("positive_integer", "a positive integer", (("positive", True), ("integer", True)), 2, 8,
           integer=True, notation="# \\in \\{1, 2, \\dots\\}", edges=_edges("1", "10", "100")),
]}

DOMAIN_CONDITIONS = {
    "real": lambda s: sp.Contains(s, sp.Reals),
    "positive": lambda s: s > 0,
    "nonnegative": lambda s: s >= 0,
    "unit": lambda s: sp.And(s > 0, s < 1),
    "integer": lambda s: sp.Contains(s, sp.Integers),
    "positive_integer": lambda s: sp.And(sp.Contains(s, sp.Integers), s > 0),
}

#: The same conditions for a finite float (data and --value input, see symfisher.empirical).
DOMAIN_MEMBERSHIP = {
    "real": lambda v: True,
    "positive": lambda v: v > 0,
    "nonnegative": lambda v: v >= 0,
    "unit": lambda v: 0 < v < 1,
    "integer": lambda v: float(v).is_integer(),
    "positive_integer": lambda v: float(v).is_integer() and v > 0,
}
