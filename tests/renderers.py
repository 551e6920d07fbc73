"""The real renderers: KaTeX (run by node) for Markdown math, pdflatex/xelatex for .tex.

Installed by .ci/system-deps. Where one is missing the test is skipped with the
install command, unless SYMFISHER_REQUIRE_RENDERERS=1 (set by .ci/run): then a
missing renderer is a failure, so CI cannot pass without really rendering.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

KATEX_DIR = Path(__file__).resolve().parent / "katex"
INSTALL = "bash .ci/system-deps"


def require(what: str, available: bool) -> None:
    if available:
        return
    message = f"{what} is not installed (run {INSTALL})"
    if os.environ.get("SYMFISHER_REQUIRE_RENDERERS") == "1":
        pytest.fail(message)
    pytest.skip(message)


def math_of_markdown(text: str) -> list[dict]:
    """Every math expression of a Markdown document: $$…$$ displays, then $…$ inline."""
    items = []

    def display(match: re.Match) -> str:
        items.append({"tex": match.group(1), "display": True, "where": f"$${match.group(1)[:60]}…$$"})
        return " "
    rest = re.sub(r"\$\$(.+?)\$\$", display, text, flags=re.S)
    for match in re.finditer(r"(?<!\\)\$(.+?)(?<!\\)\$", rest, flags=re.S):
        items.append({"tex": match.group(1), "display": False, "where": f"${match.group(1)[:60]}$"})
    return items


def katex_failures(items: list[dict]) -> list[dict]:
    """Render with KaTeX (throwOnError, strict); the expressions that fail, with KaTeX's message."""
    require("node", shutil.which("node") is not None)
    require("the npm package katex", (KATEX_DIR / "node_modules" / "katex").is_dir())
    done = subprocess.run(["node", str(KATEX_DIR / "check.js")], input=json.dumps(items), capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def compile_tex(source: str, engine: str, directory: Path) -> str:
    """Compile a document with ``engine``; return the log. Fails the test on a TeX error."""
    require(engine, shutil.which(engine) is not None)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "doc.tex").write_text(source, encoding="utf-8")
    done = subprocess.run([engine, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "doc.tex"],
                          cwd=directory, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "openout_any": "p", "openin_any": "p"})
    log = (directory / "doc.log").read_text(encoding="utf-8", errors="replace") \
        if (directory / "doc.log").exists() else done.stdout
    errors = [line for line in log.splitlines() if line.startswith("!")]
    assert done.returncode == 0 and (directory / "doc.pdf").exists(), \
        f"{engine} failed: {errors[:3] or done.stdout[-800:]}"
    return log
