"""Stage 5, check: a hand-written derivation -> a verdict for every step.

``check(text)`` reads the display math of a Markdown or LaTeX document
(:mod:`~symfisher.check.extract`), reads each side of each step in the note's
notation (:mod:`~symfisher.check.notation`) and judges it
(:mod:`~symfisher.check.verdict`). Without a ``model:`` in the front matter the
setting is the note's abstract one (p unknown); with one, p, s, 𝐅 and 𝔼 are the
model's, and expectations go through the expectation engine.
"""

from __future__ import annotations

import cmath
import dataclasses
import functools
import itertools
import math
import re
import sys
import types
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp
from scipy import integrate as scipy_integrate
from sympy.core.function import AppliedUndef

from symfisher import budget
from symfisher.check.extract import Link, displays, front_matter, links, unread_displays
from symfisher.check.inference import StatedModel, inline_equations, scopes, stated_models, text_parameter
from symfisher.check.macros import definitions, expand, without_definitions
from symfisher.check.notation import (AMBIGUOUS_POWER, Estimator, Expect, NotationError, Remainder, SampleProduct,
                                      SampleSum, Setting, ShapeError, Zero, abstract_setting, definition,
                                      entrywise_only, index_letters, key, likelihood_patterns, log_likelihood_definition, one_observation, read,
                                      shows_sample, stated_names, states_independence, step_data, text_functions,
                                      text_names, text_points, text_setting, vector_parameter)
from symfisher.check.notation import reparametrization
from symfisher.check.verdict import (ORDER, RULES, Rewriter, Verdict, close, is_zero, judge, judge_inequality,
                                     judge_series, remainder_order)
from symfisher.errors import CheckError, SymfisherError
from symfisher.parse.lexer import latex_text

__all__ = ["RULES", "Report", "StepResult", "check"]

MARKS = {"proved": "✓", "refuted": "✗", "unknown": "?", "approximation": "≈"}


@dataclass(frozen=True)
class StepResult:
    link: Link
    verdict: Verdict

    @property
    def read(self) -> bool:
        """False for a link the extraction could not read (a side not written): it is listed, never judged."""
        return not self.link.unread

    def as_dict(self) -> dict[str, Any]:
        return {"index": self.link.index, "block": self.link.block, "line": self.link.line,
                "lhs": self.link.lhs, "rhs": self.link.rhs, "relation": self.link.relation, "kind": self.link.kind,
                "note": self.link.note or None, "read": self.read,
                "verdict": self.verdict.verdict, "rule": ", ".join(self.verdict.rules) or None,
                "reason": self.verdict.reason}


@dataclass(frozen=True)
class Report:
    """The verdicts of a document's steps."""

    steps: tuple[StepResult, ...]
    setting: str                      # "abstract" or "concrete"
    source: str
    #: (block, line) of each display with no relation in it: shown, so that nothing is passed over silently
    bare_displays: tuple[tuple[int, int], ...] = ()
    #: the models the text states (without a model: front matter), each read from its line on
    stated: tuple[str, ...] = ()

    @property
    def first_error(self) -> int | None:
        return next((s.link.index for s in self.steps if s.verdict.verdict == "refuted"), None)

    @property
    def valid(self) -> bool | None:
        """False when a step is refuted; True only when there are steps and every one is proved; else None.

        None means "nothing refuted, not everything proved": a step unknown, not read, an inequality or
        an approximation, or no step at all (a document with nothing to check is not a valid proof).
        """
        verdicts = {s.verdict.verdict for s in self.steps}
        if "refuted" in verdicts:
            return False
        return True if verdicts == {"proved"} else None

    @property
    def not_read(self) -> tuple[StepResult, ...]:
        """The links the author wrote that could not be read, each with its reason."""
        return tuple(s for s in self.steps if not s.read)

    def as_dict(self) -> dict[str, Any]:
        return {"setting": self.setting, "steps": [s.as_dict() for s in self.steps], "valid": self.valid,
                "first_error": self.first_error, "steps_read": len(self.steps) - len(self.not_read),
                "not_read": [s.link.index for s in self.not_read],
                "displays_without_relation": [{"block": b, "line": n} for b, n in self.bare_displays],
                "models_stated": list(self.stated)}

    def text(self) -> str:
        lines = [f"model read from the text, {model}" for model in self.stated]
        for s in self.steps:
            link, v = s.link, s.verdict
            lines.append(f"step {link.index:>3} (line {link.line}) {MARKS[v.verdict]} {v.verdict}: "
                         f"{_short(link.lhs)} {link.relation} {_short(link.rhs)}")
            lines.append(f"          {v.reason}")
        lines.extend(f"display {block} (line {line}): no relation (=, ≤, …) in it, nothing to check"
                     for block, line in self.bare_displays)
        counts = {k: sum(s.verdict.verdict == k for s in self.steps) for k in MARKS}
        summary = ", ".join(f"{n} {k}" for k, n in counts.items() if n)
        if self.not_read:
            summary += f"; {len(self.not_read)} not read"
        lines.append(f"{len(self.steps)} steps ({summary or 'none'}): {self._conclusion()}")
        return "\n".join(lines)

    def _conclusion(self) -> str:
        if self.valid is False:
            return f"first wrong step: {self.first_error}"
        if self.valid:
            return "valid"
        if not self.steps:
            return ("no step to check: no relation written in display math" if self.bare_displays
                    else "no step to check: no display math found")
        return "no step refuted, some not proved"

    def markdown(self) -> str:
        """The input, each display block followed by its steps' marks and reasons."""
        _, body, _ = front_matter(self.source)
        head = self.source[:len(self.source) - len(body)]
        by_block: dict[int, list[StepResult]] = {}
        for s in self.steps:
            by_block.setdefault(s.link.block, []).append(s)
        out, last = [head], 0
        bare = {block for block, _ in self.bare_displays}
        for display in displays(body):
            block = display.block
            out.append(body[last:display.end])
            last = display.end
            notes = [f"> {MARKS[s.verdict.verdict]} **step {s.link.index}** ({s.verdict.verdict}): "
                     f"{_escape(s.verdict.reason)}" for s in by_block.get(block, [])]
            if block in bare:
                notes.append("> ? no relation (=, ≤, …) in this display: nothing to check")
            if notes:
                out.append("\n\n" + "\n>\n".join(notes) + "\n")
        out.append(body[last:])
        return "".join(out)


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _escape(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]<>#|$])", r"\\\1", " ".join(text.split()))


#: Hypotheses a text can state, each with the words that state it (a regular expression over the prose and
#: the math). Rules that need one (RULES["unbiasedness"]) apply only when the text states it.
HYPOTHESES: dict[str, str] = {
    "unbiased": r"(?<!not )(?<!n't )\bunbiased\b",
    # an iid sample: said in words, or the log-likelihood written as a sum (a product) over the sample
    "iid": r"\bi\.?i\.?d\.?\b|independent(ly)? and identically distributed|\brandom sample\b"
           r"|\\(sum|prod)_\{?\s*i\s*=\s*1\s*\}?\^\{?\s*n\s*\}?[^$\n]{0,80}?\b[fp]\(\s*[Xx]_\{?i",
}


#: words that make a hypothesis a condition, not a statement: "if T is unbiased", "whether it is unbiased"
_CONDITIONAL = re.compile(r"\b(?:if|whether|unless|were)\b[^.;:$\n]{0,60}$", re.IGNORECASE)
#: an estimator the text calls biased: unbiasedness is then not what it states
_BIASED = re.compile(r"(?<![A-Za-z])biased\b", re.IGNORECASE)


def stated_hypotheses(text: str) -> frozenset[str]:
    """The hypotheses the text states (\"since θ̂ is unbiased\", \"for unbiased estimators\"); \"if T is
    unbiased\" is a condition, not a statement, and a text that calls an estimator biased states no
    unbiasedness."""
    stated = set()
    for name, words in HYPOTHESES.items():
        for match in re.finditer(words, text, re.IGNORECASE):
            if not _CONDITIONAL.search(text[max(0, match.start() - 80):match.start()]):
                stated.add(name)
                break
    if _BIASED.search(text):
        stated.discard("unbiased")
    return frozenset(stated)


