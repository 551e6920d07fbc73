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
4. Every rule returns the side conditions its identity needs (see
   :mod:`symfisher.integrals`); they are decided from the declared domains
   (:mod:`symfisher.conditions`). Decided true: the value is proved. Only on
   part of the domain: the value is *conditional* (β/(α−1) for α > 1), and is
   neither printed as a fact nor used as a Fisher entry.
5. Every part and every result is compared with quadrature or summation at
   random parameter points, with a divergence test at the ends; a disagreement
   (or a divergence where the value claims a number) rejects the symbolic
   value. A conditional value is also tested where its condition fails.

Past its time budget an expectation is "not derived symbolically" and carries
numeric values; the run goes on.
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass

import numpy as np
import sympy as sp

from symfisher import budget, integrals, numeric
from symfisher.conditions import conjunction, decide, describe, holds_at
from symfisher.derive import evidence
from symfisher.derive.steps import NumericCheck, Status
from symfisher.errors import BudgetExceeded
from symfisher.model import Model
from symfisher.model.model import SEED
from symfisher.parse import Support

CHECK_POINTS = 2
#: A finite support with fewer points than this is summed term by term; a longer one as a series
#: (a term-by-term Add of 10⁸ terms took 4.9 GB).
FINITE_SUM_TERMS = 1_000

