"""The derived Fisher information agrees with the textbook for every catalogue model.

For each model of ``symfisher/catalog/models.yaml`` the textbook Fisher information
matrix of ONE observation (parameters in the catalogue's declared order) is written
by hand in SymPy, in terms of the model's own symbols, and ``derive(...).fisher``
must agree with it at random points of the parameter and constant domains.

Every matrix below was checked independently of the engine, by numeric integration
(or summation) of E[s s^T] with a hand-written log-density.

The uniform distribution on (0, θ) is not regular (its support moves with θ); it has
its own test. The Laplace distribution is regular but log p is not twice
differentiable in μ, so only the score route E[s s^T] is valid; it has its own test too.
"""

from __future__ import annotations

import keyword
import random
from functools import lru_cache
from types import SimpleNamespace

import pytest
import sympy as sp

from symfisher.catalog import catalog, catalog_spec
from symfisher.derive import derive
from symfisher.model import build_model

pi, exp, EG = sp.pi, sp.exp, sp.EulerGamma


def trigamma(a: sp.Expr) -> sp.Expr:
    return sp.polygamma(1, a)


def _logistic_regression(s: SimpleNamespace) -> sp.Matrix:
    eta = s.beta_0 + s.beta_1 * s.z
    p = 1 / (1 + exp(-eta))
    return p * (1 - p) * sp.Matrix([[1, s.z], [s.z, s.z ** 2]])


#: model name -> the textbook Fisher information of one observation, as a function of
#: the model's symbols by name (a symbol named ``lambda`` is ``s.lambda_``).
TEXTBOOK = {
    "normal": lambda s: sp.diag(1 / s.sigma ** 2, 2 / s.sigma ** 2),
    "normal_variance": lambda s: sp.diag(1 / s.v, 1 / (2 * s.v ** 2)),
    "exponential": lambda s: sp.Matrix([[1 / s.lambda_ ** 2]]),
    "exponential_scale": lambda s: sp.Matrix([[1 / s.beta ** 2]]),
    # shape alpha, rate beta
    "gamma": lambda s: sp.Matrix([[trigamma(s.alpha), -1 / s.beta],
                                  [-1 / s.beta, s.alpha / s.beta ** 2]]),
    # shape k, scale theta: the cross term is +1/theta (it is -1/beta for the rate)
    "gamma_scale": lambda s: sp.Matrix([[trigamma(s.k), 1 / s.theta],
                                        [1 / s.theta, s.k / s.theta ** 2]]),
    "beta": lambda s: sp.Matrix([
        [trigamma(s.alpha) - trigamma(s.alpha + s.beta), -trigamma(s.alpha + s.beta)],
        [-trigamma(s.alpha + s.beta), trigamma(s.beta) - trigamma(s.alpha + s.beta)]]),
    # shape k, scale lambda
    "weibull": lambda s: sp.Matrix([
        [(pi ** 2 / 6 + (1 - EG) ** 2) / s.k ** 2, (EG - 1) / s.lambda_],
        [(EG - 1) / s.lambda_, s.k ** 2 / s.lambda_ ** 2]]),
    "cauchy": lambda s: sp.diag(1 / (2 * s.gamma ** 2), 1 / (2 * s.gamma ** 2)),
    # E[s s^T] (the Hessian route is not valid for the Laplace density)
    "laplace": lambda s: sp.diag(1 / s.b ** 2, 1 / s.b ** 2),
    "logistic": lambda s: sp.diag(1 / (3 * s.s ** 2), (3 + pi ** 2) / (9 * s.s ** 2)),
    "rayleigh": lambda s: sp.Matrix([[4 / s.sigma ** 2]]),
    "lognormal": lambda s: sp.diag(1 / s.sigma ** 2, 2 / s.sigma ** 2),
    # known scale x_m: the support moves with the constant, not with alpha
    "pareto": lambda s: sp.Matrix([[1 / s.alpha ** 2]]),
    "inverse_gaussian": lambda s: sp.diag(s.lambda_ / s.mu ** 3, 1 / (2 * s.lambda_ ** 2)),
    # location mu, scale beta: the off-diagonal is (gamma_E - 1)/beta^2 < 0
    "gumbel": lambda s: sp.Matrix([
        [1 / s.beta ** 2, (EG - 1) / s.beta ** 2],
        [(EG - 1) / s.beta ** 2, ((1 - EG) ** 2 + pi ** 2 / 6) / s.beta ** 2]]),
    "half_normal": lambda s: sp.Matrix([[2 / s.sigma ** 2]]),
    # location mu, scale sigma, known degrees of freedom nu
    "student_t": lambda s: sp.diag((s.nu + 1) / ((s.nu + 3) * s.sigma ** 2),
                                   2 * s.nu / ((s.nu + 3) * s.sigma ** 2)),
    "bernoulli": lambda s: sp.Matrix([[1 / (s.p * (1 - s.p))]]),
    "bernoulli_logit": lambda s: sp.Matrix([[exp(s.eta) / (1 + exp(s.eta)) ** 2]]),
    "binomial": lambda s: sp.Matrix([[s.n / (s.p * (1 - s.p))]]),
    # failures before the r-th success, success probability p
    "negative_binomial": lambda s: sp.Matrix([[s.r / (s.p ** 2 * (1 - s.p))]]),
    "poisson": lambda s: sp.Matrix([[1 / s.lambda_]]),
    "poisson_log": lambda s: sp.Matrix([[exp(s.eta)]]),
    # trials until the first success, on {1, 2, ...}
    "geometric": lambda s: sp.Matrix([[1 / (s.p ** 2 * (1 - s.p))]]),
    "linear_regression": lambda s: sp.Matrix([
        [1 / s.sigma ** 2, s.z / s.sigma ** 2, 0],
        [s.z / s.sigma ** 2, s.z ** 2 / s.sigma ** 2, 0],
        [0, 0, 2 / s.sigma ** 2]]),
    "logistic_regression": _logistic_regression,
}

