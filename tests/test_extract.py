"""Extraction: every layout people write gives exactly the links the author wrote, and nothing is dropped silently.

Rows are raw LaTeX inputs grouped by phenomenon; each names the layout it covers. The expected links are
(lhs, relation, rhs) triples with whitespace normalised.
"""

from __future__ import annotations

import json

import pytest

from symfisher.check import check
from symfisher.check.extract import links
from symfisher.cli import main


def triples(text: str) -> list[tuple[str, str, str]]:
    return [(" ".join(s.lhs.split()), s.relation, " ".join(s.rhs.split())) for s in links(text)[1]]


# --------------------------------------------------------------------------- display layouts

LAYOUTS = {
    "dollars": (r"$$ a = b $$", [("a", "=", "b")]),
    "brackets": ("\\[ a = b \\]", [("a", "=", "b")]),
    "equation-star": (r"\begin{equation*} a = b \end{equation*}", [("a", "=", "b")]),
    "dollars-around-align": ("$$\n\\begin{align}\na &= b \\\\\n&= c\n\\end{align}\n$$",
                             [("a", "=", "b"), ("b", "=", "c")]),
    "dollars-around-align-star": ("$$\\begin{align*} a &= b \\\\ &= c \\end{align*}$$",
                                  [("a", "=", "b"), ("b", "=", "c")]),
    "brackets-around-aligned": ("\\[\\begin{aligned} a &= b \\\\ &= c \\end{aligned}\\]",
                                [("a", "=", "b"), ("b", "=", "c")]),
    "align": ("\\begin{align} a &= b \\\\ &= c \\end{align}", [("a", "=", "b"), ("b", "=", "c")]),
    "alignat-star": ("\\begin{alignat*}{2} a &= b &\\quad& \\text{by (1)} \\\\ &= c \\end{alignat*}",
                     [("a", "=", "b"), ("b", "=", "c")]),
    # a column after a complete link is align's note column, even with math in it (never a step, never
    # the left side the next row continues)
    "note-column-with-math": ("\\begin{align} a &= b && \\int dP = 1 \\\\ &= c &\\hspace{2em}& \\nabla \\log x = 1/x "
                              "\\end{align}", [("a", "=", "b"), ("b", "=", "c")]),
    # equations side by side (alignat, or align with several column pairs): each column its own chain
    "alignat-side-by-side": ("\\begin{alignat*}{2} a &= b && c &= d \\\\ &= e && &= f \\end{alignat*}",
                             [("a", "=", "b"), ("c", "=", "d"), ("b", "=", "e"), ("d", "=", "f")]),
    "align-two-column-pairs": ("\\begin{align} a &= b & c &= d \\\\ &= e & &= f \\end{align}",
                               [("a", "=", "b"), ("c", "=", "d"), ("b", "=", "e"), ("d", "=", "f")]),
    # a decimal comma is one number, never two equations
    "decimal-comma": ("$$ p = 0,5 $$", [("p", "=", "0,5")]),
    "eqnarray": ("\\begin{eqnarray} a &=& b \\nonumber \\\\ &=& c \\end{eqnarray}",
                 [("a", "=", "b"), ("b", "=", "c")]),
    "gather": ("\\begin{gather} a = b \\\\ c = d \\end{gather}", [("a", "=", "b"), ("c", "=", "d")]),
    "multline": ("\\begin{multline} a = b + c \\\\ + d \\end{multline}", [("a", "=", "b + c + d")]),
    "split-in-equation": ("\\begin{equation}\\begin{split} a &= b \\\\ &= c \\end{split}\\end{equation}",
                          [("a", "=", "b"), ("b", "=", "c")]),
    "chain-continued-in-next-display": ("$$ a = b $$\nso that\n$$ = c $$", [("a", "=", "b"), ("b", "=", "c")]),
    "missing-row-break": ("$$\\begin{align} a &= b &= c \\\\ &= d \\end{align}$$",
                          [("a", "=", "b"), ("b", "=", "c"), ("c", "=", "d")]),
    "chain-ending-with-relation-then-continued": ("$$ a = b = $$ $$ = c = d, $$",
                                                  [("a", "=", "b"), ("b", "=", "c"), ("c", "=", "d")]),
    "chain-continued-after-aligned": ("$$\\begin{aligned} a &= b \\end{aligned}$$\n\n$$ \\quad = c. $$",
                                      [("a", "=", "b"), ("b", "=", "c")]),
    "markdown-escaped-brackets": ("\\\\[ a = b \\\\]", [("a", "=", "b")]),
    "blockquoted-display": ("> quoted:\n> $$\n> a = b \\\\\n> = c\n> $$", [("a", "=", "b"), ("b", "=", "c")]),
    "left-side-on-a-row-of-its-own": ("$$\nD(p \\| q) \\\\\n= \\sum_x p \\\\\n\\approx c\n$$",
                                      [("D(p \\| q)", "=", "\\sum_x p"), ("\\sum_x p", "≈", "c")]),
    "proof-environment": ("\\begin{proof} We have \\[ a = b \\] as claimed. \\end{proof}", [("a", "=", "b")]),
    "row-spacing": ("$$\\begin{aligned} a &= b \\\\[4pt] &= c \\end{aligned}$$", [("a", "=", "b"), ("b", "=", "c")]),
    "right-side-on-next-row": ("$$\\begin{aligned} a &= \\\\ &\\quad b + c \\end{aligned}$$", [("a", "=", "b + c")]),
    "matrix-rows-stay": ("$$ M = \\begin{pmatrix} 1 & 0 \\\\ 0 & 1 \\end{pmatrix} $$",
                         [("M", "=", "\\begin{pmatrix} 1 & 0 \\\\ 0 & 1 \\end{pmatrix}")]),
    "cases-stay-whole": ("$$ f(x) = \\begin{cases} 1 & x = 0 \\\\ 0 & x \\ne 0 \\end{cases} $$",
                         [("f(x)", "=", "\\begin{cases} 1 & x = 0 \\\\ 0 & x \\ne 0 \\end{cases}")]),
}

