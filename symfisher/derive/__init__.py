"""Stage 3, derive: Model -> Derivation (the note's results for this model, as steps).

``derive(model)`` reads top to bottom like the note: log-likelihood, score,
E[s] = 0 (in general, then for the model), Hessian, Fisher matrix by E[s sᵀ],
the identity F = −E[H] (in general, then for the model) and the agreement of
both routes. Every expectation goes through the expectation engine, which
cross-checks it numerically.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from symfisher.derive import calculus, evidence, general, hypotheses
from symfisher.derive.expectation import ExpectationEngine, Outcome
from symfisher.derive.hypotheses import Hypotheses
from symfisher.derive.steps import RULES, Chain, NumericCheck, Section, Status, Step, Tex
from symfisher import budget
from symfisher.diagnostics import Diagnostic
from symfisher.errors import BudgetExceeded, SymfisherError
from symfisher.model import Model
from symfisher.printing import expression_json

#: The note's expectation symbol.
E = r"\mathbb{E}_{p(x|\theta)}"

__all__ = ["RULES", "Chain", "Derivation", "Hypotheses", "NumericCheck", "Section", "Status", "Step", "Tex",
           "derive"]


@dataclass(frozen=True)
class Derivation:
    """Everything derived for one model; the only thing the renderer reads."""

    model: Model
    log_density: sp.Expr
    log_likelihood: sp.Expr
    sample_size: sp.Symbol
    score: tuple[sp.Expr, ...]
    sample_score: tuple[sp.Expr, ...]
    score_mean: tuple[sp.Expr | None, ...]
    hessian: tuple[tuple[sp.Expr, ...], ...]
    fisher: tuple[tuple[sp.Expr | None, ...], ...]
    fisher_score_route: tuple[tuple[Outcome, ...], ...]
    fisher_hessian_route: tuple[tuple[Outcome | None, ...], ...]
    regular: bool
    hessian_route_valid: bool
    sections: tuple[Section, ...]
    diagnostics: tuple[Diagnostic, ...]
    seconds: float
    hypotheses: Hypotheses | None = None          # what was established: selects the theorems stated
    hessian_classical: tuple[tuple[sp.Expr, ...], ...] = ()   # the Hessian almost everywhere (no δ terms)

    @property
    def theta(self) -> tuple[sp.Symbol, ...]:
        return self.model.theta

    def _repr_markdown_(self) -> str:
        """Jupyter shows a derivation as its English write-up (no front matter)."""
        from symfisher.render import render   # the render stage reads Derivations; imported on use

        return render(self, "notebook", "en")

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form printed by ``symfisher derive --format json``."""
        symbols = set(self.model.theta) | {d.symbol for d in self.model.declared} | {self.model.variable}

        def js(expr):
            return None if expr is None else expression_json(expr, symbols)
        return {
            "variable": self.model.variable.name,
            "parameters": [p.name for p in self.model.parameters],
            "log_density": js(self.log_density),
            "score": [js(s) for s in self.score],
            "score_mean": [js(s) for s in self.score_mean],
            "hessian": [[js(h) for h in row] for row in self.hessian],
            "fisher": [[js(f) for f in row] for row in self.fisher],
            "regular": self.regular,
            "hessian_route_valid": self.hessian_route_valid,
            "hypotheses": None if self.hypotheses is None else self.hypotheses.as_dict(),
            "diagnostics": [d.as_dict() for d in self.diagnostics],
        }


def _fresh_symbol(model: Model, names: list[str], **assumptions) -> sp.Symbol:
    taken = {s.name for s in (model.variable, *(d.symbol for d in model.declared))}
    return sp.Symbol(next(n for n in names if n not in taken), **assumptions)


def _expectation_steps(lhs: Tex, g: sp.Expr, model: Model, outcome: Outcome) -> tuple[Step, ...]:
    x, s = model.variable, model.support
    if s.discrete:
        integral = sp.Sum(g * model.density, (x, s.lower, s.upper))
    else:
        integral = sp.Integral(g * model.density, (x, s.lower, s.upper))
    first = Step(lhs, integral, "definition-expectation")
    if outcome.value is None:
        return (first,)
    detail = ", ".join(outcome.methods)
    if outcome.status is Status.CONDITIONAL:
        detail = outcome.condition_latex()
    computed = Step(integral, outcome.value, "expectation-computed", outcome.status, detail, outcome.check)
    if outcome.status is Status.PROVED and outcome.value != 0 and evidence.is_zero(outcome.value):
        # simplification left ψ(1 + z) − ψ(z) − 1/z and the like: the recurrences show it is 0
        return first, computed, Step(outcome.value, sp.S.Zero, "special-function-identity")
    return first, computed


