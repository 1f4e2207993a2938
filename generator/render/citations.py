"""Citations in the editors' Markdown: `[@key, p. 3; @b]` becomes Markdown links to the page's reference entries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..bodies import citation_groups
from ..urls import reference_anchor

if TYPE_CHECKING:  # reference_text uses markdown_text
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


class CitationLinks:
    """A page's citation groups as Markdown links to its reference entries, the full reference as their title.

    `[@key, p. 3; @b]` becomes `([Author, 2019, p. 3][ev-cite-1]{.ev-cite}; [B, 2005][ev-cite-2]{.ev-cite})`,
    and `definitions()`, put at the end of the page, gives each cited reference its target and title
    once. Python-Markdown writes the same `<a>` as for an inline link, but reads a reference's title
    once a page instead of once a citation, scanning it character by character: the titles were
    most of the Markdown time of a claim page. Labels are numbered, as Markdown folds their case and
    keys may differ only in case.
    """

    def __init__(self, texts: ReferenceTexts):
        self._texts = texts
        self._labels: dict[str, str] = {}

    def link(self, body: str) -> str:
        """The body with each citation group as links; a group with an unknown key is left as written
        (the check has already reported it)."""
        texts = self._texts
        pieces: list[str] = []
        last = 0
        for group in citation_groups(body):
            if not group.items or any(item.key not in texts.labels for item in group.items):
                continue
            rendered = []
            for item in group.items:
                label = texts.labels[item.key]
                label = label.rsplit(", ", 1)[-1] if item.suppress_author else label
                text = markdown_text(label + (f", {item.locator}" if item.locator else ""))
                target = self._labels.setdefault(item.key, f"ev-cite-{len(self._labels) + 1}")
                rendered.append((markdown_text(item.prefix) + " " if item.prefix else "") + f"[{text}][{target}]{{.ev-cite}}")
            pieces.append(body[last : group.start])
            pieces.append("(" + "; ".join(rendered) + ")")
            last = group.end
        pieces.append(body[last:])
        return "".join(pieces)

    def definitions(self) -> str:
        """One reference definition a cited reference, for the end of the page; empty when nothing is cited."""
        titles = self._texts.tooltip_markdown
        return "\n".join(f'[{target}]: #{reference_anchor(key)} "{titles[key]}"' for key, target in self._labels.items())
