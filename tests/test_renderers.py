"""The real site built by MkDocs (plugin), ProperDocs (plugin) and Zensical (no plugin), at a root URL and a sub-path.

The three must produce the same pages, every relative link must lead to a file of the built site,
none may climb above the site root, and each page must link to the same targets in all three.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from hostile import assert_no_markup_from_data, write_hostile_site
from renderers import RENDERERS, build_with, copy_real_site, html_pages, link_targets, page_links, resolve

SITE_URLS = {"root": "https://example.org/", "subpath": "https://example.org/cramps/"}


@pytest.fixture(scope="module", params=list(SITE_URLS))
def builds(request, tmp_path_factory) -> tuple[str, dict[str, Path]]:
    """The real site built by every renderer at one site_url: (site_url, {renderer: site folder})."""
    site_url = SITE_URLS[request.param]
    sites = {}
    for renderer in RENDERERS:
        root = copy_real_site(tmp_path_factory.mktemp(f"{renderer}-{request.param}"), site_url=site_url)
        sites[renderer] = build_with(renderer, root, root / "built")
    return site_url, sites


def test_every_renderer_builds_the_same_pages(builds):
    _, sites = builds
    pages = {renderer: html_pages(site) for renderer, site in sites.items()}
    assert len(pages["mkdocs"]) > 60
    for renderer in RENDERERS[1:]:
        assert pages[renderer] == pages["mkdocs"], renderer


def test_relative_links_resolve_and_never_climb_above_the_root(builds):
    site_url, sites = builds
    root_path = urlsplit(site_url).path
    for renderer, site in sites.items():
        broken, climbing, absolute = [], [], []
        anchors: dict[str, set[str]] = {}
        for page in html_pages(site):
            links, _ = page_links(site, page)
            for _, _, href in links:
                if href.startswith("/"):
                    # Only the 404 page, served at any depth, links from the root path of site_url.
                    if page != "404.html" or not href.startswith(root_path):
                        absolute.append((page, href))
                    continue
                resolved = resolve(page, href)
                if resolved is None:
                    continue
                path, fragment = resolved
                if path.startswith(".."):
                    climbing.append((page, href))
                elif not (site / path).is_file():
                    broken.append((page, href))
                elif fragment and path.endswith(".html") and not fragment.startswith("__"):
                    if path not in anchors:
                        anchors[path] = page_links(site, path)[1]
                    if fragment not in anchors[path]:
                        broken.append((page, href))
        assert not broken, f"{renderer}: {len(broken)} broken, e.g. {broken[:5]}"
        assert not climbing, f"{renderer}: {len(climbing)} above the root, e.g. {climbing[:5]}"
        assert not absolute, f"{renderer}: {len(absolute)} absolute, e.g. {absolute[:5]}"


def test_each_page_links_to_the_same_targets_under_every_renderer(builds):
    _, sites = builds
    differing = []
    for page in html_pages(sites["mkdocs"]):
        if page == "404.html":
            continue
        expected = link_targets(sites["mkdocs"], page)
        for renderer in RENDERERS[1:]:
            got = link_targets(sites[renderer], page)
            if got != expected:
                differing.append((renderer, page, sorted(expected - got)[:3], sorted(got - expected)[:3]))
    assert not differing, differing[:5]


def test_the_package_css_script_and_json_ld_reach_every_renderer(builds):
    _, sites = builds
    for renderer, site in sites.items():
        home = (site / "index.html").read_text(encoding="utf-8")
        assert "assets/evidence/evidence.css" in home, renderer
        claim = next(p for p in html_pages(site) if p.startswith("claims/prevention/") and p.count("/") == 3)
        text = (site / claim).read_text(encoding="utf-8")
        assert '<script type="application/ld+json">' in text and "ClaimReview" in text, renderer
        index = (site / "claims/index.html").read_text(encoding="utf-8")
        assert "assets/evidence/claims-index.js" in index and 'id="ev-index-data"' in index, renderer


@pytest.mark.parametrize("renderer", RENDERERS[1:])
def test_markup_in_claims_and_references_stays_text_under_every_renderer(renderer, tmp_path):
    """MkDocs is covered by test_build's fixture site; the same data under the other renderers."""
    root = write_hostile_site(tmp_path / "site")
    assert_no_markup_from_data(build_with(renderer, root, root / "built"))
