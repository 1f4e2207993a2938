"""`mkdocs serve` and `evidence watch` keep a build memo: a save re-makes only the claim pages it
changed, and every build still writes exactly what a fresh build writes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from generator import background
from generator.build import BuildMemo, build
from generator.loaders.config import load_settings
from generator.render.page_memo import PageMemo, data_inputs

REPO = Path(__file__).resolve().parent.parent
EDITED = "content/claims/prevention/compression-garments-prevent-cramps.md"
OPPONENT = "content/claims/prevention/compression-in-heat-makes-cramps-more-likely.md"
TODAY = dt.date(2027, 1, 4)  # after every `reviewed` date of the site, and well within review_max_months


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A copy of this repository's own site: opposing claims, misread citations, safety pages."""
    root = tmp_path / "site"
    root.mkdir()
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "site-overrides", root / "site-overrides")
    for name in ("references.bib", "mkdocs.yml"):
        shutil.copy(REPO / name, root / name)
    return root


@pytest.fixture
def made(monkeypatch) -> list[str]:
    """The claim pages each build makes, by claim id (made in this process, so they can be counted)."""
    pages: list[str] = []

    def counting_map(function, items, meanwhile, *, child_share):
        pages.extend(item.view.id for item in items)
        return [function(item) for item in items], meanwhile()

    monkeypatch.setattr(background, "map_beside", counting_map)
    return pages


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _build_both(settings, memo: BuildMemo, made: list[str]) -> set[str]:
    """Build with the memo, then afresh; both must write the same files. The claims the memo re-made."""
    made.clear()
    with_memo = build(settings, today=TODAY, memo=memo)
    remade = set(made)
    on_disk = {p.relative_to(settings.output_dir).as_posix(): p.read_bytes() for p in settings.output_dir.rglob("*") if p.is_file()}
    assert on_disk == dict(with_memo.files)
    fresh = build(settings, today=TODAY)
    assert dict(fresh.files) == dict(with_memo.files)
    assert fresh.written == ()  # the memo's build had already written every byte a fresh build writes
    return remade


def test_each_change_remakes_the_pages_it_reaches_and_the_site_equals_a_fresh_build(site, made):
    settings = load_settings(site / "mkdocs.yml")
    memo = BuildMemo()
    first = build(settings, today=TODAY, memo=memo)
    claims = {view.id for view in first.model.claims}
    assert set(made) == claims

    assert _build_both(settings, memo, made) == set()

    _edit(site / EDITED, "No study has tested", "No trial has tested")
    assert _build_both(settings, memo, made) == {"compression-garments-prevent-cramps"}

    # Its opponent shows its verdict: flipping the verdict reaches the opponent's page too.
    _edit(site / EDITED, "    stance: background\n    participants: 12", "    stance: supports\n    participants: 12")
    assert _build_both(settings, memo, made) == {"compression-garments-prevent-cramps", "compression-in-heat-makes-cramps-more-likely"}

    # A reference's title is in every page that lists it.
    citing = {view.id for view in first.model.claims if "schwellnus2018underlying" in {e.source for e in view.claim.evidence} | {k for e in view.claim.evidence for k in e.cites}}
    assert len(citing) >= 2
    _edit(site / "references.bib", "Are Independent Factors", "Are Separate Factors")
    assert _build_both(settings, memo, made) == citing

    # Settings reach pages without any file in content/ changing.
    retitled = dataclasses.replace(settings, topics={**settings.topics, "prevention": "Preventing cramps"})
    assert _build_both(retitled, memo, made) == {view.id for view in first.model.claims if view.claim.topic == "prevention"}
    moved = dataclasses.replace(retitled, site_url="https://example.org/cramps/")
    assert _build_both(moved, memo, made) == claims
    # The same topics in another order: equal as dicts, but the claims index lists them in order.
    reordered = dataclasses.replace(moved, topics=dict(reversed(list(moved.topics.items()))))
    before = (settings.output_dir / "claims/index.md").read_bytes()
    assert _build_both(reordered, memo, made) == set()
    assert (settings.output_dir / "claims/index.md").read_bytes() != before

    # The two claims stop opposing each other, then one of them goes.
    _edit(site / EDITED, "opposes: [compression-in-heat-makes-cramps-more-likely]\n", "")
    _edit(site / OPPONENT, "opposes: [compression-garments-prevent-cramps]\n", "")
    assert _build_both(reordered, memo, made) == {"compression-garments-prevent-cramps", "compression-in-heat-makes-cramps-more-likely"}
    (site / OPPONENT).unlink()
    assert _build_both(reordered, memo, made) == set()
    assert not (settings.output_dir / "claims/prevention/compression-in-heat-makes-cramps-more-likely.md").exists()


