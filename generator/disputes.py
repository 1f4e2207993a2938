"""Disagreement: which claims have counted sources on opposite sides, and which claims oppose each other.

Marked separately from the verdict: a well-supported claim can still have a source against it, and
readers should see who that is. Mixed results and `opposes` links are not disagreement: mixed results
lower the grade (grading), and opposing claims are shown as related claims.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from .model import Claim, Evidence, Reference, Stance


class DisputeKind(StrEnum):
    POPULAR_VS_RESEARCH = "popular articles against research"
    WITHIN_RESEARCH = "research on both sides"
    WITHIN_POPULAR = "popular articles on both sides"


@dataclass(frozen=True)
class Sides:
    """The counted sources of one claim, split by stance; background sources are left out."""

    supports: tuple[Evidence, ...]
    contradicts: tuple[Evidence, ...]
    mixed: tuple[Evidence, ...]
    kind: DisputeKind | None

    @property
    def disagree(self) -> bool:
        """At least one counted source supports the claim and at least one contradicts it."""
        return self.kind is not None


def sides_of(claim: Claim, references: dict[str, Reference]) -> Sides:
    def popular(e: Evidence) -> bool:
        reference = references.get(e.source)
        return reference is None or reference.study_type is None or reference.study_type.is_popular

    supports = tuple(e for e in claim.evidence if e.stance is Stance.SUPPORTS)
    contradicts = tuple(e for e in claim.evidence if e.stance is Stance.CONTRADICTS)
    kind = None
    if supports and contradicts:
        research_for = any(not popular(e) for e in supports)
        research_against = any(not popular(e) for e in contradicts)
        if research_for and research_against:
            kind = DisputeKind.WITHIN_RESEARCH
        elif research_for or research_against:
            kind = DisputeKind.POPULAR_VS_RESEARCH
        else:
            kind = DisputeKind.WITHIN_POPULAR
    return Sides(
        supports=supports,
        contradicts=contradicts,
        mixed=tuple(e for e in claim.evidence if e.stance is Stance.MIXED),
        kind=kind,
    )


def opposing_pairs(claims: Iterable[Claim]) -> dict[str, tuple[str, ...]]:
    """Every claim's opponents, made symmetric: if A opposes B, B opposes A. Unknown ids are dropped."""
    claims = list(claims)
    known = {c.id for c in claims}
    opponents: dict[str, set[str]] = {c.id: set() for c in claims}
    for claim in claims:
        for other in claim.opposes:
            if other in known and other != claim.id:
                opponents[claim.id].add(other)
                opponents[other].add(claim.id)
    return {claim_id: tuple(sorted(ids)) for claim_id, ids in opponents.items()}


def unique_pairs(opponents: dict[str, tuple[str, ...]]) -> list[tuple[str, str]]:
    """Each opposing pair once, in a stable order."""
    return sorted({tuple(sorted((a, b))) for a, others in opponents.items() for b in others})
