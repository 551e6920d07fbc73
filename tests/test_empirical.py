"""The Fisher matrix from data: MLE, empirical and observed Fisher matrices against the expected one."""

from __future__ import annotations

import json

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
