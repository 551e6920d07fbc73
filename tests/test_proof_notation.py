"""The proof reader reads the notation people write (issue 12): application, not products; scalar θ.

Each row is a reproducer named after the phenomenon; seeded variants show that a reading never turns a
false equation into ✓ nor a true one into ✗.
"""

from __future__ import annotations

import pytest

from symfisher.check import check

EXPONENTIAL = "---\nmodel:\n  density: \\lambda e^{-\\lambda x}\n  parameters: [\\lambda: positive]\n" \
              "  support: (0, \\infty)\n---\n"
POISSON = "---\nmodel:\n  density: \\frac{\\lambda^x e^{-\\lambda}}{x!}\n  parameters: [\\lambda: positive]\n" \
          "  support: \\{0, 1, 2, \\dots\\}\n---\n"
BERNOULLI = "---\nmodel:\n  density: p^x (1-p)^{1-x}\n  parameters: [p: unit]\n  support: \\{0, 1\\}\n---\n"
THETA = "---\nmodel:\n  density: \\theta e^{-\\theta x}\n  parameters: [\\theta: positive]\n" \
        "  support: (0, \\infty)\n---\n"
NORMAL = "---\nmodel:\n  density: \\frac{1}{\\sqrt{2\\pi\\sigma^2}} e^{-\\frac{(x-\\mu)^2}{2\\sigma^2}}\n" \
         "  parameters: [\\mu: real, \\sigma: positive]\n---\n"


def verdicts(head: str, body: str) -> list[str]:
    report = check(head + "$$\n\\begin{aligned}\n" + body + "\n\\end{aligned}\n$$\n")
    return [s.verdict.verdict for s in report.steps]


def reasons(head: str, body: str) -> list[str]:
    report = check(head + "$$\n\\begin{aligned}\n" + body + "\n\\end{aligned}\n$$\n")
    return [s.verdict.reason for s in report.steps]


