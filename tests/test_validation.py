"""Model validation: each check of the foundation issue, with the message it must give."""

from __future__ import annotations

import re

import pytest
import sympy as sp

from symfisher.errors import LocatedError, ModelError, ParseError, SymfisherError
from symfisher.model import ModelSpec, build_model
from symfisher.parse import parse_support


def build(density, params=((r"\lambda", "positive"),), support=r"(0,\infty)", **kw):
    return build_model(ModelSpec(density=density, parameters=tuple(params), support=support, **kw))


# --- undeclared symbols and unreadable LaTeX: the position is reported ------------------------

def test_undeclared_symbol_names_it_and_its_column():
    with pytest.raises(ParseError) as info:
        build(r"\lambda e^{-\lambda x} + \kappa")
    err = info.value
    assert r"undeclared symbol \kappa" in err.one_line()
    assert err.position == err.source.index(r"\kappa")
    assert "column 26" in err.one_line()
    excerpt, caret = err.details()
    assert caret.index("^") == excerpt.index(r"\kappa")


@pytest.mark.parametrize("density", ["", "   ", "\t\n"])
def test_empty_density(density):
    with pytest.raises(ParseError, match="empty expression"):
        build(density)


@pytest.mark.parametrize("density, column, fragment", [
    (r"\frac{1}{\lambda", 9, "never closed"),
    (r"\lambda e^{-\lambda x}}", 23, "no matching opening"),
    (r"\lambda e^{-\lambda x} +", 25, "unexpected"),
    (r"\left(\lambda x", 1, r"\left( is never closed"),
    (r"\lambda x\right)", 10, r"has no matching \left"),
    (r"\lambda \foo x", 9, r"unknown command \foo"),
    (r"(\lambda x]", 11, "does not match '('"),
    (r"\lambda ^ ^ x", 11, "unexpected"),
])
def test_unparsable_reports_position(density, column, fragment):
    with pytest.raises(ParseError) as info:
        build(density)
    assert fragment in info.value.one_line()
    assert f"column {column}:" in info.value.one_line()
    assert info.value.details()[1].index("^") - 2 == column - 1


def test_position_refers_to_the_original_text_after_rewriting():
    # \left, spacing and \log are rewritten before parsing; the column must not drift.
    density = r"\left( \, \log \lambda \right) \, x ^ ^"
    with pytest.raises(ParseError) as info:
        build(density)
    assert info.value.position == density.rindex("^")


# --- the density itself ---------------------------------------------------------------------

def test_negative_density_is_refused_with_the_point():
    with pytest.raises(ModelError, match=r"negative at x = .*value -") as info:
        build(r"1 + (\theta+1)\sin(2\pi x)", params=[(r"\theta", "positive")], support="(0,1)")
    match = re.search(r"x = ([\d.e-]+) \(theta = ([\d/]+)\): value ([-\d.e]+)", info.value.one_line())
    xv, th, value = float(match[1]), sp.Rational(match[2]), float(match[3])
    assert value == pytest.approx(1 + (float(th) + 1) * float(sp.sin(2 * sp.pi * xv)), rel=1e-4)


def test_density_not_real_on_the_support():
    with pytest.raises(ModelError, match="not real at x = -"):
        build(r"\frac{\beta^\alpha}{\Gamma(\alpha)} x^{\alpha-1} e^{-\beta x}",
              params=[(r"\alpha", "positive"), (r"\beta", "positive")], support=r"(-\infty,\infty)")


def test_unnormalized_density_reports_the_integral():
    with pytest.raises(ModelError, match="integrates to") as info:
        build(r"e^{-\lambda x}")
    match = re.search(r"integrates to ([\d.]+), not 1.*lambda = ([\d/]+)", info.value.one_line())
    assert float(match[1]) == pytest.approx(1 / float(sp.Rational(match[2])), rel=1e-6)


