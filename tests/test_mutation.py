"""Mutation tests of the expectation rules: seeded faults must make a probe fail.

Each mutant edits the source of one rule (a wrong constant, a dropped condition,
a wrong sign, a weakened divergence test), the mutated module is loaded in place
of the real one, and a battery of expectations with textbook values is run. A
mutant is *killed* when some probe fails: a value differs from the textbook, a
condition is missing or extra, a value that must be found is not. Run this file
directly for the kill-rate table:

    python tests/test_mutation.py
"""

from __future__ import annotations

import inspect
import sys
import types
from dataclasses import dataclass
from pathlib import Path

import pytest
import sympy as sp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from symfisher import conditions, integrals, numeric, parse_model  # noqa: E402
from symfisher.catalog import catalog  # noqa: E402
from symfisher.conditions import describe, holds_at  # noqa: E402
from symfisher.derive import Status, evidence  # noqa: E402
from symfisher.derive.expectation import ExpectationEngine  # noqa: E402
from symfisher.model import build_model  # noqa: E402


@dataclass(frozen=True)
class Mutant:
    name: str
    module: types.ModuleType
    original: str
    mutated: str


MUTANTS = [
    Mutant("gamma kernel: constant k dropped", integrals,
           "sp.gamma(a / k) / (k * b ** (a / k))", "sp.gamma(a / k) / (b ** (a / k))"),
    Mutant("gamma kernel: condition a > 0 dropped", integrals,
           "_positive(a) + _positive(b) + _positive(k)", "_positive(b) + _positive(k)"),
    Mutant("beta kernel: wrong denominator", integrals,
           "sp.gamma(a) * sp.gamma(b) / sp.gamma(a + b)", "sp.gamma(a) * sp.gamma(b) / sp.gamma(a + b + 1)"),
    Mutant("beta-prime kernel: condition c > a dropped", integrals,
           "_positive(a) + _positive(c - a)", "_positive(a)"),
    Mutant("beta-prime kernel: Γ(c − a) → Γ(c + a)", integrals,
           "sp.gamma(a) * sp.gamma(c - a) / sp.gamma(c)", "sp.gamma(a) * sp.gamma(c + a) / sp.gamma(c)"),
    Mutant("gaussian kernel: sign of b²/4a", integrals,
           "sp.exp(c - b ** 2 / (4 * a))", "sp.exp(c + b ** 2 / (4 * a))"),
    Mutant("poisson series: e^{e^A} → e^{e^A + 1}", integrals,
           "eB * sp.exp(eA)", "eB * sp.exp(eA + 1)"),
    Mutant("geometric series: lower bound off by one", integrals,
           "exp_of(A * lower) / (1 - eA)", "exp_of(A * (lower + 1)) / (1 - eA)"),
    Mutant("negative binomial series: sign of r", integrals,
           "(1 - eA) ** (-r)", "(1 - eA) ** (r)"),
    Mutant("generated derivative: one order too many", integrals,
           "sp.diff(value, t, order)", "sp.diff(value, t, order + 1)"),
    Mutant("odd symmetry without absolute integrability", integrals,
           "    if half is None:\n        return None\n    return Closed(ZERO",
           "    if half is None:\n        return Closed(ZERO)\n    return Closed(ZERO"),
    Mutant("divergence test at a finite end weakened", numeric,
           "if np.isfinite(end) and q <= -1 + EXPONENT_MARGIN:", "if np.isfinite(end) and q <= -2:"),
    Mutant("divergence test at infinity weakened", numeric,
           "if not np.isfinite(end) and q >= -1 - EXPONENT_MARGIN:", "if not np.isfinite(end) and q >= 0:"),
    Mutant("a condition that cannot be decided counts as true", conditions,
           "    split = _difference(condition)\n    if split is None:\n        return None\n    return _sign(*split)",
           "    split = _difference(condition)\n    if split is None:\n        return None\n"
           "    return _sign(*split) is not False"),
    Mutant("witness tolerance at rounding level", evidence,
           "WITNESS_TOLERANCE = 1e-6", "WITNESS_TOLERANCE = 1e-16"),
]


