"""The claims index of a site built from the installed wheel (see wheel_site.py) filters in a browser:
the package's script and stylesheet work with nothing from this repository."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.package]

ROWS_JS = """() => Array.from(document.querySelectorAll('table[data-ev-claims] tbody tr'))
  .filter(r => !r.hidden && r.getClientRects().length > 0).map(r => r.dataset.verdict)"""


class _Silent(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the name http.server uses
        pass


@pytest.fixture(scope="module")
def packaged_url(packaged_site):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Silent, directory=str(packaged_site.root / "site")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def test_claims_index_of_a_packaged_site_filters(browser, packaged_url):
    context = browser.new_context()
    context.route(lambda url: not url.startswith(packaged_url), lambda route: route.abort())
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda response: errors.append(f"{response.url} {response.status}") if response.status >= 400 else None)
    page.goto(packaged_url + "claims/")
    expect(page.locator("table[data-ev-claims] th[data-sort] button").first).to_be_visible()
    assert sorted(page.evaluate(ROWS_JS)) == ["not supported", "supported"]
    page.select_option('form[data-ev-filters] select[name="verdict"]', "supported")
    assert page.evaluate(ROWS_JS) == ["supported"]
    assert page.locator("[data-ev-count]").inner_text() == "1"
    assert page.evaluate("() => Array.from(document.styleSheets).some(s => (s.href || '').endsWith('assets/evidence/evidence.css') && s.cssRules.length > 0)")
    assert errors == []
    context.close()
