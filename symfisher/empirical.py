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
class EmpiricalFisher:
    """θ̂ and the three Fisher matrices at θ̂."""

    names: tuple[str, ...]
    estimate: np.ndarray
    method: str                      # "closed form" or "numeric"
    n: int
    empirical: np.ndarray
    observed: np.ndarray
    expected: np.ndarray | None

    def as_dict(self) -> dict[str, Any]:
        def matrix(a):
            return None if a is None else [[float(v) for v in row] for row in a]
        return {"parameters": list(self.names), "n": self.n, "mle": dict(zip(self.names, map(float, self.estimate))),
                "mle_method": self.method, "empirical_fisher": matrix(self.empirical),
                "observed_fisher": matrix(self.observed), "expected_fisher": matrix(self.expected)}

    def text(self) -> str:
        def fmt(a):
            return "\n".join("    " + "  ".join(f"{v:>12.6g}" for v in row) for row in a)
        lines = [f"n            {self.n}",
                 "mle          " + ", ".join(f"{k} = {v:.6g}" for k, v in zip(self.names, self.estimate))
                 + f" ({self.method})",
                 "empirical Fisher (1/n) Σ s sᵀ at the MLE", fmt(self.empirical),
                 "observed Fisher −(1/n) Σ H at the MLE", fmt(self.observed)]
        if self.expected is not None:
            lines += ["expected Fisher F(θ̂)", fmt(self.expected),
                      f"largest relative difference to F(θ̂): empirical {_relative(self.empirical, self.expected):.3g}, "
                      f"observed {_relative(self.observed, self.expected):.3g}"]
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
    if column is None:
        index = 0
    elif column in names:
        index = names.index(column)
    else:
        raise InputFileError(f"{origin}: no column {column!r}; the columns are {', '.join(names)}")
    body = "\n".join(lines[1:] if header else lines)
    try:
        data = np.loadtxt(io.StringIO(body), delimiter=",", usecols=index, ndmin=1, dtype=float)
    except ValueError as exc:
        raise InputFileError(f"{origin}: {' '.join(str(exc).split())}") from None
    if data.size == 0:
        raise InputFileError(f"{origin}: no data rows")
    bad = np.flatnonzero(~np.isfinite(data))
    if bad.size:
        raise InputFileError(f"{origin}, line {bad[0] + 1 + header}: {data[bad[0]]} is not a finite number")
    return data


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def empirical_fisher(derivation: Derivation, sample: np.ndarray,
                     constants: dict[str, float] | None = None) -> EmpiricalFisher:
    """θ̂ and the empirical, observed and expected Fisher matrices for ``sample``.

    Raises:
        ModelError: a value outside the support, a missing constant, or an MLE that cannot be found.
    """
    model = derivation.model
    x, theta = model.variable, model.theta
    fixed = _constants(model, constants or {})
    inside = np.asarray(_support_mask(model, sample, fixed))
    if not inside.all():
        k = int(np.flatnonzero(~inside)[0])
        raise ModelError(f"sample value {sample[k]:g} (row {k + 1}) is outside the support {model.support.latex()}")
    symbols = (x, *theta)

    def vectorized(expr):
        fn = _compiled(sp.sympify(expr).subs(fixed), symbols)
        return lambda th: np.broadcast_to(np.asarray(fn(sample, *th), dtype=float), sample.shape)

    log_p = vectorized(sp.log(model.density))
    scores = [vectorized(s) for s in derivation.score]
    hessian = [[vectorized(h) for h in row] for row in derivation.hessian]
    estimate, method = _mle(derivation, sample, fixed, log_p, scores)
    s = np.stack([f(estimate) for f in scores])                     # m × n
    n = sample.size
    empirical = s @ s.T / n
    observed = -np.array([[np.mean(h(estimate)) for h in row] for row in hessian])
    expected = None
    if all(e is not None for row in derivation.fisher for e in row):
        point = {**fixed, **dict(zip(theta, estimate))}
        expected = np.array([[float(sp.N(e.subs(point))) for e in row] for row in derivation.fisher])
    return EmpiricalFisher(tuple(t.name for t in theta), estimate, method, n, empirical, observed, expected)


def _constants(model, values: dict[str, float]) -> dict[sp.Symbol, float]:
    out = {}
    for c in model.constants:
        if c.name not in values:
            raise ModelError(f"the constant {c.source} needs a value: --value {c.name}=NUMBER")
        out[c.symbol] = values[c.name]
    return out


def _support_mask(model, sample: np.ndarray, fixed: dict) -> np.ndarray:
    support = model.support
    lo, hi = (float(sp.N(b.subs(fixed))) for b in (support.lower, support.upper))
    left = sample >= lo if support.left_closed or support.discrete else sample > lo
    right = sample <= hi if support.right_closed or support.discrete else sample < hi
    mask = left & right
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
            values.append(float(sp.N(expr.subs({derivation.sample_size: sample.size, **fixed, **order}))))
        return np.array(values), "closed form"
    start = np.array([float(v) for v in (model.sample_points(1)[0][t] for t in model.theta)])
    bounds = [{"positive": (1e-9, None), "nonnegative": (0, None), "unit": (1e-9, 1 - 1e-9)}.get(p.domain.name,
                                                                                              (None, None))
              for p in model.parameters]

    def objective(th):
        with np.errstate(all="ignore"):
            value = -np.sum(log_p(th))
            gradient = -np.array([np.sum(f(th)) for f in scores])
        if not np.isfinite(value):
            return 1e300, np.zeros_like(th)
        return value, gradient
    result = optimize.minimize(objective, start, jac=True, method="L-BFGS-B", bounds=bounds)
    if not result.success and np.max(np.abs(result.jac)) > 1e-3 * sample.size:
        raise ModelError(f"the MLE could not be found numerically: {result.message}")
    return np.asarray(result.x, dtype=float), "numeric"
