"""Reference values for the soundness corpus, computed independently of symfisher.

Every density of ``models.yaml`` is transcribed here by hand into SymPy (Python code, not a parsed
string), differentiated by SymPy, and its score mean E[s], Fisher matrix E[s sᵀ] and −E[H] are
integrated with mpmath ``quad`` (or summed with ``nsum``) at random parameter points of the declared
domains, drawn with a fixed seed. Nothing here imports symfisher: the harness compares symfisher's
output with these numbers.

Where a textbook gives the Fisher matrix in closed form, :data:`TEXTBOOK` holds it; the harness checks
it against the quadrature too, so a wrong transcription shows up from either side.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import mpmath
import sympy as sp

#: Working precision of the reference integrals (digits).
DPS = 20
#: Seed of the reference parameter points.
SEED = 20261125

x = sp.Symbol("x", real=True)


def _sym(name: str) -> sp.Symbol:
    """A plain real symbol: the reference needs no assumptions, values are substituted before integrating."""
    return sp.Symbol(name, real=True)


# names as symfisher spells them (SymPy symbol names: \lambda -> lambda, x_{m} -> x_m)
S = {n: _sym(n) for n in ["s", "theta", "a", "alpha", "beta", "c", "v", "gamma", "eta", "b", "k", "lambda",
                          "nu", "tau", "mu", "Omega", "m", "p", "rho", "q", "r", "x_m"]}
pi, exp, log, sqrt = sp.pi, sp.exp, sp.log, sp.sqrt


@dataclass(frozen=True)
class Transcription:
    """One density, typed again by hand: f(x; θ), its support and where reference points are drawn."""

    density: Callable[[dict[str, sp.Symbol]], sp.Expr]
    lower: Callable[[dict[str, sp.Symbol]], sp.Expr]
    upper: Callable[[dict[str, sp.Symbol]], sp.Expr]
    discrete: bool = False
    # per-name sampling ranges that override the domain's (still inside the declared domain)
    ranges: tuple[tuple[str, float, float], ...] = ()


def _c(lo, hi, discrete=False, ranges=()):
    """Shorthand: a support given by constants or by functions of the symbols."""
    lower = lo if callable(lo) else (lambda s, v=lo: sp.S(v))
    upper = hi if callable(hi) else (lambda s, v=hi: sp.S(v))
    return lower, upper, discrete, ranges


oo = sp.oo
POS = (0, oo)
REAL = (-oo, oo)
UNIT = (0, 1)

#: name -> (density transcription, support). Written from the sources named in models.yaml.
TRANSCRIPTIONS: dict[str, Transcription] = {name: Transcription(f, *_c(*sup)) for name, (f, sup) in {
    "rayleigh_variance": (lambda s: x / s["s"] * exp(-x**2 / (2 * s["s"])), POS),
    "rayleigh_rate": (lambda s: 2 * s["theta"] * x * exp(-s["theta"] * x**2), POS),
    "maxwell_boltzmann": (lambda s: sqrt(2 / pi) * x**2 / s["a"]**3 * exp(-x**2 / (2 * s["a"]**2)), POS),
    "log_logistic_known_shape": (lambda s: (s["beta"] / s["alpha"]) * (x / s["alpha"])**(s["beta"] - 1)
                                 / (1 + (x / s["alpha"])**s["beta"])**2, POS),
    "frechet_known_shape": (lambda s: s["alpha"] / s["s"] * (x / s["s"])**(-1 - s["alpha"])
                            * exp(-(x / s["s"])**(-s["alpha"])), POS),
    "levy_scale": (lambda s: sqrt(s["c"] / (2 * pi)) * exp(-s["c"] / (2 * x)) / x**sp.Rational(3, 2), POS),
    "half_normal_variance": (lambda s: sqrt(2 / (pi * s["v"])) * exp(-x**2 / (2 * s["v"])), POS),
    "half_cauchy": (lambda s: 2 / (pi * s["gamma"] * (1 + (x / s["gamma"])**2)), POS),
    "gompertz_known_b": (lambda s: s["b"] * s["eta"] * exp(s["eta"]) * exp(s["b"] * x)
                         * exp(-s["eta"] * exp(s["b"] * x)), POS),
    "weibull_known_shape": (lambda s: s["k"] / s["lambda"] * (x / s["lambda"])**(s["k"] - 1)
                            * exp(-(x / s["lambda"])**s["k"]), POS),
    "weibull_rate_known_shape": (lambda s: s["k"] * s["theta"] * x**(s["k"] - 1) * exp(-s["theta"] * x**s["k"]),
                                 POS),
    "generalized_normal_beta": (lambda s: s["beta"] / (2 * sp.gamma(1 / s["beta"])) * exp(-sp.Abs(x)**s["beta"]),
                                REAL),
    "power_function": (lambda s: s["a"] * x**(s["a"] - 1), UNIT),
    "generalized_arcsine": (lambda s: sp.sin(pi * s["a"]) / pi * x**(s["a"] - 1) * (1 - x)**(-s["a"]), UNIT),
    "symmetric_beta": (lambda s: x**(s["a"] - 1) * (1 - x)**(s["a"] - 1) * sp.gamma(2 * s["a"])
                       / sp.gamma(s["a"])**2, UNIT),
    "topp_leone": (lambda s: s["nu"] * (2 - 2 * x) * (2 * x - x**2)**(s["nu"] - 1), UNIT),
    "lindley": (lambda s: s["theta"]**2 / (1 + s["theta"]) * (1 + x) * exp(-s["theta"] * x), POS),
    "erlang_known_shape": (lambda s: s["lambda"]**s["k"] * x**(s["k"] - 1) * exp(-s["lambda"] * x)
                           / sp.factorial(s["k"] - 1), POS),
    "chi_squared_dof": (lambda s: x**(s["nu"] / 2 - 1) * exp(-x / 2) / (2**(s["nu"] / 2) * sp.gamma(s["nu"] / 2)),
                        POS),
    "normal_precision": (lambda s: sqrt(s["tau"] / (2 * pi)) * exp(-s["tau"] * x**2 / 2), REAL),
    "normal_unit_variance": (lambda s: exp(-(x - s["mu"])**2 / 2) / sqrt(2 * pi), REAL),
    "logistic_scale": (lambda s: exp(-x / s["s"]) / (s["s"] * (1 + exp(-x / s["s"]))**2), REAL),
    "laplace_scale": (lambda s: exp(-sp.Abs(x) / s["b"]) / (2 * s["b"]), REAL),
    "half_logistic": (lambda s: 2 * exp(-x / s["s"]) / (s["s"] * (1 + exp(-x / s["s"]))**2), POS),
    "burr_xii_known_c": (lambda s: s["c"] * s["k"] * x**(s["c"] - 1) * (1 + x**s["c"])**(-s["k"] - 1), POS),
    "exponentiated_exponential": (lambda s: s["alpha"] * exp(-x) * (1 - exp(-x))**(s["alpha"] - 1), POS),
    "lognormal_variance": (lambda s: exp(-log(x)**2 / (2 * s["v"])) / (x * sqrt(2 * pi * s["v"])), POS),
    "hyperbolic_secant_location": (lambda s: sp.sech(pi * (x - s["mu"]) / 2) / 2, REAL),
    "shifted_exponential_known_shift": (lambda s: s["lambda"] * exp(-s["lambda"] * (x - s["c"])),
                                        (lambda s: s["c"], oo)),
    "lomax": (lambda s: s["alpha"] / s["lambda"] * (1 + x / s["lambda"])**(-(s["alpha"] + 1)), POS),
    "inverse_gamma": (lambda s: s["beta"]**s["alpha"] / sp.gamma(s["alpha"]) * x**(-s["alpha"] - 1)
                      * exp(-s["beta"] / x), POS),
    "nakagami": (lambda s: 2 * s["m"]**s["m"] / (sp.gamma(s["m"]) * s["Omega"]**s["m"]) * x**(2 * s["m"] - 1)
                 * exp(-s["m"] / s["Omega"] * x**2), POS),
    "kumaraswamy": (lambda s: s["a"] * s["b"] * x**(s["a"] - 1) * (1 - x**s["a"])**(s["b"] - 1), UNIT),
    "beta_prime": (lambda s: x**(s["alpha"] - 1) * (1 + x)**(-s["alpha"] - s["beta"])
                   * sp.gamma(s["alpha"] + s["beta"]) / (sp.gamma(s["alpha"]) * sp.gamma(s["beta"])), POS),
    "gumbel_minimum": (lambda s: exp((x - s["mu"]) / s["beta"] - exp((x - s["mu"]) / s["beta"])) / s["beta"], REAL),
    "logarithmic_series": (lambda s: -s["p"]**x / (x * log(1 - s["p"])), (1, oo, True)),
    "zero_truncated_poisson": (lambda s: s["lambda"]**x / ((exp(s["lambda"]) - 1) * sp.factorial(x)), (1, oo, True)),
    "borel": (lambda s: exp(-s["mu"] * x) * (s["mu"] * x)**(x - 1) / sp.factorial(x), (1, oo, True)),
    # heavy tail x^-(ρ+1): reference points with ρ ≥ 1.5 keep nsum accurate (still inside ρ > 0)
    "yule_simon": (lambda s: s["rho"] * sp.gamma(x) * sp.gamma(s["rho"] + 1) / sp.gamma(x + s["rho"] + 1),
                   (1, oo, True, (("rho", 1.5, 3.0),))),
    "binomial_12": (lambda s: sp.binomial(12, x) * s["p"]**x * (1 - s["p"])**(12 - x), (0, 12, True)),
    "shifted_geometric": (lambda s: s["p"] * (1 - s["p"])**x, (0, oo, True)),
    "geometric_mean": (lambda s: (s["mu"] / (1 + s["mu"]))**x / (1 + s["mu"]), (0, oo, True)),
    "discrete_weibull_known_shape": (lambda s: s["q"]**(x**s["beta"]) - s["q"]**((x + 1)**s["beta"]),
                                     (0, oo, True)),
    "negative_binomial_mean": (lambda s: sp.binomial(x + s["r"] - 1, x) * (s["r"] / (s["r"] + s["mu"]))**s["r"]
                               * (s["mu"] / (s["r"] + s["mu"]))**x, (0, oo, True)),
    "poisson_sqrt": (lambda s: s["theta"]**(2 * x) * exp(-s["theta"]**2) / sp.factorial(x), (0, oo, True)),
    # irregular: the support moves with θ; E[s] and E[s sᵀ] are still integrals over the support
    "uniform_symmetric": (lambda s: 1 / (2 * s["theta"]), (lambda s: -s["theta"], lambda s: s["theta"])),
    "uniform_zero_theta": (lambda s: 1 / s["theta"], (0, lambda s: s["theta"])),
    "shifted_exponential_location": (lambda s: exp(-(x - s["theta"])), (lambda s: s["theta"], oo)),
    "pareto_scale_parameter": (lambda s: s["alpha"] * s["x_m"]**s["alpha"] / x**(s["alpha"] + 1),
                               (lambda s: s["x_m"], oo)),
}.items()}

psi1 = lambda z: sp.polygamma(1, z)  # noqa: E731 - the trigamma function, as textbooks write it

#: Fisher matrices in closed form as the sources (or a two-line textbook derivation) give them.
TEXTBOOK: dict[str, Callable[[dict[str, sp.Symbol]], sp.Matrix]] = {
    "rayleigh_variance": lambda s: sp.Matrix([[1 / s["s"]**2]]),
    "rayleigh_rate": lambda s: sp.Matrix([[1 / s["theta"]**2]]),
    "maxwell_boltzmann": lambda s: sp.Matrix([[6 / s["a"]**2]]),
    "log_logistic_known_shape": lambda s: sp.Matrix([[s["beta"]**2 / (3 * s["alpha"]**2)]]),
    "frechet_known_shape": lambda s: sp.Matrix([[s["alpha"]**2 / s["s"]**2]]),
    "levy_scale": lambda s: sp.Matrix([[1 / (2 * s["c"]**2)]]),
    "half_normal_variance": lambda s: sp.Matrix([[1 / (2 * s["v"]**2)]]),
    "half_cauchy": lambda s: sp.Matrix([[1 / (2 * s["gamma"]**2)]]),
    "weibull_known_shape": lambda s: sp.Matrix([[s["k"]**2 / s["lambda"]**2]]),
    "weibull_rate_known_shape": lambda s: sp.Matrix([[1 / s["theta"]**2]]),
    "power_function": lambda s: sp.Matrix([[1 / s["a"]**2]]),
    "generalized_arcsine": lambda s: sp.Matrix([[pi**2 / sp.sin(pi * s["a"])**2]]),
    "symmetric_beta": lambda s: sp.Matrix([[2 * psi1(s["a"]) - 4 * psi1(2 * s["a"])]]),
    "topp_leone": lambda s: sp.Matrix([[1 / s["nu"]**2]]),
    "erlang_known_shape": lambda s: sp.Matrix([[s["k"] / s["lambda"]**2]]),
    "chi_squared_dof": lambda s: sp.Matrix([[psi1(s["nu"] / 2) / 4]]),
    "normal_precision": lambda s: sp.Matrix([[1 / (2 * s["tau"]**2)]]),
    "normal_unit_variance": lambda s: sp.Matrix([[1]]),
    "laplace_scale": lambda s: sp.Matrix([[1 / s["b"]**2]]),
    "burr_xii_known_c": lambda s: sp.Matrix([[1 / s["k"]**2]]),
    "exponentiated_exponential": lambda s: sp.Matrix([[1 / s["alpha"]**2]]),
    "lognormal_variance": lambda s: sp.Matrix([[1 / (2 * s["v"]**2)]]),
    "shifted_exponential_known_shift": lambda s: sp.Matrix([[1 / s["lambda"]**2]]),
    "lomax": lambda s: sp.Matrix([[1 / s["alpha"]**2, -1 / (s["lambda"] * (s["alpha"] + 1))],
                                  [-1 / (s["lambda"] * (s["alpha"] + 1)),
                                   s["alpha"] / (s["lambda"]**2 * (s["alpha"] + 2))]]),
    "inverse_gamma": lambda s: sp.Matrix([[psi1(s["alpha"]), -1 / s["beta"]],
                                          [-1 / s["beta"], s["alpha"] / s["beta"]**2]]),
    "nakagami": lambda s: sp.Matrix([[psi1(s["m"]) - 1 / s["m"], 0], [0, s["m"] / s["Omega"]**2]]),
    "beta_prime": lambda s: sp.Matrix([[psi1(s["alpha"]) - psi1(s["alpha"] + s["beta"]),
                                        -psi1(s["alpha"] + s["beta"])],
                                       [-psi1(s["alpha"] + s["beta"]),
                                        psi1(s["beta"]) - psi1(s["alpha"] + s["beta"])]]),
    "borel": lambda s: sp.Matrix([[1 / (s["mu"] * (1 - s["mu"]))]]),
    "binomial_12": lambda s: sp.Matrix([[12 / (s["p"] * (1 - s["p"]))]]),
    "shifted_geometric": lambda s: sp.Matrix([[1 / (s["p"]**2 * (1 - s["p"]))]]),
    "geometric_mean": lambda s: sp.Matrix([[1 / (s["mu"] * (1 + s["mu"]))]]),
    "negative_binomial_mean": lambda s: sp.Matrix([[s["r"] / (s["mu"] * (s["r"] + s["mu"]))]]),
    "poisson_sqrt": lambda s: sp.Matrix([[4]]),
    # irregular: E[s²] = 1/θ² etc. (the score is constant on the support); textbook facts, not Fisher theory
    "uniform_zero_theta": lambda s: sp.Matrix([[1 / s["theta"]**2]]),
    "uniform_symmetric": lambda s: sp.Matrix([[1 / s["theta"]**2]]),
    "shifted_exponential_location": lambda s: sp.Matrix([[1]]),
    "pareto_scale_parameter": lambda s: sp.Matrix([[s["alpha"]**2 / s["x_m"]**2]]),
}

#: Where each domain's reference points are drawn (inside the domain, away from its edges).
DOMAIN_RANGES: dict[str, tuple[float, float]] = {
    "real": (-1.5, 1.5), "positive": (0.6, 2.8), "nonnegative": (0.2, 2.8), "unit": (0.2, 0.8),
    "integer": (-3, 3), "positive_integer": (1, 5),
}


def _exp(z):
    """exp that returns 0 far below any precision: mpmath would build e^(-10^40) digit by digit."""
    if mpmath.re(z) < -1e8:
        return mpmath.mpf(0)
    return mpmath.exp(z)


#: lambdify's mpmath namespace with the guarded exp (Gompertz: exp(-η e^{bx}) at x = 10^100).
MPMATH_SAFE = {"exp": _exp}


@dataclass(frozen=True)
class Reference:
    """Numbers at each reference point: E[s]ⱼ, E[sⱼ sₖ] and −E[Hⱼₖ], and the point itself."""

    points: tuple[dict[str, sp.Rational], ...]
    score_mean: tuple[tuple[mpmath.mpf, ...], ...]
    fisher: tuple[tuple[tuple[mpmath.mpf, ...], ...], ...]
    neg_hessian: tuple[tuple[tuple[mpmath.mpf, ...], ...], ...]


def reference_points(name: str, declared: list[tuple[str, str]], count: int = 2) -> tuple[dict[str, sp.Rational], ...]:
    """Random exact points for the declared (name, domain) pairs, seeded by the model's name."""
    rng = random.Random(f"{SEED}:{name}")
    ranges = {n: (lo, hi) for n, lo, hi in TRANSCRIPTIONS[name].ranges}
    points = []
    for _ in range(count):
        point = {}
        for n, domain in declared:
            lo, hi = ranges.get(n, DOMAIN_RANGES[domain])
            if domain in ("integer", "positive_integer"):
                point[n] = sp.Integer(rng.randint(int(lo), int(hi)))
            else:
                point[n] = sp.Rational(round(rng.uniform(lo, hi) * 1000), 1000)
        points.append(point)
    return tuple(points)


