"""The auditor: every step a derivation states is re-checked numerically, independently of symfisher.

A step with status ``proved`` and relation ``=`` whose two sides are SymPy expressions must hold at random
points of the declared domains (and, where a side depends on x, at random points of the support). A step
with relation ``≠`` must have a witness: a point where both sides are finite and differ. Integrals and sums
over the variable are evaluated with mpmath, with a guard that detects divergence (the tail or the
endpoint contributions do not shrink), so a divergent integral is never read as its analytic continuation.

Only the derivation's data is read (``d.sections`` -> chains -> steps, ``d.model``); nothing of symfisher's
numeric machinery is used.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import mpmath
import sympy as sp

from reference import MPMATH_SAFE, infinite_sum

#: Relative tolerance of the comparison (an absolute floor of the same size near zero).
TOL = 1e-6
#: Trial points per step.
TRIALS = 2
#: The sample size put for n in the sums over a sample.
SAMPLE_SIZE = 3
#: Where parameter values are drawn, per domain (inside the domain, away from its edges).
RANGES = {"real": (-1.5, 1.5), "positive": (0.6, 2.8), "nonnegative": (0.2, 2.8), "unit": (0.2, 0.8),
          "integer": (-3, 3), "positive_integer": (1, 5)}
DIVERGES = "diverges"
#: Working precision of the quadrature (digits): at 15, endpoint singularities such as x^(a−1)(1−x)^(−a)
#: lose six digits and a true step would look false.
DPS = 30


class Undecided(Exception):
    """A side has no reliable number at this point (overflow, quadrature failure): no verdict either way."""


@dataclass(frozen=True)
class Violation:
    """A step stated as true that the numbers contradict (or a ≠ without a witness)."""

    model: str
    section: str
    chain: str
    rule: str
    relation: str
    lhs: str
    rhs: str
    values: str
    kind: str = "numeric"          # "numeric" (a false =), "witness" (≠ without one), "remainder" (O(·) dropped)

    def __str__(self) -> str:
        return (f"{self.model} / {self.section} / {self.chain}: rule {self.rule} states "
                f"{_short(self.lhs)} {self.relation} {_short(self.rhs)}; {self.values}")


def _short(text: str, width: int = 90) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _tail_diverges(fn, a: mpmath.mpf, b: mpmath.mpf, c: mpmath.mpf) -> bool:
    """Contributions on [a, b] and the next decade [b, c]: no decay is the mark of divergence."""
    first = abs(mpmath.quad(lambda t: abs(fn(t)), [a, b]))
    second = abs(mpmath.quad(lambda t: abs(fn(t)), [b, c]))
    return first > 1e-12 and second >= 0.95 * first


def _kinks(integrand: sp.Expr, var: sp.Symbol) -> list[mpmath.mpf]:
    """Where |·|, sign or a step switches (|x − μ| at x = μ): quadrature must split there."""
    points = []
    for atom in integrand.atoms(sp.Abs, sp.sign, sp.Heaviside):
        arg = atom.args[0]
        if var in arg.free_symbols and sp.degree(arg, var) == 1 if arg.is_polynomial(var) else False:
            root = sp.solve(arg, var)
            points += [mpmath.mpf(sp.N(r, 30)) for r in root if r.is_real]
    return points


def numeric_integral(integrand: sp.Expr, var: sp.Symbol, lower: sp.Expr, upper: sp.Expr,
                     discrete: bool) -> mpmath.mpf | str:
    """∫ or Σ of a function of ``var`` alone; DIVERGES when the guard sees no decay.

    Raises:
        Undecided: the integrand cannot be evaluated reliably.
    """
    with mpmath.workdps(DPS):
        return _numeric_integral(integrand, var, lower, upper, discrete)


def _numeric_integral(integrand: sp.Expr, var: sp.Symbol, lower: sp.Expr, upper: sp.Expr,
                      discrete: bool) -> mpmath.mpf | str:
    fn = sp.lambdify(var, integrand, modules=[MPMATH_SAFE, "mpmath"])
    lo = mpmath.mpf(sp.N(lower, 30)) if lower.is_finite else -mpmath.inf
    hi = mpmath.mpf(sp.N(upper, 30)) if upper.is_finite else mpmath.inf
    try:
        if discrete:
            if hi == mpmath.inf:
                # the terms as a function of a continuous index: Σ converges iff this tail integral does
                if _tail_diverges(fn, lo + 1e4, lo + 1e5, lo + 1e6):
                    return DIVERGES
                return infinite_sum(fn, int(lo))
            return mpmath.fsum(fn(mpmath.mpf(k)) for k in range(int(lo), int(hi) + 1))
        if hi == mpmath.inf and _tail_diverges(fn, max(lo, 0) + 1e4, max(lo, 0) + 1e5, max(lo, 0) + 1e6):
            return DIVERGES
        if lo == -mpmath.inf and _tail_diverges(fn, min(hi, 0) - 1e4, min(hi, 0) - 1e5, min(hi, 0) - 1e6):
            return DIVERGES
        for end, sign in ((lo, 1), (hi, -1)):
            if end not in (mpmath.inf, -mpmath.inf) and _tail_diverges(fn, end + sign * 1e-6, end + sign * 1e-7,
                                                                      end + sign * 1e-8):
                return DIVERGES
        cuts = [lo, hi] + [k for k in _kinks(integrand, var) if lo < k < hi]
        if lo == -mpmath.inf or hi == mpmath.inf:
            centres = [0 if lo == -mpmath.inf else lo] + [k for k in cuts[2:]]
            cuts += [t for c in centres for d in (1, 10, 100) for t in (c - d, c + d) if lo < t < hi]
            if lo == -mpmath.inf and hi == mpmath.inf:
                cuts.append(mpmath.mpf(0))
        else:
            cuts.append((lo + hi) / 2)
        value = mpmath.quad(fn, sorted(set(cuts)))
    except (ZeroDivisionError, OverflowError, ValueError, TypeError) as exc:
        raise Undecided(f"quadrature failed: {exc}") from None
    if not mpmath.isfinite(value):
        raise Undecided("quadrature gave no finite value")
    return value


class Evaluator:
    """Numbers for the sides of a derivation's steps at random points of a model's domains."""

    def __init__(self, model, sample_size_symbol: sp.Symbol | None, seed: str) -> None:
        self.model = model
        self.n = sample_size_symbol
        self.rng = random.Random(seed)
        self.x = model.variable
        self.domains = {d.symbol: d.domain.name for d in model.declared}

    def point(self, symbols: set[sp.Symbol]) -> dict[sp.Symbol, sp.Expr]:
        """Values for the declared symbols, n, and any other symbol (by its assumptions)."""
        point: dict[sp.Symbol, sp.Expr] = {}
        for s in sorted(symbols | set(self.domains), key=sp.default_sort_key):
            if s == self.x:
                continue
            if s == self.n:
                point[s] = sp.Integer(SAMPLE_SIZE)
            elif s in self.domains:
                point[s] = self._draw(self.domains[s])
            elif s.name.startswith("d_"):
                # the KL displacement d: small, so that θ + d stays inside the domains
                point[s] = sp.Rational(self.rng.choice([-1, 1]) * self.rng.randint(10, 60), 1000)
            elif s.is_integer:
                point[s] = self._draw("positive_integer" if s.is_positive else "integer")
            else:
                point[s] = self._draw("positive" if s.is_positive or s.is_nonnegative else "real")
        # one value of x, and one sample x_1..x_n, shared by both sides of the step
        point[self.x] = self.support_value(point)
        self.sample = [self.support_value(point) for _ in range(SAMPLE_SIZE)]
        return point

    def _draw(self, domain: str) -> sp.Expr:
        lo, hi = RANGES[domain]
        if domain in ("integer", "positive_integer"):
            return sp.Integer(self.rng.randint(int(lo), int(hi)))
        return sp.Rational(round(self.rng.uniform(lo, hi) * 1000), 1000)

    def support_value(self, point: dict) -> sp.Expr:
        """A random point of the support at these parameter values."""
        lo, hi = (b.subs(point) for b in (self.model.support.lower, self.model.support.upper))
        if self.model.discrete:
            start = int(lo) if lo.is_finite else 0
            stop = int(hi) if hi.is_finite else start + 6
            return sp.Integer(self.rng.randint(start, stop))
        if lo.is_finite and hi.is_finite:
            return lo + (hi - lo) * sp.Rational(self.rng.randint(50, 950), 1000)
        if lo.is_finite:
            return lo + sp.Rational(self.rng.randint(50, 3000), 1000)
        if hi.is_finite:
            return hi - sp.Rational(self.rng.randint(50, 3000), 1000)
        return sp.Rational(self.rng.randint(-2500, 2500), 1000)

    def value(self, expr: sp.Basic, point: dict) -> list[complex | str]:
        """The side's number(s) at the point (a list: a matrix side gives its entries)."""
        e = expr
        if isinstance(e, sp.MatrixExpr) and not isinstance(e, sp.MatrixBase):
            e = e.doit()
        if isinstance(e, sp.MatrixBase):
            return [v for entry in e for v in self.value(entry, point)]
        # derivatives with respect to θ are taken before θ gets a number
        e = e.replace(lambda a: isinstance(a, sp.Derivative), lambda a: a.doit())
        e = e.subs({s: v for s, v in point.items() if s == self.n})
        # sums over a sample x_1..x_n: expand, then give each x_i a value in the support
        e = e.replace(lambda a: isinstance(a, sp.Sum) and self.x not in a.variables, lambda a: a.doit())
        try:
            e = e.subs({i: self.sample[int(i.indices[0]) - 1] for i in e.atoms(sp.Indexed)})
        except (TypeError, IndexError) as exc:
            raise Undecided(f"a sample term without a numeric index: {exc}") from None
        params = {s: v for s, v in point.items() if s not in (self.n, self.x)}
        e = e.subs(params)
        diverged = []

        def integral(a):
            (var, lo, hi), = a.limits
            v = numeric_integral(a.function, var, lo, hi, isinstance(a, sp.Sum))
            if v == DIVERGES:
                diverged.append(a)
                return sp.S.Zero
            return sp.Float(mpmath.nstr(v, 25), 25)
        e = e.replace(lambda a: isinstance(a, (sp.Integral, sp.Sum)), integral)
        if diverged:
            return [DIVERGES]
        if self.x in e.free_symbols:
            e = e.subs(self.x, point[self.x])
        try:
            z = complex(sp.N(e, 30))
        except (TypeError, ValueError) as exc:
            raise Undecided(f"no number: {exc}") from None
        if not (math.isfinite(z.real) and math.isfinite(z.imag)):
            raise Undecided("not finite")
        return [z]


