"""The checker on a held-out corpus: real derivations nobody tuned the checker on (issue 12).

``tests/proofs/heldout/`` is built like ``tests/proofs/real/`` (same ``manifest.yaml`` format, one
seeded variant per file) from other public sources. Its purpose is to measure whether what the
checker learnt on the first corpus generalises, so this module asserts only what must hold on any
corpus — the corpus's own consistency and the soundness of every verdict (no false refutation, no
false ✓, ``valid`` only when every step is proved) — and prints the target figures without asserting
them: the held-out proved and located shares are a measurement, not a gate.

The measurement is ``tests/test_real_proofs.py``'s own, run with the held-out directory, so the two
corpora are measured alike. ``python benchmarks/check_corpus.py --corpus tests/proofs/heldout``
prints the per-file table.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import test_real_proofs as real

HELDOUT = Path(__file__).parent / "proofs" / "heldout"


# ---------------------------------------------------------------------------------------------
# The corpus itself.

def test_corpus_size_and_variants() -> None:
    real.check_corpus_size_and_variants(HELDOUT, 16)


def test_sources_named_at_the_top() -> None:
    real.check_sources_named_at_the_top(HELDOUT)


@pytest.mark.parametrize("name", sorted(real.manifest(HELDOUT)))
def test_variants_differ_by_one_replacement(name: str) -> None:
    real.check_variants_differ_by_one_replacement(HELDOUT, name)


@pytest.mark.parametrize("case", real.cases(HELDOUT), ids=lambda c: c.name)
def test_labelled_sides_occur_in_the_file(case: real.Case) -> None:
    real.check_labelled_sides_occur_in_the_file(case)


def test_labels_include_published_slips_and_seeds() -> None:
    real.check_labels_include_published_slips(HELDOUT, 2, 80)


def test_not_the_same_sources_as_the_tuning_corpus() -> None:
    """A held-out file is no file of tests/proofs/real (same name or same text)."""
    tuned = {p.name for p in real.CORPUS.iterdir()}
    tuned_text = {p.read_text(encoding="utf-8") for p in real.CORPUS.iterdir() if p.suffix in {".md", ".tex"}}
    for name in real.manifest(HELDOUT):
        assert name not in tuned, name
        assert (HELDOUT / name).read_text(encoding="utf-8") not in tuned_text, name


# ---------------------------------------------------------------------------------------------
# Soundness of the checker on the held-out corpus: the same assertions as on the tuning corpus.

@pytest.fixture(scope="module")
def outcomes() -> list[real.Outcome]:
    return [real.run(case) for case in real.cases(HELDOUT)]


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


def test_print_the_target_figures(outcomes: list[real.Outcome], capsys: pytest.CaptureFixture[str]) -> None:
    """The held-out figures beside the targets, printed (run with -s to see them), not asserted."""
    f = real.figures(outcomes)
    with capsys.disabled():
        print(f"\nheld-out corpus: reported {f.reported}/{f.written} ({f.reported_share:.1%}, "
              f"target {real.TARGET_REPORTED:.0%}); true steps proved {f.proved}/{f.judged_true} "
              f"({f.proved_share:.1%}, target {real.TARGET_PROVED:.0%}); seeded errors located "
              f"{f.located}/{f.seeded} ({f.located_share:.1%}, target {real.TARGET_LOCATED:.0%})")
    # The figures are well-formed even though they are not gated.
    assert 0 <= f.proved <= f.judged_true and 0 <= f.located <= f.seeded and f.reported <= f.written
