"""Figures for the write-ups, drawn from simulated samples with fixed seeds (byte-identical PNGs).

- ``loglik``: the average log-likelihood of a sample around the true θ₀, one
  panel per parameter, beside the parabola s̄_j Δ − ½ F_jj Δ² (Δ = θ_j − θ₀_j):
  the sample's own slope at θ₀ and the curvature the Fisher matrix predicts.
- ``convergence``: the empirical Fisher matrix (1/n) Σ s sᵀ at θ₀ as the sample
  grows, converging to the entries of F (dashed).

Samples come from the model itself by inverting its distribution function on a
fine grid (any density symfisher accepts, discrete or continuous).
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import numpy as np
import sympy as sp

from symfisher import numeric
from symfisher.derive.results import simulate
from symfisher.model.model import SEED
from symfisher.render.output import write_atomic_bytes

#: The figures a write-up can have, and the file name of each (beside the document).
FIGURES = ("loglik", "convergence")
SAMPLE_SIZE = 4000
NAME_MAX = 255                  # bytes in a file name on Linux, macOS and Windows file systems


def sample_model(model, point: dict, size: int, rng: np.random.Generator) -> np.ndarray:
    """A sample of the model at ``point`` (see :func:`symfisher.derive.results.simulate`)."""
    return simulate(model, point, size, rng)


def draw(derivation, directory: str | Path, stem: str) -> dict[str, str]:
    """Write the figures of ``derivation`` as ``directory/stem.NAME.png``; {name: file name}.

    The figures are optional: if drawing fails, none is returned (the document is
    written without them) and a one-line warning says why.
    """
    try:
        return _draw(derivation, directory, _short_stem(stem))
    except Exception as exc:    # noqa: BLE001 - an optional part never takes the document down
        warnings.warn(f"symfisher: the figures are left out: {type(exc).__name__}: {' '.join(str(exc).split())}",
                      RuntimeWarning, stacklevel=2)
        return {}


def _short_stem(stem: str) -> str:
    """``stem``, shortened (with a digest, so two long names stay apart) when a figure's name would pass 255 bytes."""
    room = NAME_MAX - max(len(f".{figure}.png") for figure in FIGURES)
    if len(stem.encode("utf-8")) <= room:
        return stem
    import hashlib

    digest = hashlib.sha256(stem.encode("utf-8")).hexdigest()[:8]
    return stem.encode("utf-8")[:room - 9].decode("utf-8", "ignore") + "-" + digest


def _draw(derivation, directory: str | Path, stem: str) -> dict[str, str]:
    model = derivation.model
    if any(e is None for row in derivation.fisher for e in row) or not derivation.regular:
        return {}
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    plt.rcParams.update({"font.size": 9, "figure.dpi": 100, "svg.hashsalt": "symfisher", "path.simplify": False})
    rng = np.random.default_rng(SEED)
    point = model.sample_points(1)[0]
    theta = model.theta
    m = len(theta)
    sample = sample_model(model, point, SAMPLE_SIZE, rng)
    F = np.array([[float(sp.N(e.subs(point))) for e in row] for row in derivation.fisher])
    names = [f"${sp.latex(t)}$" for t in theta]
    out = {}

    # the log-likelihood around θ₀ and the curvature F predicts
    fig, axes = plt.subplots(1, m, figsize=(3.2 * m, 2.6), squeeze=False)
    log_p = sp.log(model.density)
    for j, t in enumerate(theta):
        centre = float(point[t])
        half = 2.5 / np.sqrt(F[j, j] * SAMPLE_SIZE)
        grid = np.linspace(centre - half, centre + half, 81)
        others = {s: v for s, v in point.items() if s != t}
        fn = numeric._compiled(log_p.subs(others), (model.variable, t))
        with np.errstate(all="ignore"):
            base = np.mean(np.real(fn(sample, centre)))
            curve = np.array([np.mean(np.real(fn(sample, v))) for v in grid]) - base
        ax = axes[0, j]
        ax.plot(grid, curve, color="#1f4e79", label=r"$\frac{1}{n}[\ell(\theta) - \ell(\theta_0)]$")
        slope = float(np.mean(np.real(numeric.function_of(derivation.score[j], model.variable, point)(sample))))
        ax.plot(grid, slope * (grid - centre) - 0.5 * F[j, j] * (grid - centre) ** 2, "--", color="#c0504d",
                label=r"$\bar{s}_j \Delta - \frac{1}{2} F_{jj} \Delta^2$")
        ax.axvline(centre, color="0.6", lw=0.8)
        ax.set_xlabel(names[j])
        if j == 0:
            ax.legend(loc="lower center", fontsize=7, frameon=False)
    fig.tight_layout()
    out["loglik"] = _save(fig, directory, f"{stem}.loglik.png")
    plt.close(fig)

    # the empirical Fisher matrix converging to F
    scores = np.stack([np.real(numeric.function_of(s, model.variable, point)(sample)) for s in derivation.score])
    sizes = np.unique(np.logspace(1, np.log10(SAMPLE_SIZE), 40).astype(int))
    fig, ax = plt.subplots(figsize=(5.2, 2.8))
    colours = ["#1f4e79", "#c0504d", "#4f8f3a", "#8064a2", "#f79646", "#4bacc6"]
    pairs = [(j, k) for j in range(m) for k in range(j, m)]
    for c, (j, k) in enumerate(pairs):
        running = np.array([np.mean(scores[j, :n] * scores[k, :n]) for n in sizes])
        colour = colours[c % len(colours)]
        ax.plot(sizes, running, color=colour, label=f"$F_{{{sp.latex(theta[j])} {sp.latex(theta[k])}}}$")
        ax.axhline(F[j, k], color=colour, ls="--", lw=0.8)
    ax.set_xscale("log")
    ax.set_xlabel("$n$")
    ax.legend(fontsize=7, frameon=False, ncol=min(3, len(pairs)))
    fig.tight_layout()
    out["convergence"] = _save(fig, directory, f"{stem}.convergence.png")
    plt.close(fig)
    return out


def _save(fig, directory: str | Path, name: str) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})     # no version or date: byte-identical
    write_atomic_bytes(Path(directory) / name, buffer.getvalue())
    return name
