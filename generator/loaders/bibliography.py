"""Loading references.bib with bibtexparser v2: BibTeX or BibLaTeX, as people keep it.

bibtexparser is run without its middlewares: string macros are resolved here so that an
undefined macro is reported instead of kept as text, lines commented out with `%` and
`@comment{...}` blocks are blanked before parsing (bibtexparser keeps the entries in them
live), an entry whose braces do not balance is named and blanked (so it cannot swallow the
entries after it), and a value that is not one braced, quoted or macro value is reported
(usually a missing comma, which bibtexparser would merge into the field).

`xdata`, `crossref` and `@set` are resolved as biber resolves them, before anything is checked.
Only what breaks the file for every reader is reported for every entry; whether an entry is
complete (study type, required fields, a valid year, URL or DOI) matters only for the entries
claims cite, so those problems are kept per entry and reported by the checks for cited keys.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
from bibtexparser import model as bib
from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names

from ..bodies import blank
from ..model import Location, Person, Reference, StudyType
from ..rules import Diagnostic, problem
from ..urls import is_http_url
from .claims import did_you_mean
from .latex import decode_latex
from .text import read_text

logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)

# What biber accepts in a key, less what would break a citation or a YAML list: no space,
# no braces, parentheses, quotes, comma, `=`, `#`, `%`, `~` or backslash.
REFERENCE_KEY = re.compile(r"^[^\s{}()\"',=#%~\\@\[\];]+$")
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
YEAR = re.compile(r"^\d{4}$")
ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:/.*)?$")
_COMMENT_LINE = re.compile(r"^[ \t]*%[^\n]*", re.MULTILINE)
_COMMENT_BLOCK = re.compile(r"@comment[ \t]*[{(]", re.IGNORECASE)
_MACRO_NAME = re.compile(r"^[A-Za-z_][^\s\"#%'(),={}]*$")
_BLOCK_START = re.compile(r"^[ \t]*@[ \t]*(?P<type>[A-Za-z]+)[ \t]*(?P<open>[{(])[ \t]*(?P<key>[^,\s{}()]*)", re.MULTILINE)
_BRACE = re.compile(r"[{}]")
_FIELD_START = re.compile(r"^[ \t]*[A-Za-z][\w:.+-]*[ \t]*=")
_RAW_FIELDS = frozenset({"url", "doi", "file", "urldate", "date", "pmid", "pmcid", "isbn", "issn", "studytype", "unknown", "eprint", "eprinttype", "eprintclass", "crossref", "xdata", "entryset"})
_MONTHS = {m: str(i) for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
# biblatex's names for BibTeX fields, and biber's default source map of legacy names.
FIELD_ALIASES = {"journaltitle": "journal", "location": "address", "archiveprefix": "eprinttype", "primaryclass": "eprintclass"}
# An `eprint` is a locator: where these archives keep it (biblatex's `eprinttype`, BibTeX's `archiveprefix`).
_EPRINT_URLS = {"arxiv": "https://arxiv.org/abs/{}", "pubmed": "https://pubmed.ncbi.nlm.nih.gov/{}/", "hdl": "https://hdl.handle.net/{}", "jstor": "https://www.jstor.org/stable/{}"}
ENTRY_TYPE_ALIASES = {"conference": "inproceedings", "electronic": "online", "www": "online"}

#: Fields each entry type requires (a tuple is "one of these"), after crossref and xdata.
REQUIRED_FIELDS: dict[str, tuple] = {
    "*": ("title", "year"),
    "article": ("author", "journal"),
    "online": (("url", "eprint", "doi"), ("author", "editor", "organization", "publisher")),
    "webpage": (("url", "eprint", "doi"), ("author", "editor", "organization", "publisher")),
    "book": (("author", "editor"), "publisher"),
    "incollection": ("author", "booktitle", "publisher"),
    "inbook": (("author", "editor"), "publisher"),
    "inproceedings": ("author", "booktitle"),
    "report": (("author", "institution", "organization"),),
    "techreport": (("author", "institution", "organization"),),
    "thesis": ("author", ("school", "institution")),
    "phdthesis": ("author", ("school", "institution")),
    "mastersthesis": ("author", ("school", "institution")),
    "misc": (("author", "editor", "organization", "publisher", "howpublished"),),
}

# Fields biber never passes from a parent to a child, plus this project's per-entry `unknown`.
_NEVER_INHERITED = frozenset(
    {
        "ids",
        "crossref",
        "xref",
        "xdata",
        "entryset",
        "entrysubtype",
        "execute",
        "label",
        "options",
        "presort",
        "related",
        "relatedoptions",
        "relatedstring",
        "relatedtype",
        "shorthand",
        "shorthandintro",
        "sortkey",
        "unknown",
    }
)


def _title_as(prefix: str, title: str) -> dict[str, str | None]:
    return {"title": title, "subtitle": prefix + "subtitle", "titleaddon": prefix + "titleaddon", "shorttitle": None, "sorttitle": None, "indextitle": None, "indexsorttitle": None}


# biblatex's \DeclareDataInheritance: a parent's title becomes the child's booktitle, maintitle
# or journal title (None: not inherited); the first matching rule applies.
_INHERITANCE: tuple[tuple[frozenset[str], frozenset[str], dict[str, str | None]], ...] = (
    (frozenset({"mvbook"}), frozenset({"book"}), _title_as("main", "maintitle")),
    (frozenset({"mvbook", "book"}), frozenset({"inbook", "bookinbook", "suppbook"}), _title_as("book", "booktitle")),
    (frozenset({"mvcollection", "mvreference"}), frozenset({"collection", "reference", "incollection", "inreference", "suppcollection"}), _title_as("main", "maintitle")),
    (frozenset({"mvproceedings"}), frozenset({"proceedings", "inproceedings"}), _title_as("main", "maintitle")),
    (frozenset({"collection", "reference"}), frozenset({"incollection", "inreference", "suppcollection"}), _title_as("book", "booktitle")),
    (frozenset({"proceedings"}), frozenset({"inproceedings"}), _title_as("book", "booktitle")),
    (frozenset({"periodical"}), frozenset({"article", "suppperiodical"}), _title_as("journal", "journal")),
)

#: Study types as people write them, for suggestions ("randomized controlled trial" -> rct).
STUDY_TYPE_SYNONYMS: dict[str, StudyType] = {
    "randomized controlled trial": StudyType.RCT,
    "randomised controlled trial": StudyType.RCT,
    "randomized trial": StudyType.RCT,
    "randomised trial": StudyType.RCT,
    "clinical trial": StudyType.CONTROLLED_TRIAL,
    "non-randomized trial": StudyType.CONTROLLED_TRIAL,
    "metaanalysis": StudyType.META_ANALYSIS,
    "meta analysis": StudyType.META_ANALYSIS,
    "review": StudyType.NARRATIVE_REVIEW,
    "literature review": StudyType.NARRATIVE_REVIEW,
    "cohort study": StudyType.COHORT,
    "prospective cohort": StudyType.COHORT,
    "observational": StudyType.COHORT,
    "case control": StudyType.CASE_CONTROL,
    "case-control study": StudyType.CASE_CONTROL,
    "cross sectional": StudyType.CROSS_SECTIONAL,
    "survey": StudyType.CROSS_SECTIONAL,
    "case report": StudyType.CASE_SERIES,
    "case study": StudyType.CASE_SERIES,
    "practice guideline": StudyType.GUIDELINE,
    "consensus statement": StudyType.GUIDELINE,
    "opinion": StudyType.EXPERT_OPINION,
    "editorial": StudyType.EXPERT_OPINION,
    "textbook": StudyType.REFERENCE_WORK,
    "encyclopedia": StudyType.REFERENCE_WORK,
    "website": StudyType.WEB_ARTICLE,
    "web page": StudyType.WEB_ARTICLE,
    "webpage": StudyType.WEB_ARTICLE,
    "blog": StudyType.WEB_ARTICLE,
    "news": StudyType.WEB_ARTICLE,
}

#: Stands for BibTeX's `and others`; displays, and is formatted, as "et al.".
ET_AL = Person(literal="et al.")


@dataclass(frozen=True)
class Bibliography:
    """A parsed bibliography: its references, the problems every reader of the file would hit,
    and per entry the problems that matter only if a claim cites it."""

    references: dict[str, Reference]
    diagnostics: tuple[Diagnostic, ...] = ()
    entry_problems: Mapping[str, tuple[Diagnostic, ...]] = field(default_factory=dict)
    unreadable_keys: frozenset[str] = frozenset()
    sets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: The entries each entry takes fields from through `crossref` and `xdata`.
    parents: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def problems(self, cited: Iterable[str] | None = None) -> list[Diagnostic]:
        """The file's diagnostics plus those of the cited entries (of every entry if None), and
        the broken links (EV211) of the entries they take fields from."""
        keys = list(dict.fromkeys(self.entry_problems.keys() if cited is None else cited))
        found = list(self.diagnostics)
        for key in keys:
            found += self.entry_problems.get(key, ())
        ancestors, queue = set(keys), [p for key in keys for p in self.parents.get(key, ())]
        while queue:
            key = queue.pop()
            if key not in ancestors:
                ancestors.add(key)
                found += [d for d in self.entry_problems.get(key, ()) if d.code == "EV211"]
                queue += self.parents.get(key, ())
        return found


@dataclass
class _RawEntry:
    """One entry's fields after macro expansion, before inheritance and decoding."""

    key: str
    entry_type: str
    location: Location
    fields: dict[str, str]
    lines: dict[str, int]
    own: frozenset[str] = frozenset()
    problems: list[Diagnostic] = field(default_factory=list)
    unreadable: bool = False
    parents: list[str] = field(default_factory=list)


