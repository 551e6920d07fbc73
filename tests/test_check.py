"""The proof checker: the note's proofs check through; seeded errors are found at the exact step."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from symfisher.check import check
from symfisher.check.extract import links
from symfisher.cli import main
from symfisher.errors import CheckError

PROOFS = Path(__file__).resolve().parent / "proofs"
NOTE = PROOFS / "fisher-information-note.md"      # a copy of the seed note, unchanged


def proof(name: str) -> str:
    return (PROOFS / name).read_text(encoding="utf-8")


def verdicts(report) -> list[str]:
    return [s.verdict.verdict for s in report.steps]


# --------------------------------------------------------------------------- the note itself

def test_the_notes_own_proofs_check_through_with_named_rules():
    report = check(NOTE.read_text(encoding="utf-8"))
    steps = {s.link.index: s for s in report.steps}
    score_mean, identity = range(9, 16), range(20, 31)
    for index in [*score_mean, *identity]:
        assert steps[index].verdict.verdict == "proved", (index, steps[index].verdict)
    assert "refuted" not in verdicts(report)
    rules = {i: steps[i].verdict.rules for i in steps}
    assert rules[10] == ("definition-expectation",)
    assert rules[11] == ("differentiation",)                   # ∇log p = ∇p/p
    assert rules[13] == ("differentiate-under-integral",)      # the regularity condition
    assert rules[14] == ("normalization",)
    assert "regularity condition" in steps[13].verdict.reason
    assert rules[16] == ("definition-fisher",) and rules[17] == ("definition-score",)
    assert rules[20] == ("definition-hessian",) and rules[22] == ("differentiation",)   # quotient rule
    assert rules[26] == ("linearity",) and rules[29] == ("normalization",)
    assert steps[18].verdict.verdict == "approximation"


def test_valid_proofs_check_through():
    for name in ("score_mean.md", "fisher_identity.md", "normal_fisher.md", "poisson_fisher.md"):
        report = check(proof(name))
        assert report.valid is True, (name, [(s.link.index, s.verdict) for s in report.steps
                                            if s.verdict.verdict != "proved"])


# --------------------------------------------------------------------------- seeded errors

SEEDED = [
    # (proof, text replaced, replacement, first wrong step, evidence)
    # a sign flipped inside the proof. (-∫∇log p · p dx = ∫∇p dx would NOT be an error: both sides are 0)
    ("fisher_identity.md", "\n\n- \\frac{\\nabla_\\theta p(x \\mid \\theta) \\nabla_\\theta",
     "\n\n+ \\frac{\\nabla_\\theta p(x \\mid \\theta) \\nabla_\\theta", 4, "counterexample"),
    ("score_mean.md", r"&= \int \nabla \log p(x|\theta) \, p(x|\theta) \, dx",
     r"&= \int \nabla \log p(x|\theta) \, dx", 2, "counterexample"),                                # a dropped factor
    ("score_mean.md", r"&= \mathbf{0}_{m \times 1}", r"&= 1", 7, "shape"),                          # ∇1 = 1
    ("score_mean.md", r"&= \nabla 1 \\", r"&= \nabla 2 \\", None, ""),                              # still valid
    ("fisher_identity.md", r"- \nabla_\theta p(x \mid \theta) \nabla_\theta p(x \mid \theta)^T",
     r"- \nabla_\theta p(x \mid \theta)^T \nabla_\theta p(x \mid \theta)", 3, "shape"),             # inner product
    ("fisher_identity.md", r"&= -\mathbf{F}", r"&= \mathbf{F}", 11, "counterexample"),             # a final sign
    ("fisher_identity.md", r"&= \mathbf{H}_1 - \mathbf{F} \\", r"&= \mathbf{H}_1 + \mathbf{F} \\", 10,
     "counterexample"),
    ("normal_fisher.md", r"- \frac{2}{\sigma^2} + \frac{3}{\sigma^2}", r"- \frac{2}{\sigma^2} + \frac{1}{\sigma^2}",
     4, "counterexample"),                                                                          # 𝔼[(x−μ)⁴] = σ⁴
    ("normal_fisher.md", r"\mathbb{E}[(x-\mu)^4] = 3\sigma^4", r"\mathbb{E}[(x-\mu)^4] = \sigma^4", 6,
     "counterexample"),
    ("normal_fisher.md", r"+ \frac{1}{\sigma^6}\mathbb{E}", r"+ \frac{1}{\sigma^5}\mathbb{E}", 3, "counterexample"),
    ("poisson_fisher.md", r"\frac{\lambda + \lambda^2}{\lambda^2}", r"\frac{\lambda^2}{\lambda^2}", 4,
     "counterexample"),                                                                             # 𝔼[x²] = λ²
    ("poisson_fisher.md", r"= \mathbb{E}\left[\frac{x}{\lambda^2}\right]", r"= -\mathbb{E}\left[\frac{x}{\lambda^2}\right]",
     7, "counterexample"),                                                                          # a sign
]


@pytest.mark.parametrize("name,old,new,first,evidence", SEEDED, ids=[f"{s[0]}:{s[3]}" for s in SEEDED])
def test_a_seeded_error_is_found_at_its_step(name, old, new, first, evidence):
    text = proof(name)
    assert old in text
    report = check(text.replace(old, new, 1))
    if first is None:
        assert report.valid is not False
        return
    assert report.first_error == first, [(s.link.index, s.verdict) for s in report.steps]
    wrong = report.steps[first - 1].verdict
    assert wrong.verdict == "refuted" and evidence in wrong.reason
    # every other step is judged as in the valid proof: no valid step is refuted
    original = check(text)
    for before, after in zip(original.steps, report.steps):
        if after.link.index != first and after.link.lhs == before.link.lhs and after.link.rhs == before.link.rhs:
            assert after.verdict.verdict == before.verdict.verdict


def test_a_wrong_moment_is_refuted_with_numbers():
    report = check(proof("normal_fisher.md").replace(r"= 3\sigma^4", r"= \sigma^4"))
    reason = report.steps[5].verdict.reason
    assert "counterexample" in reason and "left side" in reason and "right side" in reason
    # the values are the true fourth moment 3σ⁴ and the claimed σ⁴ at the same point
    import re
    left, right = (float(v) for v in re.findall(r"side (?:is )?([-\d.e+]+)", reason)[:2])
    assert abs(left - 3 * right) < 1e-4 * left


def test_a_scalar_equated_to_a_matrix_is_refuted():
    report = check("$$\n\\mathbf{F} = \\mathbb{E}_{p(x|\\theta)}[s(x|\\theta)^T s(x|\\theta)]\n$$\n")
    assert report.steps[0].verdict.verdict == "refuted" and "shape" in report.steps[0].verdict.reason


def test_numeric_agreement_alone_is_not_a_proof():
    # true for the normal density used to look for counterexamples, but not by any rule of the note
    report = check("$$\n\\int p(x|\\theta)^2 \\, dx = \\int p(x|\\theta)^2 \\, dx + 0 \\cdot \\log p(x|\\theta)\n$$\n")
    assert verdicts(report) == ["proved"]
    report = check("$$\n\\mathbb{E}_{p(x|\\theta)}[\\log p(x|\\theta)] = \\mathbb{E}_{p(x|\\theta)}[\\log p(x|\\theta)"
                   " + (x - \\theta_1) - \\mathbb{E}_{p(x|\\theta)}[x - \\theta_1]]\n$$\n")
    assert verdicts(report) != ["refuted"]


# --------------------------------------------------------------------------- reading

def test_reading_layouts_numbering_and_chains():
    text = r"""---
