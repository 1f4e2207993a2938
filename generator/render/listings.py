"""The pages that list claims, references and sources, as data for the theme, in pages of bounded size.

Listings show claims as render/claim_page.py's claim_summary, computed once per build and passed in.

No listing grows with the site: topics, the bibliography, the disputes and the source scorecards
are split into numbered pages, and the claims index loads its rows from small data files.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from ..assess import SiteModel
from ..model import Stance
from ..urls import CLAIMS_INDEX, DISPUTES, REFERENCES, SOURCES, TAGS, PageLocation, listing_page, reference_anchor, scorecard_page, tag_page, topic_page
from .claims_json import INDEX_COLUMNS, INDEX_FACETS, index_files
from .reference_text import ReferenceTexts
from .vocabulary import GRADE_ORDER, VERDICT_ORDER, grade_badge, grade_meaning, legend, stance_mark, verdict_badge

T = TypeVar("T")

CLAIMS_PER_PAGE = 100
REFERENCES_PER_PAGE = 100
DISPUTES_PER_PAGE = 50
SOURCES_PER_PAGE = 200
#: The claims index's data files: split by topic and verdict (claims_json.index_files), and each at this size,
#: so that a filtered first screen (200 rows, about 35 KB) never fetches much more than it shows.
INDEX_CHUNK_BYTES = 50_000
#: Rows of the claims index shown at first and added by each "Show more".
INDEX_ROWS_PER_STEP = 200
#: What the claims index may fetch before the reader interacts, a shared filtered link included. With the
#: page's HTML it stays under the issue's 1 MB at 10,000 claims; a sort that needs more waits for a click.
INDEX_BYTES_BEFORE_INTERACTION = 500_000


@dataclass(frozen=True)
class GeneratedPage:
    """One page of the generated source: where it goes, its front matter and its Markdown."""

    location: PageLocation
    meta: dict
    markdown: str = ""


def _pages(items: Sequence[T], per_page: int) -> list[Sequence[T]]:
    return [items[i : i + per_page] for i in range(0, len(items), per_page)] or [items[:0]]


def _pagination(locate: Callable[[int], PageLocation], number: int, count: int) -> dict:
    return {
        "number": number,
        "count": count,
        "pages": [{"number": n, "url": locate(n).url} for n in range(1, count + 1)] if count > 1 else [],
        "previous": locate(number - 1).url if number > 1 else "",
        "next": locate(number + 1).url if number < count else "",
    }


def _meta(template: str, title: str, description: str, ev: dict, *, searchable: bool = True) -> dict:
    meta = {"template": template, "title": html.escape(title), "description": html.escape(description), "ev": ev}
    if not searchable:
        meta["search"] = {"exclude": True}
    return meta


def _paged_title(title: str, number: int, count: int) -> str:
    return f"{title} (page {number} of {count})" if count > 1 else title


def _claim_list_pages(views: Sequence, summaries: dict[str, dict], locate: Callable[[int], PageLocation], heading: str, description: str, scope: str) -> list[GeneratedPage]:
    """One list of claims (a topic's, a tag's) in numbered pages of CLAIMS_PER_PAGE rows."""
    chunks = _pages(views, CLAIMS_PER_PAGE)
    return [
        GeneratedPage(
            locate(number),
            _meta(
                "evidence/topic.html",
                _paged_title(heading, number, len(chunks)),
                description,
                {
                    "heading": heading,
                    "total": len(views),
                    "count_text": f"{len(views)} claim{'' if len(views) == 1 else 's'} {scope}.",
                    "index_url": CLAIMS_INDEX.url,
                    "rows": [summaries[v.id] for v in chunk],
                    "legend": legend(),
                    "pagination": _pagination(locate, number, len(chunks)),
                },
                searchable=False,
            ),
        )
        for number, chunk in enumerate(chunks, 1)
    ]


def topic_pages(model: SiteModel, summaries: dict[str, dict]) -> list[GeneratedPage]:
    """Each topic's claims, paginated: the index's fallback for readers without script."""
    pages = []
    for topic, title in model.topics.items():
        pages += _claim_list_pages(
            model.in_topic(topic),
            summaries,
            lambda n, t=topic: topic_page(t, n),
            title,
            f"Claims about {title.lower()}, each with its verdict and grade.",
            "in this topic",
        )
    return pages


def tag_pages(model: SiteModel, summaries: dict[str, dict]) -> list[GeneratedPage]:
    """The list of tags with their counts, and each tag's claims, paginated like a topic.

    These replace a single page listing every tagged claim, which would grow with the site.
    """
    tagged: dict[str, list] = {}
    for view in model.claims:
        for tag in view.claim.tags:
            tagged.setdefault(tag, []).append(view)
    tags = sorted(tagged, key=lambda t: (t.lower(), t))
    pages = [
        GeneratedPage(
            TAGS,
            _meta(
                "evidence/tags.html",
                "Tags",
                "Every tag the editors gave claims, with how many claims carry it.",
                {"heading": "Tags", "tags": [{"name": t, "url": tag_page(t).url, "count": len(tagged[t])} for t in tags]},
                searchable=False,
            ),
        )
    ]
    for tag in tags:
        pages += _claim_list_pages(tagged[tag], summaries, lambda n, t=tag: tag_page(t, n), f"Tag: {tag}", f"Claims tagged {tag}, each with its verdict and grade.", "with this tag")
    return pages


def index_page(model: SiteModel) -> tuple[GeneratedPage, dict[str, str]]:
    """The claims index, and its data files as {path: JSON}.

    The page is filters and an empty table; the script fetches rows from the data files, choosing by the
    counts each file lists (its facet combinations) only the files the filters can match.
    """
    counts = model.counts()
    present_verdicts = [v for v in VERDICT_ORDER if counts["verdict"].get(v.value)]
    present_grades = [g for g in GRADE_ORDER if counts["grade"].get(g)]
    files = index_files(list(model.claims), model.topics, chunk_bytes=INDEX_CHUNK_BYTES, first_rows=INDEX_ROWS_PER_STEP)
    paths = [f"claims/index-{n}.json" for n in range(1, len(files) + 1)]
    page = GeneratedPage(
        CLAIMS_INDEX,
        _meta(
            "evidence/claims-index.html",
            "All claims",
            "Every claim on the site with its verdict, grade and evidence balance; filter and sort.",
            {
                "total": len(model.claims),
                "data_url": "claims.json",
                "topics": [{"id": t, "title": title, "url": topic_page(t).url, "count": counts["topic"].get(t, 0)} for t, title in model.topics.items()],
                "verdicts": [verdict_badge(v) for v in present_verdicts],
                "grades": [{"letter": g, "meaning": grade_meaning(g)} for g in present_grades],
                "legend": legend(),
                "script": {
                    "files": [{"url": path, "bytes": file.size, "counts": [list(c) for c in file.counts]} for path, file in zip(paths, files, strict=True)],
                    "columns": list(INDEX_COLUMNS),
                    "facets": list(INDEX_FACETS),
                    "rows_per_step": INDEX_ROWS_PER_STEP,
                    "bytes_before_interaction": INDEX_BYTES_BEFORE_INTERACTION,
                    "verdicts": [verdict_badge(v) for v in VERDICT_ORDER],
                    "grades": [grade_badge(g) for g in GRADE_ORDER],
                    "topics": dict(model.topics),
                },
            },
            searchable=False,
        ),
    )
    return page, {path: file.text for path, file in zip(paths, files, strict=True)}


def bibliography_pages(model: SiteModel, texts: ReferenceTexts) -> tuple[list[GeneratedPage], dict[str, str]]:
    """The full bibliography, paginated, and each key's URL with anchor on it."""
    refs = sorted(model.references.values(), key=lambda r: (texts.label(r.key).lower(), r.key))
    chunks = _pages(refs, REFERENCES_PER_PAGE)
    urls: dict[str, str] = {}
    pages = []
    scorecards = model.scorecard_keys
    for number, chunk in enumerate(chunks, 1):
        location = listing_page(REFERENCES, number)
        entries = []
        for ref in chunk:
            urls[ref.key] = location.url + "#" + reference_anchor(ref.key)
            entries.append(
                {
                    **texts.entry(ref),
                    "study_type": ref.study_type.value.replace("-", " ") if ref.study_type else "unknown study type",
                    "scorecard": scorecard_page(ref.key).url if ref.key in scorecards else "",
                    "backlinks": [{"stance": stance_mark(b.stance), "claim": model.by_id[b.claim_id].claim.text, "url": model.by_id[b.claim_id].url} for b in model.backlinks.get(ref.key, ())],
                }
            )
        pages.append(
            GeneratedPage(
                location,
                _meta(
                    "evidence/references.html",
                    _paged_title("References", number, len(chunks)),
                    "The full bibliography, with each source's study type and the claims that cite it.",
                    {
                        "heading": "References",
                        "total": len(refs),
                        "entries": entries,
                        "pagination": _pagination(lambda n: listing_page(REFERENCES, n), number, len(chunks)),
                    },
                    searchable=False,
                ),
            )
        )
    return pages, urls


