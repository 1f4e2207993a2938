"""Build tests: a real `mkdocs build` of a small fixture site, asserting on the generated HTML."""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import BuildError, build
from generator.loaders.config import load_settings

from hostile import HOSTILE, assert_no_markup_from_data, write_hostile_site
from renderers import build_with

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    root = write_hostile_site(tmp_path_factory.mktemp("site"))
    build_with("mkdocs", root, root / "site")
    return root


def page(root: Path, path: str) -> str:
    return (root / "site" / path).read_text(encoding="utf-8")


def test_claim_page_has_badges_balance_and_disagreement_with_sides(fixture_site):
    text = page(fixture_site, "claims/prevention/salt-prevents-cramps/index.html")
    assert "Verdict: Not supported" in text
    assert re.search(r'class="ev-badge ev-grade ev-grade--[a-d]"[^>]*>Grade [A-D] · (high|moderate|low|very low) certainty<', text)
    assert "Sources disagree: popular articles against research" in text and 'class="admonition warning ev-dispute"' in text
    dispute = text.split('class="admonition warning ev-dispute"')[1].split("</div>")[0]
    assert "<strong>Supports:</strong>" in dispute and "Blog Co" in dispute
    assert "<strong>Contradicts:</strong>" in dispute and "Müller" in dispute
    related = text.split('class="admonition note ev-related"')[1].split("</div>")[0]
    assert "Salt does not prevent cramps." in related  # the opposing claim, linked
    assert "Counted sources: 1 support, 1 contradict, 0 mixed; 1 of them decides the verdict" in text
    assert "Indirect: lab cramps." in text


def test_opposes_is_symmetric_and_alone_does_not_mark_disagreement(fixture_site):
    text = page(fixture_site, "claims/prevention/salt-does-not-prevent-cramps/index.html")
    related = text.split('class="admonition note ev-related"')[1].split("</div>")[0]
    assert "Salt prevents cramps." in related
    assert "Sources disagree" not in text


def test_citations_link_to_the_reference_with_a_full_reference_tooltip(fixture_site):
    text = page(fixture_site, "claims/prevention/salt-prevents-cramps/index.html")
    cite = re.search(r'<a class="ev-cite" href="#ref-trial2020" title="([^"]*)">([^<]*)</a>', text)
    assert cite and "Journal of Cramps" in html.unescape(cite.group(1))
    assert "[x](javascript:alert(1))" in html.unescape(cite.group(1))  # stays text inside the tooltip
    assert html.unescape(cite.group(2)) == "Müller & Smith, 2020, p. 3"
    assert 'id="ref-trial2020"' in text and "https://doi.org/10.1000/abc.123" in text


def test_article_citing_a_study_that_contradicts_it_is_shown_as_misread(fixture_site):
    card = page(fixture_site, "sources/blog/index.html")
    assert "Studies cited for something they did not find" in card
    assert "contradicts the claim" in card


def test_references_page_has_backlinks_with_stance(fixture_site):
    text = page(fixture_site, "references/index.html")
    entry = text.split('id="ref-trial2020"')[1].split('class="ev-bib-entry"')[0]
    assert "✗ contradicts" in entry and "../claims/prevention/salt-prevents-cramps/" in entry
    assert "d'Écologie: 50% of runners" in html.unescape(entry)


def test_json_ld_parses_and_cannot_close_its_script_tag(fixture_site):
    text = page(fixture_site, "claims/causes/hostile-claim/index.html")
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.DOTALL)
    assert len(scripts) == 1
    data = json.loads(scripts[0])
    assert data["@type"] == "ClaimReview" and data["claimReviewed"] == HOSTILE


def test_hostile_strings_never_become_markup(fixture_site):
    assert_no_markup_from_data(fixture_site / "site")


def test_only_http_links_from_data(fixture_site):
    references = page(fixture_site, "references/index.html")
    assert 'href="https://example.org/post?a=1&amp;b=2"' in references
    assert 'href="https://doi.org/10.1000/abc.123"' in references


def test_claims_json_matches_the_content(fixture_site):
    data = json.loads(page(fixture_site, "claims.json"))
    by_id = {c["id"]: c for c in data["claims"]}
    assert set(by_id) == {"salt-prevents-cramps", "salt-does-not-prevent-cramps", "hostile-claim"}
    salt = by_id["salt-prevents-cramps"]
    assert salt["verdict"] == "not supported" and salt["disputed"] is True
    assert salt["opposes"] == ["salt-does-not-prevent-cramps"]
    assert {e["source"]: e["stance"] for e in salt["evidence"]} == {"blog": "supports", "trial2020": "contradicts"}
    refs = {r["id"]: r for r in data["references"]}
    assert refs["trial2020"]["author"][0] == {"family": "Müller", "given": "Jérôme"}
    assert refs["trial2020"]["issued"] == {"date-parts": [[2020, 5, 1]]}


