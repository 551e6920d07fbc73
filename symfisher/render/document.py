"""The document view: a Derivation as LaTeX strings and facts, ready for the templates.

Templates never call SymPy: every expression is printed here, once, with the
statistics printer. What the text must say honestly (an irregular model, an
entry found only numerically, routes that disagree) is computed here as plain
facts; the wording tables say it in each language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from symfisher.derive import Chain, Derivation, Status, Tex
from symfisher.derive.hypotheses import NEEDS, Hypotheses
from symfisher.derive.steps import NumericCheck
from symfisher.printing import latex as print_latex

#: Rules whose step is left out when it changes nothing visible (a comparison is always shown).
SILENT_WHEN_UNCHANGED = frozenset({"simplify", "log-expand", "substitute", "linearity-derivative", "differentiate"})

RELATIONS = {"=": "=", "≈": r"\approx", "≠": r"\neq", "⪰": r"\succeq", "⇝": r"\xrightarrow{d}"}


@dataclass(frozen=True)
class Line:
    """One line of an aligned chain: ``lhs &= rhs && \\text{reason}`` (lhs empty after the first)."""

    lhs: str
    relation: str
    rhs: str
    rule: str
    status: str
    condition: str = ""          # for a conditional step: where it holds (LaTeX)


@dataclass(frozen=True)
class Check:
    """A numeric cross-check, printed: parameter point, symbolic and numeric value."""

    point: str
    symbolic: str
    numeric: str


@dataclass(frozen=True)
class Block:
    """A displayed chain."""

    key: str
    lines: tuple[Line, ...]
    checks: tuple[Check, ...] = ()

    @property
    def statuses(self) -> set[str]:
        return {line.status for line in self.lines}


@dataclass(frozen=True)
class Entry:
    """A matrix entry that needs a sentence: its symbol and numeric values."""

    symbol: str
    checks: tuple[Check, ...]


@dataclass(frozen=True)
class ModelView:
    variable: str
    density: str
    support: str
    theta: str
    m: int
    parameters: tuple[str, ...]
    constants: tuple[str, ...]
    discrete: bool
    normalization: str
    unused_constants: tuple[str, ...] = ()


@dataclass(frozen=True)
class MLEView:
    """The MLE's blocks by kind: at an order statistic (and its 1/n rate), solved, or not found."""

    order: tuple[Block, ...] = ()
    rate: tuple[Block, ...] = ()
    solved: tuple[Block, ...] = ()
    none: str = ""                      # "" (found), "none" (solve numerically) or "unknown" (support depends on θ)

    @classmethod
    def of(cls, group: tuple[Block, ...]) -> MLEView:
        first = {b.key: b.lines[0].rule for b in group}
        return cls(order=tuple(b for b in group if first[b.key] == "mle-admissible"),
                   rate=tuple(b for b in group if first[b.key] == "order-statistic-rate"),
                   solved=tuple(b for b in group if first[b.key] == "mle-solve"),
                   none={"mle-numeric": "none", "mle-unknown": "unknown"}.get(
                       next((r for r in first.values() if r in ("mle-numeric", "mle-unknown")), ""), ""))


@dataclass(frozen=True)
class DocumentView:
    """Everything a template may print, already in LaTeX (math) or plain text (user text)."""

    title: str
    description: str
    tags: tuple[str, ...]
    model: ModelView
    blocks: dict[str, Block]
    groups: dict[str, tuple[Block, ...]]
    hessian_matrix: str
    fisher_matrix: str
    hessian_route_matrix: str
    regular: bool
    smooth: bool
    score_mean_zero: bool
    routes_agree: bool
    reparametrization: str = "agree"          # "agree", "differ" (with a witness) or "unknown"
    score_mean: str = "zero"                  # "zero", "nonzero" (shown) or "unknown" (not established)
    facts: dict[str, bool | None] = field(default_factory=dict)     # Hypotheses.as_dict(): selects theorems
    missing: dict[str, tuple[str, ...]] = field(default_factory=dict)  # per theorem: hypotheses not established
    hessian_classical_matrix: str = ""        # for a kink: the Hessian almost everywhere
    results: bool = False                     # the results part was derived
    omitted: tuple[str, ...] = ()             # optional results that failed, one line each
    mle: MLEView = field(default_factory=lambda: MLEView())
    numeric_entries: tuple[Entry, ...] = field(default_factory=tuple)   # no symbolic value
    numeric_steps: int = 0                                               # steps checked numerically only
    checked: int = 0                                                     # expectations cross-checked