def _suggest_study_type(raw: str) -> str:
    wanted = " ".join(raw.lower().replace("_", " ").split())
    if wanted in {t.value for t in StudyType}:
        return f" (did you mean `{wanted}`?)"
    synonym = STUDY_TYPE_SYNONYMS.get(wanted) or STUDY_TYPE_SYNONYMS.get(wanted.removesuffix("s"))
    if synonym is None:
        synonym = next((t for t in StudyType if wanted.replace(" ", "-") == t.value), None)
    if synonym is not None:
        return f" (did you mean `{synonym.value}`?)"
    return did_you_mean(wanted, [t.value for t in StudyType])


def _split_concatenation(raw: str) -> list[str]:
    if "#" not in raw:  # the usual case, without walking the value character by character
        return [raw.strip()]
    parts, depth, quote, start = [], 0, False, 0
    for index, char in enumerate(raw):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quote = not quote
        elif char == "#" and depth == 0 and not quote:
            parts.append(raw[start:index].strip())
            start = index + 1
    parts.append(raw[start:].strip())
    return parts


def _is_delimited(part: str) -> bool:
    """True if `part` is exactly one `{...}` or `"..."` value (not `{a} b = {c}`)."""
    if len(part) < 2 or (part[0], part[-1]) not in (("{", "}"), ('"', '"')):
        return False
    inner = part[1:-1]
    if "{" not in inner and "}" not in inner:  # the usual case, without the character walk
        return part[0] == "{" or '"' not in inner
    depth = 0
    for char in inner:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return False
        elif char == '"' and part[0] == '"' and depth == 0:
            return False
    return depth == 0


