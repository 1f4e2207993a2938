"""The `evidence` command through CliRunner: exit codes, output formats, `--strict`, `-f`, and `evidence new`."""

from __future__ import annotations

import json
import re

import pytest

from generator.rules import RULES_BY_CODE

from projects import CLAIM_MD, CLAIM_PATH, CLEAN_PROJECT, MKDOCS_YML, REFERENCES_BIB, TODAY, check_project, run_cli

JONES = """
@article{jones2019warmup,
  author    = {Jones, Ben},
  title     = {Warm-up Routines and Cramps},
  journal   = {Journal of Fixture Studies},
  year      = {2019},
  studytype = {cohort}
}
"""

#: One error (EV113 at line 11) and one warning (EV302 at line 14: a citation not listed under evidence).
ERROR_AND_WARNING = {
    CLAIM_PATH: CLAIM_MD.replace("    participants: 120\n", "    participants: 120\n  - source: nobody1999\n    stance: supports\n").replace(", p. 4]", ", p. 4; @jones2019warmup]"),
    "references.bib": REFERENCES_BIB + JONES,
}
WARNING_ONLY = {CLAIM_PATH: CLAIM_MD.replace(", p. 4]", ", p. 4; @jones2019warmup]"), "references.bib": REFERENCES_BIB + JONES}
#: An uncited, incomplete reference: one info line, never a failure.
INFO_ONLY = {CLAIM_PATH: CLAIM_MD, "references.bib": REFERENCES_BIB + JONES.replace("  studytype = {cohort}\n", "") + JONES.replace("jones2019", "okafor2018")}


def test_clean_project_exits_0(make_project):
    result = check_project(make_project(CLEAN_PROJECT))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "no problems found\n", "")


def test_errors_exit_1_with_every_problem_reported(make_project):
    result = check_project(make_project(ERROR_AND_WARNING))
    assert result.exit_code == 1
    assert result.stdout == (
        "content/claims/prevention/stretching-prevents-cramps.md:11:5: EV113 error: `nobody1999` is not in references.bib [unknown-reference]\n"
        f"    fix: {RULES_BY_CODE['EV113'].fix}\n"
        "content/claims/prevention/stretching-prevents-cramps.md:14:65: EV302 warning: `@jones2019warmup` is cited in the text but not listed under `evidence` [citation-not-in-evidence]\n"
        f"    fix: {RULES_BY_CODE['EV302'].fix}\n"
        "1 error(s), 1 warning(s)\n"
    )


def test_warnings_alone_exit_0_and_strict_makes_them_errors(make_project):
    root = make_project(WARNING_ONLY)
    relaxed = check_project(root)
    assert relaxed.exit_code == 0
    assert "EV302 warning" in relaxed.stdout and relaxed.stdout.endswith("0 error(s), 1 warning(s)\n")
    strict = check_project(root, "--strict")
    assert strict.exit_code == 1
    assert "EV302 error" in strict.stdout and strict.stdout.endswith("1 error(s), 0 warning(s)\n")


def test_uncited_references_need_no_study_type_and_are_one_info_line_even_when_strict(make_project):
    root = make_project(INFO_ONLY)
    for args in ((), ("--strict",)):
        result = check_project(root, *args)
        assert (result.exit_code, result.stdout) == (
            0,
            "references.bib: EV301 info: 2 like this, the first: `jones2019warmup` is not cited by any claim; --verbose lists each [unused-reference]\nno problems found\n",
        )
    verbose = check_project(root, "--verbose")
    assert verbose.stdout.splitlines() == [
        "references.bib:12:1: EV301 info: `jones2019warmup` is not cited by any claim [unused-reference]",
        f"    fix: {RULES_BY_CODE['EV301'].fix}",
        "references.bib:19:1: EV301 info: `okafor2018warmup` is not cited by any claim [unused-reference]",
        f"    fix: {RULES_BY_CODE['EV301'].fix}",
        "no problems found",
    ]


def test_json_format_has_positions_codes_and_fixes(make_project):
    result = check_project(make_project(ERROR_AND_WARNING), "--format", "json")
    assert result.exit_code == 1
    items = json.loads(result.stdout)
    assert [(i["path"], i["line"], i["column"], i["code"], i["severity"]) for i in items] == [
        ("content/claims/prevention/stretching-prevents-cramps.md", 11, 5, "EV113", "error"),
        ("content/claims/prevention/stretching-prevents-cramps.md", 14, 65, "EV302", "warning"),
    ]
    assert items[0]["rule"] == "unknown-reference"
    assert items[0]["message"] == "`nobody1999` is not in references.bib"
    assert items[0]["fix"] == RULES_BY_CODE["EV113"].fix


