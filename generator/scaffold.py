"""Starting things from templates, never overwriting a file: a new site (`evidence init`) and a new
claim (`evidence new`)."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from .render.citations import markdown_text
from .render.markdown_extensions import STARTER as STARTER_EXTENSIONS
from .settings import Settings

MAX_SLUG_LENGTH = 60


class ClaimExists(Exception):
    """A claim file with that id already exists."""


def slugify(sentence: str) -> str:
    """Lowercase ASCII words joined by hyphens, cut at a word boundary."""
    ascii_text = unicodedata.normalize("NFKD", sentence).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > MAX_SLUG_LENGTH:
            break
        slug = candidate
    if not slug:
        raise ValueError("the claim must contain letters or digits")
    return slug


def one_line(sentence: str) -> str:
    """The sentence on one line, without control characters (YAML refuses them, even quoted)
    or lone surrogates (undecodable bytes in a command-line argument)."""
    words = (re.sub(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]", "", word) for word in sentence.split())
    return " ".join(word for word in words if word)


def claim_template(sentence: str, topic: str, today: dt.date) -> str:
    quoted = one_line(sentence).replace("\\", "\\\\").replace('"', '\\"')
    return (
        "---\n"
        f'claim: "{quoted}"\n'
        f"topic: {topic}\n"
        "tags: []\n"
        f"reviewed: {today.isoformat()}\n"
        "evidence:\n"
        "  - source: KEY-IN-REFERENCES-BIB\n"
        "    stance: supports   # supports | contradicts | mixed\n"
        "    note: What this source found, in one sentence.\n"
        "---\n"
        "Explain what the studies found, how large and how reliable, and their limits. Cite as [@KEY-IN-REFERENCES-BIB].\n"
    )


def write_new_claim(settings: Settings, sentence: str, topic: str, today: dt.date) -> Path:
    """Create content/claims/<topic>/<slug>.md; refuse if any claim already has that id."""
    slug = slugify(sentence)
    for existing in settings.claims_dir.glob(f"*/{slug}.md"):
        raise ClaimExists(f"{settings.rel(existing)} already exists; edit it or choose another wording")
    path = settings.claims_dir / topic / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(claim_template(sentence, topic, today))
    except FileExistsError:
        raise ClaimExists(f"{settings.rel(path)} already exists") from None
    return path


#: The folder the build step writes the site's Markdown into (mkdocs.yml's docs_dir).
GENERATED_DIR = ".generated"
#: The example claim's path under content/claims/<first topic>/.
EXAMPLE_CLAIM = "example-claim.md"
#: The theme `evidence init` configures: the package's own, which extends Material.
THEME = "evidence"
_PRINTED_AS_HTML = frozenset('<>"')
#: The topic a new site starts with when `evidence init` is given none; the site renames it in mkdocs.yml.
STARTER_TOPICS: dict[str, str] = {"general": "General"}
#: Generated pages reached from listings rather than the menu (claims, scorecards, later listing
#: pages; see urls.py), as mkdocs.yml's `not_in_nav` patterns.
NOT_IN_NAV = ("/claims/*/*.md", "/sources/*.md", "/references/*.md", "/disputes/*.md", "/tags/*.md", "/tags/*/*.md")

#: Each file of a new site and the starter template (package data in generator/starter/) it comes from.
STARTER_FILES: dict[str, str] = {
    "mkdocs.yml": "mkdocs.yml.j2",
    "README.md": "README.md.j2",
    "Makefile": "Makefile.j2",
    "requirements.txt": "requirements.txt.j2",
    ".gitignore": "gitignore.j2",
    f"{GENERATED_DIR}/.gitignore": "generated-gitignore.j2",
    ".github/workflows/evidence.yml": "github-workflow.yml.j2",
    ".pre-commit-config.yaml": "pre-commit-config.yaml.j2",
    "references.bib": "references.bib.j2",
    "content/index.md": "index.md.j2",
}


@dataclass(frozen=True)
class InitResult:
    """What `evidence init` did, as paths relative to the new site's folder."""

    written: tuple[str, ...]
    skipped: tuple[str, ...]


def topics_from_titles(titles: list[str]) -> dict[str, str]:
    """Topic ids (folder names) for topic titles, in order; refuses two titles with the same id."""
    topics: dict[str, str] = {}
    for raw_title in titles:
        title = one_line(raw_title)
        topic_id = slugify(title)
        if topic_id in topics:
            raise ValueError(f"topics {topics[topic_id]!r} and {title!r} would share the folder {topic_id!r}")
        topics[topic_id] = title
    return topics


def _yaml_text(value: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar, whatever the characters in it.
    return json.dumps(value, ensure_ascii=False)


def _yaml_item(name: str, options: Mapping) -> str:
    return f"{name}: {json.dumps(options)}" if options else name


def _starter_environment() -> Environment:
    env = Environment(
        loader=PackageLoader("generator", "starter"),
        autoescape=False,  # YAML, Markdown and Makefiles, each escaped by its own filter where data goes in
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(yaml_text=_yaml_text, markdown_text=markdown_text)
    return env


def starter_files(site_name: str, topics: Mapping[str, str], today: dt.date, version: str) -> dict[str, str]:
    """Every file of a new site as {relative path: text}; the example claim goes in the first topic."""
    if not topics:
        raise ValueError("a site needs at least one topic")
    first_topic = next(iter(topics))
    example_claim = f"content/claims/{first_topic}/{EXAMPLE_CLAIM}"
    env = _starter_environment()
    values = dict(
        site_name=one_line(site_name),
        topics=dict(topics),
        first_topic=first_topic,
        today=today.isoformat(),
        version=version,
        docs_dir=GENERATED_DIR,
        theme=THEME,
        example_claim=example_claim,
        markdown_extensions=[_yaml_item(name, options) for name, options in STARTER_EXTENSIONS],
        not_in_nav=NOT_IN_NAV,
    )
    if not values["site_name"]:
        raise ValueError("the site name must not be empty")
    for what, text in [("the site name", values["site_name"]), *(("a topic title", title) for title in topics.values())]:
        if set(text) & _PRINTED_AS_HTML:
            # Material prints the site name and the nav's titles into pages and attributes unescaped.
            raise ValueError(f'{what} must not contain <, > or " (the theme prints it as HTML): {text!r}')
    files = {path: env.get_template(template).render(values) for path, template in STARTER_FILES.items()}
    files[example_claim] = env.get_template("example-claim.md.j2").render(values)
    for topic in topics:
        if topic != first_topic:
            # Git keeps no empty folders; the loader skips dotfiles.
            files[f"content/claims/{topic}/.gitkeep"] = ""
    return files


def write_new_files(root: Path, files: Mapping[str, str]) -> InitResult:
    """Create each file under root unless something already stands at its path."""
    written, skipped = [], []
    for rel_path, text in files.items():
        path = root / rel_path
        if path.exists() or path.is_symlink():
            skipped.append(rel_path)
            continue
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        except (FileExistsError, NotADirectoryError):
            skipped.append(rel_path)  # a file, or a file where a folder should be, is already there
            continue
        written.append(rel_path)
    return InitResult(tuple(written), tuple(skipped))
