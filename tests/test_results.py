"""What follows from F: MLE, Cramér–Rao, reparametrization and KL, checked numerically."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from symfisher import numeric
from symfisher.catalog import catalog
from symfisher.derive import Status
from symfisher.model import build_model

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
    # and the quadratic form is ½ dᵀ F d with the derived F
    quadratic = chains["kl:definition"].result
    F = sp.Matrix(d.fisher)
    dvec = sp.Matrix(ds)
    assert sp.simplify(quadratic - (dvec.T * F * dvec)[0, 0] / 2) == 0


def test_results_can_be_switched_off():
    d = __import__("symfisher").derive(build_model(catalog()["poisson"]), results=False)
    assert not [s for s in d.sections if s.key.startswith("results:")]
