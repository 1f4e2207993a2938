"""Every page of the generated site source, as {path inside docs_dir: text}. No I/O."""

from __future__ import annotations

import html
import json
import re

from markupsafe import Markup

from ..assess import ClaimView, SiteModel, methodology_examples
from ..bodies import citation_groups
from ..grading import DESIGNS, DOWNGRADES, GRADE_BY_LETTER, GRADES, KIND_ORDER, VERDICT_RULES, Verdict, verdict_order
from ..model import Stance
from ..rules import RULES
from .csl import Formatted, csl_item
from .environment import make_environment

SUMMARY_MARKER = "<!-- evidence:summary -->"
RULES_MARKER = "<!-- evidence:rules -->"
VERDICT_SYMBOLS = {v.value: v.symbol for v in Verdict}
STANCE_SYMBOLS = {"supports": "✓", "contradicts": "✗", "mixed": "~", "background": "○"}
GRADE_MEANING = {g.letter: f"Grade {g.letter}, {g.certainty} certainty. {g.meaning}" for g in GRADES}
SCHEMA_VERSION = 2


def inline_html_text(text: str) -> str:
    """Escape text for inline HTML inside editor Markdown: every ASCII punctuation mark as an entity.

    Python-Markdown runs its inline patterns (links, emphasis, attribute lists) before it stashes
    inline HTML, so a BibTeX title like `[x](javascript:...)` inside a title attribute would become
    a link. Entities are decoded by the browser but matched by no Markdown pattern.
    """
    return _PUNCTUATION.sub(lambda m: f"&#{ord(m.group())};", text)


_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")


def link_citations(body: str, labels: dict[str, str], titles: dict[str, str]) -> str:
    """Turn `[@key, p. 3; @b]` into linked author-date citations with a full-reference tooltip.

    A group with an unknown key is left as written (the check has already reported it).
    """
    pieces: list[str] = []
    last = 0
    for group in citation_groups(body):
        if not group.items or any(item.key not in labels for item in group.items):
            continue
        rendered = []
        for item in group.items:
            label = labels[item.key].rsplit(", ", 1)[-1] if item.suppress_author else labels[item.key]
            text = inline_html_text(label + (f", {item.locator}" if item.locator else ""))
            anchor = f'<a class="ev-cite" href="#ref-{inline_html_text(item.key)}" title="{inline_html_text(titles[item.key])}">{text}</a>'
            rendered.append((inline_html_text(item.prefix) + " " if item.prefix else "") + anchor)
        pieces.append(body[last : group.start])
        pieces.append("(" + "; ".join(rendered) + ")")
        last = group.end
    pieces.append(body[last:])
    return "".join(pieces)


def _summary_markdown(model: SiteModel) -> str:
    counts = model.counts()
    rows = [
        "| At a glance | Number |",
        "|---|---:|",
        f"| Claims | {len(model.claims)} |",
        *[f"| {VERDICT_SYMBOLS[v.value]} {v.value.capitalize()} | {counts['verdict'].get(v.value, 0)} |" for v in Verdict],
        f"| ⚠ Sources disagree | {counts['disputed'].get('disputed', 0)} |",
        f"| References | {len(model.references)} |",
    ]
    return "\n".join(rows)


def _rules_markdown() -> str:
    lines = ["| Code | Rule | Severity | What it means | How to fix |", "|---|---|---|---|---|"]
    for rule in RULES:
        lines.append(f"| `{rule.code}` | `{rule.slug}` | {rule.severity} | {rule.summary.replace('|', '/')} | {rule.fix.replace('|', '/')} |")
    return "\n".join(lines)


def claim_review_rating(assessment) -> int:
    """ClaimReview's 1 (false) to 5 (true) scale from the verdict's order: certainty moves the ends.

    Supported with high or moderate certainty is 5, with low or very low 4; not supported mirrors it
    (1 and 2); contested, inconclusive and insufficient evidence are 3, named in alternateName.
    """
    order = verdict_order(assessment)
    return 3 + (order > 0) + (order >= 3) - (order < 0) - (order <= -3)


def claim_json_ld(view: ClaimView, site_url: str, site_name: str, labels: dict[str, str]) -> dict:
    rating = claim_review_rating(view.assessment)
    item = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": view.claim.text,
        "datePublished": str(view.claim.reviewed) if view.claim.reviewed else None,
        "author": {"@type": "Organization", "name": site_name or "Evidence site"},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": rating,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": f"{view.assessment.verdict.value.capitalize()} (grade {view.assessment.grade})",
        },
        "itemReviewed": {
            "@type": "Claim",
            "appearance": [
                {"@type": "CreativeWork", "name": labels.get(e.reference.key, e.reference.key), **({"url": e.reference.url} if e.reference.url.startswith(("http://", "https://")) else {})}
                for e in view.assessment.evidence
                if e.is_web_article and e.stance is Stance.SUPPORTS
            ],
        },
    }
    if site_url:
        item["url"] = site_url.rstrip("/") + "/" + view.url
    return {k: v for k, v in item.items() if v is not None}


