"""Issue 13, points 1-3: no traceback on valid models, bounded time, bounded memory.

Each reproducer of the issue is here with its exact input. Numbers that SymPy would
compute exactly as it builds them are sized first and refused in one line (density)
or leave the step unknown (proof); binomial coefficients are evaluated as log Γ, so
a literal number of trials never overflows; finite supports past a size are refused,
never materialized; a memory ceiling turns a bomb into one line. The bombs run in
a subprocess under the ceiling and a deadline.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import time
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from symfisher import budget, numeric
from symfisher.check import check
from symfisher.cli import main
from symfisher.errors import ParseError, Unsupported
from symfisher.parse import Support, parse_expression, parse_support
from symfisher.parse.magnitude import MAX_DIGITS, MAX_EXPONENT, log10_size, too_large

ROOT = Path(__file__).resolve().parents[1]
LAMBDA = ["--param", r"\lambda:positive", "--support", r"(0,\infty)"]
NORMAL_PROOF = """---
model:
  density: \\frac{1}{\\sqrt{2\\pi\\sigma^2}} e^{-\\frac{(x-\\mu)^2}{2\\sigma^2}}
  parameters: [\\mu: real, \\sigma: positive]
  support: (-\\infty, \\infty)
---

$$ %s $$
"""


def run_cli(args: list[str]) -> tuple[int, str, str]:
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def one_line_error(code: int, err: str) -> str:
    assert code == 2, err
    assert "Traceback" not in err
    assert err.startswith("symfisher: error: ")
    return err.splitlines()[0]


# --- 1. valid models: the binomial with a literal number of trials ------------------------------

@pytest.mark.parametrize("n", [21, 171])
def test_binomial_with_literal_trials_is_a_valid_model(n):
    """The issue's reproducer (n = 21: TypeError; n ≥ 171: OverflowError): now read and normalized."""
    code, out, err = run_cli(["parse", rf"\binom{{{n}}}{{x}} p^x (1-p)^{{{n}-x}}", "--param", "p:unit",
                              "--support", rf"\{{0,1,\dots,{n}\}}"])
    assert code == 0, err
    assert "Traceback" not in err
    assert "normalized   proved symbolically" in out or "normalized   checked numerically" in out


@pytest.mark.parametrize("n", [21, 171, 1_000, 1_000_000])
def test_binomial_moments_by_log_gamma(n):
    """Σ C(n,x) p^x (1-p)^{n-x} = 1 and E[x] = np, E[(x-np)^2] = np(1-p), also for n = 10⁶
    (whose coefficients have up to 300,000 digits: neither float nor int64 holds them)."""
    x = sp.Symbol("x", integer=True, nonnegative=True)
    p = sp.Symbol("p", positive=True)
    density = sp.binomial(n, x) * p**x * (1 - p) ** (n - x)
    support = Support("integers", sp.Integer(0), sp.Integer(n))
    point = {p: sp.Rational(3, 10)}
    total = numeric.expectation(sp.S.One, density, x, support, point)
    mean = numeric.expectation(x, density, x, support, point)
    variance = numeric.expectation((x - sp.Rational(3 * n, 10)) ** 2, density, x, support, point)
    assert total.real == pytest.approx(1, rel=1e-9)
    assert mean.real == pytest.approx(0.3 * n, rel=1e-9)
    assert variance.real == pytest.approx(0.21 * n, rel=1e-6)


def test_binomial_pmf_values_match_exact_integers():
    """The float pmf from log Γ equals the exact rational pmf (so the sign check sees real values)."""
    x = sp.Symbol("x", integer=True, nonnegative=True)
    p = sp.Symbol("p", positive=True)
    density = sp.binomial(171, x) * p**x * (1 - p) ** (171 - x)
    f = numeric.function_of(density, x, {p: sp.Rational(1, 2)})
    ks = np.array([0.0, 1.0, 85.0, 171.0])
    exact = [float(sp.binomial(171, int(k)) / sp.Integer(2) ** 171) for k in ks]
    assert np.allclose(np.real(f(ks)), exact, rtol=1e-10)


# --- 2. time: numbers that SymPy would evaluate eagerly ------------------------------------------

DENSITY_BOMBS = [r"1000000! \lambda e^{-\lambda x}", r"10^{10^{10}} \lambda e^{-\lambda x}",
                 r"\Gamma(10^{9}) \lambda e^{-\lambda x}", r"(10^{8})! \lambda e^{-\lambda x}",
                 r"\frac{\lambda e^{-\lambda x}}{2^{2^{40}}}", r"\lambda e^{-\lambda x} e^{e^{e^{e^{100}}}}",
                 r"\lambda e^{-\lambda x} ((1+x)^{10000})^{10000}"]


