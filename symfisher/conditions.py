"""Side conditions decided from the declared domains.

A rule (a kernel, a series, a substitution) returns the conditions under which
its identity holds, as SymPy relations in the parameters and constants, whose
symbols carry the assumptions of their declared domains (α positive; a
parameter in (0, 1) is positive to SymPy, and is decided as v/(1 + v) with v > 0). :func:`decide` says whether a
condition holds on the whole declared domain (True), nowhere in it (False), or
only on part of it / cannot be told (None). Only a True lets a value be stated
without its condition.

Shared by the model stage (normalization), the derive stage (expectations) and
the checker.
"""

from __future__ import annotations

from typing import Iterable, Mapping

import sympy as sp

#: The relations a rule may return, normalized to ``difference > 0`` or ``difference >= 0``.
_STRICT = (sp.StrictGreaterThan, sp.StrictLessThan)
_WEAK = (sp.GreaterThan, sp.LessThan)


def _difference(relation: sp.Basic) -> tuple[sp.Expr, bool] | None:
    """(d, strict) with the relation equivalent to d > 0 (strict) or d ≥ 0."""
    if isinstance(relation, (sp.StrictGreaterThan, sp.GreaterThan)):
        return relation.lhs - relation.rhs, isinstance(relation, _STRICT)
    if isinstance(relation, (sp.StrictLessThan, sp.LessThan)):
        return relation.rhs - relation.lhs, isinstance(relation, _STRICT)
    return None


def _sign(d: sp.Expr, strict: bool) -> bool | None:
    """Whether d > 0 (or ≥ 0) follows from the symbols' assumptions, is refuted by them, or neither."""
    forms = [d]
    try:
        forms += [sp.factor(d), sp.simplify(d)]
    except (sp.PolynomialError, TypeError, ValueError, RecursionError):
        pass
    for form in forms:
        yes = form.is_positive if strict else form.is_nonnegative
        if yes:
            return True
        no = form.is_nonpositive if strict else form.is_negative
        if no:
            return False
    return None


def decide(condition: sp.Basic, units: tuple[sp.Symbol, ...] = ()) -> bool | None:
    """True when the condition holds on the whole declared domain, False when nowhere, else None.

    ``units`` are the symbols declared in (0, 1): SymPy's assumptions know them only as
    positive, so they are written as v/(1 + v) with v > 0 before deciding (p < 1 is then
    v/(1 + v) < 1, which holds).
    """
    if units:
        condition = condition.subs({u: (v := sp.Dummy(f"{u.name}_v", positive=True)) / (1 + v) for u in units})
    return _decide(condition)


def _decide(condition: sp.Basic) -> bool | None:
    if condition is sp.true or condition == True:  # noqa: E712 - SymPy booleans
        return True
    if condition is sp.false or condition == False:  # noqa: E712
        return False
    if isinstance(condition, sp.And):
        answers = [_decide(c) for c in condition.args]
        return False if False in answers else True if all(answers) else None
    if isinstance(condition, sp.Or):
        answers = [_decide(c) for c in condition.args]
        return True if True in answers else False if all(a is False for a in answers) else None
    if isinstance(condition, sp.Not):
        inner = _decide(condition.args[0])
        return None if inner is None else not inner
    split = _difference(condition)
    if split is None:
        return None
    return _sign(*split)


def conjunction(conditions: Iterable[sp.Basic], units: tuple[sp.Symbol, ...] = ()) -> sp.Basic:
    """The conditions as one And, the ones decided true dropped (sp.true when none is left)."""
    kept = []
    for c in conditions:
        if decide(c, units) is True or c in kept:
            continue
        kept.append(c)
    return sp.And(*kept) if kept else sp.true


def holds_at(condition: sp.Basic, point: Mapping[sp.Symbol, sp.Expr]) -> bool | None:
    """The condition at one parameter point (None when it cannot be evaluated there)."""
    if condition is sp.true:
        return True
    try:
        value = condition.subs(point)
    except (TypeError, ValueError):
        return None
    if value is sp.true or value == True:  # noqa: E712
        return True
    if value is sp.false or value == False:  # noqa: E712
        return False
    return decide(value)


def describe(condition: sp.Basic) -> str:
    """The condition in LaTeX, as a textbook writes it beside a value."""
    if condition is sp.true:
        return ""
    parts = condition.args if isinstance(condition, sp.And) else (condition,)
    return ", ".join(sp.latex(_readable(p)) for p in parts)


def _readable(relation: sp.Basic) -> sp.Basic:
    """α − 1 > 0 → α > 1: move a lone number to the right."""
    split = _difference(relation)
    if split is None:
        return relation
    d, strict = split
    content, primitive = sp.expand(d).as_content_primitive()
    if content.is_positive:           # ν/2 − 1 > 0 → ν − 2 > 0
        d = primitive
    number, rest = sp.expand(d).as_independent(*d.free_symbols, as_Add=True)
    if rest == 0:
        return relation
    lead = rest.as_coeff_Mul()[0]
    if lead.is_negative:         # −α + 3 > 0 → α < 3
        return (sp.StrictLessThan if strict else sp.LessThan)(-rest, number, evaluate=False)
    return (sp.StrictGreaterThan if strict else sp.GreaterThan)(rest, -number, evaluate=False)
