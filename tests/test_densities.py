"""Standard densities typed as in textbooks parse to the right SymPy expression.

Each row: LaTeX as a textbook prints it (several styles, several parametrizations,
Greek names including γ and β), its declarations, and the density written by hand
in SymPy. The model is fully validated (sign, normalization) and must agree with
the hand-written density at random points.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import sympy as sp

from symfisher.model import ModelSpec, build_model

pi, exp, sqrt, log, G = sp.pi, sp.exp, sp.sqrt, sp.log, sp.gamma
R, POS, UNIT, PINT = "real", "positive", "unit", "positive_integer"
REALS, HALF, UNIT_INTERVAL, COUNTS = r"(-\infty,\infty)", r"(0,\infty)", "(0,1)", r"\{0,1,2,\dots\}"

# (id, latex, parameters, constants, support, hand-written density as a function of the symbols)
TEXTBOOK = [
    ("normal-sigma", r"\frac{1}{\sigma\sqrt{2\pi}}\exp\left\{-\frac{1}{2}\left(\frac{x-\mu}{\sigma}\right)^2\right\}",
     [(r"\mu", R), (r"\sigma", POS)], [], REALS,
     lambda s: exp(-(s.x - s.mu) ** 2 / (2 * s.sigma ** 2)) / (s.sigma * sqrt(2 * pi))),
    ("normal-variance", r"\frac{1}{\sqrt{2\pi v}}e^{-\frac{(x-\mu)^2}{2v}}", [(r"\mu", R), ("v", POS)], [], REALS,
     lambda s: exp(-(s.x - s.mu) ** 2 / (2 * s.v)) / sqrt(2 * pi * s.v)),
    ("normal-unicode-with-lhs", "p(x|μ,σ) = \\frac{1}{σ\\sqrt{2π}} e^{-(x-μ)^2/(2σ^2)}", [("μ", R), ("σ", POS)], [],
     REALS, lambda s: exp(-(s.x - s.mu) ** 2 / (2 * s.sigma ** 2)) / (s.sigma * sqrt(2 * pi))),
    ("exponential-rate", r"\lambda\mathrm{e}^{-\lambda x}", [(r"\lambda", POS)], [], HALF,
     lambda s: s.lambda_ * exp(-s.lambda_ * s.x)),
    ("exponential-scale", r"\frac{1}{\theta}\exp(-x/\theta)", [(r"\theta", POS)], [], r"[0,\infty)",
     lambda s: exp(-s.x / s.theta) / s.theta),
    ("gamma-shape-rate", r"\frac{\beta^{\alpha}x^{\alpha-1}e^{-\beta x}}{\Gamma(\alpha)}", [(r"\alpha", POS), (r"\beta", POS)],
     [], HALF, lambda s: s.beta ** s.alpha * s.x ** (s.alpha - 1) * exp(-s.beta * s.x) / G(s.alpha)),
    ("gamma-shape-scale", r"\frac{x^{k-1}e^{-x/\theta}}{\theta^k\,\Gamma(k)}", [("k", POS), (r"\theta", POS)], [], HALF,
     lambda s: s.x ** (s.k - 1) * exp(-s.x / s.theta) / (s.theta ** s.k * G(s.k))),
    ("chi-square", r"\frac{1}{2^{k/2}\Gamma(k/2)}x^{k/2-1}e^{-x/2}", [("k", POS)], [], HALF,
     lambda s: s.x ** (s.k / 2 - 1) * exp(-s.x / 2) / (2 ** (s.k / 2) * G(s.k / 2))),
    ("beta-gamma-functions", r"\frac{\Gamma(\alpha+\beta)}{\Gamma(\alpha)\Gamma(\beta)}x^{\alpha-1}(1-x)^{\beta-1}",
     [(r"\alpha", POS), (r"\beta", POS)], [], UNIT_INTERVAL,
     lambda s: G(s.alpha + s.beta) / (G(s.alpha) * G(s.beta)) * s.x ** (s.alpha - 1) * (1 - s.x) ** (s.beta - 1)),
    ("beta-B-function", r"\frac{1}{\mathrm{B}(\alpha,\beta)}x^{\alpha-1}(1-x)^{\beta-1}", [(r"\alpha", POS), (r"\beta", POS)],
     [], "[0,1]", lambda s: s.x ** (s.alpha - 1) * (1 - s.x) ** (s.beta - 1) / sp.beta(s.alpha, s.beta)),
    ("weibull", r"\frac{k}{\lambda}\left(\frac{x}{\lambda}\right)^{k-1}\mathrm{e}^{-(x/\lambda)^{k}}",
     [("k", POS), (r"\lambda", POS)], [], HALF,
     lambda s: s.k / s.lambda_ * (s.x / s.lambda_) ** (s.k - 1) * exp(-(s.x / s.lambda_) ** s.k)),
    ("cauchy-gamma", r"\frac{1}{\pi\gamma}\,\frac{\gamma^2}{(x-x_0)^2+\gamma^2}", [("x_0", R), (r"\gamma", POS)], [], REALS,
     lambda s: s.gamma / (pi * ((s.x - s.x_0) ** 2 + s.gamma ** 2))),
    ("laplace", r"\frac{1}{2b}\exp\left(-\frac{|x-\mu|}{b}\right)", [(r"\mu", R), ("b", POS)], [], REALS,
     lambda s: exp(-sp.Abs(s.x - s.mu) / s.b) / (2 * s.b)),
    ("logistic", r"\frac{\exp\left(-\frac{x-\mu}{s}\right)}{s\left(1+\exp\left(-\frac{x-\mu}{s}\right)\right)^{2}}",
     [(r"\mu", R), ("s", POS)], [], REALS,
     lambda s: exp(-(s.x - s.mu) / s.s) / (s.s * (1 + exp(-(s.x - s.mu) / s.s)) ** 2)),
    ("rayleigh", r"\frac{x}{\sigma^{2}}\exp\left(-\frac{x^{2}}{2\sigma^{2}}\right)", [(r"\sigma", POS)], [], HALF,
     lambda s: s.x / s.sigma ** 2 * exp(-s.x ** 2 / (2 * s.sigma ** 2))),
    ("maxwell", r"\sqrt{\frac{2}{\pi}}\,\frac{x^2}{a^3}\,e^{-x^2/(2a^2)}", [("a", POS)], [], HALF,
     lambda s: sqrt(2 / pi) * s.x ** 2 / s.a ** 3 * exp(-s.x ** 2 / (2 * s.a ** 2))),
    ("lognormal-natural-log", r"\frac{1}{x\sigma\sqrt{2\pi}}e^{-\frac{(\log x-\mu)^2}{2\sigma^2}}",
     [(r"\mu", R), (r"\sigma", POS)], [], HALF,
     lambda s: exp(-(log(s.x) - s.mu) ** 2 / (2 * s.sigma ** 2)) / (s.x * s.sigma * sqrt(2 * pi))),
    ("pareto-moving-support", r"\alpha\, x_m^{\alpha}\, x^{-\alpha-1}", [(r"\alpha", POS), ("x_m", POS)], [], r"[x_m,\infty)",
     lambda s: s.alpha * s.x_m ** s.alpha * s.x ** (-s.alpha - 1)),
    ("inverse-gaussian", r"\left(\frac{\lambda}{2\pi x^{3}}\right)^{1/2}\exp\left[-\frac{\lambda(x-\mu)^{2}}{2\mu^{2}x}\right]",
     [(r"\mu", POS), (r"\lambda", POS)], [], HALF,
     lambda s: sqrt(s.lambda_ / (2 * pi * s.x ** 3)) * exp(-s.lambda_ * (s.x - s.mu) ** 2 / (2 * s.mu ** 2 * s.x))),
    ("gumbel-beta", r"\frac{1}{\beta}\exp\left(-\frac{x-\mu}{\beta}\right)\exp\left(-e^{-(x-\mu)/\beta}\right)",
     [(r"\mu", R), (r"\beta", POS)], [], REALS,
     lambda s: exp(-(s.x - s.mu) / s.beta - exp(-(s.x - s.mu) / s.beta)) / s.beta),
    ("half-normal", r"\frac{\sqrt{2}}{\sigma\sqrt{\pi}}\exp\left(-\frac{x^2}{2\sigma^2}\right)", [(r"\sigma", POS)], [], HALF,
     lambda s: sqrt(2) / (s.sigma * sqrt(pi)) * exp(-s.x ** 2 / (2 * s.sigma ** 2))),
    ("student-t", r"\frac{\Gamma\left(\frac{\nu+1}{2}\right)}{\sqrt{\nu\pi}\,\sigma\,\Gamma\left(\frac{\nu}{2}\right)}"
                  r"\left[1+\frac{1}{\nu}\left(\frac{x-\mu}{\sigma}\right)^{2}\right]^{-\frac{\nu+1}{2}}",
     [(r"\mu", R), (r"\sigma", POS)], [(r"\nu", POS)], REALS,
     lambda s: G((s.nu + 1) / 2) / (sqrt(s.nu * pi) * s.sigma * G(s.nu / 2))
     * (1 + ((s.x - s.mu) / s.sigma) ** 2 / s.nu) ** (-(s.nu + 1) / 2)),
    ("uniform-zero-theta", r"\frac{1}{\theta}", [(r"\theta", POS)], [], r"(0,\theta)", lambda s: 1 / s.theta),
    ("bernoulli", r"\theta^x(1-\theta)^{1-x}", [(r"\theta", UNIT)], [], r"\{0,1\}",
     lambda s: s.theta ** s.x * (1 - s.theta) ** (1 - s.x)),
    ("bernoulli-logit", r"\frac{\exp(\eta x)}{1+\exp(\eta)}", [(r"\eta", R)], [], r"\{0,1\}",
     lambda s: exp(s.eta * s.x) / (1 + exp(s.eta))),
    ("binomial", r"\binom{n}{x}\theta^{x}(1-\theta)^{n-x}", [(r"\theta", UNIT)], [("n", PINT)], r"\{0,1,\dots,n\}",
     lambda s: sp.binomial(s.n, s.x) * s.theta ** s.x * (1 - s.theta) ** (s.n - s.x)),
    ("poisson", r"\frac{e^{-\lambda}\lambda^{x}}{x!}", [(r"\lambda", POS)], [], COUNTS,
     lambda s: exp(-s.lambda_) * s.lambda_ ** s.x / sp.factorial(s.x)),
    ("poisson-log-rate", r"\frac{\exp(\eta x - e^{\eta})}{x!}", [(r"\eta", R)], [], COUNTS,
     lambda s: exp(s.eta * s.x - exp(s.eta)) / sp.factorial(s.x)),
    ("zero-truncated-poisson", r"\frac{\lambda^x}{(e^{\lambda}-1)\,x!}", [(r"\lambda", POS)], [], r"\{1,2,\dots\}",
     lambda s: s.lambda_ ** s.x / ((exp(s.lambda_) - 1) * sp.factorial(s.x))),
    ("geometric-failures", r"(1-p)^x p", [("p", UNIT)], [], COUNTS, lambda s: (1 - s.p) ** s.x * s.p),
    ("negative-binomial", r"\binom{x+r-1}{r-1}p^r(1-p)^x", [("p", UNIT)], [("r", PINT)], COUNTS,
     lambda s: sp.binomial(s.x + s.r - 1, s.r - 1) * s.p ** s.r * (1 - s.p) ** s.x),
    ("beta-binomial", r"\binom{n}{x}\frac{B(x+\alpha,n-x+\beta)}{B(\alpha,\beta)}", [(r"\alpha", POS), (r"\beta", POS)],
     [("n", PINT)], r"\{0,1,\dots,n\}",
     lambda s: sp.binomial(s.n, s.x) * sp.beta(s.x + s.alpha, s.n - s.x + s.beta) / sp.beta(s.alpha, s.beta)),
    ("linear-regression", r"\frac{1}{\sqrt{2\pi}\sigma}e^{-\frac{(y-\beta_0-\beta_1 z)^2}{2\sigma^2}}",
     [(r"\beta_0", R), (r"\beta_1", R), (r"\sigma", POS)], [("z", R)], REALS,
     lambda s: exp(-(s.y - s.beta_0 - s.beta_1 * s.z) ** 2 / (2 * s.sigma ** 2)) / (sqrt(2 * pi) * s.sigma)),
]


def symbols_of(model) -> SimpleNamespace:
    names = {model.variable.name: model.variable, **{d.name: d.symbol for d in model.declared}}
    return SimpleNamespace(**{("lambda_" if k == "lambda" else k): v for k, v in names.items()})


@pytest.mark.parametrize("latex, params, consts, support, expected", [r[1:] for r in TEXTBOOK],
                         ids=[r[0] for r in TEXTBOOK])
def test_textbook_density(latex, params, consts, support, expected, same):
    variable = "y" if "y" in latex and "y-" in latex else "x"
    model = build_model(ModelSpec(density=latex, parameters=tuple(params), constants=tuple(consts),
                                  support=support, variable=variable), symbolic_seconds=2)
    assert [p.source for p in model.parameters] == [name for name, _ in params]  # order kept
    s = symbols_of(model)
    same(model.density, expected(s))


def test_table_covers_the_issue():
    assert len(TEXTBOOK) >= 20
    discrete = [r for r in TEXTBOOK if r[4].startswith(r"\{")]
    assert len(discrete) >= 5 and len(TEXTBOOK) - len(discrete) >= 15
