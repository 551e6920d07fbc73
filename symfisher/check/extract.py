"""Reading a hand-written derivation: display math -> chains of links ``lhs = rhs``.

Takes Markdown or LaTeX text; gives the front matter (a mapping or None) and
:class:`Link` objects numbered 1, 2, … in reading order, one per relation.
Display math is every ``$$…$$``, ``\\[…\\]`` and top-level ``equation``/``align``/
``gather``/``multline`` environment; inside, ``aligned``/``gathered``/``split``
wrappers are dropped, rows split at ``\\\\``, and a row that begins with a
relation continues the chain above. Text after ``&&`` in a row is the author's
annotation, not mathematics. Prose outside display math is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from symfisher.errors import CheckError

#: Relations a chain may use, in the order they are looked for, and what they mean.
RELATIONS: dict[str, str] = {
    r"\approx": "≈", r"\neq": "≠", r"\ne": "≠", r"\leq": "≤", r"\le": "≤", r"\geq": "≥", r"\ge": "≥",
    r"\equiv": "=", r"\coloneqq": "=", ":=": "=", "=": "=", "<": "<", ">": ">",
}

_DISPLAY = re.compile(
    r"\$\$(?P<dollars>.*?)\$\$"
    r"|\\\[(?P<brackets>.*?)\\\]"
    r"|\\begin\{(?P<env>equation|align|gather|multline|eqnarray|displaymath)(?P<star>\*?)\}(?P<body>.*?)"
    r"\\end\{(?P=env)(?P=star)\}",
    re.S)
_WRAPPERS = re.compile(r"\\(?:begin|end)\{(?:aligned|gathered|split|alignedat|array)\}(?:\{[^}]*\})?")
_ANNOTATIONS = re.compile(r"\\(?:label|tag|tag\*)\{[^{}]*\}|\\nonumber|\\notag")


@dataclass(frozen=True)
class Link:
    """One step of a chain: ``lhs relation rhs``, with where it was written."""

    index: int          # 1, 2, … over the whole file
    block: int          # 1, 2, … display blocks
    line: int           # line of the file where the relation is written
    lhs: str
    rhs: str
    relation: str       # "=", "≈", "≠", "≤", …
    note: str = ""      # the author's annotation after &&, if any


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


def _environment(text: str, i: int) -> int:
    """+1 where ``\\begin{`` starts at ``i``, −1 where ``\\end{`` does, else 0."""
    return 1 if text.startswith("\\begin{", i) else -1 if text.startswith("\\end{", i) else 0


def _split_top(text: str, separator: str) -> list[tuple[str, int]]:
    """Split at ``separator`` outside braces; (part, offset) pairs."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and text.startswith(separator, i) and depth == 0:
            parts.append((text[start:i], start))
            i += len(separator)
            start = i
            continue
        if _environment(text, i):
            depth += _environment(text, i)              # a matrix keeps its rows and columns
            i += 2
            continue
        if ch == "\\":
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == separator and depth == 0:
            parts.append((text[start:i], start))
            start = i + 1
        i += 1
    parts.append((text[start:], start))
    return parts


def _relations(row: str) -> list[tuple[str, str, int]]:
    """Split a row at its top-level relations: [(relation before, text, offset of the relation), …]."""
    out, depth, start, i, current, at = [], 0, 0, 0, "", 0
    while i < len(row):
        ch = row[i]
        if _environment(row, i):
            depth += _environment(row, i)
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0:
            for symbol, meaning in RELATIONS.items():
                if row.startswith(symbol, i) and not (symbol[0] == "\\" and row[i + len(symbol):i + len(symbol) + 1]
                                                      .isalpha()):
                    if symbol in "<>" and row[max(0, i - 5):i].endswith(("\\left", "\\right")):
                        break
                    out.append((current, row[start:i], at))
                    current, start, at = meaning, i + len(symbol), i
                    i = start - 1
                    break
            else:
                if ch == "\\":
                    i += 1
        elif ch == "\\":
            i += 1
        i += 1
    out.append((current, row[start:], at))
    return out


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
        if row[i] == "&" and depth == 0:
            out.append(" ")
        else:
            out.append(row[i])
        i += 1
    return "".join(out)


def links(text: str) -> tuple[dict[str, Any] | None, list[Link]]:
    """The front matter and every link of every display block, numbered in reading order.

    Raises:
        CheckError: unterminated display math, or bad front matter.
    """
    matter, body, first_line = front_matter(text)
    offset_line = first_line - 1
    _unterminated(body, offset_line)
    out: list[Link] = []
    for block, match in enumerate(_DISPLAY.finditer(body), start=1):
        group = next(g for g in ("dollars", "brackets", "body") if match.group(g) is not None)
        content, base = match.group(group), match.start(group)
        content = _WRAPPERS.sub(lambda m: " " * len(m.group()), content)
        content = _ANNOTATIONS.sub(lambda m: " " * len(m.group()), content)
        previous_rhs: str | None = None
        for row, row_start in _split_top(content, "\\\\"):
            row = re.sub(r"^\[[^\]]*\]", "", row) if row.startswith("[") else row   # \\[2pt]
            math, _, note = row.partition("&&")
            parts = _relations(_drop_alignment(math))
            line = offset_line + body.count("\n", 0, base + row_start) + 1
            head = parts[0][1].strip()
            if len(parts) == 1:
                if head and out and previous_rhs is not None and out[-1].block == block:
                    # a row without a relation continues the right side above (a long expression)
                    last = out[-1]
                    out[-1] = Link(last.index, last.block, last.line, last.lhs, f"{last.rhs} {head}",
                                   last.relation, last.note)
                    previous_rhs = out[-1].rhs
                continue
            lhs = head if head else previous_rhs
            if lhs is None:
                continue
            for relation, rhs, at in parts[1:]:
                relation_line = line + row[:at].count("\n")
                out.append(Link(len(out) + 1, block, relation_line, lhs.strip(), rhs.strip(), relation,
                                " ".join(note.split())))
                lhs = rhs
            previous_rhs = lhs.strip()
    return matter, out


def _unterminated(body: str, offset_line: int) -> None:
    rest = _DISPLAY.sub(lambda m: " " * len(m.group()), body)
    for pattern, name in ((r"\$\$", "$$"), (r"\\\[", r"\["), (r"\\begin\{(equation|align|gather)\*?\}", "\\begin")):
        found = re.search(pattern, rest)
        if found:
            line = offset_line + rest.count("\n", 0, found.start()) + 1
            raise CheckError(f"line {line}: display math opened with {name} is never closed")
