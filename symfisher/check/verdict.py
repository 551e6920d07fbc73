"""The verdict on one step: proved (by algebra or named rules), refuted (with evidence), or unknown.

A step ``lhs = rhs`` is proved when both sides reach the same normal form under
a set of rewriting rules, each a named rule of the note (definition of the
score, of 𝐅, of the expectation; differentiation; linearity; differentiating
under the integral sign; normalization). The rules cited are a minimal set: a
rule is dropped from the citation when the step is proved without it.

A step that no rule proves is evaluated numerically: in the abstract setting p
is replaced by a normal density N(θ₁, θ₂²), in the concrete one the model is
evaluated at its random parameter points. Different numbers refute the step,
with the values; equal numbers leave it unknown, since numeric agreement alone
is never a proof.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import sympy as sp

from symfisher import budget
from symfisher.check.notation import (Covariance, Expect, Fisher, Score, Setting, ShapeError, Variance, Zero,
                                      _is_matrix, _shape)
from symfisher.errors import BudgetExceeded

#: What each rule states, as cited in the verdicts.
RULES: dict[str, str] = {
    "algebra": "algebra",
    "definition-score": "definition of the score s(x|θ) = ∇θ log p(x|θ)",
    "definition-fisher": "definition of the Fisher matrix 𝐅 = 𝔼[s sᵀ]",
    "definition-expectation": "definition of the expectation 𝔼[g] = ∫ g p dx",
    "definition-variance": "the variance and covariance as expectations: Var[g] = 𝔼[g²] − 𝔼[g]², "
                           "Cov[g, h] = 𝔼[gh] − 𝔼[g]𝔼[h]",
    "definition-hessian": "definition of the Hessian 𝐇_f = ∂/∂θ (∂f/∂θ)ᵀ",
    "differentiation": "differentiation rules (chain, quotient, product; derivative of a constant)",
    "linearity": "linearity of the integral and of the expectation",
    "differentiate-under-integral": "differentiation under the integral sign (regularity condition: the support "
                                    "does not depend on θ and ∇θ p is dominated by an integrable function)",
    "normalization": "normalization ∫ p(x|θ) dx = 1",
    "expectation-evaluated": "the expectation evaluated over the model (symfisher's engine, checked numerically)",
}

TOLERANCE = 1e-6


@dataclass(frozen=True)
class Verdict:
    verdict: str                   # "proved", "refuted", "unknown", "approximation"
    rules: tuple[str, ...] = ()
    reason: str = ""


class Rewriter:
    """The rewriting rules of a setting, as passes over SymPy expressions."""

    def __init__(self, setting: Setting, evaluate: Callable[[sp.Expr], sp.Expr | None] | None = None,
                 regular: bool = True) -> None:
        self.s, self.evaluate, self.regular = setting, evaluate, regular
        self.passes: dict[str, Callable[[sp.Expr], sp.Expr]] = {
            "definition-variance": self.definition_variance,
            "definition-fisher": self.definition_fisher,
            "definition-score": self.definition_score,
            "definition-expectation": self.definition_expectation,
            "expectation-evaluated": self.evaluated,
            "differentiation": self.differentiation,
            "linearity": self.linearity,
            "differentiate-under-integral": self.interchange,
            "normalization": self.normalization,
        }
        if evaluate is None:
            del self.passes["expectation-evaluated"]
        if not regular:
            del self.passes["differentiate-under-integral"]
        self._forms: dict[tuple[sp.Expr, tuple[str, ...]], sp.Expr] = {}   # a step's rhs is the next one's lhs
        self._derivatives: dict[sp.Expr, sp.Expr] = {}

    # -- the passes
    @staticmethod
    def definition_variance(e):
        e = e.replace(lambda a: isinstance(a, Variance),
                      lambda a: Expect(a.args[0] ** 2) - Expect(a.args[0]) ** 2)
        return e.replace(lambda a: isinstance(a, Covariance),
                         lambda a: Expect(a.args[0] * a.args[1]) - Expect(a.args[0]) * Expect(a.args[1]))

    def definition_score(self, e):
        return e.replace(lambda a: isinstance(a, Score),
                         lambda a: sp.Derivative(sp.log(self.s.density(a.args[1])), self.s.theta[int(a.args[0])]))

    def definition_fisher(self, e):
        x = self.s.x
        return e.replace(lambda a: isinstance(a, Fisher),
                         lambda a: Expect(Score(a.args[0], x) * Score(a.args[1], x)))

    def definition_expectation(self, e):
        return e.replace(lambda a: isinstance(a, Expect),
                         lambda a: sp.Integral(a.args[0] * self.s.density(self.s.x), self.s.x))

    def evaluated(self, e):
        def value(g, a):
            out = self.evaluate(self.differentiation(g))
            return a if out is None else out
        p = self.s.density(self.s.x)
        e = e.replace(lambda a: isinstance(a, Expect) and not a.args[0].has(Score, Fisher, Expect),
                      lambda a: value(a.args[0], a))
        return e.replace(lambda a: isinstance(a, sp.Integral) and not a.has(Score, Fisher, Expect),
                         lambda a: value(a.function / p, a))

    def differentiation(self, e):
        def evaluate(a):
            if a not in self._derivatives:
                self._derivatives[a] = a.doit()
            return self._derivatives[a]
        return e.replace(lambda a: isinstance(a, sp.Derivative) and not a.expr.has(sp.Integral, Score, Fisher,
                                                                                      Expect),
                         evaluate)

    def linearity(self, e):
        x = self.s.x

        def split(body, make, unit):
            total = sp.S.Zero
            for term in sp.Add.make_args(sp.expand(body)):
                coefficient, part = term.as_independent(x, as_Add=False)
                total += coefficient * (unit if part == 1 and unit is not None else make(part))
            return total
        e = e.replace(lambda a: isinstance(a, sp.Integral) and len(a.limits) == 1,
                      lambda a: split(a.function, lambda f: sp.Integral(f, *a.limits), None))
        return e.replace(lambda a: isinstance(a, Expect), lambda a: split(a.args[0], Expect, sp.S.One))

    def interchange(self, e):
        def move(a):
            f = a.function
            if isinstance(f, sp.Derivative) and all(v in self.s.theta for v in f.variables):
                return sp.Derivative(sp.Integral(f.expr, *a.limits), *f.variable_count)
            return a
        return e.replace(lambda a: isinstance(a, sp.Integral), move)

    def normalization(self, e):
        p = self.s.density(self.s.x)
        return e.replace(lambda a: isinstance(a, sp.Integral) and (a.function == p or sp.expand(a.function - p) == 0),
                         lambda a: sp.S.One)

    # -- normal forms
    def normal_form(self, value, rules: tuple[str, ...]):
        def entry(e):
            key = (e, rules)
            if key not in self._forms:
                self._forms[key] = rewrite(e)
            return self._forms[key]

        def rewrite(e):
            for _ in range(8):
                before = e
                for name in self.passes:
                    if name in rules:
                        e = self.passes[name](e)
                if "differentiation" in rules:
                    e = self.differentiation(e)
                if e == before:
                    break
            return e
        if isinstance(value, Zero):
            return value
        return value.applyfunc(entry) if _is_matrix(value) else entry(sp.sympify(value))


#: Shares of the user's per-operation budget (--timeout): deciding a step is zero gets half,
#: the simplified difference printed beside a refutation (a courtesy) a fifth.
ZERO_SHARE = 0.5
DIFFERENCE_SHARE = 0.2


def is_zero(e: sp.Expr, seconds: float | None = None) -> bool:
    """True when e simplifies to 0 (within a time budget: default half the user's, capped by the deadline)."""
    if e == 0:
        return True
    try:
        expanded = sp.expand(e)
    except Exception:   # noqa: BLE001 - expand can fail on unevaluated objects; then simplify decides
        expanded = e
    if expanded == 0:
        return True
    try:
        # doit=False: evaluating derivatives or integrals is a rule of its own, never silent algebra
        return budget.run(lambda: sp.simplify(expanded, doit=False) == 0,
                          seconds=budget.seconds_for(ZERO_SHARE) if seconds is None else seconds, label="simplify")
    except BudgetExceeded:
        return False


def same_shape(a, b) -> str:
    """'' when a and b can be compared, else the shape mismatch."""
    if isinstance(a, Zero) or isinstance(b, Zero):
        return ""
    if _is_matrix(a) != _is_matrix(b) or (_is_matrix(a) and a.shape != b.shape):
        return f"a {_shape(a)} is equated to a {_shape(b)}"
    return ""


def equal(a, b) -> bool:
    if isinstance(a, Zero) and isinstance(b, Zero):
        return True
    if isinstance(a, Zero):
        a, b = b, a
    if isinstance(b, Zero):
        entries = list(a) if _is_matrix(a) else [a]
        return all(is_zero(x) for x in entries)
    if _is_matrix(a):
        return all(is_zero(x - y) for x, y in zip(a, b))
    return is_zero(a - b)


def judge(lhs, rhs, rewriter: Rewriter, numeric: Callable | None) -> Verdict:
    """Proved with a minimal set of rules, refuted with evidence, or unknown."""
    # a written 0 beside a vector or matrix is its zero (authors rarely write 𝟎): no shape error
    lhs, rhs = (Zero() if side == 0 and _is_matrix(other) else side for side, other in ((lhs, rhs), (rhs, lhs)))
    mismatch = same_shape(lhs, rhs)
    if mismatch:
        return Verdict("refuted", reason=f"shape: {mismatch}")
    if equal(lhs, rhs):
        return Verdict("proved", ("algebra",), RULES["algebra"])
    every = tuple(rewriter.passes)
    try:
        left, right = rewriter.normal_form(lhs, every), rewriter.normal_form(rhs, every)
    except ShapeError as exc:
        return Verdict("refuted", reason=f"shape: {exc}")
    if equal(left, right):
        needed = list(every)
        for name in every:
            trial = tuple(n for n in needed if n != name)
            if equal(rewriter.normal_form(lhs, trial), rewriter.normal_form(rhs, trial)):
                needed = list(trial)
        rules = tuple(needed) or ("algebra",)
        return Verdict("proved", rules, "; ".join(RULES[r] for r in rules))
    if numeric is None:
        return Verdict("unknown", reason="no rule of the note proves it, and it cannot be evaluated numerically")
    try:
        # quadrature at every test point is not interruptible otherwise: give it the step's budget
        counterexample = budget.run(numeric, left, right, label="numeric check")
    except BudgetExceeded as exc:
        return Verdict("unknown", reason=f"no rule proves it; {exc.one_line()}")
    except (ArithmeticError, ValueError, TypeError, NotImplementedError) as exc:
        return Verdict("unknown", reason=f"no rule proves it; numeric evaluation failed ({exc})")
    if counterexample:
        difference = _difference(left, right)
        return Verdict("refuted", reason=counterexample + (f"; simplified difference {difference}" if difference
                                                          else ""))
    return Verdict("unknown", reason="no rule proves it; both sides agree numerically at the test points, "
                                     "which is not a proof")


def _difference(left, right) -> str:
    if isinstance(left, Zero) or isinstance(right, Zero) or _is_matrix(left):
        return ""
    try:
        text = str(budget.run(lambda: sp.simplify(left - right), seconds=budget.seconds_for(DIFFERENCE_SHARE),
                               label="difference"))
    except BudgetExceeded:
        return ""
    return text if len(text) <= 120 and "Integral" not in text else ""


def close(a: complex, b: complex) -> bool:
    return abs(a - b) <= TOLERANCE * max(1.0, abs(a), abs(b)) and not (math.isnan(a.real) or math.isnan(b.real))
