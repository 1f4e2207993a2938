"""Loading claim files and hand-written pages from content/."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..bodies import find_citations, find_unsafe_markup, line_and_column
from ..model import Asset, Citation, Claim, Evidence, Indirectness, Location, Page, Stance
from ..rules import Diagnostic, problem
from ..settings import Settings
from .frontmatter import FrontMatter, load_front_matter, split_front_matter
from .text import hidden_characters, read_text

CLAIM_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CLAIM_FIELDS = ("claim", "short", "summary", "topic", "tags", "reviewed", "evidence", "opposes", "evidence_gap")
EVIDENCE_FIELDS = ("source", "stance", "participants", "locator", "note", "indirect", "indirectness", "cites")
_STANCES = {stance.value: stance for stance in Stance}
_INDIRECTNESS = {level.value: level for level in Indirectness}
SHORT_MAX = 60
PARTICIPANTS_MAX = 100_000_000
_TEXT, _LIST = "text", "list of text"


def closest_match(word: str, choices: Any) -> str | None:
    """The choice closest to `word`, ignoring case, if one is close enough to suggest."""
    by_folded: dict[str, str] = {}
    for choice in choices:
        by_folded.setdefault(str(choice).casefold(), str(choice))
    folded = word.casefold()
    if folded in by_folded:
        return by_folded[folded]
    matches = difflib.get_close_matches(folded, list(by_folded), n=1, cutoff=0.6)
    return by_folded[matches[0]] if matches else None


def did_you_mean(word: str, choices: Any) -> str:
    """A ' (did you mean `x`?)' suffix when a close match exists, ignoring case, else ''."""
    match = closest_match(word, choices)
    return f" (did you mean `{match}`?)" if match is not None and match != word else ""


def _text(fm: FrontMatter, value: Any, path: tuple, diagnostics: list[Diagnostic]) -> str:
    if type(value) is str:  # nearly every value: the loader keeps scalars as text
        return value.strip()
    if value is None:
        return ""
    if not isinstance(value, str):
        diagnostics.append(problem("EV103", fm.where(*path), f"`{'.'.join(map(str, path))}` must be {_TEXT}, not a {_kind(value)}"))
        return ""
    return value.strip()


def _text_list(fm: FrontMatter, value: Any, path: tuple, diagnostics: list[Diagnostic]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        diagnostics.append(problem("EV103", fm.where(*path), f"`{'.'.join(map(str, path))}` must be a {_LIST} like `[a, b]`, not {_kind(value)}"))
        return ()
    items = []
    for index, item in enumerate(value):
        text = _text(fm, item, path + (index,), diagnostics)
        if text:
            items.append(text)
    return tuple(items)


def _kind(value: Any) -> str:
    return {dict: "mapping", list: "list", str: "text"}.get(type(value), type(value).__name__)


def _unknown_fields(fm: FrontMatter, mapping: dict, allowed: tuple[str, ...], path: tuple, diagnostics: list[Diagnostic]) -> None:
    for key in mapping:
        if key not in allowed:
            diagnostics.append(problem("EV102", fm.where(*path, key), f"unknown field `{key}`{did_you_mean(key, allowed)}"))


def parse_claim(text: str, path: Path, rel_path: str, settings: Settings) -> tuple[Claim | None, list[Diagnostic]]:
    """Turn one claim file's text into a Claim, reporting every problem found in it."""
    diagnostics: list[Diagnostic] = []
    file_location = Location(rel_path)
    claim_id = path.stem
    if not CLAIM_ID.match(claim_id):
        diagnostics.append(problem("EV108", file_location, f"`{claim_id}` is not lowercase ASCII words joined by hyphens"))
    for offset, character in hidden_characters(text):
        line, column = line_and_column(text, offset)
        diagnostics.append(problem("EV131", Location(rel_path, line, column), f"{character} is invisible and can change how the text reads"))
    parts = split_front_matter(text)
    if parts is None:
        if text.startswith("---"):
            message = "the front matter is not closed by a `---` line"
        else:
            message = "the file must start with a `---` line"
        return None, diagnostics + [problem("EV003", file_location, message)]
    yaml_text, yaml_line, body, body_line = parts
    fm, yaml_problems = load_front_matter(yaml_text, yaml_line, rel_path)
    diagnostics += yaml_problems
    if fm is None:
        return None, diagnostics
    if not isinstance(fm.data, dict):
        return None, diagnostics + [problem("EV007", fm.where(), f"the front matter is a {_kind(fm.data)}, not a mapping")]
    data = fm.data
    _unknown_fields(fm, data, CLAIM_FIELDS, (), diagnostics)

    claim_text = _text(fm, data.get("claim"), ("claim",), diagnostics)
    if not claim_text and isinstance(data.get("claim"), (str, type(None))):
        diagnostics.append(problem("EV101", fm.where("claim"), "add `claim:` with the claim as one sentence"))

    topic = _text(fm, data.get("topic"), ("topic",), diagnostics)
    folder = path.parent.name if path.parent != settings.claims_dir else ""
    if not topic:
        diagnostics.append(problem("EV104", fm.where("topic"), f"`topic` is missing; use one of: {', '.join(settings.topics)}"))
    elif topic not in settings.topics:
        diagnostics.append(problem("EV104", fm.where("topic"), f"unknown topic `{topic}`{did_you_mean(topic, settings.topics)}; topics are: {', '.join(settings.topics)}"))
    elif folder != topic:
        diagnostics.append(problem("EV105", fm.where("topic"), f"topic is `{topic}` but the file is in `{folder or 'claims'}/`; move it to claims/{topic}/"))

    short = _text(fm, data.get("short"), ("short",), diagnostics)
    if len(short) > SHORT_MAX:
        diagnostics.append(problem("EV124", fm.where("short"), f"`short` has {len(short)} characters; keep it within {SHORT_MAX}"))
    summary = _text(fm, data.get("summary"), ("summary",), diagnostics)
    tags = tuple(dict.fromkeys(_text_list(fm, data.get("tags"), ("tags",), diagnostics)))  # a tag given twice is one tag
    reviewed = _parse_reviewed(fm, data, diagnostics)
    opposes = _text_list(fm, data.get("opposes"), ("opposes",), diagnostics)
    evidence = _parse_evidence(fm, data.get("evidence"), diagnostics)

    citations = []
    for found in find_citations(body):
        line, column = line_and_column(body, found.offset)
        citations.append(Citation(found.key, found.locator, Location(rel_path, line + body_line - 1, column)))
    for unsafe in find_unsafe_markup(body):
        line, column = line_and_column(body, unsafe.offset)
        diagnostics.append(problem(unsafe.code, Location(rel_path, line + body_line - 1, column), unsafe.message))

    if any(d.code in ("EV003", "EV004", "EV007") for d in diagnostics):
        return None, diagnostics
    claim = Claim(
        id=claim_id,
        text=claim_text,
        topic=topic,
        path=path,
        rel_path=rel_path,
        location=fm.where("claim") if "claim" in data else file_location,
        body=body,
        body_line=body_line,
        evidence=tuple(evidence),
        citations=tuple(citations),
        tags=tags,
        reviewed=reviewed,
        opposes=opposes,
        opposes_location=fm.where("opposes") if "opposes" in data else None,
        evidence_gap=_text(fm, data.get("evidence_gap"), ("evidence_gap",), diagnostics),
        reviewed_location=fm.where("reviewed") if "reviewed" in data else None,
        summary=summary,
        short=short,
    )
    return claim, diagnostics


