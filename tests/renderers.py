"""Building a project with each renderer of mkdocs.yml, and reading what the built HTML links to.

MkDocs and ProperDocs run the evidence plugin; Zensical runs no plugins, so its path is
`evidence build` and then `zensical build`. A plain module so that test modules and the browser
suite's conftest can import it.
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RENDERERS = ("mkdocs", "properdocs", "zensical")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


class RendererFailed(AssertionError):
    pass


def copy_real_site(root: Path, *, site_url: str = "") -> Path:
    """This repository's site (config, overrides, content, bibliography) in `root`, optionally at `site_url`."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("content", "site-overrides"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "references.bib", root / "references.bib")
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    if site_url:
        config = re.sub(r"^site_url:.*\n", "", config, flags=re.MULTILINE)
        config = f"site_url: {site_url}\n" + config
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    (root / ".generated").mkdir(exist_ok=True)
    return root


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=ENV)
    if result.returncode != 0:
        raise RendererFailed(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def build_with(renderer: str, root: Path, site_dir: Path) -> Path:
    """Build the project in `root` into `site_dir` with one renderer, the way its README section says."""
    config = root / "mkdocs.yml"
    if renderer in ("mkdocs", "properdocs"):
        _run([sys.executable, "-m", renderer, "build", "--strict", "-f", str(config), "-d", str(site_dir)], root)
    elif renderer == "zensical":
        _run([str(BIN / "evidence"), "build", "-f", str(config)], root)
        # Zensical has no --site-dir: a copy of the configuration beside it names the folder.
        text = config.read_text(encoding="utf-8")
        zensical_config = root / ".zensical-test.yml"
        zensical_config.write_text(re.sub(r"^site_dir:.*$", f"site_dir: {site_dir}", text, flags=re.MULTILINE), encoding="utf-8")
        _run([str(BIN / "zensical"), "build", "--clean", "-f", str(zensical_config)], root)
    else:
        raise ValueError(renderer)
    return site_dir


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        for name in ("href", "src"):
            if attributes.get(name) is not None:
                self.links.append((tag, name, attributes[name]))


def html_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def page_links(site: Path, page: str) -> tuple[list[tuple[str, str, str]], set[str]]:
    parser = _Links()
    parser.feed((site / page).read_text(encoding="utf-8"))
    return parser.links, parser.ids


def resolve(page: str, href: str) -> tuple[str, str] | None:
    """A relative link on `page` as (path from the site root, fragment); None for other links.

    The path starts with '..' when the link climbs above the site root.
    """
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("/"):
        return None
    if not parts.path:
        return page, parts.fragment
    folder = posixpath.dirname(page)
    target = posixpath.normpath(posixpath.join(folder, unquote(parts.path)))
    if parts.path.endswith("/") or target in (".", ""):
        target = (target.rstrip("/") + "/index.html").removeprefix("./")
    return target, parts.fragment


def link_targets(site: Path, page: str) -> set[str]:
    """Every page and anchor the page's anchors lead to, ignoring the renderer's own skip links and assets."""
    targets = set()
    for tag, _, href in page_links(site, page)[0]:
        resolved = resolve(page, href) if tag == "a" else None
        if resolved is None or resolved[1].startswith("__"):
            continue
        path, fragment = resolved
        targets.add(path + ("#" + fragment if fragment else ""))
    return targets
