"""Soundness: symfisher states nothing false on models beyond the catalogue (issue 11, "How it is shown").

For every model of ``models.yaml`` symfisher's Python API derives the score, E[s], the Hessian and the
Fisher matrix, and the tests assert mathematics against ``reference.py`` (independent SymPy transcriptions
integrated with mpmath):

- no exception but the SymfisherError a refusal case expects;
- every Fisher entry and every E[s] is either None (not established) or the reference value (rel. 1e-6);
- ``score-mean-nonzero`` / ``routes-disagree`` only where the reference says so;
- no Cramér–Rao theorem for a model whose support depends on θ;
- the auditor (``audit.py``): every proved ``=`` step holds numerically, every ``≠`` has a witness, over
  the corpus and over every catalogue model;
- checker traps: divergent and conditional moments are never ✓.

Nothing is marked xfail: a failure here is a false statement of the engine (or a valid model refused).
Run: ``PYTHONPATH=$PWD python -m pytest tests/soundness -q``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import sympy as sp
import yaml

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))   # reference.py and audit.py sit beside this file (tests/ is not a package)

from audit import audit  # noqa: E402
from reference import TEXTBOOK, TRANSCRIPTIONS, reference, textbook  # noqa: E402

from symfisher.errors import SymfisherError  # noqa: E402

CORPUS = yaml.safe_load((HERE / "models.yaml").read_text(encoding="utf-8"))
MODELS: dict = CORPUS["models"]
PROOFS: dict = CORPUS["proofs"]
MODEL_KEYS = ("density", "parameters", "constants", "support", "variable")
REL = 1e-6

DERIVABLE = [n for n, e in MODELS.items() if e["kind"] in ("regular", "irregular")]
IRREGULAR = [n for n, e in MODELS.items() if e["kind"] == "irregular"]
REFUSED = [n for n, e in MODELS.items() if e["kind"] == "refused"]


@dataclass
class Outcome:
    """What symfisher made of one corpus model: a derivation, or the error it raised."""

    derivation: object | None = None
    error: BaseException | None = None


_OUTCOMES: dict[str, Outcome] = {}


def fields(name: str) -> dict:
    return {k: MODELS[name][k] for k in MODEL_KEYS if k in MODELS[name]}


def outcome(name: str) -> Outcome:
    """Build and derive a corpus model once per session (results part where the entry asks for it)."""
    if name not in _OUTCOMES:
        from symfisher.derive import derive
        from symfisher.model import build_model
        from symfisher.model.spec import spec_from_mapping

        entry = MODELS[name]
        results = entry.get("results", entry["kind"] == "irregular")
        try:
            model = build_model(spec_from_mapping(fields(name), name))
            _OUTCOMES[name] = Outcome(derivation=derive(model, results=results))
        except BaseException as exc:   # noqa: BLE001 - a traceback is itself a finding; keep it to report
            _OUTCOMES[name] = Outcome(error=exc)
    return _OUTCOMES[name]


def derivation(name: str):
    """The derivation, failing the test with the error (one line) when there is none."""
    out = outcome(name)
    if out.error is not None:
        kind = "refused a valid model" if isinstance(out.error, SymfisherError) else "TRACEBACK"
        pytest.fail(f"{name}: {kind}: {type(out.error).__name__}: {' '.join(str(out.error).split())[:300]}")
    return out.derivation


def ref(name: str):
    d = derivation(name)
    declared = [(x.symbol.name, x.domain.name) for x in d.model.declared]
    return reference(name, declared, [p.symbol.name for p in d.model.parameters])


def at(expr: sp.Expr, point: dict[str, sp.Expr]) -> complex:
    """symfisher's expression at a reference point (symbols matched by name: assumptions differ)."""
    subs = {s: point[s.name] for s in expr.free_symbols if s.name in point}
    return complex(sp.N(expr.subs(subs), 30))


def close(a: complex, b: complex) -> bool:
    return abs(a - b) <= REL * max(1.0, abs(b))


def nonzero(v) -> bool:
    """Really nonzero: beyond what the reference quadrature can err (its E[s] of regular models < 1e-5)."""
    return abs(complex(v)) > 1e-4


# ---------------------------------------------------------------------------------------------- the corpus