def _number(value: complex) -> str:
    """A numeric value in LaTeX, 6 significant digits; quadrature noise below 1e-12 prints as 0."""
    value = complex(value)
    value = complex(0.0 if abs(value.real) < 1e-12 else value.real, 0.0 if abs(value.imag) < 1e-12 else value.imag)
    text = f"{value.real:.6g}" if abs(value.imag) < 1e-12 else f"{value.real:.6g} {value.imag:+.6g}i"
    return text.replace("e-", r"\times 10^{-").replace("e+", r"\times 10^{") + ("}" if "e" in text else "")


def _checks(check: NumericCheck | None, names: dict[str, str]) -> tuple[Check, ...]:
    if check is None:
        return ()
    symbolic = check.symbolic or (None,) * len(check.numeric)      # empty when no symbolic value exists
    return tuple(Check(", ".join(f"{names.get(n, n)} = {v}" for n, v in point),
                       "" if s is None else _number(s), _number(v))
                 for point, s, v in zip(check.points, symbolic, check.numeric))


class _Printer:
    def __init__(self, derivation: Derivation) -> None:
        model = derivation.model
        self.symbols = set(model.theta) | {d.symbol for d in model.declared} | {model.variable}
        self.names = {s.name: sp.latex(s) for s in self.symbols}

    def __call__(self, math) -> str:
        return math.latex if isinstance(math, Tex) else print_latex(math, self.symbols)

    def block(self, chain: Chain) -> Block:
        lines: list[Line] = []
        previous = self(chain.steps[0].lhs)
        checks: tuple[Check, ...] = ()
        for step in chain.steps:
            rhs = self(step.rhs)
            if rhs == previous and step.rule in SILENT_WHEN_UNCHANGED:
                continue
            lines.append(Line("" if lines else self(step.lhs), RELATIONS[step.relation], rhs, step.rule,
                              step.status.value, _condition(step)))
            checks += _checks(step.check, self.names)
            previous = rhs
        if not lines:                      # keep at least the statement itself
            step = chain.steps[-1]
            lines.append(Line(self(step.lhs), RELATIONS[step.relation], self(step.rhs), step.rule,
                              step.status.value, _condition(step)))
        return Block(chain.key, tuple(lines), checks)

    def matrix(self, rows, placeholder) -> str:
        body = r" \\ ".join(" & ".join(placeholder(j, k) if entry is None else self(entry)
                                       for k, entry in enumerate(row)) for j, row in enumerate(rows))
        return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"


def _facts_of(derivation: Derivation) -> Hypotheses:
    """Facts for a Derivation built without them: nothing beyond what its fields say is assumed."""
    return Hypotheses(support_free=derivation.regular, twice_differentiable=derivation.hessian_route_valid,
                      score_mean_zero=True if all(v is not None and v == 0 for v in derivation.score_mean) else None,
                      fisher_established=all(e is not None for row in derivation.fisher for e in row),
                      positive_definite=None, routes_agree=None)


def _comparison(group: tuple[Block, ...], rule: str) -> str:
    """"agree" or "differ" as the comparison line of ``rule`` says, "unknown" when it was left out."""
    relations = {line.relation for b in group for line in b.lines if line.rule == rule}
    return "agree" if relations == {"="} else "differ" if r"\neq" in relations else "unknown"


