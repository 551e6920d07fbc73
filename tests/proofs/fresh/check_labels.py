"""The SymPy checks behind the fresh corpus's non-obvious labels (tests/proofs/fresh/manifest.yaml).

Run from the repository root: ``python tests/proofs/fresh/check_labels.py``. Each line prints a
difference that must be 0 (or the two numbers a label compares). The expressions are built here in
code from the authors' formulas, never parsed from the files.
"""

from __future__ import annotations

import math

import sympy as sp


def main() -> None:
    """Print every check; a label is right when its line shows 0 (or the numbers its note quotes)."""
    x, t, n, lam, mu, m, s, p, b, v = sp.symbols("x theta n lambda mu m sigma p beta v", positive=True)
    xr = sp.symbols("x_r", real=True)

    # Laplace (imathworks_laplace.md): one measurement, f = e^{-|x|/θ}/(2θ).
    f = sp.exp(-x / t) / (2 * t)                      # on x > 0; the density is even
    l = -sp.log(2) - sp.log(t) - x / t
    expect = lambda g: sp.simplify(2 * sp.integrate(g * f, (x, 0, sp.oo)))  # noqa: E731
    print("laplace dl/dθ", sp.simplify(sp.diff(l, t) - (-1 / t + x / t**2)))
    print("laplace d2l/dθ2", sp.simplify(sp.diff(l, t, 2) - (1 / t**2 - 2 * x / t**3)))
    print("laplace ∫|x|e^{-|x|/θ}dx - 2θ²", sp.simplify(2 * sp.integrate(x * sp.exp(-x / t), (x, 0, sp.oo)) - 2 * t**2))
    print("laplace I - 1/θ²", sp.simplify(expect(-sp.diff(l, t, 2)) - 1 / t**2))

    # Negative binomial, mean μ and size m (sse_negbin_mean_size.md).
    k = sp.symbols("k", nonnegative=True, integer=True)
    logf = sp.loggamma(k + m) - sp.loggamma(m) - sp.loggamma(k + 1) + m * sp.log(m / (m + mu)) + k * sp.log(mu / (m + mu))
    pmf = sp.binomial(k + m - 1, k) * (m / (m + mu))**m * (mu / (m + mu))**k
    linear_mean = lambda g: g.subs(k, 0) + sp.diff(g, k) * mu  # noqa: E731  (g is linear in k, E k = μ)
    print("negbin I_μμ", sp.simplify(-linear_mean(sp.diff(logf, mu, 2)) - m / ((m + mu) * mu)))
    print("negbin I_μm", sp.simplify(-linear_mean(sp.diff(logf, mu, m))))
    series = sp.binomial(k + m - 1, k) * (-m**(m - 1) * mu**k * (m + mu)**(-m - 2 - k)
                                          * (m * (m + mu)**2 * sp.polygamma(1, k + m) - m * (m + mu)**2 * sp.polygamma(1, m)
                                             + m * k + mu**2))
    at = {m: sp.Rational(3, 2), mu: sp.Rational(7, 3)}
    print("negbin I_mm terms", [sp.N((series + pmf * sp.diff(logf, m, 2)).subs(at).subs(k, j)) for j in range(4)])

    # Poisson, φ(T) = (1 - 1/n)^T with T ~ Poisson(nλ) (isolution_poisson_exp_crlb.md).
    second = sp.exp(-n * lam) * sp.exp(n * lam * (1 - 1 / n)**2)
    from_k1 = second - sp.exp(-n * lam)
    print("poisson E[φ²] - e^{λ(1/n-2)}", sp.simplify(sp.expand(second) - sp.exp(lam * (1 / n - 2))))
    print("poisson E[φ²] - (sum from k=1)", sp.simplify(second - from_k1))
    print("poisson Var", sp.simplify(sp.exp(lam * (1 / n - 2)) - sp.exp(-2 * lam) - sp.exp(-2 * lam) * (sp.exp(lam / n) - 1)))

    # Normal in (μ, σ) and the Fisher–Rao distance (edgeofchaos_gaussian.md).
    g = -sp.log(s * sp.sqrt(2 * sp.pi)) - (xr - mu)**2 / (2 * s**2)
    mean = lambda h: sp.simplify(sp.integrate(h * sp.exp(g), (xr, -sp.oo, sp.oo)))  # noqa: E731
    print("normal I_μμ, I_σσ, I_μσ", mean(-sp.diff(g, mu, 2)), mean(-sp.diff(g, s, 2)), mean(-sp.diff(g, mu, s)))
    eps = 1e-4   # a shift δμ at σ = 1: the distance must be δμ (ds² = dμ²/σ² + 2dσ²/σ²)
    page = math.sqrt(2) * math.acosh(1 + eps**2 / 2) / eps
    right = math.sqrt(2) * math.acosh(1 + (eps**2 / 2) / 2) / eps
    print("Fisher–Rao distance / δμ: page", round(page, 6), "right", round(right, 6))

    # Normal score in σ² (kltaylor_notes.md), gamma rate (quiz_gamma_rate.md), Bernoulli.
    gv = -sp.log(2 * sp.pi * v) / 2 - (xr - mu)**2 / (2 * v)
    print("normal s_σ²", sp.simplify(sp.diff(gv, v) - (-1 / (2 * v) + (xr - mu)**2 / (2 * v**2))))
    print("gamma d²ℓ/dβ² + 2n/β²", sp.simplify(sp.diff(2 * n * sp.log(b) - b * sp.Symbol("S"), b, 2) + 2 * n / b**2))
    print("bernoulli", sp.simplify(1 / p**2 * p + 1 / (1 - p)**2 * (1 - p) - 1 / (p * (1 - p))))

    # Geometric: trials on {1, 2, ...} (newbetuts_geometric.md) and failures on {0, 1, ...} with the
    # reparametrization θ = p/(1-p) (imathworks_geometric_reparam.md).
    big = sp.symbols("Theta", positive=True)
    print("geometric F_Θ", sp.simplify(n / big**2 + (n / big - n) / (1 - big)**2 - n * (1 / big**2 + 1 / ((1 - big) * big))))
    mean_failures = (1 - p) / p
    information = n / p**2 + n * mean_failures / (1 - p)**2
    row2 = n / p**2 - n * mean_failures / (1 - p)**2
    row3 = (n * (1 - p)**2 - n * p**3) / (p**2 * (1 - p)**2)
    print("geometric I_n(p) - n/(p²(1-p))", sp.simplify(information - n / (p**2 * (1 - p))))
    print("geometric row 2 - row 3 (not 0: a slip)", sp.simplify(row2 - row3))
    jac = sp.diff(t / (1 + t), t)
    print("geometric I_n(θ)", sp.simplify(jac**2 * information.subs(p, t / (1 + t))), "the answer's",
          sp.simplify((n * (1 + t)**2 / t**2 - n * t * (1 + t)) / (1 + t)**4))


if __name__ == "__main__":
    main()
