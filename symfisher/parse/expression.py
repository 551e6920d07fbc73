"""Read one LaTeX expression (a density, a support bound) into SymPy.

Takes LaTeX text and the declared names (name -> SymPy symbol); gives a SymPy
expression. Three passes:

1. :func:`~symfisher.parse.lexer.tokenize` splits the text, keeping positions;
2. :class:`_Rewriter` applies the notation tables of
   :mod:`symfisher.parse.notation`: declared names become opaque placeholders
   (so a parameter ``\\gamma`` is never Euler's constant nor the gamma function),
   ``\\log`` becomes the natural log, ``\\left``/``\\right`` and spacing go,
   special functions get unambiguous markers, undeclared names are refused;
3. ``latex2sympy2_extended`` parses the rewritten text, and :func:`_convert`
   maps placeholders back to the declared symbols, markers to SymPy functions.

Positions in every error refer to the user's original text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp
from sympy.core.function import AppliedUndef

from symfisher.errors import ParseError, Unsupported
from symfisher.parse import notation as nt
from symfisher.parse.lexer import Token, tokenize
from symfisher.parse.magnitude import too_large

__all__ = ["parse_expression", "read_name", "name_key", "symbol_name", "split_top_level"]


# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Name:
    """A name as written: ``x``, ``\\theta_1``, ``x_{m}``, ``\\mathrm{B}``, ``\\psi'``."""

    key: str          # canonical spelling, e.g. "theta_1", "rm:B", "psi'"
    start: int        # index of the first token
    end: int          # index after the last token
    pos: int          # position in the source text


def symbol_name(key: str) -> str:
    """The SymPy symbol name for a canonical spelling (``rm:df`` -> ``df``)."""
    return key.removeprefix("rm:")


def _next_index(tokens: list[Token], i: int) -> int:
    while i < len(tokens) and tokens[i].kind == "space":
        i += 1
    return i


def _read_group_word(tokens: list[Token], i: int, what: str, source: str) -> tuple[str, int]:
    """Read ``{word}`` after a roman command; return (word, index after ``}``)."""
    j = _next_index(tokens, i)
    if j >= len(tokens) or tokens[j].kind != "{":
        pos = tokens[j].pos if j < len(tokens) else len(source)
        raise ParseError("expected {name} after " + tokens[i - 1].text, source, pos, what)
    k = j + 1
    word = ""
    while k < len(tokens) and tokens[k].kind in ("letter", "digits", "space"):
        word += tokens[k].text.strip()
        k += 1
    if k >= len(tokens) or tokens[k].kind != "}" or not word or not word[0].isalpha():
        pos = tokens[k].pos if k < len(tokens) else len(source)
        raise Unsupported(f"{tokens[i - 1].text}{{...}} must contain a plain name", source, pos, what)
    return word, k + 1


def _read_subscript(tokens: list[Token], i: int, what: str, source: str) -> tuple[str, int]:
    """Read a subscript that is part of a name (``_0``, ``_{m}``, ``_{\\mu}``)."""
    j = _next_index(tokens, i)
    if j >= len(tokens):
        raise ParseError("a subscript is missing after _", source, len(source), what)
    tok = tokens[j]
    if tok.kind in ("letter", "digits"):
        return tok.text, j + 1
    if tok.kind == "command" and tok.text[1:] in nt.GREEK:
        return tok.text[1:], j + 1
    if tok.kind == "{":
        parts: list[str] = []
        k = j + 1
        while k < len(tokens) and tokens[k].kind != "}":
            t = tokens[k]
            if t.kind in ("letter", "digits"):
                parts.append(t.text)
            elif t.kind == "command" and t.text[1:] in nt.GREEK:
                parts.append(t.text[1:])
            elif t.kind != "space":
                raise Unsupported("a subscript of a name may contain only letters and digits",
                                  source, t.pos, what)
            k += 1
        if k >= len(tokens):
            raise ParseError("the subscript's '{' is never closed", source, tok.pos, what)
        if not parts:
            raise ParseError("empty subscript", source, tok.pos, what)
        return "".join(parts), k + 1
    raise ParseError("a subscript must be a letter, a digit or {...}", source, tok.pos, what)


