"""Stage 1, parse: LaTeX text -> SymPy expressions and supports.

``parse_expression`` reads a density or a bound; ``parse_support`` reads an
interval or an integer set; ``name_key`` reads a declared name. The notation
tables live in :mod:`symfisher.parse.notation`.
"""

from symfisher.parse.expression import name_key, parse_expression, symbol_name
from symfisher.parse.support import Support, parse_support

__all__ = ["Support", "name_key", "parse_expression", "parse_support", "symbol_name"]
