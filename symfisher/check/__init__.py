"""Stage 5, check: a hand-written derivation -> a verdict for every step.

``check(text)`` reads the display math of a Markdown or LaTeX document
(:mod:`~symfisher.check.extract`), reads each side of each step in the note's
notation (:mod:`~symfisher.check.notation`) and judges it
(:mod:`~symfisher.check.verdict`). Without a ``model:`` in the front matter the
setting is the note's abstract one (p unknown); with one, p, s, 𝐅 and 𝔼 are the
model's, and expectations go through the expectation engine.
"""

from __future__ import annotations

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
from symfisher.check.notation import (Expect, NotationError, Setting, ShapeError, Zero, abstract_setting, read,
                                      vector_parameter)
from symfisher.check.verdict import RULES, Rewriter, Verdict, close, judge
from symfisher.errors import CheckError, SymfisherError

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
                "displays_without_relation": [{"block": b, "line": n} for b, n in self.bare_displays]}

    def text(self) -> str:
        lines = []
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


def check(text: str) -> Report:
    """Judge every step of a derivation written in Markdown or LaTeX.

    Raises:
        CheckError: unreadable input (unterminated math, bad front matter, a bad model).
    """
    matter, steps = links(text)
    model_data = (matter or {}).get("model")
    if model_data is not None:
        setting, rewriter, numeric = _concrete(model_data)
        kind = "concrete"
    else:
        # θ is a vector only when the text makes it one (∇, ᵀ, bold θ, θ₁); textbook derivations have a scalar θ
        setting = abstract_setting(2 if vector_parameter(text) else 1)
        rewriter, numeric = Rewriter(setting), _abstract_numeric(setting)
        kind = "abstract"
    return Report(tuple(StepResult(link, _certain_shape(link, kind == "concrete",
                                                        _judge(link, setting, rewriter, numeric)))
                        for link in steps), kind, text,
                  tuple(unread_displays(text)))


def _judge(link: Link, setting: Setting, rewriter: Rewriter, numeric) -> Verdict:
    left = budget.remaining()
    if left is not None and left <= 0:          # --deadline: the steps left are reported, not checked
        return Verdict("unknown", reason="not checked: the run's deadline has passed")
    if link.unread:
        return Verdict("unknown", reason=f"not read: {link.unread}")
    if link.relation == "≈":
        return Verdict("approximation", reason="an approximation: reported, not checked as an equality")
    if link.relation != "=":
        article = "an" if link.kind[0] in "aeiou" else "a"
        return Verdict("unknown", reason=f"{article} {link.kind} ({link.relation}): reported, not checked (only "
                                         "equalities are checked)")
    try:
        lhs, rhs = read(link.lhs, setting), read(link.rhs, setting)
    except ShapeError as exc:
        if re.search(r"raises a (\d+)×\1 matrix to a power", str(exc)):
            # a square matrix has powers and an inverse (F^{-1}): the reader's refusal is no shape mismatch
            return Verdict("unknown", reason="not read: the power or inverse of a square matrix")
        return Verdict("refuted", reason=f"shape: the expression {exc}")
    except NotationError as exc:
        return Verdict("unknown", reason=f"not read: {exc}")
    except _SYMPY_FAILURES as exc:
        return Verdict("unknown", reason=f"not read: SymPy failed on this step ({type(exc).__name__})")
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
    if verdict.rules == ("algebra",) and _hessian_notation(link.lhs) != _hessian_notation(link.rhs):
        return Verdict("proved", ("definition-hessian",), RULES["definition-hessian"])
    return verdict


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
        e = e.replace(lambda a: isinstance(a, AppliedUndef) and a.func.__name__ == "p",
                      lambda a: normal.subs(x, a.args[0]))
        e = e.replace(lambda a: isinstance(a, sp.Derivative), lambda a: a.doit())
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

    refute = _refuter(points, value, "with p = N(θ, 1) at " if setting.m == 1 else "with p = N(θ₁, θ₂²) at ")

    def refute_for_every_p(left, right) -> str:
        # the stand-in density refutes only a claim meant for every p: one that also writes x or θ outside p
        # (θ^x(1−θ)^(1−x), 1/(θ(1−θ))) may be true of the author's model, which the text does not declare
        sides = [e for side in (left, right) for e in _entries(side)]
        if any(e.has(sp.Function("p")) or _has_density(e) for e in sides) and \
                any(_outside_density(e, (x, *setting.theta)) for e in sides):
            raise ValueError("the step writes x or θ outside p, so it may hold for a model the text does not "
                             "declare (a model: front matter checks it)")
        return refute(left, right)

    return refute_for_every_p


