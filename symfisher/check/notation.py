"""The note's notation, read into SymPy values with shapes.

Takes one side of a step (LaTeX) and a :class:`Setting`; gives a scalar SymPy
expression or an ``ImmutableMatrix``. The notation of the note: p(x|θ), log,
∇θ, ∂/∂θ, 𝐇_f, ᵀ, 𝔼_{p(x|θ)}[·], ∫ … dx, Σ, s(x|θ), 𝐅, 𝟎, L(X|θ). Definitions
are kept as markers (:class:`Expect`, :class:`Score`, :class:`Fisher`) so that
a step can be credited to the rule that removes them.

In the abstract setting θ has length 2 and p is an unknown function p(x, θ₁, θ₂):
an identity of the note holds entry by entry, so length 2 shows every shape
error (an inner product where an outer one is meant) that length 1 would hide.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Callable

import sympy as sp

from symfisher.parse.lexer import Token, latex_text, tokenize
from symfisher.parse.magnitude import too_large
from symfisher.parse.notation import (BASE_MEASURES, DIFFERENTIALS, GREEK, IGNORED, KL_NAMES, KL_SEPARATORS,
                                      KNOWN_OBJECTS, SIZING, STATISTICS, STYLE_PREFIX, VARIED, VECTOR_MARKERS,
                                      WHOLE_SUPPORT, WORDS, known_object)
from symfisher.parse.notation import CONDITION_SPELLINGS, CONDITIONED_NAMES, STYLED_SPELLINGS


class NotationError(Exception):
    """Text that is not notation the checker reads (the step is then unknown)."""


class ShapeError(Exception):
    """A product or sum of incompatible shapes, or a scalar where a matrix is meant."""


class Expect(sp.Function):
    """𝔼_{p(x|θ)}[g], unevaluated."""

    nargs = 1


class Score(sp.Function):
    """sⱼ(point|θ), the j-th entry of the score (args: j, point)."""

    nargs = 2


class Fisher(sp.Function):
    """𝐅_{jk} (args: j, k)."""

    nargs = 2


class Variance(sp.Function):
    """Var[g], unevaluated (removed by the rule Var[g] = 𝔼[g²] − 𝔼[g]²)."""

    nargs = 1


class Covariance(sp.Function):
    """Cov[g, h], unevaluated (removed by the rule Cov[g, h] = 𝔼[gh] − 𝔼[g]𝔼[h])."""

    nargs = 2




class KL(sp.Function):
    """D_KL(P ‖ Q), unevaluated (args: the two densities at x); removed by the rule D_KL = ∫ p log(p/q) dx."""

    nargs = 2


class Remainder(sp.Function):
    """The remainder of an expansion in an increment δ (args: δ, N): the terms of order > N are not written.

    O(δᵏ) has N = k − 1, o(δᵏ) has N = k; ``\\dots`` after a polynomial in δ has N = -1, "beyond the terms
    written" (the checker sets N to their degree).
    """

    nargs = 2


class Estimator(sp.Function):
    """θ̂(x): an estimator, a statistic t(x) — a function of the data only, never of θ (args: the point).

    Identities proved with it hold for every statistic; 𝔼[θ̂] = θ is a hypothesis (the rule
    ``unbiasedness``), used only when the text states it.
    """

    nargs = 1



_STATISTICS: dict[str, type] = {}


def statistic(name: str) -> type:
    """The function a statistic of STATISTICS is: T(X) the estimator (Estimator, which the unbiasedness rule
    knows); another letter, W(X), a statistic of its own (an Estimator subclass of that name), so that W and T
    are never taken for one another and no hypothesis stated of T's is used for W."""
    if name == "T":
        return Estimator
    return _STATISTICS.setdefault(name, type(name, (Estimator,), {"nargs": 1}))


class SampleSum(sp.Function):
    """Σᵢ₌₁ⁿ g(xᵢ) over the sample, written with one stand-in draw ξ: SampleSum(g(ξ)) (see Setting.draw)."""

    nargs = 1

    def _eval_is_real(self):
        return self.args[0].is_real          # a sum of real terms is real (what log ∏ = Σ log needs)

    def _eval_is_positive(self):
        return True if self.args[0].is_positive else None


class SampleProduct(sp.Function):
    """∏ᵢ₌₁ⁿ f(xᵢ) over the sample, written with one stand-in draw ξ: SampleProduct(f(ξ))."""

    nargs = 1

    def _eval_is_positive(self):
        return True if self.args[0].is_positive else None


def _quote(text: str) -> str:
    """LaTeX as the author wrote it, in quotes (``repr`` would double every backslash)."""
    return f"'{text}'"


#: What shows a sample of several observations in a step: xᵢ, x_1, n, Σ, ∏ (a regular expression).
SAMPLE_MARKS = r"_\s*\{?\s*[in1-9](?![a-zA-Z])|\\sum|\\prod|(?<![A-Za-z\\])n(?![A-Za-z])"


def one_observation(sides: list[str]) -> bool:
    """True when no side of any step writes a sample (then ℓ(θ) is log p(x|θ) of the one observation)."""
    return not any(re.search(SAMPLE_MARKS, latex_text(side)) for side in sides)


#: Generic indices written on θ or on an entry of the information (θᵢ, ∂/∂θ_j, I_{ij}, I(θ)_{ij}): each
#: regular expression captures the index letters. A step that writes them is checked entrywise.
GENERIC_INDICES: tuple[str, ...] = (r"\\theta\s*_\s*\{?\s*([ijklmrs])(?![a-zA-Z])",
                                    r"(?:\bI|\bF|\\mathcal\s*\{I\})\s*(?:\([^()]*\))?"
                                    r"\s*_\s*\{\s*([ijklmrs])\s*,?\s*([ijklmrs])\s*\}")


def index_letters(text: str) -> list[str]:
    """The generic index letters a step writes (θᵢ, I_{ij}), in order of first appearance."""
    text = latex_text(text)
    found: list[str] = []
    for pattern in GENERIC_INDICES:
        for match in re.finditer(pattern, text):
            found += [g for g in match.groups() if g and g not in found]
    return found


def entrywise_only(steps: list[str]) -> bool:
    """True when θ is a vector in the steps only where they write generic indices (θᵢ, I_{ij}): the author
    writes entries, so steps without an index are about a scalar θ, and steps with one are checked entrywise."""
    indexed = [step for step in steps if index_letters(step)]
    return bool(indexed) and not any(vector_parameter(step) for step in steps if not index_letters(step)) and \
        not any(re.search(r"\\theta_\{?\s*[1-9]", latex_text(step)) for step in indexed)


def vector_parameter(text: str) -> bool:
    """True when the text makes θ a vector (∇, ᵀ, bold θ, m×1, θ₁, a matrix); else θ is a scalar."""
    text = latex_text(text)                         # ∇, θᵢ typed in Unicode count as well
    return any(re.search(pattern, text) for pattern in VECTOR_MARKERS.values())


#: What shows, in a step's text, that ℓ(θ), l(θ), L(θ) are those of a sample of n: a sample value xᵢ,
#: a sum or product over i, a sample mean (a regular expression each; {x} is the model's variable).
SAMPLE_MARKERS: dict[str, str] = {
    # \sum_{i}, \sum_i (not \b: "_" is a word character); a sum over the support's x (\sum_{x}) is no sample
    "sum or product": r"\\(sum|prod)(?![A-Za-z])(?!\s*_\s*\{{?\s*{x}(?![A-Za-z_]))",
    "sample mean": r"\\(bar|overline)\s*\{{?\s*{x}\b",
    "sample of n": r"{x}_\{{?1\}}?\s*,\s*(\.\.\.|\\[lc]?dots|…)",
    "sample size": r"(?<![A-Za-z\\])n(?![a-z])",      # n, nI(θ), nE[·] (not \ln, \nu, \sin)
}


#: A sample value xᵢ, X_{i}.
SAMPLE_VALUE = r"(?<![A-Za-z\\]){x}_\{{?\s*i\b"
#: What shows that they are those of one observation: the model's variable x standing alone.
OBSERVATION_MARKERS: dict[str, str] = {
    "one observation": r"(?<![A-Za-z\\_^]){x}(?![A-Za-z_])",
}


#: Words that state the sample's draws are independent (a regular expression each, case-insensitive).
INDEPENDENCE: dict[str, str] = {"iid": r"\bi\.?\s?i\.?\s?d\b", "independent": r"\bindependent(ly)?\b",
                                "random sample": r"\brandom\s+sample\b"}


def states_independence(text: str) -> bool:
    """True when the text says the draws are independent (iid, independent, a random sample)."""
    return any(re.search(pattern, text, re.IGNORECASE) for pattern in INDEPENDENCE.values())


#: Letters some authors write for ∂ in ∂/∂θ (δ/δθ): read as ∂ when the letter is on top and below.
PARTIAL_SPELLINGS: tuple[str, ...] = (r"\delta",)

#: The subscript of I that names a sample of n (key form): I_{X_1,...,X_n}, I_{x_1,\ldots,x_n}, I_{X_1…X_n}.
SAMPLE_SUBSCRIPT = r"([xX])_1,?(\.\.\.|ldots|dots|cdots|…),?\1_n"


def shows_sample(text: str, setting: Setting) -> bool:
    """True when a step's text shows a sample of n (SAMPLE_MARKERS)."""
    x = f"(?:{re.escape(setting.x.name)}|{re.escape(setting.x.name.upper())})"
    return any(re.search(pattern.format(x=x), text) for pattern in SAMPLE_MARKERS.values())


def step_data(text: str, setting: Setting) -> str:
    """What ℓ(θ), l(θ), L(θ) stand for in one step: "sample", "observation", or "" when its text shows
    both or neither (then they stay unknown functions of θ and nothing is proved or refuted of them)."""
    names = {re.escape(setting.x.name), re.escape(setting.x.name.upper())}
    x = f"(?:{'|'.join(sorted(names))})"
    sample = any(re.search(pattern.format(x=x), text) for pattern in SAMPLE_MARKERS.values())
    # x̄, xᵢ are not the lone x of one observation (xᵢ alone shows no sample: ℓ(θ | xᵢ) may be one draw's)
    for pattern in (*SAMPLE_MARKERS.values(), SAMPLE_VALUE):
        text = re.sub(pattern.format(x=x) + r"\s*\}?", " ", text)
    observation = any(re.search(pattern.format(x=x), text) for pattern in OBSERVATION_MARKERS.values())
    if sample != observation:
        return "sample" if sample else "observation"
    return ""


def key(name: str) -> str:
    """A name as the settings store it: ``\\sigma`` -> ``sigma``, ``x_{m}`` -> ``x_m``."""
    return name.replace("\\", "").replace("{", "").replace("}", "").replace(" ", "")


@dataclass
class Setting:
    """What the symbols mean: abstract (unknown p) or a concrete model."""

    x: sp.Symbol
    theta: tuple[sp.Symbol, ...]
    density: Callable[[sp.Expr], sp.Expr]
    names: dict[str, sp.Basic] = field(default_factory=dict)   # LaTeX name -> symbol
    lower: sp.Expr = -sp.oo
    upper: sp.Expr = sp.oo
    discrete: bool = False
    sample_size: sp.Symbol = sp.Symbol("n", positive=True, integer=True)
    index: sp.Symbol = sp.Symbol("i", integer=True)
    # abstract setting: an undeclared Greek or Latin letter is a generic parameter (never refuted on)
    generic: bool = False
    # what I(θ), I_X(θ), 𝐅 written without n mean: one observation's information (1) or, in a text about a
    # sample that never tells the two apart, possibly the sample's (n): the checker reads such steps both ways
    information_scale: sp.Expr = sp.S.One
    # the text tells one observation's information from the sample's (I_n(θ) = n I(θ)): I(θ) is one draw's
    information_told: bool = False
    # hypotheses the text states (HYPOTHESES in symfisher.check): rules that need one apply only then
    hypotheses: frozenset[str] = frozenset()
    # names the text applies to θ, S_n(θ): unknown functions of θ and the data, also when written bare (S_n)
    functions: dict[str, sp.Basic] = field(default_factory=dict)
    # definitions the prose states for the names in ``functions`` (Define $S_n(θ) = ∂θ log L(θ)$)
    definitions: dict[sp.Basic, sp.Expr] = field(default_factory=dict)
    # their LaTeX, re-read in each step's context (L(θ) of a sample where the step shows one)
    definition_sources: dict[sp.Basic, str] = field(default_factory=dict)
    # other points of the parameter space the text names, P(x;t): name -> its coordinates (θ's shape)
    points: dict[str, tuple[sp.Symbol, ...]] = field(default_factory=dict)
    # increments read inside a density's parameters, p(x; θ + δ): real numbers, given test values
    increments: set = field(default_factory=set)
    # densities other than the model's, named by the text (q in D_KL(p‖q)): unknown functions of the point
    densities: dict[str, sp.Basic] = field(default_factory=dict)
    # the text uses p as a parameter (f(x|p), E_p, 1 − p, p^x): a bare p is then not certainly the density
    p_parameter: bool = False
    # the text also writes the density p applied (p(x|λ), p(X|θ)): a bare p may then be either
    p_density: bool = False

    def density_at(self, point: sp.Expr, parameters) -> sp.Expr:
        """The model's density at a point and at other parameter values (θ + δ, t)."""
        return self.density(point).subs(dict(zip(self.theta, parameters)), simultaneous=True)
    # E(g)^k: "" refuses it (ambiguous); "inside" reads E[g^k], "outside" E[g]^k (the checker tries both and
    # keeps a verdict only when the two readings agree)
    power_reading: str = ""
    # abstract setting, a text that writes no sample (no xᵢ, n, Σ, ∏): ℓ(θ) is the log-likelihood of the
    # one observation x, log p(x|θ) (I(θ) = Var[ℓ'(θ)])
    one_observation: bool = False
    # generic indices (θᵢ, I_{ij}) and the entry of θ each stands for in the assignment being checked
    indices: dict[str, int] = field(default_factory=dict)
    # abstract setting: other spellings of the data variable x (y, Y, 𝐲 when the text writes no x at all)
    data_aliases: frozenset[str] = frozenset()
    # names the text defines by a step (z(X,θ) = …): name -> (its arguments as a key, the right side's LaTeX)
    defined: dict[str, tuple[str, str]] = field(default_factory=dict)
    # I(θ) read as the information of the n observations, n I(θ) (to see whether a step is false either way)
    sample_information: bool = False
    # how the step being read was read where the author's writing is a misprint (said in the verdict)
    readings: list[str] = field(default_factory=list)
    # log-likelihood names the text defines at one observation (ℓ(μ; x) = …): written bare, they are log p(x|θ)
    defined_at_x: frozenset[str] = frozenset()
    # what ℓ(θ), l(θ), L(θ) stand for in the step being read, decided from its text (step_data):
    # "sample" (Σ log p(xᵢ|θ)), "observation" (log p(x|θ)), or "" (not decided: an unknown function of θ)
    data: str = ""
    # the step shows a sample of n (Σ, ∏, x̄, n): a bare I(θ) there may be the sample's information
    sample_shown: bool = False
    # the text states that the sample's draws are independent (INDEPENDENCE): its density is a product
    independent: bool = False
    # some step of the file writes ℓ, l or L of a sample: a bare ℓ(θ) beside a lone x is then ambiguous
    sample_likelihood: bool = False
    # readings the parser chose where another one is possible (∂f/∂σ²): a step read so is never refuted
    other_readings: list[str] = field(default_factory=list)
    # the text writes the score applied (s(θ; x) = ∇θ log p_θ(x)): a bare s, 𝔼[s sᵀ], is that score at x
    bare_score: bool = False
    # θ* defined in the prose (θ* = θ + ε): the LaTeX of its value, read where θ* is written (else θ* is not read)
    starred: str = ""
    # names the prose makes estimators of θ ("let g(x) be any unbiased estimator of θ"): name -> its function
    estimators: dict[str, type] = field(default_factory=dict)
    # log-likelihood names a step defines by the theory's objects (\ell(\beta) = \log L(\beta), l_n(θ) = Σ log f):
    # LOG_LIKELIHOOD_SPELLINGS key -> the right side's LaTeX, read wherever the name is written later (bare too)
    log_likelihoods: dict[str, str] = field(default_factory=dict)

    @property
    def m(self) -> int:
        return len(self.theta)

    def sample(self) -> sp.Indexed:
        return sp.IndexedBase(self.x.name)[self.index]

    @property
    def draw(self) -> sp.Symbol:
        """ξ, the one draw a sample sum Σᵢ g(xᵢ) is written with: it lies where x lies (x's assumptions)."""
        return sp.Symbol(f"{self.x.name}_i", **{k: v for k, v in self.x.assumptions0.items() if v is not None})


def abstract_setting(m: int = 2) -> Setting:
    """p(x|θ) unknown, θ = (θ₁, …, θ_m); with m = 1, θ is a scalar."""
    x = sp.Symbol("x", real=True)
    if m == 1:
        theta: tuple[sp.Symbol, ...] = (sp.Symbol("theta", real=True),)
        named = {"theta": theta[0]}
    else:
        theta = tuple(sp.Symbol(f"theta_{j + 1}", real=True) for j in range(m))
        named = {f"theta_{j + 1}": t for j, t in enumerate(theta)}
    p = sp.Function("p")
    setting = Setting(x=x, theta=theta, density=lambda point: p(point, *theta), generic=True)
    setting.names = {"x": x, "n": setting.sample_size, **named}
    return setting


# ---------------------------------------------------------------------------- shapes

Value = sp.Expr  # or sp.ImmutableMatrix


def _is_matrix(v) -> bool:
    return isinstance(v, sp.MatrixBase)


def _scalarize(v):
    if _is_matrix(v) and v.shape == (1, 1):
        return v[0, 0]
    return v


def _shape(v) -> str:
    return f"{v.shape[0]}×{v.shape[1]} matrix" if _is_matrix(v) else "scalar"


def add(a, b):
    if isinstance(a, Zero):
        return b
    if isinstance(b, Zero):
        return a
    # a written 0 beside a vector is its zero (0 − ∇_t log p): authors rarely write 𝟎
    if not _is_matrix(a) and a == 0 and _is_matrix(b):
        return b
    if not _is_matrix(b) and b == 0 and _is_matrix(a):
        return a
    if _is_matrix(a) != _is_matrix(b) or (_is_matrix(a) and a.shape != b.shape):
        raise ShapeError(f"adds a {_shape(a)} and a {_shape(b)}")
    return _scalarize(a + b)


def mul(a, b):
    if isinstance(a, Zero) or isinstance(b, Zero):
        return Zero()
    if _is_matrix(a) and _is_matrix(b):
        if a.shape[1] != b.shape[0]:
            raise ShapeError(f"multiplies a {_shape(a)} by a {_shape(b)}")
        return _scalarize(sp.ImmutableMatrix(a * b))
    if _is_matrix(a):
        return sp.ImmutableMatrix(a * b)
    if _is_matrix(b):
        return sp.ImmutableMatrix(b * a)
    return a * b


def div(a, b):
    if _is_matrix(b):
        raise ShapeError(f"divides by a {_shape(b)}")
    if isinstance(a, Zero):
        return a
    return sp.ImmutableMatrix(a / b) if _is_matrix(a) else a / b


def sized(func, *args):
    """``args`` unchanged, after checking that ``func(*args)`` is not a number too large to build.

    Raises:
        NotationError: naming the size (SymPy would compute (10^8)! or 2^{2^{40}} exactly).
    """
    if all(isinstance(a, sp.Basic) for a in args):
        problem = too_large(func, args)
        if problem:
            raise NotationError(problem)
    return args if len(args) > 1 else args[0]


def elementwise(v, fn):
    return sp.ImmutableMatrix(v.applyfunc(fn)) if _is_matrix(v) else fn(v)


def scalar(v, what: str):
    if _is_matrix(v):
        raise ShapeError(f"{what} of a {_shape(v)}")
    if isinstance(v, Zero):
        return sp.S.Zero
    return v


#: Accents that make an estimator of the parameter under them: \hat\theta, \widehat{\theta}.
ESTIMATOR_ACCENTS: frozenset[str] = frozenset({r"\hat", r"\widehat"})


class Zero:
    """𝟎 without a stated size: the zero of whatever it is compared or added with."""

    def __neg__(self):
        return self


# ---------------------------------------------------------------------------- parser

