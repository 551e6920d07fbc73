"""How large a number would be, estimated before SymPy builds it.

SymPy evaluates a power, factorial or Γ of integers exactly the moment it is
built: ``10^{10^{10}}``, ``(10^{8})!`` or ``2^{2^{40}}`` in a density or a proof
would take minutes and gigabytes before anything could stop them. Both readers
(the density parser and the proof reader) ask :func:`too_large` before they
build a node from its already-built arguments; it answers from logarithms, in
floats, without computing the number, and names the problem when the result
would have more than :data:`MAX_DIGITS` digits.

A power of an expression with symbols is not a number, but an integer exponent
in the millions makes SymPy's polynomial algebra expand it into that many terms
(``1 - p^{1000000001}`` divided by ``1 - p``): such exponents are refused too,
beyond :data:`MAX_EXPONENT`.
"""

from __future__ import annotations

import math
from typing import Callable

import sympy as sp

#: Digits a number in a model or a proof may have (floats end at about 10^308; an exact
#: integer far past it is a typo or an attack, and past 4300 digits Python will not even print it).
MAX_DIGITS = 1000
#: Largest integer exponent on an expression with symbols (a polynomial of this degree is still cheap).
MAX_EXPONENT = 10_000

_LOG10_E = math.log10(math.e)


def _value(log10: float, sign: float = 1.0) -> float:
    """10^log10 with a sign, as a float (±inf past the float range)."""
    try:
        return sign * 10.0 ** log10
    except OverflowError:
        return sign * math.inf


def _sign(expr: sp.Expr) -> float:
    return -1.0 if expr.is_negative else 1.0


def log10_size(expr: sp.Basic) -> float:
    """An estimate of log10 |expr| for a number expression (0 for anything it cannot size).

    Exact for integers and rationals (from their bit lengths), Stirling for factorials
    and Γ, and sums of logarithms for products and powers: good to a few percent,
    which is all a limit of :data:`MAX_DIGITS` digits needs.
    """
    if isinstance(expr, sp.Integer):
        return _integer_log10(int(expr))
    if isinstance(expr, sp.Rational):
        return _integer_log10(int(expr.p)) - _integer_log10(int(expr.q))
    if isinstance(expr, (sp.Float, sp.NumberSymbol)):
        value = abs(float(expr))
        return math.log10(value) if value > 0 else 0.0
    if expr.free_symbols or not expr.args:
        return 0.0
    rule = _SIZES.get(expr.func)
    return rule(expr.args) if rule is not None else 0.0


def _integer_log10(n: int) -> float:
    n = abs(n)
    if n == 0:
        return 0.0
    bits = n.bit_length()
    if bits < 1000:
        return math.log10(n)
    return (bits - 53) * math.log10(2) + math.log10(n >> (bits - 53))


def _number(expr: sp.Basic) -> float:
    """The value of a number expression as a float (±inf when huge), from its size."""
    if isinstance(expr, (sp.Integer, sp.Float)) and abs(log10_size(expr)) < 300:
        return float(expr)
    return _value(log10_size(expr), _sign(expr))


def _power_size(args) -> float:
    base, exponent = args
    if not (base.is_number and exponent.is_number):
        return 0.0
    return _number(exponent) * log10_size(base) if log10_size(base) else 0.0


def _exp_size(args) -> float:
    return _number(args[0]) * _LOG10_E if args[0].is_number and args[0].is_real else 0.0


def _stirling(z: float) -> float:
    """log10 Γ(z + 1) for z ≥ 0, by Stirling (exact enough for a size limit)."""
    if not math.isfinite(z):
        return math.inf
    if z < 2:
        return 0.0
    return (z * math.log(z) - z + 0.5 * math.log(2 * math.pi * z)) / math.log(10)


def _factorial_size(args) -> float:
    return _stirling(_number(args[0])) if args[0].is_number and args[0].is_real else 0.0


def _gamma_size(args) -> float:
    return _stirling(_number(args[0]) - 1) if args[0].is_number and args[0].is_real else 0.0


def _binomial_size(args) -> float:
    n = args[0]
    return _number(n) * math.log10(2) if n.is_number and n.is_real and _number(n) > 0 else 0.0


def _product_size(args) -> float:
    return sum(log10_size(a) for a in args)


def _sum_size(args) -> float:
    return max((log10_size(a) for a in args), default=0.0) + math.log10(max(1, len(args)))


#: How big f(args) is, per SymPy function: the table both readers consult.
_SIZES: dict[type, Callable[[tuple], float]] = {
    sp.Pow: _power_size,
    sp.exp: _exp_size,
    sp.factorial: _factorial_size,
    sp.gamma: _gamma_size,
    sp.binomial: _binomial_size,
    sp.Mul: _product_size,
    sp.Add: _sum_size,
}


def _shown(log10: float) -> str:
    if not math.isfinite(log10):
        return "beyond any float"
    if log10 < 1e6:
        return f"about 10^{log10:,.0f}"
    return f"about 10^(10^{math.log10(log10):.3g})"


def too_large(func: type, args: tuple) -> str | None:
    """Why ``func(*args)`` must not be built, or None when it is small enough.

    Args:
        func: the SymPy class about to be applied (Pow, factorial, gamma, exp, Mul, …).
        args: its arguments, already built (and so already within the limits).

    Returns:
        A one-line reason naming the size, for the reader's error message.
    """
    if func is sp.Pow and len(args) == 2:
        base, exponent = args
        # ((1+x)^{10^4})^{10^4} becomes (1+x)^{10^8} as it is built: count the inner exponents too
        powers = base.as_powers_dict() if isinstance(base, sp.Expr) else {}
        inner = max((abs(int(k)) for k in powers.values() if k.is_Integer), default=1)
        if base.free_symbols and exponent.is_Integer and abs(int(exponent)) * max(inner, 1) > MAX_EXPONENT:
            return (f"the exponent {abs(int(exponent)) * max(inner, 1)} is too large (at most {MAX_EXPONENT:,}): "
                    "SymPy would expand the power into that many terms")
    rule = _SIZES.get(func)
    if rule is None or not all(getattr(a, "is_number", False) for a in args):
        return None
    if func in (sp.Mul, sp.Add) and not any(a.is_Integer or a.is_Rational for a in args):
        # a product of unevaluated powers stays unevaluated: only numbers that merge are built
        return None
    size = rule(tuple(args))
    if math.isnan(size) or abs(size) <= MAX_DIGITS:
        return None
    return (f"this number is too large to compute ({_shown(abs(size))}; symfisher keeps numbers below "
            f"10^{MAX_DIGITS})" if size > 0 else
            f"this number is too small to compute ({_shown(abs(size))} in the denominator; symfisher keeps "
            f"numbers above 10^-{MAX_DIGITS})")
