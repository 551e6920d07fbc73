"""The expectation engine: E[g(X)] under a model, fast, budgeted and cross-checked.

Takes a model and integrands g(x, θ); gives :class:`Outcome` values. How:

1. *Standardize* once per model: if p is a location-scale family in some
   parameters (x = m + c·z with c·p(m + c z) free of m and c), work in z.
2. *Linearity*: expand g into Σ coefficient(θ) · part(z) and compute each
   distinct part's expectation once, for all entries.
3. Each part: a finite support is summed; otherwise the closed-form kernels of
   :mod:`symfisher.integrals` (with generated logs and powers), then
   substitutions (split at kinks, z = −log w, z = eʸ, y = z²) back into the
   kernels, and ``integrate``/``summation`` only as a budgeted fallback.
4. Every part and every result is compared with quadrature or summation at
   random parameter points; a disagreement rejects the symbolic value.

Past its time budget an expectation is "not derived symbolically" and carries
numeric values; the run goes on.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import sympy as sp

from symfisher import budget, numeric
from symfisher import integrals
from symfisher.derive.steps import NumericCheck, Status
from symfisher.errors import BudgetExceeded
from symfisher.model import Model
from symfisher.model.model import SEED
from symfisher.parse import Support

CHECK_POINTS = 2

#: Methods whose answers are compared numerically part by part before use
#: (plain integrate and summation are sometimes wrong, e.g. complex Gumbel entries).
UNTRUSTED = frozenset({"integrate", "summation"})
RELATIVE_TOLERANCE = 1e-7
ABSOLUTE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Outcome:
    """An expectation: its symbolic value (or None), how it was found, and its numeric check."""

    value: sp.Expr | None
    status: Status
    methods: tuple[str, ...]
    check: NumericCheck
    reason: str = ""


@dataclass(frozen=True)
class Frame:
    """The variable and density expectations are computed in (x itself, or standardized z)."""

    var: sp.Symbol
    density: sp.Expr
    support: Support
    to_frame: dict            # x -> expression in var
    location: sp.Expr = sp.S.Zero
    scale: sp.Expr = sp.S.One


def product_form(log_density: sp.Expr) -> sp.Expr:
    """exp(log p) as a product of powers and exponentials (what the kernels read)."""
    return sp.expand(sp.exp(log_density), power_exp=True, mul=False, multinomial=False, log=False,
                     power_base=False, basic=False)


def _frame_support(support: Support, location: sp.Expr, scale: sp.Expr) -> Support | None:
    lower = sp.simplify((support.lower - location) / scale) if support.lower.is_finite else support.lower
    upper = sp.simplify((support.upper - location) / scale) if support.upper.is_finite else support.upper
    if lower.free_symbols or upper.free_symbols:
        return None
    return Support(support.kind, lower, upper, support.left_closed, support.right_closed, support.values)


def standardize(model: Model, log_density: sp.Expr) -> Frame:
    """The best location-scale frame for the model, or x itself."""
    x, support = model.variable, model.support
    identity = Frame(x, product_form(log_density), support, {x: x})
    if model.discrete:
        return identity
    reals = [d.symbol for d in model.declared if d.symbol.is_real and not d.symbol.is_positive]
    positives = [d.symbol for d in model.declared if d.symbol.is_positive]
    locations = [sp.S.Zero, *reals]
    scales = [sp.S.One, *positives, *(1 / p for p in positives)]
    best, removed = identity, 0
    for location, scale in itertools.product(locations, scales):
        if location == 0 and scale == 1:
            continue
        frame_support = _frame_support(support, location, scale)
        if frame_support is None:
            continue
        z = sp.Dummy("z", positive=True) if frame_support.lower == 0 else sp.Dummy("z", real=True)
        logq = sp.expand(sp.expand_log(log_density.subs(x, location + scale * z) + sp.log(scale), force=True))
        gone = (location.free_symbols | scale.free_symbols) - logq.free_symbols
        if gone == location.free_symbols | scale.free_symbols and len(gone) > removed:
            best, removed = Frame(z, product_form(logq), frame_support, {x: location + scale * z},
                                  location, scale), len(gone)
    return best


def linear_parts(g: sp.Expr, var: sp.Symbol) -> dict[sp.Expr, sp.Expr]:
    """g = Σ coefficient · part, parts depending on var only through themselves."""
    expanded = sp.expand(g, power_exp=True, power_base=False, log=False, mul=True, multinomial=True)
    parts: dict[sp.Expr, sp.Expr] = {}
    for term in sp.Add.make_args(expanded):
        coeff, part = term.as_independent(var, as_Add=False)
        if not part.is_polynomial(var) and (part.is_Mul or part.is_Pow):
            # expand multiplied out the denominators: (z² + ν)² reads better than z⁴ + 2νz² + ν²
            factored = sp.factor(part)
            more, part = factored.as_independent(var, as_Add=False)
            coeff *= more
        parts[part] = parts.get(part, sp.S.Zero) + coeff
    return {p: c for p, c in parts.items() if c != 0}


class ExpectationEngine:
    """Expectations under one model (see the module docstring)."""

    def __init__(self, model: Model, log_density: sp.Expr, seconds: float | None = None) -> None:
        self.model = model
        self.x = model.variable
        self.seconds = budget.default_seconds() if seconds is None else seconds
        self.points = model.sample_points(CHECK_POINTS, seed=SEED + 1)
        self.frame = standardize(model, log_density)
        self._parts: dict[sp.Expr, tuple[sp.Expr | None, str]] = {}
        self._numeric_cache: dict[tuple, list[complex]] = {}

    # -- public ------------------------------------------------------------------------------
    def expect(self, g: sp.Expr, label: str = "expectation") -> Outcome:
        """E[g(X)] over the model's support."""
        numeric_values = tuple(self.numeric(g))
        try:
            value, methods = budget.run(self._symbolic, g, seconds=self.seconds, label=label)
        except BudgetExceeded as exc:
            return self._numeric_only(numeric_values, f"{exc.one_line()}")
        if value is None:
            return self._numeric_only(numeric_values, "no symbolic method succeeded: " + ", ".join(methods))
        check = self._check(value, numeric_values)
        if not check.passed:
            return Outcome(None, Status.NUMERIC, methods, check,
                           "the symbolic value disagreed with numeric integration and was rejected")
        return Outcome(value, Status.PROVED, methods, check)

    def numeric(self, g: sp.Expr) -> list[complex]:
        """E[g] by quadrature or summation at the check points."""
        key = (g,)
        if key not in self._numeric_cache:
            m = self.model
            self._numeric_cache[key] = [numeric.expectation(g, m.density, self.x, m.support, pt)
                                        for pt in self.points]
        return self._numeric_cache[key]

    # -- internals ---------------------------------------------------------------------------
    def _numeric_only(self, values: tuple[complex, ...], reason: str) -> Outcome:
        return Outcome(None, Status.NUMERIC, ("numeric",), self._describe(values, ()), reason)

    def _describe(self, numeric_values, symbolic_values, passed: bool = True) -> NumericCheck:
        points = tuple(tuple((s.name, str(v)) for s, v in sorted(pt.items(), key=lambda kv: kv[0].name))
                       for pt in self.points)
        return NumericCheck(points, tuple(symbolic_values), tuple(numeric_values), passed)

    def _check(self, value: sp.Expr, numeric_values) -> NumericCheck:
        symbolic_values = [numeric.evaluate(value, pt) if value.free_symbols else complex(sp.N(value))
                           for pt in self.points]
        passed = all(_close(s, n) for s, n in zip(symbolic_values, numeric_values))
        return self._describe(numeric_values, symbolic_values, passed)

    def _symbolic(self, g: sp.Expr) -> tuple[sp.Expr | None, tuple[str, ...]]:
        frame = self.frame
        g_frame = sp.expand_log(g.subs(frame.to_frame))     # log(z/β) = log z − log β
        total, methods = sp.S.Zero, []
        for part, coeff in linear_parts(g_frame, frame.var).items():
            value, method = self._part(part)
            if value is None:
                return None, tuple(methods + [f"no method for E[{part}]"])
            total += coeff * value
            methods.append(method)
        units = tuple(d.symbol for d in self.model.declared if d.domain.name == "unit")
        return tidy(total, self.points, self.seconds / 2, units), tuple(sorted(set(methods)))

    def _part(self, part: sp.Expr) -> tuple[sp.Expr | None, str]:
        if part not in self._parts:
            self._parts[part] = self._solve_part(part)
        return self._parts[part]

    def _solve_part(self, part: sp.Expr) -> tuple[sp.Expr | None, str]:
        if part == 1:
            return sp.S.One, "normalization"
        frame = self.frame
        support = frame.support
        integrand = part * frame.density
        targets = None
        for name, attempt in self._attempts(integrand):
            try:
                value = attempt()
            except (BudgetExceeded, ValueError, TypeError, NotImplementedError, ZeroDivisionError,
                    sp.PolynomialError, AttributeError, RecursionError):
                continue
            if value is None or value.has(sp.Integral, sp.Sum, sp.nan, sp.zoo, sp.oo, -sp.oo):
                continue
            value = resolve_piecewise(value, self.points)
            if value is None:
                continue
            if name not in UNTRUSTED:
                return value, name        # table methods are exact; the entry's check still applies
            if targets is None:
                targets = [numeric.expectation(part, frame.density, frame.var, support, pt) for pt in self.points]
            if frame.var in value.free_symbols:
                continue
            try:
                found = [numeric.evaluate(value, pt) for pt in self.points]
            except (TypeError, ValueError, KeyError):
                continue
            if all(_close(f, t) for f, t in zip(found, targets)):
                return value, name
        return None, "none"

    def _attempts(self, integrand: sp.Expr):
        """(method name, thunk) in order of preference."""
        frame = self.frame
        v, s = frame.var, frame.support
        lo, hi = s.lower, s.upper
        if s.discrete:
            if s.values is not None or (lo.is_Integer and hi.is_Integer):
                values = s.values or range(int(lo), int(hi) + 1)
                yield "finite-sum", lambda: sp.Add(*(integrand.subs(v, k) for k in values))
                return
            yield "series-kernel", lambda: integrals.series(integrand, v, lo, hi)
            yield "summation", lambda: budget.run(
                lambda: sp.summation(integrand, (v, lo, hi)), seconds=self.seconds / 3, label="summation")
            return
        yield "kernel", lambda: integrals.integral(integrand, v, lo, hi)
        if lo == -sp.oo and hi == sp.oo:
            yield "odd-symmetry", lambda: sp.S.Zero if integrals.symmetric(integrand, v, -1) else None
        for name, transform in integrals.SUBSTITUTIONS:
            yield name, lambda transform=transform: integrals.by_substitution(transform, integrand, v, lo, hi)
        yield "integrate", lambda: budget.run(
            lambda: sp.integrate(integrand, (v, lo, hi), conds="none"), seconds=self.seconds / 3,
            label="integrate")


