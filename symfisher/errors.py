"""One error tree for symfisher.

The CLI catches :class:`SymfisherError` only, prints its one-line message (plus,
for errors located in LaTeX, the excerpt with a caret) and exits with code 2.
Anything else escaping is a bug and keeps its traceback.

Following latexify, "not supported yet" (:class:`Unsupported`) is kept apart
from "can never be valid" (the other subclasses).
"""

from __future__ import annotations


class SymfisherError(Exception):
    """Base class of every error symfisher reports to a user."""

    #: Short machine-readable code, used in JSON output and tests.
    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def one_line(self) -> str:
        """The message as a single line (no newlines, ever)."""
        return " ".join(self.message.split())

    def details(self) -> list[str]:
        """Extra context lines shown under the one-line message."""
        return []


class LocatedError(SymfisherError):
    """An error at a known position of a piece of LaTeX text."""

    def __init__(self, message: str, source: str = "", position: int | None = None,
                 what: str = "input") -> None:
        self.source = source
        self.position = position
        self.what = what
        where = f"{what}, column {position + 1}: " if position is not None else f"{what}: "
        super().__init__(where + message)

    def details(self) -> list[str]:
        if self.position is None or not self.source:
            return []
        return caret_excerpt(self.source, self.position)


def caret_excerpt(source: str, position: int, width: int = 60) -> list[str]:
    """Return two lines: an excerpt of ``source`` and a caret under ``position``.

    Long inputs are cut to a window around the position; control and
    bidirectional characters are shown as ``?`` so the caret stays aligned.
    """
    position = max(0, min(position, len(source)))
    start = max(0, position - width // 2)
    end = min(len(source), start + width)
    shown = "".join(ch if ch.isprintable() and ord(ch) < 0x2000 else "?" for ch in source[start:end])
    prefix = "..." if start > 0 else ""
    suffix = "..." if end < len(source) else ""
    return ["  " + prefix + shown + suffix, "  " + " " * (len(prefix) + position - start) + "^"]


class ParseError(LocatedError):
    """LaTeX that cannot be read: syntax, unknown commands, undeclared names."""

    code = "parse"


class Unsupported(LocatedError):
    """Valid notation that symfisher does not handle yet."""

    code = "unsupported"


class ModelError(SymfisherError):
    """A model that is not a valid statistical model (declarations, support, density)."""

    code = "model"


class InputFileError(SymfisherError):
    """A model file or proof file that cannot be read."""

    code = "input"


class OutputFileError(SymfisherError):
    """A document that cannot be written (the previous file, if any, is untouched)."""

    code = "output"


class BudgetExceeded(SymfisherError):
    """A symbolic operation ran out of its time budget."""

    code = "budget"

    def __init__(self, label: str, seconds: float) -> None:
        self.label = label
        self.seconds = seconds
        super().__init__(f"{label}: no answer within the time budget of {seconds:g} s")


class DeadlineExceeded(BudgetExceeded):
    """An operation cut short, or not started, by the run's deadline (``--deadline``)."""

    def __init__(self, label: str, seconds: float, passed: bool = False) -> None:
        self.label = label
        self.seconds = seconds
        SymfisherError.__init__(self, f"{label}: not attempted: the run's deadline of {seconds:g} s has passed"
                                if passed else f"{label}: no answer within the run's deadline of {seconds:g} s")


class DerivationError(SymfisherError):
    """The derivation cannot proceed for this model."""

    code = "derivation"


class RenderError(SymfisherError):
    """A document cannot be rendered or written."""

    code = "render"


class CheckError(SymfisherError):
    """A hand proof cannot be read for checking."""

    code = "check"
