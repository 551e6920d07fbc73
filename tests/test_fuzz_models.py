"""Valid models fuzz the engine: generated mixtures, reparametrizations, location-scale versions,
truncations and discrete families derive to a document or a one-line error, never to an internal
error or a traceback.

The generator is ``benchmarks/fuzz_models.py`` (seeded, deterministic); ``python
benchmarks/fuzz_models.py --count 200`` runs 200 of them in fresh processes and prints the tally.
Here a small slice runs in-process with short budgets, and every traceback the fuzzer found is a
reproducer below, with the class it belongs to.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import sys
from pathlib import Path

import mpmath
import pytest
import sympy as sp

from symfisher import numeric
from symfisher.cli import main

ROOT = Path(__file__).resolve().parents[1]
_SPEC = importlib.util.spec_from_file_location("fuzz_models", ROOT / "benchmarks" / "fuzz_models.py")
fuzz_models = importlib.util.module_from_spec(_SPEC)
sys.modules["fuzz_models"] = fuzz_models           # its dataclasses look their module up
_SPEC.loader.exec_module(fuzz_models)


def derive(args: list[str], directory: Path, settings: tuple[str, ...] = ("--timeout", "1", "--deadline", "15")
           ) -> tuple[int, str]:
    """Run `symfisher derive` in-process into ``directory``: (exit code, standard error)."""
    err, out = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(directory)
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            code = main([*settings, *args, "--format", "json", "-o", "-"])
    finally:
        os.chdir(cwd)
    return code, err.getvalue()


def test_the_generator_is_deterministic_and_varied():
    first, again = fuzz_models.models(60), fuzz_models.models(60)
    assert first == again
    assert fuzz_models.generate(37) == first[37]                     # a slice does not depend on the count
    kinds = {m.recipe.split()[0] for m in first}
    assert {"mixture", "location-scale"} <= kinds
    assert any("(" in m.recipe for m in first)                       # some reparametrized
    assert {m.support for m in first} >= {r"(0,\infty)", r"(-\infty,\infty)", r"\{0,1,2,\dots\}"}
    assert all(len(m.params) <= 3 for m in first)


def test_classify_tells_the_endings_apart():
    assert fuzz_models.classify(0, "") == "ok"
    assert fuzz_models.classify(2, "symfisher: error: no\n") == "one-line error"
    assert fuzz_models.classify(1, "symfisher: internal error: NameError: x. This is a bug") == "internal error"
    assert fuzz_models.classify(1, "Traceback (most recent call last):\n  ...\nTypeError: x") == "traceback"
    assert fuzz_models.classify(None, "") == "over deadline"


# --- reproducers found by the fuzzer, each with its class -------------------------------------------

def test_functions_without_a_numpy_form_evaluate_through_mpmath():
    """Class: SymPy answers with functions NumPy/SciPy lack (Meijer G, hypergeometric); lambdify printed
    them as bare names and the compiled code raised NameError (an internal error in derive)."""
    x, a = sp.symbols("x a", positive=True)
    expr = a * sp.meijerg(((), (1,)), ((0,), ()), x) + sp.hyper((1,), (2,), x)
    value = numeric.evaluate(expr, {x: sp.Rational(1, 2), a: 2})
    exact = 2 * mpmath.meijerg([[], [1]], [[0], []], 0.5) + mpmath.hyper([1], [2], 0.5)
    assert abs(value - complex(exact)) < 1e-12
    along = numeric.function_of(expr, x, {a: 2})([0.5, 1.0])
    assert abs(along[0] - float(exact)) < 1e-12 and abs(along[1] - float(2 * mpmath.meijerg([[], [1]], [[0], []], 1)
                                                                          + mpmath.hyper([1], [2], 1))) < 1e-12


def test_mixture_with_a_shared_rate_derives(tmp_path):
    """Reproducer: ½λe^{-λx} + ½λ²xe^{-λx} gave `internal error: NameError: name 'meijerg' is not defined`."""
    code, err = derive(["derive", r"\frac{1}{2}\lambda e^{-\lambda x} + \frac{1}{2}\lambda^2 x e^{-\lambda x}",
                        r"--param=\lambda:positive", "--support", r"(0,\infty)"], tmp_path)
    assert code in (0, 2) and "Traceback" not in err and "internal error" not in err, err


# --- a deterministic slice of the fuzzer -----------------------------------------------------------

SLICE = fuzz_models.models(12)


@pytest.mark.parametrize("model", SLICE, ids=[f"{i}-{m.recipe}" for i, m in enumerate(SLICE)])
def test_fuzzed_valid_model_derives_or_refuses_in_one_line(model, tmp_path):
    code, err = derive(model.args(), tmp_path)
    assert "Traceback" not in err and "internal error" not in err, err
    assert code in (0, 2), err
    if code == 2:
        assert err.startswith("symfisher: error:"), err


def test_a_mixture_whose_terms_overflow_apart_sums_to_one():
    """Class: p = w p₁ + (1 − w) p₂ evaluated as one float expression: κ^k/k! is inf/inf past k ≈ 700
    although the term is tiny, so the normalization sum failed ("a term of the sum is not a number")
    and a valid mixture was refused. Each term goes through its own log, the sum through log-sum-exp."""
    x = sp.Symbol("x", integer=True, nonnegative=True)
    b, kappa = sp.Symbol("b", positive=True), sp.Symbol("kappa", positive=True)
    from symfisher.parse import parse_support

    density = (sp.Rational(3, 10) * b * (1 - b) ** x
               + sp.Rational(7, 10) * kappa ** x * sp.exp(-kappa) / sp.factorial(x))
    support = parse_support(r"\{0,1,2,\dots\}", {})
    total = numeric.expectation(sp.Integer(1), density, x, support, {b: sp.Rational(439, 1000),
                                                                         kappa: sp.Rational(2687, 1000)})
    assert abs(total - 1) < 1e-9
    mean = numeric.expectation(x, density, x, support, {b: sp.Rational(1, 2), kappa: 3})
    assert abs(mean - (sp.Rational(3, 10) * 1 + sp.Rational(7, 10) * 3)) < 1e-9   # (1−b)/b = 1 and κ = 3
    t = sp.Symbol("t", positive=True)
    gammas = (t ** 59 * sp.exp(-t) / sp.gamma(60) + t * sp.exp(-t)) / 2
    assert abs(numeric.expectation(sp.Integer(1), gammas, t, parse_support(r"(0,\infty)", {}), {}) - 1) < 1e-9


def test_the_mixture_of_a_geometric_and_a_poisson_is_not_refused(tmp_path):
    """Reproducer: `derive '0.3 b(1-b)^x + (1-0.3) κ^x e^{-κ}/x!'` was refused as not normalizable."""
    code, err = derive(["derive", r"0.3 {b}(1-{b})^x + (1-0.3) \frac{{\kappa}^x e^{-{\kappa}}}{x!}",
                        "--param=b:unit", r"--param=\kappa:positive", "--support", r"\{0,1,2,\dots\}"], tmp_path)
    assert "cannot be normalized" not in err
    assert code in (0, 2) and "Traceback" not in err and "internal error" not in err, err


@pytest.mark.parametrize("density, support", [
    (r"\frac{x^{\alpha-1} e^{-x}}{\Gamma({\alpha})}", r"(0,\infty)"),
    (r"\frac{x^{\alpha-1}(1-x)^{\beta-1}}{B({\alpha},{\beta})}", "(0,1)"),
    (r"\frac{x^{\alpha-1}(1-x)^{\beta-1}}{B( {\alpha} , \beta )}", "(0,1)"),
])
def test_a_braced_argument_of_a_function_is_its_argument(density, support, tmp_path):
    """Class: Γ({α}) and B({α},{β}) (braces as grouping, as LaTeX allows and the fuzzer writes them) were refused
    as "not a single expression (sets, …)": the argument's braces were read as a set."""
    from symfisher.parse import parse_expression

    from symfisher.parse import name_key

    declared = {name_key(n): sp.Symbol(n.lstrip("\\"), positive=True) for n in ("x", r"\alpha", r"\beta")}
    braced = parse_expression(density, declared)
    plain = parse_expression(density.replace("{\\alpha}", "\\alpha").replace("{\\beta}", "\\beta"), declared)
    assert braced == plain
    assert braced.has(sp.gamma) or braced.has(sp.beta)