def _resolve(raw: str, macros: dict[str, str]) -> tuple[str, list[str], list[str]]:
    """A field's value with enclosing braces/quotes removed and macros expanded.

    Also returns the undefined macros, and the parts that are no value at all.
    """
    values, undefined, malformed = [], [], []
    for part in _split_concatenation(raw.strip()):
        if _is_delimited(part):
            values.append(part[1:-1])
        elif part.isdigit():
            values.append(part)
        elif part.lower() in macros:
            values.append(macros[part.lower()])
        elif part.lower() in _MONTHS:
            values.append(_MONTHS[part.lower()])
        elif _MACRO_NAME.match(part):
            undefined.append(part)
            values.append(part)
        else:
            malformed.append(part)
    return "".join(values), undefined, malformed


def _after_first_value(part: str) -> str:
    """What follows the first braced, quoted or bare value in `part`."""
    if part[:1] not in ("{", '"'):
        pieces = part.split(None, 1)
        return pieces[1] if len(pieces) > 1 else ""
    closer = "}" if part[0] == "{" else '"'
    depth = 0
    for index in range(1, len(part)):
        if depth == 0 and part[index] == closer:
            return part[index + 1 :]
        depth += (part[index] == "{") - (part[index] == "}")
    return part


def _persons(raw: str, key: str, at: Location) -> tuple[tuple[Person, ...], list[Diagnostic]]:
    """Names split as BibTeX splits them; a name with more than two commas is kept whole and reported."""
    persons, problems = [], []
    names = split_multiple_persons_names(raw)
    for index, name in enumerate(names):
        name = name.strip()
        if not name:
            continue
        if name.lower() == "others":
            if index == len(names) - 1 and persons:
                persons.append(ET_AL)
            continue
        if name.startswith("{") and name.endswith("}") and _balanced_inside(name):
            persons.append(Person(literal=decode_latex(name[1:-1])))
            continue
        if name.count(",") > 2 and _top_level_commas(name) > 2:
            problems.append(
                problem("EV311", at, f"`{' '.join(name.split())[:60]}` in `{key}` has {_top_level_commas(name)} commas; a name is `Last, First` or `Last, Jr, First`, and names are joined by `and`")
            )
            persons.append(Person(literal=decode_latex(name)))
            continue
        try:
            parts = parse_single_name_into_parts(name, strict=False)
        except Exception:  # bibtexparser raises on names it cannot split; keep the text
            persons.append(Person(literal=decode_latex(name)))
            continue
        family = " ".join(parts.von + parts.last + ([] if not parts.jr else [", " + " ".join(parts.jr)]))
        persons.append(Person(family=decode_latex(family).replace(" , ", ", "), given=decode_latex(" ".join(parts.first))))
    return tuple(persons), problems


