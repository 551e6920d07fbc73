"""The command line: model input three ways, JSON output, and bad input handling."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sympy as sp

from symfisher.cli import main

NORMAL = r"\frac{1}{\sqrt{2\pi\sigma^2}} e^{-\frac{(x-\mu)^2}{2\sigma^2}}"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def parse_json(capsys, *args: str) -> dict:
    code, out, err = run(capsys, "parse", *args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def test_parse_json_has_the_documented_keys(capsys):
    data = parse_json(capsys, NORMAL, "--param", r"\mu:real", "--param", r"\sigma:positive")
    assert {"variable", "parameters", "constants", "support", "discrete", "density", "diagnostics"} <= set(data)
    assert data["variable"] == "x" and data["parameters"] == ["mu", "sigma"]
    assert data["constants"] == [] and data["discrete"] is False and data["diagnostics"] == []
    assert set(data["density"]) >= {"latex", "srepr"}
    x = sp.Symbol("x", real=True)
    mu, sigma = sp.Symbol("mu", real=True), sp.Symbol("sigma", positive=True)
    expected = sp.exp(-(x - mu) ** 2 / (2 * sigma ** 2)) / sp.sqrt(2 * sp.pi * sigma ** 2)
    assert data["density"]["srepr"] == sp.srepr(expected)


def test_parameters_keep_the_given_order(capsys):
    data = parse_json(capsys, NORMAL, "--param", r"\sigma:positive", "--param", r"\mu:real")
    assert data["parameters"] == ["sigma", "mu"]


def test_subscripted_and_greek_names(capsys):
    data = parse_json(capsys, r"\frac{1}{\pi\gamma\left[1+\left(\frac{x-x_0}{\gamma}\right)^2\right]}",
                      "--param", "x_0:real", "--param", r"\gamma:positive")
    assert data["parameters"] == ["x_0", "gamma"]
    assert "EulerGamma" not in data["density"]["srepr"]


def test_discrete_model_with_constant(capsys):
    data = parse_json(capsys, r"\binom{n}{x}p^x(1-p)^{n-x}", "--param", "p:unit", "--const", "n:positive_integer",
                      "--support", r"\{0,1,\dots,n\}")
    assert data["discrete"] is True and data["constants"] == ["n"]
    n = sp.Symbol("n", integer=True, positive=True)
    assert data["support"]["kind"] == "integers" and data["support"]["upper"]["srepr"] == sp.srepr(n)


def test_moving_support_diagnostic_in_json(capsys):
    data = parse_json(capsys, r"\frac{1}{\theta}", "--param", r"\theta:positive", "--support", r"(0,\theta)")
    assert [d["code"] for d in data["diagnostics"]] == ["support-depends-on-parameter"]


YAML_FILE = r"""
title: Normal
density: \frac{1}{\sqrt{2\pi\sigma^2}} e^{-\frac{(x-\mu)^2}{2\sigma^2}}
variable: x
parameters:
  - \mu: real
  - \sigma: positive
