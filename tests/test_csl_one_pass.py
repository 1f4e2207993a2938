"""One citeproc-py bibliography for all references gives what a processor per reference gave."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import citeproc.model

from generator.loaders.bibliography import load_bibliography
from generator.render import csl
from generator.render.csl import _run_citeproc, csl_item

REPO = Path(__file__).resolve().parent.parent


def test_one_pass_formats_each_reference_as_it_would_alone():
    bibliography = load_bibliography(REPO / "references.bib", "references.bib", 10_000_000)
    items = [csl_item(reference) for reference in bibliography.references.values()]
    assert len(items) > 30
    # Twice over, so that identical authors and years meet in one bibliography (where a processor
    # that disambiguated would add year suffixes).
    together = _run_citeproc(items + [{**item, "id": item["id"] + "-again"} for item in items])
    alone = [_run_citeproc([item])[0] for item in items]
    assert together[: len(items)] == alone
    assert together[len(items) :] == alone


def test_finding_each_macro_once_changes_nothing_but_the_time(monkeypatch):
    bibliography = load_bibliography(REPO / "references.bib", "references.bib", 10_000_000)
    items = [csl_item(reference) for reference in bibliography.references.values()]
    with_memo = _run_citeproc(items)
    assert citeproc.model.CitationStylesElement.get_macro is _UNPATCHED  # put back after formatting

    monkeypatch.setattr(csl, "macros_found_once", _no_memo)
    assert _run_citeproc(items) == with_memo


_UNPATCHED = citeproc.model.CitationStylesElement.get_macro


@contextmanager
def _no_memo():
    yield
