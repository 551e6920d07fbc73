"""The notation tables: how statistics LaTeX maps onto SymPy.

Plain data, read by :mod:`symfisher.parse.expression`. Adding a function, a
constant or a spacing command is a row here, not a branch in the parser.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import sympy as sp

GREEK: frozenset[str] = frozenset(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda "
    "mu nu xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega "
    "Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega".split()
)

#: Commands that only adjust spacing or style: dropped.
IGNORED: frozenset[str] = frozenset(
    r"\, \; \: \! \  \quad \qquad \thinspace \medspace \thickspace \negthinspace "
    r"\displaystyle \textstyle \limits".split(" ")
) | {"\\ "}

#: Delimiter sizing commands: the delimiter that follows keeps its meaning.
SIZING: frozenset[str] = frozenset(
    r"\left \right \bigl \bigr \Bigl \Bigr \biggl \biggr \Biggl \Biggr \big \Big \bigg \Bigg".split()
)
OPENING_SIZING = frozenset(r"\left \bigl \Bigl \biggl \Biggl".split())
CLOSING_SIZING = frozenset(r"\right \bigr \Bigr \biggr \Biggr".split())

#: Delimiters (after a sizing command or bare) and what the parser receives.
#: Braces used as brackets in a density are grouping, so they become parentheses.
DELIMITERS: dict[str, str] = {
    "(": "(", ")": ")", "[": "[", "]": "]", r"\{": "(", r"\}": ")",
    r"\lbrace": "(", r"\rbrace": ")", r"\lbrack": "[", r"\rbrack": "]",
    "|": "|", r"\vert": "|", r"\lvert": "|", r"\rvert": "|", ".": "",
}
OPENERS = frozenset("( [".split()) | {r"\{", r"\lbrace", r"\lbrack"}
CLOSERS = frozenset(") ]".split()) | {r"\}", r"\rbrace", r"\rbrack"}

#: Commands passed to the LaTeX parser under a (possibly different) name.
PASSTHROUGH: dict[str, str] = {
    r"\frac": r"\frac", r"\dfrac": r"\frac", r"\tfrac": r"\frac", r"\cfrac": r"\frac",
    r"\sqrt": r"\sqrt", r"\binom": r"\binom", r"\dbinom": r"\binom", r"\tbinom": r"\binom",
    r"\exp": r"\exp", r"\ln": r"\ln", r"\cdot": r"\cdot", r"\times": r"\cdot", r"\ast": r"\cdot",
    r"\div": r"\div", r"\sin": r"\sin", r"\cos": r"\cos", r"\tan": r"\tan",
    r"\sinh": r"\sinh", r"\cosh": r"\cosh", r"\tanh": r"\tanh", r"\arctan": r"\arctan",
    r"\arcsin": r"\arcsin", r"\arccos": r"\arccos",
}

#: Commands whose arguments TeX lets you write without braces (``\frac12``).
ARGUMENT_COUNT: dict[str, int] = {r"\frac": 2, r"\dfrac": 2, r"\tfrac": 2, r"\cfrac": 2,
                                  r"\binom": 2, r"\dbinom": 2, r"\tbinom": 2, r"\sqrt": 1}

#: Commands that wrap a roman (upright) name: ``\mathrm{B}``, ``\operatorname{erf}``.
ROMAN: frozenset[str] = frozenset(r"\mathrm \operatorname \mathit \text \textrm \textit".split())

#: ``\log`` means the natural logarithm (statistics convention), as does ``\ln``;
#: ``\log_b`` keeps its base.
NATURAL_LOG = r"\log"

#: Commands that are ellipses (meaningful in supports only).
ELLIPSES: frozenset[str] = frozenset(r"\dots \ldots \cdots \dotsc \dotsb".split())


@dataclass(frozen=True)
class FunctionRule:
    """A named special function: ``spelling(args)`` becomes ``sympy_function(args)``."""

    sympy_function: Callable[..., sp.Expr]
    arity: int
    description: str


def _trigamma(z: sp.Expr) -> sp.Expr:
    return sp.polygamma(1, z)


def _normal_cdf(z: sp.Expr) -> sp.Expr:
    return (1 + sp.erf(z / sp.sqrt(2))) / 2


#: Special functions by canonical spelling ("rm:" marks an upright name).
#: Used only when the spelling is not a declared symbol and is followed by "(".
FUNCTIONS: dict[str, FunctionRule] = {
    "Gamma": FunctionRule(sp.gamma, 1, "the gamma function"),
    "B": FunctionRule(sp.beta, 2, "the beta function"),
    "rm:B": FunctionRule(sp.beta, 2, "the beta function"),
    "rm:Beta": FunctionRule(sp.beta, 2, "the beta function"),
    "psi": FunctionRule(sp.digamma, 1, "the digamma function"),
    "rm:digamma": FunctionRule(sp.digamma, 1, "the digamma function"),
    "psi'": FunctionRule(_trigamma, 1, "the trigamma function"),
    "rm:trigamma": FunctionRule(_trigamma, 1, "the trigamma function"),
    "Phi": FunctionRule(_normal_cdf, 1, "the standard normal distribution function"),
    "rm:erf": FunctionRule(sp.erf, 1, "the error function"),
    "rm:erfc": FunctionRule(sp.erfc, 1, "the complementary error function"),
}

#: Constants by canonical spelling, used when the spelling is not declared.
CONSTANTS: dict[str, sp.Expr] = {
    "e": sp.E,
    "rm:e": sp.E,
    "pi": sp.pi,
    "gamma_E": sp.EulerGamma,
}

#: Hints for spellings that are neither declared nor known.
HINTS: dict[str, str] = {
    "d": "a differential has no place in a density",
    "rm:d": "a differential has no place in a density",
    "I": "declare I if it is a symbol; the imaginary unit has no place in a density",
    "E": "Euler's number is written e or \\mathrm{e}; declare E if it is a symbol",
    "gamma": "declare \\gamma if it is a parameter; Euler's constant is written \\gamma_E",
}