def _entries(v) -> list:
    if isinstance(v, Zero):
        return []
    entries = list(v) if isinstance(v, sp.MatrixBase) else [v]
    return [e for e in entries if isinstance(e, sp.Basic)]


def _has_density(e: sp.Basic) -> bool:
    return any(a.func.__name__ == "p" for a in e.atoms(AppliedUndef))


def _outside_density(e: sp.Basic, names: tuple[sp.Symbol, ...]) -> bool:
    """True when x or a parameter occurs outside the unknown density p (integration variables aside)."""
    if isinstance(e, AppliedUndef) and e.func.__name__ == "p":
        return False
    if isinstance(e, sp.Integral):
        return _outside_density(e.function, names)
    if isinstance(e, sp.Derivative):
        return _outside_density(e.expr, names)
    if e in names:
        return True
    return any(_outside_density(a, names) for a in e.args)


def _refuter(points, value, where: str):
    """Compare both sides' numbers at each point: a counterexample, or '' when they agree everywhere."""
    def refute(left, right) -> str:
        for point in points:
            a = _values(left, lambda e, at=point: value(e, at))
            b = _values(right, lambda e, at=point: value(e, at))
            if not all(close(u, v) for u, v in zip(a, b)):
                return (f"counterexample: {where}{_where(point)}, the left side is {_fmt(a)} "
                        f"and the right side {_fmt(b)}")
        return ""
    return refute


def _quad(f: sp.Expr, x: sp.Symbol, lower: float = -np.inf, upper: float = np.inf) -> float:
    fn = sp.lambdify(x, f, "numpy")
    with np.errstate(all="ignore"), warnings.catch_warnings():   # far tails overflow; a bad value refutes nothing
        warnings.simplefilter("ignore")
        value, _ = scipy_integrate.quad(lambda t: float(np.real(fn(t))), lower, upper, limit=200)
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


def _concrete(data: Any):
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
                      lower=support.lower, upper=support.upper, discrete=model.discrete)
    engine = ExpectationEngine(model, calculus.log_density(model)[0])
    cache: dict[sp.Expr, sp.Expr | None] = {}

    def evaluate(g: sp.Expr) -> sp.Expr | None:
        """E[g] when the engine establishes it on the whole declared domain, else None."""
        if g.has(AppliedUndef, sp.Derivative, sp.Integral):
            return None
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
        e = e.replace(lambda a: isinstance(a, sp.Derivative), lambda a: a.doit())
        e = e.replace(lambda a: isinstance(a, sp.Integral),
                      lambda a: sp.Float(numeric_module.expectation(a.function / model.density, model.density, x,
                                                                    support, point).real))
        e = e.replace(lambda a: isinstance(a, Expect),
                      lambda a: sp.Float(numeric_module.expectation(a.args[0], model.density, x, support,
                                                                    point).real))
        if e.has(x):                                # a function of x: compare at a point of the support
            lo, hi = (float(b.subs(point)) for b in (support.lower, support.upper))
            at = (lo + 1 if math.isfinite(lo) else 1) if model.discrete else _inside(lo, hi)
            e = e.subs(x, sp.Rational(round(1000 * at), 1000))
        if e.has(sp.Sum, sp.Indexed):
            raise ValueError("sums over a sample have no numeric value")
        # the sample size is a positive integer: any value is inside its domain
        return complex(sp.N(e.subs(point).subs(setting.sample_size, 3)))

    refute = _refuter(points, value, "at ")
    rewriter = Rewriter(setting, evaluate=evaluate, regular=not model.support_depends_on_theta)
    return setting, rewriter, refute


class _CallableModule(types.ModuleType):
    """``symfisher.check(text)`` calls :func:`check`; ``symfisher.check.extract`` stays a module."""

    def __call__(self, text: str) -> Report:
        return check(text)


sys.modules[__name__].__class__ = _CallableModule