# (id, model, body, expected verdicts)
CASES = [
    # the Fisher information applied to its parameter: application, never F·λ
    ("F-of-lambda", EXPONENTIAL, r"F(\lambda) = \frac{1}{\lambda^2}", ["proved"]),
    ("bold-F-of-lambda", EXPONENTIAL, r"\mathbf{F}(\lambda) = \frac{1}{\lambda^2}", ["proved"]),
    ("F-of-lambda-false", EXPONENTIAL, r"F(\lambda) = \frac{1}{\lambda}", ["refuted"]),
    ("I-of-lambda", EXPONENTIAL, r"I(\lambda) = \frac{1}{\lambda^2}", ["proved"]),
    ("mathcal-I", EXPONENTIAL, r"\mathcal{I}(\lambda) = \lambda^{-2}", ["proved"]),
    ("I-sub-X", BERNOULLI, r"I_X(p) = \frac{1}{p(1-p)}", ["proved"]),
    ("I-sub-n", EXPONENTIAL, r"I_n(\lambda) = n I(\lambda)", ["proved"]),
    ("I-sub-n-value", EXPONENTIAL, r"I_n(\lambda) = \frac{n}{\lambda^2}", ["proved"]),
    ("I-sub-n-missing-n", EXPONENTIAL, r"I_n(\lambda) = \frac{1}{\lambda^2}", ["refuted"]),
    ("slash-division", POISSON, r"I_n(\lambda) = n/\lambda", ["proved"]),
    ("slash-ambiguous", POISSON, r"\frac{1}{2\lambda} = 1/2\lambda", ["unknown"]),
    # the correct Poisson and Bernoulli proofs of the issue
    ("poisson-proof", POISSON, r"F(\lambda) &= -\mathbb{E}[\frac{\partial^2}{\partial\lambda^2}\log p(x|\lambda)] \\"
     r" &= \mathbb{E}[\frac{x}{\lambda^2}] \\ &= \frac{\lambda}{\lambda^2} \\ &= \frac{1}{\lambda}", ["proved"] * 4),
    ("bernoulli-proof", BERNOULLI, r"F(p) &= \mathbb{E}[(\frac{x}{p}-\frac{1-x}{1-p})^2] \\"
     r" &= p\cdot\frac{1}{p^2} + (1-p)\cdot\frac{1}{(1-p)^2} \\ &= \frac{1}{p(1-p)}", ["proved"] * 3),
    ("bernoulli-seeded", BERNOULLI, r"F(p) &= \mathbb{E}[(\frac{x}{p}-\frac{1-x}{1-p})^2] \\"
     r" &= p\cdot\frac{1}{p^2} + (1-p)\cdot\frac{1}{(1-p)} \\ &= \frac{1}{p(1-p)}", ["proved", "refuted", "refuted"]),
    # a declared θ is a scalar of a one-parameter model
    ("theta-scalar-moment", THETA, r"\mathbb{E}[x] = 1/\theta", ["proved"]),
    ("theta-scalar-power", THETA, r"\theta^2 = \theta\cdot\theta", ["proved"]),
    ("theta-scalar-sum", THETA, r"-\frac{1}{2\theta^2} + \frac{1}{\theta^2} = \frac{1}{2\theta^2}", ["proved"]),
    ("theta-scalar-seeded", THETA, r"-\frac{1}{2\theta^2} + \frac{1}{\theta^2} = \frac{1}{\theta^2}", ["refuted"]),
    ("theta-fisher", THETA, r"I(\theta) = \frac{1}{\theta^2}", ["proved"]),
    # expectations as people write them
    ("E-brackets", POISSON, r"E[x] = \lambda", ["proved"]),
    ("E-parentheses", POISSON, r"E(X) = \lambda", ["proved"]),
    ("operatorname-E", POISSON, r"\operatorname{E}[X^2] = \lambda + \lambda^2", ["proved"]),
    ("mathrm-E-sub", POISSON, r"\mathrm{E}_\lambda[X] = \lambda", ["proved"]),
    ("mathbb-E-sub", POISSON, r"\mathbb{E}_\lambda[X] = 2\lambda", ["refuted"]),
    ("E-sub-p", BERNOULLI, r"E_p[X] = p", ["proved"]),
    ("E-parentheses-power-ambiguous", POISSON, r"E(X-\lambda)^2 = \lambda", ["unknown"]),
    ("E-brackets-power", POISSON, r"E[X-\lambda]^2 = 0", ["proved"]),
    ("E-other-measure", POISSON, r"E_{\theta_0}[X] = \lambda", ["unknown"]),
    ("covariance", POISSON, r"\mathrm{Cov}(X, X) = \lambda", ["proved"]),
    ("ln-without-backslash", POISSON, r"\ln p(x|\lambda) = x ln \lambda - \lambda - \ln x!", ["proved"]),
    ("left-right-E", POISSON, r"E\left[\frac{X}{\lambda^2}\right] = \frac{1}{\lambda}", ["proved"]),
    ("normal-fisher-matrix", NORMAL,
     r"I(\mu, \sigma) = \begin{bmatrix} 1/\sigma^2 & 0 \\ 0 & 2/\sigma^2 \end{bmatrix}", ["proved"]),
    ("normal-fisher-matrix-seeded", NORMAL,
     r"I(\mu, \sigma) = \begin{bmatrix} 1/\sigma^2 & 0 \\ 0 & 1/\sigma^2 \end{bmatrix}", ["refuted"]),
    ("pdv-two-parameters", NORMAL, r"\pdv{\mu}\log f(x|\mu,\sigma) = \frac{x-\mu}{\sigma^2}", ["proved"]),
    # ℓ(λ) = log L(λ) the first time the text writes ℓ: its definition (rule definition-log-likelihood)
    ("defined-log-likelihood", EXPONENTIAL, r"\ell(\lambda) = \log L(\lambda)", ["proved"]),
    ("defined-log-likelihood-wrong", EXPONENTIAL, r"\ell(\lambda) = \log L(\lambda) + 1", ["unknown"]),
    ("log-likelihood-of-L", EXPONENTIAL, r"\log L(\lambda; x) = \log \lambda - \lambda x", ["proved"]),
    ("variance", POISSON, r"\operatorname{Var}(X) = \lambda", ["proved"]),
    ("variance-rule", POISSON, r"\mathrm{Var}(X) = E[X^2] - E[X]^2", ["proved"]),
    ("variance-seeded", POISSON, r"\mathrm{Var}(X) = E[X^2] + E[X]^2", ["refuted"]),
    ("variance-of-score", POISSON, r"I(\lambda) = \mathrm{Var}(\frac{x}{\lambda} - 1)", ["proved"]),
    # densities and log-likelihoods
    ("f-semicolon", EXPONENTIAL, r"\log f(x;\lambda) = \log\lambda - \lambda x", ["proved"]),
    ("f-bar", EXPONENTIAL, r"f(x|\lambda) = \lambda e^{-\lambda x}", ["proved"]),
    ("f-sub-theta", THETA, r"f_\theta(x) = \theta e^{-\theta x}", ["proved"]),
    ("f-sub-X", THETA, r"f_X(x) = \theta e^{-\theta x}", ["proved"]),
    ("f-seeded", THETA, r"f_\theta(x) = e^{-\theta x}", ["refuted"]),
    ("likelihood", EXPONENTIAL, r"L(\lambda; x) = \lambda e^{-\lambda x}", ["proved"]),
    ("log-likelihood", EXPONENTIAL, r"\ell(\lambda; x) = \ln\lambda - \lambda x", ["proved"]),
    ("log-without-backslash", EXPONENTIAL, r"\ell(\lambda; x) = log(\lambda) - \lambda x", ["proved"]),
    ("ell-prime", EXPONENTIAL, r"\ell'(\lambda) = \frac{d}{d\lambda}\ell(\lambda)", ["proved"]),
    ("l-double-prime", EXPONENTIAL, r"l^{\prime\prime}(\lambda) = \frac{d^2}{d\lambda^2} l(\lambda)", ["proved"]),
    ("ell-opaque", EXPONENTIAL, r"\ell(\lambda) = \log\lambda", ["unknown"]),
    # derivatives
    ("d-over-d-lambda", EXPONENTIAL, r"\frac{d}{d\lambda}\log p(x|\lambda) = \frac{1}{\lambda} - x", ["proved"]),
    ("partial-sub", EXPONENTIAL, r"\partial_\lambda \log p(x|\lambda) = \frac{1}{\lambda} - x", ["proved"]),
    ("pdv", EXPONENTIAL, r"\pdv{\lambda}\log p(x|\lambda) = \frac{1}{\lambda} - x", ["proved"]),
    ("pdv-two", EXPONENTIAL, r"\pdv[2]{\log p(x|\lambda)}{\lambda} = -\frac{1}{\lambda^2}", ["proved"]),
    ("dv", EXPONENTIAL, r"\dv{\log p(x|\lambda)}{\lambda} = \frac{1}{\lambda} + x", ["refuted"]),
    ("mathbb-R-integral", EXPONENTIAL, r"\int_{\mathbb{R}} p(x|\lambda) \dd{x} = 1", ["proved"]),
    # a parameter named p beside the density p
    ("parameter-p", BERNOULLI, r"\frac{1}{p} + \frac{1}{1-p} = \frac{1}{p(1-p)}", ["proved"]),
    ("parameter-p-seeded", BERNOULLI, r"\frac{1}{p} + \frac{1}{1-p} = \frac{2}{p(1-p)}", ["refuted"]),
    ("density-p-with-parameter-p", BERNOULLI, r"p(x|p) = p^x (1-p)^{1-x}", ["proved"]),
    # abstract setting: θ is a scalar unless the text makes it a vector
    ("abstract-normalization", "", r"\frac{\partial}{\partial\theta}\int p(x|\theta)\,dx = 0", ["proved"]),
    ("abstract-bare-p-normalization", "", r"\frac{\partial}{\partial\theta}\int p\,dx = 0", ["proved"]),
    ("abstract-bare-p-seeded", "", r"\frac{\partial}{\partial\theta}\int p\,dx = 1", ["refuted"]),
    ("abstract-d-normalization", "", r"\frac{d}{d\theta}\int f(x;\theta)\,dx = 0", ["proved"]),
    ("abstract-generic-symbols", "", r"\frac{\sigma^2}{\sigma^4} = \frac{1}{\sigma^2}", ["proved"]),
    ("abstract-function-or-product", "", r"T(2X) = 2T(X)", ["unknown"]),
    ("abstract-greek-times-parentheses", "", r"\sigma(a + b) = \sigma a + \sigma b", ["proved"]),
    ("abstract-generic-seeded", "", r"\frac{\sigma^2}{\sigma^4} = \frac{2}{\sigma^2}", ["unknown"]),
    ("abstract-fisher-forms", "", r"I(\theta) = E[(\frac{\partial}{\partial\theta}\log f(x;\theta))^2]", ["proved"]),
    ("abstract-vector-shape", "", r"\nabla_\theta \int p(x|\theta)\,dx = 0", ["proved"]),
    ("abstract-score-mean", "", r"E[s(x|\theta)] = 0", ["proved"]),
    ("abstract-second-derivative-form", "",
     r"I(\theta) = -E[\frac{\partial^2}{\partial\theta^2}\log f(x;\theta)]", ["proved"]),
    ("abstract-second-derivative-form-seeded", "",
     r"I(\theta) = E[\frac{\partial^2}{\partial\theta^2}\log f(x;\theta)]", ["refuted"]),
    ("abstract-I-n", "", r"I_n(\theta) = n E[(\partial_\theta \log p(x|\theta))^2]", ["proved"]),
    # without a model, a step that writes x or θ outside p may be true of the author's (undeclared) model
    ("abstract-bernoulli-not-refuted", "", r"I(\theta) &= -E\left[\frac{\partial^2}{\partial\theta^2}"
     r"\log\left(\theta^X(1-\theta)^{1-X}\right)\right] \\ &= \frac{1}{\theta(1-\theta)}", ["unknown", "unknown"]),
    ("abstract-model-score-not-refuted", "",
     r"\frac{\partial}{\partial\theta}\log f(x;\theta) = \frac{x}{\theta} - \frac{1-x}{1-\theta}", ["unknown"]),
    ("abstract-pure-calculus-refuted", "", r"\frac{d}{d\theta}\log\theta = \frac{1}{\theta^2}", ["refuted"]),
    ("abstract-outside-domain-not-refuted", "", r"\log\theta^2 = 2\log\theta", ["unknown"]),
    ("abstract-I-n-seeded", "", r"I_n(\theta) = E[(\partial_\theta \log p(x|\theta))^2]", ["refuted"]),
]