#: Methods whose answers are compared numerically part by part before use
#: (plain integrate and summation are sometimes wrong, e.g. complex Gumbel entries).
UNTRUSTED = frozenset({"integrate", "summation"})
RELATIVE_TOLERANCE = 1e-7
ABSOLUTE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Outcome:
    """An expectation: its symbolic value (or None), how it was found, and its numeric check.

    ``condition`` is where the value holds (``sp.true``: on the whole declared
    domain); a value whose condition is not decided true has status
    ``conditional`` and ``otherwise`` says what is known beyond it.
    """

    value: sp.Expr | None
    status: Status
    methods: tuple[str, ...]
    check: NumericCheck
    reason: str = ""
    condition: sp.Basic = sp.true
    otherwise: str = ""

    @property
    def established(self) -> bool:
        """A value that holds on the whole declared domain."""
        return self.value is not None and self.status is Status.PROVED

    def condition_latex(self) -> str:
        return describe(self.condition)


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
    # only symbols of the density can locate or scale it (every declared name made this quadratic in them)
    used = [d.symbol for d in model.declared if d.symbol in log_density.free_symbols]
    reals = [s for s in used if s.is_real and not s.is_positive]
    positives = [s for s in used if s.is_positive]
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
        self.units = tuple(d.symbol for d in model.declared if d.domain.name == "unit")
        self._parts: dict[sp.Expr, integrals.Closed | None] = {}
        self._numeric_cache: dict[tuple, list[complex]] = {}

    # -- public ------------------------------------------------------------------------------
    def expect(self, g: sp.Expr, label: str = "expectation") -> Outcome:
        """E[g(X)] over the model's support."""
        numeric_values = tuple(self.numeric(g))
        try:
            found = budget.run(self._symbolic, g, seconds=self.seconds, label=label)
        except BudgetExceeded as exc:
            return self._numeric_only(numeric_values, f"{exc.one_line()}")
        if isinstance(found, str):
            return self._numeric_only(numeric_values, "no symbolic method succeeded: " + found)
        found, conditional_parts = found
        methods = found.rules
        condition = conjunction(found.conditions, self.units)
        verdict = decide(condition, self.units)
        if verdict is False:
            return self._numeric_only(numeric_values, f"the rules' conditions ({describe(condition)}) fail on the "
                                                      "whole declared domain: the expectation diverges there",
                                      otherwise="diverges")
        check = self._check(found.value, numeric_values, condition)
        if not check.passed:
            return Outcome(None, Status.NUMERIC, methods, check,
                           "the symbolic value disagreed with numeric integration and was rejected")
        if verdict is True:
            return Outcome(found.value, Status.PROVED, methods, check)
        check = self._check_beyond(g, found.value, condition, check)
        if not check.passed:
            return Outcome(None, Status.NUMERIC, methods, check,
                           f"the value needs {describe(condition)}, and numeric integration contradicts it "
                           "outside that condition; rejected")
        # one part carries the condition, and its integrand has one sign: beyond the condition it diverges
        otherwise = "diverges" if conditional_parts == 1 and _sign_definite(found.rules) else ""
        return Outcome(found.value, Status.CONDITIONAL, methods, check,
                       f"holds for {describe(condition)}, which the declared domains do not guarantee",
                       condition=condition, otherwise=otherwise)

    def numeric(self, g: sp.Expr, points=None) -> list[complex]:
        """E[g] by quadrature or summation at the check points: inf where it diverges, nan where
        the numerics fail."""
        points = self.points if points is None else points
        key = (g, tuple(tuple(sorted(pt.items(), key=lambda kv: kv[0].name)) for pt in points))
        if key not in self._numeric_cache:
            m = self.model
            self._numeric_cache[key] = [_numeric_at(g, m, pt) for pt in points]
        return self._numeric_cache[key]

    # -- internals ---------------------------------------------------------------------------
    def _numeric_only(self, values: tuple[complex, ...], reason: str, otherwise: str = "") -> Outcome:
        return Outcome(None, Status.NUMERIC, ("numeric",), self._describe(values, ()), reason, otherwise=otherwise)

    def _describe(self, numeric_values, symbolic_values, passed: bool = True, points=None) -> NumericCheck:
        points = self.points if points is None else points
        shown = tuple(tuple((s.name, str(v)) for s, v in sorted(pt.items(), key=lambda kv: kv[0].name))
                      for pt in points)
        return NumericCheck(shown, tuple(symbolic_values), tuple(numeric_values), passed)

    def _check(self, value: sp.Expr, numeric_values, condition: sp.Basic = sp.true) -> NumericCheck:
        """The value against the numbers at the check points where its condition holds.

        A point where the numbers diverge, or could not be computed, is no evidence for the value:
        at least one point must agree, and none may disagree.
        """
        symbolic_values = [_value_at(value, pt) for pt in self.points]
        compared = 0
        passed = True
        for pt, s, n in zip(self.points, symbolic_values, numeric_values):
            inside = holds_at(condition, pt)
            if inside is False:
                continue
            if np.isnan(n):
                continue
            compared += 1
            passed = passed and _close(s, n)
        return self._describe(numeric_values, symbolic_values, passed and compared > 0)

    def _check_beyond(self, g: sp.Expr, value: sp.Expr, condition: sp.Basic, check: NumericCheck) -> NumericCheck:
        """A conditional value, tested on both sides of its condition's boundary: where the condition
        fails the numbers must not be finite (the integral diverges), where it holds they must agree."""
        candidates = self.model.sample_points(24, seed=SEED + 7)
        outside = [pt for pt in candidates if holds_at(condition, pt) is False][:1]
        inside = [pt for pt in candidates if holds_at(condition, pt) is True][:1]
        points = outside + inside
        if not points:
            return check
        numbers = self.numeric(g, points)
        symbolic = [_value_at(value, pt) for pt in points]
        passed = check.passed
        for pt, s, n in zip(points, symbolic, numbers):
            if np.isnan(n):
                continue
            if pt in outside:
                passed = passed and not np.isfinite(n)
            else:
                passed = passed and _close(s, n)
        merged = self._describe(check.numeric + tuple(numbers), check.symbolic + tuple(symbolic), passed,
                                points=list(self.points) + points)
        return merged

    def _symbolic(self, g: sp.Expr) -> tuple[integrals.Closed, int] | str:
        """E[g] by linearity over the parts, with the number of parts that carry conditions;
        a string says why no value was found."""
        frame = self.frame
        g_frame = sp.expand_log(g.subs(frame.to_frame))     # log(z/β) = log z − log β
        total = integrals.Closed(sp.S.Zero)
        conditional_parts = 0
        for part, coeff in linear_parts(g_frame, frame.var).items():
            found = self._part(part)
            if found is None:
                return f"no method for E[{part}]"
            total = total + found.scaled(coeff)
            conditional_parts += decide(conjunction(found.conditions, self.units), self.units) is not True
        units = tuple(d.symbol for d in self.model.declared if d.domain.name == "unit")
        value, conditions = tidy(total.value, self.seconds / 2, units)
        return (integrals.Closed(value, total.conditions + conditions, tuple(sorted(total.rules))),
                conditional_parts + bool(conditions))

    def _part(self, part: sp.Expr) -> integrals.Closed | None:
        if part not in self._parts:
            self._parts[part] = self._solve_part(part)
        return self._parts[part]

    def _solve_part(self, part: sp.Expr) -> integrals.Closed | None:
        if part == 1:
            return integrals.Closed(sp.S.One, (), ("normalization",))
        frame = self.frame
        support = frame.support
        integrand = part * frame.density
        targets = None
        for name, attempt in self._attempts(integrand):
            try:
                found = attempt()
            except (BudgetExceeded, ValueError, TypeError, NotImplementedError, ZeroDivisionError,
                    sp.PolynomialError, AttributeError, RecursionError):
                continue
            if found is None:
                continue
            if not isinstance(found, integrals.Closed):
                found = integrals.Closed(found, (), (name,))
            value, conditions = resolve_piecewise(found.value, self.units)
            if value is None or value.has(sp.Integral, sp.Sum, sp.nan, sp.zoo, sp.oo, -sp.oo):
                continue
            found = integrals.Closed(value, found.conditions + conditions, found.rules)
            if name not in UNTRUSTED:
                return found      # table methods are exact under their conditions; the entry's check still applies
            if frame.var in value.free_symbols:
                continue
            condition = conjunction(found.conditions, self.units)
            if targets is None:
                targets = [_numeric_at(part, dataclasses.replace(self.model, density=frame.density,
                                                                 variable=frame.var, support=support), pt)
                           for pt in self.points]
            try:
                agree = [_close(_value_at(value, pt), t) for pt, t in zip(self.points, targets)
                         if holds_at(condition, pt) is not False and np.isfinite(t)]
            except (TypeError, ValueError, KeyError):
                continue
            if agree and all(agree):
                return found
        return None

    def _attempts(self, integrand: sp.Expr):
        """(method name, thunk) in order of preference; a thunk gives a Closed, an expression or None."""
        frame = self.frame
        v, s = frame.var, frame.support
        lo, hi = s.lower, s.upper
        if s.discrete:
            if s.values is not None or (lo.is_Integer and hi.is_Integer and hi - lo < FINITE_SUM_TERMS):
                values = s.values or range(int(lo), int(hi) + 1)
                yield "finite-sum", lambda: sp.Add(*(integrand.subs(v, k) for k in values))
                return
            yield "series-kernel", lambda: integrals.series(integrand, v, lo, hi)
            yield "summation", lambda: budget.run(
                lambda: sp.summation(integrand, (v, lo, hi)), seconds=self.seconds / 3, label="summation")
            return
        yield "kernel", lambda: integrals.integral(integrand, v, lo, hi)
        if lo == -sp.oo and hi == sp.oo:
            yield "odd-symmetry", lambda: integrals.odd_symmetry(integrand, v)
        for name, transform in integrals.SUBSTITUTIONS:
            yield name, lambda name=name, transform=transform: integrals.by_substitution(name, transform, integrand,
                                                                                         v, lo, hi)
        yield "integrate", lambda: budget.run(
            lambda: sp.integrate(integrand, (v, lo, hi), conds="piecewise"), seconds=self.seconds / 3,
            label="integrate")


