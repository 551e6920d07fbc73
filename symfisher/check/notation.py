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

from dataclasses import dataclass, field
from typing import Callable

import sympy as sp

from symfisher.parse.lexer import Token, tokenize


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

    @property
    def m(self) -> int:
        return len(self.theta)

    def sample(self) -> sp.Indexed:
        return sp.IndexedBase(self.x.name)[self.index]


def abstract_setting(m: int = 2) -> Setting:
    """p(x|θ) unknown, θ = (θ₁, …, θ_m)."""
    x = sp.Symbol("x", real=True)
    theta = tuple(sp.Symbol(f"theta_{j + 1}", real=True) for j in range(m))
    p = sp.Function("p")
    setting = Setting(x=x, theta=theta, density=lambda point: p(point, *theta))
    setting.names = {"x": x, "n": setting.sample_size, **{f"theta_{j + 1}": t for j, t in enumerate(theta)}}
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

SKIP = {r"\,", r"\;", r"\!", r"\:", r"\quad", r"\qquad", r"\displaystyle", r"\big", r"\Big", r"\bigg", r"\Bigg",
        r"\bigl", r"\bigr", r"\Bigl", r"\Bigr", "\\ ", r"\limits"}
OPEN = {"(": ")", "[": "]", r"\{": r"\}", r"\lbrack": r"\rbrack", r"\langle": r"\rangle"}
GREEK_CONSTANTS = {r"\pi": sp.pi, r"\infty": sp.oo}
TRANSPOSE = {"T", r"\top", r"\intercal", r"\mathsf{T}", r"\mathrm{T}", r"\text{T}"}
STYLE = {r"\mathbf", r"\boldsymbol", r"\mathrm", r"\mathit", r"\bm", r"\mathsf", r"\operatorname"}


