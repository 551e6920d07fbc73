"""Time Ctrl-C on the booklet: seconds from SIGINT to exit, and what is left on disk (issue 13, point 4).

Runs ``symfisher booklet --format tex`` on the catalogue into a temporary directory,
sends SIGINT to its whole process group after ``--after`` seconds (as Ctrl-C at a
terminal, or ``timeout -s INT``, does), and prints how long the run took to end,
its exit code and stderr, whether any process of the group outlived it, and the
files left (documents complete, no temporary file). Then it runs the booklet again
and prints how many models were resumed.

    python benchmarks/interrupt.py [--after 8] [--jobs N] [--no-rerun]

Before the fix the pool finished every queued model first (about 60 s); the target is 2 s.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--after", type=float, default=8.0, help="seconds before SIGINT")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--no-rerun", action="store_true")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "booklet"
        command = [sys.executable, "-m", "symfisher", "booklet", "--format", "tex", "-o", str(out),
                   "--date", "2025-08-18", *(["--jobs", str(args.jobs)] if args.jobs else [])]
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   start_new_session=True)
        time.sleep(args.after)
        os.killpg(process.pid, signal.SIGINT)
        sent = time.monotonic()
        _, stderr = process.communicate()
        elapsed = time.monotonic() - sent
        try:
            os.killpg(process.pid, 0)
            survivors = "yes"
        except ProcessLookupError:
            survivors = "no"
        left = sorted(p.name for p in out.rglob("*")) if out.exists() else []
        temporary = [n for n in left if n.endswith((".tmp", ".old"))]
        documents = [n for n in left if n.endswith(".en.tex") and not n.startswith(("index", "booklet"))]
        print(f"SIGINT after {args.after:g} s: ended {elapsed:.2f} s later, exit {process.returncode}, "
              f"stderr {stderr.decode().strip()!r}")
        print(f"processes of the group still alive: {survivors}")
        print(f"documents written: {len(documents)}; temporary files left: {len(temporary)}; "
              f"book written: {(out / 'booklet.en.tex').exists()}")
        if not args.no_rerun:
            started = time.monotonic()
            rerun = subprocess.run(command, env=env, capture_output=True, text=True)
            print(f"re-run ({time.monotonic() - started:.0f} s, exit {rerun.returncode}): {rerun.stdout.strip()}")


if __name__ == "__main__":
    main()