def test_unnormalized_discrete_density_reports_the_sum():
    with pytest.raises(ModelError, match="sums to") as info:
        build(r"\frac{\lambda^x}{x!}", support=r"\{0,1,2,\dots\}")
    match = re.search(r"sums to ([\d.]+), not 1.*lambda = ([\d/]+)", info.value.one_line())
    assert float(match[1]) == pytest.approx(float(sp.exp(sp.Rational(match[2]))), rel=1e-6)


@pytest.mark.parametrize("density", [r"0 \cdot \lambda x", r"\lambda e^{-\lambda x} - \lambda e^{-\lambda x}"])
def test_zero_density_is_refused(density):
    with pytest.raises(ModelError, match="identically zero"):
        build(density)


def test_variable_must_occur():
    with pytest.raises(ModelError, match="variable x does not occur"):
        build(r"\lambda", support="(0,1)")


def test_variable_free_density_on_a_moving_support_is_a_model():
    model = build(r"\frac{1}{\theta}", params=[(r"\theta", "positive")], support=r"(0,\theta)")
    assert model.support_depends_on_theta


def test_support_depending_on_a_parameter_is_a_diagnostic():
    model = build(r"\frac{\alpha x_m^\alpha}{x^{\alpha+1}}", params=[(r"\alpha", "positive"), ("x_m", "positive")],
                  support=r"(x_m,\infty)")
    codes = {d.code: d.message for d in model.diagnostics}
    assert "support-depends-on-parameter" in codes and "x_m" in codes["support-depends-on-parameter"]


def test_support_depending_on_a_constant_is_regular():
    model = build(r"\frac{\alpha x_m^\alpha}{x^{\alpha+1}}", params=[(r"\alpha", "positive")],
                  constants=(("x_m", "positive"),), support=r"(x_m,\infty)")
    assert not model.support_depends_on_theta
    assert "support-depends-on-parameter" not in {d.code for d in model.diagnostics}


def test_normalization_is_proved_symbolically_when_sympy_can():
    assert build(r"\lambda e^{-\lambda x}").normalization == "symbolic"


# --- declarations ----------------------------------------------------------------------------

@pytest.mark.parametrize("params, constants, variable, fragment", [
    ([(r"\lambda", "positive"), (r"\lambda", "real")], (), "x", "declared twice as a parameter"),
    ([(r"\lambda", "positive")], ((r"\lambda", "positive"),), "x", "declared again as a constant"),
    ([(r"\lambda", "positive"), ("x", "real")], (), "x", "it is already the variable"),
    ([(r"\lambda", "positve")], (), "x", "unknown domain 'positve'"),
    ([], (), "x", "no parameters declared"),
    ([(r"\lambda", "positive"), (r"\mu", "real")], (), "x", r"parameter \mu does not occur"),
])
def test_bad_declarations(params, constants, variable, fragment):
    with pytest.raises(ModelError) as info:
        build(r"\lambda e^{-\lambda x}", params=params, constants=constants, variable=variable)
    assert fragment in info.value.one_line()


def test_unused_constant_is_a_diagnostic():
    model = build(r"\lambda e^{-\lambda x}", constants=(("n", "positive_integer"),))
    assert [d.code for d in model.diagnostics] == ["unused-constant"]


def test_support_may_not_mention_the_variable():
    with pytest.raises(ModelError, match="mentions the variable"):
        build(r"\lambda e^{-\lambda x}", support=r"(0, x)")


def test_domains_become_assumptions():
    model = build(r"\binom{n}{x} p^x (1-p)^{n-x}", params=[("p", "unit")], constants=(("n", "positive_integer"),),
                  support=r"\{0,1,\dots,n\}")
    p, = model.theta
    n = model.constants[0].symbol
    assert p.is_positive and n.is_integer and n.is_positive
    assert model.variable.is_integer and model.variable.is_nonnegative


def test_variable_gets_positivity_from_its_support():
    assert build(r"\lambda e^{-\lambda x}").variable.is_positive
    model = build(r"\frac{1}{\sqrt{2\pi}} e^{-(x-\mu)^2/2}", params=[(r"\mu", "real")], support=r"(-\infty,\infty)")
    assert model.variable.is_real and model.variable.is_positive is None