#: Spacing, style and delimiter sizes are dropped (the shared tables); \left … \right pair a delimiter here.
SKIP = IGNORED | (SIZING - {r"\left", r"\right"})
OPEN = {"(": ")", "[": "]", r"\{": r"\}", r"\lbrack": r"\rbrack", r"\langle": r"\rangle"}
GREEK_CONSTANTS = {r"\pi": sp.pi, r"\infty": sp.oo}
TRANSPOSE = {"T", r"\top", r"\intercal", r"\mathsf{T}", r"\mathrm{T}", r"\text{T}"}


#: Known objects (symfisher.parse.notation.KNOWN_OBJECTS) by kind: the method that reads an application.
APPLICATIONS: dict[str, str] = {"density": "density_application", "score": "score_application",
                                "fisher": "fisher_application", "hessian": "hessian_application",
                                "likelihood": "likelihood_application",
                                "log-likelihood": "log_likelihood_application",
                                "expectation": "expectation_application",
                                "probability": "probability_application"}
FRACTIONS = (r"\frac", r"\dfrac", r"\tfrac")
AMBIGUOUS_POWER = "E(g)^k is ambiguous (E[g^k] or E[g]^k): write brackets"
STYLE_COMMAND = {"cal:": r"\mathcal", "rm:": r"\mathrm", "bf:": r"\mathbf", "bb:": r"\mathbb"}


def read(source: str, setting: Setting):
    """The value of one side of a step.

    Raises:
        NotationError: notation the checker does not read.
        ShapeError: a shape mismatch inside the expression.
    """
    try:
        tokens = [t for t in _normalize(tokenize(source, "step"), setting)
                  if t.kind != "space" and t.text not in SKIP]
    except Exception as exc:  # ParseError from the lexer: stray characters
        raise NotationError(" ".join(str(exc).split())) from None
    if not tokens:
        raise NotationError("empty side")
    parser = _Parser(tokens, setting)
    value = parser.expr()
    if parser.i < len(parser.t):                      # parser.t: the reader may unwrap a braced operator
        raise NotationError(f"cannot read {_quote(parser.t[parser.i].text)} here")
    if getattr(parser, "evaluated", False) and _has_point(value, setting):
        # a |_{u=θ} that left u elsewhere in the side: its reach (one factor, or the whole product?) is unclear
        raise NotationError("the reach of an evaluation |_{u=θ} is ambiguous: u is left outside it")
    return sample_forms(value, setting)


def sample_forms(value, setting: Setting):
    """Sums and products over the sample (i = 1, …, n) whose terms depend on i only through xᵢ, written
    with one draw ξ (SampleSum(g(ξ)), SampleProduct(f(ξ))): the sample rules act on those."""
    xi, sample, draw = setting.index, setting.sample(), setting.draw
    limits = (xi, 1, setting.sample_size)

    def over_sample(a) -> bool:
        if not isinstance(a, (sp.Sum, sp.Product)) or len(a.limits) != 1 or tuple(a.limits[0]) != limits:
            return False
        return not a.function.subs(sample, draw).has(xi)

    def convert(a):
        return (SampleSum if isinstance(a, sp.Sum) else SampleProduct)(a.function.subs(sample, draw))

    def one(e):
        return e.replace(over_sample, convert) if isinstance(e, sp.Basic) else e
    if isinstance(value, Zero):
        return value
    return elementwise(value, one) if _is_matrix(value) else one(value)


def _normalize(tokens: list[Token], setting: Setting) -> list[Token]:
    """Spellings made canonical before parsing: the differential (``\\dd{x}``, ``\\mathrm{d}``) becomes
    ``d``; a word in letters standing alone (``log``, ``ln``, ``Var``) becomes its command."""
    tokens = _respelled(tokens)
    out: list[Token] = []
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        texts = [t.text for t in tokens[i:i + 4]]
        if tok.kind == "command" and "".join(texts) in DIFFERENTIALS:
            out.append(Token("letter", "d", tok.pos))
            i += 4
            continue
        if tok.text == r"\dd":
            out.append(Token("letter", "d", tok.pos))
            if texts[1:2] == ["{"] and texts[3:4] == ["}"]:      # \dd{x}: d x
                out.append(tokens[i + 2])
                i += 4
            else:
                i += 1
            continue
        if tok.kind == "letter":
            j = i
            while j < n and tokens[j].kind == "letter":
                j += 1
            word = "".join(t.text for t in tokens[i:j])
            after_subscript = i > 0 and tokens[i - 1].text in ("_", "^")
            if word in WORDS and key(word) not in setting.names and not after_subscript:
                out.append(Token("command", WORDS[word], tok.pos))
            elif len(word) > 1 and word in stated_names(setting) and not after_subscript:
                out.append(Token("letter", word, tok.pos))       # LL(λ): one name the prose gave a role
            elif len(word) > 1 and word in GREEK and setting.names.get(key(word)) in setting.theta:
                # 1/sigma^2, I_mu_mu: a parameter's Greek name spelled in ASCII (edgeofchaos), never a product
                out.append(Token("command", "\\" + word, tok.pos))
            else:
                out.extend(tokens[i:j])
            i = j
            continue
        out.append(tok)
        i += 1
    return out


#: Style commands that write a letter upright (\text{D}, \mathrm{D}): the letter itself for D_KL.
UPRIGHT: frozenset[str] = frozenset({r"\text", r"\mathrm", r"\operatorname", r"\textrm"})


def _respelled(tokens: list[Token]) -> list[Token]:
    """Other spellings of a name or separator (parse.notation's STYLED_SPELLINGS, CONDITION_SPELLINGS):
    \\mathcal{l} becomes \\ell; a colon directly inside f( … ), p( … ), L( … ) becomes ``;`` (f(y:θ))."""
    out: list[Token] = []
    opened: list[bool] = []                  # per open parenthesis: does it hold a density's arguments?
    lefts: list[int | None] = []             # per \\left: where its invisible \\left. was written in out
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        texts = [t.text for t in tokens[i:i + 4]]
        if tok.text == r"\left":
            lefts.append(len(out) if texts[1:2] == ["."] else None)
        elif tok.text == r"\right" and lefts:
            start = lefts.pop()
            if start is not None and texts[1:2] == ["|"] and texts[2:3] == ["_"]:
                # \left. g \right|_{u=θ}: the evaluation bar of g, as ( g )|_{u=θ}
                out[start:start + 2] = [Token("char", "(", tok.pos)]
                out.append(Token("char", ")", tok.pos))
                out.append(Token("char", "|", tok.pos))
                i += 2
                continue
        braced = (texts[0], texts[2]) if texts[1:2] == ["{"] and texts[3:4] == ["}"] else None
        if braced in STYLED_SPELLINGS:
            out.append(Token("command", STYLED_SPELLINGS[braced], tok.pos))
            i += 4
            continue
        if braced is not None and braced[0] in UPRIGHT and braced[1] == "D" and i + 4 < n and \
                tokens[i + 4].text == "_":
            out.append(Token("letter", "D", tok.pos))          # \text{D}_\text{KL}: the divergence's D
            i += 4
            continue
        if tok.text == "_" and texts[1:2] and texts[1] in STYLE_PREFIX and texts[2:3] == ["{"]:
            # _\text{KL}: TeX gives \text its braced argument, so the subscript is all of \text{KL}
            close = next((k for k in range(i + 3, n) if tokens[k].text == "}"), None)
            if close is not None:
                out.extend([tok, Token("{", "{", tok.pos), *tokens[i + 1:close + 1], Token("}", "}", tok.pos)])
                i = close + 1
                continue
        if tok.text == "(":
            before = [t.text for t in out if t.kind != "space"][-2:]
            # f(…), \left( after f, f_θ(…) is not split here (its subscript holds the parameters)
            opened.append(bool(before) and (before[-1] in CONDITIONED_NAMES or
                                            before[-2:] in ([name, r"\left"] for name in CONDITIONED_NAMES)))
        elif tok.text == ")" and opened:
            opened.pop()
        elif tok.text in CONDITION_SPELLINGS and opened and opened[-1]:
            tok = Token("char", CONDITION_SPELLINGS[tok.text], tok.pos)
        out.append(tok)
        i += 1
    return out


def _has_point(value, setting: Setting) -> bool:
    """Whether a coordinate of another parameter point is free in ``value``."""
    coordinates = {c for point in setting.points.values() for c in point}
    entries = list(value) if _is_matrix(value) else [value]
    return any(isinstance(e, sp.Basic) and e.free_symbols & coordinates for e in entries)


def _evaluated(value, at: dict):
    """``value`` at u = θ (``at``: u's coordinates -> θ's). A derivative by u of what holds no integral, sum or
    expectation is taken first, then evaluated (∇²_u log p_u(x)|_{u=θ} = ∇²_θ log p_θ(x)); else it stays an
    unevaluated Subs (moving ∇_u into ∫ is the rule of differentiation under the integral sign, not algebra)."""
    if not isinstance(value, sp.Basic):
        return value
    held = (sp.Integral, sp.Sum, sp.Product, KL, Expect, Variance, Covariance, SampleSum, SampleProduct)

    def take(e: sp.Subs):
        if e.expr.has(*held):
            return e
        out = e.expr.doit(deep=False)
        for variable, point in zip(e.variables, e.point):
            if point.free_symbols & out.free_symbols:
                return e                          # θ already in it: one at a time would not be u = θ
            # θ not yet in it: replacing u by θ one coordinate at a time is the simultaneous replacement
            out = out.subs(variable, point)
        return out
    value = value.subs(at, simultaneous=True)
    for _ in range(3):                            # doit may leave Subs of its own (∂²p/∂u₁∂u₂ at u = θ)
        value = value.replace(lambda e: isinstance(e, sp.Subs), take)
    return value


