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
#: output/: a few catalogue models a visitor can read (with figures), including an irregular and a non-smooth one.
OUTPUT_MODELS = ("normal", "gamma", "poisson", "laplace", "uniform")


def documents(models: tuple[str, ...], directory: Path, derived, figures_into: Path | None = None
              ) -> dict[Path, str | bytes]:
    """{path: rendered text (or figure bytes)} for every model, language and format.

    With ``figures_into``, the figures are drawn there and the documents refer to them.
    """
    from symfisher.render import render
    from symfisher.render.figures import draw

    out: dict[Path, str | bytes] = {}
    for name in models:
        derivation = derived(name)
        figures = draw(derivation, figures_into, name) if figures_into is not None else {}
        for file in figures.values():
            out[directory / file] = (figures_into / file).read_bytes()
        for lang in LANGS:
            for fmt in FORMATS:
                out[directory / f"{name}.{lang}.{fmt}"] = render(derivation, fmt, lang, date=DATE, figures=figures)
    return out


def derive_catalogue_model(name: str):
    from symfisher.catalog import catalog
    from symfisher.derive import derive
    from symfisher.model import build_model

    return derive(build_model(catalog()[name]))


def main() -> int:
    import tempfile
    from functools import lru_cache

    from symfisher.render.output import write_atomic_bytes

    derived = lru_cache(maxsize=None)(derive_catalogue_model)
    with tempfile.TemporaryDirectory() as scratch:
        for models, directory, figures in ((GOLDEN_MODELS, GOLDEN_DIR, None),
                                           (OUTPUT_MODELS, OUTPUT_DIR, Path(scratch))):
            wanted = documents(models, directory, derived, figures)
            for path, content in wanted.items():
                data = content.encode("utf-8") if isinstance(content, str) else content
                if not path.exists() or path.read_bytes() != data:
                    write_atomic_bytes(path, data)
                    print(f"updated {path.relative_to(ROOT)}")
            _remove_stale(directory, wanted)
    return 0


def _remove_stale(directory: Path, wanted: dict) -> None:
    for stale in set(directory.glob("*.md")) | set(directory.glob("*.tex")) | set(directory.glob("*.png")):
        if stale not in wanted and stale.name != "README.md":
            stale.unlink()
            print(f"removed {stale.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
