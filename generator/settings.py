"""Plain settings for the core, validated once from the plugin's mapping in mkdocs.yml."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class SettingsError(ValueError):
    """The plugin configuration is invalid (exit code 2, never a content error)."""


@dataclass(frozen=True)
class Settings:
    """Where the project's files are and how to judge them."""

    root: Path
    content_dir: Path
    bibliography: Path
    output_dir: Path
    cache_dir: Path
    #: A site's own subject matter: required in mkdocs.yml, never a default of the generator.
    topics: dict[str, str] = field(default_factory=dict)
    review_max_months: int = 24
    max_file_bytes: int = 1_000_000
    max_bibliography_bytes: int = 64_000_000
    site_name: str = ""
    site_url: str = ""
    #: GRADE's rule of thumb for an optimal information size: fewer people than this in the sources that
    #: decide a verdict lowers its certainty one grade for imprecision.
    imprecision_threshold: int = 400
    #: Who publishes the site (footer, JSON-LD author) and where readers learn more about it.
    publisher: str = ""
    publisher_url: str = ""
    #: Pages of content/ (paths such as `about.md`): the site's About page and its safety page, which
    #: every claim in `safety_topics` links to. Empty means the site has none.
    about_page: str = ""
    safety_page: str = ""
    safety_topics: tuple[str, ...] = ()
    #: Where readers report an error; `{claim}` is replaced by the claim's id. Empty: no report link.
    report_url: str = ""

    @property
    def claims_dir(self) -> Path:
        return self.content_dir / "claims"

    def rel(self, path: Path) -> str:
        """A path as editors write it: relative to the project root, with forward slashes."""
        text, root = str(path), str(self.root)
        if text.startswith(root) and text[len(root) : len(root) + 1] == os.sep:  # the common case, without pathlib's parsing
            return text[len(root) + 1 :].replace(os.sep, "/")
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


OPTION_DEFAULTS: dict[str, Any] = {
    "content_dir": "content",
    "bibliography": "references.bib",
    # Not under .cache/: `zensical build --clean` deletes that whole folder.
    "cache_dir": ".evidence-cache",
    "topics": {},
    "review_max_months": 24,
    "max_file_bytes": 1_000_000,
    "imprecision_threshold": 400,
    "publisher": "",
    "publisher_url": "",
    "about_page": "",
    "safety_page": "",
    "safety_topics": [],
    "report_url": "",
}


def settings_from_options(options: Mapping[str, Any], *, root: Path, output_dir: Path, site_name: str = "", site_url: str = "") -> Settings:
    """Validate the plugin options (as written in mkdocs.yml) into Settings."""
    merged = {**OPTION_DEFAULTS, **{k: v for k, v in options.items() if v is not None}}
    unknown = set(merged) - set(OPTION_DEFAULTS) - {"enabled"}
    if unknown:
        raise SettingsError(f"unknown evidence plugin option(s): {', '.join(sorted(unknown))}")
    topics = merged["topics"]
    if not isinstance(topics, Mapping) or not topics:
        raise SettingsError("`topics` must map topic ids to titles, e.g. `prevention: Prevention`")
    for topic_id, title in topics.items():
        if not isinstance(topic_id, str) or not isinstance(title, str):
            raise SettingsError(f"topic {topic_id!r}: ids and titles must be text")
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", topic_id):
            raise SettingsError(f"topic id {topic_id!r} must be lowercase ASCII words joined by hyphens")
    for name in ("review_max_months", "max_file_bytes", "imprecision_threshold"):
        value = merged[name]
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise SettingsError(f"`{name}` must be a positive whole number")
    for name in ("publisher", "publisher_url", "about_page", "safety_page", "report_url"):
        if not isinstance(merged[name], str):
            raise SettingsError(f"`{name}` must be text")
    for name in ("publisher_url", "report_url"):
        if merged[name] and not re.match(r"^https?://[^\s<>\"'`]+$", merged[name]):
            raise SettingsError(f"`{name}` must be an http(s) address")
    for name in ("about_page", "safety_page"):
        if merged[name] and not re.fullmatch(r"[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*\.md", merged[name]):
            raise SettingsError(f"`{name}` must be a Markdown page inside content/, such as `about.md`")
    safety_topics = merged["safety_topics"]
    if not isinstance(safety_topics, list) or any(t not in topics for t in safety_topics):
        raise SettingsError(f"`safety_topics` must be a list of configured topics: {', '.join(topics)}")
    root = root.resolve()

    def inside(name: str) -> Path:
        path = (root / str(merged[name])).resolve()
        if not path.is_relative_to(root):
            raise SettingsError(f"`{name}` must point inside the project, not to {path}")
        return path

    return Settings(
        root=root,
        content_dir=inside("content_dir"),
        bibliography=inside("bibliography"),
        output_dir=output_dir.resolve(),
        cache_dir=inside("cache_dir"),
        topics=dict(topics),
        review_max_months=merged["review_max_months"],
        max_file_bytes=merged["max_file_bytes"],
        site_name=site_name,
        site_url=site_url,
        imprecision_threshold=merged["imprecision_threshold"],
        publisher=merged["publisher"],
        publisher_url=merged["publisher_url"],
        about_page=merged["about_page"],
        safety_page=merged["safety_page"],
        safety_topics=tuple(safety_topics),
        report_url=merged["report_url"],
    )
