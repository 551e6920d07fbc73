"""The Model: the only thing the parse stage hands on.

A validated density p(x|θ) with its variable, ordered parameters θ, known
constants, support and the diagnostics found while validating it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp

from symfisher.diagnostics import Diagnostic
from symfisher.errors import ModelError
from symfisher.model.domains import Domain
from symfisher.printing import expression_json
from symfisher.parse import Support

#: Seed of every random parameter point: output must be reproducible.
SEED = 20250818


@dataclass(frozen=True)
class Declared:
    """A declared parameter or constant."""

    symbol: sp.Symbol
    domain: Domain
    source: str

    @property
    def name(self) -> str:
        return self.symbol.name


@dataclass(frozen=True)
class Reparametrization:
    """New parameters η and the old ones written in them, θ = h(η)."""

    parameters: tuple[Declared, ...]
    theta: tuple[sp.Expr, ...]          # h(η), in the order of the model's parameters


@dataclass(frozen=True)
class Model:
    """A validated statistical model p(x|θ)."""

    density: sp.Expr
    variable: sp.Symbol
    parameters: tuple[Declared, ...]
    constants: tuple[Declared, ...]
    support: Support
    density_source: str
    support_source: str
    title: str = ""
    title_zh: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = field(default_factory=tuple)
    normalization: str = "unchecked"   # "symbolic", "numeric" or "unchecked"
    reparametrization: Reparametrization | None = None

    @property
    def theta(self) -> tuple[sp.Symbol, ...]:
        """The parameter vector θ, in the declared order."""
        return tuple(p.symbol for p in self.parameters)

    @property
    def discrete(self) -> bool:
        return self.support.discrete

    @property
    def support_depends_on_theta(self) -> bool:
        return bool(self.support.free_symbols & set(self.theta))

    @property
    def declared(self) -> tuple[Declared, ...]:
        return self.parameters + self.constants

    def sample_points(self, count: int = 3, seed: int = SEED) -> list[dict[sp.Symbol, sp.Expr]]:
        """Random points of the parameter and constant domains, with a non-empty support."""
        rng = np.random.default_rng(seed)
        points: list[dict[sp.Symbol, sp.Expr]] = []
        for _ in range(200 * count):
            point = {d.symbol: d.domain.sample(rng) for d in self.declared}
            if self._support_is_nonempty(point):
                points.append(point)
            if len(points) == count:
                return points
        raise ModelError(f"the support {self.support.latex()} is empty at every parameter point tried: "
                         "is it the right way round?")

    def edge_points(self, base: dict[sp.Symbol, sp.Expr], depth: int | None = None) -> list[dict[sp.Symbol, sp.Expr]]:
        """Points near the edges of the domains: one declared symbol at a time moved to its
        domain's edge values (the first ``depth`` of them; all for None), the others kept at ``base``.

        Points where the support is empty are left out. The order is fixed: parameters, then
        constants, in the declared order; each symbol's edges from moderate to extreme.
        """
        points = []
        # a constant the model does not use has no edge worth probing (10,000 unused constants took minutes)
        used = self.density.free_symbols | self.support.free_symbols
        for declared in (d for d in self.declared if d.symbol in used):
            for value in declared.domain.edges[:depth]:
                point = {**base, declared.symbol: value}
                if self._support_is_nonempty(point):
                    points.append(point)
        return points

    def _support_is_nonempty(self, point: dict[sp.Symbol, sp.Expr]) -> bool:
        # only the support's own symbols: subs with every declared name is quadratic in their number
        relevant = {s: point[s] for s in self.support.free_symbols if s in point}
        lo, hi = self.support.lower.subs(relevant), self.support.upper.subs(relevant)
        return bool((hi - lo).is_extended_positive or (self.discrete and (hi - lo).is_extended_nonnegative))

    def as_dict(self) -> dict[str, Any]:
        """The JSON form printed by ``symfisher parse --format json``."""
        return {
            "title": self.title,
            "variable": self.variable.name,
            "parameters": [p.name for p in self.parameters],
            "domains": {d.name: d.domain.name for d in self.declared},
            "constants": [c.name for c in self.constants],
            "support": {
                "latex": self.support.latex(),
                "kind": self.support.kind,
                "lower": expression_json(self.support.lower),
                "upper": expression_json(self.support.upper),
                "left_closed": self.support.left_closed or self.discrete,
                "right_closed": self.support.right_closed or self.discrete,
                **({"values": list(self.support.values)} if self.support.values else {}),
            },
            "discrete": self.discrete,
            "density": {**expression_json(self.density), "source": self.density_source},
            "normalization": self.normalization,
            "diagnostics": [d.as_dict() for d in self.diagnostics],
        }
