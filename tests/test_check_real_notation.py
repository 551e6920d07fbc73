"""The checker on notation people really write (issue 12): one section per helper, each in its own classes.

Every reproducer of the corpus is tested together with two or three other ways people write the same thing,
and each reading is tested with a seeded error that must be refuted (a test must be able to fail).
"""

from __future__ import annotations

import pytest

from symfisher.check import check
from symfisher.parse.lexer import latex_text, tokenize


def verdicts(text: str) -> list[str]:
    """The verdict of every step of a text, in order."""
    return [step.verdict.verdict for step in check(text).steps]


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
        assert step.verdict == "unknown" and "n observations" in step.reason

    @pytest.mark.parametrize("body", [
        r"$$I(\lambda) = \frac{n}{\lambda^2}$$",                  # false for one observation and for n
        r"$$I(\theta) = n I(\theta)$$",
    ])
    def test_false_either_way_is_refuted(self, body):
        assert verdicts(self.POISSON + body.replace(r"\theta", r"\lambda")) == ["refuted"]

    def test_written_apart_is_judged(self):
        assert verdicts(r"$$I_n(\theta) = I(\theta)$$") == ["refuted"]
