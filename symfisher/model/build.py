"""Build a validated :class:`Model` from a :class:`ModelSpec`.

Declarations first (names, domains, duplicates; no parameter ranges over the
integers, since θ is differentiated), then the support, then the density, then
the checks a statistician would make before trusting a model: every declared
symbol is used, the density is real and non-negative on the support (sampled)
and it integrates or sums to one (symbolically within a time budget where SymPy
manages, numerically always: at random points and near the edges of the domains).

A model is refused only on evidence: a point inside the declared domains where
the total is not 1 by two computations that agree (two quadratures cut
differently, or SymPy's total and a quadrature).
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from symfisher import budget, integrals, numeric
from symfisher.conditions import conjunction, decide
from symfisher.diagnostics import Diagnostic
from symfisher.errors import LocatedError, ModelError
from symfisher.model.domains import DOMAINS
from symfisher.model.model import Declared, Model, Reparametrization
from symfisher.model.spec import ModelSpec
from symfisher.parse import Support, name_key, parse_expression, parse_support, symbol_name

NORMALIZATION_TOLERANCE = 1e-6
NEGATIVE_TOLERANCE = -1e-12
#: Edge values per declared symbol probed by quadrature on every model (cheap: the moderate ones);
#: a symbolic total that is not 1 is searched at all of them.
NUMERIC_EDGES = 4
#: Below this a total says the quadrature saw no mass (it looked in the wrong place), not that there is none.
NO_MASS = 1e-9
#: Where the second quadrature cuts a continuous support: these distances from each finite end.
#: The declarations that θ is made of: each is differentiated, so none may range over the integers.
DIFFERENTIATED = ("parameter", "new parameter")


def _declare(pairs: tuple[tuple[str, str], ...], kind: str, seen: dict[str, str]) -> list[Declared]:
    out = []
    for source, domain_name in pairs:
        key = name_key(source, f"{kind} name")
        if key in seen:
            again = f"again as a {kind}" if seen[key] != kind else f"twice as a {kind}"
            raise ModelError(f"{source} is declared {again}" +
                             (f" (it is already {seen[key]})" if seen[key] != kind else ""))
        if domain_name not in DOMAINS:
            raise ModelError(f"unknown domain {domain_name!r} for {source}; the domains are "
                             f"{', '.join(DOMAINS)}")
        seen[key] = kind
        domain = DOMAINS[domain_name]
        if domain.integer and kind in DIFFERENTIATED:
            raise ModelError(f"the {kind} {source} has an integer domain ({domain_name}): the score and Fisher "
                             f"information differentiate in θ, so {source} must be a constant (--const) or take "
                             "a continuous domain")
        out.append(Declared(domain.symbol(symbol_name(key)), domain, source))
    return out


def _variable_symbol(name: str, support: Support) -> sp.Symbol:
    """The variable with the assumptions its support implies."""
    lower = support.lower
    assumptions: dict[str, bool] = {"integer": True} if support.discrete else {"real": True}
    open_left = not (support.left_closed or support.discrete)
    if lower.is_positive or (lower.is_zero and open_left):
        assumptions["positive"] = True
    elif lower.is_nonnegative:
        assumptions["nonnegative"] = True
    return sp.Symbol(name, **dict(sorted(assumptions.items())))


def _reparametrization(spec: ModelSpec, parameters: list[Declared], seen: dict[str, str],
                       declared: dict[str, sp.Symbol]) -> Reparametrization | None:
    """θ = h(η): the new parameters declared, each old one parsed in terms of them.

    Raises:
        ModelError: an old parameter missing or unknown; ParseError: unreadable LaTeX.
    """
    if spec.reparametrization is None:
        return None
    new_pairs, mapping = spec.reparametrization
    # a new parameter may keep an old one's name (μ stays μ); it must not be the variable or a constant
    new = _declare(new_pairs, "new parameter", {k: v for k, v in seen.items() if v != "parameter"})
    if not new:
        raise ModelError("the reparametrization declares no new parameters")
    names = {name_key(old, "parameter name"): text for old, text in mapping}
    missing = [p.source for p in parameters if name_key(p.source) not in names]
    unknown = [k for k in names if k not in {name_key(p.source) for p in parameters}]
    if missing or unknown:
        raise ModelError("the reparametrization must write every parameter in the new ones: "
                         + (f"missing {', '.join(missing)}" if missing else f"{unknown[0]} is not a parameter"))
    scope = {**{k: v for k, v in declared.items() if v not in {p.symbol for p in parameters}},
             **{name_key(d.source): d.symbol for d in new}}
    theta = tuple(parse_expression(names[name_key(p.source)], scope, f"reparametrization of {p.source}")
                  for p in parameters)
    return Reparametrization(tuple(new), theta)


def build_model(spec: ModelSpec, *, check: bool = True, symbolic_seconds: float | None = None) -> Model:
    """Validate a declared model.

    Args:
        spec: the declarations.
        check: run the numeric sign and normalization checks.
        symbolic_seconds: budget for the symbolic normalization (None: default).

    Raises:
        ParseError: unreadable LaTeX in the density, support or a name.
        ModelError: the declarations or the density do not make a model.
    """
    seen: dict[str, str] = {}
    var_key = name_key(spec.variable, "variable name")
    seen[var_key] = "the variable"
    parameters = _declare(spec.parameters, "parameter", seen)
    constants = _declare(spec.constants, "constant", seen)
    if not parameters:
        raise ModelError("no parameters declared: a Fisher matrix needs at least one (--param)")
    declared = {name_key(d.source): d.symbol for d in (*parameters, *constants)}

    # The support may not mention the variable; parse it with x declared to say so clearly.
    probe = {**declared, var_key: sp.Symbol(symbol_name(var_key))}
    support = parse_support(spec.support, probe)
    if probe[var_key] in support.free_symbols:
        raise ModelError(f"the support {spec.support} mentions the variable {spec.variable}")
    variable = _variable_symbol(symbol_name(var_key), support)

    density = parse_expression(spec.density, {**declared, var_key: variable}, "density", allow_lhs=True)
    diagnostics: list[Diagnostic] = []
    if density.is_zero:
        raise ModelError("the density is identically zero")
    if variable not in density.free_symbols and not support.free_symbols & {p.symbol for p in parameters}:
        # (a density free of x is fine only on a support that moves with θ, as for uniform(0, θ))
        raise ModelError(f"the variable {spec.variable} does not occur in the density")
    used = density.free_symbols | support.free_symbols
    for p in parameters:
        if p.symbol not in used:
            raise ModelError(f"the parameter {p.source} does not occur in the density")
    for c in constants:
        if c.symbol not in used:
            diagnostics.append(Diagnostic("unused-constant", f"the constant {c.source} does not occur "
                                                             "in the model"))
    depends = sorted((d.source for d in parameters if d.symbol in support.free_symbols))
    if depends:
        diagnostics.append(Diagnostic(
            "support-depends-on-parameter",
            f"the support {support.latex()} depends on {', '.join(depends)}: the regularity "
            "condition (differentiating under the integral sign) fails"))
    reparametrization = _reparametrization(spec, parameters, seen, declared)
    model = Model(density=density, variable=variable, parameters=tuple(parameters),
                  constants=tuple(constants), support=support, density_source=spec.density,
                  support_source=spec.support, title=spec.title, title_zh=spec.title_zh,
                  description=spec.description,
                  tags=spec.tags, diagnostics=tuple(diagnostics), reparametrization=reparametrization)
    if not check:
        return model
    points = model.sample_points(3)
    check_sign(model, points)
    check_normalization_numeric(model, points)
    # Random points sit mid-domain, where a support that cuts off mass can look fine
    # (1 - e^{-10λ} at λ ≈ 1) and 1 + θ(x - 1/2)/10 is positive: probe near the domains' edges too.
    edges = model.edge_points(points[0], NUMERIC_EDGES)
    check_sign(model, edges, edges=True)
    check_normalization_numeric(model, edges, edges=True)
    symbolic = _symbolic_total(model, budget.default_seconds() if symbolic_seconds is None
                               else symbolic_seconds)
    # SymPy's word counts only when it is exactly 1; any other closed form is searched
    # for a point where it is not 1, and quadrature must confirm it there before we refuse.
    # Without a confirmed witness (an unevaluated integral, a Piecewise, a wrong value)
    # the numeric verdict stands.
    if symbolic is not None and symbolic != 1:
        refute_with_total(model, symbolic, points + model.edge_points(points[0]))
    status = "symbolic" if symbolic == 1 else "numeric"
    if status == "numeric":
        diagnostics.append(Diagnostic("normalization-numeric",
                                      "the density sums to one numerically at random parameter points; "
                                      "SymPy did not confirm it symbolically within its time budget"
                                      if model.discrete else
                                      "the density integrates to one numerically at random parameter "
                                      "points; SymPy did not confirm it symbolically within its time budget"))
    return Model(**{**model.__dict__, "diagnostics": tuple(diagnostics), "normalization": status})


def _describe_point(point: dict[sp.Symbol, sp.Expr]) -> str:
    return ", ".join(f"{s.name} = {v}" for s, v in sorted(point.items(), key=lambda kv: kv[0].name))


def check_sign(model: Model, points: list[dict[sp.Symbol, sp.Expr]], edges: bool = False) -> None:
    """The density must be real and non-negative on the support (probed at sample points).

    Args:
        edges: the points are near the domains' edges, where values can be huge: there a
            negative value must exceed rounding relative to the largest value seen.

    Raises:
        ModelError: naming the point and the value found.
    """
    x = model.variable
    for point in points:
        f = numeric.function_of(model.density, x, point)
        ts = numeric.support_samples(model.support, point)
        with np.errstate(all="ignore"):
            values = np.asarray(f(ts), dtype=complex)
            finite = np.abs(values[np.isfinite(values)])
        scale = max(1.0, float(finite.max())) if edges and finite.size else 1.0
        for t, value in zip(ts, values):
            if np.isnan(value) and not _real_at(f, t):
                raise ModelError(f"the density is not real at {x.name} = {t:.6g} "
                                 f"({_describe_point(point)}); is the support right?")
            if not np.isfinite(value):
                continue   # a pole or an endpoint singularity is not a sign error
            if value.real < NEGATIVE_TOLERANCE * scale:
                raise ModelError(f"the density is negative at {x.name} = {t:.6g} "
                                 f"({_describe_point(point)}): value {value.real:.6g}")


def _real_at(f, t: float) -> bool:
    """False when f is genuinely complex at t (NaN in floats, non-real in complex numbers)."""
    try:
        with np.errstate(all="ignore"):
            value = complex(np.asarray(f(np.array([complex(t)])))[0])
    except (ValueError, TypeError):
        return True
    return not (np.isfinite(value) and abs(value.imag) > 1e-9 * max(1.0, abs(value)))


def check_normalization_numeric(model: Model, points: list[dict[sp.Symbol, sp.Expr]],
                                edges: bool = False) -> list[float]:
    """The density must integrate (or sum) to one at each sample point.

    Args:
        edges: the points are near the domains' edges, where quadrature may fail or miss
            far-away mass: there a failure or a total of about 0 is no evidence, and is skipped.

    Raises:
        ModelError: reporting the total found and where.
    """
    verb = "sums" if model.discrete else "integrates"
    totals = []
    for point in points:
        try:
            total = numeric.expectation(sp.S.One, model.density, model.variable, model.support, point)
        except (ArithmeticError, ValueError) as exc:
            if edges:
                continue
            if not isinstance(exc, ArithmeticError):
                raise
            raise ModelError(f"the density cannot be normalized ({_describe_point(point)}): {exc}") from None
        if edges and not (np.isfinite(total) and abs(total) > NO_MASS):
            continue
        if not np.isfinite(total) or abs(total.imag) > NORMALIZATION_TOLERANCE:
            raise ModelError(f"the density {verb} to {total:.8g} over the support "
                             f"({_describe_point(point)}), not to 1")
        if abs(total - 1) > NORMALIZATION_TOLERANCE:
            if not _confirmed(model, point, total):
                continue           # two quadratures disagree: no evidence either way at this point
            if edges and _component_out_of_reach(model, point):
                continue           # a mixture's component has its mass where quadrature does not look
            raise ModelError(f"the density {verb} to {total.real:.8g}, not 1, over the "
                             f"support ({_describe_point(point)})")
        totals.append(total.real)
    return totals


def _component_out_of_reach(model: Model, point: dict[sp.Symbol, sp.Expr]) -> bool:
    """Whether a term of a sum density (a mixture) shows no mass at ``point``, or none that can be computed.

    At an edge point a component can put its mass where quadrature and truncated sums do not reach (a
    geometric with p ≈ e^{-100}, a log-normal at e^{-100}): the total is then the other terms' weight, a
    value that looks like a refutation. As a whole density with a total of about 0 there, it is no evidence.
    """
    terms = sp.Add.make_args(sp.expand(model.density, deep=False, power_base=False, power_exp=False,
                                       log=False, multinomial=False, basic=False))
    if len(terms) < 2:
        return False
    for term in terms:
        try:
            mass = numeric.expectation(sp.S.One, term, model.variable, model.support, point)
        except (ArithmeticError, ValueError, TypeError):
            return True
        if not (np.isfinite(mass) and abs(mass) > NO_MASS):
            return True
    return False


def _confirmed(model: Model, point: dict[sp.Symbol, sp.Expr], total: complex) -> bool:
    """A total other than 1 is evidence only when a second quadrature finds it too (see
    :func:`symfisher.numeric.second_opinion`). A sum has no second method here and stands as found."""
    if model.discrete:
        return True
    second = numeric.second_opinion(sp.S.One, model.density, model.variable, model.support, point)
    return bool(np.isfinite(second) and abs(second - total) <= NORMALIZATION_TOLERANCE * max(1.0, abs(total)))


def refute_with_total(model: Model, total: sp.Expr, points: list[dict[sp.Symbol, sp.Expr]]) -> None:
    """Refuse the model where SymPy's total is not 1 and quadrature agrees with it.

    SymPy's total alone is no evidence (it may hold only on part of the domains, or be
    wrong); a point where it differs from 1 and the independent numeric total matches it
    is. The numeric total is what the message reports.

    Raises:
        ModelError: naming the first confirmed point and the total there.
    """
    declared = {d.symbol for d in model.declared}
    if total.has(sp.Integral, sp.Sum) or not total.free_symbols <= declared:
        return
    verb = "sums" if model.discrete else "integrates"
    for point in points:
        try:
            claimed = numeric.evaluate(total, point)
        except (ArithmeticError, ValueError, TypeError, NameError):   # SymPy's total cannot be evaluated here
            continue
        if not np.isfinite(claimed) or abs(claimed - 1) <= NORMALIZATION_TOLERANCE:
            continue
        try:
            found = numeric.expectation(sp.S.One, model.density, model.variable, model.support, point)
        except (ArithmeticError, ValueError):
            continue
        if (np.isfinite(found) and abs(found.imag) <= NORMALIZATION_TOLERANCE
                and abs(found - 1) > NORMALIZATION_TOLERANCE
                and abs(found - claimed) <= NORMALIZATION_TOLERANCE * max(1.0, abs(claimed))
                and not _component_out_of_reach(model, point)):
            raise ModelError(f"the density {verb} to {found.real:.8g}, not 1, over the "
                             f"support ({_describe_point(point)})")


def _total(density: sp.Expr, x: sp.Symbol, support: Support, units: tuple[sp.Symbol, ...] = ()) -> sp.Expr:
    if support.values is not None:
        return sp.simplify(sum(density.subs(x, v) for v in support.values))
    table = integrals.closed_form(density.rewrite(sp.gamma) if density.has(sp.beta) else density,
                                  x, support.lower, support.upper, support.discrete)
    if (table is not None and decide(conjunction(table.conditions, units), units) is True
            and sp.simplify(sp.gammasimp(table.value)) == 1):
        return sp.S.One
    if support.discrete:
        total = sp.summation(density, (x, support.lower, support.upper))
    else:
        total = sp.integrate(density, (x, support.lower, support.upper), conds="none")
    return sp.simplify(total)


def _symbolic_total(model: Model, seconds: float) -> sp.Expr | None:
    """∫ p dx or Σ p, symbolically, or None when SymPy gives no answer in time."""
    try:
        units = tuple(d.symbol for d in model.declared if d.domain.name == "unit")
        return budget.run_or_none(_total, model.density, model.variable, model.support, units,
                                  seconds=seconds, label="normalization")
    except (LocatedError, ValueError, TypeError, NotImplementedError, RecursionError,
            AttributeError, ZeroDivisionError):
        return None
