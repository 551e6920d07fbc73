"""The document's own LaTeX macros, expanded before its display math is read.

Takes the text of a LaTeX (or Markdown) document; gives the text with every use of a macro the document
defines (``\\newcommand``, ``\\renewcommand``, ``\\providecommand``, ``\\DeclareMathOperator``, ``\\def``,
with up to nine arguments) replaced by its body. Macros the document does not define are left as they are
(an author's preamble is not guessed: the step is then unknown). Input is hostile: the expansion stops at
a depth and a size limit and then leaves the text unexpanded rather than loop or grow without bound.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: How many times the whole text is rescanned (a macro whose body uses another one needs two passes).
MAX_DEPTH = 8
#: The expanded text may grow to this many times the input (plus a constant), no more.
MAX_GROWTH = 4
MAX_EXTRA = 20_000
#: At most this many definitions are read.
MAX_MACROS = 200
MAX_SCANNED = 200_000


@dataclass(frozen=True)
class Macro:
    """A macro the document defines: its name (with the backslash), number of arguments and body."""

    name: str
    arguments: int
    body: str
    default: str | None = None          # \newcommand{\f}[2][x]{…}: the optional first argument's default


_NAME = r"\\([A-Za-z]+)"
_DEFINITION = re.compile(
    r"\\(?:newcommand|renewcommand|providecommand)\*?\s*(?:\{\s*" + _NAME + r"\s*\}|" + _NAME + r")"
    r"\s*(?:\[\s*(\d)\s*\])?\s*(?:\[([^\]]*)\])?\s*\{")
_OPERATOR = re.compile(r"\\DeclareMathOperator\*?\s*\{\s*" + _NAME + r"\s*\}\s*\{")
_DEF = re.compile(r"\\def\s*" + _NAME + r"((?:#\d)*)\s*\{")


def _group(text: str, start: int) -> int | None:
    """The index just after the braced group whose ``{`` is at ``start``, or None when it is not closed."""
    depth = 0
    for i in range(start, len(text)):
        ch = text[i]
        if ch == "\\":
            continue
        if ch == "{" and (i == 0 or text[i - 1] != "\\"):
            depth += 1
        elif ch == "}" and (i == 0 or text[i - 1] != "\\"):
            depth -= 1
            if depth == 0:
                return i + 1
    return None


def definitions(text: str) -> dict[str, Macro]:
    """The macros a text defines, by name (the last definition of a name wins, as in TeX).

    Only the first ``MAX_SCANNED`` characters are searched (preambles come first)."""
    text = text[:MAX_SCANNED]
    found: dict[str, Macro] = {}
    for pattern in (_DEFINITION, _OPERATOR, _DEF):
        for match in pattern.finditer(text):
            end = _group(text, match.end() - 1)
            if end is None or len(found) >= MAX_MACROS:
                continue
            body = text[match.end():end - 1]
            if pattern is _DEFINITION:
                name = match.group(1) or match.group(2)
                count, default = int(match.group(3) or 0), match.group(4)
            elif pattern is _OPERATOR:
                name, count, default = match.group(1), 0, None
                # \DeclareMathOperator{\E}{\mathbb{E}}: a body that is already a command stays that command
                body = body.strip() if body.strip().startswith("\\") else r"\operatorname{" + body + "}"
            else:
                name, count, default = match.group(1), len(match.group(2)) // 2, None
            found["\\" + name] = Macro("\\" + name, count, body, default)
    return found


def _arguments(text: str, i: int, macro: Macro) -> tuple[list[str], int] | None:
    """The arguments of a use of ``macro`` starting at ``i`` (after its name), and the index after them."""
    values: list[str] = []
    needed = macro.arguments
    if macro.default is not None and needed:
        j = i
        while j < len(text) and text[j] == " ":
            j += 1
        if j < len(text) and text[j] == "[":
            close = text.find("]", j)
            if close < 0:
                return None
            values.append(text[j + 1:close])
            i = close + 1
        else:
            values.append(macro.default)
        needed -= 1
    for _ in range(needed):
        while i < len(text) and text[i] == " ":
            i += 1
        if i >= len(text):
            return None
        if text[i] == "{":
            end = _group(text, i)
            if end is None:
                return None
            values.append(text[i + 1:end - 1])
            i = end
        elif text[i] == "\\":
            match = re.match(r"\\(?:[A-Za-z]+|.)", text[i:])
            values.append(match.group(0) if match else text[i])
            i += len(values[-1])
        else:
            values.append(text[i])
            i += 1
    return values, i


def expand(text: str, macros: dict[str, Macro] | None = None) -> str:
    """``text`` with the uses of the macros (by default those the text defines) expanded; unchanged when
    nothing is defined, an argument is not closed where every use needs it, or a limit is reached (a macro
    that uses itself, a body that grows without bound)."""
    if macros is None:
        # a whole document: its definitions are not expanded, only what follows the last of them
        macros = definitions(text)
        ends = [_group(text, m.end() - 1) or m.end() for pattern in (_DEFINITION, _OPERATOR, _DEF)
                for m in pattern.finditer(text[:MAX_SCANNED])]
        start = max(ends, default=0)
        return text[:start] + expand(text[start:], macros) if macros else text
    if not macros:
        return text
    limit = MAX_GROWTH * len(text) + MAX_EXTRA
    names = sorted(macros, key=len, reverse=True)
    use = re.compile("(" + "|".join(re.escape(n) for n in names) + r")(?![A-Za-z])")
    body = text
    for _ in range(MAX_DEPTH):
        out: list[str] = []
        i, changed, size = 0, False, 0
        for match in use.finditer(body):
            if match.start() < i:
                continue
            macro = macros[match.group(1)]
            parsed = _arguments(body, match.end(), macro)
            if parsed is None:
                continue
            values, end = parsed
            replacement = re.sub(r"#(\d)", lambda m: values[int(m.group(1)) - 1]
                                 if 0 < int(m.group(1)) <= len(values) else m.group(0), macro.body)
            # a body that ends in a command name must not run into the letters that follow (\bt x)
            if re.search(r"\\[A-Za-z]+$", replacement) and end < len(body) and body[end].isalpha():
                replacement += " "
            out += [body[i:match.start()], replacement]
            size += match.start() - i + len(replacement)
            i, changed = end, True
            if size > limit:
                return text
        out.append(body[i:])
        body = "".join(out)
        if not changed:
            return body
    return text


def without_definitions(text: str) -> str:
    """``text`` without the macro definitions written in it (``\\DeclareMathOperator{\\E}{\\mathbb{E}}`` at the
    start of a display, as stats.stackexchange answers write them): a definition typesets nothing, so the
    step is what follows it. A definition whose body is not closed is left as it is (the step is then not
    read)."""
    out, i = [], 0
    matches = sorted((m for pattern in (_DEFINITION, _OPERATOR, _DEF) for m in pattern.finditer(text)),
                     key=lambda m: m.start())
    for match in matches:
        if match.start() < i:
            continue
        end = _group(text, match.end() - 1)
        if end is None:
            return text
        out.append(text[i:match.start()])
        i = end
    return "".join(out) + text[i:]