def _parse_reviewed(fm: FrontMatter, data: dict, diagnostics: list[Diagnostic]) -> dt.date | None:
    raw = _text(fm, data.get("reviewed"), ("reviewed",), diagnostics)
    if not raw:
        if "reviewed" not in data or data["reviewed"] is None:
            diagnostics.append(problem("EV106", fm.where("reviewed"), "`reviewed` is missing; add the date the evidence was last checked (YYYY-MM-DD)"))
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        diagnostics.append(problem("EV106", fm.where("reviewed"), f"`{raw}` is not in YYYY-MM-DD form"))
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        diagnostics.append(problem("EV106", fm.where("reviewed"), f"`{raw}` is not a real date"))
        return None


def _parse_evidence(fm: FrontMatter, value: Any, diagnostics: list[Diagnostic]) -> list[Evidence]:
    if value is None or value == []:
        diagnostics.append(problem("EV110", fm.where("evidence"), "add at least one source under `evidence:`"))
        return []
    if not isinstance(value, list):
        diagnostics.append(problem("EV103", fm.where("evidence"), f"`evidence` must be a list of entries, not {_kind(value)}"))
        return []
    entries: list[Evidence] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(value):
        path = ("evidence", index)
        if not isinstance(item, dict):
            diagnostics.append(problem("EV103", fm.where(*path), f"evidence entry {index + 1} must be a mapping with `source` and `stance`"))
            continue
        _unknown_fields(fm, item, EVIDENCE_FIELDS, path, diagnostics)
        source = _text(fm, item.get("source"), path + ("source",), diagnostics)
        if not source:
            diagnostics.append(problem("EV112", fm.where(*path), f"evidence entry {index + 1} has no `source`"))
        stance_text = _text(fm, item.get("stance"), path + ("stance",), diagnostics)
        stance = _STANCES.get(stance_text)
        if stance is None:
            what = f"`{stance_text}` is not a stance" if stance_text else "`stance` is missing"
            diagnostics.append(problem("EV111", fm.where(*path, "stance"), f"{what}{did_you_mean(stance_text, _STANCES) if stance_text else ''}; use supports, contradicts, mixed or background"))
        if source and source in seen:
            diagnostics.append(problem("EV119", fm.where(*path, "source"), f"`{source}` is already listed in entry {seen[source] + 1}"))
        participants, not_reported = _participants(fm, item.get("participants"), path + ("participants",), diagnostics)
        indirect = _text(fm, item.get("indirect"), path + ("indirect",), diagnostics)
        indirectness = _indirectness(fm, item.get("indirectness"), indirect, path, diagnostics)
        if source:  # kept with an invalid stance too, so that its source is still looked up
            seen.setdefault(source, index)
            entries.append(
                Evidence(
                    source=source,
                    stance=stance,
                    location=fm.where(*path, "source"),
                    locator=_text(fm, item.get("locator"), path + ("locator",), diagnostics).replace("--", "\u2013"),  # pp. 3--5 as in BibTeX
                    note=_text(fm, item.get("note"), path + ("note",), diagnostics),
                    indirect=indirect,
                    cites=_text_list(fm, item.get("cites"), path + ("cites",), diagnostics),
                    participants=participants,
                    participants_not_reported=not_reported,
                    indirectness=indirectness,
                )
            )
    return entries


