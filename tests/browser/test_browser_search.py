"""Material's offline search finds claims by the words readers type."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

RESULT_LINKS_JS = """() => Array.from(document.querySelectorAll('.md-search-result__list a.md-search-result__link'))
  .map(a => a.href.split(/[?#]/)[0])"""


def _search(page, term: str) -> set[str]:
    """Type a query like a reader and return every result page, loading the lazily rendered ones too."""
    page.locator("input.md-search__input").click()
    page.keyboard.type(term, delay=20)
    meta = page.locator(".md-search-result__meta")
    expect(meta).to_have_text(re.compile(r"\d+ matching documents?"))
    total = int(re.match(r"\d+", meta.inner_text()).group())
    scroll = page.locator(".md-search__scrollwrap")
    links: set[str] = set()
    for _ in range(20):
        links = set(page.evaluate(RESULT_LINKS_JS))
        items = page.locator(".md-search-result__list > li.md-search-result__item").count()
        if items >= total:
            break
        scroll.evaluate("e => e.scrollTo(0, e.scrollHeight)")
        page.wait_for_timeout(100)
    return links


@pytest.mark.parametrize("term", ["pickle", "electrolyte"])
def test_search_finds_matching_claims(visit, site_data, base_url, term):
    expected = {base_url + c["url"] for c in site_data["claims"] if re.search(term, c["claim"], re.IGNORECASE)}
    assert expected, f"no claim in claims.json mentions {term!r}"
    page, log = visit("")
    found = _search(page, term)
    missing = expected - found
    assert not missing, f"search for {term!r} missed {sorted(missing)}"
    assert log.problems() == []


def test_search_result_opens_the_claim(visit, site_data, base_url):
    claim = next(c for c in site_data["claims"] if "pickle" in c["claim"].lower())
    page, _ = visit("")
    _search(page, "pickle")
    page.locator(f'.md-search-result__list a.md-search-result__link[href*="{claim["url"]}"]').first.click()
    expect(page).to_have_url(re.compile(re.escape(base_url + claim["url"]) + r"(\?[^#]*)?(#.*)?$"))
    expect(page.locator("h1#claim")).to_have_text(claim["claim"])
