"""Generated pages' front matter: one line of JSON, which every renderer's YAML reader reads alike."""

from __future__ import annotations

import json
import re

_JSON_FRONT_MATTER = re.compile(r"\A---\n(\{.*\})\n---[ \t]*\n")
# Characters JSON allows raw that YAML readers refuse or read as line breaks.
_YAML_UNPRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def front_matter(meta: dict) -> str:
    """Front matter as one line of JSON: every renderer's YAML reader reads it the same way.

    Written as YAML, values like `yes`, `010` or `~` change type from one reader to the next.
    """
    text = json.dumps(meta, ensure_ascii=False, separators=(", ", ": "))
    return _YAML_UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def split_json_front_matter(text: str) -> tuple[dict, str] | None:
    """(meta, Markdown) of a page whose front matter is the one line of JSON `front_matter` writes; else None.

    Every renderer can read that line as YAML; a reader that knows it is JSON reads it several
    times faster than PyYAML's Python constructor builds the same values.
    """
    match = _JSON_FRONT_MATTER.match(text)
    if not match:
        return None
    try:
        meta = json.loads(match.group(1))
    except ValueError:
        return None
    return (meta, text[match.end() :]) if isinstance(meta, dict) else None