@pytest.mark.parametrize("density", DENSITY_BOMBS)
def test_huge_numbers_in_a_density_are_refused_in_one_line(density):
    code, _, err = run_cli(["--timeout", "1", "parse", density, *LAMBDA])
    line = one_line_error(code, err)
    assert "too large" in line


def test_a_power_of_a_symbol_past_the_limit_is_refused():
    """1 - p^{1000000001} becomes a dense polynomial of 10⁹ terms in SymPy's algebra (3.5 GB)."""
    code, _, err = run_cli(["parse", r"\frac{(1-p)p^x}{1-p^{1000000001}}", "--param", "p:unit",
                            "--support", r"\{0,1,\dots\}"])
    line = one_line_error(code, err)
    assert "exponent 1000000001 is too large" in line


@pytest.mark.parametrize("text, digits", [("2^{1000}", 1000 * math.log10(2)), ("100!", math.log10(math.factorial(100))),
                                          ("10^{-500}", -500), (r"\Gamma(50)", math.log10(math.factorial(49)))])
def test_numbers_within_the_limit_are_built_exactly(text, digits):
    value = parse_expression(text, {})
    assert value.is_Rational
    assert log10_size(value) == pytest.approx(digits, abs=1e-9)


@pytest.mark.parametrize("func, args, size", [
    (sp.Pow, (sp.Integer(10), sp.Integer(10**10)), 1e10),
    (sp.factorial, (sp.Integer(10**8),), 10**8 * math.log10(10**8) - 10**8 / math.log(10)),
    (sp.gamma, (sp.Integer(10**9),), (10**9 - 1) * math.log10(10**9 - 1) - (10**9 - 1) / math.log(10)),
    (sp.exp, (sp.exp(100),), math.exp(100) / math.log(10)),
])
def test_sizes_are_estimated_without_computing(func, args, size):
    """The estimate (Stirling, logarithms) is within a percent of the true log10 size."""
    reason = too_large(func, args)
    assert reason is not None
    shown = reason.split("about 10^")[1].split(";")[0]
    if shown.startswith("(10^"):
        assert float(shown[4:-1]) == pytest.approx(math.log10(size), rel=0.005)   # shown to 3 figures
    else:
        assert float(shown.replace(",", "")) == pytest.approx(size, rel=0.01)


def test_limits_are_where_documented():
    assert too_large(sp.Pow, (sp.Integer(10), sp.Integer(MAX_DIGITS))) is None
    assert too_large(sp.Pow, (sp.Integer(10), sp.Integer(MAX_DIGITS + 2))) is not None
    x = sp.Symbol("x")
    assert too_large(sp.Pow, (x + 1, sp.Integer(MAX_EXPONENT))) is None
    assert too_large(sp.Pow, (x + 1, sp.Integer(MAX_EXPONENT + 1))) is not None


@pytest.mark.parametrize("step", ["(10^{8})! = 1", "e^{e^{e^{e^{100}}}} = 1", "2^{2^{2^{2^{2^{2}}}}} = 1",
                                  r"\Gamma(10^{9}) = 1"])
def test_huge_numbers_in_a_proof_leave_the_step_unknown(step):
    report = check(NORMAL_PROOF % step)
    (only,) = report.steps
    assert only.verdict.verdict == "unknown"
    assert "too large" in only.verdict.reason


def test_two_hundred_nested_parentheses_in_a_proof():
    """RecursionError in the issue: now the step is unknown (or the file one line), never a traceback."""
    step = "(" * 200 + "x" + ")" * 200 + " = x"
    report = check(NORMAL_PROOF % step)
    (only,) = report.steps
    assert only.verdict.verdict in ("unknown", "proved")


def test_a_divergent_expectation_in_a_proof_is_unknown():
    """E[e^{x²}] under a normal diverges: ArithmeticError in the issue; now unknown, never proved or refuted."""
    report = check(NORMAL_PROOF % r"\mathbb{E}[e^{x^2}] = 1")
    (only,) = report.steps
    assert only.verdict.verdict == "unknown"
    assert "diverge" in only.verdict.reason


# --- 3. memory: supports, ceilings ---------------------------------------------------------------

