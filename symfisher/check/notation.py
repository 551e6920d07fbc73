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
from symfisher.parse.magnitude import too_large
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


def _quote(text: str) -> str:
    """LaTeX as the author wrote it, in quotes (``repr`` would double every backslash)."""
    return f"'{text}'"


def vector_parameter(text: str) -> bool:
    """True when the text makes θ a vector (∇, ᵀ, bold θ, m×1, θ₁, a matrix); else θ is a scalar."""
    return any(re.search(pattern, text) for pattern in VECTOR_MARKERS.values())


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

    @property
    def m(self) -> int:
        return len(self.theta)

    def sample(self) -> sp.Indexed:
        return sp.IndexedBase(self.x.name)[self.index]


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
    return value


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
                    value, power = sized(sp.Pow, value, scalar(power, "a power"))
                    value = value ** power
            elif self.at("!"):
                self.take()
                value = sp.factorial(sized(sp.factorial, scalar(value, "a factorial")))
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
        if not self.at("_"):
            return self.named(command)                 # a lone ∂: not read (named says so)
        self.take("_")                                 # ∂_θ f
        groups = [self.variables(self.group())]
        if self.at("^"):
            self.take("^")
            groups *= self._order(self.group())
        return self.derivative(self.operand(groups), groups)

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
        if top and top[0].text == r"\partial":
            rest, order = top[1:], 1
            if rest and rest[0].text == "^":
                self_sub = _Parser(rest[1:], self.s)
                order_tokens = self_sub.group()
                order, rest = self._order(order_tokens), rest[1 + self_sub.i:]
            variables = self._partial_variables(bottom)
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
        if not self.at("_"):
            raise NotationError("a sum without its index")
        self.take("_")
        below = self.text(self.group())
        if self.at("^"):
            self.take("^")
            self.group()
        body = self.term()
        if below.replace(" ", "") in ("i=1", "i"):
            i = self.s.index
            return elementwise(body, lambda g: sp.Sum(g, (i, 1, self.s.sample_size)))
        variable = below.split("\\in")[0].split("=")[0].strip()
        if variable == self.s.x.name:
            return elementwise(body, lambda g: sp.Integral(g, self.s.x))   # a sum over the support
        raise NotationError(f"a sum over {_quote(below)} is not checked")

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
            return elementwise(self.sub(self.group()), lambda a: sp.exp(sized(sp.exp, a)))
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
        if key(full) == f"{self.s.x.name}_{self.s.index.name}":
            return self.s.sample()
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
        self.take("(")
        return self.s.density(self.point())

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
            if below == key(self.s.sample_size.name):
                factor = self.s.sample_size                # the information of a sample of n
            elif below not in ("X", "x", "1", "X_1", "x_1", "theta"):
                raise NotationError(f"{name}_{{{self.text(tokens)}}}: read are {name}_X, {name}_1, {name}_n "
                                    f"and an entry {name}_{{θᵢθⱼ}} with parameter names")
        inside = self._parenthesized()
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
        return self._function_of_parameters(name, parts, lambda point: self.s.density(point))

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
        inside = self._parenthesized()
        if inside is None:
            if order:
                raise NotationError(f"{name}' without its argument: write {name}'(θ)")
            return None
        value = self._function_of_parameters(name, self._split(inside, ("|", r"\mid", ";")),
                                             lambda point: sp.log(self.s.density(point)))
        if order:
            if self.s.m != 1:
                raise NotationError(f"{name}' of a vector θ: write the gradient")
            value = sp.Derivative(value, (self.s.theta[0], order))
        return value

    def _function_of_parameters(self, name: str, parts: list[list[Token]], at_point):
        """name(θ; x) = at_point(x); name(θ) an unknown function of θ (so only identities for every such
        function are proved, and none is refuted)."""
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
        return elementwise(self.function_argument(), lambda a: sp.exp(sized(sp.exp, a)))

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
}
#: Style commands (\mathbf, \operatorname, \mathcal, …) all go to one handler, which keeps the style.
STYLED: Callable[[_Parser, str], object] = _Parser.styled