def _numeric_at(g: sp.Expr, model: Model, point) -> complex:
    """E[g] at one point: inf where it diverges, nan where the numerics fail."""
    try:
        return numeric.expectation(g, model.density, model.variable, model.support, point)
    except numeric.Divergent:
        return complex(np.inf)
    except (ArithmeticError, ValueError, TypeError, OverflowError):
        return complex(np.nan)


def _value_at(value: sp.Expr, point) -> complex:
    try:
        return numeric.evaluate(value, point) if value.free_symbols else complex(sp.N(value))
    except (TypeError, ValueError, KeyError, OverflowError):
        return complex(np.nan)


def _sign_definite(rules: tuple[str, ...]) -> bool:
    """Values from the closed-form kernels alone integrate functions of one sign: where their
    conditions fail, the integral diverges (rather than being unknown)."""
    kernels = {"kernel-gamma", "kernel-beta", "kernel-beta-prime", "kernel-gaussian", "series-geometric",
               "series-negative-binomial"}
    return bool(rules) and set(rules) <= kernels | {"generated-derivative", "rescale", "normalization"}


# -- readable values ------------------------------------------------------------------------

def tidy(expr: sp.Expr, seconds: float, units: tuple[sp.Symbol, ...] = ()) -> tuple[sp.Expr, tuple]:
    """A readable closed form: Γ ratios simplified, ψ⁽ⁿ⁾ at integers as constants, no Piecewise.

    For parameters in (0, 1), forms in 1 − p are preferred to p − 1 when shorter.
    Returns the value and the conditions of any Piecewise branch it had to choose.
    """
    def work():
        e = sp.expand_func(sp.gammasimp(expr))
        if e.has(sp.sinh, sp.cosh, sp.tanh):
            e = e.rewrite(sp.exp)
        candidates = [sp.simplify(e)]
        if e.has(sp.polygamma, sp.gamma):
            # ψ(2 + 1/β) next to ψ(1/β): the recurrences bring them to one argument
            candidates.append(sp.simplify(sp.expand_func(evidence.expanded_arguments(e))))
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
    resolved, conditions = resolve_piecewise(value, units)
    return (expr, ()) if resolved is None else (resolved, conditions)


def resolve_piecewise(expr: sp.Expr, units: tuple[sp.Symbol, ...] = ()) -> tuple[sp.Expr | None, tuple]:
    """Replace each Piecewise by a branch, and say under which condition.

    A branch whose condition the declared domains decide true is taken as it is;
    a first branch whose condition they cannot decide is taken *with* that
    condition (the value is then conditional). Never by looking at sample points:
    a condition that holds at the points tried may fail elsewhere in the domain.
    Returns (None, ()) when no branch can be taken.
    """
    if not expr.has(sp.Piecewise):
        return expr, ()
    conditions: list = []

    def choose(pw: sp.Piecewise):
        for branch, cond in pw.args:
            verdict = decide(cond, units)
            if verdict is True:
                return branch
            if verdict is None:
                if branch.has(sp.Integral, sp.Sum):
                    return None
                conditions.append(cond)
                return branch
        return None

    out = expr
    for pw in sorted(expr.atoms(sp.Piecewise), key=sp.count_ops, reverse=True):
        branch = choose(pw)
        if branch is None:
            return None, ()
        out = out.xreplace({pw: branch})
    return (None, ()) if out.has(sp.Piecewise) else (out, tuple(conditions))


def _close(a: complex, b: complex) -> bool:
    if not (np.isfinite(a) and np.isfinite(b)):
        return False
    return abs(a - b) <= max(ABSOLUTE_TOLERANCE, RELATIVE_TOLERANCE * max(abs(a), abs(b)))