# --------------------------------------------------------------------------- the author's marks on a relation

MARKS = {
    "boxed-row": (r"$$ \boxed{I(\theta) = \frac{1}{\theta^2}} $$", [("I(\\theta)", "=", "\\frac{1}{\\theta^2}")]),
    "boxed-result": (r"$$ I(\theta) = \boxed{\frac{1}{\theta^2}} $$", [("I(\\theta)", "=", "\\frac{1}{\\theta^2}")]),
    "stackrel-def": (r"$$ I(\theta) \stackrel{\text{def}}{=} \mathbb{E}[s^2] $$",
                     [("I(\\theta)", "=", "\\mathbb{E}[s^2]")]),
    "overset-note": (r"$$ a \overset{\text{(iid)}}{=} b \overset{(a)}{=} c $$", [("a", "=", "b"), ("b", "=", "c")]),
    "stackrel-inequality": (r"$$ a \stackrel{(b)}{\le} c $$", [("a", "≤", "c")]),
    "overset-not-a-relation": (r"$$ \overset{\sim}{x} = y $$", [("\\overset{\\sim}{x}", "=", "y")]),
    "empty-group-before-ampersand": ("$$\\begin{aligned} a ={}& b \\\\ ={}& c \\end{aligned}$$",
                                     [("a", "=", "b"), ("b", "=", "c")]),
    "empty-group-after-ampersand": ("$$\\begin{aligned} a &={} b \\\\ &={} c \\end{aligned}$$",
                                    [("a", "=", "b"), ("b", "=", "c")]),
    "trailing-period": (r"$$ a = b. $$", [("a", "=", "b")]),
    "trailing-comma-per-row": ("$$\\begin{aligned} a &= b, \\\\ c &= d. \\end{aligned}$$",
                               [("a", "=", "b"), ("c", "=", "d")]),
    "trailing-spaced-period": (r"$$ a = \frac{1}{2} \, . $$", [("a", "=", "\\frac{1}{2}")]),
    "right-dot-kept": (r"$$ a = \left. f(x) \right. $$", [("a", "=", "\\left. f(x) \\right.")]),
    "tag-label-nonumber": ("\\begin{align} a &= b \\tag{3.1} \\label{eq:one} \\\\ &= c \\nonumber \\notag "
                           "\\end{align}", [("a", "=", "b"), ("b", "=", "c")]),
    "tag-with-braces": (r"$$ a = b \tag{$\ast$} $$", [("a", "=", "b")]),
    "quad-text-by": (r"$$ a = b \quad \text{by Jensen} $$", [("a", "=", "b")]),
    "double-ampersand-note": (r"$$\begin{aligned} a &= b && \text{(regularity)} \end{aligned}$$", [("a", "=", "b")]),
    "text-before": (r"$$ \text{hence}\quad a = b $$", [("a", "=", "b")]),
    "text-and-between": (r"$$ a = b \quad\text{and}\quad c = d $$", [("a", "=", "b"), ("c", "=", "d")]),
    "comma-quad-between": (r"$$ a = b, \qquad c = d $$", [("a", "=", "b"), ("c", "=", "d")]),
    "comma-between": (r"$$ a = 1, b = 2 $$", [("a", "=", "1"), ("b", "=", "2")]),
    "implies-between": (r"$$ a = b \implies c = d \iff e = f $$", [("a", "=", "b"), ("c", "=", "d"), ("e", "=", "f")]),
    "rightarrow-leading": (r"$$ \Rightarrow \quad c = d; $$", [("c", "=", "d")]),
    "condition-after-comma": (r"$$ p(x) = \frac{1}{2}, \quad x \in \{0, 1\} $$", [("p(x)", "=", "\\frac{1}{2}")]),
    "comma-in-left-side": (r"$$ x_1, x_2 = 0 $$", [("x_1, x_2", "=", "0")]),
    "text-term-after-operator": (r"$$ l(\theta) = -\ln \theta + \text{constant} $$",
                                 [("l(\\theta)", "=", "-\\ln \\theta + \\text{constant}")]),
    "equation-number-by-hand": (r"$$ \frac{\partial}{\partial \theta} 1 = 0 \;\;\;\;\;\; (1) $$",
                                [("\\frac{\\partial}{\\partial \\theta} 1", "=", "0")]),
    "product-with-parenthesis-kept": (r"$$ a = 2\,(p) $$", [("a", "=", "2\\,(p)")]),
    "text-as-left-side": (r"$$ \text{KL} = \frac{1}{2} d^2 $$", [("\\text{KL}", "=", "\\frac{1}{2} d^2")]),
    "text-as-right-side": (r"$$ c = \text{const} $$", [("c", "=", "\\text{const}")]),
    "condition-in-parentheses": (r"$$ a = b \qquad (x > 0) $$", [("a", "=", "b")]),
    "text-operator-is-math": (r"$$ \text{Var}(X) = \text{E}[X^2] - \text{E}[X]^2 $$",
                              [("\\text{Var}(X)", "=", "\\text{E}[X^2] - \\text{E}[X]^2")]),
    "tex-comment": ("$$ a = b % = wrong\n = c $$", [("a", "=", "b"), ("b", "=", "c")]),
    "intertext": ("\\begin{align} a &= b \\\\ \\intertext{and so} &= c \\end{align}",
                  [("a", "=", "b"), ("b", "=", "c")]),
    "colon-equals": (r"$$ a := b =: c \coloneqq d \triangleq e $$",
                     [("a", "=", "b"), ("b", "=", "c"), ("c", "=", "d"), ("d", "=", "e")]),
}

