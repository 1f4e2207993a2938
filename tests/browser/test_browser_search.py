"""Material's offline search finds claims by the words readers type."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class SearchWidget:
    """How a renderer's search box is driven; Playwright's CSS selectors reach into Zensical's shadow DOM."""

    open: str
    count: str
    count_pattern: str
    item: str
    link: str
    scroll: str


SEARCH_WIDGETS = {
    "mkdocs": SearchWidget(
        open="input.md-search__input",
        count=".md-search-result__meta",
        count_pattern=r"\d+ matching documents?",
        item=".md-search-result__list > li.md-search-result__item",
        link=".md-search-result__list a.md-search-result__link",
        scroll=".md-search__scrollwrap",
    ),
    "zensical": SearchWidget(
        open=".md-search__button",
        count="dialog[aria-label='Search'] [role='status']",
        count_pattern=r"\d+ results?",
        item="dialog[aria-label='Search'] ol[role='listbox'] > li",
        link="dialog[aria-label='Search'] ol[role='listbox'] a[role='option']",
        scroll="dialog[aria-label='Search'] ol[role='listbox']",
    ),
}


def search(page, term: str, widget: SearchWidget = SEARCH_WIDGETS["mkdocs"]) -> set[str]:
    """Type a query like a reader and return every result page, loading the lazily rendered ones too."""
    page.locator(widget.open).click()
    page.keyboard.type(term, delay=20)
    meta = page.locator(widget.count)
    expect(meta).to_have_text(re.compile(widget.count_pattern))
    total = int(re.match(r"\d+", meta.inner_text()).group())
    links: set[str] = set()
    for _ in range(20):
        links = {href.split("?")[0].split("#")[0] for href in page.locator(widget.link).evaluate_all("links => links.map(a => a.href)")}
        if page.locator(widget.item).count() >= total:
            break
        page.locator(widget.scroll).evaluate("e => e.scrollTo(0, e.scrollHeight)")
        page.wait_for_timeout(100)
    return links


@pytest.mark.parametrize("term", ["pickle", "electrolyte"])
def test_search_finds_matching_claims(visit, site_data, base_url, term):
    expected = {base_url + c["url"] for c in site_data["claims"] if re.search(term, c["claim"], re.IGNORECASE)}
    assert expected, f"no claim in claims.json mentions {term!r}"
    page, log = visit("")
    found = search(page, term)
    missing = expected - found
    assert not missing, f"search for {term!r} missed {sorted(missing)}"
    assert log.problems() == []


def test_search_result_opens_the_claim(visit, site_data, base_url):
    claim = next(c for c in site_data["claims"] if "pickle" in c["claim"].lower())
    page, _ = visit("")
    search(page, "pickle")
    page.locator(f'.md-search-result__list a.md-search-result__link[href*="{claim["url"]}"]').first.click()
    expect(page).to_have_url(re.compile(re.escape(base_url + claim["url"]) + r"(\?[^#]*)?(#.*)?$"))
    expect(page.locator("h1#claim")).to_have_text(claim["claim"])


RESULTS_JS = """() => Array.from(document.querySelectorAll('.md-search-result__list > li.md-search-result__item'))
  .map(li => ({href: li.querySelector('a').href.split(/[?#]/)[0], text: li.innerText.replace(/\\s+/g, ' ')}))"""


def _claim_results(page, term: str, base_url: str, site_data: dict) -> list[tuple[dict, str]]:
    """Search like a reader; the claim results in rank order, each with its snippet text."""
    search(page, term)
    by_url = {base_url + c["url"]: c for c in site_data["claims"]}
    return [(by_url[r["href"]], r["text"]) for r in page.evaluate(RESULTS_JS) if r["href"] in by_url]


@pytest.mark.parametrize(
    ("term", "id_pattern"),
    [
        ("pickle juice", r"pickle"),
        ("does pickle juice work", r"pickle"),
        # The two mirror-image claims: each must come up near the top with its own verdict.
        ("do electrolytes prevent cramps", r"^electrolyte-drinks-"),
    ],
)
def test_search_answers_with_the_verdict(visit, site_data, base_url, term, id_pattern):
    """Plain words and questions: the matching claims come first, each snippet with that claim's own verdict and grade."""
    wanted = {c["id"] for c in site_data["claims"] if re.search(id_pattern, c["id"])}
    assert wanted, f"no claim id matches {id_pattern!r}"
    page, log = visit("")
    results = _claim_results(page, term, base_url, site_data)
    top = results[: len(wanted) + 1]
    assert wanted <= {c["id"] for c, _ in top}, [c["id"] for c, _ in top]
    for claim, text in top:
        if claim["id"] in wanted:
            assert claim["verdict"].lower() in text.lower(), (claim["id"], text[:200])
            assert f"grade {claim['grade']}".lower() in text.lower(), (claim["id"], text[:200])
    assert log.problems() == []
