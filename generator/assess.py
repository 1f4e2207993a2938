"""The read-only view model of the whole site: graded claims, disputes, backlinks, scorecards, counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from .disputes import Sides, opposing_pairs, sides_of, unique_pairs
from .grading import GRADES, Assessment, GradedEvidence, ReasonCode, Verdict, assess_claim, verdict_sentence
from .model import Claim, Evidence, Project, Reference, Stance
from .settings import Settings
from .urls import claim_page


@dataclass(frozen=True)
class BalanceSegment:
    """One counted source in the balance picture: direction by colour, certainty by width."""

    key: str
    stance: Stance
    grade: str
    weight: int
    deciding: bool


@dataclass(frozen=True)
class ClaimView:
    claim: Claim
    assessment: Assessment
    sides: Sides
    opponents: tuple[str, ...]
    topic_title: str

    @property
    def id(self) -> str:
        return self.claim.id

    @property
    def page(self) -> str:
        """The generated page's path inside the docs folder."""
        return claim_page(self.claim.topic, self.claim.id).file

    @cached_property  # every listing that shows the claim asks again
    def url(self) -> str:
        return claim_page(self.claim.topic, self.claim.id).url

    @property
    def disputed(self) -> bool:
        return self.sides.disagree

    @cached_property  # the page, its JSON-LD and claims.json all state it
    def sentence(self) -> str:
        return verdict_sentence(self.assessment)

    @cached_property
    def balance(self) -> tuple[BalanceSegment, ...]:
        """Counted sources only (background never shows), widest for the most certain."""

        def segment(e: GradedEvidence) -> BalanceSegment:
            return BalanceSegment(e.reference.key, e.stance, e.grade.letter, len(GRADES) - e.certainty, self.assessment.decides(e))

        return tuple(segment(e) for e in self.assessment.counted)


@dataclass(frozen=True)
class Backlink:
    claim_id: str
    stance: Stance


@dataclass(frozen=True)
class MisreadCitation:
    """A web article cites a study for a claim, and that study does not support the claim."""

    claim_id: str
    article: str
    study: str
    study_stance: Stance | None


@dataclass(frozen=True)
class Scorecard:
    """How the claims one web article makes hold up."""

    reference: Reference
    entries: tuple[tuple[str, Stance], ...]
    verdicts: dict[str, int]
    misread: tuple[MisreadCitation, ...]

    @property
    def claims_made(self) -> int:
        return sum(1 for _, stance in self.entries if stance is Stance.SUPPORTS)


@dataclass(frozen=True)
class SiteModel:
    claims: tuple[ClaimView, ...]
    references: dict[str, Reference]
    backlinks: dict[str, tuple[Backlink, ...]]
    pairs: tuple[tuple[str, str], ...]
    scorecards: tuple[Scorecard, ...]
    topics: dict[str, str]
    imprecision_threshold: int
    by_id: dict[str, ClaimView] = field(default_factory=dict)

    def counts(self) -> dict[str, Counter]:
        return {
            "verdict": Counter(str(c.assessment.verdict) for c in self.claims),
            "grade": Counter(c.assessment.grade for c in self.claims),
            "topic": Counter(c.claim.topic for c in self.claims),
            "disputed": Counter("disputed" if c.disputed else "agreed" for c in self.claims),
        }

    @cached_property
    def scorecard_keys(self) -> frozenset[str]:
        return frozenset(card.reference.key for card in self.scorecards)

    def in_topic(self, topic: str) -> list[ClaimView]:
        return [c for c in self.claims if c.claim.topic == topic]

    @cached_property  # each page of the disputes listing states the total: once, not once a page
    def disputed(self) -> tuple[ClaimView, ...]:
        return tuple(c for c in self.claims if c.disputed)


def build_site_model(project: Project, settings: Settings) -> SiteModel:
    """Grade every claim and derive everything the pages show. Pure: no I/O."""
    opponents = opposing_pairs(project.claims)
    views = tuple(
        ClaimView(
            claim=claim,
            assessment=assess_claim(claim, project.references, settings.imprecision_threshold),
            sides=sides_of(claim, project.references),
            opponents=opponents.get(claim.id, ()),
            topic_title=settings.topics.get(claim.topic, claim.topic),
        )
        for claim in project.claims
    )
    by_id = {view.id: view for view in views}
    backlinks: dict[str, list[Backlink]] = {key: [] for key in project.references}
    evidence_by_source: dict[str, list[tuple[ClaimView, Evidence]]] = {key: [] for key in project.references}
    for view in views:
        for evidence in view.claim.evidence:
            if evidence.source in backlinks:
                backlinks[evidence.source].append(Backlink(view.id, evidence.stance))
                evidence_by_source[evidence.source].append((view, evidence))
    scorecards = []
    for key, reference in project.references.items():
        if not reference.is_web_article:
            continue
        entries, verdicts, misread = [], Counter(), []
        for view, mine in evidence_by_source[key]:
            entries.append((view.id, mine.stance))
            if mine.stance is Stance.SUPPORTS:
                verdicts[str(view.assessment.verdict)] += 1
            stances = {e.source: e.stance for e in view.claim.evidence}
            for study in mine.cites:
                study_stance = stances.get(study)
                if study_stance is not mine.stance:
                    misread.append(MisreadCitation(view.id, key, study, study_stance))
        if any(stance is Stance.SUPPORTS for _, stance in entries):  # a scorecard is for articles that make claims
            scorecards.append(Scorecard(reference, tuple(entries), {v.value: verdicts.get(v.value, 0) for v in Verdict}, tuple(misread)))
    return SiteModel(
        claims=views,
        references=project.references,
        backlinks={k: tuple(v) for k, v in backlinks.items()},
        pairs=tuple(unique_pairs(opponents)),
        scorecards=tuple(sorted(scorecards, key=lambda s: s.reference.title.lower())),
        topics=settings.topics,
        imprecision_threshold=settings.imprecision_threshold,
        by_id=by_id,
    )


@dataclass(frozen=True)
class WorkedExample:
    """A real claim of the site that shows one rule of the Methodology page at work."""

    rule: str
    #: None when no claim of the site shows the rule at present; the page says so rather than invent one.
    claim: ClaimView | None


def methodology_examples(model: SiteModel) -> tuple[WorkedExample, ...]:
    """For every verdict and every reason to lower a grade, the first claim of the site it applies to."""
    wanted: list[tuple[str, object]] = [(f"verdict: {v.value}", lambda c, v=v: c.assessment.verdict is v) for v in Verdict]
    wanted += [(f"lowered for {code.value}", lambda c, code=code: any(r.code is code for r in c.assessment.reasons)) for code in ReasonCode]
    wanted.append(("background sources shown, not counted", lambda c: bool(c.assessment.background)))
    wanted.append(("sources disagree", lambda c: c.disputed))
    examples = []
    for rule, applies in wanted:
        examples.append(WorkedExample(rule, next((c for c in model.claims if applies(c)), None)))
    return tuple(examples)
