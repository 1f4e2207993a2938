"""Listing pages stay bounded: topics, references and disputes are paginated and the index loads small chunks."""

from __future__ import annotations

import json

from generator.build import build
from generator.loaders.config import load_settings
from generator.render import listings
from generator.render import pages as page_renderer

from projects import MKDOCS_YML, REFERENCES_BIB, TODAY

# Small page sizes, so that a few dozen claims (and few references for citeproc to format) span pages.
CLAIMS_PER_PAGE, REFERENCES_PER_PAGE, INDEX_CHUNK_BYTES = 10, 8, 2_000
CLAIMS = 2 * CLAIMS_PER_PAGE + 7
EXTRA_REFERENCES = REFERENCES_PER_PAGE + 3


def _claim(n: int, key: str) -> str:
    return f"""---
claim: Synthetic claim number {n} about stretching and cramps.
topic: prevention
reviewed: 2026-10-01
evidence:
  - source: smith2020stretching
    stance: {"supports" if n % 3 else "contradicts"}
    participants: 50
  - source: {key}
    stance: contradicts
    participants: 40
---
Claim {n} was studied [@{key}].
"""


def _reference(n: int) -> str:
    return f"@article{{ref{n:04d},\n  author = {{Author{n}, A.}},\n  title = {{Study {n}}},\n  journal = {{J}},\n  year = {{2020}},\n  studytype = {{cohort}}\n}}\n"


def _front_matter(text: str) -> dict:
    return json.loads(text.split("---\n")[1])


def test_large_lists_are_split_into_bounded_pages(make_project, monkeypatch):
    monkeypatch.setattr(listings, "CLAIMS_PER_PAGE", CLAIMS_PER_PAGE)
    monkeypatch.setattr(listings, "REFERENCES_PER_PAGE", REFERENCES_PER_PAGE)
    monkeypatch.setattr(page_renderer, "INDEX_CHUNK_BYTES", INDEX_CHUNK_BYTES)
    files = {"references.bib": REFERENCES_BIB + "".join(_reference(n) for n in range(EXTRA_REFERENCES))}
    for n in range(CLAIMS):
        files[f"content/claims/prevention/synthetic-claim-{n:04d}.md"] = _claim(n, f"ref{n % EXTRA_REFERENCES:04d}")
    root = make_project(files, config=MKDOCS_YML)
    settings = load_settings(root / "mkdocs.yml")
    build(settings, today=TODAY)
    generated = root / ".generated"

    topic_files = sorted((generated / "claims/prevention").glob("page-*.md"))
    pages = [generated / "claims/prevention/index.md", *topic_files]
    assert len(pages) == 3
    listed = []
    for number, path in enumerate(pages, 1):
        ev = _front_matter(path.read_text(encoding="utf-8"))["ev"]
        assert len(ev["rows"]) <= CLAIMS_PER_PAGE
        assert ev["pagination"]["number"] == number and ev["pagination"]["count"] == 3
        listed += [row["url"] for row in ev["rows"]]
    assert len(listed) == len(set(listed)) == CLAIMS

    chunks = sorted((generated / "claims").glob("index-*.json"))
    rows = [row for chunk in chunks for row in json.loads(chunk.read_text(encoding="utf-8"))]
    assert len(rows) == CLAIMS and {row[0] for row in rows} == set(listed)
    assert len(chunks) > 1 and all(chunk.stat().st_size <= INDEX_CHUNK_BYTES + 200 for chunk in chunks)
    index = _front_matter((generated / "claims/index.md").read_text(encoding="utf-8"))["ev"]
    assert index["script"]["chunks"] == [f"claims/{chunk.name}" for chunk in chunks]

    bibliography = [generated / "references.md", *sorted((generated / "references").glob("page-*.md"))]
    assert len(bibliography) == 2
    entries = [e["key"] for path in bibliography for e in _front_matter(path.read_text(encoding="utf-8"))["ev"]["entries"]]
    assert len(entries) == len(set(entries)) == EXTRA_REFERENCES + 1
    # A claim's "All claims citing it" link leads to the page of the bibliography that lists the reference.
    claim = _front_matter((generated / "claims/prevention/synthetic-claim-0012.md").read_text(encoding="utf-8"))["ev"]
    backlinks = {r["key"]: r["backlink"] for r in claim["references"]}
    second_page = {e["key"] for e in _front_matter(bibliography[1].read_text(encoding="utf-8"))["ev"]["entries"]}
    for key, url in backlinks.items():
        expected_page = "references/page-2/" if key in second_page else "references/"
        assert url == f"{expected_page}#ref-{key}"
