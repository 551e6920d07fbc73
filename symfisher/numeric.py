"""Numerics over a support: evaluation, quadrature and summation in float64.

Used wherever symfisher must not trust a symbolic result unchecked: model
validation (sign, normalization) and every expectation of the derivation.

Densities are evaluated as exp(log p) with log p expanded and log Γ used for
factorials, binomials and beta functions, so that x^k e^{-x}, λ^x/x! and
e^{-e^{x}} neither overflow nor turn into inf·0 far out in the tails.
Quadrature is SciPy's QUADPACK on pieces cut at the parameter values;
sums over infinite supports are vectorised and truncated where terms vanish.

QUADPACK returns a finite number for some divergent integrals (for E[1/x]
under a gamma with shape below 1 it returns the analytic continuation, with a
small error estimate), so before integrating, the behaviour of the integrand
at each end is measured: a power law |f| ~ h^q at a finite end with q ≤ −1,
or |f| ~ t^q at infinity with q ≥ −1, is divergence, raised as
:class:`Divergent` with that evidence.
"""

from __future__ import annotations

import builtins
import warnings
from functools import lru_cache
from typing import Callable, Mapping

import mpmath
import numpy as np
import sympy as sp
from scipy import integrate, special

from symfisher.parse import Support

MAX_TERMS = 200_000      # terms of a truncated infinite sum, at most
CHUNK = 2_000
RELATIVE_TAIL = 1e-18
QUAD_OPTIONS = {"epsabs": 1e-13, "epsrel": 1e-10, "limit": 400}

Point = Mapping[sp.Symbol, sp.Expr]

#: Where p is below this, a non-finite g·p is an overflow of g (inf/inf in a ratio of exponentials), not
#: mass: g would have to exceed 1e40 there to matter.
NEGLIGIBLE_DENSITY = 1e-40

#: A power law this close to the borderline exponent −1 counts as divergent: a log factor cannot be told
#: apart numerically, and calling a convergent integral divergent only costs a value, never a false claim.
EXPONENT_MARGIN = 0.02


class Divergent(ArithmeticError):
    """The integral or sum diverges at this point (with the numeric evidence in the message)."""


class _LogGamma(sp.Function):
    """log Γ(z) kept unevaluated (SymPy's loggamma turns back into log(gamma(z)) at integers).

    Real by declaration, so that log(e^{log Γ(z)}) collapses: it is only ever evaluated by
    scipy's gammaln, which gives log |Γ(z)| for every real z.
    """

    is_real = True


#: Γ, x!, C(n, k) and B(a, b) as sums of log Γ. SymPy's own rewrite would evaluate Γ(22) = 21!
#: exactly, which overflows int64 in NumPy (n = 21), a float (n ≥ 171) and str() (n = 10⁶).
_AS_LOG_GAMMA: dict[type, Callable[..., sp.Expr]] = {
    sp.gamma: lambda z: _LogGamma(z),
    sp.factorial: lambda n: _LogGamma(n + 1),
    sp.binomial: lambda n, k: _LogGamma(n + 1) - _LogGamma(k + 1) - _LogGamma(n - k + 1),
    sp.beta: lambda a, b: _LogGamma(a) + _LogGamma(b) - _LogGamma(a + b),
}


class _LogOnePlusExp(sp.Function):
    """log(1 + e^u), evaluated without overflow (np.logaddexp)."""


class _LogSumExp(sp.Function):
    """_LogSumExp(log s, a₁, …, aₙ) = log(e^{a₁} + … + e^{aₙ}) = log s, the log of a sum s of products
    (a mixture) evaluated without overflow; where that fails (a term of varying sign has a real log of a
    negative number: nan), the plain log s."""


def _log_sum_exp(plain: np.ndarray, *logs: np.ndarray) -> np.ndarray:
    # shift by the largest real part: each e^{a - m} ≤ 1, so a term that alone overflows (κ^k/k! as
    # inf/inf) adds its true, tiny value. Complex logs (a negative coefficient) keep the sum's sign.
    stacked = np.stack(np.broadcast_arrays(*(np.asarray(a) for a in logs)))
    with np.errstate(all="ignore"):
        top = np.max(np.real(stacked), axis=0)
        top = np.where(np.isfinite(top), top, 0.0)
        value = np.log(np.sum(np.exp(stacked - top), axis=0)) + top
        return np.where(np.isnan(value), plain, value)


