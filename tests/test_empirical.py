"""The Fisher matrix from data: MLE, empirical and observed Fisher matrices against the expected one."""

from __future__ import annotations

import json
import os
import re

import numpy as np
import pytest
from scipy import stats

from symfisher.cli import main
from symfisher.empirical import empirical_fisher, read_sample
from symfisher.errors import InputFileError, ModelError

RNG = np.random.default_rng(7)


def test_normal_closed_form_mle_and_the_three_matrices(derived):
    sample = RNG.normal(1.5, 2.0, 200_000)
    result = empirical_fisher(derived("normal"), sample)
    assert result.method == "closed form"
    assert np.allclose(result.estimate, [sample.mean(), sample.std()], rtol=1e-12)
    mu, sigma = result.estimate
    textbook = np.diag([1 / sigma ** 2, 2 / sigma ** 2])
    assert np.allclose(result.expected, textbook, rtol=1e-12)
    assert np.allclose(result.observed, textbook, rtol=1e-9, atol=1e-12)        # equal at the normal MLE
    assert np.allclose(result.empirical, textbook, rtol=0.03, atol=0.01)        # (1/n) Σ s sᵀ → F


def test_gamma_numeric_mle_matches_scipy(derived):
    sample = RNG.gamma(3.0, 1 / 2.0, 50_000)
    result = empirical_fisher(derived("gamma"), sample)
    assert result.method == "numeric"
    shape, _, scale = stats.gamma.fit(sample, floc=0)
    assert np.allclose(result.estimate, [shape, 1 / scale], rtol=1e-4)
    assert np.allclose(result.observed, result.expected, rtol=1e-4)
    assert np.allclose(result.empirical, result.expected, rtol=0.05)


def test_poisson_and_bernoulli(derived):
    for name, sample, expected in (("poisson", RNG.poisson(3.0, 100_000).astype(float), lambda t: 1 / t),
                                   ("bernoulli", RNG.binomial(1, 0.3, 100_000).astype(float),
                                    lambda t: 1 / (t * (1 - t)))):
        result = empirical_fisher(derived(name), sample)
        assert abs(result.estimate[0] - sample.mean()) < 1e-12
        assert abs(result.expected[0, 0] - expected(result.estimate[0])) < 1e-9 * expected(result.estimate[0])
        assert abs(result.empirical[0, 0] / result.expected[0, 0] - 1) < 0.03


def test_sample_outside_the_support_is_refused(derived):
    with pytest.raises(ModelError, match=r"sample value -1 \(row 3\) is outside the support"):
        empirical_fisher(derived("exponential"), np.array([1.0, 2.0, -1.0]))
    with pytest.raises(ModelError, match="outside the support"):
        empirical_fisher(derived("poisson"), np.array([1.0, 2.5]))


def test_reading_csv():
    assert np.array_equal(read_sample("x,y\n1,2\n3,4\n", "d.csv", "y"), [2.0, 4.0])
    assert np.array_equal(read_sample("1.5\n2.5\n", "d.csv"), [1.5, 2.5])
    with pytest.raises(InputFileError, match="no column 'z'"):
        read_sample("x,y\n1,2\n", "d.csv", "z")
    with pytest.raises(InputFileError, match="d.csv"):
        read_sample("x\n1\nabc\n", "d.csv")
    with pytest.raises(InputFileError, match="not a finite number"):
        read_sample("x\n1\nnan\n", "d.csv")


