"""Check a corpus of real derivations (tests/proofs/real by default) and print issue 12's figures.

Per file: the steps its authors wrote, how many the checker reported and proved, its false verdicts,
whether a seeded error was located, ``valid`` and the time. Then the corpus-wide figures beside the
issue's targets, the wall time of the whole corpus checked in parallel, and which notations and
layouts the unread or unknown steps carry (by count), to show where the reading still fails.

    python benchmarks/check_corpus.py [--jobs N] [--files NAME ...] [--corpus DIR]

``--corpus tests/proofs/heldout`` measures the held-out corpus (derivations the checker was not
tuned on) with the same table, ``--corpus tests/proofs/fresh`` the fresh one (collected after the
held-out set had been partly tuned on), ``--corpus tests/proofs/fresh2`` the second fresh one.

The measurement (matching reported steps to the labels, the figures) is the acceptance test's own,
``tests/test_real_proofs.py``, loaded from its path, so the two cannot disagree.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_spec = importlib.util.spec_from_file_location("real_proofs", ROOT / "tests" / "test_real_proofs.py")
real = importlib.util.module_from_spec(_spec)
sys.modules["real_proofs"] = real           # dataclasses and pickling look the module up by name
_spec.loader.exec_module(real)

# Notations and layouts of issue 12's list, each a pattern over a step's text or its file. A step
# that is not reported, or reported but unknown, is counted under every entry it carries.
NOTATIONS: dict[str, str] = {
    "I(θ), \\mathcal{I}, I_X, I_n (Fisher information by name)": r"(?<![a-zA-Z\\])I(?:_\{?[\w,. ]+\}?)?\s*\(|\\mathcal\s*\{?\s*I|\\fI|I_\{?\d",
    "E[·], E(·), E_θ, \\operatorname{E}, \\mathrm{E}, \\Ex": r"(?<![a-zA-Z\\])E\s*[\[(_{]|\\operatorname\s*\{?E|\\mathrm\{E\}|\\Ex\b",
    "\\mathbb{E} with a subscript or without brackets": r"\\mathbb\{E\}\s*(?:_|[^\[\\(\s])",
    "f(x;θ), f(x|θ), f_X, f(X\\mid p) (density named f)": r"(?<![a-zA-Z\\])f(?:_\w)?\s*\(",
    "L(θ), L(θ; x), ln L (likelihood)": r"(?<![a-zA-Z\\])L\s*\(",
    "ℓ, l, l', l'', l^{\\prime} (log-likelihood)": r"\\ell|(?<![a-zA-Z\\])l\s*(?:'|\^|_|\()",
    "d/dθ, ∂/∂θ applied to log f": r"\\frac\s*\{?\s*(?:d|\\partial)",
    "\\partial_\\theta, \\nabla, slash derivatives": r"\\partial\s*_|\\nabla|\\partial\^?\d?\s*/",
    "Var, Cov, \\text{Var}, \\operatorname{Cov}": r"Var|Cov|\\Var",
    "sums and products over a sample (\\sum, \\prod, x_i)": r"\\sum|\\prod|x_i|y_i|X_i",
    "log / ln without a backslash, \\text{log}, \\mathrm{log}": r"(?<!\\)\b(?:log|ln)\b|\\text\{log\}|\\mathrm\{log\}",
    "n/λ slash division": r"\w\s*/\s*\\?\w",
    "KL divergence, D_{KL}": r"D_\{?\\?(?:mathrm\{)?KL",
    "integrals": r"\\int",
    "Unicode Greek or symbols (θ, ·)": r"[θλμσ·]",
    "a parameter named p beside a density": r"p\^\{?[xX]|\(1-p\)",
}
LAYOUTS: dict[str, str] = {
    "$$ or \\[ wrapping align/align*/alignat": r"(?:\$\$|\\\[)\s*\\begin\{(?:align|alignat)\*?\}",
    "alignat*": r"\\begin\{alignat\*?\}",
    "equation/align without $$": r"^\s*\\begin\{(?:equation|align)\*?\}",
    "rows broken by \\\\ without &": r"\$\$\s*\n[^&$]*\\\\\s*\n\s*[=≈]",
    "chain continued in a display that starts with =": r"\$\$\s*=|\\begin\{align\*?\}\s*&?=",
    "= inside \\Pr(X = 0), P(X=k), |θ=θ_0": r"\\Pr\(X = |P\(X=|\|\\theta\s*=",
    "\\tag, :=, \\equiv, \\propto, \\overset": r"\\tag|:=|\\equiv|\\propto|\\overset",
    "inline-only source set as displays (one formula a line)": r"one display here",
    "macros defined by the page (\\newcommand)": r"\\newcommand",
    "bmatrix": r"\\begin\{bmatrix\}",
}


def _tally(outcomes: list) -> tuple[Counter, Counter, int]:
    """How many unread or unknown steps of the originals carry each notation and each layout."""
    notations, layouts, total = Counter(), Counter(), 0
    for o in outcomes:
        if o.case.seeded is not None:
            continue
        for e in o.case.steps:
            verdict = o.verdicts.get(e.index)
            if verdict not in (None, "unknown"):
                continue
            total += 1
            text = f"{e.lhs} = {e.rhs}"
            notations.update(name for name, pattern in NOTATIONS.items() if re.search(pattern, text))
            if verdict is None:
                block = _paragraph(o.case.text, e.rhs) or _paragraph(o.case.text, e.lhs)
                layouts.update(name for name, pattern in LAYOUTS.items() if re.search(pattern, block, re.M))
    return notations, layouts, total


def _paragraph(text: str, snippet: str) -> str:
    """The paragraph (text between blank lines) where a step's side is written, or ''."""
    at = text.find(snippet)
    if at < 0:
        return ""
    start = text.rfind("\n\n", 0, at)
    end = text.find("\n\n", at)
    return text[start + 1 if start >= 0 else 0:end if end >= 0 else len(text)]


