"""The claims index in a browser: its filters, sorting and counts agree with claims.json."""

from __future__ import annotations

from collections import Counter

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

GRADE_ORDER = "ABCD"
VISIBLE_ROWS_JS = """() => Array.from(document.querySelectorAll('table[data-ev-claims] tbody tr'))
  .filter(r => !r.hidden && r.getClientRects().length > 0)
  .map(r => ({...r.dataset, href: r.querySelector('a').href}))"""


@pytest.fixture
def index_page(visit, page_paths):
    page, log = visit(page_paths["claims-index"])
    # The sort buttons are added by claims-index.js; once they exist the script has run.
    expect(page.locator("table[data-ev-claims] th[data-sort] button").first).to_be_visible()
    yield page
    assert log.problems() == []


def _visible(page) -> list[dict]:
    return page.evaluate(VISIBLE_ROWS_JS)


def _count(page) -> int:
    return int(page.locator("[data-ev-count]").inner_text())


def test_counts_match_claims_json(index_page, site_data, base_url):
    claims = site_data["claims"]
    assert _count(index_page) == len(claims)
    assert len(_visible(index_page)) == len(claims)
    expect(index_page.locator(".ev-count")).to_contain_text(f"{len(claims)} of {len(claims)} claims shown")
    assert sorted(row["href"] for row in _visible(index_page)) == sorted(base_url + c["url"] for c in claims)


def test_sources_disagree_shows_only_disputed(index_page, site_data):
    expected = sum(1 for c in site_data["claims"] if c["disputed"])
    index_page.locator('form[data-ev-filters] input[name="disputed"]').check()
    rows = _visible(index_page)
    assert {row["disputed"] for row in rows} == {"yes"}
    assert len(rows) == expected == _count(index_page)
    index_page.locator('form[data-ev-filters] input[name="disputed"]').uncheck()
    assert _count(index_page) == len(site_data["claims"])


@pytest.mark.parametrize("field", ["grade", "verdict", "topic"])
def test_select_filter_shows_only_that_value(index_page, site_data, field):
    expected = Counter(c[field] for c in site_data["claims"])
    options = index_page.locator(f'form[data-ev-filters] select[name="{field}"] option').evaluate_all("options => options.map(o => o.value).filter(Boolean)")
    assert set(expected) <= set(options), f"{field} filter lacks options for {set(expected) - set(options)}"
    for value in options:
        index_page.select_option(f'form[data-ev-filters] select[name="{field}"]', value)
        rows = _visible(index_page)
        assert {row[field] for row in rows} <= {value}
        assert len(rows) == expected.get(value, 0) == _count(index_page), f"{field}={value}"
    index_page.select_option(f'form[data-ev-filters] select[name="{field}"]', "")
    assert _count(index_page) == len(site_data["claims"])


def test_filters_combine(index_page, site_data):
    grade = Counter(c["grade"] for c in site_data["claims"]).most_common(1)[0][0]
    expected = sum(1 for c in site_data["claims"] if c["grade"] == grade and c["disputed"])
    index_page.select_option('form[data-ev-filters] select[name="grade"]', grade)
    index_page.locator('form[data-ev-filters] input[name="disputed"]').check()
    rows = _visible(index_page)
    assert all(row["grade"] == grade and row["disputed"] == "yes" for row in rows)
    assert len(rows) == expected == _count(index_page)


def _sort_by(page, key):
    header = page.locator(f'table[data-ev-claims] th[data-sort="{key}"]')
    header.locator("button").click()
    return header


def test_sort_by_grade(index_page):
    header = _sort_by(index_page, "grade")
    expect(header).to_have_attribute("aria-sort", "ascending")
    grades = [GRADE_ORDER.index(row["grade"]) for row in _visible(index_page)]
    assert grades == sorted(grades)
    _sort_by(index_page, "grade")
    expect(header).to_have_attribute("aria-sort", "descending")
    grades = [GRADE_ORDER.index(row["grade"]) for row in _visible(index_page)]
    assert grades == sorted(grades, reverse=True)


def test_sort_by_claim(index_page, site_data):
    header = _sort_by(index_page, "claim")
    expect(header).to_have_attribute("aria-sort", "ascending")
    claims = [row["claim"] for row in _visible(index_page)]
    assert claims == sorted(c["claim"].lower() for c in site_data["claims"])
    _sort_by(index_page, "claim")
    expect(header).to_have_attribute("aria-sort", "descending")
    assert [row["claim"] for row in _visible(index_page)] == sorted(claims, reverse=True)


def test_sort_keeps_filter(index_page):
    index_page.locator('form[data-ev-filters] input[name="disputed"]').check()
    before = _count(index_page)
    _sort_by(index_page, "grade")
    rows = _visible(index_page)
    assert len(rows) == before and {row["disputed"] for row in rows} == {"yes"}


def test_sort_buttons_are_keyboard_reachable(index_page):
    buttons = index_page.locator("table[data-ev-claims] th[data-sort] button")
    assert buttons.count() == index_page.locator("table[data-ev-claims] th[data-sort]").count()
    buttons.first.focus()
    index_page.keyboard.press("Enter")
    expect(index_page.locator("table[data-ev-claims] th[data-sort]").first).to_have_attribute("aria-sort", "ascending")
