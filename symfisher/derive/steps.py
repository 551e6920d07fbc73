"""Steps as data: what the derivation hands to the renderer.

A :class:`Step` is one equality (or approximation) ``lhs = rhs`` with the rule
that justifies it and how it was established. Rule names are a public interface:
templates pick their wording by rule name (see :data:`RULES`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Union

import sympy as sp


class Status(str, Enum):
    """How a step was established."""

    PROVED = "proved"            # proved symbolically (algebra or a named rule)
    NUMERIC = "numeric"          # checked numerically only
    UNKNOWN = "unknown"          # not established (e.g. a regularity condition fails)
    CONDITIONAL = "conditional"  # proved where a stated condition holds, which the domains do not decide


@dataclass(frozen=True)
class Tex:
    """Abstract notation that is not a SymPy expression (the general proofs): LaTeX text."""

    latex: str


Math = Union[sp.Basic, Tex]


@dataclass(frozen=True)
class NumericCheck:
    """A symbolic result compared with quadrature or summation at parameter points."""

    points: tuple[tuple[tuple[str, str], ...], ...]   # ((name, value), ...) per point
    symbolic: tuple[complex, ...]
    numeric: tuple[complex, ...]
    passed: bool

    def as_dict(self) -> dict[str, Any]:
        return {"passed": self.passed,
                "points": [dict(p) for p in self.points],
                "symbolic": [_num(v) for v in self.symbolic],
                "numeric": [_num(v) for v in self.numeric]}


def _num(value: complex) -> float | list[float]:
    value = complex(value)
    return round(value.real, 12) if abs(value.imag) < 1e-12 else [value.real, value.imag]


@dataclass(frozen=True)
class Step:
    """One link ``lhs = rhs`` of a derivation chain."""

    lhs: Math
    rhs: Math
    rule: str
    status: Status = Status.PROVED
    detail: str = ""                   # rule-specific data, e.g. the failing condition
    check: NumericCheck | None = None
    relation: str = "="                # "=", "≈", "≠" (a comparison that fails), "⪰" (a matrix bound)
    #                                    or "⇝" (convergence in law)

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise ValueError(f"unknown rule {self.rule!r}")


@dataclass(frozen=True)
class Chain:
    """Steps that continue one another: lhs₁ = rhs₁ = rhs₂ = ..."""

    key: str                           # what the chain derives, e.g. "score:mu"
    steps: tuple[Step, ...]

    @property
    def lhs(self) -> Math:
        return self.steps[0].lhs

    @property
    def result(self) -> Math:
        return self.steps[-1].rhs


@dataclass(frozen=True)
class Section:
    """A titled group of chains; ``key`` selects the section's wording."""

    key: str
    chains: tuple[Chain, ...] = field(default_factory=tuple)


#: Every rule a step may cite, with what it states.
RULES: dict[str, str] = {
    # definitions
    "definition-log-likelihood": "L(X|θ) = Σᵢ log p(xᵢ|θ) for i.i.d. observations",
    "definition-score": "s(x|θ) = ∇θ log p(x|θ)",
    "definition-expectation": "E_p[g] = ∫ g(x) p(x|θ) dx (a sum for a discrete support)",
    "definition-fisher": "F = E_p[s sᵀ]",
    "definition-hessian": "H = ∂/∂θ (∂ log p/∂θ)ᵀ",
    "score-of-sample": "∇θ L(X|θ) = Σᵢ ∇θ log p(xᵢ|θ) = Σᵢ s(xᵢ|θ)",
    "empirical-fisher": "F ≈ (1/n) Σᵢ s(xᵢ|θ) s(xᵢ|θ)ᵀ (law of large numbers)",
    # algebra and calculus
    "log-expand": "log(ab) = log a + log b, log aᵏ = k log a (on the support, under the domains)",
    "linearity-derivative": "the derivative of a sum is the sum of the derivatives",
    "differentiate": "differentiate each term (power, chain and product rules)",
    "simplify": "algebraic simplification",
    "substitute": "substitute the expression derived above (a term free of xᵢ summed n times is n times it)",
    "log-derivative": "∇ log p = ∇p / p (chain rule)",
    "cancel-density": "(∇p / p) · p = ∇p where p > 0",
    "quotient-rule": "∇(∇p/p) = (𝐇_p p − ∇p ∇pᵀ) / p²",
    "split-fraction": "(a − b)/c = a/c − b/c",
    "linearity-expectation": "E[a + b] = E[a] + E[b], E[c·g] = c·E[g]",
    "differentiate-under-integral": "∇∫ p dx = ∫ ∇p dx (regularity: the support does not depend on θ "
                                    "and ∇p is dominated by an integrable function)",
    "normalization": "∫ p(x|θ) dx = 1",
    "derivative-of-constant": "the derivative of a constant is 0",
    "expectation-computed": "the expectation evaluated over the support",
    "special-function-identity": "the recurrences ψ(1+z) = ψ(z) + 1/z, Γ(1+z) = zΓ(z) and the reflection "
                                 "ψ(1−z) − ψ(z) = π cot(πz) show the value is 0",
    "symmetry": "∂²f/∂θᵢ∂θⱼ = ∂²f/∂θⱼ∂θᵢ",
    "fisher-identity": "F = −E[𝐇_{log p}] (proved in general above)",
    "score-route": "the entry of F found from E[s sᵀ] above",
    "routes-differ": "E[s sᵀ] ≠ −E[𝐇]: the conditions of the identity fail for this model",
    "mle-solve": "solve the likelihood equations Σᵢ s(xᵢ|θ) = 0 for θ (that the solution is a strict maximum "
                 "inside the domains is checked on samples drawn from the model at several parameter points)",
    "mle-numeric": "no closed form: θ̂ solves Σᵢ s(xᵢ|θ) = 0 numerically (Newton or Fisher scoring)",
    "mle-unknown": "the support depends on θ and θ̂ was not found: the likelihood equations do not locate it",
    "mle-admissible": "L(X|θ) = 0 unless every xᵢ lies in the support: a condition on θ through an order statistic",
    "mle-order-statistic": "the score of the sample has one sign on the admissible set, so L is monotone there "
                           "and largest at its boundary",
    "order-statistic-rate": "P(n|θ − θ̂| > y) → e^{−ρy}, ρ the density at the support bound (ρ > 0): the error "
                            "shrinks like 1/n, not 1/√n",
    "classical-hessian": "the Hessian in the classical sense, almost everywhere in x (away from the kink, where "
                         "the δ term vanishes)",
    "cramer-rao": "Cov(θ̂) ⪰ F⁻¹/n for unbiased θ̂ (Cramér–Rao: support free of θ, E[s] = 0, F positive definite)",
    "matrix-inverse": "the inverse of F",
    "reparametrization-map": "the old parameters written in the new ones, θ = h(η)",
    "reparametrization": "F_η = Jᵀ F_θ J with J = ∂θ/∂η (chain rule in the score)",
    "direct-derivation": "F derived directly in η, by the same engine",
    "kl-definition": "KL[p ‖ q] = E_p[log p − log q]",
    "taylor": "Taylor expansion to second order in d",
    "kl-quadratic": "the Fisher quadratic form ½ dᵀ F d found above",
    "point-mass": "the Hessian in the sense of distributions (𝐇^δ) adds the point mass of a kink, "
                  "e.g. ∂²|x−μ|/∂μ² = 2δ(x−μ)",
}
