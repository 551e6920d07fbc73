"""Fuzz the engine with valid models: `symfisher derive` on each, tallied by how it ended.

The models are built, deterministically from a seed, out of textbook families
(the catalogue's densities and a few more) by operations that keep a density a
density of one variable:

- reparametrization of each parameter: θ → 1/θ, θ², e^θ, a + θ, 2θ, θ/(1+θ), a logistic;
- mixtures w p₁ + (1 − w) p₂ of two families with the same support (w a number or a parameter);
- location-scale versions σ⁻¹ p((x − μ)/σ) (scale only on (0, ∞));
- truncations with their normalizing constant (an exponential on (0, c), a zero-truncated Poisson);
- discrete families (Poisson, geometric, Bernoulli, binomial and negative binomial with literal counts).

Products of independent families are not a density of one x, so they are not among them.
Every model is valid: a run may end in a document, in a one-line error (exit 2,
e.g. a model the engine refuses with a reason), never in a traceback or an internal
error (exit 1). Each run has a per-operation ``--timeout`` and a whole-run
``--deadline``; a process still running past the deadline plus a grace is "over deadline".

    nice -n 10 python benchmarks/fuzz_models.py --count 200 --jobs 1
    python benchmarks/fuzz_models.py --count 20 --show        # print the models only

Printed, never asserted; tests/test_fuzz_models.py runs a small slice and asserts.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Family:
    """A textbook density with holes: ``@x`` for the variable, ``@0``, ``@1`` for its parameters.

    ``kinds`` are the parameters' natural domains (what a reparametrization must produce);
    ``support`` names a support class, so that mixtures only join families that share it.
    """

    name: str
    density: str
    kinds: tuple[str, ...]
    support: str


#: support class -> the support as typed on the command line
SUPPORTS = {"positive": r"(0,\infty)", "real": r"(-\infty,\infty)", "unit": "(0,1)", "counts": r"\{0,1,2,\dots\}",
            "counts1": r"\{1,2,3,\dots\}", "binary": r"\{0,1\}", "five": r"\{0,1,\dots,5\}",
            "twelve": r"\{0,1,\dots,12\}", "trunc": "(0,3)"}

FAMILIES = [
    Family("exponential", r"@0 e^{-@0 @x}", ("positive",), "positive"),
    Family("exponential-scale", r"\frac{1}{@0} e^{-@x/@0}", ("positive",), "positive"),
    Family("gamma", r"\frac{@1^{@0}}{\Gamma(@0)} @x^{@0-1} e^{-@1 @x}", ("positive", "positive"), "positive"),
    Family("gamma-shape-2", r"@0^2 @x e^{-@0 @x}", ("positive",), "positive"),
    Family("weibull-2", r"\frac{2 @x}{@0^2} e^{-(@x/@0)^2}", ("positive",), "positive"),
    Family("weibull", r"\frac{@0}{@1}\left(\frac{@x}{@1}\right)^{@0-1} e^{-(@x/@1)^{@0}}", ("positive", "positive"),
           "positive"),
    Family("rayleigh", r"\frac{@x}{@0^2} e^{-@x^2/(2@0^2)}", ("positive",), "positive"),
    Family("half-normal", r"\frac{\sqrt{2}}{@0\sqrt{\pi}} e^{-\frac{@x^2}{2@0^2}}", ("positive",), "positive"),
    Family("lognormal", r"\frac{1}{@x @1\sqrt{2\pi}} \exp\left(-\frac{(\ln @x-@0)^2}{2@1^2}\right)",
           ("real", "positive"), "positive"),
    Family("inverse-gaussian", r"\sqrt{\frac{@1}{2\pi @x^3}} \exp\left(-\frac{@1(@x-@0)^2}{2@0^2 @x}\right)",
           ("positive", "positive"), "positive"),
    Family("log-logistic", r"\frac{@0 @x^{@0-1}}{(1+@x^{@0})^2}", ("positive",), "positive"),
    Family("normal", r"\frac{1}{\sqrt{2\pi @1^2}} e^{-\frac{(@x-@0)^2}{2@1^2}}", ("real", "positive"), "real"),
    Family("normal-unit", r"\frac{1}{\sqrt{2\pi}} e^{-\frac{(@x-@0)^2}{2}}", ("real",), "real"),
    Family("laplace", r"\frac{1}{2@1} \exp\left(-\frac{|@x-@0|}{@1}\right)", ("real", "positive"), "real"),
    Family("logistic", r"\frac{e^{-(@x-@0)/@1}}{@1\left(1+e^{-(@x-@0)/@1}\right)^2}", ("real", "positive"), "real"),
    Family("cauchy", r"\frac{1}{\pi @1\left[1+\left(\frac{@x-@0}{@1}\right)^2\right]}", ("real", "positive"), "real"),
    Family("gumbel", r"\frac{1}{@1} e^{-\left(\frac{@x-@0}{@1} + e^{-\frac{@x-@0}{@1}}\right)}", ("real", "positive"),
           "real"),
    Family("student-t-3", r"\frac{2}{\pi\sqrt{3}\,@0}\left(1+\frac{1}{3}\left(\frac{@x}{@0}\right)^2\right)^{-2}",
           ("positive",), "real"),
    Family("beta", r"\frac{@x^{@0-1}(1-@x)^{@1-1}}{B(@0,@1)}", ("positive", "positive"), "unit"),
    Family("power", r"@0 @x^{@0-1}", ("positive",), "unit"),
    Family("kumaraswamy-1", r"@0 (1-@x)^{@0-1}", ("positive",), "unit"),
    Family("exponential-truncated", r"\frac{@0 e^{-@0 @x}}{1-e^{-3@0}}", ("positive",), "trunc"),
    Family("poisson", r"\frac{@0^@x e^{-@0}}{@x!}", ("positive",), "counts"),
    Family("geometric-0", r"@0(1-@0)^@x", ("unit",), "counts"),
    Family("negative-binomial-3", r"\binom{@x+2}{@x} @0^3 (1-@0)^@x", ("unit",), "counts"),
    Family("geometric", r"@0(1-@0)^{@x-1}", ("unit",), "counts1"),
    Family("poisson-zero-truncated", r"\frac{@0^@x e^{-@0}}{@x!\,(1-e^{-@0})}", ("positive",), "counts1"),
    Family("bernoulli", r"@0^@x (1-@0)^{1-@x}", ("unit",), "binary"),
    Family("binomial-5", r"\binom{5}{@x} @0^@x (1-@0)^{5-@x}", ("unit",), "five"),
    Family("binomial-12", r"\binom{12}{@x} @0^@x (1-@0)^{12-@x}", ("unit",), "twelve"),
]

#: a parameter's natural domain -> (the new parameter's domain, the LaTeX of θ in terms of it, name)
REPARAMETRIZATIONS = {
    "positive": [("positive", "{t}", "identity"), ("positive", r"\frac{1}{{t}}", "inverse"),
                 ("positive", "{t}^2", "square"), ("real", "e^{{t}}", "exp"), ("positive", "1+{t}", "shift"),
                 ("positive", "2{t}", "double"), ("positive", r"\sqrt{{t}}", "root")],
    "real": [("real", "{t}", "identity"), ("real", "1+{t}", "shift"), ("real", "2{t}", "double"),
             ("positive", r"\log {t}", "log"), ("real", "{t}^3", "cube")],
    "unit": [("unit", "{t}", "identity"), ("real", r"\frac{1}{1+e^{-{t}}}", "logistic"),
             ("positive", r"\frac{{t}}{1+{t}}", "odds"), ("unit", "{t}^2", "square"), ("unit", "1-{t}", "flip")],
}

NAMES = [r"\lambda", r"\mu", r"\sigma", r"\alpha", r"\beta", r"\theta", r"\eta", r"\tau", r"\kappa", r"\rho", "a",
         "b"]
WEIGHTS = [r"\frac{1}{2}", r"\frac{1}{3}", r"\frac{2}{5}", "0.3"]


@dataclass(frozen=True)
class FuzzModel:
    """One generated model: what `symfisher derive` is given, and how it was built."""

    recipe: str
    density: str
    params: tuple[str, ...]          # NAME:DOMAIN, in order
    support: str

    def args(self) -> list[str]:
        """The arguments of `symfisher derive` (before the output options)."""
        return ["derive", self.density, *(f"--param={p}" for p in self.params), "--support", self.support]


class _Builder:
    """Fills a family's holes with fresh (possibly reparametrized) parameters."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.names = rng.sample(NAMES, len(NAMES))
        self.params: list[str] = []

    def fresh(self, domain: str) -> str:
        name = self.names.pop()
        self.params.append(f"{name}:{domain}")
        return name

    def fill(self, family: Family, x: str = "x", reparametrize: bool = True) -> tuple[str, list[str]]:
        """The family's density with its parameters (reparametrized at random), and the recipe words."""
        text, words = family.density, []
        for index, kind in enumerate(family.kinds):
            domain, form, how = (self.rng.choice(REPARAMETRIZATIONS[kind]) if reparametrize
                                 else REPARAMETRIZATIONS[kind][0])
            value = form.replace("{t}", self.fresh(domain))
            # a compound value is parenthesized: it sits in powers, products and function arguments
            text = text.replace(f"@{index}", "{" + value + "}" if how == "identity" else "{(" + value + ")}")
            if how != "identity":
                words.append(how)
        return text.replace("@x", x), words


