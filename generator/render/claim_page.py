"""A claim page: all of its data for the theme (page.meta) and its Markdown, built in one place.

The Markdown holds what readers search: an opening paragraph with the verdict, the grade and the
editor's bottom line, then the editor's explanation with citations resolved. Everything else (the
header, badges, balance, evidence table, dispute box and references) is data the theme lays out.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..assess import ClaimView, MisreadCitation, SiteModel
from ..bodies import mask_fences
from ..grading import GRADE_BY_LETTER, GradedEvidence
from ..loaders.claims import SHORT_MAX
from ..model import Claim, Reference
from ..urls import CLAIMS_INDEX, METHODOLOGY, reference_anchor, tag_page, topic_page
from .citations import CitationLinks, markdown_text
from .front_matter import front_matter
from .json_ld import claim_json_ld
from .reference_text import ReferenceTexts
from .site_info import NO_SITE_INFO, SiteInfo
from .vocabulary import grade_badge, stance_mark, verdict_badge

CLAIM_TEMPLATE = "evidence/claim.html"
GRADE_BY_LETTER_BY_RANK = {grade.rank: letter for letter, grade in GRADE_BY_LETTER.items()}
_BLOCK_START = re.compile(r"^\s{0,3}(?:#|>|[-*+]\s|\d+[.)]\s|`{3}|~{3}|\||<!--)")


def page_title(claim: Claim) -> str:
    """The page title before the site name: the editor's `short`, else the claim cut at a word to fit.

    Search results and browser tabs show about 60 characters; the heading keeps the whole claim.
    """
    if claim.short:
        return claim.short
    text = claim.text.strip().rstrip(".")
    if len(text) <= SHORT_MAX:
        return text
    cut = text[: SHORT_MAX - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:—-") + "…"


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
        "sources": len(view.claim.evidence),
        **claim_badges(view),
        "balance": balance(view),
    }


def balance(view: ClaimView) -> dict:
    """The counted sources by direction, and how many of them decide the verdict."""
    segments = view.balance
    counts = {stance: sum(1 for s in segments if s.stance.value == stance) for stance in ("supports", "contradicts", "mixed")}
    deciding = len(view.assessment.deciding)
    decide = f"{deciding} of them {'decides' if deciding == 1 else 'decide'} the verdict" if deciding else "popular articles alone decide nothing, so none of them decides the verdict"
    return {
        **counts,
        "deciding": deciding,
        "text": f"Counted sources: {counts['supports']} support, {counts['contradicts']} contradict, {counts['mixed']} mixed; {decide}",
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
    if m.study_stance is None:
        return f"{study} does not say this"
    if m.study_stance.value == "background":
        return f"{study} did not test this"
    return f"{study} reports {m.study_stance.value} on it"


def _people(e: GradedEvidence) -> str:
    if e.kind.value != "study":
        return "—"
    if e.evidence.participants:
        return f"{e.evidence.participants:,}"
    return "not reported by the source" if e.evidence.participants_not_reported else "not given"


def _certainty_here(e: GradedEvidence) -> dict:
    if not e.counted:
        return {"text": "not counted (background)", "lowered": ""}
    lowered = ""
    if e.indirect:
        lowered = f"lowered from {GRADE_BY_LETTER_BY_RANK[e.design.start]}: {e.evidence.indirectness.value} indirectness"
    return {"text": f"{e.grade.letter}, {e.grade.certainty}", "lowered": lowered}


@dataclass(frozen=True)
class ClaimPageInputs:
    """Everything one claim page shows, and nothing else: equal inputs make the same page.

    The page is made from these alone (claim_page_meta, claim_page_markdown), so a PageMemo can
    keep each page with its inputs and make again only those whose inputs changed, without a
    list of what depends on what to keep up to date: a reference, topic or opposing claim the page
    shows is part of its inputs. The page looks its mappings up and never lists them in their own
    order, so inputs that compare equal make the same bytes.
    """

    view: ClaimView
    #: The references this page may name, as the site formats them: its sources, what they cite,
    #: the body's citations and the studies its articles misread. Keys the site lacks are left out.
    texts: ReferenceTexts
    references: dict[str, Reference]
    bibliography_urls: dict[str, str]
    opponents: tuple[dict, ...]
    misread: tuple[MisreadCitation, ...]
    site_url: str
    site_name: str
    site: SiteInfo
    safety: dict | None
    #: Front matter every page of the site carries (footer links).
    every_page: dict


def claim_page_inputs(
    view: ClaimView,
    model: SiteModel,
    texts: ReferenceTexts,
    misread: Sequence[MisreadCitation],
    bibliography_urls: dict[str, str],
    *,
    site_url: str = "",
    site_name: str = "",
    site: SiteInfo = NO_SITE_INFO,
    safety: dict | None = None,
    every_page: dict | None = None,
) -> ClaimPageInputs:
    """What the page of `view` shows, gathered from the whole site. `bibliography_urls` maps each
    reference key to its entry in the full bibliography."""
    keys = {e.source for e in view.claim.evidence} | {k for e in view.claim.evidence for k in e.cites}
    keys |= {c.key for c in view.claim.citations} | {m.study for m in misread}
    keys &= model.references.keys()
    return ClaimPageInputs(
        view=view,
        texts=texts.only(keys),
        references={k: model.references[k] for k in keys},
        bibliography_urls={k: bibliography_urls[k] for k in keys if k in bibliography_urls},
        opponents=tuple({"claim": o.claim.text, "url": o.url, "verdict": o.assessment.verdict.value, "grade": o.assessment.grade} for o in (model.by_id[i] for i in view.opponents)),
        misread=tuple(misread),
        site_url=site_url,
        site_name=site_name,
        site=site,
        safety=safety,
        every_page=every_page or {},
    )


def claim_page(inputs: ClaimPageInputs) -> str:
    """The generated page: its data as front matter, then its Markdown."""
    return f"---\n{front_matter({**claim_page_meta(inputs), **inputs.every_page})}\n---\n\n{claim_page_markdown(inputs.view, inputs.texts)}"


def claim_page_meta(inputs: ClaimPageInputs) -> dict:
    """Everything the claim template shows, as plain JSON-ready data (escaped by the template)."""
    view, texts, misread = inputs.view, inputs.texts, inputs.misread
    on_page = {e.reference.key for e in view.assessment.evidence}
    on_page |= {c.key for c in view.claim.citations} | {k for e in view.claim.evidence for k in e.cites}
    on_page &= inputs.references.keys()
    page_refs = sorted(on_page, key=lambda key: (texts.label(key).lower(), key))

    def ref_link(key: str) -> dict:
        return {"anchor": reference_anchor(key), "label": texts.label(key)}

    sides = [("Supports", view.sides.supports), ("Contradicts", view.sides.contradicts), ("Mixed", view.sides.mixed)]
    evidence = []
    for e in view.assessment.evidence:
        evidence.append(
            {
                **ref_link(e.reference.key),
                "design": e.design.singular,
                "people": _people(e),
                "certainty": _certainty_here(e),
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
    description = f"{badges['verdict']['label']} (grade {view.assessment.grade}, {badges['grade']['certainty']} certainty): {plain_title}"
    site = inputs.site
    meta = {
        "template": CLAIM_TEMPLATE,
        # Material prints title, description and tags as HTML: they arrive escaped.
        "title": html.escape(plain_title),
        "description": html.escape(description),
        "ev": {
            "claim": plain_title,
            "short": page_title(view.claim),
            "topic": {"title": view.topic_title, "url": topic_page(view.claim.topic).url},
            **badges,
            "sentence": view.sentence,
            "balance": {
                **balance(view),
                "segments": [{"label": texts.label(s.key), "stance": s.stance.value, "grade": s.grade, "weight": s.weight, "deciding": s.deciding} for s in view.balance],
            },
            "gap": view.claim.evidence_gap or "",
            "dispute": view.sides.kind.value if view.sides.kind else "",
            "sides": [{"side": side, "refs": [ref_link(entry.source) for entry in entries]} for side, entries in sides if entries] if view.disputed else [],
            "opponents": [dict(o) for o in inputs.opponents],
            "evidence": evidence,
            "reviewed": str(view.claim.reviewed) if view.claim.reviewed else "",
            "tags": [{"name": tag, "url": tag_page(tag).url} for tag in view.claim.tags],
            "methodology_url": METHODOLOGY.url,
            "index_url": CLAIMS_INDEX.url,
            "references": [{**texts.entry(inputs.references[key]), "backlink": inputs.bibliography_urls[key]} for key in page_refs],
            "json_ld": claim_json_ld(view, inputs.site_url, inputs.site_name, texts.labels, publisher=site.publisher, publisher_url=site.publisher_url),
            # The page readers should see before trying a remedy (settings safety_page, safety_topics).
            "safety": inputs.safety,
        },
    }
    if view.claim.tags:
        # Search ranks a page by its tags above its text (Material's search reads page.meta.tags);
        # Material prints them as HTML, so they arrive escaped.
        meta["tags"] = [html.escape(tag) for tag in view.claim.tags]
    return meta


def claim_page_markdown(view: ClaimView, texts: ReferenceTexts) -> str:
    """The opening paragraph (verdict, grade, the editor's bottom line) and the editor's explanation.

    The bottom line is the claim's `summary`, else the body's first paragraph (then not repeated).
    """
    badges = claim_badges(view)
    citations = CitationLinks(texts)
    opening = f"**{markdown_text(badges['verdict']['label'])}**, grade {badges['grade']['letter']} ({badges['grade']['certainty']} certainty)."
    if view.claim.summary.strip():
        # The summary is a plain sentence from front matter: data, so escaped like any other.
        opening += " " + markdown_text(view.claim.summary)
        rest = view.claim.body.strip()
    else:
        bottom_line, rest = split_bottom_line(view.claim.body.strip())
        if bottom_line:
            opening += " " + citations.link(bottom_line)
    parts = [opening + "\n{: .ev-answer }"]
    if rest:
        parts.append("## What the studies show\n\n" + citations.link(rest))
    definitions = citations.definitions()
    if definitions:
        parts.append(definitions)
    return "\n\n".join(parts) + "\n"
