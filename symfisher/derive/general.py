"""The two general proofs of the note, as step data in the note's own notation.

E[s] = 0 and F = −E[H] hold for every regular model; the interchange of ∇ and
∫ is where regularity enters, and its step says whether it holds for the model
at hand (the support must not depend on θ; for F = −E[H], log p must also be
twice differentiable in θ).
"""

from __future__ import annotations

from symfisher.derive.steps import Chain, Section, Status, Step, Tex

P = r"p(x|\theta)"
GRAD = r"\nabla_\theta"
E = r"\mathbb{E}_{p(x|\theta)}"


def _integral(body: str, discrete: bool) -> str:
    return rf"\sum_{{x}} {body}" if discrete else rf"\int {body} \, dx"


def _chain(key: str, links: list[tuple[str, str, Status, str]]) -> Chain:
    """Links (rhs, rule, status, detail) continuing from the first rhs."""
    steps = []
    previous = links[0][0]
    for rhs, rule, status, detail in links[1:]:
        steps.append(Step(Tex(previous), Tex(rhs), rule, status, detail))
        previous = rhs
    return Chain(key, tuple(steps))


def score_mean_proof(discrete: bool, regular: bool, failure: str = "") -> Chain:
    """E[s] = ∇∫p = ∇1 = 0, the interchange step carrying the regularity condition."""
    interchange = Status.PROVED if regular else Status.UNKNOWN
    return _chain("general:score-mean", [
        (rf"{E}[s(x|\theta)]", "", Status.PROVED, ""),
        (rf"{E}[{GRAD} \log {P}]", "definition-score", Status.PROVED, ""),
        (_integral(rf"{GRAD} \log {P} \, {P}", discrete), "definition-expectation", Status.PROVED, ""),
        (_integral(rf"\frac{{{GRAD} {P}}}{{{P}}} \, {P}", discrete), "log-derivative", Status.PROVED, ""),
        (_integral(rf"{GRAD} {P}", discrete), "cancel-density", Status.PROVED, ""),
        (rf"{GRAD} " + _integral(P, discrete), "differentiate-under-integral", interchange, failure),
        (rf"{GRAD} 1", "normalization", Status.PROVED, ""),
        (r"\mathbf{0}_{m \times 1}", "derivative-of-constant", Status.PROVED, ""),
    ])


def fisher_definition(discrete: bool) -> Chain:
    """F = E[s sᵀ] = E[∇log p ∇log pᵀ] ≈ (1/n) Σ s(xᵢ) s(xᵢ)ᵀ."""
    chain = _chain("general:fisher-definition", [
        (r"\mathbf{F}", "", Status.PROVED, ""),
        (rf"{E}[s(x|\theta) \, s(x|\theta)^T]", "definition-fisher", Status.PROVED, ""),
        (rf"{E}[{GRAD} \log {P} \, ({GRAD} \log {P})^T]", "definition-score", Status.PROVED, ""),
    ])
    last = Step(chain.steps[-1].rhs,
                Tex(rf"\frac{{1}}{{n}} \sum_{{i=1}}^{{n}} {GRAD} \log p(x_i|\theta) \, ({GRAD} \log p(x_i|\theta))^T"),
                "empirical-fisher", Status.PROVED, relation="≈")
    return Chain(chain.key, chain.steps + (last,))


def fisher_identity_proof(discrete: bool, regular: bool, smooth: bool, failure: str = "") -> Section:
    """H_{log p} = H_p/p − (∇p/p)(∇p/p)ᵀ, then E[H_{log p}] = H_{∫p} − F = −F."""
    differentiable = Status.PROVED if smooth else Status.UNKNOWN
    interchange = Status.PROVED if regular and smooth else Status.UNKNOWN
    ratio = rf"\left(\frac{{{GRAD} {P}}}{{{P}}}\right)"
    hessian = _chain("general:hessian-of-log", [
        (rf"\mathbf{{H}}_{{\log {P}}}", "", Status.PROVED, ""),
        (rf"\frac{{\partial}}{{\partial \theta}}\left(\frac{{\partial \log {P}}}{{\partial \theta}}\right)",
         "definition-hessian", Status.PROVED, ""),
        (rf"\frac{{\partial}}{{\partial \theta}}\left(\frac{{{GRAD} {P}}}{{{P}}}\right)", "log-derivative",
         Status.PROVED, ""),
        (rf"\frac{{\mathbf{{H}}_{{{P}}} \, {P} - {GRAD} {P} \, {GRAD} {P}^T}}{{{P} \, {P}}}", "quotient-rule",
         differentiable, "" if smooth else failure),
        (rf"\frac{{\mathbf{{H}}_{{{P}}} \, {P}}}{{{P}^2}} - \frac{{{GRAD} {P} \, {GRAD} {P}^T}}{{{P}^2}}",
         "split-fraction", Status.PROVED, ""),
        (rf"\frac{{\mathbf{{H}}_{{{P}}}}}{{{P}}} - {ratio} {ratio}^T", "simplify", Status.PROVED, ""),
    ])
    expectation = _chain("general:fisher-identity", [
        (rf"{E}\left[\mathbf{{H}}_{{\log {P}}}\right]", "", Status.PROVED, ""),
        (rf"{E}\left[\frac{{\mathbf{{H}}_{{{P}}}}}{{{P}}} - {ratio} {ratio}^T\right]", "simplify",
         Status.PROVED, ""),
        (rf"{E}\left[\frac{{\mathbf{{H}}_{{{P}}}}}{{{P}}}\right] - {E}\left[{ratio} {ratio}^T\right]",
         "linearity-expectation", Status.PROVED, ""),
        (_integral(rf"\frac{{\mathbf{{H}}_{{{P}}}}}{{{P}}} {P}", discrete)
         + rf" - {E}\left[{GRAD} \log {P} \, {GRAD} \log {P}^T\right]", "definition-expectation",
         Status.PROVED, ""),
        (r"\mathbf{H}_{" + _integral(P, discrete) + r"} - \mathbf{F}", "differentiate-under-integral",
         interchange, failure),
        (r"\mathbf{H}_1 - \mathbf{F}", "normalization", Status.PROVED, ""),
        (r"-\mathbf{F}", "derivative-of-constant", Status.PROVED, ""),
    ])
    return Section("general:fisher-identity", (hessian, expectation))