def _mixture_terms(arg: sp.Expr) -> bool:
    """Whether log(arg) is the log of a sum of products (w p₁ + (1 − w) p₂), read term by term."""
    return arg.is_Add and all(isinstance(t, (sp.Mul, sp.Pow, sp.exp)) for t in arg.args)


class _GammaSign(sp.Function):
    """The sign of Γ(z) (±1), so that Γ(z) = sign · e^{log |Γ(z)|} in floats."""


_FLOAT_FUNCTIONS = {"_LogGamma": special.gammaln, "_LogOnePlusExp": lambda u: np.logaddexp(0, u),
                    "_LogSumExp": _log_sum_exp,
                    "_GammaSign": special.gammasgn}

#: Γ(z) and what is made of it, as sign · e^{log |Γ|}: lambdify would print C(171, x) as 171!/…,
#: an integer of 310 digits that no float holds (and C(10⁶, x) one that Python will not print).
_GAMMA_FLOATS: dict[type, Callable[..., sp.Expr]] = {
    sp.gamma: lambda z: _GammaSign(z) * sp.exp(_LogGamma(z)),
    sp.factorial: lambda n: _GammaSign(n + 1) * sp.exp(_LogGamma(n + 1)),
    sp.binomial: lambda n, k: (_GammaSign(n + 1) * _GammaSign(k + 1) * _GammaSign(n - k + 1)
                               * sp.exp(_LogGamma(n + 1) - _LogGamma(k + 1) - _LogGamma(n - k + 1))),
    sp.beta: lambda a, b: (_GammaSign(a) * _GammaSign(b) * _GammaSign(a + b)
                           * sp.exp(_LogGamma(a) + _LogGamma(b) - _LogGamma(a + b))),
}

#: Beyond this an exact integer or rational is printed into the compiled code as a float: NumPy cannot
#: multiply a float array by a Python integer past 10^308, nor take log(59!) of one past int64.
FLOAT_LIMIT = sp.Integer(2) ** 62


def _as_floats(expr: sp.Expr) -> sp.Expr:
    """``expr`` with Γ-like functions as sign · e^{log |Γ|} and huge exact numbers as floats."""
    if expr.has(*_GAMMA_FLOATS):
        expr = expr.replace(lambda e: type(e) in _GAMMA_FLOATS and len(e.args) == _arity(type(e)),
                            lambda e: _GAMMA_FLOATS[type(e)](*e.args))
    huge = {n: sp.Float(n, 17) for n in expr.atoms(sp.Rational)
            if abs(n.p) > FLOAT_LIMIT or n.q > FLOAT_LIMIT}
    return expr.xreplace(huge) if huge else expr


def _one_plus_exp(arg: sp.Expr):
    """(c, u) when arg = c + c·e^u with c > 0 constant, else None."""
    if not arg.is_Add or len(arg.args) != 2:
        return None
    const, other = arg.as_independent(sp.exp, as_Add=True)
    if not const.is_positive:
        return None
    coeff, power = other.as_independent(sp.exp, as_Add=False)
    if isinstance(power, sp.exp) and coeff == const:
        return const, power.args[0]
    return None


@lru_cache(maxsize=1024)
def _compiled(expr: sp.Expr, symbols: tuple[sp.Symbol, ...]) -> Callable[..., np.ndarray]:
    # lambdify prints our own SymPy tree (never user text). Symbols become Dummies
    # first: lambdify puts symbol names into the code's namespace, where a
    # parameter called "beta" would otherwise shadow the beta function.
    dummies = tuple(sp.Dummy() for _ in symbols)
    floats = _as_floats(expr.xreplace(dict(zip(symbols, dummies))))
    fn = sp.lambdify(dummies, floats, modules=[_FLOAT_FUNCTIONS, "scipy", "numpy"])
    # A function NumPy and SciPy lack (Meijer G, hypergeometric: SymPy's answer to some integrals) is
    # printed as a bare name, and calling the code raises NameError: evaluate such trees with mpmath.
    if any(name not in fn.__globals__ and not hasattr(builtins, name) for name in fn.__code__.co_names):
        return _elementwise(sp.lambdify(dummies, floats, modules=[_MPMATH_FUNCTIONS, "mpmath"]))
    return fn


