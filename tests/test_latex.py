"""loaders/latex.py: LaTeX in field values decoded to the text a reader sees, fast path and pylatexenc alike."""

from __future__ import annotations

import os
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.loaders.latex import _decode_simple_latex, _decode_with_pylatexenc, decode_latex


@pytest.mark.parametrize(
    "latex, text",
    [
        (r"$p$-Median", "p-Median"),
        (r"C$\infty$", "C∞"),
        (r"{$\Sigma$$\Delta$} Modulators", "ΣΔ Modulators"),
        (r"{\mbox{G-Animal's} Journal}", "G-Animal's Journal"),
        (r"The {\TeX book}", "The TeXbook"),
        (r"\LaTeX\ and \BibTeX", "LaTeX and BibTeX"),
        (r"``Cramp season'' and the `salt myth'", "“Cramp season” and the ‘salt myth’"),
        (r"\url{https://example.org/a_b}", "https://example.org/a_b"),
        (r"\emph{in vivo} and \texttt{code} and \textsc{Caps}", "in vivo and code and Caps"),
        (r"H$_2$O, $x^{10}$, 5\textsuperscript{th}", "H₂O, x¹⁰, 5ᵗʰ"),
        (r"$\alpha$-motor neurons, a $\chi^2$ test", "α-motor neurons, a χ² test"),
        (r"{\noopsort{1973b}}1973", "1973"),
        (r"\href{https://example.org}{the trial}", "the trial"),
        (r"50% of runners, 50\% of runners", "50% of runners, 50% of runners"),
        (r"pages 1--2 --- and more", "pages 1–2 — and more"),
    ],
)
def test_latex_becomes_the_text_a_reader_sees(latex, text):
    assert decode_latex(latex) == text


SIMPLE_PIECES = [
    "a",
    "Z",
    " ",
    "-",
    "--",
    "{",
    "}",
    "{MRI}",
    r"\'e",
    r"{\'E}",
    r"\"{u}",
    r"{\"o}",
    r"\c{c}",
    r"{\ss}",
    r"{\o}",
    r"\&",
    r"\%",
    r"\_",
    r"\v{s}",
    r"{\aa}",
    r"\^o",
    r"\`a",
    r"\~n",
    "é",
    ".",
    ",",
]


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "200")), deadline=None)
@given(st.lists(st.sampled_from(SIMPLE_PIECES), max_size=12).map("".join))
def test_the_fast_path_decodes_exactly_as_pylatexenc_does(value):
    fast = _decode_simple_latex(value)
    if fast is not None:
        assert re.sub(r"\s+", " ", fast).strip() == re.sub(r"\s+", " ", _decode_with_pylatexenc(value)).strip()
