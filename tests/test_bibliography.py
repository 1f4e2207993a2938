"""loaders/bibliography.py: BibTeX and BibLaTeX as Zotero and Better BibTeX export them, and the traps of bibtexparser v2."""

from __future__ import annotations

import re

import pytest

from generator.loaders.bibliography import load_bibliography, parse_bibliography
from generator.loaders.latex import decode_latex
from generator.model import Person, StudyType, key_slug

# As Better BibTeX exports it in BibLaTeX flavour (abridged), plus the project's `studytype`.
BETTER_BIBLATEX = r"""@string{jse = {Journal of Sports Ecology}}

@article{dupont2019ecologie,
  title = {{MRI} Findings in {Runners} with Cramps: d'{\'E}cologie du Sport},
  author = {Dupont, Jean-Fran{\c c}ois and M{\"u}ller, Hans and {World Health Organization}},
  date = {2019-05-03},
  journaltitle = jse,
  shortjournal = {J. Sports Ecol.},
  volume = {12},
  number = {3},
  pages = {115--124},
  doi = {10.1234/jse.2019.0012},
  url = {https://example.org/dupont2019},
  urldate = {2024-01-02},
  abstract = {About 50% of runners report cramps; {MRI} showed no lesion.},
  file = {/Users/editor/Zotero/storage/ABCD1234/Dupont - 2019 - MRI Findings.pdf},
  keywords = {cramps,running},
  langid = {french},
  studytype = {cohort}
}

@online{who2020heat,
  title = {Heat and Health},
  author = {{World Health Organization}},
  date = {2020-06},
  url = {https://www.who.int/news-room/fact-sheets/detail/climate-change-heat-and-health},
  urldate = {2026-10-01},
  organization = {WHO},
  langid = {english},
  studytype = {web-article}
}
"""

# The same kind of entry as Zotero's own BibTeX export writes it.
ZOTERO_BIBTEX = r"""@article{muller_cramps_2018,
	title = {Muscle {Cramps} in {Marathon} {Runners}},
	volume = {40},
	issn = {0000-0000},
	url = {https://example.org/muller2018},
	doi = {10.5555/jfs.2018.40},
	abstract = {Cramps affected 39\% of finishers.},
	language = {en},
	number = {2},
	urldate = {2024-03-05},
	journal = {Journal of Fixture Studies},
	author = {M{\"u}ller, Hans and Garc{\'i}a, Mar{\'i}a},
	month = mar,
	year = {2018},
	note = {Publisher: Fixture Press},
	keywords = {cramps, marathon},
	pages = {71--75},
	file = {Full Text PDF:/home/editor/Zotero/storage/XYZ/muller.pdf:application/pdf},
	studytype = {cross-sectional},
}
"""


def parse(text: str):
    """References and every diagnostic, as if every entry were cited."""
    bibliography = parse_bibliography(text, "references.bib")
    return bibliography.references, bibliography.problems()


def test_better_bibtex_biblatex_loads_without_edits():
    references, diagnostics = parse(BETTER_BIBLATEX)
    assert diagnostics == []
    dupont = references["dupont2019ecologie"]
    assert dupont.title == "MRI Findings in Runners with Cramps: d'Écologie du Sport"
    assert dupont.year == "2019"
    assert dupont.container == "Journal of Sports Ecology"
    assert dupont.fields["shortjournal"] == "J. Sports Ecol."
    assert dupont.fields["pages"] == "115–124"
    assert dupont.fields["urldate"] == "2024-01-02"
    assert dupont.fields["file"].endswith("MRI Findings.pdf")
    assert dupont.fields["abstract"] == "About 50% of runners report cramps; MRI showed no lesion."
    assert dupont.authors == (
        Person(family="Dupont", given="Jean-François"),
        Person(family="Müller", given="Hans"),
        Person(literal="World Health Organization"),
    )
    assert dupont.study_type is StudyType.COHORT
    assert dupont.doi == "10.1234/jse.2019.0012"
    who = references["who2020heat"]
    assert who.year == "2020"
    assert who.authors == (Person(literal="World Health Organization"),)
    assert who.is_web_article and who.publisher == "WHO"


def test_zotero_bibtex_loads_without_edits():
    references, diagnostics = parse(ZOTERO_BIBTEX)
    assert diagnostics == []
    muller = references["muller_cramps_2018"]
    assert muller.title == "Muscle Cramps in Marathon Runners"
    assert muller.fields["abstract"] == "Cramps affected 39% of finishers."
    assert muller.fields["month"] == "3"
    assert [person.display for person in muller.authors] == ["Müller, Hans", "García, María"]
    assert muller.location.line == 1
    assert muller.field_lines["doi"] == 6


def test_lines_are_one_based_file_lines():
    references, _ = parse("% header\n\n@article{a,\n  title = {T},\n  year = {2020},\n}\n")
    assert references["a"].location.line == 3
    assert references["a"].field_lines == {"title": 4, "year": 5}


