"""schema.org ClaimReview for a claim page, as a dict the theme serialises with |tojson."""

from __future__ import annotations

from ..assess import ClaimView
from ..grading import Verdict
from ..model import Stance
from ..urls import safe_url

RATING = {Verdict.SUPPORTED: 5, Verdict.CONTESTED: 3, Verdict.INSUFFICIENT: 2, Verdict.NOT_SUPPORTED: 1}


def claim_json_ld(view: ClaimView, site_url: str, site_name: str, labels: dict[str, str]) -> dict:
    verdict = view.assessment.verdict
    item = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": view.claim.text,
        "datePublished": str(view.claim.reviewed) if view.claim.reviewed else None,
        "author": {"@type": "Organization", "name": site_name or "Evidence site"},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATING[verdict],
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": f"{verdict.value.capitalize()} (grade {view.assessment.grade})",
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
