"""Issue 7 at the loader level: hostile and broken input never crashes `evidence check`, and is reported.

Property tests feed random and mutated claim files and BibTeX to the loaders and the CLI. The
default run is bounded; `FUZZ_EXAMPLES=3000` (`make fuzz`) runs a longer one. Then one test per
known trap of this stack.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.bodies import find_unsafe_markup
from generator.loaders.bibliography import parse_bibliography
from generator.loaders.claims import parse_claim
from generator.loaders.config import load_settings
from generator.loaders.text import read_text
from generator.project import load_and_check

from projects import CLAIM_MD, CLAIM_PATH, CLEAN_PROJECT, FIXTURES, MKDOCS_YML, REFERENCES_BIB, TODAY, check_project, make_tree, run_cli

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FUZZ_SLOW = settings(FUZZ, max_examples=max(20, EXAMPLES // 3))

GOOD = FIXTURES / "good"
CLAIM_SEEDS = [CLAIM_MD.encode(), *(path.read_bytes() for path in sorted((GOOD / "content/claims").rglob("*.md")))]
BIB_SEEDS = [REFERENCES_BIB.encode(), (GOOD / "references.bib").read_bytes()]

# Pieces that mean something to YAML, BibTeX, LaTeX, Markdown or a terminal.
TOKENS = [
    "---",
    "...",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "  ",
    "- ",
    ": ",
    "? ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "<<: *a",
    "!!python/object/apply:os.system ['true']",
    "!!binary",
    "|",
    ">-",
    "'",
    '"',
    "#",
    "%",
    "% ",
    "@",
    "@article{",
    "@string{x = ",
    "@comment{",
    "@preamble{",
    " = ",
    " # ",
    "\\",
    "\\'",
    '{\\"u}',
    "\\%",
    "$",
    "$$",
    "~",
    "--",
    "\x00",
    "\ufeff",
    "\u2028",
    "\u202e",
    "\x1b[2J",
    "\udcff".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
    "é",
    "😀",
    "no",
    "yes",
    "on",
    "null",
    "~",
    "2026-02-30",
    "0x1F",
    "1e9999",
    ".inf",
    "[@",
    "[@smith2020stretching]",
    "`",
    "```",
    "<script>",
    "javascript:",
    "{onclick=x}",
    "claim:",
    "topic:",
    "evidence:",
    "source:",
    "stance:",
    "reviewed:",
    "opposes:",
    "smith2020stretching",
    "prevention",
]


@st.composite
def mutated(draw, seeds: list[bytes]) -> bytes:
    """A seed file after a few random edits: cut, insert, delete, repeat, nest, BOM, CRLF, NUL."""
    data = draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["truncate", "bytes", "text", "token", "delete", "repeat", "nest", "bom", "crlf", "nul"]))
        if kind == "truncate":
            data = data[:at]
        elif kind == "bytes":
            data = data[:at] + draw(st.binary(max_size=20)) + data[at:]
        elif kind == "text":
            data = data[:at] + draw(st.text(max_size=20)).encode("utf-8", "surrogatepass") + data[at:]
        elif kind == "token":
            data = data[:at] + draw(st.sampled_from(TOKENS)).encode() + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 40)) :]
        elif kind == "repeat":
            piece = data[at : at + draw(st.integers(1, 30))] or b"x"
            data = data[:at] + piece * draw(st.integers(2, 3000)) + data[at:]
        elif kind == "nest":
            opener = draw(st.sampled_from(["[", "{", "- ", "? ", "{{", "\\textbf{"]))
            data = data[:at] + opener.encode() * draw(st.integers(10, 5000)) + data[at:]
        elif kind == "bom":
            data = b"\xef\xbb\xbf" + data
        elif kind == "crlf":
            data = data.replace(b"\n", b"\r\n")
        else:
            data = data[:at] + b"\x00" + data[at:]
    return data


def any_file(seeds: list[bytes]):
    return st.one_of(mutated(seeds), st.binary(max_size=3000), st.text(max_size=500).map(lambda t: t.encode("utf-8", "surrogatepass")))


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory):
    """One project reused across examples (hypothesis runs many examples per test function)."""
    root = make_tree(tmp_path_factory.mktemp("fuzz"), {**CLEAN_PROJECT, "mkdocs.yml": MKDOCS_YML})
    return root, load_settings(root / "mkdocs.yml")


def assert_pinned(diagnostics, files: dict[str, int]):
    """Every diagnostic names one of `files` (rel path -> line count) and a line inside it."""
    for d in diagnostics:
        assert d.location.path in files, d
        assert 1 <= d.location.line <= files[d.location.path], d
        assert d.location.column >= 1, d
        assert d.message, d


def line_count(raw: bytes) -> int:
    return raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1


@FUZZ
@given(raw=any_file(CLAIM_SEEDS))
def test_any_claim_file_is_loaded_or_reported(fuzz_project, raw):
    root, config = fuzz_project
    path = root / CLAIM_PATH
    path.write_bytes(raw)
    text, diagnostics = read_text(path, CLAIM_PATH, config.max_file_bytes)
    if text is not None:
        claim, diagnostics = parse_claim(text, path, CLAIM_PATH, config)
        if claim is None:
            assert any(d.code in ("EV003", "EV004", "EV006", "EV007") for d in diagnostics)
    assert_pinned(diagnostics, {CLAIM_PATH: line_count(raw)})


@FUZZ
@given(raw=any_file(BIB_SEEDS))
def test_any_bibliography_is_loaded_or_reported(fuzz_project, raw):
    root, config = fuzz_project
    path = root / "references.bib"
    path.write_bytes(raw)
    text, diagnostics = read_text(path, "references.bib", config.max_bibliography_bytes)
    if text is not None:
        bibliography = parse_bibliography(text, "references.bib")
        diagnostics = bibliography.problems()
        for reference in bibliography.references.values():
            assert 1 <= reference.location.line <= line_count(raw)
    assert_pinned(diagnostics, {"references.bib": line_count(raw)})


@FUZZ_SLOW
@given(claim=any_file(CLAIM_SEEDS), bib=any_file(BIB_SEEDS), output_format=st.sampled_from(["text", "json", "github"]))
def test_check_never_crashes_and_exits_0_or_1(fuzz_project, claim, bib, output_format):
    root, _ = fuzz_project
    (root / CLAIM_PATH).write_bytes(claim)
    (root / "references.bib").write_bytes(bib)
    (root / "content/claims/causes").mkdir(parents=True, exist_ok=True)
    (root / "content/claims/causes/second-claim.md").write_bytes(claim[::-1] if len(claim) % 2 else claim)
    result = check_project(root, "--format", output_format)
    assert result.exit_code in (0, 1), result.output
    if output_format == "json":
        lines = {CLAIM_PATH: line_count(claim), "references.bib": line_count(bib), "content/claims/causes/second-claim.md": max(line_count(claim), line_count(claim[::-1]))}
        for item in json.loads(result.stdout):
            assert item["path"] in lines and 1 <= item["line"] <= lines[item["path"]] and item["column"] >= 1, item
    elif output_format == "text":
        assert result.stdout.endswith(("no problems found\n", "warning(s)\n"))
        assert all(line.startswith(("content/", "references.bib:", "    fix: ")) for line in result.stdout.splitlines()[:-1])
    else:
        assert all(line.startswith(("::error file=", "::warning file=", "::notice file=")) for line in result.stdout.splitlines())


@settings(FUZZ, max_examples=max(20, EXAMPLES // 3))
@given(sentence=st.text(min_size=1, max_size=80))
def test_new_never_overwrites_and_always_writes_a_loadable_claim(fuzz_project, sentence):
    root, config = fuzz_project
    (root / CLAIM_PATH).write_text(CLAIM_MD, encoding="utf-8")
    before = {path: path.read_bytes() for path in (root / "content").rglob("*") if path.is_file()}
    result = run_cli("new", sentence, "--topic", "causes", "-f", str(root / "mkdocs.yml"), "--today", TODAY.isoformat())
    assert result.exit_code in (0, 1, 2)
    assert {path: path.read_bytes() for path in before} == before
    if result.exit_code == 0:
        path = root / result.stdout.strip()
        assert path not in before
        claim, diagnostics = parse_claim(path.read_text(encoding="utf-8"), path, result.stdout.strip(), config)
        assert claim is not None and claim.text == " ".join(claim.text.split())
        assert diagnostics == []
        path.unlink()


# The known traps, one test each.


def claim_with(front_matter_extra: str = "", **replace: str) -> str:
    text = CLAIM_MD
    for old, new in replace.items():
        text = text.replace(old, new)
    return text.replace("---\nA randomised", front_matter_extra + "---\nA randomised")


def codes(root: Path) -> list[tuple[str, str]]:
    result = load_and_check(load_settings(root / "mkdocs.yml"), today=TODAY)
    return [(f"{d.location.path}:{d.location.line}", d.code) for d in result.diagnostics]


CRASHERS = {
    "brackets": "tags: " + "[" * 30_000,
    "braces": "tags: " + "{a: " * 30_000,
    "dashes": "tags:\n" + "- " * 30_000 + "x",
    "question marks": "? " * 30_000 + "x",
    "indentation": "tags:\n" + "".join(" " * i + "- x:\n" for i in range(0, 1_000, 2)),
}


@pytest.mark.parametrize("front_matter", CRASHERS.values(), ids=CRASHERS.keys())
def test_deep_nesting_is_refused_before_libyaml_sees_it(make_project, front_matter):
    # In a child process: without the depth bound libyaml's composer overflows the C stack, and a
    # segfault would take the whole test run down instead of failing one test.
    root = make_project({CLAIM_PATH: f"---\nclaim: Deep.\n{front_matter}\n---\nBody.\n", "references.bib": REFERENCES_BIB})
    program = "import sys; from generator.cli import main; sys.exit(main())"
    args = ["check", "-f", str(root / "mkdocs.yml"), "--today", TODAY.isoformat(), "--format", "json"]
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", program, *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr[-2000:]
    assert time.monotonic() - started < 20
    items = json.loads(done.stdout)
    assert [(i["path"], i["code"]) for i in items if i["code"] != "EV301"] == [(CLAIM_PATH, "EV006")]


def test_alias_bomb_is_rejected_quickly(make_project):
    laughs = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    laughs += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    root = make_project({CLAIM_PATH: claim_with("bomb:\n" + "".join(f"  {line}\n" for line in laughs)), "references.bib": REFERENCES_BIB})
    started = time.monotonic()
    found = codes(root)
    assert time.monotonic() - started < 2
    assert (f"{CLAIM_PATH}:13", "EV006") in found
    assert {code for _, code in found} == {"EV006", "EV102"}


def test_scalar_aliases_are_refused_too(make_project):
    root = make_project({CLAIM_PATH: claim_with(**{"tags: [stretching]": "tags: [&t calves, *t, *t]"}), "references.bib": REFERENCES_BIB})
    assert codes(root) == [(f"{CLAIM_PATH}:4", "EV006")]


def test_duplicate_keys_are_an_error(make_project):
    root = make_project({CLAIM_PATH: claim_with("topic: causes\n"), "references.bib": REFERENCES_BIB})
    result = load_and_check(load_settings(root / "mkdocs.yml"), today=TODAY)
    (diagnostic,) = result.diagnostics
    assert (diagnostic.code, diagnostic.location.line, diagnostic.message) == ("EV005", 11, "`topic` is given twice (first on line 3)")
    assert result.project.claims[0].topic == "prevention"


@pytest.mark.parametrize("size, refused", [(1_000_000, False), (1_000_001, True)])
def test_files_over_the_default_size_limit_are_refused(make_project, size, refused):
    text = CLAIM_MD + "x" * (size - len(CLAIM_MD.encode()) - 1) + "\n"
    root = make_project({CLAIM_PATH: text, "references.bib": REFERENCES_BIB})
    assert len((root / CLAIM_PATH).read_bytes()) == size
    if refused:
        assert codes(root) == [(f"{CLAIM_PATH}:1", "EV002"), ("references.bib:1", "EV301")]
    else:
        assert codes(root) == []


def test_size_limit_is_configurable(make_project):
    root = make_project({CLAIM_PATH: CLAIM_MD, "references.bib": REFERENCES_BIB}, config=MKDOCS_YML + "      max_file_bytes: 100\n")
    result = load_and_check(load_settings(root / "mkdocs.yml"), today=TODAY)
    assert [(d.code, d.message) for d in result.diagnostics if d.code == "EV002"] == [("EV002", f"file is {len(CLAIM_MD.encode())} bytes; the limit is 100 bytes")]


def test_bom_and_crlf_load_like_plain_utf8(make_project):
    plain = load_and_check(load_settings(make_project({CLAIM_PATH: CLAIM_MD, "references.bib": REFERENCES_BIB}) / "mkdocs.yml"), today=TODAY)
    windows = CLAIM_MD.replace("topic: prevention", "topic: prevnetion").replace("\n", "\r\n")
    root = make_project({CLAIM_PATH: b"\xef\xbb\xbf" + windows.encode(), "references.bib": b"\xef\xbb\xbf" + REFERENCES_BIB.replace("\n", "\r\n").encode()})
    bom = load_and_check(load_settings(root / "mkdocs.yml"), today=TODAY)
    assert [(str(d.location), d.code) for d in bom.diagnostics] == [(f"{CLAIM_PATH}:3:1", "EV104")]
    (claim,) = bom.project.claims
    (expected,) = plain.project.claims
    assert (claim.text, claim.evidence, claim.body, claim.body_line, claim.citations) == (expected.text, expected.evidence, expected.body, expected.body_line, expected.citations)
    assert bom.project.references == plain.project.references


@pytest.mark.parametrize(
    "text, code, message",
    [
        ("---\nclaim: Open.\ntopic: prevention\n\nNo closing line.\n", "EV003", "the front matter is not closed by a `---` line"),
        ("\n---\nclaim: Late.\n---\nBody.\n", "EV003", "the file must start with a `---` line"),
        ("---\n- claim: A list.\n- topic: prevention\n---\nBody.\n", "EV007", "the front matter is a list, not a mapping"),
        ("---\nJust a sentence.\n---\nBody.\n", "EV007", "the front matter is a text, not a mapping"),
        ("---\n---\nEmpty front matter.\n", "EV101", "add `claim:` with the claim as one sentence"),
    ],
)
def test_front_matter_that_python_frontmatter_would_silently_empty_is_reported(make_project, text, code, message):
    root = make_project({CLAIM_PATH: text, "references.bib": REFERENCES_BIB})
    result = load_and_check(load_settings(root / "mkdocs.yml"), today=TODAY)
    assert (code, message) in [(d.code, d.message) for d in result.diagnostics]


@pytest.mark.parametrize(
    "reviewed, message",
    [
        ("2026-02-30", "`2026-02-30` is not a real date"),
        ("2026-13-01", "`2026-13-01` is not a real date"),
        ("2026-02-30T12:00:00", "`2026-02-30T12:00:00` is not in YYYY-MM-DD form"),
        ('"2026-02-30"', "`2026-02-30` is not a real date"),
        ("no", "`no` is not in YYYY-MM-DD form"),
    ],
)
def test_impossible_review_dates_are_reported_not_raised(make_project, reviewed, message):
    root = make_project({CLAIM_PATH: claim_with(**{"reviewed: 2026-10-01": f"reviewed: {reviewed}"}), "references.bib": REFERENCES_BIB})
    result = check_project(root, "--format", "json")
    assert result.exit_code == 1
    assert [(i["line"], i["code"], i["message"]) for i in json.loads(result.stdout)] == [(5, "EV106", message)]


def test_yaml_booleans_and_numbers_stay_text(make_project):
    root = make_project({CLAIM_PATH: claim_with(**{"tags: [stretching]": "tags: [no, yes, on, off, 1e3, 0x1F, 2026-11-23]"}), "references.bib": REFERENCES_BIB})
    result = load_and_check(load_settings(root / "mkdocs.yml"), today=TODAY)
    assert result.diagnostics == ()
    assert result.project.claims[0].tags == ("no", "yes", "on", "off", "1e3", "0x1F", "2026-11-23")


def test_python_tags_are_never_constructed(make_project, tmp_path):
    marker = tmp_path / "pwned"
    payload = f"note: !!python/object/apply:os.system ['touch {marker}']\n"
    root = make_project({CLAIM_PATH: claim_with(payload.replace("note", "evidence_gap")), "references.bib": REFERENCES_BIB})
    codes(root)
    assert not marker.exists()


def test_commented_out_bibtex_entries_are_not_live(make_project):
    bib = (
        REFERENCES_BIB
        + """