def _top_level_commas(name: str) -> int:
    depth, commas = 0, 0
    for char in name:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == "," and depth == 0:
            commas += 1
    return commas


def _balanced_inside(text: str) -> bool:
    depth = 0
    for char in text[1:-1]:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _blank_comments(text: str) -> str:
    """Blank `%` comment lines and `@comment{...}` blocks, keeping every line where it was."""
    text = _COMMENT_LINE.sub(lambda m: " " * len(m.group(0)), text)
    if "@comment" not in text.lower():
        return text
    pieces, last = [], 0
    for match in _COMMENT_BLOCK.finditer(text):
        if match.start() < last:
            continue  # inside a block already blanked
        opener = text[match.end() - 1]
        closer = "}" if opener == "{" else ")"
        depth = 0
        for index in range(match.end() - 1, len(text)):
            depth += (text[index] == opener) - (text[index] == closer)
            if depth == 0:
                pieces += [text[last : match.start()], blank(text[match.start() : index + 1])]
                last = index + 1
                break
    return "".join(pieces) + text[last:]


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _unbalanced_blocks(text: str, rel_path: str) -> tuple[str, list[Diagnostic], set[str]]:
    """Find `@type{...}` blocks whose braces do not balance before the next block starts.

    Such a block is reported once, by its key and the line of the brace left open, and blanked,
    so that bibtexparser neither aborts on the next entry nor swallows the entries after it.
    """
    starts = list(_BLOCK_START.finditer(text))
    diagnostics: list[Diagnostic] = []
    failed: set[str] = set()
    regions: list[tuple[int, int]] = []
    for index, start in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        block = text[start.start() : end]
        if start.group("open") == "(" or block.count("{") <= block.count("}") or _closes(block):
            continue  # closed (what follows it is bibtexparser's to read), or parenthesised
        key, entry_type = start.group("key"), start.group("type")
        named = f"`@{entry_type}{{{key}`" if key else f"`@{entry_type}`"
        block_line = _line_of(text, start.start())
        message = _unbalanced_message(block, block_line, named, end == len(text))
        diagnostics.append(problem("EV201", Location(rel_path, block_line), message))
        if key and entry_type.lower() not in ("string", "preamble", "comment"):
            failed.add(key)
        regions.append((start.start(), end))
    if not regions:
        return text, diagnostics, failed
    pieces, last = [], 0
    for begin, end in regions:
        pieces += [text[last:begin], blank(text[begin:end])]
        last = end
    return "".join(pieces) + text[last:], diagnostics, failed


