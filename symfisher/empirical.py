"""The Fisher matrix from data: the MLE, the empirical and the observed Fisher matrix, against the expected one.

Takes a Derivation and a sample; gives θ̂ (the closed form of the derivation's
MLE section when there is one, else a numeric maximization with the score as
gradient), then at θ̂:

- the empirical Fisher matrix (1/n) Σᵢ s(xᵢ|θ̂) s(xᵢ|θ̂)ᵀ (the note's approximation),
- the observed Fisher matrix −(1/n) Σᵢ 𝐇(xᵢ|θ̂),
- the expected Fisher matrix F(θ̂) from the derivation.

Everything is vectorized over the sample with NumPy (no Python loop per sample).
"""

from __future__ import annotations

import csv
import io
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp
from scipy import optimize

from symfisher.derive import Derivation
from symfisher.derive.results import ORDER_STATISTICS
from symfisher.errors import InputFileError, ModelError
from symfisher.numeric import _compiled

@dataclass(frozen=True)
class Unconstrained:
    """A parameter domain as the image of the real line: θ(u), its inverse u(θ) and dθ/du as a function of θ."""

    theta: Any
    u: Any
    slope: Any


UNCONSTRAINED = {
    "real": Unconstrained(lambda u: u, lambda t: t, lambda t: 1.0),
    "positive": Unconstrained(np.exp, np.log, lambda t: t),
    "nonnegative": Unconstrained(np.exp, np.log, lambda t: t),          # an MLE at 0 is reported as not found
    "unit": Unconstrained(lambda u: 1 / (1 + np.exp(-u)), lambda t: np.log(t / (1 - t)), lambda t: t * (1 - t)),
}

#: A numeric θ̂ is accepted when every |mean score| is below this fraction of the score's root mean square.
STATIONARY = 1e-4


@dataclass(frozen=True)
class EmpiricalFisher:
    """θ̂ and the three Fisher matrices at θ̂ (``notes``: why they need not agree, e.g. a model that is not regular)."""

    names: tuple[str, ...]
    estimate: np.ndarray
    method: str                      # "closed form" or "numeric"
    n: int
    empirical: np.ndarray
    observed: np.ndarray | None      # None when log p is not twice differentiable (Laplace)
    expected: np.ndarray | None
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        def matrix(a):
            return None if a is None else [[float(v) for v in row] for row in a]
        return {"parameters": list(self.names), "n": self.n, "mle": dict(zip(self.names, map(float, self.estimate))),
                "mle_method": self.method, "empirical_fisher": matrix(self.empirical),
                "observed_fisher": matrix(self.observed), "expected_fisher": matrix(self.expected),
                "notes": list(self.notes)}

    def text(self) -> str:
        def fmt(a):
            return "\n".join("    " + "  ".join(f"{v:>12.6g}" for v in row) for row in a)
        lines = [f"n            {self.n}",
                 "mle          " + ", ".join(f"{k} = {v:.6g}" for k, v in zip(self.names, self.estimate))
                 + f" ({self.method})",
                 "empirical Fisher (1/n) Σ s sᵀ at the MLE", fmt(self.empirical)]
        if self.observed is not None:
            lines += ["observed Fisher −(1/n) Σ H at the MLE", fmt(self.observed)]
        if self.expected is not None:
            differences = [f"{what} {_relative(a, self.expected):.3g}" for what, a in
                           (("empirical", self.empirical), ("observed", self.observed)) if a is not None]
            lines += ["expected Fisher F(θ̂)", fmt(self.expected),
                      f"largest relative difference to F(θ̂): {', '.join(differences)}"]
        lines += [f"note         {note}" for note in self.notes]
        return "\n".join(lines)


def _relative(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300))


