"""Citations in the editors' Markdown: `[@key, p. 3; @b]` becomes Markdown links to the page's reference entries."""

from __future__ import annotations

from ..bodies import citation_groups
from ..urls import reference_anchor
from .reference_text import ReferenceTexts

# Punctuation that opens no Markdown or HTML construct in the middle of a line, with any common
# extension (`:` starts emoji, `$` maths, `@` mentions, so those are encoded). Data never starts a
# line here (line breaks become spaces and every caller puts text before it), so marks that only
# matter there (`1.`, `-`) are safe too. Leaving these as they are keeps references, which are
# mostly full stops and commas, short for Python-Markdown to scan.
_LITERAL_PUNCTUATION = ".,;'?/%-"
_AS_ENTITIES = {code: f"&#{code};" for code in range(0x21, 0x7F) if not chr(code).isalnum() and chr(code) not in _LITERAL_PUNCTUATION}


def markdown_text(text: str) -> str:
    """Data as literal text inside a line of Markdown: every other ASCII punctuation mark as a numeric entity.

    No Markdown pattern (links, emphasis, attribute lists, code) matches an entity and no HTML
    tag can open, while the browser shows the original characters. Line breaks become spaces, so
    data cannot start a block of its own.
    """
    return " ".join(text.split()).translate(_AS_ENTITIES)


def link_citations(body: str, texts: ReferenceTexts) -> str:
    """Each citation group as author-date Markdown links with the full reference as their title.

    A group with an unknown key is left as written (the check has already reported it).
    """
    pieces: list[str] = []
    last = 0
    titles: dict[str, str] = {}
    for group in citation_groups(body):
        if not group.items or any(item.key not in texts.labels for item in group.items):
            continue
        rendered = []
        for item in group.items:
            label = texts.labels[item.key]
            label = label.rsplit(", ", 1)[-1] if item.suppress_author else label
            text = markdown_text(label + (f", {item.locator}" if item.locator else ""))
            if item.key not in titles:
                titles[item.key] = markdown_text(texts.tooltips[item.key])
            link = f'[{text}](#{reference_anchor(item.key)} "{titles[item.key]}"){{.ev-cite}}'
            rendered.append((markdown_text(item.prefix) + " " if item.prefix else "") + link)
        pieces.append(body[last : group.start])
        pieces.append("(" + "; ".join(rendered) + ")")
        last = group.end
    pieces.append(body[last:])
    return "".join(pieces)