def test_json_format_of_a_clean_project_is_an_empty_list(make_project):
    result = check_project(make_project(CLEAN_PROJECT), "--format", "json")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


def test_json_strict_reports_warnings_as_errors(make_project):
    items = json.loads(check_project(make_project(WARNING_ONLY), "--format", "json", "--strict").stdout)
    assert [(i["code"], i["severity"]) for i in items] == [("EV302", "error")]
    items = json.loads(check_project(make_project(INFO_ONLY), "--format", "json", "--strict").stdout)
    assert [(i["code"], i["severity"]) for i in items] == [("EV301", "info"), ("EV301", "info")]


def test_github_format_produces_annotations(make_project):
    result = check_project(make_project(ERROR_AND_WARNING), "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines == [
        f"::error file=content/claims/prevention/stretching-prevents-cramps.md,line=11,col=5,title=EV113 unknown-reference::`nobody1999` is not in references.bib. Fix: {RULES_BY_CODE['EV113'].fix}",
        "::warning file=content/claims/prevention/stretching-prevents-cramps.md,line=14,col=65,title=EV302 citation-not-in-evidence::"
        f"`@jones2019warmup` is cited in the text but not listed under `evidence`. Fix: {RULES_BY_CODE['EV302'].fix}",
    ]


def test_github_format_escapes_newlines_and_percent(make_project):
    root = make_project({CLAIM_PATH: CLAIM_MD.replace("topic: prevention", 'topic: "50%\\nprevention"'), "references.bib": REFERENCES_BIB})
    result = check_project(root, "--format", "github")
    (line,) = result.stdout.splitlines()
    assert line.startswith("::error file=content/claims/prevention/stretching-prevents-cramps.md,line=3,col=1,title=EV104 invalid-topic::")
    assert "`50%25%0Aprevention`" in line


def test_text_format_keeps_one_diagnostic_per_line(make_project):
    root = make_project({CLAIM_PATH: CLAIM_MD.replace("topic: prevention", 'topic: "pre\\nvention\\e[31m"'), "references.bib": REFERENCES_BIB})
    result = check_project(root)
    assert result.stdout.splitlines()[0] == (
        "content/claims/prevention/stretching-prevents-cramps.md:3:1: EV104 error: unknown topic `pre\\nvention\\x1b[31m` (did you mean `prevention`?); topics are: prevention, causes [invalid-topic]"
    )
    assert "\x1b" not in result.stdout


@pytest.mark.parametrize(
    "config, reason",
    [
        ("site_name: x\nplugins: [\n", "is not valid YAML"),
        ("site_name: x\nplugins:\n  - search\n", "does not enable the `evidence` plugin"),
        ("site_name: x\nplugins:\n  - evidence:\n      topicz: {a: A}\n", "unknown evidence plugin option(s): topicz"),
        ("site_name: x\nplugins:\n  - evidence:\n      topics: [a, b]\n", "`topics` must map topic ids to titles"),
        ("site_name: x\nplugins:\n  - evidence\n", "`topics` must map topic ids to titles"),  # no default topics
        ("site_name: x\nplugins:\n  - evidence:\n      topics: {a: A}\n      max_file_bytes: lots\n", "`max_file_bytes` must be a positive whole number"),
        ("site_name: x\nplugins:\n  - evidence:\n      topics: {a: A}\n      content_dir: ../elsewhere\n", "`content_dir` must point inside the project"),
        ("- just\n- a list\n", "must be a mapping"),
        (b"site_name: \xff\n", "cannot read"),
    ],
)
def test_configuration_errors_exit_2_with_ev401(make_project, config, reason):
    root = make_project({**CLEAN_PROJECT, "mkdocs.yml": config})
    result = check_project(root)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("evidence: configuration error (EV401): ")
    assert reason in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_config_file_exits_2(tmp_path):
    result = run_cli("check", "-f", str(tmp_path / "mkdocs.yml"))
    assert result.exit_code == 2
    assert "EV401" in result.stderr and "cannot read" in result.stderr


