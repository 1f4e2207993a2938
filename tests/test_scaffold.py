"""`evidence init`: a new site that checks and builds at once, never overwriting a file; the generated
home page; and the plugin's refusal of a configuration without the Markdown extensions the pages need."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.render.markdown_extensions import REQUIRED, missing_extensions
from generator.scaffold import STARTER_FILES, topics_from_titles

from projects import TODAY, make_tree, run_cli
from renderers import RENDERERS, build_with, html_pages

#: A name with Markdown that would become a link or emphasis if written into Markdown as it is.
HOSTILE_NAME = "Caffeine & 'endurance' [x](javascript:alert(1)) *bold*"

DISPUTED_CLAIM = """\
---
claim: Caffeine <b>before</b> a race improves a 10 km time.
topic: caffeine
reviewed: 2026-10-01
evidence:
  - source: example2024
    stance: supports
    participants: 120
  - source: trial2021
    stance: contradicts
    participants: 120
opposes: [caffeine-does-nothing-for-10-km-times]
---
Two trials disagree [@example2024; @trial2021].
"""

OPPOSING_CLAIM = """\
---
claim: Caffeine does nothing for 10 km times.
topic: caffeine
reviewed: 2026-10-01
evidence:
  - source: trial2021
    stance: supports
    participants: 120