class _Parser:
    def __init__(self, tokens: list[Token], setting: Setting) -> None:
        self.t, self.i, self.s = tokens, 0, setting
        # ∇p(x|θ)^T: the transpose written on the operand is the gradient's (a scalar has none)
        self.pending_transpose = 0

    # -- token helpers
    def peek(self, k: int = 0) -> Token | None:
        return self.t[self.i + k] if self.i + k < len(self.t) else None

    def at(self, *texts: str) -> bool:
        tok = self.peek()
        return tok is not None and tok.text in texts

    def take(self, *texts: str) -> Token:
        tok = self.peek()
        if tok is None or (texts and tok.text not in texts):
            raise NotationError(f"expected {' or '.join(texts) or 'more'} but found "
                                f"{'the end' if tok is None else repr(tok.text)}")
        self.i += 1
        return tok

    def group(self) -> list[Token]:
        """A braced group's tokens (or one token)."""
        if self.at("{"):
            self.take("{")
            start, depth = self.i, 1
            while depth:
                tok = self.take()
                depth += {"{": 1, "}": -1}.get(tok.text, 0) if tok.kind in ("{", "}") else 0
            return self.t[start:self.i - 1]
        return [self.take()]

    def sub(self, tokens: list[Token]):
        parser = _Parser(tokens, self.s)
        value = parser.expr()
        if parser.i < len(parser.t):
            raise NotationError(f"cannot read {_quote(parser.t[parser.i].text)} here")
        return value

    @staticmethod
    def text(tokens: list[Token]) -> str:
        return "".join(t.text if t.kind != "command" or not t.text[-1].isalpha() else t.text + " "
                       for t in tokens).strip()

    # -- grammar
    def expr(self):
        value = self.term()
        while self.at("+", "-"):
            sign = self.take().text
            right = self.term()
            value = add(value, right if sign == "+" else mul(sp.S.NegativeOne, right))
        return value

    def starts_factor(self) -> bool:
        tok = self.peek()
        if tok is None:
            return False
        if tok.text in ("+", "-", ")", "]", "}", r"\right", "|", "=", ",", "&", r"\}", r"\rangle", r"\rbrack", "/",
                        ";", r"\mid", r"\middle"):
            return False
        return not (tok.kind == "letter" and tok.text == "d" and self._is_differential())

    def term(self):
        return self._multiply(self.unary(), self.unary)

    def product(self):
        """Factors multiplied together, without a leading sign: what an operator like ∂/∂β acts on."""
        return self._multiply(self.postfix(), self.postfix)

    def _multiply(self, value, after_operator):
        """Multiply ``value`` by the factors that follow (after ``\\cdot`` a factor is read by ``after_operator``)."""
        while True:
            if self.at(r"\cdot", r"\times", "*"):
                self.take()
                value = mul(value, after_operator())
            elif self.at("/"):
                self.take("/")
                divisor = self.postfix()
                # a/bc: a/(bc) for some authors, (a/b)c for others; no reading is certain
                if self.starts_factor() and not self.at(r"\cdot", r"\times", "*"):
                    raise NotationError("a/bc is ambiguous (a/(bc) or (a/b)·c): write \\frac or parentheses")
                value = div(value, divisor)
            elif self.starts_factor():
                value = mul(value, self.postfix())
            else:
                return value

    def unary(self):
        if self.at("-"):
            self.take()
            return mul(sp.S.NegativeOne, self.unary())
        if self.at("+"):
            self.take()
            return self.unary()
        return self.postfix()

    def _held_operand(self):
        """What ∇ acts on: an evaluation bar |_{u=θ} after it is left to the caller (it evaluates the
        derivative, not what is differentiated)."""
        self.held = getattr(self, "held", 0) + 1
        try:
            return self.postfix()
        finally:
            self.held -= 1

    def _evaluation(self) -> dict | None:
        """An evaluation at θ of another parameter point after the cursor: |_{u=θ}, \\bigg|_{u=\\theta},
        ]_{u=θ} (the bracket already read): point coordinate -> θ's, the tokens consumed; None (nothing consumed)
        otherwise, and inside what ∇ acts on (there it would evaluate before differentiating)."""
        if getattr(self, "held", 0) or not self.s.points:
            return None
        start = self.i
        while self.at(*EVALUATION_BARS):
            self.take()
        if not self.at("_"):
            self.i = start
            return None
        self.take("_")
        parts = self._split(self.group(), ("=",))
        if len(parts) == 2 and key(self.text(parts[0])) in self.s.points and \
                self.variables(parts[1]) == self.s.theta:
            point = self.s.points[key(self.text(parts[0]))]
            if len(point) == len(self.s.theta):
                return dict(zip(point, self.s.theta))
        self.i = start
        return None

    def postfix(self):
        first = self.peek()                           # where the operand is written: a number too large is shown there
        value = self.atom()
        while True:
            at = self._evaluation() if self.at("_", *EVALUATION_BARS) else None
            if at is not None:
                self.evaluated = True
                value = elementwise(value, lambda e: _evaluated(e, at)) if _is_matrix(value) else \
                    _evaluated(value, at)
                continue
            if self.at("^"):
                self.take()
                exponent = self.group()
                if self.text(exponent) in TRANSPOSE or (len(exponent) == 1 and exponent[0].text in TRANSPOSE):
                    if _is_matrix(value):
                        value = sp.ImmutableMatrix(value.T)
                    else:
                        self.pending_transpose += 1
                else:
                    power = self.sub(exponent)
                    if _is_matrix(value):
                        raise ShapeError(f"raises a {_shape(value)} to a power")
                    value, power = self.sized_at(first, sp.Pow, value, scalar(power, "a power"))
                    value = value ** power
            elif self.at("_") and _is_matrix(value) and self.s.indices:
                # I(θ)_{ij}: the entry (i, j) of a matrix, for the assignment of the generic indices checked
                self.take("_")
                entry = [self.s.indices.get(t.text) for t in self.group() if t.kind != "space" and t.text != ","]
                if len(entry) != 2 or None in entry or value.shape[0] <= max(entry) or value.shape[1] <= max(entry):
                    raise NotationError("an entry of a matrix is read only with generic indices i, j")
                value = value[entry[0], entry[1]]
            elif self.at("!"):
                self.take()
                value = sp.factorial(self.sized_at(first, sp.factorial, scalar(value, "a factorial")))
            else:
                return value

    @staticmethod
    def sized_at(token: Token | None, func, *args):
        """:func:`sized`, with the column of ``token`` (where the number is written) in the refusal."""
        try:
            return sized(func, *args)
        except NotationError as exc:
            raise NotationError(f"step, column {token.pos + 1}: {exc}" if token is not None else str(exc)) from None

    def delimited(self, close: str):
        value = self.expr()
        self.take(close)
        return value

    def atom(self):
        tok = self.take()
        text = tok.text
        if tok.kind == "digits":
            return sp.Rational(text)
        if text in OPEN:
            return self.delimited(OPEN[text])
        handler = COMMANDS.get(text) or (STYLED if text in STYLE_PREFIX else None)
        if handler is not None:
            return handler(self, text)
        if tok.kind in ("letter", "command"):
            return self.named(text)
        raise NotationError(f"cannot read {_quote(text)} here")

    # -- handlers of COMMANDS
    def braced(self, _: str):
        self.i -= 1
        start = self.i
        inner = self.group()
        styled_name = (len(inner) >= 3 and inner[0].text in STYLE_PREFIX and inner[1].kind == "{"
                       and inner[-1].kind == "}" and all(t.kind in ("letter", "command", "space") for t in inner[2:-1]))
        if _operator_only(inner) or styled_name:
            # Wikipedia's {\frac{∂²}{∂θ²}} log(…) and {\mathcal {I}}(θ): the braces hold the operator or the
            # name alone; it acts on (is applied to) what follows, as without the braces
            self.t = [*self.t[:start], *inner, *self.t[self.i:]]
            self.i = start
            return self.atom()
        if self.at("_") and len(inner) == 1 and inner[0].kind in ("letter", "command"):
            return self.named(inner[0].text)              # {x}_{i}, as SymPy prints indexed names
        halves = self._split(inner, (r"\choose",))
        if len(halves) == 2:                              # {n \choose x}: TeX's binomial coefficient
            return sp.binomial(*(scalar(self.sub(half), "a binomial coefficient") for half in halves))
        value = self.sub(inner)
        if isinstance(value, Estimator) and inner and inner[0].text in ESTIMATOR_ACCENTS:
            return self.estimator_point(value)            # {\hat {\theta }}(X), as Wikipedia writes it
        return value

    def binomial(self, _: str):
        r"""\binom{n}{x} (also \dbinom, \tbinom)."""
        top, bottom = self.group(), self.group()
        return sp.binomial(scalar(self.sub(top), "a binomial coefficient"),
                           scalar(self.sub(bottom), "a binomial coefficient"))

    def sized(self, _: str):
        opener = self.take().text
        value = self.expr()
        self.take(r"\right")
        closer = self.take().text
        if opener == "." and closer in ("|", r"\mid"):
            # 𝔼[\left. g \right| θ]: the bar conditions on the parameters, it is not part of g
            given = []
            while self.peek(0) is not None and not self.at(r"\right", "]", ")"):
                given.append(self.take())
            names = {t.name for t in self.s.theta} | {r"\theta", "theta"}
            if key(self.text(given).strip()) not in {key(n) for n in names}:
                raise NotationError(f"a condition |{self.text(given)}: only the parameters can follow the bar")
            return value
        return value if opener != "|" else elementwise(value, sp.Abs)

    def absolute(self, _: str):
        value = self.expr()
        self.take("|")
        return elementwise(value, sp.Abs)

    def square_root(self, _: str):
        return sp.sqrt(scalar(self.sub(self.group()), "a square root"))

    def nabla(self, _: str):
        if self.at("^"):                               # ∇²_θ f: the Hessian (∇² is not the Laplacian here)
            self.take("^")
            if self._order(self.group()) != 2:
                raise NotationError("∇ to a power other than 2 is not read")
            variables = self.gradient_variables()
            if variables != self.s.theta and variables not in self.s.points.values():
                raise NotationError("∇² with respect to part of the parameters is not read")
            return self.hessian(self._held_operand(), variables)
        variables = self.gradient_variables()
        if self.at("^"):                               # ∇_u^2 f: the subscript written first
            self.take("^")
            if self._order(self.group()) != 2:
                raise NotationError("∇ to a power other than 2 is not read")
            if variables != self.s.theta and variables not in self.s.points.values():
                raise NotationError("∇² with respect to part of the parameters is not read")
            return self.hessian(self._held_operand(), variables)
        pending = self.pending_transpose
        value = self.gradient(self.postfix(), variables)
        if self.pending_transpose > pending and _is_matrix(value):
            self.pending_transpose -= 1
            value = sp.ImmutableMatrix(value.T)
        return value

    def blackboard(self, _: str):
        letter = self.text(self.group())
        if letter == "V":
            return self.variance()                     # 𝕍[T(X)], as some write the variance
        if letter == "P":                          # ℙ(X = k)
            value = self.probability_application(letter, "bb:")
            if value is not None:
                return value
        if letter != "E":
            raise NotationError(f"\\mathbb{{{letter}}} is not notation symfisher checks")
        return self.expectation()

    def styled(self, command: str):
        inner = self.group()
        if len(inner) == 1 and inner[0].kind == "command" and inner[0].text in COMMANDS:
            self.i -= 1                                # \operatorname{Var}, \mathrm{E}: the command itself
            self.t[self.i] = inner[0]
            return self.atom()
        return self.named(self.text(inner), STYLE_PREFIX[command])

    def partial(self, command: str):
        if self.at("/") or (self.at("^") and self._after_group_is("/")):
            return self.slash_partial(command)         # ∂/∂θ f, ∂^2/∂λ^2 (f) written inline
        if not self.at("_"):
            slash = self.slash_derivative()           # ∂log f(X|θ)/∂θ, ∂²ℓ/∂θ², ∂/∂θ (…)
            if slash is not None:
                return slash
            return self.named(command)                 # a lone ∂: not read (named says so)
        self.take("_")                                 # ∂_θ f
        groups = [self.variables(self.group())]
        if self.at("^"):
            self.take("^")
            groups *= self._order(self.group())
        return self.derivative(self.operand(groups), groups)

    def _after_group_is(self, text: str) -> bool:
        """Whether the token after the mark at the cursor (^ or _) and its group is ``text`` (nothing consumed)."""
        start = self.i
        try:
            self.take()
            self.group()
            return self.at(text)
        except NotationError:
            return False
        finally:
            self.i = start

    def slash_derivative(self):
        """∂f/∂θ, ∂²f/∂θ², ∂²f/∂a∂b and ∂/∂θ f written with a slash (plain-text formulas), the ∂ just taken.

        The operand is everything up to the ``/`` at the same bracket depth that is followed by ∂; without
        such a slash (a lone ∂) None, and nothing is consumed.
        """
        start, order = self.i, 1
        if self.at("^"):
            self.take("^")
            order = self._order(self.group())
        j, depth = self.i, 0
        while j < len(self.t):
            text = self.t[j].text
            if text in ("(", "[", "{", r"\left"):
                depth += 1
            elif text in (")", "]", "}", r"\right"):
                depth -= 1
                if depth < 0:
                    break
            elif depth == 0 and text == "/" and j + 1 < len(self.t) and self.t[j + 1].text == r"\partial":
                break
            elif depth == 0 and text in ("=", "+", "-", ",", ";", "&"):
                break
            j += 1
        if j >= len(self.t) or self.t[j].text != "/":
            self.i = start
            return None
        operand_tokens = self.t[self.i:j]
        self.i = j + 1
        # the denominator: ∂a ∂b or ∂θ², each variable one name with an optional subscript
        denominator: list[Token] = []
        while self.at(r"\partial"):
            denominator.append(self.take())
            denominator.append(self.take())
            for mark in ("_", "^"):
                if self.at(mark):
                    denominator.append(self.take())
                    denominator.extend([Token("{", "{", 0), *self.group(), Token("}", "}", 0)])
        variables = self._partial_variables(denominator)
        if len(variables) != order:
            raise NotationError("the order on top and the variables below do not match")
        operand = self.sub(operand_tokens) if operand_tokens else self.operand(variables)
        return self.derivative(operand, variables)
    def slash_partial(self, command: str):
        r"""∂/∂θ f and ∂^k/∂θ^k (f) written with a slash, as in inline math: the operator takes what follows
        (the product up to + or −, as after \frac{∂}{∂θ})."""
        order = 1
        if self.at("^"):
            self.take("^")
            order = self._order(self.group())
        self.take("/")
        bottom = [self.take(r"\partial")]
        bottom += self.group()                          # the variable: \lambda, θ, {\sigma}
        if self.at("^"):
            bottom += [self.take("^"), *self.group()]
        variables = self._partial_variables(bottom)
        if len(variables) != order:
            raise NotationError("the order on top and the variables below do not match")
        return self.derivative(self.operand(variables), variables)

    def slash_d(self, text: str):
        """d/dθ f, d²/dθ² f and d f/dθ written with a slash (plain-text formulas): with x held fixed the
        derivative ∂/∂θ, read as the ∂ forms are. A declared d, or a d with no slash-d after it at the same
        bracket depth, is a name (the differential of an integral is found by the integral itself)."""
        if key(text) in self.s.names:
            return self.named(text)
        j, depth = self.i, 0
        while j + 1 < len(self.t):
            tok = self.t[j].text
            if tok in ("(", "[", "{", r"\left"):
                depth += 1
            elif tok in (")", "]", "}", r"\right"):
                depth -= 1
                if depth < 0:
                    break
            elif depth == 0 and tok in ("=", "+", "-", ",", ";", "&"):
                break
            elif depth == 0 and tok == "/" and self.t[j + 1].kind == "letter" and self.t[j + 1].text == "d":
                partial = Token("command", r"\partial", self.t[j + 1].pos)
                self.t = [*self.t[:self.i - 1], partial, *self.t[self.i:j + 1], partial, *self.t[j + 2:]]
                return self.partial(r"\partial")
            j += 1
        return self.named(text)

    def constant_or_function(self, command: str):
        """π, ∞, Γ(·), ψ(·), ψ'(·) unless the name is declared (then a symbol)."""
        if key(command) in self.s.names:
            return self.named(command)
        if command in GREEK_CONSTANTS:
            return GREEK_CONSTANTS[command]
        if command == r"\Gamma":
            if not self.at("(", r"\left"):
                return self.named(command)
            return sp.gamma(sized(sp.gamma, scalar(self.function_argument(), "Γ")))
        order = 0
        while self.at("'"):
            self.take("'")
            order += 1
        return sp.polygamma(order, scalar(self.function_argument(), "ψ"))

    def estimator(self, _: str):
        """θ̂, \\hat\\theta(x), {\\hat\\theta}(X): a statistic t(x) of the data (of x, not of θ)."""
        under = self.group()
        name = key(self.text(under)).replace("boldsymbol", "").replace("mathbf", "")
        parameters = {key(n) for n, v in self.s.names.items() if v in self.s.theta} | {"theta"}
        if name not in parameters:
            raise NotationError(f"\\hat{{{self.text(under)}}}: only an estimator of a parameter is read")
        if self.s.m != 1:
            raise NotationError("an estimator of a vector θ is not read")
        return self.estimator_point(Estimator(self.s.x))

    def estimator_point(self, value):
        """The data an estimator is applied to, if written: θ̂(x), θ̂(X) (any other argument is not read)."""
        inside = self._parenthesized()
        if inside is None:
            return value
        point = self._point(inside)
        if point is None or point != self.s.x:
            raise NotationError(f"θ̂({self.text(inside)}): an estimator is read at the data x or X only")
        self.i += len(inside) + 2
        return Estimator(point)

    # -- pieces of the note's notation
    def matrix(self):
        """\\begin{bmatrix} a & b \\\\ c & d \\end{bmatrix} (also pmatrix, matrix)."""
        kind = self.text(self.group())
        if kind == "array" and self.at("{"):
            self.group()                                 # \left( \begin{array}{cc} … \end{array} \right): the
            kind = "matrix"                              # column spec; the delimiters around make it a matrix
        if kind not in ("bmatrix", "pmatrix", "matrix", "Bmatrix", "vmatrix"):
            raise NotationError(f"the environment {kind} is not read")
        rows: list[list[list[Token]]] = [[[]]]
        depth = 0
        while True:
            tok = self.take()
            if tok.text == r"\end" and depth == 0:
                self.group()
                break
            if tok.text in ("{", r"\begin"):
                depth += 1 if tok.text == "{" else 0
            if tok.text == "}":
                depth -= 1
            if depth == 0 and tok.text == "\\\\":
                rows.append([[]])
            elif depth == 0 and tok.text == "&":
                rows[-1].append([])
            else:
                rows[-1][-1].append(tok)
        rows = [r for r in rows if any(cell for cell in r)]
        if self.at("_"):                                 # \end{bmatrix}_{n \times n}
            self.take("_")
            self.group()
        width = {len(r) for r in rows}
        if len(width) != 1:
            raise ShapeError("writes a matrix whose rows have different lengths")
        cells = [[scalar(self.sub(cell), "a matrix entry") for cell in r] for r in rows]
        return _scalarize(sp.ImmutableMatrix(cells))

    def function_argument(self):
        if self.at("_"):
            raise NotationError("logarithms with a base are not checked")
        if self.at("(", r"\left"):
            return self.atom()
        return self.postfix()

    def gradient_variables(self) -> tuple[sp.Symbol, ...]:
        if not self.at("_"):
            return self.s.theta
        self.take("_")
        return self.variables(self.group())

    def variables(self, tokens: list[Token]) -> tuple[sp.Symbol, ...]:
        name = self.text(tokens)
        if name in (r"\theta", r"\boldsymbol{\theta}", r"\boldsymbol\theta") or \
                key(name) in ("boldsymboltheta", "mathbftheta", "bmtheta"):     # \boldsymbol {\theta } spaced
            return self.s.theta
        value = self.s.names.get(key(name))
        if isinstance(value, sp.Symbol) and value in self.s.theta:
            return (value,)
        if key(name) in self.s.points:
            return self.s.points[key(name)]          # ∇_t where the text writes P(x;t): another parameter point
        if name == self.s.x.name:
            return (self.s.x,)                       # ∂²/∂x² log p: a derivative in x is a derivative too
        entry = re.fullmatch(r"(?:boldsymbol|mathbf|bm)?theta_([a-z])", key(name))
        if entry and entry.group(1) in self.s.indices:          # ∂/∂θᵢ with a generic index i
            return (self.s.theta[self.s.indices[entry.group(1)]],)
        if self._entries_letter(key(name)):
            return self.s.theta                      # ∂/∂β where the model declares β₀, β₁: the vector β
        raise NotationError(f"differentiation by {_quote(name)}: not a parameter")

    def _entries_letter(self, letter: str) -> bool:
        """True when the model's parameters, and only they, are the letter's entries (β₀, β₁ for β): the
        letter then names their vector, as θ does."""
        if not letter or letter in self.s.names or self.s.m < 2:
            return False
        entries = {v for k, v in self.s.names.items() if re.fullmatch(rf"{re.escape(letter)}_[A-Za-z0-9]+", k)}
        return entries == set(self.s.theta)

    def gradient(self, value, variables: tuple[sp.Symbol, ...]):
        """∇ of a scalar: a column; ∂/∂θ of a column: the matrix ∂vᵢ/∂θⱼ."""
        if isinstance(value, Zero):
            return value
        if _is_matrix(value):
            if value.shape[1] != 1:
                raise ShapeError(f"differentiates a {_shape(value)} by a vector")
            return sp.ImmutableMatrix(len(value), len(variables),
                                      lambda r, c: sp.Derivative(value[r], variables[c]))
        if len(variables) == 1:
            return sp.Derivative(value, variables[0])          # one parameter: a scalar, not a 1×1 matrix
        return sp.ImmutableMatrix(len(variables), 1, lambda r, c: sp.Derivative(value, variables[r]))

    def hessian(self, value, variables: tuple[sp.Symbol, ...] | None = None):
        value = scalar(value, "the Hessian")
        t = self.s.theta if variables is None else variables       # ∇²_u at another parameter point u
        return _scalarize(sp.ImmutableMatrix(len(t), len(t), lambda r, c: sp.Derivative(value, t[r], t[c])))

    def fraction(self):
        tok = self.peek()
        if tok is not None and tok.kind == "digits" and len(tok.text) >= 2:
            # \frac12: TeX takes one digit for each argument (the rest of the number follows the fraction)
            digits = [Token("digits", d, tok.pos) for d in tok.text[:2]]
            rest = [Token("digits", tok.text[2:], tok.pos)] if len(tok.text) > 2 else []
            self.t = [*self.t[:self.i], *digits, *rest, *self.t[self.i + 1:]]
        top, bottom = self.group(), self.group()
        if top and bottom and top[0].text == "d" and bottom[0].text == "d" and "d" not in self.s.names:
            # d/dθ: with x held fixed it is ∂/∂θ (every function here is of x and the parameters)
            top = [Token("command", r"\partial", top[0].pos), *top[1:]]
            bottom = [Token("command", r"\partial", t.pos) if t.kind == "letter" and t.text == "d" else t
                      for t in bottom]
        if top and bottom and top[0].text == r"\delta" and bottom[0].text == r"\delta" and \
                "delta" not in self.s.names and all(t.text in (r"\delta", "^", "{", "}") or t.kind == "digits"
                                                    for t in top):
            # δ/δθ, δ²/δθ²: nothing but a derivative can be meant by a δ alone over δθ
            self.s.readings.append("δ/δθ as the derivative ∂/∂θ")
            top = [Token("command", r"\partial", t.pos) if t.text == r"\delta" else t for t in top]
            bottom = [Token("command", r"\partial", t.pos) if t.text == r"\delta" else t for t in bottom]
        top, bottom = self._other_partials(top, bottom)
        if top and top[0].text == r"\partial":
            rest, order = top[1:], 1
            if rest and rest[0].text == "^":
                self_sub = _Parser(rest[1:], self.s)
                order_tokens = self_sub.group()
                order, rest = self._order(order_tokens), rest[1 + self_sub.i:]
            variables = self._partial_variables(bottom)
            if order == 1 and len(variables) == 2 and variables[0] == variables[1] and len(variables[0]) == 1:
                # ∂f/∂σ² with one ∂ on top: the derivative by σ², not the second one by σ
                operand = self.operand(variables[:1]) if not rest else self.sub(rest)
                return self.by_square(operand, variables[0][0])
            if len(variables) != order:
                raise NotationError("the order on top and the variables below do not match")
            # ∂/∂β α log β: the operator takes the whole product that follows (up to + or −)
            operand = self.operand(variables) if not rest else self.sub(rest)
            return self.derivative(operand, variables)
        return div(self.sub(top), self.sub(bottom))

    def operand(self, variables: list[tuple[sp.Symbol, ...]]):
        """What ∂/∂θ written before a product acts on: the whole product (∂/∂β α log β) when only one of its
        factors depends on θ, else not read (∂/∂θ log f · f: log f alone, or the product?)."""
        wrt = {v for group in variables for v in group}
        self.held = getattr(self, "held", 0) + 1       # |_{u=θ} after the operand evaluates the derivative
        try:
            return self._operand(wrt)
        finally:
            self.held -= 1

    def _operand(self, wrt: set):
        """:meth:`operand` once the variables are known."""

        def depends(v) -> bool:
            entries = list(v) if _is_matrix(v) else [v]
            return any(isinstance(e, sp.Basic) and (e.has(*wrt) or e.has(Score, Fisher, Expect)) for e in entries)

        first = self._log_of_the_density() if self.at(r"\log", r"\ln") else None
        factors = [first if first is not None else self.postfix()]
        while True:
            if self.at(r"\cdot", r"\times", "*"):
                self.take()
                factors.append(self.postfix())
            elif self.at("/"):
                self.take("/")
                factors.append(div(sp.S.One, self.postfix()))
            elif self.starts_factor():
                factors.append(self.postfix())
            else:
                break
        dependent = [k for k, f in enumerate(factors) if not isinstance(f, Zero) and depends(f)]
        if len(dependent) > 1:
            raise NotationError("the reach of ∂/∂θ is ambiguous: it is followed by a product of factors that "
                                "depend on θ (write brackets around what it acts on)")
        value = factors[0]
        for factor in factors[1:]:
            value = mul(value, factor)
        return value

    def _log_of_the_density(self):
        """d²/dp² log p^X (1−p)^{1−X}: log of the product that follows when that product is the model's
        density written out (so the author certainly means the log of all of it); else None, nothing taken
        (∂/∂θ log f(x;θ) f: log f alone or of the product? the caller leaves that unknown)."""
        if self.s.generic or self.peek(1) is None or self.peek(1).text in ("(", r"\left", "_"):
            return None
        save, tokens = self.i, list(self.t)
        self.take()
        try:
            argument = self.postfix()
            if not self.starts_factor():
                raise NotationError("one factor")            # log p^X alone: the ordinary reading
            while self.starts_factor():
                argument = mul(argument, self.postfix())
            if not isinstance(argument, sp.Expr) or sp.simplify(argument - self.s.density(self.s.x)) != 0:
                raise NotationError("not the density")
        except (NotationError, ShapeError):
            self.i, self.t = save, tokens
            return None
        return sp.log(argument)

    def _order(self, tokens: list[Token]) -> int:
        text = self.text(tokens)
        if not text.isdigit() or not 1 <= int(text) <= 4:
            raise NotationError(f"a derivative of order {_quote(text)} is not checked")
        return int(text)

    def derivative(self, operand, variables: list[tuple[sp.Symbol, ...]]):
        """∂ⁿ operand / ∂a ∂b …: a gradient, the Hessian (∂²/∂θ² of a vector θ), or a partial derivative."""
        if len(variables) == 1:
            return self.gradient(operand, variables[0])
        if len(variables) == 2 and all(group == self.s.theta for group in variables) and self.s.m > 1:
            return self.hessian(operand)
        if any(len(group) != 1 for group in variables):
            raise NotationError("a higher derivative must be written ∂²f/∂a∂b or ∂²f/∂a² with parameters")
        return sp.Derivative(scalar(operand, "a partial derivative"), *[group[0] for group in variables])

    def physics_derivative(self):
        r"""The physics package: \pdv{f}{θ}, \pdv[2]{f}{θ}, \pdv{f}{a}{b}, \pdv{θ} f (also \dv)."""
        order = 1
        if self.at("["):
            self.take("[")
            tokens = []
            while not self.at("]"):
                tokens.append(self.take())
            self.take("]")
            order = self._order(tokens)
        first = self.group()
        if not self.at("{"):
            groups = [self.variables(first)] * order
            return self.derivative(self.operand(groups), groups)
        operand = self.sub(first)
        groups = [self.variables(self.group())] * order
        if self.at("{"):
            if order != 1:
                raise NotationError(r"\pdv[n]{f}{a}{b} is not checked")
            groups.append(self.variables(self.group()))
        return self.derivative(operand, groups)

    def by_square(self, operand, sigma: sp.Symbol):
        """∂f/∂(σ²) = (∂f/∂σ) / (2σ), the chain rule through σ = √(σ²), when σ > 0 is declared (else σ ↦ σ²
        is not one-to-one and the derivative by σ² is not defined by f(σ))."""
        if sigma.is_positive is not True:
            raise NotationError(f"differentiation by {sigma}²: read only for a parameter declared positive")
        v = sp.pretty(sigma, use_unicode=True)
        self.s.other_readings.append(f"∂f/∂{v}² is read as the derivative by {v}²; some authors mean the "
                                     f"second derivative by {v} (∂²f/∂{v}²)")
        return sp.Derivative(scalar(operand, "a partial derivative"), sigma) / (2 * sigma)

    def _other_partials(self, top: list[Token], bottom: list[Token]) -> tuple[list[Token], list[Token]]:
        """δ/δθ written for ∂/∂θ (PARTIAL_SPELLINGS), when the fraction is one on top and below and the letter
        is not declared: the same derivative."""
        for spelling in PARTIAL_SPELLINGS:
            if top and bottom and top[0].text == spelling == bottom[0].text and key(spelling) not in self.s.names:
                def swap(tokens: list[Token]) -> list[Token]:
                    return [Token("command", r"\partial", t.pos) if t.text == spelling else t for t in tokens]
                return swap(top), swap(bottom)
        return top, bottom

    def _partial_variables(self, tokens: list[Token]) -> list[tuple[sp.Symbol, ...]]:
        """∂a ∂b or ∂a^2 -> [(a,), (b,)] or [(a,), (a,)]; ∂θ -> [θ]."""
        if not tokens or tokens[0].text != r"\partial":
            raise NotationError("a derivative must be written ∂/∂θ or ∂f/∂θ")
        groups: list[list[Token]] = []
        for tok in tokens:
            if tok.text == r"\partial":
                groups.append([])
            else:
                groups[-1].append(tok)
        out: list[tuple[sp.Symbol, ...]] = []
        for group in groups:
            group = [t for t in group if t.kind not in ("{", "}")]      # ∂λ^{2}, ∂{θ}
            power = 1
            if len(group) >= 2 and group[-2].text == "^":
                power, group = self._order(group[-1:]), group[:-2]
            elif len(group) >= 3 and group[0].text == "^":
                # ∂^2/∂^2λ, a common misprint of ∂²/∂λ²: the power on ∂ can mean nothing else
                power, group = self._order(group[1:2]), group[2:]
                self.s.readings.append(f"∂^{power}/∂^{power}{self.text(group)} (a misprint) as "
                                       f"∂^{power}/∂{self.text(group)}^{power}")
            out += [self.variables(group)] * power
        return out

    def _is_base_measure(self) -> bool:
        nxt = self.peek(1)
        return nxt is not None and nxt.text in BASE_MEASURES and key(nxt.text) not in self.s.names and \
            self.s.generic

    def variation(self, command: str):
        """δq, δp, δθ_m: a variation, one symbol (a function of x for a density), not δ times q; a δ before
        anything else (δ², δ ∂/∂θ, θ + δ) is the increment δ."""
        nxt = self.peek()
        if key(command) in self.s.names or nxt is None or nxt.text not in VARIED or not self.s.generic:
            return self.named(command)
        self.take()
        varied = nxt.text
        if self.at("_"):
            self.take("_")
            varied += "_" + self.text(self.group())
        name = "δ" + key(varied).replace("theta", "θ")
        if varied in ("p", "q", "f"):
            return sp.Function(name)(self.s.x)
        return sp.Symbol(name, real=True)
    def _model_measure(self) -> bool:
        """d P at the current token: the model's distribution P (abstract setting, P not declared)."""
        nxt = self.peek(1)
        return nxt is not None and nxt.text == "P" and self.s.generic and "P" not in self.s.names

    def _is_differential(self) -> bool:
        nxt = self.peek(1)
        # dx, or dz where the text writes its density at z (DATA_ALIASES: z is the data)
        return nxt is not None and (nxt.text == self.s.x.name or
                                    (self.s.generic and nxt.text in self.s.data_aliases and self.s.x.name == "x"))

    def _without_differential(self, start: int, lower, upper):
        """∫ f(z;θ) ∂θ log f(z;θ) written with no differential at all: the integral over the density's point,
        when the integrand (all the rest of the side, no + or − at its top level) depends on that point and on
        the parameters only; else not read."""
        body, depth = self.t[start:], 0
        for k, tok in enumerate(body):
            depth += {"{": 1, "(": 1, "[": 1, "}": -1, ")": -1, "]": -1}.get(tok.text, 0)
            if depth == 0 and k and tok.text in ("+", "-"):
                raise NotationError("an integral without its dx (its reach is ambiguous)")
        if not body:
            raise NotationError("an integral without its dx")
        value = self.sub(body)
        self.i = len(self.t)
        entries = list(value) if _is_matrix(value) else [value]
        free = set().union(*(e.free_symbols for e in entries if isinstance(e, sp.Basic)))
        if self.s.x not in free or not free <= {self.s.x, *self.s.theta}:
            raise NotationError("an integral without its dx")
        if lower is not None and (lower, upper) != (-sp.oo, sp.oo) and (lower, upper) != (self.s.lower, self.s.upper):
            raise NotationError("integrals over other limits than the support are not checked")
        self.s.readings.append(f"∫ g with no differential as ∫ g d{self.s.x.name} (the density's point)")
        return elementwise(value, lambda g: sp.Integral(g, self.s.x))

    def integral(self):
        lower = upper = None
        whole = False
        if self.at("_"):
            self.take("_")
            below = self.group()
            # ∫_ℝ, ∫_𝒳: over the whole line, where p vanishes off its support; ∫_x: over all values of x
            whole = key(self.text(below)) in {key(w) for w in WHOLE_SUPPORT} or \
                (key(self.text(below)) == key(self.s.x.name) and not self.at("^"))
            lower = None if whole else self.sub(below)
        if self.at("^") and not whole:
            self.take("^")
            upper = self.sub(self.group())
        start, depth = self.i, 0
        while True:
            tok = self.peek()
            if tok is None:
                return self._without_differential(start, lower, upper)
            if tok.text in ("{", "(", "["):
                depth += 1
            elif tok.text in ("}", ")", "]"):
                depth -= 1
            if depth == 0 and tok.text == "d" and self._is_differential():
                break
            if depth == 0 and tok.text == "d" and (self._is_base_measure() or self._model_measure()):
                break                                 # ∫ … dμ (the base measure, dx here), ∫ … dP (the model)
            if depth == 0 and tok.text == r"\mathrm" and self.peek(1) and self.peek(1).text == "{" \
                    and self.peek(2) and self.peek(2).text == "d":
                self.t[self.i:self.i + 4] = [Token("letter", "d", tok.pos)]
                continue
            self.i += 1
        body = self.t[start:self.i]
        measure = self._model_measure()
        self.i += 2                                   # d x
        value = self.sub(body) if body else sp.S.One
        if not body and not measure and self.starts_factor():
            # ∫ dx g(x), as physicists write it: the integrand is the product after dx, up to a + or −, which
            # would make its reach ambiguous
            value = self.product()
            if self.at("+", "-"):
                raise NotationError("∫ dx g ± h: does the integral take h too? write ∫ (g ± h) dx")
        if measure:
            # ∫ g dP(x|θ), ∫ dP: against the model's distribution, i.e. ∫ g p(x|θ) dx
            if self.at("("):
                inside = self._parenthesized() or []
                parts = self._split(inside, ("|", r"\mid", ";"))
                if self._point(parts[0]) is None:
                    raise NotationError(f"dP({self.text(inside)}): the point must be {self.s.x.name}")
                self.i += len(inside) + 2
            value = mul(value, self.s.density(self.s.x))
        if lower is not None and (lower, upper) != (-sp.oo, sp.oo) and (lower, upper) != (self.s.lower, self.s.upper):
            raise NotationError("integrals over other limits than the support are not checked")
        return elementwise(value, lambda g: sp.Integral(g, self.s.x))

    def summation(self):
        below_tokens, above = self._limit_tokens()
        if below_tokens is None:
            return self._over_sample(sp.Sum, "a sum")
        below = self.text(below_tokens)
        variable = below.split("\\in")[0].split("=")[0].strip()
        if (not self.s.generic and self.s.discrete and variable != self.s.x.name and len(variable) == 1
                and variable.isalpha() and key(variable) not in self.s.names and variable != self.s.index.name):
            # Σ_{k=0}^{∞} k λ^k e^{−λ}/k!: a dummy index over the whole support is the model's x
            omitted = self._whole_support(below_tokens, above)
            names = {k: v for k, v in self.s.names.items() if k != self.s.x.name}
            reader = _Parser(self.t, dataclasses.replace(self.s, names={**names, variable: self.s.x}))
            reader.i = self.i
            body = reader.term()
            self.t, self.i = reader.t, reader.i
            return elementwise(body, lambda g: self._support_sum(g, omitted))
        body = self.term()
        if below.replace(" ", "") in ("i=1", "i"):
            self._sample_size(self.text(above) if above is not None else None, "a sum")
            i = self.s.index
            return elementwise(body, lambda g: sp.Sum(g, (i, 1, self.s.sample_size)))
        if variable == self.s.x.name:
            omitted = self._whole_support(below_tokens, above)
            return elementwise(body, lambda g: self._support_sum(g, omitted))   # a sum over the support
        raise NotationError(f"a sum over {_quote(below)} is not checked")

    def _whole_support(self, below: list[Token], above: list[Token] | None) -> list[sp.Expr]:
        """The points of the support that Σ_{x=a}^{b} leaves out (none: the whole support), read from its
        bounds; a few at either end at most (Σ_{k=1}^{∞} over {0, 1, …} leaves out 0), else not read."""
        parts = self._split(below, ("=",))
        members = self._split(below, (r"\in",))
        if len(members) == 2:
            self._is_support(members[1])                  # Σ_{x ∈ 𝒳}, Σ_{x ∈ \{0, 1\}}
            return []
        if len(parts) == 1 and above is None:
            return []                                     # Σ_x: over all its values
        if len(parts) != 2 or above is None or self.s.generic or not self.s.discrete:
            raise NotationError(f"a sum over {_quote(self.text(below))}: only the whole support is checked")
        lower, upper = self.sub(parts[1]), self.sub(above)
        head = _few(lower - self.s.lower) if not lower.has(sp.oo, -sp.oo) and self.s.lower.is_finite else None
        tail = (0 if _same(upper, self.s.upper) else
                _few(self.s.upper - upper) if not upper.has(sp.oo) and self.s.upper.is_finite else None)
        if head is None or tail is None:
            raise NotationError(f"a sum from {_quote(self.text(parts[1]))} to {_quote(self.text(above))}: only "
                                f"the support, or all of it but a few points at its ends, is checked")
        return ([self.s.lower + k for k in range(head)] + [self.s.upper - k for k in range(tail)])

    def _support_sum(self, g: sp.Expr, omitted: list[sp.Expr]) -> sp.Expr:
        """Σ of g over the support, less its terms at the points left out (each must have a value)."""
        terms = [g.subs(self.s.x, point) for point in omitted]
        if any(term.has(sp.zoo, sp.nan, sp.oo, -sp.oo) for term in terms):
            raise NotationError("a sum that leaves out a point of the support where its term has no value")
        return sp.Integral(g, self.s.x) - sp.Add(*terms)

    def _is_support(self, tokens: list[Token]) -> None:
        """The set after ∈ must be the support: 𝒳, ℝ, or {a, b, …} listing it (else not read)."""
        text = self.text(tokens)
        if key(text) in {key(w) for w in WHOLE_SUPPORT}:
            return
        bare = [t for t in tokens if t.text not in (r"\{", r"\}", r"\lbrace", r"\rbrace")]
        items = [self.text(item) for item in self._split(bare, (",",))]
        if tokens and tokens[0].text in (r"\{", r"\lbrace") and not self.s.generic and self.s.discrete:
            dots = [k for k, item in enumerate(items) if item.strip() in (r"\dots", r"\ldots", r"\cdots")]
            values = [self.sub(self._split(bare, (",",))[k]) for k in range(len(items)) if k not in dots]
            lo, hi = self.s.lower, self.s.upper
            if not dots and hi.is_finite and lo.is_number and hi.is_number and \
                    values == [lo + k for k in range(int(hi - lo) + 1)]:
                return
            if len(dots) == 1 and values and _same(values[0], lo) and (
                    (dots[0] == len(items) - 1 and hi == sp.oo)
                    or (dots[0] < len(items) - 1 and _same(values[-1], hi))):
                return
        raise NotationError(f"a sum over {_quote(text)}: only the whole support is checked")
    def _limit_tokens(self) -> tuple[list[Token] | None, list[Token] | None]:
        """The limits of Σ or ∏ in either order (_{i=1}^{n} or ^n_{i=1}): (below, above), None when absent."""
        below = above = None
        for _ in range(2):
            if self.at("_") and below is None:
                self.take("_")
                below = self.group()
            elif self.at("^") and above is None:
                self.take("^")
                above = self.group()
        if below is None and above is not None:
            raise NotationError("a sum or product with an upper limit but no index")
        bounds = self._split(below, tuple(BETWEEN)) if below is not None and above is None else []
        if len(bounds) == 3 and len(bounds[1]) == 1 and bounds[1][0].kind == "letter":
            # Σ_{1 ≤ i ≤ n}: the index between its bounds is Σ_{i=1}^{n}
            below = [*bounds[1], Token("char", "=", bounds[1][0].pos), *bounds[0]]
            above = bounds[2]
        return below, above

    def sum_sign(self, command: str):
        r"""\Sigma_{1 \le i \le n} X_i, \Sigma_{i=1}^{n}: the capital sigma written as the sum sign (with its
        limits); without a subscript, or declared, it is a name."""
        below = self.t[self.i + 1:self.i + 8] if self.at("_") else []
        if key(command) in self.s.names or not any(t.text in ("=", *BETWEEN) for t in below):
            return self.named(command)               # Σ, Σ_{ij}: a name (a covariance matrix, its entry)
        return self.summation()

    def _limits(self) -> tuple[str | None, str | None]:
        """The limits of Σ or ∏ as text: (below, above), None when absent."""
        below, above = self._limit_tokens()
        return (None if below is None else self.text(below)), (None if above is None else self.text(above))

    def _sample_size(self, above: str | None, what: str) -> None:
        """Over the sample the index runs to n (or its limit is left implicit); another limit is not read."""
        if above is not None and key(above) != key(self.s.sample_size.name):
            raise NotationError(f"{what} up to {_quote(above)}: only sums and products over the sample "
                                f"(i = 1, …, n) are read")

    def _over_sample(self, make, what: str):
        """Σ xᵢ, ∏ f(xᵢ|θ) without limits: over the sample when the body writes the sample value xᵢ."""
        body = self.term()
        entries = list(body) if _is_matrix(body) else [body]
        if not any(isinstance(e, sp.Basic) and e.has(self.s.sample()) for e in entries):
            raise NotationError(f"{what} without its index")
        i = self.s.index
        return elementwise(body, lambda g: make(g, (i, 1, self.s.sample_size)))

    def sample_product(self):
        r"""∏ᵢ₌₁ⁿ f(xᵢ) over the sample (\prod_{i=1}^n, \prod^n_{i=1}, \prod_i, or \prod f(xᵢ))."""
        below, above = self._limits()
        if below is None:
            return self._over_sample(sp.Product, "a product")
        if below.replace(" ", "") not in ("i=1", "i"):
            raise NotationError(f"a product over {_quote(below)} is not checked")
        self._sample_size(above, "a product")
        body = scalar(self.term(), "a product over the sample")
        return sp.Product(body, (self.s.index, 1, self.s.sample_size))

    def sample_mean(self, _: str):
        r"""x̄ (\bar x, \bar{x}, \overline{x}): the sample mean (1/n) Σᵢ xᵢ of the model's variable."""
        name = self.text(self.group())
        if name not in (self.s.x.name, "X") or key(name) in self.s.names and self.s.names[key(name)] != self.s.x:
            raise NotationError(f"the bar over {_quote(name)}: only x̄, the sample mean of x, is read")
        return sp.Sum(self.s.sample(), (self.s.index, 1, self.s.sample_size)) / self.s.sample_size

    def expectation(self):
        """𝔼[g], E(g), E_θ[g], 𝔼_{p(x|θ)}[g]: under the model at θ (any other measure is not read)."""
        self.measure()
        parenthesized = self.at("(") or (self.at(r"\left") and self.peek(1) is not None and self.peek(1).text == "(")
        if self.at(*FRACTIONS):
            # 𝔼\frac{2(x−μ)}{2σ⁴}: E of the one fraction, when nothing multiplies or raises it after
            value = self.atom()
            if self.starts_factor() or self.at("^", r"\cdot", r"\times", "*", "/"):
                raise NotationError("E\\frac{a}{b} followed by more: is it inside E? write brackets")
            return elementwise(value, Expect)
        if not self.at("[", "(", r"\left", r"\{"):
            # 𝔼 l''(θ): E applies to the one factor that follows; before a product its reach is not certain
            value = self.postfix()
            if self.starts_factor() or self.at(r"\cdot", r"\times", "*", "/"):
                raise NotationError("E written without brackets before a product: its reach is ambiguous "
                                    "(write brackets)")
            return value if isinstance(value, Zero) else elementwise(value, Expect)
        value = self.bracketed()
        if parenthesized and self.at("^") and self.s.power_reading == "inside":
            self.take("^")
            value = value ** scalar(self.sub(self.group()), "a power")
        elif parenthesized and self.at("^") and self.s.power_reading != "outside":
            # E(X − μ)² is E[(X − μ)²] in many textbooks and (E[X − μ])² in others
            raise NotationError(AMBIGUOUS_POWER)
        if isinstance(value, Zero):
            return value
        return elementwise(value, Expect)

    def measure(self) -> None:
        """The subscript of 𝔼, Var or Cov: θ, a parameter, p, X, p(x|θ), x∼p(x|θ); else not read."""
        if not self.at("_"):
            return
        self.take("_")
        text = self.text(self.group())
        name = key(text).replace("boldsymbol", "").replace("mathbf", "")
        parameters = {key(n) for n, v in self.s.names.items() if v in self.s.theta} | {"theta"}
        given = re.fullmatch(r"(?P<data>[A-Za-z])(\||mid)(?P<at>.*)", name)
        if given and (given.group("data") in "xX" or given.group("data") in self.s.data_aliases) and \
                set(given.group("at").split(",")) <= parameters:
            return                                   # 𝔼_{X|θ}, 𝔼_{𝐘|θ}: the data under the model at θ
        sampled = re.fullmatch(r"[xX](sim|∼)[pfP]_(?P<at>.*)", name)     # 𝔼_{X∼p_θ}
        if sampled and set(sampled.group("at").split(",")) <= parameters:
            return
        # x∼p(x|θ), x∼𝓛(x|θ), x∼L(x|θ): the model's density at θ, under any name the reader reads it by
        at_model = re.fullmatch(r"([xX](sim|∼))?(?:[pf]|mathcalL|L)\([xX](\||mid|;)(?P<at>.*)\)", name)
        if name in parameters | {"p", "f", "X", "x", "P"} or (
                at_model and set(at_model.group("at").split(",")) <= parameters):
            return
        raise NotationError(f"an expectation under {_quote(text)}: only the model at θ is read")

    def bracketed(self):
        r"""[g], (g), \left[g\right], [g | θ], \left[g \middle| θ\right]: the argument of 𝔼, Var."""
        if self.at(r"\left"):
            self.take(r"\left")
            opener = self.take("[", "(", r"\{").text            # 𝔼\left\{ g \right\}, as engineers write it
            value = self.expr()
            self.given_parameters()
            self.take(r"\right")
            self.take(OPEN[opener])
            return value
        opener = self.take("[", "(", r"\{").text
        value = self.expr()
        self.given_parameters()
        self.take(OPEN[opener])
        return value

    def given_parameters(self) -> None:
        r"""A bar before the closing bracket of 𝔼[g | θ] (also \mid, \middle|, \bigg|): conditioning on the
        parameters, which is the model at θ; a bar followed by anything else is not read."""
        if not self.at("|", r"\mid", r"\middle"):
            return
        if self.take().text == r"\middle":
            self.take("|", r"\mid")
        given = []
        while self.peek() is not None and not self.at(r"\right", "]", ")"):
            given.append(self.take())
        names = {key(n) for n, v in self.s.names.items() if v in self.s.theta} | {"theta"}
        text = key(self.text(given)).replace("boldsymbol", "").replace("mathbf", "")
        if text not in names:
            raise NotationError(f"a condition |{self.text(given)}: only the parameters can follow the bar")

    def variance(self):
        """Var(g); for a random vector g its covariance matrix, entries Cov(gᵢ, gⱼ) (Var(gᵢ) on the diagonal)."""
        self.measure()
        value = self.bracketed()
        if _is_matrix(value) and value.shape[1] == 1:
            entries = list(value)
            return sp.Matrix(len(entries), len(entries),
                             lambda i, j: Variance(entries[i]) if i == j else Covariance(entries[i], entries[j]))
        return Variance(scalar(value, "Var"))

    def covariance(self):
        """Cov(g, h); Cov(g) of a random vector g, its covariance matrix."""
        self.measure()
        left = r"\left" if self.at(r"\left") else ""
        if left:
            self.take(left)
        opener = self.take("[", "(").text
        first = self.expr()
        if not self.at(",") and _is_matrix(first) and first.shape[1] == 1:
            # Cov(g) of a random vector: its covariance matrix, as Var(g) (Cov_θ[∇ log p])
            entries = list(first)
            if left:
                self.take(r"\right")
            self.take(OPEN[opener])
            return sp.Matrix(len(entries), len(entries),
                             lambda i, j: Variance(entries[i]) if i == j else Covariance(entries[i], entries[j]))
        first = scalar(first, "Cov")
        self.take(",")
        second = scalar(self.expr(), "Cov")
        if left:
            self.take(r"\right")
        self.take(OPEN[opener])
        return Covariance(first, second)

    def point(self) -> sp.Expr:
        """The point of p(·|θ) or s(·|θ): x, or a sample value xᵢ; then the rest up to ')'."""
        tokens = []
        depth = 0
        while True:
            tok = self.take()
            if depth == 0 and (tok.text in ("|", r"\mid", ";", ",") or tok.text == ")"):
                break
            depth += {"(": 1, ")": -1}.get(tok.text, 0)
            tokens.append(tok)
        if tok.text != ")":
            while self.take().text != ")":
                pass
        name = self.text(tokens)
        if name == self.s.x.name or (name == "X" and "X" not in self.s.names and self.s.x.name == "x") or \
                _bare(name) in self.s.data_aliases or self._bold_observation(name):
            return self.s.x                      # p(X|θ) inside 𝔼: the random variable at its value x
        if name in (f"{self.s.x.name}_i", f"{self.s.x.name}_{{i}}"):
            return self.s.sample()
        if re.sub(BOLD_KEY, "", key(name)) in (f"{self.s.x.name}_i", f"{self.s.x.name.upper()}_i") and \
                key(name) not in self.s.names:
            return self.s.sample()               # P(𝐱ᵢ|θ), p(X_i|θ): the draw i of the sample, bold or capital
        raise NotationError(f"p({name}|θ): the point must be {self.s.x.name} or {self.s.x.name}_i")

    def named(self, name: str, prefix: str = ""):
        """A name: a known object applied to its arguments, a declared symbol, or (abstract) a generic one."""
        styled = bool(prefix)
        obj = known_object(name, prefix)
        if name in self.s.densities and not prefix and not self.at("_"):
            return self.other_density(name)          # q, Q(x) named in D_KL(P ‖ Q): before P's other readings
        if not styled and obj is not None and obj.kind == "density" and name in self.s.defined and \
                key(self.text(self._parenthesized() or [])) == self.s.defined[name][0]:
            return self.defined_application(name)    # f(X; θ) the text calls the joint density of the sample
        if obj is not None:
            # each handler returns None when the name is not used as its object here (then a symbol)
            value = getattr(self, APPLICATIONS[obj.kind])(name, prefix)
            if value is not None:
                return value
        if name == "0" and styled:
            if self.at("_"):
                self.take("_")
                size = self.text(self.group()).replace(" ", "")
                m = self.s.m
                shapes = {"m\\times1": (m, 1), "m\\times m": (m, m), "m\\timesm": (m, m)}
                if size not in shapes:
                    raise NotationError(f"𝟎_{{{size}}}: the size must be m×1 or m×m")
                return _scalarize(sp.ImmutableMatrix.zeros(*shapes[size]))
            return Zero()
        if name == "1" and styled:
            return sp.S.One
        if name == "e" and self.at("^") and "e" not in self.s.names:
            base = self.t[self.i - 1] if self.i and self.t[self.i - 1].text == "e" else None
            self.take("^")
            return elementwise(self.sub(self.group()), lambda a: sp.exp(self.sized_at(base, sp.exp, a)))
        if name == r"\theta" and not styled and self.s.starred and self.at("^") and self._starred():
            # θ* after the prose defined it (θ* = θ + ε): its value, read here
            self.s.readings.append(f"θ* as {self.s.starred}, as the text defines it")
            return self.sub([t for t in tokenize(self.s.starred, "step") if t.kind != "space" and t.text not in SKIP])
        if name in (r"\theta", r"\boldsymbol{\theta}", r"\theta") or (name == r"\theta" and styled):
            if not styled and "theta" in self.s.names:
                return self.s.names["theta"]                  # a declared θ is a scalar parameter
            return _scalarize(sp.ImmutableMatrix(self.s.theta))
        if not styled and obj is None and name in self.s.defined and self.at("("):
            return self.defined_application(name)
        full = name
        if self.at("_"):
            self.take("_")
            full = f"{name}_{self.text(self.group())}"
        if key(full) in self.s.names:
            return self.s.names[key(full)]
        if key(full) == f"{self.s.x.name}_{self.s.index.name}":
            return self.s.sample()
        if key(full) in self.s.functions and not styled:
            return self.text_function(full)
        if key(full) in KL_NAMES and not styled:
            return self.kl_divergence(full)
        if full in ("O", "o") and (not styled or prefix == "cal:") and self.at("(", r"\left") and \
                not self._declared(full):
            return self.remainder(full)
        if key(full) in self.s.points and not styled:
            return _scalarize(sp.ImmutableMatrix(self.s.points[key(full)]))

        if key(full) in (f"{self.s.x.name}_{self.s.index.name}", f"{self.s.x.name.upper()}_{self.s.index.name}") \
                and key(full) not in self.s.names:
            return self.s.sample()                           # xᵢ, Xᵢ: a sample value
        if self._one_draw(full):
            return self.s.sample()                           # x_j, X_k "for arbitrary x_j": one draw, as xᵢ
        if full == "X" and self.s.x.name == "x":
            return self.s.x                                  # the random variable of the density's x
        if self.s.generic and _bare(full) in self.s.data_aliases and self.s.x.name == "x":
            return self.s.x                                  # Y, y: the data, when the text names it so
        shown = f"{STYLE_COMMAND[prefix]}{{{full}}}" if prefix in STYLE_COMMAND else full
        if self.s.generic and not styled and obj is None and len(full) == 1 and full.isupper() and full.isascii() \
                and not (full in STATISTICS and self.at("(")):          # T(X): a statistic, read below
            # E[Y²] = E[Y]² holds for a constant Y only: a capital letter is a random variable, never a constant
            raise NotationError(f"{_quote(full)}: a capital letter is a random variable; read are X (and Y when "
                                "the step writes no x) as the data")
        if self.s.generic and not styled and obj is None and _generic(full):
            inside = self._parenthesized()
            if (full in STATISTICS or full in self.s.estimators) and inside is not None and \
                    self._point(inside) == self.s.x and self.s.m == 1:
                self.i += len(inside) + 2
                # T(X): a statistic, an estimator of θ; g(x) where the prose says it is an estimator of θ
                return (self.s.estimators.get(full) or statistic(full))(self.s.x)
            if not full.startswith("\\") and self.at("(", r"\left"):
                # T(X), g(x): a function applied (T(2X) ≠ 2T(X)) or a product? no reading is certain
                raise NotationError(f"{_quote(full)}(…): a function of its argument or a product? not read")
            return sp.Symbol(key(full), real=True)
        if obj is not None:
            raise NotationError(f"{_quote(shown)} is read only as {obj.application}")
        raise NotationError(f"{_quote(shown)} is not a symbol of this setting (declare it in the front matter's model)")

    def _one_draw(self, full: str) -> bool:
        """True for x_j, X_{k}: an observation written with another index letter than i, in a side that writes
        no other index on x (x_i x_j is two draws, not one: then not read)."""
        match = re.fullmatch(r"([A-Za-z])_\{?\s*([a-z])\s*\}?", full.strip())
        if match is None or match.group(1) not in (self.s.x.name, self.s.x.name.upper()) or key(full) in self.s.names:
            return False
        letter = match.group(2)
        if letter in (self.s.index.name, "n") or letter in self.s.names:
            return False
        letters = set()
        for j, tok in enumerate(self.t[:-1]):
            if tok.text in (self.s.x.name, self.s.x.name.upper()) and self.t[j + 1].text == "_":
                below = self.t[j + 2:j + 5]
                index = below[1] if below and below[0].text == "{" and len(below) > 1 else (below[0] if below else None)
                if index is not None:
                    letters.add(index.text)
        return letters == {letter}
    def _starred(self) -> bool:
        """A star as the superscript at the cursor (^*, ^{*}, ^\\ast, ^\\star): taken, True; else nothing taken."""
        start = self.i
        self.take("^")
        if [t.text for t in self.group()] in [[star] for star in STARS]:
            return True
        self.i = start
        return False

    def remainder(self, name: str):
        """O(δᵏ), \\mathcal{O}(δᵏ), o(δᵏ): the remainder of an expansion in an increment δ of p(x; θ + δ)."""
        value = self.function_argument()
        if not isinstance(value, sp.Basic):
            raise NotationError(f"{name}(…): read only as a power of an increment δ of p(x; θ + δ)")
        base, power = value.as_base_exp()
        if base not in self.s.increments or not (power.is_Integer and power > 0):
            raise NotationError(f"{name}(…): read only as a power of an increment δ of p(x; θ + δ)")
        return Remainder(base, power - 1 if name == "O" else power)

    def dots(self, _: str):
        """\\dots written as a term: the terms of an expansion that are not written."""
        return Remainder(sp.S.Zero, sp.S.NegativeOne)

    def underbraced(self, _: str):
        """\\underbrace{g}_{note}: g (the note under the brace is a comment)."""
        value = self.sub(self.group())
        if self.at("_", "^"):
            self.take()
            self.group()
        return value

    def kl_divergence(self, _: str):
        """D_KL(p ‖ q), KL(P‖Q), D_{KL}\\big(p(x;θ) || p(x;θ+δ)\\big): the divergence of two densities at x."""
        if not self.at("(", r"\left"):
            raise NotationError("D_KL without its two arguments: write D_KL(p ‖ q)")
        if self.at(r"\left"):
            self.take(r"\left")
        self.take("(")
        tokens, depth = [], 0
        while True:
            tok = self.take()
            if tok.text in (r"\left", r"\right"):
                continue
            if tok.text == ")" and depth == 0:
                break
            depth += {"(": 1, ")": -1}.get(tok.text, 0)
            tokens.append(tok)
        parts, depth, k = [[]], 0, 0
        while k < len(tokens):
            tok = tokens[k]
            depth += {"(": 1, ")": -1}.get(tok.text, 0)
            double_bar = tok.text == "|" and k + 1 < len(tokens) and tokens[k + 1].text == "|"
            if depth == 0 and (tok.text in KL_SEPARATORS or double_bar):
                parts.append([])
                k += 2 if double_bar else 1
                continue
            parts[-1].append(tok)
            k += 1
        if len(parts) != 2 or not all(parts):
            raise NotationError("D_KL(…): two densities separated by ‖ are read")
        first, second = (self.divergence_argument(part) for part in parts)
        return KL(first, second)

    def divergence_argument(self, tokens: list[Token]):
        """An argument of D_KL: p (the model's density), q, P, Q (other densities: P's density is p), or a
        density written with its point, p(x; θ + δ)."""
        name = self.text(tokens)
        at_x = len(tokens) == 4 and tokens[1].text == "(" and tokens[3].text == ")" and \
            self._point(tokens[2:3]) == self.s.x                     # P(x) ‖ Q(x): the densities at x
        if (len(tokens) == 1 or at_x) and tokens[0].kind == "letter" and self.s.generic and \
                not self._declared(tokens[0].text):
            letter = tokens[0].text
            if letter.lower() == "p":
                if letter == "P":
                    self.s.densities.setdefault("P", self.s.density(self.s.x))
                return self.s.density(self.s.x)
            # q, Q: another density (P's density is p, Q's is q), the same one wherever the text writes it
            density = self.s.densities.setdefault(letter.lower(), sp.Function(letter.lower())(self.s.x))
            self.s.densities.setdefault(letter, density)
            return density
        if len(tokens) > 2 and tokens[0].text in ("p", "f") and tokens[1].text == "_" and \
                not any(t.text == "(" for t in tokens) and self.s.generic:
            # p_θ ‖ p_u: the densities at x, at θ and at another parameter point
            tokens = [*tokens, Token("char", "(", tokens[-1].pos), Token("letter", self.s.x.name, tokens[-1].pos),
                      Token("char", ")", tokens[-1].pos)]
        value = scalar(self.sub(tokens), "D_KL")
        if not value.has(self.s.x):
            raise NotationError(f"D_KL({name}…): the argument must be a density at x")
        return value

    def other_density(self, name: str):
        """q, q(x), Q(x): a density the text names beside the model's (in D_KL(p ‖ q)), unknown."""
        inside = self._parenthesized()
        if inside is not None:
            point = self._point(inside)
            if point is None:
                raise NotationError(f"{name}({self.text(inside)}): read at x only")
            self.i += len(inside) + 2
        return self.s.densities[name]

    def text_function(self, full: str):
        """S_n(θ) or S_n where the text writes S_n(θ): the unknown function of θ and the data. A name the prose
        gave a role (text_names) is also read at (θ, data) (u(λ, y): the data as a whole, the step shows which),
        and with primes (LL'(λ), LL''(λ)): its derivatives in a scalar θ."""
        function = self.s.functions[key(full)]
        order = 0
        while self.at("'"):
            self.take("'")
            order += 1
        inside = self._parenthesized()
        if inside is not None:
            if not self._is_parameters(inside) and not (full in stated_names(self.s) and self._with_data(inside)):
                raise NotationError(f"{_quote(full)}({self.text(inside)}): read at θ only, as the text writes it")
            self.i += len(inside) + 2
        if order:
            if self.s.m != 1:
                raise NotationError(f"{full}' of a vector θ: write the gradient")
            return sp.Derivative(function, (self.s.theta[0], order))
        return function

    def _with_data(self, tokens: list[Token]) -> bool:
        """True for (θ, x), (θ; X), (λ, y): the parameters, then the data letter itself (not one draw xᵢ)."""
        parts = self._split(tokens, (",", ";", "|", r"\mid"))
        if len(parts) < 2:
            return False
        data = _bare(self.text(parts[-1]))
        if data not in (self.s.x.name, self.s.x.name.upper()) and data not in self.s.data_aliases:
            return False
        head = [t for part in parts[:-1] for t in (*part, Token("char", ",", 0))][:-1]
        return self._is_parameters(head)
    def defined_application(self, name: str):
        """z(X, θ) after a step defined it (z(X, θ) = ∂/∂θ log f(X|θ)): its definition's right side, when it
        is applied to the same arguments (another argument would need a substitution: not read)."""
        arguments, body = self.s.defined[name]
        inside = self._parenthesized() or []
        if key(self.text(inside)) != arguments:
            raise NotationError(f"{_quote(name)} is defined at ({arguments}), not at ({self.text(inside)})")
        self.i += len(inside) + 2
        return self.sub([t for t in tokenize(body, "step") if t.kind != "space" and t.text not in SKIP])

    def _declared(self, name: str) -> bool:
        return key(name) in self.s.names

    def _parenthesized(self) -> list[Token] | None:
        """The tokens inside the parentheses that follow (not consumed), or None."""
        if not self.at("("):
            return None
        depth, j = 0, self.i
        while j < len(self.t):
            text = self.t[j].text
            depth += {"(": 1, ")": -1}.get(text, 0)
            if depth == 0:
                return self.t[self.i + 1:j]
            j += 1
        return None

    @staticmethod
    def _split(tokens: list[Token], separators: tuple[str, ...]) -> list[list[Token]]:
        parts: list[list[Token]] = [[]]
        depth = 0
        for tok in tokens:
            depth += {"(": 1, ")": -1, "{": 1, "}": -1, "[": 1, "]": -1}.get(tok.text, 0)
            if depth == 0 and tok.text in separators:
                parts.append([])
            else:
                parts[-1].append(tok)
        return parts

    def _is_parameters(self, tokens: list[Token]) -> bool:
        """True when the tokens name the parameters: θ, or the model's parameters in order."""
        parts = self._split(tokens, (",",))
        if len(parts) == 1 and key(self.text(parts[0])).replace("boldsymbol", "").replace("mathbf", "") == "theta":
            return True
        names = [self.s.names.get(key(self.text(part))) for part in parts]
        return names == list(self.s.theta)

    def _bold_observation(self, name: str) -> bool:
        """𝐱, 𝐗 (\\mathbf, \\boldsymbol, \\bf) in a text that writes no sample (no xᵢ, n, Σ, ∏): the data as one
        point of the unknown density, whatever its dimension (Casella–Berger's f(𝐱|θ)); every identity proved
        for an unknown p(x|θ) holds for it."""
        bare = _bare(name)
        return self.s.generic and self.s.one_observation and bare != name.strip() and bare in (self.s.x.name, "X")

    def _point(self, tokens: list[Token]) -> sp.Expr | None:
        name = self.text(tokens)
        if name in (self.s.x.name, "X") or _bare(name) in self.s.data_aliases or self._bold_observation(name):
            return self.s.x
        if key(name) in (f"{self.s.x.name}_i", "X_i"):
            return self.s.sample()
        return None

    # -- known objects applied to arguments (dispatched from APPLICATIONS)
    def density_application(self, name: str, prefix: str):
        """p(x|θ), p(x;θ), f(x|θ), f_θ(x), f_X(x); a declared p beside the density p is the parameter."""
        if prefix:
            return None
        if name in ("f", "p") and self.at("^") and not self._declared(name):
            # p^m(x|λ), p^{\text{model}}(x|θ): a superscript that names the model, not a power (opensrdk)
            save = self.i
            self.take("^")
            label = key(self.text(self.group()))
            value = self.density_application(name, prefix) \
                if label in MODEL_LABELS and label not in self.s.names and self.at("(") else None
            if value is not None:
                return value
            self.i = save
        if name in ("f", "p") and self.at("^") and not self._declared(name):
            # p^2(x|θ), f^2(x;θ): the power of the density, written before its arguments as in sin²x
            save, power = self.i, self._leading_power()
            value = self.density_application(name, prefix) if power != 1 else None
            if value is None:
                self.i = save
                return None
            return value ** power
        if name in ("f", "p") and self.at("_"):
            save = self.i
            self.take("_")
            below = key(self.text(self.group()))
            power = self._leading_power()              # p_θ^2(X) = p_θ(X)²
            # p_X(x) is the pmf of X even beside a parameter p; p_θ(x) with a declared p is not certain
            certain = not self._declared(name) or (below == "X" and not self._declared(f"{name}_{below}"))
            if certain and below in self.s.points and self.s.generic and self.at("("):
                # p_u(x): the density at another parameter point the text names (D(p_θ ‖ p_u))
                inside = self._parenthesized()
                point = self._point(inside) if inside is not None else None
                if point is None:
                    raise NotationError(f"{name}_{below}({self.text(inside or [])}): the point must be x")
                self.i += len(inside) + 2
                return self.s.density_at(point, self.s.points[below]) ** power
            if certain and (below in ("theta", "X") or self.s.names.get(below) in self.s.theta) and self.at("("):
                inside = self._parenthesized()
                point = self._point(inside) if inside is not None else None
                parts = self._split(inside or [], ("|", r"\mid", ";"))
                if point is None and len(parts) == 2 and self._is_parameters(parts[1]):
                    point = self._point(parts[0])        # f_X(x; θ), f_X(x | θ): the parameters written too
                if point is None and inside is not None and len(parts) == 1 and not self.s.generic and below == "X":
                    point = self._support_value(inside)          # p_X(0): the model's pmf at 0
                if point is None:
                    raise NotationError(f"f_{below}({self.text(inside or [])}): the point must be x")
                self.i += len(inside) + 2
                return self.s.density(point) ** power
            self.i = save
            return None
        inside = self._parenthesized()
        if inside is None:
            before = [t.text for t in self.t[:self.i - 1] if t.text.strip()][-1:]
            if name == "p" and self._declared(name) and before in ([r"\log"], [r"\ln"]) and not self.at("_", "^") \
                    and self.s.p_density:
                # log p beside a parameter p: the log of the pmf p(x|p), or of the parameter? (∂ log p/∂p)
                raise NotationError("log p: the log of the density p(x|p) or of the parameter p? write one")
            if name == "p" and self.s.generic and not self._declared(name) and not self.at("_", "^"):
                # ∫ p dx, ∂p/∂θ in the abstract setting: the density, written without its arguments
                if self.s.p_parameter:
                    return None                  # the parameter p, as in p^x (1 − p)^{1 − x} beside it
                return self.s.density(self.s.x)
            return None
        conditional = len(self._split(inside, ("|", r"\mid", ";"))) > 1
        if self._declared(name) and not conditional:
            if self._point(inside) is not None:
                raise NotationError(f"{name}({self.text(inside)}): the density or {name}·{self.text(inside)}? "
                                    f"write {name}(x|θ) for the density")
            return None                                  # the parameter p times (1 − p)
        if not conditional and not self.s.generic and not self._declared(name):
            # a model is declared: f(x), p(x) are its density, f(0) its density (pmf) at 0
            point = self._point(inside)
            if point is None:
                point = self._support_value(inside)
            self.i += len(inside) + 2
            return self.s.density(point)
        if name == "f" and not conditional:
            raise NotationError(f"f({self.text(inside)}): f is read as the density only as f(x|θ), f(x;θ) or f_θ(x)")
        if name == "P" and not conditional:
            return None                                  # P(X = 1), P(A): a probability, not the density
        parts = self._split(inside, ("|", r"\mid", ";"))
        if len(parts) == 2 and self._is_parameters(parts[0]) and self._point(parts[1]) is not None and \
                not self._is_parameters(parts[1]):
            # f(θ; X): the parameters first, then the data (as s(θ; x) and L(θ; x) are written)
            point = self._point(parts[1])
            self.i += len(inside) + 2
            return self.s.density(point)
        if len(parts) == 2 and parts[1] and not self._is_parameters(parts[1]):
            parameters = self.density_parameters(parts[1])
            if parameters is not None:
                self.take("(")
                return self.s.density_at(self.point(), parameters)
        joint = self._joint_density(inside)
        if joint is not None:
            return joint
        self.take("(")
        return self.s.density(self.point())

    def _leading_power(self) -> int:
        """The k of f^k(x) at the cursor (a whole number from 1 to 4 right before the argument's parenthesis),
        taken; 1 and nothing taken when there is none."""
        if not self.at("^"):
            return 1
        start = self.i
        self.take("^")
        exponent = self.text(self.group())
        if not self.at("(") or not exponent.isdigit() or not 1 <= int(exponent) <= 4:
            self.i = start
            return 1
        return int(exponent)

    def _joint_density(self, inside: list[Token]):
        r"""p(\vec{x}|θ), f(\mathbf{x}; θ), p(x_1, …, x_n|θ): the density of the whole sample, ∏ᵢ p(xᵢ|θ) when
        the text says the draws are independent (Setting.independent), else not read; None for another point."""
        parts = self._split(inside, ("|", r"\mid", ";"))
        if len(parts) != 2 or not self._is_parameters(parts[1]) or self._bold_observation(self.text(parts[0])):
            return None
        written = key(self.text(parts[0]))
        bare = re.sub(r"^(vec|mathbf|boldsymbol|bm|bf)", "", written)
        vector = bare != written and bare in (self.s.x.name, self.s.x.name.upper())      # \vec{x}, \mathbf{X}
        names = f"[{self.s.x.name}{self.s.x.name.upper()}]"                              # x_1, …, x_n
        if not vector and not re.fullmatch(SAMPLE_SUBSCRIPT.replace("[xX]", names), written):
            return None
        if not self.s.independent:
            raise NotationError(f"the density of the whole sample {self.text(parts[0])} is ∏ᵢ p(xᵢ|θ) only for "
                                f"independent draws, which the text does not state (iid, independent, random sample)")
        self.i += len(inside) + 2
        return SampleProduct(self.s.density(self.s.draw))

    def _parameter_label(self, tokens: list[Token]) -> bool:
        """A parameter, or a power of one (σ² in f(x|μ, σ²)), written in a density's list of parameters."""
        try:
            value = self.sub(tokens)
        except (NotationError, ShapeError):
            return False
        base = value.base if isinstance(value, sp.Pow) and value.exp.is_Integer else value
        return base in self.s.theta

    def density_parameters(self, tokens: list[Token]) -> tuple[sp.Expr, ...] | None:
        """The parameters of p(x; θ + δ), P(x; t): their values (None when they are the parameters themselves,
        or some of them, as in f(x|μ) for a model in μ and σ)."""
        name = key(self.text(tokens))
        if name in self.s.points:
            return self.s.points[name]
        labels = self._split(tokens, (",",))
        if len(labels) > 1 and all(self._parameter_label(part) for part in labels):
            return None                               # f(x|μ, σ²): the model's density, named by its parameters
        try:
            value = self.sub(tokens)
        except ShapeError as exc:
            # θ + d with a vector θ and a d of unknown shape: not read (never a shape refutation)
            raise NotationError(f"the parameters ({self.text(tokens)}) of a density: {exc}") from None
        entries = list(value) if _is_matrix(value) else [value]
        if all(e in self.s.theta for e in entries):
            return None
        if len(entries) != self.s.m:
            raise NotationError(f"the parameters ({self.text(tokens)}) of a density: {len(entries)} value(s) for "
                                f"{self.s.m} parameter(s)")
        if not self.s.generic:
            return tuple(entries)
        for e in entries:
            # δ in p(x; θ + δ): an increment of a real parameter, so any real test value is in its domain
            self.s.increments |= {a for a in e.free_symbols if a not in self.s.theta}
        return tuple(entries)

    def _support_value(self, tokens: list[Token]) -> sp.Expr:
        """A number written as the point of the model's density (f(0), Pr(X = 1)): certain only when it is a
        point of the support (off it the density's formula is not the density: a Bernoulli's at 2)."""
        value = self.sub(tokens)
        # a number, or one made of the model's constants (Pr(X = n) for a binomial): never of x or θ
        if not (isinstance(value, sp.Basic) and not _is_matrix(value) and value.is_real
                and not value.free_symbols & {self.s.x, *self.s.theta}):
            raise NotationError(f"the density at {_quote(self.text(tokens))}: read are x, X and numbers of the "
                                f"support")
        inside = sp.And(sp.Ge(value, self.s.lower), sp.Le(value, self.s.upper))
        if self.s.discrete:
            inside = sp.And(inside, sp.S.true if value.is_integer else sp.S.false)
        if inside is not sp.S.true:
            raise NotationError(f"the density at {_quote(self.text(tokens))}: not certainly a point of the support "
                                f"(there its formula is not the density)")
        return value

    def probability_application(self, name: str, prefix: str):
        """Pr(X = k), P(X = k), ℙ(X = k) with a discrete model: its pmf at k (k in the support).

        P(x; θ), P(x|θ) without '=' inside is a density named P (cs287's KL notes), read as one."""
        if (self._declared(name) and not prefix) or not self.at("(", r"\left"):
            return None
        if name == "P" and not prefix and self.at("(") and \
                not any(t.text == "=" for t in (self._parenthesized() or [])):
            return self.density_application(name, prefix)
        left = self.at(r"\left")
        if left:
            self.take(r"\left")
        inside = self._parenthesized()
        if inside is None:
            raise NotationError(f"{name}(…) without its closing parenthesis")
        if left and inside and inside[-1].text == r"\right":
            inside = inside[:-1]
            self.i += 1
        # Wikipedia's \Pr(X{=}1): the braces only space the sign
        bare = [t.text for t in inside]
        equals = [k for k in range(1, len(inside) - 1) if bare[k - 1:k + 2] == ["{", "=", "}"]]
        parts = self._split([t for k, t in enumerate(inside) if not any(abs(k - e) == 1 for e in equals)], ("=",))
        if self.s.generic or not self.s.discrete:
            raise NotationError(f"{_quote(self.text(inside))}: the probability of an event is read only as "
                                f"P(X = k) for a discrete model declared in the front matter")
        if len(parts) != 2 or self._point(parts[0]) is not self.s.x:
            raise NotationError(f"{name}({self.text(inside)}): read is P(X = k) only")
        value = self._point(parts[1])            # P(X = x): the pmf at x
        if value is None:
            value = self._support_value(parts[1])
        self.i += len(inside) + 2                # with \left( … \right), the \right was counted above
        return self.s.density(value)

    def score_application(self, name: str, prefix: str):
        if not prefix and not self._declared(name) and self.s.bare_score and not self.at("(", "_") and \
                not self.s.sample_shown:
            # 𝔼[s sᵀ] where the text writes s(θ; x) = ∇θ log p_θ(x): the score at the one observation x
            column = [Score(sp.Integer(j), self.s.x) for j in range(self.s.m)]
            return column[0] if len(column) == 1 else sp.ImmutableMatrix(column)
        if prefix or self._declared(name) or not self.at("(", "_"):
            return None
        entries, single = range(self.s.m), False
        if self.at("_"):
            single = True
            self.take("_")
            entries = [self.s.theta.index(self.variables(self.group())[0])]
        inside = self._parenthesized()
        parts = self._split(inside or [], (";", "|", r"\mid", ","))
        if inside is not None and len(parts) == 1 and not single:
            # s(X) with no parameter written: the score, or a statistic s(X) (an estimator of g(θ))? not read
            raise NotationError(f"s({self.text(inside)}): the score s(x|θ) or a statistic of the data? write "
                                f"s(x|θ) for the score")
        if len(parts) == 2 and self._is_parameters(parts[0]) and self._point(parts[1]) is not None:
            point = self._point(parts[1])              # s(θ; X): the parameters first, then the data
            self.i += len(inside) + 2
        else:
            self.take("(")
            point = self.point()
        if self.at("_"):                           # s(x|θ)_{m×1}
            self.take("_")
            self.group()
        column = [Score(sp.Integer(j), point) for j in entries]
        return column[0] if single or len(column) == 1 else sp.ImmutableMatrix(column)

    def fisher_application(self, name: str, prefix: str):
        """𝐅, F(θ), I(θ), 𝓘(θ), I_X(θ), I_n(θ) = n I(θ), 𝐅_{μσ}: never F times θ."""
        if self._declared(name) and not prefix:
            return None
        if name == "I" and not prefix and not self.at("(", "_"):
            return None                                  # a bare I: the identity? not read
        m = self.s.m
        said = ""                                          # "n": I_n, the sample's; "1": I_1, one observation's
        if self.at("_"):
            self.take("_")
            tokens = self.group()
            if self._entry(tokens) is None and len(tokens) == 1 and self.at("_"):
                # I_mu_sigma, I_{\mu}_{\sigma}: the entry's two parameter names as two subscripts
                save = self.i
                self.take("_")
                both = tokens + self.group()
                if self._entry(both) is not None:
                    tokens = both
                else:
                    self.i = save
            entry = self._entry(tokens)
            if entry is not None:
                j, k = sorted(self.s.theta.index(n) for n in entry)
                inside = self._parenthesized()
                if inside is not None and self._is_parameters(inside):
                    self.i += len(inside) + 2              # I_{ij}(θ): the entry at the parameters, not a product
                return Fisher(sp.Integer(j), sp.Integer(k))
            below = key(self.text(tokens))
            if below == key(self.s.sample_size.name) or re.fullmatch(SAMPLE_SUBSCRIPT, below):
                said = "n"                                 # the information of a sample of n
            elif below in ("1", "X_1", "x_1", "theta") or re.fullmatch(ONE_DRAW, below):
                said = "1"                                 # one observation's, whatever the text's I means
            elif all(re.fullmatch(ONE_DRAW, draw) for draw in below.split(",")) and \
                    len(set(below.split(","))) == len(below.split(",")):
                # I_{X_1, X_2}: the information of k distinct draws is k times one's only if they are independent
                if not self.s.independent:
                    raise NotationError(f"{name}_{{{self.text(tokens)}}}: the information of several draws is the "
                                        f"sum of theirs only for independent draws, which the text does not state")
                said = str(len(below.split(",")))
                self.s.readings.append(f"{name}_{{{self.text(tokens)}}} as {said} {name}(θ): the information of "
                                       f"independent draws adds up")
            elif below not in ("X", "x"):
                raise NotationError(f"{name}_{{{self.text(tokens)}}}: read are {name}_X, {name}_1, {name}_n "
                                    f"and an entry {name}_{{θᵢθⱼ}} with parameter names")
        inside = self._parenthesized()
        one = None
        if inside is not None:
            written = self.s.names.get(key(self.text(inside)))
            if not self._is_parameters(inside) and not self.s.generic and m >= 2 and written in self.s.theta:
                # I(μ) in a model of (μ, σ): the information about μ with the others known, the entry F_μμ
                one = self.s.theta.index(written)
                self.s.readings.append(f"{name}({self.text(inside)}) as the entry of the Fisher matrix for "
                                       f"{self.text(inside)} (the information about it, the others known)")
            elif not self._is_parameters(inside):
                raise NotationError(f"{name}({self.text(inside)}): the Fisher information is read at the "
                                    f"model's parameters only")
            self.i += len(inside) + 2
        elif name == "I" and not prefix and said != "n":
            raise NotationError("I without its argument: write I(θ)")
        if said == "n":
            factor = self.s.sample_size
        elif said.isdigit():
            factor = sp.Integer(said)
        elif self.s.sample_information:
            factor = self.s.sample_size                    # the other reading of an I(θ) beside n
        else:
            # I(θ), I_X(θ) in a text about a sample that never tells them apart: read both ways by the checker
            factor = self.s.information_scale if key(name) in ("I", "cal:I") else sp.S.One
        if one is not None:
            return mul(factor, Fisher(sp.Integer(one), sp.Integer(one)))
        matrix = _scalarize(sp.ImmutableMatrix(m, m, lambda j, k: Fisher(sp.Integer(min(j, k)),
                                                                          sp.Integer(max(j, k)))))
        return mul(factor, matrix)

    def hessian_application(self, name: str, prefix: str):
        if self._declared(name):
            return None
        if not self.at("_"):
            raise NotationError("𝐇 needs the function it is the Hessian of: 𝐇_{f}")
        self.take("_")
        tokens = self.group()
        entry = self._entry(tokens)
        if entry is not None:                      # 𝐇_{μσ}: an entry of the Hessian of log p
            return sp.Derivative(sp.log(self.s.density(self.s.x)), *entry)
        return self.hessian(self.sub(tokens))

    def likelihood_application(self, name: str, prefix: str):
        """The note's L(X|θ) (the sample's log-likelihood); L(θ; x) = p(x|θ); L(θ) an unknown function of θ."""
        if self._declared(name):
            return None
        inside = self._parenthesized()
        if inside is None:
            return None
        parts = self._split(inside, ("|", r"\mid", ";"))
        first = self.text(parts[0])
        if first in ("X", self.s.x.name) and len(parts) == 2 and self._is_parameters(parts[1]) and \
                ";" in (t.text for t in inside):
            # L(x; θ), L(X; θ): the likelihood written with the data first, i.e. the density p(x|θ)
            # (the note's L(X|θ) with a bar is its sample log-likelihood, below)
            self.i += len(inside) + 2
            return self.s.density(self.s.x)
        if prefix == "cal:" and first == self.s.x.name and len(parts) == 2 and self._is_parameters(parts[1]):
            # 𝓛(x|θ): the likelihood of the one observation x, the density p(x|θ) (as 𝓛(θ; x) is)
            self.i += len(inside) + 2
            return self.s.density(self.s.x)
        if not prefix and first in ("X", self.s.x.name):     # the note's L(X|θ), L(x|θ): log-likelihoods
            self.i += len(inside) + 2
            if first == "X":
                return sp.Sum(sp.log(self.s.density(self.s.sample())), (self.s.index, 1, self.s.sample_size))
            return sp.log(self.s.density(self.s.x))
        return self._function_of_parameters(name, parts, lambda point: self.s.density(point),
                                            lambda: sp.Product(self.s.density(self.s.sample()),
                                                               (self.s.index, 1, self.s.sample_size)))

    def log_likelihood_application(self, name: str, prefix: str):
        """ℓ(θ; x) = log p(x|θ); ℓ(θ) an unknown function of θ; ℓ', ℓ'', l^{\\prime\\prime}: its derivatives."""
        if not self._declared(name) and self.s.log_likelihoods:
            value = self.defined_log_likelihood(name, prefix)
            if value is not None:
                return value
        if self._declared(name) or (prefix and known_object(name, prefix) is not KNOWN_OBJECTS.get("cal:l")):
            return None                     # 𝓁(θ) (\mathcal{l}) is ℓ(θ) styled; other styles are other names
        order = 0
        while self.at("'"):
            self.take("'")
            order += 1
        if self.at("^") and self.peek(1) is not None and self.peek(1).text == "{":
            save = self.i
            self.take("^")
            primes = self.group()
            if primes and all(t.text == r"\prime" for t in primes):
                order += len(primes)
            else:
                self.i = save
        order += self._double_prime()
        inside = self._parenthesized()
        if inside is None:
            if order and self.at("_"):
                # l'_{σ²}, l''_{σ²,μ}: derivatives by what the subscript names, of a log-likelihood whose data
                # (one x or a sample) is not written: not read, and say by what
                self.take("_")
                below = self.text(self.group())
                parameters = ", ".join(sp.pretty(t, use_unicode=True) for t in self.s.theta)
                raise NotationError(f"{name}{chr(39) * order}_{{{below}}}: a derivative written as a subscript, of "
                                    f"a log-likelihood without its arguments (the model's parameters are "
                                    f"{parameters}): write ∂/∂θ log f(x|θ)")
            if order:
                raise NotationError(f"{name}' without its argument: write {name}'(θ)")
            if name.lstrip("\\") in self.s.defined_at_x and not self.at("_", "^"):
                return sp.log(self.s.density(self.s.x))   # ℓ after the text defined ℓ(θ; x): that ℓ
            return None
        parts = self._split(inside, ("|", r"\mid", ";"))
        written = key(self.text(parts[0]))
        if len(parts) == 2 and written in (self.s.x.name, f"{self.s.x.name}_i") and self._is_parameters(parts[1]):
            # l(x|μ) = ln f(x|μ): one observation, written as the point (X, which may be the whole sample, is
            # not read here)
            self.i += len(inside) + 2
            value = sp.log(self.s.density(self._point(parts[0])))
        else:
            value = self._function_of_parameters(name, parts, lambda point: sp.log(self.s.density(point)),
                                                 lambda: sp.Sum(sp.log(self.s.density(self.s.sample())),
                                                                (self.s.index, 1, self.s.sample_size)))
        if order:
            if self.s.m != 1:
                raise NotationError(f"{name}' of a vector θ: write the gradient")
            value = sp.Derivative(value, (self.s.theta[0], order))
        return value

    def defined_log_likelihood(self, name: str, prefix: str):
        """ℓ, l_n, 𝓁 after a step defined it by the theory's objects (ℓ(β) = log L(β)): its definition, read in
        this step, whether written bare (dℓ/dβ) or at the model's parameters (ℓ_n(θ)); None when the name is
        not one the text defined (then the other readings apply). Written at anything else: not read."""
        save = self.i
        below = ""
        if self.at("_"):
            self.take("_")
            below = self.text(self.group())
        spelled = log_likelihood_key(name, prefix, below)
        if spelled not in self.s.log_likelihoods:
            self.i = save
            return None
        if self.at("'", "^"):
            self.i = save                       # ℓ'(β): the primes are read by the usual reading
            return None
        inside = self._parenthesized()
        if inside is not None:
            if not self._is_parameters(inside):
                raise NotationError(f"{name}({self.text(inside)}): the text defines it at the model's parameters "
                                    f"only")
            self.i += len(inside) + 2
        source = self.s.log_likelihoods.pop(spelled)     # out while its definition is read: never recursive
        try:
            tokens = [t for t in _normalize(tokenize(source, "step"), self.s)
                      if t.kind != "space" and t.text not in SKIP]
            return self.sub(tokens)
        except Exception as exc:  # ParseError from the lexer, as in read()
            if isinstance(exc, (NotationError, ShapeError)):
                raise
            raise NotationError(" ".join(str(exc).split())) from None
        finally:
            self.s.log_likelihoods[spelled] = source

    def _double_prime(self) -> int:
        """l^"(θ), l''(θ) written with a double quote: the second derivative (2), else 0."""
        if self.at("^") and self.peek(1) is not None and self.peek(1).text == '"':
            self.i += 2
            return 2
        return 0

    def _of_data(self, name: str, parts: list[list[Token]], at_point, of_sample):
        """ℓ(θ), L(θ), ℓ(x|θ), ℓ(θ | xᵢ) read from the data the step shows (Setting.data), or None.

        With one observation (ℓ(x|θ), or ℓ(θ) in a step that writes x alone) it is at_point(x); of a sample
        (ℓ(θ) or ℓ(θ | xᵢ) in a step that writes xᵢ, Σ, ∏ or x̄) it is of_sample(); ℓ(θ | xᵢ) in a step that
        does not show which is not read.
        """
        if len(parts) == 2 and self._point(parts[0]) is not None and self._is_parameters(parts[1]):
            parts = [parts[1], parts[0]]                 # ℓ(x|θ), l(x|μ): the data first
        if len(parts) == 2 and self._is_parameters(parts[0]) and self.s.sample_shown and \
                re.sub(BOLD_KEY, "", key(self.text(parts[1]))) in (self.s.x.name, self.s.x.name.upper()) and \
                re.match(BOLD_KEY, key(self.text(parts[1]))):
            # l(θ | 𝐗) = Σᵢ ln P(𝐱ᵢ|θ): bold X in a step that shows the sample is the whole sample (alone, a
            # bold x may be one vector observation: not decided there)
            self.i += sum(len(part) for part in parts) + 1 + 2
            return of_sample()
        if not self._is_parameters(parts[0]) or len(parts) > 2:
            return None
        point = self._point(parts[1]) if len(parts) == 2 else None
        if len(parts) == 2 and point is None:
            return None
        if point is None and not self.s.data:
            return None                                  # not decided: an unknown function of θ (below)
        if point == self.s.x and (self.s.data == "sample" or self.s.sample_shown):
            # l(λ, y) = Σᵢ yᵢ ln λ − nλ − …: the letter names the whole sample there, not one observation
            raise NotationError(f"{name}({self.text(parts[0])}; {self.text(parts[1])}) in a step that shows a "
                                f"sample: {self.text(parts[1])} the whole sample or one observation? not read")
        if point == self.s.x or (point is None and self.s.data == "observation"):
            value = at_point(self.s.x)
        elif self.s.data == "sample":
            value = of_sample()
        else:
            raise NotationError(f"{name}({self.text(parts[0])} | {self.text(parts[1])}): the likelihood of one "
                                f"observation or of the sample? the step does not show (write Σ or ∏)")
        self.i += sum(len(part) for part in parts) + len(parts) - 1 + 2
        return value

    def _function_of_parameters(self, name: str, parts: list[list[Token]], at_point, of_sample=None):
        """name(θ; x) = at_point(x); name(θ) an unknown function of θ (so only identities for every such
        function are proved, and none is refuted); of the sample (of_sample) when the step shows it."""
        if len(parts) == 1:
            commas = self._split(parts[0], (",",))
            if len(commas) == 2 and self._is_parameters(commas[0]) and self._point(commas[1]) is not None:
                parts = commas                              # L(θ, X): the parameter, then the data (not θ₁, θ₂)
        if of_sample is not None:
            value = self._of_data(name, parts, at_point, of_sample)
            if value is not None:
                return value
        if not self._is_parameters(parts[0]) or len(parts) > 2:
            raise NotationError(f"{name}({self.text(parts[0])}…): read as a function of the parameters only")
        inside = [t for part in parts for t in part]
        self.i += len(inside) + len(parts) - 1 + 2
        if len(parts) == 2:
            point = self._point(parts[1])
            if point is None:
                raise NotationError(f"{name}(θ; {self.text(parts[1])}): the data must be x or x_i")
            return at_point(point)
        if self.s.one_observation and KNOWN_OBJECTS.get(name.lstrip("\\"), None) is not None and \
                KNOWN_OBJECTS[name.lstrip("\\")].kind == "log-likelihood":
            return at_point(self.s.x)                    # no sample in the text: the one observation's
        # ℓ(θ) means the log-likelihood of data left implicit: a function of x too, so that E[·] and Var[·]
        # of it are never taken for those of a constant
        return sp.Function(name.lstrip("\\"))(*self.s.theta, self.s.x)

    def expectation_application(self, name: str, prefix: str):
        if self._declared(name) or not self.at("[", "(", "_", r"\left", r"\{", *FRACTIONS, *BARE_EXPECTATION):
            return None
        return self.expectation()

    def logarithm(self):
        return elementwise(self.function_argument(), sp.log)

    def exponential(self):
        return elementwise(self.function_argument(), lambda a: sp.exp(sized(sp.exp, a)))

    def _entry(self, tokens: list[Token]) -> tuple[sp.Symbol, sp.Symbol] | None:
        """Two parameter names (``\\mu\\sigma``, ``\\mu \\mu``): the entry they name, else None."""
        names = [self.s.theta[self.s.indices[t.text]] if t.text in self.s.indices else self.s.names.get(key(t.text))
                 for t in tokens if t.kind in ("letter", "command")]
        if len(names) == 2 and all(n is not None and n in self.s.theta for n in names):
            return names[0], names[1]
        return None


