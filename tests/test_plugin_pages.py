"""A one-off `mkdocs build` forks: its build step, and the rendering of its later pages. The same site, byte for byte.

The builds run as `mkdocs build` in a fresh interpreter (pytest's workers run threads, and with
another thread running nothing forks), on a synthetic project big enough to fork for.
"""

from __future__ import annotations

import filecmp
import logging
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from generator import background
from generator.plugin_pages import MIN_PAGES, PLACEHOLDER_TEMPLATE, ChildConversions, ChildPages

from projects import CLAIM_MD, CLAIM_PATH, MKDOCS_YML, REFERENCES_BIB

ROOT = Path(__file__).resolve().parent.parent
TWO_CPUS = sys.platform == "linux" and len(os.sched_getaffinity(0)) > 1
CHILD_LINE = "pages render in a forked child"
FAILED_CHILD_LINE = "the forked child failed: its pages render in this process"
CONVERTING_CHILD_LINE = "pages convert in a forked child"
FAILED_CONVERTING_CHILD_LINE = "the forked child converting Markdown failed: its pages converted in this process"
TOOK_CONVERSIONS = re.compile(r"(\d+) of (\d+) pages took the forked child's conversion")


def _conversions_taken(stderr: str) -> tuple[int, int]:
    """(pages that took the child's conversion, pages the child converted), from the build's debug log."""
    (found,) = TOOK_CONVERSIONS.findall(stderr)
    return int(found[0]), int(found[1])


