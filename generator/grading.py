"""Grading: each source's certainty on a claim, and each claim's verdict, grade and reasons.

Modelled on GRADE's certainty of evidence. A source starts at the certainty its study design allows
(randomised trials and reviews high, observational studies low, opinion and popular articles very low)
and loses a grade for each step of indirectness. The most certain counted sources decide the verdict;
the body of evidence then loses a grade for inconsistency (sources of equal certainty disagree, or
report mixed results) and for imprecision (fewer people than the optimal information size). Every
rule is a row of a table below, so the Methodology page is rendered from what the code does.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .model import Claim, Evidence, Reference, Stance, StudyType


class Verdict(StrEnum):
    SUPPORTED = "supported"
    NOT_SUPPORTED = "not supported"
    CONTESTED = "contested"
    INCONCLUSIVE = "inconclusive"
    INSUFFICIENT = "insufficient evidence"

    @property
    def symbol(self) -> str:
        return _VERDICT_SYMBOLS[self]


_VERDICT_SYMBOLS = {
    Verdict.SUPPORTED: "✓",
    Verdict.NOT_SUPPORTED: "✗",
    Verdict.CONTESTED: "⇄",
    Verdict.INCONCLUSIVE: "~",
    Verdict.INSUFFICIENT: "?",
}


@dataclass(frozen=True)
class Grade:
    """One step of certainty, best first; `rank` 0 is A."""

    letter: str
    rank: int
    certainty: str
    meaning: str


GRADES: tuple[Grade, ...] = (
    Grade("A", 0, "high", "Further research is very unlikely to change the verdict."),
    Grade("B", 1, "moderate", "Further research may well change how strong the effect looks, and could change the verdict."),
    Grade("C", 2, "low", "Further research is likely to change the verdict."),
    Grade("D", 3, "very low", "The verdict is little more than a best guess."),
)
GRADE_BY_LETTER = {grade.letter: grade for grade in GRADES}
LOWEST = len(GRADES) - 1


class EvidenceKind(StrEnum):
    """What a source is, which decides whether it can decide a verdict at all."""

    STUDY = "study"
    OPINION = "opinion"
    POPULAR = "popular"


@dataclass(frozen=True)
class Design:
    """A study type's starting certainty and its names in the generated sentences."""

    study_type: StudyType
    start: int
    singular: str
    plural: str

    @property
    def kind(self) -> EvidenceKind:
        if self.study_type.is_popular:
            return EvidenceKind.POPULAR
        return EvidenceKind.OPINION if self.study_type.is_opinion else EvidenceKind.STUDY


_A, _C, _D = 0, 2, 3
DESIGNS: dict[StudyType, Design] = {
    d.study_type: d
    for d in (
        Design(StudyType.META_ANALYSIS, _A, "meta-analysis", "meta-analyses"),
        Design(StudyType.SYSTEMATIC_REVIEW, _A, "systematic review", "systematic reviews"),
        Design(StudyType.RCT, _A, "randomised controlled trial", "randomised controlled trials"),
        Design(StudyType.CONTROLLED_TRIAL, _C, "non-randomised controlled trial", "non-randomised controlled trials"),
        Design(StudyType.COHORT, _C, "cohort study", "cohort studies"),
        Design(StudyType.CASE_CONTROL, _C, "case-control study", "case-control studies"),
        Design(StudyType.CROSS_SECTIONAL, _C, "cross-sectional study", "cross-sectional studies"),
        Design(StudyType.CASE_SERIES, _D, "case series", "case series"),
        Design(StudyType.NARRATIVE_REVIEW, _D, "narrative review", "narrative reviews"),
        Design(StudyType.GUIDELINE, _D, "guideline", "guidelines"),
        Design(StudyType.EXPERT_OPINION, _D, "expert opinion", "expert opinions"),
        Design(StudyType.REFERENCE_WORK, _D, "reference work", "reference works"),
        Design(StudyType.WEB_ARTICLE, _D, "popular article", "popular articles"),
    )
}
#: Study types without a `studytype` the check has already reported; they count as popular articles.
UNKNOWN_DESIGN = DESIGNS[StudyType.WEB_ARTICLE]

#: What decides a verdict, strongest first: popular articles only when nothing else is counted.
KIND_ORDER = (EvidenceKind.STUDY, EvidenceKind.OPINION, EvidenceKind.POPULAR)

DEFAULT_IMPRECISION_THRESHOLD = 400


class ReasonCode(StrEnum):
    INDIRECTNESS = "indirectness"
    INCONSISTENCY = "inconsistency"
    IMPRECISION = "imprecision"


