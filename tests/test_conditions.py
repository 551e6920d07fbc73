"""Rules that carry their conditions, a cross-check that can reject, claims that need evidence (issue 11).

Each reproducer of the issue is a row here; references are textbook moments checked
numerically at random points of the declared domains, never symfisher's own output.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from symfisher import check, numeric, parse_model
from symfisher.catalog import catalog
from symfisher.conditions import decide, describe
from symfisher.derive import Status, derive
from symfisher.derive.expectation import ExpectationEngine
from symfisher.model import build_model

GAMMA_PROOF = """---
model:
  density: \\frac{{\\beta^\\alpha}}{{\\Gamma(\\alpha)}} x^{{\\alpha-1}} e^{{-\\beta x}}
  parameters: [\\alpha: positive, \\beta: positive]
  support: (0,\\infty)
---
$$ {claim} $$
"""


def engine_for(name: str) -> tuple[ExpectationEngine, sp.Symbol, tuple]:
    model = build_model(catalog()[name])
    return ExpectationEngine(model, sp.expand_log(sp.log(model.density), force=True)), model.variable, model.theta


def symbols_of(model, *names):
    by_name = {d.symbol.name: d.symbol for d in model.declared}
    return tuple(by_name[n] for n in names)


# -- rules with their conditions --------------------------------------------------------------------

def test_gamma_inverse_moment_is_conditional_on_alpha_above_one(same):
    engine, x, (alpha, beta) = engine_for("gamma")
    outcome = engine.expect(1 / x)
    assert outcome.status is Status.CONDITIONAL and not outcome.established
    assert outcome.condition == (alpha > 1) or describe(outcome.condition) == r"\alpha > 1"
    assert outcome.otherwise == "diverges"
    same(outcome.value, beta / (alpha - 1), overrides={alpha: lambda rng: sp.Rational(rng.randint(1100, 5000), 1000)})


def test_gamma_inverse_square_is_conditional_and_no_traceback(same):
    engine, x, (alpha, beta) = engine_for("gamma")
    outcome = engine.expect(1 / x ** 2)
    assert outcome.status is Status.CONDITIONAL and describe(outcome.condition) == r"\alpha > 2"
    same(outcome.value, beta ** 2 / ((alpha - 1) * (alpha - 2)),
         overrides={alpha: lambda rng: sp.Rational(rng.randint(2100, 6000), 1000)})


def test_moments_that_need_nothing_stay_proved(same):
    engine, x, (alpha, beta) = engine_for("gamma")
    for g, expected in [(x, alpha / beta), (x ** 2, alpha * (alpha + 1) / beta ** 2),
                        (sp.log(x), sp.polygamma(0, alpha) - sp.log(beta))]:
        outcome = engine.expect(g)
        assert outcome.status is Status.PROVED and outcome.condition is sp.true, g
        same(outcome.value, expected)


def test_student_t_moment_needs_nu_above_its_order(same):
    engine, x, (mu, sigma) = engine_for("student_t")
    (nu,) = symbols_of(engine.model, "nu")
    outcome = engine.expect((x - mu) ** 2)
    assert outcome.status is Status.CONDITIONAL and describe(outcome.condition) == r"\nu > 2"
    same(outcome.value, nu * sigma ** 2 / (nu - 2), overrides={nu: lambda rng: sp.Rational(rng.randint(2200, 9000), 1000)})


def test_pareto_mean_needs_shape_above_one(same):
    engine, x, (alpha,) = engine_for("pareto")
    (xm,) = symbols_of(engine.model, "x_m")
    outcome = engine.expect(x)
    assert outcome.status is Status.CONDITIONAL and describe(outcome.condition) == r"\alpha > 1"
    same(outcome.value, alpha * xm / (alpha - 1), overrides={alpha: lambda rng: sp.Rational(rng.randint(1100, 5000), 1000)})


def test_cauchy_mean_is_not_zero_by_symmetry():
    """Odd symmetry needs absolute integrability: the Cauchy mean does not exist."""
    engine, x, _ = engine_for("cauchy")
    outcome = engine.expect(x)
    assert outcome.value is None
    assert all(np.isinf(v) for v in outcome.check.numeric)


def test_odd_symmetry_still_applies_where_it_may():
    engine, x, (mu, sigma) = engine_for("student_t")
    (nu,) = symbols_of(engine.model, "nu")
    outcome = engine.expect((x - mu) ** 3 / ((x - mu) ** 2 + nu * sigma ** 2) ** 2)
    assert outcome.established and outcome.value == 0


def test_conditions_decided_from_declared_domains():
    a = sp.Symbol("a", positive=True)
    p = sp.Symbol("p", positive=True)
    assert decide(sp.StrictGreaterThan(a + 1, 0, evaluate=False)) is True
    assert decide(sp.StrictGreaterThan(a - 1, 0, evaluate=False)) is None
    assert decide(sp.StrictGreaterThan(-a, 0, evaluate=False)) is False
    assert decide(sp.And(sp.StrictGreaterThan(a, 0, evaluate=False), sp.StrictGreaterThan(p - 2, 0, evaluate=False))) is None


def test_a_piecewise_branch_is_never_chosen_by_sample_points():
    """SymPy's condition α > 1 holds at many sample points; it must stay a condition."""
    from symfisher.derive.expectation import resolve_piecewise
    alpha = sp.Symbol("alpha", positive=True)
    value, conditions = resolve_piecewise(sp.Piecewise((1 / (alpha - 1), alpha > 1), (sp.Integral(alpha, alpha), True)))
    assert value == 1 / (alpha - 1) and conditions and decide(conditions[0]) is None


