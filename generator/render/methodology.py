"""The Methodology page's data, taken from the very tables grading uses, with worked examples from the site."""

from __future__ import annotations

import html

from ..assess import SiteModel, methodology_examples
from ..grading import DESIGNS, DOWNGRADES, GRADES, KIND_ORDER, VERDICT_RULES
from ..urls import METHODOLOGY
from .listings import GeneratedPage
from .vocabulary import verdict_badge

METHODOLOGY_INTRODUCTION = (
    "Every verdict and grade on this site is computed by the same rules, shown here from the very tables the build uses. "
    "Editors choose the sources, say whether each supports, contradicts, is mixed on or is only background to a claim, "
    "and record how many people each study measured and why a source may be indirect; the rules do the rest. "
    "The grade is a certainty of evidence in the sense of GRADE, the system Cochrane reviews use: "
    "how sure we can be that the verdict is right.\n"
)


def code_runs(text: str) -> list[list]:
    """Text with `backticks` as [[text, is_code], ...], so the template can set code without HTML in data."""
    return [[part, index % 2 == 1] for index, part in enumerate(text.split("`")) if part]


def methodology_page(model: SiteModel) -> GeneratedPage:
    designs = sorted(DESIGNS.values(), key=lambda d: (KIND_ORDER.index(d.kind), d.start, d.singular))
    ev = {
        "grades": [{"letter": g.letter, "certainty": g.certainty, "meaning": g.meaning} for g in GRADES],
        "designs": [{"singular": d.singular, "kind": d.kind.value, "start": GRADES[d.start].letter, "start_certainty": GRADES[d.start].certainty} for d in designs],
        "verdict_rules": [{"verdict": verdict_badge(rule.verdict), "when": rule.when} for rule in VERDICT_RULES],
        "downgrades": [{"reason": d.code.value.capitalize(), "steps": code_runs(d.steps), "rule": code_runs(d.rule)} for d in DOWNGRADES],
        "threshold": f"{model.imprecision_threshold:,}",
        "examples": [
            {
                "rule": ex.rule.capitalize(),
                "claim": ex.claim.claim.text,
                "url": ex.claim.url,
                "verdict": f"{ex.claim.assessment.verdict.value.capitalize()}, grade {ex.claim.assessment.grade}",
                "why": ex.claim.sentence,
            }
            if ex.claim
            else {"rule": ex.rule.capitalize(), "claim": "", "url": "", "verdict": "", "why": "No claim on this site shows this rule at present."}
            for ex in methodology_examples(model)
        ],
    }
    meta = {
        "template": "evidence/methodology.html",
        "title": "Methodology",
        "description": html.escape("How each claim's verdict and grade of certainty are set, rule by rule, with real examples."),
        "ev": ev,
    }
    return GeneratedPage(METHODOLOGY, meta, METHODOLOGY_INTRODUCTION)
