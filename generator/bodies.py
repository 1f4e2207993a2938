"""Scanning editor-written Markdown: Pandoc citations, raw HTML, unsafe links, attribute lists.

Pure functions over text. Code blocks and code spans are masked first (replaced by spaces,
so positions survive) because what is inside them is shown, never interpreted. Masking errs
on the side of too little: a missed code block only reports too much, while masking text that
Python-Markdown renders would hide a live link. So only fences that superfences surely treats
as code are masked (at the start of a line, at most a language name, closed by the same fence),
and only code spans that stay on one line and do not start at an escaped backtick.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_FENCE = re.compile(r"^(`{3,}|~{3,})[ \t]*\.?[\w#.+-]*[ \t]*\n.*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(?<!\\)(`+)(?!`)[^\n]+?(?<!`)\1(?!`)")

_CITE_GROUP = re.compile(r"\[([^\[\]\n]*@[^\[\]\n]*)\](?!\()")
_CITE_ITEM = re.compile(r"^\s*(?P<prefix>[^@]*?)\s*-?@(?P<key>[A-Za-z0-9_][A-Za-z0-9_:.#$%&+?<>~/-]*?)(?P<rest>[,\s].*)?$", re.DOTALL)

_HTML_TAG = re.compile(r"<(?:[A-Za-z][A-Za-z0-9-]*(?=[\s/>])|/[A-Za-z]|!--|!\[CDATA\[|![A-Za-z]|\?)")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")
_INLINE_LINK = re.compile(r"\]\(\s*<?([^)\s>]*)")
_REFERENCE_DEF = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
_ATTR_LIST = re.compile(r"\{\s*:?\s*(?:[.#][A-Za-z_-]|[A-Za-z_-][\w-]*\s*=)")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})


@dataclass(frozen=True)
class BodyCitation:
    key: str
    locator: str
    offset: int


@dataclass(frozen=True)
class BodyProblem:
    code: str
    offset: int
    message: str


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def mask_fences(text: str) -> str:
    """Blank out fenced code blocks, keeping offsets and newlines."""
    return _FENCE.sub(_blank, text)


def mask_code(text: str) -> str:
    """Blank out fenced code blocks and code spans, keeping offsets and newlines."""
    return _CODE_SPAN.sub(_blank, mask_fences(text))


def find_citations(text: str) -> list[BodyCitation]:
    """Every `[@key]`, `[@key, p. 3]` and `[see @a; @b]` citation, in order."""
    masked = mask_code(text)
    found: list[BodyCitation] = []
    for group in _CITE_GROUP.finditer(masked):
        offset = group.start(1)
        for part in group.group(1).split(";"):
            match = _CITE_ITEM.match(part)
            if match:
                key = match.group("key").rstrip(".:")
                locator = (match.group("rest") or "").strip().lstrip(",").strip()
                found.append(BodyCitation(key, locator, offset + part.index("@")))
            offset += len(part) + 1
    return found


def is_safe_url(url: str) -> bool:
    """True for http(s)/mailto URLs and for relative links and anchors (no scheme at all)."""
    cleaned = re.sub(r"[\x00-\x20\x7f`\\]", "", html.unescape(url))
    scheme = _SCHEME.match(cleaned)
    return scheme is None or scheme.group(1).lower() in _SAFE_SCHEMES


def find_unsafe_markup(text: str, *, allow_comments: bool = False) -> list[BodyProblem]:
    """Raw HTML, links with other schemes than http(s)/mailto, and `{...}` attribute lists.

    Link targets are read with code spans left in: Python-Markdown turns `[x](`javascript:…`)`
    into a live link.
    """
    masked = mask_code(text)
    problems: list[BodyProblem] = []
    reported: list[range] = []
    for match in _AUTOLINK.finditer(masked):
        if not is_safe_url(match.group(1)):
            problems.append(BodyProblem("EV118", match.start(), f"link to `{match.group(1)[:60]}`"))
            reported.append(range(match.start(), match.end()))
    without_autolinks = _AUTOLINK.sub(_blank, masked)
    if allow_comments:
        without_autolinks = _HTML_COMMENT.sub(_blank, without_autolinks)
    for match in _HTML_TAG.finditer(without_autolinks):
        snippet = re.match(r"<[^>\n]{0,40}>?", without_autolinks[match.start() :]).group(0)
        problems.append(BodyProblem("EV117", match.start(), f"raw HTML `{snippet}`"))
    fences_masked = mask_fences(text)
    for pattern in (_INLINE_LINK, _REFERENCE_DEF):
        for match in pattern.finditer(fences_masked):
            if not is_safe_url(match.group(1)) and not any(match.start(1) in span for span in reported):
                problems.append(BodyProblem("EV118", match.start(1), f"link to `{match.group(1)[:60]}`"))
    for match in _ATTR_LIST.finditer(masked):
        snippet = re.match(r"\{[^}\n]{0,40}\}?", masked[match.start() :]).group(0)
        problems.append(BodyProblem("EV121", match.start(), f"attribute list `{snippet}`"))
    return sorted(problems, key=lambda p: p.offset)


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of an offset in text."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column
