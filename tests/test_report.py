"""report.py: the three formatters are pure, one line per diagnostic, and safe to print."""

from __future__ import annotations

import json

from generator.model import Location
from generator.report import FORMATTERS, format_github, format_json, format_text, printable
from generator.rules import RULES_BY_CODE, problem

ERROR = problem("EV113", Location("content/claims/a/b.md", 9, 5), "`x` is not in references.bib")
WARNING = problem("EV302", Location("content/claims/a/b.md", 12), "`@y` is cited in the text but not listed under `evidence`")
INFO = problem("EV301", Location("references.bib", 12), "`y` is not cited by any claim")
HOSTILE = problem("EV104", Location("content/claims/a/\u202eevil\n.md", 3, 1), "unknown topic `a\nb\x1b[2J\r\x00\u2028`")


def test_registry_feeds_the_cli_choice():
    assert sorted(FORMATTERS) == ["github", "json", "text"]


def test_text_lists_each_problem_with_its_fix_and_a_summary():
    assert format_text([ERROR, WARNING]) == (
        "content/claims/a/b.md:9:5: EV113 error: `x` is not in references.bib [unknown-reference]\n"
        f"    fix: {RULES_BY_CODE['EV113'].fix}\n"
        "content/claims/a/b.md:12:1: EV302 warning: `@y` is cited in the text but not listed under `evidence` [citation-not-in-evidence]\n"
        f"    fix: {RULES_BY_CODE['EV302'].fix}\n"
        "1 error(s), 1 warning(s)\n"
    )
    assert format_text([]) == "no problems found\n"
    assert format_text([WARNING], True).endswith(
        f"EV302 error: `@y` is cited in the text but not listed under `evidence` [citation-not-in-evidence]\n    fix: {RULES_BY_CODE['EV302'].fix}\n1 error(s), 0 warning(s)\n"
    )


def test_info_is_summed_up_never_an_error_and_listed_when_verbose():
    second = problem("EV301", Location("references.bib", 30), "`z` is not cited by any claim")
    for strict in (False, True):
        assert format_text([INFO, second], strict) == (
            "references.bib: EV301 info: 2 like this, the first: `y` is not cited by any claim; --verbose lists each [unused-reference]\nno problems found\n"
        )
    assert format_text([INFO], True, verbose=True) == f"references.bib:12:1: EV301 info: `y` is not cited by any claim [unused-reference]\n    fix: {RULES_BY_CODE['EV301'].fix}\nno problems found\n"
    assert format_github([INFO, second], True) == "::notice file=references.bib,title=EV301 unused-reference::2 like this, the first: `y` is not cited by any claim; --verbose lists each\n"


def test_json_keeps_values_exact():
    (item,) = json.loads(format_json([HOSTILE]))
    assert item == {
        "path": "content/claims/a/\u202eevil\n.md",
        "line": 3,
        "column": 1,
        "code": "EV104",
        "rule": "invalid-topic",
        "severity": "error",
        "message": "unknown topic `a\nb\x1b[2J\r\x00\u2028`",
        "fix": RULES_BY_CODE["EV104"].fix,
    }
    assert format_json([]) == "[]\n"


def test_text_and_github_escape_what_would_break_the_line_or_the_terminal():
    for output in (format_text([HOSTILE]), format_github([HOSTILE])):
        body = output.splitlines()
        assert len(body) == (3 if output.startswith("content") else 1)
        assert not any(ch in output for ch in "\x1b\x00\r\u2028\u202e")
    assert format_text([HOSTILE]).startswith("content/claims/a/\\u202eevil\\n.md:3:1: EV104 error: unknown topic `a\\nb\\x1b[2J\\r\\x00\\u2028`")


def test_github_properties_are_escaped():
    diagnostic = problem("EV113", Location("content/a,b:c%.md", 2, 3), "50% done\nnext")
    assert format_github([diagnostic]) == (f"::error file=content/a%2Cb%3Ac%25.md,line=2,col=3,title=EV113 unknown-reference::50%25 done%0Anext. Fix: {RULES_BY_CODE['EV113'].fix}\n")
    assert format_github([]) == ""


def test_printable_keeps_ordinary_unicode():
    assert printable("Café – 50 % “quoted” 😀") == "Café – 50 % “quoted” 😀"
    assert printable("a\tb") == "a b"