#: Test hooks, by CHILD_HOOK: "die" kills the rendering child at its first page, "warn" logs one
#: warning there; "die-converting" kills the converting child at its first page, "broken-link" gives
#: the last page a link MkDocs warns about while converting it, and "differ" makes each page's
#: Markdown name the process that read it.
HOOKS = """\
import logging, os

PARENT = os.getpid()
warned = False
last_page = None


def on_files(files, config):  # not on_nav: the converting child forks there, maybe before this hook runs
    global last_page
    last_page = files.documentation_pages()[-1].src_uri
    return files


def on_page_markdown(markdown, page, config, files):
    hook = os.environ.get("CHILD_HOOK")
    if hook == "die-converting" and os.getpid() != PARENT:
        os._exit(3)
    if hook == "broken-link" and page.file.src_uri == last_page:
        return markdown + "\\n\\nSee [the missing page](no-such-page.md).\\n"
    if hook == "differ":
        return markdown + "\\n\\nRead in the " + ("parent" if os.getpid() == PARENT else "child") + ".\\n"
    return markdown


def on_post_page(output, page, config):
    global warned
    if os.getpid() != PARENT:
        if os.environ.get("CHILD_HOOK") == "die":
            os._exit(3)
        if os.environ.get("CHILD_HOOK") == "warn" and not warned:
            warned = True
            logging.getLogger("mkdocs.hooks").warning("a warning from the child, for " + page.file.src_uri)
    return output
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("forked-pages")
    subprocess.run([sys.executable, str(ROOT / "bench" / "synth.py"), str(root), "--claims", "260", "--refs", "120"], check=True, capture_output=True, timeout=120)
    (root / "hooks.py").write_text(HOOKS, encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nhooks:\n  - hooks.py\n", encoding="utf-8")
    return root


def _build(root: Path, site: Path, *, one_process: bool = False, hook: str = "", renderer: str = "mkdocs") -> subprocess.CompletedProcess:
    env = {**os.environ, "CHILD_HOOK": hook, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("EVIDENCE_ONE_PROCESS", None)
    if one_process:
        env["EVIDENCE_ONE_PROCESS"] = "1"
    command = [sys.executable, "-m", renderer, "build", "--strict", "-v", "-f", str(root / "mkdocs.yml"), "-d", str(site)]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=300)


def _same_tree(left: Path, right: Path) -> list[str]:
    """Paths that differ between two built sites, by content, or that only one of them has."""
    names = {p.relative_to(left) for p in left.rglob("*") if p.is_file()} | {p.relative_to(right) for p in right.rglob("*") if p.is_file()}
    return sorted(str(n) for n in names if not ((left / n).is_file() and (right / n).is_file() and filecmp.cmp(left / n, right / n, shallow=False)))


@pytest.fixture(scope="module")
def one_process_site(project) -> Path:
    site = project.parent / (project.name + "-site-one")
    result = _build(project, site, one_process=True)
    assert result.returncode == 0, result.stderr
    assert CHILD_LINE not in result.stderr
    return site


@pytest.mark.skipif(not TWO_CPUS, reason="forks only on Linux with two CPUs or more")
def test_the_site_built_with_the_child_is_byte_identical_to_one_built_in_one_process(project, one_process_site):
    site = project.parent / (project.name + "-site-two")
    result = _build(project, site)
    assert result.returncode == 0, result.stderr
    assert CHILD_LINE in result.stderr and FAILED_CHILD_LINE not in result.stderr
    assert CONVERTING_CHILD_LINE in result.stderr and FAILED_CONVERTING_CHILD_LINE not in result.stderr
    taken, converted = _conversions_taken(result.stderr)
    assert taken == converted >= MIN_PAGES // 2
    pages = len(list(site.rglob("index.html")))
    assert pages >= MIN_PAGES
    assert (site / "search" / "search_index.json").is_file()
    assert _same_tree(one_process_site, site) == []


@pytest.mark.skipif(not TWO_CPUS, reason="forks only on Linux with two CPUs or more")
def test_when_the_child_dies_its_pages_render_here_and_the_site_is_the_same(project, one_process_site):
    site = project.parent / (project.name + "-site-died")
    result = _build(project, site, hook="die")
    assert result.returncode == 0, result.stderr
    assert CHILD_LINE in result.stderr
    assert result.stderr.count(FAILED_CHILD_LINE) == 1
    assert _same_tree(one_process_site, site) == []


@pytest.mark.skipif(not TWO_CPUS, reason="forks only on Linux with two CPUs or more")
def test_when_the_converting_child_dies_its_pages_convert_here_and_the_site_is_the_same(project, one_process_site):
    site = project.parent / (project.name + "-site-died-converting")
    result = _build(project, site, hook="die-converting")
    assert result.returncode == 0, result.stderr
    assert result.stderr.count(FAILED_CONVERTING_CHILD_LINE) == 1
    assert _conversions_taken(result.stderr)[0] == 0
    assert _same_tree(one_process_site, site) == []


@pytest.mark.skipif(not TWO_CPUS, reason="forks only on Linux with two CPUs or more")
def test_a_page_whose_markdown_here_differs_from_the_childs_is_converted_here(project):
    site = project.parent / (project.name + "-site-differ")
    result = _build(project, site, hook="differ")
    assert result.returncode == 0, result.stderr
    assert _conversions_taken(result.stderr)[0] == 0
    pages = [path.read_text(encoding="utf-8") for path in site.rglob("index.html")]
    assert len(pages) >= MIN_PAGES
    assert sum("Read in the parent." in page for page in pages) == len(pages)
    assert not any("Read in the child." in page for page in pages)


@pytest.mark.skipif(not TWO_CPUS, reason="forks only on Linux with two CPUs or more")
@pytest.mark.parametrize("renderer", ["mkdocs", "properdocs"])
def test_a_warning_from_converting_a_page_in_the_child_is_logged_here_once_and_fails_strict(project, renderer):
    result = _build(project, project.parent / (project.name + f"-site-broken-link-{renderer}"), hook="broken-link", renderer=renderer)
    assert result.returncode == 1
    taken, converted = _conversions_taken(result.stderr)
    assert taken == converted  # the last page too: its warning came from the child
    assert result.stderr.count("contains a link 'no-such-page.md'") == 1
    assert "Aborted with 1 warnings in strict mode" in result.stdout


@pytest.mark.skipif(not TWO_CPUS, reason="forks only on Linux with two CPUs or more")
@pytest.mark.parametrize("renderer", ["mkdocs", "properdocs"])
def test_a_warning_logged_in_the_child_is_logged_here_once_and_fails_strict(project, renderer):
    result = _build(project, project.parent / (project.name + f"-site-warned-{renderer}"), hook="warn", renderer=renderer)
    assert result.returncode == 1
    assert CHILD_LINE in result.stderr
    assert result.stderr.count("a warning from the child, for ") == 1
    assert "Aborted with 1 warnings in strict mode" in result.stdout


@pytest.mark.skipif(not TWO_CPUS, reason="forks only on Linux with two CPUs or more")
def test_content_errors_found_by_the_forked_build_step_stop_the_build_once_and_leave_the_site(make_project):
    broken = CLAIM_MD.replace("stance: contradicts", "stance: refutes")
    root = make_project({CLAIM_PATH: broken, "references.bib": REFERENCES_BIB}, config=MKDOCS_YML.replace("plugins:", "theme:\n  name: evidence\nplugins:"))
    (root / ".generated").mkdir()
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("the last good build", encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("EVIDENCE_ONE_PROCESS", None)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.count("the content has errors; nothing was built") == 1
    assert result.stderr.count("EV111") == 1 and "refutes" in result.stderr
    assert "Traceback" not in result.stderr
    assert (root / "site" / "index.html").read_text(encoding="utf-8") == "the last good build"
    assert list((root / ".generated").iterdir()) == []


def _page(src_uri: str, template: str | None) -> SimpleNamespace:
    return SimpleNamespace(file=SimpleNamespace(src_uri=src_uri, abs_dest_path=f"/site/{src_uri}.html"), meta={} if template is None else {"template": template})


def test_pages_left_to_the_child_get_the_placeholder_and_the_null_device_until_the_build_ends(caplog):
    claim, plain = _page("claims/a.md", "evidence/claim.html"), _page("about.md", None)
    warnings = [("mkdocs.hooks", logging.WARNING, "from the child")]
    pages = ChildPages([claim, plain], background.start(lambda: warnings, fork=False))
    assert claim.meta["template"] == plain.meta["template"] == PLACEHOLDER_TEMPLATE
    assert claim.file.abs_dest_path == plain.file.abs_dest_path == os.devnull
    assert len(pages) == 2 and pages.owns(claim)
    with caplog.at_level(logging.WARNING):
        assert pages.rendered_by_child(claim)
        assert pages.rendered_by_child(plain)
    assert [r.getMessage() for r in caplog.records] == ["from the child"]  # logged once, not once a page
    assert claim.meta == {"template": "evidence/claim.html"} and plain.meta == {}
    assert claim.file.abs_dest_path == os.devnull  # MkDocs writes the placeholder's output after the hook
    pages.close()
    assert claim.file.abs_dest_path == "/site/claims/a.md.html" and plain.file.abs_dest_path == "/site/about.md.html"
    assert not pages.owns(claim)


def test_when_the_child_fails_every_page_gets_its_own_template_and_path_back():
    claim, plain = _page("claims/a.md", "evidence/claim.html"), _page("about.md", None)
    pages = ChildPages([claim, plain], background.start(lambda: False, fork=False, fallback=False))
    assert not pages.rendered_by_child(claim)
    assert claim.meta == {"template": "evidence/claim.html"} and plain.meta == {}
    assert claim.file.abs_dest_path == "/site/claims/a.md.html" and plain.file.abs_dest_path == "/site/about.md.html"
    assert not pages.owns(plain)
    assert pages.template_of(claim) == "evidence/claim.html" and pages.template_of(plain) == "main.html"


def test_a_build_that_fails_midway_leaves_no_page_with_the_placeholder_or_the_null_device():
    claim, plain = _page("claims/a.md", "evidence/claim.html"), _page("about.md", None)
    pages = ChildPages([claim, plain], background.start(lambda: [], fork=False))
    pages.close()  # what the plugin does on a build error
    assert claim.meta == {"template": "evidence/claim.html"} and plain.meta == {}
    assert claim.file.abs_dest_path == "/site/claims/a.md.html"
    assert len(pages) == 0


class _Page:
    """Enough of MkDocs' Page for ChildConversions: its own `render` marks the page as converted here."""

    def __init__(self, src_uri: str, markdown: str):
        self.file = SimpleNamespace(src_uri=src_uri)
        self.markdown = markdown
        self.content = None

    def render(self, config, files) -> None:
        self.content = "converted here"


