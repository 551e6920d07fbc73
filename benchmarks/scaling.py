"""How the cost of a run grows with the model: parameters (1-10) and unused constants.

Each model runs ``symfisher derive`` in a fresh process (imports included, as a user
sees it) with the CLI's defaults or the settings given, and the wall time, the peak
resident memory of the process and the exit code are printed. The models:

- an exponential with rate a₀ + … + a_k (k + 1 parameters, all positive): every
  Fisher entry is the same, so the growth is the machinery's, not the mathematics';
- an exponential with rate λ and c unused constants.

Printed, never asserted (speed is not a test).

    python benchmarks/scaling.py                      # parameters 1..10, constants 0..1000
    python benchmarks/scaling.py --params 1 2 3 --consts 0 10 --deadline 60 --timeout 10
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def rate_model(k: int) -> list[str]:
    """An exponential whose rate is a sum of k parameters."""
    rate = " + ".join(f"a_{{{i}}}" for i in range(k))
    return ["derive", f"({rate}) e^{{-({rate}) x}}", *(f"--param=a_{{{i}}}:positive" for i in range(k)),
            "--support", r"(0,\infty)"]


def constants_model(c: int) -> list[str]:
    """An exponential with rate λ and c constants it does not use."""
    return ["derive", r"\lambda e^{-\lambda x}", r"--param=\lambda:positive", "--support", r"(0,\infty)",
            *(f"--const=c_{{{i}}}:positive" for i in range(c))]


def timed(args: list[str], settings: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak resident MB of the child (its own rusage, from wait4) and its exit code."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "symfisher", *settings, *args], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss / 1024, child.returncode       # ru_maxrss is in kB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--params", type=int, nargs="*", default=list(range(1, 11)))
    parser.add_argument("--consts", type=int, nargs="*", default=[0, 10, 100, 1000])
    parser.add_argument("--deadline", type=float, default=None, help="--deadline for each run (default: the CLI's)")
    parser.add_argument("--timeout", type=float, default=None, help="--timeout for each run (default: the CLI's)")
    options = parser.parse_args()
    settings = ([f"--deadline={options.deadline:g}"] if options.deadline else []) + \
               ([f"--timeout={options.timeout:g}"] if options.timeout else [])
    print(f"settings: {' '.join(settings) or 'CLI defaults'}")
    print(f"{'model':28} {'seconds':>8} {'peak MB':>8} {'exit':>5}")
    for k in options.params:
        seconds, peak, code = timed(rate_model(k), settings)
        print(f"{f'rate a_0+..+a_{k - 1} ({k} params)':28} {seconds:8.1f} {peak:8.0f} {code:5d}", flush=True)
    for c in options.consts:
        seconds, peak, code = timed(constants_model(c), settings)
        print(f"{f'lambda + {c} unused consts':28} {seconds:8.1f} {peak:8.0f} {code:5d}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
