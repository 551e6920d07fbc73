"""Split LaTeX math into tokens that remember where they came from.

Takes a string, gives a list of :class:`Token` (kind, text, position). Every
later error can then point at a column of what the user typed. Unicode Greek
letters and a few Unicode operators are read as their LaTeX commands; any other
character outside printable ASCII is refused here, before any parser sees it.
"""

from __future__ import annotations

from dataclasses import dataclass

from symfisher.errors import ParseError

#: Unicode characters people paste from other documents, and what they mean.
UNICODE_ALIASES: dict[str, str] = {
    **{ch: "\\" + name for ch, name in zip(
        "αβγδεζηθικλμνξπρστυφχψωΓΔΘΛΞΠΣΦΨΩϵϑϕ",
        ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota",
         "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon",
         "phi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi",
         "Sigma", "Phi", "Psi", "Omega", "varepsilon", "vartheta", "varphi"])},
    "−": "-", "·": "\\cdot", "×": "\\times", "∞": "\\infty", "…": "\\dots",
    "⋯": "\\cdots", "√": "\\sqrt", "≤": "\\le", "≥": "\\ge", "∈": "\\in",
    # plain-text formulas (I(θ) = E[(∂log f(X|θ)/∂θ)²], ℓ(μ; x)): each character is the LaTeX it stands for
    "∂": "\\partial", "ℓ": "\\ell", "∇": "\\nabla", "∑": "\\sum", "∏": "\\prod", "∫": "\\int",
    "≠": "\\ne", "≈": "\\approx", "≡": "\\equiv", "∝": "\\propto", "∼": "\\sim", "∣": "\\mid",
    "⋅": "\\cdot", "∙": "\\cdot", "⊤": "\\top", "′": "'", "″": "''", "ℝ": "\\mathbb{R}", "𝔼": "\\mathbb{E}",
}

#: Superscript and subscript characters (x², Iₙ, θᵢ, pᵀ): a run of them is one ``^{…}`` or ``_{…}``.
SUPERSCRIPTS: dict[str, str] = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵀ", "0123456789+-=()niT"))
SUBSCRIPTS: dict[str, str] = dict(zip("₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼᵣᵤᵥ", "0123456789+-=()aeoxhklmnpstijruv"))

MAX_LENGTH = 20_000


def latex_text(source: str) -> str:
    """The text with every Unicode character of the tables above written as its LaTeX (for the checks that
    read a whole text with regular expressions: θᵢ is \\theta_{i}, ∇ is \\nabla)."""
    out, i = [], 0
    while i < len(source):
        ch = source[i]
        if ch in SUPERSCRIPTS or ch in SUBSCRIPTS:
            table, mark = (SUPERSCRIPTS, "^") if ch in SUPERSCRIPTS else (SUBSCRIPTS, "_")
            j = i
            while j < len(source) and source[j] in table:
                j += 1
            out.append(mark + "{" + "".join(table[c] for c in source[i:j]) + "}")
            i = j
            continue
        alias = UNICODE_ALIASES.get(ch)
        out.append(ch if alias is None else alias + (" " if alias[-1].isalpha() else ""))
        i += 1
    return "".join(out)


@dataclass(frozen=True)
class Token:
    """One lexical unit of LaTeX.

    ``kind`` is one of ``command`` (``\\frac``, ``\\,``), ``letter``, ``digits``
    (a number such as ``2`` or ``1.5``), ``space``, ``{``, ``}`` or ``char`` (any
    other single character). ``pos`` is the offset in the original text.
    """

    kind: str
    text: str
    pos: int

    def is_command(self, *names: str) -> bool:
        return self.kind == "command" and self.text in names

    def is_char(self, *chars: str) -> bool:
        return self.kind in ("char", "{", "}") and self.text in chars


def tokenize(source: str, what: str = "density") -> list[Token]:
    """Split ``source`` into tokens.

    Raises:
        ParseError: on characters that are not LaTeX math (control characters,
            bidirectional marks, stray Unicode), or on input that is too long.
    """
    if len(source) > MAX_LENGTH:
        raise ParseError(f"the text is {len(source):,} characters long; the limit is {MAX_LENGTH:,}",
                         source, MAX_LENGTH, what)
    tokens: list[Token] = []
    i, n = 0, len(source)
    while i < n:
        ch = source[i]
        if ch in UNICODE_ALIASES:
            alias = UNICODE_ALIASES[ch]
            if alias.startswith("\\") and alias[1:].isalpha():
                tokens.append(Token("command", alias, i))
            else:                                   # ℝ, 𝔼, ″: several tokens, all at this character
                tokens.extend(Token(t.kind, t.text, i) for t in tokenize(alias, what))
            i += 1
        elif ch in SUPERSCRIPTS or ch in SUBSCRIPTS:
            table, mark = (SUPERSCRIPTS, "^") if ch in SUPERSCRIPTS else (SUBSCRIPTS, "_")
            j = i
            while j < n and source[j] in table:
                j += 1
            # the run is ASCII once mapped, so the nested call cannot recurse further
            tokens.extend(Token(t.kind, t.text, i)
                          for t in tokenize(mark + "{" + "".join(table[c] for c in source[i:j]) + "}", what))
            i = j
        elif ch == "\\":
            j = i + 1
            if j < n and source[j].isascii() and source[j].isalpha():
                while j < n and source[j].isascii() and source[j].isalpha():
                    j += 1
            elif j < n and source[j].isascii() and source[j].isprintable():
                j += 1
            else:
                raise ParseError("a backslash must be followed by a command name", source, i, what)
            tokens.append(Token("command", source[i:j], i))
            i = j
        elif ch.isascii() and ch.isalpha():
            tokens.append(Token("letter", ch, i))
            i += 1
        elif ch.isascii() and ch.isdigit():
            j = i
            while j < n and source[j].isascii() and source[j].isdigit():
                j += 1
            if j + 1 < n and source[j] == "." and source[j + 1].isascii() and source[j + 1].isdigit():
                j += 1
                while j < n and source[j].isascii() and source[j].isdigit():
                    j += 1
            tokens.append(Token("digits", source[i:j], i))
            i = j
        elif ch in " \t\r\n":
            j = i
            while j < n and source[j] in " \t\r\n":
                j += 1
            tokens.append(Token("space", " ", i))
            i = j
        elif ch in "{}":
            tokens.append(Token(ch, ch, i))
            i += 1
        elif ch.isascii() and ch.isprintable():
            tokens.append(Token("char", ch, i))
            i += 1
        else:
            raise ParseError(f"unexpected character U+{ord(ch):04X} {_describe(ch)}", source, i, what)
    return tokens


def _describe(ch: str) -> str:
    import unicodedata

    name = unicodedata.name(ch, "")
    return f"({name.lower()})" if name else "(control character)"
