"""Reading a content file as text: size limit, UTF-8, byte-order mark, line endings, hidden characters."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

from ..model import Location
from ..rules import Diagnostic, problem


def read_text(path: Path, rel_path: str, max_bytes: int) -> tuple[str | None, list[Diagnostic]]:
    """Return the file's text with `\\n` line endings and no BOM, or None with a diagnostic."""
    try:
        with open(path, "rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            if size > max_bytes:
                return None, [problem("EV002", Location(rel_path), f"file is {size:,} bytes; the limit is {max_bytes:,} bytes")]
            raw = stream.read()
    except OSError as error:
        return None, [problem("EV001", Location(rel_path), f"cannot read the file: {error.strerror or error}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        before = raw[line_start : error.start].decode("utf-8").removeprefix("\ufeff")
        column = len(before) + 1  # in characters, as editors count them
        return None, [problem("EV001", Location(rel_path, line, column), f"byte 0x{raw[error.start]:02x} is not valid UTF-8")]
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, []


# Characters a reader cannot see that change what is shown or how it reads: bidi controls (which
# can make text display in another order than it is stored), zero-width spaces and joiners
# that are not part of emoji or scripts, controls other than tab and newline, line separators.
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]")
MAX_HIDDEN_REPORTED = 5


def hidden_characters(text: str) -> list[tuple[int, str]]:
    """The first few hidden characters in `text`: (offset, `U+XXXX NAME`)."""
    found = []
    for match in _HIDDEN.finditer(text):
        char = match.group(0)
        found.append((match.start(), f"U+{ord(char):04X} {unicodedata.name(char, 'CONTROL CHARACTER')}"))
        if len(found) == MAX_HIDDEN_REPORTED:
            break
    return found
