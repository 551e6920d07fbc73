"""The checker on notation real derivations use, each class written the ways people write it.

Every class has a section of its own (helpers add theirs side by side); a test states the mathematics and
the verdict, and a seeded error in each class must be refuted at its step (or stay unknown where refuting
it would need a hypothesis the text does not state).
"""

from __future__ import annotations

import pytest

from symfisher.check import check
from symfisher.parse.lexer import latex_text, tokenize


def verdicts(text: str) -> list[str]:
    return [s.verdict.verdict for s in check(text).steps]


def display(*rows: str, prose: str = "") -> str:
    return prose + "\n\n" + "\n\n".join(f"$${row}$$" for row in rows) + "\n"


# =========================================================================== crkl: estimators, the
# Cramér–Rao chain, inequalities, the KL divergence and its expansion (issue 12, point 3)

UNBIASED = "Let the estimator be unbiased."


class TestCrklEstimators:
    """θ̂, \\hat\\theta(x), {\\hat {\\theta }}(X), \\widehat{\\theta}, T(X): a statistic t(x), never a function of θ."""

    @pytest.mark.parametrize("estimator", [r"\hat\theta", r"\hat\theta(x)", r"{\hat {\theta }}(X)",
                                           r"\widehat{\theta}", r"T(X)"])
    def test_unbiasedness_stated_gives_the_derivative_of_the_mean(self, estimator):
        # ∂θ 𝔼[θ̂] = ∂θ θ = 1, by the hypothesis the prose states
        report = check(display(rf"\frac{{\partial}}{{\partial\theta}} E[{estimator}] = 1", prose=UNBIASED))
        assert [s.verdict.verdict for s in report.steps] == ["proved"]
        assert "unbiasedness" in report.steps[0].verdict.rules

    def test_without_the_hypothesis_it_stays_unknown_and_names_it(self):
        report = check(display(r"\frac{\partial}{\partial\theta} E[\hat\theta] = 1"))
        step = report.steps[0].verdict
        assert step.verdict == "unknown" and "unbiased" in step.reason

    def test_not_unbiased_is_no_statement_of_it(self):
        text = display(r"\frac{\partial}{\partial\theta} E[\hat\theta] = 1", prose="The estimator is not unbiased.")
        assert verdicts(text) == ["unknown"]

    def test_a_seeded_mean_is_refuted(self):
        # under unbiasedness ∂θ 𝔼[θ̂] = 1, not 0
        assert verdicts(display(r"\partial_\theta \operatorname{E}[\hat\theta] = 0", prose=UNBIASED)) == ["refuted"]

    def test_an_estimator_of_the_data_only(self):
        # ∫ θ̂(x) ∂θ p dx = ∂θ ∫ θ̂(x) p dx: θ̂ does not depend on θ (no hypothesis needed)
        text = display(r"\int \hat\theta(x) \frac{\partial}{\partial\theta} f(x;\theta)\,dx "
                       r"= \frac{\partial}{\partial\theta}\int \hat\theta(x) f(x;\theta)\,dx")
        report = check(text)
        assert verdicts(text) == ["proved"]
        assert "differentiate-under-integral" in report.steps[0].verdict.rules

    def test_an_estimator_at_another_point_is_not_read(self):
        assert verdicts(display(r"E[\hat\theta(2x)] = \theta", prose=UNBIASED)) == ["unknown"]


class TestCrklCramerRaoChain:
    """Wikipedia's chain Cov[θ̂, ∂θ log f] = ∫ θ̂ ∂θ f dx = ∂θ E[θ̂] = 1 and its spellings."""

    WIKI = (r"\operatorname {Cov} [{\hat {\theta }}(X),\partial _{\theta }\log f(X;\theta )]"
            r"=\int {\hat {\theta }}(x)\,\partial _{\theta }f(x;\theta )\,dx"
            r"=\partial _{\theta }\operatorname {E} [{\hat {\theta }}]=1.")

    def test_wikipedias_chain_is_proved(self):
        assert verdicts(display(self.WIKI, prose="for unbiased estimators we have")) == ["proved"] * 3

    def test_the_same_chain_in_other_spellings(self):
        text = display(r"\mathrm{Cov}\left(\hat\theta, \frac{\partial}{\partial\theta}\log p(x|\theta)\right) "
                       r"= \int \hat\theta(x) \frac{\partial}{\partial \theta} p(x|\theta) \, dx "
                       r"= \frac{d}{d\theta} \mathbb{E}[\hat\theta] = 1", prose=UNBIASED)
        assert verdicts(text) == ["proved"] * 3

    def test_a_dropped_derivative_is_refuted_at_its_step(self):
        seeded = self.WIKI.replace(r"\,\partial _{\theta }f(x;\theta )", r"\,f(x;\theta )")
        report = check(display(seeded, prose="for unbiased estimators we have"))
        assert report.first_error == 1

    def test_covariance_by_its_definition(self):
        text = display(r"\mathrm{Cov}(\hat\theta,S_n)=E[\hat\theta\cdot S_n]-E[\hat\theta]\cdot E[S_n]",
                       prose=r"Define $S_n(\theta)=\frac{\partial}{\partial\theta}\log L(\theta)$.")
        assert verdicts(text) == ["proved"]

    def test_a_score_named_by_the_text_is_no_constant(self):
        # S_n(θ) is a random function: 𝔼[θ̂ S_n] − 𝔼[θ̂]𝔼[S_n] is not 0, so "= 1" is never refuted by reading
        # S_n as a constant
        text = display(r"E[\hat\theta\cdot S_n]-E[\hat\theta]\cdot E[S_n]=1-\theta\cdot 0",
                       prose=r"Define $S_n(\theta)=\frac{\partial}{\partial\theta}\log L(\theta)$; $\hat\theta$ is "
                             "unbiased.")
        assert verdicts(text) == ["unknown"]


class TestCrklInequalities:
    """≤, ≥, \\le, \\leq, \\ge, \\geq: named rules, counterexamples, or unknown with the reason."""

    @pytest.mark.parametrize("row", [
        r"[\mathrm{Cov}(\hat\theta,S_n)]^2\le\mathrm{Var}(\hat\theta)\cdot\mathrm{Var}(S_n)",
        r"\text{Cov}(T(X), U(\theta))^2 \leq \text{Var}(T(X)) \cdot \text{Var}(U(\theta))",
        r"\operatorname{Var}(\hat\theta)\operatorname{Var}(S_n) \geq \operatorname{Cov}(\hat\theta, S_n)^2",
    ])
    def test_cauchy_schwarz(self, row):
        report = check(display(row, prose=r"Let $S_n(\theta)$ and $U(\theta)$ be scores."))
        assert [s.verdict.verdict for s in report.steps] == ["proved"]
        assert report.steps[0].verdict.rules == ("cauchy-schwarz",)

    def test_cauchy_schwarz_with_the_wrong_variance_is_not_proved(self):
        text = display(r"\mathrm{Cov}(\hat\theta,S_n)^2 \le \mathrm{Var}(\hat\theta)\cdot\mathrm{Var}(\hat\theta)",
                       prose=r"Let $S_n(\theta)$ be the score.")
        assert verdicts(text) != ["proved"]

    @pytest.mark.parametrize("row", [
        r"\mathrm{Var}(\hat\theta)\ge\frac{1}{nI(\theta)}",
        r"1 \le \mathrm{Var}(\hat\theta)\cdot nI(\theta)",
        r"\operatorname{Var}[\hat\theta] \geq \frac{1}{n \mathcal{I}(\theta)}",
    ])
    def test_the_cramer_rao_bound_for_a_sample(self, row):
        report = check(display(row, prose="Let X_1, …, X_n be i.i.d. and the estimator unbiased."))
        assert [s.verdict.verdict for s in report.steps] == ["proved"]
        assert "cramer-rao" in report.steps[0].verdict.rules

    @pytest.mark.parametrize("information", [r"I(\theta)",
                                             r"\mathbb{E} \left[\left(\frac{d}{d\theta} \log f(X; \theta) \right)^2\right]"])
    def test_the_general_bound_needs_no_unbiasedness(self, information):
        row = (r"\mathbb{V}[T(X)] \geq \frac{\left( \frac{d}{d \theta} \mathbb{E}[T(X)] \right)^2}{"
               + information + "}")
        report = check(display(row, prose="Let T(X) be an estimator."))
        assert report.steps[0].verdict.rules == ("cramer-rao-general",)
        assert verdicts(display(r"\mathbb{V}[T(X)] \geq \frac{1}{I(\theta)}")) == ["unknown"]

    def test_the_bound_needs_its_hypotheses(self):
        for prose in ("Let X_1, …, X_n be i.i.d.", "Let the estimator be unbiased."):
            report = check(display(r"\mathrm{Var}(\hat\theta)\ge\frac{1}{nI(\theta)}", prose=prose))
            assert report.steps[0].verdict.verdict == "unknown", prose
            assert "the Cramér–Rao bound needs" in report.steps[0].verdict.reason

    def test_a_bound_too_strong_is_refuted(self):
        # Var(θ̂) ≥ 2/I(θ) fails for θ̂(x) = x under N(θ, 1): 1 < 2
        report = check(display(r"\operatorname{Var}(T(X)) \geq \frac{2}{I(\theta)}", prose=UNBIASED))
        assert report.steps[0].verdict.verdict == "refuted"
        assert "counterexample" in report.steps[0].verdict.reason

    def test_a_reversed_bound_is_not_proved(self):
        report = check(display(r"\mathrm{Var}(\hat\theta)\le\frac{1}{I(\theta)}", prose=UNBIASED))
        assert report.steps[0].verdict.verdict != "proved"

    def test_algebraic_inequalities(self):
        assert verdicts(display(r"\frac{1}{n} \le 1", r"\theta^2 \geq 0", r"\theta^2 + 1 > 0")) == ["proved"] * 3
        assert verdicts(display(r"1 \le \frac{1}{2}")) == ["refuted"]

    def test_an_inequality_in_a_models_setting(self):
        text = ("---\nmodel:\n  density: \\lambda e^{-\\lambda x}\n  parameters: [\\lambda: positive]\n"
                "  support: (0, \\infty)\n---\n" + display(r"\frac{1}{\lambda^2} \ge 0", r"\lambda^2 \le 0"))
        assert verdicts(text) == ["proved", "refuted"]

    def test_a_matrix_inequality_is_reported_not_checked(self):
        assert verdicts(display(r"\mathrm{Cov}(\hat\theta) \succeq I(\theta)^{-1}")) == ["unknown"]


class TestCrklKullbackLeibler:
    """D_{KL}(p||q), D_{\\mathrm{KL}}(P \\| Q), \\mathrm{KL}(p\\|q), KL(P‖Q): ∫ p log(p/q) dx, Σ_x,
    E_p[log p − log q]."""

    @pytest.mark.parametrize("left", [r"D_{KL}(p||q)", r"D_{\mathrm{KL}}(P \| Q)", r"\mathrm{KL}(p\|q)",
                                      r"D_{\text{KL}}(P(x) \| Q(x))", r"KL(p \parallel q)"])
    def test_the_definition(self, left):
        report = check(display(rf"{left} = \int p(x) \log \frac{{p(x)}}{{q(x)}} dx"))
        assert [s.verdict.verdict for s in report.steps] == ["proved"]
        assert report.steps[0].verdict.rules == ("definition-kl",)

    def test_as_an_expectation_of_a_difference_of_logs(self):
        text = display(r"D_{KL}\bigg(p(x; \theta) ||p(x; \theta + \delta) \bigg) "
                       r"= \mathbb{E}\bigg[  \log p(x; \theta) - \log p(x; \theta + \delta)\bigg]")
        assert verdicts(text) == ["proved"]

    def test_a_transposition_is_refuted(self):
        text = display(r"D_{KL}\bigg(p(x; \theta) ||p(x; \theta + \delta) \bigg) "
                       r"= \mathbb{E}\bigg[  \log p(x; \theta + \delta) - \log p(x; \theta)\bigg]")
        report = check(text)
        assert report.first_error == 1 and "δ" in report.steps[0].verdict.reason

    def test_a_sum_over_x_and_a_second_parameter(self):
        text = display(r"D_{KL} \big( P(X;\theta) \,||\, P(X;t) \big) "
                       r"= \sum_x P(x;\theta) \ln\frac{P(x;\theta)}{P(x;t)}",
                       r"\nabla_t \ln\frac{P(x;\theta)}{P(x;t)} = \nabla_t \ln P(x;\theta) - \nabla_t \ln P(x;t)",
                       r"\nabla_t \ln P(x;\theta) - \nabla_t \ln P(x;t) = 0 - \nabla_t \ln P(x;t)")
        assert verdicts(text) == ["proved"] * 3

    def test_a_dropped_sign_with_a_second_parameter_is_refuted(self):
        text = display(r"\nabla_t \ln\frac{P(x;\theta)}{P(x;t)} = \nabla_t \ln P(x;\theta) + \nabla_t \ln P(x;t)")
        assert verdicts(text) == ["refuted"]

    def test_a_shifted_parameter_is_never_read_as_theta(self):
        # p(x; θ + δ) is not p(x; θ): the divergence of p from itself is 0, this one is not
        assert verdicts(display(r"D_{KL}(p(x;\theta) \| p(x;\theta+\delta)) = 0")) == ["refuted"]

    def test_a_probability_is_not_the_density(self):
        assert verdicts(display(r"P(X = 1) = \theta")) == ["unknown"]


class TestCrklExpansions:
    """Taylor polynomials in an increment δ of p(x; θ + δ), with ≈, + \\dots, O(δ³) or o(δ²)."""

    TAYLOR = (r"\log p(x; \theta + \delta) \approx \log p(x; \theta) + \delta \frac{\partial}{\partial \theta}"
              r"\log p(x; \theta) + \frac{\delta^2}{2} \frac{\partial^2}{\partial \theta^2}\log p(x; \theta)")

    @pytest.mark.parametrize("tail", ["", r" + \dots", r" + \underbrace{\dots}_{\approx 0}", r" + O(\delta^3)"])
    def test_the_right_taylor_polynomial_is_checked(self, tail):
        report = check(display(self.TAYLOR + tail))
        step = report.steps[0].verdict
        assert step.verdict == "approximation" and step.reason.startswith("checked") and "taylor" in step.rules

    def test_a_dropped_half_is_refuted_by_the_series(self):
        seeded = self.TAYLOR.replace(r"\frac{\delta^2}{2}", r"\delta^2")
        report = check(display(seeded))
        assert report.steps[0].verdict.verdict == "refuted"
        assert "order 2" in report.steps[0].verdict.reason

    def test_a_dropped_sign_is_refuted_by_the_series(self):
        seeded = self.TAYLOR.replace(r"+ \delta \frac", r"- \delta \frac")
        assert verdicts(display(seeded)) == ["refuted"]

    @pytest.mark.parametrize("left", [r"D_{KL}(p(x;\theta) \| p(x;\theta+\delta))",
                                      r"\mathrm{KL}(p(x|\theta) \| p(x|\theta+\delta))"])
    def test_the_kl_expansion_with_its_remainder(self, left):
        for right in (r"\frac{1}{2}\delta^2 I(\theta) + O(\delta^3)", r"\frac{\delta^2}{2} I(\theta) + o(\delta^2)"):
            report = check(display(f"{left} = {right}"))
            assert [s.verdict.verdict for s in report.steps] == ["proved"], right
            assert {"taylor", "definition-kl", "definition-fisher"} <= set(report.steps[0].verdict.rules)

    def test_the_kl_expansion_without_its_half_is_refuted(self):
        report = check(display(r"D_{KL}(p(x;\theta) \| p(x;\theta+\delta)) = \delta^2 I(\theta) + O(\delta^3)"))
        assert report.steps[0].verdict.verdict == "refuted"

    def test_an_approximation_without_an_increment_is_only_reported(self):
        step = check(display(r"\frac{1}{n} \approx 0")).steps[0].verdict
        assert step.verdict == "approximation" and not step.reason.startswith("checked")

    def test_a_remainder_that_is_not_in_an_increment_is_not_read(self):
        assert verdicts(display(r"\log(1 + \theta) = \theta + O(\theta^2)")) == ["unknown"]

    def test_a_cancelled_term_is_read(self):
        text = display(r"\mathbb{E}\left[\cancel{\log p(x;\theta) - \log p(x;\theta)} + \theta\right] = \theta")
        assert verdicts(text) == ["proved"]


class TestCrklVariationsAndMeasures:
    """δq, δp, δθ_m (one symbol, a variation); ∫_X … dμ, ∫_Ω; 𝔼\\left\\{…\\right\\}; definitions stated in prose."""

    def test_a_variation_is_one_symbol(self):
        # (q + δq) log((q + δq)/q) = q log(1 + δq/q) + δq log(1 + δq/q): algebra, for every function δq
        text = display(r"D_{\mathrm{KL}}(P \| Q) = \int_X p \log \frac{p}{q} \mathrm{d}\mu",
                       r"\int_X (q + \delta q) \log \frac{q + \delta q}{q} \mathrm{d}\mu = \int_X q \log \left( 1 + "
                       r"\frac{\delta q}{q} \right) \mathrm{d}\mu + \int_X \delta q \log \left( 1 + \frac{\delta q}{q} "
                       r"\right) \mathrm{d}\mu")
        assert verdicts(text) == ["proved", "proved"]

    def test_a_variation_is_not_delta_times_q(self):
        # read as δ·q, ∫ δq dx = δ ∫ q dx would follow from normalization; for a variation δq it does not
        text = display(r"D_{KL}(p \| q) = D_{KL}(p \| q)", r"\int \delta q \, dx = \delta")
        assert verdicts(text)[1] == "unknown"

    def test_linearity_with_variations(self):
        text = display(r"D_{KL}(p \| q) = D_{KL}(p \| q)",
                       r"\int q \left( \frac{\delta q}{q} - \frac{(\delta q)^2}{2 q^2} \right) dx + \int \delta q "
                       r"\frac{\delta q}{q} dx = \int \delta q \, dx + \frac{1}{2} \int q \frac{(\delta q)^2}{q^2} dx",
                       r"\int q \left( \frac{\delta q}{q} - \frac{(\delta q)^2}{2 q^2} \right) dx + \int \delta q "
                       r"\frac{\delta q}{q} dx = \int \delta q \, dx + \int q \frac{(\delta q)^2}{q^2} dx")
        assert verdicts(text)[1:] == ["proved", "unknown"]      # the dropped ½ is never proved

    @pytest.mark.parametrize("expectation", [r"\mathbb{E}\left\{ x \right\}", r"E\{x\}", r"E[x]"])
    def test_expectation_braces(self, expectation):
        assert verdicts(display(rf"{expectation} = \int x p(x|\theta) dx")) == ["proved"]

    def test_a_definition_stated_in_prose(self):
        prose = r"Define the score function $S_n(\theta)=\frac{\partial}{\partial\theta}\log L(\theta)$."
        report = check(display(r"E[S_n(\theta)]=E\left[\frac{\partial}{\partial\theta}\log L(\theta)\right]",
                               prose=prose))
        assert report.steps[0].verdict.verdict == "proved"
        assert report.steps[0].verdict.rules == ("definition-stated",)

    def test_a_claim_in_prose_is_no_definition(self):
        prose = r"Then $S_n(\theta)=\frac{\partial}{\partial\theta}\log L(\theta)$ holds."
        text = display(r"E[S_n(\theta)]=E\left[\frac{\partial}{\partial\theta}\log L(\theta)\right]", prose=prose)
        assert verdicts(text) == ["unknown"]
