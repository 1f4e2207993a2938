"""How verdicts, grades and stances read on a page: words, symbols and CSS modifiers, in one place."""

from __future__ import annotations

from ..grading import GRADES, Verdict
from ..model import Stance

VERDICT_SYMBOLS = {
    Verdict.SUPPORTED: "✓",
    Verdict.NOT_SUPPORTED: "✗",
    Verdict.CONTESTED: "⇄",
    Verdict.INSUFFICIENT: "?",
}
STANCE_SYMBOLS = {Stance.SUPPORTS: "✓", Stance.CONTRADICTS: "✗", Stance.MIXED: "~"}
GRADE_MEANING = {
    "A": "Grade A: strong evidence; further research is unlikely to change the verdict",
    "B": "Grade B: moderate evidence; further research could change the verdict",
    "C": "Grade C: weak evidence from observational or indirect studies",
    "D": "Grade D: very weak evidence; expert opinion or popular articles only",
}
GRADE_WORDS = {"A": "strong evidence", "B": "moderate evidence", "C": "weak evidence", "D": "very weak evidence"}


def css_modifier(value: str) -> str:
    return value.lower().replace(" ", "-")


def verdict_badge(verdict: Verdict) -> dict:
    return {"value": verdict.value, "label": verdict.value.capitalize(), "symbol": VERDICT_SYMBOLS[verdict], "css": css_modifier(verdict.value)}


def grade_badge(grade: str) -> dict:
    return {"letter": grade, "css": grade.lower(), "meaning": GRADE_MEANING[grade], "words": GRADE_WORDS[grade]}


def stance_mark(stance: Stance) -> dict:
    return {"value": stance.value, "symbol": STANCE_SYMBOLS[stance]}


VERDICT_ORDER = tuple(Verdict)
GRADE_ORDER = GRADES
