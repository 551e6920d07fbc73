"""Evidence for claims that two things are equal or differ.

A derivation says "E[s] is not zero" or "the two routes differ" only with a
numeric witness: a point inside the declared domains where independent
quadrature or summation gives values that differ beyond tolerance. It says
they are equal only when a symbolic identity shows it: plain simplification
first, then the special-function identities simplification misses
(ψ(1 + z) = ψ(z) + 1/z, Γ(1 + z) = z Γ(z), ψ⁽ⁿ⁾ shifts, Beta as Γ ratios, and
the reflection ψ(1 − z) − ψ(z) = π cot(πz)).
Neither: "not established".
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import sympy as sp

from symfisher import budget
from symfisher.errors import BudgetExceeded

#: Relative difference above which two numeric values count as a witness that they differ
#: (quadrature is asked for 1e-10; a true zero comes out near 1e-12).
WITNESS_TOLERANCE = 1e-6


def expanded_arguments(expr: sp.Expr) -> sp.Expr:
    """ψ((β + 1)/β) → ψ(1 + 1/β): recurrences apply to arguments written as integer + rest."""
    return expr.replace(lambda a: isinstance(a, (sp.polygamma, sp.gamma, sp.loggamma)),
                        lambda a: a.func(*(sp.expand(arg) for arg in a.args)))


def reflected(expr: sp.Expr) -> sp.Expr:
    """ψ(w) with a negative-looking argument by the reflection ψ(w) = ψ(1 − w) − π cot(πw):
    ψ(−a) = ψ(1 + a) + π cot(πa), which the recurrence then takes to ψ(a) + 1/a + π cot(πa)."""
    return expr.replace(
        lambda a: isinstance(a, sp.polygamma) and a.args[0] == 0 and sp.expand(a.args[1]).could_extract_minus_sign(),
        lambda a: sp.polygamma(0, sp.expand(1 - a.args[1])) - sp.pi * sp.cot(sp.pi * a.args[1]))


def _forms(expr: sp.Expr) -> Iterable[sp.Expr]:
    yield sp.expand(expr)
    shifted = sp.expand_func(expanded_arguments(reflected(expr)))
    yield sp.expand(shifted)
    yield sp.gammasimp(shifted)
    yield sp.combsimp(shifted)
    yield sp.simplify(shifted)


def is_zero(expr: sp.Expr, seconds: float | None = None) -> bool:
    """True when an identity shows expr = 0 (within the budget); False means only "not shown"."""
    if expr == 0:
        return True
    seconds = budget.default_seconds() if seconds is None else seconds

    def work() -> bool:
        return any(form == 0 for form in _forms(expr))
    try:
        return budget.run(work, seconds=seconds, label="zero recognition")
    except BudgetExceeded:
        return False
    except (TypeError, ValueError, NotImplementedError, AttributeError, RecursionError):
        return False


def simplest_zero_form(expr: sp.Expr, seconds: float | None = None) -> sp.Expr:
    """expr, or 0 when an identity shows it is zero."""
    return sp.S.Zero if is_zero(expr, seconds) else expr


def witness(left: Iterable[complex], right: Iterable[complex]) -> int | None:
    """The index of the first point where two lists of numbers differ beyond tolerance, or None.

    Non-finite or failed values (divergence, nan) are no witness.
    """
    for index, (a, b) in enumerate(zip(left, right)):
        a, b = complex(a), complex(b)
        if not (np.isfinite(a) and np.isfinite(b)):
            continue
        if abs(a - b) > WITNESS_TOLERANCE * max(1.0, abs(a), abs(b)):
            return index
    return None


def confirmed(g: sp.Expr, model, point, value: complex) -> bool:
    """A number used as a witness, found again by the second-opinion quadrature (which cannot miss a
    narrow peak): only then does it stand as evidence."""
    from symfisher import numeric
    again = numeric.second_opinion(g, model.density, model.variable, model.support, point)
    return bool(np.isfinite(again) and witness([again], [value]) is None)


def nonzero_witness(values: Iterable[complex]) -> int | None:
    """The index of the first value clearly away from zero, or None."""
    values = list(values)
    return witness(values, [0j] * len(values))
