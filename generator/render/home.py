"""The home page a site gets when content/index.md is absent: counts, most disputed claims, topics."""

from __future__ import annotations

import html

from ..assess import ClaimView, SiteModel
from ..disputes import DisputeKind
from ..grading import Verdict
from ..urls import CLAIMS_INDEX, DISPUTES, HOME, METHODOLOGY, listing_page, topic_page
from .claim_page import claim_summary
from .listings import GeneratedPage

#: How many of the most disputed claims the home page lists.
MOST_DISPUTED_SHOWN = 5
DEFAULT_HEADING = "Claims checked against the evidence"


#: Which disputes the home page shows first: research against research is the open question,
#: popular articles against research usually a myth, popular articles among themselves the least telling.
KIND_ORDER = (DisputeKind.WITHIN_RESEARCH, DisputeKind.POPULAR_VS_RESEARCH, DisputeKind.WITHIN_POPULAR)


def disagreement(view: ClaimView) -> int:
    """How evenly a claim is disputed: the number of counted sources on the smaller of the two sides
    (zero when no source contradicts another)."""
    return min(len(view.sides.supports), len(view.sides.contradicts))


def most_disputed(model: SiteModel, limit: int = MOST_DISPUTED_SHOWN) -> list[ClaimView]:
    """The disputed claims, most evenly split first, research disputes before the others, then by id."""
    ranked = sorted(model.disputed, key=lambda v: (-disagreement(v), KIND_ORDER.index(v.sides.kind), v.id))
    return ranked[:limit]


def home_page(model: SiteModel, site_name: str) -> GeneratedPage:
    """content/index.md's stand-in, laid out by the theme's evidence/home.html.

    The Markdown holds only numbers (the introduction and the counts table), so search indexes the
    page and no data needs escaping for Markdown; claim sentences and titles travel as page.meta.
    """
    total = len(model.claims)
    introduction = (
        f"This site sets {total} claim{'' if total == 1 else 's'} against the studies behind {'it' if total == 1 else 'them'}: "
        "a verdict, a grade for how much weight the verdict can bear, and the sources that disagree.\n\n"
    )
    heading = site_name or DEFAULT_HEADING
    counts = model.counts()["topic"]
    meta = {
        "template": "evidence/home.html",
        "title": html.escape(heading),
        "description": html.escape(f"{total} claims, each graded against the evidence."),
        "ev": {
            "heading": heading,
            "methodology_url": METHODOLOGY.url,
            "index_url": CLAIMS_INDEX.url,
            "disputes_url": listing_page(DISPUTES, 1).url,
            "disputed_total": len(model.disputed),
            "disputed": [claim_summary(v) for v in most_disputed(model)],
            "topics": [{"title": title, "url": topic_page(topic).url, "count": counts.get(topic, 0)} for topic, title in model.topics.items()],
        },
    }
    return GeneratedPage(HOME, meta, introduction + summary_markdown(model) + "\n")


def summary_markdown(model: SiteModel) -> str:
    counts = model.counts()
    rows = [
        "| At a glance | Number |",
        "|---|---:|",
        f"| Claims | {len(model.claims)} |",
        *[f"| {v.symbol} {v.value.capitalize()} | {counts['verdict'].get(v.value, 0)} |" for v in Verdict],
        f"| ⚠ Sources disagree | {counts['disputed'].get('disputed', 0)} |",
        f"| References | {len(model.references)} |",
    ]
    return "\n".join(rows)
