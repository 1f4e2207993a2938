"""The build step: validate, grade, render, then write the generated MkDocs source.

Validation comes first and nothing is written when it fails. Pages are rendered in memory, then
synced into the output folder file by file (write beside, then rename), touching only files whose
bytes changed, so `mkdocs serve` rebuilds no more than it must and a crash never leaves a
half-written page. The output folder is only ever the configured docs_dir, never content/.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from . import background
from .assess import SiteModel, build_site_model
from .checks import check_internal_links
from .model import Project
from .project import CheckResult, ParseMemo, load_and_check
from .render.csl import csl_item, format_references
from .render.page_memo import PageMemo
from .render.pages import render_site
from .render.site_info import SiteInfo
from .rules import Diagnostic
from .settings import Settings

CACHE_FILE = "references-apa.json"
_UMASK = os.umask(0o022)
os.umask(_UMASK)


class EmptySiteError(ValueError):
    """The project has no claims, so the build would publish a site without a single claim page."""


class OutputFolderError(ValueError):
    """docs_dir would overlap content/ or the project, or a write would leave it (exit code 2)."""


class BuildError(Exception):
    """The content has errors; nothing was written."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__(f"{len(diagnostics)} error(s) in the content")
        self.diagnostics = diagnostics


@dataclass(frozen=True)
class BuildResult:
    check: CheckResult
    model: SiteModel
    written: tuple[str, ...]
    removed: tuple[str, ...]
    total: int
    #: What the generated folder holds now, by path: the plugin hands pages to MkDocs from here
    #: rather than reading back the files just written.
    files: Mapping[str, bytes] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class BuildMemo:
    """What a long-running process (`mkdocs serve`, `evidence watch`) keeps between builds.

    A save then costs about what it changed: only changed files are parsed, only pages whose
    inputs changed are made, and a generated file left as the last build wrote it is not read back.
    Every rule, grade and listing is still worked out from the whole project on every build.
    """

    parse: ParseMemo = field(default_factory=ParseMemo)
    pages: PageMemo = field(default_factory=PageMemo)
    #: Each file the last build left in the output folder, by absolute path: bytes, size, mtime (ns).
    synced: dict[str, tuple[bytes, int, int]] = field(default_factory=dict)


def _load_cache(settings: Settings) -> dict:
    try:
        data = json.loads((settings.cache_dir / CACHE_FILE).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _save_cache(settings: Settings, cache: dict, previous: dict) -> None:
    if cache == previous:
        return
    try:
        settings.cache_dir.mkdir(parents=True, exist_ok=True)
        _write_atomic(settings.cache_dir / CACHE_FILE, json.dumps(cache, ensure_ascii=False).encode("utf-8"))
    except OSError:
        pass  # the cache only saves time; a read-only checkout still builds


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o666 & ~_UMASK)  # mkstemp makes files 0600; a site is read by a web server
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def sync_folder(output_dir: Path, files: dict[str, bytes], synced: dict[str, tuple[bytes, int, int]] | None = None) -> tuple[list[str], list[str]]:
    """Make output_dir hold exactly `files` (plus dotfiles), rewriting only what changed.

    `synced` (updated here) holds what the last call left in each file: a file whose size and
    modification time are still those, and whose bytes are the same, is not read back to compare.
    """
    output_dir.mkdir(parents=True, exist_ok=True)
    root = output_dir.resolve()
    written, removed = [], []
    left: dict[str, tuple[bytes, int, int]] = {}
    checked_folders: set[Path] = set()  # resolving a folder is a system call a path component
    for rel_path, data in files.items():
        if PurePosixPath(rel_path).is_absolute() or ".." in PurePosixPath(rel_path).parts:
            raise OutputFolderError(f"refusing to write outside {output_dir}: {rel_path}")
        target = output_dir / rel_path
        if target.parent not in checked_folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.parent.resolve().is_relative_to(root):
                raise OutputFolderError(f"refusing to write through a link outside {output_dir}: {rel_path}")
            checked_folders.add(target.parent)
        if synced is not None:
            known = synced.get(str(target))
            if known is not None and known[0] == data and _size_and_mtime(target) == known[1:]:
                left[str(target)] = known
                continue
        try:
            unchanged = target.is_file() and not target.is_symlink() and target.read_bytes() == data
        except OSError:
            unchanged = False
        if not unchanged:
            if target.is_symlink():
                target.unlink()
            _write_atomic(target, data)
            written.append(rel_path)
        if synced is not None and (found := _size_and_mtime(target)) is not None:
            left[str(target)] = (data, *found)
    wanted = set(files)
    for folder, dirnames, filenames in os.walk(output_dir, topdown=False):
        folder_path = Path(folder)
        for name in filenames:
            rel = (folder_path / name).relative_to(output_dir).as_posix()
            if name.startswith(".") or rel in wanted:
                continue
            (folder_path / name).unlink()
            removed.append(rel)
        for name in dirnames:
            sub = folder_path / name
            if not name.startswith(".") and sub.is_dir() and not sub.is_symlink() and not any(sub.iterdir()):
                sub.rmdir()
    if synced is not None:
        synced.clear()
        synced.update(left)
    return written, removed