def _established(outcome: Outcome) -> sp.Expr | None:
    """The value when it holds on the whole declared domain (0 when an identity shows it), else None."""
    if not outcome.established:
        return None
    return sp.S.Zero if evidence.is_zero(outcome.value) else outcome.value


def _at(check: NumericCheck, index: int) -> str:
    return ", ".join(f"{n} = {v}" for n, v in check.points[index])


def derive(model: Model, seconds: float | None = None, results: bool = True) -> Derivation:
    """Derive the score, its mean, the Hessian and the Fisher matrix of ``model``.

    Args:
        model: a validated model.
        seconds: time budget of each expectation (default: the global budget).
        results: also derive what follows from F (MLE, Cramér–Rao, reparametrization, KL).
    """
    start = time.perf_counter()
    theta, m = model.theta, len(model.theta)
    names = [t.name for t in theta]
    diagnostics = list(model.diagnostics)
    regular = not model.support_depends_on_theta
    failure = "" if regular else f"the support {model.support.latex()} depends on θ"

    # log-likelihood of one observation and of a sample
    log_p, log_steps = calculus.log_density(model)
    n = _fresh_symbol(model, ["n", "N", "n_s"], positive=True, integer=True)
    i = _fresh_symbol(model, ["i", "j", "k"], integer=True)
    xs = sp.IndexedBase(model.variable.name)
    log_lik = calculus.sample_log_likelihood(model, log_p, n, i, xs)
    likelihood = Section("log-likelihood", (
        Chain("log-density", log_steps),
        Chain("log-likelihood", (Step(Tex(r"L(X|\theta)"), Tex(r"\sum_{i=1}^{n} \log p(x_i|\theta)"),
                                      "definition-log-likelihood"),
                                 Step(Tex(r"\sum_{i=1}^{n} \log p(x_i|\theta)"), log_lik, "log-expand"))),
    ))

    # score
    score, score_chains = calculus.score(log_p, theta)
    engine = ExpectationEngine(model, log_p, seconds)

    # the likelihood equations ∂L/∂θⱼ = Σᵢ sⱼ(xᵢ|θ), which the MLE sets to zero
    sample_score = tuple(calculus.sample_log_likelihood(model, s, n, i, xs) for s in score)
    mle_chains = tuple(
        Chain(f"mle:{t.name}", (
            Step(Tex(rf"\frac{{\partial L(X|\theta)}}{{\partial {sp.latex(t)}}}"),
                 Tex(rf"\sum_{{i=1}}^{{n}} s_{{{sp.latex(t)}}}(x_i|\theta)"), "score-of-sample"),
            Step(Tex(rf"\sum_{{i=1}}^{{n}} s_{{{sp.latex(t)}}}(x_i|\theta)"), value, "substitute")))
        for t, value in zip(theta, sample_score))

    # E[s] = 0: in general, then for this model
    means = [engine.expect(s, f"E[s_{t.name}]") for s, t in zip(score, theta)]
    mean_chains = tuple(Chain(f"score-mean:{t.name}",
                              _expectation_steps(Tex(rf"{E}[s_{{{sp.latex(t)}}}(x|\theta)]"), s, model, out))
                        for s, t, out in zip(score, theta, means))
    mean_values = [_established(out) for out in means]
    # "not zero" needs a witness: independent quadrature clearly away from 0 at a point of the domains
    witnesses = [evidence.nonzero_witness(out.check.numeric) for out in means]
    witnesses = [w if w is not None and evidence.confirmed(s, model, engine.points[w], out.check.numeric[w]) else None
                 for s, out, w in zip(score, means, witnesses)]
    nonzero = [f"{t.name} (numerically {complex(out.check.numeric[w]).real:.6g} at {_at(out.check, w)})"
               for t, out, w in zip(theta, means, witnesses) if w is not None and mean_values[theta.index(t)] != 0]
    if nonzero:
        diagnostics.append(Diagnostic("score-mean-nonzero",
                                      f"E[s] is not zero for {', '.join(nonzero)}: {failure or 'see the steps'}"))

    # Hessian; a log-density that is not twice differentiable leaves point masses (DiracDelta)
    hess, hess_chains = calculus.hessian(score, theta)
    smooth = not any(h.has(sp.DiracDelta) for row in hess for h in row)
    if not smooth:
        kinks = sorted({str(a.args[0]) for row in hess for h in row for a in h.atoms(sp.DiracDelta)})
        diagnostics.append(Diagnostic(
            "hessian-route-invalid",
            f"log p is not twice differentiable in θ (at {', '.join(k + ' = 0' for k in kinks)}): the classical "
            "Hessian misses a point mass, so F = −E[H] does not hold with it; F comes from E[s sᵀ]"))
    hess_classical = tuple(tuple(h.replace(sp.DiracDelta, lambda *a: sp.S.Zero) for h in row) for row in hess)
    if not smooth:
        hess_chains = _classical_hessian_chains(hess_chains, hess, hess_classical, theta)

    # Fisher: by definition E[s sᵀ], and by −E[H]
    score_route = [[None] * m for _ in range(m)]
    hessian_route = [[None] * m for _ in range(m)]
    fisher = [[None] * m for _ in range(m)]
    fisher_chains, identity_chains, agreement_chains = [], [], []
    for j in range(m):
        for k in range(j, m):
            label = f"{names[j]},{names[k]}"
            s_out = engine.expect(score[j] * score[k], f"F[{label}]")
            h_out = engine.expect(-hess_classical[j][k], f"-E[H[{label}]]")
            score_route[j][k] = score_route[k][j] = s_out
            hessian_route[j][k] = hessian_route[k][j] = h_out
            pair = sp.latex(theta[j]) + " " + sp.latex(theta[k])
            tex_f = Tex(rf"\mathbf{{F}}_{{{pair}}}")
            tex_ss = Tex(rf"{E}[s_{{{sp.latex(theta[j])}}}(x|\theta) \, s_{{{sp.latex(theta[k])}}}(x|\theta)]")
            fisher_chains.append(Chain(f"fisher:{label}", (Step(tex_f, tex_ss, "definition-fisher"),)
                                       + _expectation_steps(tex_ss, score[j] * score[k], model, s_out)))
            identity_chains.append(Chain(f"fisher-hessian:{label}", _expectation_steps(
                Tex(rf"-{E}[\mathbf{{H}}_{{{pair}}}]"), -hess_classical[j][k], model, h_out)))
            value = _established(s_out)
            if value is None and regular and smooth and h_out.established:
                value = _established(h_out)       # the identity, proved in general, gives the entry
            fisher[j][k] = fisher[k][j] = value
            if not s_out.established:
                diagnostics.append(Diagnostic(
                    "fisher-entry-numeric",
                    f"F[{label}] was not derived symbolically ({s_out.reason})"
                    + ("; it is taken from −E[H]" if value is not None else "")
                    + f"; numerically {_numbers(s_out.check)}"))
            if s_out.established and h_out.established:
                same = evidence.is_zero(s_out.value - h_out.value, engine.seconds)
                # "≠" needs a witness: the two routes' independent numbers differ at a point of the domains
                differs = None if same else evidence.witness(s_out.check.numeric, h_out.check.numeric)
                if differs is not None and not (
                        evidence.confirmed(score[j] * score[k], model, engine.points[differs],
                                           s_out.check.numeric[differs])
                        and evidence.confirmed(-hess_classical[j][k], model, engine.points[differs],
                                               h_out.check.numeric[differs])):
                    differs = None
                if same:
                    rule, relation, status, detail = "fisher-identity", "=", Status.PROVED, ""
                elif differs is not None:
                    rule, relation, status = "routes-differ", "≠", Status.PROVED
                    detail = ("the routes differ: " + (failure or "log p is not twice differentiable")
                              + f" (numerically at {_at(s_out.check, differs)}: "
                              f"{complex(s_out.check.numeric[differs]).real:.6g} against "
                              f"{complex(h_out.check.numeric[differs]).real:.6g})")
                else:
                    rule, relation, status = "fisher-identity", "=", Status.NUMERIC
                    detail = "the two values agree numerically; no identity was found that shows it"
                agreement_chains.append(Chain(f"agreement:{label}", (
                    Step(tex_f, s_out.value, "score-route"),
                    Step(s_out.value, h_out.value, rule, status, detail=detail, relation=relation))))
                if differs is not None and regular and smooth:
                    diagnostics.append(Diagnostic("routes-disagree", f"F[{label}]: E[s sᵀ] = {s_out.value} but "
                                                                     f"−E[H] = {h_out.value}"))
                mass = _point_mass(model, hess[j][k] - hess_classical[j][k], engine.seconds)
                if mass is not None and not _mass_matches(mass, s_out, h_out, engine.points):
                    diagnostics.append(Diagnostic("point-mass-rejected", f"F[{label}]: the point mass {mass} "
                                                  "disagrees with the numeric gap between the routes; left out"))
                    mass = None
                if mass is not None:
                    # the distributional Hessian carries δ terms; their expectation closes the gap
                    restored = evidence.is_zero(h_out.value + mass - s_out.value, engine.seconds)
                    total = sp.Add(h_out.value, mass, evaluate=False)
                    agreement_chains.append(Chain(f"point-mass:{label}", (
                        Step(Tex(rf"-{E}[\mathbf{{H}}^{{\delta}}_{{{pair}}}]"), total, "point-mass"),
                        Step(total, s_out.value, "simplify", Status.PROVED if restored else Status.UNKNOWN))))

    sections = (
        likelihood,
        Section("score", score_chains),
        Section("mle", mle_chains),
        Section("score-mean:general", (general.score_mean_proof(model.discrete, regular, failure),)),
        Section("score-mean:model", mean_chains),
        Section("hessian", hess_chains),
        Section("fisher:definition", (general.fisher_definition(model.discrete),)),
        Section("fisher:score-route", tuple(fisher_chains)),
        general.fisher_identity_proof(model.discrete, regular, smooth,
                                      failure or ("" if smooth else "log p is not twice differentiable in θ")),
        Section("fisher:hessian-route", tuple(identity_chains)),
        Section("fisher:agreement", tuple(agreement_chains)),
    )
    fisher_matrix = tuple(tuple(row) for row in fisher)
    facts = Hypotheses(
        support_free=regular, twice_differentiable=smooth,
        score_mean_zero=hypotheses.score_mean_fact(tuple(mean_values),
                                                   any(d.code == "score-mean-nonzero" for d in diagnostics)),
        fisher_established=all(e is not None for row in fisher for e in row),
        positive_definite=hypotheses.positive_definite(model, fisher_matrix, score, engine.seconds),
        routes_agree=_routes_agree(agreement_chains, m))
    if results:
        derived, omitted = _results(model, sample_score, n, i, fisher_matrix, facts, engine.seconds)
        sections += derived
        diagnostics += omitted
    return Derivation(
        model=model, log_density=log_p, log_likelihood=log_lik, sample_size=n, score=score,
        sample_score=sample_score,
        score_mean=tuple(mean_values), hessian=hess_classical if smooth else hess,
        fisher=tuple(tuple(row) for row in fisher),
        fisher_score_route=tuple(tuple(row) for row in score_route),
        fisher_hessian_route=tuple(tuple(row) for row in hessian_route),
        regular=regular, hessian_route_valid=regular and smooth, sections=sections,
        diagnostics=tuple(diagnostics), seconds=time.perf_counter() - start, hypotheses=facts,
        hessian_classical=hess_classical)


