"""The plugin's second process: in a one-off `mkdocs build`, forked children convert the later
pages' Markdown, then render and write the later pages, while MkDocs does the earlier ones here.

Reading and converting every page, then Jinja, are most of a build, and MkDocs does each one page
at a time, on one CPU. Both children are forked from this process, so they hold the same config,
files, nav and plugins; they run MkDocs' own code, and every plugin's hooks run there as they
would here. The site is byte-identical to one built in one process.

- `ChildConversions`, forked once the nav exists (`on_nav`): for each later page, the child runs
  the same hooks as MkDocs' reading loop and `Page.render`, and sends back what `render` sets (the
  HTML, the table of contents, anchors). Here the reading loop still runs every hook on every
  page; only the conversion of a page whose Markdown is exactly what the child converted is taken
  from the child.
- `ChildPages`, forked once every page is converted (`on_env`): the child builds the later pages
  with MkDocs' `_build_page`, so every template and every `on_page_context` and `on_post_page`
  hook runs there, and MkDocs' own code writes each page's file. Here, those pages still pass
  through MkDocs' loop, so the search plugin indexes them, but with a placeholder template and
  their output going to the null device. No page's output HTML crosses between the processes (at
  10,000 claims that would be 200 MB held twice).

This process waits for a child when its loop reaches the first of the child's pages. Warnings the
child logs in MkDocs' code are logged again here, so `--strict` counts them. If a child fails, or
cannot be forked, its pages are done here as usual; `mkdocs serve` and `--dirty` builds never fork.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Sequence

from . import background

#: The template the pages left to the child get here; its output is written to the null device.
PLACEHOLDER_TEMPLATE = "evidence/rendered-in-child.html"
#: Share of the pages (by count, from the end) rendered in the child: this process also indexes
#: every page for search while the child renders.
CHILD_SHARE = 0.47
#: Share of the pages (by count, from the end) whose Markdown the child converts: here, a page the
#: child converted still has its source read and every hook run.
CONVERTED_IN_CHILD = 0.5
#: Below this many pages a fork costs more than it saves.
MIN_PAGES = 200


class _WarningRecorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


class ChildConversions:
    """The Markdown of the later pages of one build, converted by a forked child."""

    def __init__(self, src_uris: Sequence[str], pending: background.Pending) -> None:
        self._src_uris = frozenset(src_uris)
        self._pending = pending
        self._converted: dict[str, tuple] | None = None  # None until the child's result is in
        #: Whether the child delivered nothing, so that its pages were converted here.
        self.failed = False
        #: How many pages took the child's conversion.
        self.taken = 0
        #: Seconds this process waited for the child: above a few tenths, the child's share is too big.
        self.waited = 0.0

    @classmethod
    def start(cls, config, files) -> ChildConversions | None:
        """Fork the child for the later pages of this build, or None where that cannot pay or is not possible."""
        try:
            from mkdocs.structure.files import InclusionLevel
            from mkdocs.structure.pages import Page
        except ImportError:  # a MkDocs without what this relies on: convert here
            return None
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        if len(doc_files) < MIN_PAGES or not background.can_fork():
            return None
        later = doc_files[len(doc_files) - int(len(doc_files) * CONVERTED_IN_CHILD) :]
        return cls([file.src_uri for file in later], background.start(_convert, Page, later, config, files, fallback=None))

    def __len__(self) -> int:
        return len(self._src_uris)

    def owns(self, page) -> bool:
        return page.file.src_uri in self._src_uris

    def render_from_child(self, page) -> None:
        """Have the page's `render` take the child's conversion when the page's Markdown is what the
        child converted. Call before MkDocs reads the page (from `on_pre_page`); only one page at a
        time is pending, so a failed build leaves at most one page with this in place."""
        page.render = _ConvertedInChild(self, page)

    def take(self, page) -> tuple | None:
        """What the child's `render` set on this page, with the warnings it logged, if the child
        converted exactly this Markdown; else None. Waits for the child the first time."""
        if self._converted is None:
            started = time.perf_counter()
            converted = self._pending.result()
            self.failed = converted is None
            self._converted = converted or {}
            self.waited = time.perf_counter() - started
        converted = self._converted.pop(page.file.src_uri, None)
        if converted is None or converted[0] != page.markdown:
            return None
        self.taken += 1
        return converted[1:]

    def close(self) -> None:
        self._pending.close()
        self._converted = {}


class _ConvertedInChild:
    """A page's `render` for this build: the child's conversion if it converted this Markdown, else MkDocs' own."""

    def __init__(self, conversions: ChildConversions, page) -> None:
        self._conversions = conversions
        self._page = page

    def __call__(self, config, files) -> None:
        page = self._page
        del page.render  # the class's own method again
        converted = self._conversions.take(page)
        if converted is None:
            page.render(config, files)
            return
        rendered, links_to_anchors, warnings = converted
        for name, level, message in warnings:
            logging.getLogger(name).log(level, message)
        for attribute, value in rendered.items():
            setattr(page, attribute, value)
        if links_to_anchors is not None:
            page.links_to_anchors = {files.get_file_from_path(src_uri): links for src_uri, links in links_to_anchors.items()}