---
One trial found no change [@trial2021].
"""

TRIAL = """
@article{trial2021,
  author    = {Trial, Tom},
  title     = {Caffeine and 10 km Times: A Crossover Trial},
  journal   = {Journal of Fixture Studies},
  year      = {2021},
  studytype = {rct}
}
"""


def init(path: Path, *args: str):
    return run_cli("init", str(path), "--today", TODAY.isoformat(), *args)


def mkdocs_build(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml")],
        capture_output=True,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )


def page(root: Path, path: str) -> str:
    return (root / "site" / path).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def new_site(tmp_path_factory) -> Path:
    """A site straight from `evidence init`, built once."""
    root = tmp_path_factory.mktemp("init") / "caffeine-site"
    result = init(root, "--name", HOSTILE_NAME, "--topic", "Caffeine", "--topic", "Side effects")
    assert result.exit_code == 0, result.output
    build = mkdocs_build(root)
    assert build.returncode == 0, build.stderr
    return root


def test_init_writes_every_starter_file_and_the_example(tmp_path):
    root = tmp_path / "new"
    result = init(root, "--topic", "Caffeine", "--topic", "Side effects")
    assert result.exit_code == 0
    files = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    assert files == set(STARTER_FILES) | {"content/claims/caffeine/example-claim.md", "content/claims/side-effects/.gitkeep"}
    assert result.output.splitlines()[-1] == f"next: mkdocs serve -f {root.as_posix()}/mkdocs.yml"
    assert "EXAMPLE" in (root / "content/claims/caffeine/example-claim.md").read_text(encoding="utf-8")
    assert "EXAMPLE" in (root / "references.bib").read_text(encoding="utf-8")
    assert yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))["site_name"] == "New"


def test_init_mkdocs_yml_has_name_topics_extensions_and_keeps_claims_out_of_the_nav(new_site):
    config = yaml.safe_load((new_site / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == HOSTILE_NAME
    assert config["docs_dir"] == ".generated" and (new_site / ".generated").is_dir()
    assert config["plugins"][0]["evidence"]["topics"] == {"caffeine": "Caffeine", "side-effects": "Side effects"}
    names = [item if isinstance(item, str) else next(iter(item)) for item in config["markdown_extensions"]]
    assert missing_extensions(names) == []
    assert "/claims/*/*.md" in config["not_in_nav"].splitlines()
    ignored = (new_site / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert {".generated/*", "site/", ".cache/"} <= set(ignored)


def test_new_site_passes_the_strict_check_its_workflow_and_hook_run(new_site):
    result = run_cli("check", "--strict", "-f", str(new_site / "mkdocs.yml"), "--today", TODAY.isoformat())
    assert (result.exit_code, result.stdout) == (0, "no problems found\n")
    workflow = yaml.safe_load((new_site / ".github/workflows/evidence.yml").read_text(encoding="utf-8"))
    steps = [step.get("run", "") for step in workflow["jobs"]["site"]["steps"]]
    assert "evidence check --strict --format github" in steps and "mkdocs build --strict" in steps
    hooks = yaml.safe_load((new_site / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert hooks["repos"][0]["hooks"][0]["entry"] == "evidence check --strict"


def test_new_site_builds_its_pages_without_letting_the_name_become_markup(new_site):
    home = page(new_site, "index.html")
    claim = page(new_site, "claims/caffeine/example-claim/index.html")
    assert "<td>Claims</td>" in home
    assert "This example claim shows how a claim file is written." in claim
    for text in (home, claim):
        assert 'href="javascript:' not in text and "<em>bold</em>" not in text
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", home).group(1)
    assert html.unescape(re.sub(r"<a class=\"headerlink\".*", "", heading)) == HOSTILE_NAME
    assert (new_site / "site/claims/side-effects/index.html").is_file()


def test_new_site_has_the_theme_layout_without_listing_it_in_mkdocs_yml(new_site):
    claim = page(new_site, "claims/caffeine/example-claim/index.html")
    json_ld = re.findall(r'<script type="application/ld\+json">(.*?)</script>', claim, re.DOTALL)
    assert [json.loads(item)["@type"] for item in json_ld] == ["ClaimReview"]
    index = page(new_site, "claims/index.html")
    for text in (claim, index):
        assert '<link rel="stylesheet" href="../' in text and "assets/evidence/evidence.css" in text
    assert re.search(r'<script src="\.\./assets/evidence/claims-index\.js"', index)
    assert (new_site / "site/assets/evidence/evidence.css").is_file() and (new_site / "site/assets/evidence/claims-index.js").is_file()
    config = (new_site / "mkdocs.yml").read_text(encoding="utf-8")
    assert "extra_css" not in config and "extra_javascript" not in config


def test_init_never_overwrites_and_says_what_it_skipped(tmp_path):
    root = make_tree(tmp_path / "site", {"mkdocs.yml": "site_name: Mine\n", "references.bib": "% mine\n", "content": b""})
    (root / "content").unlink()
    (root / "content").mkdir()
    (root / "content/index.md").write_text("# My home\n", encoding="utf-8")
    result = init(root)
    assert result.exit_code == 0
    assert (root / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: Mine\n"
    assert (root / "references.bib").read_text(encoding="utf-8") == "% mine\n"
    assert (root / "content/index.md").read_text(encoding="utf-8") == "# My home\n"
    skipped = sorted(line.split(": ")[0] for line in result.output.splitlines() if line.startswith("skipped "))
    assert skipped == [f"skipped {root.as_posix()}/{p}" for p in ("content/index.md", "mkdocs.yml", "references.bib")]
    assert f"created {root.as_posix()}/README.md" in result.output
    again = init(root)
    assert "created" not in again.output
    assert again.output.count("skipped ") == len(STARTER_FILES) + 1


def test_init_refuses_topics_that_share_a_folder_and_names_it_cannot_print(tmp_path):
    result = run_cli("init", str(tmp_path / "x"), "--topic", "Side effects", "--topic", "side-effects!")
    assert result.exit_code == 2 and "would share the folder 'side-effects'" in result.output
    result = run_cli("init", str(tmp_path / "y"), "--name", " \t")
    assert result.exit_code == 2 and "site name must not be empty" in result.output
    result = run_cli("init", str(tmp_path / "z"), "--name", "Cramps <script>alert(1)</script>")
    assert result.exit_code == 2 and 'the site name must not contain <, > or "' in result.output
    result = run_cli("init", str(tmp_path / "w"), "--topic", 'Salt "tablets"')
    assert result.exit_code == 2 and 'a topic title must not contain <, > or "' in result.output
    assert not any((tmp_path / name).exists() for name in "xyzw")
    (tmp_path / "a-file").write_text("mine\n", encoding="utf-8")
    result = run_cli("init", str(tmp_path / "a-file"))
    assert result.exit_code == 2 and "is a file" in result.output
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "mine\n"


def test_topic_ids_are_made_from_titles():
    assert topics_from_titles(["Risk factors", "Vitamin D"]) == {"risk-factors": "Risk factors", "vitamin-d": "Vitamin D"}


def test_without_topics_a_new_site_starts_with_one_general_topic(tmp_path):
    assert init(tmp_path / "plain").exit_code == 0
    config = yaml.safe_load((tmp_path / "plain/mkdocs.yml").read_text(encoding="utf-8"))
    assert config["plugins"][0]["evidence"]["topics"] == {"general": "General"}
    assert (tmp_path / "plain/content/claims/general/example-claim.md").is_file()


def test_generated_home_page_has_counts_most_disputed_claims_and_topics(tmp_path):
    root = tmp_path / "site"
    assert init(root, "--name", "Caffeine", "--topic", "Caffeine", "--topic", "Side effects").exit_code == 0
    (root / "content/index.md").unlink()
    with (root / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write(TRIAL)
    make_tree(
        root,
        {
            "content/claims/caffeine/caffeine-improves-10-km-times.md": DISPUTED_CLAIM,
            "content/claims/caffeine/caffeine-does-nothing-for-10-km-times.md": OPPOSING_CLAIM,
        },
    )
    build = mkdocs_build(root)
    assert build.returncode == 0, build.stderr
    assert "Documentation built" in build.stderr and 'not included in the "nav"' not in build.stderr
    home = page(root, "index.html")
    body = home.split('<article class="md-content__inner md-typeset">')[1].split("</article>")[0]
    assert re.search(r"<td>Claims</td>\s*<td[^>]*>3</td>", body)
    disputed = body.split('id="where-sources-disagree-most"')[1].split("<h2")[0]
    links = [(href, html.unescape(text)) for href, text in re.findall(r'<a href="([^"]+)">([^<]*)</a>', disputed)]
    assert links[0] == ("claims/caffeine/caffeine-improves-10-km-times/", "Caffeine <b>before</b> a race improves a 10 km time.")
    assert ("disputes/", "Every claim where sources disagree (1)") in links and len(links) == 2
    topics = body.split('id="topics"')[1]
    assert '<a href="claims/caffeine/">Caffeine</a>: 3 claims' in topics
    assert '<a href="claims/side-effects/">Side effects</a>: 0 claims' in topics


def test_a_missing_markdown_extension_is_a_configuration_error_with_the_fix(tmp_path):
    root = tmp_path / "site"
    assert init(root).exit_code == 0
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config.replace("  - attr_list\n", ""), encoding="utf-8")
    result = mkdocs_build(root)
    assert result.returncode == 1
    assert "evidence: configuration error (EV401): mkdocs.yml lacks Markdown extension(s)" in result.stderr
    assert f"  - attr_list: without it {REQUIRED['attr_list']}" in result.stderr
    assert "Fix: add them to the `markdown_extensions:` list in mkdocs.yml:\nmarkdown_extensions:\n  - attr_list" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (root / "site").exists()


def test_evidence_build_reports_a_missing_extension_too_for_renderers_without_the_plugin(tmp_path):
    root = tmp_path / "site"
    assert init(root).exit_code == 0
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config.replace("  - md_in_html\n", ""), encoding="utf-8")
    result = run_cli("build", "-f", str(root / "mkdocs.yml"))
    assert result.exit_code == 2
    assert result.output.startswith("evidence: configuration error (EV401): mkdocs.yml lacks Markdown extension(s) the generated pages need:\n  - md_in_html:")
    assert not list((root / ".generated").glob("*.md"))
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    assert run_cli("build", "-f", str(root / "mkdocs.yml")).exit_code == 0


def test_extension_names_count_in_either_spelling():
    assert missing_extensions(["markdown.extensions.toc", "tables", "attr_list", "md_in_html"]) == []
    assert missing_extensions(["toc", "tables"]) == ["attr_list", "md_in_html"]


def test_a_new_site_builds_the_same_pages_with_every_renderer(tmp_path):
    """MkDocs and ProperDocs run the plugin; Zensical runs `evidence build` first (README, Renderers)."""
    root = tmp_path / "site"
    assert init(root, "--topic", "Caffeine", "--topic", "Side effects").exit_code == 0
    (root / "content/index.md").unlink()
    sites = {renderer: build_with(renderer, root, root / f"site-{renderer}") for renderer in RENDERERS}  # Zensical: inside the project
    pages = {renderer: html_pages(site) for renderer, site in sites.items()}
    assert pages["mkdocs"] == pages["properdocs"] == pages["zensical"]
    assert {"index.html", "claims/caffeine/example-claim/index.html", "claims/side-effects/index.html"} <= set(pages["mkdocs"])
    for renderer, site in sites.items():
        claim = (site / "claims/caffeine/example-claim/index.html").read_text(encoding="utf-8")
        json_ld = re.findall(r'<script type="application/ld\+json">(.*?)</script>', claim, re.DOTALL)
        assert [json.loads(item)["@type"] for item in json_ld] == ["ClaimReview"], renderer
        assert "assets/evidence/evidence.css" in (site / "index.html").read_text(encoding="utf-8"), renderer


def test_most_disputed_puts_even_splits_and_research_disputes_first():
    from types import SimpleNamespace

    from generator.disputes import DisputeKind
    from generator.render.home import most_disputed

    def view(claim_id, supports, contradicts, kind):
        sides = SimpleNamespace(supports=(None,) * supports, contradicts=(None,) * contradicts, kind=kind)
        return SimpleNamespace(id=claim_id, sides=sides)

    views = [
        view("one-against-five", 5, 1, DisputeKind.WITHIN_RESEARCH),
        view("myth", 2, 2, DisputeKind.POPULAR_VS_RESEARCH),
        view("open-question", 2, 2, DisputeKind.WITHIN_RESEARCH),
        view("three-each", 3, 3, DisputeKind.WITHIN_POPULAR),
    ]
    model = SimpleNamespace(disputed=views)
    assert [v.id for v in most_disputed(model)] == ["three-each", "open-question", "myth", "one-against-five"]
    assert [v.id for v in most_disputed(model, limit=2)] == ["three-each", "open-question"]
