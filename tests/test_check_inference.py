"""The model a text states without a ``model:`` front matter (symfisher/check/inference.py).

Published derivations state their model in the text: ``f(x|λ) = λe^{-λx}``, ``P(X = k) = …``,
``X ∼ Poisson(λ)``. A statement is a model only when it is identified with a catalogue model (numerically
equal under a renaming of its symbols); the steps after it are then checked in that model, and a seeded error
there is refuted with a counterexample inside the catalogue's domains.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import sympy as sp

from symfisher.check import check
from symfisher.check.extract import front_matter, links
from symfisher.check.inference import stated_models
from symfisher.model import build_model
from symfisher.model.spec import spec_from_mapping

CORPORA = Path(__file__).parent / "proofs"

# (statement as authors write it, the catalogue model, the parameters it must declare)
IDENTIFIED = [
    (r"f(x|\lambda) = \lambda e^{-\lambda x}", "exponential", [r"\lambda: positive"]),
    (r"f(x;\lambda) = \lambda\exp(-\lambda x), \quad x > 0", "exponential", [r"\lambda: positive"]),
    (r"f_X(x) = \frac{\beta^\alpha x^{\alpha - 1}e^{-\beta x}}{\Gamma(\alpha)} \; x > 0", "gamma",
     [r"\alpha: positive", r"\beta: positive"]),
    (r"P(X = k) = \frac{\lambda^k e^{-\lambda}}{k!}", "poisson", [r"\lambda: positive"]),
    (r"\Pr(X=x) = e^{-\mu}\mu^x/x!", "poisson", [r"\mu: positive"]),
    (r"p(x;\theta) = \frac{1}{\sqrt{2\pi}} e^{-(x-\theta)^2/2}", "normal", [r"\theta: real"]),
    (r"f(x\mid p) = p^x(1-p)^{1-x}", "bernoulli", ["p: unit"]),
    (r"f(x|\theta) = \frac{x}{\theta^2}e^{-x^2/(2\theta^2)}", "rayleigh", [r"\theta: positive"]),
    (r"f(y|p) = \binom{m}{y}p^y(1-p)^{m-y}", "binomial", ["p: unit"]),
    (r"f(x;\mu,\sigma^2) = \frac{1}{\sigma\sqrt{2\pi}}e^{-\frac{(x-\mu)^2}{2\sigma^2}}", "normal",
     [r"\mu: real", r"\sigma: positive"]),
]


@pytest.mark.parametrize("statement, family, parameters", IDENTIFIED)
def test_density_statements_are_identified(statement, family, parameters):
    _, steps = links(f"$$ {statement} $$")
    first = steps[0]
    found = stated_models([(first.line, first.lhs, first.rhs)])
    assert [m.family for m in found] == [family]
    assert sorted(found[0].data["parameters"]) == sorted(parameters)


NAMED = [
    (r"Let $X_1, \dots, X_n \overset{\text{iid}}{\sim} \text{Poisson}(\lambda)$.", "poisson", "x"),
    (r"Suppose $Y_i \sim \mathcal{N}(\mu, \sigma^2)$.", "normal", "y"),
    (r"$X \sim \mathrm{Bernoulli}(\theta)$", "bernoulli", "x"),
    (r"$X \sim N(\theta, 1)$", "normal", "x"),
    (r"$X\sim Bin(m, p)$", "binomial", "x"),
]


@pytest.mark.parametrize("text, family, variable", NAMED)
def test_family_names_are_identified(text, family, variable):
    found = stated_models([], text)
    assert [m.family for m in found] == [family]
    assert found[0].data["variable"] == variable


NOT_A_MODEL = [
    # not in the catalogue: the truncated Poisson (nothing is guessed about its support)
    ([(1, "P(X=k)", r"\frac{e^{-\lambda}\lambda^k}{(1-e^{-\lambda})k!}")], ""),
    # the rate-or-scale convention is not certain
    ([], r"$X \sim \mathrm{Exp}(\beta)$"),
    ([], r"$X \sim \mathrm{Gamma}(\alpha, \beta)$"),
    # a statement about X^n, not about X
    ([], r"$X^n \sim \operatorname{Be}(p)$"),
    # N(μ, v): a variance parameter v is not σ
    ([], r"$X \sim N(\mu, v)$"),
    # the likelihood of a sample is not a density of one observation
    ([(1, r"f(x|\lambda)", r"\prod_{i=1}^n \lambda e^{-\lambda x_i}")], ""),
    # not a density: λe^{-2λx} is not normalised on any catalogue support
    ([(1, r"f(x|\lambda)", r"\lambda e^{-2\lambda x}")], ""),
]


@pytest.mark.parametrize("statements, text", NOT_A_MODEL)
def test_other_statements_are_no_model(statements, text):
    """Not identified: recorded as no model (the steps after it are read without one), never guessed."""
    assert all(m.data is None for m in stated_models(statements, text))


POISSON_THEN_NORMAL = r"""
The score has mean zero:
$$ \mathbb{E}\left[\frac{\partial}{\partial\theta}\log p(x|\theta)\right] = 0 $$