@dataclass(frozen=True)
class Downgrade:
    """A row of the Methodology page: a reason the certainty of a body of evidence is lowered."""

    code: ReasonCode
    steps: str
    rule: str


DOWNGRADES: tuple[Downgrade, ...] = (
    Downgrade(
        ReasonCode.INDIRECTNESS,
        "1 per source, or 2 when `very serious`",
        "A source that studied another population, another outcome or cramps induced in a lab, rather than the claim as worded. "
        "It is lowered before sources are compared, so an indirect trial can never decide a verdict over a direct one of equal design.",
    ),
    Downgrade(
        ReasonCode.INCONSISTENCY,
        "1",
        "The deciding sources (those of the highest certainty) point in opposite directions, or some of them report mixed results.",
    ),
    Downgrade(
        ReasonCode.IMPRECISION,
        "1",
        "The deciding studies together measured fewer people than the threshold (GRADE's rule of thumb for an optimal information size). "
        "A study whose size is not given counts as zero people, and the page names it.",
    ),
)


@dataclass(frozen=True)
class VerdictRule:
    """A row of the Methodology page: which verdict the deciding sources give."""

    verdict: Verdict
    when: str


VERDICT_RULES: tuple[VerdictRule, ...] = (
    VerdictRule(Verdict.INSUFFICIENT, "No study or expert source is counted: only popular articles speak to the claim, or every source is background."),
    VerdictRule(Verdict.CONTESTED, "Among the deciding sources, at least one supports the claim and at least one contradicts it."),
    VerdictRule(Verdict.SUPPORTED, "The deciding sources support the claim (some may report mixed results), and none contradicts it."),
    VerdictRule(Verdict.NOT_SUPPORTED, "The deciding sources contradict the claim (some may report mixed results), and none supports it."),
    VerdictRule(Verdict.INCONCLUSIVE, "Every deciding source reports mixed results."),
)


@dataclass(frozen=True)
class GradedEvidence:
    """An evidence entry joined to its reference, with the certainty it counts at on this claim."""

    evidence: Evidence
    reference: Reference
    design: Design
    certainty: int

    @property
    def stance(self) -> Stance:
        return self.evidence.stance

    @property
    def counted(self) -> bool:
        return self.evidence.stance.counted

    @property
    def kind(self) -> EvidenceKind:
        return self.design.kind

    @property
    def indirect(self) -> bool:
        return self.evidence.indirectness is not None

    @property
    def grade(self) -> Grade:
        return GRADES[self.certainty]

    @property
    def is_web_article(self) -> bool:
        return self.kind is EvidenceKind.POPULAR


@dataclass(frozen=True)
class Reason:
    """One thing that lowered this claim's grade, in words true of this claim."""

    code: ReasonCode
    steps: int
    text: str


@dataclass(frozen=True)
class Assessment:
    """A claim's graded evidence, verdict and grade, and what produced them."""

    verdict: Verdict
    grade: str
    #: The certainty the deciding sources' design allows, before any reason lowered it.
    start: str
    reasons: tuple[Reason, ...]
    #: Every source: counted ones by certainty, then background.
    evidence: tuple[GradedEvidence, ...]
    #: The counted sources of the highest certainty, of the strongest kind present.
    deciding: tuple[GradedEvidence, ...]
    deciding_kind: EvidenceKind | None
    #: People in the deciding studies whose size is given, and the keys of those whose size is not.
    participants: int
    unknown_size: tuple[str, ...]
    imprecision_threshold: int

    @property
    def counted(self) -> tuple[GradedEvidence, ...]:
        return tuple(e for e in self.evidence if e.counted)

    @property
    def background(self) -> tuple[GradedEvidence, ...]:
        return tuple(e for e in self.evidence if not e.counted)

    @property
    def direct(self) -> bool:
        """Some deciding study or expert source answers the claim as worded."""
        return self.deciding_kind in (EvidenceKind.STUDY, EvidenceKind.OPINION) and any(not e.indirect for e in self.deciding)

    @property
    def popular_contradicted(self) -> bool:
        """Popular articles make the claim, and the deciding evidence contradicts it."""
        return self.verdict is Verdict.NOT_SUPPORTED and any(e.is_web_article and e.stance is Stance.SUPPORTS for e in self.evidence)

    @property
    def grade_info(self) -> Grade:
        return GRADE_BY_LETTER[self.grade]

    def by_stance(self, stance: Stance) -> tuple[GradedEvidence, ...]:
        """The deciding sources that take this stance."""
        return tuple(e for e in self.deciding if e.stance is stance)

    def decides(self, e: GradedEvidence) -> bool:
        """Whether this source is one of those that decide the verdict."""
        return any(e is d for d in self.deciding)

    @property
    def people(self) -> int | None:
        """People in the deciding studies whose size is given; None when opinion or articles decide."""
        return self.participants if self.deciding_kind is EvidenceKind.STUDY else None


