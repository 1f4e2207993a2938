"""`mkdocs serve` keeps a parse memo between rebuilds: a save re-parses only the file that changed."""

from __future__ import annotations

import dataclasses

from generator.loaders import claims as claims_loader
from generator.loaders.config import load_settings
from generator.project import ParseMemo, load_and_check

from projects import CLAIM_MD, CLAIM_PATH, REFERENCES_BIB, TODAY

OTHER_PATH = "content/claims/prevention/other-claim.md"


def _counting(monkeypatch) -> list[str]:
    parsed: list[str] = []
    parse = claims_loader.parse_claim

    def counting(text, path, rel_path, settings):
        parsed.append(rel_path)
        return parse(text, path, rel_path, settings)

    monkeypatch.setattr(claims_loader, "parse_claim", counting)
    return parsed


def test_a_rebuild_reparses_only_changed_files_and_matches_a_fresh_load(make_project, monkeypatch):
    root = make_project({"references.bib": REFERENCES_BIB, CLAIM_PATH: CLAIM_MD, OTHER_PATH: CLAIM_MD.replace("Static stretching", "Dynamic stretching")})
    settings = load_settings(root / "mkdocs.yml")
    parsed = _counting(monkeypatch)
    memo = ParseMemo()

    first = load_and_check(settings, today=TODAY, memo=memo)
    assert sorted(parsed) == sorted([CLAIM_PATH, OTHER_PATH])

    parsed.clear()
    assert load_and_check(settings, today=TODAY, memo=memo) == first
    assert parsed == []

    (root / CLAIM_PATH).write_text(CLAIM_MD.replace("stance: contradicts", "stance: supports", 1), encoding="utf-8")
    parsed.clear()
    edited = load_and_check(settings, today=TODAY, memo=memo)
    assert parsed == [CLAIM_PATH]
    assert edited == load_and_check(settings, today=TODAY)  # the same as without a memo
    assert edited != first

    (root / OTHER_PATH).unlink()
    assert len(load_and_check(settings, today=TODAY, memo=memo).project.claims) == 1
    assert list(memo.claims) == [(CLAIM_PATH, (root / CLAIM_PATH).read_text(encoding="utf-8"))]


def test_other_settings_or_an_edited_bibliography_are_read_again(make_project, monkeypatch):
    root = make_project({"references.bib": REFERENCES_BIB, CLAIM_PATH: CLAIM_MD})
    settings = load_settings(root / "mkdocs.yml")
    parsed = _counting(monkeypatch)
    memo = ParseMemo()
    load_and_check(settings, today=TODAY, memo=memo)

    parsed.clear()
    load_and_check(dataclasses.replace(settings, review_max_months=1), today=TODAY, memo=memo)
    assert parsed == [CLAIM_PATH]

    (root / "references.bib").write_text(REFERENCES_BIB.replace("{2020}", "{2021}"), encoding="utf-8")
    result = load_and_check(dataclasses.replace(settings, review_max_months=1), today=TODAY, memo=memo)
    assert {r.year for r in result.project.references.values()} == {"2021"}
