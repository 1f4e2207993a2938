"""Grading rules, case by case: levels, verdicts, grades and the required behaviours of issue 3."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.grading import GRADE_ADJUSTMENTS, VERDICT_RULES, Verdict, assess_claim
from generator.model import Claim, Evidence, Location, Reference, Stance, StudyType
from generator.settings import DEFAULT_LEVELS

LEVELS = {str(k): v for k, v in DEFAULT_LEVELS.items()}
HERE = Location("x.md")


def ref(key: str, study_type: StudyType) -> Reference:
    return Reference(key, "article", {"title": key, "year": "2020"}, (), (), study_type, HERE)


def claim(*entries: tuple[str, str] | tuple[str, str, str]) -> Claim:
    evidence = tuple(Evidence(e[0], Stance(e[1]), HERE, indirect=e[2] if len(e) > 2 else "") for e in entries)
    return Claim("c", "A claim.", "prevention", Path("c.md"), "c.md", HERE, "", 5, evidence)


def grade(references: list[Reference], *entries) -> tuple[Verdict, str]:
    result = assess_claim(claim(*entries), {r.key: r for r in references}, LEVELS)
    return result.verdict, result.grade


WEB = [ref(f"web{i}", StudyType.WEB_ARTICLE) for i in range(6)]
SR = ref("sr", StudyType.SYSTEMATIC_REVIEW)
RCT1, RCT2 = ref("rct1", StudyType.RCT), ref("rct2", StudyType.RCT)
COHORT = ref("cohort", StudyType.COHORT)
OPINION = ref("opinion", StudyType.EXPERT_OPINION)
REVIEW = ref("review", StudyType.NARRATIVE_REVIEW)


def test_web_articles_alone_are_insufficient_and_grade_d():
    assert grade(WEB, *[(w.key, "supports") for w in WEB]) == (Verdict.INSUFFICIENT, "D")


def test_expert_opinion_alone_never_better_than_d_even_when_consistent():
    assert grade([OPINION, REVIEW], ("opinion", "supports"), ("review", "supports")) == (Verdict.SUPPORTED, "D")


def test_systematic_review_outweighs_any_number_of_web_articles():
    entries = [("sr", "supports")] + [(w.key, "contradicts") for w in WEB]
    assert grade([SR, *WEB], *entries) == (Verdict.SUPPORTED, "A")


def test_two_comparable_studies_on_opposite_sides_are_contested_with_a_lower_grade():
    one_sided = grade([RCT1], ("rct1", "supports"))
    split = grade([RCT1, RCT2], ("rct1", "supports"), ("rct2", "contradicts"))
    assert one_sided == (Verdict.SUPPORTED, "B")
    assert split == (Verdict.CONTESTED, "C")


def test_popular_support_against_better_studies_is_not_supported_and_flagged():
    result = assess_claim(
        claim(("web0", "supports"), ("web1", "supports"), ("cohort", "contradicts")),
        {r.key: r for r in [*WEB, COHORT]},
        LEVELS,
    )
    assert result.verdict is Verdict.NOT_SUPPORTED
    assert result.popular_contradicted


def test_indirect_evidence_counts_one_level_lower():
    direct = assess_claim(claim(("rct1", "supports")), {"rct1": RCT1}, LEVELS)
    indirect = assess_claim(claim(("rct1", "supports", "night cramps in older adults")), {"rct1": RCT1}, LEVELS)
    assert direct.evidence[0].level == 2 and indirect.evidence[0].level == 3
    assert (direct.grade, indirect.grade) == ("B", "C")


def test_indirect_review_below_a_direct_rct_loses_the_top_tier():
    verdict, _ = grade([SR, RCT1], ("sr", "contradicts", "older adults"), ("rct1", "supports"))
    assert verdict is Verdict.CONTESTED  # both now sit at level 2


def test_consistent_trials_raise_the_grade():
    assert grade([RCT1, RCT2], ("rct1", "supports"), ("rct2", "supports")) == (Verdict.SUPPORTED, "A")


def test_dissent_one_level_below_lowers_the_grade():
    assert grade([SR, RCT1], ("sr", "supports"), ("rct1", "contradicts")) == (Verdict.SUPPORTED, "B")


def test_mixed_results_alone_are_contested():
    assert grade([COHORT], ("cohort", "mixed"))[0] is Verdict.CONTESTED


def test_unresolved_sources_are_ignored_not_fatal():
    assert grade([], ("missing", "supports")) == (Verdict.INSUFFICIENT, "D")


def test_levels_table_can_be_overridden():
    levels = {**LEVELS, "web-article": 5}
    result = assess_claim(claim(("web0", "supports")), {"web0": WEB[0]}, levels)
    assert result.verdict is Verdict.SUPPORTED and result.grade == "D"


@pytest.mark.parametrize("rule", VERDICT_RULES, ids=lambda r: r.name)
def test_every_verdict_rule_is_reachable(rule):
    cases = {
        "no-study": [("web0", "supports")],
        "split-at-best-level": [("rct1", "supports"), ("rct2", "contradicts")],
        "best-level-supports": [("rct1", "supports")],
        "best-level-contradicts": [("rct1", "contradicts")],
    }
    result = assess_claim(claim(*cases[rule.name]), {r.key: r for r in [*WEB, RCT1, RCT2]}, LEVELS)
    assert result.verdict_rule == rule.name


@pytest.mark.parametrize("adjustment", GRADE_ADJUSTMENTS, ids=lambda a: a.name)
def test_every_grade_adjustment_is_reachable(adjustment):
    cases = {
        "consistent": [("rct1", "supports"), ("rct2", "supports")],
        "split": [("rct1", "supports"), ("rct2", "contradicts")],
        "mixed-results": [("rct1", "supports"), ("rct2", "mixed")],
        "dissent-one-level-below": [("sr", "supports"), ("rct1", "contradicts")],
    }
    result = assess_claim(claim(*cases[adjustment.name]), {r.key: r for r in [SR, RCT1, RCT2]}, LEVELS)
    assert adjustment.name in result.adjustments
