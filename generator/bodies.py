"""Scanning editor-written Markdown: Pandoc citations, raw HTML, unsafe links, attribute lists.

Pure functions over text. Code blocks and code spans are masked first (replaced by spaces,
so positions survive) because what is inside them is shown, never interpreted. Masking errs
on the side of too little: a missed code block only reports too much, while masking text that
Python-Markdown renders would hide a live tag or link. So only what Python-Markdown surely
reads as code is masked: fences as superfences reads them, and code spans on lines whose
backticks all pair within the line, as Python-Markdown pairs them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

_FENCE_OPENING = re.compile(r"(`{3,}|~{3,})[ \t]*\.?[\w#.+-]*[ \t]*")
# Lines that are not blank to Python-Markdown (which strips only spaces and tabs), in a row.
_PARAGRAPH = re.compile(r"[^\n]*[^ \t\n][^\n]*(?:\n[^\n]*[^ \t\n][^\n]*)*")
_BACKTICKS = re.compile(r"`+")

# A bracketed group may wrap onto following lines, as editors' text does, but not across a blank line.
# (Unrolled: runs of ordinary characters, each further line only if it is not blank.)
_GROUP_TEXT = r"[^\[\]\n]*(?:\n(?![ \t]*\n)[^\[\]\n]*)*"
_CITE_GROUP = re.compile(rf"\[(?=[^\[\]]*@)({_GROUP_TEXT})\](?!\()")
# Forms the site does not turn into citations: LaTeX commands, footnote-style brackets, `@key` in running text.
_LATEX_CITE = re.compile(r"\\(?:[Cc]ite[a-z]*|[a-z]*cite[a-z]*)\*?(?:\[[^\]\n]*\])*\{([^{}\n]*)\}")
_FOOTNOTE_CITE = re.compile(r"(?:\^\[|\[\^)(?=[^\[\]]*@)")
_BARE_KEY = re.compile(r"(?<![\w@.+\-/])@([A-Za-z0-9_][A-Za-z0-9_:.#$%&+?<>~/-]*)")
_LINK = re.compile(r"\[[^\[\]]*\]\([^)\n]*\)|<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>|https?://\S+")
_CITE_ITEM = re.compile(r"^\s*(?P<prefix>[^@]*?)\s*(?P<suppress>-?)@(?P<key>[A-Za-z0-9_][A-Za-z0-9_:.#$%&+?<>~/-]*?)(?P<rest>[,\s].*)?$", re.DOTALL)

# A tag name as Python-Markdown passes it through (anything but `<>@`, space and `/`; browsers
# make `<a_b onclick=…>` an element too), then what can follow a name (a browser reads on
# through `<`, into the next tag Markdown writes).
_HTML_TAG = re.compile(r"<(?:[A-Za-z][^<>@\s/]*(?=[\s/<>])|/[A-Za-z]|!--|!\[CDATA\[|![A-Za-z]|\?)")
# Only comments a browser and Python-Markdown both surely read as one comment: at the start of a
# line, no blank line (which would end a Markdown paragraph), no `--` inside (`--!>` also closes
# one), not the empty `<!-->` or `<!--->`.
_HTML_COMMENT = re.compile(r"^<!--(?!-?>)(?:(?!--)[^\n]|\n(?![ \t]*\n))*?-->", re.MULTILINE)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")
# Link targets are matched zero-width, so that one candidate never hides the next (`![i](![i](…`);
# definitions anywhere, not only at the start of a line, as Python-Markdown also reads them
# inside quotes and lists.
_INLINE_LINK = re.compile(r"\](?=\(\s*<?((?:[^()\s>]|\([^()\s>]*\))*))")
_REFERENCE_DEF = re.compile(r"\[(?=[^\[\]]*\]:[ \t]*\n?[ \t]*<?(\S+?)>?(?:\s|$))")
_ATTR_LIST = re.compile(r"\{\s*:?\s*(?:[.#][A-Za-z_-]|[A-Za-z_-][\w-]*\s*=)")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})


@dataclass(frozen=True)
class BodyCitation:
    key: str
    locator: str
    offset: int
    prefix: str = ""
    suppress_author: bool = False


@dataclass(frozen=True)
class CitationGroup:
    """One bracketed citation `[see @a, p. 3; @b]`: its span in the text and its items."""

    start: int
    end: int
    items: tuple[BodyCitation, ...]


@dataclass(frozen=True)
class BodyProblem:
    code: str
    offset: int
    message: str


def blank(text: str) -> str:
    """`text` with every character but line breaks made a space: offsets, lines and columns stay."""
    return "\n".join(" " * len(line) for line in text.split("\n"))


def _blank(match: re.Match) -> str:
    return blank(match.group(0))


def _blank_regions(text: str, regions: list[tuple[int, int]]) -> str:
    pieces, last = [], 0
    for start, end in regions:
        pieces += [text[last:start], blank(text[start:end])]
        last = end
    return "".join(pieces) + text[last:]


def _fenced_blocks(text: str) -> list[tuple[int, int]]:
    """Fenced blocks as superfences reads them: opened and closed by the same fence at the start
    of a line. After a fence it might read otherwise (indented, quoted, with options), none."""
    blocks: list[tuple[int, int]] = []
    fence, start, offset = None, 0, 0
    for line in text.split("\n"):
        if fence is None:
            if line.lstrip(" \t>").startswith(("```", "~~~")):
                opening = _FENCE_OPENING.fullmatch(line)
                if opening is None:
                    break
                fence, start = opening.group(1), offset
        elif line.rstrip(" \t") == fence:
            blocks.append((start, offset + len(line)))
            fence = None
        offset += len(line) + 1
    return blocks


def _line_code_spans(line: str) -> list[tuple[int, int]] | None:
    """The code spans of one line if each backtick run in it closes with an equal run in it."""
    if "\\`" in line:
        return None  # escapes: leave them to Python-Markdown
    spans, position = [], 0
    while (opening := _BACKTICKS.search(line, position)) is not None:
        ticks = len(opening.group(0))
        closing = next((run for run in _BACKTICKS.finditer(line, opening.end()) if len(run.group(0)) == ticks), None)
        if closing is None:
            return None
        spans.append((opening.start(), closing.end()))
        position = closing.end()
    return spans


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Code spans that Python-Markdown reads as such however the paragraph splits into blocks.

    Backticks pair left to right within a block, and a quote or a heading starts a block
    without a blank line: a run left open on one line can pair with one on the next and expose
    what looked like code (a lone backtick, then `` `<b onclick=x>` `` below). So spans are
    masked only on lines whose runs all pair within the line, and only up to the first line of
    the paragraph that does not; not when they contain `|`, which a table may split at.
    """
    spans: list[tuple[int, int]] = []
    for paragraph in _PARAGRAPH.finditer(text):
        offset = paragraph.start()
        for line in paragraph.group(0).split("\n"):
            if "`" in line:
                line_spans = _line_code_spans(line)
                if line_spans is None:
                    break
                spans += [(offset + start, offset + end) for start, end in line_spans if "|" not in line[start:end]]
            offset += len(line) + 1
    return spans