@pytest.mark.parametrize("args", [
    [r"\frac{1}{2} {\kappa}(1-{\kappa})^{x-1} + (1-\frac{1}{2}) {(\frac{1}{1+e^{-a}})}(1-{(\frac{1}{1+e^{-a}})})^{x-1}",
     r"--param=\kappa:unit", "--param=a:real", "--support", r"\{1,2,3,\dots\}"],
    [r"\frac{1}{3} \frac{1}{x {\lambda}\sqrt{2\pi}} \exp\left(-\frac{(\ln x-{\alpha})^2}{2{\lambda}^2}\right) + "
     r"(1-\frac{1}{3}) \frac{x}{{\beta}^2} e^{-x^2/(2{\beta}^2)}",
     r"--param=\alpha:real", r"--param=\lambda:positive", r"--param=\beta:positive", "--support", r"(0,\infty)"],
])
def test_a_mixture_whose_component_leaves_the_numerics_reach_at_an_edge_is_not_refused(args):
    """Class: at an edge point (a = −100: a geometric with p ≈ e^{−100}; α = −100: a log-normal at e^{−100})
    one component's mass is out of the quadrature's reach and the total is the other's weight (0.5, 0.67):
    valid mixtures were refused as not normalized. As for a whole density whose total is ≈ 0 there, such a
    point is no evidence; mid-domain points still are."""
    from symfisher.model import build_model
    from symfisher.model.spec import spec_from_mapping

    params = [a.split("=", 1)[1] for a in args if a.startswith("--param=")]
    spec = spec_from_mapping({"density": args[0], "parameters": params, "support": args[-1]}, "test")
    model = build_model(spec)
    assert model.normalization in ("symbolic", "numeric")


def test_a_mixture_that_is_not_normalized_mid_domain_is_still_refused():
    from symfisher.errors import ModelError
    from symfisher.model import build_model
    from symfisher.model.spec import spec_from_mapping

    spec = spec_from_mapping({"density": r"\frac{1}{2} \lambda e^{-\lambda x} + \frac{1}{3} \mu e^{-\mu x}",
                              "parameters": [r"\lambda: positive", r"\mu: positive"], "support": r"(0, \infty)"},
                             "test")
    with pytest.raises(ModelError, match="integrates to 0.83333333"):
        build_model(spec)