# -- a numeric cross-check that can reject ----------------------------------------------------------

@pytest.mark.parametrize("alpha, diverges", [("0.569", True), ("0.9", True), ("1.5", False), ("3.1", False)])
def test_quadrature_detects_a_divergent_moment(alpha, diverges):
    model = build_model(catalog()["gamma"])
    a, b = model.theta
    point = {a: sp.Rational(alpha), b: sp.Rational(2)}
    if diverges:
        with pytest.raises(numeric.Divergent):
            numeric.expectation(1 / model.variable, model.density, model.variable, model.support, point)
    else:
        value = numeric.expectation(1 / model.variable, model.density, model.variable, model.support, point)
        assert abs(value - 2 / (float(sp.Rational(alpha)) - 1)) < 1e-8


def test_quadrature_detects_divergence_at_infinity():
    model = build_model(catalog()["cauchy"])
    point = dict(zip(model.theta, (sp.Rational(1, 3), sp.Rational(2))))
    with pytest.raises(numeric.Divergent):
        numeric.expectation(model.variable, model.density, model.variable, model.support, point)


def test_a_wrong_symbolic_value_is_rejected(monkeypatch):
    """A kernel answer that numerics contradict is not printed; the entry becomes numeric."""
    from symfisher import integrals

    engine, x, (lam,) = engine_for("exponential")
    monkeypatch.setattr(integrals, "integral", lambda *a, **k: integrals.Closed(sp.Integer(7), (), ("kernel-gamma",)))
    monkeypatch.setattr(integrals, "SUBSTITUTIONS", [])
    outcome = engine.expect(x ** 3)
    assert outcome.value is None and outcome.status is Status.NUMERIC
    assert not outcome.check.passed or outcome.check.symbolic == ()
    for pt, value in zip(outcome.check.points, outcome.check.numeric):
        assert abs(value - 6 / float(sp.Rational(dict(pt)["lambda"])) ** 3) < 1e-8


def test_a_value_that_claims_a_number_where_the_integral_diverges_is_rejected(monkeypatch):
    """Drop the Gamma kernel's condition: quadrature sees the divergence at α < 1 and rejects the value."""
    from symfisher import integrals

    original = integrals._continuous_kernel

    def unconditional(*args):
        found = original(*args)
        return None if found is None else integrals.Closed(found.value, (), found.rules)
    monkeypatch.setattr(integrals, "_continuous_kernel", unconditional)
    model = build_model(catalog()["gamma"])
    engine = ExpectationEngine(model, sp.expand_log(sp.log(model.density), force=True))
    alpha, _ = model.theta
    # at least one check point must lie below α = 1 for quadrature to see the divergence
    engine.points = [{**engine.points[0], alpha: sp.Rational(569, 1000)}, engine.points[1]]
    outcome = engine.expect(1 / model.variable)
    assert outcome.value is None


# -- the checker: a ✓ only where the condition holds on the whole declared domain -------------------

@pytest.mark.parametrize("claim", [r"\mathbb{E}[\frac{1}{x}] = \frac{\beta}{\alpha-1}",
                                   r"\mathbb{E}[\frac{1}{x^2}] = \frac{\beta^2}{(\alpha-1)(\alpha-2)}"])
