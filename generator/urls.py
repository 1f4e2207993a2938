"""Where every generated page lives (its Markdown file inside docs_dir and its URL from the site
root), and which outside URLs from the data pages may link to.

URLs are directory URLs (`claims/causes/x/`), as MkDocs and Zensical write them with
`use_directory_urls`. Templates turn them into page-relative links with the `|url` filter;
Markdown links to other pages point at the `.md` file, which every renderer resolves alike.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import quote

from .model import key_slug

# A host, then no whitespace, quotes, angle brackets, backticks or backslashes anywhere.
_HTTP_URL = re.compile(r"^https?://[^\s/$.?#\"'<>`\\][^\s\"'<>`\\]*$", re.IGNORECASE)


def is_http_url(url: str) -> bool:
    """The one test of an outside URL from data: http(s), with a host, and nothing that could break out of an attribute."""
    return bool(_HTTP_URL.match(url or ""))


def safe_url(url: str) -> str:
    """The URL if it passes is_http_url, else '' so pages emit no link at all."""
    url = (url or "").strip()
    return url if is_http_url(url) else ""


def doi_url(doi: str) -> str:
    return "https://doi.org/" + quote(doi, safe="/:;()._-") if doi else ""


@dataclass(frozen=True)
class PageLocation:
    """A generated page: `file` inside docs_dir and `url` from the site root."""

    file: str
    url: str


def _location(file: str) -> PageLocation:
    stem = file.removesuffix(".md")
    if stem == "index":
        return PageLocation(file, "")
    url = stem.removesuffix("/index") + "/" if stem.endswith("/index") else stem + "/"
    return PageLocation(file, url)


def content_page(file: str) -> PageLocation:
    """A hand-written page of content/ (`about.md`), which the build copies to the same path."""
    return _location(file)


def claim_page(topic: str, claim_id: str) -> PageLocation:
    return _location(f"claims/{topic}/{claim_id}.md")


def listing_page(first_file: str, number: int) -> PageLocation:
    """Page `number` (1-based) of a paginated listing whose first page is `first_file`.

    Later pages live in a folder named after the first page's URL: `references.md` is followed by
    `references/page-2.md`, `claims/relief/index.md` by `claims/relief/page-2.md`.
    """
    first = _location(first_file)
    if number == 1:
        return first
    return _location(f"{first.url}page-{number}.md")


def topic_page(topic: str, number: int = 1) -> PageLocation:
    return listing_page(f"claims/{topic}/index.md", number)


def tag_page(tag: str, number: int = 1) -> PageLocation:
    """The claims an editor gave `tag`; the tag goes through key_slug, like a citation key, so any text is a safe, distinct path."""
    return listing_page(f"tags/{key_slug(tag)}.md", number)


HOME = _location("index.md")
CLAIMS_INDEX = _location("claims/index.md")
DISPUTES = "disputes.md"
REFERENCES = "references.md"
SOURCES = "sources/index.md"
METHODOLOGY = _location("methodology.md")
TAGS = _location("tags.md")
CLAIMS_JSON = "claims.json"
#: The generated files that exist on every site, whatever its claims.
FIXED_GENERATED_FILES = frozenset({CLAIMS_INDEX.file, DISPUTES, REFERENCES, SOURCES, METHODOLOGY.file, TAGS.file, CLAIMS_JSON})


def scorecard_page(key: str) -> PageLocation:
    """A web article's scorecard; the key goes through key_slug, since keys such as `baez/online` are valid BibTeX."""
    return _location(f"sources/{key_slug(key)}.md")


def reference_anchor(key: str) -> str:
    """The HTML id of a reference's entry, through the same key_slug as file names: `ref-` and the slug.

    The slug is plain ASCII, so the same string serves as id and as fragment, byte for byte.
    """
    return "ref-" + key_slug(key)


def relative_file(to_file: str, from_file: str) -> str:
    """A Markdown link from one generated file to another (both paths inside docs_dir)."""
    return posixpath.relpath(to_file, posixpath.dirname(from_file) or ".")