#: The float helpers in mpmath: log |Γ| (real for every real z), log(1 + e^u), the sign of Γ.
_MPMATH_FUNCTIONS = {"_LogGamma": lambda z: mpmath.re(mpmath.loggamma(z)),
                     "_LogOnePlusExp": lambda u: mpmath.log1p(mpmath.exp(u)),
                     "_GammaSign": lambda z: mpmath.sign(mpmath.gamma(z)),
                     "_LogSumExp": lambda plain, *a: plain}       # mpmath does not overflow


def _elementwise(fn: Callable[..., object]) -> Callable[..., np.ndarray]:
    """A scalar mpmath function applied elementwise: floats where every value is real, nan where mpmath fails."""
    def one(*args: object) -> complex:
        try:
            return complex(fn(*args))
        except (ArithmeticError, ValueError, TypeError, mpmath.libmp.NoConvergence):
            return complex("nan")

    def many(*args: object) -> np.ndarray | complex | float:
        values = np.vectorize(one, otypes=[complex])(*args)
        values = values.real if not np.any(values.imag) else values
        return values[()] if np.ndim(values) == 0 else values        # a scalar for scalar arguments
    return many


def _float(value: sp.Expr) -> float:
    return float(sp.N(value, 20))


def _arity(kind: type) -> int:
    return 1 if kind in (sp.gamma, sp.factorial) else 2


@lru_cache(maxsize=256)
def stable_log(density: sp.Expr) -> sp.Expr:
    """log p, expanded under the symbols' assumptions, with log Γ for Γ, x!, C(n,x), B(a,b)."""
    rewritten = density.replace(lambda e: type(e) in _AS_LOG_GAMMA and len(e.args) == _arity(type(e)),
                                lambda e: sp.exp(_AS_LOG_GAMMA[type(e)](*e.args)))
    log = sp.expand_log(sp.log(rewritten))
    # a mixture's terms overflow apart (κ^k/k! is inf/inf at k = 719 in 0.3 b(1−b)^k + 0.7 κ^k e^{−κ}/k!):
    # each term gets its own stable log, and the sum is taken by log-sum-exp
    log = log.replace(lambda e: isinstance(e, sp.log) and _mixture_terms(e.args[0]),
                      lambda e: _LogSumExp(e, *(stable_log(t) for t in e.args[0].args)))
    # (1-p)^{n-x} underflows to 0 for n = 10⁶ even where p^x C(n,x) (1-p)^{n-x} does not: take the
    # exponent out. Exact wherever the density is real (a negative base to a power that is not a
    # fixed integer is not real); SymPy only does it when it can prove the base positive.
    log = sp.expand_log(log.replace(
        lambda e: isinstance(e, sp.log) and e.args[0].is_Pow and not e.args[0].exp.is_Integer,
        lambda e: e.args[0].exp * sp.log(e.args[0].base)))
    log = log.replace(lambda e: isinstance(e, sp.log) and isinstance(e.args[0], sp.gamma),
                      lambda e: _LogGamma(e.args[0].args[0]))
    return log.replace(lambda e: isinstance(e, sp.log) and _one_plus_exp(e.args[0]) is not None,
                       lambda e: sp.log(_one_plus_exp(e.args[0])[0]) + _LogOnePlusExp(_one_plus_exp(e.args[0])[1]))


def function_of(expr: sp.Expr, variable: sp.Symbol, values: Point) -> Callable[[np.ndarray], np.ndarray]:
    """``expr`` as a vectorised function of ``variable``, the other symbols fixed at ``values``."""
    fixed = tuple(sorted((s for s in expr.free_symbols if s != variable), key=sp.default_sort_key))
    fn = _compiled(expr, (variable, *fixed))
    args = [_float(values[s]) for s in fixed]
    return lambda t: np.broadcast_to(fn(t, *args), np.shape(t))


