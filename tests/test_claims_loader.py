"""loaders/frontmatter.py and loaders/claims.py: YAML kept as text with positions, and each claim field checked."""

from __future__ import annotations

import pytest

from generator.loaders.claims import parse_claim
from generator.loaders.config import load_settings
from generator.loaders.frontmatter import load_front_matter, split_front_matter

from projects import CLAIM_MD, CLAIM_PATH, MKDOCS_YML, make_tree


@pytest.fixture
def settings(tmp_path):
    return load_settings(make_tree(tmp_path, {"mkdocs.yml": MKDOCS_YML}) / "mkdocs.yml")


def parse(text: str, settings, rel_path: str = CLAIM_PATH):
    return parse_claim(text, settings.root / rel_path, rel_path, settings)


@pytest.mark.parametrize(
    "yaml_text, data",
    [
        ("a: ~\nb: null\nc:\nd: 'null'\n", {"a": None, "b": None, "c": None, "d": "null"}),
        ("a: no\nb: on\nc: 2026-02-30\nd: 1.0\ne: 0o17\n", {"a": "no", "b": "on", "c": "2026-02-30", "d": "1.0", "e": "0o17"}),
        ("a: [x, ~, 'y']\n", {"a": ["x", None, "y"]}),
    ],
)
def test_front_matter_values_stay_text_and_nulls_are_none(yaml_text, data):
    front_matter, diagnostics = load_front_matter(yaml_text, 2, "f.md")
    assert diagnostics == []
    assert front_matter.data == data


@pytest.mark.parametrize(
    "yaml_text, tag",
    [
        ("a: !!python/name:os.system x\n", "!!python/name:os.system"),
        ("a: !!python/object/apply:os.system [echo]\n", "!!python/object/apply:os.system"),
        ("a: !ENV HOME\n", "!ENV"),
        ("a: !!binary aGVsbG8=\n", "!!binary"),
    ],
)
def test_yaml_tags_are_reported_and_never_constructed(yaml_text, tag):
    front_matter, diagnostics = load_front_matter(yaml_text, 2, "f.md")
    assert [(d.code, str(d.location), d.message) for d in diagnostics] == [("EV130", "f.md:2:4", f"the YAML tag `{tag}` is not allowed")]
    assert isinstance(front_matter.data["a"], (str, list))


def test_positions_are_file_lines_and_columns():
    front_matter, _ = load_front_matter("claim: x\nevidence:\n  - source: a\n    stance: supports\n", 2, "f.md")
    assert str(front_matter.where("claim")) == "f.md:2:1"
    assert str(front_matter.where("evidence", 0)) == "f.md:4:5"
    assert str(front_matter.where("evidence", 0, "stance")) == "f.md:5:5"
    assert str(front_matter.where("evidence", 0, "missing")) == "f.md:4:5"


def test_yaml_error_positions_are_in_file_lines():
    _, diagnostics = load_front_matter("claim: x\ntopic: [a\nb: c\n", 2, "f.md")
    (diagnostic,) = diagnostics
    assert diagnostic.code == "EV004" and diagnostic.location.line >= 3


@pytest.mark.parametrize(
    "text, expected",
    [
        ("---\na: 1\n---\nbody\n", ("a: 1", 2, "body\n", 4)),
        ("---\na: 1\n...\nbody", ("a: 1", 2, "body", 4)),
        ("---  \na: 1\n---\t\n", ("a: 1", 2, "", 4)),
        ("---\na: 1\n", None),
        ("text\n---\na: 1\n---\n", None),
    ],
)
def test_split_front_matter(text, expected):
    assert split_front_matter(text) == expected


@pytest.mark.parametrize(
    "old, new, code, line",
    [
        ("claim: Static stretching before a run prevents calf cramps.", "claim: ~", "EV101", 2),
        ("claim: Static stretching before a run prevents calf cramps.", "claim: '   '", "EV101", 2),
        ("reviewed: 2026-10-01", "reviewed:", "EV106", 5),
        ("reviewed: 2026-10-01", "reviewed: null", "EV106", 5),
        ("reviewed: 2026-10-01", "reviewed: 2026-10-01T10:00", "EV106", 5),
        ("evidence:\n  - source: smith2020stretching\n    stance: contradicts\n    note: Stretching made no difference to cramp rates.\n    participants: 120\n", "evidence:\n", "EV110", 6),
        ("stance: contradicts", "stance: Contradicts", "EV111", 8),
        ("stance: contradicts", "stance:", "EV111", 8),
        ("tags: [stretching]", "tags: [stretching, [nested]]", "EV103", 4),
        ("tags: [stretching]", "tags: {a: b}", "EV103", 4),
        ("tags: [stretching]", "evidence_gap: [a]", "EV103", 4),
        ("    note: Stretching made no difference to cramp rates.", "    cites: smith", "EV103", 9),
        (
            "evidence:\n  - source: smith2020stretching\n    stance: contradicts\n    note: Stretching made no difference to cramp rates.\n    participants: 120\n",
            "evidence: [smith2020stretching]\n",
            "EV103",
            6,
        ),
        (
            "evidence:\n  - source: smith2020stretching\n    stance: contradicts\n    note: Stretching made no difference to cramp rates.\n    participants: 120\n",
            "evidence: smith2020stretching\n",
            "EV103",
            6,
        ),
    ],
)
def test_each_field_problem_is_reported_at_its_line(settings, old, new, code, line):
    assert old in CLAIM_MD
    _, diagnostics = parse(CLAIM_MD.replace(old, new), settings)
    assert [(d.code, d.location.line) for d in diagnostics] == [(code, line)]


def test_empty_optional_fields_are_fine(settings):
    claim, diagnostics = parse(CLAIM_MD.replace("tags: [stretching]", "tags:\nopposes:\nevidence_gap:"), settings)
    assert diagnostics == []
    assert (claim.tags, claim.opposes, claim.evidence_gap) == ((), (), "")


def test_a_claim_is_parsed_with_citations_and_positions(settings):
    claim, diagnostics = parse(CLAIM_MD, settings)
    assert diagnostics == []
    assert claim.id == "stretching-prevents-cramps"
    assert claim.text == "Static stretching before a run prevents calf cramps."
    assert claim.reviewed.isoformat() == "2026-10-01"
    (evidence,) = claim.evidence
    assert (evidence.source, evidence.stance, str(evidence.location)) == ("smith2020stretching", "contradicts", f"{CLAIM_PATH}:7:5")
    (citation,) = claim.citations
    assert (citation.key, citation.locator, str(citation.location)) == ("smith2020stretching", "p. 4", f"{CLAIM_PATH}:12:37")
    assert claim.body_line == 12


def test_claim_in_the_claims_folder_itself_has_no_topic_folder(settings):
    _, diagnostics = parse(CLAIM_MD, settings, rel_path="content/claims/stretching-prevents-cramps.md")
    assert [(d.code, d.message) for d in diagnostics] == [("EV105", "topic is `prevention` but the file is in `claims/`; move it to claims/prevention/")]


def test_a_locator_range_written_as_in_bibtex_gets_an_en_dash(settings):
    text = CLAIM_MD.replace("    participants: 120\n", "    participants: 120\n    locator: pp. 3--5\n")
    claim, diagnostics = parse(text, settings)
    assert diagnostics == []
    assert claim.evidence[0].locator == "pp. 3\u20135"