#: Models with their own tests instead of a textbook matrix.
SPECIAL = {"uniform"}

POINTS = 3
RTOL = 1e-8
SEED = 20250818


@lru_cache(maxsize=None)
def built(name: str):
    """A catalogue model, built (parsed and validated) once for the whole module."""
    return build_model(catalog_spec(name))


@lru_cache(maxsize=None)
def derived(name: str):
    """The engine's derivation of a catalogue model, once per model for the whole module."""
    return derive(built(name))


def _attribute(name: str) -> str:
    return f"{name}_" if keyword.iskeyword(name) else name


def symbols_of(model) -> SimpleNamespace:
    """The model's parameter and constant symbols by name (``lambda`` -> ``lambda_``)."""
    declared = list(model.theta) + [c.symbol for c in model.constants]
    return SimpleNamespace(**{_attribute(sym.name): sym for sym in declared})


def _sample(domain: str, rng: random.Random) -> sp.Expr:
    """An exact random value of a domain."""
    if domain in ("positive", "nonnegative"):
        return sp.Rational(rng.randint(300, 3000), 1000)       # [0.3, 3]
    if domain == "unit":
        return sp.Rational(rng.randint(100, 900), 1000)        # [0.1, 0.9]
    if domain == "real":
        return sp.Rational(rng.randint(-2000, 2000), 1000)     # [-2, 2]
    if domain == "positive_integer":
        return sp.Integer(rng.randint(1, 8))                   # [1, 8]
    if domain == "integer":
        return sp.Integer(rng.randint(-3, 3))
    raise AssertionError(f"no sampling rule for the domain {domain!r}")


def sample_points(name: str, model, count: int = POINTS) -> list[dict[sp.Symbol, sp.Expr]]:
    """``count`` random points of the parameter and constant domains (fixed seed per model)."""
    rng = random.Random(f"{SEED}:{name}")
    declared = list(model.parameters) + list(model.constants)
    return [{d.symbol: _sample(d.domain.name, rng) for d in declared} for _ in range(count)]


def value(expr: sp.Expr, point: dict) -> complex:
    return complex(sp.N(sp.sympify(expr).subs(point), 30))


def assert_matrix_matches(name: str, actual, expected: sp.Matrix, model) -> None:
    """``actual`` (tuple of tuples) equals ``expected`` at random points, entry by entry.

    The tolerance is relative: to the entry itself, or to the largest entry of the
    matrix at that point for entries that vanish (off-diagonal zeros).
    """
    m = len(model.theta)
    assert actual is not None, f"{name}: no Fisher matrix"
    assert len(actual) == m and all(len(row) == m for row in actual), \
        f"{name}: the Fisher matrix is not {m}x{m}: {actual}"
    allowed = set(model.theta) | {c.symbol for c in model.constants}
    for i in range(m):
        for j in range(m):
            entry = actual[i][j]
            assert entry is not None, f"{name}: Fisher entry ({i}, {j}) was not derived symbolically"
            stray = sp.sympify(entry).free_symbols - allowed
            assert not stray, f"{name}: Fisher entry ({i}, {j}) = {entry} has stray symbols {stray}"
    for point in sample_points(name, model):
        want = [[value(expected[i, j], point) for j in range(m)] for i in range(m)]
        scale = max(abs(w) for row in want for w in row)
        for i in range(m):
            for j in range(m):
                got = value(actual[i][j], point)
                tol = RTOL * max(abs(want[i][j]), scale)
                assert abs(got - want[i][j]) <= tol, (
                    f"{name}: Fisher entry ({i}, {j}) at {point}: derived {actual[i][j]} = {got}, "
                    f"textbook {expected[i, j]} = {want[i][j]}")