@pytest.mark.parametrize("model, body, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_notation_as_people_write_it(model, body, expected):
    assert verdicts(model, body) == expected, reasons(model, body)


def test_a_wrong_claim_read_as_a_product_is_never_proved():
    # F(λ) = 1/λ was ✓ when F(λ) was read as F·λ = λ/λ²
    assert "proved" not in verdicts(EXPONENTIAL, r"F(\lambda) = \frac{1}{\lambda}")
    assert "proved" not in verdicts(EXPONENTIAL, r"\mathbf{F}(\lambda) = \frac{1}{\lambda}")


def test_an_ambiguous_application_is_unknown_with_its_reason():
    # F applied to something that is not the parameter: no reading is certain
    (reason,) = reasons(EXPONENTIAL, r"F(2) = \frac{1}{4}")
    assert "F" in reason and verdicts(EXPONENTIAL, r"F(2) = \frac{1}{4}") == ["unknown"]
    # p(x) beside a parameter p: the density or p·x
    assert verdicts(BERNOULLI, r"p(x) = p^x (1-p)^{1-x}") == ["unknown"]


def test_messages_show_latex_with_single_backslashes():
    (reason,) = reasons("", r"\mathcal{Q}(\theta) = 1")
    assert r"\mathcal" in reason and r"\\mathcal" not in reason


def test_vector_theta_keeps_its_shape_errors():
    text = "$$\n\\nabla_\\theta \\log p(x|\\theta) = \\log p(x|\\theta)\n$$\n"
    report = check(text)
    assert report.steps[0].verdict.verdict == "refuted" and "shape" in report.steps[0].verdict.reason


# --------------------------------------------------------------------------- whole derivations, as published

LECTURE_POISSON = POISSON + r"""
The log-likelihood of one observation and its derivatives:

$$
\begin{aligned}
\ell(\lambda; x) &= x\log\lambda - \lambda - \log x! \\
\ell'(\lambda; x) &= \frac{x}{\lambda} - 1 \\
\ell''(\lambda; x) &= -\frac{x}{\lambda^2}
\end{aligned}
$$

so that

$$
\begin{aligned}
\mathcal{I}(\lambda) &= -\mathbb{E}_\lambda\left[\ell''(\lambda; X)\right] \\
&= \frac{E[X]}{\lambda^2} \\
&= \frac{1}{\lambda}
\end{aligned}
$$

and for a sample of n, $$ I_n(\lambda) = n I(\lambda) = n/\lambda $$
"""


def test_a_lecture_note_derivation_is_proved_step_by_step():
    report = check(LECTURE_POISSON)
    assert [s.verdict.verdict for s in report.steps] == ["proved"] * 8, \
        [(s.link.index, s.verdict) for s in report.steps]
    assert report.valid is True


@pytest.mark.parametrize("old, new, first", [
    (r"&= \frac{x}{\lambda} - 1", r"&= \frac{x}{\lambda} + 1", 2),          # a sign
    (r"&= \frac{E[X]}{\lambda^2}", r"&= \frac{E[X^2]}{\lambda^2}", 5),      # a wrong moment
    (r"n I(\lambda) = n/\lambda", r"n I(\lambda) = 1/\lambda", 8),          # a missing n
    (r"&= -\frac{x}{\lambda^2}", r"&= -\frac{2x}{\lambda^2}", 3),           # a factor 2
])
def test_a_seeded_error_in_a_lecture_note_is_found_at_its_step(old, new, first):
    assert old in LECTURE_POISSON
    report = check(LECTURE_POISSON.replace(old, new))
    assert report.first_error == first, [(s.link.index, s.verdict) for s in report.steps]
    # the seeded step is never proved, and no step before it is refuted
    assert all(s.verdict.verdict != "refuted" for s in report.steps if s.link.index < first)


TEXTBOOK_SCORE_MEAN = r"""
For a scalar parameter,

$$
\begin{aligned}
E\left[\frac{\partial}{\partial\theta}\log f(X;\theta)\right]
&= \int \left(\frac{\partial}{\partial\theta}\log f(x;\theta)\right) f(x;\theta)\,dx \\
&= \int \frac{\frac{\partial}{\partial\theta} f(x;\theta)}{f(x;\theta)} f(x;\theta)\,dx \\
&= \int \frac{d}{d\theta} f(x;\theta)\,dx \\
&= \frac{d}{d\theta}\int_{\mathbb{R}} f(x;\theta)\,dx \\
&= 0
\end{aligned}
$$
"""


def test_a_textbook_score_mean_with_scalar_theta_is_proved():
    report = check(TEXTBOOK_SCORE_MEAN)
    assert [s.verdict.verdict for s in report.steps] == ["proved"] * 5, \
        [(s.link.index, s.verdict) for s in report.steps]
    assert "regularity condition" in report.steps[3].verdict.reason


def test_a_dropped_factor_in_a_textbook_score_mean_is_refuted_at_its_step():
    report = check(TEXTBOOK_SCORE_MEAN.replace(r"{f(x;\theta)} f(x;\theta)\,dx", r"{f(x;\theta)}\,dx"))
    assert report.first_error == 2, [(s.link.index, s.verdict) for s in report.steps]


def test_the_reach_of_a_derivative_before_a_product_is_not_guessed():
    # ∂/∂θ log f · f: log f alone (what the author means) or the product? read as the product, the true
    # step was refuted; now it is unknown with the reason
    text = TEXTBOOK_SCORE_MEAN.replace(r"\left(\frac{\partial}{\partial\theta}\log f(x;\theta)\right) f",
                                       r"\frac{\partial}{\partial\theta}\log f(x;\theta)\, f")
    report = check(text)
    assert [s.verdict.verdict for s in report.steps][:2] == ["unknown", "unknown"]
    assert "reach" in report.steps[0].verdict.reason and report.first_error is None
    # one factor that depends on θ: the operator takes the whole product, as in the note
    assert verdicts("", r"\frac{\partial}{\partial\theta} 3 \log\theta = \frac{3}{\theta}") == ["proved"]
