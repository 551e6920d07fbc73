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

import re
from dataclasses import dataclass, field
from typing import Callable

import sympy as sp

from symfisher.parse.lexer import Token, tokenize
from symfisher.parse.notation import (DIFFERENTIALS, GREEK, IGNORED, KNOWN_OBJECTS, SIZING, STYLE_PREFIX,
                                      VECTOR_MARKERS, WHOLE_SUPPORT, WORDS, known_object)


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


def vector_parameter(text: str) -> bool:
    """True when the text makes θ a vector (∇, ᵀ, bold θ, m×1, θ₁, a matrix); else θ is a scalar."""
    return any(re.search(pattern, text) for pattern in VECTOR_MARKERS.values())


#: What shows, in a step's text, that ℓ(θ), l(θ), L(θ) are those of a sample of n: a sample value xᵢ,
#: a sum or product over i, a sample mean (a regular expression each; {x} is the model's variable).
SAMPLE_MARKERS: dict[str, str] = {
    "sum or product": r"\\(sum|prod)\b",
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


def elementwise(v, fn):
    return sp.ImmutableMatrix(v.applyfunc(fn)) if _is_matrix(v) else fn(v)


def scalar(v, what: str):
    if _is_matrix(v):
        raise ShapeError(f"{what} of a {_shape(v)}")
    if isinstance(v, Zero):
        return sp.S.Zero
    return v


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
                                "expectation": "expectation_application"}
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
    if parser.i < len(tokens):
        raise NotationError(f"cannot read {_quote(tokens[parser.i].text)} here")
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
            else:
                out.extend(tokens[i:j])
            i = j
            continue
        out.append(tok)
        i += 1
    return out


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
        if parser.i < len(tokens):
            raise NotationError(f"cannot read {_quote(tokens[parser.i].text)} here")
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
                        ";", r"\mid"):
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

    def postfix(self):
        value = self.atom()
        while True:
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
                    value = value ** scalar(power, "a power")
            elif self.at("!"):
                self.take()
                value = sp.factorial(scalar(value, "a factorial"))
            else:
                return value

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
        inner = self.group()
        if self.at("_") and len(inner) == 1 and inner[0].kind in ("letter", "command"):
            return self.named(inner[0].text)              # {x}_{i}, as SymPy prints indexed names
        return self.sub(inner)

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
        variables = self.gradient_variables()
        pending = self.pending_transpose
        value = self.gradient(self.postfix(), variables)
        if self.pending_transpose > pending and _is_matrix(value):
            self.pending_transpose -= 1
            value = sp.ImmutableMatrix(value.T)
        return value

    def blackboard(self, _: str):
        letter = self.text(self.group())
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
        if self.at("/", "^"):
            return self.slash_partial(command)         # ∂/∂θ f, ∂^2/∂λ^2 (f) written inline
        if not self.at("_"):
            return self.named(command)                 # a lone ∂: not read (named says so)
        self.take("_")                                 # ∂_θ f
        groups = [self.variables(self.group())]
        if self.at("^"):
            self.take("^")
            groups *= self._order(self.group())
        return self.derivative(self.operand(groups), groups)

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

    def constant_or_function(self, command: str):
        """π, ∞, Γ(·), ψ(·), ψ'(·) unless the name is declared (then a symbol)."""
        if key(command) in self.s.names:
            return self.named(command)
        if command in GREEK_CONSTANTS:
            return GREEK_CONSTANTS[command]
        if command == r"\Gamma":
            if not self.at("(", r"\left"):
                return self.named(command)
            return sp.gamma(scalar(self.function_argument(), "Γ"))
        order = 0
        while self.at("'"):
            self.take("'")
            order += 1
        return sp.polygamma(order, scalar(self.function_argument(), "ψ"))

    # -- pieces of the note's notation
    def matrix(self):
        """\\begin{bmatrix} a & b \\\\ c & d \\end{bmatrix} (also pmatrix, matrix)."""
        kind = self.text(self.group())
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
        if name in (r"\theta", r"\boldsymbol{\theta}", r"\boldsymbol\theta"):
            return self.s.theta
        value = self.s.names.get(key(name))
        if isinstance(value, sp.Symbol) and value in self.s.theta:
            return (value,)
        raise NotationError(f"differentiation by {_quote(name)}: not a parameter")

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

    def hessian(self, value):
        value = scalar(value, "the Hessian")
        t = self.s.theta
        return _scalarize(sp.ImmutableMatrix(len(t), len(t), lambda r, c: sp.Derivative(value, t[r], t[c])))

    def fraction(self):
        top, bottom = self.group(), self.group()
        if top and bottom and top[0].text == "d" and bottom[0].text == "d" and "d" not in self.s.names:
            # d/dθ: with x held fixed it is ∂/∂θ (every function here is of x and the parameters)
            top = [Token("command", r"\partial", top[0].pos), *top[1:]]
            bottom = [Token("command", r"\partial", t.pos) if t.kind == "letter" and t.text == "d" else t
                      for t in bottom]
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

        def depends(v) -> bool:
            entries = list(v) if _is_matrix(v) else [v]
            return any(isinstance(e, sp.Basic) and (e.has(*wrt) or e.has(Score, Fisher, Expect)) for e in entries)

        factors = [self.postfix()]
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
            if len(group) >= 3 and group[0].text == "^":               # ∂^2 λ for ∂λ², as some authors write
                power, group = self._order(group[1:2]), group[2:]
                out += [self.variables(group)] * power
                continue
            if len(group) >= 2 and group[-2].text == "^":
                power, group = self._order(group[-1:]), group[:-2]
            out += [self.variables(group)] * power
        return out

    def _is_differential(self) -> bool:
        nxt = self.peek(1)
        return nxt is not None and nxt.text == self.s.x.name

    def integral(self):
        lower = upper = None
        whole = False
        if self.at("_"):
            self.take("_")
            below = self.group()
            # ∫_ℝ, ∫_𝒳: over the whole line, where p vanishes off its support
            whole = key(self.text(below)) in {key(w) for w in WHOLE_SUPPORT}
            lower = None if whole else self.sub(below)
        if self.at("^") and not whole:
            self.take("^")
            upper = self.sub(self.group())
        start, depth = self.i, 0
        while True:
            tok = self.peek()
            if tok is None:
                raise NotationError("an integral without its dx")
            if tok.text in ("{", "(", "["):
                depth += 1
            elif tok.text in ("}", ")", "]"):
                depth -= 1
            if depth == 0 and tok.text == "d" and self._is_differential():
                break
            if depth == 0 and tok.text == r"\mathrm" and self.peek(1) and self.peek(1).text == "{" \
                    and self.peek(2) and self.peek(2).text == "d":
                self.t[self.i:self.i + 4] = [Token("letter", "d", tok.pos)]
                continue
            self.i += 1
        body = self.t[start:self.i]
        self.i += 2                                   # d x
        value = self.sub(body) if body else sp.S.One
        if lower is not None and (lower, upper) != (-sp.oo, sp.oo) and (lower, upper) != (self.s.lower, self.s.upper):
            raise NotationError("integrals over other limits than the support are not checked")
        return elementwise(value, lambda g: sp.Integral(g, self.s.x))

    def summation(self):
        below, above = self._limits()
        if below is None:
            return self._over_sample(sp.Sum, "a sum")
        body = self.term()
        if below.replace(" ", "") in ("i=1", "i"):
            self._sample_size(above, "a sum")
            i = self.s.index
            return elementwise(body, lambda g: sp.Sum(g, (i, 1, self.s.sample_size)))
        variable = below.split("\\in")[0].split("=")[0].strip()
        if variable == self.s.x.name:
            return elementwise(body, lambda g: sp.Integral(g, self.s.x))   # a sum over the support
        raise NotationError(f"a sum over {_quote(below)} is not checked")

    def _limits(self) -> tuple[str | None, str | None]:
        """The limits of Σ or ∏ in either order (_{i=1}^{n} or ^n_{i=1}): (below, above), None when absent."""
        below = above = None
        for _ in range(2):
            if self.at("_") and below is None:
                self.take("_")
                below = self.text(self.group())
            elif self.at("^") and above is None:
                self.take("^")
                above = self.text(self.group())
        if below is None and above is not None:
            raise NotationError("a sum or product with an upper limit but no index")
        return below, above

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
        value = self.bracketed()
        if parenthesized and self.at("^"):
            # E(X − μ)² is E[(X − μ)²] in many textbooks and (E[X − μ])² in others
            raise NotationError("E(g)^k is ambiguous (E[g^k] or E[g]^k): write brackets")
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
        at_model = re.fullmatch(r"([xX](sim|∼))?[pf]\([xX](\||mid|;)(?P<at>.*)\)", name)
        if name in parameters | {"p", "f", "X", "x", "P"} or (
                at_model and set(at_model.group("at").split(",")) <= parameters):
            return
        raise NotationError(f"an expectation under {_quote(text)}: only the model at θ is read")

    def bracketed(self):
        r"""[g], (g), \left[g\right]: the argument of 𝔼, Var."""
        if self.at(r"\left"):
            self.take(r"\left")
            opener = self.take("[", "(").text
            value = self.expr()
            self.take(r"\right")
            self.take(OPEN[opener])
            return value
        opener = self.take("[", "(").text
        return self.delimited(OPEN[opener])

    def variance(self):
        """Var(g): a scalar g only (a covariance matrix is not read)."""
        self.measure()
        return Variance(scalar(self.bracketed(), "Var"))

    def covariance(self):
        """Cov(g, h)."""
        self.measure()
        left = r"\left" if self.at(r"\left") else ""
        if left:
            self.take(left)
        opener = self.take("[", "(").text
        first = scalar(self.expr(), "Cov")
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
        if name == self.s.x.name or (name == "X" and "X" not in self.s.names and self.s.x.name == "x"):
            return self.s.x                      # p(X|θ) inside 𝔼: the random variable at its value x
        if name in (f"{self.s.x.name}_i", f"{self.s.x.name}_{{i}}"):
            return self.s.sample()
        raise NotationError(f"p({name}|θ): the point must be {self.s.x.name} or {self.s.x.name}_i")

    def named(self, name: str, prefix: str = ""):
        """A name: a known object applied to its arguments, a declared symbol, or (abstract) a generic one."""
        styled = bool(prefix)
        obj = known_object(name, prefix)
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
            self.take("^")
            return elementwise(self.sub(self.group()), sp.exp)
        if name in (r"\theta", r"\boldsymbol{\theta}", r"\theta") or (name == r"\theta" and styled):
            if not styled and "theta" in self.s.names:
                return self.s.names["theta"]                  # a declared θ is a scalar parameter
            return _scalarize(sp.ImmutableMatrix(self.s.theta))
        full = name
        if self.at("_"):
            self.take("_")
            full = f"{name}_{self.text(self.group())}"
        if key(full) in self.s.names:
            return self.s.names[key(full)]
        if key(full) in (f"{self.s.x.name}_{self.s.index.name}", f"{self.s.x.name.upper()}_{self.s.index.name}") \
                and key(full) not in self.s.names:
            return self.s.sample()                           # xᵢ, Xᵢ: a sample value
        if full == "X" and self.s.x.name == "x":
            return self.s.x                                  # the random variable of the density's x
        shown = f"{STYLE_COMMAND[prefix]}{{{full}}}" if prefix in STYLE_COMMAND else full
        if self.s.generic and not styled and obj is None and _generic(full):
            if not full.startswith("\\") and self.at("(", r"\left"):
                # T(X), g(x): a function applied (T(2X) ≠ 2T(X)) or a product? no reading is certain
                raise NotationError(f"{_quote(full)}(…): a function of its argument or a product? not read")
            return sp.Symbol(key(full), real=True)
        if obj is not None:
            raise NotationError(f"{_quote(shown)} is read only as {obj.application}")
        raise NotationError(f"{_quote(shown)} is not a symbol of this setting (declare it in the front matter's model)")

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

    def _point(self, tokens: list[Token]) -> sp.Expr | None:
        name = self.text(tokens)
        if name in (self.s.x.name, "X"):
            return self.s.x
        if key(name) in (f"{self.s.x.name}_i", "X_i"):
            return self.s.sample()
        return None

    # -- known objects applied to arguments (dispatched from APPLICATIONS)
    def density_application(self, name: str, prefix: str):
        """p(x|θ), p(x;θ), f(x|θ), f_θ(x), f_X(x); a declared p beside the density p is the parameter."""
        if prefix:
            return None
        if name == "f" and self.at("_") and not self._declared("f"):
            save = self.i
            self.take("_")
            below = key(self.text(self.group()))
            if (below in ("theta", "X") or self.s.names.get(below) in self.s.theta) and self.at("("):
                inside = self._parenthesized()
                point = self._point(inside) if inside is not None else None
                parts = self._split(inside or [], ("|", r"\mid", ";"))
                if point is None and len(parts) == 2 and self._is_parameters(parts[1]):
                    point = self._point(parts[0])        # f_X(x; θ), f_X(x | θ): the parameters written too
                if point is None:
                    raise NotationError(f"f_{below}({self.text(inside or [])}): the point must be x")
                self.i += len(inside) + 2
                return self.s.density(point)
            self.i = save
            return None
        inside = self._parenthesized()
        if inside is None:
            if name == "p" and self.s.generic and not self._declared(name) and not self.at("_", "^"):
                # ∫ p dx, ∂p/∂θ in the abstract setting: the density, written without its arguments
                return self.s.density(self.s.x)
            return None
        conditional = len(self._split(inside, ("|", r"\mid", ";"))) > 1
        if self._declared(name) and not conditional:
            if self._point(inside) is not None:
                raise NotationError(f"{name}({self.text(inside)}): the density or {name}·{self.text(inside)}? "
                                    f"write {name}(x|θ) for the density")
            return None                                  # the parameter p times (1 − p)
        if name == "f" and not conditional:
            raise NotationError(f"f({self.text(inside)}): f is read as the density only as f(x|θ), f(x;θ) or f_θ(x)")
        joint = self._joint_density(inside)
        if joint is not None:
            return joint
        self.take("(")
        return self.s.density(self.point())

    def _joint_density(self, inside: list[Token]):
        r"""p(\vec{x}|θ), f(\mathbf{x}; θ), p(x_1, …, x_n|θ): the density of the whole sample, ∏ᵢ p(xᵢ|θ) when
        the text says the draws are independent (Setting.independent), else not read; None for another point."""
        parts = self._split(inside, ("|", r"\mid", ";"))
        if len(parts) != 2 or not self._is_parameters(parts[1]):
            return None
        written = key(self.text(parts[0]))
        bare = re.sub(r"^(vec|mathbf|boldsymbol|bm)", "", written)
        vector = bare != written and bare in (self.s.x.name, self.s.x.name.upper())      # \vec{x}, \mathbf{X}
        names = f"[{self.s.x.name}{self.s.x.name.upper()}]"                              # x_1, …, x_n
        if not vector and not re.fullmatch(SAMPLE_SUBSCRIPT.replace("[xX]", names), written):
            return None
        if not self.s.independent:
            raise NotationError(f"the density of the whole sample {self.text(parts[0])} is ∏ᵢ p(xᵢ|θ) only for "
                                f"independent draws, which the text does not state (iid, independent, random sample)")
        self.i += len(inside) + 2
        return SampleProduct(self.s.density(self.s.draw))

    def score_application(self, name: str, prefix: str):
        if prefix or self._declared(name) or not self.at("(", "_"):
            return None
        entries, single = range(self.s.m), False
        if self.at("_"):
            single = True
            self.take("_")
            entries = [self.s.theta.index(self.variables(self.group())[0])]
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
        m, factor = self.s.m, sp.S.One
        if self.at("_"):
            self.take("_")
            tokens = self.group()
            entry = self._entry(tokens)
            if entry is not None:
                j, k = sorted(self.s.theta.index(n) for n in entry)
                return Fisher(sp.Integer(j), sp.Integer(k))
            below = key(self.text(tokens))
            if below == key(self.s.sample_size.name) or re.fullmatch(SAMPLE_SUBSCRIPT, below):
                factor = self.s.sample_size                # the information of a sample of n
            elif below not in ("X", "x", "1", "X_1", "x_1", "theta"):
                raise NotationError(f"{name}_{{{self.text(tokens)}}}: read are {name}_X, {name}_1, {name}_n "
                                    f"and an entry {name}_{{θᵢθⱼ}} with parameter names")
        inside = self._parenthesized()
        if inside is not None and factor == 1 and self._sample_information(name, prefix):
            raise NotationError(f"{name}({self.text(inside)}) in a step on a sample of n: the information of one "
                                f"draw or of the sample? (write I_n(θ) or n I(θ))")
        if inside is not None:
            if not self._is_parameters(inside):
                raise NotationError(f"{name}({self.text(inside)}): the Fisher information is read at the "
                                    f"model's parameters only")
            self.i += len(inside) + 2
        elif name == "I" and not prefix and factor == 1:
            raise NotationError("I without its argument: write I(θ)")
        matrix = _scalarize(sp.ImmutableMatrix(m, m, lambda j, k: Fisher(sp.Integer(min(j, k)),
                                                                          sp.Integer(max(j, k)))))
        return mul(factor, matrix)

    def _sample_information(self, name: str, prefix: str) -> bool:
        """True when I(θ) stands in a step on a sample (Setting.data) without n before it: many authors write
        I(θ) for the information of the whole sample (I(λ) = n/λ), others for one draw's (n I(λ))."""
        if not self.s.sample_shown or name == "F" or prefix == "bf:":
            return False
        before = [t.text for t in self.t[max(0, self.i - 4):self.i - 1]]
        while before and before[-1] in (r"\cdot", r"\times", "*"):
            before.pop()
        return not (before and before[-1] == self.s.sample_size.name)

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
        if self._declared(name) or prefix:
            return None
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
            if order:
                raise NotationError(f"{name}' without its argument: write {name}'(θ)")
            return None
        value = self._function_of_parameters(name, self._split(inside, ("|", r"\mid", ";")),
                                             lambda point: sp.log(self.s.density(point)),
                                             lambda: sp.Sum(sp.log(self.s.density(self.s.sample())),
                                                            (self.s.index, 1, self.s.sample_size)))
        if order:
            if self.s.m != 1:
                raise NotationError(f"{name}' of a vector θ: write the gradient")
            value = sp.Derivative(value, (self.s.theta[0], order))
        return value

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
        if not self._is_parameters(parts[0]) or len(parts) > 2:
            return None
        point = self._point(parts[1]) if len(parts) == 2 else None
        if len(parts) == 2 and point is None:
            return None
        if point is None and not self.s.data:
            return None                                  # not decided: an unknown function of θ (below)
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
        # ℓ(θ) means the log-likelihood of data left implicit: a function of x too, so that E[·] and Var[·]
        # of it are never taken for those of a constant
        return sp.Function(name.lstrip("\\"))(*self.s.theta, self.s.x)

    def expectation_application(self, name: str, prefix: str):
        if self._declared(name) or not self.at("[", "(", "_", r"\left"):
            return None
        return self.expectation()

    def logarithm(self):
        return elementwise(self.function_argument(), sp.log)

    def exponential(self):
        return elementwise(self.function_argument(), sp.exp)

    def _entry(self, tokens: list[Token]) -> tuple[sp.Symbol, sp.Symbol] | None:
        """Two parameter names (``\\mu\\sigma``, ``\\mu \\mu``): the entry they name, else None."""
        names = [self.s.names.get(key(t.text)) for t in tokens if t.kind in ("letter", "command")]
        if len(names) == 2 and all(n is not None and n in self.s.theta for n in names):
            return names[0], names[1]
        return None