# =========================================================================== concrete models (helper "concrete")

BERNOULLI = ("---\nmodel:\n  density: p^{X}(1-p)^{1-X}\n  variable: X\n  parameters: [p: unit]\n"
             "  support: \\{0, 1\\}\n---\n")
BERNOULLI_THETA = ("---\nmodel:\n  density: \\theta^x (1-\\theta)^{1-x}\n  parameters: [\\theta: unit]\n"
                   "  support: \\{0, 1\\}\n---\n")
GEOMETRIC = ("---\nmodel:\n  density: (1 - p)^X p\n  variable: X\n  parameters: [p: unit]\n"
             "  support: \\{0, 1, 2, \\dots\\}\n---\n")
NORMAL = ("---\nmodel:\n  density: \\frac{1}{\\sqrt{2\\pi\\sigma^2}} e^{-\\frac{(x-\\mu)^2}{2\\sigma^2}}\n"
          "  parameters: [\\mu: real, \\sigma: positive]\n---\n")
EXPONENTIAL = ("---\nmodel:\n  density: \\lambda e^{-\\lambda x}\n  parameters: [\\lambda: positive]\n"
               "  support: (0, \\infty)\n---\n")


def verdict_of(model: str, step: str) -> str:
    """The verdict on the one step of a display, under a model's front matter."""
    report = check(f"{model}\n$$\n{step}\n$$\n")
    assert len(report.steps) == 1, report.text()
    return report.steps[0].verdict.verdict


def reason_of(model: str, step: str) -> str:
    report = check(f"{model}\n$$\n{step}\n$$\n")
    return report.steps[0].verdict.reason


class TestConcreteProbabilityOfAnEvent:
    """Pr(X = k), P(X = k), p_X(k), f(k): the model's pmf at a point of the support."""

    @pytest.mark.parametrize("written", [
        r"\Pr(X = 1)", r"\mathrm{Pr}(X = 1)", r"P(X=1)", r"\Pr(X{=}1)", r"\mathbb{P}(X = 1)",
        r"\Pr\left(X = 1\right)", r"p_X(1)", r"f(1)",
    ])
    def test_the_probability_of_one_is_p(self, written):
        assert verdict_of(BERNOULLI, f"{written} = p") == "proved"
        assert verdict_of(BERNOULLI, f"{written} = 1 - p") == "refuted"

    @pytest.mark.parametrize("step", [
        r"E(X) = 0(\Pr(X = 0)) + 1(\Pr(X = 1))",
        r"\mathrm{E}(X) = 0 \cdot \mathrm{Pr}(X = 0) + 1 \cdot \mathrm{Pr}(X = 1)",
        r"E_p(X^2) = 0^2\cdot p_X(0)+1^2\cdot p_X(1)",
        r"E[X] = 0 \cdot P(X=0) + 1 \cdot P(X=1)",
    ])
    def test_an_expectation_as_a_sum_over_the_support(self, step):
        assert verdict_of(BERNOULLI, step) == "proved"

    def test_a_wrong_moment_through_probabilities_is_refuted(self):
        assert verdict_of(BERNOULLI, r"0^2(\Pr(X = 0)) + 1^2(\Pr(X = 1)) = p^2") == "refuted"

    @pytest.mark.parametrize("model, step", [
        (BERNOULLI, r"\Pr(X = 2) = 0"),            # off the support the formula is not the pmf
        (BERNOULLI, r"\Pr(X = 2) = p^2 (1-p)^{-1}"),
        (NORMAL, r"\Pr(X = 0) = 0"),                # a continuous model: not read
        ("", r"\Pr(X = 1) = p"),                    # no model: not read
    ])
    def test_what_is_not_certain_stays_unknown(self, model, step):
        assert verdict_of(model, step) == "unknown"

    def test_the_geometric_pmf_at_a_point(self):
        assert verdict_of(GEOMETRIC, r"\Pr(X = 2) = (1-p)^2 p") == "proved"
        assert verdict_of(GEOMETRIC, r"\Pr(X = 2) = (1-p) p^2") == "refuted"


class TestConcreteDensityWithoutParameters:
    """With a model declared, f(x), p(x), f_X(x) alone are its density."""

    @pytest.mark.parametrize("density", [r"f(x)", r"f_X(x)", r"p(x)", r"f(x;\mu, \sigma)", r"f(x|\mu,\sigma)"])
    def test_the_information_on_the_mean(self, density):
        assert verdict_of(NORMAL, rf"-E(\frac{{d^2}}{{d\mu^2}} \ln {density})=1/\sigma^2") == "proved"
        assert verdict_of(NORMAL, rf"-E(\frac{{d^2}}{{d\mu^2}} \ln {density})=1/\sigma") == "refuted"

    def test_without_a_model_f_x_stays_unknown(self):
        assert verdict_of("", r"-E(\frac{d^2}{d\theta^2} \ln f(x)) = 1") == "unknown"


class TestConcreteSeveralPointsOfTheSupport:
    """A side that is a function of x is compared at several points of the support."""

    @pytest.mark.parametrize("model, step", [
        (BERNOULLI_THETA, r"\frac{d^2}{d\theta^2} \log f(x|\theta) = -\frac{x}{\theta^2}+\frac{1-x}{(1-\theta)^2}"),
        (BERNOULLI_THETA, r"\frac{d}{d\theta} \log f(x|\theta) = \frac{x}{\theta} + \frac{1-x}{1-\theta}"),
        (GEOMETRIC, r"\frac{\partial}{\partial p} \ln L(p; X) = \frac{1}{p} + \frac{X}{1 - p}"),
        (EXPONENTIAL, r"\frac{d}{d\lambda} \log f(x|\lambda) = \frac{1}{\lambda} - 2x + 1"),
    ])
    def test_a_sign_error_hidden_at_one_point_is_refuted(self, model, step):
        assert verdict_of(model, step) == "refuted"

    @pytest.mark.parametrize("model, step", [
        (BERNOULLI_THETA, r"\frac{d^2}{d\theta^2} \log f(x|\theta) = -\frac{x}{\theta^2}-\frac{1-x}{(1-\theta)^2}"),
        (GEOMETRIC, r"\frac{\partial}{\partial p} \ln L(p; X) = \frac{1}{p} - \frac{X}{1 - p}"),
        (EXPONENTIAL, r"\frac{d}{d\lambda} \log f(x|\lambda) = \frac{1}{\lambda} - x"),
    ])
    def test_true_steps_are_not_refuted(self, model, step):
        assert verdict_of(model, step) == "proved"

    def test_a_point_where_a_side_has_no_value_is_no_evidence(self):
        # X/(X² + X) = 1/(X + 1) on the support except at X = 0, where the left side has no value:
        # that point is passed over, and the other points agree
        from symfisher.check import _concrete
        setting, _, refute = _concrete({"density": "(1 - p)^X p", "variable": "X", "parameters": ["p: unit"],
                                        "support": "\\{0, 1, 2, \\dots\\}"})
        x = setting.x
        assert refute(x / (x ** 2 + x), 1 / (x + 1)) == ""
        assert refute(x / (x ** 2 + x), 1 / (x + 2)).startswith("counterexample")


class TestConcreteLogOfTheDensityExpanded:
    """log of a product or power split when the factors are positive on the support and the domains."""

    @pytest.mark.parametrize("model, step", [
        (BERNOULLI_THETA, r"log \;f(x|\theta) = x·log(\theta) + (1-x)·log(1-\theta)"),
        (BERNOULLI_THETA, r"\log f(x|\theta) = x\log\theta + (1-x)\log(1-\theta)"),
        (BERNOULLI_THETA, r"\ln\left(\theta^x (1-\theta)^{1-x}\right) = x\ln\theta + (1-x)\ln(1-\theta)"),
        (GEOMETRIC, r"\ln L(p; X) = X \ln(1 - p) + \ln p"),
        (NORMAL, r"\ln f(x;\mu, \sigma) = -\frac{1}{2}\ln(2\pi\sigma^2) - \frac{(x-\mu)^2}{2\sigma^2}"),
        (EXPONENTIAL, r"\log f(x|\lambda) = \log\lambda - \lambda x"),
    ])
    def test_the_log_density_expanded_is_proved(self, model, step):
        assert verdict_of(model, step) == "proved"
        assert "log(ab)" in reason_of(model, step) or "algebra" in reason_of(model, step)

    @pytest.mark.parametrize("model, step", [
        (BERNOULLI_THETA, r"\log f(x|\theta) = x\log\theta - (1-x)\log(1-\theta)"),
        (NORMAL, r"\ln f(x;\mu, \sigma) = -\frac{1}{2}\ln(2 \sigma^2)+\frac{1}{2\sigma^2}(x-\mu)^2"),
    ])
    def test_a_wrong_expansion_is_refuted(self, model, step):
        assert verdict_of(model, step) == "refuted"

    def test_a_log_of_a_factor_that_may_be_negative_is_not_split(self):
        # μ is real: log μ² = 2 log μ fails for μ < 0, so no rule may prove it
        assert verdict_of(NORMAL, r"\log(\mu^2) = 2\log\mu") != "proved"


class TestConcreteOperatorReach:
    """Wikipedia's braced operators, and d/dp followed by log of a product."""

    @pytest.mark.parametrize("step", [
        r"{\mathcal {I}}(\theta )=-\operatorname {E} \left[\left.{\frac {\partial ^{2}}{\partial \theta ^{2}}}"
        r"\log \left(\theta ^{X}(1-\theta )^{1-X}\right)\right|\theta \right]",
        r"\mathcal{I}(\theta) = -\mathbb{E}\left[{\frac{d^2}{d\theta^2}}\log\left(\theta^x(1-\theta)^{1-x}\right)\right]",
        r"{\mathcal {I}}(\theta ) = \frac{1}{\theta(1-\theta)}",
    ])
    def test_braced_operators_and_names(self, step):
        assert verdict_of(BERNOULLI_THETA, step) == "proved"

    def test_a_braced_fisher_name_is_never_a_product_with_theta(self):
        assert verdict_of(BERNOULLI_THETA, r"{\mathcal {I}}(\theta ) = \frac{1}{1-\theta}") == "refuted"

    @pytest.mark.parametrize("step, verdict", [
        (r"I_X(p)=-E_p\left(\frac{d^2}{dp^2}\log p^X(1-p)^{1-X}\right)", "proved"),
        (r"\frac{d}{dp}\log p^X(1-p)^{1-X} = \frac{X}{p} - \frac{1-X}{1-p}", "proved"),
        (r"\frac{d}{dp}\ln p^X (1-p)^{1-X} = \frac{X}{p} + \frac{1-X}{1-p}", "refuted"),
        (r"\frac{\partial^2}{\partial p^2}\log p^X(1-p)^{1-X} = -\frac{X}{p^2}-\frac{1-X}{(1-p)^2}", "proved"),
    ])
    def test_the_log_of_the_product_after_a_derivative(self, step, verdict):
        assert verdict_of(BERNOULLI, step) == verdict

    @pytest.mark.parametrize("step", [
        # log f · f: log of f alone, or of the product? only a product that is the density is certain
        r"\frac{\partial}{\partial p}\log f(X|p)\, f(X|p) = \frac{X}{p} - \frac{1-X}{1-p}",
        r"\frac{d}{dp}\log p^X (1-p)^{1-X} p = \frac{X+1}{p} - \frac{1-X}{1-p}",
    ])
    def test_a_product_that_is_not_the_density_is_not_guessed(self, step):
        report = check(f"{BERNOULLI}\n$$\n{step}\n$$\n")
        assert report.steps[0].verdict.verdict == "unknown" and "reach" in report.steps[0].verdict.reason


BINOMIAL = ("---\nmodel:\n  density: \\binom{n}{x} p^x (1-p)^{n-x}\n  parameters: [p: unit]\n"
            "  constants: [n: positive_integer]\n  support: \\{0, 1, \\dots, n\\}\n---\n")


class TestConcreteBinomialSums:
    """Σ_{x=0}^{n} over the binomial support, with \\binom{n}{x}, {n \\choose x} and {{n}\\choose{x}}."""

    @pytest.mark.parametrize("coefficient", [r"{{n}\choose{x}}", r"{n \choose x}", r"\binom{n}{x}", r"\dbinom{n}{x}"])
    def test_the_second_moment_as_a_sum(self, coefficient):
        step = (rf"\sum_{{x=0}}^n \Bigg( \frac{{x^2-2nxp+n^2p^2}}{{p^2(1-p)^2}} \Bigg) {coefficient} p^x (1-p)^{{n-x}}"
                r" = \frac{n^2p^2+np(1-p)-2n^2p^2+n^2p^2}{p^2(1-p)^2}")
        assert verdict_of(BINOMIAL, step) == "proved"
        assert verdict_of(BINOMIAL, step.replace("np(1-p)", "np")) == "refuted"

    @pytest.mark.parametrize("bounds, verdict", [
        (r"_{x=1}^n", "proved"),            # the term left out, at x = 0, is 0
        (r"_{x=0}^{n-1}", "refuted"),       # the term left out, at x = n, is n pⁿ
        (r"_{x=0}^{\infty}", "unknown"),    # beyond the support: not read
        (r"_{x=-1}^{n}", "unknown"),
    ])
    def test_a_sum_over_part_of_the_support(self, bounds, verdict):
        step = rf"\sum{bounds} x \binom{{n}}{{x}} p^x (1-p)^{{n-x}} = np"
        assert verdict_of(BINOMIAL, step) == verdict


class TestConcreteAmbiguousPower:
    """E(g)^k is E[g^k] or E[g]^k: a verdict is kept only when both readings give it."""

    def test_both_readings_false_is_refuted(self):
        # E[(X/p)²] = 1/p and (E[X/p])² = 1, neither is 2/p
        assert verdict_of(BERNOULLI, r"E\left(\frac{X}{p}\right)^2 = \frac{2}{p}") == "refuted"

    def test_readings_that_disagree_stay_unknown(self):
        assert verdict_of(BERNOULLI, r"E\left(\frac{X}{p}\right)^2 = \frac{1}{p}") == "unknown"
        assert verdict_of(BERNOULLI, r"\mathbb{E}\Bigg( \frac{X}{p} \Bigg)^2 = 1") == "unknown"

    def test_brackets_are_certain(self):
        assert verdict_of(BERNOULLI, r"E\left[\left(\frac{X}{p}\right)^2\right] = \frac{1}{p}") == "proved"
        assert verdict_of(BERNOULLI, r"\mathbb{E}\Bigg(\Bigg( \frac{X}{p} \Bigg)^2\Bigg) = \frac{1}{p}") == "proved"


class TestConcreteExpectationOfAFraction:
    """𝔼\\frac{a}{b} without brackets: E of that fraction when nothing follows it."""

    @pytest.mark.parametrize("written", [r"- \mathbb{E}\frac{2(x-\mu)}{2\sigma^4}", r"-E\frac{x-\mu}{\sigma^4}",
                                         r"-\operatorname{E}\dfrac{x-\mu}{\sigma^4}"])
    def test_the_mean_of_a_centred_fraction(self, written):
        assert verdict_of(NORMAL, f"{written} = 0") == "proved"
        assert verdict_of(NORMAL, f"{written} = 1") == "refuted"

    def test_a_fraction_followed_by_a_factor_stays_unknown(self):
        assert verdict_of(NORMAL, r"\mathbb{E}\frac{1}{\sigma^2} (x-\mu)^2 = 1") == "unknown"
        assert verdict_of(NORMAL, r"\mathbb{E}\frac{x-\mu}{\sigma}^2 = 1") == "unknown"


class TestConcreteLogSpellings:
    """log written as people type it: without a backslash, \\text{log}, \\mathrm{ln}, \\operatorname{log}, x·log."""

    @pytest.mark.parametrize("log", [r"\log", r"\ln", "log", "ln", r"\text{log}", r"\text{ln}", r"\mathrm{ln}",
                                     r"\operatorname{log}", r"\mathrm{log}"])
    def test_the_bernoulli_log_density(self, log):
        true = rf"{log} \;f(x|\theta) = x·{log}(\theta) + (1-x)·{log}(1-\theta)"
        assert verdict_of(BERNOULLI_THETA, true) == "proved"
        assert verdict_of(BERNOULLI_THETA, true.replace("+ (1-x)", "- (1-x)")) == "refuted"

    def test_a_text_remark_after_a_step_is_still_a_remark(self):
        report = check(f"{BERNOULLI_THETA}\n$$\nf(1|\\theta) = \\theta \\quad \\text{{the log is not taken}}\n$$\n")
        assert [(s.link.lhs, s.link.rhs) for s in report.steps] == [(r"f(1|\theta)", r"\theta")]


POISSON = ("---\nmodel:\n  density: \\frac{\\lambda^x e^{-\\lambda}}{x!}\n  parameters: [\\lambda: positive]\n"
           "  support: \\{0, 1, 2, \\dots\\}\n---\n")


