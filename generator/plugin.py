"""The `evidence` MkDocs plugin: runs the build step inside `mkdocs build` and `mkdocs serve`.

Validation and generation happen in on_config, before MkDocs cleans site_dir, so content errors
stop the build with the site from the last good build intact.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger

from . import background
from .build import BuildError, BuildMemo, EmptySiteError, OutputFolderError, build
from .collector import BuildCollector
from .plugin_pages import ChildConversions, ChildPages
from .project import load_and_check
from .render.front_matter import split_json_front_matter
from .render.markdown_extensions import missing_extensions, missing_extensions_message
from .report import format_text
from .settings import OPTION_DEFAULTS, SettingsError, settings_from_options

log = get_plugin_logger("evidence")  # MkDocs prefixes its lines with the name: "evidence: ...", not the package's "generator"


# The options are declared once, in settings.OPTION_DEFAULTS, and validated there (for the CLI
# too); MkDocs only passes each through, None when not given.
EvidenceConfig = type("EvidenceConfig", (Config,), {name: c.Optional(c.Type(object)) for name in OPTION_DEFAULTS})


@dataclass(frozen=True)
class BuildStepOutcome:
    """What the plugin keeps of its build step: what to report, and the pages it wrote, by path."""

    error: str | None
    messages: tuple[str, ...] = ()
    pages: dict[str, bytes] = field(default_factory=dict)


def run_build_step(settings, strict: bool, memo: BuildMemo | None) -> BuildStepOutcome:
    """Check, then write the site source; content errors stop it before anything is written."""
    check = load_and_check(settings, today=dt.date.today(), memo=memo.parse if memo is not None else None)
    # Under `mkdocs build --strict` content warnings fail too, here: MkDocs would only fail on its
    # own warnings after cleaning and rewriting site_dir.
    failing = check.errors(strict=strict)
    if failing:
        return BuildStepOutcome("evidence: the content has errors; nothing was built.\n" + format_text(failing, strict=strict))
    try:
        result = build(settings, check=check, memo=memo)
    except BuildError as error:
        return BuildStepOutcome("evidence: the content has errors; nothing was built.\n" + format_text(error.diagnostics))
    except OutputFolderError as error:
        return BuildStepOutcome(f"evidence: configuration error (EV401): {error}")
    except EmptySiteError as error:
        return BuildStepOutcome(f"evidence: {error}")
    warnings = [d for d in check.diagnostics if d.severity == "warning"]
    messages = (["content warnings:\n" + format_text(warnings)] if warnings else []) + [
        f"{len(result.model.claims)} claims, {len(result.model.references)} references; {len(result.written)} file(s) updated"
    ]
    pages = {path: data for path, data in result.files.items() if path.endswith(".md")}
    return BuildStepOutcome(None, tuple(messages), pages)


class EvidencePlugin(BasePlugin[EvidenceConfig]):
    def __init__(self):
        super().__init__()
        self._json_meta: dict[str, dict] = {}
        self._generated: dict[str, bytes] = {}  # the build step's pages, by src_uri, until MkDocs reads them
        self._memo: BuildMemo | None = None
        self._collector = BuildCollector()
        self._one_off_build = False
        self._nav = None
        self._child_conversions: ChildConversions | None = None
        self._child_pages: ChildPages | None = None
        self._env = None
        self._context = None

    def on_startup(self, *, command, dirty):
        # Having this hook makes MkDocs keep this instance across `mkdocs serve` rebuilds, and with
        # it the build memo, so a save re-parses and re-renders only what it changed. A one-off
        # build keeps no memo: it would only be more for the garbage collector to walk.
        self._memo = BuildMemo() if command == "serve" else None
        # A one-off build forks its build step, and half its Markdown conversion and page rendering
        # (see _build_step and plugin_pages); EVIDENCE_ONE_PROCESS=1 keeps them all here.
        self._one_off_build = command == "build" and not dirty and os.environ.get("EVIDENCE_ONE_PROCESS") != "1"

    def on_config(self, config):
        config_file = config.config_file_path
        root = Path(config_file).resolve().parent if config_file else Path.cwd()
        try:
            self.settings = settings_from_options(dict(self.config), root=root, output_dir=Path(config.docs_dir), site_name=config.site_name or "", site_url=config.site_url or "")
        except SettingsError as error:
            raise PluginError(f"evidence: configuration error (EV401): {error}") from None
        missing = missing_extensions(config.markdown_extensions)
        if missing:
            raise PluginError(f"evidence: configuration error (EV401): {missing_extensions_message(missing)}")
        with self._collector.paused():
            self._build_step(config)
        self._collector.settle()
        return config

    def _build_step(self, config) -> None:
        # A one-off build runs the step in a forked child: the parsed project and the site model
        # (about 500 MB at 10,000 claims) then never live in this process, which goes on to hold
        # every page MkDocs reads. `mkdocs serve` keeps it here, with the memo it reuses.
        outcome = background.start(run_build_step, self.settings, config.strict, self._memo, fork=self._one_off_build).result()
        if outcome.error:
            raise PluginError(outcome.error)
        for message in outcome.messages:
            log.info(message)
        self._generated = outcome.pages

    def on_page_read_source(self, page, config):
        # MkDocs reads front matter with PyYAML, whose Python constructor spent a fifth of a
        # 1,000-claim build building the claim pages' JSON front matter; json reads the same values.
        # The meta is put back in on_page_markdown, before any other plugin looks at it.
        # The build step has just written this page: its bytes are still here, and reading 10,000
        # files back from disk took seconds. A file another plugin generated or replaced is read as MkDocs would.
        data = self._generated.pop(page.file.src_uri, None) if page.file.generated_by is None and page.file.src_dir == config.docs_dir else None
        try:
            text = data.decode("utf-8-sig") if data is not None else page.file.content_string  # as MkDocs decodes
        except (OSError, ValueError):
            return None  # MkDocs reads it again and reports the error itself
        split = split_json_front_matter(text)
        if split is None:
            self._json_meta.pop(page.file.src_uri, None)
            return text
        meta, markdown = split
        self._json_meta[page.file.src_uri] = meta
        return markdown

    @event_priority(100)
    def on_page_markdown(self, markdown, page, config, files):
        meta = self._json_meta.pop(page.file.src_uri, None)
        if meta is not None:
            page.meta = meta
        return markdown

    def on_nav(self, nav, config, files):
        self._nav = nav
        if self._one_off_build:
            self._child_conversions = ChildConversions.start(config, files)
            if self._child_conversions is not None:
                log.debug(f"{len(self._child_conversions)} pages convert in a forked child")
        return nav

    @event_priority(-100)
    def on_pre_page(self, page, config, files):
        if self._child_conversions is not None and self._child_conversions.owns(page):
            self._child_conversions.render_from_child(page)
        return page

    def on_env(self, env, config, files):
        # Every page has been read and converted by now; their meta and HTML live until the build ends.
        self._generated = {}
        self._close_child_conversions()
        self._collector.settle()
        # MkDocs makes a new Jinja environment for every build, and `mkdocs serve` builds on every
        # save: compiled templates kept beside the reference cache spare recompiling the theme each time.
        try:
            cache = self.settings.cache_dir / "jinja"
            cache.mkdir(parents=True, exist_ok=True)
            env.bytecode_cache = FileSystemBytecodeCache(str(cache))
        except OSError:
            pass  # a read-only checkout still builds, compiling as before
        if self._one_off_build:
            self._child_pages = ChildPages.start(config, files, self._nav, env)
            if self._child_pages is not None:
                log.debug(f"{len(self._child_pages)} pages render in a forked child")
        self._env = env
        return env

    @event_priority(-100)
    def on_page_context(self, context, page, config, nav):
        if self._child_pages is not None and self._child_pages.owns(page):
            self._context = context  # kept in case the child fails and this page renders here after all
        return context

    @event_priority(-100)  # last: a page the child failed to render is rendered here and passed to every hook
    def on_post_page(self, output, page, config):
        if self._child_pages is None or not self._child_pages.owns(page) or self._child_pages.rendered_by_child(page):
            return output
        # Only the first of the child's pages gets here: the rest have their templates back.
        log.debug("the forked child failed: its pages render in this process")
        html = self._env.get_template(self._child_pages.template_of(page)).render(self._context)
        return config.plugins.on_post_page(html, page=page, config=config)

    @event_priority(100)  # first: other plugins see every page's real output path
    def on_post_build(self, config):
        self._end_build()

    def on_build_error(self, error):
        self._end_build()

    def _close_child_conversions(self) -> None:
        conversions, self._child_conversions = self._child_conversions, None
        if conversions is not None:
            conversions.close()
            if conversions.failed:
                log.debug("the forked child converting Markdown failed: its pages converted in this process")
            log.debug(f"{conversions.taken} of {len(conversions)} pages took the forked child's conversion; waited {conversions.waited:.2f} s for it")

    def _end_build(self) -> None:
        self._close_child_conversions()
        if self._child_pages is not None:
            self._child_pages.close()
            log.debug(f"waited {self._child_pages.waited:.2f} s for the forked child's pages")
            self._child_pages = None
        self._env = self._context = None
        self._collector.release()

    def on_serve(self, server, config, builder):
        # The generated folder changes on every build; watching it would rebuild twice.
        server.unwatch(config.docs_dir)
        server.watch(str(self.settings.content_dir))
        server.watch(str(self.settings.bibliography))
        return server