def test_home_page_gets_generated_counts_and_guide_gets_rules(fixture_site):
    assert "<td>Claims</td>" in page(fixture_site, "index.html")
    from generator.rules import RULES

    guide = page(fixture_site, "contributing/index.html")
    assert all(f"<code>{rule.code}</code>" in guide for rule in RULES)


def test_methodology_is_rendered_from_the_grading_tables(fixture_site):
    from generator.grading import DESIGNS, DOWNGRADES, VERDICT_RULES

    text = html.unescape(page(fixture_site, "methodology/index.html"))
    for rule in VERDICT_RULES:
        assert rule.when in text
    for downgrade in DOWNGRADES:
        assert downgrade.rule.replace("`", "") in text.replace("<code>", "").replace("</code>", "")
    for design in DESIGNS.values():
        assert f"<td>{design.singular}</td>" in text
    examples = text.split('id="worked-examples-from-this-site"')[1]
    assert "Verdict: not supported" in examples and "Salt prevents cramps." in examples


def test_claims_are_not_in_the_nav_so_pages_stay_small(fixture_site):
    text = page(fixture_site, "claims/prevention/salt-prevents-cramps/index.html")
    nav = re.split(r'class="md-nav md-nav--primary[^"]*"', text)[1].split("</nav>")[0]
    assert "salt-does-not-prevent-cramps" not in nav


def _digest(root: Path) -> dict[str, str]:
    paths = [root / "references.bib", *sorted((root / "content").rglob("*"))]
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths if p.is_file()}


def test_failed_build_leaves_site_and_content_untouched(fixture_site, tmp_path):
    root = tmp_path / "copy"
    shutil.copytree(fixture_site, root)
    before_site = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    bad = root / "content/claims/prevention/broken.md"
    bad.write_text("---\nclaim: Broken\ntopic: prevention\nreviewed: 2026-01-01\nevidence:\n  - source: nosuchkey\n    stance: supports\n---\n", encoding="utf-8")
    before_content = _digest(root)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml")], capture_output=True, text=True)
    assert result.returncode == 1
    assert "EV113" in result.stderr and "nosuchkey" in result.stderr
    assert "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()} == before_site
    assert _digest(root) == before_content


@pytest.mark.parametrize(
    "edit, strict, expected",
    [
        ("See [the other claim](../causes/no-such-claim.md).", False, "EV132"),
        ("As \\citep{smith2020} showed.", True, "EV312"),
    ],
    ids=["broken-internal-link", "warning-under-strict"],
)
def test_content_problems_stop_mkdocs_before_it_touches_site(fixture_site, tmp_path, edit, strict, expected):
    root = tmp_path / "copy"
    shutil.copytree(fixture_site, root)
    (root / "site" / "marker.txt").write_text("previous good site", encoding="utf-8")
    before_site = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    claim = root / "content/claims/prevention/salt-does-not-prevent-cramps.md"
    claim.write_text(claim.read_text(encoding="utf-8") + "\n" + edit + "\n", encoding="utf-8")
    command = [sys.executable, "-m", "mkdocs", "build", *(["--strict"] if strict else []), "-f", str(root / "mkdocs.yml")]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 1
    assert expected in result.stderr and "nothing was built" in result.stderr
    assert {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()} == before_site


def test_build_api_raises_before_writing_and_rewrites_only_changed_files(fixture_site, tmp_path):
    root = tmp_path / "copy"
    shutil.copytree(fixture_site, root)
    settings = load_settings(root / "mkdocs.yml")
    first = build(settings)
    assert first.written == ()  # already generated by the mkdocs build: nothing changed
    claim = root / "content/claims/prevention/salt-does-not-prevent-cramps.md"
    claim.write_text(claim.read_text().replace("no effect", "no benefit"), encoding="utf-8")
    second = build(settings)
    assert second.written == ("claims/prevention/salt-does-not-prevent-cramps.md",)
    claim.write_text("---\nclaim: ''\n---\n", encoding="utf-8")
    generated = {p: p.read_bytes() for p in (root / ".generated").rglob("*") if p.is_file()}
    with pytest.raises(BuildError):
        build(settings)
    assert {p: p.read_bytes() for p in (root / ".generated").rglob("*") if p.is_file()} == generated


