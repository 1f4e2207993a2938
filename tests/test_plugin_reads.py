"""Under MkDocs the plugin hands the build step's pages over from memory instead of reading back the files it just wrote."""

from __future__ import annotations

from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.structure.files import File

from projects import CLAIM_MD, CLAIM_PATH, MKDOCS_YML, REFERENCES_BIB

CONFIG = MKDOCS_YML.replace("plugins:", "theme:\n  name: evidence\nplugins:")


def test_generated_pages_come_from_memory_and_build_the_same_pages(make_project, monkeypatch):
    root = make_project({CLAIM_PATH: CLAIM_MD, "references.bib": REFERENCES_BIB}, config=CONFIG)
    monkeypatch.chdir(root)
    read_from_disk = []
    real_content = File.content_string

    def content_string(self):
        read_from_disk.append(self.src_uri)
        return real_content.fget(self)

    monkeypatch.setattr(File, "content_string", property(content_string))
    (root / ".generated").mkdir(exist_ok=True)  # MkDocs checks docs_dir before the plugin fills it
    config = load_config(str(root / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    mkdocs_build.build(config)
    generated = root / ".generated"
    pages = sorted(p.relative_to(generated).as_posix() for p in generated.rglob("*.md"))
    assert "claims/prevention/stretching-prevents-cramps.md" in pages
    assert read_from_disk == []
    html = (root / "site" / "claims" / "prevention" / "stretching-prevents-cramps" / "index.html").read_text(encoding="utf-8")
    assert "Static stretching before a run prevents calf cramps." in html  # the page's Markdown
    assert "Stretching made no difference to cramp rates." in html  # its JSON front matter, through the theme