def design_of(reference: Reference) -> Design:
    return DESIGNS.get(reference.study_type, UNKNOWN_DESIGN) if reference.study_type else UNKNOWN_DESIGN


def certainty_of(design: Design, evidence: Evidence) -> int:
    """A source's certainty on one claim: its design's start, lowered for indirectness, never below D."""
    steps = evidence.indirectness.steps if evidence.indirectness else 0
    return min(LOWEST, design.start + steps)


def _sort_key(e: GradedEvidence) -> tuple:
    return (not e.counted, KIND_ORDER.index(e.kind), e.certainty, list(Stance).index(e.stance), e.reference.key)


def assess_claim(claim: Claim, references: dict[str, Reference], imprecision_threshold: int = DEFAULT_IMPRECISION_THRESHOLD) -> Assessment:
    """Grade one claim. References that do not resolve are skipped (the check reports them)."""
    graded = []
    for evidence in claim.evidence:
        reference = references.get(evidence.source)
        if reference is not None:
            design = design_of(reference)
            graded.append(GradedEvidence(evidence, reference, design, certainty_of(design, evidence)))
    graded.sort(key=_sort_key)
    counted = [e for e in graded if e.counted]
    deciding_kind = next((kind for kind in KIND_ORDER if any(e.kind is kind for e in counted)), None)
    if deciding_kind in (None, EvidenceKind.POPULAR):
        return Assessment(Verdict.INSUFFICIENT, "D", "D", (), tuple(graded), (), deciding_kind, 0, (), imprecision_threshold)

    of_kind = [e for e in counted if e.kind is deciding_kind]
    top = min(e.certainty for e in of_kind)
    deciding = tuple(e for e in of_kind if e.certainty == top)
    stances = {e.stance for e in deciding}
    if Stance.SUPPORTS in stances and Stance.CONTRADICTS in stances:
        verdict = Verdict.CONTESTED
    elif Stance.SUPPORTS in stances:
        verdict = Verdict.SUPPORTED
    elif Stance.CONTRADICTS in stances:
        verdict = Verdict.NOT_SUPPORTED
    else:
        verdict = Verdict.INCONCLUSIVE

    # Prefer the explanation that names no indirectness when a direct deciding source exists.
    direct = [e for e in deciding if not e.indirect]
    start = min(e.design.start for e in (direct or deciding))
    reasons: list[Reason] = []
    if top > start:
        reasons.append(Reason(ReasonCode.INDIRECTNESS, top - start, _indirectness_text(deciding)))
    if verdict is Verdict.CONTESTED:
        reasons.append(Reason(ReasonCode.INCONSISTENCY, 1, "sources of equal certainty point in opposite directions"))
    elif verdict is not Verdict.INCONCLUSIVE and Stance.MIXED in stances:
        mixed = sum(e.stance is Stance.MIXED for e in deciding)
        reasons.append(Reason(ReasonCode.INCONSISTENCY, 1, f"{_count(mixed)} of the deciding sources {'reports' if mixed == 1 else 'report'} mixed results"))
    participants = sum(e.evidence.participants or 0 for e in deciding)
    unknown = tuple(e.reference.key for e in deciding if not e.evidence.participants) if deciding_kind is EvidenceKind.STUDY else ()
    if deciding_kind is EvidenceKind.STUDY and participants < imprecision_threshold:
        size = "it is small" if len(deciding) == 1 else "together they are small"
        reasons.append(Reason(ReasonCode.IMPRECISION, 1, f"{size} (fewer than {imprecision_threshold:,} people)"))
    rank = min(LOWEST, top + sum(r.steps for r in reasons if r.code is not ReasonCode.INDIRECTNESS))
    return Assessment(
        verdict=verdict,
        grade=GRADES[rank].letter,
        start=GRADES[start].letter,
        reasons=tuple(reasons),
        evidence=tuple(graded),
        deciding=deciding,
        deciding_kind=deciding_kind,
        participants=participants,
        unknown_size=unknown,
        imprecision_threshold=imprecision_threshold,
    )


