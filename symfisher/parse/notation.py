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


# ---------------------------------------------------------------------------- known objects
# One table for both readers. The density parser reads none of these objects (a density has no
# expectation or Fisher information in it) but uses the table to say why a spelling is refused; the
# proof reader (symfisher.check.notation) dispatches from it to one handler per kind.

@dataclass(frozen=True)
class KnownObject:
    """A name that stands for an object of the theory when applied to arguments, never for a symbol.

    ``kind`` selects the proof reader's handler; ``application`` says how it is written with its
    arguments (shown in messages when a use cannot be read with certainty).
    """

    kind: str
    application: str


#: Known objects by canonical spelling: a style prefix ("rm:", "bf:", "cal:", "bb:") and the name.
#: A bare row also covers its "rm:" and "bf:" spellings (\mathrm{E}, \mathbf{F}); a declared symbol of
#: the same name always wins, since the author said what it is.
KNOWN_OBJECTS: dict[str, KnownObject] = {
    "p": KnownObject("density", "p(x|θ), p(x;θ)"),
    "f": KnownObject("density", "f(x|θ), f(x;θ), f_θ(x), f_X(x)"),
    "s": KnownObject("score", "s(x|θ), s_μ(x|θ)"),
    "F": KnownObject("fisher", "F, F(θ), F_{μσ}"),
    "I": KnownObject("fisher", "I(θ), I_X(θ), I_n(θ) = n I(θ)"),
    "cal:I": KnownObject("fisher", "\\mathcal{I}(θ)"),
    "H": KnownObject("hessian", "H_f, H_{μσ}"),
    "L": KnownObject("likelihood", "L(θ; x) = p(x|θ); the note's L(X|θ) is the sample log-likelihood"),
    "cal:L": KnownObject("likelihood", "\\mathcal{L}(θ; x) = p(x|θ)"),
    "ell": KnownObject("log-likelihood", "ℓ(θ; x) = log p(x|θ), ℓ'(θ), ℓ''(θ)"),
    "l": KnownObject("log-likelihood", "l(θ; x) = log p(x|θ), l'(θ)"),
    "cal:l": KnownObject("log-likelihood", "\\mathcal{l}(θ; x) = log p(x|θ), \\mathcal{l}'(θ)"),
    "E": KnownObject("expectation", "E[g], E(g), E_θ[g]"),
    "bb:E": KnownObject("expectation", "\\mathbb{E}[g], \\mathbb{E}_θ[g]"),
    "Var": KnownObject("variance", "Var(g) = E[g²] − E[g]²"),
    "Cov": KnownObject("covariance", "Cov(g, h) = E[gh] − E[g]E[h]"),
    "Pr": KnownObject("probability", "Pr(X = k), P(X = k): the model's probability of X = k"),
    "P": KnownObject("probability", "P(X = k): the model's probability of X = k; P(x|θ), P(x;θ) a density"),
    "bb:P": KnownObject("probability", "\\mathbb{P}(X = k): the model's probability of X = k"),
}

#: What each kind of known object is, in messages.
KIND_NAMES: dict[str, str] = {
    "density": "density", "score": "score", "fisher": "Fisher information", "hessian": "Hessian",
    "likelihood": "likelihood", "log-likelihood": "log-likelihood", "expectation": "expectation",
    "variance": "variance", "covariance": "covariance", "probability": "probability",
}

#: Style commands and the prefix of the canonical spelling they give.
STYLE_PREFIX: dict[str, str] = {
    r"\mathrm": "rm:", r"\operatorname": "rm:", r"\text": "rm:", r"\textrm": "rm:", r"\mathit": "",
    r"\mathbf": "bf:", r"\boldsymbol": "bf:", r"\bm": "bf:", r"\mathsf": "rm:", r"\textsf": "rm:",
    r"\mathcal": "cal:", r"\mathbb": "bb:",
}


def known_object(name: str, prefix: str = "") -> KnownObject | None:
    """The known object a (styled) name stands for, if any (``\\ell`` and ``ell`` alike)."""
    bare = name.lstrip("\\")
    return KNOWN_OBJECTS.get(prefix + bare) or (KNOWN_OBJECTS.get(bare) if prefix in ("", "rm:", "bf:") else None)


