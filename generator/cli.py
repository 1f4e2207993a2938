"""The `evidence` command: a thin adapter from the command line to the library."""

from __future__ import annotations

import datetime as dt
import functools
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .collector import BuildCollector
from .loaders.config import find_config_file, load_settings
from .report import FORMATTERS
from .rules import INTERNAL_ERROR
from .settings import Settings, SettingsError

if TYPE_CHECKING:  # the build is imported when a command runs, to keep `evidence --help` quick
    from .build import BuildMemo

CONFIG_HELP = "Path to mkdocs.yml, as with `mkdocs -f` (default: mkdocs.yml in this folder or the nearest folder above)."

MAIN_HELP = """Build and check an evidence-graded reference site.

\b
The project is a MkDocs site with the `evidence` plugin in mkdocs.yml:
  content/claims/<topic>/<claim-id>.md   one claim per file: YAML front matter
                                         (claim, topic, reviewed, evidence: source
                                         + stance ...) and a Markdown explanation
                                         citing sources as [@key, p. 3]
  references.bib                         BibTeX or BibLaTeX (Zotero, Better BibTeX,
                                         JabRef exports load as they are); the
                                         entries claims cite need `studytype`
The editors' guide (content/contributing.md) lists every field and rule.

\b
Exit codes:
  0  no errors (warnings and info allowed unless --strict)
  1  the content has errors (with --strict, warnings too)
  2  usage or configuration error (EV401)
  3  internal error (EV501): a bug in this tool; please report it
"""

CHECK_HELP = """Check every claim and reference; exit 1 if anything is wrong.

\b
Each problem is printed as `path:line:column: CODE severity: message [rule]`
with how to fix it. Severities: error (exit 1), warning (exit 1 only with
--strict), info (never fails; summed up in one line unless --verbose).
Formats: text (for people), json (a list of objects with path, line, column,
code, rule, severity, message, fix), github (workflow annotations).
"""


