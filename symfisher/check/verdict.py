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

import cmath
import math
from dataclasses import dataclass
from typing import Callable

import sympy as sp
from sympy.core.function import AppliedUndef

from symfisher import budget
from symfisher.check.notation import (KL, Covariance, Estimator, Expect, Fisher, Remainder, SampleProduct, SampleSum,
                                      Score, Setting, ShapeError, Variance, Zero, _is_matrix, _shape, sample_forms)
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
    "definition-stated": "a definition the text states (Define S_n(θ) = …; \"the log-likelihood L\", \"the score u\": "
                         "the note's ℓ, L, ℓ' of the data the step shows)",
    "definition-kl": "definition of the Kullback–Leibler divergence D_KL(p ‖ q) = ∫ p log(p/q) dx (Σ_x for a "
                     "discrete x)",
    "logarithm": "log(a b) = log a + log b and log(a/b) = log a − log b for densities (positive on the support)",
    "taylor": "Taylor's theorem in the increment δ: two sides agree up to O(δᴺ⁺¹) when their derivatives in δ "
              "of order 0 … N agree at δ = 0 (the model smooth in θ)",
    "nonnegativity": "a variance and the Fisher information are ≥ 0",
    "cauchy-schwarz": "the Cauchy–Schwarz inequality Cov[A, B]² ≤ Var[A] Var[B]",
    "cramer-rao": "the Cramér–Rao bound Var[θ̂] ≥ 1/I(θ) for an unbiased estimator θ̂ (stated in the text) of a "
                  "regular model (the support does not depend on θ), hence I(θ) > 0; for an iid sample of n "
                  "(stated in the text), Var[θ̂] ≥ 1/(n I(θ))",
    "cramer-rao-general": "the Cramér–Rao bound Var[θ̂] ≥ (∂θ 𝔼[θ̂])²/I(θ) for any estimator θ̂ of a regular model "
                          "(the support does not depend on θ); for an iid sample of n (stated in the text), n I(θ)",
    "unbiasedness": "the estimator is unbiased, 𝔼[θ̂] = ∫ θ̂(x) p(x|θ) dx = θ for every θ (a hypothesis the text "
                    "states)",
    "log-expand": "log(ab) = log a + log b and log aᵏ = k log a, for factors a, b positive on the support and "
                  "the declared domains",
    "definition-new-name": "a definition: the step gives a new name (applied to its arguments) the meaning of its "
                           "right side, which later steps use",
    "definition-log-likelihood": "a definition: the step names the log-likelihood (ℓ(θ) = log L(θ), l_n(θ) = "
                                 "Σᵢ log f(xᵢ|θ)); later steps read the name, bare too (dℓ/dθ), as its right side",
    # the sample x₁, …, xₙ (issue 12, sample rules)
    "sample-sum": "sums over the sample: Σᵢ (a g(xᵢ) + b h(xᵢ)) = a Σᵢ g(xᵢ) + b Σᵢ h(xᵢ), Σᵢ₌₁ⁿ c = n c",
    "sample-product": "products over the sample: ∏ᵢ c f(xᵢ) = cⁿ ∏ᵢ f(xᵢ), ∏ᵢ e^{g(xᵢ)} = e^{Σᵢ g(xᵢ)}, "
                      "∏ᵢ f(xᵢ)^a = (∏ᵢ f(xᵢ))^a",
    "log-of-product": "the log of a product is the sum of the logs: log ∏ᵢ f(xᵢ) = Σᵢ log f(xᵢ) (every factor "
                      "positive)",
    "sum-term-by-term": "differentiating a sum term by term: ∂/∂θ Σᵢ g(xᵢ, θ) = Σᵢ ∂g(xᵢ, θ)/∂θ",
    "identically-distributed": "each sample value is distributed as X: 𝔼[g(Xᵢ)] = 𝔼[g(X)]",
    "expectation-of-sample-sum": "linearity of 𝔼 over Σ, each Xᵢ distributed as X: 𝔼[Σᵢ g(Xᵢ)] = n 𝔼[g(X)]",
    "square-of-iid-sum": "independent draws distributed as X: 𝔼[(Σᵢ g(Xᵢ))²] = n 𝔼[g(X)²] + n(n − 1) 𝔼[g(X)]² "
                         "(applied only when the text states that the draws are independent)",
    "maximum-likelihood": "the maximum likelihood estimate: θ̂ solves the likelihood equation ∂ℓ/∂θ = 0 for every "
                          "sample and ℓ'' < 0 on the whole domain, so ℓ is largest at θ̂",
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
                 regular: bool = True, positive: Callable[[sp.Expr], bool] | None = None) -> None:
        self.s, self.evaluate, self.regular = setting, evaluate, regular
        # positive(a): a > 0 is decided on the support and the declared domains (a model's; None: abstract)
        self.positive = positive
        self.passes: dict[str, Callable[[sp.Expr], sp.Expr]] = {
            "definition-stated": self.definition_stated,
            "definition-kl": self.definition_kl,
            "logarithm": self.logarithm,
            "definition-variance": self.definition_variance,
            "definition-fisher": self.definition_fisher,
            "definition-score": self.definition_score,
            "definition-expectation": self.definition_expectation,
            "expectation-evaluated": self.evaluated,
            "differentiation": self.differentiation,
            "linearity": self.linearity,
            "differentiate-under-integral": self.interchange,
            "normalization": self.normalization,
            "log-expand": self.log_expand,
        }
        # the sample's passes first: they turn 𝔼[Σᵢ g(Xᵢ)] into n 𝔼[g(X)] before 𝔼 is evaluated
        self.passes = {"log-of-product": self.log_of_product, "sample-sum": self.sample_sum,
                       "sample-product": self.sample_product, "sum-term-by-term": self.sum_term_by_term,
                       "identically-distributed": self.identically_distributed,
                       "expectation-of-sample-sum": self.expectation_of_sample_sum,
                       "square-of-iid-sum": self.square_of_iid_sum, **self.passes}
        if "unbiased" in setting.hypotheses:
            # before the definition of 𝔼 so that 𝔼[θ̂] is replaced whole; the integral form is matched too
            self.passes = {"unbiasedness": self.unbiasedness, **self.passes}
        if positive is None:
            del self.passes["log-expand"]
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

    def definition_stated(self, e):
        return e.xreplace(self.s.definitions) if self.s.definitions else e

    def definition_kl(self, e):
        return e.replace(lambda a: isinstance(a, KL),
                         lambda a: sp.Integral(a.args[0] * sp.log(a.args[0] / a.args[1]), self.s.x))

    def logarithm(self, e):
        """log of a product or quotient of densities: the sum of their logs (densities are positive)."""
        def density(f) -> bool:
            base = f.base if isinstance(f, sp.Pow) and f.exp.is_integer else f
            return isinstance(base, AppliedUndef) and base.func.__name__ in ("p", "q")

        def split(a):
            factors = sp.Mul.make_args(a.args[0])
            if len(factors) < 2 or not all(density(f) for f in factors):
                return a
            return sp.Add(*[f.exp * sp.log(f.base) if isinstance(f, sp.Pow) else sp.log(f) for f in factors])
        return e.replace(lambda a: isinstance(a, sp.log), split)

    def definition_score(self, e):
        return e.replace(lambda a: isinstance(a, Score),
                         lambda a: sp.Derivative(sp.log(self.s.density(a.args[1])), self.s.theta[int(a.args[0])]))

    def definition_fisher(self, e):
        x = self.s.x
        return e.replace(lambda a: isinstance(a, Fisher),
                         lambda a: Expect(Score(a.args[0], x) * Score(a.args[1], x)))

    def definition_expectation(self, e):
        return e.replace(lambda a: isinstance(a, Expect) and not self._of_sample(a.args[0]),
                         lambda a: sp.Integral(a.args[0] * self.s.density(self.s.x), self.s.x))

    def evaluated(self, e):
        def value(g, a):
            out = self.evaluate(self.differentiation(g))
            return a if out is None else out
        p = self.s.density(self.s.x)
        e = e.replace(lambda a: isinstance(a, Expect) and not a.args[0].has(Score, Fisher, Expect)
                      and not self._of_sample(a.args[0]),
                      lambda a: value(a.args[0], a))
        return e.replace(lambda a: isinstance(a, sp.Integral) and not a.has(Score, Fisher, Expect)
                         and not self._of_sample(a),
                         lambda a: value(a.function / p, a))

    def differentiation(self, e):
        def evaluate(a):
            if a not in self._derivatives:
                self._derivatives[a] = a.doit()
            return self._derivatives[a]
        return e.replace(lambda a: isinstance(a, sp.Derivative) and not a.expr.has(sp.Integral, Score, Fisher,
                                                                                      Expect)
                         # a sum over the sample is differentiated term by term, a rule of its own
                         and not any(t.args[0].has(*a.variables) for t in a.expr.atoms(SampleSum, SampleProduct)),
                         evaluate)

    def linearity(self, e):
        x = self.s.x

        def split(body, make, unit):
            total = sp.S.Zero
            for term in sp.Add.make_args(sp.expand(body)):
                # 𝔼[h] and ∫ h dx inside a term are numbers (their x is bound): constants, like E[Y] in
                # 𝔼[Y·𝔼[Y]] = 𝔼[Y]², though SymPy sees an x in them; the sample values are random too: Σᵢ xᵢ
                # is no constant of 𝔼
                numbers = {a: sp.Dummy() for a in term.atoms(Expect, sp.Integral)}
                replaced = term.xreplace(numbers)
                coefficient, part = replaced.as_independent(x, self.s.draw, *replaced.atoms(sp.Indexed),
                                                            as_Add=False)
                back = {d: a for a, d in numbers.items()}
                coefficient, part = coefficient.xreplace(back), part.xreplace(back)
                total += coefficient * (unit if part == 1 and unit is not None else make(part))
            return total
        e = e.replace(lambda a: isinstance(a, sp.Integral) and len(a.limits) == 1,
                      lambda a: split(a.function, lambda f: sp.Integral(f, *a.limits), None))
        return e.replace(lambda a: isinstance(a, Expect), lambda a: split(a.args[0], Expect, sp.S.One))

    #: The sample's passes: they act only on sums and products over the sample and on sample values.
    SAMPLE_PASSES = ("log-of-product", "sample-sum", "sample-product", "sum-term-by-term", "identically-distributed",
                     "expectation-of-sample-sum", "square-of-iid-sum")

    def relevant(self, *sides) -> tuple[str, ...]:
        """The passes that can act on a step: the sample's only when a side holds the sample (so that a step
        without one costs no more than before, and its minimal citation is searched over fewer rules)."""
        entries = [e for side in sides if not isinstance(side, Zero)
                   for e in (list(side) if _is_matrix(side) else [side]) if isinstance(e, sp.Basic)]
        # a name the text defines (the log-likelihood LL of the sample) holds the sample its definition holds
        if any(self.definition_stated(e).has(SampleSum, SampleProduct, sp.Indexed) for e in entries):
            return tuple(self.passes)
        return tuple(name for name in self.passes if name not in self.SAMPLE_PASSES)

    # -- the sample's passes (issue 12, sample rules)
    def _of_sample(self, e) -> bool:
        """True when e holds the sample (a draw ξ, xᵢ, Σ or ∏): 𝔼 of it is not 𝔼 of a function of x."""
        return e.has(self.s.draw, SampleSum, SampleProduct, sp.Indexed, sp.Sum, sp.Product)

    def sample_sum(self, e):
        draw, n = self.s.draw, self.s.sample_size

        def split(a):
            total = sp.S.Zero
            for term in sp.Add.make_args(sp.expand(sp.expand_log(a.args[0]))):
                coefficient, part = term.as_independent(draw, as_Add=False)
                total += coefficient * (n if part == 1 else SampleSum(part))
            return total
        return e.replace(lambda a: isinstance(a, SampleSum), split)

    def sample_product(self, e):
        draw, n = self.s.draw, self.s.sample_size

        def split(a):
            total, rest = sp.S.One, sp.S.One
            for factor in sp.Mul.make_args(sp.powsimp(a.args[0])):
                if not factor.has(draw):
                    total *= factor ** n
                elif isinstance(factor, sp.exp):
                    total *= sp.exp(SampleSum(factor.args[0]))
                elif factor.is_Pow and not factor.exp.has(draw) and factor.base.has(draw) and (
                        factor.exp.is_integer or factor.base.is_nonnegative):   # (∏ f)^a = ∏ f^a needs f ≥ 0
                    total *= SampleProduct(factor.base) ** factor.exp
                else:
                    rest *= factor
            return total * (SampleProduct(rest) if rest != 1 else 1)
        return e.replace(lambda a: isinstance(a, SampleProduct), split)

    def log_of_product(self, e):
        def positive(f) -> bool:
            # the density at a sample value is positive; any other factor only when SymPy decides it is
            return f == self.s.density(self.s.draw) or f.is_positive is True
        return e.replace(lambda a: isinstance(a, sp.log) and isinstance(a.args[0], SampleProduct)
                         and positive(a.args[0].args[0]),
                         lambda a: SampleSum(sp.log(a.args[0].args[0])))

    def sum_term_by_term(self, e):
        e = e.replace(lambda a: isinstance(a, sp.Derivative) and isinstance(a.expr, SampleSum),
                      lambda a: SampleSum(sp.Derivative(a.expr.args[0], *a.variable_count)))
        # a sum inside an expression (∂/∂k [k Σᵢ log xᵢ − Σᵢ xᵢᵏ/λᵏ], a log-likelihood the text named): the same
        # rule, with the sum, product and chain rules around it (SymPy differentiates its Sum term by term)
        draw, sample, limits = self.s.draw, self.s.sample(), (self.s.index, 1, self.s.sample_size)

        def inside(a) -> bool:
            return isinstance(a, sp.Derivative) and not a.expr.has(sp.Integral, Score, Fisher, Expect) and any(
                t.args[0].has(*a.variables) for t in a.expr.atoms(SampleSum))

        def by_term(a):
            sums = {t: sp.Sum(t.args[0].subs(draw, sample), limits) for t in a.expr.atoms(SampleSum)}
            return sample_forms(sp.Derivative(a.expr.xreplace(sums), *a.variable_count).doit(), self.s)
        return e.replace(inside, by_term)

    def identically_distributed(self, e):
        sample, x = self.s.sample(), self.s.x
        return e.replace(lambda a: isinstance(a, Expect) and a.args[0].has(sample) and not a.args[0].has(x)
                         and not a.args[0].has(sp.Sum, sp.Product, SampleSum, SampleProduct, self.s.draw),
                         lambda a: Expect(a.args[0].subs(sample, x)))

    def expectation_of_sample_sum(self, e):
        draw, x, n = self.s.draw, self.s.x, self.s.sample_size

        def of_sum(a):
            coefficient, part = a.args[0].as_independent(draw, x, as_Add=False)
            if isinstance(part, SampleSum) and not part.args[0].has(x) and not self._of_sample(coefficient):
                return coefficient * n * Expect(part.args[0].subs(draw, x))
            return a
        return e.replace(lambda a: isinstance(a, Expect), of_sum)

    def square_of_iid_sum(self, e):
        draw, x, n = self.s.draw, self.s.x, self.s.sample_size
        if not self.s.independent:
            return e                                 # independence is a condition: never assumed

        def of_square(a):
            coefficient, part = a.args[0].as_independent(draw, x, as_Add=False)
            if isinstance(part, sp.Pow) and part.exp == 2 and isinstance(part.base, SampleSum) \
                    and not part.base.args[0].has(x) and not self._of_sample(coefficient):
                g = part.base.args[0].subs(draw, x)
                return coefficient * (n * Expect(g ** 2) + n * (n - 1) * Expect(g) ** 2)
            return a
        return e.replace(lambda a: isinstance(a, Expect), of_square)

    def interchange(self, e):
        def move(a):
            f = a.function
            if isinstance(f, sp.Derivative) and all(v in self.s.theta for v in f.variables):
                return sp.Derivative(sp.Integral(f.expr, *a.limits), *f.variable_count)
            # ∫ c(x) ∂θ g dx = ∂θ ∫ c(x) g dx when c does not depend on θ (an estimator θ̂(x), a power of x)
            if isinstance(f, sp.Mul):
                inner = [d for d in f.args if isinstance(d, sp.Derivative)]
                if len(inner) == 1 and all(v in self.s.theta for v in inner[0].variables):
                    rest = f / inner[0]
                    if not rest.has(*self.s.theta, Score, Fisher, Expect, sp.Derivative, sp.Integral) and \
                            not any(isinstance(u, AppliedUndef) and not isinstance(u, Estimator)
                                    for u in rest.atoms(AppliedUndef)):
                        return sp.Derivative(sp.Integral(rest * inner[0].expr, *a.limits), *inner[0].variable_count)
            return a
        return e.replace(lambda a: isinstance(a, sp.Integral), move)

    def unbiasedness(self, e):
        """𝔼[θ̂] = θ and ∫ θ̂(x) p(x|θ) dx = θ (only built when the text states that θ̂ is unbiased)."""
        p, theta = self.s.density(self.s.x), self.s.theta[0]

        def unbiased_integral(a) -> bool:
            return isinstance(a, sp.Integral) and len(a.limits) == 1 and a.limits[0][0] == self.s.x and \
                isinstance(a.function, sp.Mul) and sp.expand(a.function - Estimator(self.s.x) * p) == 0
        e = e.replace(lambda a: isinstance(a, Expect) and a.args[0] == Estimator(self.s.x), lambda a: theta)
        return e.replace(unbiased_integral, lambda a: theta)

    def normalization(self, e):
        p = self.s.density(self.s.x)
        return e.replace(lambda a: isinstance(a, sp.Integral) and (a.function == p or sp.expand(a.function - p) == 0),
                         lambda a: sp.S.One)

    def log_expand(self, e):
        """log of a product or power split where every factor is positive (decided, never assumed)."""
        from symfisher.derive.calculus import expand_logs
        return expand_logs(e, self.positive)

    # -- normal forms
    def normal_form(self, value, rules: tuple[str, ...]):
        def entry(e):
            # a name the text defines means what the step's data make it (ℓ of the sample here, of one x there):
            # its meaning in this step is part of the key
            key = (e, rules, tuple((f, v) for f, v in self.s.definitions.items() if e.has(f)))
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
    every = rewriter.relevant(lhs, rhs)
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
    if cmath.isinf(a) or cmath.isinf(b):
        return a == b                                # a divergent side equals only the same divergence
    return abs(a - b) <= TOLERANCE * max(1.0, abs(a), abs(b)) and not (math.isnan(a.real) or math.isnan(b.real))


