"""The wheel carries the templates and the catalogue; the installed command works."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    (path,) = out.glob("symfisher-*.whl")
    return zipfile.ZipFile(path)


def test_wheel_carries_templates_and_catalogue(wheel):
    names = set(wheel.namelist())
    shipped = {p.relative_to(ROOT / "templates").as_posix() for p in (ROOT / "templates").rglob("*")
               if p.is_file() and p.suffix in (".j2", ".md", ".yaml", ".py")}
    assert shipped and {f"symfisher/templates/{n}" for n in shipped} <= names
    assert "symfisher/catalog/models.yaml" in names
    sources = {p.relative_to(ROOT).as_posix() for p in (ROOT / "symfisher").rglob("*.py")}
    assert sources <= names, f"modules missing from the wheel: {sorted(sources - names)}"
    entry_points = wheel.read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "symfisher = symfisher.cli:run" in entry_points


def test_installed_console_script_runs_outside_the_source_tree(tmp_path):
    script = Path(sys.executable).parent / "symfisher"
    if not script.exists():
        pytest.skip("symfisher is not installed in this environment (the README's test command installs it)")
    done = subprocess.run([str(script), "parse", "--model", "gamma", "--format", "json"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["parameters"] == ["alpha", "beta"]
    # the installed templates and wording render a document, outside the source tree
    done = subprocess.run([str(script), "derive", "--model", "poisson", "--format", "md", "--lang", "zh",
                           "--date", "2025-08-18", "--no-figures"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "output" / "poisson.zh.md").read_text(encoding="utf-8") == \
        (ROOT / "tests" / "golden" / "poisson.zh.md").read_text(encoding="utf-8")
    # the booklet reads the installed templates too (which sit beside a __pycache__)
    done = subprocess.run([str(script), "booklet", "--only", "poisson", "--format", "tex", "--lang", "zh"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "output" / "booklet" / "booklet.zh.tex").exists()