def evaluate(expr: sp.Expr, values: Point) -> complex:
    """Evaluate ``expr`` (all of whose free symbols are given) as a complex number."""
    symbols = tuple(sorted(expr.free_symbols, key=sp.default_sort_key))
    fn = _compiled(expr, symbols)
    args = [_float(values[s]) for s in symbols]
    with np.errstate(all="ignore"):
        try:
            value = complex(fn(*args))
        except (TypeError, ValueError):
            value = complex("nan")
        if np.isnan(value):           # e.g. a real power of a negative number: retry in ℂ
            try:
                value = complex(fn(*(complex(a) for a in args)))
            except (TypeError, ValueError):
                pass
    return value


def bounds_at(support: Support, values: Point) -> tuple[float, float]:
    """The support's bounds as floats at a parameter point (±inf allowed)."""
    # only the bounds' own symbols: subs with every declared name is quadratic in their number
    relevant = {s: values[s] for s in support.free_symbols if s in values}
    return _float(support.lower.subs(relevant)), _float(support.upper.subs(relevant))


def weighted_function(g: sp.Expr, density: sp.Expr, variable: sp.Symbol,
                      values: Point) -> Callable[[np.ndarray], np.ndarray]:
    """t -> g(t) p(t), with p evaluated as exp(log p)."""
    log_p = function_of(stable_log(density), variable, values)
    gf = function_of(g, variable, values) if g.has(variable) else None
    g_const = None if gf is not None else complex(evaluate(g, values)) if g.free_symbols else complex(g)

    def f(t):
        with np.errstate(all="ignore"):
            p = np.exp(np.real_if_close(log_p(t)))
            p = np.where(np.isnan(p) & (np.real(log_p(t)) == -np.inf), 0.0, p)
            gv = gf(t) if gf is not None else g_const
            out = gv * p
            # Far in a tail p underflows while g overflows (e^{x}/(1+e^{x}) is inf/inf there):
            # where p is negligible, a non-finite g p contributes nothing.
            return np.where((p == 0) | ((p < NEGLIGIBLE_DENSITY) & ~np.isfinite(out)), 0.0, out)
    return f


def expectation(g: sp.Expr, density: sp.Expr, variable: sp.Symbol, support: Support,
                values: Point) -> complex:
    """E[g(X)] = ∫ g p dx or Σ g p over the support, at a parameter point.

    Raises:
        ArithmeticError: a sum that does not converge, an integral QUADPACK cannot do.
    """
    f = weighted_function(g, density, variable, values)
    lo, hi = bounds_at(support, values)
    if support.discrete:
        if support.values is not None:
            return complex(np.sum(f(np.array(support.values, dtype=float))))
        return _sum(f, lo, hi)
    used = g.free_symbols | density.free_symbols
    return _integrate(f, lo, hi, sorted({_float(v) for s, v in values.items() if s in used}))


def _tail_exponent(f: Callable, end: float, side: int) -> float | None:
    """q in |f| ~ h^q as the variable approaches a finite ``end`` from ``side`` (h → 0), or in
    |f| ~ t^q as it goes to ±infinity; None when f vanishes there (faster than any power)."""
    with np.errstate(all="ignore"):
        if np.isfinite(end):
            scale = max(1.0, abs(end))
            steps = scale * np.logspace(-5, -11, 7)
            values = np.abs(np.asarray(f(end + side * steps), dtype=complex))
        else:
            steps = np.logspace(4, 12, 9)
            values = np.abs(np.asarray(f(np.sign(end) * steps), dtype=complex))
    finite = np.isfinite(values) & (values > 0)
    if not np.any(finite):
        # all zero: vanishes; all infinite: blows up at the end (a non-integrable singularity)
        return None if np.all(values == 0) else (-np.inf if np.isfinite(end) else np.inf)
    if np.isfinite(end) and not np.all(np.isfinite(values)):
        return -np.inf
    logs_h, logs_f = np.log(steps[finite]), np.log(values[finite])
    if len(logs_f) < 3 or (not np.isfinite(end) and values[-1] == 0):
        return None
    # the slope over the last three points: the local power law nearest the end
    return float(np.polyfit(logs_h[-3:], logs_f[-3:], 1)[0])