def _reporting_internal_errors(command: Callable) -> Callable:
    """Turn an unexpected exception into a short report and exit 3, never a disguised config error."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as error:  # a bug: say so, with where it happened
            frame = traceback.extract_tb(error.__traceback__)[-1]
            click.echo(f"evidence: internal error ({INTERNAL_ERROR}): {type(error).__name__}: {error}", err=True)
            click.echo(f"    at {Path(frame.filename).name}:{frame.lineno} in {frame.name}; this is a bug in evidence, please report it with this output", err=True)
            sys.exit(3)

    return run


def _config_path(config_file: str | None) -> Path:
    try:
        return Path(config_file) if config_file else find_config_file(Path.cwd())
    except SettingsError as error:
        click.echo(f"evidence: configuration error (EV401): {error}", err=True)
        sys.exit(2)


def _settings(config_file: str | None) -> Settings:
    try:
        return load_settings(_config_path(config_file))
    except SettingsError as error:
        click.echo(f"evidence: configuration error (EV401): {error}", err=True)
        sys.exit(2)


def _parse_today(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a YYYY-MM-DD date", param_hint="--today") from None


@click.group(help=MAIN_HELP)
@click.version_option(package_name="evidence-site")
def main() -> None:
    pass


@main.command(help=CHECK_HELP)
@click.option("-f", "--config-file", default=None, metavar="PATH", help=CONFIG_HELP)
@click.option("--format", "output_format", type=click.Choice(sorted(FORMATTERS)), default="text", show_default=True, help="Output format.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (info never fails).")
@click.option("-v", "--verbose", is_flag=True, help="List every info diagnostic (each uncited reference) instead of one summary line.")
@click.option("--today", metavar="YYYY-MM-DD", help="Check review dates against this day instead of today.")
@_reporting_internal_errors
def check(config_file: str | None, output_format: str, strict: bool, verbose: bool, today: str | None) -> None:
    from .project import load_and_check

    settings = _settings(config_file)
    with BuildCollector().paused():  # a check keeps what it loads until it exits
        result = load_and_check(settings, today=_parse_today(today))
    click.echo(FORMATTERS[output_format](result.diagnostics, strict, verbose=verbose), nl=False)
    sys.exit(1 if result.errors(strict=strict) else 0)


@main.command()
@click.argument("claim")
@click.option("--topic", required=True, help="One of the topics in mkdocs.yml.")
@click.option("-f", "--config-file", default=None, metavar="PATH", help=CONFIG_HELP)
@click.option("--today", metavar="YYYY-MM-DD", help="Date to write as `reviewed` (default: today).")
@_reporting_internal_errors
def new(claim: str, topic: str, config_file: str | None, today: str | None) -> None:
    """Write a new claim file from the template and print its path.

    CLAIM is the claim as one sentence; the file name (the claim's id) is made from it.
    Exit 1 if the file exists already (it is never overwritten), 2 on bad input.
    """
    from .scaffold import ClaimExists, write_new_claim

    settings = _settings(config_file)
    if topic not in settings.topics:
        raise click.BadParameter(f"{topic!r} is not a topic; choose from: {', '.join(settings.topics)}", param_hint="--topic")
    try:
        path = write_new_claim(settings, claim, topic, _parse_today(today))
    except ClaimExists as error:
        click.echo(f"evidence: {error}", err=True)
        sys.exit(1)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="CLAIM") from None
    click.echo(settings.rel(path))


@main.command()
@click.option("-f", "--config-file", default=None, metavar="PATH", help=CONFIG_HELP)
@click.option("--today", metavar="YYYY-MM-DD", help="Check review dates against this day instead of today.")
@_reporting_internal_errors
def build(config_file: str | None, today: str | None) -> None:
    """Validate, grade and write the site's Markdown into docs_dir (no MkDocs needed).

    Nothing is written if the content has errors (exit 1); content/ and the
    bibliography are never written to.
    """
    path = _config_path(config_file)
    settings = _settings(str(path))
    _require_markdown_extensions(path)
    sys.exit(_build_once(settings, _parse_today(today)))


def _require_markdown_extensions(config_file: Path) -> None:
    """Without the plugin (Zensical), `evidence build` is the one step that can say an extension is missing."""
    from .loaders.config import load_markdown_extensions
    from .render.markdown_extensions import MKDOCS_BUILTINS, missing_extensions, missing_extensions_message

    missing = missing_extensions([*MKDOCS_BUILTINS, *load_markdown_extensions(config_file)])
    if missing:
        click.echo(f"evidence: configuration error (EV401): {missing_extensions_message(missing)}", err=True)
        sys.exit(2)


def _build_once(settings: Settings, today: dt.date, memo: BuildMemo | None = None) -> int:
    """Run the build step and report it; the exit code it deserves."""
    from .build import BuildError, EmptySiteError, OutputFolderError
    from .build import build as run_build
    from .report import format_text

    try:
        with BuildCollector().paused():  # the build step keeps what it makes until it has written the site
            result = run_build(settings, today=today, memo=memo)
    except BuildError as error:
        click.echo(format_text(error.diagnostics), err=True, nl=False)
        click.echo("evidence: nothing was written", err=True)
        return 1
    except EmptySiteError as error:
        click.echo(f"evidence: {error}", err=True)
        return 1
    except OutputFolderError as error:
        click.echo(f"evidence: configuration error (EV401): {error}", err=True)
        return 2
    click.echo(
        f"{len(result.model.claims)} claims, {len(result.model.references)} references: "
        f"{len(result.written)} of {result.total} files written, {len(result.removed)} removed in {settings.rel(settings.output_dir)}/"
    )
    return 0


@main.command()
@click.option("-f", "--config-file", default=None, metavar="PATH", help=CONFIG_HELP)
@click.option("--interval", default=0.5, show_default=True, type=click.FloatRange(min=0.05), help="Seconds between looks for changes.")
@_reporting_internal_errors
def watch(config_file: str | None, interval: float) -> None:
    """Build, then build again whenever content/, the bibliography or mkdocs.yml change (for `zensical serve`)."""
    import time

    from .build import BuildMemo, source_signature

    path = _config_path(config_file)
    settings = _settings(str(path))
    _require_markdown_extensions(path)
    click.echo(f"evidence: watching {settings.rel(settings.content_dir)}/ and {settings.rel(settings.bibliography)}; Ctrl+C stops")
    seen = source_signature(settings)
    memo = BuildMemo()  # a save then re-parses and re-renders only what it changed
    _build_once(settings, dt.date.today(), memo)
    try:
        while True:
            time.sleep(interval)
            now = source_signature(settings)
            if now != seen:
                seen = now
                _build_once(settings, dt.date.today(), memo)
    except KeyboardInterrupt:
        pass


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", "site_name", help="The site's name (default: from the folder's name).")
@click.option("--topic", "topics", multiple=True, metavar="TITLE", help="A topic, as readers see it; repeat for more. Its folder name is made from it.")
@click.option("--today", metavar="YYYY-MM-DD", help="Date to write as the example claim's `reviewed` (default: today).")
def init(directory: Path, site_name: str | None, topics: tuple[str, ...], today: str | None) -> None:
    """Start a new site in DIRECTORY; existing files are left alone and listed as skipped."""
    from importlib.metadata import PackageNotFoundError, version

    from . import __version__
    from .scaffold import STARTER_TOPICS, starter_files, topics_from_titles, write_new_files

    try:
        topic_map = topics_from_titles(list(topics)) if topics else dict(STARTER_TOPICS)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--topic") from None
    try:
        package_version = version("evidence-site")
    except PackageNotFoundError:
        package_version = __version__
    name = site_name if site_name is not None else directory.resolve().name.replace("-", " ").replace("_", " ").capitalize()
    try:
        files = starter_files(name, topic_map, _parse_today(today), package_version)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--name") from None
    result = write_new_files(directory, files)
    shown = directory.as_posix().rstrip("/")
    for rel_path in result.written:
        click.echo(f"created {shown}/{rel_path}")
    for rel_path in result.skipped:
        click.echo(f"skipped {shown}/{rel_path}: it already exists and was left as it is")
    click.echo(f"next: mkdocs serve -f {shown}/mkdocs.yml")
