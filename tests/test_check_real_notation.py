"""The checker on notation real derivations use, each class written the ways people write it.

Every class has a section of its own (helpers add theirs side by side); a test states the mathematics and
the verdict, and a seeded error in each class must be refuted at its step (or stay unknown where refuting
it would need a hypothesis the text does not state).
"""

from __future__ import annotations

import pytest

from symfisher.check import check


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
