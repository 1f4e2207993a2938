"""Citations and backlinks: a citation shows its reference and lands on it; a reference leads back to the claims citing it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture
def cited_claim(site_data, page_paths, built_site):
    """The disputed claim page when its body cites, else the first claim page that does."""
    paths = [page_paths["claim-disputed"]] + [c["url"] for c in site_data["claims"]]
    for path in paths:
        if 'class="ev-cite"' in (built_site / path / "index.html").read_text(encoding="utf-8"):
            return path
    pytest.fail("no claim body cites a source (a.ev-cite)")


def _citation(page):
    cite = page.locator("a.ev-cite").first
    expect(cite).to_be_visible()
    key = cite.get_attribute("href").removeprefix("#ref-")
    title = cite.get_attribute("title") or ""
    entry = page.locator(f'p.ev-reference[id="ref-{key}"]')
    expect(entry).to_have_count(1)
    return cite, key, _normal(title), _normal(entry.inner_text())


@pytest.mark.parametrize("how", ["hover", "focus"])
def test_citation_shows_full_reference(visit, cited_claim, how):
    page, log = visit(cited_claim)
    cite, key, title, entry = _citation(page)
    assert title, f"citation of {key} has no title"
    assert title.rstrip(".") in entry, f"title {title!r} is not the reference entry {entry!r}"
    cite.hover() if how == "hover" else cite.focus()
    tooltip = page.locator(".md-tooltip2--active .md-tooltip2__inner")
    expect(tooltip).to_be_visible()
    assert _normal(tooltip.inner_text()) == title
    described = cite.get_attribute("aria-describedby")
    assert described and page.locator(f'[id="{described}"]').count() == 1, "tooltip is not tied to the citation"
    assert log.problems() == []


def test_citation_link_lands_on_reference(visit, cited_claim, base_url):
    page, _ = visit(cited_claim)
    cite, key, _, _ = _citation(page)
    cite.click()
    expect(page).to_have_url(f"{base_url}{cited_claim}#ref-{key}")
    entry = page.locator(f'[id="ref-{key}"]')
    expect(entry).to_be_in_viewport()
    assert entry.evaluate("e => e.matches(':target')")
    header_bottom = page.evaluate("document.querySelector('.md-header').getBoundingClientRect().bottom")
    assert entry.bounding_box()["y"] >= header_bottom - 1, "reference entry is hidden under the sticky header"


def test_backlinks_match_citing_claims(visit, page_paths, site_data, base_url):
    page, _ = visit(page_paths["references"])
    backlinks = page.evaluate(
        """() => Object.fromEntries(Array.from(document.querySelectorAll('.ev-bib-entry[id^="ref-"]')).map(e =>
             [e.id.slice(4), Array.from(e.querySelectorAll('ul.ev-backlinks a')).map(a => a.href)]))"""
    )
    citing: dict[str, set[str]] = {}
    for claim in site_data["claims"]:
        for evidence in claim["evidence"]:
            citing.setdefault(evidence["source"], set()).add(base_url + claim["url"])
    for key, claims in citing.items():
        assert key in backlinks, f"references page lacks ref-{key}"
        assert set(backlinks[key]) == claims, f"backlinks of {key}"


def test_backlink_leads_to_claim_citing_it(visit, page_paths, site_data, base_url):
    key = next(iter(site_data["claims"][0]["evidence"]))["source"]
    page, _ = visit(f"{page_paths['references']}#ref-{key}")
    link = page.locator(f'[id="ref-{key}"] ul.ev-backlinks a').first
    expect(link).to_be_in_viewport()
    claim_text = _normal(link.inner_text())
    link.click()
    expect(page.locator("h1#claim")).to_have_text(claim_text)
    entry = page.locator(f'p.ev-reference[id="ref-{key}"]')
    expect(entry).to_have_count(1)
    # And the claim's reference entry leads back to the bibliography entry.
    entry.locator("a", has_text="All claims citing it").click()
    expect(page).to_have_url(f"{base_url}{page_paths['references']}#ref-{key}")
    expect(page.locator(f'[id="ref-{key}"]')).to_be_in_viewport()
