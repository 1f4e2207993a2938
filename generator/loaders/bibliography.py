"""Loading references.bib with bibtexparser v2: BibTeX or BibLaTeX, as Zotero exports it.

bibtexparser is run without its middlewares: string macros are resolved here so that an
undefined macro is reported instead of kept as text, entries commented out with `%` are
dropped (bibtexparser keeps them), and LaTeX is decoded only in fields that contain some,
once per distinct string, because decoding every field dominates the parse time.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path

import bibtexparser
from bibtexparser import model as bib
from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names
from pylatexenc.latex2text import LatexNodes2Text

from ..model import Location, Person, Reference, StudyType
from ..rules import Diagnostic, problem
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


@lru_cache(maxsize=65536)
def decode_latex(value: str) -> str:
    """Decode LaTeX accents and braces, keeping `%` (a comment in LaTeX, a percent sign here)."""
    if not _NEEDS_LATEX.search(value):
        return value
    try:
        decoded = _latex.latex_to_text(_UNESCAPED_PERCENT.sub(r"\\%", value))
    except Exception:  # pylatexenc is lenient; this guards odd input without losing the text
        decoded = value.replace("{", "").replace("}", "")
    return re.sub(r"\s+", " ", decoded.replace("\u00a0", " ")).strip()


def _split_concatenation(raw: str) -> list[str]:
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


def _resolve(raw: str, macros: dict[str, str]) -> tuple[str, list[str]]:
    """A field's value with enclosing braces/quotes removed and macros expanded; undefined macros."""
    values, undefined = [], []
    for part in _split_concatenation(raw.strip()):
        if len(part) >= 2 and ((part[0] == "{" and part[-1] == "}") or (part[0] == '"' and part[-1] == '"')):
            values.append(part[1:-1])
        elif part.isdigit():
            values.append(part)
        elif part.lower() in macros:
            values.append(macros[part.lower()])
        elif part.lower() in _MONTHS:
            values.append(_MONTHS[part.lower()])
        else:
            undefined.append(part)
            values.append(part)
    return "".join(values), undefined


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


def _commented_out(text_lines: list[str], block: bib.Block) -> bool:
    """bibtexparser treats `% @article{...}` as a live entry; BibTeX tools do not."""
    line = text_lines[block.start_line] if 0 <= block.start_line < len(text_lines) else ""
    return "%" in line.split("@", 1)[0]


def parse_bibliography(text: str, rel_path: str, levels: dict[str, int] | None = None) -> tuple[dict[str, Reference], list[Diagnostic]]:
    """Parse BibTeX text into references keyed by citation key, with every problem found."""
    diagnostics: list[Diagnostic] = []
    library = bibtexparser.parse_string(text, parse_stack=[])
    lines = text.split("\n")

    def where(line0: int) -> Location:
        return Location(rel_path, line0 + 1)

    macros: dict[str, str] = {}
    for string in library.strings:
        if not _commented_out(lines, string):
            value, _ = _resolve(str(string.value), macros)
            macros[string.key.lower()] = value

    for failed in library.failed_blocks:
        if isinstance(failed, bib.DuplicateBlockKeyBlock):
            if not _commented_out(lines, failed):
                diagnostics.append(problem("EV202", where(failed.start_line), f"`{failed.key}` is already used by another entry"))
        elif isinstance(failed, bib.DuplicateFieldKeyBlock):
            fields = ", ".join(sorted(failed.duplicate_keys))
            diagnostics.append(problem("EV201", where(failed.start_line), f"field(s) {fields} given twice in `{failed.key}`"))
        else:
            error = getattr(failed, "error", None)
            detail = getattr(error, "abort_reason", None) or str(error or "").strip() or "the entry could not be parsed"
            detail = detail.replace("\n", " ")
            diagnostics.append(problem("EV201", where(failed.start_line), detail))

    references: dict[str, Reference] = {}
    seen_keys: dict[str, int] = {}
    for entry in library.entries:
        if _commented_out(lines, entry):
            continue
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
    return references, diagnostics


def _make_reference(entry: bib.Entry, key: str, location: Location, macros: dict[str, str], rel_path: str) -> tuple[Reference, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    raw_fields: dict[str, str] = {}
    field_lines: dict[str, int] = {}
    for item in entry.fields:
        name = item.key.lower()
        name = FIELD_ALIASES.get(name, name)
        value, undefined = _resolve(str(item.value), macros)
        line = (item.start_line + 1) if item.start_line is not None else location.line
        for macro in undefined:
            diagnostics.append(problem("EV207", Location(rel_path, line), f"`{macro}` in `{item.key}` of `{key}` is not a defined @string{did_you_mean(macro.lower(), macros)}"))
        if name in raw_fields and name != item.key.lower():
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
    for group in required:
        names = (group,) if isinstance(group, str) else group
        if not any(fields.get(name) for name in names) and not unknown.intersection(names):
            wanted = " or ".join(f"`{n}`" for n in names)
            diagnostics.append(problem("EV204", location, f"@{entry.entry_type}{{{key}}} needs {wanted}"))

    url = fields.get("url", "")
    if url and not re.match(r"^https?://[^\s/$.?#][^\s]*$", url, re.IGNORECASE):
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