def test_a_page_takes_the_childs_conversion_only_for_the_markdown_the_child_converted(caplog):
    child = {
        "a.md": (
            "# A",
            {"content": "<h1>A</h1>", "toc": ["A"], "_title_from_render": "A", "present_anchor_ids": {"a"}},
            {"b.md": {"x": "b.md#x"}},
            [("mkdocs.structure.pages", logging.WARNING, "a link in a.md")],
        ),
        "b.md": ("# B as the child read it", {"content": "<h1>B</h1>", "toc": [], "_title_from_render": "B", "present_anchor_ids": set()}, None, []),
    }
    conversions = ChildConversions(["a.md", "b.md"], background.start(lambda: child, fork=False))
    same, changed, mine = _Page("a.md", "# A"), _Page("b.md", "# B as this process read it"), _Page("c.md", "# C")
    assert conversions.owns(same) and conversions.owns(changed) and not conversions.owns(mine)
    files = SimpleNamespace(get_file_from_path=lambda path: f"<File {path}>")
    for page in (same, changed):
        conversions.render_from_child(page)
    with caplog.at_level(logging.WARNING):
        same.render(None, files)
        changed.render(None, files)
    assert (same.content, same.toc, same._title_from_render, same.present_anchor_ids) == ("<h1>A</h1>", ["A"], "A", {"a"})
    assert same.links_to_anchors == {"<File b.md>": {"x": "b.md#x"}}
    assert changed.content == "converted here"
    assert [r.getMessage() for r in caplog.records] == ["a link in a.md"]
    assert "render" not in same.__dict__ and "render" not in changed.__dict__  # the class's own method again
    assert (conversions.taken, conversions.failed) == (1, False)


def test_when_the_converting_child_fails_every_page_converts_here():
    conversions = ChildConversions(["a.md"], background.start(lambda: None, fork=False, fallback=None))
    page = _Page("a.md", "# A")
    conversions.render_from_child(page)
    page.render(None, None)
    assert page.content == "converted here"
    assert (conversions.taken, conversions.failed) == (0, True)