def check(text: str) -> Report:
    """Judge every step of a derivation written in Markdown or LaTeX.

    Raises:
        CheckError: unreadable input (unterminated math, bad front matter, a bad model).
    """
    matter, steps = links(text)
    # the document's own macros (\newcommand{\bt}{\boldsymbol{\theta}}) are read expanded; the report keeps
    # the author's text
    macros = definitions(text)
    if macros:
        originals = steps
        steps = [dataclasses.replace(link, lhs=expand(without_definitions(link.lhs), macros),
                                     rhs=expand(without_definitions(link.rhs), macros)) for link in steps]
    model_data = (matter or {}).get("model")
    judge_step = _judge
    if _information_ambiguous(text):
        judge_step = functools.partial(_judge_both_informations, text=text)
    stated: tuple[StatedModel, ...] = ()
    if model_data is not None:
        groups = [(model_data, steps)]
    else:
        # no front matter: a density the text states (f(x|λ) = λe^{-λx}, X ∼ Poisson(λ)) that is the
        # catalogue's is the model from its line on; the steps before it are read in the abstract setting
        _, body, offset = front_matter(text)
        statements = [(link.line, link.lhs, link.rhs) for link in steps if link.relation == "=" and not link.unread]
        statements += [(line + offset - 1, lhs, rhs) for line, lhs, rhs in inline_equations(body)]
        stated = tuple(stated_models(statements, body, offset))
        in_force = scopes(list(stated), [link.line for link in steps])
        groups = [(model.data if model is not None else None, [link for _, link in group])
                  for model, group in itertools.groupby(zip(in_force, steps), key=lambda pair: pair[0])]
    results, kinds = [], set()
    for data, group in groups:
        kind, verdicts = _judge_group(group, steps, data, text, judge_step, front=model_data is not None)
        kinds.add(kind)
        results.extend(StepResult(link, verdict) for link, verdict in zip(group, verdicts))
    kind = kinds.pop() if len(kinds) == 1 else "mixed" if kinds else "abstract"
    if macros:
        results = [StepResult(original, result.verdict) for original, result in zip(originals, results)]
    return Report(tuple(results), kind, text, tuple(unread_displays(text)),
                  tuple(model.description for model in stated))


#: a bare name compared with a number: x > 0, \lambda \geq 0, 0 < p (a side condition, not a step)
_CONDITION_SIDE = re.compile(r"^\s*(?:\\[A-Za-z]+|[A-Za-z])(?:_\s*(?:\{[^{}]*\}|\w))?\s*$")
_NUMBER_SIDE = re.compile(r"^\s*-?\s*(?:\d+(?:[.,]\d+)?|\\infty)\s*$")


def _side_condition(link: Link) -> bool:
    """Whether a link is a side condition, x > 0, 0 < λ or x ≤ θ: an inequality between names and numbers."""
    if link.relation in ("=", "≈", "≠"):
        return False
    sides = (link.lhs, link.rhs)
    # x > 0, 0 < λ, and x ≤ θ (0 < x ≤ θ: the support of a uniform): bare names and numbers, a name at least
    return all(_CONDITION_SIDE.match(side) or _NUMBER_SIDE.match(side) for side in sides) and \
        any(_CONDITION_SIDE.match(side) for side in sides)


def _judge_group(group: list[Link], steps: list[Link], model_data: Any, text: str, judge_step, front: bool
                 ) -> tuple[str, list[Verdict]]:
    """The verdicts of ``group`` (some of the document's ``steps``), read with the model ``model_data`` (a
    front matter mapping) or, for None, in the abstract setting. Definitions and chains are the whole
    document's. A model the text states that does not build is no model: its steps are read abstractly."""
    setting = None
    if model_data is not None:
        try:
            setting, rewriter, numeric = _concrete(model_data, text)
            kind = "concrete"
        except CheckError:
            if front:
                raise
    if setting is None:
        # θ is a vector only when the text makes it one (∇, ᵀ, bold θ, θ₁); textbook derivations have a scalar θ
        entrywise = entrywise_only([f"{link.lhs} {link.rhs}" for link in steps])
        setting = abstract_setting(2 if vector_parameter(text) and not entrywise else 1)
        named = text_parameter(text) if setting.m == 1 else None
        if named is not None:
            # f(x|β), ℓ(β) and never θ: β is the text's name for θ (differentiation by β is by the parameter)
            setting.names[key(named)] = setting.theta[0]
        setting.hypotheses = stated_hypotheses(text)
        setting.functions = text_functions(text, setting)
        setting.points = text_points(text, setting)
        setting.one_observation = one_observation([side for link in steps for side in (link.lhs, link.rhs)])
        rewriter, numeric = Rewriter(setting), _abstract_numeric(setting)
        kind = "abstract"
    text_setting(setting, [side for link in steps for side in (link.lhs, link.rhs)], [link.lhs for link in steps])
    setting.independent = states_independence(text)
    setting.information_told = _information_told(text)
    # the density p applied anywhere in the text, inline math too ($p(x|p) = p^x (1-p)^{1-x}$)
    setting.p_density = setting.p_density or bool(re.search(r"(?<![\\A-Za-z])p\s*\(\s*[xXyYk]\b", text))
    heads = _chain_heads(steps)
    setting.sample_likelihood = any(step_data(f"{link.lhs} {link.rhs}", setting) == "sample" and
                                    LIKELIHOOD_NAMES.search(f"{link.lhs} {link.rhs}") for link in steps)
    # θ̂ = … after the likelihood equation ℓ'(θ) = 0 was written: θ̂ is the maximum likelihood estimate
    equation = next((link.index for link in steps if link.rhs.strip() == "0" and LIKELIHOOD_NAMES.search(
        heads[link.index]) and re.search(r"'|\\prime|\\partial|\\frac\s*\{\s*d", heads[link.index])), None)
    heads = {index: ("likelihood equation: " + head if equation is not None and index > equation else head)
             for index, head in heads.items()}
    indexed = None
    if kind == "abstract":
        indexed = _IndexedJudge(setting.one_observation, setting.data_aliases, setting.defined_at_x)
        indexed.setting.defined = setting.defined          # one set of the text's definitions
    verdicts = []
    for link in group:
        entrywise_step = indexed is not None and index_letters(f"{link.lhs} {link.rhs}") and not link.unread \
            and link.relation == "="
        defined = _defined(link, steps, setting, text)
        if defined is None and kind == "abstract" and _side_condition(link):
            # "f(x|β) = β² x e^{−βx} for x > 0": the domain the author gives, which no model here declares
            defined = Verdict("unknown", reason="a side condition (the domain of a name), which the text gives "
                                                "and nothing here declares: not checked")
        if defined is None:
            verdict = indexed(link) if entrywise_step else judge_step(link, setting, rewriter, numeric,
                                                                      heads[link.index])
            defined = _certain_shape(link, kind == "concrete", verdict)
        verdicts.append(defined)
        if link.relation == "=" and not link.unread:
            # ℓ(β) = log L(β): from here on ℓ, written bare too (dℓ/dβ), is read as that definition
            earlier = [side for other in steps[:steps.index(link)] for side in (other.lhs, other.rhs)]
            if log_likelihood_definition(link.lhs, link.rhs, setting) is not None and \
                    verdicts[-1].verdict == "unknown" and not any(_LOG_LIKELIHOOD_NAME.search(side)
                                                                  for side in earlier):
                # the first time the text writes the name: it holds by definition (a redefinition is a claim)
                verdicts[-1] = Verdict("proved", ("definition-log-likelihood",),
                                       RULES["definition-log-likelihood"])
    return kind, verdicts


#: A log-likelihood name written in a step (ℓ, l, 𝓁): a step that defines one is a definition only if no
#: earlier step writes one.
_LOG_LIKELIHOOD_NAME = re.compile(r"\\ell(?![A-Za-z])|(?<![A-Za-z\\])l(?![A-Za-z])|\\mathcal\s*\{\s*l\s*\}")


