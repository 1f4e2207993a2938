"""Reading the evidence plugin's settings from mkdocs.yml, for the CLI (the plugin gets them from MkDocs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..settings import Settings, SettingsError, settings_from_options


class _TolerantLoader(yaml.SafeLoader):
    """Safe loading that ignores MkDocs' `!!python/name:` and `!ENV` tags instead of failing."""


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


def _read_config(config_file: Path) -> dict:
    try:
        text = config_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(f"cannot read {config_file}: {error}") from None
    try:
        config = yaml.load(text, Loader=_TolerantLoader) or {}
    except yaml.YAMLError as error:
        raise SettingsError(f"{config_file} is not valid YAML: {error}") from None
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