@pytest.mark.parametrize("upper", ["100000000", "1000000000"])
def test_a_finite_support_past_the_limit_is_refused_not_materialized(upper):
    code, _, err = run_cli(["parse", "(1-p)p^x", "--param", "p:unit", "--support", rf"\{{0,1,\dots,{upper}\}}"])
    line = one_line_error(code, err)
    assert f"{int(upper) + 1:,} points is too large" in line


def test_the_support_limit_is_inclusive():
    from symfisher.parse.support import MAX_FINITE_POINTS
    assert parse_support(rf"\{{1,2,\dots,{MAX_FINITE_POINTS}\}}", {}).upper == MAX_FINITE_POINTS
    with pytest.raises(Unsupported):
        parse_support(rf"\{{0,1,\dots,{MAX_FINITE_POINTS}\}}", {})


def test_a_long_finite_sum_is_summed_in_chunks():
    """Σ over 3·10⁶ + 1 points (three chunks): the uniform pmf sums to 1 and has mean n/2."""
    x = sp.Symbol("x", integer=True, nonnegative=True)
    n = 3_000_000
    support = Support("integers", sp.Integer(0), sp.Integer(n))
    density = sp.Rational(1, n + 1) + 0 * x
    assert numeric.expectation(sp.S.One, density, x, support, {}).real == pytest.approx(1, rel=1e-9)
    assert numeric.expectation(x, density, x, support, {}).real == pytest.approx(n / 2, rel=1e-9)


def test_a_memory_error_is_one_line(monkeypatch):
    """MemoryError anywhere in a run (the ceiling reached) is one line and exit 2, not an internal error."""
    import symfisher.cli as cli_module

    def bomb(*args, **kwargs):
        raise MemoryError
    monkeypatch.setattr(cli_module, "build_model", bomb)
    code, _, err = run_cli(["parse", r"\lambda e^{-\lambda x}", *LAMBDA])
    line = one_line_error(code, err)
    assert "out of memory" in line and "--memory" in line


def test_the_memory_ceiling_is_lifted_after_the_run():
    resource = pytest.importorskip("resource")
    before = resource.getrlimit(resource.RLIMIT_AS)
    with budget.memory_ceiling(3.0):
        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
        assert soft == min(3 * 2**30, before[0]) if before[0] != resource.RLIM_INFINITY else soft == 3 * 2**30
    assert resource.getrlimit(resource.RLIMIT_AS) == before


def _subprocess(args: list[str], timeout: float) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "symfisher", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=ROOT)


