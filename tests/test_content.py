"""The first site's content: its shape, its disputes and its sources (issue 4)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.assess import build_site_model
from generator.grading import EvidenceKind, Verdict
from generator.loaders.config import load_settings
from generator.model import Stance, StudyType
from generator.project import load_and_check

REPO = Path(__file__).resolve().parent.parent
OVERLAP_TOOL = REPO.parent / "shared" / "tools" / "overlap.py"
TODAY = dt.date(2026, 12, 1)
WEB_ARTICLES = {"vimvigrndprevent", "runtothefinishndmuscle", "anonndcalf", "verywellfitndhow"}

#: Each dispute in the sources README, and how the site keeps it. A dispute may be kept as a disagreement
#: between sources on one claim (a counted source on each side), as an opposing pair of claims that each have
#: support, or as a misread citation (an article cites a study for something it did not find; see MISREAD).
DISAGREEMENT, PAIR, MISREAD_CITATION = "disagreement between sources", "opposing pair", "misread citation"
DISPUTES = {
    "electrolytes and sports drinks": (DISAGREEMENT, ["electrolyte-drinks-prevent-cramps", "electrolyte-drinks-do-not-prevent-cramps"]),
    "static stretching before a run": (DISAGREEMENT, ["static-stretching-before-a-run-prevents-cramps", "avoid-static-stretching-before-a-run"]),
    "compression garments": (DISAGREEMENT, ["compression-garments-prevent-cramps", "compression-in-heat-makes-cramps-more-likely"]),
    "calf strengthening": (DISAGREEMENT, ["calf-raises-prevent-cramps", "train-the-whole-leg-not-just-the-calves"]),
    "salt before versus tasting salt": (PAIR, ["salt-before-a-run-prevents-cramps", "tasting-salt-or-pickle-juice-stops-a-cramp"]),
    "massage timing": (DISAGREEMENT, ["massage-during-or-right-after-a-cramp-helps", "wait-24-hours-before-massage-or-foam-rolling"]),
    "dehydration versus fatigue": (PAIR, ["dehydration-and-electrolyte-loss-cause-cramps", "neuromuscular-fatigue-causes-cramps"]),
    "new versus experienced runners": (DISAGREEMENT, ["new-runners-cramp-more-than-experienced-runners"]),
    "magnesium": (DISAGREEMENT, ["magnesium-prevents-cramps"]),
    "compression and oxygen delivery": (MISREAD_CITATION, ["compression-socks-improve-oxygen-delivery"]),
    "the >30% mileage rule": (MISREAD_CITATION, ["raising-weekly-distance-over-30-percent-raises-injury-risk"]),
    "hydration and Jung et al.": (DISAGREEMENT, ["staying-hydrated-prevents-cramps"]),
}
#: Where an article cites a study for something it did not find, the scorecard must show it.
MISREAD = {
    ("vimvigrndprevent", "compression-socks-improve-oxygen-delivery", "brophywilliams2019wearing"),
    ("vimvigrndprevent", "new-runners-cramp-more-than-experienced-runners", "schwellnus2018underlying"),
    ("vimvigrndprevent", "raising-weekly-distance-over-30-percent-raises-injury-risk", "nielsen2014excessive"),
    ("verywellfitndhow", "staying-hydrated-prevents-cramps", "jung2005influence"),
}
AGREED = ["gentle-stretching-releases-a-cramp", "stopping-or-slowing-down-eases-a-cramp", "see-a-doctor-when-cramps-persist"]


@pytest.fixture(scope="module")
def site():
    settings = load_settings(REPO / "mkdocs.yml")
    result = load_and_check(settings, today=TODAY)
    assert not result.errors(strict=True), [f"{d.location} {d.code} {d.message}" for d in result.diagnostics]
    return build_site_model(result.project, settings)


def test_at_least_40_claims_across_all_five_topics(site):
    assert len(site.claims) >= 40
    assert {c.claim.topic for c in site.claims} == {"causes", "risk-factors", "prevention", "relief", "recovery"}


def counted(view, stance):
    return [e for e in view.claim.evidence if e.stance is stance]


def sources_disagree(view) -> bool:
    """A counted source supports the claim and another contradicts it (background never counts)."""
    return bool(counted(view, Stance.SUPPORTS) and counted(view, Stance.CONTRADICTS))


def misread_on_scorecards(site) -> set[str]:
    return {m.claim_id for card in site.scorecards for m in card.misread}


@pytest.mark.parametrize("dispute", DISPUTES, ids=list(DISPUTES))
def test_every_dispute_is_kept_on_the_site(site, dispute):
    kind, claim_ids = DISPUTES[dispute]
    views = [site.by_id[claim_id] for claim_id in claim_ids]
    if kind == DISAGREEMENT:
        for view in views:
            assert sources_disagree(view) and view.disputed, view.id
    elif kind == PAIR:
        first, second = views
        assert second.id in first.opponents and first.id in second.opponents
        assert all(counted(view, Stance.SUPPORTS) for view in views)
        assert any(sources_disagree(view) for view in views), "one side of the pair carries the disagreement"
    else:
        assert {view.id for view in views} <= misread_on_scorecards(site)
    if len(views) == 2 and kind == DISAGREEMENT:
        assert views[1].id in views[0].opponents


def test_disputed_means_counted_sources_on_both_sides(site):
    wrong = [view.id for view in site.claims if view.disputed != sources_disagree(view)]
    assert not wrong


@pytest.mark.parametrize("article, claim_id, study", sorted(MISREAD))
def test_misread_citations_appear_on_the_article_scorecard(site, article, claim_id, study):
    card = next(c for c in site.scorecards if c.reference.key == article)
    assert any(m.claim_id == claim_id and m.study == study for m in card.misread)
    assert site.by_id[claim_id].assessment.verdict is not Verdict.SUPPORTED


def test_agreed_claims_exist_and_are_not_disputed(site):
    for claim_id in AGREED:
        assert not site.by_id[claim_id].disputed, claim_id


def test_every_web_article_is_cited_by_a_claim(site):
    cited = {e.source for c in site.claims for e in c.claim.evidence}
    assert WEB_ARTICLES <= cited
    web = {k for k, r in site.references.items() if r.study_type is StudyType.WEB_ARTICLE}
    assert WEB_ARTICLES <= web


def test_no_claim_rests_on_web_articles_alone_without_saying_so(site):
    for view in site.claims:
        if view.assessment.deciding_kind not in (EvidenceKind.STUDY, EvidenceKind.OPINION):
            assert view.assessment.verdict is Verdict.INSUFFICIENT, view.id
            assert view.claim.evidence_gap, view.id


def test_explanations_are_80_to_250_words(site):
    for view in site.claims:
        words = len(view.claim.body.split())
        assert 80 <= words <= 260, (view.id, words)  # a little slack for citation keys


def test_unverified_study_is_never_cited(site):
    assert "schwellnus1997aetiology" not in site.references


@pytest.mark.skipif(not OVERLAP_TOOL.exists(), reason="../shared/tools/overlap.py is not beside the repository")
def test_no_run_of_twelve_words_is_copied_from_the_source_articles():
    result = subprocess.run([sys.executable, str(OVERLAP_TOOL), str(REPO / "content")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-2000:]


def test_editors_guide_documents_every_field_and_every_rule():
    from generator.loaders.claims import CLAIM_FIELDS, EVIDENCE_FIELDS
    from generator.render.pages import RULES_MARKER

    guide = (REPO / "content" / "contributing.md").read_text(encoding="utf-8")
    assert RULES_MARKER in guide  # the rule table is generated there from the catalogue
    for name in CLAIM_FIELDS:
        assert f"| `{name}` |" in guide, name
    for name in EVIDENCE_FIELDS:
        assert f"| `evidence[].{name}` |" in guide, name


def test_no_bracketed_placeholder_titles(site):
    for key, reference in site.references.items():
        for name in ("title", "shorttitle"):
            value = reference.fields.get(name, "")
            assert "[" not in value and "]" not in value, (key, name, value)


def test_every_reference_with_a_doi_has_a_year(site):
    missing = [key for key, reference in site.references.items() if reference.doi and not reference.year]
    assert not missing


def test_web_articles_and_opinion_never_carry_participants(site):
    for view in site.claims:
        for evidence in view.claim.evidence:
            study_type = site.references[evidence.source].study_type
            if study_type.is_popular or study_type.is_opinion:
                assert evidence.participants is None, (view.id, evidence.source)


def test_every_claim_has_a_summary_and_long_claims_a_short_title(site):
    for view in site.claims:
        assert view.claim.summary, view.id
        assert len(view.claim.text) <= 65 or view.claim.short, view.id


SAFETY_PAGE = "when-to-see-a-doctor.md"
RED_FLAGS = ["many muscle", "dark", "one calf", "confusion", "weakness"]


def test_the_red_flags_page_exists_and_names_each_red_flag():
    settings = load_settings(REPO / "mkdocs.yml")
    assert settings.safety_page == SAFETY_PAGE
    assert set(settings.safety_topics) == {"relief", "prevention"}
    text = (REPO / "content" / SAFETY_PAGE).read_text(encoding="utf-8").lower()
    for flag in RED_FLAGS:
        assert flag in text, flag
    assert f"]({SAFETY_PAGE})" in (REPO / "content" / "index.md").read_text(encoding="utf-8")


#: Claims whose proponents tell runners to drink more (water or sports drinks).
RECOMMENDS_DRINKING = [
    "staying-hydrated-prevents-cramps",
    "electrolyte-drinks-prevent-cramps",
    "men-need-3-7-and-women-2-7-litres-of-water-a-day",
    "urine-colour-shows-when-rehydration-is-enough",
    "dehydration-and-electrolyte-loss-cause-cramps",
    "heavy-sweating-drains-electrolytes-and-causes-cramps",
    "salt-before-a-run-prevents-cramps",
]


@pytest.mark.parametrize("claim_id", RECOMMENDS_DRINKING)
def test_every_page_that_recommends_drinking_more_warns_about_overdrinking(site, claim_id):
    view = site.by_id[claim_id]
    assert "beyond thirst" in view.claim.body
    assert "[@hewbutler2015statement" in view.claim.body
    assert "when-to-see-a-doctor.md" in view.claim.body


def test_relief_and_prevention_claim_pages_link_to_the_red_flags_page():
    from generator.build import render_files

    settings = load_settings(REPO / "mkdocs.yml")
    result = load_and_check(settings, today=TODAY)
    model, files = render_files(result, settings)
    pages = [view.page for view in model.claims if view.claim.topic in settings.safety_topics]
    assert len(pages) > 20
    for path in pages:
        assert "when-to-see-a-doctor" in files[path].decode("utf-8"), path


ABOUT_PARTS = ["## Who publishes and edits it", "**Conflicts of interest.**", "## How the sources were found", "## Corrections", "### Corrections log", "## How to report an error"]
#: Each correction from the review (issue 16), as the corrections log names it.
CORRECTIONS = [
    "Static stretching before a run prevents cramps",
    "Pickle juice",
    "Neuromuscular fatigue",
    "Avoid static stretching before a run",
    "Past cramps predict more cramps",
    "Compression socks and oxygen delivery",
    "Salt before a run",
    "Staying hydrated",
    "Miller 2010",
    "Copied phrasing",
    "Borderline codings",
    "Placeholder titles",
    "Wrong dates",
    "Wrong attribution",
    "Safety",
]


def test_about_page_has_its_four_parts_and_a_dated_corrections_log():
    settings = load_settings(REPO / "mkdocs.yml")
    assert settings.about_page == "about.md"
    text = (REPO / "content" / "about.md").read_text(encoding="utf-8")
    for part in ABOUT_PARTS:
        assert part in text, part
    log = text.split("### Corrections log", 1)[1].split("## How to report an error", 1)[0]
    assert re.search(r"^\*\*\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\*\*$", log, re.M)
    for correction in CORRECTIONS:
        assert f"- *{correction}" in log, correction
    assert "no funding" in text and "sells no products" in text


def test_claim_bodies_link_only_to_pages_that_exist():
    for path in (REPO / "content" / "claims").rglob("*.md"):
        for target in re.findall(r"\]\((\.\./\.\./[a-z0-9-]+\.md)\)", path.read_text(encoding="utf-8")):
            assert (path.parent / target).resolve().exists(), (path.name, target)


@pytest.mark.skipif(not OVERLAP_TOOL.exists(), reason="../shared/tools/overlap.py is not beside the repository")
def test_runs_of_eight_shared_words_are_only_quoted_section_headings():
    result = subprocess.run([sys.executable, str(OVERLAP_TOOL), "--words", "8", str(REPO / "content")], capture_output=True, text=True)
    hits = re.findall(r'^(\S+): \d+ words shared with \S+: "(.*)"$', result.stdout, re.M)
    for path, words in hits:
        locators = re.findall(r"^\s+locator: (.*)$", Path(path).read_text(encoding="utf-8"), re.M)
        assert any(words in locator.lower() for locator in locators), (path, words)