def dispute_pages(model: SiteModel, texts: ReferenceTexts, summaries: dict[str, dict]) -> list[GeneratedPage]:
    """Opposing claims side by side, then every claim whose own sources disagree; paginated together."""

    def side_rows(entries) -> list[dict]:
        return [{"label": texts.label(e.source), "note": e.note or ""} for e in entries]

    items: list[dict] = []
    for a, b in model.pairs:
        pair = []
        for view in (model.by_id[a], model.by_id[b]):
            pair.append(
                {
                    **summaries[view.id],
                    "evidence": [
                        {
                            "stance": stance_mark(e.stance),
                            "label": texts.label(e.reference.key),
                            "study_type": e.reference.study_type.value.replace("-", " ") if e.reference.study_type else "",
                            "certainty": e.grade.letter,
                            "note": e.evidence.note or "",
                        }
                        for e in view.assessment.evidence
                    ],
                }
            )
        items.append({"kind": "pair", "sides": pair})
    for view in model.disputed:
        if view.sides.disagree:
            sides = [("Supports", view.sides.supports), ("Contradicts", view.sides.contradicts), ("Mixed", view.sides.mixed)]
            items.append({"kind": "claim", **summaries[view.id], "dispute": view.sides.kind.value, "sides": [{"side": s, "rows": side_rows(e)} for s, e in sides if e]})
    chunks = _pages(items, DISPUTES_PER_PAGE)
    return [
        GeneratedPage(
            listing_page(DISPUTES, number),
            _meta(
                "evidence/disputes.html",
                _paged_title("Where sources disagree", number, len(chunks)),
                "Every claim whose sources take opposite sides, and every pair of opposing claims, side by side.",
                {
                    "heading": "Where sources disagree",
                    "total": len(model.disputed),
                    "pair_count": len(model.pairs),
                    "pairs": [item["sides"] for item in chunk if item["kind"] == "pair"],
                    "claims": [item for item in chunk if item["kind"] == "claim"],
                    "pagination": _pagination(lambda n: listing_page(DISPUTES, n), number, len(chunks)),
                },
                searchable=False,
            ),
        )
        for number, chunk in enumerate(chunks, 1)
    ]


