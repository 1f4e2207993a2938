"""Every page type in a real browser: loads offline and cleanly, passes axe-core, fits a phone, stays readable in dark mode."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

AXE = Axe()
BLOCKING_IMPACTS = {"serious", "critical"}
MAX_SCREENSHOT_HEIGHT = 16384

# Contrast of every visible text run inside badges and tables, from computed styles.
# The background is the stack of ancestor backgrounds composited over white, so
# translucent badge and table backgrounds count as they are drawn.
CONTRAST_JS = """
(selector) => {
  function parse(value) {
    let m = value.match(/^rgba?\\(([^)]*)\\)$/);
    if (m) {
      const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    }
    m = value.match(/^color\\(srgb ([^)]*)\\)$/);
    if (m) {
      const p = m[1].split(/[\\s\\/]+/).filter(Boolean).map(Number);
      return [p[0] * 255, p[1] * 255, p[2] * 255, p.length > 3 ? p[3] : 1];
    }
    throw new Error("unparsed colour " + value);
  }
  function over(top, bottom) {
    const a = top[3] + bottom[3] * (1 - top[3]);
    if (a === 0) return [0, 0, 0, 0];
    return [0, 1, 2].map(i => (top[i] * top[3] + bottom[i] * bottom[3] * (1 - top[3])) / a).concat([a]);
  }
  function background(el) {
    const layers = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const bg = parse(getComputedStyle(node).backgroundColor);
      if (bg[3] > 0) layers.push(bg);
      if (bg[3] >= 1) break;
    }
    let colour = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) colour = over(layers[i], colour);
    return colour;
  }
  function luminance(c) {
    const [r, g, b] = c.slice(0, 3).map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
  const seen = new Set();
  const results = [];
  for (const root of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
      const el = text.parentElement;
      if (!text.textContent.trim() || seen.has(el) || !el.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
      seen.add(el);
      const bg = background(el);
      const fg = over(parse(getComputedStyle(el).color), bg);
      const [l1, l2] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
      results.push({text: text.textContent.trim().slice(0, 40), tag: el.tagName, className: el.className,
                    ratio: (l1 + 0.05) / (l2 + 0.05), fg: fg.map(Math.round).join(","), bg: bg.map(Math.round).join(",")});
    }
  }
  return results;
}
"""
CONTRAST_SELECTOR = ".md-typeset .ev-badge, .md-typeset table"
BADGED_PAGES = {"claim-disputed", "claim-undisputed", "claims-index", "topic", "disputes", "source"}
BADGE_ROWS_JS = """() => Array.from(document.querySelectorAll('table[data-ev-claims] tbody tr')).map(r => ({
  verdict: r.dataset.verdict, grade: r.dataset.grade, disputed: r.dataset.disputed,
  verdictText: r.querySelector('.ev-verdict').innerText.trim(), gradeText: r.querySelector('.ev-grade').innerText.trim(),
  disagreeText: r.querySelector('.ev-disagree') ? r.querySelector('.ev-disagree').innerText.trim() : null}))"""
# The first drawer link that is on screen, on top (not covered by a nested panel) and leads to another page.
REACHABLE_NAV_LINK_JS = """() => {
  const links = Array.from(document.querySelectorAll('.md-sidebar--primary a.md-nav__link'));
  for (const [index, a] of links.entries()) {
    const r = a.getBoundingClientRect();
    if (!r.width || !r.height || r.left < 0 || r.right > innerWidth || r.top < 0 || r.bottom > innerHeight) continue;
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    if (hit && a.contains(hit) && a.href.split('#')[0] !== location.href.split('#')[0]) return {index, href: a.href};
  }
  return null;
}"""
BADGE_BOXES_JS = """() => Array.from(document.querySelectorAll('.md-typeset .ev-badge'))
  .filter(e => e.checkVisibility())
  .map(e => ({text: e.innerText.trim(), font: parseFloat(getComputedStyle(e).fontSize),
              clipped: e.scrollWidth > e.clientWidth + 1}))"""


@pytest.fixture(scope="module")
def rendered(page_type, page_paths, open_page, variant_contexts):
    """The current page type opened once per device and colour scheme, shared by this module's checks."""
    # Start all four loads before waiting for any, so they overlap.
    pages = {variant: open_page(page_paths[page_type], context=context, wait_until="commit") for variant, context in variant_contexts.items()}
    for page, _ in pages.values():
        page.wait_for_load_state("networkidle")
    yield pages
    for page, _ in pages.values():
        page.close()


