"""The library's entry point for loading and checking a whole project."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from . import background
from .checks import check_claims, check_internal_links, cited_keys, expected_site_files
from .loaders.bibliography import Bibliography, load_bibliography
from .loaders.claims import ParsedClaims, load_content
from .model import Project
from .rules import Diagnostic, Severity
from .settings import Settings

#: A library this size (about 250 entries) takes some 100 ms to parse, ten times the cost of a fork.
FORK_BIBLIOGRAPHY_BYTES = 100_000
#: Claim files take about 0.3 ms each to read and parse: fewer than this would not pay for a fork.
FORK_CLAIM_FILES = 200


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


@dataclass(frozen=True)
class CheckResult:
    project: Project
    diagnostics: tuple[Diagnostic, ...]

    def errors(self, *, strict: bool = False) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR or (strict and d.severity is Severity.WARNING)]


@dataclass
class ParseMemo:
    """Files parsed by the last load, by their text, kept by `mkdocs serve` between rebuilds.

    A save then re-parses only the file that changed; every rule still runs on the whole project.
    Parsing depends on the settings too, so a memo made under other settings is not used.
    """

    settings: Settings | None = None
    claims: ParsedClaims = field(default_factory=dict)
    bibliography: dict[str, Bibliography] = field(default_factory=dict)

    def for_settings(self, settings: Settings) -> ParseMemo:
        if self.settings != settings:
            self.settings, self.claims, self.bibliography = settings, {}, {}
        return self


def _load_in_two(load, paths):
    return background.map_in_two(load, paths) if len(paths) >= FORK_CLAIM_FILES else [load(path) for path in paths]


def load_and_check(settings: Settings, *, today: dt.date | None = None, memo: ParseMemo | None = None) -> CheckResult:
    """Load content/ and the bibliography, run every rule, and return all diagnostics sorted."""
    today = today or dt.date.today()
    memo = memo.for_settings(settings) if memo is not None else None
    # The bibliography is parsed beside the claims, in a forked worker, when it is big enough to pay
    # for the fork (about 10 ms); a memo lives in this process, so `mkdocs serve` parses it here.
    bibliography_args = (settings.bibliography, settings.rel(settings.bibliography), settings.max_bibliography_bytes, memo.bibliography if memo is not None else None)
    with background.start(load_bibliography, *bibliography_args, fork=memo is None and _file_size(settings.bibliography) >= FORK_BIBLIOGRAPHY_BYTES) as parsing:
        # Without a memo, half the claim files are read and parsed in a forked worker too: parsing
        # them was most of `evidence check` at 10,000 claims. A memo lives in this process.
        if memo is None:
            claims, pages, assets, diagnostics = load_content(settings, map_files=_load_in_two)
        else:
            claims, pages, assets, diagnostics = load_content(settings, memo.claims)
        bibliography = parsing.result()
    # The site shows what claims cite; a library's other entries are only checked for syntax.
    cited = cited_keys(claims)
    references = {key: reference for key, reference in bibliography.references.items() if key in cited}
    diagnostics += check_claims(
        claims,
        bibliography,
        today=today,
        review_max_months=settings.review_max_months,
        bibliography_path=settings.rel(settings.bibliography),
    )
    project = Project(claims=tuple(sorted(claims, key=lambda c: (c.topic, c.id))), references=references, pages=tuple(pages), assets=tuple(assets))
    diagnostics += check_internal_links(project.claims, project.pages, expected_site_files(project, settings.topics), settings.rel(settings.content_dir))
    return CheckResult(project, tuple(sorted(set(diagnostics))))
