"""The rule catalogue: every diagnostic the tool can report, with its code and how to fix it.

Codes are stable and never reused; the editors' guide and the JSON output are generated from
this table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .model import Location


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    #: Worth knowing, never a failure, not even under --strict; summed up in one line unless --verbose.
    INFO = "info"


@dataclass(frozen=True)
class Rule:
    code: str
    slug: str
    severity: Severity
    summary: str
    fix: str


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

RULES: tuple[Rule, ...] = (
    # Files and syntax
    Rule("EV001", "not-utf8", _E, "The file is not valid UTF-8.", "Save the file as UTF-8 (without a byte-order mark is best)."),
    Rule("EV002", "file-too-large", _E, "The file is larger than the configured size limit.", "Split the content, or raise `max_file_bytes` in the plugin config."),
    Rule("EV003", "front-matter-missing", _E, "The claim file has no YAML front matter between `---` lines.", "Start the file with `---`, the YAML fields, then a closing `---` line."),
    Rule("EV004", "yaml-syntax", _E, "The front matter is not valid YAML.", "Fix the YAML at the line shown; quote strings that contain `: ` or start with a special character."),
    Rule("EV005", "yaml-duplicate-key", _E, "A key appears twice in the same YAML mapping.", "Keep one of the two values."),
    Rule(
        "EV006", "yaml-too-complex", _E, "The front matter nests too deeply or uses YAML anchors/aliases.", "Write plain fields and lists; anchors (&), aliases (*) and deep nesting are not allowed."
    ),
    Rule("EV007", "front-matter-not-mapping", _E, "The front matter is not a mapping of field names to values.", "Write `field: value` lines, not a list or a bare value."),
    Rule("EV008", "symlink-outside-project", _E, "A file or folder in content/ links to a place outside the project.", "Replace the symbolic link with the file itself."),
    # Claim fields
    Rule("EV101", "claim-missing", _E, "The `claim` field is missing or empty.", "Add `claim:` with the claim as one sentence."),
    Rule("EV102", "unknown-field", _E, "A front-matter field is not part of the claim format.", "Remove it or correct its spelling (see the table of fields in the editors' guide)."),
    Rule("EV103", "wrong-type", _E, "A field has the wrong type.", "Give the field the type shown in the editors' guide (text, list or date)."),
    Rule("EV104", "invalid-topic", _E, "`topic` is not one of the topics configured in mkdocs.yml.", "Use one of the listed topics, or add the topic to the plugin's `topics` setting."),
    Rule("EV105", "topic-folder-mismatch", _E, "The claim's `topic` differs from the folder it is in.", "Move the file to content/claims/<topic>/ or correct `topic`."),
    Rule("EV106", "invalid-date", _E, "`reviewed` is not a real date in YYYY-MM-DD form.", "Write the date as YYYY-MM-DD, for example 2026-11-20."),
    Rule("EV107", "date-in-future", _E, "`reviewed` lies in the future.", "Use the date the evidence was actually checked."),
    Rule("EV108", "invalid-claim-id", _E, "The file name is not a valid claim id.", "Rename the file to lowercase ASCII words joined by hyphens, e.g. `coffee-before-a-race-helps.md`."),
    Rule("EV109", "duplicate-claim-id", _E, "Two claim files have the same id (file name).", "Rename one of them; ids must be unique across all topics."),
    Rule("EV110", "no-evidence", _E, "The claim lists no evidence.", "Add at least one entry under `evidence:` with a `source` and a `stance`."),
    Rule("EV111", "invalid-stance", _E, "An evidence entry has no valid `stance`.", "Use `supports`, `contradicts`, `mixed` or `background`."),
    Rule("EV112", "evidence-source-missing", _E, "An evidence entry has no `source`.", "Add `source:` with a key from references.bib."),
    Rule("EV113", "unknown-reference", _E, "A reference key in the front matter is not in references.bib.", "Correct the key or add the reference to references.bib."),
    Rule("EV114", "unknown-citation", _E, "A `[@key]` citation in the text is not in references.bib.", "Correct the key or add the reference to references.bib."),
    Rule("EV115", "opposes-unknown-claim", _E, "`opposes` names a claim that does not exist.", "Use the id (file name without .md) of an existing claim."),
    Rule("EV116", "opposes-itself", _E, "`opposes` names the claim itself.", "Remove the claim's own id from `opposes`."),
    Rule("EV117", "raw-html", _E, "The text contains raw HTML, which claim files may not use.", "Write Markdown instead of HTML; see the editors' guide for what is allowed."),
    Rule("EV118", "unsafe-link", _E, "A link in the text does not use http, https, a relative path or an anchor.", "Link only to http(s) addresses or to pages of the site."),
    Rule("EV119", "duplicate-evidence", _E, "The same source is listed twice under `evidence`.", "Merge the two entries into one."),
    Rule("EV120", "cites-on-study", _E, "`cites` is only for web articles: the studies the article itself cites.", "Remove `cites`, or move it to the web article's evidence entry."),
    Rule("EV121", "attribute-list", _E, "The text uses a Markdown attribute list `{...}`, which claim files may not use.", "Remove the `{...}` attribute list."),
    Rule(
        "EV122",
        "invalid-participants",
        _E,
        "`participants` is not a positive whole number.",
        "Give the number of people the study measured (for a review, the number it pooled), e.g. `participants: 80`, or `participants: not reported` when the source does not say.",
    ),
    Rule(
        "EV123",
        "invalid-indirectness",
        _E,
        "`indirectness` is not `serious` or `very serious`, or has no `indirect` reason.",
        "Write `indirect:` with the reason, and `indirectness: very serious` only when the source is far from the claim.",
    ),
    Rule("EV124", "short-too-long", _E, "`short` is longer than 60 characters.", "Shorten it: it is the page title shown in browser tabs and search results."),
    Rule("EV125", "participants-on-non-study", _E, "`participants` is given for a web article or an opinion source, which studied no one.", "Remove `participants` from this entry."),
    Rule("EV130", "yaml-tag", _E, "The front matter uses a YAML tag such as `!!python/object` or `!ENV`.", "Remove the tag and write the value as plain text, in quotes if it starts with `!`."),
    Rule(
        "EV131",
        "invisible-character",
        _E,
        "The file contains an invisible control character (a bidi override, a zero-width space, a control code).",
        "Delete the character at the position shown; editors often show it as a small box or nothing at all.",
    ),
    Rule(
        "EV132",
        "broken-internal-link",
        _E,
        "A link to a page or file of the site leads nowhere.",
        "Correct the path: links are relative to the file's place in content/ (a claim in another topic is `../<topic>/<id>.md`).",
    ),
    # References
    Rule("EV201", "bibtex-syntax", _E, "references.bib has a BibTeX syntax error.", "Fix the entry at the line shown (often an unbalanced brace or a missing comma)."),
    Rule("EV202", "duplicate-reference-key", _E, "Two BibTeX entries have the same key.", "Rename or remove one of them."),
    Rule("EV203", "invalid-study-type", _E, "The entry's `studytype` is missing or not a known study type.", "Add `studytype = {...}` with one of the study types in the editors' guide."),
    Rule("EV204", "missing-required-field", _E, "The entry lacks a field its type requires.", "Add the field, or list it in `unknown = {...}` if the source does not state it."),
    Rule("EV205", "invalid-url", _E, "A URL is not an http(s) address.", "Use a full http:// or https:// address."),
    Rule("EV206", "invalid-doi", _E, "A DOI is malformed.", "Write the bare DOI, e.g. `10.1136/bjsm.2008.050351`."),
    Rule("EV207", "undefined-macro", _E, "A field uses a @string macro that is not defined.", "Define it with @string, or put the value in braces."),
    Rule("EV208", "invalid-unknown-list", _E, "`unknown` lists a field that is present or not required.", "List in `unknown` only required fields that the source does not state."),
    Rule("EV209", "invalid-year", _E, "`year` or `date` is not a year or an ISO date.", "Write a four-digit year, or `date` as YYYY, YYYY-MM or YYYY-MM-DD."),
    Rule(
        "EV210",
        "invalid-key",
        _E,
        "A BibTeX key contains a space, or a character that would end a citation: a brace, bracket, parenthesis, quote, comma, `=`, `#`, `%`, `~`, `@`, `;` or backslash.",
        "Rename the key; letters, digits and `_-:./?+` are safe.",
    ),
    Rule(
        "EV211",
        "unresolved-crossref",
        _E,
        "`crossref`, `xdata` or `entryset` names an entry that is not in the bibliography, or leads back to the entry itself.",
        "Correct the key, or add the entry it names.",
    ),
    Rule("EV212", "cites-a-set", _E, "A claim cites a `@set`, which only groups other entries.", "List the set's members one by one, each with its own stance."),
    # Warnings
    Rule(
        "EV301",
        "unused-reference",
        _I,
        "A reference is not cited by any claim.",
        "Nothing to do: only cited references need a `studytype` and every required field. `evidence check --verbose` lists each uncited one.",
    ),
    Rule("EV302", "citation-not-in-evidence", _W, "A `[@key]` in the text is not listed under `evidence`.", "Add the source to `evidence` with its stance."),
    Rule("EV303", "review-stale", _W, "The claim has not been reviewed within the configured time.", "Re-check the evidence and update `reviewed`."),
    Rule(
        "EV304",
        "web-only-evidence",
        _W,
        "The claim rests on web articles alone and does not say so.",
        "Cite a study that bears on it, or add `evidence_gap:` with one sentence on what was searched for and not found (the page then shows it).",
    ),
    Rule(
        "EV305",
        "participants-unknown",
        _W,
        "A study counted on the claim has no `participants`, so it counts as zero people.",
        "Add `participants:` with the number of people it studied (for a review, the number it pooled).",
    ),
    Rule(
        "EV306",
        "nothing-counted",
        _W,
        "Every source of the claim is `background`, so nothing is counted and the verdict is insufficient evidence.",
        "Add a source that answers the claim, or keep the claim as an open question.",
    ),
    Rule(
        "EV310",
        "keys-differ-in-case",
        _W,
        "Two BibTeX keys differ only in upper and lower case.",
        "Rename one of them: biber tells them apart, but classic BibTeX rejects the file and readers confuse them.",
    ),
    Rule(
        "EV311",
        "unsplittable-name",
        _W,
        "A name in `author` or `editor` has more than two commas, so it cannot be split into its parts.",
        "Join names with `and`, write each as `Last, First` or `Last, Jr, First`, and brace an organisation: `{World Health Organization}`.",
    ),
    Rule(
        "EV312",
        "citation-not-rendered",
        _W,
        "A citation is written in a form the site shows as plain text: `\\cite{...}`, a footnote-style `^[@key]`, or `@key` outside brackets.",
        "Write the citation as `[@key]` or `[@key, p. 3]` inside the sentence.",
    ),
    Rule(
        "EV313",
        "participants-not-reported",
        _I,
        "A counted study's source does not report how many people it studied (`participants: not reported`), so it counts as zero people.",
        "Nothing to do if the source really does not say; the page names the study as one whose size is not reported.",
    ),
    # Configuration (exit code 2)
    Rule("EV401", "config-error", _E, "The project configuration is invalid.", "Correct mkdocs.yml or the command-line options."),
    # A bug in the tool itself (exit code 3)
    Rule(
        "EV501",
        "internal-error",
        _E,
        "The tool failed unexpectedly; this is a bug, not a problem in the content.",
        "Report it with the command and its output; the lines after the message name where it failed.",
    ),
)

RULES_BY_CODE = {rule.code: rule for rule in RULES}
CONFIG_ERROR = "EV401"
INTERNAL_ERROR = "EV501"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in the project, pinned to a place in a file."""

    location: Location
    code: str
    message: str

    @property
    def rule(self) -> Rule:
        return RULES_BY_CODE[self.code]

    @property
    def severity(self) -> Severity:
        return self.rule.severity


def problem(code: str, location: Location, message: str) -> Diagnostic:
    """Make a diagnostic, failing loudly (a bug) if the code is not in the catalogue."""
    if code not in RULES_BY_CODE:
        raise KeyError(f"unknown rule code {code}")
    return Diagnostic(location, code, message)
