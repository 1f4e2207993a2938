"""A fixture site whose claims and bibliography hold markup, quotes, ampersands and bidi marks, and the check
that none of it became markup in the built HTML. Shared by the build tests and the renderer tests.
"""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# No bidi marks here: in claim files they are an error (EV131); the bibliography below carries them.
HOSTILE = '<script>alert("x")</script> & "quoted" </script><img src=x onerror=alert(1)>'

BIB = r"""
@article{trial2020,
  author = {M{\"u}ller, J{\'e}r{\^o}me and Smith, Ann},
  title = {A {RCT} of d'{\'E}cologie: 50% of runners [x](javascript:alert(1)) </script><script>alert(1)</script>},
  journaltitle = {Journal of Cramps},
  date = {2020-05-01},
  doi = {10.1000/abc.123},
  studytype = {rct}
}
@article{review2019,
  author = {Doe, Jane},
  title = {A systematic review},
  journal = {Reviews},
  year = {2019},
  studytype = {systematic-review}
}
@online{blog,
  title = {Popular blog <b onmouseover="alert(1)">post</b> ‮evil‬},
  organization = {Blog Co},
  url = {https://example.org/post?a=1&b=2},
  unknown = {year},
  studytype = {web-article}
}
"""

CLAIM_A = """---
claim: Salt prevents cramps.
topic: prevention
tags: [salt, 'TAG-HOSTILE']
reviewed: 2026-01-10
evidence:
  - source: blog
    stance: supports
    cites: [trial2020]
    note: Says salt helps.
  - source: trial2020
    stance: contradicts
    participants: 40
    locator: p. 3
    note: 'NOTE-HOSTILE'
    indirect: lab cramps
opposes: [salt-does-not-prevent-cramps]
---
Salt was tested [@trial2020, p. 3] and popular sources disagree [@blog].
"""

CLAIM_B = """---
claim: Salt does not prevent cramps.
topic: prevention
reviewed: 2026-01-10
evidence:
  - source: review2019
    stance: supports
    participants: 900
---
A review found no effect [@review2019].
"""

CLAIM_HOSTILE = """---
claim: 'CLAIM-HOSTILE'
topic: causes
reviewed: 2026-01-10
evidence:
  - source: review2019
    stance: supports
    participants: 900
    note: plain
---
Body text with `<script>` in code only.
"""


def _yaml_quoted(text: str) -> str:
    return text.replace("'", "''")


#: Hand-written pages of the real site that mkdocs.yml links to; the fixture needs them to build strictly.
SITE_PAGES = ("about", "when-to-see-a-doctor", "medicines-and-conditions", "night-cramps-and-exercise-cramps", "how-common-are-cramps")


def write_hostile_site(root: Path) -> Path:
    """The repository's mkdocs.yml and overrides with three hostile claims and a hostile bibliography."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    shutil.copytree(REPO / "site-overrides", root / "site-overrides")
    (root / ".generated").mkdir()
    (root / "references.bib").write_text(BIB, encoding="utf-8")
    files = {
        "content/index.md": "# Home\n\n<!-- evidence:summary -->\n",
        "content/contributing.md": "# Contributing\n\n<!-- evidence:rules -->\n",
        # Pages that mkdocs.yml names in its nav and in the evidence settings (about_page, safety_page).
        **{f"content/{name}.md": f"# {name}\n" for name in SITE_PAGES},
        "content/claims/prevention/salt-prevents-cramps.md": CLAIM_A.replace("NOTE-HOSTILE", _yaml_quoted(HOSTILE)).replace("TAG-HOSTILE", _yaml_quoted('<i>tag</i> & "q"')),
        "content/claims/prevention/salt-does-not-prevent-cramps.md": CLAIM_B,
        "content/claims/causes/hostile-claim.md": CLAIM_HOSTILE.replace("CLAIM-HOSTILE", _yaml_quoted(HOSTILE)),
    }
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    return root


class _Elements(HTMLParser):
    """Every element and attribute the browser would build, and the text of every script."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        # JSON-LD is data, not code: its own test checks that it parses and stays closed.
        self._in_script = tag == "script" and dict(attrs).get("type") != "application/ld+json"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def assert_no_markup_from_data(site: Path) -> None:
    """No element, attribute or script in the built site comes from the hostile data; the data shows as text."""
    for path in site.rglob("*.html"):
        parser = _Elements()
        parser.feed(path.read_text(encoding="utf-8"))
        for tag, attrs in parser.tags:
            assert tag != "img" or attrs.get("src") != "x", path
            assert not [name for name in attrs if name.startswith("on")], (path, tag, attrs)
            for name in ("href", "src"):
                value = (attrs.get(name) or "").strip().lower()
                assert not value.startswith(("javascript:", "data:")), (path, tag, attrs)
        assert not [s for s in parser.scripts if "alert(" in s], path
    claim = (site / "claims/causes/hostile-claim/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert" in claim
    citing_blog = (site / "claims/prevention/salt-prevents-cramps/index.html").read_text(encoding="utf-8")
    assert "\u202e" in citing_blog  # the bibliography's bidi mark is shown as text, not dropped