def _results(model: Model, sample_score, n, i, fisher, facts: Hypotheses, seconds: float
             ) -> tuple[tuple[Section, ...], list[Diagnostic]]:
    """MLE, Cramér–Rao, reparametrization and KL (see :mod:`symfisher.derive.results`).

    Each part is optional: one that fails is left out with a ``result-omitted``
    diagnostic, and the others are still derived.
    """
    from symfisher.derive import results

    def engine_for(helper_model: Model, log_p: sp.Expr) -> ExpectationEngine:
        return ExpectationEngine(helper_model, log_p, seconds)

    def derive_directly(eta_model: Model) -> Derivation:
        return derive(eta_model, seconds, results=False)

    parts = (("MLE", lambda: results.mle(model, sample_score, n, i, facts)),
             ("Cramér–Rao", lambda: results.cramer_rao(fisher, n, facts, seconds)),
             ("reparametrization", lambda: results.reparametrization(model, fisher, seconds, derive_directly)),
             ("KL", lambda: results.kl_divergence(model, fisher, facts, engine_for, seconds)))
    sections, omitted = [], []
    for name, part in parts:
        try:
            section = part()
        except Exception as exc:    # noqa: BLE001 - an optional part never takes the document down
            reason = exc.one_line() if isinstance(exc, SymfisherError) else f"{type(exc).__name__}: {exc}"
            omitted.append(Diagnostic("result-omitted", f"{name}: {' '.join(reason.split())}"))
            continue
        if section.chains:
            sections.append(section)
    return tuple(sections), omitted


