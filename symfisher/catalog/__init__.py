"""The catalogue of textbook models, usable by name (``--model normal``).

Plain data in ``models.yaml``, read through the same spec and parse path as a
user's model file.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from importlib import resources

from symfisher.errors import ModelError
from symfisher.model.spec import ModelSpec, load_text, spec_from_mapping


@lru_cache(maxsize=1)
def catalog() -> dict[str, ModelSpec]:
    """Every catalogue model by name, in the catalogue's order."""
    text = resources.files(__package__).joinpath("models.yaml").read_text(encoding="utf-8")
    data = load_text(text, "catalogue", "yaml")
    return {name: spec_from_mapping(entry, f"catalogue: {name}") for name, entry in data.items()}


def catalog_spec(name: str) -> ModelSpec:
    """The catalogue model called ``name``.

    Raises:
        ModelError: when there is no such model (the message lists the names).
    """
    models = catalog()
    if name not in models:
        close = difflib.get_close_matches(name, models, n=3)
        hint = f"did you mean {' or '.join(close)}? " if close else ""
        raise ModelError(f"no catalogue model {name!r}; {hint}'symfisher catalog list' shows them all")
    return models[name]