# ---------------------------------------------------------------------------- inequalities

#: Relations read as "small ≤ big" (the flag says whether the sides are swapped, and whether it is strict).
ORDER: dict[str, tuple[bool, bool]] = {"≤": (False, False), "<": (False, True), "≥": (True, False), ">": (True, True)}


def _bound_facts(e: sp.Expr, setting, regular: bool) -> dict[str, dict]:
    """For each inequality rule that applies to e: the substitutions that state it with a slack ≥ 0.

    A fact a ≥ b becomes a = b + u with u ≥ 0, so that the claim follows when the difference of its sides
    is then ≥ 0 by SymPy's sign rules (each symbol's sign is declared). A rule with conditions is built only
    when they are stated (unbiasedness, iid) or decided (regularity).
    """
    facts: dict[str, dict] = {}
    pairs = {}
    for k, c in enumerate(e.atoms(Covariance)):
        a, b = c.args
        w = sp.Symbol(f"w_{k}", nonnegative=True)
        pairs[c ** 2] = Variance(a) * Variance(b) - w
    if pairs:
        facts["cauchy-schwarz"] = pairs
    # the estimator θ̂ (T), else another statistic W(X) the step bounds (the general bound holds for any)
    statistics = [a.args[0] for a in e.atoms(Variance) if isinstance(a.args[0], Estimator)]
    t = Estimator(setting.x) if e.has(Variance(Estimator(setting.x))) or not statistics else statistics[0]
    if regular and setting.m == 1 and e.has(Variance(t)):
        n = setting.sample_size
        if e.has(n) and "iid" not in setting.hypotheses:
            return facts                 # a bound with n needs an iid sample; not stated: not applied
        size = n if e.has(n) else sp.S.One
        information = sp.Symbol("I_theta", positive=True)
        # unbiased: Var[θ̂] ≥ 1/I(θ); any estimator: Var[θ̂] ≥ (∂θ 𝔼[θ̂])²/I(θ)
        # the general bound needs no hypothesis: it is offered also where the text states unbiasedness (a text
        # may state it of another estimator than the bound's, or in a sentence about a later claim)
        names = {"cramer-rao-general": sp.Derivative(Expect(t), setting.theta[0]) ** 2}
        if "unbiased" in setting.hypotheses and t == Estimator(setting.x):
            names = {"cramer-rao": sp.S.One, **names}
        score = sp.Derivative(sp.log(setting.density(setting.x)), setting.theta[0])
        for name, numerator in names.items():
            # I(θ) written as 𝔼[(∂θ log f)²], or as the variance of the score (its mean is 0 in a regular model)
            facts[name] = {Variance(t): numerator / (size * information) + sp.Symbol("u", nonnegative=True),
                           Fisher(sp.Integer(0), sp.Integer(0)): information,
                           Expect(score ** 2): information, Variance(score): information,
                           Variance(Score(sp.Integer(0), setting.x)): information}
    return facts


