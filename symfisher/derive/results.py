"""What follows from the Fisher matrix: the MLE, the Cramér–Rao bound, reparametrization, the KL view.

Each result is a Section of steps, like the rest of the derivation, with its
own checks:

- **MLE**: the likelihood equations Σᵢ sⱼ(xᵢ|θ) = 0 are solved for θ with the
  sums as statistics; a solution is kept when it lies in the parameter domains
  for a simulated sample and is a maximum there (negative definite Hessian).
- **Cramér–Rao**: F⁻¹/n bounds the covariance of unbiased estimators and is the
  asymptotic covariance of the MLE.
- **Reparametrization**: for θ = h(η), F_η = Jᵀ F_θ J with J = ∂θ/∂η, compared
  with F derived directly in η.
- **KL**: KL[p(x|θ) ‖ p(x|θ+d)] computed exactly (when the engine can) and
  expanded to second order in d: ½ dᵀ F d.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import sympy as sp

from symfisher import budget, numeric
from symfisher.derive.steps import Chain, Section, Status, Step, Tex
from symfisher.errors import BudgetExceeded, SymfisherError
from symfisher.model import Model
from symfisher.model.model import Declared, SEED
from symfisher.printing import latex

SOLVE_SECONDS = 8.0


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
        seconds: float = SOLVE_SECONDS) -> Section:
    """θ̂ from Σᵢ s(xᵢ|θ) = 0, in closed form where one exists."""
    theta = model.theta
    equations = [sp.together(_sample_sums(s, i, n)) for s in sample_score]
    sums = sorted({a for e in equations for a in e.atoms(sp.Sum)}, key=sp.default_sort_key)
    if any(s.has(*theta) for s in sums):
        return Section("results:mle", (_no_closed_form(model, "the likelihood equations mix θ and the data "
                                                              "inside the sums"),))
    names = [sp.Symbol(f"T_{k}", real=True) for k in range(len(sums))]
    numerators = [sp.numer(e).subs(dict(zip(sums, names))) for e in equations]
    try:
        solutions = budget.run(lambda: sp.solve(numerators, list(theta), dict=True), seconds=seconds,
                               label="solve ∇L = 0")
    except (BudgetExceeded, NotImplementedError) as exc:
        reason = exc.one_line() if isinstance(exc, SymfisherError) else "SymPy cannot solve them"
        return Section("results:mle", (_no_closed_form(model, reason),))
    chosen = _maximum(model, [s for s in solutions if set(s) == set(theta)], sums, names, n, i)
    if chosen is None:
        return Section("results:mle", (_no_closed_form(model, "no solution of the likelihood equations is a "
                                                              "maximum inside the parameter domains"),))
    back = dict(zip(names, sums))
    chains = tuple(Chain(f"mle:{t.name}", (Step(Tex(rf"\hat{{{sp.latex(t)}}}"), sp.factor_terms(chosen[t].subs(back)),
                                                "mle-solve"),)) for t in theta)
    return Section("results:mle", chains)


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


def _no_closed_form(model: Model, reason: str) -> Chain:
    return Chain("mle:none", (Step(Tex(r"\hat{\theta}"), Tex(r"\arg\max_{\theta} L(X|\theta)"), "mle-numeric",
                                   Status.UNKNOWN, reason),))


def _maximum(model: Model, solutions: list[dict], sums: list[sp.Sum], names: list[sp.Symbol],
             n: sp.Symbol, i: sp.Symbol) -> dict | None:
    """The solution that lies in the domains and maximizes L for a simulated sample."""
    rng = np.random.default_rng(SEED)
    point = model.sample_points(1)[0]
    values = np.array(list(numeric.support_samples(model.support, point)), dtype=float)
    if len(values) == 0:
        return None
    sample = rng.choice(values, size=min(25, len(values) * 5), replace=True)
    if model.discrete and len(set(sample)) < 2:
        sample = values[:25]
    x = model.variable
    statistics = {}
    for s, name in zip(sums, names):
        body = s.function.replace(lambda a: isinstance(a, sp.Indexed), lambda a: x)
        f = sp.lambdify(x, body, "numpy")
        statistics[name] = float(np.sum(np.broadcast_to(f(sample), sample.shape)))
    fixed = {c.symbol: point[c.symbol] for c in model.constants}
    for solution in solutions:
        try:
            estimate = {t: complex(sp.N(solution[t].subs(statistics).subs({n: len(sample)}).subs(fixed)))
                        for t in model.theta}
        except (TypeError, ValueError):
            continue
        if any(abs(v.imag) > 1e-9 for v in estimate.values()):
            continue
        real = {t: v.real for t, v in estimate.items()}
        if not all(_in_domain(d, real[d.symbol]) for d in model.parameters):
            continue
        log_p = sp.log(model.density).subs(fixed)
        hessian = np.array([[float(np.sum(np.real(np.broadcast_to(
            sp.lambdify(x, sp.diff(log_p, a, b).subs(real), "numpy")(sample), sample.shape))))
            for b in model.theta] for a in model.theta])
        if np.all(np.linalg.eigvalsh(hessian) < 0):
            return solution
    return None


def _in_domain(d: Declared, value: float) -> bool:
    name = d.domain.name
    return {"positive": value > 0, "nonnegative": value >= 0, "unit": 0 < value < 1}.get(name, np.isfinite(value))


def cramer_rao(fisher: tuple[tuple[sp.Expr | None, ...], ...], n: sp.Symbol, seconds: float) -> Section:
    """F⁻¹/n: the bound on the covariance of unbiased estimators, the MLE's asymptotic covariance."""
    if any(e is None for row in fisher for e in row):
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
            Step(F_eta, sp.ImmutableMatrix(direct.fisher), "direct-derivation",
                 Status.PROVED if agree else Status.UNKNOWN, relation="=" if agree else "≠"))),
    ))