def _size_and_mtime(path: Path) -> tuple[int, int] | None:
    """A regular file's size and modification time (ns); None for anything else."""
    try:
        found = path.lstat()
    except OSError:
        return None
    return (found.st_size, found.st_mtime_ns) if stat.S_ISREG(found.st_mode) else None


def cited_keys(project: Project) -> set[str]:
    """Every reference a page shows as a formatted entry: evidence sources, what they cite, body citations.

    Only these are formatted (citeproc-py takes several milliseconds a reference); the bibliography
    lists the others by title.
    """
    keys = set()
    for claim in project.claims:
        keys.update(e.source for e in claim.evidence)
        keys.update(key for e in claim.evidence for key in e.cites)
        keys.update(c.key for c in claim.citations)
    return keys


#: The share of claim pages made in a forked child: this process makes the rest and, meanwhile,
#: every other page, about half as much work again as all the claim pages at 10,000 claims.
CLAIM_PAGES_IN_CHILD = 0.75


def _claim_pages_beside_the_rest(page, inputs, other_pages):
    return background.map_beside(page, inputs, other_pages, child_share=CLAIM_PAGES_IN_CHILD)


def render_files(result: CheckResult, settings: Settings, memo: PageMemo | None = None) -> tuple[SiteModel, dict[str, bytes]]:
    """Everything the generated folder should hold, in memory."""
    project = result.project
    model = build_site_model(project, settings)
    previous = _load_cache(settings)
    cited = cited_keys(project)
    formatted, cache = format_references([csl_item(r) for key, r in project.references.items() if key in cited], previous)
    _save_cache(settings, cache, previous)
    hand_written = {page.rel_path: page.text for page in project.pages}
    site = SiteInfo(settings.publisher, settings.publisher_url, settings.about_page, settings.safety_page, settings.safety_topics)
    pages = render_site(model, formatted, hand_written, site_url=settings.site_url, site_name=settings.site_name, site=site, map_pages=_claim_pages_beside_the_rest, memo=memo)
    files = {path: text.encode("utf-8") for path, text in pages.items()}
    for asset in project.assets:
        files[asset.rel_path] = asset.path.read_bytes()
    return model, files


def source_signature(settings: Settings) -> tuple:
    """What the build reads, as (path, size, modification time) triples: it changes when any source does."""
    paths = [settings.bibliography, Path(settings.root / "mkdocs.yml")]
    if settings.content_dir.is_dir():
        paths += sorted(p for p in settings.content_dir.rglob("*") if p.is_file())
    signature = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            continue
        signature.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(signature)


def build(settings: Settings, *, today: dt.date | None = None, check: CheckResult | None = None, memo: BuildMemo | None = None) -> BuildResult:
    """Validate, then render the whole site source into settings.output_dir."""
    result = check or load_and_check(settings, today=today, memo=memo.parse if memo is not None else None)
    errors = result.errors()
    if errors:
        raise BuildError(errors)
    if _inside(settings.output_dir, settings.content_dir) or _inside(settings.content_dir, settings.output_dir) or settings.output_dir.resolve() == settings.root:
        raise OutputFolderError("docs_dir must be a folder of its own, not content/, the project root or a parent of content/")
    if not result.project.claims:
        raise EmptySiteError(f'no claims in {settings.rel(settings.claims_dir)}/: a site without claim pages is not built; add one with `evidence new "Claim sentence" --topic TOPIC`')
    model, files = render_files(result, settings, memo.pages if memo is not None else None)
    # The check predicted the site's files; here are the real ones, before anything is written.
    broken = check_internal_links(result.project.claims, result.project.pages, set(files), settings.rel(settings.content_dir))
    if broken:
        raise BuildError(broken)
    written, removed = sync_folder(settings.output_dir, files, memo.synced if memo is not None else None)
    return BuildResult(result, model, tuple(written), tuple(removed), len(files), files)