def source_pages(model: SiteModel, texts: ReferenceTexts, summaries: dict[str, dict]) -> list[GeneratedPage]:
    """The list of scorecards (paginated) and one scorecard per popular article that makes claims."""
    verdict_names = [v.value for v in VERDICT_ORDER]
    cards = list(model.scorecards)
    chunks = _pages(cards, SOURCES_PER_PAGE)
    pages = []
    for number, chunk in enumerate(chunks, 1):
        pages.append(
            GeneratedPage(
                listing_page(SOURCES, number),
                _meta(
                    "evidence/sources.html",
                    _paged_title("Source scorecards", number, len(chunks)),
                    "How the claims each popular article makes hold up against the studies.",
                    {
                        "heading": "Source scorecards",
                        "verdicts": [verdict_badge(v) for v in VERDICT_ORDER],
                        "cards": [
                            {
                                "title": card.reference.title,
                                "publisher": card.reference.publisher,
                                "url": scorecard_page(card.reference.key).url,
                                "claims_made": card.claims_made,
                                "verdicts": [card.verdicts[v] for v in verdict_names],
                                "misread": len(card.misread),
                            }
                            for card in chunk
                        ],
                        "pagination": _pagination(lambda n: listing_page(SOURCES, n), number, len(chunks)),
                    },
                ),
            )
        )
    for card in cards:
        pages.append(
            GeneratedPage(
                scorecard_page(card.reference.key),
                _meta(
                    "evidence/scorecard.html",
                    f"Scorecard: {card.reference.title}",
                    f"How the claims in {card.reference.title} hold up against the studies.",
                    {
                        "heading": f"Scorecard: {card.reference.title}",
                        "reference": texts.entry(card.reference),
                        "claims_made": card.claims_made,
                        "verdicts": [{**verdict_badge(v), "count": card.verdicts[v.value]} for v in VERDICT_ORDER],
                        "misread": [
                            {
                                "claim": model.by_id[m.claim_id].claim.text,
                                "url": model.by_id[m.claim_id].url,
                                "study": texts.label(m.study),
                                "finding": misread_finding(m.study_stance),
                            }
                            for m in card.misread
                        ],
                        "entries": [{**summaries[claim_id], "stance": stance_mark(stance)} for claim_id, stance in card.entries],
                    },
                ),
            )
        )
    return pages


_FINDING = {
    Stance.SUPPORTS: "supports the claim",
    Stance.CONTRADICTS: "contradicts the claim",
    Stance.MIXED: "reports mixed results on the claim",
    Stance.BACKGROUND: "did not test the claim (it is shown only as background)",
}


def misread_finding(stance: Stance | None) -> str:
    """What the cited study really says about the claim, as a clause after 'which'."""
    return "is not listed as evidence for the claim" if stance is None else _FINDING[stance]