def _defined(link: Link, steps: list[Link], setting: Setting, text: str) -> Verdict | None:
    """The verdict of a step that defines a new name (z(X, θ) = ∂/∂θ log f(X|θ)), which later steps read as
    its right side; None for any other step. Steps are read in order, so only earlier steps count."""
    if link.unread or link.relation != "=":
        return None
    # what comes before: the earlier steps, and the text above the step's line (prose may already say what
    # the name is, "let g be the density of N(0, 1)": then the step is a claim about g, not its definition)
    earlier = [side for other in steps[:steps.index(link)] for side in (other.lhs, other.rhs)]
    earlier.append("\n".join(text.splitlines()[:max(link.line - 1, 0)]))
    name = definition(link.lhs, link.rhs, earlier, setting)
    if name is None:
        name = reparametrization(link.lhs, link.rhs, earlier, setting)
        if name is not None:
            return Verdict("unknown", reason=f"a reparametrization: the text gives {name}({link.lhs.split('(', 1)[1]} "
                                             f"as a function of the parameter (not checked); later steps read it so")
        return None
    return Verdict("proved", ("definition-new-name",), f"{RULES['definition-new-name']} ({name})")


class _IndexedJudge:
    """A step with generic indices (θᵢ, θⱼ, I_{ij}) in the abstract setting, checked entrywise.

    θ has length 2 and the step is judged at every assignment of its index letters to 1, 2 (so i = j and
    i ≠ j are both covered; the identities concern the entries θᵢ, θⱼ only, the others held fixed). Proved
    when proved at every assignment, refuted when refuted at one (the assignment is named), else unknown.
    """

    def __init__(self, one: bool, aliases: frozenset[str], defined: frozenset[str]) -> None:
        self.setting = abstract_setting(2)
        self.setting.one_observation = one
        self.setting.data_aliases, self.setting.defined_at_x = aliases, defined
        self.rewriter, self.numeric = Rewriter(self.setting), _abstract_numeric(self.setting)

    def __call__(self, link: Link) -> Verdict:
        letters = index_letters(f"{link.lhs} {link.rhs}")
        if len(letters) > 3:
            return Verdict("unknown", reason="not read: more than three generic indices")
        proved: list[Verdict] = []
        for values in itertools.product(range(self.setting.m), repeat=len(letters)):
            self.setting.indices = dict(zip(letters, values))
            try:
                verdict = _judge(link, self.setting, self.rewriter, self.numeric)
            finally:
                self.setting.indices = {}
            where = ", ".join(f"{letter} = {value + 1}" for letter, value in zip(letters, values))
            if verdict.verdict == "refuted":
                return Verdict("refuted", verdict.rules, f"entry {where} (θ of length 2): {verdict.reason}")
            if verdict.verdict != "proved":
                return Verdict(verdict.verdict, verdict.rules, f"entry {where} (θ of length 2): {verdict.reason}")
            proved.append(verdict)
        rules = tuple(dict.fromkeys(r for v in proved for r in v.rules))
        return Verdict("proved", rules, f"entrywise, at every assignment of the indices {', '.join(letters)} "
                                        f"(θ of length 2): " + "; ".join(RULES[r] for r in rules))


#: A step that writes the random variable as Y and no x or X: Y is the data (Var(Y) = E[Y²] − E[Y]²).
_DATA_Y = r"(?<![A-Za-z\\])Y(?![A-Za-z])"
_DATA_X = r"(?<![A-Za-z\\])[xX](?![A-Za-z])"


# ---------------------------------------------------------------------------- one observation's information or the sample's

#: A text about a sample: indexed observations, sums or products over them, a sample mean, or n.
_SAMPLE = re.compile(r"[xXyY]_\{?\s*[in1]\b|\\sum|\\prod|\\Sigma_|\\bar\s*\{?\s*[xXyY]|\\overline\s*\{?\s*[xXyY]"
                     r"|(?<![\\a-zA-Z])n(?![a-zA-Z])")


#: The text tells the two apart: I_n(θ), n I(θ), I_{X_1,…,X_n}: then a bare I(θ) is one observation's.
_PER_OBSERVATION = re.compile(r"(?:I|\\mathcal\s*\{?\s*I\s*\}?|F|\\mathbf\s*\{?\s*F\s*\}?)\s*_\s*\{?\s*(?:n\b|[xX]_)"
                              r"|(?<![\\a-zA-Z])n\s*(?:\\cdot|\\,|\\;|\s)*(?:I|\\mathcal\s*\{?\s*I\s*\}?|F|\\mathbf\s*\{?\s*F\s*\}?)"
                              r"\s*(?:\(|\\left)")


#: A step that writes the information by a name that may be either.
#: (𝐅 and F(θ), the note's and machine learning's names, are one observation's by convention: not ambiguous.)
_INFORMATION = re.compile(r"(?<![\\a-zA-Z])I\s*(?:_\s*\{?\s*[xX]\s*\}?\s*)?(?:\(|\\left)|\\mathcal\s*\{?\s*I")


#: The prose tells it in a sentence about the information: "the information for a single observation", "Fisher
#: information per observation", "the per-observation information" (then I(θ) is one observation's).
_PER_OBSERVATION_PROSE = re.compile(r"information\b[^.$]{0,60}?\b(?:for|from|of|in|contained\s+in)\s+(?:a\s+single|one)"
                                    r"\s+observation\b|information\s+per\s+observation\b|\bper[- ]observation\s+"
                                    r"(?:Fisher\s+)?information\b|\bunit\s+Fisher\s+information\b", re.IGNORECASE)


def _prose(body: str) -> str:
    """The text outside its display math (where a sentence can say what I(θ) is)."""
    for display in sorted(displays(body), key=lambda d: -d.start):
        body = body[:display.start] + " " + body[display.end:]
    return body


def _information_told(text: str) -> bool:
    """Whether the displays tell one observation's information from the sample's (I_n(θ), n I(θ)), or the prose
    says in so many words (_PER_OBSERVATION_PROSE)."""
    _, body, _ = front_matter(text)
    return bool(_PER_OBSERVATION.search(" ".join(d.content for d in displays(body)))) or \
        bool(_PER_OBSERVATION_PROSE.search(_prose(body)))


def _information_ambiguous(text: str) -> bool:
    """Whether I(θ) may be one observation's information or the sample's: the displays are about a sample
    and nothing in them tells the two apart (as I_n(θ) = n I(θ) does)."""
    _, body, _ = front_matter(text)
    math = " ".join(d.content for d in displays(body))
    return bool(_SAMPLE.search(math) and _INFORMATION.search(math)) and not _PER_OBSERVATION.search(math) and \
        not _PER_OBSERVATION_PROSE.search(_prose(body))


def _judge_both_informations(link: Link, setting: Setting, rewriter: Rewriter, numeric, head: str = "", *,
                              text: str) -> Verdict:
    """Judge a step that names the information both ways, and keep only what both readings say.

    Authors about a sample often write I(θ) for the information of the n observations, others for one
    observation's. Where the text does not say which, a verdict stands only if it is the same either way;
    otherwise the step is unknown, with the reading under which it holds.
    """
    one = _judge(link, setting, rewriter, numeric, head)
    if link.unread or not _INFORMATION.search(f"{link.lhs} {link.rhs}"):
        return one
    sample = dataclasses.replace(setting, information_scale=setting.sample_size)
    both = _judge(link, sample, Rewriter(sample, evaluate=rewriter.evaluate, regular=rewriter.regular,
                                         positive=rewriter.positive), numeric, head)
    if one.verdict == both.verdict:
        return one
    ambiguity = ("the text is about a sample of n and does not say whether I(θ) is the information of one "
                 "observation or of the sample")
    holds = ("one observation's" if one.verdict == "proved" else "the sample's" if both.verdict == "proved"
             else "")
    if holds:
        return Verdict("unknown", reason=f"{ambiguity}: it holds if I(θ) is {holds}, not otherwise")
    return Verdict("unknown", reason=f"{ambiguity}; read as one observation's: {one.reason}")


