"""The library's entry point for loading and checking a whole project."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .checks import check_claims, check_internal_links, cited_keys, expected_site_files
from .loaders.bibliography import load_bibliography
from .loaders.claims import load_content
from .model import Project
from .rules import Diagnostic, Severity
from .settings import Settings


@dataclass(frozen=True)
class CheckResult:
    project: Project
    diagnostics: tuple[Diagnostic, ...]

    def errors(self, *, strict: bool = False) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR or (strict and d.severity is Severity.WARNING)]


def load_and_check(settings: Settings, *, today: dt.date | None = None) -> CheckResult:
    """Load content/ and the bibliography, run every rule, and return all diagnostics sorted."""
    today = today or dt.date.today()
    claims, pages, assets, diagnostics = load_content(settings)
    bibliography = load_bibliography(settings.bibliography, settings.rel(settings.bibliography), settings.max_bibliography_bytes)
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
