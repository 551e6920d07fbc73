"""Rendering: wording tables, escaping of user text, templates, files, dates and determinism."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from documents import ROOT
from renderers import compile_tex, katex_failures, math_of_markdown
from symfisher.catalog import catalog
from symfisher.cli import main
from symfisher.derive import RULES, Status, derive
from symfisher.errors import OutputFileError, RenderError
from symfisher.model import build_model
from symfisher.render import document_date, render, write_atomic
from symfisher.render.document import _number
from symfisher.render.escape import markdown_text, tex_text, yaml_string

WORDING = ROOT / "templates" / "wording"
HOSTILE = [
    "Normal: μ & σ² # 100% {x} $y$ \\ ~ ^ _",
    r"\input{/etc/passwd}",
    r"\immediate\write18{touch pwned}",
    r"\catcode`\{=12 \def\x{y}",
    "{{ 7 * 7 }} {% if true %}jinja{% endif %}",
    "key: value\n- item\n---",
    "\u202eright-to-left\u202c and zero\u200bwidth \x07 bell",
    "**bold** [link](http://x) <b>html</b> `code` | pipe",
    "引号“中文”标题",
]


def _keys(node, prefix=""):
    if isinstance(node, dict):
        return {k for key, value in node.items() for k in _keys(value, f"{prefix}{key}.")} | {prefix.rstrip(".")}
    return {prefix.rstrip(".")}


def test_both_wording_tables_have_the_same_entries_and_cover_every_rule():
    en = yaml.safe_load((WORDING / "en.yaml").read_text(encoding="utf-8"))
    zh = yaml.safe_load((WORDING / "zh.yaml").read_text(encoding="utf-8"))
    assert _keys(en) == _keys(zh)
    assert set(en["rules"]) == set(RULES), "every rule a step may cite needs its wording"
    assert set(en["status"]) == {s.value for s in Status} - {"proved"}, "every status but proved needs its wording"


@pytest.mark.parametrize("text", HOSTILE)
def test_yaml_escaping_reads_back_exactly(text):
    assert yaml.safe_load(f"title: {yaml_string(text)}\n") == {"title": text}


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_yaml_escaping_reads_back_exactly_for_any_text(text):
    assert yaml.safe_load(f"title: {yaml_string(text)}\n") == {"title": text}


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_markdown_escaping_leaves_no_math_or_markup(text):
    escaped = markdown_text(text)
    assert not math_of_markdown(escaped)
    for ch in "*_`[]<>$#|":
        assert all(escaped[i - 1] == "\\" for i, c in enumerate(escaped) if c == ch)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_tex_escaping_leaves_no_command_or_group(text):
    for unicode_engine in (False, True):
        escaped = tex_text(text, unicode_engine=unicode_engine)
        plain = escaped.replace(r"\{", "").replace(r"\}", "")
        assert plain.count("{") == plain.count("}")
        assert "%" not in escaped.replace(r"\%", "") and "$" not in escaped.replace(r"\$", "")
        assert "\n" not in escaped


@pytest.fixture(scope="module")
def hostile_model():
    spec = catalog()["poisson"]
    return lambda title: derive(build_model(spec.with_title(title)))


@pytest.mark.parametrize("lang,engine", [("en", "pdflatex"), ("zh", "xelatex")])
def test_hostile_titles_compile_as_text_and_run_nothing(hostile_model, lang, engine, tmp_path):
    for i, title in enumerate(HOSTILE):
        source = render(hostile_model(title), "tex", lang, date="2025-08-18")
        log = compile_tex(source, engine, tmp_path / str(i))
        assert "/etc/passwd" not in log.replace(r"\input{/etc/passwd}", "")
        assert not (tmp_path / str(i) / "pwned").exists()


@pytest.mark.parametrize("title", [r"\input{/etc/passwd} 100% & $x$ #1 {a} ~_^", r"\write18{touch pwned}"])
def test_a_hostile_title_prints_literally_in_the_pdf(hostile_model, title, tmp_path):
    import shutil

    from renderers import require

    compile_tex(render(hostile_model(title), "tex", "en", date="2025-08-18"), "pdflatex", tmp_path)
    require("pdftotext", shutil.which("pdftotext") is not None)
    done = subprocess.run(["pdftotext", "-l", "1", "doc.pdf", "-"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=60)
    printed = " ".join(done.stdout.split())
    assert title in printed, printed[:300]
    assert not (tmp_path / "pwned").exists()


def test_hostile_titles_in_markdown_stay_text(hostile_model):
    for title in HOSTILE:
        text = render(hostile_model(title), "md", "en", date="2025-08-18")
        front = yaml.safe_load(text.split("---\n")[1])
        assert front["title"] == "Fisher information matrix: " + title
        body = text.split("\n---\n", 1)[1]
        assert f"“{markdown_text(title)}”" in body and "49" not in body
        ours = render(hostile_model(""), "md", "en", date="2025-08-18").split("\n---\n", 1)[1]
        # the title adds no math of its own: the body's math is exactly the untitled document's
        assert math_of_markdown(body) == math_of_markdown(ours)


def test_markdown_of_every_language_renders_in_katex_with_a_hostile_title(hostile_model):
    items = []
    for lang in ("zh", "en"):
        items += math_of_markdown(render(hostile_model(HOSTILE[0]), "md", lang, date="2025-08-18"))
        items += math_of_markdown(render(hostile_model(HOSTILE[0]), "notebook", lang, date="2025-08-18"))
    assert not katex_failures(items)


def test_entries_found_only_numerically_are_said_so_with_their_values():
    d = derive(build_model(catalog()["student_t"]), seconds=1e-3)
    missing = [(j, k) for j, row in enumerate(d.fisher) for k, e in enumerate(row) if e is None and j <= k]
    assert missing
    text = render(d, "md", "en", date="2025-08-18")
    for j, k in missing:
        check = d.fisher_score_route[j][k].check
        for point, value in zip(check.points, check.numeric):
            assert f"at ${', '.join(f'{n} = {v}' for n, v in point)}$ it is ${_number(value)}$".replace(
                "nu =", r"\nu =").replace("mu =", r"\mu =").replace("sigma =", r"\sigma =") in text
            assert abs(float(_number(value)) - value.real) <= 1e-5 * max(1, abs(value.real))
    assert text.count("was not derived symbolically") == len(missing)
    assert not katex_failures(math_of_markdown(text))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_irregular_and_non_smooth_models_are_stated_honestly(derived, lang):
    words = yaml.safe_load((WORDING / f"{lang}.yaml").read_text(encoding="utf-8"))
    uniform = render(derived("uniform"), "md", lang, date="2025-08-18")
    assert words["status"]["unknown"] in uniform               # the interchange step is marked
    assert words["sections"]["comparison"] in uniform and words["sections"]["agreement"] not in uniform
    assert r"\neq" in uniform
    laplace = render(derived("laplace"), "md", lang, date="2025-08-18")
    assert words["rules"]["point-mass"] in laplace and r"\mathbf{H}^{\delta}" in laplace
    normal = render(derived("normal"), "md", lang, date="2025-08-18")
    assert words["status"]["unknown"] not in normal and words["sections"]["agreement"] in normal


def test_user_templates_come_first(derived, tmp_path):
    (tmp_path / "wording").mkdir()
    table = yaml.safe_load((WORDING / "en.yaml").read_text(encoding="utf-8"))
    table["sections"]["preface"] = "Before we start"
    (tmp_path / "wording" / "en.yaml").write_text(yaml.safe_dump(table, allow_unicode=True), encoding="utf-8")
    (tmp_path / "formats").mkdir()
    (tmp_path / "formats" / "md.j2").write_text(
        (ROOT / "templates" / "formats" / "md.j2").read_text(encoding="utf-8").replace('{{ "#" * level }}',
                                                                                       '{{ "#" * (level + 1) }}'),
        encoding="utf-8")
    text = render(derived("poisson"), "md", "en", date="2025-08-18", templates=tmp_path)
    assert "\n## Before we start\n" in text and "\n# " not in text.split("---\n", 2)[2]
    assert render(derived("poisson"), "md", "zh", date="2025-08-18", templates=tmp_path).count("## 前言") == 1


@pytest.mark.parametrize("template,message", [
    ("{{ no_such_name }}", "no_such_name"),
    ("{% if %}", "line 1"),
    ("{{ say('no.such.entry') }}", "no.such.entry"),
])
def test_broken_templates_are_one_line_render_errors(derived, tmp_path, template, message):
    (tmp_path / "document.md.j2").write_text(template, encoding="utf-8")
    with pytest.raises(RenderError) as info:
        render(derived("poisson"), "md", "en", date="2025-08-18", templates=tmp_path)
    assert message in info.value.one_line() and "\n" not in info.value.one_line()


#: Ways a template reaches Python's internals (issue 13: a template pack passed between colleagues).
ESCAPES = [
    "{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ say.__globals__ }}",
    "{{ doc.__class__ }}",
    "{% set x = lipsum.__globals__ %}{{ x }}",
]


@pytest.mark.parametrize("payload", ESCAPES)
def test_user_templates_are_sandboxed(derived, tmp_path, monkeypatch, payload):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "document.md.j2").write_text("title\n" + payload, encoding="utf-8")
    with pytest.raises(RenderError) as info:
        render(derived("poisson"), "md", "en", date="2025-08-18", templates=tmp_path / "pack")
    line = info.value.one_line()
    assert "document.md.j2, line 2" in line and "sandbox" in line and "\n" not in line
    assert not (tmp_path / "PWNED").exists()


def test_user_wording_is_sandboxed(derived, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "wording").mkdir()
    table = yaml.safe_load((WORDING / "en.yaml").read_text(encoding="utf-8"))
    table["sections"]["preface"] = "{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}"
    (tmp_path / "wording" / "en.yaml").write_text(yaml.safe_dump(table, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RenderError) as info:
        render(derived("poisson"), "md", "en", date="2025-08-18", templates=tmp_path)
    assert "sandbox" in info.value.one_line()
    assert not (tmp_path / "PWNED").exists()


def test_the_sandbox_refusal_on_the_command_line(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "document.md.j2").write_text(ESCAPES[0], encoding="utf-8")
    target = tmp_path / "doc.md"
    code = main(["derive", "--model", "poisson", "--format", "md", "-o", str(target),
                 "--templates", str(tmp_path / "pack")])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "refused by the sandbox" in err
    assert not target.exists() and not (tmp_path / "PWNED").exists()


def test_a_failed_run_leaves_the_previous_file_untouched(tmp_path, capsys):
    target = tmp_path / "doc.md"
    target.write_text("previous", encoding="utf-8")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "document.md.j2").write_text("{{ broken", encoding="utf-8")
    code = main(["derive", "--model", "poisson", "--format", "md", "-o", str(target),
                 "--templates", str(tmp_path / "bad")])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("symfisher: error: template") and len(err.strip().splitlines()) == 1
    assert target.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad", "doc.md"]


def test_documents_written_with_their_figures(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["derive", "--model", "poisson", "--format", "md", "--date", "2025-08-18"]) == 0
    assert sorted(p.name for p in (tmp_path / "output").iterdir()) == \
        ["poisson.convergence.png", "poisson.en.md", "poisson.loglik.png"]
    text = (tmp_path / "output" / "poisson.en.md").read_text(encoding="utf-8")
    assert "(poisson.loglik.png)" in text and "(poisson.convergence.png)" in text
    # the same figures as the committed example, byte for byte
    for name in ("poisson.loglik.png", "poisson.convergence.png"):
        assert (tmp_path / "output" / name).read_bytes() == (ROOT / "output" / name).read_bytes()


def test_write_atomic_keeps_the_old_file_when_the_rename_fails(tmp_path, monkeypatch):
    target = tmp_path / "doc.md"
    target.write_text("previous", encoding="utf-8")

    def refuse(src, dst):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OutputFileError, match="No space left"):
        write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "previous" and [p.name for p in tmp_path.iterdir()] == ["doc.md"]


def test_cli_writes_documents_into_output_by_default(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1755475200")        # 2025-08-18 00:00 UTC
    assert main(["derive", "--model", "poisson", "--format", "md", "--lang", "zh", "--no-figures"]) == 0
    assert capsys.readouterr().out.strip() == "wrote output/poisson.zh.md"
    written = (tmp_path / "output" / "poisson.zh.md").read_text(encoding="utf-8")
    assert written == (ROOT / "tests" / "golden" / "poisson.zh.md").read_text(encoding="utf-8")
    assert main(["derive", "--model", "poisson", "--format", "tex", "-o", "sub/dir/p.tex", "--no-figures"]) == 0
    assert (tmp_path / "sub" / "dir" / "p.tex").read_text(encoding="utf-8") == \
        (ROOT / "tests" / "golden" / "poisson.en.tex").read_text(encoding="utf-8")


@pytest.mark.parametrize("args,message", [
    (["--date", "2025-02-30"], "--date '2025-02-30'"),
    (["--lang", "fr"], "'fr' is not one of"),
    (["--templates", "missing-dir"], "not a directory"),
])
def test_cli_refuses_bad_document_options_and_writes_nothing(tmp_path, monkeypatch, capsys, args, message):
    monkeypatch.chdir(tmp_path)
    assert main(["derive", "--model", "poisson", "--format", "md", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_document_date_sources(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert document_date().isoformat() == "1970-01-01"
    assert document_date("2024-02-29").isoformat() == "2024-02-29"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(RenderError, match="SOURCE_DATE_EPOCH"):
        document_date()


def test_output_is_byte_identical_across_processes(tmp_path):
    outputs = []
    for seed in ("1", "2"):
        done = subprocess.run([sys.executable, "-m", "symfisher", "derive", "--model", "gamma", "--format", "md",
                               "--lang", "zh", "-o", "-", "--date", "2025-08-18"], capture_output=True,
                              cwd=tmp_path, env={**os.environ, "PYTHONHASHSEED": seed}, timeout=300)
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] == (ROOT / "tests" / "golden" / "gamma.zh.md").read_bytes()


def test_a_notebook_shows_the_derivation_as_markdown(derived):
    text = derived("bernoulli")._repr_markdown_()
    assert text.startswith("# Fisher information matrix: Bernoulli distribution\n")
    assert "---" not in text.splitlines()[0] and "published:" not in text
    assert r"\mathbf{F} = \begin{bmatrix} \frac{1}{p \left(1 - p\right)} \end{bmatrix}" in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_unused_constant_is_mentioned(lang):
    from symfisher import parse_model

    model = parse_model(r"\lambda e^{-\lambda x}", [(r"\lambda", "positive")], support=r"(0,\infty)",
                        constants=[("c", "positive")])
    assert "unused-constant" in {d.code for d in model.diagnostics}
    text = render(derive(model), "md", lang, date="2025-08-18")
    words = yaml.safe_load((WORDING / f"{lang}.yaml").read_text(encoding="utf-8"))
    assert words["model"]["unused_constants"].split("$")[0] in text and "$c$" in text
    assert not katex_failures(math_of_markdown(text))


def test_a_failing_optional_part_is_left_out_with_a_diagnostic_and_the_rest_is_written(monkeypatch, tmp_path):
    """The KL part raising (as the logarithmic distribution's exact KL once did) leaves the rest intact."""
    from symfisher.derive import results
    from symfisher.render import figures

    def broken(*args, **kwargs):
        raise ArithmeticError("the sum does not converge within 200,000 terms")
    monkeypatch.setattr(results, "kl_divergence", broken)
    d = derive(build_model(catalog()["poisson"]))
    omitted = [x for x in d.diagnostics if x.code == "result-omitted"]
    assert [x.message for x in omitted] == ["KL: ArithmeticError: the sum does not converge within 200,000 terms"]
    assert not [s for s in d.sections if s.key == "results:kl"]
    assert [s for s in d.sections if s.key == "results:cramer-rao"]        # the other parts are still there
    text = render(d, "md", "en", date="2025-08-18")
    assert "These optional results failed and are left out:" in text and "200,000 terms" in text
    zh = render(d, "md", "zh", date="2025-08-18")
    assert "以下可选结果计算失败" in zh
    monkeypatch.setattr(figures, "_draw", broken)
    with pytest.warns(RuntimeWarning, match="figures are left out"):
        assert figures.draw(d, tmp_path, "poisson") == {}
    assert "were not established for this model: ." not in text and "KL divergence" not in text.split(
        "What follows from the Fisher matrix")[1]