def test_make_site_keeps_the_old_site_when_strict_mode_fails_late(fixture_site, tmp_path):
    """mkdocs#4126: --strict aborts after the new site replaced the old; `make site` builds beside it."""
    root = tmp_path / "copy"
    shutil.copytree(fixture_site, root)
    shutil.copy(REPO / "Makefile", root / "Makefile")
    (root / "site" / "marker.txt").write_text("previous good site", encoding="utf-8")
    (root / "content" / "broken-link.md").write_text("# Page\n\n[missing](no-such-page.md)\n", encoding="utf-8")
    bin_dir = Path(sys.executable).parent
    result = subprocess.run(["make", "-s", "site", f"BIN={bin_dir}", "STAMP="], cwd=root, capture_output=True, text=True)
    assert result.returncode != 0
    assert "no-such-page.md" in result.stderr
    assert (root / "site" / "marker.txt").read_text(encoding="utf-8") == "previous good site"
    (root / "content" / "broken-link.md").unlink()
    result = subprocess.run(["make", "-s", "site", f"BIN={bin_dir}", "STAMP="], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert not (root / "site" / "marker.txt").exists() and (root / "site" / "index.html").exists()


def test_search_indexes_claim_pages_but_not_the_pages_that_only_list_them(fixture_site):
    index = json.loads(page(fixture_site, "search/search_index.json"))
    pages = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert "claims/prevention/salt-prevents-cramps/" in pages and "methodology/" in pages
    assert not pages & {"claims/", "claims/prevention/", "disputes/", "references/"}
    claim = next(doc for doc in index["docs"] if doc["location"] == "claims/prevention/salt-prevents-cramps/")
    assert "Not supported" in claim["text"]  # the opening paragraph: search shows the verdict


def test_each_claim_page_states_its_sentence_naming_only_designs_it_cites(fixture_site):
    from generator.grading import DESIGNS

    data = json.loads(page(fixture_site, "claims.json"))
    assert data["schema_version"] == 2
    for claim in data["claims"]:
        text = html.unescape(page(fixture_site, claim["url"] + "index.html"))
        assert claim["sentence"] in text
        present = {e["study_type"] for e in claim["evidence"]}
        for study_type, design in DESIGNS.items():
            if study_type.value not in present:
                pattern = rf"(?<![\w-]){re.escape(design.singular)}|(?<![\w-]){re.escape(design.plural)}"
                assert not re.search(pattern, claim["sentence"]), (claim["id"], design.singular)


def test_a_save_reaches_every_page_it_affects_in_a_dirty_rebuild(fixture_site, tmp_path):
    """`make serve` rebuilds only changed Markdown (--dirty): the build step must rewrite every affected page."""
    root = tmp_path / "copy"
    shutil.copytree(fixture_site, root)
    settings = load_settings(root / "mkdocs.yml")
    claim = root / "content/claims/prevention/salt-does-not-prevent-cramps.md"
    claim.write_text(claim.read_text(encoding="utf-8").replace("claim: Salt does not prevent cramps.", "claim: Salt never prevents cramps."), encoding="utf-8")
    bib = root / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("title = {A systematic review}", "title = {A renamed systematic review}"), encoding="utf-8")
    written = set(build(settings).written)
    opposing, topic = "claims/prevention/salt-prevents-cramps.md", "claims/prevention/index.md"
    citing_review = {"claims/prevention/salt-does-not-prevent-cramps.md", "claims/causes/hostile-claim.md"}
    assert {opposing, topic, "claims/index-1.json", "references.md", "disputes.md"} | citing_review <= written
    dirty = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--dirty", "-q", "-f", str(root / "mkdocs.yml")], capture_output=True, text=True)
    assert dirty.returncode == 0, dirty.stderr
    assert "Salt never prevents cramps." in page(root, "claims/prevention/salt-prevents-cramps/index.html")
    assert "Salt never prevents cramps." in page(root, "claims/prevention/index.html")
    assert "A renamed systematic review" in page(root, "claims/causes/hostile-claim/index.html")
    assert "A renamed systematic review" in page(root, "references/index.html")


def test_generated_files_get_normal_permissions(fixture_site):
    umask = os.umask(0)
    os.umask(umask)
    modes = {p.stat().st_mode & 0o777 for p in (fixture_site / ".generated").rglob("*") if p.is_file() and not p.name.startswith(".")}
    assert modes == {0o666 & ~umask}
