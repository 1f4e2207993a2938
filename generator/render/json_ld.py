"""schema.org ClaimReview for a claim page, as a dict the theme serialises with |tojson.

The claim reviewed is the one popular articles make: `itemReviewed` names those articles
(`appearance`) and their authors; the review itself is the claim page (`url`) by the site's publisher.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ..assess import ClaimView
from ..grading import GRADE_BY_LETTER, verdict_order
from ..model import Person, Reference, Stance
from ..urls import safe_url


def claim_review_rating(assessment) -> int:
    """ClaimReview's 1 (false) to 5 (true) scale from the verdict's order: certainty moves the ends.

    Supported with high or moderate certainty is 5, with low or very low 4; not supported mirrors it
    (1 and 2); contested, inconclusive and insufficient evidence are 3, named in alternateName.
    """
    order = verdict_order(assessment)
    return 3 + (order > 0) + (order >= 3) - (order < 0) - (order <= -3)


def _person(person: Person) -> dict:
    if person.literal:
        return {"@type": "Organization", "name": person.literal}
    return {"@type": "Person", "name": f"{person.given} {person.family}".strip()}


def article_authors(ref: Reference) -> list[dict]:
    """Who wrote a popular article: its named authors, else the organisation or website behind it."""
    if ref.authors:
        return [_person(p) for p in ref.authors]
    url = safe_url(ref.url)
    name = ref.publisher or ref.container or (urlsplit(url).hostname if url else "")
    if not name:
        return []
    home = f"{urlsplit(url).scheme}://{urlsplit(url).hostname}/" if url else ""
    return [{"@type": "Organization", "name": name, **({"url": home} if home else {})}]


def claim_json_ld(
    view: ClaimView,
    site_url: str,
    site_name: str,
    labels: dict[str, str],
    *,
    publisher: str = "",
    publisher_url: str = "",
) -> dict:
    """The ClaimReview; `publisher` and `publisher_url` name its author, else the site itself does."""
    a = view.assessment
    articles = [e.reference for e in a.evidence if e.is_web_article and e.stance is Stance.SUPPORTS]
    authors = [author for ref in articles for author in article_authors(ref)]
    review_author = {"@type": "Organization", "name": publisher or site_name or "Evidence site"}
    if author_url := safe_url(publisher_url) or safe_url(site_url):
        review_author["url"] = author_url
    item = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": view.claim.text,
        "datePublished": str(view.claim.reviewed) if view.claim.reviewed else None,
        "author": review_author,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": claim_review_rating(a),
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": f"{a.verdict.value.capitalize()}, {GRADE_BY_LETTER[a.grade].certainty} certainty (grade {a.grade})",
        },
        "itemReviewed": {
            "@type": "Claim",
            **({"author": authors} if authors else {}),
            "appearance": [{"@type": "CreativeWork", "name": labels.get(ref.key, ref.key), **({"url": url} if (url := safe_url(ref.url)) else {})} for ref in articles],
        },
    }
    if site_url:
        item["url"] = site_url.rstrip("/") + "/" + view.url
    return {k: v for k, v in item.items() if v is not None}