def _nonnegative(e: sp.Expr, strict: bool) -> bool:
    """e ≥ 0 (> 0 when strict) by the signs of its symbols: variances and the information are ≥ 0."""
    signs = {}
    for k, a in enumerate(e.atoms(Variance, Fisher)):
        if isinstance(a, Variance) or a.args[0] == a.args[1]:
            signs[a] = sp.Symbol(f"v_{k}", nonnegative=True)
    e = e.xreplace(signs)
    if e.has(Variance, Covariance, Expect, Fisher, Score, Estimator, sp.Integral, sp.Derivative, AppliedUndef):
        return False
    for candidate in (sp.expand(e), sp.factor(e), sp.simplify(e)):
        decided = candidate.is_positive if strict else candidate.is_nonnegative
        if decided:
            return True
    return False


def judge_inequality(lhs, rhs, relation: str, rewriter: Rewriter, numeric: Callable | None) -> Verdict:
    """An inequality (≤, <, ≥, >) between scalars: proved by a named rule, refuted by a numeric
    counterexample inside the declared domains (the abstract stand-in density), else unknown."""
    if relation not in ORDER or _is_matrix(lhs) or _is_matrix(rhs) or isinstance(lhs, Zero) or isinstance(rhs, Zero):
        return Verdict("unknown", reason=f"an inequality ({relation}) between matrices or vectors: not checked")
    swapped, strict = ORDER[relation]
    small, big = (rhs, lhs) if swapped else (lhs, rhs)
    difference = big - small
    facts = _bound_facts(difference, rewriter.s, rewriter.regular)
    trials: list[tuple[str, ...]] = [()] + [(name,) for name in facts] + ([tuple(facts)] if len(facts) > 1 else [])
    for names in trials:
        e = difference
        for name in names:
            e = e.subs(facts[name])
        if _nonnegative(e, strict):
            signs = any(isinstance(a, Variance) or a.args[0] == a.args[1] for a in e.atoms(Variance, Fisher))
            rules = (tuple(names) + (("nonnegativity",) if signs else ())) or ("algebra",)
            return Verdict("proved", rules, "; ".join(RULES[r] for r in rules))
    if numeric is None:
        return Verdict("unknown", reason=f"no rule proves this inequality ({relation}), and it cannot be evaluated "
                                         "numerically")
    # the stand-in estimator θ̂(x) = x is unbiased: its numbers are the same without the hypothesis, and θ
    # written by it (𝔼[θ̂] = θ) would look like a θ outside p to the abstract refuter
    every = tuple(name for name in rewriter.passes if name != "unbiasedness")
    try:
        left, right = rewriter.normal_form(small, every), rewriter.normal_form(big, every)
        counterexample = numeric(left, right, relation="<" if strict else "≤")
    except (ArithmeticError, ValueError, TypeError, NotImplementedError, ShapeError) as exc:
        return Verdict("unknown", reason=f"no rule proves this inequality ({relation}); numeric evaluation failed "
                                         f"({exc})")
    if counterexample:
        return Verdict("refuted", reason=counterexample)
    return Verdict("unknown", reason=f"no rule proves this inequality ({relation}); it holds at the test points, "
                                     "which is not a proof")