title: layouts
---
Prose with $a = b$ inline is ignored.

$$
a = b \\
  = c
$$

\[ x = y \approx z \]

\begin{equation}
u = v
\end{equation}

$$
\begin{aligned}
f &= g \\

&= h \\
k &= l
\end{aligned}$$
"""
    _, steps = links(text)
    assert [(s.index, s.block, s.lhs, s.relation, s.rhs) for s in steps] == [
        (1, 1, "a", "=", "b"), (2, 1, "b", "=", "c"), (3, 2, "x", "=", "y"), (4, 2, "y", "≈", "z"),
        (5, 3, "u", "=", "v"), (6, 4, "f", "=", "g"), (7, 4, "g", "=", "h"), (8, 4, "k", "=", "l")]
    assert [s.line for s in steps] == [7, 8, 11, 11, 14, 19, 21, 22]


@pytest.mark.parametrize("text,message", [
    ("$$\na = b\n", "never closed"),
    ("---\ntitle: x\n", "never closed"),
    ("---\n- a list\n---\n$$a=b$$", "must be a mapping"),
    ("---\nmodel:\n  density: \\lambda e^{-\\lambda x}\n  parameters: [\\lambda: positive]\n  support: (0,1)\n---\n",
     "integrates to"),
])
def test_unreadable_input_is_a_check_error(text, message):
    with pytest.raises(CheckError, match=message):
        check(text)


# --------------------------------------------------------------------------- command line

def test_cli_exit_codes_and_formats(tmp_path, capsys):
    good, bad, broken = tmp_path / "good.md", tmp_path / "bad.md", tmp_path / "broken.md"
    good.write_text(proof("score_mean.md"), encoding="utf-8")
    bad.write_text(proof("score_mean.md").replace(r"&= \mathbf{0}_{m \times 1}", "&= 1"), encoding="utf-8")
    broken.write_text("$$\n\\int p dx\n", encoding="utf-8")
    assert main(["check", str(good)]) == 0
    assert capsys.readouterr().out.strip().endswith("valid")
    assert main(["check", str(bad), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["valid"] is False and data["first_error"] == 7
    assert set(data["steps"][0]) >= {"index", "block", "line", "lhs", "rhs", "verdict", "rule", "reason"}
    assert main(["check", str(bad), "--format", "md"]) == 1
    annotated = capsys.readouterr().out
    assert "✗ **step 7** (refuted)" in annotated and "✓ **step 1** (proved)" in annotated
    assert annotated.startswith("# The mean of the score is zero")
    assert main(["check", str(broken)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("symfisher: error: line 1: display math opened with $$ is never closed")
    assert main(["check", str(tmp_path / "missing.md")]) == 2


def test_unknown_when_nothing_is_refuted_gives_null_validity():
    report = check("$$\n\\hat{\\theta} = \\arg\\max_\\theta L(X|\\theta)\n$$\n")
    assert report.valid is None and report.first_error is None and verdicts(report) == ["unknown"]


def test_python_api_is_symfisher_check():
    import symfisher
    import symfisher.check.extract as extract        # the package's modules stay importable

    report = symfisher.check(proof("score_mean.md"))
    assert report.valid is True and report.as_dict()["first_error"] is None
    assert extract.links is links


def test_a_latex_file_with_align_and_brackets():
    report = check((PROOFS / "score_mean_align.tex").read_text(encoding="utf-8"))
    assert [s.link.line for s in report.steps] == [6, 7, 8, 11]
    assert report.valid is True
    assert report.steps[1].verdict.rules == ("differentiate-under-integral",)
    bad = (PROOFS / "score_mean_align.tex").read_text(encoding="utf-8").replace(
        r"s(x|\theta) s(x|\theta)^T \right]", r"s(x|\theta)^T s(x|\theta) \right]")
    assert check(bad).first_error == 4


@pytest.mark.parametrize("name", ["poisson", "bernoulli", "gamma"])
def test_no_step_of_symfishers_own_write_ups_is_refuted(name):
    """symfisher's derivations are right; the checker, given the model, must not refute any of their steps."""
    import yaml

    from symfisher.catalog import catalog

    spec = catalog()[name]
    model = {"density": spec.density, "parameters": [f"{n}: {d}" for n, d in spec.parameters],
             "support": spec.support, "variable": spec.variable}
    body = (Path(__file__).resolve().parent / "golden" / f"{name}.en.md").read_text(encoding="utf-8")
    report = check("---\n" + yaml.safe_dump({"model": model}) + "---\n" + body.split("\n---\n", 1)[1])
    assert "refuted" not in verdicts(report), [(s.link.index, s.verdict) for s in report.steps
                                               if s.verdict.verdict == "refuted"]
    assert verdicts(report).count("proved") >= 35