def check_convergence(f: Callable, lo: float, hi: float) -> None:
    """Raise :class:`Divergent` when f is not integrable at an end of (lo, hi) by a power law.

    Raises:
        Divergent: with the end and the exponent found.
    """
    for end, side in ((lo, 1), (hi, -1)):
        q = _tail_exponent(f, end, side)
        if q is None:
            continue
        if np.isfinite(end) and q <= -1 + EXPONENT_MARGIN:
            raise Divergent(f"the integrand grows like |x − {end:g}|^{q:.3g} at {end:g}: the integral "
                            + ("diverges" if q < -1 - EXPONENT_MARGIN else "diverges or is too close to diverging "
                               "to be evaluated"))
        if not np.isfinite(end) and q >= -1 - EXPONENT_MARGIN:
            behaviour = ("is not finite far out" if not np.isfinite(q) else
                         f"grows like |x|^{q:.3g}" if q > 0 else f"decays like |x|^{q:.3g}")
            raise Divergent(f"the integrand {behaviour} towards {end:g}: the integral "
                            + ("diverges" if q > -1 + EXPONENT_MARGIN else "diverges or is too close to diverging "
                               "to be evaluated"))


def _integrate(f: Callable, lo: float, hi: float, params: list[float]) -> complex:
    check_convergence(f, lo, hi)
    cuts = sorted({c for c in [0.0, *params] if lo < c < hi})
    points = [lo, *cuts, hi]
    total = 0j
    for a, b in zip(points, points[1:]):
        total += _quad(lambda t: f(np.asarray(t, dtype=float)), a, b)
    return total


def _quad(f: Callable, a: float, b: float) -> complex:
    """QUADPACK on one piece; a warning is fatal only when the error estimate is poor."""
    def one(part: Callable) -> float:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", integrate.IntegrationWarning)
            value, error = integrate.quad(part, a, b, **QUAD_OPTIONS)[:2]
        if np.isinf(value):
            # no proof of divergence (floats overflow first), but the likeliest reason: say so
            raise ArithmeticError(f"numeric integration failed on ({a:g}, {b:g}): the integrand overflows "
                                  "there (the integral may diverge)")
        if not np.isfinite(value) or error > 1e-7 * max(1.0, abs(value)):
            raise ArithmeticError(f"numeric integration failed on ({a:g}, {b:g}): "
                                  f"estimate {value:.6g} ± {error:.2g}")
        return value
    re = one(lambda t: float(np.real(f(t))))
    middle = (a + b) / 2 if np.isfinite(a + b) else (a + 1 if np.isfinite(a) else b - 1 if np.isfinite(b) else 0.0)
    probe = f(np.array([middle]))
    im = one(lambda t: float(np.imag(f(t)))) if np.iscomplexobj(probe) and np.any(np.imag(probe) != 0) else 0.0
    return complex(re, im)


#: Points of a finite sum evaluated at once: memory stays near 8 MB per array whatever the support.
FINITE_CHUNK = 1_000_000
#: Points of a finite sum summed at most (the parser refuses larger literal supports; a bound that is
#: a parameter can still be large at a sample point).
MAX_FINITE_TERMS = 10_000_001


def _sum(f: Callable, lo: float, hi: float) -> complex:
    """Σ f(k) over the integers in [lo, hi]; infinite ends are truncated where terms vanish.

    Raises:
        ArithmeticError: a finite range of more than MAX_FINITE_TERMS points.
    """
    if np.isfinite(lo) and np.isfinite(hi):
        first, last = int(lo), int(hi)
        if last - first + 1 > MAX_FINITE_TERMS:
            raise ArithmeticError(f"the sum has {last - first + 1:,.0f} terms, more than the "
                                  f"{MAX_FINITE_TERMS:,} summed numerically")
        return sum((complex(np.sum(f(np.arange(start, min(start + FINITE_CHUNK, last + 1), dtype=float))))
                    for start in range(first, last + 1, FINITE_CHUNK)), 0j)
    if np.isfinite(lo):
        return _one_side(f, int(lo), 1)
    if np.isfinite(hi):
        return _one_side(f, int(hi), -1)
    return _one_side(f, 0, 1) + _one_side(f, -1, -1)


