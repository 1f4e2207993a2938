"""The plugin tunes Python's garbage collector for a build and puts it back after every build, good or bad.

`mkdocs serve` runs build after build in one process: objects left frozen would never be freed,
and a collector left paused or slowed would change every later build.
"""

from __future__ import annotations

import gc

import pytest
from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from projects import CLAIM_MD, CLAIM_PATH, MKDOCS_YML, REFERENCES_BIB

CONFIG = MKDOCS_YML.replace("plugins:", "theme:\n  name: evidence\nplugins:")


def _collector_state() -> tuple:
    return gc.isenabled(), gc.get_threshold(), gc.get_freeze_count()


def _build(root, command: str = "build") -> None:
    """What `mkdocs build` and each `mkdocs serve` rebuild do, in this process."""
    (root / ".generated").mkdir(exist_ok=True)
    config = load_config(str(root / "mkdocs.yml"))
    config.plugins.on_startup(command=command, dirty=False)
    mkdocs_build.build(config)


@pytest.fixture
def clean_collector():
    """An unfrozen collector with thresholds of its own: the build must put back these, not Python's defaults."""
    defaults = gc.get_threshold()
    gc.unfreeze()
    gc.set_threshold(600, 9, 9)
    yield _collector_state()
    gc.unfreeze()
    gc.enable()
    gc.set_threshold(*defaults)


def test_a_build_leaves_the_collector_as_it_found_it(make_project, clean_collector, monkeypatch):
    root = make_project({CLAIM_PATH: CLAIM_MD, "references.bib": REFERENCES_BIB}, config=CONFIG)
    monkeypatch.chdir(root)
    seen = {}
    real_freeze = gc.freeze

    def freeze():
        real_freeze()
        seen["frozen"] = gc.get_freeze_count()
        seen["threshold"] = gc.get_threshold()

    monkeypatch.setattr(gc, "freeze", freeze)
    for _ in range(2):  # as `mkdocs serve` does: the same process builds again
        _build(root, "serve")
        assert _collector_state() == clean_collector
    assert seen["frozen"] > 0 and seen["threshold"][0] > clean_collector[1][0]  # it did tune the collector
    assert (root / "site" / "claims" / "prevention" / "stretching-prevents-cramps" / "index.html").is_file()


def test_a_failed_build_step_leaves_the_collector_as_it_found_it(make_project, clean_collector, monkeypatch):
    broken = CLAIM_MD.replace("stance: contradicts", "stance: refutes")
    root = make_project({CLAIM_PATH: broken, "references.bib": REFERENCES_BIB}, config=CONFIG)
    monkeypatch.chdir(root)
    with pytest.raises(Abort):  # MkDocs turns the plugin's error (EV111 here) into Abort
        _build(root)
    assert _collector_state() == clean_collector


def test_a_failed_page_build_leaves_the_collector_as_it_found_it(make_project, clean_collector, monkeypatch):
    # The build step succeeds and the heap is frozen; then MkDocs fails on a page.
    root = make_project({CLAIM_PATH: CLAIM_MD, "references.bib": REFERENCES_BIB}, config=CONFIG)
    monkeypatch.chdir(root)

    def failing_page(*args, **kwargs):
        assert gc.get_freeze_count() > 0
        raise RuntimeError("a page failed")

    monkeypatch.setattr(mkdocs_build, "_build_page", failing_page)
    with pytest.raises(RuntimeError, match="a page failed"):
        _build(root)
    assert _collector_state() == clean_collector
