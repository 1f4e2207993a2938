"""The plugin's second process for theme rendering: in a one-off `mkdocs build`, a forked child
renders and writes the later pages while MkDocs renders and writes the earlier ones here.

Jinja is half of a build and runs one page at a time, on one CPU. After every page has been read
and converted (`on_env`), a child forked from this process holds the same nav, files, pages and
Jinja environment; it builds the later pages with MkDocs' own `_build_page`, so every template and
every plugin's `on_page_context` and `on_post_page` hook runs there as it would here, and MkDocs'
own code writes each page's file. Here, those pages still pass through MkDocs' loop, so the search
plugin indexes them, but with a placeholder template and their output going to the null device.
The site is byte-identical to one built in one process, and no page's HTML crosses between the
processes (at 10,000 claims that would be 200 MB held twice).

This process waits for the child when its loop reaches the first of the child's pages, so every
file is written before the build ends. Warnings the child logs are logged again here, so
`--strict` counts them. If the child fails, or cannot be forked, the pages render here as usual;
`mkdocs serve` and `--dirty` builds never fork.
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
#: Below this many pages a fork costs more than it saves.
MIN_PAGES = 200


class _WarningRecorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


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


def _render(build_page, pages, config, doc_files, nav, env) -> list[tuple[str, int, str]]:
    """In the child: build and write each page with MkDocs' own page builder; return the warnings."""
    # Only the parent speaks: it logs the child's warnings again if the child succeeds, and renders
    # the pages itself (logging its own errors) if it does not.
    # The renderer's own top logger: "mkdocs", or "properdocs" (whose "mkdocs" logger is its child).
    renderer_logger = logging.getLogger(build_page.__module__.partition(".")[0])
    recorder = _WarningRecorder()
    renderer_logger.handlers = [recorder]
    renderer_logger.propagate = False
    for page in pages:
        build_page(page, config, doc_files, nav, env, False, excluded=page.file.inclusion.is_excluded())
    return recorder.records
