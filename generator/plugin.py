"""The `evidence` MkDocs plugin: runs the build step inside `mkdocs build` and `mkdocs serve`.

Validation and generation happen in on_config, before MkDocs cleans site_dir, so content errors
stop the build with the site from the last good build intact.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger

from .build import BuildError, EmptySiteError, build
from .render.markdown_extensions import missing_extensions, missing_extensions_message
from .report import format_text
from .settings import OPTION_DEFAULTS, SettingsError, settings_from_options

log = get_plugin_logger(__name__)


class EvidenceConfig(Config):
    content_dir = c.Type(str, default=OPTION_DEFAULTS["content_dir"])
    bibliography = c.Type(str, default=OPTION_DEFAULTS["bibliography"])
    cache_dir = c.Type(str, default=OPTION_DEFAULTS["cache_dir"])
    topics = c.Type(dict, default=OPTION_DEFAULTS["topics"])
    review_max_months = c.Type(int, default=OPTION_DEFAULTS["review_max_months"])
    max_file_bytes = c.Type(int, default=OPTION_DEFAULTS["max_file_bytes"])
    imprecision_threshold = c.Type(int, default=OPTION_DEFAULTS["imprecision_threshold"])
    publisher = c.Type(str, default=OPTION_DEFAULTS["publisher"])
    publisher_url = c.Type(str, default=OPTION_DEFAULTS["publisher_url"])
    about_page = c.Type(str, default=OPTION_DEFAULTS["about_page"])
    safety_page = c.Type(str, default=OPTION_DEFAULTS["safety_page"])
    safety_topics = c.Type(list, default=[])
    report_url = c.Type(str, default=OPTION_DEFAULTS["report_url"])


class EvidencePlugin(BasePlugin[EvidenceConfig]):
    def on_config(self, config):
        config_file = config.config_file_path
        root = Path(config_file).resolve().parent if config_file else Path.cwd()
        try:
            self.settings = settings_from_options(
                dict(self.config), root=root, output_dir=Path(config.docs_dir), site_name=config.site_name or "", site_url=config.site_url or ""
            )
        except SettingsError as error:
            raise PluginError(f"evidence: configuration error (EV401): {error}") from None
        missing = missing_extensions(config.markdown_extensions)
        if missing:
            raise PluginError(f"evidence: configuration error (EV401): {missing_extensions_message(missing)}")
        try:
            result = build(self.settings, today=dt.date.today())
        except BuildError as error:
            raise PluginError("evidence: the content has errors; nothing was built.\n" + format_text(error.diagnostics)) from None
        except (EmptySiteError, ValueError) as error:
            raise PluginError(f"evidence: {error}") from None
        warnings = [d for d in result.check.diagnostics if d.severity == "warning"]
        if warnings:
            # Info, not warning: content warnings are `evidence check --strict`'s business, not MkDocs strict mode's.
            log.info("content warnings:\n" + format_text(warnings))
        log.info(f"{len(result.model.claims)} claims, {len(result.model.references)} references; {len(result.written)} file(s) updated")
        return config

    def on_env(self, env, config, files):
        # MkDocs makes a new Jinja environment for every build, and `mkdocs serve` builds on every
        # save: compiled templates kept beside the reference cache spare recompiling the theme each time.
        try:
            cache = self.settings.cache_dir / "jinja"
            cache.mkdir(parents=True, exist_ok=True)
            env.bytecode_cache = FileSystemBytecodeCache(str(cache))
        except OSError:
            pass  # a read-only checkout still builds, compiling as before
        return env

    def on_serve(self, server, config, builder):
        # The generated folder changes on every build; watching it would rebuild twice.
        server.unwatch(config.docs_dir)
        server.watch(str(self.settings.content_dir))
        server.watch(str(self.settings.bibliography))
        return server