def _judge(link: Link, setting: Setting, rewriter: Rewriter, numeric, head: str = "") -> Verdict:
    """The verdict on one step; head is the first left side of its chain (what a ℓ(θ) = … chain is about)."""
    left = budget.remaining()
    if left is not None and left <= 0:          # --deadline: the steps left are reported, not checked
        return Verdict("unknown", reason="not checked: the run's deadline has passed")
    setting.readings = []
    verdict = _certain_sample(link, _judge_data(link, setting, rewriter, numeric, head), setting, rewriter, numeric,
                              head)
    if setting.readings:
        said = "; ".join(dict.fromkeys(setting.readings))
        verdict = Verdict(verdict.verdict, verdict.rules, f"{verdict.reason} (read {said})")
    return verdict


def _judge_data(link: Link, setting: Setting, rewriter: Rewriter, numeric, head: str = "") -> Verdict:
    text = f"{link.lhs} {link.rhs}"
    if setting.generic and re.search(_DATA_Y, text) and not re.search(_DATA_X, text) and "Y" not in setting.names:
        aliases = setting.data_aliases
        setting.data_aliases = aliases | {"Y"}
        try:
            return _judge_read(link, setting, rewriter, numeric, head)
        finally:
            setting.data_aliases = aliases
    return _judge_read(link, setting, rewriter, numeric, head)


def _judge_read(link: Link, setting: Setting, rewriter: Rewriter, numeric, head: str = "") -> Verdict:
    if link.unread:
        return Verdict("unknown", reason=f"not read: {link.unread}")
    if link.relation == "≈":
        return _judge_expansion(link, setting, rewriter, numeric) or \
            Verdict("approximation", reason="an approximation: reported, not checked as an equality")
    if link.relation in ORDER:
        return _judge_inequality(link, setting, rewriter, numeric)
    if link.relation != "=":
        article = "an" if link.kind[0] in "aeiou" else "a"
        return Verdict("unknown", reason=f"{article} {link.kind} ({link.relation}): reported, not checked (only "
                                         "equalities are checked)")
    # what ℓ(θ), L(θ) stand for here (a sample or one observation) is decided by what the step writes
    text = f"{link.lhs} {link.rhs}"
    data = step_data(_without_stated_arguments(text, setting), setting)
    if data == "observation" and setting.sample_likelihood:
        data = ""                      # the file writes ℓ of a sample elsewhere: a lone x here may be a slip
    setting = dataclasses.replace(setting, data=data, sample_shown=shows_sample(text, setting), other_readings=[])
    for function, source in setting.definition_sources.items():
        # a definition stated in prose (S_n(θ) = ∂/∂θ log L(θ)) means what its names mean in this step
        try:
            setting.definitions[function] = read(source, setting)
        except (NotationError, ShapeError, *_SYMPY_FAILURES):
            # not read in this step: the name is an unknown function here, not what an earlier step made it
            setting.definitions.pop(function, None)
    defined = _estimator_definition(link)
    if defined is not None:
        return _maximum_likelihood(link, setting, rewriter, head) or defined
    try:
        lhs, rhs = read(link.lhs, setting), read(link.rhs, setting)
    except ShapeError as exc:
        if re.search(r"raises a (\d+)×\1 matrix to a power", str(exc)):
            # a square matrix has powers and an inverse (F^{-1}): the reader's refusal is no shape mismatch
            return Verdict("unknown", reason="not read: the power or inverse of a square matrix")
        return Verdict("refuted", reason=f"shape: the expression {exc}")
    except NotationError as exc:
        if str(exc) == AMBIGUOUS_POWER:
            return _either_reading(link, setting, rewriter, numeric)
        return Verdict("unknown", reason=f"not read: {exc}")
    except _SYMPY_FAILURES as exc:
        return Verdict("unknown", reason=f"not read: SymPy failed on this step ({type(exc).__name__})")
    if any(isinstance(side, sp.Basic) and side.has(Remainder) for side in (lhs, rhs)):
        return _judge_expansion(link, setting, rewriter, numeric, (lhs, rhs)) or \
            Verdict("unknown", reason="an expansion with a remainder (O(δᵏ), …) that is not read as one in an "
                                      "increment δ of p(x; θ + δ)")
    try:
        verdict = judge(lhs, rhs, rewriter, numeric)
    except _SYMPY_FAILURES as exc:
        # SymPy itself gave up on this step (a recursion limit, an internal StopIteration): the step
        # stays unknown and the rest of the proof is still checked
        return Verdict("unknown", reason=f"not checked: SymPy failed on this step ({type(exc).__name__})")
    if verdict.verdict == "unknown" and rewriter.evaluate is not None:
        # an expectation the engine found only under a condition the domains do not decide: say which
        notes = [_note(rewriter.evaluate, a.args[0]) for side in (lhs, rhs) if isinstance(side, sp.Basic)
                 for a in side.atoms(Expect)]
        notes = [n for n in notes if n]
        if notes:
            return Verdict("unknown", reason=f"{notes[0]}; {verdict.reason}")
    if verdict.verdict == "unknown" and "unbiased" not in setting.hypotheses and any(
            isinstance(side, sp.Basic) and side.has(Estimator) for side in (lhs, rhs)):
        verdict = Verdict("unknown", reason=f"{verdict.reason}; it may need the estimator to be unbiased "
                                            "(𝔼[θ̂] = θ), which the text does not state")
    if verdict.verdict == "refuted" and setting.other_readings:
        return Verdict("unknown", reason=f"{setting.other_readings[0]}: under that reading the sides differ "
                                         f"({verdict.reason}), under the other one they may not; not refuted")
    if verdict.verdict == "refuted" and not verdict.reason.startswith("shape:") and _of_sample(
            *(rewriter.normal_form(side, rewriter.relevant(lhs, rhs)) for side in (lhs, rhs))):
        # the counterexample rests on the stand-in sample (𝔼[Σ xᵢ] = n/λ has none left: it stands as it is)
        verdict = _sample_refutation(link, verdict, head, likelihood_patterns(setting))
    if verdict.rules == ("algebra",) and _hessian_notation(link.lhs) != _hessian_notation(link.rhs):
        return Verdict("proved", ("definition-hessian",), RULES["definition-hessian"])
    return verdict


def _without_stated_arguments(text: str, setting: Setting) -> str:
    """A step's text without the arguments of the names the prose gave a role (u(λ, y) -> u): the data letter
    there names the data the function is of, so what data it is (one y or the sample) is shown by the rest."""
    for name in stated_names(setting):
        text = re.sub(rf"(?<![A-Za-z\\]){re.escape(name)}\s*('*)\s*\([^()]*\)", rf"{name}\1", text)
    return text


def _judge_expansion(link: Link, setting: Setting, rewriter: Rewriter, numeric, sides=None) -> Verdict | None:
    """An expansion in an increment δ (p(x; θ + δ)): f(θ + δ) ≈ f + δ f' + ½δ² f'' (+ …), or = … + O(δ³).

    None when the step is not one (no single increment, no polynomial in δ written): then the caller's
    verdict stands."""
    try:
        lhs, rhs = sides or (read(link.lhs, setting), read(link.rhs, setting))
    except (NotationError, ShapeError, *_SYMPY_FAILURES):
        return None
    if not all(isinstance(side, sp.Basic) for side in (lhs, rhs)):
        return None
    increments = [d for d in setting.increments if lhs.has(d) or rhs.has(d)]
    if len(increments) != 1:
        return None
    found = remainder_order(lhs, rhs, increments[0])
    if found is None:
        return None
    left, right, order = found
    try:
        return judge_series(left, right, increments[0], order, rewriter, numeric, exact=link.relation == "=")
    except _SYMPY_FAILURES as exc:
        return Verdict("unknown" if link.relation == "=" else "approximation",
                       reason=f"an expansion in {increments[0]}: SymPy failed on it ({type(exc).__name__})")


