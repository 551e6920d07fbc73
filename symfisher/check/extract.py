"""Reading a hand-written derivation: display math -> chains of links ``lhs relation rhs``.

Takes Markdown or LaTeX text; gives the front matter (a mapping or None) and
:class:`Link` objects numbered 1, 2, … in reading order, one per relation the
author wrote. Nothing is dropped silently: a relation whose side is missing is
still a link, marked ``unread`` with the reason.

Display math is every ``$$…$$``, ``\\[…\\]`` and top-level math environment
(:data:`ENVIRONMENTS`); HTML comments, code fences and inline code are not
read, nor is inline ``$…$`` or prose. Inside a display, inner environments
(``align`` in ``$$``, ``aligned``, ``split``, …) are dropped, rows split at
``\\\\``, and each row is split at its *top-level* relations only: a relation
inside braces (``\\mathbb{E}_{x=0}``, ``\\sum_{i=1}^n``, ``\\frac{}{}``) or
parentheses (``\\Pr(X = 0)``, ``\\left( … \\right)``) never ends a link. A row
(or a display) that begins with a relation continues the chain above; a row
without one continues the right side above, or is the left side of the next row.
A remark after a complete link ends that chain: ``, \\quad``, ``\\implies``,
``\\text{and}`` between two equations make two chains. The author's annotations
-- align's note column (after ``&&`` or ``&``), ``\\quad\\text{by …}``,
``\\stackrel{(a)}{=}``, a hand-written ``(1)`` -- are kept as the link's note,
never read as mathematics; ``\\tag``, ``\\label`` and ``\\boxed`` are not mathematics.

Every display rule is one named row of ``tests/test_extract.py``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from symfisher.errors import CheckError
from symfisher.parse.notation import WORDS

#: Relations a chain may use, in the order they are looked for, and what they mean.
RELATIONS: dict[str, str] = {
    r"\approx": "≈", r"\simeq": "≈", r"\neq": "≠", r"\ne": "≠",
    r"\leqslant": "≤", r"\leq": "≤", r"\le": "≤", r"\lt": "<",
    r"\geqslant": "≥", r"\geq": "≥", r"\ge": "≥", r"\gt": ">",
    r"\succeq": "⪰", r"\preceq": "⪯", r"\succ": "≻", r"\prec": "≺", r"\propto": "∝",
    r"\equiv": "=", r"\coloneqq": "=", r"\triangleq": "=", r"\doteq": "=", ":=": "=", "=:": "=",
    "=": "=", "<": "<", ">": ">",
}

#: What a relation is, for the report: an equality is checked; the others are reported as such.
KINDS: dict[str, str] = {"=": "equality", "≈": "approximation", "≠": "inequation", "∝": "proportionality",
                         **{r: "inequality" for r in ("≤", "≥", "<", ">", "⪰", "⪯", "≻", "≺")}}

#: Environments that are display math on their own (with or without a star).
ENVIRONMENTS = ("equation", "align", "alignat", "flalign", "gather", "multline", "eqnarray", "displaymath")

_ENVIRONMENT = (r"\\begin\{(?P<env>" + "|".join(ENVIRONMENTS) + r")(?P<star>\*?)\}(?P<body>.*?)"
                r"\\end\{(?P=env)(?P=star)\}")
# LaTeX: \\[2pt] is a line break with spacing, never a display
_DISPLAY = re.compile(r"\$\$(?P<dollars>.*?)\$\$|(?<!\\)\\\[(?P<brackets>.*?)\\\]|" + _ENVIRONMENT, re.S)
# Markdown: many renderers need \\[ … \\] (the backslash escaped) for \[ … \]
_DISPLAY_MARKDOWN = re.compile(r"\$\$(?P<dollars>.*?)\$\$|(?<!\\)\\?\\\[(?P<brackets>.*?)\\?\\\]|" + _ENVIRONMENT,
                               re.S)
_BLOCKQUOTE = re.compile(r"^[ \t]*(?:>[ \t]?)+", re.M)
# inner layout environments: the rows and relations inside are the display's own
_WRAPPERS = re.compile(r"\\(?:begin|end)\{(?:aligned|alignedat|gathered|split|multlined|array|"
                       + "|".join(ENVIRONMENTS) + r")\*?\}(?:\[[a-z]\])?(?:\{[^{}]*\})?")
# not mathematics: fenced code, inline code, HTML comments
_NOT_READ = re.compile(r"^(?P<fence>[ \t]*(?:```|~~~)).*?^[ \t]*(?:```|~~~)[^\n]*$|<!--.*?-->|`[^`\n]+`", re.S | re.M)
# commands with one argument that only annotate (removed with their argument)
_ANNOTATION_COMMANDS = ("tag*", "tag", "label", "eqref", "hspace*", "hspace", "vspace*", "vspace")
# commands without argument that only lay out
_LAYOUT_WORDS = ("nonumber", "notag", "displaystyle", "textstyle", "nolimits", "allowbreak", "medskip", "smallskip")
# commands whose argument is text: an annotation when at the top level of a row
_TEXT_COMMANDS = ("text", "textrm", "textnormal", "textit", "textbf", "mbox", "intertext", "shortintertext")
# spacing that, at the top level after a complete link, separates the link from a remark
_GAPS = ("quad", "qquad", "hspace", "hspace*",
         # between two equations: "a = b \implies c = d" is two chains, never the link "b \implies c = d"
         "implies", "impliedby", "iff", "Rightarrow", "Longrightarrow", "Leftarrow", "Longleftarrow",
         "Leftrightarrow", "Longleftrightarrow", "therefore", "because")
# thin spaces are a gap only before a side condition: "f(x) = λe^{-λx} \; x > 0" (but "2 \; x" is a product)
_THIN = (";", ":", " ", ",")
_SIDE_CONDITION = re.compile(r"(?:\\[;:, ]|\s)*(?:\\[A-Za-z]+|[A-Za-z])(?:_\{?\w+\}?)?\s*"
                             r"(?:>|<|\\geq?\b|\\leq?\b|\\in\b|\\ge\b|\\le\b)")
# wrappers whose argument is the mathematics itself
_UNWRAP = ("boxed", "fbox")
_OPEN, _CLOSE = "([", ")]"
_NO_RHS = "the right side is not written"
_COMMAND = re.compile(r"\\([A-Za-z]+\*?|.)", re.S)
_DELIMITER = re.compile(r"\s*(\\[A-Za-z]+|\\.|.)", re.S)
_ROW_SPACING = re.compile(r"\s*\[[^\]\n]*\]")
# \text{Var}(X), \text{E}[X], \text{KL}_{…}: an operator's name, mathematics rather than a remark
# \text{ln}, \text{Var}: an operator's name set in text, mathematics wherever it stands (never a remark)
_MATH_WORDS = frozenset({"ln", "log", "exp", "lg", "Var", "var", "Cov", "cov", "Corr", "E", "Pr", "P", "KL", "tr",
                         "det", "diag", "sgn", "sign", "const", "sin", "cos", "tan", "arg", "min", "max", "sup",
                         "inf", "lim", "argmax", "argmin", "logit", "erf", "Beta", "Gamma", "MSE", "Bias", "bias"})
_OPERATOR_FOLLOWS = re.compile(r"\s*(?:[(\[_^]|\\left|\\\{)")
# an equation number written by hand at the end of a row, after spacing: "= 0 \;\;\; (1)"
# (a quad, or two thin spaces at least: "2\,(p)" is a product)
_EQUATION_NUMBER = re.compile(r"(?:\\q?quad\b|\\hfill\b|(?:\\[;:, ]|~)\s*(?:\\[;:, ]|~))"
                              r"(?:\s|\\[;:, ]|\\q?quad\b|\\hfill\b|~)*"
                              r"(\(\s*[\w.*']{1,5}\s*\))\s*[.,;]?\s*$")
# "… + \text{constant}": a term of the expression, not a remark
_OPERATOR_BEFORE = re.compile(r"(?:[-+*/^_({]|\\cdot|\\times|\\pm|\\mp)\s*$")


@dataclass(frozen=True)
class Link:
    """One step of a chain: ``lhs relation rhs``, with where it was written."""

    index: int          # 1, 2, … over the whole file
    block: int          # 1, 2, … display blocks
    line: int           # line of the file where the relation is written
    lhs: str
    rhs: str
    relation: str       # "=", "≈", "≠", "≤", …
    note: str = ""      # the author's annotation (after &&, \text{…}, \stackrel{…}{=}), if any
    unread: str = ""    # why this link cannot be read at all ("" when it can)

    @property
    def kind(self) -> str:
        """equality, inequality, approximation, inequation or proportionality."""
        return KINDS.get(self.relation, "relation")


@dataclass(frozen=True)
class Display:
    """One display of the document: where it is (offsets in the body) and its mathematics."""

    block: int
    start: int          # offset of the display in the body (its opening delimiter)
    end: int            # offset just after its closing delimiter
    content: str        # the mathematics, annotations blanked (same length as in the body)
    base: int           # offset of ``content`` in the body


def front_matter(text: str) -> tuple[dict[str, Any] | None, str, int]:
    """(front matter mapping or None, the rest of the text, the line the rest starts on).

    Raises:
        CheckError: front matter that is not closed, not YAML, or not a mapping.
    """
    if not text.startswith("---"):
        return None, text, 1
    match = re.match(r"---[ \t]*\n(.*?)\n---[ \t]*(\n|$)", text, re.S)
    if not match:
        raise CheckError("the front matter that starts on line 1 is never closed by a line '---'")
    from symfisher.model.spec import load_text

    data = load_text(match.group(1), "front matter", "yaml")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise CheckError("the front matter must be a mapping of keys (such as title: and model:)")
    return data, text[match.end():], text[:match.end()].count("\n") + 1


def _blank(text: str) -> str:
    """Spaces in place of ``text``, its line breaks kept: offsets and line numbers do not move."""
    return re.sub(r"[^\n]", " ", text)


def _is_latex(body: str) -> bool:
    """A LaTeX document (rather than Markdown with math)."""
    return bool(re.search(r"\\documentclass|\\begin\{document\}", body))


def _display_pattern(body: str) -> re.Pattern[str]:
    return _DISPLAY if _is_latex(body) else _DISPLAY_MARKDOWN


def _masked(body: str) -> str:
    """The body with code and HTML comments blanked: math inside them is not the author's derivation."""
    if _is_latex(body):
        # LaTeX: backticks open quotations (``so''), not code; only comments are blanked
        return re.sub(r"<!--.*?-->", lambda m: _blank(m.group()), body, flags=re.S)
    return _NOT_READ.sub(lambda m: _blank(m.group()), body)


