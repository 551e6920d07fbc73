"""Derive every catalogue model; print symfisher's time beside the naive SymPy route.

The naive route is what one would write by hand: differentiate sympy.log(p),
form each Fisher integrand s_j s_k p and hand it to sympy.integrate (or
sympy.summation), under a time budget per model. A naive run that times out
counts at the budget. Each naive answer is also compared numerically with
symfisher's, so a fast wrong answer (an unevaluated integral, a Piecewise, an
imaginary part) is shown as such.

    python benchmarks/derive_catalog.py [--naive-budget 60] [MODEL ...]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import sympy as sp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from symfisher import budget, numeric  # noqa: E402
from symfisher.catalog import catalog  # noqa: E402
from symfisher.derive import derive  # noqa: E402
from symfisher.errors import BudgetExceeded  # noqa: E402
from symfisher.model import build_model  # noqa: E402


def naive_fisher(model) -> list[sp.Expr]:
    """Upper-triangle Fisher entries by plain sympy.integrate / sympy.summation."""
    x, s, p = model.variable, model.support, model.density
    log_p = sp.log(p)
    score = [sp.diff(log_p, t) for t in model.theta]
    out = []
    for j in range(len(score)):
        for k in range(j, len(score)):
            integrand = score[j] * score[k] * p
            if s.discrete:
                value = sp.summation(integrand, (x, s.lower, s.upper))
            else:
                value = sp.integrate(integrand, (x, s.lower, s.upper))
            out.append(sp.simplify(value))
    return out


def verdict(model, values, reference) -> str:
    """'ok' when every naive entry is a closed form equal to symfisher's numbers."""
    for value in values:
        if value.has(sp.Integral, sp.Sum):
            return "unevaluated"
        if value.has(sp.Piecewise):
            return "piecewise"
    points = model.sample_points(2, seed=99)
    for value, ref in zip(values, reference):
        for pt in points:
            a = numeric.evaluate(value, pt)
            b = numeric.evaluate(ref, pt) if ref is not None else None
            if b is None:
                continue
            if abs(a.imag) > 1e-9:
                return "imaginary"
            if abs(a - b) > 1e-7 * max(1, abs(b)):
                return "wrong"
    return "ok"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="*")
    parser.add_argument("--naive-budget", type=float, default=60.0, help="seconds per model for the naive route")
    args = parser.parse_args()
    names = args.models or list(catalog())
    rows = []
    print(f"{'model':20} {'symfisher':>10} {'naive':>10} {'naive result':>13} {'speed-up':>9}")
    for name in names:
        model = build_model(catalog()[name])
        start = time.perf_counter()
        d = derive(model, results=False)     # the Fisher matrix only, as the naive route computes
        ours = time.perf_counter() - start
        reference = [d.fisher[j][k] for j in range(len(d.theta)) for k in range(j, len(d.theta))]
        start = time.perf_counter()
        try:
            values = budget.run(naive_fisher, model, seconds=args.naive_budget, label="naive")
            naive = time.perf_counter() - start
            result = verdict(model, values, reference)
        except BudgetExceeded:
            naive, result = args.naive_budget, "timeout"
        except Exception as exc:  # the naive route failing outright is a result too
            naive, result = time.perf_counter() - start, f"error:{type(exc).__name__}"
        symbolic = sum(e is not None for row in d.fisher for e in row)
        rows.append((name, ours, naive, result))
        print(f"{name:20} {ours:9.2f}s {naive:9.2f}s {result:>13} {naive / ours:8.1f}x"
              + ("" if symbolic == len(d.theta) ** 2 else "  (symfisher: some entries numeric)"), flush=True)
    times = [r[1] for r in rows]
    naive_total = sum(r[2] for r in rows)
    print()
    print(f"symfisher: total {sum(times):.2f}s, median {statistics.median(times):.2f}s, max {max(times):.2f}s "
          f"({max(rows, key=lambda r: r[1])[0]})")
    print(f"naive:     total {naive_total:.2f}s (timeouts counted at {args.naive_budget:g}s), "
          f"{sum(r[3] == 'ok' for r in rows)}/{len(rows)} correct closed forms")
    print(f"ratio:     {naive_total / sum(times):.1f}x")
    print(f"targets:   every model < 2 s: {'yes' if max(times) < 2 else 'NO'}; median < 0.5 s: "
          f"{'yes' if statistics.median(times) < 0.5 else 'NO'}; total 20x below naive: "
          f"{'yes' if naive_total >= 20 * sum(times) else 'NO'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