def claims_json(model: SiteModel, labels: dict[str, str]) -> str:
    """Every claim with verdict, grade, evidence and references; references as CSL-JSON."""
    data = {
        "schema_version": SCHEMA_VERSION,
        "claims": [
            {
                "id": v.id,
                "claim": v.claim.text,
                "topic": v.claim.topic,
                "tags": list(v.claim.tags),
                "url": v.url,
                "verdict": v.assessment.verdict.value,
                "grade": v.assessment.grade,
                "certainty": v.assessment.grade_info.certainty,
                "sentence": v.sentence,
                "direct": v.assessment.direct,
                "reasons": [{"code": r.code.value, "steps": r.steps, "text": r.text} for r in v.assessment.reasons],
                "participants": v.assessment.participants if v.assessment.deciding_kind and v.assessment.deciding_kind.value == "study" else None,
                "disputed": v.disputed,
                "dispute": v.sides.kind.value if v.sides.kind else None,
                "opposes": list(v.opponents),
                "reviewed": str(v.claim.reviewed) if v.claim.reviewed else None,
                "evidence_gap": v.claim.evidence_gap or None,
                "evidence": [
                    {
                        "source": e.reference.key,
                        "stance": e.stance.value,
                        "study_type": e.reference.study_type.value if e.reference.study_type else None,
                        "certainty": e.grade.letter,
                        "counted": e.counted,
                        "deciding": any(e is d for d in v.assessment.deciding),
                        "participants": e.evidence.participants,
                        "indirectness": e.evidence.indirectness.value if e.evidence.indirectness else None,
                        "locator": e.evidence.locator or None,
                        "note": e.evidence.note or None,
                        "indirect": e.evidence.indirect or None,
                        "cites": list(e.evidence.cites),
                    }
                    for e in v.assessment.evidence
                ],
            }
            for v in model.claims
        ],
        "references": [
            {**csl_item(ref), "studytype": ref.study_type.value if ref.study_type else None, "label": labels.get(key, key)}
            for key, ref in sorted(model.references.items())
        ],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))  # no indent: the C encoder


def render_site(
    model: SiteModel,
    formatted: dict[str, Formatted],
    hand_written: dict[str, str],
    *,
    site_url: str = "",
    site_name: str = "",
) -> dict[str, str]:
    """Every page as {path inside docs_dir: text}. `hand_written` maps page paths to the editors' Markdown."""
    env = make_environment()
    labels = {key: (formatted[key].label if key in formatted else key) for key in model.references}
    titles = {key: html.unescape(re.sub(r"<[^>]+>", "", formatted[key].entry_html)) if key in formatted else key for key in model.references}
    entries = {key: Formatted(Markup(f.entry_html), f.label) for key, f in formatted.items()}
    common = dict(
        symbols=VERDICT_SYMBOLS,
        stance_symbols=STANCE_SYMBOLS,
        grade_meaning=GRADE_MEANING,
        labels=labels,
        formatted=entries,
        references=model.references,
        model=model,
        topics=model.topics,
        verdicts=[v.value for v in Verdict],
        grades=[g.letter for g in GRADES],
        grade_letters=[g.letter for g in GRADES],
    )
    pages: dict[str, str] = {}
    claim_template = env.get_template("claim.md.j2")
    misread_by_claim: dict[str, list] = {}
    for card in model.scorecards:
        for m in card.misread:
            misread_by_claim.setdefault(m.claim_id, []).append(m)
    for view in model.claims:
        page_url = view.url
        # Every reference the page links to: listed evidence, body citations and what articles cite.
        on_page = {e.reference.key for e in view.assessment.evidence}
        on_page |= {c.key for c in view.claim.citations} | {k for e in view.claim.evidence for k in e.cites}
        on_page &= model.references.keys()
        body = link_citations(view.claim.body.strip(), labels, titles)
        pages[view.page] = claim_template.render(
            view=view,
            page_url=page_url,
            body=Markup(body),
            sides=[("Supports", view.sides.supports), ("Contradicts", view.sides.contradicts), ("Mixed", view.sides.mixed)],
            opponents=[model.by_id[o] for o in view.opponents],
            misread=misread_by_claim.get(view.id, []),
            page_refs=sorted(on_page, key=lambda key: (labels[key].lower(), key)),
            json_ld=claim_json_ld(view, site_url, site_name, labels),
            **common,
        )
    listing = env.get_template("claims_index.md.j2")
    pages["claims/index.md"] = listing.render(page_url="claims/", views=model.claims, **common)
    topic_template = env.get_template("topic.md.j2")
    for topic, title in model.topics.items():
        page_url = f"claims/{topic}/"
        pages[f"claims/{topic}/index.md"] = topic_template.render(page_url=page_url, topic=topic, title=title, views=model.in_topic(topic), **common)
    pages["disputes.md"] = env.get_template("disputes.md.j2").render(page_url="disputes/", pairs=[(model.by_id[a], model.by_id[b]) for a, b in model.pairs], views=model.disputed, **common)
    pages["references.md"] = env.get_template("references.md.j2").render(
        page_url="references/", refs=sorted(model.references.values(), key=lambda r: labels[r.key].lower()), backlinks=model.backlinks, **common
    )
    pages["sources/index.md"] = env.get_template("sources_index.md.j2").render(page_url="sources/", cards=model.scorecards, **common)
    card_template = env.get_template("scorecard.md.j2")
    for card in model.scorecards:
        page_url = f"sources/{card.reference.slug}/"
        pages[f"sources/{card.reference.slug}.md"] = card_template.render(page_url=page_url, card=card, **common)
    pages["methodology.md"] = env.get_template("methodology.md.j2").render(
        page_url="methodology/",
        designs=sorted(DESIGNS.values(), key=lambda d: (KIND_ORDER.index(d.kind), d.start, d.singular)),
        grade_by_letter=GRADE_BY_LETTER,
        verdict_rules=VERDICT_RULES,
        downgrades=DOWNGRADES,
        examples=methodology_examples(model),
        threshold=model.imprecision_threshold,
        **common,
    )
    pages["claims.json"] = claims_json(model, labels)
    for path, text in hand_written.items():
        pages[path] = text.replace(SUMMARY_MARKER, _summary_markdown(model)).replace(RULES_MARKER, _rules_markdown())
    return pages
