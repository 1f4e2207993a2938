"""The plugin's second process for theme rendering: in a one-off `mkdocs build`, a forked child
renders the later pages' templates while MkDocs renders the earlier ones here.

Jinja is half of a build and runs one page at a time, on one CPU. After every page has been read
and converted (`on_env`), a child forked from this process holds the same nav, files, pages and
Jinja environment; it builds the later pages with MkDocs' own `_build_page`, so every template and
every plugin's `on_page_context` and `on_post_page` hook runs there as it would here, and sends the
finished HTML back. Here, those pages still pass through MkDocs' loop (the search plugin indexes
them, MkDocs writes them), with a template that renders nothing: the plugin's last `on_post_page`
hook hands MkDocs the child's HTML instead. The site is byte-identical to one built in one process.

Warnings the child logs are logged again here, so `--strict` counts them. If the child fails, or
cannot be forked, the pages render here as usual; `mkdocs serve` and `--dirty` builds never fork.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence

from . import background

#: The template the pages left to the child get here: it renders nothing, cheaply.
PLACEHOLDER_TEMPLATE = "evidence/rendered-in-child.html"
#: Share of the pages (by count, from the end) rendered in the child; this process also indexes
#: and writes every page, so the child takes a little more than half of the templates.
CHILD_SHARE = 0.5
#: Below this many pages a fork costs more than it saves.
MIN_PAGES = 200


class _WarningRecorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


class ChildPages:
    """The later pages of one build, rendered in a forked child; `html_for` gives each page's output."""

    def __init__(self, pages: Sequence, pending: background.Pending) -> None:
        """Take over `pages`, whose HTML `pending` delivers: each gets the placeholder template until
        its HTML is handed over or the build ends."""
        self._templates = {}  # src_uri -> (page, the template it asked for, None for the default)
        for page in pages:
            self._templates[page.file.src_uri] = (page, page.meta.get("template"))
            page.meta["template"] = PLACEHOLDER_TEMPLATE
        self._pending = pending
        self._outputs: dict[str, str] | None = None

    @classmethod
    def start(cls, config, files, nav, env) -> ChildPages | None:
        """Fork the child for the later pages of this build, or None where that cannot pay or is not possible."""
        try:
            from mkdocs.commands.build import _build_page
            from mkdocs.structure.files import InclusionLevel
        except ImportError:  # a MkDocs without the page builder this relies on: render here
            return None
        pages = [file.page for file in files.documentation_pages(inclusion=InclusionLevel.is_included)]
        if len(pages) < MIN_PAGES or not background.can_fork():
            return None
        later = pages[len(pages) - int(len(pages) * CHILD_SHARE) :]
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        pending = background.start(_render, _build_page, later, config, doc_files, nav, env, fallback=None)
        return cls(later, pending)  # only now: the child has forked with the pages' own templates

    def __len__(self) -> int:
        return len(self._templates)

    def owns(self, page) -> bool:
        return page.file.src_uri in self._templates

    def html_for(self, page) -> str | None:
        """The child's HTML of a page it rendered; None if the child failed: the caller renders it here,
        with `template_of(page)`, and every later page renders here as usual."""
        if self._outputs is None:
            result = self._pending.result()
            if result is None:
                self.close()
                return None
            self._outputs, warnings = result
            for name, level, message in warnings:
                logging.getLogger(name).log(level, message)
        self._restore(page.file.src_uri)
        return self._outputs.pop(page.file.src_uri, None)

    def template_of(self, page) -> str:
        return page.meta.get("template", "main.html")

    def _restore(self, src_uri: str) -> None:
        page, template = self._templates.pop(src_uri)
        if template is None:
            del page.meta["template"]
        else:
            page.meta["template"] = template

    def close(self) -> None:
        """Stop a child still running; every page not yet handed over gets back the template it asked for
        (this runs after a failed build too: nothing may be left half-changed in page.meta)."""
        self._pending.close()
        for src_uri in list(self._templates):
            self._restore(src_uri)


def _render(build_page, pages, config, doc_files, nav, env) -> tuple[dict[str, str], list[tuple[str, int, str]]]:
    """In the child: build each page with MkDocs' own page builder; keep its HTML, write nothing."""
    # Only the parent speaks: it logs the child's warnings again if it uses the child's pages, and
    # renders them itself (logging its own errors) if it does not.
    # The renderer's own top logger: "mkdocs", or "properdocs" (whose "mkdocs" logger is its child).
    renderer_logger = logging.getLogger(build_page.__module__.partition(".")[0])
    recorder = _WarningRecorder()
    renderer_logger.handlers = [recorder]
    renderer_logger.propagate = False
    outputs: dict[str, str] = {}
    _CAPTURE.target = outputs
    for page in pages:
        page.file.abs_dest_path = os.devnull  # the parent writes every page; this process only renders
        build_page(page, config, doc_files, nav, env, False, excluded=page.file.inclusion.is_excluded())
    return outputs, recorder.records


class _Capture:
    """Where the plugin's last `on_post_page` hook puts each page's output while the child renders."""

    target: dict[str, str] | None = None


_CAPTURE = _Capture()


def capture(page, output: str) -> None:
    if _CAPTURE.target is not None:
        _CAPTURE.target[page.file.src_uri] = output
