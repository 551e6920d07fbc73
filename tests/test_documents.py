"""The write-ups: golden files, output/ examples, KaTeX and TeX, and what they say.

A failing golden or example test prints the command that regenerates them
(``python tests/documents.py``), so that a change is reviewed as a diff.
"""

from __future__ import annotations

import difflib
import random
import re

import pytest
import sympy as sp

from documents import (GOLDEN_DIR, GOLDEN_MODELS, OUTPUT_DIR, OUTPUT_MODELS, REGENERATE, documents)
from renderers import compile_tex, katex_failures, math_of_markdown
from symfisher.parse import name_key, parse_expression

COMMITTED = sorted([*GOLDEN_DIR.glob("*.md"), *GOLDEN_DIR.glob("*.tex"),
                    *(p for p in OUTPUT_DIR.glob("*.md") if p.name != "README.md"), *OUTPUT_DIR.glob("*.tex")])


@pytest.fixture(scope="module")
def golden(derived):
    return documents(GOLDEN_MODELS, GOLDEN_DIR, derived)


@pytest.fixture(scope="module")
def examples(derived, tmp_path_factory):
    return documents(OUTPUT_MODELS, OUTPUT_DIR, derived, tmp_path_factory.mktemp("figures"))


def _stale(wanted: dict) -> list[str]:
    out = []
    for path, text in wanted.items():
        if isinstance(text, bytes):                       # a figure: byte-identical, or stale
            if not path.exists() or path.read_bytes() != text:
                out.append(f"{path} differs")
            continue
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        if old != text:
            diff = difflib.unified_diff(old.splitlines(), text.splitlines(), str(path), "rendered now", lineterm="")
            out.append("\n".join(list(diff)[:30]))
    return out


def test_golden_files_are_current(golden):
    assert len(golden) == 16
    stale = _stale(golden)
    assert not stale, f"golden documents differ; review and regenerate with `{REGENERATE}`:\n" + "\n".join(stale)


def test_output_examples_are_current(examples):
    stale = _stale(examples)
    extra = {p for p in OUTPUT_DIR.glob("*.*") if p.suffix in (".md", ".tex", ".png") and p.name != "README.md"} \
        - set(examples)
    assert not stale and not extra, (f"output/ is stale; regenerate with `{REGENERATE}`:\n" + "\n".join(stale)
                                     + "".join(f"\nnot produced any more: {p}" for p in sorted(extra)))


def test_every_markdown_math_block_renders_with_katex():
    items = []
    for path in COMMITTED:
        if path.suffix == ".md":
            for item in math_of_markdown(path.read_text(encoding="utf-8")):
                items.append({**item, "where": f"{path.name}: {item['where']}"})
    assert len(items) > 500
    failures = katex_failures(items)
    assert not failures, "\n".join(f"{f['where']}\n  {f['error']}" for f in failures[:10])


def test_the_katex_check_can_fail():
    failures = katex_failures(math_of_markdown(r"fine $x^2$ and broken $$\frac{1}{$$ and $\notacommand{x}$"))
    assert len(failures) == 2


@pytest.mark.parametrize("path", [p for p in COMMITTED if p.suffix == ".tex"], ids=lambda p: p.name)
def test_every_tex_document_compiles(path, tmp_path):
    source = path.read_text(encoding="utf-8")
    for figure in path.parent.glob(path.name.split(".")[0] + ".*.png"):     # figures beside the document
        (tmp_path / figure.name).write_bytes(figure.read_bytes())
    engine = re.match(r"% !TEX program = (\w+)", source).group(1)
    assert engine == ("xelatex" if ".zh." in path.name else "pdflatex")
    log = compile_tex(source, engine, tmp_path)
    assert "Undefined control sequence" not in log


def test_the_tex_check_can_fail(tmp_path):
    with pytest.raises(AssertionError):
        compile_tex("\\documentclass{article}\\begin{document}$\\frac{1}{$\\end{document}", "pdflatex", tmp_path)


HEADINGS = {
    "zh": ["前言", "海森矩阵", "Fisher 信息矩阵", "海森矩阵和费舍尔矩阵的关系"],
    "en": ["Preface", "The Hessian matrix", "The Fisher information matrix", "The Hessian and the Fisher matrix"],
}

#: The section after the note's four: what follows from F (MLE, Cramér–Rao, reparametrization, KL).
RESULTS = {"zh": "由 Fisher 矩阵得到的结论", "en": "What follows from the Fisher matrix"}