# --- supports ------------------------------------------------------------------------------

theta = sp.Symbol("theta", positive=True)
xm = sp.Symbol("x_m", positive=True)
n = sp.Symbol("n", positive=True, integer=True)
DECLARED = {"theta": theta, "x_m": xm, "n": n}


@pytest.mark.parametrize("text, kind, lower, upper, left_closed, right_closed", [
    (r"(-\infty,\infty)", "interval", -sp.oo, sp.oo, False, False),
    (r"(-oo, oo)", "interval", -sp.oo, sp.oo, False, False),
    (r"(0,\infty)", "interval", 0, sp.oo, False, False),
    (r"[0,\infty)", "interval", 0, sp.oo, True, False),
    (r"[0, 1]", "interval", 0, 1, True, True),
    (r"(0, 1]", "interval", 0, 1, False, True),
    (r"\left(0, 1\right)", "interval", 0, 1, False, False),
    (r"(x_m,\infty)", "interval", xm, sp.oo, False, False),
    (r"(0,\theta)", "interval", 0, theta, False, False),
    (r"(0, \frac{\theta}{2}]", "interval", 0, theta / 2, False, True),
    (r"(-inf, 0)", "interval", -sp.oo, 0, False, False),
    (r"\mathbb{R}", "interval", -sp.oo, sp.oo, False, False),
    (r"\mathbb{R}_{+}", "interval", 0, sp.oo, False, False),
    (r"\{0,1\}", "integers", 0, 1, False, False),
    (r"\{0,1,\dots,n\}", "integers", 0, n, False, False),
    (r"\{0, 1, ..., n\}", "integers", 0, n, False, False),
    (r"\{0,\ldots,n\}", "integers", 0, n, False, False),
    (r"\{0,1,2,\dots\}", "integers", 0, sp.oo, False, False),
    (r"\{0,1,2,...\}", "integers", 0, sp.oo, False, False),
    (r"\{1,2,\dots\}", "integers", 1, sp.oo, False, False),
    (r"\{1,2,3,4,5,6\}", "integers", 1, 6, False, False),
    (r"\left\{0,1\right\}", "integers", 0, 1, False, False),
    ("{0, 1, 2, ...}", "integers", 0, sp.oo, False, False),
])
def test_support_forms(text, kind, lower, upper, left_closed, right_closed):
    support = parse_support(text, DECLARED)
    assert (support.kind, support.lower, support.upper) == (kind, lower, upper)
    assert (support.left_closed, support.right_closed) == (left_closed, right_closed)
    assert support.discrete == (kind == "integers")


def test_finite_non_consecutive_set_keeps_its_values():
    assert parse_support(r"\{1, 3, 7\}", DECLARED).values == (1, 3, 7)


@pytest.mark.parametrize("text, fragment", [
    ("(1,0)", "the interval is empty"),
    ("(0,0)", "the interval is empty"),
    (r"\{\}", "empty set"),
    ("[a,b", "not closed"),
    (r"(0,1,2)", "two bounds"),
    (r"(0,)", "bound is missing"),
    (r"\{0,2,4,\dots\}", "unit-step"),
    (r"\{0, \frac{1}{2}\}", "not an integer"),
    (r"\{0,1,\dots,\theta\}", "not an integer"),
    ("", "empty support"),
    ("0 < x < 1", "a support is an interval"),
    (r"\{0,1", "not closed"),
])
def test_bad_supports(text, fragment):
    with pytest.raises(SymfisherError) as info:
        parse_support(text, {**DECLARED, "a": sp.Symbol("a"), "b": sp.Symbol("b")})
    assert fragment in info.value.one_line()
    assert isinstance(info.value, LocatedError)


# --- normalization that cannot be fooled (issue 11, found 6) ----------------------------------