def _judge_inequality(link: Link, setting: Setting, rewriter: Rewriter, numeric) -> Verdict:
    """≤, <, ≥, >: a named rule (Cauchy–Schwarz, the Cramér–Rao bound, signs), a numeric counterexample, or
    unknown with the reason."""
    try:
        lhs, rhs = read(link.lhs, setting), read(link.rhs, setting)
        verdict = judge_inequality(lhs, rhs, link.relation, rewriter, numeric)
    except (NotationError, ShapeError) as exc:
        return Verdict("unknown", reason=f"an inequality ({link.relation}), not read: {exc}")
    except _SYMPY_FAILURES as exc:
        return Verdict("unknown", reason=f"an inequality ({link.relation}): SymPy failed on it ({type(exc).__name__})")
    if verdict.verdict == "unknown" and isinstance(lhs, sp.Basic) and isinstance(rhs, sp.Basic) and \
            (lhs.has(Estimator) or rhs.has(Estimator)):
        sample = lhs.has(setting.sample_size) or rhs.has(setting.sample_size)
        needs = [what for what, name in (("the estimator to be unbiased", "unbiased"),
                                         ("an iid sample", "iid" if sample else "")) if name
                 and name not in setting.hypotheses]
        if needs:
            verdict = Verdict("unknown", reason=f"{verdict.reason}; the Cramér–Rao bound needs "
                                                f"{' and '.join(needs)}, which the text does not state")
    return verdict


def _either_reading(link: Link, setting: Setting, rewriter: Rewriter, numeric) -> Verdict:
    """E(g)^k read both ways, E[g^k] and E[g]^k: a verdict that holds under both is certain whichever the
    author meant; else the step is unknown."""
    verdicts = []
    for reading in ("inside", "outside"):
        variant = dataclasses.replace(setting, power_reading=reading)
        try:
            verdicts.append(judge(read(link.lhs, variant), read(link.rhs, variant), rewriter, numeric))
        except (NotationError, ShapeError, *_SYMPY_FAILURES):
            return Verdict("unknown", reason=f"not read: {AMBIGUOUS_POWER}")
    kinds = {v.verdict for v in verdicts}
    if len(kinds) == 1 and kinds <= {"proved", "refuted"}:
        first = verdicts[0]
        return Verdict(first.verdict, first.rules, f"under either reading of E(g)^k (E[g^k] or E[g]^k): "
                                                   f"{first.reason}")
    return Verdict("unknown", reason=f"not read: {AMBIGUOUS_POWER} (the two readings do not give the same "
                                     f"verdict)")


#: The Fisher information written without the sample's subscript (I(θ), F, 𝓘(θ); not Iₙ, I_n, I_X), and n.
_ONE_INFORMATION = r"(?<![A-Za-z\\])(?:I|F|\\mathcal\s*\{?I\}?)(?!\s*_\s*\{?\s*[nX])(?![A-Za-z])"
_SAMPLE_SIZE = r"(?<![A-Za-z\\])n(?![a-z])"          # n, nE[…], nI(θ)
_SAMPLE_INFORMATION = r"(?:I|F|\\mathcal\s*\{?I\}?)\s*_\s*\{?\s*n"   # Iₙ written: the author tells them apart


def _certain_sample(link: Link, verdict: Verdict, setting: Setting, rewriter: Rewriter, numeric,
                    head: str = "") -> Verdict:
    """A counterexample stands only when the step is false whichever information its I(θ) is.

    Many authors write I(θ) for the information of their n observations (I(λ) = −n𝔼[∂²/∂λ² log f] = n/λ);
    read as the note's I(θ), of one observation, the step is off by the factor n. So a refuted step that
    writes the information without a subscript and also writes n is judged again with I(θ) read as n I(θ):
    refuted only when that reading is refuted too, else unknown with the reason.
    """
    if verdict.verdict != "refuted" or verdict.reason.startswith("shape:") or setting.information_told:
        return verdict
    text = latex_text(f"{link.lhs} {link.rhs}")
    if not (re.search(_ONE_INFORMATION, text) and re.search(_SAMPLE_SIZE, text)) or \
            re.search(_SAMPLE_INFORMATION, text):
        return verdict
    setting.sample_information = True
    try:
        other = _judge_data(link, setting, rewriter, numeric, head)
    finally:
        setting.sample_information = False
    if other.verdict == "refuted":
        return verdict
    return Verdict("unknown", reason=f"{verdict.reason}; but the step writes I beside n, and with I the information "
                                     f"of the n observations it is {other.verdict} (write I_n): not refuted")
# ---------------------------------------------------------------------------- the sample (issue 12)

#: An estimator written alone on the left (\hat\lambda, \hat{\theta}, \widehat{\mu}): its definition.
ESTIMATOR = re.compile(r"\s*\\(hat|widehat)\s*\{?\s*\\?[A-Za-z]+\s*\}?\s*(_\{?\s*[A-Za-z]+\s*\}?)?\s*")


#: What names the likelihood of the data, or its log, or their derivatives, in a step's text.
LIKELIHOOD_NAMES = re.compile(r"(\\ell|(?<![A-Za-z\\])[lL]|\\mathcal\s*\{?\s*L\}?)\s*(\^\s*\{?\s*(\\prime|\")|'|\(|_)")


def _chain_heads(steps: tuple[Link, ...] | list[Link]) -> dict[int, str]:
    """The first left side of the chain each link belongs to (A = B = C: A for both links)."""
    heads: dict[int, str] = {}
    previous: Link | None = None
    for link in steps:
        continued = previous is not None and previous.block == link.block and previous.rhs == link.lhs
        heads[link.index] = heads[previous.index] if continued and previous is not None else link.lhs
        previous = link
    return heads


def _estimator_definition(link: Link) -> Verdict | None:
    """θ̂ = … with θ̂ alone on the left: the author defines the estimator (or names the root of the estimating
    equation). It is reported as such, never refuted (another reading of θ̂, as an unbiased estimator in the
    Cramér–Rao setting, is a different rule)."""
    if link.relation != "=" or not ESTIMATOR.fullmatch(link.lhs):
        return None
    return Verdict("unknown", reason="a definition: the author names the estimator " + link.lhs.strip()
                   + " (not a claim to check)")


def _maximum_likelihood(link: Link, setting: Setting, rewriter: Rewriter, head: str) -> Verdict | None:
    """θ̂ = V written after the likelihood equation ℓ'(θ) = 0: proved when V solves ∂ℓ/∂θ = 0 for every
    sample and ℓ'' < 0 on the whole declared domain (so V is the maximum); else None (a definition)."""
    if not head.startswith("likelihood equation: ") or setting.m != 1 or setting.generic:
        return None
    name = re.sub(r"\\(hat|widehat)|[{}\s]", "", link.lhs)
    theta = setting.theta[0]
    if setting.names.get(key(name)) != theta:
        return None
    sample = dataclasses.replace(setting, data="sample")
    try:
        value = read(link.rhs, sample)
        every = tuple(rewriter.passes)
        log_p = sp.log(setting.density(setting.draw))
        score = rewriter.normal_form(SampleSum(sp.Derivative(log_p, theta)), every)
        curvature = rewriter.normal_form(SampleSum(sp.Derivative(log_p, (theta, 2))), every)
        root = is_zero(score.subs(theta, value))
    except (NotationError, ShapeError, *_SYMPY_FAILURES):
        return None
    # V must lie in θ's declared domain for every sample (its sign assumptions), else it is no estimate of θ
    inside = all(getattr(value, f"is_{a}", None) is True for a in ("positive", "nonnegative", "negative", "real")
                 if getattr(theta, f"is_{a}"))
    if not root or not inside:
        return None
    if curvature.is_negative is not True:
        return Verdict("unknown", reason=f"{link.lhs.strip()} solves the likelihood equation ∂ℓ/∂θ = 0, but "
                                         "ℓ'' < 0 is not decided on the whole domain: a definition, not checked")
    return Verdict("proved", ("maximum-likelihood",), RULES["maximum-likelihood"])


