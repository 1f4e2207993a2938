"""Which Markdown extensions the generated pages need, and which a new site starts with.

Zensical turns on a large default set when mkdocs.yml lists none and MkDocs almost none, so a site
lists every extension it relies on and the plugin refuses a configuration that lacks a required one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

#: Extensions without which generated pages render wrongly, with what breaks.
REQUIRED: dict[str, str] = {
    "attr_list": "the classes the generated pages put on paragraphs and tables would print as text",
    "md_in_html": "Markdown inside the layout's HTML blocks would print as raw text",
    "tables": "the counts on the home page and the tables of the methodology page would print as pipes",
    "toc": "headings would have no anchors for the pages' links to point at",
}

#: What `evidence init` writes into mkdocs.yml: the required extensions plus those editors use most
#: in hand-written pages, each with its options.
STARTER: tuple[tuple[str, dict[str, Any]], ...] = (
    ("abbr", {}),
    ("admonition", {}),
    ("attr_list", {}),
    ("md_in_html", {}),
    ("tables", {}),
    ("toc", {"permalink": True}),
    ("pymdownx.details", {}),
    ("pymdownx.superfences", {}),
)

_BUILTIN_PREFIX = "markdown.extensions."
#: What MkDocs adds to every site's list; `evidence build` counts them too, so it agrees with the plugin.
MKDOCS_BUILTINS = ("toc", "tables", "fenced_code")


def missing_extensions(configured: Iterable[object]) -> list[str]:
    """The required extensions absent from `configured` (names as MkDocs keeps them), in order."""
    names = {name.removeprefix(_BUILTIN_PREFIX) for name in configured if isinstance(name, str)}
    return [name for name in REQUIRED if name not in names]


def missing_extensions_message(missing: list[str]) -> str:
    """A configuration error naming each missing extension, what breaks without it, and the fix."""
    reasons = "".join(f"\n  - {name}: without it {REQUIRED[name]}" for name in missing)
    listing = "".join(f"\n  - {name}" for name in missing)
    return f"mkdocs.yml lacks Markdown extension(s) the generated pages need:{reasons}\nFix: add them to the `markdown_extensions:` list in mkdocs.yml:\nmarkdown_extensions:{listing}"