def _closes(block: str) -> bool:
    """True if the brace that opens the block is closed within it."""
    depth = 0
    for brace in _BRACE.finditer(block):
        depth += 1 if brace.group(0) == "{" else -1
        if depth == 0:
            return True
    return False


def _unbalanced_message(block: str, first_line: int, named: str, at_end: bool) -> str:
    """Which brace of a block that never closes is the culprit: the one still open where the next field starts."""
    depth, open_at = 0, []
    for number, line in enumerate(block.split("\n")):
        if depth == 2 and number and _FIELD_START.match(line):
            return f"unbalanced brace in {named}: the `{{` opened on line {first_line + open_at[-1]} is still open where the next field starts (line {first_line + number}); the entry is skipped"
        for brace in _BRACE.finditer(line):
            if brace.group(0) == "{":
                depth += 1
                open_at.append(number)
            elif open_at:
                depth -= 1
                open_at.pop()
    where = "the end of the file" if at_end else "the next entry"
    return f"unbalanced brace in {named}: the `{{` opened on line {first_line + open_at[-1]} is never closed before {where}; the entry is skipped"


_NEWCOMMAND = re.compile(r"\\(?:re)?(?:newcommand|providecommand|DeclareRobustCommand)\*?\s*\{?\\(?P<name>[A-Za-z]+)\}?\s*(?:\[(?P<args>\d)\])?\s*\{")
_DEF = re.compile(r"\\def\s*\\(?P<name>[A-Za-z]+)(?P<params>(?:#\d)*)\s*\{")


def _braced(text: str, open_at: int) -> tuple[str, int] | None:
    """The content of the brace group opening at `open_at`, and the index after it."""
    depth = 0
    for index in range(open_at, len(text)):
        depth += (text[index] == "{") - (text[index] == "}")
        if depth == 0:
            return text[open_at + 1 : index], index + 1
    return None


def _preamble_macros(preambles: Iterable[str]) -> dict[str, tuple[int, str]]:
    """`\\newcommand` and `\\def` definitions in @preamble: name -> (number of arguments, body)."""
    macros: dict[str, tuple[int, str]] = {}
    for preamble in preambles:
        for pattern in (_NEWCOMMAND, _DEF):
            for match in pattern.finditer(preamble):
                body = _braced(preamble, match.end() - 1)
                if body is None:
                    continue
                count = int(match.group("args") or 0) if "args" in match.groupdict() else match.group("params").count("#")
                macros[match.group("name")] = (count, body[0])
    return macros


def _expand_macros(value: str, macros: dict[str, tuple[int, str]]) -> str:
    """`value` with the @preamble macros expanded, as LaTeX would, within a small budget."""
    pattern = re.compile(r"\\(" + "|".join(sorted(map(re.escape, macros), key=len, reverse=True)) + r")(?![A-Za-z])")
    for _ in range(8):  # nested definitions, bounded so that a recursive macro cannot loop
        match = pattern.search(value)
        if match is None:
            break
        pieces, last = [], 0
        for match in pattern.finditer(value):
            if match.start() < last:
                continue
            count, body = macros[match.group(1)]
            position, arguments = match.end(), []
            while len(arguments) < count:
                while position < len(value) and value[position] in " \t\n":
                    position += 1
                if position < len(value) and value[position] == "{":
                    group = _braced(value, position)
                    if group is None:
                        break
                    arguments.append(group[0])
                    position = group[1]
                elif position < len(value):
                    arguments.append(value[position])
                    position += 1
                else:
                    break
            for number, argument in enumerate(arguments, 1):
                body = body.replace(f"#{number}", argument)
            pieces += [value[last : match.start()], "{" + body + "}"]
            last = position
        value = "".join(pieces) + value[last:]
        if len(value) > 10_000:
            break
    return value


