"""The first site's content: its shape, its disputes and its sources (issue 4)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from generator.assess import build_site_model
from generator.grading import Verdict
from generator.loaders.config import load_settings
from generator.model import Stance, StudyType
from generator.project import load_and_check

REPO = Path(__file__).resolve().parent.parent
OVERLAP_TOOL = REPO.parent / "shared" / "tools" / "overlap.py"
WEB_ARTICLES = {"vimvigrndprevent", "runtothefinishndmuscle", "anonndcalf", "verywellfitndhow"}

#: Each dispute in the sources README, as the claims that carry it.
DISPUTES = {
    "electrolytes and sports drinks": ["electrolyte-drinks-prevent-cramps", "electrolyte-drinks-do-not-prevent-cramps"],
    "static stretching before a run": ["static-stretching-before-a-run-prevents-cramps", "avoid-static-stretching-before-a-run"],
    "compression garments": ["compression-garments-prevent-cramps", "compression-in-heat-makes-cramps-more-likely"],
    "calf strengthening": ["calf-raises-prevent-cramps", "train-the-whole-leg-not-just-the-calves"],
    "salt before versus tasting salt": ["salt-before-a-run-prevents-cramps", "tasting-salt-or-pickle-juice-stops-a-cramp"],
    "massage timing": ["massage-during-or-right-after-a-cramp-helps", "wait-24-hours-before-massage-or-foam-rolling"],
    "dehydration versus fatigue": ["dehydration-and-electrolyte-loss-cause-cramps", "neuromuscular-fatigue-causes-cramps"],
    "new versus experienced runners": ["new-runners-cramp-more-than-experienced-runners"],
    "magnesium": ["magnesium-prevents-cramps"],
    "compression and oxygen delivery": ["compression-socks-improve-oxygen-delivery"],
    "the >30% mileage rule": ["raising-weekly-distance-over-30-percent-raises-injury-risk"],
    "hydration and Jung et al.": ["staying-hydrated-prevents-cramps"],
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
    result = load_and_check(settings, today=dt.date(2026, 11, 23))
    assert not result.errors(strict=True), [f"{d.location} {d.code} {d.message}" for d in result.diagnostics]
    return build_site_model(result.project, settings)


def test_at_least_40_claims_across_all_five_topics(site):
    assert len(site.claims) >= 40
    assert {c.claim.topic for c in site.claims} == {"causes", "risk-factors", "prevention", "relief", "recovery"}


@pytest.mark.parametrize("dispute", DISPUTES, ids=list(DISPUTES))
def test_every_dispute_is_a_claim_with_sources_on_both_sides(site, dispute):
    stances = set()
    for claim_id in DISPUTES[dispute]:
        view = site.by_id[claim_id]
        assert view.disputed, claim_id
        stances |= {e.stance for e in view.claim.evidence}
    assert Stance.SUPPORTS in stances and (Stance.CONTRADICTS in stances or Stance.MIXED in stances)
    first = DISPUTES[dispute][0]
    for other in DISPUTES[dispute][1:]:
        assert other in site.by_id[first].opponents


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
        if view.web_only:
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
