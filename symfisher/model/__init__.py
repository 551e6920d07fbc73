"""Stage 2, model: declarations -> a validated statistical model.

``ModelSpec`` holds what the user declared (CLI flags or a YAML/TOML file);
``build_model`` parses and validates it into a ``Model``.
"""

from symfisher.model.build import build_model
from symfisher.model.domains import DOMAINS, Domain
from symfisher.model.model import Declared, Model, expression_json
from symfisher.model.spec import ModelSpec, load_model_file, parse_declaration, spec_from_mapping

__all__ = ["DOMAINS", "Declared", "Domain", "Model", "ModelSpec", "build_model", "expression_json",
           "load_model_file", "parse_declaration", "spec_from_mapping"]