constants: {}
support: (-\infty, \infty)
"""

TOML_FILE = r"""
title = "Normal"
density = '\frac{1}{\sqrt{2\pi\sigma^2}} e^{-\frac{(x-\mu)^2}{2\sigma^2}}'
variable = "x"
parameters = ['\mu:real', '\sigma:positive']
support = '(-\infty, \infty)'
"""


def test_flags_yaml_and_toml_give_the_same_model(capsys, tmp_path):
    (tmp_path / "m.yaml").write_text(YAML_FILE, encoding="utf-8")
    (tmp_path / "m.toml").write_text(TOML_FILE, encoding="utf-8")
    flags = parse_json(capsys, NORMAL, "--param", r"\mu:real", "--param", r"\sigma:positive", "--title", "Normal")
    from_yaml = parse_json(capsys, "--file", str(tmp_path / "m.yaml"))
    from_toml = parse_json(capsys, "--file", str(tmp_path / "m.toml"))
    assert flags == from_yaml == from_toml


def test_catalogue_model_by_name(capsys):
    data = parse_json(capsys, "--model", "poisson")
    assert data["parameters"] == ["lambda"] and data["discrete"] is True


def test_text_format_is_readable(capsys):
    code, out, _ = run(capsys, "parse", "--model", "normal")
    assert code == 0
    assert "parameters   \\mu (real), \\sigma (positive)" in out
    assert "normalized   proved symbolically" in out


# --- bad input: one line, exit 2, no traceback, nothing written ---------------------------------

BAD = [
    ("parse", r"\frac{1}{\sigma", "--param", r"\sigma:positive"),
    ("parse", r"\lambda e^{-\lambda y}", "--param", r"\lambda:positive", "--support", r"(0,\infty)"),
    ("parse", "x", "--param", r"\mu:real", "--param", r"\mu:real"),
    ("parse", "x", "--param", r"\mu:reel"),
    ("parse", r"e^{-\lambda x}", "--param", r"\lambda:positive", "--support", r"(0,\infty)"),
    ("parse", "--model", "nosuchmodel"),
    ("parse", "--file", "/nonexistent/model.yaml"),
    ("parse",),
    ("parse", "--bogus-option"),
    ("parse", NORMAL, "--model", "normal"),
    ("nosuchcommand",),
]


@pytest.mark.parametrize("args", BAD, ids=[" ".join(a)[:40] for a in BAD])
def test_bad_input_is_one_line_exit_2(capsys, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *args)
    assert code == 2
    assert out == ""
    first, *rest = err.splitlines()
    assert first.startswith("symfisher: error: ") and len(first) < 400
    assert "Traceback" not in err
    # only the LaTeX excerpt and its caret may follow the message
    assert len(rest) in (0, 2) and (not rest or rest[1].strip() == "^")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("content, fragment", [
    ("- just\n- a list\n", "must be a mapping"),
    ("density: x\n", "'parameters' is required"),
    ("density: x\nparameters: [a: real]\ncolour: red\n", "unknown key 'colour'"),
    ("density: [1, 2]\nparameters: [a: real]\n", "'density' must be text"),
    ("a: &a [1]\nb: *a\n", "aliases are not allowed"),
    ("density: {\n", "invalid YAML at line"),
    ("density: x\nparameters: 3\n", "must be a list or a mapping"),
])
def test_bad_model_files(capsys, tmp_path, content, fragment):
    path = tmp_path / "m.yaml"
    path.write_text(content, encoding="utf-8")
    code, _, err = run(capsys, "parse", "--file", str(path))
    assert code == 2 and fragment in err.splitlines()[0]


def test_debug_shows_the_traceback(capsys):
    from symfisher.errors import ParseError
    with pytest.raises(ParseError):
        main(["--debug", "parse", r"\frac{1}{", "--param", "a:real"])


def test_console_script_exit_code_and_stderr():
    """The real process: `python -m symfisher` behaves like the console script."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    bad = subprocess.run([sys.executable, "-m", "symfisher", "parse", r"\frac{1}{", "--param", "a:real"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert bad.returncode == 2 and bad.stdout == "" and "Traceback" not in bad.stderr
    assert bad.stderr.splitlines()[0].startswith("symfisher: error: density, column 9: '{' is never closed")
    good = subprocess.run([sys.executable, "-m", "symfisher", "parse", "--model", "exponential", "--format", "json"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert good.returncode == 0 and json.loads(good.stdout)["parameters"] == ["lambda"]


# --- issue 11: refusals of the validation, exact line and exit code 2 ---------------------------

@pytest.mark.parametrize("args, line", [
    ([r"\lambda e^{-\lambda x}", "--param", r"\lambda:positive", "--support", "(0,10)"],
     "symfisher: error: the density integrates to 0.63212056, not 1, over the support (lambda = 1/10)"),
    ([r"\frac{1}{N}", "--param", "N:positive_integer", "--support", r"\{1,2,\dots,N\}"],
     "symfisher: error: the parameter N has an integer domain (positive_integer): the score and Fisher "
     "information differentiate in θ, so N must be a constant (--const) or take a continuous domain"),
])
@pytest.mark.parametrize("command", ["parse", "derive"])
def test_invalid_models_are_refused_in_one_line(capsys, tmp_path, monkeypatch, command, args, line):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, command, *args)
    assert (code, out, err) == (2, "", line + "\n")
    assert list(tmp_path.iterdir()) == []


# --- issue 11: the whole-run deadline ------------------------------------------------------------

SKEW_LOGISTIC = [r"\frac{\alpha e^{-(x-\mu)/s}}{s(1+e^{-(x-\mu)/s})^{\alpha+1}}", "--param", r"\mu:real",
                 "--param", "s:positive", "--param", r"\alpha:positive", "--support", r"(-\infty,\infty)"]


def test_a_short_deadline_ends_a_slow_derivation_cleanly(capsys):
    """A 3-parameter skew logistic takes ~20 s here; with --deadline 2 what is left is 'not established', exit 0."""
    import time
    start = time.monotonic()
    code, out, err = run(capsys, "--deadline", "2", "derive", *SKEW_LOGISTIC, "--format", "json")
    elapsed = time.monotonic() - start
    assert code == 0, err
    data = json.loads(out)
    entries = [entry for row in data["fisher"] for entry in row]
    assert None in entries                                  # some entry was not derived symbolically
    reasons = [d["message"] for d in data["diagnostics"] if d["code"] == "fisher-entry-numeric"]
    assert reasons and all("the run's deadline of 2 s" in m for m in reasons)
    assert elapsed < 12, elapsed                            # the numeric cross-checks still run


@pytest.mark.parametrize("value", ["0", "-1", "abc"])
def test_a_bad_deadline_is_one_line(capsys, value):
    code, out, err = run(capsys, "--deadline", value, "parse", "--model", "poisson")
    assert code == 2 and out == "" and len(err.splitlines()) == 1 and "--deadline" in err


def test_the_deadline_applies_to_one_run_only(capsys):
    from symfisher import budget
    code, _, err = run(capsys, "--deadline", "30", "parse", "--model", "poisson")
    assert code == 0, err
    assert budget.remaining() is None
    code, _, _ = run(capsys, "--deadline", "30", "parse", r"\frac{1}{", "--param", "a:real")   # a failed run too
    assert code == 2 and budget.remaining() is None


# ---------------------------------------------------------------------------- failures that are not bad input

def test_an_internal_error_is_one_line_asking_for_a_report(capsys, monkeypatch):
    """A bug anywhere (here: the catalogue raising) is one line, exit 1; --debug shows the traceback."""
    import symfisher.cli as cli_module

    def broken():
        raise RuntimeError("something inside\nbroke")
    monkeypatch.setattr(cli_module, "catalog", broken)
    code, out, err = run(capsys, "catalog", "list")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("symfisher: internal error: RuntimeError: something inside broke")
    assert "report" in err and "Traceback" not in err
    with pytest.raises(RuntimeError):
        main(["--debug", "catalog", "list"])


def test_an_interrupt_is_one_line(capsys, monkeypatch):
    import symfisher.cli as cli_module

    def interrupted():
        raise KeyboardInterrupt
    monkeypatch.setattr(cli_module, "catalog", interrupted)
    code, _, err = run(capsys, "catalog", "list")
    assert code == 130 and err.strip() == "symfisher: interrupted"     # (click starts a new line after ^C)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_standard_output_is_one_line():
    """`derive … > /dev/full` (issue 13): one line naming the cause, exit 2, no traceback."""
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "symfisher", "derive", "--model", "exponential"],
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=300)
    assert done.returncode == 2
    assert done.stderr == "symfisher: error: cannot complete: No space left on device (standard output)\n"
