"""Who publishes a site and its standing pages (About, safety), as every page shows them.

They are settings of the generator (plugin options `publisher`, `publisher_url`, `about_page`,
`safety_page`, `safety_topics`), so each site names its own. The theme receives them in every
page's front matter (`ev_site`), so every renderer of mkdocs.yml shows the same footer, plugin or not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..urls import METHODOLOGY, content_page, safe_url

_TITLE = re.compile(r"^title[ \t]*:[ \t]*(.+?)[ \t]*$", re.MULTILINE)
_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


@dataclass(frozen=True)
class SiteInfo:
    publisher: str = ""
    publisher_url: str = ""
    #: Paths of hand-written pages inside content/, such as `about.md`; empty when the site has none.
    about_page: str = ""
    safety_page: str = ""
    safety_topics: tuple[str, ...] = ()


#: A site that has named no publisher and no standing pages.
NO_SITE_INFO = SiteInfo()


def page_heading(markdown: str) -> str:
    """A hand-written page's title: its front matter `title`, else its first level-one heading."""
    for pattern in (_TITLE, _HEADING):
        if match := pattern.search(markdown):
            return match.group(1).strip().strip("\"'")
    return ""


def footer_meta(site: SiteInfo, pages: dict[str, str]) -> dict:
    """The footer's data; `pages` maps hand-written page paths to their Markdown (links only to pages that exist)."""
    return {
        "publisher": site.publisher,
        "publisher_url": safe_url(site.publisher_url),
        "about_url": content_page(site.about_page).url if site.about_page in pages else "",
        "methodology_url": METHODOLOGY.url,
    }


def safety_link(site: SiteInfo, topic: str, pages: dict[str, str]) -> dict | None:
    """The link a claim in one of the safety topics shows first, or None."""
    if topic not in site.safety_topics or site.safety_page not in pages:
        return None
    title = page_heading(pages[site.safety_page]) or "Safety"
    return {"url": content_page(site.safety_page).url, "title": title}