def test_a_generated_file_changed_by_hand_is_written_again(site, made):
    settings = load_settings(site / "mkdocs.yml")
    memo = BuildMemo()
    build(settings, today=TODAY, memo=memo)
    page = settings.output_dir / "references.md"
    original = page.read_bytes()
    stat = page.stat()
    # Same size: the memo notices the edit by its modification time (an edit that kept both size
    # and mtime to the nanosecond would go unseen; that is the price of not reading every file back).
    page.write_bytes(original.replace(b"References", b"Referencez", 1))
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    result = build(settings, today=TODAY, memo=memo)
    assert result.written == ("references.md",)
    assert page.read_bytes() == original

    page.unlink()
    assert build(settings, today=TODAY, memo=memo).written == ("references.md",)
    page.write_bytes(b"shorter")
    assert build(settings, today=TODAY, memo=memo).written == ("references.md",)
    assert page.read_bytes() == original


def test_mkdocs_serve_rebuilds_show_a_changed_reference_and_an_opponents_new_verdict(site, monkeypatch):
    """The plugin as `mkdocs serve --dirty` runs it: one plugin instance, config loaded again each save."""
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config

    monkeypatch.chdir(site)
    site_dir = site / "served"
    (site / ".generated").mkdir()  # as the Makefile makes it: MkDocs checks docs_dir before the plugin runs

    def rebuild(first: bool = False):
        config = load_config(str(site / "mkdocs.yml"), site_dir=str(site_dir), strict=False)  # as `make serve`: --no-strict
        if first:
            config.plugins.on_startup(command="serve", dirty=True)
        mkdocs_build.build(config, dirty=True)

    def html(claim: str) -> str:
        return (site_dir / "claims" / "prevention" / claim / "index.html").read_text(encoding="utf-8")

    def opponent_shown() -> str:
        """What the opponent's page says of the edited claim: `(verdict, grade X)`."""
        page = html("compression-in-heat-makes-cramps-more-likely")
        return re.search(r'compression-garments-prevent-cramps/">[^<]*</a> \(([^)]*)\)', page).group(1)

    def verdict_of_edited() -> str:
        meta = json.loads((site / ".generated/claims/prevention/compression-garments-prevent-cramps.md").read_text(encoding="utf-8").split("\n")[1])
        return f"{meta['ev']['verdict']['value']}, grade {meta['ev']['grade']['letter']}"

    rebuild(first=True)
    before = opponent_shown()
    assert before == verdict_of_edited()
    _edit(site / EDITED, "    stance: background\n    participants: 12", "    stance: supports\n    participants: 12")
    _edit(site / "references.bib", "Are Independent Factors", "Are Separate Factors")
    rebuild()
    assert opponent_shown() == verdict_of_edited() != before
    citing = [path for path in (site / "content" / "claims").rglob("*.md") if "schwellnus2018underlying" in path.read_text(encoding="utf-8")]
    assert len(citing) >= 2
    for claim in citing:
        page = site_dir / "claims" / claim.parent.name / claim.stem / "index.html"
        assert "Are Separate Factors" in page.read_text(encoding="utf-8"), claim


def test_page_memo_makes_again_only_what_changed_and_data_inputs_see_order_and_type():
    memo = PageMemo()
    calls: list[list[str]] = []

    def make(stale):
        calls.append(list(stale))
        return [f"page of {inputs}" for inputs in stale]

    assert memo.pages(["a", "b"], ["1", "2"], make) == ["page of 1", "page of 2"]
    assert memo.pages(["a", "b"], ["1", "3"], make) == ["page of 1", "page of 3"]
    assert calls == [["1", "2"], ["3"]]
    assert memo.page("c", None, lambda: "made") == "made" and memo.page("c", None, lambda: "again") == "again"

    assert data_inputs({"a": 1, "b": [True]}) == data_inputs({"a": 1, "b": [True]})
    assert data_inputs({"a": 1, "b": 2}) != data_inputs({"b": 2, "a": 1})
    assert data_inputs({"a": True}) != data_inputs({"a": 1})
    assert data_inputs({"a": object()}) is None