def _one_side(f: Callable, start: int, direction: int) -> complex:
    total = 0j
    partial: dict[int, complex] = {}      # the partial sums at powers of two, for a power-law tail
    for offset in range(0, MAX_TERMS, CHUNK):
        k = start + direction * np.arange(offset, offset + CHUNK, dtype=float)
        terms = np.asarray(f(k), dtype=complex)
        if not np.all(np.isfinite(terms)):
            raise ArithmeticError(f"a term of the sum is not a number (at k = {k[~np.isfinite(terms)][0]:g})")
        cumulative = total + np.cumsum(terms)
        for count in (2 ** j for j in range(1, 40) if offset < 2 ** j <= offset + CHUNK):
            partial[count] = cumulative[count - offset - 1]
        total = cumulative[-1]
        if offset and np.all(np.abs(terms[-CHUNK // 4:]) <= RELATIVE_TAIL * max(abs(total), 1.0)):
            return total
    return _power_law_limit(partial, terms, np.abs(k))


def _power_law_limit(partial: dict[int, complex], terms: np.ndarray, index: np.ndarray) -> complex:
    """The value of a sum whose terms decay like a power k^q, q < −1, from its partial sums.

    With S(N) = S − A N^p − B N^{p−1} (p = q + 1 < 0, the second term the first correction of an
    asymptotic power law), the increments of the partial sums over the last four doublings fix
    A, B and p, and the tail T(N) = A N^p + B N^{p−1} is added.

    Raises:
        Divergent: the terms decay no faster than 1/k.
        ArithmeticError: the terms follow no clean power law.
    """
    far = np.abs(terms[-CHUNK // 4:])
    if not np.all(far > 0):
        raise ArithmeticError(f"the sum does not converge within {MAX_TERMS:,} terms")
    ks = index[-CHUNK // 4:]
    slope = np.log(far[-1] / far[0]) / np.log(ks[-1] / ks[0])
    if slope >= -1 - EXPONENT_MARGIN:
        raise Divergent(f"the terms decay like k^{slope:.3g} up to k = {ks[-1]:g}: the sum "
                        + ("diverges" if slope > -1 + EXPONENT_MARGIN else
                           "diverges or is too close to diverging to be evaluated"))
    counts = sorted(partial)[-6:]
    if len(counts) < 6:
        raise ArithmeticError(f"the sum does not converge within {MAX_TERMS:,} terms")
    sums = np.array([partial[c] for c in counts], dtype=complex)
    diffs = np.diff(sums)                          # S(2N) − S(N) = T(N) − T(2N) for N = counts[:-1]
    base = np.array(counts[:-1], dtype=float)
    if np.any(diffs == 0):
        return complex(sums[-1])

    def fit(p: float) -> tuple[float, np.ndarray]:
        """A, B for T(N) = A N^p + B N^{p−1} from the last two increments; the misfit of the others."""
        columns = np.column_stack([base ** p * (1 - 2.0 ** p), base ** (p - 1) * (1 - 2.0 ** (p - 1))])
        coeffs = np.linalg.solve(columns[-2:].astype(complex), diffs[-2:])
        misfit = columns[:-2] @ coeffs - diffs[:-2]
        return float(np.real(misfit[-1] / diffs[-3])), coeffs

    p0 = slope + 1
    grid = np.linspace(p0 - 0.2 * abs(p0) - 0.02, min(p0 + 0.2 * abs(p0) + 0.02, -1e-4), 41)
    values = [fit(p)[0] for p in grid]
    crossings = [i for i in range(len(grid) - 1) if np.sign(values[i]) != np.sign(values[i + 1])]
    if not crossings:
        raise ArithmeticError(f"the sum does not converge within {MAX_TERMS:,} terms")
    a, b = grid[crossings[0]], grid[crossings[0] + 1]
    for _ in range(60):                            # bisection: the exponent that fits every increment
        middle = (a + b) / 2
        if np.sign(fit(middle)[0]) == np.sign(fit(a)[0]):
            a = middle
        else:
            b = middle
    p = (a + b) / 2
    _, (big_a, big_b) = fit(p)
    # the oldest increment was not fitted: it must agree too, or the tail is no clean power law
    # (a log factor, as in Σ log k · k^q, is not one)
    columns = np.array([base[0] ** p * (1 - 2.0 ** p), base[0] ** (p - 1) * (1 - 2.0 ** (p - 1))])
    if abs(columns @ np.array([big_a, big_b]) - diffs[0]) > 1e-4 * abs(diffs[0]):
        raise ArithmeticError(f"the sum converges too slowly to be summed (its terms follow no clean power law "
                              f"up to {MAX_TERMS:,} terms)")
    last = float(counts[-1])
    return complex(sums[-1] + big_a * last ** p + big_b * last ** (p - 1))


#: Distances from each place where mass may sit at which the second opinion cuts the support.
DECADES = tuple(10.0 ** k for k in range(-4, 7))


def _decades_around(anchors: set[float], lo: float, hi: float) -> np.ndarray:
    """The anchors and the points at each distance in DECADES on either side of them, inside (lo, hi)."""
    grid = {a + side * d for a in anchors for d in (0.0, *DECADES) for side in (1.0, -1.0)}
    return np.array(sorted(c for c in grid if lo < c < hi))


def second_opinion(g: sp.Expr, density: sp.Expr, variable: sp.Symbol, support: Support, values: Point) -> complex:
    """E[g] again, by a quadrature that cannot miss a narrow peak: nan when it fails.

    QUADPACK on one long piece can miss a narrow peak inside it and still report a small
    error (λe^{-λx} on (0, 10⁴) at λ = 2.687 gave 0.99927; a normal with σ = 1/100 on
    (-1000, ∞) gave 0.5). The second opinion cuts a continuous support at decades on
    either side of every place where mass may sit: its finite ends, 0, the parameter
    values and the highest point of g·p on that grid; every scale near each gets its own
    piece. A claim that two numbers differ stands only when both opinions agree on them.
    Sums are exact enough term by term: they are summed as by :func:`expectation`.
    """
    try:
        if support.discrete:
            return expectation(g, density, variable, support, values)
        f = weighted_function(g, density, variable, values)
        lo, hi = bounds_at(support, values)
        check_convergence(f, lo, hi)
        used = g.free_symbols | density.free_symbols
        anchors = {a for a in (lo, hi, 0.0, *(_float(v) for s, v in values.items() if s in used))
                   if np.isfinite(a)}
        cuts = _decades_around(anchors, lo, hi)
        with np.errstate(all="ignore"):
            heights = np.abs(np.asarray(f(cuts), dtype=complex)) if len(cuts) else np.array([])
        if len(cuts) and np.any(np.isfinite(heights)):
            peak = float(cuts[np.nanargmax(np.where(np.isfinite(heights), heights, -1))])
            cuts = _decades_around(anchors | {peak}, lo, hi)
        ends = [lo, *cuts, hi]
        return sum((_quad(lambda t: f(np.asarray(t, dtype=float)), a, b) for a, b in zip(ends, ends[1:])), 0j)
    except (ArithmeticError, ValueError, TypeError, OverflowError):
        return complex(np.nan)


def support_samples(support: Support, values: Point) -> np.ndarray:
    """Points of the support where a density is probed (for its sign)."""
    lo, hi = bounds_at(support, values)
    if support.discrete:
        if support.values is not None:
            return np.array(support.values, dtype=float)
        start = lo if np.isfinite(lo) else (hi - 25 if np.isfinite(hi) else -12)
        stop = min(hi, start + 25)
        return np.arange(start, stop + 1, dtype=float)
    offsets = np.array([1e-3, 0.05, 0.3, 1, 2.5, 7, 20, 60])
    if not np.isfinite(lo) and not np.isfinite(hi):
        return np.concatenate([-offsets[::-1], [0.0], offsets])
    if not np.isfinite(hi):
        return lo + offsets
    if not np.isfinite(lo):
        return hi - offsets
    return lo + (hi - lo) * np.arange(1, 12) / 12
