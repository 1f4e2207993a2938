"""Shared fixtures; the helpers they use live in projects.py."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from projects import MKDOCS_YML, make_tree


@pytest.fixture
def make_project(tmp_path: Path):
    """Build a project on tmp_path: the given files plus a minimal mkdocs.yml (unless given)."""

    def build(files: Mapping[str, str | bytes], *, config: str | None = MKDOCS_YML) -> Path:
        root = tmp_path / "project"
        all_files = dict(files)
        if config is not None:
            all_files.setdefault("mkdocs.yml", config)
        return make_tree(root, all_files)

    return build


@pytest.fixture(scope="session")
def packaged_site(tmp_path_factory):
    """The wheel built, installed into a fresh venv, and a site started and built with it (once per session)."""
    from wheel_site import packaged_site as build_packaged_site

    return build_packaged_site(tmp_path_factory.mktemp("packaged"))
