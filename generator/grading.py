"""Grading: each source's level of evidence, and each claim's verdict and grade.

Table-driven so that the Methodology page is rendered from the very tables the code uses.
Levels run from 1 (systematic reviews) to 6 (web articles); `indirect` evidence drops one level,
as GRADE downgrades indirectness. The verdict comes from the sources at the best level present;
the grade starts from that level and moves with the adjustments below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from .model import Claim, Evidence, Reference, Stance, StudyType
from .settings import LOWEST_LEVEL


class Verdict(StrEnum):
    SUPPORTED = "supported"
    NOT_SUPPORTED = "not supported"
    CONTESTED = "contested"
    INSUFFICIENT = "insufficient evidence"


GRADES = ("A", "B", "C", "D")


@dataclass(frozen=True)
class LevelInfo:
    level: int
    name: str
    description: str
    base_grade: str


LEVELS: tuple[LevelInfo, ...] = (
    LevelInfo(1, "Level 1", "Systematic reviews and meta-analyses", "A"),
    LevelInfo(2, "Level 2", "Randomised controlled trials", "B"),
    LevelInfo(3, "Level 3", "Non-randomised controlled trials and cohort studies", "C"),
    LevelInfo(4, "Level 4", "Case-control, cross-sectional and case-series studies; guidelines", "C"),
    LevelInfo(5, "Level 5", "Narrative reviews, reference works and expert opinion", "D"),
    LevelInfo(6, "Level 6", "Web articles and other popular sources", "D"),
)
LEVEL_INFO = {info.level: info for info in LEVELS}
#: No adjustment lifts a claim above this grade when its best source is at this level or lower.
GRADE_CAP_FROM_LEVEL = {5: "D", 6: "D"}
#: Levels 5 and 6 are opinion, not measurement; a claim resting only on them cannot be "supported" by study.
STUDY_LEVELS = range(1, 5)


@dataclass(frozen=True)
class GradedEvidence:
    """An evidence entry joined to its reference, with the level it counts at."""

    evidence: Evidence
    reference: Reference
    base_level: int
    level: int

    @property
    def stance(self) -> Stance:
        return self.evidence.stance

    @property
    def is_web_article(self) -> bool:
        return self.reference.study_type is StudyType.WEB_ARTICLE


@dataclass(frozen=True)
class Tally:
    """The sources at one level, by stance."""

    supports: int = 0
    contradicts: int = 0
    mixed: int = 0

    @staticmethod
    def of(entries: list[GradedEvidence]) -> Tally:
        return Tally(
            supports=sum(e.stance is Stance.SUPPORTS for e in entries),
            contradicts=sum(e.stance is Stance.CONTRADICTS for e in entries),
            mixed=sum(e.stance is Stance.MIXED for e in entries),
        )


@dataclass(frozen=True)
class Situation:
    """What the rules look at: the tally at the best level and just below it."""

    best_level: int
    top: Tally
    below: Tally
    popular_supports: bool


@dataclass(frozen=True)
class VerdictRule:
    name: str
    verdict: Verdict
    description: str
    applies: Callable[[Situation], bool]


@dataclass(frozen=True)
class GradeAdjustment:
    name: str
    steps: int
    description: str
    applies: Callable[[Situation, Verdict], bool]


#: First matching rule gives the verdict.
VERDICT_RULES: tuple[VerdictRule, ...] = (
    VerdictRule(
        "no-study",
        Verdict.INSUFFICIENT,
        "Only web articles speak to the claim: no study, review or expert body does.",
        lambda s: s.best_level >= 6,
    ),
    VerdictRule(
        "split-at-best-level",
        Verdict.CONTESTED,
        "Sources at the best level available take opposite sides, or all of them report mixed results.",
        lambda s: (s.top.supports and s.top.contradicts) or (s.top.mixed and not s.top.supports and not s.top.contradicts),
    ),
    VerdictRule(
        "best-level-supports",
        Verdict.SUPPORTED,
        "The sources at the best level available support the claim.",
        lambda s: s.top.supports > 0,
    ),
    VerdictRule(
        "best-level-contradicts",
        Verdict.NOT_SUPPORTED,
        "The sources at the best level available contradict the claim, whatever weaker sources say.",
        lambda s: s.top.contradicts > 0,
    ),
)


def _opposite(s: Situation, verdict: Verdict) -> int:
    if verdict is Verdict.SUPPORTED:
        return s.below.contradicts
    if verdict is Verdict.NOT_SUPPORTED:
        return s.below.supports
    return 0


GRADE_ADJUSTMENTS: tuple[GradeAdjustment, ...] = (
    GradeAdjustment(
        "consistent",
        +1,
        "Two or more sources at the best level agree and none there disagrees or is mixed.",
        lambda s, v: v in (Verdict.SUPPORTED, Verdict.NOT_SUPPORTED) and max(s.top.supports, s.top.contradicts) >= 2 and s.top.mixed == 0,
    ),
    GradeAdjustment(
        "split",
        -1,
        "Comparable sources (same level) disagree: the claim is contested.",
        lambda s, v: v is Verdict.CONTESTED,
    ),
    GradeAdjustment(
        "mixed-results",
        -1,
        "Some sources at the best level report mixed results.",
        lambda s, v: v in (Verdict.SUPPORTED, Verdict.NOT_SUPPORTED) and s.top.mixed > 0,
    ),
    GradeAdjustment(
        "dissent-one-level-below",
        -1,
        "A study one level below the best takes the opposite side.",
        lambda s, v: s.best_level + 1 in STUDY_LEVELS and _opposite(s, v) > 0,
    ),
)


@dataclass(frozen=True)
class Assessment:
    """A claim's graded evidence, verdict and grade, with the rules that produced them."""

    verdict: Verdict
    grade: str
    best_level: int
    verdict_rule: str
    adjustments: tuple[str, ...]
    evidence: tuple[GradedEvidence, ...]
    popular_contradicted: bool