# --------------------------------------------------------------------------- a relation is split only at the top level

TOP_LEVEL = {
    "probability-of-event": (r"$$ \Pr(X = 0) = (1-p)^n $$", [("\\Pr(X = 0)", "=", "(1-p)^n")]),
    "probability-function": (r"$$ P(X=x) = p^x (1-p)^{1-x} $$", [("P(X=x)", "=", "p^x (1-p)^{1-x}")]),
    "subscript": (r"$$ \mathbb{E}_{x=0}[y] = 1 $$", [("\\mathbb{E}_{x=0}[y]", "=", "1")]),
    "sum-limits": (r"$$ \ell = \sum_{i=1}^n \log p(x_i) $$", [("\\ell", "=", "\\sum_{i=1}^n \\log p(x_i)")]),
    "left-right": (r"$$ \left( a = b \right) = c $$", [("\\left( a = b \\right)", "=", "c")]),
    "left-right-brackets": (r"$$ \mathbb{E}\left[ x \mid x > 0 \right] = 1 $$",
                            [("\\mathbb{E}\\left[ x \\mid x > 0 \\right]", "=", "1")]),
    "fraction-arguments": (r"$$ \frac{a=b}{c} = d $$", [("\\frac{a=b}{c}", "=", "d")]),
    "braces": (r"$$ {a = b} = c $$", [("{a = b}", "=", "c")]),
    "set-braces": (r"$$ A = \{x : x > 0\} $$", [("A", "=", "\\{x : x > 0\\}")]),
    "angle-brackets": (r"$$ \langle u, v \rangle = \langle v, u \rangle $$",
                       [("\\langle u, v \\rangle", "=", "\\langle v, u \\rangle")]),
    "indicator-subscript": (r"$$ \mathbb{1}_{\{x \ge 0\}} = 1 $$", [("\\mathbb{1}_{\\{x \\ge 0\\}}", "=", "1")]),
    "evaluated-at": (r"$$ \nabla L\big|_{\theta=\hat\theta} = 0 $$", [("\\nabla L\\big|_{\\theta=\\hat\\theta}", "=", "0")]),
    "big-paren-across-rows": ("$$\\begin{aligned} a &= \\Big( b \\\\ &\\quad + c \\Big) = d \\end{aligned}$$",
                              [("a", "=", "\\Big( b + c \\Big)"), ("\\Big( b + c \\Big)", "=", "d")]),
    "left-right-dot-across-rows": ("$$\\begin{aligned} a &= \\left( b \\right. \\\\ &\\quad \\left. + c \\right) = d "
                                   "\\end{aligned}$$", [("a", "=", "\\left( b \\right. \\left. + c \\right)"),
                                                          ("\\left( b \\right. \\left. + c \\right)", "=", "d")]),
    "half-open-interval": (r"$$ P(X \in [0, 1)) = F(1) - F(0) $$", [("P(X \\in [0, 1))", "=", "F(1) - F(0)")]),
    # an operator's name set in text is mathematics, never a remark that would cut the side short
    # (held-out corpus: "-n\text{ln}\lambda" lost everything after it)
    "text-ln-mid-side": (r"$$a = \frac{n}{k}-n\text{ln}\lambda+\sum_{i=1}^n x_i$$",
                         [("a", "=", "\\frac{n}{k}-n\\text{ln}\\lambda+\\sum_{i=1}^n x_i")]),
    "text-var-mid-side": (r"$$ v = n\,\text{Var} X + 1 $$", [("v", "=", "n\\,\\text{Var} X + 1")]),
    "text-log-after-number": (r"$$ \ell = 2\text{log}\theta $$", [("\\ell", "=", "2\\text{log}\\theta")]),
}