def generate(index: int, seed: int = 13) -> FuzzModel:
    """The ``index``-th model of the seeded stream (independent of how many are drawn)."""
    rng = random.Random(seed * 1_000_003 + index)
    builder = _Builder(rng)
    shape = rng.choices(["reparametrized", "mixture", "location-scale", "plain"], weights=[4, 3, 2, 1])[0]
    family = rng.choice(FAMILIES)
    if shape == "mixture":
        partners = [f for f in FAMILIES if f.support == family.support and len(f.kinds) + len(family.kinds) <= 3]
        if len(family.kinds) < 3 and partners:
            other = rng.choice(partners)
            first, w1 = builder.fill(family, reparametrize=rng.random() < 0.3)
            second, w2 = builder.fill(other, reparametrize=rng.random() < 0.3)
            if len(builder.params) < 3 and rng.random() < 0.4:
                weight = builder.fresh("unit")
            else:
                weight = rng.choice(WEIGHTS)
            density = f"{weight} {first} + (1-{weight}) {second}"
            recipe = f"mixture {family.name}+{other.name}" + (f" ({' '.join(w1 + w2)})" if w1 + w2 else "")
            return FuzzModel(recipe, density, tuple(builder.params), SUPPORTS[family.support])
        shape = "reparametrized"
    if shape == "location-scale" and family.support in ("real", "positive") \
            and len(family.kinds) + (2 if family.support == "real" else 1) <= 3:       # at most 3 parameters
        if family.support == "real":
            location, scale = builder.fresh("real"), builder.fresh("positive")
            x = r"\left(\frac{x-" + location + "}{" + scale + r"}\right)"
        else:
            scale = builder.fresh("positive")
            x = r"\left(\frac{x}{" + scale + r"}\right)"
        body, words = builder.fill(family, x=x, reparametrize=False)
        density = r"\frac{1}{" + scale + "} " + body
        return FuzzModel(f"location-scale {family.name}", density, tuple(builder.params), SUPPORTS[family.support])
    body, words = builder.fill(family, reparametrize=shape != "plain")
    recipe = f"{family.name}" + (f" ({' '.join(words)})" if words else "")
    return FuzzModel(recipe, body, tuple(builder.params), SUPPORTS[family.support])


