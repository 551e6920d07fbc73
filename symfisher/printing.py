"""LaTeX of SymPy expressions in the notation of statistics texts.

Trigamma prints as ψ′(·), digamma as ψ(·), Euler's constant as γ (γ_E when a
model symbol is already called γ), and every derivative as ∂. Used for JSON output and documents alike.
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.latex import LatexPrinter


class StatsLatexPrinter(LatexPrinter):
    """SymPy's LaTeX printer with the statistics conventions above."""

    def __init__(self, settings: dict | None = None, euler: str = r"\gamma") -> None:
        super().__init__(settings or {})
        self._euler = euler

    def _print_Derivative(self, expr):
        # derivatives in θ are partial even where the term happens to depend on one symbol
        # (the setting also prints the d of integrals, so it is set only while printing this)
        saved = self._settings["diff_operator_latex"]
        self._settings["diff_operator_latex"] = r"\partial"
        try:
            return super()._print_Derivative(expr)
        finally:
            self._settings["diff_operator_latex"] = saved

    def _print_polygamma(self, expr, exp=None):
        n, z = expr.args
        name = {0: r"\psi", 1: r"\psi'", 2: r"\psi''"}.get(int(n)) if n.is_Integer else None
        if name is None:
            return super()._print_polygamma(expr, exp)
        out = rf"{name}\left({self._print(z)}\right)"
        return rf"{out}^{{{exp}}}" if exp else out

    def _print_digamma(self, expr, exp=None):
        out = rf"\psi\left({self._print(expr.args[0])}\right)"
        return rf"{out}^{{{exp}}}" if exp else out

    def _print_EulerGamma(self, expr):
        return self._euler


def latex(expr: sp.Basic, symbols: set[sp.Symbol] | None = None) -> str:
    """LaTeX of ``expr``; ``symbols`` are the model's, to avoid printing γ for two things."""
    clash = any(s.name == "gamma" for s in (symbols or expr.free_symbols))
    return StatsLatexPrinter(euler=r"\gamma_E" if clash else r"\gamma").doprint(expr)


def expression_json(expr: sp.Basic, symbols: set[sp.Symbol] | None = None) -> dict[str, str]:
    """The JSON form of an expression: ``{"latex", "srepr"}``."""
    return {"latex": latex(expr, symbols), "srepr": sp.srepr(expr)}