def read_name(tokens: list[Token], i: int, what: str = "input", source: str = "") -> Name | None:
    """Read the name starting at ``tokens[i]``, or return None if none starts there.

    Raises:
        ParseError: on a malformed subscript or roman name.
    """
    tok = tokens[i]
    if tok.kind == "letter":
        base, j = tok.text, i + 1
    elif tok.kind == "command" and tok.text[1:] in nt.GREEK:
        base, j = tok.text[1:], i + 1
    elif tok.kind == "command" and tok.text in nt.ROMAN:
        word, j = _read_group_word(tokens, i + 1, what, source)
        base = "rm:" + word
    else:
        return None
    k = _next_index(tokens, j)
    if k < len(tokens) and tokens[k].is_char("_"):
        sub, j = _read_subscript(tokens, k + 1, what, source)
        base = f"{base}_{sub}"
    elif k < len(tokens) and tokens[k].is_char("'") and base + "'" in nt.FUNCTIONS:
        base, j = base + "'", k + 1
    return Name(base, i, j, tok.pos)


def name_key(text: str, what: str = "name") -> str:
    """Canonical spelling of a declared name such as ``\\mu``, ``mu``, ``x_{m}``.

    A bare Greek word (``mu``) is read as the Greek letter.

    Raises:
        ParseError: when ``text`` is not exactly one name.
    """
    stripped = text.strip()
    if stripped in nt.GREEK:
        stripped = "\\" + stripped
    tokens = [t for t in tokenize(stripped, what) if t.kind != "space"]
    if not tokens:
        raise ParseError("empty name", text, 0, what)
    name = read_name(tokens, 0, what, stripped)
    if name is None or name.end != len(tokens):
        raise ParseError(f"{text!r} is not a single name (a letter or Greek letter, "
                         "optionally with a subscript)", stripped, 0, what)
    return name.key


# ---------------------------------------------------------------------------
# Rewriting
# ---------------------------------------------------------------------------

_CONSTANT_MARKERS = {key: f"sfc{n}" for n, key in enumerate(nt.CONSTANTS)}
_ALLOWED_CHARS = frozenset("+-*/^_!,.()[]|")


@dataclass
class _Output:
    parts: list[str] = field(default_factory=list)
    origin: list[int] = field(default_factory=list)

    def emit(self, text: str, pos: int) -> None:
        self.parts.append(text)
        self.origin.extend([pos] * len(text))

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _brace_bare_arguments(tokens: list[Token]) -> list[Token]:
    """Give ``\\frac12``, ``\\sqrt2``, ``x^12`` the grouping TeX gives them.

    TeX takes one character (or one command) as an unbraced argument, so
    ``\\frac12`` is 1/2 and ``x^12`` is x^1 times 2.
    """
    out: list[Token] = []
    pending = 0   # single-token arguments still to brace
    for tok in tokens:
        if pending and tok.kind == "space":
            out.append(tok)
            continue
        if pending:
            if tok.kind == "digits" and len(tok.text) > 1:
                out += [Token("{", "{", tok.pos), Token("digits", tok.text[0], tok.pos),
                        Token("}", "}", tok.pos)]
                rest = tok.text[1:]
                pending -= 1
                if pending and rest:
                    out += [Token("{", "{", tok.pos + 1), Token("digits", rest[0], tok.pos + 1),
                            Token("}", "}", tok.pos + 1)]
                    rest = rest[1:]
                    pending -= 1
                if rest:
                    out.append(Token("digits", rest.lstrip("."), tok.pos + len(tok.text) - len(rest)))
                continue
            if tok.kind in ("digits", "letter") or (tok.kind == "command" and tok.text[1:] in nt.GREEK):
                out += [Token("{", "{", tok.pos), tok, Token("}", "}", tok.pos)]
                pending -= 1
                continue
            pending = 0
        out.append(tok)
        if tok.kind == "command" and tok.text in nt.ARGUMENT_COUNT:
            pending = nt.ARGUMENT_COUNT[tok.text]
        elif tok.is_char("^", "_"):
            pending = 1
    return out