def test_corpus_has_forty_models_beyond_the_catalogue():
    from symfisher.catalog import catalog

    cat = catalog()
    beyond = [n for n, e in MODELS.items() if e["kind"] != "refused" and not e.get("in_catalogue")]
    assert len(beyond) >= 40, len(beyond)
    for name, entry in MODELS.items():
        assert entry.get("source"), f"{name} names no source"
        assert name in TRANSCRIPTIONS or entry["kind"] == "refused", f"{name} has no reference transcription"
        for key, spec in cat.items():
            if entry.get("in_catalogue") == key:
                continue
            same = (" ".join(spec.density.split()) == " ".join(entry["density"].split())
                    and " ".join(spec.support.split()) == " ".join(entry.get("support", spec.support).split())
                    and [p for p, _ in spec.parameters] == [p.split(":")[0] if isinstance(p, str) else next(iter(p))
                                                            for p in entry["parameters"]])
            assert not same, f"{name} is the catalogue's {spec.title or spec.density}"


@pytest.mark.parametrize("name", [n for n in DERIVABLE if n in TEXTBOOK])
def test_reference_agrees_with_the_textbook_closed_form(name):
    """The independent quadrature and the textbook formula agree: both transcriptions are right."""
    entry = MODELS[name]
    declared, parameters = _declared_names(entry)
    r = reference(name, declared, parameters)
    for point, fisher in zip(r.points, r.fisher):
        book = textbook(name, point)
        for j, row in enumerate(book):
            for k, value in enumerate(row):
                assert close(complex(fisher[j][k]), value), (name, point, j, k, complex(fisher[j][k]), value)


@pytest.mark.parametrize("name", DERIVABLE)
def test_reference_regularity(name):
    """Regular models: E[s] = 0 and E[s sᵀ] = −E[H] by quadrature; irregular ones: E[s] ≠ 0."""
    entry = MODELS[name]
    declared, parameters = _declared_names(entry)
    r = reference(name, declared, parameters)
    mean_nonzero = any(nonzero(v) for means in r.score_mean for v in means)
    assert mean_nonzero == (entry["kind"] == "irregular"), (name, r.score_mean)
    if entry["kind"] == "regular":
        for fs, hs in zip(r.fisher, r.neg_hessian):
            for frow, hrow in zip(fs, hs):
                for f, h in zip(frow, hrow):
                    assert close(complex(f), complex(h)), (name, f, h)


def _declared_names(entry: dict) -> tuple[list[tuple[str, str]], list[str]]:
    """(symbol name, domain) of the declarations, spelled as SymPy names them (\\lambda -> lambda, x_{m} -> x_m).

    Done by hand here so that the reference tests need nothing of symfisher's parser.
    """
    def names(items):
        out = []
        for item in items or []:
            n, dom = item.rsplit(":", 1) if isinstance(item, str) else next(iter(item.items()))
            out.append((n.strip().lstrip("\\").replace("{", "").replace("}", ""), dom.strip()))
        return out
    params = names(entry["parameters"])
    return params + names(entry.get("constants")), [n for n, _ in params]


# ------------------------------------------------------------------------------------- symfisher vs reference

@pytest.mark.parametrize("name", DERIVABLE)
def test_derives_without_error(name):
    derivation(name)


@pytest.mark.parametrize("name", DERIVABLE)
def test_fisher_is_the_reference_or_not_established(name):
    d, r = derivation(name), ref(name)
    wrong = []
    for point, fisher in zip(r.points, r.fisher):
        for j, row in enumerate(d.fisher):
            for k, entry in enumerate(row):
                if entry is None:
                    continue
                got, want = at(entry, point), complex(fisher[j][k])
                if not close(got, want):
                    wrong.append(f"F[{j},{k}] = {entry} is {got.real:.10g}, reference {want.real:.10g} at {point}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name", DERIVABLE)
def test_score_mean_is_the_reference_or_not_established(name):
    d, r = derivation(name), ref(name)
    wrong = []
    for point, means in zip(r.points, r.score_mean):
        for j, entry in enumerate(d.score_mean):
            if entry is None:
                continue
            got, want = at(entry, point), complex(means[j])
            if not close(got, want):
                wrong.append(f"E[s_{j}] = {entry} is {got.real:.10g}, reference {want.real:.10g} at {point}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name", DERIVABLE)
def test_nonzero_and_disagreement_only_with_a_witness(name):
    """``score-mean-nonzero`` and ``routes-disagree`` appear only where the reference says so."""
    d, r = derivation(name), ref(name)
    codes = {diag.code for diag in d.diagnostics}
    mean_nonzero = any(nonzero(v) for means in r.score_mean for v in means)
    routes_differ = any(nonzero(f - h) for fs, hs in zip(r.fisher, r.neg_hessian)
                        for frow, hrow in zip(fs, hs) for f, h in zip(frow, hrow))
    false = []
    if "score-mean-nonzero" in codes and not mean_nonzero:
        false.append(f"score-mean-nonzero, but E[s] = {[[float(v) for v in m] for m in r.score_mean]}")
    if "routes-disagree" in codes and not routes_differ:
        false.append("routes-disagree, but E[s sᵀ] = −E[H] at every reference point")
    assert not false, f"{name}: " + "; ".join(false)