class TestConcreteOtherDiscreteModels:
    """The same notations on the Poisson and binomial models."""

    @pytest.mark.parametrize("model, step", [
        (POISSON, r"\log f(x|\lambda) = x\log\lambda - \lambda - \log x!"),
        (POISSON, r"\log P(X = x) = x\log\lambda - \lambda - \log(x!)"),
        (POISSON, r"P(X=2) = \frac{\lambda^2 e^{-\lambda}}{2}"),
        (POISSON, r"\Pr(X = 0) = e^{-\lambda}"),
        (BINOMIAL, r"\log f(x|p) = \log\binom{n}{x} + x\log p + (n-x)\log(1-p)"),
        (BINOMIAL, r"\ln f(x) = \ln{n \choose x} + x\ln p + (n-x)\ln(1-p)"),
        (BINOMIAL, r"\Pr(X = n) = p^n"),
    ])
    def test_proved(self, model, step):
        assert verdict_of(model, step) == "proved"

    @pytest.mark.parametrize("model, step", [
        (POISSON, r"\frac{d}{d\lambda}\log f(x|\lambda) = \frac{x}{\lambda} + 1"),
        (POISSON, r"\Pr(X = 0) = \lambda e^{-\lambda}"),
        (BINOMIAL, r"\ln f(x) = \ln{n \choose x} + x\ln p + x\ln(1-p)"),
    ])
    def test_refuted(self, model, step):
        assert verdict_of(model, step) == "refuted"


class TestConcreteSumsOverTheSupport:
    """Σ over the support with its own index (k), with bounds or a set: the expectation; part of it: unknown."""

    @pytest.mark.parametrize("model, step", [
        (POISSON, r"E[X] = \sum_{k=0}^{\infty} k \frac{\lambda^k e^{-\lambda}}{k!}"),
        (POISSON, r"\sum_{k=0}^{\infty} k \frac{\lambda^k e^{-\lambda}}{k!} = \lambda"),
        (POISSON, r"\sum_{x=0}^{\infty} x \frac{\lambda^x e^{-\lambda}}{x!} = \lambda"),
        (POISSON, r"E[X] = \sum_{x \in \{0, 1, \dots\}} x f(x)"),
        (BERNOULLI_THETA, r"E[x] = \sum_{x \in \{0,1\}} x \theta^x (1-\theta)^{1-x}"),
        (BERNOULLI_THETA, r"\sum_{x=0}^{1} x^2 \theta^x (1-\theta)^{1-x} = \theta"),
        (BINOMIAL, r"\sum_{j=0}^{n} j \binom{n}{j} p^j (1-p)^{n-j} = np"),
    ])
    def test_proved(self, model, step):
        assert verdict_of(model, step) == "proved"

    def test_a_wrong_moment_is_refuted(self):
        assert verdict_of(POISSON, r"\sum_{k=0}^{\infty} k^2 \frac{\lambda^k e^{-\lambda}}{k!} = \lambda") == "refuted"

    @pytest.mark.parametrize("model, step", [
        (BERNOULLI_THETA, r"E[x] = \sum_{x \in \{1\}} x \theta^x (1-\theta)^{1-x}"),
        (BERNOULLI_THETA, r"\sum_{x \in A} x \theta^x (1-\theta)^{1-x} = \theta"),
        (POISSON, r"\sum_{k=1}^{\infty} \frac{1}{k}\frac{\lambda^k e^{-\lambda}}{k!} = 1"),   # 1/k at k = 0
        (POISSON, r"\sum_{k=9}^{\infty} \frac{\lambda^k e^{-\lambda}}{k!} = 1"),    # too many points left out
    ])
    def test_what_is_not_certain_stays_unknown(self, model, step):
        assert verdict_of(model, step) == "unknown"

    @pytest.mark.parametrize("model, step, verdict", [
        (POISSON, r"E[X] = \sum_{k=1}^{\infty} k \frac{\lambda^k e^{-\lambda}}{k!}", "proved"),
        (POISSON, r"\sum_{k=1}^{\infty} \frac{\lambda^k e^{-\lambda}}{k!} = 1 - e^{-\lambda}", "proved"),
        (POISSON, r"\sum_{k=2}^{\infty} \frac{\lambda^k e^{-\lambda}}{k!} = 1", "refuted"),
        (BINOMIAL, r"\sum_{j=0}^{n-1} \binom{n}{j} p^j (1-p)^{n-j} = 1 - p^n", "proved"),
        (BINOMIAL, r"\sum_{j=0}^{n-1} \binom{n}{j} p^j (1-p)^{n-j} = 1", "refuted"),
    ])
    def test_all_of_the_support_but_a_few_points(self, model, step, verdict):
        assert verdict_of(model, step) == verdict


POISSON_MU = ("---\nmodel:\n  density: \\exp(-\\mu) \\mu^x/x!\n  parameters: [\\mu: positive]\n"
              "  support: \\{0, 1, 2, \\dots\\}\n---\n")


class TestConcreteLogLikelihoodOfOneObservation:
    """l(x|μ), ℓ(x; μ), l'(x|μ), l^{\\prime\\prime}(x|μ): the log-density at one observation and its derivatives."""

    @pytest.mark.parametrize("step", [
        r"l(x|\mu) = \ln{f(x|\mu)}",
        r"\ell(x;\mu) = x\ln\mu - \mu - \ln x!",
        r"l^{\prime}(x|\mu) = -1 + \frac{x}{\mu}",
        r"\ell'(x\mid\mu) = \frac{x}{\mu} - 1",
        r"l^{\prime\prime}(x|\mu) = - \frac{x}{\mu^2}",
        r"I(\mu) = -E[l^{\prime\prime}(x|\mu)]",
        r"-E[l''(x|\mu)] = \frac{E[X]}{\mu^2}",
    ])
    def test_proved(self, step):
        assert verdict_of(POISSON_MU, step) == "proved"

    def test_a_wrong_derivative_is_refuted(self):
        assert verdict_of(POISSON_MU, r"l''(x|\mu) = \frac{x}{\mu^2}") == "refuted"

    def test_capital_x_beside_its_scalar_use_is_one_observation(self):
        # X may name the sample elsewhere; here the right side uses X as one value, so l(X|μ) is log f(X|μ)
        assert verdict_of(POISSON_MU, r"l(X|\mu) = X\ln\mu - \mu - \ln X!") != "refuted"
        assert verdict_of(POISSON_MU, r"l(X|\mu) = X\ln\mu + \mu - \ln X!") != "proved"


class TestConcreteTwoParameterNormal:
    """The normal model with parameters μ, σ: entries by name, the matrix, \\frac12; σ² where σ is declared."""

    @pytest.mark.parametrize("step", [
        r"\log f(x|\mu,\sigma^2) = -\frac12\log(2\pi\sigma^2) - \frac{(x-\mu)^2}{2\sigma^2}",
        r"\ln f(x;\mu,\sigma) = -\tfrac12\ln(2\pi) - \ln\sigma - \frac{(x-\mu)^2}{2\sigma^2}",
        r"I(\mu,\sigma) = \begin{bmatrix} 1/\sigma^2 & 0 \\ 0 & 2/\sigma^2\end{bmatrix}",
        r"I_{\mu\sigma} = -E\left[\frac{\partial^2}{\partial\mu\partial\sigma}\log f(x|\mu,\sigma)\right]",
        r"I_{\sigma\sigma} = \frac{2}{\sigma^2}",
    ])
    def test_proved(self, step):
        assert verdict_of(NORMAL, step) == "proved"

    @pytest.mark.parametrize("step", [
        r"\log f(x|\mu,\sigma^2) = -\frac12\log(2\pi\sigma^2) + \frac{(x-\mu)^2}{2\sigma^2}",
        r"I(\mu,\sigma) = \begin{pmatrix} \frac{1}{\sigma^2} & 0 \\ 0 & \frac{1}{\sigma^2}\end{pmatrix}",
        r"\frac{\partial}{\partial \sigma}\ln f(x) = -\frac{1}{\sigma} - \frac{(x-\mu)^2}{\sigma^3}",
    ])
    def test_refuted(self, step):
        assert verdict_of(NORMAL, step) == "refuted"

    @pytest.mark.parametrize("step", [
        # the author's parametrisation (μ, σ²) is not the model's (μ, σ): entries and derivatives by σ² unknown
        r"\mathcal{I}(\mu,\sigma^2) = \begin{bmatrix} 1/\sigma^2 & 0 \\ 0 & 1/(2\sigma^4)\end{bmatrix}",
        r"\mathcal{I}_{22} = \frac{1}{2\sigma^4}",
        r"l'_{\sigma^2} = - \frac{1}{2\sigma^2} + \frac{1}{2\sigma^4}(x-\mu)^2",
    ])
    def test_another_parametrisation_stays_unknown(self, step):
        assert verdict_of(NORMAL, step) == "unknown"


def reasons(text: str) -> list[str]:
    return [step.verdict.reason for step in check(text).steps]


# ================================================================================================ abstract
# Helper "abstract": the abstract setting and typed text (points 2 and 4 of issue 12).

class TestUnicodeTypedText:
    """Plain-text formulas: ∂, ℓ, −, ·, superscripts and subscripts are the LaTeX they stand for, in the one
    lexer that both the density parser and the proof reader use."""

    @pytest.mark.parametrize("typed, latex", [
        ("Iₙ(θ)", r"I_{n}(\theta)"),
        ("x²³", "x^{23}"),
        ("θᵢⱼ", r"\theta_{ij}"),
        ("∂ℓ/∂μ", r"\partial\ell/\partial\mu"),
        ("∇pᵀ", r"\nabla p^{T}"),
    ])
    def test_same_tokens_as_latex(self, typed, latex):
        strip = [(t.kind, t.text) for t in tokenize(typed) if t.kind != "space"]
        assert strip == [(t.kind, t.text) for t in tokenize(latex) if t.kind != "space"]

    def test_latex_text_for_regular_expressions(self):
        assert latex_text("θᵢ") == r"\theta _{i}"

    @pytest.mark.parametrize("body", [
        "$$I(θ) = E[(∂log f(X|θ)/∂θ)²]$$",                           # okg, slash derivative, superscript
        "$$I(θ) = −E[∂²log f(X|θ)/∂θ²]$$",                           # Unicode minus, second order
        "$$I(θ) = Var[∂log f(X|θ)/∂θ]$$",
        "$$E[∂log f(X|θ)/∂θ] = 0$$",
        "$$Iₙ(θ) = nI(θ)$$",
        r"$$I(\theta) = \mathbb{E}[(\partial \log f(X|\theta)/\partial\theta)^2]$$",   # the same in LaTeX
        "$$I(θ) = 𝔼[(∂ log p(x|θ)/∂θ)²]$$",
        "$$I(θ) = E[(∂/∂θ log f(X|θ))²]$$",                          # operator form with a slash
    ])
    def test_true_typed_steps_are_proved(self, body):
        assert verdicts(body) == ["proved"]

    @pytest.mark.parametrize("body", [
        "$$I(θ) = E[∂²log f(X|θ)/∂θ²]$$",                            # dropped sign
        "$$I(θ) = −E[∂log f(X|θ)/∂θ]$$",                             # first for second derivative
        "$$I(θ) = E[(∂log f(X|θ)/∂θ)]²$$",                           # square outside
    ])
    def test_seeded_typed_errors_are_refuted(self, body):
        assert verdicts(body) == ["refuted"]

    def test_the_density_parser_reads_the_same_characters(self):
        import sympy as sp  # noqa: PLC0415

        from symfisher.parse.expression import parse_expression  # noqa: PLC0415

        lam, x = sp.Symbol("lambda", positive=True), sp.Symbol("x", positive=True)
        typed = parse_expression("λ e^{−λx²}", {"lambda": lam, "x": x})
        assert sp.simplify(typed - lam * sp.exp(-lam * x ** 2)) == 0
        assert sp.simplify(typed - lam * sp.exp(-lam * x)) != 0


class TestConditioningOnTheParameters:
    """𝔼[g | θ], with | \\mid \\middle| \\bigg| and \\left…\\right, and 𝔼_{Y|θ}: the model at θ."""

    @pytest.mark.parametrize("body", [
        r"$$ I(\theta) = \mathbb{E}\bigg[ s(X;\theta)^2 \bigg| \theta \bigg] $$",
        r"$$ I(\theta) = -E\left[ \frac{\partial^2}{\partial \theta^2} \log f(X;\theta)| \theta\right] $$",
        r"$$ I(\theta) = -E\left[ \frac{\partial^2}{\partial \theta^2} \log f(X;\theta) \middle| \theta\right] $$",
        r"$$ I(\theta) = -E[ \frac{\partial^2}{\partial \theta^2} \log f(X;\theta) \mid \theta] $$",
        r"$$ I(\theta)=-\mathrm{E}_{\mathbf{Y} | \theta}\left[\frac{\partial^{2}}{\partial \theta^{2}} \log p(\boldsymbol{y} | \theta)\right] $$",
        r"$$ I(\theta)=-\mathbb{E}_{X \mid \theta}\left[\frac{\partial^{2}}{\partial \theta^{2}} \log p(x | \theta)\right] $$",
    ])
    def test_true(self, body):
        assert verdicts(body) == ["proved"]

    @pytest.mark.parametrize("body", [
        r"$$ I(\theta) = E\left[ \frac{\partial^2}{\partial \theta^2} \log f(X;\theta)| \theta\right] $$",
        r"$$ I(\theta)=-\mathrm{E}_{\mathbf{Y} | \theta}\left[\frac{\partial}{\partial \theta} \log p(\boldsymbol{y} | \theta)\right] $$",
    ])
    def test_seeded(self, body):
        assert verdicts(body) == ["refuted"]

    @pytest.mark.parametrize("body", [
        r"$$ \mathbb{E}[ \frac{\partial}{\partial\theta}\log f(X;\theta) | \theta = \theta_0] = 0 $$",
        r"$$ \mathbb{E}[ \frac{\partial}{\partial\theta}\log f(X;\theta) | Y] = 0 $$",
    ])
    def test_other_conditions_are_not_read(self, body):
        assert verdicts(body) == ["unknown"]

    def test_two_data_letters_are_not_merged(self):
        # y is the data only when the text writes no x: here both appear, so p(y|θ) is not read as p(x|θ)
        assert verdicts(r"$$ p(x|\theta) p(y|\theta) = p(x|\theta)^2 $$") == ["unknown"]

    def test_dropped_density_diverges(self):
        # ∫ s² dx without the density: the integral diverges, which is a counterexample, not a number
        out = reasons(r"$$ \mathbb{E}[ s(X;\theta)^2 | \theta ] = \int_{-\infty}^\infty s(x;\theta)^2 dx $$")
        assert "diverges" in out[0] or "inf" in out[0]
        assert verdicts(r"$$ \mathbb{E}[ s(X;\theta)^2 | \theta ] = \int_{-\infty}^\infty s(x;\theta)^2 dx $$") \
            == ["refuted"]

    def test_likelihood_with_a_semicolon_is_the_density(self):
        assert verdicts(r"$$ I(\theta) = \int_{-\infty}^\infty s(x;\theta)^2 L(x;\theta) dx $$") == ["proved"]
        assert verdicts(r"$$ I(\theta) = \int_{-\infty}^\infty s(x;\theta) L(x;\theta) dx $$") == ["refuted"]


class TestOneObservationLogLikelihood:
    """ℓ(θ) in a text that writes no sample is log p(x|θ) of the one observation (jaeyoung)."""

    @pytest.mark.parametrize("body", [
        r"$$I(\theta) = \mathrm{Var}[\ell'(\theta)] = -\mathrm{E}[\ell''(\theta)]$$",
        r"$$I(\theta) = \mathbb{E}[\ell'(\theta)^2]$$",
        r"$$I(\theta) = -E[l''(\theta)]$$",
    ])
    def test_true(self, body):
        assert set(verdicts(body)) == {"proved"}

    def test_seeded(self):
        assert verdicts(r"$$I(\theta) = \mathrm{Var}[\ell'(\theta)] = -\mathrm{E}[\ell'(\theta)]$$") == \
            ["proved", "refuted"]

    def test_with_a_sample_it_stays_unknown(self):
        # with xᵢ in the text ℓ(θ) may be the sample's log-likelihood (then Var ℓ' = n I): not read as one x
        body = r"$$\ell(\theta) = \sum_{i=1}^n \log p(x_i|\theta)$$ $$I(\theta) = \mathrm{Var}[\ell'(\theta)]$$"
        assert verdicts(body)[1] != "proved"

    def test_bare_ell_after_its_definition(self):
        head = ("---\nmodel:\n  density: \\frac{1}{\\sqrt{2\\pi\\sigma^2}} e^{-\\frac{(x-\\mu)^2}{2\\sigma^2}}\n"
                "  parameters: [\\mu: real]\n  constants: [\\sigma: positive]\n---\n")
        assert verdicts(head + "$$ℓ(μ; x) = \\log p(x|μ)$$\n$$∂ℓ/∂μ = (x−μ)/σ²$$") == ["proved", "proved"]
        assert verdicts(head + "$$ℓ(μ; x) = \\log p(x|μ)$$\n$$∂ℓ/∂μ = (x−μ)/σ$$")[1] == "refuted"
        # without the definition a bare ℓ is not read
        assert verdicts(head + "$$∂ℓ/∂μ = (x−μ)/σ²$$") == ["unknown"]