def read(source: str, setting: Setting):
    """The value of one side of a step.

    Raises:
        NotationError: notation the checker does not read.
        ShapeError: a shape mismatch inside the expression.
    """
    try:
        tokens = [t for t in tokenize(source, "step") if t.kind != "space" and t.text not in SKIP]
    except Exception as exc:  # ParseError from the lexer: stray characters
        raise NotationError(" ".join(str(exc).split())) from None
    if not tokens:
        raise NotationError("empty side")
    parser = _Parser(tokens, setting)
    value = parser.expr()
    if parser.i < len(tokens):
        raise NotationError(f"cannot read {tokens[parser.i].text!r} here")
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
        if parser.i < len(tokens):
            raise NotationError(f"cannot read {tokens[parser.i].text!r} here")
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
        if tok.text in ("+", "-", ")", "]", "}", r"\right", "|", "=", ",", "&", r"\}", r"\rangle", r"\rbrack"):
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
        if text == "{":
            self.i -= 1
            inner = self.group()
            if self.at("_") and len(inner) == 1 and inner[0].kind in ("letter", "command"):
                return self.named(inner[0].text)              # {x}_{i}, as SymPy prints indexed names
            return self.sub(inner)
        if text == r"\begin":
            return self.matrix()
        if text in OPEN:
            return self.delimited(OPEN[text])
        if text == r"\left":
            opener = self.take().text
            value = self.expr()
            self.take(r"\right")
            self.take()
            return value if opener != "|" else elementwise(value, sp.Abs)
        if text == "|":
            value = self.expr()
            self.take("|")
            return elementwise(value, sp.Abs)
        if text in (r"\frac", r"\dfrac", r"\tfrac"):
            return self.fraction()
        if text == r"\sqrt":
            return sp.sqrt(scalar(self.sub(self.group()), "a square root"))
        if text in (r"\log", r"\ln"):
            return elementwise(self.function_argument(), sp.log)
        if text == r"\exp":
            return elementwise(self.function_argument(), sp.exp)
        if text == r"\nabla":
            variables = self.gradient_variables()
            pending = self.pending_transpose
            value = self.gradient(self.postfix(), variables)
            if self.pending_transpose > pending and _is_matrix(value):
                self.pending_transpose -= 1
                value = sp.ImmutableMatrix(value.T)
            return value
        if text == r"\int":
            return self.integral()
        if text == r"\sum":
            return self.summation()
        if text == r"\mathbb":
            letter = self.text(self.group())
            if letter != "E":
                raise NotationError(f"\\mathbb{{{letter}}} is not notation symfisher checks")
            return self.expectation()
        if text in STYLE:
            inner = self.group()
            return self.named(self.text(inner), styled=True)
        if text in GREEK_CONSTANTS and text not in self.s.names:
            return GREEK_CONSTANTS[text]
        if text == r"\Gamma" and self.at("(", r"\left") and "Gamma" not in self.s.names:
            return sp.gamma(scalar(self.function_argument(), "Γ"))
        if text == r"\psi" and "psi" not in self.s.names:
            order = 0
            while self.at("'"):
                self.take("'")
                order += 1
            return sp.polygamma(order, scalar(self.function_argument(), "ψ"))
        if tok.kind in ("letter", "command"):
            return self.named(text)
        raise NotationError(f"cannot read {text!r} here")

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
        raise NotationError(f"differentiation by {name!r}: not a parameter")

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
        if top and top[0].text == r"\partial":
            rest, order = top[1:], 1
            if rest and rest[0].text == "^":
                order, rest = int(self.text(rest[1:2]) or 0), rest[2:]
            variables = self._partial_variables(bottom)
            # ∂/∂β α log β: the operator takes the whole product that follows (up to + or −)
            operand = self.product() if not rest else self.sub(rest)
            if order == 1:
                if len(variables) != 1:
                    raise NotationError("∂f/∂a∂b needs ∂² on top")
                return self.gradient(operand, variables[0])
            if all(group == self.s.theta for group in variables) and self.s.m > 1:   # ∂²f/∂θ²: the Hessian
                return self.hessian(operand)
            flat = [v for group in variables for v in group]
            if len(flat) != order or any(len(group) != 1 for group in variables):
                raise NotationError("a second derivative must be written ∂²f/∂a∂b or ∂²f/∂a² with parameters")
            return sp.Derivative(scalar(operand, "a partial derivative"), *flat)
        return div(self.sub(top), self.sub(bottom))

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
            power = 1
            if len(group) >= 2 and group[-2].text == "^":
                power, group = int(group[-1].text), group[:-2]
            out += [self.variables(group)] * power
        return out

    def _is_differential(self) -> bool:
        nxt = self.peek(1)
        return nxt is not None and nxt.text == self.s.x.name

    def integral(self):
        lower = upper = None
        if self.at("_"):
            self.take("_")
            lower = self.sub(self.group())
        if self.at("^"):
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
        raise NotationError(f"a sum over {below!r} is not checked")

    def expectation(self):
        if self.at("_"):
            self.take("_")
            self.group()                               # 𝔼_{p(x|θ)} or 𝔼_{x∼p(x|θ)}: the model's own
        if self.at(r"\left"):
            self.take(r"\left")
            self.take("[")
            value = self.expr()
            self.take(r"\right")
            self.take("]")
        else:
            self.take("[")
            value = self.delimited("]")
        if isinstance(value, Zero):
            return value
        return elementwise(value, Expect)

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
        if name == self.s.x.name:
            return self.s.x
        if name in (f"{self.s.x.name}_i", f"{self.s.x.name}_{{i}}"):
            return self.s.sample()
        raise NotationError(f"p({name}|θ): the point must be {self.s.x.name} or {self.s.x.name}_i")

    def named(self, name: str, styled: bool = False):
        if name == "p" and self.at("(", r"\left"):
            if self.at(r"\left"):
                self.take(r"\left")
            self.take("(")
            return self.s.density(self.point())
        if name == "s" and self.at("(", "_"):
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
        if name == "L" and self.at("("):
            self.take("(")
            point = self.take().text
            while self.take().text != ")":
                pass
            if point == "X":
                return sp.Sum(sp.log(self.s.density(self.s.sample())), (self.s.index, 1, self.s.sample_size))
            if point == self.s.x.name:
                return sp.log(self.s.density(self.s.x))
            raise NotationError(f"L({point}|θ) is not checked")
        if name == "H":
            if not self.at("_"):
                raise NotationError("𝐇 needs the function it is the Hessian of: 𝐇_{f}")
            self.take("_")
            tokens = self.group()
            entry = self._entry(tokens)
            if entry is not None:                      # 𝐇_{μσ}: an entry of the Hessian of log p
                return sp.Derivative(sp.log(self.s.density(self.s.x)), *entry)
            return self.hessian(self.sub(tokens))
        if name in ("F", "I") and (styled or name == "F"):
            return self.fisher()
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
        if name in (r"\theta", r"\boldsymbol{\theta}"):
            return sp.ImmutableMatrix(self.s.theta)
        full = name
        if self.at("_") and name not in ("H", "F"):
            self.take("_")
            full = f"{name}_{self.text(self.group())}"
        if key(full) in self.s.names:
            return self.s.names[key(full)]
        if key(full) == f"{self.s.x.name}_{self.s.index.name}":
            return self.s.sample()
        raise NotationError(f"{full!r} is not a symbol of this setting (declare it in the front matter's model)")

    def _entry(self, tokens: list[Token]) -> tuple[sp.Symbol, sp.Symbol] | None:
        """Two parameter names (``\\mu\\sigma``, ``\\mu \\mu``): the entry they name, else None."""
        names = [self.s.names.get(key(t.text)) for t in tokens if t.kind in ("letter", "command")]
        if len(names) == 2 and all(n is not None and n in self.s.theta for n in names):
            return names[0], names[1]
        return None

    def fisher(self):
        m = self.s.m
        if self.at("_"):
            self.take("_")
            tokens = self.group()
            entry = self._entry(tokens)
            if entry is not None:
                j, k = sorted(self.s.theta.index(n) for n in entry)
                return Fisher(sp.Integer(j), sp.Integer(k))
            raise NotationError(f"𝐅_{{{self.text(tokens)}}}: an entry is written 𝐅_{{θᵢθⱼ}} with parameter names")
        if self.at("(") and self.peek(1) is not None and self.peek(1).text == r"\theta":
            self.take("(")
            self.take(r"\theta")
            self.take(")")
        return _scalarize(sp.ImmutableMatrix(m, m, lambda j, k: Fisher(sp.Integer(min(j, k)), sp.Integer(max(j, k)))))