@pytest.mark.parametrize("args", [("--today", "2026-02-30"), ("--today", "soon"), ("--format", "xml")])
def test_usage_errors_exit_2(make_project, args):
    result = check_project(make_project(CLEAN_PROJECT), *args)
    assert result.exit_code == 2
    assert "Error: Invalid value" in result.stderr


def test_config_file_option_reads_another_config_and_paths_are_relative_to_it(make_project):
    config = MKDOCS_YML.replace("      topics:", "      content_dir: texts\n      bibliography: sources/library.bib\n      topics:")
    root = make_project(
        {
            "site/evidence.yml": config,
            "site/texts/claims/prevention/stretching-prevents-cramps.md": CLAIM_MD.replace("smith2020stretching", "smith2020stretchng", 1),
            "site/sources/library.bib": REFERENCES_BIB,
        },
        config=None,
    )
    for option in ("-f", "--config-file"):
        result = run_cli("check", option, str(root / "site" / "evidence.yml"), "--today", TODAY.isoformat())
        assert result.exit_code == 1
        assert result.stdout.startswith(
            "texts/claims/prevention/stretching-prevents-cramps.md:7:5: EV113 error: `smith2020stretchng` is not in sources/library.bib (did you mean `smith2020stretching`?)"
        )


def test_today_defaults_to_the_real_date(make_project):
    result = run_cli("check", "-f", str(make_project(CLEAN_PROJECT) / "mkdocs.yml"))
    assert result.exit_code in (0, 1)
    assert result.stdout.endswith(("no problems found\n", "warning(s)\n"))


def new_claim(root, sentence, topic="prevention"):
    return run_cli("new", sentence, "--topic", topic, "-f", str(root / "mkdocs.yml"), "--today", TODAY.isoformat())


def test_new_writes_a_correctly_named_claim_and_prints_its_path(make_project):
    root = make_project(CLEAN_PROJECT)
    result = new_claim(root, 'Café: "au lait" before a run # prevents cramps!')
    assert result.exit_code == 0
    assert result.stdout == "content/claims/prevention/cafe-au-lait-before-a-run-prevents-cramps.md\n"
    text = (root / result.stdout.strip()).read_text(encoding="utf-8")
    assert text.startswith('---\nclaim: "Café: \\"au lait\\" before a run # prevents cramps!"\ntopic: prevention\n')
    assert f"reviewed: {TODAY.isoformat()}\n" in text


def test_new_claim_loads_and_only_asks_for_its_placeholder_source(make_project):
    root = make_project(CLEAN_PROJECT)
    path = new_claim(root, "Calf raises prevent cramps.").stdout.strip()
    result = check_project(root)
    reported = re.findall(r"^(\S+): (EV\d+)", result.stdout, re.MULTILINE)
    assert {(where.split(":")[0], code) for where, code in reported} == {(path, "EV113"), (path, "EV114")}


@pytest.mark.parametrize("sentence", ["Line one\nline two", "Bell\x07 and tab\tprevent cramps", "Sep\u2028arated"])
def test_new_claim_from_an_odd_sentence_still_loads(make_project, sentence):
    root = make_project(CLEAN_PROJECT)
    path = new_claim(root, sentence).stdout.strip()
    result = check_project(root, "--format", "json")
    assert {item["code"] for item in json.loads(result.stdout) if item["path"] == path} == {"EV113", "EV114"}


def test_new_refuses_to_overwrite(make_project):
    root = make_project(CLEAN_PROJECT)
    target = root / CLAIM_PATH
    before = target.read_bytes()
    result = new_claim(root, "Stretching prevents cramps")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"evidence: {CLAIM_PATH} already exists; edit it or choose another wording\n"
    assert target.read_bytes() == before


def test_new_refuses_an_id_used_under_another_topic(make_project):
    root = make_project(CLEAN_PROJECT)
    result = new_claim(root, "Stretching prevents cramps!", topic="causes")
    assert result.exit_code == 1
    assert not (root / "content/claims/causes").exists()


@pytest.mark.parametrize("sentence, topic", [("!!!", "prevention"), ("Salt prevents cramps", "nutrition")])
def test_new_rejects_bad_input_with_exit_2(make_project, sentence, topic):
    root = make_project(CLEAN_PROJECT)
    result = new_claim(root, sentence, topic=topic)
    assert result.exit_code == 2
    assert "Error: Invalid value" in result.stderr
    assert sorted(p.name for p in (root / "content/claims").rglob("*.md")) == ["stretching-prevents-cramps.md"]