def _indirectness_text(deciding: tuple[GradedEvidence, ...]) -> str:
    indirect = [e for e in deciding if e.indirect]
    very = any(e.evidence.indirectness.steps > 1 for e in indirect)
    adjective = "very indirect" if very else "indirect"
    if len(deciding) == 1:
        return f"it is {adjective} ({indirect[0].evidence.indirect})"
    reasons = {e.evidence.indirect for e in indirect}
    which = "both are" if len(deciding) == 2 else f"all {_count(len(deciding))} are"
    return f"{which} {adjective} ({reasons.pop()})" if len(reasons) == 1 else f"{which} {adjective} (each reason is in the evidence table)"


_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _count(n: int) -> str:
    return _NUMBER_WORDS[n] if n < len(_NUMBER_WORDS) else f"{n:,}"


def describe_sources(sources: tuple[GradedEvidence, ...]) -> str:
    """'two randomised controlled trials and one cohort study': the real designs, counted."""
    counts: dict[Design, int] = {}
    for e in sources:
        counts[e.design] = counts.get(e.design, 0) + 1
    parts = [f"{_count(n)} {design.singular if n == 1 else design.plural}" for design, n in sorted(counts.items(), key=lambda kv: (kv[0].start, kv[0].singular))]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _people(a: Assessment) -> str:
    if a.people is None:
        return ""
    n = len(a.deciding)
    if not a.unknown_size:
        return f" ({a.participants:,} people{' in all' if n > 1 else ''})"
    if len(a.unknown_size) == n:
        return " (size not given)" if n == 1 else " (sizes not given)"
    return f" (at least {a.participants:,} people; {_count(len(a.unknown_size))} {'size' if len(a.unknown_size) == 1 else 'sizes'} not given)"


def _verb(sources: tuple[GradedEvidence, ...] | list[GradedEvidence], singular: str, plural: str) -> str:
    return singular if len(sources) == 1 else plural


def verdict_sentence(a: Assessment) -> str:
    """The one sentence that says why the claim got its verdict and grade, from the deciding sources only."""
    if a.verdict is Verdict.INSUFFICIENT:
        popular = [e for e in a.counted if e.is_web_article]
        background = " The studies shown here are background: they answer a related question, not this one." if a.background else ""
        if popular:
            return f"Insufficient evidence: only {describe_sources(tuple(popular))} {_verb(popular, 'speaks', 'speak')} to this claim; no study or expert source does.{background}"
        return "Insufficient evidence: no source shown here tested this claim." + background
    head = f"{a.grade_info.certainty.capitalize()} certainty: "
    supports, contradicts, mixed = (a.by_stance(s) for s in (Stance.SUPPORTS, Stance.CONTRADICTS, Stance.MIXED))
    if a.verdict is Verdict.CONTESTED:
        body = f"{describe_sources(supports)} {_verb(supports, 'supports', 'support')} it and {describe_sources(contradicts)} {_verb(contradicts, 'contradicts', 'contradict')} it"
    elif a.verdict is Verdict.INCONCLUSIVE:
        body = f"{describe_sources(mixed)} {_verb(mixed, 'reports', 'report')} mixed results"
    else:
        side, verb = (supports, ("supports", "support")) if a.verdict is Verdict.SUPPORTED else (contradicts, ("contradicts", "contradict"))
        body = f"{describe_sources(side)} {_verb(side, *verb)} it"
        if mixed:
            body += f", while {describe_sources(mixed)} {_verb(mixed, 'reports', 'report')} mixed results"
        if a.popular_contradicted:
            body = "popular articles make this claim, but " + body
    body += _people(a)
    if a.deciding_kind is EvidenceKind.OPINION:
        body += "; no study has tested it, so the certainty cannot rise above very low"
    if a.reasons and a.start != a.grade:
        body += f"; lowered from {GRADE_BY_LETTER[a.start].certainty} because " + _join([r.text for r in a.reasons])
    elif a.reasons:
        body += "; besides, " + _join([r.text for r in a.reasons])
    return head + body + "."


def _join(parts: list[str]) -> str:
    if len(parts) < 3:
        return " and ".join(parts)
    return ", ".join(parts[:-1]) + ", and " + parts[-1]


#: Verdicts ordered from most against to most for the claim; the grade orders within each end.
def verdict_order(a: Assessment) -> int:
    """Not supported A..D < contested = inconclusive = insufficient < supported D..A."""
    rank = GRADE_BY_LETTER[a.grade].rank
    if a.verdict is Verdict.NOT_SUPPORTED:
        return rank - LOWEST - 1
    if a.verdict is Verdict.SUPPORTED:
        return LOWEST - rank + 1
    return 0