def infinite_sum(fn, start: int, head: int = 400) -> mpmath.mpf:
    """Σ_{k ≥ start} fn(k): the first terms added exactly, the tail by Euler–Maclaurin.

    nsum's default extrapolation is off by 1e-6 on the Yule–Simon tail k^-(ρ+1) log² k; this is not.
    """
    first = mpmath.fsum(fn(mpmath.mpf(k)) for k in range(start, start + head))
    return first + mpmath.sumem(fn, [start + head, mpmath.inf])


def integrate(g: sp.Expr, lower: sp.Expr, upper: sp.Expr, discrete: bool,
              centers: tuple[float, ...] = ()) -> mpmath.mpf:
    """∫ g dx over (lower, upper), or Σ g over the integers in [lower, upper], with mpmath.

    ``g`` has numbers for every symbol but x. Infinite ranges are split at ±1, ±10, ±100 around the
    centers (the location parameters), so that quad sees where the mass is.
    """
    fn = sp.lambdify(x, g, modules=[MPMATH_SAFE, "mpmath"])
    lo, hi = mpmath.mpf(lower) if lower.is_finite else -mpmath.inf, mpmath.mpf(upper) if upper.is_finite else mpmath.inf
    if discrete:
        if hi == mpmath.inf:
            return infinite_sum(fn, int(lo))
        return mpmath.fsum(fn(mpmath.mpf(k)) for k in range(int(lo), int(hi) + 1))
    cuts = {lo, hi}
    base = [mpmath.mpf(c) for c in centers] or [mpmath.mpf(0)]
    for c in base:
        for d in (0, 1, 10, 100):
            for t in (c - d, c + d):
                if lo < t < hi:
                    cuts.add(t)
    if lo != -mpmath.inf and hi == mpmath.inf:
        for d in (1, 10, 100):
            cuts.add(lo + d)
    if lo != -mpmath.inf and hi != mpmath.inf:
        cuts.add((lo + hi) / 2)
    return mpmath.quad(fn, sorted(cuts))


