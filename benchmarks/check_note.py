"""Time the proof checker on the note's two proofs (E[s] = 0 and F = −E[H]).

Prints symfisher's time beside the naive SymPy route in the same run: reading the
same steps, then asking plain ``sympy.simplify`` (with ``doit``) whether each
side's difference is zero, with no rules and no memo of normal forms.

    python benchmarks/check_note.py [NOTE]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import sympy as sp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from symfisher.check import check  # noqa: E402
from symfisher.check.extract import links  # noqa: E402
from symfisher.check.notation import NotationError, ShapeError, abstract_setting, read  # noqa: E402

DEFAULT_NOTE = ROOT / "tests" / "proofs" / "fisher-information-note.md"   # a copy of the seed note
PROOF_STEPS = (range(9, 16), range(20, 31))     # the note's two proofs


def naive(text: str) -> tuple[float, int]:
    """Plain simplify(lhs - rhs) on the same parsed steps (no rules): time and steps it proves."""
    setting = abstract_setting()
    start, proved = time.perf_counter(), 0
    _, steps = links(text)
    for link in steps:
        if not any(link.index in r for r in PROOF_STEPS):
            continue
        try:
            lhs, rhs = read(link.lhs, setting), read(link.rhs, setting)
            difference = sp.simplify(sp.Matrix(lhs) - sp.Matrix(rhs)) if isinstance(lhs, sp.MatrixBase) \
                else sp.simplify(lhs - rhs)
            proved += difference == sp.zeros(*difference.shape) if isinstance(difference, sp.MatrixBase) \
                else difference == 0
        except (NotationError, ShapeError, TypeError, AttributeError):
            continue
    return time.perf_counter() - start, proved


def main() -> int:
    note = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_NOTE
    text = note.read_text(encoding="utf-8")
    start = time.perf_counter()
    report = check(text)
    ours = time.perf_counter() - start
    in_proofs = [s for s in report.steps if any(s.link.index in r for r in PROOF_STEPS)]
    proved = sum(s.verdict.verdict == "proved" for s in in_proofs)
    naive_seconds, naive_proved = naive(text)
    print(f"note: {note.name}, {len(report.steps)} steps in all, {len(in_proofs)} in the two proofs")
    print(f"{'route':<28}{'seconds':>10}{'proof steps proved':>22}")
    print(f"{'symfisher check (whole note)':<28}{ours:>10.2f}{proved:>17} / {len(in_proofs)}")
    print(f"{'naive simplify (proofs)':<28}{naive_seconds:>10.2f}{naive_proved:>17} / {len(in_proofs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
