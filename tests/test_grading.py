"""Grading: a casebook of named scenarios, then the invariants under property-based testing.

The casebook is written from GRADE's handbook logic (start by design, rate down for indirectness,
inconsistency and imprecision, never up here) and from this site's own disputes. Each case gives the
evidence and the expected verdict, grade, disagreement and the key words of the generated sentence.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.disputes import sides_of
from generator.grading import DESIGNS, Verdict, assess_claim, verdict_order, verdict_sentence
from generator.model import Claim, Evidence, Indirectness, Location, Reference, Stance, StudyType

HERE = Location("x.md")


def ref(key: str, study_type: StudyType) -> Reference:
    return Reference(key, "article", {"title": key, "year": "2020"}, (), (), study_type, HERE)


REFS = {
    r.key: r
    for r in [
        *(ref(f"web{i}", StudyType.WEB_ARTICLE) for i in range(4)),
        *(ref(f"sr{i}", StudyType.SYSTEMATIC_REVIEW) for i in range(2)),
        *(ref(f"ma{i}", StudyType.META_ANALYSIS) for i in range(2)),
        *(ref(f"rct{i}", StudyType.RCT) for i in range(3)),
        *(ref(f"ct{i}", StudyType.CONTROLLED_TRIAL) for i in range(2)),
        *(ref(f"cohort{i}", StudyType.COHORT) for i in range(3)),
        *(ref(f"cs{i}", StudyType.CROSS_SECTIONAL) for i in range(2)),
        ref("series", StudyType.CASE_SERIES),
        ref("narrative", StudyType.NARRATIVE_REVIEW),
        ref("guideline", StudyType.GUIDELINE),
        ref("opinion", StudyType.EXPERT_OPINION),
    ]
}
STUDY_KEYS = sorted(k for k, r in REFS.items() if r.study_type.is_study)


def ev(source: str, stance: str, people: int | None = None, indirect: str = "", very: bool = False) -> Evidence:
    indirectness = (Indirectness.VERY_SERIOUS if very else Indirectness.SERIOUS) if indirect else None
    return Evidence(source, Stance(stance), HERE, participants=people, indirect=indirect, indirectness=indirectness)


def claim(*evidence: Evidence) -> Claim:
    return Claim("c", "A claim.", "prevention", Path("c.md"), "c.md", HERE, "", 5, tuple(evidence))


def assess(*evidence: Evidence):
    return assess_claim(claim(*evidence), REFS, 400)


LAB = "cramps induced in a lab, not in runners"

# name: (evidence, verdict, grade, disputed, words the sentence must contain)
CASEBOOK = {
    "web articles alone are insufficient": (
        [ev("web0", "supports"), ev("web1", "supports")],
        Verdict.INSUFFICIENT,
        "D",
        False,
        ["Insufficient evidence", "two popular articles speak", "no study"],
    ),
    "popular articles on both sides, no study": (
        [ev("web0", "supports"), ev("web1", "contradicts")],
        Verdict.INSUFFICIENT,
        "D",
        True,
        ["Insufficient evidence"],
    ),
    "background only counts nothing": (
        [ev("ma0", "background", 26000), ev("sr0", "background", 3000)],
        Verdict.INSUFFICIENT,
        "D",
        False,
        ["no source shown here tested this claim", "background"],
    ),
    "background never decides next to web articles": (
        [ev("web0", "supports"), ev("ma0", "background", 26000)],
        Verdict.INSUFFICIENT,
        "D",
        False,
        ["one popular article speaks", "background"],
    ),
    "one large direct trial is high certainty": (
        [ev("rct0", "supports", 800)],
        Verdict.SUPPORTED,
        "A",
        False,
        ["High certainty", "one randomised controlled trial supports it", "800 people"],
    ),
    "a small direct trial is lowered for imprecision": (
        [ev("rct0", "supports", 80)],
        Verdict.SUPPORTED,
        "B",
        False,
        ["Moderate certainty", "lowered from high", "it is small", "fewer than 400 people"],
    ),
    "pickle juice: two small lab trials": (
        [ev("rct0", "supports", 10, LAB), ev("rct1", "supports", 39, LAB)],
        Verdict.SUPPORTED,
        "C",
        False,
        ["Low certainty", "two randomised controlled trials", "49 people in all", "both are indirect", LAB, "together they are small"],
    ),
    "very serious indirectness lowers two grades": (
        [ev("rct0", "supports", 80, "night cramps in older adults", very=True)],
        Verdict.SUPPORTED,
        "D",
        False,
        ["Very low certainty", "very indirect", "night cramps in older adults"],
    ),
    "an indirect cohort grades below a direct one": (
        [ev("cohort0", "supports", 500, "triathletes")],
        Verdict.SUPPORTED,
        "D",
        False,
        ["one cohort study", "lowered from low", "indirect (triathletes)"],
    ),
    "a direct cohort of 500 stays low": (
        [ev("cohort0", "supports", 500)],
        Verdict.SUPPORTED,
        "C",
        False,
        ["Low certainty", "500 people"],
    ),
    "equal certainty on opposite sides is contested": (
        [ev("rct0", "supports", 300), ev("rct1", "contradicts", 300)],
        Verdict.CONTESTED,
        "B",
        True,
        ["supports it and one randomised controlled trial contradicts it", "opposite directions", "600 people in all"],
    ),
    "the more certain side decides": (
        [ev("sr0", "contradicts", 2000), ev("cohort0", "supports", 300)],
        Verdict.NOT_SUPPORTED,
        "A",
        True,
        ["High certainty", "one systematic review contradicts it"],
    ),
    "a review outweighs any number of web articles": (
        [ev("sr0", "contradicts", 1200), *(ev(f"web{i}", "supports") for i in range(4))],
        Verdict.NOT_SUPPORTED,
        "A",
        True,
        ["popular articles make this claim, but one systematic review contradicts it"],
    ),
    "all deciding sources mixed is inconclusive, not contested": (
        [ev("sr0", "mixed", 900), ev("sr1", "mixed", 700)],
        Verdict.INCONCLUSIVE,
        "A",
        False,
        ["two systematic reviews report mixed results", "1,600 people in all"],
    ),
    "mixed results beside support lower the grade": (
        [ev("rct0", "supports", 500), ev("rct1", "mixed", 500)],
        Verdict.SUPPORTED,
        "B",
        False,
        ["one randomised controlled trial supports it", "one randomised controlled trial reports mixed results", "one of the deciding sources reports mixed results"],
    ),
    "injury meta-analyses as background do not decide stretching": (
        [ev("web0", "supports"), ev("web1", "contradicts"), ev("ma0", "background", 26610), ev("sr0", "background", 1000), ev("rct0", "supports", 80, "night cramps in older adults", very=True)],
        Verdict.SUPPORTED,
        "D",
        True,
        ["Very low certainty", "very indirect", "night cramps in older adults"],
    ),
    "narrative reviews count as expert opinion": (
        [ev("narrative", "supports"), ev("guideline", "supports")],
        Verdict.SUPPORTED,
        "D",
        False,
        ["one guideline and one narrative review support it", "no study has tested it", "cannot rise above very low"],
    ),
    "a study outranks opinion even at very low certainty": (
        [ev("series", "contradicts", 12), ev("opinion", "supports")],
        Verdict.NOT_SUPPORTED,
        "D",
        True,
        ["one case series contradicts it", "12 people"],
    ),
    "opinion is never above D however consistent": (
        [ev("narrative", "contradicts"), ev("opinion", "contradicts"), ev("guideline", "contradicts")],
        Verdict.NOT_SUPPORTED,
        "D",
        False,
        ["no study has tested it"],
    ),
    "unknown sizes count as zero and are named": (
        [ev("cohort0", "supports", 300), ev("cohort1", "supports")],
        Verdict.SUPPORTED,
        "D",
        False,
        ["at least 300 people; one size not given", "together they are small"],
    ),
    "a size unknown for the only study": (
        [ev("rct0", "contradicts")],
        Verdict.NOT_SUPPORTED,
        "B",
        False,
        ["size not given", "it is small"],
    ),
    "an indirect trial cannot decide over a direct one of equal design": (
        [ev("rct0", "supports", 500, LAB), ev("rct1", "contradicts", 500)],
        Verdict.NOT_SUPPORTED,
        "A",
        True,
        ["High certainty", "one randomised controlled trial contradicts it"],
    ),
    "seed dispute: electrolytes, articles against a cohort": (
        [ev("web0", "supports"), ev("web1", "supports"), ev("web2", "contradicts"), ev("cohort0", "contradicts", 210), ev("cohort1", "contradicts", 43)],
        Verdict.NOT_SUPPORTED,
        "D",
        True,
        ["popular articles make this claim, but two cohort studies contradict it", "253 people in all"],
    ),
    "contested at low certainty drops to very low": (
        [ev("cohort0", "supports", 600), ev("cs0", "contradicts", 600)],
        Verdict.CONTESTED,
        "D",
        True,
        ["one cohort study supports it and one cross-sectional study contradicts it", "lowered from low"],
    ),
}


@pytest.mark.parametrize("name", list(CASEBOOK))
def test_casebook(name):
    evidence, verdict, grade, disputed, words = CASEBOOK[name]
    result = assess(*evidence)
    sentence = verdict_sentence(result)
    assert (result.verdict, result.grade) == (verdict, grade), sentence
    assert sides_of(claim(*evidence), REFS).disagree is disputed
    for word in words:
        assert word in sentence, f"{word!r} not in {sentence!r}"


def test_casebook_has_at_least_twenty_scenarios():
    assert len(CASEBOOK) >= 20


def test_sentence_names_only_designs_present_among_the_deciding_sources():
    result = assess(ev("rct0", "supports", 10, LAB), ev("rct1", "supports", 39, LAB), ev("web0", "supports"))
    sentence = verdict_sentence(result)
    assert "randomised controlled trials" in sentence
    for absent in ("systematic review", "cohort", "case-control", "guideline", "meta-analys"):
        assert absent not in sentence


def test_direct_is_false_when_no_deciding_source_is_direct():
    assert assess(ev("rct0", "supports", 900)).direct
    assert not assess(ev("rct0", "supports", 900, LAB)).direct
    assert not assess(ev("web0", "supports")).direct


def test_reasons_list_what_lowered_the_grade():
    result = assess(ev("rct0", "supports", 10, LAB), ev("rct1", "contradicts", 39, LAB))
    assert [r.code.value for r in result.reasons] == ["indirectness", "inconsistency", "imprecision"]


def test_threshold_is_a_setting():
    evidence = (ev("rct0", "supports", 150),)
    assert assess_claim(claim(*evidence), REFS, 100).grade == "A"
    assert assess_claim(claim(*evidence), REFS, 400).grade == "B"


# Property-based invariants --------------------------------------------------------------------

entries = st.lists(
    st.builds(
        lambda source, stance, people, indirect, very: ev(source, stance, people, "lab" if indirect else "", very and indirect),
        st.sampled_from(sorted(REFS)),
        st.sampled_from(["supports", "contradicts", "mixed", "background"]),
        st.one_of(st.none(), st.integers(1, 2000)),
        st.booleans(),
        st.booleans(),
    ),
    max_size=7,
    unique_by=lambda e: e.source,
)


def order(evidence) -> int:
    return verdict_order(assess(*evidence))


def with_indirect(e: Evidence, very: bool = False) -> Evidence:
    return dataclasses.replace(e, indirect="another population", indirectness=Indirectness.VERY_SERIOUS if very else Indirectness.SERIOUS)


def mark_one_indirect(evidence, stance: Stance, data) -> list[Evidence] | None:
    """The evidence with one `stance` source made (more) indirect, or None if there is none to mark."""
    targets = [i for i, e in enumerate(evidence) if e.stance is stance and e.indirectness is not Indirectness.VERY_SERIOUS]
    if not targets:
        return None
    i = data.draw(st.sampled_from(targets))
    changed = list(evidence)
    changed[i] = with_indirect(evidence[i], very=evidence[i].indirectness is not None)
    return changed


@pytest.mark.parametrize("stance, direction", [(Stance.SUPPORTS, -1), (Stance.CONTRADICTS, +1)])
@settings(max_examples=300, deadline=None)
@given(evidence=entries, data=st.data())
def test_marking_a_source_indirect_moves_the_order_only_against_it(stance, direction, evidence, data):
    """A supporting source made indirect never raises the order; a contradicting one never lowers it."""
    changed = mark_one_indirect(evidence, stance, data)
    if changed is not None:
        assert (order(changed) - order(evidence)) * direction >= 0


@settings(max_examples=300, deadline=None)
@given(entries, st.data())
def test_when_the_verdict_holds_making_an_agreeing_source_indirect_never_raises_the_grade(evidence, data):
    before = assess(*evidence)
    agreeing = {Verdict.SUPPORTED: Stance.SUPPORTS, Verdict.NOT_SUPPORTED: Stance.CONTRADICTS}.get(before.verdict)
    changed = mark_one_indirect(evidence, agreeing, data) if agreeing else None
    if changed is None:
        return
    after = assess(*changed)
    if after.verdict is before.verdict:
        assert after.grade_info.rank >= before.grade_info.rank


@settings(max_examples=300, deadline=None)
@given(entries, st.sampled_from(STUDY_KEYS + ["narrative", "web0"]), st.one_of(st.none(), st.integers(1, 5000)))
def test_adding_a_direct_supporting_source_never_lowers_the_order(evidence, source, people):
    evidence = [e for e in evidence if e.source != source]
    assert order([*evidence, ev(source, "supports", people)]) >= order(evidence)


@settings(max_examples=300, deadline=None)
@given(entries, st.lists(st.sampled_from(sorted(REFS)), max_size=3, unique=True))
def test_background_sources_never_change_any_result(evidence, extra):
    evidence = [e for e in evidence if e.source not in extra]
    counted = [e for e in evidence if e.stance is not Stance.BACKGROUND]
    with_background = evidence + [ev(key, "background", 500) for key in extra]
    a, b = assess(*counted), assess(*with_background)
    assert (a.verdict, a.grade, a.reasons, a.direct, a.participants) == (b.verdict, b.grade, b.reasons, b.direct, b.participants)
    assert sides_of(claim(*counted), REFS).disagree == sides_of(claim(*with_background), REFS).disagree


@settings(max_examples=300, deadline=None)
@given(entries)
def test_disputed_exactly_when_counted_sources_support_and_contradict(evidence):
    stances = {e.stance for e in evidence}
    assert sides_of(claim(*evidence), REFS).disagree == ({Stance.SUPPORTS, Stance.CONTRADICTS} <= stances)


@settings(max_examples=300, deadline=None)
@given(entries)
def test_web_articles_or_opinion_alone_are_never_above_d(evidence):
    only = [e for e in evidence if not REFS[e.source].study_type.is_study]
    assert assess(*only).grade == "D"


@settings(max_examples=200, deadline=None)
@given(entries)
def test_sentence_is_always_generated_and_names_only_designs_present(evidence):
    sentence = verdict_sentence(assess(*evidence))
    assert sentence.endswith(".")
    present = {REFS[e.source].study_type for e in evidence}
    for study_type, design in DESIGNS.items():
        if study_type not in present:
            pattern = rf"(?<![\w-]){re.escape(design.singular)}|(?<![\w-]){re.escape(design.plural)}"
            assert not re.search(pattern, sentence), (design.singular, sentence)
