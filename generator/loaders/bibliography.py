"""Loading references.bib with bibtexparser v2: BibTeX or BibLaTeX, as Zotero exports it.

bibtexparser is run without its middlewares: string macros are resolved here so that an
undefined macro is reported instead of kept as text, lines commented out with `%` and
`@comment{...}` blocks are blanked before parsing (bibtexparser keeps the entries in them
live), a value that is not one braced, quoted or macro value is reported (usually a missing
comma, which bibtexparser would merge into the field), and LaTeX is decoded only in fields that
contain some, once per distinct string, because decoding every field dominates the parse time.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import bibtexparser
from bibtexparser import model as bib
from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names
from pylatexenc.latex2text import LatexNodes2Text

from ..model import Location, Person, Reference, StudyType
from ..rules import Diagnostic, problem
from ..urls import is_http_url
from .claims import did_you_mean
from .text import read_text

logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)

REFERENCE_KEY = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_:.\-]*$")
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
YEAR = re.compile(r"^\d{4}$")
ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:/.*)?$")
_NEEDS_LATEX = re.compile(r"[\\{}$~]|--")
_UNESCAPED_PERCENT = re.compile(r"(?<!\\)%")
_COMMENT_LINE = re.compile(r"^[ \t]*%[^\n]*", re.MULTILINE)
_COMMENT_BLOCK = re.compile(r"@comment[ \t]*[{(]", re.IGNORECASE)
_MACRO_NAME = re.compile(r"^[A-Za-z_][^\s\"#%'(),={}]*$")
_RAW_FIELDS = frozenset({"url", "doi", "file", "urldate", "date", "year", "pmid", "pmcid", "isbn", "issn", "studytype", "unknown", "eprint"})
_MONTHS = {m: str(i) for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
FIELD_ALIASES = {"journaltitle": "journal", "location": "address"}

#: Fields each entry type requires (a tuple is "one of these").
REQUIRED_FIELDS: dict[str, tuple] = {
    "*": ("title", "year"),
    "article": ("author", "journal"),
    "online": ("url", ("author", "organization", "publisher")),
    "webpage": ("url", ("author", "organization", "publisher")),
    "book": (("author", "editor"), "publisher"),
    "incollection": ("author", "booktitle", "publisher"),
    "inbook": ("author", "booktitle", "publisher"),
    "inproceedings": ("author", "booktitle"),
    "report": (("author", "institution", "organization"),),
    "techreport": (("author", "institution", "organization"),),
    "thesis": ("author", ("school", "institution")),
    "phdthesis": ("author", "school"),
    "mastersthesis": ("author", "school"),
    "misc": (("author", "organization", "publisher"),),
}

_latex = LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True)

_ACCENTS = {
    "'": "\u0301", "`": "\u0300", '"': "\u0308", "^": "\u0302", "~": "\u0303", "=": "\u0304", ".": "\u0307",
    "c": "\u0327", "H": "\u030b", "k": "\u0328", "b": "\u0331", "d": "\u0323", "r": "\u030a", "u": "\u0306", "v": "\u030c",
}
_LETTERS = {"i": "\u0131", "o": "\u00f8", "O": "\u00d8", "l": "\u0142", "L": "\u0141", "ss": "\u00df", "ae": "\u00e6", "AE": "\u00c6", "aa": "\u00e5", "AA": "\u00c5", "oe": "\u0153", "OE": "\u0152"}
# The LaTeX most bibliographies hold: an accent on one letter, `{\o}`-style letters in braces,
# escaped specials, braces and `--`. pylatexenc takes ~0.5 ms a string, so these are decoded
# here, to the same text (checked against pylatexenc by fuzzing); anything else goes to it.
_SIMPLE_LATEX = re.compile(
    r"""\{\\(?P<a1>['`"^~=.])(?P<l1>[A-Za-z]|\\i)\}"""
    r"""|\{\\(?P<a2>['`"^~=.cHkbdruv])\{(?P<l2>[A-Za-z]|\\i)\}\}"""
    r"""|\\(?P<a3>['`"^~=.cHkbdruv])\{(?P<l3>[A-Za-z]|\\i)\}"""
    r"""|\\(?P<a4>['`"^~=.])(?P<l4>[A-Za-z]|\\i(?![^\W\d_]|\s))"""
    r"""|\{\\(?P<letter>ss|ae|AE|aa|AA|oe|OE|[ioOlL])\}"""
    r"""|\\(?P<escape>[&%$_#])"""
)
_NOT_SIMPLE = re.compile(r"[\\$~`&\x00]|''|---|-\{|\}-|\{-|-\}")


def _simple_latex_text(match: re.Match) -> str:
    found = match.groupdict()
    if found["escape"]:
        return found["escape"]
    if found["letter"]:
        return _LETTERS[found["letter"]]
    accent = next(n for n in "1234" if found["a" + n])
    letter = found["l" + accent]
    return unicodedata.normalize("NFC", ("i" if letter == "\\i" else letter) + _ACCENTS[found["a" + accent]])


def _decode_simple_latex(value: str) -> str | None:
    """`value` decoded if it holds only simple LaTeX (balanced braces included), else None."""
    rest = _SIMPLE_LATEX.sub("", value)
    if _NOT_SIMPLE.search(rest) or "\x00" in value:
        return None
    depth = 0
    for char in rest:
        depth += (char == "{") - (char == "}")
        if depth < 0:
            return None
    if depth:
        return None
    return _SIMPLE_LATEX.sub(_simple_latex_text, value).replace("{", "").replace("}", "").replace("--", "\u2013")


@lru_cache(maxsize=65536)
def decode_latex(value: str) -> str:
    """Decode LaTeX accents and braces, keeping `%` (a comment in LaTeX, a percent sign here)."""
    if not _NEEDS_LATEX.search(value):
        return value
    decoded = _decode_simple_latex(value)
    if decoded is None:
        try:
            decoded = _latex.latex_to_text(_UNESCAPED_PERCENT.sub(r"\\%", value))
        except Exception:  # pylatexenc is lenient; this guards odd input without losing the text
            decoded = value.replace("{", "").replace("}", "")
    return re.sub(r"\s+", " ", decoded.replace("\u00a0", " ")).strip()


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


def _persons(raw: str) -> tuple[Person, ...]:
    persons = []
    for name in split_multiple_persons_names(raw):
        name = name.strip()
        if not name or name.lower() == "others":
            continue
        if name.startswith("{") and name.endswith("}") and _balanced_inside(name):
            persons.append(Person(literal=decode_latex(name[1:-1])))
            continue
        try:
            parts = parse_single_name_into_parts(name, strict=False)
        except Exception:
            persons.append(Person(literal=decode_latex(name)))
            continue
        family = " ".join(parts.von + parts.last + ([] if not parts.jr else [", " + " ".join(parts.jr)]))
        persons.append(Person(family=decode_latex(family).replace(" , ", ", "), given=decode_latex(" ".join(parts.first))))
    return tuple(persons)


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
                pieces += [text[last : match.start()], re.sub(r"[^\n]", " ", text[match.start() : index + 1])]
                last = index + 1
                break
    return "".join(pieces) + text[last:]


def parse_bibliography(text: str, rel_path: str) -> tuple[dict[str, Reference], list[Diagnostic]]:
    """Parse BibTeX text into references keyed by citation key, with every problem found."""
    diagnostics: list[Diagnostic] = []
    library = bibtexparser.parse_string(_blank_comments(text), parse_stack=[])

    def where(line0: int) -> Location:
        return Location(rel_path, line0 + 1)

    macros: dict[str, str] = {}
    for string in library.strings:
        value, _, _ = _resolve(str(string.value), macros)
        macros[string.key.lower()] = value

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
            diagnostics.append(problem("EV201", where(failed.start_line), " ".join(detail.split())))

    references: dict[str, Reference] = {}
    seen_keys: dict[str, int] = {}
    for entry in sorted(entries, key=lambda e: e.start_line):
        location = where(entry.start_line)
        key = entry.key
        if key.lower() in seen_keys:
            diagnostics.append(problem("EV202", location, f"`{key}` is already used by the entry on line {seen_keys[key.lower()]}"))
            continue
        seen_keys[key.lower()] = location.line
        if not REFERENCE_KEY.match(key):
            diagnostics.append(problem("EV210", location, f"`{key}` is not a valid key"))
        reference, problems = _make_reference(entry, key, location, macros, rel_path)
        diagnostics += problems
        references[key] = reference
    for failed in duplicates:
        first = seen_keys.get(failed.key.lower())
        where_first = f"the entry on line {first}" if first else "another entry"
        diagnostics.append(problem("EV202", where(failed.start_line), f"`{failed.key}` is already used by {where_first}"))
    return references, diagnostics


def _make_reference(entry: bib.Entry, key: str, location: Location, macros: dict[str, str], rel_path: str) -> tuple[Reference, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    raw_fields: dict[str, str] = {}
    field_lines: dict[str, int] = {}
    unreadable = False
    seen_fields: set[str] = set()
    for item in entry.fields:
        name = item.key.lower()
        line = (item.start_line + 1) if item.start_line is not None else location.line
        if name in seen_fields:
            diagnostics.append(problem("EV201", Location(rel_path, line), f"`{item.key}` is given twice in `{key}`"))
            continue
        seen_fields.add(name)
        name = FIELD_ALIASES.get(name, name)
        value, undefined, malformed = _resolve(str(item.value), macros)
        if malformed:
            rest = " ".join(_after_first_value(malformed[0]).split())
            diagnostics.append(problem("EV201", Location(rel_path, line), f"`{item.key}` of `{key}` goes on after its value with `{rest[:40]}`; is a comma missing?"))
            unreadable = True
            continue
        for macro in undefined:
            diagnostics.append(problem("EV207", Location(rel_path, line), f"`{macro}` in `{item.key}` of `{key}` is not a defined @string{did_you_mean(macro.lower(), macros)}"))
        if name in raw_fields:
            continue  # `journal` and `journaltitle` both given: the first wins
        raw_fields[name] = value
        field_lines[name] = line

    def at(name: str) -> Location:
        return Location(rel_path, field_lines.get(name, location.line))

    fields: dict[str, str] = {}
    for name, value in raw_fields.items():
        if name in ("author", "editor"):
            fields[name] = value
        elif name in _RAW_FIELDS:
            fields[name] = value.strip()
        else:
            fields[name] = decode_latex(value)

    if "date" in fields and not fields.get("year"):
        match = ISO_DATE.match(fields["date"])
        if match:
            fields["year"] = match.group(1)
        else:
            diagnostics.append(problem("EV209", at("date"), f"`date = {{{fields['date']}}}` in `{key}` is not YYYY, YYYY-MM or YYYY-MM-DD"))
    elif fields.get("year") and not YEAR.match(fields["year"]):
        diagnostics.append(problem("EV209", at("year"), f"`year = {{{fields['year']}}}` in `{key}` is not a four-digit year"))

    study_type = None
    raw_type = fields.get("studytype", "")
    valid_types = [t.value for t in StudyType]
    if raw_type in valid_types:
        study_type = StudyType(raw_type)
    else:
        what = f"`{raw_type}` is not a study type{did_you_mean(raw_type, valid_types)}" if raw_type else "`studytype` is missing"
        diagnostics.append(problem("EV203", at("studytype") if raw_type else location, f"{what} in `{key}`"))

    unknown = frozenset(part.strip().lower() for part in fields.get("unknown", "").split(",") if part.strip())
    required = REQUIRED_FIELDS["*"] + REQUIRED_FIELDS.get(entry.entry_type.lower(), ())
    required_names = {name for group in required for name in ((group,) if isinstance(group, str) else group)}
    for name in sorted(unknown):
        if name in fields:
            diagnostics.append(problem("EV208", at("unknown"), f"`{name}` is listed in `unknown` of `{key}` but is given"))
        elif name not in required_names:
            diagnostics.append(problem("EV208", at("unknown"), f"`{name}` is not a required field of @{entry.entry_type}{did_you_mean(name, required_names)}"))
    for group in () if unreadable else required:  # a field lost to a syntax error is not "missing"
        names = (group,) if isinstance(group, str) else group
        given = any(fields.get(name) or (name == "year" and fields.get("date")) for name in names)  # a bad date is EV209
        if not given and not unknown.intersection(names):
            wanted = " or ".join(f"`{n}`" for n in names)
            diagnostics.append(problem("EV204", location, f"@{entry.entry_type}{{{key}}} needs {wanted}"))

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

    reference = Reference(
        key=key,
        entry_type=entry.entry_type.lower(),
        fields=fields,
        authors=_persons(raw_fields.get("author", "")),
        editors=_persons(raw_fields.get("editor", "")),
        study_type=study_type,
        location=location,
        field_lines=field_lines,
        unknown_fields=unknown,
    )
    return reference, diagnostics


def load_bibliography(path: Path, rel_path: str, max_bytes: int) -> tuple[dict[str, Reference], list[Diagnostic]]:
    """Read and parse the project's BibTeX file."""
    if not path.is_file():
        return {}, [problem("EV201", Location(rel_path), "the bibliography file does not exist")]
    text, diagnostics = read_text(path, rel_path, max_bytes)
    if text is None:
        return {}, diagnostics
    return parse_bibliography(text, rel_path)