CUT_OFF = "the density integrates to 0.63212056, not 1, over the support (lambda = 1/10)"


def test_a_support_that_cuts_off_mass_is_refused():
    """λe^{-λx} on (0, 10) integrates to 1 − e^{−10λ}: the witness λ = 1/10 gives 1 − 1/e."""
    with pytest.raises(ModelError) as info:
        build(r"\lambda e^{-\lambda x}", support="(0,10)")
    assert info.value.one_line() == CUT_OFF
    assert 0.63212056 == pytest.approx(float(1 - sp.exp(-1)), abs=5e-9)


def test_the_numeric_check_alone_probes_the_domain_boundary(monkeypatch):
    """Without any symbolic total, points near the edge of λ > 0 still find the cut-off mass."""
    from symfisher.model import build as build_module
    monkeypatch.setattr(build_module, "_symbolic_total", lambda model, seconds: None)
    with pytest.raises(ModelError) as info:
        build(r"\lambda e^{-\lambda x}", support="(0,10)")
    assert info.value.one_line() == CUT_OFF


def test_the_symbolic_total_is_searched_for_a_witness_beyond_the_numeric_probes():
    """On (0, 10⁴) only λ ≤ 10⁻³ shows the loss, 1 − e^{−10}: the symbolic total finds it,
    quadrature confirms."""
    with pytest.raises(ModelError) as info:
        build(r"\lambda e^{-\lambda x}", support="(0,10000)")
    match = re.fullmatch(r"the density integrates to ([\d.]+), not 1, over the support \(lambda = ([\d/]+)\)",
                         info.value.one_line())
    assert match, info.value.one_line()
    lam = sp.Rational(match[2])
    assert lam <= sp.Rational(1, 1000)
    assert float(match[1]) == pytest.approx(float(1 - sp.exp(-10000 * lam)), rel=1e-7)


def test_a_symbolic_total_that_numerics_contradict_is_no_witness(monkeypatch):
    """A wrong symbolic total (SymPy's answer is not evidence) must not refuse a valid model."""
    from symfisher.model import build as build_module
    lam = sp.Symbol("lambda", positive=True)
    monkeypatch.setattr(build_module, "_total", lambda density, x, support: 1 - sp.exp(-10 * lam))
    model = build(r"\lambda e^{-\lambda x}")
    assert model.normalization == "numeric"


@pytest.mark.parametrize("density, params, support, discrete", [
    (r"\frac{\lambda^x e^{-\lambda}}{x!}", [(r"\lambda", "positive")], r"\{0,1,\dots,20\}", True),
    (r"\frac{1}{\sigma\sqrt{2\pi}} e^{-\frac{(x-\mu)^2}{2\sigma^2}}", [(r"\mu", "real"), (r"\sigma", "positive")],
     r"(-10,\infty)", False),
    (r"p(1-p)^x", [("p", "unit")], r"\{0,1,\dots,30\}", True),
    # the loss shows only far out (μ near -1000 or σ near 1000): SymPy's total guides the search
    (r"\frac{1}{\sigma\sqrt{2\pi}} e^{-\frac{(x-\mu)^2}{2\sigma^2}}", [(r"\mu", "real"), (r"\sigma", "positive")],
     r"(-1000,\infty)", False),
])
def test_truncated_supports_are_refused_with_a_true_witness(density, params, support, discrete):
    """Each refusal names a point inside the domains where the reported total is the true total."""
    with pytest.raises(ModelError) as info:
        build(density, params=params, support=support)
    line = info.value.one_line()
    match = re.fullmatch(r"the density (integrates|sums) to ([-\d.e]+), not 1, over the support \((.*)\)", line)
    assert match, line
    assert match[1] == ("sums" if discrete else "integrates")
    point = {name: sp.Rational(value) for name, value in
             (item.split(" = ") for item in match[3].split(", "))}
    assert abs(float(match[2]) - 1) > 1e-6
    assert float(match[2]) == pytest.approx(_true_total(density, point, support), rel=1e-6)


