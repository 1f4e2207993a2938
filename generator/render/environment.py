"""The Jinja environment every page is rendered with: autoescaped, strict, with safe URL helpers."""

from __future__ import annotations

import html
import json
import posixpath
import re
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

_HTTP_URL = re.compile(r"^https?://[^\s\"'<>`]+$", re.IGNORECASE)


def safe_url(url: str) -> str:
    """The URL if it is http(s), else '' so templates emit no link at all."""
    url = (url or "").strip()
    return url if _HTTP_URL.match(url) else ""


def doi_url(doi: str) -> str:
    return "https://doi.org/" + quote(doi, safe="/:;()._-") if doi else ""


def relative_url(to_url: str, from_url: str) -> str:
    """A link from the page at directory URL `from_url` to site path `to_url` (both relative to the root)."""
    path, _, anchor = to_url.partition("#")
    target = posixpath.relpath("/" + path, "/" + from_url)
    if path == "" or path.endswith("/"):
        target = target.rstrip("/") + "/"
    return target + ("#" + anchor if anchor else "")


def meta_text(value: str) -> Markup:
    """A front-matter value (title, description, tag) as a quoted YAML string, HTML-escaped.

    Material prints page titles, descriptions and tags without escaping (its templates treat them
    as HTML), so data must arrive already escaped; JSON quoting keeps it one valid YAML string.
    """
    return Markup(json.dumps(html.escape(value, quote=True), ensure_ascii=False))


def json_script(value: object) -> Markup:
    """JSON safe inside <script>: `<`, `>` and `&` escaped so `</script>` cannot close the tag."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def make_environment() -> Environment:
    env = Environment(
        loader=PackageLoader("generator", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "md", "j2"), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(safe_url=safe_url, doi_url=doi_url, rel=relative_url, meta_text=meta_text, json_script=json_script)
    return env
