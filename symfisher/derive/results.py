"""What follows from the Fisher matrix: the MLE, the Cramér–Rao bound, reparametrization, the KL view.

Each result is a Section of steps, like the rest of the derivation, with its
own checks:

- **MLE**: the likelihood equations Σᵢ sⱼ(xᵢ|θ) = 0 are solved for θ with the
  sums as statistics; a solution is kept when, on samples drawn from the model
  at several parameter points, it lies in the parameter domains and is a strict
  maximum there (negative definite Hessian). Where the support depends on θ the
  likelihood equations are not how the maximum is found: L is zero unless every
  xᵢ lies in the support, and where the score has one sign on the admissible set
  the maximum sits at its boundary, an order statistic (max xᵢ for uniform(0, θ)).
- **Cramér–Rao**: F⁻¹/n bounds the covariance of unbiased estimators and is the
  asymptotic covariance of the MLE; stated only when its hypotheses were
  established (see :mod:`symfisher.derive.hypotheses`).
- **Reparametrization**: for θ = h(η), F_η = Jᵀ F_θ J with J = ∂θ/∂η, compared
  with F derived directly in η.
- **KL**: KL[p(x|θ) ‖ p(x|θ+d)] computed exactly (when the engine can) and
  expanded to second order in d: ½ dᵀ F d + O(‖d‖³), the remainder kept on
  every line. The expansion through E[s] = 0 and E[H] = −F is written only
  where those hold.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import sympy as sp

from symfisher import budget, numeric
from symfisher.derive.hypotheses import Hypotheses
from symfisher.derive.steps import Chain, Section, Status, Step, Tex
from symfisher.errors import BudgetExceeded, SymfisherError
from symfisher.model import Model
from symfisher.model.model import Declared, SEED
from symfisher.printing import latex
from symfisher.parse.support import MAX_FINITE_POINTS

#: The order statistics an MLE can sit at, and how each is computed from a sample.
ORDER_MIN = sp.Symbol("x_{(1)}", real=True)
ORDER_MAX = sp.Symbol("x_{(n)}", real=True)
ORDER_STATISTICS = {ORDER_MIN: np.min, ORDER_MAX: np.max}
#: Samples the MLE's "is a maximum" check draws: parameter points, and observations at each.
CHECK_POINTS = 3
CHECK_SIZE = 40
O3 = r"O(\|d\|^3)"


def _sample_sums(expr: sp.Expr, i: sp.Symbol, n: sp.Symbol) -> sp.Expr:
    """Σᵢ (a + b) -> Σ a + Σ b and Σᵢ c·g(xᵢ) -> c Σ g(xᵢ), so that each sum is a statistic."""
    def split(s: sp.Sum) -> sp.Expr:
        total = sp.S.Zero
        for term in sp.Add.make_args(sp.expand(s.function)):
            coefficient, part = term.as_independent(sp.Indexed, as_Add=False)
            total += coefficient * (n if part == 1 else sp.Sum(part, *s.limits))
        return total
    return expr.replace(lambda a: isinstance(a, sp.Sum), split)


def mle(model: Model, sample_score: tuple[sp.Expr, ...], n: sp.Symbol, i: sp.Symbol,
        facts: Hypotheses | None = None, seconds: float | None = None) -> Section:
    """θ̂: at an order statistic where the support depends on θ, else from Σᵢ s(xᵢ|θ) = 0 in closed form."""
    seconds = budget.default_seconds() if seconds is None else seconds
    theta = model.theta
    chains: list[Chain] = []
    fixed: dict[sp.Symbol, sp.Expr] = {}
    if model.support_depends_on_theta:
        bounded = _order_statistic_mle(model, sample_score, n, i)
        if bounded is None:
            return Section("results:mle", (_not_found(model, "the support depends on θ and the likelihood was "
                                                             "not shown to be monotone on the admissible set"),))
        chains, fixed = bounded
        if len(fixed) == len(theta):
            return Section("results:mle", tuple(chains))
    rest = tuple(t for t in theta if t not in fixed)
    # with a parameter fixed at its order statistic, log(x_m/xᵢ) must split so that the sums are statistics
    tidy = (lambda e: sp.expand_log(e, force=True)) if fixed else (lambda e: e)
    equations = [sp.together(_sample_sums(tidy(s.subs(fixed)), i, n))
                 for s, t in zip(sample_score, theta) if t in rest]
    sums = sorted({a for e in equations for a in e.atoms(sp.Sum)}, key=sp.default_sort_key)
    if any(s.has(*rest) for s in sums):
        return Section("results:mle", (*chains, _not_found(model, "the likelihood equations mix θ and the data "
                                                                  "inside the sums")))
    names = [sp.Symbol(f"T_{k}", real=True) for k in range(len(sums))]
    numerators = [sp.numer(e).subs(dict(zip(sums, names))) for e in equations]
    try:
        solutions = budget.run(lambda: sp.solve(numerators, list(rest), dict=True), seconds=seconds,
                               label="solve ∇L = 0")
    except (BudgetExceeded, NotImplementedError, TypeError, ValueError) as exc:
        # solve raises TypeError when it cannot decide a relation in the data (log θ/(θ−1) θˣ on (0,1))
        reason = exc.one_line() if isinstance(exc, SymfisherError) else "SymPy cannot solve them"
        return Section("results:mle", (*chains, _not_found(model, reason)))
    candidates = [{**sol, **fixed} for sol in solutions if set(sol) == set(rest)]
    chosen = _maximum(model, candidates, sums, names, n, rest)
    if chosen is None:
        return Section("results:mle", (*chains, _not_found(model, "no solution of the likelihood equations was "
                                                                  "shown to be a strict maximum inside the "
                                                                  "parameter domains on simulated samples")))
    back = dict(zip(names, sums))
    # the solve is exact; that the solution is the maximum was checked on simulated samples only
    chains += [Chain(f"mle:{t.name}", (Step(Tex(rf"\hat{{{sp.latex(t)}}}"), sp.factor_terms(chosen[t].subs(back)),
                                            "mle-solve", Status.NUMERIC),)) for t in rest]
    return Section("results:mle", tuple(chains))


def _order_statistic_mle(model: Model, sample_score, n: sp.Symbol, i: sp.Symbol
                         ) -> tuple[list[Chain], dict[sp.Symbol, sp.Expr]] | None:
    """θ̂ at the support bound that involves θ, where the likelihood is monotone on the admissible set.

    L(X|θ) = 0 unless every xᵢ lies in the support, which is a condition on θ
    through an order statistic: an upper bound b(θ) needs b(θ) ≥ x_(n), a lower
    one b(θ) ≤ x_(1). If the score of the sample has one sign on that set (decided
    from the domains), L is monotone there and its maximum is where b(θ̂) meets
    the order statistic. Returns None when that is not decided for each bounded
    parameter.
    """
    support = model.support
    chains, fixed = [], {}
    for t, score in zip(model.theta, sample_score):
        bounds = [(side, b) for side, b in (("upper", support.upper), ("lower", support.lower)) if b.has(t)]
        if not bounds:
            continue
        if len(bounds) > 1 or (bounds[0][1].free_symbols & set(model.theta)) != {t}:
            return None
        side, b = bounds[0]
        slope = sp.diff(b, t)
        rising = True if slope.is_positive else False if slope.is_negative else None
        sign = _sign_on_support(score, model, n, i)
        if rising is None or sign is None:
            return None
        statistic = ORDER_MAX if side == "upper" else ORDER_MIN
        # the admissible set is t ≥ t* or t ≤ t*; L must grow towards t*
        at_least = (side == "upper") == rising
        if sign != (-1 if at_least else 1):
            return None
        try:
            solutions = budget.run_or_none(lambda: sp.solve(sp.Eq(b, statistic), t), label="solve b(θ) = x_(k)")
        except (NotImplementedError, TypeError, ValueError):
            solutions = None
        if solutions is None or len(solutions) != 1:
            return None
        estimate = solutions[0]
        hat = rf"\hat{{{sp.latex(t)}}}"
        relation = r"\geq" if side == "upper" else r"\leq"
        region = rf"\arg\max_{{{sp.latex(b)} \,{relation}\, {sp.latex(statistic)}}} L(X|\theta)"
        chains.append(Chain(f"mle:{t.name}", (
            Step(Tex(hat), Tex(region), "mle-admissible"),
            Step(Tex(region), estimate, "mle-order-statistic",
                 detail="decreasing" if sign < 0 else "increasing"))))
        rate = _order_statistic_rate(model, t, side, b)
        if rate is not None:
            error = rf"n\,({sp.latex(t)} - {hat})" if side == "upper" else rf"n\,({hat} - {sp.latex(t)})"
            chains.append(Chain(f"mle-rate:{t.name}", (
                Step(Tex(error), Tex(r"\operatorname{Exp}\left(" + latex(rate) + r"\right)"),
                     "order-statistic-rate", relation="⇝"),)))
        fixed[t] = estimate
    return (chains, fixed) if chains else None


def _sign_on_support(score: sp.Expr, model: Model, n: sp.Symbol, i: sp.Symbol) -> int | None:
    """The sign of ∂L/∂θ on the admissible set (+1 or −1), decided from the domains; None if undecided."""
    body = score.replace(lambda a: isinstance(a, sp.Sum), lambda a: n * a.function if not a.function.has(sp.Indexed)
                         else a)
    if body.has(sp.Sum, sp.Indexed):
        return None                     # the score depends on the data: its sign is not decided here
    body = sp.simplify(body)
    return 1 if body.is_positive else -1 if body.is_negative else None


def _order_statistic_rate(model: Model, t: sp.Symbol, side: str, bound: sp.Expr) -> sp.Expr | None:
    """The rate ρ = p(b(θ)|θ) of the exponential limit of n |θ − θ̂|, for the bound b(θ) = θ.

    P(n(θ − x_(n)) > y) = F(θ − y/n)ⁿ → e^{−ρy} when p has the positive limit ρ at
    the bound (and likewise at a lower bound); stated only for b(θ) = θ itself.
    """
    if sp.simplify(bound - t) != 0:
        return None
    x = model.variable
    try:
        rho = budget.run_or_none(lambda: sp.simplify(sp.limit(model.density, x, bound, "-" if side == "upper" else "+")),
                                 label="density at the support bound")
    except (NotImplementedError, ValueError, TypeError):
        return None
    return rho if rho is not None and rho.is_positive and rho.is_finite else None


def _tidy(e: sp.Expr) -> sp.Expr:
    """A short form in exponentials rather than hyperbolic functions (what textbooks print)."""
    e = sp.sympify(e).rewrite(sp.exp)
    candidates = [sp.factor(sp.cancel(e)), sp.simplify(e)]
    candidates = [c for c in candidates if not c.has(sp.cosh, sp.sinh, sp.tanh)] or candidates
    return min(candidates, key=lambda c: (sp.count_ops(c), len(str(c))))


def _collect(series: sp.Expr, d: list[sp.Symbol]) -> sp.Expr:
    """A polynomial in d with each coefficient simplified (the linear terms cancel to 0)."""
    poly = sp.Poly(series, *d)
    return sp.Add(*(_tidy(c) * sp.Mul(*(dk ** p for dk, p in zip(d, powers))) for powers, c in poly.terms()))


def _not_found(model: Model, reason: str) -> Chain:
    """θ̂ not found in closed form; the rule (and so the wording) depends on whether the support is free of θ."""
    rule = "mle-unknown" if model.support_depends_on_theta else "mle-numeric"
    return Chain("mle:none", (Step(Tex(r"\hat{\theta}"), Tex(r"\arg\max_{\theta} L(X|\theta)"), rule,
                                   Status.UNKNOWN, reason),))


def simulate(model: Model, point: dict, size: int, rng: np.random.Generator) -> np.ndarray:
    """A sample of the model at ``point`` by inverse transform on a grid (or the pmf's values)."""
    x = model.variable
    f = numeric.function_of(model.density, x, point)
    lo, hi = (float(sp.N(b.subs(point))) for b in (model.support.lower, model.support.upper))
    if model.discrete:
        if model.support.values is not None:
            values = np.array(model.support.values, dtype=float)
        else:
            top = hi if np.isfinite(hi) else lo + 10
            while not np.isfinite(hi) and np.real(f(np.array([top])))[0] > 1e-14 and top < lo + 1e6:
                top = lo + 2 * (top - lo)
            # never more points than the parser lets a literal support have (a bound may be a constant)
            values = np.arange(lo, min(top, lo + MAX_FINITE_POINTS - 1) + 1)
        # exp(log p): C(10⁶, x) p^x (1-p)^{10⁶-x} as written is inf · 0 in floats
        pmf = numeric.weighted_function(sp.S.One, model.density, x, point)
        weights = np.clip(np.real(pmf(values)), 0, None)
        return rng.choice(values, size=size, p=weights / weights.sum())
    centre = (lo + hi) / 2 if np.isfinite(lo) and np.isfinite(hi) else lo + 1 if np.isfinite(lo) else \
        hi - 1 if np.isfinite(hi) else 0.0
    width = 1.0
    while width < 1e6:
        a = max(lo, centre - width)
        b = min(hi, centre + width)
        edge = np.real(f(np.array([a + 1e-12 * (b - a), b - 1e-12 * (b - a)])))
        peak = np.max(np.real(f(np.linspace(a, b, 2001)[1:-1])))
        if (a == lo or edge[0] < 1e-10 * peak) and (b == hi or edge[1] < 1e-10 * peak):
            break
        width *= 2
    grid = np.linspace(a, b, GRID)
    with np.errstate(all="ignore"):
        pdf = np.nan_to_num(np.clip(np.real(f(grid)), 0, None))
    cdf = np.concatenate([[0.0], np.cumsum((pdf[1:] + pdf[:-1]) / 2 * np.diff(grid))])
    cdf /= cdf[-1]
    return np.interp(rng.uniform(size=size), cdf, grid)


GRID = 40001


def _maximum(model: Model, solutions: list[dict], sums: list[sp.Sum], names: list[sp.Symbol],
             n: sp.Symbol, free: tuple[sp.Symbol, ...]) -> dict | None:
    """The solution that, on a sample drawn from the model at each of several parameter points, lies in
    the parameter domains and is a strict maximum of L there (negative definite Hessian in ``free``)."""
    rng = np.random.default_rng(SEED)
    x = model.variable
    passed = {k: 0 for k in range(len(solutions))}
    points = model.sample_points(CHECK_POINTS)
    for point in points:
        fixed = {c.symbol: point[c.symbol] for c in model.constants}
        sample = simulate(model, point, CHECK_SIZE, rng)
        if len(np.unique(sample)) < 2:
            return None                 # a degenerate sample says nothing about a maximum
        statistics = {}
        for s, name in zip(sums, names):
            body = s.function.replace(lambda a: isinstance(a, sp.Indexed), lambda a: x).subs(fixed)
            values = numeric.function_of(body, x, point)(sample)
            statistics[name] = float(np.sum(np.real(values)))
        statistics.update({o: float(f(sample)) for o, f in ORDER_STATISTICS.items()})
        log_p = sp.log(model.density).subs(fixed)
        for k, solution in enumerate(solutions):
            if _strict_maximum(model, solution, statistics, fixed, len(sample), n, sample, log_p, free):
                passed[k] += 1
    best = [k for k, count in passed.items() if count == len(points)]
    return solutions[best[0]] if len(best) == 1 else None


def _strict_maximum(model: Model, solution: dict, statistics: dict, fixed: dict, size: int, n: sp.Symbol,
                    sample: np.ndarray, log_p: sp.Expr, free: tuple[sp.Symbol, ...]) -> bool:
    x = model.variable
    try:
        estimate = {t: complex(sp.N(solution[t].subs(statistics).subs({n: size}).subs(fixed)))
                    for t in model.theta}
    except (TypeError, ValueError, ZeroDivisionError):
        return False
    if any(not np.isfinite(v) or abs(v.imag) > 1e-9 for v in estimate.values()):
        return False
    real = {t: v.real for t, v in estimate.items()}
    if not all(_in_domain(d, real[d.symbol]) for d in model.parameters):
        return False
    with np.errstate(all="ignore"):
        try:
            gradient = np.array([float(np.sum(np.real(numeric.function_of(
                sp.diff(log_p, a).subs(real), x, {})(sample)))) for a in free])
            hessian = np.array([[float(np.sum(np.real(numeric.function_of(
                sp.diff(log_p, a, b).subs(real), x, {})(sample)))) for b in free] for a in free])
        except (TypeError, ValueError, KeyError):
            return False
    if not (np.all(np.isfinite(hessian)) and np.all(np.isfinite(gradient))):
        return False
    # a critical point (the solve should guarantee it: this catches a wrong root) with a negative definite Hessian
    scale = 1.0 + max(abs(v) for v in real.values())
    critical = np.all(np.abs(gradient) <= 1e-6 * scale * (1.0 + np.abs(np.diag(hessian))))
    return bool(critical and np.all(np.linalg.eigvalsh(hessian) < 0))


def _in_domain(d: Declared, value: float) -> bool:
    name = d.domain.name
    return {"positive": value > 0, "nonnegative": value >= 0, "unit": 0 < value < 1}.get(name, np.isfinite(value))


def cramer_rao(fisher: tuple[tuple[sp.Expr | None, ...], ...], n: sp.Symbol, facts: Hypotheses,
               seconds: float) -> Section:
    """F⁻¹/n: the bound on the covariance of unbiased estimators, where its hypotheses were established."""
    if not facts.holds("cramer_rao"):
        return Section("results:cramer-rao", ())
    F = sp.Matrix(fisher)
    try:
        inverse = budget.run(lambda: sp.simplify(F.inv()), seconds=seconds, label="F⁻¹")
    except (BudgetExceeded, ValueError):
        return Section("results:cramer-rao", ())
    bound = sp.ImmutableMatrix(inverse / n).applyfunc(sp.factor_terms)
    return Section("results:cramer-rao", (
        Chain("cramer-rao", (Step(Tex(r"\operatorname{Cov}(\hat{\theta})"),
                                  Tex(r"\frac{1}{n}\,\mathbf{F}^{-1}"), "cramer-rao", relation="⪰"),
                             Step(Tex(r"\frac{1}{n}\,\mathbf{F}^{-1}"), bound, "matrix-inverse"))),
    ))


def reparametrization(model: Model, fisher: tuple[tuple[sp.Expr | None, ...], ...], seconds: float,
                      derive_directly) -> Section:
    """F_η = Jᵀ F_θ(h(η)) J, and F derived directly in η: the two must agree."""
    rep = model.reparametrization
    if rep is None or model.support_depends_on_theta or any(e is None for row in fisher for e in row):
        return Section("results:reparametrization", ())
    eta = tuple(d.symbol for d in rep.parameters)
    theta_of_eta = dict(zip(model.theta, rep.theta))
    J = sp.ImmutableMatrix(len(model.theta), len(eta), lambda r, c: sp.diff(rep.theta[r], eta[c]))
    F_theta = sp.ImmutableMatrix(fisher).subs(theta_of_eta)
    try:
        F_eta = budget.run(lambda: sp.ImmutableMatrix(J.T * F_theta * J).applyfunc(_tidy), seconds=seconds,
                           label="Jᵀ F J")
    except BudgetExceeded:
        return Section("results:reparametrization", ())
    direct_model = dataclasses.replace(
        model, density=sp.simplify(model.density.subs(theta_of_eta)), parameters=rep.parameters,
        support=model.support,
        reparametrization=None, title="", title_zh="", diagnostics=())
    direct = derive_directly(direct_model)
    agree = all(direct.fisher[j][k] is not None and _tidy(direct.fisher[j][k] - F_eta[j, k]) == 0
                for j in range(len(eta)) for k in range(len(eta)))
    differ = not agree and _witness(sp.ImmutableMatrix([[e if e is not None else sp.nan for e in row]
                                                        for row in direct.fisher]) - F_eta, direct_model)
    eta_tex = ", ".join(sp.latex(e) for e in eta)
    return Section("results:reparametrization", (
        *(Chain(f"reparametrization:map:{t.name}", (Step(Tex(sp.latex(t)), h, "reparametrization-map"),))
          for t, h in zip(model.theta, rep.theta)),
        Chain("reparametrization:fisher", (
            Step(Tex(rf"\mathbf{{F}}_{{{eta_tex}}}"), Tex(r"\mathbf{J}^T \mathbf{F}_\theta \mathbf{J}"),
                 "reparametrization"),
            Step(Tex(r"\mathbf{J}^T \mathbf{F}_\theta \mathbf{J}"),
                 sp.MatMul(J.T, F_theta, J, evaluate=False), "substitute"),
            Step(sp.MatMul(J.T, F_theta, J, evaluate=False), F_eta, "simplify"),
            # "≠" only with a numeric witness; without one either way the comparison is left out
            *((Step(F_eta, sp.ImmutableMatrix(direct.fisher), "direct-derivation",
                    relation="=" if agree else "≠"),) if agree or differ else ()))),
    ))


def _witness(difference: sp.ImmutableMatrix, model: Model) -> bool:
    """A parameter point inside the domains where some entry of ``difference`` is clearly not 0."""
    if difference.has(sp.nan):
        return False
    for point in model.sample_points(3):
        values = [numeric.evaluate(e.subs(point), {}) for e in difference]
        if any(np.isfinite(v) and abs(v) > 1e-6 for v in values):
            return True
    return False


def kl_divergence(model: Model, fisher, facts: Hypotheses, engine_for, seconds: float) -> Section:
    """KL[p(x|θ) ‖ p(x|θ+d)] exactly where possible, and its second-order expansion ½ dᵀ F d + O(‖d‖³).

    The expansion through E[s] = 0 and E[H] = −F is written only where those were
    established; otherwise only the exact divergence and its own expansion are shown.
    """
    if any(e is None for row in fisher for e in row) or model.support_depends_on_theta:
        return Section("results:kl", ())
    m = len(model.theta)
    d = [sp.Symbol(f"d_{k + 1}" if m > 1 else "d", real=True) for k in range(m)]
    eps = sp.Symbol("epsilon", positive=True)
    F = sp.Matrix(fisher)
    quadratic = sp.expand((sp.Matrix([d]) * F * sp.Matrix(d))[0, 0] / 2)
    kl = Tex(r"KL[p(x|\theta) \| p(x|\theta+d)]")
    definition = Tex(r"\mathbb{E}_{p(x|\theta)}\left[\log p(x|\theta) - \log p(x|\theta+d)\right]")
    taylor = Tex(r"-d^T \mathbb{E}_{p(x|\theta)}[s(x|\theta)] - \frac{1}{2} d^T \mathbb{E}_{p(x|\theta)}"
                 rf"[\mathbf{{H}}_{{\log p(x|\theta)}}] d + {O3}")
    steps = [Step(kl, definition, "kl-definition")]
    if facts.holds("kl_quadratic"):
        steps += [Step(definition, taylor, "taylor"),
                  Step(taylor, Tex(rf"\frac{{1}}{{2}} d^T \mathbf{{F}} d + {O3}"), "fisher-identity"),
                  Step(Tex(rf"\frac{{1}}{{2}} d^T \mathbf{{F}} d + {O3}"), _with_remainder(quadratic), "substitute")]
    chains = [Chain("kl:definition", tuple(steps))]
    exact = _exact_kl(model, d, engine_for, seconds)
    if exact is not None:
        try:
            series = budget.run(lambda: _collect(sp.expand(sp.series(exact.subs({dk: eps * dk for dk in d}), eps, 0, 3)
                                                           .removeO().subs(eps, 1)), d), seconds=seconds,
                                label="KL series")
            same = sp.simplify(series - quadratic) == 0
        except (BudgetExceeded, sp.PolynomialError, ValueError, NotImplementedError):
            series, same = None, False
        if series is not None:
            # the comparison with ½ dᵀ F d is shown only where it was proved (no "≠" without a witness)
            last = (Step(_with_remainder(series), _with_remainder(quadratic), "kl-quadratic"),) if same else ()
            chains.append(Chain("kl:exact", (
                Step(kl, exact, "expectation-computed"),
                Step(exact, _with_remainder(series), "taylor"), *last)))
    if len(chains[0].steps) == 1 and len(chains) == 1:
        return Section("results:kl", ())      # neither the expansion nor the exact value: nothing to show
    return Section("results:kl", tuple(chains))


def _with_remainder(expr: sp.Expr) -> Tex:
    """An expansion with its remainder: an approximation stays one to the last line."""
    return Tex(f"{latex(expr)} + {O3}")


def _exact_kl(model: Model, d: list[sp.Symbol], engine_for, seconds: float) -> sp.Expr | None:
    """E_θ[log p(x|θ) − log p(x|θ')] by the engine, with θ' declared as constants, then θ' = θ + d."""
    primes = [Declared(sp.Symbol(t.name + "_prime", **t.assumptions0), p.domain, p.source + "'")
              for t, p in zip(model.theta, model.parameters)]
    shifted = model.density.subs({t: q.symbol for t, q in zip(model.theta, primes)})
    helper = dataclasses.replace(model, constants=model.constants + tuple(primes), diagnostics=())
    log_p = sp.expand_log(sp.log(model.density), force=True)
    g = log_p - sp.expand_log(sp.log(shifted), force=True)
    try:
        outcome = engine_for(helper, log_p).expect(sp.expand(g), "KL")
    except (SymfisherError, ArithmeticError):
        # e.g. a numeric cross-check whose sum does not converge: the exact value is not established
        return None
    if outcome.value is None:
        return None
    return sp.simplify(outcome.value.subs({q.symbol: t + dk for q, t, dk in zip(primes, model.theta, d)}))