@pytest.mark.parametrize("name", IRREGULAR)
def test_no_cramer_rao_where_the_support_depends_on_theta(name):
    d = derivation(name)
    assert not d.regular
    stated = [s.key for s in d.sections if s.key == "results:cramer-rao"
              and any(step.rule == "cramer-rao" for chain in s.chains for step in chain.steps)]
    assert not stated, f"{name}: the Cramér–Rao bound is stated although the support depends on θ"


#: Results that rest on the regularity a θ-dependent support breaks: the likelihood equations Σ s = 0
#: (the MLE is an order statistic there), and KL ≈ ½ dᵀ F d.
REGULAR_ONLY_RULES = ("mle-numeric", "mle-solve", "kl-quadratic")


@pytest.mark.parametrize("name", IRREGULAR)
def test_no_likelihood_equation_or_kl_expansion_where_the_support_depends_on_theta(name):
    d = derivation(name)
    stated = sorted({f"{s.key}: {step.rule}" for s in d.sections for chain in s.chains for step in chain.steps
                     if step.rule in REGULAR_ONLY_RULES})
    assert not stated, f"{name}: stated although the support depends on θ: {stated}"


# --------------------------------------------------------------------------------------------------- refusals

@pytest.mark.parametrize("name", REFUSED)
def test_refused_by_the_api(name):
    out = outcome(name)
    assert out.error is not None, f"{name} was accepted and derived"
    assert isinstance(out.error, SymfisherError), f"{name}: TRACEBACK {type(out.error).__name__}: {out.error}"
    message = out.error.one_line().lower()
    assert all(word in message for word in MODELS[name]["refusal"]), message