# --------------------------------------------------------------------------- inequalities are steps

INEQUALITIES = {
    "ge-le": (r"$$ a \ge b \le c $$", [("a", "≥", "b"), ("b", "≤", "c")]),
    "geq-leq": (r"$$ a \geq b \leq c $$", [("a", "≥", "b"), ("b", "≤", "c")]),
    "leqslant": (r"$$ a \leqslant b \geqslant c $$", [("a", "≤", "b"), ("b", "≥", "c")]),
    "succeq-preceq": (r"$$ \mathbf{F} \succeq 0 \preceq \mathbf{G} $$", [("\\mathbf{F}", "⪰", "0"), ("0", "⪯", "\\mathbf{G}")]),
    "less-greater": (r"$$ a < b > c $$", [("a", "<", "b"), ("b", ">", "c")]),
    "lt-gt": (r"$$ a \lt b $$", [("a", "<", "b")]),
    "cramer-rao-chain": (r"$$ \mathrm{Var}(\hat\theta) \ge \frac{1}{I(\theta)} = \frac{\theta^2}{n} $$",
                         [("\\mathrm{Var}(\\hat\\theta)", "≥", "\\frac{1}{I(\\theta)}"),
                          ("\\frac{1}{I(\\theta)}", "=", "\\frac{\\theta^2}{n}")]),
    "neq-approx-propto": (r"$$ a \neq b \approx c \propto d $$", [("a", "≠", "b"), ("b", "≈", "c"), ("c", "∝", "d")]),
    "left-angle-not-less": (r"$$ \left< u \right> = 0 $$", [("\\left< u \\right>", "=", "0")]),
}

