"""The checker on held-out corpora: real derivations nobody tuned the checker on (issue 12).

``tests/proofs/heldout/``, ``tests/proofs/fresh/`` and ``tests/proofs/fresh2/`` are built like
``tests/proofs/real/`` (same ``manifest.yaml`` format, one seeded variant per file) from other public
sources. The held-out set has since been partly tuned on; the fresh set was collected after it, and the
second fresh set after the first had been measured, each from sources in none of the other corpora, to
keep measuring whether what the checker learnt generalises. This module asserts only what
must hold on any corpus — the corpus's own consistency and the soundness of every verdict (no false
refutation, no false ✓, ``valid`` only when every step is proved) — for each held-out corpus, and
prints the target figures of each without asserting them: their proved and located shares are a
measurement, not a gate.

The measurement is ``tests/test_real_proofs.py``'s own, run with each corpus directory, so the corpora
are measured alike. ``python benchmarks/check_corpus.py --corpus tests/proofs/heldout`` (or
``tests/proofs/fresh``, ``tests/proofs/fresh2``) prints the per-file table.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import test_real_proofs as real

HELDOUT = Path(__file__).parent / "proofs" / "heldout"
FRESH = Path(__file__).parent / "proofs" / "fresh"
# A second fresh corpus, collected after the first had been measured: other sources, other families
# (Weibull, Rayleigh, beta, Pareto, normal in σ, multinomial, the exponential family in its natural
# parameter, asymptotic normality, n I(θ), the Cramér–Rao bound, a non-regular density).
FRESH2 = Path(__file__).parent / "proofs" / "fresh2"

# Every held-out corpus, by the name its figures are printed under; the tests run on each.
CORPORA: dict[str, Path] = {"held-out": HELDOUT, "fresh": FRESH, "fresh2": FRESH2}
MIN_FILES = 16


# ---------------------------------------------------------------------------------------------
# The corpora themselves.

@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_corpus_size_and_variants(corpus: str) -> None:
    real.check_corpus_size_and_variants(CORPORA[corpus], MIN_FILES)


@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_sources_named_at_the_top(corpus: str) -> None:
    real.check_sources_named_at_the_top(CORPORA[corpus])


@pytest.mark.parametrize(("corpus", "name"), [(c, n) for c in sorted(CORPORA) for n in sorted(real.manifest(CORPORA[c]))])
def test_variants_differ_by_one_replacement(corpus: str, name: str) -> None:
    real.check_variants_differ_by_one_replacement(CORPORA[corpus], name)


@pytest.mark.parametrize("case", [c for k in sorted(CORPORA) for c in real.cases(CORPORA[k])], ids=lambda c: c.name)
def test_labelled_sides_occur_in_the_file(case: real.Case) -> None:
    real.check_labelled_sides_occur_in_the_file(case)


@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_labels_include_published_slips_and_seeds(corpus: str) -> None:
    real.check_labels_include_published_slips(CORPORA[corpus], 2, 80)


@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_not_the_same_sources_as_another_corpus(corpus: str) -> None:
    """A held-out file is no file of tests/proofs/real nor of another held-out corpus (same name, same
    text or same source line)."""
    others = [real.CORPUS] + [d for k, d in CORPORA.items() if k != corpus]
    names = {p.name for d in others for p in d.iterdir()}
    texts = {p.read_text(encoding="utf-8") for d in others for p in d.iterdir() if p.suffix in {".md", ".tex"}}
    sources = {e["source"] for d in others for e in real.manifest(d).values()}
    for name, entry in real.manifest(CORPORA[corpus]).items():
        assert name not in names, name
        assert (CORPORA[corpus] / name).read_text(encoding="utf-8") not in texts, name
        assert entry["source"] not in sources, name


# ---------------------------------------------------------------------------------------------
# Soundness of the checker on each held-out corpus: the same assertions as on the tuning corpus.

@pytest.fixture(scope="module", params=sorted(CORPORA))
def outcomes(request: pytest.FixtureRequest) -> list[real.Outcome]:
    return [real.run(case) for case in real.cases(CORPORA[request.param])]


def test_no_false_refutation(outcomes: list[real.Outcome]) -> None:
    real.test_no_false_refutation(outcomes)


def test_no_refutation_of_a_step_the_author_did_not_write(outcomes: list[real.Outcome]) -> None:
    real.test_no_refutation_of_a_step_the_author_did_not_write(outcomes)


def test_no_false_proof(outcomes: list[real.Outcome]) -> None:
    real.test_no_false_proof(outcomes)


def test_seeded_step_never_proved(outcomes: list[real.Outcome]) -> None:
    real.test_seeded_step_never_proved(outcomes)


def test_valid_only_when_every_step_proved(outcomes: list[real.Outcome]) -> None:
    real.test_valid_only_when_every_step_proved(outcomes)


def test_every_file_is_readable(outcomes: list[real.Outcome]) -> None:
    real.test_every_file_is_readable(outcomes)


def test_print_the_target_figures(outcomes: list[real.Outcome], request: pytest.FixtureRequest,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    """Each corpus's figures beside the targets, printed (run with -s to see them), not asserted."""
    corpus = request.node.callspec.params["outcomes"]
    f = real.figures(outcomes)
    with capsys.disabled():
        print(f"\n{corpus} corpus: reported {f.reported}/{f.written} ({f.reported_share:.1%}, "
              f"target {real.TARGET_REPORTED:.0%}); true steps proved {f.proved}/{f.judged_true} "
              f"({f.proved_share:.1%}, target {real.TARGET_PROVED:.0%}); seeded errors located "
              f"{f.located}/{f.seeded} ({f.located_share:.1%}, target {real.TARGET_LOCATED:.0%}); "
              f"false refutations {f.false_refutations} (+ {f.invented_refuted} not written), "
              f"false ✓ {f.false_proofs}")
    # The figures are well-formed even though they are not gated.
    assert 0 <= f.proved <= f.judged_true and 0 <= f.located <= f.seeded and f.reported <= f.written
