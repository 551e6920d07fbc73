"""What the user declared, as plain strings: from CLI flags or a YAML/TOML file.

A :class:`ModelSpec` is not yet checked; :func:`symfisher.model.build_model`
turns it into a validated :class:`~symfisher.model.Model`.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from symfisher.errors import InputFileError, ModelError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_SUPPORT = r"(-\infty, \infty)"
DEFAULT_DOMAIN = "real"
MAX_FILE_BYTES = 1_000_000

#: Keys a model file may have, and whether each is required.
FILE_KEYS: dict[str, bool] = {"title": False, "title_zh": False, "density": True, "variable": False, "parameters": True,
                              "constants": False, "support": False, "description": False,
                              "tags": False, "reparametrization": False}


@dataclass(frozen=True)
class ModelSpec:
    """A model as declared: LaTeX strings and (name, domain) pairs, in the given order."""

    density: str
    parameters: tuple[tuple[str, str], ...]
    variable: str = "x"
    constants: tuple[tuple[str, str], ...] = ()
    support: str = DEFAULT_SUPPORT
    title: str = ""
    title_zh: str = ""              # the title in Chinese documents (default: title)
    description: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)
    origin: str = "command line"
    # η = new parameters, and each old parameter θⱼ written in them: ((name, domain), …), ((θⱼ, LaTeX), …)
    reparametrization: tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]] | None = None

    def with_title(self, title: str) -> ModelSpec:
        return replace(self, title=title, title_zh=title)


def parse_declaration(text: str, what: str = "parameter") -> tuple[str, str]:
    """Read ``'\\mu:real'`` (or just ``'\\mu'``, domain real) into ``('\\mu', 'real')``.

    Raises:
        ModelError: when the text is empty.
    """
    name, sep, domain = text.rpartition(":")
    if not sep:
        name, domain = text, DEFAULT_DOMAIN
    name, domain = name.strip(), domain.strip()
    if not name:
        raise ModelError(f"empty {what} declaration {text!r}: write NAME:DOMAIN, e.g. '\\mu:real'")
    return name, domain


def _declarations(value: Any, key: str, origin: str) -> tuple[tuple[str, str], ...]:
    """Accept a mapping, a list of 'name:domain' strings, of {name: domain} or {name:, domain:}."""
    what = key.rstrip("s")
    if value is None:
        return ()
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list):
        items = []
        for entry in value:
            if isinstance(entry, str):
                items.append(parse_declaration(entry, what))
            elif isinstance(entry, dict) and set(entry) == {"name", "domain"}:
                items.append((entry["name"], entry["domain"]))
            elif isinstance(entry, dict) and len(entry) == 1:
                items.append(next(iter(entry.items())))
            else:
                raise InputFileError(f"{origin}: each entry of '{key}' must be 'name:domain', "
                                     f"{{name: domain}} or {{name: ..., domain: ...}}")
    else:
        raise InputFileError(f"{origin}: '{key}' must be a list or a mapping of name: domain")
    for name, domain in items:
        if not isinstance(name, str) or not isinstance(domain, str):
            raise InputFileError(f"{origin}: in '{key}', names and domains must be text, "
                                 f"got {name!r}: {domain!r}")
    return tuple((n.strip(), d.strip()) for n, d in items)


def _text(data: dict[str, Any], key: str, default: str, origin: str) -> str:
    value = data.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise InputFileError(f"{origin}: '{key}' must be text (quote it), got {type(value).__name__}")
    return value


def spec_from_mapping(data: Any, origin: str) -> ModelSpec:
    """Build a spec from a parsed YAML/TOML document.

    Raises:
        InputFileError: missing or unknown keys, values of the wrong type.
    """
    if not isinstance(data, dict):
        raise InputFileError(f"{origin}: a model file must be a mapping of keys "
                             f"({', '.join(FILE_KEYS)})")
    unknown = [k for k in data if k not in FILE_KEYS]
    if unknown:
        raise InputFileError(f"{origin}: unknown key {str(unknown[0])!r}; "
                             f"the keys are {', '.join(FILE_KEYS)}")
    missing = [k for k, required in FILE_KEYS.items() if required and k not in data]
    if missing:
        raise InputFileError(f"{origin}: the key '{missing[0]}' is required")
    tags = data.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise InputFileError(f"{origin}: 'tags' must be a list of text")
    return ModelSpec(
        density=_text(data, "density", "", origin),
        parameters=_declarations(data.get("parameters"), "parameters", origin),
        variable=_text(data, "variable", "x", origin),
        constants=_declarations(data.get("constants"), "constants", origin),
        support=_text(data, "support", DEFAULT_SUPPORT, origin),
        title=_text(data, "title", "", origin),
        title_zh=_text(data, "title_zh", "", origin),
        description=_text(data, "description", "", origin),
        tags=tuple(tags),
        origin=origin,
        reparametrization=_reparametrization(data.get("reparametrization"), origin),
    )


def _reparametrization(value: Any, origin: str):
    """``{parameters: [v: positive], theta: {\\sigma: \\sqrt{v}}}`` -> (declarations, mapping)."""
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != {"parameters", "theta"}:
        raise InputFileError(f"{origin}: 'reparametrization' must have the keys parameters (the new ones) and "
                             "theta (each old parameter in terms of them)")
    mapping = value["theta"]
    if not isinstance(mapping, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()):
        raise InputFileError(f"{origin}: reparametrization theta must map each old parameter to LaTeX text")
    return _declarations(value["parameters"], "parameters", origin), tuple(mapping.items())


class _NoAliasLoader(yaml.SafeLoader):
    """Safe YAML without anchors/aliases: no object construction, no alias bombs."""

    def compose_node(self, parent, index):  # noqa: D102
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(None, None, "YAML aliases are not allowed", mark)
        return super().compose_node(parent, index)


def load_text(text: str, origin: str, fmt: str) -> Any:
    """Parse YAML or TOML text safely.

    Raises:
        InputFileError: on syntax errors (with line and column).
    """
    try:
        if fmt == "toml":
            return tomllib.loads(text)
        return yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InputFileError(f"{origin}: invalid YAML{where}: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise InputFileError(f"{origin}: invalid YAML: {exc}".splitlines()[0]) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputFileError(f"{origin}: invalid TOML: {exc}") from None
    except RecursionError:
        raise InputFileError(f"{origin}: the document is nested too deeply") from None


def read_text_file(path: Path, what: str = "file", limit: int = MAX_FILE_BYTES) -> str:
    """Read a UTF-8 text file of reasonable size.

    Raises:
        InputFileError: missing, unreadable, too large or not UTF-8.
    """
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputFileError(f"{path}: the {what} is {size:,} bytes; the limit is {limit:,}")
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputFileError(f"{path}: is a directory, not a {what}") from None
    except UnicodeDecodeError as exc:
        raise InputFileError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise InputFileError(f"{path}: cannot read ({exc.strerror})") from None


def load_model_file(path: str | Path) -> ModelSpec:
    """Read a model file (``.yaml``/``.yml`` or ``.toml``).

    Raises:
        InputFileError: unreadable files, invalid YAML/TOML, wrong keys.
    """
    path = Path(path)
    text = read_text_file(path, "model file")
    fmt = "toml" if path.suffix.lower() == ".toml" else "yaml"
    return spec_from_mapping(load_text(text, str(path), fmt), str(path))
