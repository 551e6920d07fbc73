"""Escaping user text (titles, descriptions, names) for each target, and our prose markup.

User text is data: it is escaped for the place it lands in (YAML front matter,
Markdown prose, LaTeX prose) and never read as markup, Jinja or TeX commands.
Our own wording uses a tiny markup shared by both formats: ``$…$`` for math
and ``**…**`` for emphasis; :func:`prose` turns it into the target format.
"""

from __future__ import annotations

import json
import re
import unicodedata

#: LaTeX specials in text mode and what prints them literally.
TEX_SPECIALS = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
    "%": r"\%", "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
    "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}",
}

#: Unicode Greek (and a few symbols) that pdflatex cannot typeset as text: printed as math.
TEX_UNICODE_MATH = {
    **{chr(0x3B1 + i): "\\" + name for i, name in enumerate(
        "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi o pi rho varsigma sigma tau "
        "upsilon phi chi psi omega".split()) if name not in ("o",)},
    "Γ": r"\Gamma", "Δ": r"\Delta", "Θ": r"\Theta", "Λ": r"\Lambda", "Ξ": r"\Xi", "Π": r"\Pi",
    "Σ": r"\Sigma", "Φ": r"\Phi", "Ψ": r"\Psi", "Ω": r"\Omega", "∞": r"\infty", "±": r"\pm",
    "×": r"\times", "≤": r"\leq", "≥": r"\geq", "≠": r"\neq", "∈": r"\in", "→": r"\to", "·": r"\cdot",
    "²": "^{2}", "³": "^{3}", "¹": "^{1}", "ο": "o",
}

#: Characters Markdown (CommonMark) treats as markup, plus the math delimiter of KaTeX blogs.
MARKDOWN_SPECIALS = set("\\`*_{}[]()<>#+!|$~&")

_INVISIBLE = {"Cc", "Cf", "Co", "Cs", "Zl", "Zp"}


def clean(text: str) -> str:
    """One line of visible text: controls, bidi marks and zero-width characters removed."""
    text = "".join(" " if ch in "\t\n\r\v\f\u2028\u2029\x85" else ch for ch in str(text))
    text = "".join(ch for ch in text if unicodedata.category(ch) not in _INVISIBLE)
    return " ".join(text.split())


def tex_text(text: str, unicode_engine: bool = False) -> str:
    """User text as literal LaTeX prose.

    Args:
        text: the user's text.
        unicode_engine: True for xelatex (any character passes); False for pdflatex, where
            Greek prints as math and characters outside Latin-1/Latin Extended-A print as
            their code point (pdflatex has no glyph for them).
    """
    out = []
    for ch in clean(text):
        if ch in TEX_SPECIALS:
            out.append(TEX_SPECIALS[ch])
        elif ord(ch) < 128 or unicode_engine:
            out.append(ch)
        elif ch in TEX_UNICODE_MATH:
            out.append(rf"\ensuremath{{{TEX_UNICODE_MATH[ch]}}}")
        elif 0xA0 <= ord(ch) <= 0x17F and unicodedata.category(ch).startswith("L"):
            out.append(ch)                         # utf8 inputenc + T1 fontenc cover these
        else:
            out.append(f"[U+{ord(ch):04X}]")
    return "".join(out)


def markdown_text(text: str) -> str:
    """User text as literal Markdown prose (no emphasis, links, HTML or math)."""
    return "".join("\\" + ch if ch in MARKDOWN_SPECIALS else ch for ch in clean(text))


def _yaml_printable(ch: str) -> bool:
    o = ord(ch)
    return (o in (0x9, 0xA, 0xD) or 0x20 <= o <= 0x7E or 0xA0 <= o <= 0xD7FF or 0xE000 <= o <= 0xFFFD
            or o >= 0x10000) and ch not in "\u2028\u2029\ufeff"


def yaml_string(text: str) -> str:
    """A YAML double-quoted scalar that reads back as exactly ``text``."""
    quoted = json.dumps(str(text), ensure_ascii=False)    # JSON escapes are YAML escapes
    return "".join(ch if _yaml_printable(ch) else f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF
                   else f"\\U{ord(ch):08x}" for ch in quoted)


_MATH_OR_JINJA = re.compile(r"(\$[^$]*\$|\{\{.*?\}\}|\{%.*?%\})", re.S)
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)


def prose(source: str, fmt: str) -> str:
    """Our wording (``$math$``, ``**bold**``, Jinja tags) in the target format."""
    if fmt == "md":
        return source
    parts = _MATH_OR_JINJA.split(source)
    for i in range(0, len(parts), 2):              # text between math and Jinja tags
        parts[i] = "".join(TEX_SPECIALS.get(ch, ch) if ch not in "\\{}" else ch for ch in parts[i])
    return _BOLD.sub(r"\\textbf{\1}", "".join(parts))
