"""Diagnostics: what a stage noticed that the user should know, as data.

A diagnostic is not an error: the run goes on, and the document states it where
it applies. Codes are stable (templates and JSON consumers select on them).
"""

from __future__ import annotations

from dataclasses import dataclass

#: Every diagnostic code and what it means, in one place.
CODES: dict[str, str] = {
    "support-depends-on-parameter": "the support depends on a parameter, so differentiation "
                                    "under the integral sign is not justified",
    "unused-constant": "a declared constant does not occur in the model",
    "normalization-numeric": "normalization was checked numerically, not proved symbolically",
    "score-mean-nonzero": "the score does not have mean zero (the model is not regular)",
    "hessian-route-invalid": "log p is not twice differentiable in θ, so F = −E[H] fails",
    "fisher-entry-numeric": "a Fisher entry was not derived symbolically; numeric values are given",
    "routes-disagree": "E[s sᵀ] and −E[H] differ for a model that looks regular",
    "point-mass-rejected": "the point mass of a kink disagreed with the numeric gap between the routes; left out",
    "result-omitted": "an optional result (MLE, Cramér–Rao, reparametrization, KL, figures) failed and is left out",
}


@dataclass(frozen=True)
class Diagnostic:
    """One thing worth telling: a stable ``code`` and a sentence."""

    code: str
    message: str

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unknown diagnostic code {self.code!r}")

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}
