"""The footer and safety-link data every page receives from the generator's settings."""

from generator.render.pages import with_page_template
from generator.render.site_info import SiteInfo, footer_meta, page_heading, safety_link

PAGES = {
    "about.md": "---\ntitle: About this site\n---\n\n# About\n",
    "safety/doctor.md": "Intro line\n\n# When to see a doctor\n\nText.\n",
}
SITE = SiteInfo("Runners' Lab", "https://lab.example.org/", "about.md", "safety/doctor.md", ("relief",))


def test_footer_links_only_pages_that_exist_and_only_http_addresses():
    assert footer_meta(SITE, PAGES) == {
        "publisher": "Runners' Lab",
        "publisher_url": "https://lab.example.org/",
        "about_url": "about/",
        "methodology_url": "methodology/",
    }
    missing = SiteInfo("X", "javascript:alert(1)", "nowhere.md")
    assert footer_meta(missing, PAGES)["about_url"] == ""
    assert footer_meta(missing, PAGES)["publisher_url"] == ""


def test_safety_link_for_claims_in_the_safety_topics_only():
    assert safety_link(SITE, "relief", PAGES) == {"url": "safety/doctor/", "title": "When to see a doctor"}
    assert safety_link(SITE, "causes", PAGES) is None
    assert safety_link(SiteInfo(safety_topics=("relief",)), "relief", PAGES) is None


def test_page_heading_prefers_front_matter_title():
    assert page_heading(PAGES["about.md"]) == "About this site"
    assert page_heading("no heading here") == ""


def test_hand_written_pages_carry_the_site_data_as_json_lines():
    import yaml

    text = with_page_template(PAGES["about.md"], {"ev_site": {"publisher": "a: b # c"}})
    front = yaml.safe_load(text.split("---\n")[1])
    assert front == {"template": "evidence/page.html", "title": "About this site", "ev_site": {"publisher": "a: b # c"}}
    bare = yaml.safe_load(with_page_template("# Hi\n", {"ev_site": {"x": "yes"}}).split("---\n")[1])
    assert bare["ev_site"] == {"x": "yes"}
