"""The README's quick-start commands stay true: CI runs exactly the test command."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def quick_start_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", section, flags=re.S)


def test_readme_has_two_quick_start_commands():
    install, tests = quick_start_commands()
    assert "pip install ." in install and "symfisher " in install
    assert "pytest" in tests


def test_ci_runs_the_readme_test_command_verbatim():
    _, tests = quick_start_commands()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci.splitlines()


def test_ci_fails_when_no_tests_are_collected():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert '"$status" -eq 5' in ci and "exit 1" in ci
