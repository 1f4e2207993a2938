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
#: Parsing this much BibTeX takes about as long as reading and parsing one claim file (measured on
#: the 10,000-claim benchmark: 0.41 s a MB of BibTeX, 0.26 ms a claim file).
BIBLIOGRAPHY_BYTES_PER_CLAIM_FILE = 600


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


def claim_files_here(claim_files: int, bibliography_bytes: int) -> int:
    """How many claim files a one-off load reads here, the first ones, while a forked worker parses
    the bibliography and then the rest: about as much work on each side."""
    if claim_files < FORK_CLAIM_FILES:
        return claim_files
    bibliography = bibliography_bytes / BIBLIOGRAPHY_BYTES_PER_CLAIM_FILE
    return min(claim_files, max(claim_files // 2, round((claim_files + bibliography) / 2)))


class _WorkerBeside:
    """`map_files` for a one-off load: one forked worker parses the bibliography, then the later
    claim files, while this process loads the first ones. Two processes, not three, for two CPUs.
    load_content calls it once, even with no claim files, so the bibliography is always parsed."""

    def __init__(self, bibliography_args: tuple, bibliography_bytes: int):
        self._bibliography_args = bibliography_args
        self._bibliography_bytes = bibliography_bytes
        self.bibliography: Bibliography | None = None

    def __call__(self, load, paths):
        here = claim_files_here(len(paths), self._bibliography_bytes)
        fork = here < len(paths) or self._bibliography_bytes >= FORK_BIBLIOGRAPHY_BYTES
        with background.start(_bibliography_then_claims, self._bibliography_args, load, paths[here:], fork=fork) as worker:
            first = [load(path) for path in paths[:here]]
            self.bibliography, rest = worker.result()
        return first + rest


def _bibliography_then_claims(bibliography_args, load, paths):
    return load_bibliography(*bibliography_args), [load(path) for path in paths]


def load_and_check(settings: Settings, *, today: dt.date | None = None, memo: ParseMemo | None = None) -> CheckResult:
    """Load content/ and the bibliography, run every rule, and return all diagnostics sorted."""
    today = today or dt.date.today()
    memo = memo.for_settings(settings) if memo is not None else None
    bibliography_args = (settings.bibliography, settings.rel(settings.bibliography), settings.max_bibliography_bytes, memo.bibliography if memo is not None else None)
    if memo is None:
        # Parsing claim files and the bibliography was most of `evidence check` at 10,000 claims:
        # a forked worker shares it when that pays (about 10 ms a fork).
        beside = _WorkerBeside(bibliography_args, _file_size(settings.bibliography))
        claims, pages, assets, diagnostics = load_content(settings, map_files=beside)
        bibliography = beside.bibliography
    else:
        # `mkdocs serve` keeps its memo in this process, and re-parses only what changed.
        claims, pages, assets, diagnostics = load_content(settings, memo.claims)
        bibliography = load_bibliography(*bibliography_args)
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
