"""Rendering helpers: citations in editor Markdown, page locations, safe URLs, front matter."""

import json
from pathlib import Path

import markdown
import pytest
import yaml

from generator.loaders.claims import SHORT_MAX
from generator.model import Claim, Location
from generator.render.citations import CitationLinks, markdown_text
from generator.render.claim_page import page_title
from generator.render.front_matter import front_matter, split_json_front_matter
from generator.render.reference_text import ReferenceTexts, entry_runs
from generator.urls import claim_page, is_http_url, listing_page, reference_anchor, safe_url, topic_page

TEXTS = ReferenceTexts(
    labels={"a": "Maughan & Shirreffs, 2019", "b": "Jung et al., 2005"},
    tooltips={"a": 'Maughan (2019). [x](javascript:alert(1)) </script> "q".', "b": "Jung (2005)."},
    entries={},
)


def _html(markdown_source: str) -> str:
    return markdown.markdown(markdown_source, extensions=["attr_list"])


def _cited(body: str) -> str:
    """The body's citations linked, with the page-end definitions, as a claim page has them."""
    citations = CitationLinks(TEXTS)
    return citations.link(body) + "\n\n" + citations.definitions()


def test_citation_groups_become_markdown_links_to_reference_anchors():
    out = _html(_cited("Text [see @a, p. 3; -@b] end."))
    assert out.count('<a class="ev-cite" href="#ref-a"') == 1 and out.count('href="#ref-b"') == 1
    assert "Maughan &#38; Shirreffs, 2019, p. 3</a>" in out
    assert ">2005</a>" in out  # -@b suppresses the author


def test_markdown_and_html_in_a_reference_stay_text():
    out = _html(_cited("[@a]"))
    assert out.count("<a ") == 1 and "<script" not in out and "javascript:" not in out.split("title=")[0]
    import html

    title = out.split('title="')[1].split('"')[0]
    assert html.unescape(title) == TEXTS.tooltips["a"]


def test_each_reference_is_defined_once_a_page_and_keys_differing_in_case_stay_apart():
    texts = ReferenceTexts(labels={"Smith2020": "Smith, 2020", "smith2020": "Smith, 2020b"}, tooltips={"Smith2020": "Upper.", "smith2020": "Lower."}, entries={})
    citations = CitationLinks(texts)
    body = citations.link("One [@Smith2020]. Two [@smith2020]. Again [@Smith2020, p. 4].") + "\n\n" + citations.link("More [@smith2020].")
    source = body + "\n\n" + citations.definitions()
    assert citations.definitions().count("]: #") == 2
    out = _html(source)
    assert out.count(f'href="#{reference_anchor("Smith2020")}" title="Upper."') == 2
    assert out.count(f'href="#{reference_anchor("smith2020")}" title="Lower."') == 2
    assert "ev-cite-" not in out  # the definitions leave no text behind


def test_unknown_keys_and_code_are_left_alone():
    text = "Known [@a], unknown [@zz], code `[@a]`."
    citations = CitationLinks(TEXTS)
    out = citations.link(text)
    assert "[@zz]" in out and "`[@a]`" in out and out.count("{.ev-cite}") == 1
    assert citations.definitions().count("]: #ref-") == 1


def test_markdown_text_encodes_punctuation_that_opens_markup_and_joins_lines():
    assert markdown_text("a<b>[c](d)*e_") == "a&#60;b&#62;&#91;c&#93;&#40;d&#41;&#42;e&#95;"
    assert markdown_text('`x` {: .y} $z$ :smile: @me \\ "q" &amp; ~~s~~ ==m== |') == (
        "&#96;x&#96; &#123;&#58; .y&#125; &#36;z&#36; &#58;smile&#58; &#64;me &#92; &#34;q&#34; &#38;amp; &#126;&#126;s&#126;&#126; &#61;&#61;m&#61;&#61; &#124;"
    )
    assert markdown_text("one\n\n# two") == "one &#35; two"
    assert markdown_text("Smith, J., & Lee, K. (2019). Cramps; a study?") == "Smith, J., &#38; Lee, K. &#40;2019&#41;. Cramps; a study?"


def test_page_locations():
    assert claim_page("causes", "x").file == "claims/causes/x.md" and claim_page("causes", "x").url == "claims/causes/x/"
    assert topic_page("relief").url == "claims/relief/" and topic_page("relief", 3).file == "claims/relief/page-3.md"
    assert listing_page("references.md", 1).url == "references/"
    assert listing_page("references.md", 2).file == "references/page-2.md"
    assert listing_page("references.md", 2).url == "references/page-2/"


