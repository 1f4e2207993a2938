"""The Methodology page's data, taken from the very tables grading uses."""

from __future__ import annotations

import html

from ..grading import GRADE_ADJUSTMENTS, GRADES, LEVELS, VERDICT_RULES
from ..model import StudyType
from ..urls import METHODOLOGY
from .listings import GeneratedPage
from .vocabulary import GRADE_MEANING, verdict_badge

METHODOLOGY_INTRODUCTION = (
    "Every verdict and grade on this site is computed by the same rules, shown here from the very tables the build uses. "
    "Editors choose the sources and say whether each supports, contradicts or is mixed on a claim; the rules do the rest.\n"
)


def methodology_page(levels_of_types: dict[str, int]) -> GeneratedPage:
    by_level = sorted(levels_of_types.items(), key=lambda kv: (kv[1], kv[0]))
    ev = {
        "levels": [
            {
                "level": info.level,
                "description": info.description,
                "types": [t.replace("-", " ") for t, level in by_level if level == info.level],
                "base_grade": info.base_grade,
            }
            for info in LEVELS
        ],
        "verdict_rules": [{"name": rule.name, "verdict": verdict_badge(rule.verdict), "description": rule.description} for rule in VERDICT_RULES],
        "adjustments": [{"name": a.name, "up": a.steps > 0, "description": a.description} for a in GRADE_ADJUSTMENTS],
        "grades": [{"letter": g, "meaning": GRADE_MEANING[g]} for g in GRADES],
        "web_article": StudyType.WEB_ARTICLE.value,
    }
    meta = {
        "template": "evidence/methodology.html",
        "title": "Methodology",
        "description": html.escape("How each source's level of evidence, and each claim's verdict and grade, are set."),
        "ev": ev,
    }
    return GeneratedPage(METHODOLOGY, meta, METHODOLOGY_INTRODUCTION)
