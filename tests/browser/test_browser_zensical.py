"""The site built by Zensical (no plugin), smoke-tested: every page type once, search, and the index filters.

The full suite runs against the MkDocs build; where Zensical's own widgets differ (its search
dialog), the selectors are parametrised, not skipped.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from conftest import PAGE_TYPES
from playwright.sync_api import expect
from test_browser_search import SEARCH_WIDGETS, search

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def zensical_paths(page_paths) -> dict[str, str]:
    """The same pages as the MkDocs suite visits: both builds share claims.json and URLs."""
    return page_paths


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_every_page_type_loads_offline_and_styled(open_zensical_page, zensical_paths, page_type):
    page, log = open_zensical_page(zensical_paths[page_type])
    try:
        expect(page.locator("h1").first).to_be_visible()
        assert page.title()
        assert page.evaluate("Array.from(document.styleSheets).some(s => (s.href || '').endsWith('assets/evidence/evidence.css'))")
        badge = page.locator(".md-typeset .ev-badge").first
        if badge.count():
            assert page.evaluate("e => getComputedStyle(e).borderRadius", badge.element_handle()) != "0px", "evidence.css not applied"
        page.wait_for_load_state("networkidle")
        assert log.problems() == []
    finally:
        page.context.close()


@pytest.mark.parametrize("term", ["pickle", "electrolyte"])
def test_search_finds_matching_claims(open_zensical_page, site_data, zensical_url, term):
    expected = {zensical_url + c["url"] for c in site_data["claims"] if re.search(term, c["claim"], re.IGNORECASE)}
    page, log = open_zensical_page("")
    try:
        found = search(page, term, SEARCH_WIDGETS["zensical"])
        assert not expected - found, f"search for {term!r} missed {sorted(expected - found)}"
        assert log.problems() == []
    finally:
        page.context.close()


def test_index_filters_match_claims_json(open_zensical_page, site_data):
    page, log = open_zensical_page("claims/")
    try:
        expect(page.locator("table[data-ev-claims] th[data-sort] button").first).to_be_visible()
        claims = site_data["claims"]
        assert int(page.locator("[data-ev-count]").inner_text()) == len(claims)
        topics = Counter(c["topic"] for c in claims)
        for topic, count in topics.items():
            page.select_option('form[data-ev-filters] select[name="topic"]', topic)
            rows = page.locator("table[data-ev-claims] tbody tr:not([hidden])")
            expect(rows).to_have_count(count)
            assert int(page.locator("[data-ev-count]").inner_text()) == count
        page.locator('form[data-ev-filters] input[name="disputed"]').check()
        page.select_option('form[data-ev-filters] select[name="topic"]', "")
        expect(page.locator("table[data-ev-claims] tbody tr:not([hidden])")).to_have_count(sum(1 for c in claims if c["disputed"]))
        assert log.problems() == []
    finally:
        page.context.close()
