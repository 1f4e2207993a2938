"""What a reader arriving from a search engine needs: tables that fit a phone, legends a finger can open,
a claims index whose state lives in the URL, pages that can be found and shared, and a clean print."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from urllib.request import urlopen

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
MIN_TARGET = 24
VARIANTS = [(device, scheme) for device in ("phone", "desktop") for scheme in ("light", "dark")]

# Every body cell of the stacked tables: where it is drawn and whether anything is cut off.
CELL_BOXES_JS = """(selector) => Array.from(document.querySelectorAll(selector + ' tbody td')).map(td => {
  const r = td.getBoundingClientRect();
  return {label: td.dataset.label, left: r.left, right: r.right, width: r.width,
          clipped: td.scrollWidth > td.clientWidth + 1, visible: td.checkVisibility()};
})"""
# Interactive controls that are not links inside running text (WCAG 2.5.8 exempts those).
TARGETS_JS = """(selector) => Array.from(document.querySelectorAll(selector))
  .filter(e => e.checkVisibility())
  .map(e => { const r = e.getBoundingClientRect();
              return {what: e.outerHTML.slice(0, 80), width: r.width, height: r.height}; })"""
INDEX_TARGETS = "form[data-ev-filters] select, form[data-ev-filters] label.ev-check, table[data-ev-claims] th[data-sort] button, details.ev-legend > summary, [data-ev-more], [data-ev-reset]"
CLAIM_TARGETS = ".md-copyright .ev-footer a"


def _claim(site_data, page_paths, page_type="claim-disputed") -> dict:
    return next(c for c in site_data["claims"] if c["url"] == page_paths[page_type])


@pytest.mark.parametrize(("device", "scheme"), VARIANTS)
@pytest.mark.parametrize(("page_type", "table"), [("claim-disputed", ".ev-evidence-table"), ("source", ".ev-stack")])
def test_every_table_column_is_on_screen(open_page, variant_contexts, viewports, page_paths, device, scheme, page_type, table):
    """Evidence and scorecard tables: every cell of every column inside the viewport, nothing cut off."""
    page, log = open_page(page_paths[page_type], context=variant_contexts[device, scheme])
    try:
        width = viewports[device]["width"]
        cells = page.evaluate(CELL_BOXES_JS, table)
        assert cells, f"no table cells in {table}"
        headers = page.locator(f"{table} thead th").all_inner_texts()
        assert {c["label"] for c in cells} == set(headers), "a column has no data-label"
        off = [c for c in cells if not c["visible"] or c["left"] < 0 or c["right"] > width or c["width"] < 40 or c["clipped"]]
        assert not off, f"{len(off)} cells off screen or cut at {width}px, e.g. {off[:3]}"
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width
        # Still a table to assistive technology, whatever the layout.
        expect(page.locator(table).get_by_role("table")).to_have_count(1)
        expect(page.locator(table).get_by_role("columnheader")).to_have_count(len(headers))
        assert log.problems() == []
    finally:
        page.close()


@pytest.mark.parametrize(("device", "scheme"), VARIANTS)
def test_claims_index_targets_are_large_enough(open_page, variant_contexts, page_paths, device, scheme):
    page, log = open_page(page_paths["claims-index"], context=variant_contexts[device, scheme])
    try:
        expect(page.locator("table[data-ev-claims] th[data-sort] button").first).to_be_visible()
        targets = page.evaluate(TARGETS_JS, INDEX_TARGETS)
        assert len(targets) >= 8, targets
        small = [t for t in targets if t["width"] < MIN_TARGET or t["height"] < MIN_TARGET]
        assert not small, small
        box = page.locator('form[data-ev-filters] input[name="disputed"]').bounding_box()
        assert box["width"] >= 16 and box["height"] >= 16, f"checkbox is {box}; its label carries the 24 px target"
        assert log.problems() == []
    finally:
        page.close()


@pytest.mark.parametrize(("device", "scheme"), VARIANTS)
def test_claim_head_explains_itself_without_hover(open_page, variant_contexts, page_paths, site_data, device, scheme):
    """The grade's meaning and the balance bar's key are on the page as text; nothing relies on a tooltip."""
    claim = _claim(site_data, page_paths)
    page, log = open_page(page_paths["claim-disputed"], context=variant_contexts[device, scheme])
    try:
        head = page.locator(".ev-claim-head")
        expect(head.locator(".ev-grade-meaning")).to_be_visible()
        expect(head.locator(".ev-grade-meaning")).to_contain_text(f"Grade {claim['grade']}")
        expect(head.locator(".ev-balance__legend")).to_be_visible()
        assert head.locator("[title]").count() == 0, "information only in a title tooltip"
        small = [t for t in page.evaluate(TARGETS_JS, CLAIM_TARGETS) if t["width"] < MIN_TARGET or t["height"] < MIN_TARGET]
        assert not small, small
        assert log.problems() == []
    finally:
        page.close()


@pytest.mark.parametrize(("device", "scheme"), VARIANTS)
@pytest.mark.parametrize("page_type", ["claims-index", "topic"])
def test_listing_legend_opens_by_touch_and_keyboard(open_page, variant_contexts, page_paths, site_data, device, scheme, page_type):
    grades = sorted({c["grade"] for c in site_data["claims"]})
    page, log = open_page(page_paths[page_type], context=variant_contexts[device, scheme])
    try:
        legend = page.locator("details.ev-legend")
        summary = legend.locator("summary")
        expect(legend.locator("dl")).not_to_be_visible()
        if device == "phone":
            summary.click()
        else:
            summary.focus()
            page.keyboard.press("Enter")
        expect(legend.locator("dl")).to_be_visible()
        for grade in grades:
            expect(legend.locator("dt", has_text=f"Grade {grade}")).to_be_visible()
        box = summary.bounding_box()
        assert box["height"] >= MIN_TARGET, box
        assert log.problems() == []
    finally:
        page.close()


def _state(page) -> dict:
    return page.evaluate(
        """() => { const f = document.querySelector('form[data-ev-filters]');
        return {topic: f.elements.topic.value, verdict: f.elements.verdict.value, grade: f.elements.grade.value,
                disputed: f.elements.disputed.checked, search: location.search,
                rows: Array.from(document.querySelectorAll('table[data-ev-claims] tbody tr'))
                  .filter(r => !r.hidden).map(r => r.dataset.verdict + '|' + r.dataset.topic)}; }"""
    )


def _wait_ready(page):
    expect(page.locator("table[data-ev-claims] th[data-sort] button").first).to_be_visible()


def test_index_state_round_trips_through_the_url(visit, page_paths, site_data, base_url):
    """Filters go into the query; reload and Back show the same filters and the same rows."""
    claims = site_data["claims"]
    topic, verdict = Counter((c["topic"], c["verdict"]) for c in claims).most_common(1)[0][0]
    expected = sorted(f"{c['verdict']}|{c['topic']}" for c in claims if c["topic"] == topic and c["verdict"] == verdict)
    page, log = visit(page_paths["claims-index"])
    _wait_ready(page)
    page.select_option('form[data-ev-filters] select[name="topic"]', topic)
    page.select_option('form[data-ev-filters] select[name="verdict"]', verdict)
    page.locator('table[data-ev-claims] th[data-sort="grade"] button').click()
    state = _state(page)
    assert sorted(state["rows"]) == expected
    query = dict(re.findall(r"([^?&=]+)=([^&]*)", state["search"]))
    assert query["topic"] == topic and query["sort"] == "grade" and query["order"] == "asc"

    page.reload()
    _wait_ready(page)
    expect(page.locator(".ev-count")).to_contain_text(f"{len(expected)} of {len(claims)}")
    after_reload = _state(page)
    assert after_reload == state
    expect(page.locator('table[data-ev-claims] th[data-sort="grade"]')).to_have_attribute("aria-sort", "ascending")

    # Leave for a claim page and come back: the state comes from the URL, not from the page cache.
    page.locator("table[data-ev-claims] tbody tr:not([hidden]) a").first.click()
    expect(page.locator("h1#claim")).to_be_visible()
    page.go_back()
    _wait_ready(page)
    expect(page.locator(".ev-count")).to_contain_text(f"{len(expected)} of {len(claims)}")
    assert _state(page) == state

    # Back through the filter history undoes one step at a time.
    page.go_back()
    expect(page.locator('table[data-ev-claims] th[data-sort="grade"]')).to_have_attribute("aria-sort", "none")
    assert _state(page)["verdict"] == verdict
    page.go_back()
    assert _state(page)["verdict"] == ""
    # Navigating away mid-load aborts the favicon request; that is no fault of the page.
    assert [p for p in log.problems() if "ERR_ABORTED" not in p] == []


def test_shared_index_url_opens_filtered(visit, page_paths, site_data):
    claims = site_data["claims"]
    disputed = sum(1 for c in claims if c["disputed"])
    page, log = visit(page_paths["claims-index"] + "?disputed=yes&grade=Z&topic=%3Cscript%3E")
    _wait_ready(page)
    state = _state(page)
    assert state["grade"] == "" and state["topic"] == "", "values the page does not offer are ignored"
    assert state["disputed"] is True
    expect(page.locator(".ev-count")).to_contain_text(f"{disputed} of {len(claims)}")
    assert len(state["rows"]) == disputed
    assert log.problems() == []


def test_filter_options_are_built_from_what_exists(visit, page_paths, site_data):
    claims = site_data["claims"]
    page, _ = visit(page_paths["claims-index"])
    for field in ("topic", "verdict", "grade"):
        offered = page.locator(f'form[data-ev-filters] select[name="{field}"] option').evaluate_all("options => options.map(o => o.value).filter(Boolean)")
        assert sorted(offered) == sorted({c[field] for c in claims}), field


def test_empty_result_says_so(visit, page_paths, site_data):
    claims = site_data["claims"]
    present = {(c["topic"], c["verdict"]) for c in claims}
    topics, verdicts = {c["topic"] for c in claims}, {c["verdict"] for c in claims}
    missing = sorted((t, v) for t in topics for v in verdicts if (t, v) not in present)
    assert missing, "every topic has every verdict: no empty combination to test"
    topic, verdict = missing[0]
    page, log = visit(page_paths["claims-index"])
    _wait_ready(page)
    message = page.locator("[data-ev-empty]")
    expect(message).to_be_hidden()
    page.select_option('form[data-ev-filters] select[name="topic"]', topic)
    page.select_option('form[data-ev-filters] select[name="verdict"]', verdict)
    expect(message).to_be_visible()
    expect(message).to_contain_text("No claim matches")
    expect(page.locator("table[data-ev-claims]")).to_be_hidden()
    expect(page.locator(".ev-count")).to_contain_text(f"0 of {len(claims)}")
    page.locator("[data-ev-reset]").click()
    expect(message).to_be_hidden()
    expect(page.locator(".ev-count")).to_contain_text(f"{len(claims)} of {len(claims)}")
    assert log.problems() == []


def test_sitemap_lists_every_page(built_site, base_url):
    with urlopen(base_url + "sitemap.xml") as response:
        tree = ET.fromstring(response.read())
    locs = {e.text for e in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    pages = {p.relative_to(built_site).parent.as_posix() for p in built_site.rglob("index.html")}
    assert locs, "sitemap.xml is empty"
    root = min(locs, key=len)
    assert root.startswith("https://") and all(loc.startswith(root) for loc in locs)
    assert {loc.removeprefix(root).rstrip("/") for loc in locs} == {"" if p == "." else p for p in pages}


SHARE_JS = """() => {
  const m = (sel) => { const e = document.querySelector(sel); return e ? (e.content || e.href) : null; };
  return {canonical: m('link[rel=canonical]'), ogTitle: m('meta[property="og:title"]'),
          ogDescription: m('meta[property="og:description"]'), ogUrl: m('meta[property="og:url"]'),
          ogType: m('meta[property="og:type"]'), ogSite: m('meta[property="og:site_name"]'),
          card: m('meta[name="twitter:card"]'), twTitle: m('meta[name="twitter:title"]'), title: document.title};
}"""


def test_every_page_type_has_canonical_and_share_tags(page_type, page_paths, open_page, variant_contexts, site_data):
    page, _ = open_page(page_paths[page_type], context=variant_contexts["desktop", "light"])
    try:
        tags = page.evaluate(SHARE_JS)
        assert all(tags.values()), tags
        assert tags["canonical"].startswith("https://") and tags["canonical"].endswith("/" + page_paths[page_type])
        assert tags["ogUrl"] == tags["canonical"]
        assert tags["card"] == "summary"
        if page_type.startswith("claim-"):
            claim = _claim(site_data, page_paths, page_type)
            assert tags["ogType"] == "article"
            assert claim["verdict"].lower() in tags["ogDescription"].lower(), tags
            assert "<" not in tags["ogTitle"] and "&amp;" not in tags["ogTitle"]
    finally:
        page.close()


def test_claim_page_prints_without_navigation(visit, page_paths, viewports):
    page, _ = visit(page_paths["claim-disputed"], viewport=viewports["phone"])
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-footer", ".md-tabs"):
        if page.locator(chrome).count():
            expect(page.locator(chrome).first).to_be_hidden()
    for part in (".ev-claim-head .ev-verdict", ".ev-evidence-table table", "#references", ".ev-reference"):
        expect(page.locator(part).first).to_be_visible()
    # Printed tables are tables again, whatever the screen width.
    assert page.locator(".ev-evidence-table thead").evaluate("e => getComputedStyle(e).position") != "absolute"
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


@pytest.mark.parametrize("page_type", ["claim-disputed", "claim-undisputed"])
def test_claim_review_json_ld_is_complete(visit, page_paths, site_data, page_type):
    import json

    claim = _claim(site_data, page_paths, page_type)
    page, _ = visit(page_paths[page_type])
    scripts = page.locator('script[type="application/ld+json"]').all_text_contents()
    assert len(scripts) == 1
    review = json.loads(scripts[0])
    canonical = page.evaluate("document.querySelector('link[rel=canonical]').href")
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["url"] == canonical
    assert review["claimReviewed"] == claim["claim"]
    assert review["author"]["name"] and review["author"]["url"].startswith("https://")
    rating = review["reviewRating"]
    assert rating["worstRating"] == 1 and rating["bestRating"] == 5
    assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    assert claim["verdict"].lower() in rating["alternateName"].lower()
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    supporting_articles = {e["source"] for e in claim["evidence"] if e["study_type"] == "web-article" and e["stance"] == "supports"}
    assert len(item["appearance"]) == len(supporting_articles)
    if supporting_articles:
        assert item["author"] and all(a["name"] and a["@type"] in {"Person", "Organization"} for a in item["author"])


def test_claim_review_ratings_span_the_scale(built_site, site_data):
    """Across the site the rating follows the verdict, and insufficient evidence is named, never a low truth rating."""
    import json

    for claim in site_data["claims"]:
        html = (built_site / claim["url"] / "index.html").read_text(encoding="utf-8")
        review = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL).group(1))
        rating = review["reviewRating"]
        if claim["verdict"] in ("insufficient evidence", "contested", "inconclusive"):
            assert rating["ratingValue"] == 3, claim["id"]
        elif claim["verdict"] == "supported":
            assert rating["ratingValue"] >= 4, claim["id"]
        else:
            assert rating["ratingValue"] <= 2, claim["id"]


def _evidence_settings() -> dict:
    import yaml

    plugins = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))["plugins"]
    return next(p["evidence"] for p in plugins if isinstance(p, dict) and "evidence" in p)


def test_footer_names_the_publisher_and_links_about(page_type, page_paths, open_page, variant_contexts, base_url):
    settings = _evidence_settings()
    assert settings.get("publisher") and settings.get("about_page"), "the site names no publisher or About page"
    page, log = open_page(page_paths[page_type], context=variant_contexts["phone", "light"])
    try:
        footer = page.locator(".md-footer .ev-footer")
        expect(footer).to_contain_text(f"Published by {settings['publisher']}")
        about = footer.get_by_role("link", name="About this site")
        expect(about).to_have_attribute("href", re.compile(r"about/$"))
        assert about.evaluate("a => a.href") == base_url + settings["about_page"].removesuffix(".md") + "/"
        small = [t for t in page.evaluate(TARGETS_JS, ".md-copyright .ev-footer a") if t["height"] < MIN_TARGET]
        assert not small, small
        assert log.problems() == []
    finally:
        page.close()


def test_safety_topics_link_the_safety_page_first(visit, site_data, base_url):
    settings = _evidence_settings()
    topics = set(settings["safety_topics"])
    inside = next(c for c in site_data["claims"] if c["topic"] in topics)
    outside = next(c for c in site_data["claims"] if c["topic"] not in topics)
    page, log = visit(inside["url"], viewport={"width": 375, "height": 812})
    link = page.locator(".ev-claim-head .ev-safety a")
    expect(link).to_be_in_viewport()
    assert link.evaluate("a => a.href") == base_url + settings["safety_page"].removesuffix(".md") + "/"
    link.click()
    expect(page.locator("h1").first).to_be_visible()
    assert log.problems() == []
    other, _ = visit(outside["url"])
    expect(other.locator(".ev-safety")).to_have_count(0)
