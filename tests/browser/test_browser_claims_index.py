"""The claims index in a browser: its filters, sorting and counts agree with claims.json."""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
from collections import Counter

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from playwright.sync_api import expect

from generator.render import listings

from renderers import copy_real_site

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


# The index's loading by facet, on the real site built with tiny data files: 48 claims fill many files,
# as 10,000 claims fill 50 KB ones, so what a link fetches can be seen. Budgets are proportional too.
TINY_FILE_BYTES, TINY_ROWS_PER_STEP, TINY_BUDGET = 1_500, 5, 4_000
INDEX_FILE = re.compile(r"claims/index-\d+\.json$")


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory):
    """The real site built in this process with tiny index files, served on 127.0.0.1."""
    root = copy_real_site(tmp_path_factory.mktemp("tiny-index"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(listings, "INDEX_CHUNK_BYTES", TINY_FILE_BYTES)
        patch.setattr(listings, "INDEX_ROWS_PER_STEP", TINY_ROWS_PER_STEP)
        patch.setattr(listings, "INDEX_BYTES_BEFORE_INTERACTION", TINY_BUDGET)
        mkdocs_build(load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site")))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root / "site")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    config = json.loads(re.search(r'id="ev-index-data">(.*?)</script>', (root / "site/claims/index.html").read_text(encoding="utf-8")).group(1))
    yield f"http://127.0.0.1:{server.server_port}/", config
    server.shutdown()
    server.server_close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the name http.server uses
        pass


@pytest.fixture
def open_tiny(browser, tiny_site):
    """Open the tiny site's index with a query; returns (page, the data files it fetched, config)."""
    url, config = tiny_site
    contexts = []

    def open_(query: str = ""):
        context = browser.new_context()
        contexts.append(context)
        context.route(lambda u: not u.startswith(url), lambda route: route.abort())
        page = context.new_page()
        fetched: list[str] = []
        errors: list[str] = []
        # Only the index's data files: the search index is the search widget's (and fetched on every page).
        page.on("request", lambda r: fetched.append(r.url[len(url) :]) if INDEX_FILE.match(r.url[len(url) :]) else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url + "claims/" + query)
        expect(page.locator("table[data-ev-claims] th[data-sort] button").first).to_be_visible()
        return page, fetched, errors

    yield open_, config
    for context in contexts:
        context.close()


def _matches(config, file, **wanted) -> int:
    """How many rows of a listed file match, read from the built files' own counts."""
    facets = config["facets"]
    total = 0
    for count in file["counts"]:
        values = {
            "topic": count[facets.index("topic")],
            "verdict": config["verdicts"][count[facets.index("verdict")]]["value"],
            "grade": config["grades"][count[facets.index("grade")]]["letter"],
            "disputed": bool(count[facets.index("disputed")]),
        }
        if all(values[k] == v for k, v in wanted.items()):
            total += count[-1]
    return total


def _show_all(page, expected: int) -> None:
    """Press "Show more" until all `expected` rows show, waiting for each step's rows."""
    shown = min(expected, TINY_ROWS_PER_STEP)
    while shown < expected:
        page.locator("[data-ev-more]").click()
        shown = min(expected, shown + TINY_ROWS_PER_STEP)
        expect(page.locator("table[data-ev-claims] tbody tr:not([hidden])")).to_have_count(shown)
    expect(page.locator("[data-ev-more]")).to_be_hidden()


def _bytes(config, urls) -> int:
    sizes = {f["url"]: f["bytes"] for f in config["files"]}
    return sum(sizes[u] for u in urls)


def test_tiny_build_has_many_small_files(tiny_site, site_data):
    _, config = tiny_site
    assert len(config["files"]) > 10
    assert all(f["bytes"] <= TINY_FILE_BYTES for f in config["files"])
    assert sum(c[-1] for f in config["files"] for c in f["counts"]) == len(site_data["claims"])


def test_unfiltered_index_fetches_one_file(open_tiny, site_data):
    open_, config = open_tiny
    page, fetched, errors = open_()
    assert fetched == [config["files"][0]["url"]]
    assert len(_visible(page)) == TINY_ROWS_PER_STEP
    total = len(site_data["claims"])
    expect(page.locator(".ev-count")).to_have_text(f"{total} of {total} claims match; {TINY_ROWS_PER_STEP} shown")
    # "Show more" is the reader asking: only then do further files come.
    page.locator("[data-ev-more]").click()
    expect(page.locator("table[data-ev-claims] tbody tr:not([hidden])")).to_have_count(2 * TINY_ROWS_PER_STEP)
    assert 1 < len(fetched) < len(config["files"])
    assert errors == []


def test_verdict_link_fetches_only_files_that_can_match(open_tiny, site_data):
    open_, config = open_tiny
    claims = site_data["claims"]
    expected = sum(1 for c in claims if c["verdict"] == "supported")
    page, fetched, errors = open_("?verdict=supported")
    holding = [f["url"] for f in config["files"] if _matches(config, f, verdict="supported")]
    assert fetched and set(fetched) <= set(holding), "a file without supported claims was fetched"
    assert fetched == holding[: len(fetched)] and len(fetched) < len(holding), "more than the first screen was fetched"
    assert _bytes(config, fetched) <= TINY_BUDGET
    assert _count(page) == expected
    rows = _visible(page)
    assert {r["verdict"] for r in rows} == {"supported"} and len(rows) == min(expected, TINY_ROWS_PER_STEP)
    # Showing every match fetches every file that holds one, and still nothing else.
    _show_all(page, expected)
    expect(page.locator(".ev-count")).to_have_text(f"{expected} of {len(claims)} claims shown")
    assert sorted(set(fetched)) == sorted(holding)
    assert errors == []


def test_grade_link_stops_fetching_once_the_first_screen_is_full(open_tiny, site_data):
    open_, config = open_tiny
    claims = site_data["claims"]
    grade, expected = Counter(c["grade"] for c in claims).most_common(1)[0]
    assert expected > 2 * TINY_ROWS_PER_STEP
    page, fetched, errors = open_(f"?grade={grade}")
    holding = [f["url"] for f in config["files"] if _matches(config, f, grade=grade)]
    assert fetched == holding[: len(fetched)] and len(fetched) < len(holding)
    # Fetching stopped at the first file that completed the screen: without it, the screen would not be full.
    assert sum(_matches(config, f, grade=grade) for f in config["files"] if f["url"] in fetched[:-1]) < TINY_ROWS_PER_STEP
    assert _bytes(config, fetched) <= TINY_BUDGET
    rows = _visible(page)
    assert {r["grade"] for r in rows} == {grade} and len(rows) == TINY_ROWS_PER_STEP
    assert _count(page) == expected
    expect(page.locator(".ev-count")).to_have_text(f"{expected} of {len(claims)} claims match; {TINY_ROWS_PER_STEP} shown")
    assert errors == []


def test_disputed_link_counts_exactly_before_everything_is_fetched(open_tiny, site_data):
    open_, config = open_tiny
    claims = site_data["claims"]
    expected = sum(1 for c in claims if c["disputed"])
    page, fetched, errors = open_("?disputed=yes")
    assert len(fetched) < len(config["files"]) and _bytes(config, fetched) <= TINY_BUDGET
    assert _count(page) == expected
    assert {r["disputed"] for r in _visible(page)} == {"yes"}
    assert errors == []


def test_sort_link_over_the_budget_waits_for_the_reader(open_tiny, site_data):
    open_, config = open_tiny
    claims = site_data["claims"]
    assert _bytes(config, [f["url"] for f in config["files"]]) > TINY_BUDGET
    page, fetched, errors = open_("?sort=grade")
    note = page.locator("[data-ev-sort-note]")
    expect(note).to_be_visible()
    expect(note).to_contain_text("sorting by grade")
    expect(page.locator('table[data-ev-claims] th[data-sort="grade"]')).to_have_attribute("aria-sort", "none")
    assert _bytes(config, fetched) <= TINY_BUDGET and len(fetched) < len(config["files"])
    assert _count(page) == len(claims)
    note.locator("[data-ev-sort-all]").click()
    expect(page.locator('table[data-ev-claims] th[data-sort="grade"]')).to_have_attribute("aria-sort", "ascending")
    expect(note).to_be_hidden()
    assert sorted(set(fetched)) == sorted(f["url"] for f in config["files"])
    _show_all(page, len(claims))
    grades = [GRADE_ORDER.index(r["grade"]) for r in _visible(page)]
    assert grades == sorted(grades)
    assert "sort=grade" in page.url
    assert errors == []


def test_sort_link_within_the_budget_sorts_at_once(open_tiny, site_data):
    open_, config = open_tiny
    claims = site_data["claims"]
    # The smallest topic whose files fit the budget: the page fetches them all and sorts before anyone asks.
    topics = Counter(c["topic"] for c in claims)
    fitting = [t for t in topics if _bytes(config, [f["url"] for f in config["files"] if _matches(config, f, topic=t)]) <= TINY_BUDGET]
    assert fitting, "no topic's files fit the tiny budget"
    topic = min(fitting, key=topics.get)
    page, fetched, errors = open_(f"?topic={topic}&sort=grade&order=desc")
    expect(page.locator('table[data-ev-claims] th[data-sort="grade"]')).to_have_attribute("aria-sort", "descending")
    expect(page.locator("[data-ev-sort-note]")).to_be_hidden()
    assert sorted(set(fetched)) == sorted(f["url"] for f in config["files"] if _matches(config, f, topic=topic))
    assert _count(page) == topics[topic]
    grades = [GRADE_ORDER.index(r["grade"]) for r in _visible(page)]
    assert grades == sorted(grades, reverse=True) and {r["topic"] for r in _visible(page)} == {topic}
    assert errors == []