# -- readable values ------------------------------------------------------------------------

def tidy(expr: sp.Expr, points, seconds: float, units: tuple[sp.Symbol, ...] = ()) -> sp.Expr:
    """A readable closed form: Γ ratios simplified, ψ⁽ⁿ⁾ at integers as constants, no Piecewise.

    For parameters in (0, 1), forms in 1 − p are preferred to p − 1 when shorter.
    """
    def work():
        e = sp.expand_func(sp.gammasimp(expr))
        if e.has(sp.sinh, sp.cosh, sp.tanh):
            e = e.rewrite(sp.exp)
        candidates = [sp.simplify(e)]
        candidates.append(sp.factor_terms(sp.simplify(sp.powsimp(sp.expand(candidates[0]), force=True))))
        candidates.append(sp.factor(candidates[0]))
        candidates.append(sp.factor(sp.powsimp(candidates[0])))
        for u in units:
            w = sp.Dummy("w", positive=True)
            candidates.append(sp.factor(candidates[0].subs(u, 1 - w)).subs(w, 1 - u))
        return min(candidates, key=lambda c: (sp.count_ops(c), len(str(c))))
    try:
        value = budget.run(work, seconds=seconds, label="simplify")
    except BudgetExceeded:
        value = expr
    resolved = resolve_piecewise(value, points)
    return value if resolved is None else resolved


def resolve_piecewise(expr: sp.Expr, points) -> sp.Expr | None:
    """Replace each Piecewise by the branch its conditions select at every point, if one does.

    The conditions SymPy attaches (convergence, |p − 1| < 1) are settled by the
    declared domains; the value chosen is then checked numerically like any other.
    """
    if not expr.has(sp.Piecewise):
        return expr

    def choose(pw: sp.Piecewise):
        chosen = None
        for pt in points:
            for branch, cond in pw.args:
                truth = cond.subs(pt)
                if truth is sp.true or truth == True:  # noqa: E712 - SymPy booleans
                    break
            else:
                return None
            if chosen is not None and branch != chosen:
                return None
            chosen = branch
        return chosen

    out = expr
    for pw in sorted(expr.atoms(sp.Piecewise), key=sp.count_ops, reverse=True):
        branch = choose(pw)
        if branch is None:
            return None
        out = out.xreplace({pw: branch})
    return None if out.has(sp.Piecewise) else out


def _close(a: complex, b: complex) -> bool:
    if not (np.isfinite(a) and np.isfinite(b)):
        return False
    return abs(a - b) <= max(ABSOLUTE_TOLERANCE, RELATIVE_TOLERANCE * max(abs(a), abs(b)))