def displays(body: str) -> list[Display]:
    """Every display of the body (front matter removed), in reading order."""
    out, latex = [], _is_latex(body)
    for block, match in enumerate(_display_pattern(body).finditer(_masked(body)), start=1):
        group = next(g for g in ("dollars", "brackets", "body") if match.group(g) is not None)
        content = match.group(group)
        if match.group("env") == "alignat":                 # \begin{alignat*}{2}: the column count
            content = re.sub(r"^\s*\{[^{}]*\}", lambda m: _blank(m.group()), content)
        opening_line = body[body.rfind("\n", 0, match.start()) + 1:match.start()]
        if not latex and opening_line.lstrip().startswith(">") and "\n" in content:
            # a display quoted in Markdown: the ">" that begin its lines are the quote's, not relations
            first, rest = content.split("\n", 1)
            content = first + "\n" + _BLOCKQUOTE.sub(lambda m: _blank(m.group()), rest)
        out.append(Display(block, match.start(), match.end(), _clean(content), match.start(group)))
    return out


# ---------------------------------------------------------------------------- blanking what is not mathematics

def _group_end(text: str, i: int) -> int:
    """The offset after the brace group that opens at ``text[i] == '{'`` (the end of text if never closed)."""
    depth = 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        i += 1
        if depth == 0:
            return i
    return len(text)