#: Superscripts that name the model on its density, p^m(x|λ), p^{\text{model}}(x|θ) (as the reader keys them):
#: never a power (a power is a number, f^2(x)); a letter the model declares is not among them.
MODEL_LABELS: frozenset[str] = frozenset({"m", "model", "textmodel", "mathrmmodel", "rmmodel", "mathrmm", "textm"})

#: The spellings of a log-likelihood a step may define (\ell, l, \mathcal{l}, with the sample's subscript n or
#: none): ℓ and l are one name (texts switch between them, zuoyi93's \ell_n(θ) then l_n(θ)).
LOG_LIKELIHOOD_SPELLINGS: dict[tuple[str, str], str] = {
    ("ell", ""): "ℓ", ("l", ""): "ℓ", ("cal:l", ""): "ℓ",
    ("ell", "n"): "ℓ_n", ("l", "n"): "ℓ_n", ("cal:l", "n"): "ℓ_n",
}

#: A step that defines one: the left side is such a name, bare or at the parameters (group "args") ...
LOG_LIKELIHOOD_DEFINED = re.compile(r"^\s*(?P<name>\\ell|l|\\mathcal\s*\{\s*l\s*\})\s*(?:_\s*\{?\s*(?P<below>n)\s*\}?)?"
                                    r"\s*(?:\(\s*(?P<args>[^()]*?)\s*\))?\s*$")