@lru_cache(maxsize=None)
def _compute(name: str, declared: tuple[tuple[str, str], ...], parameters: tuple[str, ...]) -> Reference:
    t = TRANSCRIPTIONS[name]
    f = t.density(S)
    log_f = sp.expand_log(sp.log(f), force=True)
    theta = [S[p] for p in parameters]
    score = [sp.diff(log_f, th) for th in theta]
    hess = [[sp.diff(sj, th) for th in theta] for sj in score]
    m = len(theta)
    points = reference_points(name, list(declared))
    means, fishers, hessians = [], [], []
    with mpmath.workdps(DPS):
        for point in points:
            subs = {S[n]: v for n, v in point.items()}
            lo, hi = t.lower(S).subs(subs), t.upper(S).subs(subs)
            fp = f.subs(subs)
            centers = tuple(float(v) for n, v in point.items() if dict(declared)[n] == "real")
            sc = [s.subs(subs) for s in score]

            def e(g, sc=sc, fp=fp, lo=lo, hi=hi, centers=centers):
                return integrate(g * fp, lo, hi, t.discrete, centers)
            means.append(tuple(e(s) for s in sc))
            fishers.append(tuple(tuple(e(sc[j] * sc[k]) for k in range(m)) for j in range(m)))
            hessians.append(tuple(tuple(e(-hess[j][k].subs(subs)) for k in range(m)) for j in range(m)))
    return Reference(points, tuple(means), tuple(fishers), tuple(hessians))


def reference(name: str, declared: list[tuple[str, str]], parameters: list[str]) -> Reference:
    """The reference numbers of a corpus model (computed once per session).

    Args:
        name: the model's key in models.yaml (and in :data:`TRANSCRIPTIONS`).
        declared: (symbol name, domain) of every parameter and constant.
        parameters: the parameters' symbol names, in the declared order.
    """
    return _compute(name, tuple(declared), tuple(parameters))


def textbook(name: str, point: dict[str, sp.Rational]) -> list[list[complex]] | None:
    """The textbook Fisher matrix at a point, or None where the corpus has no closed form."""
    if name not in TEXTBOOK:
        return None
    matrix = TEXTBOOK[name](S).subs({S[n]: v for n, v in point.items()})
    return [[complex(sp.N(matrix[j, k], DPS)) for k in range(matrix.cols)] for j in range(matrix.rows)]
