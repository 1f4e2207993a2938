"""Paths from data or configuration can never make the build write outside docs_dir or read outside the project."""

import pytest

from generator.build import sync_folder
from generator.settings import SettingsError, settings_from_options


@pytest.mark.parametrize("rel_path", ["../escape.md", "a/../../escape.md", "/tmp/escape.md"])
def test_sync_refuses_paths_leaving_the_output_folder(tmp_path, rel_path):
    out = tmp_path / "out"
    with pytest.raises(ValueError):
        sync_folder(out, {rel_path: b"x"})
    assert not (tmp_path / "escape.md").exists()


def test_sync_refuses_to_write_through_a_symlinked_folder(tmp_path):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "claims").symlink_to(elsewhere)
    with pytest.raises(ValueError):
        sync_folder(out, {"claims/x.md": b"x"})
    assert list(elsewhere.iterdir()) == []


def test_sync_writes_only_changes_and_removes_stale_files_but_keeps_dotfiles(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / ".gitignore").write_text("*\n")
    assert sync_folder(out, {"a.md": b"1", "d/b.md": b"2"}) == (["a.md", "d/b.md"], [])
    assert sync_folder(out, {"a.md": b"1", "d/b.md": b"3"}) == (["d/b.md"], [])
    assert sync_folder(out, {"a.md": b"1"}) == ([], ["d/b.md"])
    assert (out / ".gitignore").exists() and not (out / "d").exists()


@pytest.mark.parametrize(
    "options",
    [
        {"content_dir": "../elsewhere"},
        {"content_dir": "/etc"},
        {"bibliography": "../../refs.bib"},
        {"cache_dir": "/tmp/cache"},
        {"topics": {"../up": "Up"}},
        {"topics": {"a/b": "Nested"}},
    ],
)
def test_settings_refuse_paths_outside_the_project_and_unsafe_topic_ids(tmp_path, options):
    with pytest.raises(SettingsError):
        settings_from_options(options, root=tmp_path, output_dir=tmp_path / ".generated")


def test_build_refuses_to_generate_into_content(tmp_path):
    from generator.build import build

    (tmp_path / "content").mkdir()
    (tmp_path / "references.bib").write_text("")
    settings = settings_from_options({"topics": {"a": "A"}}, root=tmp_path, output_dir=tmp_path / "content")
    with pytest.raises(ValueError, match="docs_dir"):
        build(settings)
    assert list((tmp_path / "content").iterdir()) == []