NOT_REPORTED = "not reported"


def _participants(fm: FrontMatter, value: Any, path: tuple, diagnostics: list[Diagnostic]) -> tuple[int | None, bool]:
    """The number of people, and whether the editor wrote that the source does not report it."""
    raw = _text(fm, value, path, diagnostics)
    if not raw or raw == NOT_REPORTED:
        return None, raw == NOT_REPORTED
    if not (raw.isascii() and raw.isdigit()) or not 0 < int(raw) <= PARTICIPANTS_MAX:
        diagnostics.append(problem("EV122", fm.where(*path), f"`participants: {raw}` is not a whole number of people from 1 to {PARTICIPANTS_MAX:,}"))
        return 0, False  # counts as zero people, like an unknown size, without a second report
    return int(raw), False


def _indirectness(fm: FrontMatter, value: Any, reason: str, path: tuple, diagnostics: list[Diagnostic]) -> Indirectness | None:
    raw = _text(fm, value, path + ("indirectness",), diagnostics)
    if not raw and not reason:
        return None
    if raw and raw not in _INDIRECTNESS:
        diagnostics.append(problem("EV123", fm.where(*path, "indirectness"), f"`{raw}` is not a degree of indirectness{did_you_mean(raw, _INDIRECTNESS)}; use `serious` or `very serious`"))
        return Indirectness.SERIOUS if reason else None
    if raw and not reason:
        diagnostics.append(problem("EV123", fm.where(*path, "indirectness"), "`indirectness` needs `indirect:` with the reason the source is indirect"))
        return None
    return _INDIRECTNESS[raw] if raw else Indirectness.SERIOUS


def parse_page(text: str, path: Path, page_path: str, rel_path: str) -> tuple[Page, list[Diagnostic]]:
    """A hand-written page: copied through, but its links and HTML are checked like a claim body.

    HTML comments are allowed here (they carry build markers such as the summary marker).
    """
    diagnostics = []
    for unsafe in find_unsafe_markup(text, allow_comments=True):
        line, column = line_and_column(text, unsafe.offset)
        diagnostics.append(problem(unsafe.code, Location(rel_path, line, column), unsafe.message))
    return Page(page_path, path, text), diagnostics


