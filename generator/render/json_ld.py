"""schema.org ClaimReview for a claim page, as a dict the theme serialises with |tojson."""

from __future__ import annotations

from ..assess import ClaimView
from ..grading import verdict_order
from ..model import Stance
from ..urls import safe_url


def claim_review_rating(assessment) -> int:
    """ClaimReview's 1 (false) to 5 (true) scale from the verdict's order: certainty moves the ends.

    Supported with high or moderate certainty is 5, with low or very low 4; not supported mirrors it
    (1 and 2); contested, inconclusive and insufficient evidence are 3, named in alternateName.
    """
    order = verdict_order(assessment)
    return 3 + (order > 0) + (order >= 3) - (order < 0) - (order <= -3)


def claim_json_ld(view: ClaimView, site_url: str, site_name: str, labels: dict[str, str]) -> dict:
    item = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": view.claim.text,
        "datePublished": str(view.claim.reviewed) if view.claim.reviewed else None,
        "author": {"@type": "Organization", "name": site_name or "Evidence site"},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": claim_review_rating(view.assessment),
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": f"{view.assessment.verdict.value.capitalize()} (grade {view.assessment.grade})",
        },
        "itemReviewed": {
            "@type": "Claim",
            "appearance": [
                {"@type": "CreativeWork", "name": labels.get(e.reference.key, e.reference.key), **({"url": url} if (url := safe_url(e.reference.url)) else {})}
                for e in view.assessment.evidence
                if e.is_web_article and e.stance is Stance.SUPPORTS
            ],
        },
    }
    if site_url:
        item["url"] = site_url.rstrip("/") + "/" + view.url
    return {k: v for k, v in item.items() if v is not None}
