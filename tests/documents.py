"""The reference documents: golden files under tests/golden/ and the examples in output/.

Regenerate both after a deliberate change, then review the diff:

    python tests/documents.py

The tests compare fresh renders with these files byte for byte, render every
Markdown math block with KaTeX, and compile every .tex with its engine.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN_DIR = ROOT / "tests" / "golden"
OUTPUT_DIR = ROOT / "output"
REGENERATE = "python tests/documents.py"

#: A fixed date, so that the documents do not change with the calendar.
DATE = "2025-08-18"
LANGS = ("zh", "en")
FORMATS = ("md", "tex")

#: Golden files: the models the issue names, in both languages and formats.
GOLDEN_MODELS = ("normal", "bernoulli", "poisson", "gamma")
#: output/: a few catalogue models a visitor can read, including an irregular and a non-smooth one.
OUTPUT_MODELS = ("normal", "gamma", "poisson", "laplace", "uniform")


def documents(models: tuple[str, ...], directory: Path, derived) -> dict[Path, str]:
    """{path: rendered text} for every model, language and format."""
    from symfisher.render import render

    out = {}
    for name in models:
        derivation = derived(name)
        for lang in LANGS:
            for fmt in FORMATS:
                out[directory / f"{name}.{lang}.{fmt}"] = render(derivation, fmt, lang, date=DATE)
    return out


def derive_catalogue_model(name: str):
    from symfisher.catalog import catalog
    from symfisher.derive import derive
    from symfisher.model import build_model

    return derive(build_model(catalog()[name]))


def main() -> int:
    from functools import lru_cache

    from symfisher.render import write_atomic

    derived = lru_cache(maxsize=None)(derive_catalogue_model)
    for models, directory in ((GOLDEN_MODELS, GOLDEN_DIR), (OUTPUT_MODELS, OUTPUT_DIR)):
        wanted = documents(models, directory, derived)
        for path, text in wanted.items():
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                write_atomic(path, text)
                print(f"updated {path.relative_to(ROOT)}")
        for stale in set(directory.glob("*.md")) | set(directory.glob("*.tex")):
            if stale not in wanted and stale.name != "README.md":
                stale.unlink()
                print(f"removed {stale.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
