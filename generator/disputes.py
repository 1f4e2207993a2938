"""Disagreement: which claims have sources on opposite sides, and which claims oppose each other.

Marked separately from the verdict: a well-supported claim can still have a source against it,
and readers should see who that is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .model import Claim, Evidence, Stance


@dataclass(frozen=True)
class Sides:
    """The sources of one claim, split by stance."""

    supports: tuple[Evidence, ...]
    contradicts: tuple[Evidence, ...]
    mixed: tuple[Evidence, ...]

    @property
    def disagree(self) -> bool:
        """Sources take opposite stances, or any reports mixed results."""
        return bool(self.supports and self.contradicts) or bool(self.mixed)


def sides_of(claim: Claim) -> Sides:
    return Sides(
        supports=tuple(e for e in claim.evidence if e.stance is Stance.SUPPORTS),
        contradicts=tuple(e for e in claim.evidence if e.stance is Stance.CONTRADICTS),
        mixed=tuple(e for e in claim.evidence if e.stance is Stance.MIXED),
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
