"""A claim page: all of its data for the theme (page.meta) and its Markdown, built in one place.

The Markdown holds what readers search: an opening paragraph with the verdict, the grade and the
editor's bottom line, then the editor's explanation with citations resolved. Everything else (the
header, badges, balance, evidence table, dispute box and references) is data the theme lays out.
"""

from __future__ import annotations

import html
import re

from ..assess import ClaimView, MisreadCitation, SiteModel
from ..bodies import mask_fences
from ..grading import LEVELS, Verdict
from ..urls import CLAIMS_INDEX, METHODOLOGY, reference_anchor, topic_page
from .citations import link_citations, markdown_text
from .json_ld import claim_json_ld
from .reference_text import ReferenceTexts
from .vocabulary import grade_badge, stance_mark, verdict_badge

CLAIM_TEMPLATE = "evidence/claim.html"
_BLOCK_START = re.compile(r"^\s{0,3}(?:#|>|[-*+]\s|\d+[.)]\s|`{3}|~{3}|\||<!--)")


def verdict_sentence(view: ClaimView) -> str:
    a = view.assessment
    if a.verdict is Verdict.INSUFFICIENT:
        return "Only popular web articles speak to this claim; no study has tested it, so it remains unproven."
    if a.popular_contradicted:
        return "Not supported: popular articles make this claim, but the better studies contradict it."
    level = LEVELS[a.best_level - 1].description.lower()
    return {
        Verdict.SUPPORTED: f"Supported by the best evidence available ({level}).",
        Verdict.NOT_SUPPORTED: f"Not supported: the best evidence available ({level}) goes against it.",
        Verdict.CONTESTED: f"Contested: comparable sources ({level}) point in opposite directions.",
    }[a.verdict]


def claim_badges(view: ClaimView) -> dict:
    """Verdict, grade and disagreement, as every page that shows a claim needs them."""
    return {
        "verdict": verdict_badge(view.assessment.verdict),
        "grade": grade_badge(view.assessment.grade),
        "disputed": view.disputed,
    }


def claim_summary(view: ClaimView) -> dict:
    """A claim as listings show it: text, URL, badges and evidence balance."""
    return {
        "claim": view.claim.text,
        "url": view.url,
        "topic": view.claim.topic,
        "topic_title": view.topic_title,
        **claim_badges(view),
        "balance": balance(view),
    }


def balance(view: ClaimView) -> dict:
    supports, contradicts, mixed = (len(view.sides.supports), len(view.sides.contradicts), len(view.sides.mixed))
    best = view.assessment.best_level
    return {
        "supports": supports,
        "contradicts": contradicts,
        "mixed": mixed,
        "best_level": best,
        "text": f"{supports} source(s) support, {contradicts} contradict, {mixed} mixed; best level of evidence {best} of 6",
    }


def split_bottom_line(body: str) -> tuple[str, str]:
    """The body's first paragraph when it is plain prose, and the rest; ('', body) otherwise."""
    masked = mask_fences(body)
    match = re.search(r"\S", masked)
    if not match:
        return "", body
    start = match.start()
    end = masked.find("\n\n", start)
    end = len(body) if end == -1 else end
    first = body[start:end]
    if _BLOCK_START.match(first) or masked[start:end] != first:
        return "", body
    return first.strip(), body[end:].strip()


def _misread_text(m: MisreadCitation, texts: ReferenceTexts) -> str:
    study = texts.label(m.study)
    return f"{study} does not say this" if m.study_stance is None else f"{study} reports {m.study_stance.value} on it"


def claim_page_meta(
    view: ClaimView,
    model: SiteModel,
    texts: ReferenceTexts,
    misread: list[MisreadCitation],
    bibliography_urls: dict[str, str],
    *,
    site_url: str = "",
    site_name: str = "",
) -> dict:
    """Everything the claim template shows, as plain JSON-ready data (escaped by the template).

    `bibliography_urls` maps each reference key to its entry in the full bibliography.
    """
    on_page = {e.reference.key for e in view.assessment.evidence}
    on_page |= {c.key for c in view.claim.citations} | {k for e in view.claim.evidence for k in e.cites}
    on_page &= model.references.keys()
    page_refs = sorted(on_page, key=lambda key: (texts.label(key).lower(), key))

    def ref_link(key: str) -> dict:
        return {"anchor": reference_anchor(key), "label": texts.label(key)}

    sides = [("Supports", view.sides.supports), ("Contradicts", view.sides.contradicts), ("Mixed", view.sides.mixed)]
    evidence = []
    for e in view.assessment.evidence:
        evidence.append(
            {
                **ref_link(e.reference.key),
                "study_type": e.reference.study_type.value.replace("-", " ") if e.reference.study_type else "",
                "level": e.level,
                "base_level": e.base_level,
                "stance": stance_mark(e.stance),
                "locator": e.evidence.locator or "",
                "note": e.evidence.note or "",
                "indirect": e.evidence.indirect or "",
                "cites": [ref_link(key) for key in e.evidence.cites],
                "misread": [_misread_text(m, texts) for m in misread if m.article == e.reference.key],
            }
        )
    plain_title = view.claim.text
    badges = claim_badges(view)
    description = f"{badges['verdict']['label']} (grade {view.assessment.grade}): {plain_title}"
    meta = {
        "template": CLAIM_TEMPLATE,
        # Material prints title, description and tags as HTML: they arrive escaped.
        "title": html.escape(plain_title),
        "description": html.escape(description),
        "ev": {
            "claim": plain_title,
            "topic": {"title": view.topic_title, "url": topic_page(view.claim.topic).url},
            **badges,
            "verdict_sentence": verdict_sentence(view),
            "balance": {
                **balance(view),
                "segments": [
                    {"label": texts.label(e.reference.key), "stance": e.stance.value, "level": e.level, "grow": 7 - e.level}
                    for e in view.assessment.evidence
                ],
            },
            "gap": view.claim.evidence_gap or "",
            "sides": [
                {"side": side, "refs": [ref_link(entry.source) for entry in entries]} for side, entries in sides if entries
            ]
            if view.disputed
            else [],
            "opponents": [
                {"claim": o.claim.text, "url": o.url, "verdict": o.assessment.verdict.value, "grade": o.assessment.grade}
                for o in (model.by_id[i] for i in view.opponents)
            ],
            "evidence": evidence,
            "reviewed": str(view.claim.reviewed) if view.claim.reviewed else "",
            "methodology_url": METHODOLOGY.url,
            "index_url": CLAIMS_INDEX.url,
            "references": [{**texts.entry(model.references[key]), "backlink": bibliography_urls[key]} for key in page_refs],
            "json_ld": claim_json_ld(view, site_url, site_name, texts.labels),
        },
    }
    if view.claim.tags:
        meta["tags"] = [html.escape(tag) for tag in view.claim.tags]
    return meta


def claim_page_markdown(view: ClaimView, texts: ReferenceTexts) -> str:
    """The opening paragraph (verdict, grade, bottom line) and the editor's explanation."""
    badges = claim_badges(view)
    bottom_line, rest = split_bottom_line(view.claim.body.strip())
    opening = f"**{markdown_text(badges['verdict']['label'])}**, grade {badges['grade']['letter']} ({badges['grade']['words']})."
    if bottom_line:
        opening += " " + link_citations(bottom_line, texts)
    parts = [opening + "\n{: .ev-answer }"]
    if rest:
        parts.append("## What the studies show\n\n" + link_citations(rest, texts))
    return "\n\n".join(parts) + "\n"
