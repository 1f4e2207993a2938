"""`evidence new`: a claim file from the template, never overwriting one."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

from .settings import Settings

MAX_SLUG_LENGTH = 60


class ClaimExists(Exception):
    """A claim file with that id already exists."""


def slugify(sentence: str) -> str:
    """Lowercase ASCII words joined by hyphens, cut at a word boundary."""
    ascii_text = unicodedata.normalize("NFKD", sentence).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > MAX_SLUG_LENGTH:
            break
        slug = candidate
    if not slug:
        raise ValueError("the claim must contain letters or digits")
    return slug


def one_line(sentence: str) -> str:
    """The sentence on one line, without control characters (YAML refuses them, even quoted)
    or lone surrogates (undecodable bytes in a command-line argument)."""
    words = (re.sub(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]", "", word) for word in sentence.split())
    return " ".join(word for word in words if word)


def claim_template(sentence: str, topic: str, today: dt.date) -> str:
    quoted = one_line(sentence).replace("\\", "\\\\").replace('"', '\\"')
    return (
        "---\n"
        f'claim: "{quoted}"\n'
        f"topic: {topic}\n"
        "tags: []\n"
        f"reviewed: {today.isoformat()}\n"
        "evidence:\n"
        "  - source: KEY-IN-REFERENCES-BIB\n"
        "    stance: supports   # supports | contradicts | mixed\n"
        "    note: What this source found, in one sentence.\n"
        "---\n"
        "Explain what the studies found, how large and how reliable, and their limits. Cite as [@KEY-IN-REFERENCES-BIB].\n"
    )


def write_new_claim(settings: Settings, sentence: str, topic: str, today: dt.date) -> Path:
    """Create content/claims/<topic>/<slug>.md; refuse if any claim already has that id."""
    slug = slugify(sentence)
    for existing in settings.claims_dir.glob(f"*/{slug}.md"):
        raise ClaimExists(f"{settings.rel(existing)} already exists; edit it or choose another wording")
    path = settings.claims_dir / topic / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(claim_template(sentence, topic, today))
    except FileExistsError:
        raise ClaimExists(f"{settings.rel(path)} already exists") from None
    return path
