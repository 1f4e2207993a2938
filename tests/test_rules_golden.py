"""Golden tests: one small project per rule under fixtures/rules/<CODE>-<slug>/, and one clean project.

Each folder's `expected.txt` is the exact output of `evidence check --today 2026-11-23`. After an
intended change of wording, regenerate them with `UPDATE_GOLDEN=1 pytest tests/test_rules_golden.py`
and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.loaders.config import load_settings
from generator.project import load_and_check
from generator.rules import CONFIG_ERROR, INTERNAL_ERROR, RULES, RULES_BY_CODE, Severity

from projects import FIXTURES, TODAY, check_project

RULE_FOLDERS = sorted((FIXTURES / "rules").glob("EV*"))
GOLDEN_FOLDERS = [*RULE_FOLDERS, FIXTURES / "good"]


def folder_code(folder: Path) -> str:
    return folder.name.split("-", 1)[0]


def diagnostics_of(folder: Path):
    return load_and_check(load_settings(folder / "mkdocs.yml"), today=TODAY).diagnostics


@pytest.mark.parametrize("folder", GOLDEN_FOLDERS, ids=lambda folder: folder.name)
def test_check_output_matches_golden(folder: Path):
    result = check_project(folder)
    expected_file = folder / "expected.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        expected_file.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == expected_file.read_text(encoding="utf-8")
    if folder.name == "good":
        assert result.exit_code == 0
    else:
        assert result.exit_code == (1 if RULES_BY_CODE[folder_code(folder)].severity is Severity.ERROR else 0)


@pytest.mark.parametrize("folder", RULE_FOLDERS, ids=lambda folder: folder.name)
def test_rule_fixture_triggers_only_its_rule(folder: Path):
    # Info (an uncited reference, say) never fails anything, so a fixture may show it beside its rule.
    codes = {d.code for d in diagnostics_of(folder) if d.severity is not Severity.INFO or d.code == folder_code(folder)}
    assert codes == {folder_code(folder)}


@pytest.mark.parametrize("folder", RULE_FOLDERS, ids=lambda folder: folder.name)
def test_strict_turns_the_fixture_into_a_failure_except_info(folder: Path):
    info = RULES_BY_CODE[folder_code(folder)].severity is Severity.INFO
    assert check_project(folder, "--strict").exit_code == (0 if info else 1)


def test_good_project_is_clean_and_complete():
    result = load_and_check(load_settings(FIXTURES / "good" / "mkdocs.yml"), today=TODAY)
    assert result.diagnostics == ()
    project = result.project
    assert [c.id for c in project.claims] == [
        "dehydration-causes-cramps",
        "heat-causes-cramps",
        "stretching-does-not-prevent-cramps",
        "stretching-prevents-cramps",
    ]
    assert sorted(project.references) == ["jones2019warmup", "runnersblog2023cramps", "smith2020stretching"]
    assert [page.rel_path for page in project.pages] == ["index.md"]
    assert [asset.rel_path for asset in project.assets] == ["images/logo.svg"]


def test_every_rule_has_a_fixture_folder():
    folders = {folder.name for folder in RULE_FOLDERS}
    wanted = {f"{rule.code}-{rule.slug}" for rule in RULES if rule.code not in (CONFIG_ERROR, INTERNAL_ERROR)}
    assert wanted <= folders, f"rules without a fixture: {sorted(wanted - folders)}"
    assert folders <= wanted, f"fixtures for no rule (renamed or removed?): {sorted(folders - wanted)}"


def test_every_fixture_folder_has_a_golden_file():
    for folder in GOLDEN_FOLDERS:
        assert (folder / "expected.txt").is_file(), folder.name
        assert (folder / "mkdocs.yml").is_file(), folder.name


def test_rule_codes_are_unique_and_well_formed():
    codes = [rule.code for rule in RULES]
    slugs = [rule.slug for rule in RULES]
    assert len(set(codes)) == len(codes)
    assert len(set(slugs)) == len(slugs)
    for rule in RULES:
        assert rule.code[:2] == "EV" and rule.code[2:].isdigit() and len(rule.code) == 5
        assert rule.summary.endswith(".") and rule.fix.endswith(".")
        assert (rule.severity in (Severity.WARNING, Severity.INFO)) == rule.code.startswith("EV3")