def _of_sample(*sides) -> bool:
    """True when a side holds the sample values (a sum or product over the sample, or xᵢ)."""
    return any(isinstance(e, sp.Basic) and e.has(SampleSum, SampleProduct, sp.Indexed, sp.Sum, sp.Product)
               for side in sides for e in _entries(side))


def _sample_refutation(link: Link, verdict: Verdict, head: str, names: list[str] | None = None) -> Verdict:
    # names: the likelihoods the prose named, as patterns (likelihood_patterns)
    """A counterexample at the stand-in sample refutes an identity claimed for every sample: one that writes
    the likelihood ℓ, l, L (or continues a chain that starts with it). An equation set to 0 (the estimating
    equation ℓ'(θ) = 0) or an equation between sample values only may hold for the author's sample: unknown."""
    zero = any(side.strip() in ("0", "{0}") for side in (link.lhs, link.rhs))
    if zero:
        return Verdict("unknown", reason="an estimating equation (set to 0 to find the estimator): an equation "
                                         "the estimate solves, not an identity; not checked")
    # a name the prose says is the likelihood, log-likelihood or score (text_names) writes one too
    stated = [re.compile(pattern) for pattern in names or ()]
    if LIKELIHOOD_NAMES.search(f"{link.lhs} {link.rhs}") or LIKELIHOOD_NAMES.search(head) or \
            any(name.search(side) for name in stated for side in (link.lhs, link.rhs, head)):
        return Verdict("refuted", verdict.rules, verdict.reason.replace("counterexample: ", "counterexample for "
                                                                        "every sample, at a stand-in sample (n "
                                                                        "values of x inside the support), "))
    return Verdict("unknown", reason="the two sides differ at a stand-in sample, but the step writes no "
                                     "likelihood, so it may be an equation for the author's sample: not refuted")


def _certain_shape(link: Link, concrete: bool, verdict: Verdict) -> Verdict:
    """A shape refutation stands only when the step itself shows the shapes.

    Without a model, θ is a vector for a whole file once any step writes ∇, ᵀ, a bold θ or θᵢ,
    and with a model of several parameters an undeclared θ is read as their vector; but authors
    mix a scalar θ in one block with a vector in another. So a step that writes θ without any of
    those marks is not certainly wrong in shape: it is unknown. (With a model, the model's own
    objects, 𝐅, s and 𝐇 of several parameters, have certain shapes.)
    """
    if verdict.verdict != "refuted" or not verdict.reason.startswith("shape:"):
        return verdict
    text = f"{link.lhs} {link.rhs}"
    if vector_parameter(text) or (concrete and not re.search(r"\\theta|θ", text)):
        return verdict
    return Verdict("unknown", reason=f"{verdict.reason[len('shape: '):]}, but this step does not show whether θ is "
                                     "a vector (no ∇, ᵀ, bold θ or θᵢ in it): not refuted")


#: What SymPy may raise from inside a step's rewriting or evaluation on unusual input.
_SYMPY_FAILURES = (RecursionError, RuntimeError, StopIteration, AttributeError, TypeError, ValueError,
                   NotImplementedError, ArithmeticError, IndexError, KeyError)


def _note(evaluate, g: sp.Expr) -> str:
    """Why the engine left E[g] unevaluated, if it said (a condition, a divergence)."""
    try:
        evaluate(g)
    except (ArithmeticError, ValueError, TypeError, NotImplementedError):
        return ""
    return evaluate.notes.get(g, "")


def _hessian_notation(text: str) -> bool:
    return bool(re.search(r"(\\mathbf\{H\}|\bH)_", text))


# ---------------------------------------------------------------------------- abstract setting

def _abstract_numeric(setting: Setting):
    """Refute by example: p = N(θ₁, θ₂²) at two parameter points (N(θ, 1) for a scalar θ)."""
    x, n = setting.x, setting.sample_size
    if setting.m == 1:
        (t1,) = setting.theta
        normal = sp.exp(-(x - t1) ** 2 / 2) / sp.sqrt(2 * sp.pi)
        points = ({t1: sp.Rational(3, 10), x: sp.Rational(2, 5), n: 3},
                  {t1: sp.Rational(-7, 10), x: sp.Rational(-11, 10), n: 5})
    else:
        t1, t2 = setting.theta[:2]
        normal = sp.exp(-(x - t1) ** 2 / (2 * t2 ** 2)) / sp.sqrt(2 * sp.pi * t2 ** 2)
        # parameter points, and values of x for the sides that are functions of x (no integral)
        points = ({t1: sp.Rational(3, 10), t2: sp.Rational(13, 10), x: sp.Rational(2, 5), n: 3},
                  {t1: sp.Rational(-7, 10), t2: sp.Rational(4, 5), x: sp.Rational(-11, 10), n: 5})

    def value(e, point):
        # p at another point of the parameter space (θ + δ, t): the stand-in at those parameters
        e = e.replace(lambda a: isinstance(a, AppliedUndef) and a.func.__name__ == "p",
                      lambda a: normal.subs(dict(zip((x, *setting.theta), a.args)), simultaneous=True))
        # log of the stand-in is a polynomial: say so before the integrand is sampled in the far tails
        e = sp.expand_log(e, force=True)
        # the stand-in estimator t(x) = x: unbiased under N(θ, 1), so it refutes nothing unbiasedness proves
        e = e.replace(lambda a: isinstance(a, Estimator), lambda a: a.args[0])
        unknown = sorted({a.func.__name__ for a in e.atoms(AppliedUndef)})
        if unknown:
            # q, δq, S_n(θ): functions the text names but the stand-in does not fix, so no number for them
            raise ValueError(f"{', '.join(unknown)}: a function the stand-in density does not fix")
        # ∂θ ∫ g dx: an integral without limits is an antiderivative to SymPy's doit, so differentiate under
        # the integral sign first (the stand-in normal density is regular)
        e = e.replace(lambda a: isinstance(a, sp.Derivative) and isinstance(a.expr, sp.Integral),
                      lambda a: sp.Integral(sp.Derivative(a.expr.function, *a.variable_count), *a.expr.limits))
        e = e.replace(lambda a: isinstance(a, sp.Derivative), lambda a: a.doit())
        e = _at_stand_in(e, setting, ABSTRACT_SAMPLE[:int(point[n])])
        if e.has(sp.Sum, sp.Indexed):
            raise ValueError("sums over a sample have no numeric value")
        parameters = {k: v for k, v in point.items() if k != x}
        e = e.subs(parameters)
        e = e.replace(lambda a: isinstance(a, sp.Integral), lambda a: sp.Float(_quad(a.function, x)))
        z = complex(sp.N(e.subs(point)))
        if abs(z.imag) > 1e-12:
            # log θ at θ < 0: the point may lie outside the domain the author meant, which is not declared
            raise ValueError("a side is not real at the test point")
        return z

    def extended(point: dict) -> dict:
        """A test point with values for the increments δ (p(x; θ + δ)) and the other parameter points t
        (P(x; t)) the text reads: real numbers, beside θ's values."""
        others = {s: sp.Rational(1, 2) if point[setting.theta[0]] > 0 else sp.Rational(-3, 10)
                  for s in sorted(setting.increments, key=str)}
        for coordinates in setting.points.values():
            others.update({c: point[t] + sp.Rational(2, 5) for c, t in zip(coordinates, setting.theta)})
        return {**point, **others}

    where = "with p = N(θ, 1) at " if setting.m == 1 else "with p = N(θ₁, θ₂²) at "

    def refute(left, right, relation: str = "=") -> str:
        return _refuter([extended(point) for point in points], value, where)(left, right, relation)

    def refute_for_every_p(left, right, relation: str = "=") -> str:
        # the stand-in density refutes only a claim meant for every p: one that also writes x or θ outside p
        # (θ^x(1−θ)^(1−x), 1/(θ(1−θ))) may be true of the author's model, which the text does not declare
        sides = [e for side in (left, right) for e in _entries(side)]
        # x, θ, the draws xᵢ and any other parameter the text writes (f(x|β) = β² x e^{−βx}); not n, nor the
        # increments δ and other parameter points, over which a claim about every p ranges too
        offsets = set(setting.increments) | {c for coordinates in setting.points.values() for c in coordinates}
        names = tuple({x, *setting.theta} | {a for e in sides for a in e.free_symbols} - offsets - {n})
        if any(e.has(sp.Function("p")) or _has_density(e) for e in sides) and \
                any(_outside_density(e, names) for e in sides):
            raise ValueError("the step writes x or θ outside p, so it may hold for a model the text does not "
                             "declare (a model: front matter checks it)")
        if any(isinstance(side, Estimator) for side in (left, right)) and \
                not all(isinstance(side, sp.Basic) and side.has(Estimator) for side in (left, right)):
            # T(X) = 2X, g(x) = x̄: the step gives the statistic a form of its own (a definition of it), which
            # the stand-in t(x) = x does not have; nothing is refuted by it
            raise ValueError("the step gives the statistic a value of its own: the stand-in estimator θ̂(x) = x "
                             "refutes nothing here")
        if any(e.has(Estimator) for e in sides) and any(e.has(n) for e in sides):
            # the stand-in θ̂(x) = x uses one observation; the author's θ̂ may be a statistic of the sample of n
            raise ValueError("the step has an estimator and the sample size n: the stand-in estimator θ̂(x) = x "
                             "is not a statistic of the sample, so it refutes nothing here")
        return refute(left, right, relation)

    return refute_for_every_p