def test_the_ceiling_stops_an_allocation_in_the_cli_process():
    """Under the ceiling an allocation past it fails (MemoryError) instead of growing: checked in a child."""
    pytest.importorskip("resource")
    code = ("from symfisher import budget\n"
            "with budget.memory_ceiling(1.0):\n"
            "    try:\n        bytearray(2 * 2**30)\n    except MemoryError:\n        print('refused')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.stdout.strip() == "refused", done.stderr


BOMBS = [["parse", r"\frac{\lambda e^{-\lambda x}}{2^{2^{40}}}", *LAMBDA],
         ["parse", r"\frac{(1-p)p^x}{1-p^{1000000001}}", "--param", "p:unit", "--support", r"\{0,1,\dots\}"],
         ["parse", "(1-p)p^x", "--param", "p:unit", "--support", r"\{0,1,\dots,100000000\}"],
         ["parse", "(1-p)p^x", "--param", "p:unit", "--support", r"\{0,1,\dots,1000000000\}"],
         ["parse", r"(10^{8})! \lambda e^{-\lambda x}", *LAMBDA],
         ["parse", r"10^{10^{10}} \lambda e^{-\lambda x}", *LAMBDA]]


@pytest.mark.parametrize("args", BOMBS, ids=["2^2^40", "dense-polynomial", "support-1e8", "support-1e9",
                                             "factorial-1e8", "tower"])
def test_bombs_end_in_one_line_under_the_ceiling_and_deadline(args):
    """Each bomb, in its own process under a 2 GB ceiling and a 60 s deadline, ends with one line, exit 2,
    before the deadline (the subprocess timeout is the deadline plus start-up: a bomb that ran on fails)."""
    done = _subprocess(["--memory", "2", "--deadline", "60", "--timeout", "1", *args], timeout=90)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("symfisher: error: ")
    assert "too large" in done.stderr.splitlines()[0]


def test_log_theta_model_derives_with_its_mle_not_established():
    """p(x|θ) = log θ/(θ−1) θˣ on (0,1): solve raised TypeError in the MLE part. Now the MLE is a step
    'not established' (no raw TypeError) and F equals E[s²] computed here by quadrature."""
    from scipy import integrate

    from symfisher.derive import derive
    from symfisher.model import ModelSpec, build_model

    model = build_model(ModelSpec(density=r"\frac{\log\theta}{\theta-1}\theta^{x}", parameters=((r"\theta", "unit"),),
                                  support="(0,1)"))
    derivation = derive(model)
    assert not any("TypeError" in d.message for d in derivation.diagnostics)
    (theta,) = model.theta
    fisher = derivation.fisher[0][0]
    assert fisher is not None
    t = 0.3
    score = sp.lambdify(model.variable, sp.diff(sp.log(model.density), theta).subs(theta, t))
    density = sp.lambdify(model.variable, model.density.subs(theta, t))
    expected = integrate.quad(lambda u: score(u) ** 2 * density(u), 0, 1)[0]
    assert float(fisher.subs(theta, t)) == pytest.approx(expected, rel=1e-8)


@pytest.mark.parametrize("template", ["{a}^{{{b}^{{{c}}}}}", "({a}^{{{b}}})!", r"\Gamma({a}^{{{b}}})",
                                      "{a}^{{{b}}} \\cdot {a}^{{{c}}}", "({a}^{{{b}}})^{{{c}}}"])
def test_number_towers_are_built_exactly_or_refused(template):
    """Every tower of small integers either parses to the exact number (checked against Python's integers
    where they are small) or is refused as too large; none is left half-built or crashes."""
    rng = np.random.default_rng(13)
    for _ in range(25):
        a, b, c = (int(v) for v in rng.integers(2, 12, size=3))
        text = template.format(a=a, b=b, c=c)
        try:
            value = parse_expression(text, {})
        except ParseError as exc:
            assert "too large" in exc.one_line(), text
            continue
        assert abs(log10_size(value)) <= MAX_DIGITS + 1, text
        if template.startswith("{a}^{{{b}^"):
            assert value == sp.Integer(a) ** (b ** c)


@pytest.mark.parametrize("density, parameters", [
    (r"\frac{2}{\sigma\sqrt{2\pi}} e^{-\frac{(x-\mu)^2}{2\sigma^2}} \Phi\left(\alpha\frac{x-\mu}{\sigma}\right)",
     ((r"\mu", "real"), (r"\sigma", "positive"), (r"\alpha", "real"))),
    (r"\frac{1}{2}\frac{1}{\sqrt{2\pi\sigma_1^2}} e^{-\frac{x^2}{2\sigma_1^2}} + "
     r"\frac{1}{2}\frac{1}{\sqrt{2\pi\sigma_2^2}} e^{-\frac{x^2}{2\sigma_2^2}}",
     ((r"\sigma_1", "positive"), (r"\sigma_2", "positive"))),
], ids=["skew-normal", "normal-mixture"])
def test_models_without_closed_forms_derive_with_entries_not_established(density, parameters):
    """The skew normal and a two-normal mixture (ArithmeticError 'nan ± nan' or a TypeError from solve in
    the issue): the derivation completes; an entry with no closed form is None and says so in a diagnostic,
    and one with a closed form equals E[s_j s_k] by quadrature at a point."""
    from scipy import integrate

    from symfisher.derive import derive
    from symfisher.model import ModelSpec, build_model

    model = build_model(ModelSpec(density=density, parameters=parameters))
    derivation = derive(model)
    theta, x = model.theta, model.variable
    point = {t: sp.Rational(7, 5) if t.is_positive else sp.Rational(3, 10) for t in theta}
    score = [sp.diff(sp.log(model.density), t) for t in theta]
    for j, row in enumerate(derivation.fisher):
        for k, entry in enumerate(row):
            name = f"F[{theta[min(j, k)].name},{theta[max(j, k)].name}]"     # diagnostics name the upper triangle
            if entry is None:
                assert any(name in d.message for d in derivation.diagnostics), name
                continue
            integrand = sp.lambdify(x, (score[j] * score[k] * model.density).subs(point), "scipy")
            expected = integrate.quad(integrand, -np.inf, np.inf, epsabs=1e-12)[0]
            assert float(entry.subs(point)) == pytest.approx(expected, rel=1e-6, abs=1e-9), name


def test_binomial_with_a_million_trials_derives_quietly():
    """n = 10⁶ (ValueError in the issue): F = n/(p(1−p)), and no overflow warning reaches the terminal
    (the MLE's simulated samples weigh the pmf as exp(log p), not as inf · 0)."""
    done = _subprocess(["--memory", "2", "derive", r"\binom{1000000}{x} p^x (1-p)^{1000000-x}", "--param", "p:unit",
                        "--support", r"\{0,1,\dots,1000000\}", "--format", "json"], timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    entry = json.loads(done.stdout)["fisher"][0][0]
    assert entry["latex"] == r"\frac{1000000}{p \left(1 - p\right)}"


# --- standard input has the limit files have -------------------------------------------------------

def _stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_empirical_standard_input_has_the_data_file_limit(monkeypatch):
    """`empirical --data -` read standard input whole, without the limit a data file has."""
    from symfisher import cli

    monkeypatch.setattr(cli, "DATA_LIMIT", 1_000)
    _stdin(monkeypatch, b"x\n" + b"1.5\n" * 1_000)
    code, _, err = run_cli(["empirical", "--model", "exponential", "--data", "-"])
    assert one_line_error(code, err) == "symfisher: error: standard input: the data is larger than 1,000 bytes " \
                                        "(the limit of a data file)"
    _stdin(monkeypatch, b"x\n" + b"1.5\n2.5\n0.5\n" * 20)                # within the limit: read as before
    code, out, err = run_cli(["empirical", "--model", "exponential", "--data", "-"])
    assert code == 0, err


def test_empirical_standard_input_that_is_not_utf8_is_one_line(monkeypatch):
    _stdin(monkeypatch, b"x\n1.5\n\xff\xfe\n")
    code, _, err = run_cli(["empirical", "--model", "exponential", "--data", "-"])
    assert one_line_error(code, err).startswith("symfisher: error: standard input: not UTF-8 text")


# --- the position of a number too large: its column, not the expression's ---------------------------

@pytest.mark.parametrize("density, number", [
    (r"\lambda e^{-\lambda x} + 10^{10^{10}}", "10^{10^{10}}"),
    (r"\lambda e^{-\lambda x} \cdot 2^{3} \cdot 2^{2^{40}}", "2^{2^{40}}"),      # not the first 2^{…}
    (r"\lambda e^{-\lambda x} (10^{8})!", "(10^{8})!"),
    (r"\lambda e^{-\lambda x} \cdot 3! \cdot 1000000!", "1000000!"),
    (r"\frac{\lambda e^{-\lambda x}}{2^{2^{40}}}", "2^{2^{40}}"),
    (r"\lambda e^{-\lambda x} e^{e^{e^{e^{100}}}}", "e^{e^{100}}"),              # the innermost power past the limit
])
def test_a_number_too_large_in_a_density_is_located_at_its_column(density, number):
    code, _, err = run_cli(["--timeout", "1", "parse", density, *LAMBDA])
    line = one_line_error(code, err)
    assert "too large" in line
    column = density.index(number) + 1
    assert line.startswith(f"symfisher: error: density, column {column}: "), (line, column)
    caret = err.splitlines()[2]
    assert caret.index("^") == err.splitlines()[1].index(number)            # the caret under the number


@pytest.mark.parametrize("side, number", [("x + 10^{10^{10}}", "10^{10^{10}}"), ("x + (10^{8})!", "(10^{8})!"),
                                          ("2^{3} x + 2^{2^{2^{2^{2^{2}}}}}", "2^{2^{2^{2^{2}}}}")])
def test_a_number_too_large_in_a_proof_step_is_located_at_its_column(side, number):
    report = check(NORMAL_PROOF % f"1 = {side}")
    (only,) = report.steps
    assert only.verdict.verdict == "unknown"
    assert f"step, column {side.index(number) + 1}: this number is too large" in only.verdict.reason, \
        only.verdict.reason


def test_each_booklet_model_has_the_default_deadline(monkeypatch, tmp_path):
    """Without --deadline the booklet is bounded too: each model's derivation has the run's default
    deadline, past which its steps are reported as not established (issue 13: every command bounded)."""
    from symfisher import budget
    from symfisher.render import booklet

    monkeypatch.setattr(budget, "DEFAULT_DEADLINE", 1e-3)
    start = time.monotonic()
    result = booklet._work("gamma", "en", "md", "2026-01-01", None, str(tmp_path))
    assert "error" not in result
    assert "not established" in result["document"]
    assert time.monotonic() - start < 60