def _close(a: complex | str, b: complex | str) -> bool:
    if DIVERGES in (a, b):
        return a == b
    return abs(a - b) <= TOL * max(1.0, abs(a), abs(b))


def _fmt(values: list) -> str:
    def one(v):
        if v == DIVERGES:
            return "diverges"
        return f"{v.real:.10g}" if abs(v.imag) < 1e-12 else f"{v.real:.6g}{v.imag:+.6g}i"
    return "[" + ", ".join(one(v) for v in values) + "]"


def _where(point: dict) -> str:
    return ", ".join(f"{k} = {v}" for k, v in point.items())


def _text(side) -> str:
    return side.latex if hasattr(side, "latex") and isinstance(getattr(side, "latex"), str) else str(side)


def _has_remainder(side) -> bool:
    """A side that carries an O(·) term (LaTeX text or a SymPy Order)."""
    if isinstance(side, sp.Basic):
        return side.has(sp.Order)
    return "O(" in _text(side)


def audit(derivation, label: str) -> tuple[list[Violation], int, int]:
    """Check every auditable step of a derivation.

    Returns:
        (violations, steps audited, steps undecided).
    """
    from symfisher.derive.steps import Status, Tex

    model = derivation.model
    ev = Evaluator(model, getattr(derivation, "sample_size", None), seed=f"audit:{label}")
    violations: list[Violation] = []
    audited = undecided = 0
    cache: dict = {}
    for section in derivation.sections:
        for chain in section.chains:
            remainder = False
            for step in chain.steps:
                # an approximation chain keeps its remainder to the end: ... = ½dᵀFd + O(‖d‖³) = <no O> is false
                if remainder and step.relation == "=" and not _has_remainder(step.rhs):
                    violations.append(Violation(label, section.key, chain.key, step.rule, step.relation,
                                                _text(step.lhs), _text(step.rhs),
                                                "the remainder O(·) of an earlier step is dropped in an equality",
                                                kind="remainder"))
                    remainder = False
                remainder = remainder or _has_remainder(step.rhs)
                if isinstance(step.lhs, Tex) or isinstance(step.rhs, Tex):
                    continue
                claims_equal = step.relation == "=" and step.status == Status.PROVED
                claims_differ = step.relation == "≠"
                if not (claims_equal or claims_differ):
                    continue
                audited += 1
                witnessed, contradicted, decided = "", "", False
                symbols = set(step.lhs.free_symbols) | set(step.rhs.free_symbols)
                for _ in range(TRIALS):
                    point = ev.point(symbols)
                    try:
                        key = (step.lhs, step.rhs, tuple(sorted(point.items(), key=lambda kv: kv[0].name)),
                               tuple(ev.sample))
                        if key not in cache:
                            cache[key] = (ev.value(step.lhs, point), ev.value(step.rhs, point))
                        a, b = cache[key]
                    except Undecided:
                        continue
                    decided = True
                    if len(a) == len(b) and all(_close(u, v) for u, v in zip(a, b)):
                        continue
                    if len(a) == len(b) and all(DIVERGES not in (u, v) for u, v in zip(a, b)):
                        witnessed = f"at {_where(point)}: lhs {_fmt(a)}, rhs {_fmt(b)}"
                    contradicted = f"at {_where(point)}: lhs {_fmt(a)}, rhs {_fmt(b)}"
                    break
                if not decided:
                    undecided += 1
                    continue
                if claims_equal and contradicted:
                    violations.append(Violation(label, section.key, chain.key, step.rule, step.relation,
                                                str(step.lhs), str(step.rhs), "numerically " + contradicted))
                if claims_differ and not witnessed:
                    violations.append(Violation(label, section.key, chain.key, step.rule, step.relation,
                                                str(step.lhs), str(step.rhs),
                                                "no witness: the sides agree at every point tried",
                                                kind="witness"))
    return violations, audited, undecided