#: The note's notation, which every write-up uses.
NOTATION = [r"\mathbb{E}_{p(x|\theta)}", r"\nabla_\theta", r"\mathbf{H}", r"\mathbf{F}", r"s(x|\theta)",
            r"\mathbf{0}_{m \times 1}", r"\frac{1}{n} \sum_{i=1}^{n}", r"\hat{\theta} = \arg\max_{\theta}"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_documents_follow_the_note(lang):
    for name in GOLDEN_MODELS:
        text = (GOLDEN_DIR / f"{name}.{lang}.md").read_text(encoding="utf-8")
        front, body = text.split("\n---\n", 1)
        assert [line.split(":")[0] for line in front.splitlines()[1:] if not line.startswith(" ")] == \
            ["title", "description", "image", "published", "tags", "category", "draft"]
        headings = re.findall(r"^# (.+)$", body, flags=re.M)
        assert headings[:4] == HEADINGS[lang] and headings[4:] == [RESULTS[lang]]
        for symbol in NOTATION:
            assert symbol in body, (name, lang, symbol)
        # the note's two general proofs, line by line with reasons
        assert body.count(r"\begin{aligned}") >= 6 and body.count("&& \\text{") >= 20
        tex = (GOLDEN_DIR / f"{name}.{lang}.tex").read_text(encoding="utf-8")
        assert re.findall(r"\\section\*\{(.+?)\}", tex) == [*HEADINGS[lang], RESULTS[lang]]


TEXTBOOK = {   # Fisher matrices as printed in textbooks, in the catalogue's parameters
    "normal": ({"mu": "real", "sigma": "positive"}, lambda mu, sigma: [[1 / sigma ** 2, 0], [0, 2 / sigma ** 2]]),
    "bernoulli": ({"p": "unit"}, lambda p: [[1 / (p * (1 - p))]]),
    "poisson": ({"lambda": "positive"}, lambda lam: [[1 / lam]]),
    "gamma": ({"alpha": "positive", "beta": "positive"},
              lambda a, b: [[sp.polygamma(1, a), -1 / b], [-1 / b, a / b ** 2]]),
}


def _matrices(text: str) -> list[list[list[str]]]:
    found = re.findall(r"\\begin\{bmatrix\}(.+?)\\end\{bmatrix\}", text)
    return [[row.split("&") for row in m.split(r"\\")] for m in found if "partial" not in m]


@pytest.mark.parametrize("name", GOLDEN_MODELS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_fisher_matrix_a_reader_sees_is_the_textbook_one(name, lang):
    """Read the printed matrices back with symfisher's own parser; compare at random points."""
    domains, expected = TEXTBOOK[name]
    symbols = {n: sp.Symbol(n, positive=d != "real") for n, d in domains.items()}
    declared = {name_key(n): s for n, s in symbols.items()}
    text = (GOLDEN_DIR / f"{name}.{lang}.md").read_text(encoding="utf-8")
    printed = re.search(r"\\mathbf\{F\} = (\\begin\{bmatrix\}.+?\\end\{bmatrix\})\n", text).group(1)
    entries = _matrices(printed)[0]
    rng = random.Random(11)
    for _ in range(5):
        point = {s: sp.Rational(rng.randint(150, 2900), 1000) if d != "unit" else sp.Rational(rng.randint(5, 95), 100)
                 for (n, d), s in zip(domains.items(), symbols.values())}
        for d, s in zip(domains.values(), symbols.values()):
            if d == "real":
                point[s] = sp.Rational(rng.randint(-2000, 2000), 1000)
        want = expected(*point.values())
        for j, row in enumerate(entries):
            for k, cell in enumerate(row):
                got = parse_expression(cell, declared, "matrix entry").subs(point)
                assert abs(complex(sp.N(got - want[j][k], 30))) < 1e-12, (name, j, k, cell)
    # the agreement section closes the document with the same matrix
    assert _matrices(text)[-1] == entries


def test_every_catalogue_model_renders_in_katex_in_both_languages(derived):
    from symfisher.catalog import catalog
    from symfisher.render import render

    items = []
    for name in catalog():
        for lang in ("zh", "en"):
            text = render(derived(name), "md", lang, date="2025-08-18")
            items += [{**item, "where": f"{name}.{lang}: {item['where']}"} for item in math_of_markdown(text)]
    failures = katex_failures(items)
    assert not failures, "\n".join(f"{f['where']}\n  {f['error']}" for f in failures[:10])


@pytest.mark.parametrize("lang,engine", [("en", "pdflatex"), ("zh", "xelatex")])
def test_every_catalogue_model_compiles_as_tex(derived, lang, engine, tmp_path):
    from symfisher.catalog import catalog
    from symfisher.render import render

    for name in catalog():
        compile_tex(render(derived(name), "tex", lang, date="2025-08-18"), engine, tmp_path / name)