def models(count: int, seed: int = 13, start: int = 0) -> list[FuzzModel]:
    """``count`` models of the seeded stream, from ``start``."""
    return [generate(i, seed) for i in range(start, start + count)]


#: how a run ended -> its order in the tally
OUTCOMES = ["ok", "one-line error", "internal error", "traceback", "over deadline", "other"]


def classify(code: int | None, err: str) -> str:
    """How a run ended, from its exit code (None: killed past the deadline) and standard error."""
    if code is None:
        return "over deadline"
    if "Traceback" in err:
        return "traceback"
    if code == 1 and "internal error" in err:
        return "internal error"
    lines = [line for line in err.splitlines() if line.strip()]
    if code == 0:
        return "ok"
    if code == 2 and lines and lines[0].startswith("symfisher: error:"):
        return "one-line error"
    return "other"


def run_one(model: FuzzModel, settings: list[str], grace: float, deadline: float,
            fmt: str) -> tuple[str, float, float, str]:
    """Run `symfisher derive` on one model in a fresh process.

    Returns:
        (outcome, wall seconds, CPU seconds of the process, first line of its standard error). CPU
        seconds tell a slow model from a loaded machine (the wall time of a niced run on shared cores).
    """
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as tmp:
        output = ["--format", "json", "-o", "-"] if fmt == "json" else ["--format", fmt, "-o", f"{tmp}/m.{fmt}"]
        with open(f"{tmp}/stdout", "wb") as out, open(f"{tmp}/stderr", "wb") as errors:
            start = time.perf_counter()
            child = subprocess.Popen([sys.executable, "-m", "symfisher", *settings, "--deadline", f"{deadline:g}",
                                      *model.args(), *output], stdout=out, stderr=errors, env=env, cwd=tmp)
            killer = threading.Timer(deadline + grace, child.kill)
            killer.start()
            _, status, usage = os.wait4(child.pid, 0)
            killed = not killer.is_alive()
            killer.cancel()
            child.returncode = os.waitstatus_to_exitcode(status)
            seconds = time.perf_counter() - start
        err = Path(f"{tmp}/stderr").read_text(encoding="utf-8", errors="replace")
    code = None if killed else child.returncode
    first = next((line for line in err.splitlines() if line.strip()), "")
    last = err.strip().splitlines()[-1] if err.strip() else ""
    return classify(code, err), seconds, usage.ru_utime + usage.ru_stime, first if "Traceback" not in err else last


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--start", type=int, default=0, help="index of the first model of the stream")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--jobs", type=int, default=1, help="models run at once (each in its own process)")
    parser.add_argument("--timeout", type=float, default=2.0, help="--timeout of each run (per operation)")
    parser.add_argument("--deadline", type=float, default=20.0, help="--deadline of each run (whole run)")
    parser.add_argument("--grace", type=float, default=60.0, help="wall seconds past the deadline before a kill (the machine may be loaded)")
    parser.add_argument("--format", default="json", choices=["json", "md", "tex"],
                        help="json: derivation and results; md/tex: also the document and its figures")
    parser.add_argument("--show", action="store_true", help="print the models and stop")
    options = parser.parse_args()
    batch = models(options.count, options.seed, options.start)
    if options.show:
        for number, model in enumerate(batch, options.start):
            print(f"{number:4} {model.recipe}\n     {' '.join(model.args()[1:])}")
        return 0
    settings = ["--timeout", f"{options.timeout:g}"]
    tally = {outcome: 0 for outcome in OUTCOMES}
    rows: list[tuple[int, FuzzModel, str, float, float, str]] = []

    def one(pair: tuple[int, FuzzModel]) -> tuple[int, FuzzModel, str, float, float, str]:
        number, model = pair
        return (number, model, *run_one(model, settings, options.grace, options.deadline, options.format))

    with ThreadPoolExecutor(options.jobs) as pool:
        for number, model, outcome, seconds, cpu, first in pool.map(one, enumerate(batch, options.start)):
            tally[outcome] += 1
            rows.append((number, model, outcome, seconds, cpu, first))
            mark = "" if outcome == "ok" else f"  {first[:150]}"
            print(f"{number:4} {outcome:15} {seconds:6.1f}s wall {cpu:5.1f}s cpu  {model.recipe}{mark}", flush=True)
            if outcome not in ("ok", "one-line error"):
                print(f"     {' '.join(model.args()[1:])}", flush=True)
    print(f"\n{len(rows)} models: " + ", ".join(f"{k} {v}" for k, v in tally.items()))
    for label, column in (("wall", 3), ("cpu", 4)):
        seconds = sorted(r[column] for r in rows)
        if seconds:
            print(f"{label} seconds: median {seconds[len(seconds) // 2]:.1f}, max {seconds[-1]:.1f}, "
                  f"total {sum(seconds):.0f}")
    print("slowest (cpu):")
    for number, model, outcome, secs, cpu, _ in sorted(rows, key=lambda r: -r[4])[:5]:
        print(f"  {number:4} {cpu:5.1f}s cpu {secs:6.1f}s wall {outcome:15} {model.recipe}: "
              f"{' '.join(model.args()[1:])}")
    errors: dict[str, int] = {}
    for *_, outcome, _, _, first in rows:
        if outcome == "one-line error":
            key = first.split(":", 2)[-1].strip()[:90]
            errors[key] = errors.get(key, 0) + 1
    if errors:
        print("one-line errors:")
        for key, n in sorted(errors.items(), key=lambda kv: -kv[1]):
            print(f"  {n:4} {key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