def test_the_variance_of_a_random_vector_is_its_covariance_matrix():
    """Held-out corpus (imath_outer_hessian): Var(∇ℓ) was refuted as "Var of a 2×1 matrix"."""
    score = r"\nabla_\theta \log p(x|\theta)"
    report = check(f"$$ \\mathbf{{F}} = \\mathrm{{Var}}({score}) $$\n"
                   f"$$ \\mathrm{{Var}}({score}) = \\mathbb{{E}}[{score} {score}^T] $$\n"
                   f"$$ \\operatorname{{Var}}[{score}] = \\mathbb{{E}}[{score}^T {score}] $$\n")
    assert verdicts(report) == ["proved", "proved", "refuted"]
    assert "definition-variance" in report.steps[0].verdict.rules


EXPONENTIAL = "---\nmodel:\n  density: \\lambda e^{-\\lambda x}\n  parameters: [\\lambda: positive]\n" \
              "  support: (0, \\infty)\n---\n"


def test_information_of_a_sample_or_of_one_observation():
    """Held-out corpus (marcuschiu, statsclick): authors about a sample write I(λ) for the sample's information.

    Where the text does not tell the two apart, a verdict stands only if both readings give it; where it
    does (I_n(θ) = n I(θ), or no sample at all), I(θ) is one observation's and a wrong n is refuted.
    """
    sample = EXPONENTIAL + "$$ \\ell(\\lambda) = n\\log\\lambda - \\lambda\\sum_{i=1}^n x_i $$\n"
    ambiguous = check(sample + "$$ I(\\lambda) = \\frac{n}{\\lambda^2} $$\n$$ I(\\lambda) = \\frac{7}{2\\lambda^2} $$\n")
    first, second = ambiguous.steps[-2:]
    assert first.verdict.verdict == "unknown" and "the sample's" in first.verdict.reason
    assert second.verdict.verdict == "refuted"          # wrong under both readings
    told = check(sample + "$$ I_n(\\lambda) = n I(\\lambda) $$\n$$ I(\\lambda) = \\frac{n}{\\lambda^2} $$\n")
    assert [s.verdict.verdict for s in told.steps[-2:]] == ["proved", "refuted"]
    one = check(EXPONENTIAL + "$$ I(\\lambda) = \\frac{1}{\\lambda^2} $$\n$$ \\mathcal{I}(\\lambda) = \\frac{2}{\\lambda^2} $$\n")
    assert verdicts(one) == ["proved", "refuted"]