For a Poisson observation, $f(x|\lambda) = \frac{\lambda^x e^{-\lambda}}{x!}$, so
$$ \frac{\partial}{\partial\lambda}\log f(x|\lambda) = \frac{x}{\lambda} - 1 $$
$$ I(\lambda) = \mathbb{E}\left[\frac{x}{\lambda^2}\right] = \frac{1}{\lambda} $$

For a normal observation with known variance,
$$ f(x|\mu) = \frac{1}{\sqrt{2\pi}} e^{-\frac{(x-\mu)^2}{2}} $$
$$ \frac{\partial}{\partial\mu}\log f(x|\mu) = x - \mu $$
$$ I(\mu) = 1 $$
"""


def _verdicts(text: str) -> list[str]:
    return [s.verdict.verdict for s in check(text).steps]


def test_each_statement_holds_from_its_line_on():
    report = check(POISSON_THEN_NORMAL)
    assert [m.split(" (")[-1] for m in report.stated] == ["the catalogue's poisson)", "the catalogue's normal)"]
    assert report.setting == "mixed"
    assert _verdicts(POISSON_THEN_NORMAL) == ["proved"] * 7


@pytest.mark.parametrize("seeded, step", [
    (r"\frac{x}{\lambda} - 1", r"\frac{x}{\lambda} + 1"),               # a dropped sign in the score
    (r"= \frac{1}{\lambda} $$", r"= \frac{1}{\lambda^2} $$"),            # a wrong moment
    (r"I(\mu) = 1", r"I(\mu) = 2"),                                     # a factor 2, in the second model
])
def test_seeded_errors_are_refuted_in_the_stated_model(seeded, step):
    text = POISSON_THEN_NORMAL.replace(seeded, step)
    assert text != POISSON_THEN_NORMAL
    verdicts = _verdicts(text)
    assert verdicts.count("refuted") == 1
    refuted = next(s for s in check(text).steps if s.verdict.verdict == "refuted")
    assert "counterexample" in refuted.verdict.reason


def test_the_second_model_is_not_judged_with_the_first():
    # with the Poisson model still in force, I(μ) = 1 would be refuted (1/μ ≠ 1)
    verdicts = _verdicts(POISSON_THEN_NORMAL)
    assert verdicts[-1] == "proved"


@pytest.mark.parametrize("statement", [
    r"$$ f(x|\mu) = \frac{1}{\sqrt{2\pi}} e^{-\frac{(x-\mu)^2}{3}} $$",     # not normalised: no model
    r"$X \sim \mathrm{Exponential}(\beta)$",                                    # rate or scale: not read
    r"$X \sim \mathrm{Laplace}(\mu, b)$",                                       # a family not in the table
])
def test_a_statement_that_is_no_model_ends_the_previous_ones_reach(statement):
    # the Poisson model must not judge the steps of the next example (I(μ) = 1 would be refuted: 1/μ ≠ 1)
    text = POISSON_THEN_NORMAL.replace(r"$$ f(x|\mu) = \frac{1}{\sqrt{2\pi}} e^{-\frac{(x-\mu)^2}{2}} $$",
                                       statement)
    assert text != POISSON_THEN_NORMAL
    report = check(text)
    assert "not a catalogue model" in report.stated[-1]
    assert "refuted" not in _verdicts(text)


def test_side_condition_after_a_thin_space_is_not_part_of_the_density():
    _, steps = links(r"$$ f_X(x) = \lambda e^{-\lambda x} \; x > 0, \lambda > 0 $$")
    assert steps[0].rhs.strip() == r"\lambda e^{-\lambda x}"
    # a thin space inside a product stays a product
    _, steps = links(r"$$ a = 2 \; x $$")
    assert steps[0].rhs.replace(" ", "") == r"2\;x"


def test_a_parameter_p_is_not_read_as_the_density_beside_it():
    # newbedev's Bernoulli answer without its front matter: p/p² = 1/p was refuted with the bare p read as
    # the density and p² as the parameter
    text = (r"$$ I_X(p)=E_p\left[\left(\frac{d}{dp}\log f(X\mid p) \right)^2 \right] $$"
            r"$$ E_p\left(\frac{X^2}{p^2}\right)=\frac{p}{p^2}=\frac1p $$")
    verdicts = {s.link.rhs.strip(): s.verdict.verdict for s in check(text).steps}
    assert verdicts[r"\frac1p"] == "proved"
    assert "refuted" not in verdicts.values()


def _with_front_matter():
    for path in sorted(CORPORA.glob("*/*.md")):
        if ".seeded" in path.name:
            continue
        matter, body, _ = front_matter(path.read_text(encoding="utf-8"))
        if matter and "model" in matter:
            yield pytest.param(matter["model"], body, id=path.name)


@pytest.mark.parametrize("model, body", list(_with_front_matter()))
def test_a_stated_model_is_the_front_matters(model, body):
    """Stripped of its front matter, a corpus file that states its model in the text is read with the
    same density as the front matter gives (compared at random points of the front matter's domains)."""
    _, steps = links(body)
    stated = [m for m in stated_models([(s.line, s.lhs, s.rhs) for s in steps if s.relation == "="], body)
              if m.data is not None]
    if not stated:
        pytest.skip("the text does not state its model in a form the catalogue identifies")
    front = build_model(spec_from_mapping(model, "front matter"), check=False)
    ours = build_model(spec_from_mapping(stated[0].data, "stated"), check=False)
    by_name = {d.symbol.name: d.symbol for d in (*ours.parameters, *ours.constants)}
    rng = random.Random(7)
    for point in front.sample_points(3):
        renamed = {by_name[s.name]: v for s, v in point.items() if s.name in by_name}
        assert len(renamed) == len(by_name)
        values = ([0, 1] if front.discrete else [rng.uniform(0.2, 2.5) for _ in range(3)])
        for at in values:
            want = sp.N(front.density.subs({**point, front.variable: at}))
            got = sp.N(ours.density.subs({**renamed, ours.variable: at}))
            assert abs(complex(want) - complex(got)) <= 1e-9 * max(1, abs(complex(want)))


# -- false refutations the fresh corpus found (tests/proofs/fresh), each as a class of spellings

@pytest.mark.parametrize("text", [
    # a density the text defines but the catalogue does not identify: the stand-in N(θ, 1) is not it
    r"$$f(x|\beta) = \beta^2 x e^{-\beta x}$$ $$L(\beta) = \prod_{i=1}^n f(x_i|\beta) = "
    r"\prod_{i=1}^n \beta^2 x_i e^{-\beta x_i}$$",
    r"$$p(x;a) = a^2 x e^{-a x}$$ $$L(a) = \prod_{i=1}^n p(x_i;a) = a^{2n} \prod_{i=1}^n x_i e^{-a x_i}$$",
    r"$$f(y|\kappa) = \kappa y^{\kappa-1}$$ $$L(\kappa) = \prod_{i=1}^n f(y_i|\kappa) = \kappa^n \prod_{i=1}^n y_i^{\kappa-1}$$",
])
def test_a_density_the_text_defines_is_not_replaced_by_the_stand_in(text):
    assert "refuted" not in _verdicts(text)


@pytest.mark.parametrize("text", [
    r"$$f(x|\beta) = \beta^2 x e^{-\beta x} \text{ for } x > 0$$",
    r"$$f(x|\beta) = \beta^2 x e^{-\beta x}, \quad x \geq 0, \beta > 0$$",
    r"$$g(t;\kappa) = \kappa t^{\kappa - 1} \; 0 < t < 1$$",
    # a bound by a parameter (fresh2: techqa's non-regular maximum)
    r"$$F_{\hat\theta}(x) = \left(\frac{x^2}{\theta^2}\right)^n,\mbox{ for } 0 < x \le \theta.$$",
    r"$$G(x) = x^2, \qquad x \le \theta$$",
])
def test_side_conditions_are_not_refuted(text):
    assert "refuted" not in _verdicts(text)


@pytest.mark.parametrize("cov", [r"\text{Cov}_{x\sim p_\theta}", r"\operatorname{Cov}_\theta", r"\mathrm{Cov}"])
def test_the_covariance_of_a_random_vector_is_its_matrix(cov):
    text = (rf"$$\mathbb E_{{x \sim p_\theta}} \left[ (\nabla_\theta \log p_\theta(x))(\nabla_\theta \log "
            rf"p_\theta(x))^T \right] = {cov} (\nabla_\theta \log p_\theta(x))$$")
    assert _verdicts(text) == ["proved"]
    # a real shape error is still one: a matrix equated to a scalar
    wrong = text.replace(r"(\nabla_\theta \log p_\theta(x))^T", r"^T(\nabla_\theta \log p_\theta(x))")
    assert "proved" not in _verdicts(wrong)


@pytest.mark.parametrize("step", [
    r"\frac{\partial \log p}{\partial p} = \frac{x}{p} - \frac{1-x}{1-p}",
    r"\frac{\partial^2 \ln p}{\partial p^2} = -\frac{x}{p^2} - \frac{1-x}{(1-p)^2}",
    r"\frac{d}{dp} \log p = \frac{x}{p} - \frac{1 - x}{1 - p}",
])
def test_log_p_beside_a_parameter_p_is_not_refuted(step):
    # mkdocs' notes: the pmf is p(x|p), and log p is then either the log-pmf or the log of the parameter
    text = rf"For $X \sim \mathrm{{Bernoulli}}(p)$, $p(x|p) = p^x (1-p)^{{1-x}}$: $$ {step} $$"
    assert _verdicts(text) == ["unknown"]


@pytest.mark.parametrize("heading", ["the loglikelihood:", "The log-likelihood:", "log likelihood function:"])
def test_a_display_that_defines_a_name_is_not_overridden_by_its_heading(heading):
    # newbetuts' geometric answer calls the likelihood "the loglikelihood" and defines L = ∏ …: L is what the
    # formula says, so reading it as a log-likelihood (and refuting L = ∏ …) would be a false refutation
    text = ("---\nmodel:\n  density: (1-\\Theta)^{x-1}\\Theta\n  parameters: [\\Theta: unit]\n"
            "  support: \\{1, 2, 3, \\dots\\}\n---\n"
            f"You misscalculate {heading}\n\n$$L=\\prod_{{i=1}}^{{n}}(1-\\Theta)^{{x_i-1}}\\Theta$$\n")
    assert "refuted" not in _verdicts(text)


@pytest.mark.parametrize("statement, family", [
    (r"f(x|\beta) = \beta^2 x e^{-\beta x}", "gamma"),                          # a gamma of shape 2
    (r"f(x|\beta) = \frac{\beta^2 x e^{-\beta x}}{\Gamma(2)}", "gamma"),
    (r"f(x;\theta) = \frac{1}{2\theta^3} x^2 e^{-x/\theta}", "gamma_scale"),   # shape 3, scale θ
    (r"f(x|\mu) = \frac{1}{\sqrt{2\pi}} e^{-\frac{(x-\mu)^2}{2}}", "normal"),   # σ = 1
])
def test_catalogue_models_with_a_parameter_fixed(statement, family):
    _, steps = links(f"$$ {statement} $$")
    found = stated_models([(steps[0].line, steps[0].lhs, steps[0].rhs)])
    assert [m.family for m in found] == [family]


def test_a_fixed_shape_model_refutes_a_wrong_information():
    text = r"$$f(x|\beta) = \beta^2 x e^{-\beta x}$$ $$ I(\beta) = \frac{1}{\beta^2} $$"
    assert _verdicts(text)[-1] == "refuted"
    assert _verdicts(text.replace(r"\frac{1}{\beta^2}", r"\frac{2}{\beta^2}"))[-1] == "proved"


@pytest.mark.parametrize("prose, stated", [
    ("Let T be an unbiased estimator of θ.", True),
    ("For unbiased estimators the bound reads", True),
    ("If the estimator is unbiased, the bound simplifies.", False),       # a condition, not a statement
    ("Let T(X) be a biased estimator of θ. If it were unbiased,", False),  # gundersen: T is biased
])
def test_unbiasedness_is_stated_only_when_the_text_states_it(prose, stated):
    from symfisher.check import stated_hypotheses
    assert ("unbiased" in stated_hypotheses(prose)) is stated
    # where it is not stated, E[T] = θ is never proved
    text = prose + r" $$ \mathbb{E}[\hat\theta] = \theta $$"
    assert (_verdicts(text) == ["proved"]) is stated or not stated
    if not stated:
        assert _verdicts(text) != ["proved"]


@pytest.mark.parametrize("prose, family, parameter", [
    ("Assume we observe i.i.d. samples $X_1,\\ldots,X_n$ drawn from a Bernoulli distribution with true "
     "parameter $p_0$. Then $$ \\ell(p) = \\sum_i X_i \\log p $$", "bernoulli", "p: unit"),
    ("drawn from a Poisson distribution with true parameter $\\lambda$.", "poisson", r"\lambda: positive"),
    ("Let $X$ follow an exponential distribution with rate $\\lambda$.", "exponential", r"\lambda: positive"),
])
def test_families_named_in_prose(prose, family, parameter):
    found = [m for m in stated_models([], prose) if m.data is not None]
    assert [m.family for m in found] == [family]
    assert found[0].data["parameters"] == [parameter]


def test_an_expectation_with_a_free_index_is_not_the_engines():
    # bonakdarpour (fresh2): E[X_i] inside a sum-free step crashed the engine with a free index i
    text = ("Samples $X_1,\\ldots,X_n$ drawn from a Bernoulli distribution with true parameter $p$."
            "$$ -\\frac{E[X_i]}{p^2} - \\frac{(1-E[X_i])}{(1-p)^2} = -\\frac{1}{p(1-p)} $$")
    assert _verdicts(text) in (["proved"], ["unknown"])


NORMAL_FRONT = ("---\nmodel:\n  density: \\frac{1}{\\sqrt{2\\pi\\sigma^2}} e^{-\\frac{(x-\\mu)^2}{2\\sigma^2}}\n"
                "  parameters: [\\mu: real, \\sigma: positive]\n---\n")


@pytest.mark.parametrize("step, verdict", [
    (r"I(\mu) = \frac{1}{\sigma^2}", "proved"),            # the information about μ, σ known
    (r"\mathcal{I}(\sigma) = \frac{2}{\sigma^2}", "proved"),
    (r"I(\mu) = \frac{2}{\sigma^2}", "refuted"),
    (r"I(\sigma) = \frac{1}{\sigma^2}", "refuted"),
    (r"I(\sigma^2) = \frac{1}{2\sigma^4}", "unknown"),     # another parametrization: not read
])
def test_the_information_about_one_parameter_is_its_entry(step, verdict):
    assert _verdicts(NORMAL_FRONT + f"$$ {step} $$") == [verdict]