def test_cli(tmp_path, capsys):
    data = tmp_path / "x.csv"
    np.savetxt(data, RNG.exponential(0.5, 10_000), header="x", comments="")
    assert main(["empirical", "--model", "exponential", "--data", str(data), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["mle_method"] == "closed form" and abs(out["mle"]["lambda"] - 2.0) < 0.1
    counts = tmp_path / "counts.csv"
    counts.write_text("x\n1\n2\n3\n", encoding="utf-8")
    assert main(["empirical", "--model", "binomial", "--data", str(counts)]) == 2
    assert capsys.readouterr().err.strip() == "symfisher: error: the constant n needs a value: --value n=NUMBER"
    assert main(["empirical", "--model", "binomial", "--data", str(counts), "--value", "n=5",
                 "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["mle"]["p"] == pytest.approx(0.4)        # x̄ / n


# Issue 13, point 6: hostile or degenerate input to `symfisher empirical`. Each row is the exact command
# line of a reproducer; the answer must be one line on stderr (no warning, no traceback) and exit 2.
DATA_FILES = {
    "one.csv": "x\n3\n",                       # one value: σ̂ = 0
    "constant.csv": "x\n3\n3\n3\n",            # a constant column: σ̂ = 0
    "header-only.csv": "x\n",                  # NumPy warned "input contained no data" before the error
    "huge.csv": "x\n1e308\n-1e308\n2\n",       # finite values whose squares overflow: inf matrices, exit 0
    "counts.csv": "x,y\n1,2\n3,4\n",
    "zeros.csv": "x\n0\n0\n0\n",               # Bernoulli p̂ = 0: on the domain's edge
    "halves.csv": "x\n0.5\n0.5\n0.5\n",         # numeric MLE: gave α̂ = 124 (gamma), γ̂ = 1e-9 (Cauchy)
    "half.csv": "x\n0.5\n",
    # n Σx² − (Σx)² cancels: σ̂ came out complex; the MLE exists, so "degenerate" alone would be false
    "offset.csv": "x\n" + "".join(f"{100000000 + i * 0.001:.3f}\n" for i in range(1000)),
}

REFUSED = [
    pytest.param(["--model", "normal", "--data", "one.csv"],
                 r"no MLE inside the parameter domain for this sample \(n = 1, all values equal\): the estimate "
                 r"of sigma is 0, but sigma must be a positive real number$", id="one-value"),
    pytest.param(["--model", "normal", "--data", "constant.csv"],
                 r"\(n = 3, all values equal\): the estimate of sigma is 0, but sigma must be a positive real number$",
                 id="constant-column"),
    pytest.param(["--model", "normal", "--data", "header-only.csv"], r"header-only.csv: no data rows",
                 id="header-only"),
    pytest.param(["--model", "normal", "--data", "huge.csv"],
                 r"no finite MLE and Fisher matrices for this sample \(n = 3\): .* not finite; its values are too "
                 r"large for floating-point arithmetic$", id="1e308"),
    pytest.param(["--model", "binomial", "--data", "counts.csv", "--value", "n=inf"],
                 r"--value n=inf: the constant n must be a positive integer", id="n=inf"),
    pytest.param(["--model", "binomial", "--data", "counts.csv", "--value", "n=2.5"],
                 r"--value n=2.5: the constant n must be a positive integer", id="n=2.5"),
    pytest.param(["--model", "binomial", "--data", "counts.csv", "--value", "n=0"],
                 r"--value n=0: the constant n must be a positive integer", id="n=0"),
    pytest.param(["--model", "binomial", "--data", "counts.csv", "--value", "n=nan"],
                 r"--value n=nan: the constant n must be a positive integer", id="n=nan"),
    pytest.param(["--model", "pareto", "--data", "counts.csv", "--value", "x_m=-1"],
                 r"--value x_m=-1: the constant x_m must be a positive real number", id="x_m=-1"),
    pytest.param(["--model", "binomial", "--data", "counts.csv", "--value", "n=5", "--value", "m=2"],
                 r"--value m=2: the model has no constant m \(its constants: n\)", id="unknown-constant"),
    pytest.param(["--model", "bernoulli", "--data", "zeros.csv"],
                 r"\(n = 3, all values equal\): the estimate of p is 0, but p must be a number in \(0, 1\)$", id="p-hat-0"),
    # the numeric MLE ran off (the likelihood grows without bound) and was printed as an estimate
    pytest.param(["--model", "gamma", "--data", "halves.csv"],
                 r"\(n = 3, all values equal\): the numeric maximization ends at a point where the mean score of alpha is "
                 r"not zero", id="gamma-constant"),
    pytest.param(["--model", "beta", "--data", "halves.csv"], r"mean score of alpha is not zero", id="beta-constant"),
    pytest.param(["--model", "cauchy", "--data", "halves.csv"], r"mean score of \w+ is not zero",
                 id="cauchy-constant"),
    pytest.param(["--model", "weibull", "--data", "half.csv"], r"\(n = 1, all values equal\): the numeric "
                 r"maximization ends at a point where the mean score of k is not zero", id="weibull-one-value"),
    pytest.param(["--model", "lognormal", "--data", "halves.csv"],       # closed form: σ̂ = 1e-8 from rounding
                 r"\(n = 3, all values equal\): the closed-form MLE ends at a point where the mean score of \w+ is "
                 r"not zero", id="lognormal-constant"),
    pytest.param(["--model", "laplace", "--data", "half.csv"],           # b̂ → 0; μ's score may jump, b's not
                 r"\(n = 1, all values equal\): .* mean score of b is not zero", id="laplace-one-value"),
    pytest.param(["--model", "normal", "--data", "offset.csv"],
                 r"\(n = 1000\): the estimate of sigma is not a real number, .*: the sample may be degenerate for "
                 r"this model, or rounding may defeat the computation \(values that vary little against their size\)$",
                 id="rounding"),
    pytest.param(["--model", "normal", "--data", "counts.csv", "--column", "2"],
                 r"no column '2'; the columns are x, y$", id="column-out-of-range"),
]


@pytest.mark.parametrize(("args", "message"), REFUSED)
def test_empirical_input_refused_in_one_line(args, message, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    for name, text in DATA_FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    assert main(["empirical", *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("symfisher: error: "), captured.err
    assert re.search(message, lines[0]), lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == before          # nothing written


def test_column_by_0_based_number_with_a_header(tmp_path, capsys):
    data = tmp_path / "counts.csv"
    data.write_text("x,y\n1,2\n3,4\n", encoding="utf-8")
    assert main(["empirical", "--model", "poisson", "--data", str(data), "--column", "1",
                 "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["mle"]["lambda"] == pytest.approx(3.0)     # column y: (2 + 4) / 2
    assert np.array_equal(read_sample("x,y\n1,2\n3,4\n", "d.csv", "0"), [1.0, 3.0])
    assert np.array_equal(read_sample("1,2\n3,4\n", "d.csv", "1"), [2.0, 4.0])          # no header: by number
    # a header that is itself a number-like name wins over the position
    assert np.array_equal(read_sample("b,0\n1,2\n", "d.csv", "0"), [2.0])


def test_uniform_support_that_depends_on_theta(tmp_path, capsys):
    """uniform(0, θ): the support's bound is θ itself; the MLE is max xᵢ and the model is flagged as not regular."""
    data = tmp_path / "u.csv"
    data.write_text("x\n0.3\n0.9\n0.5\n", encoding="utf-8")
    assert main(["empirical", "--model", "uniform", "--data", str(data), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    out = json.loads(captured.out)
    assert out["mle"]["theta"] == pytest.approx(0.9)
    assert out["expected_fisher"][0][0] == pytest.approx(1 / 0.81)
    assert out["observed_fisher"][0][0] == pytest.approx(-1 / 0.81)       # −(1/n) Σ ∂²/∂θ² (−log θ) = −1/θ̂²
    assert any("not regular" in note for note in out["notes"])
    assert main(["empirical", "--model", "uniform", "--data", str(data)]) == 0
    assert "not regular" in capsys.readouterr().out
    data.write_text("x\n0.3\n-0.9\n", encoding="utf-8")                  # below the bound that is free of θ
    assert main(["empirical", "--model", "uniform", "--data", str(data)]) == 2
    assert capsys.readouterr().err.strip() == ("symfisher: error: sample value -0.9 (row 2) is outside the "
                                               r"support (0, \theta)")


def test_no_warning_reaches_the_terminal(tmp_path):
    """Run as a user does (a subprocess, Python's default warning filters): stderr is the one line only."""
    import subprocess
    import sys

    for name, text in DATA_FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    for data in ("one.csv", "header-only.csv", "huge.csv"):
        done = subprocess.run([sys.executable, "-m", "symfisher", "empirical", "--model", "normal", "--data", data],
                              cwd=tmp_path, capture_output=True, text=True, timeout=300,
                              env={**os.environ, "PYTHONWARNINGS": "default"})
        assert done.returncode == 2, done.stderr
        assert len(done.stderr.splitlines()) == 1 and done.stderr.startswith("symfisher: error: "), done.stderr


def test_numeric_mle_is_a_stationary_point(derived):
    """The Weibull MLE stopped after 3 iterations with a mean score of 0.5 (k̂ = 1.17 for data with k = 2)."""
    sample = np.random.default_rng(1).weibull(2.0, 50)
    result = empirical_fisher(derived("weibull"), sample)
    shape, _, scale = stats.weibull_min.fit(sample, floc=0)
    assert result.method == "numeric"
    assert np.allclose(result.estimate, [shape, scale], rtol=1e-4)
    ours = stats.weibull_min.logpdf(sample, result.estimate[0], scale=result.estimate[1]).sum()
    assert ours >= stats.weibull_min.logpdf(sample, shape, scale=scale).sum() - 1e-12     # at least as high as SciPy


def test_laplace_observed_matrix_left_out(derived):
    """log p = −|x − μ|/b − log 2b is not twice differentiable: −(1/n) Σ H (a DiracDelta) is left out, said why."""
    sample = np.random.default_rng(2).laplace(1.0, 2.0, 2001)
    result = empirical_fisher(derived("laplace"), sample)
    assert result.observed is None and any("observed Fisher matrix is left out" in n for n in result.notes)
    mu, b = result.estimate
    assert abs(mu - np.median(sample)) < 1e-6 * b                     # the MLE of μ is the median
    assert b == pytest.approx(np.mean(np.abs(sample - np.median(sample))), rel=1e-6)
    assert np.allclose(result.expected, np.diag([1 / b ** 2, 1 / b ** 2]), rtol=1e-12)
    assert "observed Fisher −(1/n) Σ H" not in result.text() and "left out" in result.text()