class TestGenericIndices:
    """θᵢ, θⱼ, I_{ij}, I(θ)_{ij}: checked entrywise at every assignment of the indices (yikun, myaiba)."""

    @pytest.mark.parametrize("body", [
        r"$$I(\theta)_{ij}=\mathrm{Cov}_\theta\left(\frac{\partial}{\partial\theta_i}\log f(X\mid\theta),"
        r"\frac{\partial}{\partial\theta_j}\log f(X\mid\theta)\right)$$",
        r"$$I(\theta)_{ij} = -\mathbb{E}_\theta \left[\frac{\partial^2}{\partial \theta_i \partial \theta_j} "
        r"\text{log} f(X|\theta) \right]$$",
        r"$$I_{ij}(\boldsymbol{\theta}) = \mathbb{E}\left[\left(\frac{\partial}{\partial\theta_i}\log p(x|\theta)"
        r"\right) \left(\frac{\partial}{\partial\theta_j}\log p(x|\theta)\right)\right]$$",
        r"$$\mathcal{I}_{ij} = -E[\partial^2 \log f(X|θ)/\partial θ_i \partial θ_j]$$",
    ])
    def test_true(self, body):
        assert verdicts(body) == ["proved"]

    @pytest.mark.parametrize("body", [
        r"$$I(\theta)_{ij} = \mathbb{E}_\theta \left[\frac{\partial^2}{\partial \theta_i \partial \theta_j} "
        r"\log f(X|\theta) \right]$$",
        r"$$I_{ij}(\boldsymbol{\theta}) = \mathbb{E}\left[\left(\frac{\partial}{\partial\theta_i}\log p(x|\theta)"
        r"\right) \left(\frac{\partial}{\partial\theta_i}\log p(x|\theta)\right)\right]$$",
    ])
    def test_seeded(self, body):
        out = check(body).steps[0].verdict
        assert out.verdict == "refuted" and out.reason.startswith("entry ")

    def test_scalar_steps_beside_entries_stay_scalar(self):
        body = (r"$$I(\theta)=-\mathrm{E}_\theta\left[\frac{\partial^2}{\partial\theta^2}\log f(X\mid\theta)\right]$$"
                r"$$I(\theta)_{ij} = -\mathbb{E}_\theta[\frac{\partial^2}{\partial \theta_i \partial \theta_j}"
                r"\log f(X|\theta)]$$")
        assert verdicts(body) == ["proved", "proved"]


class TestRandomVariableNamedY:
    """A capital letter inside 𝔼 is a random variable, never a constant (E[Y²] = E[Y]² is not proved);
    Y is the data when the step writes no x (rhea), and 𝔼[Y·𝔼[Y]] = 𝔼[Y]² by linearity (𝔼[Y] is a number)."""

    @pytest.mark.parametrize("body", [
        "$$E[Y^2] = (E[Y])^2$$",
        r"$$\mathbb{E}[Z^2] = \mathbb{E}[Z]^2$$",
        r"$$\mathrm{Var}(Y) = 0$$",
        r"$$E[T^2] = E[T]^2$$",
    ])
    def test_never_proved_as_constants(self, body):
        assert verdicts(body) != ["proved"]

    @pytest.mark.parametrize("body", [
        r"$$E[(Y-E(Y))^2] = E[Y^2-2YE[Y]+(E[Y])^2]$$",
        r"$$E[Y^2-2YE[Y]+(E[Y])^2] = E[Y^2]-2(E[Y])^2+(E[Y])^2$$",
        r"$$\mathrm{Var}(Y) = E[Y^2] - (E[Y])^2$$",
        r"$$\mathbb{E}[X \mathbb{E}[X]] = \mathbb{E}[X]^2$$",
    ])
    def test_identities_of_every_distribution(self, body):
        assert verdicts(body) == ["proved"]


class TestArgumentOrders:
    """s(θ; X), L(θ, X), L(x; θ): the data and the parameters in either order, with ; or ,."""

    @pytest.mark.parametrize("body", [
        r"$$I(\theta) = \mathrm{var}(s(\theta;X))$$",
        r"$$I(θ) = E[(s(θ;X))^2]$$",
        r"$$E[\nabla [\ln L(\theta,X)]] = \int \nabla [\ln L(\theta,X)]\, f(X;\theta)dx$$",
        r"$$s(X;\theta) = \frac{\partial}{\partial \theta} \mathrm{log} L(X;\theta)$$",
    ])
    def test_true(self, body):
        assert verdicts(body) == ["proved"]

    def test_seeded(self):
        assert verdicts(r"$$I(\theta) = E[s(\theta;X)]$$") == ["refuted"]


class TestDocumentMacros:
    """Macros the document defines are expanded (with arguments, depth and size limits); undefined preamble
    macros are not guessed (breheny)."""

    PREAMBLE = (r"\newcommand{\bt}{\boldsymbol{\theta}}" "\n" r"\newcommand{\Tr}{^\top}" "\n"
                r"\newcommand{\Ex}{\mathbb{E}}" "\n" r"\newcommand{\pd}[2]{\frac{\partial #1}{\partial #2}}" "\n"
                r"\def\lik#1{p(#1|\bt)}" "\n")

    def test_expand_with_arguments_and_limits(self):
        from symfisher.check.macros import expand  # noqa: PLC0415

        assert expand(self.PREAMBLE + r"\pd{f}{x} \lik{x}").endswith(
            r"\frac{\partial f}{\partial x} p(x|\boldsymbol{\theta})")
        assert expand(r"\newcommand{\a}{\a\a} $\a$") == r"\newcommand{\a}{\a\a} $\a$"      # recursion: left
        assert expand(r"\newcommand{\g}[2][1]{#1+#2} \g{x} \g[3]{y}").endswith("1+x 3+y")
        assert expand(r"\newcommand{\u}{\mathbf{u}} \usepackage \u") .endswith(r"\usepackage \mathbf{u}")

    def test_hostile_definitions_stop_at_the_limits(self):
        import time  # noqa: PLC0415

        from symfisher.check.macros import expand  # noqa: PLC0415

        letters = "abcdefghij"
        bomb = r"\newcommand{\ma}{xxxxxxxxxx}" + "".join(
            r"\newcommand{\m%s}{%s}" % (letters[k + 1], (r"\m%s" % letters[k]) * 10) for k in range(9))
        start = time.monotonic()
        assert expand(bomb + r"$$\mj = 1$$").endswith(r"$$\mj = 1$$")          # 10¹⁰ characters: not expanded
        assert expand(r"\newcommand{\q}[1]{\q{#1}}\q{a}").endswith(r"\q{a}")   # endless: not expanded
        nested = r"\def\x#1{#1#1}" + r"\x{" * 2000 + "a" + "}" * 2000
        assert len(expand(nested)) < 4 * len(nested) + 20_001
        assert time.monotonic() - start < 5
        assert verdicts(bomb + r"$$\mj = 1$$") == ["unknown"]

    def test_expanded_steps(self):
        body = self.PREAMBLE + (
            r"\[ -\int \nabla_{\bt} \frac{\nabla_{\bt} \lik{x}}{\lik{x}} dP(x|\bt) = -\int \frac{\nabla^2_{\bt} "
            r"\lik{x} \lik{x} - \nabla_{\bt} \lik{x} \nabla_{\bt} \lik{x} \Tr}{\lik{x}^2} dP(x|\bt) \]")
        assert verdicts(body) == ["proved"]
        seeded = body.replace(r"\nabla_{\bt} \lik{x} \nabla_{\bt} \lik{x} \Tr", r"\nabla_{\bt} \lik{x} \Tr "
                                                                                r"\nabla_{\bt} \lik{x}")
        assert verdicts(seeded) == ["refuted"]

    def test_report_keeps_the_authors_text(self):
        report = check(self.PREAMBLE + r"\[ \Ex[\pd{}{\theta} \log p(x|\theta)] = 0 \]")
        assert report.steps[0].link.lhs.startswith(r"\Ex")
        assert report.steps[0].verdict.verdict == "proved"

    def test_undefined_preamble_macros_are_not_guessed(self):
        assert verdicts(r"\[ \fI(\bt) = \Var \u(\bt|X) \]") == ["unknown"]


class TestMeasuresAndHessians:
    """∫ g dP(x|θ) and ∫ dP against the model's distribution; ∇²_θ the Hessian."""

    @pytest.mark.parametrize("body", [
        r"$$\int dP = 1$$",
        r"$$\int \frac{\partial}{\partial\theta} \log p(x|\theta)\, dP(x|\theta) = 0$$",
        r"$$\mathbb{E}[\nabla^2_{\theta} \log p(x|\theta)] = \int \nabla^2_{\theta} \log p(x|\theta) dP(x|\theta)$$",
    ])
    def test_true(self, body):
        assert verdicts(body) == ["proved"]

    @pytest.mark.parametrize("body", [
        r"$$\int dP = 0$$",
        r"$$\int (\frac{\partial}{\partial\theta} \log p(x|\theta))^2 dP(x|\theta) = 0$$",
    ])
    def test_seeded(self, body):
        assert verdicts(body) == ["refuted"]


class TestMisprintsAndBareOperators:
    """∂²/∂²λ and δ/δθ read as the derivative (and said so in the reason); 𝔼 g without brackets on one
    factor; 𝔼_{X∼p_θ}."""

    @pytest.mark.parametrize("body", [
        r"$$\frac{\partial^2}{\partial^2 \theta} \log p(x|\theta) = \frac{\partial^2}{\partial\theta^2} \log p(x|\theta)$$",
        r"$$I(\theta) = -E[\frac{\delta^2}{\delta^2 \theta} \log f(X|\theta)]$$",
        r"$$E[\frac{\delta}{\delta\theta} \log f(X|\theta)] = 0$$",
    ])
    def test_misprints_read_and_said(self, body):
        step = check(body).steps[0].verdict
        assert step.verdict == "proved" and "(read " in step.reason

    def test_misprint_seeded(self):
        assert verdicts(r"$$I(\theta) = E[\frac{\delta^2}{\delta^2 \theta} \log f(X|\theta)]$$") == ["refuted"]

    @pytest.mark.parametrize("body, expected", [
        (r"$$I(\theta) = -\mathbb{E} l''(\theta)$$", "proved"),
        (r"$$I(\theta) = \mathbb{E} l''(\theta)$$", "refuted"),
        (r"$$E\frac{\partial}{\partial\theta}\log f(X|\theta) = 0$$", "proved"),
        (r"$$E\frac{\partial}{\partial\theta}\log f(X|\theta) = 1$$", "refuted"),
        (r"$$\mathbb{E} X X = \mathbb{E}[X^2]$$", "unknown"),        # reach before a product: not certain
        (r"$$I(\theta) = \mathbb{E}_{X\sim p_\theta}[(\frac{\partial}{\partial\theta}\log p(X|\theta))^2]$$", "proved"),
        (r"$$I(\theta) = \mathbb{E}_{X\sim q_\theta}[(\frac{\partial}{\partial\theta}\log p(X|\theta))^2]$$", "unknown"),
    ])
    def test_bare_and_subscripted_expectations(self, body, expected):
        assert verdicts(body) == [expected]


class TestDefinitionSteps:
    """A step whose left side is a new name applied to arguments defines it (z(X,θ) = ∂/∂θ log f(X|θ)):
    reported as a definition, and later steps read the name as its right side (myaiba's z)."""

    DEFINE = r"$$z(X,\theta) = \frac{\partial}{\partial\theta}\log f(X|\theta)$$" "\n"

    def test_definition_and_uses(self):
        body = self.DEFINE + (r"$$I(\theta) = \text{Var}_\theta[z(X,\theta)] = "
                              r"-\mathbb{E}_\theta[\frac{\partial}{\partial\theta} z(X,\theta)]$$")
        report = check(body)
        assert [s.verdict.verdict for s in report.steps] == ["proved", "proved", "proved"]
        assert report.steps[0].verdict.rules == ("definition-new-name",)

    def test_seeded_use(self):
        body = self.DEFINE + r"$$I(\theta) = \mathbb{E}_\theta[\frac{\partial}{\partial\theta} z(X,\theta)]$$"
        assert verdicts(body) == ["proved", "refuted"]

    @pytest.mark.parametrize("body", [
        "Let $g$ be the standard normal density.\n$$g(x) = e^{-x^2}$$",          # named in prose before
        r"$$g(x) = x^2 + g(x)$$",                                                # uses itself
        r"$$T(X) = \log X$$" "\n" r"$$T(2X) = 2T(X)$$",                         # used at other arguments
        r"$$M(t) = e^{\lambda(e^t - 1)}$$",                                       # a closed form: a result
        r"$$P(X = 0) = e^{-2\lambda}$$",                                          # a probability
    ])
    def test_not_definitions(self, body):
        assert verdicts(body)[-1] == "unknown"


class TestInformationBesideN:
    """I(θ) beside n may be the information of the n observations: refuted only when false either way
    (eriktuck: I(λ) = −nE[∂²/∂²θ ln f(y|λ)], once the misprint ∂²/∂²θ is read)."""

    POISSON = ("---\nmodel:\n  density: \\frac{\\lambda^x e^{-\\lambda}}{x!}\n  support: \\{0, 1, 2, \\dots\\}\n"
               "  parameters: [\\lambda: positive]\n---\n")

    def test_true_for_the_sample_is_unknown(self):
        step = check(self.POISSON + r"$$I(\lambda) = -nE \Big[ \frac{\partial^2}{\partial^2 \lambda} "
                                    r"\ln f(x|\lambda) \Big]$$").steps[0].verdict
        assert step.verdict == "unknown" and ("n observations" in step.reason or "sample" in step.reason)

    @pytest.mark.parametrize("body", [
        r"$$I(\lambda) = \frac{n}{\lambda^2}$$",                  # false for one observation and for n
        r"$$I(\theta) = n I(\theta)$$",
    ])
    def test_false_either_way_is_refuted(self, body):
        assert verdicts(self.POISSON + body.replace(r"\theta", r"\lambda")) == ["refuted"]

    def test_written_apart_is_judged(self):
        assert verdicts(r"$$I_n(\theta) = I(\theta)$$") == ["refuted"]

# ============================================================================ samples and likelihoods (sample)
# Likelihoods and log-likelihoods of a sample or of one observation, sums and products over the sample,
# the sample rules, the stand-in sample of the numeric refuter, estimating equations, estimator definitions.

SAMPLE_EXPONENTIAL = """---
model:
  density: \\lambda e^{-\\lambda x}
  parameters: [\\lambda: positive]
  support: (0, \\infty)
---
"""

SAMPLE_POISSON = """---
model:
  density: \\exp(-\\mu) \\mu^x/x!
  parameters: [\\mu: positive]
  support: \\{0, 1, 2, \\dots\\}
---
"""


def _one(header: str, step: str):
    """The verdict of the single step written in one display."""
    report = check(f"{header}\n$$ {step} $$\n")
    assert len(report.steps) == 1, [s.link for s in report.steps]
    return report.steps[0].verdict


def _proved(header: str, step: str, *rules: str) -> None:
    v = _one(header, step)
    assert v.verdict == "proved", (step, v.reason)
    for rule in rules:
        assert rule in v.rules, (step, v.rules)


def _refuted(header: str, step: str) -> None:
    v = _one(header, step)
    assert v.verdict == "refuted", (step, v.reason)


def _not_refuted(header: str, step: str) -> str:
    v = _one(header, step)
    assert v.verdict == "unknown", (step, v.verdict, v.reason)
    return v.reason


class TestSampleLogLikelihood:
    """ℓ(θ), l(θ), L(θ), ln L(θ) of a sample: Σ log p(xᵢ|θ), ∏ p(xᵢ|θ), when the step shows the sample."""

    @pytest.mark.parametrize("step", [
        r"\ell(\lambda) = n\log\lambda - \lambda\sum x_i",                      # Σ without its index
        r"l(\lambda) = n\ln\lambda - \lambda\sum_{i=1}^n x_i",
        r"\ell(\lambda) = n\log\lambda - \lambda\sum^n_{i=1} x_i",              # limits in the other order
        r"\ell(\lambda) = n\log(\lambda) - \lambda \sum_{i = 1}^{n} x_{i}",
        r"\ell(\lambda) = n\log\lambda - n\lambda\bar x",                         # the sample mean
        r"\ell(\lambda) = \sum_{i=1}^n \log f(x_i|\lambda)",
    ])
    def test_log_likelihood_of_a_sample_is_proved(self, step):
        _proved(SAMPLE_EXPONENTIAL, step)

    @pytest.mark.parametrize("step", [
        r"\ell'(\lambda) = n/\lambda - \sum x_i",
        r"l^{\prime}(\lambda) = \frac{n}{\lambda} - \sum_{i=1}^n x_i",
        r"\ell''(\lambda) = -\frac{n}{\lambda^2}",
        r"l^{\prime\prime}(\lambda) = -n/\lambda^2",
        r'l^"(\lambda) = -\frac{n}{\lambda^2}',
        r"\frac{\partial^2 \ell(\lambda)}{\partial\lambda^2} = -\frac{n}{\lambda^2}",
    ])
    def test_its_derivatives_are_proved(self, step):
        _proved(SAMPLE_EXPONENTIAL, step, "differentiation")

    @pytest.mark.parametrize("step", [
        r"L(\lambda) = \prod_{i=1}^n \lambda e^{-\lambda x_i}",
        r"L(\lambda) = \prod_{i = 1}^{n} f(x_i|\lambda)",
        r"\prod_{i=1}^n \lambda e^{-\lambda x_i} = \lambda^n e^{-\lambda \sum_{i=1}^n x_i}",
        r"L(\lambda) = \lambda^n \exp\left(-\lambda\sum_{i=1}^n x_i\right)",
        r"\prod^n_{i=1} f(x_i|\lambda) = \lambda^n e^{-n\lambda\bar{x}}",
    ])
    def test_likelihood_of_a_sample_is_proved(self, step):
        _proved(SAMPLE_EXPONENTIAL, step)

    @pytest.mark.parametrize("step", [
        r"\ln L(\lambda) = n\ln\lambda - \lambda\sum_{i=1}^n x_i",
        r"\log \prod_{i=1}^n f(x_i|\lambda) = \sum_{i=1}^n \log f(x_i|\lambda)",
        r"\log L(\lambda) = \ell(\lambda) + 0\cdot\sum x_i",
    ])
    def test_log_of_the_product_is_the_sum_of_logs(self, step):
        _proved(SAMPLE_EXPONENTIAL, step)

    @pytest.mark.parametrize("step", [
        r"\ell(\lambda) = n\log\lambda + \lambda\sum x_i",                      # a dropped sign
        r"\ell'(\lambda) = 1/\lambda - \sum x_i",                               # a missing n
        r"\ell''(\lambda) = -\frac{2n}{\lambda^2}",                             # a factor 2
        r"L(\lambda) = \sum_{i=1}^n f(x_i|\lambda)",                            # a sum for a product
        r"\ln L(\lambda) = n\ln\lambda - \lambda\prod_{i=1}^n x_i",
    ])
    def test_seeded_errors_on_the_sample_are_refuted(self, step):
        _refuted(SAMPLE_EXPONENTIAL, step)

    @pytest.mark.parametrize("step", [
        r"l(x|\mu) = -\mu + x\ln\mu - \ln x!",                                  # one observation, data first
        r"l^{\prime}(x|\mu) = -1 + \frac{x}{\mu}",
        r"l^{\prime\prime}(x|\mu) = -\frac{x}{\mu^2}",
        r"\ell(\mu) = -\mu + x\log\mu - \log x!",                               # x alone: one observation
        r"-E[l^{\prime\prime}(x|\mu)] = \frac{1}{\mu}",
    ])
    def test_one_observation(self, step):
        _proved(SAMPLE_POISSON, step)

    def test_one_observation_seeded_error_is_refuted(self):
        _refuted(SAMPLE_POISSON, r"l^{\prime\prime}(x|\mu) = - \frac{x}{\mu^3}")

    @pytest.mark.parametrize("step", [
        r"\ell(\lambda) = \log\lambda - \lambda x + \lambda\sum x_i",           # x and xᵢ: which data?
        r"\ell(\lambda | x_i) = \log\lambda - \lambda",                          # one draw or the sample?
        r"\ell(\lambda) = \log\lambda - \lambda x_i",                          # xᵢ alone shows no sample
    ])
    def test_a_step_that_does_not_show_its_data_is_never_refuted(self, step):
        assert _one(SAMPLE_EXPONENTIAL, step).verdict != "refuted"