@pytest.mark.parametrize("name", REFUSED)
def test_refused_by_the_cli_in_one_line(name, tmp_path):
    entry = MODELS[name]
    args = [sys.executable, "-m", "symfisher", "derive", entry["density"], "--support", entry["support"],
            "--format", "json"]
    for p in entry["parameters"]:
        args += ["--param", p if isinstance(p, str) else ":".join(next(iter(p.items())))]
    env = {**os.environ, "PYTHONPATH": str(HERE.parents[1])}
    run = subprocess.run(args, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert run.returncode == 2, f"exit {run.returncode}: {run.stdout[:200]} {run.stderr[-300:]}"
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("symfisher: error:"), run.stderr
    assert "Traceback" not in run.stderr
    assert all(word in lines[0].lower() for word in entry["refusal"]), lines[0]
    assert not list(tmp_path.iterdir()), "a file was written"


# ---------------------------------------------------------------------------------------------------- auditor

_AUDITS: dict = {}


def audited(label: str, get_derivation):
    """The auditor's findings for one derivation, computed once per session."""
    if label not in _AUDITS:
        _AUDITS[label] = audit(get_derivation(), label)
    return _AUDITS[label]


def _catalogue_names() -> list[str]:
    from symfisher.catalog import catalog
    return sorted(catalog())


AUDITED = [(n, n) for n in DERIVABLE] + [(f"catalogue:{n}", n) for n in _catalogue_names()]


def _get(label: str, name: str, derived):
    return (lambda: derived(name)) if label.startswith("catalogue:") else (lambda: derivation(name))


@pytest.mark.parametrize("label,name", AUDITED, ids=[label for label, _ in AUDITED])
def test_audit_proved_equalities_hold_and_inequalities_have_a_witness(label, name, derived):
    violations, count, undecided = audited(label, _get(label, name, derived))
    assert count, f"{label}: no step could be audited"
    false = [v for v in violations if v.kind in ("numeric", "witness")]
    assert not false, "\n".join(str(v) for v in false)


@pytest.mark.parametrize("label,name", AUDITED, ids=[label for label, _ in AUDITED])
def test_audit_approximation_chains_keep_their_remainder(label, name, derived):
    violations, _, _ = audited(label, _get(label, name, derived))
    dropped = [v for v in violations if v.kind == "remainder"]
    assert not dropped, "\n".join(str(v) for v in dropped)


def test_auditor_catches_a_planted_false_step():
    """The auditor can fail: a proved step F = 7/λ² (exponential: 1/λ²) and a ≠ between equals are reported."""
    from dataclasses import replace

    from symfisher.derive.steps import Chain, Section, Step

    d = outcome("rayleigh_rate").derivation or derivation("rayleigh_rate")
    theta = d.model.theta[0]
    integral = next(step.lhs for s in d.sections for c in s.chains for step in c.steps
                    if s.key == "fisher:score-route" and isinstance(step.lhs, sp.Integral))
    planted = Section("planted", (Chain("planted", (
        Step(integral, 7 / theta**2, "expectation-computed"),
        Step(1 / theta**2, theta**-2, "routes-differ", relation="≠"))),))
    violations, _, _ = audit(replace(d, sections=(planted,)), "planted")
    assert [v.rule for v in violations] == ["expectation-computed", "routes-differ"]


def test_auditor_sees_a_divergent_integral():
    """∫₀^∞ 1/x · gamma density for α < 1 diverges: the guard must not return its analytic continuation."""
    from audit import DIVERGES, numeric_integral

    x = sp.Symbol("x", positive=True)
    alpha, beta = sp.Rational(569, 1000), sp.Rational(3, 2)
    density = beta**alpha / sp.gamma(alpha) * x**(alpha - 1) * sp.exp(-beta * x)
    assert numeric_integral(density / x, x, sp.S.Zero, sp.oo, False) == DIVERGES
    assert numeric_integral(1 / (sp.pi * (1 + x**2)) * x, x, -sp.oo, sp.oo, False) == DIVERGES
    value = numeric_integral(density * x, x, sp.S.Zero, sp.oo, False)
    assert abs(value - alpha / beta) < 1e-12


# ------------------------------------------------------------------------------------------- checker traps

def _proof_text(name: str) -> str:
    entry = PROOFS[name]
    matter = yaml.safe_dump({"title": name, "model": entry["model"]}, allow_unicode=True, sort_keys=False)
    return f"---\n{matter}---\n\n{entry['text']}"


@pytest.mark.parametrize("name", sorted(PROOFS))
def test_checker_proves_no_divergent_or_conditional_moment(name):
    from symfisher import check

    try:
        report = check(_proof_text(name))
    except SymfisherError as exc:
        pytest.fail(f"{name}: the proof was refused: {exc.one_line()}")
    except Exception as exc:   # noqa: BLE001 - a traceback is a finding
        pytest.fail(f"{name}: TRACEBACK {type(exc).__name__}: {exc}")
    verdicts = {s.link.index: s.verdict for s in report.steps}
    entry = PROOFS[name]
    false = [f"step {i} ({verdicts[i].verdict}, {', '.join(verdicts[i].rules)}): {verdicts[i].reason}"
             for i in entry.get("false_steps", []) if verdicts[i].verdict == "proved"]
    assert not false, f"{name}: ✓ on a false step: " + "; ".join(false)
    missing = [i for i in entry.get("true_steps", []) if verdicts[i].verdict != "proved"]
    assert not missing, f"{name}: the control step(s) {missing} are not proved: " + \
        "; ".join(verdicts[i].reason for i in missing)


@pytest.mark.parametrize("perturbation", ["fisher", "score_mean", "score-mean-nonzero", "routes-disagree"])
def test_the_harness_rejects_a_perturbed_derivation(perturbation):
    """Break the derivation on purpose (0.1 % off, a tiny nonzero E[s], an unfounded claim): the check fails."""
    from dataclasses import replace

    from symfisher.diagnostics import Diagnostic

    name = "rayleigh_rate"
    d = derivation(name)
    theta = d.model.theta[0]
    planted = {
        "fisher": lambda: (replace(d, fisher=((d.fisher[0][0] * sp.Rational(1001, 1000),),)),
                           test_fisher_is_the_reference_or_not_established),
        "score_mean": lambda: (replace(d, score_mean=(1 / (1000 * theta),)),
                               test_score_mean_is_the_reference_or_not_established),
        "score-mean-nonzero": lambda: (replace(d, diagnostics=d.diagnostics + (Diagnostic(perturbation, "planted"),)),
                                       test_nonzero_and_disagreement_only_with_a_witness),
        "routes-disagree": lambda: (replace(d, diagnostics=d.diagnostics + (Diagnostic(perturbation, "planted"),)),
                                    test_nonzero_and_disagreement_only_with_a_witness),
    }
    broken, check = planted[perturbation]()
    _OUTCOMES[name] = Outcome(derivation=broken)
    try:
        with pytest.raises(AssertionError):
            check(name)
    finally:
        _OUTCOMES[name] = Outcome(derivation=d)
    check(name)
