"""The home page a site gets when content/index.md is absent: counts, most disputed claims, topics."""

from __future__ import annotations

from markupsafe import Markup

from ..assess import ClaimView, SiteModel
from .citations import markdown_text
from .environment import make_environment
from .pages import summary_markdown

#: How many of the most disputed claims the home page lists.
MOST_DISPUTED_SHOWN = 5


def disagreement(view: ClaimView) -> int:
    """How much a claim is disputed: sources on the weaker of two opposite sides, sources reporting
    mixed results, and other claims that oppose it. Zero for a claim nobody disputes."""
    sides = view.sides
    return min(len(sides.supports), len(sides.contradicts)) + len(sides.mixed) + len(view.opponents)


def most_disputed(model: SiteModel, limit: int = MOST_DISPUTED_SHOWN) -> list[ClaimView]:
    """The disputed claims with the most disagreement first; ties go to the claim with more evidence."""
    ranked = sorted(model.disputed, key=lambda v: (-disagreement(v), -len(v.claim.evidence), v.id))
    return ranked[:limit]


def home_page(model: SiteModel, site_name: str) -> str:
    """content/index.md's stand-in, as Markdown whose links point at .md files (same in every renderer)."""
    env = make_environment()
    # Claim sentences and topic titles are data: entities keep them from becoming Markdown or HTML.
    env.filters["markdown_text"] = lambda value: Markup(markdown_text(str(value)))
    return env.get_template("home.md.j2").render(
        site_name=site_name or "Claims checked against the evidence",
        summary=Markup(summary_markdown(model)),
        claim_count=len(model.claims),
        disputed=most_disputed(model),
        disputed_count=len(model.disputed),
        topics=[(topic, title, len(model.in_topic(topic))) for topic, title in model.topics.items()],
    )
