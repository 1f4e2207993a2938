"""Reading the evidence plugin's settings from mkdocs.yml, for the CLI (the plugin gets them from MkDocs).

The file is read with MkDocs' own YAML loading (the one place outside the adapters that imports
mkdocs), so `!ENV` and `INHERIT` mean what they mean to `mkdocs build`; on a safe loader, with
the Python tags MkDocs themes use (`!!python/name:...`) read as plain text instead of run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from mkdocs.exceptions import ConfigurationError
from mkdocs.utils.yaml import get_yaml_loader, yaml_load

from ..settings import Settings, SettingsError, settings_from_options
from .frontmatter import plain_yaml_problem

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")


class _TolerantLoader(yaml.SafeLoader):
    """Safe loading that reads MkDocs' `!!python/name:` and `!relative` tags as plain values instead of failing."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_TolerantLoader.add_multi_constructor("", _ignore_tag)


def plugin_options(config: dict) -> dict | None:
    """The `evidence` entry of `plugins:` (a list of names/mappings or a mapping), or None."""
    plugins = config.get("plugins") or []
    if isinstance(plugins, dict):
        plugins = [{name: options} for name, options in plugins.items()]
    for item in plugins:
        if item == "evidence":
            return {}
        if isinstance(item, dict) and "evidence" in item:
            return dict(item["evidence"] or {})
    return None


def find_config_file(start: Path) -> Path:
    """mkdocs.yml in `start` or the nearest folder above it, as editors run commands from anywhere in the project."""
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
    raise SettingsError(f"no mkdocs.yml in {start} or any folder above it; run the command inside the project, or pass -f path/to/mkdocs.yml")


def _plain_yaml_error(config_file: Path, error: Exception) -> str:
    """A YAML error in words: where, and what went wrong, without PyYAML's layout."""
    cause = error
    if isinstance(cause, yaml.reader.ReaderError):
        return f"cannot read {config_file}: it is not UTF-8 text ({cause.reason} at byte {cause.position})"
    mark = getattr(cause, "problem_mark", None)
    what = plain_yaml_problem(str(getattr(cause, "problem", None) or getattr(cause, "context", None) or cause))
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    return f"{config_file} is not valid YAML{where}: {what}"


def _read_config(config_file: Path) -> dict:
    try:
        with open(config_file, "rb") as stream:
            config = yaml_load(stream, get_yaml_loader(_TolerantLoader))
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(f"cannot read {config_file}: {getattr(error, 'strerror', None) or error}") from None
    except ConfigurationError as error:
        if isinstance(error.__context__, yaml.YAMLError):
            raise SettingsError(_plain_yaml_error(config_file, error.__context__)) from None
        raise SettingsError(f"{config_file}: {error}") from None
    except yaml.YAMLError as error:
        raise SettingsError(_plain_yaml_error(config_file, error)) from None
    if not isinstance(config, dict):
        raise SettingsError(f"{config_file} must be a mapping")
    return config


def load_markdown_extensions(config_file: Path) -> list[str]:
    """The names under `markdown_extensions:` (a name, or a name mapped to its options)."""
    listed = _read_config(config_file).get("markdown_extensions") or []
    if isinstance(listed, dict):
        listed = list(listed)
    return [next(iter(item)) if isinstance(item, dict) and item else item for item in listed if isinstance(item, str | dict)]


def load_settings(config_file: Path) -> Settings:
    """Settings for the project whose mkdocs.yml is `config_file`."""
    config = _read_config(config_file)
    options = plugin_options(config)
    if options is None:
        raise SettingsError(f"{config_file} does not enable the `evidence` plugin under `plugins:`")
    root = config_file.resolve().parent
    return settings_from_options(
        options,
        root=root,
        output_dir=root / str(config.get("docs_dir", "docs")),
        site_name=str(config.get("site_name", "")),
        site_url=str(config.get("site_url", "") or ""),
    )
