"""Every page of the generated site source, as {path inside docs_dir: text}. No I/O.

Each generated page is front matter written as JSON (its data for the theme) and a little
Markdown; the theme's evidence/*.html templates lay the data out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..assess import SiteModel
from ..rules import RULES
from ..urls import CLAIMS_JSON, HOME
from .claim_page import ClaimPageInputs, claim_page, claim_page_inputs, claim_summary
from .claims_json import claims_json_data, claims_json_text
from .csl import Formatted
from .front_matter import front_matter
from .home import home_page, summary_markdown
from .listings import GeneratedPage, bibliography_pages, dispute_pages, index_page, source_pages, tag_pages, topic_pages
from .methodology import methodology_page
from .page_memo import PageMemo, data_inputs
from .reference_text import reference_texts
from .site_info import NO_SITE_INFO, SiteInfo, footer_meta, safety_link

SUMMARY_MARKER = "<!-- evidence:summary -->"
RULES_MARKER = "<!-- evidence:rules -->"
PAGE_TEMPLATE = "evidence/page.html"
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*\n", re.DOTALL)
_TEMPLATE_KEY = re.compile(r"^template[ \t]*:", re.MULTILINE)


def markdown_page(page: GeneratedPage, extra: dict | None = None) -> str:
    return f"---\n{front_matter({**page.meta, **(extra or {})})}\n---\n\n{page.markdown}"


def with_page_template(text: str, extra: dict | None = None) -> str:
    """A hand-written page with `template: evidence/page.html` in its front matter, unless it names a template.

    The theme's hooks (stylesheet, script) live in the evidence templates, so every page must use one.
    `extra` keys are added as one line of JSON each (JSON is YAML every reader reads alike).
    """
    added = f"template: {PAGE_TEMPLATE}\n" + "".join(f"{key}: {front_matter(value)}\n" for key, value in (extra or {}).items())
    match = _FRONT_MATTER.match(text)
    if not match:
        return f"---\n{added}---\n\n{text}"
    existing = match.group(1) or ""
    if _TEMPLATE_KEY.search(existing) or existing.lstrip().startswith("{"):
        return text  # its own template, or a flow mapping we cannot add a line to
    return f"---\n{added}{text[text.index(chr(10)) + 1 :]}"


def _rules_markdown() -> str:
    lines = ["| Code | Rule | Severity | What it means | How to fix |", "|---|---|---|---|---|"]
    for rule in RULES:
        lines.append(f"| `{rule.code}` | `{rule.slug}` | {rule.severity} | {rule.summary.replace('|', '/')} | {rule.fix.replace('|', '/')} |")
    return "\n".join(lines)


#: How render_site makes the claim pages and, meanwhile, the others: (claim pages in order, other pages).
MapPages = Callable[[Callable[[ClaimPageInputs], str], Sequence[ClaimPageInputs], Callable[[], dict[str, str]]], tuple[list[str], dict[str, str]]]


def render_site(
    model: SiteModel,
    formatted: dict[str, Formatted],
    hand_written: dict[str, str],
    *,
    site_url: str = "",
    site_name: str = "",
    site: SiteInfo = NO_SITE_INFO,
    map_pages: MapPages = lambda page, claims, meanwhile: ([page(claim) for claim in claims], meanwhile()),
    memo: PageMemo | None = None,
) -> dict[str, str]:
    """Every page as {path inside docs_dir: text}. `hand_written` maps page paths to the editors' Markdown.

    `map_pages(page, inputs, meanwhile)` makes the claim pages, in order, and the other pages
    (`meanwhile()`): a plain loop unless the caller passes one that makes some of the claim pages
    in another process meanwhile. With a `memo` of the last build, only the pages whose inputs
    changed are made again.
    """
    every_page = {"ev_site": footer_meta(site, hand_written)}
    texts = reference_texts(model.references, formatted)
    bibliography, bibliography_urls = bibliography_pages(model, texts)
    misread_by_claim: dict[str, list] = {}
    for card in model.scorecards:
        for m in card.misread:
            misread_by_claim.setdefault(m.claim_id, []).append(m)
    # The safety page's heading is read once, not once for every claim in a safety topic.
    safety_by_topic = {topic: safety_link(site, topic, hand_written) for topic in model.topics}

    inputs = [
        claim_page_inputs(
            view,
            model,
            texts,
            misread_by_claim.get(view.id, ()),
            bibliography_urls,
            site_url=site_url,
            site_name=site_name,
            site=site,
            safety=safety_by_topic.get(view.claim.topic),
            every_page=every_page,
        )
        for view in model.claims
    ]

    def other_pages() -> dict[str, str]:
        """Every page but the claim pages."""
        pages: dict[str, str] = {}
        claims_index, index_data = index_page(model)
        pages.update(index_data)
        summaries = {view.id: claim_summary(view) for view in model.claims}
        listed = [
            claims_index,
            *topic_pages(model, summaries),
            *tag_pages(model, summaries),
            *dispute_pages(model, texts, summaries),
            *bibliography,
            *source_pages(model, texts, summaries),
            methodology_page(model),
        ]
        for page in listed:
            if memo is None:
                pages[page.location.file] = markdown_page(page, every_page)
            else:  # their JSON front matter took more time than any other part of a rebuild in `mkdocs serve`
                pages[page.location.file] = memo.page(page.location.file, data_inputs((page.meta, page.markdown, every_page)), lambda page=page: markdown_page(page, every_page))
        data = claims_json_data(model, texts.labels)
        pages[CLAIMS_JSON] = memo.page(CLAIMS_JSON, data_inputs(data), lambda: claims_json_text(data)) if memo is not None else claims_json_text(data)
        # Made once a build, for the pages that ask for them (usually one each).
        summary = summary_markdown(model) if any(SUMMARY_MARKER in text for text in hand_written.values()) else ""
        rules = _rules_markdown() if any(RULES_MARKER in text for text in hand_written.values()) else ""
        for path, text in hand_written.items():
            pages[path] = with_page_template(text, every_page).replace(SUMMARY_MARKER, summary).replace(RULES_MARKER, rules)
        if HOME.file not in pages:  # no hand-written content/index.md: a site still gets a home page
            pages[HOME.file] = markdown_page(home_page(model, site_name), every_page)
        return pages

    paths = [view.page for view in model.claims]
    if memo is None:
        made, others = map_pages(claim_page, inputs, other_pages)
    else:
        made = memo.pages(paths, inputs, lambda stale: map_pages(claim_page, stale, dict)[0])
        others = other_pages()
    pages = dict(zip(paths, made, strict=True))
    pages.update(others)
    return pages