def _row(o) -> str:
    counts = Counter(o.verdicts.values())
    located = "" if o.case.seeded is None else ("yes" if o.located else f"no ({o.first_error or '-'})")
    valid = {True: "true", False: "false", None: "null"}[o.valid] if not o.error else "error"
    return (f"{o.case.name:<46}{len(o.case.steps):>4}{len(o.matched):>5}{counts['proved']:>5}"
            f"{counts['unknown']:>5}{counts['refuted']:>5}{len(o.false_refutations) + len(o.invented_refuted):>5}"
            f"{len(o.false_proofs):>5}{located:>10}{valid:>7}{o.seconds:>8.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--files", nargs="*", help="only these files (originals or variants)")
    parser.add_argument("--corpus", type=Path, default=real.CORPUS,
                        help="corpus directory with a manifest.yaml (default tests/proofs/real)")
    args = parser.parse_args()
    if not (args.corpus / real.MANIFEST.name).is_file():
        parser.error(f"{args.corpus}: no {real.MANIFEST.name} there")
    cases = [c for c in real.cases(args.corpus.resolve()) if not args.files or c.name in args.files]

    start = time.perf_counter()
    if args.jobs > 1:
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            outcomes = list(pool.map(real.run, cases))
    else:
        outcomes = [real.run(c) for c in cases]
    wall = time.perf_counter() - start

    print(f"{'file':<46}{'wrt':>4}{'rep':>5}{'✓':>5}{'?':>5}{'✗':>5}{'f✗':>5}{'f✓':>5}{'located':>10}{'valid':>7}{'s':>8}")
    for o in outcomes:
        print(_row(o))
        if o.error:
            print(f"    error: {o.error}")
    f = real.figures(outcomes)
    print()
    print(f"authors' steps reported   {f.reported:>4} / {f.written:<4} {f.reported_share:6.1%}   target ≥ {real.TARGET_REPORTED:.0%}")
    print(f"true steps proved         {f.proved:>4} / {f.judged_true:<4} {f.proved_share:6.1%}   target ≥ {real.TARGET_PROVED:.0%}")
    print(f"seeded errors located     {f.located:>4} / {f.seeded:<4} {f.located_share:6.1%}   target ≥ {real.TARGET_LOCATED:.0%}")
    print(f"false refutations         {f.false_refutations:>4}   (+ {f.invented_refuted} refuted steps the authors did not write)   target 0")
    print(f"false ✓                   {f.false_proofs:>4}   target 0")
    print(f"valid without all proved  {f.wrongly_valid:>4}   target 0")
    print(f"unreadable files          {f.errors:>4}")
    print(f"time: {len(outcomes)} files in {wall:.1f} s wall with {args.jobs} worker(s); "
          f"{sum(o.seconds for o in outcomes):.1f} s summed over files")

    notations, layouts, total = _tally(outcomes)
    print()
    print(f"unread or unknown steps of the originals: {total}; notations they carry (a step counts under each):")
    for name, n in notations.most_common():
        print(f"  {n:>4}  {name}")
    print("layouts of the paragraphs that hold the unreported steps (a step counts under each):")
    for name, n in layouts.most_common():
        print(f"  {n:>4}  {name}")
    reasons = Counter(_reason(r.verdict.reason) for o in outcomes if o.case.seeded is None
                      for r in o.matched.values() if r.verdict.verdict == "unknown")
    print("the checker's reasons for the unknown steps of the originals:")
    for reason, n in reasons.most_common(25):
        print(f"  {n:>4}  {reason}")
    return 0


def _reason(text: str) -> str:
    """A reason without the parts that vary from step to step (the hint after the symbol's name)."""
    return re.sub(r" \(declare it in the front matter's model\)", "", text.split("\n")[0])[:100]


if __name__ == "__main__":
    sys.exit(main())