def test_reference_anchor_uses_the_one_key_mapping_and_keeps_keys_apart():
    from generator.model import key_slug

    assert reference_anchor("smith2020") == "ref-smith2020"
    assert reference_anchor('a<b"c') == "ref-" + key_slug('a<b"c') == "ref-a.3c.b.22.c"
    anchors = {reference_anchor(k) for k in ("Smith2020", "smith2020", "baez/online", "baez.2f.online", "_erp_????", "a_b", "a__b")}
    assert len(anchors) == 7 and all(a.isascii() and '"' not in a and "<" not in a for a in anchors)


def test_only_http_urls_are_safe():
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for bad in ("javascript:alert(1)", "data:text/html,x", "ftp://x", 'https://x.org/"onmouseover=', " //evil", "https://x.org/<script>"):
        assert safe_url(bad) == "" and not is_http_url(bad)


def test_front_matter_is_json_that_yaml_reads_back_identically():
    meta = {"title": "yes", "n": "010", "none": "~", "odd": "a\x85b\x7f\u202e\u2028\ufeff😀", "nested": {"list": [1, True, None]}}
    text = front_matter(meta)
    assert "\n" not in text
    assert json.loads(text) == meta
    assert yaml.safe_load(text) == meta


def test_entry_runs_keep_only_inline_styles_as_data():
    runs = entry_runs('Smith, J. (2020). <i>Journal &amp; Co</i>, <b>3</b>. <span style="font-variant:small-caps;">x</span>')
    assert runs == [["Smith, J. (2020). ", ""], ["Journal & Co", "i"], [", ", ""], ["3", "b"], [". ", ""], ["x", ""]]


def test_hand_written_pages_get_the_theme_page_template_unless_they_name_one():
    from generator.render.pages import with_page_template

    assert with_page_template("# Home\n") == "---\ntemplate: evidence/page.html\n---\n\n# Home\n"
    assert with_page_template("---\ntitle: A\n---\n# A\n") == "---\ntemplate: evidence/page.html\ntitle: A\n---\n# A\n"
    assert with_page_template("---\n---\nx\n") == "---\ntemplate: evidence/page.html\n---\nx\n"
    own = "---\ntemplate: mine.html\n---\nx\n"
    assert with_page_template(own) == own
    for text in ("# Home\n", "---\ntitle: A\nhide: [toc]\n---\n# A\n"):
        meta = yaml.safe_load(with_page_template(text).split("---\n")[1])
        assert meta["template"] == "evidence/page.html"


def _claim(text: str, short: str = "") -> Claim:
    where = Location(Path("c.md"), 1, 1)
    return Claim(id="c", text=text, topic="relief", path=Path("c.md"), rel_path="c.md", location=where, body="", body_line=1, evidence=(), short=short)


def test_page_title_is_the_short_form_or_the_claim_cut_at_a_word():
    assert page_title(_claim("A long claim " * 10, short="Salt shots")) == "Salt shots"
    assert page_title(_claim("Pickle juice stops a cramp.")) == "Pickle juice stops a cramp"
    long = "Taking one or two rest days a week, plus recovery habits such as raising the legs, helps prevent calf cramps."
    title = page_title(_claim(long))
    assert len(title) <= SHORT_MAX and title.endswith("…") and long.startswith(title[:-1])
    assert title == "Taking one or two rest days a week, plus recovery habits…"
    assert len(page_title(_claim("x" * 200))) <= SHORT_MAX


@pytest.mark.parametrize(
    "meta",
    [
        {"title": "yes", "n": "010", "t": "~", "e": ""},
        {"ev": {"claim": "<script>alert(1)</script> & \"q\" 'a'", "rows": [{"x": None, "y": True, "z": 3.5}]}},
        {"bidi": "a\u202eb\u2028c\u2029d\ufeffe\x85f\x7f", "newline": "one\ntwo\r\nthree\ttab"},
        {"unicode": "Kočar, Østergaard, 🦵"},
    ],
)
def test_json_front_matter_reads_back_as_yaml_reads_it(meta):
    page = f"---\n{front_matter(meta)}\n---\n\nBody *text*.\n"
    read, body = split_json_front_matter(page)
    assert read == meta == yaml.safe_load(page.split("---\n")[1])
    assert body == "\nBody *text*.\n"


@pytest.mark.parametrize("page", ["---\ntitle: x\n---\n\nBody", "# No front matter", '---\n{"a": 1\n---\n', "---\n[1, 2]\n---\n"])
def test_front_matter_that_is_not_one_line_of_json_is_left_to_the_renderer(page):
    assert split_json_front_matter(page) is None
