"""Listing pages stay bounded: topics, references and disputes are paginated and the index loads small chunks."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from generator.assess import build_site_model
from generator.build import build
from generator.loaders.config import load_settings
from generator.project import load_and_check
from generator.render import listings
from generator.render.claims_json import INDEX_COLUMNS, INDEX_FACETS, INDEX_FILE_FACETS, index_files, index_order

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
    monkeypatch.setattr(listings, "INDEX_CHUNK_BYTES", INDEX_CHUNK_BYTES)
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
    assert len(chunks) > 1 and all(chunk.stat().st_size <= INDEX_CHUNK_BYTES for chunk in chunks)
    index = _front_matter((generated / "claims/index.md").read_text(encoding="utf-8"))["ev"]
    listed_files = index["script"]["files"]
    assert sorted(f["url"] for f in listed_files) == [f"claims/{chunk.name}" for chunk in chunks]
    assert all((generated / f["url"]).stat().st_size == f["bytes"] for f in listed_files)

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


REPO = Path(__file__).resolve().parent.parent
#: Small enough that the real site's 48 claims fill many data files, as 10,000 claims fill 200 KB ones.
TINY_FILE_BYTES, FIRST_ROWS = 1_500, 5


@pytest.fixture(scope="module")
def real_site():
    settings = load_settings(REPO / "mkdocs.yml")
    result = load_and_check(settings, today=TODAY)
    return build_site_model(result.project, settings)


def _rows(file) -> list[list]:
    return json.loads(file.text)


def _facets(row: list, names=INDEX_FACETS) -> tuple:
    return tuple(row[INDEX_COLUMNS.index(name)] for name in names)


def test_index_files_hold_every_row_once_in_index_order(real_site):
    files = index_files(list(real_site.claims), real_site.topics, chunk_bytes=TINY_FILE_BYTES, first_rows=FIRST_ROWS)
    rows = [row for file in files for row in _rows(file)]
    assert [row[0] for row in rows] == [view.url for view in index_order(list(real_site.claims), real_site.topics)]
    assert len(rows) == len(real_site.claims) == len({row[0] for row in rows})
    assert 10 < len(files) < len(real_site.claims), "the tiny limit should make many files, not one a row"


def test_index_files_stay_under_the_byte_limit_and_say_what_they_hold(real_site):
    files = index_files(list(real_site.claims), real_site.topics, chunk_bytes=TINY_FILE_BYTES, first_rows=FIRST_ROWS)
    for file in files:
        assert file.size == len(file.text.encode()) <= TINY_FILE_BYTES
        rows = _rows(file)
        assert file.rows == len(rows)
        assert Counter({tuple(c[:-1]): c[-1] for c in file.counts}) == Counter(_facets(row) for row in rows)


def test_the_first_index_file_is_the_first_screen_and_the_rest_hold_one_topic_and_verdict(real_site):
    views = list(real_site.claims)
    files = index_files(views, real_site.topics, chunk_bytes=TINY_FILE_BYTES, first_rows=FIRST_ROWS)
    assert [row[0] for row in _rows(files[0])] == [view.url for view in index_order(views, real_site.topics)[:FIRST_ROWS]]
    for file in files[1:]:
        assert len({_facets(row, INDEX_FILE_FACETS) for row in _rows(file)}) == 1
    # A topic comes after the one before it in the site's topic order, and verdicts in their order within it.
    order = [(list(real_site.topics).index(row[2]), row[3]) for file in files for row in _rows(file)]
    assert order == sorted(order)
    # With the real limits the whole site's first screen is one file.
    assert len(index_files(views, real_site.topics, chunk_bytes=listings.INDEX_CHUNK_BYTES, first_rows=listings.INDEX_ROWS_PER_STEP)) == 1


def test_a_row_larger_than_the_limit_gets_a_file_of_its_own(real_site):
    files = index_files(list(real_site.claims), real_site.topics, chunk_bytes=10, first_rows=FIRST_ROWS)
    assert [file.rows for file in files] == [1] * len(real_site.claims)


def test_index_page_lists_each_file_with_its_size_and_counts(real_site, monkeypatch):
    monkeypatch.setattr(listings, "INDEX_CHUNK_BYTES", TINY_FILE_BYTES)
    monkeypatch.setattr(listings, "INDEX_ROWS_PER_STEP", FIRST_ROWS)
    page, data = listings.index_page(real_site)
    script = page.meta["ev"]["script"]
    assert [f["url"] for f in script["files"]] == list(data) == [f"claims/index-{n}.json" for n in range(1, len(data) + 1)]
    for entry in script["files"]:
        rows = json.loads(data[entry["url"]])
        assert entry["bytes"] == len(data[entry["url"]].encode())
        assert sum(c[-1] for c in entry["counts"]) == len(rows)
    assert script["rows_per_step"] == FIRST_ROWS and script["facets"] == list(INDEX_FACETS)
    assert sum(c[-1] for f in script["files"] for c in f["counts"]) == len(real_site.claims)
