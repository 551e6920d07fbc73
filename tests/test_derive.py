"""The derivation engine: each result is checked against mathematics done another way."""

from __future__ import annotations

import json
import random

import pytest
import sympy as sp

from symfisher import numeric
from symfisher.catalog import catalog
from symfisher.cli import main
from symfisher.derive import RULES, Status, Tex, derive
from symfisher.derive.expectation import ExpectationEngine
from symfisher.model import build_model
from symfisher.printing import latex

NAMES = list(catalog())
SMOOTH_REGULAR = [n for n in NAMES if n not in ("uniform", "laplace")]


def random_point(model, seed):
    return model.sample_points(1, seed=seed)[0]


@pytest.mark.parametrize("name", NAMES)
def test_score_is_the_gradient_of_the_log_density(name, derived):
    d = derived(name)
    m = d.model
    direct = sp.log(m.density)       # not the engine's expansion: the plain log of the density
    for t, s in zip(m.theta, d.score):
        for seed in (1, 2):
            point = random_point(m, seed)
            samples = numeric.support_samples(m.support, point)
            x_value = samples[min(3, len(samples) - 1)]
            at = {**point, m.variable: sp.Rational(str(x_value))}
            expected = complex(sp.N(sp.diff(direct, t).subs(at)))
            assert abs(numeric.evaluate(s, at) - expected) <= 1e-9 * max(1, abs(expected)), (name, t)


@pytest.mark.parametrize("name", NAMES)
def test_hessian_is_symmetric_and_the_derivative_of_the_score(name, derived):
    d = derived(name)
    theta = d.model.theta
    for j in range(len(theta)):
        for k in range(len(theta)):
            assert d.hessian[j][k] == d.hessian[k][j]
            if d.hessian_route_valid:
                assert sp.simplify(d.hessian[j][k] - sp.diff(d.score[j], theta[k])) == 0


@pytest.mark.parametrize("name", SMOOTH_REGULAR)
def test_both_fisher_routes_agree(name, derived):
    d = derived(name)
    m = len(d.theta)
    for j in range(m):
        for k in range(m):
            s_route, h_route = d.fisher_score_route[j][k], d.fisher_hessian_route[j][k]
            assert s_route.check.passed and h_route.check.passed
            # the numbers of both routes agree, whatever their symbolic status
            for a, b in zip(s_route.check.numeric, h_route.check.numeric):
                assert abs(a - b) <= 1e-7 * max(1, abs(a)), (name, j, k)
            if s_route.value is not None and h_route.value is not None:
                assert sp.simplify(s_route.value - h_route.value) == 0
    agreement = d.section("fisher:agreement")
    assert agreement.chains and all(c.steps[-1].rule == "fisher-identity" and c.steps[-1].relation == "="
                                    for c in agreement.chains)


@pytest.mark.parametrize("name", ["normal", "poisson", "gamma", "binomial"])
def test_sample_log_likelihood_is_the_sum_of_log_densities(name, derived):
    d = derived(name)
    m = d.model
    rng = random.Random(3)
    point = random_point(m, 5)
    support = list(numeric.support_samples(m.support, point))
    xs = [sp.Rational(str(v)) for v in rng.sample(support, min(4, len(support)))]
    n = d.sample_size
    value = d.log_likelihood.subs(n, len(xs)).doit()
    value = value.replace(lambda e: isinstance(e, sp.Indexed), lambda e: xs[int(e.indices[0]) - 1])
    expected = sum(complex(sp.N(sp.log(m.density).subs({**point, m.variable: x}))) for x in xs)
    assert abs(numeric.evaluate(value, point) - expected) < 1e-9 * max(1, abs(expected))


def test_general_score_mean_proof_follows_the_note(derived):
    chain = derived("normal").section("score-mean:general").chains[0]
    assert [s.rule for s in chain.steps] == ["definition-score", "definition-expectation", "log-derivative",
                                             "cancel-density", "differentiate-under-integral", "normalization",
                                             "derivative-of-constant"]
    assert all(s.status is Status.PROVED for s in chain.steps)
    assert chain.result == Tex(r"\mathbf{0}_{m \times 1}")


def test_irregular_uniform_is_diagnosed_not_misderived(derived):
    d = derived("uniform")
    assert not d.regular and not d.hessian_route_valid
    interchange = [s for s in d.section("score-mean:general").chains[0].steps
                   if s.rule == "differentiate-under-integral"]
    assert interchange[0].status is Status.UNKNOWN and "depends on" in interchange[0].detail
    theta, = d.theta
    assert sp.simplify(d.score_mean[0] + 1 / theta) == 0
    assert "score-mean-nonzero" in {g.code for g in d.diagnostics}
    # the identity is not claimed: its steps are unknown and the routes are shown to differ
    identity = d.section("general:fisher-identity").chains[1]
    assert any(s.status is Status.UNKNOWN for s in identity.steps)
    assert all(c.steps[-1].rule == "routes-differ" and c.steps[-1].relation == "≠"
               for c in d.section("fisher:agreement").chains)