def _routes_agree(agreement_chains: list[Chain], m: int) -> bool | None:
    """True when every entry was compared and found equal by the identity; None when one was not."""
    compared = [c for c in agreement_chains if c.key.startswith("agreement:")]
    if len(compared) < m * (m + 1) // 2:
        return None
    rules = {(step.rule, step.status) for c in compared for step in c.steps[1:]}
    if {rule for rule, _ in rules} & {"routes-differ"}:
        return False
    # agreement seen only in the numbers is not the identity: it establishes nothing
    return True if rules == {("fisher-identity", Status.PROVED)} else None


def _classical_hessian_chains(chains: tuple[Chain, ...], hess, classical, theta) -> tuple[Chain, ...]:
    """For a kink: each entry with a δ term is the distributional Hessian 𝐇^δ, then the classical one.

    The classical Hessian (almost everywhere in x, away from the kink) is what
    −E[𝐇] is computed from; the δ term comes back as a point mass where the two
    routes are compared. No line equates a δ term with 0.
    """
    out = []
    for chain in chains:
        _, a, b = chain.key.split(":")
        j, k = (next(n for n, t in enumerate(theta) if t.name == name) for name in (a, b))
        if not hess[j][k].has(sp.DiracDelta):
            out.append(chain)
            continue
        pair = sp.latex(theta[j]) + " " + sp.latex(theta[k])
        first = chain.steps[0]
        out.append(Chain(chain.key, (Step(Tex(rf"\mathbf{{H}}^{{\delta}}_{{{pair}}}"), first.rhs, first.rule,
                                          first.status, first.detail),) + chain.steps[1:]))
        out.append(Chain(f"hessian-classical:{a}:{b}", (
            Step(Tex(rf"\mathbf{{H}}_{{{pair}}}"), classical[j][k], "classical-hessian"),)))
    return tuple(out)