def mask_fences(text: str) -> str:
    """Blank out fenced code blocks, keeping offsets and newlines."""
    if "```" not in text and "~~~" not in text:
        return text
    return _blank_regions(text, _fenced_blocks(text))


def mask_code(text: str) -> str:
    """Blank out fenced code blocks and code spans, keeping offsets and newlines."""
    text = mask_fences(text)
    if "`" not in text:
        return text
    return _blank_regions(text, _code_spans(text))


def citation_groups(text: str) -> list[CitationGroup]:
    """Every `[@key]`, `[@key, p. 3]` and `[see @a; @b]` group outside code, in order."""
    return _citation_groups_in(mask_code(text))


def _citation_groups_in(masked: str) -> list[CitationGroup]:
    groups: list[CitationGroup] = []
    for group in _CITE_GROUP.finditer(masked):
        offset = group.start(1)
        items = []
        for part in group.group(1).split(";"):
            match = _CITE_ITEM.match(part)
            if match:
                key = match.group("key").rstrip(".:")
                locator = " ".join((match.group("rest") or "").strip().lstrip(",").split()).replace("--", "\u2013")
                items.append(BodyCitation(key, locator, offset + part.index("@"), match.group("prefix").strip(), bool(match.group("suppress"))))
            offset += len(part) + 1
        groups.append(CitationGroup(group.start(), group.end(), tuple(items)))
    return groups


def find_citations(text: str) -> list[BodyCitation]:
    """Every cited key with its locator and position, in order."""
    return [item for group in citation_groups(text) for item in group.items]


def find_unrendered_citations(text: str, is_reference: Callable[[str], bool]) -> list[BodyProblem]:
    """Citations written in forms the site shows as plain text: `\\cite{key}`, footnote-style
    `^[@key]` or `[^@key]`, and `@key` outside brackets when `key` names a reference."""
    masked = mask_code(text)
    problems = []
    if "\\" in masked:
        problems += [BodyProblem("EV312", m.start(), f"`{m.group(0)[:60]}` is LaTeX; write `[@{m.group(1).split(',')[0].strip()}]`") for m in _LATEX_CITE.finditer(masked)]
    if "^" in masked:
        problems += [BodyProblem("EV312", m.start(), "footnote-style citation; write `[@key]` in the sentence") for m in _FOOTNOTE_CITE.finditer(masked)]
    outside = _CITE_GROUP.sub(_blank, masked)
    if "@" in outside:
        for match in _BARE_KEY.finditer(_LINK.sub(_blank, outside)):
            key = match.group(1).rstrip(".:,;?")
            if is_reference(key):
                problems.append(BodyProblem("EV312", match.start(), f"`@{key}` outside brackets is shown as written; write `[@{key}]`"))
    return sorted(problems, key=lambda p: p.offset)


def relative_links(text: str) -> list[tuple[int, str]]:
    """Links to files of the site itself (`../other-claim.md#why`, `images/x.png`): (offset, target).

    Links with a scheme, anchors alone, absolute paths and folder URLs ending in `/` are left out,
    as MkDocs does not look those up among the documentation files either.
    """
    fences_masked = mask_code(text)
    found = []
    for pattern in (_INLINE_LINK, _REFERENCE_DEF):
        for match in pattern.finditer(fences_masked):
            target = match.group(1).strip().strip("<>")
            path = target.split("#", 1)[0].split("?", 1)[0]
            if path and not _SCHEME.match(path) and not path.startswith(("/", "\\")) and not path.endswith("/") and "." in path.rsplit("/", 1)[-1]:
                found.append((match.start(1), target))
    return sorted(found)


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
