"""How people write derivations (issue 12): notation of real derivations, read and judged soundly.

Each helper keeps its tests in its own section (classes with its name) so that branches merge cleanly.
"""

from __future__ import annotations

import pytest

from symfisher.check import check

# ============================================================================ samples and likelihoods (sample)
# Likelihoods and log-likelihoods of a sample or of one observation, sums and products over the sample,
# the sample rules, the stand-in sample of the numeric refuter, estimating equations, estimator definitions.

EXPONENTIAL = """---
model:
  density: \\lambda e^{-\\lambda x}
  parameters: [\\lambda: positive]
  support: (0, \\infty)
---
"""

POISSON = """---
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
        _proved(EXPONENTIAL, step)

    @pytest.mark.parametrize("step", [
        r"\ell'(\lambda) = n/\lambda - \sum x_i",
        r"l^{\prime}(\lambda) = \frac{n}{\lambda} - \sum_{i=1}^n x_i",
        r"\ell''(\lambda) = -\frac{n}{\lambda^2}",
        r"l^{\prime\prime}(\lambda) = -n/\lambda^2",
        r'l^"(\lambda) = -\frac{n}{\lambda^2}',
        r"\frac{\partial^2 \ell(\lambda)}{\partial\lambda^2} = -\frac{n}{\lambda^2}",
    ])
    def test_its_derivatives_are_proved(self, step):
        _proved(EXPONENTIAL, step, "differentiation")

    @pytest.mark.parametrize("step", [
        r"L(\lambda) = \prod_{i=1}^n \lambda e^{-\lambda x_i}",
        r"L(\lambda) = \prod_{i = 1}^{n} f(x_i|\lambda)",
        r"\prod_{i=1}^n \lambda e^{-\lambda x_i} = \lambda^n e^{-\lambda \sum_{i=1}^n x_i}",
        r"L(\lambda) = \lambda^n \exp\left(-\lambda\sum_{i=1}^n x_i\right)",
        r"\prod^n_{i=1} f(x_i|\lambda) = \lambda^n e^{-n\lambda\bar{x}}",
    ])
    def test_likelihood_of_a_sample_is_proved(self, step):
        _proved(EXPONENTIAL, step)

    @pytest.mark.parametrize("step", [
        r"\ln L(\lambda) = n\ln\lambda - \lambda\sum_{i=1}^n x_i",
        r"\log \prod_{i=1}^n f(x_i|\lambda) = \sum_{i=1}^n \log f(x_i|\lambda)",
        r"\log L(\lambda) = \ell(\lambda) + 0\cdot\sum x_i",
    ])
    def test_log_of_the_product_is_the_sum_of_logs(self, step):
        _proved(EXPONENTIAL, step)

    @pytest.mark.parametrize("step", [
        r"\ell(\lambda) = n\log\lambda + \lambda\sum x_i",                      # a dropped sign
        r"\ell'(\lambda) = 1/\lambda - \sum x_i",                               # a missing n
        r"\ell''(\lambda) = -\frac{2n}{\lambda^2}",                             # a factor 2
        r"L(\lambda) = \sum_{i=1}^n f(x_i|\lambda)",                            # a sum for a product
        r"\ln L(\lambda) = n\ln\lambda - \lambda\prod_{i=1}^n x_i",
    ])
    def test_seeded_errors_on_the_sample_are_refuted(self, step):
        _refuted(EXPONENTIAL, step)

    @pytest.mark.parametrize("step", [
        r"l(x|\mu) = -\mu + x\ln\mu - \ln x!",                                  # one observation, data first
        r"l^{\prime}(x|\mu) = -1 + \frac{x}{\mu}",
        r"l^{\prime\prime}(x|\mu) = -\frac{x}{\mu^2}",
        r"\ell(\mu) = -\mu + x\log\mu - \log x!",                               # x alone: one observation
        r"-E[l^{\prime\prime}(x|\mu)] = \frac{1}{\mu}",
    ])
    def test_one_observation(self, step):
        _proved(POISSON, step)

    def test_one_observation_seeded_error_is_refuted(self):
        _refuted(POISSON, r"l^{\prime\prime}(x|\mu) = - \frac{x}{\mu^3}")

    @pytest.mark.parametrize("step", [
        r"\ell(\lambda) = \log\lambda - \lambda x + \lambda\sum x_i",           # x and xᵢ: which data?
        r"\ell(\lambda | x_i) = \log\lambda - \lambda",                          # one draw or the sample?
        r"\ell(\lambda) = \log\lambda - \lambda x_i",                          # xᵢ alone shows no sample
    ])
    def test_a_step_that_does_not_show_its_data_is_never_refuted(self, step):
        assert _one(EXPONENTIAL, step).verdict != "refuted"


class TestSampleRules:
    """E[Σ g(xᵢ)] = n E[g(x)], E[g(xᵢ)] = E[g(x)], Iₙ(θ) = n I(θ) in its spellings."""

    @pytest.mark.parametrize("step", [
        r"\mathbb{E}\left[\sum_{i=1}^n x_i\right] = \frac{n}{\lambda}",
        r"E[\sum x_i] = n E[x]",
        r"\mathbb{E}[n\bar x] = n/\lambda",
        r"-\mathbb{E}[\ell''(\lambda)] = n I(\lambda)",
    ])
    def test_expectation_of_a_sample_sum(self, step):
        _proved(EXPONENTIAL, step, "expectation-of-sample-sum")

    def test_expectation_of_one_draw(self):
        _proved(EXPONENTIAL, r"\mathbb{E}[x_i] = \frac{1}{\lambda}", "identically-distributed")

    @pytest.mark.parametrize("step", [
        r"I_{X_1,...,X_n}(\lambda) = \frac{n}{\lambda^2}",
        r"I_{X_1,\ldots,X_n}(\lambda) = \frac{n}{\lambda^2}",
        r"I_n(\lambda) = \frac{n}{\lambda^2}",
        r"nI(\lambda) = \frac{n}{\lambda^2}",
    ])
    def test_information_of_a_sample(self, step):
        _proved(EXPONENTIAL, step)

    def test_information_of_a_sample_missing_n_is_refuted(self):
        _refuted(EXPONENTIAL, r"I_{X_1,...,X_n}(\lambda) = \frac{1}{\lambda^2}")

    def test_expectation_of_a_sample_sum_is_not_taken_for_a_constant(self):
        # E[Σ xᵢ] must not be Σ xᵢ (the sample values are random): a wrong n is refuted, no false ✓
        _refuted(EXPONENTIAL, r"\mathbb{E}\left[\sum_{i=1}^n x_i\right] = \frac{1}{\lambda}")
        assert _one(EXPONENTIAL, r"\mathbb{E}\left[\sum_{i=1}^n x_i\right] = \sum_{i=1}^n x_i").verdict != "proved"

    def test_sum_limits_other_than_the_sample_are_not_read(self):
        reason = _not_refuted(EXPONENTIAL, r"\sum_{i=1}^{m} x_i = m\bar x")
        assert "not read" in reason


class TestEstimatingEquationsAndEstimators:
    """ℓ'(θ) = 0 is an equation the estimate solves, θ̂ = … is the author's definition: neither is refuted."""

    @pytest.mark.parametrize("chain", [
        r"\ell'(\lambda) = n/\lambda - \sum x_i = 0",
        r"\frac{\partial \ell(\lambda)}{\partial \lambda} = \frac{n}{\lambda} - \sum_{i=1}^n x_i = 0",
        r"l'(\lambda) = \frac{n}{\lambda} - n\bar x = 0",
    ])
    def test_estimating_equation_is_not_refuted(self, chain):
        report = check(f"{EXPONENTIAL}\n$$ {chain} $$\n")
        assert [s.verdict.verdict for s in report.steps] == ["proved", "unknown"]
        assert "estimating equation" in report.steps[1].verdict.reason

    @pytest.mark.parametrize("step", [r"\hat\lambda = n/\sum x_i", r"\hat{\lambda} = \frac{1}{\bar x}",
                                      r"\widehat{\lambda} = \frac{n}{\sum_{i=1}^n x_i}"])
    def test_estimator_definition(self, step):
        assert "definition" in _not_refuted(EXPONENTIAL, step)

    def test_equation_between_sample_values_is_not_refuted(self):
        # x̄ = 2 may hold for the author's sample: the stand-in sample refutes only likelihood identities
        _not_refuted(EXPONENTIAL, r"\bar x = 2")
        _not_refuted(EXPONENTIAL, r"\frac{n}{\lambda} = \sum_{i=1}^n x_i")


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
        assert "sample" in _not_refuted(EXPONENTIAL, step)

    @pytest.mark.parametrize("step", [r"n I(\lambda) = \frac{n}{\lambda^2}", r"n\cdot I(\lambda) = n/\lambda^2",
                                      r"I_n(\lambda) = \frac{n}{\lambda^2}"])
    def test_information_with_its_n_is_proved(self, step):
        _proved(EXPONENTIAL, step)

    @pytest.mark.parametrize("step", [
        r"\frac{\partial^2}{\partial^2 \mu} \ln f(x|\mu) = -\frac{x}{\mu^2}",
        r"\frac{\delta^2}{\delta^2 \mu} \ln f(x|\mu) = -\frac{x}{\mu^2}",
        r"\frac{\delta}{\delta \mu} \ln f(x|\mu) = -1 + \frac{x}{\mu}",
        r"\frac{\delta^2}{\delta \mu^2} \ln f(x|\mu) = -\frac{x}{\mu^2}",
    ])
    def test_derivative_spellings(self, step):
        _proved(POISSON, step, "differentiation")

    def test_derivative_spelling_seeded_error_is_refuted(self):
        _refuted(POISSON, r"\frac{\delta^2}{\delta^2 \mu} \ln f(x|\mu) = -\frac{x}{\mu^3}")


class TestMaximumLikelihoodEstimate:
    """θ̂ = V after ℓ'(θ) = 0: proved when V solves the likelihood equation and ℓ'' < 0; else a definition."""

    @pytest.mark.parametrize("estimate", [r"\hat\lambda = n/\sum x_i", r"\hat{\lambda} = \frac{1}{\bar x}",
                                          r"\widehat{\lambda} = \frac{n}{\sum_{i=1}^n x_i}"])
    def test_the_root_of_the_likelihood_equation_is_proved(self, estimate):
        report = check(f"{EXPONENTIAL}\n$$ \\ell'(\\lambda) = n/\\lambda - \\sum x_i = 0 $$\n\n$$ {estimate} $$\n")
        v = report.steps[-1].verdict
        assert v.verdict == "proved" and v.rules == ("maximum-likelihood",), v.reason

    @pytest.mark.parametrize("estimate", [r"\hat\lambda = 2n/\sum x_i", r"\hat\lambda = \bar x",
                                          r"\hat\lambda = -\frac{1}{\bar x}"])
    def test_another_value_is_a_definition_never_refuted(self, estimate):
        report = check(f"{EXPONENTIAL}\n$$ \\ell'(\\lambda) = n/\\lambda - \\sum x_i = 0 $$\n\n$$ {estimate} $$\n")
        v = report.steps[-1].verdict
        assert v.verdict == "unknown" and "definition" in v.reason, v.reason

    def test_without_the_likelihood_equation_it_is_a_definition(self):
        assert "definition" in _not_refuted(EXPONENTIAL, r"\hat\lambda = n/\sum x_i")

    def test_concavity_not_decided_is_not_proved(self):
        # Poisson: ℓ'' = −Σxᵢ/μ² is 0 when every xᵢ = 0 (no maximum inside μ > 0): not proved
        report = check(f"{POISSON}\n$$ l'(\\mu) = -n + \\frac{{1}}{{\\mu}}\\sum_{{i=1}}^n x_i = 0 $$\n\n"
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
        _proved(EXPONENTIAL, step, "differentiation")

    def test_slash_derivative_seeded_sign_is_refuted(self):
        _refuted(EXPONENTIAL, r"\partial^2/\partial\lambda^2\,(\log\lambda - \lambda x) = 1/\lambda^2")


class TestSubscriptedDensityWithParameters:
    """f_X(x; θ), f_X(x | θ): the density with its parameters written after the point."""

    @pytest.mark.parametrize("step", [r"f_X(x; \lambda) = \lambda e^{-\lambda x}",
                                      r"f_X(x | \lambda) = \lambda e^{-\lambda x}",
                                      r"\log f_X(x; \lambda) = \log\lambda - \lambda x"])
    def test_read_as_the_density(self, step):
        _proved(EXPONENTIAL, step)

    def test_seeded_error_is_refuted(self):
        _refuted(EXPONENTIAL, r"f_X(x; \lambda) = \lambda e^{\lambda x}")


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
        text = (EXPONENTIAL + "\nA random sample.\n\n"
                "$$ \\log f(\\vec{x}|\\lambda) = n\\log\\lambda - \\lambda\\sum x_i $$\n")
        assert check(text).steps[0].verdict.verdict == "proved"


class TestDataReadingAcrossTheFile:
    """A bare ℓ(θ) beside a lone x reads one observation, unless the file writes ℓ of a sample elsewhere."""

    def test_lone_x_in_a_file_on_a_sample_is_not_read(self):
        text = (EXPONENTIAL + "\n$$ \\ell(\\lambda) = n\\log\\lambda - \\lambda\\sum x_i $$\n\n"
                "$$ \\ell(\\lambda) = \\log\\lambda - \\lambda x $$\n")
        verdicts = [s.verdict.verdict for s in check(text).steps]
        assert verdicts == ["proved", "unknown"]

    def test_lone_x_alone_is_one_observation(self):
        text = EXPONENTIAL + "\n$$ \\ell(\\lambda) = \\log\\lambda - \\lambda x $$\n"
        assert check(text).steps[0].verdict.verdict == "proved"

    def test_capital_sample_values(self):
        _proved(EXPONENTIAL, r"\mathbb{E}\left[\sum_{i=1}^n X_i\right] = \frac{n}{\lambda}")


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
