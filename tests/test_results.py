"""What follows from F: MLE, Cramér–Rao, reparametrization and KL, checked numerically."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
import yaml

from documents import ROOT

from symfisher import numeric
from symfisher.catalog import catalog
from symfisher.derive import Status, Tex
from symfisher.derive.results import O3, ORDER_MAX, ORDER_MIN
from symfisher.model import build_model
from symfisher.model.spec import ModelSpec
from symfisher.printing import latex
from symfisher.render import render

RNG = np.random.default_rng(20251124)


def section(d, key):
    return {c.key: c for s in d.sections if s.key == key for c in s.chains}


def evaluate_on_sample(expr: sp.Expr, sample: np.ndarray, n: sp.Symbol) -> float:
    """Replace every Σᵢ g(xᵢ) by its value on the sample, and n by its size."""
    def total(s: sp.Sum) -> sp.Expr:
        body = s.function.replace(lambda a: isinstance(a, sp.Indexed), lambda a: sp.Symbol("_x"))
        f = sp.lambdify(sp.Symbol("_x"), body, "numpy")
        return sp.Float(float(np.sum(np.broadcast_to(f(sample), sample.shape))))
    return float(expr.replace(lambda a: isinstance(a, sp.Sum), total).subs(n, len(sample)))


MLE = {   # textbook estimates from a sample
    "normal": {"mu": np.mean, "sigma": np.std},
    "poisson": {"lambda": np.mean},
    "bernoulli": {"p": np.mean},
    "exponential": {"lambda": lambda s: 1 / np.mean(s)},
    "normal_variance": {"mu": np.mean, "v": np.var},
    "geometric": {"p": lambda s: 1 / np.mean(s)},
}
SAMPLERS = {
    "normal": lambda: RNG.normal(0.7, 1.9, 40), "normal_variance": lambda: RNG.normal(-0.3, 1.4, 40),
    "poisson": lambda: RNG.poisson(2.5, 40).astype(float), "bernoulli": lambda: RNG.binomial(1, 0.3, 40).astype(float),
    "exponential": lambda: RNG.exponential(0.8, 40), "geometric": lambda: RNG.geometric(0.4, 40).astype(float),
}


@pytest.mark.parametrize("name", sorted(MLE))
def test_closed_form_mle_is_the_textbook_estimate(name, derived):
    d = derived(name)
    chains = section(d, "results:mle")
    sample = SAMPLERS[name]()
    for parameter, textbook in MLE[name].items():
        estimate = chains[f"mle:{parameter}"].result
        assert abs(evaluate_on_sample(estimate, sample, d.sample_size) - textbook(sample)) < 1e-9


@pytest.mark.parametrize("name", ["gamma", "cauchy", "weibull"])
def test_no_closed_form_is_said_so(name, derived):
    chains = section(derived(name), "results:mle")
    assert list(chains) == ["mle:none"] and chains["mle:none"].steps[0].status is Status.UNKNOWN


@pytest.mark.parametrize("name", ["normal", "poisson", "bernoulli", "gamma", "exponential", "beta"])
def test_cramer_rao_bound_is_the_inverse_fisher_matrix_over_n(name, derived):
    d = derived(name)
    bound = section(d, "results:cramer-rao")["cramer-rao"].result
    n = d.sample_size
    product = sp.simplify(sp.Matrix(bound) * n * sp.Matrix(d.fisher))
    assert product == sp.eye(len(d.theta))


def test_the_mle_attains_the_bound_by_simulation(derived):
    """Poisson: Var(λ̂ = x̄) over 4000 replications of n = 50 matches λ/n from the bound."""
    d = derived("poisson")
    bound = section(d, "results:cramer-rao")["cramer-rao"].result
    lam, n = 2.5, 50
    estimates = RNG.poisson(lam, (4000, n)).mean(axis=1)
    predicted = float(bound[0, 0].subs({d.theta[0]: lam, d.sample_size: n}))
    assert abs(estimates.var() / predicted - 1) < 0.08


PAIRS = {"normal": "normal_variance", "exponential": "exponential_scale", "gamma": "gamma_scale",
         "bernoulli": "bernoulli_logit", "poisson": "poisson_log"}


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_reparametrized_fisher_matrix_is_the_directly_derived_one(name, derived, same):
    d = derived(name)
    chain = section(d, "results:reparametrization")["reparametrization:fisher"]
    last = chain.steps[-1]
    assert last.rule == "direct-derivation" and last.relation == "=" and last.status is Status.PROVED
    F_eta = sp.Matrix(last.lhs)
    other = derived(PAIRS[name])
    # the catalogue's own model in η (its names may differ: θ ↔ ϑ for the gamma scale)
    rename = {a: b for a, b in zip(sorted(F_eta.free_symbols, key=lambda s: s.name),
                                   sorted(sp.Matrix(other.fisher).free_symbols, key=lambda s: s.name))}
    if name == "gamma":
        rename = {s: next(t for t in other.theta if t.name == {"k": "k", "vartheta": "theta"}[s.name])
                  for s in F_eta.free_symbols}
    for j in range(F_eta.rows):
        for k in range(F_eta.cols):
            same(F_eta[j, k].subs(rename), other.fisher[j][k])


@pytest.mark.parametrize("name", ["normal", "poisson", "bernoulli", "exponential", "gamma"])
def test_kl_divergence_exact_value_and_its_fisher_quadratic_form(name, derived):
    d = derived(name)
    chains = section(d, "results:kl")
    exact_chain = chains["kl:exact"]
    exact = exact_chain.steps[0].rhs
    assert exact_chain.steps[-1].rule == "kl-quadratic" and exact_chain.steps[-1].status is Status.PROVED
    model = d.model
    point = model.sample_points(1)[0]
    m = len(model.theta)
    ds = sorted(exact.free_symbols - set(model.theta) - {c.symbol for c in model.constants}, key=str)
    assert len(ds) == m
    shift = {dk: sp.Rational(1, 10) * (k + 1) * (-1) ** k for k, dk in enumerate(ds)}
    shifted_point = {t: point[t] + shift[dk] for t, dk in zip(model.theta, ds)}
    log_ratio = sp.log(model.density) - sp.log(model.density.subs(shifted_point))
    quadrature = numeric.expectation(log_ratio, model.density, model.variable, model.support, point).real
    assert abs(float(exact.subs(shift).subs(point)) - quadrature) < 1e-7 * max(1, abs(quadrature))
    # and the quadratic form is ½ dᵀ F d with the derived F, its remainder kept to the last line
    F = sp.Matrix(d.fisher)
    dvec = sp.Matrix(ds)
    expected = sp.expand((dvec.T * F * dvec)[0, 0] / 2)
    assert chains["kl:definition"].result.latex == f"{latex(expected)} + {O3}"
    assert exact_chain.steps[-1].rhs.latex == f"{latex(expected)} + {O3}"


def test_results_can_be_switched_off():
    d = __import__("symfisher").derive(build_model(catalog()["poisson"]), results=False)
    assert not [s for s in d.sections if s.key.startswith("results:")]


# --- theorems only under their hypotheses (issue 11) -------------------------------------------------------


def user_model(density, params, support, constants=()):
    return build_model(ModelSpec(density=density, parameters=tuple(params), constants=tuple(constants),
                                 support=support))


#: supports that depend on θ: the MLE is an order statistic, found from the bound and the score's sign
ORDER = {
    "uniform(0, θ)": (lambda: build_model(catalog()["uniform"]), "theta", ORDER_MAX, np.max,
                      lambda rng, th, n: rng.uniform(0, th, n)),
    "shifted exponential": (lambda: user_model(r"e^{-(x-\theta)}", [(r"\theta", "real")], r"(\theta,\infty)"),
                            "theta", ORDER_MIN, np.min, lambda rng, th, n: th + rng.exponential(1.0, n)),
    "Pareto, x_m a parameter": (lambda: user_model(r"\frac{\alpha x_m^\alpha}{x^{\alpha+1}}",
                                                   [(r"\alpha", "positive"), ("x_m", "positive")], r"(x_m,\infty)"),
                                "x_m", ORDER_MIN, np.min, lambda rng, th, n: th * (1 + rng.pareto(2.5, n))),
}


@pytest.mark.parametrize("case", sorted(ORDER))
def test_an_mle_at_the_support_bound_is_the_order_statistic(case):
    build, name, statistic, textbook, _ = ORDER[case]
    d = __import__("symfisher").derive(build())
    chains = section(d, "results:mle")
    estimate = chains[f"mle:{name}"].result
    assert estimate == statistic
    assert chains[f"mle:{name}"].steps[-1].rule == "mle-order-statistic"
    assert not d.hypotheses.holds("cramer_rao") and not section(d, "results:cramer-rao")
    text = render(d, "md", "en", date="2025-08-18")
    assert "Fisher scoring" not in text and r"\sqrt{n}\,(\hat" not in text


def test_pareto_shape_after_the_scale_is_the_textbook_estimate():
    d = __import__("symfisher").derive(ORDER["Pareto, x_m a parameter"][0]())
    chains = section(d, "results:mle")
    sample = 1.3 * (1 + RNG.pareto(2.5, 60))
    alpha = chains["mle:alpha"].result.subs(ORDER_MIN, float(sample.min()))
    textbook = len(sample) / np.sum(np.log(sample / sample.min()))
    assert abs(evaluate_on_sample(alpha, sample, d.sample_size) - textbook) < 1e-9


def test_the_uniform_mle_error_shrinks_like_one_over_n():
    """n (θ − max xᵢ) → Exp(rate 1/θ) as printed: its mean stays at θ as n grows, so the error is O(1/n)."""
    d = __import__("symfisher").derive(build_model(catalog()["uniform"]))
    rate = section(d, "results:mle")["mle-rate:theta"]
    assert rate.steps[0].relation == "⇝" and r"\frac{1}{\theta}" in rate.steps[0].rhs.latex
    rng = np.random.default_rng(11)
    theta = 2.0
    for n in (20, 200, 2000):
        errors = theta - rng.uniform(0, theta, (4000, n)).max(axis=1)
        assert abs(np.mean(n * errors) / theta - 1) < 0.06            # the mean of Exp(1/θ) is θ
        assert abs(np.mean(n * errors > theta) - np.exp(-1)) < 0.03   # and its tail e^{−y/θ} at y = θ


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", ["uniform", "laplace"])
def test_no_theorem_outside_its_hypotheses_in_the_write_up(name, lang, derived):
    d = derived(name)
    words = yaml.safe_load((ROOT / "templates" / "wording" / f"{lang}.yaml").read_text(encoding="utf-8"))
    text = render(d, "md", lang, date="2025-08-18")
    assert words["relation"]["closing"] not in text            # F in place of H after the routes disagree
    if name == "uniform":
        assert r"\frac{\theta^{2}}{n}" not in text and r"\sqrt{n}\,(\hat" not in text   # no Cramér–Rao, no √n
        assert words["fisher"]["covariance"] not in text       # no "substituting the zero mean"
        assert "Fisher scoring" not in text
        assert r"\hat{\theta} &= \arg\max_{\theta \,\geq\, x_{(n)}}" in text and "&= x_{(n)}" in text
    else:
        assert r"\sqrt{n}\,(\hat{\theta}" not in text          # asymptotic normality needs the 2nd derivative
        kl = section(d, "results:kl")
        assert not kl or [step.rule for step in kl["kl:definition"].steps] == ["kl-definition"]   # no Taylor via E[H]


def test_the_laplace_write_up_never_equates_the_point_mass_with_zero(derived):
    d = derived("laplace")
    hessian = {c.key: c for c in d.section("hessian").chains}
    distributional = hessian["hessian:mu:mu"]
    assert distributional.steps[0].lhs.latex.startswith(r"\mathbf{H}^{\delta}")
    assert distributional.result.has(sp.DiracDelta)
    assert hessian["hessian-classical:mu:mu"].result == 0 and hessian["hessian-classical:mu:mu"].steps[0].rule == \
        "classical-hessian"
    # every chain that starts from 𝐇^δ ends in a value with the point mass (1/b²), never 0
    b = d.theta[1]
    for s in d.sections:
        for c in s.chains:
            if isinstance(c.lhs, Tex) and r"\mathbf{H}^{\delta}" in c.lhs.latex and "E" in c.lhs.latex:
                assert sp.simplify(c.result - 1 / b ** 2) == 0


def test_every_kl_line_after_the_expansion_keeps_its_remainder(derived):
    for name in ("normal", "gamma", "poisson"):
        for chain in section(derived(name), "results:kl").values():
            rules = [step.rule for step in chain.steps]
            after = chain.steps[rules.index("taylor"):]
            assert all(isinstance(step.rhs, Tex) and step.rhs.latex.endswith(O3) for step in after)


@pytest.mark.parametrize("name", sorted(catalog()))
def test_cramer_rao_is_stated_exactly_when_its_hypotheses_hold(name, derived):
    d = derived(name)
    stated = bool(section(d, "results:cramer-rao"))
    assert stated <= d.hypotheses.holds("cramer_rao")
    if d.hypotheses.positive_definite:          # then F must be positive definite at random points
        for point in d.model.sample_points(3):
            F = np.array([[complex(sp.N(e.subs(point))).real for e in row] for row in d.fisher])
            assert np.all(np.linalg.eigvalsh(F) > 0)
    text = render(d, "md", "en", date="2025-08-18")
    words = yaml.safe_load((ROOT / "templates" / "wording" / "en.yaml").read_text(encoding="utf-8"))
    assert (r"\succeq \frac{1}{n}" in text) == stated
    assert (words["relation"]["closing"] in text) == d.hypotheses.holds("fisher_for_hessian")
    assert "for this model: ." not in text and "were not established: ." not in text   # a reason is always given


def test_positive_definiteness_is_decided_where_sympy_alone_cannot(derived):
    """Gamma: det F = (αψ'(α) − 1)/β², decided through the scores' independence (Wronskian)."""
    assert derived("gamma").hypotheses.positive_definite is True
    assert derived("beta").hypotheses.positive_definite is True
    assert derived("bernoulli").hypotheses.positive_definite is True


ISOLATION = {
    "gompertz": (r"b\,\eta\,e^{\eta}\,e^{bx}\exp\left(-\eta e^{bx}\right)", [(r"\eta", "positive")],
                 [("b", "positive")], r"(0,\infty)"),
    "weibull-known-shape": (r"\frac{k}{\lambda}\left(\frac{x}{\lambda}\right)^{k-1} e^{-(x/\lambda)^k}",
                            [(r"\lambda", "positive")], [("k", "positive")], r"(0,\infty)"),
    "logarithmic": (r"\frac{-1}{\ln(1-p)}\cdot\frac{p^{x}}{x}", [("p", "unit")], [], r"\{1,2,3,\dots\}"),
}


@pytest.mark.parametrize("case", sorted(ISOLATION))
def test_valid_models_give_a_write_up_without_a_traceback(case):
    density, params, constants, support = ISOLATION[case]
    d = __import__("symfisher").derive(user_model(density, params, support, constants))
    for lang in ("en", "zh"):
        assert render(d, "md", lang, date="2025-08-18")
    if case == "gompertz":          # the MLE check used to turn a statistic into a function with b still a symbol
        mle = section(d, "results:mle")
        assert "mle:eta" in mle
        sample = RNG.uniform(0.1, 2.0, 30)
        # θ̂ = ... solves Σ s(xᵢ) = 0 at b = 0.7
        b, eta = sp.Symbol("b", positive=True), d.theta[0]
        value = evaluate_on_sample(mle["mle:eta"].result.subs(b, 0.7), sample, d.sample_size)
        score = sp.lambdify(d.model.variable, d.score[0].subs({b: 0.7, eta: value}))
        assert abs(np.sum(score(sample))) < 1e-8 * len(sample)


def test_an_overparametrized_model_is_not_called_positive_definite():
    """N(a + b, 1): F = [[1, 1], [1, 1]] is singular, so no Cramér–Rao bound is stated."""
    d = __import__("symfisher").derive(user_model(r"\frac{1}{\sqrt{2\pi}} e^{-(x-a-b)^2/2}",
                                                  [("a", "real"), ("b", "real")], r"(-\infty,\infty)"))
    assert sp.Matrix(d.fisher).det() == 0
    assert d.hypotheses.positive_definite is False and not d.hypotheses.holds("cramer_rao")
    assert not section(d, "results:cramer-rao")
    assert "Cramér–Rao bound and the asymptotic normality of the MLE are not stated" in render(d, "md", "en")


def test_the_logarithmic_distribution_is_positive_definite_from_its_support_points():
    d = __import__("symfisher").derive(user_model(*[ISOLATION["logarithmic"][k] for k in (0, 1, 3)]),
                                       results=False)
    assert d.hypotheses.positive_definite is True
    for point in d.model.sample_points(3):
        assert complex(sp.N(d.fisher[0][0].subs(point))).real > 0


def test_the_maximum_check_rejects_roots_outside_the_domains_and_minima():
    """Normal: σ̂ = −√(…) is outside σ > 0; a point where L is at a minimum in μ is no maximum."""
    from symfisher.derive.results import _maximum
    d = __import__("symfisher").derive(build_model(catalog()["normal"]), results=False)
    mu, sigma = d.theta
    n = d.sample_size
    x = sp.IndexedBase("x")
    i = sp.Symbol("i", integer=True)
    s1, s2 = sp.Sum(x[i], (i, 1, n)), sp.Sum(x[i] ** 2, (i, 1, n))
    T1, T2 = sp.Symbol("T_0", real=True), sp.Symbol("T_1", real=True)
    root = sp.sqrt(n * T2 - T1 ** 2) / n
    good = {mu: T1 / n, sigma: root}
    assert _maximum(d.model, [good], [s1, s2], [T1, T2], n, d.theta) == good
    assert _maximum(d.model, [{mu: T1 / n, sigma: -root}], [s1, s2], [T1, T2], n, d.theta) is None
    # μ̂ moved away from the root is inside the domains but not a critical point of L: no maximum
    assert _maximum(d.model, [{mu: T1 / n + 50, sigma: root}], [s1, s2], [T1, T2], n, d.theta) is None


def test_the_facts_are_in_the_json_output(derived):
    uniform, normal = derived("uniform").as_dict()["hypotheses"], derived("normal").as_dict()["hypotheses"]
    assert uniform["support_free"] is False and uniform["score_mean_zero"] is False
    assert uniform["cramer_rao"] is False and uniform["fisher_for_hessian"] is False
    assert all(normal[k] is True for k in ("cramer_rao", "asymptotic_normality", "fisher_for_hessian", "kl_quadratic"))