class TestSampleRules:
    """E[Σ g(xᵢ)] = n E[g(x)], E[g(xᵢ)] = E[g(x)], Iₙ(θ) = n I(θ) in its spellings."""

    @pytest.mark.parametrize("step", [
        r"\mathbb{E}\left[\sum_{i=1}^n x_i\right] = \frac{n}{\lambda}",
        r"E[\sum x_i] = n E[x]",
        r"\mathbb{E}[n\bar x] = n/\lambda",
        r"-\mathbb{E}[\ell''(\lambda)] = n I(\lambda)",
    ])
    def test_expectation_of_a_sample_sum(self, step):
        _proved(SAMPLE_EXPONENTIAL, step, "expectation-of-sample-sum")

    def test_expectation_of_one_draw(self):
        _proved(SAMPLE_EXPONENTIAL, r"\mathbb{E}[x_i] = \frac{1}{\lambda}", "identically-distributed")

    @pytest.mark.parametrize("step", [
        r"I_{X_1,...,X_n}(\lambda) = \frac{n}{\lambda^2}",
        r"I_{X_1,\ldots,X_n}(\lambda) = \frac{n}{\lambda^2}",
        r"I_n(\lambda) = \frac{n}{\lambda^2}",
        r"nI(\lambda) = \frac{n}{\lambda^2}",
    ])
    def test_information_of_a_sample(self, step):
        _proved(SAMPLE_EXPONENTIAL, step)

    def test_information_of_a_sample_missing_n_is_refuted(self):
        _refuted(SAMPLE_EXPONENTIAL, r"I_{X_1,...,X_n}(\lambda) = \frac{1}{\lambda^2}")

    def test_expectation_of_a_sample_sum_is_not_taken_for_a_constant(self):
        # E[Σ xᵢ] must not be Σ xᵢ (the sample values are random): a wrong n is refuted, no false ✓
        _refuted(SAMPLE_EXPONENTIAL, r"\mathbb{E}\left[\sum_{i=1}^n x_i\right] = \frac{1}{\lambda}")
        assert _one(SAMPLE_EXPONENTIAL, r"\mathbb{E}\left[\sum_{i=1}^n x_i\right] = \sum_{i=1}^n x_i").verdict != "proved"

    def test_sum_limits_other_than_the_sample_are_not_read(self):
        reason = _not_refuted(SAMPLE_EXPONENTIAL, r"\sum_{i=1}^{m} x_i = m\bar x")
        assert "not read" in reason


class TestEstimatingEquationsAndEstimators:
    """ℓ'(θ) = 0 is an equation the estimate solves, θ̂ = … is the author's definition: neither is refuted."""

    @pytest.mark.parametrize("chain", [
        r"\ell'(\lambda) = n/\lambda - \sum x_i = 0",
        r"\frac{\partial \ell(\lambda)}{\partial \lambda} = \frac{n}{\lambda} - \sum_{i=1}^n x_i = 0",
        r"l'(\lambda) = \frac{n}{\lambda} - n\bar x = 0",
    ])
    def test_estimating_equation_is_not_refuted(self, chain):
        report = check(f"{SAMPLE_EXPONENTIAL}\n$$ {chain} $$\n")
        assert [s.verdict.verdict for s in report.steps] == ["proved", "unknown"]
        assert "estimating equation" in report.steps[1].verdict.reason

    @pytest.mark.parametrize("step", [r"\hat\lambda = n/\sum x_i", r"\hat{\lambda} = \frac{1}{\bar x}",
                                      r"\widehat{\lambda} = \frac{n}{\sum_{i=1}^n x_i}"])
    def test_estimator_definition(self, step):
        assert "definition" in _not_refuted(SAMPLE_EXPONENTIAL, step)

    def test_equation_between_sample_values_is_not_refuted(self):
        # x̄ = 2 may hold for the author's sample: the stand-in sample refutes only likelihood identities
        _not_refuted(SAMPLE_EXPONENTIAL, r"\bar x = 2")
        _not_refuted(SAMPLE_EXPONENTIAL, r"\frac{n}{\lambda} = \sum_{i=1}^n x_i")


class TestSampleAbstractSetting:
    """Without a model: p unknown, a stand-in normal density and a stand-in sample."""

    def test_log_likelihood_of_a_sample(self):
        text = r"$$ \ell(\theta) = \sum_{i=1}^n \log p(x_i|\theta) $$" "\n"
        assert check(text).steps[0].verdict.verdict == "proved"

    def test_information_of_n_draws(self):
        text = (r"$$ -\mathbb{E}\left[\frac{\partial^2}{\partial\theta^2} \sum_{i=1}^n \log p(x_i|\theta)\right]"
                r" = n I(\theta) $$" "\n")
        v = check(text).steps[0].verdict
        assert v.verdict == "proved", v.reason
        assert "sum-term-by-term" in v.rules and "expectation-of-sample-sum" in v.rules


class TestSampleInformationAndDerivativeSpellings:
    """A bare I(θ) next to n is ambiguous (one draw's or the sample's); δ/δθ and ∂²/∂²θ are ∂²/∂θ²."""

    @pytest.mark.parametrize("step", [
        r"I(\lambda) = \frac{n}{\lambda^2}",                                    # the sample's, as many write
        r"I(\lambda) = -n\mathbb{E}\left[\frac{\partial^2}{\partial\lambda^2} \log f(x|\lambda)\right]",
        r"I(\lambda) = \sum_{i=1}^n \frac{1}{\lambda^2}",
    ])
    def test_bare_information_beside_a_sample_is_not_refuted(self, step):
        assert "sample" in _not_refuted(SAMPLE_EXPONENTIAL, step)

    @pytest.mark.parametrize("step", [r"n I(\lambda) = \frac{n}{\lambda^2}", r"n\cdot I(\lambda) = n/\lambda^2",
                                      r"I_n(\lambda) = \frac{n}{\lambda^2}"])
    def test_information_with_its_n_is_proved(self, step):
        _proved(SAMPLE_EXPONENTIAL, step)

    @pytest.mark.parametrize("step", [
        r"\frac{\partial^2}{\partial^2 \mu} \ln f(x|\mu) = -\frac{x}{\mu^2}",
        r"\frac{\delta^2}{\delta^2 \mu} \ln f(x|\mu) = -\frac{x}{\mu^2}",
        r"\frac{\delta}{\delta \mu} \ln f(x|\mu) = -1 + \frac{x}{\mu}",
        r"\frac{\delta^2}{\delta \mu^2} \ln f(x|\mu) = -\frac{x}{\mu^2}",
    ])
    def test_derivative_spellings(self, step):
        _proved(SAMPLE_POISSON, step, "differentiation")

    def test_derivative_spelling_seeded_error_is_refuted(self):
        _refuted(SAMPLE_POISSON, r"\frac{\delta^2}{\delta^2 \mu} \ln f(x|\mu) = -\frac{x}{\mu^3}")


class TestMaximumLikelihoodEstimate:
    """θ̂ = V after ℓ'(θ) = 0: proved when V solves the likelihood equation and ℓ'' < 0; else a definition."""

    @pytest.mark.parametrize("estimate", [r"\hat\lambda = n/\sum x_i", r"\hat{\lambda} = \frac{1}{\bar x}",
                                          r"\widehat{\lambda} = \frac{n}{\sum_{i=1}^n x_i}"])
    def test_the_root_of_the_likelihood_equation_is_proved(self, estimate):
        report = check(f"{SAMPLE_EXPONENTIAL}\n$$ \\ell'(\\lambda) = n/\\lambda - \\sum x_i = 0 $$\n\n$$ {estimate} $$\n")
        v = report.steps[-1].verdict
        assert v.verdict == "proved" and v.rules == ("maximum-likelihood",), v.reason

    @pytest.mark.parametrize("estimate", [r"\hat\lambda = 2n/\sum x_i", r"\hat\lambda = \bar x",
                                          r"\hat\lambda = -\frac{1}{\bar x}"])
    def test_another_value_is_a_definition_never_refuted(self, estimate):
        report = check(f"{SAMPLE_EXPONENTIAL}\n$$ \\ell'(\\lambda) = n/\\lambda - \\sum x_i = 0 $$\n\n$$ {estimate} $$\n")
        v = report.steps[-1].verdict
        assert v.verdict == "unknown" and "definition" in v.reason, v.reason

    def test_without_the_likelihood_equation_it_is_a_definition(self):
        assert "definition" in _not_refuted(SAMPLE_EXPONENTIAL, r"\hat\lambda = n/\sum x_i")

    def test_concavity_not_decided_is_not_proved(self):
        # Poisson: ℓ'' = −Σxᵢ/μ² is 0 when every xᵢ = 0 (no maximum inside μ > 0): not proved
        report = check(f"{SAMPLE_POISSON}\n$$ l'(\\mu) = -n + \\frac{{1}}{{\\mu}}\\sum_{{i=1}}^n x_i = 0 $$\n\n"
                       f"$$ \\hat\\mu = \\bar x $$\n")
        assert report.steps[-1].verdict.verdict == "unknown", report.steps[-1].verdict.reason


class TestSlashDerivative:
    """∂/∂θ and ∂²/∂θ² written with a slash, as inline math often is."""

    @pytest.mark.parametrize("step", [
        r"\partial^2/\partial\lambda^2\,(\log\lambda - \lambda x) = -1/\lambda^2",
        r"\partial/\partial\lambda\,(\log\lambda - \lambda x) = 1/\lambda - x",
        r"\partial^2/\partial\lambda^2 \log f(x|\lambda) = -\frac{1}{\lambda^2}",
        r"\partial^{2}/\partial{\lambda}^{2} (\log\lambda - \lambda x) = -1/\lambda^2",
    ])
    def test_slash_derivative_is_proved(self, step):
        _proved(SAMPLE_EXPONENTIAL, step, "differentiation")

    def test_slash_derivative_seeded_sign_is_refuted(self):
        _refuted(SAMPLE_EXPONENTIAL, r"\partial^2/\partial\lambda^2\,(\log\lambda - \lambda x) = 1/\lambda^2")


class TestSubscriptedDensityWithParameters:
    """f_X(x; θ), f_X(x | θ): the density with its parameters written after the point."""

    @pytest.mark.parametrize("step", [r"f_X(x; \lambda) = \lambda e^{-\lambda x}",
                                      r"f_X(x | \lambda) = \lambda e^{-\lambda x}",
                                      r"\log f_X(x; \lambda) = \log\lambda - \lambda x"])
    def test_read_as_the_density(self, step):
        _proved(SAMPLE_EXPONENTIAL, step)

    def test_seeded_error_is_refuted(self):
        _refuted(SAMPLE_EXPONENTIAL, r"f_X(x; \lambda) = \lambda e^{\lambda x}")


class TestJointDensityOfIndependentDraws:
    """f(\\vec{x}; θ), p(\\mathbf{x}|θ), p(x_1, …, x_n|θ): ∏ᵢ p(xᵢ|θ), only when the text states independence."""

    IID = "Let $x_1, \\dots, x_n$ be iid draws.\n\n"

    @pytest.mark.parametrize("point", [r"\vec{x}", r"\mathbf{x}", r"\boldsymbol{x}", r"x_1,\dots,x_n",
                                       r"x_1, \ldots, x_n"])
    def test_information_of_the_sample_both_forms(self, point):
        for rhs in (rf"E\left[\left(\frac{{\partial}}{{\partial\theta}} \ln f({point};\theta)\right)^2\right]",
                    rf"-E\left[\frac{{\partial^2}}{{\partial\theta^2}} \ln f({point};\theta)\right]"):
            v = check(f"{self.IID}$$ I_n(\\theta) = {rhs} $$\n").steps[0].verdict
            assert v.verdict == "proved", (point, rhs, v.reason)

    def test_square_of_the_sum_needs_the_stated_independence(self):
        step = r"$$ I_n(\theta) = E\left[\left(\frac{\partial}{\partial\theta} \ln f(\vec{x};\theta)\right)^2\right] $$"
        v = check(step + "\n").steps[0].verdict
        assert v.verdict == "unknown" and "independent" in v.reason, v.reason
        assert check("The draws are independent.\n\n" + step + "\n").steps[0].verdict.verdict == "proved"

    def test_missing_n_is_refuted(self):
        step = r"$$ I_n(\theta) = -E\left[\frac{\partial^2}{\partial\theta^2} \ln f(x_i;\theta)\right] $$"
        assert check(self.IID + step + "\n").steps[0].verdict.verdict == "refuted"

    def test_concrete_joint_likelihood(self):
        text = (SAMPLE_EXPONENTIAL + "\nA random sample.\n\n"
                "$$ \\log f(\\vec{x}|\\lambda) = n\\log\\lambda - \\lambda\\sum x_i $$\n")
        assert check(text).steps[0].verdict.verdict == "proved"


class TestDataReadingAcrossTheFile:
    """A bare ℓ(θ) beside a lone x reads one observation, unless the file writes ℓ of a sample elsewhere."""

    def test_lone_x_in_a_file_on_a_sample_is_not_read(self):
        text = (SAMPLE_EXPONENTIAL + "\n$$ \\ell(\\lambda) = n\\log\\lambda - \\lambda\\sum x_i $$\n\n"
                "$$ \\ell(\\lambda) = \\log\\lambda - \\lambda x $$\n")
        verdicts = [s.verdict.verdict for s in check(text).steps]
        assert verdicts == ["proved", "unknown"]

    def test_lone_x_alone_is_one_observation(self):
        text = SAMPLE_EXPONENTIAL + "\n$$ \\ell(\\lambda) = \\log\\lambda - \\lambda x $$\n"
        assert check(text).steps[0].verdict.verdict == "proved"

    def test_capital_sample_values(self):
        _proved(SAMPLE_EXPONENTIAL, r"\mathbb{E}\left[\sum_{i=1}^n X_i\right] = \frac{n}{\lambda}")


NORMAL_SIGMA = """---
model:
  density: \\frac{1}{\\sqrt{2\\pi}\\sigma} e^{-\\frac{(x-\\mu)^2}{2\\sigma^2}}
  parameters: [\\sigma: positive]
  constants: [\\mu: real]
---
"""


class TestDerivativeBySquaredParameter:
    """∂f/∂σ², d f/dσ² with σ the parameter: the derivative by σ² (chain rule through σ = √σ², σ > 0)."""

    @pytest.mark.parametrize("step", [
        r"\frac{\partial}{\partial\sigma^2} \log f(x|\sigma) = -\frac{1}{2\sigma^2} + \frac{(x-\mu)^2}{2\sigma^4}",
        r"\frac{d}{d\sigma^2} \log f(x|\sigma) = -\frac{1}{2\sigma^2} + \frac{(x-\mu)^2}{2\sigma^4}",
        r"\frac{\partial \log f(x|\sigma)}{\partial\sigma^2} = \frac{(x-\mu)^2 - \sigma^2}{2\sigma^4}",
    ])
    def test_derivative_by_the_variance(self, step):
        _proved(NORMAL_SIGMA, step, "differentiation")

    def test_second_derivative_by_sigma_is_unchanged(self):
        _proved(NORMAL_SIGMA, r"\frac{\partial^2}{\partial\sigma^2} \log f(x|\sigma) = \frac{1}{\sigma^2} - "
                              r"\frac{3(x-\mu)^2}{\sigma^4}")

    def test_seeded_error_is_not_refuted_for_another_reading(self):
        # a missing factor 2: (x − μ)²/σ⁴ for (x − μ)²/(2σ⁴); but ∂f/∂σ² may be a sloppy ∂²f/∂σ²: unknown
        _not_refuted(NORMAL_SIGMA, r"\frac{\partial}{\partial\sigma^2} \log f(x|\sigma) = -\frac{1}{2\sigma^2} + "
                               r"\frac{(x-\mu)^2}{\sigma^4}")


NORMAL_MEAN = """---
model:
  density: \\frac{1}{\\sqrt{2\\pi}} e^{-\\frac{(x-\\mu)^2}{2}}
  parameters: [\\mu: real]
---
"""


class TestSampleProductPowers:
    """∏ᵢ f(xᵢ)^a = (∏ᵢ f(xᵢ))^a only for f ≥ 0 or an integer a: no false ✓ with sample values of any sign."""

    def test_root_of_a_product_of_reals_is_not_proved(self):
        v = _one(NORMAL_MEAN, r"\prod_{i=1}^n \sqrt{x_i} = \sqrt{\prod_{i=1}^n x_i}")
        assert v.verdict != "proved", v.reason

    def test_integer_power_is_proved(self):
        _proved(NORMAL_MEAN, r"\prod_{i=1}^n x_i^2 = \left(\prod_{i=1}^n x_i\right)^2", "sample-product")


# =========================================================================== names: names the text gives
# (issue 12): a name is read as what the prose says it is (the log-likelihood LL, the score u, L the
# likelihood, the joint density f(X; θ)); the sample's or one observation's as each step shows; unknown
# when the text does not say, or says two things.