#: The stand-in sample of the abstract setting (p = N(θ, 1)): its first n values, n = 3 or 5 at the test points.
ABSTRACT_SAMPLE = tuple(sp.Rational(v) for v in ("2/5", "-3/10", "11/10", "4/5", "-6/5"))


def _stand_in(lo: float, hi: float, discrete: bool) -> tuple[sp.Rational, ...]:
    """3 values inside the support [lo, hi] at a parameter point (repeated when the support is smaller)."""
    if discrete:
        start = lo if math.isfinite(lo) else (hi - 4 if math.isfinite(hi) else 0)
        values = [v for v in (start + 1, start + 2, start + 4) if v <= hi] or [start]
        values = (values * 3)[:3]
    elif math.isfinite(lo) and math.isfinite(hi):
        values = [lo + f * (hi - lo) for f in (0.21, 0.5, 0.83)]
    elif math.isfinite(lo):
        values = [lo + d for d in (0.37, 1.37, 2.9)]
    elif math.isfinite(hi):
        values = [hi - d for d in (0.37, 1.37, 2.9)]
    else:
        values = [-0.8, 0.37, 1.9]
    return tuple(sp.Rational(round(1000 * v), 1000) for v in values)


def _at_stand_in(e: sp.Expr, setting: Setting, values: tuple[sp.Rational, ...]) -> sp.Expr:
    """Sums and products over the sample evaluated at a stand-in sample (so a step on the sample can be
    refuted by a counterexample); an expectation or integral of the sample has no stand-in value."""
    sample_objects = (SampleSum, SampleProduct, sp.Sum, sp.Product, sp.Indexed, setting.draw)
    if any(a.has(*sample_objects) for a in e.atoms(Expect, sp.Integral)):
        raise ValueError("an expectation over the sample has no value at a stand-in sample")
    draw = setting.draw
    e = e.replace(lambda a: isinstance(a, SampleSum), lambda a: sp.Add(*[a.args[0].subs(draw, v) for v in values]))
    e = e.replace(lambda a: isinstance(a, SampleProduct),
                  lambda a: sp.Mul(*[a.args[0].subs(draw, v) for v in values]))
    if e.has(draw):
        raise ValueError("a sample value outside a sum has no stand-in value")
    return e


def _entries(v) -> list:
    if isinstance(v, Zero):
        return []
    entries = list(v) if isinstance(v, sp.MatrixBase) else [v]
    return [e for e in entries if isinstance(e, sp.Basic)]


def _has_density(e: sp.Basic) -> bool:
    return any(a.func.__name__ == "p" for a in e.atoms(AppliedUndef))


def _outside_density(e: sp.Basic, names: tuple[sp.Symbol, ...]) -> bool:
    """True when x or a parameter occurs outside the unknown density p (integration variables aside)."""
    if isinstance(e, Estimator) or (isinstance(e, AppliedUndef) and e.func.__name__ == "p"):
        return False                 # an estimator θ̂(x) is generic like p: the stand-in t(x) = x replaces it
    if isinstance(e, sp.Integral):
        return _outside_density(e.function, names)
    if isinstance(e, sp.Derivative):
        return _outside_density(e.expr, names)
    if e in names:
        return True
    return any(_outside_density(a, names) for a in e.args)


def _refuter(points, value, where: str, finite_only: bool = False):
    """Compare both sides' numbers at each point: a counterexample, or '' when they agree everywhere.

    With ``finite_only``, a point where a side is not a finite number (1/x at x = 0) is no evidence
    and is passed over.
    """
    def refute(left, right, relation: str = "=") -> str:
        for point in points:
            try:
                a = _values(left, lambda e, at=point: value(e, at))
                b = _values(right, lambda e, at=point: value(e, at))
            except (ArithmeticError, ValueError, TypeError):
                if not finite_only:
                    raise
                continue                      # 0^(-1) at an end of the support: no number, no evidence
            if finite_only and not all(cmath.isfinite(z) for z in (*a, *b)):
                continue
            if relation != "=":
                # an inequality small ≤ big (or <): refuted only by finite real values in the wrong order
                if _order_fails(a, b, relation):
                    return (f"counterexample: {where}{_where(point)}, the side the step says is smaller is "
                            f"{_fmt(a)} and the side it says is larger {_fmt(b)}")
                continue
            if all(not _finite(u) and not _finite(v) for u, v in zip(a, b)):
                continue          # both sides undefined here (0·∞ in a tail, say): no evidence either way
            if not all(close(u, v) for u, v in zip(a, b)):
                return (f"counterexample: {where}{_where(point)}, the left side is {_fmt(a)} "
                        f"and the right side {_fmt(b)}")
        return ""
    return refute


def _finite(z: complex) -> bool:
    return math.isfinite(z.real) and math.isfinite(z.imag)


def _order_fails(small: list[complex], big: list[complex], relation: str) -> bool:
    """True when some entry has small > big (small ≥ big for <), beyond the tolerance, at finite real values."""
    for u, v in zip(small, big):
        if not all(math.isfinite(z.real) and abs(z.imag) < 1e-12 for z in (u, v)):
            raise ValueError("a side is not a finite real number at the test point")
        if relation == "≤" and u.real > v.real and not close(u, v):
            return True
        if relation == "<" and (u.real >= v.real or close(u, v)):
            return True
    return False


def _quad(f: sp.Expr, x: sp.Symbol, lower: float = -np.inf, upper: float = np.inf) -> float:
    fn = sp.lambdify(x, f, "numpy")
    with np.errstate(all="ignore"), warnings.catch_warnings():   # far tails overflow; a bad value refutes nothing
        warnings.simplefilter("ignore")
        value, _ = scipy_integrate.quad(lambda t: float(np.real(fn(t))), lower, upper, limit=200)
        # an integrand that does not vanish in a tail (∫ s² dx without the density) has no finite integral:
        # quad returns a meaningless number then, so the value is the divergence itself
        for end, sign in ((upper, 1.0), (lower, -1.0)):
            if np.isinf(end):
                tail = [float(np.real(fn(sign * t))) for t in (1e2, 1e3, 1e4)]
                if all(np.isfinite(tail)) and (all(v >= 1e-3 for v in tail) or all(v <= -1e-3 for v in tail)) \
                        and abs(tail[2]) >= abs(tail[0]):
                    return math.copysign(math.inf, tail[0])
    return value