POISSON_Y = "---\nmodel:\n  density: \\frac{\\lambda^y e^{-\\lambda}}{y!}\n  variable: y\n" \
            "  parameters: [\\lambda: positive]\n  support: \\{0, 1, 2, \\dots\\}\n---\n"


def test_held_out_false_refutations_stay_unknown():
    """Held-out corpus: s(X) named a statistic (statsclick), l(λ, y) the whole sample's log-likelihood (techqa).

    Both were refuted under the checker's reading (the score; one observation's log-density); neither reading
    is certain, so both steps are unknown, with the reason. The same steps written unambiguously are judged.
    """
    statistic = check(POISSON_Y + "$$ \\text{Var}[s(X)] \\geq \\frac{(2\\lambda)^2}{n/\\lambda} $$\n").steps[0]
    assert statistic.verdict.verdict == "unknown" and "statistic" in statistic.verdict.reason
    sample = check(POISSON_Y + "$$ l(\\lambda,y) = \\sum_{i=1}^{n} y_i \\ln(\\lambda) - n\\lambda "
                               "- \\ln\\prod_{i=1}^n y_i! $$\n").steps[0]
    assert sample.verdict.verdict == "unknown" and "whole sample" in sample.verdict.reason
    # written without ambiguity, the same facts are judged
    assert verdicts(check(POISSON_Y + "$$ \\mathrm{Var}[s(y|\\lambda)] = \\frac{1}{\\lambda} $$\n"
                                      "$$ \\mathrm{Var}[s(y|\\lambda)] = \\frac{2}{\\lambda} $$\n")) == ["proved", "refuted"]


def test_integral_over_x_and_dx_first_and_the_likelihood_of_one_observation():
    """Held-out corpus (Pinchbeck, Elkan): ∫_x … dx, ∫_x dx g (the integrand after dx), 𝓛(x|θ) the density."""
    report = check("$$ \\int_x \\mathcal{L}(x|\\theta) \\, dx = 1 $$\n"
                   "$$ \\int_x dx\\, p(x|\\theta) \\frac{\\partial}{\\partial\\theta} \\log p(x|\\theta) = "
                   "\\int_x dx\\, \\frac{\\partial}{\\partial\\theta} p(x|\\theta) $$\n"
                   "$$ \\int_x dx\\, p(x|\\theta) + 1 = 2 $$\n"
                   "$$ \\int_x 2 \\mathcal{L}(x|\\theta) \\, dx = 1 $$\n"
                   "$$ \\int_x dx\\, \\frac{\\partial}{\\partial\\theta} p(x|\\theta) = 1 $$\n")
    assert verdicts(report) == ["proved", "proved", "unknown", "refuted", "refuted"]
    assert "reach" not in report.steps[2].verdict.reason and "take h too" in report.steps[2].verdict.reason