def test_laplace_hessian_route_is_refused_with_reason(derived):
    d = derived("laplace")
    assert d.regular and not d.hessian_route_valid
    codes = {g.code: g.message for g in d.diagnostics}
    assert "point mass" in codes["hessian-route-invalid"]
    mu, b = d.theta
    # the classical Hessian's expectation misses 1/b² in the (mu, mu) entry
    assert d.fisher_hessian_route[0][0].value == 0 and sp.simplify(d.fisher[0][0] - 1 / b ** 2) == 0
    # the Hessian in the sense of distributions adds the point mass, and the routes meet again
    chains = {c.key: c for c in d.section("fisher:agreement").chains}
    assert chains["agreement:mu,mu"].steps[-1].rule == "routes-differ"
    mass = chains["point-mass:mu,mu"]
    assert mass.steps[-1].status is Status.PROVED and sp.simplify(mass.result - 1 / b ** 2) == 0
    assert sp.simplify(mass.steps[0].rhs.doit() - 1 / b ** 2) == 0


def test_expectation_past_its_budget_is_numeric_and_the_run_goes_on():
    model = build_model(catalog()["student_t"])
    d = derive(model, seconds=1e-3)
    assert any(e is None for row in d.fisher for e in row)
    notes = [g.message for g in d.diagnostics if g.code == "fisher-entry-numeric"]
    assert notes and all("time budget" in n and "numerically" in n for n in notes)
    outcome = d.fisher_score_route[0][0]
    for pt, value in zip(outcome.check.points, outcome.check.numeric):
        values = dict(pt)
        expected = (float(sp.Rational(values["nu"])) + 1) / ((float(sp.Rational(values["nu"])) + 3)
                                                             * float(sp.Rational(values["sigma"])) ** 2)
        assert abs(value - expected) < 1e-7


def test_a_wrong_symbolic_value_is_rejected(monkeypatch):
    """A kernel answer that numerics contradict is not printed; the entry becomes numeric."""
    from symfisher import integrals

    model = build_model(catalog()["exponential"])
    monkeypatch.setattr(integrals, "integral", lambda *a, **k: sp.Integer(7))
    monkeypatch.setattr(integrals, "SUBSTITUTIONS", [])
    engine = ExpectationEngine(model, sp.log(model.density).expand(force=True), seconds=2)
    x = model.variable
    outcome = engine.expect(x ** 2)
    assert outcome.value is None or outcome.check.passed
    if outcome.value is None:
        assert outcome.status is Status.NUMERIC
    lam, = model.theta
    for pt, value in zip(outcome.check.points, outcome.check.numeric):
        assert abs(value - 2 / float(sp.Rational(dict(pt)["lambda"])) ** 2) < 1e-8


def test_readable_final_forms(derived):
    for name in NAMES:
        for row in derived(name).fisher:
            for entry in row:
                assert entry is not None and not entry.has(sp.Piecewise, sp.Integral, sp.Sum, sp.I), name
                for pg in entry.atoms(sp.polygamma):
                    assert not pg.args[1].is_Integer, (name, entry)   # ψ at integers is a constant
    beta = derived("beta").fisher[0][0]
    assert r"\psi'\left(\alpha\right)" in latex(beta)
    assert r"\gamma" in latex(derived("gumbel").fisher[0][1])


def test_every_step_cites_a_known_rule(derived):
    for name in ("normal", "laplace", "uniform", "poisson"):
        for section in derived(name).sections:
            for chain in section.chains:
                for step in chain.steps:
                    assert step.rule in RULES


def test_derive_json(capsys):
    assert main(["derive", "--model", "gamma", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {"variable", "parameters", "log_density", "score", "score_mean", "hessian", "fisher",
                         "regular", "diagnostics"}
    assert data["parameters"] == ["alpha", "beta"] and data["regular"] is True
    alpha, beta = sp.symbols("alpha beta", positive=True)
    assert data["fisher"][0][0]["srepr"] == sp.srepr(sp.polygamma(1, alpha))
    assert data["fisher"][0][1]["srepr"] == sp.srepr(-1 / beta)
    assert all(set(e) == {"latex", "srepr"} for row in data["hessian"] for e in row)


def test_derive_json_null_entry_when_not_derived(capsys):
    assert main(["--timeout", "0.001", "derive", "--model", "student_t", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert any(e is None for row in data["fisher"] for e in row)
    assert any(d["code"] == "fisher-entry-numeric" for d in data["diagnostics"])