class _Rewriter:
    """Turn user LaTeX tokens into text for the LaTeX parser (see module docstring)."""

    def __init__(self, tokens: list[Token], source: str, declared: dict[str, sp.Symbol],
                 what: str) -> None:
        self.tokens = _brace_bare_arguments(tokens)
        self.source = source
        self.what = what
        self.declared = declared
        self.placeholders: dict[str, sp.Symbol] = {}
        self.used: dict[str, int] = {}            # declared key -> first position
        self.out = _Output()
        self.stack: list[tuple[str, int, str]] = []  # (expected closer, position, opener)

    def error(self, message: str, pos: int) -> ParseError:
        return ParseError(message, self.source, pos, self.what)

    def next_token(self, i: int) -> Token | None:
        j = _next_index(self.tokens, i)
        return self.tokens[j] if j < len(self.tokens) else None

    def run(self) -> _Output:
        i = 0
        while i < len(self.tokens):
            i = self.step(i)
        if self.stack:
            closer, pos, opener = self.stack[-1]
            raise self.error(f"{opener} is never closed", pos)
        return self.out

    # -- one token (or one name) at a time --------------------------------
    def step(self, i: int) -> int:
        tok = self.tokens[i]
        name = read_name(self.tokens, i, self.what, self.source)
        if name is not None:
            return self.name(name)
        if tok.kind == "space":
            self.out.emit(" ", tok.pos)
        elif tok.kind in ("{", "}"):
            self.delimiter(tok.text, tok.text, tok.pos)
        elif tok.kind == "digits":
            self.out.emit(tok.text, tok.pos)
            nxt = self.next_token(i + 1)
            if nxt is not None and nxt.kind == "command" and nt.PASSTHROUGH.get(nxt.text) == r"\frac":
                # 2\frac{1}{2} is a product in statistics, never a mixed number.
                self.out.emit(r" \cdot ", tok.pos)
        elif tok.kind == "char":
            self.char(tok, i)
        else:
            return self.command(tok, i)
        return i + 1

    def char(self, tok: Token, i: int) -> None:
        if tok.text in "([)]":
            self.delimiter(tok.text, tok.text, tok.pos)
        elif tok.text == "~":
            self.out.emit(" ", tok.pos)
        elif tok.text == "_":
            raise self.error("a subscript must follow a name", tok.pos)
        elif tok.text == "'":
            raise self.error("primes (derivatives) are not allowed here", tok.pos)
        elif tok.text == "=":
            raise self.error("only one '=' is allowed (write the density, or p(x|θ) = density)",
                             tok.pos)
        elif tok.text == "." and (i + 2 < len(self.tokens) and self.tokens[i + 1].is_char(".")):
            raise self.error("'...' is only meaningful in a support", tok.pos)
        elif tok.text in _ALLOWED_CHARS:
            self.out.emit(tok.text, tok.pos)
        else:
            raise self.error(f"unexpected {tok.text!r}", tok.pos)

    def command(self, tok: Token, i: int) -> int:
        text = tok.text
        if text in nt.IGNORED:
            self.out.emit(" ", tok.pos)
        elif text in nt.SIZING:
            return self.sized_delimiter(tok, i)
        elif text in (r"\{", r"\}", r"\lbrace", r"\rbrace", r"\lbrack", r"\rbrack"):
            self.delimiter(text, nt.DELIMITERS[text], tok.pos)
        elif text in (r"\vert", r"\lvert", r"\rvert"):
            self.out.emit("|", tok.pos)
        elif text == nt.NATURAL_LOG:
            j = _next_index(self.tokens, i + 1)
            if j < len(self.tokens) and self.tokens[j].is_char("_"):  # \log_b keeps its base
                self.out.emit(r"\log_", tok.pos)
                return j + 1
            self.out.emit(r"\ln ", tok.pos)
        elif text in nt.PASSTHROUGH:
            self.out.emit(nt.PASSTHROUGH[text] + " ", tok.pos)
        elif text == r"\infty":
            raise self.error("∞ is only meaningful in a support", tok.pos)
        elif text in nt.ELLIPSES:
            raise self.error(f"{text} is only meaningful in a support", tok.pos)
        else:
            raise self.error(f"unknown command {text}", tok.pos)
        return i + 1

    def sized_delimiter(self, tok: Token, i: int) -> int:
        j = _next_index(self.tokens, i + 1)
        if j >= len(self.tokens):
            raise self.error(f"{tok.text} must be followed by a delimiter", tok.pos)
        delim = self.tokens[j]
        if delim.text not in nt.DELIMITERS:
            raise self.error(f"{tok.text} must be followed by a delimiter, not {delim.text!r}",
                             delim.pos)
        emitted = nt.DELIMITERS[delim.text]
        if tok.text in nt.OPENING_SIZING:
            self.stack.append((r"\right", tok.pos, tok.text + delim.text))
            self.out.emit(emitted, tok.pos)
        elif tok.text in nt.CLOSING_SIZING:
            if not self.stack or self.stack[-1][0] != r"\right":
                raise self.error(f"{tok.text}{delim.text} has no matching \\left", tok.pos)
            self.stack.pop()
            self.out.emit(emitted, tok.pos)
        else:  # \big( etc.: size only, the delimiter is read as written
            return j
        return j + 1

    _PAIRS = {"(": ")", "[": "]", "{": "}", r"\{": r"\}", r"\lbrace": r"\rbrace", r"\lbrack": r"\rbrack"}

    def delimiter(self, text: str, emitted: str, pos: int) -> None:
        if text in self._PAIRS:
            self.stack.append((self._PAIRS[text], pos, f"'{text}'"))
        else:
            if not self.stack:
                raise self.error(f"'{text}' has no matching opening delimiter", pos)
            expected, open_pos, opener = self.stack[-1]
            if expected != text:
                if expected == r"\right":
                    raise self.error(f"'{text}' closes {opener} which needs \\right", pos)
                raise self.error(f"'{text}' does not match {opener} opened at column {open_pos + 1}",
                                 pos)
            self.stack.pop()
        self.out.emit(emitted, pos)

    def name(self, name: Name) -> int:
        key = name.key
        after = self.next_token(name.end)
        called = after is not None and (after.is_char("(") or after.text in nt.OPENING_SIZING)
        sym_key = symbol_name(key)
        if key in self.declared or (key.startswith("rm:") and sym_key in self.declared
                                    and key not in nt.FUNCTIONS and key not in nt.CONSTANTS):
            real_key = key if key in self.declared else sym_key
            placeholder = f"v{len(self.placeholders)}"
            self.placeholders[placeholder] = self.declared[real_key]
            self.used.setdefault(real_key, name.pos)
            self.out.emit(rf"\variable{{{placeholder}}} ", name.pos)
        elif key in nt.FUNCTIONS and called:
            return self.call(key, name)
        elif key in nt.CONSTANTS:
            self.out.emit(rf"\variable{{{_CONSTANT_MARKERS[key]}}} ", name.pos)
        elif key in nt.FUNCTIONS:
            raise self.error(f"{_display(key)} ({nt.FUNCTIONS[key].description}) needs its "
                             "argument in parentheses; declare it if it is a symbol", name.pos)
        else:
            style, _, bare = key.rpartition(":")
            known = nt.known_object(bare, f"{style}:" if style else "") if called else None
            if known is not None:
                # the same table as the proof reader: F(θ), E(x), L(θ) are objects of a derivation
                hint = (f"in a derivation it is the {nt.KIND_NAMES[known.kind]} {known.application}, which has no place in a "
                        f"density; declare it if it is a symbol")
            else:
                hint = nt.HINTS.get(key, "declare it as a parameter (--param) or a constant (--const)")
            raise self.error(f"undeclared symbol {_display(key)}: {hint}", name.pos)
        return name.end

    def call(self, key: str, name: Name) -> int:
        """A special function applied to parenthesised arguments, parsed one by one.

        The LaTeX parser reads ``\\mathrm{f}(...)`` only for atomic arguments, so
        the arguments are parsed here and the call becomes one placeholder.
        """
        rule = nt.FUNCTIONS[key]
        start = _next_index(self.tokens, name.end)
        if self.tokens[start].text in nt.OPENING_SIZING:
            start = _next_index(self.tokens, start + 1)
        end = _matching_close(self.tokens, start, self.source, self.what)
        inner = self.tokens[start + 1:end]
        if end > 0 and self.tokens[end - 1].text in nt.CLOSING_SIZING:
            inner = self.tokens[start + 1:end - 1]
        parts = split_top_level(inner, ",")
        if len(parts) != rule.arity:
            raise self.error(f"{_display(key)} ({rule.description}) takes {rule.arity} "
                             f"argument{'s' * (rule.arity > 1)}, not {len(parts)}", name.pos)
        args = [parse_expression(self.source, self.declared, self.what, tokens=_unbraced(part)) if part else
                _raise(self.error("an argument is missing", self.tokens[start].pos)) for part in parts]
        problem = too_large(rule.sympy_function, tuple(args))      # Γ(10^9) is evaluated as it is built
        if problem:
            raise self.error(problem, name.pos)
        placeholder = f"v{len(self.placeholders)}"
        self.placeholders[placeholder] = rule.sympy_function(*args)
        self.out.emit(rf"\variable{{{placeholder}}} ", name.pos)
        return end + 1


