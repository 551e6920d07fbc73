"""The facts of a derivation that decide which theorems apply to the model.

A theorem is stated in a write-up only when the hypotheses it needs were
established for the model at hand; otherwise the write-up says which one is
missing. Each fact is True (established), False (refuted, with evidence) or
None (not established). Positive evidence at a few numeric points is evidence of
nothing for a theorem that must hold for every θ, so the facts that quantify
over θ are True only when decided symbolically.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from symfisher import budget
from symfisher.errors import BudgetExceeded

#: What each result needs, in the order a reader checks it; the names are the fields below.
NEEDS: dict[str, tuple[str, ...]] = {
    # Cramér–Rao: E[s] = 0 (differentiation under the integral, support free of θ) and an invertible F
    "cramer_rao": ("support_free", "score_mean_zero", "fisher_established", "positive_definite"),
    # asymptotic normality of the MLE: the classical (Cramér) conditions, which expand log p to second order
    "asymptotic_normality": ("support_free", "score_mean_zero", "fisher_established", "positive_definite",
                             "twice_differentiable"),
    # F in place of H (Fisher scoring, natural gradient): the identity F = −E[H] for this model
    "fisher_for_hessian": ("support_free", "score_mean_zero", "twice_differentiable", "fisher_established",
                           "routes_agree"),
    # KL ≈ ½ dᵀ F d through the Taylor expansion of log p: E[s] = 0 and E[H] = −F
    "kl_quadratic": ("support_free", "score_mean_zero", "twice_differentiable", "fisher_established",
                     "routes_agree"),
}


@dataclass(frozen=True)
class Hypotheses:
    """What was established about the model, each fact True, False or None (not established)."""

    support_free: bool                  # the support does not depend on θ
    twice_differentiable: bool          # log p is twice differentiable in θ (no point mass in the Hessian)
    score_mean_zero: bool | None        # E[s] = 0 for every parameter
    fisher_established: bool            # every entry of F has a value
    positive_definite: bool | None      # F is positive definite for every θ (decided symbolically)
    routes_agree: bool | None           # E[s sᵀ] = −E[H] was shown entry by entry

    def holds(self, result: str) -> bool:
        """True when every hypothesis ``result`` needs was established."""
        return not self.missing(result)

    def missing(self, result: str) -> tuple[str, ...]:
        """The hypotheses of ``result`` that were not established (refuted or unknown), in order."""
        return tuple(name for name in NEEDS[result] if getattr(self, name) is not True)

    def as_dict(self) -> dict[str, bool | None]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__} | {
            result: self.holds(result) for result in NEEDS}


def score_mean_fact(means: tuple[sp.Expr | None, ...], refuted: bool) -> bool | None:
    """E[s] = 0: True when every component is exactly 0, False when a difference was shown, else None."""
    if means and all(v is not None and v == 0 for v in means):
        return True
    return False if refuted else None


def positive_definite(model, fisher: tuple[tuple[sp.Expr | None, ...], ...], score: tuple[sp.Expr, ...],
                      seconds: float) -> bool | None:
    """F positive definite for every θ in the declared domains, decided symbolically.

    First Sylvester's criterion on the leading minors. Failing that, for a discrete
    support: the score vectors at m + 1 support points span ℝᵐ (each point has positive
    probability, so cᵀFc = Σ p(x) (cᵀs(x))² > 0). For a continuous support: F = E[s sᵀ] and cᵀFc = E[(cᵀs)²], so F is positive definite when no
    c ≠ 0 makes cᵀs vanish on the support; if it did, its x-derivatives of orders
    1..m would vanish too, which the determinant of those derivatives forbids
    wherever it is not zero (a Wronskian argument).

    Returns:
        True when decided positive definite, False when a leading minor is decided
        not positive, None when neither could be decided.
    """
    if any(e is None for row in fisher for e in row):
        return None
    # SymPy's assumptions cannot say p < 1: write a unit-interval symbol as v/(1 + v), v > 0
    unit = {d.symbol: (lambda v: v / (1 + v))(sp.Dummy(d.name, positive=True))
            for d in model.declared if d.domain.name == "unit"}
    F = sp.Matrix(fisher).subs(unit)
    verdicts = []
    for k in range(1, F.rows + 1):
        minor = _within(lambda: sp.simplify(F[:k, :k].det()), seconds)
        verdicts.append(None if minor is None else minor.is_positive)
    if all(v is True for v in verdicts):
        return True
    if any(v is False for v in verdicts):
        return False
    score = tuple(s.subs(unit) for s in score)
    if model.support.discrete:
        return True if _scores_independent_on_points(score, model.variable, model.support, seconds) else None
    bounds = (model.support.lower.subs(unit), model.support.upper.subs(unit))
    return True if _scores_independent(score, model.variable, bounds, seconds) else None


def _scores_independent_on_points(score: tuple[sp.Expr, ...], variable: sp.Symbol, support, seconds: float) -> bool:
    """For a discrete support: the differences s(x_{k+1}) − s(x_1) at the first m + 1 support points are
    independent (their determinant is decided nonzero), so no c ≠ 0 has cᵀs(x) = 0 at every point."""
    m = len(score)
    if support.values is not None:
        points = [sp.Integer(v) for v in support.values[:m + 1]]
    elif support.lower.is_finite and support.lower.is_number:
        points = [support.lower + k for k in range(m + 1)]
    else:
        return False
    if len(points) < m + 1 or not (support.upper - points[-1]).is_extended_nonnegative:
        return False
    first = [s.subs(variable, points[0]) for s in score]
    rows = [[s.subs(variable, x) - f for s, f in zip(score, first)] for x in points[1:]]
    det = _within(lambda: sp.simplify(sp.Matrix(rows).det()), seconds)
    return det is not None and det.is_finite is True and bool(det.is_nonzero)


def _within(fn, seconds: float):
    try:
        return budget.run(fn, seconds=seconds, label="positive definiteness of F")
    except BudgetExceeded:
        return None


def _interior(bounds: tuple[sp.Expr, sp.Expr]) -> sp.Expr:
    """x written through a fresh positive (or real) symbol so that it ranges over the open support."""
    lo, hi = bounds
    u = sp.Dummy("u", positive=True)
    if lo.is_finite and hi.is_finite:
        return lo + (hi - lo) * u / (1 + u)          # (0, ∞) onto (lo, hi)
    if lo.is_finite:
        return lo + u
    if hi.is_finite:
        return hi - u
    return sp.Dummy("x", real=True)


def _scores_independent(score: tuple[sp.Expr, ...], variable: sp.Symbol, bounds: tuple[sp.Expr, sp.Expr],
                        seconds: float) -> bool:
    """det[∂ʳ sⱼ/∂xʳ] (r = 1..m) is decided nonzero at every interior point of the support."""
    m = len(score)
    rows = [[sp.diff(s, variable, r) for s in score] for r in range(1, m + 1)]
    if any(e.has(sp.DiracDelta, sp.sign, sp.Abs, sp.Heaviside, sp.Piecewise) for row in rows for e in row):
        return False                   # not smooth in x: the argument needs continuous derivatives
    x = _interior(bounds)
    det = _within(lambda: sp.simplify(sp.Matrix(rows).det().subs(variable, x)), seconds)
    return det is not None and det.is_finite is True and bool(det.is_nonzero)