def walk_content(settings: Settings) -> tuple[list[Path], list[Path], list[Path], list[Diagnostic]]:
    """Claim files, other Markdown pages and other files under content/, never leaving the project.

    Symbolic links that resolve outside the project are reported, not followed. Folders are
    visited depth first, in name order, each folder's files before its subfolders.
    """
    claims: list[Path] = []
    pages: list[Path] = []
    assets: list[Path] = []
    diagnostics: list[Diagnostic] = []
    root = settings.content_dir
    if not root.is_dir():
        return claims, pages, assets, diagnostics
    claims_dir = str(settings.claims_dir)

    def visit(folder: str, in_claims: bool) -> None:
        try:
            with os.scandir(folder) as listing:
                entries = sorted((entry for entry in listing if not entry.name.startswith(".")), key=lambda entry: entry.name)
        except OSError:
            return  # as os.walk does: a folder that cannot be listed is left out
        subfolders = []
        for entry in entries:
            try:
                is_folder = entry.is_dir()  # follows a link, as os.walk sorts them
            except OSError:
                is_folder = False
            if is_folder:
                if entry.is_symlink():
                    diagnostics.append(_symlink_problem(Path(entry.path), settings))
                else:
                    subfolders.append(entry.path)
                continue
            file_path = Path(entry.path)
            if entry.is_symlink():
                target = file_path.resolve()
                if not target.is_relative_to(settings.root) or not target.is_file():
                    diagnostics.append(_symlink_problem(file_path, settings))
                    continue
            if entry.name.endswith(".md"):
                (claims if in_claims else pages).append(file_path)
            else:
                assets.append(file_path)
        for subfolder in subfolders:
            visit(subfolder, in_claims or subfolder == claims_dir)

    visit(str(root), False)
    return claims, pages, assets, diagnostics


def _symlink_problem(path: Path, settings: Settings) -> Diagnostic:
    return problem("EV008", Location(settings.rel(path)), f"`{path.name}` is a symbolic link to {os.readlink(path)}; links are not followed")


#: Claim files parsed before, by (path, text): what parse_claim returned for them.
ParsedClaims = dict[tuple[str, str], tuple[Claim | None, list[Diagnostic]]]
#: One claim file loaded: its memo key (with a memo only), the claim, problems reading it, problems parsing it.
LoadedClaim = tuple[tuple[str, str] | None, Claim | None, list[Diagnostic], list[Diagnostic]]


def load_content(
    settings: Settings,
    parsed: ParsedClaims | None = None,
    *,
    map_files: Callable[[Callable[[Path], LoadedClaim], Sequence[Path]], list[LoadedClaim]] = lambda load, paths: [load(path) for path in paths],
) -> tuple[list[Claim], list[Page], list[Asset], list[Diagnostic]]:
    """Load every claim and page under content/.

    `parsed`, when given, supplies claim files whose text has not changed since it was filled, and
    is left holding exactly the files of this load. `map_files(load, paths)` loads the claim files,
    in order: a plain loop unless the caller passes one that shares them between processes.
    """
    claim_paths, page_paths, asset_paths, diagnostics = walk_content(settings)

    def load(path: Path) -> LoadedClaim:
        rel_path = settings.rel(path)
        text, read_problems = read_text(path, rel_path, settings.max_file_bytes)
        if text is None:
            return None, None, read_problems, []
        key = (rel_path, text)
        claim, parse_problems = parsed[key] if parsed is not None and key in parsed else parse_claim(text, path, rel_path, settings)
        # The key (the file's whole text) goes back only to fill the memo.
        return (key if parsed is not None else None), claim, read_problems, parse_problems

    claims: list[Claim] = []
    seen: ParsedClaims = {}
    for key, claim, read_problems, parse_problems in map_files(load, claim_paths):
        diagnostics += read_problems + parse_problems
        if key is not None:
            seen[key] = (claim, parse_problems)
        if claim is not None:
            claims.append(claim)
    if parsed is not None:
        parsed.clear()
        parsed.update(seen)
    pages: list[Page] = []
    for path in page_paths:
        rel_path = settings.rel(path)
        text, problems = read_text(path, rel_path, settings.max_file_bytes)
        diagnostics += problems
        if text is not None:
            page, problems = parse_page(text, path, path.relative_to(settings.content_dir).as_posix(), rel_path)
            diagnostics += problems
            pages.append(page)
    assets = [Asset(path.relative_to(settings.content_dir).as_posix(), path) for path in asset_paths]
    return claims, pages, assets, diagnostics