def _unbraced(part: list[Token]) -> list[Token]:
    """An argument wrapped whole in braces, Γ({α}), without them: TeX's grouping, not a set."""
    inner = [t for t in part if t.kind != "space"]
    if len(inner) < 3 or inner[0].kind != "{" or inner[-1].kind != "}":
        return part
    depth = 0
    for k, tok in enumerate(inner):
        depth += (tok.kind == "{") - (tok.kind == "}")
        if depth == 0 and k < len(inner) - 1:
            return part                                   # {a}{b}: two groups, left as they are
    return inner[1:-1]


def _raise(error: Exception):
    raise error


def _matching_close(tokens: list[Token], start: int, source: str, what: str) -> int:
    """Index of the token closing the bracket opened at ``tokens[start]``."""
    depth = 0
    for k in range(start, len(tokens)):
        tok = tokens[k]
        if tok.is_char("(", "[") or tok.kind == "{" or tok.text in (r"\{", r"\lbrace"):
            if k == 0 or tokens[k - 1].text not in nt.CLOSING_SIZING:
                depth += 1
        elif tok.is_char(")", "]") or tok.kind == "}" or tok.text in (r"\}", r"\rbrace"):
            if k == 0 or tokens[k - 1].text not in nt.OPENING_SIZING:
                depth -= 1
            if depth == 0:
                return k
    raise ParseError(f"'{tokens[start].text}' is never closed", source, tokens[start].pos, what)


