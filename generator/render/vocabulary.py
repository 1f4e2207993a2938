"""How verdicts, grades and stances read on a page: words, symbols and CSS modifiers, in one place.

The verdicts' symbols and the grades' certainty words are grading's; this module only shapes them
into the small dicts the theme's templates and the index script receive.
"""

from __future__ import annotations

from ..grading import GRADE_BY_LETTER, GRADES, Verdict
from ..model import Stance

STANCE_SYMBOLS = {Stance.SUPPORTS: "✓", Stance.CONTRADICTS: "✗", Stance.MIXED: "~", Stance.BACKGROUND: "○"}
#: The order verdicts are listed and sorted in: from the claim holding up to the evidence lacking.
VERDICT_ORDER = (Verdict.SUPPORTED, Verdict.CONTESTED, Verdict.INCONCLUSIVE, Verdict.NOT_SUPPORTED, Verdict.INSUFFICIENT)
GRADE_ORDER = tuple(g.letter for g in GRADES)


def css_modifier(value: str) -> str:
    return value.lower().replace(" ", "-")


def grade_meaning(letter: str) -> str:
    grade = GRADE_BY_LETTER[letter]
    return f"Grade {letter}, {grade.certainty} certainty. {grade.meaning}"


def verdict_badge(verdict: Verdict) -> dict:
    return {
        "value": verdict.value,
        "label": verdict.value.capitalize(),
        "symbol": verdict.symbol,
        "css": css_modifier(verdict.value),
        "rank": VERDICT_ORDER.index(verdict),
    }


def grade_badge(letter: str) -> dict:
    grade = GRADE_BY_LETTER[letter]
    return {"letter": letter, "css": letter.lower(), "certainty": grade.certainty, "meaning": grade_meaning(letter), "rank": grade.rank}


def stance_mark(stance: Stance) -> dict:
    return {"value": stance.value, "symbol": STANCE_SYMBOLS[stance]}


#: What the compact balance in claim tables (✓2 ✗1 ~0) counts.
BALANCE_LEGEND = "Balance counts the sources behind each claim: ✓ support it, ✗ contradict it, ~ mixed findings. Background sources are not counted."


def legend() -> dict:
    """What grades and the balance counts mean, for the legend readers open by touch or keyboard."""
    return {"grades": [{"letter": g, "meaning": grade_meaning(g)} for g in GRADE_ORDER], "balance": BALANCE_LEGEND}