def _values(v, fn) -> list[complex]:
    if isinstance(v, Zero):
        return [0j]
    entries = list(v) if isinstance(v, sp.MatrixBase) else [v]
    return [fn(e) for e in entries]


def _fmt(values: list[complex]) -> str:
    def one(z: complex) -> str:
        if not (math.isfinite(z.real) and math.isfinite(z.imag)):
            return "undefined (diverges)"
        return f"{z.real:.6g}" if abs(z.imag) < 1e-12 else f"{z.real:.6g}{z.imag:+.6g}i"
    text = [one(z) for z in values]
    return text[0] if len(text) == 1 else "[" + ", ".join(text) + "]"


def _where(point: dict) -> str:
    return ", ".join(f"{sp.pretty(k, use_unicode=True)} = {float(v):g}" for k, v in point.items())


# ---------------------------------------------------------------------------- concrete setting

def _inside(lo: float, hi: float) -> float:
    """A point inside (lo, hi) away from its ends."""
    if math.isinf(lo) and math.isinf(hi):
        return 0.37
    if math.isinf(hi):
        return lo + 1.37
    if math.isinf(lo):
        return hi - 1.37
    return lo + 0.37 * (hi - lo)


def _free(e: sp.Basic) -> set:
    """The free symbols of a side, an expectation's argument aside (𝔼[g(x)] is no function of x)."""
    return e.replace(lambda a: isinstance(a, Expect), lambda a: sp.Dummy()).free_symbols


#: How many points of the support a side that is a function of x is compared at (per parameter point).
SUPPORT_POINTS = 4


def _support_points(model, point: dict) -> list[sp.Rational]:
    """Points of the support at a parameter point: its first values for a discrete x (0 and 1 for a
    Bernoulli x), else points spread inside the interval."""
    lo, hi = (float(b.subs(point)) for b in (model.support.lower, model.support.upper))
    if model.discrete:
        start = lo if math.isfinite(lo) else -1.0
        values = [start + k for k in range(SUPPORT_POINTS) if start + k <= hi]
    else:
        width = hi - lo if math.isfinite(lo) and math.isfinite(hi) else None
        if width is not None:
            values = [lo + f * width for f in (0.13, 0.37, 0.61, 0.89)]
        elif math.isfinite(lo):
            values = [lo + d for d in (0.29, 1.37, 2.9, 6.1)]
        elif math.isfinite(hi):
            values = [hi - d for d in (0.29, 1.37, 2.9, 6.1)]
        else:
            values = [-2.3, -0.41, 0.37, 1.9]
    return [sp.Rational(round(1000 * v), 1000) for v in values]


def _concrete(data: Any, text: str = ""):
    from symfisher import numeric as numeric_module
    from symfisher.derive import calculus
    from symfisher.derive.expectation import ExpectationEngine
    from symfisher.model import build_model
    from symfisher.model.spec import spec_from_mapping
    from symfisher.parse import name_key

    if not isinstance(data, dict):
        raise CheckError("the front matter's model: must be a mapping (density, parameters, support, …)")
    try:
        model = build_model(spec_from_mapping(data, "front matter model"))
    except SymfisherError as exc:
        raise CheckError(f"front matter model: {exc.one_line()}") from None
    names: dict[str, sp.Basic] = {model.variable.name: model.variable}
    for d in model.declared:
        names[name_key(d.source)] = d.symbol
    names["n"] = sp.Symbol("n", positive=True, integer=True)
    x, support = model.variable, model.support
    setting = Setting(x=x, theta=model.theta, density=lambda point: model.density.subs(x, point), names=names,
                      lower=support.lower, upper=support.upper, discrete=model.discrete,
                      hypotheses=stated_hypotheses(text))
    setting.functions = text_functions(text, setting)
    text_names(text, setting)           # LL, u, a bare L: what the prose says they are
    engine = ExpectationEngine(model, calculus.log_density(model)[0])
    cache: dict[sp.Expr, sp.Expr | None] = {}
    known = {x, names["n"], *(d.symbol for d in model.declared)}

    def evaluate(g: sp.Expr) -> sp.Expr | None:
        """E[g] when the engine establishes it on the whole declared domain, else None."""
        if g.has(AppliedUndef, sp.Derivative, sp.Integral, Estimator):
            return None                      # an estimator θ̂(x) is not a function the engine knows
        if not g.free_symbols <= known:
            return None                      # 𝔼[x_i] with a free index i, another sample's symbol: not the model's
        if g not in cache:
            outcome = engine.expect(g)
            cache[g] = outcome.value if outcome.established else None
            if outcome.value is not None and not outcome.established:
                evaluate.notes[g] = (f"the engine finds this expectation only under a condition: it "
                                     f"{outcome.reason}" + ("; it diverges otherwise" if outcome.otherwise ==
                                                            "diverges" else ""))
            elif outcome.otherwise == "diverges" or any(np.isinf(v) for v in outcome.check.numeric):
                evaluate.notes[g] = ("numerically, the expectation diverges (or is too close to diverging to be "
                                     "evaluated) at a point of the declared domains")
        return cache[g]
    evaluate.notes = {}

    points = model.sample_points(2)

    def value(e, point):
        if e.has(Estimator):
            # the model's estimator (θ̂ = 1/x̄, the MLE) is not written as a function here: no stand-in for it
            raise ValueError("an estimator has no numeric value in a model's setting")
        at_x = point.get(x)                         # a point of the support, when a side is a function of x
        point = {k: v for k, v in point.items() if k != x}
        _at_stand_in(sp.S.Zero + sum(e.atoms(Expect, sp.Integral), sp.S.Zero), setting, ())  # 𝔼 of the sample: none
        e = e.replace(lambda a: isinstance(a, sp.Derivative), lambda a: a.doit())
        e = e.replace(lambda a: isinstance(a, sp.Integral),
                      lambda a: sp.Float(numeric_module.expectation(a.function / model.density, model.density, x,
                                                                    support, point).real))
        e = e.replace(lambda a: isinstance(a, Expect),
                      lambda a: sp.Float(numeric_module.expectation(a.args[0], model.density, x, support,
                                                                    point).real))
        lo, hi = (float(b.subs(point)) for b in (support.lower, support.upper))
        # a sum over the sample at 3 stand-in values inside the support (the sample size is 3 below)
        e = _at_stand_in(e, setting, _stand_in(lo, hi, model.discrete))
        if e.has(x):                                # a function of x: compare at a point of the support
            if at_x is None:
                lo, hi = (float(b.subs(point)) for b in (support.lower, support.upper))
                at_x = (lo + 1 if math.isfinite(lo) else 1) if model.discrete else _inside(lo, hi)
            e = e.subs(x, sp.Rational(round(1000 * float(at_x)), 1000))
        if e.has(sp.Sum, sp.Indexed):
            raise ValueError("sums over a sample have no numeric value")
        # the sample size is a positive integer: any value is inside its domain
        return complex(sp.N(e.subs(point).subs(setting.sample_size, 3)))

    refute_at_parameters = _refuter(points, value, "at ")

    def refute(left, right, relation: str = "=") -> str:
        """The parameter points first; a side that is a function of x is then compared at several points
        of the support for each (both values of a Bernoulli x, where one point hides the (1 − x) terms)."""
        found = refute_at_parameters(left, right, relation)
        if found or not any(x in _free(e) for side in (left, right) for e in _entries(side)):
            return found
        spread = [{**point, x: at} for point in points for at in _support_points(model, point)]
        return _refuter(spread, value, "at ", finite_only=True)(left, right, relation)
    rewriter = Rewriter(setting, evaluate=evaluate, regular=not model.support_depends_on_theta,
                        positive=calculus.positivity(model))
    return setting, rewriter, refute


class _CallableModule(types.ModuleType):
    """``symfisher.check(text)`` calls :func:`check`; ``symfisher.check.extract`` stays a module."""

    def __call__(self, text: str) -> Report:
        return check(text)


sys.modules[__name__].__class__ = _CallableModule
