"""Reading a content file as text: size limit, UTF-8, byte-order mark and line endings."""

from __future__ import annotations

from pathlib import Path

from ..model import Location
from ..rules import Diagnostic, problem


def read_text(path: Path, rel_path: str, max_bytes: int) -> tuple[str | None, list[Diagnostic]]:
    """Return the file's text with `\\n` line endings and no BOM, or None with a diagnostic."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return None, [problem("EV002", Location(rel_path), f"file is {size:,} bytes; the limit is {max_bytes:,} bytes")]
        raw = path.read_bytes()
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
