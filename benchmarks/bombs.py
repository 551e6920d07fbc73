"""Time and peak memory of the time and memory bombs of issue 13, each in a fresh process.

The density and support bombs are the corpus cases of the group "bounds"
(tests/hostile/corpus.yaml); the proof bombs are checked as one-step proofs of
a normal model. Printed, never asserted.

    python benchmarks/bombs.py [--memory GB]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PROOF = """---
model:
  density: \\frac{1}{\\sqrt{2\\pi\\sigma^2}} e^{-\\frac{(x-\\mu)^2}{2\\sigma^2}}
  parameters: [\\mu: real, \\sigma: positive]
  support: (-\\infty, \\infty)
---

$$ %s $$
"""
PROOF_BOMBS = ["(10^{8})! = 1", "e^{e^{e^{e^{100}}}} = 1", "2^{2^{2^{2^{2^{2}}}}} = 1", r"\mathbb{E}[e^{x^2}] = 1",
               "(" * 200 + "x" + ")" * 200 + " = x"]


def measure(args: list[str]) -> tuple[float, float, int]:
    """Wall seconds, the child's own peak resident MB (wait4) and its exit code."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "symfisher", *args], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT)})
    _, status, usage = os.wait4(child.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--memory", type=float, default=None, help="--memory for each run (default: the CLI's)")
    settings = [f"--memory={parser.parse_args().memory:g}"] if parser.parse_args().memory else []
    corpus = yaml.safe_load((ROOT / "tests" / "hostile" / "corpus.yaml").read_text(encoding="utf-8"))
    print(f"{'case':64} {'seconds':>7} {'peak MB':>8} {'exit':>5}")
    for case in (c for c in corpus if c["id"].endswith("-bounds")):
        shown = " ".join(a for a in case["args"] if not a.startswith("--") and a not in ("1", "parse"))[:60]
        seconds, peak, code = measure([*settings, *case["args"]])
        print(f"{case['id'] + ' ' + shown:64} {seconds:7.1f} {peak:8.0f} {code:5d}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for number, step in enumerate(PROOF_BOMBS):
            path = Path(tmp) / f"bomb{number}.md"
            path.write_text(PROOF % step, encoding="utf-8")
            seconds, peak, code = measure([*settings, "check", str(path)])
            print(f"{'check ' + step[:58]:64} {seconds:7.1f} {peak:8.0f} {code:5d}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