def level_of(reference: Reference, evidence: Evidence, levels: dict[str, int]) -> tuple[int, int]:
    """The (base, effective) level of a source on a claim: indirect evidence counts one level lower."""
    base = levels.get(str(reference.study_type), LOWEST_LEVEL) if reference.study_type else LOWEST_LEVEL
    return base, min(LOWEST_LEVEL, base + 1) if evidence.indirect else base


def _shift(grade: str, steps: int, cap: str) -> str:
    index = min(len(GRADES) - 1, max(0, GRADES.index(grade) - steps))
    return GRADES[max(index, GRADES.index(cap))]


def assess_claim(claim: Claim, references: dict[str, Reference], levels: dict[str, int]) -> Assessment:
    """Grade one claim. References that do not resolve are skipped (the check reports them)."""
    graded = []
    for evidence in claim.evidence:
        reference = references.get(evidence.source)
        if reference is None:
            continue
        base, level = level_of(reference, evidence, levels)
        graded.append(GradedEvidence(evidence, reference, base, level))
    graded.sort(key=lambda e: (e.level, list(Stance).index(e.stance), e.reference.key))
    best = min((e.level for e in graded), default=LOWEST_LEVEL)
    situation = Situation(
        best_level=best,
        top=Tally.of([e for e in graded if e.level == best]),
        below=Tally.of([e for e in graded if e.level == best + 1]),
        popular_supports=any(e.is_web_article and e.stance is Stance.SUPPORTS for e in graded),
    )
    if not graded:
        rule = VERDICT_RULES[0]
    else:
        rule = next((r for r in VERDICT_RULES if r.applies(situation)), VERDICT_RULES[0])
    cap = GRADE_CAP_FROM_LEVEL.get(best, "A")
    grade = LEVEL_INFO[best].base_grade
    applied = []
    for adjustment in GRADE_ADJUSTMENTS:
        if graded and adjustment.applies(situation, rule.verdict):
            grade = _shift(grade, adjustment.steps, cap)
            applied.append(adjustment.name)
    if rule.verdict is Verdict.INSUFFICIENT:
        grade = "D"
    return Assessment(
        verdict=rule.verdict,
        grade=grade,
        best_level=best,
        verdict_rule=rule.name,
        adjustments=tuple(applied),
        evidence=tuple(graded),
        popular_contradicted=rule.verdict is Verdict.NOT_SUPPORTED and situation.popular_supports,
    )