def read_sample(text: str, origin: str, column: str | None = None) -> np.ndarray:
    """One numeric column of a CSV text (a header row is optional).

    Raises:
        InputFileError: no data, an unknown column, or a value that is not a number (with its line).
    """
    lines = text.splitlines()
    if not lines:
        raise InputFileError(f"{origin}: no data")
    first = next(csv.reader([lines[0]]))
    header = not all(_is_number(cell) for cell in first)
    names = [c.strip() for c in first] if header else [str(k) for k in range(len(first))]
    index = _column_index(names, column, origin)
    body = "\n".join(lines[1:] if header else lines)
    if not body.strip():
        # checked here: np.loadtxt would also warn on the terminal ("input contained no data")
        raise InputFileError(f"{origin}: no data rows")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = np.loadtxt(io.StringIO(body), delimiter=",", usecols=index, ndmin=1, dtype=float)
    except ValueError as exc:
        raise InputFileError(f"{origin}: {' '.join(str(exc).split())}") from None
    if data.size == 0:
        raise InputFileError(f"{origin}: no data rows")
    bad = np.flatnonzero(~np.isfinite(data))
    if bad.size:
        raise InputFileError(f"{origin}, line {bad[0] + 1 + header}: {data[bad[0]]} is not a finite number")
    return data


def _column_index(names: list[str], column: str | None, origin: str) -> int:
    """The index of ``column``: a header name first, else a 0-based number (as --help says)."""
    if column is None:
        return 0
    if column in names:
        return names.index(column)
    if column.strip().isdigit() and int(column) < len(names):
        return int(column)
    raise InputFileError(f"{origin}: no column {column!r}; the columns are {', '.join(names)}")


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def empirical_fisher(derivation: Derivation, sample: np.ndarray,
                     constants: dict[str, float] | None = None) -> EmpiricalFisher:
    """θ̂ and the empirical, observed and expected Fisher matrices for ``sample``.

    Floating-point trouble (overflow, 0/0) is not printed as NumPy warnings: every
    number handed back is checked to be finite and θ̂ to lie in its domain instead.

    Raises:
        ModelError: a value outside the support, a missing constant or one outside its domain, a sample too
            small or degenerate for the MLE, or results that are not finite.
    """
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return _empirical_fisher(derivation, sample, constants or {})


def _empirical_fisher(derivation: Derivation, sample: np.ndarray, constants: dict[str, float]) -> EmpiricalFisher:
    model = derivation.model
    x, theta = model.variable, model.theta
    fixed = _constants(model, constants)
    # a bound that depends on θ (uniform on (0, θ)) is checked at θ̂, below
    _check_support(model, sample, fixed, closed=False)
    symbols = (x, *theta)

    def vectorized(expr):
        fn = _compiled(sp.sympify(expr).subs(fixed), symbols)
        return lambda th: np.broadcast_to(np.asarray(fn(sample, *th), dtype=float), sample.shape)

    log_p = vectorized(sp.log(model.density))
    scores = [vectorized(s) for s in derivation.score]
    # a point mass (DiracDelta) in the Hessian: −(1/n) Σ H is not the observed information, so it is left out
    smooth = not any(d.code == "hessian-route-invalid" for d in derivation.diagnostics)
    hessian = [[vectorized(h) for h in row] for row in derivation.hessian] if smooth else None
    estimate, method = _mle(derivation, sample, fixed, log_p, scores)
    _check_estimate(model, sample, estimate)
    if derivation.regular:
        # also a closed form: rounding leaves σ̂ = 1e-8 instead of 0 for a constant log-normal sample
        # (not where the support depends on θ: that MLE is an order statistic, not a root of the score)
        _check_stationary(derivation, sample, estimate, scores, method)
    point = {**fixed, **dict(zip(theta, estimate))}
    # the MLE of such a bound is an order statistic, on the support's edge: the edge counts as inside
    _check_support(model, sample, point, closed=True)
    s = np.stack([f(estimate) for f in scores])                     # m × n
    n = sample.size
    empirical = s @ s.T / n
    observed = -np.array([[np.mean(h(estimate)) for h in row] for row in hessian]) if smooth else None
    expected = None
    if all(e is not None for row in derivation.fisher for e in row):
        expected = np.array([[_number(e.subs(point)) for e in row] for row in derivation.fisher])
    _check_finite(sample, {"the empirical Fisher matrix": empirical, "the observed Fisher matrix": observed,
                           "the expected Fisher matrix F(θ̂)": expected})
    return EmpiricalFisher(tuple(t.name for t in theta), estimate, method, n, empirical, observed, expected,
                           _notes(derivation))


