"""Rendering helpers: citations in editor Markdown, relative links, safe URLs."""

import html

from generator.render.environment import relative_url, safe_url
from generator.render.pages import inline_html_text, link_citations

LABELS = {"a": "Maughan & Shirreffs, 2019", "b": "Jung et al., 2005"}
TITLES = {"a": "Maughan (2019). [x](javascript:alert(1)).", "b": "Jung (2005)."}


def test_citation_groups_become_linked_author_date_citations():
    out = link_citations("Text [see @a, p. 3; -@b] end.", LABELS, TITLES)
    assert out.startswith("Text (see ") and out.endswith(") end.")
    anchors = out.count('<a class="ev-cite"')
    assert anchors == 2
    assert html.unescape(out).count("Maughan & Shirreffs, 2019, p. 3") == 1
    assert ">2005</a>" in html.unescape(out)  # -@b suppresses the author


def test_markdown_syntax_in_a_title_cannot_survive_as_markdown():
    out = link_citations("[@a]", LABELS, TITLES)
    assert "](" not in out and "[x]" not in out
    assert "[x](javascript:alert(1))" in html.unescape(out)


def test_unknown_keys_and_code_are_left_alone():
    text = "Known [@a], unknown [@zz], code `[@a]`."
    out = link_citations(text, LABELS, TITLES)
    assert "[@zz]" in out and "`[@a]`" in out and out.count("ev-cite") == 1


def test_inline_html_text_encodes_every_ascii_punctuation_mark():
    assert inline_html_text("a<b>[c](d)*e_") == "a&#60;b&#62;&#91;c&#93;&#40;d&#41;&#42;e&#95;"


def test_relative_urls_between_directory_pages():
    assert relative_url("references/#ref-a", "claims/prevention/x/") == "../../../references/#ref-a"
    assert relative_url("claims/prevention/", "claims/prevention/x/") == "../"
    assert relative_url("", "claims/") == "../"
    assert relative_url("claims.json", "claims/") == "../claims.json"


def test_only_http_urls_are_safe():
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for bad in ("javascript:alert(1)", "data:text/html,x", "ftp://x", "https://x.org/\"onmouseover=", " //evil"):
        assert safe_url(bad) == ""