def _generic(name: str) -> bool:
    """A Greek or Latin letter (with a subscript): a generic parameter of the abstract setting."""
    base = name.split("_")[0]
    if base in ("d", "e", "i", "\\theta", "\\pi", "\\partial", "\\infty") or base.lstrip("\\") in KNOWN_OBJECTS:
        return False
    return (len(base) == 1 and base.isalpha()) or (base.startswith("\\") and base[1:] in GREEK)


#: Command -> handler: how the proof reader reads each command it knows (a table, not an if-chain).
COMMANDS: dict[str, Callable[[_Parser, str], object]] = {
    "{": _Parser.braced, r"\begin": lambda p, _: p.matrix(), r"\left": _Parser.sized, "|": _Parser.absolute,
    r"\frac": lambda p, _: p.fraction(), r"\dfrac": lambda p, _: p.fraction(), r"\tfrac": lambda p, _: p.fraction(),
    r"\sqrt": _Parser.square_root, r"\nabla": _Parser.nabla, r"\int": lambda p, _: p.integral(),
    r"\sum": lambda p, _: p.summation(), r"\mathbb": _Parser.blackboard, r"\partial": _Parser.partial,
    r"\pi": _Parser.constant_or_function, r"\infty": _Parser.constant_or_function,
    r"\Gamma": _Parser.constant_or_function, r"\psi": _Parser.constant_or_function,
    r"\log": lambda p, _: p.logarithm(), r"\ln": lambda p, _: p.logarithm(), r"\exp": lambda p, _: p.exponential(),
    r"\Var": lambda p, _: p.variance(), r"\Cov": lambda p, _: p.covariance(),
    r"\pdv": lambda p, _: p.physics_derivative(), r"\dv": lambda p, _: p.physics_derivative(),
    # the sample (issue 12, sample rules): products over it and its mean
    r"\prod": lambda p, _: p.sample_product(), r"\bar": _Parser.sample_mean, r"\overline": _Parser.sample_mean,
}
#: Style commands (\mathbf, \operatorname, \mathcal, …) all go to one handler, which keeps the style.
STYLED: Callable[[_Parser, str], object] = _Parser.styled