# ---------------------------------------------------------------------------- expansions in an increment

def remainder_order(lhs, rhs, increment: sp.Symbol) -> tuple[sp.Expr, sp.Expr, int] | None:
    """The sides without their remainder terms, and N: the order up to which they must agree.

    O(δᵏ) gives N = k − 1, o(δᵏ) N = k; ``\\dots`` (or no remainder, in an approximation) the degree in δ of
    the side that is a polynomial in δ. None when no side is such a polynomial (no Taylor polynomial written).
    """
    orders = []

    def strip(side):
        for r in side.atoms(Remainder):
            orders.append(int(r.args[1]))
        return side.replace(lambda a: isinstance(a, Remainder), lambda a: sp.S.Zero)
    left, right = strip(lhs), strip(rhs)
    explicit = [n for n in orders if n >= 0]
    if explicit:
        return left, right, min(explicit)
    degrees = []
    for side in (left, right):
        poly = side.as_poly(increment) if side.has(increment) else None
        if poly is not None and all(not c.has(increment) for c in poly.coeffs()):
            degrees.append(poly.degree())
    return (left, right, max(degrees)) if degrees else None


def judge_series(lhs, rhs, increment: sp.Symbol, order: int, rewriter: Rewriter, numeric: Callable | None,
                 exact: bool) -> Verdict:
    """Both sides agree up to order N in the increment δ: each derivative in δ at δ = 0, of order 0 … N, is
    judged as an equality (proved, refuted with a counterexample, or unknown). ``exact`` is False for an
    approximation (≈), whose verdict stays "approximation" when it checks out."""
    def coefficient(side, j):
        e = sp.diff(side, increment, j).subs(increment, 0)
        return e.replace(lambda a: isinstance(a, sp.Subs), lambda a: a.doit())
    markers = {KL: "definition-kl", Expect: "definition-expectation", Fisher: "definition-fisher",
               Score: "definition-score", Variance: "definition-variance", Covariance: "definition-variance"}
    rules: list[str] = ["taylor"] + sorted({rule for marker, rule in markers.items()
                                            if any(side.has(marker) for side in (lhs, rhs))})
    # the definitions first (D_KL, 𝔼, I(θ)): a marker differentiated in δ would leave Subs of it
    every = tuple(rewriter.passes)
    lhs, rhs = rewriter.normal_form(lhs, every), rewriter.normal_form(rhs, every)
    name = sp.pretty(increment, use_unicode=True)
    for j in range(order + 1):
        verdict = judge(coefficient(lhs, j), coefficient(rhs, j), rewriter, numeric)
        what = f"the derivatives of order {j} in {name} at {name} = 0"
        if verdict.verdict == "refuted":
            return Verdict("refuted", ("taylor",), f"{what} differ: {verdict.reason}")
        if verdict.verdict != "proved":
            kind = "an approximation" if not exact else "an expansion"
            return Verdict("approximation" if not exact else "unknown",
                           reason=f"{kind} to order {order} in {name}: {what} are not shown equal "
                                  f"({verdict.reason})")
        rules += [r for r in verdict.rules if r not in rules and r != "algebra"]
    statement = "; ".join(RULES[r] for r in rules)
    if exact:
        return Verdict("proved", tuple(rules), statement)
    return Verdict("approximation", tuple(rules), f"checked: the two sides agree up to order {order} in "
                                                 f"{name} (the difference is O({name}^{order + 1})); "
                                                 f"{statement}")
