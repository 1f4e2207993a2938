"""Citations in the editors' Markdown: `[@key, p. 3; @b]` becomes Markdown links to the page's reference entries."""

from __future__ import annotations

import re

from ..bodies import citation_groups
from ..urls import reference_anchor
from .reference_text import ReferenceTexts

_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")
_AS_ENTITIES = {ord(ch): f"&#{ord(ch)};" for ch in map(chr, range(0x21, 0x7F)) if _PUNCTUATION.match(ch)}


def markdown_text(text: str) -> str:
    """Data as literal text inside Markdown: every ASCII punctuation mark as a numeric entity.

    No Markdown pattern (links, emphasis, attribute lists) matches an entity and no HTML tag can
    open, while the browser shows the original characters. Line breaks become spaces, so data
    cannot start a block of its own.
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