#: ... and the right side is the log of the theory's likelihood, density or product (log L(β), ln f(x;θ),
#: Σᵢ log f(xᵢ|θ), log ∏ᵢ p(xᵢ|θ)): a closed form (−n log θ − …) is a claim to check, never a definition.
LOG_LIKELIHOOD_DEFINING = re.compile(
    r"^\s*(?:\\sum\S*\s*)?(?:\\log|\\ln|log|ln)\s*\{?\s*(?:\\left)?\s*[(\[]?\s*"
    r"(?:\\prod|\\mathcal\s*\{?\s*L|[Lfp]\s*(?:_\s*\{?\s*\\?\w+\s*\}?)?\s*(?:\\left)?\s*\()")


def _more_than_one_term(side: str) -> bool:
    """Whether a side has a top-level +, −, ·, × or / (log L(λ) + 1 is a claim, not the definition log L(λ))."""
    depth = 0
    body = re.sub(r"^\s*\\sum\s*(?:_\s*(?:\{[^{}]*\}|\S))?\s*(?:\^\s*(?:\{[^{}]*\}|\S))?", "", side)
    for i, ch in enumerate(body):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0 and i > 0 and (ch in "+-/" or body.startswith((r"\cdot", r"\times"), i)):
            return True
    return False


def log_likelihood_key(name: str, prefix: str, below: str) -> str | None:
    """The key of a log-likelihood spelling (LOG_LIKELIHOOD_SPELLINGS), or None for another name."""
    bare = ("cal:" if prefix == "cal:" else "") + name.lstrip("\\")
    return LOG_LIKELIHOOD_SPELLINGS.get((bare, below.strip().strip("{}").strip()))


