"""The `evidence` command: a thin adapter from the command line to the library."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from .loaders.config import load_settings
from .report import FORMATTERS
from .settings import Settings, SettingsError

CONFIG_HELP = "Path to mkdocs.yml (default: ./mkdocs.yml), as with `mkdocs -f`."


def _settings(config_file: str) -> Settings:
    try:
        return load_settings(Path(config_file))
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


@click.group()
@click.version_option(package_name="evidence-site")
def main() -> None:
    """Build and check an evidence-graded reference site."""


@main.command()
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help=CONFIG_HELP)
@click.option("--format", "output_format", type=click.Choice(sorted(FORMATTERS)), default="text", show_default=True)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--today", metavar="YYYY-MM-DD", help="Check review dates against this day instead of today.")
def check(config_file: str, output_format: str, strict: bool, today: str | None) -> None:
    """Check every claim and reference; exit 1 if anything is wrong."""
    from .project import load_and_check

    settings = _settings(config_file)
    result = load_and_check(settings, today=_parse_today(today))
    click.echo(FORMATTERS[output_format](result.diagnostics, strict), nl=False)
    sys.exit(1 if result.errors(strict=strict) else 0)


@main.command()
@click.argument("claim")
@click.option("--topic", required=True, help="One of the topics in mkdocs.yml.")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help=CONFIG_HELP)
@click.option("--today", metavar="YYYY-MM-DD", help="Date to write as `reviewed` (default: today).")
def new(claim: str, topic: str, config_file: str, today: str | None) -> None:
    """Write a new claim file from the template and print its path."""
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
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help=CONFIG_HELP)
@click.option("--today", metavar="YYYY-MM-DD", help="Check review dates against this day instead of today.")
def build(config_file: str, today: str | None) -> None:
    """Validate, grade and write the site's Markdown into docs_dir (no MkDocs needed)."""
    settings = _settings(config_file)
    _require_markdown_extensions(config_file)
    sys.exit(_build_once(settings, _parse_today(today)))


def _require_markdown_extensions(config_file: str) -> None:
    """Without the plugin (Zensical), `evidence build` is the one step that can say an extension is missing."""
    from .loaders.config import load_markdown_extensions
    from .render.markdown_extensions import MKDOCS_BUILTINS, missing_extensions, missing_extensions_message

    missing = missing_extensions([*MKDOCS_BUILTINS, *load_markdown_extensions(Path(config_file))])
    if missing:
        click.echo(f"evidence: configuration error (EV401): {missing_extensions_message(missing)}", err=True)
        sys.exit(2)


def _build_once(settings: Settings, today: dt.date) -> int:
    """Run the build step and report it; the exit code it deserves."""
    from .build import BuildError, EmptySiteError
    from .build import build as run_build
    from .report import format_text

    try:
        result = run_build(settings, today=today)
    except BuildError as error:
        click.echo(format_text(error.diagnostics), err=True, nl=False)
        click.echo("evidence: nothing was written", err=True)
        return 1
    except EmptySiteError as error:
        click.echo(f"evidence: {error}", err=True)
        return 1
    except ValueError as error:
        click.echo(f"evidence: configuration error (EV401): {error}", err=True)
        return 2
    click.echo(
        f"{len(result.model.claims)} claims, {len(result.model.references)} references: "
        f"{len(result.written)} of {result.total} files written, {len(result.removed)} removed in {settings.rel(settings.output_dir)}/"
    )
    return 0


@main.command()
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help=CONFIG_HELP)
@click.option("--interval", default=0.5, show_default=True, type=click.FloatRange(min=0.05), help="Seconds between looks for changes.")
def watch(config_file: str, interval: float) -> None:
    """Build, then build again whenever content/, the bibliography or mkdocs.yml change (for `zensical serve`)."""
    import time

    from .build import source_signature

    settings = _settings(config_file)
    _require_markdown_extensions(config_file)
    click.echo(f"evidence: watching {settings.rel(settings.content_dir)}/ and {settings.rel(settings.bibliography)}; Ctrl+C stops")
    seen = source_signature(settings)
    _build_once(settings, dt.date.today())
    try:
        while True:
            time.sleep(interval)
            now = source_signature(settings)
            if now != seen:
                seen = now
                _build_once(settings, dt.date.today())
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