def parse_bibliography(text: str, rel_path: str) -> Bibliography:
    """Parse BibTeX text into references keyed by citation key, with every problem found."""
    text, diagnostics, unreadable = _unbalanced_blocks(_blank_comments(text), rel_path)
    library = bibtexparser.parse_string(text, parse_stack=[])

    def where(line0: int) -> Location:
        return Location(rel_path, line0 + 1)

    macros: dict[str, str] = {}
    for string in library.strings:
        value, _, _ = _resolve(str(string.value), macros)
        macros[string.key.lower()] = value
    preamble_macros = _preamble_macros(_resolve(str(p.value), macros)[0] for p in library.preambles)

    duplicates: list[bib.DuplicateBlockKeyBlock] = []
    entries = list(library.entries)
    for failed in library.failed_blocks:
        if isinstance(failed, bib.DuplicateBlockKeyBlock):
            duplicates.append(failed)
        elif isinstance(failed, bib.DuplicateFieldKeyBlock):
            entries.append(failed.ignore_error_block)  # still loaded; the repeated field is reported below
        else:
            error = getattr(failed, "error", None)
            detail = getattr(error, "abort_reason", None) or str(error or "").strip() or "the entry could not be parsed"
            start = _BLOCK_START.match(getattr(failed, "raw", "") or "")
            if start and start.group("key"):
                unreadable.add(start.group("key"))
                detail = f"`@{start.group('type')}{{{start.group('key')}` could not be read: {detail}"
            diagnostics.append(problem("EV201", where(failed.start_line), " ".join(detail.split())))

    raw_entries: dict[str, _RawEntry] = {}
    exact_keys: dict[str, int] = {}
    folded_keys: dict[str, tuple[str, int]] = {}
    for entry in sorted(entries, key=lambda e: e.start_line):
        location = where(entry.start_line)
        key = entry.key
        if key in exact_keys:
            diagnostics.append(problem("EV202", location, f"`{key}` is already used by the entry on line {exact_keys[key]}"))
            continue
        exact_keys[key] = location.line
        if key.lower() in folded_keys:
            other, line = folded_keys[key.lower()]
            diagnostics.append(problem("EV310", location, f"`{key}` differs only in case from `{other}` on line {line}; biber tells them apart, classic BibTeX rejects the file"))
        else:
            folded_keys[key.lower()] = (key, location.line)
        if not REFERENCE_KEY.match(key):
            diagnostics.append(problem("EV210", location, f"`{key}` cannot be cited: keys may not contain spaces or any of {{}}()\"',=#%~\\@[];"))
        raw_entries[key] = _raw_entry(entry, key, location, macros, preamble_macros, rel_path)
    for failed in duplicates:
        first = exact_keys.get(failed.key)
        where_first = f"the entry on line {first}" if first else "another entry"
        diagnostics.append(problem("EV202", where(failed.start_line), f"`{failed.key}` is already used by {where_first}"))

    sets = _resolve_inheritance(raw_entries, rel_path)
    references: dict[str, Reference] = {}
    entry_problems: dict[str, tuple[Diagnostic, ...]] = {}
    for key, raw in raw_entries.items():
        if raw.entry_type in ("xdata", "set"):
            if raw.problems:
                entry_problems[key] = tuple(raw.problems)
            continue
        reference, problems = _make_reference(raw, rel_path)
        references[key] = reference
        if problems:
            entry_problems[key] = tuple(problems)
    parents = {key: tuple(raw.parents) for key, raw in raw_entries.items() if raw.parents}
    return Bibliography(references, tuple(diagnostics), entry_problems, frozenset(unreadable), sets, parents)


def _raw_entry(entry: bib.Entry, key: str, location: Location, macros: dict[str, str], preamble_macros: dict[str, tuple[int, str]], rel_path: str) -> _RawEntry:
    entry_type = entry.entry_type.lower()
    raw = _RawEntry(key, ENTRY_TYPE_ALIASES.get(entry_type, entry_type), location, {}, {})
    seen_fields: set[str] = set()
    for item in entry.fields:
        name = item.key.lower()
        line = (item.start_line + 1) if item.start_line is not None else location.line
        if name in seen_fields:
            raw.problems.append(problem("EV201", Location(rel_path, line), f"`{item.key}` is given twice in `{key}`"))
            continue
        seen_fields.add(name)
        name = FIELD_ALIASES.get(name, name)
        value, undefined, malformed = _resolve(str(item.value), macros)
        if malformed:
            rest = " ".join(_after_first_value(malformed[0]).split())
            raw.problems.append(problem("EV201", Location(rel_path, line), f"`{item.key}` of `{key}` goes on after its value with `{rest[:40]}`; is a comma missing?"))
            raw.unreadable = True
            continue
        for macro in undefined:
            raw.problems.append(problem("EV207", Location(rel_path, line), f"`{macro}` in `{item.key}` of `{key}` is not a defined @string{did_you_mean(macro.lower(), macros)}"))
        if name in raw.fields:
            continue  # `journal` and `journaltitle` both given: the first wins
        if preamble_macros and "\\" in value:
            value = _expand_macros(value, preamble_macros)
        raw.fields[name] = value
        raw.lines[name] = line
    raw.own = frozenset(raw.fields)
    return raw


