"""Bibliographies in the shapes people keep them: Better BibTeX, Zotero, JabRef, classic BibTeX,
biblatex's own features, and one file of mistakes.

Each `fixtures/bibliographies/<shape>.bib` comes with `<shape>.cited` (the keys claims cite) and
two golden files: the diagnostics `evidence check --verbose` prints for it, and the cited
references as formatted for the site. Regenerate after an intended change with
`UPDATE_GOLDEN=1 pytest tests/test_bibliography_shapes.py` and review the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from generator.loaders.bibliography import parse_bibliography
from generator.render.csl import csl_item, format_references
from generator.report import format_text

from projects import FIXTURES

SHAPES = sorted((FIXTURES / "bibliographies").glob("*.bib"))
LATEX_LEFT_OVER = re.compile(r"[\\{}$`~^]|--")


def load(bib_file: Path):
    cited = bib_file.with_suffix(".cited").read_text(encoding="utf-8").split()
    return parse_bibliography(bib_file.read_text(encoding="utf-8"), bib_file.name), cited


def formatted_references(bibliography, cited: list[str]) -> str:
    references = [bibliography.references[key] for key in cited if key in bibliography.references]
    formatted, _ = format_references([csl_item(r) for r in references], {})
    lines = []
    for reference in references:
        result = formatted[reference.key]
        lines += [reference.key, f"  label: {result.label}", f"  entry: {result.entry_html}"]
        lines += [f"  link:  {link}" for link in (reference.url, reference.doi and f"https://doi.org/{reference.doi}") if link]
    return "\n".join(lines) + "\n"


def check_golden(path: Path, actual: str) -> None:
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("bib_file", SHAPES, ids=lambda path: path.stem)
def test_diagnostics_match_golden(bib_file: Path):
    bibliography, cited = load(bib_file)
    check_golden(bib_file.with_suffix(".diagnostics.txt"), format_text(sorted(bibliography.problems(cited)), verbose=True))


@pytest.mark.parametrize("bib_file", SHAPES, ids=lambda path: path.stem)
def test_formatted_references_match_golden(bib_file: Path):
    bibliography, cited = load(bib_file)
    check_golden(bib_file.with_suffix(".references.txt"), formatted_references(bibliography, cited))


@pytest.mark.parametrize("bib_file", [path for path in SHAPES if path.stem != "mistakes"], ids=lambda path: path.stem)
def test_real_world_shapes_load_without_errors_and_render_without_latex(bib_file: Path):
    bibliography, cited = load(bib_file)
    assert [d for d in bibliography.problems(cited) if d.severity == "error"] == []
    assert set(cited) <= set(bibliography.references)
    formatted, _ = format_references([csl_item(bibliography.references[key]) for key in cited], {})
    for key in cited:
        text = re.sub(r"<[^>]+>", "", formatted[key].entry_html)
        assert not LATEX_LEFT_OVER.search(text), (key, text)
        assert not LATEX_LEFT_OVER.search(formatted[key].label), (key, formatted[key].label)


def _library_entry(number: int) -> str:
    """One entry of a large Better BibTeX library, in one of its usual shapes, with no studytype."""
    shapes = [
        "@article{{author{n}Title{n}2020,\n  title = {{Findings {{{{Number}}}} {n}: {{$\\alpha$}}-Waves and {{\\mbox{{EMG}}}}}},\n  author = {{Author{n}, Anna and {{van der}} Berg, Piet and others}},\n  date = {{2020-0{m}}},\n  journaltitle = {{Journal {n}}},\n  doi = {{10.5555/j.{n}}},\n  file = {{/home/editor/Zotero/storage/{n}/paper.pdf}},\n  keywords = {{a,b}}\n}}\n",
        "@book{{editor{n}Book{n}2019,\n  title = {{Book {n}}},\n  editor = {{Editor{n}, Ed}},\n  date = {{2019}},\n  publisher = {{Press {n}}},\n  location = {{City}}\n}}\n",
        "@inproceedings{{speaker{n}Talk{n}2018,\n  title = {{Talk {n}}},\n  author = {{Speaker{n}, Sam}},\n  crossref = {{editor{p}Book{p}2019}},\n  pages = {{1--9}}\n}}\n",
        "@online{{site{n}Page{n}2021,\n  title = {{Page {n}}},\n  url = {{https://example.org/{n}}},\n  urldate = {{2024-01-01}},\n  organization = {{Site {n}}}\n}}\n",
        "@thesis{{student{n}Thesis{n}2017,\n  title = {{Thesis {n}}},\n  author = {{Student{n}, Sue}},\n  date = {{2017}},\n  institution = {{University {n}}},\n  type = {{phdthesis}}\n}}\n",
        "@misc{{incomplete{n},\n  title = {{An entry missing nearly everything {n}}},\n  note = {{kept in the library for later}}\n}}\n",
    ]
    return shapes[number % len(shapes)].format(n=number, m=number % 9 + 1, p=number - number % 6 + 1)


def test_a_library_of_thousands_passes_with_studytype_only_on_cited_entries(make_project):
    from projects import CLAIM_MD, CLAIM_PATH, check_project

    library = "".join(_library_entry(n) for n in range(3000))
    cited = library.replace("@article{author6Title62020,\n", "@article{author6Title62020,\n  studytype = {rct},\n", 1)
    claim = CLAIM_MD.replace("smith2020stretching", "author6Title62020")
    result = check_project(make_project({CLAIM_PATH: claim, "references.bib": cited}), "--strict")
    assert (result.exit_code, result.stdout) == (
        0,
        "references.bib: EV301 info: 2,999 like this, the first: `author0Title02020` is not cited by any claim; --verbose lists each [unused-reference]\nno problems found\n",
    )