def _display(key: str) -> str:
    base = symbol_name(key)
    head, _, sub = base.partition("_")
    if key.startswith("rm:"):
        head = rf"\mathrm{{{head}}}"
    elif head.rstrip("'") in nt.GREEK:
        head = "\\" + head
    return head + (f"_{{{sub}}}" if sub else "")


# ---------------------------------------------------------------------------
# Parsing and conversion
# ---------------------------------------------------------------------------

class _SyntaxAt(Exception):
    def __init__(self, column: int, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


def _antlr_parse(text: str) -> sp.Basic:
    """Parse rewritten text with latex2sympy2_extended; raise _SyntaxAt on syntax errors."""
    from antlr4 import CommonTokenStream, InputStream
    from antlr4.error.ErrorListener import ErrorListener
    from latex2sympy2_extended.antlr_parser import PSLexer, PSParser
    from latex2sympy2_extended.latex2sympy2 import ConversionConfig, _Latex2Sympy

    class Listener(ErrorListener):
        def syntaxError(self, recognizer, offendingSymbol, line, column, msg, e):  # noqa: N802
            raise _SyntaxAt(column, msg)

    class Converter(_Latex2Sympy):
        def create_parser(self, latex_str):  # one listener of ours, so positions are exact
            lexer = PSLexer(InputStream(latex_str))
            lexer.removeErrorListeners()
            lexer.addErrorListener(Listener())
            parser = PSParser(CommonTokenStream(lexer))
            parser.removeErrorListeners()
            parser.addErrorListener(Listener())
            return parser

    config = ConversionConfig(interpret_as_mixed_fractions=False, interpret_simple_eq_as_assignment=False,
                              interpret_contains_as_eq=False, lowercase_symbols=False)
    return Converter(config=config).parse(text)


_REFUSED = (sp.Set, sp.Tuple, sp.core.relational.Relational, sp.Integral, sp.Sum, sp.Product,
            sp.Limit, sp.Derivative, sp.MatrixBase, sp.logic.boolalg.Boolean)


def _convert(expr: sp.Basic, placeholders: dict[str, sp.Symbol], fail) -> sp.Expr:
    """Map placeholders and markers back, and rebuild the tree with evaluation."""
    if isinstance(expr, sp.Symbol):
        if expr.name in placeholders:
            return placeholders[expr.name]
        for key, marker in _CONSTANT_MARKERS.items():
            if expr.name == marker:
                return nt.CONSTANTS[key]
        raise fail(f"cannot read {expr.name!r}")
    if isinstance(expr, _REFUSED) or not isinstance(expr, sp.Basic):
        raise fail("this is not a single expression (sets, relations, integrals and sums "
                   "are not allowed here)")
    if isinstance(expr, sp.Float):
        return sp.Rational(str(expr))
    if not expr.args:
        if expr.has(sp.I) or expr in (sp.zoo, sp.nan):
            raise fail("this is not a real number")
        return expr
    args = [_convert(arg, placeholders, fail) for arg in expr.args]
    if isinstance(expr, AppliedUndef):
        raise fail(f"unknown function {type(expr).__name__}")
    if isinstance(expr, sp.log) and len(args) == 2 and args[1] == sp.E:
        return sp.log(args[0])
    # SymPy evaluates 10^{10^{10}} or (10^8)! exactly as it builds them: size them first
    problem = too_large(expr.func, tuple(args))
    if problem:
        raise _TooLarge(problem, expr.func, tuple(args))
    return expr.func(*args)


class _TooLarge(Exception):
    """A number too large to build, with the node ``func(*args)`` it would have been (to find its column)."""

    def __init__(self, problem: str, func: type, args: tuple[sp.Expr, ...]) -> None:
        super().__init__(problem)
        self.problem, self.func, self.args_ = problem, func, args


#: The operator that writes each sized node in LaTeX: a power's ^ (e^{…} for exp), a factorial's !.
_NUMBER_OPERATORS = {sp.Pow: "^", sp.exp: "^", sp.factorial: "!"}
#: Operators tried when locating a number (each costs two small parses, on the error path only).
_MAX_LOCATE = 200


def _number_position(tokens: list[Token], error: _TooLarge, source: str, declared: dict[str, sp.Symbol],
                     what: str) -> int:
    """The offset in ``source`` where the number of ``error`` is written: the first token of the power
    (its base) or of the factorial's operand whose parts read as the node's arguments; the start of
    the expression when none does (the caret is then under the whole expression, as before)."""
    operator = _NUMBER_OPERATORS.get(error.func)
    candidates = [k for k, tok in enumerate(tokens) if operator is not None and tok.text == operator]

    def value(part: list[Token]) -> sp.Expr | None:
        try:
            return parse_expression(source, declared, what, tokens=part) if part else None
        except (ParseError, Unsupported, RecursionError, _TooLarge):
            return None

    for k in candidates[:_MAX_LOCATE]:
        start = _operand_start(tokens, k)
        if start is None:
            continue
        if operator == "!":
            found = value(tokens[start:k]) == error.args_[0]
        else:
            exponent = _exponent(tokens, k)
            if exponent is None:
                continue
            power = value(tokens[exponent[0]:exponent[1]])
            found = power == error.args_[0] and tokens[start].text == "e" if error.func is sp.exp else \
                power == error.args_[1] and value(tokens[start:k]) == error.args_[0]
        if found:
            return tokens[start].pos
    return tokens[0].pos


def _operand_start(tokens: list[Token], k: int) -> int | None:
    """Index of the first token of the operand just before ``tokens[k]`` (one token or a bracket group)."""
    j = k - 1
    while j >= 0 and tokens[j].kind == "space":
        j -= 1
    if j < 0:
        return None
    if not (tokens[j].kind == "}" or tokens[j].is_char(")", "]")):
        return j
    depth = 0
    for i in range(j, -1, -1):
        if tokens[i].kind == "}" or tokens[i].is_char(")", "]"):
            depth += 1
        elif tokens[i].kind == "{" or tokens[i].is_char("(", "["):
            depth -= 1
        if depth == 0:
            return i - 1 if i > 0 and tokens[i - 1].text in nt.OPENING_SIZING else i
    return None


def _exponent(tokens: list[Token], k: int) -> tuple[int, int] | None:
    """[start, end) of the exponent after the ^ at ``tokens[k]``: a braced group's inside, or one token."""
    j = _next_index(tokens, k + 1)
    if j >= len(tokens):
        return None
    if tokens[j].kind != "{":
        return j, j + 1
    depth = 0
    for i in range(j, len(tokens)):
        depth += (tokens[i].kind == "{") - (tokens[i].kind == "}")
        if depth == 0:
            return j + 1, i
    return None


def split_top_level(tokens: list[Token], separator: str) -> list[list[Token]]:
    """Split tokens at ``separator`` characters that are not inside any bracket."""
    parts: list[list[Token]] = [[]]
    depth = 0
    for tok in tokens:
        if tok.kind == "{" or tok.is_char("(", "[") or tok.text in nt.OPENING_SIZING or tok.text in (r"\{", r"\lbrace"):
            depth += 1
        elif tok.kind == "}" or tok.is_char(")", "]") or tok.text in nt.CLOSING_SIZING or tok.text in (r"\}", r"\rbrace"):
            depth -= 1
        if depth == 0 and tok.is_char(separator):
            parts.append([])
        else:
            parts[-1].append(tok)
    return parts


def parse_expression(source: str, declared: dict[str, sp.Symbol], what: str = "density",
                     tokens: list[Token] | None = None, allow_lhs: bool = False) -> sp.Expr:
    """Parse LaTeX ``source`` with the ``declared`` names into a SymPy expression.

    Args:
        source: the LaTeX text as the user typed it.
        declared: canonical name (see :func:`name_key`) -> SymPy symbol.
        what: what the text is ("density", "support"), for error messages.
        tokens: a slice of ``tokenize(source)`` to parse instead of all of it.
        allow_lhs: accept ``p(x|\theta) = ...`` and keep the right side.

    Raises:
        ParseError: unreadable LaTeX, unknown commands, undeclared names.
        Unsupported: notation symfisher does not handle yet.
    """
    if tokens is None:
        tokens = tokenize(source, what)
    if allow_lhs:
        # "p(x|\theta) = <density>": the left side only names the density.
        sides = split_top_level(tokens, "=")
        if len(sides) == 2 and any(t.kind != "space" for t in sides[0]):
            tokens = sides[1]
    if not any(t.kind != "space" for t in tokens):
        pos = tokens[0].pos if tokens else len(source)
        raise ParseError("empty expression", source, pos, what)
    rewriter = _Rewriter(tokens, source, declared, what)
    out = rewriter.run()
    text = out.text
    end = tokens[-1].pos + len(tokens[-1].text)

    def position(column: int) -> int:
        return out.origin[column] if column < len(out.origin) else end

    try:
        raw = _antlr_parse(text)
    except _SyntaxAt as exc:
        raise ParseError(_syntax_message(exc.message), source, position(exc.column), what) from None
    except RecursionError:
        raise ParseError("the expression is nested too deeply", source, tokens[0].pos, what) from None
    except Exception as exc:  # the converter raises bare Exceptions on constructs it rejects
        raise ParseError(f"cannot read this expression ({exc})".splitlines()[0], source,
                         tokens[0].pos, what) from None

    def fail(message: str) -> ParseError:
        return ParseError(message, source, tokens[0].pos, what)

    try:
        return _convert(raw, rewriter.placeholders, fail)
    except _TooLarge as exc:
        raise ParseError(exc.problem, source, _number_position(tokens, exc, source, declared, what),
                         what) from None
    except RecursionError:
        raise ParseError("the expression is nested too deeply", source, tokens[0].pos, what) from None


def _syntax_message(msg: str) -> str:
    if msg.startswith("missing"):
        return msg.replace("'\\variable{", "'").split(" at ")[0]
    if msg.startswith("extraneous") or msg.startswith("mismatched") or msg.startswith("no viable"):
        return "unexpected symbol here"
    if msg.startswith("token recognition"):
        return "unrecognised text here"
    return "cannot read the expression here"