@pytest.mark.parametrize(
    "latex, text",
    [
        ("50% of runners", "50% of runners"),
        (r"50\% of runners", "50% of runners"),
        (r"d'{\'E}cologie", "d'Écologie"),
        (r"{\"u}ber {\ss}", "über ß"),
        (r"{MRI} and {DNA}", "MRI and DNA"),
        ("pages 1--2", "pages 1–2"),
        ("plain title", "plain title"),
    ],
)
def test_latex_is_decoded_and_percent_survives(latex, text):
    assert decode_latex(latex) == text


def test_percent_commented_entries_are_not_live():
    text = """% @article{old1, title = {Old}, year = {2001}}
%@article{old2,
%  title = {Old},
%  year = {2002},
%}
  % @string{jfs = {Journal of Fixture Studies}}
@article{live,
  author = {A, B}, title = {Live}, journal = {J}, year = {2021}, studytype = {rct},
  % year = {1999},
}
"""
    references, diagnostics = parse(text)
    assert list(references) == ["live"]
    assert references["live"].year == "2021"
    assert diagnostics == []


def test_comment_blocks_are_not_live():
    text = """@comment{
@article{old1,
  title = {Old {nested} braces},
  year = {2001},
}
}
@Comment(jabref-meta: databaseType:biblatex;)
@article{live, author = {A, B}, title = {Live}, journal = {J}, year = {2021}, studytype = {rct}}
"""
    references, diagnostics = parse(text)
    assert list(references) == ["live"]
    assert references["live"].location.line == 8
    assert diagnostics == []


def test_undefined_string_macro_is_reported_not_kept_as_text():
    text = "@string{jfx = {Journal X}}\n@article{a, author = {A, B}, title = {T}, journal = jfs, year = {2020}, studytype = {rct}}\n"
    _, diagnostics = parse(text)
    assert [(d.code, d.location.line) for d in diagnostics] == [("EV207", 2)]
    assert "`jfs`" in diagnostics[0].message and "did you mean `jfx`" in diagnostics[0].message


def test_string_macros_concatenate_and_months_resolve():
    text = '@string{j = {Journal}}\n@article{a, author = {A, B}, title = {T}, journal = j # " of " # {Fixtures}, year = 2020, month = dec, studytype = {rct}}\n'
    references, diagnostics = parse(text)
    assert diagnostics == []
    assert references["a"].container == "Journal of Fixtures"
    assert references["a"].fields["month"] == "12"


@pytest.mark.parametrize(
    "fields, line",
    [
        ("  title = {Hello}\n  year = {2020},", 2),
        ('  title = "Hello"\n  year = {2020},', 2),
        ("  year = 2020\n  title = {Hello},", 2),
    ],
)
def test_a_missing_comma_is_a_syntax_error_not_a_merged_field(fields, line):
    text = f"@article{{a,\n{fields}\n  author = {{A, B}}, journal = {{J}}, studytype = {{rct}}\n}}\n"
    _, diagnostics = parse(text)
    assert [(d.code, d.location.line) for d in diagnostics] == [("EV201", line)]
    assert "comma missing" in diagnostics[0].message
    assert "\n" not in diagnostics[0].message


def test_unbalanced_brace_is_reported_and_later_entries_still_load():
    text = "@article{broken,\n  title = {Unbalanced {brace},\n  year = {2020},\n}\n\n@article{ok, author = {A, B}, title = {T}, journal = {J}, year = {2020}, studytype = {rct}}\n"
    references, diagnostics = parse(text)
    assert [(d.code, d.location.line) for d in diagnostics] == [("EV201", 1)]
    assert list(references) == ["ok"]


def test_exact_duplicate_keys_are_errors_and_keys_differing_in_case_a_warning():
    entry = "@article{KEY, author = {A, B}, title = {T}, journal = {J}, year = {2020}, studytype = {rct}}\n"
    references, diagnostics = parse(entry.replace("KEY", "smith2020") + entry.replace("KEY", "Smith2020") + entry.replace("KEY", "smith2020"))
    assert list(references) == ["smith2020", "Smith2020"]
    assert sorted((d.code, d.location.line, d.message) for d in diagnostics) == [
        ("EV202", 3, "`smith2020` is already used by the entry on line 1"),
        ("EV310", 2, "`Smith2020` differs only in case from `smith2020` on line 1; biber tells them apart, classic BibTeX rejects the file"),
    ]


@pytest.mark.parametrize("second", ["title", "Title"])
def test_a_repeated_field_is_a_syntax_error_and_the_entry_still_loads(second):
    text = f"@article{{a, author = {{A, B}}, title = {{First}},\n  {second} = {{Second}}, journal = {{J}}, year = {{2020}}, studytype = {{rct}}}}\n"
    references, diagnostics = parse(text)
    assert [(d.code, d.location.line, d.message) for d in diagnostics] == [("EV201", 2, f"`{second}` is given twice in `a`")]
    assert references["a"].title == "First"


def test_journaltitle_and_journal_together_keep_the_first():
    references, diagnostics = parse("@article{a, author = {A, B}, title = {T}, journaltitle = {First}, journal = {Second}, year = {2020}, studytype = {rct}}\n")
    assert diagnostics == []
    assert references["a"].container == "First"