def test_each_field_of_an_evidence_entry_is_checked_even_when_another_is_wrong(make_project):
    claim = CLAIM_MD.replace("source: smith2020stretching", "source: smith2020strething").replace("stance: contradicts", "stance: contradict")
    result = check_project(make_project({CLAIM_PATH: claim, "references.bib": REFERENCES_BIB}))
    codes = [(line.split(": ")[1].split()[0], line.split(": ", 1)[0]) for line in result.stdout.splitlines() if ": EV" in line]
    # The misspelled key is reported in the same run as the bad stance, and the correct body
    # citation it was meant for gets no follow-on EV302.
    assert codes == [
        ("EV113", "content/claims/prevention/stretching-prevents-cramps.md:7:5"),
        ("EV111", "content/claims/prevention/stretching-prevents-cramps.md:8:5"),
    ]
    assert "(did you mean `smith2020stretching`?)" in result.stdout


def test_an_unexpected_exception_is_an_internal_error_with_exit_3_never_a_config_error(make_project, monkeypatch):
    import generator.project

    def broken(*args, **kwargs):
        raise KeyError("a bug")

    monkeypatch.setattr(generator.project, "load_and_check", broken)
    result = check_project(make_project(CLEAN_PROJECT))
    assert result.exit_code == 3
    first, second = result.stderr.splitlines()
    assert first == "evidence: internal error (EV501): KeyError: 'a bug'"
    assert second.startswith("    at test_cli.py:") and "in broken; this is a bug in evidence" in second
    assert "EV401" not in result.stderr and "Traceback" not in result.stderr


def test_mkdocs_yml_is_found_from_a_subfolder_and_read_as_mkdocs_reads_it(make_project, monkeypatch):
    root = make_project({**CLEAN_PROJECT, "mkdocs.yml": "INHERIT: base.yml\nsite_url: !ENV [EVIDENCE_TEST_URL, 'https://fallback.example/']\n", "base.yml": MKDOCS_YML})
    monkeypatch.setenv("EVIDENCE_TEST_URL", "https://env.example/")
    monkeypatch.chdir(root / "content" / "claims")
    from generator.loaders.config import find_config_file, load_settings

    settings = load_settings(find_config_file(root / "content" / "claims"))
    assert (settings.root, settings.site_url, settings.topics) == (root.resolve(), "https://env.example/", {"prevention": "Prevention", "causes": "Causes"})
    result = run_cli("check", "--today", "2026-11-23")
    assert (result.exit_code, result.stdout) == (0, "no problems found\n")


def test_without_mkdocs_yml_anywhere_above_the_error_says_where_it_looked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli("check")
    assert result.exit_code == 2
    assert f"no mkdocs.yml in {tmp_path} or any folder above it" in result.stderr


def test_help_explains_the_formats_and_the_exit_codes():
    main_help = run_cli("--help").stdout
    for text in ("content/claims/<topic>/<claim-id>.md", "references.bib", "studytype", "0  no errors", "1  the content has errors", "2  usage or configuration error", "3  internal error"):
        assert text in main_help
    check_help = run_cli("check", "--help").stdout
    for text in ("path:line:column: CODE severity: message [rule]", "json", "github", "--verbose", "--strict", "info (never fails"):
        assert text in check_help


def test_a_key_whose_entry_failed_to_parse_gets_no_follow_on_error(make_project):
    broken = REFERENCES_BIB.replace("title     = {Static", "title     = {{Static") + "\n@article{later2021, author = {Later, Lee}, title = {Later}, journal = {J}, year = {2021}}\n"
    result = check_project(make_project({CLAIM_PATH: CLAIM_MD, "references.bib": broken}))
    assert result.exit_code == 1
    assert [line for line in result.stdout.splitlines() if ": EV" in line] == [
        "references.bib:1:1: EV201 error: unbalanced brace in `@article{smith2020stretching`: the `{` opened on line 3 "
        "is still open where the next field starts (line 4); the entry is skipped [bibtex-syntax]",
        "references.bib:12:1: EV301 info: `later2021` is not cited by any claim [unused-reference]",
    ]