def load_mutant(mutant: Mutant) -> dict:
    """The mutated module's namespace; classes stay the real ones so isinstance checks still hold."""
    source = inspect.getsource(mutant.module)
    assert source.count(mutant.original) == 1, f"{mutant.name}: the snippet must occur exactly once"
    namespace = dict(vars(mutant.module))
    code = compile(source.replace(mutant.original, mutant.mutated), mutant.module.__file__, "exec")
    exec(code, namespace)  # noqa: S102 - our own source, mutated by this test
    for name, value in vars(mutant.module).items():
        if isinstance(value, type):
            namespace[name] = value
    return namespace


def patches(mutant: Mutant) -> list[tuple[object, str, object]]:
    """(owner, attribute, mutated value) for the module and every module that imported its names."""
    namespace = load_mutant(mutant)
    out = []
    for name, original in vars(mutant.module).items():
        new = namespace.get(name)
        if new is original or isinstance(original, (type, types.ModuleType)) or name.startswith("__"):
            continue
        for module in [m for n, m in list(sys.modules.items()) if n.startswith("symfisher") and m is not None]:
            if getattr(module, name, None) is original:
                out.append((module, name, new))
    return out


# -- the battery --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Probe:
    model: str
    g: str                 # an expression in the model's symbols, e.g. "1/x"
    expected: str          # the textbook value, or "" when no value may be stated
    condition: str = ""    # the condition the value needs (LaTeX), "" when it holds on the whole domain


PROBES = [
    Probe("gamma", "x", "alpha/beta"),
    Probe("gamma", "x**2", "alpha*(alpha + 1)/beta**2"),
    Probe("gamma", "log(x)", "polygamma(0, alpha) - log(beta)"),
    Probe("gamma", "1/x", "beta/(alpha - 1)", r"\alpha > 1"),
    Probe("gamma_scale", "x*log(x)", "k*theta*(polygamma(0, k + 1) + log(theta))"),
    Probe("beta", "log(x)", "polygamma(0, alpha) - polygamma(0, alpha + beta)"),
    Probe("beta", "x", "alpha/(alpha + beta)"),
    Probe("student_t", "(x - mu)**2", "nu*sigma**2/(nu - 2)", r"\nu > 2"),
    Probe("student_t", "(x - mu)**3/((x - mu)**2 + nu*sigma**2)**2", "0"),
    Probe("normal", "(x - mu)**4", "3*sigma**4"),
    Probe("normal", "x*(x - mu)**2", "mu*sigma**2"),
    Probe("lognormal", "log(x)**2", "mu**2 + sigma**2"),
    Probe("poisson", "x**2", "lambda + lambda**2"),
    Probe("negative_binomial", "x", "r*(1 - p)/p"),
    Probe("geometric", "x", "1/p"),
    Probe("cauchy", "x", ""),
    Probe("cauchy", "(x - x_0)**2/((x - x_0)**2 + gamma**2)", "1/2"),
    Probe("pareto", "x", "alpha*x_m/(alpha - 1)", r"\alpha > 1"),
    Probe("half_normal", "x", "sqrt(2)*sigma/sqrt(pi)"),
    Probe("weibull", "x**k", "lambda**k"),
    Probe("rayleigh", "x**3", "3*sqrt(2)*sqrt(pi)*sigma**3/2"),
]


def run_rule_probes() -> list[str]:
    """The rules on their own, where a fault could hide behind the numeric cross-check."""
    z = sp.Symbol("z", real=True)
    v = sp.Symbol("v", positive=True)
    failures = []
    if integrals.odd_symmetry(z / (sp.pi * (1 + z ** 2)), z) is not None:
        failures.append("odd symmetry applied to the Cauchy mean, which does not converge")
    half = integrals.integral(sp.exp(-v ** 2), v, sp.S.Zero, sp.oo)
    if half is None or sp.simplify(half.value - sp.sqrt(sp.pi) / 2) != 0:
        failures.append(f"∫₀^∞ e^(-v²) dv gave {half}")
    return failures

