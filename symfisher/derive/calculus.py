"""Log-density, log-likelihood, score and Hessian, with the steps a student writes.

Logs are expanded only where the factors are positive on the support and under
the declared domains (1 − x on (0, 1), 1 − p for p in (0, 1)), which SymPy's
assumptions alone cannot see.
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from symfisher import budget
from symfisher.derive.steps import Chain, Step, Tex
from symfisher.errors import BudgetExceeded
from symfisher.model import Model

#: Share of the per-operation budget for choosing the short form of one derivative.
READABLE_SHARE = 0.5


def _reparametrization(model: Model) -> dict:
    """Substitutions under which "positive on the support and domains" becomes an assumption."""
    x, s = model.variable, model.support
    subs = {}
    w = sp.Dummy("w", positive=True)
    if s.lower.is_finite and s.upper.is_finite and not s.discrete:
        subs[x] = s.lower + (s.upper - s.lower) * w / (1 + w)
    elif s.lower.is_finite and s.upper == sp.oo:
        subs[x] = s.lower + w
    elif s.upper.is_finite and s.lower == -sp.oo:
        subs[x] = s.upper - w
    for d in model.declared:
        if d.domain.name == "unit":
            u = sp.Dummy("u", positive=True)
            subs[d.symbol] = u / (1 + u)
    return subs


def positivity(model: Model):
    """A predicate: is an expression positive wherever the model lives?"""
    subs = _reparametrization(model)

    @lru_cache(maxsize=None)
    def positive(expr: sp.Expr) -> bool:
        if expr.is_positive:
            return True
        if isinstance(expr, (sp.binomial, sp.factorial)):
            return True       # normalizing counts: at least 1 on a discrete support
        if expr.is_Pow and expr.exp.is_real and positive(expr.base):
            return True
        if not expr.free_symbols & set(subs):
            return False
        return bool(sp.together(expr.subs(subs)).is_positive)
    return positive


def expand_logs(expr: sp.Expr, positive) -> sp.Expr:
    """log(ab) → log a + log b and log(aᵏ) → k log a where the factors are positive."""
    def rule(arg: sp.Expr) -> sp.Expr:
        if arg.is_Mul:
            factors = sp.Mul.make_args(arg)
            if all(positive(f) for f in factors):
                return sp.Add(*(rule(f) for f in factors))
        elif arg.is_Pow:
            base, exponent = arg.as_base_exp()
            if exponent.is_real and positive(base):
                return exponent * rule(base)
        elif isinstance(arg, sp.exp) and arg.args[0].is_real:
            return arg.args[0]
        elif arg.is_Rational and arg.is_positive and arg != 1:
            return sp.expand_log(sp.log(arg), force=True)
        return sp.log(arg)
    return expr.replace(lambda e: isinstance(e, sp.log), lambda e: rule(e.args[0]))


def log_density(model: Model) -> tuple[sp.Expr, tuple[Step, ...]]:
    """log p(x|θ), expanded, and the steps from log of the density to it."""
    density = model.density.rewrite(sp.gamma) if model.density.has(sp.beta) else model.density
    expanded = expand_logs(sp.log(density), positivity(model))
    unexpanded = sp.log(model.density, evaluate=False)
    return expanded, (Step(Tex(r"\log p(x|\theta)"), unexpanded, "log-expand"),
                      Step(unexpanded, expanded, "log-expand"))


def additive_terms(expr: sp.Expr) -> tuple[sp.Expr, ...]:
    return sp.Add.make_args(expr)


def sample_log_likelihood(model: Model, log_p: sp.Expr, n: sp.Symbol, i: sp.Symbol,
                          xs: sp.IndexedBase) -> sp.Expr:
    """L(X|θ) = Σᵢ log p(xᵢ|θ), with the terms free of x summed to n times themselves."""
    x = model.variable
    total = sp.S.Zero
    for term in additive_terms(sp.expand(log_p, log=False, power_exp=False, multinomial=False)):
        coeff, part = term.as_independent(x, as_Add=False)
        if part == 1:
            total += n * coeff
        else:
            total += coeff * sp.Sum(part.subs(x, xs[i]), (i, 1, n))
    return total


def readable(expr: sp.Expr) -> sp.Expr:
    """A short form of a derivative: fractions combined per term, common factors out."""
    def shortest() -> sp.Expr:
        candidates = [expr, sp.factor_terms(sp.together(expr)), sp.factor_terms(sp.expand(expr))]
        return min(candidates, key=lambda e: (sp.count_ops(e), len(str(e))))
    # m(m+1)/2 Hessian entries each get a share of the budget; past the run's deadline the raw form stays
    try:
        return budget.run(shortest, seconds=budget.seconds_for(READABLE_SHARE), label="simplify")
    except BudgetExceeded:
        return expr


def score(log_p: sp.Expr, theta: tuple[sp.Symbol, ...]) -> tuple[tuple[sp.Expr, ...], tuple[Chain, ...]]:
    """sⱼ = ∂ log p/∂θⱼ for each j, each with its differentiation steps."""
    values, chains = [], []
    for t in theta:
        terms = [term for term in additive_terms(log_p) if term.has(t)]
        raw = [sp.diff(term, t) for term in terms]
        value = readable(sp.Add(*raw))
        steps = [Step(Tex(rf"s_{{{sp.latex(t)}}}(x|\theta)"), sp.Derivative(log_p, t), "definition-score"),
                 Step(sp.Derivative(log_p, t), sp.Add(*(sp.Derivative(term, t) for term in terms), evaluate=False),
                      "linearity-derivative")]
        steps.append(Step(steps[-1].rhs, sp.Add(*raw, evaluate=False), "differentiate"))
        if value != steps[-1].rhs:
            steps.append(Step(steps[-1].rhs, value, "simplify"))
        values.append(value)
        chains.append(Chain(f"score:{t.name}", tuple(steps)))
    return tuple(values), tuple(chains)


def hessian(score_values: tuple[sp.Expr, ...], theta: tuple[sp.Symbol, ...]
            ) -> tuple[tuple[tuple[sp.Expr, ...], ...], tuple[Chain, ...]]:
    """H_jk = ∂sⱼ/∂θ_k, symmetric by construction (upper triangle mirrored)."""
    m = len(theta)
    entries: list[list[sp.Expr | None]] = [[None] * m for _ in range(m)]
    chains = []
    for j in range(m):
        for k in range(j, m):
            raw = sp.diff(score_values[j], theta[k])
            value = readable(raw)
            entries[j][k] = entries[k][j] = value
            steps = [Step(Tex(rf"\mathbf{{H}}_{{{sp.latex(theta[j])} {sp.latex(theta[k])}}}"),
                          sp.Derivative(score_values[j], theta[k]), "definition-hessian"),
                     Step(sp.Derivative(score_values[j], theta[k]), raw, "differentiate")]
            if value != raw:
                steps.append(Step(raw, value, "simplify"))
            chains.append(Chain(f"hessian:{theta[j].name}:{theta[k].name}", tuple(steps)))
    return tuple(tuple(row) for row in entries), tuple(chains)
