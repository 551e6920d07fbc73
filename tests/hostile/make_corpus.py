"""Build tests/hostile/corpus.yaml: hostile and malformed inputs, each with the one-line error it must give.

    python tests/hostile/make_corpus.py     # then review the diff of corpus.yaml

Each case runs through the CLI; the recorded ``error`` is what symfisher says
today. The test replays every case and requires exactly that line, exit code 2,
no traceback, and no file created.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

LAMBDA = ["--param", r"\lambda:positive", "--support", r"(0,\infty)"]
GOOD = r"\lambda e^{-\lambda x}"


def density_cases():
    cases = []
    unbalanced = [r"\frac{1}{2", r"\frac{1}{2}}", r"\left( x \right", r"\left( x", r"x \right)", r"\sqrt{x",
                  r"e^{-x", r"(x", r"x)", r"[x", r"\lambda e^{-\lambda x", r"\lambda e^{-\lambda x}}",
                  r"\left[ x \right)", r"\left\{ x", r"{{x}", r"\frac{\lambda}{", r"\frac", r"\sqrt", r"x^",
                  r"x_"]
    cases += [("unbalanced", d) for d in unbalanced]
    commands = [r"\input{/etc/passwd}", r"\include{x}", r"\write18{rm -rf /}", r"\immediate\write18{ls}",
                r"\def\x{1}\x", r"\catcode`\{=12", r"\csname x\endcsname", r"\expandafter x",
                r"\newcommand{\x}{1}", r"\renewcommand{\exp}{1}", r"\let\a\b", r"\openout1=x", r"\read16 to\x",
                r"\special{x}", r"\usepackage{x}", r"\documentclass{article}", r"\verb|x|", r"\url{x}",
                r"\href{x}{y}", r"\color{red} x", r"\mbox{x}", r"\hbox{x}", r"\relax x", r"\makeatletter",
                r"\directlua{os.exit()}", r"\foo x", r"\lambdaa x", r"\mathbb{x}", r"\begin{document}",
                r"\end{document}", r"\jobname", r"\loop x", r"\global x", r"\string x", r"\the x"]
    cases += [("unknown-command", d) for d in commands]
    cases += [("empty", d) for d in ["", " ", "\t", "\n\n", r"\,", r"\quad", "{}", "{ }", "()", r"\left(\right)"]]
    unicode = ["\u202e" + GOOD, GOOD + "\u200b", GOOD + "\u200f", "\u00a0" + GOOD, GOOD + "\ufeff",
               GOOD.replace("x", "х"), GOOD + "\x07", GOOD + "\x00", GOOD + "\u2028", "λ e^{-λ x}\u0301",
               GOOD + " 😀", GOOD + "\u3000", "\u2066" + GOOD + "\u2069", GOOD + "\x1b[31m", "\ud800" if False else
               GOOD + "\u0000"]
    cases += [("unicode", d) for d in unicode]
    python = ["__import__('os').system('touch pwned')", "lambda: 0", "exec('1')", "eval('1+1')",
              "open('/etc/passwd').read()", "().__class__.__bases__[0].__subclasses__()", "import os",
              "os.system('ls')", "print(1)", "[x for x in range(10)]", "x if x else y", "globals()",
              "__builtins__", "sympy.exp(x)", "Symbol('x')", "x**2 # comment", "x; import os", "`ls`",
              "$(touch pwned)", "x && rm -rf /"]
    cases += [("python", d) for d in python]
    jinja = ["{{ 7*7 }}", "{% if true %}x{% endif %}", "{{ config }}", "{# c #} x", "{{ ''.__class__ }}",
             "{% for i in range(9) %}x{% endfor %}"]
    cases += [("jinja", d) for d in jinja]
    not_density = [(r"-\lambda e^{-\lambda x}", "negative"), (r"\lambda", "no variable"), ("0", "zero"),
                   (r"\lambda x", "not normalizable"), (r"2 \lambda e^{-\lambda x}", "integrates to 2"),
                   (r"\lambda e^{\lambda x}", "diverges"), (r"\lambda \sin(x) e^{-\lambda x}", "sign"),
                   (r"\frac{1}{x}", "no lambda"), (r"\lambda e^{-\lambda y}", "undeclared y"),
                   (r"\lambda e^{-\mu x}", "undeclared mu"), (r"\sqrt{-\lambda} e^{-x}", "not real"),
                   (r"\log(x - 5) \lambda e^{-\lambda x}", "not real on support")]
    cases += [("not-a-density", d) for d, _ in not_density]
    cases += [("size", "x" * 1_000_000), ("size", r"\frac{1}{" * 1000 + "x" + "}" * 1000),
              ("size", "(" * 5000 + "x" + ")" * 5000), ("size", "x^" * 2000 + "2"),
              ("size", " + ".join([r"\lambda x"] * 3000)), ("size", "{" * 20000 + "}" * 20000)]
    return [(group, ["parse", d, *LAMBDA]) for group, d in cases]


def declaration_cases():
    cases = []
    supports = [r"(1,0)", r"\{\}", r"[0,1", r"(0,", r"0,1)", r"(a,b)", r"(0,\infty", r"[\infty, 0]",
                r"\{1,2", r"\{0, 0.5, 1\}", r"\{1,\dots\}", r"(x, 1)", "", r"\mathbb{Q}", r"(0,1)(2,3)",
                r"\{0,2,\dots,10\}", r"(\lambda, \lambda)", r"[1,1)", r"(-\infty,-\infty)", r"\{a,b\}"]
    cases += [("support", ["parse", GOOD, "--param", r"\lambda:positive", "--support", s]) for s in supports]
    params = [
        ["--param", r"\lambda:positive", "--param", r"\lambda:positive"],
        ["--param", r"\lambda:positive", "--param", "x:real"],
        ["--param", r"\lambda:positve"],
        ["--param", r"\lambda:positive", "--param", r"\mu:real"],
        ["--param", ":positive"],
        ["--param", r"\lambda:positive", "--const", r"\lambda:positive"],
        ["--param", r"\lambda e:positive"],
        ["--param", r"\frac{1}{2}:positive"],
        ["--param", r"\lambda:positive", "--var", r"\lambda"],
        ["--param", r"\lambda:positive", "--var", ""],
        ["--param", r"\lambda:positive", "--var", "x y"],
        [],
        ["--param", r"\lambda:positive:real"],
        ["--param", r"\lambda:Positive"],
        ["--param", "__import__('os'):real"],
    ]
    cases += [("declaration", ["parse", GOOD, *p, "--support", r"(0,\infty)"]) for p in params]
    cases += [("sources", ["parse", GOOD, "--model", "normal"]), ("sources", ["parse", "--model", "nromal"]),
              ("sources", ["parse", "--model", "../../etc/passwd"]), ("sources", ["parse"]),
              ("sources", ["derive", "--model", "{{ 7*7 }}"]), ("options", ["derive", "--model", "poisson",
                                                                          "--date", "2025-02-30"]),
              ("options", ["derive", "--model", "poisson", "--lang", "fr"]),
              ("options", ["derive", "--model", "poisson", "--format", "docx"]),
              ("options", ["--timeout", "-1", "parse", "--model", "poisson"]),
              ("options", ["--timeout", "abc", "parse", "--model", "poisson"]),
              ("options", ["booklet", "--only", "nope"]), ("options", ["nosuchcommand"])]
    return cases


def file_cases():
    files = {
        "yaml-bomb": "a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: &c [*b, *b, *b]\n",
        "yaml-not-mapping": "- just\n- a list\n",
        "yaml-scalar": "just text\n",
        "yaml-python-tag": "density: !!python/object/apply:os.system ['touch pwned']\n",
        "yaml-bad": "density: [unclosed\n",
        "yaml-unknown-key": "density: x\nparameters: [x: real]\nexploit: 1\n",
        "yaml-missing-density": "parameters: [\\lambda: positive]\n",
        "yaml-density-number": "density: 3\nparameters: [\\lambda: positive]\n",
        "yaml-params-string": "density: \\lambda e^{-\\lambda x}\nparameters: lambda\n",
        "yaml-tags-not-list": "density: \\lambda e^{-\\lambda x}\nparameters: [\\lambda: positive]\ntags: 3\n",
        "yaml-binary": b"\xff\xfe\x00bad",
        "toml-bad": "density = \n",
        "empty": "",
        "yaml-reparam-bad": "density: \\lambda e^{-\\lambda x}\nparameters: [\\lambda: positive]\n"
                            "support: (0,\\infty)\nreparametrization: {parameters: [b: positive]}\n",
        "yaml-reparam-missing": "density: \\lambda e^{-\\lambda x}\nparameters: [\\lambda: positive]\n"
                                "support: (0,\\infty)\nreparametrization:\n  parameters: [b: positive]\n  theta: {}\n",
        "yaml-huge": "density: " + "x" * 1_100_000 + "\n",
    }
    suffix = {"toml-bad": ".toml"}
    cases = [("model-file", ["parse", "--file", f"{name}{suffix.get(name, '.yaml')}"], {f"{name}"
              f"{suffix.get(name, '.yaml')}": text}) for name, text in files.items()]
    cases.append(("model-file", ["parse", "--file", "missing.yaml"], {}))
    proofs = {
        "unterminated-dollars": "$$\na = b\n",
        "unterminated-brackets": "\\[ a = b\n",
        "unterminated-env": "\\begin{align} a = b\n",
        "front-matter-open": "---\ntitle: x\n$$a=b$$\n",
        "front-matter-list": "---\n- a\n---\n$$a=b$$\n",
        "front-matter-bad-yaml": "---\ntitle: [\n---\n$$a=b$$\n",
        "front-matter-bomb": "---\na: &a [x]\nb: [*a, *a]\n---\n$$a=b$$\n",
        "model-not-density": "---\nmodel:\n  density: \\lambda\n  parameters: [\\lambda: positive]\n---\n$$a=b$$\n",
        "model-not-mapping": "---\nmodel: 3\n---\n$$a=b$$\n",
        "model-bad-latex": "---\nmodel:\n  density: \\frac{1}{\n  parameters: [\\lambda: positive]\n---\n",
        "binary": b"$$\xff\xfe = 1$$",
        "second-unterminated": "$$a = b$$\n\n$$\nc = d\n",
    }
    cases += [("proof", ["check", f"{name}.md"], {f"{name}.md": text}) for name, text in proofs.items()]
    data = {"data-text": "x\nabc\n", "data-empty": "", "data-nan": "x\n1\nnan\n", "data-outside": "x\n-1\n",
            "data-column": "a,b\n1,2\n"}
    extra = {"data-column": ["--column", "z"]}
    cases += [("data", ["empirical", "--model", "exponential", "--data", f"{name}.csv", *extra.get(name, [])],
               {f"{name}.csv": text}) for name, text in data.items()]
    return cases


def bound_cases():
    """Issue 13, points 2-3: numbers and supports too large to build, refused in one line before any time or
    memory is spent (each once took minutes or gigabytes)."""
    geometric = ["--param", "p:unit"]
    densities = [r"1000000! \lambda e^{-\lambda x}", r"10^{10^{10}} \lambda e^{-\lambda x}",
                 r"\Gamma(10^{9}) \lambda e^{-\lambda x}", r"(10^{8})! \lambda e^{-\lambda x}",
                 r"\frac{\lambda e^{-\lambda x}}{2^{2^{40}}}", r"\lambda e^{-\lambda x} e^{e^{e^{e^{100}}}}",
                 r"\lambda e^{-\lambda x} ((1+x)^{10000})^{10000}"]
    cases = [("bounds", ["--timeout", "1", "parse", d, *LAMBDA]) for d in densities]
    cases += [("bounds", ["parse", r"\frac{(1-p)p^x}{1-p^{1000000001}}", *geometric, "--support", r"\{0,1,\dots\}"]),
              ("bounds", ["parse", "(1-p)p^x", *geometric, "--support", r"\{0,1,\dots,100000000\}"]),
              ("bounds", ["parse", "(1-p)p^x", *geometric, "--support", r"\{0,1,\dots,1000000000\}"])]
    return [(group, args, {}) for group, args in cases]


def run(args, files) -> tuple[int, str, list[str]]:
    from symfisher.cli import main

    with tempfile.TemporaryDirectory() as tmp:
        cwd = os.getcwd()
        os.chdir(tmp)
        try:
            for name, text in files.items():
                Path(name).write_bytes(text.encode("utf-8", "surrogateescape") if isinstance(text, str) else text)
            before = set(os.listdir("."))
            err, out = io.StringIO(), io.StringIO()
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
                code = main(list(args))
            created = sorted(set(os.listdir(".")) - before)
        finally:
            os.chdir(cwd)
    return code, err.getvalue(), created


def main() -> int:
    cases = [(g, a, {}) for g, a in density_cases()] + [(g, a, {}) for g, a in declaration_cases()] + file_cases() + bound_cases()
    corpus = []
    for number, (group, args, files) in enumerate(cases, start=1):
        try:
            code, err, created = run(args, files)
        except BaseException as exc:  # noqa: BLE001 - a crash is what this script looks for
            code, err, created = -1, f"Traceback: {type(exc).__name__}: {exc}", []
        lines = [line for line in err.splitlines() if line.strip()]
        corpus.append({"id": f"{number:03d}-{group}", "args": list(args), "files": files,
                       "exit": code, "error": lines[0] if lines else ""})
        if code != 2 or "Traceback" in err or created:
            print(f"CHECK {number} {group}: exit {code}, created {created}: {err[:200]!r}")
    (HERE / "corpus.yaml").write_text(
        "# Hostile and malformed inputs and the one-line error each must give (made by make_corpus.py).\n"
        + yaml.safe_dump(corpus, allow_unicode=False, sort_keys=False, width=120), encoding="utf-8")
    print(f"{len(corpus)} cases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