def _true_total(density: str, point: dict[str, sp.Rational], support: str) -> float:
    """The total mass, by hand with mpmath (independent of symfisher's numerics)."""
    import mpmath
    if "lambda" in point:
        lam = point["lambda"]
        return float(sum(sp.exp(-lam) * lam ** k / sp.factorial(k) for k in range(21)))
    if "p" in point:
        p = point["p"]
        return float(sum(p * (1 - p) ** k for k in range(31)))
    mu, sigma = (mpmath.mpf(sp.Rational(point[k]).p) / sp.Rational(point[k]).q for k in ("mu", "sigma"))
    lower = int(support[1:support.index(",")])
    return float(mpmath.quad(lambda t: mpmath.npdf(t, mu, sigma), [lower, mu, mpmath.inf]))


# --- parameters with an integer domain have no derivative (issue 11, found 7) ------------------

INTEGER_PARAMETER = ("the parameter N has an integer domain (positive_integer): the score and Fisher information "
                     "differentiate in θ, so N must be a constant (--const) or take a continuous domain")


def test_an_integer_parameter_is_refused():
    with pytest.raises(ModelError) as info:
        build(r"\frac{1}{N}", params=[("N", "positive_integer")], support=r"\{1,2,\dots,N\}")
    assert info.value.one_line() == INTEGER_PARAMETER


def test_an_integer_domain_is_refused_for_every_parameter_but_not_for_constants():
    with pytest.raises(ModelError, match=r"the parameter k has an integer domain \(integer\)"):
        build(r"\lambda e^{-\lambda x} + 0 k", params=[(r"\lambda", "positive"), ("k", "integer")])
    model = build(r"\binom{n}{x} p^x (1-p)^{n-x}", params=[("p", "unit")], constants=(("n", "positive_integer"),),
                  support=r"\{0,1,\dots,n\}")
    assert model.constants[0].domain.integer


def test_a_quadrature_that_misses_mass_is_no_witness():
    """A valid truncated exponential on (0, 10⁴): one QUADPACK call over the long piece gives
    0.99927 at λ = 2.687 with a small error estimate; a refusal needs a second quadrature to agree."""
    model = build(r"\frac{\lambda e^{-\lambda x}}{1-e^{-10000\lambda}}", support="(0,10000)")
    assert model.normalization in ("symbolic", "numeric")


def test_a_narrow_peak_inside_a_long_piece_is_no_witness():
    """A valid truncated normal on (-1000, ∞): at σ = 1/100 one quadrature over (-1000, μ) misses
    the left half of the peak and finds 0.5; the second opinion, cut around μ, finds 1."""
    model = build(r"\frac{2}{\sigma\sqrt{2\pi}\left(1+\mathrm{erf}\left(\frac{\mu+1000}{\sqrt{2}\sigma}\right)\right)}"
                  r" e^{-\frac{(x-\mu)^2}{2\sigma^2}}", params=[(r"\mu", "real"), (r"\sigma", "positive")],
                  support=r"(-1000,\infty)")
    assert model.normalization in ("symbolic", "numeric")


def test_a_density_negative_only_near_the_edge_of_a_domain_is_refused():
    """1 + θ(x − 1/2)/10 integrates to 1 for every θ but is negative near x = 0 once θ > 20:
    random θ (0.5 to 3) do not show it, the edge value θ = 100 does."""
    with pytest.raises(ModelError) as info:
        build(r"1 + \frac{\theta}{10}\left(x - \frac{1}{2}\right)", params=[(r"\theta", "positive")], support="(0,1)")
    match = re.fullmatch(r"the density is negative at x = ([\d.e-]+) \(theta = (\d+)\): value ([-\d.e]+)",
                         info.value.one_line())
    assert match, info.value.one_line()
    xv, th, value = float(match[1]), int(match[2]), float(match[3])
    assert th == 100 and value == pytest.approx(1 + th / 10 * (xv - 0.5), rel=1e-5) and value < 0