def _skip_spaces(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\n":
        i += 1
    return i


def _command_at(text: str, i: int, names: tuple[str, ...]) -> str | None:
    """The command of ``names`` written at ``text[i]`` (a backslash), if any."""
    for name in names:
        if text.startswith("\\" + name, i):
            after = text[i + 1 + len(name):i + 2 + len(name)]
            if name.endswith("*") or not after.isalpha():
                return name
    return None


#: What opens a matrix written as an array: \left( \begin{array}{cc} … \end{array} \right) is a matrix, not a layout.
_MATRIX_OPENERS = re.compile(r"(?:\\left\s*)?(?:\(|\[|\\lbrack)\s*$")


def _blank_wrappers(content: str) -> str:
    """Blank the inner layout environments (aligned, split, an array of rows), but keep an array that a
    delimiter opens: it is a matrix (its rows are the matrix's, not the derivation's)."""
    kept: list[bool] = []                           # per open array: kept as a matrix?

    def blank(m: re.Match) -> str:
        text = m.group()
        if "{array}" not in text:
            return _blank(text)
        if text.startswith("\\begin"):
            kept.append(bool(_MATRIX_OPENERS.search(content[:m.start()])))
            return text if kept[-1] else _blank(text)
        return text if kept and kept.pop() else _blank(text)
    return _WRAPPERS.sub(blank, content)


def _clean(content: str) -> str:
    """Blank TeX comments, inner layout environments, labels, tags and layout words; unwrap ``\\boxed{}``."""
    content = re.sub(r"(?<!\\)%[^\n]*", lambda m: _blank(m.group()), content)
    content = _blank_wrappers(content)
    chars, i = list(content), 0
    while i < len(content):
        if content[i] != "\\":
            i += 1
            continue
        name = _command_at(content, i, _ANNOTATION_COMMANDS)
        if name:
            j = _skip_spaces(content, i + 1 + len(name))
            end = _group_end(content, j) if j < len(content) and content[j] == "{" else j
            chars[i:end] = _blank(content[i:end])
            i = end
            continue
        name = _command_at(content, i, _LAYOUT_WORDS)
        if name:
            chars[i:i + 1 + len(name)] = " " * (1 + len(name))
            i += 1 + len(name)
            continue
        name = _command_at(content, i, _UNWRAP)
        if name:
            j = _skip_spaces(content, i + 1 + len(name))
            if j < len(content) and content[j] == "{":
                end = _group_end(content, j)
                chars[i:j + 1] = " " * (j + 1 - i)
                if content[end - 1] == "}":
                    chars[end - 1] = " "
            i += 1 + len(name)
            continue
        i += 2
    return "".join(chars)


# ---------------------------------------------------------------------------- rows

def _environment(text: str, i: int) -> int:
    """+1 where ``\\begin{`` starts at ``i``, −1 where ``\\end{`` does, else 0."""
    return 1 if text.startswith("\\begin{", i) else -1 if text.startswith("\\end{", i) else 0


def _rows(content: str) -> list[tuple[str, int]]:
    """Split a display at its top-level ``\\\\`` (not the rows of a matrix): (row, offset) pairs."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(content):
        if _environment(content, i):
            depth += _environment(content, i)              # a matrix keeps its rows and columns
            i += 2
            continue
        if content.startswith("\\\\", i) and depth == 0:
            parts.append((content[start:i], start))
            i += 2
            spacing = _ROW_SPACING.match(content, i)                # \\[2pt]
            if spacing:
                i = spacing.end()
            start = i
            continue
        if content[i] == "\\":
            i += 2
            continue
        depth += {"{": 1, "}": -1}.get(content[i], 0)
        i += 1
    parts.append((content[start:], start))
    return parts


@dataclass
class _Item:
    """What the row scanner finds at the top level of a row."""

    kind: str           # "relation", "text" (an annotation) or "gap" (&&, \quad, ", \quad")
    start: int
    end: int
    value: str = ""     # the relation's meaning, or the annotation's words
    note: str = ""      # a relation's own annotation (\stackrel{(a)}{=})


def _relation_at(row: str, i: int) -> tuple[str, int] | None:
    """(meaning, end) of a plain relation symbol written at ``row[i]``."""
    if i >= len(row):
        return None
    if row[i] == "\\":
        word = _COMMAND.match(row, i)
        name = word.group() if word else ""
        return (RELATIONS[name], word.end()) if name in RELATIONS else None      # \left is not \le
    for symbol in _SYMBOLS.get(row[i], ()):
        if row.startswith(symbol, i):
            end = i + len(symbol)
            if symbol == "=" and row[end:end + 1] == ":":
                continue                                    # "=:" is read whole
            return RELATIONS[symbol], end
    return None


#: The relations written without a backslash, by their first character.
_SYMBOLS: dict[str, tuple[str, ...]] = {}
for _symbol in RELATIONS:
    if not _symbol.startswith("\\"):
        _SYMBOLS[_symbol[0]] = (*_SYMBOLS.get(_symbol[0], ()), _symbol)


def _begins_with_relation(row: str, i: int) -> bool:
    """Whether the text from ``i`` begins with a relation ("&= c": the chain goes on; a missing row break)."""
    i = _skip_spaces(row, i)
    while row.startswith(("{}", "&"), i):
        i = _skip_spaces(row, i + (2 if row[i] == "{" else 1))
    return _relation_at(row, i) is not None or row.startswith(("\\stackrel", "\\overset"), i)


def _words(tex: str) -> str:
    """The words of an annotation, without its braces and text commands."""
    tex = tex.replace("\\{", "\0").replace("\\}", "\1")          # a set's braces are the author's words
    tex = re.sub(r"\\(?:" + "|".join(re.escape(c) for c in _TEXT_COMMANDS) + r")\b", " ", tex)
    tex = re.sub(r"\\(?:q?quad|[,;:!]|hspace\*?\{[^{}]*\})", " ", tex)
    tex = tex.replace("{", " ").replace("}", " ").replace("$", " ").replace("&", " ").replace("\0", "{").replace("\1", "}")
    return " ".join(tex.split())


def _scan(row: str) -> list[_Item]:
    """The top-level relations, annotations and gaps of a row, in order.

    Top level: outside braces, parentheses, brackets, ``\\left…\\right`` and environments. A
    closing delimiter without its opening one (a ``\\Big(`` closed on a later row) does not
    take the depth below zero, so the rest of that row stays top level.
    """
    items, braces, parens, i = [], 0, 0, 0
    while i < len(row):
        ch = row[i]
        if _environment(row, i):
            braces += _environment(row, i)
            i = _group_end(row, row.index("{", i))
            continue
        if ch == "{":
            braces += 1
        elif ch == "}":
            braces -= 1
        elif braces > 0:
            i += 2 if ch == "\\" else 1
            continue
        elif ch == "\\":
            word = _COMMAND.match(row, i)
            if word is None:                                # a lone backslash ends the row
                break
            name = word.group(1)
            if name in ("left", "right"):
                parens = parens + 1 if name == "left" else max(0, parens - 1)
                delimiter = _DELIMITER.match(row, word.end())
                i = delimiter.end() if delimiter else word.end()
                continue
            if name in ("{", "langle", "lbrace", "lceil", "lfloor"):
                parens += 1
            elif name in ("}", "rangle", "rbrace", "rceil", "rfloor"):
                parens = max(0, parens - 1)
            elif parens == 0 and name in ("stackrel", "overset", "underset"):
                first = _skip_spaces(row, word.end())
                if first < len(row) and row[first] == "{":
                    second = _skip_spaces(row, _group_end(row, first))
                    end = _group_end(row, second) if second < len(row) and row[second] == "{" else second
                    inner = row[second + 1:end - 1].strip()
                    relation = _relation_at(inner, 0)
                    if relation and relation[1] == len(inner):
                        items.append(_Item("relation", i, end, relation[0], _words(row[first:second])))
                    i = end
                    continue
            elif parens == 0 and name in _TEXT_COMMANDS:
                j = _skip_spaces(row, word.end())
                end = _group_end(row, j) if j < len(row) and row[j] == "{" else j
                # \text{log} f(x|θ), \text{ln}\lambda: a function's or an operator's name (the shared WORDS table,
                # _MATH_WORDS) is mathematics wherever it stands, never a remark that cuts a side short
                named_function = row[j + 1:end - 1].strip() in WORDS or _words(row[i:end]) in _MATH_WORDS
                if not named_function and not _OPERATOR_FOLLOWS.match(row, end) and \
                        not _OPERATOR_BEFORE.search(row, 0, i):
                    # \text{Var}(X) names an operator: mathematics, not a remark
                    items.append(_Item("text", i, end, _words(row[i:end])))
                i = end
                continue
            elif parens == 0 and (name in _GAPS or (name in _THIN and _SIDE_CONDITION.match(row, word.end()))):
                j = word.end()
                if name.startswith("hspace"):
                    j = _skip_spaces(row, j)
                    j = _group_end(row, j) if j < len(row) and row[j] == "{" else j
                items.append(_Item("gap", i, j))
                i = j
                continue
            elif parens == 0:
                relation = _relation_at(row, i)
                if relation:
                    items.append(_Item("relation", i, relation[1], relation[0]))
                    i = relation[1]
                    continue
            i = word.end()
            continue
        elif ch in _OPEN:
            parens += 1
        elif ch in _CLOSE:
            parens = max(0, parens - 1)
        elif parens == 0 and ch == "&":
            width = 2 if row.startswith("&&", i) else 1
            items.append(_Item("column", i, i + width))
            i += width
            continue
        elif parens == 0 and ch in ",;" and not (ch == "," and row[i - 1:i].isdigit() and row[i + 1:i + 2].isdigit()):
            # "a = b, c = d": two equations; "p(x) = q, x \in A": the condition is a remark; but "0,5" is
            # a decimal comma (one number, left to the reader), never two equations
            items.append(_Item("gap", i, i + 1))
        elif parens == 0:
            relation = _relation_at(row, i)
            if relation:
                items.append(_Item("relation", i, relation[1], relation[0]))
                i = relation[1]
                continue
        i += 1
    return items


def _aligned_equation(text: str) -> bool:
    """Whether a column's text is an equation aligned at its relation (``c &= d``), not a remark.

    In alignat (and align with several column pairs) equations stand side by side, each split at
    its relation by an alignment mark; a remark in the note column (``\\text{by (1)}``,
    ``\\int dP = 1``) has no mark before its relation.
    """
    items = _scan(text)
    for k, item in enumerate(items):
        if item.kind == "text":
            return False
        if item.kind == "column":
            # "c &= d" (a new equation) or "&= f" (the equation beside continues its chain)
            return k + 1 < len(items) and items[k + 1].kind == "relation" and _begins_with_relation(text, item.end)
        if item.kind == "relation":
            return False
    return False


def _math(text: str) -> str:
    """A side as the author meant it: alignment marks, empty groups, spacing and end punctuation removed."""
    text = " ".join(_drop_alignment(text).split())
    previous = None
    while previous != text:
        previous = text
        text = re.sub(r"^(?:\{\s*\}|\\[,;:! ]|\\q?quad\b|~)\s*", "", text)
        text = re.sub(r"(?:\{\s*\}|\\[,;:! ]|\\q?quad|~|(?<!\\right)(?<!\\)[.,;])\s*$", "", text).strip()
    return text


def _drop_alignment(row: str) -> str:
    """Remove the alignment marks ``&`` of the display (not the column marks of a matrix)."""
    out, depth, i = [], 0, 0
    while i < len(row):
        if _environment(row, i):
            depth += _environment(row, i)
        elif row.startswith("\\&", i):
            out.append(row[i:i + 2])
            i += 2
            continue
        out.append(" " if row[i] == "&" and depth == 0 else row[i])
        i += 1
    return "".join(out)


@dataclass
class _Segment:
    """Part of a row that is one chain: its relations with the text before each, and its remarks."""

    head: str                                   # the math before the first relation
    parts: list[tuple[str, int, str, str]]      # (meaning, offset of the relation, text after it, its note)
    notes: list[str]
    column: int = 0                             # 0, or k for the k-th equation standing beside it (alignat)


def _segments(row: str) -> list[_Segment]:
    """Split a row into chains: a remark (text, a gap) after a complete link ends the chain.

    ``a = b \\quad\\text{by (3)}`` is one link with the note "by (3)"; in
    ``a = b, \\quad c = d`` and ``a = b \\text{ and } c = d`` the second equation is a new
    chain; ``\\text{hence } a = b`` is a link whose note is "hence".
    """
    segments = [_Segment("", [], [])]
    cursor, closed = 0, False          # closed: a remark followed the current link; math after it starts anew

    def take(end: int) -> str:
        nonlocal cursor
        piece, cursor = row[cursor:end], end
        return piece

    for item in _scan(row):
        segment = segments[-1]
        piece = take(item.start)
        if item.kind == "relation":
            if closed:
                if _math(piece):
                    segments.append(_Segment(piece, [], []))
                    segment = segments[-1]
                # else "a = b \quad = c": the chain goes on
                closed = False
            elif segment.parts:
                meaning, at, text, note = segment.parts[-1]
                segment.parts[-1] = (meaning, at, text + piece, note)
            else:
                segment.head += piece
            segment.parts.append((item.value, item.start, "", item.note))
            take(item.end)
            continue
        if (item.kind == "column" and (closed or (segment.parts and _math(segment.parts[-1][2] + piece)))
                and _aligned_equation(row[item.end:])):
            # alignat's equations side by side, "a &= b && c &= d \\ &= e && &= f": the column holds another
            # equation (or continues the chain beside), each with its own chain
            if not closed:
                meaning, at, text, note = segment.parts[-1]
                segment.parts[-1] = (meaning, at, text + piece, note)
            return segments + [_Segment(s.head, [(m, at + item.end, t, n) for m, at, t, n in s.parts], s.notes,
                                        s.column + 1) for s in _segments(row[item.end:])]
        if (item.kind == "column" and (closed or (segment.parts and _math(segment.parts[-1][2] + piece)))
                and not _begins_with_relation(row, item.end)):
            # align's note column: "a &= b && \text{by (1)}", "&= c &\quad& \int dP = 1" are remarks
            if not closed:
                meaning, at, text, note = segment.parts[-1]
                segment.parts[-1] = (meaning, at, text + piece, note)
            elif _math(piece):
                segment.notes.append(_words(piece))
            rest = row[item.end:]
            if _math(rest):
                segment.notes.append(_words(rest))
            return segments
        if item.kind == "text" and not closed and not row.startswith(("\\intertext", "\\shortintertext"),
                                                                      item.start) and (
                _begins_with_relation(row, item.end)
                or (segment.parts and not _math(segment.parts[-1][2] + piece))):
            # "\text{KL} = …", "c = \text{const}": the text is a side of the relation, not a remark
            cursor = item.start
            if segment.parts:
                meaning, at, text, note = segment.parts[-1]
                segment.parts[-1] = (meaning, at, text + piece, note)
            else:
                segment.head += piece
            continue
        # a remark: text, or a gap (or an alignment mark before the link is complete)
        if item.kind == "column":
            if segment.parts:
                meaning, at, text, note = segment.parts[-1]
                segment.parts[-1] = (meaning, at, text + piece, note)
            else:
                segment.head += piece
        elif closed:
            if _math(piece):
                segment.notes.append(_words(piece))
        elif segment.parts:
            meaning, at, text, note = segment.parts[-1]
            segment.parts[-1] = (meaning, at, text + piece, note)
            # a remark after a written right side ends the link; after a bare relation it is spacing
            closed = bool(_math(segment.parts[-1][2]))
        else:
            segment.head += piece                           # a remark before the first relation: "hence"
            if row[item.start] in ",;":
                segment.head += row[item.start]             # "x_1, x_2 = 0": the comma is the author's math
        take(item.end)
        if item.kind == "text" and item.value:
            segment.notes.append(item.value)
    rest = take(len(row))
    segment = segments[-1]
    if closed:
        if _math(rest):
            segment.notes.append(_words(rest))
    elif segment.parts:
        meaning, at, text, note = segment.parts[-1]
        text += rest
        number = _EQUATION_NUMBER.search(text)
        if number:                              # "= 0 \;\;\; (1)": the author's own equation number
            segment.notes.append(number.group(1))
            text = text[:number.start()]
        segment.parts[-1] = (meaning, at, text, note)
    else:
        segment.head += rest
    return segments


def links(text: str) -> tuple[dict[str, Any] | None, list[Link]]:
    """The front matter and every link of every display block, numbered in reading order.

    Raises:
        CheckError: unterminated display math, or bad front matter.
    """
    matter, body, first_line = front_matter(text)
    offset_line = first_line - 1
    _unterminated(body, offset_line)
    out: list[Link] = []
    chains: dict[int, str | None] = {}            # per column: the right side a row starting with a relation continues
    breaks = [i for i, ch in enumerate(body) if ch == "\n"]
    for display in displays(body):
        pending = ""                              # rows without relation before the display's first link
        for row, row_start in _rows(display.content):
            line = offset_line + bisect.bisect_left(breaks, display.base + row_start) + 1
            for segment in _segments(row):
                head = _math(segment.head)
                note = "; ".join(n for n in segment.notes if n)
                if not segment.parts:
                    if head and not (out and out[-1].block == display.block):
                        # "D(p \| q) \\ = \sum …": the left side written on a row of its own
                        pending = f"{pending} {head}".strip()
                    elif head and out[-1].lhs:
                        # a row without a relation continues the right side above (a long expression)
                        last = out[-1]
                        unread = "" if last.unread == _NO_RHS else last.unread
                        out[-1] = Link(last.index, last.block, last.line, last.lhs, f"{last.rhs} {head}".strip(),
                                       last.relation, _join(last.note, note), unread)
                        chains[0] = out[-1].rhs
                    elif note and out and out[-1].block == display.block:
                        last = out[-1]
                        out[-1] = Link(last.index, last.block, last.line, last.lhs, last.rhs, last.relation,
                                       _join(last.note, note), last.unread)
                    continue
                if head and out and out[-1].block == display.block and out[-1].lhs and _open(out[-1].rhs):
                    # "a &= \Big( b \\ &+ c \Big) = d": the row finishes the bracket the right side above opened
                    last = out[-1]
                    out[-1] = Link(last.index, last.block, last.line, last.lhs, f"{last.rhs} {head}", last.relation,
                                   last.note, "" if last.unread == _NO_RHS else last.unread)
                    head = ""
                    chains[segment.column] = out[-1].rhs
                lhs = head if head else (pending if segment.column == 0 else "") or chains.get(segment.column)
                pending = ""
                if lhs is None and segment.column == 0 and out and out[-1].unread == _NO_RHS and out[-1].lhs:
                    # "$$ a = b = $$ $$ = c $$": the relation that ends one display and the one that begins
                    # the next are one link, b = c
                    lhs = out.pop().lhs
                # "&= \displaystyle = b": a relation written twice with nothing between is one relation
                parts = [part for k, part in enumerate(segment.parts)
                         if _math(part[2]) or k + 1 == len(segment.parts) or segment.parts[k + 1][0] != part[0]]
                for n, (relation, at, rhs_text, relation_note) in enumerate(parts):
                    rhs = _math(rhs_text)
                    relation_line = line + row[:at].count("\n")
                    unread = ("the left side is not written (a display that begins with a relation, and no "
                              "chain before it)" if lhs is None else "")
                    if not rhs and not unread:
                        unread = _NO_RHS
                    last_note = note if n == len(parts) - 1 else ""
                    out.append(Link(len(out) + 1, display.block, relation_line, (lhs or "").strip(), rhs, relation,
                                    _join(relation_note, last_note), unread))
                    lhs = rhs if rhs else None
                chains[segment.column] = lhs
    return matter, out


def _open(side: str) -> bool:
    """Whether ``side`` leaves a parenthesis, bracket or ``\\left`` open (to be closed on a later row)."""
    depth = 0
    for token in re.findall(r"\\(?:left|right)\b\s*(?:\\[A-Za-z]+|\\.|.)|\\[A-Za-z]+|\\.|[()\[\]]", side):
        if re.fullmatch(r"\\(?:left|right)\s*\.", token):
            continue                    # \right. leaves the bracket open for the next row; \left. opens none
        if token.startswith("\\left") or token in ("(", "[", "\\{", "\\langle"):
            depth += 1
        elif token.startswith("\\right") or token in (")", "]", "\\}", "\\rangle"):
            depth -= 1
    return depth > 0


def _join(*notes: str) -> str:
    return "; ".join(n for n in notes if n)


def unread_displays(text: str) -> list[tuple[int, int]]:
    """(block, line) of every display in which no relation is written: nothing there can be checked."""
    _, body, first_line = front_matter(text)
    out = []
    for display in displays(body):
        if not any(item.kind == "relation" for row, _ in _rows(display.content) for item in _scan(row)):
            out.append((display.block, first_line + body.count("\n", 0, display.start)))
    return out


def _unterminated(body: str, offset_line: int) -> None:
    rest = _display_pattern(body).sub(lambda m: _blank(m.group()), _masked(body))
    for pattern, name in ((r"\$\$", "$$"), (r"(?<!\\)\\\[", r"\["),
                          (r"\\begin\{(" + "|".join(ENVIRONMENTS) + r")\*?\}", "\\begin")):
        found = re.search(pattern, rest)
        if found:
            line = offset_line + rest.count("\n", 0, found.start()) + 1
            raise CheckError(f"line {line}: display math opened with {name} is never closed")