# --------------------------------------------------------------------------- what is not read

IGNORED = {
    "html-comment": ("<!-- $$ a = b $$ -->\n$$ c = d $$", [("c", "=", "d")]),
    "code-fence": ("```latex\n$$ a = b $$\n```\n$$ c = d $$", [("c", "=", "d")]),
    "tilde-fence": ("~~~\n\\[ a = b \\]\n~~~\n$$ c = d $$", [("c", "=", "d")]),
    "inline-code": ("Write `$$a=b$$` for display math.\n$$ c = d $$", [("c", "=", "d")]),
    "inline-math": ("Prose with $a = b$ and $c$.\n$$ c = d $$", [("c", "=", "d")]),
    "latex-line-break-is-not-display": ("\\documentclass{article} a line\\\\[2pt] break, then \\[ c = d \\]",
                                        [("c", "=", "d")]),
    "latex-quotes-are-not-code": ("\\documentclass{article}\\begin{document}``so'' \\[ c = d \\] ``end''"
                                  "\\end{document}", [("c", "=", "d")]),
}

ROWS = {**LAYOUTS, **MARKS, **TOP_LEVEL, **INEQUALITIES, **IGNORED}


@pytest.mark.parametrize("text,expected", list(ROWS.values()), ids=list(ROWS))
def test_layout_gives_the_authors_links(text, expected):
    assert triples(text) == expected


def test_annotations_are_kept_as_notes_not_mathematics():
    text = ("$$\\begin{aligned} I(\\theta) &\\stackrel{\\text{def}}{=} \\mathbb{E}[s^2] \\\\ "
            "&= b \\quad \\text{by Jensen} \\\\ &= c && \\text{(iid)} \\end{aligned}$$")
    assert [s.note for s in links(text)[1]] == ["def", "by Jensen", "(iid)"]
    assert [s.note for s in links(r"$$ a = b \qquad (x > 0) $$")[1]] == ["(x > 0)"]
    assert [s.note for s in links(r"$$ p(x) = q, \quad x \in \{0, 1\} $$")[1]] == ["x \\in {0, 1}"]


def test_line_numbers_follow_rows_across_layouts():
    text = "intro\n\n$$\n\\begin{align*}\na &= b \\\\\n  &= c \\tag{1}\n\\end{align*}\n$$\n\n$$\n= d\n$$\n"
    assert [s.line for s in links(text)[1]] == [5, 6, 11]


# --------------------------------------------------------------------------- nothing dropped silently

UNREAD = {
    "display-begins-with-relation": (r"$$ = c $$", "left side is not written"),
    "empty-right-side": (r"$$ a = $$", "right side is not written"),
}


def test_a_relation_written_twice_is_read_once():
    # "a = = c" ("&= \displaystyle =" once the layout word is blanked: fpghost's binomial): one link a = c,
    # which holds whenever a chain a = b = c through a missing middle would
    _, steps = links(r"$$ a = = c $$")
    assert [(s.lhs.strip(), s.relation, s.rhs.strip()) for s in steps] == [("a", "=", "c")]