def test_every_catalogue_model_has_a_textbook_matrix():
    missing = [name for name in catalog() if name not in TEXTBOOK and name not in SPECIAL]
    stale = [name for name in TEXTBOOK if name not in catalog()]
    assert not missing, f"catalogue models without a textbook Fisher matrix: {missing}"
    assert not stale, f"textbook matrices for models not in the catalogue: {stale}"


def test_textbook_matrices_are_square_and_symmetric():
    """A check of this file itself: the hand-written matrices have the right shape."""
    for name, fisher in TEXTBOOK.items():
        model = built(name)
        matrix = fisher(symbols_of(model))
        m = len(model.theta)
        assert matrix.shape == (m, m), name
        assert sp.simplify(matrix - matrix.T) == sp.zeros(m, m), name


@pytest.mark.parametrize("name", [n for n in catalog() if n not in SPECIAL])
def test_fisher_matches_textbook(name):
    assert name in TEXTBOOK, f"no textbook Fisher matrix for the catalogue model {name!r}"
    d = derived(name)
    assert d.regular is True, f"{name}: a regular model reported as non-regular"
    expected = TEXTBOOK[name](symbols_of(d.model))
    assert_matrix_matches(name, d.fisher, expected, d.model)


@pytest.mark.parametrize("name", [n for n in catalog() if n not in SPECIAL])
def test_score_has_mean_zero(name):
    """For a regular model E[s_j] = 0 for every parameter."""
    d = derived(name)
    m = len(d.model.theta)
    assert d.score_mean is not None, f"{name}: no score mean"
    assert len(d.score_mean) == m, f"{name}: {m} parameters but score mean {d.score_mean}"
    expected = TEXTBOOK[name](symbols_of(d.model))
    for point in sample_points(name, d.model):
        for j, mean in enumerate(d.score_mean):
            assert mean is not None, f"{name}: E[s_{j}] was not derived"
            # the score's natural size is sqrt(F_jj): compare with that
            size = max(1.0, abs(value(expected[j, j], point)) ** 0.5)
            got = value(mean, point)
            assert abs(got) <= RTOL * size, f"{name}: E[s_{j}] = {mean} = {got} at {point}, not 0"


def test_uniform_is_not_regular():
    """Uniform on (0, θ): the support moves with θ, the score does not have mean zero."""
    d = derived("uniform")
    s = symbols_of(d.model)
    assert d.regular is False
    assert any(diag.code == "support-depends-on-parameter" for diag in d.diagnostics), \
        [diag.code for diag in d.diagnostics]
    assert d.score_mean is not None and d.score_mean[0] is not None
    for point in sample_points("uniform", d.model):
        got, want = value(d.score_mean[0], point), value(-1 / s.theta, point)
        assert abs(got - want) <= RTOL * abs(want), f"E[s] = {d.score_mean[0]} at {point}, not -1/theta"
    # Not "the" Fisher information: only E[s^2] = E[(-1/theta)^2] = 1/theta^2, if it is given.
    if d.fisher is not None and d.fisher[0][0] is not None:
        for point in sample_points("uniform", d.model):
            got, want = value(d.fisher[0][0], point), value(1 / s.theta ** 2, point)
            assert abs(got - want) <= RTOL * abs(want), f"E[s^2] = {d.fisher[0][0]} at {point}"


def test_laplace_uses_the_score_route():
    """Laplace: |x - μ| is not twice differentiable, E[s s^T] = diag(1/b², 1/b²) still holds."""
    d = derived("laplace")
    s = symbols_of(d.model)
    assert [sym.name for sym in d.model.theta] == ["mu", "b"]
    assert d.hessian_route_valid is False
    assert_matrix_matches("laplace", d.fisher, sp.diag(1 / s.b ** 2, 1 / s.b ** 2), d.model)


def test_catalogue_breadth():
    models = {name: built(name) for name in catalog()}
    sizes = {len(m.theta) for m in models.values()}
    discrete = [name for name, m in models.items() if m.discrete]
    assert len(models) >= 20, len(models)
    assert {1, 2, 3} <= sizes, sizes
    assert len(discrete) >= 5, discrete
