"""Stage 4, render: Derivation -> Markdown or LaTeX document, in Chinese or English.

``render(derivation, fmt, lang)`` builds the document view (every expression
printed once), looks up the language's wording table and fills the format's
template from the one Jinja2 environment. ``write`` puts the result on disk
atomically.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox

from symfisher.derive import Derivation
from symfisher.errors import RenderError
from symfisher.render.document import DocumentView, document_view
from symfisher.render.environment import ENV, Wording, environment
from symfisher.render.escape import markdown_text, tex_text
from symfisher.render.output import write_atomic

__all__ = ["FORMATS", "LANGUAGES", "DocumentView", "ENV", "document_date", "environment", "render",
           "write_atomic"]


@dataclass(frozen=True)
class Format:
    """An output format: its template, file suffix and TeX engine per language."""

    template: str
    suffix: str
    engines: tuple[tuple[str, str], ...] = ()


FORMATS: dict[str, Format] = {
    "md": Format("document.md.j2", ".md"),
    "tex": Format("document.tex.j2", ".tex", (("en", "pdflatex"), ("zh", "xelatex"))),
    "notebook": Format("notebook.md.j2", ".md"),        # Markdown without front matter (Jupyter)
    "chapter": Format("chapter.tex.j2", ".tex", (("en", "pdflatex"), ("zh", "xelatex"))),   # for the booklet
}

LANGUAGES = ("zh", "en")


def document_date(date: str | dt.date | None = None) -> dt.date:
    """The document's date: ``date`` if given, else ``SOURCE_DATE_EPOCH``, else today (UTC).

    Raises:
        RenderError: for a date that is not YYYY-MM-DD or an epoch that is not an integer.
    """
    if isinstance(date, dt.date):
        return date
    if date is not None:
        try:
            return dt.date.fromisoformat(str(date).strip())
        except ValueError:
            raise RenderError(f"--date {date!r}: expected a date as YYYY-MM-DD") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
        except (ValueError, OverflowError, OSError):
            raise RenderError(f"SOURCE_DATE_EPOCH={epoch!r}: expected seconds since 1970 as an integer") from None
    return dt.datetime.now(dt.timezone.utc).date()


def render(derivation: Derivation, fmt: str = "md", lang: str = "en", *, date: str | dt.date | None = None,
           templates: str | Path | None = None, title: str | None = None,
           figures: dict[str, str] | None = None) -> str:
    """The write-up of ``derivation`` as a Markdown or LaTeX document.

    Args:
        derivation: what :func:`symfisher.derive` returned.
        fmt: ``"md"``, ``"tex"`` or ``"notebook"`` (Markdown without front matter).
        lang: ``"zh"`` or ``"en"``.
        date: the date printed in the document (see :func:`document_date`).
        templates: a directory searched before the built-in templates.
        title: the document title (default: the model's title, else the wording's).
        figures: {figure name: file name relative to the document} from :func:`figures.draw`.

    Raises:
        RenderError: unknown format or language, or a template that fails.
    """
    if fmt not in FORMATS:
        raise RenderError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if lang not in LANGUAGES:
        raise RenderError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    env = environment(templates)
    wording = Wording(env, lang, "tex" if fmt in ("tex", "chapter") else "md")
    model = derivation.model
    name = (title if title is not None else (model.title_zh if lang == "zh" and model.title_zh else model.title)
            ).strip()
    view = document_view(derivation, title=name, description=model.description, tags=tuple(model.tags))
    engine = dict(FORMATS[fmt].engines).get(lang, "")
    context: dict[str, Any] = {
        "doc": view, "model": view.model, "lang": lang, "figures": dict(figures or {}), "fmt": wording.fmt, "engine": engine,
        "date": document_date(date).isoformat(),
        "title": wording.plain({}, "title" if name else "title_untitled", name=name),
        "tags": tuple(dict.fromkeys([*wording.lookup("tags"), *view.tags])),
        "text": _TEXT[(wording.fmt, engine == "xelatex")],
    }

    def say(key: str, **values: Any) -> str:
        return wording.say(context, key, **values)

    def reason(line) -> str:
        """The reason printed after a step: the rule's wording and, if any, its status."""
        text = say(f"rules.{line.rule}")
        return text if line.status == "proved" else text + say(f"status.{line.status}", condition=line.condition)

    context.update(say=say, reason=reason, words=wording.lookup)
    try:
        template = env.get_template(FORMATS[fmt].template)
        text = template.render(context)
    except jinja2.TemplateNotFound as exc:
        raise RenderError(f"template {exc.name} not found") from None
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"template {exc.filename or exc.name}, line {exc.lineno}: {exc.message}") from None
    except jinja2.sandbox.SecurityError as exc:
        raise RenderError(f"{_template_position(exc, FORMATS[fmt].template)}: refused by the sandbox: "
                          f"{exc}") from None
    except jinja2.UndefinedError as exc:
        raise RenderError(f"{_template_position(exc, FORMATS[fmt].template)}: {exc.message}") from None
    return _tidy(text)


def _template_position(exc: BaseException, default: str) -> str:
    """'template NAME, line N' of the innermost template frame of a rendering error (Jinja2 maps its
    frames to the template's file and line), else the top template's name."""
    where, tb = f"template {default}", exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".j2", ".yaml")) or filename == "<template>":
            where = f"template {Path(filename).name}, line {tb.tb_lineno}"
        tb = tb.tb_next
    return where


#: How user text is escaped: by format, and for TeX by whether the engine reads Unicode.
_TEXT = {("md", False): markdown_text, ("tex", False): tex_text,
         ("tex", True): lambda text: tex_text(text, unicode_engine=True)}


def _tidy(text: str) -> str:
    """At most one blank line in a row, one newline at the end."""
    lines, blank = [], False
    for line in text.splitlines():
        line = line.rstrip()
        if not line and blank:
            continue
        blank = not line
        lines.append(line)
    return "\n".join(lines).strip("\n") + "\n"
