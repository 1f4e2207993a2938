"""bodies.py: citations that wrap across lines, and citation forms the site would show as plain text."""

from __future__ import annotations

import re

import pytest

from generator.bodies import find_citations, find_unrendered_citations


def test_a_bracketed_citation_may_wrap_across_lines_but_not_a_blank_line():
    found = find_citations("As shown [see @a, pp. 4--5;\n  @b] and [@c\n\n@d] here.")
    assert [(c.key, c.locator, c.prefix) for c in found] == [("a", "pp. 4\u20135", "see"), ("b", "", "")]


def test_a_wrapped_locator_is_one_line_of_text():
    (citation,) = find_citations("[@a, chapter\n   3]")
    assert citation.locator == "chapter 3"


@pytest.mark.parametrize(
    "text, found",
    [
        ("As @smith2020 found.", [(3, "`@smith2020` outside brackets is shown as written; write `[@smith2020]`")]),
        ("No effect \\citep[p. 3]{smith2020, jones2019}.", [(10, "`\\citep[p. 3]{smith2020, jones2019}` is LaTeX; write `[@smith2020]`")]),
        ("Also \\textcite{smith2020}.", [(5, "`\\textcite{smith2020}` is LaTeX; write `[@smith2020]`")]),
        ("A footnote^[see @smith2020].", [(10, "footnote-style citation; write `[@key]` in the sentence")]),
        ("A footnote[^@smith2020].", [(10, "footnote-style citation; write `[@key]` in the sentence")]),
    ],
)
def test_unrendered_citation_forms_are_found_at_their_offset(text, found):
    assert [(p.offset, p.message) for p in find_unrendered_citations(text, {"smith2020"}.__contains__)] == found


@pytest.mark.parametrize(
    "text",
    [
        "Mail editor@example.org or @someone on social media.",  # not a reference key
        "Cited properly [@smith2020] and [see\n@smith2020, p. 2].",
        "A link [at @smith2020](https://example.org/@smith2020) and <https://example.org/@smith2020>.",
        "In code `@smith2020` and\n\n```\n\\cite{smith2020}\n```\n",
    ],
)
def test_what_the_site_renders_or_is_not_a_citation_is_left_alone(text):
    assert find_unrendered_citations(text, {"smith2020"}.__contains__) == []


def test_blank_keeps_every_line_break_and_offset():
    from generator.bodies import blank

    for text in ["", "abc", "a\nb", "\n\n", "x\r\ny\n", "é\u2028z\n", "\n  \t\n`code`"]:
        assert blank(text) == re.sub(r"[^\n]", " ", text)
        assert len(blank(text)) == len(text)