def document_view(derivation: Derivation, title: str, description: str = "",
                  tags: tuple[str, ...] = ()) -> DocumentView:
    """The view of ``derivation`` that the templates render."""
    model = derivation.model
    show = _Printer(derivation)
    theta = [sp.latex(t) for t in model.theta]
    blocks: dict[str, Block] = {}
    groups: dict[str, tuple[Block, ...]] = {}
    for section in derivation.sections:
        group = tuple(show.block(chain) for chain in section.chains)
        groups[section.key] = group
        blocks.update((b.key, b) for b in group)

    def entry_symbol(j: int, k: int) -> str:
        return rf"\mathbf{{F}}_{{{theta[j]} {theta[k]}}}"

    numeric_entries = []
    m = len(theta)
    for j in range(m):
        for k in range(j, m):
            if derivation.fisher[j][k] is None:
                out = derivation.fisher_score_route[j][k]
                numeric_entries.append(Entry(entry_symbol(j, k), _checks(out.check, show.names)))
    agreement = groups.get("fisher:agreement", ())
    routes_agree = bool(agreement) and all(
        line.rule != "routes-differ" for b in agreement for line in b.lines)
    steps = [line for group in groups.values() for b in group for line in b.lines]
    facts = derivation.hypotheses or _facts_of(derivation)
    omitted = tuple(d.message for d in derivation.diagnostics if d.code == "result-omitted")
    return DocumentView(
        title=title, description=description, tags=tags,
        model=ModelView(
            variable=sp.latex(model.variable), density=show(model.density), support=model.support.latex(),
            theta=r"\left(" + ", ".join(theta) + r"\right)^T" if m > 1 else theta[0], m=m,
            parameters=tuple(p.domain.latex(sp.latex(p.symbol)) for p in model.parameters),
            constants=tuple(c.domain.latex(sp.latex(c.symbol)) for c in model.constants),
            discrete=model.discrete, normalization=model.normalization,
            unused_constants=tuple(sp.latex(c.symbol) for c in model.constants
                                   if c.symbol not in model.density.free_symbols | model.support.free_symbols)),
        blocks=blocks, groups=groups,
        hessian_matrix=show.matrix(derivation.hessian, lambda j, k: ""),
        fisher_matrix=show.matrix(derivation.fisher, entry_symbol),
        hessian_route_matrix=show.matrix(
            [[None if out is None else out.value for out in row] for row in derivation.fisher_hessian_route],
            lambda j, k: rf"-\mathbb{{E}}[\mathbf{{H}}_{{{theta[j]} {theta[k]}}}]"),
        regular=derivation.regular, smooth=not any(d.code == "hessian-route-invalid" for d in derivation.diagnostics),
        score_mean_zero=facts.score_mean_zero is True,
        routes_agree=routes_agree,
        reparametrization=_comparison(groups.get("results:reparametrization", ()), "direct-derivation"),
        score_mean={True: "zero", False: "nonzero", None: "unknown"}[facts.score_mean_zero],
        facts=facts.as_dict(), missing={result: facts.missing(result) for result in NEEDS},
        hessian_classical_matrix=show.matrix(derivation.hessian_classical, lambda j, k: "")
        if derivation.hessian_classical and not facts.twice_differentiable else "",
        results=any(k.startswith("results:") for k in groups) or bool(omitted),
        omitted=omitted, mle=MLEView.of(groups.get("results:mle", ())),
        numeric_entries=tuple(numeric_entries),
        # steps established by quadrature or summation alone (the MLE's maximum check is said where it is shown)
        numeric_steps=sum(line.status == Status.NUMERIC.value and line.rule != "mle-solve" for line in steps),
        checked=sum(len(b.checks) > 0 for group in groups.values() for b in group),
    )


def _condition(step) -> str:
    """The condition a conditional step holds under (its detail, in LaTeX)."""
    return step.detail if step.status is Status.CONDITIONAL else ""