def _notes(derivation: Derivation) -> tuple[str, ...]:
    """Why the matrices need not agree, read off the derivation's diagnostics."""
    def because(code: str) -> str:
        found = "; ".join(d.message for d in derivation.diagnostics if d.code == code)
        return f" ({found})" if found else ""
    notes = []
    if not derivation.regular:
        notes.append(f"the model is not regular{because('support-depends-on-parameter')}: "
                     "the three matrices need not agree")
    if any(d.code == "hessian-route-invalid" for d in derivation.diagnostics):
        notes.append(f"the observed Fisher matrix is left out{because('hessian-route-invalid')}")
    return tuple(notes)


def _number(expr: sp.Expr) -> float:
    """A SymPy number as a float; nan when it is not real (a complex or infinite value is checked by the caller)."""
    value = complex(sp.N(expr))
    return value.real if value.imag == 0 else float("nan")


def _constants(model, values: dict[str, float]) -> dict[sp.Symbol, float]:
    known = {c.name for c in model.constants}
    for name, value in values.items():
        if name not in known:
            raise ModelError(f"--value {name}={value:g}: the model has no constant {name} "
                             f"({'its constants: ' + ', '.join(sorted(known)) if known else 'it has none'})")
    out = {}
    for c in model.constants:
        if c.name not in values:
            raise ModelError(f"the constant {c.source} needs a value: --value {c.name}=NUMBER")
        if not c.domain.contains(values[c.name]):
            raise ModelError(f"--value {c.name}={values[c.name]:g}: the constant {c.name} must be "
                             f"{c.domain.description}")
        out[c.symbol] = values[c.name]
    return out


def _check_estimate(model, sample: np.ndarray, estimate: np.ndarray) -> None:
    """θ̂ must be finite and inside each parameter's domain: a degenerate sample puts it on the edge (σ̂ = 0)."""
    for p, value in zip(model.parameters, estimate):
        if not p.domain.contains(float(value)):
            shown = "not a real number" if np.isnan(value) else f"{value:g}"
            if not np.isfinite(value) and not np.isnan(value) or _too_large(sample):
                raise ModelError(f"no finite MLE and Fisher matrices for this sample (n = {sample.size}): the "
                                 f"estimate of {p.name} is {shown}, not finite; {_why_not_finite(sample)}")
            raise ModelError(f"no MLE inside the parameter domain for this sample (n = {sample.size}"
                             f"{', all values equal' if np.ptp(sample) == 0 else ''}): the estimate of {p.name} "
                             f"is {shown}, but {p.name} must be {p.domain.description}"
                             + ("" if np.ptp(sample) == 0 else ": the sample may be degenerate for this model"
                                + _or_rounding(sample)))


def _check_finite(sample: np.ndarray, matrices: dict[str, np.ndarray | None]) -> None:
    for what, matrix in matrices.items():
        if matrix is not None and not np.all(np.isfinite(matrix)):
            raise ModelError(f"no finite MLE and Fisher matrices for this sample (n = {sample.size}): {what} is "
                             f"not finite; {_why_not_finite(sample)}")


def _or_rounding(sample: np.ndarray) -> str:
    """For a sample whose values differ: the other possible cause, said as such (not claimed)."""
    if np.ptp(sample) == 0:
        return ""
    return ", or rounding may defeat the computation (values that vary little against their size)"


def _too_large(sample: np.ndarray) -> bool:
    # squares and products of the values overflow a float past about 1e154
    return bool(np.max(np.abs(sample)) > 1e150)


def _why_not_finite(sample: np.ndarray) -> str:
    return ("its values are too large for floating-point arithmetic" if _too_large(sample)
            else "the sample is too small or degenerate")


def _check_support(model, sample: np.ndarray, values: dict, closed: bool) -> None:
    """Every value inside the support; bounds that still hold a symbol after ``values`` are skipped.

    Raises:
        ModelError: naming the first value outside.
    """
    inside = _support_mask(model, sample, values, closed)
    if not inside.all():
        k = int(np.flatnonzero(~inside)[0])
        raise ModelError(f"sample value {sample[k]:g} (row {k + 1}) is outside the support {model.support.latex()}")


def _support_mask(model, sample: np.ndarray, values: dict, closed: bool = False) -> np.ndarray:
    support = model.support
    mask = np.ones(sample.shape, dtype=bool)
    for bound, side_closed, inside in ((support.lower, support.left_closed, (np.greater_equal, np.greater)),
                                       (support.upper, support.right_closed, (np.less_equal, np.less))):
        edge = bound.subs(values)
        if edge.free_symbols:
            continue                    # depends on θ: checked again at θ̂
        edge = float(sp.N(edge))
        mask &= inside[0 if side_closed or support.discrete or closed else 1](sample, edge)
    if support.discrete:
        mask &= np.equal(np.round(sample), sample)
        if support.values is not None:
            mask &= np.isin(sample, np.array(support.values, dtype=float))
    return mask


