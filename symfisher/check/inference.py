"""The model a text states, when it has no ``model:`` front matter.

Most published derivations name their model in the text, not in front matter:
``f(x|\\lambda) = \\lambda e^{-\\lambda x}``, ``P(X = k) = \\frac{\\lambda^k e^{-\\lambda}}{k!}``,
``X \\sim \\mathrm{Poisson}(\\lambda)``. Such a statement is read as a model only when it is
*identified* with a catalogue model: the stated density equals the catalogue density, under a renaming of
its symbols (and fixed values 0 or 1 for the catalogue parameters the text leaves out, as in N(θ, 1)), at
several points of the catalogue's domains and support. The support and the parameter domains then come from
the catalogue, where they were validated: a density that matches ``λe^{-λx}`` at every point tried is the
exponential density, and it integrates to one only on (0, ∞). A statement that matches no catalogue model
leaves the text in the abstract setting (nothing is guessed), and so does a family name whose convention is
ambiguous (Exp(β) is a rate in some books and a scale in others; Gamma(α, β) the same).

A statement holds from its line on, until the next statement: a text that works two examples (a Bernoulli,
then a Poisson) is read with each model where it applies, and the steps before the first statement are
read in the abstract setting.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

from symfisher.errors import SymfisherError
from symfisher.parse import notation as nt
from symfisher.parse.expression import name_key, parse_expression, read_name, symbol_name
from symfisher.parse.lexer import Token, tokenize

__all__ = ["StatedModel", "stated_models"]

#: The left side of a density statement: a density's name applied to the point, possibly with parameters
#: after | or ; (f(x|λ), f(x;θ), p_θ(x), f_X(x), P(X = k), \Pr(X=x), \mathbb{P}(X = x)).
_DENSITY_HEAD = re.compile(
    r"^\s*(?:f|p|g|P|\\Pr|\\(?:mathbb|mathrm|operatorname)\s*\{P\})\s*"
    r"(?:_\s*(?:\{[^{}]*\}|\\[A-Za-z]+|[A-Za-z0-9]))?"
    # p^m(x|λ), p^{\text{model}}(x|θ): a superscript naming the model (notation.MODEL_LABELS)
    r"(?:\^\s*(?:m|\{\s*(?:m|model|\\(?:text|mathrm)\s*\{\s*(?:m|model)\s*\})\s*\}))?"
    r"\s*(?:\\left\s*)?\(\s*(?P<args>.*?)\s*(?:\\right\s*)?\)\s*$")
#: The point in those arguments: x, or the right side of X = x.
_POINT = re.compile(r"^(?:[A-Z]\s*=\s*)?(?P<point>[a-z])$")
#: Where a density's right side stops and the author's conditions begin (\; x > 0, \quad x = 0, 1, …).
_CONDITION_CUTS = (r"\;", r"\quad", r"\qquad", r"\text", r"\mbox", r"\textrm", r",", r"\,", r"\mathbb{1}",
                   r"\mathbf{1}", r"\mathbb 1", r"\operatorname{I}", r"\mathrm{I}", r"\mathbb{I}", r"\mathbf{I}")

#: X ∼ family(arguments) statements whose convention is not in doubt: family -> the catalogue model and,
#: per argument position, the catalogue parameter it gives. (Exp, Gamma, Geometric and Weibull are left
#: out: books differ on rate or scale, on support from 0 or 1.)
FAMILIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "poisson": ("poisson", ("lambda",)),
    "pois": ("poisson", ("lambda",)),
    "bernoulli": ("bernoulli", ("p",)),
    "bern": ("bernoulli", ("p",)),
    "ber": ("bernoulli", ("p",)),
    "be": ("bernoulli", ("p",)),
    "binomial": ("binomial", ("n", "p")),
    "bin": ("binomial", ("n", "p")),
    "b": ("binomial", ("n", "p")),
    "n": ("normal", ("mu", "sigma^2")),
    # Exp(λ): λ is a rate in every book; Exp(β), Exp(θ) are a scale in some (not read)
    "exp": ("exponential", ("lambda",)),
    "exponential": ("exponential", ("lambda",)),
    "normal": ("normal", ("mu", "sigma^2")),
}
_SIM = re.compile(r"\\sim\s*\}?\s*(?:\\(?:mathcal|mathrm|operatorname|text|textrm|mathit)\s*\{\s*(?P<braced>[A-Za-z]+)"
                  r"\s*\}|(?P<bare>[A-Za-z]+))\s*(?:\\left\s*)?\((?P<args>[^()]*)(?:\\right\s*)?\)")

#: catalogue models a statement may be identified with: one-observation densities of one variable
_SKIP = frozenset({"linear_regression", "logistic_regression"})
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class StatedModel:
    """A model the text states, from line ``line`` on."""

    line: int
    data: dict | None           # a front matter ``model:`` mapping (density, variable, parameters, support);
    #                             None: a model the catalogue does not identify (the abstract setting from here)
    family: str                 # the catalogue model it was identified with
    statement: str              # what the author wrote

    @property
    def description(self) -> str:
        if self.data is None:
            return (f"line {self.line}: {self.statement} (not a catalogue model: the steps after it are read "
                    "without a model)")
        return f"line {self.line}: {self.statement} (the catalogue's {self.family})"


def stated_models(statements: list[tuple[int, str, str]], text: str = "", offset: int = 0) -> list[StatedModel]:
    """The models stated by ``statements`` ((line, lhs, rhs) of the text's equations) and by the text's
    ``X ∼ Family(…)``, in line order; a statement that is not identified ends the previous model's reach
    (its model is recorded as None and dropped by the caller's scoping: see :func:`scopes`). ``offset``: the
    lines before ``text`` in the file (a front matter)."""
    found: list[StatedModel] = []
    for line, lhs, rhs in statements:
        head = _DENSITY_HEAD.match(lhs)
        if head is None:
            continue
        point, given = _arguments(head.group("args"))
        if point is None:
            continue
        statement = f"{lhs.strip()} = {rhs.strip()}"
        if re.search(r"\\prod|\\sum|_\s*\{?\s*[ij]\b", rhs):
            continue                                # a sample's likelihood, not the density of one observation
        model = _identify(rhs, point, given, statement, line)
        found.append(model if model is not None and _builds(model) else StatedModel(line, None, "", statement))
    for line, family, args, variable in _sim_statements(text) + _prose_statements(text):
        model = _named(family, args, line + offset - 1, variable) if family in FAMILIES else None
        found.append(model if model is not None and _builds(model) else
                     StatedModel(line + offset - 1, None, "", f"∼ {family}({', '.join(args)})"))
    # on one line, an explicit density wins over a family name (X ∼ Bin(1, θ), f(x|θ) = θ^x (1 − θ)^{1−x})
    found.sort(key=lambda m: (m.line, not m.statement.startswith("∼")))
    return found


def _builds(model: StatedModel) -> bool:
    """Whether the model's mapping makes a model (a statement that does not is no model)."""
    from symfisher.model import build_model
    from symfisher.model.spec import spec_from_mapping
    try:
        build_model(spec_from_mapping(model.data, "stated model"), check=False)
    except (SymfisherError, ValueError, TypeError):
        return False
    return True


def _arguments(args: str) -> tuple[str | None, tuple[str, ...]]:
    """(the point, the parameter names written after | or ;) of f(x|λ, β); (None, ()) for anything else."""
    parts = re.split(r"\\mid|\||;", args, maxsplit=1)
    point = _POINT.match(parts[0].strip())
    if point is None:
        return None, ()
    given = tuple(p.strip() for p in parts[1].split(",") if p.strip()) if len(parts) == 2 else ()
    return point.group("point"), given


def _names(tokens: list[Token], source: str) -> dict[str, str]:
    """Every name a LaTeX expression writes that is not a function or a constant: key -> as written."""
    names: dict[str, str] = {}
    i = 0
    while i < len(tokens):
        try:
            name = read_name(tokens, i, "density", source)
        except SymfisherError:
            name = None
        if name is None:
            i += 1
            continue
        if name.key not in nt.FUNCTIONS and name.key not in nt.CONSTANTS and not name.key.startswith("rm:"):
            end = tokens[name.end - 1]
            names.setdefault(name.key, source[tokens[i].pos:end.pos + len(end.text)])
        i = max(name.end, i + 1)
    return names


def _readings(rhs: str, point: str):
    """The densities the right side may write (whole, then cut before each place where the author's
    conditions may begin): (expression, its symbols by key, the LaTeX read) for each prefix that reads."""
    for source in _prefixes(rhs):
        try:
            tokens = tokenize(source, "density")
            keys = _names(tokens, source)
            if point not in keys:
                continue
            declared = {key: sp.Symbol(symbol_name(key)) for key in keys}
            expr = parse_expression(source, declared, "density", tokens=tokens)
        except (SymfisherError, RecursionError, ValueError, TypeError):
            continue
        if declared[point] in expr.free_symbols and len(expr.free_symbols) >= 2:
            yield expr, declared, source


def _prefixes(rhs: str) -> list[str]:
    """The right side, then the right side cut at each place where a condition may begin (longest first)."""
    text = rhs.strip().rstrip(".,;")
    cuts = sorted({i for cut in _CONDITION_CUTS for i in _top_level(text, cut) if i > 0}, reverse=True)
    return [text] + [text[:i].rstrip().rstrip(",") for i in cuts]


def _top_level(text: str, needle: str) -> list[int]:
    """Offsets of ``needle`` in ``text`` outside braces and parentheses."""
    found, depth, i = [], 0, 0
    while i < len(text):
        ch = text[i]
        if text.startswith(needle, i) and depth == 0 and not (needle[0] == "\\" and
                                                              text[i + len(needle):i + len(needle) + 1].isalpha()):
            found.append(i)
        if ch in "{([":
            depth += 1
        elif ch in "})]":
            depth -= 1
        i += 1
    return found


@dataclass(frozen=True)
class _Catalogued:
    name: str
    density: sp.Expr
    variable: sp.Symbol
    symbols: tuple[sp.Symbol, ...]          # parameters, then constants
    parameters: int                         # how many of ``symbols`` are parameters
    sources: dict                           # symbol -> the catalogue's spelling
    domains: dict                           # symbol -> domain name
    support: str
    points: tuple[dict, ...]                # parameter points (catalogue symbols)
    at: tuple[tuple[sp.Rational, ...], ...]  # per point, values of the variable inside the support
    discrete: bool


@lru_cache(maxsize=1)
def _catalogue() -> tuple[_Catalogued, ...]:
    from symfisher.catalog import catalog
    from symfisher.model import build_model

    out = []
    for name, spec in catalog().items():
        if name in _SKIP:
            continue
        model = build_model(spec, check=False)
        points = tuple(model.sample_points(3))
        declared = (*model.parameters, *model.constants)
        out.append(_Catalogued(
            name, model.density, model.variable, tuple(d.symbol for d in declared), len(model.parameters),
            {d.symbol: d.source for d in declared}, {d.symbol: d.domain.name for d in declared},
            spec.support, points, tuple(_inside(model, point) for point in points), model.discrete))
    return tuple(out)


def _inside(model, point: dict) -> tuple[sp.Rational, ...]:
    lo, hi = (float(b.subs(point)) for b in (model.support.lower, model.support.upper))
    if model.discrete:
        first = int(lo) if math.isfinite(lo) else 0
        last = int(hi) if math.isfinite(hi) else first + 5
        return tuple(sp.Integer(k) for k in range(first, min(last, first + 4) + 1))
    if math.isfinite(lo) and math.isfinite(hi):
        return tuple(sp.Rational(round(1000 * (lo + f * (hi - lo))), 1000) for f in (0.17, 0.5, 0.83))
    if math.isfinite(lo):
        return tuple(sp.Rational(round(1000 * (lo + d)), 1000) for d in (0.31, 1.37, 2.9))
    if math.isfinite(hi):
        return tuple(sp.Rational(round(1000 * (hi - d)), 1000) for d in (0.31, 1.37, 2.9))
    return (sp.Rational(-137, 100), sp.Rational(23, 100), sp.Rational(19, 10))


#: the values a catalogue parameter may take when the text leaves it out: N(θ, 1), a unit scale, a gamma of
#: shape 2 (β² x e^{−βx}), a known number of trials
_FIXED: dict[str, tuple[sp.Expr, ...]] = {
    "real": (sp.Integer(0), sp.Integer(1)),
    "positive": (sp.Integer(1), sp.Integer(2), sp.Integer(3), sp.Rational(1, 2)),
    "positive_integer": (sp.Integer(1), sp.Integer(2), sp.Integer(3)),
}


def _identify(rhs: str, point: str, given: tuple[str, ...], statement: str, line: int) -> StatedModel | None:
    for expr, declared, source in _readings(rhs, point):
        found = _match(expr, declared, source, point, given, statement, line)
        if found is not None:
            return found
    return None


def _match(expr: sp.Expr, declared: dict, source: str, point: str, given: tuple[str, ...], statement: str,
           line: int) -> StatedModel | None:
    """The catalogue model ``expr`` is, under a renaming of its symbols, or None."""
    x = declared[point]
    others = [s for key, s in declared.items() if key != point]
    for entry in _catalogue():
        if len(others) > len(entry.symbols):
            continue
        for chosen in itertools.permutations(entry.symbols, len(others)):
            left = [s for s in entry.symbols if s not in chosen]
            if any(entry.domains[s] not in _FIXED for s in left) or not any(
                    entry.symbols.index(s) < entry.parameters for s in chosen):
                continue
            for values in itertools.product(*(_FIXED[entry.domains[s]] for s in left)):
                fixed = dict(zip(left, values))
                if _agrees(expr, x, dict(zip(others, chosen)), entry, fixed):
                    return _stated(entry, declared, point, dict(zip(others, chosen)), fixed, given, source,
                                   statement, line)
    return None


def _agrees(expr: sp.Expr, x: sp.Symbol, renaming: dict, entry: _Catalogued, fixed: dict) -> bool:
    """Whether the text's density equals the catalogue's under ``renaming`` (text symbol -> catalogue
    symbol) and ``fixed`` values, at every test point (all finite, not all zero)."""
    compared = 0
    for point, values in zip(entry.points, entry.at):
        point = {**point, **fixed}
        if any(entry.domains[s] == "positive" and v <= 0 for s, v in fixed.items()):
            return False
        for at in values:
            try:
                want = complex(sp.N(entry.density.subs({**point, entry.variable: at}), 20))
                got = complex(sp.N(expr.subs({**{t: point[c] for t, c in renaming.items()}, x: at}), 20))
            except (TypeError, ValueError, ZeroDivisionError, OverflowError):
                return False
            if not (math.isfinite(want.real) and math.isfinite(got.real)) or abs(got.imag) > 1e-12:
                return False
            if abs(got - want) > _TOLERANCE * max(1.0, abs(want)):
                return False
            compared += want != 0
    return compared >= 3


def _stated(entry: _Catalogued, declared: dict, point: str, renaming: dict, fixed: dict,
            given: tuple[str, ...], source: str, statement: str, line: int) -> StatedModel:
    """The front matter mapping of the identified model, in the author's names."""
    spelled = {s: _spelling(key) for key, s in declared.items()}
    back = {c: t for t, c in renaming.items()}
    given_keys = set()
    for name in given:
        try:
            given_keys.add(name_key(re.sub(r"\^\s*(?:2|\{2\})$", "", name.strip())))      # f(x; μ, σ²): σ is given
        except SymfisherError:
            pass
    parameters, constants = [], []
    for t, c in sorted(renaming.items(), key=lambda tc: entry.symbols.index(tc[1])):
        is_parameter = entry.symbols.index(c) < entry.parameters
        if given_keys and any(k == _symbol_key(declared, t) for k in given_keys):
            is_parameter = True
        elif given_keys:
            is_parameter = False                # f(x | λ): the others are known constants
        (parameters if is_parameter else constants).append(f"{spelled[t]}: {entry.domains[c]}")
    if not parameters:                          # f(x | n) of a binomial: nothing to differentiate by
        parameters, constants = constants, []
    support = _rename(entry.support, {entry.sources[c]: spelled[t] for c, t in back.items()},
                      {entry.sources[c]: sp.latex(v) for c, v in fixed.items()})
    data = {"density": source, "variable": _spelling(point), "parameters": parameters, "support": support}
    if constants:
        data["constants"] = constants
    return StatedModel(line, data, entry.name, statement)


def _symbol_key(declared: dict, symbol: sp.Symbol) -> str:
    return next(key for key, s in declared.items() if s == symbol)


def _spelling(key: str) -> str:
    """LaTeX for a canonical name key (lambda -> \\lambda, x_m -> x_{m})."""
    base, _, sub = key.partition("_")
    base = "\\" + base if base in nt.GREEK else base
    return f"{base}_{{{sub}}}" if sub else base


def _rename(latex: str, names: dict[str, str], values: dict[str, str]) -> str:
    """``latex`` with the catalogue's names replaced by the author's (or by fixed values)."""
    tokens = tokenize(latex, "support")
    out, last, i = [], 0, 0
    while i < len(tokens):
        name = read_name(tokens, i, "support", latex)
        if name is None:
            i += 1
            continue
        end = tokens[name.end - 1]
        written = latex[tokens[i].pos:end.pos + len(end.text)]
        key_spelling = _spelling(name.key)
        new = names.get(written, names.get(key_spelling, values.get(written, values.get(key_spelling))))
        if new is not None:
            out.append(latex[last:tokens[i].pos])
            out.append(f"{{{new}}}" if new in values.values() and not new.isdigit() else new)
            last = end.pos + len(end.text)
        i = max(name.end, i + 1)
    out.append(latex[last:])
    return "".join(out)


#: the random variable before ∼ (X, X_i, Y_1, …, Y_n): a one-letter name, not a subscript or a command's letter
_VARIABLE = re.compile(r"(?<![\\A-Za-z_^])([A-Za-z])(?:_\s*(?:\{[^{}]*\}|\w))?\s*"
                       r"(?:\\(?:stackrel|overset)\s*\{(?:[^{}]|\{[^{}]*\})*\}\s*\{)?\s*$")


def _sim_statements(text: str) -> list[tuple[int, str, list[str], str]]:
    """(line, family, arguments) of every ``X ∼ Family(a, b)`` in the text's mathematics."""
    out = []
    for match in _SIM.finditer(text):
        family = (match.group("braced") or match.group("bare")).lower()
        before = _VARIABLE.findall(text[max(0, match.start() - 60):match.start()])   # X ∼, X_i ∼, not X^n ∼
        if before:
            line = text.count("\n", 0, match.start()) + 1
            out.append((line, family, [a.strip() for a in match.group("args").split(",")], before[-1].lower()))
    return out


#: "drawn from a Poisson distribution with true parameter $\lambda$": a one-parameter family named in prose
_PROSE = re.compile(r"\b(?:an?|the)\s+(?P<family>Bernoulli|Poisson|exponential)\s+distribution\s+with\s+"
                    r"(?:true\s+|unknown\s+)?(?:parameter|mean|rate|success\s+probability)\s+"
                    r"\$\s*(?P<arg>[^$]{1,20}?)\s*\$", re.IGNORECASE)
#: the sample the sentence draws: $X_1, \ldots, X_n$, $X$
_PROSE_VARIABLE = re.compile(r"\$\s*([A-Z])(?:_|\s*\$)")


def _prose_statements(text: str) -> list[tuple[int, str, list[str], str]]:
    """(line, family, [argument], variable) of each one-parameter family the prose names with its parameter.
    A parameter written with a subscript 0 (a true value, p₀) is the parameter p when the text writes p too."""
    out = []
    for match in _PROSE.finditer(text):
        arg = match.group("arg").strip()
        base = re.fullmatch(r"(\\?[A-Za-z]+)_\{?0\}?", arg)
        if base and re.search(rf"(?<![A-Za-z\\]){re.escape(base.group(1))}(?![A-Za-z_])", text[match.end():]):
            arg = base.group(1)
        start = text.rfind(".", 0, match.start()) + 1
        variable = _PROSE_VARIABLE.findall(text[start:match.start()])
        line = text.count("\n", 0, match.start()) + 1
        out.append((line, match.group("family").lower(), [arg], variable[-1].lower() if variable else "x"))
    return out


def _named(family: str, args: list[str], line: int, variable: str) -> StatedModel | None:
    """The catalogue model a ``X ∼ Poisson(λ)`` names, in the author's parameter names."""
    name, slots = FAMILIES[family]
    if len(args) != len(slots) or (name == "exponential" and args != ["\\lambda"]):
        return None
    entry = next(e for e in _catalogue() if e.name == name)
    by_source = {name_key(entry.sources[s]): s for s in entry.symbols}
    renaming: dict[str, str] = {}
    fixed: dict[str, str] = {}
    for slot, arg in zip(slots, args):
        key, _, power = slot.partition("^")
        try:
            tokens = [t for t in tokenize(arg, "density") if t.kind != "space"]
            written = read_name(tokens, 0, "density", arg) if tokens else None
        except SymfisherError:
            return None
        if written is None:
            if arg == "1" or (not power and re.fullmatch(r"\d+", arg)):     # N(θ, 1): σ² = 1 = σ
                fixed[key] = arg
                continue
            return None
        rest = arg[tokens[written.end - 1].pos + len(tokens[written.end - 1].text):].strip()
        if power and rest.replace(" ", "") not in ("^2", "^{2}"):
            return None                         # N(μ, v): a variance parameter, not σ
        if not power and rest:
            return None
        if written.key in nt.FUNCTIONS or written.key in nt.CONSTANTS:
            return None
        renaming[key] = _spelling(written.key)
    if not any(entry.symbols.index(by_source[k]) < entry.parameters for k in renaming):
        return None
    density = _rename(entry_density(name), {entry.sources[by_source[k]]: v for k, v in renaming.items()},
                      {entry.sources[by_source[k]]: v for k, v in fixed.items()})
    support = _rename(entry.support, {entry.sources[by_source[k]]: v for k, v in renaming.items()},
                      {entry.sources[by_source[k]]: v for k, v in fixed.items()})
    parameters = [f"{renaming[k]}: {entry.domains[by_source[k]]}" for k in renaming
                  if entry.symbols.index(by_source[k]) < entry.parameters]
    constants = [f"{renaming[k]}: {entry.domains[by_source[k]]}" for k in renaming
                 if entry.symbols.index(by_source[k]) >= entry.parameters]
    density = _rename(density, {"x": variable}, {})
    data = {"density": density, "variable": variable, "parameters": parameters, "support": support}
    if constants:
        data["constants"] = constants
    return StatedModel(line, data, name, f"∼ {family}({', '.join(args)})")


def entry_density(name: str) -> str:
    from symfisher.catalog import catalog
    return catalog()[name].density


#: inline mathematics: $…$ (not $$), \(…\)
_INLINE = re.compile(r"(?<![$\\])\$(?!\$)(?P<a>[^$]+?)(?<!\\)\$|\\\((?P<b>.+?)\\\)", re.DOTALL)


def inline_equations(body: str) -> list[tuple[int, str, str]]:
    """(line, lhs, rhs) of every equation written in inline math ($f(x|λ) = λe^{-λx}$), where authors often
    state their model."""
    out = []
    for match in _INLINE.finditer(body):
        math_text = match.group("a") or match.group("b") or ""
        parts = _split_equals(math_text)
        line = body.count("\n", 0, match.start()) + 1
        out.extend((line, left, right) for left, right in zip(parts, parts[1:]))
    return out


def _split_equals(text: str) -> list[str]:
    """``text`` split at its top-level ``=`` signs."""
    cuts = [i for i in _top_level(text, "=") if text[i - 1:i] not in "<>!\\" and text[i + 1:i + 2] != "="]
    bounds = [-1, *cuts, len(text)]
    return [text[a + 1:b] for a, b in zip(bounds, bounds[1:])]


#: the parameters a density, likelihood or log-likelihood is written at: f(x|β), p(x; λ), L(λ | x), ℓ(β)
_CONDITIONED = re.compile(r"(?<![A-Za-z\\])(?:f|p|g|P|L|l|\\ell|\\mathcal\s*\{?L\}?)\s*(?:_\s*(?:\{[^{}]*\}|\\?\w+))?"
                          r"\s*(?:\\left\s*)?\(\s*(?:[^()|;]*?(?:\||\\mid|;)\s*)?(?P<given>[^()|;]*?)\s*(?:\\right\s*)?\)")
_LETTER = re.compile(r"^(?:\\(?P<greek>[A-Za-z]+)|(?P<latin>[a-z]))$")


def text_parameter(text: str) -> str | None:
    """The one scalar parameter a text without a model writes, when it is not θ: the letter in every
    f(x|β), p(x; λ), L(λ), ℓ(β) it writes (β, λ); None when it writes θ, several letters, or none."""
    if re.search(r"\\(?:theta|vartheta|boldsymbol|mathbf|bm)\b|\\nabla", text):
        return None
    letters = set()
    for match in _CONDITIONED.finditer(text):
        given = match.group("given").strip()
        if not given:
            continue
        for item in given.split(","):
            item = item.strip()
            name = _LETTER.match(item)
            if name is None:
                continue
            letter = name.group("greek") or name.group("latin")
            if name.group("greek") and letter not in nt.GREEK:
                continue
            if letter in ("x", "y", "z", "t", "k", "n", "i", "X", "Y", "p", "pi", "infty"):
                continue
            letters.add(item)
    return letters.pop() if len(letters) == 1 else None


def scopes(models: list[StatedModel], lines: list[int]) -> list[StatedModel | None]:
    """For each step line, the stated model in force there (the last one stated on or before it)."""
    out = []
    for line in lines:
        current = None
        for model in models:
            if model.line <= line:
                current = model
        out.append(current)
    return out