def _engine(name: str) -> ExpectationEngine:
    model = build_model(catalog()[name])
    return ExpectationEngine(model, sp.expand_log(sp.log(model.density), force=True))


def _parse(text: str, model) -> sp.Expr:
    # "lambda" is a Python keyword: the probes' text says lam_
    names = {s.name.replace("lambda", "lam_"): s for s in (model.variable, *(d.symbol for d in model.declared))}
    return sp.parse_expr(text.replace("lambda", "lam_"),  # noqa: S307 - the probes' own text, not user input
                         local_dict={**names, "polygamma": sp.polygamma, "log": sp.log})


def run_probe(probe: Probe) -> str:
    """'' when the engine's answer is right, else what is wrong."""
    engine = _engine(probe.model)
    model = engine.model
    outcome = engine.expect(_parse(probe.g, model))
    if not probe.expected:
        return "" if outcome.value is None else f"a value was stated: {outcome.value}"
    if outcome.value is None:
        return f"no value ({outcome.reason})"
    if probe.condition:
        if outcome.status is not Status.CONDITIONAL or describe(outcome.condition) != probe.condition:
            return f"condition {describe(outcome.condition)!r}, status {outcome.status.value}; expected {probe.condition!r}"
    elif outcome.status is not Status.PROVED:
        return f"status {outcome.status.value} ({describe(outcome.condition)}); expected proved"
    expected = _parse(probe.expected, model)
    tried = 0
    for point in model.sample_points(12, seed=5):
        if holds_at(outcome.condition, point) is False:
            continue
        tried += 1
        a, b = complex(sp.N(outcome.value.subs(point), 20)), complex(sp.N(expected.subs(point), 20))
        if not abs(a - b) <= 1e-9 * max(1.0, abs(b)):
            return f"value {outcome.value} is {a:.6g} at {point}, textbook {b:.6g}"
    return "" if tried else "no point inside the condition to compare at"


def run_witness_probe() -> str:
    """A true zero computed by quadrature (E[s] of a regular model) is no witness of a difference."""
    model = parse_model(r"\frac{\beta}{2\Gamma(1/\beta)} e^{-|x|^\beta}", [(r"\beta", "positive")])
    engine = ExpectationEngine(model, sp.expand_log(sp.log(model.density), force=True))
    (beta,) = model.theta
    score = sp.diff(sp.expand_log(sp.log(model.density), force=True), beta)
    values = engine.numeric(score)
    return "" if evidence.nonzero_witness(values) is None else f"noise {values} taken as a witness"


def battery() -> list[str]:
    failures = [f"{p.model}: E[{p.g}]: {why}" for p in PROBES if (why := run_probe(p))]
    if why := run_witness_probe():
        failures.append(f"witness: {why}")
    return failures + run_rule_probes()


def test_the_battery_passes_on_the_real_rules():
    assert battery() == []


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.name for m in MUTANTS])
def test_every_seeded_fault_is_killed(mutant, monkeypatch):
    for owner, name, value in patches(mutant):
        monkeypatch.setattr(owner, name, value)
    assert battery(), f"mutant survived: {mutant.name}"


if __name__ == "__main__":
    killed = 0
    print(f"{'mutant':55} killed  first failing probe")
    for m in MUTANTS:
        mp = pytest.MonkeyPatch()
        try:
            for owner, attr, value in patches(m):
                mp.setattr(owner, attr, value)
            failures = battery()
        finally:
            mp.undo()
        killed += bool(failures)
        print(f"{m.name:55} {'yes' if failures else 'NO ':6}  {failures[0][:90] if failures else ''}")
    print(f"kill rate: {killed}/{len(MUTANTS)}")