def _mle(derivation: Derivation, sample: np.ndarray, fixed: dict, log_p, scores) -> tuple[np.ndarray, str]:
    model = derivation.model
    closed = {c.key: c for s in derivation.sections if s.key == "results:mle" for c in s.chains}
    if closed and "mle:none" not in closed:
        x = model.variable

        def total(s: sp.Sum) -> sp.Expr:
            body = s.function.replace(lambda a: isinstance(a, sp.Indexed), lambda a: x).subs(fixed)
            fn = _compiled(body, (x,))
            return sp.Float(float(np.sum(np.broadcast_to(fn(sample), sample.shape))))
        values = []
        for t in model.theta:
            expr = closed[f"mle:{t.name}"].result.replace(lambda a: isinstance(a, sp.Sum), total)
            # an MLE at the support bound is an order statistic (x_(1), x_(n)) of the sample
            order = {o: float(f(sample)) for o, f in ORDER_STATISTICS.items()}
            values.append(_number(expr.subs({derivation.sample_size: sample.size, **fixed, **order})))
        return np.array(values), "closed form"
    start = np.array([float(v) for v in (model.sample_points(1)[0][t] for t in model.theta)])
    # each parameter is searched on the whole real line, u ↦ θ(u) onto its domain: a step can never land
    # on a domain's edge, where log p is not finite (a bound at 1e-9 stopped the Weibull after 3 steps)
    maps = [UNCONSTRAINED.get(p.domain.name, UNCONSTRAINED["real"]) for p in model.parameters]

    def theta_of(u):
        return np.array([m.theta(v) for m, v in zip(maps, u)])

    def objective(u):
        th = theta_of(u)
        # the mean, not the sum: the tolerances below then do not depend on the sample size
        with np.errstate(all="ignore"):
            value = -np.mean(log_p(th))
            gradient = -np.array([np.mean(f(th)) for f in scores]) * [m.slope(t) for m, t in zip(maps, th)]
        if not (np.isfinite(value) and np.all(np.isfinite(gradient))):
            return np.inf, np.zeros_like(u)
        return value, gradient
    result = optimize.minimize(objective, [m.u(t) for m, t in zip(maps, start)], jac=True, method="L-BFGS-B",
                               options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 5000})
    return theta_of(result.x), "numeric"


def _check_stationary(derivation: Derivation, sample: np.ndarray, estimate: np.ndarray, scores,
                      method: str) -> None:
    """θ̂ must be a root of the score: each mean score small against its root mean square.

    The ratio is scale-free; it is exactly 1 for a sample of equal values (every sᵢ
    the same), which is how a likelihood that grows without bound (gamma α → ∞, Cauchy
    γ → 0) shows itself at wherever the optimizer gave up.

    A score that jumps (Laplace: −sign(μ − x)/b) changes by up to 2/n of its size as
    θ crosses a data point, and the MLE is where it changes sign: a root up to one jump.

    Raises:
        ModelError: naming the parameter whose score is not zero.
    """
    model = derivation.model
    how = "closed-form MLE" if method == "closed form" else "numeric maximization"
    for p, f, expr, value in zip(model.parameters, scores, derivation.score, estimate):
        s = f(estimate)
        mean, rms = float(np.mean(s)), float(np.sqrt(np.mean(s * s)))
        tolerance = STATIONARY + (2 / sample.size if expr.has(sp.sign, sp.Heaviside) else 0)
        if not abs(mean) <= tolerance * rms:
            ratio = f"{abs(mean) / rms:.2g}" if np.isfinite(mean / rms) else "nan"
            raise ModelError(f"no MLE found for this sample (n = {sample.size}"
                             f"{', all values equal' if np.ptp(sample) == 0 else ''}): the {how} ends at a point "
                             f"where the mean score of {p.name} is not zero ({ratio} of its root mean square, "
                             f"at {p.name} = {value:g}); the likelihood may grow without bound: the sample is too "
                             f"small or degenerate for this model{_or_rounding(sample)}")