def test_checker_does_not_prove_a_conditional_moment(claim):
    report = check(GAMMA_PROOF.format(claim=claim))
    (step,) = report.steps
    assert step.verdict.verdict == "unknown"
    assert "condition" in step.verdict.reason and r"\alpha >" in step.verdict.reason


def test_checker_still_proves_an_unconditional_moment_and_refutes_a_wrong_one():
    report = check(GAMMA_PROOF.format(claim=r"\mathbb{E}[x] = \frac{\alpha}{\beta}"))
    assert report.steps[0].verdict.verdict == "proved"
    report = check(GAMMA_PROOF.format(claim=r"\mathbb{E}[x] = \frac{\alpha+1}{\beta}"))
    assert report.steps[0].verdict.verdict == "refuted"


def test_checker_divergent_expectation_is_unknown_not_a_traceback():
    text = ("---\nmodel:\n  density: \\frac{1}{\\sqrt{2\\pi\\sigma^2}} e^{-\\frac{(x-\\mu)^2}{2\\sigma^2}}\n"
            "  parameters: [\\mu: real, \\sigma: positive]\n---\n$$ \\mathbb{E}[e^{x^2}] = 1 $$\n")
    (step,) = check(text).steps
    assert step.verdict.verdict == "unknown"


def test_checker_cauchy_mean_is_not_proved():
    text = ("---\nmodel:\n  density: \\frac{1}{\\pi\\gamma\\left[1+\\left(\\frac{x-x_0}{\\gamma}\\right)^2\\right]}\n"
            "  parameters: [x_0: real, \\gamma: positive]\n---\n$$ \\mathbb{E}[x] = x_0 $$\n")
    (step,) = check(text).steps
    assert step.verdict.verdict != "proved"


# -- claims need evidence ---------------------------------------------------------------------------

def test_generalized_normal_score_mean_is_zero_and_no_difference_is_claimed(same):
    """Reproducer: E[s] = (β + ψ(1/β) − ψ(1 + 1/β))/β² is 0 by ψ(1 + z) = ψ(z) + 1/z."""
    model = parse_model(r"\frac{\beta}{2\Gamma(1/\beta)} e^{-|x|^\beta}", [(r"\beta", "positive")])
    d = derive(model, results=False)
    assert d.score_mean == (0,)
    codes = {g.code for g in d.diagnostics}
    assert "score-mean-nonzero" not in codes and "routes-disagree" not in codes
    (beta,) = model.theta
    # F_ββ = (1 + 1/β)ψ'(1 + 1/β)/β³ + ... ; check against quadrature of the hand-written score
    entry = d.fisher[0][0]
    assert entry is not None
    for b in (0.7, 1.3, 2.5):
        from scipy import integrate, special
        def score(t, b=b):
            return 1 / b + special.digamma(1 / b) / b ** 2 - abs(t) ** b * np.log(abs(t)) if t != 0 else np.nan
        def dens(t, b=b):
            return b / (2 * special.gamma(1 / b)) * np.exp(-abs(t) ** b)
        ref = 2 * integrate.quad(lambda t: score(t) ** 2 * dens(t), 0, np.inf, limit=400)[0]
        assert abs(complex(sp.N(entry.subs(beta, b))) - ref) < 1e-6 * max(1, ref)


def test_nonzero_mean_is_claimed_with_a_witness(derived):
    d = derived("uniform")
    notes = [g.message for g in d.diagnostics if g.code == "score-mean-nonzero"]
    assert notes and "numerically" in notes[0]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_conditional_step_is_written_with_its_condition(derived, lang):
    """A value that holds only for α > 1 is printed with that condition, never as a plain fact."""
    import dataclasses

    from symfisher.derive import Chain, Section, Step
    from symfisher.render import render

    d = derived("gamma")
    engine, x, (alpha, beta) = engine_for("gamma")
    outcome = engine.expect(1 / x)
    step = Step(sp.Integral(d.model.density / x, (d.model.variable, 0, sp.oo)), outcome.value, "expectation-computed",
                outcome.status, outcome.condition_latex(), outcome.check)
    extra = Section("score-mean:model", (Chain("score-mean:alpha", (step,)),))
    sections = tuple(extra if s.key == "score-mean:model" else s for s in d.sections)
    text = render(dataclasses.replace(d, sections=sections), "md", lang)
    assert r"\alpha > 1" in text
    assert ("do not guarantee" in text) if lang == "en" else ("并不保证" in text)