def _mass_matches(mass: sp.Expr, s_out: Outcome, h_out: Outcome, points) -> bool:
    """The point mass, cross-checked: at every check point it must equal the gap between the two
    routes' independent numbers, E[s sᵀ] − (−E[H classical])."""
    from symfisher import numeric
    compared = 0
    for pt, s_value, h_value in zip(points, s_out.check.numeric, h_out.check.numeric):
        gap = complex(s_value) - complex(h_value)
        if not np.isfinite(gap):
            continue
        try:
            value = numeric.evaluate(mass, pt) if mass.free_symbols else complex(sp.N(mass))
        except (TypeError, ValueError, KeyError):
            return False
        if evidence.witness([value], [gap]) is not None:
            return False
        compared += 1
    return compared > 0


def _point_mass(model: Model, delta_part: sp.Expr, seconds: float) -> sp.Expr | None:
    """−E[δ terms of the Hessian] (sifting: ∫ c δ(x − a) p dx = c(a) p(a)), or None."""
    if delta_part == 0:
        return None
    x, s = model.variable, model.support
    try:
        value = budget.run(lambda: sp.simplify(sp.integrate(-delta_part * model.density, (x, s.lower, s.upper))),
                           seconds=seconds, label="point mass")
    except BudgetExceeded:
        return None
    return None if value.has(sp.Integral, sp.DiracDelta) else value


def _numbers(check: NumericCheck) -> str:
    return ", ".join(f"{complex(v).real:.8g} at ({', '.join(f'{n} = {val}' for n, val in pt)})"
                     for v, pt in zip(check.numeric, check.points))
