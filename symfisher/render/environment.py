"""The one Jinja2 environment, its filters, and the wording tables.

Templates are found in a user directory first (``--templates DIR``), then in the
installed ``symfisher.templates`` package. ``StrictUndefined`` turns a misspelt
name into an error; there is no HTML autoescape: the targets are Markdown and
LaTeX, and user text is escaped for them by the filters registered here.

The environment is Jinja2's sandbox: a template pack or wording table passed between
colleagues is untrusted code, and ``{{ cycler.__init__.__globals__ }}`` must not reach
Python's internals (it is refused with a one-line error naming the template and line).
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox
import yaml

from symfisher.errors import RenderError
from symfisher.render.escape import markdown_text, prose, tex_text, yaml_string

TEMPLATE_PACKAGE = "symfisher.templates"


def _package_directory() -> str:
    """The installed templates; in a source checkout (``python -m pytest`` imports the
    ``symfisher/`` folder, beside which ``templates/`` sits), the checkout's own."""
    # the checkout beside the imported code first: an editable install elsewhere must not supply stale templates
    checkout = Path(__file__).resolve().parents[2] / "templates"
    if (checkout / "body.j2").is_file():
        return str(checkout)
    return str(resources.files(TEMPLATE_PACKAGE))


ENV = jinja2.sandbox.SandboxedEnvironment(
    loader=jinja2.FileSystemLoader(_package_directory()),
    undefined=jinja2.StrictUndefined,
    autoescape=False,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
ENV.filters.update({
    "yaml": yaml_string,
    "md": markdown_text,
    "tex": tex_text,
    "tex_unicode": functools.partial(tex_text, unicode_engine=True),
})


def environment(user_directory: str | Path | None = None) -> jinja2.Environment:
    """ENV, or an overlay of it whose search path starts with ``user_directory``.

    Raises:
        RenderError: when the directory does not exist.
    """
    if user_directory is None:
        return ENV
    path = Path(user_directory)
    if not path.is_dir():
        raise RenderError(f"--templates {user_directory}: not a directory")
    return _overlay(str(path.resolve()))


@functools.lru_cache(maxsize=8)
def _overlay(directory: str) -> jinja2.Environment:
    return ENV.overlay(loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(directory), ENV.loader]))


#: A space that YAML line folding put between two CJK characters (Chinese has no spaces).
_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_CJK_FOLD = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")


class Wording:
    """One language's wording table (``wording/<lang>.yaml``), rendered for one format.

    Entries are our prose with ``$math$``, ``**bold**`` and Jinja placeholders filled
    from the document view; ``say("fisher.definition")`` looks one up by dotted key.
    """

    def __init__(self, env: jinja2.Environment, lang: str, fmt: str) -> None:
        name = f"wording/{lang}.yaml"
        try:
            source, filename, _ = env.loader.get_source(env, name)
        except jinja2.TemplateNotFound:
            raise RenderError(f"no wording table {name} for --lang {lang}") from None
        try:
            table = yaml.safe_load(source)
        except yaml.YAMLError as exc:
            raise RenderError(f"{filename}: not valid YAML ({' '.join(str(exc).split())})") from None
        if not isinstance(table, dict):
            raise RenderError(f"{filename}: the wording table must be a mapping")
        self.env, self.table, self.fmt, self.filename = env, table, fmt, filename

    def lookup(self, key: str) -> Any:
        node: Any = self.table
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise RenderError(f"{self.filename}: no entry {key!r}")
            node = node[part]
        return node

    def say(self, context: dict[str, Any], key: str, **values: Any) -> str:
        text = self.lookup(key)
        if not isinstance(text, str):
            raise RenderError(f"{self.filename}: entry {key!r} is not text")
        return self._template(text).render({**context, **values}).strip()

    def plain(self, context: dict[str, Any], key: str, **values: Any) -> str:
        """An entry filled in but not converted to the format (for text escaped later)."""
        return self._template(self.lookup(key), raw=True).render({**context, **values}).strip()

    def _template(self, text: str, raw: bool = False) -> jinja2.Template:
        text = _CJK_FOLD.sub("", text)
        try:
            return _compile(self.env, text if raw else prose(text, self.fmt))
        except jinja2.TemplateSyntaxError as exc:
            raise RenderError(f"{self.filename}: {exc.message} in {text[:60]!r}") from None


@functools.lru_cache(maxsize=1024)
def _compile(env: jinja2.Environment, source: str) -> jinja2.Template:
    return env.from_string(source)