% @article{jones2019warmup,
%   author = {Jones, Ben}, title = {Warm-up}, journal = {J}, year = {2019}, studytype = {cohort}
% }
@comment{
@article{lee2018salt, author = {Lee, Kim}, title = {Salt}, journal = {J}, year = {2018}, studytype = {rct}}
}
"""
    )
    claim = claim_with(**{"    participants: 120\n": "    participants: 120\n  - source: jones2019warmup\n    stance: supports\n  - source: lee2018salt\n    stance: supports\n"})
    root = make_project({CLAIM_PATH: claim, "references.bib": bib})
    assert codes(root) == [(f"{CLAIM_PATH}:11", "EV113"), (f"{CLAIM_PATH}:13", "EV113")]


def test_undefined_string_macro_is_reported(make_project):
    bib = REFERENCES_BIB.replace("{Journal of Fixture Studies}", "jfs")
    root = make_project({CLAIM_PATH: CLAIM_MD, "references.bib": bib})
    assert codes(root) == [("references.bib:4", "EV207")]


def test_percent_survives_latex_decoding(make_project):
    bib = REFERENCES_BIB.replace("{Static Stretching", "{50% of {MRI} Scans and 10\\% of Static Stretching")
    root = make_project({CLAIM_PATH: CLAIM_MD, "references.bib": bib})
    result = load_and_check(load_settings(root / "mkdocs.yml"), today=TODAY)
    assert result.diagnostics == ()
    assert result.project.references["smith2020stretching"].title.startswith("50% of MRI Scans and 10% of Static Stretching")


UNSAFE_BODIES = {
    "javascript link": ("[x](javascript:alert(1))", "EV118"),
    "entity-encoded javascript": ("[x](&#106;avascript:alert(1))", "EV118"),
    "hex entity and tab": ("[x](java&#x09;script:alert(1))", "EV118"),
    "reference-style": ("[x][r]\n\n[r]: javascript:alert(1)", "EV118"),
    "reference-style, angle brackets": ("[x][r]\n\n[r]: <javascript:alert(1)>", "EV118"),
    "reference-style, entity": ('[x]\n\n[x]: &#106;avascript:alert(1) "t"', "EV118"),
    "reference-style, after an empty one": ("[r]: \n[r]: javascript:alert(1)", "EV118"),
    "reference-style, in a quote": ("> [r]: javascript:alert(1)\n\n[x][r]", "EV118"),
    "reference-style, in a list": ("- [r]: javascript:alert(1)\n\n[x][r]", "EV118"),
    "reference-style, on the next line": ("[x][r]\n\n   [r]:\n   javascript:alert(1)", "EV118"),
    "autolink": ("<javascript:alert(1)>", "EV118"),
    "data url image": ("![i](data:text/html;base64,PHNjcmlwdD4=)", "EV118"),
    "link target after an unclosed one": ('![i](![i](javascript:alert(1)"t"', "EV118"),
    "vbscript": ("[x](VBScript:msgbox(1))", "EV118"),
    "code span as link target": ("[x](`javascript:alert(1)`)", "EV118"),
    "escaped backtick": ("\\`[x](javascript:alert(1))`", "EV118"),
    "code span across paragraphs": ("`a\n\n[x](javascript:alert(1))\n\nb`", "EV118"),
    "code span across list items": ("- `\n- [x](javascript:alert(1))\n- `", "EV118"),
    "unclosed fence": ("Para.\n\n```\n[x](javascript:alert(1))\n", "EV118"),
    "mismatched fence": ("~~~\n[x](javascript:alert(1))\n```\n", "EV118"),
    "longer closing fence": ("```\n[x](javascript:alert(1))\n````\n", "EV118"),
    "fence inside an unclosed fence": ("~~~\n```\n\n<b onclick=alert(1)>\n\n```\n", "EV117"),
    "backtick left open on the line before": ("`\n`<b onclick=alert(1)>`", "EV117"),
    "backtick left open before a quote": ("`\n> `\n> `<b onclick=alert(1)>`", "EV117"),
    "runs of different lengths": ("``<b onclick=alert(1)>```text`", "EV117"),
    "onclick attribute list": ("Text {onclick=alert(1)}", "EV121"),
    "block attribute list": ('Text\n{: onclick="alert(1)" }', "EV121"),
    "heading attribute list": ("# Title { onclick='x' }", "EV121"),
    "script tag": ("<script>alert(1)</script>", "EV117"),
    "event handler": ("<img src=x onerror=alert(1)>", "EV117"),
    "odd tag name": ("x <a_b onclick=alert(1)>", "EV117"),
    "namespaced tag name": ("<a:b onclick=alert(1)>", "EV117"),
    "comment": ("<!-- hidden -->", "EV117"),
}


@pytest.mark.parametrize("body, code", UNSAFE_BODIES.values(), ids=UNSAFE_BODIES.keys())
def test_unsafe_markup_in_a_body_is_reported(make_project, body, code):
    root = make_project(
        {CLAIM_PATH: claim_with().replace("A randomised trial found no effect [@smith2020stretching, p. 4].\n", f"[@smith2020stretching]\n\n{body}\n"), "references.bib": REFERENCES_BIB}
    )
    found = codes(root)
    assert found and {c for _, c in found} == {code}
    assert all(where.startswith(f"{CLAIM_PATH}:") and int(where.rsplit(":", 1)[1]) >= 12 for where, _ in found)


@pytest.mark.parametrize(
    "page",
    [
        "Text <!-- opened in a paragraph\n\n<script>alert(1)</script>\n\n-->",
        "- <!-- in a list\n- <img src=x onerror=alert(1)>\n- -->",
        "<!-->\n<script>alert(1)</script>\n-->",
        "<!--->\n<script>alert(1)</script>\n-->",
        "<!-- closed early --!> <script>alert(1)</script> -->",
        "<!-- fine -->\n<script>alert(1)</script>",
    ],
)
def test_html_hidden_behind_a_comment_in_a_page_is_reported(page):
    assert [p.code for p in find_unsafe_markup(page, allow_comments=True)][:1] == ["EV117"]


def test_build_markers_in_a_page_are_allowed():
    assert find_unsafe_markup("# Home\n\n<!-- evidence:summary -->\n\nText.\n<!-- a note\nover two lines -->\n", allow_comments=True) == []


@pytest.mark.parametrize(
    "body",
    [
        "[ok](https://example.org/a_(b)) and [rel](../causes/) and [anchor](#top) and <https://example.org>",
        "`<script>` and `{onclick=x}` shown as code",
        "```\n<script>alert(1)</script>\n[x](javascript:alert(1))\n```",
        "```python\n{onclick=x}\n```",
        "5 < 6 and 7 > 3, a {curly} word, [@smith2020stretching, p. 4]",
        "Write to <editors@example.org> or see <https://example.org/a?b=c>; p<0.05.",
    ],
)
def test_safe_markup_is_not_reported(body):
    assert find_unsafe_markup(body) == []


# Differential test: whatever Python-Markdown (with the site's extensions) turns into a live link,
# a raw tag or an event handler, `find_unsafe_markup` must have reported.


def site_markdown() -> markdown.Markdown:
    config = yaml.safe_load((Path(__file__).parents[1] / "mkdocs.yml").read_text(encoding="utf-8"))
    names, configs = [], {}
    for item in config.get("markdown_extensions", []):
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        names.append(name)
        if options:
            configs[name] = options
    return markdown.Markdown(extensions=names, extension_configs=configs)


MARKDOWN_TAGS = {
    "p",
    "a",
    "code",
    "pre",
    "div",
    "span",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "em",
    "strong",
    "hr",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "img",
    "details",
    "summary",
    "abbr",
    "sup",
    "sub",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}


def dangerous_url(value: str) -> bool:
    """As a browser reads it: tabs and newlines dropped, then a scheme other than http(s)/mailto."""
    cleaned = "".join(ch for ch in value.strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ") if ch not in "\t\n\r")
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", cleaned)
    return scheme is not None and scheme.group(1).lower() not in ("http", "https", "mailto")


class _Inspector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.unsafe: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in MARKDOWN_TAGS:
            self.unsafe.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "srcdoc"):
                self.unsafe.append(f"{tag} {name}=")
            elif name in URL_ATTRIBUTES and value and dangerous_url(value):
                self.unsafe.append(f"{tag} {name}={value!r}")

    def handle_comment(self, data):
        self.unsafe.append("<!--")

    def handle_pi(self, data):
        self.unsafe.append("<?")

    def unknown_decl(self, data):
        self.unsafe.append("<!")


# As HTML5 ends a comment: `<!-->` and `<!--->` are empty comments, and `--!>` closes one too.
_HTML5_COMMENT = re.compile(r"<!--(?:-?>|.*?--!?>)", re.DOTALL)


def unsafe_in_html(html: str, *, comments_allowed: bool = False) -> list[str]:
    inspector = _Inspector()
    try:
        inspector.feed(_HTML5_COMMENT.sub("", html) if comments_allowed else html)
        inspector.close()
    except AssertionError:  # html.parser gives up on `<![x`: count it as markup a browser may read
        inspector.unsafe.append("unparsed markup")
    return inspector.unsafe


MARKDOWN_PIECES = [
    "text",
    " ",
    "\n",
    "\n\n",
    "    ",
    "  ",
    "\t",
    "> ",
    "- ",
    "1. ",
    "# ",
    "!!! note\n    ",
    "??? note\n    ",
    "| a | b |\n|---|---|\n| ",
    " |",
    "`",
    "``",
    "```",
    "~~~",
    "````",
    "```python\n",
    "\\",
    "\\`",
    "*",
    "_",
    "[x]",
    "[x](",
    "](",
    ")",
    "(",
    "[x][r]",
    "[r]: ",
    "\n[r]: ",
    "![i](",
    "<",
    ">",
    "javascript:alert(1)",
    "&#106;avascript:x",
    "java\tscript:x",
    "data:text/html,x",
    "https://ok.example/",
    "#anchor",
    '"title"',
    "{",
    "}",
    "{onclick=x}",
    "{: .c }",
    '{: onclick="x" }',
    "{#id}",
    "=",
    "'",
    "<b>",
    "</b>",
    "<script>",
    "<img src=x onerror=y>",
    "<!--",
    "-->",
    "<div markdown>",
    "</div>",
    "&lt;",
    "&#60;",
    "*[HTML]: x",
    "[^1]",
    "[@smith2020stretching]",
    "<http://ok.example>",
    "<javascript:x>",
    "<!-->",
    "<!--->",
    "--!>",
    "--",
    "<!-- evidence:summary -->\n",
    "<a_b onclick=x>",
    "<x:y",
    "<x.y",
    " onclick=x>",
    "<me@example.org>",
    "@",
    "<HTTP://ok.example/>",
    "\\\\",
    "\\`",
    "|",
    "\n| h |\n|---|\n| ",
    '[r]: http://x "`"\n',
    "\n# ",
    "\n***\n",
    "\n===\n",
    "\xa0",
    "\u3000",
]
_MARKDOWN = site_markdown()


@pytest.mark.parametrize("page", [False, True], ids=["claim body", "hand-written page"])
@settings(FUZZ, max_examples=max(200, EXAMPLES * 3))
@given(pieces=st.lists(st.sampled_from(MARKDOWN_PIECES), min_size=1, max_size=25))
def test_whatever_markdown_renders_unsafely_is_reported(page, pieces):
    # Pages may keep HTML comments (build markers); claim bodies may not.
    body = "".join(pieces)
    rendered = _MARKDOWN.reset().convert(body)
    unsafe = unsafe_in_html(rendered, comments_allowed=page)
    if unsafe:
        assert find_unsafe_markup(body, allow_comments=page), f"{body!r} renders {unsafe} in {rendered!r} but nothing was reported"


def tree_hashes(root: Path) -> dict[str, str]:
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir" for path in sorted(root.rglob("*"))}


@pytest.mark.parametrize("case", ["good", "errors", "odd encodings"])
def test_check_never_modifies_the_project(make_project, tmp_path, case):
    files = {path.relative_to(GOOD).as_posix(): path.read_bytes() for path in GOOD.rglob("*") if path.is_file() and path.name != "expected.txt"}
    if case == "errors":
        files[CLAIM_PATH] = b"---\nclaim: [unclosed\n---\n"
        files["references.bib"] = files["references.bib"] + b"\n@article{broken,\n"
    elif case == "odd encodings":
        files = {path: b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n") for path, data in files.items() if path != "mkdocs.yml"} | {"mkdocs.yml": files["mkdocs.yml"]}
        files["content/claims/causes/latin1.md"] = "---\nclaim: Café\n---\n".encode("latin-1")
    root = make_project(files, config=None)
    before = tree_hashes(root)
    for output_format in ("text", "json", "github"):
        assert check_project(root, "--format", output_format, "--strict").exit_code in (0, 1)
    assert tree_hashes(root) == before


def test_symlinks_out_of_the_project_are_reported_and_not_followed(make_project, tmp_path):
    outside = tmp_path / "outside"
    secret = "---\nclaim: SECRET FROM OUTSIDE\ntopic: nowhere\n---\n[x](javascript:alert(1))\n"
    make_tree(outside, {"secret-claim.md": secret, "claims/causes/stolen-claim.md": secret, "passwd": "root:x:0:0\n"})
    root = make_project(CLEAN_PROJECT)
    links = {
        "content/claims/prevention/secret-claim.md": outside / "secret-claim.md",
        "content/claims/causes": outside / "claims/causes",
        "content/passwd.txt": outside / "passwd",
        "content/claims/prevention/absolute.md": Path("/etc/hostname"),
        "content/loop": root / "content",
        "content/claims/prevention/dangling.md": root / "nowhere.md",
    }
    for link, target in links.items():
        (root / link).symlink_to(target)
    result = load_and_check(load_settings(root / "mkdocs.yml"), today=TODAY)
    assert sorted((d.location.path, d.code) for d in result.diagnostics) == sorted((link, "EV008") for link in links)
    assert [claim.id for claim in result.project.claims] == ["stretching-prevents-cramps"]
    assert result.project.assets == () and result.project.pages == ()
    assert all("SECRET" not in d.message and "javascript" not in d.message for d in result.diagnostics)


def test_symlink_inside_the_project_is_followed(make_project):
    root = make_project({**CLEAN_PROJECT, "shared/logo.svg": "<svg/>"})
    (root / "content/logo.svg").symlink_to(root / "shared/logo.svg")
    result = load_and_check(load_settings(root / "mkdocs.yml"), today=TODAY)
    assert result.diagnostics == ()
    assert [asset.rel_path for asset in result.project.assets] == ["logo.svg"]


@pytest.mark.parametrize("topic", ["../../outside", "/etc", "prevention/../../x", "..", "prevention\x00"])
def test_path_like_topics_are_invalid(make_project, topic):
    root = make_project({CLAIM_PATH: claim_with(**{"topic: prevention": f"topic: {json.dumps(topic)}"}), "references.bib": REFERENCES_BIB})
    assert codes(root) == [(f"{CLAIM_PATH}:3", "EV104")]


def test_claim_ids_that_are_not_slugs_are_invalid_and_hidden_files_are_skipped(make_project):
    root = make_project({"content/claims/prevention/..hidden.md": "not a claim", "content/claims/prevention/Bad Name.md": CLAIM_MD, "references.bib": REFERENCES_BIB})
    assert codes(root) == [("content/claims/prevention/Bad Name.md:1", "EV108")]


def test_new_never_overwrites_an_existing_claim_even_in_another_topic(make_project):
    root = make_project(CLEAN_PROJECT)
    before = tree_hashes(root)
    for topic in ("prevention", "causes"):
        result = run_cli("new", "Stretching prevents cramps", "--topic", topic, "-f", str(root / "mkdocs.yml"))
        assert result.exit_code == 1
        assert "already exists" in result.stderr
    assert tree_hashes(root) == before