@pytest.mark.parametrize("text,reason", list(UNREAD.values()), ids=list(UNREAD))
def test_a_link_with_a_missing_side_is_listed_as_not_read(text, reason):
    report = check(text)
    unread = report.not_read
    assert unread and reason in unread[0].link.unread
    assert unread[0].verdict.verdict == "unknown" and unread[0].verdict.reason.startswith("not read: ")
    assert report.valid is None


def test_layouts_side_by_side_lose_no_link():
    # every layout in one document: each display gives the links it gives alone, none lost where they meet
    texts = [t for t, _ in ROWS.values() if not any(m in t for m in ("<!--", "```", "~~~", "`$$", "documentclass"))]
    assert len(check("\n\nSome prose.\n\n".join(texts)).steps) == sum(len(links(t)[1]) for t in texts)


@pytest.mark.parametrize("text", [
    "Prose only, no math at all.",
    "$$ \\int p(x|\\theta) \\, dx $$",
    "Inline only: $a = b$.",
    "<!-- $$ a = b $$ -->",
], ids=["no-math", "display-without-relation", "inline-only", "commented-out"])
def test_no_step_is_never_valid(text):
    report = check(text)
    assert report.steps == () and report.valid is None
    assert "no step to check" in report.text()


def test_a_display_without_relation_is_listed():
    report = check("$$ a = b $$\n\n$$\n\\int p \\, dx\n$$\n")
    assert report.bare_displays == ((2, 3),)
    assert "display 2 (line 3): no relation" in report.text()
    assert report.as_dict()["displays_without_relation"] == [{"block": 2, "line": 3}]
    assert "no relation (=, ≤, …) in this display" in report.markdown()


def test_inequalities_are_reported_never_dropped_nor_proved():
    report = check(r"$$ \mathrm{Var}(\hat\theta) \ge \frac{1}{n} \quad \text{and} \quad \mathbf{F} \succeq 0 $$")
    assert [(s.link.relation, s.link.kind, s.verdict.verdict) for s in report.steps] == [
        ("≥", "inequality", "unknown"), ("⪰", "inequality", "unknown")]
    assert "inequality (≥)" in report.steps[0].verdict.reason      # checked where possible, else said why not
    assert report.valid is None


def test_valid_only_when_every_step_is_proved():
    proved = "$$ 2 + 2 = 4 $$"
    assert check(proved).valid is True
    assert check(proved + "\n$$ a \\approx b $$").valid is None       # an approximation is not a proof
    assert check(proved + "\n$$ a \\le b $$").valid is None
    assert check("$$ 2 + 2 = 5 $$").valid is False


def test_every_format_shows_the_links_not_read(tmp_path, capsys):
    path = tmp_path / "p.md"
    path.write_text("$$ 2 + 2 = 4 $$\n\nthen\n\n$$\n\\begin{aligned} a &= \\end{aligned}\n$$\n", encoding="utf-8")
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "not read: the right side is not written" in out and "1 not read" in out
    assert out.strip().endswith("no step refuted, some not proved")
    assert main(["check", str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["valid"] is None and data["not_read"] == [2] and data["steps_read"] == 1
    assert data["steps"][1]["read"] is False and data["steps"][1]["verdict"] == "unknown"
    assert main(["check", str(path), "--format", "md"]) == 0
    assert "**step 2** (unknown): not read: the right side is not written" in capsys.readouterr().out


def test_a_seeded_error_after_a_layout_is_found_at_its_step():
    # the layouts do not shift numbering: the wrong step is found where the author wrote it
    text = ("$$\\begin{align*} (1+2)^2 &= 1 + 4 + 4 \\tag{1} \\\\ "
            "&\\stackrel{\\text{(x)}}{=} 1 + 2 + 4, \\quad \\text{by (1)} \\end{align*}$$\n\n$$ = 7 $$")
    report = check(text)
    assert [s.verdict.verdict for s in report.steps][:2] == ["proved", "refuted"]
    assert report.first_error == 2 and report.valid is False
    assert report.steps[2].link.lhs == "1 + 2 + 4" and report.steps[2].verdict.verdict == "proved"
