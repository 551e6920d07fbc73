"""Notation as people write it in real derivations (issue 12): each class is one helper's section.

Every reproducer from the real corpus comes with the other ways people write the same thing (found in
published pages), and with a seeded error that must be refuted, so that a test can fail.
"""

from __future__ import annotations

import pytest

from symfisher.check import check

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

    def test_capital_x_may_be_the_sample_and_is_not_read(self):
        assert verdict_of(POISSON_MU, r"l(X|\mu) = X\ln\mu - \mu - \ln X!") == "unknown"


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