def test_page_loads_offline_without_errors(rendered):
    for (device, scheme), (page, log) in rendered.items():
        expect(page.locator("h1").first).to_be_visible()
        assert page.title(), "page has no title"
        assert log.problems() == [], f"{device}, {scheme}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violations(rendered, scheme):
    page, _ = rendered["desktop", scheme]
    results = AXE.run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    report = "\n".join(f"{v['id']} ({v['impact']}): {v['help']} -> " + "; ".join(" ".join(n["html"].split())[:120] for n in v["nodes"][:3]) for v in blocking)
    assert not blocking, report


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_has_no_horizontal_scroll(rendered, viewports, scheme):
    page, _ = rendered["phone", scheme]
    width = viewports["phone"]["width"]
    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll_width <= width, f"page is {scroll_width}px wide on a {width}px phone"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_badges_and_tables_keep_contrast(rendered, page_type, scheme):
    page, _ = rendered["desktop", scheme]
    assert page.evaluate("document.body.dataset.mdColorScheme") == ("slate" if scheme == "dark" else "default")
    runs = page.evaluate(CONTRAST_JS, CONTRAST_SELECTOR)
    if page_type in BADGED_PAGES:
        assert runs, f"no badge or table text found on {page_type}"
    low = [r for r in runs if r["ratio"] < 4.5]
    assert not low, "\n".join(f"{r['ratio']:.2f}:1 {r['tag']}.{r['className']} '{r['text']}' fg={r['fg']} bg={r['bg']}" for r in low)


def test_screenshots(rendered, page_type, screenshot_dir):
    for (device, scheme), (page, _) in rendered.items():
        path = screenshot_dir / f"{page_type}-{device}-{scheme}.png"
        # Chromium tiles captures taller than its 16384 px texture limit; the top of a long page is enough to review.
        height = min(page.evaluate("document.scrollingElement.scrollHeight"), MAX_SCREENSHOT_HEIGHT)
        clip = {"x": 0, "y": 0, "width": page.viewport_size["width"], "height": height}
        page.screenshot(path=str(path), full_page=True, clip=clip, animations="disabled", caret="hide")
        assert path.stat().st_size > 0


def test_badges_are_visible_text(rendered, page_type, page_paths, site_data):
    """Verdict, grade and disagreement read as words, matching claims.json, and are not cramped."""
    page, _ = rendered["desktop", "light"]
    if page_type.startswith("claim-"):
        claim = next(c for c in site_data["claims"] if c["url"] == page_paths[page_type])
        head = page.locator(".ev-claim-head")
        expect(head.locator("span.ev-verdict")).to_contain_text(f"Verdict: {claim['verdict']}", ignore_case=True)
        expect(head.locator("span.ev-grade")).to_have_text(f"Grade {claim['grade']} · {claim['certainty']} certainty")
        if claim["disputed"]:
            expect(head.locator("span.ev-disagree")).to_contain_text("Sources disagree")
        else:
            expect(head.locator("span.ev-disagree")).to_have_count(0)
    rows = page.evaluate(BADGE_ROWS_JS)
    if page_type in ("claims-index", "topic"):
        assert rows, "no claim rows"
    for row in rows:
        assert row["verdict"].lower() in row["verdictText"].lower(), row
        assert row["gradeText"].startswith(f"Grade {row['grade']} · "), row
        assert (row["disagreeText"] is not None) == (row["disputed"] == "yes"), row
        assert row["disagreeText"] is None or "Sources disagree" in row["disagreeText"], row
    badges = page.evaluate(BADGE_BOXES_JS)
    if page_type in BADGED_PAGES:
        assert badges, "no badges"
    for badge in badges:
        assert badge["text"], f"badge without text: {badge}"
        assert badge["font"] >= 12, f"badge text is {badge['font']}px: {badge}"
        assert not badge["clipped"], f"badge text is clipped: {badge}"


def test_phone_navigation_is_reachable(page_type, page_paths, open_page, variant_contexts):
    """The menu button opens the drawer and a link in it can be followed."""
    page, log = open_page(page_paths[page_type], context=variant_contexts["phone", "light"])
    try:
        menu = page.locator('label.md-header__button[for="__drawer"]')
        expect(menu).to_be_visible()
        menu.click()
        expect(page.locator(".md-sidebar--primary")).to_be_in_viewport()
        # The drawer slides in; wait until one of its links is on screen and on top.
        target = page.wait_for_function(REACHABLE_NAV_LINK_JS, timeout=5000).json_value()
        page.locator(".md-sidebar--primary a.md-nav__link").nth(target["index"]).click()
        expect(page).to_have_url(target["href"])
        assert log.problems() == []
    finally:
        page.close()