EXP_SAMPLE = ("---\nmodel:\n  density: \\lambda e^{-\\lambda x}\n  parameters: [\\lambda: positive]\n"
              "  constants: [n: positive_integer]\n  support: (0, \\infty)\n---\n")
POISSON_Y = ("---\nmodel:\n  density: \\frac{\\lambda^{y} e^{-\\lambda}}{y!}\n  variable: y\n"
             "  parameters: [\\lambda: positive]\n  constants: [n: positive_integer]\n"
             "  support: \\{0, 1, 2, \\dots\\}\n---\n")
RAYLEIGH = ("---\nmodel:\n  density: \\frac{x}{\\theta^2} e^{-\\frac{x^2}{2\\theta^2}}\n"
            "  parameters: [\\theta: positive]\n  constants: [n: positive_integer]\n  support: (0, \\infty)\n---\n")


def _names(model: str, prose: str, *rows: str) -> list:
    """The verdicts (with their reasons) of the rows, each a display of its own after the prose."""
    return [s.verdict for s in check(model + display(*rows, prose=prose)).steps]


class TestTextNames:
    """Names the prose defines: "the log-likelihood function LL(θ)", "where L is the loglikelihood",
    a heading "Log-likelihood function:" before δL/δλ, "the score u", "the joint density f(X; θ)"."""

    @pytest.mark.parametrize("prose", [
        "we need the log-likelihood function LL(θ) of an Exponential(λ) distribution",   # Marcus Chiu
        "the log likelihood $LL(\\lambda)$ of the sample is",
        "The loglikelihood, LL, is",
    ])
    def test_log_likelihood_named_in_words(self, prose):
        v = _names(EXP_SAMPLE, prose, r"LL(\lambda) = n \ln(\lambda) - \lambda \sum_{i=1}^{n} x_i",
                   r"LL'(\lambda) = n/\lambda - \Sigma_{1 \le i \le n} x_i", r"LL''(\lambda) = -n/\lambda^2")
        assert [x.verdict for x in v] == ["proved"] * 3, [x.reason for x in v]
        assert "definition-stated" in v[1].rules
        seeded = _names(EXP_SAMPLE, prose, r"LL'(\lambda) = n/\lambda + \Sigma_{1 \le i \le n} x_i")
        assert seeded[0].verdict == "refuted" and "counterexample" in seeded[0].reason

    @pytest.mark.parametrize("prose, name", [
        ("where L is the loglikelihood function of the sample", "L"),                      # ISOpureR docs
        ("Log-likelhood function :", "L"),                                                 # techqa (Weibull)
        ("The log-likelihood is denoted $\\ell$; we denote it $W$ below. Here W is the log-likelihood.", "W"),
    ])
    def test_bare_log_likelihood_in_a_derivative(self, prose, name):
        true = rf"\frac{{\delta {name}}}{{\delta \lambda}} = \frac{{n}}{{\lambda}} - \sum_{{i=1}}^n x_i"
        v = _names(EXP_SAMPLE, prose, true)
        assert v[0].verdict == "proved", v[0].reason
        wrong = rf"\frac{{\partial^2 {name}}}{{\partial \lambda^2}} = -\frac{{n}}{{\lambda}}"
        v = _names(EXP_SAMPLE, prose, wrong)
        assert v[0].verdict == "refuted", v[0].reason

    def test_likelihood_named_in_words_is_the_product(self):
        prose = "where L is the likelihood function of the pdf, for the iid sample x_1, ..., x_n."
        v = _names(RAYLEIGH, prose, r"\frac{\partial^2 \log L}{\partial \theta^2} = "
                                    r"\frac{2n\theta^2-3\sum_{i}x_{i}^2}{\theta^4}",
                   r"\log L = \sum_{i}(\log x_{i} -2\log\theta - \frac{x_{i}^2}{2\theta^2})",
                   r"\log L = \sum_{i}(\log x_{i} -\frac{2}{\theta} - \frac{x_{i}^2}{2\theta^2})")
        assert [x.verdict for x in v] == ["proved", "proved", "refuted"], [x.reason for x in v]

    @pytest.mark.parametrize("prose, left", [
        ("and consequently the score function which is given by:", r"u(\lambda,y)"),   # techqa (Poisson)
        ("The score \\(u\\) is a function of \\(\\lambda\\):", r"u(\lambda)"),        # Breheny's notes
        ("the score $U$, where", r"U"),
    ])
    def test_score_named_in_words(self, prose, left):
        v = _names(POISSON_Y, prose, rf"{left} = \frac{{\sum_{{i=1}}^{{n}} [y_i] - n\lambda}}{{\lambda}}")
        assert v[0].verdict == "proved", v[0].reason
        v = _names(POISSON_Y, prose, rf"{left} = \frac{{\sum_{{i=1}}^{{n}} [y_i] + n\lambda}}{{\lambda}}")
        assert v[0].verdict == "refuted", v[0].reason

    def test_unnamed_or_twice_named_stays_unknown(self):
        step = r"\frac{\partial L}{\partial \lambda} = \frac{n}{\lambda} - \sum_{i=1}^n x_i"
        wrong = r"\frac{\partial L}{\partial \lambda} = \frac{n}{\lambda} + \sum_{i=1}^n x_i"
        for prose in ("We differentiate:", "L is the likelihood. Later L is the log-likelihood."):
            for row in (step, wrong):
                v = _names(EXP_SAMPLE, prose, row)
                assert v[0].verdict == "unknown", (prose, row, v[0].reason)
        # an English word after the role is no name ("the log-likelihood of the sample is")
        v = _names(EXP_SAMPLE, "the log-likelihood of the sample is", r"of(\lambda) = n\log\lambda")
        assert v[0].verdict == "unknown"

    def test_step_without_data_is_not_judged_on_the_named_function(self):
        # the text names LL, but this step shows neither a sample nor one x: LL is an unknown function here
        v = _names(EXP_SAMPLE, "the log-likelihood LL(λ)", r"LL'(\lambda) = 1/\lambda")
        assert v[0].verdict == "unknown", v[0].reason

    def test_joint_density_of_the_sample(self):
        for prose, f in (("The joint density of sample observations is", r"f(X; \lambda)"),
                         ("The joint pdf:", r"p(X|\lambda)")):
            v = _names(EXP_SAMPLE, prose, rf"{f} = \lambda^n e^{{-\lambda \sum_{{i=1}}^n x_i}}",
                       rf"\frac{{\partial}}{{\partial \lambda}} \log {f} = \frac{{n}}{{\lambda}} - \sum x_i",
                       rf"\frac{{\partial}}{{\partial \lambda}} \log {f} = -\frac{{n}}{{\lambda}} - \sum x_i")
            assert [x.verdict for x in v][1:] == ["proved", "refuted"], [x.reason for x in v]
            assert v[0].verdict != "refuted"
        # without the words, f(X; λ) is the density at the random variable X (one observation)
        v = _names(EXP_SAMPLE, "Then", r"\frac{\partial}{\partial \lambda} \log f(X; \lambda) = "
                                       r"\frac{1}{\lambda} - X")
        assert v[0].verdict == "proved", v[0].reason


class TestOneDrawAnyIndex:
    """x_j, X_k "for arbitrary x_j": one observation written with another index letter than i."""

    @pytest.mark.parametrize("draw", ["x_{j}", "x_j", "X_k"])
    def test_moment_of_one_draw(self, draw):
        assert verdict_of(RAYLEIGH, rf"E(-{draw}^2) = -2\theta^2") == "proved"
        assert verdict_of(RAYLEIGH, rf"E(-{draw}^2) = -\theta^2") == "refuted"

    def test_two_index_letters_are_two_draws_not_read(self):
        # E[x_i x_j] is E[x]² for i ≠ j and E[x²] for i = j: never read as one draw
        assert verdict_of(RAYLEIGH, r"E(x_i x_j) = 2\theta^2") == "unknown"
        assert verdict_of(RAYLEIGH, r"E(x_j x_k) = 2\theta^2") == "unknown"


class TestSumSignsAndDoubledRelations:
    """\\Sigma_{1 \\le i \\le n} and \\sum_{1 \\le i \\le n} as Σᵢ₌₁ⁿ; "a &= \\displaystyle = b" as one relation."""

    @pytest.mark.parametrize("total", [r"\Sigma_{1 \le i \le n} x_i", r"\sum_{1 \le i \le n} x_i",
                                       r"\sum_{1 \leq i \leq n} x_i"])
    def test_sum_between_bounds(self, total):
        assert verdict_of(EXP_SAMPLE, rf"E[{total}] = n/\lambda") == "proved"
        assert verdict_of(EXP_SAMPLE, rf"E[{total}] = 1/\lambda") == "refuted"

    def test_capital_sigma_without_limits_is_a_name(self):
        assert verdict_of(EXP_SAMPLE, r"\Sigma = 1/\lambda") == "unknown"

    def test_doubled_equals_is_one_relation(self):
        text = EXP_SAMPLE + "$$\n\\begin{aligned}\nE[x] & = \\displaystyle = \\frac{1}{\\lambda}\\\\\n" \
                            "&=\\displaystyle = \\frac{2}{2\\lambda}\n\\end{aligned}\n$$\n"
        steps = check(text).steps
        assert [(s.link.lhs.strip(), s.link.rhs.strip()) for s in steps] == [
            ("E[x]", r"\frac{1}{\lambda}"), (r"\frac{1}{\lambda}", r"\frac{2}{2\lambda}")]
        assert [s.verdict.verdict for s in steps] == ["proved", "proved"]


REGRESSION = ("---\nmodel:\n"
              "  density: \\frac{1}{\\sqrt{2\\pi\\sigma^2}} e^{-\\frac{(y-\\beta_0-\\beta_1 x)^2}{2\\sigma^2}}\n"
              "  variable: y\n  parameters: [\\beta_0: real, \\beta_1: real]\n"
              "  constants: [\\sigma: positive, x: real]\n---\n")


class TestParameterVectorByItsLetter:
    """∂/∂β where the model declares β₀, β₁ (and only they): β is their vector; a bare l the prose calls
    "the log-likelihood for one observation" is log f(y|β); \\left( \\begin{array} … \\right) is a matrix."""

    HESSIAN = r"-E\left(\frac{\partial^2 l}{\partial \beta^2}\right) = \frac{1}{\sigma^2}\left( \begin{array}{cc} " \
              r"1 & x \\ x & %s \end{array}\right)"

    @pytest.mark.parametrize("prose", [
        "I know that the log-likelihood for one observation is:\n\n$$\nl(\\beta_0, \\beta_1) \\propto "
        "-\\frac{1}{2\\sigma^2}(y-\\beta_0-\\beta_1x)^2\n$$\n",                         # stats.stackexchange
        "Let $l$ be the log-likelihood of a single observation.",
    ])
    def test_information_matrix_of_one_observation(self, prose):
        steps = check(REGRESSION + prose + "\n$$\n" + self.HESSIAN % "x^2" + "\n$$\n").steps
        assert steps[-1].verdict.verdict == "proved", steps[-1].verdict.reason
        steps = check(REGRESSION + prose + "\n$$\n" + self.HESSIAN % "x" + "\n$$\n").steps
        assert steps[-1].verdict.verdict == "refuted", steps[-1].verdict.reason

    def test_gradient_by_the_vector(self):
        assert verdict_of(REGRESSION, r"\frac{\partial}{\partial \beta} \log f(y|\beta_0, \beta_1) = "
                                      r"\frac{y-\beta_0-\beta_1 x}{\sigma^2} \begin{bmatrix} 1 \\ x \end{bmatrix}") \
            == "proved"

    def test_another_letter_is_not_the_vector(self):
        assert "not a parameter" in reason_of(REGRESSION, r"\frac{\partial}{\partial \gamma} \log f(y|\beta_0, "
                                                          r"\beta_1) = 0")

    def test_array_as_layout_still_splits_rows(self):
        # an array that no delimiter opens is a layout: its rows are the derivation's steps
        text = EXP_SAMPLE + "$$\n\\begin{array}{rcl}\nE[x] &=& \\frac{1}{\\lambda} \\\\\n &=& \\frac{2}{2\\lambda}" \
                            "\n\\end{array}\n$$\n"
        assert [s.verdict.verdict for s in check(text).steps] == ["proved", "proved"]


class TestTextNamesUnderALogarithm:
    """"log L is the log-likelihood": L is then the likelihood, never read as the log-likelihood."""

    @pytest.mark.parametrize("prose", [
        "where $\\log L$ is the log-likelihood of the sample",
        "Log-likelihood:\n\n$$\\log L(\\lambda) = n\\log\\lambda - \\lambda\\sum_{i=1}^n x_i$$"])
    def test_log_of_the_name_is_not_the_name(self, prose):
        # were L read as the log-likelihood, ∂L/∂λ = n/λ − Σ xᵢ would be proved (and its sign error refuted)
        for row in (r"\frac{\partial L}{\partial \lambda} = \frac{n}{\lambda} - \sum_{i=1}^n x_i",
                    r"\frac{\partial L}{\partial \lambda} = -\frac{n}{\lambda} - \sum_{i=1}^n x_i"):
            v = _names(EXP_SAMPLE, prose, row)
            assert v[-1].verdict == "unknown", v[-1].reason

    def test_sigma_with_an_entry_subscript_is_a_name(self):
        # Σ_{ij}: an entry of a covariance matrix, not a sum
        assert "sum" not in reason_of(EXP_SAMPLE, r"\Sigma_{ij} = 1")


class TestSansSerifOperators:
    """\\textsf{Var} (fpghost) as \\mathsf{Var}, \\operatorname{Var}."""

    @pytest.mark.parametrize("var", [r"\textsf{Var}", r"\mathsf{Var}", r"\operatorname{Var}"])
    def test_variance(self, var):
        assert verdict_of(EXP_SAMPLE, rf"{var}(x) = 1/\lambda^2") == "proved"
        assert verdict_of(EXP_SAMPLE, rf"{var}(x) = 1/\lambda") == "refuted"


class TestTextNamesAreNotWords:
    """Words after a role are no names: "the log-likelihood w.r.t. p", "The log-likelihood is $$…$$"."""

    @pytest.mark.parametrize("prose, row", [
        ("The score function (first derivative of the log-likelihood w.r.t. λ) is:", r"w(\lambda) = 1/\lambda"),
        ("The log-likelihood is $$\\ln f(x|\\lambda) = \\ln\\lambda - \\lambda x$$ and", r"is(\lambda) = 1/\lambda"),
    ])
    def test_word_is_not_named(self, prose, row):
        from symfisher.check.notation import text_names
        from symfisher.check import _concrete
        from symfisher.check.extract import links
        text = EXP_SAMPLE + display(row, prose=prose)
        setting = _concrete(links(text)[0]["model"], text)[0]
        assert text_names(text, setting) == {}
# =========================================================================== abstract2: readings of the
# abstract setting that real derivations use (issue 12; held-out reproducers Elkan, shuffle-on, Kuznecov,
# imath, techqa, Casella–Berger, bou.lt, Gundersen, Pinchbeck; other spellings from pages of other sources)


def _abstract(*rows: str, prose: str = "") -> list[str]:
    return verdicts(display(*rows, prose=prose))


