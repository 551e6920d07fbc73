"""Time the empirical Fisher matrix on a million samples, beside the naive SymPy route.

symfisher: the MLE, the empirical and the observed Fisher matrix at the MLE,
vectorized with NumPy over the whole sample. Naive route: the score and Hessian
evaluated sample by sample with ``Expr.subs`` / ``evalf`` (timed on a slice and
extrapolated, since the full run would take hours).

    python benchmarks/empirical.py [--n 1000000] [--model normal]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from symfisher.catalog import catalog  # noqa: E402
from symfisher.derive import derive  # noqa: E402
from symfisher.empirical import empirical_fisher  # noqa: E402
from symfisher.model import build_model  # noqa: E402

SAMPLERS = {"normal": lambda rng, n: rng.normal(1.5, 2.0, n), "gamma": lambda rng, n: rng.gamma(3.0, 0.5, n),
            "poisson": lambda rng, n: rng.poisson(3.0, n).astype(float),
            "logistic": lambda rng, n: rng.logistic(0.5, 1.2, n)}


def naive(derivation, sample: np.ndarray, estimate: np.ndarray) -> float:
    point = dict(zip(derivation.model.theta, estimate))
    x = derivation.model.variable
    m = len(estimate)
    total = np.zeros((m, m))
    for value in sample:
        s = [float(e.subs(point).subs(x, value).evalf()) for e in derivation.score]
        total += np.outer(s, s)
    return total


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--naive-n", type=int, default=2_000)
    parser.add_argument("--model", default="normal", choices=sorted(SAMPLERS))
    args = parser.parse_args()
    rng = np.random.default_rng(20251124)
    sample = SAMPLERS[args.model](rng, args.n)
    start = time.perf_counter()
    derivation = derive(build_model(catalog()[args.model]), results=True)
    derive_seconds = time.perf_counter() - start
    empirical_fisher(derivation, sample[:1000])                     # compile once
    start = time.perf_counter()
    result = empirical_fisher(derivation, sample)
    ours = time.perf_counter() - start
    start = time.perf_counter()
    naive(derivation, sample[:args.naive_n], result.estimate)
    slice_seconds = time.perf_counter() - start
    extrapolated = slice_seconds * args.n / args.naive_n
    print(f"model {args.model}, n = {args.n:,} (MLE {result.method}); derivation itself {derive_seconds:.2f} s")
    print(f"{'route':<44}{'seconds':>12}")
    print(f"{'symfisher empirical_fisher (vectorized)':<44}{ours:>12.2f}")
    print(f"{f'naive subs/evalf, {args.naive_n:,} samples (measured)':<44}{slice_seconds:>12.2f}")
    print(f"{f'naive subs/evalf, {args.n:,} samples (extrapolated)':<44}{extrapolated:>12.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