#: Words written in letters that are functions or operators when they stand alone (``log(x)``,
#: ``\operatorname{Var}``): the command they become.
WORDS: dict[str, str] = {"log": r"\log", "ln": r"\ln", "exp": r"\exp", "Var": r"\Var", "Cov": r"\Cov",
                         "KL": r"\KL", "Log": r"\log",
                         "var": r"\Var", "cov": r"\Cov", "Variance": r"\Var"}

#: Spellings of the Kullback–Leibler divergence written as a subscripted D (D_{KL}, D_{\mathrm{KL}}), as the
#: proof reader keys them (backslashes and braces dropped); KL(p‖q) and \mathrm{KL}(p‖q) are the word KL.
KL_NAMES: frozenset[str] = frozenset({"D_KL", "D_mathrmKL", "D_operatornameKL", "D_textKL", "D_rmKL", "D_mathrmKL"})
#: What separates the two arguments of a divergence: ‖ written \|, \Vert, \parallel or ||.
KL_SEPARATORS: frozenset[str] = frozenset({r"\|", r"\Vert", r"\parallel", r"\lVert", r"\rVert"})

#: Names that are a statistic when applied to the data: T(X), T(x) (an estimator of θ); W(X) (Casella and
#: Berger's W, any statistic of the sample; the proof reader keeps each letter a function of its own).
STATISTICS: frozenset[str] = frozenset({"T", "W"})

#: Spellings of the differential d: ``\mathrm{d}``, ``\text{d}``, the physics package's ``\dd``.
DIFFERENTIALS: frozenset[str] = frozenset({r"\dd", r"\mathrm{d}", r"\text{d}", r"\operatorname{d}"})

#: Styled letters that are another name's spelling, keyed by style command and letter: \mathcal{l} and
#: \mathscr{l} are ℓ (a calligraphic l is how LaTeX users without \ell write the log-likelihood).
STYLED_SPELLINGS: dict[tuple[str, str], str] = {(r"\mathcal", "l"): r"\ell", (r"\mathscr", "l"): r"\ell",
                                                (r"\mathcal", r"\ell"): r"\ell"}

#: Separators of a density's point and parameters besides | and ; that are read as ;: f(y:θ) (Dobson's
#: "f(y; θ)" as typed on Q&A sites), p(x : θ).
CONDITION_SPELLINGS: dict[str, str] = {":": ";"}

#: The names whose parenthesized arguments a CONDITION_SPELLINGS separator may split (densities, likelihoods).
CONDITIONED_NAMES: frozenset[str] = frozenset({"f", "p", "g", "q", "P", "L", "l", r"\ell"})

#: Lower limits of an integral that mean "over the whole support".
WHOLE_SUPPORT: frozenset[str] = frozenset({r"\mathbb{R}", r"\mathbb R", r"\mathcal{X}", r"\mathcal X", "X",
                                          r"\Omega", r"\chi", r"\mathcal{\chi}"})   # χ: 𝒳 as transcribed
#: Measures an integral may be taken against that mean the base measure of the density (dμ = dx here).
BASE_MEASURES: frozenset[str] = frozenset({r"\mu", r"\nu"})
#: What δ makes a variation of when written before it (δq, δp, δθ_m): one symbol, not δ times q.
VARIED: frozenset[str] = frozenset({"p", "q", "f", r"\theta"})

#: What makes θ a vector in a text (a regular expression each): without any, θ is a scalar.
VECTOR_MARKERS: dict[str, str] = {
    "gradient": r"\\nabla",
    "transpose": r"\^\s*\{?\s*(T|\\top|\\intercal|\\mathsf\{T\}|\\mathrm\{T\})\s*\}?",
    "bold theta": r"\\(boldsymbol|mathbf|bm)\s*\{?\s*\\theta",
    "size m×1": r"m\s*\\times",
    # θ₀ (θ_0) is the true value of a scalar parameter, not an entry of a vector
    "indexed theta": r"\\theta_\{?\s*[1-9ijk]",
    "matrix": r"\\begin\{[bpvB]?matrix\}",
}