def log_likelihood_definition(lhs: str, rhs: str, setting: Setting) -> str | None:
    """The key of the log-likelihood name a step defines (ℓ(β) = log L(β), l_n(θ) = Σ log f(xᵢ|θ)), entered
    in ``setting.log_likelihoods``; None for any other step. Only at the model's own parameters (or bare), and
    only by the theory's objects: what the name then means is what those objects mean in each later step."""
    match = LOG_LIKELIHOOD_DEFINED.match(latex_text(lhs))
    if match is None or not LOG_LIKELIHOOD_DEFINING.match(latex_text(rhs)) or _more_than_one_term(latex_text(rhs)):
        return None
    args = match.group("args")
    if args is not None:
        names = [key(a) for a in re.split(r"\s*,\s*", args.strip())]
        if [setting.names.get(n, sp.Symbol(n)) for n in names] != list(setting.theta) and \
                not (names == ["theta"] and "theta" not in setting.names):
            return None                       # ℓ(θ; x), ℓ(μ) of a two-parameter model: not this reading
    raw = match.group("name")
    prefix, name = ("cal:", "l") if raw.startswith("\\mathcal") else ("", raw)
    spelled = log_likelihood_key(name, prefix, match.group("below") or "")
    if spelled is None or key(spelled) in setting.names:
        return None
    setting.log_likelihoods[spelled] = rhs
    return spelled