def test_doi_prefixes_are_stripped_and_web_sources_need_url_and_publisher():
    text = """@article{a, author = {A, B}, title = {T}, journal = {J}, year = {2020}, doi = {https://doi.org/10.1000/xyz}, studytype = {rct}}
@online{w, title = {Page}, year = {2020}, studytype = {web-article}}
"""
    references, diagnostics = parse(text)
    assert references["a"].doi == "10.1000/xyz"
    assert sorted(d.message for d in diagnostics) == [
        "@online{w} needs `author` or `editor` or `organization` or `publisher`",
        "@online{w} needs `url` or `eprint` or `doi`",
    ]


def test_unknown_lists_required_fields_the_source_does_not_state():
    text = "@article{a, author = {A, B}, title = {T}, year = {2020}, unknown = {journal}, studytype = {rct}}\n"
    references, diagnostics = parse(text)
    assert diagnostics == []
    assert references["a"].unknown_fields == frozenset({"journal"})


def test_missing_bibliography_file_is_reported(tmp_path):
    bibliography = load_bibliography(tmp_path / "references.bib", "references.bib", 1_000_000)
    assert bibliography.references == {}
    assert [(d.code, str(d.location)) for d in bibliography.problems()] == [("EV201", "references.bib:1:1")]


def test_bibliography_bom_and_crlf_are_read(tmp_path):
    path = tmp_path / "references.bib"
    path.write_bytes(b"\xef\xbb\xbf% Zotero\r\n@article{a,\r\n  author = {A, B}, title = {T},\r\n  journal = {J}, year = {2020}, studytype = {rct}\r\n}\r\n")
    bibliography = load_bibliography(path, "references.bib", 1_000_000)
    references = bibliography.references
    assert bibliography.problems() == []
    assert references["a"].location.line == 2
    assert references["a"].title == "T"


@pytest.mark.parametrize(
    "key, slug",
    [
        ("smith2020stretching", "smith2020stretching"),
        ("Smith2020Stretching", "_smith2020_stretching"),
        ("baez/online", "baez.2f.online"),
        ("_erp_????", "__erp__.3f..3f..3f..3f."),
        ("müller:2018", "m.fc.ller.3a.2018"),
    ],
)
def test_key_slugs_are_file_safe_and_readable(key, slug):
    assert key_slug(key) == slug


def test_key_slugs_never_collide_even_on_a_case_insensitive_disk():
    keys = ["smith2020", "Smith2020", "SMITH2020", "smith_2020", "smith__2020", "smith.2020", "smith.2e.2020", "a_b", "aB", "a__b", "ab"]
    slugs = [key_slug(key) for key in keys]
    assert len({slug.casefold() for slug in slugs}) == len(keys)
    assert all(re.fullmatch(r"[a-z0-9_.-]+", slug) for slug in slugs)


def test_braces_in_text_between_entries_do_not_make_an_entry_unbalanced():
    text = "@article{a, author = {A, B}, title = {T}, journal = {J}, year = {2020}, studytype = {rct}}\nA note between entries {left open\n@article{b, author = {A, B}, title = {U}, journal = {J}, year = {2021}, studytype = {rct}}\n"
    references, diagnostics = parse(text)
    assert list(references) == ["a", "b"]
    assert diagnostics == []


def test_an_entry_left_open_at_the_end_of_the_file_is_named():
    references, diagnostics = parse("@article{ok, author = {A, B}, title = {T}, journal = {J}, year = {2020}, studytype = {rct}}\n@article{last,\n  title = {Never closed}\n")
    assert list(references) == ["ok"]
    assert [(d.code, d.location.line, d.message) for d in diagnostics] == [
        ("EV201", 2, "unbalanced brace in `@article{last`: the `{` opened on line 2 is never closed before the end of the file; the entry is skipped")
    ]


def test_crossref_and_xdata_loops_and_dangling_links_are_reported_once_at_their_field():
    text = """@article{a,
  author = {A, B}, title = {T}, journal = {J}, studytype = {rct},
  crossref = {b},
}
@article{b,
  crossref = {a}, year = {2020},
}
@article{c,
  author = {A, B}, title = {T}, year = {2020}, studytype = {rct},
  xdata = {nowhere, d},
}
@xdata{d, journal = {From Xdata}, xdata = {d}}
"""
    bibliography = parse_bibliography(text, "references.bib")
    # Only `a` and `c` are cited; the loop closes in `b` and `d`, which they take fields from.
    assert sorted((d.code, d.location.line, d.message) for d in bibliography.problems(["a", "c"])) == [
        ("EV211", 6, "`crossref = {a}` in `b`: `a` leads back to this entry"),
        ("EV211", 10, "`xdata = {nowhere}` in `c`: `nowhere` is not in the bibliography"),
        ("EV211", 12, "`xdata = {d}` in `d`: `d` leads back to this entry"),
    ]
    assert bibliography.references["c"].container == "From Xdata"
    assert "d" not in bibliography.references  # @xdata entries hold fields for others; they are not references
