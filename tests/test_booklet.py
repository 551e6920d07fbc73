"""The booklet: documents and an index for the catalogue, resumable, failures reported, a book that compiles."""

from __future__ import annotations

import json

from renderers import compile_tex, katex_failures, math_of_markdown
from symfisher.cli import main
from symfisher.render.booklet import MANIFEST, build_booklet

NAMES = ["poisson", "exponential", "normal"]


def test_booklet_writes_documents_and_index_and_resumes(tmp_path):
    report = build_booklet(tmp_path, "en", "md", date="2025-08-18", names=NAMES, progress=False, workers=2)
    assert sorted(report.written) == sorted(NAMES) and not report.failed
    index = (tmp_path / "index.en.md").read_text(encoding="utf-8")
    assert [line.split("](")[1].split(")")[0] for line in index.splitlines() if line.startswith("| [")] == \
        [f"{n}.en.md" for n in NAMES]
    assert r"\frac{1}{\lambda}" in index and r"\frac{2}{\sigma^{2}}" in index        # the Fisher matrices
    assert not katex_failures(math_of_markdown(index))
    before = {n: (tmp_path / f"{n}.en.md").stat().st_mtime_ns for n in NAMES}
    again = build_booklet(tmp_path, "en", "md", date="2025-08-18", names=NAMES, progress=False)
    assert again.written == [] and sorted(again.skipped) == sorted(NAMES)
    assert {n: (tmp_path / f"{n}.en.md").stat().st_mtime_ns for n in NAMES} == before
    # a changed input (the date) is rendered again
    later = build_booklet(tmp_path, "en", "md", date="2025-08-19", names=NAMES[:1], progress=False)
    assert later.written == NAMES[:1]
    assert set(json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))) >= {f"{n}.en.md" for n in NAMES}


def test_a_failing_model_is_reported_and_the_rest_go_on(tmp_path, capsys):
    templates = tmp_path / "templates"
    templates.mkdir()
    # a template that breaks for models with two parameters only
    (templates / "document.md.j2").write_text("{% if model.m > 1 %}{{ no_such_thing }}{% endif %}ok\n",
                                              encoding="utf-8")
    out = tmp_path / "out"
    code = main(["booklet", "-o", str(out), "--date", "2025-08-18", "--templates", str(templates), "--jobs", "2",
                 *(arg for name in NAMES for arg in ("--only", name))])
    captured = capsys.readouterr()
    assert code == 1
    assert "failed normal: template document.md.j2, line 1: 'no_such_thing' is undefined" in captured.err
    assert (out / "poisson.en.md").read_text(encoding="utf-8") == "ok\n"
    assert not (out / "normal.en.md").exists()
    index = (out / "index.en.md").read_text(encoding="utf-8")
    assert "`normal`" in index and "[Poisson distribution](poisson.en.md)" in index


def test_tex_booklet_is_one_book_that_compiles(tmp_path):
    report = build_booklet(tmp_path, "en", "tex", date="2025-08-18", names=NAMES, progress=False, workers=2)
    book = (tmp_path / "booklet.en.tex").read_text(encoding="utf-8")
    assert book.count(r"\chapter*{") == len(NAMES) + 1 and report.book.endswith("booklet.en.tex")
    compile_tex(book, "pdflatex", tmp_path)             # beside its figures
    compile_tex((tmp_path / "index.en.tex").read_text(encoding="utf-8"), "pdflatex", tmp_path / "index")


def test_figure_samples_come_from_the_model(derived):
    """The figures' sampler (inverse transform on a grid) draws from the model: moments at random points."""
    import numpy as np

    from symfisher import numeric
    from symfisher.render.figures import sample_model

    rng = np.random.default_rng(3)
    for name in ("normal", "gamma", "poisson", "beta", "bernoulli", "weibull"):
        model = derived(name).model
        point = model.sample_points(1)[0]
        sample = sample_model(model, point, 200_000, rng)
        mean = numeric.expectation(model.variable, model.density, model.variable, model.support, point).real
        second = numeric.expectation(model.variable ** 2, model.density, model.variable, model.support, point).real
        sd = np.sqrt(second - mean ** 2)
        assert abs(sample.mean() - mean) < 5 * sd / np.sqrt(sample.size), name
        assert abs(sample.std() / sd - 1) < 0.02, name


def test_the_booklet_honours_the_runs_deadline_and_a_rerun_resumes(tmp_path, capsys):
    """`--deadline` was lifted for the booklet: now, past it, the queue is cancelled and the workers stopped;
    the documents finished are written with an index that lists the others as not written, the run ends
    normally, and a re-run without the deadline writes only what is missing."""
    names = ["normal", "gamma", "beta", "weibull", "student_t", "logistic", "gumbel", "inverse_gaussian"]
    out = tmp_path / "out"
    only = [arg for name in names for arg in ("--only", name)]
    code = main(["--deadline", "6", "booklet", "-o", str(out), "--date", "2025-08-18", "--jobs", "1", *only])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    summary = captured.out.strip().splitlines()[-1]
    written = int(summary.split("booklet: ")[1].split(" written")[0])
    late = int(summary.split(" failed, ")[1].split(" not written")[0])
    assert late >= 1 and written + late == len(names), summary
    assert "the run's deadline (--deadline 6 s) passed" in captured.err
    documents = {p.name for p in out.glob("*.en.md")} - {"index.en.md"}
    assert len(documents) == written
    index = (out / "index.en.md").read_text(encoding="utf-8")
    not_written = [n for n in names if f"{n}.en.md" not in documents]
    assert all(f"`{n}`" in index for n in not_written)                  # listed as not written up
    manifest = out / MANIFEST                                             # none when nothing was finished
    assert set(json.loads(manifest.read_text(encoding="utf-8")) if manifest.exists() else {}) == documents
    code = main(["booklet", "-o", str(out), "--date", "2025-08-18", "--jobs", "2", *only])
    assert code == 0
    assert f"booklet: {late} written, {written} unchanged, 0 failed" in capsys.readouterr().out
