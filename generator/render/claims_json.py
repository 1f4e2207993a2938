"""The site's data files: `claims.json` (everything, for reuse) and the claims index's slim rows."""

from __future__ import annotations

import json

from ..assess import ClaimView, SiteModel
from .csl import csl_item
from .vocabulary import GRADE_ORDER, VERDICT_ORDER

SCHEMA_VERSION = 2


def claims_json(model: SiteModel, labels: dict[str, str]) -> str:
    """Every claim with verdict, grade, evidence and references; references as CSL-JSON."""
    data = {
        "schema_version": SCHEMA_VERSION,
        "claims": [
            {
                "id": v.id,
                "claim": v.claim.text,
                "topic": v.claim.topic,
                "tags": list(v.claim.tags),
                "url": v.url,
                "verdict": v.assessment.verdict.value,
                "grade": v.assessment.grade,
                "certainty": v.assessment.grade_info.certainty,
                "sentence": v.sentence,
                "direct": v.assessment.direct,
                "reasons": [{"code": r.code.value, "steps": r.steps, "text": r.text} for r in v.assessment.reasons],
                "participants": v.assessment.people,
                "disputed": v.disputed,
                "dispute": v.sides.kind.value if v.sides.kind else None,
                "opposes": list(v.opponents),
                "reviewed": str(v.claim.reviewed) if v.claim.reviewed else None,
                "evidence_gap": v.claim.evidence_gap or None,
                "evidence": [
                    {
                        "source": e.reference.key,
                        "stance": e.stance.value,
                        "study_type": e.reference.study_type.value if e.reference.study_type else None,
                        "certainty": e.grade.letter,
                        "counted": e.counted,
                        "deciding": v.assessment.decides(e),
                        "participants": e.evidence.participants,
                        "indirectness": e.evidence.indirectness.value if e.evidence.indirectness else None,
                        "locator": e.evidence.locator or None,
                        "note": e.evidence.note or None,
                        "indirect": e.evidence.indirect or None,
                        "cites": list(e.evidence.cites),
                    }
                    for e in v.assessment.evidence
                ],
            }
            for v in model.claims
        ],
        "references": [{**csl_item(ref), "studytype": ref.study_type.value if ref.study_type else None, "label": labels.get(key, key)} for key, ref in sorted(model.references.items())],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))  # no indent: the C encoder


#: Columns of a row in the index's data files, in order; the script reads them by position.
INDEX_COLUMNS = ("url", "claim", "topic", "verdict", "grade", "disputed", "sources", "supports", "contradicts", "mixed")


def index_row(view: ClaimView) -> list:
    return [
        view.url,
        view.claim.text,
        view.claim.topic,
        VERDICT_ORDER.index(view.assessment.verdict),
        GRADE_ORDER.index(view.assessment.grade),
        int(view.disputed),
        len(view.claim.evidence),
        len(view.sides.supports),
        len(view.sides.contradicts),
        len(view.sides.mixed),
    ]


def index_chunks(views: list[ClaimView], chunk_bytes: int) -> list[str]:
    """The index rows as JSON arrays of at most about `chunk_bytes` each, in site order."""
    chunks: list[str] = []
    rows: list[str] = []
    size = 0
    for view in views:
        row = json.dumps(index_row(view), ensure_ascii=False, separators=(",", ":"))
        if rows and size + len(row.encode()) > chunk_bytes:
            chunks.append("[" + ",".join(rows) + "]")
            rows, size = [], 0
        rows.append(row)
        size += len(row.encode()) + 1
    chunks.append("[" + ",".join(rows) + "]")
    return chunks