#: A name applied to θ anywhere in the text (inline math too): S_n(\theta), g_{jk}(\theta), T(\theta).
_APPLIED_TO_THETA = re.compile(r"(?<![\\A-Za-z])([A-Za-z])(?:_\{?\s*([A-Za-z0-9]+)\s*\}?)?\s*\(\s*\\theta\s*\)")


def text_functions(text: str, setting: Setting) -> dict[str, sp.Basic]:
    """Names the text writes applied to θ (S_n(θ) = ∂θ log L(θ) in prose): each an unknown function of θ and
    of the data, so that 𝔼[S_n] is never taken for a constant's. Known objects and declared names keep their
    meaning. Only identities that hold for every such function are then proved, and none is refuted."""
    out: dict[str, sp.Basic] = {}
    for match in _APPLIED_TO_THETA.finditer(text):
        base, below = match.group(1), match.group(2)
        full = f"{base}_{below}" if below else base
        if known_object(base) is not None or key(full) in setting.names or not _generic(full) or setting.m != 1:
            continue
        out[key(full)] = sp.Function(key(full))(*setting.theta, setting.x)
    for pattern in RANDOM_VARIABLE_PROSE:
        for match in re.finditer(pattern, text, re.IGNORECASE):
            for letter in (g for g in match.groups() if g):
                # "let W and Y be two random variables": each an unknown function of the data (and of θ), so
                # that only what holds for every random variable (Cauchy–Schwarz) is proved, and nothing refuted
                if letter not in ("X", "x") and known_object(letter) is None and key(letter) not in setting.names:
                    out[letter] = sp.Function(letter)(*setting.theta, setting.x)
    named = {m.group(1) for pattern in ESTIMATOR_PROSE for m in re.finditer(pattern, text, re.IGNORECASE)}
    named = {n for n in named if known_object(n) is None and key(n) not in setting.names and n not in STATISTICS
             and _generic(n)}
    # the estimator, when the text has no other (T(X), θ̂): else one of its own, never taken for another
    alone = len(named) == 1 and not re.search(r"\\(?:hat|widehat)|(?<![A-Za-z\\])T\s*\(", text)
    setting.estimators = {n: Estimator if alone else statistic(n) for n in named}
    for name, function in list(out.items()):
        value = _stated_definition(text, name, setting)
        if value is not None:
            setting.definitions[function] = value
    return out


#: Prose that makes a lower-case letter applied to the data an estimator of θ: "Let g(x) be any unbiased estimator
#: of theta", "let $t(X)$ be an estimator of $\theta$" (group 1: the letter).
ESTIMATOR_PROSE: tuple[str, ...] = (
    r"\blet\s+\$?([a-z])\s*\(\s*[xX]\s*\)\$?\s+be\s+(?:an?|any)\s+(?:unbiased\s+)?estimator\s+of\s+\$?\\?theta\b",
)


#: Prose that names random variables other than the data: "let $W$ and $Y$ be two random variables", "$Z$ is a
#: random variable" (each group a capital letter in inline math).
RANDOM_VARIABLE_PROSE: tuple[str, ...] = (
    r"\blet\s+\$([A-Z])\$\s*(?:,\s*\$([A-Z])\$\s*)?and\s+\$([A-Z])\$\s+be\s+(?:two\s+|three\s+)?(?:real\s+)?random\s+variables",
    r"\blet\s+\$([A-Z])\$\s+be\s+a\s+(?:real\s+)?random\s+variable",
    r"\$([A-Z])\$\s+(?:is|be)\s+a\s+(?:real\s+)?random\s+variable",
)


#: "Define S_n(θ) = …", "let U(θ) = …", "denote … by": prose that states a definition in inline math.
_DEFINING = re.compile(r"\b(define|defines|defined|let|denote|where)\b", re.IGNORECASE)


def _stated_definition(text: str, name: str, setting: Setting) -> sp.Expr | None:
    """The value the prose defines for name(θ) in inline math ("Define $S_n(\\theta)=\\frac{…}$"), read up to the
    next relation; None when no sentence defines it (then the name stays an unknown function)."""
    for math in re.finditer(r"(?<!\$)\$([^$]+)\$(?!\$)", text):
        inline = math.group(1)
        head = re.match(r"\s*([A-Za-z])(?:_\{?\s*([A-Za-z0-9]+)\s*\}?)?\s*\(\s*\\theta\s*\)\s*(?::=|=)", inline)
        if head is None or key(head.group(1) + (f"_{head.group(2)}" if head.group(2) else "")) != name:
            continue
        sentence = text[max(0, text.rfind(".", 0, math.start()) + 1):math.start()]
        if not _DEFINING.search(sentence):
            continue                      # "then S_n(θ) = 0" is a claim, not a definition
        body = re.split(r"(?<![\\:])=", inline[head.end():])[0]
        if name in key(body):
            return None                   # defined by itself: not read
        try:
            value = read(body, setting)
        except (NotationError, ShapeError, Exception):   # noqa: BLE001 - SymPy on odd input: no definition
            return None
        if _is_matrix(value) or isinstance(value, Zero):
            return None
        setting.definition_sources[sp.Function(name)(*setting.theta, setting.x)] = body
        return value
    return None


#: What the prose says a name is (issue 12, names the text gives): each role, the words that state it (a regular
#: expression, case-insensitive, with the misspellings real texts carry: "Log-likelhood"), and the note's own
#: object that means it. The meaning is re-read in each step (Setting.definition_sources), so the name is the
#: sample's or one observation's as that step shows, and an unknown function of θ where the step shows neither.
@dataclass(frozen=True)
class TextRole:
    """A role the prose gives a name: ``words`` state it, ``meaning`` is the note's spelling of that object."""

    words: str
    meaning: str
    # a score written with primes (ℓ'(θ)) exists only for a scalar θ
    scalar_only: bool = False


#: "for one observation", "of a single observation": the name is that one draw's, whatever a step shows.
_ONE_OBSERVATION = (r"(?:\s+function)?\s+(?:of|for)\s+(?:one|a\s+single|a|each|an?\s+individual)\s+"
                    r"(?:observation|draw|data\s+point)")

TEXT_ROLES: dict[str, TextRole] = {
    "log-likelihood": TextRole(rf"log[- ]?likel?i?hood(?!{_ONE_OBSERVATION})", r"\ell(\theta)"),
    "log-likelihood of one observation": TextRole(rf"log[- ]?likel?i?hood{_ONE_OBSERVATION}", r"\log p({x}|\theta)"),
    "likelihood": TextRole(r"(?<![A-Za-z-])(?<!log )likel?i?hood", r"L(\theta)"),
    "score": TextRole(r"\bscore", r"\ell'(\theta)", scalar_only=True),
}

#: A name as prose writes it: \ell, or one to three letters standing alone (LL, u, L, NLL).
_TEXT_NAME = r"(?P<name>\\ell|(?<![A-Za-z\\])[A-Za-z]{1,3})(?![A-Za-z])"

#: The sentences that give a name a role ({role}: TextRole.words, {name}: _TEXT_NAME):
#: "the log-likelihood function LL(θ)", "the score $u$", "where L is the likelihood function", and a heading
#: ("Log-likelihood function :") right before a display whose left side writes the name.
TEXT_NAME_STATEMENTS: dict[str, str] = {
    "role, then name": r"{role}(?:\s+function)?\s*[,:]?\s*(?:is\s+)?(?P<open>\$|\\\()?\s*{name}"
                       r"(?P<close>\s*(?:\(|'|\$|\\\)))?",
    "name, then role": r"(?P<open>\$|\\\()?\s*{name}\s*(?P<close>\$|\\\))?\s*(?:is|denotes|be)\s+(?:the\s+|a\s+)?"
                       r"{role}",
    "heading": r"{role}[^$.\n]{{0,40}}:\s*(?:\$\$|\\\[|\\begin\{{(?:equation|align)\*?\}})(?P<left>[^=$]*?)"
               r"(?:=|\\propto|\\equiv|:=)",
}

#: Known objects a text may name in its own words (a bare L, ℓ or s written for the sample's): the others keep
#: their meaning whatever the prose says.
_NAMEABLE_KINDS = ("likelihood", "log-likelihood", "score")


def _text_name(match: re.Match, setting: Setting) -> tuple[str | None, bool]:
    """The name a statement gives a role, when the statement writes a name, not a word (else None), and
    whether it writes it bare (L) or applied (L(θ), l(β₀, β₁))."""
    if "left" in match.groupdict():
        # a heading: the one name of the display's left side that is not declared (δL/δk: L)
        left = re.sub(r"\\[A-Za-z]+|_\{[^}]*\}|_[A-Za-z0-9]", " ", match.group("left"))
        found = [m.group(0) for m in re.finditer(r"[A-Za-z]+", left)]
        names = {n for n in found if key(n) not in setting.names and n not in ("d", "e") and n not in WORDS}
        if len(names) != 1:
            return None, False
        name = names.pop()
        if re.fullmatch(rf"\s*{name}\s*", match.group("left")):
            # "the loglikelihood: $$L = \prod …$$": the display defines the bare name by its own formula, which
            # says what it is (here the likelihood, whatever the heading calls it); u(λ, y) = … keeps the role
            return None, False
        bare = not re.search(rf"(?<![A-Za-z]){name}\s*\(", match.group("left"))
    else:
        name = match.group("name")
        opened, closed = match.group("open") or "", (match.group("close") or "").strip()
        # $u$, \(u\), or applied u(θ), LL'(λ): a name; written alone, only capitals are (L, LL, NLL, U)
        delimited = (bool(opened) and closed in ("$", "\\)")) or closed in ("(", "'")
        if not delimited and (not name.isupper() or name in ("A", "I")):
            return None, False                  # a word of the sentence ("of", "is", "w.r.t."), not a name
        bare = closed != "("
    if key(name) in setting.names or name in ("d", "e", "i", "n", setting.x.name, setting.x.name.upper()) or \
            name in WORDS:
        return None, False
    # "log L is the log-likelihood", "Log-likelihood: $$\log L(θ) = …$$": L is the likelihood there: not read
    logarithm = r"(?:log|ln)\s*(?:\\[,!;]|~)?\s*(?:\\left)?\s*[({]?\s*"
    if "left" in match.groupdict():
        if re.search(logarithm + re.escape(name) + r"(?![A-Za-z])", match.group("left")):
            return None, False
    elif re.search(logarithm + r"$", match.string[:match.start("name")]):
        return None, False
    obj = known_object(name)
    if obj is not None and obj.kind not in _NAMEABLE_KINDS:
        return None, False                      # p, f, E, I keep their meaning whatever the prose says
    # L(θ; x), ℓ(θ) applied are read as the note reads them: the statement says what their bare uses mean
    return name, bare or obj is None


def text_names(text: str, setting: Setting) -> dict[str, str]:
    """The names the prose says are the likelihood, the log-likelihood or the score ("the log-likelihood
    function LL(θ)", "where L is the likelihood function", "Log-likelihood function: $$δL/δk = …$$"): name ->
    role. Each is entered in ``setting.functions`` with its meaning in ``setting.definition_sources``
    (TEXT_ROLES), so that it is read as what the text says it is. A name given two roles is left out (unknown)."""
    prose = re.sub(r"<!--.*?-->", " ", text, flags=re.DOTALL)
    said: dict[str, set[str]] = {}
    applied: dict[str, set[str]] = {}           # known objects (l, L) the statement writes applied: l(β₀, β₁) ∝ …
    for role, spec in TEXT_ROLES.items():
        for pattern in TEXT_NAME_STATEMENTS.values():
            statement = re.compile(pattern.format(role=spec.words, name=_TEXT_NAME), re.IGNORECASE | re.DOTALL)
            for match in statement.finditer(prose):
                name, bare = _text_name(match, setting)
                if name is not None:
                    (said if bare else applied).setdefault(name, set()).add(role)
    # a known object's bare uses (∂²l/∂β²) mean what a statement writing it applied says, unless a statement
    # writing it bare says (Weibull: "Likelihood function: L(k, λ|xᵢ) = …", then "Log-likelihood: δL/δk = …")
    for name, roles in applied.items():
        said.setdefault(name, roles)
    out: dict[str, str] = {}
    for match in re.finditer(JOINT_DENSITY, prose, re.IGNORECASE | re.DOTALL):
        name, data, given = match.group("name"), match.group("data"), match.group("given")
        if data not in (setting.x.name.upper(), f"\\mathbf{{{setting.x.name}}}") or name in setting.defined:
            continue                            # f(x; θ) is one draw's density: only the sample's letter X is
        parameters = ", ".join(_latex_name(t, setting) for t in setting.theta)
        setting.defined[name] = (key(f"{match.group('data')}{match.group('sep')}{given}"),
                                 rf"\prod_{{i=1}}^{{n}} {name}({setting.x.name}_i; {parameters})")
        out[name] = "joint density"
    for name, roles in said.items():
        if len(roles) != 1:
            continue                            # "L" the likelihood here, the log-likelihood there: not read
        role = next(iter(roles))
        if TEXT_ROLES[role].scalar_only and setting.m != 1:
            continue
        function = sp.Function(key(name))(*setting.theta, setting.x)
        setting.functions[key(name)] = function
        setting.definition_sources[function] = TEXT_ROLES[role].meaning.replace("{x}", setting.x.name)
        out[name] = role
    return out