def _key_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _resolve_inheritance(entries: dict[str, _RawEntry], rel_path: str) -> dict[str, tuple[str, ...]]:
    """Copy `xdata` and then `crossref` fields into the entries that lack them, as biber does.

    Dangling and circular references are reported at their field; returns the @set groups.
    """
    folded = {key.lower(): key for key in entries}

    def target(name: str) -> _RawEntry | None:
        return entries.get(name) or entries.get(folded.get(name.lower(), ""))

    def dangling(raw: _RawEntry, name: str, missing: str, why: str) -> None:
        raw.unreadable = True  # the fields it would have inherited are not "missing": one problem, reported here
        raw.problems.append(problem("EV211", Location(rel_path, raw.lines.get(name, raw.location.line)), f"`{name} = {{{missing}}}` in `{raw.key}`: `{missing}` {why}"))

    def inherit(raw: _RawEntry, via: str, done: set[str], trail: tuple[str, ...]) -> None:
        if raw.key in done:
            return
        done.add(raw.key)
        for name in _key_list(raw.fields.get(via, "")):
            parent = target(name)
            if parent is None or parent.key in trail:
                dangling(raw, via, name, "leads back to this entry" if parent else "is not in the bibliography")
                continue
            raw.parents.append(parent.key)
            inherit(parent, via, done, trail + (parent.key,))
            rules = [m for parents, children, m in _INHERITANCE if parent.entry_type in parents and raw.entry_type in children]
            mapping = rules[0] if via == "crossref" and rules else {}
            for field_name, value in parent.fields.items():
                as_name = mapping.get(field_name, field_name) if field_name in mapping else field_name
                if field_name not in _NEVER_INHERITED and as_name is not None and as_name not in raw.fields:
                    raw.fields[as_name] = value
                    raw.lines[as_name] = parent.lines.get(field_name, parent.location.line)

    for via in ("xdata", "crossref"):  # biber's order: xdata first, so a parent's xdata reaches its children
        done: set[str] = set()
        for raw in entries.values():
            inherit(raw, via, done, (raw.key,))

    sets: dict[str, tuple[str, ...]] = {}
    for raw in entries.values():
        if raw.entry_type == "set":
            members = _key_list(raw.fields.get("entryset", ""))
            for member in members:
                if target(member) is None:
                    dangling(raw, "entryset", member, "is not in the bibliography")
            sets[raw.key] = tuple(members)
    return sets


