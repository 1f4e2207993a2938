"""Tags get pages of their own, paginated like topics, so no tag listing grows with the site."""

from __future__ import annotations

import json

import pathspec

from generator.build import build
from generator.loaders.config import load_settings
from generator.render import listings
from generator.scaffold import NOT_IN_NAV

from projects import MKDOCS_YML, REFERENCES_BIB, TODAY

CLAIMS_PER_PAGE = 4


def _claim(n: int, tags: str) -> str:
    return f"""---
claim: Synthetic claim number {n} about stretching and cramps.
topic: prevention
tags: {tags}
reviewed: 2026-10-01
evidence:
  - source: smith2020stretching
    stance: supports
    participants: 50
---
Claim {n} was studied [@smith2020stretching].
"""


def _ev(path) -> dict:
    return json.loads(path.read_text(encoding="utf-8").split("---\n")[1])["ev"]


def test_each_tag_lists_its_claims_in_bounded_pages(make_project, monkeypatch):
    monkeypatch.setattr(listings, "CLAIMS_PER_PAGE", CLAIMS_PER_PAGE)
    files = {"references.bib": REFERENCES_BIB}
    for n in range(9):
        tags = "[calves, 'Sports drinks & salt']" if n % 3 == 0 else "[calves, calves]"
        files[f"content/claims/prevention/claim-{n}.md"] = _claim(n, tags)
    root = make_project(files, config=MKDOCS_YML)
    build(load_settings(root / "mkdocs.yml"), today=TODAY)
    generated = root / ".generated"

    index = _ev(generated / "tags.md")
    assert index["tags"] == [
        {"name": "calves", "url": "tags/calves/", "count": 9},
        {"name": "Sports drinks & salt", "url": "tags/_sports.20.drinks.20..26..20.salt/", "count": 3},
    ]
    calves = [generated / "tags/calves.md", generated / "tags/calves/page-2.md", generated / "tags/calves/page-3.md"]
    rows = []
    for number, path in enumerate(calves, 1):
        ev = _ev(path)
        assert len(ev["rows"]) <= CLAIMS_PER_PAGE and ev["pagination"]["number"] == number and ev["pagination"]["count"] == 3
        assert ev["count_text"] == "9 claims with this tag."
        rows += [row["url"] for row in ev["rows"]]
    assert len(rows) == len(set(rows)) == 9  # a tag given twice lists the claim once
    assert not (generated / "tags/calves/page-4.md").exists()

    # Reached from the Tags page, not the menu: MkDocs would list each one as missing from the nav.
    not_in_nav = pathspec.GitIgnoreSpec.from_lines(NOT_IN_NAV)  # how MkDocs reads `not_in_nav`
    tag_files = [path.relative_to(generated).as_posix() for path in (generated / "tags").rglob("*.md")]
    assert len(tag_files) == 4 and all(not_in_nav.match_file(path) for path in tag_files), tag_files

    claim = _ev(generated / "claims/prevention/claim-0.md")
    assert claim["tags"] == [{"name": "calves", "url": "tags/calves/"}, {"name": "Sports drinks & salt", "url": "tags/_sports.20.drinks.20..26..20.salt/"}]
    assert _ev(generated / "claims/prevention/claim-1.md")["tags"] == [{"name": "calves", "url": "tags/calves/"}]