class ChildPages:
    """The later pages of one build, rendered and written by a forked child."""

    def __init__(self, pages: Sequence, pending: background.Pending) -> None:
        """Take over `pages`, which `pending` renders and writes: here, each gets the placeholder
        template and the null device as its output file until the build ends or the child fails."""
        self._pages = {}  # src_uri -> (page, the template it asked for or None, its output path)
        for page in pages:
            self._pages[page.file.src_uri] = (page, page.meta.get("template"), page.file.abs_dest_path)
            page.meta["template"] = PLACEHOLDER_TEMPLATE
            page.file.abs_dest_path = os.devnull
        self._pending = pending
        self._done: bool | None = None  # None until the child's result is in
        #: Seconds this process waited for the child: above a few tenths, the child's share is too big.
        self.waited = 0.0

    @classmethod
    def start(cls, config, files, nav, env) -> ChildPages | None:
        """Fork the child for the later pages of this build, or None where that cannot pay or is not possible."""
        try:
            from mkdocs.commands.build import _build_page
            from mkdocs.structure.files import InclusionLevel
        except ImportError:  # a MkDocs without the page builder this relies on: render here
            return None
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        if len(doc_files) < MIN_PAGES or not background.can_fork():
            return None
        # MkDocs writes pages after static files and theme templates, so that a page wins a clash
        # over its path; the child writes meanwhile, so a page with such a clash stays here.
        taken = {file.dest_uri for file in files if not file.is_documentation_page()} | set(config.theme.static_templates)
        later = [file.page for file in doc_files[len(doc_files) - int(len(doc_files) * CHILD_SHARE) :] if file.dest_uri not in taken]
        pending = background.start(_render, _build_page, later, config, doc_files, nav, env, fallback=False)
        return cls(later, pending)  # only now: the child has forked with the pages' own templates and paths

    def __len__(self) -> int:
        return len(self._pages)

    def owns(self, page) -> bool:
        return page.file.src_uri in self._pages

    def rendered_by_child(self, page) -> bool:
        """Whether the child has written this page. If not, the child failed: the page has its template
        and path back (as has every page not yet built here), and the caller renders it with
        `template_of(page)`."""
        if self._done is None:
            started = time.perf_counter()
            result = self._pending.result()
            self.waited = time.perf_counter() - started
            self._done = result is not False
            if self._done:
                for name, level, message in result:
                    logging.getLogger(name).log(level, message)
            else:
                self.close()
        if not self._done:
            return False
        _, template, _ = self._pages[page.file.src_uri]
        self._put_back_template(page, template)
        return True

    def template_of(self, page) -> str:
        return page.meta.get("template", "main.html")

    @staticmethod
    def _put_back_template(page, template: str | None) -> None:
        if template is None:
            page.meta.pop("template", None)
        else:
            page.meta["template"] = template

    def close(self) -> None:
        """Stop a child still running; every page gets back its template and output path (this runs
        after a failed build too: nothing may be left half-changed)."""
        self._pending.close()
        for page, template, path in self._pages.values():
            self._put_back_template(page, template)
            page.file.abs_dest_path = path
        self._pages.clear()


#: What `Page.render` sets, but `links_to_anchors`, whose keys are files and go by path.
_RENDERED = ("content", "toc", "_title_from_render", "present_anchor_ids")


def _convert(page_class, doc_files, config, files) -> dict[str, tuple]:
    """In the child: read and convert each file's page as MkDocs' reading loop does; for each, by
    path, the Markdown it converted, what `render` set, and the warnings `render` logged."""
    recorder = _silence(page_class)
    converted = {}
    for file in doc_files:
        if file.page is None:  # a page outside the nav: MkDocs' loop makes it at this point too
            page_class(None, file, config)
        config._current_page = file.page
        page = config.plugins.on_pre_page(file.page, config=config, files=files)
        page.read_source(config)
        page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
        recorder.records = []  # not the hooks' warnings: the parent runs the hooks too, and logs its own
        page.render(config, files)
        rendered = {attribute: getattr(page, attribute) for attribute in _RENDERED}
        links = page.__dict__.get("links_to_anchors")
        links = None if links is None else {to_file.src_uri: anchors for to_file, anchors in links.items()}
        converted[file.src_uri] = (page.markdown, rendered, links, recorder.records)
    config._current_page = None
    return converted


def _silence(renderer_object) -> _WarningRecorder:
    """In a child: record the renderer's log records instead of printing them; only the parent speaks."""
    # The renderer's own top logger: "mkdocs", or "properdocs" (whose "mkdocs" logger is its child).
    renderer_logger = logging.getLogger(renderer_object.__module__.partition(".")[0])
    recorder = _WarningRecorder()
    renderer_logger.handlers = [recorder]
    renderer_logger.propagate = False
    return recorder


def _render(build_page, pages, config, doc_files, nav, env) -> list[tuple[str, int, str]]:
    """In the child: build and write each page with MkDocs' own page builder; return the warnings."""
    # The parent logs the child's warnings again if the child succeeds, and renders the pages
    # itself (logging its own errors) if it does not.
    recorder = _silence(build_page)
    for page in pages:
        build_page(page, config, doc_files, nav, env, False, excluded=page.file.inclusion.is_excluded())
    return recorder.records
