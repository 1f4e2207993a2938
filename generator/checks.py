"""Rules across files: keys resolve, ids are unique, `opposes` is sound, reviews are recent."""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Iterable
from urllib.parse import unquote

from .bodies import find_unrendered_citations, line_and_column, relative_links
from .loaders.bibliography import Bibliography
from .loaders.claims import closest_match, did_you_mean
from .model import Claim, Location, Page, Project
from .rules import Diagnostic, problem
from .urls import FIXED_GENERATED_FILES, tag_page


def months_between(earlier: dt.date, later: dt.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month - (later.day < earlier.day)


def cited_keys(claims: Iterable[Claim]) -> set[str]:
    """Every reference key the claims name: evidence sources, their `cites`, and `[@key]` in the text."""
    cited: set[str] = set()
    for claim in claims:
        for evidence in claim.evidence:
            cited.add(evidence.source)
            cited.update(evidence.cites)
        cited.update(citation.key for citation in claim.citations)
    return cited


def check_claims(
    claims: Iterable[Claim],
    bibliography: Bibliography,
    *,
    today: dt.date,
    review_max_months: int,
    bibliography_path: str,
) -> list[Diagnostic]:
    """Every cross-file rule; `today` is passed in so tests never depend on the clock.

    Returns the bibliography's own diagnostics too: those of the file, and those of the entries
    claims cite (an uncited entry need not be complete).
    """
    claims = list(claims)
    references = bibliography.references

    def missing(key: str, what: str, code: str, location: Location) -> Diagnostic | None:
        """The diagnostic for a key that names no reference, or None if its entry failed to parse (already reported)."""
        if key in bibliography.unreadable_keys:
            return None
        if key in bibliography.sets:
            members = ", ".join(f"`{m}`" for m in bibliography.sets[key])
            return problem("EV212", location, f"{what} is a @set of {members}; cite its members one by one")
        return problem(code, location, f"{what} is not in {bibliography_path}{did_you_mean(key, references)}")

    diagnostics: list[Diagnostic] = []
    by_id: dict[str, Claim] = {}
    for claim in claims:
        if claim.id in by_id:
            other = by_id[claim.id]
            diagnostics.append(problem("EV109", Location(claim.rel_path), f"id `{claim.id}` is also used by {other.rel_path}"))
        else:
            by_id[claim.id] = claim
    cited = cited_keys(claims)
    folded_keys = {key.casefold() for key in references}
    for claim in claims:
        listed = {e.source for e in claim.evidence}
        # A misspelled evidence key is reported once (EV113), not again on the citation it was meant for.
        misspelled_for = {closest_match(key, references) for key in listed if key not in references}
        for evidence in claim.evidence:
            reference = references.get(evidence.source)
            if reference is None:
                diagnostics.append(missing(evidence.source, f"`{evidence.source}`", "EV113", evidence.location))
            for key in evidence.cites:
                if key not in references:
                    diagnostics.append(missing(key, f"`{key}` (in `cites`)", "EV113", evidence.location))
            if evidence.cites and reference is not None and reference.study_type is not None and not reference.is_web_article:
                diagnostics.append(problem("EV120", evidence.location, f"`{evidence.source}` is not a web article (its studytype is {reference.study_type})"))
            if reference is not None and reference.study_type is not None:
                if (evidence.participants is not None or evidence.participants_not_reported) and not reference.study_type.is_study:
                    diagnostics.append(problem("EV125", evidence.location, f"`{evidence.source}` is a {reference.study_type}; it studied no one"))
                elif evidence.participants_not_reported and reference.study_type.is_study and evidence.stance is not None and evidence.stance.counted:
                    diagnostics.append(problem("EV313", evidence.location, f"`{evidence.source}` does not report its number of participants; it counts as zero people"))
                elif evidence.participants is None and reference.study_type.is_study and evidence.stance is not None and evidence.stance.counted:
                    diagnostics.append(problem("EV305", evidence.location, f"`{evidence.source}` ({reference.study_type}) has no `participants`; it counts as zero people"))
        for citation in claim.citations:
            if citation.key not in references:
                diagnostics.append(missing(citation.key, f"`@{citation.key}`", "EV114", citation.location))
            elif citation.key not in listed and citation.key not in misspelled_for:
                diagnostics.append(problem("EV302", citation.location, f"`@{citation.key}` is cited in the text but not listed under `evidence`"))
        if "@" in claim.body or "cite" in claim.body:
            for found in find_unrendered_citations(claim.body, lambda key: key in references or key.casefold() in folded_keys):
                line, column = line_and_column(claim.body, found.offset)
                diagnostics.append(problem(found.code, Location(claim.rel_path, line + claim.body_line - 1, column), found.message))
        for target in claim.opposes:
            where = claim.opposes_location or claim.location
            if target == claim.id:
                diagnostics.append(problem("EV116", where, f"`{target}` is this claim itself"))
            elif target not in by_id:
                diagnostics.append(problem("EV115", where, f"no claim has the id `{target}`{did_you_mean(target, by_id)}"))
        if claim.reviewed is not None:
            reviewed_at = claim.reviewed_location or claim.location
            if claim.reviewed > today:
                diagnostics.append(problem("EV107", reviewed_at, f"`reviewed: {claim.reviewed}` is after today ({today})"))
            elif months_between(claim.reviewed, today) > review_max_months:
                age = months_between(claim.reviewed, today)
                diagnostics.append(problem("EV303", reviewed_at, f"last reviewed {claim.reviewed}, {age} months ago (limit {review_max_months})"))
        if claim.evidence and not any(e.stance is None or e.stance.counted for e in claim.evidence):
            diagnostics.append(problem("EV306", claim.location, f"all {len(claim.evidence)} source(s) of `{claim.id}` are background; nothing is counted"))
        counted = [e for e in claim.evidence if e.stance is not None and e.stance.counted]
        resolved = [references[e.source] for e in counted if e.source in references]
        all_stances_valid = all(e.stance is not None for e in claim.evidence)  # else EV111 comes first
        web_only = all_stances_valid and resolved and len(resolved) == len(counted) and all(r.is_web_article for r in resolved)
        if web_only and not claim.evidence_gap:
            diagnostics.append(problem("EV304", claim.location, f"all {len(resolved)} counted source(s) of `{claim.id}` are web articles"))
    for key, reference in references.items():
        if key not in cited:
            diagnostics.append(problem("EV301", reference.location, f"`{key}` is not cited by any claim"))
    diagnostics += bibliography.problems(cited)
    return [d for d in diagnostics if d is not None]


def expected_site_files(project: Project, topics: Iterable[str]) -> set[str]:
    """Every file the generated site may hold, as a path in docs_dir, predicted without rendering.

    Generous where the build decides later (a scorecard page for every cited web article): the
    build checks links again against the files it actually rendered, before writing any.
    """
    files = set(FIXED_GENERATED_FILES)
    files.update(f"claims/{topic}/index.md" for topic in topics)
    files.update(f"claims/{claim.topic}/{claim.id}.md" for claim in project.claims)
    files.update(tag_page(tag).file for claim in project.claims for tag in claim.tags)
    files.update(f"sources/{reference.slug}.md" for reference in project.references.values() if reference.is_web_article)
    files.update(page.rel_path for page in project.pages)
    files.update(asset.rel_path for asset in project.assets)
    return files


def check_internal_links(claims: Iterable[Claim], pages: Iterable[Page], site_files: set[str], content_path: str) -> list[Diagnostic]:
    """Links from claim bodies and hand-written pages to files of the site that will not exist.

    MkDocs reports these only after it has cleaned and rewritten site_dir, so they are errors here.
    """
    diagnostics = []
    sources = [(f"claims/{c.topic}/{c.id}.md", c.body, c.rel_path, c.body_line) for c in claims]
    sources += [(page.rel_path, page.text, f"{content_path}/{page.rel_path}", 1) for page in pages]
    for docs_path, text, rel_path, first_line in sources:
        if "](" not in text and "]:" not in text:
            continue
        folder = posixpath.dirname(docs_path)
        for offset, target in relative_links(text):
            path = unquote(target.split("#", 1)[0].split("?", 1)[0])
            resolved = posixpath.normpath(posixpath.join(folder, path))
            if resolved not in site_files:
                line, column = line_and_column(text, offset)
                diagnostics.append(problem("EV132", Location(rel_path, line + first_line - 1, column), f"`{target[:80]}` leads to `{resolved}`, which the site will not have"))
    return diagnostics