class TestAbstractReadings2:
    """Notation of the abstract setting (p unknown), each written the ways several sources write it."""

    # -- d/dθ and d f / dθ typed with a slash (Elkan's plain-text notes; inline math elsewhere)
    @pytest.mark.parametrize("step", [
        r"E[s(x,\theta)] = \int_x dx\, p(x,\theta)\, 1/p(x,\theta) * d/d\theta\, p(x,\theta)",   # Elkan
        r"s(x|\theta) = 1/p(x|\theta) * d p(x|\theta) / d \theta",
        r"\int d/d\theta\, p(x|\theta)\, dx = d/d\theta \int p(x|\theta)\, dx",
        r"d^2/d\theta^2 \log p(x|\theta) = \frac{\partial^2}{\partial\theta^2} \log p(x|\theta)",
    ])
    def test_slash_d_is_the_derivative(self, step):
        assert _abstract(step) == ["proved"]

    def test_slash_d_seeded_dropped_derivative_is_refuted(self):
        # ∫ d/dθ p dx = 0, not ∫ p dx = 1
        assert _abstract(r"\int_x dx\, d/d\theta\, p(x,\theta) = \int_x dx\, p(x,\theta)") == ["refuted"]

    def test_a_declared_d_is_a_symbol(self):
        # with d declared, d·x/d is d times x over d (= x); undeclared, "·x/d…" is no derivative either
        text = "---\nmodel:\n  density: d e^{-d x}\n  parameters: [d: positive]\n  support: (0, \\infty)\n---\n"
        assert verdicts(text + display(r"d \cdot x / d = x")) == ["proved"]
        assert _abstract(r"d \cdot x / d = x") == ["unknown"]

    # -- the data written z, y, t: the density's point is the variable of integration
    @pytest.mark.parametrize("rows", [
        (r"\int \frac{f(z;\theta)}{f(z;\theta)} \frac{\partial f(z;\theta)}{\partial \theta}dz = 0",),  # shuffle-on
        (r"\int \frac{\partial }{ \partial \theta } p_\theta(y) dy = \int p_\theta(y) \frac{\partial }{ \partial "
         r"\theta } \log p_\theta(y) dy",),                                                             # dkwho
        (r"\int \frac{d \log f(y;\theta)}{d \theta} f(y;\theta)dy = \frac{d}{d \theta} \int f(y;\theta)dy",),
        (r"\int f(t;\theta) \frac{\partial \log f(t;\theta)}{\partial\theta}\, dt = 0",),
    ])
    def test_integral_over_the_density_point(self, rows):
        assert _abstract(*rows) == ["proved"]

    def test_integral_without_differential_over_the_density_point(self):
        assert _abstract(r"\int f(z;\theta) \frac{\partial \log f(z;\theta)}{\partial \theta} = 0") == ["proved"]
        assert _abstract(r"\int f(z;\theta) \frac{\partial \log f(z;\theta)}{\partial \theta} = 1") == ["refuted"]

    def test_integral_without_differential_of_a_sum_is_not_read(self):
        # ∫ g + h with no dz: does the integral take h? not read
        assert _abstract(r"\int f(z;\theta) + \frac{\partial f(z;\theta)}{\partial \theta} = 1") == ["unknown"]

    def test_integral_without_differential_of_another_letter_is_not_read(self):
        # ∫ a f(z;θ) with no differential: over z or over a? not read
        assert _abstract(r"\int a f(z;\theta) = a") == ["unknown"]

    def test_two_data_letters_are_not_read_as_one(self):
        assert _abstract(r"\int f(y;\theta)\, dy = 1", r"\int f(t;\theta)\, dt = 1") == ["unknown", "unknown"]

    def test_seeded_wrong_constant_is_refuted(self):
        assert _abstract(r"\int \frac{\partial f(z;\theta)}{\partial \theta}dz = 1") == ["refuted"]

    # -- a bare s where the text writes the score s(θ; x) (Kuznecov; awsome.icu; Rhea s(θ;X))
    @pytest.mark.parametrize("definition", [r"s(\theta;x) = \nabla_\theta \log p_\theta(x)",
                                            r"s(\theta, x) = \nabla_\theta \log p(x \mid \theta)",
                                            r"s(x|\theta) = \nabla_\theta \log p(x|\theta)"])
    def test_bare_score_after_its_definition(self, definition):
        assert _abstract(definition, r"I(\theta) = \mathbb E\big[s\,s^\top\big]",
                         r"\mathbb E[s\, s^\top] = -\mathbb E[\nabla^2_\theta \log p_\theta(x)]") == ["proved"] * 3

    def test_bare_score_seeded_sign_is_refuted(self):
        assert _abstract(r"s(\theta;x) = \nabla_\theta \log p_\theta(x)",
                         r"\mathbb E[s\, s^\top] = \mathbb E[\nabla^2_\theta \log p_\theta(x)]") == ["proved", "refuted"]

    def test_bare_s_in_a_step_with_a_sample_is_not_read(self):
        # s² = Σ(xᵢ − x̄)²/(n − 1) beside s(θ; x): there s is the sample's standard deviation, not the score
        assert _abstract(r"s(\theta;x) = \frac{\partial}{\partial\theta} \log p(x|\theta)",
                         r"s^2 = \frac{1}{n-1}\sum_{i=1}^n (x_i - \bar x)^2",
                         r"s = \frac{1}{n}\sum_{i=1}^n x_i") == ["proved", "unknown", "unknown"]
        # and once a step gives s a value of its own, a bare s elsewhere is not the score either
        assert _abstract(r"s(\theta;x) = \frac{\partial}{\partial\theta} \log p(x|\theta)",
                         r"s = \frac{1}{n}\sum_{i=1}^n x_i", r"E[s] = 0") == ["proved", "unknown", "unknown"]

    def test_bare_s_without_the_score_written_is_not_read(self):
        assert _abstract(r"\mathbb E[s\, s^\top] = -\mathbb E[\nabla^2_\theta \log p_\theta(x)]") == ["unknown"]

    # -- a power written before the density's arguments: p_θ^2(X), p^2(x|θ), f^2(x;θ)
    @pytest.mark.parametrize("step", [
        r"\nabla^2 \log p_\theta(X) = \frac{1}{p_\theta(X)}\nabla^2 p_\theta(X) - \frac{1}{p_\theta^2(X)}"
        r"\nabla p_\theta(X) \nabla p_\theta(X)^\top",                                   # imath (vector θ)
        r"\frac{\partial^2}{\partial\theta^2} \log p(x|\theta) = \frac{1}{p(x|\theta)}\frac{\partial^2}"
        r"{\partial\theta^2} p(x|\theta) - \frac{1}{p^2(x|\theta)}\left(\frac{\partial}{\partial\theta} p(x|\theta)"
        r"\right)^2",
        r"\frac{f^2(x;\theta)}{f(x;\theta)} = f(x;\theta)",
    ])
    def test_power_before_the_arguments(self, step):
        assert _abstract(step) == ["proved"]

    def test_power_before_the_arguments_seeded_transposition_is_refuted(self):
        # ∇pᵀ∇p (a scalar) where ∇p∇pᵀ (a matrix) is meant: a shape mismatch for a vector θ
        assert _abstract(r"\nabla^2 \log p_\theta(X) = \frac{1}{p_\theta(X)}\nabla^2 p_\theta(X) - "
                         r"\frac{1}{p_\theta^2(X)}\nabla p_\theta(X)^\top \nabla p_\theta(X)") == ["refuted"]

    # -- the information of one draw X_i, and of several independent draws (techqa; stats.SE 156505)
    IID = "Let $X_1$ and $X_2$ be two i.i.d random variables with density $f(x;\\theta)$."

    @pytest.mark.parametrize("step", [r"I_{X_1}(\theta) + I_{X_2}(\theta) = 2I_{X_1}(\theta)",
                                      r"I_{X_i}(\theta) = I_{X_1}(\theta)",
                                      r"I_{X_1, X_2}(\theta) = I_{X_1}(\theta) + I_{X_2}(\theta)",
                                      r"\mathcal{I}_{X_1,X_2,X_3}(\theta) = 3\mathcal{I}_{X_2}(\theta)"])
    def test_information_of_draws(self, step):
        assert _abstract(step, prose=self.IID) == ["proved"]

    def test_several_draws_need_independence(self):
        assert _abstract(r"I_{X_1, X_2}(\theta) = 2 I_{X_1}(\theta)") == ["unknown"]

    def test_information_of_draws_seeded_missing_factor_is_refuted(self):
        assert _abstract(r"I_{X_1}(\theta) + I_{X_2}(\theta) = I_{X_1}(\theta)", prose=self.IID) == ["refuted"]

    def test_parameters_before_the_data(self):
        # f(θ; X): the density at X, as s(θ; x) and L(θ; x) are written (techqa)
        assert _abstract(r"I_X(\theta) = Var\left( \frac{\partial}{\partial \theta}\ln f (\theta;X) \right)") == \
            ["proved"]

    # -- W(X): a statistic of the data (Casella–Berger), never taken for T(X)
    def test_statistic_w(self):
        assert _abstract(r"\frac{d}{d\theta}E[W(X)] = \int W(x) \frac{\partial}{\partial\theta} f(x|\theta)\, dx",
                         r"\int W(x) \frac{\partial}{\partial\theta} f(x|\theta)\, dx = E\left[W(X) "
                         r"\frac{\partial}{\partial\theta}\log f(X|\theta)\right]") == ["proved", "proved"]

    def test_statistic_w_seeded_dropped_derivative_is_refuted(self):
        assert _abstract(r"\frac{d}{d\theta}E[W(X)] = \int W(x) f(x|\theta)\, dx") == ["refuted"]

    def test_w_is_not_t_and_unbiasedness_of_t_says_nothing_of_w(self):
        assert _abstract(r"E[W(X)] = E[T(X)]") == ["unknown"]
        assert _abstract(r"\frac{d}{d\theta}E[W(X)] = 1", prose="The estimator T is unbiased.") == ["unknown"]

    # -- the log-likelihood of a bold sample 𝐗 (bou.lt; Nemotron ℓ(θ | 𝐱); braindump p(𝐲|θ))
    @pytest.mark.parametrize("step", [r"l(\theta |\mathbf X) = \sum_i\ln P(\mathbf x_i|\theta )",
                                      r"\ell(\theta|\mathbf{x}) = \sum_{i=1}^n \log f(x_i|\theta)",
                                      r"l(\theta; \boldsymbol X) = \sum_{i} \log p(X_i|\theta)"])
    def test_log_likelihood_of_a_bold_sample(self, step):
        assert _abstract(step) == ["proved"]

    def test_log_likelihood_of_a_bold_sample_seeded_product_is_refuted(self):
        assert _abstract(r"l(\theta |\mathbf X) = \prod_i\ln P(\mathbf x_i|\theta )") == ["refuted"]

    def test_bold_x_without_a_sample_in_its_step_is_not_the_sample(self):
        # a text with a sample elsewhere: 𝐱 in a step that shows none may be one vector observation: not read
        assert _abstract(r"\ell(\theta|\mathbf{x}) = \log p(x|\theta)",
                         r"\sum_{i=1}^n x_i = n \bar x") == ["unknown", "proved"]
        # a text with no sample at all: 𝐱 is the one data point of the unknown density
        assert _abstract(r"\ell(\theta|\mathbf{x}) = \log p(\mathbf{x}|\theta)") == ["proved"]

    # -- entries of the information with other index letters (imath: m, k; r, s; a comma between them)
    @pytest.mark.parametrize("entry, a, b", [("_{m, k}", "m", "k"), ("_{rs}", "r", "s"), ("_{i,j}", "i", "j")])
    def test_entry_with_other_indices(self, entry, a, b):
        step = (rf"\mathcal{{I}}(\theta){entry} = -\mathbb{{E}}\left(\frac{{\partial^{{2}}}}{{\partial \theta_{{{a}}} "
                rf"\partial \theta_{{{b}}}}}\log p(x|\theta)\right)")
        assert _abstract(step) == ["proved"]

    def test_entry_with_other_indices_seeded_sign_is_refuted(self):
        assert _abstract(r"\mathcal{I}(\theta)_{m, k} = \mathbb{E}\left(\frac{\partial^{2}}{\partial \theta_{m} "
                         r"\partial \theta_{k}}\log p(x|\theta)\right)") == ["refuted"]

    # -- the general Cramér–Rao bound, also where the prose speaks of unbiasedness (Gundersen)
    GUNDERSEN = ("Let $T(X)$ be a biased estimator of $\\theta$. If the estimator is unbiased, then the numerator "
                 "is one.")

    @pytest.mark.parametrize("variance", [r"\mathbb{V}[T(X)]", r"\operatorname{Var}(T(X))", r"Var[T(X)]"])
    def test_general_cramer_rao(self, variance):
        step = (rf"{variance} \geq \frac{{\left( \frac{{d}}{{d \theta}} \mathbb{{E}}[T(X)] \right)^2}}{{\mathbb{{E}} "
                r"\left[\left(\frac{d}{d\theta} \log f(X; \theta) \right)^2\right]}")
        report = check(display(step, prose=self.GUNDERSEN))
        assert [s.verdict.verdict for s in report.steps] == ["proved"]
        assert "cramer-rao-general" in report.steps[0].verdict.rules

    # -- random variables the prose names: Cauchy–Schwarz (Gundersen's W and Y)
    @pytest.mark.parametrize("prose", ["let $W$ and $Y$ be two random variables.",
                                       "Let $W$, $Z$ and $Y$ be random variables.",
                                       "Here $W$ is a random variable and $Y$ is a random variable."])
    def test_named_random_variables(self, prose):
        assert _abstract(r"(\text{Cov}[W, Y])^2 \leq \mathbb{V}[W] \mathbb{V}[Y]", prose=prose) == ["proved"]

    def test_named_random_variables_are_never_refuted(self):
        assert _abstract(r"\mathbb{V}[W] = \mathbb{E}[W^2]", prose="let $W$ and $Y$ be two random variables.") == \
            ["unknown"]

    def test_unnamed_capital_is_not_read(self):
        assert _abstract(r"(\text{Cov}[W, Y])^2 \leq \mathbb{V}[W] \mathbb{V}[Y]") == ["unknown"]

    # -- θ* as the prose defines it (Pinchbeck: θ* = θ + ε; θ^\star = θ + δ)
    @pytest.mark.parametrize("star, value", [("^*", r"\theta + \epsilon"), ("^{\\star}", r"\theta + \delta"),
                                             ("^{*}", r"\theta - \epsilon")])
    def test_starred_parameter_as_defined(self, star, value):
        prose = f"the approximate value $\\theta{star} = {value}$ ."
        step = rf"-\int p(x|\theta) \log p(x|\theta{star}) dx = -\int p(x|\theta) \log p(x|{value}) dx"
        assert _abstract(step, prose=prose) == ["proved"]

    def test_starred_parameter_seeded_is_refuted(self):
        prose = "the approximate value $\\theta^* = \\theta + \\epsilon$ ."
        assert _abstract(r"\log p(x|\theta^*) = \log p(x|\theta + 2\epsilon)", prose=prose) == ["refuted"]

    def test_starred_parameter_undefined_is_not_read(self):
        assert _abstract(r"\log p(x|\theta^*) = \log p(x|\theta + \epsilon)") == ["unknown"]

    # -- 𝐱 in a text that writes no sample: the point of the unknown (joint) density (Casella–Berger, \bf{X})
    @pytest.mark.parametrize("x, X", [(r"\bf{x}", r"\bf{X}"), (r"\mathbf{x}", r"\mathbf{X}"),
                                      (r"\boldsymbol{x}", r"\boldsymbol{X}")])
    def test_bold_data_of_a_text_without_sample(self, x, X):
        rows = (rf"\frac{{d}}{{d\theta}}E[W({X})|\theta] = \int_{{\chi}}W({x})\left[\frac{{\partial}}{{\partial\theta}}"
                rf"f({x}|\theta)\right]dx",
                rf"Var(W({X})|\theta) \ge \frac{{(\frac{{d}}{{d\theta}}E[W({X})|\theta])^2}}{{E\left[\left("
                rf"\frac{{\partial}}{{\partial\theta}}\log f({x}|\theta)\right)^2|\theta\right]}}")
        assert _abstract(*rows) == ["proved", "proved"]

    def test_bold_data_seeded_dropped_derivative_is_refuted(self):
        assert _abstract(r"\frac{d}{d\theta}E[W(\bf{X})|\theta] = \int_{\chi}W(\bf{x})\left[f(\bf{x}|\theta)"
                         r"\right]dx") == ["refuted"]

    def test_bold_data_beside_a_sample_is_the_sample(self):
        # with xᵢ written, 𝐱 is the whole sample: its density is ∏ p(xᵢ|θ) only for independent draws
        assert _abstract(r"\log f(\mathbf{x}|\theta) = \sum_{i=1}^n \log f(x_i|\theta)") == ["unknown"]

    # -- the prose says I(θ) is one observation's information (uiowa: "from a single observation")
    INFORMATION_ROWS = (r"I(\theta) = E\left[\left(\frac{\partial}{\partial\theta}\log f(X|\theta)\right)^2\right]",
                        r"\sum_{i=1}^n \log f(x_i|\theta) = \sum_{i=1}^n \log f(x_i|\theta)")

    @pytest.mark.parametrize("prose", [
        "Let $X_1, \\dots, X_n$ be a random sample. Here $I(\\theta)$ denotes the Fisher information for a "
        "single observation.",
        "Let $X_1, \\dots, X_n$ be a random sample; the symbol $I(\\theta)$ still represents the expected "
        "information from a single observation.",
        "Let $X_1, \\dots, X_n$ be a random sample, and $I(\\theta)$ the Fisher information per observation.",
    ])
    def test_prose_tells_one_observation(self, prose):
        assert _abstract(*self.INFORMATION_ROWS, prose=prose)[0] == "proved"

    def test_prose_about_something_else_tells_nothing(self):
        prose = ("Let $X_1, \\dots, X_n$ be a random sample. The likelihood of one observation is $f(x|\\theta)$, "
                 "and the information is below.")
        assert _abstract(*self.INFORMATION_ROWS, prose=prose)[0] == "unknown"

    # -- 𝔼 under x ∼ 𝓛(x|θ), x ∼ p(x|θ), X ∼ f(x;θ): the model at θ (Pinchbeck; kdoran; awsome.icu)
    @pytest.mark.parametrize("under", [r"x \sim \mathcal{L}(x|\theta)", r"x \sim p(x | \theta)",
                                       r"X \sim f(x;\theta)"])
    def test_expectation_under_the_model(self, under):
        assert _abstract(rf"\mathbb{{E}}_{{{under}}}\left[\frac{{\partial}}{{\partial\theta}}\log p(x|\theta)\right] "
                         r"= 0") == ["proved"]

    def test_expectation_under_another_point_is_not_read(self):
        assert _abstract(r"\mathbb{E}_{x \sim p(x|\theta^*)}\left[\frac{\partial}{\partial\theta}\log p(x|\theta)"
                         r"\right] = 0") == ["unknown"]

    # -- an estimator the prose names: "Let g(x) be any unbiased estimator of theta" (Elkan)
    @pytest.mark.parametrize("prose, g", [("Let g(x) be any unbiased estimator of theta.", "g(x)"),
                                          ("let $t(X)$ be an unbiased estimator of $\\theta$.", "t(X)"),
                                          ("Let $w(x)$ be an unbiased estimator of $\\theta$.", "w(x)")])
    def test_estimator_named_in_prose(self, prose, g):
        assert _abstract(rf"var_\theta[{g}] \geq 1/ var[s(x,\theta)]", rf"\frac{{d}}{{d\theta}} E[{g}] = 1",
                         prose=prose) == ["proved", "proved"]

    def test_estimator_named_in_prose_seeded_mean_is_refuted(self):
        assert _abstract(r"E[g(x)] = 0", prose="Let g(x) be any unbiased estimator of theta.") == ["refuted"]

    def test_estimator_beside_another_is_its_own(self):
        # with T(X) in the text too, g is a statistic of its own: the unbiasedness stated is not applied to it
        prose = "Let g(x) be any unbiased estimator of theta, and $T(X)$ another."
        assert _abstract(r"E[g(x)] = E[T(X)]", prose=prose) == ["unknown"]

    def test_a_statistic_given_a_form_is_never_refuted(self):
        # T(X) = 2X, W(X) = X², g(x) = 2x: the author picks a statistic; the stand-in t(x) = x refutes nothing
        prose = "Let g(x) be any unbiased estimator of theta."
        assert _abstract(r"g(x) = 2x", prose=prose) == ["unknown"]
        assert _abstract(r"T(X) = 2X") == ["unknown"]
        assert _abstract(r"W(X) = X^2") == ["unknown"]


# =========================================================================== concrete2: names the FRESH
# corpus gives the log-likelihood and the information's entries (issue 12)

EXPONENTIAL = """---
model:
  density: \\lambda e^{-\\lambda x}
  parameters: [\\lambda: positive]
  support: (0, \\infty)
---
"""

NORMAL_MS = """---
model:
  density: \\frac{1}{\\sigma\\sqrt{2\\pi}} e^{-\\frac{(x-\\mu)^2}{2\\sigma^2}}
  parameters: [\\mu: real, \\sigma: positive]
  support: (-\\infty, \\infty)
---
"""


