"""Fixtures for the end-to-end suite: the real site, built once, served on 127.0.0.1, driven by Debian's Chromium."""

from __future__ import annotations

import functools
import http.server
import json
import os
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("EVIDENCE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}

# Each kind of page a reader meets; the concrete path of the data-dependent ones comes from claims.json.
PAGE_TYPES = (
    "home",
    "claim-disputed",
    "claim-undisputed",
    "claims-index",
    "topic",
    "disputes",
    "references",
    "source",
    "methodology",
    "contributing",
    "tags",
)
PREFERRED_DISPUTED = "claims/prevention/electrolyte-drinks-prevent-cramps/"


@pytest.fixture(scope="session", autouse=True)
def chromium() -> Path:
    """Debian's Chromium: without it the suite skips once (one reason line), except in CI where it must run."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} not found; install Debian's chromium package to run the browser tests"
        if os.environ.get("CI"):
            pytest.fail(f"CI is set: {message}")
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="module", params=PAGE_TYPES)
def page_type(request) -> str:
    """Each page type in turn; module scope makes pytest run a module's tests page type by page type."""
    return request.param


@pytest.fixture(scope="session")
def viewports() -> dict[str, dict[str, int]]:
    return {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """Build the real site once with the repository's mkdocs.yml."""
    site = tmp_path_factory.mktemp("site")
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(REPO / "mkdocs.yml"), "-d", str(site)]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"mkdocs build failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the name http.server uses
        pass


def _serve(folder: Path):
    """Serve a built site on a free port of 127.0.0.1 until the generator is closed."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def base_url(built_site) -> str:
    """Serve the built site on a free port of 127.0.0.1 for the whole session."""
    yield from _serve(built_site)


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory) -> Path:
    """The real site built the plugin-free way: `evidence build`, then `zensical build`."""
    from renderers import build_with, copy_real_site

    root = copy_real_site(tmp_path_factory.mktemp("zensical"))
    return build_with("zensical", root, root / "built")


@pytest.fixture(scope="session")
def zensical_url(zensical_site) -> str:
    yield from _serve(zensical_site)


@pytest.fixture(scope="session")
def site_data(built_site) -> dict:
    """The site's own claims.json, the single source of expected values."""
    return json.loads((built_site / "claims.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def page_paths(site_data, built_site) -> dict[str, str]:
    """One site-relative path per page type."""
    claims = site_data["claims"]
    disputed = [c["url"] for c in claims if c["disputed"]]
    undisputed = [c["url"] for c in claims if not c["disputed"]]
    assert disputed, "claims.json has no claim with disagreement"
    assert undisputed, "claims.json has no claim without disagreement"
    sources = sorted(p.parent.name for p in (built_site / "sources").glob("*/index.html"))
    assert sources, "the site has no source scorecard page"
    topic = claims[0]["topic"]
    return {
        "home": "",
        "claim-disputed": PREFERRED_DISPUTED if PREFERRED_DISPUTED in disputed else disputed[0],
        "claim-undisputed": undisputed[0],
        "claims-index": "claims/",
        "topic": f"claims/{topic}/",
        "disputes": "disputes/",
        "references": "references/",
        "source": f"sources/{sources[0]}/",
        "methodology": "methodology/",
        "contributing": "contributing/",
        "tags": "tags/",
    }


@pytest.fixture(scope="session")
def browser(chromium):
    """Headless Chromium for the session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class PageLog:
    """What went wrong while a page was open: console errors, failed requests, requests leaving 127.0.0.1."""

    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return [f"console: {m}" for m in self.console_errors] + [f"failed: {r}" for r in self.failed_requests] + [f"external: {r}" for r in self.external_requests]


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob", "about"} or parts.hostname == "127.0.0.1"


def _offline_context(browser, viewport, scheme):
    """A browser context that aborts every request leaving 127.0.0.1 (pages record them as problems)."""
    context = browser.new_context(viewport=viewport, color_scheme=scheme, reduced_motion="reduce")
    context.route(lambda url: not _is_local(url), lambda route: route.abort())
    return context


def _opener(browser, base_url):
    """Open a site path, returning (page, log); the caller closes the page (or its context).

    Without a context the page gets a fresh one. Requests leaving 127.0.0.1 are
    logged and blocked, so the site is tested as it works offline.
    """

    def open_(path: str, *, viewport=DESKTOP, scheme: str = "light", context=None, wait_until: str = "load"):
        page = (context or _offline_context(browser, viewport, scheme)).new_page()
        log = PageLog()
        page.on("request", lambda r: None if _is_local(r.url) else log.external_requests.append(r.url))
        page.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: log.console_errors.append(str(e)))
        page.on("requestfailed", lambda r: log.failed_requests.append(f"{r.url} ({r.failure})"))
        page.on("response", lambda r: log.failed_requests.append(f"{r.url} ({r.status})") if r.status >= 400 else None)
        page.goto(base_url + path, wait_until=wait_until)
        return page, log

    return open_


@pytest.fixture(scope="session")
def open_page(browser, base_url):
    return _opener(browser, base_url)


@pytest.fixture(scope="session")
def open_zensical_page(browser, zensical_url):
    return _opener(browser, zensical_url)


@pytest.fixture(scope="session")
def variant_contexts(browser, viewports):
    """One context per device and colour scheme, shared so pages reuse the cached theme assets."""
    contexts = {(device, scheme): _offline_context(browser, viewport, scheme) for device, viewport in viewports.items() for scheme in ("light", "dark")}
    yield contexts
    for context in contexts.values():
        context.close()


@pytest.fixture
def visit(open_page):
    """open_page in a fresh context for one test; the contexts close when the test ends."""
    pages = []

    def visit_(path: str, *, viewport=DESKTOP, scheme: str = "light", wait_until: str = "load"):
        page, log = open_page(path, viewport=viewport, scheme=scheme, wait_until=wait_until)
        pages.append(page)
        return page, log

    yield visit_
    for page in pages:
        page.context.close()
