"""symfisher: a symbolic derivation engine for the Fisher information.

The pipeline, one stage per subpackage::

    LaTeX --parse--> Model --derive--> Derivation --render--> Markdown / LaTeX
    hand proof --extract--> steps --check--> verdicts (reusing parse and the expectation engine)

``parse_model`` is the first stage's front door, ``derive`` the second, ``render``
the third and ``check`` the proof checker's::

    from symfisher import parse_model, derive
    d = derive(parse_model(r"\\lambda e^{-\\lambda x}", [(r"\\lambda", "positive")], support=r"(0,\\infty)"))
    d.fisher    # ((lambda**(-2),),)
"""

from __future__ import annotations

from symfisher.derive import Derivation, derive
from symfisher.errors import SymfisherError
from symfisher.model import Model, ModelSpec, build_model, load_model_file
from symfisher.render import render
from symfisher import check                # a callable module: symfisher.check(text) -> Report
from symfisher.check import Report

__all__ = ["Derivation", "Model", "ModelSpec", "Report", "SymfisherError", "build_model", "check", "derive",
           "load_model_file", "parse_model", "render"]

__version__ = "0.1.0"


def parse_model(density: str, parameters: list[tuple[str, str]] | tuple[tuple[str, str], ...],
                variable: str = "x", constants: tuple[tuple[str, str], ...] = (),
                support: str = r"(-\infty, \infty)", title: str = "") -> Model:
    """Parse and validate a model from LaTeX.

    Example::

        parse_model(r"\\lambda e^{-\\lambda x}", [(r"\\lambda", "positive")], support=r"(0,\\infty)")

    Raises:
        SymfisherError: with a one-line message naming the problem.
    """
    return build_model(ModelSpec(density=density, parameters=tuple(parameters), variable=variable,
                                 constants=tuple(constants), support=support, title=title))
