"""The content model: frozen dataclasses that every other module passes around."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


@dataclass(frozen=True, order=True)
class Location:
    """A 1-based position in a project file, as editors see it."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


class Stance(StrEnum):
    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"
    MIXED = "mixed"
    #: Shown for context (another outcome, another question) and never counted in any result.
    BACKGROUND = "background"

    @property
    def counted(self) -> bool:
        return self is not Stance.BACKGROUND


class Indirectness(StrEnum):
    """How far a source is from the claim, in GRADE's words: each step lowers the certainty one grade."""

    SERIOUS = "serious"
    VERY_SERIOUS = "very serious"

    @property
    def steps(self) -> int:
        return 2 if self is Indirectness.VERY_SERIOUS else 1


class StudyType(StrEnum):
    META_ANALYSIS = "meta-analysis"
    SYSTEMATIC_REVIEW = "systematic-review"
    RCT = "rct"
    CONTROLLED_TRIAL = "controlled-trial"
    COHORT = "cohort"
    CASE_CONTROL = "case-control"
    CROSS_SECTIONAL = "cross-sectional"
    CASE_SERIES = "case-series"
    NARRATIVE_REVIEW = "narrative-review"
    GUIDELINE = "guideline"
    EXPERT_OPINION = "expert-opinion"
    REFERENCE_WORK = "reference-work"
    WEB_ARTICLE = "web-article"

    @property
    def is_popular(self) -> bool:
        """Popular writing: it makes claims but is not evidence for them."""
        return self is StudyType.WEB_ARTICLE

    @property
    def is_opinion(self) -> bool:
        """Documents that report no measurement of their own: they count as expert opinion."""
        return self in _OPINION_TYPES

    @property
    def is_study(self) -> bool:
        """A design that measured something (a review counts the studies it pooled)."""
        return not (self.is_popular or self.is_opinion)


_OPINION_TYPES = frozenset({StudyType.NARRATIVE_REVIEW, StudyType.GUIDELINE, StudyType.EXPERT_OPINION, StudyType.REFERENCE_WORK})


@dataclass(frozen=True)
class Person:
    """One author or editor, split into name parts (literal for organisations)."""

    family: str = ""
    given: str = ""
    literal: str = ""

    @property
    def display(self) -> str:
        if self.literal:
            return self.literal
        return f"{self.family}, {self.given}" if self.given else self.family


@functools.cache  # called for every citation on every page; keys repeat
def key_slug(key: str) -> str:
    """A citation key as a file name and URL segment: readable, safe, and different for every key.

    Lowercase letters, digits and `-` stay; `_` becomes `__` and a capital `_` plus its lowercase
    (so `Smith2020` and `smith2020` cannot meet on a case-insensitive disk); any other character
    becomes `.` + its hex code + `.` (`baez/online` -> `baez.2f.online`). Decodable, so collision-free.
    """
    return "".join(
        char if char.isascii() and (char.islower() or char.isdigit() or char == "-") else "__" if char == "_" else "_" + char.lower() if char.isascii() and char.isupper() else f".{ord(char):x}."
        for char in key
    )


@dataclass(frozen=True)
class Reference:
    """One BibTeX entry, with LaTeX decoded and names split."""

    key: str
    entry_type: str
    fields: dict[str, str]
    authors: tuple[Person, ...]
    editors: tuple[Person, ...]
    study_type: StudyType | None
    location: Location
    field_lines: dict[str, int] = field(default_factory=dict, compare=False)
    unknown_fields: frozenset[str] = frozenset()

    @property
    def slug(self) -> str:
        """The key as a file name and URL segment (scorecard pages)."""
        return key_slug(self.key)

    @property
    def title(self) -> str:
        return self.fields.get("title", self.key)

    @property
    def year(self) -> str:
        return self.fields.get("year", "")

    @property
    def container(self) -> str:
        return self.fields.get("journal") or self.fields.get("booktitle") or ""

    @property
    def publisher(self) -> str:
        for name in ("organization", "publisher", "institution"):
            if self.fields.get(name):
                return self.fields[name]
        return ""

    @property
    def doi(self) -> str:
        return self.fields.get("doi", "")

    @property
    def url(self) -> str:
        return self.fields.get("url", "")

    @property
    def is_web_article(self) -> bool:
        return self.study_type is not None and self.study_type.is_popular


@dataclass(frozen=True)
class Evidence:
    """One source listed under a claim, with its stance on that claim."""

    source: str
    #: None only when the stance given was invalid (already reported): the entry is kept so that its
    #: other fields are still checked, and a project with errors is never graded.
    stance: Stance | None
    location: Location
    locator: str = ""
    note: str = ""
    indirect: str = ""
    cites: tuple[str, ...] = ()
    #: People studied (pooled, for a review); None when the editor has not given it, 0 when the value
    #: given was invalid (already reported): both count as zero people.
    participants: int | None = None
    #: The editor wrote `participants: not reported`: the source does not say how many people it studied.
    participants_not_reported: bool = False
    #: Set exactly when `indirect` gives a reason.
    indirectness: Indirectness | None = None


@dataclass(frozen=True)
class Citation:
    """A Pandoc-style `[@key, locator]` citation found in a claim body."""

    key: str
    locator: str
    location: Location


@dataclass(frozen=True)
class Claim:
    """One claim file: front matter plus the editor's explanation."""

    id: str
    text: str
    topic: str
    path: Path
    rel_path: str
    location: Location
    body: str
    body_line: int
    evidence: tuple[Evidence, ...]
    citations: tuple[Citation, ...] = ()
    tags: tuple[str, ...] = ()
    reviewed: dt.date | None = None
    opposes: tuple[str, ...] = ()
    opposes_location: Location | None = None
    evidence_gap: str = ""
    reviewed_location: Location | None = None
    #: The editor's bottom line, shown first on the page.
    summary: str = ""
    #: A short form of the claim for page titles.
    short: str = ""


@dataclass(frozen=True)
class Page:
    """A hand-written Markdown page in content/ (not a claim), copied through to the site."""

    rel_path: str
    path: Path
    text: str


@dataclass(frozen=True)
class Asset:
    """A non-Markdown file in content/ (an image, say), copied through unchanged."""

    rel_path: str
    path: Path


@dataclass(frozen=True)
class Project:
    """Everything loaded from one project: claims, references and hand-written pages."""

    claims: tuple[Claim, ...]
    references: dict[str, Reference]
    pages: tuple[Page, ...] = ()
    assets: tuple[Asset, ...] = ()
