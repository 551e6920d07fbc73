"""The SymPy checks behind the second fresh corpus's non-obvious labels (tests/proofs/fresh2/manifest.yaml).

Run from the repository root: ``python tests/proofs/fresh2/check_labels.py``. Each line prints a
difference that must be 0 (or the numbers a label compares). The expressions are built here in code
from the authors' formulas, never parsed from the files.
"""

from __future__ import annotations

import sympy as sp


def main() -> None:
    """Print every check; a label is right when its line shows 0 (or the numbers its note quotes)."""
    x, t, n, p, lam, s, a, y0, y, k = sp.symbols("x theta n p lambda s alpha y_0 y k", positive=True)

    # Bernoulli (bonakdarpour_asymptotic_mle.md): the middle member with E X_i = p, against 1/(p(1-p)).
    middle = -p / p**2 - (1 - p) / (1 - p)**2
    print("bernoulli middle + 1/p + 1/(1-p)", sp.simplify(middle + 1 / p + 1 / (1 - p)))
    print("bernoulli middle - 1/(p(1-p)) (nonzero: false)", sp.simplify(middle - 1 / (p * (1 - p))))

    # Rayleigh (cv_rayleigh_newton.md): l per observation in θ, in θ² (as v) and in s.
    v = sp.symbols("v", positive=True)
    l_t = sp.log(x) - 2 * sp.log(t) - x**2 / (2 * t**2)
    print("rayleigh dl/dθ", sp.simplify(sp.diff(l_t, t) - (x**2 / t**3 - 2 / t)))
    print("rayleigh d2l/dθ2", sp.simplify(sp.diff(l_t, t, 2) - (-3 * x**2 / t**4 + 2 / t**2)))
    l_v = sp.log(x) - sp.log(v) - x**2 / (2 * v)
    print("rayleigh dl/dθ²", sp.simplify(sp.diff(l_v, v) - (-1 / v + x**2 / (2 * v**2))))
    print("rayleigh d2l/d(θ²)2", sp.simplify(sp.diff(l_v, v, 2) - (1 / v**2 - x**2 / v**3)))
    l_s = sp.log(x / s) - x**2 / (2 * s)
    print("rayleigh answer 2 dℓ/ds + written (0 means opposite sign)", sp.simplify(sp.diff(l_s, s) + (2 * s - x**2) / (2 * s**2)))
    print("rayleigh answer 2 d2ℓ/ds2 + written (0 means opposite sign)", sp.simplify(sp.diff(l_s, s, 2) + (x**2 - s) / s**3))

    # Pareto (qastack_pareto_se.md).
    l_a = sp.log(a) + a * sp.log(y0) - (a + 1) * sp.log(y)
    print("pareto L'", sp.simplify(sp.diff(l_a, a) - (1 / a + sp.log(y0) - sp.log(y))))
    print("pareto L''", sp.simplify(sp.diff(l_a, a, 2) + 1 / a**2))
    print("pareto SE", sp.N(sp.sqrt(sp.Float("4.6931")**2 / 5)))

    # Beta(θ, 1) (techqa_beta_crlb_*.md): one observation θ x^{θ-1} on (0, 1).
    l_b = sp.log(t) + (t - 1) * sp.log(x)
    info1 = sp.integrate(-sp.diff(l_b, t, 2) * t * x**(t - 1), (x, 0, 1))
    print("beta I_1 - 1/θ²", sp.simplify(info1 - 1 / t**2))
    print("beta root of the score", sp.solve(sp.Eq(n / t + sp.Symbol("S"), 0), t))

    # Normal in σ, μ = 0 (techqa_sigma_score.md): var(l'(σ)) with ΣX_i²/σ² ~ χ²_n (variance 2n).
    X = sp.symbols("X", real=True)
    l_sig = -sp.log(2 * sp.pi) / 2 - sp.log(s) - X**2 / (2 * s**2)
    print("normal σ score", sp.simplify(sp.diff(l_sig, s) - (-1 / s + X**2 / s**3)))
    print("normal σ var(l') - 2n/σ²", sp.simplify((1 / s**2) * 2 * n - 2 * n / s**2))

    # Non-regular 2x/θ² on (0, θ] (techqa_nonregular_max.md): the maximum M has density 2n x^{2n-1}/θ^{2n}.
    dens = 2 * n * x**(2 * n - 1) / t**(2 * n)
    mean = sp.simplify(sp.integrate(x * dens, (x, 0, t), conds="none"))
    second = sp.simplify(sp.integrate(x**2 * dens, (x, 0, t), conds="none"))
    print("non-regular E[max] - 2nθ/(2n+1)", sp.simplify(mean - 2 * n * t / (2 * n + 1)))
    written = sp.simplify(sp.integrate(x * 2 * n * x**(2 * n) / t**(2 * n), (x, 0, t), conds="none"))
    print("non-regular written integral", written)
    var_t = sp.simplify(((2 * n + 1) / (2 * n))**2 * (second - mean**2))
    print("non-regular Var((2n+1)/(2n) max) - θ²/(4n(n+1))", sp.simplify(var_t - t**2 / (4 * n * (n + 1))))

    # Trinomial (filehippo_trinomial.md): the 2×2 information and its inverse.
    p1, p2 = sp.symbols("p_1 p_2", positive=True)
    p3 = 1 - p1 - p2
    info = n * sp.Matrix([[1 / p1 + 1 / p3, 1 / p3], [1 / p3, 1 / p2 + 1 / p3]])
    written = n / p3 * sp.Matrix([[(1 - p2) / p1, 1], [1, (1 - p1) / p2]])
    print("trinomial I - written", sp.simplify(info - written))
    sigma = sp.Matrix([[p1 * (1 - p1), -p1 * p2], [-p1 * p2, p2 * (1 - p2)]]) / n
    print("trinomial I^{-1} - Σ", sp.simplify(written.inv() - sigma))

    # Multinomial (shuffle_multinomial_score.md), k = 3: diag(1/p)·n(diag p - p pᵀ)·diag(1/p).
    q = sp.Matrix(sp.symbols("q1:4", positive=True))
    d = sp.diag(*[1 / qi for qi in q])
    cov = n * (sp.diag(*q) - q * q.T)
    print("multinomial", sp.simplify(d * cov * d - n * (d - sp.ones(3, 3))))

    # Exponential family with E T = θ (techqa_expfamily_crlb.md), e.g. Poisson: T = X, c = log θ.
    print("expfamily Poisson: I · Var T", sp.simplify((1 / t**2) * t * t))


if __name__ == "__main__":
    main()
