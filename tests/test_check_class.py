"""symfisher check on a class's submissions: several files or a folder, one summary row each (issue 12)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from symfisher.cli import main

HERE = Path(__file__).resolve().parent
GOOD = (HERE / "proofs" / "poisson_fisher.md").read_text(encoding="utf-8")
POISSON = """---
model:
  density: \\frac{\\lambda^x e^{-\\lambda}}{x!}
  parameters: [\\lambda: positive]
  support: \\{0, 1, 2, \\dots\\}
---
$$
\\begin{aligned}
\\mathbb{E}[x^2] &= \\lambda + \\lambda^2 \\\\
\\mathbb{E}[x] &= {mean}
\\end{aligned}
$$
"""


def submissions(tmp_path: Path) -> Path:
    folder = tmp_path / "class"
    (folder / "late").mkdir(parents=True)
    (folder / "alice.md").write_text(GOOD, encoding="utf-8")
    (folder / "bob.md").write_text(POISSON.replace("{mean}", "\\lambda^2"), encoding="utf-8")   # seeded: E[x] = λ²
    (folder / "late" / "carol.md").write_text("---\nmodel: [1, 2]\n---\n$$ a = b $$\n", encoding="utf-8")
    (folder / "notes.txt").write_text("not a proof", encoding="utf-8")
    return folder


class Result:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.exit_code, self.output, self.err = code, out, err


@pytest.fixture
def run(capsys):
    def invoke(*args: str) -> Result:
        code = main(["check", *args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)
    return invoke


def test_a_folder_gives_one_row_per_proof_with_its_verdict(tmp_path, run):
    folder = submissions(tmp_path)
    result = run(str(folder), "--format", "json", "--no-progress", "--jobs", "2")
    rows = {Path(r["file"]).name: r for r in json.loads(result.output)}
    assert set(rows) == {"alice.md", "bob.md", "carol.md"}          # .txt is not a proof
    assert rows["alice.md"]["verdict"] == "valid" and rows["alice.md"]["refuted"] == 0
    assert rows["alice.md"]["proved"] == rows["alice.md"]["steps"] > 0
    # bob's second step is the seeded error; his first step is right and proved
    assert rows["bob.md"]["refuted"] == 1 and rows["bob.md"]["first_error"] == 2 and rows["bob.md"]["proved"] == 1
    assert rows["carol.md"]["verdict"] == "unreadable" and "model" in rows["carol.md"]["error"]
    assert result.exit_code == 2                                      # an unreadable file: exit 2, others still checked


def test_csv_summary_and_exit_code_for_a_refuted_step(tmp_path, run):
    folder = submissions(tmp_path)
    result = run(str(folder / "alice.md"), str(folder / "bob.md"), "--format", "csv", "--no-progress")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [Path(r["file"]).name for r in rows] == ["alice.md", "bob.md"]
    assert rows[1]["first_error"] == "2" and rows[0]["first_error"] == ""
    assert result.exit_code == 1


def test_text_summary_counts_and_one_file_keeps_its_step_report(tmp_path, run):
    folder = submissions(tmp_path)
    summary = run(str(folder / "alice.md"), str(folder / "bob.md"), "--no-progress")
    assert summary.output.strip().splitlines()[-1] == "2 files: 1 valid, 1 with a refuted step, 0 unreadable"
    single = run(str(folder / "bob.md"))
    assert "step   2" in single.output and "refuted" in single.output and single.exit_code == 1


def test_summary_refuses_md_and_an_empty_folder(tmp_path, run):
    folder = submissions(tmp_path)
    assert run(str(folder), "--format", "md").exit_code == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run(str(empty), str(empty), "--no-progress")
    assert result.exit_code == 2 and "no .md or .tex file" in result.err