def kl_divergence(model: Model, fisher, engine_for, seconds: float) -> Section:
    """KL[p(x|θ) ‖ p(x|θ+d)] exactly where possible, and its second-order expansion ½ dᵀ F d."""
    if any(e is None for row in fisher for e in row) or model.support_depends_on_theta:
        return Section("results:kl", ())
    m = len(model.theta)
    d = [sp.Symbol(f"d_{k + 1}" if m > 1 else "d", real=True) for k in range(m)]
    eps = sp.Symbol("epsilon", positive=True)
    F = sp.Matrix(fisher)
    quadratic = sp.expand((sp.Matrix([d]) * F * sp.Matrix(d))[0, 0] / 2)
    chains = [Chain("kl:definition", (
        Step(Tex(r"KL[p(x|\theta) \| p(x|\theta+d)]"),
             Tex(r"\mathbb{E}_{p(x|\theta)}\left[\log p(x|\theta) - \log p(x|\theta+d)\right]"), "kl-definition"),
        Step(Tex(r"\mathbb{E}_{p(x|\theta)}\left[\log p(x|\theta) - \log p(x|\theta+d)\right]"),
             Tex(r"-d^T \mathbb{E}_{p(x|\theta)}[s(x|\theta)] - \frac{1}{2} d^T \mathbb{E}_{p(x|\theta)}"
                 r"[\mathbf{H}_{\log p(x|\theta)}] d + O(\|d\|^3)"), "taylor"),
        Step(Tex(r"-d^T \mathbb{E}_{p(x|\theta)}[s(x|\theta)] - \frac{1}{2} d^T \mathbb{E}_{p(x|\theta)}"
                 r"[\mathbf{H}_{\log p(x|\theta)}] d + O(\|d\|^3)"),
             Tex(r"\frac{1}{2} d^T \mathbf{F} d + O(\|d\|^3)"), "fisher-identity"),
        Step(Tex(r"\frac{1}{2} d^T \mathbf{F} d"), quadratic, "substitute")))]
    exact = _exact_kl(model, d, engine_for, seconds)
    if exact is not None:
        try:
            series = budget.run(lambda: _collect(sp.expand(sp.series(exact.subs({dk: eps * dk for dk in d}), eps, 0, 3)
                                                           .removeO().subs(eps, 1)), d), seconds=seconds,
                                label="KL series")
            same = sp.simplify(series - quadratic) == 0
        except BudgetExceeded:
            series, same = None, False
        if series is not None:
            chains.append(Chain("kl:exact", (
                Step(Tex(r"KL[p(x|\theta) \| p(x|\theta+d)]"), exact, "expectation-computed"),
                Step(exact, Tex(f"{latex(series)} + O(\\|d\\|^3)"), "taylor"),
                Step(series, quadratic, "kl-quadratic", Status.PROVED if same else Status.UNKNOWN,
                     relation="=" if same else "≠"))))
    return Section("results:kl", tuple(chains))


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
    except SymfisherError:
        return None
    if outcome.value is None:
        return None
    return sp.simplify(outcome.value.subs({q.symbol: t + dk for q, t, dk in zip(primes, model.theta, d)}))
