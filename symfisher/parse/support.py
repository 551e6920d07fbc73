"""Read a support: an interval ``(a,b)``, ``[a,b)``, or an integer set ``\\{0,1,\\dots,n\\}``.

Takes LaTeX (or the ASCII spellings ``oo``, ``inf``, ``...``) and the declared
names; gives a :class:`Support`. An integer set makes the model discrete.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from symfisher.errors import ParseError, Unsupported
from symfisher.parse import notation as nt
from symfisher.parse.expression import parse_expression, split_top_level
from symfisher.parse.lexer import Token, tokenize

WHAT = "support"

#: Most points a finite integer range may have: numerics sum every point (in chunks), and a
#: support of 10⁸ points took 4.9 GB and 40 s, one of 10⁹ asked for a 7.45 GiB array.
MAX_FINITE_POINTS = 10_000_000

#: Whole-support spellings.
NAMED_SUPPORTS: dict[str, tuple[sp.Expr, sp.Expr]] = {
    "R": (-sp.oo, sp.oo),
    "R_+": (sp.S.Zero, sp.oo),
    "R^+": (sp.S.Zero, sp.oo),
    "R_>0": (sp.S.Zero, sp.oo),
}

#: Spellings of infinity inside a bound, token texts joined without spaces.
INFINITY_SPELLINGS = frozenset({r"\infty", "+\\infty", "oo", "+oo", "inf", "+inf", "infty", "infinity"})
OPEN_INTERVAL = {"(": False, "[": True, "]": False}
CLOSE_INTERVAL = {")": False, "]": True, "[": False}
SET_OPENERS = frozenset({r"\{", r"\lbrace", "{"})
SET_CLOSERS = frozenset({r"\}", r"\rbrace", "}"})


@dataclass(frozen=True)
class Support:
    """Where the density lives.

    For ``kind == "interval"`` the bounds are real and ``left_closed`` /
    ``right_closed`` say whether they belong to it. For ``kind == "integers"``
    the support is every integer from ``lower`` to ``upper`` inclusive (either
    may be infinite), or exactly ``values`` when those are not consecutive.
    """

    kind: str
    lower: sp.Expr
    upper: sp.Expr
    left_closed: bool = False
    right_closed: bool = False
    values: tuple[int, ...] | None = None

    @property
    def discrete(self) -> bool:
        return self.kind == "integers"

    @property
    def free_symbols(self) -> set[sp.Symbol]:
        return set(self.lower.free_symbols) | set(self.upper.free_symbols)

    def latex(self) -> str:
        """Canonical LaTeX of the support."""
        if self.discrete:
            if self.values is not None:
                return r"\{" + ", ".join(str(v) for v in self.values) + r"\}"
            lo, hi = self.lower, self.upper
            if lo == -sp.oo:
                return r"\{\dots, -1, 0, 1, \dots\}"
            first = [sp.latex(lo), sp.latex(lo + 1)]
            if hi == sp.oo:
                return r"\{" + ", ".join([*first, sp.latex(lo + 2), r"\dots"]) + r"\}"
            if (hi - lo).is_number and hi - lo <= 2:
                return r"\{" + ", ".join(sp.latex(lo + k) for k in range(int(hi - lo) + 1)) + r"\}"
            return r"\{" + ", ".join([*first, r"\dots", sp.latex(hi)]) + r"\}"
        left = "[" if self.left_closed else "("
        right = "]" if self.right_closed else ")"
        return f"{left}{sp.latex(self.lower)}, {sp.latex(self.upper)}{right}"

    def contains(self, value: sp.Expr) -> sp.Basic:
        """The condition that ``value`` lies in the support (a SymPy boolean)."""
        lo = (sp.Ge if self.left_closed or self.discrete else sp.Gt)(value, self.lower)
        hi = (sp.Le if self.right_closed or self.discrete else sp.Lt)(value, self.upper)
        return sp.And(lo, hi)


def _strip_spaces(tokens: list[Token]) -> list[Token]:
    start, end = 0, len(tokens)
    while start < end and tokens[start].kind == "space":
        start += 1
    while end > start and tokens[end - 1].kind == "space":
        end -= 1
    return tokens[start:end]


def _compact(tokens: list[Token]) -> str:
    return "".join(t.text for t in tokens if t.kind != "space")


def parse_support(source: str, declared: dict[str, sp.Symbol]) -> Support:
    """Parse a support written in LaTeX or ASCII.

    Raises:
        ParseError: unreadable or empty supports, bounds in the wrong order.
        Unsupported: integer sets that are not unit-step ranges or finite lists.
    """
    tokens = _strip_spaces(tokenize(source, WHAT))
    if not tokens:
        raise ParseError("empty support", source, 0, WHAT)
    compact = _compact(tokens)
    if compact.startswith(r"\mathbb{R}"):
        key = "R" + compact[len(r"\mathbb{R}"):].replace("{", "").replace("}", "")
        if key not in NAMED_SUPPORTS:
            raise ParseError(f"unknown support {compact}", source, tokens[0].pos, WHAT)
        lower, upper = NAMED_SUPPORTS[key]
        return Support("interval", lower, upper)
    tokens = _unsize(tokens)
    first = tokens[0]
    if first.text in SET_OPENERS:
        return _parse_set(source, tokens, declared)
    if first.text in OPEN_INTERVAL:
        return _parse_interval(source, tokens, declared)
    raise ParseError("a support is an interval such as (0,\\infty) or a set such as \\{0,1,\\dots\\}",
                     source, first.pos, WHAT)


def _unsize(tokens: list[Token]) -> list[Token]:
    """Drop \\left / \\right (the delimiters they size stay)."""
    return [t for t in tokens if t.text not in nt.SIZING]


def _parse_interval(source: str, tokens: list[Token], declared: dict[str, sp.Symbol]) -> Support:
    first, last = tokens[0], tokens[-1]
    if len(tokens) < 2 or last.text not in CLOSE_INTERVAL:
        raise ParseError("the interval is not closed: it must end with ')' or ']'", source,
                         last.pos + len(last.text), WHAT)
    parts = split_top_level(tokens[1:-1], ",")
    if len(parts) != 2:
        pos = first.pos
        raise ParseError(f"an interval has two bounds separated by a comma, found {len(parts)} part(s)",
                         source, pos, WHAT)
    lower = _bound(source, parts[0], declared, first.pos)
    upper = _bound(source, parts[1], declared, last.pos)
    left_closed = OPEN_INTERVAL[first.text] and lower.is_finite is not False
    right_closed = CLOSE_INTERVAL[last.text] and upper.is_finite is not False
    if (upper - lower).is_extended_nonpositive:
        raise ParseError(f"the interval is empty: the lower bound {sp.latex(lower)} is not below "
                         f"the upper bound {sp.latex(upper)}", source, first.pos, WHAT)
    return Support("interval", lower, upper, left_closed, right_closed)


def _bound(source: str, part: list[Token], declared: dict[str, sp.Symbol], pos: int) -> sp.Expr:
    part = _strip_spaces(part)
    if not part:
        raise ParseError("a bound is missing", source, pos, WHAT)
    compact = _compact(part)
    if compact in INFINITY_SPELLINGS:
        return sp.oo
    if compact.startswith("-") and compact[1:] in INFINITY_SPELLINGS:
        return -sp.oo
    return parse_expression(source, declared, WHAT, tokens=part)


def _is_ellipsis(part: list[Token]) -> bool:
    compact = _compact(part)
    return compact in nt.ELLIPSES or compact == "..."


def _parse_set(source: str, tokens: list[Token], declared: dict[str, sp.Symbol]) -> Support:
    first, last = tokens[0], tokens[-1]
    if len(tokens) < 2 or last.text not in SET_CLOSERS:
        raise ParseError("the set is not closed: it must end with \\}", source,
                         last.pos + len(last.text), WHAT)
    inner = tokens[1:-1]
    if not _strip_spaces(inner):
        raise ParseError("the support is the empty set", source, first.pos, WHAT)
    parts = [_strip_spaces(p) for p in split_top_level(inner, ",")]
    elements: list[sp.Expr | None] = []   # None marks an ellipsis
    for part in parts:
        if not part:
            raise ParseError("an element of the set is missing", source, first.pos, WHAT)
        if _is_ellipsis(part):
            elements.append(None)
            continue
        value = parse_expression(source, declared, WHAT, tokens=part)
        if value.is_integer is not True:
            raise ParseError(f"{sp.latex(value)} is not an integer: a discrete support is a set of "
                             "integers (declare symbolic bounds with an integer domain)",
                             source, part[0].pos, WHAT)
        elements.append(value)
    return _integer_set(source, first.pos, elements)


def _integer_set(source: str, pos: int, elements: list[sp.Expr | None]) -> Support:
    dots = [k for k, e in enumerate(elements) if e is None]
    known = [e for e in elements if e is not None]
    if not known:
        raise ParseError("the set has no elements besides the ellipsis", source, pos, WHAT)
    if not dots:
        if not all(e.is_Integer for e in known):
            raise Unsupported("a finite set must list integers; write \\{0, 1, \\dots, n\\} "
                              "for a symbolic range", source, pos, WHAT)
        values = sorted({int(e) for e in known})
        if values == list(range(values[0], values[-1] + 1)):
            return Support("integers", sp.Integer(values[0]), sp.Integer(values[-1]))
        return Support("integers", sp.Integer(values[0]), sp.Integer(values[-1]), values=tuple(values))
    leading = dots[0] == 0
    trailing = dots[-1] == len(elements) - 1
    middle = [k for k in dots if 0 < k < len(elements) - 1]
    if len(dots) > 2 or len(middle) > 1 or (middle and (leading or trailing)):
        raise Unsupported("only ranges such as \\{0,1,\\dots,n\\} or \\{0,1,2,\\dots\\} are supported",
                          source, pos, WHAT)
    run = elements[1 if leading else 0: middle[0] if middle else len(elements) - (1 if trailing else 0)]
    if any(not e.is_Integer for e in run):
        raise Unsupported("the elements before an ellipsis must be integers", source, pos, WHAT)
    if any(b - a != 1 for a, b in zip(run, run[1:])):
        raise Unsupported("only unit-step ranges are supported", source, pos, WHAT)
    lower = -sp.oo if leading else run[0]
    if middle:
        upper = elements[-1]
        if (upper - run[-1]).is_negative:
            raise ParseError(f"the range ends at {sp.latex(upper)}, below its start", source, pos, WHAT)
    else:
        upper = sp.oo if trailing else run[-1]
    size = upper - lower + 1
    if size.is_Integer and size > MAX_FINITE_POINTS:
        raise Unsupported(f"a finite support of {int(size):,} points is too large: symfisher sums "
                          f"at most {MAX_FINITE_POINTS:,} points numerically", source, pos, WHAT)
    return Support("integers", lower, upper)
