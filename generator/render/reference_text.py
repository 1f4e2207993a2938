"""Formatted references as data for pages: in-text labels, plain-text tooltips and styled entry runs.

Templates receive entries as runs of plain text with at most one inline style each, never as
HTML, so a template escapes every run like any other value from page.meta.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from ..model import Reference
from ..urls import doi_url, reference_anchor, safe_url
from .citations import markdown_text
from .csl import Formatted

_TAG = re.compile(r"<(/?)([a-z]+)[^>]*>")
#: Inline styles an APA entry uses; anything else (citeproc's spans) is plain text.
RUN_STYLES = {"i": "i", "em": "i", "b": "b", "strong": "b", "sup": "sup", "sub": "sub"}


def entry_runs(entry_html: str) -> list[list[str]]:
    """Sanitised citeproc HTML as [[text, style], ...], style one of RUN_STYLES' values or ''."""
    runs: list[list[str]] = []
    stack: list[str] = []
    last = 0
    for match in _TAG.finditer(entry_html):
        if match.start() > last:
            runs.append([html.unescape(entry_html[last : match.start()]), stack[-1] if stack else ""])
        closing, name = match.groups()
        style = RUN_STYLES.get(name, "")
        if closing:
            if stack:
                stack.pop()
        else:
            stack.append(style or (stack[-1] if stack else ""))
        last = match.end()
    if last < len(entry_html):
        runs.append([html.unescape(entry_html[last:]), stack[-1] if stack else ""])
    return [run for run in runs if run[0]]


@dataclass(frozen=True)
class ReferenceTexts:
    """Everything pages show of the bibliography, by key."""

    labels: dict[str, str]
    tooltips: dict[str, str]
    entries: dict[str, list[list[str]]]

    @cached_property
    def tooltip_markdown(self) -> dict[str, str]:
        """Each tooltip as literal text for a line of Markdown: made once a site, not once a page citing it."""
        return {key: markdown_text(text) for key, text in self.tooltips.items()}

    def label(self, key: str) -> str:
        return self.labels.get(key, key)

    def only(self, keys: Iterable[str]) -> ReferenceTexts:
        """The texts of `keys` alone (those these texts have), sharing the tooltips already made."""
        keys = [key for key in keys if key in self.labels]
        subset = ReferenceTexts({k: self.labels[k] for k in keys}, {k: self.tooltips[k] for k in keys}, {k: self.entries[k] for k in keys})
        # Seeds the cached property: a site's tooltips are made once, not once a page.
        subset.__dict__["tooltip_markdown"] = {k: self.tooltip_markdown[k] for k in keys}
        return subset

    def entry(self, reference: Reference) -> dict:
        """A reference entry for page.meta: anchor, styled runs and its safe outbound links."""
        return {
            "key": reference.key,
            "anchor": reference_anchor(reference.key),
            "runs": self.entries.get(reference.key) or [[reference.title or reference.key, ""]],
            "doi": reference.doi or "",
            "doi_url": doi_url(reference.doi),
            "url": safe_url(reference.url),
        }


def reference_texts(references: dict[str, Reference], formatted: dict[str, Formatted]) -> ReferenceTexts:
    labels, tooltips, entries = {}, {}, {}
    for key in references:
        found = formatted.get(key)
        labels[key] = found.label if found else key
        runs = entry_runs(found.entry_html) if found else []
        entries[key] = runs
        tooltips[key] = "".join(text for text, _ in runs) or key
    return ReferenceTexts(labels, tooltips, entries)