def _make_reference(raw: _RawEntry, rel_path: str) -> tuple[Reference, list[Diagnostic]]:
    diagnostics = list(raw.problems)
    key, location = raw.key, raw.location

    def at(name: str) -> Location:
        return Location(rel_path, raw.lines.get(name, location.line))

    fields: dict[str, str] = {}
    for name, value in raw.fields.items():
        if name in ("author", "editor"):
            fields[name] = value
        elif name in _RAW_FIELDS:
            fields[name] = value.strip()
        else:
            fields[name] = decode_latex(value)
    if fields.get("url", "").startswith("\\url"):
        fields["url"] = decode_latex(fields["url"])
    howpublished_url = re.search(r"\\url\{([^{}]*)\}", raw.fields.get("howpublished", ""))
    if howpublished_url and not fields.get("url"):
        fields["url"] = howpublished_url.group(1).strip()
        raw.lines["url"] = raw.lines.get("howpublished", location.line)

    eprint_url = _EPRINT_URLS.get(fields.get("eprinttype", "").lower())
    if eprint_url and not fields.get("url") and re.fullmatch(r"[\w./:-]+", fields.get("eprint", "")):
        fields["url"] = eprint_url.format(fields["eprint"])
        raw.lines["url"] = raw.lines.get("eprint", location.line)

    if "date" in fields and not fields.get("year"):
        match = ISO_DATE.match(fields["date"])
        if match:
            fields["year"] = match.group(1)
        else:
            diagnostics.append(problem("EV209", at("date"), f"`date = {{{fields['date']}}}` in `{key}` is not YYYY, YYYY-MM or YYYY-MM-DD"))
    elif fields.get("year") and not YEAR.match(fields["year"]):
        diagnostics.append(problem("EV209", at("year"), f"`year = {{{raw.fields['year']}}}` in `{key}` is not a four-digit year"))

    study_type = None
    raw_type = fields.get("studytype", "")
    if raw_type in {t.value for t in StudyType}:
        study_type = StudyType(raw_type)
    else:
        what = f"`{raw_type}` is not a study type{_suggest_study_type(raw_type)}" if raw_type else "`studytype` is missing"
        diagnostics.append(problem("EV203", at("studytype") if raw_type else location, f"{what} in `{key}`"))

    unknown = frozenset(part.strip().lower() for part in fields.get("unknown", "").split(",") if part.strip())
    required = REQUIRED_FIELDS["*"] + REQUIRED_FIELDS.get(raw.entry_type, ())
    required_names = {name for group in required for name in ((group,) if isinstance(group, str) else group)}
    for name in sorted(unknown):
        if name in raw.own and fields.get(name):
            diagnostics.append(problem("EV208", at("unknown"), f"`{name}` is listed in `unknown` of `{key}` but is given"))
        elif name not in required_names:
            diagnostics.append(problem("EV208", at("unknown"), f"`{name}` is not a required field of @{raw.entry_type}{did_you_mean(name, required_names)}"))
    unknown = frozenset(name for name in unknown if not fields.get(name))  # a value from crossref or xdata wins
    for group in () if raw.unreadable else required:  # a field lost to a syntax error is not "missing"
        names = (group,) if isinstance(group, str) else group
        given = any(fields.get(name) or (name == "year" and fields.get("date")) for name in names)  # a bad date is EV209
        if not given and not unknown.intersection(names):
            wanted = " or ".join(f"`{n}`" for n in names)
            diagnostics.append(problem("EV204", location, f"@{raw.entry_type}{{{key}}} needs {wanted}"))

    url = fields.get("url", "")
    if url and not is_http_url(url):
        diagnostics.append(problem("EV205", at("url"), f"`{url[:80]}` in `{key}` is not an http(s) URL"))
        fields.pop("url")
    doi = DOI_PREFIX.sub("", fields.get("doi", ""))
    if doi:
        if DOI.match(doi):
            fields["doi"] = doi
        else:
            diagnostics.append(problem("EV206", at("doi"), f"`{fields['doi'][:80]}` in `{key}` is not a DOI like 10.1234/abc"))
            fields.pop("doi")

    authors, author_problems = _persons(raw.fields.get("author", ""), key, at("author"))
    editors, editor_problems = _persons(raw.fields.get("editor", ""), key, at("editor"))
    reference = Reference(
        key=key,
        entry_type=raw.entry_type,
        fields=fields,
        authors=authors,
        editors=editors,
        study_type=study_type,
        location=location,
        field_lines=dict(raw.lines),
        unknown_fields=unknown,
    )
    return reference, diagnostics + author_problems + editor_problems


def load_bibliography(path: Path, rel_path: str, max_bytes: int, parsed: dict[str, Bibliography] | None = None) -> Bibliography:
    """Read and parse the project's BibTeX file.

    `parsed`, when given, maps the text parsed last time to its result, and is left holding this one.
    """
    if not path.is_file():
        return Bibliography({}, (problem("EV201", Location(rel_path), "the bibliography file does not exist"),))
    text, diagnostics = read_text(path, rel_path, max_bytes)
    if text is None:
        return Bibliography({}, tuple(diagnostics))
    if parsed is None:
        return parse_bibliography(text, rel_path)
    bibliography = parsed[text] if text in parsed else parse_bibliography(text, rel_path)
    parsed.clear()
    parsed[text] = bibliography
    return bibliography