#: "The joint density of the sample is $$f(X; θ) = …$$", "the joint pdf f(X|θ)": a density of the data letter X
#: (the sample X = (X₁, …, Xₙ)) that the text calls joint; it means ∏ᵢ f(xᵢ; θ) (Setting.defined).
JOINT_DENSITY = (r"joint\s+(?:density|pdf|pmf|probability(?:\s+(?:density|mass))?)(?:\s+function)?[^$.:]{0,40}?"
                 r"(?:\bis|:|,)?\s*(?:\$\$|\$|\\\[|\\\()\s*(?P<name>[pf])\s*\(\s*(?P<data>[A-Z]|\\mathbf\{[a-z]\})\s*"
                 r"(?P<sep>;|\||\\mid)\s*(?P<given>[^()]*?)\s*\)")


def _latex_name(symbol: sp.Symbol, setting: Setting) -> str:
    """The LaTeX of a model's parameter, as the reader reads it back (lambda -> \\lambda)."""
    name = next((k for k, v in setting.names.items() if v == symbol), symbol.name)
    base, _, below = name.partition("_")
    base = f"\\{base}" if base in GREEK else base
    return f"{base}_{{{below}}}" if below else base


def likelihood_patterns(setting: Setting) -> list[str]:
    """How the steps write the likelihoods the prose named (a regular expression each): the names text_names
    entered (LL, u, a bare L) and the densities it calls the sample's joint density (f(X; θ))."""
    names = [rf"(?<![A-Za-z\\]){re.escape(name)}(?![A-Za-z])" for name in stated_names(setting)]
    joint = [rf"(?<![A-Za-z\\]){re.escape(name)}\s*\(\s*(?:[A-Z]|\\mathbf\s*\{{[a-z]\}})\s*(?:;|\||\\mid)"
             for name in setting.defined if (obj := known_object(name)) is not None and obj.kind == "density"]
    # a log-likelihood a step defined (ℓ(β) = log L(β)), written bare too: dℓ/dβ
    defined = [r"\\ell(?![A-Za-z])|(?<![A-Za-z\\])l(?![A-Za-z])|\\mathcal\s*\{\s*l\s*\}"] if setting.log_likelihoods else []
    return names + joint + defined


def stated_names(setting: Setting) -> list[str]:
    """The names the text_names of this setting entered (the prose said what they are)."""
    meanings = {role.meaning.replace("{x}", setting.x.name) for role in TEXT_ROLES.values()}
    return [name for name, function in setting.functions.items()
            if setting.definition_sources.get(function) in meanings]
#: The marks that star a parameter, θ* (θ^*, θ^{*}, θ^\ast, θ^\star).
STARS: tuple[str, ...] = ("*", r"\ast", r"\star")
#: θ* defined in inline math, θ^* = θ + ε (group 1: its value).
STARRED_DEFINITION = (r"\$\s*\\theta\s*\^\s*\{?\s*(?:\*|\\ast|\\star)\s*\}?\s*(?::=|=)\s*"
                      r"(\\theta\s*[-+][^=<>$]+?)\s*\.?\s*\$")


#: A density at another point of the parameter space: P(x;t), p(x|t), f(x;\vartheta) (one letter, not θ).
_OTHER_POINT = re.compile(r"(?<![\\A-Za-z])[pPfq]\(\s*[xX]\s*(?:;|\||\\mid)\s*([A-Za-z]|\\vartheta|\\eta)\s*\)")


#: What writes an evaluation bar before its subscript: f|_{u=θ}, \\Big|_{u=θ}, \\right|_{u=θ}.
EVALUATION_BARS: tuple[str, ...] = ("|", r"\bigg", r"\Big", r"\big", r"\Bigg", r"\right", r"\vert")


#: A density at another point written with the point as its subscript: p_u(x), p_u, q_{\eta_2}(x) (one letter
#: other than θ, possibly with a digit: the second point of a divergence D(p_θ ‖ p_u)).
_OTHER_POINT_SUBSCRIPT = re.compile(r"(?<![\\A-Za-z])[pPfq]\s*_\s*(?:\{\s*)?((?:[A-Za-z]|\\vartheta|\\eta)"
                                    r"(?:\s*_\s*\{?\s*[0-9]\s*\}?)?)\s*(?:\}\s*)?(?![A-Za-z])")


#: Where a text makes a subscript another point of θ's parameter space ({point}: its spelling): it evaluates at
#: it = θ (|_{u=θ}, [ … ]_{u = \theta}) or takes a divergence from p_θ to it (D(p_θ ‖ p_u)). Not p_η alone,
#: which may be the text's own name for its parameter (the model p_η(x) = h(x) e^{ηt(x)}/Z(η)).
_POINT_USE = (r"(?:_\s*\{{\s*{point}\s*=\s*\\theta\s*\}}|p_\s*\{{?\s*\\theta\s*\}}?\s*(?:\|\||\\\||\\Vert|\\parallel)"
              r"\s*p_\s*\{{?\s*{point}\s*\}}?(?![A-Za-z]))")


#: An increment added to θ inside a density's parameters: P(x;\theta+d), p(x|\theta + \delta).
_INCREMENT = re.compile(r"(?<![\\A-Za-z])[pPfq]\(\s*[xX]\s*(?:;|\||\\mid)\s*\\theta\s*\+\s*([A-Za-z]|\\delta)\s*\)")


def text_points(text: str, setting: Setting) -> dict[str, tuple[sp.Symbol, ...]]:
    """Other points of the parameter space the text writes a density at (P(x;t) after 'denote θ + d as t'):
    each has θ's shape, so that ∇_t differentiates by it (abstract setting only)."""
    out: dict[str, tuple[sp.Symbol, ...]] = {}
    if not setting.generic:
        return out
    for stated in re.finditer(STARRED_DEFINITION, text):
        # θ* = θ + ε stated in the prose's math: θ* is that point wherever it is written
        if "^" not in stated.group(1):
            setting.starred = stated.group(1).strip()
    for match in _INCREMENT.finditer(text):
        # P(x; θ + d) with a vector θ: d is an increment of θ's shape (a scalar δ is read where it is written)
        name = key(match.group(1))
        if setting.m > 1 and name not in setting.names and name not in out:
            out[name] = tuple(sp.Symbol(f"{name}_{j + 1}", real=True) for j in range(setting.m))
    # p_u is another point only where the text also evaluates at u = θ or diverges from p_θ to p_u (_POINT_USE):
    # p_k, f_Y, p_0, p_η alone are a pmf's value, a marginal density, a fixed density, the text's parameter
    subscripted = [m for m in _OTHER_POINT_SUBSCRIPT.finditer(text) if key(m.group(1)) not in ("theta", "X", "x")
                   and re.search(_POINT_USE.format(point=re.escape(m.group(1))), text)]
    for match in [*_OTHER_POINT.finditer(text), *subscripted]:
        name = key(match.group(1))
        if name in setting.names or name in ("x", "X", "n", "i", "d", "e") or name in out:
            continue
        out[name] = ((sp.Symbol(name, real=True),) if setting.m == 1 else
                     tuple(sp.Symbol(f"{name}_{j + 1}", real=True) for j in range(setting.m)))
    return out


def _few(difference: sp.Expr, most: int = 5) -> int | None:
    """A difference of bounds as a count of points left out: a whole number from 0 to ``most``, else None."""
    difference = sp.simplify(difference)
    if difference.is_Integer and 0 <= int(difference) <= most:
        return int(difference)
    return None


def _same(a, b) -> bool:
    """a = b for ends of a support (∞ included), decided by algebra."""
    if a == b:
        return True
    if not (isinstance(a, sp.Expr) and isinstance(b, sp.Expr)) or a.has(sp.oo, -sp.oo) or b.has(sp.oo, -sp.oo):
        return False
    return sp.simplify(a - b) == 0


def _operator_only(tokens: list[Token]) -> bool:
    """True for the tokens of a derivative operator with nothing to act on: \\frac{∂²}{∂θ²}, \\frac{d}{dθ}."""
    if not tokens or tokens[0].text not in (r"\frac", r"\dfrac", r"\tfrac"):
        return False
    probe = _Parser(tokens, abstract_setting(1))
    probe.i = 1
    try:
        top, bottom = probe.group(), probe.group()
    except NotationError:
        return False
    return (probe.i == len(tokens) and bool(top) and bool(bottom)
            and (top[0].text == r"\partial" or [t.text for t in top] == ["d"]
                 or (top[0].text == "d" and len(top) > 1 and top[1].text == "^"))
            and bottom[0].text in (r"\partial", "d"))


#: A step whose left side is a name applied to arguments: name (group 1), arguments (group 2).
DEFINITION = r"^\s*([A-Za-z]|\\[A-Za-z]+)\s*\(([^()]*)\)\s*$"


#: What the right side of a definition is made of: the theory's objects (∂, ∇, ∫, log, 𝔼, Var, p, f, L, ℓ).
#: A new name equated to a closed form (M(t) = e^{λ(eᵗ−1)}) is a result to check, not a definition.
DEFINING = (r"\\partial|\\nabla|\\int|\\log|\\ln|\\ell|\\mathbb\s*\{E\}|\\frac\s*\{\s*d|"
            r"(?<![A-Za-z\\])(?:E|Var|Cov|var|log|ln)\s*[\[(_{]|(?<![A-Za-z\\])[pfLs]\s*\(")


def definition(lhs: str, rhs: str, earlier: list[str], setting: Setting) -> str | None:
    """The name a step defines, if it is one: its left side is a name applied to arguments that no earlier
    step writes, that is no known object, declared symbol or special function, and its right side does not
    use the name. The step then holds by definition, and later uses of the name mean its right side."""
    from symfisher.parse.notation import FUNCTIONS  # noqa: PLC0415 - the special functions' table

    match = re.match(DEFINITION, latex_text(lhs))
    if match is None or re.search(r"[=<>]", match.group(2)) or not re.search(DEFINING, latex_text(rhs)):
        return None
    name = match.group(1)
    bare = name.lstrip("\\")
    if bare in KNOWN_OBJECTS or key(name) in setting.names or bare in FUNCTIONS or \
            bare in ("d", "e", "exp", "log", "ln", "Var", "Cov", "P", "Pr", "Q"):   # P(X = 0): a probability
        return None
    if name.startswith("\\") and bare not in GREEK:
        return None
    # the name as a word of its own (g, not the g of \log; \phi, not \phix)
    used = (r"(?<![A-Za-z\\])" if not name.startswith("\\") else "") + re.escape(name) + r"(?![A-Za-z])"
    if any(re.search(used, latex_text(text)) for text in [*earlier, rhs]):
        return None
    setting.defined[name] = (key(match.group(2)), rhs)
    return name


#: Names a step may give a closed form in θ (p(θ) = θ/(1+θ): a reparametrization, the parameter p as a function
#: of the new θ): the densities' letters, which applied to θ alone can be nothing else.
REPARAMETRIZED: frozenset[str] = frozenset({"p", "f"})


def reparametrization(lhs: str, rhs: str, earlier: list[str], setting: Setting) -> str | None:
    """The name a step gives as a function of the parameter alone, p(θ) = θ/(1+θ) (REPARAMETRIZED), when
    nothing earlier writes it applied to anything and the right side writes neither it nor the data. Later
    steps read p(θ) as that right side (dp(θ)/dθ). The step itself is not checked (the text may derive it
    from θ = p/(1 − p) in prose, or state it)."""
    match = re.match(DEFINITION, latex_text(lhs))
    if match is None or match.group(1) not in REPARAMETRIZED or not setting.generic or setting.m != 1:
        return None
    name, arguments = match.group(1), key(match.group(2))
    if arguments != "theta" and setting.names.get(arguments) is not setting.theta[0]:
        return None
    applied = r"(?<![A-Za-z\\])" + re.escape(name) + r"\s*(?:_\s*\{?[^(]{0,12})?\("
    prior = [re.sub(r"<!--.*?-->", " ", text, flags=re.DOTALL) for text in earlier]
    if any(re.search(applied, latex_text(text)) for text in prior):
        return None                              # p(x|θ) earlier: p is the density there
    body = latex_text(rhs)
    if re.search(r"(?<![A-Za-z\\])(?:[xXyYn]|" + re.escape(name) + r")(?![A-Za-z])|\\sum|\\prod|\\int", body) or \
            not re.search(r"\\theta|" + re.escape(match.group(2).strip()), body):
        return None
    setting.defined[name] = (arguments, rhs)
    return name


#: What may follow a bare E (no bracket) for it to be the expectation of that one factor: a fraction.
BARE_EXPECTATION: tuple[str, ...] = (r"\frac", r"\dfrac", r"\tfrac")


def _bare(name: str) -> str:
    """A data letter without its style: ``\\mathbf{y}`` and ``\\boldsymbol{Y}`` are y and Y."""
    return re.sub(r"^\\(?:mathbf|boldsymbol|bm|bf)\s*\{?\s*([A-Za-z])\s*\}?$", r"\1", name.strip())


#: The density written at a point (p(y|θ), f(Y;θ), 𝐲 in bold): the letter is group 1.
DENSITY_AT = r"(?<![A-Za-z\\])[pf]\s*\(\s*(?:\\(?:mathbf|boldsymbol|bm)\s*\{?\s*)?([A-Za-z])\s*\}?\s*(?:\||\\mid|;|:)"


#: Other letters for the data, when the text writes its density at that letter only (p(y|θ), f(z;θ), f(t;θ)):
#: the letter -> the spellings that then stand for x. T is left out: T(X) is a statistic (STATISTICS).
DATA_ALIASES: dict[str, frozenset[str]] = {
    "y": frozenset({"y", "Y"}), "Y": frozenset({"y", "Y"}),
    "z": frozenset({"z", "Z"}), "Z": frozenset({"z", "Z"}),
    "t": frozenset({"t"}),
}


#: The score written applied to one observation and θ (either order): s(θ; x), s(θ, x), s(x|θ), s_θ(x).
_THETA = r"(?:\\boldsymbol\s*\{?\s*\\theta\s*\}?|\\theta)"
SCORE_APPLIED = (rf"(?<![A-Za-z\\])s\s*(?:\(\s*{_THETA}\s*(?:;|,|\||\\mid)\s*[xX]\s*\)"
                 rf"|\(\s*[xX]\s*(?:;|,|\||\\mid)\s*{_THETA}\s*\)|_\{{?\s*{_THETA}\s*\}}?\s*\(\s*[xX]\s*\))")


#: A bold (vector) style on a data letter, as key() spells it: \mathbf X, \boldsymbol{x}, \bm x, \bf X, \vec x.
BOLD_KEY = r"^(?:mathbf|boldsymbol|bm|bf|vec)"


#: One draw of the sample as the subscript of I (I_{X_2}, I_{x_i}): its information is one observation's, each
#: draw having the model's density.
ONE_DRAW = r"[xX]_?(?:[1-9]|[ijk])"


#: The density with θ as its subscript, at a point: p_θ(y), f_{\theta}(z) (the letter is group 1).
DENSITY_SUBSCRIPTED_AT = r"(?<![A-Za-z\\])[pf]\s*_\s*\{?\s*\\theta\s*\}?\s*\(\s*([A-Za-z])\s*\)"


#: A definition of the log-likelihood at one observation: ℓ(θ; x) = … (group 1 the name).
DEFINED_AT_X = r"^\s*\\?(ell|l)\s*\([^;|()]*;\s*x\s*\)\s*$"


def text_setting(setting: Setting, sides: list[str], lefts: list[str]) -> None:
    """What the whole text says about its names: the data letter when it is not x (p(y|θ) and no x
    anywhere: y, Y, 𝐲 are the data), and the log-likelihoods it defines at x (ℓ(μ; x) = …)."""
    sides = [latex_text(side) for side in sides]
    letters = {m.group(1) for side in sides for m in re.finditer(DENSITY_AT, side)} | \
        {m.group(1) for side in sides for m in re.finditer(DENSITY_SUBSCRIPTED_AT, side)}
    aliases = {DATA_ALIASES.get(letter) for letter in letters}
    if setting.generic and letters and len(aliases) == 1 and None not in aliases:
        setting.data_aliases = aliases.pop()
    setting.defined_at_x = frozenset(m.group(1) for left in lefts if (m := re.match(DEFINED_AT_X, latex_text(left))))
    setting.p_parameter = any(re.search(P_PARAMETER, side) for side in sides)
    setting.p_density = any(re.search(r"(?<![\\A-Za-z])p\s*\(\s*[xXyYk]\b", side) for side in sides)
    # the score applied to one observation and θ somewhere (SCORE_APPLIED): a bare s elsewhere is the same score
    # (not when a step gives a bare s a value of its own, s = x̄: then s names two things)
    setting.bare_score = setting.generic and any(re.search(SCORE_APPLIED, side) for side in sides) and \
        not any(re.fullmatch(r"\s*s\s*", latex_text(left)) for left in lefts)


#: p written as a parameter: f(x|p), f(x; p), E_p, \mathbb{E}_p, 1 − p, p^x, p^{…}, Be(p), d/dp, ∂/∂p
P_PARAMETER = re.compile(r"(?:[|;]|\\mid)\s*p\s*\)|_\s*\{?\s*p\b(?!\s*\()|1\s*-\s*p\b|(?<![\\A-Za-z])p\s*\^|"
                         r"\(\s*p\s*\)|\bd\s*p\b|\\partial\s*p\s*\}")


def _generic(name: str) -> bool:
    """A Greek or Latin letter (with a subscript): a generic parameter of the abstract setting."""
    base = name.split("_")[0]
    if base in ("d", "e", "i", "\\theta", "\\pi", "\\partial", "\\infty") or base.lstrip("\\") in KNOWN_OBJECTS:
        return False
    return (len(base) == 1 and base.isalpha()) or (base.startswith("\\") and base[1:] in GREEK)


#: The relations that put a sum's index between its bounds: Σ_{1 \le i \le n}.
BETWEEN: tuple[str, ...] = (r"\le", r"\leq", r"\leqslant", "≤")


#: Command -> handler: how the proof reader reads each command it knows (a table, not an if-chain).
COMMANDS: dict[str, Callable[[_Parser, str], object]] = {
    "{": _Parser.braced, r"\begin": lambda p, _: p.matrix(), r"\left": _Parser.sized, "|": _Parser.absolute,
    r"\frac": lambda p, _: p.fraction(), r"\dfrac": lambda p, _: p.fraction(), r"\tfrac": lambda p, _: p.fraction(),
    r"\sqrt": _Parser.square_root, r"\nabla": _Parser.nabla, r"\int": lambda p, _: p.integral(),
    r"\sum": lambda p, _: p.summation(), r"\mathbb": _Parser.blackboard, r"\partial": _Parser.partial,
    r"\pi": _Parser.constant_or_function, r"\infty": _Parser.constant_or_function,
    r"\Gamma": _Parser.constant_or_function, r"\psi": _Parser.constant_or_function, r"\Sigma": _Parser.sum_sign,
    r"\log": lambda p, _: p.logarithm(), r"\ln": lambda p, _: p.logarithm(), r"\exp": lambda p, _: p.exponential(),
    r"\Var": lambda p, _: p.variance(), r"\Cov": lambda p, _: p.covariance(),
    r"\pdv": lambda p, _: p.physics_derivative(), r"\dv": lambda p, _: p.physics_derivative(),
    **{accent: _Parser.estimator for accent in ESTIMATOR_ACCENTS},
    r"\KL": _Parser.kl_divergence, r"\delta": _Parser.variation,
    **{dots: _Parser.dots for dots in (r"\dots", r"\cdots", r"\ldots", r"\dotsb")},
    r"\underbrace": _Parser.underbraced, r"\overbrace": _Parser.underbraced,
    # a cancelled term is still written: its content is read (\cancel{a - a} is 0 only if a - a is)
    **{cancel: lambda p, _: p.sub(p.group()) for cancel in (r"\cancel", r"\bcancel", r"\xcancel")},
    r"\binom": _Parser.binomial, r"\dbinom": _Parser.binomial, r"\tbinom": _Parser.binomial,
    # the sample (issue 12, sample rules): products over it and its mean
    r"\prod": lambda p, _: p.sample_product(), r"\bar": _Parser.sample_mean, r"\overline": _Parser.sample_mean,
    # d/dθ f and d f/dθ typed with a slash (a letter d, not a command: its own row)
    "d": _Parser.slash_d,
}


#: Style commands (\mathbf, \operatorname, \mathcal, …) all go to one handler, which keeps the style.
STYLED: Callable[[_Parser, str], object] = _Parser.styled