class TestFreshNames:
    """A log-likelihood name a step defines by the theory's objects (ℓ(β) = log L(β), l_n(θ) = Σ log f) is read
    as that definition wherever it is written later, bare too (dℓ/dβ); an information entry named by two of
    the model's parameters (I_{μμ}, \\mathcal{I}_{σσ}) is that entry of the model's Fisher matrix."""

    @pytest.mark.parametrize("name, definition", [
        (r"\ell", r"\log L(\lambda)"),                                   # quiz_gamma_rate
        (r"l_n", r"\log L(\lambda)"),                                    # zuoyi93_exponential
        (r"\ell_n", r"\sum_{i=1}^n \log f(x_i|\lambda)"),
        (r"\mathcal{l}", r"\log L(\lambda)"),                            # anpinhuang_mle
        (r"l", r"\ln \prod_{i=1}^n f(x_i|\lambda)"),
    ])
    def test_a_defined_log_likelihood_is_read_bare(self, name, definition):
        # ℓ(λ) = Σ (log λ − λxᵢ): ℓ' = n/λ − Σxᵢ, ℓ'' = −n/λ²; a dropped sign or factor is refuted at its step
        likelihood = r"L(\lambda) = \prod_{i=1}^n f(x_i|\lambda)"
        text = EXPONENTIAL + display(
            likelihood, rf"{name}(\lambda) = {definition}",
            rf"\frac{{d {name}}}{{d\lambda}} = \frac{{n}}{{\lambda}} - \sum_{{i=1}}^n x_i",
            rf"\frac{{d^2 {name}}}{{d\lambda^2}} = -\frac{{n}}{{\lambda^2}}",
            rf"\frac{{\partial^2 {name}(\lambda)}}{{\partial\lambda^2}} = -\frac{{n}}{{\lambda^2}}")
        report = check(text)
        assert [s.verdict.verdict for s in report.steps] == ["proved"] * 5
        # ℓ(λ) = ln ∏ f(xᵢ|λ) is proved by the sample's rules already; log L(λ) only by definition
        assert "definition-log-likelihood" in report.steps[1].verdict.rules or r"\prod" in definition
        seeded = check(text.replace(r"- \sum_{i=1}^n x_i", r"+ \sum_{i=1}^n x_i"))
        assert [s.verdict.verdict for s in seeded.steps][2] == "refuted"
        seeded = check(text.replace(r"{d\lambda^2} = -\frac{n}", r"{d\lambda^2} = -\frac{2n}", 1))
        assert [s.verdict.verdict for s in seeded.steps][3] == "refuted"

    def test_one_observation_definition(self):
        # l(λ) = log f(x|λ) = log λ − λx: l' = 1/λ − x (the sign dropped: refuted)
        text = EXPONENTIAL + display(r"l(\lambda) = \log f(x|\lambda)", r"\frac{\partial l}{\partial\lambda} = "
                                     r"\frac{1}{\lambda} - x")
        assert verdicts(text) == ["proved", "proved"]
        assert verdicts(text.replace("} - x", "} + x")) == ["proved", "refuted"]

    @pytest.mark.parametrize("rhs", [r"n\log\lambda - \lambda\sum_{i=1}^n x_i",       # a closed form: a claim
                                     r"\frac{1}{n}\sum_{i=1}^n \log f(x_i|\lambda)"])   # the average: not ours
    def test_a_closed_form_or_other_scale_is_no_definition(self, rhs):
        # then a bare ℓ is not read: never refuted, whatever the derivative says
        text = EXPONENTIAL + display(rf"\ell(\lambda) = {rhs}", r"\frac{d\ell}{d\lambda} = \frac{1}{\lambda} - "
                                     r"\bar{x}")
        assert verdicts(text)[1] == "unknown"
        assert "definition-log-likelihood" not in check(text).steps[0].verdict.rules

    def test_a_name_written_earlier_is_not_defined_again(self):
        # l(θ) written before (a claim), then l(θ) = log f(x;θ): a redefinition is a claim, not proved by definition
        text = EXPONENTIAL + display(r"l(\lambda) = \log\lambda - \lambda x", r"l(\lambda) = \log f(x|\lambda)",
                                     r"\frac{\partial l(\lambda)}{\partial\lambda} = \frac{1}{\lambda} - x")
        report = check(text)
        assert "definition-log-likelihood" not in report.steps[1].verdict.rules
        assert [s.verdict.verdict for s in report.steps][2] == "proved"

    @pytest.mark.parametrize("entry, value, seeded", [
        (r"I_{\mu\mu}", r"\frac{1}{\sigma^2}", r"\frac{2}{\sigma^2}"),
        (r"I_{\sigma\sigma}", r"\frac{2}{\sigma^2}", r"\frac{1}{\sigma^2}"),          # edgeofchaos' factor 2
        (r"\mathcal{I}_{\sigma \sigma}", r"\frac{2}{\sigma^2}", r"\frac{1}{\sigma^2}"),
        (r"I_{\mu\sigma}(\mu, \sigma)", "0", r"\frac{1}{\sigma}"),
    ])
    def test_an_information_entry_named_by_parameters(self, entry, value, seeded):
        assert verdicts(NORMAL_MS + display(f"{entry} = {value}")) == ["proved"]
        assert verdicts(NORMAL_MS + display(f"{entry} = {seeded}")) == ["refuted"]

    @pytest.mark.parametrize("definition", [r"\DeclareMathOperator{\E}{\mathbb{E}}", r"\DeclareMathOperator{\E}{E}",
                                            r"\DeclareMathOperator*{\E}{\mathbb E}", r"\newcommand{\E}{\mathbb{E}}"])
    def test_a_macro_defined_inside_the_display(self, definition):
        # sse_negbin_mean_size: the definition typesets nothing; the step is what follows it (𝔼[X] = 1/λ)
        assert verdicts(EXPONENTIAL + display(rf"{definition} \E[X] = \frac{{1}}{{\lambda}}")) == ["proved"]
        assert verdicts(EXPONENTIAL + display(rf"{definition} \E[X] = \frac{{2}}{{\lambda}}")) == ["refuted"]

    @pytest.mark.parametrize("density", [r"p^m(x \mid \lambda)", r"p^{\text{model}}(x|\lambda)",
                                         r"p^{\mathrm{m}}(x;\lambda)", r"f^{m}(x|\lambda)"])
    def test_a_superscript_naming_the_model(self, density):
        # opensrdk_poisson: the model stated in the text as p^m(x|λ) = λˣe^{−λ}/x!, its score x/λ − 1
        text = display(rf"{density} = \frac{{\lambda^x}}{{x!}}\exp(-\lambda)",
                       rf"\frac{{\partial \log {density}}}{{\partial \lambda}} = \frac{{x}}{{\lambda}} - 1")
        assert verdicts(text) == ["proved", "proved"]
        assert verdicts(text.replace("} - 1", "} + 1")) == ["proved", "refuted"]

    def test_a_power_of_the_density_stays_a_power(self):
        # f^2(x|λ) is the square (sin²x), never the density named 2
        assert verdicts(EXPONENTIAL + display(r"f^2(x|\lambda) = \lambda^2 e^{-2\lambda x}")) == ["proved"]
        assert verdicts(EXPONENTIAL + display(r"f^2(x|\lambda) = \lambda e^{-\lambda x}")) == ["refuted"]

    @pytest.mark.parametrize("entry, value, seeded", [
        ("I_mu_mu", "1/sigma^2", "2/sigma^2"),                         # edgeofchaos_gaussian, plain ASCII
        ("I_sigma_sigma", "2/sigma^2", "1/sigma^2"),
        ("I_mu_sigma", "0", "1/sigma"),
        (r"I_{\mu}_{\sigma}", "0", r"\frac{1}{\sigma}"),
    ])
    def test_an_entry_in_ascii_or_as_two_subscripts(self, entry, value, seeded):
        assert verdicts(NORMAL_MS + display(f"{entry} = {value}")) == ["proved"]
        assert verdicts(NORMAL_MS + display(f"{entry} = {seeded}")) == ["refuted"]

    def test_an_ascii_greek_word_is_read_only_for_a_parameter(self):
        # "sigma" where the model has no σ: not read as σ (nor as the product s·i·g·m·a)
        assert verdicts(EXPONENTIAL + display("E[X] = 1/sigma")) == ["unknown"]
        assert verdicts(EXPONENTIAL + display("E[X] = 1/lambda")) == ["proved"]
# =========================================================================== abstract3: the fresh corpus's
# abstract readings (issue 12): a colon between a density's point and θ (f(y:θ), techqa), a calligraphic l
# for ℓ (anpinhuang), a second parameter point u with the evaluation at u = θ (fimnotes' Hessian of the KL
# divergence, Belousov's "Fisher metric vs KL-divergence"), \text{D}_\text{KL}.

class TestFreshAbstract:
    @pytest.mark.parametrize("density", [r"f(y:\theta)", r"f(y : \theta)", r"p(x:\theta)"])
    def test_colon_separates_point_and_parameter(self, density):
        point = density[2]
        assert verdicts(display(rf"\int \frac{{d}}{{d \theta}}{density}d{point} = "
                                rf"\frac{{d}}{{d \theta}} \int {density}d{point}",
                                rf"\frac{{d}}{{d \theta}} \int {density}d{point} = \frac{{d}}{{d \theta}}(1)")) == \
            ["proved", "proved"]

    def test_colon_seeded_normalization_is_refuted(self):
        assert verdicts(display(r"\frac{d}{d \theta} \int f(y:\theta)dy = 1")) == ["refuted"]
        assert verdicts(display(r"\int \frac{\partial}{\partial \theta} p(x : \theta)\, dx = 1")) == ["refuted"]

    def test_colon_in_the_score_mean(self):
        assert verdicts(display(r"\mathbb{E}\left[\frac{\partial}{\partial \theta} \log f(X:\theta)\right] = 0")) == \
            ["proved"]

    def test_colon_outside_a_density_is_not_a_separator(self):
        # a set {x : p(x) > 0} is not f(x; θ): the colon is respelled only directly inside f( … ), p( … )
        from symfisher.check.notation import _respelled
        tokens = [t for t in tokenize(r"\{x : p(x|\theta) > 0\}", "step")]
        assert ":" in [t.text for t in _respelled(tokens)]
        assert ";" in [t.text for t in _respelled(list(tokenize(r"f(y:\theta)", "step")))]

    @pytest.mark.parametrize("ell", [r"\mathcal{l}", r"\mathscr{l}", r"\ell"])
    def test_calligraphic_l_is_the_log_likelihood(self, ell):
        assert verdicts(display(
            rf"I(\theta) = -E\left[\frac{{\partial^2}}{{\partial\theta^2}} {ell}(\theta; x)\right]",
            rf"-E\left[\frac{{\partial^2}}{{\partial\theta^2}} {ell}(\theta; x)\right] = "
            rf"E\left[\left(\frac{{\partial}}{{\partial\theta}} {ell}(\theta; x)\right)^2\right]")) == \
            ["proved", "proved"]

    @pytest.mark.parametrize("ell", [r"\mathcal{l}", r"\mathscr{l}"])
    def test_calligraphic_l_seeded_sign_is_refuted(self, ell):
        assert verdicts(display(rf"I(\theta) = E\left[\frac{{\partial^2}}{{\partial\theta^2}} {ell}(\theta; x)\right]")) \
            == ["refuted"]

    def test_capitalized_log_word(self):
        assert verdicts(display(r"\frac{\partial}{\partial\theta} Log\, p(x|\theta) = "
                                r"\frac{1}{p(x|\theta)} \frac{\partial}{\partial\theta} p(x|\theta)")) == ["proved"]
        assert verdicts(display(r"\frac{\partial}{\partial\theta} Log\, p(x|\theta) = "
                                r"\frac{\partial}{\partial\theta} p(x|\theta)")) == ["refuted"]

    # -- a second parameter point u, evaluated at u = θ
    @pytest.mark.parametrize("lhs", [
        r"\frac{\partial^2}{\partial u^2} \log p_u(x) \Big|_{u=\theta}",
        r"\frac{\partial^2 \log p_u(x)}{\partial u^2}\bigg|_{u=\theta}",
        r"\left[\frac{\partial^2}{\partial u^2} \log p_u(x)\right]_{u=\theta}",
        r"\left.\frac{\partial^2}{\partial u^2} \log p_u(x) \right|_{u=\theta}",
    ])
    def test_derivative_at_another_point_evaluated_at_theta(self, lhs):
        assert verdicts(display(rf"{lhs} = \frac{{\partial^2}}{{\partial \theta^2}} \log p_\theta(x)")) == ["proved"]
        # seeded: a first derivative for the second
        assert verdicts(display(rf"{lhs} = \frac{{\partial}}{{\partial \theta}} \log p_\theta(x)")) == ["refuted"]

    def test_evaluation_is_after_the_derivative(self):
        # ∂²/∂u² (log p_θ − log p_u)|_{u=θ} = −∂²/∂θ² log p_θ: evaluating first would give 0 (a false refutation)
        assert verdicts(display(r"\frac{\partial^2}{\partial u^2}\left(\log p_\theta(x) - \log p_u(x)\right)"
                                r"\bigg|_{u=\theta} = -\frac{\partial^2}{\partial \theta^2}\log p_\theta(x)")) == \
            ["proved"]

    def test_hessian_at_another_point(self):
        prose = "The divergence $D(p_\\theta \\| p_u)$."
        assert verdicts(display(r"\left[\nabla_u^2 \log p_u(x)\right]_{u=\theta} = \nabla_\theta^2 \log p_\theta(x)",
                                prose=prose)) == ["proved"]
        assert verdicts(display(r"\left[\nabla^2_u \log p_u(x)\right]_{u=\theta} = -\nabla_\theta^2 \log p_\theta(x)",
                                prose=prose)) == ["refuted"]

    def test_evaluation_of_one_factor_is_not_read(self):
        # log p_u(x) · ∂p_u/∂u |_{u=θ}: one factor or the whole product? u is left outside: unknown
        assert verdicts(display(r"\log p_u(x) \cdot \frac{\partial}{\partial u} p_u(x)\Big|_{u=\theta} = "
                                r"\log p_\theta(x) \frac{\partial}{\partial \theta} p_\theta(x)")) == ["unknown"]

    def test_subscript_alone_is_not_a_point(self):
        # p_k, f_Y, p_η with no evaluation at θ and no divergence from p_θ are not other parameter points
        from symfisher.check.notation import abstract_setting, text_points
        assert text_points(r"p_k = P(X=k), f_Y(y), p_\eta(x) \nabla_\eta", abstract_setting(1)) == {}
        assert set(text_points(r"\nabla^2_u D(p_\theta \| p_u)", abstract_setting(1))) == {"u"}

    @pytest.mark.parametrize("name", [r"\text{D}_\text{KL}", r"\text{D}_{\text{KL}}", r"\mathrm{D}_\mathrm{KL}",
                                      r"D_\text{KL}"])
    def test_divergence_to_another_point(self, name):
        assert verdicts(display(rf"{name}(p_\theta \| p_u) = \int p_\theta(x) \log\frac{{p_\theta(x)}}{{p_u(x)}} dx")) \
            == ["proved"]
        assert verdicts(display(rf"{name}(p_\theta \| p_u) = \int p_u(x) \log\frac{{p_\theta(x)}}{{p_u(x)}} dx")) \
            == ["refuted"]

    def test_kl_hessian_chain(self):
        # fimnotes: ∇²_u D_KL(p_θ ‖ p_u)|_{u=θ} = [∇²_u ∫ (log p_θ − log p_u) p_θ dx]_{u=θ}
        assert verdicts(display(r"\nabla^2_u \text{D}_\text{KL}(p_\theta || p_u)|_{u=\theta} = \left[ \nabla_u^2 "
                                r"\int (\log p_\theta(x) - \log p_u(x))p_\theta(x) dx \right]_{u=\theta}")) == ["proved"]
        assert verdicts(display(r"\int \left[ \nabla_u^2(\log p_\theta(x) - \log p_u(x))p_\theta(x) \right]_{u=\theta}dx"
                                r" = \int - p_\theta(x)(\nabla_\theta^2 \log p_\theta(x)) dx")) == ["proved"]
        assert verdicts(display(r"\int \left[ \nabla_u^2(\log p_\theta(x) - \log p_u(x))p_\theta(x) \right]_{u=\theta}dx"
                                r" = \int p_\theta(x)(\nabla_\theta^2 \log p_\theta(x)) dx")) == ["refuted"]

    # -- a reparametrization the text states: p(θ) = θ/(1+θ) (imathworks' geometric), then dp(θ)/dθ
    @pytest.mark.parametrize("form, derivative, wrong", [
        (r"\frac{\theta}{1+\theta}", r"\frac{dp(\theta)}{d\theta}=\frac{1}{(1+\theta)^2}",
         r"\frac{dp(\theta)}{d\theta}=\frac{1}{1+\theta}"),
        (r"\frac{\theta}{1+\theta}", r"\frac{d}{d\theta} p(\theta)=\frac{1}{(1+\theta)^2}",
         r"\frac{d}{d\theta} p(\theta)=\frac{\theta}{(1+\theta)^2}"),
        (r"\frac{1}{1+e^{-\theta}}", r"\frac{\partial p(\theta)}{\partial\theta}=p(\theta)(1-p(\theta))",
         r"\frac{\partial p(\theta)}{\partial\theta}=p(\theta)"),
    ])
    def test_reparametrization_is_read_as_its_function(self, form, derivative, wrong):
        assert verdicts(display(rf"p(\theta)={form}", derivative)) == ["unknown", "proved"]
        assert verdicts(display(rf"p(\theta)={form}", wrong)) == ["unknown", "refuted"]

    def test_reparametrization_needs_a_form_in_theta_alone(self):
        # the density written p(x|θ) earlier, or x in the form: p(θ) is not a function of θ alone
        assert verdicts(display(r"\int p(x|\theta) dx = 1", r"p(\theta)=\frac{\theta}{1+\theta}"))[1] == "unknown"
        assert verdicts(display(r"p(\theta)=\frac{\theta}{1+\theta} x",
                                r"\frac{dp(\theta)}{d\theta}=\frac{1}{1+\theta}")) == ["unknown", "unknown"]
